//! API tokens for integrations (billing systems, monitoring, scripts).
//! A token is shown once, stored hashed, limited to its scopes, and acts
//! for the admin who created it.

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use netcrew_domain::access::{Permission, allows};
use netcrew_store::{
    auth,
    entity::api_token,
    sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    auth::Caller,
    extract::{ApiJson, ApiPath},
    problem::{ApiError, ApiResult, FieldError, Problem},
    routes::List,
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

pub const TOKEN_PREFIX: &str = "nct_";

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    #[schema(example = "Billing sync")]
    pub name: String,
    #[schema(example = json!(["users.read"]))]
    pub scopes: Vec<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new token: the secret is in `token`, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub api_token: ApiToken,
    /// Send as `Authorization: Bearer <token>`. It cannot be shown again.
    pub token: String,
}

fn to_api(t: api_token::Model) -> ApiToken {
    ApiToken {
        id: t.id,
        name: t.name,
        scopes: t.scopes.split_whitespace().map(str::to_string).collect(),
        created_by: t.created_by,
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

/// Lists API tokens, newest first (secrets are never shown again).
#[utoipa::path(get, path = "/api-tokens", tag = "api-tokens",
    responses(
        (status = 200, body = List<ApiToken>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<ApiToken>>> {
    caller.require(Permission::ApiTokensManage)?;
    let items: Vec<ApiToken> = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(to_api)
        .collect();
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    pub name: String,
    /// Permission names, e.g. `users.read`.
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates an API token; its secret is in the answer, once.
#[utoipa::path(post, path = "/api-tokens", tag = "api-tokens", request_body = NewApiToken,
    responses(
        (status = 201, body = CreatedApiToken),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<NewApiToken>, ApiError>,
) -> ApiResult<Response> {
    caller.require(Permission::ApiTokensManage)?;
    let ApiJson(body) = body?;
    // Tokens cannot mint tokens: a leaked one must not outlive its revocation.
    caller.session()?;
    let mut c = crate::routes::Checks::default();
    let name = c.text("name", &body.name, 80);
    let mut errors = c.errors;
    let mut scopes = Vec::new();
    for scope in &body.scopes {
        match Permission::parse(scope) {
            Some(p) if allows(caller.role, p) => scopes.push(p.as_str()),
            Some(_) => errors.push(FieldError::new(
                "scopes",
                "choice",
                format!("{scope}: you do not have this permission yourself"),
            )),
            None => errors.push(FieldError::new(
                "scopes",
                "unknown",
                format!("{scope}: no such permission"),
            )),
        }
    }
    if body.scopes.is_empty() {
        errors.push(FieldError::new(
            "scopes",
            "choice",
            "choose at least one permission",
        ));
    }
    let now = Utc::now();
    if body.expires_at.is_some_and(|e| e <= now) {
        errors.push(FieldError::new(
            "expires_at",
            "date_past",
            "must be in the future",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            detail: "Some fields are not valid.".to_string(),
            errors,
        });
    }
    scopes.sort_unstable();
    scopes.dedup();
    let secret = format!("{TOKEN_PREFIX}{}", auth::new_token());
    let id = Uuid::now_v7();
    let txn = state.db.begin_write().await?;
    let created = api_token::ActiveModel {
        id: Set(id),
        name: Set(name),
        token_hash: Set(auth::token_hash(&secret)),
        scopes: Set(scopes.join(" ")),
        created_by: Set(caller.user.id),
        created_at: Set(now),
        expires_at: Set(body.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    caller.audit(&txn, "api_token.create", "api_token", Some(id.to_string()), None, Some(serde_json::json!({ "name": created.name, "scopes": created.scopes, "expires_at": created.expires_at })))
    .await?;
    txn.commit().await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(CreatedApiToken {
            api_token: to_api(created),
            token: secret,
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/api-tokens/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Revokes an API token at once.
#[utoipa::path(delete, path = "/api-tokens/{id}", tag = "api-tokens",
    params(("id" = Uuid, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::ApiTokensManage)?;
    let current = api_token::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such API token.".to_string()))?;
    if current.revoked_at.is_some() {
        return Ok(StatusCode::NO_CONTENT);
    }
    let now = Utc::now();
    let txn = state.db.begin_write().await?;
    let mut model: api_token::ActiveModel = current.into();
    model.revoked_at = Set(Some(now));
    model.update(&*txn).await?;
    caller
        .audit(
            &txn,
            "api_token.revoke",
            "api_token",
            Some(id.to_string()),
            None,
            None,
        )
        .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
