//! Cross-cutting request handling: metrics, request logs, problems for
//! errors that arrive without a body.

use std::{sync::OnceLock, time::Instant};

use axum::{
    body::Body,
    extract::{MatchedPath, Request},
    http::{HeaderValue, StatusCode, header},
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

/// Errors produced below the handlers (timeouts, body limits, panics,
/// extractor rejections) come without a body or as plain text; under `/api`
/// they are turned into problems, and so is every 400, 408, 413, 414 and
/// 431 elsewhere.
pub async fn problem_for_bare_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    let always = [
        StatusCode::BAD_REQUEST,
        StatusCode::REQUEST_TIMEOUT,
        StatusCode::PAYLOAD_TOO_LARGE,
        StatusCode::URI_TOO_LONG,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    ];
    if plain
        && (always.contains(&status)
            || is_api && (status.is_client_error() || status.is_server_error()))
    {
        let mut problem = status_problem(status).into_response();
        for (name, value) in response.headers() {
            if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
                problem.headers_mut().entry(name).or_insert(value.clone());
            }
        }
        return problem;
    }
    response
}

/// Longest request target (path and query) accepted, in bytes; longer ones
/// get a 414 problem. Below the HTTP parser's own limit, so that the answer
/// is a problem and not the parser's bare status.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest header section accepted (names, values and line ends), in bytes;
/// larger ones get a 431 problem.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Most header fields accepted; more get a 431 problem.
pub const MAX_HEADER_FIELDS: usize = 100;

/// Refuses request heads beyond [`MAX_URI_BYTES`], [`MAX_HEADER_BYTES`] and
/// [`MAX_HEADER_FIELDS`] before anything else looks at them.
pub async fn limit_request_head(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let uri_len = uri.authority().map_or(0, |a| a.as_str().len())
        + uri.path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return status_problem(StatusCode::URI_TOO_LONG).into_response();
    }
    let headers = req.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADER_FIELDS || header_bytes > MAX_HEADER_BYTES {
        return status_problem(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).into_response();
    }
    next.run(req).await
}

/// Whether a trusted proxy says the client reached it over TLS: the first
/// (client-side) entry of `X-Forwarded-Proto` is `https`.
fn forwarded_https(req: &Request) -> bool {
    req.headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// `Strict-Transport-Security` on answers to requests that came over TLS
/// (as a trusted proxy reports it), and `Cache-Control: no-store` on API
/// answers that do not set their own caching: they may carry personal data
/// or a CSRF token, and must not be kept by browsers or shared caches.
pub async fn transport_and_cache_headers(
    axum::extract::State(trust_forwarded): axum::extract::State<bool>,
    req: Request,
    next: Next,
) -> Response {
    let https = trust_forwarded && forwarded_https(&req);
    let path = req.uri().path();
    let api = path == "/api/v1" || path.starts_with("/api/v1/");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if https {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ));
    }
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

pub fn make_span(req: &Request<Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // Query strings and headers (cookies, tokens) are never logged, nor the
    // secret part of a webhook's address.
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
        request_id = %request_id,
    )
}

/// A request path as logs may keep it: a webhook's secret last segment and
/// a tracking link's token (the API's and the page's) are masked.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    if let Some(rest) = path.strip_prefix("/api/v1/webhooks/") {
        let kept: Vec<&str> = rest.split('/').take(2).collect();
        return std::borrow::Cow::Owned(format!("/api/v1/webhooks/{}/***", kept.join("/")));
    }
    for prefix in ["/api/v1/track/", "/track/"] {
        if path.starts_with(prefix) {
            return std::borrow::Cow::Owned(format!("{prefix}***"));
        }
    }
    std::borrow::Cow::Borrowed(path)
}

#[cfg(test)]
mod log_tests {
    use super::loggable_path;

    #[test]
    fn webhook_secrets_stay_out_of_logs() {
        assert_eq!(
            loggable_path("/api/v1/webhooks/whatsapp/fonnte/s3cr3t"),
            "/api/v1/webhooks/whatsapp/fonnte/***"
        );
        assert_eq!(loggable_path("/api/v1/tickets"), "/api/v1/tickets");
        assert_eq!(
            loggable_path("/api/v1/track/abcDEF_-1"),
            "/api/v1/track/***"
        );
        assert_eq!(loggable_path("/track/abcDEF_-1"), "/track/***");
    }
}
