use reqwest::Method;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(second_factor_set_up_and_sign_in);

fn code_now(secret: &str) -> anyhow::Result<String> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, "t".to_string())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(totp.generate_current()?)
}

async fn login(app: &TestApp, body: Value) -> anyhow::Result<reqwest::Response> {
    Ok(reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&body)
        .send()
        .await?)
}

async fn second_factor_set_up_and_sign_in(app: &TestApp) -> anyhow::Result<()> {
    let (login_name, password) = app.account("technician")?;
    let tech = app.signed_in("technician").await?;
    let wrong = tech
        .send(
            Method::POST,
            "/api/v1/me/totp",
            Some(json!({"password": "nope-nope"})),
        )
        .await?;
    assert_problem(wrong, 422, "/problems/validation").await?;
    let setup: Value = tech
        .send(
            Method::POST,
            "/api/v1/me/totp",
            Some(json!({"password": password})),
        )
        .await?
        .json()
        .await?;
    let secret = crate::support::text(&setup["secret"])?.to_string();
    assert!(
        setup["otpauth_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("otpauth://totp/NetCrew"))
    );
    // Not on until confirmed: signing in still needs only the password.
    assert_eq!(
        login(app, json!({"login": login_name, "password": password}))
            .await?
            .status(),
        200
    );

    let bad = tech
        .send(
            Method::POST,
            "/api/v1/me/totp/confirm",
            Some(json!({"code": "000000"})),
        )
        .await?;
    assert_problem(bad, 422, "/problems/validation").await?;
    let confirmed: Value = tech
        .send(
            Method::POST,
            "/api/v1/me/totp/confirm",
            Some(json!({"code": code_now(&secret)?})),
        )
        .await?
        .json()
        .await?;
    let codes: Vec<String> = confirmed["recovery_codes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect();
    assert_eq!(codes.len(), 10);
    let me: Value = tech.get("/api/v1/me").await?.json().await?;
    assert_eq!(me["totp_enabled"], true);

    let base = json!({"login": login_name, "password": password});
    assert_problem(
        login(app, base.clone()).await?,
        401,
        "/problems/totp-required",
    )
    .await?;
    let mut with = base.clone();
    with["totp_code"] = json!("123456");
    assert_problem(
        login(app, with.clone()).await?,
        401,
        "/problems/invalid-credentials",
    )
    .await?;
    with["totp_code"] = json!(code_now(&secret)?);
    assert_eq!(login(app, with).await?.status(), 200);
    let mut recovery = base.clone();
    recovery["recovery_code"] = json!(codes[0].to_uppercase());
    assert_eq!(login(app, recovery.clone()).await?.status(), 200);
    assert_problem(
        login(app, recovery).await?,
        401,
        "/problems/invalid-credentials",
    )
    .await?;

    let off = tech
        .send(
            Method::DELETE,
            "/api/v1/me/totp",
            Some(json!({"password": password})),
        )
        .await?;
    assert_eq!(off.status(), 204);
    assert_eq!(login(app, base).await?.status(), 200);

    let customer = app.signed_in("customer").await?;
    let (_, customer_password) = app.account("customer")?;
    let refused = customer
        .send(
            Method::POST,
            "/api/v1/me/totp",
            Some(json!({"password": customer_password})),
        )
        .await?;
    assert_problem(refused, 403, "/problems/forbidden").await?;
    Ok(())
}

#[tokio::test]
async fn admins_must_set_up_a_second_factor_when_required() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.require_admin_totp = Some(true)).await?;
    let admin = app.signed_in("admin").await?;
    let me: Value = admin.get("/api/v1/me").await?.json().await?;
    assert_eq!(me["totp_setup_required"], true);
    assert_problem(
        admin.get("/api/v1/users").await?,
        403,
        "/problems/totp-setup-required",
    )
    .await?;
    let (_, password) = app.account("admin")?;
    let setup: Value = admin
        .send(
            Method::POST,
            "/api/v1/me/totp",
            Some(json!({"password": password})),
        )
        .await?
        .json()
        .await?;
    let secret = crate::support::text(&setup["secret"])?;
    let done = admin
        .send(
            Method::POST,
            "/api/v1/me/totp/confirm",
            Some(json!({"code": code_now(secret)?})),
        )
        .await?;
    assert_eq!(done.status(), 200);
    assert_eq!(admin.get("/api/v1/users").await?.status(), 200);
    // Other roles are not held up.
    let supervisor = app.signed_in("supervisor").await?;
    assert_eq!(supervisor.get("/api/v1/users").await?.status(), 200);
    app.stop().await;
    Ok(())
}
