use sea_orm::entity::prelude::*;

/// One entry of a job's documentation as it was recorded (append-only;
/// `hash` covers `prev_hash` and this row).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    /// The checklist entry's key (or `rx_power_exception`).
    pub entry: String,
    /// JSON; `null` takes the entry back.
    #[sea_orm(column_type = "Text")]
    pub value: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
