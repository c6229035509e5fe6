use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    retried_creates_return_the_first_answer,
    a_retry_after_signing_in_again_is_recognised,
    parallel_requests_with_one_key_do_the_work_once,
);

async fn retried_creates_return_the_first_answer(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let package = app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone();
    let body = json!({
        "name": "Dewi Anggraeni", "phone": "0896 5555 1212", "address": "Jl. Cihampelas No. 160",
        "location": {"lat": -6.8960, "lng": 107.6040}, "package_id": package
    });
    let post = |key: &str, body: &Value| {
        cs.client
            .post(cs.url("/api/v1/customers"))
            .header("x-csrf-token", &cs.csrf)
            .header("idempotency-key", key)
            .json(body)
            .send()
    };
    let before = cs
        .get("/api/v1/customers?limit=1")
        .await?
        .json::<Value>()
        .await?["total"]
        .as_u64()
        .unwrap_or(0);
    let first = post("0b7f5a1e-offline-1", &body).await?;
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let location = first.headers()["location"].clone();
    let first: Value = first.json().await?;
    let again = post("0b7f5a1e-offline-1", &body).await?;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    let again: Value = again.json().await?;
    assert_eq!(again["id"], first["id"]);
    let after = cs
        .get("/api/v1/customers?limit=1")
        .await?
        .json::<Value>()
        .await?["total"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(after, before + 1, "created once");

    let mut other = body.clone();
    other["name"] = json!("Someone Else");
    assert_problem(
        post("0b7f5a1e-offline-1", &other).await?,
        422,
        "/problems/idempotency-key-reused",
    )
    .await?;

    // Keys are per caller: another user's same key is a new request.
    let other_cs = app.signed_in("admin").await?;
    let mut third = body.clone();
    third["phone"] = json!("0896 5555 3434");
    let theirs = other_cs
        .client
        .post(other_cs.url("/api/v1/customers"))
        .header("x-csrf-token", &other_cs.csrf)
        .header("idempotency-key", "0b7f5a1e-offline-1")
        .json(&third)
        .send()
        .await?;
    assert_eq!(theirs.status(), 201);
    assert!(!theirs.headers().contains_key("idempotent-replayed"));

    // A refused request is remembered as refused.
    let bad = json!({"name": ""});
    assert_eq!(post("bad-1", &bad).await?.status(), 422);
    let replay = post("bad-1", &bad).await?;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_problem(replay, 422, "/problems/validation").await?;
    // Answers with secrets are never stored: the key is ignored there.
    let admin = app.signed_in("admin").await?;
    let mint = || {
        admin
            .client
            .post(admin.url("/api/v1/api-tokens"))
            .header("x-csrf-token", &admin.csrf)
            .header("idempotency-key", "token-1")
            .json(&json!({"name": "Sinkron", "scopes": ["users.read"]}))
            .send()
    };
    let (a, b): (Value, Value) = (mint().await?.json().await?, mint().await?.json().await?);
    assert_ne!(a["token"], b["token"]);
    let too_long = post(&"k".repeat(300), &body).await?;
    assert_problem(too_long, 422, "/problems/validation").await?;
    Ok(())
}

fn customer_body(phone: &str, package: &Value) -> Value {
    json!({
        "name": "Rina Marlina", "phone": phone, "address": "Jl. Dago No. 12",
        "location": {"lat": -6.8960, "lng": 107.6040}, "package_id": package
    })
}

async fn customers_with_phone(app: &TestApp, phone: &str) -> anyhow::Result<u64> {
    let cs = app.signed_in("cs").await?;
    let found: Value = cs
        .get(&format!(
            "/api/v1/customers?q={}",
            phone.replace('+', "%2B")
        ))
        .await?
        .json()
        .await?;
    found["total"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("no total in {found}"))
}

/// The technician app's queue replays after the session ended: the key
/// belongs to the account, not to the cookie.
async fn a_retry_after_signing_in_again_is_recognised(app: &TestApp) -> anyhow::Result<()> {
    let package = app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone();
    let body = customer_body("0896 7777 1001", &package);
    let send = |s: &crate::support::Session| {
        s.client
            .post(s.url("/api/v1/customers"))
            .header("x-csrf-token", &s.csrf)
            .header("idempotency-key", "queue-item-41")
            .json(&body)
            .send()
    };
    let first_session = app.signed_in("cs").await?;
    let first = send(&first_session).await?;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await?;
    let second_session = app.signed_in("cs").await?;
    let again = send(&second_session).await?;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await?;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(customers_with_phone(app, "+6289677771001").await?, 1);
    Ok(())
}

async fn parallel_requests_with_one_key_do_the_work_once(app: &TestApp) -> anyhow::Result<()> {
    let package = app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone();
    let body = customer_body("0896 7777 2002", &package);
    let cs = app.signed_in("cs").await?;
    let send = || {
        cs.client
            .post(cs.url("/api/v1/customers"))
            .header("x-csrf-token", &cs.csrf)
            .header("idempotency-key", "queue-item-42")
            .json(&body)
            .send()
    };
    let answers = futures::future::join_all((0..6).map(|_| send())).await;
    let mut created = Vec::new();
    for a in answers {
        let a = a?;
        match a.status().as_u16() {
            201 => created.push(a.json::<Value>().await?["id"].clone()),
            409 => {
                assert_problem(a, 409, "/problems/idempotency-in-progress").await?;
            }
            other => anyhow::bail!("unexpected {other}"),
        }
    }
    assert!(!created.is_empty());
    assert!(created.iter().all(|id| *id == created[0]), "{created:?}");
    assert_eq!(customers_with_phone(app, "+6289677772002").await?, 1);
    Ok(())
}
