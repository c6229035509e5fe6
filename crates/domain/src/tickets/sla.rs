//! A ticket's two service-level targets (response: created → accepted;
//! resolution: created → resolved), where they stand, and when they warn.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendar::{AT_RISK_PERCENT, Calendar, Clock, Pause, SlaStage};

/// Which target a clock runs towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    /// Created (or reopened) until a technician accepts it.
    Response,
    /// Created (or reopened) until it is resolved.
    Resolution,
}

impl SlaTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaTarget::Response => "response",
            SlaTarget::Resolution => "resolution",
        }
    }
}

/// Where a ticket stands against its targets, as listed and filtered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Under 80 % of every running target.
    OnTrack,
    /// At 80 % or more of a target.
    AtRisk,
    /// A target was missed.
    Breached,
}

impl SlaState {
    pub const ALL: [SlaState; 3] = [SlaState::OnTrack, SlaState::AtRisk, SlaState::Breached];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::OnTrack => "on_track",
            SlaState::AtRisk => "at_risk",
            SlaState::Breached => "breached",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl From<SlaStage> for SlaState {
    fn from(s: SlaStage) -> Self {
        match s {
            SlaStage::OnTrack => SlaState::OnTrack,
            SlaStage::AtRisk => SlaState::AtRisk,
            SlaStage::Breached => SlaState::Breached,
        }
    }
}

/// The targets of a ticket, from its service type and priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub response: Duration,
    pub resolution: Duration,
}

/// What a ticket's clocks say at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTimes {
    /// When the response target reaches 80 %; `None` once accepted or while
    /// paused.
    pub response_warn_at: Option<DateTime<Utc>>,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_warn_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub state: SlaState,
}

/// The facts the clocks run on.
#[derive(Debug, Clone)]
pub struct SlaInput<'a> {
    pub calendar: &'a Calendar,
    /// Creation, or the last reopening.
    pub started: DateTime<Utc>,
    pub targets: Targets,
    /// The pauses that stop the clock (reasons that do not are left out).
    pub pauses: &'a [Pause],
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether the ticket was cancelled (no clock runs any more).
    pub cancelled: bool,
}

fn scaled(d: Duration, percent: i64) -> Duration {
    Duration::seconds(d.num_seconds() * percent / 100)
}

/// One target: its warning and due time at `now` (while it runs) and its
/// stage (at the moment it stopped, if it did).
fn one(
    input: &SlaInput<'_>,
    target: Duration,
    stopped: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>, SlaStage) {
    let clock = Clock {
        calendar: input.calendar,
        started: input.started,
        target,
        pauses: input.pauses,
    };
    if let Some(at) = stopped {
        // Met or missed for good: a late answer stays a breach.
        let stage = if clock.stage(at) == SlaStage::Breached {
            SlaStage::Breached
        } else {
            SlaStage::OnTrack
        };
        return (None, None, stage);
    }
    if input.cancelled {
        return (None, None, SlaStage::OnTrack);
    }
    let warn = Clock {
        target: scaled(target, AT_RISK_PERCENT),
        ..clock.clone()
    };
    (warn.due(now), clock.due(now), clock.stage(now))
}

/// The clocks of a ticket at `now`.
pub fn sla_times(input: &SlaInput<'_>, now: DateTime<Utc>) -> SlaTimes {
    let (response_warn_at, response_due_at, response) = one(
        input,
        input.targets.response,
        input.accepted_at.or(input.resolved_at),
        now,
    );
    let (resolution_warn_at, resolution_due_at, resolution) =
        one(input, input.targets.resolution, input.resolved_at, now);
    SlaTimes {
        response_warn_at,
        response_due_at,
        resolution_warn_at,
        resolution_due_at,
        state: response.max(resolution).into(),
    }
}

/// The stage a running target has reached that a warning is owed for:
/// the warning time or the due time has come.
pub fn owed_stage(
    warn_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<SlaStage> {
    if due_at.is_some_and(|d| d <= now) {
        Some(SlaStage::Breached)
    } else if warn_at.is_some_and(|w| w <= now) {
        Some(SlaStage::AtRisk)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::parse_zone;
    use crate::tickets::calendar::Hours;
    use chrono::{NaiveDate, NaiveTime};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    fn office(zone: &str) -> Calendar {
        Calendar {
            zone: parse_zone(zone).expect("zone"),
            hours: Hours::Business {
                days: [true, true, true, true, true, false, false],
                open: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
                close: NaiveTime::from_hms_opt(17, 0, 0).expect("time"),
            },
            holidays: [NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")]
                .into_iter()
                .collect(),
        }
    }

    fn targets(response_h: i64, resolution_h: i64) -> Targets {
        Targets {
            response: Duration::hours(response_h),
            resolution: Duration::hours(resolution_h),
        }
    }

    #[test]
    fn a_friday_evening_report_falls_due_on_monday() {
        let cal = office("Asia/Jakarta");
        // Friday 27 Nov 2026, 16:00 WIB (09:00 UTC): one office hour left.
        let input = SlaInput {
            calendar: &cal,
            started: at("2026-11-27T09:00:00Z"),
            targets: targets(2, 8),
            pauses: &[],
            accepted_at: None,
            resolved_at: None,
            cancelled: false,
        };
        let t = sla_times(&input, at("2026-11-27T09:00:00Z"));
        // Response: 1 h Friday + 1 h Monday → Monday 09:00 WIB.
        assert_eq!(t.response_due_at, Some(at("2026-11-30T02:00:00Z")));
        // 80 % of 2 h = 96 min: Monday 08:36 WIB.
        assert_eq!(t.response_warn_at, Some(at("2026-11-30T01:36:00Z")));
        // Resolution: 1 h Friday + 7 h Monday → Monday 15:00 WIB.
        assert_eq!(t.resolution_due_at, Some(at("2026-11-30T08:00:00Z")));
        // Over the weekend nothing moves.
        assert_eq!(
            sla_times(&input, at("2026-11-29T05:00:00Z")).state,
            SlaState::OnTrack
        );
        assert_eq!(
            sla_times(&input, at("2026-11-30T01:40:00Z")).state,
            SlaState::AtRisk
        );
        assert_eq!(
            sla_times(&input, at("2026-11-30T02:00:00Z")).state,
            SlaState::Breached
        );
    }

    #[test]
    fn a_holiday_and_a_pause_push_the_due_time() {
        let cal = office("Asia/Jakarta");
        // Thursday 24 Dec 2026 16:00 WIB; Friday 25 Dec is Christmas.
        let pause = [Pause {
            from: at("2026-12-28T01:00:00Z"),
            until: Some(at("2026-12-28T03:00:00Z")),
        }];
        let input = SlaInput {
            calendar: &cal,
            started: at("2026-12-24T09:00:00Z"),
            targets: targets(2, 4),
            pauses: &pause,
            accepted_at: None,
            resolved_at: None,
            cancelled: false,
        };
        // 1 h Thursday, Christmas and the weekend off, Monday 08:00–10:00
        // paused, so 3 h more from 10:00: Monday 13:00 WIB.
        let t = sla_times(&input, at("2026-12-28T04:00:00Z"));
        assert_eq!(t.resolution_due_at, Some(at("2026-12-28T06:00:00Z")));
        // While paused no due time is given.
        let paused = sla_times(&input, at("2026-12-28T02:00:00Z"));
        assert_eq!(paused.resolution_due_at, None);
    }

    #[test]
    fn the_same_hours_in_another_zone_fall_due_at_another_instant() {
        let wib = office("Asia/Jakarta");
        let wit = office("Asia/Jayapura");
        let start = at("2026-11-30T03:00:00Z");
        let input = |cal| SlaInput {
            calendar: cal,
            started: start,
            targets: targets(1, 9),
            pauses: &[],
            accepted_at: None,
            resolved_at: None,
            cancelled: false,
        };
        // 10:00 WIB: 9 working hours end Tuesday 10:00 WIB (03:00 UTC).
        assert_eq!(
            sla_times(&input(&wib), start).resolution_due_at,
            Some(at("2026-12-01T03:00:00Z"))
        );
        // 12:00 WIT: 5 h Monday, 4 h Tuesday → Tuesday 12:00 WIT (03:00 UTC)…
        // and the office closes two hours earlier in UTC terms.
        assert_eq!(
            sla_times(&input(&wit), start).resolution_due_at,
            Some(at("2026-12-01T03:00:00Z"))
        );
        let late = at("2026-11-30T09:00:00Z"); // 16:00 WIB, 18:00 WIT
        let late_input = |cal| SlaInput {
            started: late,
            ..input(cal)
        };
        assert_eq!(
            sla_times(&late_input(&wib), late).resolution_due_at,
            Some(at("2026-12-01T09:00:00Z"))
        );
        assert_eq!(
            sla_times(&late_input(&wit), late).resolution_due_at,
            Some(at("2026-12-01T08:00:00Z"))
        );
    }

    #[test]
    fn a_late_acceptance_stays_a_breach_and_met_targets_stop() {
        let cal = Calendar::always(parse_zone("Asia/Jakarta").expect("zone"));
        let start = at("2026-11-30T00:00:00Z");
        let mut input = SlaInput {
            calendar: &cal,
            started: start,
            targets: targets(2, 8),
            pauses: &[],
            accepted_at: Some(at("2026-11-30T03:00:00Z")),
            resolved_at: None,
            cancelled: false,
        };
        let t = sla_times(&input, at("2026-11-30T03:30:00Z"));
        assert_eq!(t.state, SlaState::Breached);
        assert_eq!(t.response_due_at, None);
        assert_eq!(t.resolution_due_at, Some(at("2026-11-30T08:00:00Z")));
        input.accepted_at = Some(at("2026-11-30T01:00:00Z"));
        input.resolved_at = Some(at("2026-11-30T05:00:00Z"));
        let done = sla_times(&input, at("2026-12-05T00:00:00Z"));
        assert_eq!(done.state, SlaState::OnTrack);
        assert_eq!(done.resolution_due_at, None);
    }

    #[test]
    fn a_warning_is_owed_once_its_time_has_come() {
        let w = at("2026-11-30T01:00:00Z");
        let d = at("2026-11-30T02:00:00Z");
        assert_eq!(
            owed_stage(Some(w), Some(d), at("2026-11-30T00:59:00Z")),
            None
        );
        assert_eq!(owed_stage(Some(w), Some(d), w), Some(SlaStage::AtRisk));
        assert_eq!(owed_stage(Some(w), Some(d), d), Some(SlaStage::Breached));
        assert_eq!(owed_stage(None, None, d), None);
    }
}
