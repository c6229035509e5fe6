//! Staff and customer accounts, managed by admins: accounts are deactivated,
//! never deleted, so the history that names them stays whole.

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{Role, access::Permission};
use netcrew_store::{
    accounts::{self, Account, AccountChange},
    entity::user,
    page::PageRequest,
    users::{self, UserFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(reset_password))
        .routes(routes!(invite_user))
        .routes(routes!(end_user_sessions))
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(example = "technician")]
    pub role: String,
    pub locale: String,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    pub team_ids: Vec<Uuid>,
    pub area_ids: Vec<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Whether the account uses a second factor (TOTP).
    pub totp_enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_user(m: user::Model, teams: Vec<Uuid>, areas: Vec<Uuid>) -> User {
    User {
        id: m.id,
        name: m.name,
        email: m.email,
        phone: m.phone,
        role: m.role,
        locale: m.locale,
        active: m.active,
        team_ids: teams,
        area_ids: areas,
        customer_id: m.customer_id,
        totp_enabled: m.totp_enabled_at.is_some(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Supervisors see the members of their own teams (and themselves).
fn scope(caller: &Caller, me_teams: Vec<Uuid>) -> Option<(Vec<Uuid>, Uuid)> {
    (caller.role == Role::Supervisor).then_some((me_teams, caller.user.id))
}

async fn caller_teams(state: &AppState, caller: &Caller) -> ApiResult<Vec<Uuid>> {
    Ok(users::memberships(state.db.conn(), &[caller.user.id])
        .await?
        .remove(&caller.user.id)
        .map(|(t, _)| t)
        .unwrap_or_default())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Search in name, e-mail and phone.
    pub q: Option<String>,
    /// admin, supervisor, cs, technician, management or customer.
    pub role: Option<String>,
    pub team_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    /// `active` or `inactive`.
    pub status: Option<String>,
    /// `true`: staff accounts only, without customers' portal accounts.
    #[serde(default)]
    pub staff: bool,
}

/// Lists accounts by name. Supervisors see their teams' members.
#[utoipa::path(get, path = "/users", tag = "users", params(UserQuery),
    responses(
        (status = 200, body = List<User>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> ApiResult<axum::Json<List<User>>> {
    caller.require(Permission::UsersRead)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    if let Some(role) = &query.role {
        role.parse::<Role>()
            .map_err(|e| ApiError::validation("role", "choice", e.to_string()))?;
    }
    let active = match query.status.as_deref() {
        None | Some("") => None,
        Some("active") => Some(true),
        Some("inactive") => Some(false),
        Some(_) => {
            return Err(ApiError::validation(
                "status",
                "choice",
                "choose active or inactive",
            ));
        }
    };
    let filter = UserFilter {
        q: query.q,
        role: query.role,
        team_id: query.team_id,
        area_id: query.area_id,
        active,
        staff_only: query.staff,
        within_teams: scope(&caller, caller_teams(&state, &caller).await?),
    };
    let result = users::list_users(state.db.conn(), &filter, &page).await?;
    let ids: Vec<Uuid> = result.items.iter().map(|u| u.id).collect();
    let mut memberships = users::memberships(state.db.conn(), &ids).await?;
    Ok(axum::Json(List::from_page(result, |u| {
        let (teams, areas) = memberships.remove(&u.id).unwrap_or_default();
        to_user(u, teams, areas)
    })))
}

async fn load_visible(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<Account> {
    let not_found = || ApiError::NotFound("No such account.".to_string());
    let found = accounts::find(state.db.conn(), id)
        .await?
        .ok_or_else(not_found)?;
    if let Some((mine, me)) = scope(caller, caller_teams(state, caller).await?)
        && id != me
        && !found.team_ids.iter().any(|t| mine.contains(t))
    {
        return Err(not_found());
    }
    Ok(found)
}

fn account(a: Account) -> User {
    to_user(a.user, a.team_ids, a.area_ids)
}

/// One account.
#[utoipa::path(get, path = "/users/{id}", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<User>> {
    caller.require(Permission::UsersRead)?;
    Ok(axum::Json(account(
        load_visible(&state, &caller, id).await?,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub id: Option<Uuid>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: String,
    #[serde(default)]
    pub team_ids: Vec<Uuid>,
    #[serde(default)]
    pub area_ids: Vec<Uuid>,
    /// The first password; the person changes it in their profile.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    pub name: Option<String>,
    /// `null` removes the e-mail address.
    #[serde(default, deserialize_with = "crate::routes::double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub role: Option<String>,
    pub team_ids: Option<Vec<Uuid>>,
    pub area_ids: Option<Vec<Uuid>>,
    pub active: Option<bool>,
}

/// Creates an account.
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, body = User, headers(("Location" = String, description = "The new account"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<NewUser>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::UsersManage)?;
    let ApiJson(body) = body?;
    let change = AccountChange {
        id: body.id,
        name: Some(body.name),
        email: Some(body.email),
        phone: Some(body.phone),
        role: Some(body.role),
        team_ids: Some(body.team_ids),
        area_ids: Some(body.area_ids),
        active: None,
        password: Some(body.password),
    };
    let created = accounts::create(
        &state.db,
        &caller.actor(),
        change,
        &state.config.default_locale,
        Utc::now(),
    )
    .await?;
    let id = created.user.id;
    let mut response = (StatusCode::CREATED, axum::Json(account(created))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/users/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Changes an account: details, role, teams, areas, or (de)activation.
/// Deactivating ends the account's sessions.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", request_body = UserChanges,
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<UserChanges>, ApiError>,
) -> ApiResult<axum::Json<User>> {
    caller.require(Permission::UsersManage)?;
    let ApiJson(body) = body?;
    let current = load_visible(&state, &caller, id).await?;
    let change = AccountChange {
        name: body.name,
        email: body.email,
        phone: body.phone,
        role: body.role,
        team_ids: body.team_ids,
        area_ids: body.area_ids,
        active: body.active,
        ..Default::default()
    };
    let updated = accounts::update(&state.db, &caller.actor(), current, change, Utc::now()).await?;
    Ok(axum::Json(account(updated)))
}

/// A password-reset link, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetIssued {
    /// Single-use token; only its hash is stored.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// Path of the web app's reset page with the token, to send to the person.
    #[schema(example = "/reset-password?token=...")]
    pub reset_path: String,
    /// How the link was sent to the person (`email` or `whatsapp`), when
    /// it was asked for.
    pub sent_by: Option<String>,
}

/// How an admin's reset reaches the person.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Also send the link to the person, by e-mail (when they have an
    /// address and that channel is on) or else WhatsApp; refused with
    /// `unreachable` when neither reaches them (and nothing is reset).
    #[serde(default)]
    pub send: bool,
}

/// Forces a password reset: the current password stops working, every
/// session of the account ends, and a single-use link valid for 24 hours is
/// returned for the admin to pass on, or sent to the person.
#[utoipa::path(post, path = "/users/{id}/password-reset", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body(content = Option<ResetRequest>, description = "Optional; no body: the link is only answered"),
    responses(
        (status = 201, body = PasswordResetIssued),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, axum::Json<PasswordResetIssued>)> {
    caller.require(Permission::UsersManage)?;
    let send = if body.iter().all(u8::is_ascii_whitespace) {
        false
    } else {
        crate::extract::parse::<ResetRequest>(&body)?.send
    };
    let target = load_visible(&state, &caller, id).await?;
    let (token, expires_at, sent) = accounts::force_password_reset(
        &state.db,
        &caller.actor(),
        target.user,
        send.then_some(state.config.public_url.as_str()),
        Utc::now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(PasswordResetIssued {
            reset_path: format!("/reset-password?token={token}"),
            token,
            expires_at,
            sent_by: sent.map(str::to_string),
        }),
    ))
}

/// A new account whose person chooses their own password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub id: Option<Uuid>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: String,
    #[serde(default)]
    pub team_ids: Vec<Uuid>,
    #[serde(default)]
    pub area_ids: Vec<Uuid>,
}

/// An account made by invitation, and how the link went.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationSent {
    pub user: User,
    /// `email` or `whatsapp`.
    pub sent_by: String,
    pub expires_at: DateTime<Utc>,
}

/// Creates an account without a password and sends its person a link
/// (valid 72 hours) to choose one, by e-mail or else WhatsApp. When
/// neither reaches the person, nothing is created (`unreachable` on
/// `send`).
#[utoipa::path(post, path = "/users/invitations", tag = "users", request_body = NewInvitation,
    responses(
        (status = 201, body = InvitationSent, headers(("Location" = String, description = "The new account"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn invite_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<NewInvitation>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::UsersManage)?;
    let ApiJson(body) = body?;
    let change = AccountChange {
        id: body.id,
        name: Some(body.name),
        email: Some(body.email),
        phone: Some(body.phone),
        role: Some(body.role),
        team_ids: Some(body.team_ids),
        area_ids: Some(body.area_ids),
        active: None,
        password: None,
    };
    let now = Utc::now();
    let (created, sent) = accounts::invite(
        &state.db,
        &caller.actor(),
        change,
        &state.config.default_locale,
        &state.config.public_url,
        now,
    )
    .await?;
    let id = created.user.id;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(InvitationSent {
            user: account(created),
            sent_by: sent.to_string(),
            expires_at: now + chrono::Duration::hours(accounts::INVITE_VALID_HOURS),
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/users/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Ends every session of an account (a lost phone, a leaver).
#[utoipa::path(delete, path = "/users/{id}/sessions", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Sessions ended"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn end_user_sessions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::UsersManage)?;
    load_visible(&state, &caller, id).await?;
    accounts::end_sessions(&state.db, &caller.actor(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
