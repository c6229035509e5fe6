//! Outages: one cause, many customers. Staff declare an outage on an ODP,
//! an ODC (and every ODP behind it) or a whole area; every open repair
//! ticket of a customer behind it joins it, waits with its clock paused,
//! and is resolved with it. A repair reported later by a customer behind
//! an open outage joins it when it is created (`tickets::create`).
//!
//! Each write (the outage, every ticket it touches, their timeline,
//! audit, change-feed entries and notifications) is one transaction.

use std::collections::{HashMap, HashSet, hash_map::Entry as Slot};

use chrono::{DateTime, Datelike, Duration, Utc};
use netcrew_domain::{
    Checks,
    messages::MessageEvent,
    tickets::{
        OutageElement, OutageStatus, TicketKind, TicketStatus,
        rules::{outage_counter, outage_number},
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Query,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    counters,
    entity::{area, customer, odc, odp, outage, pause_reason, ticket},
    error::{DbFailure, classify},
    feed::{self, Concerns},
    notifications::{self, Note},
    page::{Page, PageError, PageRequest, newest_created},
    tickets::{
        Entry, Person, Settings, announce, close_pause, customer_account, open_pause, recompute,
        ticket_view, timeline, watchers,
    },
};

/// Longest title of an outage.
pub const TITLE_MAX: usize = 200;
/// Longest cause or resolution text.
pub const TEXT_MAX: usize = 4000;
/// The most child tickets [`children`] answers (the ticket list, filtered
/// by the outage, pages through all of them).
pub const CHILDREN_MAX: u64 = 1000;
/// The most tickets [`suggestions`] looks at.
const SUGGESTION_SCAN_MAX: u64 = 5000;

/// The pause reason of tickets waiting for an outage.
const OUTAGE_PAUSE: &str = "outage";

/// A new outage, as given.
#[derive(Debug, Clone)]
pub struct NewOutage {
    /// A client-chosen id (UUIDv7).
    pub id: Option<Uuid>,
    pub element_kind: OutageElement,
    /// The ODP or ODC (required for those); for an area outage, the area
    /// (or give `area_id`).
    pub element_id: Option<Uuid>,
    /// The area of an area outage; for an ODP or ODC, if given, it must be
    /// the element's.
    pub area_id: Option<Uuid>,
    pub title: String,
    pub cause: String,
}

/// What an outage list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct OutageFilter {
    pub status: Option<OutageStatus>,
    pub area_id: Option<Uuid>,
    /// The start of an outage number (`OUT-2026-0001`), or text in the
    /// title.
    pub q: Option<String>,
}

/// ODPs where several open repairs came in lately without an outage: a
/// cause in common is likely.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub odp: odp::Model,
    /// The tickets (id and number), oldest first.
    pub tickets: Vec<(Uuid, String)>,
}

/// The audited form of an outage.
pub fn outage_view(o: &outage::Model) -> Value {
    json!({
        "id": o.id, "number": o.number, "title": o.title, "element_kind": o.element_kind,
        "element_id": o.element_id, "area_id": o.area_id, "status": o.status,
        "resolved_at": o.resolved_at, "version": o.version,
    })
}

/// The element an outage is declared on, as checked: its area and code.
struct Element {
    id: Uuid,
    area_id: Uuid,
    code: String,
}

/// Checks what the outage sits on; records a field error and answers
/// `None` when it is missing, unknown or contradicts `area_id`.
async fn element<C: ConnectionTrait>(
    db: &C,
    c: &mut Checks,
    kind: OutageElement,
    element_id: Option<Uuid>,
    area_id: Option<Uuid>,
) -> Result<Option<Element>, DbErr> {
    let found = match kind {
        OutageElement::Area => {
            if let (Some(e), Some(a)) = (element_id, area_id)
                && e != a
            {
                c.fail(
                    "element_id",
                    "mismatch",
                    "an area outage names its area once: give area_id only",
                );
                return Ok(None);
            }
            let Some(id) = area_id.or(element_id) else {
                c.fail("area_id", "required", "choose the area that is out");
                return Ok(None);
            };
            match area::Entity::find_by_id(id).one(db).await? {
                None => {
                    c.fail("area_id", "unknown", "no such area");
                    return Ok(None);
                }
                Some(a) => Element {
                    id: a.id,
                    area_id: a.id,
                    code: a.code,
                },
            }
        }
        OutageElement::Odp | OutageElement::Odc => {
            let what = if kind == OutageElement::Odp {
                "ODP"
            } else {
                "ODC"
            };
            let Some(id) = element_id else {
                c.fail(
                    "element_id",
                    "required",
                    format!("choose the {what} that is out"),
                );
                return Ok(None);
            };
            let found = if kind == OutageElement::Odp {
                odp::Entity::find_by_id(id).one(db).await?.map(|o| Element {
                    id: o.id,
                    area_id: o.area_id,
                    code: o.code,
                })
            } else {
                odc::Entity::find_by_id(id).one(db).await?.map(|o| Element {
                    id: o.id,
                    area_id: o.area_id,
                    code: o.code,
                })
            };
            let Some(found) = found else {
                c.fail("element_id", "unknown", format!("no such {what}"));
                return Ok(None);
            };
            if area_id.is_some_and(|a| a != found.area_id) {
                c.fail(
                    "area_id",
                    "mismatch",
                    format!("this {what} is in another area; leave area_id out"),
                );
                return Ok(None);
            }
            found
        }
    };
    Ok(Some(found))
}

/// The open outage already declared on this element, if any.
async fn open_on<C: ConnectionTrait>(
    db: &C,
    kind: OutageElement,
    element: &Element,
) -> Result<Option<outage::Model>, DbErr> {
    let mut select = outage::Entity::find()
        .filter(outage::Column::Status.eq(OutageStatus::Open.as_str()))
        .filter(outage::Column::ElementKind.eq(kind.as_str()));
    select = match kind {
        OutageElement::Area => select.filter(outage::Column::AreaId.eq(element.area_id)),
        _ => select.filter(outage::Column::ElementId.eq(element.id)),
    };
    select.one(db).await
}

/// The open repair tickets behind an element that have no outage yet,
/// oldest first, locked for the writer (on PostgreSQL).
async fn behind<C: ConnectionTrait>(
    db: &C,
    kind: OutageElement,
    element: &Element,
) -> Result<Vec<ticket::Model>, DbErr> {
    use ticket::Column as T;
    let mut select = ticket::Entity::find()
        .filter(T::Kind.eq(TicketKind::Repair.as_str()))
        .filter(T::IsOpen.eq(true))
        .filter(T::Status.ne(TicketStatus::Resolved.as_str()))
        .filter(T::OutageId.is_null());
    select = match kind {
        OutageElement::Area => select.filter(T::AreaId.eq(element.area_id)),
        OutageElement::Odp => select.filter(
            T::CustomerId.in_subquery(
                Query::select()
                    .column(customer::Column::Id)
                    .from(customer::Entity)
                    .and_where(customer::Column::OdpId.eq(element.id))
                    .to_owned(),
            ),
        ),
        OutageElement::Odc => select.filter(
            T::CustomerId.in_subquery(
                Query::select()
                    .column(customer::Column::Id)
                    .from(customer::Entity)
                    .and_where(
                        customer::Column::OdpId.in_subquery(
                            Query::select()
                                .column(odp::Column::Id)
                                .from(odp::Entity)
                                .and_where(odp::Column::OdcId.eq(element.id))
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            ),
        ),
    };
    select
        .order_by_asc(T::CreatedAt)
        .order_by_asc(T::Id)
        .lock_exclusive()
        .all(db)
        .await
}

/// Writes a changed ticket if it is still at `version` (what the writer
/// read); answers `None` when someone else changed it meanwhile.
async fn save_ticket<C: ConnectionTrait>(
    db: &C,
    t: ticket::Model,
    version: i32,
) -> Result<Option<ticket::Model>, DbErr> {
    let saved = ticket::Entity::update(t.into_active_model().reset_all())
        .filter(ticket::Column::Version.eq(version))
        .exec(db)
        .await;
    match saved {
        Ok(t) => Ok(Some(t)),
        Err(DbErr::RecordNotUpdated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads an area once per write, for the SLA clocks of many tickets.
async fn area_of<'a, C: ConnectionTrait>(
    db: &C,
    cache: &'a mut HashMap<Uuid, area::Model>,
    id: Uuid,
) -> Result<&'a area::Model, Error> {
    match cache.entry(id) {
        Slot::Occupied(slot) => Ok(slot.into_mut()),
        Slot::Vacant(slot) => {
            let found = area::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::NotFound("A ticket's area is gone.".to_string()))?;
            Ok(slot.insert(found))
        }
    }
}

/// Who hears of an outage's tickets: each customer's portal account once
/// (with their first ticket) and each assigned technician once (with the
/// numbers of their jobs).
async fn tell_ticket_holders<C: ConnectionTrait>(
    db: &C,
    kind: &'static str,
    o: &outage::Model,
    tickets: &[ticket::Model],
    skip: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut customers = HashSet::new();
    for t in tickets {
        if !customers.insert(t.customer_id) {
            continue;
        }
        let event = match kind {
            "outage_declared" => Some(MessageEvent::OutageDeclared),
            "outage_resolved" => Some(MessageEvent::OutageResolved),
            _ => None,
        };
        if let Some(event) = event {
            crate::outbox::to_customer(
                db,
                crate::outbox::ToCustomer {
                    customer_id: t.customer_id,
                    ticket: Some((t.id, &t.number)),
                    event,
                    vars: json!({"outage": format!("{} {}", o.number, o.title)}),
                    key: format!("outage:{}:{}:{}", o.id, event.as_str(), t.customer_id),
                },
                now,
            )
            .await?;
        }
        if let Some(account) = customer_account(db, t.customer_id).await?
            && Some(account) != skip
        {
            let note = Note {
                kind,
                ticket: Some((t.id, t.number.clone())),
                outage_id: Some(o.id),
                data: json!({"outage_number": o.number, "title": o.title}),
            };
            notifications::notify(db, &[account], &note, now).await?;
        }
    }
    let mut jobs: Vec<(Uuid, Vec<String>)> = Vec::new();
    for t in tickets {
        let Some(tech) = t.technician_id.filter(|&tech| Some(tech) != skip) else {
            continue;
        };
        match jobs.iter_mut().find(|(id, _)| *id == tech) {
            Some((_, numbers)) => numbers.push(t.number.clone()),
            None => jobs.push((tech, vec![t.number.clone()])),
        }
    }
    for (tech, numbers) in jobs {
        let note = Note {
            kind,
            ticket: None,
            outage_id: Some(o.id),
            data: json!({"outage_number": o.number, "title": o.title, "tickets": numbers}),
        };
        notifications::notify(db, &[tech], &note, now).await?;
    }
    Ok(())
}

/// The supervisors of the outage's area and management, except `who`.
async fn tell_watchers<C: ConnectionTrait>(
    db: &C,
    kind: &'static str,
    o: &outage::Model,
    who: &Person,
    data: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let to: Vec<Uuid> = watchers(db, o.area_id, true)
        .await?
        .into_iter()
        .filter(|u| Some(*u) != who.id)
        .collect();
    let note = Note {
        kind,
        ticket: None,
        outage_id: Some(o.id),
        data,
    };
    notifications::notify(db, &to, &note, now).await
}

/// Declares an outage: numbers it (`OUT-2026-000001`), and gathers every
/// open repair ticket of the customers behind its element that has no
/// outage yet. Each waits (`pending`, reason `outage`, its clock paused;
/// one already pending only joins), and its customer, its technician, the
/// area's supervisors and management are told.
pub async fn declare(
    db: &Db,
    who: &Person,
    input: NewOutage,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<outage::Model, Error> {
    let mut c = Checks::default();
    c.client_id("id", input.id.map(|id| id.get_version_num()));
    let title = c.text("title", &input.title, TITLE_MAX);
    let cause = c.multiline("cause", &input.cause, TEXT_MAX);
    let kind = input.element_kind;
    let found = element(db.conn(), &mut c, kind, input.element_id, input.area_id).await?;
    c.finish()?;
    let Some(found) = found else {
        return Err(Error::Conflict(
            "The element could not be read.".to_string(),
        ));
    };

    let txn = db.begin_write().await?;
    if let Some(open) = open_on(&*txn, kind, &found).await? {
        return Err(Error::Conflict(format!(
            "{} is already open on {} ({}); resolve it before declaring another.",
            open.number, found.code, open.title
        )));
    }
    let year = now.with_timezone(&settings.zone).year();
    let seq = counters::advance(&*txn, &outage_counter(year), 1).await?;
    let o = outage::Model {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        number: outage_number(year, seq),
        title,
        element_kind: kind.as_str().to_string(),
        element_id: Some(found.id),
        area_id: found.area_id,
        status: OutageStatus::Open.as_str().to_string(),
        cause,
        resolution: String::new(),
        declared_by: who.id,
        resolved_by: None,
        resolved_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let inserted = o
        .clone()
        .into_active_model()
        .reset_all()
        .insert(&*txn)
        .await;
    let o = match inserted {
        Ok(o) => o,
        Err(e) if classify(&e) == DbFailure::Unique => {
            return Err(Error::Conflict(
                "An outage with this id already exists.".to_string(),
            ));
        }
        Err(e) => return Err(e.into()),
    };

    // Its pause reason stops the clock whether or not staff may still
    // choose it by hand.
    let pause: Option<pause_reason::Model> =
        pause_reason::Entity::find_by_id(OUTAGE_PAUSE.to_string())
            .one(&*txn)
            .await?;
    let mut areas = HashMap::new();
    let mut joined = Vec::new();
    for current in behind(&*txn, kind, &found).await? {
        let from = TicketStatus::parse(&current.status).unwrap_or(TicketStatus::New);
        let moves = from != TicketStatus::Pending;
        let mut t = current.clone();
        t.outage_id = Some(o.id);
        if moves {
            t.before_pending = Some(from.as_str().to_string());
            t.pending_reason = Some(OUTAGE_PAUSE.to_string());
            t.status = TicketStatus::Pending.as_str().to_string();
            if let Some(p) = &pause {
                open_pause(&*txn, t.id, p, now).await?;
            }
        }
        t.version += 1;
        t.updated_at = now;
        let area = area_of(&*txn, &mut areas, t.area_id).await?;
        recompute(&*txn, &mut t, Some(area), now).await?;
        let Some(t) = save_ticket(&*txn, t, current.version).await? else {
            return Err(Error::Conflict(format!(
                "Ticket {} changed while the outage was declared; try again.",
                current.number
            )));
        };
        timeline(
            &*txn,
            &t,
            who,
            Entry {
                kind: "outage_joined",
                from: moves.then_some(from),
                to: moves.then_some(TicketStatus::Pending),
                reason: o.title.clone(),
                data: json!({"outage_id": o.id, "outage_number": o.number}),
                public: true,
            },
            now,
        )
        .await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: who.id,
                actor_ip: who.ip.clone(),
                action: "ticket.outage_join",
                entity: "ticket",
                entity_id: Some(t.id.to_string()),
                before: Some(ticket_view(&current)),
                after: Some(ticket_view(&t)),
            },
            now,
        )
        .await?;
        announce(
            &*txn,
            &t,
            if moves {
                "ticket.moved"
            } else {
                "ticket.updated"
            },
            true,
            now,
        )
        .await?;
        joined.push(t);
    }

    let numbers: Vec<&str> = joined.iter().map(|t| t.number.as_str()).collect();
    feed::publish(
        &*txn,
        "outage.declared",
        Concerns {
            outage_id: Some(o.id),
            area_id: Some(o.area_id),
            ..Concerns::default()
        },
        json!({
            "outage_id": o.id, "number": o.number, "status": o.status,
            "version": o.version, "tickets": joined.len(),
        }),
        now,
    )
    .await?;
    let mut after = outage_view(&o);
    after["tickets"] = json!(numbers);
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "outage.declare",
            entity: "outage",
            entity_id: Some(o.id.to_string()),
            before: None,
            after: Some(after),
        },
        now,
    )
    .await?;
    tell_watchers(
        &*txn,
        "outage_declared",
        &o,
        who,
        json!({
            "outage_number": o.number, "title": o.title, "element_kind": o.element_kind,
            "element_code": found.code, "tickets": joined.len(), "by": who.name,
        }),
        now,
    )
    .await?;
    tell_ticket_holders(&*txn, "outage_declared", &o, &joined, who.id, now).await?;
    txn.commit().await?;
    Ok(o)
}

/// Resolves an open outage at `version`, with what was done: every child
/// ticket still open is resolved with it (its pause ends), and each
/// customer hears of it once.
pub async fn resolve(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    resolution: &str,
    now: DateTime<Utc>,
) -> Result<outage::Model, Error> {
    let mut c = Checks::default();
    let resolution = c.multiline("resolution", resolution, TEXT_MAX);
    if resolution.is_empty() && !c.has("resolution") {
        c.fail("resolution", "required", "say what was repaired");
    }
    c.finish()?;

    let txn = db.begin_write().await?;
    let current = outage::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such outage.".to_string()))?;
    if current.status != OutageStatus::Open.as_str() {
        return Err(Error::Conflict(format!(
            "{} is already resolved.",
            current.number
        )));
    }
    if current.version != version {
        return Err(Error::Stale(format!(
            "The outage changed since you loaded it (now version {}); reload it and try again.",
            current.version
        )));
    }

    let open_statuses: Vec<&str> = TicketStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(TicketStatus::as_str)
        .collect();
    let children = ticket::Entity::find()
        .filter(ticket::Column::OutageId.eq(id))
        .filter(ticket::Column::Status.is_in(open_statuses))
        .order_by_asc(ticket::Column::CreatedAt)
        .order_by_asc(ticket::Column::Id)
        .lock_exclusive()
        .all(&*txn)
        .await?;
    let mut areas = HashMap::new();
    let mut resolved = Vec::new();
    for before in children {
        let from = TicketStatus::parse(&before.status).unwrap_or(TicketStatus::Pending);
        let mut t = before.clone();
        let paused = close_pause(&*txn, t.id, now).await?;
        t.status = TicketStatus::Resolved.as_str().to_string();
        t.resolved_at = Some(now);
        t.remote_reason = None;
        t.before_pending = None;
        t.pending_reason = None;
        t.version += 1;
        t.updated_at = now;
        let area = area_of(&*txn, &mut areas, t.area_id).await?;
        recompute(&*txn, &mut t, Some(area), now).await?;
        let Some(t) = save_ticket(&*txn, t, before.version).await? else {
            return Err(Error::Conflict(format!(
                "Ticket {} changed while the outage was resolved; try again.",
                before.number
            )));
        };
        let mut data = json!({"outage_id": current.id, "outage_number": current.number});
        if let Some((why, lasted)) = paused {
            data["pause_reason"] = json!(why);
            data["paused_minutes"] = json!(lasted.num_minutes());
        }
        timeline(
            &*txn,
            &t,
            who,
            Entry {
                kind: "outage_resolved",
                from: Some(from),
                to: Some(TicketStatus::Resolved),
                reason: resolution.clone(),
                data,
                public: true,
            },
            now,
        )
        .await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: who.id,
                actor_ip: who.ip.clone(),
                action: "ticket.outage_resolve",
                entity: "ticket",
                entity_id: Some(t.id.to_string()),
                before: Some(ticket_view(&before)),
                after: Some(ticket_view(&t)),
            },
            now,
        )
        .await?;
        announce(&*txn, &t, "ticket.moved", true, now).await?;
        resolved.push(t);
    }

    let mut o = current.clone();
    o.status = OutageStatus::Resolved.as_str().to_string();
    o.resolution = resolution;
    o.resolved_at = Some(now);
    o.resolved_by = who.id;
    o.version += 1;
    o.updated_at = now;
    let saved = outage::Entity::update(o.into_active_model().reset_all())
        .filter(outage::Column::Version.eq(version))
        .exec(&*txn)
        .await;
    let o = match saved {
        Ok(o) => o,
        Err(DbErr::RecordNotUpdated) => {
            return Err(Error::Stale(
                "The outage changed since you loaded it; reload it and try again.".to_string(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    feed::publish(
        &*txn,
        "outage.resolved",
        Concerns {
            outage_id: Some(o.id),
            area_id: Some(o.area_id),
            ..Concerns::default()
        },
        json!({
            "outage_id": o.id, "number": o.number, "status": o.status,
            "version": o.version, "tickets": resolved.len(),
        }),
        now,
    )
    .await?;
    let mut after = outage_view(&o);
    after["tickets"] = json!(
        resolved
            .iter()
            .map(|t| t.number.as_str())
            .collect::<Vec<_>>()
    );
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "outage.resolve",
            entity: "outage",
            entity_id: Some(o.id.to_string()),
            before: Some(outage_view(&current)),
            after: Some(after),
        },
        now,
    )
    .await?;
    tell_watchers(
        &*txn,
        "outage_resolved",
        &o,
        who,
        json!({
            "outage_number": o.number, "title": o.title, "tickets": resolved.len(),
            "by": who.name,
        }),
        now,
    )
    .await?;
    tell_ticket_holders(&*txn, "outage_resolved", &o, &resolved, who.id, now).await?;
    txn.commit().await?;
    Ok(o)
}

/// An outage.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<outage::Model>, DbErr> {
    outage::Entity::find_by_id(id).one(db).await
}

/// A page of outages, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    f: &OutageFilter,
    page: &PageRequest,
) -> Result<Result<Page<outage::Model>, PageError>, DbErr> {
    use outage::Column as O;
    let mut select = outage::Entity::find();
    if let Some(s) = f.status {
        select = select.filter(O::Status.eq(s.as_str()));
    }
    if let Some(a) = f.area_id {
        select = select.filter(O::AreaId.eq(a));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let upper = q.to_uppercase();
        select = if upper.starts_with("OUT") {
            select.filter(O::Number.starts_with(&upper))
        } else {
            select.filter(O::Title.contains(q))
        };
    }
    newest_created(db, select, O::CreatedAt, O::Id, page, |o| {
        (o.created_at, o.id)
    })
    .await
}

/// The codes of the elements the outages sit on (the ODP's, the ODC's or
/// the area's), by outage id.
pub async fn element_codes<C: ConnectionTrait>(
    db: &C,
    outages: &[outage::Model],
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids = |kind: OutageElement| -> Vec<Uuid> {
        outages
            .iter()
            .filter(|o| o.element_kind == kind.as_str())
            .filter_map(|o| o.element_id.or(Some(o.area_id)))
            .collect()
    };
    let mut codes: HashMap<Uuid, String> = HashMap::new();
    let odps = ids(OutageElement::Odp);
    if !odps.is_empty() {
        let rows: Vec<(Uuid, String)> = odp::Entity::find()
            .select_only()
            .columns([odp::Column::Id, odp::Column::Code])
            .filter(odp::Column::Id.is_in(odps))
            .into_tuple()
            .all(db)
            .await?;
        codes.extend(rows);
    }
    let odcs = ids(OutageElement::Odc);
    if !odcs.is_empty() {
        let rows: Vec<(Uuid, String)> = odc::Entity::find()
            .select_only()
            .columns([odc::Column::Id, odc::Column::Code])
            .filter(odc::Column::Id.is_in(odcs))
            .into_tuple()
            .all(db)
            .await?;
        codes.extend(rows);
    }
    let areas = ids(OutageElement::Area);
    if !areas.is_empty() {
        let rows: Vec<(Uuid, String)> = area::Entity::find()
            .select_only()
            .columns([area::Column::Id, area::Column::Code])
            .filter(area::Column::Id.is_in(areas))
            .into_tuple()
            .all(db)
            .await?;
        codes.extend(rows);
    }
    Ok(outages
        .iter()
        .filter_map(|o| {
            let element = o.element_id.unwrap_or(o.area_id);
            codes.get(&element).map(|code| (o.id, code.clone()))
        })
        .collect())
}

/// The tickets of an outage by number, at most [`CHILDREN_MAX`], and how
/// many there are.
pub async fn children<C: ConnectionTrait>(
    db: &C,
    outage_id: Uuid,
) -> Result<(Vec<ticket::Model>, u64), DbErr> {
    use sea_orm::PaginatorTrait;
    let select = ticket::Entity::find().filter(ticket::Column::OutageId.eq(outage_id));
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_asc(ticket::Column::Number)
        .limit(CHILDREN_MAX)
        .all(db)
        .await?;
    Ok((items, total))
}

/// ODPs with at least `min` open repair tickets created within `window`
/// before `now` that belong to no outage, grouped by their customers' ODP;
/// the most tickets first.
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    window: Duration,
    min: usize,
) -> Result<Vec<Suggestion>, DbErr> {
    use ticket::Column as T;
    let recent: Vec<(Uuid, String, Uuid)> = ticket::Entity::find()
        .select_only()
        .columns([T::Id, T::Number, T::CustomerId])
        .filter(T::Kind.eq(TicketKind::Repair.as_str()))
        .filter(T::IsOpen.eq(true))
        .filter(T::Status.ne(TicketStatus::Resolved.as_str()))
        .filter(T::OutageId.is_null())
        .filter(T::CreatedAt.gte(now - window))
        .order_by_asc(T::CreatedAt)
        .order_by_asc(T::Id)
        .limit(SUGGESTION_SCAN_MAX)
        .into_tuple()
        .all(db)
        .await?;
    if recent.is_empty() {
        return Ok(Vec::new());
    }
    let customer_ids: Vec<Uuid> = recent
        .iter()
        .map(|(_, _, c)| *c)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut odp_of: HashMap<Uuid, Uuid> = HashMap::new();
    for chunk in customer_ids.chunks(500) {
        let rows: Vec<(Uuid, Option<Uuid>)> = customer::Entity::find()
            .select_only()
            .columns([customer::Column::Id, customer::Column::OdpId])
            .filter(customer::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        odp_of.extend(rows.into_iter().filter_map(|(c, o)| o.map(|o| (c, o))));
    }
    let mut groups: Vec<(Uuid, Vec<(Uuid, String)>)> = Vec::new();
    for (id, number, customer_id) in recent {
        let Some(&odp_id) = odp_of.get(&customer_id) else {
            continue;
        };
        match groups.iter_mut().find(|(o, _)| *o == odp_id) {
            Some((_, tickets)) => tickets.push((id, number)),
            None => groups.push((odp_id, vec![(id, number)])),
        }
    }
    groups.retain(|(_, tickets)| tickets.len() >= min.max(1));
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let odps: HashMap<Uuid, odp::Model> = odp::Entity::find()
        .filter(
            Condition::all()
                .add(odp::Column::Id.is_in(groups.iter().map(|(o, _)| *o).collect::<Vec<_>>())),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut out: Vec<Suggestion> = groups
        .into_iter()
        .filter_map(|(odp_id, tickets)| {
            odps.get(&odp_id).map(|odp| Suggestion {
                odp: odp.clone(),
                tickets,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.tickets
            .len()
            .cmp(&a.tickets.len())
            .then_with(|| a.odp.code.cmp(&b.odp.code))
    });
    Ok(out)
}
