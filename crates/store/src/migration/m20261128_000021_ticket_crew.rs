//! A crew on a ticket: the technician on it is the lead, accountable for
//! it; the members work it with them (two on one motorbike).

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
                .table(a("ticket_crew"))
                .col(uuid(a("ticket_id")))
                .col(uuid(a("user_id")))
                .col(timestamp_with_time_zone(a("added_at")))
                .primary_key(Index::create().col(a("ticket_id")).col(a("user_id")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ticket_crew_user")
                .table(a("ticket_crew"))
                .col(a("user_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("ticket_crew")).to_owned())
            .await
    }
}
