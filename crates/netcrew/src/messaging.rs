//! The outbox worker: takes due messages, sends each through the WhatsApp
//! gateways (Fonnte, Wablas, the Cloud API with its approved templates) in
//! the admin's order (the next one takes over when one fails)
//! or, for e-mails, the SMTP server, or for Web Push the devices' push
//! services, and records the outcome. Every instance runs one; the lease on each
//! claimed message keeps two from sending it at once.

use std::time::Duration;

use netcrew_domain::messages::GatewayKind;
use netcrew_notify::{
    Cloud, Fonnte, Gateway, HttpClient, Outgoing, Template, Wablas, email::Email,
    send_with_failover,
};
use netcrew_store::{
    Db, alerts, email,
    identity::Sealer,
    outbox::{self, Channel, Outcome},
};

/// How often the outbox is looked at.
pub const EVERY: Duration = Duration::from_secs(2);
/// How long a worker holds a message it took (well above two gateways'
/// timeouts).
pub const LEASE_SECS: i64 = 120;
/// How many messages one round takes.
pub const BATCH: u64 = 20;

/// The gateways of the channel, in order, with their tokens.
pub fn gateways(ch: &Channel, tokens: &[String], client: &HttpClient) -> Vec<Box<dyn Gateway>> {
    ch.config
        .gateways
        .iter()
        .zip(tokens)
        .map(|(g, token)| -> Box<dyn Gateway> {
            match g.kind {
                GatewayKind::Fonnte => {
                    Box::new(Fonnte::new(client.clone(), g.base_url.as_deref(), token))
                }
                GatewayKind::Wablas => {
                    Box::new(Wablas::new(client.clone(), g.base_url.as_deref(), token))
                }
                GatewayKind::Cloud => Box::new(Cloud::new(
                    client.clone(),
                    g.base_url.as_deref(),
                    g.phone_number_id.as_deref().unwrap_or_default(),
                    token,
                )),
            }
        })
        .collect()
}

/// One round: sends what is due. Answers how many messages were tried.
/// While the channel is off, messages wait.
pub async fn deliver_once(
    db: &Db,
    sealer: &Sealer,
    client: &HttpClient,
    worker: &str,
) -> anyhow::Result<usize> {
    let (ch, tokens) = outbox::channel_with_tokens(db, sealer).await?;
    if !ch.enabled {
        return Ok(0);
    }
    let gateways = gateways(&ch, &tokens, client);
    let has_cloud = ch
        .config
        .gateways
        .iter()
        .any(|g| g.kind == GatewayKind::Cloud);
    let now = chrono::Utc::now();
    let claimed = outbox::claim(
        db,
        outbox::WHATSAPP,
        worker,
        BATCH,
        chrono::Duration::seconds(LEASE_SECS),
        now,
    )
    .await?;
    let lease = chrono::Duration::seconds(LEASE_SECS);
    for m in &claimed {
        // Still ours? A batch slowed by hanging gateways may outlive the
        // lease taken for it; then another worker has the message.
        if !outbox::renew(db, m.id, worker, lease, chrono::Utc::now()).await? {
            continue;
        }
        // The Cloud API sends the event's approved template, its
        // parameters taken from the message's variables.
        let mapped = ch.config.templates.get(&m.event);
        let vars: serde_json::Value = m
            .vars
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        let params: Vec<String> = mapped
            .map(|t| {
                t.params
                    .iter()
                    .map(|p| match &vars[p.as_str()] {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let template = mapped.map(|t| Template {
            name: &t.name,
            language: &t.language,
            params: &params,
        });
        let window_open =
            has_cloud && outbox::window_open(db.conn(), &m.recipient, chrono::Utc::now()).await?;
        let outcome = match send_with_failover(
            &gateways,
            Outgoing {
                to: &m.recipient,
                text: &m.body,
                template,
                window_open,
            },
        )
        .await
        {
            Ok(sent) => Outcome::Sent {
                provider: sent.provider.to_string(),
                provider_message_id: sent.provider_message_id,
            },
            Err(failures) => {
                for f in failures
                    .iter()
                    .filter(|f| outbox::needs_attention(&f.reason))
                {
                    if let Err(e) =
                        outbox::alert_admins(db, f.provider, &f.reason, chrono::Utc::now()).await
                    {
                        tracing::warn!(error = %e, "whatsapp: admins could not be told");
                    }
                }
                Outcome::Failed {
                    permanent: failures.iter().any(|f| f.permanent),
                    reason: failures
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            }
        };
        if let Outcome::Failed { reason, .. } = &outcome {
            tracing::warn!(message = %m.id, reason = %reason, "whatsapp: not sent");
        }
        outbox::record(db, m, worker, outcome, chrono::Utc::now()).await?;
    }
    Ok(claimed.len())
}

/// One round of e-mails: sends what is due through the SMTP server.
/// While the channel is off, e-mails wait.
pub async fn deliver_email_once(db: &Db, sealer: &Sealer, worker: &str) -> anyhow::Result<usize> {
    let (ch, password) = email::channel_with_password(db, sealer).await?;
    if !ch.enabled {
        return Ok(0);
    }
    let smtp = netcrew_api::routes::messages::smtp_of(&ch.config, password);
    let lease = chrono::Duration::seconds(LEASE_SECS);
    let claimed = outbox::claim(db, email::EMAIL, worker, BATCH, lease, chrono::Utc::now()).await?;
    for m in &claimed {
        if !outbox::renew(db, m.id, worker, lease, chrono::Utc::now()).await? {
            continue;
        }
        let subject = m.subject.clone().unwrap_or_default();
        let html = netcrew_notify::email::html_of(&m.body);
        let outcome = match smtp
            .send(Email {
                to: &m.recipient,
                subject: &subject,
                text: &m.body,
                html: &html,
            })
            .await
        {
            Ok(sent) => Outcome::Sent {
                provider: sent.provider.to_string(),
                provider_message_id: sent.provider_message_id,
            },
            Err(f) => {
                tracing::warn!(message = %m.id, reason = %f.reason, "e-mail: not sent");
                Outcome::Failed {
                    permanent: f.permanent,
                    reason: f.to_string(),
                }
            }
        };
        outbox::record(db, m, worker, outcome, chrono::Utc::now()).await?;
    }
    Ok(claimed.len())
}

/// The VAPID contact push services may write to: the public address when
/// it is https, else the e-mail channel's sender, else a placeholder.
async fn push_contact(db: &Db, public_url: &str) -> String {
    if public_url.starts_with("https://") {
        return public_url.to_string();
    }
    match email::channel(db.conn()).await {
        Ok(ch) if !ch.config.from_address.is_empty() => {
            format!("mailto:{}", ch.config.from_address)
        }
        _ => "mailto:admin@netcrew.invalid".to_string(),
    }
}

/// One round of Web Push: sends what is due to each device, and forgets a
/// device its push service says is gone.
pub async fn deliver_push_once(
    db: &Db,
    sealer: &Sealer,
    client: &HttpClient,
    worker: &str,
    public_url: &str,
) -> anyhow::Result<usize> {
    let Some(private) = alerts::push_private_key(db, sealer).await? else {
        return Ok(0);
    };
    let Some(vapid) = netcrew_notify::push::Vapid::from_private_key(&private) else {
        return Ok(0);
    };
    let lease = chrono::Duration::seconds(LEASE_SECS);
    let claimed = outbox::claim(db, alerts::PUSH, worker, BATCH, lease, chrono::Utc::now()).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let contact = push_contact(db, public_url).await;
    for m in &claimed {
        if !outbox::renew(db, m.id, worker, lease, chrono::Utc::now()).await? {
            continue;
        }
        let sub = match m.recipient.parse::<uuid::Uuid>() {
            Ok(id) => alerts::subscription(db.conn(), id).await?,
            Err(_) => None,
        };
        let Some(sub) = sub else {
            let outcome = Outcome::Failed {
                reason: "the device no longer takes notifications".to_string(),
                permanent: true,
            };
            outbox::record(db, m, worker, outcome, chrono::Utc::now()).await?;
            continue;
        };
        let extra: serde_json::Value = m
            .vars
            .as_deref()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        let payload = serde_json::json!({
            "title": m.subject.clone().unwrap_or_else(|| "NetCrew".to_string()),
            "body": m.body,
            "url": extra.get("url").and_then(serde_json::Value::as_str).unwrap_or("/"),
            "tag": extra.get("tag").and_then(serde_json::Value::as_str).unwrap_or(&m.event),
        });
        let to = netcrew_notify::push::Subscription {
            endpoint: &sub.endpoint,
            p256dh: &sub.p256dh,
            auth: &sub.auth,
        };
        let outcome = match netcrew_notify::push::send(
            client,
            &vapid,
            &contact,
            to,
            payload.to_string().as_bytes(),
        )
        .await
        {
            Ok(sent) => {
                alerts::used_subscription(db, sub.id, chrono::Utc::now()).await?;
                Outcome::Sent {
                    provider: sent.provider.to_string(),
                    provider_message_id: sent.provider_message_id,
                }
            }
            Err(f) => {
                tracing::warn!(message = %m.id, reason = %f.failure.reason, "web push: not sent");
                if f.gone {
                    alerts::forget_subscription(db, sub.id).await?;
                }
                Outcome::Failed {
                    permanent: f.failure.permanent,
                    reason: f.failure.to_string(),
                }
            }
        };
        outbox::record(db, m, worker, outcome, chrono::Utc::now()).await?;
    }
    Ok(claimed.len())
}

/// How many rounds pass between looks for tomorrow's visits (about a
/// minute).
const REMIND_EVERY_ROUNDS: u32 = 30;

/// Sends messages for as long as the server runs, and writes the reminders
/// of tomorrow's visits (`zone`: the ISP's day).
pub async fn run(
    db: Db,
    sealer: Sealer,
    worker: String,
    zone: netcrew_domain::schedule::Zone,
    public_url: String,
) {
    let client = netcrew_notify::client();
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut round: u32 = 0;
    loop {
        tick.tick().await;
        round = round.wrapping_add(1);
        if round % REMIND_EVERY_ROUNDS == 1 {
            match outbox::remind_tomorrow(&db, zone, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminders = n, "tomorrow's visits: customers reminded"),
                Err(e) => tracing::warn!(error = %e, "reminders failed"),
            }
        }
        loop {
            match deliver_once(&db, &sealer, &client, &worker).await {
                // A full batch: more may be due.
                Ok(n) if n as u64 == BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "whatsapp: outbox round failed");
                    break;
                }
            }
        }
        loop {
            match deliver_email_once(&db, &sealer, &worker).await {
                Ok(n) if n as u64 == BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "e-mail: outbox round failed");
                    break;
                }
            }
        }
        loop {
            match deliver_push_once(&db, &sealer, &client, &worker, &public_url).await {
                Ok(n) if n as u64 == BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "web push: outbox round failed");
                    break;
                }
            }
        }
    }
}
