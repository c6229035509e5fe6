//! Named counters for numbers people see (customer numbers; ticket numbers
//! later), advanced in one atomic statement so that concurrent writers — on
//! several instances of PostgreSQL too — never get the same number.

use sea_orm::{
    ConnectionTrait, DbErr,
    sea_query::{Expr, OnConflict, Query},
};

use crate::entity::sequence_counter::{Column, Entity};

/// Adds `by` to the counter `name` (which starts at 0) and returns its new
/// value: the caller owns the values from `new - by + 1` to `new`. One
/// statement (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), so two
/// callers never see the same value; inside a transaction the counter stays
/// locked until it ends, and a rollback gives the values back.
pub async fn advance<C: ConnectionTrait>(db: &C, name: &str, by: i64) -> Result<i64, DbErr> {
    let stmt = Query::insert()
        .into_table(Entity)
        .columns([Column::Name, Column::Value])
        .values_panic([name.into(), by.into()])
        .on_conflict(
            OnConflict::column(Column::Name)
                .value(Column::Value, Expr::col((Entity, Column::Value)).add(by))
                .to_owned(),
        )
        .returning_col(Column::Value)
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&stmt))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("counter {name}")))?;
    row.try_get("", "value")
}

/// Moves the counter `name` up to `value` if it is below it (numbers given
/// out some other way, such as an import that brings its own).
pub async fn raise_to<C: ConnectionTrait>(db: &C, name: &str, value: i64) -> Result<(), DbErr> {
    advance(db, name, 0).await?;
    let stmt = Query::update()
        .table(Entity)
        .value(Column::Value, value)
        .and_where(Expr::col(Column::Name).eq(name))
        .and_where(Expr::col(Column::Value).lt(value))
        .to_owned();
    db.execute(db.get_database_backend().build(&stmt)).await?;
    Ok(())
}
