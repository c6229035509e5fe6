//! Who may do a ticket and who should, as `netcrew_dispatch` decides it
//! over the ticket's day read here; the assignment kept with its
//! explanation; declines, time-outs and automatic mode.

use super::*;

pub(super) fn window_span(w: &str) -> Option<Span> {
    w.parse().ok()
}

/// The job a ticket is, for dispatch.
pub(super) async fn job_of<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(Job, Option<service_type::Model>), DbErr> {
    let st = service_type::Entity::find_by_id(t.service_type_id)
        .one(db)
        .await?;
    let local = now.with_timezone(&zone);
    let when = match (
        t.appointment_date.as_deref().and_then(date),
        t.appointment_window.as_deref().and_then(window_span),
    ) {
        (Some(d), Some(span)) => When::Window { date: d, span },
        _ => When::Now {
            date: local.date_naive(),
            minute: (local.hour() * 60 + local.minute()) as u16,
        },
    };
    let previous_technician: Option<Uuid> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::TechnicianId)
        .filter(ticket::Column::CustomerId.eq(t.customer_id))
        .filter(ticket::Column::Id.ne(t.id))
        .filter(ticket::Column::TechnicianId.is_not_null())
        .filter(ticket::Column::ResolvedAt.is_not_null())
        .order_by_desc(ticket::Column::ResolvedAt)
        .into_tuple::<Option<Uuid>>()
        .one(db)
        .await?
        .flatten();
    let declined_by: Vec<Uuid> = ticket_assignment::Entity::find()
        .select_only()
        .column(ticket_assignment::Column::TechnicianId)
        .filter(ticket_assignment::Column::TicketId.eq(t.id))
        .filter(ticket_assignment::Column::Outcome.is_in(["declined", "timed_out"]))
        .filter(ticket_assignment::Column::DecidedAt.gte(t.clock_started_at))
        .into_tuple()
        .all(db)
        .await?;
    let due = (t.next_due_at != ticket::no_due()).then(|| (t.next_due_at - now).num_minutes());
    let job = Job {
        id: t.id,
        area: t.area_id,
        place: GeoPoint::new(t.lat, t.lng).ok(),
        when,
        minutes: st.as_ref().map_or(90, |s| {
            u16::try_from(s.expected_minutes.clamp(5, 600)).unwrap_or(90)
        }),
        skill: st.as_ref().and_then(|s| {
            Some((
                s.skill_id?,
                u8::try_from(s.skill_level.clamp(1, 5)).unwrap_or(1),
            ))
        }),
        priority: t.priority.parse().unwrap_or(Priority::Normal),
        due_in_minutes: due,
        repair: t.kind == TicketKind::Repair.as_str(),
        previous_technician,
        declined_by,
        road: Default::default(),
    };
    Ok((job, st))
}

/// The technicians serving the job's area as dispatch sees them on the
/// job's day, their names, and the calendar.
pub(super) async fn candidates<C: ConnectionTrait>(
    db: &C,
    job: &Job,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(Vec<Technician>, BTreeMap<Uuid, String>, Calendar), DbErr> {
    let serving: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::AreaId.eq(job.area))
        .into_tuple()
        .all(db)
        .await?;
    let people = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Id.is_in(serving))
        .limit(5000)
        .all(db)
        .await?;
    let d = days_of(db, people, job.when.date(), Some(job.id), ds, zone, now).await?;
    Ok((d.technicians, d.names, d.calendar))
}

/// Technicians as dispatch sees them on one day, with that day's jobs.
pub(super) struct Days {
    pub(super) technicians: Vec<Technician>,
    pub(super) names: BTreeMap<Uuid, String>,
    pub(super) calendar: Calendar,
    /// Each technician's open jobs of the day, by ticket.
    pub(super) jobs: BTreeMap<Uuid, Vec<ticket::Model>>,
}

/// Reads `people`'s profiles, skills, areas, leave, rota and jobs on
/// `day` (without the ticket `except`).
pub(super) async fn days_of<C: ConnectionTrait>(
    db: &C,
    people: Vec<user::Model>,
    day: NaiveDate,
    except: Option<Uuid>,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Days, DbErr> {
    let ids: Vec<Uuid> = people.iter().map(|u| u.id).collect();
    let day_text = day.to_string();
    let profiles: BTreeMap<Uuid, technician_profile::Model> = technician_profile::Entity::find()
        .filter(technician_profile::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut skills: BTreeMap<Uuid, Vec<(Uuid, u8)>> = BTreeMap::new();
    for s in technician_skill::Entity::find()
        .filter(technician_skill::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        skills
            .entry(s.user_id)
            .or_default()
            .push((s.skill_id, u8::try_from(s.level).unwrap_or(0)));
    }
    let mut areas: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (u, a) in user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.is_in(ids.clone()))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
    {
        areas.entry(u).or_default().push(a);
    }
    let mut leave: BTreeMap<Uuid, Vec<DateRange>> = BTreeMap::new();
    for l in technician_leave::Entity::find()
        .filter(technician_leave::Column::UserId.is_in(ids.clone()))
        .filter(technician_leave::Column::Status.eq("approved"))
        .filter(technician_leave::Column::FromDate.lte(day_text.clone()))
        .filter(technician_leave::Column::ToDate.gte(day_text.clone()))
        .all(db)
        .await?
    {
        if let (Some(from), Some(to)) = (date(&l.from_date), date(&l.to_date)) {
            leave
                .entry(l.user_id)
                .or_default()
                .push(DateRange { from, to });
        }
    }
    let mut rota: BTreeMap<Uuid, Vec<OnCall>> = BTreeMap::new();
    for o in on_call_shift::Entity::find()
        .filter(on_call_shift::Column::UserId.is_in(ids.clone()))
        .filter(on_call_shift::Column::Day.eq(day_text.clone()))
        .all(db)
        .await?
    {
        if let Ok(span) = o.span.parse() {
            rota.entry(o.user_id)
                .or_default()
                .push(OnCall { date: day, span });
        }
    }
    let minutes: BTreeMap<Uuid, i32> = service_type::Entity::find()
        .select_only()
        .column(service_type::Column::Id)
        .column(service_type::Column::ExpectedMinutes)
        .into_tuple::<(Uuid, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = local_date(now, zone);
    let mut booked_q = ticket::Entity::find()
        .filter(ticket::Column::TechnicianId.is_in(ids.clone()))
        .filter(ticket::Column::IsOpen.eq(true));
    if let Some(except) = except {
        booked_q = booked_q.filter(ticket::Column::Id.ne(except));
    }
    booked_q = if day == today {
        booked_q.filter(
            sea_orm::Condition::any()
                .add(ticket::Column::AppointmentDate.eq(day_text.clone()))
                .add(ticket::Column::AppointmentDate.is_null()),
        )
    } else {
        booked_q.filter(ticket::Column::AppointmentDate.eq(day_text.clone()))
    };
    let mut day_jobs: BTreeMap<Uuid, Vec<Booked>> = BTreeMap::new();
    let mut by_technician: BTreeMap<Uuid, Vec<ticket::Model>> = BTreeMap::new();
    let local = now.with_timezone(&zone);
    let minute_now = (local.hour() * 60 + local.minute()) as u16;
    let mut jobs: Vec<(Uuid, ticket::Model)> = booked_q
        .order_by_asc(ticket::Column::NextDueAt)
        .limit(20_000)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|b| Some((b.technician_id?, b)))
        .collect();
    // A crew member rides along: the lead's job is in their day too.
    let crewed: Vec<(Uuid, Uuid)> = crate::entity::ticket_crew::Entity::find()
        .select_only()
        .column(crate::entity::ticket_crew::Column::TicketId)
        .column(crate::entity::ticket_crew::Column::UserId)
        .filter(crate::entity::ticket_crew::Column::UserId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    if !crewed.is_empty() {
        let mut crew_q = ticket::Entity::find()
            .filter(ticket::Column::Id.is_in(crewed.iter().map(|c| c.0)))
            .filter(ticket::Column::IsOpen.eq(true));
        if let Some(except) = except {
            crew_q = crew_q.filter(ticket::Column::Id.ne(except));
        }
        for b in crew_q.all(db).await? {
            let on_day = match b.appointment_date.as_deref() {
                Some(d) => d == day_text,
                None => day == today,
            };
            if !on_day {
                continue;
            }
            for (_, member) in crewed.iter().filter(|c| c.0 == b.id) {
                if b.technician_id != Some(*member) {
                    jobs.push((*member, b.clone()));
                }
            }
        }
    }
    for (tech, b) in jobs {
        // A job without a window is to be done now (or first thing).
        let start = b
            .appointment_window
            .as_deref()
            .and_then(window_span)
            .map_or(minute_now, |s| s.start());
        day_jobs.entry(tech).or_default().push(Booked {
            start,
            place: GeoPoint::new(b.lat, b.lng).ok(),
            minutes: minutes
                .get(&b.service_type_id)
                .and_then(|m| u16::try_from(*m).ok())
                .unwrap_or(90),
        });
        by_technician.entry(tech).or_default().push(b);
    }
    let mut days_off: Vec<NaiveDate> = holiday::Entity::find()
        .select_only()
        .column(holiday::Column::Day)
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|d| date(d))
        .collect();
    days_off.sort();
    let cal = Calendar {
        ramadan: ds.ramadan,
        days_off,
    };
    let mut names = BTreeMap::new();
    let techs = people
        .into_iter()
        .map(|u| {
            let p = profiles.get(&u.id);
            names.insert(u.id, u.name.clone());
            let mut a = areas.remove(&u.id).unwrap_or_default();
            a.sort();
            Technician {
                id: u.id,
                active: u.active,
                areas: a,
                skills: skills.remove(&u.id).unwrap_or_default(),
                availability: Availability {
                    pattern: p
                        .and_then(|p| pattern_of(Some(&p.work_pattern)))
                        .unwrap_or_else(WeekPattern::standard),
                    ramadan: match p {
                        Some(p) => pattern_of(p.ramadan_pattern.as_deref()),
                        None => Some(WeekPattern::ramadan_standard()),
                    },
                    leave: leave.remove(&u.id).unwrap_or_default(),
                    on_call: rota.remove(&u.id).unwrap_or_default(),
                },
                max_jobs_per_day: p.map_or(6, |p| u16::try_from(p.max_jobs_per_day).unwrap_or(6)),
                day: day_jobs.remove(&u.id).unwrap_or_default(),
                last_known: p.and_then(|p| {
                    Some((
                        GeoPoint::new(p.last_lat?, p.last_lng?).ok()?,
                        p.last_position_at?,
                    ))
                }),
                home: p.and_then(|p| GeoPoint::new(p.home_lat?, p.home_lng?).ok()),
            }
        })
        .collect();
    Ok(Days {
        technicians: techs,
        names,
        calendar: cal,
        jobs: by_technician,
    })
}

/// The ranked technicians for a ticket, with reasons for those left out.
#[derive(Debug, Clone)]
pub struct Suggestions {
    pub job: Job,
    /// The skill's code and level the job needs.
    pub skill: Option<(String, u8)>,
    pub mode: Mode,
    pub ranked: Vec<(Scored, String)>,
    pub ineligible: Vec<(Uuid, String, Vec<Ineligible>)>,
}

pub(super) async fn rank_ticket<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Suggestions, DbErr> {
    let (mut job, st) = job_of(db, t, zone, now).await?;
    let (techs, names, cal) = candidates(db, &job, ds, zone, now).await?;
    let solver = ds.solver();
    job.road = routing::road_times(ds.routing_url.as_deref(), &job, &techs, &solver, now);
    let r = netcrew_dispatch::rank(&job, &techs, &cal, &solver, now);
    let skill = match st.as_ref().and_then(|s| s.skill_id) {
        Some(id) => skill::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| (s.code, job.skill.map_or(1, |k| k.1))),
        None => None,
    };
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    Ok(Suggestions {
        skill,
        mode: ds.mode,
        ranked: r
            .ranked
            .into_iter()
            .map(|s| {
                let n = name(&s.technician);
                (s, n)
            })
            .collect(),
        ineligible: r
            .ineligible
            .into_iter()
            .map(|(id, why)| (id, name(&id), why))
            .collect(),
        job,
    })
}

/// Who may do ticket `id` and who should, as `scope` sees it.
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Suggestions, Error> {
    let t = tickets::find(db, id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".into()))?;
    let ds = settings(db).await?;
    routing::warm(db, &t, &ds, zone, now).await?;
    Ok(rank_ticket(db, &t, &ds, zone, now).await?)
}

/// A ticket's assignments, newest first.
pub async fn assignments<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
) -> Result<Vec<ticket_assignment::Model>, DbErr> {
    ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::TicketId.eq(ticket_id))
        .order_by_desc(ticket_assignment::Column::DecidedAt)
        .order_by_desc(ticket_assignment::Column::Id)
        .limit(100)
        .all(db)
        .await
}

/// Who to give a ticket to: none for the best eligible technician.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub technician_id: Option<Uuid>,
    /// Kept with the decision; required to choose someone ranked out.
    pub reason: Option<String>,
}

pub(super) fn reasons_summary(inel: &[(Uuid, String, Vec<Ineligible>)]) -> String {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (_, _, why) in inel {
        for w in why {
            *counts.entry(reason_text(w)).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return "no technician serves this area".into();
    }
    counts
        .into_iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn reason_text(w: &Ineligible) -> &'static str {
    match w {
        Ineligible::Inactive => "inactive",
        Ineligible::NotServingArea => "not serving the area",
        Ineligible::OnLeave => "on leave",
        Ineligible::OffShift => "off shift",
        Ineligible::SkillTooLow { .. } => "without the skill level",
        Ineligible::DayFull { .. } => "with a full day",
        Ineligible::Declined => "declined it already",
    }
}

/// Gives a ticket read at `at` to the best technician, or to the one
/// chosen; keeps the decision with its explanation.
pub async fn assign(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    choice: Choice,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<(ticket::Model, ticket_assignment::Model), Error> {
    let mut c = Checks::default();
    let reason = choice
        .reason
        .as_deref()
        .map(|r| c.multiline("reason", r, 500))
        .unwrap_or_default();
    c.finish()?;
    // The routing server is asked before the write begins.
    let ds = settings(db.conn()).await?;
    if ds.routing_url.is_some()
        && let Some(t) = tickets::find(db.conn(), at.id, scope).await?
    {
        routing::warm(db.conn(), &t, &ds, tsettings.zone, now).await?;
    }
    let txn = db.begin_write().await?;
    let t = tickets::find(&*txn, at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".into()))?;
    let ds = settings(&*txn).await?;
    let s = rank_ticket(&*txn, &t, &ds, tsettings.zone, now).await?;
    let (chosen, how, scored) = match choice.technician_id {
        None => match s.ranked.first() {
            Some((best, _)) => (
                best.technician,
                if who.role.is_none() {
                    "automatic"
                } else {
                    "suggested"
                },
                Some(best.clone()),
            ),
            None => {
                return Err(Error::Conflict(format!(
                    "Nobody may do this job at its time: {}.",
                    reasons_summary(&s.ineligible)
                )));
            }
        },
        Some(id) => match s.ranked.iter().position(|(r, _)| r.technician == id) {
            Some(p) => (
                id,
                if p < 3 { "suggested" } else { "manual" },
                Some(s.ranked[p].0.clone()),
            ),
            None => {
                let u = user::Entity::find_by_id(id).one(&*txn).await?;
                let Some(u) = u.filter(|u| u.role == Role::Technician.as_str() && u.active) else {
                    return Err(Invalid::field(
                        "technician_id",
                        "unknown",
                        "no active technician with this id",
                    )
                    .into());
                };
                if reason.trim().is_empty() {
                    let why = s
                        .ineligible
                        .iter()
                        .find(|(i, _, _)| *i == id)
                        .map(|(_, _, w)| w.iter().map(reason_text).collect::<Vec<_>>().join(", "))
                        .unwrap_or_else(|| "not serving the area".into());
                    return Err(Invalid::field(
                        "reason",
                        "required",
                        format!(
                            "{} may not do this job ({why}): say why you assign them anyway",
                            u.name
                        ),
                    )
                    .into());
                }
                (id, "override", None)
            }
        },
    };
    let saved = tickets::transition_in(
        &txn,
        who,
        scope,
        at,
        MoveRequest {
            to: Some(TicketStatus::Assigned),
            technician_id: Some(chosen),
            reason: (!reason.trim().is_empty()).then(|| reason.clone()),
            ..Default::default()
        },
        tsettings,
        now,
    )
    .await?;
    let row = ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::TicketId.eq(saved.id))
        .filter(ticket_assignment::Column::Outcome.eq("pending"))
        .order_by_desc(ticket_assignment::Column::DecidedAt)
        .order_by_desc(ticket_assignment::Column::Id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::Conflict("The assignment was not kept.".into()))?;
    let alternatives: Vec<Value> = s
        .ranked
        .iter()
        .filter(|(r, _)| r.technician != chosen)
        .take(3)
        .map(|(r, n)| json!({"technician_id": r.technician, "name": n, "score": r.score}))
        .collect();
    let mut a = row.into_active_model();
    a.how = Set(how.into());
    a.score = Set(scored.as_ref().map(|s| s.score));
    a.explanation = Set(scored
        .as_ref()
        .and_then(|s| serde_json::to_string(s).ok())
        .unwrap_or_else(|| "{}".into()));
    a.alternatives = Set(json!({
        "next": alternatives,
        "eligible": s.ranked.len(),
        "left_out": reasons_summary(&s.ineligible),
    })
    .to_string());
    a.reason = Set(reason);
    let row = a.update(&*txn).await?;
    txn.commit().await?;
    Ok((saved, row))
}

/// Called by a ticket move in its transaction: keeps the assignment log
/// in step (a new assignment, accepted, declined or not accepted in
/// time).
pub(crate) async fn after_move(
    txn: &DatabaseTransaction,
    before: &ticket::Model,
    after: &ticket::Model,
    mv: TicketMove,
    who: &Person,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let pending = |tech: Uuid| {
        ticket_assignment::Entity::find()
            .filter(ticket_assignment::Column::TicketId.eq(after.id))
            .filter(ticket_assignment::Column::TechnicianId.eq(tech))
            .filter(ticket_assignment::Column::Outcome.eq("pending"))
    };
    let settle = |m: ticket_assignment::Model, outcome: &str, why: &str| {
        let mut a = m.into_active_model();
        a.outcome = Set(outcome.to_string());
        a.outcome_at = Set(Some(now));
        a.outcome_reason = Set(why.to_string());
        a
    };
    match mv {
        TicketMove::Assign => {
            for m in ticket_assignment::Entity::find()
                .filter(ticket_assignment::Column::TicketId.eq(after.id))
                .filter(ticket_assignment::Column::Outcome.eq("pending"))
                .all(txn)
                .await?
            {
                settle(m, "replaced", "").update(txn).await?;
            }
            if let Some(tech) = after.technician_id {
                ticket_assignment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    ticket_id: Set(after.id),
                    technician_id: Set(tech),
                    how: Set(if who.role.is_none() {
                        "automatic"
                    } else {
                        "manual"
                    }
                    .into()),
                    score: Set(None),
                    explanation: Set("{}".into()),
                    alternatives: Set("{}".into()),
                    reason: Set(reason.to_string()),
                    decided_by: Set(who.id),
                    decided_by_name: Set(who.name.clone()),
                    decided_at: Set(now),
                    outcome: Set("pending".into()),
                    outcome_at: Set(None),
                    outcome_reason: Set(String::new()),
                }
                .insert(txn)
                .await?;
            }
        }
        TicketMove::Accept => {
            if let Some(tech) = after.technician_id {
                for m in pending(tech).all(txn).await? {
                    settle(m, "accepted", "").update(txn).await?;
                }
            }
        }
        TicketMove::Decline => {
            if let Some(tech) = before.technician_id {
                let outcome = if who.role.is_none() {
                    "timed_out"
                } else {
                    "declined"
                };
                for m in pending(tech).all(txn).await? {
                    settle(m, outcome, reason).update(txn).await?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Takes back assignments not accepted within the settings' time: the
/// ticket returns to the queue and the area's supervisors are told.
pub async fn expire_unaccepted(
    db: &Db,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<usize, Error> {
    let ds = settings(db.conn()).await?;
    let cutoff = now - Duration::minutes(i64::from(ds.accept_minutes));
    let due = ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::Outcome.eq("pending"))
        .filter(ticket_assignment::Column::DecidedAt.lt(cutoff))
        .order_by_asc(ticket_assignment::Column::DecidedAt)
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut done = 0;
    for a in due {
        let txn = db.begin_write().await?;
        let Some(t) = ticket::Entity::find_by_id(a.ticket_id).one(&*txn).await? else {
            continue;
        };
        let fresh = ticket_assignment::Entity::find_by_id(a.id)
            .one(&*txn)
            .await?;
        if fresh.as_ref().map(|f| f.outcome.as_str()) != Some("pending") {
            continue;
        }
        if t.status == TicketStatus::Assigned.as_str() && t.technician_id == Some(a.technician_id) {
            let why = format!(
                "Tidak diterima dalam {m} menit / not accepted within {m} minutes",
                m = ds.accept_minutes
            );
            let moved = tickets::transition_in(
                &txn,
                &Person::system(),
                &Scope::All,
                Versioned {
                    id: t.id,
                    version: t.version,
                },
                MoveRequest {
                    to: Some(TicketStatus::New),
                    reason: Some(why),
                    ..Default::default()
                },
                tsettings,
                now,
            )
            .await?;
            let w = tickets::watchers(&*txn, moved.area_id, false).await?;
            notifications::notify(
                &*txn,
                &w,
                &Note {
                    kind: "assignment_timed_out",
                    ticket: Some((moved.id, moved.number.clone())),
                    outage_id: moved.outage_id,
                    data: json!({"technician_id": a.technician_id, "minutes": ds.accept_minutes}),
                },
                now,
            )
            .await?;
        } else if let Some(f) = fresh {
            // Moved on some other way: the log says so.
            let mut m = f.into_active_model();
            m.outcome = Set("replaced".into());
            m.outcome_at = Set(Some(now));
            m.update(&*txn).await?;
        }
        txn.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// In automatic mode, gives the waiting tickets (new or reopened, nobody
/// on them, ready to book) to the best technician, most urgent first.
/// Tickets nobody may do stay in the queue.
pub async fn dispatch_queue(
    db: &Db,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<usize, Error> {
    let ds = settings(db.conn()).await?;
    if ds.mode != Mode::Automatic {
        return Ok(0);
    }
    let waiting = ticket::Entity::find()
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(
            ticket::Column::Status
                .is_in([TicketStatus::New.as_str(), TicketStatus::Reopened.as_str()]),
        )
        .filter(ticket::Column::TechnicianId.is_null())
        .order_by_asc(ticket::Column::NextDueAt)
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut given = 0;
    for t in waiting {
        if !tickets::booking_needs(&t, tsettings).is_empty() {
            continue;
        }
        match assign(
            db,
            &Person::system(),
            &Scope::All,
            Versioned {
                id: t.id,
                version: t.version,
            },
            Choice::default(),
            tsettings,
            now,
        )
        .await
        {
            Ok(_) => given += 1,
            // Nobody may do it now, or it changed meanwhile: next time.
            Err(
                Error::Conflict(_)
                | Error::Stale(_)
                | Error::Refused { .. }
                | Error::NotReady { .. },
            ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(given)
}
