use netcrew_store::{
    entity::{customer, odp},
    sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder},
};

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    health_readiness_and_metrics,
    unknown_api_paths_and_methods_are_problems,
    demo_plant_is_consistent,
);

async fn health_readiness_and_metrics(app: &TestApp) -> anyhow::Result<()> {
    let health = app.get("/healthz").await?;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await?, "ok");

    let (status, ready) = app.get_json("/readyz").await?;
    assert_eq!(status, 200);
    assert_eq!(ready["status"], "ready");

    app.get("/api/v1/packages").await?;
    let metrics = app.get("/metrics").await?.text().await?;
    assert!(
        metrics
            .contains(r#"http_requests_total{method="GET",route="/api/v1/packages",status="200"}"#),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    assert!(metrics.contains("db_pool_max_connections 5"));
    Ok(())
}

async fn unknown_api_paths_and_methods_are_problems(app: &TestApp) -> anyhow::Result<()> {
    for path in ["/api/v1/nothing-here", "/api/v2/packages", "/api"] {
        assert_problem(app.get(path).await?, 404, "/problems/not-found").await?;
    }
    let delete = app
        .client
        .delete(app.url("/api/v1/packages"))
        .send()
        .await?;
    assert_problem(delete, 405, "/problems/method-not-allowed").await?;
    Ok(())
}

async fn demo_plant_is_consistent(app: &TestApp) -> anyhow::Result<()> {
    let db = app.db.conn();
    assert_eq!(odp::Entity::find().count(db).await?, app.demo.odps as u64);
    // No ODP serves more customers than it has ports, and ports are 1..=port_count.
    for odp in odp::Entity::find().all(db).await? {
        let on_it = customer::Entity::find()
            .filter(customer::Column::OdpId.eq(odp.id))
            .order_by_asc(customer::Column::OdpPort)
            .all(db)
            .await?;
        assert!(
            on_it.len() <= odp.port_count as usize,
            "{} overfull",
            odp.code
        );
        assert!(on_it.iter().all(|c| {
            c.odp_port
                .is_some_and(|p| (1..=odp.port_count).contains(&p))
        }));
        if odp.status == "full" {
            assert_eq!(
                on_it.len(),
                odp.port_count as usize,
                "{} marked full",
                odp.code
            );
        }
        for c in &on_it {
            assert!(c.phone.starts_with("+62"), "{}", c.phone);
        }
    }
    let roles: Vec<&str> = app.demo.accounts.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(
        roles,
        [
            "admin",
            "supervisor",
            "cs",
            "management",
            "technician",
            "customer",
            "warehouse"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn demo_data_is_deterministic() -> anyhow::Result<()> {
    let a = TestApp::sqlite().await?;
    let b = TestApp::sqlite().await?;
    let first = |app: &TestApp| {
        let db = app.db.conn().clone();
        async move {
            customer::Entity::find()
                .order_by_asc(customer::Column::CustomerNumber)
                .all(&db)
                .await
                .map(|rows| {
                    rows.into_iter()
                        .take(50)
                        .map(|c| (c.customer_number, c.name, c.phone, c.address))
                        .collect::<Vec<_>>()
                })
        }
    };
    assert_eq!(first(&a).await?, first(&b).await?);
    assert_eq!(a.demo.accounts, b.demo.accounts);
    a.stop().await;
    b.stop().await;
    Ok(())
}

#[tokio::test]
async fn openapi_document_and_offline_docs_ui() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let (status, doc) = app.get_json("/api/openapi.json").await?;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    for path in [
        "/api/v1/packages",
        "/api/v1/areas",
        "/api/v1/system",
        "/healthz",
        "/readyz",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the document"
        );
    }

    let ui = app.get("/api/docs/").await?;
    assert_eq!(ui.status(), 200);
    let html = ui.text().await?;
    assert!(html.contains("swagger"), "{html}");
    // Everything the docs UI loads comes from this server, not a CDN.
    assert!(
        !html.contains("https://"),
        "docs UI refers to the internet: {html}"
    );
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await?;
    assert_eq!(bundle.status(), 200);
    app.stop().await;
    Ok(())
}

#[tokio::test]
async fn committed_openapi_document_is_current() -> anyhow::Result<()> {
    let generated = netcrew_api::openapi().to_pretty_json()?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path)?;
    assert!(
        committed.trim_end() == generated.trim_end(),
        "docs/openapi.json is stale: run `cargo run -p netcrew -- openapi > docs/openapi.json` and `npm run gen:api` in web/"
    );
    Ok(())
}

#[tokio::test]
async fn web_app_is_served_with_spa_fallback_and_cache_rules() -> anyhow::Result<()> {
    let app = TestApp::sqlite().await?;
    let index = app.get("/").await?;
    assert_eq!(
        index.status(),
        200,
        "is web/build there? run `npm run build` in web/"
    );
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let csp = index.headers()["content-security-policy"]
        .to_str()?
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(index.headers()["x-content-type-options"], "nosniff");
    let html = index.text().await?;
    assert!(html.contains("NetCrew"));

    // A client-side route gets the app shell, not a 404.
    let deep = app.get("/console/some/deep/route").await?;
    assert_eq!(deep.status(), 200);
    assert_eq!(deep.text().await?, html);

    // Hashed assets are cached forever.
    let asset = html
        .split('"')
        .find(|s| s.contains("/_app/immutable/") && s.ends_with(".js"))
        .ok_or_else(|| anyhow::anyhow!("no immutable asset referenced in index.html"))?;
    let asset_path = format!(
        "/_app/immutable/{}",
        asset.split("/_app/immutable/").nth(1).unwrap_or_default()
    );
    let response = app.get(&asset_path).await?;
    assert_eq!(response.status(), 200, "{asset_path}");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()?
            .contains("javascript")
    );

    // A missing file is a 404, not the app shell.
    assert_eq!(app.get("/_app/immutable/missing.js").await?.status(), 404);
    // Each response carries a request id; a given one is echoed.
    let traced = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "req-test-123")
        .send()
        .await?;
    assert_eq!(traced.headers()["x-request-id"], "req-test-123");
    assert!(
        app.get("/healthz")
            .await?
            .headers()
            .contains_key("x-request-id")
    );
    app.stop().await;
    Ok(())
}

#[test]
fn permissions_doc_is_current() -> anyhow::Result<()> {
    let generated = netcrew_domain::access::matrix_markdown();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/permissions.md");
    if std::env::var_os("NETCREW_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated)?;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/permissions.md is stale: run NETCREW_UPDATE_DOCS=1 cargo test -p netcrew --test api permissions"
    );
    Ok(())
}

/// The HTTP layer holds no query: it calls the store, which alone speaks to
/// the database library (docs/architecture.md, "Invariants").
#[test]
fn the_api_crate_holds_no_query() -> anyhow::Result<()> {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../api"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    assert!(
        !manifest.contains("sea-orm") && !manifest.contains("sea-query"),
        "crates/api depends on the database library"
    );
    let mut offenders = Vec::new();
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)?;
                if text.contains("sea_orm") || text.contains("sea_query") {
                    offenders.push(path.display().to_string());
                }
            }
        }
    }
    assert!(offenders.is_empty(), "SeaORM used in {offenders:?}");
    Ok(())
}
