use sea_orm::entity::prelude::*;

/// The admin's channels for one staff alert and role (none stored: the
/// built-in ones).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_routes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    /// Comma-separated channel names (empty: the bell only).
    pub channels: String,
    pub updated_by: Uuid,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
