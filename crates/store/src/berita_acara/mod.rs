//! The Berita Acara (the signed report of a job): completing an
//! installation, a repair or a dismantle on site makes a numbered PDF of the
//! customer, the package, the technician, the ODP port, the ONT and who owns
//! it, the optical reading, what was used, the photos and the customer's
//! signature, with the hash that ends the job's evidence chain. It is kept
//! on the ticket as an attachment the customer sees in the portal.

pub mod pdf;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use netcrew_domain::tickets::{TicketKind, TicketStatus, checklist::Signal};
use object_store::{PutPayload, path::Path as ObjectPath};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    attachments::Files,
    entity::{
        asset, customer, inventory_item, message_channel, odp, package, stock_movement, ticket,
        ticket_attachment, ticket_event, user,
    },
    jobs,
};

/// The kinds of job that get one.
pub fn made_for(kind: TicketKind) -> bool {
    matches!(
        kind,
        TicketKind::Installation | TicketKind::Repair | TicketKind::Dismantle
    )
}

/// Its number: the ticket's, and the round after a rework.
pub fn number_of(t: &ticket::Model) -> String {
    if t.cycle > 0 {
        format!("BA-{}-R{}", t.number, t.cycle)
    } else {
        format!("BA-{}", t.number)
    }
}

fn title(kind: TicketKind) -> &'static str {
    match kind {
        TicketKind::Installation => "BERITA ACARA PEMASANGAN",
        TicketKind::Repair => "BERITA ACARA PERBAIKAN",
        TicketKind::Dismantle => "BERITA ACARA PENCABUTAN",
        TicketKind::Upgrade => "BERITA ACARA PERUBAHAN LAYANAN",
        TicketKind::Relocation => "BERITA ACARA PINDAH ALAMAT",
    }
}

fn entry_name(key: &str) -> &str {
    match key {
        "photo_odp" => "Foto ODP",
        "photo_ont" => "Foto ONT",
        "photo_cabling" => "Foto kabel rumah",
        "photo_repair" => "Foto perbaikan",
        "photo_dismantle" => "Foto pencabutan",
        other => other,
    }
}

fn terms_name(terms: Option<&str>) -> &'static str {
    match terms {
        Some("loaned") => "milik ISP, dipinjamkan",
        Some("rented") => "milik ISP, disewakan",
        Some("sold") => "milik pelanggan (dibeli)",
        _ => "-",
    }
}

async fn bytes_of(files: &Files, a: &ticket_attachment::Model) -> Option<Vec<u8>> {
    if a.removed_at.is_some() {
        return None;
    }
    let got = files
        .get(&ObjectPath::from(a.storage_key.as_str()))
        .await
        .ok()?;
    got.bytes().await.ok().map(|b| b.to_vec())
}

fn text_of(v: Option<&Value>, key: &str) -> String {
    match v.and_then(|v| v.get(key)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "-".to_string(),
    }
}

/// Makes the Berita Acara of a job just completed on site and keeps it on
/// the ticket (`None`: this job gets none — resolved remotely, or a kind
/// without one).
pub async fn make(
    db: &Db,
    files: &Files,
    ticket_id: Uuid,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Option<ticket_attachment::Model>, Error> {
    let conn = db.conn();
    let Some(t) = ticket::Entity::find_by_id(ticket_id).one(conn).await? else {
        return Ok(None);
    };
    let kind = TicketKind::parse(&t.kind).unwrap_or(TicketKind::Repair);
    if !made_for(kind)
        || TicketStatus::parse(&t.status) != Some(TicketStatus::Resolved)
        || t.remote_reason.is_some()
    {
        return Ok(None);
    }
    let cust = customer::Entity::find_by_id(t.customer_id)
        .one(conn)
        .await?;
    let pack = match &cust {
        Some(c) => package::Entity::find_by_id(c.package_id).one(conn).await?,
        None => None,
    };
    let tech = match t.technician_id {
        Some(id) => user::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let odp_code = match t.odp_id {
        Some(id) => odp::Entity::find_by_id(id).one(conn).await?.map(|o| o.code),
        None => None,
    };
    let isp = message_channel::Entity::find_by_id(crate::outbox::WHATSAPP)
        .one(conn)
        .await?
        .and_then(|r| serde_json::from_str::<Value>(&r.config).ok())
        .and_then(|c| c["sender_name"].as_str().map(str::to_string))
        .unwrap_or_else(|| "NetCrew".to_string());
    let sheet = jobs::sheet(conn, &t).await?;
    let value = |k: &str| sheet.values.get(k).map(|r| &r.value);
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string();

    let mut job: Vec<(String, String)> = vec![
        ("Nomor tiket".into(), t.number.clone()),
        (
            "Selesai".into(),
            t.resolved_at.map(local).unwrap_or_else(|| "-".into()),
        ),
        (
            "Teknisi".into(),
            tech.as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_else(|| "-".into()),
        ),
    ];
    if let Some(code) = &odp_code {
        let port = value("odp_port")
            .and_then(|v| v.get("port"))
            .and_then(Value::as_i64)
            .or(t.odp_port.map(i64::from));
        job.push((
            "ODP / port".into(),
            match port {
                Some(p) => format!("{code} / port {p}"),
                None => code.clone(),
            },
        ));
    }
    let mut device: Vec<(String, String)> = Vec::new();
    if let Some(serial) = value("ont_serial").and_then(|v| v["serial"].as_str()) {
        let owned = asset::Entity::find()
            .filter(asset::Column::Serial.eq(serial))
            .one(conn)
            .await?;
        device.push(("Serial ONT".into(), serial.to_string()));
        device.push((
            "Kepemilikan ONT".into(),
            terms_name(owned.as_ref().and_then(|a| a.terms.as_deref())).to_string(),
        ));
    }
    if let Some(dbm) = value("rx_power").and_then(|v| v["dbm"].as_f64()) {
        let judged = match sheet.signal {
            Some(Signal::Healthy) => "baik",
            Some(Signal::Warning) => "mendekati batas",
            Some(Signal::Weak) => "di luar batas",
            None => "-",
        };
        let mut line = format!("{dbm:.2} dBm ({judged})");
        if let Some(e) = &sheet.exception {
            line.push_str(&format!(
                "; disetujui {}: {}",
                e.by_name.clone().unwrap_or_default(),
                text_of(Some(&e.value), "reason")
            ));
        }
        device.push(("Daya optik (Rx)".into(), line));
    }
    if let Some(m) = value("drop_cable_m").and_then(|v| v["meters"].as_f64()) {
        device.push(("Kabel drop".into(), format!("{m} m")));
    }
    if let Some(v) = value("speed_test") {
        device.push((
            "Uji kecepatan".into(),
            format!(
                "unduh {} Mbps, unggah {} Mbps",
                text_of(Some(v), "download_mbps"),
                text_of(Some(v), "upload_mbps")
            ),
        ));
    }
    for (key, label) in [
        ("diagnosis", "Diagnosis"),
        ("cause", "Penyebab"),
        ("resolution", "Penanganan"),
    ] {
        if let Some(v) = value(key) {
            let text = v["text"]
                .as_str()
                .or(v["code"].as_str())
                .unwrap_or("-")
                .replace('_', " ");
            device.push((label.into(), text));
        }
    }
    let used = stock_movement::Entity::find()
        .filter(stock_movement::Column::TicketId.eq(t.id))
        .filter(stock_movement::Column::Kind.eq("install"))
        .all(conn)
        .await?;
    let mut materials: Vec<(String, String)> = Vec::new();
    for m in &used {
        if let Some(item) = inventory_item::Entity::find_by_id(m.item_id)
            .one(conn)
            .await?
        {
            materials.push((item.name, format!("{} {}", m.quantity, item.unit)));
        }
    }

    let mut sections = vec![(
        "Pelanggan".to_string(),
        match &cust {
            Some(c) => vec![
                ("Nomor pelanggan".into(), c.customer_number.clone()),
                ("Nama".into(), c.name.clone()),
                ("Alamat".into(), t.address.clone()),
                ("Telepon".into(), c.phone.clone()),
                (
                    "Paket".into(),
                    pack.as_ref()
                        .map(|p| format!("{} ({} Mbps)", p.name, p.download_mbps))
                        .unwrap_or_else(|| "-".into()),
                ),
            ],
            None => Vec::new(),
        },
    )];
    sections.push(("Pekerjaan".into(), job));
    if !device.is_empty() {
        sections.push(("Hasil pekerjaan".into(), device));
    }
    if !materials.is_empty() {
        sections.push(("Material terpakai".into(), materials));
    }

    let mut photos = Vec::new();
    let mut signature = None;
    let ids: Vec<(String, Uuid)> = sheet
        .values
        .iter()
        .flat_map(|(k, r)| {
            let mut v: Vec<(String, Uuid)> = r.value["attachment_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| i.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                .map(|i| (k.clone(), i))
                .collect();
            if let Some(i) = r.value["attachment_id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
            {
                v.push((k.clone(), i));
            }
            v
        })
        .collect();
    let mut ordered = ids;
    ordered.sort();
    for (key, id) in ordered {
        let Some(a) = ticket_attachment::Entity::find_by_id(id).one(conn).await? else {
            continue;
        };
        let Some(bytes) = bytes_of(files, &a).await else {
            continue;
        };
        if key == "customer_signature" {
            let signer = text_of(value("customer_signature"), "signer");
            signature = Some(pdf::Picture {
                caption: format!("{signer} (pelanggan)"),
                bytes,
            });
        } else {
            let when = a.taken_at.map(local).unwrap_or_default();
            photos.push(pdf::Picture {
                caption: format!("{} {when}", entry_name(&key)).trim().to_string(),
                bytes,
            });
        }
    }
    let number = number_of(&t);
    let doc = pdf::Document {
        title: title(kind).to_string(),
        number: format!("No. {number}"),
        isp: isp.clone(),
        sections,
        photos_heading: "Foto".into(),
        photos,
        signature_heading: "Tanda tangan pelanggan".into(),
        signature,
        technician_line: format!(
            "Teknisi: {}, {}",
            tech.as_ref().map(|u| u.name.as_str()).unwrap_or("-"),
            t.resolved_at.map(local).unwrap_or_default()
        ),
        footer: format!(
            "Dibuat {} oleh {isp}. Rantai bukti dokumentasi (SHA-256): {}{}",
            local(now),
            sheet.head,
            if sheet.intact {
                ""
            } else {
                " - PERINGATAN: rantai bukti tidak utuh"
            }
        ),
    };
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&doc))
        .await
        .map_err(|e| Error::Conflict(format!("the Berita Acara could not be made: {e}")))?;
    keep(db, files, &t, &number, bytes, now).await.map(Some)
}

async fn keep(
    db: &Db,
    files: &Files,
    t: &ticket::Model,
    number: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<ticket_attachment::Model, Error> {
    use sha2::{Digest, Sha256};
    let id = Uuid::now_v7();
    let key = format!("tickets/{}/{id}", t.id);
    let path = ObjectPath::from(key.as_str());
    let sha256: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let length = bytes.len() as i64;
    files
        .put(&path, PutPayload::from_bytes(Bytes::from(bytes)))
        .await
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(format!("storing the file: {e}"))))?;
    let name = format!("{number}.pdf");
    let saved = async {
        let txn = db.begin_write().await?;
        let row = ticket_attachment::ActiveModel {
            id: Set(id),
            ticket_id: Set(t.id),
            file_name: Set(name.clone()),
            content_type: Set("application/pdf".to_string()),
            size_bytes: Set(length),
            storage_key: Set(key.clone()),
            width: Set(None),
            height: Set(None),
            internal: Set(false),
            uploaded_by: Set(None),
            created_at: Set(now),
            removed_at: Set(None),
            taken_at: Set(None),
            lat: Set(None),
            lng: Set(None),
            accuracy_m: Set(None),
            sha256: Set(Some(sha256.clone())),
        }
        .insert(&*txn)
        .await?;
        ticket_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            ticket_id: Set(t.id),
            at: Set(now),
            actor_id: Set(None),
            actor_name: Set("NetCrew".to_string()),
            actor_role: Set("system".to_string()),
            kind: Set("berita_acara".to_string()),
            from_status: Set(None),
            to_status: Set(None),
            reason: Set(String::new()),
            data: Set(json!({"attachment_id": id, "number": number, "sha256": sha256}).to_string()),
            public: Set(true),
        }
        .insert(&*txn)
        .await?;
        txn.commit().await?;
        Ok::<_, Error>(row)
    }
    .await;
    if saved.is_err() {
        let _ = files.delete(&path).await;
    }
    saved
}
