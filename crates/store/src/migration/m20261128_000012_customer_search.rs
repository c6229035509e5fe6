//! Customer search through indexes: an e-mail address (or its start) is a
//! range on an index of its own, like phones and customer numbers. On
//! PostgreSQL, parts of names and addresses are found through trigram
//! indexes (`pg_trgm`, which PostgreSQL ships and lets a database owner
//! enable); SQLite reads the table for those.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_customers_email")
                .table(Customers::Table)
                .col(Customers::Email)
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            // The extension lives in `public` whatever the search path, so
            // every schema of the database finds its operator class there.
            let conn = m.get_connection();
            // Instances (or test runs) migrating at once may race to create
            // it; the loser finds it made.
            conn.execute_unprepared(
                "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; \
                 EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$",
            )
            .await?;
            conn.execute_unprepared(
                "CREATE INDEX idx_customers_name_trgm ON customers \
                 USING gin (lower(name) public.gin_trgm_ops)",
            )
            .await?;
            conn.execute_unprepared(
                "CREATE INDEX idx_customers_address_trgm ON customers \
                 USING gin (lower(address) public.gin_trgm_ops)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            let conn = m.get_connection();
            conn.execute_unprepared("DROP INDEX IF EXISTS idx_customers_name_trgm")
                .await?;
            conn.execute_unprepared("DROP INDEX IF EXISTS idx_customers_address_trgm")
                .await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_customers_email")
                .table(Customers::Table)
                .to_owned(),
        )
        .await
    }
}
