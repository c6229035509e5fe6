//! Field teams, each usually serving one area.

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::{
    entity::{area, team},
    page::PageRequest,
    sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter},
    users,
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
    routes::{ApiChecks, Checks, List, double_option},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(update_team))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    pub id: Uuid,
    #[schema(example = "Tim Coblong")]
    pub name: String,
    pub area_id: Option<Uuid>,
    pub member_count: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Search in the name.
    pub q: Option<String>,
}

/// Lists teams by name.
#[utoipa::path(get, path = "/teams", tag = "teams", params(TeamQuery),
    responses(
        (status = 200, body = List<Team>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_teams(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TeamQuery>,
) -> ApiResult<axum::Json<List<Team>>> {
    caller.require(Permission::TeamsRead)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let result = users::list_teams(state.db.conn(), query.q.as_deref(), &page).await?;
    let ids: Vec<Uuid> = result.items.iter().map(|t| t.id).collect();
    let counts = users::team_member_counts(state.db.conn(), &ids).await?;
    Ok(axum::Json(List::from_page(result, |t| Team {
        member_count: counts.get(&t.id).copied().unwrap_or(0),
        id: t.id,
        name: t.name,
        area_id: t.area_id,
    })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub id: Option<Uuid>,
    pub name: String,
    pub area_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamChanges {
    pub name: Option<String>,
    /// `null` detaches the team from its area.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub area_id: Option<Option<Uuid>>,
}

/// Checks a team's fields; `id` is the team changed (`None`: a new team,
/// with the id the client chose, if any).
async fn check_team(
    state: &AppState,
    id: Option<Uuid>,
    client_id: Option<Uuid>,
    name: Option<&str>,
    area_id: Option<Uuid>,
) -> ApiResult<Option<String>> {
    let mut c = Checks::default();
    if id.is_none() {
        c.client_uuid("id", client_id);
    }
    let name = name.map(|n| c.text("name", n, 80));
    let mut errors = std::mem::take(&mut c.errors);
    if let Some(n) = &name
        && !errors.iter().any(|e| e.field == "name")
        && let Some(other) = team::Entity::find()
            .filter(team::Column::Name.eq(n.as_str()))
            .one(state.db.conn())
            .await?
        && Some(other.id) != id
    {
        errors.push(FieldError::new(
            "name",
            "taken",
            "another team already has this name",
        ));
    }
    if let Some(area) = area_id
        && area::Entity::find_by_id(area)
            .one(state.db.conn())
            .await?
            .is_none()
    {
        errors.push(FieldError::new("area_id", "unknown", "no such area"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            detail: "Some fields are not valid.".to_string(),
            errors,
        });
    }
    Ok(name)
}

/// Creates a team.
#[utoipa::path(post, path = "/teams", tag = "teams", request_body = NewTeam,
    responses(
        (status = 201, body = Team),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<NewTeam>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TeamsManage)?;
    let ApiJson(body) = body?;
    let name = check_team(&state, None, body.id, Some(&body.name), body.area_id)
        .await?
        .unwrap_or_default();
    let now = Utc::now();
    let id = body.id.unwrap_or_else(Uuid::now_v7);
    let txn = state.db.begin_write().await?;
    let created = team::ActiveModel {
        id: Set(id),
        name: Set(name),
        area_id: Set(body.area_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    caller
        .audit(
            &txn,
            "team.create",
            "team",
            Some(id.to_string()),
            None,
            Some(serde_json::json!({ "name": created.name, "area_id": created.area_id })),
        )
        .await?;
    txn.commit().await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(Team {
            id,
            name: created.name,
            area_id: created.area_id,
            member_count: 0,
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/teams/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Renames a team or changes its area.
#[utoipa::path(patch, path = "/teams/{id}", tag = "teams", request_body = TeamChanges,
    params(("id" = Uuid, Path, description = "Team id")),
    responses(
        (status = 200, body = Team),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<TeamChanges>, ApiError>,
) -> ApiResult<axum::Json<Team>> {
    caller.require(Permission::TeamsManage)?;
    let ApiJson(body) = body?;
    let current = team::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such team.".to_string()))?;
    let name = check_team(
        &state,
        Some(id),
        None,
        body.name.as_deref(),
        body.area_id.flatten(),
    )
    .await?;
    let now = Utc::now();
    let before = serde_json::json!({ "name": current.name, "area_id": current.area_id });
    let mut model: team::ActiveModel = current.into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(area) = body.area_id {
        model.area_id = Set(area);
    }
    model.updated_at = Set(now);
    let txn = state.db.begin_write().await?;
    let updated = model.update(&*txn).await?;
    caller
        .audit(
            &txn,
            "team.update",
            "team",
            Some(id.to_string()),
            Some(before),
            Some(serde_json::json!({ "name": updated.name, "area_id": updated.area_id })),
        )
        .await?;
    txn.commit().await?;
    let counts = users::team_member_counts(state.db.conn(), &[id]).await?;
    Ok(axum::Json(Team {
        member_count: counts.get(&id).copied().unwrap_or(0),
        id,
        name: updated.name,
        area_id: updated.area_id,
    }))
}
