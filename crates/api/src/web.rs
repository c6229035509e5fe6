//! The SvelteKit single-page app, embedded in the binary (read from
//! `web/build` on disk in debug builds).

use std::sync::OnceLock;

use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use crate::problem::status_problem;

#[derive(RustEmbed)]
#[folder = "../../web/build"]
#[allow_missing = true]
struct Assets;

const INDEX: &str = "index.html";

/// Serves a file of the app, or `index.html` for client-side routes.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return status_problem(StatusCode::NOT_FOUND).into_response();
    }
    if !path.is_empty()
        && let Some(file) = Assets::get(path)
    {
        let cache = if path.starts_with("_app/immutable/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return file_response(file, path, cache);
    }
    // A missing file (it has an extension) is a 404; anything else is a
    // route of the app, answered by the app's shell.
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match Assets::get(INDEX) {
        Some(file) => file_response(file, INDEX, "no-cache"),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The web app is not built into this binary: run `npm ci && npm run build` in web/ and rebuild.",
        )
            .into_response(),
    }
}

fn file_response(file: rust_embed::EmbeddedFile, path: &str, cache: &'static str) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut response = Response::new(Body::from(file.data.into_owned()));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..8]));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The Content-Security-Policy: scripts only from this origin plus the
/// inline bootstrap of `index.html`, allowed by its hash; no framing.
pub fn content_security_policy() -> HeaderValue {
    static CSP: OnceLock<HeaderValue> = OnceLock::new();
    CSP.get_or_init(|| {
        let index = Assets::get(INDEX)
            .map(|f| String::from_utf8_lossy(&f.data).into_owned())
            .unwrap_or_default();
        let hashes: String = inline_scripts(&index)
            .map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script))))
            .collect();
        let policy = format!(
            "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self' data:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'"))
    })
    .clone()
}

/// The bodies of `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, body) = rest.split_once('>')?;
        if attrs.contains("src=") {
            return None;
        }
        body.split_once("</script>").map(|(script, _)| script)
    })
}

#[cfg(test)]
mod tests {
    use super::inline_scripts;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<head><script type="module" src="/a.js"></script></head>
            <body><script>boot()</script><script type="module">start({})</script></body>"#;
        let found: Vec<_> = inline_scripts(html).collect();
        assert_eq!(found, vec!["boot()", "start({})"]);
    }
}
