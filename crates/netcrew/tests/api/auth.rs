use reqwest::Method;
use serde_json::json;

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    sign_in_with_email_or_local_phone_then_sign_out,
    wrong_password_and_unknown_account_answer_alike,
    repeated_failures_are_throttled_per_account,
    parallel_sign_ins_cannot_pass_the_throttle,
    writes_need_the_csrf_token,
    sign_in_replaces_an_existing_session,
    sessions_can_be_listed_and_ended_elsewhere,
    password_change_rules,
    malformed_login_bodies,
    expired_sessions_and_reset_links_are_refused,
);

async fn login(app: &TestApp, login: &str, password: &str) -> anyhow::Result<reqwest::Response> {
    Ok(app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await?)
}

async fn sign_in_with_email_or_local_phone_then_sign_out(app: &TestApp) -> anyhow::Result<()> {
    let (email, password) = app.account("admin")?;
    let response = login(app, &email.to_uppercase(), &password).await?;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str()?.to_string();
    assert!(cookie.starts_with("nc_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: serde_json::Value = response.json().await?;
    assert_eq!(me["role"], "admin");
    assert!(
        me["permissions"]
            .as_array()
            .is_some_and(|p| p.contains(&json!("users.manage")))
    );

    let (_, me) = app.get_json("/api/v1/me").await?;
    assert_eq!(me["email"], email.as_str());
    let csrf = crate::support::text(&me["csrf_token"])?.to_string();

    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", csrf)
        .send()
        .await?;
    assert_eq!(logout.status(), 204);
    assert_problem(
        app.get("/api/v1/me").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;

    // A customer signs in with the phone number written the local way.
    let (phone, password) = app.account("customer")?;
    let local = format!("0{}", phone.trim_start_matches("+62"));
    let response = login(app, &local, &password).await?;
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = response.json().await?;
    assert_eq!(me["role"], "customer");
    assert!(me["customer_id"].is_string());
    Ok(())
}

async fn wrong_password_and_unknown_account_answer_alike(app: &TestApp) -> anyhow::Result<()> {
    let (email, _) = app.account("cs")?;
    let wrong = assert_problem(
        login(app, &email, "not-the-password").await?,
        401,
        "/problems/invalid-credentials",
    )
    .await?;
    let unknown = assert_problem(
        login(app, "nobody@fibernusa.example", "not-the-password").await?,
        401,
        "/problems/invalid-credentials",
    )
    .await?;
    assert_eq!(wrong["detail"], unknown["detail"]);
    assert_problem(
        app.get("/api/v1/me").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    Ok(())
}

async fn repeated_failures_are_throttled_per_account(app: &TestApp) -> anyhow::Result<()> {
    let (email, password) = app.account("supervisor")?;
    for _ in 0..5 {
        assert_eq!(login(app, &email, "wrong-password-1").await?.status(), 401);
    }
    let throttled = login(app, &email, &password).await?;
    assert_eq!(throttled.status(), 429);
    let retry: u64 = throttled.headers()["retry-after"].to_str()?.parse()?;
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    assert_problem(throttled, 429, "/problems/too-many-requests").await?;
    // Another account from the same address is not locked out.
    let (other, other_password) = app.account("technician")?;
    assert_eq!(login(app, &other, &other_password).await?.status(), 200);
    Ok(())
}

/// Counting and checking are one atomic step: a burst of parallel guesses
/// gets exactly as many tries as the limit, and a right password hidden in
/// the burst gets in only if it was among them.
async fn parallel_sign_ins_cannot_pass_the_throttle(app: &TestApp) -> anyhow::Result<()> {
    let (email, _) = app.account("supervisor")?;
    // 25 from one address: under the address limit (30), so only the
    // account's limit decides.
    let attempts = (0..25).map(|_| login(app, &email, "wrong-password-1"));
    let statuses: Vec<u16> = futures_join(attempts).await?;
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((wrong, throttled), (5, 20), "{statuses:?}");

    // 29 wrong guesses and the right password at once, on another account.
    let (cs, cs_password) = app.account("cs")?;
    let mut guesses: Vec<String> = (0..29).map(|n| format!("wrong-guess-{n}")).collect();
    guesses.insert(17, cs_password);
    let statuses = futures_join(guesses.iter().map(|p| login(app, &cs, p))).await?;
    let answered = statuses.iter().filter(|s| **s != 429).count();
    assert!(answered <= 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [200, 401, 429].contains(s)),
        "{statuses:?}"
    );
    Ok(())
}

async fn futures_join<F>(requests: impl Iterator<Item = F>) -> anyhow::Result<Vec<u16>>
where
    F: std::future::Future<Output = anyhow::Result<reqwest::Response>> + Send,
{
    let mut set = Vec::new();
    for r in requests {
        set.push(r);
    }
    let answers = futures::future::join_all(set).await;
    answers
        .into_iter()
        .map(|r| r.map(|r| r.status().as_u16()))
        .collect()
}

async fn writes_need_the_csrf_token(app: &TestApp) -> anyhow::Result<()> {
    let session = app.signed_in("technician").await?;
    let without = session
        .client
        .patch(session.url("/api/v1/me"))
        .json(&json!({ "name": "Asep Teknisi" }))
        .send()
        .await?;
    assert_problem(without, 403, "/problems/csrf").await?;
    let wrong = session
        .client
        .patch(session.url("/api/v1/me"))
        .header("x-csrf-token", "guess")
        .json(&json!({ "name": "Asep Teknisi" }))
        .send()
        .await?;
    assert_problem(wrong, 403, "/problems/csrf").await?;
    let (_, me) = (
        0,
        session
            .get("/api/v1/me")
            .await?
            .json::<serde_json::Value>()
            .await?,
    );
    assert_ne!(
        me["name"], "Asep Teknisi",
        "a refused write changed nothing"
    );

    let ok = session
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "name": "Asep Teknisi", "locale": "en" })),
        )
        .await?;
    assert_eq!(ok.status(), 200);
    let me: serde_json::Value = ok.json().await?;
    assert_eq!(
        (me["name"].as_str(), me["locale"].as_str()),
        (Some("Asep Teknisi"), Some("en"))
    );

    let bad = session
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "name": " ", "locale": "fr" })),
        )
        .await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"].as_array().map(Vec::len), Some(2));
    Ok(())
}

async fn sign_in_replaces_an_existing_session(app: &TestApp) -> anyhow::Result<()> {
    let first = app.signed_in("management").await?;
    let first_cookie = first.client.get(first.url("/api/v1/me")).send().await?;
    assert_eq!(first_cookie.status(), 200);
    // Signing in again with the same browser gives a new session id and ends the old one.
    let (login_name, password) = app.account("management")?;
    let old_sessions: serde_json::Value = first.get("/api/v1/me/sessions").await?.json().await?;
    let old_id = old_sessions["items"][0]["id"].clone();
    let again = first
        .client
        .post(first.url("/api/v1/auth/login"))
        .json(&json!({ "login": login_name, "password": password }))
        .send()
        .await?;
    assert_eq!(again.status(), 200);
    let sessions: serde_json::Value = first.get("/api/v1/me/sessions").await?.json().await?;
    assert_eq!(sessions["total"], 1);
    assert_ne!(sessions["items"][0]["id"], old_id);

    // A cookie an attacker planted is never adopted as a session.
    let planted = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", "nc_session=attacker-chosen-value")
        .send()
        .await?;
    assert_problem(planted, 401, "/problems/unauthenticated").await?;
    Ok(())
}

async fn sessions_can_be_listed_and_ended_elsewhere(app: &TestApp) -> anyhow::Result<()> {
    let desk = app.signed_in("cs").await?;
    let phone = app.signed_in("cs").await?;
    let list: serde_json::Value = desk.get("/api/v1/me/sessions").await?.json().await?;
    assert_eq!(list["total"], 2);
    let current: Vec<bool> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["current"] == true)
        .collect();
    assert_eq!(current.iter().filter(|c| **c).count(), 1);

    // Ending a session that is not yours is a 404.
    let other_user = app.signed_in("supervisor").await?;
    let other_list: serde_json::Value = other_user.get("/api/v1/me/sessions").await?.json().await?;
    let foreign = other_list["items"][0]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let refused = desk
        .send(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{foreign}"),
            None,
        )
        .await?;
    assert_problem(refused, 404, "/problems/not-found").await?;
    assert_eq!(other_user.get("/api/v1/me").await?.status(), 200);

    let ended = desk
        .send(Method::DELETE, "/api/v1/me/sessions", None)
        .await?;
    assert_eq!(ended.status(), 204);
    assert_eq!(desk.get("/api/v1/me").await?.status(), 200);
    assert_problem(
        phone.get("/api/v1/me").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    Ok(())
}

async fn password_change_rules(app: &TestApp) -> anyhow::Result<()> {
    let (login_name, password) = app.account("admin")?;
    let session = app.signed_in("admin").await?;
    let other = app.signed_in("admin").await?;
    for (body, field) in [
        (
            json!({ "current_password": "wrong", "new_password": "a fine new passphrase" }),
            "current_password",
        ),
        (
            json!({ "current_password": password, "new_password": password }),
            "new_password",
        ),
        (
            json!({ "current_password": password, "new_password": "short" }),
            "new_password",
        ),
        (
            json!({ "current_password": password, "new_password": "password123" }),
            "new_password",
        ),
    ] {
        let response = session
            .send(Method::POST, "/api/v1/me/password", Some(body))
            .await?;
        let problem = assert_problem(response, 422, "/problems/validation").await?;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let changed = session
        .send(
            Method::POST,
            "/api/v1/me/password",
            Some(json!({ "current_password": password, "new_password": "kabel drop baru 2026" })),
        )
        .await?;
    assert_eq!(changed.status(), 204);
    assert_eq!(
        session.get("/api/v1/me").await?.status(),
        200,
        "this session stays"
    );
    assert_eq!(
        other.get("/api/v1/me").await?.status(),
        401,
        "other sessions end"
    );
    assert_eq!(login(app, &login_name, &password).await?.status(), 401);
    assert_eq!(
        login(app, &login_name, "kabel drop baru 2026")
            .await?
            .status(),
        200
    );
    Ok(())
}

async fn malformed_login_bodies(app: &TestApp) -> anyhow::Result<()> {
    let url = app.url("/api/v1/auth/login");
    let syntax = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"login\":")
        .send()
        .await?;
    assert_problem(syntax, 400, "/problems/malformed-request").await?;
    let no_type = app.client.post(&url).body("{}").send().await?;
    assert_problem(no_type, 415, "/problems/unsupported-media-type").await?;
    let unknown_field = app
        .client
        .post(&url)
        .json(&json!({ "login": "a", "password": "b", "admin": true }))
        .send()
        .await?;
    assert_problem(unknown_field, 422, "/problems/validation").await?;
    let empty = app
        .client
        .post(&url)
        .json(&json!({ "login": " ", "password": "" }))
        .send()
        .await?;
    let problem = assert_problem(empty, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"].as_array().map(Vec::len), Some(2));
    Ok(())
}

async fn expired_sessions_and_reset_links_are_refused(app: &TestApp) -> anyhow::Result<()> {
    use netcrew_store::{
        entity::{password_reset, session},
        sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr},
    };
    let admin = app.signed_in("admin").await?;
    let me: serde_json::Value = admin.get("/api/v1/me").await?.json().await?;
    let id: uuid::Uuid = crate::support::text(&me["id"])?.parse()?;
    // An admin session idle for 31 minutes has ended.
    let long_ago = chrono::Utc::now() - chrono::Duration::minutes(31);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(long_ago))
        .filter(session::Column::UserId.eq(id))
        .exec(app.db.conn())
        .await?;
    let ended = assert_problem(
        admin.get("/api/v1/me").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    assert!(
        ended["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ended"))
    );

    let admin = app.signed_in("admin").await?;
    let users: serde_json::Value = admin
        .get("/api/v1/users?role=cs&limit=1")
        .await?
        .json()
        .await?;
    let cs = users["items"][0]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let issued: serde_json::Value = admin
        .send(
            Method::POST,
            &format!("/api/v1/users/{cs}/password-reset"),
            None,
        )
        .await?
        .json()
        .await?;
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::ExpiresAt, Expr::value(long_ago))
        .exec(app.db.conn())
        .await?;
    let expired = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"token": issued["token"], "new_password": "sambungan fiber baru"}))
        .send()
        .await?;
    let problem = assert_problem(expired, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "token");
    Ok(())
}

#[tokio::test]
async fn behind_a_proxy_throttling_sees_the_real_client() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.trust_forwarded_for = Some(true)).await?;
    let attempt = |client_ip: &'static str, login: String| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("10.9.9.9, {client_ip}"))
            .json(&json!({"login": login, "password": "wrong-guess"}))
            .send()
    };
    // One client tries 30 accounts: then that address is throttled.
    for n in 0..30 {
        attempt("203.0.113.7", format!("guess{n}@fibernusa.example")).await?;
    }
    let blocked = attempt("203.0.113.7", "guess99@fibernusa.example".to_string()).await?;
    assert_eq!(blocked.status(), 429);
    let (admin, _) = app.account("admin")?;
    let events: serde_json::Value = app
        .signed_in("admin")
        .await?
        .get("/api/v1/audit-events?action=auth.login_failed")
        .await?
        .json()
        .await?;
    let ips: Vec<&str> = events["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["actor_ip"].as_str())
        .collect();
    assert_eq!(ips.len(), 30, "{admin}");
    assert!(ips.iter().all(|ip| *ip == "203.0.113.7"));
    // Another client behind the same proxy is not throttled by them.
    let other = attempt("198.51.100.20", "guess99@fibernusa.example".to_string()).await?;
    assert_eq!(other.status(), 401);
    app.stop().await;
    Ok(())
}
