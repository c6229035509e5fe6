//! What every record's write path shares: storing a checked record whole,
//! and doing so with its audit entry in one write transaction.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
};

type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// Inserts (`creating`) or updates a checked record, every column as given.
pub(crate) async fn store<A, C>(
    db: &C,
    creating: bool,
    record: ModelOf<A>,
) -> Result<ModelOf<A>, DbErr>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    let model = record.into_active_model().reset_all();
    if creating {
        model.insert(db).await
    } else {
        model.update(db).await
    }
}

/// How a kind of record is named in the audit log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Audited {
    pub entity: &'static str,
    pub created: &'static str,
    pub updated: &'static str,
}

/// Stores a checked record and appends its audit entry (the record's form
/// before, if it existed, and after), in one write transaction.
pub(crate) async fn save<A>(
    db: &Db,
    actor: &Actor,
    audited: Audited,
    before: Option<Value>,
    record: ModelOf<A>,
    view: impl Fn(&ModelOf<A>) -> (Uuid, Value),
    now: DateTime<Utc>,
) -> Result<ModelOf<A>, Error>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A>,
{
    let creating = before.is_none();
    let txn = db.begin_write().await?;
    let saved = store::<A, _>(&*txn, creating, record).await?;
    let (id, after) = view(&saved);
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: if creating {
                audited.created
            } else {
                audited.updated
            },
            entity: audited.entity,
            entity_id: Some(id.to_string()),
            before,
            after: Some(after),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Keeps the value a change gives, if it gives one.
pub(crate) fn put<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// Whether `value` is held by another record than the one changed (`me`).
pub(crate) fn held_by_another(
    owners: &HashMap<String, Uuid>,
    value: &str,
    me: Option<Uuid>,
) -> bool {
    owners.get(value).is_some_and(|id| Some(*id) != me)
}

/// The id of the record whose unique `column` holds `value`. A value with a
/// control character is refused as a field error and held by none (and
/// PostgreSQL could not compare it).
pub(crate) async fn owner<E, C>(
    db: &C,
    column: E::Column,
    id: E::Column,
    value: &str,
) -> Result<Option<Uuid>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if netcrew_domain::text::forbidden_char(value, false).is_some() {
        return Ok(None);
    }
    E::find()
        .select_only()
        .column(id)
        .filter(column.eq(value))
        .into_tuple()
        .one(db)
        .await
}
