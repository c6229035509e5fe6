//! Personal data (UU PDP): a customer gets what is held about them, and an
//! admin erases it on request, keeping only what must be kept.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem, text},
};

both_backends!(a_customer_gets_their_data_and_an_admin_erases_it);

async fn a_customer_gets_their_data_and_an_admin_erases_it(app: &TestApp) -> anyhow::Result<()> {
    let package = app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone();
    let (day, window) = app.open_windows(-6.8850, 107.6200, 1).await?.remove(0);
    let registered = app
        .client
        .post(app.url("/api/v1/registrations"))
        .json(&json!({
            "name": "Wulan Permataputri", "phone": "0813 4444 9090", "email": "wulan@contoh.id",
            "address": "Jl. Tubagus Ismail No. 8, Coblong", "location": {"lat": -6.8850, "lng": 107.6200},
            "package_id": package, "preferred_date": day, "preferred_window": window,
            "password": "kopi susu gula aren", "website": ""
        }))
        .send()
        .await?;
    assert_eq!(registered.status(), 201);
    let registered: Value = registered.json().await?;
    let id = text(&registered["customer"]["id"])?.to_string();

    // The customer fetches what is held about them; not someone else's.
    let customer = reqwest::Client::builder().cookie_store(true).build()?;
    let login = |password: &'static str| {
        customer
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": "081344449090", "password": password}))
            .send()
    };
    // A mistyped password first: the failed sign-in records the login.
    assert_eq!(login("kopi susu gula arem").await?.status(), 401);
    assert_eq!(login("kopi susu gula aren").await?.status(), 200);
    let own: Value = customer
        .get(app.url(&format!("/api/v1/customers/{id}/personal-data")))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(own["customer"]["name"], "Wulan Permataputri");
    assert_eq!(own["customer"]["phone"], "+6281344449090");
    assert_eq!(own["account"]["email"], "wulan@contoh.id");
    assert!(
        own["history"]
            .as_array()
            .is_some_and(|h| h.iter().any(|e| e["action"] == "registration.create"
                && e["after"]
                    .as_str()
                    .is_some_and(|a| a.contains("Wulan Permataputri")))),
        "{own}"
    );
    assert!(own["customer"]["erased_at"].is_null());
    let cs = app.signed_in("cs").await?;
    let others: Value = cs
        .get("/api/v1/customers?status=active&limit=1")
        .await?
        .json()
        .await?;
    let active_id = text(&others["items"][0]["id"])?.to_string();
    let foreign = customer
        .get(app.url(&format!("/api/v1/customers/{active_id}/personal-data")))
        .send()
        .await?;
    assert_problem(foreign, 404, "/problems/not-found").await?;

    // Only an admin erases, and only someone no longer served.
    let admin = app.signed_in("admin").await?;
    let erase = |target: &str| {
        let path = format!("/api/v1/customers/{target}/erasure");
        let admin = &admin;
        async move { admin.send(Method::POST, &path, None).await }
    };
    assert_problem(erase(&active_id).await?, 409, "/problems/conflict").await?;
    let refused = cs
        .send(
            Method::POST,
            &format!("/api/v1/customers/{id}/erasure"),
            None,
        )
        .await?;
    assert_problem(refused, 403, "/problems/forbidden").await?;

    let erased = erase(&id).await?;
    assert_eq!(erased.status(), 200);
    let erased: Value = erased.json().await?;
    assert_eq!(
        erased["customer_number"],
        registered["customer"]["customer_number"]
    );
    assert_eq!(
        (
            &erased["name"],
            &erased["phone"],
            &erased["email"],
            &erased["address"]
        ),
        (&json!("—"), &json!(""), &Value::Null, &json!(""))
    );
    assert_eq!(erased["status"], "terminated");
    // The audit log of failed sign-ins keep their phone.
    let failed: Value = admin
        .get("/api/v1/audit-events?action=auth.login_failed&limit=500")
        .await?
        .json()
        .await?;
    assert!(failed["items"].as_array().is_some_and(|i| !i.is_empty()));
    assert!(!failed.to_string().contains("81344449090"), "{failed}");
    // Their session ended and they can no longer sign in.
    let after = customer
        .get(app.url(&format!("/api/v1/customers/{id}/personal-data")))
        .send()
        .await?;
    assert_eq!(after.status(), 401);
    assert_eq!(login("kopi susu gula aren").await?.status(), 401);
    // Nobody finds them by their phone or name any more.
    for q in ["Permataputri", "081344449090"] {
        let search: Value = cs
            .get(&format!("/api/v1/customers?q={q}"))
            .await?
            .json()
            .await?;
        assert_eq!(search["total"], 0, "{q}");
    }
    // The history keeps who did what, not the values.
    let kept: Value = admin
        .get(&format!("/api/v1/customers/{id}/personal-data"))
        .await?
        .json()
        .await?;
    assert!(kept["customer"]["erased_at"].is_string());
    let dump = kept.to_string();
    assert!(
        !dump.contains("Permataputri") && !dump.contains("81344449090") && !dump.contains("wulan@"),
        "{dump}"
    );
    assert!(
        kept["history"]
            .as_array()
            .is_some_and(|h| h.iter().any(|e| e["action"] == "customer.erase")),
        "{kept}"
    );
    assert_problem(erase(&id).await?, 409, "/problems/conflict").await?;
    // An erased record is not filled in again.
    let refill = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{id}"),
            Some(json!({"name": "Wulan Permataputri"})),
        )
        .await?;
    assert_problem(refill, 409, "/problems/conflict").await?;
    Ok(())
}
