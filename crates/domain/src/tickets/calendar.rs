//! Service-level clocks on real calendars: an area's working hours in its
//! own time zone (WIB, WITA, WIT), national holidays and cuti bersama, and
//! pauses that stop the clock. Time is always passed in.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::schedule::Zone;

/// When the clock runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Hours {
    /// Around the clock, every day (holidays too).
    Always,
    /// From `open` to `close` local time on the given weekdays (Monday
    /// first), except holidays.
    Business {
        days: [bool; 7],
        open: NaiveTime,
        close: NaiveTime,
    },
}

/// An area's service calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub zone: Zone,
    pub hours: Hours,
    /// Days the ISP does not count (national holidays, cuti bersama).
    pub holidays: BTreeSet<NaiveDate>,
}

/// How far a ticket is along its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SlaStage {
    /// Under 80 % of the target.
    OnTrack,
    /// At 80 % or more: the supervisor is warned.
    AtRisk,
    /// At 100 % or more: breached; management is told too.
    Breached,
}

/// The share of a target at which a ticket is at risk, in percent.
pub const AT_RISK_PERCENT: i64 = 80;

impl Calendar {
    pub fn always(zone: Zone) -> Self {
        Calendar {
            zone,
            hours: Hours::Always,
            holidays: BTreeSet::new(),
        }
    }

    /// The open stretch of the local day `day`, in UTC, if the clock runs
    /// that day.
    fn open_on(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let local = |t: NaiveTime| {
            self.zone
                .from_local_datetime(&day.and_time(t))
                .earliest()
                .map(|d| d.with_timezone(&Utc))
        };
        match &self.hours {
            Hours::Always => {
                let start = local(NaiveTime::MIN)?;
                let next = self
                    .zone
                    .from_local_datetime(&(day + Duration::days(1)).and_time(NaiveTime::MIN))
                    .earliest()?
                    .with_timezone(&Utc);
                Some((start, next))
            }
            Hours::Business { days, open, close } => {
                if !days[day.weekday().num_days_from_monday() as usize]
                    || self.holidays.contains(&day)
                    || open >= close
                {
                    return None;
                }
                Some((local(*open)?, local(*close)?))
            }
        }
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// Working time between two instants (zero when `to` is not after
    /// `from`).
    pub fn working_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let mut total = Duration::zero();
        let mut day = self.local_day(from);
        let last = self.local_day(to);
        while day <= last {
            if let Some((open, close)) = self.open_on(day) {
                let (a, b) = (open.max(from), close.min(to));
                if b > a {
                    total += b - a;
                }
            }
            day += Duration::days(1);
        }
        total
    }

    /// The instant when `work` of working time has passed since `start`.
    /// A calendar that is never open (no working days) gives `None`.
    pub fn add_working(&self, start: DateTime<Utc>, work: Duration) -> Option<DateTime<Utc>> {
        let mut left = work;
        let mut day = self.local_day(start);
        // A year of days without one open hour means the calendar is empty.
        for _ in 0..400 {
            if let Some((open, close)) = self.open_on(day) {
                let from = open.max(start);
                if close > from {
                    let available = close - from;
                    if available >= left {
                        return Some(from + left);
                    }
                    left -= available;
                }
            }
            day += Duration::days(1);
        }
        None
    }
}

/// A stretch during which the clock stood still; `until: None` while it
/// still does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// A target running on a calendar from `started`, with its pauses.
#[derive(Debug, Clone)]
pub struct Clock<'a> {
    pub calendar: &'a Calendar,
    pub started: DateTime<Utc>,
    pub target: Duration,
    pub pauses: &'a [Pause],
}

impl Clock<'_> {
    /// Working time the pauses took, up to `now`.
    fn paused(&self, now: DateTime<Utc>) -> Duration {
        self.pauses
            .iter()
            .map(|p| {
                let until = p.until.unwrap_or(now).min(now);
                self.calendar
                    .working_between(p.from.max(self.started), until)
            })
            .fold(Duration::zero(), |a, b| a + b)
    }

    /// Working time counted against the target at `now`.
    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        let total = self.calendar.working_between(self.started, now);
        (total - self.paused(now)).max(Duration::zero())
    }

    /// When the target falls due, as things stand at `now`; `None` while
    /// the clock is paused (it is not running towards anything).
    pub fn due(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self
            .pauses
            .iter()
            .any(|p| p.until.is_none_or(|u| u > now) && p.from <= now)
        {
            return None;
        }
        let used = self.elapsed(now);
        let left = self.target - used;
        if left <= Duration::zero() {
            // Already past: due when the working time ran out.
            let from = now.max(self.started);
            let over = used - self.target;
            return Some(from - over);
        }
        self.calendar.add_working(now.max(self.started), left)
    }

    pub fn stage(&self, now: DateTime<Utc>) -> SlaStage {
        let used = self.elapsed(now).num_seconds();
        let target = self.target.num_seconds().max(1);
        if used >= target {
            SlaStage::Breached
        } else if used * 100 >= target * AT_RISK_PERCENT {
            SlaStage::AtRisk
        } else {
            SlaStage::OnTrack
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::parse_zone;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    /// Monday to Saturday, 08:00–17:00 WIB, with 25 December off.
    fn office() -> Calendar {
        Calendar {
            zone: parse_zone("Asia/Jakarta").expect("zone"),
            hours: Hours::Business {
                days: [true, true, true, true, true, true, false],
                open: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
                close: NaiveTime::from_hms_opt(17, 0, 0).expect("time"),
            },
            holidays: [NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")]
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn around_the_clock_counts_every_minute() {
        let cal = Calendar::always(parse_zone("Asia/Makassar").expect("zone"));
        let start = at("2026-11-28T22:00:00Z");
        assert_eq!(
            cal.add_working(start, Duration::hours(4)),
            Some(at("2026-11-29T02:00:00Z"))
        );
        assert_eq!(
            cal.working_between(start, at("2026-11-30T22:00:00Z")),
            Duration::hours(48)
        );
    }

    #[test]
    fn business_hours_skip_nights_sundays_and_holidays() {
        let cal = office();
        // Saturday 16:00 WIB (09:00 UTC) + 2 working hours: one hour on
        // Saturday, Sunday is closed, so Monday 09:00 WIB (02:00 UTC).
        assert_eq!(
            cal.add_working(at("2026-11-28T09:00:00Z"), Duration::hours(2)),
            Some(at("2026-11-30T02:00:00Z"))
        );
        // Thursday 24 December 16:00 WIB + 2 h: Friday the 25th is a
        // holiday, so Saturday 09:00 WIB.
        assert_eq!(
            cal.add_working(at("2026-12-24T09:00:00Z"), Duration::hours(2)),
            Some(at("2026-12-26T02:00:00Z"))
        );
        // Before opening counts from opening time.
        assert_eq!(
            cal.add_working(at("2026-11-30T00:00:00Z"), Duration::minutes(30)),
            Some(at("2026-11-30T01:30:00Z"))
        );
        assert_eq!(
            cal.working_between(at("2026-11-28T09:00:00Z"), at("2026-11-30T02:00:00Z")),
            Duration::hours(2)
        );
    }

    #[test]
    fn the_same_instant_is_a_different_day_in_each_zone() {
        let mut wit = office();
        wit.zone = parse_zone("Asia/Jayapura").expect("zone");
        // 23:30 UTC on Sunday is already Monday 08:30 in Jayapura (UTC+9),
        // but still Monday 06:30 in Jakarta (closed).
        let now = at("2026-11-29T23:30:00Z");
        assert_eq!(
            wit.add_working(now, Duration::minutes(30)),
            Some(at("2026-11-30T00:00:00Z"))
        );
        assert_eq!(
            office().add_working(now, Duration::minutes(30)),
            Some(at("2026-11-30T01:30:00Z"))
        );
    }

    #[test]
    fn pauses_stop_the_clock_and_move_the_due_time() {
        let cal = Calendar::always(parse_zone("Asia/Jakarta").expect("zone"));
        let started = at("2026-11-28T00:00:00Z");
        let pauses = [Pause {
            from: at("2026-11-28T01:00:00Z"),
            until: Some(at("2026-11-28T03:00:00Z")),
        }];
        let clock = Clock {
            calendar: &cal,
            started,
            target: Duration::hours(4),
            pauses: &pauses,
        };
        let now = at("2026-11-28T04:00:00Z");
        assert_eq!(clock.elapsed(now), Duration::hours(2));
        assert_eq!(clock.due(now), Some(at("2026-11-28T06:00:00Z")));
        assert_eq!(clock.stage(now), SlaStage::OnTrack);
        assert_eq!(clock.stage(at("2026-11-28T05:12:00Z")), SlaStage::AtRisk);
        assert_eq!(clock.stage(at("2026-11-28T06:00:00Z")), SlaStage::Breached);
        // While a pause lasts, nothing is due.
        let open = [Pause {
            from: at("2026-11-28T01:00:00Z"),
            until: None,
        }];
        let paused = Clock {
            pauses: &open,
            ..clock.clone()
        };
        assert_eq!(paused.due(now), None);
        assert_eq!(paused.elapsed(now), Duration::hours(1));
    }

    #[test]
    fn a_calendar_with_no_working_day_never_falls_due() {
        let mut cal = office();
        cal.hours = Hours::Business {
            days: [false; 7],
            open: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
            close: NaiveTime::from_hms_opt(17, 0, 0).expect("time"),
        };
        assert_eq!(
            cal.add_working(at("2026-11-28T00:00:00Z"), Duration::hours(1)),
            None
        );
    }
}
