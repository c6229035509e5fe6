//! Signing in and out, and setting a new password with a reset link.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use netcrew_domain::{Phone, Role, access::session_policy};
use netcrew_store::{
    accounts,
    audit_log::{self, Audit},
    limits::{self, Admission, Limit},
    password, sessions,
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    caller::{Caller, ClientIp, is_secure, removal_cookie, session_cookie, session_token},
    extract::ApiJson,
    problem::{ApiError, ApiResult, FieldError, Problem},
    routes::me::{Me, me_of},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(complete_password_reset))
        .routes(routes!(forgot_password))
        .routes(routes!(send_code))
        .routes(routes!(sign_in_with_code))
}

/// Failed sign-ins allowed per account, and per address, in the window.
/// Failed sign-ins per account, and per client address, in each 15-minute
/// window.
const ACCOUNT_LIMIT: Limit = Limit {
    scope: "login_account",
    max: 5,
    window_secs: 15 * 60,
};
const ADDRESS_LIMIT: Limit = Limit {
    scope: "login_address",
    max: 30,
    window_secs: 15 * 60,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// E-mail address or phone number (`0812...` or `+62812...`).
    #[schema(example = "admin1@fibernusa.example")]
    pub login: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, for accounts with a second factor.
    pub totp_code: Option<String>,
    /// A single-use recovery code, instead of `totp_code`.
    pub recovery_code: Option<String>,
}

/// Normalises what someone typed as a login: e-mail in lower case, phone
/// numbers in E.164, control characters (which no login holds, and which
/// PostgreSQL cannot take if NUL) left out.
pub fn login_key(login: &str) -> String {
    let visible: String = login.chars().filter(|c| !c.is_control()).collect();
    let trimmed = visible.trim();
    if trimmed.contains('@') {
        return trimmed.to_lowercase();
    }
    Phone::parse(trimmed)
        .map(Phone::into_string)
        .unwrap_or_else(|_| trimmed.to_lowercase())
}

/// Signs in with e-mail or phone and password; sets the session cookie.
///
/// After 5 failed attempts for one account (or 30 from one address) within
/// 15 minutes, further attempts get `429` with `Retry-After` until the
/// window has passed. The answer never tells whether an account exists.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = Me, description = "Signed in; `Set-Cookie` carries the session"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    if body.login.trim().is_empty() {
        errors.push(FieldError::new(
            "login",
            "required",
            "enter your e-mail or phone number",
        ));
    }
    if body.password.is_empty() {
        errors.push(FieldError::new(
            "password",
            "required",
            "enter your password",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            detail: "Login and password are required.".to_string(),
            errors,
        });
    }
    let key = login_key(&body.login);
    let now = Utc::now();
    let db = state.db.conn();

    // Every attempt is counted before the password is checked, in one atomic
    // step per counter, so parallel attempts cannot all pass the limit; a
    // success gives its count back.
    if let Some(wait) = hit_limits(&state.db, &key, &ip, now).await? {
        tracing::warn!(ip = %ip, "sign-in throttled");
        let txn = state.db.begin_write().await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: None,
                actor_ip: Some(ip.clone()),
                action: "auth.login_throttled",
                entity: "session",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({ "login": key })),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        return Err(too_many_sign_ins(wait));
    }
    let give_back = || async {
        ACCOUNT_LIMIT.give_back(db, &key, now).await?;
        ADDRESS_LIMIT.give_back(db, &ip, now).await
    };

    let found = sessions::find_user_by_login(db, &key).await?;
    // Verify against a real hash even when there is no such account, so the
    // answer takes as long either way.
    let (hash, active) = match &found {
        Some(u) => (u.password_hash.clone(), u.active),
        None => (dummy_hash(), false),
    };
    let password = body.password.clone();
    let matches = match password::verify(&password, &hash).await {
        Ok(matches) => matches,
        Err(busy) => {
            // Not checked at all (the checkers are busy): not a failure.
            give_back().await?;
            return Err(busy.into());
        }
    };

    let txn = state.db.begin_write().await?;
    let second_factor_ok = match found
        .as_ref()
        .filter(|u| matches && active && u.totp_enabled_at.is_some())
    {
        None => true,
        Some(u) => match (body.totp_code.as_deref(), body.recovery_code.as_deref()) {
            (None, None) => {
                // The password was right: asking for the second factor is
                // not a failure.
                drop(txn);
                give_back().await?;
                return Err(ApiError::TotpRequired);
            }
            (Some(code), _) => crate::routes::totp::code_matches(u, code, now)?,
            (None, Some(code)) => {
                netcrew_store::second_factor::consume_recovery_code(&*txn, u.id, code, now).await?
            }
        },
    };
    let Some(user) = found.filter(|_| matches && active && second_factor_ok) else {
        sessions::record_login_attempt(&*txn, &key, &ip, false, now).await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: None,
                actor_ip: Some(ip.clone()),
                action: "auth.login_failed",
                entity: "session",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({ "login": key })),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        return Err(ApiError::InvalidCredentials);
    };
    let response = start_session(&state, txn, &user, &key, &ip, &headers, jar, now).await?;
    // A full success does not count against the limits.
    give_back().await?;
    Ok(response)
}

/// Starts a session for `user` in `txn` (committed here): the browser's
/// earlier session ended (a new id at every sign-in), the attempt recorded
/// and audited; the answer carries the cookie.
#[allow(clippy::too_many_arguments)]
async fn start_session(
    state: &AppState,
    txn: netcrew_store::db::WriteTx,
    user: &netcrew_store::entity::user::Model,
    key: &str,
    ip: &str,
    headers: &HeaderMap,
    jar: CookieJar,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Response> {
    let ip = ip.to_string();
    let role: Role = user
        .role
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    // A session the browser already had is ended: a new id at every sign-in.
    if let Some(old) = session_token(&jar)
        && let Some((old_session, _)) = sessions::find_live_session(&*txn, &old, now).await?
    {
        sessions::revoke_sessions(&*txn, old_session.user_id, Some(old_session.id), None, now)
            .await?;
    }
    sessions::record_login_attempt(&*txn, key, &ip, true, now).await?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let policy = session_policy(role);
    let created =
        sessions::create_session(&*txn, user.id, policy, Some(ip.clone()), user_agent, now).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(user.id),
            actor_ip: Some(ip.clone()),
            action: "auth.login",
            entity: "session",
            entity_id: Some(created.session.id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    let me = me_of(state, user, &created.session).await?;
    let cookie = session_cookie(
        created.token,
        policy.absolute.as_secs() as i64,
        is_secure(headers),
    );
    Ok((jar.add(cookie), axum::Json(me)).into_response())
}

/// Counts a sign-in attempt against the login and the client's address;
/// `Some(seconds to wait)` when either is over its limit.
async fn hit_limits(
    db: &netcrew_store::Db,
    key: &str,
    ip: &str,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Option<u64>> {
    let db = db.conn();
    let account = ACCOUNT_LIMIT.hit(db, key, now).await?;
    let address = ADDRESS_LIMIT.hit(db, ip, now).await?;
    if account.first_of_window() {
        limits::forget_old(db, now).await?;
    }
    Ok([account, address].into_iter().find_map(|a| match a {
        Admission::Refused { retry_after_secs } => Some(retry_after_secs),
        Admission::Allowed { .. } => None,
    }))
}

fn too_many_sign_ins(wait: u64) -> ApiError {
    ApiError::TooManyRequests {
        detail: format!(
            "Too many failed sign-ins. Try again in {} minutes.",
            wait.div_ceil(60)
        ),
        retry_after_secs: wait,
    }
}

fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash_blocking("no such account").unwrap_or_default())
        .clone()
}

/// Signs out: ends this session and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    jar: CookieJar,
) -> ApiResult<Response> {
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    sessions::revoke_sessions(&*txn, caller.user.id, Some(caller.session()?.id), None, now).await?;
    caller
        .audit(
            &txn,
            "auth.logout",
            "session",
            Some(caller.session()?.id.to_string()),
            None,
            None,
        )
        .await?;
    txn.commit().await?;
    Ok((
        jar.add(removal_cookie(is_secure(&headers))),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The token from the reset link.
    pub token: String,
    pub new_password: String,
}

/// Sets a new password with a reset link's token (single use, expiring).
#[utoipa::path(post, path = "/auth/password-reset", tag = "auth", request_body = PasswordReset,
    responses(
        (status = 204, description = "Password set; sign in with it"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn complete_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<PasswordReset>,
) -> ApiResult<StatusCode> {
    accounts::complete_password_reset(&state.db, &ip, &body.token, &body.new_password, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Links asked for from one address: at most this many in 15 minutes.
const FORGOT_ADDRESS_LIMIT: Limit = Limit {
    scope: "forgot_address",
    max: 10,
    window_secs: 15 * 60,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPassword {
    /// The e-mail address or phone number signed in with.
    pub login: String,
}

/// "Forgot password": when the login is an active account's that e-mail
/// or WhatsApp reaches, sends it a link (valid 60 minutes, at most 3 an
/// hour) to choose a new password; the current one keeps working. The
/// answer is the same whether or not such an account exists.
#[utoipa::path(post, path = "/auth/password-forgot", tag = "auth", request_body = ForgotPassword,
    responses(
        (status = 202, description = "If the account exists and a channel reaches it, a link is on its way"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn forgot_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<ForgotPassword>,
) -> ApiResult<StatusCode> {
    let key = login_key(&body.login);
    if key.is_empty() || key.chars().count() > 254 {
        return Err(ApiError::validation(
            "login",
            "required",
            "enter your e-mail or phone number",
        ));
    }
    let now = Utc::now();
    if let Admission::Refused { retry_after_secs } =
        FORGOT_ADDRESS_LIMIT.hit(state.db.conn(), &ip, now).await?
    {
        return Err(ApiError::TooManyRequests {
            detail: format!(
                "Too many links asked for. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
            retry_after_secs,
        });
    }
    accounts::request_password_reset(&state.db, &ip, &key, &state.config.public_url, now).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Codes asked for from one address: at most this many in 15 minutes.
const CODE_ADDRESS_LIMIT: Limit = Limit {
    scope: "code_address",
    max: 10,
    window_secs: 15 * 60,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The customer's WhatsApp number (`0812…` or `+62812…`).
    pub phone: String,
}

/// The phone as E.164, or a 422 on `phone`.
fn phone_key(phone: &str) -> ApiResult<String> {
    Phone::parse(phone.trim())
        .map(Phone::into_string)
        .map_err(|e| ApiError::validation("phone", e.code(), e.to_string()))
}

/// Sends a one-time sign-in code by WhatsApp to a customer's portal
/// account with this number (valid 5 minutes; at most 3 in 15 minutes).
/// The answer is the same whether or not such an account exists.
#[utoipa::path(post, path = "/auth/code", tag = "auth", request_body = CodeRequest,
    responses(
        (status = 202, description = "If a customer account has this number and WhatsApp is on, a code is on its way"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn send_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<StatusCode> {
    let phone = phone_key(&body.phone)?;
    let now = Utc::now();
    if let Admission::Refused { retry_after_secs } =
        CODE_ADDRESS_LIMIT.hit(state.db.conn(), &ip, now).await?
    {
        return Err(ApiError::TooManyRequests {
            detail: format!(
                "Too many codes asked for. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
            retry_after_secs,
        });
    }
    netcrew_store::sign_in_codes::send(&state.db, &phone, &ip, now).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSignIn {
    pub phone: String,
    /// The six digits from the WhatsApp message.
    pub code: String,
}

/// Signs a customer in with the code sent by WhatsApp; sets the session
/// cookie. A wrong, used or expired code is `401` (five wrong ones use the
/// code up), with the same limits per number and address as passwords.
#[utoipa::path(post, path = "/auth/code/sign-in", tag = "auth", request_body = CodeSignIn,
    responses(
        (status = 200, body = Me, description = "Signed in; `Set-Cookie` carries the session"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn sign_in_with_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<CodeSignIn>,
) -> ApiResult<Response> {
    let key = phone_key(&body.phone)?;
    let code = body.code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiError::validation(
            "code",
            "format",
            "the six digits sent by WhatsApp",
        ));
    }
    let now = Utc::now();
    let db = state.db.conn();
    if let Some(wait) = hit_limits(&state.db, &key, &ip, now).await? {
        return Err(too_many_sign_ins(wait));
    }
    let found = netcrew_store::sign_in_codes::redeem(&state.db, &key, code, now).await?;
    let txn = state.db.begin_write().await?;
    let Some(user) = found else {
        sessions::record_login_attempt(&*txn, &key, &ip, false, now).await?;
        audit_log::audit(
            &*txn,
            Audit {
                actor_id: None,
                actor_ip: Some(ip.clone()),
                action: "auth.login_failed",
                entity: "session",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({ "login": key, "by": "code" })),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        return Err(ApiError::InvalidCredentials);
    };
    let response = start_session(&state, txn, &user, &key, &ip, &headers, jar, now).await?;
    ACCOUNT_LIMIT.give_back(db, &key, now).await?;
    ADDRESS_LIMIT.give_back(db, &ip, now).await?;
    Ok(response)
}
