//! Customers: the one write path every way a customer comes in goes through
//! (the staff console and API, self-registration, the CSV import), and the
//! customer list with its search.
//!
//! A write goes in three steps:
//! 1. [`Draft::new`] reads the input by the domain's rules (texts, phone,
//!    e-mail, place, status, booking), needing nothing stored;
//! 2. [`Snapshot`] holds the stored facts the rules refer to (packages,
//!    areas, ODPs, who has a phone, port or reference), loaded for one record
//!    ([`Snapshot::for_draft`]) or for a whole file ([`Snapshot::all`]);
//! 3. [`Draft::resolve`] applies the rules that need them and gives the
//!    record to write, or every field error at once. [`write`] stores it in
//!    the caller's transaction; [`save`] does all of it with the audit entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, CustomerNumber, CustomerSource, CustomerStatus, FieldError, GeoPoint, Invalid,
    customer::{self as rules, OdpFacts, PackageFacts},
    fields::choice,
    schedule::{self, Zone},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
    sea_query::{Condition, Expr, Func},
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    entity::{area, customer, odp, package, user},
    limits::{Admission, Limit},
    network::area_for,
    page::{Page, PageError, PageRequest, newest_created, paginate},
};

/// A change to a customer as given: `None` leaves a field as it is (on a
/// new customer, empty); `Some(None)` removes an optional value.
#[derive(Debug, Default, Clone)]
pub struct CustomerChange {
    /// The id a client chose for a new customer (a UUIDv7).
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub address: Option<String>,
    /// Latitude and longitude.
    pub location: Option<(f64, f64)>,
    /// Derived from the location when absent.
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    pub odp_id: Option<Option<Uuid>>,
    pub odp_port: Option<Option<i32>>,
    pub status: Option<String>,
    pub notes: Option<String>,
    pub preferred_date: Option<Option<String>>,
    pub preferred_window: Option<Option<String>>,
    pub rt: Option<Option<String>>,
    pub rw: Option<Option<String>>,
    pub kelurahan: Option<Option<String>>,
    pub kecamatan: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub pppoe_username: Option<Option<String>>,
    pub billing_id: Option<Option<String>>,
}

/// Who writes, and what the rules depend on.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub zone: Zone,
    pub source: CustomerSource,
}

impl Context {
    /// Whether a refusal may name the customer who holds a phone or port:
    /// staff may know; a stranger registering may not.
    fn names_owners(&self) -> bool {
        self.source != CustomerSource::Portal
    }

    /// A self-registration must say when to come.
    fn booking_required(&self) -> bool {
        self.source == CustomerSource::Portal
    }
}

/// The input read by the rules that need nothing stored.
#[derive(Debug)]
pub struct Draft {
    creating: bool,
    id: Option<Uuid>,
    name: Option<String>,
    phone: Option<String>,
    whatsapp: Option<Option<String>>,
    email: Option<Option<String>>,
    address: Option<String>,
    point: Option<GeoPoint>,
    area_id: Option<Uuid>,
    package_id: Option<Uuid>,
    odp_id: Option<Option<Uuid>>,
    odp_port: Option<Option<i32>>,
    status: Option<CustomerStatus>,
    notes: Option<String>,
    preferred_date: Option<Option<String>>,
    preferred_window: Option<Option<String>>,
    rt: Option<Option<String>>,
    rw: Option<Option<String>>,
    kelurahan: Option<Option<String>>,
    kecamatan: Option<Option<String>>,
    city: Option<Option<String>>,
    pppoe_username: Option<Option<String>>,
    billing_id: Option<Option<String>>,
    checks: Checks,
}

/// RT and RW are numbers of up to three digits, written with leading zeros.
fn neighbourhood(c: &mut Checks, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u16>() {
        Ok(n) if (1..=999).contains(&n) && v.len() <= 3 => Some(format!("{n:03}")),
        _ => {
            c.push(FieldError::new(field, "format", "a number from 001 to 999").with("max", 999));
            None
        }
    }
}

/// A reference another system gives (PPPoE username, billing id): one line,
/// no spaces inside.
fn reference(c: &mut Checks, field: &str, value: &str) -> Option<String> {
    let v = c.optional_text(field, value, 100)?;
    if v.contains(char::is_whitespace) {
        c.fail(field, "format", "a reference has no spaces");
    }
    Some(v)
}

impl Draft {
    pub fn new(current: Option<&customer::Model>, change: CustomerChange, ctx: &Context) -> Draft {
        let creating = current.is_none();
        let mut c = Checks::default();
        if creating {
            c.client_id("id", change.id.map(|id| id.get_version_num()));
        }
        c.require(
            creating,
            &[
                ("name", change.name.is_some()),
                ("phone", change.phone.is_some()),
                ("address", change.address.is_some()),
                ("location", change.location.is_some()),
                ("package_id", change.package_id.is_some()),
            ],
        );
        let name = change.name.map(|v| c.text("name", &v, 100));
        let address = change.address.map(|v| c.text("address", &v, 300));
        let phone = change
            .phone
            .and_then(|p| c.phone("phone", &p).map(|p| p.into_string()));
        let whatsapp = change.whatsapp.map(|w| {
            w.filter(|w| !w.trim().is_empty())
                .and_then(|w| c.phone("whatsapp", &w).map(|p| p.into_string()))
        });
        let email = change.email.map(|e| {
            e.filter(|e| !e.trim().is_empty())
                .and_then(|e| c.email("email", &e).map(|e| e.into_string()))
        });
        let point = change
            .location
            .and_then(|(lat, lng)| c.point("location", lat, lng));
        let status = change
            .status
            .and_then(|s| c.take(CustomerStatus::parse_field("status", &s)));
        let notes = change.notes.map(|n| c.multiline("notes", &n, 2000));
        let date = change.preferred_date.clone().flatten();
        let window = change.preferred_window.clone().flatten();
        let (day, window) = schedule::check_booking(
            &mut c,
            date.as_deref(),
            window.as_deref(),
            ctx.booking_required(),
            ctx.now,
            ctx.zone,
        );
        let preferred_date = change
            .preferred_date
            .map(|d| d.and(day.map(|d| d.to_string())));
        let preferred_window = change
            .preferred_window
            .map(|w| w.and(window.map(|w| w.as_str().to_string())));
        let optional = |c: &mut Checks, field: &str, v: Option<Option<String>>, max| {
            v.map(|v| v.and_then(|v| c.optional_text(field, &v, max)))
        };
        let rt = change
            .rt
            .map(|v| v.and_then(|v| neighbourhood(&mut c, "rt", &v)));
        let rw = change
            .rw
            .map(|v| v.and_then(|v| neighbourhood(&mut c, "rw", &v)));
        let kelurahan = optional(&mut c, "kelurahan", change.kelurahan, 100);
        let kecamatan = optional(&mut c, "kecamatan", change.kecamatan, 100);
        let city = optional(&mut c, "city", change.city, 100);
        let pppoe_username = change
            .pppoe_username
            .map(|v| v.and_then(|v| reference(&mut c, "pppoe_username", &v)));
        let billing_id = change
            .billing_id
            .map(|v| v.and_then(|v| reference(&mut c, "billing_id", &v)));
        Draft {
            creating,
            id: change.id,
            name,
            phone,
            whatsapp,
            email,
            address,
            point,
            area_id: change.area_id,
            package_id: change.package_id,
            odp_id: change.odp_id,
            odp_port: change.odp_port,
            status,
            notes,
            preferred_date,
            preferred_window,
            rt,
            rw,
            kelurahan,
            kecamatan,
            city,
            pppoe_username,
            billing_id,
            checks: c,
        }
    }

    /// The phone number as read (normalised), if it could be.
    pub fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }

    /// The e-mail address as read, if one was given and could be.
    pub fn email(&self) -> Option<&str> {
        self.email.as_ref().and_then(|e| e.as_deref())
    }

    /// Drops the errors of `field` (the caller has said it otherwise).
    pub fn forget(&mut self, field: &str) {
        self.checks.errors.retain(|e| e.field != field);
    }

    /// A field error found while reading the input outside these rules
    /// (e.g. a CSV cell that names no package).
    pub fn fail(&mut self, error: FieldError) {
        self.checks.push(error);
    }

    /// Applies the rules that need stored facts; the record to write, or
    /// every field error.
    pub fn resolve(
        self,
        current: Option<&customer::Model>,
        facts: &Snapshot,
        ctx: &Context,
    ) -> Result<customer::Model, Invalid> {
        let mut c = self.checks;
        let me = current.map(|x| x.id);
        // The package: chosen from those on sale, or the one they have.
        if let Some(pid) = self.package_id {
            let found = facts
                .packages
                .get(&pid)
                .map(|(name, on_sale)| PackageFacts {
                    name,
                    on_sale: *on_sale,
                });
            let already = current.is_some_and(|x| x.package_id == pid);
            if let Err(e) = rules::package_choice("package_id", found, already) {
                c.push(e);
            }
        }
        // The area: given, or the one the location falls in.
        let mut area_id = self.area_id;
        if let Some(a) = area_id
            && !facts.areas.iter().any(|x| x.id == a)
        {
            c.fail("area_id", "unknown", "no such area");
        }
        if area_id.is_none()
            && let Some(p) = self.point
        {
            match area_for(&facts.areas, p) {
                Some(a) => area_id = Some(a.id),
                None => c.fail(
                    "location",
                    "outside_area",
                    "this place is outside the ISP's service areas",
                ),
            }
        }
        // One phone, PPPoE username and billing id per customer.
        if let Some(p) = &self.phone
            && let Some((_, owner)) = theirs(facts.phones.get(p), me)
        {
            c.push(if ctx.names_owners() {
                rules::phone_taken("phone", owner)
            } else {
                FieldError::new(
                    "phone",
                    "taken",
                    "this phone number is already registered; sign in, or contact us if you did not register",
                )
            });
        }
        for (field, value, owners) in [
            ("pppoe_username", &self.pppoe_username, &facts.pppoe),
            ("billing_id", &self.billing_id, &facts.billing),
        ] {
            if let Some(Some(v)) = value
                && let Some((_, owner)) = theirs(owners.get(v), me)
            {
                c.push(
                    FieldError::new(field, "taken", format!("customer {owner} already has it"))
                        .with("customer_number", owner.as_str()),
                );
            }
        }
        // The status, and the port: on its ODP and free; a terminated
        // customer's port is freed.
        let status = self
            .status
            .or_else(|| current.map(customer::Model::status))
            .unwrap_or(CustomerStatus::Prospect);
        let mut odp_id = self
            .odp_id
            .unwrap_or_else(|| current.and_then(|x| x.odp_id));
        let mut odp_port = self
            .odp_port
            .unwrap_or_else(|| current.and_then(|x| x.odp_port));
        // A customer served until now keeps the port until the dismantle
        // ticket their termination opens is done (the ONT is still there).
        let leaving = status == CustomerStatus::Terminated
            && current.is_some_and(|x| x.status().still_served());
        if !status.holds_port() && !leaving {
            (odp_id, odp_port) = (None, None);
        }
        match (odp_id, odp_port) {
            (None, None) => {}
            (Some(o), Some(port)) => match facts.odps.get(&o) {
                None => c.fail("odp_id", "unknown", "no such ODP"),
                Some((code, port_count)) => {
                    let owner = theirs(facts.ports.get(&(o, port)), me).map(|(_, n)| n.as_str());
                    let odp = OdpFacts {
                        code,
                        port_count: *port_count,
                    };
                    if let Err(e) = rules::port_choice("odp_port", &odp, port, owner) {
                        c.push(e);
                    }
                }
            },
            (Some(_), None) => c.fail("odp_port", "choice", "choose the port on the ODP"),
            (None, Some(_)) => c.fail("odp_id", "choice", "choose the ODP of the port"),
        }
        c.finish()?;

        let now = ctx.now;
        let mut record = match current {
            Some(x) => x.clone(),
            None => customer::Model {
                id: self.id.unwrap_or_else(Uuid::now_v7),
                // Given when written (see `write`).
                customer_number: String::new(),
                name: String::new(),
                phone: String::new(),
                whatsapp: None,
                email: None,
                address: String::new(),
                lat: 0.0,
                lng: 0.0,
                area_id: Uuid::nil(),
                package_id: Uuid::nil(),
                odp_id: None,
                odp_port: None,
                status: String::new(),
                notes: String::new(),
                preferred_date: None,
                preferred_window: None,
                source: ctx.source.as_str().to_string(),
                created_at: now,
                updated_at: now,
                erased_at: None,
                rt: None,
                rw: None,
                kelurahan: None,
                kecamatan: None,
                city: None,
                pppoe_username: None,
                billing_id: None,
            },
        };
        if self.creating {
            // A new customer is reached on WhatsApp at their phone unless
            // told otherwise.
            record.whatsapp = self.phone.clone();
        }
        fn put<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        put(&mut record.name, self.name);
        put(&mut record.phone, self.phone);
        put(&mut record.whatsapp, self.whatsapp);
        put(&mut record.email, self.email);
        put(&mut record.address, self.address);
        if let Some(p) = self.point {
            record.lat = p.lat;
            record.lng = p.lng;
        }
        put(&mut record.area_id, area_id);
        put(&mut record.package_id, self.package_id);
        record.odp_id = odp_id;
        record.odp_port = odp_port;
        record.status = status.as_str().to_string();
        put(&mut record.notes, self.notes);
        put(&mut record.preferred_date, self.preferred_date);
        put(&mut record.preferred_window, self.preferred_window);
        put(&mut record.rt, self.rt);
        put(&mut record.rw, self.rw);
        put(&mut record.kelurahan, self.kelurahan);
        put(&mut record.kecamatan, self.kecamatan);
        put(&mut record.city, self.city);
        put(&mut record.pppoe_username, self.pppoe_username);
        put(&mut record.billing_id, self.billing_id);
        record.updated_at = now;
        Ok(record)
    }
}

/// `owner`, unless it is the record being changed (`me`).
fn theirs(owner: Option<&(Uuid, String)>, me: Option<Uuid>) -> Option<&(Uuid, String)> {
    owner.filter(|(id, _)| Some(*id) != me)
}

/// The stored facts the customer rules refer to.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Package id: name, on sale.
    pub packages: HashMap<Uuid, (String, bool)>,
    pub areas: Vec<area::Model>,
    /// ODP id: code, port count.
    pub odps: HashMap<Uuid, (String, i32)>,
    /// Who has a phone, port, PPPoE username, billing id: id and number.
    pub phones: HashMap<String, (Uuid, String)>,
    pub ports: HashMap<(Uuid, i32), (Uuid, String)>,
    pub pppoe: HashMap<String, (Uuid, String)>,
    pub billing: HashMap<String, (Uuid, String)>,
    /// Every customer by number (only in [`Snapshot::all`]).
    pub by_number: HashMap<String, customer::Model>,
}

fn owner(c: &customer::Model) -> (Uuid, String) {
    (c.id, c.customer_number.clone())
}

impl Snapshot {
    /// What the rules need to check one record.
    pub async fn for_draft<C: ConnectionTrait>(db: &C, draft: &Draft) -> Result<Self, DbErr> {
        let mut s = Snapshot {
            areas: area::Entity::find().all(db).await?,
            ..Default::default()
        };
        if let Some(pid) = draft.package_id
            && let Some(p) = package::Entity::find_by_id(pid).one(db).await?
        {
            s.packages.insert(p.id, (p.name, p.active));
        }
        if let Some(Some(o)) = draft.odp_id
            && let Some(o) = odp::Entity::find_by_id(o).one(db).await?
        {
            s.odps.insert(o.id, (o.code, o.port_count));
        }
        let one = |column: customer::Column, value: String| {
            customer::Entity::find().filter(column.eq(value)).one(db)
        };
        if let Some(p) = &draft.phone
            && let Some(c) = one(customer::Column::Phone, p.clone()).await?
        {
            s.phones.insert(p.clone(), owner(&c));
        }
        if let Some(Some(v)) = &draft.pppoe_username
            && let Some(c) = one(customer::Column::PppoeUsername, v.clone()).await?
        {
            s.pppoe.insert(v.clone(), owner(&c));
        }
        if let Some(Some(v)) = &draft.billing_id
            && let Some(c) = one(customer::Column::BillingId, v.clone()).await?
        {
            s.billing.insert(v.clone(), owner(&c));
        }
        Ok(s)
    }

    /// Adds who is on a port (the port the draft asks for may be taken; the
    /// ODP may come from the current record).
    pub async fn with_port<C: ConnectionTrait>(
        mut self,
        db: &C,
        odp_id: Uuid,
        port: i32,
    ) -> Result<Self, DbErr> {
        if !self.odps.contains_key(&odp_id)
            && let Some(o) = odp::Entity::find_by_id(odp_id).one(db).await?
        {
            self.odps.insert(o.id, (o.code, o.port_count));
        }
        if let Some(c) = customer::Entity::find()
            .filter(customer::Column::OdpId.eq(odp_id))
            .filter(customer::Column::OdpPort.eq(port))
            .one(db)
            .await?
        {
            self.ports.insert((odp_id, port), owner(&c));
        }
        Ok(self)
    }

    /// Everything, for checking a whole file.
    pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        let mut s = Snapshot {
            areas: area::Entity::find().all(db).await?,
            ..Default::default()
        };
        for p in package::Entity::find().all(db).await? {
            s.packages.insert(p.id, (p.name, p.active));
        }
        for o in odp::Entity::find().all(db).await? {
            s.odps.insert(o.id, (o.code, o.port_count));
        }
        for c in customer::Entity::find().all(db).await? {
            s.claim(&c);
            s.by_number.insert(c.customer_number.clone(), c);
        }
        Ok(s)
    }

    /// Records that `c` now holds its phone, port and references, so a later
    /// line of the same file that asks for them is refused.
    pub fn claim(&mut self, c: &customer::Model) {
        let who = owner(c);
        self.phones.insert(c.phone.clone(), who.clone());
        if let (Some(o), Some(p)) = (c.odp_id, c.odp_port) {
            self.ports.insert((o, p), who.clone());
        }
        if let Some(v) = &c.pppoe_username {
            self.pppoe.insert(v.clone(), who.clone());
        }
        if let Some(v) = &c.billing_id {
            self.billing.insert(v.clone(), who);
        }
    }
}

/// Reads and checks a change to one customer against what is stored.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    current: Option<&customer::Model>,
    change: CustomerChange,
    ctx: &Context,
) -> Result<customer::Model, Error> {
    let draft = Draft::new(current, change, ctx);
    let mut facts = Snapshot::for_draft(db, &draft).await?;
    let odp = draft
        .odp_id
        .unwrap_or_else(|| current.and_then(|x| x.odp_id));
    let port = draft
        .odp_port
        .unwrap_or_else(|| current.and_then(|x| x.odp_port));
    if let (Some(o), Some(p)) = (odp, port) {
        facts = facts.with_port(db, o, p).await?;
    }
    Ok(draft.resolve(current, &facts, ctx)?)
}

/// The audited form of a customer record.
pub fn audit_view(c: &customer::Model) -> Value {
    json!({
        "id": c.id, "customer_number": c.customer_number, "name": c.name,
        "phone": c.phone, "whatsapp": c.whatsapp, "email": c.email,
        "address": c.address, "rt": c.rt, "rw": c.rw, "kelurahan": c.kelurahan,
        "kecamatan": c.kecamatan, "city": c.city, "lat": c.lat, "lng": c.lng,
        "area_id": c.area_id, "package_id": c.package_id, "odp_id": c.odp_id,
        "odp_port": c.odp_port, "status": c.status, "notes": c.notes,
        "preferred_date": c.preferred_date, "preferred_window": c.preferred_window,
        "pppoe_username": c.pppoe_username, "billing_id": c.billing_id,
        "source": c.source,
    })
}

/// Whether a write failed on a unique index whose name holds `what`.
pub(crate) fn unique_clash(e: &DbErr, what: &str) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(m)) if m.contains(what))
}

/// Stores a checked record in the caller's transaction: a new one gets the
/// next customer number (unless it brings its own, from an import). A
/// parallel writer that took the same port, phone or reference since the
/// check is refused by the unique indexes and answered as a field error.
pub async fn write<C: ConnectionTrait>(
    txn: &C,
    creating: bool,
    mut record: customer::Model,
) -> Result<customer::Model, Error> {
    if creating && record.customer_number.is_empty() {
        record.customer_number = next_customer_number(txn).await?;
    }
    // The whole checked record is written.
    let model = customer::ActiveModel::from(record).reset_all();
    let saved = if creating {
        model.insert(txn).await
    } else {
        model.update(txn).await
    };
    match saved {
        Ok(saved) => Ok(saved),
        // Another writer took the port, phone or reference since the check;
        // the unique indexes refuse the second (see `save`).
        Err(e)
            if ["odp_port", "pppoe_username", "billing_id"]
                .iter()
                .any(|what| unique_clash(&e, what)) =>
        {
            Err(Error::Conflict(RACED.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Registrations accepted from one address per hour.
pub const REGISTRATIONS: Limit = Limit {
    scope: "registration.accepted",
    max: 5,
    window_secs: 3600,
};

/// A customer registering themself in the portal.
pub struct Registration {
    pub change: CustomerChange,
    /// The password of their new portal account.
    pub password: String,
    /// The language of the new account.
    pub locale: String,
}

/// Self-registration: a prospect customer with the chosen installation
/// window, and a portal account signed in with their phone number, in one
/// transaction, with the audit entry. At most [`REGISTRATIONS`] per address
/// and hour, counted in the transaction (parallel registrations cannot pass
/// the limit, and one that fails is not counted).
pub async fn register(
    db: &Db,
    ip: &str,
    registration: Registration,
    ctx: &Context,
) -> Result<customer::Model, Error> {
    let conn = db.conn();
    let mut draft = Draft::new(None, registration.change, ctx);
    let logins: Vec<&str> = [draft.phone(), draft.email()]
        .into_iter()
        .flatten()
        .collect();
    if let Err(e) = netcrew_domain::access::check_password(&registration.password, &logins) {
        draft.fail(FieldError::new("password", e.code(), e.to_string()));
    }
    // Another account signs in with the same phone or e-mail.
    let account_with = |column: user::Column, value: String| {
        user::Entity::find().filter(column.eq(value)).one(conn)
    };
    if let Some(p) = draft.phone().map(str::to_string)
        && account_with(user::Column::Phone, p).await?.is_some()
    {
        draft.fail(FieldError::new(
            "phone",
            "taken",
            "this phone number is already registered; sign in, or contact us if you did not register",
        ));
    }
    if let Some(e) = draft.email().map(str::to_string)
        && account_with(user::Column::Email, e).await?.is_some()
    {
        draft.fail(FieldError::new(
            "email",
            "taken",
            "this e-mail address is already registered; sign in, or contact us if you did not register",
        ));
    }
    let facts = Snapshot::for_draft(conn, &draft).await?;
    let record = draft.resolve(None, &facts, ctx)?;
    let hash = crate::password::hash(&registration.password).await?;
    let txn = db.begin_write().await?;
    if let Admission::Refused { retry_after_secs } = REGISTRATIONS.hit(&*txn, ip, ctx.now).await? {
        txn.rollback().await?;
        return Err(Error::Limited(retry_after_secs));
    }
    let saved = write(&*txn, true, record).await?;
    let account = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(saved.name.clone()),
        email: Set(saved.email.clone()),
        phone: Set(Some(saved.phone.clone())),
        role: Set(netcrew_domain::Role::Customer.as_str().to_string()),
        password_hash: Set(hash),
        locale: Set(registration.locale),
        active: Set(true),
        customer_id: Set(Some(saved.id)),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(ctx.now),
        updated_at: Set(ctx.now),
    }
    .insert(&*txn)
    .await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(account.id),
            actor_ip: Some(ip.to_string()),
            action: "registration.create",
            entity: "customer",
            entity_id: Some(saved.id.to_string()),
            before: None,
            after: Some(audit_view(&saved)),
        },
        ctx.now,
    )
    .await?;
    // The installation is a ticket from the start, on the day chosen.
    let who = crate::tickets::Person {
        id: Some(account.id),
        name: account.name.clone(),
        role: Some(netcrew_domain::Role::Customer),
        customer_id: Some(saved.id),
        ip: Some(ip.to_string()),
    };
    crate::tickets::open_for(
        &*txn,
        &who,
        &saved,
        netcrew_domain::tickets::TicketKind::Installation,
        netcrew_domain::tickets::TicketSource::Portal,
        ctx.zone,
        ctx.now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// What [`write`] answers when a parallel writer took a unique value first.
pub const RACED: &str = "Another change took the same port, PPPoE username or billing id just now; check and try again.";

/// Checks and saves a customer with its audit entry, in one transaction.
pub async fn save(
    db: &Db,
    actor: &Actor,
    current: Option<customer::Model>,
    change: CustomerChange,
    ctx: &Context,
) -> Result<customer::Model, Error> {
    if current.as_ref().is_some_and(|c| c.erased_at.is_some()) {
        return Err(Error::Conflict(
            "This customer's personal data was erased; register them anew if they return."
                .to_string(),
        ));
    }
    let creating = current.is_none();
    let change_again = change.clone();
    let record = check(db.conn(), current.as_ref(), change, ctx).await?;
    let txn = db.begin_write().await?;
    let saved = match write(&*txn, creating, record).await {
        Ok(saved) => saved,
        Err(Error::Conflict(why)) if why == RACED => {
            // Checked again now that the other write is in: the answer
            // names who has the value.
            txn.rollback().await?;
            check(db.conn(), current.as_ref(), change_again, ctx).await?;
            return Err(Error::Conflict(why));
        }
        Err(e) => return Err(e),
    };
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: if creating {
                "customer.create"
            } else {
                "customer.update"
            },
            entity: "customer",
            entity_id: Some(saved.id.to_string()),
            before: current.as_ref().map(audit_view),
            after: Some(audit_view(&saved)),
        },
        ctx.now,
    )
    .await?;
    // Terminating a served customer opens the dismantle: the ONT comes
    // back and the port is freed when it is done.
    let terminating = !creating
        && saved.status == CustomerStatus::Terminated.as_str()
        && current.as_ref().is_some_and(|c| c.status().still_served());
    // A prospect CS registers gets the installation ticket at once.
    if (creating && saved.status == CustomerStatus::Prospect.as_str()) || terminating {
        let name: Option<String> = match actor.user_id {
            Some(id) => {
                user::Entity::find_by_id(id)
                    .select_only()
                    .column(user::Column::Name)
                    .into_tuple()
                    .one(&*txn)
                    .await?
            }
            None => None,
        };
        let role: Option<String> = match actor.user_id {
            Some(id) => {
                user::Entity::find_by_id(id)
                    .select_only()
                    .column(user::Column::Role)
                    .into_tuple()
                    .one(&*txn)
                    .await?
            }
            None => None,
        };
        let who = crate::tickets::Person {
            id: actor.user_id,
            name: name.unwrap_or_else(|| "NetCrew".to_string()),
            role: role.and_then(|r| r.parse().ok()),
            customer_id: None,
            ip: actor.ip.clone(),
        };
        let kind = if terminating {
            netcrew_domain::tickets::TicketKind::Dismantle
        } else {
            netcrew_domain::tickets::TicketKind::Installation
        };
        crate::tickets::open_for(
            &*txn,
            &who,
            &saved,
            kind,
            netcrew_domain::tickets::TicketSource::Phone,
            ctx.zone,
            ctx.now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// One customer by id, within a row scope (`only`: a customer's own
/// account sees only themself).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    only: Option<Uuid>,
) -> Result<Option<customer::Model>, DbErr> {
    if only.is_some_and(|o| o != id) {
        return Ok(None);
    }
    customer::Entity::find_by_id(id).one(db).await
}

/// One customer by number.
pub async fn find_by_number<C: ConnectionTrait>(
    db: &C,
    number: &CustomerNumber,
) -> Result<Option<customer::Model>, DbErr> {
    customer::Entity::find()
        .filter(customer::Column::CustomerNumber.eq(number.as_str()))
        .one(db)
        .await
}

// ------------------------------------------------------------------ list

/// The order of a customer list.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum CustomerSort {
    /// By customer number (the order they were registered in, oldest first).
    #[default]
    Number,
    /// Newest first.
    Newest,
    /// By name, A to Z.
    Name,
}

#[derive(Debug, Default, Clone)]
pub struct CustomerFilter {
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    pub odp_id: Option<Uuid>,
    pub city: Option<String>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    /// Row scope: only this customer (a customer's own account).
    pub only: Option<Uuid>,
    pub sort: CustomerSort,
}

/// A customer's value in a list order, with its id.
type SortKey = fn(&customer::Model) -> (String, Uuid);

/// The customers matching `filter`, one page.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &CustomerFilter,
    page: &PageRequest,
) -> Result<Result<Page<customer::Model>, PageError>, DbErr> {
    let mut select = customer::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(search(db, q));
    }
    if let Some(status) = filter.status {
        select = select.filter(customer::Column::Status.eq(status.as_str()));
    }
    if let Some(area) = filter.area_id {
        select = select.filter(customer::Column::AreaId.eq(area));
    }
    if let Some(package) = filter.package_id {
        select = select.filter(customer::Column::PackageId.eq(package));
    }
    if let Some(odp) = filter.odp_id {
        select = select.filter(customer::Column::OdpId.eq(odp));
    }
    for (column, value) in [
        (customer::Column::City, &filter.city),
        (customer::Column::Kecamatan, &filter.kecamatan),
        (customer::Column::Kelurahan, &filter.kelurahan),
    ] {
        if let Some(v) = value {
            select = select.filter(column.eq(v.trim()));
        }
    }
    if let Some(only) = filter.only {
        select = select.filter(customer::Column::Id.eq(only));
    }
    let (sort, key): (_, SortKey) = match filter.sort {
        CustomerSort::Number => (customer::Column::CustomerNumber, |m| {
            (m.customer_number.clone(), m.id)
        }),
        CustomerSort::Name => (customer::Column::Name, |m| (m.name.clone(), m.id)),
        CustomerSort::Newest => {
            return newest_created(
                db,
                select,
                customer::Column::CreatedAt,
                customer::Column::Id,
                page,
                |m| (m.created_at, m.id),
            )
            .await;
        }
    };
    Ok(Ok(paginate(
        db,
        select,
        sort,
        customer::Column::Id,
        page,
        key,
    )
    .await?))
}

/// What a customer search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKind {
    /// The E.164 start of a phone number.
    Phone(String),
    /// The start of a customer number, `PLG-00012` (any case).
    CustomerNumber(String),
    /// The start of an e-mail address (lower case).
    Email(String),
    /// A part of a name or address, or an exact PPPoE username or billing id.
    Text,
}

impl SearchKind {
    pub fn of(q: &str) -> SearchKind {
        let q = q.trim();
        if let Some(prefix) = phone_prefix(q) {
            return SearchKind::Phone(prefix);
        }
        let upper = q.to_uppercase();
        if upper.starts_with("PLG-") || (upper.starts_with("PLG") && upper.len() > 3) {
            let digits = upper.trim_start_matches("PLG").trim_start_matches('-');
            if digits.chars().all(|c| c.is_ascii_digit()) {
                return SearchKind::CustomerNumber(format!("PLG-{digits}"));
            }
        }
        if q.contains('@') && !q.contains(char::is_whitespace) {
            return SearchKind::Email(q.to_lowercase());
        }
        SearchKind::Text
    }
}

/// A search, as a condition every backend answers from an index: what the
/// text looks like (a phone, a customer number, an e-mail, words), or
/// exactly a PPPoE username or billing id whatever it looks like
/// (`plg0000123`, `budi@isp`, `628123456` are all usernames somewhere).
fn search<C: ConnectionTrait>(db: &C, q: &str) -> Condition {
    let q = q.trim();
    let by_kind = match SearchKind::of(q) {
        // A phone number, customer number or e-mail address (or its start):
        // a range on that column's index.
        SearchKind::Phone(prefix) => starts_with(customer::Column::Phone, &prefix),
        SearchKind::CustomerNumber(prefix) => {
            starts_with(customer::Column::CustomerNumber, &prefix)
        }
        SearchKind::Email(prefix) => starts_with(customer::Column::Email, &prefix),
        // Words: a part of the name or address (through the FTS5 trigram
        // index on SQLite, trigram indexes on PostgreSQL).
        SearchKind::Text => crate::db::contains_text(
            db.get_database_backend(),
            customer::Column::Name,
            customer::Column::Address,
            q,
        ),
    };
    Condition::any()
        .add(by_kind)
        .add(customer::Column::PppoeUsername.eq(q))
        .add(customer::Column::BillingId.eq(q))
}

/// `column` starts with `prefix`: a range that an index on the column
/// answers, from the prefix to the prefix with its last character stepped
/// up (`PLG-0012` .. `PLG-0013`).
fn starts_with<C: ColumnTrait>(column: C, prefix: &str) -> Condition {
    let mut end: Vec<char> = prefix.chars().collect();
    let stepped = end
        .pop()
        .and_then(|last| char::from_u32(last as u32 + 1))
        .map(|next| end.iter().chain(std::iter::once(&next)).collect::<String>());
    let range = Condition::all().add(column.gte(prefix.to_string()));
    match stepped {
        Some(stepped) => range.add(column.lt(stepped)),
        None => range,
    }
}

/// When a search looks like a phone number or its beginning (`0812 34`,
/// `+62812...`, `62812...`; at least 6 digits), the E.164 prefix to look for.
pub fn phone_prefix(q: &str) -> Option<String> {
    let compact: String = q
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if digits.len() < 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if plus || digits.starts_with("62") {
        Some(format!("+{digits}"))
    } else {
        digits.strip_prefix('0').map(|local| format!("+62{local}"))
    }
}

/// `lower(column) LIKE '%q%'`.
pub(crate) fn lower_like<C: ColumnTrait>(col: C, q: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col))).like(crate::network::like(q))
}

// --------------------------------------------------------------- numbers

/// The counter customer numbers are taken from.
pub const CUSTOMER_NUMBER_COUNTER: &str = "customer_number";

/// The largest `PLG-` number in use.
async fn highest_customer_number<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let last = customer::Entity::find()
        .filter(customer::Column::CustomerNumber.like("PLG-%"))
        .order_by_desc(customer::Column::CustomerNumber)
        .limit(1)
        .one(db)
        .await?;
    Ok(last
        .and_then(|c| CustomerNumber::parse(&c.customer_number).ok())
        .and_then(|n| n.sequence())
        .unwrap_or(0))
}

/// `count` new customer numbers, taken from a counter in one atomic
/// statement: parallel creates, on several instances too, never get the
/// same number. Call it in the transaction that saves the customers.
pub async fn next_customer_numbers<C: ConnectionTrait>(
    db: &C,
    count: u64,
) -> Result<Vec<String>, DbErr> {
    let count = i64::try_from(count).map_err(|_| DbErr::Custom("too many numbers".into()))?;
    if count == 0 {
        return Ok(Vec::new());
    }
    loop {
        let last = crate::counters::advance(db, CUSTOMER_NUMBER_COUNTER, count).await?;
        let first = last - count + 1;
        // Numbers can also arrive from outside the counter (an import that
        // brings its own, demo data): continue after the largest in use.
        let highest = highest_customer_number(db).await?;
        if highest < first {
            return Ok((first..=last)
                .map(|n| CustomerNumber::from_sequence(n).into_string())
                .collect());
        }
        crate::counters::raise_to(db, CUSTOMER_NUMBER_COUNTER, highest).await?;
    }
}

/// The next customer number (see [`next_customer_numbers`]).
pub async fn next_customer_number<C: ConnectionTrait>(db: &C) -> Result<String, DbErr> {
    next_customer_numbers(db, 1)
        .await?
        .pop()
        .ok_or_else(|| DbErr::Custom("no customer number".into()))
}

/// The statuses, in the words the API and files use.
pub fn status_choice(field: &str) -> FieldError {
    choice(field, &CustomerStatus::NAMES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_told_apart() {
        assert_eq!(
            SearchKind::of("0812 3456"),
            SearchKind::Phone("+628123456".to_string())
        );
        assert_eq!(
            SearchKind::of("plg-00012"),
            SearchKind::CustomerNumber("PLG-00012".to_string())
        );
        assert_eq!(
            SearchKind::of("PLG0001234"),
            SearchKind::CustomerNumber("PLG-0001234".to_string())
        );
        assert_eq!(
            SearchKind::of("Siti@Gmail"),
            SearchKind::Email("siti@gmail".to_string())
        );
        assert_eq!(SearchKind::of("budi"), SearchKind::Text);
        assert_eq!(SearchKind::of("plgs"), SearchKind::Text);
        assert_eq!(SearchKind::of("Jl. Dago 12"), SearchKind::Text);
    }

    #[test]
    fn phone_searches_become_e164_prefixes() {
        assert_eq!(phone_prefix("0812-3456"), Some("+628123456".to_string()));
        assert_eq!(phone_prefix("+62 812 34"), Some("+6281234".to_string()));
        assert_eq!(phone_prefix("6281234"), Some("+6281234".to_string()));
        assert_eq!(phone_prefix("0812"), None, "too short to mean a phone");
        assert_eq!(phone_prefix("PLG-0000123"), None);
        assert_eq!(phone_prefix("Jl. Dago 12"), None);
    }

    fn ctx(source: CustomerSource) -> Context {
        Context {
            now: "2026-11-28T03:00:00Z".parse().expect("time"),
            zone: schedule::parse_zone("Asia/Jakarta").expect("zone"),
            source,
        }
    }

    #[test]
    fn rt_and_rw_are_three_digits() {
        let mut c = Checks::default();
        assert_eq!(neighbourhood(&mut c, "rt", "3"), Some("003".to_string()));
        assert_eq!(
            neighbourhood(&mut c, "rt", " 012 "),
            Some("012".to_string())
        );
        assert_eq!(neighbourhood(&mut c, "rt", ""), None);
        assert!(c.is_empty());
        assert_eq!(neighbourhood(&mut c, "rw", "1000"), None);
        assert_eq!(neighbourhood(&mut c, "rw", "0"), None);
        assert_eq!(c.errors.len(), 2);
    }

    #[test]
    fn a_new_customer_needs_the_five_fields_and_a_portal_one_a_booking() {
        let draft = Draft::new(None, CustomerChange::default(), &ctx(CustomerSource::Staff));
        let Err(Invalid(errors)) =
            draft.resolve(None, &Snapshot::default(), &ctx(CustomerSource::Staff))
        else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "phone", "address", "location", "package_id"]
        );
        let portal = ctx(CustomerSource::Portal);
        let draft = Draft::new(None, CustomerChange::default(), &portal);
        let Err(Invalid(errors)) = draft.resolve(None, &Snapshot::default(), &portal) else {
            panic!("refused");
        };
        assert!(
            errors
                .iter()
                .any(|e| e.field == "preferred_date" && e.code == "required")
        );
    }

    #[test]
    fn the_same_rules_hold_for_every_source() {
        let package = Uuid::now_v7();
        let mut facts = Snapshot::default();
        facts
            .packages
            .insert(package, ("Lama 5M".to_string(), false));
        facts.areas.push(area::Model {
            id: Uuid::now_v7(),
            name: "Bandung".to_string(),
            code: "BDG".to_string(),
            city: "Kota Bandung".to_string(),
            center_lat: -6.9,
            center_lng: 107.6,
            radius_m: 10_000,
            time_zone: "Asia/Jakarta".to_string(),
            business_hours: false,
            opens_at: "08:00".to_string(),
            closes_at: "17:00".to_string(),
            work_days: "1111110".to_string(),
            created_at: ctx(CustomerSource::Staff).now,
            updated_at: ctx(CustomerSource::Staff).now,
        });
        for source in CustomerSource::ALL {
            let ctx = ctx(source);
            let change = CustomerChange {
                name: Some("Dewi".into()),
                phone: Some("0812 3456 7890".into()),
                email: Some(Some("dewi@".into())),
                address: Some("Jl. Dago 1".into()),
                location: Some((-6.9, 107.6)),
                package_id: Some(package),
                preferred_date: Some(Some("2026-12-01".into())),
                preferred_window: Some(Some("08:00-12:00".into())),
                ..Default::default()
            };
            let draft = Draft::new(None, change, &ctx);
            let Err(Invalid(errors)) = draft.resolve(None, &facts, &ctx) else {
                panic!("refused");
            };
            let codes: Vec<_> = errors
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect();
            assert_eq!(
                codes,
                [("email", "email"), ("package_id", "not_on_sale")],
                "{source:?}"
            );
        }
    }
}
