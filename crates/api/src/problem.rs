//! Every error the API gives is an RFC 9457 problem (`application/problem+json`)
//! with a stable relative `type`.

use axum::{
    Json,
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use netcrew_store::page::PageError;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub use netcrew_domain::FieldError;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Stable, relative identifier of the kind of problem, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For validation problems: which fields are wrong and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a move that is not possible now: the statuses that are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// For a record not ready for this yet: what it still needs
    /// (`verification`, `fee`; `nik`, `ktp_photo`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Conflict(String),
    /// A move not possible from the record's state; `allowed` lists those that are.
    #[error("{detail}")]
    NotAllowedNow {
        detail: String,
        allowed: Vec<String>,
    },
    /// The change needs a choice first; `allowed` lists the choices.
    #[error("{detail}")]
    ChoiceNeeded {
        detail: String,
        allowed: Vec<String>,
    },
    /// The record is not ready for this yet; `missing` lists what it needs.
    #[error("{detail}")]
    NotReady {
        detail: String,
        missing: Vec<String>,
    },
    /// The record changed since the caller read it.
    #[error("{0}")]
    Stale(String),
    /// The write needs `If-Match` with the version the caller read.
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("Login or password is wrong.")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Csrf(String),
    #[error("Enter the code from your authenticator app (or a recovery code).")]
    TotpRequired,
    #[error(
        "This installation requires admins to set up a second factor first (Profile → two-step sign-in)."
    )]
    TotpSetupRequired,
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<netcrew_domain::Invalid> for ApiError {
    fn from(invalid: netcrew_domain::Invalid) -> Self {
        ApiError::Validation {
            detail: invalid.to_string(),
            errors: invalid.0,
        }
    }
}

impl From<netcrew_store::Error> for ApiError {
    fn from(e: netcrew_store::Error) -> Self {
        match e {
            netcrew_store::Error::Invalid(invalid) => invalid.into(),
            netcrew_store::Error::NotFound(what) => ApiError::NotFound(what),
            netcrew_store::Error::Conflict(why) => ApiError::Conflict(why),
            netcrew_store::Error::Stale(why) => ApiError::Stale(why),
            netcrew_store::Error::Refused { detail, allowed } => {
                ApiError::NotAllowedNow { detail, allowed }
            }
            netcrew_store::Error::Choose { detail, choices } => ApiError::ChoiceNeeded {
                detail,
                allowed: choices,
            },
            netcrew_store::Error::NotReady { detail, missing } => {
                ApiError::NotReady { detail, missing }
            }
            netcrew_store::Error::Forbidden(why) => ApiError::Forbidden(why),
            netcrew_store::Error::Limited(retry_after_secs) => ApiError::TooManyRequests {
                detail: "Too many attempts from this connection. Please try again later."
                    .to_string(),
                retry_after_secs,
            },
            netcrew_store::Error::Password(e) => e.into(),
            netcrew_store::Error::Db(e) => e.into(),
        }
    }
}

impl ApiError {
    pub fn validation(field: &str, code: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError::Validation {
            detail: format!("{field}: {detail}"),
            errors: vec![FieldError::new(field, code, detail)],
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "/problems/not-found", "Not found"),
            ApiError::Validation { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/validation",
                "Invalid input",
            ),
            ApiError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "/problems/malformed-request",
                "Malformed request",
            ),
            ApiError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "/problems/unsupported-media-type",
                "Unsupported media type",
            ),
            ApiError::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "/problems/payload-too-large",
                "Request body too large",
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "/problems/conflict", "Conflict"),
            ApiError::NotAllowedNow { .. } => (
                StatusCode::CONFLICT,
                "/problems/transition-not-allowed",
                "Not possible now",
            ),
            ApiError::NotReady { .. } => {
                (StatusCode::CONFLICT, "/problems/not-ready", "Not ready yet")
            }
            ApiError::ChoiceNeeded { .. } => (
                StatusCode::CONFLICT,
                "/problems/choice-needed",
                "A choice is needed",
            ),
            ApiError::Stale(_) => (
                StatusCode::PRECONDITION_FAILED,
                "/problems/stale",
                "Changed in the meantime",
            ),
            ApiError::PreconditionRequired(_) => (
                StatusCode::PRECONDITION_REQUIRED,
                "/problems/precondition-required",
                "Version required",
            ),
            ApiError::Unauthenticated(_) => (
                StatusCode::UNAUTHORIZED,
                "/problems/unauthenticated",
                "Sign-in required",
            ),
            ApiError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "/problems/invalid-credentials",
                "Sign-in failed",
            ),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "/problems/forbidden", "Forbidden"),
            ApiError::TotpRequired => (
                StatusCode::UNAUTHORIZED,
                "/problems/totp-required",
                "Second factor required",
            ),
            ApiError::TotpSetupRequired => (
                StatusCode::FORBIDDEN,
                "/problems/totp-setup-required",
                "Second factor set-up required",
            ),
            ApiError::Csrf(_) => (
                StatusCode::FORBIDDEN,
                "/problems/csrf",
                "Missing or wrong CSRF token",
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "/problems/too-many-requests",
                "Too many attempts",
            ),
            ApiError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "/problems/unavailable",
                "Service unavailable",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "/problems/internal",
                "Internal error",
            ),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (status, kind, title) = self.parts();
        let (detail, errors) = match self {
            ApiError::Validation { detail, errors } => (detail.clone(), errors.clone()),
            // Never leak internals; the log has them, under the request id.
            ApiError::Internal(_) => (
                "Something went wrong on our side. Please try again; if it persists, contact the administrator with the request id.".to_string(),
                Vec::new(),
            ),
            other => (other.to_string(), Vec::new()),
        };
        Problem {
            kind: kind.to_string(),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors,
            allowed: match self {
                ApiError::NotAllowedNow { allowed, .. }
                | ApiError::ChoiceNeeded { allowed, .. } => Some(allowed.clone()),
                _ => None,
            },
            missing: match self {
                ApiError::NotReady { missing, .. } => Some(missing.clone()),
                _ => None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(err) = &self {
            tracing::error!(error = format!("{err:#}"), "request failed");
        }
        let retry_after = match &self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let mut response = self.to_problem().into_response();
        if let Some(secs) = retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

/// A problem for a bare status (405, 408, a panic's 500, ...).
pub fn status_problem(status: StatusCode) -> Problem {
    let (kind, detail) = match status {
        StatusCode::NOT_FOUND => ("/problems/not-found", "No such resource."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "/problems/method-not-allowed",
            "This resource does not support that method.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "/problems/timeout",
            "The request took too long and was stopped.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "/problems/payload-too-large",
            "The request body is larger than this server accepts.",
        ),
        StatusCode::BAD_REQUEST => (
            "/problems/malformed-request",
            "The request could not be read.",
        ),
        StatusCode::URI_TOO_LONG => (
            "/problems/uri-too-long",
            "The address (path and query) is longer than this server accepts (8 KiB).",
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "/problems/headers-too-large",
            "The request headers are larger than this server accepts (16 KiB, 100 fields).",
        ),
        s if s.is_server_error() => (
            "/problems/internal",
            "Something went wrong on our side. Please try again.",
        ),
        _ => ("/problems/http", "The request could not be handled."),
    };
    Problem {
        kind: kind.to_string(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        errors: Vec::new(),
        allowed: None,
        missing: None,
    }
}

impl From<netcrew_store::DbErr> for ApiError {
    fn from(err: netcrew_store::DbErr) -> Self {
        use netcrew_store::error::{DbFailure, classify};
        match classify(&err) {
            DbFailure::Unique => ApiError::Conflict(
                "Another record already has this value; it must be unique.".to_string(),
            ),
            DbFailure::ForeignKey => ApiError::Conflict(
                "This refers to a record that does not exist, or is still in use.".to_string(),
            ),
            DbFailure::Busy => {
                tracing::warn!(error = %err, "database busy: request refused with 503");
                ApiError::Unavailable("The server is busy; try again in a moment.".to_string())
            }
            DbFailure::Other => ApiError::Internal(anyhow::Error::new(err).context("database")),
        }
    }
}

impl From<netcrew_store::password::PasswordError> for ApiError {
    fn from(err: netcrew_store::password::PasswordError) -> Self {
        use netcrew_store::password::PasswordError;
        match err {
            PasswordError::Busy => ApiError::TooManyRequests {
                detail: "The server is busy checking sign-ins; try again in a few seconds."
                    .to_string(),
                retry_after_secs: 5,
            },
            PasswordError::Hash(e) => ApiError::Internal(anyhow::anyhow!(e)),
        }
    }
}

impl From<PageError> for ApiError {
    fn from(err: PageError) -> Self {
        let field = match err {
            PageError::Limit => "limit",
            PageError::Cursor => "cursor",
        };
        let code = match err {
            PageError::Limit => "range",
            PageError::Cursor => "cursor",
        };
        ApiError::validation(field, code, err.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => ApiError::Validation {
                detail: e.body_text(),
                errors: Vec::new(),
            },
            JsonRejection::JsonSyntaxError(e) => ApiError::BadRequest(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType(
                "Send the body as JSON with `Content-Type: application/json`.".to_string(),
            ),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge(other.body_text())
            }
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::Validation {
            detail: rejection.body_text(),
            errors: Vec::new(),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        // A path that does not parse (e.g. a malformed id) names nothing that exists.
        ApiError::NotFound(rejection.body_text())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
