//! A customer's account on the portal, as CS sees and opens it.

use axum::{extract::State, response::Response};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::portal;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::ApiPath,
    problem::{ApiResult, Problem},
    routes::{created, customers::find_visible, users::PasswordResetIssued},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_portal_account, create_portal_account))
}

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
    let account = portal::account(state.db.conn(), found.id).await?;
    Ok(axum::Json(PortalAccount {
        exists: account.is_some(),
        login: account
            .as_ref()
            .and_then(|a| a.phone.clone().or(a.email.clone())),
        active: account.is_some_and(|a| a.active),
    }))
}

/// Opens a portal account for a customer registered by CS: the account
/// signs in with the customer's phone number, and the answer carries a
/// single-use link (valid 72 hours, shown once) for the customer to choose a
/// password — to be sent by WhatsApp, say.
#[utoipa::path(post, path = "/customers/{id}/portal-account", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 201, body = PasswordResetIssued),
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
    let invitation = portal::open(
        &state.db,
        &caller.actor(),
        &found,
        &state.config.default_locale,
        Utc::now(),
    )
    .await?;
    Ok(created(
        format!("/api/v1/customers/{id}/portal-account"),
        PasswordResetIssued {
            reset_path: format!("/reset-password?token={}", invitation.token),
            token: invitation.token,
            expires_at: invitation.expires_at,
            sent_by: None,
        },
    ))
}
