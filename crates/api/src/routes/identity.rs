//! Before an installation is booked: the customer's identity documents (NIK
//! and KTP photo, sealed at rest, whole only for the roles that need them,
//! every view audited), CS verification, the survey and the fee. The rules
//! and writes are `netcrew_store::identity` and
//! `netcrew_store::installation`; this module authorizes, parses, calls and
//! maps.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{
    Role,
    access::Permission,
    identity::{IdentityNeed, masked},
};
use netcrew_store::{
    attachments::Upload,
    entity::customer_identity,
    identity::{self, IdentityInput},
    installation::{self, Verification},
    tickets::Versioned,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, Problem},
    routes::tickets::{answer, if_match, person, scope},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_identity, record_identity))
        .routes(routes!(reveal_nik))
        .routes(routes!(identity_photo))
        .routes(routes!(verify_installation))
        .routes(routes!(mark_fee))
        .routes(routes!(survey_installation))
}

/// What is recorded of a customer's identity. The NIK is masked here; the
/// whole number and the photo are separate, audited reads.
#[derive(Debug, Serialize, ToSchema)]
pub struct Identity {
    pub customer_id: Uuid,
    /// The NIK with all but its last four digits hidden.
    #[schema(example = "************0123")]
    pub nik_masked: Option<String>,
    /// Whether a KTP photo is kept now.
    pub ktp_photo: bool,
    pub photo_recorded_at: Option<DateTime<Utc>>,
    /// When the photo was removed after its retention.
    pub photo_removed_at: Option<DateTime<Utc>>,
    /// What verification still lacks (`nik`, `ktp_photo`).
    pub missing: Vec<IdentityNeed>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Identity {
    pub(crate) fn of(customer_id: Uuid, row: Option<customer_identity::Model>) -> Identity {
        let missing = installation::identity_needs(row.as_ref());
        Identity {
            customer_id,
            nik_masked: row
                .as_ref()
                .and_then(|r| r.nik_last4.as_deref().map(masked)),
            ktp_photo: row.as_ref().is_some_and(|r| r.photo_key.is_some()),
            photo_recorded_at: row.as_ref().and_then(|r| r.photo_recorded_at),
            photo_removed_at: row.as_ref().and_then(|r| r.photo_removed_at),
            missing,
            updated_at: row.as_ref().map(|r| r.updated_at),
        }
    }
}

/// Staff who read customers, or the customer themself.
fn may_see_customer(caller: &Caller, id: Uuid) -> ApiResult<()> {
    caller.require(Permission::CustomersRead)?;
    if caller.role == Role::Customer && caller.user.customer_id != Some(id) {
        return Err(ApiError::NotFound("No such customer.".to_string()));
    }
    Ok(())
}

/// An answer that no cache keeps.
fn private(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// What is recorded of a customer's identity: the NIK masked, whether a
/// KTP photo is kept, and what verification still lacks.
#[utoipa::path(get, path = "/customers/{id}/identity", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = Identity),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_identity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    may_see_customer(&caller, id)?;
    netcrew_store::customers::find(state.db.conn(), id, None)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such customer.".to_string()))?;
    let row = identity::summary(state.db.conn(), id).await?;
    Ok(private(axum::Json(Identity::of(id, row)).into_response()))
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct IdentityForm {
    /// The NIK: 16 digits (spaces, dots and dashes are ignored).
    nik: Option<String>,
    /// A photo of the KTP (JPEG, PNG, WebP), at most 10 MB.
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
}

/// Records a customer's NIK, KTP photo or both (multipart: `nik`,
/// `photo`); a new one replaces the old. Both are sealed at rest.
#[utoipa::path(put, path = "/customers/{id}/identity", tag = "customers",
    request_body(content = IdentityForm, content_type = "multipart/form-data"),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = Identity),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn record_identity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    caller.require(Permission::IdentityManage)?;
    let mut form = crate::routes::read_upload_form(form, "photo").await?;
    let input = IdentityInput {
        nik: form.texts.remove("nik"),
        photo: form.file.map(|f| Upload {
            internal: true,
            taken: None,
            ..f
        }),
    };
    let saved = identity::record(
        &state.db,
        &state.files,
        &state.sealer,
        &person(&caller),
        id,
        input,
        Utc::now(),
    )
    .await?;
    Ok(private(
        axum::Json(Identity::of(id, Some(saved))).into_response(),
    ))
}

/// The whole NIK.
#[derive(Debug, Serialize, ToSchema)]
pub struct NikView {
    #[schema(example = "3273011203890123")]
    pub nik: String,
}

/// The whole NIK, for the roles that verify identities. Every read is in
/// the audit log.
#[utoipa::path(get, path = "/customers/{id}/identity/nik", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, body = NikView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reveal_nik(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    caller.require(Permission::IdentityRead)?;
    let nik =
        identity::reveal_nik(&state.db, &state.sealer, &person(&caller), id, Utc::now()).await?;
    Ok(private(axum::Json(NikView { nik }).into_response()))
}

/// The KTP photo, for the roles that verify identities. Every read is in
/// the audit log.
#[utoipa::path(get, path = "/customers/{id}/identity/photo", tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg", body = Vec<u8>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn identity_photo(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    caller.require(Permission::IdentityRead)?;
    let (kind, bytes) = identity::photo(
        &state.db,
        &state.files,
        &state.sealer,
        &person(&caller),
        id,
        Utc::now(),
    )
    .await?;
    let mut response = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&kind) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(private(response))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    /// `true` verifies; `false` withdraws a verification made by mistake
    /// (with a `reason`, while no technician is booked).
    #[serde(default = "yes")]
    pub verified: bool,
    /// The place on the ticket is where the customer lives.
    #[serde(default)]
    pub place_confirmed: bool,
    /// The package is the one the customer asked for.
    #[serde(default)]
    pub package_confirmed: bool,
    #[serde(default)]
    pub reason: String,
}

fn yes() -> bool {
    true
}

/// CS verification of an installation: the customer's NIK and KTP photo
/// are on record, and CS confirmed the place and the package. An
/// installation is booked with a technician only once verified. Needs
/// `If-Match`.
#[utoipa::path(post, path = "/tickets/{id}/verification", tag = "tickets", request_body = VerificationInput,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("If-Match" = String, Header, description = "The version read (its ETag)"),
    ),
    responses(
        (status = 200, body = crate::routes::tickets::Ticket),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn verify_installation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<VerificationInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::IdentityManage)?;
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let version = if_match(&headers)?;
    let t = installation::verify(
        &state.db,
        &person(&caller),
        &scope,
        Versioned { id, version },
        Verification {
            verified: b.verified,
            place_confirmed: b.place_confirmed,
            package_confirmed: b.package_confirmed,
            reason: b.reason,
        },
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeInput {
    /// `true` marks the fee or down payment paid; `false` takes a mistaken
    /// mark back.
    pub paid: bool,
    /// The receipt or transfer reference; with `paid: false`, why.
    #[serde(default)]
    pub reference: String,
}

/// Marks an installation's fee or down payment paid (or takes the mark
/// back). Where the ISP asks for it, an installation is booked only once
/// paid. Needs `If-Match`.
#[utoipa::path(post, path = "/tickets/{id}/fee", tag = "tickets", request_body = FeeInput,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("If-Match" = String, Header, description = "The version read (its ETag)"),
    ),
    responses(
        (status = 200, body = crate::routes::tickets::Ticket),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn mark_fee(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<FeeInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsManage)?;
    if !caller.role.is_staff() {
        return Err(ApiError::Forbidden(
            "Payments are marked by the ISP's staff.".to_string(),
        ));
    }
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let version = if_match(&headers)?;
    let t = installation::mark_fee(
        &state.db,
        &person(&caller),
        &scope,
        Versioned { id, version },
        (b.paid, &b.reference),
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub outcome: netcrew_domain::tickets::SurveyOutcome,
    #[serde(default)]
    pub notes: String,
}

/// Records what the survey before an installation found. `feasible` lets
/// it go on; `needs_pole` and `needs_permit` make it wait (access or
/// permit); `no_free_port` and `drop_too_long` record the place as unmet
/// demand and cancel the installation with the outcome as the reason.
/// Needs `If-Match`.
#[utoipa::path(post, path = "/tickets/{id}/survey", tag = "tickets", request_body = SurveyInput,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("If-Match" = String, Header, description = "The version read (its ETag)"),
    ),
    responses(
        (status = 200, body = crate::routes::tickets::Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn survey_installation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<SurveyInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsWork)?;
    if !caller.role.is_staff() {
        return Err(ApiError::Forbidden(
            "Surveys are recorded by the ISP's staff.".to_string(),
        ));
    }
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let version = if_match(&headers)?;
    let t = installation::survey(
        &state.db,
        &person(&caller),
        &scope,
        Versioned { id, version },
        (b.outcome, &b.notes),
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}
