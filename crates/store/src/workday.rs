//! A technician in the field: the check-in that starts their working day
//! (one per technician and local day, kept by a unique index so a second
//! tap, a replay or another instance answers the first), and what a job's
//! card shows of its place — the customer's past tickets with the cause and
//! resolution recorded, and the units installed at their home.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use netcrew_domain::{
    GeoPoint,
    workday::{self, CheckInPosition},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::OnConflict,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{
        asset, day_check_in, inventory_item, job_record, stock_location, stock_movement, ticket,
    },
    tickets::Person,
};

/// A technician's check-in of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub position: Option<CheckInPosition>,
}

impl CheckIn {
    fn of(m: day_check_in::Model) -> CheckIn {
        let position = match (m.lat, m.lng) {
            (Some(lat), Some(lng)) => GeoPoint::new(lat, lng).ok().map(|point| CheckInPosition {
                point,
                accuracy_m: m.accuracy_m,
            }),
            _ => None,
        };
        CheckIn {
            day: NaiveDate::parse_from_str(&m.day, "%Y-%m-%d").unwrap_or_default(),
            at: m.checked_in_at,
            position,
        }
    }
}

fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Technician `user`'s check-in of local day `day`, if they checked in.
pub async fn check_in_of<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    day: NaiveDate,
) -> Result<Option<CheckIn>, DbErr> {
    Ok(day_check_in::Entity::find()
        .filter(day_check_in::Column::UserId.eq(user))
        .filter(day_check_in::Column::Day.eq(day_key(day)))
        .one(db)
        .await?
        .map(CheckIn::of))
}

/// Checks technician `who` in for local day `day`. The first check-in of
/// the day stands: checking in again answers it (`false`: it was there).
pub async fn check_in(
    db: &Db,
    who: &Person,
    user: Uuid,
    day: NaiveDate,
    position: Option<CheckInPosition>,
    now: DateTime<Utc>,
) -> Result<(CheckIn, bool), Error> {
    if let Some(first) = check_in_of(db.conn(), user, day).await? {
        return Ok((first, false));
    }
    let txn = db.begin_write().await?;
    // Stored to the microsecond on both databases, so it reads back as written.
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let row = day_check_in::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user),
        day: Set(day_key(day)),
        checked_in_at: Set(at),
        lat: Set(position.map(|p| p.point.lat)),
        lng: Set(position.map(|p| p.point.lng)),
        accuracy_m: Set(position.and_then(|p| p.accuracy_m)),
    };
    let inserted = match day_check_in::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([day_check_in::Column::UserId, day_check_in::Column::Day])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await
    {
        Ok(n) => n,
        Err(DbErr::RecordNotInserted) => 0,
        Err(e) => return Err(e.into()),
    };
    if inserted == 0 {
        // Another tap (or instance) was first.
        drop(txn);
        let first = check_in_of(db.conn(), user, day)
            .await?
            .ok_or_else(|| Error::Conflict("The check-in is being recorded; look again.".into()))?;
        return Ok((first, false));
    }
    crate::audit_log::audit(
        &*txn,
        crate::audit_log::Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "day.check_in",
            entity: "user",
            entity_id: Some(user.to_string()),
            before: None,
            after: Some(json!({
                "day": day_key(day),
                "position": position.map(|p| json!({
                    "lat": p.point.lat, "lng": p.point.lng, "accuracy_m": p.accuracy_m
                })),
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((CheckIn { day, at, position }, true))
}

/// One of the customer's past tickets, as a job card shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastTicket {
    pub id: Uuid,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The description on a line, shortened.
    pub summary: String,
    /// A documented repair's cause code, as recorded in its checklist.
    pub cause: Option<String>,
    /// A documented repair's resolution code.
    pub resolution: Option<String>,
}

/// A serial-numbered unit at the customer's home.
#[derive(Debug, Clone, PartialEq)]
pub struct Installed {
    pub asset_id: Uuid,
    pub item_name: String,
    pub item_kind: String,
    pub serial: String,
    pub mac: Option<String>,
    /// `loaned`, `rented` or `sold`.
    pub terms: Option<String>,
    /// Since when it is there (the movement that took it there).
    pub since: DateTime<Utc>,
}

/// What a job's card shows of its place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub tickets: Vec<PastTicket>,
    pub equipment: Vec<Installed>,
}

/// The history at ticket `t`'s place: the customer's other tickets (the
/// newest [`workday::HISTORY_TICKETS`]) and the units at their home.
pub async fn history<C: ConnectionTrait>(db: &C, t: &ticket::Model) -> Result<History, DbErr> {
    let past = ticket::Entity::find()
        .filter(ticket::Column::CustomerId.eq(t.customer_id))
        .filter(ticket::Column::Id.ne(t.id))
        .order_by_desc(ticket::Column::CreatedAt)
        .order_by_desc(ticket::Column::Id)
        .limit(workday::HISTORY_TICKETS)
        .all(db)
        .await?;
    // The codes as they stand: the last value of each entry (null: taken
    // back), in the log's order.
    let mut codes: HashMap<(Uuid, String), String> = HashMap::new();
    if !past.is_empty() {
        let rows = job_record::Entity::find()
            .filter(job_record::Column::TicketId.is_in(past.iter().map(|p| p.id)))
            .filter(job_record::Column::Entry.is_in(["cause", "resolution"]))
            .order_by_asc(job_record::Column::Id)
            .all(db)
            .await?;
        for r in rows {
            let value: Value = serde_json::from_str(&r.value).unwrap_or(Value::Null);
            let key = (r.ticket_id, r.entry);
            match value.get("code").and_then(Value::as_str) {
                Some(code) => {
                    codes.insert(key, code.to_string());
                }
                None => {
                    codes.remove(&key);
                }
            }
        }
    }
    let tickets = past
        .into_iter()
        .map(|p| PastTicket {
            cause: codes.get(&(p.id, "cause".to_string())).cloned(),
            resolution: codes.get(&(p.id, "resolution".to_string())).cloned(),
            summary: workday::summary(&p.description, workday::SUMMARY_CHARS),
            id: p.id,
            number: p.number,
            kind: p.kind,
            status: p.status,
            created_at: p.created_at,
            resolved_at: p.resolved_at,
        })
        .collect();

    let homes: Vec<Uuid> = stock_location::Entity::find()
        .filter(stock_location::Column::CustomerId.eq(t.customer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    if homes.is_empty() {
        return Ok(History {
            tickets,
            equipment: Vec::new(),
        });
    }
    let units = asset::Entity::find()
        .filter(asset::Column::LocationId.is_in(homes.clone()))
        .order_by_asc(asset::Column::Serial)
        .all(db)
        .await?;
    if units.is_empty() {
        return Ok(History {
            tickets,
            equipment: Vec::new(),
        });
    }
    let items: HashMap<Uuid, inventory_item::Model> = inventory_item::Entity::find()
        .filter(inventory_item::Column::Id.is_in(units.iter().map(|u| u.item_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let mut arrived: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    for m in stock_movement::Entity::find()
        .filter(stock_movement::Column::AssetId.is_in(units.iter().map(|u| u.id)))
        .filter(stock_movement::Column::ToLocationId.is_in(homes))
        .order_by_asc(stock_movement::Column::CreatedAt)
        .all(db)
        .await?
    {
        if let Some(a) = m.asset_id {
            arrived.insert(a, m.created_at);
        }
    }
    let mut equipment: Vec<Installed> = units
        .into_iter()
        .map(|u| {
            let item = items.get(&u.item_id);
            Installed {
                asset_id: u.id,
                item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
                item_kind: item.map(|i| i.kind.clone()).unwrap_or_default(),
                since: arrived.get(&u.id).copied().unwrap_or(u.updated_at),
                serial: u.serial,
                mac: u.mac,
                terms: u.terms,
            }
        })
        .collect();
    equipment.sort_by(|a, b| b.since.cmp(&a.since).then(a.serial.cmp(&b.serial)));
    Ok(History { tickets, equipment })
}
