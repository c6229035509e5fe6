use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    cs_opens_a_portal_account_for_a_phone_customer,
    cs_registers_finds_and_changes_customers,
    customers_see_only_themselves,
    self_registration_with_abuse_limits,
    csv_import_dry_run_then_all_or_nothing,
);

fn tomorrow_plus(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn active_package(app: &TestApp) -> anyhow::Result<Value> {
    Ok(app.get_json("/api/v1/packages?active=true").await?.1["items"][0]["id"].clone())
}

async fn cs_registers_finds_and_changes_customers(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let package = active_package(app).await?;
    let (day, window) = app.open_windows(-6.8915, 107.6160, 1).await?.remove(0);
    let created = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Siti Nurhaliza", "phone": "0857 1111 2222", "email": "Siti@Gmail.com",
            "address": "Jl. Dipatiukur No. 35, Coblong", "location": {"lat": -6.8915, "lng": 107.6160},
            "package_id": package, "preferred_date": day, "preferred_window": window
        })))
        .await?;
    assert_eq!(created.status(), 201);
    let customer: Value = created.json().await?;
    assert!(
        customer["customer_number"]
            .as_str()
            .is_some_and(|n| n.starts_with("PLG-"))
    );
    assert_eq!(
        (
            customer["status"].as_str(),
            customer["phone"].as_str(),
            customer["email"].as_str()
        ),
        (
            Some("prospect"),
            Some("+6285711112222"),
            Some("siti@gmail.com")
        )
    );
    assert_eq!(customer["whatsapp"], customer["phone"]);
    let id = crate::support::text(&customer["id"])?.to_string();

    let found: Value = cs
        .get("/api/v1/customers?q=085711112222")
        .await?
        .json()
        .await?;
    assert_eq!(found["total"], 1);
    assert_eq!(found["total_exact"], true);
    assert_eq!(found["items"][0]["id"], customer["id"]);
    let by_number: Value = cs
        .get(&format!(
            "/api/v1/customers?q={}",
            customer["customer_number"]
                .as_str()
                .ok_or_else(|| anyhow::anyhow!("expected a string"))?
                .to_lowercase()
        ))
        .await?
        .json()
        .await?;
    assert_eq!(by_number["total"], 1);
    // The start of an e-mail address, in any case; words of the name and
    // address.
    for q in [
        "Siti%40gmail",
        "siti%40GMAIL.com",
        "Nurhaliza",
        "dipatiukur%20no.%2035",
    ] {
        let found: Value = cs
            .get(&format!("/api/v1/customers?q={q}"))
            .await?
            .json()
            .await?;
        let ids: Vec<&Value> = found["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| &c["id"])
            .collect();
        assert!(ids.contains(&&customer["id"]), "{q}: {found}");
    }
    let prospects: Value = cs
        .get("/api/v1/customers?status=prospect&limit=500")
        .await?
        .json()
        .await?;
    assert!(
        prospects["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|c| c["status"] == "prospect")
    );

    // Every bad field at once; nothing written.
    let before = cs
        .get("/api/v1/customers?limit=1")
        .await?
        .json::<Value>()
        .await?["total"]
        .clone();
    let inactive: Value = app.get_json("/api/v1/packages?active=false").await?.1;
    let bad = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "", "phone": "0857 1111 2222", "email": "not-mail", "address": "x",
            "location": {"lat": -6.1754, "lng": 106.8272}, "package_id": inactive["items"][0]["id"],
            "preferred_date": "2020-01-01", "preferred_window": "malam"
        })))
        .await?;
    let problem = assert_problem(bad, 422, "/problems/validation").await?;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in [
        "name",
        "phone",
        "email",
        "location",
        "package_id",
        "preferred_date",
        "preferred_window",
    ] {
        assert!(fields.contains(&f), "{f} missing: {problem}");
    }
    assert_eq!(
        cs.get("/api/v1/customers?limit=1")
            .await?
            .json::<Value>()
            .await?["total"],
        before
    );

    // Install on a free port; a taken port is refused.
    let admin = app.signed_in("admin").await?;
    let odps: Value = admin
        .get("/api/v1/odps?status=active&limit=1")
        .await?
        .json()
        .await?;
    let odp_id = odps["items"][0]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let ports: Value = admin
        .get(&format!("/api/v1/odps/{odp_id}/ports"))
        .await?
        .json()
        .await?;
    let free = ports["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["customer_id"].is_null())
        .map(|p| p["port"].clone())
        .ok_or_else(|| anyhow::anyhow!("no such port"))?;
    let taken = ports["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| !p["customer_id"].is_null())
        .map(|p| p["port"].clone())
        .ok_or_else(|| anyhow::anyhow!("no such port"))?;
    let clash = cs
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{id}"),
            Some(json!({"odp_id": odp_id, "odp_port": taken})),
        )
        .await?;
    assert_eq!(
        assert_problem(clash, 422, "/problems/validation").await?["errors"][0]["field"],
        "odp_port"
    );
    let installed: Value = cs
        .send(Method::PATCH, &format!("/api/v1/customers/{id}"), Some(json!({"odp_id": odp_id, "odp_port": free, "status": "active", "preferred_date": null})))
        .await?
        .json()
        .await?;
    assert_eq!(
        (installed["status"].as_str(), installed["odp_port"].clone()),
        (Some("active"), free.clone())
    );
    assert!(installed["preferred_date"].is_null());
    let terminated: Value = cs
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{id}"),
            Some(json!({"status": "terminated"})),
        )
        .await?
        .json()
        .await?;
    // The port stays taken until the dismantle (opened now) is done.
    assert_eq!(terminated["odp_port"], free, "{terminated}");
    let dismantles: Value = cs
        .get(&format!("/api/v1/tickets?customer_id={id}&kind=dismantle"))
        .await?
        .json()
        .await?;
    assert_eq!(dismantles["total"], 1, "{dismantles}");

    let events: Value = admin
        .get(&format!(
            "/api/v1/audit-events?entity=customer&entity_id={id}"
        ))
        .await?
        .json()
        .await?;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["customer.update", "customer.update", "customer.create"],
        "the refused change left no trace"
    );
    Ok(())
}

async fn customers_see_only_themselves(app: &TestApp) -> anyhow::Result<()> {
    let customer = app.signed_in("customer").await?;
    let me: Value = customer.get("/api/v1/me").await?.json().await?;
    let mine: Value = customer.get("/api/v1/customers").await?.json().await?;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], me["customer_id"]);
    let others: Value = app
        .signed_in("cs")
        .await?
        .get("/api/v1/customers?limit=2")
        .await?
        .json()
        .await?;
    let other = others["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] != me["customer_id"])
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("not found"))?;
    let other_id = crate::support::text(&other["id"])?;
    assert_problem(
        customer
            .get(&format!("/api/v1/customers/{other_id}"))
            .await?,
        404,
        "/problems/not-found",
    )
    .await?;
    let own = crate::support::text(&me["customer_id"])?;
    assert_eq!(
        customer
            .get(&format!("/api/v1/customers/{own}"))
            .await?
            .status(),
        200
    );
    let edit = customer
        .send(
            Method::PATCH,
            &format!("/api/v1/customers/{own}"),
            Some(json!({"name": "x"})),
        )
        .await?;
    assert_problem(edit, 403, "/problems/forbidden").await?;
    let tech = app.signed_in("technician").await?;
    assert_problem(
        tech.get("/api/v1/customers").await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    Ok(())
}

async fn self_registration_with_abuse_limits(app: &TestApp) -> anyhow::Result<()> {
    let package = active_package(app).await?;
    // Every body books a window of its own, so room never stops one.
    let slots = app.open_windows(-6.8850, 107.6200, 12).await?;
    let next = std::cell::Cell::new(0usize);
    let body = |phone: &str| {
        let (day, window) = &slots[next.get() % slots.len()];
        next.set(next.get() + 1);
        json!({
            "name": "Budi Santoso", "phone": phone, "email": null,
            "address": "Jl. Tubagus Ismail No. 8, Coblong", "location": {"lat": -6.8850, "lng": 107.6200},
            "package_id": package, "preferred_date": day, "preferred_window": window,
            "password": "kopi susu gula aren", "website": ""
        })
    };
    let url = app.url("/api/v1/registrations");
    let post = |b: Value| app.client.post(&url).json(&b).send();

    let mut bad = body("bukan nomor");
    bad["preferred_date"] = json!(tomorrow_plus(-2));
    bad["location"] = json!({"lat": -6.1754, "lng": 106.8272});
    bad["password"] = json!("123");
    let problem = assert_problem(post(bad).await?, 422, "/problems/validation").await?;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    let mut empty_phone = body("");
    empty_phone["phone"] = json!("");
    let problem = assert_problem(post(empty_phone).await?, 422, "/problems/validation").await?;
    assert!(
        problem["errors"].as_array().is_some_and(|e| e
            .iter()
            .any(|e| e["field"] == "phone" && e["code"] == "required")),
        "{problem}"
    );
    for f in ["phone", "preferred_date", "location", "password"] {
        assert!(fields.contains(&f), "{f}: {problem}");
    }

    let mut bot = body("081299990001");
    bot["website"] = json!("http://spam.example");
    assert_problem(post(bot).await?, 400, "/problems/malformed-request").await?;

    let ok = post(body("0812-9999-0001")).await?;
    assert_eq!(ok.status(), 201);
    let result: Value = ok.json().await?;
    assert_eq!(
        (
            result["customer"]["status"].as_str(),
            result["customer"]["source"].as_str()
        ),
        (Some("prospect"), Some("portal"))
    );
    assert!(result["covered"].is_boolean());

    // The new portal account signs in with the phone number.
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": "081299990001", "password": "kopi susu gula aren"}))
        .send()
        .await?;
    assert_eq!(login.status(), 200);
    let me: Value = login.json().await?;
    assert_eq!(
        (me["role"].as_str(), me["customer_id"].clone()),
        (Some("customer"), result["customer"]["id"].clone())
    );

    let again = assert_problem(
        post(body("+62 812 9999 0001")).await?,
        422,
        "/problems/validation",
    )
    .await?;
    assert_eq!(
        (
            again["errors"][0]["field"].as_str(),
            again["errors"][0]["code"].as_str()
        ),
        (Some("phone"), Some("taken"))
    );
    // Per-address limit: five an hour (one used above).
    for n in 2..=5 {
        assert_eq!(post(body(&format!("08129999000{n}"))).await?.status(), 201);
    }
    let limited = post(body("081299990009")).await?;
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429, "/problems/too-many-requests").await?;
    Ok(())
}

async fn csv_import_dry_run_then_all_or_nothing(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let odcs: Value = admin.get("/api/v1/odcs?limit=1").await?.json().await?;
    let odc = odcs["items"][0]["code"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string"))?
        .to_string();
    let import = |kind: &str, dry: bool, csv: String| {
        admin
            .client
            .post(admin.url(&format!("/api/v1/imports/{kind}?dry_run={dry}")))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    let before: Value = admin.get("/api/v1/odps?limit=1").await?.json().await?;
    let bad = format!(
        "code,name,odc_code,lat,lng,port_count,status\n\
         ODP-NEW-01,ODP Baru 1,{odc},-6.90,107.61,8,active\n\
         ODP-NEW-02,ODP Baru 2,ODC-NOPE,-6.90,107.61,8,active\n\
         ODP-NEW-03,,{odc},abc,107.61,12,broken\n\
         ODP-NEW-01,ODP Baru 1 lagi,{odc},-6.90,107.61,16,active\n"
    );
    let report: Value = import("odps", true, bad.clone()).await?.json().await?;
    assert_eq!(
        (report["dry_run"].as_bool(), report["rows"].as_u64()),
        (Some(true), Some(4))
    );
    let lines: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e["line"].as_u64()?, e["field"].as_str()?)))
        .collect();
    for expected in [
        (3, "odc_code"),
        (4, "name"),
        (4, "lat"),
        (4, "port_count"),
        (4, "status"),
        (5, "code"),
    ] {
        assert!(lines.contains(&expected), "{expected:?} not in {lines:?}");
    }
    let code_at = |line: u64, field: &str| {
        report["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["line"] == line && e["field"] == field)
            .and_then(|e| e["code"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        (
            code_at(3, "odc_code"),
            code_at(4, "name"),
            code_at(5, "code")
        ),
        (
            "unknown".to_string(),
            "required".to_string(),
            "duplicate".to_string()
        )
    );
    let applied = import("odps", false, bad).await?;
    assert_problem(applied, 422, "/problems/validation").await?;
    let after: Value = admin.get("/api/v1/odps?limit=1").await?.json().await?;
    assert_eq!(before["total"], after["total"], "nothing half-imported");

    let good = format!(
        "code,name,odc_code,lat,lng,port_count,status\nODP-NEW-01,ODP Baru 1,{odc},-6.90,107.61,8,active\nodp-new-02,ODP Baru 2,{odc},-6.901,107.611,16,maintenance\n"
    );
    let report: Value = import("odps", false, good).await?.json().await?;
    assert_eq!(
        (
            report["created"].as_u64(),
            report["errors"].as_array().map(Vec::len)
        ),
        (Some(2), Some(0))
    );
    let found: Value = admin.get("/api/v1/odps?q=odp-new-02").await?.json().await?;
    assert_eq!(found["items"][0]["status"], "maintenance");

    // An export imports back unchanged: everything updated, nothing created.
    let exported = admin.get("/api/v1/exports/packages").await?;
    assert!(
        exported.headers()["content-type"]
            .to_str()?
            .starts_with("text/csv")
    );
    let text = exported.text().await?;
    assert!(text.starts_with("\u{feff}name,download_mbps"));
    let report: Value = import("packages", false, text).await?.json().await?;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(6))
    );

    let customers = "customer_number,name,phone,whatsapp,email,address,lat,lng,package,odp_code,odp_port,status,notes\n\
        ,Ujang Sutisna,0813-7777-0001,,,\"Jl. Sekeloa No. 2, Coblong\",-6.8890,107.6170,Rumah 30,,,prospect,dari spreadsheet\n\
        ,Euis Rosita,0813-7777-0002,,,\"Jl. Sekeloa No. 4, Coblong\",-6.8891,107.6171,Rumah 30,,,prospect,\n";
    let report: Value = import("customers", false, customers.to_string())
        .await?
        .json()
        .await?;
    assert_eq!(report["created"], 2, "{report}");
    let found: Value = admin
        .get("/api/v1/customers?q=081377770002")
        .await?
        .json()
        .await?;
    assert_eq!(found["items"][0]["source"], "import");

    // ODCs by area code, then their export imports back unchanged.
    let odcs_csv = "code,name,area_code,lat,lng,status\nODC-CBL-900,ODC Coblong Baru,BDG-CBL,-6.8900,107.6150,active\n";
    let report: Value = import("odcs", false, odcs_csv.to_string())
        .await?
        .json()
        .await?;
    assert_eq!(report["created"], 1, "{report}");
    let odcs_export = admin.get("/api/v1/exports/odcs").await?.text().await?;
    assert!(odcs_export.contains("ODC-CBL-900,ODC Coblong Baru,BDG-CBL"));
    let report: Value = import("odcs", true, odcs_export).await?.json().await?;
    assert_eq!(
        (
            report["created"].as_u64(),
            report["errors"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );

    let header = import("areas", true, "kode,nama\nX,Y\n".to_string()).await?;
    let problem = assert_problem(header, 422, "/problems/validation").await?;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("line 1") && d.contains("missing"))
    );
    let latin1 = admin
        .client
        .post(admin.url("/api/v1/imports/areas?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .body(vec![b'c', b'o', b'd', b'e', b'\n', 0xE9, b'\n'])
        .send()
        .await?;
    let problem = assert_problem(latin1, 422, "/problems/validation").await?;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("UTF-8"))
    );
    assert_problem(
        import("routers", true, "a\n1\n".to_string()).await?,
        404,
        "/problems/not-found",
    )
    .await?;
    let management = app.signed_in("management").await?;
    let export = management.get("/api/v1/exports/customers").await?;
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-type"]
            .to_str()?
            .starts_with("text/csv")
    );
    let csv = export.text().await?;
    let total = management
        .get("/api/v1/customers?limit=1")
        .await?
        .json::<Value>()
        .await?["total"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("no total"))?;
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    // A byte-order mark first, so spreadsheet programs read UTF-8.
    assert!(header.starts_with("\u{feff}customer_number,"), "{header}");
    assert_eq!(lines.count() as u64, total, "one line per customer");
    assert!(csv.contains("PLG-0000001,"));
    Ok(())
}

async fn cs_opens_a_portal_account_for_a_phone_customer(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let package = active_package(app).await?;
    let customer: Value = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Asep Sunandar", "phone": "0819 3333 4444", "address": "Jl. Sekeloa No. 9, Coblong",
            "location": {"lat": -6.8880, "lng": 107.6180}, "package_id": package
        })))
        .await?
        .json()
        .await?;
    let id = crate::support::text(&customer["id"])?.to_string();
    let path = format!("/api/v1/customers/{id}/portal-account");
    let before: Value = cs.get(&path).await?.json().await?;
    assert_eq!(before["exists"], false);

    let invite = cs.send(Method::POST, &path, None).await?;
    assert_eq!(invite.status(), 201);
    let invite: Value = invite.json().await?;
    let token = crate::support::text(&invite["token"])?.to_string();
    assert!(
        invite["reset_path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&token))
    );
    let after: Value = cs.get(&path).await?.json().await?;
    assert_eq!(
        (after["exists"].as_bool(), after["login"].as_str()),
        (Some(true), Some("+6281933334444"))
    );
    assert_problem(
        cs.send(Method::POST, &path, None).await?,
        409,
        "/problems/conflict",
    )
    .await?;

    // Before the link is used, no password signs in; after, the chosen one does.
    let login = |password: &str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": "081933334444", "password": password}))
            .send()
    };
    assert_eq!(login("!reset-required").await?.status(), 401);
    let set = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"token": token, "new_password": "internet rumah asep"}))
        .send()
        .await?;
    assert_eq!(set.status(), 204);
    let me: Value = login("internet rumah asep").await?.json().await?;
    assert_eq!(
        (me["role"].as_str(), me["customer_id"].as_str()),
        (Some("customer"), Some(id.as_str()))
    );

    let tech = app.signed_in("technician").await?;
    assert_problem(
        tech.send(Method::POST, &path, None).await?,
        403,
        "/problems/forbidden",
    )
    .await?;
    let events: Value = app
        .signed_in("admin")
        .await?
        .get(&format!(
            "/api/v1/audit-events?action=customer.portal_invite&entity_id={id}"
        ))
        .await?
        .json()
        .await?;
    assert_eq!(events["total"], 1);
    Ok(())
}
