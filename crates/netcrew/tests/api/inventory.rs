//! Inventory: the catalogue, receipts, issues to technicians, what a job
//! used, units by serial number, the last unit taken once, reorder alerts,
//! counts' corrections, and bad input refused with nothing written.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    stock_goes_from_the_warehouse_to_a_technician_to_a_customer,
    the_last_unit_is_taken_once,
    the_demo_ledger_adds_up,
    a_technician_asks_for_material_and_the_storekeeper_issues_it,
    opening_stock_comes_from_a_spreadsheet_all_or_nothing,
);

async fn ok(response: reqwest::Response, status: u16) -> anyhow::Result<Value> {
    let got = response.status().as_u16();
    let body: Value = response.json().await?;
    anyhow::ensure!(got == status, "{got}: {body}");
    Ok(body)
}

async fn post(who: &Session, path: &str, body: Value) -> anyhow::Result<reqwest::Response> {
    who.send(Method::POST, path, Some(body)).await
}

fn codes(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap_or_default(),
                e["code"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

async fn item(store: &Session, body: Value) -> anyhow::Result<String> {
    let created = ok(post(store, "/api/v1/inventory/items", body).await?, 201).await?;
    Ok(text(&created["id"])?.to_string())
}

async fn warehouse(store: &Session, name: &str) -> anyhow::Result<String> {
    let created = ok(
        post(
            store,
            "/api/v1/inventory/locations",
            json!({"kind": "warehouse", "name": name}),
        )
        .await?,
        201,
    )
    .await?;
    Ok(text(&created["id"])?.to_string())
}

async fn quantity(who: &Session, item: &str, place: &str) -> anyhow::Result<i64> {
    let (status, list) = who
        .json(&format!(
            "/api/v1/inventory/stock?item_id={item}&location_id={place}"
        ))
        .await?;
    anyhow::ensure!(status == 200, "{status}: {list}");
    Ok(list["items"][0]["quantity"].as_i64().unwrap_or(0))
}

async fn stock_goes_from_the_warehouse_to_a_technician_to_a_customer(
    app: &TestApp,
) -> anyhow::Result<()> {
    let store = app.signed_in("warehouse").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let admin = app.signed_in("admin").await?;
    // A new technician, with nothing in their bag yet.
    let (_, areas) = app.get_json("/api/v1/areas?limit=1").await?;
    let created = ok(
        post(
            &admin,
            "/api/v1/users",
            json!({"name": "Yayan Gudang", "role": "technician", "area_ids": [areas["items"][0]["id"]],
                   "email": "yayan@example.net", "password": "Serat-Optik-Bandung-2026"}),
        )
        .await?,
        201,
    )
    .await?;
    let tech_id = text(&created["id"])?.to_string();
    let technician = app
        .signed_in_as("yayan@example.net", "Serat-Optik-Bandung-2026")
        .await?;

    // The catalogue, with its rules.
    let ont = item(
        &store,
        json!({"code": "ont-f680", "name": "ONT ZTE F680", "kind": "ont", "unit_cost": 350000, "terms": "loaned"}),
    )
    .await?;
    let cable = item(
        &store,
        json!({"code": "DC-2C", "name": "Drop cable 2 core", "kind": "drop_cable", "unit": "m", "unit_cost": 2500}),
    )
    .await?;
    let bad = assert_problem(
        post(
            &store,
            "/api/v1/inventory/items",
            json!({"code": "ONT-F680", "name": "", "kind": "sapi", "unit_cost": -1}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        codes(&bad),
        ["name:required", "kind:choice", "unit_cost:range"],
        "{bad}"
    );
    let taken = assert_problem(
        post(
            &store,
            "/api/v1/inventory/items",
            json!({"code": "ONT-F680", "name": "Lagi", "kind": "ont", "unit_cost": 1}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&taken), ["code:taken"]);
    let (_, items) = technician.json("/api/v1/inventory/items?q=f680").await?;
    assert_eq!(items["total"], 1, "technicians see the catalogue: {items}");
    assert_eq!(items["items"][0]["serial_tracked"], true);

    // Receipts into a warehouse.
    let gudang = warehouse(&store, "Gudang Bandung").await?;
    let receipt = ok(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "receipt", "item_id": ont, "to_location_id": gudang,
                   "serial": "zteg1a2b3c4d", "mac": "00-1a-2b-3c-4d-5e"}),
        )
        .await?,
        201,
    )
    .await?;
    assert_eq!(receipt["serial"], "ZTEG1A2B3C4D");
    let again = assert_problem(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "receipt", "item_id": ont, "to_location_id": gudang,
                   "serial": "ZTEG1A2B3C4D", "mac": "00:1A:2B:3C:4D:5E"}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&again), ["serial:taken", "mac:taken"], "{again}");
    ok(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "receipt", "item_id": cable, "to_location_id": gudang, "quantity": 500}),
        )
        .await?,
        201,
    )
    .await?;
    let wrong = assert_problem(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "install", "item_id": cable, "from_location_id": gudang,
                   "to_location_id": gudang, "quantity": 0}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        codes(&wrong),
        [
            "ticket_id:required",
            "to_location_id:movement_places",
            "quantity:range"
        ],
        "{wrong}"
    );
    let unknown = assert_problem(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "receipt", "item_id": uuid::Uuid::now_v7(), "to_location_id": gudang, "quantity": 1}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&unknown), ["item_id:unknown"]);

    // Issued to the technician; a reorder level crossed tells the admins.
    let level = admin
        .send(
            Method::PUT,
            "/api/v1/inventory/reorder-levels",
            Some(json!({"item_id": cable, "location_id": gudang, "minimum": 450})),
        )
        .await?;
    assert_eq!(level.status(), 204);
    for body in [
        json!({"kind": "issue", "serial": "ZTEG1A2B3C4D", "to_technician_id": tech_id}),
        json!({"kind": "issue", "item_id": cable, "from_location_id": gudang, "to_technician_id": tech_id, "quantity": 100}),
    ] {
        ok(
            post(&store, "/api/v1/inventory/movements", body).await?,
            201,
        )
        .await?;
    }
    assert_eq!(quantity(&store, &cable, &gudang).await?, 400);
    let (_, notes) = admin.json("/api/v1/notifications").await?;
    assert!(
        notes["items"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["kind"] == "stock_low")),
        "{notes}"
    );
    let short = assert_problem(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "transfer", "item_id": cable, "from_technician_id": tech_id,
                   "to_technician_id": tech_id, "quantity": 101}),
        )
        .await?,
        409,
        "/problems/conflict",
    )
    .await?;
    assert!(text(&short["detail"])?.contains("100"), "{short}");

    // The technician sees what they carry, and no one else's.
    let (status, mine) = technician
        .json(&format!("/api/v1/technicians/{tech_id}/stock"))
        .await?;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["units"][0]["serial"], "ZTEG1A2B3C4D");
    assert_eq!(mine["value"], 350_000 + 100 * 2500);
    let (_, users) = admin.json("/api/v1/users?role=technician&limit=5").await?;
    let other = users["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str())
        .find(|id| *id != tech_id)
        .ok_or_else(|| anyhow::anyhow!("one technician only"))?
        .to_string();
    assert_eq!(
        technician
            .get(&format!("/api/v1/technicians/{other}/stock"))
            .await?
            .status(),
        403
    );

    // A job of theirs uses the ONT and 20 m of cable.
    let (_, customers) = admin
        .json("/api/v1/customers?status=active&limit=1")
        .await?;
    let customer = customers["items"][0]["id"].clone();
    let t = ok(
        post(
            &supervisor,
            "/api/v1/tickets",
            json!({"kind": "repair", "customer_id": customer, "description": "ONT mati total"}),
        )
        .await?,
        201,
    )
    .await?;
    let ticket_id = text(&t["id"])?.to_string();
    let equipment = format!("/api/v1/tickets/{ticket_id}/equipment");
    let unassigned = assert_problem(
        post(&store, &equipment, json!({"serial": "ZTEG1A2B3C4D"})).await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&unassigned), ["ticket_id:unassigned"]);
    ok(
        supervisor
            .send_if(
                Method::POST,
                &format!("/api/v1/tickets/{ticket_id}/assignment"),
                t["version"].as_i64().unwrap_or_default(),
                Some(json!({"technician_id": tech_id, "reason": "Bawa ONT pengganti"})),
            )
            .await?,
        200,
    )
    .await?;
    let installed = ok(
        post(
            &technician,
            &equipment,
            json!({"serial": "ZTEG1A2B3C4D", "id": "01930000-0000-7000-8000-000000000001"}),
        )
        .await?,
        201,
    )
    .await?;
    assert_eq!(installed["kind"], "install");
    assert_eq!(installed["to"]["customer_id"], customer);
    // Sent again from an offline phone: recorded once.
    let replay = ok(
        post(
            &technician,
            &equipment,
            json!({"serial": "ZTEG1A2B3C4D", "id": "01930000-0000-7000-8000-000000000001"}),
        )
        .await?,
        201,
    )
    .await?;
    assert_eq!(replay["id"], installed["id"]);
    ok(
        post(
            &technician,
            &equipment,
            json!({"item_id": cable, "quantity": 20}),
        )
        .await?,
        201,
    )
    .await?;
    let (_, mine) = technician
        .json(&format!("/api/v1/technicians/{tech_id}/stock"))
        .await?;
    assert_eq!(mine["units"], json!([]), "{mine}");
    assert_eq!(mine["lines"][0]["quantity"], 80, "{mine}");
    let (status, unit) = store.json("/api/v1/inventory/assets/zteg1a2b3c4d").await?;
    assert_eq!(status, 200, "{unit}");
    assert_eq!(unit["unit"]["terms"], "loaned");
    assert_eq!(unit["unit"]["location"]["kind"], "customer");
    let kinds: Vec<&str> = unit["movements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["receipt", "issue", "install"]);
    let (_, used) = store
        .json(&format!(
            "/api/v1/inventory/movements?ticket_id={ticket_id}"
        ))
        .await?;
    assert_eq!(used["total"], 2, "{used}");

    // A count's correction needs a supervisor and a reason.
    let count = json!({"kind": "adjustment", "item_id": cable, "from_technician_id": tech_id, "quantity": 5, "reason": ""});
    assert_eq!(
        post(&store, "/api/v1/inventory/movements", count.clone())
            .await?
            .status(),
        403
    );
    let no_reason = assert_problem(
        post(&supervisor, "/api/v1/inventory/movements", count.clone()).await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&no_reason), ["reason:required"]);
    let mut with_reason = count;
    with_reason["reason"] = json!("Stock opname: kurang 5 m");
    let corrected = ok(
        post(&supervisor, "/api/v1/inventory/movements", with_reason).await?,
        201,
    )
    .await?;
    assert!(corrected["approved_by"].is_string());
    let (_, mine) = technician
        .json(&format!("/api/v1/technicians/{tech_id}/stock"))
        .await?;
    assert_eq!(mine["lines"][0]["quantity"], 75, "{mine}");
    let (_, theirs) = technician.json("/api/v1/inventory/movements").await?;
    assert!(
        theirs["items"].as_array().is_some_and(|m| m.len() == 5),
        "a technician sees their own stock's movements: {theirs}"
    );
    Ok(())
}

async fn the_last_unit_is_taken_once(app: &TestApp) -> anyhow::Result<()> {
    let store = app.signed_in("warehouse").await?;
    let other_store = app.signed_in("warehouse").await?;
    let admin = app.signed_in("admin").await?;
    let connector = item(
        &store,
        json!({"code": "SC-APC", "name": "Fast connector SC/APC", "kind": "connector", "unit_cost": 4000}),
    )
    .await?;
    let gudang = warehouse(&store, "Gudang Cimahi").await?;
    ok(
        post(
            &store,
            "/api/v1/inventory/movements",
            json!({"kind": "receipt", "item_id": connector, "to_location_id": gudang, "quantity": 1}),
        )
        .await?,
        201,
    )
    .await?;
    let (_, users) = admin.json("/api/v1/users?role=technician&limit=2").await?;
    let techs: Vec<String> = users["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str().map(str::to_string))
        .collect();
    anyhow::ensure!(techs.len() == 2, "{users}");
    let issue = |to: &str| {
        json!({"kind": "issue", "item_id": connector, "from_location_id": gudang,
               "to_technician_id": to, "quantity": 1})
    };
    let (a, b) = tokio::join!(
        post(&store, "/api/v1/inventory/movements", issue(&techs[0])),
        post(
            &other_store,
            "/api/v1/inventory/movements",
            issue(&techs[1])
        ),
    );
    let mut statuses = [a?.status().as_u16(), b?.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    assert_eq!(quantity(&store, &connector, &gudang).await?, 0);
    let (_, stock) = store
        .json(&format!("/api/v1/inventory/stock?item_id={connector}"))
        .await?;
    assert_eq!(stock["total"], 1, "one technician holds it: {stock}");
    Ok(())
}

/// The demo's year of movements: every balance is the sum of its
/// movements, none is negative, every unit is where its last movement took
/// it, and installed ONTs sit at customers' with their terms.
async fn the_demo_ledger_adds_up(app: &TestApp) -> anyhow::Result<()> {
    use netcrew_store::{
        entity::{asset, stock_balance, stock_location, stock_movement},
        sea_orm::{EntityTrait, QueryOrder},
    };
    use std::collections::BTreeMap;
    let db = app.db.conn();
    let moves = stock_movement::Entity::find()
        .order_by_asc(stock_movement::Column::Id)
        .all(db)
        .await?;
    assert!(moves.len() > 100, "a year of movements: {}", moves.len());
    let mut sums: BTreeMap<(uuid::Uuid, uuid::Uuid), i64> = BTreeMap::new();
    let mut last_place: BTreeMap<uuid::Uuid, uuid::Uuid> = BTreeMap::new();
    for m in &moves {
        if let Some(f) = m.from_location_id {
            *sums.entry((m.item_id, f)).or_default() -= m.quantity;
        }
        if let Some(t) = m.to_location_id {
            *sums.entry((m.item_id, t)).or_default() += m.quantity;
        }
        if let (Some(a), Some(t)) = (m.asset_id, m.to_location_id) {
            last_place.insert(a, t);
        }
    }
    sums.retain(|_, q| *q != 0);
    let balances: BTreeMap<(uuid::Uuid, uuid::Uuid), i64> = stock_balance::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|b| b.quantity != 0)
        .map(|b| ((b.item_id, b.location_id), b.quantity))
        .collect();
    assert_eq!(balances, sums);
    assert!(balances.values().all(|q| *q > 0));
    let places: BTreeMap<uuid::Uuid, String> = stock_location::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.kind))
        .collect();
    let units = asset::Entity::find().all(db).await?;
    let mut installed = 0;
    for u in &units {
        assert_eq!(last_place.get(&u.id), Some(&u.location_id), "{u:?}");
        if places.get(&u.location_id).map(String::as_str) == Some("customer") {
            installed += 1;
            assert!(u.terms.is_some(), "{u:?}");
        }
    }
    assert!(installed > 0);
    // The storekeeper sees it through the API too.
    let store = app.signed_in("warehouse").await?;
    let (_, low) = store
        .json("/api/v1/inventory/stock?location_kind=technician&limit=5")
        .await?;
    assert!(low["total"].as_u64().unwrap_or(0) > 0, "{low}");

    // The stock's value, summed by the server, is the balances' at cost.
    let cost: BTreeMap<uuid::Uuid, i64> = netcrew_store::entity::inventory_item::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.unit_cost))
        .collect();
    let mut by_kind: BTreeMap<String, (u64, i64)> = BTreeMap::new();
    for ((item, place), q) in &balances {
        let e = by_kind.entry(places[place].clone()).or_default();
        e.0 += 1;
        e.1 += q * cost[item];
    }
    // Left out unless asked for: what is installed at customers' homes.
    let at_homes = by_kind.remove("customer").unwrap_or_default();
    assert!(at_homes.0 > 0);
    let (_, homes) = store
        .json("/api/v1/inventory/stock/totals?location_kind=customer")
        .await?;
    assert_eq!(homes["lines"], at_homes.0, "{homes}");
    assert_eq!(homes["value"], at_homes.1, "{homes}");
    let (_, totals) = store.json("/api/v1/inventory/stock/totals").await?;
    assert_eq!(
        totals["lines"],
        by_kind.values().map(|v| v.0).sum::<u64>(),
        "{totals}"
    );
    assert_eq!(
        totals["value"],
        by_kind.values().map(|v| v.1).sum::<i64>(),
        "{totals}"
    );
    let (_, first) = store.json("/api/v1/inventory/stock?limit=500").await?;
    assert_eq!(first["total"], totals["lines"]);
    assert!(
        first["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|l| l["location"]["kind"] != "customer"),
        "{first}"
    );
    for k in totals["by_place_kind"].as_array().into_iter().flatten() {
        let kind = k["kind"].as_str().unwrap_or_default();
        assert_eq!(k["lines"], by_kind[kind].0, "{kind}: {totals}");
        assert_eq!(k["value"], by_kind[kind].1, "{kind}: {totals}");
    }
    let (_, warehouses) = store
        .json("/api/v1/inventory/stock/totals?location_kind=warehouse")
        .await?;
    let (_, listed) = store
        .json("/api/v1/inventory/stock?location_kind=warehouse&limit=500")
        .await?;
    assert_eq!(warehouses["lines"], listed["total"], "{warehouses}");
    assert_eq!(
        warehouses["value"],
        listed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| l["value"].as_i64().unwrap_or(0))
            .sum::<i64>()
    );
    let (status, bad) = store
        .json("/api/v1/inventory/stock/totals?location_kind=attic")
        .await?;
    assert_eq!(status, 422, "{bad}");
    assert_eq!(bad["errors"][0]["field"], "location_kind", "{bad}");

    // What dismantles still have to bring back.
    let ended: std::collections::BTreeSet<uuid::Uuid> =
        netcrew_store::entity::customer::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter(|c| c.status == "terminated")
            .map(|c| c.id)
            .collect();
    let homes: std::collections::BTreeSet<uuid::Uuid> = stock_location::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|l| l.customer_id.is_some_and(|c| ended.contains(&c)))
        .map(|l| l.id)
        .collect();
    let still_out = units
        .iter()
        .filter(|u| homes.contains(&u.location_id))
        .filter(|u| matches!(u.terms.as_deref(), Some("loaned" | "rented")))
        .count();
    let (_, out) = store
        .json("/api/v1/inventory/assets?outstanding=true&limit=500")
        .await?;
    assert_eq!(out["total"].as_u64(), Some(still_out as u64), "{out}");

    // Usage: the same total however it is grouped, and as a spreadsheet.
    let mut totals = Vec::new();
    for by in ["month", "technician", "ticket_kind"] {
        let (status, usage) = store
            .json(&format!("/api/v1/inventory/usage?by={by}"))
            .await?;
        assert_eq!(status, 200, "{usage}");
        totals.push(usage["total_value"].as_i64().unwrap_or(0));
        if by == "ticket_kind" {
            assert!(
                usage["lines"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|l| l["group"] == "installation")),
                "{usage}"
            );
        }
    }
    assert!(
        totals[0] > 0 && totals.iter().all(|t| *t == totals[0]),
        "{totals:?}"
    );
    let sheet = store
        .get("/api/v1/inventory/usage?by=technician&format=csv")
        .await?;
    assert_eq!(sheet.status(), 200);
    assert!(
        sheet
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    let body = sheet.text().await?;
    assert!(body.contains("group,label,item_code"), "{body}");
    let bad = assert_problem(
        store
            .get("/api/v1/inventory/usage?from=kemarin&format=pdf")
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&bad), ["from:date_format", "format:choice"], "{bad}");
    Ok(())
}

async fn a_technician_asks_for_material_and_the_storekeeper_issues_it(
    app: &TestApp,
) -> anyhow::Result<()> {
    let store = app.signed_in("warehouse").await?;
    let technician = app.signed_in("technician").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    let tech_id = text(&me["id"])?.to_string();
    let find = |list: &Value, code: &str| -> anyhow::Result<String> {
        Ok(list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["code"] == code)
            .and_then(|i| i["id"].as_str())
            .ok_or_else(|| anyhow::anyhow!("no {code}: {list}"))?
            .to_string())
    };
    let (_, items) = technician.json("/api/v1/inventory/items?limit=50").await?;
    let ont = find(&items, "ONT-F670L")?;
    let cable = find(&items, "DC-1C")?;
    let (_, places) = store
        .json("/api/v1/inventory/locations?kind=warehouse&q=pusat")
        .await?;
    let gudang = text(&places["items"][0]["id"])?.to_string();
    let (_, units) = store
        .json(&format!(
            "/api/v1/inventory/assets?location_id={gudang}&item_id={ont}&limit=1"
        ))
        .await?;
    let serial = text(&units["items"][0]["serial"])?.to_string();

    // Bad requests are refused whole.
    let bad = assert_problem(
        post(
            &technician,
            "/api/v1/inventory/requests",
            json!({"lines": [{"item_id": ont, "quantity": 0}, {"item_id": ont, "quantity": 1}, {"item_id": uuid::Uuid::now_v7(), "quantity": 1}]}),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        codes(&bad),
        [
            "lines[0].quantity:range",
            "lines[1].item_id:duplicate",
            "lines[2].item_id:unknown"
        ],
        "{bad}"
    );
    let asked = ok(
        post(
            &technician,
            "/api/v1/inventory/requests",
            json!({"lines": [{"item_id": ont, "quantity": 1}, {"item_id": cable, "quantity": 50}], "note": "Stok menipis"}),
        )
        .await?,
        201,
    )
    .await?;
    assert_eq!(asked["status"], "requested");
    let (_, notes) = store.json("/api/v1/notifications").await?;
    assert!(
        notes["items"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["kind"] == "material_requested")),
        "{notes}"
    );
    let decision = format!(
        "/api/v1/inventory/requests/{}/decision",
        text(&asked["id"])?
    );
    // The technician may not issue it to themself.
    assert_eq!(
        technician
            .send_if(
                Method::POST,
                &decision,
                1,
                Some(json!({"decision": "issue", "from_location_id": gudang, "serials": [serial]})),
            )
            .await?
            .status(),
        403
    );
    // Too few serial numbers: nothing is issued.
    let before = quantity(&store, &cable, &gudang).await?;
    let few = assert_problem(
        store
            .send_if(
                Method::POST,
                &decision,
                1,
                Some(json!({"decision": "issue", "from_location_id": gudang, "serials": []})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&few), ["serials:too_few"], "{few}");
    assert_eq!(quantity(&store, &cable, &gudang).await?, before);
    let issued = ok(
        store
            .send_if(
                Method::POST,
                &decision,
                1,
                Some(json!({"decision": "issue", "from_location_id": gudang, "serials": [serial.to_lowercase()]})),
            )
            .await?,
        200,
    )
    .await?;
    assert_eq!(issued["status"], "issued");
    assert_eq!(quantity(&store, &cable, &gudang).await?, before - 50);
    let (_, mine) = technician
        .json(&format!("/api/v1/technicians/{tech_id}/stock"))
        .await?;
    assert!(
        mine["units"]
            .as_array()
            .is_some_and(|u| u.iter().any(|u| u["serial"] == json!(serial))),
        "{mine}"
    );
    assert_problem(
        store
            .send_if(
                Method::POST,
                &decision,
                2,
                Some(json!({"decision": "reject", "note": "Telat"})),
            )
            .await?,
        409,
        "/problems/conflict",
    )
    .await?;

    // Another: refused needs a note; withdrawn by the technician.
    let second = ok(
        post(
            &technician,
            "/api/v1/inventory/requests",
            json!({"lines": [{"item_id": ont, "quantity": 1}]}),
        )
        .await?,
        201,
    )
    .await?;
    let path = format!(
        "/api/v1/inventory/requests/{}/decision",
        text(&second["id"])?
    );
    let silent = assert_problem(
        store
            .send_if(Method::POST, &path, 1, Some(json!({"decision": "reject"})))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(codes(&silent), ["note:required"]);
    let withdrawn = ok(
        technician
            .send_if(Method::POST, &path, 1, Some(json!({"decision": "cancel"})))
            .await?,
        200,
    )
    .await?;
    assert_eq!(withdrawn["status"], "cancelled");
    let (_, theirs) = technician.json("/api/v1/inventory/requests").await?;
    assert_eq!(theirs["total"], 2, "{theirs}");
    Ok(())
}

async fn opening_stock_comes_from_a_spreadsheet_all_or_nothing(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let import = |dry: bool, csv: String| {
        admin
            .client
            .post(admin.url(&format!("/api/v1/imports/stock?dry_run={dry}")))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    let gudang = warehouse(&admin, "Gudang Sumedang").await?;
    let (_, items) = admin.json("/api/v1/inventory/items?q=DC-1C").await?;
    let cable = text(&items["items"][0]["id"])?.to_string();
    let bad = "item_code,warehouse,quantity,serial,mac\n\
               DC-1C,Gudang Sumedang,300,,\n\
               ONT-F670L,Gudang Sumedang,1,,\n\
               ONT-F670L,Gudang Sumedang,1,ZTEGNEW00001,\n\
               ONT-F670L,Gudang Sumedang,1,ztegnew00001,\n\
               KABEL-X,Gudang Entah,-3,,\n"
        .to_string();
    let refused = import(false, bad.clone()).await?;
    assert_eq!(
        refused.status(),
        422,
        "a file with bad lines is refused whole"
    );
    let report: Value = import(true, bad).await?.json().await?;
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e["line"].as_u64()?,
                format!("{}:{}", e["field"].as_str()?, e["code"].as_str()?),
            ))
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "serial:required".to_string()),
            (5, "serial:duplicate".to_string()),
            (6, "item_code:unknown".to_string()),
            (6, "warehouse:unknown".to_string()),
            (6, "quantity:range".to_string()),
        ],
        "{report}"
    );
    assert_eq!(
        quantity(&admin, &cable, &gudang).await?,
        0,
        "nothing written"
    );
    let good = "item_code,warehouse,quantity,serial,mac\n\
                DC-1C,gudang sumedang,300,,\n\
                ONT-F670L,Gudang Sumedang,1,ZTEGNEW00001,00:11:22:33:44:55\n"
        .to_string();
    let dry: Value = import(true, good.clone()).await?.json().await?;
    assert_eq!(dry["errors"], json!([]), "{dry}");
    assert_eq!(
        quantity(&admin, &cable, &gudang).await?,
        0,
        "a dry run writes nothing"
    );
    let done = import(false, good).await?;
    assert_eq!(done.status(), 200);
    assert_eq!(quantity(&admin, &cable, &gudang).await?, 300);
    let (status, unit) = admin.json("/api/v1/inventory/assets/ZTEGNEW00001").await?;
    assert_eq!(status, 200, "{unit}");
    assert_eq!(unit["unit"]["location"]["id"], json!(gudang));
    let sheet = admin.get("/api/v1/exports/stock").await?.text().await?;
    assert!(sheet.contains("ZTEGNEW00001"), "{sheet}");
    assert!(sheet.contains("DC-1C,Gudang Sumedang,300"), "{sheet}");
    Ok(())
}
