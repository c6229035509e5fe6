//! The audit log: each change appends its entry in the change's own
//! transaction ([`audit`]), and the log is searched here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use netcrew_domain::Checks;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    Error,
    entity::{audit_event, user},
    page::{Page, PageError, newest_first},
};

/// What a search of the log asks for.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// From this time (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// One entry with the name of who made it (if they are known).
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub event: audit_event::Model,
    pub actor_name: Option<String>,
}

/// The entries matching `filter`, newest first, one page.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<AuditEntry>, PageError>, Error> {
    let mut c = Checks::default();
    netcrew_domain::audit::period(&mut c, filter.from, filter.to);
    c.finish()?;
    let mut select = audit_event::Entity::find();
    if let Some(actor) = filter.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(entity) = &filter.entity {
        select = select.filter(audit_event::Column::Entity.eq(entity.as_str()));
    }
    if let Some(entity_id) = &filter.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(entity_id.as_str()));
    }
    if let Some(action) = &filter.action {
        select = select.filter(audit_event::Column::Action.eq(action.as_str()));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_event::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(audit_event::Column::At.lt(to));
    }
    let page =
        match newest_first(db, select, audit_event::Column::Id, limit, cursor, |r| r.id).await? {
            Ok(page) => page,
            Err(e) => return Ok(Err(e)),
        };
    let mut actor_ids: Vec<Uuid> = page.items.iter().filter_map(|r| r.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let names: HashMap<Uuid, String> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|event| AuditEntry {
                actor_name: event.actor_id.and_then(|a| names.get(&a).cloned()),
                event,
            })
            .collect(),
        next_cursor: page.next_cursor,
        total: page.total,
        total_exact: page.total_exact,
    }))
}

/// Who makes a change: a signed-in user and the address they came from
/// (either may be unknown, e.g. the command line).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub ip: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone)]
pub struct Audit {
    pub actor_id: Option<Uuid>,
    pub actor_ip: Option<String>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes an audit entry; call it in the same transaction as the change.
pub async fn audit<C: ConnectionTrait>(
    db: &C,
    entry: Audit,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(now),
        actor_id: Set(entry.actor_id),
        actor_ip: Set(entry.actor_ip),
        action: Set(entry.action.to_string()),
        entity: Set(entry.entity.to_string()),
        entity_id: Set(entry.entity_id),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}
