use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_types")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub default_priority: String,
    pub response_sla_minutes: i32,
    pub resolution_sla_minutes: i32,
    /// JSON list of documentation items a job of this type needs.
    #[sea_orm(column_type = "Text")]
    pub required_docs: String,
    pub active: bool,
    /// The skill a technician needs for it, and at what level (1–5).
    pub skill_id: Option<Uuid>,
    pub skill_level: i32,
    /// How long a job of this type takes, for booking and planning.
    pub expected_minutes: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The priority its jobs get unless told otherwise.
    pub fn priority(&self) -> netcrew_domain::service::Priority {
        self.default_priority
            .parse()
            .unwrap_or(netcrew_domain::service::Priority::Normal)
    }

    /// The documentation a job of this type needs, in order.
    pub fn docs(&self) -> Vec<netcrew_domain::service::DocItem> {
        serde_json::from_str::<Vec<String>>(&self.required_docs)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| netcrew_domain::service::DocItem::parse(d))
            .collect()
    }
}
