//! The customer's "technician on the way" page: how long its link works,
//! what it shows at each status, when a shared position is recent enough to
//! show, and the rough arrival time from a straight-line distance.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::tickets::TicketStatus;

/// How long a tracking link works after it is made.
pub const LINK_HOURS: i64 = 24;

/// A technician's shared position is shown while it is at most this old.
pub const FRESH_MINUTES: i64 = 10;

/// How much longer the road is than the straight line, in town.
pub const ROAD_FACTOR: f64 = 1.3;

/// The average speed of a motorbike through town traffic, km/h.
pub const URBAN_KMH: f64 = 25.0;

/// What the tracking page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The technician is on the way (`en_route`): the position, distance
    /// and arrival time when the phone shared a recent one.
    OnTheWay,
    /// The technician has arrived (`on_site`): tracking stops.
    Arrived,
    /// The visit is not under way any more (waiting, handed back, …):
    /// nothing to follow.
    Ended,
}

/// When a link made at `created_at` stops working.
pub fn link_expiry(created_at: DateTime<Utc>) -> DateTime<Utc> {
    created_at + Duration::hours(LINK_HOURS)
}

/// What a link that expires at `expires_at` shows at `now` for a ticket in
/// `status`; `None` when the link no longer works (expired, or the ticket
/// is done, closed or cancelled).
pub fn stage(status: TicketStatus, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Stage> {
    if now >= expires_at || !status.is_open() {
        return None;
    }
    Some(match status {
        TicketStatus::EnRoute => Stage::OnTheWay,
        TicketStatus::OnSite => Stage::Arrived,
        _ => Stage::Ended,
    })
}

/// Whether a position taken at `at` is recent enough to show at `now` (a
/// position from the future, a skewed clock, counts as recent).
pub fn fresh(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - at <= Duration::minutes(FRESH_MINUTES)
}

/// The rough minutes to cover `straight_m` metres of straight line: the
/// road is [`ROAD_FACTOR`] times longer, ridden at [`URBAN_KMH`]; rounded
/// up, at least one minute (a bad distance gives one minute too).
pub fn eta_minutes(straight_m: f64) -> u32 {
    if !straight_m.is_finite() || straight_m <= 0.0 {
        return 1;
    }
    let road_m = straight_m * ROAD_FACTOR;
    let metres_per_minute = URBAN_KMH * 1000.0 / 60.0;
    let minutes = (road_m / metres_per_minute).ceil();
    // Beyond a day of riding the number means nothing more.
    minutes.clamp(1.0, 24.0 * 60.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_764_560_000, 0).unwrap_or_default()
            + Duration::minutes(minutes)
    }

    #[test]
    fn eta_rides_the_road_at_town_speed() {
        // 5 km straight: 6.5 km of road at 25 km/h is 15.6 minutes.
        assert_eq!(eta_minutes(5_000.0), 16);
        // 1 km straight: 1.3 km of road is 3.12 minutes.
        assert_eq!(eta_minutes(1_000.0), 4);
        // Exactly 25 km of road is an hour.
        assert_eq!(eta_minutes(25_000.0 / ROAD_FACTOR), 60);
    }

    #[test]
    fn eta_is_at_least_a_minute_and_never_absurd() {
        assert_eq!(eta_minutes(0.0), 1);
        assert_eq!(eta_minutes(30.0), 1);
        assert_eq!(eta_minutes(-5.0), 1);
        assert_eq!(eta_minutes(f64::NAN), 1);
        assert_eq!(eta_minutes(f64::INFINITY), 1);
        assert_eq!(eta_minutes(20_000_000.0), 24 * 60);
    }

    #[test]
    fn only_a_recent_position_is_shown() {
        assert!(fresh(at(0), at(FRESH_MINUTES)));
        assert!(fresh(at(5), at(0)));
        assert!(!fresh(at(0), at(FRESH_MINUTES + 1)));
    }

    #[test]
    fn the_link_follows_the_visit_and_stops_when_it_is_over() {
        let expires = link_expiry(at(0));
        assert_eq!(expires, at(LINK_HOURS * 60));
        let now = at(30);
        assert_eq!(
            stage(TicketStatus::EnRoute, expires, now),
            Some(Stage::OnTheWay)
        );
        assert_eq!(
            stage(TicketStatus::OnSite, expires, now),
            Some(Stage::Arrived)
        );
        for s in [
            TicketStatus::Pending,
            TicketStatus::Assigned,
            TicketStatus::Accepted,
        ] {
            assert_eq!(stage(s, expires, now), Some(Stage::Ended), "{s:?}");
        }
        for s in [
            TicketStatus::Resolved,
            TicketStatus::Closed,
            TicketStatus::Cancelled,
        ] {
            assert_eq!(stage(s, expires, now), None, "{s:?}");
        }
        assert_eq!(stage(TicketStatus::EnRoute, expires, expires), None);
    }
}
