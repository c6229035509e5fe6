use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub kind: String,
    pub status: String,
    pub is_open: bool,
    pub before_pending: Option<String>,
    pub pending_reason: Option<String>,
    pub service_type_id: Uuid,
    pub problem_category_id: Option<Uuid>,
    pub priority: String,
    pub source: String,
    pub customer_id: Uuid,
    pub area_id: Uuid,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub appointment_date: Option<String>,
    pub appointment_window: Option<String>,
    pub technician_id: Option<Uuid>,
    /// JSON list of tags.
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    pub duplicate_of: Option<Uuid>,
    pub outage_id: Option<Uuid>,
    pub response_minutes: i32,
    pub resolution_minutes: i32,
    /// When the current clocks started (creation, or the last reopening).
    pub clock_started_at: DateTimeUtc,
    /// When the response target reaches 80 % and 100 %; `None` once met or while paused.
    pub response_warn_at: Option<DateTimeUtc>,
    pub response_due_at: Option<DateTimeUtc>,
    /// When the resolution target reaches 80 % and 100 %; `None` once resolved or while paused.
    pub resolution_warn_at: Option<DateTimeUtc>,
    pub resolution_due_at: Option<DateTimeUtc>,
    /// The earliest due time still running, or [`NO_DUE`] (paused, met,
    /// done): the order of "by SLA risk".
    pub next_due_at: DateTimeUtc,
    /// `on_track`, `at_risk`, `breached` (the worse of the two targets).
    pub sla_state: String,
    pub accepted_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub remote_reason: Option<String>,
    pub visits: i32,
    /// How many times the ticket was reopened (each reopening starts the clocks again).
    pub cycle: i32,
    pub rating: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub rating_comment: String,
    pub created_by: Option<Uuid>,
    /// An upgrade: the package the customer moves to when it is done.
    pub package_id: Option<Uuid>,
    /// An installation: when CS verified the identity, place and package.
    pub verified_at: Option<DateTimeUtc>,
    pub verified_by: Option<Uuid>,
    /// An installation: when the fee or down payment was marked paid.
    pub fee_paid_at: Option<DateTimeUtc>,
    pub fee_reference: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The due time of a ticket no clock runs for: after every real one.
pub fn no_due() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from_timestamp(253_402_214_400, 0).unwrap_or_default()
}

/// Documented name for [`no_due`].
pub const NO_DUE: &str = "9999-12-31T00:00:00Z";
