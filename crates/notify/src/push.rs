//! Web Push (RFC 8030) to the phones and browsers of staff that allowed it:
//! the payload encrypted for the browser (RFC 8291), the request signed with
//! the server's VAPID key (RFC 8292), and the push service's answer read
//! for what it means (taken, gone for good, try again later).

use std::time::Duration;

use web_push_native::{
    Auth, WebPushBuilder,
    jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair},
    p256::PublicKey,
};

use crate::{Failure, Sent};

const PROVIDER: &str = "webpush";

/// How long a push service keeps a message for a device that is off.
const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// A server's VAPID key pair.
pub struct Vapid {
    pair: ES256KeyPair,
}

impl Vapid {
    /// A new key pair.
    pub fn generate() -> Vapid {
        Vapid {
            pair: ES256KeyPair::generate(),
        }
    }

    /// The pair from its private key (32 bytes), as [`Vapid::private_key`]
    /// gave it.
    pub fn from_private_key(bytes: &[u8]) -> Option<Vapid> {
        // A key of another length would panic inside the curve library.
        if bytes.len() != 32 {
            return None;
        }
        ES256KeyPair::from_bytes(bytes)
            .ok()
            .map(|pair| Vapid { pair })
    }

    /// The private key, to keep sealed.
    pub fn private_key(&self) -> Vec<u8> {
        self.pair.to_bytes()
    }

    /// The public key as browsers take it (`applicationServerKey`): the
    /// uncompressed point, base64url without padding.
    pub fn public_key(&self) -> String {
        let raw = self.pair.public_key().public_key().to_bytes_uncompressed();
        b64(&raw)
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(s.trim_end_matches('=')).ok()
}

/// Whether a browser's keys are what Web Push needs: a P-256 public key
/// (65 bytes, uncompressed) and a 16-byte auth secret, base64url.
pub fn keys_ok(p256dh: &str, auth: &str) -> bool {
    let key_ok = unb64(p256dh)
        .filter(|k| k.len() == 65)
        .is_some_and(|k| PublicKey::from_sec1_bytes(&k).is_ok());
    let auth_ok = unb64(auth).is_some_and(|a| a.len() == 16);
    key_ok && auth_ok
}

/// One browser's subscription.
#[derive(Clone, Copy)]
pub struct Subscription<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
}

/// Why a push was not taken; `gone`: the browser unsubscribed (the push
/// service answered 404 or 410) and the subscription should be forgotten.
#[derive(Debug)]
pub struct PushFailure {
    pub failure: Failure,
    pub gone: bool,
}

fn fail(reason: impl Into<String>, permanent: bool, gone: bool) -> PushFailure {
    PushFailure {
        failure: Failure {
            provider: PROVIDER,
            reason: reason.into(),
            permanent,
        },
        gone,
    }
}

/// Sends `payload` (JSON the service worker reads) to one browser.
/// `contact`: a `mailto:` or `https:` address push services may write to.
pub async fn send(
    client: &reqwest::Client,
    vapid: &Vapid,
    contact: &str,
    to: Subscription<'_>,
    payload: &[u8],
) -> Result<Sent, PushFailure> {
    let endpoint: http::Uri = to
        .endpoint
        .parse()
        .map_err(|_| fail("the subscription's address cannot be read", true, true))?;
    let key = unb64(to.p256dh)
        .and_then(|k| PublicKey::from_sec1_bytes(&k).ok())
        .ok_or_else(|| fail("the subscription's key cannot be read", true, true))?;
    let auth = unb64(to.auth)
        .filter(|a| a.len() == 16)
        .ok_or_else(|| fail("the subscription's auth secret cannot be read", true, true))?;
    let request = WebPushBuilder::new(endpoint, key, Auth::clone_from_slice(&auth))
        .with_valid_duration(KEEP_FOR)
        .with_vapid(&vapid.pair, contact)
        .build(payload.to_vec())
        .map_err(|e| fail(format!("the message could not be made: {e}"), true, false))?;
    let (parts, body) = request.into_parts();
    let mut out = client
        .post(to.endpoint)
        .body(body)
        .header("Urgency", "high");
    for (name, value) in &parts.headers {
        out = out.header(name.as_str(), value.as_bytes());
    }
    let answer = out.send().await.map_err(|e| {
        let why = if e.is_timeout() {
            "the push service did not answer in time".to_string()
        } else {
            format!("the push service cannot be reached: {}", e.without_url())
        };
        fail(why, false, false)
    })?;
    let status = answer.status();
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if status.is_success() {
        return Ok(Sent {
            provider: PROVIDER,
            provider_message_id: location,
        });
    }
    let text: String = answer
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let said = if text.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", text.trim())
    };
    Err(match status.as_u16() {
        404 | 410 => fail(
            format!("the device no longer takes notifications (HTTP {status}){said}"),
            true,
            true,
        ),
        413 => fail(
            format!("the message is too long (HTTP 413){said}"),
            true,
            false,
        ),
        429 => fail(
            format!("the push service asks to slow down (HTTP 429){said}"),
            false,
            false,
        ),
        s if s >= 500 => fail(
            format!("the push service failed (HTTP {status}){said}"),
            false,
            false,
        ),
        _ => fail(
            format!("the push service refused the message (HTTP {status}){said}"),
            true,
            false,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_pair_survives_its_private_key_and_shows_a_browser_key() {
        let v = Vapid::generate();
        let again = Vapid::from_private_key(&v.private_key()).expect("pair");
        assert_eq!(v.public_key(), again.public_key());
        // 65 bytes uncompressed, base64url without padding: 87 characters.
        assert_eq!(v.public_key().len(), 87);
        assert!(v.public_key().starts_with('B'));
        assert!(Vapid::from_private_key(b"short").is_none());
    }

    #[test]
    fn browser_keys_are_checked() {
        let v = Vapid::generate();
        assert!(keys_ok(&v.public_key(), "AAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!keys_ok("nonsense", "AAAAAAAAAAAAAAAAAAAAAA"));
        assert!(!keys_ok(&v.public_key(), "AAAA"));
    }
}
