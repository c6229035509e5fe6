//! Staff alerts beyond the bell: the admin's channels per event and role,
//! each person's own choices and quiet hours, and the devices that take
//! Web Push.

use std::collections::BTreeMap;

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use chrono::{NaiveTime, Utc};
use netcrew_domain::{Role, access::Permission, alerts::AlertChannel, messages::MessageEvent};
use netcrew_store::{
    alerts::{self, Route},
    email,
    entity::push_subscription,
    outbox,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, Problem},
    routes::{List, created, tickets::person},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_routes))
        .routes(routes!(put_route, reset_route))
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(list_devices, add_device))
        .routes(routes!(remove_device))
        .routes(routes!(test_devices))
}

// ------------------------------------------------------------ routes

/// The channels one role gets one staff alert by (the bell always has it).
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationRoute {
    pub event: MessageEvent,
    #[schema(example = "supervisor")]
    pub role: String,
    pub channels: Vec<AlertChannel>,
    /// NetCrew's own choice for this role.
    pub built_in: Vec<AlertChannel>,
    /// Whether an admin changed it.
    pub customized: bool,
}

fn route_view(r: Route) -> NotificationRoute {
    NotificationRoute {
        event: r.event,
        role: r.role.as_str().to_string(),
        channels: r.channels,
        built_in: r.built_in,
        customized: r.customized,
    }
}

/// Every staff alert, for every role it reaches, with the channels it
/// takes besides the bell.
#[utoipa::path(get, path = "/notification-routes", tag = "messages",
    responses(
        (status = 200, body = List<NotificationRoute>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_routes(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<NotificationRoute>>> {
    caller.require(Permission::MessagesManage)?;
    let items = alerts::routes(state.db.conn())
        .await?
        .into_iter()
        .map(route_view)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteInput {
    /// Empty: the bell only.
    pub channels: Vec<AlertChannel>,
}

fn route_target(
    event: &str,
    role: &str,
) -> ApiResult<(&'static netcrew_domain::alerts::StaffAlert, Role)> {
    let alert = alerts::staff_alert(event)
        .ok_or_else(|| ApiError::NotFound("No such staff alert.".to_string()))?;
    let role = role
        .parse::<Role>()
        .ok()
        .filter(|r| r.is_staff())
        .ok_or_else(|| ApiError::NotFound("No such staff role.".to_string()))?;
    Ok((alert, role))
}

/// Sets the channels a role gets a staff alert by. A role the alert never
/// reaches answers 422 naming the ones it does.
#[utoipa::path(put, path = "/notification-routes/{event}/{role}", tag = "messages", request_body = RouteInput,
    params(
        ("event" = String, Path, description = "A staff alert, e.g. `staff_sla_breached`"),
        ("role" = String, Path, description = "A staff role, e.g. `supervisor`"),
    ),
    responses(
        (status = 200, body = NotificationRoute),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_route(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((event, role)): ApiPath<(String, String)>,
    body: Result<ApiJson<RouteInput>, ApiError>,
) -> ApiResult<axum::Json<NotificationRoute>> {
    caller.require(Permission::MessagesManage)?;
    let (alert, role) = route_target(&event, &role)?;
    let ApiJson(b) = body?;
    let saved = alerts::save_route(
        &state.db,
        &person(&caller),
        alert,
        role,
        Some(&b.channels),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(route_view(saved)))
}

/// Puts a role's channels for a staff alert back to the built-in ones.
#[utoipa::path(delete, path = "/notification-routes/{event}/{role}", tag = "messages",
    params(
        ("event" = String, Path, description = "A staff alert"),
        ("role" = String, Path, description = "A staff role"),
    ),
    responses(
        (status = 200, body = NotificationRoute),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reset_route(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((event, role)): ApiPath<(String, String)>,
) -> ApiResult<axum::Json<NotificationRoute>> {
    caller.require(Permission::MessagesManage)?;
    let (alert, role) = route_target(&event, &role)?;
    let saved =
        alerts::save_route(&state.db, &person(&caller), alert, role, None, Utc::now()).await?;
    Ok(axum::Json(route_view(saved)))
}

// ------------------------------------------------------------ preferences

/// One staff alert as the person gets it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertChoice {
    pub event: MessageEvent,
    /// The channels it comes by (besides the bell).
    pub channels: Vec<AlertChannel>,
    /// Their role's channels (what "as my role" means).
    pub role_channels: Vec<AlertChannel>,
    /// Whether the person chose; else their role's channels apply.
    pub chosen: bool,
}

/// Whether each channel can reach the person now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reachable {
    /// An e-mail address on the account and the e-mail channel on.
    pub email: bool,
    /// A phone number on the account and the WhatsApp channel on.
    pub whatsapp: bool,
    /// At least one of the person's devices allowed Web Push.
    pub push: bool,
}

/// How one's staff alerts arrive.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertPreferences {
    /// The alerts one's role receives.
    pub events: Vec<AlertChoice>,
    /// Nothing but the bell from `quiet_start` to `quiet_end` (local to
    /// `time_zone`); what comes then is sent when they end.
    #[schema(value_type = Option<String>, example = "21:00")]
    pub quiet_start: Option<NaiveTime>,
    #[schema(value_type = Option<String>, example = "06:00")]
    pub quiet_end: Option<NaiveTime>,
    #[schema(example = "Asia/Jakarta")]
    pub time_zone: String,
    pub reachable: Reachable,
    /// The server's VAPID key, for `pushManager.subscribe`'s
    /// `applicationServerKey` (base64url).
    pub push_public_key: String,
}

/// The server's VAPID public key, made on first use.
async fn push_key(state: &AppState) -> ApiResult<String> {
    if let Some(k) = alerts::push_public_key(state.db.conn()).await? {
        return Ok(k);
    }
    let v = netcrew_notify::push::Vapid::generate();
    Ok(alerts::keep_push_keys(
        &state.db,
        &state.sealer,
        &v.public_key(),
        &v.private_key(),
        Utc::now(),
    )
    .await?)
}

fn staff_role(caller: &Caller) -> ApiResult<Role> {
    caller.require(Permission::AlertsOwn)?;
    caller
        .user
        .role
        .parse::<Role>()
        .ok()
        .filter(|r| r.is_staff())
        .ok_or_else(|| ApiError::Forbidden("Alerts are for staff accounts.".to_string()))
}

async fn preferences_view(
    state: &AppState,
    caller: &Caller,
    role: Role,
) -> ApiResult<AlertPreferences> {
    let p = alerts::preferences(state.db.conn(), caller.user.id, role).await?;
    let email_on = email::channel(state.db.conn()).await?.enabled;
    let whatsapp_on = outbox::channel(state.db.conn()).await?.enabled;
    let devices = alerts::subscriptions(state.db.conn(), caller.user.id).await?;
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    Ok(AlertPreferences {
        events: p
            .events
            .into_iter()
            .map(|e| AlertChoice {
                event: e.event,
                channels: e.channels,
                role_channels: e.role_channels,
                chosen: e.chosen,
            })
            .collect(),
        quiet_start: p.quiet_start,
        quiet_end: p.quiet_end,
        time_zone: p.time_zone,
        reachable: Reachable {
            email: email_on && has(&caller.user.email),
            whatsapp: whatsapp_on && has(&caller.user.phone),
            push: !devices.is_empty(),
        },
        push_public_key: push_key(state).await?,
    })
}

/// How one's own staff alerts arrive: per alert the channels, quiet hours,
/// and whether each channel can reach one now.
#[utoipa::path(get, path = "/me/notification-preferences", tag = "auth",
    responses(
        (status = 200, body = AlertPreferences),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_preferences(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<AlertPreferences>> {
    let role = staff_role(&caller)?;
    Ok(axum::Json(preferences_view(&state, &caller, role).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertPreferencesInput {
    /// Per alert, the channels chosen; an alert left out takes the role's.
    #[serde(default)]
    pub channels: BTreeMap<String, Vec<AlertChannel>>,
    /// `HH:MM`; both ends or neither.
    #[schema(value_type = Option<String>, example = "21:00")]
    pub quiet_start: Option<String>,
    #[schema(value_type = Option<String>, example = "06:00")]
    pub quiet_end: Option<String>,
    /// An IANA zone (`Asia/Jakarta`, `Asia/Makassar`, `Asia/Jayapura`).
    pub time_zone: Option<String>,
}

fn time_field(field: &str, value: Option<&str>) -> ApiResult<Option<NaiveTime>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveTime::parse_from_str(v, "%H:%M")
            .map(Some)
            .map_err(|_| ApiError::validation(field, "format", "a time as HH:MM, such as 21:00")),
    }
}

/// Changes how one's own staff alerts arrive.
#[utoipa::path(put, path = "/me/notification-preferences", tag = "auth", request_body = AlertPreferencesInput,
    responses(
        (status = 200, body = AlertPreferences),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_preferences(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<AlertPreferencesInput>, ApiError>,
) -> ApiResult<axum::Json<AlertPreferences>> {
    let role = staff_role(&caller)?;
    let ApiJson(b) = body?;
    let input = alerts::PreferencesInput {
        channels: b.channels,
        quiet_start: time_field("quiet_start", b.quiet_start.as_deref())?,
        quiet_end: time_field("quiet_end", b.quiet_end.as_deref())?,
        time_zone: b.time_zone,
    };
    alerts::save_preferences(&state.db, caller.user.id, role, input, Utc::now()).await?;
    Ok(axum::Json(preferences_view(&state, &caller, role).await?))
}

// ------------------------------------------------------------ devices

/// A device (browser or phone) that takes one's Web Push.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushDevice {
    pub id: Uuid,
    pub label: String,
    pub created_at: chrono::DateTime<Utc>,
    /// When a notification last reached it.
    pub last_used_at: Option<chrono::DateTime<Utc>>,
}

fn device_view(s: push_subscription::Model) -> PushDevice {
    PushDevice {
        id: s.id,
        label: s.label,
        created_at: s.created_at,
        last_used_at: s.last_used_at,
    }
}

/// One's devices that take Web Push.
#[utoipa::path(get, path = "/me/push-subscriptions", tag = "auth",
    responses(
        (status = 200, body = List<PushDevice>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_devices(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<PushDevice>>> {
    staff_role(&caller)?;
    let items = alerts::subscriptions(state.db.conn(), caller.user.id)
        .await?
        .into_iter()
        .map(device_view)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

/// The browser's keys, as `PushSubscription.toJSON()` gives them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// A browser's push subscription (`PushSubscription.toJSON()`) and what to
/// call the device.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushSubscriptionInput {
    pub endpoint: String,
    pub keys: PushKeys,
    #[serde(default)]
    pub label: Option<String>,
    /// Sent by browsers; not used.
    #[serde(default, rename = "expirationTime")]
    #[schema(value_type = Option<f64>)]
    pub expiration_time: Option<serde_json::Value>,
}

/// Lets this browser take one's Web Push (the same subscription again is
/// updated: 200 instead of 201).
#[utoipa::path(post, path = "/me/push-subscriptions", tag = "auth", request_body = PushSubscriptionInput,
    responses(
        (status = 201, body = PushDevice),
        (status = 200, body = PushDevice),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_device(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<PushSubscriptionInput>, ApiError>,
) -> ApiResult<axum::response::Response> {
    staff_role(&caller)?;
    let ApiJson(b) = body?;
    // The key pair exists before the first subscription.
    push_key(&state).await?;
    let (saved, new) = alerts::subscribe(
        &state.db,
        caller.user.id,
        alerts::SubscriptionInput {
            endpoint: b.endpoint,
            p256dh: b.keys.p256dh,
            auth: b.keys.auth,
            label: b.label.unwrap_or_default(),
        },
        netcrew_notify::push::keys_ok,
        state.config.push_allow_http,
        Utc::now(),
    )
    .await?;
    let id = saved.id;
    let view = device_view(saved);
    Ok(if new {
        created(format!("/api/v1/me/push-subscriptions/{id}"), view)
    } else {
        axum::Json(view).into_response()
    })
}

/// Stops Web Push to one of one's devices.
#[utoipa::path(delete, path = "/me/push-subscriptions/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "The device")),
    responses(
        (status = 204, description = "The device takes no more notifications"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_device(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    staff_role(&caller)?;
    if alerts::unsubscribe(&state.db, caller.user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such device of yours.".to_string()))
    }
}

/// How many test notifications were queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushTest {
    pub queued: usize,
}

/// Sends a test notification to each of one's devices.
#[utoipa::path(post, path = "/me/push-subscriptions/test", tag = "auth",
    responses(
        (status = 202, body = PushTest),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn test_devices(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, axum::Json<PushTest>)> {
    staff_role(&caller)?;
    let queued = alerts::test_push(&state.db, &caller.user, Utc::now()).await?;
    if queued == 0 {
        return Err(ApiError::Conflict(
            "No device of yours takes notifications yet: allow them in this browser first."
                .to_string(),
        ));
    }
    Ok((StatusCode::ACCEPTED, axum::Json(PushTest { queued })))
}
