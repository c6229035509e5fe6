//! Sending messages through the WhatsApp gateways Indonesian ISPs use:
//! Fonnte and Wablas, and the official WhatsApp Business Cloud API ([`cloud`]), behind one trait, tried in order so that the second
//! takes over when the first fails. Each answer is read for what it means:
//! sent (with the gateway's message id), a failure worth trying again
//! (the gateway is down, slow, out of quota, its device logged out, its
//! token wrong), or one that no retry helps (the number is not on
//! WhatsApp). Tokens never appear in errors or logs. E-mail goes over SMTP
//! ([`email`]).

pub mod cloud;
pub mod email;
pub mod push;

pub use cloud::Cloud;

use std::time::Duration;

use async_trait::async_trait;
pub use reqwest::Client as HttpClient;
use serde_json::Value;

/// One message to send.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The phone number in E.164 (`+6281234567890`).
    pub to: &'a str,
    pub text: &'a str,
    /// The approved template this message maps to, with its parameters
    /// (the Cloud API needs one outside the 24-hour window; the local
    /// gateways send `text`).
    pub template: Option<Template<'a>>,
    /// The recipient wrote to the ISP in the last 24 hours, so the Cloud
    /// API takes free text.
    pub window_open: bool,
}

impl<'a> Outgoing<'a> {
    /// Plain text, no template, window closed.
    pub fn text(to: &'a str, text: &'a str) -> Outgoing<'a> {
        Outgoing {
            to,
            text,
            template: None,
            window_open: false,
        }
    }
}

/// A template approved at Meta, and the values of its `{{1}}`, `{{2}}`, ...
#[derive(Debug, Clone, Copy)]
pub struct Template<'a> {
    pub name: &'a str,
    /// Its language code at Meta (`id`, `en_US`).
    pub language: &'a str,
    pub params: &'a [String],
}

/// A message a gateway took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub provider: &'static str,
    pub provider_message_id: Option<String>,
}

/// Why a gateway did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub provider: &'static str,
    pub reason: String,
    /// No retry (and no other gateway) helps: the number is wrong or not on
    /// WhatsApp.
    pub permanent: bool,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.provider, self.reason)
    }
}

/// A WhatsApp gateway.
#[async_trait]
pub trait Gateway: Send + Sync {
    fn name(&self) -> &'static str;
    async fn send(&self, m: Outgoing<'_>) -> Result<Sent, Failure>;
}

/// The HTTP client gateways share: short timeouts, so that a hanging
/// gateway is a failure to retry and not a stuck worker.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .user_agent(concat!("NetCrew/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// The number as the Indonesian gateways take it: digits with the country
/// code, no `+`.
pub(crate) fn digits(e164: &str) -> String {
    e164.chars().filter(char::is_ascii_digit).collect()
}

/// Words in a gateway's reason that mean the number itself is the problem.
fn means_bad_number(reason: &str) -> bool {
    let r = reason.to_lowercase();
    [
        "invalid target",
        "target invalid",
        "invalid phone",
        "phone invalid",
        "not registered",
        "not exist",
        "not on whatsapp",
        "not a whatsapp",
    ]
    .iter()
    .any(|w| r.contains(w))
}

/// Reads a gateway's HTTP answer as JSON, or says why it could not.
async fn answer(
    provider: &'static str,
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<Value, Failure> {
    let fail = |reason: String| Failure {
        provider,
        reason,
        permanent: false,
    };
    let response = sent.map_err(|e| {
        fail(if e.is_timeout() {
            "no answer in time".to_string()
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else {
            "request failed".to_string()
        })
    })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(fail("rate limited (HTTP 429)".to_string()));
    }
    if status.is_server_error() {
        return Err(fail(format!("gateway error (HTTP {})", status.as_u16())));
    }
    if body.is_null() {
        return Err(fail(format!(
            "unreadable answer (HTTP {})",
            status.as_u16()
        )));
    }
    Ok(body)
}

pub(crate) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.first().and_then(text_of),
        _ => None,
    }
}

/// Fonnte: `POST {base}/send`, header `Authorization: <token>`, form
/// `target`, `message`; answers `{"status": true, "id": ["..."]}` or
/// `{"status": false, "reason": "..."}`.
pub struct Fonnte {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Fonnte {
    pub const DEFAULT_BASE: &'static str = "https://api.fonnte.com";

    pub fn new(client: reqwest::Client, base: Option<&str>, token: &str) -> Fonnte {
        Fonnte {
            client,
            base: base
                .unwrap_or(Self::DEFAULT_BASE)
                .trim_end_matches('/')
                .to_string(),
            token: token.to_string(),
        }
    }
}

#[async_trait]
impl Gateway for Fonnte {
    fn name(&self) -> &'static str {
        "fonnte"
    }

    async fn send(&self, m: Outgoing<'_>) -> Result<Sent, Failure> {
        let sent = self
            .client
            .post(format!("{}/send", self.base))
            .header("Authorization", &self.token)
            .form(&[
                ("target", digits(m.to).as_str()),
                ("message", m.text),
                ("countryCode", "62"),
            ])
            .send()
            .await;
        let body = answer(self.name(), sent).await?;
        if body.get("status").and_then(Value::as_bool) == Some(true) {
            return Ok(Sent {
                provider: self.name(),
                provider_message_id: body.get("id").and_then(text_of),
            });
        }
        let reason = body
            .get("reason")
            .or_else(|| body.get("detail"))
            .and_then(text_of)
            .unwrap_or_else(|| "refused without a reason".to_string());
        Err(Failure {
            provider: self.name(),
            permanent: means_bad_number(&reason),
            reason,
        })
    }
}

/// Wablas: `POST {base}/api/send-message`, header `Authorization: <token>`
/// (or `token.secret`), form `phone`, `message`; answers `{"status": true,
/// "data": {"messages": [{"id": "..."}]}}` or `{"status": false, "message":
/// "..."}`.
pub struct Wablas {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Wablas {
    pub const DEFAULT_BASE: &'static str = "https://solo.wablas.com";

    pub fn new(client: reqwest::Client, base: Option<&str>, token: &str) -> Wablas {
        Wablas {
            client,
            base: base
                .unwrap_or(Self::DEFAULT_BASE)
                .trim_end_matches('/')
                .to_string(),
            token: token.to_string(),
        }
    }
}

#[async_trait]
impl Gateway for Wablas {
    fn name(&self) -> &'static str {
        "wablas"
    }

    async fn send(&self, m: Outgoing<'_>) -> Result<Sent, Failure> {
        let sent = self
            .client
            .post(format!("{}/api/send-message", self.base))
            .header("Authorization", &self.token)
            .form(&[("phone", digits(m.to).as_str()), ("message", m.text)])
            .send()
            .await;
        let body = answer(self.name(), sent).await?;
        if body.get("status").and_then(Value::as_bool) == Some(true) {
            let id = body
                .pointer("/data/messages/0/id")
                .or_else(|| body.pointer("/data/id"))
                .and_then(text_of);
            return Ok(Sent {
                provider: self.name(),
                provider_message_id: id,
            });
        }
        let reason = body
            .get("message")
            .or_else(|| body.get("reason"))
            .and_then(text_of)
            .unwrap_or_else(|| "refused without a reason".to_string());
        Err(Failure {
            provider: self.name(),
            permanent: means_bad_number(&reason),
            reason,
        })
    }
}

/// Sends through the first gateway that takes the message, in order. A
/// number that is not on WhatsApp stops at once (another gateway would not
/// help); otherwise every gateway's reason is kept.
pub async fn send_with_failover(
    gateways: &[Box<dyn Gateway>],
    m: Outgoing<'_>,
) -> Result<Sent, Vec<Failure>> {
    let mut failures = Vec::new();
    for g in gateways {
        match g.send(m).await {
            Ok(sent) => return Ok(sent),
            Err(f) => {
                let stop = f.permanent;
                failures.push(f);
                if stop {
                    break;
                }
            }
        }
    }
    if failures.is_empty() {
        failures.push(Failure {
            provider: "none",
            reason: "no gateway is configured".to_string(),
            permanent: false,
        });
    }
    Err(failures)
}

/// What a gateway's webhook says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hook {
    /// How a message sent earlier fared: `sent`, `delivered`, `read` or
    /// `failed`.
    Status {
        provider_message_id: String,
        status: &'static str,
        reason: String,
    },
    /// A message someone sent the ISP's number.
    Inbound {
        /// The gateway's id of it, when it gives one.
        id: Option<String>,
        /// The sender's number in E.164.
        from: String,
        name: String,
        text: String,
    },
}

/// A gateway's status word as NetCrew's.
pub(crate) fn status_word(s: &str) -> Option<&'static str> {
    Some(match s.to_lowercase().as_str() {
        "sent" | "server_ack" => "sent",
        "delivered" | "delivery_ack" => "delivered",
        "read" | "read_ack" | "played" => "read",
        "failed" | "fail" | "invalid" | "reject" | "rejected" | "cancel" | "error" => "failed",
        _ => return None,
    })
}

/// A number as gateways send it (`6281…`, `081…`, `6281…@s.whatsapp.net`)
/// in E.164.
pub fn e164(raw: &str) -> Option<String> {
    let head = raw.split('@').next().unwrap_or("");
    let digits: String = head.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 || digits.len() > 15 {
        return None;
    }
    Some(match digits.strip_prefix('0') {
        Some(local) => format!("+62{local}"),
        None => format!("+{digits}"),
    })
}

/// Reads a Fonnte or Wablas webhook body (JSON or a form, as a JSON
/// object). `None`: nothing NetCrew acts on (a group message, a device
/// event).
pub fn parse_hook(provider: &str, body: &Value) -> Option<Hook> {
    let get = |k: &str| body.get(k).and_then(text_of).filter(|v| !v.is_empty());
    let is_group = body
        .get("isGroup")
        .or_else(|| body.get("is_group"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || get("member").is_some();
    match provider {
        "fonnte" => {
            if let (Some(from), Some(text)) = (get("sender"), get("message")) {
                if is_group {
                    return None;
                }
                return Some(Hook::Inbound {
                    id: get("inboxid").or_else(|| get("id")),
                    from: e164(&from)?,
                    name: get("name").unwrap_or_default(),
                    text,
                });
            }
            let id = get("id")?;
            let word = get("state")
                .as_deref()
                .and_then(status_word)
                .or_else(|| get("status").as_deref().and_then(status_word))?;
            Some(Hook::Status {
                provider_message_id: id,
                status: word,
                reason: get("reason").unwrap_or_default(),
            })
        }
        "wablas" => {
            if let Some(word) = get("status").as_deref().and_then(status_word) {
                return Some(Hook::Status {
                    provider_message_id: get("id")?,
                    status: word,
                    reason: get("note").unwrap_or_default(),
                });
            }
            let (from, text) = (get("phone")?, get("message")?);
            if is_group {
                return None;
            }
            Some(Hook::Inbound {
                id: get("id"),
                from: e164(&from)?,
                name: get("pushName").unwrap_or_default(),
                text,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_go_out_as_digits_with_the_country_code() {
        assert_eq!(digits("+6281234567890"), "6281234567890");
    }

    #[test]
    fn webhooks_are_read_for_status_and_inbound_messages() {
        let f = parse_hook(
            "fonnte",
            &serde_json::json!({"device": "628111", "id": "80367170", "state": "read", "status": "sent"}),
        );
        assert_eq!(
            f,
            Some(Hook::Status {
                provider_message_id: "80367170".to_string(),
                status: "read",
                reason: String::new()
            })
        );
        let f = parse_hook(
            "fonnte",
            &serde_json::json!({"device": "628111", "sender": "6281234567890", "message": "Internet masih mati", "name": "Budi"}),
        );
        assert_eq!(
            f,
            Some(Hook::Inbound {
                id: None,
                from: "+6281234567890".to_string(),
                name: "Budi".to_string(),
                text: "Internet masih mati".to_string()
            })
        );
        let w = parse_hook(
            "wablas",
            &serde_json::json!({"id": "W1", "phone": "6281234567890", "status": "delivered", "note": ""}),
        );
        assert!(matches!(
            w,
            Some(Hook::Status {
                status: "delivered",
                ..
            })
        ));
        let w = parse_hook(
            "wablas",
            &serde_json::json!({"id": "IN9", "phone": "081234567890", "message": "1", "pushName": "Sri", "isGroup": false}),
        );
        assert!(matches!(w, Some(Hook::Inbound { ref from, .. }) if from == "+6281234567890"));
        // Groups and unknown shapes are left alone.
        assert_eq!(
            parse_hook(
                "wablas",
                &serde_json::json!({"phone": "62812", "message": "x", "isGroup": true})
            ),
            None
        );
        assert_eq!(
            parse_hook("fonnte", &serde_json::json!({"device": "x"})),
            None
        );
        assert_eq!(
            parse_hook("other", &serde_json::json!({"id": "1", "status": "read"})),
            None
        );
    }

    #[test]
    fn only_reasons_about_the_number_are_permanent() {
        assert!(means_bad_number("Target invalid"));
        assert!(means_bad_number("phone number not registered on whatsapp"));
        assert!(!means_bad_number("invalid token"));
        assert!(!means_bad_number("device disconnected"));
        assert!(!means_bad_number("quota exceeded"));
    }
}
