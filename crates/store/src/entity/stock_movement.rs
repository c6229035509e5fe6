use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The caller's own id for the movement (made once however often sent).
    #[sea_orm(unique)]
    pub request_id: Option<Uuid>,
    /// `netcrew_domain::inventory::MovementKind`.
    pub kind: String,
    pub item_id: Uuid,
    pub quantity: i64,
    pub from_location_id: Option<Uuid>,
    pub to_location_id: Option<Uuid>,
    pub asset_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// Rupiah per unit at the time.
    pub unit_cost: i64,
    pub approved_by: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
