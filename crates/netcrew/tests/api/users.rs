use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    admins_list_search_and_filter_users,
    supervisors_see_only_their_teams,
    create_user_validates_and_writes_nothing_on_bad_input,
    deactivation_ends_sessions_and_sign_in,
    forced_password_reset_link_works_once,
    teams_can_be_created_and_renamed,
    api_tokens_are_scoped_and_revocable,
    audit_log_records_changes_with_before_and_after,
);

async fn admins_list_search_and_filter_users(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let all: Value = admin.get("/api/v1/users?limit=500").await?.json().await?;
    assert!(
        all["total"].as_u64().is_some_and(|t| t > 30),
        "{}",
        all["total"]
    );

    let techs: Value = admin
        .get("/api/v1/users?role=technician")
        .await?
        .json()
        .await?;
    assert!(
        techs["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|u| u["role"] == "technician")
    );
    assert_eq!(
        techs["total"],
        app.demo.staff as u64 - 16,
        "technicians = staff - 14 office staff - 2 storekeepers"
    );
    let first = &techs["items"][0];
    assert_eq!(first["team_ids"].as_array().map(Vec::len), Some(1));

    // Search by a local-format phone number and by part of the name.
    let phone = crate::support::text(&first["phone"])?;
    let local = format!("0{}", &phone[3..]);
    let found: Value = admin
        .get(&format!("/api/v1/users?q={local}"))
        .await?
        .json()
        .await?;
    assert_eq!(found["items"][0]["id"], first["id"]);
    let name_part = first["name"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let found: Value = admin
        .get(&format!("/api/v1/users?q={name_part}&role=technician"))
        .await?
        .json()
        .await?;
    assert!(
        found["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|u| u["id"] == first["id"])
    );

    // Digits inside a name are not a phone search.
    let odd: Value = admin
        .get("/api/v1/users?q=Rina%20Uji%20mfx1a2b3c")
        .await?
        .json()
        .await?;
    assert_eq!(odd["total"], 0, "{odd}");
    let team = crate::support::text(&first["team_ids"][0])?;
    let in_team: Value = admin
        .get(&format!("/api/v1/users?team_id={team}"))
        .await?
        .json()
        .await?;
    assert!(in_team["items"].as_array().into_iter().flatten().all(|u| {
        u["team_ids"]
            .as_array()
            .is_some_and(|t| t.contains(&json!(team)))
    }));

    assert_problem(
        admin.get("/api/v1/users?status=gone").await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_problem(
        admin.get("/api/v1/users?role=king").await?,
        422,
        "/problems/validation",
    )
    .await?;
    for role in ["cs", "technician", "customer"] {
        let session = app.signed_in(role).await?;
        assert_problem(
            session.get("/api/v1/users").await?,
            403,
            "/problems/forbidden",
        )
        .await?;
    }
    Ok(())
}

async fn supervisors_see_only_their_teams(app: &TestApp) -> anyhow::Result<()> {
    let supervisor = app.signed_in("supervisor").await?;
    let me: Value = supervisor.get("/api/v1/me").await?.json().await?;
    let my_teams = me["team_ids"].as_array().cloned().unwrap_or_default();
    assert_eq!(my_teams.len(), 2);
    let seen: Value = supervisor
        .get("/api/v1/users?limit=500")
        .await?
        .json()
        .await?;
    let items = seen["items"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty());
    for u in &items {
        let shares = u["team_ids"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| my_teams.contains(x)));
        assert!(shares || u["id"] == me["id"], "{u}");
    }
    // Someone outside those teams is not found, not merely forbidden.
    let admin = app.signed_in("admin").await?;
    let all: Value = admin
        .get("/api/v1/users?role=technician&limit=500")
        .await?
        .json()
        .await?;
    let outsider = all["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| {
            !u["team_ids"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| my_teams.contains(x)))
        })
        .ok_or_else(|| anyhow::anyhow!("no outsider"))?;
    let id = crate::support::text(&outsider["id"])?;
    assert_problem(
        supervisor.get(&format!("/api/v1/users/{id}")).await?,
        404,
        "/problems/not-found",
    )
    .await?;
    assert_problem(
        supervisor
            .send(
                Method::PATCH,
                &format!("/api/v1/users/{id}"),
                Some(json!({"name": "x"})),
            )
            .await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    Ok(())
}

async fn create_user_validates_and_writes_nothing_on_bad_input(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let before: Value = admin.get("/api/v1/users?limit=1").await?.json().await?;
    let (existing_email, _) = app.account("cs")?;
    let bad = admin
        .send(
            Method::POST,
            "/api/v1/users",
            Some(json!({
                "name": " ", "email": existing_email, "phone": "12ab", "role": "wizard",
                "team_ids": [uuid::Uuid::now_v7()], "password": "123",
            })),
        )
        .await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for field in ["name", "email", "phone", "role", "password", "team_ids"] {
        assert!(fields.contains(&field), "{field} not reported: {problem}");
    }
    // Each reason has a stable code, for clients to say it in their language.
    let code_of = |field: &str| {
        problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["field"] == field)
            .and_then(|e| e["code"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        ["name", "email", "phone", "role", "password", "team_ids"].map(code_of),
        [
            "required",
            "taken",
            "phone",
            "choice",
            "password_short",
            "unknown"
        ]
    );
    let after: Value = admin.get("/api/v1/users?limit=1").await?.json().await?;
    assert_eq!(before["total"], after["total"], "nothing was written");

    let created = admin
        .send(
            Method::POST,
            "/api/v1/users",
            Some(json!({
                "name": "Ujang Permana", "email": "Ujang.Permana@FiberNusa.example", "phone": "0813-2222-3333",
                "role": "technician", "password": "tiang listrik miring",
            })),
        )
        .await?;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str()?.to_string();
    let user: Value = created.json().await?;
    assert_eq!(
        location,
        format!("/api/v1/users/{}", crate::support::text(&user["id"])?)
    );
    assert_eq!(
        (user["email"].as_str(), user["phone"].as_str()),
        (
            Some("ujang.permana@fibernusa.example"),
            Some("+6281322223333")
        )
    );
    let fetched: Value = admin.get(&location).await?.json().await?;
    assert_eq!(fetched["name"], "Ujang Permana");

    let again = admin
        .send(Method::POST, "/api/v1/users", Some(json!({
            "name": "Lain", "phone": "+6281322223333", "role": "cs", "password": "tiang listrik miring",
        })))
        .await?;
    let problem = assert_problem(again, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "phone");
    Ok(())
}

async fn deactivation_ends_sessions_and_sign_in(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let tech = app.signed_in("technician").await?;
    let me: Value = tech.get("/api/v1/me").await?.json().await?;
    let id = crate::support::text(&me["id"])?.to_string();
    let off = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(json!({"active": false})),
        )
        .await?;
    assert_eq!(off.status(), 200);
    assert_problem(
        tech.get("/api/v1/me").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    let (login, password) = app.account("technician")?;
    let refused = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await?;
    assert_problem(refused, 401, "/problems/invalid-credentials").await?;
    let inactive: Value = admin
        .get("/api/v1/users?status=inactive")
        .await?
        .json()
        .await?;
    assert_eq!(inactive["total"], 1);
    assert_eq!(
        admin
            .send(
                Method::PATCH,
                &format!("/api/v1/users/{id}"),
                Some(json!({"active": true}))
            )
            .await?
            .status(),
        200
    );
    assert!(app.signed_in("technician").await.is_ok());

    // An admin cannot lock themselves out.
    let my_id = admin.get("/api/v1/me").await?.json::<Value>().await?["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let self_off = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{my_id}"),
            Some(json!({"active": false})),
        )
        .await?;
    assert_problem(self_off, 409, "/problems/conflict").await?;
    let demote = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{my_id}"),
            Some(json!({"role": "cs"})),
        )
        .await?;
    assert_problem(demote, 409, "/problems/conflict").await?;
    Ok(())
}

async fn forced_password_reset_link_works_once(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let cs = app.signed_in("cs").await?;
    let id = cs.get("/api/v1/me").await?.json::<Value>().await?["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let issued = admin
        .send(
            Method::POST,
            &format!("/api/v1/users/{id}/password-reset"),
            None,
        )
        .await?;
    assert_eq!(issued.status(), 201);
    let issued: Value = issued.json().await?;
    let token = crate::support::text(&issued["token"])?.to_string();
    assert!(
        issued["reset_path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&token))
    );
    assert_eq!(cs.get("/api/v1/me").await?.status(), 401, "sessions ended");
    let (login, old_password) = app.account("cs")?;
    let old = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": login, "password": old_password}))
        .send()
        .await?;
    assert_eq!(old.status(), 401, "old password no longer works");

    let url = app.url("/api/v1/auth/password-reset");
    let weak = app
        .client
        .post(&url)
        .json(&json!({"token": token, "new_password": "12345678"}))
        .send()
        .await?;
    assert_eq!(
        assert_problem(weak, 422, "/problems/validation").await?["errors"][0]["field"],
        "new_password"
    );
    let done = app
        .client
        .post(&url)
        .json(&json!({"token": token, "new_password": "sambungan fiber baru"}))
        .send()
        .await?;
    assert_eq!(done.status(), 204);
    let reused = app
        .client
        .post(&url)
        .json(&json!({"token": token, "new_password": "sambungan fiber lain"}))
        .send()
        .await?;
    assert_eq!(
        assert_problem(reused, 422, "/problems/validation").await?["errors"][0]["field"],
        "token"
    );
    let forged = app
        .client
        .post(&url)
        .json(&json!({"token": "forged", "new_password": "sambungan fiber lain"}))
        .send()
        .await?;
    assert_problem(forged, 422, "/problems/validation").await?;
    let signed = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": login, "password": "sambungan fiber baru"}))
        .send()
        .await?;
    assert_eq!(signed.status(), 200);
    Ok(())
}

async fn teams_can_be_created_and_renamed(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let teams: Value = admin.get("/api/v1/teams").await?.json().await?;
    assert_eq!(teams["total"], 8);
    assert!(
        teams["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["member_count"].as_i64().is_some_and(|n| n >= 1))
    );
    let areas: Value = app.get_json("/api/v1/areas").await?.1;
    let area = areas["items"][0]["id"].clone();
    let created = admin
        .send(
            Method::POST,
            "/api/v1/teams",
            Some(json!({"name": "Tim Malam", "area_id": area})),
        )
        .await?;
    assert_eq!(created.status(), 201);
    let team: Value = created.json().await?;
    let dup = admin
        .send(
            Method::POST,
            "/api/v1/teams",
            Some(json!({"name": "Tim Malam"})),
        )
        .await?;
    assert_eq!(
        assert_problem(dup, 422, "/problems/validation").await?["errors"][0]["field"],
        "name"
    );
    let id = crate::support::text(&team["id"])?;
    let renamed = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/teams/{id}"),
            Some(json!({"name": "Tim Siaga Malam", "area_id": null})),
        )
        .await?;
    let renamed: Value = renamed.json().await?;
    assert_eq!(
        (renamed["name"].as_str(), renamed["area_id"].is_null()),
        (Some("Tim Siaga Malam"), true)
    );
    let tech = app.signed_in("technician").await?;
    assert_eq!(tech.get("/api/v1/teams").await?.status(), 200);
    assert_problem(
        tech.send(Method::POST, "/api/v1/teams", Some(json!({"name": "x"})))
            .await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    Ok(())
}

async fn api_tokens_are_scoped_and_revocable(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let bad = admin
        .send(
            Method::POST,
            "/api/v1/api-tokens",
            Some(json!({"name": "x", "scopes": ["root.all"]})),
        )
        .await?;
    assert_problem(bad, 422, "/problems/validation").await?;
    let created = admin
        .send(
            Method::POST,
            "/api/v1/api-tokens",
            Some(json!({"name": "Sinkron billing", "scopes": ["users.read"]})),
        )
        .await?;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await?;
    let secret = crate::support::text(&created["token"])?.to_string();
    assert!(secret.starts_with("nct_"));
    let listed: Value = admin.get("/api/v1/api-tokens").await?.json().await?;
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never shown again"
    );

    let bearer = reqwest::Client::new();
    let get = |path: &str| bearer.get(app.url(path)).bearer_auth(&secret).send();
    assert_eq!(get("/api/v1/users?limit=1").await?.status(), 200);
    assert_problem(
        get("/api/v1/audit-events").await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    let mint = bearer
        .post(app.url("/api/v1/api-tokens"))
        .bearer_auth(&secret)
        .json(&json!({"name": "y", "scopes": ["users.read"]}))
        .send()
        .await?;
    assert_problem(mint, 403, "/problems/forbidden").await?;

    let listed: Value = admin.get("/api/v1/api-tokens").await?.json().await?;
    assert!(listed["items"][0]["last_used_at"].is_string());
    let id = crate::support::text(&created["id"])?;
    assert_eq!(
        admin
            .send(Method::DELETE, &format!("/api/v1/api-tokens/{id}"), None)
            .await?
            .status(),
        204
    );
    assert_problem(
        get("/api/v1/users?limit=1").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    assert_problem(
        get("/api/v1/users").await?,
        401,
        "/problems/unauthenticated",
    )
    .await?;
    let garbage = bearer
        .get(app.url("/api/v1/users"))
        .bearer_auth("nct_forged")
        .send()
        .await?;
    assert_problem(garbage, 401, "/problems/unauthenticated").await?;
    Ok(())
}

async fn audit_log_records_changes_with_before_and_after(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    app.signed_in("admin").await?;
    // A failed sign-in is recorded too.
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": "nobody@x.example", "password": "wrong-wrong"}))
        .send()
        .await?;
    let tech: Value = admin
        .get("/api/v1/users?role=technician&limit=1")
        .await?
        .json()
        .await?;
    let id = tech["items"][0]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let old_name = tech["items"][0]["name"].clone();
    admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(json!({"name": "Nama Baru"})),
        )
        .await?;

    let events: Value = admin
        .get(&format!("/api/v1/audit-events?entity=user&entity_id={id}"))
        .await?
        .json()
        .await?;
    assert_eq!(events["total"], 1);
    let event = &events["items"][0];
    assert_eq!(event["action"], "user.update");
    assert_eq!(event["before"]["name"], old_name);
    assert_eq!(event["after"]["name"], "Nama Baru");
    assert!(event["actor_name"].is_string() && event["actor_ip"] == "127.0.0.1");

    let failed: Value = admin
        .get("/api/v1/audit-events?action=auth.login_failed")
        .await?
        .json()
        .await?;
    assert!(failed["total"].as_u64().is_some_and(|n| n >= 1));
    let logins: Value = admin
        .get("/api/v1/audit-events?action=auth.login&limit=1")
        .await?
        .json()
        .await?;
    assert!(
        logins["next_cursor"].is_string(),
        "several sign-ins, one per page"
    );
    let future: Value = admin
        .get("/api/v1/audit-events?from=2999-01-01T00:00:00Z")
        .await?
        .json()
        .await?;
    assert_eq!(future["total"], 0);
    assert_problem(
        admin.get("/api/v1/audit-events?from=yesterday").await?,
        422,
        "/problems/validation",
    )
    .await?;

    let management = app.signed_in("management").await?;
    assert_eq!(management.get("/api/v1/audit-events").await?.status(), 200);
    let supervisor = app.signed_in("supervisor").await?;
    assert_problem(
        supervisor.get("/api/v1/audit-events").await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    Ok(())
}
