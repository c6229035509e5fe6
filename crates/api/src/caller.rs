//! Who is calling: the session cookie, checked against the server-side
//! session store, with CSRF protection for cookie-authenticated writes.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, Method, request::Parts},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use netcrew_domain::{
    Role,
    access::{Permission, allows},
};
use netcrew_store::{
    audit_log,
    entity::{session, user},
    sessions,
};

use crate::{AppState, problem::ApiError};

pub const SESSION_COOKIE: &str = "nc_session";
pub const SECURE_SESSION_COOKIE: &str = "__Host-nc_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in caller of a request: a person with a session cookie, or an
/// integration with an API token (which acts for the admin who created it,
/// limited to the token's scopes).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: user::Model,
    pub role: Role,
    session: Option<session::Model>,
    pub token_scopes: Option<Vec<Permission>>,
    pub ip: String,
}

impl Caller {
    /// The session, for what only a person signed in with the web app may do.
    pub fn session(&self) -> Result<&session::Model, ApiError> {
        self.session.as_ref().ok_or_else(|| {
            ApiError::Forbidden("This needs a signed-in session, not an API token.".to_string())
        })
    }

    /// Whether the caller holds `permission` (and their token's scope
    /// allows it).
    pub fn can(&self, permission: Permission) -> bool {
        self.require(permission).is_ok()
    }

    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        let scoped = self
            .token_scopes
            .as_ref()
            .is_none_or(|scopes| scopes.contains(&permission));
        if allows(self.role, permission) && scoped {
            Ok(())
        } else {
            tracing::info!(user = %self.user.id, permission = permission.as_str(), "access refused");
            Err(ApiError::Forbidden(format!(
                "Your role ({}) may not do this ({}).",
                self.role,
                permission.as_str()
            )))
        }
    }
}

/// The address of the client.
pub fn client_ip(parts: &Parts) -> String {
    client_ip_from(parts.extensions.get::<ConnectInfo<SocketAddr>>())
}

/// The client's address as an extractor.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

fn client_ip_from(connect: Option<&ConnectInfo<SocketAddr>>) -> String {
    connect
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Whether the client reached us over TLS (directly or through a proxy that
/// says so); cookies are then `Secure` and `__Host-` prefixed.
pub fn is_secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn session_token(jar: &CookieJar) -> Option<String> {
    jar.get(SECURE_SESSION_COOKIE)
        .or_else(|| jar.get(SESSION_COOKIE))
        .map(|c| c.value().to_string())
}

pub fn session_cookie(token: String, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    let name = if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    };
    Cookie::build((name, token))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    session_cookie(String::new(), 0, secure)
}

/// What an admin may still do before setting up a required second factor.
fn allowed_before_totp(parts: &Parts) -> bool {
    // Inside the nested `/api/v1` router the URI has lost its prefix.
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| parts.uri.path().to_string());
    let path = path.as_str();
    matches!(
        path,
        "/api/v1/me" | "/api/v1/me/password" | "/api/v1/auth/logout"
    ) || path.starts_with("/api/v1/me/totp")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(bearer) = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            return from_api_token(parts, state, bearer).await;
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = session_token(&jar) else {
            return Err(ApiError::Unauthenticated("Please sign in.".to_string()));
        };
        let now = chrono::Utc::now();
        let Some((session, user)) =
            sessions::find_live_session(state.db.conn(), &token, now).await?
        else {
            return Err(ApiError::Unauthenticated(
                "Your session has ended. Please sign in again.".to_string(),
            ));
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if !constant_time_eq(sent, session.csrf_token.as_bytes()) {
                return Err(ApiError::Csrf(format!(
                    "Send the csrf_token from GET /api/v1/me in the {CSRF_HEADER} header."
                )));
            }
        }
        let role: Role = user
            .role
            .parse()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("user {}: {e}", user.id)))?;
        if role == Role::Admin
            && state.config.require_admin_totp
            && user.totp_enabled_at.is_none()
            && !allowed_before_totp(parts)
        {
            return Err(ApiError::TotpSetupRequired);
        }
        sessions::touch_session(state.db.conn(), &session, now).await?;
        Ok(Caller {
            ip: client_ip(parts),
            user,
            role,
            session: Some(session),
            token_scopes: None,
        })
    }
}

async fn from_api_token(parts: &Parts, state: &AppState, header: &str) -> Result<Caller, ApiError> {
    let refused =
        || ApiError::Unauthenticated("The API token is not valid, expired or revoked.".to_string());
    let token = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthenticated("Use `Authorization: Bearer <token>`.".to_string())
        })?;
    let now = chrono::Utc::now();
    let Some((found, user)) = sessions::find_live_api_token(state.db.conn(), token, now).await?
    else {
        tracing::info!(ip = %client_ip(parts), "API token refused");
        return Err(refused());
    };
    let role: Role = user
        .role
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("user {}: {e}", user.id)))?;
    let scopes = found
        .scopes
        .split_whitespace()
        .filter_map(Permission::parse)
        .collect();
    sessions::touch_api_token(state.db.conn(), &found, now).await?;
    Ok(Caller {
        ip: client_ip(parts),
        user,
        role,
        session: None,
        token_scopes: Some(scopes),
    })
}

impl Caller {
    /// Who this caller is, for the audit log.
    pub fn actor(&self) -> netcrew_store::audit_log::Actor {
        netcrew_store::audit_log::Actor {
            user_id: Some(self.user.id),
            ip: Some(self.ip.clone()),
        }
    }

    /// Appends an audit entry for a change this caller makes; call it inside
    /// the transaction of the change.
    pub async fn audit(
        &self,
        txn: &netcrew_store::WriteTx,
        action: &'static str,
        entity: &'static str,
        entity_id: Option<String>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), ApiError> {
        audit_log::audit(
            &**txn,
            audit_log::Audit {
                actor_id: Some(self.user.id),
                actor_ip: Some(self.ip.clone()),
                action,
                entity,
                entity_id,
                before,
                after,
            },
            chrono::Utc::now(),
        )
        .await?;
        Ok(())
    }

    /// Appends an audit entry for something this caller saw or did that
    /// changes no record (e.g. exporting a customer's personal data).
    pub async fn audit_now(
        &self,
        state: &AppState,
        action: &'static str,
        entity: &'static str,
        entity_id: Option<String>,
    ) -> Result<(), ApiError> {
        let txn = state.db.begin_write().await?;
        self.audit(&txn, action, entity, entity_id, None, None)
            .await?;
        txn.commit().await?;
        Ok(())
    }
}
