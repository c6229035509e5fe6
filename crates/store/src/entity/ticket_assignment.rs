use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub technician_id: Uuid,
    /// `automatic`, `suggested` (a supervisor confirmed a suggestion),
    /// `manual` or `override` (against the ranking, with a reason).
    pub how: String,
    pub score: Option<f64>,
    /// JSON: the chosen technician's scored parts, when ranked.
    #[sea_orm(column_type = "Text")]
    pub explanation: String,
    /// JSON: the next best, and how many were left out and why.
    #[sea_orm(column_type = "Text")]
    pub alternatives: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: String,
    pub decided_at: DateTimeUtc,
    /// `pending`, `accepted`, `declined`, `timed_out` or `replaced`.
    pub outcome: String,
    pub outcome_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub outcome_reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
