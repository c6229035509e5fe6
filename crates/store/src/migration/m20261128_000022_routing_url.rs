//! The routing server dispatch may ask for travel times by road (an
//! OSRM-compatible table service); none: straight-line estimates.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("dispatch_settings"))
                .add_column(ColumnDef::new(a("routing_url")).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("dispatch_settings"))
                .drop_column(a("routing_url"))
                .to_owned(),
        )
        .await
    }
}
