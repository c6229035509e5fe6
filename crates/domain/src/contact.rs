//! E-mail addresses: one rule for customers, staff, the portal, the CSV
//! import and the command line.

use std::fmt;

use serde::Serialize;

/// An e-mail address, trimmed and lower-cased: `local@domain.tld`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Longest address SMTP can carry (RFC 5321: 254 characters in a path).
pub const EMAIL_MAX_CHARS: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEmail {
    #[error("e-mail address is empty")]
    Empty,
    #[error("enter an e-mail address such as nama@contoh.id")]
    Format,
    #[error("an e-mail address has at most 254 characters")]
    TooLong,
}

impl InvalidEmail {
    pub fn code(&self) -> &'static str {
        match self {
            InvalidEmail::Empty => "required",
            InvalidEmail::Format => "email",
            InvalidEmail::TooLong => "length",
        }
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let e = input.trim().to_lowercase();
        if e.is_empty() {
            return Err(InvalidEmail::Empty);
        }
        if e.chars().count() > EMAIL_MAX_CHARS {
            return Err(InvalidEmail::TooLong);
        }
        let Some((local, domain)) = e.rsplit_once('@') else {
            return Err(InvalidEmail::Format);
        };
        if local.contains('@') {
            return Err(InvalidEmail::Format);
        };
        let good_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        let bad_char = e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
        if local.is_empty() || !good_domain || bad_char {
            return Err(InvalidEmail::Format);
        }
        Ok(Email(e))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl crate::fields::Checks {
    /// An e-mail address, normalised.
    pub fn email(&mut self, field: &str, value: &str) -> Option<Email> {
        if !self.no_controls(field, value.trim(), false) {
            return None;
        }
        match Email::parse(value) {
            Ok(e) => Some(e),
            Err(e) => {
                self.fail(field, e.code(), e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Dewi@Contoh.ID ").map(Email::into_string),
            Ok("dewi@contoh.id".to_string())
        );
    }

    #[test]
    fn incomplete_addresses_are_refused() {
        for bad in [
            "dewi@",
            "@contoh.id",
            "dewi",
            "dewi@contoh",
            "dewi@.id",
            "dewi@contoh.",
            "de wi@contoh.id",
            "a@b..id",
            "a@b@c.id",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail::Format), "{bad}");
        }
        assert_eq!(Email::parse("  "), Err(InvalidEmail::Empty));
        let long = format!("{}@contoh.id", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(InvalidEmail::TooLong));
    }
}
