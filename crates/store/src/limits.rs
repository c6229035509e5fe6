//! Attempt counters per key and fixed time window. One `hit` is one atomic
//! statement (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), so parallel
//! requests, on SQLite or on several PostgreSQL-backed instances, each get a
//! distinct count and none can slip past a limit.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ConnectionTrait, DbErr,
    sea_query::{Alias, Expr, OnConflict, Query},
};

use crate::Db;

fn table() -> Alias {
    Alias::new("rate_counters")
}

/// The start of the fixed window of `window_secs` that `now` falls in.
pub fn window_start(now: DateTime<Utc>, window_secs: i64) -> DateTime<Utc> {
    let secs = now.timestamp();
    let start = secs - secs.rem_euclid(window_secs.max(1));
    Utc.timestamp_opt(start, 0).single().unwrap_or(now)
}

/// Counts one more attempt for `key` in the window that `now` falls in and
/// returns the count including this one.
pub async fn hit(db: &Db, key: &str, now: DateTime<Utc>, window_secs: i64) -> Result<u64, DbErr> {
    add(db, key, window_start(now, window_secs), 1).await
}

/// Takes back one attempt counted by [`hit`] (a success that should not
/// count against the limit).
pub async fn release(
    db: &Db,
    key: &str,
    now: DateTime<Utc>,
    window_secs: i64,
) -> Result<(), DbErr> {
    add(db, key, window_start(now, window_secs), -1).await?;
    Ok(())
}

async fn add(db: &Db, key: &str, window: DateTime<Utc>, by: i64) -> Result<u64, DbErr> {
    let key: String = key.chars().take(200).collect();
    let mut insert = Query::insert();
    insert
        .into_table(table())
        .columns([
            Alias::new("key"),
            Alias::new("window_start"),
            Alias::new("hits"),
        ])
        .values([key.into(), window.into(), by.max(0).into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::columns([Alias::new("key"), Alias::new("window_start")])
                .value(
                    Alias::new("hits"),
                    Expr::col((table(), Alias::new("hits"))).add(by),
                )
                .to_owned(),
        )
        .returning_col(Alias::new("hits"));
    let txn = db.begin_write().await?;
    let builder = txn.get_database_backend();
    let row = txn
        .query_one(builder.build(&insert))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("rate counter".to_string()))?;
    let hits: i64 = row.try_get("", "hits")?;
    txn.commit().await?;
    Ok(hits.max(0) as u64)
}

/// Forgets windows that ended before `before`.
pub async fn purge(db: &Db, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let mut delete = Query::delete();
    delete
        .from_table(table())
        .and_where(Expr::col(Alias::new("window_start")).lt(before));
    let conn = db.conn();
    let result = conn
        .execute(conn.get_database_backend().build(&delete))
        .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::window_start;
    use chrono::{TimeZone, Utc};

    #[test]
    fn windows_are_aligned() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 28, 7, 44, 10)
            .single()
            .expect("time");
        assert_eq!(
            window_start(t, 900),
            Utc.with_ymd_and_hms(2026, 11, 28, 7, 30, 0)
                .single()
                .expect("time")
        );
    }
}
