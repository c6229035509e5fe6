//! Messages to customers outside the app (WhatsApp first):
//!
//! - `outbox_messages`: each message, written in the transaction of the
//!   change that causes it, then sent by one worker (claimed with a lease),
//!   tried again with backoff, its delivery recorded;
//! - `message_channels`: each channel's settings as the admin made them
//!   (the gateways' tokens sealed);
//! - `message_templates`: the admin's wording per event and language (the
//!   built-in wording otherwise).

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
                .table(a("outbox_messages"))
                .col(uuid(a("id")).primary_key())
                .col(string(a("channel")))
                .col(string(a("event")))
                .col(string(a("recipient")))
                .col(uuid_null(a("customer_id")))
                .col(uuid_null(a("ticket_id")))
                .col(string_null(a("ticket_number")))
                .col(string(a("locale")))
                .col(text(a("body")))
                .col(string(a("status")))
                .col(integer(a("attempts")).default(0))
                .col(timestamp_with_time_zone(a("next_attempt_at")))
                .col(string_null(a("claimed_by")))
                .col(timestamp_with_time_zone_null(a("claimed_until")))
                .col(string_null(a("provider")))
                .col(string_null(a("provider_message_id")))
                .col(text(a("last_error")).default(""))
                .col(string(a("idempotency_key")).unique_key())
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("sent_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_outbox_due", &["status", "next_attempt_at"][..]),
            (
                "idx_outbox_customer_created",
                &["customer_id", "created_at"][..],
            ),
            ("idx_outbox_created", &["created_at", "id"][..]),
            ("idx_outbox_provider_id", &["provider_message_id"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(a("outbox_messages"));
            for c in cols {
                index.col(a(c));
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(a("message_channels"))
                .col(string(a("channel")).primary_key())
                .col(boolean(a("enabled")).default(false))
                .col(text(a("config")))
                .col(blob_null(a("secrets_sealed")))
                .col(uuid_null(a("updated_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("message_templates"))
                .col(string(a("event")))
                .col(string(a("locale")))
                .col(text(a("body")))
                .col(uuid_null(a("updated_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("event")).col(a("locale")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["message_templates", "message_channels", "outbox_messages"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
