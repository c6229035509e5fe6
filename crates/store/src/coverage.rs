//! Coverage: can a place be connected, and from which ODPs; and the demand
//! where it cannot be yet (where to build next).

use chrono::{DateTime, Utc};
use netcrew_domain::{GeoPoint, schedule::Zone, service::CoverageRules};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    Db,
    entity::{area, demand_point, odp},
    limits::{self, Admission, Limit},
    network::{self, area_for, odps_near},
    page::{Page, PageError, newest_first},
    plant::odp_usage,
};

/// An ODP that can serve a place.
#[derive(Debug, Clone)]
pub struct ReachableOdp {
    pub odp: odp::Model,
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// Estimated drop-cable length (distance × road factor).
    pub cable_m: f64,
    pub free_ports: i32,
}

/// Whether a place can be connected.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub point: GeoPoint,
    /// The service area the place is in, if any.
    pub area: Option<area::Model>,
    /// ODPs with free ports within reach, nearest first.
    pub odps: Vec<ReachableOdp>,
    /// When none is in reach: how far the nearest ODP with a free port is
    /// (straight line), if one is within 3 km.
    pub nearest_free_odp_m: Option<f64>,
}

impl Coverage {
    pub fn covered(&self) -> bool {
        !self.odps.is_empty()
    }
}

/// How far to look for the nearest free ODP of a place not covered.
const NEAREST_SEARCH_M: f64 = 3_000.0;

fn serves(o: &odp::Model) -> bool {
    o.status().serves()
}

pub async fn check<C: ConnectionTrait>(
    db: &C,
    point: GeoPoint,
    rules: CoverageRules,
) -> Result<Coverage, DbErr> {
    let areas = area::Entity::find().all(db).await?;
    let area = area_for(&areas, point).cloned();
    let near = odps_near(db, point, rules.search_radius_m()).await?;
    let ids: Vec<Uuid> = near.iter().map(|(o, _)| o.id).collect();
    let usage = odp_usage(db, &ids).await?;
    let round = |m: f64| (m * 10.0).round() / 10.0;
    let odps: Vec<ReachableOdp> = near
        .into_iter()
        .filter(|(o, d)| serves(o) && rules.reachable(*d))
        .filter_map(|(o, d)| {
            let free = o.port_count - usage.get(&o.id).copied().unwrap_or(0) as i32;
            (free > 0).then(|| ReachableOdp {
                odp: o,
                distance_m: round(d),
                cable_m: round(rules.cable_m(d)),
                free_ports: free,
            })
        })
        .collect();
    let nearest_free_odp_m = if odps.is_empty() {
        let wider = odps_near(db, point, NEAREST_SEARCH_M).await?;
        let ids: Vec<Uuid> = wider.iter().map(|(o, _)| o.id).collect();
        let usage = odp_usage(db, &ids).await?;
        wider
            .into_iter()
            .find(|(o, _)| {
                serves(o) && i64::from(o.port_count) > usage.get(&o.id).copied().unwrap_or(0)
            })
            .map(|(_, d)| d.round())
    } else {
        None
    };
    Ok(Coverage {
        point,
        area,
        odps,
        nearest_free_odp_m,
    })
}

/// Demand points one address may add per hour (coverage checks and
/// registrations at places not covered); beyond it a coverage check still
/// answers but records nothing.
pub const DEMAND_POINTS: Limit = Limit {
    scope: "demand",
    max: 20,
    window_secs: 3600,
};

/// Notes that someone at `ip` wanted service where there is none yet: once
/// per place and day (repeated checks do not count twice, parallel ones
/// neither), and at most [`DEMAND_POINTS`] new places per address and hour,
/// so that anonymous checks cannot fill the table. Whether it was recorded.
pub async fn record_demand(
    db: &Db,
    ip: &str,
    point: GeoPoint,
    area_id: Option<Uuid>,
    source: &str,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<bool, DbErr> {
    if DEMAND_POINTS.exhausted(db.conn(), ip, now).await?.is_some() {
        return Ok(false);
    }
    let txn = db.begin_write().await?;
    if !network::record_demand(&*txn, point, area_id, source, now, zone).await? {
        // Already recorded today: nothing new to count.
        txn.rollback().await?;
        return Ok(false);
    }
    match DEMAND_POINTS.hit(&*txn, ip, now).await? {
        Admission::Refused { .. } => {
            tracing::info!(ip = %ip, "demand points over the limit; not recorded");
            txn.rollback().await?;
            Ok(false)
        }
        admitted => {
            txn.commit().await?;
            if admitted.first_of_window() {
                limits::forget_old(db.conn(), now).await?;
            }
            Ok(true)
        }
    }
}

/// Unmet demand, newest first.
pub async fn list_demand<C: ConnectionTrait>(
    db: &C,
    area_id: Option<Uuid>,
    source: Option<&str>,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<demand_point::Model>, PageError>, DbErr> {
    let mut select = demand_point::Entity::find();
    if let Some(a) = area_id {
        select = select.filter(demand_point::Column::AreaId.eq(a));
    }
    if let Some(s) = source {
        select = select.filter(demand_point::Column::Source.eq(s));
    }
    newest_first(db, select, demand_point::Column::Id, limit, cursor, |r| {
        r.id
    })
    .await
}
