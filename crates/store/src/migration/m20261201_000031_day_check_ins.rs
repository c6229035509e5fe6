//! Technicians' check-ins: when (and where, if the phone said) each started
//! a working day; one per technician and local day.

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
                .table(a("day_check_ins"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("user_id")))
                // The local day, `YYYY-MM-DD` in the ISP's time zone.
                .col(string(a("day")))
                .col(timestamp_with_time_zone(a("checked_in_at")))
                .col(double_null(a("lat")))
                .col(double_null(a("lng")))
                .col(double_null(a("accuracy_m")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_day_check_ins_user_day")
                .table(a("day_check_ins"))
                .col(a("user_id"))
                .col(a("day"))
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("day_check_ins")).to_owned())
            .await
    }
}
