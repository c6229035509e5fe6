//! Searching the audit log.

use axum::extract::State;
use chrono::{DateTime, Utc};
use netcrew_domain::access::Permission;
use netcrew_store::{
    entity::{audit_event, user},
    page::newest_first,
    sea_orm::{ColumnTrait, EntityTrait, QueryFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::ApiQuery,
    problem::{ApiError, ApiResult, Problem},
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
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from >= to
    {
        return Err(ApiError::validation("to", "range", "must be after from"));
    }
    let mut select = audit_event::Entity::find();
    if let Some(actor) = query.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(entity) = &query.entity {
        select = select.filter(audit_event::Column::Entity.eq(entity.as_str()));
    }
    if let Some(entity_id) = &query.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(entity_id.as_str()));
    }
    if let Some(action) = &query.action {
        select = select.filter(audit_event::Column::Action.eq(action.as_str()));
    }
    if let Some(from) = query.from {
        select = select.filter(audit_event::Column::At.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(audit_event::Column::At.lt(to));
    }
    let page = newest_first(
        state.db.conn(),
        select,
        audit_event::Column::Id,
        query.limit,
        query.cursor.as_deref(),
        |r| r.id,
    )
    .await??;
    let actor_ids: Vec<Uuid> = page.items.iter().filter_map(|r| r.actor_id).collect();
    let names: std::collections::HashMap<Uuid, String> = if actor_ids.is_empty() {
        Default::default()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(state.db.conn())
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(axum::Json(List::from_page(page, |r| AuditEvent {
        actor_name: r.actor_id.and_then(|a| names.get(&a).cloned()),
        id: r.id,
        at: r.at,
        actor_id: r.actor_id,
        actor_ip: r.actor_ip,
        action: r.action,
        entity: r.entity,
        entity_id: r.entity_id,
        before: parse(r.before),
        after: parse(r.after),
    })))
}
