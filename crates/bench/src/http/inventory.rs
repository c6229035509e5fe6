//! The inventory cases of `netcrew-bench http` (`--cases inventory`), as
//! the demo storekeeper with a session cookie, over the demo's year of
//! movements:
//!
//! - (i) the balance of one item at one place: the stock list filtered to
//!   the warehouse's largest line;
//! - the first page of stock on hand over the ISP's own places, among
//!   hundreds of thousands of customers' homes;
//! - (j) a technician's stock: the technician holding the most lines;
//! - (k) a serial-numbered unit with its whole history: the unit with the
//!   most movements;
//! - (l) posting a movement: each client issues one unit of that item from
//!   the warehouse to its own technician, all of them taking from the same
//!   balance.
//!
//! With `--breakdown`, the balance is also read directly from the store
//! both ways at the same concurrency: the maintained balance row, and the
//! sum over the ledger it replaces.

use std::sync::Arc;

use anyhow::{Context, ensure};
use netcrew_store::{
    Db,
    demo::DemoAccount,
    entity::{inventory_item, stock_balance, stock_location, stock_movement},
    inventory,
    sea_orm::{
        ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Uuid,
        sea_query::Expr,
    },
};
use reqwest::{Url, header::HeaderMap};

use super::{Call, HttpArgs, Probe, Row, account, header, measure, probe, sequence, sign_in};

/// What the inventory cases ask for, picked from the database.
pub(super) struct Picks {
    /// Movements in the ledger.
    movements: i64,
    /// The warehouse line with the most on hand: place, item, quantity.
    warehouse: Uuid,
    item: Uuid,
    on_hand: i64,
    /// The technician holding the most lines, and how many.
    technician: (Uuid, i64),
    /// The unit with the most movements, and how many.
    asset: (Uuid, i64),
    /// Technicians to issue to, one a client.
    issue_to: Vec<Uuid>,
}

async fn picks(db: &Db, clients: usize) -> anyhow::Result<Picks> {
    let conn = db.conn();
    let movements: i64 = stock_movement::Entity::find()
        .select_only()
        .expr(Expr::cust("COUNT(*)"))
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or(0);
    let warehouses: Vec<Uuid> = stock_location::Entity::find()
        .select_only()
        .column(stock_location::Column::Id)
        .filter(stock_location::Column::Kind.eq("warehouse"))
        .into_tuple()
        .all(conn)
        .await?;
    let counted: Vec<Uuid> = inventory_item::Entity::find()
        .select_only()
        .column(inventory_item::Column::Id)
        .filter(inventory_item::Column::SerialTracked.eq(false))
        .into_tuple()
        .all(conn)
        .await?;
    let (item, warehouse, on_hand): (Uuid, Uuid, i64) = stock_balance::Entity::find()
        .select_only()
        .columns([
            stock_balance::Column::ItemId,
            stock_balance::Column::LocationId,
            stock_balance::Column::Quantity,
        ])
        .filter(stock_balance::Column::LocationId.is_in(warehouses))
        .filter(stock_balance::Column::ItemId.is_in(counted))
        .order_by_desc(stock_balance::Column::Quantity)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("the demo data has no counted item in a warehouse")?;
    let technician_places: Vec<(Uuid, Uuid)> = stock_location::Entity::find()
        .select_only()
        .columns([stock_location::Column::Id, stock_location::Column::UserId])
        .filter(stock_location::Column::Kind.eq("technician"))
        .filter(stock_location::Column::UserId.is_not_null())
        .order_by_asc(stock_location::Column::Name)
        .into_tuple()
        .all(conn)
        .await?;
    ensure!(
        !technician_places.is_empty(),
        "the demo data has no technician holding stock"
    );
    let (busiest, lines): (Uuid, i64) = stock_balance::Entity::find()
        .select_only()
        .column(stock_balance::Column::LocationId)
        .expr(Expr::cust("COUNT(*)"))
        .filter(
            stock_balance::Column::LocationId
                .is_in(technician_places.iter().map(|(place, _)| *place)),
        )
        .filter(stock_balance::Column::Quantity.gt(0))
        .group_by(stock_balance::Column::LocationId)
        .order_by_desc(Expr::cust("COUNT(*)"))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("no technician holds stock")?;
    let technician = technician_places
        .iter()
        .find(|(place, _)| *place == busiest)
        .map(|(_, user)| *user)
        .context("the busiest technician's place")?;
    let asset: (Uuid, i64) = stock_movement::Entity::find()
        .select_only()
        .column(stock_movement::Column::AssetId)
        .expr(Expr::cust("COUNT(*)"))
        .filter(stock_movement::Column::AssetId.is_not_null())
        .group_by(stock_movement::Column::AssetId)
        .order_by_desc(Expr::cust("COUNT(*)"))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("the demo data has no serial-numbered unit")?;
    let issue_to = technician_places
        .iter()
        .map(|(_, user)| *user)
        .cycle()
        .take(clients.max(1))
        .collect();
    Ok(Picks {
        movements,
        warehouse,
        item,
        on_hand,
        technician: (technician, lines),
        asset,
        issue_to,
    })
}

fn api(base: &Url, path: &str, params: &[(&str, &str)]) -> anyhow::Result<Url> {
    Ok(Url::parse_with_params(
        base.join(&format!("api/v1{path}"))?.as_str(),
        params,
    )?)
}

/// POSTs `body` to `url` and wants a 201.
async fn created(
    client: &reqwest::Client,
    url: &Url,
    headers: &HeaderMap,
    body: &serde_json::Value,
) -> anyhow::Result<usize> {
    let response = client
        .post(url.clone())
        .headers(headers.clone())
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    ensure!(
        status == 201,
        "POST {url}: HTTP {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    Ok(bytes.len())
}

/// Each call issues one unit to the client's own technician.
fn issuer(
    client: reqwest::Client,
    url: Url,
    headers: HeaderMap,
    body: Arc<serde_json::Value>,
) -> Call {
    Box::new(move || {
        let client = client.clone();
        let url = url.clone();
        let headers = headers.clone();
        let body = body.clone();
        Box::pin(async move {
            created(&client, &url, &headers, &body).await?;
            Ok(())
        })
    })
}

/// Runs the inventory cases and answers their rows.
pub(super) async fn rows(
    args: &HttpArgs,
    base: &Url,
    db: &Db,
    accounts: &[DemoAccount],
    setup: &reqwest::Client,
    clients: &[reqwest::Client],
) -> anyhow::Result<(Vec<Row>, Picks)> {
    let started = std::time::Instant::now();
    let p = picks(db, args.clients).await?;
    println!(
        "inventory cases: {} movements; warehouse {} holds {} of item {}; technician {} \
         ({} lines); unit {} ({} movements) (picked in {:.1} s)",
        p.movements,
        p.warehouse,
        p.on_hand,
        p.item,
        p.technician.0,
        p.technician.1,
        p.asset.0,
        p.asset.1,
        started.elapsed().as_secs_f64()
    );
    let keeper = account(accounts, "warehouse")?;
    let (cookie, csrf) = sign_in(setup, base, &keeper.login, &keeper.password).await?;
    let mut reading = HeaderMap::new();
    let (name, value) = header("cookie", &cookie)?;
    reading.insert(name, value);
    if args.gzip {
        let (name, value) = header("accept-encoding", "gzip")?;
        reading.insert(name, value);
    }
    let (warehouse, item) = (p.warehouse.to_string(), p.item.to_string());
    let gets = [
        (
            "`GET /api/v1/inventory/stock?location_id=…&item_id=…` (one balance)".to_string(),
            api(
                base,
                "/inventory/stock",
                &[("location_id", &warehouse), ("item_id", &item)],
            )?,
        ),
        (
            "`GET /api/v1/inventory/stock?limit=50` (the first page, the ISP's own places)"
                .to_string(),
            api(base, "/inventory/stock", &[("limit", "50")])?,
        ),
        (
            "`GET /api/v1/technicians/{id}/stock` (a technician's stock)".to_string(),
            api(base, &format!("/technicians/{}/stock", p.technician.0), &[])?,
        ),
        (
            "`GET /api/v1/inventory/assets/{id}` (a unit and its history)".to_string(),
            api(base, &format!("/inventory/assets/{}", p.asset.0), &[])?,
        ),
    ];
    let mut rows = Vec::new();
    for (label, url) in gets {
        let urls = vec![url.clone()];
        rows.push(Row {
            label,
            probe: probe(setup, &url, &reading).await?,
            load: measure(args, |i| {
                sequence(clients[i].clone(), urls.clone(), reading.clone())
            })
            .await?,
        });
    }

    // Posting: a large delivery first, so no issue runs short, then each
    // client issues one unit to its own technician from that one balance.
    let mut writing = reading.clone();
    let (name, value) = header("x-csrf-token", &csrf)?;
    writing.insert(name, value);
    let movements = api(base, "/inventory/movements", &[])?;
    created(
        setup,
        &movements,
        &writing,
        &serde_json::json!({
            "kind": "receipt", "item_id": p.item, "quantity": 1_000_000,
            "to_location_id": p.warehouse, "reason": "Benchmark delivery",
        }),
    )
    .await?;
    let bodies: Vec<Arc<serde_json::Value>> = p
        .issue_to
        .iter()
        .map(|technician| {
            Arc::new(serde_json::json!({
                "kind": "issue", "item_id": p.item, "quantity": 1,
                "from_location_id": p.warehouse, "to_technician_id": technician,
            }))
        })
        .collect();
    let bytes = created(setup, &movements, &writing, &bodies[0]).await?;
    rows.push(Row {
        label: "`POST /api/v1/inventory/movements` (an issue from one warehouse balance)"
            .to_string(),
        probe: Probe {
            bytes,
            items: None,
            next_cursor: None,
        },
        load: measure(args, |i| {
            issuer(
                clients[i].clone(),
                movements.clone(),
                writing.clone(),
                bodies[i % bodies.len()].clone(),
            )
        })
        .await?,
    });
    Ok((rows, p))
}

/// The balance read from the store both ways: the maintained row, and the
/// sum over the ledger.
pub(super) async fn breakdown(args: &HttpArgs, db: &Db, p: &Picks) -> anyhow::Result<()> {
    println!(
        "\nThe balance of one item at one place, {} at once, no HTTP or JSON:\n\n\
         | call | calls/s | p50 | p99 | answer |\n|---|---|---|---|---|",
        args.clients
    );
    let (item, place) = (p.item, p.warehouse);
    let row = inventory::balance(db.conn(), item, place).await?;
    let sum = ledger_sum(db, item, place).await?;
    ensure!(
        row == sum,
        "the balance row ({row}) differs from the ledger's sum ({sum})"
    );
    for (label, from_ledger) in [
        ("`inventory::balance` (the balance row)", false),
        (
            "the sum over the ledger (into minus out of the place)",
            true,
        ),
    ] {
        let load = measure(args, |_| {
            let db = db.clone();
            move || {
                let db = db.clone();
                async move {
                    if from_ledger {
                        ledger_sum(&db, item, place).await?;
                    } else {
                        inventory::balance(db.conn(), item, place).await?;
                    }
                    Ok(())
                }
            }
        })
        .await?;
        println!(
            "| {label} | {:.0} | {:.2} ms | {:.2} ms | {row} |",
            load.rate(),
            load.percentile_ms(50.0),
            load.percentile_ms(99.0),
        );
    }
    Ok(())
}

/// What the ledger says `place` holds of `item`: in minus out.
async fn ledger_sum(db: &Db, item: Uuid, place: Uuid) -> anyhow::Result<i64> {
    let mut total = 0;
    for (column, sign) in [
        (stock_movement::Column::ToLocationId, 1),
        (stock_movement::Column::FromLocationId, -1),
    ] {
        let sum: Option<i64> = stock_movement::Entity::find()
            .select_only()
            .expr(Expr::cust("CAST(SUM(quantity) AS BIGINT)"))
            .filter(stock_movement::Column::ItemId.eq(item))
            .filter(column.eq(place))
            .into_tuple()
            .one(db.conn())
            .await?
            .flatten();
        total += sign * sum.unwrap_or(0);
    }
    Ok(total)
}
