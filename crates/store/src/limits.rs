//! Per-client limits on anonymous requests (registrations, demand recorded
//! by coverage checks): hits are counted per scope, subject (the client's
//! address) and fixed time window, each in one atomic statement, so parallel
//! requests cannot get past a limit, on one instance or several.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict, Query},
};

use crate::entity::rate_counter::{self, Column, Entity};

/// The longest window a limit may have; counts are kept a day longer.
pub const MAX_WINDOW_SECS: i64 = 24 * 3600;

/// At most `max` hits per `window_secs` (fixed windows from the epoch, at
/// most [`MAX_WINDOW_SECS`] long).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Whether a request is within its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// This was hit number `hits` of the window.
    Allowed { hits: i64 },
    /// Over the limit until the window ends, `retry_after_secs` from now.
    Refused { retry_after_secs: u64 },
}

impl Limit {
    fn window(&self, now: DateTime<Utc>) -> (i64, u64) {
        let len = self.window_secs.max(1);
        let t = now.timestamp();
        let start = t - t.rem_euclid(len);
        (start, (start + len - t).max(1) as u64)
    }

    /// Counts one hit of `subject` now and says whether it is admitted. Inside
    /// a transaction the count stays locked until the transaction ends, and a
    /// rollback takes the hit back.
    pub async fn hit<C: ConnectionTrait>(
        &self,
        db: &C,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<Admission, DbErr> {
        let (start, retry_after_secs) = self.window(now);
        let stmt = Query::insert()
            .into_table(Entity)
            .columns([
                Column::Scope,
                Column::Subject,
                Column::WindowStart,
                Column::Hits,
            ])
            .values_panic([self.scope.into(), subject.into(), start.into(), 1i64.into()])
            .on_conflict(
                OnConflict::columns([Column::Scope, Column::Subject, Column::WindowStart])
                    .value(Column::Hits, Expr::col((Entity, Column::Hits)).add(1))
                    .to_owned(),
            )
            .returning_col(Column::Hits)
            .to_owned();
        let hits: i64 = db
            .query_one(db.get_database_backend().build(&stmt))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("rate counter {}", self.scope)))?
            .try_get("", "hits")?;
        Ok(if hits > self.max {
            Admission::Refused { retry_after_secs }
        } else {
            Admission::Allowed { hits }
        })
    }

    /// Takes back one hit of `subject` in the current window (a sign-in whose
    /// password was right does not count as a failure).
    pub async fn give_back<C: ConnectionTrait>(
        &self,
        db: &C,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let (start, _) = self.window(now);
        Entity::update_many()
            .col_expr(Column::Hits, Expr::col(Column::Hits).sub(1))
            .filter(Column::Scope.eq(self.scope))
            .filter(Column::Subject.eq(subject))
            .filter(Column::WindowStart.eq(start))
            .filter(Column::Hits.gt(0))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Whether `subject` is already over the limit, without counting a hit
    /// (a cheap check before work that would be wasted).
    pub async fn exhausted<C: ConnectionTrait>(
        &self,
        db: &C,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, DbErr> {
        let (start, retry_after_secs) = self.window(now);
        let row = Entity::find_by_id((self.scope.to_string(), subject.to_string(), start))
            .one(db)
            .await?;
        Ok(row
            .filter(|r: &rate_counter::Model| r.hits >= self.max)
            .map(|_| retry_after_secs))
    }
}

impl Admission {
    /// The first hit of a subject in a window: a good moment to run
    /// [`forget_old`].
    pub fn first_of_window(self) -> bool {
        matches!(self, Admission::Allowed { hits: 1 })
    }
}

/// Removes the counts of windows that started more than two days ago, of
/// every scope. Run it on the connection, not inside a transaction that also
/// counts (two such transactions could wait on each other).
pub async fn forget_old<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::WindowStart.lt(now.timestamp() - 2 * MAX_WINDOW_SECS))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_and_say_when_they_end() {
        let limit = Limit {
            scope: "t",
            max: 1,
            window_secs: 3600,
        };
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
        assert_eq!(
            limit.window(at("2026-11-28T07:00:00Z")),
            (at("2026-11-28T07:00:00Z").timestamp(), 3600)
        );
        assert_eq!(
            limit.window(at("2026-11-28T07:59:30Z")),
            (at("2026-11-28T07:00:00Z").timestamp(), 30)
        );
    }
}
