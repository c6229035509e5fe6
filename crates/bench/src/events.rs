//! `netcrew-bench events`: many open event streams (`GET /api/v1/events`,
//! server-sent events) on one server, as when every technician's phone is
//! connected at once.
//!
//! The demo data is generated in this process; the server then runs as a
//! child process (this program's hidden `serve` command, the `netcrew`
//! binary's own start-up), so that its resident memory is the server's
//! alone. The benchmark signs in as CS (who sees every ticket), opens N
//! streams with that one session cookie, reads the server's `VmRSS` before
//! and after, then opens K repair tickets through the API one after the
//! other and measures, for each, the time from the POST's answer to the
//! `ticket.created` event arriving on every stream.

use std::{
    collections::HashMap,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use netcrew_store::{
    Db,
    demo::{self, DemoOptions},
    entity::customer,
    sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Uuid},
};
use reqwest::Url;
use tokio::sync::{Semaphore, mpsc};

use crate::http::sign_in;

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// Demo data scale
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Database to fill (must be empty); default: a temporary SQLite file
    #[arg(long)]
    database_url: Option<String>,
    /// Event streams to hold open at once
    #[arg(long, default_value_t = 5000)]
    streams: usize,
    /// Changes to make (new repair tickets, one after the other)
    #[arg(long, default_value_t = 20)]
    changes: usize,
    /// Pause between two changes, in seconds
    #[arg(long, default_value_t = 1.0)]
    interval: f64,
    /// Streams being opened at once
    #[arg(long, default_value_t = 100)]
    opening: usize,
    /// Longest wait for one change to reach every stream, in seconds
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
}

/// The `VmRSS` of a process, in kB.
fn rss_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc/PID/status")
}

/// The soft limit on open files of this process (and so of the server it
/// starts).
fn open_files_limit() -> Option<u64> {
    std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// The nearest-rank percentile of sorted `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// One stream: reads events and reports each `ticket.created` (its ticket
/// id and when it arrived) until the connection ends.
async fn read_stream(
    mut response: reqwest::Response,
    seen: mpsc::UnboundedSender<(Uuid, Instant)>,
) {
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let at = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut event = "";
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if event != "ticket.created" {
                continue;
            }
            let id = serde_json::from_str::<serde_json::Value>(&data)
                .ok()
                .and_then(|json| json["ticket_id"].as_str().and_then(|s| s.parse().ok()));
            if let Some(id) = id {
                let _ = seen.send((id, at));
            }
        }
    }
}

pub async fn run(args: EventsArgs) -> anyhow::Result<()> {
    ensure!(args.streams > 0, "--streams must be at least 1");
    ensure!(args.changes > 0, "--changes must be at least 1");
    // Each stream is a socket here and one in the server (a child, which
    // inherits this limit), plus the database's and a margin.
    let needed = args.streams as u64 + 200;
    let limit = open_files_limit().unwrap_or(u64::MAX);
    if limit < needed {
        bail!(
            "the open-file limit is {limit}, {needed} are needed for {} streams: \
             raise it first (`ulimit -n {}`)",
            args.streams,
            needed.max(20_000)
        );
    }
    let dir = tempfile::tempdir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("netcrew.db").display()));
    let db = Db::connect(&url, 4).await?;
    db.migrate().await?;
    let started = Instant::now();
    let summary = demo::generate(
        &db,
        DemoOptions {
            scale: args.scale,
            ..DemoOptions::default()
        },
        chrono::Utc::now(),
    )
    .await
    .context("generating the data (the database must be empty)")?;
    let connected: Vec<Uuid> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(customer::Column::Status.eq("active"))
        .order_by_asc(customer::Column::CustomerNumber)
        .limit(args.changes as u64 + 1)
        .into_tuple()
        .all(db.conn())
        .await?;
    ensure!(
        !connected.is_empty(),
        "the demo data has no active customer"
    );
    db.close().await;
    println!(
        "{} on {}: {} customers, {} tickets, generated in {:.1} s",
        netcrew_store::redact_url(&url),
        db.backend().as_str(),
        summary.customers,
        summary.tickets,
        started.elapsed().as_secs_f64()
    );
    let cs = summary
        .accounts
        .iter()
        .find(|a| a.role == "cs")
        .context("the demo data has no CS account")?;

    // The server, a child process.
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .arg("--database-url")
        .arg(&url)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--bind")
        .arg("127.0.0.1:0")
        .arg("--max-connections")
        .arg((args.streams + 100).to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the server")?;
    let pid = child.id();
    let stdout = child.stdout.take().context("no server output")?;
    let first_line = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    });
    let addr = match tokio::time::timeout(Duration::from_secs(120), first_line).await {
        Ok(line) => line??,
        Err(_) => {
            let _ = child.kill();
            bail!("the server did not start within 2 minutes");
        }
    };
    let result = match Url::parse(&format!("http://{}/", addr.trim())) {
        Ok(base) => drive(&args, &base, pid, &cs.login, &cs.password, &connected).await,
        Err(e) => Err(anyhow::anyhow!("the server said {addr:?}: {e}")),
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

async fn drive(
    args: &EventsArgs,
    base: &Url,
    pid: u32,
    login: &str,
    password: &str,
    connected: &[Uuid],
) -> anyhow::Result<()> {
    let setup = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let (cookie, csrf) = sign_in(&setup, base, login, password).await?;
    let events_url = base.join("api/v1/events")?;
    let create_url = base.join("api/v1/tickets")?;
    let create = |customer: Uuid| {
        setup
            .post(create_url.clone())
            .header(reqwest::header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({
                "kind": "repair",
                "customer_id": customer,
                "description": "Internet mati sejak pagi, lampu LOS di modem merah.",
            }))
            .send()
    };
    // Warm up: one change with no stream open, and one stream opened and
    // closed, so that the memory before counts what any server has.
    let response = create(connected[0]).await?;
    ensure!(
        response.status() == 201,
        "opening a ticket: HTTP {}: {}",
        response.status(),
        response.text().await.unwrap_or_default()
    );
    let response = setup
        .get(events_url.clone())
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await?;
    ensure!(
        response.status() == 200,
        "opening the event stream: HTTP {}",
        response.status()
    );
    drop(response);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = rss_kb(pid)?;
    let bench_before = rss_kb(std::process::id())?;

    // The streams: one client, so one connection pool; every stream open
    // at once is a connection of its own.
    let streams = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel::<(Uuid, Instant)>();
    let opening = Arc::new(Semaphore::new(args.opening.max(1)));
    let opened = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.streams);
    for _ in 0..args.streams {
        let request = streams
            .get(events_url.clone())
            .header(reqwest::header::COOKIE, &cookie)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        let opening = opening.clone();
        let opened = opened.clone();
        let failed = failed.clone();
        let seen = seen_tx.clone();
        tasks.push(tokio::spawn(async move {
            let permit = opening.acquire_owned().await;
            match request.send().await {
                Ok(response) if response.status() == 200 => {
                    opened.fetch_add(1, Ordering::Relaxed);
                    drop(permit);
                    read_stream(response, seen).await;
                }
                Ok(response) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    eprintln!("opening a stream: HTTP {}", response.status());
                }
                Err(e) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    eprintln!("opening a stream: {e:#}");
                }
            }
        }));
    }
    drop(seen_tx);
    while opened.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < args.streams {
        tokio::time::sleep(Duration::from_millis(50)).await;
        ensure!(
            started.elapsed() < Duration::from_secs(600),
            "opening the streams took over 10 minutes"
        );
    }
    let open = opened.load(Ordering::Relaxed);
    let opening_time = started.elapsed();
    // Let the server settle (stream set-up, the first keep-alive).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = rss_kb(pid)?;
    let bench_after = rss_kb(std::process::id())?;
    println!(
        "{open} streams open ({} failed) in {:.1} s, {} at a time; as CS, one session cookie\n",
        failed.load(Ordering::Relaxed),
        opening_time.as_secs_f64(),
        args.opening
    );
    println!("| process | VmRSS before | VmRSS with the streams | per stream |\n|---|---|---|---|");
    let per = |a: u64, b: u64| (b as f64 - a as f64) / open.max(1) as f64;
    println!(
        "| server (child process {pid}) | {:.1} MB | {:.1} MB | {:.1} kB |",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        per(before, after)
    );
    println!(
        "| benchmark (the clients) | {:.1} MB | {:.1} MB | {:.1} kB |",
        bench_before as f64 / 1024.0,
        bench_after as f64 / 1024.0,
        per(bench_before, bench_after)
    );

    // The changes, one at a time: from the POST's answer to each stream's
    // event (negative when the event came before the answer).
    let mut all = Vec::with_capacity(open * args.changes);
    let mut missing = 0usize;
    let mut pending: HashMap<Uuid, Vec<Instant>> = HashMap::new();
    println!(
        "\n| change | POST time | streams reached | p50 | p99 | max |\n|---|---|---|---|---|---|"
    );
    for k in 0..args.changes {
        tokio::time::sleep(Duration::from_secs_f64(args.interval)).await;
        let customer = connected[(k + 1) % connected.len()];
        let sent = Instant::now();
        let response = create(customer).await?;
        let answered = Instant::now();
        let status = response.status();
        let body: serde_json::Value = response.json().await?;
        ensure!(status == 201, "opening a ticket: HTTP {status}: {body}");
        let id: Uuid = body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .context("the new ticket has no id")?;
        let deadline = answered + Duration::from_secs_f64(args.timeout);
        while pending.get(&id).map_or(0, Vec::len) < open {
            match tokio::time::timeout_at(deadline.into(), seen_rx.recv()).await {
                Ok(Some((ticket, at))) => pending.entry(ticket).or_default().push(at),
                Ok(None) | Err(_) => break,
            }
        }
        let arrivals = pending.remove(&id).unwrap_or_default();
        missing += open - arrivals.len().min(open);
        let mut delays: Vec<f64> = arrivals
            .iter()
            .map(|at| {
                if *at >= answered {
                    at.duration_since(answered).as_secs_f64() * 1e3
                } else {
                    -(answered.duration_since(*at).as_secs_f64() * 1e3)
                }
            })
            .collect();
        delays.sort_by(f64::total_cmp);
        println!(
            "| {} | {:.1} ms | {} of {open} | {:.1} ms | {:.1} ms | {:.1} ms |",
            k + 1,
            answered.duration_since(sent).as_secs_f64() * 1e3,
            delays.len(),
            percentile(&delays, 50.0),
            percentile(&delays, 99.0),
            delays.last().copied().unwrap_or(f64::NAN),
        );
        all.extend(delays);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "\nOver all {} changes and {open} streams: {} deliveries, {missing} missing; \
         delay p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, min {:.1} ms",
        args.changes,
        all.len(),
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        all.last().copied().unwrap_or(f64::NAN),
        all.first().copied().unwrap_or(f64::NAN),
    );
    let end = rss_kb(pid)?;
    println!(
        "server VmRSS at the end: {:.1} MB; the server polls for changes every {} ms",
        end as f64 / 1024.0,
        netcrew_api::live::POLL_EVERY.as_millis()
    );
    for task in tasks {
        task.abort();
    }
    Ok(())
}
