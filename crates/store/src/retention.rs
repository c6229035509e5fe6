//! How long personal files are kept (UU PDP: no longer than needed), and
//! the sweep that removes the old ones: KTP photos some time after they
//! were recorded (the sealed NIK stays with the customer), job photos and
//! documents some time after their ticket was finished (the row stays, so
//! the timeline still says a file was there); technicians' last known
//! positions some time after they were taken; customers' tracking links
//! once they stopped working.

use chrono::{DateTime, Duration, Utc};
use object_store::path::Path as ObjectPath;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
    QueryTrait, Set, prelude::Expr,
};

use crate::{
    Db, Error,
    attachments::Files,
    entity::{ticket, ticket_attachment},
};

/// How long files are kept; `None` keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// After the KTP photo was recorded.
    pub ktp_photos: Option<Duration>,
    /// After the ticket was closed or cancelled.
    pub job_photos: Option<Duration>,
    /// A technician's last known position, after it was taken.
    pub positions: Option<Duration>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            ktp_photos: Some(Duration::days(365)),
            job_photos: Some(Duration::days(730)),
            positions: Some(Duration::days(30)),
        }
    }
}

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub ktp_photos: usize,
    pub job_files: usize,
    pub positions: u64,
    pub tracking_links: u64,
}

/// Removes the files whose time is over, at most `batch` of each kind.
pub async fn sweep(
    db: &Db,
    files: &Files,
    keep: &Retention,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<Removed, Error> {
    let mut removed = Removed::default();
    if let Some(days) = keep.ktp_photos {
        removed.ktp_photos =
            crate::identity::remove_old_photos(db, files, now - days, batch, now).await?;
    }
    if let Some(days) = keep.job_photos {
        removed.job_files = remove_old_job_files(db, files, now - days, batch, now).await?;
    }
    if let Some(days) = keep.positions {
        let _lock = db.begin_write().await?;
        removed.positions = crate::dispatching::forget_positions(db.conn(), now - days).await?;
    }
    let txn = db.begin_write().await?;
    removed.tracking_links = crate::tracking::forget_expired(&*txn, now).await?;
    txn.commit().await?;
    Ok(removed)
}

/// Removes the files of tickets finished before `before`.
async fn remove_old_job_files(
    db: &Db,
    files: &Files,
    before: DateTime<Utc>,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let finished_before = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .filter(ticket::Column::IsOpen.eq(false))
        .filter(
            Expr::col(ticket::Column::ClosedAt)
                .lt(before)
                .or(Expr::col(ticket::Column::ClosedAt)
                    .is_null()
                    .and(Expr::col(ticket::Column::Status).eq("cancelled"))
                    .and(Expr::col(ticket::Column::UpdatedAt).lt(before))),
        )
        .into_query();
    let old = ticket_attachment::Entity::find()
        .filter(ticket_attachment::Column::RemovedAt.is_null())
        .filter(ticket_attachment::Column::TicketId.in_subquery(finished_before))
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut removed = 0;
    for a in old {
        let key = a.storage_key.clone();
        let (id, ticket_id) = (a.id, a.ticket_id);
        let txn = db.begin_write().await?;
        let mut am = a.into_active_model();
        am.removed_at = Set(Some(now));
        am.update(&*txn).await?;
        crate::audit_log::audit(
            &*txn,
            crate::audit_log::Audit {
                actor_id: None,
                actor_ip: None,
                action: "ticket.attachment_removed",
                entity: "ticket",
                entity_id: Some(ticket_id.to_string()),
                before: Some(serde_json::json!({"attachment_id": id})),
                after: Some(serde_json::json!({"reason": "retention"})),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        if let Err(e) = files.delete(&ObjectPath::from(key.as_str())).await {
            tracing::warn!(attachment = %id, error = %e, "retention: the file could not be removed");
        }
        removed += 1;
    }
    Ok(removed)
}
