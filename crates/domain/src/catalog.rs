//! What the ISP sells and does, and the rules of those records: packages
//! (speeds and prices), service types (SLA targets), problem categories and
//! technician skills (codes).

use crate::fields::{Checks, FieldError};

/// Longest name of a package.
pub const PACKAGE_NAME_MAX: usize = 60;
/// Longest description of a package.
pub const PACKAGE_DESCRIPTION_MAX: usize = 500;
/// Speeds a package may have, Mbps.
pub const SPEED_MBPS: std::ops::RangeInclusive<i32> = 1..=100_000;
/// Monthly prices a package may have, whole rupiah.
pub const PRICE_IDR: std::ops::RangeInclusive<i64> = 0..=1_000_000_000;

/// A download or upload speed.
pub fn speed(field: &str, mbps: i32) -> Result<(), FieldError> {
    if SPEED_MBPS.contains(&mbps) {
        Ok(())
    } else {
        Err(FieldError::new(field, "range", "between 1 and 100000 Mbps")
            .with("min", *SPEED_MBPS.start())
            .with("max", *SPEED_MBPS.end()))
    }
}

/// A monthly price.
pub fn price(field: &str, idr: i64) -> Result<(), FieldError> {
    if PRICE_IDR.contains(&idr) {
        Ok(())
    } else {
        Err(
            FieldError::new(field, "range", "whole rupiah, 0 to 1,000,000,000")
                .with("min", *PRICE_IDR.start())
                .with("max", *PRICE_IDR.end()),
        )
    }
}

/// The longest SLA target: 60 days, in minutes.
pub const SLA_MAX_MINUTES: i32 = 60 * 24 * 60;

/// A service type's SLA targets: each from a minute to 60 days, and the
/// resolution not before the response.
pub fn sla(c: &mut Checks, response_minutes: i32, resolution_minutes: i32) {
    let allowed = 1..=SLA_MAX_MINUTES;
    if !allowed.contains(&response_minutes) {
        c.fail(
            "response_sla_minutes",
            "range",
            "between 1 minute and 60 days",
        );
    }
    if !allowed.contains(&resolution_minutes) || resolution_minutes < response_minutes {
        c.fail(
            "resolution_sla_minutes",
            "range",
            "between 1 minute and 60 days, and not before the response target",
        );
    }
}

/// Longest code of a problem category or skill, and of any catalogue name.
pub const CODE_MAX: usize = 40;
pub const NAME_MAX: usize = 80;

/// The code of a problem category or skill (`los`, `splicing`): one line of
/// 1..=40 characters, kept in small letters so `LOS` and `los` are one code.
pub fn code(c: &mut Checks, field: &str, value: &str) -> String {
    c.text(field, value, CODE_MAX).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_and_prices_have_ranges() {
        assert!(speed("download_mbps", 1).is_ok());
        assert!(speed("download_mbps", 100_000).is_ok());
        assert!(speed("upload_mbps", 0).is_err());
        assert!(price("monthly_price_idr", 0).is_ok());
        assert_eq!(
            price("monthly_price_idr", -5).map_err(|e| e.code),
            Err("range".to_string())
        );
        assert!(price("monthly_price_idr", 1_000_000_001).is_err());
    }

    #[test]
    fn resolution_is_not_before_response() {
        let mut c = Checks::default();
        sla(&mut c, 60, 60);
        assert!(c.is_empty());
        sla(&mut c, 120, 60);
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].field, "resolution_sla_minutes");
        let mut c = Checks::default();
        sla(&mut c, 0, SLA_MAX_MINUTES + 1);
        assert_eq!(c.errors.len(), 2);
    }

    #[test]
    fn codes_are_small_letters() {
        let mut c = Checks::default();
        assert_eq!(code(&mut c, "code", " ONT_Power "), "ont_power");
        assert!(c.is_empty());
        code(&mut c, "code", "");
        assert_eq!(c.errors[0].code, "required");
    }
}
