//! The technicians a ticket may be given to, for the people who assign
//! (CS, supervisors, admins), within what each of them looks after.

use axum::extract::State;
use netcrew_domain::access::Permission;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::ApiQuery,
    problem::{ApiError, ApiResult, Problem},
    routes::{List, tickets::scope},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_technicians))
}

/// A technician who may be assigned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Technician {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    /// The names of their teams.
    pub teams: Vec<String>,
    /// The areas they serve (their own and their teams').
    pub area_ids: Vec<Uuid>,
    /// How many open tickets they hold now.
    pub open_tickets: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TechnicianQuery {
    /// Words of the name.
    pub q: Option<String>,
    /// Only those serving this area.
    pub area_id: Option<Uuid>,
}

/// The active technicians the caller may assign (or, for storekeepers,
/// issue stock to), by name: CS, admins and storekeepers see all, a
/// supervisor those of their teams and areas. At most 1,000.
#[utoipa::path(get, path = "/technicians", tag = "tickets", params(TechnicianQuery),
    responses(
        (status = 200, body = List<Technician>),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_technicians(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TechnicianQuery>,
) -> ApiResult<axum::Json<List<Technician>>> {
    if !caller.can(Permission::InventoryManage) {
        caller.require(Permission::TicketsManage)?;
    }
    if !caller.role.is_staff() {
        return Err(ApiError::Forbidden(
            "Only the ISP's staff assign technicians.".to_string(),
        ));
    }
    let scope = scope(&state, &caller).await?;
    let found =
        netcrew_store::technicians::assignable(state.db.conn(), &scope, q.q.as_deref(), q.area_id)
            .await?;
    Ok(axum::Json(List::complete(
        found
            .into_iter()
            .map(|t| Technician {
                id: t.id,
                name: t.name,
                phone: t.phone,
                teams: t.teams,
                area_ids: t.areas,
                open_tickets: t.open_tickets,
            })
            .collect(),
    )))
}
