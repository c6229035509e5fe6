//! Stock places by kind and name: stock on hand over the ISP's own places
//! (warehouses, technicians, RMA, written off) reads only those, not the
//! hundreds of thousands of customers' homes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_stock_locations_kind")
                .table(a("stock_locations"))
                .col(a("kind"))
                .col(a("name"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_stock_locations_kind")
                .table(a("stock_locations"))
                .to_owned(),
        )
        .await
    }
}
