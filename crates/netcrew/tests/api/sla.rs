//! The ISP's SLA settings through the API: holidays imported from CSV,
//! area calendars, policies per service type and priority, pause reasons.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem, text},
};

both_backends!(
    holidays_import_whole_or_not_at_all,
    calendars_and_policies_set_the_clocks
);

async fn holidays_import_whole_or_not_at_all(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let (_, seeded) = admin.json("/api/v1/holidays?year=2026").await?;
    assert!(
        seeded["items"]
            .as_array()
            .is_some_and(|h| h.iter().any(|d| d["day"] == "2026-08-17"))
    );
    let csv = |body: &'static str, dry: bool| {
        admin
            .client
            .post(admin.url(&format!("/api/v1/holidays/import?dry_run={dry}")))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    // Bad dates: every bad line named, nothing written.
    let bad = csv("tanggal,nama,jenis\n2027-13-01,Salah,nasional\n2027-02-30,Salah juga,cuti\n2027-12-31,Akhir tahun,cuti bersama\n", false).await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["line 2", "line 3"]);
    let (_, y2027) = admin.json("/api/v1/holidays?year=2027").await?;
    assert!(
        !y2027["items"]
            .as_array()
            .is_some_and(|h| h.iter().any(|d| d["day"] == "2027-12-31"))
    );
    // A dry run reports, then the import adds.
    let good = "date,name,kind\n2027-12-31,Cuti akhir tahun,cuti_bersama\n2027-08-17,Hari Proklamasi Kemerdekaan RI,national\n";
    let report: Value = csv(good, true).await?.json().await?;
    assert_eq!(
        (
            report["added"].as_u64(),
            report["unchanged"].as_u64(),
            report["dry_run"].as_bool()
        ),
        (Some(1), Some(1), Some(true))
    );
    let report: Value = csv(good, false).await?.json().await?;
    assert_eq!(report["added"], 1);
    let (_, y2027) = admin.json("/api/v1/holidays?year=2027").await?;
    assert!(y2027["items"].as_array().is_some_and(|h| {
        h.iter()
            .any(|d| d["day"] == "2027-12-31" && d["kind"] == "cuti_bersama")
    }));
    let gone = admin
        .send(Method::DELETE, "/api/v1/holidays/2027-12-31", None)
        .await?;
    assert_eq!(gone.status(), 204);
    let again = admin
        .send(Method::DELETE, "/api/v1/holidays/2027-12-31", None)
        .await?;
    assert_problem(again, 404, "/problems/not-found").await?;
    // Only admins change the list.
    let cs = app.signed_in("cs").await?;
    let r = cs
        .send(Method::DELETE, "/api/v1/holidays/2026-08-17", None)
        .await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    Ok(())
}

async fn calendars_and_policies_set_the_clocks(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let customer = app.signed_in("customer").await?;
    let (_, me) = customer.json("/api/v1/customers").await?;
    let area = text(&me["items"][0]["area_id"])?.to_string();
    // A bad calendar is refused with every field named.
    let bad = admin
        .send(Method::PUT, &format!("/api/v1/areas/{area}/calendar"), Some(json!({
            "time_zone": "Europe/Paris", "business_hours": true, "opens_at": "17:00", "closes_at": "08:00",
            "work_days": [true, true]})))
        .await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    assert_eq!(
        problem["errors"].as_array().map(Vec::len),
        Some(3),
        "{problem}"
    );
    // Repairs in this area: 30 min to respond, on a WITA office day.
    let calendar = json!({"time_zone": "Asia/Makassar", "business_hours": true, "opens_at": "08:00",
        "closes_at": "17:00", "work_days": [true, true, true, true, true, true, false]});
    let r = admin
        .send(
            Method::PUT,
            &format!("/api/v1/areas/{area}/calendar"),
            Some(calendar.clone()),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let (_, types) = admin.json("/api/v1/service-types").await?;
    let repair = types["items"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["code"] == "repair"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no repair type"))?;
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/sla-policies",
            Some(json!({"service_type_id": repair["id"], "priority": "high",
            "response_minutes": 30, "resolution_minutes": 240})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let shorter = admin
        .send(
            Method::PUT,
            "/api/v1/sla-policies",
            Some(json!({"service_type_id": repair["id"], "priority": "high",
            "response_minutes": 300, "resolution_minutes": 240})),
        )
        .await?;
    assert_problem(shorter, 422, "/problems/validation").await?;
    let t: Value = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet putus"})),
        )
        .await?
        .json()
        .await?;
    assert_eq!(t["sla"]["response_minutes"], 30);
    // The due time falls inside WITA office hours on a working day.
    let due = chrono::DateTime::parse_from_rfc3339(text(&t["sla"]["response_due_at"])?)?;
    let local = due.with_timezone(&chrono_tz::Asia::Makassar);
    let hm = local.format("%H:%M").to_string();
    assert!(("08:00".."17:01").contains(&hm.as_str()), "{local}");
    assert_ne!(chrono::Datelike::weekday(&local), chrono::Weekday::Sun);
    // A pause reason that does not stop the clock keeps the due time.
    let r = admin
        .send(
            Method::PATCH,
            "/api/v1/pause-reasons/weather",
            Some(json!({"stops_clock": false})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let cs = app.signed_in("cs").await?;
    let pended = cs
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
            1,
            Some(json!({"to": "pending", "pause_reason": "weather"})),
        )
        .await?;
    let pended: Value = pended.json().await?;
    assert_eq!(pended["sla"]["paused"], false, "{pended}");
    assert_eq!(
        pended["sla"]["response_due_at"],
        t["sla"]["response_due_at"]
    );
    // The outage reason stays offered.
    let r = admin
        .send(
            Method::PATCH,
            "/api/v1/pause-reasons/outage",
            Some(json!({"active": false})),
        )
        .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    Ok(())
}
