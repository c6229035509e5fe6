//! Travel times by road from an OSRM-compatible routing server, when the
//! ISP configured one.
//!
//! The server is asked outside any transaction ([`warm`]), and what it
//! answered is kept in memory for a day; decisions read only the kept
//! answers ([`road_times`]), so a slow or absent server never holds a
//! write, and dispatch falls back to the straight-line estimate for any
//! start it has no answer for.

use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration as StdDuration, Instant},
};

use netcrew_dispatch::RoadTimes;

use super::*;

/// How long an answer is kept.
const KEEP: StdDuration = StdDuration::from_secs(24 * 3600);
/// How long the server may take.
const TIMEOUT: StdDuration = StdDuration::from_secs(2);
/// The most starting points asked in one request.
const MAX_SOURCES: usize = 100;
/// The most answers kept.
const MAX_KEPT: usize = 200_000;

/// A point to about a metre, as a key.
type Key = (i64, i64);

fn key(p: &GeoPoint) -> Key {
    ((p.lat * 1e5).round() as i64, (p.lng * 1e5).round() as i64)
}

type Kept = HashMap<(String, Key, Key), (f64, Instant)>;

static KEPT: LazyLock<Mutex<Kept>> = LazyLock::new(|| Mutex::new(HashMap::new()));

static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(|| {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .build()
        .unwrap_or_default()
});

fn kept(url: &str, from: &GeoPoint, to: &GeoPoint) -> Option<f64> {
    let map = KEPT.lock().ok()?;
    let (minutes, at) = map.get(&(url.to_string(), key(from), key(to)))?;
    (at.elapsed() < KEEP).then_some(*minutes)
}

fn keep(url: &str, to: &GeoPoint, answers: Vec<(GeoPoint, f64)>) {
    let Ok(mut map) = KEPT.lock() else {
        return;
    };
    if map.len() + answers.len() > MAX_KEPT {
        map.retain(|_, (_, at)| at.elapsed() < KEEP);
        if map.len() + answers.len() > MAX_KEPT {
            map.clear();
        }
    }
    let now = Instant::now();
    for (from, minutes) in answers {
        map.insert((url.to_string(), key(&from), key(to)), (minutes, now));
    }
}

/// The kept road minutes to `job`'s place from each technician's start.
pub(super) fn road_times(
    url: Option<&str>,
    job: &Job,
    techs: &[Technician],
    s: &netcrew_dispatch::Settings,
    now: DateTime<Utc>,
) -> RoadTimes {
    let (Some(url), Some(to)) = (url, job.place) else {
        return RoadTimes::default();
    };
    RoadTimes(
        techs
            .iter()
            .filter_map(|t| netcrew_dispatch::start_of(t, job, s, now).1)
            .filter_map(|from| Some((from, kept(url, &from, &to)?)))
            .collect(),
    )
}

#[derive(Deserialize)]
struct Table {
    code: String,
    #[serde(default)]
    durations: Vec<Vec<Option<f64>>>,
}

/// Asks the routing server for the minutes from each of `from` to `to`
/// that are not kept yet, and keeps the answers. A server that fails or
/// is slow leaves them unknown (logged, not an error).
pub async fn ask(url: &str, from: &[GeoPoint], to: GeoPoint) {
    let mut missing: Vec<GeoPoint> = Vec::new();
    for p in from {
        if kept(url, p, &to).is_none() && !missing.iter().any(|m| key(m) == key(p)) {
            missing.push(*p);
        }
    }
    for chunk in missing.chunks(MAX_SOURCES) {
        let coords = std::iter::once(&to)
            .chain(chunk)
            .map(|p| format!("{:.6},{:.6}", p.lng, p.lat))
            .collect::<Vec<_>>()
            .join(";");
        let sources = (1..=chunk.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(";");
        let address = format!(
            "{url}/table/v1/driving/{coords}?sources={sources}&destinations=0&annotations=duration"
        );
        let answer = match CLIENT.get(&address).send().await {
            Ok(r) if r.status().is_success() => r.json::<Table>().await,
            Ok(r) => {
                tracing::warn!(status = %r.status(), "routing server refused a table request");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "routing server did not answer; estimating travel");
                return;
            }
        };
        let table = match answer {
            Ok(t) if t.code == "Ok" && t.durations.len() == chunk.len() => t,
            Ok(t) => {
                tracing::warn!(code = %t.code, "routing server gave no usable table");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "routing server answered something unreadable");
                return;
            }
        };
        let answers = chunk
            .iter()
            .zip(table.durations)
            .filter_map(|(p, row)| {
                let secs = row.first().copied().flatten()?;
                (secs.is_finite() && secs >= 0.0).then_some((*p, secs / 60.0))
            })
            .collect();
        keep(url, &to, answers);
    }
}

/// Asks the routing server (if any) for the travel to ticket `t` from its
/// candidates' starts. Call it outside a transaction, before deciding.
pub async fn warm<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(url) = ds.routing_url.as_deref() else {
        return Ok(());
    };
    let (job, _) = job_of(db, t, zone, now).await?;
    let Some(to) = job.place else {
        return Ok(());
    };
    let (techs, _, _) = candidates(db, &job, ds, zone, now).await?;
    let s = ds.solver();
    let from: Vec<GeoPoint> = techs
        .iter()
        .filter_map(|t| netcrew_dispatch::start_of(t, &job, &s, now).1)
        .collect();
    ask(url, &from, to).await;
    Ok(())
}
