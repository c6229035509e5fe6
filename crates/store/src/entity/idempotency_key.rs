use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whose key it is: a hash of the session or token, or the address.
    pub scope: String,
    pub key: String,
    /// SHA-256 of method, path and body.
    pub request_hash: String,
    /// `None` while the first request is still running.
    pub status: Option<i32>,
    pub response_body: Option<Vec<u8>>,
    pub response_content_type: Option<String>,
    pub response_location: Option<String>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
