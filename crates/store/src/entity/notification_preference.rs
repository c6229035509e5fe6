use sea_orm::entity::prelude::*;

/// A person's own choices for their staff alerts.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// JSON: per event, the channels the person chose (an event not named
    /// takes the role's).
    #[sea_orm(column_type = "Text")]
    pub channels: String,
    /// `HH:MM`, local to `time_zone`; both or neither.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub time_zone: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
