use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "technician_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub home_lat: Option<f64>,
    pub home_lng: Option<f64>,
    pub home_address: String,
    pub max_jobs_per_day: i32,
    /// `staff` or `partner` (mitra).
    pub employer: String,
    pub partner_name: String,
    /// JSON: seven lists (Monday first) of `HH:MM-HH:MM` spans.
    #[sea_orm(column_type = "Text")]
    pub work_pattern: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub ramadan_pattern: Option<String>,
    pub last_lat: Option<f64>,
    pub last_lng: Option<f64>,
    pub last_accuracy_m: Option<f64>,
    pub last_position_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
