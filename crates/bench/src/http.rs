//! `netcrew-bench http`: the real server (the `netcrew` binary's own
//! start-up: settings, database, router, connection handling) started in
//! this process on a free port over the demo data, loaded by concurrent
//! HTTP clients for a fixed time per case:
//!
//! - the first page of the customer list,
//! - a page deep in it (cursors followed once, then that page asked for),
//! - a name search,
//! - `/healthz` of the same server, the baseline the others are measured
//!   against (it touches neither the database nor authentication).
//!
//! Each case reports requests per second, the 50th and 99th percentile
//! latency, and its rate as a share of the `/healthz` rate. With
//! `--breakdown`, the store calls behind the customer list are also loaded
//! directly (no HTTP, no JSON) at the same concurrency, to show what a
//! request's time is spent on.

use std::{
    future::Future,
    net::SocketAddr,
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use netcrew::{config::Settings, server};
use netcrew_store::{
    Db,
    customers::{self, CustomerFilter},
    demo::{self, DemoOptions},
    entity::customer,
    page::{self, PageRequest, TOTAL_CAP},
    sea_orm::{EntityTrait, QueryOrder, QuerySelect},
    sessions,
};
use reqwest::{
    Url,
    header::{HeaderMap, HeaderName, HeaderValue},
};
use tokio::sync::oneshot;

#[derive(Debug, clap::Args)]
pub struct HttpArgs {
    /// Demo data scale (1 = ~3,300 customers, 100 = ~330,000)
    #[arg(long, default_value_t = 10.0)]
    scale: f64,
    /// Database to fill (must be empty); default: a temporary SQLite file
    #[arg(long)]
    database_url: Option<String>,
    /// Concurrent clients, each with its own kept-alive connection
    #[arg(long, default_value_t = 20)]
    clients: usize,
    /// Measured time per case, in seconds
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Unmeasured load before each case, in seconds
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Customers a page (the list's `limit`)
    #[arg(long, default_value_t = 50)]
    limit: u64,
    /// How many pages deep the deep-page case is
    #[arg(long, default_value_t = 200)]
    depth: u32,
    /// The search text of the search case (a part of a name)
    #[arg(long, default_value = "budi")]
    query: String,
    /// The server's database pool size [default: the server's, 10]
    #[arg(long)]
    db_max_connections: Option<u32>,
    /// How the clients sign in: an API token (`Authorization: Bearer`) or
    /// the session cookie of a signed-in user, as the web app does
    #[arg(long, value_enum, default_value_t = Auth::Token)]
    auth: Auth,
    /// Ask for gzip-compressed answers, as browsers do (the bodies are
    /// read, not decompressed)
    #[arg(long)]
    gzip: bool,
    /// Write the server's log to standard error with this filter, as the
    /// `netcrew` binary does: `info` is its default (a line per request),
    /// `warn` shows only what went wrong [default: no log]
    #[arg(long, value_name = "FILTER")]
    log: Option<String>,
    /// Also load the store calls behind the customer list directly, at the
    /// same concurrency, to show where a request's time goes
    #[arg(long)]
    breakdown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Auth {
    Token,
    Session,
}

/// What one case measured.
struct Load {
    requests: usize,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
    /// Latencies in microseconds, sorted.
    latencies: Vec<u32>,
}

impl Load {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The nearest-rank percentile, in milliseconds.
    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        f64::from(self.latencies[i]) / 1e3
    }
}

/// Runs `tasks` loops at once for `duration`, each calling its own `f`
/// (made by `make(i)`) again as soon as the previous call ended.
async fn hammer<F, Fut>(
    tasks: usize,
    duration: Duration,
    make: impl Fn(usize) -> F,
) -> anyhow::Result<Load>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let start = Instant::now();
    let deadline = start + duration;
    let mut handles = Vec::with_capacity(tasks);
    for i in 0..tasks {
        let mut f = make(i);
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(4096);
            let mut errors = 0usize;
            let mut first_error = None;
            loop {
                let t = Instant::now();
                if t >= deadline {
                    break;
                }
                match f().await {
                    Ok(()) => {
                        latencies.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX))
                    }
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| format!("{e:#}"));
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut load = Load {
        requests: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for handle in handles {
        let (latencies, errors, first_error) = handle.await?;
        load.latencies.extend(latencies);
        load.errors += errors;
        if load.first_error.is_none() {
            load.first_error = first_error;
        }
    }
    load.elapsed = start.elapsed();
    load.requests = load.latencies.len();
    load.latencies.sort_unstable();
    Ok(load)
}

/// One GET per call, on the task's own client (so its own connection).
fn getter(
    client: reqwest::Client,
    url: Url,
    headers: HeaderMap,
) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>> + Send + 'static
{
    move || {
        let request = client.get(url.clone()).headers(headers.clone()).send();
        Box::pin(async move {
            let response = request.await?;
            let status = response.status();
            let body = response.bytes().await?;
            ensure!(
                status == 200,
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body)
            );
            Ok(())
        })
    }
}

/// A case: warm-up, then the measured load.
async fn measure<F, Fut>(args: &HttpArgs, make: impl Fn(usize) -> F) -> anyhow::Result<Load>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    if args.warmup > 0.0 {
        hammer(args.clients, Duration::from_secs_f64(args.warmup), &make).await?;
    }
    let load = hammer(args.clients, Duration::from_secs_f64(args.seconds), &make).await?;
    if let Some(e) = &load.first_error {
        eprintln!("warning: {} failed requests; the first: {e}", load.errors);
    }
    Ok(load)
}

/// A running server and how to stop it.
struct Running {
    base: Url,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

pub async fn run(args: HttpArgs) -> anyhow::Result<()> {
    ensure!(args.clients > 0, "--clients must be at least 1");
    ensure!(args.seconds > 0.0, "--seconds must be above 0");
    if let Some(filter) = &args.log {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_new(format!(
                "{filter},sqlx=warn,sea_orm=warn,sea_orm_migration=warn"
            ))?)
            .with_writer(std::io::stderr)
            .init();
    }
    let dir = tempfile::tempdir()?;
    let settings = Settings {
        bind: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        data_dir: Some(dir.path().to_path_buf()),
        database_url: args.database_url.clone(),
        db_max_connections: args.db_max_connections,
        ..Settings::default()
    }
    .resolve()?;
    let db = server::open_db(&settings).await?;
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
    println!(
        "{} on {}: {} ODPs, {} customers, generated in {:.1} s",
        netcrew_store::redact_url(&settings.database_url),
        db.backend().as_str(),
        summary.odps,
        summary.customers,
        started.elapsed().as_secs_f64()
    );
    let admin = summary
        .accounts
        .iter()
        .find(|a| a.role == "admin")
        .context("the demo data has no admin account")?;

    let listener = server::bind(settings.bind).await?;
    let base = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
    let state = server::app_state(db.clone(), &settings)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let serve_settings = settings.clone();
    let task = tokio::spawn(async move {
        server::serve(listener, state, &serve_settings, async {
            let _ = stopped.await;
        })
        .await
    });
    let running = Running { base, stop, task };

    let result = drive(&args, &running.base, &db, &admin.login, &admin.password).await;
    let _ = running.stop.send(());
    running.task.await??;
    result
}

fn header(name: &'static str, value: &str) -> anyhow::Result<(HeaderName, HeaderValue)> {
    Ok((HeaderName::from_static(name), HeaderValue::from_str(value)?))
}

/// Signs in as `login` and answers the session cookie (`name=value`) and
/// the CSRF token.
async fn sign_in(
    client: &reqwest::Client,
    base: &Url,
    login: &str,
    password: &str,
) -> anyhow::Result<(String, String)> {
    let response = client
        .post(base.join("api/v1/auth/login")?)
        .json(&serde_json::json!({ "login": login, "password": password }))
        .send()
        .await?;
    ensure!(
        response.status() == 200,
        "signing in: HTTP {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|v| v.starts_with("nc_session=") || v.starts_with("__Host-nc_session="))
        .context("signing in: no session cookie")?
        .to_string();
    let me: serde_json::Value = response.json().await?;
    let csrf = me["csrf_token"]
        .as_str()
        .context("signing in: no csrf_token")?
        .to_string();
    Ok((cookie, csrf))
}

/// An API token with only `customers.read`, made through the API.
async fn api_token(
    client: &reqwest::Client,
    base: &Url,
    cookie: &str,
    csrf: &str,
) -> anyhow::Result<String> {
    let response = client
        .post(base.join("api/v1/api-tokens")?)
        .header(reqwest::header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({ "name": "Benchmark", "scopes": ["customers.read"] }))
        .send()
        .await?;
    ensure!(
        response.status() == 201,
        "creating an API token: HTTP {}",
        response.status()
    );
    let created: serde_json::Value = response.json().await?;
    Ok(created["token"]
        .as_str()
        .context("creating an API token: no token in the answer")?
        .to_string())
}

/// One answer, checked: its size and, for a list, its next cursor and the
/// number of items.
struct Probe {
    bytes: usize,
    items: Option<usize>,
    next_cursor: Option<String>,
}

async fn probe(client: &reqwest::Client, url: &Url, headers: &HeaderMap) -> anyhow::Result<Probe> {
    let response = client
        .get(url.clone())
        .headers(headers.clone())
        .send()
        .await?;
    let status = response.status();
    let body = response.bytes().await?;
    if status != 200 {
        bail!(
            "GET {url}: HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    Ok(Probe {
        bytes: body.len(),
        items: json
            .as_ref()
            .and_then(|j| j["items"].as_array())
            .map(Vec::len),
        next_cursor: json
            .as_ref()
            .and_then(|j| j["next_cursor"].as_str())
            .map(str::to_string),
    })
}

fn customers_url(base: &Url, params: &[(&str, &str)]) -> anyhow::Result<Url> {
    Ok(Url::parse_with_params(
        base.join("api/v1/customers")?.as_str(),
        params,
    )?)
}

async fn drive(
    args: &HttpArgs,
    base: &Url,
    db: &Db,
    login: &str,
    password: &str,
) -> anyhow::Result<()> {
    let setup = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let (cookie, csrf) = sign_in(&setup, base, login, password).await?;
    let token = api_token(&setup, base, &cookie, &csrf).await?;
    let mut signed_in = HeaderMap::new();
    let (name, value) = match args.auth {
        Auth::Token => header("authorization", &format!("Bearer {token}"))?,
        Auth::Session => header("cookie", &cookie)?,
    };
    signed_in.insert(name, value);
    let mut anonymous = HeaderMap::new();
    if args.gzip {
        let (name, value) = header("accept-encoding", "gzip")?;
        signed_in.insert(name.clone(), value.clone());
        anonymous.insert(name, value);
    }

    // The deep page: follow the cursors once.
    let limit = args.limit.to_string();
    let first_url = customers_url(base, &[("limit", &limit)])?;
    let mut deep_url = first_url.clone();
    let mut depth = 0;
    while depth < args.depth.saturating_sub(1) {
        let page = probe(&setup, &deep_url, &signed_in).await?;
        let Some(next) = page.next_cursor else {
            break;
        };
        deep_url = customers_url(base, &[("limit", &limit), ("cursor", &next)])?;
        depth += 1;
    }
    let search_url = customers_url(base, &[("limit", &limit), ("q", &args.query)])?;
    let health_url = base.join("healthz")?;

    let cases = [
        (
            format!("`GET /api/v1/customers?limit={limit}` (first page)"),
            first_url,
            signed_in.clone(),
        ),
        (
            format!(
                "`GET /api/v1/customers?limit={limit}&cursor=…` (page {})",
                depth + 1
            ),
            deep_url.clone(),
            signed_in.clone(),
        ),
        (
            format!("`GET /api/v1/customers?limit={limit}&q={}`", args.query),
            search_url,
            signed_in.clone(),
        ),
        (
            "`GET /healthz` (baseline)".to_string(),
            health_url,
            anonymous,
        ),
    ];

    // One client (and so one kept-alive connection) per simulated user.
    let clients: Vec<reqwest::Client> = (0..args.clients)
        .map(|_| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .pool_max_idle_per_host(1)
                .build()
        })
        .collect::<Result<_, _>>()?;

    let mut rows = Vec::new();
    // The baseline first, then the customer list cases.
    for (label, url, headers) in cases.iter().rev() {
        let probe = probe(&setup, url, headers).await?;
        let load = measure(args, |i| {
            getter(clients[i].clone(), url.clone(), headers.clone())
        })
        .await?;
        rows.push((label.clone(), probe, load));
    }
    rows.reverse();

    let pool = db.pool_stats();
    println!(
        "{} clients, {:.0} s a case after {:.0} s warm-up; auth: {}; {}; \
         database pool: {} connections; {} worker threads\n",
        args.clients,
        args.seconds,
        args.warmup,
        match args.auth {
            Auth::Token => "API token",
            Auth::Session => "session cookie",
        },
        if args.gzip {
            "gzip asked for"
        } else {
            "uncompressed"
        },
        pool.max,
        tokio::runtime::Handle::current().metrics().num_workers(),
    );
    let baseline = rows.last().map(|(_, _, load)| load.rate()).unwrap_or(0.0);
    println!(
        "| case | requests/s | p50 | p99 | share of /healthz rate | answer | errors |\n\
         |---|---|---|---|---|---|---|"
    );
    for (label, probe, load) in &rows {
        let items = probe
            .items
            .map(|n| format!(", {n} items"))
            .unwrap_or_default();
        println!(
            "| {label} | {:.0} | {:.2} ms | {:.2} ms | {:.3} | {:.1} kB{items} | {} |",
            load.rate(),
            load.percentile_ms(50.0),
            load.percentile_ms(99.0),
            load.rate() / baseline.max(1e-9),
            probe.bytes as f64 / 1e3,
            load.errors,
        );
    }

    if args.breakdown {
        breakdown(args, db, &token, &deep_url).await?;
    }
    Ok(())
}

/// The store calls behind the customer list, loaded directly.
async fn breakdown(args: &HttpArgs, db: &Db, token: &str, deep_url: &Url) -> anyhow::Result<()> {
    let cursor = deep_url
        .query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned());
    let deep = PageRequest::new(Some(args.limit), cursor.as_deref())?;
    let first = PageRequest::first(args.limit);
    let search = CustomerFilter {
        q: Some(args.query.clone()),
        ..CustomerFilter::default()
    };
    println!(
        "\nThe store calls behind them, {} at once, no HTTP or JSON:\n\n\
         | call | calls/s | p50 | p99 |\n|---|---|---|---|",
        args.clients
    );
    let row = |label: &str, load: &Load| {
        println!(
            "| {label} | {:.0} | {:.2} ms | {:.2} ms |",
            load.rate(),
            load.percentile_ms(50.0),
            load.percentile_ms(99.0)
        );
    };

    let load = measure(args, |_| {
        let db = db.clone();
        move || {
            let db = db.clone();
            async move { Ok(db.ping().await?) }
        }
    })
    .await?;
    row("a trivial query (`SELECT 1`): the pool's round trip", &load);

    let load = measure(args, |_| {
        let db = db.clone();
        let token = token.to_string();
        move || {
            let db = db.clone();
            let token = token.clone();
            async move {
                sessions::find_live_api_token(db.conn(), &token, chrono::Utc::now())
                    .await?
                    .context("token not found")?;
                Ok(())
            }
        }
    })
    .await?;
    row("API token and its user (per request)", &load);

    let load = measure(args, |_| {
        let db = db.clone();
        move || {
            let db = db.clone();
            async move {
                page::capped_count(db.conn(), customer::Entity::find(), TOTAL_CAP).await?;
                Ok(())
            }
        }
    })
    .await?;
    row(
        &format!("the capped count alone (up to {} rows)", TOTAL_CAP + 1),
        &load,
    );

    let rows = args.limit + 1;
    let load = measure(args, |_| {
        let db = db.clone();
        move || {
            let db = db.clone();
            async move {
                customer::Entity::find()
                    .order_by_asc(customer::Column::CustomerNumber)
                    .order_by_asc(customer::Column::Id)
                    .limit(rows)
                    .all(db.conn())
                    .await?;
                Ok(())
            }
        }
    })
    .await?;
    row(&format!("the first page's rows alone ({rows})"), &load);

    for (label, filter, page) in [
        (
            "`customers::list`, first page (count and rows)".to_string(),
            CustomerFilter::default(),
            first.clone(),
        ),
        (
            "`customers::list`, the deep page".to_string(),
            CustomerFilter::default(),
            deep.clone(),
        ),
        (
            format!("`customers::list`, q={}", args.query),
            search.clone(),
            first.clone(),
        ),
    ] {
        let load = measure(args, |_| {
            let db = db.clone();
            let filter = filter.clone();
            let page = page.clone();
            move || {
                let db = db.clone();
                let filter = filter.clone();
                let page = page.clone();
                async move {
                    customers::list(db.conn(), &filter, &page).await??;
                    Ok(())
                }
            }
        })
        .await?;
        row(&label, &load);
    }
    Ok(())
}
