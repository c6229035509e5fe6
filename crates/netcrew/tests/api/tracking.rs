//! The customer's "technician on the way" link: the `on_the_way` message
//! carries it, it shows the technician's recent position, distance and
//! arrival time while they are on the way, stops at arrival, and answers
//! 404 for an unknown link or a finished ticket.

use chrono::{Duration, Utc};
use netcrew_domain::{GeoPoint, tracking::eta_minutes};
use netcrew_store::{
    entity::technician_profile,
    sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr},
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_backends,
    support::{Session, TestApp, assert_problem, step, text},
};

both_backends!(
    the_customer_follows_the_technician_until_arrival,
    unknown_links_are_not_found,
);

/// The ticket's `on_the_way` message, once written.
async fn on_the_way(admin: &Session, ticket: &str) -> anyhow::Result<Value> {
    for _ in 0..50 {
        let (status, list) = admin
            .json(&format!("/api/v1/messages?ticket_id={ticket}"))
            .await?;
        anyhow::ensure!(status == 200, "{list}");
        if let Some(m) = list["items"]
            .as_array()
            .and_then(|i| i.iter().find(|m| m["event"] == "on_the_way"))
        {
            return Ok(m.clone());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("no on_the_way message for {ticket}")
}

/// The tracking page's answer, asked without signing in.
async fn track(app: &TestApp, token: &str) -> anyhow::Result<reqwest::Response> {
    Ok(app
        .client
        .get(app.url(&format!("/api/v1/track/{token}")))
        .send()
        .await?)
}

async fn the_customer_follows_the_technician_until_arrival(app: &TestApp) -> anyhow::Result<()> {
    let admin = app.signed_in("admin").await?;
    let supervisor = app.signed_in("supervisor").await?;
    let technician = app.signed_in("technician").await?;
    let customer = app.signed_in("customer").await?;
    // WhatsApp on, through a gateway nobody answers: the message is written
    // (and waits for its next try) all the same.
    let r = admin
        .send(
            Method::PUT,
            "/api/v1/channels/whatsapp",
            Some(json!({"enabled": true,
                "gateways": [{"kind": "fonnte", "base_url": "http://127.0.0.1:9", "token": "t"}],
                "quiet_start": null, "quiet_end": null, "daily_limit": 20, "sender_name": "NetFiber"})),
        )
        .await?;
    anyhow::ensure!(r.status() == 200, "{}", r.text().await?);

    let r = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"description": "Internet mati, lampu LOS merah"})),
        )
        .await?;
    anyhow::ensure!(r.status() == 201);
    let t: Value = r.json().await?;
    let id = text(&t["id"])?.to_string();
    let number = text(&t["number"])?.to_string();
    let place = GeoPoint::new(
        t["location"]["lat"].as_f64().unwrap_or_default(),
        t["location"]["lng"].as_f64().unwrap_or_default(),
    )?;
    let (_, tech) = technician.json("/api/v1/me").await?;
    let (_, seen) = supervisor.json(&format!("/api/v1/tickets/{id}")).await?;
    let t = step(
        &supervisor,
        &seen,
        json!({"to": "assigned", "technician_id": tech["id"]}),
    )
    .await?;
    let t = step(&technician, &t, json!({"to": "accepted"})).await?;
    // The technician's phone shares where they are: 3 km away.
    let at = place.offset(3_000.0, 45.0);
    let r = technician
        .send(
            Method::POST,
            "/api/v1/technicians/me/position",
            Some(json!({"lat": at.lat, "lng": at.lng, "accuracy_m": 12.0})),
        )
        .await?;
    assert_eq!(r.status(), 204);
    let t = step(&technician, &t, json!({"to": "en_route"})).await?;

    // The message holds the link to this server's tracking page.
    let message = on_the_way(&admin, &id).await?;
    let body = text(&message["body"])?;
    let prefix = format!("{}/track/", app.base);
    let start = body
        .find(&prefix)
        .ok_or_else(|| anyhow::anyhow!("no tracking link in {body}"))?
        + prefix.len();
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "{body}");
    assert!(body.contains("Lihat posisi teknisi:"), "{body}");

    // Anyone with the link sees the technician coming, and nothing more.
    let r = track(app, &token).await?;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let seen: Value = r.json().await?;
    assert_eq!(seen["number"], json!(number), "{seen}");
    assert_eq!(seen["status"], "en_route");
    assert_eq!(seen["stage"], "on_the_way");
    assert_eq!(seen["technician_name"], tech["name"]);
    assert_eq!(seen["destination"], t["location"]);
    let distance = seen["position"]["distance_m"].as_f64().unwrap_or_default();
    assert!((2_990.0..=3_010.0).contains(&distance), "{seen}");
    assert_eq!(
        seen["position"]["eta_minutes"],
        json!(eta_minutes(distance)),
        "{seen}"
    );
    assert!(seen["position"]["at"].is_string());
    assert!(
        (seen["position"]["location"]["lat"]
            .as_f64()
            .unwrap_or_default()
            - at.lat)
            .abs()
            < 1e-9
    );
    let all = seen.to_string();
    for private in ["phone", "customer", "address", "email"] {
        assert!(!all.contains(private), "{private} in {all}");
    }
    if let Some(phone) = tech["phone"].as_str().filter(|p| !p.is_empty()) {
        assert!(!all.contains(phone), "{all}");
    }

    // A position more than ten minutes old is not shown.
    netcrew_store::entity::technician_profile::Entity::update_many()
        .col_expr(
            technician_profile::Column::LastPositionAt,
            Expr::value(Some(Utc::now() - Duration::minutes(20))),
        )
        .filter(technician_profile::Column::UserId.eq(uuid::Uuid::parse_str(text(&tech["id"])?)?))
        .exec(app.db.conn())
        .await?;
    let (_, stale) = app.get_json(&format!("/api/v1/track/{token}")).await?;
    assert_eq!(stale["stage"], "on_the_way");
    assert_eq!(stale["position"], Value::Null, "{stale}");

    // Arrived: the page says so, without any position.
    let r = technician
        .send(
            Method::POST,
            "/api/v1/technicians/me/position",
            Some(json!({"lat": place.lat, "lng": place.lng})),
        )
        .await?;
    assert_eq!(r.status(), 204);
    let t = step(&technician, &t, json!({"to": "on_site"})).await?;
    let (status, arrived) = app.get_json(&format!("/api/v1/track/{token}")).await?;
    assert_eq!(status, 200);
    assert_eq!(arrived["status"], "on_site");
    assert_eq!(arrived["stage"], "arrived");
    assert_eq!(arrived["position"], Value::Null, "{arrived}");

    // Done: the link no longer works.
    crate::support::document_job(&technician, &t).await?;
    step(&technician, &t, json!({"to": "resolved"})).await?;
    assert_problem(track(app, &token).await?, 404, "/problems/not-found").await?;
    Ok(())
}

async fn unknown_links_are_not_found(app: &TestApp) -> anyhow::Result<()> {
    for token in [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x",
        "not%20a%20token",
        &"a".repeat(300),
    ] {
        assert_problem(track(app, token).await?, 404, "/problems/not-found").await?;
    }
    // The page itself is the web app's, served to anyone.
    let r = app
        .get("/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await?;
    assert_ne!(r.status().as_u16(), 404);
    Ok(())
}
