use sea_orm::entity::prelude::*;

/// A subscriber's identity as CS recorded it: the sealed NIK and the
/// sealed KTP photo's key in the file store.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_identities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    /// The NIK, sealed with the identity key (`None` until recorded).
    #[sea_orm(column_type = "Blob", nullable)]
    pub nik_sealed: Option<Vec<u8>>,
    pub nik_last4: Option<String>,
    /// Where the sealed photo is kept; `None` when there is none (never
    /// sent, or removed after its retention).
    pub photo_key: Option<String>,
    pub photo_type: Option<String>,
    pub photo_recorded_at: Option<DateTimeUtc>,
    pub photo_removed_at: Option<DateTimeUtc>,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    /// The sealed bytes stay out of logs too.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomerIdentity")
            .field("customer_id", &self.customer_id)
            .field("nik_last4", &self.nik_last4)
            .field("photo", &self.photo_key.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
