//! Where the plant is: ODPs near a place, the area a place is in, and the
//! demand recorded where there is no service yet.

use netcrew_domain::GeoPoint;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::{demand_point, odp};

/// A `LIKE` pattern for "contains": wildcards and control characters (which
/// no stored text holds, and PostgreSQL cannot take) are dropped.
pub(crate) fn like(q: &str) -> String {
    let q: String = q
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '%' | '_') && !c.is_control())
        .collect();
    format!("%{q}%")
}

/// ODPs within `radius_m` (straight line) of `point`, nearest first, with
/// their distance. Uses the (lat, lng) index through a bounding box.
pub async fn odps_near<C: ConnectionTrait>(
    db: &C,
    point: GeoPoint,
    radius_m: f64,
) -> Result<Vec<(odp::Model, f64)>, DbErr> {
    let dlat = radius_m / 111_320.0;
    let dlng = radius_m / (111_320.0 * point.lat.to_radians().cos().abs().max(0.01));
    let candidates = odp::Entity::find()
        .filter(odp::Column::Lat.between(point.lat - dlat, point.lat + dlat))
        .filter(odp::Column::Lng.between(point.lng - dlng, point.lng + dlng))
        .all(db)
        .await?;
    let mut near: Vec<(odp::Model, f64)> = candidates
        .into_iter()
        .filter_map(|o| {
            let d = GeoPoint::new(o.lat, o.lng).ok()?.distance_m(&point);
            (d <= radius_m).then_some((o, d))
        })
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(near)
}

/// Records that someone asked for service at `point` where there is none:
/// once per source, place (a cell of about 30 m) and ISP day, kept by a
/// unique index (`INSERT ... ON CONFLICT DO NOTHING`), so parallel checks of
/// one place make one point. Whether a new point was recorded.
pub async fn record_demand<C: ConnectionTrait>(
    db: &C,
    point: GeoPoint,
    area_id: Option<Uuid>,
    source: &str,
    now: chrono::DateTime<chrono::Utc>,
    zone: netcrew_domain::schedule::Zone,
) -> Result<bool, DbErr> {
    use sea_orm::{ActiveValue::Set, sea_query::OnConflict};
    let day = netcrew_domain::schedule::local_date(now, zone)
        .format("%Y-%m-%d")
        .to_string();
    let inserted = demand_point::Entity::insert(demand_point::ActiveModel {
        id: Set(Uuid::now_v7()),
        lat: Set(point.lat),
        lng: Set(point.lng),
        area_id: Set(area_id),
        source: Set(source.to_string()),
        created_at: Set(now),
        day: Set(day),
        place_key: Set(netcrew_domain::service::demand_place_key(point)),
    })
    .on_conflict(
        OnConflict::columns([
            demand_point::Column::Source,
            demand_point::Column::Day,
            demand_point::Column::PlaceKey,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted > 0)
}

/// The area whose centre is nearest to `point` among those whose circle
/// contains it.
pub fn area_for(
    areas: &[crate::entity::area::Model],
    point: GeoPoint,
) -> Option<&crate::entity::area::Model> {
    areas
        .iter()
        .filter_map(|a| {
            let centre = GeoPoint::new(a.center_lat, a.center_lng).ok()?;
            let d = centre.distance_m(&point);
            (d <= f64::from(a.radius_m)).then_some((a, d))
        })
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(a, _)| a)
}
