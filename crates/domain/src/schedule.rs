//! Calendar days in the ISP's own time zone, and the booking horizon of an
//! installation date. The zone and the current time are passed in.

use chrono::{DateTime, Duration, NaiveDate, Utc};
pub use chrono_tz::Tz as Zone;

/// How far ahead a customer may ask for an installation day.
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// The zone named by an IANA name such as `Asia/Jakarta`.
pub fn parse_zone(name: &str) -> Result<Zone, UnknownZone> {
    name.parse::<Zone>()
        .map_err(|_| UnknownZone(name.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name such as Asia/Jakarta")]
pub struct UnknownZone(pub String);

/// The calendar day it is at `now` in `zone`.
pub fn local_date(now: DateTime<Utc>, zone: Zone) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// Why a preferred installation day is refused; `code()` is the field
/// error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreferredDateError {
    #[error("a date as YYYY-MM-DD")]
    Format,
    #[error("choose a day after today")]
    NotAfterToday,
    #[error("choose a day within the next {BOOKING_HORIZON_DAYS} days")]
    BeyondHorizon,
}

impl PreferredDateError {
    pub fn code(&self) -> &'static str {
        match self {
            PreferredDateError::Format => "date_format",
            PreferredDateError::NotAfterToday => "date_past",
            PreferredDateError::BeyondHorizon => "date_far",
        }
    }
}

/// A preferred installation day: a local calendar day after today and
/// within the booking horizon, today being the day it is in `zone`.
pub fn preferred_date(
    text: &str,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<NaiveDate, PreferredDateError> {
    let day =
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| PreferredDateError::Format)?;
    let today = local_date(now, zone);
    if day <= today {
        Err(PreferredDateError::NotAfterToday)
    } else if day > today + Duration::days(BOOKING_HORIZON_DAYS) {
        Err(PreferredDateError::BeyondHorizon)
    } else {
        Ok(day)
    }
}

/// The preferred installation day and window of a booking, checked into
/// `c`: the day by [`preferred_date`], the window one of the two half-days.
pub fn check_booking(
    c: &mut crate::fields::Checks,
    date: Option<&str>,
    window: Option<&str>,
    required: bool,
    now: DateTime<Utc>,
    zone: Zone,
) -> (Option<NaiveDate>, Option<crate::customer::InstallWindow>) {
    use crate::fields::FieldError;
    let day = match date {
        None => {
            if required {
                c.fail("preferred_date", "required", "choose an installation date");
            }
            None
        }
        Some(d) => match preferred_date(d, now, zone) {
            Ok(day) => Some(day),
            Err(e) => {
                let mut error = FieldError::new("preferred_date", e.code(), e.to_string());
                if e == PreferredDateError::BeyondHorizon {
                    error = error.with("days", BOOKING_HORIZON_DAYS);
                }
                c.push(error);
                None
            }
        },
    };
    let window = match window {
        None => {
            if required {
                c.fail("preferred_window", "required", "choose a time window");
            }
            None
        }
        Some(w) => c.take(crate::customer::InstallWindow::parse_field(
            "preferred_window",
            w,
        )),
    };
    (day, window)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn today_is_the_day_in_the_isps_zone() {
        let jakarta = parse_zone("Asia/Jakarta").expect("zone");
        let jayapura = parse_zone("Asia/Jayapura").expect("zone");
        // 18:30 UTC on the 28th is already the 29th in Jakarta (UTC+7).
        let evening = at("2026-11-28T18:30:00Z");
        assert_eq!(local_date(evening, jakarta).to_string(), "2026-11-29");
        assert_eq!(local_date(evening, Zone::UTC).to_string(), "2026-11-28");
        // So the 29th is no longer "after today" in Jakarta, but is in UTC.
        assert_eq!(
            preferred_date("2026-11-29", evening, jakarta),
            Err(PreferredDateError::NotAfterToday)
        );
        assert!(preferred_date("2026-11-29", evening, Zone::UTC).is_ok());
        // Jayapura (UTC+9) turns the day two hours earlier than Jakarta.
        let late = at("2026-11-28T15:30:00Z");
        assert_eq!(local_date(late, jakarta).to_string(), "2026-11-28");
        assert_eq!(local_date(late, jayapura).to_string(), "2026-11-29");
    }

    #[test]
    fn the_horizon_and_the_format() {
        let zone = parse_zone("Asia/Jakarta").expect("zone");
        let now = at("2026-11-28T03:00:00Z");
        assert!(preferred_date("2027-01-27", now, zone).is_ok());
        assert_eq!(
            preferred_date("2027-01-28", now, zone),
            Err(PreferredDateError::BeyondHorizon)
        );
        assert_eq!(
            preferred_date("28-11-2026", now, zone).map_err(|e| e.code()),
            Err("date_format")
        );
        assert_eq!(
            parse_zone("Mars/Olympus"),
            Err(UnknownZone("Mars/Olympus".into()))
        );
    }
}
