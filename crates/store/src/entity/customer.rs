use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub customer_number: String,
    pub name: String,
    pub phone: String,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub area_id: Uuid,
    pub package_id: Uuid,
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// Installation date the customer asked for (`YYYY-MM-DD`).
    pub preferred_date: Option<String>,
    /// Time window the customer asked for, e.g. `08:00-12:00`.
    pub preferred_window: Option<String>,
    /// How the record came in: `staff`, `portal` or `import`.
    pub source: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the personal data was erased at the customer's request.
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
