//! Staff alerts beyond the bell. When a notification is given to staff,
//! the same change writes it to the outbox for the channels that person
//! gets that event by: their own choice, else the admin's for their role,
//! else the built-in one (`netcrew_domain::alerts`). Each is worded in the
//! person's language from the event's template, held until the person's
//! quiet hours end, and sent by the outbox worker like any message: e-mail,
//! WhatsApp, or Web Push to every device that allowed it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveTime, Utc};
use netcrew_domain::{
    Checks, FieldError, Invalid, Role,
    alerts::{self, AlertChannel, STAFF_ALERTS, StaffAlert},
    messages::{self, MessageEvent, QuietHours},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::{self, Audit},
    email::EMAIL,
    entity::{
        message_channel, notification_preference, notification_route, push_subscription, user,
    },
    identity::Sealer,
    notifications::Note,
    outbox::{self, NewMessage, WHATSAPP},
    tickets::Person,
};

/// The Web Push channel's name in the outbox and the settings.
pub const PUSH: &str = "push";

/// The time zone of a person who chose none.
pub const DEFAULT_ZONE: &str = "Asia/Jakarta";

fn channels_text(channels: &[AlertChannel]) -> String {
    let mut c: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c.join(",")
}

fn channels_of(text: &str) -> Vec<AlertChannel> {
    let mut c: Vec<AlertChannel> = text.split(',').filter_map(AlertChannel::parse).collect();
    c.sort();
    c.dedup();
    c
}

fn sorted(channels: &[AlertChannel]) -> Vec<AlertChannel> {
    let mut c = channels.to_vec();
    c.sort();
    c.dedup();
    c
}

// ------------------------------------------------------------ routes

/// The channels one role gets one staff alert by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub event: MessageEvent,
    pub role: Role,
    pub channels: Vec<AlertChannel>,
    /// The built-in channels (the admin changed nothing when equal and
    /// `customized` is false).
    pub built_in: Vec<AlertChannel>,
    pub customized: bool,
}

/// Every staff alert for every role it reaches, as the admin set it.
pub async fn routes<C: ConnectionTrait>(db: &C) -> Result<Vec<Route>, DbErr> {
    let stored: HashMap<(String, String), String> = notification_route::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| ((r.event, r.role), r.channels))
        .collect();
    let mut out = Vec::new();
    for a in &STAFF_ALERTS {
        for (role, built_in) in a.defaults {
            let key = (a.event.as_str().to_string(), role.as_str().to_string());
            let custom = stored.get(&key);
            out.push(Route {
                event: a.event,
                role: *role,
                channels: custom.map_or_else(|| sorted(built_in), |c| channels_of(c)),
                built_in: sorted(built_in),
                customized: custom.is_some(),
            });
        }
    }
    Ok(out)
}

/// The staff alert of an event name, or a 404-worthy `None`.
pub fn staff_alert(event: &str) -> Option<&'static StaffAlert> {
    MessageEvent::parse(event).and_then(alerts::of)
}

/// Sets the channels `role` gets `alert` by (`None`: back to the built-in
/// ones). A role the alert never reaches is refused.
pub async fn save_route(
    db: &Db,
    who: &Person,
    alert: &'static StaffAlert,
    role: Role,
    channels: Option<&[AlertChannel]>,
    now: DateTime<Utc>,
) -> Result<Route, Error> {
    if !alert.reaches(role) {
        let reached: Vec<&str> = alert.defaults.iter().map(|(r, _)| r.as_str()).collect();
        return Err(Invalid::one(
            FieldError::new(
                "role",
                "choice",
                format!(
                    "{} reaches only {}",
                    alert.event.as_str(),
                    reached.join(", ")
                ),
            )
            .with("allowed", json!(reached)),
        )
        .into());
    }
    let event = alert.event.as_str().to_string();
    let txn = db.begin_write().await?;
    let before = notification_route::Entity::find_by_id((event.clone(), role.as_str().to_string()))
        .one(&*txn)
        .await?;
    notification_route::Entity::delete_by_id((event.clone(), role.as_str().to_string()))
        .exec(&*txn)
        .await?;
    if let Some(c) = channels {
        notification_route::ActiveModel {
            event: Set(event.clone()),
            role: Set(role.as_str().to_string()),
            channels: Set(channels_text(c)),
            updated_by: Set(who.id.unwrap_or_default()),
            updated_at: Set(now),
        }
        .insert(&*txn)
        .await?;
    }
    let before = before.map_or_else(
        || sorted(alert.default_channels(role)),
        |r| channels_of(&r.channels),
    );
    let after = channels.map_or_else(|| sorted(alert.default_channels(role)), sorted);
    audit_log::audit(
        &*txn,
        Audit {
            actor_id: who.id,
            actor_ip: who.ip.clone(),
            action: "notification_route.update",
            entity: "notification_route",
            entity_id: Some(format!("{event}/{}", role.as_str())),
            before: Some(json!({"channels": before})),
            after: Some(json!({"channels": after, "built_in": channels.is_none()})),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(routes(db.conn())
        .await?
        .into_iter()
        .find(|r| r.event == alert.event && r.role == role)
        .unwrap_or(Route {
            event: alert.event,
            role,
            channels: after.clone(),
            built_in: sorted(alert.default_channels(role)),
            customized: channels.is_some(),
        }))
}

// ------------------------------------------------------------ preferences

/// One event as a person sees it in their preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChoice {
    pub event: MessageEvent,
    /// The channels it comes by for this person.
    pub channels: Vec<AlertChannel>,
    /// Their role's (the admin's, else the built-in).
    pub role_channels: Vec<AlertChannel>,
    /// Whether the person chose (else the role's apply).
    pub chosen: bool,
}

/// A person's choices for their staff alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub events: Vec<EventChoice>,
    pub quiet_start: Option<NaiveTime>,
    pub quiet_end: Option<NaiveTime>,
    pub time_zone: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Chosen(BTreeMap<String, Vec<AlertChannel>>);

fn chosen_of(row: Option<&notification_preference::Model>) -> Chosen {
    row.and_then(|r| serde_json::from_str(&r.channels).ok())
        .unwrap_or_default()
}

fn time_of(s: Option<&str>) -> Option<NaiveTime> {
    s.and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
}

fn role_channels(routes: &[Route], event: MessageEvent, role: Role) -> Vec<AlertChannel> {
    routes
        .iter()
        .find(|r| r.event == event && r.role == role)
        .map(|r| r.channels.clone())
        .unwrap_or_default()
}

/// The preferences of a staff member (the events their role receives).
pub async fn preferences<C: ConnectionTrait>(
    db: &C,
    person: Uuid,
    role: Role,
) -> Result<Preferences, DbErr> {
    let row = notification_preference::Entity::find_by_id(person)
        .one(db)
        .await?;
    let chosen = chosen_of(row.as_ref());
    let routes = routes(db).await?;
    let events = STAFF_ALERTS
        .iter()
        .filter(|a| a.reaches(role))
        .map(|a| {
            let role_channels = role_channels(&routes, a.event, role);
            match chosen.0.get(a.event.as_str()) {
                Some(c) => EventChoice {
                    event: a.event,
                    channels: sorted(c),
                    role_channels,
                    chosen: true,
                },
                None => EventChoice {
                    event: a.event,
                    channels: role_channels.clone(),
                    role_channels,
                    chosen: false,
                },
            }
        })
        .collect();
    Ok(Preferences {
        events,
        quiet_start: time_of(row.as_ref().and_then(|r| r.quiet_start.as_deref())),
        quiet_end: time_of(row.as_ref().and_then(|r| r.quiet_end.as_deref())),
        time_zone: row.map_or_else(|| DEFAULT_ZONE.to_string(), |r| r.time_zone),
    })
}

/// A person's choices as they send them: per event, the channels (an
/// event left out takes the role's).
#[derive(Debug, Clone)]
pub struct PreferencesInput {
    pub channels: BTreeMap<String, Vec<AlertChannel>>,
    pub quiet_start: Option<NaiveTime>,
    pub quiet_end: Option<NaiveTime>,
    pub time_zone: Option<String>,
}

/// Saves a staff member's choices.
pub async fn save_preferences(
    db: &Db,
    person: Uuid,
    role: Role,
    input: PreferencesInput,
    now: DateTime<Utc>,
) -> Result<Preferences, Error> {
    let mut c = Checks::default();
    for event in input.channels.keys() {
        match staff_alert(event) {
            None => c.fail(
                &format!("channels.{event}"),
                "unknown",
                "no such staff alert",
            ),
            Some(a) if !a.reaches(role) => c.fail(
                &format!("channels.{event}"),
                "unknown",
                "your role does not receive this alert",
            ),
            Some(_) => {}
        }
    }
    if input.quiet_start.is_some() != input.quiet_end.is_some() {
        c.fail(
            "quiet_end",
            "required",
            "give both ends of the quiet hours, or neither",
        );
    }
    if input.quiet_start.is_some() && input.quiet_start == input.quiet_end {
        c.fail(
            "quiet_end",
            "range",
            "the quiet hours must not start and end at once",
        );
    }
    let zone = input
        .time_zone
        .as_deref()
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .unwrap_or(DEFAULT_ZONE)
        .to_string();
    if zone.parse::<chrono_tz::Tz>().is_err() {
        c.fail(
            "time_zone",
            "format",
            "a time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
        );
    }
    c.finish()?;
    let chosen = Chosen(
        input
            .channels
            .iter()
            .map(|(k, v)| (k.clone(), sorted(v)))
            .collect(),
    );
    let hm = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    let row = notification_preference::ActiveModel {
        user_id: Set(person),
        channels: Set(serde_json::to_string(&chosen).unwrap_or_else(|_| "{}".to_string())),
        quiet_start: Set(hm(input.quiet_start)),
        quiet_end: Set(hm(input.quiet_end)),
        time_zone: Set(zone),
        updated_at: Set(now),
    };
    let txn = db.begin_write().await?;
    notification_preference::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification_preference::Column::UserId)
                .update_columns([
                    notification_preference::Column::Channels,
                    notification_preference::Column::QuietStart,
                    notification_preference::Column::QuietEnd,
                    notification_preference::Column::TimeZone,
                    notification_preference::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    Ok(preferences(db.conn(), person, role).await?)
}

// ------------------------------------------------------------ Web Push

fn push_owner() -> Uuid {
    // The sealed VAPID key is bound to this fixed id.
    Uuid::from_u128(0x6e65_7463_7265_7700_0000_0000_0000_0003)
}

/// The server's VAPID keys: the public one in the clear, the private one
/// sealed.
#[derive(Serialize, Deserialize)]
struct PushConfig {
    public_key: String,
}

/// The server's VAPID public key, when one was made.
pub async fn push_public_key<C: ConnectionTrait>(db: &C) -> Result<Option<String>, DbErr> {
    Ok(message_channel::Entity::find_by_id(PUSH)
        .one(db)
        .await?
        .and_then(|r| serde_json::from_str::<PushConfig>(&r.config).ok())
        .map(|c| c.public_key))
}

/// Keeps a newly made VAPID key pair unless one is kept already (another
/// instance made it first); answers the public key kept.
pub async fn keep_push_keys(
    db: &Db,
    sealer: &Sealer,
    public_key: &str,
    private_key: &[u8],
    now: DateTime<Utc>,
) -> Result<String, Error> {
    let row = message_channel::ActiveModel {
        channel: Set(PUSH.to_string()),
        enabled: Set(true),
        config: Set(json!({"public_key": public_key}).to_string()),
        secrets_sealed: Set(Some(sealer.seal(push_owner(), private_key))),
        updated_by: Set(None),
        updated_at: Set(now),
    };
    let txn = db.begin_write().await?;
    message_channel::Entity::insert(row)
        .on_conflict(
            OnConflict::column(message_channel::Column::Channel)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    push_public_key(db.conn())
        .await?
        .ok_or_else(|| Error::Db(DbErr::RecordNotFound("push keys".to_string())))
}

/// The server's VAPID private key, for the sender (`None`: none made yet,
/// or the identity key changed and it no longer opens).
pub async fn push_private_key(db: &Db, sealer: &Sealer) -> Result<Option<Vec<u8>>, DbErr> {
    let row = message_channel::Entity::find_by_id(PUSH)
        .one(db.conn())
        .await?;
    Ok(row
        .and_then(|r| r.secrets_sealed)
        .and_then(|s| sealer.open(push_owner(), &s).ok()))
}

/// A browser's subscription as it sends it.
#[derive(Clone)]
pub struct SubscriptionInput {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub label: String,
}

/// Keeps a browser's subscription for `person` (the same endpoint again
/// is updated, and moves to whoever signed in on that browser); answers it
/// and whether it is new. `keys_ok` checks the browser's keys; `insecure`
/// allows `http:` push services (tests only).
pub async fn subscribe(
    db: &Db,
    person: Uuid,
    input: SubscriptionInput,
    keys_ok: impl Fn(&str, &str) -> bool,
    insecure: bool,
    now: DateTime<Utc>,
) -> Result<(push_subscription::Model, bool), Error> {
    let mut c = Checks::default();
    let endpoint = input.endpoint.trim().to_string();
    let url_ok = url::Url::parse(&endpoint).ok().is_some_and(|u| {
        u.host().is_some() && (u.scheme() == "https" || (insecure && u.scheme() == "http"))
    });
    if endpoint.is_empty() {
        c.fail("endpoint", "required", "the push service's address");
    } else if endpoint.len() > 1000 || !url_ok {
        c.fail(
            "endpoint",
            "format",
            "an https address from the browser's push service",
        );
    }
    if !keys_ok(input.p256dh.trim(), input.auth.trim()) {
        c.fail(
            "keys",
            "format",
            "the browser's p256dh key and auth secret, base64url",
        );
    }
    let label = c.text("label", input.label.trim(), 80);
    c.finish()?;
    let label = if label.is_empty() {
        "Browser".to_string()
    } else {
        label
    };
    let txn = db.begin_write().await?;
    let existing = push_subscription::Entity::find()
        .filter(push_subscription::Column::Endpoint.eq(endpoint.clone()))
        .one(&*txn)
        .await?;
    let (saved, created) = match existing {
        Some(e) => {
            let mut a: push_subscription::ActiveModel = e.into();
            a.user_id = Set(person);
            a.p256dh = Set(input.p256dh.trim().to_string());
            a.auth = Set(input.auth.trim().to_string());
            a.label = Set(label);
            (a.update(&*txn).await?, false)
        }
        None => (
            push_subscription::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(person),
                endpoint: Set(endpoint),
                p256dh: Set(input.p256dh.trim().to_string()),
                auth: Set(input.auth.trim().to_string()),
                label: Set(label),
                created_at: Set(now),
                last_used_at: Set(None),
            }
            .insert(&*txn)
            .await?,
            true,
        ),
    };
    txn.commit().await?;
    Ok((saved, created))
}

/// A person's devices, newest first.
pub async fn subscriptions<C: ConnectionTrait>(
    db: &C,
    person: Uuid,
) -> Result<Vec<push_subscription::Model>, DbErr> {
    push_subscription::Entity::find()
        .filter(push_subscription::Column::UserId.eq(person))
        .order_by_desc(push_subscription::Column::CreatedAt)
        .all(db)
        .await
}

/// Forgets one of a person's devices; `false`: no such device of theirs.
pub async fn unsubscribe(db: &Db, person: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let txn = db.begin_write().await?;
    let n = push_subscription::Entity::delete_many()
        .filter(push_subscription::Column::Id.eq(id))
        .filter(push_subscription::Column::UserId.eq(person))
        .exec(&*txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(n > 0)
}

/// A subscription by id, for the sender.
pub async fn subscription<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<push_subscription::Model>, DbErr> {
    push_subscription::Entity::find_by_id(id).one(db).await
}

/// The push service said the browser unsubscribed: forget it.
pub async fn forget_subscription(db: &Db, id: Uuid) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    push_subscription::Entity::delete_by_id(id)
        .exec(&*txn)
        .await?;
    txn.commit().await
}

/// A push reached the device.
pub async fn used_subscription(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    push_subscription::Entity::update_many()
        .col_expr(
            push_subscription::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(push_subscription::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    txn.commit().await
}

/// Writes a test push to each of a person's devices; answers how many.
pub async fn test_push(db: &Db, person: &user::Model, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let subs = subscriptions(db.conn(), person.id).await?;
    let (title, body) = if person.locale == "en" {
        ("NetCrew", "Notifications reach this device.")
    } else {
        ("NetCrew", "Notifikasi sampai di perangkat ini.")
    };
    let txn = db.begin_write().await?;
    let stamp = Uuid::now_v7();
    for s in &subs {
        let sub_id = s.id.to_string();
        outbox::queue_message(
            &*txn,
            NewMessage {
                channel: PUSH,
                event: "push_test",
                recipient: &sub_id,
                customer_id: None,
                ticket: None,
                locale: &person.locale,
                body,
                subject: Some(title),
                vars: Some(json!({"url": "/", "tag": "push_test"}).to_string()),
                status: "queued",
                next_attempt_at: now,
                last_error: String::new(),
                key: format!("push-test:{stamp}:{sub_id}"),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(subs.len())
}

// ------------------------------------------------------------ fan-out

/// Where a push opens the app.
fn url_of(note: &Note, role: Role) -> String {
    let tech = role == Role::Technician;
    if let Some((id, _)) = &note.ticket {
        return if tech {
            "/tech".to_string()
        } else {
            format!("/console/tickets/{id}")
        };
    }
    if let Some(id) = note.outage_id
        && !tech
    {
        return format!("/console/outages/{id}");
    }
    match note.kind {
        _ if tech => "/tech".to_string(),
        "stock_low" => "/console/inventory".to_string(),
        "material_requested" => "/console/inventory/requests".to_string(),
        "leave_requested" => "/console/technicians".to_string(),
        "gateway_problem" => "/console/messages".to_string(),
        _ => "/console".to_string(),
    }
}

/// The note's data as an alert's variables, in the reader's words.
fn vars_of(
    note: &Note,
    alert: &StaffAlert,
    person: &user::Model,
    isp: &str,
    zone: chrono_tz::Tz,
) -> Value {
    let mut vars = serde_json::Map::new();
    if let Some(data) = note.data.as_object() {
        for (k, v) in data {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let text = alerts::words(k, &text, &person.locale)
                .map(str::to_string)
                .unwrap_or(text);
            vars.insert(k.clone(), Value::String(text));
        }
    }
    if let Some(due) = note
        .data
        .get("due_at")
        .and_then(Value::as_str)
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
    {
        vars.insert(
            "due".to_string(),
            json!(due.with_timezone(&zone).format("%d/%m %H:%M").to_string()),
        );
    }
    let number = note.ticket.as_ref().map(|t| t.1.clone()).or_else(|| {
        note.data
            .get("outage_number")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    if let Some(n) = number {
        vars.insert("number".to_string(), json!(n));
    }
    vars.insert("name".to_string(), json!(person.name));
    vars.insert("isp".to_string(), json!(isp));
    // Only what the wording may use.
    vars.retain(|k, _| alert.variables.contains(&k.as_str()));
    Value::Object(vars)
}

/// One alert to write: (channel, recipient, subject, variables, key).
type Outgoing = (&'static str, String, Option<String>, Option<Value>, String);

/// Writes `note`'s alerts for `given` (person, their notification's id) to
/// the outbox in the caller's transaction: nothing while no channel but
/// the bell is set up, nothing to customers.
pub(crate) async fn fan_out<C: ConnectionTrait>(
    db: &C,
    given: &[(Uuid, Uuid)],
    note: &Note,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(alert) = alerts::for_kind(note.kind) else {
        return Ok(());
    };
    if given.is_empty() {
        return Ok(());
    }
    let rows = message_channel::Entity::find().all(db).await?;
    let on = |name: &str| rows.iter().any(|r| r.channel == name && r.enabled);
    let (whatsapp_on, email_on, push_on) = (on(WHATSAPP), on(EMAIL), on(PUSH));
    if !(whatsapp_on || email_on || push_on) {
        return Ok(());
    }
    // The WhatsApp channel's row, already read, says how messages are signed.
    let isp = rows
        .iter()
        .find(|r| r.channel == WHATSAPP)
        .and_then(|r| serde_json::from_str::<outbox::WhatsAppConfig>(&r.config).ok())
        .unwrap_or_default()
        .sender_name;
    let ids: Vec<Uuid> = given.iter().map(|g| g.0).collect();
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.clone()))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    let prefs: HashMap<Uuid, notification_preference::Model> =
        notification_preference::Entity::find()
            .filter(notification_preference::Column::UserId.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p))
            .collect();
    let subs = if push_on {
        push_subscription::Entity::find()
            .filter(push_subscription::Column::UserId.is_in(ids))
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    let routes = routes(db).await?;
    let mut wordings: HashMap<String, String> = HashMap::new();
    for person in &people {
        let Ok(role) = person.role.parse::<Role>() else {
            continue;
        };
        if !role.is_staff() {
            continue;
        }
        let Some(notification_id) = given.iter().find(|g| g.0 == person.id).map(|g| g.1) else {
            continue;
        };
        let pref = prefs.get(&person.id);
        let channels = chosen_of(pref)
            .0
            .remove(alert.event.as_str())
            .map_or_else(|| role_channels(&routes, alert.event, role), |c| sorted(&c));
        if channels.is_empty() {
            continue;
        }
        let locale = if outbox::LOCALES.contains(&person.locale.as_str()) {
            person.locale.clone()
        } else {
            "id".to_string()
        };
        if !wordings.contains_key(&locale) {
            let (source, _) = outbox::template(db, alert.event, &locale).await?;
            wordings.insert(locale.clone(), source);
        }
        let source = wordings.get(&locale).cloned().unwrap_or_default();
        let zone = pref
            .and_then(|p| p.time_zone.parse::<chrono_tz::Tz>().ok())
            .unwrap_or(chrono_tz::Asia::Jakarta);
        let vars = vars_of(note, alert, person, &isp, zone);
        let Ok(body) = messages::render(&source, &vars) else {
            continue;
        };
        let quiet = match (
            time_of(pref.and_then(|p| p.quiet_start.as_deref())),
            time_of(pref.and_then(|p| p.quiet_end.as_deref())),
        ) {
            (Some(start), Some(end)) if start != end => Some(QuietHours { start, end }),
            _ => None,
        };
        let local = now.with_timezone(&zone).naive_local();
        let at = messages::send_at(local, quiet, false);
        let due = at
            .and_local_timezone(zone)
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc));
        let subject: String = {
            let first: String = body.chars().take(90).collect();
            if body.chars().count() > 90 {
                format!("{isp}: {}…", first.trim_end())
            } else {
                format!("{isp}: {first}")
            }
        };
        let event = alert.event.as_str();
        let mut out: Vec<Outgoing> = Vec::new();
        for ch in channels {
            match ch {
                AlertChannel::Email if email_on => {
                    if let Some(to) = person.email.clone().filter(|e| !e.trim().is_empty()) {
                        out.push((
                            EMAIL,
                            to,
                            Some(subject.clone()),
                            None,
                            format!("alert:{notification_id}:email"),
                        ));
                    }
                }
                AlertChannel::Whatsapp if whatsapp_on => {
                    if let Some(to) = person.phone.clone().filter(|p| !p.trim().is_empty()) {
                        out.push((
                            WHATSAPP,
                            to,
                            None,
                            Some(vars.clone()),
                            format!("alert:{notification_id}:whatsapp"),
                        ));
                    }
                }
                AlertChannel::Push if push_on => {
                    for s in subs.iter().filter(|s| s.user_id == person.id) {
                        out.push((
                            PUSH,
                            s.id.to_string(),
                            Some(isp.clone()),
                            Some(json!({"url": url_of(note, role), "tag": note.kind})),
                            format!("alert:{notification_id}:push:{}", s.id),
                        ));
                    }
                }
                _ => {}
            }
        }
        for (channel, recipient, subject, extra, key) in out {
            outbox::queue_message(
                db,
                NewMessage {
                    channel,
                    event,
                    recipient: &recipient,
                    customer_id: None,
                    ticket: note.ticket.as_ref().map(|t| (t.0, t.1.as_str())),
                    locale: &locale,
                    body: &body,
                    subject: subject.as_deref(),
                    vars: extra.map(|v| v.to_string()),
                    status: "queued",
                    next_attempt_at: due,
                    last_error: String::new(),
                    key,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}
