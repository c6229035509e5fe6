//! Live updates: the event stream (server-sent events) and the in-app
//! notifications (the bell).

use std::convert::Infallible;

use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, stream};
use netcrew_store::{entity::notification, feed, notifications};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::BroadcastStream;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(events))
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
}

fn to_event(e: &netcrew_store::entity::feed_event::Model) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(if e.kind == "ticket.internal" {
            "ticket.updated"
        } else {
            e.kind.as_str()
        })
        .data(e.data.clone())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Where to resume, for clients that cannot send `Last-Event-ID`.
    pub last_event_id: Option<i64>,
}

/// The live stream of changes the caller may see (server-sent events).
/// Each event's `id` only grows; reconnecting with `Last-Event-ID` (or
/// `?last_event_id=`) replays what was missed, after a restart too. The
/// event name says what changed (`ticket.created`, `ticket.moved`,
/// `ticket.updated`, `ticket.comment`, `ticket.rated`, `outage.declared`,
/// `technician.availability` for leave, the rota or a profile, ...) and
/// the data is JSON naming the record.
#[utoipa::path(get, path = "/events", tag = "live", params(EventQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received")),
    responses(
        (status = 200, description = "An endless `text/event-stream`", content_type = "text/event-stream", body = String),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn events(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let scope = crate::routes::tickets::scope(&state, &caller).await?.feed();
    let header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                ApiError::validation("Last-Event-ID", "format", "an event id (a number)")
            })
        })
        .transpose()?;
    // Subscribe first, then read what was missed: nothing falls between.
    let rx = state.live.subscribe();
    let resume = header.or(query.last_event_id);
    let missed = match resume {
        Some(after) => feed::since(state.db.conn(), after.max(0), &scope, 1000).await?,
        None => Vec::new(),
    };
    let mut seen = match (missed.last(), resume) {
        (Some(last), _) => last.id,
        (None, Some(after)) => after,
        (None, None) => feed::latest(state.db.conn()).await?,
    };
    let replay = stream::iter(missed.iter().map(to_event).map(Ok).collect::<Vec<_>>());
    let live = BroadcastStream::new(rx)
        // A stream that fell too far behind ends; the client reconnects
        // with its last id and catches up from the database.
        .take_while(|r| std::future::ready(r.is_ok()))
        .filter_map(move |r| {
            let out = match r {
                Ok(e) if e.id > seen && scope.sees(&e) => {
                    seen = e.id;
                    Some(Ok(to_event(&e)))
                }
                _ => None,
            };
            std::future::ready(out)
        });
    let stream = replay.chain(live).take_until(state.live.closed());
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// An in-app notification. The app words it in the reader's language from
/// `kind` and `data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// `ticket_created`, `ticket_assigned`, `ticket_status`,
    /// `ticket_comment`, `ticket_rated`, `sla_at_risk`, `sla_breached`,
    /// `outage_declared`, `outage_resolved`.
    pub kind: String,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub outage_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<notification::Model> for Notification {
    fn from(n: notification::Model) -> Self {
        Notification {
            id: n.id,
            kind: n.kind,
            ticket_id: n.ticket_id,
            ticket_number: n.ticket_number,
            outage_id: n.outage_id,
            data: serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null),
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Only unread ones (their `total` is the bell's count).
    pub unread: Option<bool>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "live", params(NotificationQuery),
    responses(
        (status = 200, body = List<Notification>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<NotificationQuery>,
) -> ApiResult<axum::Json<List<Notification>>> {
    let page = notifications::list(
        state.db.conn(),
        caller.user.id,
        query.unread.unwrap_or(false),
        query.limit,
        query.cursor.as_deref(),
    )
    .await??;
    Ok(axum::Json(List::from_page(page, Notification::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The notifications to mark read; absent: all of them.
    pub ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many were unread and are read now.
    pub marked: u64,
}

/// Marks the caller's notifications read (those listed, or all).
#[utoipa::path(post, path = "/notifications/read", tag = "live", request_body = MarkRead,
    responses(
        (status = 200, body = Marked),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<MarkRead>, ApiError>,
) -> ApiResult<axum::Json<Marked>> {
    let ApiJson(b) = body?;
    if b.ids.as_ref().is_some_and(|ids| ids.len() > 500) {
        return Err(ApiError::validation(
            "ids",
            "too_many",
            "at most 500 at once",
        ));
    }
    let marked = notifications::mark_read(
        state.db.conn(),
        caller.user.id,
        b.ids.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(Marked { marked }))
}
