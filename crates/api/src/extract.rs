//! Extractors whose rejections are problems, not axum's plain-text errors.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::header,
};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};

use crate::problem::{ApiError, FieldError};

/// A JSON request body (`Content-Type: application/json`).
///
/// Stricter than `axum::Json`: an array is refused where an object is
/// expected (serde would fill a struct from it by position), and a value
/// that does not fit names its field (`errors: [{field, code, detail}]`).
/// Integral numbers written as floats (`100.0`) count as integers, as JSON
/// Schema says. Malformed JSON is a 400, a wrong content type a 415.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::UnsupportedMediaType(
                "Send the body as JSON with `Content-Type: application/json`.".to_string(),
            ));
        }
        let body = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(
                    "The request body is larger than this server accepts.".to_string(),
                )
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        parse(&body).map(ApiJson)
    }
}

/// `application/json` or any `application/...+json`, with or without parameters.
fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json")
            || subtype.len() > 5
                && subtype
                    .get(subtype.len() - 5..)
                    .is_some_and(|suffix| suffix.eq_ignore_ascii_case("+json")))
}

/// Parses a JSON body into `T`; see [`ApiJson`].
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("The body is not valid JSON: {e}")))?;
    integral_floats_to_integers(&mut value);
    serde_path_to_error::deserialize(Strict(value)).map_err(|err| {
        let field_error = field_error(&err);
        ApiError::Validation {
            detail: format!("{}: {}", field_error.field, field_error.detail),
            errors: vec![field_error],
        }
    })
}

/// Where the body did not fit, as a field error: the field's path
/// (`location.lat`, `items[2].name`; `body` for the whole body), a code
/// (`required`, `type`, `unknown`, `choice`, `format`) and serde's reason.
fn field_error(err: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    field_error_at(err.path().to_string(), err.inner().to_string())
}

fn field_error_at(path: String, message: String) -> FieldError {
    let path = if path == "." { String::new() } else { path };
    let quoted = message.split('`').nth(1).unwrap_or_default().to_string();
    let child = |name: &str| match (path.is_empty(), name.is_empty()) {
        (true, true) => "body".to_string(),
        (true, false) => name.to_string(),
        (false, true) => path.clone(),
        (false, false) => format!("{path}.{name}"),
    };
    if message.starts_with("missing field") {
        FieldError::new(child(&quoted), "required", "this field is required")
    } else if message.starts_with("unknown field") {
        // The path already ends with the unknown key.
        let field = if path.is_empty() { quoted } else { path };
        FieldError::new(field, "unknown", message)
    } else if message.starts_with("unknown variant") {
        FieldError::new(child(""), "choice", message)
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
        || message.starts_with("invalid digit")
        || message.starts_with("invalid float")
        || message.starts_with("number too")
        || message.starts_with("provided string was not")
        || message.starts_with("UUID parsing failed")
        || message.starts_with("invalid character")
        || message.starts_with("invalid group")
        || message.starts_with("cannot parse")
        || message.starts_with("premature end")
        || message.starts_with("input contains invalid")
        || message.starts_with("input is out of range")
        || message.starts_with("trailing input")
    {
        FieldError::new(child(""), "type", message)
    } else {
        FieldError::new(child(""), "format", message)
    }
}

/// `100.0` becomes `100`, so it fits an integer field (an `f64` field takes
/// either).
fn integral_floats_to_integers(value: &mut Value) {
    // 2^63: floats at or above this do not fit an i64 (or, negated, below it).
    const I64_BOUND: f64 = 9_223_372_036_854_775_808.0;
    const U64_BOUND: f64 = 18_446_744_073_709_551_616.0;
    match value {
        Value::Number(n) if n.is_f64() => {
            let Some(f) = n.as_f64() else { return };
            if f.fract() != 0.0 || !f.is_finite() {
                return;
            }
            if (-I64_BOUND..I64_BOUND).contains(&f) {
                *value = Value::from(f as i64);
            } else if (0.0..U64_BOUND).contains(&f) {
                *value = Value::from(f as u64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// A JSON value as a deserializer that refuses an array where a struct is
/// expected. Everything else is as `serde_json::Value` does it.
struct Strict(Value);

impl<'de> Deserializer<'de> for Strict {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => {
                let len = items.len();
                let mut seq = StrictSeq(items.into_iter());
                let out = visitor.visit_seq(&mut seq)?;
                if seq.0.len() == 0 {
                    Ok(out)
                } else {
                    Err(de::Error::invalid_length(
                        len,
                        &"fewer elements in the array",
                    ))
                }
            }
            Value::Object(map) => visitor.visit_map(StrictMap {
                entries: map.into_iter(),
                value: None,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &visitor)),
            Value::Object(_) => self.deserialize_any(visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct StrictSeq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for StrictSeq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|value| seed.deserialize(Strict(value)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct StrictMap {
    entries: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for StrictMap {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: de::value::StringDeserializer<serde_json::Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(Strict(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The query string as `T`; a value that does not fit is a `422` naming
/// the parameter (`errors[]`), as for JSON bodies.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

/// Parses a query string into `T`; see [`ApiQuery`].
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field_error = field_error_at(err.path().to_string(), err.inner().to_string());
        ApiError::Validation {
            detail: format!("{}: {}", field_error.field, field_error.detail),
            errors: vec![field_error],
        }
    })
}

#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Point {
        lat: f64,
        lng: f64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Input {
        name: String,
        count: Option<i32>,
        location: Option<Point>,
        tags: Option<Vec<String>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Order {
        Number,
        Name,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Listing {
        limit: Option<u64>,
        sort: Option<Order>,
    }

    #[test]
    fn query_strings_name_the_parameter_that_does_not_fit() {
        let fields = |q: &str| match parse_query::<Listing>(q) {
            Err(ApiError::Validation { errors, .. }) => errors
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(
            parse_query::<Listing>("limit=5&sort=name").ok(),
            Some(Listing {
                limit: Some(5),
                sort: Some(Order::Name)
            })
        );
        assert_eq!(
            fields("sort=sideways"),
            [("sort".to_string(), "choice".to_string())]
        );
        assert_eq!(
            fields("limit=many"),
            [("limit".to_string(), "type".to_string())]
        );
    }

    fn errors(body: &str) -> Vec<FieldError> {
        match parse::<Input>(body.as_bytes()) {
            Err(ApiError::Validation { errors, .. }) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_objects_and_integral_floats() {
        let input: Input = parse(
            br#"{"name":"x","count":100.0,"location":{"lat":-6.2,"lng":106.8},"tags":["a"]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(input.count, Some(100));
        assert_eq!(
            input.location,
            Some(Point {
                lat: -6.2,
                lng: 106.8
            })
        );
        let input: Input = parse(br#"{"name":"x","location":{"lat":-6.0,"lng":107}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            input.location,
            Some(Point {
                lat: -6.0,
                lng: 107.0
            })
        );
    }

    #[test]
    fn refuses_arrays_for_objects_and_names_fields() {
        assert_eq!(
            errors(r#"["x", 1]"#),
            [FieldError::new(
                "body",
                "type",
                "invalid type: sequence, expected struct Input"
            )]
        );
        assert_eq!(
            errors(r#"{"name":"x","location":[1,2]}"#)[0].field,
            "location"
        );
        assert_eq!(
            errors(r#"{"count":1}"#),
            [FieldError::new(
                "name",
                "required",
                "this field is required"
            )]
        );
        let wrong = errors(r#"{"name":"x","count":"many"}"#);
        assert_eq!(
            (wrong[0].field.as_str(), wrong[0].code.as_str()),
            ("count", "type")
        );
        let wrong = errors(r#"{"name":"x","count":1.5}"#);
        assert_eq!(
            (wrong[0].field.as_str(), wrong[0].code.as_str()),
            ("count", "type")
        );
        let wrong = errors(r#"{"name":"x","location":{"lat":1}}"#);
        assert_eq!(
            (wrong[0].field.as_str(), wrong[0].code.as_str()),
            ("location.lng", "required")
        );
        let wrong = errors(r#"{"name":"x","tags":["a",2]}"#);
        assert_eq!(
            (wrong[0].field.as_str(), wrong[0].code.as_str()),
            ("tags[1]", "type")
        );
        let wrong = errors(r#"{"name":"x","colour":"blue"}"#);
        assert_eq!(
            (wrong[0].field.as_str(), wrong[0].code.as_str()),
            ("colour", "unknown")
        );
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Input>(b"{\"name\":"),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn json_content_types() {
        let is = |v: &'static str| is_json(Some(&header::HeaderValue::from_static(v)));
        assert!(is("application/json"));
        assert!(is("application/json; charset=utf-8"));
        assert!(is("Application/JSON"));
        assert!(is("application/merge-patch+json"));
        assert!(!is("text/plain"));
        assert!(!is("application/jsonx"));
        assert!(!is("application/+json"));
        assert!(!is_json(None));
    }
}
