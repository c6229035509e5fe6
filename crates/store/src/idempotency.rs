//! What is kept of requests sent with an `Idempotency-Key`: the first answer,
//! to give again to a retry.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use uuid::Uuid;

use crate::entity::idempotency_key;

pub use idempotency_key::Model as Remembered;

/// Forgets keys older than `keep` and finds the caller's key, if it is kept.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    key: &str,
    keep: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Remembered>, DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - keep))
        .exec(db)
        .await?;
    idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Scope.eq(scope))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(db)
        .await
}

/// Claims a key for a request now running: its id, or `None` when another
/// request with the same key claimed it first (the unique index decides).
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    let id = Uuid::now_v7();
    let claimed = idempotency_key::ActiveModel {
        id: Set(id),
        scope: Set(scope.to_string()),
        key: Set(key.to_string()),
        request_hash: Set(request_hash.to_string()),
        status: Set(None),
        response_body: Set(None),
        response_content_type: Set(None),
        response_location: Set(None),
        created_at: Set(now),
        completed_at: Set(None),
    }
    .insert(db)
    .await;
    Ok(claimed.ok().map(|_| id))
}

/// Forgets a claim (the request failed; the client may retry with the key).
pub async fn release<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The answer of a finished request.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub location: Option<String>,
}

/// Remembers the answer of the request that claimed `id`.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    idempotency_key::ActiveModel {
        id: Set(id),
        status: Set(Some(i32::from(answer.status))),
        response_body: Set(Some(answer.body)),
        response_content_type: Set(answer.content_type),
        response_location: Set(answer.location),
        completed_at: Set(Some(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
