//! Before an installation is booked: the customer's NIK and KTP photo
//! (sealed at rest, whole only for CS and admins, every view audited), CS
//! verification, the fee where the ISP asks for it first, and photos
//! removed after their retention.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, text},
};

both_backends!(
    an_installation_is_booked_only_once_verified,
    identity_documents_are_sealed_masked_and_every_view_audited,
);

pub(crate) const NIK: &str = "3273 0112 0389 0123";

fn png() -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_pixel(64, 40, image::Rgb([30, 90, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
    Ok(out)
}

/// A prospect registered by CS, and their installation ticket.
pub(crate) async fn new_installation(
    app: &TestApp,
    cs: &Session,
    phone: &str,
) -> anyhow::Result<Value> {
    let (_, packages) = app.get_json("/api/v1/packages?active=true").await?;
    let created = cs
        .send(Method::POST, "/api/v1/customers", Some(json!({
            "name": "Asep Sunandar", "phone": phone, "address": "Jl. Tubagus Ismail No. 5",
            "location": {"lat": -6.8915, "lng": 107.6160}, "package_id": packages["items"][0]["id"]
        })))
        .await?;
    let status = created.status();
    let customer: Value = created.json().await?;
    anyhow::ensure!(status == 201, "{customer}");
    let (_, list) = cs
        .json(&format!(
            "/api/v1/tickets?customer_id={}&kind=installation",
            text(&customer["id"])?
        ))
        .await?;
    Ok(list["items"][0].clone())
}

pub(crate) async fn put_identity(
    who: &Session,
    customer: &str,
    nik: Option<&str>,
    photo: Option<(&str, &str, Vec<u8>)>,
) -> anyhow::Result<reqwest::Response> {
    let mut form = reqwest::multipart::Form::new();
    if let Some(nik) = nik {
        form = form.text("nik", nik.to_string());
    }
    if let Some((name, mime, bytes)) = photo {
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str(mime)?,
        );
    }
    Ok(who
        .client
        .put(who.url(&format!("/api/v1/customers/{customer}/identity")))
        .header("x-csrf-token", &who.csrf)
        .multipart(form)
        .send()
        .await?)
}

pub(crate) async fn post_if(
    who: &Session,
    t: &Value,
    what: &str,
    body: Value,
) -> anyhow::Result<reqwest::Response> {
    who.send_if(
        Method::POST,
        &format!("/api/v1/tickets/{}/{what}", text(&t["id"])?),
        t["version"].as_i64().unwrap_or_default(),
        Some(body),
    )
    .await
}

pub(crate) async fn ok(response: reqwest::Response) -> anyhow::Result<Value> {
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status == 200, "{status}: {body}");
    Ok(body)
}

async fn technician_id(app: &TestApp) -> anyhow::Result<String> {
    let technician = app.signed_in("technician").await?;
    let (_, me) = technician.json("/api/v1/me").await?;
    Ok(text(&me["id"])?.to_string())
}

async fn an_installation_is_booked_only_once_verified(app: &TestApp) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let t = new_installation(app, &cs, "0812 6100 4321").await?;
    let customer = text(&t["customer"]["id"])?.to_string();
    assert_eq!(t["booking_needs"], json!(["verification"]), "{t}");
    let (_, seen) = supervisor
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    let allowed = seen["allowed_transitions"].as_array().cloned();
    assert!(
        allowed.is_some_and(|a| !a.contains(&json!("assigned"))),
        "not offered before verification: {seen}"
    );

    // Booking a technician now is refused and says what is missing.
    let tech = technician_id(app).await?;
    let r = post_if(
        &supervisor,
        &t,
        "transitions",
        json!({"to": "assigned", "technician_id": tech}),
    )
    .await?;
    let problem = assert_problem(r, 409, "/problems/not-ready").await?;
    assert_eq!(problem["missing"], json!(["verification"]));

    // Verifying without identity documents names both.
    let r = post_if(
        &cs,
        &t,
        "verification",
        json!({"place_confirmed": true, "package_confirmed": true}),
    )
    .await?;
    let problem = assert_problem(r, 409, "/problems/not-ready").await?;
    assert_eq!(problem["missing"], json!(["nik", "ktp_photo"]));

    // A NIK that is no date of birth, and a "photo" that is text: refused,
    // nothing kept.
    let r = put_identity(&cs, &customer, Some("3273013203890123"), None).await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "nik");
    assert_eq!(problem["errors"][0]["code"], "birth_date");
    let r = put_identity(
        &cs,
        &customer,
        Some(NIK),
        Some(("ktp.jpg", "image/jpeg", b"not a photo at all".to_vec())),
    )
    .await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "photo");
    let (_, identity) = cs
        .json(&format!("/api/v1/customers/{customer}/identity"))
        .await?;
    assert_eq!(
        identity["missing"],
        json!(["nik", "ktp_photo"]),
        "{identity}"
    );

    // Recorded properly, the identity shows masked.
    let r = put_identity(
        &cs,
        &customer,
        Some(NIK),
        Some(("ktp.png", "image/png", png()?)),
    )
    .await?;
    let identity = ok(r).await?;
    assert_eq!(identity["nik_masked"], "************0123");
    assert_eq!(identity["ktp_photo"], true);
    assert_eq!(identity["missing"], json!([]));

    // Place and package must be confirmed.
    let r = post_if(&cs, &t, "verification", json!({"place_confirmed": true})).await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "package_confirmed");
    let verified = ok(post_if(
        &cs,
        &t,
        "verification",
        json!({"place_confirmed": true, "package_confirmed": true}),
    )
    .await?)
    .await?;
    assert!(verified["verified_at"].is_string(), "{verified}");
    assert_eq!(verified["booking_needs"], json!([]));
    let (_, timeline) = cs
        .json(&format!("/api/v1/tickets/{}/timeline", text(&t["id"])?))
        .await?;
    assert!(
        timeline["items"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["kind"] == "verified")),
        "{timeline}"
    );
    // Verifying twice, or at an old version, is refused.
    let r = post_if(
        &cs,
        &verified,
        "verification",
        json!({"place_confirmed": true, "package_confirmed": true}),
    )
    .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let r = post_if(
        &cs,
        &t,
        "verification",
        json!({"verified": false, "reason": "salah"}),
    )
    .await?;
    assert_problem(r, 412, "/problems/stale").await?;

    // Now the supervisor books the technician.
    let (_, seen) = supervisor
        .json(&format!("/api/v1/tickets/{}", text(&t["id"])?))
        .await?;
    assert!(
        seen["allowed_transitions"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("assigned"))),
        "{seen}"
    );
    let booked = ok(post_if(
        &supervisor,
        &seen,
        "transitions",
        json!({"to": "assigned", "technician_id": tech}),
    )
    .await?)
    .await?;
    // Withdrawing the verification once booked is refused, waiting or not
    // (else a resumed ticket would run unverified).
    let r = post_if(
        &cs,
        &booked,
        "verification",
        json!({"verified": false, "reason": "KTP tidak cocok"}),
    )
    .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let waiting = ok(post_if(
        &supervisor,
        &booked,
        "transitions",
        json!({"to": "pending", "pause_reason": "customer_absent"}),
    )
    .await?)
    .await?;
    let r = post_if(
        &cs,
        &waiting,
        "verification",
        json!({"verified": false, "reason": "KTP tidak cocok"}),
    )
    .await?;
    assert_problem(r, 409, "/problems/conflict").await?;

    // A repair is not verified; the fee is staff's to mark.
    let customer_session = app.signed_in("customer").await?;
    let r = customer_session
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet putus"})),
        )
        .await?;
    let repair: Value = r.json().await?;
    let r = post_if(
        &cs,
        &repair,
        "verification",
        json!({"place_confirmed": true, "package_confirmed": true}),
    )
    .await?;
    assert_problem(r, 409, "/problems/conflict").await?;
    let r = post_if(&customer_session, &repair, "fee", json!({"paid": true})).await?;
    assert_eq!(r.status(), 403);
    Ok(())
}

async fn identity_documents_are_sealed_masked_and_every_view_audited(
    app: &TestApp,
) -> anyhow::Result<()> {
    let cs = app.signed_in("cs").await?;
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let t = new_installation(app, &cs, "0812 6100 9876").await?;
    let customer = text(&t["customer"]["id"])?.to_string();
    let photo = png()?;
    ok(put_identity(
        &cs,
        &customer,
        Some(NIK),
        Some(("ktp.png", "image/png", photo.clone())),
    )
    .await?)
    .await?;

    // At rest: neither the number nor the photo's bytes are readable.
    let row = {
        use netcrew_store::sea_orm::EntityTrait;
        netcrew_store::entity::customer_identity::Entity::find_by_id(
            customer.parse::<uuid::Uuid>()?,
        )
        .one(app.db.conn())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no identity row"))?
    };
    let sealed = row.nik_sealed.unwrap_or_default();
    assert!(!sealed.is_empty());
    assert!(!sealed.windows(6).any(|w| w == b"327301"), "NIK in clear");
    let mut stored = Vec::new();
    for entry in walk(&app.data_dir().join("attachments").join("identity"))? {
        stored.push(std::fs::read(entry)?);
    }
    assert_eq!(stored.len(), 1, "one photo file");
    assert!(
        !stored[0].starts_with(&[0x89, b'P', b'N', b'G']),
        "photo in clear"
    );

    // The masked view for anyone who reads customers; the whole for CS and
    // admins only.
    let (status, masked) = supervisor
        .json(&format!("/api/v1/customers/{customer}/identity"))
        .await?;
    assert_eq!(status, 200);
    assert_eq!(masked["nik_masked"], "************0123");
    for path in ["nik", "photo"] {
        let r = supervisor
            .get(&format!("/api/v1/customers/{customer}/identity/{path}"))
            .await?;
        assert_eq!(r.status(), 403, "{path}");
    }
    let r = cs
        .get(&format!("/api/v1/customers/{customer}/identity/nik"))
        .await?;
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let whole: Value = r.json().await?;
    assert_eq!(whole["nik"], "3273011203890123");
    let r = admin
        .get(&format!("/api/v1/customers/{customer}/identity/photo"))
        .await?;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(r.bytes().await?.as_ref(), photo.as_slice());

    // Each view is in the audit log, with who looked; the number never is.
    let (_, audit) = admin
        .json(&format!(
            "/api/v1/audit-events?action=identity.view&entity_id={customer}"
        ))
        .await?;
    let views: Vec<&Value> = audit["items"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    assert_eq!(views.len(), 2, "{audit}");
    let (_, all) = admin
        .json(&format!("/api/v1/audit-events?entity_id={customer}"))
        .await?;
    assert!(!all.to_string().contains("3273011203890123"), "{all}");

    // The photo goes after its retention; the NIK stays.
    let files = netcrew_store::attachments::local_files(&app.data_dir().join("attachments"))?;
    let keep = netcrew_store::retention::Retention {
        ktp_photos: Some(chrono::Duration::days(30)),
        job_photos: None,
        positions: None,
    };
    let now = chrono::Utc::now();
    let none = netcrew_store::retention::sweep(&app.db, &files, &keep, now, 100).await?;
    assert_eq!(none.ktp_photos, 0, "not yet");
    let later = now + chrono::Duration::days(31);
    let gone = netcrew_store::retention::sweep(&app.db, &files, &keep, later, 100).await?;
    assert!(gone.ktp_photos >= 1);
    let (_, after) = cs
        .json(&format!("/api/v1/customers/{customer}/identity"))
        .await?;
    assert_eq!(after["ktp_photo"], false);
    assert!(after["photo_removed_at"].is_string());
    assert_eq!(after["missing"], json!(["ktp_photo"]));
    assert_eq!(after["nik_masked"], "************0123");
    assert!(walk(&app.data_dir().join("attachments").join("identity"))?.is_empty());
    let r = cs
        .get(&format!("/api/v1/customers/{customer}/identity/photo"))
        .await?;
    assert_eq!(r.status(), 404);
    Ok(())
}

/// The files under `dir`, however deep.
fn walk(dir: &std::path::Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fee_comes_first_where_the_isp_asks() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.fee_before_booking = Some(true)).await?;
    let cs = app.signed_in("cs").await?;
    let t = new_installation(&app, &cs, "0812 6100 5555").await?;
    assert_eq!(t["booking_needs"], json!(["verification", "fee"]));
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
    assert_eq!(t["booking_needs"], json!(["fee"]));
    let tech = technician_id(&app).await?;
    let r = post_if(
        &cs,
        &t,
        "transitions",
        json!({"to": "assigned", "technician_id": tech}),
    )
    .await?;
    let problem = assert_problem(r, 409, "/problems/not-ready").await?;
    assert_eq!(problem["missing"], json!(["fee"]));

    // Taking back a payment needs a reason; a mistaken mark can be undone.
    let paid = ok(post_if(
        &cs,
        &t,
        "fee",
        json!({"paid": true, "reference": "TRF BCA 889123"}),
    )
    .await?)
    .await?;
    assert_eq!(paid["fee_reference"], "TRF BCA 889123");
    assert_eq!(paid["booking_needs"], json!([]));
    let r = post_if(&cs, &paid, "fee", json!({"paid": false})).await?;
    let problem = assert_problem(r, 422, "/problems/validation").await?;
    assert_eq!(problem["errors"][0]["field"], "reference");
    let unpaid = ok(post_if(
        &cs,
        &paid,
        "fee",
        json!({"paid": false, "reference": "salah tiket"}),
    )
    .await?)
    .await?;
    assert_eq!(unpaid["booking_needs"], json!(["fee"]));
    assert!(unpaid["fee_paid_at"].is_null());
    let paid = ok(post_if(&cs, &unpaid, "fee", json!({"paid": true})).await?).await?;
    let booked = ok(post_if(
        &cs,
        &paid,
        "transitions",
        json!({"to": "assigned", "technician_id": tech}),
    )
    .await?)
    .await?;
    assert_eq!(booked["status"], "assigned");
    app.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_files_go_after_their_retention() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let customer = app.signed_in("customer").await?;
    let r = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "ONT mati"})),
        )
        .await?;
    let t: Value = r.json().await?;
    let id = text(&t["id"])?.to_string();
    let part = reqwest::multipart::Part::bytes(png()?)
        .file_name("ont.png")
        .mime_str("image/png")?;
    let r = customer
        .client
        .post(customer.url(&format!("/api/v1/tickets/{id}/attachments")))
        .header("x-csrf-token", &customer.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await?;
    assert_eq!(r.status(), 201);
    let file: Value = r.json().await?;
    let files = netcrew_store::attachments::local_files(&app.data_dir().join("attachments"))?;
    let keep = netcrew_store::retention::Retention {
        ktp_photos: None,
        job_photos: Some(chrono::Duration::days(730)),
        positions: None,
    };
    let later = chrono::Utc::now() + chrono::Duration::days(731);
    // Open tickets keep their files however old.
    netcrew_store::retention::sweep(&app.db, &files, &keep, later, 10_000).await?;
    let url = text(&file["url"])?.to_string();
    assert_eq!(customer.get(&url).await?.status(), 200);
    // Once the ticket is finished and the time is over, the file goes and
    // the entry says so.
    ok(customer
        .send_if(
            Method::POST,
            &format!("/api/v1/tickets/{id}/transitions"),
            t["version"].as_i64().unwrap_or_default(),
            Some(json!({"to": "cancelled", "reason": "sudah nyala"})),
        )
        .await?)
    .await?;
    let removed = netcrew_store::retention::sweep(&app.db, &files, &keep, later, 10_000).await?;
    assert!(removed.job_files >= 1);
    assert_eq!(customer.get(&url).await?.status(), 404);
    let (_, list) = customer
        .json(&format!("/api/v1/tickets/{id}/attachments"))
        .await?;
    assert!(list["items"][0]["removed_at"].is_string(), "{list}");
    app.stop().await;
    Ok(())
}
