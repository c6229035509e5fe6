//! Opening the database, binding the port and serving until asked to stop.

use std::{
    future::Future,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use anyhow::Context as _;
use axum::{extract::ConnectInfo, http::Request};
use hyper::{body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use netcrew_api::{ApiConfig, AppState};
use netcrew_store::Db;
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::Semaphore,
};
use tower::ServiceExt;

use crate::config::{Resolved, ensure_writable_dir};

/// Connects to the configured database and brings its schema up to date.
pub async fn open_db(settings: &Resolved) -> anyhow::Result<Db> {
    ensure_writable_dir(&settings.data_dir)?;
    let db = Db::connect(&settings.database_url, settings.db_max_connections).await?;
    db.migrate().await?;
    Ok(db)
}

pub fn app_state(db: Db, settings: &Resolved) -> anyhow::Result<AppState> {
    Ok(AppState {
        db: db.clone(),
        config: Arc::new(ApiConfig {
            default_locale: settings.default_locale.clone(),
            time_zone: settings.time_zone.clone(),
            zone: netcrew_domain::schedule::parse_zone(&settings.time_zone)?,
            request_timeout: settings.request_timeout,
            max_body_bytes: settings.max_body_bytes,
            require_admin_totp: settings.require_admin_totp,
            trust_forwarded_for: settings.trust_forwarded_for,
            map_tile_url: settings.map_tile_url.clone(),
            max_drop_m: settings.max_drop_m,
            road_factor: settings.road_factor,
            tickets: netcrew_store::tickets::Settings {
                reopen_window: chrono::Duration::days(settings.reopen_days.into()),
                auto_close_after: chrono::Duration::hours(settings.auto_close_hours.into()),
                zone: netcrew_domain::schedule::parse_zone(&settings.time_zone)?,
                fee_first: settings.fee_before_booking,
                public_url: settings.public_url.as_str().into(),
            },
            public_url: settings.public_url.clone(),
            push_allow_http: settings.push_allow_http,
        }),
        metrics: netcrew_api::metrics_handle()?,
        live: netcrew_api::live::Hub::start(db),
        files: netcrew_store::attachments::local_files(&settings.data_dir.join("attachments"))?,
        sealer: netcrew_store::identity::Sealer::from_key_file(&settings.identity_key_file)?,
    })
}

pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish
/// (for at most `settings.shutdown_grace`).
///
/// Each connection has to send a request's header within
/// `settings.header_read_timeout`, is closed when nothing moves on it for
/// `settings.idle_timeout` while no request is being handled, and at most
/// `settings.max_connections` are open at once (further clients wait in the
/// listen queue), so slow or idle clients cannot hold the server's sockets.
/// How often SLA warnings and automatic closing are looked at.
pub const SLA_SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Gives SLA warnings when they are due and closes resolved tickets whose
/// dispute time is over, for as long as the server runs.
async fn watch_tickets(db: Db, settings: netcrew_store::tickets::Settings) {
    let mut tick = tokio::time::interval(SLA_SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match netcrew_store::sla_watch::sweep(&db, &settings, chrono::Utc::now(), 500).await {
            Ok(s) if s != Default::default() => tracing::info!(
                at_risk = s.at_risk,
                breached = s.breached,
                closed = s.closed,
                "ticket clocks"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "ticket clocks: sweep failed"),
        }
    }
}

/// How often files past their retention are looked for.
pub const RETENTION_SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Removes KTP photos and job files whose retention is over, for as long as
/// the server runs.
async fn keep_retention(
    db: Db,
    files: netcrew_store::attachments::Files,
    keep: netcrew_store::retention::Retention,
) {
    let mut tick = tokio::time::interval(RETENTION_SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match netcrew_store::retention::sweep(&db, &files, &keep, chrono::Utc::now(), 500).await {
            Ok(r) if r != Default::default() => tracing::info!(
                ktp_photos = r.ktp_photos,
                job_files = r.job_files,
                positions = r.positions,
                tracking_links = r.tracking_links,
                "files past their retention removed"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention: sweep failed"),
        }
    }
}

/// How often assignments not accepted in time are taken back and, in
/// automatic mode, the queue is given out.
pub const DISPATCH_SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Takes back assignments not accepted in time and, in automatic mode,
/// gives waiting tickets to the best technician, for as long as the
/// server runs.
async fn dispatch(db: Db, settings: netcrew_store::tickets::Settings) {
    let mut tick = tokio::time::interval(DISPATCH_SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        match netcrew_store::dispatching::expire_unaccepted(&db, &settings, now, 100).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(taken_back = n, "assignments not accepted in time"),
            Err(e) => tracing::warn!(error = %e, "dispatch: taking back failed"),
        }
        match netcrew_store::dispatching::dispatch_queue(&db, &settings, now, 100).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(assigned = n, "tickets given out automatically"),
            Err(e) => tracing::warn!(error = %e, "dispatch: giving out failed"),
        }
    }
}

pub async fn serve(
    listener: TcpListener,
    state: AppState,
    settings: &Resolved,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = state.db.clone();
    let watch = tokio::spawn(watch_tickets(db.clone(), state.config.tickets.clone()));
    let dispatcher = tokio::spawn(dispatch(db.clone(), state.config.tickets.clone()));
    let messaging = settings.send_messages.then(|| {
        tokio::spawn(crate::messaging::run(
            db.clone(),
            state.sealer.clone(),
            format!("worker-{}", uuid::Uuid::now_v7()),
            state.config.tickets.zone,
            settings.public_url.clone(),
        ))
    });
    let retention = tokio::spawn(keep_retention(
        db.clone(),
        state.files.clone(),
        settings.retention,
    ));
    let live = state.live.clone();
    let app = netcrew_api::app(state);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout)
        // Above the application's own limits (which answer with problems),
        // so that the parser only refuses what is far beyond them.
        .max_headers(netcrew_api::MAX_HEADER_FIELDS * 2)
        .max_buf_size(PARSER_BUFFER_BYTES);
    let idle_timeout = settings.idle_timeout;
    let slots = Arc::new(Semaphore::new(settings.max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.context("connection limit closed")?,
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection that was reset
                    // before it was accepted: wait a moment, then go on.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: activity.clone(),
        });
        let app = app.clone();
        let in_service = activity.clone();
        let service = service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            let busy = in_service.request_started();
            let call = app.clone().oneshot(req);
            async move {
                let response = call.await;
                drop(busy);
                response
            }
        });
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            let _slot = slot;
            let mut connection = std::pin::pin!(connection);
            loop {
                // While a request is handled the connection is not idle;
                // look again later (the request's end counts as activity).
                let deadline = if activity.is_busy() {
                    tokio::time::Instant::now() + idle_timeout
                } else {
                    activity.idle_deadline(idle_timeout)
                };
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(error = %e, client = %remote, "connection ended");
                        }
                        break;
                    }
                    () = tokio::time::sleep_until(deadline) => {
                        if activity.is_idle(idle_timeout) {
                            tracing::debug!(client = %remote, "closing an idle connection");
                            break;
                        }
                    }
                }
            }
        });
    }
    drop(listener);
    watch.abort();
    dispatcher.abort();
    retention.abort();
    if let Some(m) = messaging {
        m.abort();
    }
    // Event streams never end by themselves: end them, and the clients
    // reconnect (to another instance, or to this one once it is back).
    live.close();
    tracing::info!("shutting down: no new connections, finishing requests in flight");
    if tokio::time::timeout(settings.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period; stopping anyway");
    }
    db.close().await;
    Ok(())
}

/// The HTTP parser's buffer per connection, and so the largest request head
/// it reads; heads beyond the application's limits but within this get a
/// problem answer, larger ones the parser's bare 431.
const PARSER_BUFFER_BYTES: usize = 64 * 1024;

/// When a connection last received or sent anything, and how many of its
/// requests are being handled.
struct Activity {
    start: tokio::time::Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: tokio::time::Instant::now(),
            last: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let elapsed = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.fetch_max(elapsed, Ordering::Relaxed);
    }

    fn idle_deadline(&self, idle: Duration) -> tokio::time::Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed)) + idle
    }

    fn is_busy(&self) -> bool {
        self.busy.load(Ordering::Relaxed) > 0
    }

    fn is_idle(&self, idle: Duration) -> bool {
        !self.is_busy() && tokio::time::Instant::now() >= self.idle_deadline(idle)
    }

    /// Marks a request as being handled until the returned guard is dropped.
    fn request_started(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::Relaxed);
        self.touch();
        Busy(self.clone())
    }
}

struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A connection that records when bytes move on it.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
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
