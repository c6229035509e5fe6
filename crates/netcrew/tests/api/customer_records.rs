//! The customer record as Indonesian ISPs key it (address parts, PPPoE
//! username, billing id), its list orders and searches, and one set of
//! rules for every way a customer comes in.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem, text},
};

both_backends!(
    one_rule_for_every_source,
    address_parts_and_references,
    list_orders_and_searches,
    missing_and_mistyped_fields_are_named,
);

fn day_after_tomorrow() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string()
}

/// The field errors of a problem as (field, code).
fn errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e["field"].as_str()?.to_string(),
                e["code"].as_str()?.to_string(),
            ))
        })
        .collect()
}

fn has(problem: &Value, field: &str, code: &str) -> bool {
    errors(problem).contains(&(field.to_string(), code.to_string()))
}

async fn package(app: &TestApp, on_sale: bool) -> anyhow::Result<Value> {
    let (_, list) = app
        .get_json(&format!("/api/v1/packages?active={on_sale}"))
        .await?;
    let found = list["items"][0].clone();
    anyhow::ensure!(found.is_object(), "no package on sale={on_sale}: {list}");
    Ok(found)
}

async fn one_rule_for_every_source(app: &TestApp) -> anyhow::Result<()> {
    let off = package(app, false).await?;
    let admin = app.signed_in("admin").await?;
    // The API.
    let problem = assert_problem(
        admin
            .send(Method::POST, "/api/v1/customers", Some(json!({
                "name": "Dewi Anggraini", "phone": "0857 3333 1000", "email": "dewi@",
                "address": "Jl. Cisitu Lama No. 4", "location": {"lat": -6.8800, "lng": 107.6130},
                "package_id": off["id"],
            })))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(has(&problem, "package_id", "not_on_sale"), "{problem}");
    assert!(has(&problem, "email", "email"), "{problem}");
    let named = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == "package_id")
        .map(|e| e["params"]["package"].clone());
    assert_eq!(named, Some(off["name"].clone()), "{problem}");
    // Self-registration.
    let problem = assert_problem(
        app.client
            .post(app.url("/api/v1/registrations"))
            .json(&json!({
                "name": "Dewi Anggraini", "phone": "0857 3333 1001", "email": "dewi@",
                "address": "Jl. Cisitu Lama No. 4", "location": {"lat": -6.8800, "lng": 107.6130},
                "package_id": off["id"], "preferred_date": day_after_tomorrow(),
                "preferred_window": "08:00-12:00", "password": "kopi susu gula aren"
            }))
            .send()
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(has(&problem, "package_id", "not_on_sale"), "{problem}");
    assert!(has(&problem, "email", "email"), "{problem}");
    // The CSV import: the same rules, named by the file's columns.
    let header = "customer_number,name,phone,whatsapp,email,address,lat,lng,package,odp_code,odp_port,status,notes";
    let csv = format!(
        "{header}\n,Dewi Anggraini,0857 3333 1002,,dewi@,Jl. Cisitu Lama No. 4,-6.8800,107.6130,\"{}\",,,Aktif,\n",
        text(&off["name"])?
    );
    let report: Value = admin
        .client
        .post(admin.url("/api/v1/imports/customers?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?
        .json()
        .await?;
    let found: Vec<(String, String)> = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e["field"].as_str()?.to_string(),
                e["code"].as_str()?.to_string(),
            ))
        })
        .collect();
    for expected in [
        ("package", "not_on_sale"),
        ("email", "email"),
        ("status", "choice"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {report}"
        );
    }
    let allowed = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == "status")
        .map(|e| e["params"]["allowed"].clone());
    assert_eq!(
        allowed,
        Some(json!(["prospect", "active", "suspended", "terminated"])),
        "{report}"
    );
    Ok(())
}

async fn address_parts_and_references(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let on_sale = package(app, true).await?;
    let body = |phone: &str, pppoe: &str| {
        json!({
            "name": "Rudi Hartono", "phone": phone, "address": "Jl. Sadang Serang No. 12",
            "rt": "3", "rw": "12", "kelurahan": "Sekeloa", "kecamatan": "Coblong",
            "city": "Kota Bandung", "pppoe_username": pppoe, "billing_id": format!("BIL-{pppoe}"),
            "location": {"lat": -6.8870, "lng": 107.6230}, "package_id": on_sale["id"],
        })
    };
    let created = cs
        .send(
            Method::POST,
            "/api/v1/customers",
            Some(body("0857 4444 1000", "rudi.hartono")),
        )
        .await?;
    assert_eq!(created.status(), 201);
    let first: Value = created.json().await?;
    assert_eq!(
        (
            &first["rt"],
            &first["rw"],
            &first["kelurahan"],
            &first["pppoe_username"]
        ),
        (
            &json!("003"),
            &json!("012"),
            &json!("Sekeloa"),
            &json!("rudi.hartono")
        )
    );
    let number = text(&first["customer_number"])?.to_string();
    // Found by its PPPoE username and billing id (exactly, whatever they
    // look like), and by area.
    let odd: Value = cs
        .send(
            Method::POST,
            "/api/v1/customers",
            Some({
                let mut b = body("0857 4444 1009", "rudi@fibernusa");
                b["billing_id"] = json!("6281234567");
                b
            }),
        )
        .await?
        .json()
        .await?;
    for (q, who) in [("rudi@fibernusa", &odd), ("6281234567", &odd)] {
        let found: Value = cs
            .get(&format!("/api/v1/customers?q={q}"))
            .await?
            .json()
            .await?;
        assert!(
            found["items"]
                .as_array()
                .is_some_and(|i| i.iter().any(|c| c["id"] == who["id"])),
            "{q}: {found}"
        );
    }
    for q in ["rudi.hartono", "BIL-rudi.hartono"] {
        let found: Value = cs
            .get(&format!("/api/v1/customers?q={q}"))
            .await?
            .json()
            .await?;
        assert_eq!(found["items"][0]["id"], first["id"], "{q}: {found}");
        assert_eq!(found["total"], 1, "{q}: {found}");
    }
    let found: Value = cs
        .get("/api/v1/customers?city=Kota%20Bandung&kecamatan=Coblong&kelurahan=Sekeloa&q=Sadang")
        .await?
        .json()
        .await?;
    assert!(
        found["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|c| c["id"] == first["id"])),
        "{found}"
    );
    // A second customer may not take the same references.
    let problem = assert_problem(
        cs.send(
            Method::POST,
            "/api/v1/customers",
            Some(body("0857 4444 1001", "rudi.hartono")),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(has(&problem, "pppoe_username", "taken"), "{problem}");
    assert!(has(&problem, "billing_id", "taken"), "{problem}");
    let owner = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == "pppoe_username")
        .map(|e| e["params"]["customer_number"].clone());
    assert_eq!(owner, Some(json!(number)));
    // RT/RW are numbers of up to three digits; references have no spaces.
    let mut bad = body("0857 4444 1002", "ada spasi");
    bad["rt"] = json!("1000");
    bad["rw"] = json!("satu");
    let problem = assert_problem(
        cs.send(Method::POST, "/api/v1/customers", Some(bad))
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    for (field, code) in [
        ("rt", "format"),
        ("rw", "format"),
        ("pppoe_username", "format"),
    ] {
        assert!(has(&problem, field, code), "{field}: {problem}");
    }
    // Removing a reference frees it.
    let id = text(&first["id"])?.to_string();
    let changed: Value = cs
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{id}"),
            Some(json!({"pppoe_username": null, "rt": null})),
        )
        .await?
        .json()
        .await?;
    assert_eq!(
        (&changed["pppoe_username"], &changed["rt"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(changed["rw"], "012", "other parts stay");
    let again = cs
        .send(
            Method::POST,
            "/api/v1/customers",
            Some({
                let mut b = body("0857 4444 1003", "rudi.hartono");
                b["billing_id"] = json!("BIL-baru");
                b
            }),
        )
        .await?;
    assert_eq!(again.status(), 201);
    Ok(())
}

async fn list_orders_and_searches(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let on_sale = package(app, true).await?;
    let created: Value = cs
        .send(
            Method::POST,
            "/api/v1/customers",
            Some(json!({
                "name": "AAAA Uji Urutan", "phone": "0857 5555 1000",
                "address": "Jl. Tamansari No. 9", "location": {"lat": -6.8950, "lng": 107.6100},
                "package_id": on_sale["id"],
            })),
        )
        .await?
        .json()
        .await?;
    // Newest first: the customer just registered leads.
    let newest: Value = cs
        .get("/api/v1/customers?sort=newest&limit=5")
        .await?
        .json()
        .await?;
    assert_eq!(newest["items"][0]["id"], created["id"], "{newest}");
    // By name: "AAAA" comes before every demo name.
    let by_name: Value = cs
        .get("/api/v1/customers?sort=name&limit=5")
        .await?
        .json()
        .await?;
    assert_eq!(by_name["items"][0]["id"], created["id"], "{by_name}");
    // The cursor of an order continues that order without repeating.
    for order in ["newest", "name", "number"] {
        let first: Value = cs
            .get(&format!("/api/v1/customers?sort={order}&limit=20"))
            .await?
            .json()
            .await?;
        let cursor = text(&first["next_cursor"])?.to_string();
        let second: Value = cs
            .get(&format!(
                "/api/v1/customers?sort={order}&limit=20&cursor={cursor}"
            ))
            .await?
            .json()
            .await?;
        let ids = |page: &Value| -> Vec<Value> {
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["id"].clone())
                .collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert_eq!((a.len(), b.len()), (20, 20), "{order}");
        assert!(
            a.iter().all(|id| !b.contains(id)),
            "{order}: a page repeats"
        );
    }
    let problem = assert_problem(
        cs.get("/api/v1/customers?sort=sideways").await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(
        errors(&problem).iter().any(|(f, _)| f == "sort"),
        "{problem}"
    );
    // A part of a word of the name finds it.
    let found: Value = cs
        .get("/api/v1/customers?q=uji%20urut")
        .await?
        .json()
        .await?;
    assert_eq!(found["items"][0]["id"], created["id"], "{found}");
    let found: Value = cs.get("/api/v1/customers?q=amansar").await?.json().await?;
    assert!(
        found["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|c| c["id"] == created["id"])),
        "{found}"
    );
    Ok(())
}

async fn missing_and_mistyped_fields_are_named(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let problem = assert_problem(
        cs.send(
            Method::POST,
            "/api/v1/customers",
            Some(json!({"name": "x".repeat(101)})),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    for field in ["phone", "address", "location", "package_id"] {
        assert!(has(&problem, field, "required"), "{field}: {problem}");
    }
    let max = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == "name")
        .map(|e| (e["code"].clone(), e["params"]["max"].clone()));
    assert_eq!(max, Some((json!("length"), json!(100))), "{problem}");
    // A body without a required field of its type, or with a wrong type.
    let problem = assert_problem(
        app.client
            .post(app.url("/api/v1/registrations"))
            .json(&json!({"phone": "0857 6666 1000"}))
            .send()
            .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(
        errors(&problem)
            .iter()
            .any(|(f, c)| f == "name" && c == "required"),
        "{problem}"
    );
    let problem = assert_problem(
        cs.send(
            Method::POST,
            "/api/v1/customers",
            Some(json!({"odp_port": "tiga"})),
        )
        .await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert!(
        errors(&problem)
            .iter()
            .any(|(f, c)| f == "odp_port" && c == "type"),
        "{problem}"
    );
    Ok(())
}
