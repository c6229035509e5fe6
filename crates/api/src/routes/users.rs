//! Staff and customer accounts, managed by admins: accounts are deactivated,
//! never deleted, so the history that names them stays whole.

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{
    Phone, Role,
    access::{Permission, check_password},
};
use netcrew_store::{
    auth,
    entity::{area, team, user},
    page::PageRequest,
    password,
    sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter},
    users::{self, UserFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, FieldError, Problem},
    routes::{ApiChecks, Checks, List},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(reset_password))
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

fn audit_view(u: &user::Model, teams: &[Uuid], areas: &[Uuid]) -> serde_json::Value {
    serde_json::json!({
        "name": u.name, "email": u.email, "phone": u.phone, "role": u.role,
        "active": u.active, "team_ids": teams, "area_ids": areas,
    })
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

async fn load_visible(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<(user::Model, Vec<Uuid>, Vec<Uuid>)> {
    let not_found = || ApiError::NotFound("No such account.".to_string());
    let found = user::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(not_found)?;
    let (teams, areas) = users::memberships(state.db.conn(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    if let Some((mine, me)) = scope(caller, caller_teams(state, caller).await?)
        && id != me
        && !teams.iter().any(|t| mine.contains(t))
    {
        return Err(not_found());
    }
    Ok((found, teams, areas))
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
    let (u, teams, areas) = load_visible(&state, &caller, id).await?;
    Ok(axum::Json(to_user(u, teams, areas)))
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

/// Checked account fields.
struct Fields {
    name: Option<String>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    role: Option<Role>,
}

fn check_fields(
    name: Option<&str>,
    email: Option<Option<&str>>,
    phone: Option<Option<&str>>,
    role: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Fields {
    let mut c = Checks::default();
    let name = name.map(|n| c.text("name", n, 100));
    let mut email = email.map(|e| e.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()));
    if let Some(Some(e)) = &email
        && !c.no_controls("email", e, false)
    {
        // Refused above; not looked up (PostgreSQL cannot compare with NUL).
        email = Some(None);
    }
    if let Some(Some(e)) = &email {
        let ok = e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !e.contains(' ')
        });
        if !ok {
            errors.push(FieldError::new(
                "email",
                "email",
                "enter an e-mail address such as nama@contoh.id",
            ));
        }
    }
    let phone = phone.map(|p| match p.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => match Phone::parse(p) {
            Ok(p) => Some(p.into_string()),
            Err(e) => {
                errors.push(FieldError::new("phone", e.code(), e.to_string()));
                None
            }
        },
    });
    errors.extend(c.errors);
    let role = role.and_then(|r| match r.parse::<Role>() {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(FieldError::new("role", "choice", e.to_string()));
            None
        }
    });
    Fields {
        name,
        email,
        phone,
        role,
    }
}

async fn check_unique_and_refs(
    state: &AppState,
    id: Option<Uuid>,
    fields: &Fields,
    teams: Option<&[Uuid]>,
    areas: Option<&[Uuid]>,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    let db = state.db.conn();
    for (field, column, value) in [
        ("email", user::Column::Email, fields.email.clone().flatten()),
        ("phone", user::Column::Phone, fields.phone.clone().flatten()),
    ] {
        if let Some(value) = value
            && let Some(other) = user::Entity::find()
                .filter(column.eq(value))
                .one(db)
                .await?
            && Some(other.id) != id
        {
            errors.push(FieldError::new(
                field,
                "taken",
                "another account already uses this",
            ));
        }
    }
    if let Some(teams) = teams
        && !users::missing_ids::<team::Entity, _>(db, teams, team::Column::Id)
            .await?
            .is_empty()
    {
        errors.push(FieldError::new(
            "team_ids",
            "unknown",
            "one of these teams does not exist",
        ));
    }
    if let Some(areas) = areas
        && !users::missing_ids::<area::Entity, _>(db, areas, area::Column::Id)
            .await?
            .is_empty()
    {
        errors.push(FieldError::new(
            "area_ids",
            "unknown",
            "one of these areas does not exist",
        ));
    }
    Ok(())
}

fn invalid(errors: Vec<FieldError>) -> ApiResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation {
            detail: errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.detail))
                .collect::<Vec<_>>()
                .join("; "),
            errors,
        })
    }
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
    let mut errors = Vec::new();
    let fields = check_fields(
        Some(&body.name),
        Some(body.email.as_deref()),
        Some(body.phone.as_deref()),
        Some(&body.role),
        &mut errors,
    );
    let (email, phone) = (
        fields.email.clone().flatten(),
        fields.phone.clone().flatten(),
    );
    if email.is_none()
        && phone.is_none()
        && !errors
            .iter()
            .any(|e| e.field == "email" || e.field == "phone")
    {
        errors.push(FieldError::new(
            "email",
            "required",
            "give an e-mail address or a phone number to sign in with",
        ));
    }
    let mut c = Checks::default();
    c.client_uuid("id", body.id);
    errors.extend(c.errors);
    if fields.role == Some(Role::Customer) {
        errors.push(FieldError::new(
            "role",
            "choice",
            "customer accounts come from registration",
        ));
    }
    let logins: Vec<&str> = [email.as_deref(), phone.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if let Err(e) = check_password(&body.password, &logins) {
        errors.push(FieldError::new("password", e.code(), e.to_string()));
    }
    check_unique_and_refs(
        &state,
        None,
        &fields,
        Some(&body.team_ids),
        Some(&body.area_ids),
        &mut errors,
    )
    .await?;
    invalid(errors)?;
    let role = fields
        .role
        .ok_or_else(|| ApiError::validation("role", "required", "required"))?;
    let pw = body.password.clone();
    let hash = password::hash(&pw).await?;
    let now = Utc::now();
    let id = body.id.unwrap_or_else(Uuid::now_v7);
    let txn = state.db.begin_write().await?;
    let created = user::ActiveModel {
        id: Set(id),
        name: Set(fields.name.clone().unwrap_or_default()),
        email: Set(email),
        phone: Set(phone),
        role: Set(role.as_str().to_string()),
        password_hash: Set(hash),
        locale: Set(state.config.default_locale.clone()),
        active: Set(true),
        customer_id: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    users::set_memberships(&*txn, id, Some(&body.team_ids), Some(&body.area_ids)).await?;
    caller
        .audit(
            &txn,
            "user.create",
            "user",
            Some(id.to_string()),
            None,
            Some(audit_view(&created, &body.team_ids, &body.area_ids)),
        )
        .await?;
    txn.commit().await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(to_user(created, body.team_ids, body.area_ids)),
    )
        .into_response();
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
    let (current, teams, areas) = load_visible(&state, &caller, id).await?;
    let mut errors = Vec::new();
    let fields = check_fields(
        body.name.as_deref(),
        body.email.as_ref().map(|e| e.as_deref()),
        body.phone.as_ref().map(|p| p.as_deref()),
        body.role.as_deref(),
        &mut errors,
    );
    let current_role: Role = current
        .role
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    if (fields.role == Some(Role::Customer)) != (current_role == Role::Customer)
        && fields.role.is_some()
    {
        errors.push(FieldError::new(
            "role",
            "choice",
            "a customer account cannot become staff, nor the reverse",
        ));
    }
    let email = fields.email.clone().unwrap_or(current.email.clone());
    let phone = fields.phone.clone().unwrap_or(current.phone.clone());
    if email.is_none() && phone.is_none() {
        errors.push(FieldError::new(
            "email",
            "required",
            "keep an e-mail address or a phone number to sign in with",
        ));
    }
    check_unique_and_refs(
        &state,
        Some(id),
        &fields,
        body.team_ids.as_deref(),
        body.area_ids.as_deref(),
        &mut errors,
    )
    .await?;
    invalid(errors)?;

    let deactivating = body.active == Some(false) && current.active;
    let demoting = fields.role.is_some_and(|r| r != Role::Admin) && current_role == Role::Admin;
    if (deactivating || demoting) && id == caller.user.id {
        return Err(ApiError::Conflict(
            "You cannot deactivate your own account or take away your own admin role.".to_string(),
        ));
    }
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    if (deactivating || demoting)
        && current_role == Role::Admin
        && users::count_active_admins(&*txn).await? <= 1
    {
        return Err(ApiError::Conflict(
            "This is the last active admin; make someone else admin first.".to_string(),
        ));
    }
    let before = audit_view(&current, &teams, &areas);
    let mut model: user::ActiveModel = current.into();
    if let Some(name) = fields.name {
        model.name = Set(name);
    }
    if fields.email.is_some() {
        model.email = Set(email);
    }
    if fields.phone.is_some() {
        model.phone = Set(phone);
    }
    if let Some(role) = fields.role {
        model.role = Set(role.as_str().to_string());
    }
    if let Some(active) = body.active {
        model.active = Set(active);
    }
    model.updated_at = Set(now);
    let updated = model.update(&*txn).await?;
    users::set_memberships(
        &*txn,
        id,
        body.team_ids.as_deref(),
        body.area_ids.as_deref(),
    )
    .await?;
    if deactivating || fields.role.is_some() {
        // A new role or a closed account takes effect at once.
        auth::revoke_sessions(&*txn, id, None, None, now).await?;
    }
    let teams = body.team_ids.unwrap_or(teams);
    let areas = body.area_ids.unwrap_or(areas);
    caller
        .audit(
            &txn,
            if deactivating {
                "user.deactivate"
            } else {
                "user.update"
            },
            "user",
            Some(id.to_string()),
            Some(before),
            Some(audit_view(&updated, &teams, &areas)),
        )
        .await?;
    txn.commit().await?;
    Ok(axum::Json(to_user(updated, teams, areas)))
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
}

pub const RESET_VALID_HOURS: i64 = 24;

/// Forces a password reset: the current password stops working, every
/// session of the account ends, and a single-use link valid for 24 hours is
/// returned for the admin to pass on.
#[utoipa::path(post, path = "/users/{id}/password-reset", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 201, body = PasswordResetIssued),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<(StatusCode, axum::Json<PasswordResetIssued>)> {
    caller.require(Permission::UsersManage)?;
    let (target, _, _) = load_visible(&state, &caller, id).await?;
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    let (token, expires_at) = auth::issue_password_link(
        &*txn,
        id,
        Some(caller.user.id),
        Duration::hours(RESET_VALID_HOURS),
        now,
    )
    .await?;
    let mut model: user::ActiveModel = target.into();
    model.password_hash = Set(auth::NO_PASSWORD_YET.to_string());
    model.updated_at = Set(now);
    model.update(&*txn).await?;
    auth::revoke_sessions(&*txn, id, None, None, now).await?;
    caller
        .audit(
            &txn,
            "user.force_password_reset",
            "user",
            Some(id.to_string()),
            None,
            Some(serde_json::json!({ "expires_at": expires_at })),
        )
        .await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(PasswordResetIssued {
            reset_path: format!("/reset-password?token={token}"),
            token,
            expires_at,
        }),
    ))
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
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    let ended = auth::revoke_sessions(&*txn, id, None, None, now).await?;
    caller
        .audit(
            &txn,
            "user.end_sessions",
            "user",
            Some(id.to_string()),
            None,
            Some(serde_json::json!({ "ended": ended })),
        )
        .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
