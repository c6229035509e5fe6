//! Account administration from the command line, through the same write
//! path and rules as the API (`netcrew_store::accounts`).

use anyhow::bail;
use netcrew_domain::{FieldError, Role};
use netcrew_store::{
    Db, Error,
    accounts::{self, AccountChange},
    audit_log::Actor,
    entity::user,
};

pub struct NewUser {
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: String,
}

/// A field error as the command line says it: the option it came from.
fn say(e: &FieldError) -> String {
    let option = match e.field.as_str() {
        "team_ids" | "area_ids" | "id" => e.field.clone(),
        field => format!("--{field}"),
    };
    if e.code == "taken" {
        return format!("{option}: an account with this {} already exists", e.field);
    }
    format!("{option}: {}", e.detail)
}

/// Creates a staff account; refuses bad input with a message naming the
/// option.
pub async fn create_user(db: &Db, new: NewUser) -> anyhow::Result<user::Model> {
    if new.role.parse::<Role>() == Ok(Role::Customer) {
        bail!("customer accounts are created by registration, not here");
    }
    let change = AccountChange {
        name: Some(new.name),
        email: Some(new.email),
        phone: Some(new.phone),
        role: Some(new.role),
        password: Some(new.password),
        ..Default::default()
    };
    let actor = Actor {
        user_id: None,
        ip: Some("command line".to_string()),
    };
    match accounts::create(db, &actor, change, "id", chrono::Utc::now()).await {
        Ok(account) => Ok(account.user),
        Err(Error::Invalid(invalid)) => {
            let said: Vec<String> = invalid.0.iter().map(say).collect();
            bail!("{}", said.join("; "))
        }
        Err(e) => Err(e.into()),
    }
}
