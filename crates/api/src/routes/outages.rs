//! Outages: one cause, many customers. Supervisors and admins declare an
//! outage on an ODP, an ODC or an area, and resolve it; staff at the desk
//! follow them. The rules and the one write path live in
//! `netcrew_store::outages`; this module authorizes, parses, calls and maps.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, FieldError,
    access::Permission,
    tickets::{OutageElement, OutageStatus, TicketStatus},
};
use netcrew_store::{
    entity::{outage, ticket},
    outages::{self, NewOutage, OutageFilter, Suggestion},
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
    routes::{List, Location, created, tickets::person},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_outages, declare_outage))
        .routes(routes!(get_outage))
        .routes(routes!(resolve_outage))
        .routes(routes!(outage_suggestions))
}

/// An outage: one fault (a cut cable, a dead ODC, a power cut) behind
/// which many customers are out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outage {
    pub id: Uuid,
    #[schema(example = "OUT-2026-000012")]
    pub number: String,
    pub title: String,
    pub element_kind: OutageElement,
    /// The ODP, ODC or area that is out.
    pub element_id: Option<Uuid>,
    /// The element's code (`ODP-CBL-001-01`, `ODC-CBL-001`, `BDG-CBL`).
    pub element_code: Option<String>,
    pub area_id: Uuid,
    pub status: OutageStatus,
    pub cause: String,
    /// What was done, once resolved.
    pub resolution: String,
    pub declared_by: Option<Uuid>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The version to send in `If-Match` (also the `ETag`).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Outage {
    fn new(m: outage::Model, element_code: Option<String>) -> Self {
        Outage {
            element_kind: OutageElement::parse(&m.element_kind).unwrap_or(OutageElement::Odp),
            status: OutageStatus::parse(&m.status).unwrap_or(OutageStatus::Open),
            element_code,
            id: m.id,
            number: m.number,
            title: m.title,
            element_id: m.element_id,
            area_id: m.area_id,
            cause: m.cause,
            resolution: m.resolution,
            declared_by: m.declared_by,
            resolved_by: m.resolved_by,
            resolved_at: m.resolved_at,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A ticket gathered by an outage.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutageTicket {
    pub id: Uuid,
    #[schema(example = "TRB-2026-000123")]
    pub number: String,
    pub status: TicketStatus,
    pub customer_id: Uuid,
    pub technician_id: Option<Uuid>,
}

impl From<ticket::Model> for OutageTicket {
    fn from(t: ticket::Model) -> Self {
        OutageTicket {
            status: TicketStatus::parse(&t.status).unwrap_or(TicketStatus::Pending),
            id: t.id,
            number: t.number,
            customer_id: t.customer_id,
            technician_id: t.technician_id,
        }
    }
}

/// An outage with its tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutageDetail {
    #[serde(flatten)]
    pub outage: Outage,
    /// How many tickets the outage gathered.
    pub ticket_total: u64,
    /// Its tickets by number (the first 1,000; `GET /tickets?outage_id=`
    /// pages through all).
    pub tickets: Vec<OutageTicket>,
}

/// The outage with its element's code and its tickets.
async fn detail(state: &AppState, m: outage::Model) -> ApiResult<OutageDetail> {
    let code = outages::element_codes(state.db.conn(), std::slice::from_ref(&m))
        .await?
        .remove(&m.id);
    let (tickets, ticket_total) = outages::children(state.db.conn(), m.id).await?;
    Ok(OutageDetail {
        outage: Outage::new(m, code),
        ticket_total,
        tickets: tickets.into_iter().map(OutageTicket::from).collect(),
    })
}

/// The `ETag` of a version.
fn etag(version: i32) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{version}\"")).ok()
}

fn with_etag(mut response: Response, version: i32) -> Response {
    if let Some(value) = etag(version) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The version a write was made against: `If-Match: "3"` (the `ETag`).
fn if_match(headers: &HeaderMap) -> ApiResult<i32> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired(
            "Send If-Match with the outage's ETag (its version), so a change made meanwhile is not overwritten."
                .to_string(),
        ));
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Err(ApiError::PreconditionRequired(
            "If-Match must name the outage's version (its ETag), not `*`.".to_string(),
        ));
    }
    let bare = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    bare.parse::<i32>().map_err(|_| {
        ApiError::validation(
            "If-Match",
            "format",
            "give the outage's ETag, such as \"3\"",
        )
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutageQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// The start of an outage number (`OUT-2026-0001`) or a part of the
    /// title.
    pub q: Option<String>,
    #[param(inline)]
    pub status: Option<OutageStatus>,
    pub area_id: Option<Uuid>,
}

/// Lists outages, newest first.
#[utoipa::path(get, path = "/outages", tag = "outages", params(OutageQuery),
    responses(
        (status = 200, body = List<Outage>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_outages(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<OutageQuery>,
) -> ApiResult<axum::Json<List<Outage>>> {
    caller.require(Permission::OutagesRead)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    crate::routes::check_filter("q", query.q.as_deref())?;
    let filter = OutageFilter {
        status: query.status,
        area_id: query.area_id,
        q: query.q,
    };
    let page = outages::list(state.db.conn(), &filter, &page).await??;
    let mut codes = outages::element_codes(state.db.conn(), &page.items).await?;
    Ok(axum::Json(List::from_page(page, |m| {
        let code = codes.remove(&m.id);
        Outage::new(m, code)
    })))
}

/// A new outage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutageInput {
    pub id: Option<Uuid>,
    pub element_kind: OutageElement,
    /// The ODP or ODC that is out (required for those).
    pub element_id: Option<Uuid>,
    /// The area of an area outage (for an ODP or ODC it is the element's).
    pub area_id: Option<Uuid>,
    /// What customers and staff see, 1 to 200 characters.
    #[schema(example = "Kabel feeder putus di Jl. Dipatiukur")]
    pub title: Option<String>,
    /// What is known of the cause.
    pub cause: Option<String>,
}

/// Declares an outage. Every open repair ticket of the customers behind
/// the element joins it and waits, its SLA clock paused; its customer
/// and technician, the area's supervisors and management are told.
/// Repairs reported later by customers behind it join it too.
#[utoipa::path(post, path = "/outages", tag = "outages", request_body = OutageInput,
    responses(
        (status = 201, body = OutageDetail, headers(("ETag" = String, description = "The outage's version"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn declare_outage(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<OutageInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::OutagesManage)?;
    let ApiJson(body) = body?;
    let saved = outages::declare(
        &state.db,
        &person(&caller),
        NewOutage {
            id: body.id,
            element_kind: body.element_kind,
            element_id: body.element_id,
            area_id: body.area_id,
            title: body.title.unwrap_or_default(),
            cause: body.cause.unwrap_or_default(),
        },
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    let version = saved.version;
    let location = format!("/api/v1/outages/{}", saved.id);
    Ok(with_etag(
        created(location, detail(&state, saved).await?),
        version,
    ))
}

/// One outage and its tickets, with its version as the `ETag`.
#[utoipa::path(get, path = "/outages/{id}", tag = "outages",
    params(("id" = Uuid, Path, description = "Outage id")),
    responses(
        (status = 200, body = OutageDetail, headers(("ETag" = String, description = "The outage's version"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_outage(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    caller.require(Permission::OutagesRead)?;
    let found = outages::find(state.db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such outage.".to_string()))?;
    let version = found.version;
    Ok(with_etag(
        axum::Json(detail(&state, found).await?).into_response(),
        version,
    ))
}

/// How an outage was repaired.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionInput {
    /// What was done, up to 4,000 characters.
    #[schema(example = "Kabel feeder disambung ulang, redaman normal")]
    pub resolution: String,
}

/// Resolves an open outage (`If-Match`: its `ETag`). Every ticket of it
/// still open is resolved with it, and each customer is told once.
#[utoipa::path(post, path = "/outages/{id}/resolution", tag = "outages",
    request_body = ResolutionInput,
    params(
        ("id" = Uuid, Path, description = "Outage id"),
        ("If-Match" = String, Header, description = "The outage's ETag (its version), e.g. \"3\"",
            pattern = r#"^(W/)?"?[0-9]{1,9}"?$"#),
    ),
    responses(
        (status = 200, body = OutageDetail, headers(("ETag" = String, description = "The outage's version"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn resolve_outage(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<ResolutionInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::OutagesManage)?;
    let version = if_match(&headers)?;
    let ApiJson(body) = body?;
    let saved = outages::resolve(
        &state.db,
        &person(&caller),
        id,
        version,
        &body.resolution,
        Utc::now(),
    )
    .await?;
    let version = saved.version;
    Ok(with_etag(
        axum::Json(detail(&state, saved).await?).into_response(),
        version,
    ))
}

/// Window and threshold of the suggestions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// How far back to look, in minutes: 5 to 1,440 (default 120).
    #[param(minimum = 5, maximum = 1440)]
    pub window_minutes: Option<i64>,
    /// How many reports from one ODP make a suggestion: 2 to 100
    /// (default 3).
    #[param(minimum = 2, maximum = 100)]
    pub min_tickets: Option<usize>,
}

/// A ticket behind a suggested outage.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedTicket {
    pub id: Uuid,
    pub number: String,
}

/// An ODP from which several repairs came in lately: likely one cause.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutageSuggestion {
    pub odp_id: Uuid,
    #[schema(example = "ODP-CBL-001-01")]
    pub odp_code: String,
    pub odp_name: String,
    pub area_id: Uuid,
    pub location: Location,
    pub ticket_count: usize,
    /// Oldest first.
    pub tickets: Vec<SuggestedTicket>,
}

impl From<Suggestion> for OutageSuggestion {
    fn from(s: Suggestion) -> Self {
        OutageSuggestion {
            odp_id: s.odp.id,
            odp_code: s.odp.code,
            odp_name: s.odp.name,
            area_id: s.odp.area_id,
            location: Location {
                lat: s.odp.lat,
                lng: s.odp.lng,
            },
            ticket_count: s.tickets.len(),
            tickets: s
                .tickets
                .into_iter()
                .map(|(id, number)| SuggestedTicket { id, number })
                .collect(),
        }
    }
}

/// ODPs with several open repairs reported lately that belong to no
/// outage yet, the most first: candidates for declaring one.
#[utoipa::path(get, path = "/outage-suggestions", tag = "outages", params(SuggestionQuery),
    responses(
        (status = 200, body = List<OutageSuggestion>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn outage_suggestions(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> ApiResult<axum::Json<List<OutageSuggestion>>> {
    caller.require(Permission::OutagesRead)?;
    let mut c = Checks::default();
    let window = query.window_minutes.unwrap_or(120);
    if !(5..=1440).contains(&window) {
        c.push(
            FieldError::new("window_minutes", "range", "look back 5 to 1440 minutes")
                .with("min", 5)
                .with("max", 1440),
        );
    }
    let min = query.min_tickets.unwrap_or(3);
    if !(2..=100).contains(&min) {
        c.push(
            FieldError::new("min_tickets", "range", "give 2 to 100 tickets")
                .with("min", 2)
                .with("max", 100),
        );
    }
    c.finish()?;
    let found = outages::suggestions(
        state.db.conn(),
        Utc::now(),
        chrono::Duration::minutes(window),
        min,
    )
    .await?;
    Ok(axum::Json(List::complete(
        found.into_iter().map(OutageSuggestion::from).collect(),
    )))
}
