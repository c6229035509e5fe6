//! A job's documentation: the entries of its checklist as the technician
//! records them, kept as an append-only log whose every row carries the hash
//! of the one before (a later change to any row breaks the chain and shows),
//! the supervisor's exception for a weak optical reading, the ISP's healthy
//! band, and the gate that keeps a job from completion until its required
//! entries are there.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use netcrew_domain::{
    FieldError, Invalid, Role,
    tickets::{
        TicketKind, TicketStatus,
        checklist::{self, Entry, OpticalBand, Signal},
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::OnConflict,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{
        asset, customer, job_record, odp, setting, stock_location, ticket, ticket_attachment, user,
    },
    notifications::{self, Note},
    tickets::Person,
};

/// The entry a supervisor's exception for a weak reading is kept under.
pub const EXCEPTION: &str = "rx_power_exception";

const BAND_KEY: &str = "optical_band";

/// The ISP's healthy band of optical receive power (the built-in one until
/// an admin sets it).
pub async fn band<C: ConnectionTrait>(db: &C) -> Result<OpticalBand, DbErr> {
    Ok(setting::Entity::find_by_id(BAND_KEY)
        .one(db)
        .await?
        .and_then(|s| serde_json::from_str(&s.value).ok())
        .unwrap_or_default())
}

/// Sets the healthy band.
pub async fn set_band(
    db: &Db,
    who: &Person,
    band: OpticalBand,
    now: DateTime<Utc>,
) -> Result<OpticalBand, Error> {
    let band = band.check()?;
    let txn = db.begin_write().await?;
    let before = self::band(&*txn).await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(BAND_KEY.to_string()),
        value: Set(json!(band).to_string()),
        updated_by: Set(who.id),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([
                setting::Column::Value,
                setting::Column::UpdatedBy,
                setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    crate::audit_log::audit(
        &*txn,
        crate::audit_log::Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "job_settings.update",
            entity: "setting",
            entity_id: Some(BAND_KEY.to_string()),
            before: Some(json!(before)),
            after: Some(json!(band)),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(band)
}

/// One entry's current value.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub value: Value,
    pub by: Option<Uuid>,
    pub by_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// A job's documentation as it stands.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub kind: TicketKind,
    pub values: HashMap<String, Recorded>,
    pub band: OpticalBand,
    /// The optical reading judged against the band.
    pub signal: Option<Signal>,
    /// The supervisor's exception: the reading it is for, why, who.
    pub exception: Option<Recorded>,
    /// What keeps the job from completion.
    pub missing: Vec<String>,
    /// Whether the log's hash chain holds (false: a row was changed after
    /// it was written).
    pub intact: bool,
    /// The hash of the last row (what the next one will name).
    pub head: String,
}

fn chain(prev: &str, r: &job_record::Model) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(r.ticket_id.as_bytes());
    h.update(r.entry.as_bytes());
    h.update(b"\n");
    h.update(r.value.as_bytes());
    h.update(b"\n");
    h.update(r.recorded_by.map(|u| u.to_string()).unwrap_or_default());
    h.update(b"\n");
    h.update(r.recorded_at.to_rfc3339().as_bytes());
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn kind_of(t: &ticket::Model) -> TicketKind {
    TicketKind::parse(&t.kind).unwrap_or(TicketKind::Repair)
}

/// The documentation of ticket `t`.
pub async fn sheet<C: ConnectionTrait>(db: &C, t: &ticket::Model) -> Result<Sheet, DbErr> {
    let rows = job_record::Entity::find()
        .filter(job_record::Column::TicketId.eq(t.id))
        .order_by_asc(job_record::Column::Id)
        .all(db)
        .await?;
    let mut head = String::new();
    let mut intact = true;
    let mut values: HashMap<String, Recorded> = HashMap::new();
    let people: Vec<Uuid> = rows.iter().filter_map(|r| r.recorded_by).collect();
    let names: HashMap<Uuid, String> = if people.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(people))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    for r in &rows {
        if r.prev_hash != head || chain(&head, r) != r.hash {
            intact = false;
        }
        head = r.hash.clone();
        let value: Value = serde_json::from_str(&r.value).unwrap_or(Value::Null);
        let recorded = Recorded {
            value,
            by: r.recorded_by,
            by_name: r.recorded_by.and_then(|u| names.get(&u).cloned()),
            at: r.recorded_at,
        };
        if recorded.value.is_null() {
            values.remove(&r.entry);
        } else {
            values.insert(r.entry.clone(), recorded);
        }
    }
    let kind = kind_of(t);
    let band = band(db).await?;
    let exception = values.remove(EXCEPTION);
    let signal = values
        .get("rx_power")
        .and_then(|r| r.value.get("dbm"))
        .and_then(Value::as_f64)
        .map(|d| band.judge(d));
    let plain: HashMap<String, Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
    let missing = checklist::missing(
        kind,
        &plain,
        band,
        exception
            .as_ref()
            .and_then(|e| e.value.get("dbm"))
            .and_then(Value::as_f64),
    );
    Ok(Sheet {
        kind,
        values,
        band,
        signal,
        exception,
        missing,
        intact,
        head,
    })
}

async fn append<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    head: &str,
    entry: &str,
    value: &Value,
    who: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = job_record::Model {
        id: Uuid::now_v7(),
        ticket_id: t.id,
        entry: entry.to_string(),
        value: value.to_string(),
        recorded_by: who,
        // Stored to the microsecond on both databases: the hash is of what
        // is read back.
        recorded_at: DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now),
        prev_hash: head.to_string(),
        hash: String::new(),
    };
    row.hash = chain(head, &row);
    job_record::ActiveModel {
        id: Set(row.id),
        ticket_id: Set(row.ticket_id),
        entry: Set(row.entry),
        value: Set(row.value),
        recorded_by: Set(row.recorded_by),
        recorded_at: Set(row.recorded_at),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn refuse(field: &str, code: &str, detail: impl Into<String>) -> Error {
    Invalid::one(FieldError::new(field, code, detail)).into()
}

fn may_document(t: &ticket::Model) -> Result<(), Error> {
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    match status {
        TicketStatus::Accepted
        | TicketStatus::EnRoute
        | TicketStatus::OnSite
        | TicketStatus::Pending
        | TicketStatus::Reopened => Ok(()),
        _ => Err(Error::Conflict(format!(
            "A job is documented once it is accepted and until it is resolved; this one is {}.",
            status.as_str()
        ))),
    }
}

/// Checks what an entry names outside itself: the port is free on the
/// ticket's ODP, the ONT is not installed at another customer's, photos
/// and signatures are images of this ticket.
async fn check_refs<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    entry: Entry,
    checked: &checklist::Checked,
) -> Result<(), Error> {
    use netcrew_domain::tickets::checklist::EntryKind;
    match entry.kind {
        EntryKind::OdpPort => {
            let port = checked.value["port"].as_i64().unwrap_or_default() as i32;
            let Some(odp_id) = t.odp_id else {
                return Err(refuse(
                    "value.port",
                    "required",
                    "the ticket has no ODP: choose it on the ticket first",
                ));
            };
            let Some(o) = odp::Entity::find_by_id(odp_id).one(db).await? else {
                return Err(refuse("value.port", "unknown", "the ticket's ODP is gone"));
            };
            if port > o.port_count {
                return Err(Invalid::one(
                    FieldError::new(
                        "value.port",
                        "range",
                        format!("{} has ports 1 to {}", o.code, o.port_count),
                    )
                    .with("min", 1)
                    .with("max", o.port_count),
                )
                .into());
            }
            let holder: Option<String> = customer::Entity::find()
                .filter(customer::Column::OdpId.eq(odp_id))
                .filter(customer::Column::OdpPort.eq(port))
                .filter(customer::Column::Id.ne(t.customer_id))
                .one(db)
                .await?
                .map(|c| c.customer_number);
            if let Some(h) = holder {
                return Err(Invalid::one(
                    FieldError::new(
                        "value.port",
                        "port_taken",
                        format!("port {port} of {} is in use by {h}", o.code),
                    )
                    .with("customer_number", h)
                    .with("port", port)
                    .with("odp", o.code.clone()),
                )
                .into());
            }
        }
        EntryKind::OntSerial if kind_of(t) != TicketKind::Dismantle => {
            let serial = checked.value["serial"].as_str().unwrap_or_default();
            if let Some(a) = asset::Entity::find()
                .filter(asset::Column::Serial.eq(serial))
                .one(db)
                .await?
                && let Some(place) = stock_location::Entity::find_by_id(a.location_id)
                    .one(db)
                    .await?
                && place.customer_id.is_some_and(|c| c != t.customer_id)
            {
                return Err(refuse(
                    "value.serial",
                    "other_customer",
                    format!("{serial} is installed at {}", place.name),
                ));
            }
        }
        _ => {}
    }
    for (i, id) in checked.attachments.iter().enumerate() {
        let a = ticket_attachment::Entity::find_by_id(*id).one(db).await?;
        let field = if entry.kind == EntryKind::Signature {
            "value.attachment_id".to_string()
        } else {
            format!("value.attachment_ids[{i}]")
        };
        match a {
            Some(a) if a.ticket_id == t.id && a.removed_at.is_none() => {
                if !a.content_type.starts_with("image/") {
                    return Err(refuse(
                        &field,
                        "format",
                        format!("{} is not a photo", a.file_name),
                    ));
                }
            }
            _ => {
                return Err(refuse(&field, "unknown", "no such photo on this ticket"));
            }
        }
    }
    Ok(())
}

/// A photo entry's value with the hash of each photo's bytes, so that the
/// chain covers what the photos show.
async fn with_hashes<C: ConnectionTrait>(
    db: &C,
    checked: checklist::Checked,
) -> Result<Value, DbErr> {
    if checked.attachments.is_empty() {
        return Ok(checked.value);
    }
    let rows = ticket_attachment::Entity::find()
        .filter(ticket_attachment::Column::Id.is_in(checked.attachments.clone()))
        .all(db)
        .await?;
    let hashes: Vec<Value> = checked
        .attachments
        .iter()
        .map(|id| {
            rows.iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.sha256.clone())
                .map_or(Value::Null, Value::String)
        })
        .collect();
    let mut value = checked.value;
    value["sha256"] = Value::Array(hashes);
    Ok(value)
}

/// Records one entry of ticket `t`'s checklist (`None`: takes it back).
/// The same value again changes nothing, so a replayed queue is harmless.
pub async fn record(
    db: &Db,
    who: &Person,
    ticket_id: Uuid,
    key: &str,
    value: Option<&Value>,
    now: DateTime<Utc>,
) -> Result<Sheet, Error> {
    let txn = db.begin_write().await?;
    let t = ticket::Entity::find_by_id(ticket_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    let kind = kind_of(&t);
    let Some(entry) = checklist::entry_of(kind, key) else {
        return Err(Error::NotFound(format!(
            "A {} has no checklist entry {key:?}.",
            kind.as_str()
        )));
    };
    may_document(&t)?;
    let current = sheet(&*txn, &t).await?;
    let stored = match value {
        Some(v) => {
            let checked = checklist::check(entry, v)?;
            check_refs(&*txn, &t, entry, &checked).await?;
            with_hashes(&*txn, checked).await?
        }
        None => Value::Null,
    };
    let same = match current.values.get(key) {
        Some(r) => r.value == stored,
        None => stored.is_null(),
    };
    if !same {
        append(&*txn, &t, &current.head, key, &stored, who.id, now).await?;
    }
    let after = sheet(&*txn, &t).await?;
    txn.commit().await?;
    Ok(after)
}

/// A supervisor's exception for the weak reading recorded now (a later,
/// different reading needs its own).
pub async fn approve_exception(
    db: &Db,
    who: &Person,
    ticket_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Sheet, Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refuse(
            "reason",
            "required",
            "say why the weak reading is accepted",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(refuse("reason", "length", "at most 500 characters"));
    }
    let txn = db.begin_write().await?;
    let t = ticket::Entity::find_by_id(ticket_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    may_document(&t)?;
    let current = sheet(&*txn, &t).await?;
    let Some(dbm) = current
        .values
        .get("rx_power")
        .and_then(|r| r.value.get("dbm"))
        .and_then(Value::as_f64)
    else {
        return Err(Error::Conflict(
            "No optical reading is recorded on this job yet.".to_string(),
        ));
    };
    if current.signal != Some(Signal::Weak) {
        return Err(Error::Conflict(format!(
            "{dbm} dBm is within the healthy band: no exception is needed."
        )));
    }
    let value = json!({"dbm": dbm, "reason": reason});
    append(&*txn, &t, &current.head, EXCEPTION, &value, who.id, now).await?;
    if let Some(tech) = t.technician_id {
        notifications::notify(
            &*txn,
            &[tech],
            &Note {
                kind: "rx_power_exception",
                ticket: Some((t.id, t.number.clone())),
                outage_id: None,
                data: json!({"dbm": dbm, "reason": reason, "by": who.name}),
            },
            now,
        )
        .await?;
    }
    let after = sheet(&*txn, &t).await?;
    txn.commit().await?;
    Ok(after)
}

/// The gate before a job done on site is resolved: every required entry
/// is there and the reading is healthy or excepted. Answers the ODP port
/// recorded (the one actually used), which the completion applies.
pub(crate) async fn gate<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    who: &Person,
) -> Result<Option<i32>, Error> {
    // NetCrew itself (an outage's repair) does not document visits.
    if who.id.is_none() && who.role.is_none() {
        return Ok(None);
    }
    if who.role == Some(Role::Customer) {
        return Ok(None);
    }
    let s = sheet(db, t).await?;
    if !s.missing.is_empty() {
        return Err(Error::NotReady {
            detail: format!(
                "The job's documentation is not complete: {}.",
                s.missing.join(", ")
            ),
            missing: s.missing,
        });
    }
    Ok(s.values
        .get("odp_port")
        .and_then(|r| r.value.get("port"))
        .and_then(Value::as_i64)
        .map(|p| p as i32))
}

/// One job of a technician's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayJob {
    pub ticket_id: Uuid,
    pub number: String,
    pub arrived_at: DateTime<Utc>,
    /// When the technician left the site (resolved, pending, ...);
    /// `None`: still there.
    pub left_at: Option<DateTime<Utc>>,
    /// The status the visit ended in.
    pub outcome: Option<String>,
    /// Straight-line metres from the previous arrival of the day (the
    /// first: from where the technician checked in, if the phone said).
    pub from_previous_m: Option<f64>,
}

/// A technician's day: the sites they arrived at, how long they stayed,
/// the jobs they resolved and the straight-line distance between the
/// arrivals (the app sends the phone's position with each arrival).
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub jobs: Vec<DayJob>,
    pub resolved: usize,
    pub on_site_minutes: i64,
    pub distance_m: f64,
}

/// The day `[from, to)` of technician `who`; the distance starts at
/// `start` (where they checked in) when there is one.
pub async fn day<C: ConnectionTrait>(
    db: &C,
    who: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    start: Option<netcrew_domain::GeoPoint>,
    now: DateTime<Utc>,
) -> Result<Day, DbErr> {
    use crate::entity::ticket_event;
    let events = ticket_event::Entity::find()
        .filter(ticket_event::Column::ActorId.eq(who))
        .filter(ticket_event::Column::At.gte(from))
        .filter(ticket_event::Column::At.lt(to))
        .filter(ticket_event::Column::ToStatus.is_not_null())
        .order_by_asc(ticket_event::Column::At)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = events.iter().map(|e| e.ticket_id).collect();
    let numbers: HashMap<Uuid, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.number))
            .collect()
    };
    let mut jobs: Vec<DayJob> = Vec::new();
    let mut last_point: Option<netcrew_domain::GeoPoint> = start;
    let mut resolved = 0;
    for e in &events {
        let to_status = e.to_status.as_deref().unwrap_or_default();
        if to_status == "resolved" {
            resolved += 1;
        }
        if e.from_status.as_deref() == Some("on_site")
            && let Some(open) = jobs
                .iter_mut()
                .rev()
                .find(|j| j.ticket_id == e.ticket_id && j.left_at.is_none())
        {
            open.left_at = Some(e.at);
            open.outcome = Some(to_status.to_string());
        }
        if to_status == "on_site" {
            let data: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
            let point = data
                .get("position")
                .and_then(|p| Some((p.get("lat")?.as_f64()?, p.get("lng")?.as_f64()?)))
                .and_then(|(lat, lng)| netcrew_domain::GeoPoint::new(lat, lng).ok());
            let from_previous_m = match (last_point, point) {
                (Some(a), Some(b)) => Some(a.distance_m(&b).round()),
                _ => None,
            };
            if point.is_some() {
                last_point = point;
            }
            jobs.push(DayJob {
                ticket_id: e.ticket_id,
                number: numbers.get(&e.ticket_id).cloned().unwrap_or_default(),
                arrived_at: e.at,
                left_at: None,
                outcome: None,
                from_previous_m,
            });
        }
    }
    let on_site_minutes = jobs
        .iter()
        .map(|j| {
            (j.left_at.unwrap_or(now.min(to)) - j.arrived_at)
                .num_minutes()
                .max(0)
        })
        .sum();
    let distance_m = jobs.iter().filter_map(|j| j.from_previous_m).sum();
    Ok(Day {
        jobs,
        resolved,
        on_site_minutes,
        distance_m,
    })
}

/// The entry a supervisor's review is kept under (in the chain, so that
/// the approval covers the documentation as it stood).
pub const REVIEW: &str = "review";

/// A supervisor's decision on a completed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approved,
    /// Sent back: the ticket is reopened and given back to its technician,
    /// who sees the comment.
    Rework,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rework => "rework",
        }
    }
}

/// Reviews a resolved job: approves it, or sends it back for rework with a
/// comment (reopened and assigned to the same technician, in one
/// transaction). Answers the ticket as it is after.
#[allow(clippy::too_many_arguments)]
pub async fn review(
    db: &Db,
    who: &Person,
    scope: &crate::tickets::Scope,
    at: crate::tickets::Versioned,
    decision: Decision,
    comment: &str,
    settings: &crate::tickets::Settings,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    use crate::tickets::{self, MoveRequest, Versioned};
    let comment = comment.trim();
    if decision == Decision::Rework && comment.is_empty() {
        return Err(refuse(
            "comment",
            "required",
            "say what must be redone: the technician reads it",
        ));
    }
    if comment.chars().count() > 2000 {
        return Err(refuse("comment", "length", "at most 2000 characters"));
    }
    let txn = db.begin_write().await?;
    let t = tickets::find(&*txn, at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    if t.version != at.version {
        return Err(Error::Stale(
            "The ticket changed since it was read: look again before reviewing.".to_string(),
        ));
    }
    if TicketStatus::parse(&t.status) != Some(TicketStatus::Resolved) {
        return Err(Error::Conflict(
            "Only a resolved job is reviewed.".to_string(),
        ));
    }
    let current = sheet(&*txn, &t).await?;
    if current
        .values
        .get(REVIEW)
        .is_some_and(|r| r.value["decision"] == "approved")
    {
        return Err(Error::Conflict("This job is approved already.".to_string()));
    }
    append(
        &*txn,
        &t,
        &current.head,
        REVIEW,
        &json!({"decision": decision.as_str(), "comment": comment}),
        who.id,
        now,
    )
    .await?;
    let after = match decision {
        Decision::Approved => {
            tickets::timeline(
                &*txn,
                &t,
                who,
                tickets::Entry {
                    kind: "reviewed",
                    from: None,
                    to: None,
                    reason: comment.to_string(),
                    data: json!({"decision": "approved"}),
                    public: false,
                },
                now,
            )
            .await?;
            t
        }
        Decision::Rework => {
            let technician = t.technician_id;
            let reopened = tickets::transition_in(
                &txn,
                who,
                scope,
                Versioned {
                    id: t.id,
                    version: t.version,
                },
                MoveRequest {
                    to: Some(TicketStatus::Reopened),
                    reason: Some(format!("Rework: {comment}")),
                    ..MoveRequest::default()
                },
                settings,
                now,
            )
            .await?;
            let mut after = reopened;
            if let Some(tech) = technician {
                after = tickets::transition_in(
                    &txn,
                    who,
                    scope,
                    Versioned {
                        id: after.id,
                        version: after.version,
                    },
                    MoveRequest {
                        to: Some(TicketStatus::Assigned),
                        technician_id: Some(tech),
                        ..MoveRequest::default()
                    },
                    settings,
                    now,
                )
                .await?;
                notifications::notify(
                    &*txn,
                    &[tech],
                    &Note {
                        kind: "job_rework",
                        ticket: Some((after.id, after.number.clone())),
                        outage_id: None,
                        data: json!({"by": who.name, "comment": comment}),
                    },
                    now,
                )
                .await?;
            }
            after
        }
    };
    txn.commit().await?;
    Ok(after)
}

/// A completed job as a supervisor reviews it.
#[derive(Debug, Clone)]
pub struct ForReview {
    pub ticket: ticket::Model,
    pub customer_name: String,
    pub technician_name: Option<String>,
    pub sheet: Sheet,
}

/// The resolved jobs in `scope` whose documentation no one approved yet,
/// newest first (at most `limit`).
pub async fn waiting_review<C: ConnectionTrait>(
    db: &C,
    scope: &crate::tickets::Scope,
    limit: u64,
) -> Result<Vec<ForReview>, DbErr> {
    use sea_orm::QuerySelect;
    let approved: Vec<Uuid> = job_record::Entity::find()
        .select_only()
        .column(job_record::Column::TicketId)
        .filter(job_record::Column::Entry.eq(REVIEW))
        .filter(job_record::Column::Value.contains("\"approved\""))
        .into_tuple()
        .all(db)
        .await?;
    let mut select = ticket::Entity::find()
        .filter(scope.condition())
        .filter(ticket::Column::Status.eq(TicketStatus::Resolved.as_str()))
        .filter(ticket::Column::TechnicianId.is_not_null())
        .order_by_desc(ticket::Column::ResolvedAt)
        .limit(limit);
    if !approved.is_empty() {
        select = select.filter(ticket::Column::Id.is_not_in(approved));
    }
    let tickets = select.all(db).await?;
    let customers: HashMap<Uuid, String> = customer::Entity::find()
        .filter(
            customer::Column::Id.is_in(tickets.iter().map(|t| t.customer_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let techs: HashMap<Uuid, String> = user::Entity::find()
        .filter(
            user::Column::Id.is_in(
                tickets
                    .iter()
                    .filter_map(|t| t.technician_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut out = Vec::new();
    for t in tickets {
        let sheet = sheet(db, &t).await?;
        out.push(ForReview {
            customer_name: customers.get(&t.customer_id).cloned().unwrap_or_default(),
            technician_name: t.technician_id.and_then(|id| techs.get(&id).cloned()),
            ticket: t,
            sheet,
        });
    }
    Ok(out)
}

/// At the completion of an installation or relocation, the ONT recorded in
/// the checklist moves from the technician's own stock to the customer's
/// home on this ticket (as "record material" would), unless it is already
/// there or is not a unit the technician carries.
pub(crate) async fn install_recorded_ont<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    who: &Person,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let kind = kind_of(t);
    if !matches!(kind, TicketKind::Installation | TicketKind::Relocation) {
        return Ok(());
    }
    let Some(tech) = t.technician_id else {
        return Ok(());
    };
    let s = sheet(db, t).await?;
    let Some(serial) = s
        .values
        .get("ont_serial")
        .and_then(|r| r.value["serial"].as_str())
        .map(str::to_string)
    else {
        return Ok(());
    };
    let Some(unit) = asset::Entity::find()
        .filter(asset::Column::Serial.eq(serial.clone()))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let carried = stock_location::Entity::find()
        .filter(stock_location::Column::UserId.eq(tech))
        .one(db)
        .await?;
    if carried.is_none_or(|p| p.id != unit.location_id) {
        return Ok(());
    }
    crate::inventory::post_in(
        db,
        who,
        crate::inventory::MovementInput {
            id: None,
            kind: netcrew_domain::inventory::MovementKind::Install,
            item_id: Some(unit.item_id),
            quantity: 1,
            from_location_id: None,
            to_location_id: None,
            from_technician_id: None,
            to_technician_id: None,
            serial: Some(serial),
            mac: None,
            ticket_id: Some(t.id),
            reason: format!("ONT {} (dokumentasi pekerjaan)", t.number),
            terms: None,
        },
        None,
        now,
    )
    .await?;
    Ok(())
}
