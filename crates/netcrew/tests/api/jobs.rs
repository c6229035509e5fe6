//! A job's documentation on both databases: an installation cannot be
//! completed until its checklist is recorded, bad readings and serials are
//! refused with the field named, a weak optical reading needs a
//! supervisor's exception, a replayed entry is taken once, and completing
//! activates the customer on the port actually used.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    installation::{NIK, new_installation, ok, post_if, put_identity},
    support::{Session, TestApp, assert_problem, photo, png, text},
};

both_backends!(
    an_installation_is_completed_only_once_documented_and_a_weak_signal_needs_a_supervisor,
    the_healthy_band_is_a_setting,
);

async fn step(who: &Session, t: &Value, to: &str) -> anyhow::Result<reqwest::Response> {
    who.send_if(
        Method::POST,
        &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
        t["version"].as_i64().unwrap_or_default(),
        Some(json!({ "to": to })),
    )
    .await
}

async fn moved(who: &Session, t: &Value, to: &str) -> anyhow::Result<Value> {
    ok(step(who, t, to).await?).await
}

async fn put(
    who: &Session,
    id: &str,
    entry: &str,
    value: Value,
) -> anyhow::Result<reqwest::Response> {
    who.send(
        Method::PUT,
        &format!("/api/v1/tickets/{id}/checklist/{entry}"),
        Some(json!({ "value": value })),
    )
    .await
}

async fn refused(r: reqwest::Response, field: &str, code: &str) -> anyhow::Result<()> {
    let body = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], field, "{body}");
    assert_eq!(body["errors"][0]["code"], code, "{body}");
    Ok(())
}

/// The ports of an ODP nobody uses, highest first.
async fn free_ports(who: &Session, odp: &str) -> anyhow::Result<Vec<i64>> {
    let (_, o) = who.json(&format!("/api/v1/odps/{odp}")).await?;
    let (_, holders) = who
        .json(&format!("/api/v1/customers?odp_id={odp}&limit=200"))
        .await?;
    let used: Vec<i64> = holders["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["odp_port"].as_i64())
        .collect();
    let ports = o["port_count"].as_i64().unwrap_or(8);
    let free: Vec<i64> = (1..=ports).rev().filter(|p| !used.contains(p)).collect();
    anyhow::ensure!(free.len() >= 2, "{o}");
    Ok(free)
}

async fn exception(who: &Session, id: &str, reason: &str) -> anyhow::Result<reqwest::Response> {
    who.send(
        Method::POST,
        &format!("/api/v1/tickets/{id}/checklist/exception"),
        Some(json!({ "reason": reason })),
    )
    .await
}

/// A verified installation, assigned to the demo technician and walked to
/// on site.
async fn on_site_installation(app: &TestApp) -> anyhow::Result<(Value, Session, Session)> {
    let cs = app.signed_in("cs").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let t = new_installation(app, &cs, "081377712345").await?;
    let customer = text(&t["customer"]["id"])?.to_string();
    ok(put_identity(
        &cs,
        &customer,
        Some(NIK),
        Some(("ktp.png", "image/png", png()?)),
    )
    .await?)
    .await?;
    let t = ok(post_if(
        &cs,
        &t,
        "verification",
        json!({"place_confirmed": true, "package_confirmed": true}),
    )
    .await?)
    .await?;
    // The ODP the installation goes to, chosen by the supervisor.
    let (_, odps) = supervisor.json("/api/v1/odps?limit=1").await?;
    let odp = text(&odps["items"][0]["id"])?.to_string();
    let reserved = free_ports(&supervisor, &odp).await?[0];
    let t = ok(supervisor
        .send_if(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", text(&t["id"])?),
            t["version"].as_i64().unwrap_or_default(),
            Some(json!({ "odp_id": odp, "odp_port": reserved })),
        )
        .await?)
    .await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let t = ok(supervisor
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
            t["version"].as_i64().unwrap_or_default(),
            Some(json!({"to": "assigned", "technician_id": me["id"]})),
        )
        .await?)
    .await?;
    let mut t = t;
    for to in ["accepted", "en_route"] {
        t = moved(&technician, &t, to).await?;
    }
    // Arriving keeps where the phone was and how far from the place.
    let path = format!("/api/v1/tickets/{}/transitions", text(&t["id"])?);
    let version = t["version"].as_i64().unwrap_or_default();
    let arrive = |position: Value| {
        technician.send_if(
            Method::POST,
            &path,
            version,
            Some(json!({"to": "on_site", "position": position})),
        )
    };
    let r = arrive(json!({"lat": 91.0, "lng": 107.6161})).await?;
    refused(r, "position", "location").await?;
    let t = ok(arrive(json!({"lat": -6.8917, "lng": 107.6161, "accuracy_m": 12.0})).await?).await?;
    let (_, timeline) = technician
        .json(&format!("/api/v1/tickets/{}/timeline", text(&t["id"])?))
        .await?;
    let arrived = timeline["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["to_status"] == "on_site")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{timeline}"))?;
    let distance = arrived["data"]["position"]["distance_m"]
        .as_f64()
        .unwrap_or(-1.0);
    assert!((10.0..60.0).contains(&distance), "{arrived}");
    assert_eq!(arrived["data"]["position"]["accuracy_m"], 12.0);
    Ok((t, supervisor, technician))
}

async fn an_installation_is_completed_only_once_documented_and_a_weak_signal_needs_a_supervisor(
    app: &TestApp,
) -> anyhow::Result<()> {
    let (t, supervisor, technician) = on_site_installation(app).await?;
    let id = text(&t["id"])?.to_string();
    let customer_id = text(&t["customer"]["id"])?.to_string();

    let (status, sheet) = technician
        .json(&format!("/api/v1/tickets/{id}/checklist"))
        .await?;
    assert_eq!(status, 200, "{sheet}");
    assert_eq!(sheet["complete"], false);
    assert_eq!(
        sheet["missing"],
        json!([
            "odp_port",
            "drop_cable_m",
            "ont_serial",
            "rx_power",
            "speed_test",
            "photo_odp",
            "photo_ont",
            "photo_cabling",
            "customer_signature"
        ])
    );
    assert_eq!(
        sheet["optical"]["band"],
        json!({"weakest": -25.0, "warn_from": -23.0})
    );

    // Completing now says what is missing.
    let r = step(&technician, &t, "resolved").await?;
    let problem = assert_problem(r, 409, "/problems/not-ready").await?;
    assert_eq!(problem["missing"], sheet["missing"]);

    // Bad readings, serials, ports and photos: refused, the field named.
    refused(
        put(&technician, &id, "rx_power", json!({"dbm": "abc"})).await?,
        "value.dbm",
        "format",
    )
    .await?;
    refused(
        put(&technician, &id, "rx_power", json!({"dbm": 40})).await?,
        "value.dbm",
        "range",
    )
    .await?;
    refused(
        put(&technician, &id, "ont_serial", json!({"serial": "x"})).await?,
        "value.serial",
        "format",
    )
    .await?;
    refused(
        put(&technician, &id, "odp_port", json!({"port": 999})).await?,
        "value.port",
        "range",
    )
    .await?;
    // A port another customer uses.
    let odp = text(&t["odp_id"])?.to_string();
    let (_, holders) = supervisor
        .json(&format!("/api/v1/customers?odp_id={odp}&limit=50"))
        .await?;
    if let Some(taken) = holders["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"] != json!(customer_id))
        .find_map(|c| c["odp_port"].as_i64())
    {
        refused(
            put(&technician, &id, "odp_port", json!({"port": taken})).await?,
            "value.port",
            "port_taken",
        )
        .await?;
    }
    // An ONT installed at another customer's.
    let admin = app.signed_in("admin").await?;
    let (_, assets) = admin.json("/api/v1/inventory/assets?limit=500").await?;
    let at_home = assets["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["location"]["kind"] == "customer")
        .cloned();
    anyhow::ensure!(
        at_home.is_some(),
        "the demo has ONTs at customers' homes: {assets}"
    );
    if let Some(serial) = at_home.as_ref().and_then(|a| a["serial"].as_str()) {
        refused(
            put(&technician, &id, "ont_serial", json!({"serial": serial})).await?,
            "value.serial",
            "other_customer",
        )
        .await?;
    }
    // A photo that is not on this ticket.
    refused(
        put(
            &technician,
            &id,
            "photo_odp",
            json!({"attachment_ids": [uuid::Uuid::now_v7()]}),
        )
        .await?,
        "value.attachment_ids[0]",
        "unknown",
    )
    .await?;
    let (_, after_bad) = technician
        .json(&format!("/api/v1/tickets/{id}/checklist"))
        .await?;
    assert_eq!(
        after_bad["missing"], sheet["missing"],
        "nothing kept from bad input"
    );

    // The port actually used: another free one than the one reserved.
    let reserved = t["odp_port"].as_i64();
    let free = free_ports(&supervisor, &odp)
        .await?
        .into_iter()
        .find(|p| Some(*p) != reserved)
        .ok_or_else(|| anyhow::anyhow!("no other free port"))?;
    ok(put(&technician, &id, "odp_port", json!({"port": free})).await?).await?;
    ok(put(&technician, &id, "drop_cable_m", json!({"meters": "85,5"})).await?).await?;
    // The ONT: a unit the technician carries, typed in lower case with
    // spaces as a label may be read.
    let (_, me) = technician.json("/api/v1/me").await?;
    let (_, carried) = technician
        .json(&format!("/api/v1/technicians/{}/stock", text(&me["id"])?))
        .await?;
    let unit = carried["units"]
        .as_array()
        .and_then(|u| u.first())
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the demo technician carries a unit: {carried}"))?;
    let serial = text(&unit["serial"])?.to_string();
    let typed: String = serial
        .to_lowercase()
        .chars()
        .flat_map(|c| [c, ' '])
        .collect();
    ok(put(&technician, &id, "ont_serial", json!({ "serial": typed })).await?).await?;
    ok(put(
        &technician,
        &id,
        "speed_test",
        json!({"download_mbps": 49.1, "upload_mbps": 20}),
    )
    .await?)
    .await?;
    // A photo carries when and where the phone took it, and its hash.
    let upload = |taken_at: &str, lat: &str| {
        let form = reqwest::multipart::Form::new()
            .text("taken_at", taken_at.to_string())
            .text("lat", lat.to_string())
            .text("lng", "107.6161")
            .text("accuracy_m", "8");
        let form = png().map(|bytes| {
            form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("odp.png"),
            )
        });
        let request = technician
            .client
            .post(technician.url(&format!("/api/v1/tickets/{id}/attachments")))
            .header("x-csrf-token", &technician.csrf);
        async move { Ok::<_, anyhow::Error>(request.multipart(form?).send().await?) }
    };
    let future = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    refused(upload(&future, "-6.8917").await?, "taken_at", "range").await?;
    refused(upload("kemarin", "-6.8917").await?, "taken_at", "format").await?;
    refused(
        upload(&chrono::Utc::now().to_rfc3339(), "-96").await?,
        "lat",
        "location",
    )
    .await?;
    let r = upload(&chrono::Utc::now().to_rfc3339(), "-6.8917").await?;
    assert_eq!(r.status(), 201);
    let odp_photo: Value = r.json().await?;
    assert_eq!(odp_photo["lat"], -6.8917);
    assert_eq!(odp_photo["accuracy_m"], 8.0);
    assert!(odp_photo["taken_at"].is_string());
    let hash = text(&odp_photo["sha256"])?.to_string();
    assert_eq!(hash.len(), 64);
    let documented = ok(put(
        &technician,
        &id,
        "photo_odp",
        json!({"attachment_ids": [odp_photo["id"]]}),
    )
    .await?)
    .await?;
    let entry = documented["entries"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["key"] == "photo_odp"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["value"]["sha256"], json!([hash]), "{entry}");
    for entry in ["photo_ont", "photo_cabling"] {
        let photo_id = photo(&technician, &id, &format!("{entry}.png")).await?;
        ok(put(
            &technician,
            &id,
            entry,
            json!({"attachment_ids": [photo_id]}),
        )
        .await?)
        .await?;
    }
    let signature = photo(&technician, &id, "ttd.png").await?;
    let body = json!({"attachment_id": signature, "signer": "Asep Sunandar"});
    let first = ok(put(&technician, &id, "customer_signature", body.clone()).await?).await?;
    // The same entry replayed (a queue sent twice): taken once.
    let again = ok(put(&technician, &id, "customer_signature", body).await?).await?;
    let at = |s: &Value| {
        s["entries"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["key"] == "customer_signature"))
            .map(|e| e["recorded"]["at"].clone())
    };
    assert_eq!(at(&first), at(&again), "a replay records nothing new");

    // A weak reading: completion waits for a supervisor's exception.
    let weak = ok(put(&technician, &id, "rx_power", json!({"dbm": -26.2})).await?).await?;
    assert_eq!(weak["optical"]["signal"], "weak");
    assert_eq!(weak["missing"], json!(["rx_power_weak"]));
    assert_eq!(weak["intact"], true);
    let (_, t_now) = technician.json(&format!("/api/v1/tickets/{id}")).await?;
    let r = step(&technician, &t_now, "resolved").await?;
    let problem = assert_problem(r, 409, "/problems/not-ready").await?;
    assert_eq!(problem["missing"], json!(["rx_power_weak"]));
    let r = exception(&technician, &id, "jarak jauh").await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    refused(
        exception(&supervisor, &id, "  ").await?,
        "reason",
        "required",
    )
    .await?;
    let approved = ok(exception(
        &supervisor,
        &id,
        "Jarak ODP 240 m, redaman kabel drop; diterima sampai ODP baru dipasang",
    )
    .await?)
    .await?;
    assert_eq!(approved["complete"], true, "{approved}");
    assert_eq!(approved["optical"]["exception"]["dbm"], -26.2);
    // A different reading later needs its own exception.
    let other = ok(put(&technician, &id, "rx_power", json!({"dbm": -25.8})).await?).await?;
    assert_eq!(other["missing"], json!(["rx_power_weak"]));
    let healthy = ok(put(&technician, &id, "rx_power", json!({"dbm": -18.75})).await?).await?;
    assert_eq!(healthy["optical"]["signal"], "healthy");
    assert_eq!(healthy["complete"], true);

    // Completed: the customer is active on the port actually used.
    let (_, t_now) = technician.json(&format!("/api/v1/tickets/{id}")).await?;
    let done = ok(step(&technician, &t_now, "resolved").await?).await?;
    assert_eq!(done["status"], "resolved");
    let (_, customer) = supervisor
        .json(&format!("/api/v1/customers/{customer_id}"))
        .await?;
    assert_eq!(customer["status"], "active", "{customer}");
    assert_eq!(customer["odp_port"], free, "{customer}");
    // The Berita Acara: a numbered PDF on the ticket, seen by the customer.
    let number = text(&done["number"])?.to_string();
    let (_, files) = supervisor
        .json(&format!("/api/v1/tickets/{id}/attachments"))
        .await?;
    let ba = files["items"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["content_type"] == "application/pdf"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{files}"))?;
    assert_eq!(ba["file_name"], format!("BA-{number}.pdf"));
    assert_eq!(ba["internal"], false);
    let pdf = supervisor.get(text(&ba["url"])?).await?.bytes().await?;
    assert!(pdf.starts_with(b"%PDF-"));
    let body = String::from_utf8_lossy(&pdf);
    for expected in [
        "BERITA ACARA PEMASANGAN",
        "Asep Sunandar",
        serial.as_str(),
        "-18.75 dBm (baik)",
    ] {
        assert!(body.contains(expected), "{expected} in the Berita Acara");
    }
    assert_eq!(
        body.matches("/Subtype /Image").count(),
        4,
        "three photos and the signature"
    );

    // The ONT went from the technician's stock to the customer's home.
    let (_, units) = supervisor
        .json(&format!("/api/v1/inventory/assets?q={serial}"))
        .await?;
    assert_eq!(units["items"][0]["location"]["kind"], "customer", "{units}");
    assert!(body.contains("milik ISP"), "who owns the ONT is said");

    // My day: the site, its outcome, the time there.
    let (status, day) = technician.json("/api/v1/me/day").await?;
    assert_eq!(status, 200, "{day}");
    let visit = day["jobs"]
        .as_array()
        .and_then(|j| j.iter().find(|j| j["ticket_id"] == json!(id)))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{day}"))?;
    assert_eq!(visit["outcome"], "resolved", "{visit}");
    assert!(visit["left_at"].is_string());
    assert!(day["resolved"].as_u64().unwrap_or_default() >= 1, "{day}");
    let r = technician.get("/api/v1/me/day?date=29-11-2026").await?;
    refused(r, "date", "date_format").await?;
    let r = supervisor.get("/api/v1/me/day").await?;
    assert_problem(r, 403, "/problems/forbidden").await?;

    // Resolved: the documentation is closed.
    let r = put(&technician, &id, "drop_cable_m", json!({"meters": 90})).await?;
    assert_problem(r, 409, "/problems/conflict").await?;

    // The supervisor's review: the job waits with its documentation.
    let (status, queue) = supervisor.json("/api/v1/job-reviews").await?;
    assert_eq!(status, 200, "{queue}");
    let waiting = queue["items"]
        .as_array()
        .and_then(|q| q.iter().find(|j| j["ticket_id"] == json!(id)))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{queue}"))?;
    assert_eq!(waiting["checklist"]["complete"], true);
    assert_eq!(waiting["customer_name"], "Asep Sunandar");
    let r = technician.get("/api/v1/job-reviews").await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    let review_path = format!("/api/v1/tickets/{id}/review");
    let review = |body: Value, version: i64| {
        supervisor.send_if(Method::POST, &review_path, version, Some(body))
    };
    let version = waiting["version"].as_i64().unwrap_or_default();
    refused(
        review(json!({"decision": "rework"}), version).await?,
        "comment",
        "required",
    )
    .await?;
    let r = review(json!({"decision": "rework", "comment": "x"}), version - 1).await?;
    assert_problem(r, 412, "/problems/stale").await?;
    // Sent back: reopened and the technician's again, with the comment.
    let back = ok(review(
        json!({"decision": "rework", "comment": "Foto ODP buram, ambil ulang"}),
        version,
    )
    .await?)
    .await?;
    assert_eq!(back["status"], "assigned", "{back}");
    assert_eq!(back["reopened"], 1, "{back}");
    let (_, bell) = technician.json("/api/v1/notifications").await?;
    assert!(
        bell["items"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["kind"] == "job_rework"
                && n["data"]["comment"] == "Foto ODP buram, ambil ulang")),
        "{bell}"
    );
    let mut again = back;
    for to in ["accepted", "en_route", "on_site"] {
        again = moved(&technician, &again, to).await?;
    }
    let retaken = photo(&technician, &id, "odp-ulang.png").await?;
    ok(put(
        &technician,
        &id,
        "photo_odp",
        json!({"attachment_ids": [retaken]}),
    )
    .await?)
    .await?;
    let done = moved(&technician, &again, "resolved").await?;
    let approved = ok(review(
        json!({"decision": "approved", "comment": ""}),
        done["version"].as_i64().unwrap_or_default(),
    )
    .await?)
    .await?;
    assert_eq!(approved["status"], "resolved");
    let (_, queue) = supervisor.json("/api/v1/job-reviews").await?;
    assert!(
        !queue.to_string().contains(&id),
        "an approved job leaves the queue"
    );
    let r = review(
        json!({"decision": "approved"}),
        approved["version"].as_i64().unwrap_or_default(),
    )
    .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let (_, sheet) = supervisor
        .json(&format!("/api/v1/tickets/{id}/checklist"))
        .await?;
    assert_eq!(sheet["review"]["decision"], "approved");
    // The rework's completion made the second round's Berita Acara.
    let (_, files) = supervisor
        .json(&format!("/api/v1/tickets/{id}/attachments"))
        .await?;
    assert!(
        files.to_string().contains(&format!("BA-{number}-R1.pdf")),
        "{files}"
    );
    assert_eq!(sheet["intact"], true);

    // The customer sees none of it.
    let customer_session = app.signed_in("customer").await?;
    let r = customer_session
        .get(&format!("/api/v1/tickets/{id}/checklist"))
        .await?;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    Ok(())
}

async fn the_healthy_band_is_a_setting(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let (status, s) = supervisor.json("/api/v1/job-settings").await?;
    assert_eq!(status, 200);
    assert_eq!(s["optical_band"]["weakest"], -25.0);
    let r = supervisor
        .send(
            Method::PUT,
            "/api/v1/job-settings",
            Some(json!({"optical_band": {"weakest": -24, "warn_from": -22}})),
        )
        .await?;
    assert_problem(r, 403, "/problems/forbidden").await?;
    for (band, field) in [
        (json!({"weakest": -30, "warn_from": -23}), "weakest"),
        (json!({"weakest": -24, "warn_from": -26}), "warn_from"),
    ] {
        let r = admin
            .send(
                Method::PUT,
                "/api/v1/job-settings",
                Some(json!({"optical_band": band})),
            )
            .await?;
        refused(r, field, "range").await?;
    }
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/job-settings",
            Some(json!({"optical_band": {"weakest": -24, "warn_from": -22}})),
        )
        .await?;
    let saved = ok(r).await?;
    assert_eq!(
        saved["optical_band"],
        json!({"weakest": -24.0, "warn_from": -22.0})
    );
    let (_, s) = supervisor.json("/api/v1/job-settings").await?;
    assert_eq!(s["optical_band"]["warn_from"], -22.0);
    Ok(())
}
