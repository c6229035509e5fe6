//! The plant and the catalogue: one set of rules whether a record comes
//! from the console, the API or a CSV file.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    one_rule_for_the_plant_from_every_source,
    one_rule_for_packages_from_every_source,
    closed_sets_are_answered_as_such,
);

/// The field error of `field` in a problem or import report.
fn error_at<'a>(errors: &'a Value, field: &str) -> Option<&'a Value> {
    errors
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == field)
}

async fn dry_run(admin: &Session, kind: &str, csv: String) -> anyhow::Result<Value> {
    Ok(admin
        .client
        .post(admin.url(&format!("/api/v1/imports/{kind}?dry_run=true")))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?
        .json()
        .await?)
}

async fn one_rule_for_the_plant_from_every_source(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    // An area too small, from the API and from a file: the same error.
    let problem = assert_problem(
        admin
            .send(
                Method::POST,
                "/api/v1/areas",
                Some(json!({
                    "code": "SMD-JTN", "name": "Jatinangor", "city": "Sumedang",
                    "center": {"lat": -6.9310, "lng": 107.7700}, "radius_m": 5
                })),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let small = error_at(&problem["errors"], "radius_m").cloned();
    assert_eq!(
        small
            .as_ref()
            .map(|e| (&e["code"], &e["params"]["min"], &e["params"]["max"])),
        Some((&json!("range"), &json!(100), &json!(50000))),
        "{problem}"
    );
    let report = dry_run(
        &admin,
        "areas",
        "code,name,city,lat,lng,radius_m\nSMD-JTN,Jatinangor,Sumedang,-6.9310,107.7700,5\n"
            .to_string(),
    )
    .await?;
    let line = error_at(&report["errors"], "radius_m");
    assert_eq!(
        line.map(|e| (&e["code"], &e["detail"])),
        small.as_ref().map(|e| (&e["code"], &e["detail"])),
        "{report}"
    );
    assert_eq!(report["created"], 0, "a bad line creates nothing: {report}");

    let area: Value = admin
        .send(
            Method::POST,
            "/api/v1/areas",
            Some(json!({
                "code": "SMD-JTN", "name": "Jatinangor", "city": "Sumedang",
                "center": {"lat": -6.9310, "lng": 107.7700}, "radius_m": 1500
            })),
        )
        .await?
        .json()
        .await?;
    let odc: Value = admin
        .send(
            Method::POST,
            "/api/v1/odcs",
            Some(json!({
                "code": "ODC-JTN-001", "name": "ODC Jatinangor 1", "area_id": area["id"],
                "location": {"lat": -6.9312, "lng": 107.7702}
            })),
        )
        .await?
        .json()
        .await?;
    assert_eq!(odc["status"], "active");
    // `full` follows from the ports; an ODP cannot be set to it.
    let problem = assert_problem(
        admin
            .send(
                Method::POST,
                "/api/v1/odps",
                Some(json!({
                    "code": "ODP-JTN-001-01", "name": "ODP Jatinangor 1.1", "odc_id": odc["id"],
                    "location": {"lat": -6.9313, "lng": 107.7703}, "port_count": 8, "status": "full"
                })),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        error_at(&problem["errors"], "status").map(|e| &e["params"]["allowed"]),
        Some(&json!(["active", "maintenance"])),
        "{problem}"
    );
    let odp: Value = admin
        .send(
            Method::POST,
            "/api/v1/odps",
            Some(json!({
                "code": "ODP-JTN-001-01", "name": "ODP Jatinangor 1.1", "odc_id": odc["id"],
                "location": {"lat": -6.9313, "lng": 107.7703}, "port_count": 8
            })),
        )
        .await?
        .json()
        .await?;
    let odp_id = text(&odp["id"])?.to_string();

    // A customer on port 8: neither the API nor a file may cut the ODP to 4.
    let (_, packages) = app.get_json("/api/v1/packages?active=true").await?;
    let cs = app.signed_in("cs").await?;
    let customer = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Asep Saepudin", "phone": "0812 4444 8001", "address": "Jl. Raya Jatinangor No. 8",
            "location": {"lat": -6.9314, "lng": 107.7704}, "package_id": packages["items"][0]["id"],
            "odp_id": odp_id, "odp_port": 8, "status": "active"
        })))
        .await?;
    assert_eq!(customer.status(), 201);
    let problem = assert_problem(
        admin
            .send(
                Method::PATCH,
                &format!("/api/v1/odps/{odp_id}"),
                Some(json!({"port_count": 4})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let cut = error_at(&problem["errors"], "port_count").cloned();
    assert_eq!(
        cut.as_ref().map(|e| (&e["code"], &e["params"]["port"])),
        Some((&json!("in_use"), &json!(8))),
        "{problem}"
    );
    let file = |ports: u32, status: &str| {
        format!(
            "code,name,odc_code,lat,lng,port_count,status\n\
             ODP-JTN-001-01,ODP Jatinangor 1.1,ODC-JTN-001,-6.9313,107.7703,{ports},{status}\n"
        )
    };
    let report = dry_run(&admin, "odps", file(4, "active")).await?;
    assert_eq!(
        error_at(&report["errors"], "port_count").map(|e| (&e["code"], &e["detail"])),
        cut.as_ref().map(|e| (&e["code"], &e["detail"])),
        "{report}"
    );
    // Files from before may say `full`: it is read as `active`.
    let report = dry_run(&admin, "odps", file(16, "full")).await?;
    assert_eq!(
        (
            report["errors"].as_array().map(Vec::len),
            report["updated"].as_u64()
        ),
        (Some(0), Some(1)),
        "{report}"
    );

    // An unknown area says which code it did not find.
    let report = dry_run(
        &admin,
        "odcs",
        "code,name,area_code,lat,lng,status\nODC-X-1,ODC X,smd-nope,-6.93,107.77,broken\n"
            .to_string(),
    )
    .await?;
    assert_eq!(
        error_at(&report["errors"], "area_code").map(|e| &e["params"]["area"]),
        Some(&json!("SMD-NOPE")),
        "{report}"
    );
    assert_eq!(
        error_at(&report["errors"], "status").map(|e| &e["code"]),
        Some(&json!("choice")),
        "{report}"
    );
    Ok(())
}

async fn one_rule_for_packages_from_every_source(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let problem = assert_problem(
        admin
            .send(
                Method::POST,
                "/api/v1/packages",
                Some(json!({"name": "Rumah 0", "download_mbps": 0, "monthly_price_idr": 2_000_000_000_i64})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    let fields = |errors: &Value| -> Vec<(String, String)> {
        errors
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e["field"].as_str()?.into(), e["code"].as_str()?.into())))
            .collect()
    };
    let expected = vec![
        ("download_mbps".to_string(), "range".to_string()),
        ("monthly_price_idr".to_string(), "range".to_string()),
    ];
    assert_eq!(fields(&problem["errors"]), expected, "{problem}");
    let report = dry_run(
        &admin,
        "packages",
        "name,download_mbps,upload_mbps,monthly_price_idr,description,active\n\
         Rumah 0,0,10,2000000000,,true\n"
            .to_string(),
    )
    .await?;
    assert_eq!(fields(&report["errors"]), expected, "{report}");

    // A file names a package in any case; the line updates it.
    let (_, packages) = app.get_json("/api/v1/packages").await?;
    let p = &packages["items"][0];
    let line = format!(
        "name,download_mbps,upload_mbps,monthly_price_idr,description,active\n{},{},{},{},,{}\n",
        text(&p["name"])?.to_lowercase(),
        p["download_mbps"],
        p["upload_mbps"],
        p["monthly_price_idr"],
        p["active"],
    );
    let report = dry_run(&admin, "packages", line).await?;
    assert_eq!(
        (
            report["created"].as_u64(),
            report["updated"].as_u64(),
            report["kind"].as_str()
        ),
        (Some(0), Some(1), Some("packages")),
        "{report}"
    );
    Ok(())
}

async fn closed_sets_are_answered_as_such(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let types: Value = admin.get("/api/v1/service-types").await?.json().await?;
    let priorities = ["low", "normal", "high", "urgent"];
    for t in types["items"].as_array().into_iter().flatten() {
        assert!(priorities.contains(&text(&t["default_priority"])?), "{t}");
    }
    let id = text(&types["items"][0]["id"])?.to_string();
    let problem = assert_problem(
        admin
            .send(
                Method::PATCH,
                &format!("/api/v1/service-types/{id}"),
                Some(json!({"default_priority": "soon", "required_docs": ["ont_serial", "ont_serial"]})),
            )
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        problem["errors"].as_array().map(Vec::len),
        Some(1),
        "a document named twice is no error: {problem}"
    );
    let changed: Value = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/service-types/{id}"),
            Some(
                json!({"default_priority": "high", "required_docs": ["ont_serial", "ont_serial"]}),
            ),
        )
        .await?
        .json()
        .await?;
    assert_eq!(
        (&changed["default_priority"], &changed["required_docs"]),
        (&json!("high"), &json!(["ont_serial"]))
    );
    Ok(())
}
