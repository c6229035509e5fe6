//! Indonesian phone numbers, normalised to E.164 (`+62...`).

use std::fmt;

/// A phone number in E.164 form. Indonesian numbers written the local way
/// (`0812-3456-7890`, `62812...`, `+62 812 ...`) are normalised to `+62812...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPhone {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number may contain only digits, spaces, dashes, dots, brackets and a leading +")]
    BadCharacter,
    #[error("phone number must have between 8 and 15 digits")]
    BadLength,
    #[error("a local number must start with 0 (e.g. 0812...) or with +62")]
    NoCountryCode,
}

impl InvalidPhone {
    /// The field error code: an empty number is a missing one.
    pub fn code(&self) -> &'static str {
        match self {
            InvalidPhone::Empty => "required",
            _ => "phone",
        }
    }
}

impl Phone {
    /// Parses and normalises a phone number (Indonesia is the default country).
    pub fn parse(input: &str) -> Result<Self, InvalidPhone> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(InvalidPhone::Empty);
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(InvalidPhone::BadCharacter),
            }
        }
        let international = if plus {
            digits
        } else if let Some(local) = digits.strip_prefix('0') {
            format!("62{local}")
        } else if digits.starts_with("62") {
            digits
        } else {
            return Err(InvalidPhone::NoCountryCode);
        };
        // Indonesian numbers never carry a trunk 0 after the country code.
        let international = match international.strip_prefix("620") {
            Some(rest) => format!("62{rest}"),
            None => international,
        };
        if !(8..=15).contains(&international.len()) || international.starts_with('0') {
            return Err(InvalidPhone::BadLength);
        }
        if international.starts_with("62") && international.len() < 10 {
            return Err(InvalidPhone::BadLength);
        }
        Ok(Phone(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_number_is_a_missing_one() {
        assert_eq!(Phone::parse("  ").map_err(|e| e.code()), Err("required"));
        assert_eq!(Phone::parse("0812").map_err(|e| e.code()), Err("phone"));
    }

    #[test]
    fn local_forms_normalise_to_e164() {
        for input in [
            "0812-3456-7890",
            "081234567890",
            "62 812 3456 7890",
            "+62 812-3456-7890",
            "+62 (0)812 3456 7890",
        ] {
            assert_eq!(
                Phone::parse(input).map(Phone::into_string),
                Ok("+6281234567890".to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(
            Phone::parse("+65 6123 4567").map(Phone::into_string),
            Ok("+6561234567".to_string())
        );
    }

    #[test]
    fn rejects_what_is_not_a_phone() {
        assert_eq!(Phone::parse("   "), Err(InvalidPhone::Empty));
        assert_eq!(Phone::parse("0812abc"), Err(InvalidPhone::BadCharacter));
        assert_eq!(Phone::parse("0812"), Err(InvalidPhone::BadLength));
        assert_eq!(Phone::parse("812345678"), Err(InvalidPhone::NoCountryCode));
        assert_eq!(
            Phone::parse("+6281234567890123456"),
            Err(InvalidPhone::BadLength)
        );
    }
}
