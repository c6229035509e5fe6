//! Dispatch: the ISP's dispatch settings, technicians' profiles, positions,
//! leave and the on-call rota, and for a ticket who may do it, who should
//! and why, and the assignment itself. The rules are `netcrew_dispatch`,
//! the reads and writes `netcrew_store::dispatching`; this module
//! authorizes, parses, calls and maps.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_dispatch::{Factor, Ineligible, Scored, Start, Weights};
use netcrew_domain::{GeoPoint, Role, access::Permission};
use netcrew_store::{
    dispatching::{
        self, Choice, JobsOnLeave, LeaveDecision, LeaveFilter, LeaveInput, Mode, ProfileInput,
        SettingsInput,
    },
    entity::{on_call_shift, technician_leave, ticket_assignment},
    tickets::{Scope, Versioned},
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
    routes::{
        List, Location, created,
        tickets::{answer, if_match, person, scope},
    },
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(post_position))
        .routes(routes!(list_leave))
        .routes(routes!(request_leave))
        .routes(routes!(decide_leave))
        .routes(routes!(cancel_leave))
        .routes(routes!(list_on_call, add_on_call))
        .routes(routes!(remove_on_call))
        .routes(routes!(get_assignment, post_assignment))
        .routes(routes!(get_board))
        .routes(routes!(put_crew))
}

use crate::routes::with_etag;

// ----------------------------------------------------------------------
// Settings

/// Whether NetCrew assigns by itself or suggests the top three.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DispatchMode {
    Automatic,
    Suggest,
}

/// The weights of the score, in points.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreWeights {
    /// Points lost per minute of travel (times the job's urgency).
    #[schema(example = 1.0)]
    pub travel: f64,
    /// Points lost per job the technician already has that day.
    #[schema(example = 8.0)]
    pub workload: f64,
    /// Points won per skill level above the need.
    #[schema(example = 2.0)]
    pub skill_surplus: f64,
    /// Points won by the technician who did the line's last job.
    #[schema(example = 10.0)]
    pub continuity: f64,
    /// How much urgency multiplies travel (`1 + urgency × u`, u in 0..1).
    #[schema(example = 1.0)]
    pub urgency: f64,
}

impl From<Weights> for ScoreWeights {
    fn from(w: Weights) -> Self {
        ScoreWeights {
            travel: w.travel,
            workload: w.workload,
            skill_surplus: w.skill_surplus,
            continuity: w.continuity,
            urgency: w.urgency,
        }
    }
}

/// How dispatch decides.
#[derive(Debug, Serialize, ToSchema)]
pub struct DispatchSettings {
    pub mode: DispatchMode,
    pub weights: ScoreWeights,
    /// Road distance over straight-line distance.
    pub road_factor: f64,
    /// Average speed on the road.
    pub speed_kmh: f64,
    /// An assignment not accepted within this many minutes returns to the
    /// queue and the supervisors are told.
    pub accept_minutes: i32,
    /// Ramadan this year (technicians' Ramadan hours apply then).
    pub ramadan_from: Option<String>,
    pub ramadan_to: Option<String>,
    /// An OSRM-compatible routing server asked for travel times by road
    /// (its table service); none: straight-line distance × road factor at
    /// the speed. When it does not answer within two seconds, dispatch
    /// falls back to the estimate.
    #[schema(example = "http://osrm.local:5000")]
    pub routing_url: Option<String>,
    pub version: i32,
}

impl From<dispatching::DispatchSettings> for DispatchSettings {
    fn from(s: dispatching::DispatchSettings) -> Self {
        DispatchSettings {
            mode: match s.mode {
                Mode::Automatic => DispatchMode::Automatic,
                Mode::Suggest => DispatchMode::Suggest,
            },
            weights: s.weights.into(),
            road_factor: s.road_factor,
            speed_kmh: s.speed_kmh,
            accept_minutes: s.accept_minutes,
            ramadan_from: s.ramadan.map(|r| r.from.to_string()),
            ramadan_to: s.ramadan.map(|r| r.to.to_string()),
            routing_url: s.routing_url,
            version: s.version,
        }
    }
}

/// The dispatch settings (version 0 until first saved).
#[utoipa::path(get, path = "/dispatch/settings", tag = "dispatch",
    responses(
        (status = 200, body = DispatchSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_settings(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.require(Permission::DispatchRead)?;
    let s = dispatching::settings(state.db.conn()).await?;
    let v = s.version;
    Ok(with_etag(
        axum::Json(DispatchSettings::from(s)).into_response(),
        v,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchSettingsInput {
    pub mode: DispatchMode,
    pub weights: ScoreWeights,
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub accept_minutes: i32,
    #[serde(default)]
    pub ramadan_from: Option<String>,
    #[serde(default)]
    pub ramadan_to: Option<String>,
    /// Empty or absent: no routing server.
    #[serde(default)]
    pub routing_url: Option<String>,
}

/// Changes how dispatch decides (`If-Match`: the settings' version).
#[utoipa::path(put, path = "/dispatch/settings", tag = "dispatch",
    request_body = DispatchSettingsInput,
    responses(
        (status = 200, body = DispatchSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_settings(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<ApiJson<DispatchSettingsInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::DispatchSettings)?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let w = b.weights;
    let saved = dispatching::save_settings(
        &state.db,
        &person(&caller),
        version,
        SettingsInput {
            mode: match b.mode {
                DispatchMode::Automatic => Mode::Automatic,
                DispatchMode::Suggest => Mode::Suggest,
            },
            weights: Weights {
                travel: w.travel,
                workload: w.workload,
                skill_surplus: w.skill_surplus,
                continuity: w.continuity,
                urgency: w.urgency,
            },
            road_factor: b.road_factor,
            speed_kmh: b.speed_kmh,
            accept_minutes: b.accept_minutes,
            ramadan_from: b.ramadan_from,
            ramadan_to: b.ramadan_to,
            routing_url: b.routing_url,
        },
        Utc::now(),
    )
    .await?;
    let v = saved.version;
    Ok(with_etag(
        axum::Json(DispatchSettings::from(saved)).into_response(),
        v,
    ))
}

// ----------------------------------------------------------------------
// Profiles and positions

/// Staff or a partner company (mitra).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Employer {
    Staff,
    Partner,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillLevel {
    pub skill_id: Uuid,
    pub code: String,
    pub name: String,
    /// 1 to 5.
    pub level: u8,
}

/// Where the technician's phone last said they were. A web app sends no
/// position in the background: `at` says how old it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastPosition {
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
    pub at: DateTime<Utc>,
}

/// A technician as dispatch knows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct TechnicianProfile {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub active: bool,
    /// Where the day starts when nothing newer is known.
    pub home: Option<Location>,
    pub home_address: String,
    pub max_jobs_per_day: i32,
    pub employer: Employer,
    /// The partner company, for a partner's technician.
    pub partner_name: String,
    /// Working spans per weekday, Monday first (`HH:MM-HH:MM`); a gap on
    /// Friday is the Friday prayer.
    #[schema(example = json!([["08:00-12:00","13:00-17:00"],["08:00-12:00","13:00-17:00"],["08:00-12:00","13:00-17:00"],["08:00-12:00","13:00-17:00"],["08:00-11:30","13:00-17:00"],["08:00-12:00"],[]]))]
    pub work_pattern: Vec<Vec<String>>,
    /// The same during Ramadan; none: the usual pattern holds.
    pub ramadan_pattern: Option<Vec<Vec<String>>>,
    pub skills: Vec<SkillLevel>,
    /// The areas they serve (set with the staff account).
    pub areas: Vec<Uuid>,
    pub position: Option<LastPosition>,
    /// 0 until first saved.
    pub version: i32,
}

fn week(p: &netcrew_dispatch::WeekPattern) -> Vec<Vec<String>> {
    p.days()
        .iter()
        .map(|d| d.iter().map(ToString::to_string).collect())
        .collect()
}

impl From<dispatching::Profile> for TechnicianProfile {
    fn from(p: dispatching::Profile) -> Self {
        TechnicianProfile {
            id: p.id,
            name: p.name,
            phone: p.phone,
            active: p.active,
            home: p.home.map(|h| Location {
                lat: h.lat,
                lng: h.lng,
            }),
            home_address: p.home_address,
            max_jobs_per_day: p.max_jobs_per_day,
            employer: if p.employer == "partner" {
                Employer::Partner
            } else {
                Employer::Staff
            },
            partner_name: p.partner_name,
            work_pattern: week(&p.pattern),
            ramadan_pattern: p.ramadan_pattern.as_ref().map(week),
            skills: p
                .skills
                .into_iter()
                .map(|s| SkillLevel {
                    skill_id: s.skill_id,
                    code: s.code,
                    name: s.name,
                    level: s.level,
                })
                .collect(),
            areas: p.areas,
            position: p.position.map(|x| LastPosition {
                lat: x.point.lat,
                lng: x.point.lng,
                accuracy_m: x.accuracy_m,
                at: x.at,
            }),
            version: p.version,
        }
    }
}

/// Staff who see dispatch, or the technician themself.
fn may_see_technician(caller: &Caller, id: Uuid) -> ApiResult<()> {
    if caller.role == Role::Technician && caller.user.id == id {
        return Ok(());
    }
    caller.require(Permission::DispatchRead)
}

/// A supervisor changes only the technicians of their teams or areas; an
/// id that is no technician is answered 404.
async fn may_manage_technician(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<()> {
    caller.require(Permission::DispatchManage)?;
    let p = dispatching::profile(state.db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such technician.".into()))?;
    if caller.role == Role::Supervisor
        && let Scope::Supervisor { areas, technicians } = scope(state, caller).await?
        && !technicians.contains(&id)
        && !p.areas.iter().any(|a| areas.contains(a))
    {
        return Err(ApiError::Forbidden(
            "This technician is not in your teams or areas.".into(),
        ));
    }
    Ok(())
}

/// A technician's dispatch profile.
#[utoipa::path(get, path = "/technicians/{id}/profile", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Technician (user) id")),
    responses(
        (status = 200, body = TechnicianProfile),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    may_see_technician(&caller, id)?;
    let p = dispatching::profile(state.db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such technician.".into()))?;
    let v = p.version;
    Ok(with_etag(
        axum::Json(TechnicianProfile::from(p)).into_response(),
        v,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillLevelInput {
    pub skill_id: Uuid,
    /// 1 to 5.
    pub level: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TechnicianProfileInput {
    #[serde(default)]
    pub home: Option<Location>,
    #[serde(default)]
    pub home_address: String,
    /// 1 to 20.
    pub max_jobs_per_day: i32,
    pub employer: Employer,
    #[serde(default)]
    pub partner_name: String,
    /// Seven lists of `HH:MM-HH:MM`, Monday first.
    pub work_pattern: Vec<Vec<String>>,
    #[serde(default)]
    pub ramadan_pattern: Option<Vec<Vec<String>>>,
    #[serde(default)]
    pub skills: Vec<SkillLevelInput>,
}

/// Changes a technician's profile (`If-Match`: its version, `"0"` before
/// the first save).
#[utoipa::path(put, path = "/technicians/{id}/profile", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Technician (user) id")),
    request_body = TechnicianProfileInput,
    responses(
        (status = 200, body = TechnicianProfile),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<TechnicianProfileInput>, ApiError>,
) -> ApiResult<Response> {
    may_manage_technician(&state, &caller, id).await?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let home = match b.home {
        None => None,
        Some(l) => Some(
            GeoPoint::new(l.lat, l.lng)
                .map_err(|e| ApiError::validation("home", "point", e.to_string()))?,
        ),
    };
    let saved = dispatching::save_profile(
        &state.db,
        &person(&caller),
        id,
        version,
        ProfileInput {
            home,
            home_address: b.home_address,
            max_jobs_per_day: b.max_jobs_per_day,
            employer: match b.employer {
                Employer::Staff => "staff".into(),
                Employer::Partner => "partner".into(),
            },
            partner_name: b.partner_name,
            work_pattern: b.work_pattern,
            ramadan_pattern: b.ramadan_pattern,
            skills: b.skills.iter().map(|s| (s.skill_id, s.level)).collect(),
        },
        Utc::now(),
    )
    .await?;
    let v = saved.version;
    Ok(with_etag(
        axum::Json(TechnicianProfile::from(saved)).into_response(),
        v,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionInput {
    pub lat: f64,
    pub lng: f64,
    /// The phone's accuracy, in metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

/// The signed-in technician's phone says where they are (sent while the
/// app is open). Kept as their last known position for dispatch.
#[utoipa::path(post, path = "/technicians/me/position", tag = "dispatch",
    request_body = PositionInput,
    responses(
        (status = 204, description = "Kept"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn post_position(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<PositionInput>, ApiError>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::AvailabilityOwn)?;
    let ApiJson(b) = body?;
    let point = GeoPoint::new(b.lat, b.lng)
        .map_err(|e| ApiError::validation("lat", "point", e.to_string()))?;
    if let Some(a) = b.accuracy_m
        && (!a.is_finite() || !(0.0..=100_000.0).contains(&a))
    {
        return Err(ApiError::validation(
            "accuracy_m",
            "range",
            "metres, from 0 to 100000",
        ));
    }
    dispatching::record_position(&state.db, caller.user.id, point, b.accuracy_m, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----------------------------------------------------------------------
// Leave

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LeaveKind {
    /// Annual leave (cuti).
    Leave,
    /// Sick days.
    Sick,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LeaveStatus {
    Requested,
    Approved,
    Rejected,
    Cancelled,
}

/// Leave or sick days of a technician.
#[derive(Debug, Serialize, ToSchema)]
pub struct Leave {
    pub id: Uuid,
    pub technician_id: Uuid,
    pub technician_name: String,
    pub kind: LeaveKind,
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day, included.
    pub to: String,
    pub reason: String,
    pub status: LeaveStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

fn leave_of(l: technician_leave::Model, name: String) -> Leave {
    Leave {
        id: l.id,
        technician_id: l.user_id,
        technician_name: name,
        kind: if l.kind == "sick" {
            LeaveKind::Sick
        } else {
            LeaveKind::Leave
        },
        from: l.from_date,
        to: l.to_date,
        reason: l.reason,
        status: match l.status.as_str() {
            "approved" => LeaveStatus::Approved,
            "rejected" => LeaveStatus::Rejected,
            "cancelled" => LeaveStatus::Cancelled,
            _ => LeaveStatus::Requested,
        },
        decided_at: l.decided_at,
        decision_note: l.decision_note,
        version: l.version,
        created_at: l.created_at,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LeaveQuery {
    pub technician_id: Option<Uuid>,
    pub status: Option<LeaveStatus>,
    /// Leave that lasts until this day or later (`YYYY-MM-DD`).
    pub from: Option<String>,
}

/// Leave and sick days, soonest first: a technician sees their own; a
/// supervisor those of their teams and areas; admins, CS and management
/// everyone's.
#[utoipa::path(get, path = "/leave", tag = "dispatch", params(LeaveQuery),
    responses(
        (status = 200, body = List<Leave>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LeaveQuery>,
) -> ApiResult<axum::Json<List<Leave>>> {
    let mut f = LeaveFilter {
        technician_id: q.technician_id,
        status: q.status.map(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        from: q.from,
        only: None,
    };
    if let Some(d) = &f.from
        && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        return Err(ApiError::validation(
            "from",
            "date_format",
            "a date as YYYY-MM-DD",
        ));
    }
    if caller.role == Role::Technician {
        caller.require(Permission::AvailabilityOwn)?;
        f.technician_id = Some(caller.user.id);
    } else {
        caller.require(Permission::DispatchRead)?;
        if let Scope::Supervisor { areas, technicians } = scope(&state, &caller).await? {
            let mut only = technicians;
            only.extend(netcrew_store::technicians::serving(state.db.conn(), &areas).await?);
            f.only = Some(only);
        }
    }
    let rows = dispatching::leave(state.db.conn(), &f).await?;
    Ok(axum::Json(List::complete(
        rows.into_iter().map(|(l, n)| leave_of(l, n)).collect(),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequestInput {
    pub kind: LeaveKind,
    /// First day (`YYYY-MM-DD`); sick days up to 14 days back.
    pub from: String,
    /// Last day, included; at most 60 days in all.
    pub to: String,
    #[serde(default)]
    pub reason: String,
}

/// Asks for leave, or reports sick days: a technician for themself, a
/// supervisor for a technician of theirs. A supervisor decides.
#[utoipa::path(post, path = "/technicians/{id}/leave", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Technician (user) id")),
    request_body = LeaveRequestInput,
    responses(
        (status = 201, body = Leave),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn request_leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<LeaveRequestInput>, ApiError>,
) -> ApiResult<Response> {
    if caller.role == Role::Technician {
        caller.require(Permission::AvailabilityOwn)?;
        if caller.user.id != id {
            return Err(ApiError::Forbidden(
                "A technician asks for their own leave only.".into(),
            ));
        }
    } else {
        may_manage_technician(&state, &caller, id).await?;
    }
    let ApiJson(b) = body?;
    let saved = dispatching::request_leave(
        &state.db,
        &person(&caller),
        id,
        LeaveInput {
            kind: match b.kind {
                LeaveKind::Leave => "leave".into(),
                LeaveKind::Sick => "sick".into(),
            },
            from: b.from,
            to: b.to,
            reason: b.reason,
        },
        state.config.tickets.zone,
        Utc::now(),
    )
    .await?;
    let name = caller_name_or(&state, saved.user_id).await?;
    Ok(created(
        format!("/api/v1/leave/{}", saved.id),
        leave_of(saved, name),
    ))
}

/// A technician's name, for an answer (one small query).
async fn caller_name_or(state: &AppState, id: Uuid) -> ApiResult<String> {
    Ok(
        dispatching::user_names(state.db.conn(), std::iter::once(id))
            .await?
            .remove(&id)
            .unwrap_or_default(),
    )
}

/// What to do with the technician's jobs on the days of leave.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum JobsChoice {
    /// Back to the queue for someone else.
    Unassign,
    /// They stay with the technician.
    Keep,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveDecisionInput {
    pub approve: bool,
    /// Required to refuse.
    #[serde(default)]
    pub note: String,
    /// Required when the technician has jobs on those days: without it
    /// the answer (409) names them.
    #[serde(default)]
    pub jobs: Option<JobsChoice>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveDecided {
    pub leave: Leave,
    /// Numbers of the tickets sent back to the queue.
    pub unassigned: Vec<String>,
}

/// Approves or refuses leave (`If-Match`: the leave's version).
#[utoipa::path(post, path = "/leave/{id}/decision", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Leave id")),
    request_body = LeaveDecisionInput,
    responses(
        (status = 200, body = LeaveDecided),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn decide_leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<LeaveDecisionInput>, ApiError>,
) -> ApiResult<axum::Json<LeaveDecided>> {
    caller.require(Permission::DispatchManage)?;
    let l = dispatching::leave_by_id(state.db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such leave.".into()))?;
    may_manage_technician(&state, &caller, l.user_id).await?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let (saved, unassigned) = dispatching::decide_leave(
        &state.db,
        &person(&caller),
        id,
        version,
        LeaveDecision {
            approve: b.approve,
            note: b.note,
            jobs: b.jobs.map(|j| match j {
                JobsChoice::Unassign => JobsOnLeave::Unassign,
                JobsChoice::Keep => JobsOnLeave::Keep,
            }),
        },
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    let name = caller_name_or(&state, saved.user_id).await?;
    Ok(axum::Json(LeaveDecided {
        leave: leave_of(saved, name),
        unassigned,
    }))
}

/// Withdraws leave that has not begun (`If-Match`: its version): the
/// technician's own, or by a supervisor.
#[utoipa::path(post, path = "/leave/{id}/cancel", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Leave id")),
    responses(
        (status = 200, body = Leave),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn cancel_leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<axum::Json<Leave>> {
    if caller.role == Role::Technician {
        caller.require(Permission::AvailabilityOwn)?;
    } else {
        caller.require(Permission::DispatchManage)?;
        if let Some(l) = dispatching::leave_by_id(state.db.conn(), id).await? {
            may_manage_technician(&state, &caller, l.user_id).await?;
        }
    }
    let version = if_match(&headers)?;
    let saved = dispatching::cancel_leave(
        &state.db,
        &person(&caller),
        id,
        version,
        state.config.tickets.zone,
        Utc::now(),
    )
    .await?;
    let name = caller_name_or(&state, saved.user_id).await?;
    Ok(axum::Json(leave_of(saved, name)))
}

// ----------------------------------------------------------------------
// The on-call rota

/// A turn on the on-call rota (piket): repairs outside the shift.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnCallTurn {
    pub id: Uuid,
    pub technician_id: Uuid,
    pub technician_name: String,
    pub day: String,
    /// `HH:MM-HH:MM` local time; `24:00` ends at midnight.
    pub span: String,
    pub note: String,
}

fn turn_of(o: on_call_shift::Model, name: String) -> OnCallTurn {
    OnCallTurn {
        id: o.id,
        technician_id: o.user_id,
        technician_name: name,
        day: o.day,
        span: o.span,
        note: o.note,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OnCallQuery {
    /// First day (`YYYY-MM-DD`); default today.
    pub from: Option<String>,
    /// Last day; default 31 days after `from`, at most 92.
    pub to: Option<String>,
}

/// The on-call rota between two days.
#[utoipa::path(get, path = "/on-call", tag = "dispatch", params(OnCallQuery),
    responses(
        (status = 200, body = List<OnCallTurn>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_on_call(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OnCallQuery>,
) -> ApiResult<axum::Json<List<OnCallTurn>>> {
    if caller.role == Role::Technician {
        caller.require(Permission::AvailabilityOwn)?;
    } else {
        caller.require(Permission::DispatchRead)?;
    }
    let day = |field: &str, v: &Option<String>| -> ApiResult<Option<chrono::NaiveDate>> {
        match v {
            None => Ok(None),
            Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| ApiError::validation(field, "date_format", "a date as YYYY-MM-DD")),
        }
    };
    let today = netcrew_domain::schedule::local_date(Utc::now(), state.config.tickets.zone);
    let from = day("from", &q.from)?.unwrap_or(today);
    let to = day("to", &q.to)?.unwrap_or_else(|| {
        from.checked_add_signed(chrono::Duration::days(31))
            .unwrap_or(from)
    });
    if to < from || (to - from).num_days() > 92 {
        return Err(ApiError::validation(
            "to",
            "range",
            "on or after `from`, at most 92 days later",
        ));
    }
    let rows = dispatching::on_call(state.db.conn(), from, to).await?;
    Ok(axum::Json(List::complete(
        rows.into_iter().map(|(o, n)| turn_of(o, n)).collect(),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnCallInput {
    pub technician_id: Uuid,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM-HH:MM`, such as `17:00-24:00`.
    pub span: String,
    #[serde(default)]
    pub note: String,
}

/// Puts a technician on call.
#[utoipa::path(post, path = "/on-call", tag = "dispatch", request_body = OnCallInput,
    responses(
        (status = 201, body = OnCallTurn),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_on_call(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<OnCallInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::DispatchManage)?;
    let ApiJson(b) = body?;
    may_manage_technician(&state, &caller, b.technician_id).await?;
    let saved = dispatching::add_on_call(
        &state.db,
        &person(&caller),
        b.technician_id,
        &b.day,
        &b.span,
        &b.note,
        Utc::now(),
    )
    .await?;
    let name = caller_name_or(&state, saved.user_id).await?;
    Ok(created(
        format!("/api/v1/on-call/{}", saved.id),
        turn_of(saved, name),
    ))
}

/// Takes a turn off the rota.
#[utoipa::path(delete, path = "/on-call/{id}", tag = "dispatch",
    params(("id" = Uuid, Path, description = "On-call turn id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_on_call(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::DispatchManage)?;
    dispatching::remove_on_call(&state.db, &person(&caller), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----------------------------------------------------------------------
// Assignment

/// What a part of a score is about.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoreFactor {
    Travel,
    Workload,
    SkillSurplus,
    Continuity,
}

/// One explained part of a score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorePart {
    pub factor: ScoreFactor,
    /// Minutes of travel, jobs that day, levels above the need, or 1.
    pub value: f64,
    /// Points it adds (negative: takes away).
    pub points: f64,
}

/// Where the travel to the job starts.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TravelFrom {
    /// The technician's job before this one that day.
    PreviousJob,
    /// Their phone's last position (see `position_at`).
    LastKnown,
    Home,
    /// No place known: the settings' estimate.
    Unknown,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TravelEstimate {
    pub from: TravelFrom,
    pub position_at: Option<DateTime<Utc>>,
    /// Straight-line distance.
    pub km: Option<f64>,
    pub minutes: f64,
    /// The minutes came from the routing server (else: straight-line
    /// distance × road factor at the set speed).
    pub by_road: bool,
}

/// A technician who may do the job, scored; the parts add up to `score`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub technician_id: Uuid,
    pub name: String,
    pub score: f64,
    pub parts: Vec<ScorePart>,
    pub travel: TravelEstimate,
    /// What travel was multiplied by for the job's urgency.
    pub urgency_factor: f64,
}

fn suggestion(s: &Scored, name: String) -> Suggestion {
    let (from, position_at) = match s.travel.from {
        Start::PreviousJob => (TravelFrom::PreviousJob, None),
        Start::LastKnown { at } => (TravelFrom::LastKnown, Some(at)),
        Start::Home => (TravelFrom::Home, None),
        Start::Unknown => (TravelFrom::Unknown, None),
    };
    Suggestion {
        technician_id: s.technician,
        name,
        score: round(s.score),
        parts: s
            .parts
            .iter()
            .map(|p| ScorePart {
                factor: match p.factor {
                    Factor::Travel => ScoreFactor::Travel,
                    Factor::Workload => ScoreFactor::Workload,
                    Factor::SkillSurplus => ScoreFactor::SkillSurplus,
                    Factor::Continuity => ScoreFactor::Continuity,
                },
                value: round(p.value),
                points: round(p.points),
            })
            .collect(),
        travel: TravelEstimate {
            from,
            position_at,
            km: s.travel.km.map(round),
            minutes: round(s.travel.minutes),
            by_road: s.travel.by_road,
        },
        urgency_factor: round(s.urgency_factor),
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Why a technician may not do the job.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotEligible {
    Inactive,
    NotServingArea,
    OnLeave,
    OffShift,
    SkillTooLow,
    DayFull,
    Declined,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Excluded {
    pub technician_id: Uuid,
    pub name: String,
    pub reasons: Vec<NotEligible>,
    /// With `skill_too_low`: the level they have.
    pub skill_level: Option<u8>,
}

/// The job as dispatch sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub date: String,
    /// The booking window; none: to be done now.
    pub window: Option<String>,
    /// Expected minutes (from the service type).
    pub minutes: u16,
    pub skill: Option<String>,
    pub skill_level: Option<u8>,
    /// 0 (low, far from due) to 1 (urgent or due within the hour).
    pub urgency: f64,
    /// Who did the customer's last job.
    pub previous_technician_id: Option<Uuid>,
}

/// One assignment decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentRecord {
    pub id: Uuid,
    pub technician_id: Uuid,
    pub technician_name: String,
    /// `automatic`, `suggested`, `manual` or `override`.
    pub how: String,
    pub score: Option<f64>,
    /// Why this technician, when they were ranked.
    pub explanation: Option<Suggestion>,
    /// The next best at the time, and who was left out.
    #[schema(value_type = Object)]
    pub alternatives: serde_json::Value,
    pub reason: String,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
    /// `pending`, `accepted`, `declined`, `timed_out` or `replaced`.
    pub outcome: String,
    pub outcome_at: Option<DateTime<Utc>>,
    pub outcome_reason: String,
}

fn record_of(
    a: ticket_assignment::Model,
    names: &std::collections::BTreeMap<Uuid, String>,
) -> AssignmentRecord {
    let name = names.get(&a.technician_id).cloned().unwrap_or_default();
    AssignmentRecord {
        id: a.id,
        technician_id: a.technician_id,
        explanation: serde_json::from_str::<Scored>(&a.explanation)
            .ok()
            .map(|s| suggestion(&s, name.clone())),
        technician_name: name,
        how: a.how,
        score: a.score.map(round),
        alternatives: serde_json::from_str(&a.alternatives)
            .unwrap_or_else(|_| serde_json::json!({})),
        reason: a.reason,
        decided_by_name: a.decided_by_name,
        decided_at: a.decided_at,
        outcome: a.outcome,
        outcome_at: a.outcome_at,
        outcome_reason: a.outcome_reason,
    }
}

/// Who may do a ticket, who should and why, and its assignments so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub mode: DispatchMode,
    pub job: JobView,
    /// The assignment standing now (the newest), if any.
    pub current: Option<AssignmentRecord>,
    pub history: Vec<AssignmentRecord>,
    /// The eligible technicians, best first (at most 10).
    pub ranked: Vec<Suggestion>,
    /// How many were eligible in all.
    pub eligible: usize,
    /// Those serving the area who may not do it, and why (at most 50).
    pub excluded: Vec<Excluded>,
}

/// Who may do the ticket, who should and why ("why this technician"),
/// and its assignment decisions so far.
#[utoipa::path(get, path = "/tickets/{id}/assignment", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = AssignmentView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_assignment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<AssignmentView>> {
    caller.require(Permission::DispatchRead)?;
    let sc = scope(&state, &caller).await?;
    let now = Utc::now();
    let s =
        dispatching::suggestions(state.db.conn(), &sc, id, state.config.tickets.zone, now).await?;
    let history = dispatching::assignments(state.db.conn(), id).await?;
    let mut names: std::collections::BTreeMap<Uuid, String> = s
        .ranked
        .iter()
        .map(|(r, n)| (r.technician, n.clone()))
        .chain(s.ineligible.iter().map(|(i, n, _)| (*i, n.clone())))
        .collect();
    let missing: Vec<Uuid> = history
        .iter()
        .map(|a| a.technician_id)
        .filter(|t| !names.contains_key(t))
        .collect();
    names.extend(dispatching::user_names(state.db.conn(), missing.into_iter()).await?);
    let (date, window) = match s.job.when {
        netcrew_dispatch::When::Window { date, span } => (date, Some(span.to_string())),
        netcrew_dispatch::When::Now { date, .. } => (date, None),
    };
    let history: Vec<AssignmentRecord> =
        history.into_iter().map(|a| record_of(a, &names)).collect();
    Ok(axum::Json(AssignmentView {
        mode: match s.mode {
            Mode::Automatic => DispatchMode::Automatic,
            Mode::Suggest => DispatchMode::Suggest,
        },
        job: JobView {
            date: date.to_string(),
            window,
            minutes: s.job.minutes,
            skill: s.skill.as_ref().map(|k| k.0.clone()),
            skill_level: s.skill.as_ref().map(|k| k.1),
            urgency: s.job.urgency(),
            previous_technician_id: s.job.previous_technician,
        },
        current: history.first().cloned(),
        eligible: s.ranked.len(),
        ranked: s
            .ranked
            .iter()
            .take(10)
            .map(|(r, n)| suggestion(r, n.clone()))
            .collect(),
        excluded: s
            .ineligible
            .iter()
            .take(50)
            .map(|(i, n, why)| Excluded {
                technician_id: *i,
                name: n.clone(),
                skill_level: why.iter().find_map(|w| match w {
                    Ineligible::SkillTooLow { has, .. } => Some(*has),
                    _ => None,
                }),
                reasons: why
                    .iter()
                    .map(|w| match w {
                        Ineligible::Inactive => NotEligible::Inactive,
                        Ineligible::NotServingArea => NotEligible::NotServingArea,
                        Ineligible::OnLeave => NotEligible::OnLeave,
                        Ineligible::OffShift => NotEligible::OffShift,
                        Ineligible::SkillTooLow { .. } => NotEligible::SkillTooLow,
                        Ineligible::DayFull { .. } => NotEligible::DayFull,
                        Ineligible::Declined => NotEligible::Declined,
                    })
                    .collect(),
            })
            .collect(),
        history,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    /// None: the best eligible technician.
    #[serde(default)]
    pub technician_id: Option<Uuid>,
    /// Kept with the decision; required to choose someone who may not do
    /// the job (an override).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Gives the ticket to the best technician, or to the one chosen
/// (`If-Match`: the ticket's version). The decision is kept with its
/// explanation.
#[utoipa::path(post, path = "/tickets/{id}/assignment", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Ticket id")),
    request_body = AssignmentInput,
    responses(
        (status = 200, body = crate::routes::tickets::Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn post_assignment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<AssignmentInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsManage)?;
    let sc = scope(&state, &caller).await?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let (t, _) = dispatching::assign(
        &state.db,
        &person(&caller),
        &sc,
        Versioned { id, version },
        Choice {
            technician_id: b.technician_id,
            reason: b.reason,
        },
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}

// ----------------------------------------------------------------------
// The board

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// The day (`YYYY-MM-DD`); default today.
    pub date: Option<String>,
    pub area_id: Option<Uuid>,
}

/// A ticket waiting for a technician.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    pub id: Uuid,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub priority: String,
    /// `on_track`, `at_risk` or `breached`.
    pub sla_state: String,
    /// The next SLA due time (none when paused).
    pub due_at: Option<DateTime<Utc>>,
    pub appointment_date: Option<String>,
    pub appointment_window: Option<String>,
    pub area_id: Uuid,
    pub customer_name: String,
    pub address: String,
    pub location: Location,
    pub version: i32,
}

/// One job of a technician's planned day.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedJob {
    pub ticket_id: Uuid,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub priority: String,
    pub appointment_window: Option<String>,
    pub customer_name: String,
    pub address: String,
    pub location: Location,
    pub version: i32,
    /// Minutes on the road to get there.
    pub travel_minutes: f64,
    /// Planned arrival, start and end, as `HH:MM` local time.
    pub arrive: String,
    pub begin: String,
    pub end: String,
    /// Minutes after the window's end at arrival (0: on time).
    pub late_minutes: f64,
    /// Set when this technician rides along in the lead's crew: the job is
    /// the lead's (move it on the lead's row).
    pub crew_lead_id: Option<Uuid>,
}

/// A technician's day on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct TechnicianDay {
    pub id: Uuid,
    pub name: String,
    pub areas: Vec<Uuid>,
    /// Working spans (`HH:MM-HH:MM`); none: not working that day.
    pub shift: Vec<String>,
    /// On-call turns that day (repairs only).
    pub on_call: Vec<String>,
    pub on_leave: bool,
    pub max_jobs: u16,
    pub position: Option<LastPosition>,
    pub home: Option<Location>,
    /// The jobs in the planned order (insertion and relocation that keep
    /// the windows), with the travel between them.
    pub jobs: Vec<PlannedJob>,
    pub travel_minutes: f64,
    pub late_minutes: f64,
}

/// The dispatch board of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DispatchBoard {
    pub date: String,
    /// Open tickets nobody holds (not waiting), the next due first (at
    /// most 200).
    pub queue: Vec<QueueItem>,
    pub technicians: Vec<TechnicianDay>,
}

fn hhmm(minutes: f64) -> String {
    let m = minutes.round().clamp(0.0, 48.0 * 60.0) as i64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The dispatch board of a day: the queue by SLA risk and each
/// technician's day in planned order, as the caller sees them (a
/// supervisor: their teams and areas).
#[utoipa::path(get, path = "/dispatch/board", tag = "dispatch", params(BoardQuery),
    responses(
        (status = 200, body = DispatchBoard),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_board(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<axum::Json<DispatchBoard>> {
    caller.require(Permission::DispatchRead)?;
    let sc = scope(&state, &caller).await?;
    let zone = state.config.tickets.zone;
    let now = Utc::now();
    let date = match q.date.as_deref() {
        None => netcrew_domain::schedule::local_date(now, zone),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::validation("date", "date_format", "a date as YYYY-MM-DD"))?,
    };
    let b = dispatching::board(state.db.conn(), &sc, date, q.area_id, zone, now).await?;
    let all: Vec<_> = b
        .queue
        .iter()
        .chain(b.technicians.iter().flat_map(|t| t.jobs.iter()))
        .cloned()
        .collect();
    let names = netcrew_store::tickets::names(state.db.conn(), &all).await?;
    let customer = |id: &Uuid| {
        names
            .customers
            .get(id)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    };
    let no_due = netcrew_store::entity::ticket::no_due();
    Ok(axum::Json(DispatchBoard {
        date: b.date.to_string(),
        queue: b
            .queue
            .iter()
            .map(|t| QueueItem {
                id: t.id,
                number: t.number.clone(),
                kind: t.kind.clone(),
                status: t.status.clone(),
                priority: t.priority.clone(),
                sla_state: t.sla_state.clone(),
                due_at: (t.next_due_at != no_due).then_some(t.next_due_at),
                appointment_date: t.appointment_date.clone(),
                appointment_window: t.appointment_window.clone(),
                area_id: t.area_id,
                customer_name: customer(&t.customer_id),
                address: t.address.clone(),
                location: Location {
                    lat: t.lat,
                    lng: t.lng,
                },
                version: t.version,
            })
            .collect(),
        technicians: b
            .technicians
            .iter()
            .map(|d| TechnicianDay {
                id: d.id,
                name: d.name.clone(),
                areas: d.areas.clone(),
                shift: d.shift.iter().map(ToString::to_string).collect(),
                on_call: d.on_call.iter().map(ToString::to_string).collect(),
                on_leave: d.on_leave,
                max_jobs: d.max_jobs,
                position: d.position.map(|(p, at)| LastPosition {
                    lat: p.lat,
                    lng: p.lng,
                    accuracy_m: None,
                    at,
                }),
                home: d.home.map(|h| Location {
                    lat: h.lat,
                    lng: h.lng,
                }),
                jobs: d
                    .plan
                    .legs
                    .iter()
                    .filter_map(|leg| {
                        let t = d.jobs.iter().find(|j| j.id == leg.stop)?;
                        Some(PlannedJob {
                            ticket_id: t.id,
                            number: t.number.clone(),
                            kind: t.kind.clone(),
                            status: t.status.clone(),
                            priority: t.priority.clone(),
                            appointment_window: t.appointment_window.clone(),
                            customer_name: customer(&t.customer_id),
                            address: t.address.clone(),
                            location: Location {
                                lat: t.lat,
                                lng: t.lng,
                            },
                            version: t.version,
                            travel_minutes: round(leg.travel_minutes),
                            arrive: hhmm(leg.arrive),
                            begin: hhmm(leg.begin),
                            end: hhmm(leg.end),
                            late_minutes: round(leg.late),
                            crew_lead_id: t.technician_id.filter(|lead| *lead != d.id),
                        })
                    })
                    .collect(),
                travel_minutes: round(d.plan.travel_minutes),
                late_minutes: round(d.plan.late_minutes),
            })
            .collect(),
    }))
}

// ----------------------------------------------------------------------
// Crews

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrewInput {
    /// The technicians who work it with the lead (at most four; an empty
    /// list leaves the lead alone).
    pub member_ids: Vec<Uuid>,
}

/// Sets the crew of a ticket (`If-Match`: the ticket's version): its
/// technician is the lead, accountable; the members see the job, get it
/// live and document it; the moves are the lead's.
#[utoipa::path(put, path = "/tickets/{id}/crew", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Ticket id")),
    request_body = CrewInput,
    responses(
        (status = 200, body = crate::routes::tickets::Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_crew(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<CrewInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsManage)?;
    let sc = scope(&state, &caller).await?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let (t, _) = dispatching::set_crew(
        &state.db,
        &person(&caller),
        &sc,
        Versioned { id, version },
        b.member_ids,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}
