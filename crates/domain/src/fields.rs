//! Field errors: every rule that refuses an input says which field, why (a
//! stable `code` a client translates), in English for people and logs, and
//! with the values the sentence mentions (`params`, e.g. `{"max": 100}`), so
//! a client never parses English. One collector, [`Checks`], gathers all of a
//! request's errors before answering, so a form can show them all at once.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{GeoPoint, Phone, text};

/// One offending input field.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the request (`location.lat`, `limit`, ...).
    pub field: String,
    /// Stable, machine-readable reason, for clients to show in their own
    /// language: `required`, `length`, `range`, `choice`, `phone`, `email`,
    /// `taken`, `unknown`, `location`, `outside_area`, `not_on_sale`,
    /// `date_format`, `date_past`, `date_far`, `port_range`, `port_taken`,
    /// `in_use`, `password_short`, `password_long`, `password_common`,
    /// `password_login`, `password_wrong`, `password_reused`, `code_wrong`,
    /// `token_expired`, `cursor`, `encoding`, `header`, `format`, `empty`,
    /// `type` (a JSON value of the wrong type), `control_character`,
    /// `id_version`, for dispatch `span_format`, `span_order`,
    /// `span_overlap`, `duplicate`, `order`, `inactive`, `lead`, `too_many`,
    /// `point`, for bookings `window_past` and `window_full`, for inventory
    /// `movement_places`, `serial_one`, `not_serial`, `other_item`,
    /// `other_customer`, `unassigned`, `too_few`, `not_asked`, for account
    /// links `unreachable` (no e-mail or WhatsApp reaches the person), or
    /// `invalid` (see `detail`).
    #[schema(example = "required")]
    pub code: String,
    /// The reason in English, for people and logs.
    pub detail: String,
    /// The values the reason mentions, for a client's own sentence: `max`
    /// (a length or port count), `min` and `max` (a range), `allowed` (the
    /// choices), `days` (the booking horizon), `customer_number` (who has a
    /// phone or port), `package`, `area`, `odc`, `odp`, `port`, `character`,
    /// `next_date` and `next_window` (the next booking window with room).
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.to_string(),
            detail: detail.into(),
            params: Map::new(),
        }
    }

    /// Adds a value the message mentions.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.params.insert(key.to_string(), value.into());
        self
    }
}

/// A refused input: one or more field errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct Invalid(pub Vec<FieldError>);

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Invalid {
    pub fn one(error: FieldError) -> Self {
        Invalid(vec![error])
    }

    pub fn field(field: &str, code: &str, detail: impl Into<String>) -> Self {
        Invalid(vec![FieldError::new(field, code, detail)])
    }
}

impl From<FieldError> for Invalid {
    fn from(e: FieldError) -> Self {
        Invalid(vec![e])
    }
}

/// Collects every field error of an input.
#[derive(Debug, Default)]
pub struct Checks {
    pub errors: Vec<FieldError>,
}

impl Checks {
    pub fn fail(&mut self, field: &str, code: &str, detail: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, detail));
    }

    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// Records the errors of a rule that answered `Err`.
    pub fn take<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(Invalid(errors)) => {
                self.errors.extend(errors);
                None
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// On create, every listed field must be present.
    pub fn require(&mut self, creating: bool, fields: &[(&str, bool)]) {
        if creating {
            for (field, present) in fields {
                if !present {
                    self.fail(field, "required", "required");
                }
            }
        }
    }

    /// A trimmed one-line text of 1..=max characters, without control
    /// characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim().to_string();
        if v.is_empty() {
            self.push(FieldError::new(field, "required", "required"));
        } else if v.chars().count() > max {
            self.push(
                FieldError::new(field, "length", format!("enter 1 to {max} characters"))
                    .with("max", max),
            );
        } else {
            self.no_controls(field, &v, false);
        }
        v
    }

    /// A trimmed one-line text that may be empty (then `None`).
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            None
        } else {
            Some(self.text(field, v, max))
        }
    }

    /// A trimmed free text of at most `max` characters that may be empty and
    /// span lines (notes, descriptions): tabs and line breaks are kept, other
    /// control characters refused.
    pub fn multiline(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim().to_string();
        if v.chars().count() > max {
            self.push(
                FieldError::new(field, "length", format!("at most {max} characters"))
                    .with("max", max),
            );
        } else {
            self.no_controls(field, &v, true);
        }
        v
    }

    /// Refuses control characters (NUL, escape, ...; in a one-line text also
    /// tabs and line breaks): they are invisible, break exports and logs,
    /// and PostgreSQL cannot store NUL.
    pub fn no_controls(&mut self, field: &str, value: &str, multiline: bool) -> bool {
        match text::forbidden_char(value, multiline) {
            None => true,
            Some(c) => {
                let described = text::describe_char(c);
                self.push(
                    FieldError::new(
                        field,
                        "control_character",
                        format!("remove {described}; this text may not contain control characters"),
                    )
                    .with("character", described),
                );
                false
            }
        }
    }

    /// An id chosen by the client (the offline app creates records with
    /// their ids): it must be a UUIDv7, as every id here is, so ids stay
    /// ordered by time and a nil or made-up id is refused.
    pub fn client_id(&mut self, field: &str, version: Option<usize>) {
        if let Some(v) = version
            && v != 7
        {
            self.fail(
                field,
                "id_version",
                "ids are UUIDv7 (time-ordered, random); create one with a UUIDv7 generator or leave it out",
            );
        }
    }

    pub fn point(&mut self, field: &str, lat: f64, lng: f64) -> Option<GeoPoint> {
        match GeoPoint::new(lat, lng) {
            Ok(point) => Some(point),
            Err(e) => {
                self.fail(field, "location", e.to_string());
                None
            }
        }
    }

    /// A phone number, normalised; an empty one is a missing one.
    pub fn phone(&mut self, field: &str, value: &str) -> Option<Phone> {
        match Phone::parse(value) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(field, e.code(), e.to_string());
                None
            }
        }
    }

    pub fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) -> bool {
        if allowed.contains(&value) {
            return true;
        }
        self.push(choice(field, allowed));
        false
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// "Choose one of ...", with the allowed values as `params.allowed`.
pub fn choice(field: &str, allowed: &[&str]) -> FieldError {
    FieldError::new(
        field,
        "choice",
        format!("choose one of {}", allowed.join(", ")),
    )
    .with(
        "allowed",
        allowed.iter().map(|s| Value::from(*s)).collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error_with_its_values() {
        let mut c = Checks::default();
        let name = c.text("name", "  ", 10);
        assert_eq!(name, "");
        c.text("address", &"x".repeat(11), 10);
        c.one_of("status", "gone", &["active", "prospect"]);
        let Err(Invalid(errors)) = c.finish() else {
            panic!("three errors expected");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("name", "required"),
                ("address", "length"),
                ("status", "choice")
            ]
        );
        assert_eq!(errors[1].params["max"], 10);
        assert_eq!(errors[2].params["allowed"][1], "prospect");
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_notes_are_not() {
        let mut c = Checks::default();
        assert_eq!(c.multiline("notes", "a\nb\tc", 100), "a\nb\tc");
        assert!(c.is_empty());
        c.text("name", "a\u{1b}b", 100);
        assert!(c.has("name"));
        assert_eq!(c.errors[0].code, "control_character");
    }

    #[test]
    fn client_ids_must_be_version_7() {
        let mut c = Checks::default();
        c.client_id("id", Some(7));
        c.client_id("id", None);
        assert!(c.is_empty());
        c.client_id("id", Some(4));
        assert_eq!(c.errors[0].code, "id_version");
    }
}
