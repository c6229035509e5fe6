//! The coverage check (can this place be connected?) and the demand it
//! records where it cannot be yet.

use axum::extract::State;
use chrono::Utc;
use netcrew_domain::{Checks, GeoPoint, access::Permission, service::CoverageRules};
use netcrew_store::coverage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::{Caller, ClientIp},
    extract::ApiQuery,
    problem::{ApiError, ApiResult, Problem},
    routes::{List, Location, network::Area},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_coverage))
        .routes(routes!(list_demand_points))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Latitude, WGS84.
    #[param(example = -6.8935, value_type = f64)]
    pub lat: Option<String>,
    /// Longitude, WGS84.
    #[param(example = 107.6135, value_type = f64)]
    pub lng: Option<String>,
}

/// An ODP that can serve a place.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageOdp {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub location: Location,
    /// Straight-line distance.
    pub distance_m: f64,
    /// Estimated drop-cable length (distance × road factor).
    pub cable_m: f64,
    pub free_ports: i32,
}

/// Whether a place can be connected, and from which ODPs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    pub location: Location,
    pub covered: bool,
    /// The service area the place is in, if any.
    pub area: Option<Area>,
    /// ODPs with free ports within reach, nearest first.
    pub odps: Vec<CoverageOdp>,
    pub max_drop_m: f64,
    pub road_factor: f64,
    /// When not covered: how far the nearest ODP with a free port is
    /// (straight line), if one is within 3 km.
    pub nearest_free_odp_m: Option<f64>,
}

pub fn rules(state: &AppState) -> CoverageRules {
    CoverageRules {
        max_drop_m: state.config.max_drop_m,
        road_factor: state.config.road_factor,
    }
}

pub fn to_api(found: coverage::Coverage, rules: CoverageRules) -> Coverage {
    Coverage {
        covered: found.covered(),
        location: Location {
            lat: found.point.lat,
            lng: found.point.lng,
        },
        area: found.area.map(Area::from),
        odps: found
            .odps
            .into_iter()
            .map(|r| CoverageOdp {
                id: r.odp.id,
                code: r.odp.code,
                name: r.odp.name,
                location: Location {
                    lat: r.odp.lat,
                    lng: r.odp.lng,
                },
                distance_m: r.distance_m,
                cable_m: r.cable_m,
                free_ports: r.free_ports,
            })
            .collect(),
        max_drop_m: rules.max_drop_m,
        road_factor: rules.road_factor,
        nearest_free_odp_m: found.nearest_free_odp_m,
    }
}

/// Records demand at a place not covered (see `coverage::record_demand`).
pub async fn record_demand(
    state: &AppState,
    ip: &str,
    point: GeoPoint,
    area_id: Option<Uuid>,
    source: &str,
) -> ApiResult<()> {
    coverage::record_demand(
        &state.db,
        ip,
        point,
        area_id,
        source,
        Utc::now(),
        state.config.zone,
    )
    .await?;
    Ok(())
}

/// Coverage check: can this place be connected, and from which ODPs? A place
/// not covered yet is recorded as demand.
#[utoipa::path(get, path = "/coverage", tag = "customers", params(CoverageQuery),
    responses(
        (status = 200, body = Coverage),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn check_coverage(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> ApiResult<axum::Json<Coverage>> {
    let mut c = Checks::default();
    let mut number = |field: &str, value: Option<&str>| match value.map(str::trim) {
        None | Some("") => {
            c.fail(field, "required", "required");
            None
        }
        Some(v) => match v.parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                c.fail(field, "location", format!("{v:?} is not a number"));
                None
            }
        },
    };
    let (lat, lng) = (
        number("lat", query.lat.as_deref()),
        number("lng", query.lng.as_deref()),
    );
    let point = match (lat, lng) {
        (Some(lat), Some(lng)) => c.point("lat", lat, lng),
        _ => None,
    };
    c.finish()?;
    let point = point.ok_or_else(|| ApiError::validation("lat", "location", "invalid place"))?;
    let rules = rules(&state);
    let found = coverage::check(state.db.conn(), point, rules).await?;
    if !found.covered() {
        record_demand(
            &state,
            &ip,
            point,
            found.area.as_ref().map(|a| a.id),
            "coverage_check",
        )
        .await?;
    }
    Ok(axum::Json(to_api(found, rules)))
}

/// A place where someone asked for service that could not be given yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandPoint {
    pub id: Uuid,
    pub location: Location,
    pub area_id: Option<Uuid>,
    #[schema(inline)]
    pub source: DemandSource,
    pub created_at: chrono::DateTime<Utc>,
}

/// How a demand point came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DemandSource {
    /// Somebody checked coverage at the place.
    CoverageCheck,
    /// Somebody registered there.
    Registration,
}

impl DemandSource {
    fn as_str(self) -> &'static str {
        match self {
            DemandSource::CoverageCheck => "coverage_check",
            DemandSource::Registration => "registration",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DemandQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub area_id: Option<Uuid>,
    #[param(inline)]
    pub source: Option<DemandSource>,
}

/// Unmet demand, newest first: where to build next.
#[utoipa::path(get, path = "/demand-points", tag = "customers", params(DemandQuery),
    responses(
        (status = 200, body = List<DemandPoint>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_demand_points(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<DemandQuery>,
) -> ApiResult<axum::Json<List<DemandPoint>>> {
    caller.require(Permission::DemandRead)?;
    let page = coverage::list_demand(
        state.db.conn(),
        query.area_id,
        query.source.map(DemandSource::as_str),
        query.limit,
        query.cursor.as_deref(),
    )
    .await??;
    Ok(axum::Json(List::from_page(page, |r| DemandPoint {
        id: r.id,
        location: Location {
            lat: r.lat,
            lng: r.lng,
        },
        area_id: r.area_id,
        source: if r.source == "registration" {
            DemandSource::Registration
        } else {
            DemandSource::CoverageCheck
        },
        created_at: r.created_at,
    })))
}
