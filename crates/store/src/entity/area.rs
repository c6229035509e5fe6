use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "areas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub city: String,
    pub center_lat: f64,
    pub center_lng: f64,
    pub radius_m: i32,
    /// IANA time zone of the area's service calendar (WIB, WITA, WIT).
    pub time_zone: String,
    /// Whether SLA clocks run in business hours only (else 24/7).
    pub business_hours: bool,
    /// Local opening and closing time, `HH:MM`.
    pub opens_at: String,
    pub closes_at: String,
    /// Working days, Monday first, `1` = working (`1111110`).
    pub work_days: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
