//! Accounts: the one write path for staff accounts, used by the API and the
//! command line alike, and what an admin does to an account (reset its
//! password, end its sessions).

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{
    Checks, FieldError, Invalid, Role, access::check_password, fields::choice,
    messages::AccountLink,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Actor, Audit},
    entity::{area, team, user},
    sessions,
    users::{count_active_admins, memberships, missing_ids, set_memberships},
};

/// An account with its teams and areas.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: user::Model,
    pub team_ids: Vec<Uuid>,
    pub area_ids: Vec<Uuid>,
}

/// A new account or a change to one: `None` leaves a field as it is;
/// `Some(None)` removes an e-mail address or phone number.
#[derive(Debug, Default, Clone)]
pub struct AccountChange {
    /// The id a client chose for a new account (a UUIDv7).
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub role: Option<String>,
    pub team_ids: Option<Vec<Uuid>>,
    pub area_ids: Option<Vec<Uuid>>,
    pub active: Option<bool>,
    /// The first password (new accounts only).
    pub password: Option<String>,
}

/// The audited form of an account.
pub fn audit_view(u: &user::Model, teams: &[Uuid], areas: &[Uuid]) -> Value {
    json!({
        "name": u.name, "email": u.email, "phone": u.phone, "role": u.role,
        "active": u.active, "team_ids": teams, "area_ids": areas,
    })
}

/// An account by id, with its memberships.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Account>, DbErr> {
    let Some(found) = user::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let (team_ids, area_ids) = memberships(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(Some(Account {
        user: found,
        team_ids,
        area_ids,
    }))
}

/// The fields of a change read by the rules that need nothing stored.
struct Read {
    name: Option<String>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    role: Option<Role>,
}

fn read(change: &AccountChange, c: &mut Checks) -> Read {
    let name = change.name.as_deref().map(|n| c.text("name", n, 100));
    let email = change.email.as_ref().map(|e| {
        e.as_deref()
            .filter(|e| !e.trim().is_empty())
            .and_then(|e| c.email("email", e).map(|e| e.into_string()))
    });
    let phone = change.phone.as_ref().map(|p| {
        p.as_deref()
            .filter(|p| !p.trim().is_empty())
            .and_then(|p| c.phone("phone", p).map(|p| p.into_string()))
    });
    let role = change
        .role
        .as_deref()
        .and_then(|r| match r.parse::<Role>() {
            Ok(r) => Some(r),
            Err(_) => {
                c.push(choice("role", &Role::ALL.map(Role::as_str)));
                None
            }
        });
    Read {
        name,
        email,
        phone,
        role,
    }
}

/// Whether another account than `me` signs in with this e-mail or phone,
/// and whether the teams and areas exist.
async fn check_refs<C: ConnectionTrait>(
    db: &C,
    me: Option<Uuid>,
    read: &Read,
    change: &AccountChange,
    c: &mut Checks,
) -> Result<(), DbErr> {
    for (field, column, value) in [
        ("email", user::Column::Email, read.email.clone().flatten()),
        ("phone", user::Column::Phone, read.phone.clone().flatten()),
    ] {
        if let Some(value) = value
            && let Some(other) = user::Entity::find()
                .filter(column.eq(value))
                .one(db)
                .await?
            && Some(other.id) != me
        {
            c.fail(field, "taken", "another account already uses this");
        }
    }
    if let Some(teams) = &change.team_ids
        && !missing_ids::<team::Entity, _>(db, teams, team::Column::Id)
            .await?
            .is_empty()
    {
        c.fail("team_ids", "unknown", "one of these teams does not exist");
    }
    if let Some(areas) = &change.area_ids
        && !missing_ids::<area::Entity, _>(db, areas, area::Column::Id)
            .await?
            .is_empty()
    {
        c.fail("area_ids", "unknown", "one of these areas does not exist");
    }
    Ok(())
}

/// Creates a staff account (customers' accounts come from registration and
/// the portal invitation), with its teams and areas and the audit entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    change: AccountChange,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<Account, Error> {
    Ok(create_with(db, actor, change, locale, None, now).await?.0)
}

/// How long an invitation's link works.
pub const INVITE_VALID_HOURS: i64 = 72;

/// Creates a staff account without a password and sends its person an
/// invitation link (valid [`INVITE_VALID_HOURS`]) to choose one, by e-mail
/// or else WhatsApp, in the same transaction; answers the channel used.
/// When neither reaches the person, nothing is created (`unreachable`).
pub async fn invite(
    db: &Db,
    actor: &Actor,
    change: AccountChange,
    locale: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(Account, &'static str), Error> {
    let (account, sent) = create_with(db, actor, change, locale, Some(public_url), now).await?;
    let sent = sent.ok_or_else(|| Error::from(unreachable_person()))?;
    Ok((account, sent))
}

async fn create_with(
    db: &Db,
    actor: &Actor,
    change: AccountChange,
    locale: &str,
    invite: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Account, Option<&'static str>), Error> {
    let mut c = Checks::default();
    c.require(
        true,
        &[
            ("name", change.name.is_some()),
            ("role", change.role.is_some()),
            ("password", change.password.is_some() || invite.is_some()),
        ],
    );
    if invite.is_some() && change.password.is_some() {
        c.fail(
            "password",
            "invalid",
            "an invited person chooses their own password: leave it out",
        );
    }
    c.client_id("id", change.id.map(|id| id.get_version_num()));
    let read = read(&change, &mut c);
    let email = read.email.clone().flatten();
    let phone = read.phone.clone().flatten();
    if email.is_none() && phone.is_none() && !c.has("email") && !c.has("phone") {
        c.fail(
            "email",
            "required",
            "give an e-mail address or a phone number to sign in with",
        );
    }
    if read.role == Some(Role::Customer) {
        c.fail("role", "choice", "customer accounts come from registration");
    }
    let logins: Vec<&str> = [email.as_deref(), phone.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(password) = &change.password
        && let Err(e) = check_password(password, &logins)
    {
        c.push(FieldError::new("password", e.code(), e.to_string()));
    }
    check_refs(db.conn(), None, &read, &change, &mut c).await?;
    c.finish()?;
    let Some(role) = read.role else {
        return Err(Invalid::field("role", "required", "required").into());
    };
    let hash = match change.password.as_deref() {
        Some(password) => crate::password::hash(password).await?,
        None => sessions::NO_PASSWORD_YET.to_string(),
    };
    let id = change.id.unwrap_or_else(Uuid::now_v7);
    let team_ids = change.team_ids.clone().unwrap_or_default();
    let area_ids = change.area_ids.clone().unwrap_or_default();
    let txn = db.begin_write().await?;
    let created = user::ActiveModel {
        id: Set(id),
        name: Set(read.name.unwrap_or_default()),
        email: Set(email),
        phone: Set(phone),
        role: Set(role.as_str().to_string()),
        password_hash: Set(hash),
        locale: Set(locale.to_string()),
        active: Set(true),
        customer_id: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    set_memberships(&*txn, id, Some(&team_ids), Some(&area_ids)).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "user.create",
            entity: "user",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(audit_view(&created, &team_ids, &area_ids)),
        },
        now,
    )
    .await?;
    let mut sent = None;
    if let Some(public_url) = invite {
        let (token, expires_at) = sessions::issue_password_link(
            &*txn,
            id,
            actor.user_id,
            Duration::hours(INVITE_VALID_HOURS),
            now,
        )
        .await?;
        sent = send_link(
            &*txn,
            &created,
            AccountLink::Invitation,
            &token,
            expires_at,
            public_url,
            now,
        )
        .await?;
        if sent.is_none() {
            return Err(unreachable_person().into());
        }
    }
    txn.commit().await?;
    Ok((
        Account {
            user: created,
            team_ids,
            area_ids,
        },
        sent,
    ))
}

fn unreachable_person() -> Invalid {
    Invalid::field(
        "send",
        "unreachable",
        "neither e-mail nor WhatsApp reaches this person: give them an e-mail address \
         or phone number and turn the channel on, or hand the link over yourself",
    )
}

/// Writes `token`'s link to the account's person in the caller's
/// transaction: by e-mail when they have an address and that channel is on,
/// else by WhatsApp when they have a number and that channel is on. The
/// channel used, or `None` when neither reaches them.
pub async fn send_link<C: ConnectionTrait>(
    db: &C,
    u: &user::Model,
    kind: AccountLink,
    token: &str,
    expires_at: DateTime<Utc>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Option<&'static str>, DbErr> {
    let link = format!(
        "{}/reset-password?token={token}",
        public_url.trim_end_matches('/')
    );
    let hours = ((expires_at - now).num_minutes() + 59) / 60;
    let locale = if u.locale == "en" { "en" } else { "id" };
    // One message per link: the token's own hash keys it.
    let key = format!("{}:{}", kind.as_str(), sessions::token_hash(token));
    let (source, _) = crate::outbox::template(db, kind.event(), locale).await?;
    let text_for = |isp: &str| {
        let vars = serde_json::json!({"name": u.name, "link": link, "hours": hours, "isp": isp});
        netcrew_domain::messages::render(&source, &vars).unwrap_or_default()
    };
    if let Some(address) = u.email.as_deref().filter(|e| !e.trim().is_empty()) {
        let ch = crate::email::channel(db).await?;
        if ch.enabled {
            let subject = kind.subject(locale, &ch.config.from_name);
            let text = text_for(&ch.config.from_name);
            let mail = crate::email::Mail {
                to: address,
                subject: &subject,
                text: &text,
                event: kind.as_str(),
                locale,
                key,
            };
            if crate::email::queue(db, mail, now).await? {
                return Ok(Some(crate::email::EMAIL));
            }
            return Ok(None);
        }
    }
    if let Some(phone) = u.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        let ch = crate::outbox::channel(db).await?;
        if ch.enabled {
            let text = text_for(&ch.config.sender_name);
            if crate::outbox::to_person(db, phone, kind.as_str(), locale, &text, key, now).await? {
                return Ok(Some(crate::outbox::WHATSAPP));
            }
        }
    }
    Ok(None)
}

/// How long a link asked for on the sign-in page works.
pub const FORGOT_VALID_MINUTES: i64 = 60;
/// At most this many such links an hour per account.
pub const FORGOT_PER_HOUR: u64 = 3;

/// "Forgot password": when `login` is an active account's that e-mail or
/// WhatsApp reaches, sends it a link (valid [`FORGOT_VALID_MINUTES`]) to
/// choose a new password. The current password keeps working until then,
/// so nobody can lock another out by asking. What happened is not told
/// (an unknown login looks the same as a known one), only audited.
pub async fn request_password_reset(
    db: &Db,
    ip: &str,
    login_key: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    use sea_orm::PaginatorTrait;
    let Some(u) = sessions::find_user_by_login(db.conn(), login_key).await? else {
        return Ok(());
    };
    if !u.active {
        return Ok(());
    }
    let recent = crate::entity::password_reset::Entity::find()
        .filter(crate::entity::password_reset::Column::UserId.eq(u.id))
        .filter(crate::entity::password_reset::Column::CreatedBy.is_null())
        .filter(crate::entity::password_reset::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db.conn())
        .await?;
    if recent >= FORGOT_PER_HOUR {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    let (token, expires_at) = sessions::issue_password_link(
        &*txn,
        u.id,
        None,
        Duration::minutes(FORGOT_VALID_MINUTES),
        now,
    )
    .await?;
    let Some(sent) = send_link(
        &*txn,
        &u,
        AccountLink::PasswordForgotten,
        &token,
        expires_at,
        public_url,
        now,
    )
    .await?
    else {
        // Nobody would get the link: none is left behind.
        return Ok(());
    };
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(u.id),
            actor_ip: Some(ip.to_string()),
            action: "user.password_reset_requested",
            entity: "user",
            entity_id: Some(u.id.to_string()),
            before: None,
            after: Some(json!({ "sent_by": sent, "expires_at": expires_at })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes an account: details, role, teams, areas, or (de)activation. A
/// new role or a closed account ends its sessions at once. Nobody closes
/// their own account or takes their own admin role; the last active admin
/// stays.
pub async fn update(
    db: &Db,
    actor: &Actor,
    current: Account,
    change: AccountChange,
    now: DateTime<Utc>,
) -> Result<Account, Error> {
    let id = current.user.id;
    let mut c = Checks::default();
    let read = read(&change, &mut c);
    let current_role: Role = current.user.role.parse().unwrap_or(Role::Customer);
    if read.role.is_some()
        && (read.role == Some(Role::Customer)) != (current_role == Role::Customer)
    {
        c.fail(
            "role",
            "choice",
            "a customer account cannot become staff, nor the reverse",
        );
    }
    let email = read.email.clone().unwrap_or(current.user.email.clone());
    let phone = read.phone.clone().unwrap_or(current.user.phone.clone());
    if email.is_none() && phone.is_none() {
        c.fail(
            "email",
            "required",
            "keep an e-mail address or a phone number to sign in with",
        );
    }
    check_refs(db.conn(), Some(id), &read, &change, &mut c).await?;
    c.finish()?;

    let deactivating = change.active == Some(false) && current.user.active;
    let demoting = read.role.is_some_and(|r| r != Role::Admin) && current_role == Role::Admin;
    if (deactivating || demoting) && actor.user_id == Some(id) {
        return Err(Error::Conflict(
            "You cannot deactivate your own account or take away your own admin role.".to_string(),
        ));
    }
    let txn = db.begin_write().await?;
    if (deactivating || demoting)
        && current_role == Role::Admin
        && count_active_admins(&*txn).await? <= 1
    {
        return Err(Error::Conflict(
            "This is the last active admin; make someone else admin first.".to_string(),
        ));
    }
    let before = audit_view(&current.user, &current.team_ids, &current.area_ids);
    let mut model: user::ActiveModel = current.user.into();
    if let Some(name) = read.name {
        model.name = Set(name);
    }
    if read.email.is_some() {
        model.email = Set(email);
    }
    if read.phone.is_some() {
        model.phone = Set(phone);
    }
    if let Some(role) = read.role {
        model.role = Set(role.as_str().to_string());
    }
    if let Some(active) = change.active {
        model.active = Set(active);
    }
    model.updated_at = Set(now);
    let updated = model.update(&*txn).await?;
    set_memberships(
        &*txn,
        id,
        change.team_ids.as_deref(),
        change.area_ids.as_deref(),
    )
    .await?;
    if deactivating || read.role.is_some() {
        sessions::revoke_sessions(&*txn, id, None, None, now).await?;
    }
    let team_ids = change.team_ids.unwrap_or(current.team_ids);
    let area_ids = change.area_ids.unwrap_or(current.area_ids);
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: if deactivating {
                "user.deactivate"
            } else {
                "user.update"
            },
            entity: "user",
            entity_id: Some(id.to_string()),
            before: Some(before),
            after: Some(audit_view(&updated, &team_ids, &area_ids)),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Account {
        user: updated,
        team_ids,
        area_ids,
    })
}

/// How long a password-reset link an admin issues stays valid.
pub const RESET_VALID_HOURS: i64 = 24;

/// Forces a password reset: the current password stops working, every
/// session ends, and a single-use link is issued: its token and expiry.
pub async fn force_password_reset(
    db: &Db,
    actor: &Actor,
    target: user::Model,
    send_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>, Option<&'static str>), Error> {
    let id = target.id;
    let person = target.clone();
    let txn = db.begin_write().await?;
    let (token, expires_at) = sessions::issue_password_link(
        &*txn,
        id,
        actor.user_id,
        Duration::hours(RESET_VALID_HOURS),
        now,
    )
    .await?;
    let mut model: user::ActiveModel = target.into();
    model.password_hash = Set(sessions::NO_PASSWORD_YET.to_string());
    model.updated_at = Set(now);
    model.update(&*txn).await?;
    sessions::revoke_sessions(&*txn, id, None, None, now).await?;
    let mut sent = None;
    if let Some(public_url) = send_to {
        sent = send_link(
            &*txn,
            &person,
            AccountLink::PasswordReset,
            &token,
            expires_at,
            public_url,
            now,
        )
        .await?;
        if sent.is_none() {
            return Err(unreachable_person().into());
        }
    }
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "user.force_password_reset",
            entity: "user",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "expires_at": expires_at, "sent_by": sent })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((token, expires_at, sent))
}

/// Ends every session of an account (a lost phone, a leaver); how many.
pub async fn end_sessions(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    let txn = db.begin_write().await?;
    let ended = sessions::revoke_sessions(&*txn, id, None, None, now).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "user.end_sessions",
            entity: "user",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "ended": ended })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// One's own name and language.
pub async fn update_profile(
    db: &Db,
    actor: &Actor,
    me: &user::Model,
    name: Option<&str>,
    locale: Option<&str>,
    now: DateTime<Utc>,
) -> Result<user::Model, Error> {
    let mut c = Checks::default();
    let name = name.map(|n| c.text("name", n, 100));
    if let Some(locale) = locale {
        c.one_of("locale", locale, &["id", "en"]);
    }
    c.finish()?;
    let before = json!({ "name": me.name, "locale": me.locale });
    let mut model: user::ActiveModel = me.clone().into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(locale) = locale {
        model.locale = Set(locale.to_string());
    }
    model.updated_at = Set(now);
    let txn = db.begin_write().await?;
    let updated = model.update(&*txn).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "user.update_profile",
            entity: "user",
            entity_id: Some(me.id.to_string()),
            before: Some(before),
            after: Some(json!({ "name": updated.name, "locale": updated.locale })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The logins of an account, which a password may not contain.
fn logins(u: &user::Model) -> Vec<&str> {
    [u.email.as_deref(), u.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect()
}

/// Changes one's own password; every other session of the account ends.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    me: &user::Model,
    this_session: Uuid,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if !crate::password::verify(current, &me.password_hash).await? {
        return Err(Invalid::field(
            "current_password",
            "password_wrong",
            "this is not your current password",
        )
        .into());
    }
    if crate::password::verify(new, &me.password_hash).await? {
        return Err(Invalid::field(
            "new_password",
            "password_reused",
            "choose a password different from the current one",
        )
        .into());
    }
    check_password(new, &logins(me))
        .map_err(|e| Invalid::field("new_password", e.code(), e.to_string()))?;
    let hash = crate::password::hash(new).await?;
    let txn = db.begin_write().await?;
    let mut model: user::ActiveModel = me.clone().into();
    model.password_hash = Set(hash);
    model.updated_at = Set(now);
    model.update(&*txn).await?;
    sessions::revoke_sessions(&*txn, me.id, None, Some(this_session), now).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: actor.user_id,
            actor_ip: actor.ip.clone(),
            action: "user.change_password",
            entity: "user",
            entity_id: Some(me.id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a new password with a reset link's token (single use, expiring);
/// every session of the account ends.
pub async fn complete_password_reset(
    db: &Db,
    ip: &str,
    token: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    use crate::entity::password_reset;
    let spent = || -> Error {
        Invalid::field(
            "token",
            "token_expired",
            "this reset link has expired or was already used; ask an admin for a new one",
        )
        .into()
    };
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(sessions::token_hash(token.trim())))
        .one(db.conn())
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
        .ok_or_else(spent)?;
    let target = user::Entity::find_by_id(reset.user_id)
        .one(db.conn())
        .await?
        .filter(|u| u.active)
        .ok_or_else(spent)?;
    check_password(new_password, &logins(&target))
        .map_err(|e| Invalid::field("new_password", e.code(), e.to_string()))?;
    let hash = crate::password::hash(new_password).await?;
    let txn = db.begin_write().await?;
    // Marking the token used first, conditionally, makes a second use of the
    // same link lose even when both arrive at once.
    let claimed = password_reset::Entity::update_many()
        .col_expr(
            password_reset::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&*txn)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Err(spent());
    }
    let user_id = target.id;
    let mut model: user::ActiveModel = target.into();
    model.password_hash = Set(hash);
    model.updated_at = Set(now);
    model.update(&*txn).await?;
    sessions::revoke_sessions(&*txn, user_id, None, None, now).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: Some(user_id),
            actor_ip: Some(ip.to_string()),
            action: "user.reset_password",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
