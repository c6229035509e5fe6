//! A technician in the field: the check-in that starts their day (where
//! the phone was, checked as a move's position is), and what they read of
//! a job's place before they get there (how many past tickets, each
//! description shortened to a line or two).

use crate::{FieldError, GeoPoint, Invalid};

/// How many of the customer's past tickets a job card shows.
pub const HISTORY_TICKETS: u64 = 10;

/// How many characters of a past ticket's description a job card shows.
pub const SUMMARY_CHARS: usize = 140;

/// The phone's position at a check-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckInPosition {
    pub point: GeoPoint,
    /// The browser's accuracy, in metres.
    pub accuracy_m: Option<f64>,
}

/// Checks a check-in's position as a move's is: a place on the earth
/// (`position`, `location`), an accuracy from 0 to 100 km
/// (`position.accuracy_m`, `range`).
pub fn check_in_position(
    lat: f64,
    lng: f64,
    accuracy_m: Option<f64>,
) -> Result<CheckInPosition, Invalid> {
    let Ok(point) = GeoPoint::new(lat, lng) else {
        return Err(Invalid::one(FieldError::new(
            "position",
            "location",
            "not a place on the earth",
        )));
    };
    if accuracy_m.is_some_and(|a| !(0.0..=100_000.0).contains(&a)) {
        return Err(Invalid::one(
            FieldError::new("position.accuracy_m", "range", "from 0 to 100000 metres")
                .with("min", 0)
                .with("max", 100_000),
        ));
    }
    Ok(CheckInPosition { point, accuracy_m })
}

/// How long before it is sent a check-in may have been made on the phone
/// (a phone without network sends it when the network returns).
pub const CHECK_IN_LATE_HOURS: i64 = 24;

/// When a check-in happened: the phone's time of the tap when it is sent
/// later (more than two minutes ago; at most a day ago), else the server's
/// `now`. A time in the future or older than a day is refused at `at`.
pub fn check_in_time(
    at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>, Invalid> {
    let Some(at) = at else { return Ok(now) };
    let slack = chrono::Duration::minutes(2);
    if at > now + slack || at < now - chrono::Duration::hours(CHECK_IN_LATE_HOURS) {
        return Err(Invalid::one(
            FieldError::new(
                "at",
                "range",
                "the time of the check-in on the phone: not in the future, at most a day ago",
            )
            .with("hours", CHECK_IN_LATE_HOURS),
        ));
    }
    Ok(if now - at > slack { at } else { now })
}

/// A text on one line (runs of white space as one space), cut to at most
/// `max` characters at a word's end where there is one, with "…" when cut.
pub fn summary(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let keep = max.saturating_sub(1);
    let cut: String = flat.chars().take(keep).collect();
    // A word cut in half reads badly: end at the last space, unless that
    // leaves too little.
    let cut = match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() * 2 >= keep => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', '.', ';', ':']))
}

#[cfg(test)]
mod check_in_time_tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_check_in_sent_late_keeps_the_time_of_the_tap() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 30, 3, 0, 0)
            .single()
            .expect("time");
        assert_eq!(check_in_time(None, now).ok(), Some(now));
        // Sent at once (the phone's clock a little off): the server's time.
        assert_eq!(
            check_in_time(Some(now - Duration::seconds(40)), now).ok(),
            Some(now)
        );
        // Made offline three hours ago: that time.
        let earlier = now - Duration::hours(3);
        assert_eq!(check_in_time(Some(earlier), now).ok(), Some(earlier));
        for bad in [now + Duration::minutes(10), now - Duration::hours(25)] {
            let e = check_in_time(Some(bad), now).expect_err("refused");
            assert_eq!(e.0[0].field, "at");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_checked_as_a_moves_is() {
        let p = check_in_position(-6.8917, 107.6161, Some(12.0)).expect("valid");
        assert_eq!(p.point.lat, -6.8917);
        assert_eq!(p.accuracy_m, Some(12.0));
        assert!(check_in_position(-6.8917, 107.6161, None).is_ok());

        let off = check_in_position(91.0, 107.6, None).expect_err("off the earth");
        assert_eq!(off.0[0].field, "position");
        assert_eq!(off.0[0].code, "location");
        let nan = check_in_position(f64::NAN, 107.6, None).expect_err("not a number");
        assert_eq!(nan.0[0].code, "location");

        for bad in [-1.0, 100_001.0, f64::NAN] {
            let e = check_in_position(-6.9, 107.6, Some(bad)).expect_err("accuracy");
            assert_eq!(e.0[0].field, "position.accuracy_m");
            assert_eq!(e.0[0].code, "range");
        }
        assert!(check_in_position(-6.9, 107.6, Some(0.0)).is_ok());
        assert!(check_in_position(-6.9, 107.6, Some(100_000.0)).is_ok());
    }

    #[test]
    fn a_description_is_shortened_at_a_word() {
        assert_eq!(
            summary("  Internet\n mati   total ", 140),
            "Internet mati total"
        );
        assert_eq!(summary("", 10), "");
        let long = "Pelanggan melaporkan internet putus-putus sejak kemarin sore, lampu LOS merah";
        let s = summary(long, 40);
        assert!(s.chars().count() <= 40, "{s}");
        assert!(s.ends_with('…'), "{s}");
        assert_eq!(s, "Pelanggan melaporkan internet…");
        // One long word: cut inside it.
        let word = "a".repeat(50);
        let s = summary(&word, 10);
        assert_eq!(s.chars().count(), 10);
        assert!(s.starts_with("aaaaaaaaa"));
        // Characters, not bytes.
        let s = summary("ééééé ééééé ééééé", 8);
        assert_eq!(s, "ééééé…");
    }
}
