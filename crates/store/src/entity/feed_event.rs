use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feed_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub kind: String,
    pub ticket_id: Option<Uuid>,
    pub outage_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub technician_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub data: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
