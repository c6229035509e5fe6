//! Customers: the CS console's records, the coverage check, self-registration
//! from the portal, and the demand that is not covered yet.

use axum::{extract::State, response::Response};
use chrono::{Duration, Utc};
use netcrew_domain::{
    GeoPoint, Phone, Role,
    access::{Permission, check_password},
    schedule::{self, Zone},
    service::{CUSTOMER_STATUSES, CoverageRules},
};
use netcrew_store::{
    auth::{self, Audit},
    entity::{area, customer, demand_point, odp, package, user},
    limits::{self, Admission, Limit},
    network::{self, CustomerFilter},
    page::{PageRequest, newest_first},
    password,
    sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::{Caller, ClientIp},
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::{Checks, List, Location, catalog::Area, created, double_option},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(get_customer, update_customer))
        .routes(routes!(get_portal_account, create_portal_account))
        .routes(routes!(coverage))
        .routes(routes!(register))
        .routes(routes!(list_demand_points))
}

pub const INSTALL_WINDOWS: [&str; 2] = ["08:00-12:00", "13:00-17:00"];
/// Registrations accepted from one address per hour.
pub const REGISTRATIONS: Limit = Limit {
    scope: "registration.accepted",
    max: 5,
    window_secs: 3600,
};
/// Registration attempts from one address per hour, accepted or refused
/// (a refusal says whether a phone or e-mail is registered, so refusals are
/// limited too).
pub const REGISTRATION_ATTEMPTS: Limit = Limit {
    scope: "registration.attempt",
    max: 20,
    window_secs: 3600,
};
/// Demand points one address may add per hour (coverage checks and
/// registrations at places not covered); beyond it a coverage check still
/// answers but records nothing.
pub const DEMAND_POINTS: Limit = Limit {
    scope: "demand",
    max: 20,
    window_secs: 3600,
};

fn too_many(retry_after_secs: u64) -> ApiError {
    ApiError::TooManyRequests {
        detail:
            "Too many registrations from this connection. Please try again later or contact us."
                .to_string(),
        retry_after_secs,
    }
}

/// A customer (or prospect) of the ISP.
#[derive(Debug, Serialize, ToSchema)]
pub struct Customer {
    pub id: Uuid,
    #[schema(example = "PLG-0000123")]
    pub customer_number: String,
    pub name: String,
    #[schema(example = "+6281234567890")]
    pub phone: String,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    pub address: String,
    pub location: Location,
    pub area_id: Uuid,
    pub package_id: Uuid,
    /// The ODP and port serving the customer, once installed.
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    /// `prospect`, `active`, `suspended` or `terminated`.
    pub status: String,
    pub notes: String,
    /// Installation date asked for (`YYYY-MM-DD`).
    pub preferred_date: Option<String>,
    /// `08:00-12:00` or `13:00-17:00`.
    pub preferred_window: Option<String>,
    /// `staff`, `portal` or `import`.
    pub source: String,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// When the personal data was erased at the customer's request.
    pub erased_at: Option<chrono::DateTime<Utc>>,
}

impl From<customer::Model> for Customer {
    fn from(m: customer::Model) -> Self {
        Customer {
            id: m.id,
            customer_number: m.customer_number,
            name: m.name,
            phone: m.phone,
            whatsapp: m.whatsapp,
            email: m.email,
            address: m.address,
            location: Location {
                lat: m.lat,
                lng: m.lng,
            },
            area_id: m.area_id,
            package_id: m.package_id,
            odp_id: m.odp_id,
            odp_port: m.odp_port,
            status: m.status,
            notes: m.notes,
            preferred_date: m.preferred_date,
            preferred_window: m.preferred_window,
            source: m.source,
            created_at: m.created_at,
            updated_at: m.updated_at,
            erased_at: m.erased_at,
        }
    }
}

/// A customer account sees only its own record; others by permission.
fn own_scope(caller: &Caller) -> ApiResult<Option<Uuid>> {
    caller.require(Permission::CustomersRead)?;
    if caller.role == Role::Customer {
        return Ok(Some(caller.user.customer_id.unwrap_or_else(Uuid::nil)));
    }
    Ok(None)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// The start of a phone number (`0812...` works), customer number
    /// (`PLG-00012`) or e-mail address; any other text: a part of the name or
    /// address.
    pub q: Option<String>,
    pub status: Option<String>,
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    pub odp_id: Option<Uuid>,
}

/// Lists customers by customer number. A customer sees only themself.
#[utoipa::path(get, path = "/customers", tag = "customers", params(CustomerQuery),
    responses(
        (status = 200, body = List<Customer>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_customers(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> ApiResult<axum::Json<List<Customer>>> {
    let only = own_scope(&caller)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    if let Some(s) = &query.status
        && !CUSTOMER_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::validation(
            "status",
            "choice",
            "choose prospect, active, suspended or terminated",
        ));
    }
    let filter = CustomerFilter {
        q: query.q,
        status: query.status,
        area_id: query.area_id,
        package_id: query.package_id,
        odp_id: query.odp_id,
        only,
    };
    let result = network::list_customers(state.db.conn(), &filter, &page).await?;
    Ok(axum::Json(List::from_page(result, Customer::from)))
}

async fn find_visible(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<customer::Model> {
    let only = own_scope(caller)?;
    customer::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .filter(|c| only.is_none_or(|own| own == c.id))
        .ok_or_else(|| ApiError::NotFound("No such customer.".to_string()))
}

/// One customer.
#[utoipa::path(get, path = "/customers/{id}", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = Customer),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Customer>> {
    Ok(axum::Json(Customer::from(
        find_visible(&state, &caller, id).await?,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub phone: Option<String>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub whatsapp: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    pub address: Option<String>,
    pub location: Option<Location>,
    /// Derived from the location when absent.
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    /// The ODP serving the customer; `null` frees the port.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub odp_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>)]
    pub odp_port: Option<Option<i32>>,
    pub status: Option<String>,
    pub notes: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub preferred_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub preferred_window: Option<Option<String>>,
}

fn valid_email(e: &str) -> bool {
    e.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !e.contains(char::is_whitespace)
    })
}

async fn save_customer(
    state: &AppState,
    caller: &Caller,
    current: Option<customer::Model>,
    input: CustomerInput,
    source: &str,
) -> ApiResult<customer::Model> {
    let creating = current.is_none();
    let db = state.db.conn();
    let mut c = Checks::default();
    if creating {
        c.client_id("id", input.id);
    }
    c.require(
        creating,
        &[
            ("name", input.name.is_some()),
            ("phone", input.phone.is_some()),
            ("address", input.address.is_some()),
            ("location", input.location.is_some()),
            ("package_id", input.package_id.is_some()),
        ],
    );
    let name = input.name.map(|v| c.text("name", &v, 100));
    let address = input.address.map(|v| c.text("address", &v, 300));
    let phone = input.phone.as_deref().and_then(|p| match Phone::parse(p) {
        Ok(p) => Some(p.into_string()),
        Err(e) => {
            c.fail("phone", e.code(), e.to_string());
            None
        }
    });
    let whatsapp = input.whatsapp.map(|w| {
        w.filter(|w| !w.trim().is_empty())
            .and_then(|w| match Phone::parse(&w) {
                Ok(p) => Some(p.into_string()),
                Err(e) => {
                    c.fail("whatsapp", e.code(), e.to_string());
                    None
                }
            })
    });
    let email = input
        .email
        .map(|e| e.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()));
    if let Some(Some(e)) = &email
        && c.no_controls("email", e, false)
        && !valid_email(e)
    {
        c.fail(
            "email",
            "email",
            "enter an e-mail address such as nama@contoh.id",
        );
    }
    let point = input.location.and_then(|p| c.point("location", p));
    if let Some(s) = &input.status {
        c.one_of("status", s, &CUSTOMER_STATUSES);
    }
    let notes = input.notes.map(|n| c.multiline("notes", &n, 2000));
    check_schedule(
        &mut c,
        state.config.zone,
        input.preferred_date.clone().flatten().as_deref(),
        input.preferred_window.clone().flatten().as_deref(),
        false,
    );
    // The package: a new customer may only choose one on sale.
    if let Some(pid) = input.package_id {
        match package::Entity::find_by_id(pid).one(db).await? {
            None => c.fail("package_id", "unknown", "no such package"),
            Some(p) if !p.active && current.as_ref().is_none_or(|cur| cur.package_id != pid) => c
                .fail(
                    "package_id",
                    "not_on_sale",
                    format!("{} is no longer on sale", p.name),
                ),
            Some(_) => {}
        }
    }
    // The area: given, or the one the location falls in.
    let mut area_id = input.area_id;
    if let Some(a) = area_id
        && area::Entity::find_by_id(a).one(db).await?.is_none()
    {
        c.fail("area_id", "unknown", "no such area");
    }
    if area_id.is_none()
        && let Some(p) = point
    {
        let areas = area::Entity::find().all(db).await?;
        match network::area_for(&areas, p) {
            Some(a) => area_id = Some(a.id),
            None => c.fail(
                "location",
                "outside_area",
                "this place is outside the ISP's service areas",
            ),
        }
    }
    // Same phone twice is almost always the same person.
    if let Some(p) = &phone
        && let Some(other) = customer::Entity::find()
            .filter(customer::Column::Phone.eq(p.as_str()))
            .one(db)
            .await?
        && Some(other.id) != current.as_ref().map(|x| x.id)
    {
        c.fail(
            "phone",
            "taken",
            format!("customer {} already has this number", other.customer_number),
        );
    }
    // The port: it must exist on the ODP and be free.
    let status = input
        .status
        .clone()
        .or_else(|| current.as_ref().map(|x| x.status.clone()))
        .unwrap_or_else(|| "prospect".to_string());
    let odp_id = match input.odp_id {
        Some(v) => v,
        None => current.as_ref().and_then(|x| x.odp_id),
    };
    let odp_port = match input.odp_port {
        Some(v) => v,
        None => current.as_ref().and_then(|x| x.odp_port),
    };
    let (odp_id, odp_port) = if status == "terminated" {
        (None, None)
    } else {
        (odp_id, odp_port)
    };
    match (odp_id, odp_port) {
        (None, None) => {}
        (Some(o), Some(port)) => match odp::Entity::find_by_id(o).one(db).await? {
            None => c.fail("odp_id", "unknown", "no such ODP"),
            Some(found) => {
                if !(1..=found.port_count).contains(&port) {
                    c.fail(
                        "odp_port",
                        "port_range",
                        format!("{} has ports 1 to {}", found.code, found.port_count),
                    );
                } else if let Some(other) = customer::Entity::find()
                    .filter(customer::Column::OdpId.eq(o))
                    .filter(customer::Column::OdpPort.eq(port))
                    .one(db)
                    .await?
                    && Some(other.id) != current.as_ref().map(|x| x.id)
                {
                    c.fail(
                        "odp_port",
                        "port_taken",
                        format!(
                            "port {port} of {} serves {}",
                            found.code, other.customer_number
                        ),
                    );
                }
            }
        },
        (Some(_), None) => c.fail("odp_port", "choice", "choose the port on the ODP"),
        (None, Some(_)) => c.fail("odp_id", "choice", "choose the ODP of the port"),
    }
    c.finish()?;

    let now = Utc::now();
    let before = current
        .as_ref()
        .map(|x| serde_json::json!(Customer::from(x.clone())));
    let txn = state.db.begin_write().await?;
    let mut model: customer::ActiveModel = match current {
        Some(x) => x.into(),
        None => customer::ActiveModel {
            id: Set(input.id.unwrap_or_else(Uuid::now_v7)),
            customer_number: Set(network::next_customer_number(&*txn).await?),
            whatsapp: Set(phone.clone()),
            email: Set(None),
            notes: Set(String::new()),
            preferred_date: Set(None),
            preferred_window: Set(None),
            source: Set(source.to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    if let Some(v) = name {
        model.name = Set(v);
    }
    if let Some(v) = phone {
        model.phone = Set(v);
    }
    if let Some(v) = whatsapp {
        model.whatsapp = Set(v);
    }
    if let Some(v) = email {
        model.email = Set(v);
    }
    if let Some(v) = address {
        model.address = Set(v);
    }
    if let Some(p) = point {
        model.lat = Set(p.lat);
        model.lng = Set(p.lng);
    }
    if let Some(v) = area_id {
        model.area_id = Set(v);
    }
    if let Some(v) = input.package_id {
        model.package_id = Set(v);
    }
    model.odp_id = Set(odp_id);
    model.odp_port = Set(odp_port);
    model.status = Set(status);
    if let Some(v) = notes {
        model.notes = Set(v);
    }
    if let Some(v) = input.preferred_date {
        model.preferred_date = Set(v);
    }
    if let Some(v) = input.preferred_window {
        model.preferred_window = Set(v);
    }
    model.updated_at = Set(now);
    let saved = if creating {
        model.insert(&*txn).await
    } else {
        model.update(&*txn).await
    };
    let saved = match (saved, odp_id, odp_port) {
        (Ok(saved), _, _) => saved,
        // Another writer took the port since it was checked above; the unique
        // index on (odp_id, odp_port) keeps one customer per port.
        (Err(e), Some(odp), Some(port)) if is_port_clash(&e) => {
            txn.rollback().await?;
            return Err(port_taken(state, odp, port).await?);
        }
        (Err(e), _, _) => return Err(e.into()),
    };
    caller
        .audit(
            &txn,
            if creating {
                "customer.create"
            } else {
                "customer.update"
            },
            "customer",
            Some(saved.id.to_string()),
            before,
            Some(serde_json::json!(Customer::from(saved.clone()))),
        )
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Whether a write failed on the one-customer-per-port index.
fn is_port_clash(e: &netcrew_store::sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(netcrew_store::sea_orm::SqlErr::UniqueConstraintViolation(m)) if m.contains("odp_port")
    )
}

/// The `port_taken` field error, naming who is on the port now.
async fn port_taken(state: &AppState, odp: Uuid, port: i32) -> ApiResult<ApiError> {
    let db = state.db.conn();
    let code = odp::Entity::find_by_id(odp)
        .one(db)
        .await?
        .map(|o| o.code)
        .unwrap_or_else(|| "the ODP".to_string());
    let owner = customer::Entity::find()
        .filter(customer::Column::OdpId.eq(odp))
        .filter(customer::Column::OdpPort.eq(port))
        .one(db)
        .await?
        .map(|c| c.customer_number)
        .unwrap_or_else(|| "another customer".to_string());
    Ok(ApiError::validation(
        "odp_port",
        "port_taken",
        format!("port {port} of {code} serves {owner}"),
    ))
}

fn check_schedule(
    c: &mut Checks,
    zone: Zone,
    date: Option<&str>,
    window: Option<&str>,
    required: bool,
) {
    match date {
        None if required => c.fail("preferred_date", "required", "choose an installation date"),
        None => {}
        // A calendar day in the ISP's zone, after today and within the horizon.
        Some(d) => {
            if let Err(e) = schedule::preferred_date(d, Utc::now(), zone) {
                c.fail("preferred_date", e.code(), e.to_string());
            }
        }
    }
    match window {
        None if required => c.fail("preferred_window", "required", "choose a time window"),
        None => {}
        Some(w) => c.one_of("preferred_window", w, &INSTALL_WINDOWS),
    }
}

/// Registers a customer (CS takes them by phone or WhatsApp).
#[utoipa::path(post, path = "/customers", tag = "customers", request_body = CustomerInput,
    responses(
        (status = 201, body = Customer),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<CustomerInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::CustomersManage)?;
    let ApiJson(body) = body?;
    let saved = save_customer(&state, &caller, None, body, "staff").await?;
    Ok(created(
        format!("/api/v1/customers/{}", saved.id),
        Customer::from(saved),
    ))
}

/// Changes a customer: details, package, status, or the ODP port serving
/// them (a terminated customer's port is freed).
#[utoipa::path(patch, path = "/customers/{id}", tag = "customers", request_body = CustomerInput,
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = Customer),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<CustomerInput>, ApiError>,
) -> ApiResult<axum::Json<Customer>> {
    caller.require(Permission::CustomersManage)?;
    let ApiJson(body) = body?;
    let current = find_visible(&state, &caller, id).await?;
    if current.erased_at.is_some() {
        return Err(ApiError::Conflict(
            "This customer's personal data was erased; register them anew if they return."
                .to_string(),
        ));
    }
    Ok(axum::Json(Customer::from(
        save_customer(&state, &caller, Some(current), body, "staff").await?,
    )))
}

// ------------------------------------------------------------- coverage

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Latitude, WGS84.
    #[param(example = -6.8935, value_type = f64)]
    pub lat: Option<String>,
    /// Longitude, WGS84.
    #[param(example = 107.6135, value_type = f64)]
    pub lng: Option<String>,
}

/// An ODP that can serve a place.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageOdp {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub location: Location,
    /// Straight-line distance.
    pub distance_m: f64,
    /// Estimated drop-cable length (distance × road factor).
    pub cable_m: f64,
    pub free_ports: i32,
}

/// Whether a place can be connected, and from which ODPs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    pub location: Location,
    pub covered: bool,
    /// The service area the place is in, if any.
    pub area: Option<Area>,
    /// ODPs with free ports within reach, nearest first.
    pub odps: Vec<CoverageOdp>,
    pub max_drop_m: f64,
    pub road_factor: f64,
    /// When not covered: how far the nearest ODP with a free port is
    /// (straight line), if one is within 3 km.
    pub nearest_free_odp_m: Option<f64>,
}

pub async fn check_coverage(state: &AppState, point: GeoPoint) -> ApiResult<Coverage> {
    let rules = CoverageRules {
        max_drop_m: state.config.max_drop_m,
        road_factor: state.config.road_factor,
    };
    let db = state.db.conn();
    let areas = area::Entity::find().all(db).await?;
    let area = network::area_for(&areas, point).cloned();
    let near = network::odps_near(db, point, rules.search_radius_m()).await?;
    let ids: Vec<Uuid> = near.iter().map(|(o, _)| o.id).collect();
    let usage = network::odp_usage(db, &ids).await?;
    let odps: Vec<CoverageOdp> = near
        .into_iter()
        .filter(|(o, d)| o.status != "maintenance" && rules.reachable(*d))
        .filter_map(|(o, d)| {
            let free = o.port_count - usage.get(&o.id).copied().unwrap_or(0) as i32;
            (free > 0).then(|| CoverageOdp {
                id: o.id,
                code: o.code,
                name: o.name,
                location: Location {
                    lat: o.lat,
                    lng: o.lng,
                },
                distance_m: (d * 10.0).round() / 10.0,
                cable_m: (rules.cable_m(d) * 10.0).round() / 10.0,
                free_ports: free,
            })
        })
        .collect();
    let nearest_free_odp_m = if odps.is_empty() {
        let wider = network::odps_near(db, point, 3_000.0).await?;
        let ids: Vec<Uuid> = wider.iter().map(|(o, _)| o.id).collect();
        let usage = network::odp_usage(db, &ids).await?;
        wider
            .into_iter()
            .find(|(o, _)| {
                o.status != "maintenance"
                    && i64::from(o.port_count) > usage.get(&o.id).copied().unwrap_or(0)
            })
            .map(|(_, d)| d.round())
    } else {
        None
    };
    Ok(Coverage {
        nearest_free_odp_m,
        location: Location {
            lat: point.lat,
            lng: point.lng,
        },
        covered: !odps.is_empty(),
        area: area.map(Area::from),
        odps,
        max_drop_m: rules.max_drop_m,
        road_factor: rules.road_factor,
    })
}

/// Notes that someone wanted service where there is none yet: once per
/// place and day (repeated checks do not count twice, parallel ones neither),
/// and at most [`DEMAND_POINTS`] new places per address and hour, so that
/// anonymous checks cannot fill the table.
async fn record_demand(
    state: &AppState,
    ip: &str,
    point: GeoPoint,
    area_id: Option<Uuid>,
    source: &str,
) -> ApiResult<()> {
    let now = Utc::now();
    if DEMAND_POINTS
        .exhausted(state.db.conn(), ip, now)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let txn = state.db.begin_write().await?;
    if !network::record_demand(&*txn, point, area_id, source, now, state.config.zone).await? {
        // Already recorded today: nothing new to count.
        return Ok(txn.rollback().await?);
    }
    match DEMAND_POINTS.hit(&*txn, ip, now).await? {
        Admission::Refused { .. } => {
            tracing::info!(ip = %ip, "demand points over the limit; not recorded");
            txn.rollback().await?;
        }
        admitted => {
            txn.commit().await?;
            if admitted.first_of_window() {
                limits::forget_old(state.db.conn(), now).await?;
            }
        }
    }
    Ok(())
}

/// Coverage check: can this place be connected, and from which ODPs? A place
/// not covered yet is recorded as demand.
#[utoipa::path(get, path = "/coverage", tag = "customers", params(CoverageQuery),
    responses(
        (status = 200, body = Coverage),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn coverage(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> ApiResult<axum::Json<Coverage>> {
    let mut c = Checks::default();
    let mut number = |field: &str, value: Option<&str>| match value.map(str::trim) {
        None | Some("") => {
            c.fail(field, "required", "required");
            None
        }
        Some(v) => match v.parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                c.fail(field, "location", format!("{v:?} is not a number"));
                None
            }
        },
    };
    let (lat, lng) = (
        number("lat", query.lat.as_deref()),
        number("lng", query.lng.as_deref()),
    );
    let point = match (lat, lng) {
        (Some(lat), Some(lng)) => c.point("lat", Location { lat, lng }),
        _ => None,
    };
    c.finish()?;
    let point = point.ok_or_else(|| ApiError::validation("lat", "location", "invalid place"))?;
    let result = check_coverage(&state, point).await?;
    if !result.covered {
        record_demand(
            &state,
            &ip,
            point,
            result.area.as_ref().map(|a| a.id),
            "coverage_check",
        )
        .await?;
    }
    Ok(axum::Json(result))
}

// --------------------------------------------------------- registration

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub name: String,
    /// Also the login of the new portal account.
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub location: Location,
    pub package_id: Uuid,
    /// `YYYY-MM-DD`, after today.
    pub preferred_date: String,
    /// `08:00-12:00` or `13:00-17:00`.
    pub preferred_window: String,
    /// Password of the new portal account.
    pub password: String,
    /// Must stay empty (a field people do not see; bots fill it in).
    #[serde(default)]
    #[schema(max_length = 0)]
    pub website: Option<String>,
}

/// What a registration produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResult {
    pub customer: Customer,
    /// Whether the address can be connected now; if not, the ISP sees the
    /// demand and contacts the customer when it can.
    pub covered: bool,
}

/// Self-registration from the portal: creates a prospect customer with the
/// chosen installation window, and a portal account signed in with the phone
/// number.
#[utoipa::path(post, path = "/registrations", tag = "customers", request_body = Registration,
    responses(
        (status = 201, body = RegistrationResult),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<ApiJson<Registration>, ApiError>,
) -> ApiResult<Response> {
    // Every attempt counts, before any work: a refusal tells whether a phone
    // or e-mail is registered.
    let now = Utc::now();
    match REGISTRATION_ATTEMPTS.hit(state.db.conn(), &ip, now).await? {
        Admission::Refused { retry_after_secs } => {
            tracing::info!(ip = %ip, "registration attempts over the limit");
            return Err(too_many(retry_after_secs));
        }
        first if first.first_of_window() => {
            limits::forget_old(state.db.conn(), now).await?;
        }
        Admission::Allowed { .. } => {}
    }
    let ApiJson(body) = body?;
    if body
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        tracing::info!(ip = %ip, "registration refused by the honeypot");
        return Err(ApiError::BadRequest(
            "This registration was not accepted.".to_string(),
        ));
    }
    if let Some(retry_after_secs) = REGISTRATIONS.exhausted(state.db.conn(), &ip, now).await? {
        return Err(too_many(retry_after_secs));
    }
    let db = state.db.conn();
    let mut c = Checks::default();
    let name = c.text("name", &body.name, 100);
    let address = c.text("address", &body.address, 300);
    let phone = match Phone::parse(&body.phone) {
        Ok(p) => Some(p.into_string()),
        Err(e) => {
            c.fail("phone", e.code(), e.to_string());
            None
        }
    };
    let email = body
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if email
        .as_deref()
        .is_some_and(|e| c.no_controls("email", e, false) && !valid_email(e))
    {
        c.fail(
            "email",
            "email",
            "enter an e-mail address such as nama@contoh.id",
        );
    }
    let point = c.point("location", body.location);
    let areas = area::Entity::find().all(db).await?;
    let area = point.and_then(|p| network::area_for(&areas, p).cloned());
    if point.is_some() && area.is_none() {
        c.fail(
            "location",
            "outside_area",
            "this place is outside our service areas",
        );
    }
    match package::Entity::find_by_id(body.package_id).one(db).await? {
        Some(p) if p.active => {}
        Some(p) => c.fail(
            "package_id",
            "not_on_sale",
            format!("{} is no longer on sale", p.name),
        ),
        None => c.fail("package_id", "unknown", "no such package"),
    }
    check_schedule(
        &mut c,
        state.config.zone,
        Some(&body.preferred_date),
        Some(&body.preferred_window),
        true,
    );
    let logins: Vec<&str> = [phone.as_deref(), email.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if let Err(e) = check_password(&body.password, &logins) {
        c.fail("password", e.code(), e.to_string());
    }
    c.finish()?;
    let (Some(phone), Some(point), Some(area)) = (phone, point, area) else {
        return Err(ApiError::validation(
            "location",
            "location",
            "invalid place",
        ));
    };
    // Someone already registered: say which of the two, next to the field.
    let mut c = Checks::default();
    let phone_taken = customer::Entity::find()
        .filter(customer::Column::Phone.eq(phone.as_str()))
        .count(db)
        .await?
        > 0
        || user::Entity::find()
            .filter(user::Column::Phone.eq(phone.as_str()))
            .count(db)
            .await?
            > 0;
    if phone_taken {
        c.fail("phone", "taken", "this phone number is already registered; sign in, or contact us if you did not register");
    }
    if let Some(e) = &email
        && user::Entity::find()
            .filter(user::Column::Email.eq(e.as_str()))
            .count(db)
            .await?
            > 0
    {
        c.fail("email", "taken", "this e-mail address is already registered; sign in, or contact us if you did not register");
    }
    c.finish()?;
    let password = body.password.clone();
    let hash = password::hash(&password).await?;
    let coverage = check_coverage(&state, point).await?;
    let txn = state.db.begin_write().await?;
    // Counted in the transaction: parallel registrations cannot pass the
    // limit, and one that fails later is not counted.
    if let Admission::Refused { retry_after_secs } = REGISTRATIONS.hit(&*txn, &ip, now).await? {
        txn.rollback().await?;
        return Err(too_many(retry_after_secs));
    }
    let customer_id = Uuid::now_v7();
    let saved = customer::ActiveModel {
        id: Set(customer_id),
        customer_number: Set(network::next_customer_number(&*txn).await?),
        name: Set(name.clone()),
        phone: Set(phone.clone()),
        whatsapp: Set(Some(phone.clone())),
        email: Set(email.clone()),
        address: Set(address),
        lat: Set(point.lat),
        lng: Set(point.lng),
        area_id: Set(area.id),
        package_id: Set(body.package_id),
        odp_id: Set(None),
        odp_port: Set(None),
        status: Set("prospect".to_string()),
        notes: Set(String::new()),
        preferred_date: Set(Some(body.preferred_date)),
        preferred_window: Set(Some(body.preferred_window)),
        source: Set("portal".to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        erased_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    let account = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        email: Set(email),
        phone: Set(Some(phone)),
        role: Set(Role::Customer.as_str().to_string()),
        password_hash: Set(hash),
        locale: Set(state.config.default_locale.clone()),
        active: Set(true),
        customer_id: Set(Some(customer_id)),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    auth::audit(
        &*txn,
        Audit {
            actor_id: Some(account.id),
            actor_ip: Some(ip.clone()),
            action: "registration.create",
            entity: "customer",
            entity_id: Some(customer_id.to_string()),
            before: None,
            after: Some(serde_json::json!(Customer::from(saved.clone()))),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    if !coverage.covered {
        record_demand(&state, &ip, point, Some(area.id), "registration").await?;
    }
    Ok(created(
        format!("/api/v1/customers/{customer_id}"),
        RegistrationResult {
            customer: Customer::from(saved),
            covered: coverage.covered,
        },
    ))
}

// --------------------------------------------------------------- demand

/// A place where someone asked for service that could not be given yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandPoint {
    pub id: Uuid,
    pub location: Location,
    pub area_id: Option<Uuid>,
    /// `coverage_check` or `registration`.
    pub source: String,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DemandQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub area_id: Option<Uuid>,
    pub source: Option<String>,
}

/// Unmet demand, newest first: where to build next.
#[utoipa::path(get, path = "/demand-points", tag = "customers", params(DemandQuery),
    responses(
        (status = 200, body = List<DemandPoint>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_demand_points(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<DemandQuery>,
) -> ApiResult<axum::Json<List<DemandPoint>>> {
    caller.require(Permission::DemandRead)?;
    Checks::filter("source", query.source.as_deref())?;
    let mut select = demand_point::Entity::find();
    if let Some(a) = query.area_id {
        select = select.filter(demand_point::Column::AreaId.eq(a));
    }
    if let Some(s) = &query.source {
        select = select.filter(demand_point::Column::Source.eq(s.as_str()));
    }
    let page = newest_first(
        state.db.conn(),
        select,
        demand_point::Column::Id,
        query.limit,
        query.cursor.as_deref(),
        |r| r.id,
    )
    .await??;
    Ok(axum::Json(List::from_page(page, |r| DemandPoint {
        id: r.id,
        location: Location {
            lat: r.lat,
            lng: r.lng,
        },
        area_id: r.area_id,
        source: r.source,
        created_at: r.created_at,
    })))
}

// --------------------------------------------------------- portal account

/// A customer's account on the portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalAccount {
    pub exists: bool,
    /// What the customer signs in with (their phone number).
    pub login: Option<String>,
    pub active: bool,
}

/// Whether the customer has a portal account.
#[utoipa::path(get, path = "/customers/{id}/portal-account", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = PortalAccount),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_portal_account(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<PortalAccount>> {
    let found = find_visible(&state, &caller, id).await?;
    let account = user::Entity::find()
        .filter(user::Column::CustomerId.eq(found.id))
        .one(state.db.conn())
        .await?;
    Ok(axum::Json(PortalAccount {
        exists: account.is_some(),
        login: account
            .as_ref()
            .and_then(|a| a.phone.clone().or(a.email.clone())),
        active: account.is_some_and(|a| a.active),
    }))
}

/// How long an invitation link to a new portal account stays valid.
pub const INVITE_VALID_HOURS: i64 = 72;

/// Opens a portal account for a customer registered by CS: the account
/// signs in with the customer's phone number, and the answer carries a
/// single-use link (valid 72 hours, shown once) for the customer to choose a
/// password — to be sent by WhatsApp, say.
#[utoipa::path(post, path = "/customers/{id}/portal-account", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 201, body = super::users::PasswordResetIssued),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_portal_account(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    caller.require(Permission::CustomersManage)?;
    let found = find_visible(&state, &caller, id).await?;
    let db = state.db.conn();
    if user::Entity::find()
        .filter(user::Column::CustomerId.eq(found.id))
        .count(db)
        .await?
        > 0
    {
        return Err(ApiError::Conflict(
            "This customer already has a portal account.".to_string(),
        ));
    }
    if found.status == "terminated" {
        return Err(ApiError::Conflict(
            "This customer has left; a portal account is for current customers.".to_string(),
        ));
    }
    let mut c = Checks::default();
    if user::Entity::find()
        .filter(user::Column::Phone.eq(found.phone.as_str()))
        .count(db)
        .await?
        > 0
    {
        c.fail(
            "phone",
            "taken",
            "another account signs in with this phone number",
        );
    }
    c.finish()?;
    // The e-mail goes along only when no other account uses it.
    let email = match &found.email {
        Some(e)
            if user::Entity::find()
                .filter(user::Column::Email.eq(e.as_str()))
                .count(db)
                .await?
                == 0 =>
        {
            Some(e.clone())
        }
        _ => None,
    };
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    let account = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(found.name.clone()),
        email: Set(email),
        phone: Set(Some(found.phone.clone())),
        role: Set(Role::Customer.as_str().to_string()),
        password_hash: Set(auth::NO_PASSWORD_YET.to_string()),
        locale: Set(state.config.default_locale.clone()),
        active: Set(true),
        customer_id: Set(Some(found.id)),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let (token, expires_at) = auth::issue_password_link(
        &*txn,
        account.id,
        Some(caller.user.id),
        Duration::hours(INVITE_VALID_HOURS),
        now,
    )
    .await?;
    caller
        .audit(
            &txn,
            "customer.portal_invite",
            "customer",
            Some(found.id.to_string()),
            None,
            Some(serde_json::json!({ "account_id": account.id, "expires_at": expires_at })),
        )
        .await?;
    txn.commit().await?;
    Ok(created(
        format!("/api/v1/customers/{id}/portal-account"),
        super::users::PasswordResetIssued {
            reset_path: format!("/reset-password?token={token}"),
            token,
            expires_at,
        },
    ))
}
