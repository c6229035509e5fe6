//! The package an upgrade ticket moves the customer to (set when it is
//! opened or before it is done; the customer's package changes when the
//! ticket is resolved).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("tickets"))
                .add_column(uuid_null(Alias::new("package_id")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("tickets"))
                .drop_column(Alias::new("package_id"))
                .to_owned(),
        )
        .await
    }
}
