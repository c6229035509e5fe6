use std::collections::HashSet;

use crate::{
    both_backends,
    support::{TestApp, assert_problem},
};

both_backends!(
    packages_list_with_filters_and_search,
    pagination_walks_every_item_once,
    bad_list_parameters_are_validation_problems,
    areas_list_with_search,
);

async fn packages_list_with_filters_and_search(app: &TestApp) -> anyhow::Result<()> {
    let (status, body) = app.get_json("/api/v1/packages").await?;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 6);
    assert!(body["next_cursor"].is_null());
    let first = &body["items"][0];
    for field in [
        "id",
        "name",
        "download_mbps",
        "upload_mbps",
        "monthly_price_idr",
        "active",
    ] {
        assert!(!first[field].is_null(), "{field} missing in {first}");
    }

    let (_, on_sale) = app.get_json("/api/v1/packages?active=true").await?;
    assert_eq!(on_sale["total"], 5);
    assert!(
        on_sale["items"]
            .as_array()
            .is_some_and(|items| items.iter().all(|p| p["active"] == true))
    );

    let (_, found) = app.get_json("/api/v1/packages?q=BISNIS").await?;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["name"], "Bisnis 200");
    assert_eq!(found["items"][0]["monthly_price_idr"], 1_250_000);
    Ok(())
}

async fn pagination_walks_every_item_once(app: &TestApp) -> anyhow::Result<()> {
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/packages?limit=4&cursor={c}"),
            None => "/api/v1/packages?limit=4".to_string(),
        };
        let (status, body) = app.get_json(&path).await?;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 6, "total counts all matches, not the page");
        for item in body["items"].as_array().into_iter().flatten() {
            assert!(seen.insert(item["id"].to_string()), "{item} seen twice");
        }
        pages += 1;
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (6, 2));
    Ok(())
}

async fn bad_list_parameters_are_validation_problems(app: &TestApp) -> anyhow::Result<()> {
    for (query, field) in [
        ("limit=0", Some("limit")),
        ("limit=501", Some("limit")),
        ("cursor=bm90LWEtY3Vyc29y", Some("cursor")),
        ("limit=lots", None),
        ("active=maybe", None),
    ] {
        let response = app.get(&format!("/api/v1/packages?{query}")).await?;
        let body = assert_problem(response, 422, "/problems/validation").await?;
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
        }
    }
    Ok(())
}

async fn areas_list_with_search(app: &TestApp) -> anyhow::Result<()> {
    let (status, body) = app.get_json("/api/v1/areas").await?;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 8);
    let first = &body["items"][0];
    assert_eq!(first["city"], "Bandung");
    assert!(
        first["center"]["lat"]
            .as_f64()
            .is_some_and(|lat| (-7.1..-6.7).contains(&lat))
    );
    assert!(
        first["center"]["lng"]
            .as_f64()
            .is_some_and(|lng| (107.4..107.8).contains(&lng))
    );

    let (_, found) = app.get_json("/api/v1/areas?q=coblong").await?;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["code"], "BDG-CBL");
    let (_, none) = app.get_json("/api/v1/areas?city=Jakarta").await?;
    assert_eq!(none["total"], 0);
    Ok(())
}
