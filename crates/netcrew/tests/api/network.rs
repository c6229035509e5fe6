use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    plant_can_be_built_and_ports_are_derived,
    coverage_has_known_answers,
    service_catalogue_is_seeded_and_editable,
);

async fn plant_can_be_built_and_ports_are_derived(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let area: Value = admin
        .send(
            Method::POST,
            "/api/v1/areas",
            Some(json!({
                "code": "bdg-ujb", "name": "Ujung Berung", "city": "Bandung",
                "center": {"lat": -6.9130, "lng": 107.7010}, "radius_m": 1500
            })),
        )
        .await?
        .json()
        .await?;
    assert_eq!(area["code"], "BDG-UJB");
    let bad = admin
        .send(Method::POST, "/api/v1/areas", Some(json!({"code": "BDG-UJB", "name": "", "city": "Bandung", "center": {"lat": 95, "lng": 0}, "radius_m": 5})))
        .await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    assert_eq!(
        problem["errors"].as_array().map(Vec::len),
        Some(4),
        "{problem}"
    );

    let odc: Value = admin
        .send(
            Method::POST,
            "/api/v1/odcs",
            Some(json!({
                "code": "ODC-UJB-001", "name": "ODC Ujung Berung 1", "area_id": area["id"],
                "location": {"lat": -6.9135, "lng": 107.7015}
            })),
        )
        .await?
        .json()
        .await?;
    let created = admin
        .send(
            Method::POST,
            "/api/v1/odps",
            Some(json!({
                "code": "ODP-UJB-001-01", "name": "ODP Ujung Berung 1.1", "odc_id": odc["id"],
                "location": {"lat": -6.9140, "lng": 107.7020}, "port_count": 8
            })),
        )
        .await?;
    assert_eq!(created.status(), 201);
    let odp: Value = created.json().await?;
    assert_eq!(
        (
            odp["used_ports"].as_i64(),
            odp["free_ports"].as_i64(),
            odp["status"].as_str()
        ),
        (Some(0), Some(8), Some("active"))
    );
    assert_eq!(odp["area_id"], area["id"], "an ODP takes its ODC's area");
    let odp_id = crate::support::text(&odp["id"])?.to_string();
    let bad_ports = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/odps/{odp_id}"),
            Some(json!({"port_count": 7})),
        )
        .await?;
    assert_eq!(
        assert_problem(bad_ports, 422, "/problems/validation").await?["errors"][0]["field"],
        "port_count"
    );

    // A customer on port 8; the port count can no longer drop below 8.
    let cs = app.signed_in("cs").await?;
    let packages: Value = app.get_json("/api/v1/packages?active=true").await?.1;
    let customer = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Rahmat Hidayat", "phone": "0811-2222-0001", "address": "Jl. A.H. Nasution No. 1, Ujung Berung",
            "location": {"lat": -6.9141, "lng": 107.7022}, "package_id": packages["items"][0]["id"],
            "odp_id": odp_id, "odp_port": 8, "status": "active"
        })))
        .await?;
    assert_eq!(customer.status(), 201);
    let customer: Value = customer.json().await?;
    assert_eq!(
        customer["area_id"], area["id"],
        "area derived from the location"
    );
    let odp: Value = admin
        .get(&format!("/api/v1/odps/{odp_id}"))
        .await?
        .json()
        .await?;
    assert_eq!(
        (odp["used_ports"].as_i64(), odp["free_ports"].as_i64()),
        (Some(1), Some(7))
    );
    let shrink = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/odps/{odp_id}"),
            Some(json!({"port_count": 4})),
        )
        .await?;
    assert_problem(shrink, 422, "/problems/validation").await?;
    let ports: Value = admin
        .get(&format!("/api/v1/odps/{odp_id}/ports"))
        .await?
        .json()
        .await?;
    assert_eq!(ports["total"], 8);
    assert_eq!(
        ports["items"][7]["customer_number"],
        customer["customer_number"]
    );
    assert!(ports["items"][0]["customer_id"].is_null());

    let maintenance: Value = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/odps/{odp_id}"),
            Some(json!({"status": "maintenance"})),
        )
        .await?
        .json()
        .await?;
    assert_eq!(maintenance["status"], "maintenance");
    let listed: Value = admin
        .get(&format!(
            "/api/v1/odps?odc_id={}",
            crate::support::text(&odc["id"])?
        ))
        .await?
        .json()
        .await?;
    assert_eq!(listed["total"], 1);
    assert_problem(
        admin.get("/api/v1/odps?status=broken").await?,
        422,
        "/problems/validation",
    )
    .await?;
    let tech = app.signed_in("technician").await?;
    assert_eq!(tech.get("/api/v1/odps?limit=1").await?.status(), 200);
    // A technician sees which ports are free, not who is on them.
    let tech_ports: Value = tech
        .get(&format!("/api/v1/odps/{odp_id}/ports"))
        .await?
        .json()
        .await?;
    assert_eq!(tech_ports["items"][7]["in_use"], true);
    assert!(tech_ports["items"][7]["customer_number"].is_null());
    assert_eq!(tech_ports["items"][0]["in_use"], false);
    Ok(())
}

async fn coverage_has_known_answers(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let odps: Value = admin
        .get("/api/v1/odps?status=active&limit=1")
        .await?
        .json()
        .await?;
    let odp = &odps["items"][0];
    let (lat, lng) = (
        odp["location"]["lat"].as_f64().unwrap_or_default(),
        odp["location"]["lng"].as_f64().unwrap_or_default(),
    );
    let at = |lat: f64, lng: f64| format!("/api/v1/coverage?lat={lat}&lng={lng}");

    // On the ODP itself: covered, by that ODP first, at distance 0.
    let (status, here) = app.get_json(&at(lat, lng)).await?;
    assert_eq!(status, 200);
    assert_eq!(here["covered"], true);
    assert_eq!(here["odps"][0]["id"], odp["id"]);
    assert_eq!(here["odps"][0]["distance_m"], 0.0);
    assert_eq!(here["max_drop_m"], 250.0);
    assert!(
        here["area"]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("BDG-"))
    );
    let distances: Vec<f64> = here["odps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["distance_m"].as_f64())
        .collect();
    assert!(
        distances.windows(2).all(|w| w[0] <= w[1]),
        "nearest first: {distances:?}"
    );
    assert!(distances.iter().all(|d| d * 1.3 <= 250.0 + 0.1));

    // 150 m north: 195 m of cable, reachable from that ODP; 200 m north: 260 m, not.
    let north = |m: f64| lat + m / 111_195.0;
    let (_, near) = app.get_json(&at(north(150.0), lng)).await?;
    assert!(
        near["odps"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|o| o["id"] == odp["id"])
    );
    let (_, far) = app.get_json(&at(north(200.0), lng)).await?;
    assert!(
        !far["odps"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|o| o["id"] == odp["id"])
    );

    // Further north, the first place not covered says how far the nearest
    // free ODP is (more than the reach, within 3 km).
    let mut uncovered = None;
    for step in 2..=20 {
        let (_, edge) = app
            .get_json(&at(north(300.0 * f64::from(step)), lng))
            .await?;
        if edge["covered"] == false && !edge["area"].is_null() {
            uncovered = Some(edge);
            break;
        }
    }
    let edge = uncovered.ok_or_else(|| anyhow::anyhow!("no uncovered place north of the ODP"))?;
    assert!(
        edge["nearest_free_odp_m"]
            .as_f64()
            .is_some_and(|d| d > 190.0 && d <= 3000.0),
        "{edge}"
    );
    // Monas, Jakarta: outside every area, not covered, and recorded as demand.
    let demand_before = admin
        .get("/api/v1/demand-points")
        .await?
        .json::<Value>()
        .await?["total"]
        .as_u64()
        .unwrap_or(0);
    let (_, jakarta) = app.get_json(&at(-6.1754, 106.8272)).await?;
    assert_eq!(
        (jakarta["covered"].as_bool(), jakarta["area"].is_null()),
        (Some(false), true)
    );
    assert!(
        jakarta["nearest_free_odp_m"].is_null(),
        "no ODP within 3 km of Monas"
    );
    app.get_json(&at(-6.1754, 106.8272)).await?;
    let demand: Value = admin.get("/api/v1/demand-points").await?.json().await?;
    assert_eq!(
        demand["total"].as_u64(),
        Some(demand_before + 1),
        "a repeated check of the same place counts once"
    );
    assert!(demand["items"][0]["area_id"].is_null());
    assert_eq!(demand["items"][0]["source"], "coverage_check");

    for (bad, field) in [
        ("/api/v1/coverage?lat=100&lng=107", "lat"),
        ("/api/v1/coverage?lat=-6.9", "lng"),
        ("/api/v1/coverage?lat=x&lng=1", "lat"),
    ] {
        let problem = assert_problem(app.get(bad).await?, 422, "/problems/validation").await?;
        assert_eq!(problem["errors"][0]["field"], field, "{bad}");
    }
    Ok(())
}

async fn service_catalogue_is_seeded_and_editable(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let types: Value = admin.get("/api/v1/service-types").await?.json().await?;
    let codes: Vec<&str> = types["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "dismantle",
            "installation",
            "relocation",
            "repair",
            "upgrade"
        ]
    );
    let install = types["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["code"] == "installation")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("not found"))?;
    assert!(install["required_docs"].as_array().is_some_and(
        |d| d.contains(&json!("ont_serial")) && d.contains(&json!("optical_power_dbm"))
    ));
    let id = crate::support::text(&install["id"])?;
    let bad = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/service-types/{id}"),
            Some(json!({"required_docs": ["selfie"], "response_sla_minutes": 0})),
        )
        .await?;
    assert_eq!(
        assert_problem(bad, 422, "/problems/validation").await?["errors"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let changed: Value = admin
        .send(Method::PATCH, &format!("/api/v1/service-types/{id}"), Some(json!({"response_sla_minutes": 120, "resolution_sla_minutes": 2880, "required_docs": ["ont_serial", "customer_signature"]})))
        .await?
        .json()
        .await?;
    assert_eq!(
        (
            changed["response_sla_minutes"].as_i64(),
            changed["required_docs"].as_array().map(Vec::len)
        ),
        (Some(120), Some(2))
    );

    let categories: Value = admin
        .get("/api/v1/problem-categories")
        .await?
        .json()
        .await?;
    assert!(
        categories["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["code"] == "los" && c["default_priority"] == "urgent")
    );
    let customer = app.signed_in("customer").await?;
    assert_eq!(
        customer.get("/api/v1/problem-categories").await?.status(),
        200
    );
    let created = admin.send(Method::POST, "/api/v1/problem-categories", Some(json!({"code": "ont_power", "name_id": "ONT mati", "name_en": "ONT has no power", "default_priority": "high"}))).await?;
    assert_eq!(created.status(), 201);
    let dup = admin
        .send(
            Method::POST,
            "/api/v1/problem-categories",
            Some(json!({"code": "ONT_POWER", "name_id": "x", "name_en": "x"})),
        )
        .await?;
    assert_problem(dup, 422, "/problems/validation").await?;

    let skill = admin
        .send(
            Method::POST,
            "/api/v1/skills",
            Some(json!({"code": "olt", "name": "Konfigurasi OLT"})),
        )
        .await?;
    assert_eq!(skill.status(), 201);
    let skills: Value = admin.get("/api/v1/skills").await?.json().await?;
    assert_eq!(skills["total"], 6);

    let package: Value = admin
        .send(Method::POST, "/api/v1/packages", Some(json!({"name": "Rumah 300", "download_mbps": 300, "upload_mbps": 300, "monthly_price_idr": 750000})))
        .await?
        .json()
        .await?;
    assert_eq!(package["active"], true);
    let bad_price = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/packages/{}", crate::support::text(&package["id"])?),
            Some(json!({"monthly_price_idr": -5})),
        )
        .await?;
    assert_problem(bad_price, 422, "/problems/validation").await?;
    let off: Value = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/packages/{}", crate::support::text(&package["id"])?),
            Some(json!({"active": false})),
        )
        .await?
        .json()
        .await?;
    assert_eq!(off["active"], false);
    let (_, on_sale) = app.get_json("/api/v1/packages?active=true").await?;
    assert_eq!(on_sale["total"], 5);
    Ok(())
}
