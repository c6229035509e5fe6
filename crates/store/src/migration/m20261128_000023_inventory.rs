//! Inventory: the item catalogue, the places stock can be, the append-only
//! movement ledger, the balances kept from it in the same transaction, the
//! serial-numbered assets, and reorder levels.

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
                .table(a("inventory_items"))
                .col(uuid(a("id")).primary_key())
                .col(string(a("code")).unique_key())
                .col(string(a("name")))
                .col(string(a("kind")))
                .col(boolean(a("serial_tracked")))
                .col(string(a("unit")))
                .col(big_integer(a("unit_cost")))
                .col(string_null(a("terms")))
                .col(boolean(a("active")).default(true))
                .col(integer(a("version")).default(1))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("stock_locations"))
                .col(uuid(a("id")).primary_key())
                .col(string(a("kind")))
                .col(string(a("name")))
                .col(uuid_null(a("user_id")).unique_key())
                .col(uuid_null(a("customer_id")).unique_key())
                .col(boolean(a("active")).default(true))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("stock_balances"))
                .col(uuid(a("item_id")))
                .col(uuid(a("location_id")))
                .col(big_integer(a("quantity")))
                .primary_key(Index::create().col(a("item_id")).col(a("location_id")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_balances_location")
                .table(a("stock_balances"))
                .col(a("location_id"))
                .col(a("item_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("assets"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("item_id")))
                .col(string(a("serial")).unique_key())
                .col(string_null(a("mac")).unique_key())
                .col(uuid(a("location_id")))
                .col(string_null(a("terms")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_assets_location")
                .table(a("assets"))
                .col(a("location_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("stock_movements"))
                .col(uuid(a("id")).primary_key())
                .col(uuid_null(a("request_id")).unique_key())
                .col(string(a("kind")))
                .col(uuid(a("item_id")))
                .col(big_integer(a("quantity")))
                .col(uuid_null(a("from_location_id")))
                .col(uuid_null(a("to_location_id")))
                .col(uuid_null(a("asset_id")))
                .col(uuid_null(a("ticket_id")))
                .col(text(a("reason")).default(""))
                .col(big_integer(a("unit_cost")))
                .col(uuid_null(a("approved_by")))
                .col(uuid_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_stock_movements_item", "item_id"),
            ("idx_stock_movements_from", "from_location_id"),
            ("idx_stock_movements_to", "to_location_id"),
            ("idx_stock_movements_asset", "asset_id"),
            ("idx_stock_movements_ticket", "ticket_id"),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(a("stock_movements"))
                    .col(a(col))
                    .col(a("id"))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(a("reorder_levels"))
                .col(uuid(a("item_id")))
                .col(uuid(a("location_id")))
                .col(big_integer(a("minimum")))
                .primary_key(Index::create().col(a("item_id")).col(a("location_id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("material_requests"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("technician_id")))
                .col(string(a("status")))
                .col(text(a("note")).default(""))
                .col(uuid_null(a("decided_by")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .col(text(a("decision_note")).default(""))
                .col(integer(a("version")).default(1))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_material_requests_technician")
                .table(a("material_requests"))
                .col(a("technician_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("material_request_lines"))
                .col(uuid(a("request_id")))
                .col(uuid(a("item_id")))
                .col(big_integer(a("quantity")))
                .primary_key(Index::create().col(a("request_id")).col(a("item_id")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "material_request_lines",
            "material_requests",
            "reorder_levels",
            "stock_movements",
            "assets",
            "stock_balances",
            "stock_locations",
            "inventory_items",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
