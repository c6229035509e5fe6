//! Upgrading a database that has data: the counters migration starts the
//! customer number counter after the largest number in use and gives every
//! demand point its day and place, keeping earlier repeats. On SQLite, and on
//! PostgreSQL too when `NETCREW_TEST_POSTGRES_URL` is set.

use chrono::{TimeZone, Utc};
use netcrew_domain::schedule::Zone;
use netcrew_store::{
    Db, counters, customers,
    entity::demand_point,
    migration::Migrator,
    network,
    sea_orm::{
        ConnectionTrait, EntityTrait, QueryOrder,
        sea_query::{Alias, Query, SimpleExpr},
    },
};
use sea_orm_migration::MigratorTrait;
use uuid::Uuid;

/// The migrations before the counters migration.
const BEFORE_COUNTERS: u32 = 5;

async fn insert(db: &Db, table: &str, values: Vec<(&str, SimpleExpr)>) -> anyhow::Result<()> {
    let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    let stmt = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new))
        .values(values)?
        .to_owned();
    let conn = db.conn();
    conn.execute(conn.get_database_backend().build(&stmt))
        .await?;
    Ok(())
}

async fn upgrade(db: &Db) -> anyhow::Result<()> {
    Migrator::up(db.conn(), Some(BEFORE_COUNTERS)).await?;
    let at = Utc
        .with_ymd_and_hms(2026, 11, 20, 3, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("time"))?;
    let (area, package) = (Uuid::now_v7(), Uuid::now_v7());
    insert(
        db,
        "areas",
        vec![
            ("id", area.into()),
            ("code", "BDG-01".into()),
            ("name", "Coblong".into()),
            ("city", "Bandung".into()),
            ("center_lat", (-6.89).into()),
            ("center_lng", 107.61.into()),
            ("radius_m", 3000.into()),
            ("created_at", at.into()),
            ("updated_at", at.into()),
        ],
    )
    .await?;
    insert(
        db,
        "packages",
        vec![
            ("id", package.into()),
            ("name", "Rumah 30".into()),
            ("download_mbps", 30.into()),
            ("upload_mbps", 30.into()),
            ("monthly_price_idr", 250_000i64.into()),
            ("description", "".into()),
            ("active", true.into()),
            ("created_at", at.into()),
            ("updated_at", at.into()),
        ],
    )
    .await?;
    for (number, phone) in [
        ("PLG-0000041", "+6281200000041"),
        ("PLG-0000007", "+6281200000007"),
    ] {
        insert(
            db,
            "customers",
            vec![
                ("id", Uuid::now_v7().into()),
                ("customer_number", number.into()),
                ("name", "Budi".into()),
                ("phone", phone.into()),
                ("address", "Jl. Dago".into()),
                ("lat", (-6.89).into()),
                ("lng", 107.61.into()),
                ("area_id", area.into()),
                ("package_id", package.into()),
                ("status", "active".into()),
                ("notes", "".into()),
                ("created_at", at.into()),
                ("updated_at", at.into()),
            ],
        )
        .await?;
    }
    // The same place three times on one day (recorded before the fix), and
    // another place.
    for (lat, lng) in [
        (-6.1754, 106.8272),
        (-6.1754, 106.8272),
        (-6.17541, 106.82721),
        (-6.2000, 106.8000),
    ] {
        insert(
            db,
            "demand_points",
            vec![
                ("id", Uuid::now_v7().into()),
                ("lat", lat.into()),
                ("lng", lng.into()),
                ("source", "coverage_check".into()),
                ("created_at", at.into()),
            ],
        )
        .await?;
    }

    Migrator::up(db.conn(), None).await?;

    let conn = db.conn();
    assert_eq!(
        counters::advance(conn, customers::CUSTOMER_NUMBER_COUNTER, 0).await?,
        41
    );
    assert_eq!(customers::next_customer_number(conn).await?, "PLG-0000042");
    let points = demand_point::Entity::find()
        .order_by_asc(demand_point::Column::Id)
        .all(conn)
        .await?;
    assert_eq!(points.len(), 4, "no demand point is lost");
    assert!(points.iter().all(|p| p.day == "2026-11-20"), "{points:?}");
    // From now on, that place counts once a day; the repeats recorded
    // before keep keys of their own.
    let place = netcrew_domain::GeoPoint::new(-6.1754, 106.8272)?;
    let key = netcrew_domain::service::demand_place_key(place);
    assert_eq!(points[0].place_key, key);
    for repeat in &points[1..3] {
        assert_eq!(repeat.place_key, format!("{key}:{}", repeat.id));
    }
    assert_ne!(points[3].place_key, key);
    assert!(
        !network::record_demand(conn, place, None, "coverage_check", at, Zone::Asia__Jakarta)
            .await?,
        "already recorded that day"
    );
    assert!(
        network::record_demand(
            conn,
            place,
            None,
            "coverage_check",
            at + chrono::Duration::days(1),
            Zone::Asia__Jakarta,
        )
        .await?
    );
    Ok(())
}

#[tokio::test]
async fn an_upgraded_database_keeps_its_numbers_and_demand() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("upgrade.db");
    let sqlite = Db::connect(&format!("sqlite://{}", file.display()), 2).await?;
    upgrade(&sqlite).await?;
    sqlite.close().await;
    if let Ok(base) = std::env::var("NETCREW_TEST_POSTGRES_URL") {
        let schema = format!("t_{}", Uuid::now_v7().simple());
        let admin = Db::connect(&base, 1).await?;
        admin
            .conn()
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await?;
        let separator = if base.contains('?') { '&' } else { '?' };
        let pg = Db::connect(
            &format!("{base}{separator}options=-c%20search_path%3D{schema}"),
            2,
        )
        .await?;
        let result = upgrade(&pg).await;
        pg.close().await;
        admin
            .conn()
            .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
            .await?;
        admin.close().await;
        result?;
    }
    Ok(())
}
