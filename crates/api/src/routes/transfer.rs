//! CSV import and export of areas, ODPs, packages and customers. ISPs keep
//! these in spreadsheets: a dry run reports every bad line, and an import is
//! all or nothing. Existing records (same code, name or customer number) are
//! updated, so an export edited in a spreadsheet can be imported back.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use netcrew_domain::{
    CustomerNumber, CustomerSource, GeoPoint,
    access::Permission,
    service::{ODP_PORT_COUNTS, PLANT_STATUSES},
    text,
};
use netcrew_store::{
    auth::{self, Audit},
    customers::{self, CustomerChange},
    entity::{area, customer, odc, odp, package},
    network,
    sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::{ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, FieldError, Problem},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(export))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Areas,
    Odcs,
    Odps,
    Packages,
    Customers,
}

impl Kind {
    fn parse(s: &str) -> ApiResult<Kind> {
        match s {
            "areas" => Ok(Kind::Areas),
            "odcs" => Ok(Kind::Odcs),
            "odps" => Ok(Kind::Odps),
            "packages" => Ok(Kind::Packages),
            "customers" => Ok(Kind::Customers),
            _ => Err(ApiError::NotFound(format!(
                "No import or export called {s:?}; choose areas, odcs, odps, packages or customers."
            ))),
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Areas => &["code", "name", "city", "lat", "lng", "radius_m"],
            Kind::Odcs => &["code", "name", "area_code", "lat", "lng", "status"],
            Kind::Odps => &[
                "code",
                "name",
                "odc_code",
                "lat",
                "lng",
                "port_count",
                "status",
            ],
            Kind::Packages => &[
                "name",
                "download_mbps",
                "upload_mbps",
                "monthly_price_idr",
                "description",
                "active",
            ],
            Kind::Customers => &[
                "customer_number",
                "name",
                "phone",
                "whatsapp",
                "email",
                "address",
                "lat",
                "lng",
                "package",
                "odp_code",
                "odp_port",
                "status",
                "notes",
                "rt",
                "rw",
                "kelurahan",
                "kecamatan",
                "city",
                "pppoe_username",
                "billing_id",
            ],
        }
    }

    /// Columns a file may leave out (added after files were first made).
    fn optional_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => &[
                "rt",
                "rw",
                "kelurahan",
                "kecamatan",
                "city",
                "pppoe_username",
                "billing_id",
            ],
            _ => &[],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Areas => "areas",
            Kind::Odcs => "odcs",
            Kind::Odps => "odps",
            Kind::Packages => "packages",
            Kind::Customers => "customers",
        }
    }
}

/// One bad value of a CSV file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    /// Stable reason, as in field errors (`required`, `length`, `format`,
    /// `unknown`, `choice`, `range`, `phone`, `email`, `taken`,
    /// `outside_area`, `port_range`, `port_taken`, `in_use`, `duplicate`,
    /// `control_character`).
    pub code: String,
    pub detail: String,
    /// The values the reason mentions (as in field errors).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    #[schema(example = "odps")]
    pub kind: String,
    pub dry_run: bool,
    /// Data lines read.
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Every bad value; an import with any is not applied.
    pub errors: Vec<LineError>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check the file and report; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

struct Row<'a> {
    line: u64,
    map: HashMap<&'a str, String>,
    errors: &'a mut Vec<LineError>,
}

impl Row<'_> {
    fn fail(&mut self, field: &str, code: &str, detail: impl Into<String>) {
        self.errors.push(LineError {
            line: self.line,
            field: field.to_string(),
            code: code.to_string(),
            detail: detail.into(),
            params: Default::default(),
        });
    }
    /// A cell's value: trimmed, and without the quote an export puts before
    /// values a spreadsheet would take for a formula.
    fn get(&self, field: &str) -> String {
        self.map
            .get(field)
            .map(|v| text::from_spreadsheet(v.trim()).to_string())
            .unwrap_or_default()
    }
    fn controls(&mut self, field: &str, v: &str, multiline: bool) {
        if let Some(c) = text::forbidden_char(v, multiline) {
            self.fail(
                field,
                "control_character",
                format!(
                    "remove {}; this text may not contain control characters",
                    text::describe_char(c)
                ),
            );
        }
    }
    fn text(&mut self, field: &str, max: usize) -> String {
        let v = self.get(field);
        if v.is_empty() || v.chars().count() > max {
            self.fail(
                field,
                if v.is_empty() { "required" } else { "length" },
                format!("enter 1 to {max} characters"),
            );
        } else {
            self.controls(field, &v, false);
        }
        v
    }
    /// Free text that may be empty and span lines (notes, descriptions).
    fn multiline(&mut self, field: &str, max: usize) -> String {
        let v = self.get(field);
        if v.chars().count() > max {
            self.fail(field, "length", format!("at most {max} characters"));
        } else {
            self.controls(field, &v, true);
        }
        v
    }
    fn fail_with(&mut self, e: FieldError) {
        self.errors.push(LineError {
            line: self.line,
            field: e.field,
            code: e.code,
            detail: e.detail,
            params: e.params,
        });
    }
    /// Whether the file has this (optional) column.
    fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
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
    fn point(&mut self) -> Option<GeoPoint> {
        let (lat, lng) = (self.number::<f64>("lat")?, self.number::<f64>("lng")?);
        match GeoPoint::new(lat, lng) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail("lat", "location", e.to_string());
                None
            }
        }
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
}

/// Imports a CSV file (UTF-8, comma-separated, with the header row of the
/// kind's export). With `dry_run=true` it only reports.
#[utoipa::path(post, path = "/imports/{kind}", tag = "transfer",
    params(("kind" = String, Path, description = "areas, odcs, odps, packages or customers"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport, description = "Applied, or (dry run) the report"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "The file cannot be read, or (not a dry run) has bad lines; nothing was changed"),
    ))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    caller.require(Permission::DataImport)?;
    let kind = Kind::parse(&kind)?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::validation(
            "file",
            "encoding",
            format!(
                "the file is not UTF-8 text (byte {}); save it as \"CSV UTF-8\"",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            ApiError::validation(
                "file",
                "format",
                format!("cannot read the header line: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let expected = kind.columns();
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c) && !kind.optional_columns().contains(c))
        .collect();
    let unknown: Vec<&str> = headers
        .iter()
        .map(String::as_str)
        .filter(|h| !expected.contains(h))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(ApiError::Validation {
            detail: format!(
                "line 1: the header must be {}{}{}",
                expected.join(","),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing: {}", missing.join(", "))
                },
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!("; unknown: {}", unknown.join(", "))
                },
            ),
            errors: vec![FieldError::new(
                "header",
                "header",
                format!("expected {}", expected.join(",")),
            )],
        });
    }
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| ApiError::Validation {
            detail: format!("line {line}: {e}"),
            errors: vec![FieldError::new(
                format!("line {line}"),
                "format",
                e.to_string(),
            )],
        })?;
        records.push((line, record.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    if records.is_empty() {
        return Err(ApiError::validation(
            "file",
            "empty",
            "the file has a header but no data lines",
        ));
    }
    let rows: Vec<(u64, HashMap<&str, String>)> = records
        .into_iter()
        .map(|(line, values)| {
            (
                line,
                headers.iter().map(String::as_str).zip(values).collect(),
            )
        })
        .collect();
    let mut report = ImportReport {
        kind: kind.name().to_string(),
        dry_run: query.dry_run,
        rows: rows.len() as u64,
        created: 0,
        updated: 0,
        errors: Vec::new(),
    };
    let plan = match kind {
        Kind::Areas => plan_areas(&state, rows, &mut report.errors).await?,
        Kind::Odcs => plan_odcs(&state, rows, &mut report.errors).await?,
        Kind::Odps => plan_odps(&state, rows, &mut report.errors).await?,
        Kind::Packages => plan_packages(&state, rows, &mut report.errors).await?,
        Kind::Customers => plan_customers(&state, rows, &mut report.errors).await?,
    };
    report.created = plan.iter().filter(|c| c.creating).count() as u64;
    report.updated = plan.len() as u64 - report.created;
    if query.dry_run {
        return Ok(axum::Json(report).into_response());
    }
    if !report.errors.is_empty() {
        let shown: Vec<String> = report
            .errors
            .iter()
            .take(20)
            .map(|e| format!("line {}: {}: {}", e.line, e.field, e.detail))
            .collect();
        return Err(ApiError::Validation {
            detail: format!(
                "{} bad value(s); nothing was imported. {}",
                report.errors.len(),
                shown.join("; ")
            ),
            errors: report
                .errors
                .iter()
                .map(|e| {
                    FieldError::new(
                        format!("line {}: {}", e.line, e.field),
                        &e.code,
                        e.detail.clone(),
                    )
                })
                .collect(),
        });
    }
    let txn = state.db.begin_write().await?;
    // New customers without a number get theirs after the lines that bring
    // their own are saved, so the numbers handed out continue after those.
    let mut unnumbered = Vec::new();
    for change in plan {
        match change.model {
            Model::Area(m) => save(m, change.creating, &txn).await?,
            Model::Odc(m) => save(m, change.creating, &txn).await?,
            Model::Odp(m) => save(m, change.creating, &txn).await?,
            Model::Package(m) => save(m, change.creating, &txn).await?,
            Model::Customer(m) => {
                if change.creating && m.customer_number.is_empty() {
                    unnumbered.push(*m);
                } else {
                    customers::write(&*txn, change.creating, *m).await?;
                }
            }
        }
    }
    for m in unnumbered {
        customers::write(&*txn, true, m).await?;
    }
    auth::audit(
        &*txn,
        Audit {
            actor_id: Some(caller.user.id),
            actor_ip: Some(caller.ip.clone()),
            action: "import",
            entity: kind.name(),
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({ "rows": report.rows, "created": report.created, "updated": report.updated })),
        },
        Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(axum::Json(report).into_response())
}

async fn save<A>(model: A, creating: bool, txn: &netcrew_store::WriteTx) -> ApiResult<()>
where
    A: ActiveModelTrait + netcrew_store::sea_orm::ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: netcrew_store::sea_orm::IntoActiveModel<A>,
{
    if creating {
        model.insert(&**txn).await?;
    } else {
        model.update(&**txn).await?;
    }
    Ok(())
}

/// Every record of a table, by a natural key (code, name, number).
async fn keyed<E>(
    db: &impl netcrew_store::sea_orm::ConnectionTrait,
    key: impl Fn(&E::Model) -> String,
) -> Result<HashMap<String, E::Model>, netcrew_store::sea_orm::DbErr>
where
    E: EntityTrait,
{
    Ok(E::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (key(&m), m))
        .collect())
}

enum Model {
    Area(area::ActiveModel),
    Odc(odc::ActiveModel),
    Odp(odp::ActiveModel),
    Package(package::ActiveModel),
    Customer(Box<customer::Model>),
}

struct Change {
    creating: bool,
    model: Model,
}

fn duplicate_in_file(seen: &mut HashMap<String, u64>, key: &str, row: &mut Row<'_>, field: &str) {
    if let Some(first) = seen.insert(key.to_lowercase(), row.line) {
        row.fail(field, "duplicate", format!("also on line {first}"));
    }
}

async fn plan_areas(
    state: &AppState,
    rows: Vec<(u64, HashMap<&str, String>)>,
    errors: &mut Vec<LineError>,
) -> ApiResult<Vec<Change>> {
    let existing = keyed::<area::Entity>(state.db.conn(), |a| a.code.clone()).await?;
    let now = Utc::now();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, map) in rows {
        let mut row = Row { line, map, errors };
        let code = row.text("code", 30).to_uppercase();
        duplicate_in_file(&mut seen, &code, &mut row, "code");
        let name = row.text("name", 80);
        let city = row.text("city", 80);
        let point = row.point();
        let radius = row.number::<i32>("radius_m");
        if radius.is_some_and(|r| !(100..=50_000).contains(&r)) {
            row.fail("radius_m", "range", "between 100 and 50000 metres");
        }
        let (Some(point), Some(radius)) = (point, radius) else {
            continue;
        };
        let current = existing.get(&code).cloned();
        let creating = current.is_none();
        let mut m: area::ActiveModel = match current {
            Some(a) => a.into(),
            None => area::ActiveModel {
                id: Set(Uuid::now_v7()),
                created_at: Set(now),
                ..Default::default()
            },
        };
        m.code = Set(code);
        m.name = Set(name);
        m.city = Set(city);
        m.center_lat = Set(point.lat);
        m.center_lng = Set(point.lng);
        m.radius_m = Set(radius);
        m.updated_at = Set(now);
        plan.push(Change {
            creating,
            model: Model::Area(m),
        });
    }
    Ok(plan)
}

async fn plan_odcs(
    state: &AppState,
    rows: Vec<(u64, HashMap<&str, String>)>,
    errors: &mut Vec<LineError>,
) -> ApiResult<Vec<Change>> {
    let db = state.db.conn();
    let existing = keyed::<odc::Entity>(db, |o| o.code.clone()).await?;
    let areas = keyed::<area::Entity>(db, |a| a.code.clone()).await?;
    let now = Utc::now();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, map) in rows {
        let mut row = Row { line, map, errors };
        let code = row.text("code", 40).to_uppercase();
        duplicate_in_file(&mut seen, &code, &mut row, "code");
        let name = row.text("name", 80);
        let area_code = row.get("area_code").to_uppercase();
        let area = areas.get(&area_code).cloned();
        if area.is_none() {
            row.fail(
                "area_code",
                "unknown",
                format!("no area with code {area_code:?}"),
            );
        }
        let point = row.point();
        let status = row
            .optional("status")
            .unwrap_or_else(|| "active".to_string())
            .to_lowercase();
        if !PLANT_STATUSES.contains(&status.as_str()) {
            row.fail("status", "choice", "active, full or maintenance");
        }
        let (Some(area), Some(point)) = (area, point) else {
            continue;
        };
        let current = existing.get(&code).cloned();
        let creating = current.is_none();
        let mut m: odc::ActiveModel = match current {
            Some(o) => o.into(),
            None => odc::ActiveModel {
                id: Set(Uuid::now_v7()),
                created_at: Set(now),
                ..Default::default()
            },
        };
        m.code = Set(code);
        m.name = Set(name);
        m.area_id = Set(area.id);
        m.lat = Set(point.lat);
        m.lng = Set(point.lng);
        m.status = Set(status);
        m.updated_at = Set(now);
        plan.push(Change {
            creating,
            model: Model::Odc(m),
        });
    }
    Ok(plan)
}

async fn plan_odps(
    state: &AppState,
    rows: Vec<(u64, HashMap<&str, String>)>,
    errors: &mut Vec<LineError>,
) -> ApiResult<Vec<Change>> {
    let db = state.db.conn();
    let existing = keyed::<odp::Entity>(db, |o| o.code.clone()).await?;
    let odcs = keyed::<odc::Entity>(db, |o| o.code.clone()).await?;
    let ids: Vec<Uuid> = existing.values().map(|o| o.id).collect();
    let usage = network::odp_usage(db, &ids).await?;
    let now = Utc::now();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, map) in rows {
        let mut row = Row { line, map, errors };
        let code = row.text("code", 40).to_uppercase();
        duplicate_in_file(&mut seen, &code, &mut row, "code");
        let name = row.text("name", 80);
        let odc_code = row.get("odc_code").to_uppercase();
        let parent = odcs.get(&odc_code).cloned();
        if parent.is_none() {
            row.fail(
                "odc_code",
                "unknown",
                format!("no ODC with code {odc_code:?}"),
            );
        }
        let point = row.point();
        let ports = row.number::<i32>("port_count");
        if ports.is_some_and(|p| !ODP_PORT_COUNTS.contains(&p)) {
            row.fail("port_count", "choice", "4, 8, 16 or 24");
        }
        let status = row
            .optional("status")
            .unwrap_or_else(|| "active".to_string())
            .to_lowercase();
        let status = if status == "full" {
            "active".to_string()
        } else {
            status
        };
        if !["active", "maintenance"].contains(&status.as_str()) {
            row.fail("status", "choice", "active or maintenance");
        }
        let current = existing.get(&code).cloned();
        if let (Some(cur), Some(p)) = (&current, ports)
            && usage.get(&cur.id).copied().unwrap_or(0) > i64::from(p)
        {
            row.fail(
                "port_count",
                "in_use",
                "fewer ports than customers on this ODP",
            );
        }
        let (Some(parent), Some(point), Some(ports)) = (parent, point, ports) else {
            continue;
        };
        let creating = current.is_none();
        let mut m: odp::ActiveModel = match current {
            Some(o) => o.into(),
            None => odp::ActiveModel {
                id: Set(Uuid::now_v7()),
                created_at: Set(now),
                ..Default::default()
            },
        };
        m.code = Set(code);
        m.name = Set(name);
        m.odc_id = Set(parent.id);
        m.area_id = Set(parent.area_id);
        m.lat = Set(point.lat);
        m.lng = Set(point.lng);
        m.port_count = Set(ports);
        m.status = Set(status);
        m.updated_at = Set(now);
        plan.push(Change {
            creating,
            model: Model::Odp(m),
        });
    }
    Ok(plan)
}

async fn plan_packages(
    state: &AppState,
    rows: Vec<(u64, HashMap<&str, String>)>,
    errors: &mut Vec<LineError>,
) -> ApiResult<Vec<Change>> {
    let existing = keyed::<package::Entity>(state.db.conn(), |p| p.name.to_lowercase()).await?;
    let now = Utc::now();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, map) in rows {
        let mut row = Row { line, map, errors };
        let name = row.text("name", 60);
        duplicate_in_file(&mut seen, &name, &mut row, "name");
        let down = row.number::<i32>("download_mbps");
        let up = row.number::<i32>("upload_mbps");
        let price = row.number::<i64>("monthly_price_idr");
        if price.is_some_and(|p| p < 0) {
            row.fail("monthly_price_idr", "range", "whole rupiah, not negative");
        }
        let description = row.multiline("description", 500);
        let active = row.boolean("active");
        let (Some(down), Some(up), Some(price), Some(active)) = (down, up, price, active) else {
            continue;
        };
        let current = existing.get(&name.to_lowercase()).cloned();
        let creating = current.is_none();
        let mut m: package::ActiveModel = match current {
            Some(p) => p.into(),
            None => package::ActiveModel {
                id: Set(Uuid::now_v7()),
                created_at: Set(now),
                ..Default::default()
            },
        };
        m.name = Set(name);
        m.download_mbps = Set(down);
        m.upload_mbps = Set(up);
        m.monthly_price_idr = Set(price);
        m.description = Set(description);
        m.active = Set(active);
        m.updated_at = Set(now);
        plan.push(Change {
            creating,
            model: Model::Package(m),
        });
    }
    Ok(plan)
}

/// The CSV columns of a customer, as the one customer write path names its
/// fields.
const CUSTOMER_FIELDS: [(&str, &str); 4] = [
    ("package_id", "package"),
    ("odp_id", "odp_code"),
    ("location", "lat"),
    ("area_id", "lat"),
];

async fn plan_customers(
    state: &AppState,
    rows: Vec<(u64, HashMap<&str, String>)>,
    errors: &mut Vec<LineError>,
) -> ApiResult<Vec<Change>> {
    let db = state.db.conn();
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
        now: Utc::now(),
        zone: state.config.zone,
        source: CustomerSource::Import,
    };
    let mut seen_numbers = HashMap::new();
    let mut seen_phones = HashMap::new();
    let mut plan = Vec::new();
    for (line, map) in rows {
        let mut row = Row { line, map, errors };
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
            duplicate_in_file(&mut seen_numbers, n.as_str(), &mut row, "customer_number");
        }
        let current = number
            .as_ref()
            .and_then(|n| facts.by_number.get(n.as_str()))
            .cloned();
        let current = current.as_ref();
        let optional = |row: &Row<'_>, field: &str| Some(row.optional(field));
        let lat = row.number::<f64>("lat");
        let lng = row.number::<f64>("lng");
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
            ..Default::default()
        };
        let mut change = change;
        let package_name = row.get("package");
        let package = packages.get(&package_name.to_lowercase()).copied();
        change.package_id = package;
        let odp_code = row.optional("odp_code").map(|c| c.to_uppercase());
        let port = match row.optional("odp_port") {
            None => None,
            Some(_) => row.number::<i32>("odp_port"),
        };
        let odp = odp_code.as_ref().and_then(|c| odps.get(c)).copied();
        change.odp_id = Some(odp);
        change.odp_port = Some(port);
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
        if let Some(p) = netcrew_domain::Phone::parse(&row.get("phone"))
            .ok()
            .map(|p| p.into_string())
        {
            duplicate_in_file(&mut seen_phones, &p, &mut row, "phone");
        }
        let valid = draft.resolve(current, &facts, &ctx);
        let mut record = match valid {
            Ok(record) => record,
            Err(netcrew_domain::Invalid(found)) => {
                for e in found {
                    let field = CUSTOMER_FIELDS
                        .iter()
                        .find(|(api, _)| *api == e.field)
                        .map(|(_, csv)| *csv)
                        .unwrap_or(e.field.as_str())
                        .to_string();
                    // "odp_id" choices are said once, at odp_port.
                    if e.field == "odp_id" && e.code == "choice" {
                        continue;
                    }
                    row.fail_with(FieldError { field, ..e });
                }
                continue;
            }
        };
        if current.is_none()
            && let Some(n) = &number
        {
            record.customer_number = n.as_str().to_string();
        }
        // The next lines see this one's phone, port and references as taken.
        let mut claimed = record.clone();
        if claimed.customer_number.is_empty() {
            claimed.customer_number = format!("line {line}");
        }
        facts.claim(&claimed);
        plan.push(Change {
            creating: current.is_none(),
            model: Model::Customer(Box::new(record)),
        });
    }
    Ok(plan)
}

/// Exports as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
/// read it right), in the layout the import takes.
#[utoipa::path(get, path = "/exports/{kind}", tag = "transfer",
    params(("kind" = String, Path, description = "areas, odcs, odps, packages or customers")),
    responses(
        (status = 200, description = "CSV file", body = String, content_type = "text/csv"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(kind): ApiPath<String>,
) -> ApiResult<Response> {
    caller.require(Permission::DataExport)?;
    let kind = Kind::parse(&kind)?;
    let db = state.db.conn();
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(kind.columns()).map_err(fail)?;
    // Text a person typed (a name from an anonymous registration included)
    // must not run as a formula in the spreadsheet the file is opened in.
    let t = |v: String| text::to_spreadsheet(&v).into_owned();
    match kind {
        Kind::Areas => {
            for a in area::Entity::find()
                .order_by_asc(area::Column::Code)
                .all(db)
                .await?
            {
                out.write_record([
                    t(a.code),
                    t(a.name),
                    t(a.city),
                    a.center_lat.to_string(),
                    a.center_lng.to_string(),
                    a.radius_m.to_string(),
                ])
                .map_err(fail)?;
            }
        }
        Kind::Odcs => {
            let areas: HashMap<Uuid, String> = area::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a.code))
                .collect();
            for o in odc::Entity::find()
                .order_by_asc(odc::Column::Code)
                .all(db)
                .await?
            {
                out.write_record([
                    t(o.code),
                    t(o.name),
                    t(areas.get(&o.area_id).cloned().unwrap_or_default()),
                    o.lat.to_string(),
                    o.lng.to_string(),
                    t(o.status),
                ])
                .map_err(fail)?;
            }
        }
        Kind::Odps => {
            let odcs: HashMap<Uuid, String> = odc::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
            for o in odp::Entity::find()
                .order_by_asc(odp::Column::Code)
                .all(db)
                .await?
            {
                let status = if o.status == "maintenance" {
                    "maintenance"
                } else {
                    "active"
                };
                out.write_record([
                    t(o.code),
                    t(o.name),
                    t(odcs.get(&o.odc_id).cloned().unwrap_or_default()),
                    o.lat.to_string(),
                    o.lng.to_string(),
                    o.port_count.to_string(),
                    status.to_string(),
                ])
                .map_err(fail)?;
            }
        }
        Kind::Packages => {
            for p in package::Entity::find()
                .order_by_asc(package::Column::Name)
                .all(db)
                .await?
            {
                out.write_record([
                    t(p.name),
                    p.download_mbps.to_string(),
                    p.upload_mbps.to_string(),
                    p.monthly_price_idr.to_string(),
                    t(p.description),
                    p.active.to_string(),
                ])
                .map_err(fail)?;
            }
        }
        Kind::Customers => {
            let packages: HashMap<Uuid, String> = package::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
            let odps: HashMap<Uuid, String> = odp::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
            for c in customer::Entity::find()
                .order_by_asc(customer::Column::CustomerNumber)
                .all(db)
                .await?
            {
                out.write_record([
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
                ])
                .map_err(fail)?;
            }
        }
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
        "attachment; filename=\"netcrew-{}-{}.csv\"",
        kind.name(),
        Utc::now().format("%Y%m%d")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
