//! The one set of migrations, written with SeaQuery so the same code creates
//! the schema on SQLite and on PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261125_000001_plant_and_people;
mod m20261125_000002_sessions_and_audit;
mod m20261125_000003_resets_tokens_totp;
mod m20261125_000004_service_catalog_and_demand;
mod m20261125_000005_idempotency;
mod m20261128_000001_counters_and_limits;
mod m20261128_000011_customer_erasure;
mod m20261128_000012_customer_search;
mod m20261128_000013_customer_address_and_refs;
pub mod m20261128_000014_tickets;
mod m20261128_000016_ticket_package;
mod m20261128_000017_identity;
mod m20261128_000018_messages;
mod m20261128_000019_inbound;
mod m20261128_000020_dispatch;
mod m20261128_000021_ticket_crew;
mod m20261128_000022_routing_url;
mod m20261128_000023_inventory;
mod m20261129_000024_email;
mod m20261129_000025_stock_places_by_kind;
mod m20261129_000026_sign_in_codes;
mod m20261129_000027_staff_alerts;
mod m20261129_000028_job_records;
mod m20261129_000029_photo_evidence;
mod m20261130_000030_tracking_links;
mod m20261201_000031_day_check_ins;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_plant_and_people::Migration),
            Box::new(m20261125_000002_sessions_and_audit::Migration),
            Box::new(m20261125_000003_resets_tokens_totp::Migration),
            Box::new(m20261125_000004_service_catalog_and_demand::Migration),
            Box::new(m20261125_000005_idempotency::Migration),
            Box::new(m20261128_000001_counters_and_limits::Migration),
            Box::new(m20261128_000011_customer_erasure::Migration),
            Box::new(m20261128_000012_customer_search::Migration),
            Box::new(m20261128_000013_customer_address_and_refs::Migration),
            Box::new(m20261128_000014_tickets::Migration),
            Box::new(m20261128_000016_ticket_package::Migration),
            Box::new(m20261128_000017_identity::Migration),
            Box::new(m20261128_000018_messages::Migration),
            Box::new(m20261128_000019_inbound::Migration),
            Box::new(m20261128_000020_dispatch::Migration),
            Box::new(m20261128_000021_ticket_crew::Migration),
            Box::new(m20261128_000022_routing_url::Migration),
            Box::new(m20261128_000023_inventory::Migration),
            Box::new(m20261129_000024_email::Migration),
            Box::new(m20261129_000025_stock_places_by_kind::Migration),
            Box::new(m20261129_000026_sign_in_codes::Migration),
            Box::new(m20261129_000027_staff_alerts::Migration),
            Box::new(m20261129_000028_job_records::Migration),
            Box::new(m20261129_000029_photo_evidence::Migration),
            Box::new(m20261130_000030_tracking_links::Migration),
            Box::new(m20261201_000031_day_check_ins::Migration),
        ]
    }
}
