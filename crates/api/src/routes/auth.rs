//! Signing in and out, one's own profile, password and sessions.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Utc};
use netcrew_domain::{
    Phone, Role,
    access::{Permission, permissions, session_policy},
};
use netcrew_store::{
    accounts,
    auth::{self, Audit},
    entity::{session, user},
    limits::{self, Admission, Limit},
    password,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::{Caller, ClientIp, is_secure, removal_cookie, session_cookie, session_token},
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, FieldError, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(get_me, update_me))
        .routes(routes!(change_password))
        .routes(routes!(list_sessions, end_other_sessions))
        .routes(routes!(end_session))
        .routes(routes!(complete_password_reset))
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

/// The signed-in user, what they may do, and the token for writes.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(example = "supervisor")]
    pub role: String,
    /// Interface language: `id` or `en`.
    pub locale: String,
    pub team_ids: Vec<Uuid>,
    pub area_ids: Vec<Uuid>,
    /// Linked customer record, for customer accounts.
    pub customer_id: Option<Uuid>,
    #[schema(example = json!(["profile.manage", "users.read"]))]
    pub permissions: Vec<String>,
    /// Send this in the `X-CSRF-Token` header with every write made with
    /// the session cookie.
    pub csrf_token: String,
    pub session_expires_at: DateTime<Utc>,
    /// Whether a second factor (TOTP) protects this account.
    pub totp_enabled: bool,
    /// Whether this account must set up a second factor before anything else.
    pub totp_setup_required: bool,
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

pub(crate) async fn me_of(
    state: &AppState,
    user: &user::Model,
    session: &session::Model,
) -> ApiResult<Me> {
    let (team_ids, area_ids) = netcrew_store::users::memberships(state.db.conn(), &[user.id])
        .await?
        .remove(&user.id)
        .unwrap_or_default();
    let role: Role = user
        .role
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(Me {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        phone: user.phone.clone(),
        role: user.role.clone(),
        locale: user.locale.clone(),
        team_ids,
        area_ids,
        customer_id: user.customer_id,
        permissions: permissions(role)
            .iter()
            .map(|p| p.as_str().to_string())
            .collect(),
        csrf_token: session.csrf_token.clone(),
        session_expires_at: session.expires_at,
        totp_enabled: user.totp_enabled_at.is_some(),
        totp_setup_required: role == Role::Admin
            && state.config.require_admin_totp
            && user.totp_enabled_at.is_none(),
    })
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
    let account = ACCOUNT_LIMIT.hit(db, &key, now).await?;
    let address = ADDRESS_LIMIT.hit(db, &ip, now).await?;
    if account.first_of_window() {
        limits::forget_old(db, now).await?;
    }
    let refused = [account, address].into_iter().find_map(|a| match a {
        Admission::Refused { retry_after_secs } => Some(retry_after_secs),
        Admission::Allowed { .. } => None,
    });
    if let Some(wait) = refused {
        tracing::warn!(ip = %ip, "sign-in throttled");
        let txn = state.db.begin_write().await?;
        auth::audit(
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
        return Err(ApiError::TooManyRequests {
            detail: format!(
                "Too many failed sign-ins. Try again in {} minutes.",
                wait.div_ceil(60)
            ),
            retry_after_secs: wait,
        });
    }
    let give_back = || async {
        ACCOUNT_LIMIT.give_back(db, &key, now).await?;
        ADDRESS_LIMIT.give_back(db, &ip, now).await
    };

    let found = auth::find_user_by_login(db, &key).await?;
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
        auth::record_login_attempt(&*txn, &key, &ip, false, now).await?;
        auth::audit(
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
    let role: Role = user
        .role
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    // A session the browser already had is ended: a new id at every sign-in.
    if let Some(old) = session_token(&jar)
        && let Some((old_session, _)) = auth::find_live_session(&*txn, &old, now).await?
    {
        auth::revoke_sessions(&*txn, old_session.user_id, Some(old_session.id), None, now).await?;
    }
    auth::record_login_attempt(&*txn, &key, &ip, true, now).await?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let policy = session_policy(role);
    let created =
        auth::create_session(&*txn, user.id, policy, Some(ip.clone()), user_agent, now).await?;
    auth::audit(
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
    // A full success does not count against the limits.
    give_back().await?;
    let me = me_of(&state, &user, &created.session).await?;
    let cookie = session_cookie(
        created.token,
        policy.absolute.as_secs() as i64,
        is_secure(&headers),
    );
    Ok((jar.add(cookie), axum::Json(me)).into_response())
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
    auth::revoke_sessions(&*txn, caller.user.id, Some(caller.session()?.id), None, now).await?;
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

/// The signed-in user, their teams, areas and permissions.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses(
        (status = 200, body = Me),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_me(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Me>> {
    Ok(axum::Json(
        me_of(&state, &caller.user, caller.session()?).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub name: Option<String>,
    /// `id` or `en`.
    pub locale: Option<String>,
}

/// Changes one's own name or interface language.
#[utoipa::path(patch, path = "/me", tag = "auth", request_body = UpdateMe,
    responses(
        (status = 200, body = Me),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<UpdateMe>, ApiError>,
) -> ApiResult<axum::Json<Me>> {
    caller.require(Permission::ProfileManage)?;
    let ApiJson(body) = body?;
    let updated = accounts::update_profile(
        &state.db,
        &caller.actor(),
        &caller.user,
        body.name.as_deref(),
        body.locale.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(
        me_of(&state, &updated, caller.session()?).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// Changes one's own password; every other session of the account ends.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = ChangePassword,
    responses(
        (status = 204, description = "Password changed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<ChangePassword>, ApiError>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::ProfileManage)?;
    let ApiJson(body) = body?;
    accounts::change_password(
        &state.db,
        &caller.actor(),
        &caller.user,
        caller.session()?.id,
        &body.current_password,
        &body.new_password,
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A signed-in session of the current user.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// One's own live sessions, most recently used first.
#[utoipa::path(get, path = "/me/sessions", tag = "auth",
    responses(
        (status = 200, body = List<SessionInfo>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_sessions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<SessionInfo>>> {
    let current = caller.session()?.id;
    let sessions = auth::list_live_sessions(state.db.conn(), caller.user.id, Utc::now()).await?;
    let items: Vec<SessionInfo> = sessions
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == current,
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    Ok(axum::Json(List::complete(items)))
}

async fn end_sessions(state: &AppState, caller: &Caller, only: Option<Uuid>) -> ApiResult<u64> {
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    let except = if only.is_none() {
        Some(caller.session()?.id)
    } else {
        None
    };
    let ended = auth::revoke_sessions(&*txn, caller.user.id, only, except, now).await?;
    caller
        .audit(
            &txn,
            if only.is_some() {
                "session.end"
            } else {
                "session.end_others"
            },
            "session",
            only.map(|id| id.to_string()),
            None,
            Some(serde_json::json!({ "ended": ended })),
        )
        .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Signs out everywhere else: ends every session but this one.
#[utoipa::path(delete, path = "/me/sessions", tag = "auth",
    responses(
        (status = 204, description = "Other sessions ended"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn end_other_sessions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<StatusCode> {
    end_sessions(&state, &caller, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends one of one's own sessions (e.g. a lost phone).
#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = 204, description = "Session ended"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn end_session(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    if end_sessions(&state, &caller, Some(id)).await? == 0 {
        return Err(ApiError::NotFound("You have no such session.".to_string()));
    }
    Ok(StatusCode::NO_CONTENT)
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
