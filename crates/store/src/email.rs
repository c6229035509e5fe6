//! The e-mail channel: the SMTP server NetCrew sends through, as the admin
//! set it (its password sealed with the identity key, never answered
//! back), and e-mails written to the outbox in the transaction of the
//! change that causes them; the outbox worker sends them like WhatsApp
//! messages, with the same retries and delivery log.

use chrono::{DateTime, Utc};
use netcrew_domain::{Checks, messages::SmtpSecurity};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    entity::message_channel,
    identity::Sealer,
    tickets::Person,
};

/// The e-mail channel's name in the outbox and the settings.
pub const EMAIL: &str = "email";

/// The SMTP server and the sender (the password is kept apart, sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub from_address: String,
    pub from_name: String,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            host: String::new(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: None,
            from_address: String::new(),
            from_name: "NetCrew".to_string(),
        }
    }
}

/// The e-mail channel as stored.
#[derive(Debug, Clone)]
pub struct EmailChannel {
    pub enabled: bool,
    pub config: EmailConfig,
    pub password_set: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

fn owner() -> Uuid {
    // The sealed password is bound to this fixed id.
    Uuid::from_u128(0x6e65_7463_7265_7700_0000_0000_0000_0002)
}

/// The e-mail channel's settings (off until an admin sets it up).
pub async fn channel<C: ConnectionTrait>(db: &C) -> Result<EmailChannel, DbErr> {
    let row = message_channel::Entity::find_by_id(EMAIL).one(db).await?;
    Ok(match row {
        None => EmailChannel {
            enabled: false,
            config: EmailConfig::default(),
            password_set: false,
            updated_at: None,
        },
        Some(r) => EmailChannel {
            enabled: r.enabled,
            config: serde_json::from_str(&r.config).unwrap_or_default(),
            password_set: r.secrets_sealed.is_some(),
            updated_at: Some(r.updated_at),
        },
    })
}

/// The e-mail channel with its password, for the sender. A password that
/// no longer opens (the identity key changed) is an error: the admin
/// enters it again.
pub async fn channel_with_password(
    db: &Db,
    sealer: &Sealer,
) -> Result<(EmailChannel, Option<String>), Error> {
    let row = message_channel::Entity::find_by_id(EMAIL)
        .one(db.conn())
        .await?;
    let password = match row.as_ref().and_then(|r| r.secrets_sealed.as_deref()) {
        None => None,
        Some(sealed) => {
            let plain = sealer
                .open(owner(), sealed)
                .map_err(|e| Error::Db(DbErr::Custom(e.to_string())))?;
            Some(String::from_utf8_lossy(&plain).into_owned())
        }
    };
    Ok((channel(db.conn()).await?, password))
}

/// The e-mail channel as the admin sets it (no `Debug`: the password).
#[derive(Clone)]
pub struct EmailInput {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// `None`: keep the stored one; empty: remove it.
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
}

/// Checks and saves the e-mail channel, audited (never the password).
pub async fn save_channel(
    db: &Db,
    sealer: &Sealer,
    who: &Person,
    input: EmailInput,
    now: DateTime<Utc>,
) -> Result<EmailChannel, Error> {
    let mut c = Checks::default();
    let host = input.host.trim().to_string();
    if host.is_empty() {
        if input.enabled {
            c.fail("host", "required", "give the SMTP server's name");
        }
    } else if host.len() > 253
        || !host
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | ':' | '[' | ']'))
    {
        c.fail("host", "format", "a host name such as smtp.isp.example");
    }
    if input.port == 0 {
        c.fail("port", "range", "from 1 to 65535");
    }
    let from_address = if input.from_address.trim().is_empty() && !input.enabled {
        String::new()
    } else {
        c.email("from_address", &input.from_address)
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let from_name = c.text("from_name", &input.from_name, 80);
    let username = input
        .username
        .as_deref()
        .and_then(|u| c.optional_text("username", u, 200));
    let password = match input.password.as_deref() {
        None => None,
        Some("") => Some(None),
        Some(p) => {
            if p.len() > 200 || p.chars().any(char::is_control) {
                c.fail("password", "format", "at most 200 characters, on one line");
            }
            Some(Some(p.to_string()))
        }
    };
    c.finish()?;
    let config = EmailConfig {
        host,
        port: input.port,
        security: input.security,
        username,
        from_address,
        from_name,
    };
    let txn = db.begin_write().await?;
    let before = message_channel::Entity::find_by_id(EMAIL)
        .one(&*txn)
        .await?;
    let sealed = match password {
        None => before.as_ref().and_then(|b| b.secrets_sealed.clone()),
        Some(None) => None,
        Some(Some(p)) => Some(sealer.seal(owner(), p.as_bytes())),
    };
    let view = |enabled: bool, cfg: &EmailConfig, password_set: bool| {
        json!({"enabled": enabled, "host": cfg.host, "port": cfg.port, "security": cfg.security,
            "username": cfg.username, "from_address": cfg.from_address,
            "from_name": cfg.from_name, "password_set": password_set})
    };
    let before_view = before.as_ref().map(|b| {
        view(
            b.enabled,
            &serde_json::from_str(&b.config).unwrap_or_default(),
            b.secrets_sealed.is_some(),
        )
    });
    let row = message_channel::ActiveModel {
        channel: Set(EMAIL.to_string()),
        enabled: Set(input.enabled),
        config: Set(serde_json::to_string(&config).unwrap_or_default()),
        secrets_sealed: Set(sealed.clone()),
        updated_by: Set(who.id),
        updated_at: Set(now),
    };
    if before.is_some() {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "channel.update",
            entity: "channel",
            entity_id: Some(EMAIL.to_string()),
            before: before_view,
            after: Some(view(input.enabled, &config, sealed.is_some())),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    channel(db.conn()).await.map_err(Error::from)
}

/// An e-mail to write to the outbox.
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    /// The outbox event (`password_forgotten`, ...).
    pub event: &'a str,
    pub locale: &'a str,
    /// What makes this e-mail one of a kind.
    pub key: String,
}

/// Writes an e-mail to the outbox in the caller's transaction, due now;
/// `false` (nothing written) while the channel is off.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    m: Mail<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if !channel(db).await?.enabled {
        return Ok(false);
    }
    crate::outbox::queue_message(
        db,
        crate::outbox::NewMessage {
            channel: EMAIL,
            event: m.event,
            recipient: m.to,
            customer_id: None,
            ticket: None,
            locale: m.locale,
            body: m.text,
            subject: Some(m.subject),
            vars: None,
            status: "queued",
            next_attempt_at: now,
            last_error: String::new(),
            key: m.key,
        },
        now,
    )
    .await?;
    Ok(true)
}
