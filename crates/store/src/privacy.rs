//! Personal data (UU PDP): everything held about one customer, for handing
//! to them; and erasure at their request, keeping only what the ISP must
//! keep (the customer number, area, package, dates and the fact that the
//! record existed and was erased).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    Db,
    audit_log::{self, Audit},
    entity::{audit_event, customer, login_attempt, rate_counter, session, user},
    sessions::NO_PASSWORD_YET,
};

/// Everything held about one customer.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub customer: customer::Model,
    /// The portal account signing in for them, if any.
    pub account: Option<user::Model>,
    /// The changes to their record and account, oldest first.
    pub history: Vec<audit_event::Model>,
    /// The WhatsApp messages sent to them, oldest first.
    pub messages_sent: Vec<crate::entity::outbox_message::Model>,
    /// The WhatsApp messages they sent, oldest first.
    pub messages_received: Vec<crate::entity::inbound_message::Model>,
}

pub async fn personal_data(db: &Db, customer_id: Uuid) -> Result<Option<PersonalData>, DbErr> {
    let conn = db.conn();
    let Some(customer) = customer::Entity::find_by_id(customer_id).one(conn).await? else {
        return Ok(None);
    };
    let account = user::Entity::find()
        .filter(user::Column::CustomerId.eq(customer_id))
        .one(conn)
        .await?;
    let mut ids = vec![customer_id.to_string()];
    if let Some(a) = &account {
        ids.push(a.id.to_string());
    }
    let history = audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.is_in(ids))
        .order_by_asc(audit_event::Column::At)
        .order_by_asc(audit_event::Column::Id)
        .all(conn)
        .await?;
    use crate::entity::{inbound_message, outbox_message};
    let messages_sent = outbox_message::Entity::find()
        .filter(outbox_message::Column::CustomerId.eq(customer_id))
        .order_by_asc(outbox_message::Column::CreatedAt)
        .all(conn)
        .await?;
    let messages_received = inbound_message::Entity::find()
        .filter(inbound_message::Column::CustomerId.eq(customer_id))
        .order_by_asc(inbound_message::Column::ReceivedAt)
        .all(conn)
        .await?;
    Ok(Some(PersonalData {
        customer,
        account,
        history,
        messages_sent,
        messages_received,
    }))
}

/// Everything held about one customer, for handing to them; the handing
/// out is audited.
pub async fn export(
    db: &Db,
    actor: &audit_log::Actor,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<PersonalData, crate::Error> {
    let data = personal_data(db, customer_id)
        .await?
        .ok_or_else(|| crate::Error::NotFound("No such customer.".to_string()))?;
    let txn = db.begin_write().await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "customer.personal_data_export",
            entity: "customer",
            entity_id: Some(customer_id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(data)
}

#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("no such customer")]
    NotFound,
    #[error("this customer is still served ({0}); end the service before erasing their data")]
    StillServed(String),
    #[error("this customer's personal data was already erased")]
    AlreadyErased,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<EraseError> for crate::Error {
    fn from(e: EraseError) -> Self {
        match e {
            EraseError::NotFound => crate::Error::NotFound("No such customer.".to_string()),
            EraseError::StillServed(_) | EraseError::AlreadyErased => {
                crate::Error::Conflict(e.to_string())
            }
            EraseError::Db(e) => crate::Error::Db(e),
        }
    }
}

/// The name an erased record carries.
pub const ERASED_NAME: &str = "—";

/// Erases a customer's personal data in one transaction: the record keeps
/// its number, area, package and dates, its place is rounded to about a
/// kilometre (for demand statistics); the portal account is closed and
/// emptied, its sessions ended; sign-in attempts under their phone or e-mail
/// are forgotten; the NIK and KTP photo and the WhatsApp messages to and
/// from them are deleted; the audit history of the record and account keeps who did
/// what and when, but no longer the personal values. The erasure itself is
/// audited.
pub async fn erase(
    db: &Db,
    files: &crate::attachments::Files,
    customer_id: Uuid,
    actor_id: Uuid,
    actor_ip: String,
    now: DateTime<Utc>,
) -> Result<customer::Model, EraseError> {
    let txn = db.begin_write().await?;
    let found = customer::Entity::find_by_id(customer_id)
        .one(&*txn)
        .await?
        .ok_or(EraseError::NotFound)?;
    if found.erased_at.is_some() {
        return Err(EraseError::AlreadyErased);
    }
    if found.status().still_served() {
        return Err(EraseError::StillServed(found.status.clone()));
    }
    // What they signed in with: phones are stored in E.164 and e-mail in
    // lower case, as sign-in keys are.
    let mut logins: Vec<String> = [Some(found.phone.clone()), found.email.clone()]
        .into_iter()
        .flatten()
        .map(|l| l.to_lowercase())
        .collect();
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let mut model: customer::ActiveModel = found.clone().into();
    model.name = Set(ERASED_NAME.to_string());
    model.phone = Set(String::new());
    model.whatsapp = Set(None);
    model.email = Set(None);
    model.address = Set(String::new());
    model.lat = Set(round(found.lat));
    model.lng = Set(round(found.lng));
    model.odp_id = Set(None);
    model.odp_port = Set(None);
    model.status = Set(netcrew_domain::CustomerStatus::Terminated
        .as_str()
        .to_string());
    // The street-level parts of the address and the router's login go; the
    // kecamatan and city stay for statistics, the billing id for the
    // records the law makes the ISP keep.
    model.rt = Set(None);
    model.rw = Set(None);
    model.kelurahan = Set(None);
    model.pppoe_username = Set(None);
    model.notes = Set(String::new());
    model.preferred_date = Set(None);
    model.preferred_window = Set(None);
    model.updated_at = Set(now);
    model.erased_at = Set(Some(now));
    let erased = model.update(&*txn).await?;
    // The NIK and the KTP photo go entirely, and so do the WhatsApp
    // messages to and from them (queued ones are not sent any more).
    let ktp_photo = crate::identity::forget(&*txn, customer_id).await?;
    let numbers: Vec<String> = [Some(found.phone.clone()), found.whatsapp.clone()]
        .into_iter()
        .flatten()
        .filter(|n| !n.is_empty())
        .collect();
    crate::entity::outbox_message::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(crate::entity::outbox_message::Column::CustomerId.eq(customer_id))
                .add(crate::entity::outbox_message::Column::Recipient.is_in(numbers.clone())),
        )
        .exec(&*txn)
        .await?;
    crate::entity::inbound_message::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(crate::entity::inbound_message::Column::CustomerId.eq(customer_id))
                .add(crate::entity::inbound_message::Column::Sender.is_in(numbers)),
        )
        .exec(&*txn)
        .await?;

    let mut entity_ids = vec![customer_id.to_string()];
    if let Some(account) = user::Entity::find()
        .filter(user::Column::CustomerId.eq(customer_id))
        .one(&*txn)
        .await?
    {
        entity_ids.push(account.id.to_string());
        logins.extend(
            [account.phone.clone(), account.email.clone()]
                .into_iter()
                .flatten()
                .map(|l| l.to_lowercase()),
        );
        let mut a: user::ActiveModel = account.clone().into();
        a.name = Set(ERASED_NAME.to_string());
        a.email = Set(None);
        a.phone = Set(None);
        a.active = Set(false);
        a.password_hash = Set(NO_PASSWORD_YET.to_string());
        a.totp_secret = Set(None);
        a.totp_enabled_at = Set(None);
        a.updated_at = Set(now);
        a.update(&*txn).await?;
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(now))
            .filter(session::Column::UserId.eq(account.id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(&*txn)
            .await?;
    }
    logins.retain(|l| !l.is_empty());
    logins.sort();
    logins.dedup();
    if !logins.is_empty() {
        login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::LoginKey.is_in(logins.clone()))
            .exec(&*txn)
            .await?;
        rate_counter::Entity::delete_many()
            .filter(rate_counter::Column::Subject.is_in(logins.clone()))
            .exec(&*txn)
            .await?;
        // Failed and throttled sign-ins record the login they were for.
        let recorded: Vec<String> = logins
            .iter()
            .map(|l| serde_json::json!({ "login": l }).to_string())
            .collect();
        audit_event::Entity::update_many()
            .col_expr(
                audit_event::Column::After,
                Expr::value(Option::<String>::None),
            )
            .filter(audit_event::Column::Entity.eq("session"))
            .filter(audit_event::Column::After.is_in(recorded))
            .exec(&*txn)
            .await?;
    }
    audit_event::Entity::update_many()
        .col_expr(
            audit_event::Column::Before,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            audit_event::Column::After,
            Expr::value(Option::<String>::None),
        )
        .filter(audit_event::Column::EntityId.is_in(entity_ids))
        .exec(&*txn)
        .await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(actor_id),
            actor_ip: Some(actor_ip),
            action: "customer.erase",
            entity: "customer",
            entity_id: Some(customer_id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "customer_number": erased.customer_number })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    if let Some(key) = ktp_photo {
        let _ = files
            .delete(&object_store::path::Path::from(key.as_str()))
            .await;
    }
    Ok(erased)
}
