//! The links customers follow their technician with ("technician on the
//! way"): only each token's hash, the ticket, and when it stops working.

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
                .table(a("tracking_links"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("ticket_id")))
                .col(string(a("token_hash")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tracking_links_token")
                .table(a("tracking_links"))
                .col(a("token_hash"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tracking_links_expires")
                .table(a("tracking_links"))
                .col(a("expires_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("tracking_links")).to_owned())
            .await
    }
}
