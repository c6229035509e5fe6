//! API tokens for integrations (billing systems, monitoring, scripts).
//! A token is shown once, stored hashed, limited to its scopes, and acts
//! for the admin who created it.

use axum::{extract::State, http::StatusCode, response::Response};
use chrono::{DateTime, Utc};
use netcrew_domain::access::Permission;
use netcrew_store::{
    entity::api_token,
    tokens::{self, NewToken},
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
    routes::{List, created},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

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
    let items: Vec<ApiToken> = tokens::list(state.db.conn())
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
    let new = NewToken {
        name: body.name,
        scopes: body.scopes,
        expires_at: body.expires_at,
    };
    let made = tokens::create(
        &state.db,
        &caller.actor(),
        caller.user.id,
        caller.role,
        new,
        Utc::now(),
    )
    .await
    .map_err(|e| match e {
        netcrew_store::Error::Invalid(invalid) => ApiError::Validation {
            detail: "Some fields are not valid.".to_string(),
            errors: invalid.0,
        },
        other => other.into(),
    })?;
    Ok(created(
        format!("/api/v1/api-tokens/{}", made.token.id),
        CreatedApiToken {
            api_token: to_api(made.token),
            token: made.secret,
        },
    ))
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
    tokens::revoke(&state.db, &caller.actor(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
