//! WhatsApp messages customers send: attached to their open ticket as a
//! comment, or kept for CS to answer (and turn into a ticket). One row per
//! gateway message, so a replayed webhook is taken once.

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
                .table(a("inbound_messages"))
                .col(uuid(a("id")).primary_key())
                .col(string(a("provider")))
                .col(string(a("dedup_key")).unique_key())
                .col(string(a("sender")))
                .col(string(a("sender_name")).default(""))
                .col(uuid_null(a("customer_id")))
                .col(uuid_null(a("ticket_id")))
                .col(text(a("body")))
                .col(timestamp_with_time_zone(a("received_at")))
                .col(timestamp_with_time_zone_null(a("handled_at")))
                .col(uuid_null(a("handled_by")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inbound_open")
                .table(a("inbound_messages"))
                .col(a("handled_at"))
                .col(a("received_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("inbound_messages")).to_owned())
            .await
    }
}
