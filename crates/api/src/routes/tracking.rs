//! The customer's "technician on the way" page: public, opened from the
//! link in the `on_the_way` message. The token in the address is the only
//! key; it shows the ticket's number and place, the technician's name and,
//! while they are on the way, their recent position and a rough arrival
//! time — never the customer's data or the technician's phone.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{tickets::TicketStatus, tracking::Stage};
use netcrew_store::{
    limits::{self, Admission, Limit},
    tracking,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    caller::ClientIp,
    problem::{ApiError, ApiResult, Problem},
    routes::Location,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_tracking))
}

/// Unknown links asked for from one address per hour: a link that works is
/// never counted (the page asks every 15 seconds), guessing is.
pub const TRACKING_MISSES: Limit = Limit {
    scope: "tracking_miss",
    max: 60,
    window_secs: 3600,
};

/// The technician's recent position.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackedPosition {
    pub location: Location,
    /// When the technician's phone shared it (at most 10 minutes ago).
    pub at: DateTime<Utc>,
    /// Straight-line metres to the destination.
    #[schema(example = 4200)]
    pub distance_m: u32,
    /// Rough minutes to arrive: the road taken as 1.3 times the straight
    /// line, ridden at 25 km/h.
    #[schema(example = 14)]
    pub eta_minutes: u32,
}

/// What a tracking link shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tracking {
    /// The ticket's number.
    #[schema(example = "TRB-2026-000123")]
    pub number: String,
    pub status: TicketStatus,
    /// `on_the_way` (status `en_route`), `arrived` (`on_site`: tracking
    /// stops) or `ended` (the visit is not under way any more).
    pub stage: Stage,
    /// The technician's name, as customers see it elsewhere.
    pub technician_name: Option<String>,
    /// Where the technician is going: the ticket's place.
    pub destination: Location,
    /// Only while on the way, and only when the technician's phone shared
    /// a position in the last 10 minutes.
    pub position: Option<TrackedPosition>,
    /// When this link stops working (it also stops when the ticket is
    /// resolved, closed or cancelled).
    pub expires_at: DateTime<Utc>,
}

fn not_found() -> ApiError {
    ApiError::NotFound("This tracking link does not exist or no longer works.".to_string())
}

/// Whether `token` could be a tracking token at all (43 URL-safe base64
/// characters); anything else is not looked up.
fn plausible(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Follows the technician on the way (public: the token in the address is
/// the key). An unknown or expired link, or one whose ticket is resolved,
/// closed or cancelled, answers `404`.
#[utoipa::path(get, path = "/track/{token}", tag = "tickets",
    params(("token" = String, Path, description = "The token of the link in the `on_the_way` message")),
    responses(
        (status = 200, body = Tracking),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_tracking(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let now = Utc::now();
    if let Some(retry_after_secs) = TRACKING_MISSES.exhausted(state.db.conn(), &ip, now).await? {
        return Err(ApiError::TooManyRequests {
            detail: "Too many unknown tracking links from this connection. Please try again later."
                .to_string(),
            retry_after_secs,
        });
    }
    let found = if plausible(&token) {
        tracking::view(state.db.conn(), &token, now).await?
    } else {
        None
    };
    let Some(v) = found else {
        if let Admission::Allowed { hits: 1 } =
            TRACKING_MISSES.hit(state.db.conn(), &ip, now).await?
        {
            limits::forget_old(state.db.conn(), now).await?;
        }
        return Err(not_found());
    };
    let body = Tracking {
        number: v.number,
        status: v.status,
        stage: v.stage,
        technician_name: v.technician,
        destination: Location {
            lat: v.destination.lat,
            lng: v.destination.lng,
        },
        position: v.position.map(|p| TrackedPosition {
            location: Location {
                lat: p.at.lat,
                lng: p.at.lng,
            },
            at: p.taken_at,
            distance_m: p.distance_m.round().clamp(0.0, f64::from(u32::MAX)) as u32,
            eta_minutes: p.eta_minutes,
        }),
        expires_at: v.expires_at,
    };
    // A position is news for a moment only: never kept by a cache.
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_paths_are_looked_up() {
        assert!(plausible("a7Xk_-0123456789abcdefghijABCDEFGHIJ0123456"));
        assert!(!plausible("short"));
        assert!(!plausible("has space in it and is long enough"));
        assert!(!plausible("{token}"));
        assert!(!plausible(&"x".repeat(200)));
    }
}
