//! Photos as evidence: when and where the phone took each one, and the
//! hash of the bytes kept (a job's documentation chains these hashes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = [
            timestamp_with_time_zone_null(a("taken_at")),
            double_null(a("lat")),
            double_null(a("lng")),
            double_null(a("accuracy_m")),
            string_null(a("sha256")),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(a("ticket_attachments"))
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in ["sha256", "accuracy_m", "lng", "lat", "taken_at"] {
            m.alter_table(
                Table::alter()
                    .table(a("ticket_attachments"))
                    .drop_column(a(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
