//! Named counters and per-address limits: one atomic statement each, so
//! parallel callers never share a value nor pass a limit. On SQLite, and on
//! PostgreSQL too when `NETCREW_TEST_POSTGRES_URL` is set.

use std::collections::HashSet;

use chrono::{Duration, TimeZone, Utc};
use netcrew_store::{
    Db, counters,
    limits::{self, Admission, Limit},
    sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait},
};
use uuid::Uuid;

/// SQLite in `dir`, and PostgreSQL in a schema of its own (removed by
/// [`drop_schema`]) when configured.
async fn databases(dir: &tempfile::TempDir) -> anyhow::Result<(Vec<Db>, Option<String>)> {
    let file = dir.path().join("counters.db");
    let sqlite = Db::connect(&format!("sqlite://{}", file.display()), 5).await?;
    sqlite.migrate().await?;
    let mut dbs = vec![sqlite];
    let mut created = None;
    if let Ok(base) = std::env::var("NETCREW_TEST_POSTGRES_URL") {
        let schema = format!("t_{}", Uuid::now_v7().simple());
        let admin = Db::connect(&base, 1).await?;
        admin
            .conn()
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await?;
        admin.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        let pg = Db::connect(
            &format!("{base}{separator}options=-c%20search_path%3D{schema}"),
            5,
        )
        .await?;
        pg.migrate().await?;
        dbs.push(pg);
        created = Some(schema);
    }
    Ok((dbs, created))
}

async fn drop_schema(schema: Option<String>) -> anyhow::Result<()> {
    if let (Some(schema), Ok(base)) = (schema, std::env::var("NETCREW_TEST_POSTGRES_URL")) {
        let admin = Db::connect(&base, 1).await?;
        admin
            .conn()
            .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
            .await?;
        admin.close().await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_hand_out_each_value_once() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (dbs, schema) = databases(&dir).await?;
    for db in dbs {
        let conn = db.conn();
        assert_eq!(counters::advance(conn, "test", 1).await?, 1);
        assert_eq!(counters::advance(conn, "test", 5).await?, 6);
        counters::raise_to(conn, "test", 100).await?;
        counters::raise_to(conn, "test", 50).await?;
        assert_eq!(counters::advance(conn, "test", 1).await?, 101, "never back");
        // The migration starts customer numbers at the largest in use.
        assert_eq!(counters::advance(conn, "customer_number", 0).await?, 0);

        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let db = db.clone();
            tasks.spawn(async move {
                let txn = db.begin_write().await?;
                let value = counters::advance(&*txn, "parallel", 1).await?;
                txn.commit().await?;
                anyhow::Ok(value)
            });
        }
        let mut values = HashSet::new();
        while let Some(value) = tasks.join_next().await {
            values.insert(value??);
        }
        assert_eq!(values, (1..=40).collect(), "{}", db.backend().as_str());

        // A rollback gives the value back.
        let txn = db.begin_write().await?;
        assert_eq!(counters::advance(&*txn, "parallel", 1).await?, 41);
        txn.rollback().await?;
        assert_eq!(counters::advance(conn, "parallel", 1).await?, 41);
        db.close().await;
    }
    drop_schema(schema).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_count_every_hit_and_forget_old_windows() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let limit = Limit {
        scope: "test",
        max: 3,
        window_secs: 3600,
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 7, 59, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("time"))?;
    let (dbs, schema) = databases(&dir).await?;
    for db in dbs {
        let conn = db.conn();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let db = db.clone();
            tasks.spawn(async move { limit.hit(db.conn(), "10.0.0.1", now).await });
        }
        let mut admitted = Vec::new();
        while let Some(result) = tasks.join_next().await {
            match result?? {
                Admission::Allowed { hits } => admitted.push(hits),
                Admission::Refused { retry_after_secs } => assert_eq!(retry_after_secs, 60),
            }
        }
        admitted.sort();
        assert_eq!(admitted, [1, 2, 3], "{}", db.backend().as_str());
        assert_eq!(
            limit.exhausted(conn, "10.0.0.1", now).await?,
            Some(60),
            "over the limit until 08:00"
        );
        assert_eq!(limit.exhausted(conn, "10.0.0.2", now).await?, None);
        // The next hour starts afresh.
        let later = now + Duration::minutes(2);
        assert!(limit.hit(conn, "10.0.0.1", later).await?.first_of_window());
        // Two days on, the old windows go.
        let rows = || netcrew_store::entity::rate_counter::Entity::find().count(conn);
        assert_eq!(rows().await?, 2);
        let removed =
            limits::forget_old(conn, now + Duration::days(2) - Duration::minutes(29)).await?;
        assert_eq!((removed, rows().await?), (1, 1));
        db.close().await;
    }
    drop_schema(schema).await
}
