//! How much room a booking window has.
//!
//! Each unit (a technician, or a crew that works and travels as one) on
//! shift in the area brings the minutes its shift shares with the window;
//! the jobs already booked in the window take their expected minutes. A
//! new job fits when the free minutes hold it and at least one unit's
//! share of the window is long enough to do it in one go. A unit that
//! serves several areas splits its minutes evenly between them, so the
//! same hour is not sold twice.

use serde::{Deserialize, Serialize};

use crate::availability::Span;

/// The room in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// Units with some time in the window.
    pub units: u32,
    pub total_minutes: u32,
    pub booked_minutes: u32,
    pub free_minutes: u32,
    /// Jobs of the asked length that still fit.
    pub free_jobs: u32,
    pub has_room: bool,
}

/// One unit of capacity: a technician, or a crew that works as one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    /// Its working spans that day.
    pub spans: Vec<Span>,
    /// How many areas it serves (its minutes are split between them); 0
    /// counts as 1.
    pub areas: u16,
}

impl Unit {
    pub fn new(spans: Vec<Span>) -> Unit {
        Unit { spans, areas: 1 }
    }
}

/// The room in `window` for a job of `job_minutes`, given the units on
/// shift that day and the minutes already booked.
pub fn window_capacity(
    window: Span,
    units: &[Unit],
    booked_minutes: u32,
    job_minutes: u16,
) -> Capacity {
    let share = |u: &Unit| -> u32 {
        let m: u32 = u.spans.iter().map(|s| u32::from(s.overlap(&window))).sum();
        m / u32::from(u.areas.max(1))
    };
    let working: Vec<&Unit> = units.iter().filter(|u| share(u) > 0).collect();
    let total: u32 = working.iter().map(|u| share(u)).sum();
    let free = total.saturating_sub(booked_minutes);
    let job = u32::from(job_minutes.max(1));
    // The longest stretch one unit can give the job in one go.
    let longest = working
        .iter()
        .flat_map(|u| u.spans.iter().map(|s| u32::from(s.overlap(&window))))
        .max()
        .unwrap_or(0);
    let free_jobs = if longest >= job { free / job } else { 0 };
    Capacity {
        units: working.len() as u32,
        total_minutes: total,
        booked_minutes,
        free_minutes: free,
        free_jobs,
        has_room: free_jobs > 0,
    }
}

/// The time a crew works together: what all its members' spans share.
pub fn crew_spans(members: &[Vec<Span>]) -> Vec<Span> {
    let Some((first, rest)) = members.split_first() else {
        return Vec::new();
    };
    rest.iter().fold(first.clone(), |acc, spans| {
        acc.iter()
            .flat_map(|a| spans.iter().filter_map(move |b| a.intersect(b)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::{Availability, Calendar, DateRange, WeekPattern};
    use proptest::prelude::*;

    fn span(a: (u16, u16), b: (u16, u16)) -> Span {
        Span::hm(a, b).expect("span")
    }

    #[test]
    fn shifts_and_leave_give_the_room() {
        let morning = span((8, 0), (12, 0));
        let monday: chrono::NaiveDate = "2026-11-30".parse().expect("date");
        let cal = Calendar::default();
        let worker = Availability {
            pattern: WeekPattern::standard(),
            ..Default::default()
        };
        let away = Availability {
            leave: vec![DateRange {
                from: monday,
                to: monday,
            }],
            ..worker.clone()
        };
        let units: Vec<Unit> = [&worker, &worker, &away]
            .iter()
            .map(|a| Unit::new(a.shift(monday, &cal).to_vec()))
            .collect();
        // Two on shift, 240 minutes each; three 120-minute jobs booked.
        let c = window_capacity(morning, &units, 360, 120);
        assert_eq!(
            c,
            Capacity {
                units: 2,
                total_minutes: 480,
                booked_minutes: 360,
                free_minutes: 120,
                free_jobs: 1,
                has_room: true,
            }
        );
        let full = window_capacity(morning, &units, 480, 120);
        assert!(!full.has_room);
        assert_eq!(full.free_jobs, 0);
        // Saturday afternoon: nobody.
        let saturday = monday - chrono::Duration::days(2);
        let units = vec![Unit::new(worker.shift(saturday, &cal).to_vec())];
        let c = window_capacity(span((13, 0), (17, 0)), &units, 0, 60);
        assert_eq!((c.units, c.has_room), (0, false));
    }

    #[test]
    fn a_job_longer_than_any_share_does_not_fit() {
        let units = vec![
            Unit::new(vec![span((8, 0), (9, 0))]),
            Unit::new(vec![span((11, 0), (12, 0))]),
        ];
        let c = window_capacity(span((8, 0), (12, 0)), &units, 0, 90);
        assert_eq!(c.free_minutes, 120);
        assert!(!c.has_room);
    }

    #[test]
    fn a_unit_serving_two_areas_brings_half_to_each() {
        let both = Unit {
            spans: vec![span((8, 0), (12, 0))],
            areas: 2,
        };
        let c = window_capacity(span((8, 0), (12, 0)), &[both], 0, 60);
        assert_eq!((c.total_minutes, c.free_jobs), (120, 2));
    }

    #[test]
    fn a_crew_works_when_all_of_it_does() {
        let a = vec![span((8, 0), (12, 0)), span((13, 0), (17, 0))];
        let b = vec![span((10, 0), (15, 0))];
        assert_eq!(
            crew_spans(&[a, b]),
            vec![span((10, 0), (12, 0)), span((13, 0), (15, 0))]
        );
    }

    proptest! {
        #[test]
        fn booking_never_adds_room(
            shifts in proptest::collection::vec((0u16..20, 1u16..8), 0..6),
            booked in 0u32..2000, more in 1u32..500, job in 30u16..240,
        ) {
            let units: Vec<Unit> = shifts.iter()
                .map(|(h, len)| Unit::new(vec![Span::new(h * 60, ((h + len) * 60).min(1440)).expect("span")]))
                .collect();
            let w = span((8, 0), (17, 0));
            let a = window_capacity(w, &units, booked, job);
            let b = window_capacity(w, &units, booked + more, job);
            prop_assert!(b.free_minutes <= a.free_minutes);
            prop_assert!(b.free_jobs <= a.free_jobs);
            prop_assert!(a.free_minutes + a.booked_minutes.min(a.total_minutes) == a.total_minutes);
        }
    }
}
