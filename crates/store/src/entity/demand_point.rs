use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "demand_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lat: f64,
    pub lng: f64,
    pub area_id: Option<Uuid>,
    /// `coverage_check` or `registration`.
    pub source: String,
    pub created_at: DateTimeUtc,
    /// The ISP's calendar day (`YYYY-MM-DD`, WIB) the point counts for.
    pub day: String,
    /// The grid cell of the place (`netcrew_domain::service::demand_place_key`);
    /// one point per source, day and place.
    pub place_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
