//! Staff alerts beyond the bell: the admin's channels per event and role,
//! each person's own choices and quiet hours, e-mail to staff through a
//! local SMTP sink, and Web Push to a local fake push service the tests
//! start (the payload decrypted with the browser's key, the VAPID
//! signature's key checked, a device the service says is gone forgotten).

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU16, Ordering},
    },
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, routing::post};
use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};
use web_push_native::{Auth, p256};

use crate::{
    both_backends,
    email::{channel as email_channel, put_channel as put_email, sink, text_part},
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    admins_route_alerts_per_role_and_people_choose_their_own,
    a_technician_gets_an_assignment_by_web_push_and_a_gone_device_is_forgotten,
    staff_e_mail_follows_the_persons_choice_and_waits_out_their_quiet_hours,
);

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One request the fake push service got.
#[derive(Debug, Clone)]
struct Pushed {
    headers: HeaderMap,
    body: Vec<u8>,
}

#[derive(Clone)]
struct PushService {
    /// The status it answers.
    answer: Arc<AtomicU16>,
    got: Arc<Mutex<Vec<Pushed>>>,
}

impl PushService {
    fn got(&self) -> Vec<Pushed> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }

    async fn wait_for(&self, n: usize) -> anyhow::Result<Vec<Pushed>> {
        for _ in 0..100 {
            let got = self.got();
            if got.len() >= n {
                return Ok(got);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the push service got {} pushes, not {n}", self.got().len())
    }
}

async fn take(
    State(s): State<PushService>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::StatusCode {
    if let Ok(mut got) = s.got.lock() {
        got.push(Pushed {
            headers,
            body: body.to_vec(),
        });
    }
    axum::http::StatusCode::from_u16(s.answer.load(Ordering::SeqCst))
        .unwrap_or(axum::http::StatusCode::CREATED)
}

/// A local push service: takes every POST and answers `answer`.
async fn push_service() -> anyhow::Result<(PushService, String)> {
    let s = PushService {
        answer: Arc::new(AtomicU16::new(201)),
        got: Arc::new(Mutex::new(Vec::new())),
    };
    let app = Router::new()
        .route("/push/{device}", post(take))
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((s, url))
}

/// A browser's side of a subscription: its key pair and auth secret.
struct Browser {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> anyhow::Result<Browser> {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        let secret = p256::SecretKey::from_slice(&bytes)?;
        Ok(Browser {
            secret,
            auth: *uuid::Uuid::new_v4().as_bytes(),
        })
    }

    fn p256dh(&self) -> String {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        b64(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    /// What the service worker would read.
    fn open(&self, pushed: &Pushed) -> anyhow::Result<Value> {
        let plain = web_push_native::decrypt(
            pushed.body.clone(),
            &self.secret,
            &Auth::clone_from_slice(&self.auth),
        )
        .map_err(|e| anyhow::anyhow!("cannot decrypt: {e}"))?;
        Ok(serde_json::from_slice(&plain)?)
    }

    fn subscription(&self, endpoint: &str, label: &str) -> Value {
        json!({"endpoint": endpoint, "expirationTime": null, "label": label,
            "keys": {"p256dh": self.p256dh(), "auth": b64(&self.auth)}})
    }
}

async fn field_refused(r: reqwest::Response, field: &str) -> anyhow::Result<()> {
    let body = assert_problem(r, 422, "/problems/validation").await?;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.iter().any(|f| f.starts_with(field)),
        "{field}: {body}"
    );
    Ok(())
}

fn route<'a>(routes: &'a Value, event: &str, role: &str) -> anyhow::Result<&'a Value> {
    routes["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["event"] == event && r["role"] == role)
        .ok_or_else(|| anyhow::anyhow!("no route {event}/{role}: {routes}"))
}

fn choice<'a>(prefs: &'a Value, event: &str) -> Option<&'a Value> {
    prefs["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["event"] == event)
}

async fn put_prefs(who: &Session, body: Value) -> anyhow::Result<reqwest::Response> {
    who.send(
        Method::PUT,
        "/api/v1/me/notification-preferences",
        Some(body),
    )
    .await
}

async fn admins_route_alerts_per_role_and_people_choose_their_own(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;

    let (status, routes) = admin.json("/api/v1/notification-routes").await?;
    assert_eq!(status, 200, "{routes}");
    let breached = route(&routes, "staff_sla_breached", "supervisor")?;
    assert_eq!(breached["channels"], json!(["email", "whatsapp", "push"]));
    assert_eq!(breached["customized"], false);
    // Only the roles an alert reaches are listed.
    assert!(route(&routes, "staff_ticket_assigned", "warehouse").is_err());

    // The technician's alerts: the role's channels until they choose.
    let (status, prefs) = technician
        .json("/api/v1/me/notification-preferences")
        .await?;
    assert_eq!(status, 200, "{prefs}");
    let assigned =
        choice(&prefs, "staff_ticket_assigned").ok_or_else(|| anyhow::anyhow!("{prefs}"))?;
    assert_eq!(assigned["channels"], json!(["push"]));
    assert_eq!(assigned["chosen"], false);
    assert!(choice(&prefs, "staff_stock_low").is_none(), "{prefs}");
    assert_eq!(text(&prefs["push_public_key"])?.len(), 87);
    assert_eq!(prefs["reachable"]["push"], false);

    // The admin changes the technicians' channels: the technician sees it.
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/notification-routes/staff_ticket_assigned/technician",
            Some(json!({"channels": ["whatsapp", "push"]})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await?;
    assert_eq!(saved["channels"], json!(["whatsapp", "push"]));
    assert_eq!(saved["customized"], true);
    let (_, prefs) = technician
        .json("/api/v1/me/notification-preferences")
        .await?;
    assert_eq!(
        choice(&prefs, "staff_ticket_assigned").map(|c| c["channels"].clone()),
        Some(json!(["whatsapp", "push"]))
    );
    let (_, log) = admin
        .json("/api/v1/audit-events?action=notification_route.update")
        .await?;
    assert!(
        log.to_string().contains("staff_ticket_assigned/technician"),
        "{log}"
    );

    // The person's own choice wins over the role's.
    let r = put_prefs(
        &technician,
        json!({"channels": {"staff_ticket_assigned": ["email"]},
            "quiet_start": "22:00", "quiet_end": "05:30", "time_zone": "Asia/Makassar"}),
    )
    .await?;
    assert_eq!(r.status(), 200);
    let mine: Value = r.json().await?;
    let assigned =
        choice(&mine, "staff_ticket_assigned").ok_or_else(|| anyhow::anyhow!("{mine}"))?;
    assert_eq!(assigned["channels"], json!(["email"]));
    assert_eq!(assigned["role_channels"], json!(["whatsapp", "push"]));
    assert_eq!(assigned["chosen"], true);
    assert_eq!(mine["quiet_start"], "22:00:00");
    assert_eq!(mine["time_zone"], "Asia/Makassar");

    // Bad input is refused and changes nothing.
    for (body, field) in [
        (
            json!({"quiet_start": "25:00", "quiet_end": "05:00"}),
            "quiet_start",
        ),
        (json!({"quiet_start": "22:00"}), "quiet_end"),
        (
            json!({"quiet_start": "22:00", "quiet_end": "22:00"}),
            "quiet_end",
        ),
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
        (
            json!({"channels": {"staff_stock_low": ["push"]}}),
            "channels.staff_stock_low",
        ),
        (
            json!({"channels": {"no_such_alert": ["push"]}}),
            "channels.no_such_alert",
        ),
    ] {
        field_refused(put_prefs(&technician, body).await?, field).await?;
    }
    let r = put_prefs(
        &technician,
        json!({"channels": {"staff_ticket_assigned": ["sms"]}}),
    )
    .await?;
    assert_eq!(r.status(), 422);
    let (_, after) = technician
        .json("/api/v1/me/notification-preferences")
        .await?;
    assert_eq!(after["time_zone"], "Asia/Makassar");
    assert_eq!(
        choice(&after, "staff_ticket_assigned").map(|c| c["channels"].clone()),
        Some(json!(["email"]))
    );

    // Routes: unknown alerts and roles, roles an alert never reaches.
    let put = |path: &str, body: Value| {
        let path = path.to_string();
        let admin = &admin;
        async move { admin.send(Method::PUT, &path, Some(body)).await }
    };
    assert_problem(
        put(
            "/api/v1/notification-routes/ticket_received/supervisor",
            json!({"channels": []}),
        )
        .await?,
        404,
        "/problems/not-found",
    )
    .await?;
    assert_problem(
        put(
            "/api/v1/notification-routes/staff_sla_breached/customer",
            json!({"channels": []}),
        )
        .await?,
        404,
        "/problems/not-found",
    )
    .await?;
    field_refused(
        put(
            "/api/v1/notification-routes/staff_ticket_assigned/warehouse",
            json!({"channels": ["push"]}),
        )
        .await?,
        "role",
    )
    .await?;
    let r = put(
        "/api/v1/notification-routes/staff_sla_breached/supervisor",
        json!({"channels": ["fax"]}),
    )
    .await?;
    assert_eq!(r.status(), 422);
    // Back to the built-in channels.
    let r = admin
        .send(
            Method::DELETE,
            "/api/v1/notification-routes/staff_ticket_assigned/technician",
            None,
        )
        .await?;
    assert_eq!(r.status(), 200);
    let back: Value = r.json().await?;
    assert_eq!(back["channels"], json!(["push"]));
    assert_eq!(back["customized"], false);

    // Customers have none of this.
    let r = customer.get("/api/v1/me/notification-preferences").await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    Ok(())
}

async fn a_technician_gets_an_assignment_by_web_push_and_a_gone_device_is_forgotten(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;
    let (service, base) = push_service().await?;
    let browser = Browser::new()?;
    let endpoint = format!("{base}/push/hp-andi");

    let (_, prefs) = technician
        .json("/api/v1/me/notification-preferences")
        .await?;
    let server_key = text(&prefs["push_public_key"])?.to_string();

    // The browser subscribes; the same subscription again is an update.
    let r = technician
        .send(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(browser.subscription(&endpoint, "HP Andi")),
        )
        .await?;
    assert_eq!(r.status(), 201);
    let device: Value = r.json().await?;
    assert_eq!(device["label"], "HP Andi");
    assert!(!device.to_string().contains(&endpoint), "{device}");
    let r = technician
        .send(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(browser.subscription(&endpoint, "HP Andi (Chrome)")),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let (_, devices) = technician.json("/api/v1/me/push-subscriptions").await?;
    assert_eq!(
        devices["items"].as_array().map(Vec::len),
        Some(1),
        "{devices}"
    );
    assert_eq!(devices["items"][0]["label"], "HP Andi (Chrome)");

    // Bad subscriptions are refused.
    let mut bad = browser.subscription(&endpoint, "x");
    bad["keys"]["p256dh"] = json!("bukan-kunci");
    field_refused(
        technician
            .send(Method::POST, "/api/v1/me/push-subscriptions", Some(bad))
            .await?,
        "keys",
    )
    .await?;
    let bad = browser.subscription("ftp://push.example/x", "x");
    field_refused(
        technician
            .send(Method::POST, "/api/v1/me/push-subscriptions", Some(bad))
            .await?,
        "endpoint",
    )
    .await?;
    let r = customer
        .send(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(browser.subscription(&format!("{base}/push/customer"), "x")),
        )
        .await?;
    assert_problem(r, 403, "/problems/forbidden").await?;

    // A test push: encrypted for the browser, signed with the server's key.
    let r = technician
        .send(Method::POST, "/api/v1/me/push-subscriptions/test", None)
        .await?;
    assert_eq!(r.status(), 202);
    let got = service.wait_for(1).await?;
    let first = &got[0];
    let header = |name: &str| {
        first
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-encoding"), "aes128gcm");
    assert!(header("ttl").parse::<u64>().is_ok_and(|t| t > 0));
    let auth = header("authorization");
    assert!(auth.starts_with("vapid t="), "{auth}");
    assert!(auth.contains(&format!("k={server_key}")), "{auth}");
    let payload = browser.open(first)?;
    assert_eq!(payload["body"], "Notifikasi sampai di perangkat ini.");

    // An assignment reaches the technician's phone in their language.
    let t: Value = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet mati sejak pagi"})),
        )
        .await?
        .json()
        .await?;
    let number = text(&t["number"])?.to_string();
    let (_, tech) = technician.json("/api/v1/me").await?;
    let (_, seen) = supervisor
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    let r = supervisor
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
            seen["version"].as_i64().unwrap_or_default(),
            Some(json!({"to": "assigned", "technician_id": tech["id"]})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let got = service.wait_for(2).await?;
    let payload = browser.open(&got[1])?;
    let (_, sup) = supervisor.json("/api/v1/me").await?;
    assert_eq!(
        text(&payload["body"])?,
        format!(
            "{number} ditugaskan kepada Anda oleh {}.",
            text(&sup["name"])?
        )
    );
    assert_eq!(payload["url"], "/tech");
    assert_eq!(payload["tag"], "ticket_assigned");
    let (_, log) = admin
        .json(&format!("/api/v1/messages?ticket_id={}", text(&t["id"])?))
        .await?;
    let pushed = log["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["channel"] == "push")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{log}"))?;
    assert_eq!(pushed["event"], "staff_ticket_assigned");
    for _ in 0..50 {
        let (_, m) = admin
            .json(&format!("/api/v1/messages?ticket_id={}", text(&t["id"])?))
            .await?;
        if m.to_string().contains("\"provider\":\"webpush\"") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, devices) = technician.json("/api/v1/me/push-subscriptions").await?;
    assert!(devices["items"][0]["last_used_at"].is_string(), "{devices}");

    // The browser unsubscribed: the service answers 410, the device is
    // forgotten and the message fails with the reason.
    service.answer.store(410, Ordering::SeqCst);
    let r = technician
        .send(Method::POST, "/api/v1/me/push-subscriptions/test", None)
        .await?;
    assert_eq!(r.status(), 202);
    service.wait_for(3).await?;
    let mut gone = false;
    for _ in 0..50 {
        let (_, devices) = technician.json("/api/v1/me/push-subscriptions").await?;
        if devices["items"].as_array().is_some_and(Vec::is_empty) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(gone, "the gone device is forgotten");
    let (_, failed) = admin.json("/api/v1/messages?status=failed").await?;
    let reason = failed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["channel"] == "push")
        .map(|m| m["last_error"].to_string())
        .unwrap_or_default();
    assert!(reason.contains("410"), "{failed}");
    // No device left: a test has nowhere to go.
    let r = technician
        .send(Method::POST, "/api/v1/me/push-subscriptions/test", None)
        .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    // Removing a device that is not one's own: 404.
    let r = technician
        .send(
            Method::DELETE,
            &format!("/api/v1/me/push-subscriptions/{}", uuid::Uuid::now_v7()),
            None,
        )
        .await?;
    assert_problem(r, 404, "/problems/not-found").await?;
    Ok(())
}

async fn staff_e_mail_follows_the_persons_choice_and_waits_out_their_quiet_hours(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let customer = app.signed_in("customer").await?;
    let sink = sink().await?;
    put_email(&admin, email_channel(&sink, true)).await?;
    let (login, _) = app.account("supervisor")?;

    // New tickets by e-mail (the role's default is Web Push only).
    let r = put_prefs(
        &supervisor,
        json!({"channels": {"staff_ticket_created": ["email"]}}),
    )
    .await?;
    assert_eq!(r.status(), 200);
    let (_, prefs) = supervisor
        .json("/api/v1/me/notification-preferences")
        .await?;
    assert_eq!(prefs["reachable"]["email"], true, "{prefs}");
    let report = |description: &'static str| {
        let customer = &customer;
        async move {
            let r = customer
                .send(
                    Method::POST,
                    "/api/v1/tickets",
                    Some(json!({ "description": description })),
                )
                .await?;
            anyhow::ensure!(r.status() == 201);
            let t: Value = r.json().await?;
            Ok::<Value, anyhow::Error>(t)
        }
    };
    let t = report("Internet lambat sejak kemarin").await?;
    let number = text(&t["number"])?.to_string();
    let got = sink.wait_for(1).await?;
    assert_eq!(got[0].to, format!("<{login}>"));
    let mail = text_part(&got[0].data);
    assert!(
        mail.contains(&format!("Tiket baru {number}: perbaikan")),
        "{mail}"
    );
    assert!(mail.contains("Subject: "), "{mail}");

    // Quiet hours around now: the next one waits for their end.
    let local = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Jakarta);
    let start = (local - chrono::Duration::hours(1))
        .format("%H:%M")
        .to_string();
    let end = (local + chrono::Duration::hours(2))
        .format("%H:%M")
        .to_string();
    let r = put_prefs(
        &supervisor,
        json!({"channels": {"staff_ticket_created": ["email"]},
            "quiet_start": start, "quiet_end": end, "time_zone": "Asia/Jakarta"}),
    )
    .await?;
    assert_eq!(r.status(), 200);
    let t = report("Wifi tidak bisa tersambung").await?;
    let mut held = Value::Null;
    for _ in 0..50 {
        let (_, log) = admin
            .json(&format!("/api/v1/messages?ticket_id={}", text(&t["id"])?))
            .await?;
        if let Some(m) = log["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["event"] == "staff_ticket_created" && m["channel"] == "email")
        {
            held = m.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(held["status"], "queued", "{held}");
    let at: chrono::DateTime<chrono::Utc> = text(&held["next_attempt_at"])?.parse()?;
    assert!(
        at > chrono::Utc::now() + chrono::Duration::minutes(100),
        "held until the quiet hours end: {held}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.got().len(), 1);
    Ok(())
}

/// Browsers only give https push services: a server that does not allow
/// plain http for tests refuses one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_push_service_is_refused_by_default() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.push_allow_http = Some(false)).await?;
    let technician = app.signed_in("technician").await?;
    let browser = Browser::new()?;
    let r = technician
        .send(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(browser.subscription("http://127.0.0.1:9/push/x", "x")),
        )
        .await?;
    field_refused(r, "endpoint").await?;
    let r = technician
        .send(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(browser.subscription("https://fcm.googleapis.com/fcm/send/abc", "Pixel")),
        )
        .await?;
    assert_eq!(r.status(), 201);
    app.stop().await;
    Ok(())
}
