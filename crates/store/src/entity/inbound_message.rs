use sea_orm::entity::prelude::*;

/// A WhatsApp message a customer (or anyone) sent the ISP.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `fonnte` or `wablas`.
    pub provider: String,
    /// The gateway's id of the message (or a digest of it): a replay is
    /// taken once.
    #[sea_orm(unique)]
    pub dedup_key: String,
    /// The sender's number in E.164.
    pub sender: String,
    pub sender_name: String,
    pub customer_id: Option<Uuid>,
    /// The open ticket it was attached to as a comment.
    pub ticket_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub received_at: DateTimeUtc,
    /// When CS dealt with it (answered, opened a ticket); attached ones
    /// are handled when they arrive.
    pub handled_at: Option<DateTimeUtc>,
    pub handled_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
