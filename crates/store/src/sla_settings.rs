//! What the ISP sets about its service levels: targets per service type
//! and priority, the pause reasons (and whether each stops the clock),
//! national holidays and cuti bersama, and each area's calendar. Every
//! change is audited; tickets already open keep the targets they were
//! given.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use netcrew_domain::{
    Checks, FieldError, Invalid,
    schedule::parse_zone,
    service::Priority,
    tickets::rules::{Holiday, HolidayKind},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    entity::{area, holiday, pause_reason, service_type, sla_policy},
};

/// What was done to which record: (action, entity, id).
pub(crate) type Done = (&'static str, &'static str, String);

pub(crate) async fn audited<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    (action, entity, id): Done,
    before: Option<Value>,
    after: Option<Value>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::audit(
        db,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action,
            entity,
            entity_id: Some(id),
            before,
            after,
        },
        now,
    )
    .await
}

/// Every pause reason, active ones first.
pub async fn pause_reasons<C: ConnectionTrait>(db: &C) -> Result<Vec<pause_reason::Model>, DbErr> {
    pause_reason::Entity::find()
        .order_by_desc(pause_reason::Column::Active)
        .order_by_asc(pause_reason::Column::Code)
        .all(db)
        .await
}

/// A change to a pause reason.
#[derive(Debug, Clone, Default)]
pub struct PauseReasonChange {
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    pub stops_clock: Option<bool>,
    pub active: Option<bool>,
}

fn pause_view(p: &pause_reason::Model) -> Value {
    json!({"code": p.code, "name_id": p.name_id, "name_en": p.name_en, "stops_clock": p.stops_clock, "active": p.active})
}

/// Changes a pause reason: its names, whether it stops the clock (for
/// pauses from now on), whether it is offered.
pub async fn update_pause_reason(
    db: &Db,
    actor: &Actor,
    code: &str,
    change: PauseReasonChange,
    now: DateTime<Utc>,
) -> Result<pause_reason::Model, Error> {
    let mut c = Checks::default();
    let name_id = change.name_id.map(|n| c.text("name_id", &n, 80));
    let name_en = change.name_en.map(|n| c.text("name_en", &n, 80));
    c.finish()?;
    let txn = db.begin_write().await?;
    let current = pause_reason::Entity::find_by_id(code.to_string())
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such pause reason.".into()))?;
    if code == "outage" && change.active == Some(false) {
        return Err(Error::Conflict(
            "The outage pause reason is how tickets join an outage; it stays offered.".into(),
        ));
    }
    let mut am = current.clone().into_active_model();
    if let Some(n) = name_id {
        am.name_id = Set(n);
    }
    if let Some(n) = name_en {
        am.name_en = Set(n);
    }
    if let Some(s) = change.stops_clock {
        am.stops_clock = Set(s);
    }
    if let Some(a) = change.active {
        am.active = Set(a);
    }
    am.updated_at = Set(now);
    let saved = am.update(&*txn).await?;
    audited(
        &*txn,
        actor,
        ("pause_reason.update", "pause_reason", code.to_string()),
        Some(pause_view(&current)),
        Some(pause_view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Every SLA policy.
pub async fn policies<C: ConnectionTrait>(db: &C) -> Result<Vec<sla_policy::Model>, DbErr> {
    sla_policy::Entity::find()
        .order_by_asc(sla_policy::Column::ServiceTypeId)
        .order_by_asc(sla_policy::Column::Priority)
        .all(db)
        .await
}

/// Targets for a service type at a priority, as given.
#[derive(Debug, Clone)]
pub struct PolicyInput {
    pub service_type_id: Uuid,
    pub priority: Priority,
    pub response_minutes: i32,
    pub resolution_minutes: i32,
}

fn policy_view(p: &sla_policy::Model) -> Value {
    json!({"service_type_id": p.service_type_id, "priority": p.priority, "response_minutes": p.response_minutes, "resolution_minutes": p.resolution_minutes})
}

/// Sets the targets for a service type at a priority (new tickets get
/// them).
pub async fn put_policy(
    db: &Db,
    actor: &Actor,
    input: PolicyInput,
    now: DateTime<Utc>,
) -> Result<sla_policy::Model, Error> {
    let mut c = Checks::default();
    for (field, v) in [
        ("response_minutes", input.response_minutes),
        ("resolution_minutes", input.resolution_minutes),
    ] {
        if !(1..=60 * 24 * 60).contains(&v) {
            c.push(
                FieldError::new(field, "range", "from 1 minute to 60 days")
                    .with("min", 1)
                    .with("max", 60 * 24 * 60),
            );
        }
    }
    if input.resolution_minutes < input.response_minutes {
        c.fail(
            "resolution_minutes",
            "order",
            "the resolution target cannot be shorter than the response target",
        );
    }
    if service_type::Entity::find_by_id(input.service_type_id)
        .one(db.conn())
        .await?
        .is_none()
    {
        c.fail("service_type_id", "unknown", "no such service type");
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let current = sla_policy::Entity::find()
        .filter(sla_policy::Column::ServiceTypeId.eq(input.service_type_id))
        .filter(sla_policy::Column::Priority.eq(input.priority.as_str()))
        .one(&*txn)
        .await?;
    let before = current.as_ref().map(policy_view);
    let saved = match current {
        Some(p) => {
            let mut am = p.into_active_model();
            am.response_minutes = Set(input.response_minutes);
            am.resolution_minutes = Set(input.resolution_minutes);
            am.updated_at = Set(now);
            am.update(&*txn).await?
        }
        None => {
            sla_policy::ActiveModel {
                id: Set(Uuid::now_v7()),
                service_type_id: Set(input.service_type_id),
                priority: Set(input.priority.as_str().to_string()),
                response_minutes: Set(input.response_minutes),
                resolution_minutes: Set(input.resolution_minutes),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&*txn)
            .await?
        }
    };
    audited(
        &*txn,
        actor,
        ("sla_policy.put", "sla_policy", saved.id.to_string()),
        before,
        Some(policy_view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes a policy: the service type's own targets apply again.
pub async fn delete_policy(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    let current = sla_policy::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such SLA policy.".into()))?;
    sla_policy::Entity::delete_by_id(id).exec(&*txn).await?;
    audited(
        &*txn,
        actor,
        ("sla_policy.delete", "sla_policy", id.to_string()),
        Some(policy_view(&current)),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The holidays of a year (all years when `None`), in date order.
pub async fn holidays<C: ConnectionTrait>(
    db: &C,
    year: Option<i32>,
) -> Result<Vec<holiday::Model>, DbErr> {
    let mut select = holiday::Entity::find();
    if let Some(y) = year {
        select = select.filter(holiday::Column::Day.starts_with(format!("{y:04}-")));
    }
    select.order_by_asc(holiday::Column::Day).all(db).await
}

/// What an import of the holiday list would do, or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayImport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Adds or renames the holidays listed (days not listed stay). With
/// `dry_run` nothing is written. A file with any bad line writes nothing.
pub async fn import_holidays(
    db: &Db,
    actor: &Actor,
    list: &[Holiday],
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<HolidayImport, Error> {
    let txn = db.begin_write().await?;
    let mut out = HolidayImport::default();
    for h in list {
        let day = h.day.to_string();
        let current = holiday::Entity::find_by_id(day.clone()).one(&*txn).await?;
        match current {
            Some(c) if c.name == h.name && c.kind == h.kind.as_str() => out.unchanged += 1,
            Some(c) => {
                out.changed += 1;
                if !dry_run {
                    let mut am = c.into_active_model();
                    am.name = Set(h.name.clone());
                    am.kind = Set(h.kind.as_str().to_string());
                    am.update(&*txn).await?;
                }
            }
            None => {
                out.added += 1;
                if !dry_run {
                    holiday::ActiveModel {
                        day: Set(day),
                        name: Set(h.name.clone()),
                        kind: Set(h.kind.as_str().to_string()),
                        created_at: Set(now),
                    }
                    .insert(&*txn)
                    .await?;
                }
            }
        }
    }
    if dry_run {
        txn.rollback().await?;
        return Ok(out);
    }
    audited(
        &*txn,
        actor,
        ("holiday.import", "holiday", format!("{} days", list.len())),
        None,
        Some(json!({"added": out.added, "changed": out.changed, "days": list.iter().map(|h| h.day.to_string()).collect::<Vec<_>>()})),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Removes a day from the holiday list.
pub async fn delete_holiday(
    db: &Db,
    actor: &Actor,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    let key = day.to_string();
    let current = holiday::Entity::find_by_id(key.clone())
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("That day is not on the holiday list.".into()))?;
    holiday::Entity::delete_by_id(key.clone())
        .exec(&*txn)
        .await?;
    audited(
        &*txn,
        actor,
        ("holiday.delete", "holiday", key),
        Some(json!({"day": current.day, "name": current.name, "kind": current.kind})),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An area's calendar, as given.
#[derive(Debug, Clone)]
pub struct CalendarInput {
    pub time_zone: String,
    pub business_hours: bool,
    pub opens_at: String,
    pub closes_at: String,
    /// Monday first.
    pub work_days: Vec<bool>,
}

/// Sets an area's calendar (clocks of new changes run on it).
pub async fn put_calendar(
    db: &Db,
    actor: &Actor,
    area_id: Uuid,
    input: CalendarInput,
    now: DateTime<Utc>,
) -> Result<area::Model, Error> {
    let mut c = Checks::default();
    if !matches!(
        input.time_zone.as_str(),
        "Asia/Jakarta" | "Asia/Pontianak" | "Asia/Makassar" | "Asia/Jayapura"
    ) || parse_zone(&input.time_zone).is_err()
    {
        c.push(netcrew_domain::fields::choice(
            "time_zone",
            &[
                "Asia/Jakarta",
                "Asia/Pontianak",
                "Asia/Makassar",
                "Asia/Jayapura",
            ],
        ));
    }
    let open = NaiveTime::parse_from_str(&input.opens_at, "%H:%M");
    let close = NaiveTime::parse_from_str(&input.closes_at, "%H:%M");
    if open.is_err() {
        c.fail("opens_at", "time_format", "a time as HH:MM");
    }
    if close.is_err() {
        c.fail("closes_at", "time_format", "a time as HH:MM");
    }
    if let (Ok(o), Ok(cl)) = (open, close)
        && o >= cl
    {
        c.fail("closes_at", "order", "closing comes after opening");
    }
    if input.work_days.len() != 7 {
        c.fail("work_days", "length", "seven days, Monday first");
    } else if input.business_hours && !input.work_days.iter().any(|d| *d) {
        c.fail("work_days", "none", "at least one working day");
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let current = area::Entity::find_by_id(area_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such area.".into()))?;
    let view = |a: &area::Model| json!({"time_zone": a.time_zone, "business_hours": a.business_hours, "opens_at": a.opens_at, "closes_at": a.closes_at, "work_days": a.work_days});
    let before = view(&current);
    let mut am = current.into_active_model();
    am.time_zone = Set(input.time_zone);
    am.business_hours = Set(input.business_hours);
    am.opens_at = Set(input.opens_at);
    am.closes_at = Set(input.closes_at);
    am.work_days = Set(input
        .work_days
        .iter()
        .map(|d| if *d { '1' } else { '0' })
        .collect());
    am.updated_at = Set(now);
    let saved = am.update(&*txn).await?;
    audited(
        &*txn,
        actor,
        ("area.calendar", "area", area_id.to_string()),
        Some(before),
        Some(view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A holiday list as parsed from CSV, or every bad line.
pub fn parse_holiday_csv(text: &str) -> Result<Vec<Holiday>, Invalid> {
    netcrew_domain::tickets::rules::parse_holidays(text)
}

/// The kind of a stored holiday.
pub fn holiday_kind(h: &holiday::Model) -> HolidayKind {
    HolidayKind::parse(&h.kind).unwrap_or(HolidayKind::National)
}

/// An area, if there is one with this id.
pub async fn area<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<area::Model>, DbErr> {
    area::Entity::find_by_id(id).one(db).await
}
