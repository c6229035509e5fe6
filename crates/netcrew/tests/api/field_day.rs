//! The technician in the field, on both databases: the history at a job's
//! place (the customer's earlier tickets with the codes their documentation
//! recorded, the units installed there) in the reader's scope, and the
//! check-in that starts the day, once per day, from where the day's
//! distance is counted.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, document_job, step, text},
};

both_backends!(
    a_job_shows_the_history_at_its_place_to_whoever_may_read_it,
    a_technician_checks_in_once_a_day_and_the_distance_starts_there,
    a_check_in_made_without_network_keeps_the_time_of_the_tap,
);

async fn repair(cs: &Session, customer: &Value, description: &str) -> anyhow::Result<Value> {
    let r = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "repair", "customer_id": customer, "description": description})),
        )
        .await?;
    let status = r.status();
    let body: Value = r.json().await?;
    anyhow::ensure!(status == 201, "{status}: {body}");
    Ok(body)
}

async fn assigned(supervisor: &Session, t: &Value, technician: &Value) -> anyhow::Result<Value> {
    step(
        supervisor,
        t,
        json!({"to": "assigned", "technician_id": technician}),
    )
    .await
}

async fn a_job_shows_the_history_at_its_place_to_whoever_may_read_it(
    app: &TestApp,
) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let admin = app.signed_in("admin").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let tech_id = me["id"].clone();

    // A connected customer, and an earlier repair, documented and done,
    // where the technician left an ONT.
    let (_, customers) = cs.json("/api/v1/customers?status=active&limit=1").await?;
    let customer = customers["items"][0]["id"].clone();
    let earlier = repair(
        &cs,
        &customer,
        "Internet mati total sejak pagi,\n lampu LOS merah berkedip; pelanggan sudah restart ONT dua kali tetapi tetap tidak bisa browsing sama sekali dan butuh segera",
    )
    .await?;
    let mut t = assigned(&supervisor, &earlier, &tech_id).await?;
    for to in ["accepted", "en_route", "on_site"] {
        t = step(&technician, &t, json!({ "to": to })).await?;
    }
    document_job(&technician, &t).await?;
    let (_, carried) = technician
        .json(&format!("/api/v1/technicians/{}/stock", text(&tech_id)?))
        .await?;
    let unit = carried["units"]
        .as_array()
        .and_then(|u| u.first())
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the demo technician carries a unit: {carried}"))?;
    let serial = text(&unit["serial"])?.to_string();
    let r = technician
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{}/equipment", text(&t["id"])?),
            Some(json!({ "serial": serial })),
        )
        .await?;
    anyhow::ensure!(r.status() == 201, "{}", r.text().await?);
    let (_, t) = technician
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    let done = step(&technician, &t, json!({"to": "resolved"})).await?;
    assert_eq!(done["status"], "resolved");

    // Today's job at the same place.
    let now = repair(&cs, &customer, "Putus-putus lagi").await?;
    let now = assigned(&supervisor, &now, &tech_id).await?;
    let path = format!("/api/v1/tickets/{}/history", text(&now["id"])?);
    let (status, history) = technician.json(&path).await?;
    assert_eq!(status, 200, "{history}");
    let tickets = history["tickets"].as_array().cloned().unwrap_or_default();
    // Newest first, at most ten, without the job itself.
    assert!((1..=10).contains(&tickets.len()), "{history}");
    assert_eq!(tickets[0]["number"], done["number"], "{history}");
    assert!(tickets.iter().all(|p| p["id"] != now["id"]), "{history}");
    let created: Vec<chrono::DateTime<chrono::Utc>> = tickets
        .iter()
        .filter_map(|p| p["created_at"].as_str()?.parse().ok())
        .collect();
    assert_eq!(created.len(), tickets.len(), "{history}");
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "{history}");
    let past = &tickets[0];
    assert_eq!(past["kind"], "repair");
    assert_eq!(past["status"], "resolved");
    assert!(past["resolved_at"].is_string(), "{past}");
    assert!(past["created_at"].is_string(), "{past}");
    assert_eq!(past["cause"], "drop_cable_cut", "{past}");
    assert_eq!(past["resolution"], "replaced_drop_cable", "{past}");
    let summary = text(&past["summary"])?;
    assert!(summary.starts_with("Internet mati total sejak pagi, lampu LOS"));
    assert!(
        summary.ends_with('…') && summary.chars().count() <= 140,
        "{summary}"
    );
    // The unit left there, with its terms and since when.
    let equipment = history["equipment"].as_array().cloned().unwrap_or_default();
    let ont = equipment
        .iter()
        .find(|u| u["serial"] == json!(serial))
        .ok_or_else(|| anyhow::anyhow!("the ONT is there: {history}"))?;
    assert!(!text(&ont["item_name"])?.is_empty(), "{ont}");
    assert!(ont["since"].is_string(), "{ont}");
    assert!(
        ont["terms"].is_null() || ["loaned", "rented", "sold"].contains(&text(&ont["terms"])?),
        "{ont}"
    );

    // CS, the supervisor and management read it too; a customer does not.
    for who in ["cs", "supervisor", "management", "admin"] {
        let (status, theirs) = app.signed_in(who).await?.json(&path).await?;
        assert_eq!(status, 200, "{who}: {theirs}");
        assert_eq!(theirs["tickets"], history["tickets"], "{who}");
    }
    let r = app.signed_in("customer").await?.get(&path).await?;
    assert_problem(r, 403, "/problems/forbidden").await?;

    // Another technician's job, or no such ticket: 404.
    let (_, users) = admin.json("/api/v1/users?role=technician&limit=10").await?;
    let other = users["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["id"].clone())
        .find(|id| *id != tech_id)
        .ok_or_else(|| anyhow::anyhow!("one technician only: {users}"))?;
    let theirs = repair(&cs, &customer, "Lambat di malam hari").await?;
    let theirs = assigned(&supervisor, &theirs, &other).await?;
    let r = technician
        .get(&format!("/api/v1/tickets/{}/history", text(&theirs["id"])?))
        .await?;
    assert_problem(r, 404, "/problems/not-found").await?;
    let r = technician
        .get(&format!("/api/v1/tickets/{}/history", uuid::Uuid::now_v7()))
        .await?;
    assert_problem(r, 404, "/problems/not-found").await?;
    let r = supervisor.get("/api/v1/tickets/nope/history").await?;
    assert!(r.status().is_client_error(), "{}", r.status());
    Ok(())
}

async fn check_in(who: &Session, body: Option<Value>) -> anyhow::Result<reqwest::Response> {
    who.send(Method::POST, "/api/v1/me/day/check-in", body)
        .await
}

async fn refused(r: reqwest::Response, field: &str, code: &str) -> anyhow::Result<()> {
    let body = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], field, "{body}");
    assert_eq!(body["errors"][0]["code"], code, "{body}");
    Ok(())
}

async fn a_technician_checks_in_once_a_day_and_the_distance_starts_there(
    app: &TestApp,
) -> anyhow::Result<()> {
    let technician = app.signed_in("technician").await?;
    let (status, day) = technician.json("/api/v1/me/day").await?;
    assert_eq!(status, 200, "{day}");
    assert!(day["checked_in_at"].is_null(), "{day}");
    assert!(day["check_in_position"].is_null(), "{day}");

    // A position is checked as a move's is; nothing is recorded.
    refused(
        check_in(
            &technician,
            Some(json!({"position": {"lat": 91.0, "lng": 107.6}})),
        )
        .await?,
        "position",
        "location",
    )
    .await?;
    refused(
        check_in(
            &technician,
            Some(json!({"position": {"lat": -6.9, "lng": 107.6, "accuracy_m": -3.0}})),
        )
        .await?,
        "position.accuracy_m",
        "range",
    )
    .await?;
    refused(
        check_in(
            &technician,
            Some(json!({"position": {"lat": "x", "lng": 107.6}})),
        )
        .await?,
        "position.lat",
        "type",
    )
    .await?;
    let r = check_in(&technician, Some(json!({"at": "07:00"}))).await?;
    assert_problem(r, 422, "/problems/validation").await?;
    let (_, day) = technician.json("/api/v1/me/day").await?;
    assert!(day["checked_in_at"].is_null(), "{day}");

    // Others do not check in.
    for role in ["supervisor", "cs", "warehouse"] {
        let r = check_in(&app.signed_in(role).await?, None).await?;
        assert_problem(r, 403, "/problems/forbidden").await?;
    }

    // The first check-in of the day stands.
    let start = json!({"lat": -6.9147, "lng": 107.6098, "accuracy_m": 20.0});
    let r = check_in(&technician, Some(json!({ "position": start }))).await?;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await?;
    assert!(first["checked_in_at"].is_string(), "{first}");
    assert_eq!(first["position"], start, "{first}");
    let r = check_in(
        &technician,
        Some(json!({"position": {"lat": -6.95, "lng": 107.65}})),
    )
    .await?;
    assert_eq!(r.status(), 200);
    let again: Value = r.json().await?;
    assert_eq!(again, first, "checking in again answers the first");
    // Without a body too.
    let r = check_in(&technician, None).await?;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await?, first);

    let (_, day) = technician.json("/api/v1/me/day").await?;
    assert_eq!(day["date"], first["date"], "{day}");
    assert_eq!(day["checked_in_at"], first["checked_in_at"], "{day}");
    assert_eq!(day["check_in_position"], start, "{day}");
    let before = day["distance_m"].as_f64().unwrap_or_default();

    // The first arrival of the day counts from the check-in.
    let cs = app.signed_in("cs").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let (_, customers) = cs.json("/api/v1/customers?status=active&limit=1").await?;
    let t = repair(&cs, &customers["items"][0]["id"], "Tidak bisa browsing").await?;
    let mut t = assigned(&supervisor, &t, &me["id"]).await?;
    for to in ["accepted", "en_route"] {
        t = step(&technician, &t, json!({ "to": to })).await?;
    }
    step(
        &technician,
        &t,
        json!({"to": "on_site", "position": {"lat": -6.8917, "lng": 107.6161, "accuracy_m": 10.0}}),
    )
    .await?;
    let (_, day) = technician.json("/api/v1/me/day").await?;
    let visit = day["jobs"]
        .as_array()
        .and_then(|j| j.iter().find(|j| j["ticket_id"] == t["id"]))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{day}"))?;
    if day["jobs"].as_array().map(Vec::len) == Some(1) {
        // About 2.6 km as the crow flies from the check-in.
        let from = visit["from_previous_m"].as_f64().unwrap_or_default();
        assert!((2_400.0..2_900.0).contains(&from), "{visit}");
        let total = day["distance_m"].as_f64().unwrap_or_default();
        assert!((total - before - from).abs() < 1.0, "{day}");
    } else {
        assert!(visit["from_previous_m"].is_number(), "{visit}");
    }
    Ok(())
}

/// A phone without network sends its check-in later, with the time of the
/// tap: that time is kept; a time in the future or more than a day ago is
/// refused at `at` and nothing is recorded.
async fn a_check_in_made_without_network_keeps_the_time_of_the_tap(
    app: &TestApp,
) -> anyhow::Result<()> {
    let technician = app.signed_in("technician").await?;
    let now = chrono::Utc::now();
    for bad in [
        now + chrono::Duration::hours(1),
        now - chrono::Duration::hours(30),
    ] {
        let r = technician
            .send(
                Method::POST,
                "/api/v1/me/day/check-in",
                Some(json!({"at": bad.to_rfc3339()})),
            )
            .await?;
        let body = assert_problem(r, 422, "/problems/validation").await?;
        assert_eq!(body["errors"][0]["field"], "at", "{body}");
    }
    let tapped = now - chrono::Duration::minutes(50);
    let r = technician
        .send(
            Method::POST,
            "/api/v1/me/day/check-in",
            Some(json!({"at": tapped.to_rfc3339(), "position": {"lat": -6.9, "lng": 107.6}})),
        )
        .await?;
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await?;
    let kept = chrono::DateTime::parse_from_rfc3339(text(&made["checked_in_at"])?)?;
    assert!(
        (kept.timestamp_millis() - tapped.timestamp_millis()).abs() < 5,
        "{made} vs {tapped}"
    );
    let day = tapped
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string();
    assert_eq!(made["date"], day.as_str());
    Ok(())
}
