//! Tickets through the API: the whole lifecycle with each role, versions
//! (412/428), moves that are not allowed (409 naming the allowed ones), row
//! scope, comments, ratings and bad input.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    a_repair_walks_from_report_to_rating,
    writes_need_the_current_version,
    each_role_sees_only_its_tickets,
    bad_tickets_are_refused_whole,
    cs_settles_a_repair_remotely_and_the_customer_reopens_it,
    attachments_are_checked_resized_and_scoped,
    warnings_come_once_and_resolved_tickets_close_by_themselves,
    the_event_stream_replays_what_was_missed,
    a_new_customer_gets_the_installation_ticket,
    finished_jobs_change_the_customer,
    a_survey_decides_the_installation,
    a_job_on_hold_gets_its_next_visit,
);

/// The demo customer account's own customer record.
async fn own_customer(customer: &Session) -> anyhow::Result<Value> {
    let (status, me) = customer.json("/api/v1/customers").await?;
    assert_eq!(status, 200);
    Ok(me["items"][0].clone())
}

async fn own_id(who: &Session) -> anyhow::Result<String> {
    let (_, me) = who.json("/api/v1/me").await?;
    Ok(text(&me["id"])?.to_string())
}

async fn report(customer: &Session, description: &str) -> anyhow::Result<Value> {
    let response = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": description})),
        )
        .await?;
    assert_eq!(response.status(), 201);
    assert!(
        response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/api/v1/tickets/"))
    );
    Ok(response.json().await?)
}

async fn step(who: &Session, t: &Value, body: Value) -> anyhow::Result<Value> {
    let id = text(&t["id"])?;
    let response = who
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{id}/transitions"),
            t["version"].as_i64().unwrap_or_default(),
            Some(body.clone()),
        )
        .await?;
    let status = response.status();
    let out: Value = response.json().await?;
    anyhow::ensure!(status == 200, "{body} → {status}: {out}");
    Ok(out)
}

async fn a_repair_walks_from_report_to_rating(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let me = own_customer(&customer).await?;
    let t = report(&customer, "Internet mati sejak pagi, lampu LOS merah").await?;
    assert_eq!(t["kind"], "repair");
    assert_eq!(t["status"], "new");
    assert_eq!(t["source"], "portal");
    assert_eq!(t["customer"]["id"], me["id"]);
    assert!(text(&t["number"])?.starts_with("TRB-"));
    // The repair service type's targets: 2 h to respond, 24 h to resolve.
    assert_eq!(t["sla"]["response_minutes"], 120);
    assert!(t["sla"]["response_due_at"].is_string());
    assert_eq!(t["allowed_transitions"], json!(["cancelled"]));

    // The supervisor of the customer's area sees it, and is told.
    let id = text(&t["id"])?.to_string();
    let (status, seen) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(status, 200, "{seen}");
    let (_, bell) = supervisor.json("/api/v1/notifications?unread=true").await?;
    assert!(
        bell["items"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["ticket_id"] == t["id"])),
        "{bell}"
    );

    let tech_id = own_id(&technician).await?;
    let t = step(
        &supervisor,
        &seen,
        json!({"to": "assigned", "technician_id": tech_id}),
    )
    .await?;
    assert_eq!(t["technician"]["id"], json!(tech_id));
    let (_, jobs) = technician.json("/api/v1/tickets?open=true").await?;
    assert!(
        jobs["items"]
            .as_array()
            .is_some_and(|j| j.iter().any(|j| j["id"] == t["id"])),
        "the technician sees the job: {jobs}"
    );
    let t = step(&technician, &t, json!({"to": "accepted"})).await?;
    assert!(t["accepted_at"].is_string());
    assert_eq!(t["sla"]["response_due_at"], Value::Null, "response met");
    let t = step(&technician, &t, json!({"to": "en_route"})).await?;
    // The customer can no longer cancel once the technician is on the way.
    let (_, mine) = customer.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(mine["allowed_transitions"], json!([]));
    let t = step(&technician, &t, json!({"to": "on_site"})).await?;
    assert_eq!(t["visits"], 1);
    crate::support::document_job(&technician, &t).await?;
    let t = step(&technician, &t, json!({"to": "resolved"})).await?;
    assert_eq!(t["status"], "resolved");

    // The customer's timeline shows each step, in order.
    let (_, timeline) = customer
        .json(&format!("/api/v1/tickets/{id}/timeline"))
        .await?;
    let steps: Vec<&str> = timeline["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|e| e["to_status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        steps,
        [
            "new", "assigned", "accepted", "en_route", "on_site", "resolved"
        ]
    );
    let (_, bell) = customer.json("/api/v1/notifications").await?;
    assert!(bell["total"].as_u64().is_some_and(|n| n >= 5), "{bell}");

    // The customer rates it, once.
    let rated = customer
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/rating"),
            Some(json!({"rating": 5, "comment": "Cepat, terima kasih"})),
        )
        .await?;
    assert_eq!(rated.status(), 200);
    let again = customer
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/rating"),
            Some(json!({"rating": 4})),
        )
        .await?;
    assert_problem(again, 409, "/problems/conflict").await?;
    let (_, t) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(t["rating"], 5);

    // Comments: the customer never sees internal ones.
    for (who, body) in [
        (
            &supervisor,
            json!({"body": "Cek ODP dulu", "internal": true}),
        ),
        (&technician, json!({"body": "Konektor diganti"})),
    ] {
        let r = who
            .send(
                Method::POST,
                &format!("/api/v1/tickets/{id}/comments"),
                Some(body),
            )
            .await?;
        assert_eq!(r.status(), 201);
    }
    let (_, staff_view) = supervisor
        .json(&format!("/api/v1/tickets/{id}/comments"))
        .await?;
    let (_, customer_view) = customer
        .json(&format!("/api/v1/tickets/{id}/comments"))
        .await?;
    assert_eq!(staff_view["total"], 2);
    assert_eq!(customer_view["total"], 1);
    assert_eq!(customer_view["items"][0]["body"], "Konektor diganti");

    // Closed: no more comments. (Comments moved the version on.)
    let (_, t) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(t["version"], 9);
    let t = step(&supervisor, &t, json!({"to": "closed"})).await?;
    assert_eq!(t["status"], "closed");
    let late = customer
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/comments"),
            Some(json!({"body": "halo?"})),
        )
        .await?;
    assert_problem(late, 409, "/problems/conflict").await?;
    Ok(())
}

async fn writes_need_the_current_version(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let cs = app.signed_in("cs").await?;
    let t = report(&customer, "Lambat sekali").await?;
    let id = text(&t["id"])?;
    let path = format!("/api/v1/tickets/{id}/transitions");

    // Without If-Match: 428.
    let missing = cs
        .send(
            Method::POST,
            &path,
            Some(json!({"to": "cancelled", "reason": "dobel"})),
        )
        .await?;
    assert_problem(missing, 428, "/problems/precondition-required").await?;

    // The ETag is the version.
    let response = cs.get(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(
        response.headers().get("etag").and_then(|v| v.to_str().ok()),
        Some("\"1\"")
    );

    // A change moves the version on; the old one is then stale: 412.
    let changed = cs
        .send_if(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            1,
            Some(json!({"tags": ["lambat", "wifi"]})),
        )
        .await?;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await?;
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["tags"], json!(["lambat", "wifi"]));
    let stale = cs
        .send_if(
            Method::POST,
            &path,
            1,
            Some(json!({"to": "cancelled", "reason": "dobel"})),
        )
        .await?;
    assert_problem(stale, 412, "/problems/stale").await?;

    // A move the status does not allow: 409 naming the allowed ones.
    let refused = cs
        .send_if(Method::POST, &path, 2, Some(json!({"to": "on_site"})))
        .await?;
    let problem = assert_problem(refused, 409, "/problems/transition-not-allowed").await?;
    let allowed = problem["allowed"].as_array().cloned().unwrap_or_default();
    assert!(allowed.contains(&json!("assigned")), "{problem}");
    assert!(allowed.contains(&json!("cancelled")), "{problem}");
    assert!(!allowed.contains(&json!("on_site")), "{problem}");

    // Only a supervisor changes the priority, and with a reason.
    let by_cs = cs
        .send_if(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            2,
            Some(json!({"priority": "urgent", "reason": "VIP"})),
        )
        .await?;
    let body = assert_problem(by_cs, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "priority");
    let supervisor = app.signed_in("supervisor").await?;
    let no_reason = supervisor
        .send_if(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            2,
            Some(json!({"priority": "urgent"})),
        )
        .await?;
    let body = assert_problem(no_reason, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "reason");
    let raised = supervisor
        .send_if(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            2,
            Some(json!({"priority": "urgent", "reason": "Pelanggan korporat"})),
        )
        .await?;
    assert_eq!(raised.status(), 200);
    let raised: Value = raised.json().await?;
    assert_eq!(raised["priority_label"], "P1");
    Ok(())
}

async fn each_role_sees_only_its_tickets(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let cs = app.signed_in("cs").await?;
    let mine = report(&customer, "Putus-putus").await?;
    // CS opens a repair for another connected customer.
    let (_, others) = cs.json("/api/v1/customers?status=active&limit=5").await?;
    let other = others["items"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] != mine["customer"]["id"]))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no other customer"))?;
    let theirs = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "repair", "customer_id": other["id"], "description": "Tidak bisa browsing", "source": "whatsapp"})),
        )
        .await?;
    assert_eq!(theirs.status(), 201);
    let theirs: Value = theirs.json().await?;
    assert_eq!(theirs["source"], "whatsapp");

    // The customer sees their own ticket only; another's is a 404.
    let (_, list) = customer.json("/api/v1/tickets").await?;
    assert!(list["items"].as_array().is_some_and(|i| {
        i.iter()
            .all(|t| t["customer"]["id"] == mine["customer"]["id"])
    }));
    let (status, _) = customer
        .json(&format!("/api/v1/tickets/{}", text(&theirs["id"])?))
        .await?;
    assert_eq!(status, 404);
    // A customer cannot open a ticket for someone else, nor an installation.
    let forged = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "installation", "description": "x"})),
        )
        .await?;
    let body = assert_problem(forged, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "kind");

    // A technician sees nothing until assigned.
    let technician = app.signed_in("technician").await?;
    let (status, _) = technician
        .json(&format!("/api/v1/tickets/{}", text(&mine["id"])?))
        .await?;
    assert_eq!(status, 404);
    // Management reads everything but moves nothing.
    let management = app.signed_in("management").await?;
    let (status, _) = management
        .json(&format!("/api/v1/tickets/{}", text(&theirs["id"])?))
        .await?;
    assert_eq!(status, 200);
    let moved = management
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&theirs["id"])?),
            1,
            Some(json!({"to": "cancelled", "reason": "x"})),
        )
        .await?;
    assert_problem(moved, 403, "/problems/forbidden").await?;
    // The list sorts by SLA due by default: the earliest due first.
    let (_, open) = cs.json("/api/v1/tickets?open=true").await?;
    let dues: Vec<&str> = open["items"]
        .as_array()
        .map(|i| {
            i.iter()
                .filter_map(|t| t["sla"]["response_due_at"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted);
    Ok(())
}

async fn bad_tickets_are_refused_whole(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let before = cs.json("/api/v1/tickets").await?.1["total"].clone();
    let cases = [
        (
            json!({"kind": "repair", "customer_id": uuid::Uuid::now_v7(), "description": "x"}),
            "customer_id",
        ),
        (json!({"kind": "repair"}), "customer_id"),
        (json!({"customer_id": uuid::Uuid::now_v7()}), "kind"),
    ];
    for (body, field) in cases {
        let r = cs.send(Method::POST, "/api/v1/tickets", Some(body)).await?;
        let problem = assert_problem(r, 422, "/problems/validation").await?;
        assert!(
            problem["errors"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["field"] == field)),
            "{problem}"
        );
    }
    // An appointment in the past.
    let (_, customers) = cs.json("/api/v1/customers?status=active&limit=1").await?;
    let customer = customers["items"][0]["id"].clone();
    let r = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "repair", "customer_id": customer, "description": "mati", "appointment_date": "2020-01-01", "appointment_window": "08:00-12:00"})),
        )
        .await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["code"], "date_past");
    // An unknown status in the filter.
    let (status, _) = cs.json("/api/v1/tickets?status=lost").await?;
    assert_eq!(status, 422);
    let after = cs.json("/api/v1/tickets").await?.1["total"].clone();
    assert_eq!(before, after, "nothing was half-written");
    Ok(())
}

async fn cs_settles_a_repair_remotely_and_the_customer_reopens_it(
    app: &TestApp,
) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let cs = app.signed_in("cs").await?;
    let t = report(&customer, "Lupa password wifi").await?;
    // A remote resolution needs its reason.
    let id = text(&t["id"])?;
    let no_reason = cs
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{id}/transitions"),
            1,
            Some(json!({"to": "resolved"})),
        )
        .await?;
    let body = assert_problem(no_reason, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "remote_reason");
    let t = step(
        &cs,
        &t,
        json!({"to": "resolved", "remote_reason": "wifi_settings"}),
    )
    .await?;
    assert_eq!(t["remote_reason"], "wifi_settings");
    // The customer disputes it: reopened, the clocks start again.
    let t = step(
        &customer,
        &t,
        json!({"to": "reopened", "reason": "Masih tidak bisa"}),
    )
    .await?;
    assert_eq!(t["status"], "reopened");
    assert_eq!(t["reopened"], 1);
    assert!(t["sla"]["resolution_due_at"].is_string());
    // Waiting for the customer stops the clock; the timeline keeps the pause.
    let t = step(
        &cs,
        &t,
        json!({"to": "pending", "pause_reason": "waiting_customer"}),
    )
    .await?;
    assert_eq!(t["pending_reason"], "waiting_customer");
    assert_eq!(t["sla"]["paused"], true);
    let t = step(&cs, &t, json!({"to": "new"})).await?;
    assert_eq!(t["status"], "new");
    let (_, timeline) = cs.json(&format!("/api/v1/tickets/{id}/timeline")).await?;
    assert_eq!(timeline["pauses"][0]["reason"], "waiting_customer");
    assert!(timeline["pauses"][0]["ended_at"].is_string());
    // An unknown pause reason is refused.
    let bad = cs
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{id}/transitions"),
            t["version"].as_i64().unwrap_or_default(),
            Some(json!({"to": "pending", "pause_reason": "holiday"})),
        )
        .await?;
    let body = assert_problem(bad, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "pause_reason");
    Ok(())
}

fn png(w: u32, h: u32) -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 120, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
    Ok(out)
}

async fn upload(
    who: &Session,
    ticket: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
    internal: bool,
) -> anyhow::Result<reqwest::Response> {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)?;
    let form = reqwest::multipart::Form::new()
        .part("file", part)
        .text("internal", internal.to_string());
    Ok(who
        .client
        .post(who.url(&format!("/api/v1/tickets/{ticket}/attachments")))
        .header("x-csrf-token", &who.csrf)
        .multipart(form)
        .send()
        .await?)
}

async fn attachments_are_checked_resized_and_scoped(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let t = report(&customer, "Kabel drop putus di depan rumah").await?;
    let id = text(&t["id"])?;

    // A large photo is made smaller for phones.
    let r = upload(
        &customer,
        id,
        "kabel.png",
        "image/png",
        png(3200, 2400)?,
        false,
    )
    .await?;
    assert_eq!(r.status(), 201);
    let photo: Value = r.json().await?;
    assert_eq!(
        (photo["width"].as_i64(), photo["height"].as_i64()),
        (Some(1600), Some(1200))
    );
    assert_eq!(photo["content_type"], "image/jpeg");
    let content = customer.get(text(&photo["url"])?).await?;
    assert_eq!(content.status(), 200);
    assert_eq!(
        content
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    assert!(content.bytes().await?.starts_with(&[0xFF, 0xD8]));

    // A file that lies about its type, and one that is not a photo.
    let lie = upload(&customer, id, "foto.jpg", "image/jpeg", png(20, 20)?, false).await?;
    let body = assert_problem(lie, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["code"], "type_mismatch");
    let text_file = upload(
        &customer,
        id,
        "foto.png",
        "image/png",
        b"bukan foto".to_vec(),
        false,
    )
    .await?;
    let body = assert_problem(text_file, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["code"], "type");

    // Staff's internal photo is not the customer's to see.
    let r = upload(&supervisor, id, "odp.png", "image/png", png(40, 40)?, true).await?;
    assert_eq!(r.status(), 201);
    let internal: Value = r.json().await?;
    let (_, theirs) = customer
        .json(&format!("/api/v1/tickets/{id}/attachments"))
        .await?;
    let (_, staff) = supervisor
        .json(&format!("/api/v1/tickets/{id}/attachments"))
        .await?;
    assert_eq!(
        (theirs["total"].as_u64(), staff["total"].as_u64()),
        (Some(1), Some(2))
    );
    let hidden = customer.get(text(&internal["url"])?).await?;
    assert_eq!(hidden.status(), 404);
    // Another customer's ticket is not reachable either.
    let technician = app.signed_in("technician").await?;
    let unassigned = technician.get(text(&photo["url"])?).await?;
    assert_eq!(unassigned.status(), 404);
    Ok(())
}

/// How many notifications of `kind` about ticket `t` the person has.
async fn count(s: &Session, t: &Value, kind: &str) -> anyhow::Result<usize> {
    let (_, bell) = s.json("/api/v1/notifications?limit=500").await?;
    Ok(bell["items"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter(|n| n["kind"] == kind && n["ticket_id"] == t["id"])
                .count()
        })
        .unwrap_or(0))
}

async fn warnings_come_once_and_resolved_tickets_close_by_themselves(
    app: &TestApp,
) -> anyhow::Result<()> {
    use netcrew_store::{sla_watch::sweep, tickets::Settings};
    let customer = app.signed_in("customer").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let management = app.signed_in("management").await?;
    let t = report(&customer, "Mati total").await?;
    let settings = Settings::default();
    let now = chrono::Utc::now();
    // 100 minutes of the 2-hour response target: at risk, once.
    for _ in 0..2 {
        sweep(
            &app.db,
            &settings,
            now + chrono::Duration::minutes(100),
            500,
        )
        .await?;
    }
    assert_eq!(count(&supervisor, &t, "sla_at_risk").await?, 1);
    assert_eq!(count(&management, &t, "sla_at_risk").await?, 0);
    let (_, seen) = supervisor
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    assert_eq!(seen["sla"]["state"], "at_risk");
    assert_eq!(
        seen["version"], t["version"],
        "time alone does not move the version"
    );
    // Past the target: breached; management hears of it too. Twice swept, once told.
    for _ in 0..2 {
        sweep(
            &app.db,
            &settings,
            now + chrono::Duration::minutes(130),
            500,
        )
        .await?;
    }
    assert_eq!(count(&supervisor, &t, "sla_breached").await?, 1);
    assert_eq!(count(&management, &t, "sla_breached").await?, 1);
    let (_, breached) = supervisor
        .json("/api/v1/tickets?sla_state=breached&open=true")
        .await?;
    assert!(
        breached["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|x| x["id"] == t["id"]))
    );

    // Resolved remotely, then three days later it closes by itself.
    let cs = app.signed_in("cs").await?;
    let (_, current) = cs
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    let resolved = step(
        &cs,
        &current,
        json!({"to": "resolved", "remote_reason": "ont_restarted"}),
    )
    .await?;
    // (The demo's history has resolved tickets of its own, which close too.)
    sweep(&app.db, &settings, now + chrono::Duration::hours(71), 500).await?;
    let (_, waiting) = cs
        .json(&format!("/api/v1/tickets/{}", text(&resolved["id"])?))
        .await?;
    assert_eq!(
        waiting["status"], "resolved",
        "the customer may still dispute it"
    );
    let swept = sweep(&app.db, &settings, now + chrono::Duration::hours(73), 500).await?;
    assert!(swept.closed >= 1);
    let (_, closed) = cs
        .json(&format!("/api/v1/tickets/{}", text(&resolved["id"])?))
        .await?;
    assert_eq!(closed["status"], "closed");
    Ok(())
}

async fn the_event_stream_replays_what_was_missed(app: &TestApp) -> anyhow::Result<()> {
    use futures::StreamExt;
    let customer = app.signed_in("customer").await?;
    let cs = app.signed_in("cs").await?;
    // The stream starts at "now"; the first change comes live.
    let response = customer
        .client
        .get(customer.url("/api/v1/events"))
        .send()
        .await?;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
    );
    let mut body = response.bytes_stream();
    let t = report(&customer, "Sinyal hilang").await?;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("ticket.created") {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("the stream ended"))??;
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains(text(&t["id"])?), "{seen}");
    let last_id: i64 = seen
        .lines()
        .filter_map(|l| l.strip_prefix("id:"))
        .filter_map(|v| v.trim().parse().ok())
        .max()
        .ok_or_else(|| anyhow::anyhow!("no event id in {seen}"))?;
    drop(body);

    // While the customer is away, CS cancels the ticket; an internal comment
    // is not for the customer's eyes.
    let cancelled = step(
        &cs,
        &t,
        json!({"to": "cancelled", "reason": "Dobel laporan"}),
    )
    .await?;
    assert_eq!(cancelled["status"], "cancelled");
    let replay = customer
        .client
        .get(customer.url("/api/v1/events"))
        .header("last-event-id", last_id.to_string())
        .send()
        .await?;
    let mut body = replay.bytes_stream();
    let mut again = String::new();
    while !again.contains("ticket.moved") {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("the stream ended"))??;
        again.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(again.contains("cancelled"), "{again}");
    assert!(
        !again.contains("ticket.created"),
        "only what was missed: {again}"
    );
    // Another customer's stream does not carry it: the technician sees none.
    let technician = app.signed_in("technician").await?;
    let theirs = technician
        .client
        .get(technician.url(&format!("/api/v1/events?last_event_id={}", last_id - 1)))
        .send()
        .await?;
    let mut body = theirs.bytes_stream();
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(800), body.next()).await;
    if let Ok(Some(Ok(chunk))) = quiet {
        assert!(!String::from_utf8_lossy(&chunk).contains(text(&t["id"])?));
    }
    Ok(())
}

async fn a_new_customer_gets_the_installation_ticket(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let (_, packages) = app.get_json("/api/v1/packages?active=true").await?;
    let (day, window) = app.open_windows(-6.8915, 107.6160, 1).await?.remove(0);
    let created = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Rina Marlina", "phone": "0813 2222 7788", "address": "Jl. Cikutra No. 12",
            "location": {"lat": -6.8915, "lng": 107.6160}, "package_id": packages["items"][0]["id"],
            "preferred_date": day, "preferred_window": window
        })))
        .await?;
    let status = created.status();
    let customer: Value = created.json().await?;
    assert_eq!(status, 201, "{customer}");
    let (_, list) = cs
        .json(&format!(
            "/api/v1/tickets?customer_id={}",
            text(&customer["id"])?
        ))
        .await?;
    assert_eq!(list["total"], 1, "{list}");
    let t = &list["items"][0];
    assert_eq!(t["kind"], "installation");
    assert!(text(&t["number"])?.starts_with("INS-"));
    assert_eq!(t["appointment_date"], json!(day));
    assert_eq!(t["appointment_window"], json!(window));
    assert_eq!(t["source"], "phone");
    // An installation for a connected customer is refused.
    let (_, active) = cs.json("/api/v1/customers?status=active&limit=1").await?;
    let again = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "installation", "customer_id": active["items"][0]["id"]})),
        )
        .await?;
    let problem = assert_problem(again, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["code"], "connected");
    Ok(())
}

/// Assigns `t` to the demo technician and walks it to resolved.
async fn do_the_job(app: &TestApp, t: &Value) -> anyhow::Result<Value> {
    let supervisor = app.signed_in("admin").await?;
    let technician = app.signed_in("technician").await?;
    let tech = own_id(&technician).await?;
    let mut t = step(
        &supervisor,
        t,
        json!({"to": "assigned", "technician_id": tech}),
    )
    .await?;
    for to in ["accepted", "en_route", "on_site"] {
        t = step(&technician, &t, json!({"to": to})).await?;
    }
    crate::support::document_job(&technician, &t).await?;
    Ok(t)
}

async fn finished_jobs_change_the_customer(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let technician = app.signed_in("technician").await?;
    let (_, active) = cs.json("/api/v1/customers?status=active&limit=1").await?;
    let customer = active["items"][0].clone();
    let cid = text(&customer["id"])?.to_string();
    // An upgrade to another package on sale.
    let (_, packages) = app.get_json("/api/v1/packages?active=true").await?;
    let other = packages["items"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] != customer["package_id"]))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("one package only"))?;
    let same = cs
        .send(Method::POST, "/api/v1/tickets", Some(json!({"kind": "upgrade", "customer_id": cid, "package_id": customer["package_id"]})))
        .await?;
    let problem = assert_problem(same, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["code"], "same");
    let up: Value = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"kind": "upgrade", "customer_id": cid, "package_id": other["id"]})),
        )
        .await?
        .json()
        .await?;
    let up = do_the_job(app, &up).await?;
    step(&technician, &up, json!({"to": "resolved"})).await?;
    let (_, after) = cs.json(&format!("/api/v1/customers/{cid}")).await?;
    assert_eq!(
        after["package_id"], other["id"],
        "the upgrade moved the package"
    );

    // Terminating keeps the port until the dismantle is done.
    let port = after["odp_port"].clone();
    assert!(port.is_number(), "{after}");
    let r = cs
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{cid}"),
            Some(json!({"status": "terminated"})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let (_, list) = cs
        .json(&format!(
            "/api/v1/tickets?customer_id={cid}&kind=dismantle&open=true"
        ))
        .await?;
    assert_eq!(list["total"], 1, "{list}");
    let dis = do_the_job(app, &list["items"][0]).await?;
    let (_, still) = cs.json(&format!("/api/v1/customers/{cid}")).await?;
    assert_eq!(
        still["odp_port"], port,
        "not freed before the dismantle is done"
    );
    step(&technician, &dis, json!({"to": "resolved"})).await?;
    let (_, gone) = cs.json(&format!("/api/v1/customers/{cid}")).await?;
    assert!(
        gone["odp_port"].is_null() && gone["odp_id"].is_null(),
        "{gone}"
    );
    assert_eq!(gone["status"], "terminated");
    Ok(())
}

async fn a_survey_decides_the_installation(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    // Registering two prospects gives two fresh installations to survey.
    let (_, packages) = app.get_json("/api/v1/packages?active=true").await?;
    let mut tickets = Vec::new();
    for (name, phone) in [
        ("Dedi Kurnia", "0812 7000 1111"),
        ("Yuni Astuti", "0812 7000 2222"),
    ] {
        let created: Value = cs
            .send(Method::POST, "/api/v1/customers", Some(json!({
                "name": name, "phone": phone, "address": "Jl. Dipatiukur No. 40",
                "location": {"lat": -6.8915, "lng": 107.6160}, "package_id": packages["items"][0]["id"]
            })))
            .await?
            .json()
            .await?;
        let (_, list) = cs
            .json(&format!(
                "/api/v1/tickets?customer_id={}",
                text(&created["id"])?
            ))
            .await?;
        tickets.push(list["items"][0].clone());
    }
    let path = |t: &Value| {
        format!(
            "/api/v1/tickets/{}/survey",
            t["id"].as_str().unwrap_or_default()
        )
    };
    // A permit first: the installation waits, its clock stopped.
    let r = cs
        .send_if(
            Method::POST,
            &path(&tickets[0]),
            1,
            Some(json!({"outcome": "needs_permit", "notes": "Izin RT"})),
        )
        .await?;
    assert_eq!(r.status(), 200);
    let waiting: Value = r.json().await?;
    assert_eq!(
        (
            waiting["status"].as_str(),
            waiting["pending_reason"].as_str()
        ),
        (Some("pending"), Some("access_permit"))
    );
    // No free port: cancelled with the outcome, and counted as demand.
    let admin = app.signed_in("admin").await?;
    let (_, before) = admin.json("/api/v1/demand-points").await?;
    let r = cs
        .send_if(
            Method::POST,
            &path(&tickets[1]),
            1,
            Some(json!({"outcome": "no_free_port"})),
        )
        .await?;
    let cancelled: Value = r.json().await?;
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    let (_, after) = admin.json("/api/v1/demand-points").await?;
    assert!(
        after["total"].as_u64() > before["total"].as_u64(),
        "{after}"
    );
    // A repair is not surveyed; a customer records nothing.
    let customer = app.signed_in("customer").await?;
    let repair = report(&customer, "Lambat").await?;
    let r = cs
        .send_if(
            Method::POST,
            &path(&repair),
            1,
            Some(json!({"outcome": "feasible"})),
        )
        .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let r = customer
        .send_if(
            Method::POST,
            &path(&repair),
            1,
            Some(json!({"outcome": "feasible"})),
        )
        .await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    Ok(())
}

/// Putting a job on hold with the day (and window) of the next visit makes
/// that its appointment; a day that cannot be, or a next visit with another
/// move, is refused and changes nothing.
async fn a_job_on_hold_gets_its_next_visit(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let cs = app.signed_in("cs").await?;
    let t = report(&customer, "Internet mati, minta datang hari Senin").await?;
    let id = text(&t["id"])?.to_string();
    let path = format!("/api/v1/tickets/{id}/transitions");
    let version = t["version"].as_i64().unwrap_or_default();
    let hold = |next: Value| {
        cs.send_if(
            Method::POST,
            &path,
            version,
            Some(json!({"to": "pending", "pause_reason": "waiting_customer", "next_visit": next})),
        )
    };
    for (next, field, code) in [
        (
            json!({"date": "2020-01-06"}),
            "next_visit.date",
            "date_past",
        ),
        (json!({"date": "Senin"}), "next_visit.date", "date_format"),
    ] {
        let body = assert_problem(hold(next).await?, 422, "/problems/validation").await?;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    let unknown = cs
        .send_if(
            Method::POST,
            &path,
            version,
            Some(json!({"to": "pending", "pause_reason": "waiting_customer", "next_visit": {"date": "2030-01-01", "slot": 1}})),
        )
        .await?;
    assert!(unknown.status().is_client_error(), "{}", unknown.status());
    let (_, same) = cs.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(same["version"], t["version"], "nothing changed: {same}");
    assert_eq!(same["status"], "new");

    // The first working day ahead with room in the afternoon.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let mut held = None;
    for ahead in 1..=14 {
        let day = (today + chrono::Duration::days(ahead)).to_string();
        let r = hold(json!({"date": day, "window": "13:00-17:00"})).await?;
        if r.status() == 200 {
            held = Some((day, r.json::<Value>().await?));
            break;
        }
        let body: Value = r.json().await?;
        anyhow::ensure!(
            body["errors"][0]["code"] == "closed_day"
                || body["errors"][0]["field"] == "next_visit.window",
            "{body}"
        );
    }
    let (day, t) = held.ok_or_else(|| anyhow::anyhow!("no working day in two weeks"))?;
    assert_eq!(t["status"], "pending");
    assert_eq!(t["appointment_date"], day.as_str());
    assert_eq!(t["appointment_window"], "13:00-17:00");
    let (_, timeline) = cs.json(&format!("/api/v1/tickets/{id}/timeline")).await?;
    let entry = timeline["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["to_status"] == "pending")
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["data"]["next_visit"]["date"], day.as_str(), "{entry}");

    // A next visit goes only with putting the job on hold.
    let resume = cs
        .send_if(
            Method::POST,
            &path,
            t["version"].as_i64().unwrap_or_default(),
            Some(json!({"to": "new", "next_visit": {"date": day}})),
        )
        .await?;
    let body = assert_problem(resume, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "next_visit");
    Ok(())
}
