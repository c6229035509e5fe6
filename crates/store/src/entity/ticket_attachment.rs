use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub internal: bool,
    pub uploaded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// When the file was removed after its retention (the row stays).
    pub removed_at: Option<DateTimeUtc>,
    /// When and where the phone took the photo (as the app reported it).
    pub taken_at: Option<DateTimeUtc>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// SHA-256 of the bytes kept (hex).
    pub sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
