//! `Idempotency-Key` for POST requests (as in the IETF draft and Stripe):
//! a retried request with the same key gets the first answer again instead
//! of doing the work twice — the technician app's offline queue relies on
//! it. The same key with a different request is a `422`; while the first is
//! still running, a `409`. Keys are kept for 24 hours, per caller.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use netcrew_store::{idempotency as kept, sessions};
use sha2::{Digest, Sha256};

use crate::{
    AppState,
    caller::client_ip,
    problem::{ApiError, Problem},
};

pub const HEADER: &str = "idempotency-key";
pub const KEEP_HOURS: i64 = 24;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn problem(status: StatusCode, kind: &str, title: &str, detail: &str) -> Response {
    Problem {
        kind: kind.to_string(),
        title: title.to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        errors: Vec::new(),
        allowed: None,
        missing: None,
    }
    .into_response()
}

/// Answers that carry secrets (sessions, tokens, reset links, second-factor
/// secrets and recovery codes) are never stored, so these ignore the key.
fn carries_secrets(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/me/")
        || path.starts_with("/api/v1/api-tokens")
        || path.ends_with("/password-reset")
        || path.ends_with("/portal-account")
}

/// The scope of a caller's keys: `user:<id>` for a signed-in person,
/// `token:<id>` for an API token, `ip:<address>` for anonymous requests;
/// `None` when the credentials sent are not valid.
async fn key_owner(
    state: &AppState,
    parts: &axum::http::request::Parts,
) -> Result<Option<String>, ApiError> {
    let now = Utc::now();
    if let Some(bearer) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let token = bearer.strip_prefix("Bearer ").map(str::trim).unwrap_or("");
        return Ok(sessions::find_live_api_token(state.db.conn(), token, now)
            .await?
            .map(|(t, _)| format!("token:{}", t.id)));
    }
    let jar = axum_extra::extract::CookieJar::from_headers(&parts.headers);
    if let Some(token) = crate::caller::session_token(&jar) {
        return Ok(sessions::find_live_session(state.db.conn(), &token, now)
            .await?
            .map(|(_, user)| format!("user:{}", user.id)));
    }
    Ok(Some(format!("ip:{}", client_ip(parts))))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    if req.method() != Method::POST || carries_secrets(&path) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    match handle(state, key, req, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn handle(
    state: AppState,
    key: HeaderValue,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = key
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or_else(|| {
            ApiError::validation(
                HEADER,
                "length",
                "use 1 to 255 visible ASCII characters (a UUID is ideal)",
            )
        })?
        .to_string();
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return Err(ApiError::PayloadTooLarge(
                "The request body is larger than this server accepts.".to_string(),
            ));
        }
    };
    // Whose key: the account signed in (so a retry after signing in again is
    // still recognised), the API token, or for anonymous requests the address.
    // Credentials that are not valid (an expired cookie on an anonymous
    // registration, say): the address's scope, as for anyone anonymous.
    let who = match key_owner(&state, &parts).await? {
        Some(who) => who,
        None => format!("ip:{}", client_ip(&parts)),
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b" ");
    hasher.update(parts.uri.to_string());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let request_hash = hex(&hasher.finalize());
    let now = Utc::now();
    let db = state.db.conn();

    let existing = kept::find(db, &who, &key, Duration::hours(KEEP_HOURS), now).await?;
    if let Some(row) = existing {
        if row.request_hash != request_hash {
            return Ok(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/idempotency-key-reused",
                "Idempotency key reused",
                "This Idempotency-Key was used for a different request; use a new key for a new request.",
            ));
        }
        let Some(status) = row.status else {
            return Ok(problem(
                StatusCode::CONFLICT,
                "/problems/idempotency-in-progress",
                "Request still running",
                "The first request with this Idempotency-Key is still running; retry in a moment.",
            ));
        };
        let mut response = Response::new(Body::from(row.response_body.unwrap_or_default()));
        *response.status_mut() = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        let headers = response.headers_mut();
        if let Some(v) = row
            .response_content_type
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(header::CONTENT_TYPE, v);
        }
        if let Some(v) = row
            .response_location
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(header::LOCATION, v);
        }
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(response);
    }
    let claimed = kept::claim(db, &who, &key, &request_hash, now).await?;
    let Some(id) = claimed else {
        // Another request with the same key got in first.
        return Ok(problem(
            StatusCode::CONFLICT,
            "/problems/idempotency-in-progress",
            "Request still running",
            "The first request with this Idempotency-Key is still running; retry in a moment.",
        ));
    };

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    if parts.status.is_server_error() {
        // A failure is not remembered: the client may retry with the same key.
        kept::release(db, id).await?;
    } else {
        let text = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        kept::complete(
            db,
            id,
            kept::Answer {
                status: parts.status.as_u16(),
                body: body.to_vec(),
                content_type: text(header::CONTENT_TYPE),
                location: text(header::LOCATION),
            },
            Utc::now(),
        )
        .await?;
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}
