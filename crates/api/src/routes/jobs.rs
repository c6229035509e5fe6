//! A job's documentation: its checklist as the technician records it on
//! site, the supervisor's exception for a weak optical reading, and the
//! ISP's healthy optical band.

use axum::extract::State;
use chrono::{DateTime, Utc};
use netcrew_domain::workday::CheckInPosition;
use netcrew_domain::{
    Role,
    access::Permission,
    tickets::checklist::{self, EntryKind, OpticalBand, Signal},
};
use netcrew_store::{
    jobs::{self, Recorded, Sheet},
    workday,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, Problem},
    routes::tickets::{person, visible},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_checklist))
        .routes(routes!(put_entry, delete_entry))
        .routes(routes!(approve_exception))
        .routes(routes!(get_job_settings, put_job_settings))
        .routes(routes!(my_day))
        .routes(routes!(check_in))
        .routes(routes!(place_history))
        .routes(routes!(list_reviews))
        .routes(routes!(review_job))
}

/// Who recorded something, and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedBy {
    pub user_id: Option<Uuid>,
    pub name: Option<String>,
    pub at: DateTime<Utc>,
}

/// One entry of a job's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistEntry {
    #[schema(example = "rx_power")]
    pub key: String,
    pub kind: EntryKind,
    pub required: bool,
    /// For `code` entries: the codes it takes.
    pub choices: Vec<String>,
    /// The recorded value (`null`: not yet), in the entry kind's form.
    #[schema(value_type = Option<Object>)]
    pub value: Option<Value>,
    pub recorded: Option<RecordedBy>,
}

/// A supervisor's exception for a weak optical reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpticalException {
    pub dbm: f64,
    pub reason: String,
    pub approved: RecordedBy,
}

/// The optical reading against the ISP's band.
#[derive(Debug, Serialize, ToSchema)]
pub struct Optical {
    pub band: OpticalBand,
    /// `null` until a reading is recorded.
    pub signal: Option<Signal>,
    pub exception: Option<OpticalException>,
    /// What can be typed at all (a GPON class B+ receiver's range).
    pub typed_weakest: f64,
    pub typed_strongest: f64,
}

/// A job's documentation as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobChecklist {
    pub ticket_id: Uuid,
    pub kind: String,
    pub entries: Vec<ChecklistEntry>,
    /// What keeps the job from completion: required entries not recorded,
    /// and `rx_power_weak` (a reading outside the band without exception).
    pub missing: Vec<String>,
    pub complete: bool,
    pub optical: Optical,
    /// Whether the documentation's hash chain holds (false: something was
    /// changed after it was recorded).
    pub intact: bool,
    /// The supervisor's last review of the completed job.
    pub review: Option<JobReview>,
}

/// A supervisor's review of a completed job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobReview {
    /// `approved`, or `rework` (sent back).
    pub decision: String,
    pub comment: String,
    pub reviewed: RecordedBy,
}

fn recorded_by(r: &Recorded) -> RecordedBy {
    RecordedBy {
        user_id: r.by,
        name: r.by_name.clone(),
        at: r.at,
    }
}

fn view(ticket_id: Uuid, s: Sheet) -> JobChecklist {
    let entries = checklist::checklist(s.kind)
        .iter()
        .map(|e| {
            let r = s.values.get(e.key);
            ChecklistEntry {
                key: e.key.to_string(),
                kind: e.kind,
                required: e.required,
                choices: e.choices.iter().map(|c| c.to_string()).collect(),
                value: r.map(|r| r.value.clone()),
                recorded: r.map(recorded_by),
            }
        })
        .collect();
    JobChecklist {
        ticket_id,
        kind: s.kind.as_str().to_string(),
        entries,
        complete: s.missing.is_empty(),
        missing: s.missing,
        optical: Optical {
            band: s.band,
            signal: s.signal,
            exception: s.exception.as_ref().map(|e| OpticalException {
                dbm: e
                    .value
                    .get("dbm")
                    .and_then(Value::as_f64)
                    .unwrap_or_default(),
                reason: e
                    .value
                    .get("reason")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                approved: recorded_by(e),
            }),
            typed_weakest: checklist::TYPED_WEAKEST,
            typed_strongest: checklist::TYPED_STRONGEST,
        },
        intact: s.intact,
        review: s.values.get(jobs::REVIEW).map(|r| JobReview {
            decision: r.value["decision"].as_str().unwrap_or_default().to_string(),
            comment: r.value["comment"].as_str().unwrap_or_default().to_string(),
            reviewed: recorded_by(r),
        }),
    }
}

/// A job's checklist: each entry, what is recorded, what is missing, and
/// the optical reading against the band.
#[utoipa::path(get, path = "/tickets/{id}/checklist", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = JobChecklist),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_checklist(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<JobChecklist>> {
    staff(&caller)?;
    let (t, _) = visible(&state, &caller, id).await?;
    let s = jobs::sheet(state.db.conn(), &t).await?;
    Ok(axum::Json(view(t.id, s)))
}

fn staff(caller: &Caller) -> ApiResult<()> {
    caller.require(Permission::TicketsRead)?;
    if caller.role == Role::Customer {
        return Err(ApiError::Forbidden(
            "A job's documentation is for staff.".to_string(),
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    /// The entry kind's form, e.g. `{"dbm": -19.4}`, `{"serial": "…"}`,
    /// `{"attachment_ids": ["…"]}`.
    #[schema(value_type = Object)]
    pub value: Value,
}

/// Records one entry (the same value again changes nothing, so a replayed
/// queue is harmless). A value of the wrong form or out of range, a port
/// in use, an ONT installed at another customer's, or a photo that is not
/// an image of this ticket answers 422 naming the field.
#[utoipa::path(put, path = "/tickets/{id}/checklist/{entry}", tag = "tickets", request_body = EntryInput,
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("entry" = String, Path, description = "The entry's key, e.g. `rx_power`"),
    ),
    responses(
        (status = 200, body = JobChecklist),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, entry)): ApiPath<(Uuid, String)>,
    body: Result<ApiJson<EntryInput>, ApiError>,
) -> ApiResult<axum::Json<JobChecklist>> {
    staff(&caller)?;
    caller.require(Permission::TicketsWork)?;
    let (t, _) = visible(&state, &caller, id).await?;
    let ApiJson(b) = body?;
    let s = jobs::record(
        &state.db,
        &person(&caller),
        t.id,
        &entry,
        Some(&b.value),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(view(t.id, s)))
}

/// Takes an entry back (recorded by mistake).
#[utoipa::path(delete, path = "/tickets/{id}/checklist/{entry}", tag = "tickets",
    params(
        ("id" = Uuid, Path, description = "Ticket id"),
        ("entry" = String, Path, description = "The entry's key"),
    ),
    responses(
        (status = 200, body = JobChecklist),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, entry)): ApiPath<(Uuid, String)>,
) -> ApiResult<axum::Json<JobChecklist>> {
    staff(&caller)?;
    caller.require(Permission::TicketsWork)?;
    let (t, _) = visible(&state, &caller, id).await?;
    let s = jobs::record(&state.db, &person(&caller), t.id, &entry, None, Utc::now()).await?;
    Ok(axum::Json(view(t.id, s)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionInput {
    /// Why the weak reading is accepted.
    pub reason: String,
}

/// A supervisor accepts the weak optical reading recorded now, with a
/// reason; the technician may then complete. Without a reading, or with a
/// healthy one, 409.
#[utoipa::path(post, path = "/tickets/{id}/checklist/exception", tag = "tickets", request_body = ExceptionInput,
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = JobChecklist),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn approve_exception(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<ExceptionInput>, ApiError>,
) -> ApiResult<axum::Json<JobChecklist>> {
    caller.require(Permission::JobsApprove)?;
    let (t, _) = visible(&state, &caller, id).await?;
    let ApiJson(b) = body?;
    let s =
        jobs::approve_exception(&state.db, &person(&caller), t.id, &b.reason, Utc::now()).await?;
    Ok(axum::Json(view(t.id, s)))
}

/// How jobs are judged.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    pub optical_band: OpticalBand,
}

/// The healthy optical band (and, for reference, what each kind of job
/// documents).
#[utoipa::path(get, path = "/job-settings", tag = "tickets",
    responses(
        (status = 200, body = JobSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_job_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<JobSettings>> {
    staff(&caller)?;
    Ok(axum::Json(JobSettings {
        optical_band: jobs::band(state.db.conn()).await?,
    }))
}

/// Sets the healthy optical band: weaker than `weakest` blocks completion
/// without a supervisor's exception; weaker than `warn_from` warns. Both
/// within -27 to -8 dBm, the warning at or above the weakest.
#[utoipa::path(put, path = "/job-settings", tag = "tickets", request_body = JobSettings,
    responses(
        (status = 200, body = JobSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_job_settings(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<JobSettings>, ApiError>,
) -> ApiResult<axum::Json<JobSettings>> {
    caller.require(Permission::NetworkManage)?;
    let ApiJson(b) = body?;
    let band = jobs::set_band(&state.db, &person(&caller), b.optical_band, Utc::now()).await?;
    Ok(axum::Json(JobSettings { optical_band: band }))
}

/// One site of a technician's day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayJob {
    pub ticket_id: Uuid,
    pub number: String,
    pub arrived_at: DateTime<Utc>,
    /// `null`: still there.
    pub left_at: Option<DateTime<Utc>>,
    /// The status the visit ended in (`resolved`, `pending`, ...).
    pub outcome: Option<String>,
    /// Straight-line metres from the previous arrival of the day (both
    /// with the phone's position); the first arrival's, from the check-in.
    pub from_previous_m: Option<f64>,
}

/// Where a phone was, as the browser's geolocation gives it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayPosition {
    pub lat: f64,
    pub lng: f64,
    /// The browser's accuracy, in metres.
    pub accuracy_m: Option<f64>,
}

/// A technician's day.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyDay {
    /// The local day (the ISP's time zone).
    pub date: chrono::NaiveDate,
    pub jobs: Vec<DayJob>,
    /// Jobs resolved that day.
    pub resolved: usize,
    /// Time on site, in minutes (a visit still open counts until now).
    pub on_site_minutes: i64,
    /// Straight-line metres between the day's arrivals, from the check-in
    /// position when there is one.
    pub distance_m: f64,
    /// When the technician checked in that day (`null`: not).
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Where the phone was at the check-in, if it said.
    pub check_in_position: Option<DayPosition>,
}

fn position_out(p: CheckInPosition) -> DayPosition {
    DayPosition {
        lat: p.point.lat,
        lng: p.point.lng,
        accuracy_m: p.accuracy_m,
    }
}

/// Today in the ISP's time zone.
fn today(state: &AppState, now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&state.config.zone).date_naive()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// `YYYY-MM-DD` (default: today, in the ISP's time zone).
    pub date: Option<String>,
}

/// My day as a technician: sites, time on site, jobs done, distance.
#[utoipa::path(get, path = "/me/day", tag = "tickets", params(DayQuery),
    responses(
        (status = 200, body = MyDay),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn my_day(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<DayQuery>,
) -> ApiResult<axum::Json<MyDay>> {
    caller.require(Permission::AvailabilityOwn)?;
    let zone = state.config.zone;
    let now = Utc::now();
    let date = match q.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => today(&state, now),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::validation("date", "date_format", "a date as YYYY-MM-DD"))?,
    };
    let start = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(zone).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (start(date), date.succ_opt().and_then(start)) else {
        return Err(ApiError::validation(
            "date",
            "date_format",
            "a date as YYYY-MM-DD",
        ));
    };
    let checked_in = workday::check_in_of(state.db.conn(), caller.user.id, date).await?;
    let start = checked_in
        .as_ref()
        .and_then(|c| c.position)
        .map(|p| p.point);
    let d = jobs::day(state.db.conn(), caller.user.id, from, to, start, now).await?;
    Ok(axum::Json(MyDay {
        date,
        jobs: d
            .jobs
            .into_iter()
            .map(|j| DayJob {
                ticket_id: j.ticket_id,
                number: j.number,
                arrived_at: j.arrived_at,
                left_at: j.left_at,
                outcome: j.outcome,
                from_previous_m: j.from_previous_m,
            })
            .collect(),
        resolved: d.resolved,
        on_site_minutes: d.on_site_minutes,
        distance_m: d.distance_m,
        checked_in_at: checked_in.as_ref().map(|c| c.at),
        check_in_position: checked_in.and_then(|c| c.position).map(position_out),
    }))
}

/// A check-in: where the phone is, if it says.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    pub position: Option<DayPosition>,
    /// When the technician checked in on the phone, for a check-in sent
    /// later by a phone without network (at most a day ago). The day is
    /// that time's day.
    pub at: Option<DateTime<Utc>>,
}

/// A technician's check-in of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayCheckIn {
    /// The local day (the ISP's time zone).
    pub date: chrono::NaiveDate,
    pub checked_in_at: DateTime<Utc>,
    pub position: Option<DayPosition>,
}

/// Starts my working day as a technician (today, in the ISP's time zone),
/// with where the phone is if it says; the day's distance is counted from
/// there. The body may be left out. Checking in again the same day answers
/// the first check-in (200); the first answers 201. A position off the
/// earth or an accuracy outside 0 to 100 km is a 422 naming `position`.
#[utoipa::path(post, path = "/me/day/check-in", tag = "tickets", request_body = CheckInInput,
    responses(
        (status = 201, body = DayCheckIn, description = "Checked in"),
        (status = 200, body = DayCheckIn, description = "Already checked in today: the first check-in"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn check_in(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(axum::http::StatusCode, axum::Json<DayCheckIn>)> {
    caller.require(Permission::AvailabilityOwn)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(
                "The request body is larger than this server accepts.".to_string(),
            )
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })?;
    let input: CheckInInput = if bytes.iter().all(u8::is_ascii_whitespace) {
        CheckInInput::default()
    } else {
        crate::extract::parse(&bytes)?
    };
    let position = input
        .position
        .map(|p| netcrew_domain::workday::check_in_position(p.lat, p.lng, p.accuracy_m))
        .transpose()?;
    let now = Utc::now();
    let at = netcrew_domain::workday::check_in_time(input.at, now)?;
    let date = today(&state, at);
    let (c, created) = workday::check_in(
        &state.db,
        &person(&caller),
        caller.user.id,
        date,
        position,
        at,
    )
    .await?;
    let status = if created {
        axum::http::StatusCode::CREATED
    } else {
        axum::http::StatusCode::OK
    };
    Ok((
        status,
        axum::Json(DayCheckIn {
            date: c.day,
            checked_in_at: c.at,
            position: c.position.map(position_out),
        }),
    ))
}

/// One of the customer's past tickets at a job's place.
#[derive(Debug, Serialize, ToSchema)]
pub struct PastTicket {
    pub id: Uuid,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The description on one line, shortened.
    pub summary: String,
    /// A documented repair's cause code (the `cause` entry of its checklist).
    pub cause: Option<String>,
    /// A documented repair's resolution code (the `resolution` entry).
    pub resolution: Option<String>,
}

/// A serial-numbered unit installed at the customer's home.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstalledUnit {
    pub asset_id: Uuid,
    pub item_name: String,
    /// The item's kind (`ont`, `router`, ...).
    pub item_kind: String,
    pub serial: String,
    pub mac: Option<String>,
    /// `loaned`, `rented` or `sold`.
    pub terms: Option<String>,
    /// Since when it is there.
    pub since: DateTime<Utc>,
}

/// What a job's card shows of its place.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceHistory {
    /// The customer's other tickets, newest first (at most 10).
    pub tickets: Vec<PastTicket>,
    /// The units installed at the customer's, the latest first.
    pub equipment: Vec<InstalledUnit>,
}

/// The history at a job's place, for staff who may read the ticket (a
/// technician: their own jobs): the customer's other tickets, newest first
/// (at most 10), with the cause and resolution a repair's documentation
/// recorded, and the serial-numbered units installed at the customer's.
#[utoipa::path(get, path = "/tickets/{id}/history", tag = "tickets",
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, body = PlaceHistory),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn place_history(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<PlaceHistory>> {
    staff(&caller)?;
    let (t, _) = visible(&state, &caller, id).await?;
    let h = workday::history(state.db.conn(), &t).await?;
    Ok(axum::Json(PlaceHistory {
        tickets: h
            .tickets
            .into_iter()
            .map(|p| PastTicket {
                id: p.id,
                number: p.number,
                kind: p.kind,
                status: p.status,
                created_at: p.created_at,
                resolved_at: p.resolved_at,
                summary: p.summary,
                cause: p.cause,
                resolution: p.resolution,
            })
            .collect(),
        equipment: h
            .equipment
            .into_iter()
            .map(|u| InstalledUnit {
                asset_id: u.asset_id,
                item_name: u.item_name,
                item_kind: u.item_kind,
                serial: u.serial,
                mac: u.mac,
                terms: u.terms,
                since: u.since,
            })
            .collect(),
    }))
}

/// A completed job waiting for the supervisor's review.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobForReview {
    pub ticket_id: Uuid,
    pub number: String,
    pub kind: String,
    pub customer_name: String,
    pub technician_name: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub checklist: JobChecklist,
}

/// Resolved jobs nobody approved yet, newest first, each with its
/// documentation: the supervisor's review queue.
#[utoipa::path(get, path = "/job-reviews", tag = "tickets",
    responses(
        (status = 200, body = crate::routes::List<JobForReview>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_reviews(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<crate::routes::List<JobForReview>>> {
    caller.require(Permission::JobsApprove)?;
    let scope = crate::routes::tickets::scope(&state, &caller).await?;
    let items = jobs::waiting_review(state.db.conn(), &scope, 100)
        .await?
        .into_iter()
        .map(|r| JobForReview {
            ticket_id: r.ticket.id,
            number: r.ticket.number.clone(),
            kind: r.ticket.kind.clone(),
            customer_name: r.customer_name,
            technician_name: r.technician_name,
            resolved_at: r.ticket.resolved_at,
            version: r.ticket.version,
            checklist: view(r.ticket.id, r.sheet),
        })
        .collect();
    Ok(axum::Json(crate::routes::List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `approved`, or `rework` to send it back.
    pub decision: ReviewDecision,
    /// Required for `rework`: what must be redone (the technician reads it).
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approved,
    Rework,
}

/// Approves a resolved job, or sends it back for rework with a comment:
/// then it is reopened and assigned to its technician again, who is told.
/// Needs `If-Match` (the ticket's version).
#[utoipa::path(post, path = "/tickets/{id}/review", tag = "tickets", request_body = ReviewInput,
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
async fn review_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: axum::http::HeaderMap,
    body: Result<ApiJson<ReviewInput>, ApiError>,
) -> ApiResult<axum::response::Response> {
    caller.require(Permission::JobsApprove)?;
    let scope = crate::routes::tickets::scope(&state, &caller).await?;
    let ApiJson(b) = body?;
    let version = crate::routes::tickets::if_match(&headers)?;
    let decision = match b.decision {
        ReviewDecision::Approved => jobs::Decision::Approved,
        ReviewDecision::Rework => jobs::Decision::Rework,
    };
    let t = jobs::review(
        &state.db,
        &person(&caller),
        &scope,
        netcrew_store::tickets::Versioned { id, version },
        decision,
        &b.comment,
        &state.config.tickets,
        Utc::now(),
    )
    .await?;
    crate::routes::tickets::answer(&state, &caller, t, None).await
}
