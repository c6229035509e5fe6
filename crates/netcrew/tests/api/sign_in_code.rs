//! Customers signing in with a one-time code sent by WhatsApp, against a
//! local fake of the Fonnte gateway: the code reaches the customer's
//! number only, signs in once, wrong codes wear it out, unknown numbers
//! and staff get nothing, and the delivery log never shows the digits.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Form, Json, Router, extract::State, routing::post};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{both_backends, support::TestApp};

both_backends!(a_customer_signs_in_with_a_code_sent_by_whatsapp);

#[derive(Clone, Default)]
struct Got(Arc<Mutex<Vec<(String, String)>>>);

impl Got {
    fn all(&self) -> Vec<(String, String)> {
        self.0.lock().map(|g| g.clone()).unwrap_or_default()
    }
}

async fn fonnte_send(
    State(got): State<Got>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    if let Ok(mut g) = got.0.lock() {
        g.push((
            form.get("target").cloned().unwrap_or_default(),
            form.get("message").cloned().unwrap_or_default(),
        ));
    }
    Json(json!({"status": true, "id": ["1"]}))
}

async fn fonnte() -> anyhow::Result<(Got, String)> {
    let got = Got::default();
    let app = Router::new()
        .route("/send", post(fonnte_send))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((got, format!("http://{addr}")))
}

/// The code in the `n`th message to `digits`.
async fn code_for(got: &Got, digits: &str, n: usize) -> anyhow::Result<String> {
    for _ in 0..100 {
        let mine: Vec<String> = got
            .all()
            .into_iter()
            .filter(|(to, _)| to == digits)
            .map(|(_, text)| text)
            .collect();
        if let Some(text) = mine.get(n) {
            return Ok(text.chars().take_while(char::is_ascii_digit).collect());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("no code number {n} for {digits}: {:?}", got.all())
}

async fn call(app: &TestApp, path: &str, body: Value) -> anyhow::Result<(u16, Value)> {
    let r = app.client.post(app.url(path)).json(&body).send().await?;
    let status = r.status().as_u16();
    Ok((status, r.json().await.unwrap_or(Value::Null)))
}

async fn a_customer_signs_in_with_a_code_sent_by_whatsapp(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let (got, url) = fonnte().await?;
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/channels/whatsapp",
            Some(
                json!({"enabled": true, "quiet_start": null, "quiet_end": null,
                "daily_limit": 20, "sender_name": "NetFiber",
                "gateways": [{"kind": "fonnte", "base_url": url, "token": "t"}]}),
            ),
        )
        .await?;
    anyhow::ensure!(r.status() == 200);
    let (phone, _) = app.account("customer")?;
    anyhow::ensure!(phone.starts_with("+62"), "{phone}");
    let digits = phone.trim_start_matches('+').to_string();
    let local = format!("0{}", &phone[3..]);

    // Unknown numbers and staff get nothing; the answer is the same.
    let (status, _) = call(app, "/api/v1/auth/code", json!({"phone": "081299990000"})).await?;
    assert_eq!(status, 202);
    let (status, _) = call(app, "/api/v1/auth/code", json!({"phone": local})).await?;
    assert_eq!(status, 202);
    let code = code_for(&got, &digits, 0).await?;
    assert_eq!(code.len(), 6, "{:?}", got.all());
    assert_eq!(got.all().len(), 1, "{:?}", got.all());
    assert!(
        got.all()[0].1.contains("kode masuk NetFiber"),
        "{:?}",
        got.all()
    );

    // The delivery log never shows the digits.
    let (_, log) = admin.json("/api/v1/messages?limit=5").await?;
    assert!(!log.to_string().contains(&code), "{log}");
    assert!(log.to_string().contains("sign_in_code"), "{log}");

    // A wrong code, then the right one, then the right one again.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, _) = call(
        app,
        "/api/v1/auth/code/sign-in",
        json!({"phone": phone, "code": wrong}),
    )
    .await?;
    assert_eq!(status, 401);
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let r = client
        .post(app.url("/api/v1/auth/code/sign-in"))
        .json(&json!({"phone": local, "code": code}))
        .send()
        .await?;
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await?;
    assert_eq!(me["role"], "customer", "{me}");
    let r = client.get(app.url("/api/v1/me")).send().await?;
    assert_eq!(r.status(), 200);
    let (status, _) = call(
        app,
        "/api/v1/auth/code/sign-in",
        json!({"phone": phone, "code": code}),
    )
    .await?;
    assert_eq!(status, 401, "a code works once");

    // Five wrong codes use a code up (and the number's failed sign-ins
    // are limited as passwords' are).
    let (status, _) = call(app, "/api/v1/auth/code", json!({"phone": phone})).await?;
    assert_eq!(status, 202);
    let code = code_for(&got, &digits, 1).await?;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, _) = call(
            app,
            "/api/v1/auth/code/sign-in",
            json!({"phone": phone, "code": wrong}),
        )
        .await?;
        assert!(status == 401 || status == 429, "{status}");
    }
    let (status, body) = call(
        app,
        "/api/v1/auth/code/sign-in",
        json!({"phone": phone, "code": code}),
    )
    .await?;
    assert!(status == 401 || status == 429, "{status}: {body}");

    // Bad input.
    let (status, body) = call(app, "/api/v1/auth/code", json!({"phone": "bukan nomor"})).await?;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "phone");
    let (status, body) = call(
        app,
        "/api/v1/auth/code/sign-in",
        json!({"phone": phone, "code": "12ab56"}),
    )
    .await?;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "code");

    // The admin words the code's message; a wording without the code is
    // refused, and the next code comes in the admin's words.
    let path = "/api/v1/message-templates/sign_in_code/id";
    let r = admin
        .send(
            Method::PUT,
            path,
            Some(json!({"body": "Kode masuk {{ isp }} sudah dikirim."})),
        )
        .await?;
    assert_eq!(r.status(), 422);
    let refused: Value = r.json().await?;
    assert_eq!(refused["errors"][0]["code"], "required", "{refused}");
    let r = admin
        .send(
            Method::PUT,
            path,
            Some(json!({"body": "{{ code }} = kode {{ isp }} (berlaku {{ minutes }} menit)."})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let (status, _) = call(app, "/api/v1/auth/code", json!({"phone": phone})).await?;
    assert_eq!(status, 202);
    let code = code_for(&got, &digits, 2).await?;
    assert!(
        got.all()
            .iter()
            .any(|(_, text)| *text == format!("{code} = kode NetFiber (berlaku 5 menit).")),
        "{:?}",
        got.all()
    );
    Ok(())
}
