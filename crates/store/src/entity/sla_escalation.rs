use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_escalations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ticket_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cycle: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
