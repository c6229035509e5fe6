//! Customers signing in with a one-time code sent by WhatsApp instead of a
//! password. Only a customer's active portal account gets one, only while
//! the WhatsApp channel is on; the code is six digits, works once for
//! [`CODE_MINUTES`], at most [`TRIES`] wrong codes may be typed against
//! it, a new one replaces the old, and at most [`PER_WINDOW`] are sent per
//! account in [`WINDOW_MINUTES`]. Only the code's hash is stored.

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{
    Role,
    messages::{self, MessageEvent},
};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    entity::{sign_in_code, user},
    outbox, sessions,
};

/// How long a code works.
pub const CODE_MINUTES: i64 = 5;
/// Wrong codes that may be typed against one code.
pub const TRIES: i32 = 5;
/// Codes sent per account in [`WINDOW_MINUTES`].
pub const PER_WINDOW: u64 = 3;
pub const WINDOW_MINUTES: i64 = 15;

fn code_hash(user: Uuid, code: &str) -> String {
    sessions::token_hash(&format!("{user}:{code}"))
}

/// The active customer account signed in with `phone` (E.164).
async fn customer_by_phone(db: &Db, phone: &str) -> Result<Option<user::Model>, Error> {
    Ok(sessions::find_user_by_login(db.conn(), phone)
        .await?
        .filter(|u| u.active && u.role == Role::Customer.as_str()))
}

/// Sends a sign-in code to `phone` when it is an active customer account's
/// and WhatsApp is on. What happened is not told (an unknown number looks
/// the same), only audited.
pub async fn send(db: &Db, phone: &str, ip: &str, now: DateTime<Utc>) -> Result<(), Error> {
    let Some(u) = customer_by_phone(db, phone).await? else {
        return Ok(());
    };
    let recent = sign_in_code::Entity::find()
        .filter(sign_in_code::Column::UserId.eq(u.id))
        .filter(sign_in_code::Column::CreatedAt.gt(now - Duration::minutes(WINDOW_MINUTES)))
        .count(db.conn())
        .await?;
    if recent >= PER_WINDOW {
        return Ok(());
    }
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
    let id = Uuid::now_v7();
    let txn = db.begin_write().await?;
    // A new code replaces any earlier one.
    sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sign_in_code::Column::UserId.eq(u.id))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .exec(&*txn)
        .await?;
    sign_in_code::ActiveModel {
        id: Set(id),
        user_id: Set(u.id),
        code_hash: Set(code_hash(u.id, &code)),
        tries: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CODE_MINUTES)),
        used_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    let ch = outbox::channel(&*txn).await?;
    let locale = if u.locale == "en" { "en" } else { "id" };
    let (source, _) = outbox::template(&*txn, MessageEvent::SignInCode, locale).await?;
    let vars =
        serde_json::json!({"code": code, "minutes": CODE_MINUTES, "isp": ch.config.sender_name});
    let text = messages::render(&source, &vars).unwrap_or_default();
    let queued = outbox::to_person(
        &*txn,
        phone,
        "sign_in_code",
        locale,
        &text,
        format!("sign_in_code:{id}"),
        now,
    )
    .await?;
    if !queued {
        // WhatsApp is off: no code nobody would get.
        return Ok(());
    }
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(u.id),
            actor_ip: Some(ip.to_string()),
            action: "auth.code_sent",
            entity: "user",
            entity_id: Some(u.id.to_string()),
            before: None,
            after: Some(json!({ "expires_at": now + Duration::minutes(CODE_MINUTES) })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The customer account `code` signs in, using the code up; `None` for a
/// wrong, used, expired or worn-out code (a wrong one counts a try).
pub async fn redeem(
    db: &Db,
    phone: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<user::Model>, Error> {
    let Some(u) = customer_by_phone(db, phone).await? else {
        return Ok(None);
    };
    let txn = db.begin_write().await?;
    let Some(current) = sign_in_code::Entity::find()
        .filter(sign_in_code::Column::UserId.eq(u.id))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .filter(sign_in_code::Column::ExpiresAt.gt(now))
        .order_by_desc(sign_in_code::Column::CreatedAt)
        .one(&*txn)
        .await?
    else {
        return Ok(None);
    };
    if current.tries >= TRIES {
        return Ok(None);
    }
    let right = current.code_hash == code_hash(u.id, code.trim());
    // Conditional updates: two attempts at once cannot both use the code,
    // nor both count as one try.
    let changed = if right {
        sign_in_code::Entity::update_many()
            .col_expr(sign_in_code::Column::UsedAt, Expr::value(now))
            .filter(sign_in_code::Column::Id.eq(current.id))
            .filter(sign_in_code::Column::UsedAt.is_null())
            .exec(&*txn)
            .await?
    } else {
        sign_in_code::Entity::update_many()
            .col_expr(
                sign_in_code::Column::Tries,
                Expr::col(sign_in_code::Column::Tries).add(1),
            )
            .filter(sign_in_code::Column::Id.eq(current.id))
            .filter(sign_in_code::Column::Tries.lt(TRIES))
            .exec(&*txn)
            .await?
    };
    txn.commit().await?;
    Ok((right && changed.rows_affected == 1).then_some(u))
}
