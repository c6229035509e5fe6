//! The outbox across a real kill and restart of the `netcrew` binary: a
//! worker killed (SIGKILL) while a gateway holds its request without
//! answering loses no message, and once its lease has run out the
//! restarted server sends each exactly once.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{Form, Json, Router, extract::State, routing::post};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_netcrew");

/// A Fonnte fake: while `hang` is set it takes requests and never answers;
/// otherwise it answers and counts each message it took, by text.
#[derive(Clone, Default)]
struct Fake {
    hang: Arc<AtomicBool>,
    seen: Arc<Mutex<usize>>,
    taken: Arc<Mutex<Vec<String>>>,
}

async fn fonnte_send(
    State(fake): State<Fake>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    if let Ok(mut seen) = fake.seen.lock() {
        *seen += 1;
    }
    if fake.hang.load(Ordering::SeqCst) {
        // Held until the client goes away.
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    if let Ok(mut taken) = fake.taken.lock() {
        taken.push(form.get("message").cloned().unwrap_or_default());
    }
    Json(json!({"status": true, "id": ["1"]}))
}

fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// The server on `port` over the data in `dir`, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve(dir: &std::path::Path, port: u16) -> anyhow::Result<Server> {
    let child = Command::new(BIN)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .env("NETCREW_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let server = Server(child);
    let client = reqwest::Client::new();
    for _ in 0..150 {
        if client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::bail!("the server did not start")
}

/// A client signed in as the demo account of `role`, with its CSRF token.
async fn sign_in(
    base: &str,
    accounts: &[Value],
    role: &str,
) -> anyhow::Result<(reqwest::Client, String)> {
    let a = accounts
        .iter()
        .find(|a| a["role"] == role)
        .ok_or_else(|| anyhow::anyhow!("no {role} account"))?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let me: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": a["login"], "password": a["password"]}))
        .send()
        .await?
        .json()
        .await?;
    let csrf = me["csrf_token"].as_str().unwrap_or_default().to_string();
    Ok((client, csrf))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_survives_a_kill_and_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let made = Command::new(BIN)
        .args(["demo", "--no-serve", "--scale", "0.1", "--data-dir"])
        .arg(dir.path())
        .env("NETCREW_LOG", "error")
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(made.success(), "demo data: {made}");
    let accounts: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("demo-accounts.json"))?)?;

    let fake = Fake::default();
    fake.hang.store(true, Ordering::SeqCst);
    let app = Router::new()
        .route("/send", post(fonnte_send))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let gateway = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let server = serve(dir.path(), port).await?;
    let (admin, admin_csrf) = sign_in(&base, &accounts, "admin").await?;
    let r = admin
        .put(format!("{base}/api/v1/channels/whatsapp"))
        .header("x-csrf-token", &admin_csrf)
        .json(
            &json!({"enabled": true, "quiet_start": null, "quiet_end": null,
            "daily_limit": 20, "sender_name": "NetFiber",
            "gateways": [{"kind": "fonnte", "base_url": gateway, "token": "t"}]}),
        )
        .send()
        .await?;
    anyhow::ensure!(r.status() == 200, "channel: {}", r.status());

    // Three reports, each a message to the customer.
    let (customer, csrf) = sign_in(&base, &accounts, "customer").await?;
    let mut numbers = Vec::new();
    for i in 0..3 {
        let t: Value = customer
            .post(format!("{base}/api/v1/tickets"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"description": format!("Internet mati ({i}), lampu LOS merah")}))
            .send()
            .await?
            .json()
            .await?;
        numbers.push(t["number"].as_str().unwrap_or_default().to_string());
    }
    // The worker took them and is held by the gateway: killed mid-send.
    for _ in 0..100 {
        if fake.seen.lock().map(|s| *s).unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(
        fake.seen.lock().map(|s| *s).unwrap_or(0) > 0,
        "no send began"
    );
    drop(server);
    fake.hang.store(false, Ordering::SeqCst);

    // Restarted: once the killed worker's lease has run out (two minutes),
    // every message goes, once.
    let _server = serve(dir.path(), port).await?;
    let (admin, _) = sign_in(&base, &accounts, "admin").await?;
    let mut statuses = BTreeMap::new();
    for _ in 0..400 {
        let log: Value = admin
            .get(format!("{base}/api/v1/messages?limit=50"))
            .send()
            .await?
            .json()
            .await?;
        statuses = log["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["event"] == "ticket_received")
            .filter_map(|m| {
                Some((
                    m["ticket_number"].as_str()?.to_string(),
                    m["status"].as_str()?.to_string(),
                ))
            })
            .collect();
        if numbers
            .iter()
            .all(|n| statuses.get(n).is_some_and(|s| s == "sent"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for n in &numbers {
        assert_eq!(
            statuses.get(n).map(String::as_str),
            Some("sent"),
            "{statuses:?}"
        );
        let taken = fake
            .taken
            .lock()
            .map(|t| t.iter().filter(|text| text.contains(n.as_str())).count())
            .unwrap_or(0);
        assert_eq!(taken, 1, "{n} taken {taken} times");
    }
    Ok(())
}
