//! Optional second factor (TOTP, as in Google Authenticator or Aegis) for
//! staff, with single-use recovery codes.

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::{entity::user, password, second_factor, sessions};
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Secret, TOTP};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    caller::Caller,
    extract::ApiJson,
    problem::{ApiError, ApiResult, Problem},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_totp, disable_totp))
        .routes(routes!(confirm_totp))
}

const ISSUER: &str = "NetCrew";
const RECOVERY_CODES: usize = 10;

fn totp_for(secret_base32: &str, account: &str) -> Result<TOTP, ApiError> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_string()),
        account.to_string(),
    )
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("TOTP: {e:?}")))
}

/// Whether `code` is the current code (or the one just before or after) of
/// the account's second factor.
pub fn code_matches(
    u: &user::Model,
    code: &str,
    now: chrono::DateTime<Utc>,
) -> Result<bool, ApiError> {
    let Some(secret) = &u.totp_secret else {
        return Ok(false);
    };
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(totp_for(secret, &account_name(u))?.check(&code, now.timestamp().max(0) as u64))
}

fn account_name(u: &user::Model) -> String {
    u.email
        .clone()
        .or_else(|| u.phone.clone())
        .unwrap_or_else(|| u.id.to_string())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartTotp {
    /// The current password, to prove it is really you.
    pub password: String,
}

/// A new TOTP secret to add to an authenticator app.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpSetup {
    /// Base32 secret, for typing in by hand.
    pub secret: String,
    /// `otpauth://` URL, for a QR code.
    pub otpauth_url: String,
}

/// Starts setting up the second factor: returns a new secret. It takes
/// effect once confirmed with a code from the app.
#[utoipa::path(post, path = "/me/totp", tag = "auth", request_body = StartTotp,
    responses(
        (status = 200, body = TotpSetup),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn start_totp(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<StartTotp>, ApiError>,
) -> ApiResult<axum::Json<TotpSetup>> {
    caller.require(Permission::ProfileManage)?;
    let ApiJson(body) = body?;
    caller.session()?;
    if !caller.role.is_staff() {
        return Err(ApiError::Forbidden(
            "A second factor is for staff accounts.".to_string(),
        ));
    }
    if caller.user.totp_enabled_at.is_some() {
        return Err(ApiError::Conflict(
            "The second factor is already on; turn it off first to replace it.".to_string(),
        ));
    }
    verify_password(&caller, body.password).await?;
    let secret = Secret::generate_secret().to_encoded().to_string();
    let totp = totp_for(&secret, &account_name(&caller.user))?;
    second_factor::start(&state.db, &caller.user, &secret).await?;
    Ok(axum::Json(TotpSetup {
        secret,
        otpauth_url: totp.get_url(),
    }))
}

async fn verify_password(caller: &Caller, password: String) -> ApiResult<()> {
    let hash = caller.user.password_hash.clone();
    let ok = password::verify(&password, &hash).await?;
    if ok {
        Ok(())
    } else {
        Err(ApiError::validation(
            "password",
            "password_wrong",
            "this is not your current password",
        ))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmTotp {
    /// The 6-digit code the app shows now.
    pub code: String,
}

/// The recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Turns the second factor on with a code from the app; answers with ten
/// single-use recovery codes, shown once.
#[utoipa::path(post, path = "/me/totp/confirm", tag = "auth", request_body = ConfirmTotp,
    responses(
        (status = 200, body = RecoveryCodes),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn confirm_totp(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<ConfirmTotp>, ApiError>,
) -> ApiResult<axum::Json<RecoveryCodes>> {
    caller.require(Permission::ProfileManage)?;
    let ApiJson(body) = body?;
    caller.session()?;
    if caller.user.totp_enabled_at.is_some() {
        return Err(ApiError::Conflict(
            "The second factor is already on.".to_string(),
        ));
    }
    if caller.user.totp_secret.is_none() {
        return Err(ApiError::Conflict(
            "Start the set-up first (POST /api/v1/me/totp).".to_string(),
        ));
    }
    let now = Utc::now();
    if !code_matches(&caller.user, &body.code, now)? {
        return Err(ApiError::validation(
            "code",
            "code_wrong",
            "this code is not right; check the time on your phone and try the newest code",
        ));
    }
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let raw = sessions::new_token().to_lowercase();
            let clean: String = raw
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(10)
                .collect();
            format!("{}-{}", &clean[..5], &clean[5..])
        })
        .collect();
    second_factor::enable(&state.db, &caller.actor(), &caller.user, &codes, now).await?;
    Ok(axum::Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// Turns the second factor off (needs the current password).
#[utoipa::path(delete, path = "/me/totp", tag = "auth", request_body = StartTotp,
    responses(
        (status = 204, description = "Second factor off"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn disable_totp(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<StartTotp>, ApiError>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::ProfileManage)?;
    let ApiJson(body) = body?;
    caller.session()?;
    if caller.user.totp_enabled_at.is_none() && caller.user.totp_secret.is_none() {
        return Err(ApiError::Conflict(
            "The second factor is not on.".to_string(),
        ));
    }
    if caller.role == netcrew_domain::Role::Admin && state.config.require_admin_totp {
        return Err(ApiError::Conflict(
            "This installation requires admins to use a second factor.".to_string(),
        ));
    }
    verify_password(&caller, body.password).await?;
    second_factor::disable(&state.db, &caller.actor(), &caller.user, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
