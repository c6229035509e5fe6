//! Field teams, each usually serving one area: their one write path and
//! their list with member counts.

use chrono::{DateTime, Utc};
use netcrew_domain::Checks;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::Actor,
    entity::{area, team},
    page::{Page, PageRequest},
    records::{self, Audited, owner, put},
    users,
};

/// Longest team name.
pub const NAME_MAX: usize = 80;

/// A change to a team as given: `None` leaves a field as it is;
/// `area_id: Some(None)` detaches the team from its area.
#[derive(Debug, Default, Clone)]
pub struct TeamChange {
    /// The id a client chose for a new team (a UUIDv7).
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub area_id: Option<Option<Uuid>>,
}

/// A team with the number of its members.
#[derive(Debug, Clone)]
pub struct TeamWithMembers {
    pub team: team::Model,
    pub member_count: i64,
}

/// The audited form of a team.
pub fn audit_view(t: &team::Model) -> Value {
    json!({ "name": t.name, "area_id": t.area_id })
}

/// Checks a change to a team against what is stored: the record to write,
/// or every field error.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    current: Option<&team::Model>,
    change: TeamChange,
    now: DateTime<Utc>,
) -> Result<team::Model, Error> {
    let mut c = Checks::default();
    if current.is_none() {
        c.client_id("id", change.id.map(|id| id.get_version_num()));
        c.require(true, &[("name", change.name.is_some())]);
    }
    let name = change.name.map(|n| c.text("name", &n, NAME_MAX));
    if let Some(n) = &name
        && !c.has("name")
        && let Some(other) =
            owner::<team::Entity, _>(db, team::Column::Name, team::Column::Id, n).await?
        && Some(other) != current.map(|t| t.id)
    {
        c.fail("name", "taken", "another team already has this name");
    }
    if let Some(Some(a)) = change.area_id
        && area::Entity::find_by_id(a).one(db).await?.is_none()
    {
        c.fail("area_id", "unknown", "no such area");
    }
    c.finish()?;
    let mut record = current.cloned().unwrap_or_else(|| team::Model {
        id: change.id.unwrap_or_else(Uuid::now_v7),
        name: String::new(),
        area_id: None,
        created_at: now,
        updated_at: now,
    });
    put(&mut record.name, name);
    put(&mut record.area_id, change.area_id);
    record.updated_at = now;
    Ok(record)
}

/// Checks and saves a team with its audit entry.
pub async fn save(
    db: &Db,
    actor: &Actor,
    current: Option<team::Model>,
    change: TeamChange,
    now: DateTime<Utc>,
) -> Result<TeamWithMembers, Error> {
    let record = check(db.conn(), current.as_ref(), change, now).await?;
    let saved = records::save::<team::ActiveModel>(
        db,
        actor,
        Audited {
            entity: "team",
            created: "team.create",
            updated: "team.update",
        },
        current.as_ref().map(audit_view),
        record,
        |t| (t.id, audit_view(t)),
        now,
    )
    .await?;
    let member_count = match current {
        None => 0,
        Some(_) => users::team_member_counts(db.conn(), &[saved.id])
            .await?
            .get(&saved.id)
            .copied()
            .unwrap_or(0),
    };
    Ok(TeamWithMembers {
        team: saved,
        member_count,
    })
}

/// One team.
pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<team::Model, Error> {
    team::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such team.".to_string()))
}

/// The teams whose name holds `q`, by name, with their member counts.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    q: Option<&str>,
    page: &PageRequest,
) -> Result<Page<TeamWithMembers>, DbErr> {
    let page = users::list_teams(db, q, page).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|t| t.id).collect();
    let counts = users::team_member_counts(db, &ids).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|team| TeamWithMembers {
                member_count: counts.get(&team.id).copied().unwrap_or(0),
                team,
            })
            .collect(),
        next_cursor: page.next_cursor,
        total: page.total,
        total_exact: page.total_exact,
    })
}
