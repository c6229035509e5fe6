//! The WhatsApp Business Cloud API (Meta): `POST
//! {base}/{phone_number_id}/messages` with a bearer token. Outside the
//! 24 hours after the customer last wrote, only an approved template may
//! go (its name, language and the values of `{{1}}`, `{{2}}`, ...);
//! inside them, free text. Its webhooks carry delivery statuses and
//! incoming messages, several per call, signed with the app secret
//! (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>`).

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{Failure, Gateway, Hook, Outgoing, Sent, digits, e164, status_word, text_of};

/// The Cloud API as one gateway.
pub struct Cloud {
    client: reqwest::Client,
    base: String,
    phone_number_id: String,
    token: String,
}

impl Cloud {
    pub const DEFAULT_BASE: &'static str = "https://graph.facebook.com/v21.0";

    pub fn new(
        client: reqwest::Client,
        base: Option<&str>,
        phone_number_id: &str,
        token: &str,
    ) -> Cloud {
        Cloud {
            client,
            base: base
                .unwrap_or(Self::DEFAULT_BASE)
                .trim_end_matches('/')
                .to_string(),
            phone_number_id: phone_number_id.to_string(),
            token: token.to_string(),
        }
    }
}

/// The request body for `m`: its template, or free text inside the window;
/// `None` when neither may go.
fn body_of(m: &Outgoing<'_>) -> Option<Value> {
    let to = digits(m.to);
    if let Some(t) = m.template {
        let parameters: Vec<Value> = t
            .params
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect();
        let mut template = json!({"name": t.name, "language": {"code": t.language}});
        if !parameters.is_empty() {
            template["components"] = json!([{"type": "body", "parameters": parameters}]);
        }
        return Some(json!({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "template", "template": template,
        }));
    }
    m.window_open.then(|| {
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "text", "text": {"preview_url": false, "body": m.text},
        })
    })
}

/// Error codes of the Cloud API that no retry helps: the number cannot
/// get WhatsApp messages.
const BAD_NUMBER: [i64; 2] = [131_026, 131_030];

#[async_trait]
impl Gateway for Cloud {
    fn name(&self) -> &'static str {
        "cloud"
    }

    async fn send(&self, m: Outgoing<'_>) -> Result<Sent, Failure> {
        let Some(body) = body_of(&m) else {
            // Another gateway may still send it as text.
            return Err(Failure {
                provider: self.name(),
                reason: "no approved template for this message, and the customer has not \
                         written in the last 24 hours"
                    .to_string(),
                permanent: false,
            });
        };
        let sent = self
            .client
            .post(format!("{}/{}/messages", self.base, self.phone_number_id))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await;
        let fail = |reason: String, permanent: bool| Failure {
            provider: "cloud",
            reason,
            permanent,
        };
        let response = sent.map_err(|e| {
            fail(
                if e.is_timeout() {
                    "no answer in time".to_string()
                } else if e.is_connect() {
                    "cannot connect".to_string()
                } else {
                    "request failed".to_string()
                },
                false,
            )
        })?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success()
            && let Some(id) = answer.pointer("/messages/0/id").and_then(text_of)
        {
            return Ok(Sent {
                provider: self.name(),
                provider_message_id: Some(id),
            });
        }
        let code = answer.pointer("/error/code").and_then(Value::as_i64);
        let detail = answer
            .pointer("/error/error_data/details")
            .or_else(|| answer.pointer("/error/message"))
            .and_then(text_of)
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        let reason = match (status.as_u16(), code) {
            (429, _) | (_, Some(4 | 80_007 | 130_429 | 131_048 | 131_056)) => {
                format!("rate limited: {detail}")
            }
            (_, Some(190)) | (401, _) => format!("access token refused: {detail}"),
            (_, Some(132_000..=132_015)) => format!("template refused: {detail}"),
            (_, Some(131_047)) => format!("outside the 24-hour window: {detail}"),
            (s, _) if s >= 500 => format!("gateway error (HTTP {s}): {detail}"),
            (_, Some(c)) => format!("error {c}: {detail}"),
            _ => detail,
        };
        Err(fail(reason, code.is_some_and(|c| BAD_NUMBER.contains(&c))))
    }
}

/// Whether `signature` (the `X-Hub-Signature-256` header) is the app
/// secret's HMAC-SHA256 of `body`, compared in constant time.
pub fn signature_valid(app_secret: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.trim().strip_prefix("sha256=") else {
        return false;
    };
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let expected: Vec<u8> = (0..32)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The signature header a Cloud API webhook for `body` carries (for tests
/// and fakes).
pub fn sign(app_secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Every status and incoming text message in a Cloud API webhook body.
pub fn parse_hooks(body: &Value) -> Vec<Hook> {
    let mut hooks = Vec::new();
    let changes = body
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("changes").and_then(Value::as_array))
        .flatten();
    for change in changes {
        let Some(value) = change.get("value") else {
            continue;
        };
        for s in value
            .get("statuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(id), Some(word)) = (
                s.get("id").and_then(text_of),
                s.get("status")
                    .and_then(Value::as_str)
                    .and_then(status_word),
            ) else {
                continue;
            };
            let reason = s
                .pointer("/errors/0/error_data/details")
                .or_else(|| s.pointer("/errors/0/title"))
                .and_then(text_of)
                .unwrap_or_default();
            hooks.push(Hook::Status {
                provider_message_id: id,
                status: word,
                reason,
            });
        }
        let name_of = |wa_id: &str| {
            value
                .get("contacts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|c| c.get("wa_id").and_then(Value::as_str) == Some(wa_id))
                .and_then(|c| c.pointer("/profile/name"))
                .and_then(text_of)
                .unwrap_or_default()
        };
        for m in value
            .get("messages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let text = m
                .pointer("/text/body")
                .or_else(|| m.pointer("/button/text"))
                .or_else(|| m.pointer("/interactive/button_reply/title"))
                .and_then(text_of);
            let (Some(raw_from), Some(text)) = (m.get("from").and_then(text_of), text) else {
                continue;
            };
            let Some(from) = e164(&raw_from) else {
                continue;
            };
            hooks.push(Hook::Inbound {
                id: m.get("id").and_then(text_of),
                name: name_of(&raw_from),
                from,
                text,
            });
        }
    }
    hooks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Template;

    #[test]
    fn a_template_carries_its_parameters_and_text_needs_the_window() {
        let params = vec!["Budi".to_string(), "TRB-2026-000001".to_string()];
        let mut m = Outgoing::text("+6281234567890", "Halo");
        assert!(body_of(&m).is_none());
        m.window_open = true;
        let b = body_of(&m).unwrap_or_default();
        assert_eq!(b["type"], "text");
        assert_eq!(b["to"], "6281234567890");
        m.template = Some(Template {
            name: "tiket_diterima",
            language: "id",
            params: &params,
        });
        let b = body_of(&m).unwrap_or_default();
        assert_eq!(b["template"]["name"], "tiket_diterima");
        assert_eq!(b["template"]["language"]["code"], "id");
        assert_eq!(
            b["template"]["components"][0]["parameters"][1]["text"],
            "TRB-2026-000001"
        );
    }

    #[test]
    fn signatures_are_checked_against_the_app_secret() {
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let good = sign("rahasia-app", body);
        assert!(signature_valid("rahasia-app", body, &good));
        assert!(!signature_valid("lain", body, &good));
        assert!(!signature_valid("rahasia-app", b"{}", &good));
        assert!(!signature_valid("rahasia-app", body, "sha256=00"));
        assert!(!signature_valid("rahasia-app", body, ""));
    }

    #[test]
    fn a_webhook_may_carry_statuses_and_messages_together() {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
            "field": "messages",
            "value": {
                "contacts": [{"profile": {"name": "Budi"}, "wa_id": "6281234567890"}],
                "messages": [{"from": "6281234567890", "id": "wamid.IN", "type": "text",
                              "text": {"body": "1"}}],
                "statuses": [
                    {"id": "wamid.A", "status": "delivered"},
                    {"id": "wamid.B", "status": "failed",
                     "errors": [{"code": 131026, "title": "Message undeliverable"}]}
                ]
            }
        }]}]});
        let hooks = parse_hooks(&body);
        assert_eq!(hooks.len(), 3);
        assert!(hooks.contains(&Hook::Status {
            provider_message_id: "wamid.B".into(),
            status: "failed",
            reason: "Message undeliverable".into(),
        }));
        assert!(hooks.contains(&Hook::Inbound {
            id: Some("wamid.IN".into()),
            from: "+6281234567890".into(),
            name: "Budi".into(),
            text: "1".into(),
        }));
    }
}
