//! What concurrent writers (several instances on PostgreSQL, parallel
//! anonymous requests) must not get around:
//!
//! - `sequence_counters`: named counters advanced in one atomic statement,
//!   for numbers people see (customer numbers now, ticket numbers later);
//!   the customer number counter starts at the largest number in use.
//! - `rate_counters`: requests per scope, subject (a client address) and
//!   fixed time window, counted in one atomic statement.
//! - one demand point per source, place and day, kept by a unique index.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{GeoPoint, service::demand_place_key};
use sea_orm::{ConnectionTrait, StatementBuilder};
use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SequenceCounters {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum RateCounters {
    Table,
    Scope,
    Subject,
    WindowStart,
    Hits,
}

#[derive(DeriveIden)]
enum DemandPoints {
    Table,
    Id,
    Lat,
    Lng,
    Source,
    CreatedAt,
    Day,
    PlaceKey,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    CustomerNumber,
}

async fn query_all<S: StatementBuilder>(
    m: &SchemaManager<'_>,
    stmt: &S,
) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    let conn = m.get_connection();
    conn.query_all(conn.get_database_backend().build(stmt))
        .await
}

async fn execute<S: StatementBuilder>(m: &SchemaManager<'_>, stmt: &S) -> Result<(), DbErr> {
    let conn = m.get_connection();
    conn.execute(conn.get_database_backend().build(stmt))
        .await
        .map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SequenceCounters::Table)
                .col(string(SequenceCounters::Name).primary_key())
                .col(big_integer(SequenceCounters::Value))
                .to_owned(),
        )
        .await?;
        // Customer numbers continue after the largest one in use.
        let last = query_all(
            m,
            &Query::select()
                .column(Customers::CustomerNumber)
                .from(Customers::Table)
                .and_where(Expr::col(Customers::CustomerNumber).like("PLG-%"))
                .order_by(Customers::CustomerNumber, Order::Desc)
                .limit(1)
                .to_owned(),
        )
        .await?;
        let highest = last
            .first()
            .and_then(|row| row.try_get::<String>("", "customer_number").ok())
            .and_then(|n| n.trim_start_matches("PLG-").parse::<i64>().ok())
            .unwrap_or(0);
        execute(
            m,
            &Query::insert()
                .into_table(SequenceCounters::Table)
                .columns([SequenceCounters::Name, SequenceCounters::Value])
                .values_panic(["customer_number".into(), highest.into()])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RateCounters::Table)
                .col(string(RateCounters::Scope))
                .col(string(RateCounters::Subject))
                .col(big_integer(RateCounters::WindowStart))
                .col(big_integer(RateCounters::Hits))
                .primary_key(
                    Index::create()
                        .col(RateCounters::Scope)
                        .col(RateCounters::Subject)
                        .col(RateCounters::WindowStart),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rate_counters_window")
                .table(RateCounters::Table)
                .col(RateCounters::WindowStart)
                .to_owned(),
        )
        .await?;

        // Demand: the day and place each point counts for.
        for column in [DemandPoints::Day, DemandPoints::PlaceKey] {
            m.alter_table(
                Table::alter()
                    .table(DemandPoints::Table)
                    .add_column(string(column).default(""))
                    .to_owned(),
            )
            .await?;
        }
        let rows = query_all(
            m,
            &Query::select()
                .columns([
                    DemandPoints::Id,
                    DemandPoints::Lat,
                    DemandPoints::Lng,
                    DemandPoints::Source,
                    DemandPoints::CreatedAt,
                ])
                .from(DemandPoints::Table)
                .order_by(DemandPoints::Id, Order::Asc)
                .to_owned(),
        )
        .await?;
        let mut seen = HashSet::new();
        for row in rows {
            let id: Uuid = row.try_get("", "id")?;
            let source: String = row.try_get("", "source")?;
            let at: DateTime<Utc> = row.try_get("", "created_at")?;
            let point = GeoPoint::new(row.try_get("", "lat")?, row.try_get("", "lng")?)
                .map_err(|e| DbErr::Migration(format!("demand point {id}: {e}")))?;
            // The ISP's calendar day (WIB, UTC+7).
            let day = (at + Duration::hours(7)).format("%Y-%m-%d").to_string();
            let mut key = demand_place_key(point);
            // Repeats recorded before this migration stay, each its own place.
            if !seen.insert((source, day.clone(), key.clone())) {
                key = format!("{key}:{id}");
            }
            execute(
                m,
                &Query::update()
                    .table(DemandPoints::Table)
                    .value(DemandPoints::Day, day)
                    .value(DemandPoints::PlaceKey, key)
                    .and_where(Expr::col(DemandPoints::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("uq_demand_points_source_day_place")
                .table(DemandPoints::Table)
                .col(DemandPoints::Source)
                .col(DemandPoints::Day)
                .col(DemandPoints::PlaceKey)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("uq_demand_points_source_day_place")
                .table(DemandPoints::Table)
                .to_owned(),
        )
        .await?;
        for column in [DemandPoints::PlaceKey, DemandPoints::Day] {
            m.alter_table(
                Table::alter()
                    .table(DemandPoints::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(RateCounters::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SequenceCounters::Table).to_owned())
            .await
    }
}
