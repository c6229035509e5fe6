//! API tokens for integrations (billing systems, monitoring, scripts). A
//! token is shown once, stored only as a hash, limited to its scopes, and
//! acts for the admin who created it.

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, Role,
    tokens::{self as rules, TOKEN_PREFIX},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    entity::api_token,
    records, sessions,
};

/// A token asked for.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    /// Permission names, e.g. `users.read`.
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new token and its secret, which is not stored and cannot be shown
/// again.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub token: api_token::Model,
    pub secret: String,
}

/// Creates a token for `creator` (whose role bounds its scopes), with its
/// audit entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    creator: Uuid,
    role: Role,
    new: NewToken,
    now: DateTime<Utc>,
) -> Result<CreatedToken, Error> {
    let mut c = Checks::default();
    let name = c.text("name", &new.name, rules::NAME_MAX);
    let scopes = rules::scopes(&mut c, "scopes", role, &new.scopes);
    rules::expiry(&mut c, "expires_at", new.expires_at, now);
    c.finish()?;
    let secret = format!("{TOKEN_PREFIX}{}", sessions::new_token());
    let scopes: Vec<&str> = scopes.iter().map(|p| p.as_str()).collect();
    let record = api_token::Model {
        id: Uuid::now_v7(),
        name,
        token_hash: sessions::token_hash(&secret),
        scopes: scopes.join(" "),
        created_by: creator,
        created_at: now,
        expires_at: new.expires_at,
        last_used_at: None,
        revoked_at: None,
    };
    let txn = db.begin_write().await?;
    let token = records::store::<api_token::ActiveModel, _>(&*txn, true, record).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "api_token.create",
            entity: "api_token",
            entity_id: Some(token.id.to_string()),
            before: None,
            after: Some(json!({
                "name": token.name, "scopes": token.scopes, "expires_at": token.expires_at,
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedToken { token, secret })
}

/// Revokes a token at once (a revoked one stays revoked as it was).
pub async fn revoke(db: &Db, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> Result<(), Error> {
    let current = api_token::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .ok_or_else(|| Error::NotFound("No such API token.".to_string()))?;
    if current.revoked_at.is_some() {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&*txn)
        .await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "api_token.revoke",
            entity: "api_token",
            entity_id: Some(id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every token, newest first.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
}
