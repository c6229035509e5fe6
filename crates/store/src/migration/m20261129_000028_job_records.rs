//! A job's documentation as an append-only log chained by hashes, and
//! settings kept by key (the healthy optical band first).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("job_records"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("ticket_id")))
                .col(string(a("entry")))
                .col(text(a("value")))
                .col(uuid_null(a("recorded_by")))
                .col(timestamp_with_time_zone(a("recorded_at")))
                .col(string(a("prev_hash")))
                .col(string(a("hash")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_job_records_ticket")
                .table(a("job_records"))
                .col(a("ticket_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("settings"))
                .col(string(a("key")).primary_key())
                .col(text(a("value")))
                .col(uuid_null(a("updated_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["settings", "job_records"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
