//! Booking windows: how much room each half-day window of an area still
//! has, from the technicians on shift there minus what is booked, and the
//! refusal of a booking into a full window.
//!
//! Units are the technicians serving the area, each with the spans of their
//! regular shift that day (leave and days off take them out). A technician
//! serving several areas splits their minutes evenly between them. The
//! members of a crew on a ticket of that day in the area count inside their
//! lead's unit, for the time all of them work. Booked minutes are the
//! expected minutes of the open tickets with that day and window in the
//! area.

use netcrew_dispatch::{Capacity, Unit, crew_spans, window_capacity};
use netcrew_domain::{FieldError, InstallWindow};

use super::*;
use crate::entity::{area, ticket_crew};

/// The most days one question may cover.
pub const MAX_BOOKING_DAYS: u16 = 62;

/// One window of one day.
#[derive(Debug, Clone)]
pub struct WindowRoom {
    pub window: InstallWindow,
    /// False once the window has ended (its room is then zero).
    pub open: bool,
    pub capacity: Capacity,
}

/// The windows of one day.
#[derive(Debug, Clone)]
pub struct DayRoom {
    pub date: NaiveDate,
    pub windows: Vec<WindowRoom>,
}

impl DayRoom {
    pub fn window(&self, w: InstallWindow) -> Option<&WindowRoom> {
        self.windows.iter().find(|x| x.window == w)
    }
}

/// The expected minutes of a job of `st`, as dispatch reckons them.
pub fn job_minutes(st: &service_type::Model) -> u16 {
    u16::try_from(st.expected_minutes.clamp(5, 600)).unwrap_or(90)
}

/// Which windows to look at.
#[derive(Debug, Clone, Copy)]
pub struct RoomQuery {
    pub area_id: Uuid,
    /// The expected minutes of the job to fit.
    pub job_minutes: u16,
    pub from: NaiveDate,
    pub days: u16,
    /// A ticket to leave out (one being moved).
    pub except: Option<Uuid>,
}

/// The room in each window asked about.
pub async fn rooms<C: ConnectionTrait>(
    db: &C,
    q: RoomQuery,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Vec<DayRoom>, DbErr> {
    let RoomQuery {
        area_id,
        job_minutes: job,
        from,
        days,
        except,
    } = q;
    let days = days.clamp(1, MAX_BOOKING_DAYS);
    let to = from + Duration::days(i64::from(days) - 1);
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let serving: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::AreaId.eq(area_id))
        .into_tuple()
        .all(db)
        .await?;
    let people: Vec<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.is_in(serving))
        .into_tuple()
        .all(db)
        .await?;
    let mut areas_served: BTreeMap<Uuid, u16> = BTreeMap::new();
    for u in user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::UserId.is_in(people.clone()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
    {
        *areas_served.entry(u).or_default() += 1;
    }
    let profiles: BTreeMap<Uuid, technician_profile::Model> = technician_profile::Entity::find()
        .filter(technician_profile::Column::UserId.is_in(people.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut leave: BTreeMap<Uuid, Vec<DateRange>> = BTreeMap::new();
    for l in technician_leave::Entity::find()
        .filter(technician_leave::Column::UserId.is_in(people.clone()))
        .filter(technician_leave::Column::Status.eq("approved"))
        .filter(technician_leave::Column::FromDate.lte(to_text.clone()))
        .filter(technician_leave::Column::ToDate.gte(from_text.clone()))
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
    let ds = settings(db).await?;
    let mut days_off: Vec<NaiveDate> = holiday::Entity::find()
        .select_only()
        .column(holiday::Column::Day)
        .filter(holiday::Column::Day.gte(from_text.clone()))
        .filter(holiday::Column::Day.lte(to_text.clone()))
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|d| date(d))
        .collect();
    days_off.sort();
    let calendar = Calendar {
        ramadan: ds.ramadan,
        days_off,
    };
    let availability: BTreeMap<Uuid, Availability> = people
        .iter()
        .map(|id| {
            let p = profiles.get(id);
            let a = Availability {
                pattern: p
                    .and_then(|p| pattern_of(Some(&p.work_pattern)))
                    .unwrap_or_else(WeekPattern::standard),
                ramadan: match p {
                    Some(p) => pattern_of(p.ramadan_pattern.as_deref()),
                    None => Some(WeekPattern::ramadan_standard()),
                },
                leave: leave.remove(id).unwrap_or_default(),
                on_call: Vec::new(),
            };
            (*id, a)
        })
        .collect();

    // What is booked: the open tickets of the area with a day and window.
    let mut q = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::AppointmentDate)
        .column(ticket::Column::AppointmentWindow)
        .column(ticket::Column::ServiceTypeId)
        .column(ticket::Column::TechnicianId)
        .filter(ticket::Column::AreaId.eq(area_id))
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::AppointmentDate.gte(from_text))
        .filter(ticket::Column::AppointmentDate.lte(to_text))
        .filter(ticket::Column::AppointmentWindow.is_not_null());
    if let Some(except) = except {
        q = q.filter(ticket::Column::Id.ne(except));
    }
    type Row = (Uuid, Option<String>, Option<String>, Uuid, Option<Uuid>);
    let booked: Vec<Row> = q.into_tuple().all(db).await?;
    let minutes: BTreeMap<Uuid, u16> = service_type::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|s| (s.id, job_minutes(s)))
        .collect();
    let ids: Vec<Uuid> = booked.iter().map(|b| b.0).collect();
    let mut crews: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for c in ticket_crew::Entity::find()
        .filter(ticket_crew::Column::TicketId.is_in(ids))
        .all(db)
        .await?
    {
        crews.entry(c.ticket_id).or_default().push(c.user_id);
    }

    let local_now = now.with_timezone(&zone);
    let today = local_now.date_naive();
    let minute_now = (local_now.hour() * 60 + local_now.minute()) as u16;
    let mut out = Vec::with_capacity(usize::from(days));
    for offset in 0..i64::from(days) {
        let day = from + Duration::days(offset);
        let day_text = day.to_string();
        let of_day: Vec<&Row> = booked
            .iter()
            .filter(|b| b.1.as_deref() == Some(day_text.as_str()))
            .collect();
        // Crews of the day: each member works inside their lead's unit.
        let mut lead_of: BTreeMap<Uuid, Uuid> = BTreeMap::new();
        let mut members_of: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
        for b in &of_day {
            let (Some(lead), Some(members)) = (b.4, crews.get(&b.0)) else {
                continue;
            };
            for m in members {
                if *m != lead
                    && !lead_of.contains_key(m)
                    && !lead_of.contains_key(&lead)
                    && availability.contains_key(m)
                {
                    lead_of.insert(*m, lead);
                    members_of.entry(lead).or_default().push(*m);
                }
            }
        }
        let units: Vec<Unit> = people
            .iter()
            .filter(|id| !lead_of.contains_key(*id))
            .filter_map(|id| {
                let own = availability.get(id)?.shift(day, &calendar).to_vec();
                let spans = match members_of.get(id) {
                    Some(members) => {
                        let mut all = vec![own];
                        all.extend(members.iter().filter_map(|m| {
                            Some(availability.get(m)?.shift(day, &calendar).to_vec())
                        }));
                        crew_spans(&all)
                    }
                    None => own,
                };
                Some(Unit {
                    spans,
                    areas: areas_served.get(id).copied().unwrap_or(1),
                })
            })
            .collect();
        let windows = InstallWindow::ALL
            .into_iter()
            .filter_map(|w| {
                let span = window_span(w.as_str())?;
                let booked_minutes: u32 = of_day
                    .iter()
                    .filter(|b| b.2.as_deref() == Some(w.as_str()))
                    .map(|b| u32::from(minutes.get(&b.3).copied().unwrap_or(90)))
                    .sum();
                let open = day > today || (day == today && minute_now < span.end());
                let mut capacity = window_capacity(span, &units, booked_minutes, job);
                if !open {
                    capacity.free_jobs = 0;
                    capacity.has_room = false;
                }
                Some(WindowRoom {
                    window: w,
                    open,
                    capacity,
                })
            })
            .collect();
        out.push(DayRoom { date: day, windows });
    }
    Ok(out)
}

/// A booking to check.
#[derive(Debug, Clone, Copy)]
pub struct Booking<'a> {
    pub area_id: Uuid,
    pub service_type: &'a service_type::Model,
    pub day: NaiveDate,
    pub window: InstallWindow,
    /// The ticket being moved, if it is one.
    pub except: Option<Uuid>,
}

/// Refuses a booking into a window with no room, as a problem on `field`
/// that names the next window with room in the following two weeks. Call
/// it inside the booking's transaction: it locks the area, so two bookings
/// of the last place are decided one after the other.
pub async fn ensure_room<C: ConnectionTrait>(
    txn: &C,
    b: Booking<'_>,
    field: &str,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let Booking {
        area_id,
        service_type: st,
        day,
        window,
        except,
    } = b;
    area::Entity::find_by_id(area_id)
        .lock_exclusive()
        .one(txn)
        .await?;
    let q = RoomQuery {
        area_id,
        job_minutes: job_minutes(st),
        from: day,
        days: 14,
        except,
    };
    let week = rooms(txn, q, zone, now).await?;
    let has_room = week
        .first()
        .and_then(|d| d.window(window))
        .is_some_and(|w| w.capacity.has_room);
    if has_room {
        return Ok(());
    }
    let next = week
        .iter()
        .flat_map(|d| d.windows.iter().map(move |w| (d.date, w)))
        .find(|(_, w)| w.capacity.has_room);
    let mut error = FieldError::new(
        field,
        "window_full",
        "this window has no technician free any more; choose another",
    );
    if let Some((d, w)) = next {
        error = error
            .with("next_date", d.to_string())
            .with("next_window", w.window.as_str());
    }
    Err(Error::Invalid(Invalid(vec![error])))
}
