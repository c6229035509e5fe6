//! The WhatsApp Business Cloud API against a local fake of its HTTP
//! protocol: events mapped to approved templates go as templates with
//! their parameters and the bearer token; an event without one, outside
//! the 24 hours after the customer last wrote, falls over to the next
//! gateway as text, and inside them goes as text; webhooks are taken only
//! with the app secret's signature; Meta's verification is answered; a
//! template with an unknown variable is refused.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Form, Json, Router,
    extract::{Path, State},
    http::HeaderMap,
    routing::post,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, text},
};

both_backends!(the_cloud_api_sends_templates_and_takes_only_signed_webhooks);

const APP_SECRET: &str = "cloud-app-secret-9f2";
const ACCESS_TOKEN: &str = "cloud-access-token-77";

/// What the fakes got: (gateway, authorization, body).
#[derive(Clone, Default)]
struct Got(Arc<Mutex<Vec<(String, String, Value)>>>);

impl Got {
    fn all(&self) -> Vec<(String, String, Value)> {
        self.0.lock().map(|g| g.clone()).unwrap_or_default()
    }

    fn push(&self, gateway: &str, auth: &str, body: Value) -> usize {
        let Ok(mut g) = self.0.lock() else {
            return 0;
        };
        g.push((gateway.to_string(), auth.to_string(), body));
        g.len()
    }
}

fn auth(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn cloud_send(
    State(got): State<Got>,
    Path(phone_id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut body = body;
    body["phone_number_id"] = json!(phone_id);
    let n = got.push("cloud", &auth(&headers), body);
    Json(json!({"messaging_product": "whatsapp", "messages": [{"id": format!("wamid.{n}")}]}))
}

async fn fonnte_send(
    State(got): State<Got>,
    headers: HeaderMap,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    let n = got.push("fonnte", &auth(&headers), json!(form));
    Json(json!({"status": true, "id": [format!("f{n}")]}))
}

async fn fakes() -> anyhow::Result<(Got, String)> {
    let got = Got::default();
    let app = Router::new()
        .route("/v21.0/{phone}/messages", post(cloud_send))
        .route("/send", post(fonnte_send))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((got, format!("http://{addr}")))
}

async fn wait_for_got(got: &Got, n: usize) -> anyhow::Result<Vec<(String, String, Value)>> {
    for _ in 0..100 {
        if got.all().len() >= n {
            return Ok(got.all());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the fakes got {} messages, not {n}", got.all().len())
}

/// The ticket's message for `event`, once `done`.
async fn message(
    admin: &Session,
    ticket: &str,
    event: &str,
    done: impl Fn(&Value) -> bool,
) -> anyhow::Result<Value> {
    for _ in 0..100 {
        let (_, list) = admin
            .json(&format!("/api/v1/messages?ticket_id={ticket}"))
            .await?;
        if let Some(m) = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["event"] == event && done(m))
        {
            return Ok(m.clone());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    anyhow::bail!("no {event} message as expected")
}

async fn webhook(
    app: &TestApp,
    path: &str,
    body: &Value,
    signature: Option<String>,
) -> anyhow::Result<(u16, Value)> {
    let raw = serde_json::to_vec(body)?;
    let mut request = app
        .client
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(raw);
    if let Some(s) = signature {
        request = request.header("x-hub-signature-256", s);
    }
    let r = request.send().await?;
    let status = r.status().as_u16();
    Ok((status, r.json().await.unwrap_or(Value::Null)))
}

fn signed(body: &Value) -> anyhow::Result<String> {
    Ok(netcrew_notify::cloud::sign(
        APP_SECRET,
        &serde_json::to_vec(body)?,
    ))
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

async fn the_cloud_api_sends_templates_and_takes_only_signed_webhooks(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;
    let (got, base) = fakes().await?;
    let cloud = |secret: Option<&str>| {
        let mut g = json!({"kind": "cloud", "base_url": format!("{base}/v21.0"),
            "phone_number_id": "1098765432", "token": ACCESS_TOKEN});
        if let Some(s) = secret {
            g["app_secret"] = json!(s);
        }
        g
    };
    let channel = |gateways: Value, templates: Value| {
        json!({"enabled": true, "gateways": gateways, "quiet_start": null, "quiet_end": null,
            "daily_limit": 20, "sender_name": "NetFiber", "templates": templates})
    };
    let fonnte = json!({"kind": "fonnte", "base_url": base, "token": "fonnte-token"});
    let templates = json!({"ticket_received":
        {"name": "tiket_diterima", "language": "id", "params": ["name", "number"]}});

    // Bad input: nothing is saved.
    for (body, field) in [
        (
            channel(
                json!([cloud(Some(APP_SECRET))]),
                json!({"ticket_received":
                {"name": "tiket_diterima", "language": "id", "params": ["nama"]}}),
            ),
            "templates.ticket_received.params[0]",
        ),
        (
            channel(
                json!([cloud(Some(APP_SECRET))]),
                json!({"ticket_received":
                {"name": "Tiket Diterima", "language": "id", "params": []}}),
            ),
            "templates.ticket_received.name",
        ),
        (
            channel(json!([cloud(None)]), templates.clone()),
            "gateways[0].app_secret",
        ),
        (
            channel(
                json!([{"kind": "cloud", "token": ACCESS_TOKEN, "app_secret": APP_SECRET}]),
                templates.clone(),
            ),
            "gateways[0].phone_number_id",
        ),
    ] {
        let r = admin
            .send(Method::PUT, "/api/v1/channels/whatsapp", Some(body))
            .await?;
        let status = r.status().as_u16();
        let out: Value = r.json().await?;
        assert_eq!(status, 422, "{out}");
        assert!(
            out["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["field"] == field),
            "{field}: {out}"
        );
    }
    let (_, before) = admin.json("/api/v1/channels/whatsapp").await?;
    assert_eq!(before["enabled"], false, "{before}");

    let r = admin
        .send(
            Method::PUT,
            "/api/v1/channels/whatsapp",
            Some(channel(
                json!([cloud(Some(APP_SECRET)), fonnte]),
                templates.clone(),
            )),
        )
        .await?;
    let saved: Value = r.json().await?;
    assert_eq!(saved["templates"], templates, "{saved}");
    assert_eq!(saved["gateways"][0]["phone_number_id"], "1098765432");
    for secret in [APP_SECRET, ACCESS_TOKEN, "fonnte-token"] {
        assert!(!saved.to_string().contains(secret), "{saved}");
    }
    let hook_path = text(&saved["webhooks"]["cloud"])?.to_string();
    let verify_token = text(&saved["webhooks"]["cloud_verify_token"])?.to_string();

    // Meta checks the callback URL.
    let r = app
        .client
        .get(app.url(&format!(
            "{hook_path}?hub.mode=subscribe&hub.verify_token={verify_token}&hub.challenge=8765"
        )))
        .send()
        .await?;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await?, "8765");
    let r = app
        .client
        .get(app.url(&format!(
            "{hook_path}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=8765"
        )))
        .send()
        .await?;
    assert_eq!(r.status(), 403);

    // A report: the mapped template, with the customer's name and the
    // ticket number, through the Cloud API with its token.
    let r = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet mati, lampu LOS merah"})),
        )
        .await?;
    anyhow::ensure!(r.status() == 201);
    let t: Value = r.json().await?;
    let id = text(&t["id"])?.to_string();
    let number = text(&t["number"])?.to_string();
    let received = message(&admin, &id, "ticket_received", |m| m["status"] == "sent").await?;
    assert_eq!(received["provider"], "cloud");
    let sent = wait_for_got(&got, 1).await?;
    let (gateway, authorization, body) = &sent[0];
    assert_eq!(gateway, "cloud");
    assert_eq!(authorization, &format!("Bearer {ACCESS_TOKEN}"));
    assert_eq!(body["phone_number_id"], "1098765432");
    assert_eq!(body["type"], "template");
    assert_eq!(body["template"]["name"], "tiket_diterima");
    let params = &body["template"]["components"][0]["parameters"];
    assert_eq!(params[1]["text"], number.as_str(), "{body}");
    assert!(!text(&params[0]["text"])?.is_empty(), "{body}");
    let phone = text(&received["recipient"])?.to_string();
    assert_eq!(body["to"], phone.trim_start_matches('+'));

    // No template for the assignment, and the customer has not written:
    // the Cloud API cannot take it, Fonnte sends it as text.
    let (_, tech) = technician.json("/api/v1/me").await?;
    let (_, seen) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    let t = step(
        &supervisor,
        &seen,
        json!({"to": "assigned", "technician_id": tech["id"]}),
    )
    .await?;
    let assigned = message(&admin, &id, "technician_assigned", |m| {
        m["status"] == "sent"
    })
    .await?;
    assert_eq!(assigned["provider"], "fonnte", "{assigned}");

    // Webhooks: only with the app secret's signature.
    let status = json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {"statuses": [
            {"id": received["provider_message_id"], "status": "read"}]}}]}]});
    let (code, _) = webhook(app, &hook_path, &status, None).await?;
    assert_eq!(code, 403);
    let forged = netcrew_notify::cloud::sign("not-the-secret", &serde_json::to_vec(&status)?);
    let (code, _) = webhook(app, &hook_path, &status, Some(forged)).await?;
    assert_eq!(code, 403);
    let (code, _) = webhook(
        app,
        "/api/v1/webhooks/whatsapp/cloud/wrong-secret",
        &status,
        Some(signed(&status)?),
    )
    .await?;
    assert_eq!(code, 404);
    let (_, unchanged) = admin
        .json(&format!("/api/v1/messages?ticket_id={id}"))
        .await?;
    assert!(
        !unchanged.to_string().contains("\"read\""),
        "a refused webhook changed nothing: {unchanged}"
    );
    let (code, answer) = webhook(app, &hook_path, &status, Some(signed(&status)?)).await?;
    assert_eq!(code, 200, "{answer}");
    assert_eq!(answer["outcome"], "status");
    message(&admin, &id, "ticket_received", |m| m["status"] == "read").await?;

    // The customer writes: attached to their open ticket, and the window
    // opens, so the next event goes through the Cloud API as text.
    let inbound = json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {
            "contacts": [{"profile": {"name": "Pelanggan"}, "wa_id": phone.trim_start_matches('+')}],
            "messages": [{"from": phone.trim_start_matches('+'), "id": "wamid.IN1",
                          "type": "text", "text": {"body": "Kapan teknisinya datang?"}}]}}]}]});
    let (code, answer) = webhook(app, &hook_path, &inbound, Some(signed(&inbound)?)).await?;
    assert_eq!(code, 200);
    assert_eq!(answer["outcome"], "attached", "{answer}");
    // The same call again is taken once.
    let (_, again) = webhook(app, &hook_path, &inbound, Some(signed(&inbound)?)).await?;
    assert_eq!(again["outcome"], "duplicate", "{again}");

    // The comment it became changed the ticket.
    let _ = t;
    let (_, t) = technician.json(&format!("/api/v1/tickets/{id}")).await?;
    let t = step(&technician, &t, json!({"to": "accepted"})).await?;
    step(&technician, &t, json!({"to": "en_route"})).await?;
    let on_way = message(&admin, &id, "on_the_way", |m| m["status"] == "sent").await?;
    assert_eq!(on_way["provider"], "cloud", "{on_way}");
    let all = got.all();
    let (_, _, last) = all
        .iter()
        .rev()
        .find(|(g, _, _)| g == "cloud")
        .ok_or_else(|| anyhow::anyhow!("no cloud message"))?;
    assert_eq!(last["type"], "text", "{last}");
    assert_eq!(last["text"]["body"], on_way["body"]);
    Ok(())
}
