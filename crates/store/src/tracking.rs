//! The customer's "technician on the way" link: made when the technician
//! sets off (only its token's hash is kept), and what it shows to whoever
//! holds it — the ticket's number and place, the technician's name, and
//! while they are on the way their recent position and a rough arrival time.

use chrono::{DateTime, Utc};
use netcrew_domain::{
    GeoPoint,
    tickets::TicketStatus,
    tracking::{self, Stage},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use uuid::Uuid;

use crate::{
    entity::{technician_profile, ticket, tracking_link, user},
    sessions::{new_token, token_hash},
};

/// The path of a tracking page, after the public address.
pub fn path(token: &str) -> String {
    format!("/track/{token}")
}

/// Makes a tracking link for `ticket_id` in the caller's transaction;
/// answers its token (kept only as a hash).
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = new_token();
    tracking_link::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(ticket_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(tracking::link_expiry(now)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The technician's position as the tracking page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub at: GeoPoint,
    pub taken_at: DateTime<Utc>,
    /// Straight-line metres to the ticket's place.
    pub distance_m: f64,
    pub eta_minutes: u32,
}

/// What a tracking link shows.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub number: String,
    pub status: TicketStatus,
    pub stage: Stage,
    /// The technician's name, as customers see it elsewhere.
    pub technician: Option<String>,
    pub destination: GeoPoint,
    /// Only on the way, and only a recent one.
    pub position: Option<Seen>,
    pub expires_at: DateTime<Utc>,
}

/// What the link with `token` shows at `now`; `None` when there is no
/// such link or it no longer works (expired, or the ticket is over).
pub async fn view<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<View>, DbErr> {
    let Some(link) = tracking_link::Entity::find()
        .filter(tracking_link::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(t) = ticket::Entity::find_by_id(link.ticket_id).one(db).await? else {
        return Ok(None);
    };
    let Some(status) = TicketStatus::parse(&t.status) else {
        return Ok(None);
    };
    let Some(stage) = tracking::stage(status, link.expires_at, now) else {
        return Ok(None);
    };
    let Ok(destination) = GeoPoint::new(t.lat, t.lng) else {
        return Ok(None);
    };
    let technician = match t.technician_id {
        Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.name),
        None => None,
    };
    let mut position = None;
    if stage == Stage::OnTheWay
        && let Some(id) = t.technician_id
        && let Some(p) = technician_profile::Entity::find_by_id(id).one(db).await?
        && let (Some(lat), Some(lng), Some(taken_at)) = (p.last_lat, p.last_lng, p.last_position_at)
        && tracking::fresh(taken_at, now)
        && let Ok(at) = GeoPoint::new(lat, lng)
    {
        let distance_m = at.distance_m(&destination);
        position = Some(Seen {
            at,
            taken_at,
            distance_m,
            eta_minutes: tracking::eta_minutes(distance_m),
        });
    }
    Ok(Some(View {
        number: t.number,
        status,
        stage,
        technician,
        destination,
        position,
        expires_at: link.expires_at,
    }))
}

/// Forgets links that stopped working before `before` (the retention
/// sweep).
pub async fn forget_expired<C: ConnectionTrait>(
    db: &C,
    before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let r = tracking_link::Entity::delete_many()
        .filter(tracking_link::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
