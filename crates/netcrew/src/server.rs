//! Opening the database, binding the port and serving until asked to stop.

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use netcrew_api::{ApiConfig, AppState};
use netcrew_store::Db;
use tokio::net::TcpListener;

use crate::config::{Resolved, ensure_writable_dir};

/// Connects to the configured database and brings its schema up to date.
pub async fn open_db(settings: &Resolved) -> anyhow::Result<Db> {
    ensure_writable_dir(&settings.data_dir)?;
    let db = Db::connect(&settings.database_url, settings.db_max_connections).await?;
    db.migrate().await?;
    Ok(db)
}

pub fn app_state(db: Db, settings: &Resolved) -> anyhow::Result<AppState> {
    spawn_housekeeping(db.clone());
    Ok(AppState {
        db,
        config: Arc::new(ApiConfig {
            default_locale: settings.default_locale.clone(),
            time_zone: settings.time_zone.clone(),
            request_timeout: settings.request_timeout,
            max_body_bytes: settings.max_body_bytes,
            require_admin_totp: settings.require_admin_totp,
            trust_forwarded_for: settings.trust_forwarded_for,
            map_tile_url: settings.map_tile_url.clone(),
            max_drop_m: settings.max_drop_m,
            road_factor: settings.road_factor,
        }),
        metrics: netcrew_api::metrics_handle()?,
    })
}

pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish
/// (for at most `settings.shutdown_grace`).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    settings: &Resolved,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = state.db.clone();
    let app = netcrew_api::app(state);
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: no new connections, finishing requests in flight");
        let _ = stopping_tx.send(());
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal);
    let grace = settings.shutdown_grace;
    let result = tokio::select! {
        result = server => result.context("server failed"),
        () = async {
            let _ = stopping_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!("requests still running after the shutdown grace period; stopping anyway");
            Ok(())
        }
    };
    db.close().await;
    result
}

/// Resolves on SIGTERM or Ctrl-C. The handlers are installed when this is
/// called (not when first awaited), so a signal that arrives while the
/// server is still starting is not lost.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(int) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Forgets what no limit or rule needs any more (attempt counters of
/// windows long past), once at start and then hourly. Runs until the runtime
/// stops.
fn spawn_housekeeping(db: Db) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let cutoff = chrono::Utc::now() - chrono::Duration::days(1);
            match netcrew_store::limits::purge(&db, cutoff).await {
                Ok(n) if n > 0 => tracing::debug!(rows = n, "old attempt counters purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "purging attempt counters failed"),
            }
        }
    });
}
