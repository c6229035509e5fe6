//! Inventory in the database: the item catalogue, stock places, the
//! append-only movement ledger with the balances kept from it in the same
//! transaction, and serial-numbered assets.
//!
//! A balance only changes with a movement. Taking stock out of a place is
//! one conditional update (`quantity >= asked`), so two people taking the
//! last unit at the same moment cannot both succeed on either database;
//! an asset moves only from where it is, checked the same way.

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, Invalid, Role,
    inventory::{self, ItemKind, MovementKind, PlaceKind, Proposed, Terms},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, Func, OnConflict},
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{
        asset, customer, inventory_item, reorder_level, stock_balance, stock_location,
        stock_movement, ticket, user,
    },
    notifications::{self, Note},
    page::{self, Page, PageError, PageRequest},
    sla_settings::audited,
    tickets::Person,
};

fn item_view(i: &inventory_item::Model) -> Value {
    json!({
        "code": i.code, "name": i.name, "kind": i.kind, "serial_tracked": i.serial_tracked,
        "unit": i.unit, "unit_cost": i.unit_cost, "terms": i.terms, "active": i.active,
    })
}

/// An item as given (all of it on creation; what is set on a change).
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub serial_tracked: Option<bool>,
    pub unit: Option<String>,
    pub unit_cost: Option<i64>,
    pub terms: Option<Option<String>>,
    pub active: Option<bool>,
}

const UNITS: [&str; 2] = ["pcs", "m"];

fn check_item(c: &mut Checks, i: &ItemInput, creating: bool) -> inventory_item::ActiveModel {
    let mut m = inventory_item::ActiveModel {
        ..Default::default()
    };
    let required = |c: &mut Checks, field: &str, given: bool| {
        if creating && !given {
            c.fail(field, "required", "required");
        }
    };
    required(c, "code", i.code.is_some());
    if let Some(code) = &i.code {
        let code = c.text("code", code, 40).to_uppercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))
        {
            c.fail("code", "format", "letters, digits, '-', '_' and '.' only");
        }
        m.code = Set(code);
    }
    required(c, "name", i.name.is_some());
    if let Some(name) = &i.name {
        m.name = Set(c.text("name", name, 120));
    }
    required(c, "kind", i.kind.is_some());
    if let Some(kind) = &i.kind {
        match kind.parse::<ItemKind>() {
            Ok(k) => m.kind = Set(k.as_str().to_string()),
            Err(_) => c.push(
                netcrew_domain::FieldError::new("kind", "choice", "one of the item kinds")
                    .with("allowed", ItemKind::ALL.map(ItemKind::as_str).to_vec()),
            ),
        }
    }
    if let Some(s) = i.serial_tracked {
        m.serial_tracked = Set(s);
    } else if creating {
        m.serial_tracked = Set(i
            .kind
            .as_deref()
            .and_then(|k| k.parse::<ItemKind>().ok())
            .is_some_and(ItemKind::is_equipment));
    }
    if let Some(unit) = &i.unit {
        if UNITS.contains(&unit.as_str()) {
            m.unit = Set(unit.clone());
        } else {
            c.push(
                netcrew_domain::FieldError::new("unit", "choice", "pcs or m")
                    .with("allowed", UNITS.to_vec()),
            );
        }
    } else if creating {
        m.unit = Set("pcs".to_string());
    }
    required(c, "unit_cost", i.unit_cost.is_some());
    if let Some(cost) = i.unit_cost {
        if !(0..=1_000_000_000).contains(&cost) {
            c.push(
                netcrew_domain::FieldError::new("unit_cost", "range", "0 to 1,000,000,000 rupiah")
                    .with("min", 0)
                    .with("max", 1_000_000_000),
            );
        }
        m.unit_cost = Set(cost);
    }
    if let Some(terms) = &i.terms {
        match terms.as_deref().map(str::parse::<Terms>) {
            None => m.terms = Set(None),
            Some(Ok(t)) => m.terms = Set(Some(t.as_str().to_string())),
            Some(Err(_)) => c.push(
                netcrew_domain::FieldError::new("terms", "choice", "loaned, rented or sold")
                    .with("allowed", Terms::ALL.map(Terms::as_str).to_vec()),
            ),
        }
    } else if creating {
        m.terms = Set(None);
    }
    if let Some(a) = i.active {
        m.active = Set(a);
    } else if creating {
        m.active = Set(true);
    }
    m
}

/// Adds an item to the catalogue.
pub async fn create_item(
    db: &Db,
    who: &Person,
    input: ItemInput,
    now: DateTime<Utc>,
) -> Result<inventory_item::Model, Error> {
    let mut c = Checks::default();
    let mut m = check_item(&mut c, &input, true);
    c.finish()?;
    let txn = db.begin_write().await?;
    if let sea_orm::ActiveValue::Set(code) = &m.code
        && inventory_item::Entity::find()
            .filter(inventory_item::Column::Code.eq(code.clone()))
            .one(&*txn)
            .await?
            .is_some()
    {
        return Err(Invalid::one(netcrew_domain::FieldError::new(
            "code",
            "taken",
            "another item has this code",
        ))
        .into());
    }
    m.id = Set(Uuid::now_v7());
    m.version = Set(1);
    m.created_at = Set(now);
    m.updated_at = Set(now);
    let saved = m.insert(&*txn).await?;
    audited(
        &*txn,
        &who.actor(),
        (
            "inventory.item_created",
            "inventory_item",
            saved.id.to_string(),
        ),
        None,
        Some(item_view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Changes an item read at `version`. Whether it is serial-numbered cannot
/// change once stock of it has moved.
pub async fn update_item(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    input: ItemInput,
    now: DateTime<Utc>,
) -> Result<inventory_item::Model, Error> {
    let mut c = Checks::default();
    let change = check_item(&mut c, &input, false);
    c.finish()?;
    let txn = db.begin_write().await?;
    let before = inventory_item::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such item.".into()))?;
    if before.version != version {
        return Err(Error::Stale(format!(
            "This item changed since you loaded it (now version {}).",
            before.version
        )));
    }
    if let sea_orm::ActiveValue::Set(code) = &change.code
        && *code != before.code
        && inventory_item::Entity::find()
            .filter(inventory_item::Column::Code.eq(code.clone()))
            .one(&*txn)
            .await?
            .is_some()
    {
        return Err(Invalid::one(netcrew_domain::FieldError::new(
            "code",
            "taken",
            "another item has this code",
        ))
        .into());
    }
    if let sea_orm::ActiveValue::Set(s) = change.serial_tracked
        && s != before.serial_tracked
        && stock_movement::Entity::find()
            .filter(stock_movement::Column::ItemId.eq(id))
            .one(&*txn)
            .await?
            .is_some()
    {
        return Err(Invalid::one(netcrew_domain::FieldError::new(
            "serial_tracked",
            "in_use",
            "stock of this item has moved; it cannot change how it is counted",
        ))
        .into());
    }
    let mut m = before.clone().into_active_model();
    for (field, value) in [
        (inventory_item::Column::Code, change.code.into_value()),
        (inventory_item::Column::Name, change.name.into_value()),
        (inventory_item::Column::Kind, change.kind.into_value()),
        (
            inventory_item::Column::SerialTracked,
            change.serial_tracked.into_value(),
        ),
        (inventory_item::Column::Unit, change.unit.into_value()),
        (
            inventory_item::Column::UnitCost,
            change.unit_cost.into_value(),
        ),
        (inventory_item::Column::Terms, change.terms.into_value()),
        (inventory_item::Column::Active, change.active.into_value()),
    ] {
        if let Some(v) = value {
            m.set(field, v);
        }
    }
    m.version = Set(version + 1);
    m.updated_at = Set(now);
    let saved = m.update(&*txn).await?;
    audited(
        &*txn,
        &who.actor(),
        ("inventory.item_changed", "inventory_item", id.to_string()),
        Some(item_view(&before)),
        Some(item_view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// Words in the code or name.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
}

/// Items whose code or name holds `words` (all items when blank).
fn item_words(words: &str) -> Condition {
    if words.trim().is_empty() {
        return Condition::all();
    }
    let pattern = crate::network::like(words);
    Condition::any()
        .add(
            Expr::expr(Func::lower(Expr::col((
                inventory_item::Entity,
                inventory_item::Column::Code,
            ))))
            .like(&pattern),
        )
        .add(
            Expr::expr(Func::lower(Expr::col((
                inventory_item::Entity,
                inventory_item::Column::Name,
            ))))
            .like(&pattern),
        )
}

/// Items by code.
pub async fn items<C: ConnectionTrait>(
    db: &C,
    f: &ItemFilter,
    req: &PageRequest,
) -> Result<Page<inventory_item::Model>, DbErr> {
    let mut q = inventory_item::Entity::find();
    if let Some(words) = &f.q {
        q = q.filter(item_words(words));
    }
    if let Some(k) = &f.kind {
        q = q.filter(inventory_item::Column::Kind.eq(k.clone()));
    }
    if let Some(a) = f.active {
        q = q.filter(inventory_item::Column::Active.eq(a));
    }
    page::paginate(
        db,
        q,
        inventory_item::Column::Code,
        inventory_item::Column::Id,
        req,
        |m| (m.code.clone(), m.id),
    )
    .await
}

pub async fn item<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<inventory_item::Model, Error> {
    inventory_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such item.".into()))
}

/// Adds a warehouse, an RMA shelf or a written-off place.
pub async fn create_location(
    db: &Db,
    who: &Person,
    kind: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<stock_location::Model, Error> {
    let mut c = Checks::default();
    let name = c.text("name", name, 120);
    let allowed = [PlaceKind::Warehouse, PlaceKind::Rma, PlaceKind::WrittenOff];
    let kind = match kind.parse::<PlaceKind>() {
        Ok(k) if allowed.contains(&k) => Some(k),
        _ => {
            c.push(
                netcrew_domain::FieldError::new(
                    "kind",
                    "choice",
                    "warehouse, rma or written_off (technicians' and customers' places come by themselves)",
                )
                .with("allowed", allowed.map(PlaceKind::as_str).to_vec()),
            );
            None
        }
    };
    c.finish()?;
    let kind = kind.unwrap_or(PlaceKind::Warehouse);
    let txn = db.begin_write().await?;
    let saved = stock_location::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.as_str().to_string()),
        name: Set(name),
        user_id: Set(None),
        customer_id: Set(None),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audited(
        &*txn,
        &who.actor(),
        (
            "inventory.location_created",
            "stock_location",
            saved.id.to_string(),
        ),
        None,
        Some(json!({"kind": saved.kind, "name": saved.name})),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Which places to list.
#[derive(Debug, Clone, Default)]
pub struct LocationFilter {
    pub kind: Option<String>,
    pub q: Option<String>,
}

/// Places by name.
pub async fn locations<C: ConnectionTrait>(
    db: &C,
    f: &LocationFilter,
    req: &PageRequest,
) -> Result<Page<stock_location::Model>, DbErr> {
    let mut q = stock_location::Entity::find();
    if let Some(k) = &f.kind {
        q = q.filter(stock_location::Column::Kind.eq(k.clone()));
    }
    if let Some(words) = f.q.as_deref().filter(|w| !w.trim().is_empty()) {
        q = q.filter(
            Expr::expr(Func::lower(Expr::col(stock_location::Column::Name)))
                .like(crate::network::like(words)),
        );
    }
    page::paginate(
        db,
        q,
        stock_location::Column::Name,
        stock_location::Column::Id,
        req,
        |m| (m.name.clone(), m.id),
    )
    .await
}

pub async fn location<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<stock_location::Model, Error> {
    stock_location::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such stock place.".into()))
}

/// A technician's own stock place, made on first use.
pub async fn technician_location<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<stock_location::Model, Error> {
    if let Some(l) = stock_location::Entity::find()
        .filter(stock_location::Column::UserId.eq(user_id))
        .one(db)
        .await?
    {
        return Ok(l);
    }
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.role == Role::Technician.as_str())
        .ok_or_else(|| Error::NotFound("No such technician.".into()))?;
    Ok(stock_location::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(PlaceKind::Technician.as_str().to_string()),
        name: Set(u.name),
        user_id: Set(Some(user_id)),
        customer_id: Set(None),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// A customer's home as a stock place, made on first use.
pub async fn customer_location<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<stock_location::Model, Error> {
    if let Some(l) = stock_location::Entity::find()
        .filter(stock_location::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
    {
        return Ok(l);
    }
    let c = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such customer.".into()))?;
    Ok(stock_location::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(PlaceKind::Customer.as_str().to_string()),
        name: Set(format!("{} {}", c.customer_number, c.name)),
        user_id: Set(None),
        customer_id: Set(Some(customer_id)),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// A movement as asked.
#[derive(Debug, Clone)]
pub struct MovementInput {
    /// The caller's own id for the movement: sent twice, it is done once.
    pub id: Option<Uuid>,
    pub kind: MovementKind,
    /// May be left out when `serial` names the unit.
    pub item_id: Option<Uuid>,
    pub quantity: i64,
    pub from_location_id: Option<Uuid>,
    pub to_location_id: Option<Uuid>,
    /// A technician's own stock, instead of its place id.
    pub from_technician_id: Option<Uuid>,
    pub to_technician_id: Option<Uuid>,
    pub serial: Option<String>,
    /// A new unit's MAC address (receipts).
    pub mac: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub reason: String,
    /// At a customer's (installs); default: the item's terms.
    pub terms: Option<Terms>,
}

fn movement_view(m: &stock_movement::Model) -> Value {
    json!({
        "kind": m.kind, "item_id": m.item_id, "quantity": m.quantity,
        "from_location_id": m.from_location_id, "to_location_id": m.to_location_id,
        "asset_id": m.asset_id, "ticket_id": m.ticket_id, "reason": m.reason,
    })
}

fn unknown(field: &str, what: &str) -> Error {
    Invalid::one(netcrew_domain::FieldError::new(
        field,
        "unknown",
        format!("no such {what}"),
    ))
    .into()
}

fn normal_mac(c: &mut Checks, mac: &str) -> Option<String> {
    let hex: String = mac
        .chars()
        .filter(|ch| ch.is_ascii_hexdigit())
        .collect::<String>()
        .to_uppercase();
    if hex.len() != 12
        || mac
            .chars()
            .any(|ch| !(ch.is_ascii_hexdigit() || matches!(ch, ':' | '-' | '.')))
    {
        c.fail("mac", "format", "a MAC address such as 00:1A:2B:3C:4D:5E");
        return None;
    }
    Some(
        hex.as_bytes()
            .chunks(2)
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// Takes `quantity` of `item` out of `place`, or says how much is there.
async fn take<C: ConnectionTrait>(
    txn: &C,
    item: &inventory_item::Model,
    place: &stock_location::Model,
    quantity: i64,
) -> Result<i64, Error> {
    let done = stock_balance::Entity::update_many()
        .col_expr(
            stock_balance::Column::Quantity,
            Expr::col(stock_balance::Column::Quantity).sub(quantity),
        )
        .filter(stock_balance::Column::ItemId.eq(item.id))
        .filter(stock_balance::Column::LocationId.eq(place.id))
        .filter(stock_balance::Column::Quantity.gte(quantity))
        .exec(txn)
        .await?;
    let now_there = balance(txn, item.id, place.id).await?;
    if done.rows_affected == 0 {
        return Err(Error::Conflict(format!(
            "{} holds {now_there} {} of {}; {quantity} asked.",
            place.name, item.unit, item.name
        )));
    }
    Ok(now_there)
}

/// Puts `quantity` of `item` into `place`.
async fn put<C: ConnectionTrait>(
    txn: &C,
    item: Uuid,
    place: Uuid,
    quantity: i64,
) -> Result<(), DbErr> {
    stock_balance::Entity::insert(stock_balance::ActiveModel {
        item_id: Set(item),
        location_id: Set(place),
        quantity: Set(quantity),
    })
    .on_conflict(
        OnConflict::columns([
            stock_balance::Column::ItemId,
            stock_balance::Column::LocationId,
        ])
        .value(
            stock_balance::Column::Quantity,
            Expr::col((stock_balance::Entity, stock_balance::Column::Quantity))
                .add(Expr::cust("excluded.quantity")),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// What `item` at `place` holds now.
pub async fn balance<C: ConnectionTrait>(db: &C, item: Uuid, place: Uuid) -> Result<i64, DbErr> {
    Ok(stock_balance::Entity::find_by_id((item, place))
        .one(db)
        .await?
        .map_or(0, |b| b.quantity))
}

/// Tells the admins and supervisors when `place` fell below its reorder
/// level of `item` with this movement.
async fn below_reorder<C: ConnectionTrait>(
    txn: &C,
    item: &inventory_item::Model,
    place: &stock_location::Model,
    before: i64,
    after: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(level) = reorder_level::Entity::find_by_id((item.id, place.id))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    if !(before >= level.minimum && after < level.minimum) {
        return Ok(());
    }
    let people: Vec<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Supervisor.as_str()]))
        .into_tuple()
        .all(txn)
        .await?;
    notifications::notify(
        txn,
        &people,
        &Note {
            kind: "stock_low",
            ticket: None,
            outage_id: None,
            data: json!({
                "item_id": item.id, "item": item.name, "code": item.code,
                "location_id": place.id, "location": place.name,
                "quantity": after, "minimum": level.minimum, "unit": item.unit,
            }),
        },
        now,
    )
    .await
}

/// Posts one movement: checked, written to the ledger with its balances
/// and asset in one transaction, audited. `approved_by` is kept with
/// adjustments.
pub async fn post(
    db: &Db,
    who: &Person,
    input: MovementInput,
    approved_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<stock_movement::Model, Error> {
    let txn = db.begin_write().await?;
    if let Some(id) = input.id
        && let Some(done) = stock_movement::Entity::find()
            .filter(stock_movement::Column::RequestId.eq(id))
            .one(&*txn)
            .await?
    {
        // Sent again: the movement already made.
        return Ok(done);
    }
    let saved = post_in(&*txn, who, input, approved_by, now).await?;
    txn.commit().await?;
    Ok(saved)
}

/// [`post`] inside the caller's transaction.
pub async fn post_in<C: ConnectionTrait>(
    txn: &C,
    who: &Person,
    input: MovementInput,
    approved_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<stock_movement::Model, Error> {
    let mut c = Checks::default();
    let serial = input
        .serial
        .as_deref()
        .and_then(|s| c.optional_text("serial", s, 64))
        .map(|s| s.to_uppercase());
    let mac = input
        .mac
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .and_then(|m| normal_mac(&mut c, m));
    let reason = c.multiline("reason", &input.reason, 500);
    // The unit, when one is named and already known.
    let existing = match (&serial, input.kind) {
        (Some(s), k) if k != MovementKind::Receipt => Some(
            asset::Entity::find()
                .filter(asset::Column::Serial.eq(s.clone()))
                .one(txn)
                .await?
                .ok_or_else(|| unknown("serial", "unit with this serial number"))?,
        ),
        _ => None,
    };
    let item_id = input
        .item_id
        .or(existing.as_ref().map(|a| a.item_id))
        .ok_or_else(|| {
            Error::from(Invalid::one(netcrew_domain::FieldError::new(
                "item_id",
                "required",
                "name the item",
            )))
        })?;
    let item = inventory_item::Entity::find_by_id(item_id)
        .one(txn)
        .await?
        .ok_or_else(|| unknown("item_id", "item"))?;
    if let Some(a) = &existing
        && a.item_id != item.id
    {
        c.fail(
            "serial",
            "other_item",
            "this serial number is of another item",
        );
    }
    let ticket = match input.ticket_id {
        Some(id) => Some(
            ticket::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| unknown("ticket_id", "ticket"))?,
        ),
        None => None,
    };
    if input.kind == MovementKind::Install && ticket.is_none() {
        c.fail("ticket_id", "required", "an installation is on a ticket");
    }
    // Places: as given; for an install, the ticket's technician's stock;
    // else where the named unit is.
    let from_place = match (input.from_location_id, input.from_technician_id) {
        (Some(id), _) => Some(id),
        (None, Some(tech)) => Some(
            technician_location(txn, tech, now)
                .await
                .map_err(|_| unknown("from_technician_id", "technician"))?
                .id,
        ),
        (None, None) => None,
    };
    let to_place = match (input.to_location_id, input.to_technician_id) {
        (Some(id), _) => Some(id),
        (None, Some(tech)) => Some(
            technician_location(txn, tech, now)
                .await
                .map_err(|_| unknown("to_technician_id", "technician"))?
                .id,
        ),
        (None, None) => None,
    };
    let from = match from_place {
        Some(id) => Some(
            stock_location::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| unknown("from_location_id", "stock place"))?,
        ),
        None if input.kind == MovementKind::Install => {
            match ticket.as_ref().and_then(|t| t.technician_id) {
                Some(tech) => Some(technician_location(txn, tech, now).await?),
                None => None,
            }
        }
        None => match existing.as_ref() {
            Some(a) => {
                stock_location::Entity::find_by_id(a.location_id)
                    .one(txn)
                    .await?
            }
            None => None,
        },
    };
    let to = match to_place {
        Some(id) => Some(
            stock_location::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| unknown("to_location_id", "stock place"))?,
        ),
        None if input.kind == MovementKind::Install => match &ticket {
            Some(t) => Some(customer_location(txn, t.customer_id, now).await?),
            None => None,
        },
        None => None,
    };
    let kind_of = |l: &Option<stock_location::Model>| {
        l.as_ref().and_then(|l| l.kind.parse::<PlaceKind>().ok())
    };
    inventory::check_movement(
        &mut c,
        &Proposed {
            kind: input.kind,
            from: kind_of(&from),
            to: kind_of(&to),
            quantity: input.quantity,
            serial_tracked: item.serial_tracked,
            has_asset: serial.is_some(),
            reason: &reason,
        },
    );
    if let (Some(t), Some(place)) = (&ticket, &to)
        && input.kind == MovementKind::Install
        && place.customer_id != Some(t.customer_id)
    {
        c.fail(
            "to_location_id",
            "other_customer",
            "the ticket's customer is elsewhere",
        );
    }
    if input.kind == MovementKind::Receipt
        && let Some(s) = &serial
        && asset::Entity::find()
            .filter(asset::Column::Serial.eq(s.clone()))
            .one(txn)
            .await?
            .is_some()
    {
        c.push(
            netcrew_domain::FieldError::new(
                "serial",
                "taken",
                "a unit with this serial number is already known",
            )
            .with("serial", s.clone()),
        );
    }
    if let Some(m) = &mac
        && asset::Entity::find()
            .filter(asset::Column::Mac.eq(m.clone()))
            .one(txn)
            .await?
            .is_some()
    {
        c.fail(
            "mac",
            "taken",
            "a unit with this MAC address is already known",
        );
    }
    if !item.active && input.kind == MovementKind::Receipt {
        c.fail("item_id", "inactive", "this item is no longer stocked");
    }
    c.finish()?;

    // The unit moves only from where it is.
    let mut asset_id = existing.as_ref().map(|a| a.id);
    if let (Some(a), Some(f)) = (&existing, &from)
        && a.location_id != f.id
    {
        return Err(Error::Conflict(format!(
            "Unit {} is not at {}.",
            a.serial, f.name
        )));
    }
    let before = match &from {
        Some(f) => balance(txn, item.id, f.id).await?,
        None => 0,
    };
    let after = match &from {
        Some(f) => Some(take(txn, &item, f, input.quantity).await?),
        None => None,
    };
    if let Some(t) = &to {
        put(txn, item.id, t.id, input.quantity).await?;
    }
    let terms = input
        .terms
        .map(|t| t.as_str().to_string())
        .or(item.terms.clone());
    match (&existing, &serial) {
        (Some(a), _) => {
            let moved = asset::Entity::update_many()
                .col_expr(
                    asset::Column::LocationId,
                    Expr::value(to.as_ref().map_or(a.location_id, |t| t.id)),
                )
                .col_expr(
                    asset::Column::Terms,
                    Expr::value(if input.kind == MovementKind::Install {
                        terms.clone()
                    } else {
                        a.terms.clone()
                    }),
                )
                .col_expr(asset::Column::UpdatedAt, Expr::value(now))
                .filter(asset::Column::Id.eq(a.id))
                .filter(asset::Column::LocationId.eq(a.location_id))
                .exec(txn)
                .await?;
            if moved.rows_affected == 0 {
                return Err(Error::Conflict(format!(
                    "Unit {} moved meanwhile; look again.",
                    a.serial
                )));
            }
        }
        (None, Some(s)) => {
            let Some(place) = &to else {
                return Err(Error::Conflict("a new unit needs a place".into()));
            };
            let id = Uuid::now_v7();
            let inserted = asset::ActiveModel {
                id: Set(id),
                item_id: Set(item.id),
                serial: Set(s.clone()),
                mac: Set(mac.clone()),
                location_id: Set(place.id),
                terms: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(txn)
            .await;
            if let Err(e) = inserted {
                if crate::error::classify(&e) == crate::error::DbFailure::Unique {
                    return Err(Invalid::one(netcrew_domain::FieldError::new(
                        "serial",
                        "taken",
                        "a unit with this serial number or MAC is already known",
                    ))
                    .into());
                }
                return Err(e.into());
            }
            asset_id = Some(id);
        }
        (None, None) => {}
    }
    let m = stock_movement::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(input.id),
        kind: Set(input.kind.as_str().to_string()),
        item_id: Set(item.id),
        quantity: Set(input.quantity),
        from_location_id: Set(from.as_ref().map(|f| f.id)),
        to_location_id: Set(to.as_ref().map(|t| t.id)),
        asset_id: Set(asset_id),
        ticket_id: Set(ticket.as_ref().map(|t| t.id)),
        reason: Set(reason),
        unit_cost: Set(item.unit_cost),
        approved_by: Set(approved_by),
        created_by: Set(who.id),
        created_at: Set(now),
    };
    let saved = match m.insert(txn).await {
        Ok(s) => s,
        Err(e) if crate::error::classify(&e) == crate::error::DbFailure::Unique => {
            return Err(Error::Conflict(
                "a movement with this id was made already".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    audited(
        txn,
        &who.actor(),
        ("inventory.movement", "stock_movement", saved.id.to_string()),
        None,
        Some(movement_view(&saved)),
        now,
    )
    .await?;
    if let (Some(f), Some(after)) = (&from, after) {
        below_reorder(txn, &item, f, before, after, now).await?;
    }
    Ok(saved)
}

/// One line of stock on hand.
#[derive(Debug, Clone)]
pub struct Holding {
    pub item: inventory_item::Model,
    pub location: stock_location::Model,
    pub quantity: i64,
    pub minimum: Option<i64>,
}

/// Which balances to list.
#[derive(Debug, Clone, Default)]
pub struct BalanceFilter {
    pub location_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// Words in the item's code or name.
    pub q: Option<String>,
    /// Only places of this kind; none: every kind but customers' homes
    /// (unless `location_id` names one).
    pub location_kind: Option<String>,
    /// Only what is under its reorder level.
    pub below_minimum: bool,
}

/// The non-zero balances `f` asks for, joined with their item and place
/// (and reorder level) so that every filter runs in the database.
/// The places of the kinds `f` asks for, when they are the ISP's own
/// (warehouses, technicians, RMA, written off: hundreds or thousands, not
/// the hundreds of thousands of customers' homes): naming them lets the
/// database read only their balances.
async fn own_places<C: ConnectionTrait>(
    db: &C,
    f: &BalanceFilter,
) -> Result<Option<Vec<Uuid>>, DbErr> {
    if f.location_id.is_some() {
        return Ok(None);
    }
    let kinds: Vec<&str> = match f.location_kind.as_deref() {
        Some(k) if k == PlaceKind::Customer.as_str() => return Ok(None),
        Some(k) => vec![k],
        None => PlaceKind::ALL
            .into_iter()
            .filter(|k| *k != PlaceKind::Customer)
            .map(PlaceKind::as_str)
            .collect(),
    };
    Ok(Some(
        stock_location::Entity::find()
            .select_only()
            .column(stock_location::Column::Id)
            .filter(stock_location::Column::Kind.is_in(kinds))
            .into_tuple()
            .all(db)
            .await?,
    ))
}

fn matching(f: &BalanceFilter, places: Option<&[Uuid]>) -> sea_orm::Select<stock_balance::Entity> {
    use sea_orm::{JoinType, sea_query::IntoCondition};
    let mut q = stock_balance::Entity::find()
        .join(
            JoinType::InnerJoin,
            stock_balance::Entity::belongs_to(inventory_item::Entity)
                .from(stock_balance::Column::ItemId)
                .to(inventory_item::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            stock_balance::Entity::belongs_to(stock_location::Entity)
                .from(stock_balance::Column::LocationId)
                .to(stock_location::Column::Id)
                .into(),
        )
        .join(
            if f.below_minimum {
                JoinType::InnerJoin
            } else {
                JoinType::LeftJoin
            },
            stock_balance::Entity::belongs_to(reorder_level::Entity)
                .from((
                    stock_balance::Column::ItemId,
                    stock_balance::Column::LocationId,
                ))
                .to((
                    reorder_level::Column::ItemId,
                    reorder_level::Column::LocationId,
                ))
                .into(),
        )
        .filter(stock_balance::Column::Quantity.ne(0));
    if let Some(words) = &f.q {
        q = q.filter(item_words(words));
    }
    if let Some(i) = f.item_id {
        q = q.filter(stock_balance::Column::ItemId.eq(i));
    }
    if let Some(l) = f.location_id {
        q = q.filter(stock_balance::Column::LocationId.eq(l));
    }
    // Stock on hand is the ISP's own places' (named, see [`own_places`]);
    // what is installed at customers' homes only when asked for.
    if let Some(ids) = places {
        q = q.filter(stock_balance::Column::LocationId.is_in(ids.iter().copied()));
    } else if let Some(k) = &f.location_kind {
        q = q.filter(
            Expr::col((stock_location::Entity, stock_location::Column::Kind))
                .eq(k.clone())
                .into_condition(),
        );
    }
    if f.below_minimum {
        q = q.filter(
            Expr::col((stock_balance::Entity, stock_balance::Column::Quantity)).lt(Expr::col((
                reorder_level::Entity,
                reorder_level::Column::Minimum,
            ))),
        );
    }
    q
}

/// Stock on hand (non-zero balances), by item code and place name; at most
/// `limit` lines after `offset`, and how many there are.
pub async fn holdings<C: ConnectionTrait>(
    db: &C,
    f: &BalanceFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Holding>, u64), DbErr> {
    let places = own_places(db, f).await?;
    let rows: Vec<(Uuid, Uuid, i64, Option<i64>)> = matching(f, places.as_deref())
        .select_only()
        .column(stock_balance::Column::ItemId)
        .column(stock_balance::Column::LocationId)
        .column(stock_balance::Column::Quantity)
        .expr(Expr::col((
            reorder_level::Entity,
            reorder_level::Column::Minimum,
        )))
        .order_by_asc(Expr::col((
            inventory_item::Entity,
            inventory_item::Column::Code,
        )))
        .order_by_asc(Expr::col((
            stock_location::Entity,
            stock_location::Column::Name,
        )))
        .order_by_asc(stock_balance::Column::LocationId)
        .offset(offset)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let total: i64 = matching(f, places.as_deref())
        .select_only()
        .expr(Expr::cust("COUNT(*)"))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0);
    let items: std::collections::BTreeMap<Uuid, inventory_item::Model> =
        inventory_item::Entity::find()
            .filter(inventory_item::Column::Id.is_in(rows.iter().map(|r| r.0)))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
    let places: std::collections::BTreeMap<Uuid, stock_location::Model> =
        stock_location::Entity::find()
            .filter(stock_location::Column::Id.is_in(rows.iter().map(|r| r.1)))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
    let lines = rows
        .into_iter()
        .filter_map(|(item, place, quantity, minimum)| {
            Some(Holding {
                item: items.get(&item)?.clone(),
                location: places.get(&place)?.clone(),
                quantity,
                minimum,
            })
        })
        .collect();
    Ok((lines, total.max(0) as u64))
}

/// The value of the stock on hand `f` asks for, by kind of place.
#[derive(Debug, Clone, Default)]
pub struct StockValue {
    pub lines: u64,
    /// In rupiah, at each item's unit cost.
    pub value: i64,
    /// Kind of place, its lines and value, by kind.
    pub by_kind: Vec<(String, u64, i64)>,
}

/// Totals of [`holdings`] over every matching line, summed in the database.
pub async fn stock_value<C: ConnectionTrait>(
    db: &C,
    f: &BalanceFilter,
) -> Result<StockValue, DbErr> {
    let kind = Expr::col((stock_location::Entity, stock_location::Column::Kind));
    let places = own_places(db, f).await?;
    let rows: Vec<(String, i64, Option<i64>)> = matching(f, places.as_deref())
        .select_only()
        .expr(kind.clone())
        .expr(Expr::cust("COUNT(*)"))
        .expr(Expr::cust(
            "CAST(SUM(stock_balances.quantity * inventory_items.unit_cost) AS BIGINT)",
        ))
        .group_by(kind.clone())
        .order_by_asc(kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut total = StockValue::default();
    for (kind, lines, value) in rows {
        let (lines, value) = (lines.max(0) as u64, value.unwrap_or(0));
        total.lines += lines;
        total.value += value;
        total.by_kind.push((kind, lines, value));
    }
    Ok(total)
}

/// Sets (or, with none, clears) the reorder level of `item` at `place`.
pub async fn set_reorder_level(
    db: &Db,
    who: &Person,
    item: Uuid,
    place: Uuid,
    minimum: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if let Some(m) = minimum
        && !(0..=inventory::MAX_QUANTITY).contains(&m)
    {
        return Err(Invalid::one(
            netcrew_domain::FieldError::new("minimum", "range", "0 to 1,000,000")
                .with("min", 0)
                .with("max", inventory::MAX_QUANTITY),
        )
        .into());
    }
    let txn = db.begin_write().await?;
    self::item(&*txn, item).await?;
    location(&*txn, place).await?;
    reorder_level::Entity::delete_by_id((item, place))
        .exec(&*txn)
        .await?;
    if let Some(m) = minimum {
        reorder_level::ActiveModel {
            item_id: Set(item),
            location_id: Set(place),
            minimum: Set(m),
        }
        .insert(&*txn)
        .await?;
    }
    audited(
        &*txn,
        &who.actor(),
        (
            "inventory.reorder_level",
            "stock_location",
            place.to_string(),
        ),
        None,
        Some(json!({"item_id": item, "minimum": minimum})),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Which movements to list.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub item_id: Option<Uuid>,
    /// Into or out of this place.
    pub location_id: Option<Uuid>,
    pub kind: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub asset_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Movements, newest first.
pub async fn movements<C: ConnectionTrait>(
    db: &C,
    f: &MovementFilter,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<stock_movement::Model>, PageError>, DbErr> {
    let mut q = stock_movement::Entity::find();
    if let Some(i) = f.item_id {
        q = q.filter(stock_movement::Column::ItemId.eq(i));
    }
    if let Some(l) = f.location_id {
        q = q.filter(
            Condition::any()
                .add(stock_movement::Column::FromLocationId.eq(l))
                .add(stock_movement::Column::ToLocationId.eq(l)),
        );
    }
    if let Some(k) = &f.kind {
        q = q.filter(stock_movement::Column::Kind.eq(k.clone()));
    }
    if let Some(t) = f.ticket_id {
        q = q.filter(stock_movement::Column::TicketId.eq(t));
    }
    if let Some(a) = f.asset_id {
        q = q.filter(stock_movement::Column::AssetId.eq(a));
    }
    if let Some(s) = f.since {
        q = q.filter(stock_movement::Column::CreatedAt.gte(s));
    }
    if let Some(u) = f.until {
        q = q.filter(stock_movement::Column::CreatedAt.lt(u));
    }
    page::newest_first(db, q, stock_movement::Column::Id, limit, cursor, |m| m.id).await
}

/// A unit with its item, where it is, and its movements oldest first.
pub struct UnitHistory {
    pub unit: asset::Model,
    pub item: Option<inventory_item::Model>,
    pub at: Option<stock_location::Model>,
    pub movements: Vec<stock_movement::Model>,
}

/// A unit by id or serial number, with its history.
pub async fn asset_history<C: ConnectionTrait>(
    db: &C,
    id_or_serial: &str,
) -> Result<UnitHistory, Error> {
    let found = match Uuid::parse_str(id_or_serial) {
        Ok(id) => asset::Entity::find_by_id(id).one(db).await?,
        Err(_) => {
            asset::Entity::find()
                .filter(asset::Column::Serial.eq(id_or_serial.trim().to_uppercase()))
                .one(db)
                .await?
        }
    };
    let a = found.ok_or_else(|| Error::NotFound("No such unit.".into()))?;
    let movements = stock_movement::Entity::find()
        .filter(stock_movement::Column::AssetId.eq(a.id))
        .order_by_asc(stock_movement::Column::Id)
        .all(db)
        .await?;
    Ok(UnitHistory {
        item: inventory_item::Entity::find_by_id(a.item_id)
            .one(db)
            .await?,
        at: stock_location::Entity::find_by_id(a.location_id)
            .one(db)
            .await?,
        unit: a,
        movements,
    })
}

/// What a technician carries: their place (none before their first
/// stock), its lines and the units there with their items.
pub struct Carried {
    pub technician: user::Model,
    pub place: Option<stock_location::Model>,
    pub lines: Vec<Holding>,
    pub units: Vec<(asset::Model, Option<inventory_item::Model>)>,
}

/// What technician `id` carries.
pub async fn carried<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Carried, Error> {
    let technician = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.role == Role::Technician.as_str())
        .ok_or_else(|| Error::NotFound("No such technician.".into()))?;
    let Some(place) = own_place(db, id).await? else {
        return Ok(Carried {
            technician,
            place: None,
            lines: Vec::new(),
            units: Vec::new(),
        });
    };
    let (lines, _) = holdings(
        db,
        &BalanceFilter {
            location_id: Some(place.id),
            ..Default::default()
        },
        10_000,
        0,
    )
    .await?;
    let held = asset::Entity::find()
        .filter(asset::Column::LocationId.eq(place.id))
        .order_by_asc(asset::Column::Serial)
        .all(db)
        .await?;
    let items: std::collections::BTreeMap<Uuid, inventory_item::Model> =
        inventory_item::Entity::find()
            .filter(inventory_item::Column::Id.is_in(held.iter().map(|a| a.item_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
    Ok(Carried {
        technician,
        units: held
            .into_iter()
            .map(|a| {
                let i = items.get(&a.item_id).cloned();
                (a, i)
            })
            .collect(),
        place: Some(place),
        lines,
    })
}

/// Which units to list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub location_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// Part of the serial number or MAC.
    pub q: Option<String>,
    /// Only the ISP's units (loaned or rented) still at the homes of
    /// customers whose service has ended: what a dismantle must bring back.
    pub outstanding: bool,
}

/// Units by serial number.
pub async fn units<C: ConnectionTrait>(
    db: &C,
    f: &UnitFilter,
    req: &PageRequest,
) -> Result<Page<asset::Model>, DbErr> {
    let mut q = asset::Entity::find();
    if let Some(l) = f.location_id {
        q = q.filter(asset::Column::LocationId.eq(l));
    }
    if let Some(i) = f.item_id {
        q = q.filter(asset::Column::ItemId.eq(i));
    }
    if f.outstanding {
        let ended: Vec<Uuid> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .filter(
                customer::Column::Status.eq(netcrew_domain::CustomerStatus::Terminated.as_str()),
            )
            .into_tuple()
            .all(db)
            .await?;
        let homes: Vec<Uuid> = stock_location::Entity::find()
            .select_only()
            .column(stock_location::Column::Id)
            .filter(stock_location::Column::CustomerId.is_in(ended))
            .into_tuple()
            .all(db)
            .await?;
        q = q
            .filter(asset::Column::LocationId.is_in(homes))
            .filter(asset::Column::Terms.is_in([Terms::Loaned.as_str(), Terms::Rented.as_str()]));
    }
    if let Some(words) = f.q.as_deref().filter(|w| !w.trim().is_empty()) {
        let pattern = crate::network::like(words);
        q = q.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(asset::Column::Serial))).like(&pattern))
                .add(Expr::expr(Func::lower(Expr::col(asset::Column::Mac))).like(&pattern)),
        );
    }
    page::paginate(db, q, asset::Column::Serial, asset::Column::Id, req, |a| {
        (a.serial.clone(), a.id)
    })
    .await
}

/// Items and places by id, for showing units.
pub async fn unit_names<C: ConnectionTrait>(
    db: &C,
    units: &[asset::Model],
) -> Result<
    (
        std::collections::BTreeMap<Uuid, inventory_item::Model>,
        std::collections::BTreeMap<Uuid, stock_location::Model>,
    ),
    DbErr,
> {
    Ok((
        inventory_item::Entity::find()
            .filter(inventory_item::Column::Id.is_in(units.iter().map(|u| u.item_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect(),
        stock_location::Entity::find()
            .filter(stock_location::Column::Id.is_in(units.iter().map(|u| u.location_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect(),
    ))
}

/// The unit with this serial number, if known.
pub async fn unit_of<C: ConnectionTrait>(
    db: &C,
    serial: &str,
) -> Result<Option<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::Serial.eq(serial.trim().to_uppercase()))
        .one(db)
        .await
}

/// A technician's own stock place, if they have had stock.
pub async fn own_place<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<Option<stock_location::Model>, DbErr> {
    stock_location::Entity::find()
        .filter(stock_location::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Names of places and items, for showing movements.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    moves: &[stock_movement::Model],
) -> Result<
    (
        std::collections::BTreeMap<Uuid, stock_location::Model>,
        std::collections::BTreeMap<Uuid, inventory_item::Model>,
        std::collections::BTreeMap<Uuid, asset::Model>,
    ),
    DbErr,
> {
    let places: Vec<Uuid> = moves
        .iter()
        .flat_map(|m| [m.from_location_id, m.to_location_id])
        .flatten()
        .collect();
    let items: Vec<Uuid> = moves.iter().map(|m| m.item_id).collect();
    let assets: Vec<Uuid> = moves.iter().filter_map(|m| m.asset_id).collect();
    Ok((
        stock_location::Entity::find()
            .filter(stock_location::Column::Id.is_in(places))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect(),
        inventory_item::Entity::find()
            .filter(inventory_item::Column::Id.is_in(items))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect(),
        asset::Entity::find()
            .filter(asset::Column::Id.is_in(assets))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect(),
    ))
}

/// How usage is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageBy {
    /// The technician whose stock it came from.
    Technician,
    /// The kind of ticket it was used on.
    TicketKind,
    /// The month (in the ISP's zone).
    Month,
}

/// What was used of one item in one group.
#[derive(Debug, Clone)]
pub struct UsageLine {
    /// The technician's id, the ticket kind or `YYYY-MM`.
    pub group: String,
    /// The technician's name, the ticket kind or `YYYY-MM`.
    pub label: String,
    pub item: inventory_item::Model,
    pub quantity: i64,
    /// Rupiah, at the unit costs of the time.
    pub value: i64,
}

/// Sums of install movements between `since` and `until`, grouped by
/// `group` and by item: (group, item, quantity, value).
async fn summed<C: ConnectionTrait, G: sea_orm::TryGetable>(
    db: &C,
    group: sea_orm::sea_query::SimpleExpr,
    join_tickets: bool,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(G, Uuid, i64, i64)>, DbErr> {
    use sea_orm::JoinType;
    let mut q = stock_movement::Entity::find()
        .select_only()
        .column_as(group.clone(), "g")
        .column(stock_movement::Column::ItemId)
        .column_as(
            Expr::cust("CAST(SUM(stock_movements.quantity) AS BIGINT)"),
            "q",
        )
        .column_as(
            Expr::cust("CAST(SUM(stock_movements.quantity * stock_movements.unit_cost) AS BIGINT)"),
            "v",
        )
        .filter(stock_movement::Column::Kind.eq(MovementKind::Install.as_str()))
        .filter(stock_movement::Column::CreatedAt.gte(since))
        .filter(stock_movement::Column::CreatedAt.lt(until));
    if join_tickets {
        q = q.join(
            JoinType::InnerJoin,
            stock_movement::Entity::belongs_to(ticket::Entity)
                .from(stock_movement::Column::TicketId)
                .to(ticket::Column::Id)
                .into(),
        );
    }
    q.group_by(group)
        .group_by(stock_movement::Column::ItemId)
        .into_tuple::<(G, Uuid, i64, i64)>()
        .all(db)
        .await
}

/// What was used on jobs between `since` and `until`, grouped `by`, with
/// its value in rupiah; by group label and item code.
pub async fn usage<C: ConnectionTrait>(
    db: &C,
    by: UsageBy,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    zone: netcrew_domain::schedule::Zone,
) -> Result<Vec<UsageLine>, DbErr> {
    let mut rows: Vec<(String, String, Uuid, i64, i64)> = Vec::new();
    match by {
        UsageBy::Technician => {
            let sums: Vec<(Option<Uuid>, Uuid, i64, i64)> = summed(
                db,
                Expr::col((
                    stock_movement::Entity,
                    stock_movement::Column::FromLocationId,
                ))
                .into(),
                false,
                since,
                until,
            )
            .await?;
            let places: std::collections::BTreeMap<Uuid, stock_location::Model> =
                stock_location::Entity::find()
                    .filter(stock_location::Column::Kind.eq(PlaceKind::Technician.as_str()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|l| (l.id, l))
                    .collect();
            for (g, item, q, v) in sums {
                if let Some(p) = g.and_then(|g| places.get(&g)) {
                    let who = p.user_id.unwrap_or(p.id).to_string();
                    rows.push((who, p.name.clone(), item, q, v));
                }
            }
        }
        UsageBy::TicketKind => {
            let sums: Vec<(String, Uuid, i64, i64)> = summed(
                db,
                Expr::col((ticket::Entity, ticket::Column::Kind)).into(),
                true,
                since,
                until,
            )
            .await?;
            for (g, item, q, v) in sums {
                rows.push((g.clone(), g, item, q, v));
            }
        }
        UsageBy::Month => {
            use chrono::{Datelike, NaiveDate, TimeZone};
            let local = since.with_timezone(&zone).date_naive();
            let mut month = NaiveDate::from_ymd_opt(local.year(), local.month(), 1);
            while let Some(first) = month {
                let next = if first.month() == 12 {
                    NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
                };
                let Some(next_first) = next else { break };
                let start = zone
                    .from_local_datetime(&first.and_time(chrono::NaiveTime::MIN))
                    .earliest()
                    .map_or(since, |t| t.with_timezone(&Utc))
                    .max(since);
                let end = zone
                    .from_local_datetime(&next_first.and_time(chrono::NaiveTime::MIN))
                    .earliest()
                    .map_or(until, |t| t.with_timezone(&Utc))
                    .min(until);
                if start >= until {
                    break;
                }
                let label = first.format("%Y-%m").to_string();
                // Grouped by item alone (a constant cannot be grouped by on
                // PostgreSQL).
                let sums: Vec<(Uuid, Uuid, i64, i64)> = summed(
                    db,
                    Expr::col((stock_movement::Entity, stock_movement::Column::ItemId)).into(),
                    false,
                    start,
                    end,
                )
                .await?;
                for (_, item, q, v) in sums {
                    rows.push((label.clone(), label.clone(), item, q, v));
                }
                month = Some(next_first);
            }
        }
    }
    let items: std::collections::BTreeMap<Uuid, inventory_item::Model> =
        inventory_item::Entity::find()
            .filter(inventory_item::Column::Id.is_in(rows.iter().map(|r| r.2)))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
    let mut lines: Vec<UsageLine> = rows
        .into_iter()
        .filter_map(|(group, label, item, quantity, value)| {
            Some(UsageLine {
                group,
                label,
                item: items.get(&item)?.clone(),
                quantity,
                value,
            })
        })
        .collect();
    lines.sort_by(|a, b| {
        (a.label.as_str(), a.item.code.as_str()).cmp(&(b.label.as_str(), b.item.code.as_str()))
    });
    Ok(lines)
}
