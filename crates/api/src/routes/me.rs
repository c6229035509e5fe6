//! One's own account: profile, language, password and signed-in sessions.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use netcrew_domain::{
    Role,
    access::{Permission, permissions},
};
use netcrew_store::{
    accounts, auth,
    entity::{session, user},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(change_password))
        .routes(routes!(list_sessions, end_other_sessions))
        .routes(routes!(end_session))
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
