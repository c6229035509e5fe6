//! A subscriber's identity as CS verifies it before an installation: the
//! NIK (Nomor Induk Kependudukan, the 16-digit number on the KTP) and a
//! photo of the KTP. The number is checked for its shape here; it is kept
//! sealed and shown masked except to the roles that need it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A NIK with a plausible shape: 16 digits, a province code that exists
/// (11–94), a day of birth 01–31 (41–71 for women), a month 01–12 and a
/// serial other than 0000.
#[derive(Clone, PartialEq, Eq)]
pub struct Nik(String);

/// Why a NIK was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidNik {
    #[error("a NIK has 16 digits")]
    Length,
    #[error("the NIK's first two digits are not a province")]
    Province,
    #[error("the NIK's date of birth (digits 7 to 12) is not a date")]
    Birth,
    #[error("the NIK's last four digits cannot be 0000")]
    Serial,
}

impl InvalidNik {
    /// The code the API gives this refusal.
    pub fn code(self) -> &'static str {
        match self {
            InvalidNik::Length => "length",
            InvalidNik::Province => "province",
            InvalidNik::Birth => "birth_date",
            InvalidNik::Serial => "serial",
        }
    }
}

impl Nik {
    /// Reads a NIK as people type it: spaces, dots and dashes between the
    /// digits are dropped.
    pub fn parse(text: &str) -> Result<Nik, InvalidNik> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.len() != 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidNik::Length);
        }
        let num = |from: usize| -> u32 {
            digits[from..from + 2]
                .bytes()
                .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
        };
        if !(11..=94).contains(&num(0)) {
            return Err(InvalidNik::Province);
        }
        let day = num(6);
        let month = num(8);
        let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
        if !day_ok || !(1..=12).contains(&month) {
            return Err(InvalidNik::Birth);
        }
        if &digits[12..] == "0000" {
            return Err(InvalidNik::Serial);
        }
        Ok(Nik(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits: what a masked NIK shows.
    pub fn last_four(&self) -> &str {
        &self.0[12..]
    }
}

/// A NIK as everyone but the roles that need it sees it.
pub fn masked(last_four: &str) -> String {
    format!("************{last_four}")
}

impl std::fmt::Debug for Nik {
    /// Never the whole number: it ends up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nik({})", masked(self.last_four()))
    }
}

/// What an installation still needs before a technician is booked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingNeed {
    /// CS has not verified the identity, the place and the package.
    Verification,
    /// The installation fee or down payment is not marked paid (only where
    /// the ISP asks for it before booking).
    Fee,
}

impl BookingNeed {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingNeed::Verification => "verification",
            BookingNeed::Fee => "fee",
        }
    }
}

/// What keeps an installation from being booked: verification always, the
/// fee where the ISP wants it paid first. Other kinds need nothing.
pub fn booking_needs(
    installation: bool,
    verified: bool,
    fee_paid: bool,
    fee_first: bool,
) -> Vec<BookingNeed> {
    let mut needs = Vec::new();
    if !installation {
        return needs;
    }
    if !verified {
        needs.push(BookingNeed::Verification);
    }
    if fee_first && !fee_paid {
        needs.push(BookingNeed::Fee);
    }
    needs
}

/// What verification still lacks on the customer's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityNeed {
    /// No NIK recorded.
    Nik,
    /// No KTP photo kept (never sent, or removed after its retention).
    KtpPhoto,
}

impl IdentityNeed {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityNeed::Nik => "nik",
            IdentityNeed::KtpPhoto => "ktp_photo",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_shaped_nik_is_read_with_its_separators() {
        let nik = Nik::parse("3273 0112 0389 0123").expect("valid");
        assert_eq!(nik.as_str(), "3273011203890123");
        assert_eq!(nik.last_four(), "0123");
        // A woman's day of birth is 40 more.
        assert!(Nik::parse("3273.01.52.03.89-0123").is_ok());
    }

    #[test]
    fn shapes_that_are_not_a_nik_are_refused_with_the_reason() {
        assert_eq!(Nik::parse("327301120389012"), Err(InvalidNik::Length));
        assert_eq!(Nik::parse("32730112038901234"), Err(InvalidNik::Length));
        assert_eq!(Nik::parse("32730112038901x3"), Err(InvalidNik::Length));
        assert_eq!(Nik::parse("0973011203890123"), Err(InvalidNik::Province));
        assert_eq!(Nik::parse("9573011203890123"), Err(InvalidNik::Province));
        assert_eq!(Nik::parse("3273013203890123"), Err(InvalidNik::Birth));
        assert_eq!(Nik::parse("3273017203890123"), Err(InvalidNik::Birth));
        assert_eq!(Nik::parse("3273011213890123"), Err(InvalidNik::Birth));
        assert_eq!(Nik::parse("3273010003890123"), Err(InvalidNik::Birth));
        assert_eq!(Nik::parse("3273011203890000"), Err(InvalidNik::Serial));
    }

    #[test]
    fn debug_and_mask_never_show_the_whole_number() {
        let nik = Nik::parse("3273011203890123").expect("valid");
        let shown = format!("{nik:?}");
        assert!(!shown.contains("327301"), "{shown}");
        assert_eq!(masked(nik.last_four()), "************0123");
    }

    #[test]
    fn only_installations_wait_for_verification_and_the_fee_only_when_asked() {
        assert!(booking_needs(false, false, false, true).is_empty());
        assert_eq!(
            booking_needs(true, false, false, false),
            vec![BookingNeed::Verification]
        );
        assert_eq!(
            booking_needs(true, true, false, true),
            vec![BookingNeed::Fee]
        );
        assert_eq!(
            booking_needs(true, false, false, true),
            vec![BookingNeed::Verification, BookingNeed::Fee]
        );
        assert!(booking_needs(true, true, true, true).is_empty());
        assert!(booking_needs(true, true, false, false).is_empty());
    }
}
