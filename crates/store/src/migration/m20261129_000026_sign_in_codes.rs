//! One-time codes customers sign in with, sent by WhatsApp: only their
//! hash, how often a wrong code was typed against each, when it expires
//! and when it was used.

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
                .table(a("sign_in_codes"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("user_id")))
                .col(string(a("code_hash")))
                .col(integer(a("tries")).default(0))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sign_in_codes_user")
                .table(a("sign_in_codes"))
                .col(a("user_id"))
                .col(a("created_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("sign_in_codes")).to_owned())
            .await
    }
}
