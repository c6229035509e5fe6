//! A subscriber's identity documents: the NIK and a photo of the KTP, which
//! CS records before an installation is verified. Both are sealed at rest
//! (XChaCha20-Poly1305 with the installation's identity key, bound to the
//! customer), the NIK is shown masked except to the roles that need it,
//! every view of the whole NIK or the photo is in the audit log, and photos
//! are removed after their retention.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::Bytes;
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng, Payload},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{FieldError, Invalid, identity::Nik};
use object_store::{PutPayload, path::Path as ObjectPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    attachments::{self, Files, Upload},
    audit_log::{self, Audit},
    entity::{customer, customer_identity},
    tickets::Person,
};

/// The first byte of everything sealed: the format, so that a later one
/// can be told apart.
const SEALED_V1: u8 = 1;

/// Seals and opens identity documents with one 32-byte key.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// Something sealed that does not open with this key (another key, or
/// changed bytes).
#[derive(Debug, thiserror::Error)]
#[error("sealed data does not open with this installation's identity key")]
pub struct Unreadable;

impl Sealer {
    pub fn new(key: [u8; 32]) -> Sealer {
        Sealer {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// The key in `path` (base64 of 32 bytes), made on first use with mode
    /// 0600. Several instances of one installation share the file.
    pub fn from_key_file(path: &Path) -> anyhow::Result<Sealer> {
        use anyhow::Context;
        if !path.exists() {
            let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => {
                    writeln!(file, "{}", STANDARD.encode(key))
                        .with_context(|| format!("writing {}", path.display()))?;
                    file.sync_all()?;
                }
                // Another instance made it first: read theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
        // Another instance may have made the file an instant ago and not
        // written it yet: give it a moment.
        let mut text = String::new();
        for _ in 0..20 {
            text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the identity key {}", path.display()))?;
            if !text.trim().is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let bytes = STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .with_context(|| {
                format!(
                    "{} is not an identity key (base64 of 32 bytes)",
                    path.display()
                )
            })?;
        Ok(Sealer::new(bytes))
    }

    /// `plain` sealed for `owner` (the customer it belongs to).
    pub fn seal(&self, owner: Uuid, plain: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: owner.as_bytes(),
                },
            )
            // Only fails for messages beyond 256 GiB.
            .unwrap_or_default();
        let mut out = Vec::with_capacity(1 + nonce.len() + sealed.len());
        out.push(SEALED_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// What [`Sealer::seal`] sealed for `owner`.
    pub fn open(&self, owner: Uuid, sealed: &[u8]) -> Result<Vec<u8>, Unreadable> {
        let (&version, rest) = sealed.split_first().ok_or(Unreadable)?;
        if version != SEALED_V1 || rest.len() < 24 {
            return Err(Unreadable);
        }
        let (nonce, body) = rest.split_at(24);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| Unreadable)
    }
}

/// Where the identity key is kept when no file is named.
pub fn default_key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("identity.key")
}

/// What is recorded of a customer's identity, as everyone allowed to see
/// the customer sees it.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
) -> Result<Option<customer_identity::Model>, sea_orm::DbErr> {
    customer_identity::Entity::find_by_id(customer_id)
        .one(db)
        .await
}

async fn customer_for_identity<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
) -> Result<customer::Model, Error> {
    let c = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such customer.".to_string()))?;
    if c.erased_at.is_some() {
        return Err(Error::Conflict(
            "This customer's personal data was erased.".to_string(),
        ));
    }
    Ok(c)
}

/// What CS sends: the NIK, the KTP photo, or both.
#[derive(Debug, Default)]
pub struct IdentityInput {
    pub nik: Option<String>,
    pub photo: Option<Upload>,
}

/// The KTP photo as kept: a photo only, made small like job photos.
fn prepare_photo(upload: Upload) -> Result<(Bytes, &'static str), Error> {
    let found = attachments::check_type(&upload)?;
    if !found.starts_with("image/") {
        return Err(Invalid::one(FieldError::new(
            "photo",
            "type",
            "send a photo of the KTP (JPEG, PNG or WebP)",
        ))
        .into());
    }
    let (bytes, kind, _) = attachments::prepare(upload.bytes, found)?;
    Ok((bytes, kind))
}

/// Records (or replaces) a customer's NIK and KTP photo. The NIK's shape is
/// checked; the photo's type is read from its bytes. Both are sealed before
/// they are written; the audit entry says what was recorded, never the
/// number.
pub async fn record(
    db: &Db,
    files: &Files,
    sealer: &Sealer,
    who: &Person,
    customer_id: Uuid,
    input: IdentityInput,
    now: DateTime<Utc>,
) -> Result<customer_identity::Model, Error> {
    let nik = match input.nik.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            Nik::parse(text)
                .map_err(|e| Invalid::one(FieldError::new("nik", e.code(), e.to_string())))?,
        ),
    };
    if nik.is_none() && input.photo.is_none() {
        return Err(Invalid::one(FieldError::new(
            "nik",
            "required",
            "send the NIK, the KTP photo or both",
        ))
        .into());
    }
    customer_for_identity(db.conn(), customer_id).await?;
    let photo = match input.photo {
        None => None,
        Some(upload) => {
            let upload = Upload {
                file_name: upload.file_name,
                declared_type: upload.declared_type,
                bytes: upload.bytes,
                internal: true,
                taken: None,
            };
            Some(
                tokio::task::spawn_blocking(move || prepare_photo(upload))
                    .await
                    .map_err(|e| Error::Conflict(format!("the photo could not be read: {e}")))?
                    .map_err(|e| match e {
                        // The form's field is `photo`, not a ticket's `file`.
                        Error::Invalid(mut inv) => {
                            for f in &mut inv.0 {
                                if f.field == "file" {
                                    f.field = "photo".to_string();
                                }
                            }
                            Error::Invalid(inv)
                        }
                        other => other,
                    })?,
            )
        }
    };
    let stored = match &photo {
        None => None,
        Some((bytes, kind)) => {
            let key = format!("identity/{customer_id}/{}", Uuid::now_v7());
            let sealed = sealer.seal(customer_id, bytes);
            files
                .put(
                    &ObjectPath::from(key.as_str()),
                    PutPayload::from(Bytes::from(sealed)),
                )
                .await
                .map_err(|e| {
                    Error::Db(sea_orm::DbErr::Custom(format!("storing the photo: {e}")))
                })?;
            Some((key, *kind))
        }
    };
    let written = async {
        let txn = db.begin_write().await?;
        let before = customer_identity::Entity::find_by_id(customer_id)
            .lock_exclusive()
            .one(&*txn)
            .await?;
        let mut row = match before.clone() {
            Some(r) => r.into_active_model(),
            None => customer_identity::ActiveModel {
                customer_id: Set(customer_id),
                nik_sealed: Set(None),
                nik_last4: Set(None),
                photo_key: Set(None),
                photo_type: Set(None),
                photo_recorded_at: Set(None),
                photo_removed_at: Set(None),
                recorded_by: Set(who.id),
                created_at: Set(now),
                updated_at: Set(now),
            },
        };
        if let Some(n) = &nik {
            row.nik_sealed = Set(Some(sealer.seal(customer_id, n.as_str().as_bytes())));
            row.nik_last4 = Set(Some(n.last_four().to_string()));
        }
        if let Some((key, kind)) = &stored {
            row.photo_key = Set(Some(key.clone()));
            row.photo_type = Set(Some((*kind).to_string()));
            row.photo_recorded_at = Set(Some(now));
            row.photo_removed_at = Set(None);
        }
        row.recorded_by = Set(who.id);
        row.updated_at = Set(now);
        let saved = if before.is_some() {
            row.update(&*txn).await?
        } else {
            row.insert(&*txn).await?
        };
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: who.id,
                actor_ip: who.ip.clone(),
                action: "identity.record",
                entity: "customer",
                entity_id: Some(customer_id.to_string()),
                before: before.as_ref().map(audit_view),
                after: Some(audit_view(&saved)),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, Error>((saved, before))
    }
    .await;
    match written {
        Ok((saved, before)) => {
            // The photo it replaces goes once the new one is recorded.
            if stored.is_some()
                && let Some(old) = before.and_then(|b| b.photo_key)
            {
                let _ = files.delete(&ObjectPath::from(old.as_str())).await;
            }
            Ok(saved)
        }
        Err(e) => {
            if let Some((key, _)) = stored {
                let _ = files.delete(&ObjectPath::from(key.as_str())).await;
            }
            Err(e)
        }
    }
}

/// What the audit log keeps of an identity: never the number.
fn audit_view(r: &customer_identity::Model) -> serde_json::Value {
    json!({
        "nik": r.nik_last4.as_deref().map(netcrew_domain::identity::masked),
        "ktp_photo": r.photo_key.is_some(),
        "photo_recorded_at": r.photo_recorded_at,
    })
}

/// Writes who looked at which identity document.
async fn audit_view_of(
    db: &Db,
    who: &Person,
    customer_id: Uuid,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "identity.view",
            entity: "customer",
            entity_id: Some(customer_id.to_string()),
            before: None,
            after: Some(json!({"document": what})),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The whole NIK, for a role that may see it; the view is audited before
/// the number is handed out.
pub async fn reveal_nik(
    db: &Db,
    sealer: &Sealer,
    who: &Person,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, Error> {
    let missing = || Error::NotFound("No NIK is recorded for this customer.".to_string());
    customer_for_identity(db.conn(), customer_id).await?;
    let row = summary(db.conn(), customer_id).await?.ok_or_else(missing)?;
    let sealed = row.nik_sealed.ok_or_else(missing)?;
    let plain = sealer
        .open(customer_id, &sealed)
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    audit_view_of(db, who, customer_id, "nik", now).await?;
    String::from_utf8(plain).map_err(|e| Error::Db(sea_orm::DbErr::Custom(e.to_string())))
}

/// The KTP photo and its type, for a role that may see it; the view is
/// audited before the photo is handed out.
pub async fn photo(
    db: &Db,
    files: &Files,
    sealer: &Sealer,
    who: &Person,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(String, Bytes), Error> {
    let missing = || Error::NotFound("No KTP photo is kept for this customer.".to_string());
    customer_for_identity(db.conn(), customer_id).await?;
    let row = summary(db.conn(), customer_id).await?.ok_or_else(missing)?;
    let (Some(key), Some(kind)) = (row.photo_key, row.photo_type) else {
        return Err(missing());
    };
    let sealed = files
        .get(&ObjectPath::from(key.as_str()))
        .await
        .map_err(|_| missing())?
        .bytes()
        .await
        .map_err(|_| missing())?;
    let plain = sealer
        .open(customer_id, &sealed)
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    audit_view_of(db, who, customer_id, "ktp_photo", now).await?;
    Ok((kind, Bytes::from(plain)))
}

/// Removes a customer's identity documents (erasure): the row in the
/// caller's transaction; the photo's key is returned so that the file goes
/// once the transaction commits.
pub async fn forget<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
) -> Result<Option<String>, sea_orm::DbErr> {
    let row = customer_identity::Entity::find_by_id(customer_id)
        .one(db)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let key = row.photo_key.clone();
    customer_identity::Entity::delete_by_id(customer_id)
        .exec(db)
        .await?;
    Ok(key)
}

/// Removes KTP photos recorded before `before` (their retention is over);
/// the NIK stays. At most `batch` at a time; returns how many went.
pub async fn remove_old_photos(
    db: &Db,
    files: &Files,
    before: DateTime<Utc>,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let old = customer_identity::Entity::find()
        .filter(customer_identity::Column::PhotoKey.is_not_null())
        .filter(customer_identity::Column::PhotoRecordedAt.lt(before))
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut removed = 0;
    for row in old {
        let Some(key) = row.photo_key.clone() else {
            continue;
        };
        let txn = db.begin_write().await?;
        // Only if it is still that photo (CS may have sent a new one since).
        let changed = customer_identity::Entity::update_many()
            .col_expr(
                customer_identity::Column::PhotoKey,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .col_expr(
                customer_identity::Column::PhotoType,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .col_expr(
                customer_identity::Column::PhotoRemovedAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .col_expr(
                customer_identity::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(customer_identity::Column::CustomerId.eq(row.customer_id))
            .filter(customer_identity::Column::PhotoKey.eq(key.as_str()))
            .exec(&*txn)
            .await?
            .rows_affected;
        if changed == 0 {
            continue;
        }
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: None,
                actor_ip: None,
                action: "identity.photo_removed",
                entity: "customer",
                entity_id: Some(row.customer_id.to_string()),
                before: Some(audit_view(&row)),
                after: Some(json!({"reason": "retention"})),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        let _ = files.delete(&ObjectPath::from(key.as_str())).await;
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_its_key_and_for_its_owner() {
        let sealer = Sealer::new([7; 32]);
        let owner = Uuid::now_v7();
        let sealed = sealer.seal(owner, b"3273011203890123");
        assert!(!sealed.windows(6).any(|w| w == b"327301"));
        assert_eq!(
            sealer.open(owner, &sealed).expect("opens"),
            b"3273011203890123"
        );
        // Another customer's row, another key, or a flipped bit: refused.
        assert!(sealer.open(Uuid::now_v7(), &sealed).is_err());
        assert!(Sealer::new([8; 32]).open(owner, &sealed).is_err());
        let mut bent = sealed.clone();
        if let Some(last) = bent.last_mut() {
            *last ^= 1;
        }
        assert!(sealer.open(owner, &bent).is_err());
        assert!(sealer.open(owner, &[]).is_err());
        // The same text sealed twice looks different.
        assert_ne!(sealer.seal(owner, b"x"), sealer.seal(owner, b"x"));
    }

    #[test]
    fn the_key_file_is_made_once_private_and_read_back() -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = default_key_file(dir.path());
        let first = Sealer::from_key_file(&path)?;
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let owner = Uuid::now_v7();
        let sealed = first.seal(owner, b"ktp");
        let again = Sealer::from_key_file(&path)?;
        assert_eq!(
            again.open(owner, &sealed).ok().as_deref(),
            Some(&b"ktp"[..])
        );
        std::fs::write(&path, "not a key")?;
        assert!(Sealer::from_key_file(&path).is_err());
        Ok(())
    }
}
