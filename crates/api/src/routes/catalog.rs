//! What an ISP sells and where: service packages and service areas. Both are
//! public, so prospects can see them before they register.

use axum::extract::State;
use netcrew_store::{
    catalog::{self, PackageFilter},
    entity::{area, package},
    page::PageRequest,
    plant::{self, AreaFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    extract::ApiQuery,
    problem::{ApiResult, Problem},
    routes::{List, Location},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_packages))
        .routes(routes!(list_areas))
}

/// A service package (internet plan).
#[derive(Debug, Serialize, ToSchema)]
pub struct Package {
    pub id: Uuid,
    #[schema(example = "Rumah 30")]
    pub name: String,
    #[schema(example = 30)]
    pub download_mbps: i32,
    #[schema(example = 30)]
    pub upload_mbps: i32,
    /// Monthly price in whole rupiah.
    #[schema(example = 250000)]
    pub monthly_price_idr: i64,
    pub description: String,
    /// Whether new customers can choose it.
    pub active: bool,
}

impl From<package::Model> for Package {
    fn from(m: package::Model) -> Self {
        Package {
            id: m.id,
            name: m.name,
            download_mbps: m.download_mbps,
            upload_mbps: m.upload_mbps,
            monthly_price_idr: m.monthly_price_idr,
            description: m.description,
            active: m.active,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackageQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Search in name and description.
    pub q: Option<String>,
    /// Only packages that are (or are not) on sale.
    pub active: Option<bool>,
}

/// Lists service packages, by name.
#[utoipa::path(get, path = "/packages", tag = "catalog", params(PackageQuery),
    responses(
        (status = 200, body = List<Package>),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_packages(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PackageQuery>,
) -> ApiResult<axum::Json<List<Package>>> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let filter = PackageFilter {
        q: query.q,
        active: query.active,
    };
    let result = catalog::list_packages(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(result, Package::from)))
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
