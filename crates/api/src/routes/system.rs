//! Process and service health, metrics, and facts about this installation.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    problem::{ApiError, ApiResult, Problem},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(system_info))
}

/// Facts about this installation that every screen may show.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemInfo {
    #[schema(example = "NetCrew")]
    pub name: String,
    #[schema(example = "0.1.0")]
    pub version: String,
    /// The language the interface starts in.
    #[schema(example = "id")]
    pub default_locale: String,
    /// The zone times are shown in (IANA name).
    #[schema(example = "Asia/Jakarta")]
    pub time_zone: String,
    /// Map tile URL template (`{z}/{x}/{y}`), or `null` for maps without tiles.
    #[schema(example = "https://tile.openstreetmap.org/{z}/{x}/{y}.png")]
    pub map_tile_url: Option<String>,
}

/// Name, version, default language and time zone of this installation.
#[utoipa::path(get, path = "/system", tag = "system",
    responses((status = 200, body = SystemInfo)))]
async fn system_info(State(state): State<AppState>) -> axum::Json<SystemInfo> {
    axum::Json(SystemInfo {
        name: "NetCrew".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        default_locale: state.config.default_locale.clone(),
        time_zone: state.config.time_zone.clone(),
        map_tile_url: state.config.map_tile_url.clone(),
    })
}

/// Liveness: the process is up and serving.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is up", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    pub status: String,
    #[schema(example = "sqlite")]
    pub database: String,
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, body = Readiness),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<axum::Json<Readiness>> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        ApiError::Unavailable("The database does not answer.".to_string())
    })?;
    Ok(axum::Json(Readiness {
        status: "ready".to_string(),
        database: state.db.backend().as_str().to_string(),
    }))
}

/// Prometheus metrics: requests by route and status, latencies, database pool.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let stats = state.db.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(stats.size));
    metrics::gauge!("db_pool_idle_connections").set(f64::from(stats.idle));
    metrics::gauge!("db_pool_max_connections").set(f64::from(stats.max));
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
