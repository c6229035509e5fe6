use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(retried_creates_return_the_first_answer);

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
