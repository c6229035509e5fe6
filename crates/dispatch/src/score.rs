//! Who may do a job, and who should.
//!
//! [`rank`] first keeps the technicians who may do the job (active, serving
//! the area, on shift for its time, not on leave, skilled enough, under
//! their daily maximum) and says for every other one why not; it then
//! scores each eligible technician as a sum of explained [`Part`]s:
//!
//! - travel: minus the minutes from where the technician will be before
//!   the job (the previous job of their day, else their last known
//!   position, else their home base), times the job's urgency;
//! - workload: minus the jobs they already have that day;
//! - skill surplus: plus the levels above what the job needs;
//! - continuity: plus, when they did this line's last job.
//!
//! The parts add up to the score, and the best score wins; equal scores go
//! to the lower id so that a decision can be repeated.

use chrono::{DateTime, NaiveDate, Utc};
use netcrew_domain::{GeoPoint, service::Priority};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::availability::{Availability, Calendar, Span};

/// The ISP's weights, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// Points lost per minute of travel (before urgency).
    pub travel: f64,
    /// Points lost per job the technician already has that day.
    pub workload: f64,
    /// Points won per skill level above the job's need.
    pub skill_surplus: f64,
    /// Points won by the technician who did this line's last job.
    pub continuity: f64,
    /// How much an urgent job multiplies the weight of travel: the factor
    /// is `1 + urgency × u`, `u` from 0 (low priority, far from due) to 1
    /// (urgent, or due within the hour).
    pub urgency: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            travel: 1.0,
            workload: 8.0,
            skill_surplus: 2.0,
            continuity: 10.0,
            urgency: 1.0,
        }
    }
}

/// How travel is estimated, and the weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub weights: Weights,
    /// Road distance over straight-line distance.
    pub road_factor: f64,
    /// Average speed on the road, km/h (a motorbike in town).
    pub speed_kmh: f64,
    /// Minutes assumed when neither the job nor the technician has a
    /// place.
    pub unknown_travel_minutes: f64,
    /// A last known position older than this many minutes is not used.
    pub position_fresh_minutes: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weights: Weights::default(),
            road_factor: 1.4,
            speed_kmh: 25.0,
            unknown_travel_minutes: 30.0,
            position_fresh_minutes: 120,
        }
    }
}

impl Settings {
    /// Minutes on the road between two points.
    pub fn travel_minutes(&self, a: &GeoPoint, b: &GeoPoint) -> f64 {
        let km = a.distance_m(b) / 1000.0 * self.road_factor;
        km / self.speed_kmh.max(1.0) * 60.0
    }
}

/// When the job is to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum When {
    /// In a booking window on a day (an appointment).
    Window { date: NaiveDate, span: Span },
    /// As soon as possible, starting at `minute` of `date` (a repair now).
    Now { date: NaiveDate, minute: u16 },
}

impl When {
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Window { date, .. } | When::Now { date, .. } => *date,
        }
    }

    /// The minute the job would start at the earliest.
    pub fn start(&self) -> u16 {
        match self {
            When::Window { span, .. } => span.start(),
            When::Now { minute, .. } => *minute,
        }
    }
}

/// A job to give to someone.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub area: Uuid,
    pub place: Option<GeoPoint>,
    pub when: When,
    /// Expected length in minutes.
    pub minutes: u16,
    /// The skill and level the service type needs.
    pub skill: Option<(Uuid, u8)>,
    pub priority: Priority,
    /// Minutes until the SLA is due (negative: overdue); none when paused
    /// or without a target.
    pub due_in_minutes: Option<i64>,
    /// A repair (the on-call rota takes repairs only).
    pub repair: bool,
    /// Who did this line's last job (continuity).
    pub previous_technician: Option<Uuid>,
    /// Who declined it (or let it time out) already: not asked again.
    pub declined_by: Vec<Uuid>,
    /// Minutes by road to the job's place from known starting points, as
    /// a routing server answered; a start not listed is estimated.
    pub road: RoadTimes,
}

/// Travel minutes by road to one place, from several starting points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoadTimes(pub Vec<(GeoPoint, f64)>);

impl RoadTimes {
    /// The minutes from `from` (the same point within about a metre).
    pub fn from(&self, from: &GeoPoint) -> Option<f64> {
        self.0
            .iter()
            .find(|(p, _)| (p.lat - from.lat).abs() < 1e-5 && (p.lng - from.lng).abs() < 1e-5)
            .map(|(_, m)| *m)
    }
}

impl Job {
    /// From 0 (low priority, far from due) to 1 (urgent, or due within the
    /// hour): the larger of the priority's and the clock's urgency.
    pub fn urgency(&self) -> f64 {
        let by_priority = match self.priority {
            Priority::Low => 0.0,
            Priority::Normal => 0.25,
            Priority::High => 0.5,
            Priority::Urgent => 1.0,
        };
        let by_clock = match self.due_in_minutes {
            None => 0.0,
            Some(m) if m <= 60 => 1.0,
            Some(m) if m <= 240 => 0.5,
            Some(m) if m <= 1440 => 0.25,
            Some(_) => 0.0,
        };
        f64::max(by_priority, by_clock)
    }
}

/// A job already in a technician's day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Booked {
    /// The minute it starts at the earliest (its window's start).
    pub start: u16,
    pub place: Option<GeoPoint>,
    pub minutes: u16,
}

/// A technician as dispatch sees them for one day.
#[derive(Debug, Clone)]
pub struct Technician {
    pub id: Uuid,
    pub active: bool,
    /// Sorted.
    pub areas: Vec<Uuid>,
    pub skills: Vec<(Uuid, u8)>,
    pub availability: Availability,
    pub max_jobs_per_day: u16,
    /// The day's jobs (of the job's date).
    pub day: Vec<Booked>,
    pub last_known: Option<(GeoPoint, DateTime<Utc>)>,
    pub home: Option<GeoPoint>,
}

/// Why a technician may not do a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Ineligible {
    Inactive,
    NotServingArea,
    OnLeave,
    /// Not working at the job's time (nor on call, for a repair).
    OffShift,
    SkillTooLow {
        need: u8,
        has: u8,
    },
    DayFull {
        max: u16,
    },
    /// Declined this job already (or did not accept it in time).
    Declined,
}

/// Where the travel to a job starts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Start {
    PreviousJob,
    LastKnown {
        at: DateTime<Utc>,
    },
    Home,
    /// No place known (for the job or the technician): a set estimate.
    Unknown,
}

/// The travel to a job.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Travel {
    pub from: Start,
    /// Straight-line distance, when both places are known.
    pub km: Option<f64>,
    pub minutes: f64,
    /// Whether the minutes came from a routing server (else estimated).
    #[serde(default)]
    pub by_road: bool,
}

/// What a part of the score is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Travel,
    Workload,
    SkillSurplus,
    Continuity,
}

/// One explained part of a score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub factor: Factor,
    /// The measure: minutes, jobs, levels, or 1 for continuity.
    pub value: f64,
    /// Points it adds (negative: takes away).
    pub points: f64,
}

/// An eligible technician, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub technician: Uuid,
    pub score: f64,
    pub parts: Vec<Part>,
    pub travel: Travel,
    /// The urgency factor travel was multiplied by.
    pub urgency_factor: f64,
}

/// The technicians for a job, best first, and those left out with why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub ranked: Vec<Scored>,
    pub ineligible: Vec<(Uuid, Vec<Ineligible>)>,
}

impl Ranking {
    pub fn best(&self) -> Option<&Scored> {
        self.ranked.first()
    }
}

/// Whether `t` may do `job`, and if not, every reason.
pub fn eligibility(t: &Technician, job: &Job, cal: &Calendar) -> Vec<Ineligible> {
    let mut why = Vec::new();
    if !t.active {
        why.push(Ineligible::Inactive);
    }
    if t.areas.binary_search(&job.area).is_err() {
        why.push(Ineligible::NotServingArea);
    }
    let date = job.when.date();
    if t.availability.on_leave(date) {
        why.push(Ineligible::OnLeave);
    } else if !on_shift(&t.availability, job, cal) {
        why.push(Ineligible::OffShift);
    }
    if let Some((skill, need)) = job.skill {
        let has = t
            .skills
            .iter()
            .find(|(s, _)| *s == skill)
            .map_or(0, |(_, l)| *l);
        if has < need {
            why.push(Ineligible::SkillTooLow { need, has });
        }
    }
    if t.day.len() >= usize::from(t.max_jobs_per_day) {
        why.push(Ineligible::DayFull {
            max: t.max_jobs_per_day,
        });
    }
    if job.declined_by.contains(&t.id) {
        why.push(Ineligible::Declined);
    }
    why
}

/// At work for the job: a shift span (or, for a repair, an on-call span)
/// that holds the whole job inside the window, or that is running at the
/// minute a job to be done now starts.
fn on_shift(a: &Availability, job: &Job, cal: &Calendar) -> bool {
    let date = job.when.date();
    let fits = |s: &Span| match job.when {
        When::Window { span, .. } => s.overlap(&span) >= job.minutes.min(span.minutes()),
        When::Now { minute, .. } => s.contains(minute),
    };
    a.shift(date, cal).iter().any(fits) || (job.repair && a.on_call_on(date).any(|s| fits(&s)))
}

/// Where `t` will set out from for `job`: the previous job of the day,
/// else a fresh last known position, else home.
pub fn start_of(
    t: &Technician,
    job: &Job,
    s: &Settings,
    now: DateTime<Utc>,
) -> (Start, Option<GeoPoint>) {
    let start = job.when.start();
    let previous = t
        .day
        .iter()
        .filter(|b| b.start <= start)
        .max_by_key(|b| b.start)
        .and_then(|b| b.place);
    let fresh = t
        .last_known
        .filter(|(_, at)| (now - *at).num_minutes() <= s.position_fresh_minutes);
    if let Some(p) = previous {
        (Start::PreviousJob, Some(p))
    } else if let Some((p, at)) = fresh {
        (Start::LastKnown { at }, Some(p))
    } else if let Some(p) = t.home {
        (Start::Home, Some(p))
    } else {
        (Start::Unknown, None)
    }
}

/// The travel of `t` to `job`: by road when the job carries the routing
/// server's answer for the start, else estimated.
fn travel(t: &Technician, job: &Job, s: &Settings, now: DateTime<Utc>) -> Travel {
    let (from, point) = start_of(t, job, s, now);
    match (point, job.place) {
        (Some(a), Some(b)) => {
            let by_road = job.road.from(&a);
            Travel {
                from,
                km: Some(a.distance_m(&b) / 1000.0),
                minutes: by_road.unwrap_or_else(|| s.travel_minutes(&a, &b)),
                by_road: by_road.is_some(),
            }
        }
        _ => Travel {
            from: Start::Unknown,
            km: None,
            minutes: s.unknown_travel_minutes,
            by_road: false,
        },
    }
}

/// The explained score of an eligible technician.
pub fn score(t: &Technician, job: &Job, s: &Settings, now: DateTime<Utc>) -> Scored {
    let w = &s.weights;
    let trip = travel(t, job, s, now);
    let urgency_factor = 1.0 + w.urgency * job.urgency();
    let mut parts = vec![
        Part {
            factor: Factor::Travel,
            value: trip.minutes,
            points: -trip.minutes * w.travel * urgency_factor,
        },
        Part {
            factor: Factor::Workload,
            value: t.day.len() as f64,
            points: -(t.day.len() as f64) * w.workload,
        },
    ];
    if let Some((skill, need)) = job.skill {
        let has = t
            .skills
            .iter()
            .find(|(sk, _)| *sk == skill)
            .map_or(0, |(_, l)| *l);
        let surplus = f64::from(has.saturating_sub(need));
        parts.push(Part {
            factor: Factor::SkillSurplus,
            value: surplus,
            points: surplus * w.skill_surplus,
        });
    }
    if job.previous_technician == Some(t.id) {
        parts.push(Part {
            factor: Factor::Continuity,
            value: 1.0,
            points: w.continuity,
        });
    }
    Scored {
        technician: t.id,
        score: parts.iter().map(|p| p.points).sum(),
        parts,
        travel: trip,
        urgency_factor,
    }
}

fn better(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.technician.cmp(&b.technician))
}

/// Every technician for `job`: the eligible ones best first, the others
/// with their reasons.
pub fn rank(
    job: &Job,
    technicians: &[Technician],
    cal: &Calendar,
    s: &Settings,
    now: DateTime<Utc>,
) -> Ranking {
    let mut out = Ranking::default();
    for t in technicians {
        let why = eligibility(t, job, cal);
        if why.is_empty() {
            out.ranked.push(score(t, job, s, now));
        } else {
            out.ineligible.push((t.id, why));
        }
    }
    out.ranked.sort_by(better);
    out
}

/// The best eligible technician only, without keeping the others: the
/// fast path of automatic assignment.
pub fn best(
    job: &Job,
    technicians: &[Technician],
    cal: &Calendar,
    s: &Settings,
    now: DateTime<Utc>,
) -> Option<Scored> {
    technicians
        .iter()
        .filter(|t| eligibility(t, job, cal).is_empty())
        .map(|t| score(t, job, s, now))
        .min_by(better)
}

/// Gives many jobs at once: the most urgent first (urgency, then priority,
/// then the sooner due), each to the best technician as the day stands
/// after the jobs before it. Returns, per job in the order given, the
/// choice (none when nobody may do it).
pub fn assign_batch(
    jobs: &[Job],
    technicians: &mut [Technician],
    cal: &Calendar,
    s: &Settings,
    now: DateTime<Utc>,
) -> Vec<Option<Scored>> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by(|&a, &b| {
        let (ja, jb) = (&jobs[a], &jobs[b]);
        jb.urgency()
            .total_cmp(&ja.urgency())
            .then(jb.priority.cmp(&ja.priority))
            .then(
                ja.due_in_minutes
                    .unwrap_or(i64::MAX)
                    .cmp(&jb.due_in_minutes.unwrap_or(i64::MAX)),
            )
            .then(a.cmp(&b))
    });
    let mut out = vec![None; jobs.len()];
    for i in order {
        let job = &jobs[i];
        if let Some(choice) = best(job, technicians, cal, s, now) {
            if let Some(t) = technicians.iter_mut().find(|t| t.id == choice.technician) {
                t.day.push(Booked {
                    start: job.when.start(),
                    place: job.place,
                    minutes: job.minutes,
                });
            }
            out[i] = Some(choice);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::{DateRange, OnCall, WeekPattern};
    use proptest::prelude::*;

    fn monday() -> NaiveDate {
        "2026-11-30".parse().expect("date")
    }

    fn now() -> DateTime<Utc> {
        "2026-11-30T01:00:00Z".parse().expect("time")
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn point(lat: f64, lng: f64) -> GeoPoint {
        GeoPoint::new(lat, lng).expect("point")
    }

    const AREA: u128 = 1000;
    const SPLICING: u128 = 2000;

    fn tech(n: u128, home: GeoPoint) -> Technician {
        Technician {
            id: id(n),
            active: true,
            areas: vec![id(AREA)],
            skills: vec![(id(SPLICING), 3)],
            availability: Availability {
                pattern: WeekPattern::standard(),
                ..Default::default()
            },
            max_jobs_per_day: 6,
            day: Vec::new(),
            last_known: None,
            home: Some(home),
        }
    }

    fn job(place: GeoPoint) -> Job {
        Job {
            id: id(1),
            area: id(AREA),
            place: Some(place),
            when: When::Window {
                date: monday(),
                span: Span::hm((8, 0), (12, 0)).expect("span"),
            },
            minutes: 90,
            skill: Some((id(SPLICING), 2)),
            priority: Priority::Normal,
            due_in_minutes: Some(600),
            repair: false,
            previous_technician: None,
            declined_by: Vec::new(),
            road: Default::default(),
        }
    }

    #[test]
    fn road_times_win_over_the_estimate_for_the_starts_they_know() {
        let site = point(-6.9, 107.6);
        let near = tech(1, point(-6.905, 107.6));
        let far = tech(2, point(-6.95, 107.6));
        let s = Settings::default();
        let cal = Calendar::default();
        let plain = rank(&job(site), &[near.clone(), far.clone()], &cal, &s, now());
        assert_eq!(plain.ranked[0].technician, id(1));
        assert!(!plain.ranked[0].travel.by_road);
        // A fast road from the far home; nothing known from the near one.
        let mut j = job(site);
        j.road = RoadTimes(vec![(point(-6.95, 107.6), 1.0)]);
        let routed = rank(&j, &[near, far], &cal, &s, now());
        assert_eq!(routed.ranked[0].technician, id(2));
        assert_eq!(routed.ranked[0].travel.minutes, 1.0);
        assert!(routed.ranked[0].travel.by_road);
        assert!(!routed.ranked[1].travel.by_road);
    }

    #[test]
    fn every_reason_is_given() {
        let site = point(-6.9, 107.6);
        let mut t = tech(1, site);
        t.active = false;
        t.areas = vec![id(5)];
        t.skills = vec![(id(SPLICING), 1)];
        t.max_jobs_per_day = 0;
        let mut j = job(site);
        j.declined_by = vec![id(1)];
        let why = eligibility(&t, &j, &Calendar::default());
        assert_eq!(
            why,
            vec![
                Ineligible::Inactive,
                Ineligible::NotServingArea,
                Ineligible::SkillTooLow { need: 2, has: 1 },
                Ineligible::DayFull { max: 0 },
                Ineligible::Declined,
            ]
        );
    }

    #[test]
    fn leave_shift_and_rota_decide_who_works() {
        let site = point(-6.9, 107.6);
        let cal = Calendar::default();
        let mut away = tech(1, site);
        away.availability.leave = vec![DateRange {
            from: monday(),
            to: monday(),
        }];
        assert_eq!(
            eligibility(&away, &job(site), &cal),
            vec![Ineligible::OnLeave]
        );
        // A repair at 20:00: off shift, unless on call.
        let mut night = job(site);
        night.when = When::Now {
            date: monday(),
            minute: 20 * 60,
        };
        night.repair = true;
        let mut t = tech(2, site);
        assert_eq!(eligibility(&t, &night, &cal), vec![Ineligible::OffShift]);
        t.availability.on_call = vec![OnCall {
            date: monday(),
            span: Span::hm((17, 0), (24, 0)).expect("span"),
        }];
        assert!(eligibility(&t, &night, &cal).is_empty());
        // The rota takes repairs only.
        night.repair = false;
        assert_eq!(eligibility(&t, &night, &cal), vec![Ineligible::OffShift]);
    }

    #[test]
    fn the_closer_of_two_equal_technicians_wins_and_says_why() {
        let site = point(-6.9000, 107.6000);
        let near = tech(9, point(-6.9050, 107.6000));
        let far = tech(1, point(-6.9500, 107.6000));
        let r = rank(
            &job(site),
            &[far, near],
            &Calendar::default(),
            &Settings::default(),
            now(),
        );
        assert_eq!(r.ranked.len(), 2);
        assert_eq!(r.ranked[0].technician, id(9));
        assert_eq!(r.ranked[0].travel.from, Start::Home);
        let km = r.ranked[0].travel.km.expect("km");
        assert!((km - 0.556).abs() < 0.01, "{km}");
    }

    #[test]
    fn the_previous_job_of_the_day_is_where_travel_starts() {
        let site = point(-6.9, 107.6);
        let mut t = tech(1, point(-7.2, 107.9));
        t.day.push(Booked {
            start: 6 * 60,
            place: Some(point(-6.901, 107.6)),
            minutes: 60,
        });
        t.last_known = Some((point(-7.0, 107.0), now()));
        let s = score(&t, &job(site), &Settings::default(), now());
        assert_eq!(s.travel.from, Start::PreviousJob);
        // A job after this one's window does not count.
        t.day[0].start = 13 * 60;
        let s = score(&t, &job(site), &Settings::default(), now());
        assert!(matches!(s.travel.from, Start::LastKnown { .. }));
        // A stale position does not count either.
        t.last_known = Some((point(-7.0, 107.0), now() - chrono::Duration::hours(5)));
        let s = score(&t, &job(site), &Settings::default(), now());
        assert_eq!(s.travel.from, Start::Home);
    }

    #[test]
    fn continuity_and_skill_surplus_are_rewarded() {
        let site = point(-6.9, 107.6);
        let mut j = job(site);
        j.previous_technician = Some(id(2));
        let a = tech(1, site);
        let b = tech(2, site);
        let r = rank(
            &j,
            &[a, b],
            &Calendar::default(),
            &Settings::default(),
            now(),
        );
        assert_eq!(r.ranked[0].technician, id(2));
        assert!(
            r.ranked[0]
                .parts
                .iter()
                .any(|p| p.factor == Factor::Continuity)
        );
        let surplus = r.ranked[0]
            .parts
            .iter()
            .find(|p| p.factor == Factor::SkillSurplus)
            .expect("surplus");
        assert_eq!(surplus.value, 1.0);
    }

    #[test]
    fn a_batch_spreads_jobs_and_urgent_ones_go_first() {
        let site = point(-6.9, 107.6);
        let mut techs = vec![tech(1, site), tech(2, point(-6.95, 107.6))];
        techs[0].max_jobs_per_day = 1;
        let mut calm = job(site);
        calm.id = id(10);
        calm.priority = Priority::Low;
        calm.due_in_minutes = None;
        let mut urgent = job(site);
        urgent.id = id(11);
        urgent.priority = Priority::Urgent;
        let out = assign_batch(
            &[calm, urgent],
            &mut techs,
            &Calendar::default(),
            &Settings::default(),
            now(),
        );
        // The urgent job took the near technician, whose day is then full.
        assert_eq!(out[1].as_ref().map(|s| s.technician), Some(id(1)));
        assert_eq!(out[0].as_ref().map(|s| s.technician), Some(id(2)));
    }

    fn arb_tech() -> impl Strategy<Value = Technician> {
        (
            any::<u64>(),
            any::<bool>(),
            any::<bool>(),
            0u8..=5,
            0u16..4,
            0usize..4,
            -0.2f64..0.2,
            -0.2f64..0.2,
            any::<bool>(),
        )
            .prop_map(
                |(n, active, serves, level, max, booked, dlat, dlng, away)| {
                    let home = point(-6.9 + dlat, 107.6 + dlng);
                    let mut t = tech(u128::from(n) + 10_000, home);
                    t.active = active;
                    if !serves {
                        t.areas = vec![id(7)];
                    }
                    t.skills = vec![(id(SPLICING), level)];
                    t.max_jobs_per_day = max;
                    t.day = (0..booked)
                        .map(|i| Booked {
                            start: 420 + i as u16 * 30,
                            place: Some(home),
                            minutes: 30,
                        })
                        .collect();
                    if away {
                        t.availability.leave = vec![DateRange {
                            from: monday(),
                            to: monday(),
                        }];
                    }
                    t
                },
            )
    }

    proptest! {
        #[test]
        fn never_an_ineligible_technician_and_parts_add_up(
            techs in proptest::collection::vec(arb_tech(), 0..30),
            urgent in any::<bool>(),
        ) {
            let mut j = job(point(-6.9, 107.6));
            if urgent {
                j.priority = Priority::Urgent;
            }
            let cal = Calendar::default();
            let s = Settings::default();
            let r = rank(&j, &techs, &cal, &s, now());
            prop_assert_eq!(r.ranked.len() + r.ineligible.len(), techs.len());
            for sc in &r.ranked {
                let t = techs.iter().find(|t| t.id == sc.technician).expect("known");
                prop_assert!(t.active && t.areas.contains(&j.area));
                prop_assert!(!t.availability.on_leave(monday()));
                prop_assert!(t.skills[0].1 >= 2);
                prop_assert!(t.day.len() < usize::from(t.max_jobs_per_day));
                let sum: f64 = sc.parts.iter().map(|p| p.points).sum();
                prop_assert!((sum - sc.score).abs() < 1e-9);
            }
            for w in r.ranked.windows(2) {
                prop_assert!(w[0].score >= w[1].score);
            }
            let fast = best(&j, &techs, &cal, &s, now());
            prop_assert_eq!(fast.map(|b| b.technician), r.best().map(|b| b.technician));
        }

        #[test]
        fn a_closer_equal_technician_never_ranks_below(
            d1 in 0.001f64..0.2, d2 in 0.001f64..0.2,
        ) {
            let site = point(-6.9, 107.6);
            let a = tech(1, point(-6.9 + d1, 107.6));
            let b = tech(2, point(-6.9 + d2, 107.6));
            let r = rank(&job(site), &[a, b], &Calendar::default(), &Settings::default(), now());
            let first = r.ranked[0].technician;
            if d1 < d2 { prop_assert_eq!(first, id(1)); }
            if d2 < d1 { prop_assert_eq!(first, id(2)); }
        }
    }
}
