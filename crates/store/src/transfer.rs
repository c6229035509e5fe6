//! CSV import and export of areas, ODCs, ODPs, packages and customers. ISPs
//! keep these in spreadsheets: a file is planned line by line through each
//! record's one write path (the same drafts and rules as the console and
//! API), every bad value is reported with its line, and an import is all or
//! nothing. Existing records (same code, name or customer number) are
//! updated, so an export edited in a spreadsheet can be imported back.
//!
//! Reading the file itself (encoding, CSV, header) is the caller's; this
//! module takes its lines as cells by column.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
pub use netcrew_domain::transfer::TransferKind;
use netcrew_domain::{
    CustomerNumber, CustomerSource, FieldError, Invalid, PlantStatus, schedule::Zone, text,
};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    catalog::{self, PackageChange, PackageDraft},
    customers::{self, CustomerChange},
    entity::{area, customer, odc, odp, package},
    plant::{self, AreaChange, AreaDraft, OdcChange, OdcDraft, OdpChange, OdpDraft},
};

/// One data line of a file: its number (the header is line 1) and its
/// cells by column name.
#[derive(Debug, Clone)]
pub struct Line {
    pub number: u64,
    pub cells: HashMap<String, String>,
}

/// One bad value of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub line: u64,
    /// The column (or, for a value the file cannot hold, the field).
    pub error: FieldError,
}

/// What an import is made of.
#[derive(Debug)]
pub struct Context {
    pub now: DateTime<Utc>,
    /// The ISP's time zone (for customers' installation dates).
    pub zone: Zone,
}

#[derive(Debug)]
enum Record {
    Area(area::Model),
    Odc(odc::Model),
    Odp(odp::Model),
    Package(package::Model),
    Customer(Box<customer::Model>),
    /// A receipt of opening stock.
    Stock(Box<crate::inventory::MovementInput>),
}

#[derive(Debug)]
struct Change {
    creating: bool,
    record: Record,
}

/// What importing a file would do: the records to create and update, and
/// every bad value (a plan with any is not applied).
#[derive(Debug)]
pub struct Plan {
    pub kind: TransferKind,
    /// Data lines read.
    pub rows: u64,
    changes: Vec<Change>,
    pub errors: Vec<LineError>,
}

impl Plan {
    pub fn created(&self) -> u64 {
        self.changes.iter().filter(|c| c.creating).count() as u64
    }

    pub fn updated(&self) -> u64 {
        self.changes.len() as u64 - self.created()
    }
}

/// A line being read; its errors go to the plan.
struct Row<'a> {
    line: u64,
    cells: &'a HashMap<String, String>,
    errors: &'a mut Vec<LineError>,
    /// The plan's errors before this line.
    start: usize,
}

impl<'a> Row<'a> {
    fn new(line: &'a Line, errors: &'a mut Vec<LineError>) -> Self {
        Row {
            line: line.number,
            cells: &line.cells,
            start: errors.len(),
            errors,
        }
    }

    /// Whether the line has no bad value: only such a line changes a record.
    fn is_clean(&self) -> bool {
        self.errors.len() == self.start
    }

    fn fail(&mut self, field: &str, code: &str, detail: impl Into<String>) {
        self.fail_with(FieldError::new(field, code, detail));
    }

    fn fail_with(&mut self, error: FieldError) {
        self.errors.push(LineError {
            line: self.line,
            error,
        });
    }

    /// The field errors of a record's rules, named by the file's columns.
    fn fail_all(&mut self, Invalid(errors): Invalid, columns: &[(&str, &str)]) {
        for e in errors {
            let field = columns
                .iter()
                .find(|(api, _)| *api == e.field)
                .map_or(e.field.as_str(), |(_, csv)| *csv)
                .to_string();
            self.fail_with(FieldError { field, ..e });
        }
    }

    /// A cell's value: trimmed, and without the quote an export puts before
    /// values a spreadsheet would take for a formula.
    fn get(&self, field: &str) -> String {
        self.cells
            .get(field)
            .map(|v| text::from_spreadsheet(v.trim()).to_string())
            .unwrap_or_default()
    }

    /// Whether the file has this (optional) column.
    fn has(&self, field: &str) -> bool {
        self.cells.contains_key(field)
    }

    fn optional(&self, field: &str) -> Option<String> {
        Some(self.get(field)).filter(|v| !v.is_empty())
    }

    fn number<T: std::str::FromStr>(&mut self, field: &str) -> Option<T> {
        let v = self.get(field);
        match v.replace(',', ".").parse::<T>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.fail(field, "format", format!("{v:?} is not a number"));
                None
            }
        }
    }

    /// Latitude and longitude, as numbers (the rules check the place).
    fn place(&mut self) -> Option<(f64, f64)> {
        let lat = self.number::<f64>("lat")?;
        let lng = self.number::<f64>("lng")?;
        Some((lat, lng))
    }

    fn boolean(&mut self, field: &str) -> Option<bool> {
        match self.get(field).to_lowercase().as_str() {
            "true" | "1" | "ya" | "yes" | "aktif" => Some(true),
            "false" | "0" | "tidak" | "no" | "nonaktif" => Some(false),
            other => {
                self.fail(field, "choice", format!("{other:?}: write true or false"));
                None
            }
        }
    }

    /// A key (code, name, number) another line of the file already has.
    fn once(&mut self, seen: &mut HashMap<String, u64>, field: &str, key: &str) {
        if key.is_empty() {
            return;
        }
        if let Some(first) = seen.insert(key.to_lowercase(), self.line) {
            self.fail(field, "duplicate", format!("also on line {first}"));
        }
    }
}

/// Reads every line of a file of `kind` through its records' rules.
pub async fn plan<C: ConnectionTrait>(
    db: &C,
    kind: TransferKind,
    lines: Vec<Line>,
    ctx: &Context,
) -> Result<Plan, DbErr> {
    let mut errors = Vec::new();
    let rows = lines.len() as u64;
    let changes = match kind {
        TransferKind::Areas => plan_areas(db, &lines, &mut errors, ctx).await?,
        TransferKind::Odcs => plan_odcs(db, &lines, &mut errors, ctx).await?,
        TransferKind::Odps => plan_odps(db, &lines, &mut errors, ctx).await?,
        TransferKind::Packages => plan_packages(db, &lines, &mut errors, ctx).await?,
        TransferKind::Customers => plan_customers(db, &lines, &mut errors, ctx).await?,
        TransferKind::Stock => plan_stock(db, &lines, &mut errors).await?,
    };
    Ok(Plan {
        kind,
        rows,
        changes,
        errors,
    })
}

/// Applies a plan without errors in one transaction, with one audit entry
/// for the import.
pub async fn apply(db: &Db, actor: &Actor, plan: Plan, now: DateTime<Utc>) -> Result<(), Error> {
    if let Some(first) = plan.errors.first() {
        return Err(Error::Invalid(Invalid::one(first.error.clone())));
    }
    let (rows, created, updated) = (plan.rows, plan.created(), plan.updated());
    let txn = db.begin_write().await?;
    // New customers without a number get theirs after the lines that bring
    // their own are saved, so the numbers handed out continue after those.
    let mut unnumbered = Vec::new();
    for change in plan.changes {
        let creating = change.creating;
        match change.record {
            Record::Area(m) => {
                plant::write_area(&*txn, creating, m).await?;
            }
            Record::Odc(m) => {
                plant::write_odc(&*txn, creating, m).await?;
            }
            Record::Odp(m) => {
                plant::write_odp(&*txn, creating, m).await?;
            }
            Record::Package(m) => {
                catalog::write_package(&*txn, creating, m).await?;
            }
            Record::Stock(m) => {
                let who = crate::tickets::Person {
                    id: actor.user_id,
                    name: String::new(),
                    role: None,
                    customer_id: None,
                    ip: actor.ip.clone(),
                };
                crate::inventory::post_in(&*txn, &who, *m, None, now).await?;
            }
            Record::Customer(m) => {
                if creating && m.customer_number.is_empty() {
                    unnumbered.push(*m);
                } else {
                    customers::write(&*txn, creating, *m).await?;
                }
            }
        }
    }
    for m in unnumbered {
        customers::write(&*txn, true, m).await?;
    }
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "import",
            entity: plan.kind.as_str(),
            entity_id: None,
            before: None,
            after: Some(json!({ "rows": rows, "created": created, "updated": updated })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Opening stock: each line a receipt into a warehouse named by name, of
/// an item named by code; a serial-numbered item one unit (its serial, and
/// MAC if known) per line.
async fn plan_stock<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
) -> Result<Vec<Change>, DbErr> {
    use crate::entity::{asset, inventory_item, stock_location};
    use netcrew_domain::inventory::{MAX_QUANTITY, MovementKind, PlaceKind};
    let items: HashMap<String, inventory_item::Model> = inventory_item::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.code.to_uppercase(), i))
        .collect();
    let warehouses: HashMap<String, stock_location::Model> = stock_location::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|l| l.kind == PlaceKind::Warehouse.as_str())
        .map(|l| (l.name.to_lowercase(), l))
        .collect();
    let known: std::collections::HashSet<String> = asset::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .flat_map(|a| std::iter::once(a.serial).chain(a.mac))
        .collect();
    let mut serials = HashMap::new();
    let mut changes = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let item = items.get(&row.get("item_code").to_uppercase()).cloned();
        if item.is_none() {
            row.fail("item_code", "unknown", "no item with this code");
        }
        let place = warehouses
            .get(&row.get("warehouse").to_lowercase())
            .cloned();
        if place.is_none() {
            row.fail("warehouse", "unknown", "no warehouse with this name");
        }
        let quantity = row.number::<i64>("quantity");
        if let Some(q) = quantity
            && !(1..=MAX_QUANTITY).contains(&q)
        {
            row.fail_with(
                FieldError::new("quantity", "range", format!("1 to {MAX_QUANTITY}"))
                    .with("min", 1)
                    .with("max", MAX_QUANTITY),
            );
        }
        let serial = row.optional("serial").map(|s| s.to_uppercase());
        let mac = row.optional("mac");
        if let Some(i) = &item {
            match (&serial, i.serial_tracked) {
                (None, true) => row.fail(
                    "serial",
                    "required",
                    "this item is counted by serial number",
                ),
                (Some(_), false) => {
                    row.fail("serial", "not_serial", "this item has no serial numbers")
                }
                (Some(_), true) if quantity.is_some_and(|q| q != 1) => {
                    row.fail("quantity", "serial_one", "one unit per serial number")
                }
                _ => {}
            }
        }
        if let Some(s) = &serial {
            if known.contains(s) {
                row.fail(
                    "serial",
                    "taken",
                    "a unit with this serial number is already known",
                );
            }
            row.once(&mut serials, "serial", s);
        }
        if let (true, Some(item), Some(place), Some(quantity)) =
            (row.is_clean(), item, place, quantity)
        {
            changes.push(Change {
                creating: true,
                record: Record::Stock(Box::new(crate::inventory::MovementInput {
                    id: None,
                    kind: MovementKind::Receipt,
                    item_id: Some(item.id),
                    quantity,
                    from_location_id: None,
                    to_location_id: Some(place.id),
                    from_technician_id: None,
                    to_technician_id: None,
                    serial,
                    mac,
                    ticket_id: None,
                    reason: "opening stock".to_string(),
                    terms: None,
                })),
            });
        }
    }
    Ok(changes)
}

/// The columns of a plant record's file, as its rules name its fields.
const AREA_COLUMNS: [(&str, &str); 1] = [("center", "lat")];
const ODC_COLUMNS: [(&str, &str); 2] = [("location", "lat"), ("area_id", "area_code")];
const ODP_COLUMNS: [(&str, &str); 2] = [("location", "lat"), ("odc_id", "odc_code")];

async fn plan_areas<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
    ctx: &Context,
) -> Result<Vec<Change>, DbErr> {
    let facts = plant::Snapshot::all(db).await?;
    let existing: HashMap<String, area::Model> = area::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let code = row.get("code").to_uppercase();
        row.once(&mut seen, "code", &code);
        let center = row.place();
        let radius_m = row.number::<i32>("radius_m");
        let current = existing.get(&code);
        let mut draft = AreaDraft::new(
            current,
            AreaChange {
                id: None,
                code: Some(code.clone()),
                name: Some(row.get("name")),
                city: Some(row.get("city")),
                center,
                radius_m,
            },
        );
        // Said already, as numbers that are not.
        if center.is_none() {
            draft.forget("center");
        }
        if radius_m.is_none() {
            draft.forget("radius_m");
        }
        match draft.resolve(current, &facts, ctx.now) {
            Ok(record) if row.is_clean() => plan.push(Change {
                creating: current.is_none(),
                record: Record::Area(record),
            }),
            Ok(_) => {}
            Err(invalid) => row.fail_all(invalid, &AREA_COLUMNS),
        }
    }
    Ok(plan)
}

async fn plan_odcs<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
    ctx: &Context,
) -> Result<Vec<Change>, DbErr> {
    let facts = plant::Snapshot::all(db).await?;
    let existing: HashMap<String, odc::Model> = odc::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let code = row.get("code").to_uppercase();
        row.once(&mut seen, "code", &code);
        let area_code = row.get("area_code").to_uppercase();
        let area_id = facts.area_codes.get(&area_code).copied();
        if area_id.is_none() {
            row.fail_with(
                FieldError::new(
                    "area_code",
                    "unknown",
                    format!("no area with code {area_code:?}"),
                )
                .with("area", area_code.as_str()),
            );
        }
        let location = row.place();
        let status = row
            .optional("status")
            .unwrap_or_else(|| PlantStatus::Active.as_str().to_string())
            .to_lowercase();
        let current = existing.get(&code);
        let mut draft = OdcDraft::new(
            current,
            OdcChange {
                id: None,
                code: Some(code.clone()),
                name: Some(row.get("name")),
                area_id,
                location,
                status: Some(status),
            },
        );
        if area_id.is_none() {
            draft.forget("area_id");
        }
        if location.is_none() {
            draft.forget("location");
        }
        match draft.resolve(current, &facts, ctx.now) {
            Ok(record) if row.is_clean() => plan.push(Change {
                creating: current.is_none(),
                record: Record::Odc(record),
            }),
            Ok(_) => {}
            Err(invalid) => row.fail_all(invalid, &ODC_COLUMNS),
        }
    }
    Ok(plan)
}

async fn plan_odps<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
    ctx: &Context,
) -> Result<Vec<Change>, DbErr> {
    let facts = plant::Snapshot::all(db).await?;
    let existing: HashMap<String, odp::Model> = odp::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let code = row.get("code").to_uppercase();
        row.once(&mut seen, "code", &code);
        let odc_code = row.get("odc_code").to_uppercase();
        let odc_id = facts.odc_codes.get(&odc_code).copied();
        if odc_id.is_none() {
            row.fail_with(
                FieldError::new(
                    "odc_code",
                    "unknown",
                    format!("no ODC with code {odc_code:?}"),
                )
                .with("odc", odc_code.as_str()),
            );
        }
        let location = row.place();
        let port_count = row.number::<i32>("port_count");
        let status = row
            .optional("status")
            .unwrap_or_else(|| PlantStatus::Active.as_str().to_string())
            .to_lowercase();
        // `full` follows from the ports; files from before said it.
        let status = if status == PlantStatus::Full.as_str() {
            PlantStatus::Active.as_str().to_string()
        } else {
            status
        };
        let current = existing.get(&code);
        let mut draft = OdpDraft::new(
            current,
            OdpChange {
                id: None,
                code: Some(code.clone()),
                name: Some(row.get("name")),
                odc_id,
                location,
                port_count,
                status: Some(status),
            },
        );
        if odc_id.is_none() {
            draft.forget("odc_id");
        }
        if location.is_none() {
            draft.forget("location");
        }
        if port_count.is_none() {
            draft.forget("port_count");
        }
        match draft.resolve(current, &facts, ctx.now) {
            Ok(record) if row.is_clean() => plan.push(Change {
                creating: current.is_none(),
                record: Record::Odp(record),
            }),
            Ok(_) => {}
            Err(invalid) => row.fail_all(invalid, &ODP_COLUMNS),
        }
    }
    Ok(plan)
}

async fn plan_packages<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
    ctx: &Context,
) -> Result<Vec<Change>, DbErr> {
    let all = package::Entity::find().all(db).await?;
    let names: HashMap<String, Uuid> = all.iter().map(|p| (p.name.clone(), p.id)).collect();
    // A file names a package in any case.
    let existing: HashMap<String, package::Model> = all
        .into_iter()
        .map(|p| (p.name.to_lowercase(), p))
        .collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let name = row.get("name");
        row.once(&mut seen, "name", &name);
        let download_mbps = row.number::<i32>("download_mbps");
        let upload_mbps = row.number::<i32>("upload_mbps");
        let monthly_price_idr = row.number::<i64>("monthly_price_idr");
        let description = row.get("description");
        let active = row.boolean("active");
        let current = existing.get(&name.to_lowercase());
        let mut draft = PackageDraft::new(
            current,
            PackageChange {
                id: None,
                name: Some(name),
                download_mbps,
                upload_mbps,
                monthly_price_idr,
                description: Some(description),
                active,
            },
        );
        for (field, read) in [
            ("download_mbps", download_mbps.is_some()),
            ("monthly_price_idr", monthly_price_idr.is_some()),
        ] {
            if !read {
                draft.forget(field);
            }
        }
        match draft.resolve(current, &names, ctx.now) {
            Ok(record) if row.is_clean() => plan.push(Change {
                creating: current.is_none(),
                record: Record::Package(record),
            }),
            Ok(_) => {}
            Err(invalid) => row.fail_all(invalid, &[]),
        }
    }
    Ok(plan)
}

/// The CSV columns of a customer, as the one customer write path names its
/// fields.
const CUSTOMER_COLUMNS: [(&str, &str); 4] = [
    ("package_id", "package"),
    ("odp_id", "odp_code"),
    ("location", "lat"),
    ("area_id", "lat"),
];

async fn plan_customers<C: ConnectionTrait>(
    db: &C,
    lines: &[Line],
    errors: &mut Vec<LineError>,
    ctx: &Context,
) -> Result<Vec<Change>, DbErr> {
    let mut facts = customers::Snapshot::all(db).await?;
    let packages: HashMap<String, Uuid> = facts
        .packages
        .iter()
        .map(|(id, (name, _))| (name.to_lowercase(), *id))
        .collect();
    let odps: HashMap<String, Uuid> = facts
        .odps
        .iter()
        .map(|(id, (code, _))| (code.clone(), *id))
        .collect();
    let ctx = customers::Context {
        now: ctx.now,
        zone: ctx.zone,
        source: CustomerSource::Import,
    };
    let mut seen_numbers = HashMap::new();
    let mut seen_phones = HashMap::new();
    let mut plan = Vec::new();
    for line in lines {
        let mut row = Row::new(line, errors);
        let number = match row
            .optional("customer_number")
            .as_deref()
            .map(CustomerNumber::parse)
        {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(e)) => {
                row.fail_with(e);
                continue;
            }
        };
        if let Some(n) = &number {
            row.once(&mut seen_numbers, "customer_number", n.as_str());
        }
        let current = number
            .as_ref()
            .and_then(|n| facts.by_number.get(n.as_str()))
            .cloned();
        let current = current.as_ref();
        let optional = |row: &Row<'_>, field: &str| Some(row.optional(field));
        let lat = row.number::<f64>("lat");
        let lng = row.number::<f64>("lng");
        let package_name = row.get("package");
        let package = packages.get(&package_name.to_lowercase()).copied();
        let odp_code = row.optional("odp_code").map(|c| c.to_uppercase());
        let port = match row.optional("odp_port") {
            None => None,
            Some(_) => row.number::<i32>("odp_port"),
        };
        let odp = odp_code.as_ref().and_then(|c| odps.get(c)).copied();
        let change = CustomerChange {
            name: Some(row.get("name")),
            phone: Some(row.get("phone")),
            whatsapp: optional(&row, "whatsapp"),
            email: optional(&row, "email"),
            address: Some(row.get("address")),
            location: lat.zip(lng),
            status: Some(
                row.optional("status")
                    .unwrap_or_else(|| "prospect".to_string())
                    .to_lowercase(),
            ),
            notes: Some(row.get("notes")),
            rt: row.has("rt").then(|| row.optional("rt")),
            rw: row.has("rw").then(|| row.optional("rw")),
            kelurahan: row.has("kelurahan").then(|| row.optional("kelurahan")),
            kecamatan: row.has("kecamatan").then(|| row.optional("kecamatan")),
            city: row.has("city").then(|| row.optional("city")),
            pppoe_username: row
                .has("pppoe_username")
                .then(|| row.optional("pppoe_username")),
            billing_id: row.has("billing_id").then(|| row.optional("billing_id")),
            package_id: package,
            odp_id: Some(odp),
            odp_port: Some(port),
            ..Default::default()
        };
        let mut draft = customers::Draft::new(current, change, &ctx);
        if lat.is_none() || lng.is_none() {
            // Said by `number` already; not "required" again.
            draft.forget("location");
        }
        if package.is_none() {
            draft.forget("package_id");
            draft.fail(
                FieldError::new(
                    "package",
                    "unknown",
                    format!("no package called {package_name:?}"),
                )
                .with("package", package_name.as_str()),
            );
        }
        match (&odp_code, port, odp) {
            (Some(code), _, None) => draft.fail(
                FieldError::new("odp_code", "unknown", format!("no ODP with code {code:?}"))
                    .with("odp", code.as_str()),
            ),
            (Some(_), None, _) | (None, Some(_), _) => draft.fail(FieldError::new(
                "odp_port",
                "required",
                "give both odp_code and odp_port, or neither",
            )),
            _ => {}
        }
        if let Ok(p) = netcrew_domain::Phone::parse(&row.get("phone")) {
            row.once(&mut seen_phones, "phone", p.as_str());
        }
        let mut record = match draft.resolve(current, &facts, &ctx) {
            Ok(record) => record,
            Err(Invalid(found)) => {
                // "odp_id" choices are said once, at odp_port.
                let found = found
                    .into_iter()
                    .filter(|e| !(e.field == "odp_id" && e.code == "choice"))
                    .collect();
                row.fail_all(Invalid(found), &CUSTOMER_COLUMNS);
                continue;
            }
        };
        if !row.is_clean() {
            continue;
        }
        if current.is_none()
            && let Some(n) = &number
        {
            record.customer_number = n.as_str().to_string();
        }
        // The next lines see this one's phone, port and references as taken.
        let mut claimed = record.clone();
        if claimed.customer_number.is_empty() {
            claimed.customer_number = format!("line {}", line.number);
        }
        facts.claim(&claimed);
        plan.push(Change {
            creating: current.is_none(),
            record: Record::Customer(Box::new(record)),
        });
    }
    Ok(plan)
}

/// The lines of an export of `kind`, without the header (see
/// [`TransferKind::columns`]), in the layout the import takes. Text a
/// person typed (a name from an anonymous registration included) is made
/// safe for spreadsheets: it must not run as a formula there.
pub async fn export<C: ConnectionTrait>(
    db: &C,
    kind: TransferKind,
) -> Result<Vec<Vec<String>>, DbErr> {
    let t = |v: String| text::to_spreadsheet(&v).into_owned();
    let mut out = Vec::new();
    match kind {
        TransferKind::Areas => {
            for a in plant::all_areas(db).await? {
                out.push(vec![
                    t(a.code),
                    t(a.name),
                    t(a.city),
                    a.center_lat.to_string(),
                    a.center_lng.to_string(),
                    a.radius_m.to_string(),
                ]);
            }
        }
        TransferKind::Odcs => {
            let areas: HashMap<Uuid, String> = plant::all_areas(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a.code))
                .collect();
            for o in plant::all_odcs(db).await? {
                out.push(vec![
                    t(o.code),
                    t(o.name),
                    t(areas.get(&o.area_id).cloned().unwrap_or_default()),
                    o.lat.to_string(),
                    o.lng.to_string(),
                    t(o.status),
                ]);
            }
        }
        TransferKind::Odps => {
            let odcs: HashMap<Uuid, String> = plant::all_odcs(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
            for o in plant::all_odps(db).await? {
                // What is set; `full` follows from the ports.
                let status = match o.status() {
                    PlantStatus::Maintenance => PlantStatus::Maintenance,
                    _ => PlantStatus::Active,
                };
                out.push(vec![
                    t(o.code),
                    t(o.name),
                    t(odcs.get(&o.odc_id).cloned().unwrap_or_default()),
                    o.lat.to_string(),
                    o.lng.to_string(),
                    o.port_count.to_string(),
                    status.as_str().to_string(),
                ]);
            }
        }
        TransferKind::Packages => {
            for p in catalog::all_packages(db).await? {
                out.push(vec![
                    t(p.name),
                    p.download_mbps.to_string(),
                    p.upload_mbps.to_string(),
                    p.monthly_price_idr.to_string(),
                    t(p.description),
                    p.active.to_string(),
                ]);
            }
        }
        TransferKind::Stock => {
            use crate::entity::{asset, inventory_item, stock_balance, stock_location};
            let items: HashMap<Uuid, inventory_item::Model> = inventory_item::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|i| (i.id, i))
                .collect();
            let warehouses: HashMap<Uuid, String> = stock_location::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .filter(|l| l.kind == "warehouse")
                .map(|l| (l.id, l.name))
                .collect();
            let mut lines = Vec::new();
            for b in stock_balance::Entity::find().all(db).await? {
                let (Some(i), Some(w)) = (items.get(&b.item_id), warehouses.get(&b.location_id))
                else {
                    continue;
                };
                if b.quantity > 0 && !i.serial_tracked {
                    lines.push(vec![
                        t(i.code.clone()),
                        t(w.clone()),
                        b.quantity.to_string(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
            for a in asset::Entity::find()
                .order_by_asc(asset::Column::Serial)
                .all(db)
                .await?
            {
                let (Some(i), Some(w)) = (items.get(&a.item_id), warehouses.get(&a.location_id))
                else {
                    continue;
                };
                lines.push(vec![
                    t(i.code.clone()),
                    t(w.clone()),
                    "1".into(),
                    t(a.serial),
                    t(a.mac.unwrap_or_default()),
                ]);
            }
            lines.sort();
            out.extend(lines);
        }
        TransferKind::Customers => {
            let packages: HashMap<Uuid, String> = catalog::all_packages(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
            let odps: HashMap<Uuid, String> = plant::all_odps(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
            for c in customer::Entity::find()
                .order_by_asc(customer::Column::CustomerNumber)
                .all(db)
                .await?
            {
                out.push(vec![
                    t(c.customer_number),
                    t(c.name),
                    t(c.phone),
                    t(c.whatsapp.unwrap_or_default()),
                    t(c.email.unwrap_or_default()),
                    t(c.address),
                    c.lat.to_string(),
                    c.lng.to_string(),
                    t(packages.get(&c.package_id).cloned().unwrap_or_default()),
                    t(c.odp_id
                        .and_then(|o| odps.get(&o).cloned())
                        .unwrap_or_default()),
                    c.odp_port.map(|p| p.to_string()).unwrap_or_default(),
                    t(c.status),
                    t(c.notes),
                    t(c.rt.unwrap_or_default()),
                    t(c.rw.unwrap_or_default()),
                    t(c.kelurahan.unwrap_or_default()),
                    t(c.kecamatan.unwrap_or_default()),
                    t(c.city.unwrap_or_default()),
                    t(c.pppoe_username.unwrap_or_default()),
                    t(c.billing_id.unwrap_or_default()),
                ]);
            }
        }
    }
    Ok(out)
}
