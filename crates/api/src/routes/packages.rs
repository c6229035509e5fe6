//! Service packages: what the ISP sells. The list is public, so prospects
//! see it before they register; staff with `network.manage` change it.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::{
    catalog::{self, PackageChange, PackageFilter},
    entity::package,
    page::PageRequest,
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
    routes::{List, created},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_packages, create_package))
        .routes(routes!(update_package))
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

impl From<PackageInput> for PackageChange {
    fn from(i: PackageInput) -> Self {
        PackageChange {
            id: i.id,
            name: i.name,
            download_mbps: i.download_mbps,
            upload_mbps: i.upload_mbps,
            monthly_price_idr: i.monthly_price_idr,
            description: i.description,
            active: i.active,
        }
    }
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
    let saved =
        catalog::save_package(&state.db, &caller.actor(), None, body.into(), Utc::now()).await?;
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
    let current = catalog::package(state.db.conn(), id).await?;
    let saved = catalog::save_package(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Package::from(saved)))
}
