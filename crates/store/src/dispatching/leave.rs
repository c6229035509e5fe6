//! Leave and sick days: asked for by the technician (or a supervisor for
//! them), decided by a supervisor, who chooses what happens to the jobs on
//! those days.

use super::*;

/// Leave, as given.
#[derive(Debug, Clone)]
pub struct LeaveInput {
    /// `leave` or `sick`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// How far back sick days may be recorded, and how long one request may be.
pub(super) const LEAVE_BACK_DAYS: i64 = 14;
pub(super) const LEAVE_MAX_DAYS: i64 = 60;

pub(super) async fn technician<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<user::Model, Error> {
    user::Entity::find_by_id(id)
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such technician.".into()))
}

/// Asks for leave (or reports sick days) for technician `id`; a
/// supervisor decides.
pub async fn request_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    input: LeaveInput,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<technician_leave::Model, Error> {
    let mut c = Checks::default();
    c.one_of("kind", &input.kind, &["leave", "sick"]);
    let reason = c.multiline("reason", &input.reason, 500);
    let today = local_date(now, zone);
    let from = date(input.from.trim());
    let to = date(input.to.trim());
    if from.is_none() {
        c.fail("from", "date_format", "a date as YYYY-MM-DD");
    }
    if to.is_none() {
        c.fail("to", "date_format", "a date as YYYY-MM-DD");
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            c.fail("to", "order", "the last day must not be before the first");
        } else if (t - f).num_days() >= LEAVE_MAX_DAYS {
            c.fail(
                "to",
                "range",
                format!("at most {LEAVE_MAX_DAYS} days at once"),
            );
        }
        if f < today - Duration::days(LEAVE_BACK_DAYS) {
            c.fail(
                "from",
                "date_past",
                format!("at most {LEAVE_BACK_DAYS} days back"),
            );
        }
    }
    c.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::Conflict("Unreadable dates.".into()));
    };
    let txn = db.begin_write().await?;
    let tech = technician(&*txn, id).await?;
    let clash = technician_leave::Entity::find()
        .filter(technician_leave::Column::UserId.eq(id))
        .filter(technician_leave::Column::Status.is_in(["requested", "approved"]))
        .filter(technician_leave::Column::FromDate.lte(to.to_string()))
        .filter(technician_leave::Column::ToDate.gte(from.to_string()))
        .one(&*txn)
        .await?;
    if let Some(other) = clash {
        return Err(Error::Conflict(format!(
            "{} already has {} leave from {} to {} ({}).",
            tech.name, other.kind, other.from_date, other.to_date, other.status
        )));
    }
    let row = technician_leave::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(id),
        kind: Set(input.kind.clone()),
        from_date: Set(from.to_string()),
        to_date: Set(to.to_string()),
        reason: Set(reason),
        status: Set("requested".into()),
        requested_by: Set(who.id.unwrap_or(id)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_requested",
            "technician_leave",
            row.id.to_string(),
        ),
        None,
        Some(leave_view(&row)),
        now,
    )
    .await?;
    availability_changed(&*txn, id, now).await?;
    let w = supervisors_of(&*txn, id).await?;
    notifications::notify(
        &*txn,
        &w,
        &Note {
            kind: "leave_requested",
            ticket: None,
            outage_id: None,
            data: json!({"technician": tech.name, "from": row.from_date, "to": row.to_date, "kind": row.kind, "leave_id": row.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub(super) fn leave_view(l: &technician_leave::Model) -> Value {
    json!({"technician_id": l.user_id, "kind": l.kind, "from": l.from_date, "to": l.to_date, "status": l.status})
}

/// The supervisors of the areas a technician serves.
pub(super) async fn supervisors_of<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let areas: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeSet::new();
    for a in areas {
        out.extend(tickets::watchers(db, a, false).await?);
    }
    Ok(out.into_iter().collect())
}

/// What to do with a technician's jobs on the days of the leave being
/// approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobsOnLeave {
    /// Take them back: they return to the queue for someone else.
    Unassign,
    /// Leave them with the technician (they will be handled by hand).
    Keep,
}

/// A supervisor's decision on leave.
#[derive(Debug, Clone)]
pub struct LeaveDecision {
    pub approve: bool,
    pub note: String,
    pub jobs: Option<JobsOnLeave>,
}

/// The open jobs a technician has between two days.
pub(super) async fn jobs_between<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<ticket::Model>, DbErr> {
    ticket::Entity::find()
        .filter(ticket::Column::TechnicianId.eq(id))
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::AppointmentDate.gte(from))
        .filter(ticket::Column::AppointmentDate.lte(to))
        .order_by_asc(ticket::Column::AppointmentDate)
        .limit(200)
        .all(db)
        .await
}

/// Approves or rejects leave read at `version`. Approving leave that
/// overlaps the technician's jobs needs `jobs`: without it the answer
/// names the jobs and the choices.
pub async fn decide_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    d: LeaveDecision,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<(technician_leave::Model, Vec<String>), Error> {
    let mut c = Checks::default();
    let note = c.multiline("note", &d.note, 500);
    if !d.approve && note.trim().is_empty() {
        c.fail("note", "required", "say why the leave is refused");
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let l = leave_at(&*txn, id, version, None).await?;
    if l.status != "requested" {
        return Err(Error::Conflict(format!(
            "This leave is {} already.",
            l.status
        )));
    }
    let mut moved = Vec::new();
    if d.approve {
        let jobs = jobs_between(&*txn, l.user_id, &l.from_date, &l.to_date).await?;
        if !jobs.is_empty() {
            match d.jobs {
                None => {
                    return Err(Error::Choose {
                        detail: format!(
                            "The technician has jobs on these days: {}. Say whether to unassign them (back to the queue) or keep them.",
                            jobs.iter()
                                .map(|t| t.number.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        choices: vec!["unassign".into(), "keep".into()],
                    });
                }
                Some(JobsOnLeave::Keep) => {}
                Some(JobsOnLeave::Unassign) => {
                    for t in jobs {
                        if TicketStatus::parse(&t.status) != Some(TicketStatus::Assigned) {
                            // Accepted or under way: a supervisor's Decline
                            // does not reach it; reassign by hand.
                            continue;
                        }
                        tickets::transition_in(
                            &txn,
                            who,
                            &Scope::All,
                            Versioned {
                                id: t.id,
                                version: t.version,
                            },
                            MoveRequest {
                                to: Some(TicketStatus::New),
                                reason: Some("Teknisi cuti / technician on leave".into()),
                                ..Default::default()
                            },
                            tsettings,
                            now,
                        )
                        .await?;
                        moved.push(t.number);
                    }
                }
            }
        }
    }
    let mut a = l.clone().into_active_model();
    a.status = Set(if d.approve { "approved" } else { "rejected" }.into());
    a.decided_by = Set(who.id);
    a.decided_at = Set(Some(now));
    a.decision_note = Set(note);
    a.version = Set(l.version + 1);
    let saved = a.update(&*txn).await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_decided",
            "technician_leave",
            saved.id.to_string(),
        ),
        Some(leave_view(&l)),
        Some(leave_view(&saved)),
        now,
    )
    .await?;
    availability_changed(&*txn, saved.user_id, now).await?;
    notifications::notify(
        &*txn,
        &[saved.user_id],
        &Note {
            kind: "leave_decided",
            ticket: None,
            outage_id: None,
            data: json!({"status": saved.status, "from": saved.from_date, "to": saved.to_date, "by": who.name, "note": saved.decision_note}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((saved, moved))
}

/// Leave read at `version` (of technician `own` only, when given).
pub(super) async fn leave_at<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    version: i32,
    own: Option<Uuid>,
) -> Result<technician_leave::Model, Error> {
    let l = technician_leave::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|l| own.is_none_or(|o| o == l.user_id))
        .ok_or_else(|| Error::NotFound("No such leave.".into()))?;
    if l.version != version {
        return Err(Error::Stale(format!(
            "The leave changed since you loaded it (now version {}); reload it and try again.",
            l.version
        )));
    }
    Ok(l)
}

/// The technician withdraws leave that has not begun.
pub async fn cancel_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<technician_leave::Model, Error> {
    let txn = db.begin_write().await?;
    let own = (who.role == Some(Role::Technician))
        .then_some(who.id)
        .flatten();
    let l = leave_at(&*txn, id, version, own).await?;
    let started = date(&l.from_date).is_some_and(|f| f <= local_date(now, zone));
    if !matches!(l.status.as_str(), "requested" | "approved") || started {
        return Err(Error::Conflict(
            "Only leave that has not begun can be withdrawn.".into(),
        ));
    }
    let mut a = l.clone().into_active_model();
    a.status = Set("cancelled".into());
    a.version = Set(l.version + 1);
    let saved = a.update(&*txn).await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_cancelled",
            "technician_leave",
            saved.id.to_string(),
        ),
        Some(leave_view(&l)),
        Some(leave_view(&saved)),
        now,
    )
    .await?;
    availability_changed(&*txn, saved.user_id, now).await?;
    txn.commit().await?;
    Ok(saved)
}

/// What a leave list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct LeaveFilter {
    pub technician_id: Option<Uuid>,
    pub status: Option<String>,
    /// Leave that touches this day or later.
    pub from: Option<String>,
    /// Technicians to keep to (a supervisor's); none: everyone.
    pub only: Option<Vec<Uuid>>,
}

/// Leave, soonest first, with the technician's name.
pub async fn leave<C: ConnectionTrait>(
    db: &C,
    f: &LeaveFilter,
) -> Result<Vec<(technician_leave::Model, String)>, DbErr> {
    let mut q = technician_leave::Entity::find();
    if let Some(t) = f.technician_id {
        q = q.filter(technician_leave::Column::UserId.eq(t));
    }
    if let Some(s) = &f.status {
        q = q.filter(technician_leave::Column::Status.eq(s.clone()));
    }
    if let Some(d) = &f.from {
        q = q.filter(technician_leave::Column::ToDate.gte(d.clone()));
    }
    if let Some(only) = &f.only {
        q = q.filter(technician_leave::Column::UserId.is_in(only.clone()));
    }
    let rows = q
        .order_by_asc(technician_leave::Column::FromDate)
        .order_by_asc(technician_leave::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().map(|r| r.user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.get(&r.user_id).cloned().unwrap_or_default();
            (r, n)
        })
        .collect())
}

/// The names of the accounts `ids`, in one query.
pub async fn user_names<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, String>, DbErr> {
    let ids: BTreeSet<Uuid> = ids.collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// One leave entry.
pub async fn leave_by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<technician_leave::Model>, DbErr> {
    technician_leave::Entity::find_by_id(id).one(db).await
}
