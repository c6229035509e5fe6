//! Tickets: creating them, reading them within the reader's scope, moving
//! them through the lifecycle at a version, changing, commenting and rating
//! them. Every write checks with the rules of `netcrew_domain::tickets`,
//! recomputes the SLA clocks, and writes the ticket, its timeline entry, its
//! audit entry, its change-feed entry and its notifications in one
//! transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use netcrew_domain::{
    Checks, CustomerStatus, FieldError, InstallWindow, Invalid, Role,
    identity::BookingNeed,
    messages::MessageEvent,
    schedule::{BOOKING_HORIZON_DAYS, Zone, local_date, parse_zone},
    service::Priority,
    tickets::{
        MoveRefused, Mover, OutageStatus, RemoteReason, SlaState, TicketFacts, TicketKind,
        TicketMove, TicketSource, TicketStatus,
        calendar::{Calendar, Hours, Pause},
        rules::{self, COMMENT_MAX, DESCRIPTION_MAX, REASON_MAX},
        sla::{SlaInput, Targets, sla_times},
        ticket_number,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    counters,
    entity::{
        area, customer, holiday, outage, pause_reason, problem_category, service_type, sla_policy,
        ticket::{self, no_due},
        ticket_comment, ticket_crew, ticket_event, ticket_pause, user, user_area, user_team,
    },
    feed::{self, Concerns, FeedScope},
    notifications::{self, Note},
    outbox,
    page::{Page, PageError, PageRequest, newest_created, paginate_time},
};

/// Who acts on a ticket.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Option<Uuid>,
    pub name: String,
    pub role: Option<Role>,
    /// The customer record of a customer account.
    pub customer_id: Option<Uuid>,
    pub ip: Option<String>,
}

impl Person {
    /// NetCrew itself: closing resolved tickets, escalations, outages.
    pub fn system() -> Self {
        Person {
            id: None,
            name: "NetCrew".to_string(),
            role: None,
            customer_id: None,
            ip: None,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            ip: self.ip.clone(),
        }
    }

    fn role_name(&self) -> &'static str {
        self.role.map_or("system", Role::as_str)
    }

    fn mover(&self, t: &ticket::Model) -> Mover {
        match self.role {
            None => Mover::System,
            Some(role) => Mover::Person {
                role,
                assignee: self.id.is_some() && t.technician_id == self.id,
                owner: self.customer_id == Some(t.customer_id),
            },
        }
    }
}

/// The tickets a reader may see.
#[derive(Debug, Clone)]
pub enum Scope {
    /// CS, admins, management and NetCrew itself: every ticket.
    All,
    /// A supervisor: tickets in their areas or with their teams'
    /// technicians.
    Supervisor {
        areas: Vec<Uuid>,
        technicians: Vec<Uuid>,
    },
    /// A technician: the tickets assigned to them.
    Technician(Uuid),
    /// A customer: their own tickets.
    Customer(Uuid),
}

impl Scope {
    pub(crate) fn condition(&self) -> Condition {
        use ticket::Column as T;
        match self {
            Scope::All => Condition::all(),
            Scope::Supervisor { areas, technicians } => Condition::any()
                .add(T::AreaId.is_in(areas.clone()))
                .add(T::TechnicianId.is_in(technicians.clone())),
            // Their own jobs, and those whose crew they are in.
            Scope::Technician(id) => Condition::any().add(T::TechnicianId.eq(*id)).add(
                T::Id.in_subquery(
                    ticket_crew::Entity::find()
                        .select_only()
                        .column(ticket_crew::Column::TicketId)
                        .filter(ticket_crew::Column::UserId.eq(*id))
                        .into_query(),
                ),
            ),
            Scope::Customer(id) => Condition::all().add(T::CustomerId.eq(*id)),
        }
    }

    /// The same scope over the change feed.
    pub fn feed(&self) -> FeedScope {
        match self {
            Scope::All => FeedScope::All,
            Scope::Supervisor { areas, technicians } => FeedScope::Areas {
                areas: areas.clone(),
                technicians: technicians.clone(),
            },
            Scope::Technician(id) => FeedScope::Technician(*id),
            Scope::Customer(id) => FeedScope::Customer(*id),
        }
    }

    /// Whether internal comments and events are hidden.
    pub fn is_customer(&self) -> bool {
        matches!(self, Scope::Customer(_))
    }
}

/// The scope of a signed-in user of `role`.
pub async fn scope_for<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    role: Role,
    customer_id: Option<Uuid>,
) -> Result<Scope, DbErr> {
    Ok(match role {
        Role::Admin | Role::Cs | Role::Management | Role::Warehouse => Scope::All,
        Role::Technician => Scope::Technician(user_id),
        Role::Customer => Scope::Customer(customer_id.unwrap_or_else(Uuid::nil)),
        Role::Supervisor => {
            let areas: Vec<Uuid> = user_area::Entity::find()
                .select_only()
                .column(user_area::Column::AreaId)
                .filter(user_area::Column::UserId.eq(user_id))
                .into_tuple()
                .all(db)
                .await?;
            let teams: Vec<Uuid> = user_team::Entity::find()
                .select_only()
                .column(user_team::Column::TeamId)
                .filter(user_team::Column::UserId.eq(user_id))
                .into_tuple()
                .all(db)
                .await?;
            let technicians: Vec<Uuid> = if teams.is_empty() {
                Vec::new()
            } else {
                user_team::Entity::find()
                    .select_only()
                    .column(user_team::Column::UserId)
                    .filter(user_team::Column::TeamId.is_in(teams))
                    .into_tuple()
                    .all(db)
                    .await?
            };
            Scope::Supervisor { areas, technicians }
        }
    })
}

/// What the ISP configures about tickets.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A resolved or closed ticket may be reopened this long after it was
    /// resolved.
    pub reopen_window: Duration,
    /// A resolved ticket closes by itself after this long.
    pub auto_close_after: Duration,
    /// The ISP's own time zone (for "today").
    pub zone: Zone,
    /// An installation is booked only once its fee or down payment is
    /// marked paid.
    pub fee_first: bool,
    /// The address people open NetCrew at, for links in messages (the
    /// customer's tracking link).
    pub public_url: std::sync::Arc<str>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            reopen_window: Duration::days(7),
            auto_close_after: Duration::hours(72),
            zone: chrono_tz::Asia::Jakarta,
            fee_first: false,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// A new ticket, as given.
#[derive(Debug, Clone, Default)]
pub struct NewTicket {
    pub id: Option<Uuid>,
    pub kind: Option<TicketKind>,
    pub customer_id: Option<Uuid>,
    pub service_type_id: Option<Uuid>,
    pub problem_category_id: Option<Uuid>,
    pub priority: Option<Priority>,
    pub source: Option<TicketSource>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    pub appointment_date: Option<String>,
    pub appointment_window: Option<InstallWindow>,
    pub tags: Option<Vec<String>>,
    pub duplicate_of: Option<Uuid>,
    /// An upgrade: the package to move to.
    pub package_id: Option<Uuid>,
}

/// A change to a ticket (absent fields stay as they are).
#[derive(Debug, Clone, Default)]
pub struct TicketChange {
    pub priority: Option<Priority>,
    /// Why the priority changes (required with it).
    pub reason: Option<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    pub appointment_date: Option<Option<String>>,
    pub appointment_window: Option<Option<InstallWindow>>,
    pub tags: Option<Vec<String>>,
    pub duplicate_of: Option<Option<Uuid>>,
    pub problem_category_id: Option<Option<Uuid>>,
    /// The ODP and port the job connects (an installation or relocation
    /// takes them over when it is done).
    pub odp: Option<Option<(Uuid, i32)>>,
    /// An upgrade: the package to move to.
    pub package_id: Option<Uuid>,
}

/// A move asked for: the target status and what the move needs.
#[derive(Debug, Clone, Default)]
pub struct MoveRequest {
    pub to: Option<TicketStatus>,
    /// Free text: why (required to cancel, to reopen and with a
    /// priority change).
    pub reason: Option<String>,
    /// `pending`: the pause reason's code.
    pub pause_reason: Option<String>,
    /// `resolved` without a visit: how CS settled it.
    pub remote_reason: Option<RemoteReason>,
    /// `assigned`: the technician.
    pub technician_id: Option<Uuid>,
    /// `on_site`, `en_route`: where the phone is.
    pub position: Option<Position>,
    /// `pending`: the day (and window) of the next visit, when it is known.
    pub next_visit: Option<NextVisit>,
}

/// The next visit agreed when a job waits (the customer asked for another
/// day, the part arrives on Monday): it becomes the ticket's appointment.
#[derive(Debug, Clone)]
pub struct NextVisit {
    /// `YYYY-MM-DD`, in the area's calendar.
    pub date: String,
    pub window: Option<InstallWindow>,
}

/// A phone's position at a move.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
}

/// The position's part of a move's data: where, how precisely, and how far
/// from the ticket's place (`None`: no position, or none that is real).
fn position_data(c: &mut Checks, t: &ticket::Model, p: Option<Position>) -> Option<Value> {
    let p = p?;
    let Ok(at) = netcrew_domain::GeoPoint::new(p.lat, p.lng) else {
        c.fail("position", "location", "not a place on the earth");
        return None;
    };
    if p.accuracy_m
        .is_some_and(|a| !(0.0..=100_000.0).contains(&a))
    {
        c.fail("position.accuracy_m", "range", "from 0 to 100000 metres");
        return None;
    }
    let distance = netcrew_domain::GeoPoint::new(t.lat, t.lng)
        .ok()
        .map(|place| place.distance_m(&at).round());
    Some(json!({"lat": p.lat, "lng": p.lng, "accuracy_m": p.accuracy_m, "distance_m": distance}))
}

fn conflict(msg: impl Into<String>) -> Error {
    Error::Conflict(msg.into())
}

/// The service calendar of an area.
pub async fn calendar_of<C: ConnectionTrait>(
    db: &C,
    area: &area::Model,
) -> Result<Calendar, DbErr> {
    let zone = parse_zone(&area.time_zone).unwrap_or(chrono_tz::Asia::Jakarta);
    let hours = if area.business_hours {
        let days: Vec<bool> = area.work_days.chars().map(|c| c == '1').collect();
        let mut d = [false; 7];
        for (i, on) in days.into_iter().take(7).enumerate() {
            d[i] = on;
        }
        let time = |s: &str, fallback: u32| {
            NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|_| {
                NaiveTime::from_hms_opt(fallback, 0, 0).unwrap_or(NaiveTime::MIN)
            })
        };
        Hours::Business {
            days: d,
            open: time(&area.opens_at, 8),
            close: time(&area.closes_at, 17),
        }
    } else {
        Hours::Always
    };
    let holidays: BTreeSet<NaiveDate> = if area.business_hours {
        let days: Vec<String> = holiday::Entity::find()
            .select_only()
            .column(holiday::Column::Day)
            .into_tuple()
            .all(db)
            .await?;
        days.iter()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect()
    } else {
        BTreeSet::new()
    };
    Ok(Calendar {
        zone,
        hours,
        holidays,
    })
}

/// The targets for a service type at a priority: the ISP's policy for
/// that pair, or the service type's own.
pub async fn targets_for<C: ConnectionTrait>(
    db: &C,
    st: &service_type::Model,
    priority: Priority,
) -> Result<Targets, DbErr> {
    let policy = sla_policy::Entity::find()
        .filter(sla_policy::Column::ServiceTypeId.eq(st.id))
        .filter(sla_policy::Column::Priority.eq(priority.as_str()))
        .one(db)
        .await?;
    let (response, resolution) = policy
        .map_or((st.response_sla_minutes, st.resolution_sla_minutes), |p| {
            (p.response_minutes, p.resolution_minutes)
        });
    Ok(Targets {
        response: Duration::minutes(response.into()),
        resolution: Duration::minutes(resolution.into()),
    })
}

/// Recomputes the clocks of `t` at `now` (its pauses and area are read).
pub(crate) async fn recompute<C: ConnectionTrait>(
    db: &C,
    t: &mut ticket::Model,
    area: Option<&area::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let area = match area {
        Some(a) => a.clone(),
        None => area::Entity::find_by_id(t.area_id)
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("area".into()))?,
    };
    let calendar = calendar_of(db, &area).await?;
    let pauses: Vec<Pause> = ticket_pause::Entity::find()
        .filter(ticket_pause::Column::TicketId.eq(t.id))
        .filter(ticket_pause::Column::StopsClock.eq(true))
        .filter(
            Condition::any()
                .add(ticket_pause::Column::EndedAt.is_null())
                .add(ticket_pause::Column::EndedAt.gt(t.clock_started_at)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| Pause {
            from: p.started_at,
            until: p.ended_at,
        })
        .collect();
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    let times = sla_times(
        &SlaInput {
            calendar: &calendar,
            started: t.clock_started_at,
            targets: Targets {
                response: Duration::minutes(t.response_minutes.into()),
                resolution: Duration::minutes(t.resolution_minutes.into()),
            },
            pauses: &pauses,
            accepted_at: t.accepted_at,
            resolved_at: t.resolved_at,
            cancelled: status == TicketStatus::Cancelled,
        },
        now,
    );
    t.response_warn_at = times.response_warn_at;
    t.response_due_at = times.response_due_at;
    t.resolution_warn_at = times.resolution_warn_at;
    t.resolution_due_at = times.resolution_due_at;
    t.next_due_at = [times.response_due_at, times.resolution_due_at]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or_else(no_due);
    t.sla_state = times.state.as_str().to_string();
    t.is_open = status.is_open();
    Ok(())
}

/// The checked appointment day: today or later in the area's zone, within
/// the booking horizon, and a working day of its calendar.
fn appointment(
    c: &mut Checks,
    text: &str,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Option<String> {
    appointment_at(c, "appointment_date", text, calendar, now)
}

/// [`appointment`], with its errors told at `field`.
fn appointment_at(
    c: &mut Checks,
    field: &str,
    text: &str,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Option<String> {
    let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") else {
        c.fail(field, "date_format", "a date as YYYY-MM-DD");
        return None;
    };
    let today = local_date(now, calendar.zone);
    if day < today {
        c.fail(field, "date_past", "choose today or a later day");
        return None;
    }
    if day > today + Duration::days(BOOKING_HORIZON_DAYS) {
        c.push(
            FieldError::new(
                field,
                "date_far",
                format!("choose a day within the next {BOOKING_HORIZON_DAYS} days"),
            )
            .with("days", BOOKING_HORIZON_DAYS),
        );
        return None;
    }
    if let Hours::Business { days, .. } = &calendar.hours
        && (!days[day.weekday().num_days_from_monday() as usize]
            || calendar.holidays.contains(&day))
    {
        c.fail(
            field,
            "closed_day",
            "the ISP does not work on that day (a day off or a holiday)",
        );
        return None;
    }
    Some(day.to_string())
}

/// A window on `day` that has not ended yet.
fn window_open(day: &str, window: InstallWindow, zone: Zone, now: DateTime<Utc>) -> bool {
    let Ok(day) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return true;
    };
    let end = match window {
        InstallWindow::Morning => NaiveTime::from_hms_opt(12, 0, 0),
        InstallWindow::Afternoon => NaiveTime::from_hms_opt(17, 0, 0),
    };
    let Some(end) = end else { return true };
    use chrono::TimeZone;
    zone.from_local_datetime(&day.and_time(end))
        .earliest()
        .is_none_or(|e| e.with_timezone(&Utc) > now)
}

/// The audited form of a ticket.
pub fn ticket_view(t: &ticket::Model) -> Value {
    json!({
        "id": t.id, "number": t.number, "kind": t.kind, "status": t.status,
        "priority": t.priority, "customer_id": t.customer_id, "area_id": t.area_id,
        "technician_id": t.technician_id, "appointment_date": t.appointment_date,
        "appointment_window": t.appointment_window, "pending_reason": t.pending_reason,
        "outage_id": t.outage_id, "version": t.version,
    })
}

/// Appends the audit entry of a change to a ticket.
async fn audit_ticket<C: ConnectionTrait>(
    db: &C,
    who: &Person,
    action: &'static str,
    id: Uuid,
    before: Option<Value>,
    after: Option<Value>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::audit(
        db,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action,
            entity: "ticket",
            entity_id: Some(id.to_string()),
            before,
            after,
        },
        now,
    )
    .await
}

/// One timeline entry to write.
pub(crate) struct Entry<'a> {
    pub(crate) kind: &'a str,
    pub(crate) from: Option<TicketStatus>,
    pub(crate) to: Option<TicketStatus>,
    pub(crate) reason: String,
    pub(crate) data: Value,
    pub(crate) public: bool,
}

pub(crate) async fn timeline<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    who: &Person,
    e: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ticket_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(t.id),
        at: Set(now),
        actor_id: Set(who.id),
        actor_name: Set(who.name.clone()),
        actor_role: Set(who.role_name().to_string()),
        kind: Set(e.kind.to_string()),
        from_status: Set(e.from.map(|s| s.as_str().to_string())),
        to_status: Set(e.to.map(|s| s.as_str().to_string())),
        reason: Set(e.reason),
        data: Set(e.data.to_string()),
        public: Set(e.public),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The change-feed entry for a ticket.
pub(crate) async fn announce<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    kind: &str,
    public: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    feed::publish(
        db,
        if public { kind } else { "ticket.internal" },
        Concerns {
            ticket_id: Some(t.id),
            outage_id: t.outage_id,
            customer_id: Some(t.customer_id),
            technician_id: t.technician_id,
            area_id: Some(t.area_id),
        },
        json!({
            "change": kind, "ticket_id": t.id, "number": t.number, "status": t.status,
            "version": t.version, "technician_id": t.technician_id,
        }),
        now,
    )
    .await?;
    // The crew's members hear of it as the lead does.
    for member in crew(db, t.id).await? {
        feed::publish(
            db,
            if public { kind } else { "ticket.internal" },
            Concerns {
                ticket_id: Some(t.id),
                outage_id: None,
                customer_id: None,
                technician_id: Some(member),
                area_id: None,
            },
            json!({
                "change": kind, "ticket_id": t.id, "number": t.number, "status": t.status,
                "version": t.version, "technician_id": t.technician_id,
            }),
            now,
        )
        .await?;
    }
    Ok(())
}

/// The members of a ticket's crew (besides the lead, its technician).
pub async fn crew<C: ConnectionTrait>(db: &C, ticket_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    ticket_crew::Entity::find()
        .select_only()
        .column(ticket_crew::Column::UserId)
        .filter(ticket_crew::Column::TicketId.eq(ticket_id))
        .order_by_asc(ticket_crew::Column::AddedAt)
        .into_tuple()
        .all(db)
        .await
}

/// The supervisors who look after `area` (and, with `management`, the
/// management accounts too).
pub async fn watchers<C: ConnectionTrait>(
    db: &C,
    area: Uuid,
    management: bool,
) -> Result<Vec<Uuid>, DbErr> {
    let in_area: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::AreaId.eq(area))
        .into_tuple()
        .all(db)
        .await?;
    let mut roles = vec![Role::Supervisor.as_str()];
    if management {
        roles.push(Role::Management.as_str());
    }
    let mut cond = Condition::any().add(
        Condition::all()
            .add(user::Column::Role.eq(Role::Supervisor.as_str()))
            .add(user::Column::Id.is_in(in_area)),
    );
    if management {
        cond = cond.add(user::Column::Role.eq(Role::Management.as_str()));
    }
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Active.eq(true))
        .filter(cond)
        .into_tuple()
        .all(db)
        .await
}

/// The portal account of a customer, if they have one.
pub async fn customer_account<C: ConnectionTrait>(
    db: &C,
    customer: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::CustomerId.eq(customer))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .one(db)
        .await
}

fn note(kind: &'static str, t: &ticket::Model, data: Value) -> Note {
    Note {
        kind,
        ticket: Some((t.id, t.number.clone())),
        outage_id: t.outage_id,
        data,
    }
}

/// The open outage a customer sits behind, if any: on their ODP, the ODC
/// feeding it, or their area.
pub async fn outage_behind<C: ConnectionTrait>(
    db: &C,
    c: &customer::Model,
) -> Result<Option<outage::Model>, DbErr> {
    let mut cond = Condition::any().add(
        Condition::all()
            .add(outage::Column::ElementKind.eq("area"))
            .add(outage::Column::AreaId.eq(c.area_id)),
    );
    if let Some(odp) = c.odp_id {
        cond = cond.add(
            Condition::all()
                .add(outage::Column::ElementKind.eq("odp"))
                .add(outage::Column::ElementId.eq(odp)),
        );
        let odc: Option<Uuid> = crate::entity::odp::Entity::find_by_id(odp)
            .select_only()
            .column(crate::entity::odp::Column::OdcId)
            .into_tuple()
            .one(db)
            .await?;
        if let Some(odc) = odc {
            cond = cond.add(
                Condition::all()
                    .add(outage::Column::ElementKind.eq("odc"))
                    .add(outage::Column::ElementId.eq(odc)),
            );
        }
    }
    outage::Entity::find()
        .filter(outage::Column::Status.eq(OutageStatus::Open.as_str()))
        .filter(cond)
        .order_by_asc(outage::Column::CreatedAt)
        .one(db)
        .await
}

/// Opens a pause on a ticket (the clock stops if the reason says so).
pub(crate) async fn open_pause<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
    reason: &pause_reason::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ticket_pause::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(ticket_id),
        reason: Set(reason.code.clone()),
        stops_clock: Set(reason.stops_clock),
        started_at: Set(now),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Ends a ticket's open pause; answers how long it lasted.
pub(crate) async fn close_pause<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(String, Duration)>, DbErr> {
    let open = ticket_pause::Entity::find()
        .filter(ticket_pause::Column::TicketId.eq(ticket_id))
        .filter(ticket_pause::Column::EndedAt.is_null())
        .one(db)
        .await?;
    let Some(p) = open else { return Ok(None) };
    let lasted = now - p.started_at;
    let reason = p.reason.clone();
    let mut m = p.into_active_model();
    m.ended_at = Set(Some(now));
    m.update(db).await?;
    Ok(Some((reason, lasted)))
}

/// A pause reason the ISP offers (active).
pub async fn pause_reason<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> Result<Option<pause_reason::Model>, DbErr> {
    pause_reason::Entity::find_by_id(code.to_string())
        .filter(pause_reason::Column::Active.eq(true))
        .one(db)
        .await
}

/// Creates a ticket. A customer account creates repairs (and only for
/// itself); staff create any kind. A repair of a customer behind an open
/// outage joins it, its clock paused.
pub async fn create(
    db: &Db,
    who: &Person,
    input: NewTicket,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let mut c = Checks::default();
    c.client_id("id", input.id.map(|id| id.get_version_num()));
    let is_customer = who.role == Some(Role::Customer);
    let kind = input.kind.or(is_customer.then_some(TicketKind::Repair));
    if kind.is_none() {
        c.fail("kind", "required", "say what the ticket is for");
    }
    if is_customer && kind.is_some_and(|k| k != TicketKind::Repair) {
        c.fail("kind", "choice", "customers report problems (repair)");
    }
    let customer_id = if is_customer {
        who.customer_id
    } else {
        input.customer_id
    };
    if customer_id.is_none() {
        c.fail("customer_id", "required", "choose the customer");
    }
    if is_customer && input.priority.is_some() {
        c.fail("priority", "forbidden", "staff set the priority");
    }
    let description = input
        .description
        .as_deref()
        .map(|d| c.multiline("description", d, DESCRIPTION_MAX))
        .unwrap_or_default();
    if kind == Some(TicketKind::Repair) && description.trim().is_empty() {
        c.fail("description", "required", "describe the problem");
    }
    let tags = input
        .tags
        .as_deref()
        .map(|t| rules::tags(&mut c, "tags", t))
        .unwrap_or_default();
    let address = input.address.as_deref().map(|a| c.text("address", a, 300));
    let place = input
        .location
        .and_then(|(lat, lng)| c.point("location", lat, lng));
    if input.appointment_window.is_some() && input.appointment_date.is_none() {
        c.fail(
            "appointment_date",
            "required",
            "choose the day of the window",
        );
    }

    let conn = db.conn();
    let cust = match customer_id {
        Some(id) => customer::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    match (&cust, customer_id) {
        (None, Some(_)) => c.fail("customer_id", "unknown", "no such customer"),
        (Some(cu), _) if cu.erased_at.is_some() => {
            c.fail("customer_id", "erased", "this customer's data was erased")
        }
        (Some(cu), _) => {
            let status = CustomerStatus::parse(&cu.status).unwrap_or(CustomerStatus::Prospect);
            match kind {
                Some(TicketKind::Repair | TicketKind::Upgrade | TicketKind::Relocation)
                    if !status.still_served() || status == CustomerStatus::Prospect =>
                {
                    c.fail(
                        "customer_id",
                        "not_connected",
                        "this customer is not connected yet (create an installation)",
                    )
                }
                Some(TicketKind::Installation) if status != CustomerStatus::Prospect => c.fail(
                    "customer_id",
                    "connected",
                    "this customer is already connected",
                ),
                _ => {}
            }
        }
        _ => {}
    }
    let st = match (input.service_type_id, kind) {
        (Some(id), _) => service_type::Entity::find_by_id(id).one(conn).await?,
        (None, Some(k)) => {
            service_type::Entity::find()
                .filter(service_type::Column::Code.eq(k.as_str()))
                .one(conn)
                .await?
        }
        _ => None,
    };
    match &st {
        None if kind.is_some() => c.fail(
            "service_type_id",
            "unknown",
            "no such service type; choose one from the catalogue",
        ),
        Some(s) if !s.active => c.fail(
            "service_type_id",
            "inactive",
            "this service type is no longer offered",
        ),
        _ => {}
    }
    let category = match input.problem_category_id {
        Some(id) => {
            let found = problem_category::Entity::find_by_id(id).one(conn).await?;
            match &found {
                None => c.fail("problem_category_id", "unknown", "no such problem category"),
                Some(p) if !p.active => c.fail(
                    "problem_category_id",
                    "inactive",
                    "this category is no longer used",
                ),
                _ => {}
            }
            found
        }
        None => None,
    };
    if let Some(dup) = input.duplicate_of
        && ticket::Entity::find_by_id(dup).one(conn).await?.is_none()
    {
        c.fail("duplicate_of", "unknown", "no such ticket");
    }
    if let Some(p) = input.package_id {
        if kind != Some(TicketKind::Upgrade) {
            c.fail(
                "package_id",
                "forbidden",
                "only an upgrade changes the package",
            );
        } else {
            package_check(conn, &mut c, p, cust.as_ref().map(|x| x.package_id)).await?;
        }
    }
    let area = match &cust {
        Some(cu) => area::Entity::find_by_id(cu.area_id).one(conn).await?,
        None => None,
    };
    let calendar = match &area {
        Some(a) => Some(calendar_of(conn, a).await?),
        None => None,
    };
    let appointment_date = match (&input.appointment_date, &calendar) {
        (Some(d), Some(cal)) => appointment(&mut c, d, cal, now),
        _ => None,
    };
    if let (Some(d), Some(w), Some(cal)) = (&appointment_date, input.appointment_window, &calendar)
        && !window_open(d, w, cal.zone, now)
    {
        c.fail(
            "appointment_window",
            "window_past",
            "this window has already ended; choose a later one",
        );
    }
    c.finish()?;
    let (Some(kind), Some(cust), Some(st), Some(area)) = (kind, cust, st, area) else {
        return Err(conflict("the ticket could not be read"));
    };
    let priority = input.priority.unwrap_or_else(|| {
        rules::initial_priority(st.priority(), category.as_ref().map(|p| p.priority()))
    });
    let source = input.source.unwrap_or(if is_customer {
        TicketSource::Portal
    } else if who.role.is_none() {
        TicketSource::System
    } else {
        TicketSource::Phone
    });
    let targets = targets_for(conn, &st, priority).await?;
    let joins = if kind == TicketKind::Repair {
        outage_behind(conn, &cust).await?
    } else {
        None
    };
    let (lat, lng) = place.map_or((cust.lat, cust.lng), |p| (p.lat, p.lng));

    let txn = db.begin_write().await?;
    let year = now.with_timezone(&settings.zone).year();
    let number = next_number(&*txn, kind, year).await?;
    let mut t = blank(
        Opening {
            kind,
            number,
            service_type_id: st.id,
            priority,
            source,
            targets,
        },
        &cust,
        who,
        now,
    );
    if let Some(id) = input.id {
        t.id = id;
    }
    t.problem_category_id = category.as_ref().map(|p| p.id);
    if let Some(a) = address {
        t.address = a;
    }
    (t.lat, t.lng) = (lat, lng);
    t.description = description;
    t.appointment_date = appointment_date;
    t.appointment_window = input.appointment_window.map(|w| w.as_str().to_string());
    t.tags = json!(tags).to_string();
    t.duplicate_of = input.duplicate_of;
    t.package_id = input.package_id;
    book(&*txn, &t, &st, "appointment_window", settings.zone, now).await?;
    let t = insert_new(&*txn, who, t, &area, joins.as_ref(), now).await?;
    txn.commit().await?;
    Ok(t)
}

/// What a new ticket is, besides its customer.
struct Opening {
    kind: TicketKind,
    number: String,
    service_type_id: Uuid,
    priority: Priority,
    source: TicketSource,
    targets: Targets,
}

/// A new ticket for `cust`, at the customer's place and port, with nothing
/// done yet; its clocks are computed when it is written.
fn blank(o: Opening, cust: &customer::Model, who: &Person, now: DateTime<Utc>) -> ticket::Model {
    ticket::Model {
        id: Uuid::now_v7(),
        number: o.number,
        kind: o.kind.as_str().to_string(),
        status: TicketStatus::New.as_str().to_string(),
        is_open: true,
        before_pending: None,
        pending_reason: None,
        service_type_id: o.service_type_id,
        problem_category_id: None,
        priority: o.priority.as_str().to_string(),
        source: o.source.as_str().to_string(),
        customer_id: cust.id,
        area_id: cust.area_id,
        address: cust.address.clone(),
        lat: cust.lat,
        lng: cust.lng,
        odp_id: cust.odp_id,
        odp_port: cust.odp_port,
        description: String::new(),
        appointment_date: None,
        appointment_window: None,
        technician_id: None,
        tags: "[]".to_string(),
        duplicate_of: None,
        outage_id: None,
        response_minutes: o.targets.response.num_minutes() as i32,
        resolution_minutes: o.targets.resolution.num_minutes() as i32,
        clock_started_at: now,
        response_warn_at: None,
        response_due_at: None,
        resolution_warn_at: None,
        resolution_due_at: None,
        next_due_at: no_due(),
        sla_state: SlaState::OnTrack.as_str().to_string(),
        accepted_at: None,
        resolved_at: None,
        closed_at: None,
        remote_reason: None,
        visits: 0,
        cycle: 0,
        rating: None,
        rating_comment: String::new(),
        created_by: who.id,
        package_id: None,
        verified_at: None,
        verified_by: None,
        fee_paid_at: None,
        fee_reference: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

async fn next_number<C: ConnectionTrait>(
    db: &C,
    kind: TicketKind,
    year: i32,
) -> Result<String, DbErr> {
    let seq = counters::advance(db, &kind.counter(year), 1).await?;
    Ok(ticket_number(kind, year, seq))
}

/// Writes a new ticket in the caller's transaction: joined to `joins` (an
/// open outage) when given, its clocks computed, with its timeline, audit,
/// feed entry and the area supervisors' notifications.
async fn insert_new<C: ConnectionTrait>(
    txn: &C,
    who: &Person,
    mut t: ticket::Model,
    area: &area::Model,
    joins: Option<&outage::Model>,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    if let Some(o) = joins {
        t.outage_id = Some(o.id);
        t.status = TicketStatus::Pending.as_str().to_string();
        t.before_pending = Some(TicketStatus::New.as_str().to_string());
        t.pending_reason = Some("outage".to_string());
    }
    let inserted = t.clone().into_active_model().reset_all().insert(txn).await;
    if let Err(e) = inserted {
        if crate::error::classify(&e) == crate::error::DbFailure::Unique {
            return Err(conflict("a ticket with this id already exists"));
        }
        return Err(e.into());
    }
    if let Some(o) = joins
        && let Some(reason) = pause_reason(txn, "outage").await?
    {
        open_pause(txn, t.id, &reason, now).await?;
        timeline(
            txn,
            &t,
            &Person::system(),
            Entry {
                kind: "outage_joined",
                from: Some(TicketStatus::New),
                to: Some(TicketStatus::Pending),
                reason: o.title.clone(),
                data: json!({"outage_id": o.id, "outage_number": o.number}),
                public: true,
            },
            now,
        )
        .await?;
    }
    recompute(txn, &mut t, Some(area), now).await?;
    let t = t.into_active_model().reset_all().update(txn).await?;
    timeline(
        txn,
        &t,
        who,
        Entry {
            kind: "created",
            from: None,
            to: Some(TicketStatus::New),
            reason: String::new(),
            data: json!({"source": t.source, "priority": t.priority}),
            public: true,
        },
        now,
    )
    .await?;
    audit_ticket(
        txn,
        who,
        "ticket.create",
        t.id,
        None,
        Some(ticket_view(&t)),
        now,
    )
    .await?;
    announce(txn, &t, "ticket.created", true, now).await?;
    if TicketKind::parse(&t.kind) != Some(TicketKind::Dismantle) {
        outbox::to_customer(
            txn,
            outbox::ToCustomer {
                customer_id: t.customer_id,
                ticket: Some((t.id, &t.number)),
                event: MessageEvent::TicketReceived,
                vars: json!({}),
                key: format!("ticket:{}:received", t.id),
            },
            now,
        )
        .await?;
    }
    let watchers = watchers(txn, t.area_id, false).await?;
    notifications::notify(
        txn,
        &watchers,
        &note(
            "ticket_created",
            &t,
            json!({"kind": t.kind, "priority": t.priority}),
        ),
        now,
    )
    .await?;
    Ok(t)
}

/// The ticket a change to a customer opens, written in the change's
/// transaction: the installation of a customer just registered (by themself
/// or by CS, on the day and window they chose), or the dismantle of one
/// whose service ends.
pub async fn open_for<C: ConnectionTrait>(
    txn: &C,
    who: &Person,
    cust: &customer::Model,
    kind: TicketKind,
    source: TicketSource,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let st = service_type::Entity::find()
        .filter(service_type::Column::Code.eq(kind.as_str()))
        .one(txn)
        .await?
        .ok_or_else(|| {
            conflict(format!(
                "There is no {} service type; an admin must restore it.",
                kind.as_str()
            ))
        })?;
    let area = area::Entity::find_by_id(cust.area_id)
        .one(txn)
        .await?
        .ok_or_else(|| Error::NotFound("The customer's area is gone.".into()))?;
    let priority = st.priority();
    let targets = targets_for(txn, &st, priority).await?;
    let year = now.with_timezone(&zone).year();
    let number = next_number(txn, kind, year).await?;
    let installing = kind == TicketKind::Installation;
    let mut t = blank(
        Opening {
            kind,
            number,
            service_type_id: st.id,
            priority,
            source,
            targets,
        },
        cust,
        who,
        now,
    );
    if installing {
        t.description = cust.notes.clone();
        t.appointment_date = cust.preferred_date.clone();
        t.appointment_window = cust.preferred_window.clone();
        book(txn, &t, &st, "preferred_window", zone, now).await?;
    } else {
        t.description = "Layanan berhenti: ambil ONT, bebaskan port".to_string();
    }
    insert_new(txn, who, t, &area, None, now).await
}

/// Refuses a new ticket's day and window when the window has no room
/// (the problem is on `field`, as the caller's request names it).
async fn book<C: ConnectionTrait>(
    txn: &C,
    t: &ticket::Model,
    st: &service_type::Model,
    field: &str,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let (Some(day), Some(window)) = (
        t.appointment_date
            .as_deref()
            .and_then(crate::dispatching::date),
        t.appointment_window
            .as_deref()
            .and_then(InstallWindow::parse),
    ) else {
        return Ok(());
    };
    let booking = crate::dispatching::Booking {
        area_id: t.area_id,
        service_type: st,
        day,
        window,
        except: None,
    };
    crate::dispatching::ensure_room(txn, booking, field, zone, now).await
}

/// A ticket, if `scope` sees it.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    scope: &Scope,
) -> Result<Option<ticket::Model>, DbErr> {
    ticket::Entity::find_by_id(id)
        .filter(scope.condition())
        .one(db)
        .await
}

/// The order of a ticket list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TicketSort {
    /// The next due time first (SLA risk); paused and finished last.
    #[default]
    Due,
    /// Newest first.
    Newest,
    /// By number.
    Number,
}

/// What a ticket list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// The start of a ticket number (`TRB-2026-0001`), or text in the
    /// description.
    pub q: Option<String>,
    pub status: Vec<TicketStatus>,
    pub open: Option<bool>,
    pub kind: Option<TicketKind>,
    pub priority: Option<Priority>,
    pub sla_state: Option<SlaState>,
    pub area_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub technician_id: Option<Uuid>,
    pub unassigned: bool,
    pub outage_id: Option<Uuid>,
    pub sort: TicketSort,
}

/// A page of the tickets `scope` sees.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    f: &TicketFilter,
    page: &PageRequest,
) -> Result<Result<Page<ticket::Model>, PageError>, DbErr> {
    use ticket::Column as T;
    let mut select = ticket::Entity::find().filter(scope.condition());
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let upper = q.to_uppercase();
        if upper.len() >= 3 && ["INS", "TRB", "UPG", "REL", "DIS"].contains(&&upper[..3]) {
            select = select.filter(T::Number.starts_with(&upper));
        } else {
            select = select.filter(T::Description.contains(q));
        }
    }
    if !f.status.is_empty() {
        select = select.filter(T::Status.is_in(f.status.iter().map(|s| s.as_str())));
    }
    if let Some(open) = f.open {
        select = select.filter(T::IsOpen.eq(open));
    }
    if let Some(k) = f.kind {
        select = select.filter(T::Kind.eq(k.as_str()));
    }
    if let Some(p) = f.priority {
        select = select.filter(T::Priority.eq(p.as_str()));
    }
    if let Some(s) = f.sla_state {
        select = select.filter(T::SlaState.eq(s.as_str()));
    }
    if let Some(a) = f.area_id {
        select = select.filter(T::AreaId.eq(a));
    }
    if let Some(cu) = f.customer_id {
        select = select.filter(T::CustomerId.eq(cu));
    }
    if let Some(te) = f.technician_id {
        select = select.filter(T::TechnicianId.eq(te));
    }
    if f.unassigned {
        select = select.filter(T::TechnicianId.is_null());
    }
    if let Some(o) = f.outage_id {
        select = select.filter(T::OutageId.eq(o));
    }
    match f.sort {
        TicketSort::Due => {
            paginate_time(db, select, T::NextDueAt, T::Id, page, |m| {
                (m.next_due_at, m.id)
            })
            .await
        }
        TicketSort::Newest => {
            newest_created(db, select, T::CreatedAt, T::Id, page, |m| {
                (m.created_at, m.id)
            })
            .await
        }
        TicketSort::Number => Ok(Ok(crate::page::paginate(
            db,
            select,
            T::Number,
            T::Id,
            page,
            |m| (m.number.clone(), m.id),
        )
        .await?)),
    }
}

/// A ticket's timeline, oldest first; a customer sees only what is public.
pub async fn events<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
    public_only: bool,
) -> Result<Vec<ticket_event::Model>, DbErr> {
    let mut select =
        ticket_event::Entity::find().filter(ticket_event::Column::TicketId.eq(ticket_id));
    if public_only {
        select = select.filter(ticket_event::Column::Public.eq(true));
    }
    select
        .order_by_asc(ticket_event::Column::At)
        .order_by_asc(ticket_event::Column::Id)
        .limit(1000)
        .all(db)
        .await
}

/// A ticket's pauses, oldest first.
pub async fn pauses<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
) -> Result<Vec<ticket_pause::Model>, DbErr> {
    ticket_pause::Entity::find()
        .filter(ticket_pause::Column::TicketId.eq(ticket_id))
        .order_by_asc(ticket_pause::Column::StartedAt)
        .all(db)
        .await
}

/// A ticket's comments, oldest first; a customer sees only those not
/// internal.
pub async fn comments<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
    public_only: bool,
) -> Result<Vec<ticket_comment::Model>, DbErr> {
    let mut select =
        ticket_comment::Entity::find().filter(ticket_comment::Column::TicketId.eq(ticket_id));
    if public_only {
        select = select.filter(ticket_comment::Column::Internal.eq(false));
    }
    select
        .order_by_asc(ticket_comment::Column::CreatedAt)
        .order_by_asc(ticket_comment::Column::Id)
        .limit(1000)
        .all(db)
        .await
}

/// The facts a move depends on.
pub fn facts(t: &ticket::Model, settings: &Settings, now: DateTime<Utc>) -> TicketFacts {
    TicketFacts {
        kind: TicketKind::parse(&t.kind).unwrap_or(TicketKind::Repair),
        status: TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New),
        before_pending: t.before_pending.as_deref().and_then(TicketStatus::parse),
        has_technician: t.technician_id.is_some(),
        within_reopen_window: t
            .resolved_at
            .is_some_and(|r| now - r <= settings.reopen_window),
    }
}

/// The statuses `who` may move `t` to now.
pub fn allowed(
    t: &ticket::Model,
    who: &Person,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Vec<TicketStatus> {
    let mut targets =
        netcrew_domain::tickets::allowed_targets(&facts(t, settings, now), who.mover(t));
    if !booking_needs(t, settings).is_empty() {
        targets.retain(|s| *s != TicketStatus::Assigned);
    }
    targets
}

/// What keeps an installation from being booked with a technician. Once a
/// technician is booked (reassigning, or installations booked before
/// verification existed) nothing does: a verification cannot be withdrawn
/// then.
pub fn booking_needs(t: &ticket::Model, settings: &Settings) -> Vec<BookingNeed> {
    if t.technician_id.is_some() {
        return Vec::new();
    }
    netcrew_domain::identity::booking_needs(
        TicketKind::parse(&t.kind) == Some(TicketKind::Installation),
        t.verified_at.is_some(),
        t.fee_paid_at.is_some(),
        settings.fee_first,
    )
}

/// Loads a ticket for a write: visible, at the version the writer saw.
async fn load_for_write<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    scope: &Scope,
    version: i32,
) -> Result<ticket::Model, Error> {
    let t = find(db, id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    if t.version != version {
        return Err(Error::Stale(format!(
            "The ticket changed since you loaded it (now version {}); reload it and try again.",
            t.version
        )));
    }
    Ok(t)
}

/// A ticket at the version its writer read.
#[derive(Debug, Clone, Copy)]
pub struct Versioned {
    pub id: Uuid,
    pub version: i32,
}

/// What a change that is no move writes beside the ticket.
pub(crate) struct Stamp<'a> {
    /// The timeline entry.
    pub(crate) entry: Entry<'a>,
    /// The audit action, and what the audit entry keeps as "after".
    pub(crate) audit: (&'static str, Value),
}

/// A change to a ticket that is no move (a survey's outcome, verification,
/// the fee): `change` checks the ticket as read at `at` and changes it; the
/// ticket is written with its timeline, audit and feed entries in one
/// transaction.
pub(crate) async fn stamp(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    change: impl FnOnce(&mut ticket::Model) -> Result<Stamp<'static>, Error>,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let txn = db.begin_write().await?;
    let saved = stamp_in(&txn, who, scope, at, change, now).await?;
    txn.commit().await?;
    Ok(saved)
}

/// [`stamp`] inside a write transaction the caller commits.
pub(crate) async fn stamp_in(
    txn: &DatabaseTransaction,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    change: impl FnOnce(&mut ticket::Model) -> Result<Stamp<'static>, Error>,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let current = load_for_write(txn, at.id, scope, at.version).await?;
    let mut t = current.clone();
    let Stamp { entry, audit } = change(&mut t)?;
    t.version = current.version + 1;
    t.updated_at = now;
    let public = entry.public;
    let saved = t.into_active_model().reset_all().update(txn).await?;
    timeline(txn, &saved, who, entry, now).await?;
    audit_ticket(
        txn,
        who,
        audit.0,
        saved.id,
        Some(ticket_view(&current)),
        Some(audit.1),
        now,
    )
    .await?;
    announce(txn, &saved, "ticket.updated", public, now).await?;
    Ok(saved)
}

/// Moves a ticket to `req.to`, at the version read.
pub async fn transition(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    req: MoveRequest,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let txn = db.begin_write().await?;
    let t = transition_in(&txn, who, scope, at, req, settings, now).await?;
    txn.commit().await?;
    Ok(t)
}

/// [`transition`] inside a write transaction the caller commits.
pub(crate) async fn transition_in(
    txn: &DatabaseTransaction,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    req: MoveRequest,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let Some(to) = req.to else {
        return Err(
            Invalid::field("to", "required", "say which status the ticket moves to").into(),
        );
    };
    let current = load_for_write(txn, at.id, scope, at.version).await?;
    let f = facts(&current, settings, now);
    let mv =
        netcrew_domain::tickets::transition(to, &f, who.mover(&current)).map_err(|e| match e {
            MoveRefused::NotFromHere { status, .. } => Error::Refused {
                detail: format!(
                    "A {} ticket cannot move to {}.",
                    status.as_str(),
                    to.as_str()
                ),
                allowed: allowed(&current, who, settings, now)
                    .into_iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
            },
            MoveRefused::NotYours(m) => {
                Error::Forbidden(format!("Your role may not {m} this ticket."))
            }
        })?;
    let mut c = Checks::default();
    let reason = req
        .reason
        .as_deref()
        .map(|r| c.multiline("reason", r, REASON_MAX))
        .unwrap_or_default();
    if (matches!(mv, TicketMove::Cancel | TicketMove::Reopen)
        || (mv == TicketMove::Decline && who.role.is_some()))
        && reason.trim().is_empty()
    {
        c.fail("reason", "required", "say why");
    }
    let mut t = current.clone();
    let from = f.status;
    let mut data = json!({});
    let mut public = true;
    let mut pause_to_open = None;
    match mv {
        TicketMove::Assign => {
            let needs = booking_needs(&t, settings);
            if !needs.is_empty() {
                return Err(Error::NotReady {
                    detail: format!(
                        "This installation cannot be booked yet: {}.",
                        needs
                            .iter()
                            .map(|n| match n {
                                BookingNeed::Verification => "customer service has not verified it",
                                BookingNeed::Fee => "the fee or down payment is not marked paid",
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    missing: needs.iter().map(|n| n.as_str().to_string()).collect(),
                });
            }
            let tech = match req.technician_id {
                None => {
                    c.fail("technician_id", "required", "choose the technician");
                    None
                }
                Some(tid) => {
                    let u = user::Entity::find_by_id(tid).one(txn).await?;
                    match u {
                        Some(u) if u.role == Role::Technician.as_str() && u.active => Some(u),
                        _ => {
                            c.fail(
                                "technician_id",
                                "unknown",
                                "no active technician with this id",
                            );
                            None
                        }
                    }
                }
            };
            if let Some(u) = tech {
                data = json!({"technician_id": u.id, "technician_name": u.name, "previous": t.technician_id});
                t.technician_id = Some(u.id);
            }
        }
        TicketMove::Decline => {
            data = json!({"technician_id": t.technician_id});
            t.technician_id = None;
            t.accepted_at = None;
        }
        TicketMove::Accept => {
            if t.accepted_at.is_none() {
                t.accepted_at = Some(now);
            }
        }
        TicketMove::Arrive => {
            t.visits += 1;
            if let Some(p) = position_data(&mut c, &t, req.position) {
                data = json!({ "position": p });
            }
        }
        TicketMove::Pend => match req.pause_reason.as_deref() {
            None => c.fail("pause_reason", "required", "choose why the ticket waits"),
            Some(code) => match pause_reason(txn, code).await? {
                None => c.fail("pause_reason", "unknown", "no such pause reason"),
                Some(r) => {
                    t.before_pending = Some(from.as_str().to_string());
                    t.pending_reason = Some(r.code.clone());
                    data = json!({"pause_reason": r.code, "stops_clock": r.stops_clock});
                    pause_to_open = Some(r);
                }
            },
        },
        TicketMove::Resume => {
            t.before_pending = None;
            t.pending_reason = None;
        }
        TicketMove::Resolve => {
            if from != TicketStatus::OnSite {
                match req.remote_reason {
                    None => c.fail(
                        "remote_reason",
                        "required",
                        "say how the problem was settled without a visit",
                    ),
                    Some(r) => {
                        t.remote_reason = Some(r.as_str().to_string());
                        data = json!({"remote_reason": r.as_str()});
                    }
                }
            } else if let Some(port) = crate::jobs::gate(txn, &t, who).await? {
                // The port the technician actually used.
                t.odp_port = Some(port);
            }
            t.resolved_at = Some(now);
            t.before_pending = None;
            t.pending_reason = None;
        }
        TicketMove::Close => {
            t.closed_at = Some(now);
        }
        TicketMove::Reopen => {
            t.cycle += 1;
            t.clock_started_at = now;
            t.accepted_at = None;
            t.resolved_at = None;
            t.closed_at = None;
            t.remote_reason = None;
        }
        TicketMove::Cancel => {
            t.before_pending = None;
            t.pending_reason = None;
        }
        TicketMove::Depart => {
            if let Some(p) = position_data(&mut c, &t, req.position) {
                data = json!({ "position": p });
            }
        }
    }
    // The next visit agreed while the job waits becomes its appointment.
    let mut next_booking = None;
    if let Some(v) = &req.next_visit {
        if mv != TicketMove::Pend {
            c.fail(
                "next_visit",
                "other",
                "a next visit goes with putting the job on hold",
            );
        } else {
            let area = area::Entity::find_by_id(t.area_id)
                .one(txn)
                .await?
                .ok_or_else(|| Error::NotFound("The ticket's area is gone.".into()))?;
            let calendar = calendar_of(txn, &area).await?;
            if let Some(day) = appointment_at(&mut c, "next_visit.date", &v.date, &calendar, now) {
                if let Some(w) = v.window
                    && !window_open(&day, w, calendar.zone, now)
                {
                    c.fail(
                        "next_visit.window",
                        "window_past",
                        "this window has already ended; choose a later one",
                    );
                }
                data["next_visit"] = json!({"date": day, "window": v.window.map(|w| w.as_str())});
                t.appointment_date = Some(day);
                t.appointment_window = v.window.map(|w| w.as_str().to_string());
                next_booking = Some(calendar.zone);
            }
        }
    }
    c.finish()?;
    if let Some(zone) = next_booking
        && t.appointment_window.is_some()
    {
        let st = service_type::Entity::find_by_id(t.service_type_id)
            .one(txn)
            .await?
            .ok_or_else(|| Error::NotFound("The ticket's service type is gone.".into()))?;
        if let (Some(day), Some(window)) = (
            t.appointment_date
                .as_deref()
                .and_then(crate::dispatching::date),
            t.appointment_window
                .as_deref()
                .and_then(InstallWindow::parse),
        ) {
            let booking = crate::dispatching::Booking {
                area_id: t.area_id,
                service_type: &st,
                day,
                window,
                except: Some(t.id),
            };
            crate::dispatching::ensure_room(txn, booking, "next_visit.window", zone, now).await?;
        }
    }
    if (from == TicketStatus::Pending || matches!(mv, TicketMove::Resolve | TicketMove::Cancel))
        && let Some((why, lasted)) = close_pause(txn, t.id, now).await?
    {
        data["pause_reason"] = json!(why);
        data["paused_minutes"] = json!(lasted.num_minutes());
    }
    if let Some(r) = &pause_to_open {
        open_pause(txn, t.id, r, now).await?;
    }
    if mv == TicketMove::Resolve {
        complete(txn, &t, who, now).await?;
        if from == TicketStatus::OnSite {
            crate::jobs::install_recorded_ont(txn, &t, who, now).await?;
        }
    }
    t.status = to.as_str().to_string();
    t.version += 1;
    t.updated_at = now;
    recompute(txn, &mut t, None, now).await?;
    let t = t.into_active_model().reset_all().update(txn).await?;
    crate::dispatching::after_move(txn, &current, &t, mv, who, &reason, now).await?;
    if mv == TicketMove::Assign && who.role == Some(Role::Customer) {
        public = false;
    }
    // Why a technician gave a job back is the staff's business; the
    // customer sees the ticket waiting for a technician again.
    if mv == TicketMove::Decline {
        public = false;
    }
    timeline(
        txn,
        &t,
        who,
        Entry {
            kind: match mv {
                TicketMove::Assign => "assigned",
                TicketMove::Decline => "declined",
                _ => "moved",
            },
            from: Some(from),
            to: Some(to),
            reason: reason.clone(),
            data: data.clone(),
            public,
        },
        now,
    )
    .await?;
    audit_ticket(
        txn,
        who,
        "ticket.transition",
        t.id,
        Some(ticket_view(&current)),
        Some(ticket_view(&t)),
        now,
    )
    .await?;
    announce(txn, &t, "ticket.moved", true, now).await?;
    // A technician who no longer holds the ticket (declined, taken back,
    // given to someone else) hears of it too, so their list drops it.
    if let Some(before) = current.technician_id
        && t.technician_id != Some(before)
    {
        feed::publish(
            txn,
            "ticket.moved",
            Concerns {
                ticket_id: Some(t.id),
                outage_id: None,
                customer_id: None,
                technician_id: Some(before),
                area_id: None,
            },
            json!({
                "change": "ticket.moved", "ticket_id": t.id, "number": t.number,
                "status": t.status, "version": t.version, "technician_id": t.technician_id,
            }),
            now,
        )
        .await?;
    }
    // Who hears of it: the customer of every status change, the technician
    // of an assignment, the area's supervisors of what the field does.
    let status_note = note(
        "ticket_status",
        &t,
        json!({"from": from.as_str(), "to": to.as_str(), "by": who.name}),
    );
    if let Some(account) = customer_account(txn, t.customer_id).await?
        && who.customer_id != Some(t.customer_id)
    {
        notifications::notify(txn, &[account], &status_note, now).await?;
    }
    if mv == TicketMove::Assign
        && let Some(tech) = t.technician_id
    {
        notifications::notify(
            txn,
            &[tech],
            &note("ticket_assigned", &t, json!({"by": who.name})),
            now,
        )
        .await?;
    }
    if matches!(who.role, Some(Role::Technician | Role::Customer)) {
        let w = watchers(txn, t.area_id, false).await?;
        notifications::notify(txn, &w, &status_note, now).await?;
    }
    if who.customer_id != Some(t.customer_id)
        && let Some(event) = customer_event(to)
    {
        let vars = match event {
            MessageEvent::TechnicianAssigned => json!({
                "technician": data.get("technician_name"),
                "date": t.appointment_date, "window": t.appointment_window,
            }),
            MessageEvent::Pending => match &pause_to_open {
                Some(r) => json!({"reason": {"id": r.name_id, "en": r.name_en}}),
                None => json!({}),
            },
            MessageEvent::Cancelled => json!({"reason": reason}),
            // A link to follow the technician, until they arrive.
            MessageEvent::OnTheWay => {
                let token = crate::tracking::issue(txn, t.id, now).await?;
                json!({"link": format!(
                    "{}{}",
                    settings.public_url.trim_end_matches('/'),
                    crate::tracking::path(&token)
                )})
            }
            // Finished on site: the ticket in the portal, where its Berita
            // Acara is (made right after this move).
            MessageEvent::Resolved
                if from == TicketStatus::OnSite
                    && TicketKind::parse(&t.kind).is_some_and(crate::berita_acara::made_for) =>
            {
                json!({"link": format!(
                    "{}/account/tickets/{}",
                    settings.public_url.trim_end_matches('/'),
                    t.id
                )})
            }
            _ => json!({}),
        };
        outbox::to_customer(
            txn,
            outbox::ToCustomer {
                customer_id: t.customer_id,
                ticket: Some((t.id, &t.number)),
                event,
                vars,
                key: format!("ticket:{}:v{}:{}", t.id, t.version, event.as_str()),
            },
            now,
        )
        .await?;
    }
    Ok(t)
}

/// What the customer is told outside the app when their ticket reaches
/// `to`.
fn customer_event(to: TicketStatus) -> Option<MessageEvent> {
    Some(match to {
        TicketStatus::Assigned => MessageEvent::TechnicianAssigned,
        TicketStatus::EnRoute => MessageEvent::OnTheWay,
        TicketStatus::OnSite => MessageEvent::Arrived,
        TicketStatus::Pending => MessageEvent::Pending,
        TicketStatus::Resolved => MessageEvent::Resolved,
        TicketStatus::Cancelled => MessageEvent::Cancelled,
        _ => return None,
    })
}

/// Changes a ticket's details at `version`. The priority is the
/// supervisor's (with a reason); the place, appointment, description and
/// tags are staff's.
pub async fn update(
    db: &Db,
    who: &Person,
    scope: &Scope,
    id: Uuid,
    version: i32,
    change: TicketChange,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let txn = db.begin_write().await?;
    let current = load_for_write(&*txn, id, scope, version).await?;
    let status = TicketStatus::parse(&current.status).unwrap_or(TicketStatus::New);
    if !status.is_open() {
        return Err(conflict(format!(
            "A {} ticket cannot be changed; reopen it first.",
            status.as_str()
        )));
    }
    let mut c = Checks::default();
    let mut t = current.clone();
    let mut changed: Vec<&str> = Vec::new();
    let reason = change
        .reason
        .as_deref()
        .map(|r| c.multiline("reason", r, REASON_MAX))
        .unwrap_or_default();
    if let Some(p) = change.priority
        && p.as_str() != t.priority
    {
        if !matches!(who.role, Some(Role::Supervisor | Role::Admin)) {
            c.fail(
                "priority",
                "forbidden",
                "only a supervisor changes the priority",
            );
        } else if reason.trim().is_empty() {
            c.fail("reason", "required", "say why the priority changes");
        } else {
            t.priority = p.as_str().to_string();
            changed.push("priority");
        }
    }
    if let Some(d) = &change.description {
        t.description = c.multiline("description", d, DESCRIPTION_MAX);
        changed.push("description");
    }
    if let Some(a) = &change.address {
        t.address = c.text("address", a, 300);
        changed.push("address");
    }
    if let Some((lat, lng)) = change.location
        && let Some(p) = c.point("location", lat, lng)
    {
        t.lat = p.lat;
        t.lng = p.lng;
        changed.push("location");
    }
    if let Some(tags) = &change.tags {
        t.tags = json!(rules::tags(&mut c, "tags", tags)).to_string();
        changed.push("tags");
    }
    if let Some(dup) = change.duplicate_of {
        if let Some(d) = dup
            && (d == t.id || ticket::Entity::find_by_id(d).one(&*txn).await?.is_none())
        {
            c.fail("duplicate_of", "unknown", "no such other ticket");
        }
        t.duplicate_of = dup;
        changed.push("duplicate_of");
    }
    if let Some(pc) = change.problem_category_id {
        if let Some(id) = pc
            && problem_category::Entity::find_by_id(id)
                .one(&*txn)
                .await?
                .is_none()
        {
            c.fail("problem_category_id", "unknown", "no such problem category");
        }
        t.problem_category_id = pc;
        changed.push("problem_category_id");
    }
    if let Some(odp) = change.odp {
        if let Some((o, port)) = odp {
            match crate::entity::odp::Entity::find_by_id(o).one(&*txn).await? {
                None => c.fail("odp_id", "unknown", "no such ODP"),
                Some(x) if !(1..=x.port_count).contains(&port) => c.push(
                    FieldError::new("odp_port", "range", format!("ports 1 to {}", x.port_count))
                        .with("max", x.port_count),
                ),
                Some(_) => {
                    if let Some(holder) = port_holder(&*txn, o, port, t.customer_id).await? {
                        c.push(
                            FieldError::new(
                                "odp_port",
                                "taken",
                                format!("customer {holder} already has it"),
                            )
                            .with("customer_number", holder),
                        );
                    }
                }
            }
        }
        t.odp_id = odp.map(|x| x.0);
        t.odp_port = odp.map(|x| x.1);
        changed.push("odp");
    }
    if let Some(p) = change.package_id {
        if TicketKind::parse(&t.kind) != Some(TicketKind::Upgrade) {
            c.fail(
                "package_id",
                "forbidden",
                "only an upgrade changes the package",
            );
        } else {
            let current_package: Option<Uuid> = customer::Entity::find_by_id(t.customer_id)
                .select_only()
                .column(customer::Column::PackageId)
                .into_tuple()
                .one(&*txn)
                .await?;
            package_check(&*txn, &mut c, p, current_package).await?;
        }
        t.package_id = Some(p);
        changed.push("package_id");
    }
    let area = area::Entity::find_by_id(t.area_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("The ticket's area is gone.".into()))?;
    let calendar = calendar_of(&*txn, &area).await?;
    if let Some(d) = &change.appointment_date {
        t.appointment_date = match d {
            Some(d) => appointment(&mut c, d, &calendar, now),
            None => None,
        };
        changed.push("appointment_date");
    }
    if let Some(w) = change.appointment_window {
        t.appointment_window = w.map(|w| w.as_str().to_string());
        changed.push("appointment_window");
    }
    if t.appointment_window.is_some() && t.appointment_date.is_none() && !c.has("appointment_date")
    {
        c.fail(
            "appointment_date",
            "required",
            "choose the day of the window",
        );
    }
    if let (Some(d), Some(w)) = (
        &t.appointment_date,
        t.appointment_window
            .as_deref()
            .and_then(InstallWindow::parse),
    ) && (change.appointment_date.is_some() || change.appointment_window.is_some())
        && !window_open(d, w, calendar.zone, now)
    {
        c.fail(
            "appointment_window",
            "window_past",
            "this window has already ended; choose a later one",
        );
    }
    c.finish()?;
    if changed.is_empty() {
        return Ok(current);
    }
    let moved = t.appointment_date != current.appointment_date
        || t.appointment_window != current.appointment_window;
    if let (true, true, Some(day), Some(window)) = (
        moved,
        t.is_open,
        t.appointment_date
            .as_deref()
            .and_then(crate::dispatching::date),
        t.appointment_window
            .as_deref()
            .and_then(InstallWindow::parse),
    ) {
        let st = service_type::Entity::find_by_id(t.service_type_id)
            .one(&*txn)
            .await?
            .ok_or_else(|| Error::NotFound("The ticket's service type is gone.".into()))?;
        let booking = crate::dispatching::Booking {
            area_id: t.area_id,
            service_type: &st,
            day,
            window,
            except: Some(t.id),
        };
        crate::dispatching::ensure_room(&*txn, booking, "appointment_window", calendar.zone, now)
            .await?;
    }
    if changed.contains(&"priority") {
        let st = service_type::Entity::find_by_id(t.service_type_id)
            .one(&*txn)
            .await?
            .ok_or_else(|| Error::NotFound("The ticket's service type is gone.".into()))?;
        let p = t.priority.parse().unwrap_or(Priority::Normal);
        let targets = targets_for(&*txn, &st, p).await?;
        t.response_minutes = targets.response.num_minutes() as i32;
        t.resolution_minutes = targets.resolution.num_minutes() as i32;
    }
    t.version += 1;
    t.updated_at = now;
    recompute(&*txn, &mut t, Some(&area), now).await?;
    let t = t.into_active_model().reset_all().update(&*txn).await?;
    let public = !(changed.len() == 1 && changed[0] == "tags");
    timeline(
        &*txn,
        &t,
        who,
        Entry {
            kind: if changed.contains(&"priority") {
                "priority"
            } else {
                "updated"
            },
            from: None,
            to: None,
            reason,
            data: json!({
                "fields": changed, "priority": {"from": current.priority, "to": t.priority},
                "appointment_date": t.appointment_date, "appointment_window": t.appointment_window,
            }),
            public,
        },
        now,
    )
    .await?;
    audit_ticket(
        &*txn,
        who,
        "ticket.update",
        t.id,
        Some(ticket_view(&current)),
        Some(ticket_view(&t)),
        now,
    )
    .await?;
    announce(&*txn, &t, "ticket.updated", public, now).await?;
    txn.commit().await?;
    Ok(t)
}

/// Adds a comment. Customers' comments are never internal; nobody comments
/// on a closed or cancelled ticket.
pub async fn comment(
    db: &Db,
    who: &Person,
    scope: &Scope,
    id: Uuid,
    body: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<ticket_comment::Model, Error> {
    let mut c = Checks::default();
    let body = c.multiline("body", body, COMMENT_MAX);
    if body.trim().is_empty() {
        c.fail("body", "required", "write the comment");
    }
    if internal && (who.role == Some(Role::Customer)) {
        c.fail(
            "internal",
            "forbidden",
            "customers' comments are seen by staff and themselves",
        );
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let mut t = find(&*txn, id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    if matches!(status, TicketStatus::Closed | TicketStatus::Cancelled) {
        return Err(conflict(format!(
            "A {} ticket takes no more comments.",
            status.as_str()
        )));
    }
    let saved = ticket_comment::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(t.id),
        author_id: Set(who.id),
        author_name: Set(who.name.clone()),
        author_role: Set(who.role_name().to_string()),
        body: Set(body.clone()),
        internal: Set(internal),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    // A comment changes what the ticket page shows: its version moves on.
    let mut am = t.clone().into_active_model();
    t.version += 1;
    am.version = Set(t.version);
    am.updated_at = Set(now);
    let t = am.update(&*txn).await?;
    timeline(
        &*txn,
        &t,
        who,
        Entry {
            kind: "comment",
            from: None,
            to: None,
            reason: String::new(),
            data: json!({"comment_id": saved.id, "internal": internal}),
            public: !internal,
        },
        now,
    )
    .await?;
    announce(&*txn, &t, "ticket.comment", !internal, now).await?;
    let mut to: Vec<Uuid> = Vec::new();
    if let Some(tech) = t.technician_id
        && Some(tech) != who.id
    {
        to.push(tech);
    }
    if !internal
        && who.customer_id != Some(t.customer_id)
        && let Some(account) = customer_account(&*txn, t.customer_id).await?
    {
        to.push(account);
    }
    if who.role == Some(Role::Customer) {
        to.extend(watchers(&*txn, t.area_id, false).await?);
    }
    notifications::notify(
        &*txn,
        &to,
        &note(
            "ticket_comment",
            &t,
            json!({"by": who.name, "internal": internal}),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The customer rates a resolved visit, once: 1 to 5 stars and a comment.
pub async fn rate(
    db: &Db,
    who: &Person,
    scope: &Scope,
    id: Uuid,
    stars: i32,
    remark: &str,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let mut c = Checks::default();
    c.take(rules::rating("rating", stars));
    let remark = c.multiline("comment", remark, COMMENT_MAX);
    c.finish()?;
    let txn = db.begin_write().await?;
    let current = find(&*txn, id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    if who.customer_id != Some(current.customer_id) {
        return Err(Error::Forbidden(
            "Only the customer rates their visit.".into(),
        ));
    }
    let status = TicketStatus::parse(&current.status).unwrap_or(TicketStatus::New);
    if !matches!(status, TicketStatus::Resolved | TicketStatus::Closed) {
        return Err(conflict("A ticket is rated once it is resolved."));
    }
    if current.rating.is_some() {
        return Err(conflict("This visit has already been rated."));
    }
    let mut am = current.clone().into_active_model();
    am.rating = Set(Some(stars));
    am.rating_comment = Set(remark.clone());
    am.version = Set(current.version + 1);
    am.updated_at = Set(now);
    let t = am.update(&*txn).await?;
    timeline(
        &*txn,
        &t,
        who,
        Entry {
            kind: "rated",
            from: None,
            to: None,
            reason: remark,
            data: json!({"rating": stars}),
            public: true,
        },
        now,
    )
    .await?;
    announce(&*txn, &t, "ticket.rated", true, now).await?;
    let mut to = watchers(&*txn, t.area_id, false).await?;
    to.extend(t.technician_id);
    notifications::notify(
        &*txn,
        &to,
        &note("ticket_rated", &t, json!({"rating": stars})),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}

/// The names a ticket list shows beside the ids: customers (number, name,
/// phone) and technicians (name).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub customers: std::collections::HashMap<Uuid, (String, String, String)>,
    pub people: std::collections::HashMap<Uuid, String>,
    /// The crew members of each ticket that has a crew.
    pub crews: std::collections::HashMap<Uuid, Vec<Uuid>>,
}

/// The names of the customers and technicians of `tickets`, in two queries.
pub async fn names<C: ConnectionTrait>(db: &C, tickets: &[ticket::Model]) -> Result<Names, DbErr> {
    let mut customer_ids: Vec<Uuid> = tickets.iter().map(|t| t.customer_id).collect();
    customer_ids.sort();
    customer_ids.dedup();
    let crew_rows: Vec<(Uuid, Uuid)> = ticket_crew::Entity::find()
        .select_only()
        .column(ticket_crew::Column::TicketId)
        .column(ticket_crew::Column::UserId)
        .filter(ticket_crew::Column::TicketId.is_in(tickets.iter().map(|t| t.id)))
        .order_by_asc(ticket_crew::Column::AddedAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut crews: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
    for (t, u) in &crew_rows {
        crews.entry(*t).or_default().push(*u);
    }
    let mut people: Vec<Uuid> = tickets
        .iter()
        .filter_map(|t| t.technician_id)
        .chain(crew_rows.iter().map(|r| r.1))
        .collect();
    people.sort();
    people.dedup();
    let rows: Vec<(Uuid, String, String, String)> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .column(customer::Column::CustomerNumber)
        .column(customer::Column::Name)
        .column(customer::Column::Phone)
        .filter(customer::Column::Id.is_in(customer_ids))
        .into_tuple()
        .all(db)
        .await?;
    let users: Vec<(Uuid, String)> = if people.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .filter(user::Column::Id.is_in(people))
            .into_tuple()
            .all(db)
            .await?
    };
    Ok(Names {
        customers: rows
            .into_iter()
            .map(|(id, n, name, phone)| (id, (n, name, phone)))
            .collect(),
        people: users.into_iter().collect(),
        crews,
    })
}

/// The customer number of whoever else holds port `port` of `odp`.
async fn port_holder<C: ConnectionTrait>(
    db: &C,
    odp: Uuid,
    port: i32,
    me: Uuid,
) -> Result<Option<String>, DbErr> {
    customer::Entity::find()
        .select_only()
        .column(customer::Column::CustomerNumber)
        .filter(customer::Column::OdpId.eq(odp))
        .filter(customer::Column::OdpPort.eq(port))
        .filter(customer::Column::Id.ne(me))
        .into_tuple()
        .one(db)
        .await
}

/// Checks the package an upgrade moves to: on sale, and another one.
async fn package_check<C: ConnectionTrait>(
    db: &C,
    c: &mut Checks,
    package: Uuid,
    current: Option<Uuid>,
) -> Result<(), DbErr> {
    match crate::entity::package::Entity::find_by_id(package)
        .one(db)
        .await?
    {
        None => c.fail("package_id", "unknown", "no such package"),
        Some(p) if !p.active => c.fail(
            "package_id",
            "inactive",
            "this package is no longer on sale",
        ),
        Some(p) if Some(p.id) == current => c.fail(
            "package_id",
            "same",
            "the customer already has this package",
        ),
        Some(_) => {}
    }
    Ok(())
}

/// What a job changes about the customer when it is done: an installation
/// connects them (on the ticket's port, if one was set), an upgrade moves
/// them to the new package, a relocation to the new place and port, a
/// dismantle frees the port and ends the service. Written with the move,
/// audited as a change to the customer.
async fn complete<C: ConnectionTrait>(
    txn: &C,
    t: &ticket::Model,
    who: &Person,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let kind = TicketKind::parse(&t.kind).unwrap_or(TicketKind::Repair);
    if kind == TicketKind::Repair {
        return Ok(());
    }
    let Some(cust) = customer::Entity::find_by_id(t.customer_id).one(txn).await? else {
        return Ok(());
    };
    let mut c = cust.clone();
    let status = cust.status();
    match kind {
        TicketKind::Installation => {
            if status == CustomerStatus::Prospect {
                c.status = CustomerStatus::Active.as_str().to_string();
            }
            if t.odp_id.is_some() && t.odp_port.is_some() {
                c.odp_id = t.odp_id;
                c.odp_port = t.odp_port;
            }
            c.preferred_date = None;
            c.preferred_window = None;
        }
        TicketKind::Upgrade => {
            let Some(p) = t.package_id else {
                return Err(conflict(
                    "Choose the package the customer moves to (on the ticket) before resolving the upgrade.",
                ));
            };
            c.package_id = p;
        }
        TicketKind::Relocation => {
            c.address = t.address.clone();
            c.lat = t.lat;
            c.lng = t.lng;
            if t.odp_id.is_some() && t.odp_port.is_some() {
                c.odp_id = t.odp_id;
                c.odp_port = t.odp_port;
            }
        }
        TicketKind::Dismantle => {
            c.odp_id = None;
            c.odp_port = None;
            if status.still_served() {
                c.status = CustomerStatus::Terminated.as_str().to_string();
            }
        }
        TicketKind::Repair => {}
    }
    if c == cust {
        return Ok(());
    }
    if let (Some(o), Some(p)) = (c.odp_id, c.odp_port)
        && (c.odp_id, c.odp_port) != (cust.odp_id, cust.odp_port)
        && let Some(holder) = port_holder(txn, o, p, c.id).await?
    {
        return Err(conflict(format!(
            "Port {p} of that ODP is taken by customer {holder} now; choose another port on the ticket."
        )));
    }
    c.updated_at = now;
    let saved = c.into_active_model().reset_all().update(txn).await?;
    audit_log::audit(
        txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "customer.update",
            entity: "customer",
            entity_id: Some(saved.id.to_string()),
            before: Some(crate::customers::audit_view(&cust)),
            after: Some(crate::customers::audit_view(&saved)),
        },
        now,
    )
    .await?;
    Ok(())
}
