//! Dispatch: technicians' profiles, leave and the rota; who may do a ticket
//! and why; assignment with its kept explanation, decline, override, and
//! an assignment not accepted in time.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    the_closest_able_technician_is_suggested_and_the_decision_kept,
    leave_over_jobs_asks_what_to_do_and_bad_input_is_refused,
    an_assignment_not_accepted_in_time_goes_back_to_the_queue,
    a_position_is_kept_then_forgotten,
    a_crew_works_the_ticket_with_its_lead,
    a_full_window_is_refused_and_the_next_one_named,
    a_routing_server_gives_road_times_and_its_absence_an_estimate,
);

const ALWAYS: [[&str; 1]; 7] = [["00:00-24:00"]; 7];

async fn ok(response: reqwest::Response, status: u16) -> anyhow::Result<Value> {
    let got = response.status().as_u16();
    let body: Value = response.json().await?;
    anyhow::ensure!(got == status, "{got}: {body}");
    Ok(body)
}

/// A working day (Monday to Thursday, not a holiday) at least two days
/// ahead, in the ISP's zone: a booking window there is open to everyone on
/// the standard pattern.
async fn working_day(admin: &Session) -> anyhow::Result<NaiveDate> {
    let (_, holidays) = admin.json("/api/v1/holidays").await?;
    let off: Vec<String> = holidays["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["day"].as_str().map(str::to_string))
        .collect();
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let mut d = today + Duration::days(2);
    while d.weekday().num_days_from_monday() > 3 || off.contains(&d.to_string()) {
        d += Duration::days(1);
    }
    Ok(d)
}

struct Scene {
    admin: Session,
    supervisor: Session,
    technician: Session,
    /// The demo technician (who can sign in), their area.
    near: String,
    area: String,
    skill: String,
    customer: Value,
    day: NaiveDate,
}

async fn profile(
    admin: &Session,
    id: &str,
    home: (f64, f64),
    level: i64,
    skill: &str,
) -> anyhow::Result<Value> {
    let (_, current) = admin
        .json(&format!("/api/v1/technicians/{id}/profile"))
        .await?;
    let version = current["version"].as_i64().unwrap_or_default();
    ok(
        admin
            .send_if(
                Method::PUT,
                &format!("/api/v1/technicians/{id}/profile"),
                version,
                Some(json!({
                    "home": {"lat": home.0, "lng": home.1}, "max_jobs_per_day": 6,
                    "employer": "staff", "work_pattern": ALWAYS,
                    "skills": [{"skill_id": skill, "level": level}],
                })),
            )
            .await?,
        200,
    )
    .await
}

async fn new_technician(admin: &Session, name: &str, area: &str) -> anyhow::Result<String> {
    let created = ok(
        admin
            .send(
                Method::POST,
                "/api/v1/users",
                Some(json!({
                    "name": name, "role": "technician", "area_ids": [area],
                    "email": format!("{}@example.net", name.to_lowercase().replace(' ', ".")),
                    "password": "Serat-Optik-Bandung-2026",
                })),
            )
            .await?,
        201,
    )
    .await?;
    Ok(text(&created["id"])?.to_string())
}

async fn scene(app: &TestApp) -> anyhow::Result<Scene> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let near = text(&me["id"])?.to_string();
    let (status, mine) = technician
        .json(&format!("/api/v1/technicians/{near}/profile"))
        .await?;
    assert_eq!(status, 200, "a technician sees their own profile: {mine}");
    let area = text(&mine["areas"][0])?.to_string();
    let (_, skills) = admin.json("/api/v1/skills").await?;
    let skill = skills["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["code"] == "splicing")
        .and_then(|s| s["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no splicing skill: {skills}"))?
        .to_string();
    let (_, customers) = admin
        .json(&format!(
            "/api/v1/customers?area_id={area}&status=active&limit=1"
        ))
        .await?;
    let customer = customers["items"][0].clone();
    anyhow::ensure!(customer.is_object(), "no active customer in {area}");
    let day = working_day(&admin).await?;
    Ok(Scene {
        admin,
        supervisor,
        technician,
        near,
        area,
        skill,
        customer,
        day,
    })
}

fn place(c: &Value) -> (f64, f64) {
    (
        c["location"]["lat"].as_f64().unwrap_or_default(),
        c["location"]["lng"].as_f64().unwrap_or_default(),
    )
}

async fn repair(s: &Scene) -> anyhow::Result<Value> {
    ok(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/tickets",
                Some(json!({
                    "kind": "repair", "customer_id": s.customer["id"], "description": "LOS merah",
                    "appointment_date": s.day.to_string(), "appointment_window": "08:00-12:00",
                })),
            )
            .await?,
        201,
    )
    .await
}

async fn the_closest_able_technician_is_suggested_and_the_decision_kept(
    app: &TestApp,
) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (lat, lng) = place(&s.customer);
    // The demo technician lives 500 m away, another 5 km; a third is
    // close but not skilled enough; a fourth is on leave that day.
    profile(&s.admin, &s.near, (lat + 0.0045, lng), 3, &s.skill).await?;
    let far = new_technician(&s.admin, "Dadang Far", &s.area).await?;
    profile(&s.admin, &far, (lat + 0.045, lng), 3, &s.skill).await?;
    let novice = new_technician(&s.admin, "Ujang Novice", &s.area).await?;
    profile(&s.admin, &novice, (lat, lng + 0.001), 1, &s.skill).await?;
    let away = new_technician(&s.admin, "Cecep Away", &s.area).await?;
    profile(&s.admin, &away, (lat, lng + 0.002), 4, &s.skill).await?;
    let leave = ok(
        s.supervisor
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{away}/leave"),
                Some(json!({"kind": "leave", "from": s.day.to_string(), "to": s.day.to_string(), "reason": "Nikahan adik"})),
            )
            .await?,
        201,
    )
    .await?;
    assert_eq!(leave["status"], "requested");
    ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/leave/{}/decision", text(&leave["id"])?),
                1,
                Some(json!({"approve": true})),
            )
            .await?,
        200,
    )
    .await?;

    let t = repair(&s).await?;
    let id = text(&t["id"])?.to_string();
    let (status, view) = s
        .supervisor
        .json(&format!("/api/v1/tickets/{id}/assignment"))
        .await?;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["mode"], "suggest");
    assert_eq!(view["job"]["window"], "08:00-12:00");
    assert_eq!(view["job"]["skill"], "splicing");
    let ranked = view["ranked"].as_array().cloned().unwrap_or_default();
    let order: Vec<&str> = ranked
        .iter()
        .filter_map(|r| r["technician_id"].as_str())
        .collect();
    assert_eq!(order.first(), Some(&s.near.as_str()), "{view}");
    assert!(order.contains(&far.as_str()), "{view}");
    assert!(!order.contains(&novice.as_str()) && !order.contains(&away.as_str()));
    // The parts add up to the score; travel starts at home, 0.5 km away.
    let best = &ranked[0];
    let sum: f64 = best["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["points"].as_f64())
        .sum();
    let score = best["score"].as_f64().unwrap_or_default();
    assert!((sum - score).abs() < 0.05, "{best}");
    assert_eq!(best["travel"]["from"], "home");
    let km = best["travel"]["km"].as_f64().unwrap_or_default();
    assert!((0.4..0.6).contains(&km), "{best}");
    let reasons = |who: &str| -> Vec<String> {
        view["excluded"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["technician_id"] == who)
            .map(|e| {
                e["reasons"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(reasons(&novice), ["skill_too_low"], "{view}");
    assert_eq!(reasons(&away), ["on_leave"], "{view}");

    // Roles: CS and management read it; a technician and a customer do not.
    for (role, expected) in [
        ("cs", 200),
        ("management", 200),
        ("technician", 403),
        ("customer", 403),
    ] {
        let who = app.signed_in(role).await?;
        let status = who
            .get(&format!("/api/v1/tickets/{id}/assignment"))
            .await?
            .status()
            .as_u16();
        assert_eq!(status, expected, "{role}");
    }

    let (_, board) = s
        .supervisor
        .json(&format!(
            "/api/v1/dispatch/board?date={}&area_id={}",
            s.day, s.area
        ))
        .await?;
    assert!(
        board["queue"]
            .as_array()
            .is_some_and(|q| q.iter().any(|x| x["id"] == t["id"])),
        "waiting in the queue: {board}"
    );

    // Assigning without naming anyone gives it to the best; stale and
    // missing versions are refused.
    let version = t["version"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/tickets/{id}/assignment");
    assert_problem(
        s.supervisor
            .send(Method::POST, &path, Some(json!({})))
            .await?,
        428,
        "/problems/precondition-required",
    )
    .await?;
    assert_problem(
        s.supervisor
            .send_if(Method::POST, &path, version + 5, Some(json!({})))
            .await?,
        412,
        "/problems/stale",
    )
    .await?;
    let assigned = ok(
        s.supervisor
            .send_if(Method::POST, &path, version, Some(json!({})))
            .await?,
        200,
    )
    .await?;
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(assigned["technician"]["id"], json!(s.near));
    let (_, view) = s.supervisor.json(&path).await?;
    assert_eq!(view["current"]["how"], "suggested", "{view}");
    // The board of that day: the job is in the technician's planned day,
    // with its arrival inside the window, and no longer in the queue.
    let board_path = format!("/api/v1/dispatch/board?date={}&area_id={}", s.day, s.area);
    let (status, board) = s.supervisor.json(&board_path).await?;
    assert_eq!(status, 200, "{board}");
    let day = board["technicians"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["id"] == json!(s.near))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{board}"))?;
    assert_eq!(day["shift"], json!(["00:00-24:00"]));
    assert_eq!(day["jobs"][0]["number"], t["number"], "{day}");
    assert_eq!(day["jobs"][0]["begin"], "08:00");
    assert_eq!(day["jobs"][0]["late_minutes"], 0.0);
    assert!(
        !board["queue"]
            .as_array()
            .is_some_and(|q| q.iter().any(|x| x["id"] == t["id"])),
        "{board}"
    );
    let bad = assert_problem(
        s.supervisor
            .get("/api/v1/dispatch/board?date=tomorrow")
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(bad["errors"][0]["field"], "date");
    assert_eq!(view["current"]["outcome"], "pending");
    assert_eq!(
        view["current"]["explanation"]["technician_id"],
        json!(s.near)
    );

    // The technician declines: a reason is needed; the ticket is back in
    // the queue and they are not suggested again.
    let moves = format!("/api/v1/tickets/{id}/transitions");
    let v = assigned["version"].as_i64().unwrap_or_default();
    assert_problem(
        s.technician
            .send_if(Method::POST, &moves, v, Some(json!({"to": "new"})))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let declined = ok(
        s.technician
            .send_if(
                Method::POST,
                &moves,
                v,
                Some(json!({"to": "new", "reason": "Motor mogok"})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(declined["status"], "new");
    assert!(declined["technician"].is_null(), "{declined}");
    // The customer does not read the technician's reason.
    let (_, timeline) = s
        .supervisor
        .json(&format!("/api/v1/tickets/{id}/timeline"))
        .await?;
    assert!(timeline.to_string().contains("Motor mogok"), "{timeline}");
    let (_, view) = s.supervisor.json(&path).await?;
    assert_eq!(view["history"][0]["outcome"], "declined", "{view}");
    assert_eq!(view["history"][0]["outcome_reason"], "Motor mogok");
    assert_eq!(view["ranked"][0]["technician_id"], json!(far), "{view}");
    let near = s.near.clone();
    assert_eq!(reasons_of(&view, &near), ["declined"]);

    // An override to someone ranked out needs a reason, and is kept as
    // one; an inactive technician is refused.
    let v = declined["version"].as_i64().unwrap_or_default();
    let refused = assert_problem(
        s.supervisor
            .send_if(
                Method::POST,
                &path,
                v,
                Some(json!({"technician_id": novice})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(refused["errors"][0]["field"], "reason", "{refused}");
    let (_, users) = s.admin.json("/api/v1/users?role=customer&limit=1").await?;
    let not_a_technician = text(&users["items"][0]["id"])?.to_string();
    let refused = assert_problem(
        s.supervisor
            .send_if(
                Method::POST,
                &path,
                v,
                Some(json!({"technician_id": not_a_technician, "reason": "coba"})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(refused["errors"][0]["field"], "technician_id", "{refused}");
    let overridden = ok(
        s.supervisor
            .send_if(
                Method::POST,
                &path,
                v,
                Some(json!({"technician_id": novice, "reason": "Ditemani senior"})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(overridden["technician"]["id"], json!(novice));
    let (_, view) = s.supervisor.json(&path).await?;
    assert_eq!(view["current"]["how"], "override");
    assert_eq!(view["current"]["reason"], "Ditemani senior");
    assert_eq!(view["history"].as_array().map(Vec::len), Some(2));
    Ok(())
}

fn reasons_of(view: &Value, who: &str) -> Vec<String> {
    view["excluded"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["technician_id"] == who)
        .map(|e| {
            e["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn leave_over_jobs_asks_what_to_do_and_bad_input_is_refused(
    app: &TestApp,
) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (lat, lng) = place(&s.customer);
    profile(&s.admin, &s.near, (lat, lng), 3, &s.skill).await?;
    let profile_path = format!("/api/v1/technicians/{}/profile", s.near);

    // A bad profile: a shift that ends before it starts, a level of 9, an
    // unknown skill, and partner without a name; nothing is written.
    let (_, before) = s.admin.json(&profile_path).await?;
    let version = before["version"].as_i64().unwrap_or_default();
    let mut pattern = ALWAYS.map(|d| d.map(str::to_string).to_vec()).to_vec();
    pattern[4] = vec!["13:00-11:30".to_string()];
    let bad = assert_problem(
        s.admin
            .send_if(
                Method::PUT,
                &profile_path,
                version,
                Some(json!({
                    "max_jobs_per_day": 0, "employer": "partner", "work_pattern": pattern,
                    "skills": [{"skill_id": s.skill, "level": 9}, {"skill_id": uuid::Uuid::now_v7(), "level": 2}],
                })),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let mut fields: Vec<&str> = bad["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "max_jobs_per_day",
            "partner_name",
            "skills.0.level",
            "skills.1.skill_id",
            "work_pattern.4.0"
        ],
        "{bad}"
    );
    let (_, after) = s.admin.json(&profile_path).await?;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["skills"][0]["level"], 3);
    // Only the technician themself besides dispatch readers.
    let other = new_technician(&s.admin, "Yayat Other", &s.area).await?;
    assert_eq!(
        s.technician
            .get(&format!("/api/v1/technicians/{other}/profile"))
            .await?
            .status(),
        403
    );

    // A job on the day, then leave over it: the decision asks what to do
    // with the job; "unassign" sends it back to the queue.
    let t = repair(&s).await?;
    let id = text(&t["id"])?.to_string();
    ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/tickets/{id}/assignment"),
                t["version"].as_i64().unwrap_or_default(),
                Some(json!({"technician_id": s.near})),
            )
            .await?,
        200,
    )
    .await?;
    let day = s.day.to_string();
    let bad = assert_problem(
        s.technician
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{}/leave", s.near),
                Some(json!({"kind": "leave", "from": day, "to": "2020-01-01"})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(bad["errors"][0]["field"], "to", "{bad}");
    assert_eq!(
        s.technician
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{other}/leave"),
                Some(json!({"kind": "sick", "from": day, "to": day})),
            )
            .await?
            .status(),
        403,
        "a technician asks for their own leave only"
    );
    let leave = ok(
        s.technician
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{}/leave", s.near),
                Some(json!({"kind": "leave", "from": day, "to": day, "reason": "Acara keluarga"})),
            )
            .await?,
        201,
    )
    .await?;
    assert_problem(
        s.technician
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{}/leave", s.near),
                Some(json!({"kind": "sick", "from": day, "to": day})),
            )
            .await?,
        409,
        "/problems/conflict",
    )
    .await?;
    let (_, waiting) = s.supervisor.json("/api/v1/leave?status=requested").await?;
    assert!(
        waiting["items"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x["id"] == leave["id"])),
        "{waiting}"
    );
    let decision = format!("/api/v1/leave/{}/decision", text(&leave["id"])?);
    assert_eq!(
        s.technician
            .send_if(Method::POST, &decision, 1, Some(json!({"approve": true})))
            .await?
            .status(),
        403
    );
    let asked = assert_problem(
        s.supervisor
            .send_if(Method::POST, &decision, 1, Some(json!({"approve": true})))
            .await?,
        409,
        "/problems/choice-needed",
    )
    .await?;
    assert!(
        text(&asked["detail"])?.contains(text(&t["number"])?),
        "{asked}"
    );
    assert_eq!(asked["allowed"], json!(["unassign", "keep"]));
    let (_, still) = s.supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(still["status"], "assigned", "nothing half-written");
    let decided = ok(
        s.supervisor
            .send_if(
                Method::POST,
                &decision,
                1,
                Some(json!({"approve": true, "jobs": "unassign"})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(decided["leave"]["status"], "approved");
    assert_eq!(decided["unassigned"], json!([t["number"]]));
    let (_, back) = s.supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(back["status"], "new");
    assert!(back["technician"].is_null());
    let (_, view) = s
        .supervisor
        .json(&format!("/api/v1/tickets/{id}/assignment"))
        .await?;
    assert!(
        reasons_of(&view, &s.near).contains(&"on_leave".to_string()),
        "{view}"
    );

    // The rota: a span that ends before it starts is refused; a turn is
    // listed, a second one overlapping it is refused, and it can go.
    let bad = assert_problem(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/on-call",
                Some(json!({"technician_id": other, "day": day, "span": "23:00-17:00"})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(bad["errors"][0]["code"], "span_order", "{bad}");
    let turn = ok(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/on-call",
                Some(json!({"technician_id": other, "day": day, "span": "17:00-24:00", "note": "piket malam"})),
            )
            .await?,
        201,
    )
    .await?;
    assert_problem(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/on-call",
                Some(json!({"technician_id": other, "day": day, "span": "20:00-22:00"})),
            )
            .await?,
        409,
        "/problems/conflict",
    )
    .await?;
    let (_, rota) = s
        .technician
        .json(&format!("/api/v1/on-call?from={day}&to={day}"))
        .await?;
    assert_eq!(rota["items"][0]["span"], "17:00-24:00", "{rota}");
    assert_eq!(
        s.supervisor
            .send(
                Method::DELETE,
                &format!("/api/v1/on-call/{}", text(&turn["id"])?),
                None,
            )
            .await?
            .status(),
        204
    );

    // The settings: only admins change them, with checked values.
    let (_, settings) = s.admin.json("/api/v1/dispatch/settings").await?;
    let v = settings["version"].as_i64().unwrap_or_default();
    let body = json!({
        "mode": "automatic", "weights": {"travel": 1.0, "workload": 8.0, "skill_surplus": 2.0, "continuity": 10.0, "urgency": 1.0},
        "road_factor": 9.0, "speed_kmh": 25.0, "accept_minutes": 30,
        "ramadan_from": "2027-02-08", "ramadan_to": "2027-01-01",
    });
    assert_eq!(
        s.supervisor
            .send_if(
                Method::PUT,
                "/api/v1/dispatch/settings",
                v,
                Some(body.clone())
            )
            .await?
            .status(),
        403
    );
    let bad = assert_problem(
        s.admin
            .send_if(Method::PUT, "/api/v1/dispatch/settings", v, Some(body))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["road_factor", "ramadan_to"], "{bad}");
    Ok(())
}

async fn an_assignment_not_accepted_in_time_goes_back_to_the_queue(
    app: &TestApp,
) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (lat, lng) = place(&s.customer);
    profile(&s.admin, &s.near, (lat, lng), 3, &s.skill).await?;
    let t = repair(&s).await?;
    let id = text(&t["id"])?.to_string();
    ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/tickets/{id}/assignment"),
                t["version"].as_i64().unwrap_or_default(),
                Some(json!({})),
            )
            .await?,
        200,
    )
    .await?;
    let settings = netcrew_store::tickets::Settings::default();
    // Within the time: nothing happens.
    let now = Utc::now();
    let taken = netcrew_store::dispatching::expire_unaccepted(&app.db, &settings, now, 100).await?;
    assert_eq!(taken, 0);
    // After the settings' 30 minutes: back to the queue, the supervisors
    // are told, and the log says it timed out.
    let later = now + Duration::minutes(31);
    let taken =
        netcrew_store::dispatching::expire_unaccepted(&app.db, &settings, later, 100).await?;
    assert_eq!(taken, 1);
    let (_, back) = s.supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(back["status"], "new", "{back}");
    let (_, view) = s
        .supervisor
        .json(&format!("/api/v1/tickets/{id}/assignment"))
        .await?;
    assert_eq!(view["history"][0]["outcome"], "timed_out", "{view}");
    let (_, notes) = s.supervisor.json("/api/v1/notifications").await?;
    assert!(
        notes["items"]
            .as_array()
            .is_some_and(|n| n.iter().any(|x| x["kind"] == "assignment_timed_out")),
        "{notes}"
    );
    // In automatic mode the queue is given out again, to someone else.
    let other = new_technician(&s.admin, "Asep Next", &s.area).await?;
    profile(&s.admin, &other, (lat, lng + 0.01), 3, &s.skill).await?;
    let (_, current) = s.admin.json("/api/v1/dispatch/settings").await?;
    ok(
        s.admin
            .send_if(
                Method::PUT,
                "/api/v1/dispatch/settings",
                current["version"].as_i64().unwrap_or_default(),
                Some(json!({
                    "mode": "automatic", "weights": current["weights"], "road_factor": 1.4,
                    "speed_kmh": 25.0, "accept_minutes": 30,
                })),
            )
            .await?,
        200,
    )
    .await?;
    let given = netcrew_store::dispatching::dispatch_queue(&app.db, &settings, later, 500).await?;
    assert!(given >= 1, "{given}");
    let (_, again) = s.supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(again["status"], "assigned", "{again}");
    assert_eq!(again["technician"]["id"], json!(other));
    let (_, view) = s
        .supervisor
        .json(&format!("/api/v1/tickets/{id}/assignment"))
        .await?;
    assert_eq!(view["current"]["how"], "automatic", "{view}");
    assert_eq!(view["current"]["decided_by_name"], "NetCrew");
    Ok(())
}

async fn a_position_is_kept_then_forgotten(app: &TestApp) -> anyhow::Result<()> {
    let technician = app.signed_in("technician").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let path = format!("/api/v1/technicians/{}/profile", text(&me["id"])?);
    let bad = assert_problem(
        technician
            .send(
                Method::POST,
                "/api/v1/technicians/me/position",
                Some(json!({"lat": 95.0, "lng": 107.6})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(bad["errors"][0]["field"], "lat");
    let kept = technician
        .send(
            Method::POST,
            "/api/v1/technicians/me/position",
            Some(json!({"lat": -6.9, "lng": 107.61, "accuracy_m": 12.5})),
        )
        .await?;
    assert_eq!(kept.status(), 204);
    let (_, p) = technician.json(&path).await?;
    assert_eq!(p["position"]["lat"], -6.9, "{p}");
    assert_eq!(p["position"]["accuracy_m"], 12.5);
    assert!(p["position"]["at"].as_str().is_some());
    // A supervisor cannot send a position as if they were in the field.
    let supervisor = app.signed_in("supervisor").await?;
    assert_eq!(
        supervisor
            .send(
                Method::POST,
                "/api/v1/technicians/me/position",
                Some(json!({"lat": -6.9, "lng": 107.61})),
            )
            .await?
            .status(),
        403
    );
    // After its retention the position is forgotten.
    let files = netcrew_store::attachments::local_files(&app.data_dir().join("attachments"))?;
    let keep = netcrew_store::retention::Retention {
        ktp_photos: None,
        job_photos: None,
        positions: Some(Duration::days(30)),
    };
    let soon = netcrew_store::retention::sweep(&app.db, &files, &keep, Utc::now(), 100).await?;
    assert_eq!(soon.positions, 0);
    let later = Utc::now() + Duration::days(31);
    let gone = netcrew_store::retention::sweep(&app.db, &files, &keep, later, 100).await?;
    assert_eq!(gone.positions, 1);
    let (_, p) = technician.json(&path).await?;
    assert!(p["position"].is_null(), "{p}");
    Ok(())
}

async fn a_crew_works_the_ticket_with_its_lead(app: &TestApp) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (lat, lng) = place(&s.customer);
    profile(&s.admin, &s.near, (lat, lng), 3, &s.skill).await?;
    let mate = new_technician(&s.admin, "Rudi Crew", &s.area).await?;
    let t = repair(&s).await?;
    let id = text(&t["id"])?.to_string();
    let crew = format!("/api/v1/tickets/{id}/crew");
    // No lead yet: the crew waits.
    assert_problem(
        s.supervisor
            .send_if(
                Method::PUT,
                &crew,
                t["version"].as_i64().unwrap_or_default(),
                Some(json!({"member_ids": [mate]})),
            )
            .await?,
        409,
        "/problems/conflict",
    )
    .await?;
    let t = ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/tickets/{id}/assignment"),
                t["version"].as_i64().unwrap_or_default(),
                Some(json!({"technician_id": s.near})),
            )
            .await?,
        200,
    )
    .await?;
    let v = t["version"].as_i64().unwrap_or_default();
    assert_problem(
        s.supervisor
            .send(Method::PUT, &crew, Some(json!({"member_ids": [mate]})))
            .await?,
        428,
        "/problems/precondition-required",
    )
    .await?;
    let bad = assert_problem(
        s.supervisor
            .send_if(
                Method::PUT,
                &crew,
                v,
                Some(json!({"member_ids": [s.near, uuid::Uuid::now_v7()]})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let codes: Vec<&str> = bad["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert_eq!(codes, ["lead", "unknown"], "{bad}");
    let with_crew = ok(
        s.supervisor
            .send_if(Method::PUT, &crew, v, Some(json!({"member_ids": [mate]})))
            .await?,
        200,
    )
    .await?;
    assert_eq!(with_crew["crew"][0]["id"], json!(mate), "{with_crew}");
    assert_eq!(with_crew["crew"][0]["name"], "Rudi Crew");
    assert_eq!(with_crew["technician"]["id"], json!(s.near));
    // On the board the job is in the member's day too, marked as the lead's.
    let (_, board) = s
        .supervisor
        .json(&format!(
            "/api/v1/dispatch/board?date={}&area_id={}",
            s.day, s.area
        ))
        .await?;
    let row = |who: &str| {
        board["technicians"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["id"] == who)
            .and_then(|t| t["jobs"].as_array())
            .and_then(|jobs| jobs.iter().find(|j| j["ticket_id"] == json!(id)))
            .cloned()
    };
    let ridden = row(&mate).ok_or_else(|| anyhow::anyhow!("not on the member's row: {board}"))?;
    assert_eq!(ridden["crew_lead_id"], json!(s.near), "{ridden}");
    let led = row(&s.near).ok_or_else(|| anyhow::anyhow!("not on the lead's row: {board}"))?;
    assert!(led["crew_lead_id"].is_null(), "{led}");

    // The member sees the job and documents it; the moves are the lead's.
    let member = app
        .signed_in_as("rudi.crew@example.net", "Serat-Optik-Bandung-2026")
        .await?;
    let (_, mine) = member.json("/api/v1/tickets?open=true").await?;
    assert!(
        mine["items"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x["id"] == json!(id))),
        "{mine}"
    );
    let commented = member
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/comments"),
            Some(json!({"body": "Saya bawa tangga", "internal": true})),
        )
        .await?;
    assert_eq!(commented.status(), 201);
    let (_, seen) = member.json(&format!("/api/v1/tickets/{id}")).await?;
    assert_eq!(
        member
            .send_if(
                Method::POST,
                &format!("/api/v1/tickets/{id}/transitions"),
                seen["version"].as_i64().unwrap_or_default(),
                Some(json!({"to": "accepted"})),
            )
            .await?
            .status(),
        403
    );
    // Off the crew, the job is gone from their view.
    let (_, now) = s.supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    let cleared = ok(
        s.supervisor
            .send_if(
                Method::PUT,
                &crew,
                now["version"].as_i64().unwrap_or_default(),
                Some(json!({"member_ids": []})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(cleared["crew"], json!([]));
    assert_eq!(
        member.get(&format!("/api/v1/tickets/{id}")).await?.status(),
        404
    );
    Ok(())
}

/// The morning window of the first day asked, as staff see it.
async fn morning(who: &Session, url: &str) -> anyhow::Result<Value> {
    let (status, body) = who.json(url).await?;
    anyhow::ensure!(status == 200, "{status}: {body}");
    let w = body["days"][0]["windows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|w| w["window"] == "08:00-12:00")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no morning window: {body}"))?;
    Ok(w)
}

async fn tickets_of(s: &Scene) -> anyhow::Result<usize> {
    let path = format!(
        "/api/v1/tickets?customer_id={}&limit=200",
        s.customer["id"].as_str().unwrap_or_default()
    );
    let (_, list) = s.supervisor.json(&path).await?;
    Ok(list["items"].as_array().map_or(0, Vec::len))
}

fn num(v: &Value) -> i64 {
    v.as_i64().unwrap_or(-1)
}

async fn a_full_window_is_refused_and_the_next_one_named(app: &TestApp) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (_, types) = s.admin.json("/api/v1/service-types").await?;
    let repair_type = types["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["code"] == "repair")
        .and_then(|t| t["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no repair type: {types}"))?
        .to_string();
    let url = format!(
        "/api/v1/areas/{}/booking-windows?from={}&days=7&service_type_id={repair_type}",
        s.area, s.day
    );
    let before = morning(&s.supervisor, &url).await?;
    let units = num(&before["room"]["units"]);
    let total = num(&before["room"]["total_minutes"]);
    assert!(units >= 1 && before["has_room"] == true, "{before}");

    // A new technician on the standard shift brings the morning's 240
    // minutes; their approved leave takes them away again.
    let extra = new_technician(&s.admin, "Budi Booking", &s.area).await?;
    let more = morning(&s.supervisor, &url).await?;
    assert_eq!(num(&more["room"]["units"]), units + 1, "{more}");
    assert_eq!(num(&more["room"]["total_minutes"]), total + 240, "{more}");
    let leave = ok(
        s.supervisor
            .send(
                Method::POST,
                &format!("/api/v1/technicians/{extra}/leave"),
                Some(json!({"kind": "sick", "from": s.day.to_string(), "to": s.day.to_string(), "reason": "Demam"})),
            )
            .await?,
        201,
    )
    .await?;
    ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/leave/{}/decision", text(&leave["id"])?),
                1,
                Some(json!({"approve": true})),
            )
            .await?,
        200,
    )
    .await?;
    let again = morning(&s.supervisor, &url).await?;
    assert_eq!(num(&again["room"]["total_minutes"]), total, "{again}");
    // The board hears of it live.
    {
        use futures::StreamExt;
        let stream = s
            .supervisor
            .client
            .get(s.supervisor.url("/api/v1/events?last_event_id=0"))
            .send()
            .await?;
        let mut body = stream.bytes_stream();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut seen = String::new();
        while !(seen.contains("technician.availability") && seen.contains(&extra)) {
            let chunk = tokio::time::timeout_at(deadline, body.next())
                .await?
                .ok_or_else(|| anyhow::anyhow!("the stream ended"))??;
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    // Book the morning full, one repair at a time.
    let mut booked = Vec::new();
    let mut left = num(&again["room"]["free_jobs"]);
    assert!(left >= 1, "{again}");
    while left > 0 && booked.len() < 60 {
        booked.push(repair(&s).await?);
        let now = num(&morning(&s.supervisor, &url).await?["room"]["free_jobs"]);
        assert_eq!(now, left - 1, "each booking takes one place");
        left = now;
    }
    let full = morning(&s.supervisor, &url).await?;
    assert_eq!(full["has_room"], false, "{full}");
    let (_, public) = app.get_json(&url).await?;
    let public_morning = &public["days"][0]["windows"][0];
    assert_eq!(public_morning["has_room"], false, "{public}");
    assert!(
        public_morning["room"].is_null(),
        "the public sees no figures: {public}"
    );

    let tickets_before = tickets_of(&s).await?;
    let refused = assert_problem(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/tickets",
                Some(json!({
                    "kind": "repair", "customer_id": s.customer["id"], "description": "LOS merah",
                    "appointment_date": s.day.to_string(), "appointment_window": "08:00-12:00",
                })),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let error = &refused["errors"][0];
    assert_eq!(error["field"], "appointment_window", "{refused}");
    assert_eq!(error["code"], "window_full", "{refused}");
    assert!(error["params"]["next_date"].is_string(), "{refused}");
    assert!(error["params"]["next_window"].is_string(), "{refused}");
    assert_eq!(tickets_of(&s).await?, tickets_before, "nothing was written");

    // The afternoon has room: a ticket booked there cannot move into the
    // full morning, but one of the morning's own may move and come back.
    let afternoon = ok(
        s.supervisor
            .send(
                Method::POST,
                "/api/v1/tickets",
                Some(json!({
                    "kind": "repair", "customer_id": s.customer["id"], "description": "Lambat",
                    "appointment_date": s.day.to_string(), "appointment_window": "13:00-17:00",
                })),
            )
            .await?,
        201,
    )
    .await?;
    let moved = assert_problem(
        s.supervisor
            .send_if(
                Method::PATCH,
                &format!("/api/v1/tickets/{}", text(&afternoon["id"])?),
                num(&afternoon["version"]),
                Some(json!({"appointment_window": "08:00-12:00"})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(moved["errors"][0]["code"], "window_full", "{moved}");
    let first = &booked[0];
    let path = format!("/api/v1/tickets/{}", text(&first["id"])?);
    let same = ok(
        s.supervisor
            .send_if(
                Method::PATCH,
                &path,
                num(&first["version"]),
                Some(json!({"appointment_date": s.day.to_string(), "appointment_window": "08:00-12:00", "description": "LOS merah, kabel putus"})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(same["appointment_window"], "08:00-12:00");

    // A crew works as one unit: the morning loses one.
    let lead_ticket = ok(
        s.supervisor
            .send_if(
                Method::POST,
                &format!("{path}/assignment"),
                num(&same["version"]),
                Some(json!({"technician_id": s.near, "reason": "Sudah kenal pelanggan"})),
            )
            .await?,
        200,
    )
    .await?;
    let mate = new_technician(&s.admin, "Rudi Boncengan", &s.area).await?;
    let with_mate = morning(&s.supervisor, &url).await?;
    ok(
        s.supervisor
            .send_if(
                Method::PUT,
                &format!("{path}/crew"),
                num(&lead_ticket["version"]),
                Some(json!({"member_ids": [mate]})),
            )
            .await?,
        200,
    )
    .await?;
    let crewed = morning(&s.supervisor, &url).await?;
    assert_eq!(
        num(&crewed["room"]["units"]),
        num(&with_mate["room"]["units"]) - 1,
        "{with_mate} then {crewed}"
    );

    // Bad questions are answered with field problems.
    let bad = assert_problem(
        s.supervisor
            .get(&format!(
                "/api/v1/areas/{}/booking-windows?from=kemarin&days=99",
                s.area
            ))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["from", "days"], "{bad}");
    let (status, _) = app
        .get_json(&format!(
            "/api/v1/areas/{}/booking-windows",
            uuid::Uuid::now_v7()
        ))
        .await?;
    assert_eq!(status, 404);
    Ok(())
}

/// A routing server's table service that knows one fast road: from
/// `fast` (lat, lng) two minutes, from anywhere else an hour.
async fn routing_server(fast: (f64, f64)) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    use axum::{extract::Path, routing::get};
    let app = axum::Router::new().route(
        "/table/v1/driving/{coords}",
        get(move |Path(coords): Path<String>| async move {
            let points: Vec<(f64, f64)> = coords
                .split(';')
                .filter_map(|p| {
                    let (lng, lat) = p.split_once(',')?;
                    Some((lat.parse().ok()?, lng.parse().ok()?))
                })
                .collect();
            let rows: Vec<Vec<f64>> = points
                .iter()
                .skip(1)
                .map(|(lat, lng)| {
                    let near = (lat - fast.0).abs() < 1e-4 && (lng - fast.1).abs() < 1e-4;
                    vec![if near { 120.0 } else { 3600.0 }]
                })
                .collect();
            axum::Json(json!({"code": "Ok", "durations": rows}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((url, task))
}

async fn set_routing(admin: &Session, url: &str) -> anyhow::Result<Value> {
    let (_, current) = admin.json("/api/v1/dispatch/settings").await?;
    let mut body = json!({
        "mode": current["mode"], "weights": current["weights"], "road_factor": current["road_factor"],
        "speed_kmh": current["speed_kmh"], "accept_minutes": current["accept_minutes"],
        "routing_url": url,
    });
    if url.is_empty() {
        body["routing_url"] = Value::Null;
    }
    let response = admin
        .send_if(
            Method::PUT,
            "/api/v1/dispatch/settings",
            num(&current["version"]),
            Some(body),
        )
        .await?;
    let status = response.status().as_u16();
    let answer: Value = response.json().await?;
    anyhow::ensure!(status == 200 || status == 422, "{status}: {answer}");
    Ok(answer)
}

async fn a_routing_server_gives_road_times_and_its_absence_an_estimate(
    app: &TestApp,
) -> anyhow::Result<()> {
    let s = scene(app).await?;
    let (lat, lng) = place(&s.customer);
    // The demo technician lives 500 m away; the other 5 km, but on a fast
    // road.
    profile(&s.admin, &s.near, (lat + 0.0045, lng), 3, &s.skill).await?;
    let far = new_technician(&s.admin, "Dadang Jalan Tol", &s.area).await?;
    let far_home = (lat + 0.045, lng);
    profile(&s.admin, &far, far_home, 3, &s.skill).await?;
    let t = repair(&s).await?;
    let view = format!("/api/v1/tickets/{}/assignment", text(&t["id"])?);
    let first = |v: &Value| v["ranked"][0].clone();

    let (_, estimated) = s.supervisor.json(&view).await?;
    assert_eq!(
        first(&estimated)["technician_id"],
        json!(s.near),
        "{estimated}"
    );
    assert_eq!(first(&estimated)["travel"]["by_road"], false);

    let bad = set_routing(&s.admin, "ftp://peta.local").await?;
    assert_eq!(bad["errors"][0]["field"], "routing_url", "{bad}");
    assert_eq!(bad["errors"][0]["code"], "format", "{bad}");

    let (url, server) = routing_server(far_home).await?;
    let saved = set_routing(&s.admin, &url).await?;
    assert_eq!(saved["routing_url"], json!(url));
    let (_, routed) = s.supervisor.json(&view).await?;
    let best = first(&routed);
    assert_eq!(best["technician_id"], json!(far), "{routed}");
    assert_eq!(best["travel"]["by_road"], true, "{best}");
    assert_eq!(best["travel"]["minutes"], 2.0, "{best}");
    let km = best["travel"]["km"].as_f64().unwrap_or_default();
    assert!(
        (4.5..5.5).contains(&km),
        "straight-line km still shown: {best}"
    );
    server.abort();

    // A server that does not answer: the estimate, never an error.
    set_routing(&s.admin, "http://127.0.0.1:9").await?;
    let (status, fallback) = s.supervisor.json(&view).await?;
    assert_eq!(status, 200, "{fallback}");
    assert_eq!(
        first(&fallback)["technician_id"],
        json!(s.near),
        "{fallback}"
    );
    assert_eq!(first(&fallback)["travel"]["by_road"], false);
    let assigned = ok(
        s.supervisor
            .send_if(Method::POST, &view, num(&t["version"]), Some(json!({})))
            .await?,
        200,
    )
    .await?;
    assert_eq!(assigned["technician"]["id"], json!(s.near), "{assigned}");
    Ok(())
}
