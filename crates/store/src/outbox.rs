//! The durable outbox of messages to customers outside the app (WhatsApp).
//! A message is written in the transaction of the change that causes it,
//! so a change and its messages commit together or not at all; a worker
//! claims due messages with a lease (so several instances never send one
//! twice at once), sends them, and records the outcome; a failed send is
//! tried again with backoff, then shown as failed with the provider's
//! reason. The channel's settings, with the gateways' tokens sealed, and
//! the admin's wording per event and language live here too.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use netcrew_domain::{
    Checks, FieldError, Invalid,
    messages::{self, GatewayKind, MessageEvent, QuietHours},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    db::Backend,
    entity::{area, customer, message_channel, message_template, outbox_message, user},
    identity::Sealer,
    page::{Page, PageError, newest_first},
    tickets::Person,
};

/// The WhatsApp channel's name in the outbox and the settings.
pub const WHATSAPP: &str = "whatsapp";

/// One gateway as configured (its token, and the Cloud API's app secret,
/// are kept apart, sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gateway {
    pub kind: GatewayKind,
    /// The gateway's address; `None`: its public default.
    pub base_url: Option<String>,
    /// The Cloud API's sending number id (Meta's "phone number ID").
    #[serde(default)]
    pub phone_number_id: Option<String>,
}

/// A template approved at Meta for one event: its name, its language code
/// there, and which of the event's variables fill `{{1}}`, `{{2}}`, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudTemplate {
    pub name: String,
    pub language: String,
    pub params: Vec<String>,
}

/// The WhatsApp channel's settings (the gateways' tokens are kept apart,
/// sealed; the webhook secret is here because the admin must see it to give
/// it to the gateways, and it is kept out of `Debug` and logs).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsAppConfig {
    /// Tried in this order: the second takes over when the first fails.
    pub gateways: Vec<Gateway>,
    /// No message to customers from `quiet_start` to `quiet_end` (the
    /// customer's area's local time), except about outages.
    pub quiet_start: Option<NaiveTime>,
    pub quiet_end: Option<NaiveTime>,
    /// At most this many messages to one customer in 24 hours (outages
    /// excepted).
    pub daily_limit: u32,
    /// How messages are signed (`{{ isp }}`).
    pub sender_name: String,
    /// The secret part of the webhook addresses the gateways call (made
    /// when the channel is first saved).
    #[serde(default)]
    pub webhook_secret: String,
    /// Per event (`ticket_received`, ...), the Cloud API template it is
    /// sent as.
    #[serde(default)]
    pub templates: std::collections::BTreeMap<String, CloudTemplate>,
}

impl std::fmt::Debug for WhatsAppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsAppConfig")
            .field("gateways", &self.gateways)
            .field("quiet_start", &self.quiet_start)
            .field("quiet_end", &self.quiet_end)
            .field("daily_limit", &self.daily_limit)
            .field("sender_name", &self.sender_name)
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

impl Default for WhatsAppConfig {
    fn default() -> Self {
        WhatsAppConfig {
            gateways: Vec::new(),
            quiet_start: NaiveTime::from_hms_opt(21, 0, 0),
            quiet_end: NaiveTime::from_hms_opt(7, 0, 0),
            daily_limit: 10,
            sender_name: "NetCrew".to_string(),
            webhook_secret: String::new(),
            templates: std::collections::BTreeMap::new(),
        }
    }
}

impl WhatsAppConfig {
    fn quiet(&self) -> Option<QuietHours> {
        match (self.quiet_start, self.quiet_end) {
            (Some(start), Some(end)) if start != end => Some(QuietHours { start, end }),
            _ => None,
        }
    }
}

/// The WhatsApp channel as stored.
#[derive(Debug, Clone)]
pub struct Channel {
    pub enabled: bool,
    pub config: WhatsAppConfig,
    /// Per gateway: whether a token is stored.
    pub tokens_set: Vec<bool>,
    pub updated_at: Option<DateTime<Utc>>,
}

fn owner() -> Uuid {
    // The sealed tokens are bound to this fixed id (the channel's "owner").
    Uuid::from_u128(0x6e65_7463_7265_7700_0000_0000_0000_0001)
}

/// The WhatsApp channel's settings (disabled with no gateway until an
/// admin sets it up).
pub async fn channel<C: ConnectionTrait>(db: &C) -> Result<Channel, DbErr> {
    let row = message_channel::Entity::find_by_id(WHATSAPP)
        .one(db)
        .await?;
    Ok(match row {
        None => Channel {
            enabled: false,
            config: WhatsAppConfig::default(),
            tokens_set: Vec::new(),
            updated_at: None,
        },
        Some(r) => {
            let config: WhatsAppConfig = serde_json::from_str(&r.config).unwrap_or_default();
            let tokens = stored_token_count(&r);
            let tokens_set = (0..config.gateways.len()).map(|i| i < tokens).collect();
            Channel {
                enabled: r.enabled,
                config,
                tokens_set,
                updated_at: Some(r.updated_at),
            }
        }
    })
}

/// How many tokens are stored (they are sealed, so only their number is
/// known without the key; it is kept in the clear beside them).
fn stored_token_count(r: &message_channel::Model) -> usize {
    serde_json::from_str::<Value>(&r.config)
        .ok()
        .and_then(|v| v.get("tokens").and_then(Value::as_u64))
        .unwrap_or(0) as usize
}

/// The gateways' secrets, per gateway in order: tokens, and the Cloud
/// API's app secrets (empty for the other gateways).
#[derive(Default, Serialize, Deserialize)]
struct Secrets {
    tokens: Vec<String>,
    #[serde(default)]
    app_secrets: Vec<String>,
}

async fn secrets(db: &Db, sealer: &Sealer) -> Result<Secrets, Error> {
    let row = message_channel::Entity::find_by_id(WHATSAPP)
        .one(db.conn())
        .await?;
    Ok(match row.and_then(|r| r.secrets_sealed) {
        None => Secrets::default(),
        Some(sealed) => {
            let plain = sealer
                .open(owner(), &sealed)
                .map_err(|e| Error::Db(DbErr::Custom(e.to_string())))?;
            // Sealed before app secrets existed: the tokens alone.
            serde_json::from_slice::<Secrets>(&plain)
                .or_else(|_| {
                    serde_json::from_slice::<Vec<String>>(&plain).map(|tokens| Secrets {
                        tokens,
                        app_secrets: Vec::new(),
                    })
                })
                .unwrap_or_default()
        }
    })
}

/// The WhatsApp channel with its gateways' tokens, for the sender.
pub async fn channel_with_tokens(
    db: &Db,
    sealer: &Sealer,
) -> Result<(Channel, Vec<String>), Error> {
    let ch = channel(db.conn()).await?;
    Ok((ch, secrets(db, sealer).await?.tokens))
}

/// The Cloud API gateway's app secret, which signs its webhooks.
pub async fn cloud_app_secret(db: &Db, sealer: &Sealer) -> Result<Option<String>, Error> {
    let ch = channel(db.conn()).await?;
    let at = ch
        .config
        .gateways
        .iter()
        .position(|g| g.kind == GatewayKind::Cloud);
    let Some(i) = at else {
        return Ok(None);
    };
    let s = secrets(db, sealer).await?;
    Ok(s.app_secrets.get(i).filter(|a| !a.is_empty()).cloned())
}

/// A gateway as the admin sends it: its token only when it changes (no
/// `Debug`: the token must not reach a log).
#[derive(Clone)]
pub struct GatewayInput {
    pub kind: GatewayKind,
    pub base_url: Option<String>,
    pub token: Option<String>,
    /// The Cloud API's sending number id.
    pub phone_number_id: Option<String>,
    /// The Cloud API's app secret (signs its webhooks); like the token,
    /// only to set or change it.
    pub app_secret: Option<String>,
}

/// The WhatsApp channel as the admin sets it.
#[derive(Clone)]
pub struct ChannelInput {
    pub enabled: bool,
    /// Make a new webhook secret (the gateways must be given the new
    /// addresses).
    pub rotate_webhook_secret: bool,
    pub gateways: Vec<GatewayInput>,
    pub quiet_start: Option<NaiveTime>,
    pub quiet_end: Option<NaiveTime>,
    pub daily_limit: u32,
    pub sender_name: String,
    /// Per event, the Cloud API template it goes as.
    pub templates: std::collections::BTreeMap<String, CloudTemplate>,
}

/// Checks the Cloud API templates: known events, Meta's name and language
/// forms, and parameters that are the event's own variables.
fn check_cloud_templates(
    c: &mut Checks,
    templates: &std::collections::BTreeMap<String, CloudTemplate>,
) {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.len() <= 512
            && n.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    };
    let language_ok = |l: &str| {
        let mut parts = l.split('_');
        let lang = parts.next().unwrap_or_default();
        let region = parts.next();
        (2..=3).contains(&lang.len())
            && lang.chars().all(|ch| ch.is_ascii_lowercase())
            && region.is_none_or(|r| r.len() == 2 && r.chars().all(|ch| ch.is_ascii_uppercase()))
            && parts.next().is_none()
    };
    for (event, t) in templates {
        let Some(e) = MessageEvent::parse(event) else {
            c.fail(&format!("templates.{event}"), "unknown", "no such event");
            continue;
        };
        if !name_ok(&t.name) {
            c.fail(
                &format!("templates.{event}.name"),
                "format",
                "the template's name at Meta: lower-case letters, digits and _",
            );
        }
        if !language_ok(&t.language) {
            c.fail(
                &format!("templates.{event}.language"),
                "format",
                "a language code as Meta writes it, such as id or en_US",
            );
        }
        if t.params.len() > 10 {
            c.fail(
                &format!("templates.{event}.params"),
                "length",
                "at most 10 parameters",
            );
        }
        for (i, p) in t.params.iter().enumerate() {
            if !e.variables().contains(&p.as_str()) {
                c.push(
                    FieldError::new(
                        format!("templates.{event}.params[{i}]"),
                        "unknown",
                        format!("{event} has no variable {p:?}"),
                    )
                    .with("allowed", e.variables().to_vec()),
                );
            }
        }
    }
}

/// Saves the WhatsApp channel. A gateway sent without a token keeps the
/// token stored for the same kind at the same place; tokens are sealed and
/// never answered back.
pub async fn save_channel(
    db: &Db,
    sealer: &Sealer,
    who: &Person,
    input: ChannelInput,
    now: DateTime<Utc>,
) -> Result<Channel, Error> {
    let mut c = Checks::default();
    let sender_name = c.text("sender_name", &input.sender_name, 60);
    if input.gateways.len() > 3 {
        c.fail("gateways", "length", "at most 3 gateways");
    }
    if !(1..=100).contains(&input.daily_limit) {
        c.push(
            FieldError::new("daily_limit", "range", "from 1 to 100 messages a day")
                .with("min", 1)
                .with("max", 100),
        );
    }
    if input.quiet_start.is_some() != input.quiet_end.is_some() {
        c.fail(
            "quiet_end",
            "required",
            "give both ends of the quiet hours, or neither",
        );
    }
    // Tokens that no longer open (the identity key changed) count as
    // absent: the admin enters them again.
    let current = channel(db.conn()).await?;
    let old = secrets(db, sealer).await.unwrap_or_default();
    let old_tokens = old.tokens;
    check_cloud_templates(&mut c, &input.templates);
    if input
        .gateways
        .iter()
        .filter(|g| g.kind == GatewayKind::Cloud)
        .count()
        > 1
    {
        c.fail("gateways", "duplicate", "at most one Cloud API gateway");
    }
    let mut app_secrets = Vec::new();
    for (i, g) in input.gateways.iter().enumerate() {
        if g.kind != GatewayKind::Cloud {
            app_secrets.push(String::new());
            continue;
        }
        match g.phone_number_id.as_deref().map(str::trim) {
            Some(id)
                if !id.is_empty() && id.len() <= 30 && id.chars().all(|ch| ch.is_ascii_digit()) => {
            }
            Some(id) if !id.is_empty() => c.fail(
                &format!("gateways[{i}].phone_number_id"),
                "format",
                "the phone number ID Meta shows: digits",
            ),
            _ => c.fail(
                &format!("gateways[{i}].phone_number_id"),
                "required",
                "give the phone number ID Meta shows",
            ),
        }
        let secret = match g.app_secret.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => {
                if t.len() > 200 || t.chars().any(char::is_control) {
                    c.fail(
                        &format!("gateways[{i}].app_secret"),
                        "format",
                        "not an app secret",
                    );
                }
                Some(t.to_string())
            }
            _ => current
                .config
                .gateways
                .get(i)
                .filter(|o| o.kind == GatewayKind::Cloud)
                .and_then(|_| old.app_secrets.get(i).filter(|a| !a.is_empty()).cloned()),
        };
        match secret {
            Some(a) => app_secrets.push(a),
            None => c.fail(
                &format!("gateways[{i}].app_secret"),
                "required",
                "give the app secret (it signs the Cloud API's webhooks)",
            ),
        }
    }
    let mut tokens = Vec::new();
    for (i, g) in input.gateways.iter().enumerate() {
        if let Some(url) = g.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let ok = url::Url::parse(url.trim())
                .ok()
                .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                c.fail(
                    &format!("gateways[{i}].base_url"),
                    "format",
                    "an http(s) address such as https://jogja.wablas.com",
                );
            }
        }
        let token = match g.token.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => {
                if t.len() > 200 || t.chars().any(char::is_control) {
                    c.fail(&format!("gateways[{i}].token"), "format", "not a token");
                }
                Some(t.to_string())
            }
            _ => current
                .config
                .gateways
                .get(i)
                .filter(|old| old.kind == g.kind)
                .and_then(|_| old_tokens.get(i).cloned()),
        };
        match token {
            Some(t) => tokens.push(t),
            None => {
                c.fail(
                    &format!("gateways[{i}].token"),
                    "required",
                    "give the gateway's token",
                );
            }
        }
    }
    if input.enabled && input.gateways.is_empty() {
        c.fail("gateways", "required", "add a gateway before turning it on");
    }
    c.finish()?;
    let config = WhatsAppConfig {
        gateways: input
            .gateways
            .iter()
            .map(|g| Gateway {
                kind: g.kind,
                base_url: g
                    .base_url
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(|u| u.trim_end_matches('/').to_string()),
                phone_number_id: (g.kind == GatewayKind::Cloud)
                    .then(|| {
                        g.phone_number_id
                            .as_deref()
                            .map(str::trim)
                            .map(str::to_string)
                    })
                    .flatten(),
            })
            .collect(),
        quiet_start: input.quiet_start,
        quiet_end: input.quiet_end,
        daily_limit: input.daily_limit,
        sender_name,
        webhook_secret: if current.config.webhook_secret.is_empty() || input.rotate_webhook_secret {
            crate::sessions::new_token()
        } else {
            current.config.webhook_secret.clone()
        },
        templates: input.templates.clone(),
    };
    let mut stored = serde_json::to_value(&config).unwrap_or_default();
    stored["tokens"] = json!(tokens.len());
    let sealed = sealer.seal(
        owner(),
        &serde_json::to_vec(&Secrets {
            tokens: tokens.clone(),
            app_secrets,
        })
        .unwrap_or_default(),
    );
    let txn = db.begin_write().await?;
    let before = message_channel::Entity::find_by_id(WHATSAPP)
        .one(&*txn)
        .await?;
    let row = message_channel::ActiveModel {
        channel: Set(WHATSAPP.to_string()),
        enabled: Set(input.enabled),
        config: Set(stored.to_string()),
        secrets_sealed: Set(Some(sealed)),
        updated_by: Set(who.id),
        updated_at: Set(now),
    };
    if before.is_some() {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    let view = |enabled: bool, cfg: &WhatsAppConfig| {
        json!({"enabled": enabled, "gateways": cfg.gateways, "quiet_start": cfg.quiet_start,
            "quiet_end": cfg.quiet_end, "daily_limit": cfg.daily_limit, "sender_name": cfg.sender_name,
            "templates": cfg.templates})
    };
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "channel.update",
            entity: "channel",
            entity_id: Some(WHATSAPP.to_string()),
            before: before.map(|_| view(current.enabled, &current.config)),
            after: Some(view(input.enabled, &config)),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    channel(db.conn()).await.map_err(Error::from)
}

// ------------------------------------------------------------ templates

/// The wording for `event` in `locale`: the admin's, else the built-in.
pub async fn template<C: ConnectionTrait>(
    db: &C,
    event: MessageEvent,
    locale: &str,
) -> Result<(String, bool), DbErr> {
    let row =
        message_template::Entity::find_by_id((event.as_str().to_string(), locale.to_string()))
            .one(db)
            .await?;
    Ok(match row {
        Some(r) => (r.body, true),
        None => (event.default_template(locale).to_string(), false),
    })
}

/// The languages messages are written in.
pub const LOCALES: [&str; 2] = ["id", "en"];

fn check_locale(locale: &str) -> Result<(), Error> {
    if LOCALES.contains(&locale) {
        Ok(())
    } else {
        Err(Invalid::one(
            FieldError::new("locale", "choice", "id or en").with("allowed", json!(LOCALES)),
        )
        .into())
    }
}

/// Refuses a template the event cannot fill.
pub fn check_template(event: MessageEvent, body: &str) -> Result<(), Error> {
    messages::check_template(event, body).map_err(|e| {
        let code = match &e {
            messages::BadTemplate::Empty => "required",
            messages::BadTemplate::TooLong(_) => "length",
            messages::BadTemplate::Syntax(_) => "syntax",
            messages::BadTemplate::UnknownVariable(_) => "unknown_variable",
            messages::BadTemplate::MissingVariable(_) => "required",
        };
        let mut f =
            FieldError::new("body", code, e.to_string()).with("allowed", json!(event.variables()));
        if let messages::BadTemplate::UnknownVariable(v)
        | messages::BadTemplate::MissingVariable(v) = &e
        {
            f = f.with("variable", v.clone());
        }
        Error::Invalid(Invalid::one(f))
    })
}

/// Saves the admin's wording (`None`: back to the built-in one).
pub async fn save_template(
    db: &Db,
    who: &Person,
    (event, locale): (MessageEvent, &str),
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, bool), Error> {
    check_locale(locale)?;
    if let Some(b) = body {
        check_template(event, b)?;
    }
    let txn = db.begin_write().await?;
    let (before, _) = template(&*txn, event, locale).await?;
    message_template::Entity::delete_by_id((event.as_str().to_string(), locale.to_string()))
        .exec(&*txn)
        .await?;
    if let Some(b) = body {
        message_template::ActiveModel {
            event: Set(event.as_str().to_string()),
            locale: Set(locale.to_string()),
            body: Set(b.trim().to_string()),
            updated_by: Set(who.id),
            updated_at: Set(now),
        }
        .insert(&*txn)
        .await?;
    }
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "message_template.update",
            entity: "message_template",
            entity_id: Some(format!("{}/{locale}", event.as_str())),
            before: Some(json!({"body": before})),
            after: Some(json!({"body": body, "built_in": body.is_none()})),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(template(db.conn(), event, locale).await?)
}

/// Example values for a preview of `event`'s wording.
pub fn sample_vars(sender: &str, event: MessageEvent) -> Value {
    let mut vars = json!({"name": "Budi Santoso", "customer_number": "PLG-000123", "number": "TRB-2026-000123",
        "isp": sender, "technician": "Andi", "date": "2026-12-01", "window": "08:00-12:00",
        "reason": "menunggu pelanggan", "outage": "OUT-2026-000007 ODP-CBL-001-01",
        "link": "https://netcrew.isp.example/reset-password?token=…", "hours": 24,
        "code": "482913", "minutes": 5,
        "by": "Sari", "status": "di lokasi", "kind": "perbaikan", "priority": "P2", "rating": 5,
        "target": "penyelesaian", "due": "01/12 14:00", "title": "Kabel feeder putus di ODC-CBL-01",
        "provider": "fonnte", "technician": "Andi", "from": "2026-12-01", "to": "2026-12-03",
        "note": "stok habis", "item": "Kabel drop 1 core", "location": "Gudang Pusat",
        "quantity": 120, "minimum": 500, "unit": "m", "lines": 3});
    if event == MessageEvent::OnTheWay {
        vars["link"] = json!("https://netcrew.isp.example/track/…");
    }
    if event == MessageEvent::Resolved {
        vars["link"] = json!("https://netcrew.isp.example/account/tickets/…");
    }
    vars
}

// ------------------------------------------------------------ writing

/// A message to a customer about a ticket (or an outage), as the change
/// that causes it describes it.
#[derive(Debug, Clone)]
pub struct ToCustomer<'a> {
    pub customer_id: Uuid,
    pub ticket: Option<(Uuid, &'a str)>,
    pub event: MessageEvent,
    /// The event's variables beyond the customer's and the ticket's.
    pub vars: Value,
    /// What makes this message one of a kind (a retried change writes it
    /// once).
    pub key: String,
}

/// Writes a WhatsApp message to a customer in the caller's transaction,
/// when the channel is on: in the customer's language (their portal
/// account's, else Indonesian), held until the quiet hours end, skipped
/// beyond the daily limit. An erased customer or one without a phone gets
/// nothing.
pub async fn to_customer<C: ConnectionTrait>(
    db: &C,
    m: ToCustomer<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let ch = channel(db).await?;
    if !ch.enabled {
        return Ok(());
    }
    let Some(cust) = customer::Entity::find_by_id(m.customer_id).one(db).await? else {
        return Ok(());
    };
    if cust.erased_at.is_some() {
        return Ok(());
    }
    let recipient = cust
        .whatsapp
        .clone()
        .filter(|w| !w.trim().is_empty())
        .unwrap_or_else(|| cust.phone.clone());
    // No number: nothing can go, and the log says why.
    let no_number = recipient.trim().is_empty();
    let locale = user::Entity::find()
        .filter(user::Column::CustomerId.eq(cust.id))
        .one(db)
        .await?
        .map(|u| u.locale)
        .filter(|l| LOCALES.contains(&l.as_str()))
        .unwrap_or_else(|| "id".to_string());
    let (source, _) = template(db, m.event, &locale).await?;
    let mut vars = json!({
        "name": cust.name, "customer_number": cust.customer_number,
        "number": m.ticket.map(|t| t.1), "isp": ch.config.sender_name,
    });
    if let (Some(into), Some(extra)) = (vars.as_object_mut(), m.vars.as_object()) {
        for (k, v) in extra {
            // A value given per language: the recipient's.
            let v = match v.get(locale.as_str()) {
                Some(in_locale) if v.is_object() => in_locale.clone(),
                _ => v.clone(),
            };
            into.insert(k.clone(), v);
        }
    }
    let (body, mut status, mut why) = match messages::render(&source, &vars) {
        Ok(b) => (b, "queued", String::new()),
        Err(e) => (String::new(), "failed", e.to_string()),
    };
    let zone = area::Entity::find_by_id(cust.area_id)
        .one(db)
        .await?
        .and_then(|a| a.time_zone.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::Asia::Jakarta);
    let local = now.with_timezone(&zone).naive_local();
    let at = messages::send_at(local, ch.config.quiet(), m.event.urgent());
    // A time that does not exist locally (a clock moved forward) is taken
    // an hour later, never "now" inside the quiet hours.
    let next = at
        .and_local_timezone(zone)
        .earliest()
        .or_else(|| {
            (at + Duration::hours(1))
                .and_local_timezone(zone)
                .earliest()
        })
        .map_or(now, |t| t.with_timezone(&Utc));
    if no_number {
        status = "skipped";
        why = "the customer has no phone or WhatsApp number".to_string();
    }
    if status == "queued" && !m.event.urgent() {
        let today = outbox_message::Entity::find()
            .filter(outbox_message::Column::CustomerId.eq(cust.id))
            .filter(outbox_message::Column::CreatedAt.gt(now - Duration::hours(24)))
            .filter(outbox_message::Column::Status.ne("skipped"))
            .count(db)
            .await?;
        if today >= u64::from(ch.config.daily_limit) {
            status = "skipped";
            why = format!(
                "daily limit of {} messages to this customer reached",
                ch.config.daily_limit
            );
        }
    }
    queue_message(
        db,
        NewMessage {
            channel: WHATSAPP,
            event: m.event.as_str(),
            recipient: &recipient,
            customer_id: Some(cust.id),
            ticket: m.ticket,
            locale: &locale,
            body: &body,
            subject: None,
            vars: Some(vars.to_string()),
            status,
            next_attempt_at: next,
            last_error: why,
            key: m.key,
        },
        now,
    )
    .await
}

/// Whether `phone` wrote to the ISP in the 24 hours before `now` (the
/// Cloud API then takes free text, not only templates).
pub async fn window_open<C: ConnectionTrait>(
    db: &C,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use crate::entity::inbound_message;
    Ok(inbound_message::Entity::find()
        .filter(inbound_message::Column::Sender.eq(phone))
        .filter(inbound_message::Column::ReceivedAt.gt(now - Duration::hours(24)))
        .one(db)
        .await?
        .is_some())
}

/// Writes a WhatsApp message to a person who asked for it just now (a
/// link to their account) in the caller's transaction, due at once (quiet
/// hours are for messages nobody is waiting for); `false` (nothing
/// written) while the channel is off.
pub async fn to_person<C: ConnectionTrait>(
    db: &C,
    phone: &str,
    event: &str,
    locale: &str,
    body: &str,
    key: String,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if !channel(db).await?.enabled {
        return Ok(false);
    }
    queue_message(
        db,
        NewMessage {
            channel: WHATSAPP,
            event,
            recipient: phone,
            customer_id: None,
            ticket: None,
            locale,
            body,
            subject: None,
            vars: None,
            status: "queued",
            next_attempt_at: now,
            last_error: String::new(),
            key,
        },
        now,
    )
    .await?;
    Ok(true)
}

/// A message as the outbox takes it.
pub(crate) struct NewMessage<'a> {
    pub channel: &'a str,
    pub event: &'a str,
    /// A phone number (E.164) or an e-mail address.
    pub recipient: &'a str,
    pub customer_id: Option<Uuid>,
    pub ticket: Option<(Uuid, &'a str)>,
    pub locale: &'a str,
    pub body: &'a str,
    pub subject: Option<&'a str>,
    /// The event's variables (JSON), for a template's parameters.
    pub vars: Option<String>,
    /// `queued`, or already `failed` / `skipped` with `last_error`.
    pub status: &'a str,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: String,
    /// What makes it one of a kind: written again, it is written once.
    pub key: String,
}

/// Writes `m` to the outbox in the caller's transaction (once per key).
pub(crate) async fn queue_message<C: ConnectionTrait>(
    db: &C,
    m: NewMessage<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = outbox_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        channel: Set(m.channel.to_string()),
        event: Set(m.event.to_string()),
        recipient: Set(m.recipient.to_string()),
        customer_id: Set(m.customer_id),
        ticket_id: Set(m.ticket.map(|t| t.0)),
        ticket_number: Set(m.ticket.map(|t| t.1.to_string())),
        locale: Set(m.locale.to_string()),
        body: Set(m.body.to_string()),
        subject: Set(m.subject.map(str::to_string)),
        vars: Set(m.vars),
        status: Set(m.status.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(m.next_attempt_at),
        claimed_by: Set(None),
        claimed_until: Set(None),
        provider: Set(None),
        provider_message_id: Set(None),
        last_error: Set(m.last_error),
        idempotency_key: Set(m.key),
        created_at: Set(now),
        sent_at: Set(None),
        updated_at: Set(now),
    };
    outbox_message::Entity::insert(row)
        .on_conflict(
            OnConflict::column(outbox_message::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// From this hour (local) the day before a visit, its reminder is written.
pub const REMIND_FROM_HOUR: u32 = 8;

/// Writes the reminders of tomorrow's visits (once per ticket and day):
/// open tickets with a technician and an appointment tomorrow in `zone`.
/// Answers how many were written.
pub async fn remind_tomorrow(
    db: &Db,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    use chrono::Timelike;
    let local = now.with_timezone(&zone);
    if local.hour() < REMIND_FROM_HOUR || !channel(db.conn()).await?.enabled {
        return Ok(0);
    }
    let tomorrow = (local.date_naive() + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let due = crate::entity::ticket::Entity::find()
        .filter(crate::entity::ticket::Column::IsOpen.eq(true))
        .filter(crate::entity::ticket::Column::Status.is_in(["assigned", "accepted"]))
        .filter(crate::entity::ticket::Column::AppointmentDate.eq(tomorrow.as_str()))
        .filter(crate::entity::ticket::Column::TechnicianId.is_not_null())
        .limit(2000)
        .all(db.conn())
        .await?;
    let mut written = 0;
    for t in due {
        let key = format!("ticket:{}:reminder:{tomorrow}", t.id);
        let exists = outbox_message::Entity::find()
            .filter(outbox_message::Column::IdempotencyKey.eq(key.as_str()))
            .count(db.conn())
            .await?;
        if exists > 0 {
            continue;
        }
        let technician = match t.technician_id {
            Some(id) => user::Entity::find_by_id(id)
                .one(db.conn())
                .await?
                .map(|u| u.name),
            None => None,
        };
        let txn = db.begin_write().await?;
        to_customer(
            &*txn,
            ToCustomer {
                customer_id: t.customer_id,
                ticket: Some((t.id, &t.number)),
                event: MessageEvent::AppointmentReminder,
                vars: json!({"technician": technician, "date": t.appointment_date,
                    "window": t.appointment_window}),
                key,
            },
            now,
        )
        .await?;
        txn.commit().await?;
        written += 1;
    }
    Ok(written)
}

/// The message a customer's short reply answers: the newest reminder or
/// "please rate" sent to them in the last 48 hours.
pub async fn replied_to<C: ConnectionTrait>(
    db: &C,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<outbox_message::Model>, DbErr> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::CustomerId.eq(customer_id))
        .filter(outbox_message::Column::Event.is_in([
            MessageEvent::AppointmentReminder.as_str(),
            MessageEvent::Resolved.as_str(),
        ]))
        .filter(outbox_message::Column::Status.is_in(["sent", "delivered", "read"]))
        .filter(outbox_message::Column::CreatedAt.gt(now - Duration::hours(48)))
        .order_by_desc(outbox_message::Column::CreatedAt)
        .one(db)
        .await
}

// ------------------------------------------------------------ sending

/// Takes up to `batch` messages of `channel` that are due for `worker`,
/// for `lease`:
/// queued ones, and ones whose earlier worker's lease ran out (it stopped
/// mid-send). Each try counts.
pub async fn claim(
    db: &Db,
    channel: &str,
    worker: &str,
    batch: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    let backend = db.conn().get_database_backend();
    let sql = match db.backend() {
        Backend::Postgres => {
            "UPDATE outbox_messages SET status = 'sending', claimed_by = $1, claimed_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
             WHERE id IN (SELECT id FROM outbox_messages \
               WHERE channel = $5 AND status IN ('queued', 'sending') AND next_attempt_at <= $3 \
               AND (claimed_until IS NULL OR claimed_until < $3) \
               ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        Backend::Sqlite => {
            "UPDATE outbox_messages SET status = 'sending', claimed_by = $1, claimed_until = $2, \
             attempts = attempts + 1, updated_at = $3 \
             WHERE id IN (SELECT id FROM outbox_messages \
               WHERE channel = $5 AND status IN ('queued', 'sending') AND next_attempt_at <= $3 \
               AND (claimed_until IS NULL OR claimed_until < $3) \
               ORDER BY next_attempt_at LIMIT $4) \
             RETURNING *"
        }
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [
            worker.into(),
            (now + lease).into(),
            now.into(),
            (batch as i64).into(),
            channel.into(),
        ],
    );
    let txn = db.begin_write().await?;
    let claimed = outbox_message::Entity::find()
        .from_raw_sql(stmt)
        .all(&*txn)
        .await?;
    txn.commit().await?;
    Ok(claimed)
}

/// Extends `worker`'s hold on a message just before it is sent, so that a
/// long batch never outlives its lease. `false`: the message is no longer
/// this worker's (another took it after the lease ran out): do not send.
pub async fn renew(
    db: &Db,
    id: Uuid,
    worker: &str,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = db.begin_write().await?;
    let changed = outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::ClaimedUntil,
            Expr::value(now + lease),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .filter(outbox_message::Column::ClaimedBy.eq(worker))
        .filter(outbox_message::Column::Status.eq("sending"))
        .filter(outbox_message::Column::ClaimedUntil.gt(now))
        .exec(&*txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(changed == 1)
}

/// How a send went.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent {
        provider: String,
        provider_message_id: Option<String>,
    },
    Failed {
        reason: String,
        /// No retry helps (the number is not on WhatsApp).
        permanent: bool,
    },
}

/// Records how sending a claimed message went: sent; or tried again later
/// with backoff; or failed for good with the reason. Only the worker that
/// holds the message may record it.
pub async fn record(
    db: &Db,
    m: &outbox_message::Model,
    worker: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    let Some(current) = outbox_message::Entity::find_by_id(m.id).one(&*txn).await? else {
        return Ok(());
    };
    if current.claimed_by.as_deref() != Some(worker) || current.status != "sending" {
        return Ok(());
    }
    let mut am = current.clone().into_active_model();
    am.claimed_by = Set(None);
    am.claimed_until = Set(None);
    am.updated_at = Set(now);
    match outcome {
        Outcome::Sent {
            provider,
            provider_message_id,
        } => {
            am.status = Set("sent".to_string());
            am.provider = Set(Some(provider));
            am.provider_message_id = Set(provider_message_id);
            am.sent_at = Set(Some(now));
            am.last_error = Set(String::new());
        }
        Outcome::Failed { reason, permanent } => {
            am.last_error = Set(reason);
            match messages::backoff(current.attempts).filter(|_| !permanent) {
                Some(wait) => {
                    am.status = Set("queued".to_string());
                    am.next_attempt_at = Set(now + wait);
                }
                None => am.status = Set("failed".to_string()),
            }
        }
    }
    am.update(&*txn).await?;
    txn.commit().await?;
    Ok(())
}

/// A delivery report from a gateway: the message it knows by `provider_id`
/// is `delivered`, `read` or `failed` (with the reason). Statuses only move
/// forward.
pub async fn delivery_report(
    db: &Db,
    provider: &str,
    provider_id: &str,
    status: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let rank = |s: &str| match s {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        _ => 0,
    };
    let txn = db.begin_write().await?;
    let Some(m) = outbox_message::Entity::find()
        .filter(outbox_message::Column::Provider.eq(provider))
        .filter(outbox_message::Column::ProviderMessageId.eq(provider_id))
        .one(&*txn)
        .await?
    else {
        return Ok(false);
    };
    let forward = match status {
        "failed" => matches!(m.status.as_str(), "sent" | "delivered"),
        s => rank(s) > rank(&m.status),
    };
    if forward {
        let mut am = m.into_active_model();
        am.status = Set(status.to_string());
        if status == "failed" {
            am.last_error = Set(reason.to_string());
        }
        am.updated_at = Set(now);
        am.update(&*txn).await?;
    }
    txn.commit().await?;
    Ok(true)
}

// ------------------------------------------------------------ reading

/// What the delivery log is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<String>,
    pub customer_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    /// The start of a phone number (`+62812`, `0812`) or a ticket number.
    pub q: Option<String>,
}

/// The delivery log, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    f: &MessageFilter,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<outbox_message::Model>, PageError>, DbErr> {
    use outbox_message::Column as M;
    let mut select = outbox_message::Entity::find();
    if let Some(s) = &f.status {
        select = select.filter(M::Status.eq(s.as_str()));
    }
    if let Some(c) = f.customer_id {
        select = select.filter(M::CustomerId.eq(c));
    }
    if let Some(t) = f.ticket_id {
        select = select.filter(M::TicketId.eq(t));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let phone = crate::customers::phone_prefix(q);
        let upper = q.to_uppercase();
        let mut any = sea_orm::Condition::any().add(M::TicketNumber.starts_with(&upper));
        if let Some(p) = phone {
            any = any.add(M::Recipient.starts_with(&p));
        }
        select = select.filter(any);
    }
    newest_first(db, select, M::Id, limit, cursor, |m| m.id).await
}

/// Sends a failed or skipped message again (now, with its tries counted
/// afresh).
pub async fn send_again(
    db: &Db,
    who: &Person,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<outbox_message::Model, Error> {
    let txn = db.begin_write().await?;
    let m = outbox_message::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such message.".to_string()))?;
    if !matches!(m.status.as_str(), "failed" | "skipped") {
        return Err(Error::Conflict(format!(
            "A {} message is not sent again.",
            m.status
        )));
    }
    if m.body.is_empty() {
        return Err(Error::Conflict(
            "This message has no text to send (its template failed).".to_string(),
        ));
    }
    let mut am = m.clone().into_active_model();
    am.status = Set("queued".to_string());
    am.attempts = Set(0);
    am.next_attempt_at = Set(now);
    am.updated_at = Set(now);
    let saved = am.update(&*txn).await?;
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "message.send_again",
            entity: "message",
            entity_id: Some(id.to_string()),
            before: Some(json!({"status": m.status, "last_error": m.last_error})),
            after: Some(json!({"status": "queued"})),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Whether `secret` is the webhook secret of the channel (compared in
/// constant time).
pub async fn webhook_secret_matches<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<bool, DbErr> {
    let ch = channel(db).await?;
    let expected = ch.config.webhook_secret.as_bytes();
    if expected.is_empty() || expected.len() != secret.len() {
        return Ok(false);
    }
    let diff = expected
        .iter()
        .zip(secret.as_bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    Ok(diff == 0)
}

/// Whether a gateway's reason says its WhatsApp device or account needs
/// a person: logged out, disconnected, out of quota or credit, expired.
pub fn needs_attention(reason: &str) -> bool {
    let r = reason.to_lowercase();
    [
        "disconnect",
        "logged out",
        "logout",
        "not connected",
        "quota",
        "credit",
        "expired",
        "invalid token",
        "token invalid",
        "unauthorized",
    ]
    .iter()
    .any(|w| r.contains(w))
}

/// Tells the active admins in the app that a gateway needs them (its
/// device logged out, its quota spent), at most once an hour per gateway.
/// Answers whether they were told now.
pub async fn alert_admins(
    db: &Db,
    provider: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use crate::entity::notification;
    let kind = "gateway_problem";
    let recent = notification::Entity::find()
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::CreatedAt.gt(now - Duration::hours(1)))
        .all(db.conn())
        .await?;
    let already = recent.iter().any(|n| {
        serde_json::from_str::<Value>(&n.data)
            .ok()
            .and_then(|d| {
                d.get("provider")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .as_deref()
            == Some(provider)
    });
    if already {
        return Ok(false);
    }
    let admins: Vec<Uuid> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(netcrew_domain::Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db.conn())
        .await?;
    let txn = db.begin_write().await?;
    crate::notifications::notify(
        &*txn,
        &admins,
        &crate::notifications::Note {
            kind,
            ticket: None,
            outage_id: None,
            data: json!({"provider": provider, "reason": reason}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// How many messages wait and how many failed, for the admin's overview.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, i64)>, DbErr> {
    outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(Expr::col(outbox_message::Column::Id).count(), "n")
        .group_by(outbox_message::Column::Status)
        .order_by_asc(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await
}
