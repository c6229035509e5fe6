//! Sessions, sign-in attempts, password links and API token look-ups.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use netcrew_domain::access::SessionPolicy;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::{api_token, login_attempt, password_reset, session, user};

/// A fresh 256-bit random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored instead of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Finds an account by e-mail (case-insensitive) or normalised phone.
pub async fn find_user_by_login<C: ConnectionTrait>(
    db: &C,
    login_key: &str,
) -> Result<Option<user::Model>, DbErr> {
    let column = if login_key.starts_with('+') {
        user::Column::Phone
    } else {
        user::Column::Email
    };
    user::Entity::find()
        .filter(column.eq(login_key))
        .one(db)
        .await
}

pub struct NewSession {
    pub token: String,
    pub session: session::Model,
}

pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    policy: SessionPolicy,
    ip: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<NewSession, DbErr> {
    let token = new_token();
    let absolute = Duration::from_std(policy.absolute).unwrap_or(Duration::hours(12));
    let model = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(new_token()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + absolute),
        idle_timeout_secs: Set(policy.idle.as_secs() as i64),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(300).collect())),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(NewSession {
        token,
        session: model,
    })
}

/// Whether a session may still be used at `now`.
pub fn session_is_live(s: &session::Model, now: DateTime<Utc>) -> bool {
    s.revoked_at.is_none()
        && now < s.expires_at
        && now < s.last_seen_at + Duration::seconds(s.idle_timeout_secs)
}

/// The live session for a cookie token, with its (active) user.
pub async fn find_live_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !session_is_live(&s, now) {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else {
        return Ok(None);
    };
    if !u.active {
        return Ok(None);
    }
    Ok(Some((s, u)))
}

/// Records use of a session (at most once a minute, to spare the database).
pub async fn touch_session<C: ConnectionTrait>(
    db: &C,
    s: &session::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if now - s.last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn list_live_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<session::Model>, DbErr> {
    let all = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await?;
    Ok(all
        .into_iter()
        .filter(|s| session_is_live(s, now))
        .collect())
}

/// Ends sessions of a user: one (`only`), or all but one (`except`), or all.
/// Returns how many were ended.
pub async fn revoke_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    only: Option<Uuid>,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut query = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(id) = only {
        query = query.filter(session::Column::Id.eq(id));
    }
    if let Some(id) = except {
        query = query.filter(session::Column::Id.ne(id));
    }
    Ok(query.exec(db).await?.rows_affected)
}

pub async fn record_login_attempt<C: ConnectionTrait>(
    db: &C,
    login_key: &str,
    ip: &str,
    success: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(now),
        login_key: Set(login_key.chars().take(200).collect()),
        ip: Set(ip.to_string()),
        success: Set(success),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Issues a single-use password link for an account (earlier unused links
/// stop working) and returns the token, which is stored only hashed.
pub async fn issue_password_link<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    created_by: Option<Uuid>,
    valid_for: Duration,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), DbErr> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(user_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = new_token();
    let expires_at = now + valid_for;
    password_reset::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        token_hash: Set(token_hash(&token)),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, expires_at))
}

/// The password a new or reset account has until its link is used: no
/// password verifies against it.
pub const NO_PASSWORD_YET: &str = "!reset-required";

/// The live API token for a bearer value, with its creator (who must still
/// be an active account).
pub async fn find_live_api_token<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(api_token::Model, user::Model)>, DbErr> {
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(t.created_by).one(db).await? else {
        return Ok(None);
    };
    Ok(u.active.then_some((t, u)))
}

pub async fn touch_api_token<C: ConnectionTrait>(
    db: &C,
    t: &api_token::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if t.last_used_at
        .is_none_or(|at| now - at > Duration::seconds(60))
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(db)
            .await?;
    }
    Ok(())
}
