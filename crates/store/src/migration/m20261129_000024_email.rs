//! E-mail in the outbox: a message's subject (WhatsApp messages have none);
//! and each message's variables, which fill the parameters of the Cloud
//! API's approved templates when it is sent.

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
                .table(a("outbox_messages"))
                .add_column(ColumnDef::new(a("subject")).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("outbox_messages"))
                .add_column(ColumnDef::new(a("vars")).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("outbox_messages"))
                .drop_column(a("subject"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("outbox_messages"))
                .drop_column(a("vars"))
                .to_owned(),
        )
        .await
    }
}
