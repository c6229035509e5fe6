//! Remembered answers to requests sent with an `Idempotency-Key`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    Scope,
    Key,
    RequestHash,
    Status,
    ResponseBody,
    ResponseContentType,
    ResponseLocation,
    CreatedAt,
    CompletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(uuid(IdempotencyKeys::Id).primary_key())
                .col(string(IdempotencyKeys::Scope))
                .col(string(IdempotencyKeys::Key))
                .col(string(IdempotencyKeys::RequestHash))
                .col(integer_null(IdempotencyKeys::Status))
                .col(blob_null(IdempotencyKeys::ResponseBody))
                .col(string_null(IdempotencyKeys::ResponseContentType))
                .col(string_null(IdempotencyKeys::ResponseLocation))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(IdempotencyKeys::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_idempotency_scope_key")
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::Scope)
                .col(IdempotencyKeys::Key)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_idempotency_created")
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await
    }
}
