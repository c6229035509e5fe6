//! The live side of the API: one poller per instance reads the change feed
//! (`netcrew_store::feed`) and hands every new entry to the open event
//! streams of this instance, each of which keeps what its reader may see.
//! Entries are rows in the database, so every instance (on PostgreSQL)
//! sees every change, and a reader who reconnects with `Last-Event-ID`
//! gets what was missed.

use std::{sync::Arc, time::Duration};

use netcrew_store::{Db, entity::feed_event, feed};
use tokio::sync::broadcast;

/// How often the poller looks for new changes.
pub const POLL_EVERY: Duration = Duration::from_millis(250);
/// How many entries a slow stream may fall behind before it is ended (the
/// client reconnects and catches up from the database).
const BACKLOG: usize = 4096;

/// The hand-over point between the poller and the streams.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<feed_event::Model>>,
    closing: tokio::sync::watch::Sender<bool>,
}

impl Hub {
    /// Starts the poller (inside a Tokio runtime).
    pub fn start(db: Db) -> Hub {
        let (tx, _) = broadcast::channel(BACKLOG);
        let (closing, _) = tokio::sync::watch::channel(false);
        let hub = Hub {
            tx: tx.clone(),
            closing,
        };
        tokio::spawn(async move {
            let mut last = loop {
                match feed::latest(db.conn()).await {
                    Ok(id) => break id,
                    Err(e) => {
                        tracing::warn!(error = %e, "change feed: cannot read the latest entry");
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                }
            };
            let mut tick = tokio::time::interval(POLL_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if tx.receiver_count() == 0 {
                    // Nobody listens: skip ahead without reading the rows.
                    if let Ok(id) = feed::latest(db.conn()).await {
                        last = id;
                    }
                    continue;
                }
                match feed::all_since(db.conn(), last, 1000).await {
                    Ok(rows) => {
                        for row in rows {
                            last = row.id;
                            let _ = tx.send(Arc::new(row));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "change feed: read failed"),
                }
            }
        });
        hub
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<feed_event::Model>> {
        self.tx.subscribe()
    }

    /// Resolves when the server shuts down (open streams end then).
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static + use<> {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|c| *c).await;
        }
    }

    /// Ends every open stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// How many event streams are open on this instance.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}
