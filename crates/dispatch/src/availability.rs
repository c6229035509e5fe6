//! When a technician works on a given day.
//!
//! A day's work is a list of [`Span`]s in local minutes from midnight. The
//! weekly [`WeekPattern`] gives them per weekday; a gap in Friday's spans is
//! the Friday prayer. During Ramadan a second pattern applies. National
//! holidays and cuti bersama are days off for everyone; leave and sick days
//! are days off for one person. The on-call rota (piket) adds spans on
//! which a technician takes repairs only, whatever the day.

use std::{fmt, str::FromStr};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Minutes in a day; a span may end at 24:00.
pub const DAY_MINUTES: u16 = 24 * 60;

/// A stretch of a day, `[start, end)` in minutes from local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: u16,
    end: u16,
}

/// Why a span is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("a time span as HH:MM-HH:MM")]
    Format,
    #[error("the end must be after the start")]
    EndsBeforeStart,
    #[error("spans of one day must not overlap")]
    Overlap,
}

impl SpanError {
    /// The field error code.
    pub fn code(&self) -> &'static str {
        match self {
            SpanError::Format => "span_format",
            SpanError::EndsBeforeStart => "span_order",
            SpanError::Overlap => "span_overlap",
        }
    }
}

impl Span {
    /// A span from `start` to `end` minutes; `end` after `start`, at most
    /// 24:00.
    pub fn new(start: u16, end: u16) -> Result<Span, SpanError> {
        if end > DAY_MINUTES {
            return Err(SpanError::Format);
        }
        if end <= start {
            return Err(SpanError::EndsBeforeStart);
        }
        Ok(Span { start, end })
    }

    /// From hours and minutes, for constants and tests.
    pub fn hm(start: (u16, u16), end: (u16, u16)) -> Result<Span, SpanError> {
        Span::new(start.0 * 60 + start.1, end.0 * 60 + end.1)
    }

    pub fn start(&self) -> u16 {
        self.start
    }

    pub fn end(&self) -> u16 {
        self.end
    }

    pub fn minutes(&self) -> u16 {
        self.end - self.start
    }

    /// Minutes this span shares with `other`.
    pub fn overlap(&self, other: &Span) -> u16 {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        end.saturating_sub(start)
    }

    /// Whether minute `m` is inside.
    pub fn contains(&self, m: u16) -> bool {
        self.start <= m && m < self.end
    }

    /// The part shared with `other`, if any.
    pub fn intersect(&self, other: &Span) -> Option<Span> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (end > start).then_some(Span { start, end })
    }
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hhmm(self.start), hhmm(self.end))
    }
}

impl FromStr for Span {
    type Err = SpanError;
    fn from_str(s: &str) -> Result<Span, SpanError> {
        let (a, b) = s.split_once('-').ok_or(SpanError::Format)?;
        let start = parse_hhmm(a).ok_or(SpanError::Format)?;
        let end = parse_hhmm(b).ok_or(SpanError::Format)?;
        if start == DAY_MINUTES {
            return Err(SpanError::Format);
        }
        Span::new(start, end)
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Sorts spans and refuses overlapping ones.
pub fn day_spans(mut spans: Vec<Span>) -> Result<Vec<Span>, SpanError> {
    spans.sort();
    if spans.windows(2).any(|w| w[1].start < w[0].end) {
        return Err(SpanError::Overlap);
    }
    Ok(spans)
}

/// Working spans for each weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WeekPattern {
    days: [Vec<Span>; 7],
}

impl WeekPattern {
    /// Checks each day's spans (sorted, not overlapping).
    pub fn new(days: [Vec<Span>; 7]) -> Result<WeekPattern, (usize, SpanError)> {
        let mut out: [Vec<Span>; 7] = Default::default();
        for (i, d) in days.into_iter().enumerate() {
            out[i] = day_spans(d).map_err(|e| (i, e))?;
        }
        Ok(WeekPattern { days: out })
    }

    /// The usual field shift: Monday to Thursday 08:00–12:00 and
    /// 13:00–17:00, Friday 08:00–11:30 and 13:00–17:00 (Friday prayer),
    /// Saturday 08:00–12:00, Sunday off.
    pub fn standard() -> WeekPattern {
        let s = |a: u16, b: u16| Span { start: a, end: b };
        let weekday = vec![s(480, 720), s(780, 1020)];
        WeekPattern {
            days: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                vec![s(480, 690), s(780, 1020)],
                vec![s(480, 720)],
                Vec::new(),
            ],
        }
    }

    /// Shorter Ramadan hours: Monday to Thursday 08:00–12:00 and
    /// 12:30–15:30, Friday 08:00–11:30 and 13:00–15:30, Saturday
    /// 08:00–12:00.
    pub fn ramadan_standard() -> WeekPattern {
        let s = |a: u16, b: u16| Span { start: a, end: b };
        let weekday = vec![s(480, 720), s(750, 930)];
        WeekPattern {
            days: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                vec![s(480, 690), s(780, 930)],
                vec![s(480, 720)],
                Vec::new(),
            ],
        }
    }

    /// The spans of a day of the week (0 = Monday).
    pub fn day(&self, weekday: usize) -> &[Span] {
        self.days.get(weekday).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn days(&self) -> &[Vec<Span>; 7] {
        &self.days
    }
}

/// Days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// Whether the two ranges share a day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// A turn on the on-call rota: repairs only, on that day and span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCall {
    pub date: NaiveDate,
    pub span: Span,
}

/// The ISP's calendar: the Ramadan period of the year and the days off for
/// everyone (national holidays, cuti bersama).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    pub ramadan: Option<DateRange>,
    /// Sorted.
    pub days_off: Vec<NaiveDate>,
}

impl Calendar {
    pub fn is_day_off(&self, d: NaiveDate) -> bool {
        self.days_off.binary_search(&d).is_ok()
    }
}

/// One technician's working time.
#[derive(Debug, Clone, Default)]
pub struct Availability {
    pub pattern: WeekPattern,
    /// Hours during Ramadan; without them the usual pattern holds.
    pub ramadan: Option<WeekPattern>,
    /// Approved leave and sick days.
    pub leave: Vec<DateRange>,
    pub on_call: Vec<OnCall>,
}

impl Availability {
    pub fn on_leave(&self, d: NaiveDate) -> bool {
        self.leave.iter().any(|l| l.contains(d))
    }

    /// The spans of the regular shift on `d`: none on leave or on a day off.
    pub fn shift(&self, d: NaiveDate, cal: &Calendar) -> &[Span] {
        if self.on_leave(d) || cal.is_day_off(d) {
            return &[];
        }
        let weekday = d.weekday().num_days_from_monday() as usize;
        match (&self.ramadan, cal.ramadan) {
            (Some(r), Some(period)) if period.contains(d) => r.day(weekday),
            _ => self.pattern.day(weekday),
        }
    }

    /// The on-call spans on `d` (repairs only); leave wins over the rota.
    pub fn on_call_on(&self, d: NaiveDate) -> impl Iterator<Item = Span> + '_ {
        let away = self.on_leave(d);
        self.on_call
            .iter()
            .filter(move |o| !away && o.date == d)
            .map(|o| o.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn spans_parse_and_print() {
        let s: Span = "08:00-12:00".parse().expect("span");
        assert_eq!((s.start(), s.end(), s.minutes()), (480, 720, 240));
        assert_eq!(s.to_string(), "08:00-12:00");
        let late: Span = "17:00-24:00".parse().expect("span");
        assert_eq!(late.end(), DAY_MINUTES);
        assert_eq!(
            "12:00-08:00".parse::<Span>(),
            Err(SpanError::EndsBeforeStart)
        );
        assert_eq!(
            "12:00-12:00".parse::<Span>(),
            Err(SpanError::EndsBeforeStart)
        );
        for bad in [
            "8-12",
            "08:00",
            "08:60-09:00",
            "25:00-26:00",
            "24:00-24:30",
            "ab:cd-ef:gh",
        ] {
            assert_eq!(bad.parse::<Span>(), Err(SpanError::Format), "{bad}");
        }
    }

    #[test]
    fn overlapping_spans_of_a_day_are_refused() {
        let a = Span::hm((8, 0), (12, 0)).expect("span");
        let b = Span::hm((11, 0), (15, 0)).expect("span");
        assert_eq!(day_spans(vec![b, a]), Err(SpanError::Overlap));
        let c = Span::hm((12, 0), (15, 0)).expect("span");
        assert_eq!(day_spans(vec![c, a]), Ok(vec![a, c]));
    }

    #[test]
    fn friday_has_the_prayer_gap_and_ramadan_is_shorter() {
        let a = Availability {
            pattern: WeekPattern::standard(),
            ramadan: Some(WeekPattern::ramadan_standard()),
            ..Default::default()
        };
        let cal = Calendar {
            ramadan: Some(DateRange {
                from: date("2026-02-18"),
                to: date("2026-03-19"),
            }),
            days_off: vec![date("2026-12-25")],
        };
        // 2026-11-27 is a Friday.
        let friday = a.shift(date("2026-11-27"), &cal);
        let prayer = Span::hm((12, 0), (12, 30)).expect("span");
        assert!(friday.iter().all(|s| s.overlap(&prayer) == 0));
        assert_eq!(a.shift(date("2026-11-29"), &cal), &[] as &[Span], "Sunday");
        assert_eq!(a.shift(date("2026-12-25"), &cal), &[] as &[Span], "holiday");
        let ramadan_monday = a.shift(date("2026-03-02"), &cal);
        assert_eq!(ramadan_monday.last().map(|s| s.end()), Some(930));
    }

    #[test]
    fn leave_empties_the_day_and_the_rota() {
        let d = date("2026-11-30");
        let a = Availability {
            pattern: WeekPattern::standard(),
            leave: vec![DateRange { from: d, to: d }],
            on_call: vec![OnCall {
                date: d,
                span: Span::hm((17, 0), (24, 0)).expect("span"),
            }],
            ..Default::default()
        };
        assert!(a.shift(d, &Calendar::default()).is_empty());
        assert_eq!(a.on_call_on(d).count(), 0);
        let next = d.succ_opt().expect("date");
        assert_eq!(a.shift(next, &Calendar::default()).len(), 2);
    }
}
