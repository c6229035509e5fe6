//! In-app notifications: the bell. Written in the transaction of what
//! caused them; the text is made by the app in the reader's language from
//! the kind and its data.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set, sea_query::Expr,
};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    entity::notification,
    page::{Page, PageError, newest_first},
};

/// One notification to write.
#[derive(Debug, Clone)]
pub struct Note {
    pub kind: &'static str,
    pub ticket: Option<(Uuid, String)>,
    pub outage_id: Option<Uuid>,
    pub data: Value,
}

/// Gives `note` to each of `users` (each once), and to staff also by the
/// channels they get it by (`alerts`).
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    users: &[Uuid],
    note: &Note,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // (person, their notification)
    let mut given: Vec<(Uuid, Uuid)> = Vec::new();
    for user in users {
        if given.iter().any(|g| g.0 == *user) {
            continue;
        }
        let id = Uuid::now_v7();
        given.push((*user, id));
        notification::ActiveModel {
            id: Set(id),
            user_id: Set(*user),
            kind: Set(note.kind.to_string()),
            ticket_id: Set(note.ticket.as_ref().map(|t| t.0)),
            ticket_number: Set(note.ticket.as_ref().map(|t| t.1.clone())),
            outage_id: Set(note.outage_id),
            data: Set(note.data.to_string()),
            read_at: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    crate::alerts::fan_out(db, &given, note, now).await
}

/// A user's notifications, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    unread_only: bool,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<notification::Model>, PageError>, DbErr> {
    let mut select = notification::Entity::find().filter(notification::Column::UserId.eq(user));
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    newest_first(db, select, notification::Column::Id, limit, cursor, |n| {
        n.id
    })
    .await
}

/// How many of a user's notifications are unread.
pub async fn unread<C: ConnectionTrait>(db: &C, user: Uuid) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// Marks the user's notifications read: the ones listed, or all. Answers
/// how many changed.
pub async fn mark_read<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    ids: Option<&[Uuid]>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        update = update.filter(notification::Column::Id.is_in(ids.to_vec()));
    }
    Ok(update.exec(db).await?.rows_affected)
}
