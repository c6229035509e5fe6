//! Messages to customers outside the app: the WhatsApp channel's set-up
//! (gateways in failover order, their tokens sealed and never shown back,
//! quiet hours, the daily limit), the wording per event and language, and
//! the delivery log with "send again". The outbox and its rules are
//! `netcrew_store::outbox`; this module authorizes, parses, calls and maps.

use axum::extract::State;
use chrono::{DateTime, NaiveTime, Utc};
use netcrew_domain::{
    access::Permission,
    messages::{GatewayKind, MessageEvent, SmtpSecurity},
};
use netcrew_store::{
    email,
    entity::outbox_message,
    outbox::{self, Channel, ChannelInput, GatewayInput, MessageFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiJson, ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, Problem},
    routes::{List, tickets::person},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_whatsapp, put_whatsapp))
        .routes(routes!(get_email, put_email))
        .routes(routes!(test_email))
        .routes(routes!(list_messages))
        .routes(routes!(send_again))
        .routes(routes!(list_templates))
        .routes(routes!(put_template, reset_template))
        .routes(routes!(preview_template))
        .routes(routes!(whatsapp_webhook, cloud_verify))
        .routes(routes!(list_inbound))
        .routes(routes!(handle_inbound))
}

/// One WhatsApp gateway as set up; its token is never shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatewayView {
    pub kind: GatewayKind,
    /// `null`: the gateway's public address.
    pub base_url: Option<String>,
    /// Whether a token is stored (and, for the Cloud API, its app secret).
    pub token_set: bool,
    /// The Cloud API's sending number id.
    pub phone_number_id: Option<String>,
}

/// A template approved at Meta that an event goes as through the Cloud
/// API.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudTemplateBody {
    /// Its name at Meta (`tiket_diterima`).
    pub name: String,
    /// Its language code at Meta (`id`, `en_US`).
    pub language: String,
    /// The event's variables that fill `{{1}}`, `{{2}}`, ... in order.
    #[serde(default)]
    pub params: Vec<String>,
}

/// The WhatsApp channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatsAppChannel {
    pub enabled: bool,
    /// Tried in this order; the next takes over when one fails.
    pub gateways: Vec<GatewayView>,
    /// `HH:MM`: no message to customers from `quiet_start` to `quiet_end`
    /// (their area's local time), except about outages.
    #[schema(example = "21:00")]
    pub quiet_start: Option<String>,
    #[schema(example = "07:00")]
    pub quiet_end: Option<String>,
    /// At most this many messages to one customer in 24 hours.
    pub daily_limit: u32,
    /// How messages are signed (`{{ isp }}`).
    pub sender_name: String,
    /// Where each gateway reports delivery and incoming messages: set this
    /// address as the gateway's webhook (the secret part is made when the
    /// channel is first saved; `null` until then).
    pub webhooks: Option<Webhooks>,
    /// Per event, the Cloud API template it is sent as.
    pub templates: std::collections::BTreeMap<String, CloudTemplateBody>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The webhook addresses (paths on this server) per gateway.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhooks {
    #[schema(example = "/api/v1/webhooks/whatsapp/fonnte/3q2…")]
    pub fonnte: String,
    pub wablas: String,
    /// The Cloud API's callback URL; its verify token is the secret part.
    pub cloud: String,
    /// The verify token to give Meta with the callback URL.
    pub cloud_verify_token: String,
}

fn hhmm(t: Option<NaiveTime>) -> Option<String> {
    t.map(|t| t.format("%H:%M").to_string())
}

impl From<Channel> for WhatsAppChannel {
    fn from(c: Channel) -> Self {
        WhatsAppChannel {
            enabled: c.enabled,
            gateways: c
                .config
                .gateways
                .iter()
                .zip(c.tokens_set.iter().chain(std::iter::repeat(&false)))
                .map(|(g, set)| GatewayView {
                    kind: g.kind,
                    base_url: g.base_url.clone(),
                    token_set: *set,
                    phone_number_id: g.phone_number_id.clone(),
                })
                .collect(),
            templates: c
                .config
                .templates
                .iter()
                .map(|(event, t)| {
                    (
                        event.clone(),
                        CloudTemplateBody {
                            name: t.name.clone(),
                            language: t.language.clone(),
                            params: t.params.clone(),
                        },
                    )
                })
                .collect(),
            quiet_start: hhmm(c.config.quiet_start),
            quiet_end: hhmm(c.config.quiet_end),
            daily_limit: c.config.daily_limit,
            webhooks: (!c.config.webhook_secret.is_empty()).then(|| Webhooks {
                fonnte: format!(
                    "/api/v1/webhooks/whatsapp/fonnte/{}",
                    c.config.webhook_secret
                ),
                wablas: format!(
                    "/api/v1/webhooks/whatsapp/wablas/{}",
                    c.config.webhook_secret
                ),
                cloud: format!(
                    "/api/v1/webhooks/whatsapp/cloud/{}",
                    c.config.webhook_secret
                ),
                cloud_verify_token: c.config.webhook_secret.clone(),
            }),
            sender_name: c.config.sender_name,
            updated_at: c.updated_at,
        }
    }
}

/// The WhatsApp channel's set-up.
#[utoipa::path(get, path = "/channels/whatsapp", tag = "messages",
    responses(
        (status = 200, body = WhatsAppChannel),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_whatsapp(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<WhatsAppChannel>> {
    caller.require(Permission::MessagesManage)?;
    Ok(axum::Json(outbox::channel(state.db.conn()).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayInputBody {
    pub kind: GatewayKind,
    #[serde(default)]
    pub base_url: Option<String>,
    /// Only to set or change it; left out, the stored token of the same
    /// gateway at the same place is kept. For the Cloud API: its access
    /// token.
    #[serde(default)]
    pub token: Option<String>,
    /// The Cloud API's sending number id (required for `cloud`).
    #[serde(default)]
    pub phone_number_id: Option<String>,
    /// The Cloud API's app secret, which signs its webhooks (required for
    /// `cloud`; left out, the stored one is kept).
    #[serde(default)]
    pub app_secret: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatsAppInput {
    pub enabled: bool,
    /// `true`: make new webhook addresses (the old ones stop working; give
    /// the gateways the new ones).
    #[serde(default)]
    pub rotate_webhook_secret: bool,
    pub gateways: Vec<GatewayInputBody>,
    /// `HH:MM`, or `null` for no quiet hours (both or neither).
    #[serde(default)]
    pub quiet_start: Option<String>,
    #[serde(default)]
    pub quiet_end: Option<String>,
    pub daily_limit: u32,
    pub sender_name: String,
    /// Per event, the Cloud API template it goes as; left out, the stored
    /// mapping is kept.
    #[serde(default)]
    pub templates: Option<std::collections::BTreeMap<String, CloudTemplateBody>>,
}

fn parse_hhmm(field: &str, v: Option<&str>) -> ApiResult<Option<NaiveTime>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveTime::parse_from_str(v, "%H:%M")
            .map(Some)
            .map_err(|_| ApiError::validation(field, "format", "a time such as 21:00")),
    }
}

/// Sets up the WhatsApp channel: the gateways in failover order (Fonnte,
/// Wablas), quiet hours, the daily limit per customer, the signature.
/// Takes effect at once, on every instance.
#[utoipa::path(put, path = "/channels/whatsapp", tag = "messages", request_body = WhatsAppInput,
    responses(
        (status = 200, body = WhatsAppChannel),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_whatsapp(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<WhatsAppInput>, ApiError>,
) -> ApiResult<axum::Json<WhatsAppChannel>> {
    caller.require(Permission::MessagesManage)?;
    let ApiJson(b) = body?;
    let templates = match b.templates {
        Some(t) => t
            .into_iter()
            .map(|(event, t)| {
                (
                    event,
                    outbox::CloudTemplate {
                        name: t.name.trim().to_string(),
                        language: t.language.trim().to_string(),
                        params: t.params,
                    },
                )
            })
            .collect(),
        None => outbox::channel(state.db.conn()).await?.config.templates,
    };
    let input = ChannelInput {
        templates,
        enabled: b.enabled,
        rotate_webhook_secret: b.rotate_webhook_secret,
        quiet_start: parse_hhmm("quiet_start", b.quiet_start.as_deref())?,
        quiet_end: parse_hhmm("quiet_end", b.quiet_end.as_deref())?,
        daily_limit: b.daily_limit,
        sender_name: b.sender_name,
        gateways: b
            .gateways
            .into_iter()
            .map(|g| GatewayInput {
                kind: g.kind,
                base_url: g.base_url,
                token: g.token,
                phone_number_id: g.phone_number_id,
                app_secret: g.app_secret,
            })
            .collect(),
    };
    let saved = outbox::save_channel(
        &state.db,
        &state.sealer,
        &person(&caller),
        input,
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(saved.into()))
}

/// The e-mail channel's set-up (the password is never shown).
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailChannel {
    pub enabled: bool,
    /// The SMTP server's name.
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// Whether a password is stored.
    pub password_set: bool,
    pub from_address: String,
    /// The sender's name (and the signature of account links).
    pub from_name: String,
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<email::EmailChannel> for EmailChannel {
    fn from(c: email::EmailChannel) -> Self {
        EmailChannel {
            enabled: c.enabled,
            host: c.config.host,
            port: c.config.port,
            security: c.config.security,
            username: c.config.username,
            password_set: c.password_set,
            from_address: c.config.from_address,
            from_name: c.config.from_name,
            updated_at: c.updated_at,
        }
    }
}

/// The e-mail channel's set-up.
#[utoipa::path(get, path = "/channels/email", tag = "messages",
    responses(
        (status = 200, body = EmailChannel),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_email(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<EmailChannel>> {
    caller.require(Permission::MessagesManage)?;
    Ok(axum::Json(email::channel(state.db.conn()).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailInputBody {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    #[serde(default)]
    pub username: Option<String>,
    /// Only to set or change it; left out, the stored one is kept; empty,
    /// it is removed.
    #[serde(default)]
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
}

/// Sets up the e-mail channel: the SMTP server (STARTTLS, TLS, or plain
/// for a local relay), the login, the sender. Takes effect at once, on
/// every instance.
#[utoipa::path(put, path = "/channels/email", tag = "messages", request_body = EmailInputBody,
    responses(
        (status = 200, body = EmailChannel),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_email(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<EmailInputBody>, ApiError>,
) -> ApiResult<axum::Json<EmailChannel>> {
    caller.require(Permission::MessagesManage)?;
    let ApiJson(b) = body?;
    let input = email::EmailInput {
        enabled: b.enabled,
        host: b.host,
        port: b.port,
        security: b.security,
        username: b.username,
        password: b.password,
        from_address: b.from_address,
        from_name: b.from_name,
    };
    let saved = email::save_channel(
        &state.db,
        &state.sealer,
        &person(&caller),
        input,
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(saved.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailTest {
    /// Where the test e-mail goes.
    pub to: String,
}

/// How a test e-mail went.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailTestResult {
    pub sent: bool,
    /// The server's answer when it refused, or why it could not be reached
    /// (never the password).
    pub reason: Option<String>,
}

/// Sends a test e-mail now with the stored settings (on or off) and says
/// how it went, without the outbox.
#[utoipa::path(post, path = "/channels/email/test", tag = "messages", request_body = EmailTest,
    responses(
        (status = 200, body = EmailTestResult),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn test_email(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<EmailTest>, ApiError>,
) -> ApiResult<axum::Json<EmailTestResult>> {
    caller.require(Permission::MessagesManage)?;
    let ApiJson(b) = body?;
    let mut c = netcrew_domain::Checks::default();
    let to = c.email("to", &b.to).map(|e| e.to_string());
    let (ch, password) = email::channel_with_password(&state.db, &state.sealer).await?;
    if ch.config.host.is_empty() || ch.config.from_address.is_empty() {
        c.fail(
            "host",
            "required",
            "save the SMTP server and the sender first",
        );
    }
    c.finish().map_err(netcrew_store::Error::from)?;
    let smtp = smtp_of(&ch.config, password);
    let text = format!(
        "Ini e-mail percobaan dari {0}: pengaturan e-mail sudah benar.\n\nThis is a test e-mail from {0}: the e-mail settings work.",
        ch.config.from_name
    );
    let outcome = smtp
        .send(netcrew_notify::email::Email {
            to: to.as_deref().unwrap_or_default(),
            subject: &format!("{}: e-mail percobaan / test e-mail", ch.config.from_name),
            text: &text,
            html: &netcrew_notify::email::html_of(&text),
        })
        .await;
    Ok(axum::Json(match outcome {
        Ok(_) => EmailTestResult {
            sent: true,
            reason: None,
        },
        Err(f) => EmailTestResult {
            sent: false,
            reason: Some(f.reason),
        },
    }))
}

/// The SMTP sender of the e-mail channel's settings.
pub fn smtp_of(c: &email::EmailConfig, password: Option<String>) -> netcrew_notify::email::Smtp {
    use netcrew_notify::email::Security;
    netcrew_notify::email::Smtp {
        host: c.host.clone(),
        port: c.port,
        security: match c.security {
            SmtpSecurity::Starttls => Security::StartTls,
            SmtpSecurity::Tls => Security::Tls,
            SmtpSecurity::None => Security::None,
        },
        username: c.username.clone(),
        password,
        from_address: c.from_address.clone(),
        from_name: c.from_name.clone(),
    }
}

/// One message to a customer and how its delivery went.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: Uuid,
    /// `whatsapp`, `email` or `push` (Web Push).
    pub channel: String,
    /// A customer event or a staff alert (`staff_…`; see the templates),
    /// a test push (`push_test`), a link to a staff account
    /// (`password_forgotten`, `password_reset`, `invitation`; the token
    /// hidden), or a customer's `sign_in_code` (the digits hidden).
    pub event: String,
    /// The phone number (E.164) or e-mail address it goes to; for Web Push
    /// the device's id.
    pub recipient: String,
    /// E-mails' subject.
    pub subject: Option<String>,
    pub customer_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub locale: String,
    pub body: String,
    /// `queued` (waiting, perhaps for quiet hours or a retry), `sending`,
    /// `sent`, `delivered`, `read`, `failed`, `skipped` (the daily limit).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// `fonnte`, `wablas`, `cloud`, `smtp` or `webpush`: what took it.
    pub provider: Option<String>,
    pub provider_message_id: Option<String>,
    /// The last failure's reason, each gateway's.
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<outbox_message::Model> for Message {
    fn from(m: outbox_message::Model) -> Self {
        Message {
            id: m.id,
            // A code or a link's token is never shown back.
            body: match MessageEvent::parse(&m.event) {
                Some(MessageEvent::SignInCode) => hide_code(&m.body),
                Some(e) if e.required().is_empty() => m.body,
                _ => hide_tokens(&m.body),
            },
            channel: m.channel,
            event: m.event,
            recipient: m.recipient,
            subject: m.subject,
            customer_id: m.customer_id,
            ticket_id: m.ticket_id,
            ticket_number: m.ticket_number,
            locale: m.locale,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            provider: m.provider,
            provider_message_id: m.provider_message_id,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            updated_at: m.updated_at,
        }
    }
}

/// A link to an account in the delivery log: its token hidden, so that
/// nobody reading the log can use someone else's link.
fn hide_tokens(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("token=") {
        let start = at + "token=".len();
        out.push_str(&rest[..start]);
        out.push('…');
        let end = rest[start..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |e| start + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A sign-in code in the delivery log: its six digits hidden, so that
/// nobody reading the log can sign in as the customer.
fn hide_code(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 6 {
            out.push_str("••••••");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in body.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_tokens_are_hidden_but_nothing_else() {
        assert_eq!(
            hide_code("123456 adalah kode masuk ISP 2000 Anda. Berlaku selama 5 menit."),
            "•••••• adalah kode masuk ISP 2000 Anda. Berlaku selama 5 menit."
        );
        assert_eq!(
            hide_tokens("Buka http://x/reset-password?token=abc_DEF-1 sekarang"),
            "Buka http://x/reset-password?token=… sekarang"
        );
    }
}

const STATUSES: [&str; 7] = [
    "queued",
    "sending",
    "sent",
    "delivered",
    "read",
    "failed",
    "skipped",
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// One of `queued`, `sending`, `sent`, `delivered`, `read`, `failed`,
    /// `skipped`.
    pub status: Option<String>,
    pub customer_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    /// The start of a phone number (`0812…`, `+62812…`) or of a ticket
    /// number.
    pub q: Option<String>,
}

/// The delivery log: messages to customers and staff alerts sent beyond
/// the bell, newest first.
#[utoipa::path(get, path = "/messages", tag = "messages", params(MessageQuery),
    responses(
        (status = 200, body = List<Message>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_messages(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MessageQuery>,
) -> ApiResult<axum::Json<List<Message>>> {
    caller.require(Permission::MessagesRead)?;
    if let Some(s) = q.status.as_deref()
        && !STATUSES.contains(&s)
    {
        return Err(ApiError::Validation {
            detail: "status: not a message status".to_string(),
            errors: vec![
                netcrew_domain::FieldError::new("status", "choice", "not a message status")
                    .with("allowed", serde_json::json!(STATUSES)),
            ],
        });
    }
    let filter = MessageFilter {
        status: q.status,
        customer_id: q.customer_id,
        ticket_id: q.ticket_id,
        q: q.q,
    };
    let page = outbox::list(state.db.conn(), &filter, q.limit, q.cursor.as_deref()).await??;
    Ok(axum::Json(List::from_page(page, Message::from)))
}

/// Sends a failed or skipped message again, now.
#[utoipa::path(post, path = "/messages/{id}/resend", tag = "messages",
    params(("id" = Uuid, Path, description = "Message id")),
    responses(
        (status = 200, body = Message),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
async fn send_again(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<axum::Json<Message>> {
    caller.require(Permission::MessagesManage)?;
    let m = outbox::send_again(&state.db, &person(&caller), id, Utc::now()).await?;
    Ok(axum::Json(m.into()))
}

/// The wording of one event in one language.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageTemplate {
    pub event: MessageEvent,
    /// `id` or `en`.
    pub locale: String,
    pub body: String,
    /// Whether the admin changed it (else the built-in wording).
    pub customized: bool,
    pub built_in: String,
    /// The variables it may use, as `{{ name }}`.
    pub variables: Vec<String>,
}

async fn template_view(
    state: &AppState,
    event: MessageEvent,
    locale: &str,
) -> ApiResult<MessageTemplate> {
    let (body, customized) = outbox::template(state.db.conn(), event, locale).await?;
    Ok(MessageTemplate {
        event,
        locale: locale.to_string(),
        body,
        customized,
        built_in: event.default_template(locale).to_string(),
        variables: event.variables().iter().map(|v| v.to_string()).collect(),
    })
}

/// Every event's wording in each language.
#[utoipa::path(get, path = "/message-templates", tag = "messages",
    responses(
        (status = 200, body = List<MessageTemplate>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_templates(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<List<MessageTemplate>>> {
    caller.require(Permission::MessagesManage)?;
    let mut items = Vec::new();
    for event in MessageEvent::ALL {
        for locale in outbox::LOCALES {
            items.push(template_view(&state, event, locale).await?);
        }
    }
    Ok(axum::Json(List::complete(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    /// The wording, with the event's variables as `{{ name }}` and
    /// `{% if date %}…{% endif %}`.
    pub body: String,
}

fn event_of(s: &str) -> ApiResult<MessageEvent> {
    MessageEvent::parse(s).ok_or_else(|| ApiError::NotFound("No such message event.".to_string()))
}

/// Changes an event's wording in one language. A variable the event does
/// not offer is refused (`unknown_variable`, with the ones it does).
#[utoipa::path(put, path = "/message-templates/{event}/{locale}", tag = "messages", request_body = TemplateInput,
    params(
        ("event" = String, Path, description = "The event, e.g. `technician_assigned`"),
        ("locale" = String, Path, description = "`id` or `en`"),
    ),
    responses(
        (status = 200, body = MessageTemplate),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_template(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((event, locale)): ApiPath<(String, String)>,
    body: Result<ApiJson<TemplateInput>, ApiError>,
) -> ApiResult<axum::Json<MessageTemplate>> {
    caller.require(Permission::MessagesManage)?;
    let event = event_of(&event)?;
    let ApiJson(b) = body?;
    outbox::save_template(
        &state.db,
        &person(&caller),
        (event, &locale),
        Some(&b.body),
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(template_view(&state, event, &locale).await?))
}

/// Puts an event's wording in one language back to the built-in one.
#[utoipa::path(delete, path = "/message-templates/{event}/{locale}", tag = "messages",
    params(
        ("event" = String, Path, description = "The event"),
        ("locale" = String, Path, description = "`id` or `en`"),
    ),
    responses(
        (status = 200, body = MessageTemplate),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reset_template(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((event, locale)): ApiPath<(String, String)>,
) -> ApiResult<axum::Json<MessageTemplate>> {
    caller.require(Permission::MessagesManage)?;
    let event = event_of(&event)?;
    outbox::save_template(
        &state.db,
        &person(&caller),
        (event, &locale),
        None,
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(template_view(&state, event, &locale).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    pub event: MessageEvent,
    pub body: String,
}

/// A template filled with example values.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub text: String,
}

/// Shows what a wording makes with example values, before it is saved.
#[utoipa::path(post, path = "/message-templates/preview", tag = "messages", request_body = PreviewInput,
    responses(
        (status = 200, body = Preview),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn preview_template(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<ApiJson<PreviewInput>, ApiError>,
) -> ApiResult<axum::Json<Preview>> {
    caller.require(Permission::MessagesManage)?;
    let ApiJson(b) = body?;
    outbox::check_template(b.event, &b.body)?;
    let ch = outbox::channel(state.db.conn()).await?;
    let text = netcrew_domain::messages::render(
        &b.body,
        &outbox::sample_vars(&ch.config.sender_name, b.event),
    )
    .map_err(|e| ApiError::validation("body", "syntax", e.to_string()))?;
    Ok(axum::Json(Preview { text }))
}

/// What a webhook call did.
#[derive(Debug, Serialize, ToSchema)]
pub struct HookAnswer {
    /// `status` (a delivery report), `attached` (added to the sender's open
    /// ticket), `answered` (a reply to a reminder or to "please rate",
    /// carried out), `kept` (waiting in CS's inbox), `duplicate` (taken before)
    /// or `ignored` (nothing NetCrew acts on). The first, when a call
    /// carries several (the Cloud API's do).
    pub outcome: String,
    /// Each event's, in order.
    pub outcomes: Vec<String>,
}

/// A gateway's webhook: delivery reports and incoming messages (JSON or a
/// form). The secret in the address is the channel's; a wrong one answers
/// 404. The Cloud API's calls must also carry its signature
/// (`X-Hub-Signature-256`, the app secret's HMAC-SHA256 of the body); a
/// missing or wrong one answers 403. Replays are taken once.
#[utoipa::path(post, path = "/webhooks/whatsapp/{provider}/{secret}", tag = "messages",
    params(
        ("provider" = String, Path, description = "`fonnte`, `wablas` or `cloud`"),
        ("secret" = String, Path, description = "The channel's webhook secret"),
    ),
    request_body(content = Object, description = "The gateway's own payload"),
    responses(
        (status = 200, body = HookAnswer),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn whatsapp_webhook(
    State(state): State<AppState>,
    ApiPath((provider, secret)): ApiPath<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<axum::Json<HookAnswer>> {
    let unknown = || ApiError::NotFound("No such webhook.".to_string());
    if !matches!(provider.as_str(), "fonnte" | "wablas" | "cloud")
        || !outbox::webhook_secret_matches(state.db.conn(), &secret).await?
    {
        return Err(unknown());
    }
    if provider == "cloud" {
        let app_secret = outbox::cloud_app_secret(&state.db, &state.sealer)
            .await?
            .ok_or_else(unknown)?;
        let signature = headers
            .get("x-hub-signature-256")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !netcrew_notify::cloud::signature_valid(&app_secret, &body, signature) {
            tracing::warn!("whatsapp cloud: a webhook call with a missing or wrong signature");
            return Err(ApiError::Forbidden(
                "The signature (X-Hub-Signature-256) does not match.".to_string(),
            ));
        }
    }
    let form = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let payload: serde_json::Value = if form {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .map(|pairs| {
                serde_json::Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k, serde_json::Value::String(v)))
                        .collect(),
                )
            })
            .map_err(|_| ApiError::BadRequest("The form could not be read.".to_string()))?
    } else {
        serde_json::from_slice(&body)
            .map_err(|_| ApiError::BadRequest("The body is not JSON.".to_string()))?
    };
    let hooks = if provider == "cloud" {
        netcrew_notify::cloud::parse_hooks(&payload)
    } else {
        netcrew_notify::parse_hook(&provider, &payload)
            .into_iter()
            .collect()
    };
    let now = Utc::now();
    let mut outcomes = Vec::new();
    for hook in hooks {
        outcomes.push(take_hook(&state, &provider, hook, now).await?.to_string());
    }
    Ok(axum::Json(HookAnswer {
        outcome: outcomes
            .first()
            .cloned()
            .unwrap_or_else(|| "ignored".to_string()),
        outcomes,
    }))
}

/// Carries out one event of a webhook.
async fn take_hook(
    state: &AppState,
    provider: &str,
    hook: netcrew_notify::Hook,
    now: DateTime<Utc>,
) -> ApiResult<&'static str> {
    Ok(match hook {
        netcrew_notify::Hook::Status {
            provider_message_id,
            status,
            reason,
        } => {
            outbox::delivery_report(
                &state.db,
                provider,
                &provider_message_id,
                status,
                &reason,
                now,
            )
            .await?;
            "status"
        }
        netcrew_notify::Hook::Inbound {
            id,
            from,
            name,
            text,
        } => {
            let got = netcrew_store::inbound::receive(
                &state.db,
                netcrew_store::inbound::Incoming {
                    provider,
                    id: id.as_deref(),
                    from: &from,
                    name: &name,
                    text: &text,
                },
                &state.config.tickets,
                now,
            )
            .await?;
            match got {
                netcrew_store::inbound::Received::Attached(_) => "attached",
                netcrew_store::inbound::Received::Answered(_) => "answered",
                netcrew_store::inbound::Received::Kept(_) => "kept",
                netcrew_store::inbound::Received::Duplicate => "duplicate",
            }
        }
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CloudVerify {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

/// Meta's check of the Cloud API's callback URL: answers `hub.challenge`
/// when `hub.verify_token` is the channel's webhook secret.
#[utoipa::path(get, path = "/webhooks/whatsapp/{provider}/{secret}", tag = "messages",
    params(
        ("provider" = String, Path, description = "`cloud`"),
        ("secret" = String, Path, description = "The channel's webhook secret"),
        CloudVerify,
    ),
    responses(
        (status = 200, body = String, content_type = "text/plain"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn cloud_verify(
    State(state): State<AppState>,
    ApiPath((provider, secret)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<CloudVerify>,
) -> ApiResult<String> {
    if provider != "cloud" || !outbox::webhook_secret_matches(state.db.conn(), &secret).await? {
        return Err(ApiError::NotFound("No such webhook.".to_string()));
    }
    match (q.mode.as_deref(), q.verify_token, q.challenge) {
        (Some("subscribe"), Some(token), Some(challenge))
            if token == secret && challenge.len() <= 200 =>
        {
            Ok(challenge)
        }
        _ => Err(ApiError::Forbidden(
            "The verify token does not match.".to_string(),
        )),
    }
}

/// A WhatsApp message someone sent the ISP.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundMessage {
    pub id: Uuid,
    pub provider: String,
    /// The sender's number (E.164) and the name WhatsApp shows.
    pub sender: String,
    pub sender_name: String,
    /// The customer with that number, if any.
    pub customer_id: Option<Uuid>,
    /// The ticket it was added to (as the customer's comment), or the one
    /// CS opened for it.
    pub ticket_id: Option<Uuid>,
    pub body: String,
    pub received_at: DateTime<Utc>,
    pub handled_at: Option<DateTime<Utc>>,
}

impl From<netcrew_store::entity::inbound_message::Model> for InboundMessage {
    fn from(m: netcrew_store::entity::inbound_message::Model) -> Self {
        InboundMessage {
            id: m.id,
            provider: m.provider,
            sender: m.sender,
            sender_name: m.sender_name,
            customer_id: m.customer_id,
            ticket_id: m.ticket_id,
            body: m.body,
            received_at: m.received_at,
            handled_at: m.handled_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboundQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// Only those nobody dealt with yet (default `true`).
    pub open: Option<bool>,
}

/// CS's WhatsApp inbox: messages from unknown numbers or from customers
/// without an open ticket, newest first.
#[utoipa::path(get, path = "/inbound-messages", tag = "messages", params(InboundQuery),
    responses(
        (status = 200, body = List<InboundMessage>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_inbound(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<InboundQuery>,
) -> ApiResult<axum::Json<List<InboundMessage>>> {
    caller.require(Permission::MessagesRead)?;
    let page = netcrew_store::inbound::list(
        state.db.conn(),
        q.open.unwrap_or(true),
        q.limit,
        q.cursor.as_deref(),
    )
    .await??;
    Ok(axum::Json(List::from_page(page, InboundMessage::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandledInput {
    /// The ticket opened for it, if any.
    #[serde(default)]
    pub ticket_id: Option<Uuid>,
}

/// Marks an inbox message dealt with (answered, or a ticket opened for it).
#[utoipa::path(post, path = "/inbound-messages/{id}/handled", tag = "messages", request_body = HandledInput,
    params(("id" = Uuid, Path, description = "Message id")),
    responses(
        (status = 200, body = InboundMessage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn handle_inbound(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    body: Result<ApiJson<HandledInput>, ApiError>,
) -> ApiResult<axum::Json<InboundMessage>> {
    caller.require(Permission::MessagesRead)?;
    caller.require(Permission::TicketsCreate)?;
    let ApiJson(b) = body?;
    let m = netcrew_store::inbound::mark_handled(
        &state.db,
        &person(&caller),
        id,
        b.ticket_id,
        Utc::now(),
    )
    .await?;
    Ok(axum::Json(m.into()))
}
