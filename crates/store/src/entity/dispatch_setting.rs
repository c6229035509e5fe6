use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// `automatic` or `suggest`.
    pub mode: String,
    /// JSON of `netcrew_dispatch::Weights`.
    #[sea_orm(column_type = "Text")]
    pub weights: String,
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub accept_minutes: i32,
    pub ramadan_from: Option<String>,
    pub ramadan_to: Option<String>,
    /// An OSRM-compatible routing server's base address; none: estimates.
    pub routing_url: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
