//! The change feed behind `GET /events`: every change a user may see, as a
//! numbered row written in the transaction of the change. The numbers only
//! grow, so a client that reconnects with the last one it saw (its
//! `Last-Event-ID`) gets what it missed, after a restart too and from any
//! instance.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::feed_event;

/// Who a change concerns: the feed shows it to staff who see the area, the
/// ticket's technician and the customer (for what is public).
#[derive(Debug, Clone, Default)]
pub struct Concerns {
    pub ticket_id: Option<Uuid>,
    pub outage_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub technician_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
}

/// Appends a change to the feed; call it in the change's transaction.
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    concerns: Concerns,
    data: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    feed_event::ActiveModel {
        at: Set(now),
        kind: Set(kind.to_string()),
        ticket_id: Set(concerns.ticket_id),
        outage_id: Set(concerns.outage_id),
        customer_id: Set(concerns.customer_id),
        technician_id: Set(concerns.technician_id),
        area_id: Set(concerns.area_id),
        data: Set(data.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What a reader of the feed may see.
#[derive(Debug, Clone)]
pub enum FeedScope {
    /// Everything (CS, admin, management).
    All,
    /// A supervisor: changes in their areas, or to their teams' technicians.
    Areas {
        areas: Vec<Uuid>,
        technicians: Vec<Uuid>,
    },
    /// A technician: their own jobs.
    Technician(Uuid),
    /// A customer: their own tickets and the outages they sit behind.
    Customer(Uuid),
}

impl FeedScope {
    fn condition(&self) -> Condition {
        use feed_event::Column as F;
        match self {
            FeedScope::All => Condition::all(),
            FeedScope::Areas { areas, technicians } => Condition::any()
                .add(F::AreaId.is_in(areas.clone()))
                .add(F::TechnicianId.is_in(technicians.clone())),
            FeedScope::Technician(id) => Condition::all().add(F::TechnicianId.eq(*id)),
            FeedScope::Customer(id) => Condition::all()
                .add(F::CustomerId.eq(*id))
                .add(F::Kind.ne("ticket.internal")),
        }
    }

    /// Whether this reader sees `e` (the same rule as [`since`]).
    pub fn sees(&self, e: &feed_event::Model) -> bool {
        match self {
            FeedScope::All => true,
            FeedScope::Areas { areas, technicians } => {
                e.area_id.is_some_and(|a| areas.contains(&a))
                    || e.technician_id.is_some_and(|t| technicians.contains(&t))
            }
            FeedScope::Technician(id) => e.technician_id == Some(*id),
            FeedScope::Customer(id) => e.customer_id == Some(*id) && e.kind != "ticket.internal",
        }
    }
}

/// The changes after `after` that `scope` may see, oldest first, at most
/// `limit`.
pub async fn since<C: ConnectionTrait>(
    db: &C,
    after: i64,
    scope: &FeedScope,
    limit: u64,
) -> Result<Vec<feed_event::Model>, DbErr> {
    feed_event::Entity::find()
        .filter(feed_event::Column::Id.gt(after))
        .filter(scope.condition())
        .order_by_asc(feed_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Every change after `after`, oldest first (what one instance's poller
/// hands to its subscribers).
pub async fn all_since<C: ConnectionTrait>(
    db: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<feed_event::Model>, DbErr> {
    since(db, after, &FeedScope::All, limit).await
}

/// The number of the latest change (0 when there is none).
pub async fn latest<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let id: Option<i64> = feed_event::Entity::find()
        .select_only()
        .column(feed_event::Column::Id)
        .order_by_desc(feed_event::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}
