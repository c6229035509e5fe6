//! The plant (ODCs, ODPs and their ports), customers on it, and coverage.

use std::collections::HashMap;

use netcrew_domain::GeoPoint;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Condition, Expr, Func},
};
use uuid::Uuid;

use crate::{
    entity::{customer, demand_point, odc, odp},
    page::{Page, PageRequest, paginate},
};

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

fn lower_like<C: ColumnTrait>(col: C, q: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col))).like(like(q))
}

/// Ports in use per ODP: customers linked to a port.
pub async fn odp_usage<C: ConnectionTrait>(
    db: &C,
    odp_ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>, DbErr> {
    let mut out = HashMap::new();
    for chunk in odp_ids.chunks(500) {
        let rows: Vec<(Uuid, i64)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::OdpId)
            .column_as(customer::Column::Id.count(), "n")
            .filter(customer::Column::OdpId.is_in(chunk.to_vec()))
            .group_by(customer::Column::OdpId)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

#[derive(Debug, Default, Clone)]
pub struct PlantFilter {
    pub q: Option<String>,
    pub area_id: Option<Uuid>,
    pub odc_id: Option<Uuid>,
    pub status: Option<String>,
}

pub async fn list_odps<C: ConnectionTrait>(
    db: &C,
    filter: &PlantFilter,
    page: &PageRequest,
) -> Result<Page<odp::Model>, DbErr> {
    let mut select = odp::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(odp::Column::Code, q))
                .add(lower_like(odp::Column::Name, q)),
        );
    }
    if let Some(area) = filter.area_id {
        select = select.filter(odp::Column::AreaId.eq(area));
    }
    if let Some(odc) = filter.odc_id {
        select = select.filter(odp::Column::OdcId.eq(odc));
    }
    if let Some(status) = &filter.status {
        select = select.filter(odp::Column::Status.eq(status.as_str()));
    }
    paginate(db, select, odp::Column::Code, odp::Column::Id, page, |m| {
        (m.code.clone(), m.id)
    })
    .await
}

pub async fn list_odcs<C: ConnectionTrait>(
    db: &C,
    filter: &PlantFilter,
    page: &PageRequest,
) -> Result<Page<odc::Model>, DbErr> {
    let mut select = odc::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(odc::Column::Code, q))
                .add(lower_like(odc::Column::Name, q)),
        );
    }
    if let Some(area) = filter.area_id {
        select = select.filter(odc::Column::AreaId.eq(area));
    }
    if let Some(status) = &filter.status {
        select = select.filter(odc::Column::Status.eq(status.as_str()));
    }
    paginate(db, select, odc::Column::Code, odc::Column::Id, page, |m| {
        (m.code.clone(), m.id)
    })
    .await
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

#[derive(Debug, Default, Clone)]
pub struct CustomerFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub area_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    pub odp_id: Option<Uuid>,
    /// Row scope: only this customer (a customer's own account).
    pub only: Option<Uuid>,
}

pub async fn list_customers<C: ConnectionTrait>(
    db: &C,
    filter: &CustomerFilter,
    page: &PageRequest,
) -> Result<Page<customer::Model>, DbErr> {
    let mut select = customer::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(match SearchKind::of(q) {
            // A phone number, customer number or e-mail address (or its
            // start): a range on that column's index.
            SearchKind::Phone(prefix) => starts_with(customer::Column::Phone, &prefix),
            SearchKind::CustomerNumber(prefix) => {
                starts_with(customer::Column::CustomerNumber, &prefix)
            }
            SearchKind::Email(prefix) => starts_with(customer::Column::Email, &prefix),
            // Words: a part of the name or address (on PostgreSQL through
            // trigram indexes on both).
            SearchKind::Text => Condition::any()
                .add(lower_like(customer::Column::Name, q))
                .add(lower_like(customer::Column::Address, q)),
        });
    }
    if let Some(status) = &filter.status {
        select = select.filter(customer::Column::Status.eq(status.as_str()));
    }
    if let Some(area) = filter.area_id {
        select = select.filter(customer::Column::AreaId.eq(area));
    }
    if let Some(package) = filter.package_id {
        select = select.filter(customer::Column::PackageId.eq(package));
    }
    if let Some(odp) = filter.odp_id {
        select = select.filter(customer::Column::OdpId.eq(odp));
    }
    if let Some(only) = filter.only {
        select = select.filter(customer::Column::Id.eq(only));
    }
    paginate(
        db,
        select,
        customer::Column::CustomerNumber,
        customer::Column::Id,
        page,
        |m| (m.customer_number.clone(), m.id),
    )
    .await
}

/// What a customer search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKind {
    /// The E.164 start of a phone number.
    Phone(String),
    /// The start of a customer number, `PLG-00012` (any case).
    CustomerNumber(String),
    /// The start of an e-mail address (lower case).
    Email(String),
    /// A part of a name or address.
    Text,
}

impl SearchKind {
    pub fn of(q: &str) -> SearchKind {
        let q = q.trim();
        if let Some(prefix) = phone_prefix(q) {
            return SearchKind::Phone(prefix);
        }
        let upper = q.to_uppercase();
        if upper.starts_with("PLG-") || (upper.starts_with("PLG") && upper.len() > 3) {
            let digits = upper.trim_start_matches("PLG").trim_start_matches('-');
            if digits.chars().all(|c| c.is_ascii_digit()) {
                return SearchKind::CustomerNumber(format!("PLG-{digits}"));
            }
        }
        if q.contains('@') && !q.contains(char::is_whitespace) {
            return SearchKind::Email(q.to_lowercase());
        }
        SearchKind::Text
    }
}

/// `column` starts with `prefix`: a range that an index on the column
/// answers, from the prefix to the prefix with its last character stepped
/// up (`PLG-0012` .. `PLG-0013`).
fn starts_with<C: ColumnTrait>(column: C, prefix: &str) -> Condition {
    let mut end: Vec<char> = prefix.chars().collect();
    let stepped = end
        .pop()
        .and_then(|last| char::from_u32(last as u32 + 1))
        .map(|next| end.iter().chain(std::iter::once(&next)).collect::<String>());
    let range = Condition::all().add(column.gte(prefix.to_string()));
    match stepped {
        Some(stepped) => range.add(column.lt(stepped)),
        None => range,
    }
}

/// When a search looks like a phone number or its beginning (`0812 34`,
/// `+62812...`, `62812...`; at least 6 digits), the E.164 prefix to look for.
pub fn phone_prefix(q: &str) -> Option<String> {
    let compact: String = q
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if digits.len() < 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if plus || digits.starts_with("62") {
        Some(format!("+{digits}"))
    } else {
        digits.strip_prefix('0').map(|local| format!("+62{local}"))
    }
}

/// The counter customer numbers are taken from.
pub const CUSTOMER_NUMBER_COUNTER: &str = "customer_number";

fn customer_number(n: i64) -> String {
    format!("PLG-{n:07}")
}

/// The largest `PLG-` number in use.
async fn highest_customer_number<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let last = customer::Entity::find()
        .filter(customer::Column::CustomerNumber.like("PLG-%"))
        .order_by_desc(customer::Column::CustomerNumber)
        .one(db)
        .await?;
    Ok(last
        .and_then(|c| {
            c.customer_number
                .trim_start_matches("PLG-")
                .parse::<i64>()
                .ok()
        })
        .unwrap_or(0))
}

/// `count` new customer numbers, `PLG-0000001` style, taken from a counter in
/// one atomic statement: parallel creates, on several instances too, never
/// get the same number. Call it in the transaction that saves the customers.
pub async fn next_customer_numbers<C: ConnectionTrait>(
    db: &C,
    count: u64,
) -> Result<Vec<String>, DbErr> {
    let count = i64::try_from(count).map_err(|_| DbErr::Custom("too many numbers".into()))?;
    if count == 0 {
        return Ok(Vec::new());
    }
    loop {
        let last = crate::counters::advance(db, CUSTOMER_NUMBER_COUNTER, count).await?;
        let first = last - count + 1;
        // Numbers can also arrive from outside the counter (an import that
        // brings its own, demo data): continue after the largest in use.
        let highest = highest_customer_number(db).await?;
        if highest < first {
            return Ok((first..=last).map(customer_number).collect());
        }
        crate::counters::raise_to(db, CUSTOMER_NUMBER_COUNTER, highest).await?;
    }
}

/// The next customer number (see [`next_customer_numbers`]).
pub async fn next_customer_number<C: ConnectionTrait>(db: &C) -> Result<String, DbErr> {
    next_customer_numbers(db, 1)
        .await?
        .pop()
        .ok_or_else(|| DbErr::Custom("no customer number".into()))
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

#[cfg(test)]
mod tests {
    use super::{SearchKind, phone_prefix};

    #[test]
    fn searches_are_told_apart() {
        assert_eq!(
            SearchKind::of("0812 3456"),
            SearchKind::Phone("+628123456".to_string())
        );
        assert_eq!(
            SearchKind::of("plg-00012"),
            SearchKind::CustomerNumber("PLG-00012".to_string())
        );
        assert_eq!(
            SearchKind::of("PLG0001234"),
            SearchKind::CustomerNumber("PLG-0001234".to_string())
        );
        assert_eq!(
            SearchKind::of("Siti@Gmail"),
            SearchKind::Email("siti@gmail".to_string())
        );
        assert_eq!(SearchKind::of("budi"), SearchKind::Text);
        assert_eq!(SearchKind::of("plgs"), SearchKind::Text);
        assert_eq!(SearchKind::of("Jl. Dago 12"), SearchKind::Text);
    }

    #[test]
    fn phone_searches_become_e164_prefixes() {
        assert_eq!(
            phone_prefix("0812-3456"),
            Some("+62812345".to_string() + "6")
        );
        assert_eq!(phone_prefix("+62 812 34"), Some("+6281234".to_string()));
        assert_eq!(phone_prefix("6281234"), Some("+6281234".to_string()));
        assert_eq!(phone_prefix("0812"), None, "too short to mean a phone");
        assert_eq!(phone_prefix("PLG-0000123"), None);
        assert_eq!(phone_prefix("Jl. Dago 12"), None);
    }
}
