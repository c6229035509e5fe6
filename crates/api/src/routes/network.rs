//! The plant: service areas, ODCs and ODPs. Used and free ports of an ODP
//! are derived from the customers linked to it, never typed.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{
    access::Permission,
    service::{ODP_PORT_COUNTS, PLANT_STATUSES, odp_status},
};
use netcrew_store::{
    entity::{area, customer, odc, odp},
    network::{self, PlantFilter},
    page::PageRequest,
    sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::{ApiChecks, Checks, List, Location, catalog::Area, created, persist, set, taken},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_area))
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

async fn save_area(
    state: &AppState,
    caller: &Caller,
    current: Option<area::Model>,
    input: AreaInput,
) -> ApiResult<area::Model> {
    let creating = current.is_none();
    let mut c = Checks::default();
    if creating {
        c.client_uuid("id", input.id);
    }
    let need = |c: &mut Checks, field: &str, present: bool| {
        if creating && !present {
            c.fail(field, "required", "required");
        }
    };
    need(&mut c, "code", input.code.is_some());
    need(&mut c, "name", input.name.is_some());
    need(&mut c, "city", input.city.is_some());
    need(&mut c, "center", input.center.is_some());
    need(&mut c, "radius_m", input.radius_m.is_some());
    let code = input.code.map(|v| c.text("code", &v, 30).to_uppercase());
    let name = input.name.map(|v| c.text("name", &v, 80));
    let city = input.city.map(|v| c.text("city", &v, 80));
    let center = input.center.and_then(|p| c.location("center", p));
    if let Some(r) = input.radius_m
        && !(100..=50_000).contains(&r)
    {
        c.fail("radius_m", "range", "between 100 and 50000 metres");
    }
    if let Some(code) = &code
        && taken::<area::Entity>(
            state.db.conn(),
            area::Column::Code,
            area::Column::Id,
            code,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("code", "taken", "another area has this code");
    }
    c.finish()?;
    let now = Utc::now();
    let before = current
        .as_ref()
        .map(|a| serde_json::json!(Area::from(a.clone())));
    let mut model: area::ActiveModel = match current {
        Some(a) => a.into(),
        None => area::ActiveModel {
            id: Set(input.id.unwrap_or_else(Uuid::now_v7)),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.code, code);
    set(&mut model.name, name);
    set(&mut model.city, city);
    if let Some(p) = center {
        model.center_lat = Set(p.lat);
        model.center_lng = Set(p.lng);
    }
    if let Some(r) = input.radius_m {
        model.radius_m = Set(r);
    }
    model.updated_at = Set(now);
    persist(
        state,
        caller,
        model,
        creating,
        ("area.create", "area.update"),
        "area",
        before,
        |m| (m.id, serde_json::json!(Area::from(m.clone()))),
    )
    .await
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
    let saved = save_area(&state, &caller, None, body).await?;
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
    let found = area::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such area.".to_string()))?;
    Ok(axum::Json(Area::from(found)))
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
    let current = area::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such area.".to_string()))?;
    let saved = save_area(&state, &caller, Some(current), body).await?;
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
    /// `active`, `full` or `maintenance`.
    pub status: String,
}

impl From<odc::Model> for Odc {
    fn from(m: odc::Model) -> Self {
        Odc {
            id: m.id,
            code: m.code,
            name: m.name,
            area_id: m.area_id,
            location: Location {
                lat: m.lat,
                lng: m.lng,
            },
            status: m.status,
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
    /// `active`, `full` or `maintenance`.
    pub status: Option<String>,
}

impl PlantQuery {
    fn filter(&self) -> ApiResult<PlantFilter> {
        if let Some(s) = &self.status
            && !PLANT_STATUSES.contains(&s.as_str())
        {
            return Err(ApiError::validation(
                "status",
                "choice",
                "choose active, full or maintenance",
            ));
        }
        Ok(PlantFilter {
            q: self.q.clone(),
            area_id: self.area_id,
            odc_id: self.odc_id,
            status: self.status.clone(),
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
    /// `active`, `full` or `maintenance`.
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
    let result = network::list_odcs(state.db.conn(), &filter, &page).await?;
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
    pub status: Option<String>,
}

async fn save_odc(
    state: &AppState,
    caller: &Caller,
    current: Option<odc::Model>,
    input: OdcInput,
) -> ApiResult<odc::Model> {
    let creating = current.is_none();
    let mut c = Checks::default();
    if creating {
        c.client_uuid("id", input.id);
    }
    c.require(
        creating,
        &[
            ("code", input.code.is_some()),
            ("name", input.name.is_some()),
            ("area_id", input.area_id.is_some()),
            ("location", input.location.is_some()),
        ],
    );
    let code = input.code.map(|v| c.text("code", &v, 40).to_uppercase());
    let name = input.name.map(|v| c.text("name", &v, 80));
    let point = input.location.and_then(|p| c.location("location", p));
    if let Some(s) = &input.status {
        c.one_of("status", s, &PLANT_STATUSES);
    }
    if let Some(a) = input.area_id
        && area::Entity::find_by_id(a)
            .one(state.db.conn())
            .await?
            .is_none()
    {
        c.fail("area_id", "unknown", "no such area");
    }
    if let Some(code) = &code
        && taken::<odc::Entity>(
            state.db.conn(),
            odc::Column::Code,
            odc::Column::Id,
            code,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("code", "taken", "another ODC has this code");
    }
    c.finish()?;
    let now = Utc::now();
    let before = current
        .as_ref()
        .map(|x| serde_json::json!(Odc::from(x.clone())));
    let mut model: odc::ActiveModel = match current {
        Some(x) => x.into(),
        None => odc::ActiveModel {
            id: Set(input.id.unwrap_or_else(Uuid::now_v7)),
            status: Set("active".to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.code, code);
    set(&mut model.name, name);
    set(&mut model.area_id, input.area_id);
    if let Some(p) = point {
        model.lat = Set(p.lat);
        model.lng = Set(p.lng);
    }
    set(&mut model.status, input.status);
    model.updated_at = Set(now);
    persist(
        state,
        caller,
        model,
        creating,
        ("odc.create", "odc.update"),
        "odc",
        before,
        |m| (m.id, serde_json::json!(Odc::from(m.clone()))),
    )
    .await
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
    let saved = save_odc(&state, &caller, None, body).await?;
    Ok(created(
        format!("/api/v1/odcs/{}", saved.id),
        Odc::from(saved),
    ))
}

async fn find_odc(state: &AppState, id: Uuid) -> ApiResult<odc::Model> {
    odc::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such ODC.".to_string()))
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
    Ok(axum::Json(Odc::from(find_odc(&state, id).await?)))
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
    let current = find_odc(&state, id).await?;
    Ok(axum::Json(Odc::from(
        save_odc(&state, &caller, Some(current), body).await?,
    )))
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
    /// `active`, `full` (derived from the ports) or `maintenance`.
    pub status: String,
}

pub fn to_odp(m: odp::Model, used: i64) -> Odp {
    let used = used as i32;
    Odp {
        status: odp_status(&m.status, m.port_count, used).to_string(),
        free_ports: (m.port_count - used).max(0),
        used_ports: used,
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
    let result = network::list_odps(state.db.conn(), &query.filter()?, &page).await?;
    let ids: Vec<Uuid> = result.items.iter().map(|o| o.id).collect();
    let usage = network::odp_usage(state.db.conn(), &ids).await?;
    Ok(axum::Json(List::from_page(result, |o| {
        let used = usage.get(&o.id).copied().unwrap_or(0);
        to_odp(o, used)
    })))
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
    pub status: Option<String>,
}

async fn save_odp(
    state: &AppState,
    caller: &Caller,
    current: Option<odp::Model>,
    input: OdpInput,
) -> ApiResult<(odp::Model, i64)> {
    let creating = current.is_none();
    let mut c = Checks::default();
    if creating {
        c.client_uuid("id", input.id);
    }
    c.require(
        creating,
        &[
            ("code", input.code.is_some()),
            ("name", input.name.is_some()),
            ("odc_id", input.odc_id.is_some()),
            ("location", input.location.is_some()),
            ("port_count", input.port_count.is_some()),
        ],
    );
    let code = input.code.map(|v| c.text("code", &v, 40).to_uppercase());
    let name = input.name.map(|v| c.text("name", &v, 80));
    let point = input.location.and_then(|p| c.location("location", p));
    if let Some(s) = &input.status {
        c.one_of("status", s, &["active", "maintenance"]);
    }
    let used = match &current {
        Some(o) => network::odp_usage(state.db.conn(), &[o.id])
            .await?
            .get(&o.id)
            .copied()
            .unwrap_or(0),
        None => 0,
    };
    if let Some(n) = input.port_count {
        if !ODP_PORT_COUNTS.contains(&n) {
            c.fail("port_count", "choice", "choose 4, 8, 16 or 24");
        } else if i64::from(n) < used {
            c.fail(
                "port_count",
                "in_use",
                format!("{used} ports are in use; move those customers first"),
            );
        } else if let Some(o) = &current {
            let highest = customer::Entity::find()
                .filter(customer::Column::OdpId.eq(o.id))
                .order_by_desc(customer::Column::OdpPort)
                .one(state.db.conn())
                .await?
                .and_then(|c| c.odp_port)
                .unwrap_or(0);
            if highest > n {
                c.fail("port_count", "in_use", format!("port {highest} is in use"));
            }
        }
    }
    let odc = match input.odc_id {
        Some(id) => {
            let found = odc::Entity::find_by_id(id).one(state.db.conn()).await?;
            if found.is_none() {
                c.fail("odc_id", "unknown", "no such ODC");
            }
            found
        }
        None => None,
    };
    if let Some(code) = &code
        && taken::<odp::Entity>(
            state.db.conn(),
            odp::Column::Code,
            odp::Column::Id,
            code,
            current.as_ref().map(|x| x.id),
        )
        .await?
    {
        c.fail("code", "taken", "another ODP has this code");
    }
    c.finish()?;
    let now = Utc::now();
    let before = current
        .as_ref()
        .map(|x| serde_json::json!(to_odp(x.clone(), used)));
    let mut model: odp::ActiveModel = match current {
        Some(x) => x.into(),
        None => odp::ActiveModel {
            id: Set(input.id.unwrap_or_else(Uuid::now_v7)),
            status: Set("active".to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    set(&mut model.code, code);
    set(&mut model.name, name);
    if let Some(o) = odc {
        // An ODP belongs to the area of its ODC.
        model.odc_id = Set(o.id);
        model.area_id = Set(o.area_id);
    }
    if let Some(p) = point {
        model.lat = Set(p.lat);
        model.lng = Set(p.lng);
    }
    if let Some(n) = input.port_count {
        model.port_count = Set(n);
    }
    set(&mut model.status, input.status);
    model.updated_at = Set(now);
    let saved = persist(
        state,
        caller,
        model,
        creating,
        ("odp.create", "odp.update"),
        "odp",
        before,
        |m| (m.id, serde_json::json!(to_odp(m.clone(), used))),
    )
    .await?;
    Ok((saved, used))
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
    let (saved, used) = save_odp(&state, &caller, None, body).await?;
    Ok(created(
        format!("/api/v1/odps/{}", saved.id),
        to_odp(saved, used),
    ))
}

async fn find_odp(state: &AppState, id: Uuid) -> ApiResult<odp::Model> {
    odp::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such ODP.".to_string()))
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
    let found = find_odp(&state, id).await?;
    let used = network::odp_usage(state.db.conn(), &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok(axum::Json(to_odp(found, used)))
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
    let current = find_odp(&state, id).await?;
    let (saved, used) = save_odp(&state, &caller, Some(current), body).await?;
    Ok(axum::Json(to_odp(saved, used)))
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
    let found = find_odp(&state, id).await?;
    let on_it = customer::Entity::find()
        .filter(customer::Column::OdpId.eq(id))
        .all(state.db.conn())
        .await?;
    let items: Vec<OdpPort> = (1..=found.port_count)
        .map(|port| {
            let taken = on_it.iter().find(|c| c.odp_port == Some(port));
            let c = taken.filter(|_| show_customers);
            OdpPort {
                port,
                in_use: taken.is_some(),
                customer_id: c.map(|c| c.id),
                customer_number: c.map(|c| c.customer_number.clone()),
                customer_name: c.map(|c| c.name.clone()),
            }
        })
        .collect();
    Ok(axum::Json(List::complete(items)))
}
