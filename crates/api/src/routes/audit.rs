//! Searching the audit log.

use axum::extract::State;
use chrono::{DateTime, Utc};
use netcrew_domain::access::Permission;
use netcrew_store::audit_log::{self, AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::ApiQuery,
    problem::{ApiResult, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

/// One recorded change or sign-in event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_ip: Option<String>,
    #[schema(example = "user.update")]
    pub action: String,
    #[schema(example = "user")]
    pub entity: String,
    pub entity_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub actor_id: Option<Uuid>,
    /// `user`, `team`, `session`, `api_token`, ...
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// e.g. `auth.login_failed`.
    pub action: Option<String>,
    /// From this time (inclusive), RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
}

/// Searches the audit log, newest first.
#[utoipa::path(get, path = "/audit-events", tag = "audit", params(AuditQuery),
    responses(
        (status = 200, body = List<AuditEvent>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_audit_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<axum::Json<List<AuditEvent>>> {
    caller.require(Permission::AuditRead)?;
    for (field, value) in [
        ("entity", &query.entity),
        ("entity_id", &query.entity_id),
        ("action", &query.action),
    ] {
        crate::routes::check_filter(field, value.as_deref())?;
    }
    let filter = AuditFilter {
        actor_id: query.actor_id,
        entity: query.entity,
        entity_id: query.entity_id,
        action: query.action,
        from: query.from,
        to: query.to,
    };
    let page = audit_log::search(
        state.db.conn(),
        &filter,
        query.limit,
        query.cursor.as_deref(),
    )
    .await??;
    Ok(axum::Json(List::from_page(page, AuditEvent::from)))
}

impl From<AuditEntry> for AuditEvent {
    fn from(AuditEntry { event, actor_name }: AuditEntry) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEvent {
            actor_name,
            id: event.id,
            at: event.at,
            actor_id: event.actor_id,
            actor_ip: event.actor_ip,
            action: event.action,
            entity: event.entity,
            entity_id: event.entity_id,
            before: parse(event.before),
            after: parse(event.after),
        }
    }
}
