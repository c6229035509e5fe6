use sea_orm::entity::prelude::*;

/// A channel's settings; the secrets (gateway tokens) sealed.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "message_channels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    pub enabled: bool,
    /// JSON: the settings that are no secret.
    #[sea_orm(column_type = "Text")]
    pub config: String,
    #[sea_orm(column_type = "Blob", nullable)]
    pub secrets_sealed: Option<Vec<u8>>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageChannel")
            .field("channel", &self.channel)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
