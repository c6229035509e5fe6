//! WhatsApp messages people send the ISP. A known customer's message lands
//! on their newest open ticket as their comment (the technician and the
//! supervisors see it at once); anything else waits in CS's inbox until
//! someone deals with it. Each gateway message is taken once however often
//! the webhook is replayed.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set, sea_query::OnConflict,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{customer, inbound_message, ticket},
    page::{Page, PageError, newest_first},
    tickets::{self, Person, Scope},
};

/// A message as the gateway reported it.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    pub provider: &'a str,
    pub id: Option<&'a str>,
    /// E.164.
    pub from: &'a str,
    pub name: &'a str,
    pub text: &'a str,
}

/// What became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Added to this ticket as the customer's comment.
    Attached(Uuid),
    /// Waiting in CS's inbox.
    Kept(Uuid),
    /// Taken before (a replayed webhook).
    Duplicate,
}

/// The longest message kept.
const MAX_CHARS: usize = 4000;

/// Takes a message: once, attached to the sender's open ticket when the
/// sender is a customer who has one.
pub async fn receive(db: &Db, m: Incoming<'_>, now: DateTime<Utc>) -> Result<Received, Error> {
    let text: String = m
        .text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(MAX_CHARS)
        .collect();
    let dedup = match m.id {
        Some(id) => format!("{}:{id}", m.provider),
        None => {
            // Without the gateway's id: the same sender, text and minute is
            // the same message.
            let digest = Sha256::digest(
                format!("{}|{}|{}", m.from, text, now.format("%Y-%m-%dT%H:%M")).as_bytes(),
            );
            let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
            format!("{}:~{hex}", m.provider)
        }
    };
    let who = customer::Entity::find()
        .filter(customer::Column::ErasedAt.is_null())
        .filter(
            Condition::any()
                .add(customer::Column::Phone.eq(m.from))
                .add(customer::Column::Whatsapp.eq(m.from)),
        )
        .order_by_desc(customer::Column::CreatedAt)
        .one(db.conn())
        .await?;
    let id = Uuid::now_v7();
    let txn = db.begin_write().await?;
    let inserted = inbound_message::Entity::insert(inbound_message::ActiveModel {
        id: Set(id),
        provider: Set(m.provider.to_string()),
        dedup_key: Set(dedup),
        sender: Set(m.from.to_string()),
        sender_name: Set(m.name.chars().take(120).collect()),
        customer_id: Set(who.as_ref().map(|c| c.id)),
        ticket_id: Set(None),
        body: Set(text.clone()),
        received_at: Set(now),
        handled_at: Set(None),
        handled_by: Set(None),
    })
    .on_conflict(
        OnConflict::column(inbound_message::Column::DedupKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    txn.commit().await?;
    if inserted == 0 {
        return Ok(Received::Duplicate);
    }
    let Some(c) = who else {
        return Ok(Received::Kept(id));
    };
    let open = ticket::Entity::find()
        .filter(ticket::Column::CustomerId.eq(c.id))
        .filter(ticket::Column::IsOpen.eq(true))
        .order_by_desc(ticket::Column::CreatedAt)
        .one(db.conn())
        .await?;
    let Some(t) = open else {
        return Ok(Received::Kept(id));
    };
    let as_customer = Person {
        id: None,
        name: c.name.clone(),
        role: Some(netcrew_domain::Role::Customer),
        customer_id: Some(c.id),
        ip: None,
    };
    let body = format!("WhatsApp: {text}");
    if tickets::comment(
        db,
        &as_customer,
        &Scope::Customer(c.id),
        t.id,
        &body,
        false,
        now,
    )
    .await
    .is_err()
    {
        // It stays in CS's inbox rather than being lost.
        return Ok(Received::Kept(id));
    }
    let txn = db.begin_write().await?;
    if let Some(row) = inbound_message::Entity::find_by_id(id).one(&*txn).await? {
        let mut am = row.into_active_model();
        am.ticket_id = Set(Some(t.id));
        am.handled_at = Set(Some(now));
        am.update(&*txn).await?;
    }
    txn.commit().await?;
    Ok(Received::Attached(t.id))
}

/// CS's inbox: newest first; `open`: only those nobody dealt with yet.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    open: bool,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<inbound_message::Model>, PageError>, DbErr> {
    let mut select = inbound_message::Entity::find();
    if open {
        select = select.filter(inbound_message::Column::HandledAt.is_null());
    }
    newest_first(
        db,
        select,
        inbound_message::Column::Id,
        limit,
        cursor,
        |m| m.id,
    )
    .await
}

/// Marks a message dealt with (answered, or turned into a ticket).
pub async fn mark_handled(
    db: &Db,
    who: &Person,
    id: Uuid,
    ticket_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<inbound_message::Model, Error> {
    let txn = db.begin_write().await?;
    let row = inbound_message::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such message.".to_string()))?;
    if row.handled_at.is_some() {
        return Err(Error::Conflict(
            "This message was dealt with already.".to_string(),
        ));
    }
    if let Some(t) = ticket_id {
        ticket::Entity::find_by_id(t)
            .one(&*txn)
            .await?
            .ok_or_else(|| {
                Error::Invalid(netcrew_domain::Invalid::field(
                    "ticket_id",
                    "unknown",
                    "no such ticket",
                ))
            })?;
    }
    let mut am = row.into_active_model();
    am.handled_at = Set(Some(now));
    am.handled_by = Set(who.id);
    if ticket_id.is_some() {
        am.ticket_id = Set(ticket_id);
    }
    let saved = am.update(&*txn).await?;
    crate::audit_log::audit(
        &*txn,
        crate::audit_log::Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "inbound.handled",
            entity: "inbound_message",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({"ticket_id": ticket_id})),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
