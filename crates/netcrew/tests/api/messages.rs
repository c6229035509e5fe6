//! WhatsApp to customers through the outbox, against local fakes of the
//! Fonnte and Wablas HTTP protocols: a change and its message commit
//! together, the first gateway that takes a message sends it, the next
//! takes over when one fails, failures wait and are tried again or shown
//! with their reasons, quiet hours and the daily limit hold, a worker that
//! stops mid-send neither loses nor repeats a message, and tokens never
//! come back out.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use axum::{Form, Json, Router, extract::State, http::HeaderMap, routing::post};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    messages_go_out_once_through_the_first_gateway_that_takes_them,
    quiet_hours_and_the_daily_limit_hold_but_outages_go_at_once,
    webhooks_report_delivery_and_bring_customers_messages_in,
    customers_answer_the_reminder_and_rate_the_visit_by_replying,
);

/// What a fake gateway answers.
const OK: u8 = 0;
const DOWN: u8 = 1;
const BAD_NUMBER: u8 = 2;
const DEVICE_OUT: u8 = 3;

/// One request a fake gateway got: its token and its form.
#[derive(Debug, Clone)]
struct Got {
    token: String,
    to: String,
    text: String,
}

#[derive(Clone)]
struct Fake {
    mode: Arc<AtomicU8>,
    got: Arc<Mutex<Vec<Got>>>,
    wablas: bool,
}

impl Fake {
    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }
}

async fn fake_send(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> (axum::http::StatusCode, Json<Value>) {
    let to_field = if fake.wablas { "phone" } else { "target" };
    let got = Got {
        token: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        to: form.get(to_field).cloned().unwrap_or_default(),
        text: form.get("message").cloned().unwrap_or_default(),
    };
    let n = {
        let Ok(mut list) = fake.got.lock() else {
            return (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({})),
            );
        };
        list.push(got);
        list.len()
    };
    let ok = axum::http::StatusCode::OK;
    match (fake.mode.load(Ordering::SeqCst), fake.wablas) {
        (DOWN, _) => (
            axum::http::StatusCode::BAD_GATEWAY,
            Json(json!({"error": "upstream"})),
        ),
        (BAD_NUMBER, false) => (
            ok,
            Json(json!({"status": false, "reason": "target invalid"})),
        ),
        (BAD_NUMBER, true) => (
            ok,
            Json(json!({"status": false, "message": "phone not registered on whatsapp"})),
        ),
        (DEVICE_OUT, _) => (
            ok,
            Json(
                json!({"status": false, "reason": "device disconnected", "message": "device disconnected"}),
            ),
        ),
        (_, false) => (
            ok,
            Json(json!({"status": true, "id": [format!("F{n}")], "process": "pending"})),
        ),
        (_, true) => (
            ok,
            Json(
                json!({"status": true, "data": {"messages": [{"id": format!("W{n}"), "status": "pending"}]}}),
            ),
        ),
    }
}

/// Starts a fake gateway; answers its address.
async fn fake(wablas: bool) -> anyhow::Result<(Fake, String)> {
    let f = Fake {
        mode: Arc::new(AtomicU8::new(OK)),
        got: Arc::new(Mutex::new(Vec::new())),
        wablas,
    };
    let path = if wablas { "/api/send-message" } else { "/send" };
    let app = Router::new()
        .route(path, post(fake_send))
        .with_state(f.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((f, format!("http://{addr}")))
}

async fn set_up(admin: &Session, body: Value) -> anyhow::Result<Value> {
    let r = admin
        .send(Method::PUT, "/api/v1/channels/whatsapp", Some(body))
        .await?;
    let status = r.status();
    let out: Value = r.json().await?;
    anyhow::ensure!(status == 200, "{status}: {out}");
    Ok(out)
}

/// The messages of a ticket, oldest first.
async fn messages_of(admin: &Session, ticket: &str) -> anyhow::Result<Vec<Value>> {
    let (status, list) = admin
        .json(&format!("/api/v1/messages?ticket_id={ticket}"))
        .await?;
    anyhow::ensure!(status == 200, "{list}");
    let mut items = list["items"].as_array().cloned().unwrap_or_default();
    items.reverse();
    Ok(items)
}

/// Waits until the ticket's message for `event` satisfies `done`.
async fn wait_for(
    admin: &Session,
    ticket: &str,
    event: &str,
    done: impl Fn(&Value) -> bool,
) -> anyhow::Result<Value> {
    for _ in 0..100 {
        let found = messages_of(admin, ticket)
            .await?
            .into_iter()
            .find(|m| m["event"] == event);
        if let Some(m) = found
            && done(&m)
        {
            return Ok(m);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let all = messages_of(admin, ticket).await?;
    anyhow::bail!("no {event} message as expected: {all:?}")
}

async fn step(who: &Session, t: &Value, body: Value) -> anyhow::Result<Value> {
    let r = who
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
            t["version"].as_i64().unwrap_or_default(),
            Some(body.clone()),
        )
        .await?;
    let status = r.status();
    let out: Value = r.json().await?;
    anyhow::ensure!(status == 200, "{body} → {status}: {out}");
    Ok(out)
}

async fn report(customer: &Session) -> anyhow::Result<Value> {
    let r = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet mati, lampu LOS merah"})),
        )
        .await?;
    anyhow::ensure!(r.status() == 201);
    Ok(r.json().await?)
}

fn gateways(fonnte: &str, wablas: &str) -> Value {
    json!([
        {"kind": "fonnte", "base_url": fonnte, "token": "fonnte-secret-token"},
        {"kind": "wablas", "base_url": wablas, "token": "wablas-secret-token"},
    ])
}

async fn messages_go_out_once_through_the_first_gateway_that_takes_them(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;
    let (fonnte, fonnte_url) = fake(false).await?;
    let (wablas, wablas_url) = fake(true).await?;

    // Nothing goes out before the channel is on.
    let before = report(&customer).await?;
    assert!(messages_of(&admin, text(&before["id"])?).await?.is_empty());

    let channel = set_up(
        &admin,
        json!({"enabled": true, "gateways": gateways(&fonnte_url, &wablas_url),
            "quiet_start": null, "quiet_end": null, "daily_limit": 20, "sender_name": "NetFiber"}),
    )
    .await?;
    assert_eq!(channel["gateways"][0]["token_set"], true);
    assert!(!channel.to_string().contains("secret-token"), "{channel}");
    let (_, again) = admin.json("/api/v1/channels/whatsapp").await?;
    assert!(!again.to_string().contains("secret-token"), "{again}");

    // A report: the customer is told through the first gateway, once.
    let t = report(&customer).await?;
    let id = text(&t["id"])?.to_string();
    let number = text(&t["number"])?.to_string();
    let received = wait_for(&admin, &id, "ticket_received", |m| m["status"] == "sent").await?;
    assert_eq!(received["provider"], "fonnte");
    assert!(received["provider_message_id"].is_string());
    let got = fonnte.got();
    let sent: Vec<&Got> = got.iter().filter(|g| g.text.contains(&number)).collect();
    assert_eq!(sent.len(), 1, "{got:?}");
    assert_eq!(sent[0].token, "fonnte-secret-token");
    assert!(sent[0].to.starts_with("62"), "{:?}", sent[0]);
    assert!(sent[0].text.contains("NetFiber"), "{:?}", sent[0]);

    // The first gateway is down: the second takes over.
    fonnte.set(DOWN);
    let (_, tech) = technician.json("/api/v1/me").await?;
    let (_, seen) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    let t = step(
        &supervisor,
        &seen,
        json!({"to": "assigned", "technician_id": tech["id"]}),
    )
    .await?;
    let assigned = wait_for(&admin, &id, "technician_assigned", |m| {
        m["status"] == "sent"
    })
    .await?;
    assert_eq!(assigned["provider"], "wablas");
    assert!(
        text(&assigned["body"])?.contains(text(&tech["name"])?),
        "{assigned}"
    );
    assert_eq!(
        wablas
            .got()
            .iter()
            .filter(|g| g.text.contains(&number))
            .count(),
        1
    );

    // Both down: it waits for the next try, with each gateway's reason and
    // no token in sight; it is not "sent again" while it waits.
    wablas.set(DOWN);
    let t = step(&technician, &t, json!({"to": "accepted"})).await?;
    let t = step(&technician, &t, json!({"to": "en_route"})).await?;
    let waiting = wait_for(&admin, &id, "on_the_way", |m| {
        m["attempts"] == 1 && m["status"] == "queued"
    })
    .await?;
    let reason = text(&waiting["last_error"])?;
    assert!(
        reason.contains("fonnte") && reason.contains("wablas"),
        "{reason}"
    );
    assert!(!reason.contains("secret-token"));
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/messages/{}/resend", text(&waiting["id"])?),
            None,
        )
        .await?;
    assert_problem(r, 409, "/problems/conflict").await?;

    // A number that is not on WhatsApp fails at once, without the second
    // gateway; the admin may send it again.
    fonnte.set(BAD_NUMBER);
    wablas.set(OK);
    let wablas_before = wablas.got().len();
    let t = step(&technician, &t, json!({"to": "on_site"})).await?;
    let failed = wait_for(&admin, &id, "arrived", |m| m["status"] == "failed").await?;
    assert!(text(&failed["last_error"])?.contains("target invalid"));
    assert_eq!(failed["attempts"], 1);
    assert_eq!(
        wablas.got().len(),
        wablas_before,
        "no failover for a bad number"
    );
    fonnte.set(OK);
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/messages/{}/resend", text(&failed["id"])?),
            None,
        )
        .await?;
    assert_eq!(r.status(), 200);
    wait_for(&admin, &id, "arrived", |m| m["status"] == "sent").await?;
    let _ = t;

    // The delivery log: searchable by ticket number, by phone, by status;
    // others may not change the channel.
    let (_, by_number) = admin
        .json(&format!("/api/v1/messages?q={}", &number[..8]))
        .await?;
    assert!(by_number["total"].as_u64().unwrap_or(0) >= 4, "{by_number}");
    let r = admin.get("/api/v1/messages?status=lost").await?;
    assert_problem(r, 422, "/problems/validation").await?;
    let cs = app.signed_in("cs").await?;
    let (status, _) = cs.json("/api/v1/messages").await?;
    assert_eq!(status, 200);
    let r = cs
        .send(
            Method::PUT,
            "/api/v1/channels/whatsapp",
            Some(json!({"enabled": false, "gateways": [], "daily_limit": 5, "sender_name": "x"})),
        )
        .await?;
    assert_eq!(r.status(), 403);

    // Saving without tokens keeps them; a gateway without any is refused.
    set_up(
        &admin,
        json!({"enabled": true, "gateways": [
            {"kind": "fonnte", "base_url": fonnte_url}, {"kind": "wablas", "base_url": wablas_url}],
            "quiet_start": null, "quiet_end": null, "daily_limit": 20, "sender_name": "NetFiber"}),
    )
    .await?;
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/channels/whatsapp",
            Some(json!({"enabled": true, "gateways": [
                {"kind": "wablas", "base_url": wablas_url}, {"kind": "fonnte", "base_url": "ftp://x"}],
                "daily_limit": 0, "sender_name": "NetFiber"})),
        )
        .await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    for f in [
        "daily_limit",
        "gateways[1].base_url",
        "gateways[0].token",
        "gateways[1].token",
    ] {
        assert!(fields.contains(&f), "{f}: {problem}");
    }
    Ok(())
}

async fn quiet_hours_and_the_daily_limit_hold_but_outages_go_at_once(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let customer = app.signed_in("customer").await?;
    let (_, fonnte_url) = fake(false).await?;
    // Quiet hours around the present moment in Jakarta.
    let local = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Jakarta);
    let start = (local - chrono::Duration::hours(1))
        .format("%H:%M")
        .to_string();
    let end = (local + chrono::Duration::hours(2))
        .format("%H:%M")
        .to_string();
    set_up(
        &admin,
        json!({"enabled": true, "gateways": [{"kind": "fonnte", "base_url": fonnte_url, "token": "t"}],
            "quiet_start": start, "quiet_end": end, "daily_limit": 1, "sender_name": "NetFiber"}),
    )
    .await?;
    let t = report(&customer).await?;
    let id = text(&t["id"])?.to_string();
    let held = wait_for(&admin, &id, "ticket_received", |_| true).await?;
    assert_eq!(held["status"], "queued");
    let at: chrono::DateTime<chrono::Utc> = text(&held["next_attempt_at"])?.parse()?;
    assert!(
        at > chrono::Utc::now() + chrono::Duration::minutes(100),
        "held until the quiet hours end: {held}"
    );
    // The daily limit: the next message to this customer is skipped.
    let second = report(&customer).await?;
    let skipped = wait_for(&admin, text(&second["id"])?, "ticket_received", |_| true).await?;
    assert_eq!(skipped["status"], "skipped", "{skipped}");
    assert!(text(&skipped["last_error"])?.contains("daily limit"));

    // An outage behind the customer goes at once, limit or not.
    let me: Value = customer.get("/api/v1/customers").await?.json().await?;
    let odp = me["items"][0]["odp_id"].clone();
    anyhow::ensure!(odp.is_string(), "the demo customer sits on an ODP: {me}");
    let supervisor = app.signed_in("admin").await?;
    let r = supervisor
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({"element_kind": "odp", "element_id": odp, "title": "Kabel feeder putus", "cause": "galian"})),
        )
        .await?;
    let status = r.status();
    let outage: Value = r.json().await?;
    anyhow::ensure!(status == 201, "{outage}");
    let urgent = wait_for(&admin, &id, "outage_declared", |_| true).await?;
    assert_ne!(urgent["status"], "skipped", "{urgent}");
    let at: chrono::DateTime<chrono::Utc> = text(&urgent["next_attempt_at"])?.parse()?;
    assert!(at <= chrono::Utc::now(), "{urgent}");
    assert!(text(&urgent["body"])?.contains("Kabel feeder putus"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_stops_mid_send_neither_loses_nor_repeats_a_message() -> anyhow::Result<()> {
    // This instance does not send by itself: the test plays the workers.
    let app = TestApp::sqlite_with(|s| s.send_messages = Some(false)).await?;
    let admin = app.signed_in("admin").await?;
    let customer = app.signed_in("customer").await?;
    let (fonnte, fonnte_url) = fake(false).await?;
    set_up(
        &admin,
        json!({"enabled": true, "gateways": [{"kind": "fonnte", "base_url": fonnte_url, "token": "t"}],
            "quiet_start": null, "quiet_end": null, "daily_limit": 20, "sender_name": "NetFiber"}),
    )
    .await?;
    let t = report(&customer).await?;
    let number = text(&t["number"])?.to_string();
    let now = chrono::Utc::now();
    let lease = chrono::Duration::seconds(120);
    // Worker A takes the message and stops before it sends.
    let taken = netcrew_store::outbox::claim(&app.db, "whatsapp", "a", 10, lease, now).await?;
    assert_eq!(taken.len(), 1);
    // While A's lease runs, nobody else takes it.
    assert!(
        netcrew_store::outbox::claim(&app.db, "whatsapp", "b", 10, lease, now)
            .await?
            .is_empty()
    );
    // After it, a restarted worker sends it once.
    let sealer = netcrew_store::identity::Sealer::from_key_file(
        &netcrew_store::identity::default_key_file(app.data_dir()),
    )?;
    let later = now + lease + chrono::Duration::seconds(1);
    let retaken = netcrew_store::outbox::claim(&app.db, "whatsapp", "b", 10, lease, later).await?;
    assert_eq!(retaken.len(), 1);
    assert_eq!(retaken[0].attempts, 2, "the stopped try counts");
    let client = netcrew_notify::client();
    let (ch, tokens) = netcrew_store::outbox::channel_with_tokens(&app.db, &sealer).await?;
    let gws = netcrew::messaging::gateways(&ch, &tokens, &client);
    let sent = netcrew_notify::send_with_failover(
        &gws,
        netcrew_notify::Outgoing::text(&retaken[0].recipient, &retaken[0].body),
    )
    .await
    .map_err(|f| anyhow::anyhow!("{f:?}"))?;
    netcrew_store::outbox::record(
        &app.db,
        &retaken[0],
        "b",
        netcrew_store::outbox::Outcome::Sent {
            provider: sent.provider.to_string(),
            provider_message_id: sent.provider_message_id,
        },
        later,
    )
    .await?;
    // A's late word changes nothing, and nothing is due any more.
    netcrew_store::outbox::record(
        &app.db,
        &taken[0],
        "a",
        netcrew_store::outbox::Outcome::Failed {
            reason: "late".to_string(),
            permanent: true,
        },
        later,
    )
    .await?;
    let far = later + chrono::Duration::days(1);
    assert!(
        netcrew_store::outbox::claim(&app.db, "whatsapp", "c", 10, lease, far)
            .await?
            .is_empty()
    );
    assert_eq!(
        fonnte
            .got()
            .iter()
            .filter(|g| g.text.contains(&number))
            .count(),
        1
    );
    let (_, list) = admin
        .json(&format!("/api/v1/messages?ticket_id={}", text(&t["id"])?))
        .await?;
    assert_eq!(list["items"][0]["status"], "sent", "{list}");

    // The full worker round does the same on its own.
    let t2 = report(&customer).await?;
    let n = netcrew::messaging::deliver_once(&app.db, &sealer, &client, "d").await?;
    assert_eq!(n, 1);
    assert_eq!(
        netcrew::messaging::deliver_once(&app.db, &sealer, &client, "d").await?,
        0
    );
    let (_, list) = admin
        .json(&format!("/api/v1/messages?ticket_id={}", text(&t2["id"])?))
        .await?;
    assert_eq!(list["items"][0]["status"], "sent", "{list}");
    app.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_are_checked_previewed_and_used() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.send_messages = Some(false)).await?;
    let admin = app.signed_in("admin").await?;
    let (_, all) = admin.json("/api/v1/message-templates").await?;
    assert_eq!(
        all["total"], 66,
        "33 events (customers, links and codes, staff alerts) in two languages"
    );
    let path = "/api/v1/message-templates/arrived/id";
    // A variable the event does not offer is refused with the ones it does.
    let r = admin
        .send(
            Method::PUT,
            path,
            Some(json!({"body": "Halo {{ name }}, {{ technician }} tiba."})),
        )
        .await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["code"], "unknown_variable");
    assert_eq!(problem["errors"][0]["params"]["variable"], "technician");
    let r = admin
        .send(
            Method::POST,
            "/api/v1/message-templates/preview",
            Some(json!({"event": "arrived", "body": "Halo {{ name }}, teknisi tiba untuk {{ number }}."})),
        )
        .await?;
    let preview: Value = r.json().await?;
    assert_eq!(
        preview["text"],
        "Halo Budi Santoso, teknisi tiba untuk TRB-2026-000123."
    );
    let r = admin
        .send(
            Method::PUT,
            path,
            Some(json!({"body": "Teknisi sudah sampai, {{ name }} ({{ number }})."})),
        )
        .await?;
    let saved: Value = r.json().await?;
    assert_eq!(saved["customized"], true);
    let r = admin.send(Method::DELETE, path, None).await?;
    let reset: Value = r.json().await?;
    assert_eq!(reset["customized"], false);
    assert_eq!(reset["body"], reset["built_in"]);
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/message-templates/arrived/fr",
            Some(json!({"body": "Bonjour"})),
        )
        .await?;
    assert_problem(r, 422, "/problems/validation").await?;
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/message-templates/lunch/id",
            Some(json!({"body": "x"})),
        )
        .await?;
    assert_eq!(r.status(), 404);
    app.stop().await;
    Ok(())
}

async fn webhooks_report_delivery_and_bring_customers_messages_in(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let cs = app.signed_in("cs").await?;
    let customer = app.signed_in("customer").await?;
    let (_, fonnte_url) = fake(false).await?;
    let channel = set_up(
        &admin,
        json!({"enabled": true, "gateways": [{"kind": "fonnte", "base_url": fonnte_url, "token": "t"}],
            "quiet_start": null, "quiet_end": null, "daily_limit": 20, "sender_name": "NetFiber"}),
    )
    .await?;
    let fonnte_hook = text(&channel["webhooks"]["fonnte"])?.to_string();
    let wablas_hook = text(&channel["webhooks"]["wablas"])?.to_string();
    let t = report(&customer).await?;
    let id = text(&t["id"])?.to_string();
    let sent = wait_for(&admin, &id, "ticket_received", |m| m["status"] == "sent").await?;
    let provider_id = text(&sent["provider_message_id"])?.to_string();

    // A wrong secret is refused; the right one takes the report, and a
    // status never moves back.
    let hook = |path: &str, body: Value| app.client.post(app.url(path)).json(&body).send();
    let r = hook(
        "/api/v1/webhooks/whatsapp/fonnte/not-the-secret",
        json!({"id": provider_id, "state": "delivered"}),
    )
    .await?;
    assert_eq!(r.status(), 404);
    for (state, expect) in [
        ("delivered", "delivered"),
        ("read", "read"),
        ("delivered", "read"),
    ] {
        let r = hook(&fonnte_hook, json!({"id": provider_id, "state": state})).await?;
        assert_eq!(r.status(), 200);
        let (_, list) = admin
            .json(&format!("/api/v1/messages?ticket_id={id}"))
            .await?;
        let m = list["items"]
            .as_array()
            .and_then(|i| i.iter().find(|m| m["event"] == "ticket_received"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(m["status"], expect, "{m}");
    }

    // The customer writes back: it lands on their open ticket, once.
    let me: Value = customer.get("/api/v1/customers").await?.json().await?;
    let phone = text(&me["items"][0]["whatsapp"])
        .or_else(|_| text(&me["items"][0]["phone"]))?
        .trim_start_matches('+')
        .to_string();
    let inbound = json!({"device": "628111", "sender": phone, "message": "Masih mati sampai sekarang", "inboxid": "IN-1"});
    let r = hook(&fonnte_hook, inbound.clone()).await?;
    let answer: Value = r.json().await?;
    assert_eq!(answer["outcome"], "attached", "{answer}");
    let r = hook(&fonnte_hook, inbound).await?;
    let answer: Value = r.json().await?;
    assert_eq!(answer["outcome"], "duplicate");
    let (_, comments) = cs.json(&format!("/api/v1/tickets/{id}/comments")).await?;
    let from_whatsapp: Vec<&Value> = comments["items"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter(|c| {
                    c["body"]
                        .as_str()
                        .is_some_and(|b| b.contains("Masih mati sampai"))
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(from_whatsapp.len(), 1, "{comments}");
    // The customer's own data holds the messages both ways (UU PDP).
    let (_, mine) = customer
        .json(&format!(
            "/api/v1/customers/{}/personal-data",
            text(&me["items"][0]["id"])?
        ))
        .await?;
    let directions: Vec<&str> = mine["whatsapp"]
        .as_array()
        .map(|w| w.iter().filter_map(|e| e["direction"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        directions.contains(&"to_customer") && directions.contains(&"from_customer"),
        "{mine}"
    );

    // An unknown number, as a form: kept for CS, who deals with it once.
    let r = app
        .client
        .post(app.url(&wablas_hook))
        .form(&[
            ("id", "WIN-7"),
            ("phone", "6289900001111"),
            ("message", "Mau pasang internet"),
            ("pushName", "Rudi"),
        ])
        .send()
        .await?;
    let answer: Value = r.json().await?;
    assert_eq!(answer["outcome"], "kept", "{answer}");
    let (_, inbox) = cs.json("/api/v1/inbound-messages").await?;
    let kept = inbox["items"]
        .as_array()
        .and_then(|i| i.iter().find(|m| m["sender"] == "+6289900001111"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("not in the inbox: {inbox}"))?;
    assert_eq!(kept["sender_name"], "Rudi");
    let path = format!("/api/v1/inbound-messages/{}/handled", text(&kept["id"])?);
    let r = cs.send(Method::POST, &path, Some(json!({}))).await?;
    assert_eq!(r.status(), 200);
    let r = cs.send(Method::POST, &path, Some(json!({}))).await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let r = app
        .client
        .post(app.url(&fonnte_hook))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    assert_eq!(r.status(), 400);
    Ok(())
}

async fn customers_answer_the_reminder_and_rate_the_visit_by_replying(
    app: &TestApp,
) -> anyhow::Result<()> {
    use netcrew_store::sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let admin = app.signed_in("admin").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;
    let (fonnte, fonnte_url) = fake(false).await?;
    let channel = set_up(
        &admin,
        json!({"enabled": true, "gateways": [{"kind": "fonnte", "base_url": fonnte_url, "token": "t"}],
            "quiet_start": null, "quiet_end": null, "daily_limit": 50, "sender_name": "NetFiber"}),
    )
    .await?;
    let hook_path = text(&channel["webhooks"]["fonnte"])?.to_string();
    let t = report(&customer).await?;
    let id = text(&t["id"])?.to_string();
    let (_, tech) = technician.json("/api/v1/me").await?;
    step(
        &admin,
        &t,
        json!({"to": "assigned", "technician_id": tech["id"]}),
    )
    .await?;

    // The visit is tomorrow, as seen at the last ten o'clock in the morning
    // in Jakarta that has passed (so that the reminder is due now).
    let zone = chrono_tz::Asia::Jakarta;
    let local = (chrono::Utc::now() - chrono::Duration::hours(10))
        .with_timezone(&zone)
        .date_naive();
    let ten = local
        .and_hms_opt(10, 0, 0)
        .and_then(|d| d.and_local_timezone(zone).single())
        .map(|d| d.with_timezone(&chrono::Utc))
        .ok_or_else(|| anyhow::anyhow!("no ten o'clock"))?;
    let tomorrow = (local + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    {
        let row = netcrew_store::entity::ticket::Entity::find_by_id(id.parse::<uuid::Uuid>()?)
            .one(app.db.conn())
            .await?
            .ok_or_else(|| anyhow::anyhow!("ticket"))?;
        let mut am = row.into_active_model();
        am.appointment_date = Set(Some(tomorrow.clone()));
        am.appointment_window = Set(Some("08:00-12:00".to_string()));
        am.update(app.db.conn()).await?;
    }
    let early = ten - chrono::Duration::hours(3);
    assert_eq!(
        netcrew_store::outbox::remind_tomorrow(&app.db, zone, early).await?,
        0,
        "not before eight"
    );
    // (The server's own worker may write it too: either way, once.)
    netcrew_store::outbox::remind_tomorrow(&app.db, zone, ten).await?;
    assert_eq!(
        netcrew_store::outbox::remind_tomorrow(&app.db, zone, ten).await?,
        0,
        "once per visit"
    );
    let reminder = wait_for(&admin, &id, "appointment_reminder", |m| {
        m["status"] == "sent"
    })
    .await?;
    assert!(text(&reminder["body"])?.contains("Balas 1"), "{reminder}");
    assert!(text(&reminder["body"])?.contains(text(&tech["name"])?));

    let me: Value = customer.get("/api/v1/customers").await?.json().await?;
    let phone = text(&me["items"][0]["phone"])?
        .trim_start_matches('+')
        .to_string();
    let reply = |n: &str, inbox: &str| {
        app.client
            .post(app.url(&hook_path))
            .json(&json!({"device": "628111", "sender": phone, "message": n, "inboxid": inbox}))
            .send()
    };
    // 1: the visit suits.
    let answer: Value = reply("1", "R-1").await?.json().await?;
    assert_eq!(answer["outcome"], "answered", "{answer}");
    let (_, timeline) = admin
        .json(&format!("/api/v1/tickets/{id}/timeline"))
        .await?;
    assert!(
        timeline["items"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["kind"] == "visit_confirmed")),
        "{timeline}"
    );
    // 2: another day — the ticket waits for the customer.
    let answer: Value = reply("2", "R-2").await?.json().await?;
    assert_eq!(answer["outcome"], "answered");
    let (_, waiting) = admin.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(waiting["status"], "pending");
    assert_eq!(waiting["pending_reason"], "customer_absent");

    // After the visit, "4" rates it.
    let t = step(&admin, &waiting, json!({"to": "assigned"})).await?;
    let mut t = step(&technician, &t, json!({"to": "accepted"})).await?;
    for to in ["en_route", "on_site"] {
        t = step(&technician, &t, json!({"to": to})).await?;
    }
    crate::support::document_job(&technician, &t).await?;
    let _ = step(&technician, &t, json!({"to": "resolved"})).await?;
    wait_for(&admin, &id, "resolved", |m| m["status"] == "sent").await?;
    let answer: Value = reply("4", "R-3").await?.json().await?;
    assert_eq!(answer["outcome"], "answered", "{answer}");
    let (_, rated) = admin.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(rated["rating"], 4, "{rated}");
    // A longer text is just a comment.
    let answer: Value = reply("4 bintang, teknisinya ramah", "R-4")
        .await?
        .json()
        .await?;
    assert_ne!(answer["outcome"], "answered");
    assert!(fonnte.got().len() >= 3);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_are_told_once_when_the_gateway_device_is_logged_out() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let admin = app.signed_in("admin").await?;
    let customer = app.signed_in("customer").await?;
    let (fonnte, fonnte_url) = fake(false).await?;
    fonnte.set(DEVICE_OUT);
    set_up(
        &admin,
        json!({"enabled": true, "gateways": [{"kind": "fonnte", "base_url": fonnte_url, "token": "t"}],
            "quiet_start": null, "quiet_end": null, "daily_limit": 50, "sender_name": "NetFiber"}),
    )
    .await?;
    for _ in 0..2 {
        let t = report(&customer).await?;
        let waiting = wait_for(&admin, text(&t["id"])?, "ticket_received", |m| {
            m["attempts"] == 1 && m["status"] == "queued"
        })
        .await?;
        assert!(text(&waiting["last_error"])?.contains("device disconnected"));
    }
    let (_, bell) = admin.json("/api/v1/notifications?unread=true").await?;
    let alerts: Vec<&Value> = bell["items"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter(|n| n["kind"] == "gateway_problem")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(alerts.len(), 1, "{bell}");
    app.stop().await;
    Ok(())
}
