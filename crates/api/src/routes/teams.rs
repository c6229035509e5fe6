//! Field teams, each usually serving one area.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::{
    page::PageRequest,
    teams::{self, TeamChange, TeamWithMembers},
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
    routes::{List, created, double_option},
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

impl From<TeamWithMembers> for Team {
    fn from(t: TeamWithMembers) -> Self {
        Team {
            id: t.team.id,
            name: t.team.name,
            area_id: t.team.area_id,
            member_count: t.member_count,
        }
    }
}

/// A refused team: every field error, said as this module always has.
fn refused(e: netcrew_store::Error) -> ApiError {
    match e {
        netcrew_store::Error::Invalid(invalid) => ApiError::Validation {
            detail: "Some fields are not valid.".to_string(),
            errors: invalid.0,
        },
        other => other.into(),
    }
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
    let result = teams::list(state.db.conn(), query.q.as_deref(), &page).await?;
    Ok(axum::Json(List::from_page(result, Team::from)))
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
    let change = TeamChange {
        id: body.id,
        name: Some(body.name),
        area_id: Some(body.area_id),
    };
    let saved = teams::save(&state.db, &caller.actor(), None, change, Utc::now())
        .await
        .map_err(refused)?;
    Ok(created(
        format!("/api/v1/teams/{}", saved.team.id),
        Team::from(saved),
    ))
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
    let current = teams::find(state.db.conn(), id).await?;
    let change = TeamChange {
        id: None,
        name: body.name,
        area_id: body.area_id,
    };
    let saved = teams::save(
        &state.db,
        &caller.actor(),
        Some(current),
        change,
        Utc::now(),
    )
    .await
    .map_err(refused)?;
    Ok(axum::Json(Team::from(saved)))
}
