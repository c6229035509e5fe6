use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "material_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub technician_id: Uuid,
    /// `requested`, `issued`, `rejected` or `cancelled`.
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub decision_note: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
