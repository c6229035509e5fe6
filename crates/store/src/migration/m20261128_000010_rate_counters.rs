//! Counters of attempts per key and time window, for limits that must hold
//! under parallel requests and across several instances (sign-in throttling).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateCounters {
    Table,
    Key,
    WindowStart,
    Hits,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RateCounters::Table)
                .col(string(RateCounters::Key))
                .col(timestamp_with_time_zone(RateCounters::WindowStart))
                .col(big_integer(RateCounters::Hits))
                .primary_key(
                    Index::create()
                        .col(RateCounters::Key)
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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RateCounters::Table).to_owned())
            .await
    }
}
