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
    /// A short reply to a reminder (1: the visit suits, 2: another day) or
    /// to "please rate" (1 to 5), carried out on this ticket.
    Answered(Uuid),
    /// Waiting in CS's inbox.
    Kept(Uuid),
    /// Taken before (a replayed webhook).
    Duplicate,
}

/// The longest message kept.
const MAX_CHARS: usize = 4000;

/// Takes a message: once, attached to the sender's open ticket when the
/// sender is a customer who has one.
pub async fn receive(
    db: &Db,
    m: Incoming<'_>,
    settings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<Received, Error> {
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
    let as_customer = Person {
        id: None,
        name: c.name.clone(),
        role: Some(netcrew_domain::Role::Customer),
        customer_id: Some(c.id),
        ip: None,
    };
    if let Some(ticket_id) = answer(db, &as_customer, text.trim(), settings, now).await? {
        settle(db, id, ticket_id, now).await?;
        return Ok(Received::Answered(ticket_id));
    }
    let open = ticket::Entity::find()
        .filter(ticket::Column::CustomerId.eq(c.id))
        .filter(ticket::Column::IsOpen.eq(true))
        .order_by_desc(ticket::Column::CreatedAt)
        .one(db.conn())
        .await?;
    let Some(t) = open else {
        return Ok(Received::Kept(id));
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
    settle(db, id, t.id, now).await?;
    Ok(Received::Attached(t.id))
}

/// Records that message `id` was dealt with on `ticket_id`.
async fn settle(db: &Db, id: Uuid, ticket_id: Uuid, now: DateTime<Utc>) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    if let Some(row) = inbound_message::Entity::find_by_id(id).one(&*txn).await? {
        let mut am = row.into_active_model();
        am.ticket_id = Set(Some(ticket_id));
        am.handled_at = Set(Some(now));
        am.update(&*txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Carries out a short reply to the newest reminder or "please rate" the
/// customer got: `1` confirms tomorrow's visit, `2` asks for another day
/// (the ticket waits, the supervisors are told), `1`–`5` rates a resolved
/// visit. Answers the ticket, or `None` when the text is no such reply (it
/// is then treated as any message).
async fn answer(
    db: &Db,
    customer: &Person,
    text: &str,
    settings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, Error> {
    use netcrew_domain::{messages::MessageEvent, tickets::TicketStatus};
    let digit = match text.trim_end_matches(['.', '!']).trim() {
        d if d.len() == 1 => d.parse::<i32>().ok(),
        _ => None,
    };
    let (Some(digit), Some(cid)) = (digit, customer.customer_id) else {
        return Ok(None);
    };
    let Some(prev) = crate::outbox::replied_to(db.conn(), cid, now).await? else {
        return Ok(None);
    };
    let Some(tid) = prev.ticket_id else {
        return Ok(None);
    };
    let scope = Scope::Customer(cid);
    let Some(t) = tickets::find(db.conn(), tid, &scope).await? else {
        return Ok(None);
    };
    let at = tickets::Versioned {
        id: t.id,
        version: t.version,
    };
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    let event = MessageEvent::parse(&prev.event);
    let done = match (event, digit) {
        (Some(MessageEvent::AppointmentReminder), 1) if status.is_open() => tickets::stamp(
            db,
            customer,
            &scope,
            at,
            |_| {
                Ok(tickets::Stamp {
                    entry: tickets::Entry {
                        kind: "visit_confirmed",
                        from: None,
                        to: None,
                        reason: String::new(),
                        data: serde_json::json!({"via": "whatsapp"}),
                        public: true,
                    },
                    audit: (
                        "ticket.visit_confirmed",
                        serde_json::json!({"via": "whatsapp"}),
                    ),
                })
            },
            now,
        )
        .await
        .is_ok(),
        (Some(MessageEvent::AppointmentReminder), 2) if status.is_open() => {
            let moved = tickets::transition(
                db,
                &Person::system(),
                &Scope::All,
                at,
                tickets::MoveRequest {
                    to: Some(TicketStatus::Pending),
                    reason: Some(
                        "The customer asked for another day (WhatsApp reply to the reminder)."
                            .to_string(),
                    ),
                    pause_reason: Some("customer_absent".to_string()),
                    ..tickets::MoveRequest::default()
                },
                settings,
                now,
            )
            .await;
            if let Ok(t) = &moved {
                let watchers = tickets::watchers(db.conn(), t.area_id, false).await?;
                let txn = db.begin_write().await?;
                crate::notifications::notify(
                    &*txn,
                    &watchers,
                    &crate::notifications::Note {
                        kind: "visit_rescheduled",
                        ticket: Some((t.id, t.number.clone())),
                        outage_id: None,
                        data: serde_json::json!({"by": customer.name, "via": "whatsapp"}),
                    },
                    now,
                )
                .await?;
                txn.commit().await?;
            }
            moved.is_ok()
        }
        (Some(MessageEvent::Resolved), 1..=5) => {
            tickets::rate(db, customer, &scope, t.id, digit, "", now)
                .await
                .is_ok()
        }
        _ => false,
    };
    Ok(done.then_some(t.id))
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
