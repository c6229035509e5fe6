use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "odps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub odc_id: Uuid,
    pub area_id: Uuid,
    pub lat: f64,
    pub lng: f64,
    pub port_count: i32,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The status as set (for an ODP, before its ports are counted).
    pub fn status(&self) -> netcrew_domain::PlantStatus {
        netcrew_domain::PlantStatus::parse(&self.status)
            .unwrap_or(netcrew_domain::PlantStatus::Active)
    }
}
