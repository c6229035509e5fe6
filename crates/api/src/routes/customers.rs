//! Customers: the CS console's records. The rules and the one write path
//! every source shares live in `netcrew_domain::customer` and
//! `netcrew_store::customers`; this module authorizes, parses, calls and maps.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::{CustomerSource, CustomerStatus, InstallWindow, Role, access::Permission};
use netcrew_store::{
    customers::{self, Context, CustomerChange, CustomerFilter, CustomerSort},
    entity::customer,
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
    routes::{List, Location, created, double_option},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(get_customer, update_customer))
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
    /// The address as written (street, house number, landmarks).
    pub address: String,
    /// Rukun Tetangga, three digits (`003`).
    pub rt: Option<String>,
    /// Rukun Warga, three digits (`012`).
    pub rw: Option<String>,
    pub kelurahan: Option<String>,
    pub kecamatan: Option<String>,
    pub city: Option<String>,
    pub location: Location,
    pub area_id: Uuid,
    pub package_id: Uuid,
    /// The ODP and port serving the customer, once installed.
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    /// The PPPoE username the customer's router dials with.
    pub pppoe_username: Option<String>,
    /// The billing system's id for this customer.
    pub billing_id: Option<String>,
    pub status: CustomerStatus,
    pub notes: String,
    /// Installation date asked for (`YYYY-MM-DD`).
    pub preferred_date: Option<String>,
    pub preferred_window: Option<InstallWindow>,
    pub source: CustomerSource,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// When the personal data was erased at the customer's request.
    pub erased_at: Option<chrono::DateTime<Utc>>,
}

impl From<customer::Model> for Customer {
    fn from(m: customer::Model) -> Self {
        Customer {
            status: m.status(),
            source: m.source(),
            preferred_window: m.preferred_window(),
            id: m.id,
            customer_number: m.customer_number,
            name: m.name,
            phone: m.phone,
            whatsapp: m.whatsapp,
            email: m.email,
            address: m.address,
            rt: m.rt,
            rw: m.rw,
            kelurahan: m.kelurahan,
            kecamatan: m.kecamatan,
            city: m.city,
            location: Location {
                lat: m.lat,
                lng: m.lng,
            },
            area_id: m.area_id,
            package_id: m.package_id,
            odp_id: m.odp_id,
            odp_port: m.odp_port,
            pppoe_username: m.pppoe_username,
            billing_id: m.billing_id,
            notes: m.notes,
            preferred_date: m.preferred_date,
            created_at: m.created_at,
            updated_at: m.updated_at,
            erased_at: m.erased_at,
        }
    }
}

/// A customer account sees only its own record; others by permission.
pub(crate) fn own_scope(caller: &Caller) -> ApiResult<Option<Uuid>> {
    caller.require(Permission::CustomersRead)?;
    if caller.role == Role::Customer {
        return Ok(Some(caller.user.customer_id.unwrap_or_else(Uuid::nil)));
    }
    Ok(None)
}

/// The customer `id`, if the caller may see them (404 otherwise).
pub(crate) async fn find_visible(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<customer::Model> {
    let only = own_scope(caller)?;
    customers::find(state.db.conn(), id, only)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such customer.".to_string()))
}

/// The order of the customer list.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// By customer number: the order they were registered in.
    #[default]
    Number,
    /// Newest first.
    Newest,
    /// By name, A to Z.
    Name,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// The start of a phone number (`0812...` works), customer number
    /// (`PLG-00012`) or e-mail address; an exact PPPoE username or billing
    /// id; any other text: a part of the name or address.
    pub q: Option<String>,
    #[param(inline)]
    pub status: Option<CustomerStatus>,
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    pub odp_id: Option<Uuid>,
    /// Exactly this city (as written in the records).
    pub city: Option<String>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    /// The order (default `number`); a cursor belongs to its order.
    #[param(inline)]
    pub sort: Option<SortOrder>,
}

/// Lists customers. A customer sees only themself.
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
    let mut c = netcrew_domain::Checks::default();
    for (field, value) in [
        ("q", &query.q),
        ("city", &query.city),
        ("kecamatan", &query.kecamatan),
        ("kelurahan", &query.kelurahan),
    ] {
        if let Some(v) = value {
            c.no_controls(field, v, false);
        }
    }
    c.finish()?;
    let filter = CustomerFilter {
        q: query.q,
        status: query.status,
        area_id: query.area_id,
        package_id: query.package_id,
        odp_id: query.odp_id,
        city: query.city,
        kecamatan: query.kecamatan,
        kelurahan: query.kelurahan,
        only,
        sort: match query.sort.unwrap_or_default() {
            SortOrder::Number => CustomerSort::Number,
            SortOrder::Newest => CustomerSort::Newest,
            SortOrder::Name => CustomerSort::Name,
        },
    };
    let result = customers::list(state.db.conn(), &filter, &page).await??;
    Ok(axum::Json(List::from_page(result, Customer::from)))
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

/// A new customer, or a change to one (absent fields stay as they are).
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
    /// Rukun Tetangga, 1 to 999; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub rt: Option<Option<String>>,
    /// Rukun Warga, 1 to 999; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub rw: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub kelurahan: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub kecamatan: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
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
    /// Unique; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub pppoe_username: Option<Option<String>>,
    /// Unique; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub billing_id: Option<Option<String>>,
    /// Read by the customer rules, so a wrong value is reported with the
    /// other field errors.
    #[schema(value_type = Option<CustomerStatus>)]
    pub status: Option<String>,
    pub notes: Option<String>,
    /// A day after today in the ISP's time zone, within 60 days
    /// (`YYYY-MM-DD`); `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub preferred_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<InstallWindow>)]
    pub preferred_window: Option<Option<String>>,
}

impl From<CustomerInput> for CustomerChange {
    fn from(i: CustomerInput) -> Self {
        CustomerChange {
            id: i.id,
            name: i.name,
            phone: i.phone,
            whatsapp: i.whatsapp,
            email: i.email,
            address: i.address,
            location: i.location.map(|l| (l.lat, l.lng)),
            area_id: i.area_id,
            package_id: i.package_id,
            odp_id: i.odp_id,
            odp_port: i.odp_port,
            status: i.status,
            notes: i.notes,
            preferred_date: i.preferred_date,
            preferred_window: i.preferred_window,
            rt: i.rt,
            rw: i.rw,
            kelurahan: i.kelurahan,
            kecamatan: i.kecamatan,
            city: i.city,
            pppoe_username: i.pppoe_username,
            billing_id: i.billing_id,
        }
    }
}

fn staff_context(state: &AppState) -> Context {
    Context {
        now: Utc::now(),
        zone: state.config.zone,
        source: CustomerSource::Staff,
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
    let saved = customers::save(
        &state.db,
        &caller.actor(),
        None,
        body.into(),
        &staff_context(&state),
    )
    .await?;
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
    let saved = customers::save(
        &state.db,
        &caller.actor(),
        Some(current),
        body.into(),
        &staff_context(&state),
    )
    .await?;
    Ok(axum::Json(Customer::from(saved)))
}
