//! Account administration from the command line.

use anyhow::{Context, bail};
use netcrew_domain::{Phone, Role, access::check_password};
use netcrew_store::{
    Db,
    auth::{self, Audit},
    entity::user,
    password,
    sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter},
};

pub struct NewUser {
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: String,
}

/// Creates a staff account; refuses bad input with a message naming it.
pub async fn create_user(db: &Db, new: NewUser) -> anyhow::Result<user::Model> {
    let role: Role = new.role.parse()?;
    if role == Role::Customer {
        bail!("customer accounts are created by registration, not here");
    }
    let name = new.name.trim().to_string();
    if name.is_empty() {
        bail!("--name must not be empty");
    }
    if let Some(c) = netcrew_domain::text::forbidden_char(&name, false) {
        bail!(
            "--name must not contain {}",
            netcrew_domain::text::describe_char(c)
        );
    }
    let email = new
        .email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if let Some(email) = &email
        && (!email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
            || netcrew_domain::text::forbidden_char(email, false).is_some())
    {
        bail!("--email {email:?} is not an e-mail address");
    }
    let phone = match new.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(
            Phone::parse(p)
                .map_err(|e| anyhow::anyhow!("--phone {p:?}: {e}"))?
                .into_string(),
        ),
        None => None,
    };
    if email.is_none() && phone.is_none() {
        bail!("give --email or --phone: one of them is the login");
    }
    let logins: Vec<&str> = [email.as_deref(), phone.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    check_password(&new.password, &logins).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let conn = db.conn();
    if let Some(email) = &email
        && user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(conn)
            .await?
            .is_some()
    {
        bail!("an account with e-mail {email} already exists");
    }
    if let Some(phone) = &phone
        && user::Entity::find()
            .filter(user::Column::Phone.eq(phone.as_str()))
            .one(conn)
            .await?
            .is_some()
    {
        bail!("an account with phone {phone} already exists");
    }
    let hash = password::hash(&new.password).await?;
    let now = chrono::Utc::now();
    let txn = db.begin_write().await?;
    let created = user::ActiveModel {
        id: Set(uuid_v7()),
        name: Set(name),
        email: Set(email),
        phone: Set(phone),
        role: Set(role.as_str().to_string()),
        password_hash: Set(hash),
        locale: Set("id".to_string()),
        active: Set(true),
        customer_id: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await
    .context("cannot create the account")?;
    auth::audit(
        &*txn,
        Audit {
            actor_id: None,
            actor_ip: Some("command line".to_string()),
            action: "user.create",
            entity: "user",
            entity_id: Some(created.id.to_string()),
            before: None,
            after: Some(serde_json::json!({
                "name": created.name, "email": created.email, "phone": created.phone, "role": created.role,
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

fn uuid_v7() -> netcrew_store::sea_orm::prelude::Uuid {
    netcrew_store::sea_orm::prelude::Uuid::now_v7()
}
