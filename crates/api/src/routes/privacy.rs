//! Personal data (UU PDP): a customer's data handed to them, and erased at
//! their request. The rules and the transaction are in
//! `netcrew_store::privacy`; this module authorizes and maps.

use axum::extract::State;
use chrono::{DateTime, Utc};
use netcrew_domain::{Role, access::Permission};
use netcrew_store::privacy;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::ApiPath,
    problem::{ApiError, ApiResult, Problem},
    routes::customers::Customer,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_personal_data))
        .routes(routes!(erase_personal_data))
}

/// The portal account, as held.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountData {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: String,
    pub active: bool,
    pub two_step_sign_in: bool,
    pub created_at: DateTime<Utc>,
}

/// One change to the record or the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub action: String,
    /// The values before and after, as recorded (JSON text).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Everything held about a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    pub exported_at: DateTime<Utc>,
    pub customer: Customer,
    pub account: Option<AccountData>,
    /// The identity documents held (the NIK masked; the customer knows it).
    pub identity: Option<crate::routes::identity::Identity>,
    pub history: Vec<HistoryEntry>,
    /// The WhatsApp messages sent to them and those they sent.
    pub whatsapp: Vec<WhatsAppEntry>,
}

/// One WhatsApp message to or from the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatsAppEntry {
    pub at: DateTime<Utc>,
    /// `to_customer` or `from_customer`.
    pub direction: String,
    /// Their number.
    pub number: String,
    pub text: String,
    /// A message to them: how its delivery went.
    pub status: Option<String>,
}

/// Everything NetCrew holds about one customer, as JSON — for handing to
/// them on request (UU PDP). A customer may fetch their own.
#[utoipa::path(get, path = "/customers/{id}/personal-data", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = PersonalData),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_personal_data(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<PersonalData>> {
    caller.require(Permission::CustomersRead)?;
    if caller.role == Role::Customer && caller.user.customer_id != Some(id) {
        return Err(ApiError::NotFound("No such customer.".to_string()));
    }
    let now = Utc::now();
    let data = privacy::export(&state.db, &caller.actor(), id, now).await?;
    let identity = netcrew_store::identity::summary(state.db.conn(), id)
        .await?
        .map(|row| crate::routes::identity::Identity::of(id, Some(row)));
    Ok(axum::Json(PersonalData {
        exported_at: now,
        customer: Customer::from(data.customer),
        account: data.account.map(|a| AccountData {
            id: a.id,
            name: a.name,
            email: a.email,
            phone: a.phone,
            locale: a.locale,
            active: a.active,
            two_step_sign_in: a.totp_enabled_at.is_some(),
            created_at: a.created_at,
        }),
        identity,
        whatsapp: {
            let mut all: Vec<WhatsAppEntry> = data
                .messages_sent
                .into_iter()
                .map(|m| WhatsAppEntry {
                    at: m.created_at,
                    direction: "to_customer".to_string(),
                    number: m.recipient,
                    text: m.body,
                    status: Some(m.status),
                })
                .chain(data.messages_received.into_iter().map(|m| WhatsAppEntry {
                    at: m.received_at,
                    direction: "from_customer".to_string(),
                    number: m.sender,
                    text: m.body,
                    status: None,
                }))
                .collect();
            all.sort_by_key(|e| e.at);
            all
        },
        history: data
            .history
            .into_iter()
            .map(|e| HistoryEntry {
                at: e.at,
                action: e.action,
                before: e.before,
                after: e.after,
            })
            .collect(),
    }))
}

/// Erases a former customer's personal data at their request (UU PDP):
/// name, phone, e-mail, address and notes are removed, the place is rounded
/// to about a kilometre, the portal account is closed and the audit history
/// keeps who did what and when but not the values. The customer number,
/// area, package and dates stay. Only for customers no longer served
/// (`prospect` or `terminated`).
#[utoipa::path(post, path = "/customers/{id}/erasure", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = Customer, description = "Erased; the record as it stays"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn erase_personal_data(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Customer>> {
    caller.require(Permission::CustomersErase)?;
    let erased = privacy::erase(
        &state.db,
        &state.files,
        id,
        caller.user.id,
        caller.ip.clone(),
        Utc::now(),
    )
    .await
    .map_err(netcrew_store::Error::from)?;
    Ok(axum::Json(Customer::from(erased)))
}
