//! The ISP's service-level settings: pause reasons, SLA policies, the
//! holiday list and each area's calendar.

use axum::{body::Bytes, extract::State, http::StatusCode, response::IntoResponse};
use chrono::{NaiveDate, Utc};
use netcrew_domain::{access::Permission, service::Priority, tickets::rules::HolidayKind};
use netcrew_store::{
    entity::{area, holiday, pause_reason, sla_policy},
    sla_settings::{self, CalendarInput, PauseReasonChange, PolicyInput},
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
        .routes(routes!(list_pause_reasons))
        .routes(routes!(update_pause_reason))
        .routes(routes!(list_policies, put_policy))
        .routes(routes!(delete_policy))
        .routes(routes!(list_holidays))
        .routes(routes!(import_holidays))
        .routes(routes!(delete_holiday))
        .routes(routes!(get_calendar, put_calendar))
}

/// Why a ticket waits, and whether its SLA clock stops meanwhile.
#[derive(Debug, Serialize, ToSchema)]
pub struct PauseReason {
    #[schema(example = "waiting_customer")]
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub stops_clock: bool,
    /// Whether it is offered for new pauses.
    pub active: bool,
}

impl From<pause_reason::Model> for PauseReason {
    fn from(p: pause_reason::Model) -> Self {
        PauseReason {
            code: p.code,
            name_id: p.name_id,
            name_en: p.name_en,
            stops_clock: p.stops_clock,
            active: p.active,
        }
    }
}

fn staff(caller: &Caller) -> ApiResult<()> {
    if caller.role.is_staff() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "This is for the ISP's staff.".to_string(),
        ))
    }
}

/// The pause reasons (everyone who moves tickets picks from them).
#[utoipa::path(get, path = "/pause-reasons", tag = "sla",
    responses(
        (status = 200, body = List<PauseReason>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_pause_reasons(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<List<PauseReason>>> {
    let items = sla_settings::pause_reasons(state.db.conn()).await?;
    Ok(axum::Json(List::complete(
        items.into_iter().map(PauseReason::from).collect(),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseReasonPatch {
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    /// Whether pauses for this reason (from now on) stop the clock.
    pub stops_clock: Option<bool>,
    pub active: Option<bool>,
}

/// Changes a pause reason.
#[utoipa::path(patch, path = "/pause-reasons/{code}", tag = "sla", request_body = PauseReasonPatch,
    params(("code" = String, Path, description = "The reason's code")),
    responses(
        (status = 200, body = PauseReason),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_pause_reason(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    body: Result<ApiJson<PauseReasonPatch>, ApiError>,
) -> ApiResult<axum::Json<PauseReason>> {
    caller.require(Permission::SlaManage)?;
    let ApiJson(b) = body?;
    let saved = sla_settings::update_pause_reason(
        &state.db,
        &caller.actor(),
        &code,
        PauseReasonChange {
            name_id: b.name_id,
            name_en: b.name_en,
            stops_clock: b.stops_clock,
            active: b.active,
        },
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(saved.into()))
}

/// The targets of a service type at a priority (otherwise the service
/// type's own targets apply).
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaPolicy {
    pub id: Uuid,
    pub service_type_id: Uuid,
    pub priority: Priority,
    /// Created → accepted.
    pub response_minutes: i32,
    /// Created → resolved.
    pub resolution_minutes: i32,
}

impl From<sla_policy::Model> for SlaPolicy {
    fn from(p: sla_policy::Model) -> Self {
        SlaPolicy {
            id: p.id,
            service_type_id: p.service_type_id,
            priority: p.priority.parse().unwrap_or(Priority::Normal),
            response_minutes: p.response_minutes,
            resolution_minutes: p.resolution_minutes,
        }
    }
}

/// Every SLA policy.
#[utoipa::path(get, path = "/sla-policies", tag = "sla",
    responses(
        (status = 200, body = List<SlaPolicy>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_policies(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<SlaPolicy>>> {
    staff(&caller)?;
    let items = sla_settings::policies(state.db.conn()).await?;
    Ok(axum::Json(List::complete(
        items.into_iter().map(SlaPolicy::from).collect(),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pub service_type_id: Uuid,
    pub priority: Priority,
    pub response_minutes: i32,
    pub resolution_minutes: i32,
}

/// Sets the targets for a service type at a priority (tickets opened from
/// now on get them).
#[utoipa::path(put, path = "/sla-policies", tag = "sla", request_body = PolicyBody,
    responses(
        (status = 200, body = SlaPolicy),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_policy(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<PolicyBody>, ApiError>,
) -> ApiResult<axum::Json<SlaPolicy>> {
    caller.require(Permission::SlaManage)?;
    let ApiJson(b) = body?;
    let saved = sla_settings::put_policy(
        &state.db,
        &caller.actor(),
        PolicyInput {
            service_type_id: b.service_type_id,
            priority: b.priority,
            response_minutes: b.response_minutes,
            resolution_minutes: b.resolution_minutes,
        },
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(saved.into()))
}

/// Removes a policy; the service type's own targets apply again.
#[utoipa::path(delete, path = "/sla-policies/{id}", tag = "sla",
    params(("id" = Uuid, Path, description = "Policy id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::SlaManage)?;
    sla_settings::delete_policy(&state.db, &caller.actor(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A day the SLA clocks of business-hours areas do not count.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayOut {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub name: String,
    pub kind: HolidayKind,
}

impl From<holiday::Model> for HolidayOut {
    fn from(h: holiday::Model) -> Self {
        HolidayOut {
            kind: sla_settings::holiday_kind(&h),
            day: h.day,
            name: h.name,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// Only this year.
    pub year: Option<i32>,
}

/// The national holidays and cuti bersama.
#[utoipa::path(get, path = "/holidays", tag = "sla", params(HolidayQuery),
    responses(
        (status = 200, body = List<HolidayOut>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_holidays(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<HolidayQuery>,
) -> ApiResult<axum::Json<List<HolidayOut>>> {
    staff(&caller)?;
    if q.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(ApiError::validation(
            "year",
            "range",
            "a year from 2000 to 2100",
        ));
    }
    let items = sla_settings::holidays(state.db.conn(), q.year).await?;
    Ok(axum::Json(List::complete(
        items.into_iter().map(HolidayOut::from).collect(),
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayImportQuery {
    /// Only report what would change.
    #[serde(default)]
    pub dry_run: bool,
}

/// What an import did (or, as a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayImportReport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

/// Imports holidays from CSV (`date,name,kind`; `tanggal,nama,jenis` too;
/// kind `national` or `cuti_bersama`). Listed days are added or renamed;
/// any bad line and nothing is written.
#[utoipa::path(post, path = "/holidays/import", tag = "sla", params(HolidayImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = HolidayImportReport),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn import_holidays(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<HolidayImportQuery>,
    body: Bytes,
) -> ApiResult<axum::Json<HolidayImportReport>> {
    caller.require(Permission::SlaManage)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::validation(
            "file",
            "encoding",
            "the file is not UTF-8 text; save it as \"CSV UTF-8\"",
        )
    })?;
    let list = sla_settings::parse_holiday_csv(text)?;
    let done =
        sla_settings::import_holidays(&state.db, &caller.actor(), &list, q.dry_run, Utc::now())
            .await?;
    Ok(axum::Json(HolidayImportReport {
        added: done.added,
        changed: done.changed,
        unchanged: done.unchanged,
        dry_run: q.dry_run,
    }))
}

/// Removes a day from the holiday list.
#[utoipa::path(delete, path = "/holidays/{day}", tag = "sla",
    params(("day" = String, Path, description = "The day, YYYY-MM-DD")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_holiday(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(day): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    caller.require(Permission::SlaManage)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|_| ApiError::validation("day", "date_format", "a date as YYYY-MM-DD"))?;
    sla_settings::delete_holiday(&state.db, &caller.actor(), day, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// When an area's SLA clocks run.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaCalendar {
    /// `Asia/Jakarta` (WIB), `Asia/Pontianak` (WIB), `Asia/Makassar`
    /// (WITA) or `Asia/Jayapura` (WIT).
    #[schema(example = "Asia/Makassar")]
    pub time_zone: String,
    /// `false`: around the clock, every day; `true`: the hours below on
    /// working days, holidays off.
    pub business_hours: bool,
    #[schema(example = "08:00")]
    pub opens_at: String,
    #[schema(example = "17:00")]
    pub closes_at: String,
    /// Seven entries, Monday first.
    pub work_days: Vec<bool>,
}

impl From<area::Model> for AreaCalendar {
    fn from(a: area::Model) -> Self {
        AreaCalendar {
            time_zone: a.time_zone,
            business_hours: a.business_hours,
            opens_at: a.opens_at,
            closes_at: a.closes_at,
            work_days: a.work_days.chars().map(|c| c == '1').collect(),
        }
    }
}

/// An area's calendar.
#[utoipa::path(get, path = "/areas/{id}/calendar", tag = "sla",
    params(("id" = Uuid, Path, description = "Area id")),
    responses(
        (status = 200, body = AreaCalendar),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_calendar(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<AreaCalendar>> {
    staff(&caller)?;
    let a = sla_settings::area(state.db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such area.".to_string()))?;
    Ok(axum::Json(a.into()))
}

/// Sets an area's calendar.
#[utoipa::path(put, path = "/areas/{id}/calendar", tag = "sla", request_body = AreaCalendar,
    params(("id" = Uuid, Path, description = "Area id")),
    responses(
        (status = 200, body = AreaCalendar),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_calendar(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<AreaCalendar>, ApiError>,
) -> ApiResult<axum::Json<AreaCalendar>> {
    caller.require(Permission::SlaManage)?;
    let ApiJson(b) = body?;
    let saved = sla_settings::put_calendar(
        &state.db,
        &caller.actor(),
        id,
        CalendarInput {
            time_zone: b.time_zone,
            business_hours: b.business_hours,
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            work_days: b.work_days,
        },
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(saved.into()))
}
