//! Ticket attachments: photos and documents kept in an object store (a
//! local directory by default), their facts in `ticket_attachments`. The
//! type is read from the bytes (a file that says it is a photo and is not
//! is refused), the size is capped, and photos are made smaller for phones.

use std::{io::Cursor, sync::Arc};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use image::{ImageFormat, ImageReader, codecs::jpeg::JpegEncoder, imageops::FilterType};
use netcrew_domain::{FieldError, Invalid, Role, tickets::TicketStatus};
use object_store::{ObjectStore, PutPayload, path::Path as ObjectPath};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    entity::{ticket_attachment, ticket_event},
    tickets::{self, Person, Scope},
};

/// The largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Photos are made at most this many pixels on their long side.
pub const MAX_SIDE: u32 = 1600;

/// The kinds of file a ticket takes.
const ACCEPTED: &[&str] = &["image/jpeg", "image/png", "image/webp", "application/pdf"];

/// Where attachments are kept.
pub type Files = Arc<dyn ObjectStore>;

/// A local directory as the object store (created if missing).
pub fn local_files(dir: &std::path::Path) -> anyhow::Result<Files> {
    std::fs::create_dir_all(dir)?;
    Ok(Arc::new(
        object_store::local::LocalFileSystem::new_with_prefix(dir)?,
    ))
}

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    /// What the client says the file is (from the form part).
    pub declared_type: Option<String>,
    pub bytes: Bytes,
    pub internal: bool,
    /// When and where the phone took it (checked by the caller).
    pub taken: Option<Taken>,
}

/// When and where a photo was taken, as the phone reported it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Taken {
    pub at: DateTime<Utc>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub accuracy_m: Option<f64>,
}

fn refuse(code: &str, detail: impl Into<String>) -> Error {
    Invalid::one(FieldError::new("file", code, detail)).into()
}

/// The type the bytes are, if accepted; refuses a file whose declared type
/// or name says otherwise.
pub fn check_type(upload: &Upload) -> Result<&'static str, Error> {
    if upload.bytes.is_empty() {
        return Err(refuse("empty", "the file is empty"));
    }
    if upload.bytes.len() > MAX_BYTES {
        return Err(Invalid::one(
            FieldError::new(
                "file",
                "too_large",
                format!("at most {} MB", MAX_BYTES / 1024 / 1024),
            )
            .with("max_bytes", MAX_BYTES as u64),
        )
        .into());
    }
    let Some(found) = infer::get(&upload.bytes).map(|t| t.mime_type()) else {
        return Err(refuse("type", "send a photo (JPEG, PNG, WebP) or a PDF"));
    };
    let Some(found) = ACCEPTED.iter().copied().find(|a| *a == found) else {
        return Err(refuse("type", "send a photo (JPEG, PNG, WebP) or a PDF"));
    };
    let declared = upload
        .declared_type
        .as_deref()
        .map(|d| d.split(';').next().unwrap_or("").trim().to_lowercase())
        .filter(|d| !d.is_empty() && d != "application/octet-stream");
    let by_name = mime_by_name(&upload.file_name);
    for claim in [declared.as_deref(), by_name].into_iter().flatten() {
        let same_family = claim == found || (claim == "image/jpg" && found == "image/jpeg");
        if !same_family {
            return Err(refuse(
                "type_mismatch",
                format!("the file says it is {claim} but its contents are {found}"),
            ));
        }
    }
    Ok(found)
}

fn mime_by_name(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

/// The bytes to keep, their type and, for a photo, its size in pixels.
type Prepared = (Bytes, &'static str, Option<(u32, u32)>);

/// A photo made at most [`MAX_SIDE`] on its long side (as JPEG), and its
/// size; other files as they are.
pub(crate) fn prepare(bytes: Bytes, kind: &'static str) -> Result<Prepared, Error> {
    let format = match kind {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        _ => return Ok((bytes, kind, None)),
    };
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|_| refuse("unreadable", "the photo cannot be read"))?;
    let (w, h) = (img.width(), img.height());
    if w <= MAX_SIDE && h <= MAX_SIDE {
        return Ok((bytes, kind, Some((w, h))));
    }
    let small = img
        .resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle)
        .to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&small)
        .map_err(|_| refuse("unreadable", "the photo cannot be read"))?;
    Ok((
        Bytes::from(out),
        "image/jpeg",
        Some((small.width(), small.height())),
    ))
}

fn clean_name(name: &str, kind: &str) -> String {
    let base: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(120)
        .collect();
    let base = base.trim();
    if base.is_empty() {
        format!("lampiran.{}", kind.rsplit('/').next().unwrap_or("bin"))
    } else {
        base.to_string()
    }
}

/// Attaches a file to a ticket the person sees and may comment on.
pub async fn attach(
    db: &Db,
    files: &Files,
    who: &Person,
    scope: &Scope,
    ticket_id: Uuid,
    upload: Upload,
    now: DateTime<Utc>,
) -> Result<ticket_attachment::Model, Error> {
    let t = tickets::find(db.conn(), ticket_id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    if matches!(status, TicketStatus::Closed | TicketStatus::Cancelled) {
        return Err(Error::Conflict(format!(
            "A {} ticket takes no more attachments.",
            status.as_str()
        )));
    }
    let internal = upload.internal && who.role != Some(Role::Customer);
    let taken = upload.taken;
    let found = check_type(&upload)?;
    let name = clean_name(&upload.file_name, found);
    let (bytes, kind, size) = tokio::task::spawn_blocking(move || prepare(upload.bytes, found))
        .await
        .map_err(|e| Error::Conflict(format!("the file could not be processed: {e}")))??;
    let id = Uuid::now_v7();
    let sha256: String = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let key = format!("tickets/{ticket_id}/{id}");
    let path = ObjectPath::from(key.as_str());
    let length = bytes.len() as i64;
    files
        .put(&path, PutPayload::from_bytes(bytes))
        .await
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(format!("storing the file: {e}"))))?;
    let saved = async {
        let txn = db.begin_write().await?;
        let row = ticket_attachment::ActiveModel {
            id: Set(id),
            ticket_id: Set(ticket_id),
            file_name: Set(name.clone()),
            content_type: Set(kind.to_string()),
            size_bytes: Set(length),
            storage_key: Set(key.clone()),
            width: Set(size.map(|s| s.0 as i32)),
            height: Set(size.map(|s| s.1 as i32)),
            internal: Set(internal),
            uploaded_by: Set(who.id),
            created_at: Set(now),
            removed_at: Set(None),
            taken_at: Set(taken.map(|t| t.at)),
            lat: Set(taken.and_then(|t| t.lat)),
            lng: Set(taken.and_then(|t| t.lng)),
            accuracy_m: Set(taken.and_then(|t| t.accuracy_m)),
            sha256: Set(Some(sha256.clone())),
        }
        .insert(&*txn)
        .await?;
        ticket_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            ticket_id: Set(ticket_id),
            at: Set(now),
            actor_id: Set(who.id),
            actor_name: Set(who.name.clone()),
            actor_role: Set(who.role.map_or("system", Role::as_str).to_string()),
            kind: Set("attachment".to_string()),
            from_status: Set(None),
            to_status: Set(None),
            reason: Set(String::new()),
            data: Set(json!({"attachment_id": id, "file_name": name, "content_type": kind, "sha256": sha256}).to_string()),
            public: Set(!internal),
        }
        .insert(&*txn)
        .await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: who.id,
                actor_ip: who.ip.clone(),
                action: "ticket.attach",
                entity: "ticket",
                entity_id: Some(ticket_id.to_string()),
                before: None,
                after: Some(json!({"attachment_id": id, "file_name": name, "content_type": kind, "size_bytes": length})),
            },
            now,
        )
        .await?;
        crate::feed::publish(
            &*txn,
            if internal { "ticket.internal" } else { "ticket.attachment" },
            crate::feed::Concerns {
                ticket_id: Some(t.id),
                outage_id: t.outage_id,
                customer_id: Some(t.customer_id),
                technician_id: t.technician_id,
                area_id: Some(t.area_id),
            },
            json!({"change": "ticket.attachment", "ticket_id": t.id, "number": t.number, "status": t.status, "version": t.version}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, Error>(row)
    }
    .await;
    if saved.is_err() {
        // Nothing half-written: the file goes with the row that failed.
        let _ = files.delete(&path).await;
    }
    saved
}

/// A ticket's attachments, oldest first (a customer does not see internal
/// ones).
pub async fn list(
    db: &Db,
    ticket_id: Uuid,
    public_only: bool,
) -> Result<Vec<ticket_attachment::Model>, sea_orm::DbErr> {
    let mut select =
        ticket_attachment::Entity::find().filter(ticket_attachment::Column::TicketId.eq(ticket_id));
    if public_only {
        select = select.filter(ticket_attachment::Column::Internal.eq(false));
    }
    select
        .order_by_asc(ticket_attachment::Column::CreatedAt)
        .all(db.conn())
        .await
}

/// An attachment and its bytes, if the reader sees its ticket.
pub async fn open(
    db: &Db,
    files: &Files,
    scope: &Scope,
    id: Uuid,
) -> Result<(ticket_attachment::Model, Bytes), Error> {
    let missing = || Error::NotFound("No such attachment.".to_string());
    let a = ticket_attachment::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .ok_or_else(missing)?;
    if a.internal && scope.is_customer() {
        return Err(missing());
    }
    if a.removed_at.is_some() {
        return Err(Error::NotFound(
            "This file was removed after its retention time.".to_string(),
        ));
    }
    tickets::find(db.conn(), a.ticket_id, scope)
        .await?
        .ok_or_else(missing)?;
    let bytes = files
        .get(&ObjectPath::from(a.storage_key.as_str()))
        .await
        .map_err(|_| missing())?
        .bytes()
        .await
        .map_err(|_| missing())?;
    Ok((a, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Bytes {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        Bytes::from(out)
    }

    fn upload(name: &str, declared: Option<&str>, bytes: Bytes) -> Upload {
        Upload {
            file_name: name.to_string(),
            declared_type: declared.map(str::to_string),
            bytes,
            internal: false,
            taken: None,
        }
    }

    #[test]
    fn the_bytes_decide_the_type() {
        let photo = png(10, 10);
        assert_eq!(
            check_type(&upload("odp.png", Some("image/png"), photo.clone())).ok(),
            Some("image/png")
        );
        // A PNG that calls itself a JPEG, or a PDF by name, is refused.
        assert!(check_type(&upload("odp.jpg", None, photo.clone())).is_err());
        assert!(check_type(&upload("odp.png", Some("application/pdf"), photo)).is_err());
        // Text pretending to be a photo.
        assert!(
            check_type(&upload(
                "x.png",
                Some("image/png"),
                Bytes::from_static(b"hello")
            ))
            .is_err()
        );
        assert!(check_type(&upload("x.png", None, Bytes::new())).is_err());
    }

    #[test]
    fn big_photos_are_made_small_for_phones() {
        let (out, kind, size) = prepare(png(3200, 1000), "image/png").expect("resized");
        assert_eq!(kind, "image/jpeg");
        assert_eq!(size, Some((1600, 500)));
        assert!(infer::get(&out).is_some_and(|t| t.mime_type() == "image/jpeg"));
        let (_, kind, size) = prepare(png(100, 50), "image/png").expect("kept");
        assert_eq!((kind, size), ("image/png", Some((100, 50))));
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(clean_name("C:\\foto\\rumah.jpg", "image/jpeg"), "rumah.jpg");
        assert_eq!(clean_name("", "image/png"), "lampiran.png");
    }
}
