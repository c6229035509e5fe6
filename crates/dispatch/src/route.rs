//! A technician's day in order: which job first, the travel between them,
//! and when they arrive at each.
//!
//! Cheapest insertion (jobs taken by the end of their window), then
//! relocation moves (take one job out, put it back where it costs least)
//! until none helps, from the insertion's order and from the order given;
//! the better of the two is kept. The cost of an order is its minutes on the road plus
//! a heavy penalty for every minute of arriving after a window's end, so
//! that windows are kept whenever they can be. A proper optimiser may
//! replace this behind the same inputs and outputs.

use netcrew_domain::GeoPoint;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{availability::Span, score::Settings};

/// Points per minute late, against one per minute on the road.
const LATE_PENALTY: f64 = 1000.0;
/// Relocation rounds at most (each tries every job at every place).
const MAX_ROUNDS: usize = 50;

/// A job of the day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub id: Uuid,
    pub place: Option<GeoPoint>,
    /// The appointment window: arrive no earlier than its start (waiting if
    /// early), no later than its end.
    pub window: Option<Span>,
    pub minutes: u16,
}

/// One job of the planned day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    pub stop: Uuid,
    pub travel_minutes: f64,
    /// Minutes from local midnight.
    pub arrive: f64,
    pub begin: f64,
    pub end: f64,
    /// Minutes after the window's end at arrival (0 when on time).
    pub late: f64,
}

/// The day in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub legs: Vec<Leg>,
    pub travel_minutes: f64,
    pub late_minutes: f64,
}

fn leg_minutes(s: &Settings, from: Option<GeoPoint>, to: Option<GeoPoint>) -> f64 {
    match (from, to) {
        (Some(a), Some(b)) => s.travel_minutes(&a, &b),
        // Unknown places: the settings' estimate, but nothing for staying.
        _ if from.is_none() && to.is_none() => 0.0,
        _ => s.unknown_travel_minutes,
    }
}

fn simulate(
    s: &Settings,
    start: Option<GeoPoint>,
    start_minute: u16,
    stops: &[Stop],
    order: &[usize],
) -> DayPlan {
    let mut t = f64::from(start_minute);
    let mut at = start;
    let mut plan = DayPlan::default();
    for &i in order {
        let stop = &stops[i];
        let travel = leg_minutes(s, at, stop.place);
        let arrive = t + travel;
        let (begin, late) = match stop.window {
            Some(w) => (
                arrive.max(f64::from(w.start())),
                (arrive - f64::from(w.end())).max(0.0),
            ),
            None => (arrive, 0.0),
        };
        let end = begin + f64::from(stop.minutes);
        plan.legs.push(Leg {
            stop: stop.id,
            travel_minutes: travel,
            arrive,
            begin,
            end,
            late,
        });
        plan.travel_minutes += travel;
        plan.late_minutes += late;
        t = end;
        if stop.place.is_some() {
            at = stop.place;
        }
    }
    plan
}

fn cost(p: &DayPlan) -> f64 {
    p.travel_minutes + LATE_PENALTY * p.late_minutes
}

/// Orders the day's `stops`, setting out from `start` at `start_minute`.
pub fn plan_day(
    s: &Settings,
    start: Option<GeoPoint>,
    start_minute: u16,
    stops: &[Stop],
) -> DayPlan {
    let eval = |order: &[usize]| cost(&simulate(s, start, start_minute, stops, order));
    let mut by_deadline: Vec<usize> = (0..stops.len()).collect();
    by_deadline.sort_by_key(|&i| (stops[i].window.map_or(u16::MAX, |w| w.end()), i));
    let mut order: Vec<usize> = Vec::with_capacity(stops.len());
    for i in by_deadline {
        let mut best = (f64::INFINITY, 0);
        for pos in 0..=order.len() {
            order.insert(pos, i);
            let c = eval(&order);
            order.remove(pos);
            if c < best.0 {
                best = (c, pos);
            }
        }
        order.insert(best.1, i);
    }
    // Improve both the insertion's order and the order given (the
    // caller's current plan): the better result is never worse than what
    // the technician had.
    let given: Vec<usize> = (0..stops.len()).collect();
    let a = improve(&eval, order);
    let b = improve(&eval, given);
    let order = if eval(&b) < eval(&a) { b } else { a };
    simulate(s, start, start_minute, stops, &order)
}

/// Relocation moves (take one job out, put it back where it costs least)
/// until none helps.
fn improve(eval: &impl Fn(&[usize]) -> f64, mut order: Vec<usize>) -> Vec<usize> {
    let mut current = eval(&order);
    for _ in 0..MAX_ROUNDS {
        let mut improved = false;
        for from in 0..order.len() {
            let item = order.remove(from);
            let mut best = (f64::INFINITY, from);
            for pos in 0..=order.len() {
                order.insert(pos, item);
                let c = eval(&order);
                order.remove(pos);
                if c < best.0 - 1e-9 {
                    best = (c, pos);
                }
            }
            order.insert(best.1, item);
            if best.0 < current - 1e-9 {
                current = best.0;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn point(lat: f64, lng: f64) -> GeoPoint {
        GeoPoint::new(lat, lng).expect("point")
    }

    fn stop(n: u128, lat: f64, window: Option<(u16, u16)>) -> Stop {
        Stop {
            id: Uuid::from_u128(n),
            place: Some(point(lat, 107.6)),
            window: window.map(|(a, b)| Span::new(a, b).expect("span")),
            minutes: 60,
        }
    }

    #[test]
    fn windows_decide_the_order_over_distance() {
        let s = Settings::default();
        // The far job must be done in the morning, the near one after.
        let near = stop(1, -6.901, Some((780, 1020)));
        let far = stop(2, -6.95, Some((480, 720)));
        let plan = plan_day(&s, Some(point(-6.9, 107.6)), 480, &[near, far]);
        let ids: Vec<u128> = plan.legs.iter().map(|l| l.stop.as_u128()).collect();
        assert_eq!(ids, vec![2, 1]);
        assert_eq!(plan.late_minutes, 0.0);
        // Early at the afternoon job: the technician waits for its start.
        assert_eq!(plan.legs[1].begin, 780.0);
    }

    #[test]
    fn without_windows_the_road_is_short() {
        let s = Settings::default();
        let stops = [
            stop(1, -6.93, None),
            stop(2, -6.91, None),
            stop(3, -6.92, None),
        ];
        let plan = plan_day(&s, Some(point(-6.9, 107.6)), 480, &stops);
        let ids: Vec<u128> = plan.legs.iter().map(|l| l.stop.as_u128()).collect();
        assert_eq!(ids, vec![2, 3, 1]);
    }

    proptest! {
        #[test]
        fn every_job_once_and_never_worse_than_the_given_order(
            lats in proptest::collection::vec(-0.1f64..0.1, 0..9),
            windows in proptest::collection::vec(proptest::option::of(0u16..3), 9),
        ) {
            let s = Settings::default();
            let stops: Vec<Stop> = lats.iter().enumerate().map(|(i, d)| {
                let w = windows[i].map(|k| (480 + k * 180, 720 + k * 180));
                stop(i as u128, -6.9 + d, w)
            }).collect();
            let start = Some(point(-6.9, 107.6));
            let plan = plan_day(&s, start, 480, &stops);
            let mut seen: Vec<u128> = plan.legs.iter().map(|l| l.stop.as_u128()).collect();
            seen.sort();
            prop_assert_eq!(seen, (0..stops.len() as u128).collect::<Vec<_>>());
            let given: Vec<usize> = (0..stops.len()).collect();
            let naive = simulate(&s, start, 480, &stops, &given);
            prop_assert!(cost(&plan) <= cost(&naive) + 1e-6);
            for w in plan.legs.windows(2) {
                prop_assert!(w[1].arrive >= w[0].end - 1e-9);
            }
        }
    }
}
