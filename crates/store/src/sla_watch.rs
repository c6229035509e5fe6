//! What happens to tickets with time alone: warnings at 80 % and 100 % of a
//! target, and resolved tickets closing by themselves. Run every little
//! while by each instance; a warning is a row keyed by ticket, cycle,
//! target and stage, so however many instances run and however often they
//! restart, each warning is given once.

use chrono::{DateTime, Utc};
use netcrew_domain::tickets::{
    SlaTarget, TicketStatus,
    calendar::SlaStage,
    sla::{SlaState, owed_stage},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, sea_query::OnConflict,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{sla_escalation, ticket, ticket_event},
    feed::{self, Concerns},
    notifications::{self, Note},
    tickets::{self, MoveRequest, Person, Scope, Settings, Versioned},
};

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub at_risk: usize,
    pub breached: usize,
    pub closed: usize,
}

/// Gives the warnings that are due and closes resolved tickets whose time
/// has come; at most `limit` tickets of each per call.
pub async fn sweep(
    db: &Db,
    settings: &Settings,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Swept, Error> {
    use ticket::Column as T;
    let mut out = Swept::default();
    let due = ticket::Entity::find()
        .filter(T::IsOpen.eq(true))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(T::SlaState.eq(SlaState::OnTrack.as_str()))
                        .add(
                            Condition::any()
                                .add(T::ResponseWarnAt.lte(now))
                                .add(T::ResolutionWarnAt.lte(now)),
                        ),
                )
                .add(
                    Condition::all()
                        .add(T::SlaState.ne(SlaState::Breached.as_str()))
                        .add(T::NextDueAt.lte(now)),
                ),
        )
        .order_by_asc(T::NextDueAt)
        .limit(limit)
        .all(db.conn())
        .await?;
    for t in due {
        let (risk, breach) = escalate(db, t, now).await?;
        out.at_risk += risk;
        out.breached += breach;
    }
    let ripe: Vec<(Uuid, i32)> = ticket::Entity::find()
        .select_only()
        .column(T::Id)
        .column(T::Version)
        .filter(T::Status.eq(TicketStatus::Resolved.as_str()))
        .filter(T::ResolvedAt.lte(now - settings.auto_close_after))
        .limit(limit)
        .into_tuple()
        .all(db.conn())
        .await?;
    for (id, version) in ripe {
        let closed = tickets::transition(
            db,
            &Person::system(),
            &Scope::All,
            Versioned { id, version },
            MoveRequest {
                to: Some(TicketStatus::Closed),
                ..MoveRequest::default()
            },
            settings,
            now,
        )
        .await;
        match closed {
            Ok(_) => out.closed += 1,
            // Another instance (or a person) got there first.
            Err(Error::Stale(_) | Error::Refused { .. } | Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The warnings owed for one ticket: (at risk given, breaches given).
async fn escalate(db: &Db, t: ticket::Model, now: DateTime<Utc>) -> Result<(usize, usize), Error> {
    let txn = db.begin_write().await?;
    let mut given = (0, 0);
    let mut worst = SlaState::parse(&t.sla_state).unwrap_or(SlaState::OnTrack);
    for (target, warn, due) in [
        (SlaTarget::Response, t.response_warn_at, t.response_due_at),
        (
            SlaTarget::Resolution,
            t.resolution_warn_at,
            t.resolution_due_at,
        ),
    ] {
        let Some(stage) = owed_stage(warn, due, now) else {
            continue;
        };
        worst = worst.max(stage.into());
        // Owed at breach: the at-risk warning too, if it was never given.
        let stages: &[SlaStage] = if stage == SlaStage::Breached {
            &[SlaStage::AtRisk, SlaStage::Breached]
        } else {
            &[SlaStage::AtRisk]
        };
        for s in stages {
            let name = SlaState::from(*s).as_str();
            let inserted = sla_escalation::Entity::insert(sla_escalation::ActiveModel {
                ticket_id: Set(t.id),
                cycle: Set(t.cycle),
                target: Set(target.as_str().to_string()),
                stage: Set(name.to_string()),
                at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([
                    sla_escalation::Column::TicketId,
                    sla_escalation::Column::Cycle,
                    sla_escalation::Column::Target,
                    sla_escalation::Column::Stage,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
            if inserted == 0 {
                continue;
            }
            let breached = *s == SlaStage::Breached;
            if breached {
                given.1 += 1;
            } else {
                given.0 += 1;
            }
            let kind = if breached {
                "sla_breached"
            } else {
                "sla_at_risk"
            };
            ticket_event::ActiveModel {
                id: Set(Uuid::now_v7()),
                ticket_id: Set(t.id),
                at: Set(now),
                actor_id: Set(None),
                actor_name: Set("NetCrew".to_string()),
                actor_role: Set("system".to_string()),
                kind: Set(kind.to_string()),
                from_status: Set(None),
                to_status: Set(None),
                reason: Set(String::new()),
                data: Set(json!({"target": target.as_str(), "due_at": due}).to_string()),
                public: Set(false),
            }
            .insert(&*txn)
            .await?;
            // At risk: the area's supervisors; breached: management too.
            let to = tickets::watchers(&*txn, t.area_id, breached).await?;
            notifications::notify(
                &*txn,
                &to,
                &Note {
                    kind,
                    ticket: Some((t.id, t.number.clone())),
                    outage_id: t.outage_id,
                    data: json!({"target": target.as_str(), "due_at": due, "priority": t.priority}),
                },
                now,
            )
            .await?;
        }
    }
    if worst.as_str() != t.sla_state {
        // The state is derived from time: the ticket's version (what a
        // writer must name) does not move for it.
        ticket::Entity::update_many()
            .col_expr(
                ticket::Column::SlaState,
                sea_orm::sea_query::Expr::value(worst.as_str()),
            )
            .filter(ticket::Column::Id.eq(t.id))
            .exec(&*txn)
            .await?;
        feed::publish(
            &*txn,
            "ticket.internal",
            Concerns {
                ticket_id: Some(t.id),
                outage_id: t.outage_id,
                customer_id: Some(t.customer_id),
                technician_id: t.technician_id,
                area_id: Some(t.area_id),
            },
            json!({"change": "ticket.sla", "ticket_id": t.id, "number": t.number, "status": t.status, "version": t.version, "sla_state": worst.as_str()}),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(given)
}
