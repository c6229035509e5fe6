//! What the ISP does: service types with their SLA targets and required
//! documentation, problem categories of repairs, and technicians' skills.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{
    access::Permission,
    service::{DocItem, Priority},
};
use netcrew_store::{
    catalog::{self, ProblemCategoryChange, ServiceTypeChange, SkillChange},
    entity::{problem_category, service_type, skill},
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
    routes::{List, created},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_service_types))
        .routes(routes!(update_service_type))
        .routes(routes!(list_problem_categories, create_problem_category))
        .routes(routes!(update_problem_category))
        .routes(routes!(list_skills, create_skill))
        .routes(routes!(update_skill))
}
// -------------------------------------------------------- service types

/// A kind of field job, its default priority, SLA targets, and the
/// documentation a technician must deliver to complete it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceType {
    pub id: Uuid,
    #[schema(example = "installation")]
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub default_priority: Priority,
    /// Minutes to first response.
    pub response_sla_minutes: i32,
    /// Minutes to resolution.
    pub resolution_sla_minutes: i32,
    #[schema(example = json!(["photo_before", "ont_serial", "optical_power_dbm"]))]
    pub required_docs: Vec<DocItem>,
    pub active: bool,
    /// The skill a technician needs for it (none: any technician).
    pub skill_id: Option<Uuid>,
    /// The level of that skill needed, 1 to 5.
    pub skill_level: i32,
    /// How long a job takes, for booking windows and the day's plan.
    pub expected_minutes: i32,
}

impl From<service_type::Model> for ServiceType {
    fn from(m: service_type::Model) -> Self {
        ServiceType {
            default_priority: m.priority(),
            required_docs: m.docs(),
            id: m.id,
            code: m.code,
            name_id: m.name_id,
            name_en: m.name_en,
            response_sla_minutes: m.response_sla_minutes,
            resolution_sla_minutes: m.resolution_sla_minutes,
            active: m.active,
            skill_id: m.skill_id,
            skill_level: m.skill_level,
            expected_minutes: m.expected_minutes,
        }
    }
}

/// Lists the service types.
#[utoipa::path(get, path = "/service-types", tag = "catalog",
    responses(
        (status = 200, body = List<ServiceType>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_service_types(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<ServiceType>>> {
    caller.require(Permission::NetworkRead)?;
    let items: Vec<ServiceType> = catalog::service_types(state.db.conn())
        .await?
        .into_iter()
        .map(ServiceType::from)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceTypeChanges {
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    /// Read by the catalogue rules, so a wrong value is reported with the
    /// other field errors.
    #[schema(value_type = Option<Priority>)]
    pub default_priority: Option<String>,
    pub response_sla_minutes: Option<i32>,
    pub resolution_sla_minutes: Option<i32>,
    /// Each item once; a wrong one is reported with the other field errors.
    #[schema(value_type = Option<Vec<DocItem>>)]
    pub required_docs: Option<Vec<String>>,
    pub active: Option<bool>,
    /// The skill a technician needs; `null` for none.
    #[serde(default, deserialize_with = "crate::routes::double_option")]
    pub skill_id: Option<Option<Uuid>>,
    /// 1 to 5.
    pub skill_level: Option<i32>,
    /// 5 to 600 minutes.
    pub expected_minutes: Option<i32>,
}

impl From<ServiceTypeChanges> for ServiceTypeChange {
    fn from(i: ServiceTypeChanges) -> Self {
        ServiceTypeChange {
            name_id: i.name_id,
            name_en: i.name_en,
            default_priority: i.default_priority,
            response_sla_minutes: i.response_sla_minutes,
            resolution_sla_minutes: i.resolution_sla_minutes,
            required_docs: i.required_docs,
            active: i.active,
            skill_id: i.skill_id,
            skill_level: i.skill_level,
            expected_minutes: i.expected_minutes,
        }
    }
}

/// Changes a service type's names, priority, SLA targets or checklist.
#[utoipa::path(patch, path = "/service-types/{id}", tag = "catalog", request_body = ServiceTypeChanges,
    params(("id" = Uuid, Path, description = "Service type id")),
    responses(
        (status = 200, body = ServiceType),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_service_type(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<ServiceTypeChanges>, ApiError>,
) -> ApiResult<axum::Json<ServiceType>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = catalog::service_type(state.db.conn(), id).await?;
    let saved =
        catalog::save_service_type(&state.db, &caller.actor(), current, body.into(), Utc::now())
            .await?;
    Ok(axum::Json(ServiceType::from(saved)))
}

// --------------------------------------------------- problem categories

/// A kind of fault customers report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemCategory {
    pub id: Uuid,
    #[schema(example = "los")]
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub default_priority: Priority,
    pub active: bool,
}

impl From<problem_category::Model> for ProblemCategory {
    fn from(m: problem_category::Model) -> Self {
        ProblemCategory {
            default_priority: m.priority(),
            id: m.id,
            code: m.code,
            name_id: m.name_id,
            name_en: m.name_en,
            active: m.active,
        }
    }
}

/// Lists problem categories (everyone signed in: customers pick one when
/// they report a fault).
#[utoipa::path(get, path = "/problem-categories", tag = "catalog",
    responses(
        (status = 200, body = List<ProblemCategory>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_problem_categories(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<List<ProblemCategory>>> {
    let items: Vec<ProblemCategory> = catalog::problem_categories(state.db.conn())
        .await?
        .into_iter()
        .map(ProblemCategory::from)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProblemCategoryInput {
    pub code: Option<String>,
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    /// Read by the catalogue rules, so a wrong value is reported with the
    /// other field errors.
    #[schema(value_type = Option<Priority>)]
    pub default_priority: Option<String>,
    pub active: Option<bool>,
}

impl From<ProblemCategoryInput> for ProblemCategoryChange {
    fn from(i: ProblemCategoryInput) -> Self {
        ProblemCategoryChange {
            code: i.code,
            name_id: i.name_id,
            name_en: i.name_en,
            default_priority: i.default_priority,
            active: i.active,
        }
    }
}

/// Creates a problem category.
#[utoipa::path(post, path = "/problem-categories", tag = "catalog", request_body = ProblemCategoryInput,
    responses(
        (status = 201, body = ProblemCategory),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_problem_category(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<ProblemCategoryInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved =
        catalog::save_problem_category(&state.db, &caller.actor(), None, body.into(), Utc::now())
            .await?;
    Ok(created(
        format!("/api/v1/problem-categories/{}", saved.id),
        ProblemCategory::from(saved),
    ))
}

/// Changes a problem category.
#[utoipa::path(patch, path = "/problem-categories/{id}", tag = "catalog", request_body = ProblemCategoryInput,
    params(("id" = Uuid, Path, description = "Category id")),
    responses(
        (status = 200, body = ProblemCategory),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_problem_category(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<ProblemCategoryInput>, ApiError>,
) -> ApiResult<axum::Json<ProblemCategory>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = catalog::problem_category(state.db.conn(), id).await?;
    let saved = catalog::save_problem_category(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(ProblemCategory::from(saved)))
}

// --------------------------------------------------------------- skills

/// A technician skill used when assigning work.
#[derive(Debug, Serialize, ToSchema)]
pub struct Skill {
    pub id: Uuid,
    #[schema(example = "splicing")]
    pub code: String,
    pub name: String,
    pub active: bool,
}

impl From<skill::Model> for Skill {
    fn from(m: skill::Model) -> Self {
        Skill {
            id: m.id,
            code: m.code,
            name: m.name,
            active: m.active,
        }
    }
}

/// Lists technician skills.
#[utoipa::path(get, path = "/skills", tag = "catalog",
    responses(
        (status = 200, body = List<Skill>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_skills(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<Skill>>> {
    caller.require(Permission::TeamsRead)?;
    let items: Vec<Skill> = catalog::skills(state.db.conn())
        .await?
        .into_iter()
        .map(Skill::from)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub active: Option<bool>,
}

impl From<SkillInput> for SkillChange {
    fn from(i: SkillInput) -> Self {
        SkillChange {
            code: i.code,
            name: i.name,
            active: i.active,
        }
    }
}

/// Creates a skill.
#[utoipa::path(post, path = "/skills", tag = "catalog", request_body = SkillInput,
    responses(
        (status = 201, body = Skill),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_skill(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<SkillInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved =
        catalog::save_skill(&state.db, &caller.actor(), None, body.into(), Utc::now()).await?;
    Ok(created(
        format!("/api/v1/skills/{}", saved.id),
        Skill::from(saved),
    ))
}

/// Changes a skill.
#[utoipa::path(patch, path = "/skills/{id}", tag = "catalog", request_body = SkillInput,
    params(("id" = Uuid, Path, description = "Skill id")),
    responses(
        (status = 200, body = Skill),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_skill(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<SkillInput>, ApiError>,
) -> ApiResult<axum::Json<Skill>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = catalog::skill(state.db.conn(), id).await?;
    let saved = catalog::save_skill(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Skill::from(saved)))
}
