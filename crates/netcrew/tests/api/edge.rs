//! The HTTP edge: body, address and header limits, connection timeouts and
//! limits, transport and cache headers, and how JSON bodies are read.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::{TestApp, assert_problem};

const MIB: usize = 1024 * 1024;

/// The security headers every answer carries, errors included.
fn assert_security_headers(headers: &reqwest::header::HeaderMap) {
    assert_eq!(headers["x-content-type-options"], "nosniff", "{headers:?}");
    assert!(
        headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("frame-ancestors 'none'")),
        "{headers:?}"
    );
    assert_eq!(headers["referrer-policy"], "same-origin", "{headers:?}");
}

/// A CSV of the customers export followed by `extra` new customers, each
/// placed in the first service area and on the first package.
async fn customers_csv(app: &TestApp, extra: usize) -> anyhow::Result<String> {
    let admin = app.signed_in("admin").await?;
    let export = admin.get("/api/v1/exports/customers").await?;
    assert_eq!(export.status(), 200);
    let mut csv = export.text().await?;
    let (_, areas) = app.get_json("/api/v1/areas").await?;
    let center = &areas["items"][0]["center"];
    let (lat, lng) = (
        center["lat"].as_f64().unwrap_or_default(),
        center["lng"].as_f64().unwrap_or_default(),
    );
    let (_, packages) = app.get_json("/api/v1/packages").await?;
    let package = packages["items"][0]["name"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no package: {packages}"))?
        .replace('"', "\"\"");
    if !csv.ends_with('\n') {
        csv.push('\n');
    }
    let notes = "Rumah cat hijau, pagar hitam, sebelah warung. ".repeat(3);
    for i in 0..extra {
        csv.push_str(&format!(
            ",Pelanggan Uji {i},+62899{i:09},,,Jl. Uji No. {i},{lat},{lng},\"{package}\",,,prospect,\"{notes}\",,,,,,,\n"
        ));
    }
    Ok(csv)
}

#[tokio::test]
async fn configured_body_limit_holds_above_two_mib() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.max_body_bytes = Some(8 * MIB)).await?;
    let csv = customers_csv(&app, 10_000).await?;
    assert!(csv.len() > 2 * MIB + MIB / 4, "{} bytes", csv.len());
    assert!(csv.len() < 8 * MIB);
    let admin = app.signed_in("admin").await?;
    let response = admin
        .client
        .post(admin.url("/api/v1/imports/customers?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?;
    let status = response.status();
    let report: Value = response.json().await?;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(report["created"], 10_000);
    assert!(report["rows"].as_u64().is_some_and(|r| r > 10_000));

    // A JSON body over 2 MiB reaches the handler too (which refuses the name).
    let name = "n".repeat(3 * MIB);
    let response = admin
        .send(Method::PATCH, "/api/v1/me", Some(json!({ "name": name })))
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "name", "{body}");

    // Beyond the setting it is a 413 problem.
    let response = admin
        .client
        .post(admin.url("/api/v1/imports/customers?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(vec![b'x'; 9 * MIB])
        .send()
        .await?;
    let headers = response.headers().clone();
    assert_problem(response, 413, "/problems/payload-too-large").await?;
    assert_security_headers(&headers);
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn body_over_a_small_limit_is_a_413_problem() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.max_body_bytes = Some(64 * 1024)).await?;
    let csv = customers_csv(&app, 1_000).await?;
    assert!(csv.len() > 100 * 1024);
    let admin = app.signed_in("admin").await?;
    let response = admin
        .client
        .post(admin.url("/api/v1/imports/customers?dry_run=true"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?;
    let headers = response.headers().clone();
    assert_problem(response, 413, "/problems/payload-too-large").await?;
    assert_security_headers(&headers);

    let response = admin
        .send(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "name": "n".repeat(100 * 1024) })),
        )
        .await?;
    let headers = response.headers().clone();
    assert_problem(response, 413, "/problems/payload-too-large").await?;
    assert_security_headers(&headers);

    // Without a Content-Length the body is cut off while it is read.
    let mut stream = connect(&app).await?;
    let chunk = format!(
        "{{\"login\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(64 * 1024)
    );
    let request = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let head = read_head(&mut stream).await?;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(
        head.to_lowercase()
            .contains("x-content-type-options: nosniff")
    );
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn long_addresses_and_large_headers_are_problems() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let long = "q".repeat(9 * 1024);
    for path in [
        format!("/api/v1/packages?q={long}"),
        format!("/console/{long}"),
    ] {
        let response = app.get(&path).await?;
        let headers = response.headers().clone();
        assert_problem(response, 414, "/problems/uri-too-long").await?;
        assert_security_headers(&headers);
    }
    // Just under the limit is fine.
    let fine = app
        .get(&format!("/api/v1/packages?q={}", "q".repeat(7 * 1024)))
        .await?;
    assert_eq!(fine.status(), 200);

    let response = app
        .client
        .get(app.url("/api/v1/packages"))
        .header("x-padding", "p".repeat(20 * 1024))
        .send()
        .await?;
    let headers = response.headers().clone();
    assert_problem(response, 431, "/problems/headers-too-large").await?;
    assert_security_headers(&headers);

    let mut many = app.client.get(app.url("/healthz"));
    for i in 0..150 {
        many = many.header(format!("x-field-{i}"), "v");
    }
    let response = many.send().await?;
    let headers = response.headers().clone();
    assert_problem(response, 431, "/problems/headers-too-large").await?;
    assert_security_headers(&headers);

    // Malformed JSON: a 400 problem, with the security headers.
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"login\":")
        .send()
        .await?;
    let headers = response.headers().clone();
    assert_problem(response, 400, "/problems/malformed-request").await?;
    assert_security_headers(&headers);
    app.stop().await;
    Ok(())
}

async fn connect(app: &TestApp) -> anyhow::Result<TcpStream> {
    Ok(TcpStream::connect(app.base.trim_start_matches("http://")).await?)
}

/// Reads an answer's status line and headers.
async fn read_head(stream: &mut TcpStream) -> anyhow::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut byte)).await??;
        anyhow::ensure!(n == 1, "closed after {:?}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// How long until the server closes the connection (reading and dropping
/// whatever it sends); `None` if it is still open after `limit`.
async fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + limit).into(), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_half_sent_header_is_cut_off() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| {
        s.header_read_timeout_secs = Some(1);
        s.idle_timeout_secs = Some(30);
    })
    .await?;
    let mut stream = connect(&app).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        .await?;
    let closed = closed_after(&mut stream, Duration::from_secs(10)).await;
    assert!(
        closed.is_some_and(|d| d >= Duration::from_millis(900)),
        "closed after {closed:?}"
    );

    // A complete request on a fresh connection is answered as usual.
    let mut stream = connect(&app).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await?;
    assert!(read_head(&mut stream).await?.starts_with("HTTP/1.1 200"));
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn idle_connections_are_closed() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| {
        s.header_read_timeout_secs = Some(30);
        s.idle_timeout_secs = Some(1);
    })
    .await?;
    // Kept alive after an answer, then idle.
    let mut stream = connect(&app).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await?;
    let head = read_head(&mut stream).await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let closed = closed_after(&mut stream, Duration::from_secs(10)).await;
    assert!(
        closed.is_some_and(|d| d >= Duration::from_millis(500)),
        "closed after {closed:?}"
    );
    // Connected, and never a byte sent.
    let mut silent = connect(&app).await?;
    let closed = closed_after(&mut silent, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "a silent connection stayed open");

    // A request being handled is not idle, however long nothing moves.
    let body = r#"{"login":"nobody@example.com","password":"not the password"}"#;
    let (first, rest) = body.split_at(20);
    let mut stream = connect(&app).await?;
    stream
        .write_all(
            format!(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
                body.len()
            )
            .as_bytes(),
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    stream.write_all(rest.as_bytes()).await?;
    let head = read_head(&mut stream).await?;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() -> anyhow::Result<()> {
    let app = TestApp::sqlite_with(|s| s.max_connections = Some(2)).await?;
    let first = connect(&app).await?;
    let mut second = connect(&app).await?;
    second
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await?;
    assert!(read_head(&mut second).await?.starts_with("HTTP/1.1 200"));
    let mut third = connect(&app).await?;
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await?;
    let mut byte = [0u8; 1];
    let waited = tokio::time::timeout(Duration::from_millis(700), third.read(&mut byte)).await;
    assert!(waited.is_err(), "a third connection was served: {waited:?}");
    drop(first);
    let head = read_head(&mut third).await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn hsts_behind_a_trusted_tls_proxy_and_no_store_on_the_api() -> anyhow::Result<()> {
    let trusting = TestApp::sqlite_with(|s| s.trust_forwarded_for = Some(true)).await?;
    let hsts = |r: &reqwest::Response| {
        r.headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };
    let over_tls = trusting
        .client
        .get(trusting.url("/healthz"))
        .header("x-forwarded-proto", "https")
        .send()
        .await?;
    assert_eq!(
        hsts(&over_tls).as_deref(),
        Some("max-age=31536000; includeSubDomains")
    );
    let refused = trusting
        .client
        .post(trusting.url("/api/v1/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({ "login": "nobody@example.com", "password": "wrong password" }))
        .send()
        .await?;
    assert!(hsts(&refused).is_some(), "errors carry HSTS too");
    let plain = trusting
        .client
        .get(trusting.url("/healthz"))
        .header("x-forwarded-proto", "http")
        .send()
        .await?;
    assert_eq!(hsts(&plain), None);
    assert_eq!(hsts(&trusting.get("/healthz").await?), None);
    trusting.stop().await;

    let app = TestApp::sqlite().await?;
    // Not behind a trusted proxy: the header is anyone's to send.
    let untrusted = app
        .client
        .get(app.url("/healthz"))
        .header("x-forwarded-proto", "https")
        .send()
        .await?;
    assert_eq!(hsts(&untrusted), None);

    let admin = app.signed_in("admin").await?;
    for path in ["/api/v1/me", "/api/v1/customers", "/api/v1/nothing-here"] {
        let response = admin.get(path).await?;
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "{path}: {:?}",
            response.headers()
        );
    }
    let anonymous = app.get("/api/v1/packages").await?;
    assert_eq!(anonymous.headers()["cache-control"], "no-store");
    // The web app keeps its own caching rules.
    let index = app.get("/").await?;
    assert_ne!(
        index.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn json_bodies_are_read_strictly() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let cs = app.signed_in("cs").await?;
    let before: Value = cs.get("/api/v1/me").await?.json().await?;

    // An array where an object is expected changes nothing.
    let response = cs
        .send(Method::PATCH, "/api/v1/me", Some(json!(["x", "en"])))
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "body", "{body}");
    assert_eq!(body["errors"][0]["code"], "type", "{body}");
    let after: Value = cs.get("/api/v1/me").await?.json().await?;
    assert_eq!(after["name"], before["name"]);
    assert_eq!(after["locale"], before["locale"]);

    // A missing field and a wrongly typed one are named.
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": "someone@example.com" }))
        .send()
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(
        body["errors"],
        json!([{ "field": "password", "code": "required", "detail": "this field is required" }])
    );
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": 812345678, "password": "x" }))
        .send()
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "login", "{body}");
    assert_eq!(body["errors"][0]["code"], "type", "{body}");
    let response = cs
        .send(Method::PATCH, "/api/v1/me", Some(json!({ "name": ["x"] })))
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "name", "{body}");

    // Malformed JSON is a 400, another content type a 415.
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"login\": \"x\", ")
        .send()
        .await?;
    assert_problem(response, 400, "/problems/malformed-request").await?;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body(r#"{"login":"x","password":"y"}"#)
        .send()
        .await?;
    assert_problem(response, 415, "/problems/unsupported-media-type").await?;

    // 100.0 is an integer.
    let admin = app.signed_in("admin").await?;
    let response = admin
        .send(
            Method::POST,
            "/api/v1/packages",
            Some(json!({
                "name": "Uji Float 100",
                "download_mbps": 100.0,
                "upload_mbps": 50.0,
                "monthly_price_idr": 250000.0,
            })),
        )
        .await?;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await?;
    assert_eq!(created["download_mbps"], 100);
    assert_eq!(created["monthly_price_idr"], 250_000);
    // ... but 100.5 is not.
    let response = admin
        .send(
            Method::POST,
            "/api/v1/packages",
            Some(json!({
                "name": "Uji Float 100.5",
                "download_mbps": 100.5,
                "monthly_price_idr": 250000,
            })),
        )
        .await?;
    let body = assert_problem(response, 422, "/problems/validation").await?;
    assert_eq!(body["errors"][0]["field"], "download_mbps", "{body}");
    assert_eq!(body["errors"][0]["code"], "type", "{body}");
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let address = app.base.trim_start_matches("http://").to_string();
    let body = r#"{"login":"nobody@example.com","password":"not the password"}"#;
    let (first, rest) = body.split_at(20);
    let mut stream = connect(&app).await?;
    stream
        .write_all(
            format!(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
                body.len()
            )
            .as_bytes(),
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = tokio::spawn(app.stop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // No new connections once shutdown has begun ...
    let refused = match TcpStream::connect(&address).await {
        Err(_) => true,
        Ok(mut late) => {
            let _ = late
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
                .await;
            read_head(&mut late).await.is_err()
        }
    };
    assert!(refused, "a new connection was served during shutdown");
    assert!(!stopping.is_finished(), "stopped with a request in flight");
    // ... but the request in flight is answered.
    stream.write_all(rest.as_bytes()).await?;
    let head = read_head(&mut stream).await?;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    tokio::time::timeout(Duration::from_secs(10), stopping).await??;
    Ok(())
}
