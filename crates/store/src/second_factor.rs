//! The optional second factor of staff accounts (TOTP) and its single-use
//! recovery codes: what is stored of them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    Db,
    audit_log::{self, Actor, Audit},
    entity::{recovery_code, user},
    sessions,
};

/// Keeps the secret of a set-up that is not confirmed yet.
pub async fn start(db: &Db, me: &user::Model, secret: &str) -> Result<(), DbErr> {
    let mut model: user::ActiveModel = me.clone().into();
    model.totp_secret = Set(Some(secret.to_string()));
    model.update(db.conn()).await?;
    Ok(())
}

/// The stored form of a recovery code as a person types it
/// (`abcde-12345`, any case, with or without the dash).
pub fn recovery_hash(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    sessions::token_hash(&normalised)
}

async fn audited(
    txn: &crate::WriteTx,
    actor: &Actor,
    action: &'static str,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::audit(
        &**txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action,
            entity: "user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await
}

/// Turns the second factor on, replacing any recovery codes with `codes`.
pub async fn enable(
    db: &Db,
    actor: &Actor,
    me: &user::Model,
    codes: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(me.id))
        .exec(&*txn)
        .await?;
    recovery_code::Entity::insert_many(codes.iter().map(|c| recovery_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(me.id),
        code_hash: Set(recovery_hash(c)),
        used_at: Set(None),
    }))
    .exec(&*txn)
    .await?;
    let mut model: user::ActiveModel = me.clone().into();
    model.totp_enabled_at = Set(Some(now));
    model.update(&*txn).await?;
    audited(&txn, actor, "user.totp_enable", me.id, now).await?;
    txn.commit().await
}

/// Turns the second factor off and forgets its recovery codes.
pub async fn disable(
    db: &Db,
    actor: &Actor,
    me: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(me.id))
        .exec(&*txn)
        .await?;
    let mut model: user::ActiveModel = me.clone().into();
    model.totp_secret = Set(None);
    model.totp_enabled_at = Set(None);
    model.update(&*txn).await?;
    audited(&txn, actor, "user.totp_disable", me.id, now).await?;
    txn.commit().await
}

/// Uses up one recovery code if it is one of the account's unused codes
/// (one conditional update: two uses at once cannot both succeed).
pub async fn consume_recovery_code<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(recovery_hash(code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(used == 1)
}
