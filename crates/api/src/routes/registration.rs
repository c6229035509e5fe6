//! Self-registration from the portal: a prospect customer and their portal
//! account, through the same customer rules as every other source.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{CustomerSource, InstallWindow};
use netcrew_store::{
    coverage,
    customers::{self, Context, CustomerChange, Registration},
    limits::{self, Admission, Limit},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::ClientIp,
    extract::ApiJson,
    problem::{ApiError, ApiResult, Problem},
    routes::{Location, coverage::record_demand, created, customers::Customer},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register))
}

/// Registration attempts from one address per hour, accepted or refused
/// (a refusal says whether a phone or e-mail is registered, so refusals are
/// limited too).
pub const REGISTRATION_ATTEMPTS: Limit = Limit {
    scope: "registration.attempt",
    max: 20,
    window_secs: 3600,
};

fn too_many(retry_after_secs: u64) -> ApiError {
    ApiError::TooManyRequests {
        detail:
            "Too many registrations from this connection. Please try again later or contact us."
                .to_string(),
        retry_after_secs,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    pub name: String,
    /// Also the login of the new portal account.
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub location: Location,
    pub package_id: Uuid,
    /// `YYYY-MM-DD`: a day after today in the ISP's time zone, within 60
    /// days.
    pub preferred_date: String,
    #[schema(value_type = InstallWindow)]
    pub preferred_window: String,
    /// Password of the new portal account.
    pub password: String,
    /// Must stay empty (a field people do not see; bots fill it in).
    #[serde(default)]
    #[schema(max_length = 0)]
    pub website: Option<String>,
}

/// What a registration produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResult {
    pub customer: Customer,
    /// Whether the address can be connected now; if not, the ISP sees the
    /// demand and contacts the customer when it can.
    pub covered: bool,
}

/// Self-registration from the portal: creates a prospect customer with the
/// chosen installation window, and a portal account signed in with the phone
/// number.
#[utoipa::path(post, path = "/registrations", tag = "customers", request_body = RegistrationInput,
    responses(
        (status = 201, body = RegistrationResult),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<ApiJson<RegistrationInput>, ApiError>,
) -> ApiResult<Response> {
    // Every attempt counts, before any work: a refusal tells whether a phone
    // or e-mail is registered.
    let now = Utc::now();
    match REGISTRATION_ATTEMPTS.hit(state.db.conn(), &ip, now).await? {
        Admission::Refused { retry_after_secs } => {
            tracing::info!(ip = %ip, "registration attempts over the limit");
            return Err(too_many(retry_after_secs));
        }
        first if first.first_of_window() => {
            limits::forget_old(state.db.conn(), now).await?;
        }
        Admission::Allowed { .. } => {}
    }
    let ApiJson(body) = body?;
    if body
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        tracing::info!(ip = %ip, "registration refused by the honeypot");
        return Err(ApiError::BadRequest(
            "This registration was not accepted.".to_string(),
        ));
    }
    if let Some(retry_after_secs) = customers::REGISTRATIONS
        .exhausted(state.db.conn(), &ip, now)
        .await?
    {
        return Err(too_many(retry_after_secs));
    }
    let ctx = Context {
        now,
        zone: state.config.zone,
        source: CustomerSource::Portal,
    };
    let registration = Registration {
        change: CustomerChange {
            name: Some(body.name),
            phone: Some(body.phone),
            email: Some(body.email),
            address: Some(body.address),
            location: Some((body.location.lat, body.location.lng)),
            package_id: Some(body.package_id),
            preferred_date: Some(Some(body.preferred_date)),
            preferred_window: Some(Some(body.preferred_window)),
            ..Default::default()
        },
        password: body.password,
        locale: state.config.default_locale.clone(),
    };
    let saved = match customers::register(&state.db, &ip, registration, &ctx).await {
        Ok(saved) => saved,
        Err(netcrew_store::Error::Limited(retry_after_secs)) => {
            return Err(too_many(retry_after_secs));
        }
        Err(e) => return Err(e.into()),
    };
    let point = netcrew_domain::GeoPoint::new(saved.lat, saved.lng)
        .map_err(|e| ApiError::validation("location", "location", e.to_string()))?;
    let rules = super::coverage::rules(&state);
    let found = coverage::check(state.db.conn(), point, rules).await?;
    if !found.covered() {
        record_demand(&state, &ip, point, Some(saved.area_id), "registration").await?;
    }
    Ok(created(
        format!("/api/v1/customers/{}", saved.id),
        RegistrationResult {
            customer: Customer::from(saved),
            covered: found.covered(),
        },
    ))
}
