use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub actor_name: String,
    pub actor_role: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// JSON object with what the kind of event needs.
    #[sea_orm(column_type = "Text")]
    pub data: String,
    /// Whether the customer sees it in their timeline.
    pub public: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
