//! The audit log: what a search of it may ask.

use chrono::{DateTime, Utc};

use crate::Checks;

/// A period `[from, to)`: when both ends are given, `to` comes after `from`.
pub fn period(c: &mut Checks, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) {
    if let (Some(from), Some(to)) = (from, to)
        && from >= to
    {
        c.fail("to", "range", "must be after from");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_after_it_starts() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().ok();
        let mut c = Checks::default();
        period(
            &mut c,
            at("2026-11-01T00:00:00Z"),
            at("2026-11-02T00:00:00Z"),
        );
        period(&mut c, None, at("2026-11-02T00:00:00Z"));
        assert!(c.is_empty());
        period(
            &mut c,
            at("2026-11-02T00:00:00Z"),
            at("2026-11-02T00:00:00Z"),
        );
        assert_eq!(
            (c.errors[0].field.as_str(), c.errors[0].code.as_str()),
            ("to", "range")
        );
    }
}
