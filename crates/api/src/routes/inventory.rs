//! Inventory: the item catalogue, stock places, stock on hand, the movement
//! ledger, serial-numbered units, and the equipment a job used. The rules
//! are `netcrew_domain::inventory`, the reads and writes
//! `netcrew_store::inventory`; this module authorizes, parses and maps.

use std::collections::BTreeMap;

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks,
    access::Permission,
    inventory::{ItemKind, MovementKind, PlaceKind, Terms},
};
use netcrew_store::{
    entity::{asset, inventory_item, stock_location, stock_movement},
    inventory::{
        self, BalanceFilter, ItemFilter, ItemInput, LocationFilter, MovementFilter, MovementInput,
    },
    material_requests,
    page::PageRequest,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::{
        List, check_filter, created, double_option,
        tickets::{if_match, person},
    },
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .routes(routes!(update_item))
        .routes(routes!(list_locations, create_location))
        .routes(routes!(list_stock))
        .routes(routes!(stock_totals))
        .routes(routes!(technician_stock))
        .routes(routes!(list_movements, post_movement))
        .routes(routes!(list_assets))
        .routes(routes!(get_asset))
        .routes(routes!(set_reorder_level))
        .routes(routes!(record_equipment))
        .routes(routes!(list_requests, create_request))
        .routes(routes!(decide_request))
        .routes(routes!(usage))
}

use crate::routes::with_etag;

/// Stock may be read by inventory readers, and a technician their own.
fn reads_all(caller: &Caller) -> bool {
    caller.can(Permission::InventoryRead)
}

// ----------------------------------------------------------------------
// Items

/// An item of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item {
    pub id: Uuid,
    /// The ISP's own code (SKU), unique.
    pub code: String,
    pub name: String,
    pub kind: ItemKind,
    /// Tracked unit by unit by serial number (ONTs, routers).
    pub serial_tracked: bool,
    /// `pcs` or `m` (drop cable).
    pub unit: String,
    /// Rupiah per unit.
    pub unit_cost: i64,
    /// Default terms at a customer's home.
    pub terms: Option<Terms>,
    pub active: bool,
    pub version: i32,
}

impl From<inventory_item::Model> for Item {
    fn from(m: inventory_item::Model) -> Self {
        Item {
            id: m.id,
            kind: m.kind.parse().unwrap_or(ItemKind::Other),
            terms: m.terms.as_deref().and_then(|t| t.parse().ok()),
            code: m.code,
            name: m.name,
            serial_tracked: m.serial_tracked,
            unit: m.unit,
            unit_cost: m.unit_cost,
            active: m.active,
            version: m.version,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Words in the code or name.
    pub q: Option<String>,
    pub kind: Option<ItemKind>,
    pub active: Option<bool>,
}

/// The item catalogue, by code.
#[utoipa::path(get, path = "/inventory/items", tag = "inventory", params(ItemQuery),
    responses(
        (status = 200, body = List<Item>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_items(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ItemQuery>,
) -> ApiResult<axum::Json<List<Item>>> {
    if !caller.can(Permission::InventoryOwn) {
        caller.require(Permission::InventoryRead)?;
    }
    check_filter("q", query.q.as_deref())?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let filter = ItemFilter {
        q: query.q,
        kind: query.kind.map(|k| k.as_str().to_string()),
        active: query.active,
    };
    let found = inventory::items(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(found, Item::from)))
}

/// An item as given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Default: ONTs and routers are, the rest is counted.
    pub serial_tracked: Option<bool>,
    /// `pcs` (default) or `m`.
    pub unit: Option<String>,
    pub unit_cost: Option<i64>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Terms>)]
    pub terms: Option<Option<String>>,
    pub active: Option<bool>,
}

impl From<ItemBody> for ItemInput {
    fn from(b: ItemBody) -> Self {
        ItemInput {
            code: b.code,
            name: b.name,
            kind: b.kind,
            serial_tracked: b.serial_tracked,
            unit: b.unit,
            unit_cost: b.unit_cost,
            terms: b.terms,
            active: b.active,
        }
    }
}

/// Adds an item to the catalogue.
#[utoipa::path(post, path = "/inventory/items", tag = "inventory", request_body = ItemBody,
    responses(
        (status = 201, body = Item),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_item(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<ItemBody>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::InventoryManage)?;
    let ApiJson(b) = body?;
    let saved = inventory::create_item(&state.db, &person(&caller), b.into(), Utc::now()).await?;
    let v = saved.version;
    Ok(with_etag(
        created(
            format!("/api/v1/inventory/items/{}", saved.id),
            Item::from(saved),
        ),
        v,
    ))
}

/// Changes an item (`If-Match`: its version).
#[utoipa::path(patch, path = "/inventory/items/{id}", tag = "inventory", request_body = ItemBody,
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 200, body = Item),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_item(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<ItemBody>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::InventoryManage)?;
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let saved = inventory::update_item(
        &state.db,
        &person(&caller),
        id,
        version,
        b.into(),
        Utc::now(),
    )
    .await?;
    let v = saved.version;
    Ok(with_etag(axum::Json(Item::from(saved)).into_response(), v))
}

// ----------------------------------------------------------------------
// Places

/// A place stock can be.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockLocation {
    pub id: Uuid,
    pub kind: PlaceKind,
    pub name: String,
    /// The technician whose own stock this is.
    pub technician_id: Option<Uuid>,
    /// The customer whose home this is.
    pub customer_id: Option<Uuid>,
    pub active: bool,
}

impl From<stock_location::Model> for StockLocation {
    fn from(m: stock_location::Model) -> Self {
        StockLocation {
            id: m.id,
            kind: m.kind.parse().unwrap_or(PlaceKind::Warehouse),
            name: m.name,
            technician_id: m.user_id,
            customer_id: m.customer_id,
            active: m.active,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Words in the name.
    pub q: Option<String>,
    pub kind: Option<PlaceKind>,
}

/// Stock places, by name.
#[utoipa::path(get, path = "/inventory/locations", tag = "inventory", params(LocationQuery),
    responses(
        (status = 200, body = List<StockLocation>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_locations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<LocationQuery>,
) -> ApiResult<axum::Json<List<StockLocation>>> {
    caller.require(Permission::InventoryRead)?;
    check_filter("q", query.q.as_deref())?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let filter = LocationFilter {
        kind: query.kind.map(|k| k.as_str().to_string()),
        q: query.q,
    };
    let found = inventory::locations(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(found, StockLocation::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationBody {
    /// `warehouse`, `rma` or `written_off` (technicians' and customers'
    /// places are made when first used).
    pub kind: String,
    pub name: String,
}

/// Adds a warehouse, an RMA shelf or a written-off place.
#[utoipa::path(post, path = "/inventory/locations", tag = "inventory", request_body = LocationBody,
    responses(
        (status = 201, body = StockLocation),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_location(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<LocationBody>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::InventoryManage)?;
    let ApiJson(b) = body?;
    let saved =
        inventory::create_location(&state.db, &person(&caller), &b.kind, &b.name, Utc::now())
            .await?;
    Ok(created(
        format!("/api/v1/inventory/locations/{}", saved.id),
        StockLocation::from(saved),
    ))
}

// ----------------------------------------------------------------------
// Stock on hand

/// What one place holds of one item.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockLine {
    pub item: Item,
    pub location: StockLocation,
    pub quantity: i64,
    /// Its value in rupiah (quantity × the item's unit cost).
    pub value: i64,
    /// The reorder level here, if one is set.
    pub minimum: Option<i64>,
    pub below_minimum: bool,
}

fn line(h: inventory::Holding) -> StockLine {
    let below = h.minimum.is_some_and(|m| h.quantity < m);
    StockLine {
        value: h.quantity.saturating_mul(h.item.unit_cost),
        item: h.item.into(),
        location: h.location.into(),
        quantity: h.quantity,
        minimum: h.minimum,
        below_minimum: below,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// Lines to skip.
    pub offset: Option<u64>,
    pub location_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// Words in the item's code or name.
    pub q: Option<String>,
    /// Only places of this kind; left out: every kind but customers' homes
    /// (`customer`), unless `location_id` names a place.
    pub location_kind: Option<PlaceKind>,
    /// Only lines under their reorder level.
    pub below_minimum: Option<bool>,
}

fn limit_of(limit: Option<u64>) -> ApiResult<u64> {
    match limit {
        None => Ok(50),
        Some(l) if (1..=500).contains(&l) => Ok(l),
        Some(_) => Err(ApiError::validation("limit", "range", "from 1 to 500")),
    }
}

/// Stock on hand by item and place (non-zero balances), with its value;
/// the ISP's own places unless customers' homes are asked for.
#[utoipa::path(get, path = "/inventory/stock", tag = "inventory", params(StockQuery),
    responses(
        (status = 200, body = List<StockLine>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_stock(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<StockQuery>,
) -> ApiResult<axum::Json<List<StockLine>>> {
    caller.require(Permission::InventoryRead)?;
    check_filter("q", query.q.as_deref())?;
    let limit = limit_of(query.limit)?;
    let offset = query.offset.unwrap_or(0);
    let filter = balance_filter(
        query.location_id,
        query.item_id,
        query.q,
        query.location_kind,
        query.below_minimum,
    );
    let (lines, total) = inventory::holdings(state.db.conn(), &filter, limit, offset).await?;
    let more = offset + (lines.len() as u64) < total;
    Ok(axum::Json(List {
        items: lines.into_iter().map(line).collect(),
        next_cursor: more.then(|| (offset + limit).to_string()),
        total,
        total_exact: true,
    }))
}

fn balance_filter(
    location_id: Option<Uuid>,
    item_id: Option<Uuid>,
    q: Option<String>,
    location_kind: Option<PlaceKind>,
    below_minimum: Option<bool>,
) -> BalanceFilter {
    BalanceFilter {
        location_id,
        item_id,
        q,
        location_kind: location_kind.map(|k| k.as_str().to_string()),
        below_minimum: below_minimum.unwrap_or(false),
    }
}

/// Which stock on hand to total (the stock list's filters).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockTotalsQuery {
    pub location_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// Words in the item's code or name.
    pub q: Option<String>,
    /// Only places of this kind; left out: every kind but customers' homes
    /// (`customer`), unless `location_id` names a place.
    pub location_kind: Option<PlaceKind>,
    /// Only lines under their reorder level.
    pub below_minimum: Option<bool>,
}

/// The stock of one kind of place, totalled.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceKindTotal {
    pub kind: PlaceKind,
    pub lines: u64,
    /// In rupiah.
    pub value: i64,
}

/// Every line of stock on hand that matches, totalled.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockTotals {
    pub lines: u64,
    /// In rupiah, at each item's unit cost.
    pub value: i64,
    /// By kind of place (only kinds holding something).
    pub by_place_kind: Vec<PlaceKindTotal>,
}

/// The number and rupiah value of the stock lines the stock list would
/// show with the same filters, summed by the server.
#[utoipa::path(get, path = "/inventory/stock/totals", tag = "inventory", params(StockTotalsQuery),
    responses(
        (status = 200, body = StockTotals),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn stock_totals(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<StockTotalsQuery>,
) -> ApiResult<axum::Json<StockTotals>> {
    caller.require(Permission::InventoryRead)?;
    check_filter("q", query.q.as_deref())?;
    let filter = balance_filter(
        query.location_id,
        query.item_id,
        query.q,
        query.location_kind,
        query.below_minimum,
    );
    let totals = inventory::stock_value(state.db.conn(), &filter).await?;
    Ok(axum::Json(StockTotals {
        lines: totals.lines,
        value: totals.value,
        by_place_kind: totals
            .by_kind
            .into_iter()
            .filter_map(|(kind, lines, value)| {
                Some(PlaceKindTotal {
                    kind: kind.parse::<PlaceKind>().ok()?,
                    lines,
                    value,
                })
            })
            .collect(),
    }))
}

/// A technician's own stock.
#[derive(Debug, Serialize, ToSchema)]
pub struct TechnicianStock {
    /// Their own stock place (its `id` is the nil UUID until they first
    /// hold stock).
    pub location: StockLocation,
    pub lines: Vec<StockLine>,
    /// The serial-numbered units they carry.
    pub units: Vec<Unit>,
    /// Value of it all, in rupiah.
    pub value: i64,
}

/// What a technician carries (the technician themself, or inventory
/// readers).
#[utoipa::path(get, path = "/technicians/{id}/stock", tag = "inventory",
    params(("id" = Uuid, Path, description = "Technician (user) id")),
    responses(
        (status = 200, body = TechnicianStock),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn technician_stock(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<TechnicianStock>> {
    let own = caller.user.id == id && caller.can(Permission::InventoryOwn);
    if !own {
        caller.require(Permission::InventoryRead)?;
    }
    let c = inventory::carried(state.db.conn(), id).await?;
    let location = match c.place {
        Some(p) => StockLocation::from(p),
        // No stock yet: said without making a place on a read.
        None => StockLocation {
            id: Uuid::nil(),
            kind: PlaceKind::Technician,
            name: c.technician.name.clone(),
            technician_id: Some(id),
            customer_id: None,
            active: true,
        },
    };
    let lines: Vec<StockLine> = c.lines.into_iter().map(line).collect();
    Ok(axum::Json(TechnicianStock {
        value: lines.iter().map(|l| l.value).sum(),
        lines,
        units: c
            .units
            .into_iter()
            .map(|(a, item)| unit(a, item.as_ref(), None))
            .collect(),
        location,
    }))
}

// ----------------------------------------------------------------------
// Movements

/// One movement of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Movement {
    pub id: Uuid,
    pub kind: MovementKind,
    pub item_id: Uuid,
    pub item_code: String,
    pub item_name: String,
    pub unit: String,
    pub quantity: i64,
    pub from: Option<StockLocation>,
    pub to: Option<StockLocation>,
    /// The serial number of the unit moved.
    pub serial: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub reason: String,
    /// Rupiah per unit at the time.
    pub unit_cost: i64,
    pub approved_by: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

type Names = (
    BTreeMap<Uuid, stock_location::Model>,
    BTreeMap<Uuid, inventory_item::Model>,
    BTreeMap<Uuid, asset::Model>,
);

fn movement(m: stock_movement::Model, names: &Names) -> Movement {
    let (places, items, assets) = names;
    let item = items.get(&m.item_id);
    Movement {
        id: m.id,
        kind: m.kind.parse().unwrap_or(MovementKind::Transfer),
        item_id: m.item_id,
        item_code: item.map(|i| i.code.clone()).unwrap_or_default(),
        item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
        unit: item.map(|i| i.unit.clone()).unwrap_or_default(),
        quantity: m.quantity,
        from: m
            .from_location_id
            .and_then(|id| places.get(&id).cloned().map(Into::into)),
        to: m
            .to_location_id
            .and_then(|id| places.get(&id).cloned().map(Into::into)),
        serial: m
            .asset_id
            .and_then(|id| assets.get(&id).map(|a| a.serial.clone())),
        ticket_id: m.ticket_id,
        reason: m.reason,
        unit_cost: m.unit_cost,
        approved_by: m.approved_by,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub item_id: Option<Uuid>,
    /// Into or out of this place.
    pub location_id: Option<Uuid>,
    pub kind: Option<MovementKind>,
    pub ticket_id: Option<Uuid>,
    /// From this time (inclusive), RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
}

/// The movement ledger, newest first. A technician sees the movements of
/// their own stock.
#[utoipa::path(get, path = "/inventory/movements", tag = "inventory", params(MovementQuery),
    responses(
        (status = 200, body = List<Movement>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_movements(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MovementQuery>,
) -> ApiResult<axum::Json<List<Movement>>> {
    let db = state.db.conn();
    let location_id = if reads_all(&caller) {
        query.location_id
    } else {
        caller.require(Permission::InventoryOwn)?;
        let mine = inventory::own_place(db, caller.user.id).await?;
        match (mine, query.location_id) {
            (Some(m), None) => Some(m.id),
            (Some(m), Some(asked)) if asked == m.id => Some(m.id),
            (_, Some(_)) => {
                return Err(ApiError::Forbidden(
                    "A technician sees the movements of their own stock only.".into(),
                ));
            }
            (None, None) => Some(Uuid::nil()),
        }
    };
    let filter = MovementFilter {
        item_id: query.item_id,
        location_id,
        kind: query.kind.map(|k| k.as_str().to_string()),
        ticket_id: query.ticket_id,
        asset_id: None,
        since: query.from,
        until: query.to,
    };
    let page = inventory::movements(db, &filter, query.limit, query.cursor.as_deref()).await??;
    let names = inventory::names(db, &page.items).await?;
    Ok(axum::Json(List::from_page(page, |m| movement(m, &names))))
}

/// A movement to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementBody {
    /// The caller's own id for it (UUID): sent again, it is made once.
    pub id: Option<Uuid>,
    pub kind: MovementKind,
    /// May be left out when `serial` names a known unit.
    pub item_id: Option<Uuid>,
    /// Whole units (metres of cable); 1 for a serial-numbered unit.
    #[serde(default = "one")]
    pub quantity: i64,
    /// Left out: where the named unit is (or, for an install, the
    /// ticket's technician's stock).
    pub from_location_id: Option<Uuid>,
    /// Left out for an install: the ticket's customer.
    pub to_location_id: Option<Uuid>,
    /// A technician's own stock, instead of `from_location_id`.
    pub from_technician_id: Option<Uuid>,
    /// A technician's own stock, instead of `to_location_id`.
    pub to_technician_id: Option<Uuid>,
    /// The unit's serial number (a new one on receipt).
    pub serial: Option<String>,
    /// A new unit's MAC address (receipt).
    pub mac: Option<String>,
    /// The ticket an install (or recovery) belongs to.
    pub ticket_id: Option<Uuid>,
    /// Required for write-offs and adjustments.
    #[serde(default)]
    pub reason: String,
    /// At the customer's (installs): default the item's terms.
    pub terms: Option<Terms>,
}

fn one() -> i64 {
    1
}

impl From<MovementBody> for MovementInput {
    fn from(b: MovementBody) -> Self {
        MovementInput {
            id: b.id,
            kind: b.kind,
            item_id: b.item_id,
            quantity: b.quantity,
            from_location_id: b.from_location_id,
            to_location_id: b.to_location_id,
            from_technician_id: b.from_technician_id,
            to_technician_id: b.to_technician_id,
            serial: b.serial,
            mac: b.mac,
            ticket_id: b.ticket_id,
            reason: b.reason,
            terms: b.terms,
        }
    }
}

async fn answer_movement(state: &AppState, m: stock_movement::Model) -> ApiResult<Response> {
    let names = inventory::names(state.db.conn(), std::slice::from_ref(&m)).await?;
    let id = m.id;
    Ok(created(
        format!("/api/v1/inventory/movements/{id}"),
        movement(m, &names),
    ))
}

/// Makes a movement: a receipt from a supplier, a transfer, an issue to a
/// technician, an install at a customer's on a ticket, a return, a faulty
/// unit to the RMA shelf, a write-off, or a count's adjustment (which needs
/// `inventory.approve`). A movement that would take a place below zero is
/// a `409`; a unit moves only from where it is.
#[utoipa::path(post, path = "/inventory/movements", tag = "inventory", request_body = MovementBody,
    responses(
        (status = 201, body = Movement),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn post_movement(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<MovementBody>, ApiError>,
) -> ApiResult<Response> {
    if !caller.can(Permission::InventoryApprove) {
        caller.require(Permission::InventoryManage)?;
    }
    let ApiJson(b) = body?;
    // A count's correction needs an approver; everything else the store.
    let approved_by = if b.kind == MovementKind::Adjustment {
        caller.require(Permission::InventoryApprove)?;
        Some(caller.user.id)
    } else {
        caller.require(Permission::InventoryManage)?;
        None
    };
    let saved = inventory::post(
        &state.db,
        &person(&caller),
        b.into(),
        approved_by,
        Utc::now(),
    )
    .await?;
    answer_movement(&state, saved).await
}

// ----------------------------------------------------------------------
// Units

/// A serial-numbered unit and where it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unit {
    pub id: Uuid,
    pub serial: String,
    pub mac: Option<String>,
    pub item_id: Uuid,
    pub item_code: String,
    pub item_name: String,
    pub location: Option<StockLocation>,
    /// At a customer's: who owns it.
    pub terms: Option<Terms>,
    /// When it came where it is (its last movement).
    pub since: DateTime<Utc>,
}

fn unit(
    a: asset::Model,
    item: Option<&inventory_item::Model>,
    at: Option<&stock_location::Model>,
) -> Unit {
    Unit {
        since: a.updated_at,
        id: a.id,
        serial: a.serial,
        mac: a.mac,
        item_id: a.item_id,
        item_code: item.map(|i| i.code.clone()).unwrap_or_default(),
        item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
        location: at.cloned().map(Into::into),
        terms: a.terms.as_deref().and_then(|t| t.parse().ok()),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub location_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// Part of the serial number or MAC.
    pub q: Option<String>,
    /// Only the ISP's units (loaned or rented) still at the homes of
    /// customers whose service has ended.
    pub outstanding: Option<bool>,
}

/// Serial-numbered units, by serial number.
#[utoipa::path(get, path = "/inventory/assets", tag = "inventory", params(UnitQuery),
    responses(
        (status = 200, body = List<Unit>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_assets(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UnitQuery>,
) -> ApiResult<axum::Json<List<Unit>>> {
    caller.require(Permission::InventoryRead)?;
    check_filter("q", query.q.as_deref())?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let db = state.db.conn();
    let found = inventory::units(
        db,
        &inventory::UnitFilter {
            location_id: query.location_id,
            item_id: query.item_id,
            q: query.q,
            outstanding: query.outstanding.unwrap_or(false),
        },
        &page,
    )
    .await?;
    let (items, places) = inventory::unit_names(db, &found.items).await?;
    Ok(axum::Json(List::from_page(found, |a| {
        let item = items.get(&a.item_id);
        let at = places.get(&a.location_id);
        unit(a, item, at)
    })))
}

/// A unit with its whole history.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitHistory {
    pub unit: Unit,
    /// Oldest first.
    pub movements: Vec<Movement>,
}

/// A serial-numbered unit, by id or serial number, where it is now and
/// every movement it made.
#[utoipa::path(get, path = "/inventory/assets/{id}", tag = "inventory",
    params(("id" = String, Path, description = "Unit id or serial number")),
    responses(
        (status = 200, body = UnitHistory),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_asset(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<UnitHistory>> {
    caller.require(Permission::InventoryRead)?;
    let db = state.db.conn();
    let h = inventory::asset_history(db, &id).await?;
    let names = inventory::names(db, &h.movements).await?;
    Ok(axum::Json(UnitHistory {
        unit: unit(h.unit, h.item.as_ref(), h.at.as_ref()),
        movements: h
            .movements
            .into_iter()
            .map(|m| movement(m, &names))
            .collect(),
    }))
}

// ----------------------------------------------------------------------
// Reorder levels

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderLevel {
    pub item_id: Uuid,
    pub location_id: Uuid,
    /// None: no level. Falling below it tells the admins and supervisors.
    pub minimum: Option<i64>,
}

/// Sets or clears the reorder level of an item at a place.
#[utoipa::path(put, path = "/inventory/reorder-levels", tag = "inventory", request_body = ReorderLevel,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn set_reorder_level(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<ReorderLevel>, ApiError>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::InventoryManage)?;
    let ApiJson(b) = body?;
    inventory::set_reorder_level(
        &state.db,
        &person(&caller),
        b.item_id,
        b.location_id,
        b.minimum,
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----------------------------------------------------------------------
// What a job used

/// Equipment or material a job used, from the technician's own stock.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentBody {
    /// The caller's own id for it: sent again (from an offline phone), it
    /// is recorded once.
    pub id: Option<Uuid>,
    /// May be left out when `serial` names the unit.
    pub item_id: Option<Uuid>,
    #[serde(default = "one")]
    pub quantity: i64,
    pub serial: Option<String>,
    /// Who owns it at the customer's (default: the item's terms).
    pub terms: Option<Terms>,
}

/// Records what a job used, from the ticket's technician's own stock: it
/// leaves their stock and, for a serial-numbered unit, is installed at the
/// customer's. The ticket's technician (or inventory staff) records it.
#[utoipa::path(post, path = "/tickets/{id}/equipment", tag = "inventory", request_body = EquipmentBody,
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 201, body = Movement),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn record_equipment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<EquipmentBody>, ApiError>,
) -> ApiResult<Response> {
    if !caller.can(Permission::InventoryManage) {
        caller.require(Permission::InventoryOwn)?;
    }
    let ApiJson(b) = body?;
    let t = netcrew_store::tickets::find(state.db.conn(), id, &netcrew_store::tickets::Scope::All)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such ticket.".into()))?;
    let staff = caller.can(Permission::InventoryManage);
    if !staff && t.technician_id != Some(caller.user.id) {
        // Not theirs: as if it were not there.
        return Err(ApiError::NotFound("No such ticket.".into()));
    }
    let mut c = Checks::default();
    if t.technician_id.is_none() {
        c.fail("ticket_id", "unassigned", "nobody is on this ticket yet");
    }
    c.finish()?;
    let saved = inventory::post(
        &state.db,
        &person(&caller),
        MovementInput {
            id: b.id,
            kind: MovementKind::Install,
            item_id: b.item_id,
            quantity: b.quantity,
            from_location_id: None,
            to_location_id: None,
            from_technician_id: None,
            to_technician_id: None,
            serial: b.serial,
            mac: None,
            ticket_id: Some(t.id),
            reason: String::new(),
            terms: b.terms,
        },
        None,
        Utc::now(),
    )
    .await?;
    answer_movement(&state, saved).await
}

// ----------------------------------------------------------------------
// Requests for material

/// One line of a request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestLine {
    pub item_id: Uuid,
    pub quantity: i64,
}

/// A technician's request for material.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialRequest {
    pub id: Uuid,
    pub technician_id: Uuid,
    /// `requested`, `issued`, `rejected` or `cancelled`.
    pub status: String,
    pub note: String,
    pub lines: Vec<RequestLine>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<material_requests::Request> for MaterialRequest {
    fn from(r: material_requests::Request) -> Self {
        let m = r.request;
        MaterialRequest {
            id: m.id,
            technician_id: m.technician_id,
            status: m.status,
            note: m.note,
            lines: r
                .lines
                .into_iter()
                .map(|l| RequestLine {
                    item_id: l.item_id,
                    quantity: l.quantity,
                })
                .collect(),
            decided_by: m.decided_by,
            decided_at: m.decided_at,
            decision_note: m.decision_note,
            version: m.version,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub technician_id: Option<Uuid>,
    /// `requested`, `issued`, `rejected` or `cancelled`.
    pub status: Option<String>,
}

/// Requests for material, newest first (a technician: their own).
#[utoipa::path(get, path = "/inventory/requests", tag = "inventory", params(RequestQuery),
    responses(
        (status = 200, body = List<MaterialRequest>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<RequestQuery>,
) -> ApiResult<axum::Json<List<MaterialRequest>>> {
    let technician = if reads_all(&caller) {
        query.technician_id
    } else {
        caller.require(Permission::InventoryOwn)?;
        Some(caller.user.id)
    };
    check_filter("status", query.status.as_deref())?;
    let page = material_requests::list(
        state.db.conn(),
        technician,
        query.status.as_deref(),
        query.limit,
        query.cursor.as_deref(),
    )
    .await??;
    Ok(axum::Json(List::from_page(page, MaterialRequest::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    /// Storekeepers may file one for a technician; a technician's own
    /// request leaves it out.
    pub technician_id: Option<Uuid>,
    pub lines: Vec<RequestLine>,
    #[serde(default)]
    pub note: String,
}

/// A technician asks for material; the storekeepers are told.
#[utoipa::path(post, path = "/inventory/requests", tag = "inventory", request_body = RequestBody,
    responses(
        (status = 201, body = MaterialRequest),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_request(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<RequestBody>, ApiError>,
) -> ApiResult<Response> {
    let staff = caller.can(Permission::InventoryManage);
    if !staff {
        caller.require(Permission::InventoryOwn)?;
    }
    let ApiJson(b) = body?;
    let technician = match (staff, b.technician_id) {
        (true, Some(t)) => t,
        (false, Some(t)) if t != caller.user.id => {
            return Err(ApiError::Forbidden(
                "A technician asks for their own material.".into(),
            ));
        }
        (_, Some(t)) => t,
        (false, None) => caller.user.id,
        (true, None) => {
            return Err(ApiError::validation(
                "technician_id",
                "required",
                "name the technician",
            ));
        }
    };
    inventory::carried(state.db.conn(), technician)
        .await
        .map_err(|_| ApiError::validation("technician_id", "unknown", "no such technician"))?;
    let lines: Vec<(Uuid, i64)> = b.lines.iter().map(|l| (l.item_id, l.quantity)).collect();
    let saved = material_requests::create(
        &state.db,
        &person(&caller),
        technician,
        &lines,
        &b.note,
        Utc::now(),
    )
    .await?;
    let id = saved.request.id;
    Ok(created(
        format!("/api/v1/inventory/requests/{id}"),
        MaterialRequest::from(saved),
    ))
}

/// What is decided about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestDecision {
    /// Issue it all from `from_location_id` (serial-numbered lines with
    /// the units in `serials`).
    Issue,
    /// Refuse it, with a `note`.
    Reject,
    /// The technician withdraws it.
    Cancel,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: RequestDecision,
    pub from_location_id: Option<Uuid>,
    #[serde(default)]
    pub serials: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// Issues, refuses or withdraws a request (`If-Match`: its version). An
/// issue makes every issue movement and the request's new state in one
/// transaction: all of it or nothing.
#[utoipa::path(post, path = "/inventory/requests/{id}/decision", tag = "inventory",
    request_body = DecisionBody,
    params(("id" = Uuid, Path, description = "Request id")),
    responses(
        (status = 200, body = MaterialRequest),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn decide_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<DecisionBody>, ApiError>,
) -> ApiResult<axum::Json<MaterialRequest>> {
    let staff = caller.can(Permission::InventoryManage);
    if !staff {
        caller.require(Permission::InventoryOwn)?;
    }
    let version = if_match(&headers)?;
    let ApiJson(b) = body?;
    let current = material_requests::get(state.db.conn(), id).await?;
    if !staff && current.request.technician_id != caller.user.id {
        return Err(ApiError::NotFound("No such request.".into()));
    }
    let decision = match b.decision {
        RequestDecision::Cancel => material_requests::Decision::Cancel,
        RequestDecision::Issue | RequestDecision::Reject if !staff => {
            return Err(ApiError::Forbidden(
                "The storekeepers issue or refuse requests.".into(),
            ));
        }
        RequestDecision::Reject => material_requests::Decision::Reject { note: b.note },
        RequestDecision::Issue => material_requests::Decision::Issue {
            from: b.from_location_id.ok_or_else(|| {
                ApiError::validation(
                    "from_location_id",
                    "required",
                    "the warehouse to issue from",
                )
            })?,
            serials: b.serials,
            note: b.note,
        },
    };
    let saved = material_requests::decide(
        &state.db,
        &person(&caller),
        id,
        version,
        decision,
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(MaterialRequest::from(saved)))
}

// ----------------------------------------------------------------------
// Usage

/// How usage is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageGroup {
    Technician,
    TicketKind,
    Month,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// Default `month`.
    pub by: Option<UsageGroup>,
    /// First day, `YYYY-MM-DD` (default: a year ago).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today); at most two years after
    /// `from`.
    pub to: Option<String>,
    /// `csv` for a spreadsheet file.
    pub format: Option<String>,
}

/// What a group used of one item.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageLine {
    /// The technician's id, the ticket kind or `YYYY-MM`.
    pub group: String,
    pub label: String,
    pub item_id: Uuid,
    pub item_code: String,
    pub item_name: String,
    pub unit: String,
    pub quantity: i64,
    /// Rupiah, at the unit costs of the time.
    pub value: i64,
}

/// Material used on jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    pub by: UsageGroup,
    pub from: String,
    pub to: String,
    pub lines: Vec<UsageLine>,
    pub total_value: i64,
}

/// What jobs used (install movements), per technician, per ticket kind or
/// per month, with its value in rupiah; `format=csv` for a spreadsheet.
#[utoipa::path(get, path = "/inventory/usage", tag = "inventory", params(UsageQuery),
    responses(
        (status = 200, body = Usage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn usage(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UsageQuery>,
) -> ApiResult<Response> {
    use chrono::{Duration, NaiveDate, TimeZone};
    caller.require(Permission::InventoryRead)?;
    let zone = state.config.zone;
    let today = netcrew_domain::schedule::local_date(Utc::now(), zone);
    let mut c = Checks::default();
    let mut day = |field: &str, v: Option<&str>, default: NaiveDate| match v
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => default,
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap_or_else(|_| {
            c.fail(field, "date_format", "a date as YYYY-MM-DD");
            default
        }),
    };
    let from = day("from", query.from.as_deref(), today - Duration::days(365));
    let to = day("to", query.to.as_deref(), today);
    if to < from {
        c.fail("to", "order", "the end must not be before the start");
    } else if (to - from).num_days() > 731 {
        c.fail("to", "range", "at most two years");
    }
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            c.push(
                netcrew_domain::FieldError::new("format", "choice", "json or csv")
                    .with("allowed", vec!["json", "csv"]),
            );
            false
        }
    };
    c.finish()?;
    let start = |d: NaiveDate| {
        zone.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
    };
    let by = query.by.unwrap_or(UsageGroup::Month);
    let lines = inventory::usage(
        state.db.conn(),
        match by {
            UsageGroup::Technician => inventory::UsageBy::Technician,
            UsageGroup::TicketKind => inventory::UsageBy::TicketKind,
            UsageGroup::Month => inventory::UsageBy::Month,
        },
        start(from),
        start(to + Duration::days(1)),
        zone,
    )
    .await?;
    let lines: Vec<UsageLine> = lines
        .into_iter()
        .map(|l| UsageLine {
            group: l.group,
            label: l.label,
            item_id: l.item.id,
            item_code: l.item.code,
            item_name: l.item.name,
            unit: l.item.unit,
            quantity: l.quantity,
            value: l.value,
        })
        .collect();
    if !csv {
        return Ok(axum::Json(Usage {
            by,
            from: from.to_string(),
            to: to.to_string(),
            total_value: lines.iter().map(|l| l.value).sum(),
            lines,
        })
        .into_response());
    }
    let t = |v: &str| netcrew_domain::text::to_spreadsheet(v).into_owned();
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record([
        "group",
        "label",
        "item_code",
        "item_name",
        "unit",
        "quantity",
        "value_idr",
    ])
    .map_err(fail)?;
    for l in &lines {
        out.write_record([
            t(&l.group),
            t(&l.label),
            t(&l.item_code),
            t(&l.item_name),
            l.unit.clone(),
            l.quantity.to_string(),
            l.value.to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"netcrew-usage-{}-{from}-{to}.csv\"",
        match by {
            UsageGroup::Technician => "technician",
            UsageGroup::TicketKind => "ticket-kind",
            UsageGroup::Month => "month",
        }
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
