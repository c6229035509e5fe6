//! CS verification before an installation, and how long photos are kept:
//!
//! - `customer_identities`: the subscriber's NIK (sealed; the last four
//!   digits apart for the masked view) and where the sealed KTP photo is
//!   kept, and when it was removed after its retention;
//! - on `tickets`: when and by whom an installation was verified, and when
//!   its fee or down payment was marked paid, with the payment reference;
//! - on `ticket_attachments`: when a job photo was removed after its
//!   retention (the row stays for the timeline).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// SQLite takes one column per `ALTER TABLE`.
async fn add(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(a(table))
            .add_column(col.to_owned())
            .to_owned(),
    )
    .await
}

async fn drop(m: &SchemaManager<'_>, table: &str, col: &str) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(a(table))
            .drop_column(a(col))
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("customer_identities"))
                .col(uuid(a("customer_id")).primary_key())
                .col(blob_null(a("nik_sealed")))
                .col(string_null(a("nik_last4")))
                .col(string_null(a("photo_key")))
                .col(string_null(a("photo_type")))
                .col(timestamp_with_time_zone_null(a("photo_recorded_at")))
                .col(timestamp_with_time_zone_null(a("photo_removed_at")))
                .col(uuid_null(a("recorded_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("customer_identities"), a("customer_id"))
                        .to(a("customers"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_customer_identities_photo_recorded")
                .table(a("customer_identities"))
                .col(a("photo_recorded_at"))
                .to_owned(),
        )
        .await?;
        add(
            m,
            "tickets",
            timestamp_with_time_zone_null(a("verified_at")),
        )
        .await?;
        add(m, "tickets", uuid_null(a("verified_by"))).await?;
        add(
            m,
            "tickets",
            timestamp_with_time_zone_null(a("fee_paid_at")),
        )
        .await?;
        add(m, "tickets", string_null(a("fee_reference"))).await?;
        add(
            m,
            "ticket_attachments",
            timestamp_with_time_zone_null(a("removed_at")),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop(m, "ticket_attachments", "removed_at").await?;
        for col in ["fee_reference", "fee_paid_at", "verified_by", "verified_at"] {
            drop(m, "tickets", col).await?;
        }
        m.drop_table(Table::drop().table(a("customer_identities")).to_owned())
            .await
    }
}
