//! `netcrew-bench`: times NetCrew's hot queries on the demo data set at a
//! chosen scale and reports each against a baseline measured in the same
//! run on the same data, so the figures compare across machines.
//!
//! - coverage check (bounding box on the ODP coordinate index, then exact
//!   distances) against scanning every ODP;
//! - a deep page of the customer list by keyset cursor against the same page
//!   by OFFSET;
//! - a customer search by phone against listing the first page unfiltered.
//!
//! `netcrew-bench http` instead loads the real server over HTTP; see [`http`].
//! `netcrew-bench events` holds many event streams open; see [`events`].

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use netcrew_domain::GeoPoint;
use netcrew_store::{
    Db,
    customers::{self, CustomerFilter},
    demo::{self, DemoOptions},
    entity::{customer, odp},
    network,
    page::PageRequest,
    sea_orm::{EntityTrait, QueryOrder, QuerySelect},
};

mod events;
mod http;

#[derive(Debug, Parser)]
#[command(
    about = "Benchmarks NetCrew's hot queries on generated data",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    queries: Args,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Loads the real server over HTTP with concurrent clients and reports
    /// requests per second and latency against /healthz of the same server
    Http(http::HttpArgs),
    /// Holds many event streams (server-sent events) open on the server,
    /// run as a child process, and reports its memory per stream and the
    /// delay from a change to its delivery on every stream
    Events(events::EventsArgs),
    /// Serves an existing database and prints the address it listens on
    /// (the server that `events` starts)
    #[command(hide = true)]
    Serve {
        #[command(flatten)]
        settings: Box<netcrew::config::Settings>,
    },
}

/// The query benchmark (no subcommand).
#[derive(Debug, clap::Args)]
struct Args {
    /// Demo data scale (1 = ~3,200 customers, 100 = ~320,000)
    #[arg(long, default_value_t = 10.0)]
    scale: f64,
    /// Database to fill (must be empty); default: a temporary SQLite file
    #[arg(long)]
    database_url: Option<String>,
    /// Timed repetitions per case (the median is reported)
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Which page of the customer list (50 a page) the deep-page case reads
    #[arg(long, default_value_t = 500)]
    page: u64,
}

async fn median<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    f().await?; // warm-up
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

fn row(name: &str, measured: Duration, baseline_name: &str, baseline: Duration) {
    let ratio = measured.as_secs_f64() / baseline.as_secs_f64().max(1e-9);
    println!(
        "| {name} | {:.3} ms | {baseline_name} | {:.3} ms | {ratio:.3} |",
        measured.as_secs_f64() * 1e3,
        baseline.as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Http(args)) => http::run(args).await,
        Some(Command::Events(args)) => events::run(args).await,
        Some(Command::Serve { settings }) => serve(*settings).await,
        None => queries(cli.queries).await,
    }
}

/// Serves `settings`' database until standard input closes (the parent
/// ended) or the process is stopped; prints the address first.
async fn serve(settings: netcrew::config::Settings) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let settings = settings.resolve()?;
    let db = netcrew::server::open_db(&settings).await?;
    let listener = netcrew::server::bind(settings.bind).await?;
    let state = netcrew::server::app_state(db, &settings)?;
    let mut out = std::io::stdout();
    writeln!(out, "{}", listener.local_addr()?)?;
    out.flush()?;
    let (ended, parent_gone) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        let _ = ended.send(());
    });
    netcrew::server::serve(listener, state, &settings, async {
        let _ = parent_gone.await;
    })
    .await
}

async fn queries(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
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
    println!(
        "{} on {}: {} ODPs, {} customers, generated in {:.1} s\n",
        netcrew_store::redact_url(&url),
        db.backend().as_str(),
        summary.odps,
        summary.customers,
        started.elapsed().as_secs_f64()
    );
    let conn = db.conn();
    let probes: Vec<GeoPoint> = odp::Entity::find()
        .order_by_asc(odp::Column::Code)
        .limit(20)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|o| GeoPoint::new(o.lat + 0.0005, o.lng - 0.0004).ok())
        .collect();

    println!("| case | median | baseline | median | ratio |\n|---|---|---|---|---|");

    let mut i = 0;
    let coverage = median(args.runs, || {
        i += 1;
        let p = probes[i % probes.len()];
        async move {
            network::odps_near(conn, p, 192.3).await?;
            Ok(())
        }
    })
    .await?;
    let mut j = 0;
    let scan = median(args.runs, || {
        j += 1;
        let p = probes[j % probes.len()];
        async move {
            let all = odp::Entity::find().all(conn).await?;
            let _near: Vec<_> = all
                .into_iter()
                .filter_map(|o| {
                    let d = GeoPoint::new(o.lat, o.lng).ok()?.distance_m(&p);
                    (d <= 192.3).then_some(d)
                })
                .collect();
            Ok(())
        }
    })
    .await?;
    row(
        "coverage: ODPs near a point",
        coverage,
        "scan all ODPs",
        scan,
    );

    // A page deep in the list: follow cursors to it once, then time it.
    let mut page = PageRequest::first(50);
    let filter = CustomerFilter::default();
    let mut depth = 0;
    for _ in 1..args.page {
        let result = customers::list(conn, &filter, &page).await??;
        let Some(next) = result.next_cursor else {
            break;
        };
        page = PageRequest::new(Some(50), Some(&next))?;
        depth += 1;
    }
    let keyset = median(args.runs, || {
        let page = page.clone();
        let filter = filter.clone();
        async move {
            customers::list(conn, &filter, &page).await??;
            Ok(())
        }
    })
    .await?;
    let offset = median(args.runs, || async {
        // The same work the API does: the total, then the page.
        netcrew_store::sea_orm::PaginatorTrait::count(customer::Entity::find(), conn).await?;
        customer::Entity::find()
            .order_by_asc(customer::Column::CustomerNumber)
            .order_by_asc(customer::Column::Id)
            .offset(depth * 50)
            .limit(51)
            .all(conn)
            .await?;
        Ok(())
    })
    .await?;
    row(
        &format!("customers: page {} by cursor", depth + 1),
        keyset,
        &format!("page {} by OFFSET", depth + 1),
        offset,
    );

    let phone = customer::Entity::find()
        .order_by_desc(customer::Column::CustomerNumber)
        .one(conn)
        .await?
        .map(|c| format!("0{}", &c.phone[3..]))
        .unwrap_or_default();
    let search = median(args.runs, || {
        let filter = CustomerFilter {
            q: Some(phone.clone()),
            ..CustomerFilter::default()
        };
        async move {
            customers::list(conn, &filter, &PageRequest::first(50)).await??;
            Ok(())
        }
    })
    .await?;
    let first = median(args.runs, || async {
        customers::list(conn, &CustomerFilter::default(), &PageRequest::first(50)).await??;
        Ok(())
    })
    .await?;
    row(
        "customers: search by phone",
        search,
        "first page, no filter",
        first,
    );
    db.close().await;
    Ok(())
}
