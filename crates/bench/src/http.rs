//! `netcrew-bench http`: the real server (the `netcrew` binary's own
//! start-up: settings, database, router, connection handling) started in
//! this process on a free port over the demo data, loaded by concurrent
//! HTTP clients for a fixed time per case:
//!
//! - the first page of the customer list,
//! - a page deep in it (cursors followed once, then that page asked for),
//! - a name search,
//! - the ticket cases (an area's open tickets, a customer's tickets, a
//!   ticket with its timeline, a new repair ticket),
//! - the inventory cases (one balance, a technician's stock, a unit's
//!   history, posting a movement; see [`inventory`]),
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
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use netcrew::{config::Settings, server};
use netcrew_store::{
    Db,
    customers::{self, CustomerFilter},
    demo::{self, DemoAccount, DemoOptions},
    entity::{customer, ticket},
    page::{self, PageRequest, TOTAL_CAP},
    sea_orm::{
        ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Uuid,
        sea_query::Expr,
    },
    sessions,
    tickets::{self, Scope, TicketFilter, TicketSort},
};
use reqwest::{
    Url,
    header::{HeaderMap, HeaderName, HeaderValue},
};
use tokio::sync::oneshot;

mod inventory;

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
    /// Also load the store calls behind the customer and ticket lists
    /// directly, at the same concurrency, to show where a request's time
    /// goes
    #[arg(long)]
    breakdown: bool,
    /// Which groups of cases to run (the `/healthz` baseline always runs):
    /// `customers`, `tickets`, `inventory`, or several separated by commas
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Group::Customers, Group::Tickets, Group::Inventory])]
    cases: Vec<Group>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Group {
    /// The customer list: first page, a deep page, a name search (as admin)
    Customers,
    /// The ticket cases (as CS): an area's open tickets by SLA due, a
    /// customer's tickets, a ticket with its timeline, a new repair ticket
    Tickets,
    /// The inventory cases (as the storekeeper): one balance, a
    /// technician's stock, a unit's history, posting a movement
    Inventory,
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

    let result = drive(&args, &running.base, &db, &summary.accounts).await;
    let _ = running.stop.send(());
    running.task.await??;
    result
}

fn header(name: &'static str, value: &str) -> anyhow::Result<(HeaderName, HeaderValue)> {
    Ok((HeaderName::from_static(name), HeaderValue::from_str(value)?))
}

/// Signs in as `login` and answers the session cookie (`name=value`) and
/// the CSRF token.
pub(crate) async fn sign_in(
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

/// What one case was: its label, an answer as probed before the load, and
/// the load.
struct Row {
    label: String,
    probe: Probe,
    load: Load,
}

/// A boxed call, as [`hammer`] runs it.
type Call =
    Box<dyn FnMut() -> std::pin::Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>> + Send>;

/// GETs each of `urls` in turn on the task's own client, each answered 200.
fn sequence(client: reqwest::Client, urls: Vec<Url>, headers: HeaderMap) -> Call {
    Box::new(move || {
        let client = client.clone();
        let urls = urls.clone();
        let headers = headers.clone();
        Box::pin(async move {
            for url in urls {
                let response = client.get(url).headers(headers.clone()).send().await?;
                let status = response.status();
                let body = response.bytes().await?;
                ensure!(
                    status == 200,
                    "HTTP {status}: {}",
                    String::from_utf8_lossy(&body)
                );
            }
            Ok(())
        })
    })
}

/// The body of a new repair ticket for `customer`, as CS sends it.
fn repair(customer: Uuid) -> serde_json::Value {
    serde_json::json!({
        "kind": "repair",
        "customer_id": customer,
        "description": "Internet mati sejak pagi, lampu LOS di modem merah.",
    })
}

/// POSTs a new repair ticket for the next customer of `customers` (shared
/// by every task, so each ticket is for the next one), answered 201.
fn creator(
    client: reqwest::Client,
    url: Url,
    headers: HeaderMap,
    customers: Arc<Vec<Uuid>>,
    next: Arc<AtomicUsize>,
) -> Call {
    Box::new(move || {
        let i = next.fetch_add(1, Ordering::Relaxed) % customers.len();
        let request = client
            .post(url.clone())
            .headers(headers.clone())
            .json(&repair(customers[i]))
            .send();
        Box::pin(async move {
            let response = request.await?;
            let status = response.status();
            let body = response.bytes().await?;
            ensure!(
                status == 201,
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body)
            );
            Ok(())
        })
    })
}

fn account<'a>(accounts: &'a [DemoAccount], role: &str) -> anyhow::Result<&'a DemoAccount> {
    accounts
        .iter()
        .find(|a| a.role == role)
        .with_context(|| format!("the demo data has no {role} account"))
}

/// The data the ticket cases ask for, picked from the database.
struct TicketPicks {
    /// The area with the most open tickets, and how many.
    area: (Uuid, i64),
    /// The customer with the most tickets, and how many.
    customer: (Uuid, i64),
    /// The newest closed repair.
    ticket: Uuid,
    /// Active customers (connected), for new repair tickets.
    connected: Vec<Uuid>,
}

async fn ticket_picks(db: &Db) -> anyhow::Result<TicketPicks> {
    use ticket::Column as T;
    let conn = db.conn();
    let area: (Uuid, i64) = ticket::Entity::find()
        .select_only()
        .column(T::AreaId)
        .expr(Expr::cust("COUNT(*)"))
        .filter(T::IsOpen.eq(true))
        .group_by(T::AreaId)
        .order_by_desc(Expr::cust("COUNT(*)"))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("the demo data has no open ticket")?;
    let customer: (Uuid, i64) = ticket::Entity::find()
        .select_only()
        .column(T::CustomerId)
        .expr(Expr::cust("COUNT(*)"))
        .group_by(T::CustomerId)
        .order_by_desc(Expr::cust("COUNT(*)"))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("the demo data has no ticket")?;
    let ticket: Uuid = ticket::Entity::find()
        .select_only()
        .column(T::Id)
        .filter(T::Status.eq("closed"))
        .filter(T::Kind.eq("repair"))
        .order_by_desc(T::CreatedAt)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?
        .context("the demo data has no closed repair")?;
    let connected: Vec<Uuid> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(customer::Column::Status.eq("active"))
        .order_by_asc(customer::Column::CustomerNumber)
        .limit(10_000)
        .into_tuple()
        .all(conn)
        .await?;
    ensure!(
        !connected.is_empty(),
        "the demo data has no active customer"
    );
    Ok(TicketPicks {
        area,
        customer,
        ticket,
        connected,
    })
}

fn tickets_url(base: &Url, path: &str, params: &[(&str, &str)]) -> anyhow::Result<Url> {
    Ok(Url::parse_with_params(
        base.join(&format!("api/v1/tickets{path}"))?.as_str(),
        params,
    )?)
}

async fn drive(
    args: &HttpArgs,
    base: &Url,
    db: &Db,
    accounts: &[DemoAccount],
) -> anyhow::Result<()> {
    let setup = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let admin = account(accounts, "admin")?;
    let (cookie, csrf) = sign_in(&setup, base, &admin.login, &admin.password).await?;
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
    // The baseline first.
    let health_url = base.join("healthz")?;
    rows.push(Row {
        label: "`GET /healthz` (baseline)".to_string(),
        probe: probe(&setup, &health_url, &anonymous).await?,
        load: measure(args, |i| {
            getter(clients[i].clone(), health_url.clone(), anonymous.clone())
        })
        .await?,
    });

    let limit = args.limit.to_string();
    let mut deep_url = None;
    if args.cases.contains(&Group::Customers) {
        // The deep page: follow the cursors once.
        let first_url = customers_url(base, &[("limit", &limit)])?;
        let mut deep = first_url.clone();
        let mut depth = 0;
        while depth < args.depth.saturating_sub(1) {
            let page = probe(&setup, &deep, &signed_in).await?;
            let Some(next) = page.next_cursor else {
                break;
            };
            deep = customers_url(base, &[("limit", &limit), ("cursor", &next)])?;
            depth += 1;
        }
        let search_url = customers_url(base, &[("limit", &limit), ("q", &args.query)])?;
        for (label, url) in [
            (
                format!("`GET /api/v1/customers?limit={limit}` (first page)"),
                first_url,
            ),
            (
                format!(
                    "`GET /api/v1/customers?limit={limit}&cursor=…` (page {})",
                    depth + 1
                ),
                deep.clone(),
            ),
            (
                format!("`GET /api/v1/customers?limit={limit}&q={}`", args.query),
                search_url,
            ),
        ] {
            rows.push(Row {
                label,
                probe: probe(&setup, &url, &signed_in).await?,
                load: measure(args, |i| {
                    getter(clients[i].clone(), url.clone(), signed_in.clone())
                })
                .await?,
            });
        }
        deep_url = Some(deep);
    }

    let mut picks = None;
    if args.cases.contains(&Group::Tickets) {
        let started = Instant::now();
        let p = ticket_picks(db).await?;
        println!(
            "ticket cases: area {} ({} open tickets), customer {} ({} tickets), \
             ticket {}, {} connected customers to open repairs for (picked in {:.1} s)",
            p.area.0,
            p.area.1,
            p.customer.0,
            p.customer.1,
            p.ticket,
            p.connected.len(),
            started.elapsed().as_secs_f64()
        );
        let cs = account(accounts, "cs")?;
        let (cs_cookie, cs_csrf) = sign_in(&setup, base, &cs.login, &cs.password).await?;
        let mut as_cs = HeaderMap::new();
        let (name, value) = header("cookie", &cs_cookie)?;
        as_cs.insert(name, value);
        if args.gzip {
            let (name, value) = header("accept-encoding", "gzip")?;
            as_cs.insert(name, value);
        }
        let area = p.area.0.to_string();
        let customer = p.customer.0.to_string();
        let id = p.ticket.to_string();
        let gets = [
            (
                format!("`GET /api/v1/tickets?area_id=…&open=true&sort=due&limit={limit}`"),
                vec![tickets_url(
                    base,
                    "",
                    &[
                        ("area_id", &area),
                        ("open", "true"),
                        ("sort", "due"),
                        ("limit", &limit),
                    ],
                )?],
            ),
            (
                format!("`GET /api/v1/tickets?customer_id=…&sort=newest&limit={limit}`"),
                vec![tickets_url(
                    base,
                    "",
                    &[
                        ("customer_id", &customer),
                        ("sort", "newest"),
                        ("limit", &limit),
                    ],
                )?],
            ),
            (
                "`GET /api/v1/tickets/{id}` then `/timeline` (a pair a call)".to_string(),
                vec![
                    tickets_url(base, &format!("/{id}"), &[])?,
                    tickets_url(base, &format!("/{id}/timeline"), &[])?,
                ],
            ),
        ];
        for (label, urls) in gets {
            let mut first = probe(&setup, &urls[0], &as_cs).await?;
            for url in &urls[1..] {
                let more = probe(&setup, url, &as_cs).await?;
                first.bytes += more.bytes;
                first.items = more.items.or(first.items);
            }
            rows.push(Row {
                label,
                probe: first,
                load: measure(args, |i| {
                    sequence(clients[i].clone(), urls.clone(), as_cs.clone())
                })
                .await?,
            });
        }

        // New tickets last: they add to the data the other cases read.
        let create_url = tickets_url(base, "", &[])?;
        let mut writing = as_cs.clone();
        let (name, value) = header("x-csrf-token", &cs_csrf)?;
        writing.insert(name, value);
        let response = setup
            .post(create_url.clone())
            .headers(writing.clone())
            .json(&repair(p.connected[0]))
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        ensure!(
            status == 201,
            "POST {create_url}: HTTP {status}: {}",
            String::from_utf8_lossy(&body)
        );
        let connected = Arc::new(p.connected.clone());
        let next = Arc::new(AtomicUsize::new(1));
        rows.push(Row {
            label: "`POST /api/v1/tickets` (a repair for a connected customer)".to_string(),
            probe: Probe {
                bytes: body.len(),
                items: None,
                next_cursor: None,
            },
            load: measure(args, |i| {
                creator(
                    clients[i].clone(),
                    create_url.clone(),
                    writing.clone(),
                    connected.clone(),
                    next.clone(),
                )
            })
            .await?,
        });
        picks = Some(p);
    }

    let mut stock = None;
    if args.cases.contains(&Group::Inventory) {
        let (more, p) = inventory::rows(args, base, db, accounts, &setup, &clients).await?;
        rows.extend(more);
        stock = Some(p);
    }

    let pool = db.pool_stats();
    println!(
        "{} clients, {:.0} s a case after {:.0} s warm-up; customers: {} (as admin), \
         tickets: session cookie (as CS); inventory: session cookie (as the storekeeper); {}; database pool: {} connections; \
         {} worker threads\n",
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
    let baseline = rows[0].load.rate();
    println!(
        "| case | calls/s | p50 | p99 | share of /healthz rate | answer | errors |\n\
         |---|---|---|---|---|---|---|"
    );
    for Row { label, probe, load } in &rows {
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
        if let Some(deep_url) = &deep_url {
            breakdown(args, db, &token, deep_url).await?;
        }
        if let Some(p) = &picks {
            ticket_breakdown(args, db, p).await?;
        }
        if let Some(p) = &stock {
            inventory::breakdown(args, db, p).await?;
        }
    }
    Ok(())
}

/// The store calls behind the ticket lists, loaded directly.
async fn ticket_breakdown(args: &HttpArgs, db: &Db, p: &TicketPicks) -> anyhow::Result<()> {
    println!(
        "\nThe store calls behind the ticket lists, {} at once, no HTTP or JSON:\n\n\
         | call | calls/s | p50 | p99 |\n|---|---|---|---|",
        args.clients
    );
    let page = PageRequest::new(Some(args.limit), None)?;
    let by_area = TicketFilter {
        area_id: Some(p.area.0),
        open: Some(true),
        sort: TicketSort::Due,
        ..TicketFilter::default()
    };
    let by_customer = TicketFilter {
        customer_id: Some(p.customer.0),
        sort: TicketSort::Newest,
        ..TicketFilter::default()
    };
    for (label, filter) in [
        ("`tickets::list`, an area's open tickets by due", by_area),
        (
            "`tickets::list`, a customer's tickets, newest first",
            by_customer,
        ),
    ] {
        for (what, count_only) in [("count and rows", false), ("the capped count alone", true)] {
            let load = measure(args, |_| {
                let db = db.clone();
                let filter = filter.clone();
                let page = page.clone();
                move || {
                    let db = db.clone();
                    let filter = filter.clone();
                    let page = page.clone();
                    async move {
                        if count_only {
                            let mut select = ticket::Entity::find();
                            if let Some(a) = filter.area_id {
                                select = select.filter(ticket::Column::AreaId.eq(a));
                            }
                            if let Some(open) = filter.open {
                                select = select.filter(ticket::Column::IsOpen.eq(open));
                            }
                            if let Some(c) = filter.customer_id {
                                select = select.filter(ticket::Column::CustomerId.eq(c));
                            }
                            page::capped_count(db.conn(), select, TOTAL_CAP).await?;
                        } else {
                            tickets::list(db.conn(), &Scope::All, &filter, &page).await??;
                        }
                        Ok(())
                    }
                }
            })
            .await?;
            println!(
                "| {label}: {what} | {:.0} | {:.2} ms | {:.2} ms |",
                load.rate(),
                load.percentile_ms(50.0),
                load.percentile_ms(99.0)
            );
        }
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
