use sea_orm::entity::prelude::*;

/// A browser or phone that allowed Web Push for its person.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "push_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// The push service's address for this browser (a capability: not
    /// shown back).
    #[sea_orm(column_type = "Text")]
    pub endpoint: String,
    /// The browser's P-256 public key and auth secret (base64url).
    pub p256dh: String,
    pub auth: String,
    /// What the person calls the device (from its browser by default).
    pub label: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
