//! NetCrew's HTTP layer: routers by capability, problem errors, the OpenAPI
//! document, and the embedded web app. Business rules live in
//! `netcrew-domain`; queries in `netcrew-store`.

pub mod caller;
pub mod extract;
mod idempotency;
pub mod live;
mod middleware;
mod openapi;
pub mod problem;
pub mod routes;
mod web;

use std::{sync::Arc, time::Duration};

use axum::{Router, extract::DefaultBodyLimit, http::HeaderValue, routing::get};
use metrics_exporter_prometheus::PrometheusHandle;
use netcrew_store::Db;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use middleware::{MAX_HEADER_BYTES, MAX_HEADER_FIELDS, MAX_URI_BYTES};

pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// Settings the HTTP layer needs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub default_locale: String,
    pub time_zone: String,
    /// The zone of `time_zone`: local calendar days are days there.
    pub zone: netcrew_domain::schedule::Zone,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    /// Admins must set up a second factor before they can do anything else.
    pub require_admin_totp: bool,
    /// Behind a reverse proxy: take the client's address from the last
    /// `X-Forwarded-For` entry (the one the proxy added).
    pub trust_forwarded_for: bool,
    /// Map tiles for the web app's maps; `None`: maps without tiles.
    pub map_tile_url: Option<String>,
    /// Longest drop cable from an ODP to a home, in metres.
    pub max_drop_m: f64,
    /// How much longer the cable runs than the straight line.
    pub road_factor: f64,
    /// Reopening window, auto-close delay and the ISP's zone for tickets.
    pub tickets: netcrew_store::tickets::Settings,
    /// The address people open NetCrew at, for links in messages.
    pub public_url: String,
    /// Web Push subscriptions may name a plain `http:` push service (test
    /// set-ups only).
    pub push_allow_http: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            default_locale: "id".to_string(),
            time_zone: "Asia/Jakarta".to_string(),
            zone: netcrew_domain::schedule::Zone::Asia__Jakarta,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            require_admin_totp: false,
            trust_forwarded_for: false,
            map_tile_url: Some(DEFAULT_TILE_URL.to_string()),
            max_drop_m: 250.0,
            road_factor: 1.3,
            tickets: netcrew_store::tickets::Settings::default(),
            public_url: "http://127.0.0.1:8080".to_string(),
            push_allow_http: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<ApiConfig>,
    pub metrics: PrometheusHandle,
    /// The change feed, handed to open event streams.
    pub live: live::Hub,
    /// Where ticket attachments and identity photos are kept.
    pub files: netcrew_store::attachments::Files,
    /// Seals and opens identity documents.
    pub sealer: netcrew_store::identity::Sealer,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NetCrew API",
        description = "Field operations for fibre ISPs: customers, plant, tickets, technicians. \
            Errors are RFC 9457 problems (`application/problem+json`); lists are \
            `{items, next_cursor, total}` with `limit` (1-500, default 50) and `cursor`.",
        license(name = "MIT"),
    ),
    tags(
        (name = "auth", description = "Signing in and out, one's own profile and sessions"),
        (name = "users", description = "Accounts, managed by admins"),
        (name = "teams", description = "Field teams"),
        (name = "api-tokens", description = "Tokens for integrations"),
        (name = "audit", description = "Who changed what, when, from where"),
        (name = "network", description = "Service areas, ODCs, ODPs and their ports"),
        (name = "customers", description = "Customers, coverage check, self-registration, unmet demand"),
        (name = "transfer", description = "CSV import and export"),
        (name = "tickets", description = "Installations and repairs: lifecycle, SLA, comments, timeline"),
        (name = "sla", description = "SLA policies, pause reasons, holidays and area calendars"),
        (name = "live", description = "Server-sent events and in-app notifications"),
        (name = "messages", description = "WhatsApp to customers: gateways, wording, delivery log"),
        (name = "catalog", description = "Service packages and service areas"),
        (name = "outages", description = "Outages: one cause behind many customers' repairs"),
        (name = "dispatch", description = "Technicians' availability, the on-call rota, who may do a ticket and why, assignment"),
        (name = "inventory", description = "Items, stock places, stock on hand, the movement ledger, serial-numbered units, equipment used on jobs"),
        (name = "system", description = "Facts about this installation"),
        (name = "operations", description = "Health, readiness and metrics for operators"),
    )
)]
struct ApiDoc;

/// The routes and their OpenAPI description, before state is attached.
fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(routes::system::api_router())
        .merge(routes::packages::api_router())
        .merge(routes::sign_in::api_router())
        .merge(routes::me::api_router())
        .merge(routes::users::api_router())
        .merge(routes::teams::api_router())
        .merge(routes::tokens::api_router())
        .merge(routes::audit::api_router())
        .merge(routes::totp::api_router())
        .merge(routes::network::api_router())
        .merge(routes::service_catalog::api_router())
        .merge(routes::customers::api_router())
        .merge(routes::portal_accounts::api_router())
        .merge(routes::coverage::api_router())
        .merge(routes::registration::api_router())
        .merge(routes::privacy::api_router())
        .merge(routes::transfer::api_router())
        .merge(routes::tickets::api_router())
        .merge(routes::tracking::api_router())
        .merge(routes::identity::api_router())
        .merge(routes::technicians::api_router())
        .merge(routes::dispatch::api_router())
        .merge(routes::booking::api_router())
        .merge(routes::inventory::api_router())
        .merge(routes::messages::api_router())
        .merge(routes::alerts::api_router())
        .merge(routes::jobs::api_router())
        .merge(routes::outages::api_router())
        .merge(routes::live::api_router())
        .merge(routes::sla::api_router());
    let ops = OpenApiRouter::new()
        .routes(utoipa_axum::routes!(routes::system::healthz))
        .routes(utoipa_axum::routes!(routes::system::readyz))
        .routes(utoipa_axum::routes!(routes::system::metrics));
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(ops)
        .split_for_parts();
    (router, openapi::completed(doc))
}

/// The OpenAPI document (also served at `/api/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// Installs (once per process) the Prometheus recorder and returns its handle.
pub fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    middleware::metrics_handle()
}

/// The whole application: API, docs, operations endpoints and the web app.
pub fn app(state: AppState) -> Router {
    let (api, doc) = routes();
    let config = state.config.clone();
    let api = api
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .route_layer(axum::middleware::from_fn(middleware::track_metrics))
        .route("/api", get(middleware::api_not_found))
        .route(
            "/api/{*rest}",
            get(middleware::api_not_found).fallback(middleware::api_not_found),
        )
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .with_state(state);
    let csp = web::content_security_policy();
    // Outermost last. The security headers wrap everything, so every answer
    // (a 413 from the body limit, a 408, a panic's 500) carries them; the
    // problem conversion wraps the limits, timeouts and panics it converts.
    Router::new()
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", doc))
        .merge(api)
        .fallback(web::serve)
        .layer(axum::middleware::from_fn_with_state(
            config.trust_forwarded_for,
            middleware::forwarded_client,
        ))
        // Extractors (JSON, CSV bodies) default to 2 MiB; the setting rules.
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(axum::middleware::from_fn(middleware::limit_request_head))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(
            middleware::problem_for_bare_errors,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            config.trust_forwarded_for,
            middleware::transport_and_cache_headers,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(middleware::make_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
