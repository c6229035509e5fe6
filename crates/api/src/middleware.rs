//! Cross-cutting request handling: metrics, request logs, problems for
//! errors that arrive without a body.

use std::{sync::OnceLock, time::Instant};

use axum::{
    body::Body,
    extract::{MatchedPath, Request},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::problem::status_problem;

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// Installs the process-wide Prometheus recorder once (servers started in
/// the same process, as in tests, share it).
pub fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".to_string()),
                    &[
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0,
                    ],
                )
                .and_then(PrometheusBuilder::install_recorder)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| anyhow::anyhow!("cannot set up metrics: {e}"))
}

/// Counts requests and their latency by route template (never by raw path,
/// which would put ids in label values).
pub async fn track_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

/// Behind a trusted reverse proxy, the client is the last address of
/// `X-Forwarded-For`; rate limits and the audit log then see the real
/// client, not the proxy.
pub async fn forwarded_client(
    axum::extract::State(trust): axum::extract::State<bool>,
    mut req: Request,
    next: Next,
) -> Response {
    if trust
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
    {
        let port = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.port())
            .unwrap_or(0);
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                ip, port,
            )));
    }
    next.run(req).await
}

pub async fn api_not_found() -> Response {
    status_problem(StatusCode::NOT_FOUND).into_response()
}

pub async fn method_not_allowed() -> Response {
    status_problem(StatusCode::METHOD_NOT_ALLOWED).into_response()
}

/// Errors produced below the handlers (timeouts, body limits, panics) come
/// without a body; under `/api` they are turned into problems.
pub async fn problem_for_bare_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    if is_api
        && (status.is_client_error() || status.is_server_error())
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        let mut problem = status_problem(status).into_response();
        for (name, value) in response.headers() {
            if name != header::CONTENT_LENGTH {
                problem.headers_mut().entry(name).or_insert(value.clone());
            }
        }
        return problem;
    }
    response
}

pub fn make_span(req: &Request<Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // Query strings and headers (cookies, tokens) are never logged.
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %request_id,
    )
}
