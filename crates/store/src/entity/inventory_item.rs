use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inventory_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `netcrew_domain::inventory::ItemKind`.
    pub kind: String,
    pub serial_tracked: bool,
    /// `pcs` or `m`.
    pub unit: String,
    /// Rupiah per unit.
    pub unit_cost: i64,
    /// Default terms at a customer's home (equipment): `loaned`, `rented`
    /// or `sold`.
    pub terms: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
