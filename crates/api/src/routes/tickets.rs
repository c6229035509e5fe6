//! Tickets: every installation and repair. The lifecycle and the SLA clocks
//! are `netcrew_domain::tickets`; the writes are `netcrew_store::tickets`;
//! this module authorizes, parses, calls and maps.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::{
    InstallWindow, Role,
    access::Permission,
    identity::BookingNeed,
    service::Priority,
    tickets::{
        RemoteReason, SlaState, TicketKind, TicketSource, TicketStatus, rules::priority_label,
    },
};
use netcrew_store::{
    entity::{ticket, ticket_comment, ticket_event, ticket_pause},
    page::PageRequest,
    tickets::{
        self, MoveRequest, Names, NewTicket, Person, Scope, TicketChange, TicketFilter, TicketSort,
    },
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
        .routes(routes!(list_tickets, create_ticket))
        .routes(routes!(get_ticket, update_ticket))
        .routes(routes!(move_ticket))
        .routes(routes!(ticket_timeline))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(rate_ticket))
        .routes(routes!(list_attachments, add_attachment))
        .routes(routes!(attachment_content))
}

/// The person acting, as the ticket rules see them.
pub(crate) fn person(caller: &Caller) -> Person {
    Person {
        id: Some(caller.user.id),
        name: caller.user.name.clone(),
        role: Some(caller.role),
        customer_id: caller.user.customer_id,
        ip: Some(caller.ip.clone()),
    }
}

/// The tickets the caller sees.
pub(crate) async fn scope(state: &AppState, caller: &Caller) -> ApiResult<Scope> {
    caller.require(Permission::TicketsRead)?;
    Ok(tickets::scope_for(
        state.db.conn(),
        caller.user.id,
        caller.role,
        caller.user.customer_id,
    )
    .await?)
}

/// The customer a ticket is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketCustomer {
    pub id: Uuid,
    pub customer_number: String,
    pub name: String,
    pub phone: String,
}

/// The technician a ticket is assigned to.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPerson {
    pub id: Uuid,
    pub name: String,
}

/// Where a ticket stands against its service level.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sla {
    pub response_minutes: i32,
    pub resolution_minutes: i32,
    /// When the response target (created → accepted) falls due; `null`
    /// once met, or while the clock is paused.
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    /// When the first running target reaches 80 % (the supervisor is
    /// warned then).
    pub warn_at: Option<DateTime<Utc>>,
    pub state: SlaState,
    /// Whether the clock stands still (a pause reason that stops it).
    pub paused: bool,
}

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ticket {
    pub id: Uuid,
    #[schema(example = "TRB-2026-000123")]
    pub number: String,
    pub kind: TicketKind,
    pub status: TicketStatus,
    pub priority: Priority,
    /// `P1` (urgent) to `P4` (low).
    #[schema(example = "P2")]
    pub priority_label: String,
    pub source: TicketSource,
    pub service_type_id: Uuid,
    pub problem_category_id: Option<Uuid>,
    pub customer: TicketCustomer,
    pub area_id: Uuid,
    pub address: String,
    pub location: Location,
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    /// An upgrade: the package the customer moves to.
    pub package_id: Option<Uuid>,
    /// An installation: when CS verified the identity, place and package.
    pub verified_at: Option<DateTime<Utc>>,
    /// An installation: when the fee or down payment was marked paid.
    pub fee_paid_at: Option<DateTime<Utc>>,
    /// The receipt or transfer reference of the payment (staff only).
    pub fee_reference: Option<String>,
    /// What keeps an installation from being booked with a technician
    /// (`verification`, `fee`); empty when nothing does.
    pub booking_needs: Vec<BookingNeed>,
    pub description: String,
    /// `YYYY-MM-DD`.
    pub appointment_date: Option<String>,
    pub appointment_window: Option<InstallWindow>,
    /// The lead: accountable, makes the moves.
    pub technician: Option<TicketPerson>,
    /// Who works it with the lead (they see it and document it).
    pub crew: Vec<TicketPerson>,
    pub tags: Vec<String>,
    pub duplicate_of: Option<Uuid>,
    /// The outage this ticket is part of.
    pub outage_id: Option<Uuid>,
    /// While `pending`: the pause reason's code.
    pub pending_reason: Option<String>,
    pub sla: Sla,
    pub accepted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// How CS settled a repair without a visit.
    pub remote_reason: Option<RemoteReason>,
    /// How many times a technician arrived.
    pub visits: i32,
    /// How many times it was reopened.
    pub reopened: i32,
    pub rating: Option<i32>,
    pub rating_comment: String,
    /// The statuses the caller may move it to now.
    pub allowed_transitions: Vec<TicketStatus>,
    /// The version for `If-Match` (also the `ETag`).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_ticket(
    t: ticket::Model,
    names: &Names,
    who: &Person,
    state: &AppState,
    now: DateTime<Utc>,
) -> Ticket {
    let allowed = tickets::allowed(&t, who, &state.config.tickets, now);
    let booking_needs = tickets::booking_needs(&t, &state.config.tickets);
    let (customer_number, name, phone) = names
        .customers
        .get(&t.customer_id)
        .cloned()
        .unwrap_or_default();
    let priority: Priority = t.priority.parse().unwrap_or(Priority::Normal);
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    Ticket {
        id: t.id,
        number: t.number,
        kind: TicketKind::parse(&t.kind).unwrap_or(TicketKind::Repair),
        status,
        priority,
        priority_label: priority_label(priority).to_string(),
        source: TicketSource::parse(&t.source).unwrap_or(TicketSource::System),
        service_type_id: t.service_type_id,
        problem_category_id: t.problem_category_id,
        customer: TicketCustomer {
            id: t.customer_id,
            customer_number,
            name,
            phone,
        },
        area_id: t.area_id,
        address: t.address,
        location: Location {
            lat: t.lat,
            lng: t.lng,
        },
        odp_id: t.odp_id,
        odp_port: t.odp_port,
        package_id: t.package_id,
        verified_at: t.verified_at,
        fee_paid_at: t.fee_paid_at,
        fee_reference: t.fee_reference.filter(|_| who.role != Some(Role::Customer)),
        booking_needs,
        description: t.description,
        appointment_date: t.appointment_date,
        appointment_window: t
            .appointment_window
            .as_deref()
            .and_then(InstallWindow::parse),
        technician: t.technician_id.map(|id| TicketPerson {
            id,
            name: names.people.get(&id).cloned().unwrap_or_default(),
        }),
        crew: names
            .crews
            .get(&t.id)
            .map(|members| {
                members
                    .iter()
                    .map(|id| TicketPerson {
                        id: *id,
                        name: names.people.get(id).cloned().unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        tags: serde_json::from_str(&t.tags).unwrap_or_default(),
        duplicate_of: t.duplicate_of,
        outage_id: t.outage_id,
        pending_reason: t.pending_reason,
        sla: Sla {
            response_minutes: t.response_minutes,
            resolution_minutes: t.resolution_minutes,
            response_due_at: t.response_due_at,
            resolution_due_at: t.resolution_due_at,
            warn_at: [t.response_warn_at, t.resolution_warn_at]
                .into_iter()
                .flatten()
                .min(),
            state: SlaState::parse(&t.sla_state).unwrap_or(SlaState::OnTrack),
            paused: status.is_open()
                && t.response_due_at.is_none()
                && t.resolution_due_at.is_none(),
        },
        accepted_at: t.accepted_at,
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
        remote_reason: t.remote_reason.as_deref().and_then(RemoteReason::parse),
        visits: t.visits,
        reopened: t.cycle,
        rating: t.rating,
        rating_comment: t.rating_comment,
        allowed_transitions: allowed,
        version: t.version,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

/// One ticket as an answer, with its `ETag`.
pub(crate) async fn answer(
    state: &AppState,
    caller: &Caller,
    t: ticket::Model,
    status: Option<axum::http::StatusCode>,
) -> ApiResult<Response> {
    let names = tickets::names(state.db.conn(), std::slice::from_ref(&t)).await?;
    let id = t.id;
    let version = t.version;
    let body = to_ticket(t, &names, &person(caller), state, Utc::now());
    let mut response = match status {
        Some(axum::http::StatusCode::CREATED) => created(format!("/api/v1/tickets/{id}"), body),
        _ => axum::Json(body).into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
    Ok(response)
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`): required for
/// every ticket write.
pub(crate) fn if_match(headers: &HeaderMap) -> ApiResult<i32> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired(
            "Send If-Match with the ticket's version (its ETag) so that no one else's change is overwritten.".to_string(),
        ));
    };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse::<i32>().map_err(|_| {
        ApiError::validation(
            "If-Match",
            "format",
            "give the ticket's ETag, such as \"3\"",
        )
    })
}

/// The order of the ticket list.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketOrder {
    /// The next SLA due time first: the riskiest on top; paused and
    /// finished tickets last.
    #[default]
    Due,
    /// Newest first.
    Newest,
    /// By number.
    Number,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// The start of a ticket number (`TRB-2026-00`), or words of the
    /// description.
    pub q: Option<String>,
    /// One status, or several separated by commas.
    pub status: Option<String>,
    /// Only open (`true`) or only finished (`false`) tickets.
    pub open: Option<bool>,
    #[param(inline)]
    pub kind: Option<TicketKind>,
    #[param(inline)]
    pub priority: Option<Priority>,
    #[param(inline)]
    pub sla_state: Option<SlaState>,
    pub area_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub technician_id: Option<Uuid>,
    /// Only tickets nobody is assigned to.
    pub unassigned: Option<bool>,
    pub outage_id: Option<Uuid>,
    /// Default `due`; a cursor belongs to its order.
    #[param(inline)]
    pub sort: Option<TicketOrder>,
}

/// Lists the tickets the caller sees: a customer their own, a technician
/// their jobs, a supervisor their areas' and teams'.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketQuery),
    responses(
        (status = 200, body = List<Ticket>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_tickets(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TicketQuery>,
) -> ApiResult<axum::Json<List<Ticket>>> {
    let scope = scope(&state, &caller).await?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let mut c = netcrew_domain::Checks::default();
    if let Some(q) = &query.q {
        c.no_controls("q", q, false);
    }
    let mut status = Vec::new();
    for s in query
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match TicketStatus::parse(s) {
            Some(st) => status.push(st),
            None => c.push(netcrew_domain::fields::choice(
                "status",
                &TicketStatus::ALL.map(|s| s.as_str()),
            )),
        }
    }
    c.finish()?;
    let filter = TicketFilter {
        q: query.q,
        status,
        open: query.open,
        kind: query.kind,
        priority: query.priority,
        sla_state: query.sla_state,
        area_id: query.area_id,
        customer_id: query.customer_id,
        technician_id: query.technician_id,
        unassigned: query.unassigned.unwrap_or(false),
        outage_id: query.outage_id,
        sort: match query.sort.unwrap_or_default() {
            TicketOrder::Due => TicketSort::Due,
            TicketOrder::Newest => TicketSort::Newest,
            TicketOrder::Number => TicketSort::Number,
        },
    };
    let result = tickets::list(state.db.conn(), &scope, &filter, &page).await??;
    let names = tickets::names(state.db.conn(), &result.items).await?;
    let who = person(&caller);
    let now = Utc::now();
    Ok(axum::Json(List::from_page(result, |t| {
        to_ticket(t, &names, &who, &state, now)
    })))
}

/// A new ticket. A customer reports a problem for themself (kind and
/// customer are theirs); staff open any kind for any customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketInput {
    /// A UUIDv7 the client chose (the offline app does).
    pub id: Option<Uuid>,
    pub kind: Option<TicketKind>,
    pub customer_id: Option<Uuid>,
    /// Default: the service type of the kind.
    pub service_type_id: Option<Uuid>,
    pub problem_category_id: Option<Uuid>,
    /// Default: the more urgent of the service type's and the category's.
    pub priority: Option<Priority>,
    /// Default: `portal` for a customer, `phone` for staff.
    pub source: Option<TicketSource>,
    pub description: Option<String>,
    /// Default: the customer's address and place.
    pub address: Option<String>,
    pub location: Option<Location>,
    /// Today or later, on a day the area works (`YYYY-MM-DD`).
    pub appointment_date: Option<String>,
    pub appointment_window: Option<InstallWindow>,
    pub tags: Option<Vec<String>>,
    pub duplicate_of: Option<Uuid>,
    /// An upgrade: the package the customer moves to when it is done.
    pub package_id: Option<Uuid>,
}

/// Opens a ticket.
#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = TicketInput,
    responses(
        (status = 201, body = Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_ticket(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<TicketInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsCreate)?;
    let ApiJson(i) = body?;
    let input = NewTicket {
        id: i.id,
        kind: i.kind,
        customer_id: i.customer_id,
        service_type_id: i.service_type_id,
        problem_category_id: i.problem_category_id,
        priority: i.priority,
        source: i.source,
        description: i.description,
        address: i.address,
        location: i.location.map(|l| (l.lat, l.lng)),
        appointment_date: i.appointment_date,
        appointment_window: i.appointment_window,
        tags: i.tags,
        duplicate_of: i.duplicate_of,
        package_id: i.package_id,
    };
    let t = tickets::create(
        &state.db,
        &person(&caller),
        input,
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, Some(axum::http::StatusCode::CREATED)).await
}

pub(crate) async fn visible(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<(ticket::Model, Scope)> {
    let scope = scope(state, caller).await?;
    let t = tickets::find(state.db.conn(), id, &scope)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such ticket.".to_string()))?;
    Ok((t, scope))
}

/// One ticket, with its `ETag` (the version writes must name in `If-Match`).
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = Ticket, headers(("ETag" = String, description = "The ticket's version"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let (t, _) = visible(&state, &caller, id).await?;
    answer(&state, &caller, t, None).await
}

/// A change to a ticket's details; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    /// The supervisor's; needs a `reason`.
    pub priority: Option<Priority>,
    pub reason: Option<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub location: Option<Location>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub appointment_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<InstallWindow>)]
    pub appointment_window: Option<Option<InstallWindow>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub duplicate_of: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub problem_category_id: Option<Option<Uuid>>,
    /// The ODP the job connects, with `odp_port` (an installation or a
    /// relocation takes them over when done); `null` clears both.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub odp_id: Option<Option<Uuid>>,
    pub odp_port: Option<i32>,
    /// An upgrade: the package the customer moves to.
    pub package_id: Option<Uuid>,
}

/// Changes a ticket's details. Needs `If-Match`.
#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", request_body = TicketPatch,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("If-Match" = String, Header, description = "The version read (its ETag)"),
    ),
    responses(
        (status = 200, body = Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<TicketPatch>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsManage)?;
    let scope = scope(&state, &caller).await?;
    let ApiJson(p) = body?;
    let version = if_match(&headers)?;
    let odp = match (p.odp_id, p.odp_port) {
        (None, None) => None,
        (Some(None), _) => Some(None),
        (Some(Some(o)), Some(port)) => Some(Some((o, port))),
        (Some(Some(_)), None) => {
            return Err(ApiError::validation(
                "odp_port",
                "required",
                "give the port with the ODP",
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::validation(
                "odp_id",
                "required",
                "give the ODP with the port",
            ));
        }
    };
    let change = TicketChange {
        priority: p.priority,
        reason: p.reason,
        description: p.description,
        address: p.address,
        location: p.location.map(|l| (l.lat, l.lng)),
        appointment_date: p.appointment_date,
        appointment_window: p.appointment_window,
        tags: p.tags,
        duplicate_of: p.duplicate_of,
        problem_category_id: p.problem_category_id,
        odp,
        package_id: p.package_id,
    };
    let t = tickets::update(
        &state.db,
        &person(&caller),
        &scope,
        id,
        version,
        change,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}

/// A move through the lifecycle.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The status to move to.
    pub to: Option<TicketStatus>,
    /// Why: required to cancel and to reopen.
    pub reason: Option<String>,
    /// To `pending`: the pause reason's code (see `GET /pause-reasons`).
    pub pause_reason: Option<String>,
    /// To `resolved` without a visit (a repair CS settles remotely).
    pub remote_reason: Option<RemoteReason>,
    /// To `assigned`: the technician.
    pub technician_id: Option<Uuid>,
    /// To `on_site` (and `en_route`): where the phone is; kept with the
    /// move, with its distance from the ticket's place.
    pub position: Option<MovePosition>,
    /// To `pending`: the next visit when it is agreed (the customer asked
    /// for another day, the part comes on Monday); it becomes the ticket's
    /// appointment, checked against the calendar and the window's room.
    pub next_visit: Option<NextVisitInput>,
}

/// The day (and window) of the next visit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextVisitInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub window: Option<InstallWindow>,
}

/// The phone's position at a move, as the browser's geolocation gives it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovePosition {
    pub lat: f64,
    pub lng: f64,
    /// The browser's accuracy, in metres.
    pub accuracy_m: Option<f64>,
}

/// Moves a ticket (`{"to": "accepted"}`). Needs `If-Match`; a move not
/// possible now is a `409` listing the statuses that are (`allowed`).
#[utoipa::path(post, path = "/tickets/{id}/transitions", tag = "tickets", request_body = TransitionInput,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("If-Match" = String, Header, description = "The version read (its ETag)"),
    ),
    responses(
        (status = 200, body = Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    ))]
async fn move_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Result<ApiJson<TransitionInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsWork)?;
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let version = if_match(&headers)?;
    if b.to == Some(TicketStatus::Assigned) {
        caller.require(Permission::TicketsManage)?;
    }
    let req = MoveRequest {
        to: b.to,
        reason: b.reason,
        pause_reason: b.pause_reason,
        remote_reason: b.remote_reason,
        technician_id: b.technician_id,
        position: b.position.map(|p| tickets::Position {
            lat: p.lat,
            lng: p.lng,
            accuracy_m: p.accuracy_m,
        }),
        next_visit: b.next_visit.map(|v| tickets::NextVisit {
            date: v.date,
            window: v.window,
        }),
    };
    let t = tickets::transition(
        &state.db,
        &person(&caller),
        &scope,
        tickets::Versioned { id, version },
        req,
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    if b.to == Some(TicketStatus::Resolved) {
        // The Berita Acara of a job done on site; the move stands if it
        // cannot be made (it is logged).
        if let Err(e) = netcrew_store::berita_acara::make(
            &state.db,
            &state.files,
            t.id,
            state.config.zone,
            Utc::now(),
        )
        .await
        {
            tracing::warn!(ticket = %t.id, error = %e, "berita acara: not made");
        }
    }
    answer(&state, &caller, t, None).await
}

/// One entry of a ticket's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `created`, `moved`, `assigned`, `updated`, `priority`, `comment`,
    /// `rated`, `outage_joined`, `outage_resolved`, `sla_at_risk`,
    /// `sla_breached`.
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: String,
    /// The actor's role, or `system`.
    pub actor_role: String,
    pub from_status: Option<TicketStatus>,
    pub to_status: Option<TicketStatus>,
    pub reason: String,
    /// What the kind needs (the technician assigned, the pause reason and
    /// how long the pause lasted, the priority before and after, ...).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Whether the customer sees it.
    pub public: bool,
}

impl From<ticket_event::Model> for TimelineEntry {
    fn from(e: ticket_event::Model) -> Self {
        TimelineEntry {
            id: e.id,
            at: e.at,
            kind: e.kind,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            actor_role: e.actor_role,
            from_status: e.from_status.as_deref().and_then(TicketStatus::parse),
            to_status: e.to_status.as_deref().and_then(TicketStatus::parse),
            reason: e.reason,
            data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
            public: e.public,
        }
    }
}

/// A stretch during which the ticket waited.
#[derive(Debug, Serialize, ToSchema)]
pub struct PauseOut {
    pub reason: String,
    /// Whether the SLA clock stood still.
    pub stops_clock: bool,
    pub started_at: DateTime<Utc>,
    /// `null` while it lasts.
    pub ended_at: Option<DateTime<Utc>>,
    pub minutes: i64,
}

/// A ticket's history: the timeline and its pauses.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
    pub pauses: Vec<PauseOut>,
}

fn pause_out(p: ticket_pause::Model, now: DateTime<Utc>) -> PauseOut {
    PauseOut {
        minutes: (p.ended_at.unwrap_or(now) - p.started_at).num_minutes(),
        reason: p.reason,
        stops_clock: p.stops_clock,
        started_at: p.started_at,
        ended_at: p.ended_at,
    }
}

/// A ticket's timeline, oldest first (a customer sees what is public).
#[utoipa::path(get, path = "/tickets/{id}/timeline", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = Timeline),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn ticket_timeline(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Timeline>> {
    let (t, scope) = visible(&state, &caller, id).await?;
    let events = tickets::events(state.db.conn(), t.id, scope.is_customer()).await?;
    let pauses = tickets::pauses(state.db.conn(), t.id).await?;
    let now = Utc::now();
    Ok(axum::Json(Timeline {
        items: events.into_iter().map(TimelineEntry::from).collect(),
        pauses: pauses.into_iter().map(|p| pause_out(p, now)).collect(),
    }))
}

/// A comment on a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub author_role: String,
    pub body: String,
    /// Seen by staff only.
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

impl From<ticket_comment::Model> for Comment {
    fn from(c: ticket_comment::Model) -> Self {
        Comment {
            id: c.id,
            author_id: c.author_id,
            author_name: c.author_name,
            author_role: c.author_role,
            body: c.body,
            internal: c.internal,
            created_at: c.created_at,
        }
    }
}

/// A ticket's comments, oldest first (a customer does not see internal
/// ones).
#[utoipa::path(get, path = "/tickets/{id}/comments", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = List<Comment>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_comments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<List<Comment>>> {
    let (t, scope) = visible(&state, &caller, id).await?;
    let items = tickets::comments(state.db.conn(), t.id, scope.is_customer()).await?;
    Ok(axum::Json(List::complete(
        items.into_iter().map(Comment::from).collect(),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    pub body: String,
    /// Staff only: seen by staff, not by the customer.
    #[serde(default)]
    pub internal: bool,
}

/// Comments on a ticket (not on a closed or cancelled one).
#[utoipa::path(post, path = "/tickets/{id}/comments", tag = "tickets", request_body = CommentInput,
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 201, body = Comment),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_comment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<CommentInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsComment)?;
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let saved = tickets::comment(
        &state.db,
        &person(&caller),
        &scope,
        id,
        &b.body,
        b.internal,
        Utc::now(),
    )
    .await?;
    Ok(created(
        format!("/api/v1/tickets/{id}/comments"),
        Comment::from(saved),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// 1 to 5.
    pub rating: i32,
    #[serde(default)]
    pub comment: String,
}

/// The customer rates a resolved visit, once.
#[utoipa::path(post, path = "/tickets/{id}/rating", tag = "tickets", request_body = RatingInput,
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = Ticket),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn rate_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<RatingInput>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsWork)?;
    if caller.role != Role::Customer {
        return Err(ApiError::Forbidden(
            "Only the customer rates their visit.".to_string(),
        ));
    }
    let scope = scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let t = tickets::rate(
        &state.db,
        &person(&caller),
        &scope,
        id,
        b.rating,
        &b.comment,
        Utc::now(),
    )
    .await?;
    answer(&state, &caller, t, None).await
}

/// A file attached to a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    /// From the bytes: `image/jpeg`, `image/png`, `image/webp` or
    /// `application/pdf`.
    pub content_type: String,
    pub size_bytes: i64,
    /// Photos: their size in pixels (at most 1600 on the long side).
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub internal: bool,
    pub uploaded_by: Option<Uuid>,
    /// Where its bytes are read.
    pub url: String,
    pub created_at: DateTime<Utc>,
    /// When the file was removed after its retention time (its bytes are
    /// gone; the entry stays).
    pub removed_at: Option<DateTime<Utc>>,
    /// When and where the phone took it, as the app reported (photos
    /// taken in the technician app).
    pub taken_at: Option<DateTime<Utc>>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// SHA-256 of the bytes kept (hex): a job's documentation chains it.
    pub sha256: Option<String>,
}

impl From<netcrew_store::entity::ticket_attachment::Model> for Attachment {
    fn from(a: netcrew_store::entity::ticket_attachment::Model) -> Self {
        Attachment {
            url: format!("/api/v1/attachments/{}/content", a.id),
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            width: a.width,
            height: a.height,
            internal: a.internal,
            uploaded_by: a.uploaded_by,
            created_at: a.created_at,
            removed_at: a.removed_at,
            taken_at: a.taken_at,
            lat: a.lat,
            lng: a.lng,
            accuracy_m: a.accuracy_m,
            sha256: a.sha256,
        }
    }
}

/// The form of an upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AttachmentForm {
    /// The photo (JPEG, PNG, WebP) or PDF, at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true`: seen by staff only.
    internal: Option<bool>,
    /// When the phone took the photo (RFC 3339; not in the future).
    taken_at: Option<String>,
    /// Where the phone was then (both or neither), and how precisely (m).
    lat: Option<f64>,
    lng: Option<f64>,
    accuracy_m: Option<f64>,
}

/// A ticket's attachments (a customer does not see internal ones).
#[utoipa::path(get, path = "/tickets/{id}/attachments", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = List<Attachment>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_attachments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<List<Attachment>>> {
    let (t, scope) = visible(&state, &caller, id).await?;
    let items = netcrew_store::attachments::list(&state.db, t.id, scope.is_customer()).await?;
    Ok(axum::Json(List::complete(
        items.into_iter().map(Attachment::from).collect(),
    )))
}

/// Attaches a photo or document (multipart, field `file`). The type is
/// read from the bytes; photos larger than 1600 px are made smaller.
#[utoipa::path(post, path = "/tickets/{id}/attachments", tag = "tickets",
    request_body(content = AttachmentForm, content_type = "multipart/form-data"),
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 201, body = Attachment),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_attachment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    caller.require(Permission::TicketsComment)?;
    let scope = scope(&state, &caller).await?;
    let form = crate::routes::read_upload_form(form, "file").await?;
    let internal = form
        .texts
        .get("internal")
        .is_some_and(|v| matches!(v.trim(), "true" | "1" | "on"));
    let Some(mut upload) = form.file else {
        return Err(ApiError::validation("file", "required", "choose a file"));
    };
    upload.internal = internal;
    upload.taken = taken_of(&form.texts, Utc::now())?;
    let saved = netcrew_store::attachments::attach(
        &state.db,
        &state.files,
        &person(&caller),
        &scope,
        id,
        upload,
        Utc::now(),
    )
    .await?;
    Ok(created(
        format!("/api/v1/attachments/{}/content", saved.id),
        Attachment::from(saved),
    ))
}

/// When and where a photo was taken, from the upload form's `taken_at`
/// (RFC 3339), `lat`, `lng` and `accuracy_m` (the phone's geolocation at
/// the moment of capture; Android strips it from the photo itself).
fn taken_of(
    texts: &std::collections::HashMap<String, String>,
    now: DateTime<Utc>,
) -> ApiResult<Option<netcrew_store::attachments::Taken>> {
    let text = |k: &str| texts.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let number = |k: &str| -> ApiResult<Option<f64>> {
        text(k)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| ApiError::validation(k, "format", "a number"))
            })
            .transpose()
    };
    let Some(at) = text("taken_at") else {
        if text("lat").is_some() || text("lng").is_some() {
            return Err(ApiError::validation(
                "taken_at",
                "required",
                "give when the photo was taken with where",
            ));
        }
        return Ok(None);
    };
    let at = DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::validation(
                "taken_at",
                "format",
                "a time such as 2026-11-29T10:15:00+07:00",
            )
        })?;
    if at > now + chrono::Duration::minutes(5) {
        return Err(ApiError::validation(
            "taken_at",
            "range",
            "not in the future",
        ));
    }
    let (lat, lng) = (number("lat")?, number("lng")?);
    match (lat, lng) {
        (Some(a), Some(o)) => {
            if netcrew_domain::GeoPoint::new(a, o).is_err() {
                return Err(ApiError::validation(
                    "lat",
                    "location",
                    "not a place on the earth",
                ));
            }
        }
        (None, None) => {}
        _ => {
            return Err(ApiError::validation(
                "lng",
                "required",
                "give both lat and lng, or neither",
            ));
        }
    }
    let accuracy_m = number("accuracy_m")?;
    if accuracy_m.is_some_and(|a| !(0.0..=100_000.0).contains(&a)) {
        return Err(ApiError::validation(
            "accuracy_m",
            "range",
            "from 0 to 100000 metres",
        ));
    }
    Ok(Some(netcrew_store::attachments::Taken {
        at,
        lat,
        lng,
        accuracy_m,
    }))
}

/// The bytes of an attachment, if the caller sees its ticket.
#[utoipa::path(get, path = "/attachments/{id}/content", tag = "tickets",
    params(("id" = Uuid, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn attachment_content(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let scope = scope(&state, &caller).await?;
    let (a, bytes) = netcrew_store::attachments::open(&state.db, &state.files, &scope, id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&a.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = a
        .file_name
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{ascii}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
