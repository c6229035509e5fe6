//! The plant: service areas, ODCs and ODPs. Used and free ports of an ODP
//! are derived from the customers linked to it, never typed.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{PlantStatus, access::Permission};
use netcrew_store::{
    entity::{area, odc},
    page::PageRequest,
    plant::{self, AreaChange, AreaFilter, OdcChange, OdpChange, OdpUsage, PlantFilter},
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
    routes::{List, Location, created},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_areas, create_area))
        .routes(routes!(get_area, update_area))
        .routes(routes!(list_odcs, create_odc))
        .routes(routes!(get_odc, update_odc))
        .routes(routes!(list_odps, create_odp))
        .routes(routes!(get_odp, update_odp))
        .routes(routes!(list_odp_ports))
}

// ---------------------------------------------------------------- areas

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaInput {
    pub id: Option<Uuid>,
    #[schema(example = "BDG-CBL")]
    pub code: Option<String>,
    pub name: Option<String>,
    pub city: Option<String>,
    pub center: Option<Location>,
    pub radius_m: Option<i32>,
}

impl From<AreaInput> for AreaChange {
    fn from(i: AreaInput) -> Self {
        AreaChange {
            id: i.id,
            code: i.code,
            name: i.name,
            city: i.city,
            center: i.center.map(|p| (p.lat, p.lng)),
            radius_m: i.radius_m,
        }
    }
}

/// Creates a service area (centre and radius).
#[utoipa::path(post, path = "/areas", tag = "network", request_body = AreaInput,
    responses(
        (status = 201, body = Area),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_area(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<AreaInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved = plant::save_area(&state.db, &caller.actor(), None, body.into(), Utc::now()).await?;
    Ok(created(
        format!("/api/v1/areas/{}", saved.id),
        Area::from(saved),
    ))
}

/// One service area.
#[utoipa::path(get, path = "/areas/{id}", tag = "catalog",
    params(("id" = Uuid, Path, description = "Area id")),
    responses(
        (status = 200, body = Area),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_area(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Area>> {
    Ok(axum::Json(Area::from(
        plant::area(state.db.conn(), id).await?,
    )))
}

/// Changes a service area.
#[utoipa::path(patch, path = "/areas/{id}", tag = "network", request_body = AreaInput,
    params(("id" = Uuid, Path, description = "Area id")),
    responses(
        (status = 200, body = Area),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_area(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<AreaInput>, ApiError>,
) -> ApiResult<axum::Json<Area>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = plant::area(state.db.conn(), id).await?;
    let saved = plant::save_area(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Area::from(saved)))
}

// ---------------------------------------------------------------- ODCs

/// An optical distribution cabinet.
#[derive(Debug, Serialize, ToSchema)]
pub struct Odc {
    pub id: Uuid,
    #[schema(example = "ODC-CBL-001")]
    pub code: String,
    pub name: String,
    pub area_id: Uuid,
    pub location: Location,
    pub status: PlantStatus,
}

impl From<odc::Model> for Odc {
    fn from(m: odc::Model) -> Self {
        Odc {
            status: m.status(),
            id: m.id,
            code: m.code,
            name: m.name,
            area_id: m.area_id,
            location: Location {
                lat: m.lat,
                lng: m.lng,
            },
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlantQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Search in code and name.
    pub q: Option<String>,
    pub area_id: Option<Uuid>,
    /// ODPs only: those of this ODC.
    pub odc_id: Option<Uuid>,
    #[param(value_type = Option<PlantStatus>, inline)]
    pub status: Option<String>,
}

impl PlantQuery {
    fn filter(self) -> ApiResult<PlantFilter> {
        let status = match &self.status {
            Some(s) => Some(PlantStatus::parse_filter("status", s)?),
            None => None,
        };
        Ok(PlantFilter {
            q: self.q,
            area_id: self.area_id,
            odc_id: self.odc_id,
            status,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OdcQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Search in code and name.
    pub q: Option<String>,
    pub area_id: Option<Uuid>,
    #[param(value_type = Option<PlantStatus>, inline)]
    pub status: Option<String>,
}

/// Lists ODCs by code.
#[utoipa::path(get, path = "/odcs", tag = "network", params(OdcQuery),
    responses(
        (status = 200, body = List<Odc>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_odcs(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<OdcQuery>,
) -> ApiResult<axum::Json<List<Odc>>> {
    caller.require(Permission::NetworkRead)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let filter = PlantQuery {
        limit: None,
        cursor: None,
        q: query.q,
        area_id: query.area_id,
        odc_id: None,
        status: query.status,
    }
    .filter()?;
    let result = plant::list_odcs(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(result, Odc::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OdcInput {
    pub id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub area_id: Option<Uuid>,
    pub location: Option<Location>,
    /// Read by the plant rules, so a wrong value is reported with the other
    /// field errors.
    #[schema(value_type = Option<PlantStatus>)]
    pub status: Option<String>,
}

impl From<OdcInput> for OdcChange {
    fn from(i: OdcInput) -> Self {
        OdcChange {
            id: i.id,
            code: i.code,
            name: i.name,
            area_id: i.area_id,
            location: i.location.map(|p| (p.lat, p.lng)),
            status: i.status,
        }
    }
}

/// Creates an ODC.
#[utoipa::path(post, path = "/odcs", tag = "network", request_body = OdcInput,
    responses(
        (status = 201, body = Odc),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_odc(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<OdcInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved = plant::save_odc(&state.db, &caller.actor(), None, body.into(), Utc::now()).await?;
    Ok(created(
        format!("/api/v1/odcs/{}", saved.id),
        Odc::from(saved),
    ))
}

/// One ODC.
#[utoipa::path(get, path = "/odcs/{id}", tag = "network",
    params(("id" = Uuid, Path, description = "ODC id")),
    responses(
        (status = 200, body = Odc),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_odc(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Odc>> {
    caller.require(Permission::NetworkRead)?;
    Ok(axum::Json(Odc::from(
        plant::odc(state.db.conn(), id).await?,
    )))
}

/// Changes an ODC.
#[utoipa::path(patch, path = "/odcs/{id}", tag = "network", request_body = OdcInput,
    params(("id" = Uuid, Path, description = "ODC id")),
    responses(
        (status = 200, body = Odc),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_odc(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<OdcInput>, ApiError>,
) -> ApiResult<axum::Json<Odc>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = plant::odc(state.db.conn(), id).await?;
    let saved = plant::save_odc(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Odc::from(saved)))
}

// ---------------------------------------------------------------- ODPs

/// An optical distribution point, with its port usage.
#[derive(Debug, Serialize, ToSchema)]
pub struct Odp {
    pub id: Uuid,
    #[schema(example = "ODP-CBL-001-03")]
    pub code: String,
    pub name: String,
    pub odc_id: Uuid,
    pub area_id: Uuid,
    pub location: Location,
    #[schema(example = 16)]
    pub port_count: i32,
    /// Ports with a customer on them.
    pub used_ports: i32,
    pub free_ports: i32,
    /// `full` is derived from the ports.
    pub status: PlantStatus,
}

impl From<OdpUsage> for Odp {
    fn from(o: OdpUsage) -> Self {
        let (status, free_ports, used_ports) = (o.status(), o.free_ports(), o.used_ports());
        let m = o.odp;
        Odp {
            status,
            free_ports,
            used_ports,
            id: m.id,
            code: m.code,
            name: m.name,
            odc_id: m.odc_id,
            area_id: m.area_id,
            location: Location {
                lat: m.lat,
                lng: m.lng,
            },
            port_count: m.port_count,
        }
    }
}

/// Lists ODPs by code, with used and free ports.
#[utoipa::path(get, path = "/odps", tag = "network", params(PlantQuery),
    responses(
        (status = 200, body = List<Odp>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_odps(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PlantQuery>,
) -> ApiResult<axum::Json<List<Odp>>> {
    caller.require(Permission::NetworkRead)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let result = plant::list_odps(state.db.conn(), &query.filter()?, &page).await?;
    Ok(axum::Json(List::from_page(result, Odp::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OdpInput {
    pub id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub odc_id: Option<Uuid>,
    pub location: Option<Location>,
    /// 4, 8, 16 or 24.
    pub port_count: Option<i32>,
    /// `active` or `maintenance` (`full` follows from the ports).
    #[schema(value_type = Option<PlantStatus>)]
    pub status: Option<String>,
}

impl From<OdpInput> for OdpChange {
    fn from(i: OdpInput) -> Self {
        OdpChange {
            id: i.id,
            code: i.code,
            name: i.name,
            odc_id: i.odc_id,
            location: i.location.map(|p| (p.lat, p.lng)),
            port_count: i.port_count,
            status: i.status,
        }
    }
}

/// Creates an ODP under an ODC (it takes the ODC's area).
#[utoipa::path(post, path = "/odps", tag = "network", request_body = OdpInput,
    responses(
        (status = 201, body = Odp),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_odp(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<OdpInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let saved = plant::save_odp(&state.db, &caller.actor(), None, body.into(), Utc::now()).await?;
    Ok(created(
        format!("/api/v1/odps/{}", saved.odp.id),
        Odp::from(saved),
    ))
}

/// One ODP with its port usage.
#[utoipa::path(get, path = "/odps/{id}", tag = "network",
    params(("id" = Uuid, Path, description = "ODP id")),
    responses(
        (status = 200, body = Odp),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_odp(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Odp>> {
    caller.require(Permission::NetworkRead)?;
    Ok(axum::Json(Odp::from(
        plant::odp(state.db.conn(), id).await?,
    )))
}

/// Changes an ODP. The port count cannot drop below a port in use.
#[utoipa::path(patch, path = "/odps/{id}", tag = "network", request_body = OdpInput,
    params(("id" = Uuid, Path, description = "ODP id")),
    responses(
        (status = 200, body = Odp),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_odp(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<OdpInput>, ApiError>,
) -> ApiResult<axum::Json<Odp>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(body) = body?;
    let current = plant::odp_record(state.db.conn(), id).await?;
    let saved = plant::save_odp(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Odp::from(saved)))
}

/// One port of an ODP and who is on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OdpPort {
    #[schema(example = 3)]
    pub port: i32,
    pub in_use: bool,
    /// Who is on the port (only for those who may see customers).
    pub customer_id: Option<Uuid>,
    pub customer_number: Option<String>,
    pub customer_name: Option<String>,
}

/// Every port of an ODP, in order, with the customer on it (if any).
#[utoipa::path(get, path = "/odps/{id}/ports", tag = "network",
    params(("id" = Uuid, Path, description = "ODP id")),
    responses(
        (status = 200, body = List<OdpPort>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_odp_ports(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<List<OdpPort>>> {
    caller.require(Permission::NetworkRead)?;
    // Who is on a port is shown only to those who may see customers.
    let show_customers = caller.require(Permission::CustomersRead).is_ok();
    let items: Vec<OdpPort> = plant::ports(state.db.conn(), id)
        .await?
        .into_iter()
        .map(|p| {
            let c = p.holder.as_ref().filter(|_| show_customers);
            OdpPort {
                port: p.port,
                in_use: p.holder.is_some(),
                customer_id: c.map(|c| c.customer_id),
                customer_number: c.map(|c| c.customer_number.clone()),
                customer_name: c.map(|c| c.name.clone()),
            }
        })
        .collect();
    Ok(axum::Json(List::complete(items)))
}

/// A service area: where the ISP has plant and field teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct Area {
    pub id: Uuid,
    #[schema(example = "BDG-CBL")]
    pub code: String,
    #[schema(example = "Coblong")]
    pub name: String,
    #[schema(example = "Bandung")]
    pub city: String,
    pub center: Location,
    #[schema(example = 1800)]
    pub radius_m: i32,
}

impl From<area::Model> for Area {
    fn from(m: area::Model) -> Self {
        Area {
            id: m.id,
            code: m.code,
            name: m.name,
            city: m.city,
            center: Location {
                lat: m.center_lat,
                lng: m.center_lng,
            },
            radius_m: m.radius_m,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Search in code, name and city.
    pub q: Option<String>,
    /// Only areas in this city.
    pub city: Option<String>,
}

/// Lists service areas, by code.
#[utoipa::path(get, path = "/areas", tag = "catalog", params(AreaQuery),
    responses(
        (status = 200, body = List<Area>),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_areas(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AreaQuery>,
) -> ApiResult<axum::Json<List<Area>>> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    crate::routes::check_filter("city", query.city.as_deref())?;
    let filter = AreaFilter {
        q: query.q,
        city: query.city,
    };
    let result = plant::list_areas(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(result, Area::from)))
}
