//! Customers' accounts on the portal, opened by CS for a customer they
//! registered.

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{CustomerStatus, FieldError, Invalid, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    entity::{customer, user},
    sessions,
};

/// How long an invitation link to a new portal account stays valid.
pub const INVITE_VALID_HOURS: i64 = 72;

/// The customer's portal account, if they have one.
pub async fn account<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::CustomerId.eq(customer_id))
        .one(db)
        .await
}

/// An invitation: the single-use link's token and when it expires.
pub struct Invitation {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Opens a portal account that signs in with the customer's phone number
/// and gives a single-use link for them to choose a password. The e-mail
/// goes along only when no other account uses it.
pub async fn open(
    db: &Db,
    actor: &Actor,
    found: &customer::Model,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, Error> {
    let conn = db.conn();
    if account(conn, found.id).await?.is_some() {
        return Err(Error::Conflict(
            "This customer already has a portal account.".to_string(),
        ));
    }
    if found.status() == CustomerStatus::Terminated {
        return Err(Error::Conflict(
            "This customer has left; a portal account is for current customers.".to_string(),
        ));
    }
    let with = |column: user::Column, value: &str| {
        user::Entity::find()
            .filter(column.eq(value.to_string()))
            .one(conn)
    };
    if with(user::Column::Phone, &found.phone).await?.is_some() {
        return Err(Invalid::one(FieldError::new(
            "phone",
            "taken",
            "another account signs in with this phone number",
        ))
        .into());
    }
    let email = match &found.email {
        Some(e) if with(user::Column::Email, e).await?.is_none() => Some(e.clone()),
        _ => None,
    };
    let txn = db.begin_write().await?;
    let created = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(found.name.clone()),
        email: Set(email),
        phone: Set(Some(found.phone.clone())),
        role: Set(Role::Customer.as_str().to_string()),
        password_hash: Set(sessions::NO_PASSWORD_YET.to_string()),
        locale: Set(locale.to_string()),
        active: Set(true),
        customer_id: Set(Some(found.id)),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let (token, expires_at) = sessions::issue_password_link(
        &*txn,
        created.id,
        actor.user_id,
        Duration::hours(INVITE_VALID_HOURS),
        now,
    )
    .await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "customer.portal_invite",
            entity: "customer",
            entity_id: Some(found.id.to_string()),
            before: None,
            after: Some(json!({ "account_id": created.id, "expires_at": expires_at })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Invitation { token, expires_at })
}
