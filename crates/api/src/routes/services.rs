//! What the ISP sells and does: packages (management), service types with
//! SLA targets and required documentation, problem categories, skills.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{
    access::Permission,
    service::{DocItem, Priority},
};
use netcrew_store::{
    entity::{package, problem_category, service_type, skill},
    sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder},
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
    routes::{ApiChecks, Checks, List, catalog::Package, created, persist, set, taken},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_package))
        .routes(routes!(update_package))
        .routes(routes!(list_service_types))
        .routes(routes!(update_service_type))
        .routes(routes!(list_problem_categories, create_problem_category))
        .routes(routes!(update_problem_category))
        .routes(routes!(list_skills, create_skill))
        .routes(routes!(update_skill))
}

// ------------------------------------------------------------- packages

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageInput {
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub download_mbps: Option<i32>,
    pub upload_mbps: Option<i32>,
    /// Whole rupiah per month.
    pub monthly_price_idr: Option<i64>,
    pub description: Option<String>,
    pub active: Option<bool>,
}

async fn save_package(
    state: &AppState,
    caller: &Caller,
    current: Option<package::Model>,
    input: PackageInput,
) -> ApiResult<package::Model> {
    let creating = current.is_none();
    let mut c = Checks::default();
    if creating {
        c.client_uuid("id", input.id);
    }
    c.require(
        creating,
        &[
            ("name", input.name.is_some()),
            ("download_mbps", input.download_mbps.is_some()),
            ("monthly_price_idr", input.monthly_price_idr.is_some()),
        ],
    );
    let name = input.name.map(|v| c.text("name", &v, 60));
    for (field, v) in [
        ("download_mbps", input.download_mbps),
        ("upload_mbps", input.upload_mbps),
    ] {
        if v.is_some_and(|v| !(1..=100_000).contains(&v)) {
            c.fail(field, "range", "between 1 and 100000 Mbps");
        }
    }
    if input
        .monthly_price_idr
        .is_some_and(|p| !(0..=1_000_000_000).contains(&p))
    {
        c.fail(
            "monthly_price_idr",
            "range",
            "whole rupiah, 0 to 1,000,000,000",
        );
    }
    let description = input
        .description
        .map(|d| c.multiline("description", &d, 500));
    if let Some(n) = &name
        && taken::<package::Entity>(
            state.db.conn(),
            package::Column::Name,
            package::Column::Id,
            n,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("name", "taken", "another package has this name");
    }
    c.finish()?;
    let now = Utc::now();
    let mut model: package::ActiveModel = match current {
        Some(p) => p.into(),
        None => package::ActiveModel {
            id: Set(input.id.unwrap_or_else(Uuid::now_v7)),
            description: Set(String::new()),
            active: Set(true),
            upload_mbps: Set(input.download_mbps.unwrap_or(1)),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.name, name);
    set(&mut model.download_mbps, input.download_mbps);
    set(&mut model.upload_mbps, input.upload_mbps);
    set(&mut model.monthly_price_idr, input.monthly_price_idr);
    set(&mut model.description, description);
    set(&mut model.active, input.active);
    model.updated_at = Set(now);
    persist(
        state,
        caller,
        model,
        creating,
        ("package.create", "package.update"),
        "package",
        None,
        |m| (m.id, serde_json::json!(Package::from(m.clone()))),
    )
    .await
}

/// Creates a service package.
#[utoipa::path(post, path = "/packages", tag = "catalog", request_body = PackageInput,
    responses(
        (status = 201, body = Package),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_package(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<PackageInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved = save_package(&state, &caller, None, body).await?;
    Ok(created(
        format!("/api/v1/packages/{}", saved.id),
        Package::from(saved),
    ))
}

/// Changes a package (price, speed, on sale or not).
#[utoipa::path(patch, path = "/packages/{id}", tag = "catalog", request_body = PackageInput,
    params(("id" = Uuid, Path, description = "Package id")),
    responses(
        (status = 200, body = Package),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_package(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<PackageInput>, ApiError>,
) -> ApiResult<axum::Json<Package>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = package::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such package.".to_string()))?;
    Ok(axum::Json(Package::from(
        save_package(&state, &caller, Some(current), body).await?,
    )))
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
    #[schema(example = "normal")]
    pub default_priority: String,
    /// Minutes to first response.
    pub response_sla_minutes: i32,
    /// Minutes to resolution.
    pub resolution_sla_minutes: i32,
    #[schema(example = json!(["photo_before", "ont_serial", "optical_power_dbm"]))]
    pub required_docs: Vec<String>,
    pub active: bool,
}

impl From<service_type::Model> for ServiceType {
    fn from(m: service_type::Model) -> Self {
        ServiceType {
            id: m.id,
            code: m.code,
            name_id: m.name_id,
            name_en: m.name_en,
            default_priority: m.default_priority,
            response_sla_minutes: m.response_sla_minutes,
            resolution_sla_minutes: m.resolution_sla_minutes,
            required_docs: serde_json::from_str(&m.required_docs).unwrap_or_default(),
            active: m.active,
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
    let items: Vec<ServiceType> = service_type::Entity::find()
        .order_by_asc(service_type::Column::Code)
        .all(state.db.conn())
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
    pub default_priority: Option<String>,
    pub response_sla_minutes: Option<i32>,
    pub resolution_sla_minutes: Option<i32>,
    pub required_docs: Option<Vec<String>>,
    pub active: Option<bool>,
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
    let current = service_type::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such service type.".to_string()))?;
    let mut c = Checks::default();
    let name_id = body.name_id.map(|v| c.text("name_id", &v, 80));
    let name_en = body.name_en.map(|v| c.text("name_en", &v, 80));
    if let Some(p) = &body.default_priority
        && p.parse::<Priority>().is_err()
    {
        c.fail(
            "default_priority",
            "choice",
            "choose low, normal, high or urgent",
        );
    }
    let response = body
        .response_sla_minutes
        .unwrap_or(current.response_sla_minutes);
    let resolution = body
        .resolution_sla_minutes
        .unwrap_or(current.resolution_sla_minutes);
    if !(1..=60 * 24 * 60).contains(&response) {
        c.fail(
            "response_sla_minutes",
            "range",
            "between 1 minute and 60 days",
        );
    }
    if !(1..=60 * 24 * 60).contains(&resolution) || resolution < response {
        c.fail(
            "resolution_sla_minutes",
            "range",
            "between 1 minute and 60 days, and not before the response target",
        );
    }
    if let Some(docs) = &body.required_docs {
        for d in docs {
            if DocItem::parse(d).is_none() {
                let all: Vec<&str> = DocItem::ALL.iter().map(|d| d.as_str()).collect();
                c.fail(
                    "required_docs",
                    "choice",
                    format!("{d}: choose from {}", all.join(", ")),
                );
            }
        }
    }
    c.finish()?;
    let mut model: service_type::ActiveModel = current.into();
    set(&mut model.name_id, name_id);
    set(&mut model.name_en, name_en);
    set(&mut model.default_priority, body.default_priority);
    model.response_sla_minutes = Set(response);
    model.resolution_sla_minutes = Set(resolution);
    if let Some(mut docs) = body.required_docs {
        docs.dedup();
        model.required_docs = Set(serde_json::json!(docs).to_string());
    }
    set(&mut model.active, body.active);
    model.updated_at = Set(Utc::now());
    let saved = persist(
        &state,
        &caller,
        model,
        false,
        ("service_type.update", "service_type.update"),
        "service_type",
        None,
        |m| (m.id, serde_json::json!(ServiceType::from(m.clone()))),
    )
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
    pub default_priority: String,
    pub active: bool,
}

impl From<problem_category::Model> for ProblemCategory {
    fn from(m: problem_category::Model) -> Self {
        ProblemCategory {
            id: m.id,
            code: m.code,
            name_id: m.name_id,
            name_en: m.name_en,
            default_priority: m.default_priority,
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
    let items: Vec<ProblemCategory> = problem_category::Entity::find()
        .order_by_asc(problem_category::Column::NameId)
        .all(state.db.conn())
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
    pub default_priority: Option<String>,
    pub active: Option<bool>,
}

async fn save_category(
    state: &AppState,
    caller: &Caller,
    current: Option<problem_category::Model>,
    input: ProblemCategoryInput,
) -> ApiResult<problem_category::Model> {
    let creating = current.is_none();
    let mut c = Checks::default();
    c.require(
        creating,
        &[
            ("code", input.code.is_some()),
            ("name_id", input.name_id.is_some()),
            ("name_en", input.name_en.is_some()),
        ],
    );
    let code = input.code.map(|v| c.text("code", &v, 40).to_lowercase());
    let name_id = input.name_id.map(|v| c.text("name_id", &v, 80));
    let name_en = input.name_en.map(|v| c.text("name_en", &v, 80));
    if let Some(p) = &input.default_priority
        && p.parse::<Priority>().is_err()
    {
        c.fail(
            "default_priority",
            "choice",
            "choose low, normal, high or urgent",
        );
    }
    if let Some(code) = &code
        && taken::<problem_category::Entity>(
            state.db.conn(),
            problem_category::Column::Code,
            problem_category::Column::Id,
            code,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("code", "taken", "another category has this code");
    }
    c.finish()?;
    let now = Utc::now();
    let mut model: problem_category::ActiveModel = match current {
        Some(x) => x.into(),
        None => problem_category::ActiveModel {
            id: Set(Uuid::now_v7()),
            default_priority: Set("normal".to_string()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.code, code);
    set(&mut model.name_id, name_id);
    set(&mut model.name_en, name_en);
    set(&mut model.default_priority, input.default_priority);
    set(&mut model.active, input.active);
    model.updated_at = Set(now);
    persist(
        state,
        caller,
        model,
        creating,
        ("problem_category.create", "problem_category.update"),
        "problem_category",
        None,
        |m| (m.id, serde_json::json!(ProblemCategory::from(m.clone()))),
    )
    .await
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
    let saved = save_category(&state, &caller, None, body).await?;
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
    let current = problem_category::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such category.".to_string()))?;
    Ok(axum::Json(ProblemCategory::from(
        save_category(&state, &caller, Some(current), body).await?,
    )))
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
    let items: Vec<Skill> = skill::Entity::find()
        .order_by_asc(skill::Column::Name)
        .all(state.db.conn())
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

async fn save_skill(
    state: &AppState,
    caller: &Caller,
    current: Option<skill::Model>,
    input: SkillInput,
) -> ApiResult<skill::Model> {
    let creating = current.is_none();
    let mut c = Checks::default();
    c.require(
        creating,
        &[
            ("code", input.code.is_some()),
            ("name", input.name.is_some()),
        ],
    );
    let code = input.code.map(|v| c.text("code", &v, 40).to_lowercase());
    let name = input.name.map(|v| c.text("name", &v, 80));
    if let Some(code) = &code
        && taken::<skill::Entity>(
            state.db.conn(),
            skill::Column::Code,
            skill::Column::Id,
            code,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("code", "taken", "another skill has this code");
    }
    c.finish()?;
    let now = Utc::now();
    let mut model: skill::ActiveModel = match current {
        Some(x) => x.into(),
        None => skill::ActiveModel {
            id: Set(Uuid::now_v7()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.code, code);
    set(&mut model.name, name);
    set(&mut model.active, input.active);
    model.updated_at = Set(now);
    persist(
        state,
        caller,
        model,
        creating,
        ("skill.create", "skill.update"),
        "skill",
        None,
        |m| (m.id, serde_json::json!(Skill::from(m.clone()))),
    )
    .await
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
    let saved = save_skill(&state, &caller, None, body).await?;
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
    let current = skill::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such skill.".to_string()))?;
    Ok(axum::Json(Skill::from(
        save_skill(&state, &caller, Some(current), body).await?,
    )))
}
