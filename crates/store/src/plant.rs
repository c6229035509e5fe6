//! The plant: service areas, ODCs and ODPs. Each record has one write path
//! that the console, the API and the CSV import share, in the steps the
//! customers' has (see `customers`):
//! 1. a draft ([`AreaDraft::new`], [`OdcDraft::new`], [`OdpDraft::new`])
//!    reads the input by the domain's rules, needing nothing stored;
//! 2. a [`Snapshot`] holds the stored facts the rules refer to (who has a
//!    code, which areas and ODCs exist, the ports in use on an ODP), loaded
//!    for one record or for a whole file ([`Snapshot::all`]);
//! 3. `resolve` applies the rules that need them and gives the record to
//!    write, or every field error at once; `write_*` stores it in the
//!    caller's transaction and `save_*` does all of it with the audit entry.
//!
//! Used and free ports of an ODP are derived from the customers on it, never
//! typed.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, FieldError, GeoPoint, Invalid, PlantStatus,
    plant::{self as rules, AREA_CODE_MAX, PLANT_CODE_MAX, PLANT_NAME_MAX},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Condition, Expr},
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::Actor,
    customers::lower_like,
    entity::{area, customer, odc, odp},
    page::{Page, PageRequest, paginate},
    records::{self, Audited, held_by_another, owner, put},
};

// ------------------------------------------------------------- snapshot

/// The ports in use on an ODP.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PortUse {
    /// Customers on a port.
    pub used: i64,
    /// The highest port in use (0 when none is).
    pub highest: i32,
}

/// The stored facts the plant rules refer to.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Who has a code: area, ODC and ODP codes to their record's id.
    pub area_codes: HashMap<String, Uuid>,
    pub odc_codes: HashMap<String, Uuid>,
    pub odp_codes: HashMap<String, Uuid>,
    /// The areas there are.
    pub areas: HashSet<Uuid>,
    /// ODC id: the area it is in.
    pub odcs: HashMap<Uuid, Uuid>,
    /// ODP id: its ports in use.
    pub ports: HashMap<Uuid, PortUse>,
}

impl Snapshot {
    /// Everything, for checking a whole file.
    pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        let mut s = Snapshot::default();
        for a in area::Entity::find().all(db).await? {
            s.area_codes.insert(a.code, a.id);
            s.areas.insert(a.id);
        }
        for o in odc::Entity::find().all(db).await? {
            s.odc_codes.insert(o.code, o.id);
            s.odcs.insert(o.id, o.area_id);
        }
        let mut ids = Vec::new();
        for o in odp::Entity::find().all(db).await? {
            s.odp_codes.insert(o.code, o.id);
            ids.push(o.id);
        }
        s.ports = port_use(db, &ids).await?;
        Ok(s)
    }

    /// What the rules need to check one area.
    pub async fn for_area<C: ConnectionTrait>(db: &C, draft: &AreaDraft) -> Result<Self, DbErr> {
        let mut s = Snapshot::default();
        if let Some(code) = &draft.code
            && let Some(id) =
                owner::<area::Entity, _>(db, area::Column::Code, area::Column::Id, code).await?
        {
            s.area_codes.insert(code.clone(), id);
        }
        Ok(s)
    }

    /// What the rules need to check one ODC.
    pub async fn for_odc<C: ConnectionTrait>(db: &C, draft: &OdcDraft) -> Result<Self, DbErr> {
        let mut s = Snapshot::default();
        if let Some(a) = draft.area_id
            && area::Entity::find_by_id(a).one(db).await?.is_some()
        {
            s.areas.insert(a);
        }
        if let Some(code) = &draft.code
            && let Some(id) =
                owner::<odc::Entity, _>(db, odc::Column::Code, odc::Column::Id, code).await?
        {
            s.odc_codes.insert(code.clone(), id);
        }
        Ok(s)
    }

    /// What the rules need to check one ODP (`current`: the ODP changed).
    pub async fn for_odp<C: ConnectionTrait>(
        db: &C,
        draft: &OdpDraft,
        current: Option<&odp::Model>,
    ) -> Result<Self, DbErr> {
        let mut s = Snapshot::default();
        if let Some(o) = draft.odc_id
            && let Some(found) = odc::Entity::find_by_id(o).one(db).await?
        {
            s.odcs.insert(found.id, found.area_id);
        }
        if let Some(code) = &draft.code
            && let Some(id) =
                owner::<odp::Entity, _>(db, odp::Column::Code, odp::Column::Id, code).await?
        {
            s.odp_codes.insert(code.clone(), id);
        }
        if let Some(o) = current {
            s.ports = port_use(db, &[o.id]).await?;
        }
        Ok(s)
    }
}

/// The ports in use on each of these ODPs (those with none are left out).
pub async fn port_use<C: ConnectionTrait>(
    db: &C,
    odp_ids: &[Uuid],
) -> Result<HashMap<Uuid, PortUse>, DbErr> {
    let mut out = HashMap::new();
    for chunk in odp_ids.chunks(500) {
        let rows: Vec<(Uuid, i64, Option<i32>)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::OdpId)
            .column_as(customer::Column::Id.count(), "n")
            .column_as(customer::Column::OdpPort.max(), "highest")
            .filter(customer::Column::OdpId.is_in(chunk.to_vec()))
            .group_by(customer::Column::OdpId)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, used, highest)| {
            (
                id,
                PortUse {
                    used,
                    highest: highest.unwrap_or(0),
                },
            )
        }));
    }
    Ok(out)
}

// ---------------------------------------------------------------- areas

/// A change to a service area as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct AreaChange {
    /// The id a client chose for a new area (a UUIDv7).
    pub id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub city: Option<String>,
    /// Latitude and longitude of the centre.
    pub center: Option<(f64, f64)>,
    pub radius_m: Option<i32>,
}

/// An area change read by the rules that need nothing stored.
#[derive(Debug)]
pub struct AreaDraft {
    id: Option<Uuid>,
    code: Option<String>,
    name: Option<String>,
    city: Option<String>,
    center: Option<GeoPoint>,
    radius_m: Option<i32>,
    checks: Checks,
}

impl AreaDraft {
    pub fn new(current: Option<&area::Model>, change: AreaChange) -> Self {
        let creating = current.is_none();
        let mut c = Checks::default();
        if creating {
            c.client_id("id", change.id.map(|id| id.get_version_num()));
        }
        c.require(
            creating,
            &[
                ("code", change.code.is_some()),
                ("name", change.name.is_some()),
                ("city", change.city.is_some()),
                ("center", change.center.is_some()),
                ("radius_m", change.radius_m.is_some()),
            ],
        );
        let code = change
            .code
            .map(|v| rules::code(&mut c, "code", &v, AREA_CODE_MAX));
        let name = change.name.map(|v| c.text("name", &v, PLANT_NAME_MAX));
        let city = change.city.map(|v| c.text("city", &v, PLANT_NAME_MAX));
        let center = change
            .center
            .and_then(|(lat, lng)| c.point("center", lat, lng));
        if let Some(r) = change.radius_m
            && let Err(e) = rules::area_radius("radius_m", r)
        {
            c.push(e);
        }
        AreaDraft {
            id: change.id,
            code,
            name,
            city,
            center,
            radius_m: change.radius_m,
            checks: c,
        }
    }

    /// Drops the errors of `field` (the caller has said it otherwise).
    pub fn forget(&mut self, field: &str) {
        self.checks.errors.retain(|e| e.field != field);
    }

    /// The record to write, or every field error.
    pub fn resolve(
        self,
        current: Option<&area::Model>,
        facts: &Snapshot,
        now: DateTime<Utc>,
    ) -> Result<area::Model, Invalid> {
        let mut c = self.checks;
        let me = current.map(|x| x.id);
        if let Some(code) = &self.code
            && held_by_another(&facts.area_codes, code, me)
        {
            c.fail("code", "taken", "another area has this code");
        }
        c.finish()?;
        let mut record = current.cloned().unwrap_or_else(|| area::Model {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            code: String::new(),
            name: String::new(),
            city: String::new(),
            center_lat: 0.0,
            center_lng: 0.0,
            radius_m: 0,
            time_zone: "Asia/Jakarta".to_string(),
            business_hours: false,
            opens_at: "08:00".to_string(),
            closes_at: "17:00".to_string(),
            work_days: "1111110".to_string(),
            created_at: now,
            updated_at: now,
        });
        put(&mut record.code, self.code);
        put(&mut record.name, self.name);
        put(&mut record.city, self.city);
        if let Some(p) = self.center {
            record.center_lat = p.lat;
            record.center_lng = p.lng;
        }
        put(&mut record.radius_m, self.radius_m);
        record.updated_at = now;
        Ok(record)
    }
}

/// The audited form of an area.
pub fn area_view(a: &area::Model) -> Value {
    json!({
        "id": a.id, "code": a.code, "name": a.name, "city": a.city,
        "center": {"lat": a.center_lat, "lng": a.center_lng}, "radius_m": a.radius_m,
    })
}

const AREA: Audited = Audited {
    entity: "area",
    created: "area.create",
    updated: "area.update",
};

/// Stores a checked area in the caller's transaction.
pub async fn write_area<C: ConnectionTrait>(
    txn: &C,
    creating: bool,
    record: area::Model,
) -> Result<area::Model, DbErr> {
    records::store::<area::ActiveModel, _>(txn, creating, record).await
}

/// Checks and saves an area with its audit entry.
pub async fn save_area(
    db: &Db,
    actor: &Actor,
    current: Option<area::Model>,
    change: AreaChange,
    now: DateTime<Utc>,
) -> Result<area::Model, Error> {
    let draft = AreaDraft::new(current.as_ref(), change);
    let facts = Snapshot::for_area(db.conn(), &draft).await?;
    let record = draft.resolve(current.as_ref(), &facts, now)?;
    records::save::<area::ActiveModel>(
        db,
        actor,
        AREA,
        current.as_ref().map(area_view),
        record,
        |a| (a.id, area_view(a)),
        now,
    )
    .await
}

/// One service area.
pub async fn area<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<area::Model, Error> {
    area::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such area.".to_string()))
}

#[derive(Debug, Default, Clone)]
pub struct AreaFilter {
    /// A part of the code, name or city.
    pub q: Option<String>,
    /// Exactly this city.
    pub city: Option<String>,
}

/// The areas matching `filter`, by code.
pub async fn list_areas<C: ConnectionTrait>(
    db: &C,
    filter: &AreaFilter,
    page: &PageRequest,
) -> Result<Page<area::Model>, DbErr> {
    let mut select = area::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(area::Column::Name, q))
                .add(lower_like(area::Column::Code, q))
                .add(lower_like(area::Column::City, q)),
        );
    }
    if let Some(city) = filter.city.as_deref() {
        select = select.filter(area::Column::City.eq(city));
    }
    paginate(
        db,
        select,
        area::Column::Code,
        area::Column::Id,
        page,
        |m| (m.code.clone(), m.id),
    )
    .await
}

// ----------------------------------------------------------------- ODCs

/// A change to an ODC as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct OdcChange {
    pub id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub area_id: Option<Uuid>,
    pub location: Option<(f64, f64)>,
    /// `active`, `full` or `maintenance`; a new ODC is active.
    pub status: Option<String>,
}

/// An ODC change read by the rules that need nothing stored.
#[derive(Debug)]
pub struct OdcDraft {
    id: Option<Uuid>,
    code: Option<String>,
    name: Option<String>,
    area_id: Option<Uuid>,
    location: Option<GeoPoint>,
    status: Option<PlantStatus>,
    checks: Checks,
}

impl OdcDraft {
    pub fn new(current: Option<&odc::Model>, change: OdcChange) -> Self {
        let creating = current.is_none();
        let mut c = Checks::default();
        if creating {
            c.client_id("id", change.id.map(|id| id.get_version_num()));
        }
        c.require(
            creating,
            &[
                ("code", change.code.is_some()),
                ("name", change.name.is_some()),
                ("area_id", change.area_id.is_some()),
                ("location", change.location.is_some()),
            ],
        );
        let code = change
            .code
            .map(|v| rules::code(&mut c, "code", &v, PLANT_CODE_MAX));
        let name = change.name.map(|v| c.text("name", &v, PLANT_NAME_MAX));
        let location = change
            .location
            .and_then(|(lat, lng)| c.point("location", lat, lng));
        let status = change
            .status
            .and_then(|s| c.take(PlantStatus::parse_field("status", &s)));
        OdcDraft {
            id: change.id,
            code,
            name,
            area_id: change.area_id,
            location,
            status,
            checks: c,
        }
    }

    pub fn forget(&mut self, field: &str) {
        self.checks.errors.retain(|e| e.field != field);
    }

    pub fn fail(&mut self, error: FieldError) {
        self.checks.push(error);
    }

    /// The record to write, or every field error.
    pub fn resolve(
        self,
        current: Option<&odc::Model>,
        facts: &Snapshot,
        now: DateTime<Utc>,
    ) -> Result<odc::Model, Invalid> {
        let mut c = self.checks;
        let me = current.map(|x| x.id);
        if let Some(a) = self.area_id
            && !facts.areas.contains(&a)
        {
            c.fail("area_id", "unknown", "no such area");
        }
        if let Some(code) = &self.code
            && held_by_another(&facts.odc_codes, code, me)
        {
            c.fail("code", "taken", "another ODC has this code");
        }
        c.finish()?;
        let mut record = current.cloned().unwrap_or_else(|| odc::Model {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            code: String::new(),
            name: String::new(),
            area_id: Uuid::nil(),
            lat: 0.0,
            lng: 0.0,
            status: PlantStatus::Active.as_str().to_string(),
            created_at: now,
            updated_at: now,
        });
        put(&mut record.code, self.code);
        put(&mut record.name, self.name);
        put(&mut record.area_id, self.area_id);
        if let Some(p) = self.location {
            record.lat = p.lat;
            record.lng = p.lng;
        }
        put(
            &mut record.status,
            self.status.map(|s| s.as_str().to_string()),
        );
        record.updated_at = now;
        Ok(record)
    }
}

/// The audited form of an ODC.
pub fn odc_view(o: &odc::Model) -> Value {
    json!({
        "id": o.id, "code": o.code, "name": o.name, "area_id": o.area_id,
        "location": {"lat": o.lat, "lng": o.lng}, "status": o.status,
    })
}

const ODC: Audited = Audited {
    entity: "odc",
    created: "odc.create",
    updated: "odc.update",
};

/// Stores a checked ODC in the caller's transaction.
pub async fn write_odc<C: ConnectionTrait>(
    txn: &C,
    creating: bool,
    record: odc::Model,
) -> Result<odc::Model, DbErr> {
    records::store::<odc::ActiveModel, _>(txn, creating, record).await
}

/// Checks and saves an ODC with its audit entry.
pub async fn save_odc(
    db: &Db,
    actor: &Actor,
    current: Option<odc::Model>,
    change: OdcChange,
    now: DateTime<Utc>,
) -> Result<odc::Model, Error> {
    let draft = OdcDraft::new(current.as_ref(), change);
    let facts = Snapshot::for_odc(db.conn(), &draft).await?;
    let record = draft.resolve(current.as_ref(), &facts, now)?;
    records::save::<odc::ActiveModel>(
        db,
        actor,
        ODC,
        current.as_ref().map(odc_view),
        record,
        |o| (o.id, odc_view(o)),
        now,
    )
    .await
}

/// One ODC.
pub async fn odc<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<odc::Model, Error> {
    odc::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such ODC.".to_string()))
}

#[derive(Debug, Default, Clone)]
pub struct PlantFilter {
    /// A part of the code or name.
    pub q: Option<String>,
    pub area_id: Option<Uuid>,
    /// ODPs only: those of this ODC.
    pub odc_id: Option<Uuid>,
    /// As set (an ODP's `full` is derived from its ports, not set).
    pub status: Option<PlantStatus>,
}

/// The ODCs matching `filter`, by code.
pub async fn list_odcs<C: ConnectionTrait>(
    db: &C,
    filter: &PlantFilter,
    page: &PageRequest,
) -> Result<Page<odc::Model>, DbErr> {
    let mut select = odc::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(odc::Column::Code, q))
                .add(lower_like(odc::Column::Name, q)),
        );
    }
    if let Some(area) = filter.area_id {
        select = select.filter(odc::Column::AreaId.eq(area));
    }
    if let Some(status) = filter.status {
        select = select.filter(odc::Column::Status.eq(status.as_str()));
    }
    paginate(db, select, odc::Column::Code, odc::Column::Id, page, |m| {
        (m.code.clone(), m.id)
    })
    .await
}

/// Every ODC, by code.
pub async fn all_odcs<C: ConnectionTrait>(db: &C) -> Result<Vec<odc::Model>, DbErr> {
    odc::Entity::find()
        .order_by_asc(odc::Column::Code)
        .all(db)
        .await
}

// ----------------------------------------------------------------- ODPs

/// A change to an ODP as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct OdpChange {
    pub id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
    /// The ODC it hangs off; the ODP is in the ODC's area.
    pub odc_id: Option<Uuid>,
    pub location: Option<(f64, f64)>,
    pub port_count: Option<i32>,
    /// `active` or `maintenance`; a new ODP is active.
    pub status: Option<String>,
}

/// An ODP change read by the rules that need nothing stored.
#[derive(Debug)]
pub struct OdpDraft {
    id: Option<Uuid>,
    code: Option<String>,
    name: Option<String>,
    odc_id: Option<Uuid>,
    location: Option<GeoPoint>,
    port_count: Option<i32>,
    status: Option<PlantStatus>,
    checks: Checks,
}

impl OdpDraft {
    pub fn new(current: Option<&odp::Model>, change: OdpChange) -> Self {
        let creating = current.is_none();
        let mut c = Checks::default();
        if creating {
            c.client_id("id", change.id.map(|id| id.get_version_num()));
        }
        c.require(
            creating,
            &[
                ("code", change.code.is_some()),
                ("name", change.name.is_some()),
                ("odc_id", change.odc_id.is_some()),
                ("location", change.location.is_some()),
                ("port_count", change.port_count.is_some()),
            ],
        );
        let code = change
            .code
            .map(|v| rules::code(&mut c, "code", &v, PLANT_CODE_MAX));
        let name = change.name.map(|v| c.text("name", &v, PLANT_NAME_MAX));
        let location = change
            .location
            .and_then(|(lat, lng)| c.point("location", lat, lng));
        let status = change
            .status
            .and_then(|s| c.take(PlantStatus::parse_odp_field("status", &s)));
        OdpDraft {
            id: change.id,
            code,
            name,
            odc_id: change.odc_id,
            location,
            port_count: change.port_count,
            status,
            checks: c,
        }
    }

    pub fn forget(&mut self, field: &str) {
        self.checks.errors.retain(|e| e.field != field);
    }

    pub fn fail(&mut self, error: FieldError) {
        self.checks.push(error);
    }

    /// The record to write, or every field error.
    pub fn resolve(
        self,
        current: Option<&odp::Model>,
        facts: &Snapshot,
        now: DateTime<Utc>,
    ) -> Result<odp::Model, Invalid> {
        let mut c = self.checks;
        let me = current.map(|x| x.id);
        if let Some(n) = self.port_count {
            let ports = me
                .and_then(|id| facts.ports.get(&id).copied())
                .unwrap_or_default();
            if let Err(e) = rules::port_count("port_count", n, ports.used, ports.highest) {
                c.push(e);
            }
        }
        let area_id = match self.odc_id {
            Some(o) => {
                let area = facts.odcs.get(&o).copied();
                if area.is_none() {
                    c.fail("odc_id", "unknown", "no such ODC");
                }
                area
            }
            None => None,
        };
        if let Some(code) = &self.code
            && held_by_another(&facts.odp_codes, code, me)
        {
            c.fail("code", "taken", "another ODP has this code");
        }
        c.finish()?;
        let mut record = current.cloned().unwrap_or_else(|| odp::Model {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            code: String::new(),
            name: String::new(),
            odc_id: Uuid::nil(),
            area_id: Uuid::nil(),
            lat: 0.0,
            lng: 0.0,
            port_count: 0,
            status: PlantStatus::Active.as_str().to_string(),
            created_at: now,
            updated_at: now,
        });
        put(&mut record.code, self.code);
        put(&mut record.name, self.name);
        if let (Some(o), Some(a)) = (self.odc_id, area_id) {
            // An ODP belongs to the area of its ODC.
            record.odc_id = o;
            record.area_id = a;
        }
        if let Some(p) = self.location {
            record.lat = p.lat;
            record.lng = p.lng;
        }
        put(&mut record.port_count, self.port_count);
        put(
            &mut record.status,
            self.status.map(|s| s.as_str().to_string()),
        );
        record.updated_at = now;
        Ok(record)
    }
}

/// An ODP with the number of its ports in use.
#[derive(Debug, Clone)]
pub struct OdpUsage {
    pub odp: odp::Model,
    pub used: i64,
}

impl OdpUsage {
    /// `active`, `full` (derived from the ports) or `maintenance`.
    pub fn status(&self) -> PlantStatus {
        rules::odp_status(self.odp.status(), self.odp.port_count, self.used)
    }

    pub fn free_ports(&self) -> i32 {
        rules::free_ports(self.odp.port_count, self.used)
    }

    pub fn used_ports(&self) -> i32 {
        i32::try_from(self.used).unwrap_or(i32::MAX)
    }
}

/// The audited form of an ODP.
pub fn odp_view(o: &OdpUsage) -> Value {
    let m = &o.odp;
    json!({
        "id": m.id, "code": m.code, "name": m.name, "odc_id": m.odc_id,
        "area_id": m.area_id, "location": {"lat": m.lat, "lng": m.lng},
        "port_count": m.port_count, "used_ports": o.used_ports(),
        "free_ports": o.free_ports(), "status": o.status(),
    })
}

const ODP: Audited = Audited {
    entity: "odp",
    created: "odp.create",
    updated: "odp.update",
};

/// Stores a checked ODP in the caller's transaction.
pub async fn write_odp<C: ConnectionTrait>(
    txn: &C,
    creating: bool,
    record: odp::Model,
) -> Result<odp::Model, DbErr> {
    records::store::<odp::ActiveModel, _>(txn, creating, record).await
}

/// Checks and saves an ODP with its audit entry. The port count cannot
/// drop below a port in use.
pub async fn save_odp(
    db: &Db,
    actor: &Actor,
    current: Option<odp::Model>,
    change: OdpChange,
    now: DateTime<Utc>,
) -> Result<OdpUsage, Error> {
    let draft = OdpDraft::new(current.as_ref(), change);
    let facts = Snapshot::for_odp(db.conn(), &draft, current.as_ref()).await?;
    let used = current
        .as_ref()
        .and_then(|o| facts.ports.get(&o.id))
        .map_or(0, |p| p.used);
    let record = draft.resolve(current.as_ref(), &facts, now)?;
    let with_use = |odp: &odp::Model| OdpUsage {
        odp: odp.clone(),
        used,
    };
    let saved = records::save::<odp::ActiveModel>(
        db,
        actor,
        ODP,
        current.as_ref().map(|o| odp_view(&with_use(o))),
        record,
        |o| (o.id, odp_view(&with_use(o))),
        now,
    )
    .await?;
    Ok(OdpUsage { odp: saved, used })
}

/// One ODP with its ports in use.
pub async fn odp<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<OdpUsage, Error> {
    let odp = odp_record(db, id).await?;
    let used = odp_usage(db, &[id]).await?.get(&id).copied().unwrap_or(0);
    Ok(OdpUsage { odp, used })
}

/// One ODP as stored.
pub async fn odp_record<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<odp::Model, Error> {
    odp::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such ODP.".to_string()))
}

/// Ports in use per ODP: customers linked to a port.
pub async fn odp_usage<C: ConnectionTrait>(
    db: &C,
    odp_ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>, DbErr> {
    Ok(port_use(db, odp_ids)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.used))
        .collect())
}

/// The ODPs matching `filter`, by code, with their ports in use.
pub async fn list_odps<C: ConnectionTrait>(
    db: &C,
    filter: &PlantFilter,
    page: &PageRequest,
) -> Result<Page<OdpUsage>, DbErr> {
    let mut select = odp::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(odp::Column::Code, q))
                .add(lower_like(odp::Column::Name, q)),
        );
    }
    if let Some(area) = filter.area_id {
        select = select.filter(odp::Column::AreaId.eq(area));
    }
    if let Some(odc) = filter.odc_id {
        select = select.filter(odp::Column::OdcId.eq(odc));
    }
    if let Some(status) = filter.status {
        select = select.filter(odp::Column::Status.eq(status.as_str()));
    }
    let page = paginate(db, select, odp::Column::Code, odp::Column::Id, page, |m| {
        (m.code.clone(), m.id)
    })
    .await?;
    let ids: Vec<Uuid> = page.items.iter().map(|o| o.id).collect();
    let usage = odp_usage(db, &ids).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|odp| OdpUsage {
                used: usage.get(&odp.id).copied().unwrap_or(0),
                odp,
            })
            .collect(),
        next_cursor: page.next_cursor,
        total: page.total,
        total_exact: page.total_exact,
    })
}

/// Every ODP, by code.
pub async fn all_odps<C: ConnectionTrait>(db: &C) -> Result<Vec<odp::Model>, DbErr> {
    odp::Entity::find()
        .order_by_asc(odp::Column::Code)
        .all(db)
        .await
}

/// Every area, by code.
pub async fn all_areas<C: ConnectionTrait>(db: &C) -> Result<Vec<area::Model>, DbErr> {
    area::Entity::find()
        .order_by_asc(area::Column::Code)
        .all(db)
        .await
}

/// The customer on a port.
#[derive(Debug, Clone)]
pub struct PortHolder {
    pub customer_id: Uuid,
    pub customer_number: String,
    pub name: String,
}

/// One port of an ODP and who is on it.
#[derive(Debug, Clone)]
pub struct Port {
    pub port: i32,
    pub holder: Option<PortHolder>,
}

/// Every port of an ODP, in order, with the customer on it (if any).
pub async fn ports<C: ConnectionTrait>(db: &C, odp_id: Uuid) -> Result<Vec<Port>, Error> {
    let found = odp_record(db, odp_id).await?;
    let on_it: HashMap<i32, PortHolder> = customer::Entity::find()
        .filter(customer::Column::OdpId.eq(odp_id))
        .filter(Expr::col(customer::Column::OdpPort).is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some((
                c.odp_port?,
                PortHolder {
                    customer_id: c.id,
                    customer_number: c.customer_number,
                    name: c.name,
                },
            ))
        })
        .collect();
    Ok((1..=found.port_count)
        .map(|port| Port {
            port,
            holder: on_it.get(&port).cloned(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-28T03:00:00Z".parse().expect("time")
    }

    #[test]
    fn a_new_area_needs_every_field_and_a_free_code() {
        let draft = AreaDraft::new(None, AreaChange::default());
        let Err(Invalid(errors)) = draft.resolve(None, &Snapshot::default(), now()) else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "city", "center", "radius_m"]);

        let mut facts = Snapshot::default();
        facts
            .area_codes
            .insert("BDG-UJB".to_string(), Uuid::now_v7());
        let change = AreaChange {
            code: Some("bdg-ujb".into()),
            name: Some("Ujung Berung".into()),
            city: Some("Bandung".into()),
            center: Some((-6.913, 107.701)),
            radius_m: Some(1500),
            ..Default::default()
        };
        let Err(Invalid(errors)) =
            AreaDraft::new(None, change.clone()).resolve(None, &facts, now())
        else {
            panic!("the code is taken");
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("code", "taken")
        );
        let made = AreaDraft::new(None, change)
            .resolve(None, &Snapshot::default(), now())
            .expect("valid");
        assert_eq!((made.code.as_str(), made.radius_m), ("BDG-UJB", 1500));
        // Its own code is not taken from itself.
        let mut own = Snapshot::default();
        own.area_codes.insert("BDG-UJB".to_string(), made.id);
        let renamed = AreaDraft::new(
            Some(&made),
            AreaChange {
                code: Some("BDG-UJB".into()),
                name: Some("Ujungberung".into()),
                ..Default::default()
            },
        )
        .resolve(Some(&made), &own, now())
        .expect("valid");
        assert_eq!(renamed.name, "Ujungberung");
    }

    #[test]
    fn an_odp_takes_its_odcs_area_and_keeps_its_ports() {
        let (odc, area) = (Uuid::now_v7(), Uuid::now_v7());
        let mut facts = Snapshot::default();
        facts.odcs.insert(odc, area);
        let change = OdpChange {
            code: Some("odp-1".into()),
            name: Some("ODP 1".into()),
            odc_id: Some(odc),
            location: Some((-6.9, 107.6)),
            port_count: Some(8),
            ..Default::default()
        };
        let made = OdpDraft::new(None, change)
            .resolve(None, &facts, now())
            .expect("valid");
        assert_eq!(
            (made.area_id, made.code.as_str(), made.status.as_str()),
            (area, "ODP-1", "active")
        );
        facts.ports.insert(
            made.id,
            PortUse {
                used: 1,
                highest: 8,
            },
        );
        let shrink = OdpChange {
            port_count: Some(4),
            status: Some("full".into()),
            ..Default::default()
        };
        let Err(Invalid(errors)) =
            OdpDraft::new(Some(&made), shrink).resolve(Some(&made), &facts, now())
        else {
            panic!("port 8 is in use");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(codes, [("status", "choice"), ("port_count", "in_use")]);
    }

    #[test]
    fn an_odc_needs_a_known_area_and_a_known_status() {
        let change = OdcChange {
            code: Some("ODC-1".into()),
            name: Some("ODC 1".into()),
            area_id: Some(Uuid::now_v7()),
            location: Some((-6.9, 107.6)),
            status: Some("broken".into()),
            ..Default::default()
        };
        let Err(Invalid(errors)) =
            OdcDraft::new(None, change).resolve(None, &Snapshot::default(), now())
        else {
            panic!("refused");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(codes, [("status", "choice"), ("area_id", "unknown")]);
    }
}
