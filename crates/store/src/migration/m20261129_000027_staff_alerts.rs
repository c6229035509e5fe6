//! Staff alerts beyond the bell: the admin's channels per event and role,
//! each person's own choices and quiet hours, and the devices that allowed
//! Web Push.

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
                .table(a("notification_routes"))
                .col(string(a("event")))
                .col(string(a("role")))
                .col(string(a("channels")))
                .col(uuid(a("updated_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("event")).col(a("role")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("notification_preferences"))
                .col(uuid(a("user_id")).primary_key())
                .col(text(a("channels")))
                .col(string_null(a("quiet_start")))
                .col(string_null(a("quiet_end")))
                .col(string(a("time_zone")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("push_subscriptions"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("user_id")))
                .col(text(a("endpoint")))
                .col(string(a("p256dh")))
                .col(string(a("auth")))
                .col(string(a("label")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("last_used_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_push_subscriptions_user")
                .table(a("push_subscriptions"))
                .col(a("user_id"))
                .to_owned(),
        )
        .await?;
        // The endpoint names one browser's subscription: kept once.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_push_subscriptions_endpoint ON push_subscriptions (endpoint)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "push_subscriptions",
            "notification_preferences",
            "notification_routes",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
