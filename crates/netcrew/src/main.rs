//! `netcrew`: field operations for fibre ISPs, in one binary.

use std::{path::PathBuf, process::ExitCode};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use netcrew::{
    config::{Settings, ensure_writable_dir, sqlite_url, write_private},
    server,
};
use netcrew_store::{
    Db,
    demo::{self, DemoOptions},
};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "netcrew",
    version,
    about = "NetCrew: field operations for fibre ISPs"
)]
struct Cli {
    /// Optional TOML file with the same settings as the options below
    /// (snake_case keys); options and environment variables win over it.
    #[arg(long, global = true, env = "NETCREW_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Log filter, e.g. `info` or `netcrew=debug,info` [default: info]
    #[arg(long, global = true, env = "NETCREW_LOG", value_name = "FILTER")]
    log: Option<String>,

    /// Log format: `text` for people, `json` for log collectors
    #[arg(
        long,
        global = true,
        env = "NETCREW_LOG_FORMAT",
        value_name = "FORMAT",
        default_value = "text"
    )]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the web app (migrates the database first)
    Serve {
        #[command(flatten)]
        settings: Settings,
    },
    /// Bring the database schema up to date, then exit
    Migrate {
        #[command(flatten)]
        settings: Settings,
    },
    /// Create a fresh database filled with the demo data set, print the demo
    /// logins (also written to DATA_DIR/demo-accounts.json), and serve it
    Demo {
        /// Port to serve on
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to serve on
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Directory for the demo database (any previous demo database in it is replaced)
        #[arg(long, default_value = "demo-data", value_name = "DIR")]
        data_dir: PathBuf,
        /// Put the demo data in this (empty) database instead of DIR/netcrew.db
        #[arg(long, value_name = "URL")]
        database_url: Option<String>,
        /// How much data: 1 is a city ISP (~320 ODPs, ~3,000 customers), 100 is a hundred times that
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Random seed; the same seed and scale always give the same data
        #[arg(long, default_value_t = DemoOptions::default().seed)]
        seed: u64,
        /// Generate the data and exit without serving
        #[arg(long)]
        no_serve: bool,
    },
    /// Print the OpenAPI document
    Openapi,
    /// Write a consistent copy of the SQLite database to FILE while NetCrew
    /// keeps serving (for PostgreSQL use pg_dump)
    Backup {
        /// Where to write the copy (must not exist yet)
        file: PathBuf,
        #[command(flatten)]
        settings: Settings,
    },
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (e.g. the first admin). The password is read from
    /// the first line of standard input, so it stays out of shell history:
    /// `echo 'a long passphrase' | netcrew user create --role admin ...`
    Create {
        /// admin, supervisor, cs, technician or management
        #[arg(long)]
        role: String,
        /// Full name
        #[arg(long)]
        name: String,
        /// E-mail address (a login)
        #[arg(long)]
        email: Option<String>,
        /// Phone number, e.g. 0812... (a login)
        #[arg(long)]
        phone: Option<String>,
        #[command(flatten)]
        settings: Settings,
    },
}

fn init_logging(filter: Option<&str>, format: LogFormat) {
    let filter =
        EnvFilter::try_new(filter.unwrap_or("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"))
            .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log.as_deref(), cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("netcrew: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netcrew: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { settings } => {
            let settings = settings.with_file(cli.config.as_deref())?.resolve()?;
            let shutdown = server::shutdown_signal();
            let db = server::open_db(&settings).await?;
            let listener = server::bind(settings.bind).await?;
            tracing::info!(
                address = %settings.bind,
                database = db.backend().as_str(),
                "NetCrew {} serving", env!("CARGO_PKG_VERSION")
            );
            let state = server::app_state(db, &settings)?;
            server::serve(listener, state, &settings, shutdown).await
        }
        Command::Migrate { settings } => {
            let settings = settings.with_file(cli.config.as_deref())?.resolve()?;
            let db = server::open_db(&settings).await?;
            println!("database schema is up to date ({})", db.backend().as_str());
            db.close().await;
            Ok(())
        }
        Command::Demo {
            port,
            host,
            data_dir,
            database_url,
            scale,
            seed,
            no_serve,
        } => {
            if !(scale.is_finite() && scale > 0.0 && scale <= 1000.0) {
                bail!("invalid --scale {scale}: expected a number above 0 and at most 1000");
            }
            let file_settings = Settings::default().with_file(cli.config.as_deref())?;
            let settings = Settings {
                bind: Some(std::net::SocketAddr::new(host, port)),
                data_dir: Some(data_dir.clone()),
                database_url: Some(
                    database_url
                        .clone()
                        .unwrap_or_else(|| sqlite_url(&data_dir)),
                ),
                ..file_settings
            }
            .resolve()?;
            ensure_writable_dir(&data_dir)?;
            if database_url.is_none() {
                for suffix in ["", "-wal", "-shm"] {
                    let file = data_dir.join(format!("netcrew.db{suffix}"));
                    if file.exists() {
                        std::fs::remove_file(&file)
                            .with_context(|| format!("cannot replace {}", file.display()))?;
                    }
                }
            }
            let shutdown = server::shutdown_signal();
            // Bind before the (slower) generation, so a busy port fails fast.
            let listener = if no_serve {
                None
            } else {
                Some(server::bind(settings.bind).await?)
            };
            let db = server::open_db(&settings).await?;
            refuse_non_empty(&db).await?;
            let started = std::time::Instant::now();
            let summary =
                demo::generate(&db, DemoOptions { scale, seed }, chrono::Utc::now()).await?;
            let accounts_file = data_dir.join("demo-accounts.json");
            // The demo passwords: readable by this user only.
            write_private(
                &accounts_file,
                &serde_json::to_vec_pretty(&summary.accounts)?,
            )?;
            println!(
                "Demo data ready in {:.1}s: {} areas, {} ODCs, {} ODPs ({} ports), {} packages, {} staff, {} customers, {} tickets, {} outages and {} stock movements over twelve months.",
                started.elapsed().as_secs_f64(),
                summary.areas,
                summary.odcs,
                summary.odps,
                summary.ports,
                summary.packages,
                summary.staff,
                summary.customers,
                summary.tickets,
                summary.outages,
                summary.stock_movements
            );
            println!("Demo logins (also in {}):", accounts_file.display());
            for account in &summary.accounts {
                println!(
                    "  {:<11} {:<34} {}",
                    account.role, account.login, account.password
                );
            }
            let Some(listener) = listener else {
                db.close().await;
                return Ok(());
            };
            println!(
                "Open http://{}/ (API docs at /api/docs). Stop with Ctrl-C.",
                settings.bind
            );
            let state = server::app_state(db, &settings)?;
            server::serve(listener, state, &settings, shutdown).await
        }
        Command::User {
            command:
                UserCommand::Create {
                    role,
                    name,
                    email,
                    phone,
                    settings,
                },
        } => {
            let settings = settings.with_file(cli.config.as_deref())?.resolve()?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let db = server::open_db(&settings).await?;
            let user = netcrew::accounts::create_user(
                &db,
                netcrew::accounts::NewUser {
                    role,
                    name,
                    email,
                    phone,
                    password,
                },
            )
            .await;
            db.close().await;
            let user = user?;
            println!(
                "created {} account {} ({})",
                user.role,
                user.id,
                user.email.or(user.phone).unwrap_or_default()
            );
            Ok(())
        }
        Command::Backup { file, settings } => {
            let settings = settings.with_file(cli.config.as_deref())?.resolve()?;
            if file.exists() {
                bail!("{} already exists; choose a new file name", file.display());
            }
            let db = Db::connect(&settings.database_url, 1).await?;
            let result = db.backup_to(&file).await;
            db.close().await;
            result?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::Openapi => {
            let doc = netcrew_api::openapi()
                .to_pretty_json()
                .context("cannot render the OpenAPI document")?;
            println!("{doc}");
            Ok(())
        }
    }
}

async fn refuse_non_empty(db: &Db) -> anyhow::Result<()> {
    if !netcrew_store::demo::is_empty(db).await? {
        bail!("the demo needs an empty database, but this one already has data");
    }
    Ok(())
}
