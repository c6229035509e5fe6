//! Booking windows: which half-day windows of an area still have room for a
//! job, for self-registration, the portal and the desk. Anybody may ask
//! (registration happens before an account exists); staff also see the
//! minutes behind each answer.

use axum::extract::State;
use chrono::{Duration, NaiveDate, Utc};
use netcrew_domain::{Checks, InstallWindow, Role, schedule::local_date};
use netcrew_store::{
    catalog, dispatching,
    dispatching::{MAX_BOOKING_DAYS, RoomQuery},
    plant,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(booking_windows))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookingQuery {
    /// The kind of job to fit (default: the installation service type).
    pub service_type_id: Option<Uuid>,
    /// The first day, `YYYY-MM-DD` (default: today in the ISP's zone).
    #[param(example = "2026-12-01")]
    pub from: Option<String>,
    /// How many days, 1–62 (default 14).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 62)]
    pub days: Option<String>,
    /// Staff only: a ticket being moved, whose own booking is left out.
    pub except_ticket_id: Option<Uuid>,
}

/// The minutes behind a window's answer (shown to staff only).
#[derive(Debug, Serialize, ToSchema)]
pub struct WindowRoomDetail {
    /// Technicians (a crew counts once) with working time in the window.
    pub units: u32,
    pub total_minutes: u32,
    pub booked_minutes: u32,
    pub free_minutes: u32,
    /// Jobs of this kind that still fit.
    pub free_jobs: u32,
}

/// One window of one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingWindow {
    pub window: InstallWindow,
    /// Whether a job of this kind can still be booked here.
    pub has_room: bool,
    /// False once the window has ended.
    pub open: bool,
    /// Staff only.
    pub room: Option<WindowRoomDetail>,
}

/// The windows of one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingDay {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub windows: Vec<BookingWindow>,
}

/// The room in an area's booking windows.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingWindows {
    pub area_id: Uuid,
    pub service_type_id: Uuid,
    /// The expected length of the job, which a window must hold.
    pub job_minutes: u16,
    pub days: Vec<BookingDay>,
}

/// The booking windows of an area with the room each still has for a job:
/// capacity from the technicians on shift there (leave, days off and the
/// ISP's calendar taken into account; a crew counts once) minus the jobs
/// already booked. A booking into a window without room is refused with a
/// `window_full` field problem naming the next window with room.
#[utoipa::path(get, path = "/areas/{id}/booking-windows", tag = "dispatch",
    params(("id" = Uuid, Path, description = "Area id"), BookingQuery),
    responses(
        (status = 200, body = BookingWindows),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn booking_windows(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<BookingQuery>,
) -> ApiResult<axum::Json<BookingWindows>> {
    let staff = caller.as_ref().is_ok_and(|c| c.role != Role::Customer);
    let now = Utc::now();
    let zone = state.config.zone;
    let mut c = Checks::default();
    let from = match query.from.as_deref().map(str::trim) {
        None | Some("") => local_date(now, zone),
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if d < local_date(now, zone) => {
                c.fail("from", "date_past", "a day from today on");
                d
            }
            Ok(d) if d > local_date(now, zone) + Duration::days(366) => {
                c.fail("from", "date_far", "a day within a year");
                d
            }
            Ok(d) => d,
            Err(_) => {
                c.fail("from", "date_format", "a date as YYYY-MM-DD");
                local_date(now, zone)
            }
        },
    };
    let days = match query.days.as_deref().map(str::trim) {
        None | Some("") => 14,
        Some(text) => match text.parse::<u16>() {
            Ok(n) if (1..=MAX_BOOKING_DAYS).contains(&n) => n,
            _ => {
                c.push(
                    netcrew_domain::FieldError::new("days", "range", "from 1 to 62 days")
                        .with("min", 1)
                        .with("max", MAX_BOOKING_DAYS),
                );
                14
            }
        },
    };
    if query.except_ticket_id.is_some() && !staff {
        c.fail(
            "except_ticket_id",
            "invalid",
            "only staff may leave a ticket out",
        );
    }
    let db = state.db.conn();
    let st = match query.service_type_id {
        Some(st) => match catalog::service_type(db, st).await {
            Ok(st) => Some(st),
            Err(netcrew_store::Error::NotFound(_)) => {
                c.fail("service_type_id", "unknown", "no such service type");
                None
            }
            Err(e) => return Err(e.into()),
        },
        None => catalog::service_types(db)
            .await?
            .into_iter()
            .find(|s| s.code == "installation"),
    };
    c.finish()?;
    let area = plant::area(db, id).await?;
    let st = st.ok_or_else(|| {
        ApiError::validation(
            "service_type_id",
            "required",
            "there is no installation service type; name one",
        )
    })?;
    let q = RoomQuery {
        area_id: area.id,
        job_minutes: dispatching::job_minutes(&st),
        from,
        days,
        except: query.except_ticket_id.filter(|_| staff),
    };
    let rooms = dispatching::rooms(db, q, zone, now).await?;
    Ok(axum::Json(BookingWindows {
        area_id: area.id,
        service_type_id: st.id,
        job_minutes: q.job_minutes,
        days: rooms
            .into_iter()
            .map(|d| BookingDay {
                date: d.date,
                windows: d
                    .windows
                    .into_iter()
                    .map(|w| BookingWindow {
                        window: w.window,
                        has_room: w.capacity.has_room,
                        open: w.open,
                        room: staff.then_some(WindowRoomDetail {
                            units: w.capacity.units,
                            total_minutes: w.capacity.total_minutes,
                            booked_minutes: w.capacity.booked_minutes,
                            free_minutes: w.capacity.free_minutes,
                            free_jobs: w.capacity.free_jobs,
                        }),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
