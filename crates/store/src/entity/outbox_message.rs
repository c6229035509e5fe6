use sea_orm::entity::prelude::*;

/// One message to send outside the app, and how its delivery went.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `whatsapp`.
    pub channel: String,
    /// What caused it (`technician_assigned`, ...).
    pub event: String,
    /// The phone number in E.164 (`+62812...`).
    pub recipient: String,
    pub customer_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub locale: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// E-mails' subject.
    pub subject: Option<String>,
    /// The event's variables (JSON), for a template's parameters.
    pub vars: Option<String>,
    /// `queued`, `sending`, `sent`, `delivered`, `read`, `failed`, `skipped`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// The worker holding it, until when.
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
    pub provider: Option<String>,
    pub provider_message_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub last_error: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
