//! What Indonesian ISPs key a customer on: the parts of the address (RT/RW,
//! kelurahan, kecamatan, city) beside the free text, and the references
//! other systems know them by (the PPPoE username, the billing system's id),
//! each unique. On SQLite, names and addresses get an FTS5 index (trigram
//! tokens, so a part of a word is found as `LIKE '%...%'` found it).

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Customers {
    Table,
    Rt,
    Rw,
    Kelurahan,
    Kecamatan,
    City,
    PppoeUsername,
    BillingId,
    Name,
    CreatedAt,
    Id,
}

const COLUMNS: [(Customers, u32); 7] = [
    (Customers::Rt, 3),
    (Customers::Rw, 3),
    (Customers::Kelurahan, 100),
    (Customers::Kecamatan, 100),
    (Customers::City, 100),
    (Customers::PppoeUsername, 100),
    (Customers::BillingId, 100),
];

/// The FTS5 index of names and addresses, kept by triggers.
const SQLITE_FTS: [&str; 5] = [
    "CREATE VIRTUAL TABLE customers_fts USING fts5(name, address, content='customers', content_rowid='rowid', tokenize='trigram')",
    "INSERT INTO customers_fts(rowid, name, address) SELECT rowid, name, address FROM customers",
    "CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN \
       INSERT INTO customers_fts(rowid, name, address) VALUES (new.rowid, new.name, new.address); END",
    "CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN \
       INSERT INTO customers_fts(customers_fts, rowid, name, address) VALUES ('delete', old.rowid, old.name, old.address); END",
    "CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, address ON customers BEGIN \
       INSERT INTO customers_fts(customers_fts, rowid, name, address) VALUES ('delete', old.rowid, old.name, old.address); \
       INSERT INTO customers_fts(rowid, name, address) VALUES (new.rowid, new.name, new.address); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for (column, len) in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(string_len_null(column, len))
                    .to_owned(),
            )
            .await?;
        }
        for (name, column) in [
            ("idx_customers_pppoe_username", Customers::PppoeUsername),
            ("idx_customers_billing_id", Customers::BillingId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Customers::Table)
                    .col(column)
                    .unique()
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_customers_city_kecamatan")
                .table(Customers::Table)
                .col(Customers::City)
                .col(Customers::Kecamatan)
                .to_owned(),
        )
        .await?;
        // The sort orders of the list: by name, newest first.
        m.create_index(
            Index::create()
                .name("idx_customers_name")
                .table(Customers::Table)
                .col(Customers::Name)
                .col(Customers::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_customers_created_at")
                .table(Customers::Table)
                .col(Customers::CreatedAt)
                .col(Customers::Id)
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DatabaseBackend::Sqlite {
            let db = m.get_connection();
            for sql in SQLITE_FTS {
                db.execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Sqlite {
            let db = m.get_connection();
            for sql in [
                "DROP TRIGGER IF EXISTS customers_fts_insert",
                "DROP TRIGGER IF EXISTS customers_fts_delete",
                "DROP TRIGGER IF EXISTS customers_fts_update",
                "DROP TABLE IF EXISTS customers_fts",
            ] {
                db.execute_unprepared(sql).await?;
            }
        }
        for name in [
            "idx_customers_pppoe_username",
            "idx_customers_billing_id",
            "idx_customers_city_kecamatan",
            "idx_customers_name",
            "idx_customers_created_at",
        ] {
            m.drop_index(Index::drop().name(name).table(Customers::Table).to_owned())
                .await?;
        }
        for (column, _) in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
