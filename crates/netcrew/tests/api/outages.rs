use netcrew_store::{
    entity::{ticket, user},
    notifications,
    sea_orm::{ColumnTrait, EntityTrait, QueryFilter},
    tickets::{self, Scope},
};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    an_outage_on_an_odp_gathers_pauses_and_resolves_its_tickets,
    outages_on_an_odc_or_an_area_and_who_may_declare_them,
);

/// A new area with one ODC, as the admin builds it.
async fn new_area(
    admin: &Session,
    code: &str,
    lat: f64,
    lng: f64,
) -> anyhow::Result<(String, String)> {
    let area: Value = admin
        .send(
            Method::POST,
            "/api/v1/areas",
            Some(json!({
                "code": code, "name": format!("Area {code}"), "city": "Bandung",
                "center": {"lat": lat, "lng": lng}, "radius_m": 1500
            })),
        )
        .await?
        .json()
        .await?;
    let area_id = text(&area["id"])?.to_string();
    let odc: Value = admin
        .send(
            Method::POST,
            "/api/v1/odcs",
            Some(json!({
                "code": format!("ODC-{code}-001"), "name": format!("ODC {code} 1"), "area_id": area_id,
                "location": {"lat": lat + 0.0005, "lng": lng + 0.0005}
            })),
        )
        .await?
        .json()
        .await?;
    Ok((area_id, text(&odc["id"])?.to_string()))
}

/// A new ODP on `odc`.
async fn new_odp(
    admin: &Session,
    odc: &str,
    code: &str,
    lat: f64,
    lng: f64,
) -> anyhow::Result<String> {
    let odp = admin
        .send(
            Method::POST,
            "/api/v1/odps",
            Some(json!({
                "code": code, "name": code, "odc_id": odc,
                "location": {"lat": lat, "lng": lng}, "port_count": 8
            })),
        )
        .await?;
    anyhow::ensure!(odp.status() == 201, "ODP: {}", odp.text().await?);
    Ok(text(&odp.json::<Value>().await?["id"])?.to_string())
}

/// An active customer on `odp` port `port`, with a portal account; answers
/// the customer's id and their account's id.
async fn connected_customer(
    app: &TestApp,
    cs: &Session,
    odp: &str,
    port: i32,
    phone: &str,
    lat: f64,
    lng: f64,
) -> anyhow::Result<(Uuid, Uuid)> {
    let packages: Value = app.get_json("/api/v1/packages?active=true").await?.1;
    let created = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": format!("Pelanggan {port}"), "phone": phone, "address": format!("Jl. Cigending No. {port}"),
            "location": {"lat": lat, "lng": lng}, "package_id": packages["items"][0]["id"],
            "odp_id": odp, "odp_port": port, "status": "active"
        })))
        .await?;
    anyhow::ensure!(
        created.status() == 201,
        "customer: {}",
        created.text().await?
    );
    let id: Uuid = text(&created.json::<Value>().await?["id"])?.parse()?;
    let opened = cs
        .send(
            Method::POST,
            &format!("/api/v1/customers/{id}/portal-account"),
            None,
        )
        .await?;
    anyhow::ensure!(
        opened.status() == 201,
        "portal account: {}",
        opened.text().await?
    );
    let account = tickets::customer_account(app.db.conn(), id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no portal account"))?;
    Ok((id, account))
}

/// A repair reported by phone: CS opens it through the API.
async fn report(app: &TestApp, customer: Uuid) -> anyhow::Result<ticket::Model> {
    let cs = app.signed_in("cs").await?;
    let created = cs
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({
                "kind": "repair", "customer_id": customer, "source": "phone",
                "description": "Internet mati, lampu LOS merah"
            })),
        )
        .await?;
    anyhow::ensure!(created.status() == 201, "ticket: {}", created.text().await?);
    let id: Uuid = text(&created.json::<Value>().await?["id"])?.parse()?;
    stored(app, id).await
}

async fn stored(app: &TestApp, id: Uuid) -> anyhow::Result<ticket::Model> {
    tickets::find(app.db.conn(), id, &Scope::All)
        .await?
        .ok_or_else(|| anyhow::anyhow!("ticket {id} is gone"))
}

/// How many notifications of `kind` the user has.
async fn notes(app: &TestApp, user: Uuid, kind: &str) -> anyhow::Result<usize> {
    let page = notifications::list(app.db.conn(), user, false, Some(500), None).await??;
    Ok(page.items.iter().filter(|n| n.kind == kind).count())
}

fn etag(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn an_outage_on_an_odp_gathers_pauses_and_resolves_its_tickets(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let cs = app.signed_in("cs").await?;
    let supervisor = app.signed_in("supervisor").await?;
    // The demo's history has resolved outages of its own.
    let history: Value = cs
        .get("/api/v1/outages?status=resolved")
        .await?
        .json()
        .await?;
    let history = history["total"].as_u64().unwrap_or_default();
    let (lat, lng) = (-6.9130, 107.7010);
    let (_, odc) = new_area(&admin, "BDG-UJB", lat, lng).await?;
    let odp = new_odp(&admin, &odc, "ODP-UJB-001-01", lat - 0.001, lng + 0.001).await?;
    let other_odp = new_odp(&admin, &odc, "ODP-UJB-001-02", lat + 0.001, lng - 0.001).await?;
    let mut behind = Vec::new();
    for port in 1..=4 {
        behind.push(
            connected_customer(
                app,
                &cs,
                &odp,
                port,
                &format!("0811-3333-00{port:02}"),
                lat - 0.001,
                lng + 0.001 + f64::from(port) * 0.0001,
            )
            .await?,
        );
    }
    let (elsewhere, _) = connected_customer(
        app,
        &cs,
        &other_odp,
        1,
        "0811-3333-0101",
        lat + 0.001,
        lng - 0.001,
    )
    .await?;

    // Three customers behind the ODP report; one of the tickets is
    // already assigned. A customer on the neighbouring ODP reports too.
    let mut reported = Vec::new();
    for (customer, _) in &behind[..3] {
        reported.push(report(app, *customer).await?);
    }
    let technician = user::Entity::find()
        .filter(user::Column::Role.eq("technician"))
        .one(app.db.conn())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no technician"))?;
    let assigned = admin
        .client
        .post(admin.url(&format!("/api/v1/tickets/{}/transitions", reported[1].id)))
        .header("x-csrf-token", &admin.csrf)
        .header("if-match", format!("\"{}\"", reported[1].version))
        .json(&json!({"to": "assigned", "technician_id": technician.id}))
        .send()
        .await?;
    anyhow::ensure!(
        assigned.status() == 200,
        "assign: {}",
        assigned.text().await?
    );
    let assigned: Value = assigned.json().await?;
    assert_eq!(assigned["status"], "assigned", "{assigned}");
    let unrelated = report(app, elsewhere).await?;

    // Three reports from one ODP within the hour: a suggestion.
    let (status, _) = app.get_json("/api/v1/outage-suggestions").await?;
    assert_eq!(status, 401);
    let suggested: Value = cs
        .get("/api/v1/outage-suggestions?window_minutes=60")
        .await?
        .json()
        .await?;
    let ours = suggested["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["odp_id"] == odp.as_str())
        .ok_or_else(|| anyhow::anyhow!("ODP not suggested: {suggested}"))?;
    assert_eq!(ours["ticket_count"], 3, "{ours}");
    assert_eq!(ours["odp_code"], "ODP-UJB-001-01");
    let bad = cs.get("/api/v1/outage-suggestions?min_tickets=1").await?;
    assert_problem(bad, 422, "/problems/validation").await?;

    // The supervisor declares the outage: the three tickets join it.
    let declared = supervisor
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({
                "element_kind": "odp", "element_id": odp,
                "title": "Kabel distribusi putus di Jl. Cigending",
                "cause": "Tiang tertabrak truk"
            })),
        )
        .await?;
    assert_eq!(declared.status(), 201);
    assert_eq!(etag(&declared).as_deref(), Some("\"1\""));
    let location = declared
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no Location"))?;
    let outage: Value = declared.json().await?;
    let outage_id: Uuid = text(&outage["id"])?.parse()?;
    assert_eq!(location, format!("/api/v1/outages/{outage_id}"));
    assert!(text(&outage["number"])?.starts_with("OUT-20"), "{outage}");
    assert_eq!(
        (
            outage["status"].as_str(),
            outage["element_code"].as_str(),
            outage["ticket_total"].as_u64()
        ),
        (Some("open"), Some("ODP-UJB-001-01"), Some(3)),
        "{outage}"
    );
    for t in &reported {
        let t = stored(app, t.id).await?;
        assert_eq!(
            (t.status.as_str(), t.pending_reason.as_deref(), t.outage_id),
            ("pending", Some("outage"), Some(outage_id)),
            "{}",
            t.number
        );
        // The clocks stop: nothing is due while the outage lasts.
        assert_eq!(t.next_due_at, ticket::no_due(), "{}", t.number);
        let pauses = tickets::pauses(app.db.conn(), t.id).await?;
        assert!(
            pauses
                .iter()
                .any(|p| p.reason == "outage" && p.ended_at.is_none()),
            "{}: {pauses:?}",
            t.number
        );
        let events = tickets::events(app.db.conn(), t.id, true).await?;
        assert!(
            events.iter().any(|e| e.kind == "outage_joined"),
            "{}",
            t.number
        );
    }
    assert_eq!(
        stored(app, reported[1].id).await?.before_pending.as_deref(),
        Some("assigned")
    );
    let unrelated = stored(app, unrelated.id).await?;
    assert_eq!(
        (unrelated.status.as_str(), unrelated.outage_id),
        ("new", None)
    );
    for (_, account) in &behind[..3] {
        assert_eq!(notes(app, *account, "outage_declared").await?, 1);
    }
    assert_eq!(notes(app, technician.id, "outage_declared").await?, 1);
    // Gathered tickets are no longer suggested.
    let suggested: Value = cs
        .get("/api/v1/outage-suggestions?window_minutes=60")
        .await?
        .json()
        .await?;
    assert!(
        suggested["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|s| s["odp_id"] != odp.as_str()),
        "{suggested}"
    );

    // One outage per element at a time.
    let twice = supervisor
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({"element_kind": "odp", "element_id": odp, "title": "Lagi"})),
        )
        .await?;
    assert_problem(twice, 409, "/problems/conflict").await?;

    // A customer behind it who reports now joins it at once.
    let late = report(app, behind[3].0).await?;
    assert_eq!(
        (
            late.status.as_str(),
            late.pending_reason.as_deref(),
            late.outage_id
        ),
        ("pending", Some("outage"), Some(outage_id))
    );
    let shown = cs.get(&location).await?;
    assert_eq!(shown.status(), 200);
    assert_eq!(etag(&shown).as_deref(), Some("\"1\""));
    let shown: Value = shown.json().await?;
    assert_eq!(shown["ticket_total"], 4, "{shown}");
    assert!(
        shown["tickets"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["status"] == "pending"),
        "{shown}"
    );

    // Lists: open outages, by number.
    let number = text(&outage["number"])?.to_string();
    let open: Value = cs.get("/api/v1/outages?status=open").await?.json().await?;
    assert_eq!(open["total"], 1, "{open}");
    assert_eq!(open["items"][0]["number"], number.as_str());
    let by_number: Value = cs
        .get(&format!("/api/v1/outages?q={}", number.to_lowercase()))
        .await?
        .json()
        .await?;
    assert_eq!(by_number["items"][0]["id"], outage["id"]);
    let resolved_list: Value = cs
        .get("/api/v1/outages?status=resolved")
        .await?
        .json()
        .await?;
    assert_eq!(resolved_list["total"], history);

    // Resolving needs the version the writer saw.
    let resolution = format!("/api/v1/outages/{outage_id}/resolution");
    let body = json!({"resolution": "Kabel disambung ulang, redaman -19 dBm"});
    let missing = supervisor
        .send(Method::POST, &resolution, Some(body.clone()))
        .await?;
    assert_problem(missing, 428, "/problems/precondition-required").await?;
    let stale = supervisor
        .client
        .post(supervisor.url(&resolution))
        .header("x-csrf-token", &supervisor.csrf)
        .header("if-match", "\"7\"")
        .json(&body)
        .send()
        .await?;
    assert_problem(stale, 412, "/problems/stale").await?;
    let cs_tries = cs
        .client
        .post(cs.url(&resolution))
        .header("x-csrf-token", &cs.csrf)
        .header("if-match", "\"1\"")
        .json(&body)
        .send()
        .await?;
    assert_problem(cs_tries, 403, "/problems/forbidden").await?;
    let resolved = supervisor
        .client
        .post(supervisor.url(&resolution))
        .header("x-csrf-token", &supervisor.csrf)
        .header("if-match", "\"1\"")
        .json(&body)
        .send()
        .await?;
    assert_eq!(resolved.status(), 200);
    assert_eq!(etag(&resolved).as_deref(), Some("\"2\""));
    let resolved: Value = resolved.json().await?;
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolved_at"].is_string(), "{resolved}");
    assert_eq!(resolved["resolution"], body["resolution"]);
    assert!(
        resolved["tickets"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["status"] == "resolved"),
        "{resolved}"
    );
    let mut children: Vec<Uuid> = reported.iter().map(|t| t.id).collect();
    children.push(late.id);
    for id in children {
        let t = stored(app, id).await?;
        assert_eq!(
            (t.status.as_str(), t.is_open, t.pending_reason.as_deref()),
            ("resolved", false, None),
            "{}",
            t.number
        );
        assert!(t.resolved_at.is_some());
        assert!(
            tickets::pauses(app.db.conn(), t.id)
                .await?
                .iter()
                .all(|p| p.ended_at.is_some()),
            "{}",
            t.number
        );
        let events = tickets::events(app.db.conn(), t.id, true).await?;
        assert!(
            events.iter().any(|e| e.kind == "outage_resolved"),
            "{}",
            t.number
        );
    }
    // Each customer hears of the repair once.
    for (_, account) in &behind {
        assert_eq!(notes(app, *account, "outage_resolved").await?, 1);
    }
    assert_eq!(stored(app, unrelated.id).await?.status, "new");

    // It is resolved once.
    let again = supervisor
        .client
        .post(supervisor.url(&resolution))
        .header("x-csrf-token", &supervisor.csrf)
        .header("if-match", "\"2\"")
        .json(&body)
        .send()
        .await?;
    assert_problem(again, 409, "/problems/conflict").await?;
    let resolved_list: Value = cs
        .get("/api/v1/outages?status=resolved")
        .await?
        .json()
        .await?;
    assert_eq!(resolved_list["total"], history + 1);
    // A new report after the repair is a ticket of its own.
    let after = report(app, behind[0].0).await?;
    assert_eq!((after.status.as_str(), after.outage_id), ("new", None));
    Ok(())
}

async fn outages_on_an_odc_or_an_area_and_who_may_declare_them(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let cs = app.signed_in("cs").await?;
    let before: Value = cs.get("/api/v1/outages").await?.json().await?;
    let (lat, lng) = (-6.9130, 107.7010);
    let (area, odc) = new_area(&admin, "BDG-UJB", lat, lng).await?;
    let odp = new_odp(&admin, &odc, "ODP-UJB-001-01", lat - 0.001, lng + 0.001).await?;
    let (customer, _) = connected_customer(
        app,
        &cs,
        &odp,
        1,
        "0811-4444-0001",
        lat - 0.001,
        lng + 0.001,
    )
    .await?;
    let first = report(app, customer).await?;

    // Who may: supervisors and admins declare; CS, technicians and
    // customers do not; technicians and customers do not even look.
    let body = json!({"element_kind": "odc", "element_id": odc, "title": "ODC padam"});
    for role in ["cs", "technician", "customer", "management"] {
        let session = app.signed_in(role).await?;
        let refused = session
            .send(Method::POST, "/api/v1/outages", Some(body.clone()))
            .await?;
        assert_problem(refused, 403, "/problems/forbidden").await?;
    }
    for role in ["technician", "customer"] {
        let session = app.signed_in(role).await?;
        assert_problem(
            session.get("/api/v1/outages").await?,
            403,
            "/problems/forbidden",
        )
        .await?;
        assert_problem(
            session.get("/api/v1/outage-suggestions").await?,
            403,
            "/problems/forbidden",
        )
        .await?;
    }

    // What it sits on must exist, and must be named.
    for (input, field) in [
        (
            json!({"element_kind": "odp", "element_id": Uuid::now_v7(), "title": "X"}),
            "element_id",
        ),
        (json!({"element_kind": "odc", "title": "X"}), "element_id"),
        (
            json!({"element_kind": "area", "area_id": Uuid::now_v7(), "title": "X"}),
            "area_id",
        ),
        (
            json!({"element_kind": "odp", "element_id": odp, "area_id": Uuid::now_v7(), "title": "X"}),
            "area_id",
        ),
        (
            json!({"element_kind": "odp", "element_id": odp, "title": " "}),
            "title",
        ),
        (
            json!({"element_kind": "odp", "element_id": odp, "title": "x".repeat(201)}),
            "title",
        ),
    ] {
        let refused = admin
            .send(Method::POST, "/api/v1/outages", Some(input.clone()))
            .await?;
        let problem = assert_problem(refused, 422, "/problems/validation").await?;
        assert_eq!(problem["errors"][0]["field"], field, "{input}: {problem}");
    }
    let no_kind = admin
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({"element_id": odp, "title": "X"})),
        )
        .await?;
    assert_problem(no_kind, 422, "/problems/validation").await?;
    let listed: Value = cs.get("/api/v1/outages").await?.json().await?;
    assert_eq!(
        listed["total"], before["total"],
        "nothing written: {listed}"
    );

    // An ODC outage gathers the tickets of the customers on its ODPs.
    let id = Uuid::now_v7();
    let declared = admin
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({"id": id, "element_kind": "odc", "element_id": odc, "title": "ODC padam"})),
        )
        .await?;
    assert_eq!(declared.status(), 201);
    let declared: Value = declared.json().await?;
    assert_eq!(declared["id"], id.to_string());
    assert_eq!(declared["area_id"], area.as_str());
    assert_eq!(
        declared["tickets"][0]["id"],
        first.id.to_string(),
        "{declared}"
    );
    let t = stored(app, first.id).await?;
    assert_eq!(t.outage_id, Some(id));

    // An area outage gathers what no outage holds yet: a ticket already in
    // the ODC outage stays there.
    let second = report(app, customer).await?;
    assert_eq!(second.outage_id, Some(id), "joins the ODC outage");
    let (other, _) = connected_customer(
        app,
        &cs,
        &odp,
        2,
        "0811-4444-0002",
        lat - 0.001,
        lng + 0.0012,
    )
    .await?;
    let pending_elsewhere = report(app, other).await?;
    assert_eq!(pending_elsewhere.outage_id, Some(id));
    let area_outage = admin
        .send(
            Method::POST,
            "/api/v1/outages",
            Some(json!({"element_kind": "area", "area_id": area, "title": "Listrik PLN padam"})),
        )
        .await?;
    assert_eq!(area_outage.status(), 201);
    let area_outage: Value = area_outage.json().await?;
    assert_eq!(area_outage["ticket_total"], 0, "{area_outage}");
    assert_eq!(area_outage["element_code"], "BDG-UJB");
    let in_area: Value = cs
        .get(&format!("/api/v1/outages?area_id={area}&status=open"))
        .await?
        .json()
        .await?;
    assert_eq!(in_area["total"], 2);
    // Newest first.
    assert_eq!(in_area["items"][0]["id"], area_outage["id"]);
    let unknown = cs
        .get(&format!("/api/v1/outages/{}", Uuid::now_v7()))
        .await?;
    assert_problem(unknown, 404, "/problems/not-found").await?;
    Ok(())
}
