//! E-mail through the outbox against a local SMTP sink the tests start:
//! the channel's settings (the password sealed, never answered back), a
//! test e-mail as text and HTML with the login given, links to accounts
//! (forgotten password, an admin's reset, an invitation) that reach their
//! person and set a password, a refused login that keeps the message
//! waiting with the reason, and a refused recipient that fails at once.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::{
    both_backends,
    support::{Session, TestApp, text},
};

both_backends!(
    the_channel_keeps_its_password_and_a_test_e_mail_goes_as_text_and_html,
    a_forgotten_password_arrives_by_e_mail_and_sets_a_new_one,
    invitations_and_resets_reach_the_person_or_change_nothing,
    a_refused_login_keeps_e_mails_waiting_and_a_refused_address_fails_them,
);

const OK: u8 = 0;
const REFUSE_LOGIN: u8 = 1;
const REFUSE_RECIPIENT: u8 = 2;

const SMTP_USER: &str = "netcrew@isp.example";
const SMTP_PASSWORD: &str = "sm7p-rahasia-42";

/// One e-mail the sink took.
#[derive(Debug, Clone, Default)]
pub(crate) struct Got {
    /// `AUTH PLAIN`'s decoded `\0user\0password`.
    pub auth: String,
    pub from: String,
    pub to: String,
    pub data: String,
}

#[derive(Clone)]
pub(crate) struct Sink {
    port: u16,
    mode: Arc<AtomicU8>,
    got: Arc<Mutex<Vec<Got>>>,
}

impl Sink {
    pub(crate) fn got(&self) -> Vec<Got> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }

    pub(crate) async fn wait_for(&self, n: usize) -> anyhow::Result<Vec<Got>> {
        for _ in 0..100 {
            let got = self.got();
            if got.len() >= n {
                return Ok(got);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the sink has {} e-mails, not {n}", self.got().len())
    }
}

/// A local SMTP server speaking just enough of the protocol (EHLO, AUTH
/// PLAIN, MAIL, RCPT, DATA, RSET, QUIT) to take e-mails, or refuse the
/// login or the recipient as `mode` says.
pub(crate) async fn sink() -> anyhow::Result<Sink> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let s = Sink {
        port: listener.local_addr()?.port(),
        mode: Arc::new(AtomicU8::new(OK)),
        got: Arc::new(Mutex::new(Vec::new())),
    };
    let sink = s.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let _ = session(stream, sink).await;
            });
        }
    });
    Ok(s)
}

async fn session(stream: tokio::net::TcpStream, sink: Sink) -> anyhow::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut mail = Got::default();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("AUTH PLAIN") {
            let b64 = line.split_whitespace().nth(2).unwrap_or_default();
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default();
            mail.auth = String::from_utf8_lossy(&decoded).into_owned();
            if sink.mode.load(Ordering::SeqCst) == REFUSE_LOGIN {
                b"535 5.7.8 Authentication credentials invalid\r\n"
            } else {
                b"235 2.7.0 Authentication successful\r\n"
            }
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = line[10..].trim().to_string();
            b"250 2.1.0 Ok\r\n"
        } else if upper.starts_with("RCPT TO:") {
            mail.to = line[8..].trim().to_string();
            if sink.mode.load(Ordering::SeqCst) == REFUSE_RECIPIENT {
                b"550 5.1.1 No such user here\r\n"
            } else {
                b"250 2.1.5 Ok\r\n"
            }
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(&l);
                data.push('\n');
            }
            mail.data = data;
            if let Ok(mut got) = sink.got.lock() {
                got.push(mail.clone());
            }
            b"250 2.0.0 Ok: queued as SINK1\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 Ok\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 5.5.2 Command not recognised\r\n"
        };
        write.write_all(answer).await?;
    }
    Ok(())
}

pub(crate) fn channel(sink: &Sink, enabled: bool) -> Value {
    json!({
        "enabled": enabled, "host": "127.0.0.1", "port": sink.port, "security": "none",
        "username": SMTP_USER, "password": SMTP_PASSWORD,
        "from_address": "noreply@fibernusa.example", "from_name": "FiberNusa",
    })
}

pub(crate) async fn put_channel(admin: &Session, body: Value) -> anyhow::Result<Value> {
    let r = admin
        .send(Method::PUT, "/api/v1/channels/email", Some(body))
        .await?;
    let status = r.status();
    let out: Value = r.json().await?;
    anyhow::ensure!(status == 200, "{status}: {out}");
    Ok(out)
}

/// The e-mail's text part, its quoted-printable soft breaks undone.
pub(crate) fn text_part(data: &str) -> String {
    data.replace("=\n", "").replace("=3D", "=")
}

/// The token of the link in an e-mail.
fn token_in(data: &str) -> anyhow::Result<String> {
    let text = text_part(data);
    let at = text
        .find("token=")
        .ok_or_else(|| anyhow::anyhow!("no link in {text}"))?;
    Ok(text[at + 6..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect())
}

async fn the_channel_keeps_its_password_and_a_test_e_mail_goes_as_text_and_html(
    app: &TestApp,
) -> anyhow::Result<()> {
    let sink = sink().await?;
    let admin = app.signed_in("admin").await?;
    let saved = put_channel(&admin, channel(&sink, true)).await?;
    assert_eq!(saved["password_set"], true);
    assert!(!saved.to_string().contains(SMTP_PASSWORD), "{saved}");
    // Saved again without a password: the stored one stays.
    let mut again = channel(&sink, true);
    again
        .as_object_mut()
        .map(|o| o.remove("password"))
        .unwrap_or_default();
    let saved = put_channel(&admin, again).await?;
    assert_eq!(saved["password_set"], true);
    let (_, read) = admin.json("/api/v1/channels/email").await?;
    assert!(!read.to_string().contains(SMTP_PASSWORD), "{read}");
    assert_eq!(read["from_address"], "noreply@fibernusa.example");

    let r = admin
        .send(
            Method::POST,
            "/api/v1/channels/email/test",
            Some(json!({"to": "Dewi@Example.com"})),
        )
        .await?;
    let out: Value = r.json().await?;
    assert_eq!(out["sent"], true, "{out}");
    let got = sink.wait_for(1).await?;
    assert_eq!(got[0].auth, format!("\0{SMTP_USER}\0{SMTP_PASSWORD}"));
    assert_eq!(got[0].to, "<dewi@example.com>");
    assert_eq!(got[0].from, "<noreply@fibernusa.example>");
    let data = &got[0].data;
    assert!(data.contains("multipart/alternative"), "{data}");
    assert!(data.contains("text/plain"), "{data}");
    assert!(data.contains("text/html"), "{data}");
    assert!(
        data.contains("From: FiberNusa <noreply@fibernusa.example>"),
        "{data}"
    );

    // Bad input: answered, nothing changed.
    for (body, field) in [
        (json!({"port": 0}), "port"),
        (json!({"from_address": "bukan alamat"}), "from_address"),
        (json!({"host": "smtp isp"}), "host"),
        (json!({"password": "a\u{7}b"}), "password"),
    ] {
        let mut b = channel(&sink, true);
        if let (Some(o), Some(change)) = (b.as_object_mut(), body.as_object()) {
            for (k, v) in change {
                o.insert(k.clone(), v.clone());
            }
        }
        let r = admin
            .send(Method::PUT, "/api/v1/channels/email", Some(b))
            .await?;
        assert_field(r, field).await?;
    }
    let mut b = channel(&sink, true);
    b["security"] = json!("ssl");
    let r = admin
        .send(Method::PUT, "/api/v1/channels/email", Some(b))
        .await?;
    assert_eq!(r.status(), 422);
    let r = admin
        .send(
            Method::POST,
            "/api/v1/channels/email/test",
            Some(json!({"to": "nobody"})),
        )
        .await?;
    assert_field(r, "to").await?;
    let (_, read) = admin.json("/api/v1/channels/email").await?;
    assert_eq!(read["host"], "127.0.0.1");
    assert_eq!(sink.got().len(), 1);
    Ok(())
}

async fn a_forgotten_password_arrives_by_e_mail_and_sets_a_new_one(
    app: &TestApp,
) -> anyhow::Result<()> {
    let sink = sink().await?;
    let admin = app.signed_in("admin").await?;
    put_channel(&admin, channel(&sink, true)).await?;
    let (login, password) = app.account("supervisor")?;
    anyhow::ensure!(login.contains('@'), "{login}");

    let forgot = |login: String| {
        let client = reqwest::Client::new();
        let url = app.url("/api/v1/auth/password-forgot");
        async move {
            client
                .post(url)
                .json(&json!({ "login": login }))
                .send()
                .await
        }
    };
    // Unknown logins get the same answer, and nothing is sent.
    assert_eq!(forgot("nobody@example.com".into()).await?.status(), 202);
    assert_eq!(forgot(login.to_uppercase()).await?.status(), 202);
    let got = sink.wait_for(1).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.got().len(), 1, "{got:?}");
    assert_eq!(got[0].to, format!("<{login}>"));
    let mail = text_part(&got[0].data);
    assert!(mail.contains("Atur ulang kata sandi"), "{mail}");
    assert!(
        mail.contains(&format!("{}/reset-password?token=", app.base)),
        "{mail}"
    );
    let token = token_in(&got[0].data)?;

    // The old password still works until the link is used.
    app.signed_in_as(&login, &password).await?;
    // The delivery log shows the e-mail, its token hidden.
    let (_, log) = admin.json("/api/v1/messages?limit=10").await?;
    let logged = log["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["event"] == "password_forgotten")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{log}"))?;
    assert_eq!(logged["channel"], "email");
    assert_eq!(logged["status"], "sent");
    assert!(!log.to_string().contains(&token), "{log}");
    assert!(text(&logged["body"])?.contains("token=…"), "{logged}");

    let r = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"token": token, "new_password": "kopi tubruk di teras rumah"}))
        .send()
        .await?;
    assert_eq!(r.status(), 204);
    app.signed_in_as(&login, "kopi tubruk di teras rumah")
        .await?;
    assert!(app.signed_in_as(&login, &password).await.is_err());

    // Bad input.
    let r = app
        .client
        .post(app.url("/api/v1/auth/password-forgot"))
        .json(&json!({"login": ""}))
        .send()
        .await?;
    assert_field(r, "login").await?;
    let r = app
        .client
        .post(app.url("/api/v1/auth/password-forgot"))
        .json(&json!({"email": login}))
        .send()
        .await?;
    assert_eq!(r.status(), 422);
    Ok(())
}

async fn invitations_and_resets_reach_the_person_or_change_nothing(
    app: &TestApp,
) -> anyhow::Result<()> {
    let sink = sink().await?;
    let admin = app.signed_in("admin").await?;
    // Neither channel on: an invitation reaches nobody, and no account is made.
    let invitation = json!({"name": "Rina Wulandari", "email": "rina@fibernusa.example",
                            "role": "cs"});
    let r = admin
        .send(
            Method::POST,
            "/api/v1/users/invitations",
            Some(invitation.clone()),
        )
        .await?;
    assert_field(r, "send").await?;
    let (_, users) = admin.json("/api/v1/users?q=Rina%20Wulandari").await?;
    assert_eq!(users["total"], 0, "{users}");

    put_channel(&admin, channel(&sink, true)).await?;
    let r = admin
        .send(Method::POST, "/api/v1/users/invitations", Some(invitation))
        .await?;
    assert_eq!(r.status(), 201);
    let out: Value = r.json().await?;
    assert_eq!(out["sent_by"], "email", "{out}");
    assert_eq!(out["user"]["role"], "cs");
    let got = sink.wait_for(1).await?;
    assert_eq!(got[0].to, "<rina@fibernusa.example>");
    assert!(
        text_part(&got[0].data).contains("Undangan ke FiberNusa"),
        "{got:?}"
    );
    // No password until the link is used.
    let r = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"token": token_in(&got[0].data)?,
                      "new_password": "sate padang pedas sekali"}))
        .send()
        .await?;
    assert_eq!(r.status(), 204);
    app.signed_in_as("rina@fibernusa.example", "sate padang pedas sekali")
        .await?;
    // An invitation carries no password.
    let r = admin
        .send(
            Method::POST,
            "/api/v1/users/invitations",
            Some(json!({"name": "Andi", "email": "andi@fibernusa.example",
                        "role": "cs", "password": "whatever long enough"})),
        )
        .await?;
    assert_eq!(r.status(), 422);

    // An admin's reset sent to the person.
    let id = text(&out["user"]["id"])?;
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/users/{id}/password-reset"),
            Some(json!({"send": true})),
        )
        .await?;
    assert_eq!(r.status(), 201);
    let reset: Value = r.json().await?;
    assert_eq!(reset["sent_by"], "email");
    let got = sink.wait_for(2).await?;
    assert_eq!(token_in(&got[1].data)?, text(&reset["token"])?);
    assert!(
        app.signed_in_as("rina@fibernusa.example", "sate padang pedas sekali")
            .await
            .is_err()
    );
    // Without a body: only answered, as before.
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/users/{id}/password-reset"),
            None,
        )
        .await?;
    let reset: Value = r.json().await?;
    assert_eq!(reset["sent_by"], Value::Null, "{reset}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.got().len(), 2);
    Ok(())
}

async fn a_refused_login_keeps_e_mails_waiting_and_a_refused_address_fails_them(
    app: &TestApp,
) -> anyhow::Result<()> {
    let sink = sink().await?;
    sink.mode.store(REFUSE_LOGIN, Ordering::SeqCst);
    let admin = app.signed_in("admin").await?;
    put_channel(&admin, channel(&sink, true)).await?;
    let (login, _) = app.account("cs")?;
    let r = app
        .client
        .post(app.url("/api/v1/auth/password-forgot"))
        .json(&json!({ "login": login }))
        .send()
        .await?;
    assert_eq!(r.status(), 202);
    let waiting = wait_for_message(&admin, |m| {
        m["attempts"].as_i64() >= Some(1) && m["status"] == "queued"
    })
    .await?;
    let reason = text(&waiting["last_error"])?;
    assert!(reason.contains("refused the login"), "{waiting}");
    assert!(!reason.contains(SMTP_PASSWORD));

    // A recipient the server refuses: failed at once, with its answer.
    sink.mode.store(REFUSE_RECIPIENT, Ordering::SeqCst);
    let r = admin
        .send(
            Method::POST,
            "/api/v1/channels/email/test",
            Some(json!({"to": "gone@example.com"})),
        )
        .await?;
    let out: Value = r.json().await?;
    assert_eq!(out["sent"], false, "{out}");
    assert!(text(&out["reason"])?.contains("No such user"), "{out}");
    assert!(!out.to_string().contains(SMTP_PASSWORD));
    Ok(())
}

async fn wait_for_message(admin: &Session, done: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
    for _ in 0..100 {
        let (_, log) = admin.json("/api/v1/messages?limit=10").await?;
        if let Some(m) = log["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["channel"] == "email" && done(m))
        {
            return Ok(m.clone());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (_, log) = admin.json("/api/v1/messages?limit=10").await?;
    anyhow::bail!("no e-mail as expected: {log}")
}

/// A 422 naming `field`.
async fn assert_field(r: reqwest::Response, field: &str) -> anyhow::Result<Value> {
    let status = r.status().as_u16();
    let body: Value = r.json().await?;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["field"] == field),
        "{field}: {body}"
    );
    Ok(body)
}
