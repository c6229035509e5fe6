//! E-mail over SMTP: STARTTLS (port 587), TLS from the first byte (465),
//! or plain (a relay on the same machine or network). Each message goes as
//! text and HTML alternatives. An answer is read like a gateway's: sent,
//! worth trying again (the server is down, slow, or refused the login: the
//! admin fixes the settings and the message goes then), or never (the
//! address is malformed or the server refuses the recipient). The password
//! never appears in errors or logs.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};

use crate::{Failure, Sent};

/// The provider name recorded with e-mails.
pub const SMTP: &str = "smtp";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (refused if the server
    /// cannot).
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// An SMTP server and the sender (no `Debug`: it holds the password).
#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
}

/// One e-mail.
#[derive(Debug, Clone, Copy)]
pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

fn failure(reason: impl Into<String>, permanent: bool) -> Failure {
    Failure {
        provider: SMTP,
        reason: reason.into(),
        permanent,
    }
}

impl Smtp {
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, Failure> {
        let builder = match self.security {
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host),
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host),
            Security::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &self.host,
            )),
        }
        .map_err(|e| failure(format!("SMTP server {}: {e}", self.host), false))?;
        let mut builder = builder
            .port(self.port)
            .timeout(Some(Duration::from_secs(15)));
        if let (Some(user), Some(password)) = (&self.username, &self.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }

    /// Sends `e`; the server's message id when it gave one.
    pub async fn send(&self, e: Email<'_>) -> Result<Sent, Failure> {
        let from: Mailbox = format!("{} <{}>", self.from_name, self.from_address)
            .parse()
            .or_else(|_| self.from_address.parse())
            .map_err(|_| {
                failure(
                    format!("the sender {} is not an address", self.from_address),
                    false,
                )
            })?;
        let to: Mailbox =
            e.to.parse()
                .map_err(|_| failure(format!("{} is not an e-mail address", e.to), true))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(e.subject)
            .multipart(MultiPart::alternative_plain_html(
                e.text.to_string(),
                e.html.to_string(),
            ))
            .map_err(|err| failure(format!("the message could not be made: {err}"), true))?;
        let transport = self.transport()?;
        match transport.send(message).await {
            Ok(response) => Ok(Sent {
                provider: SMTP,
                provider_message_id: response
                    .message()
                    .next()
                    .map(|line| line.chars().take(200).collect()),
            }),
            Err(err) => {
                let code = err.status().map(|c| c.to_string());
                // A refused login or a server wanting encryption is the
                // settings' fault: the message waits for them to be fixed.
                let login = matches!(code.as_deref(), Some("530" | "534" | "535" | "538"));
                let reason = match code.as_deref() {
                    Some("535") => "the SMTP server refused the login".to_string(),
                    _ => format!("{err}"),
                };
                Err(failure(reason, err.is_permanent() && !login))
            }
        }
    }
}

/// Marks up a plain-text message as HTML: the text escaped, paragraphs
/// kept, addresses made links.
pub fn html_of(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let linked = |line: &str| {
        line.split(' ')
            .map(|word| {
                if (word.starts_with("https://") || word.starts_with("http://"))
                    && !word.contains('"')
                {
                    let w = escape(word);
                    format!("<a href=\"{w}\">{w}</a>")
                } else {
                    escape(word)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>",
                p.lines().map(linked).collect::<Vec<_>>().join("<br>\n")
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_paragraphs_escapes_and_links() {
        let html = html_of(
            "Halo <Budi> & keluarga,\nbaris dua\n\nBuka https://isp.example/reset?token=a&b=1 sekarang",
        );
        assert!(html.contains("<p>Halo &lt;Budi&gt; &amp; keluarga,<br>\nbaris dua</p>"));
        assert!(html.contains(
            "<a href=\"https://isp.example/reset?token=a&amp;b=1\">https://isp.example/reset?token=a&amp;b=1</a>"
        ));
    }

    #[tokio::test]
    async fn a_malformed_address_fails_for_good() {
        let smtp = Smtp {
            host: "127.0.0.1".into(),
            port: 9,
            security: Security::None,
            username: None,
            password: None,
            from_address: "noreply@isp.example".into(),
            from_name: "ISP".into(),
        };
        let e = Email {
            to: "not an address",
            subject: "s",
            text: "t",
            html: "<p>t</p>",
        };
        let f = smtp.send(e).await.err();
        assert!(f.is_some_and(|f| f.permanent));
    }
}
