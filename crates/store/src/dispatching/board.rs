//! The dispatch board of a day: the queue and each technician's day in
//! planned order.

use super::*;

/// One technician's day on the board.
#[derive(Debug, Clone)]
pub struct BoardDay {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub areas: Vec<Uuid>,
    /// Working spans that day (none: off, on leave or a holiday).
    pub shift: Vec<Span>,
    pub on_call: Vec<Span>,
    pub on_leave: bool,
    pub max_jobs: u16,
    pub position: Option<(GeoPoint, DateTime<Utc>)>,
    pub home: Option<GeoPoint>,
    /// The day's jobs in the planned order, with the travel to each.
    pub plan: netcrew_dispatch::DayPlan,
    pub jobs: Vec<ticket::Model>,
}

/// The dispatch board of a day: the queue (open tickets nobody holds, the
/// most urgent first) and each technician's day in planned order.
#[derive(Debug, Clone)]
pub struct Board {
    pub date: NaiveDate,
    pub queue: Vec<ticket::Model>,
    pub technicians: Vec<BoardDay>,
}

/// The board of `date` as `scope` sees it, narrowed to `area`.
pub async fn board<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    date: NaiveDate,
    area: Option<Uuid>,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Board, DbErr> {
    let ds = settings(db).await?;
    let mut people = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Active.eq(true));
    let mut visible_areas: Option<Vec<Uuid>> = None;
    match scope {
        Scope::All => {}
        Scope::Supervisor { areas, technicians } => {
            let mut mine: BTreeSet<Uuid> = technicians.iter().copied().collect();
            mine.extend(crate::technicians::serving(db, areas).await?);
            people = people.filter(user::Column::Id.is_in(mine));
            visible_areas = Some(areas.clone());
        }
        Scope::Technician(_) | Scope::Customer(_) => {
            return Ok(Board {
                date,
                queue: Vec::new(),
                technicians: Vec::new(),
            });
        }
    }
    if let Some(a) = area {
        let serving = crate::technicians::serving(db, &[a]).await?;
        people = people.filter(user::Column::Id.is_in(serving));
    }
    let people = people
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let d = days_of(db, people, date, None, &ds, zone, now).await?;
    let solver = ds.solver();
    let mut jobs = d.jobs;
    let technicians = d
        .technicians
        .into_iter()
        .map(|t| {
            let mine = jobs.remove(&t.id).unwrap_or_default();
            let shift = t.availability.shift(date, &d.calendar).to_vec();
            let on_call: Vec<Span> = t.availability.on_call_on(date).collect();
            let fresh = t.last_known.filter(|(_, at)| {
                now.signed_duration_since(*at).num_minutes() <= solver.position_fresh_minutes
            });
            let start_place = fresh.map(|p| p.0).or(t.home);
            let start_minute = shift.first().or(on_call.first()).map_or(480, Span::start);
            let stops: Vec<netcrew_dispatch::Stop> = mine
                .iter()
                .zip(&t.day)
                .map(|(job, booked)| netcrew_dispatch::Stop {
                    id: job.id,
                    place: booked.place,
                    window: job.appointment_window.as_deref().and_then(window_span),
                    minutes: booked.minutes,
                })
                .collect();
            let plan = netcrew_dispatch::plan_day(&solver, start_place, start_minute, &stops);
            BoardDay {
                name: d.names.get(&t.id).cloned().unwrap_or_default(),
                id: t.id,
                active: t.active,
                areas: t.areas,
                on_leave: t.availability.on_leave(date),
                shift,
                on_call,
                max_jobs: t.max_jobs_per_day,
                position: t.last_known,
                home: t.home,
                plan,
                jobs: mine,
            }
        })
        .collect();
    let mut queue = ticket::Entity::find()
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::TechnicianId.is_null())
        .filter(ticket::Column::Status.ne(TicketStatus::Pending.as_str()));
    if let Some(a) = area {
        queue = queue.filter(ticket::Column::AreaId.eq(a));
    }
    if let Some(areas) = visible_areas {
        queue = queue.filter(ticket::Column::AreaId.is_in(areas));
    }
    let queue = queue
        .order_by_asc(ticket::Column::NextDueAt)
        .order_by_asc(ticket::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    Ok(Board {
        date,
        queue,
        technicians,
    })
}
