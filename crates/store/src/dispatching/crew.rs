//! A crew on a ticket: the technician on it is the lead, accountable; the
//! members work it with them (two on one motorbike). Members see the job
//! in their list and live, comment and add photos; the moves are the
//! lead's.

use super::*;
use crate::{
    entity::ticket_crew,
    tickets::{Entry, Stamp},
};

/// At most this many members besides the lead.
pub const CREW_MAX: usize = 4;

/// Sets the members of a ticket's crew read at `at` (an empty list
/// leaves the lead alone); new members are told.
pub async fn set_crew(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    members: Vec<Uuid>,
    now: DateTime<Utc>,
) -> Result<(ticket::Model, Vec<Uuid>), Error> {
    let mut c = Checks::default();
    let mut seen = BTreeSet::new();
    for (i, m) in members.iter().enumerate() {
        if !seen.insert(*m) {
            c.fail(
                &format!("member_ids.{i}"),
                "duplicate",
                "each technician once",
            );
        }
    }
    if members.len() > CREW_MAX {
        c.fail(
            "member_ids",
            "too_many",
            format!("at most {CREW_MAX} besides the lead"),
        );
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let current = tickets::find(&*txn, at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".into()))?;
    if !current.is_open {
        return Err(Error::Conflict(
            "The ticket is finished; its crew stays as it was.".into(),
        ));
    }
    let Some(lead) = current.technician_id else {
        return Err(Error::Conflict(
            "Assign the ticket to its lead technician first.".into(),
        ));
    };
    let found: BTreeMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().copied()))
        .all(&*txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut c = Checks::default();
    for (i, m) in members.iter().enumerate() {
        let field = format!("member_ids.{i}");
        match found.get(m) {
            Some(u) if u.role == Role::Technician.as_str() && u.active => {
                if *m == lead {
                    c.fail(&field, "lead", "the lead is on the crew already");
                }
            }
            Some(u) if u.role == Role::Technician.as_str() => {
                c.fail(&field, "inactive", "this technician is not active");
            }
            _ => c.fail(&field, "unknown", "no technician with this id"),
        }
    }
    c.finish()?;
    let before = tickets::crew(&*txn, current.id).await?;
    let names: Vec<String> = members
        .iter()
        .filter_map(|m| found.get(m).map(|u| u.name.clone()))
        .collect();
    let data = json!({"members": members, "names": names, "before": before});
    // The crew rows first, so the ticket's announcement reaches the new
    // members and not the ones who left.
    ticket_crew::Entity::delete_many()
        .filter(ticket_crew::Column::TicketId.eq(current.id))
        .exec(&*txn)
        .await?;
    for (i, m) in members.iter().enumerate() {
        ticket_crew::ActiveModel {
            ticket_id: Set(current.id),
            user_id: Set(*m),
            // Kept in the order given.
            added_at: Set(now + Duration::microseconds(i as i64)),
        }
        .insert(&*txn)
        .await?;
    }
    let saved = tickets::stamp_in(
        &txn,
        who,
        scope,
        at,
        move |_t| {
            Ok(Stamp {
                entry: Entry {
                    kind: "crew_changed",
                    from: None,
                    to: None,
                    reason: String::new(),
                    data: data.clone(),
                    public: false,
                },
                audit: ("ticket.crew_changed", data),
            })
        },
        now,
    )
    .await?;
    let added: Vec<Uuid> = members
        .iter()
        .copied()
        .filter(|m| !before.contains(m))
        .collect();
    notifications::notify(
        &*txn,
        &added,
        &Note {
            kind: "crew_added",
            ticket: Some((saved.id, saved.number.clone())),
            outage_id: saved.outage_id,
            data: json!({"by": who.name}),
        },
        now,
    )
    .await?;
    // Those who left hear of it, so their list drops the job.
    for gone in before.iter().filter(|b| !members.contains(b)) {
        crate::feed::publish(
            &*txn,
            "ticket.moved",
            crate::feed::Concerns {
                ticket_id: Some(saved.id),
                outage_id: None,
                customer_id: None,
                technician_id: Some(*gone),
                area_id: None,
            },
            json!({"change": "ticket.crew_changed", "ticket_id": saved.id, "version": saved.version}),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok((saved, members))
}
