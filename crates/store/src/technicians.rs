//! The technicians a ticket may be given to, as the person assigning sees
//! them: CS and admins every active technician; a supervisor those of
//! their teams and those serving their areas. Each with their teams, areas
//! and how many open tickets they hold now.

use std::collections::{BTreeMap, BTreeSet};

use netcrew_domain::Role;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::{
    entity::{team, ticket, user, user_area, user_team},
    tickets::Scope,
};

/// One technician who may be assigned.
#[derive(Debug, Clone)]
pub struct Assignable {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub teams: Vec<String>,
    pub areas: Vec<Uuid>,
    pub open_tickets: i64,
}

/// The active technicians `scope` may assign, by name; `q` narrows by
/// words of the name, `area` to those serving an area (or in a team of it).
pub async fn assignable<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    q: Option<&str>,
    area: Option<Uuid>,
) -> Result<Vec<Assignable>, DbErr> {
    let mut select = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Active.eq(true));
    match scope {
        Scope::All => {}
        Scope::Supervisor { areas, technicians } => {
            let serving: Vec<Uuid> = user_area::Entity::find()
                .select_only()
                .column(user_area::Column::UserId)
                .filter(user_area::Column::AreaId.is_in(areas.clone()))
                .into_tuple()
                .all(db)
                .await?;
            let mine: BTreeSet<Uuid> = technicians.iter().copied().chain(serving).collect();
            select = select.filter(user::Column::Id.is_in(mine));
        }
        Scope::Technician(_) | Scope::Customer(_) => return Ok(Vec::new()),
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        for word in q.split_whitespace().take(5) {
            select = select.filter(crate::customers::lower_like(user::Column::Name, word));
        }
    }
    let people = select
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .limit(5000)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = people.iter().map(|u| u.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let memberships: Vec<(Uuid, Uuid)> = user_team::Entity::find()
        .select_only()
        .column(user_team::Column::UserId)
        .column(user_team::Column::TeamId)
        .filter(user_team::Column::UserId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let team_ids: BTreeSet<Uuid> = memberships.iter().map(|m| m.1).collect();
    let teams: BTreeMap<Uuid, team::Model> = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let served: Vec<(Uuid, Uuid)> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let load: Vec<(Uuid, i64)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::TechnicianId)
        .column_as(ticket::Column::Id.count(), "n")
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::TechnicianId.is_in(ids))
        .group_by(ticket::Column::TechnicianId)
        .into_tuple()
        .all(db)
        .await?;
    let load: BTreeMap<Uuid, i64> = load.into_iter().collect();
    let mut out = Vec::with_capacity(people.len());
    for u in people {
        let my_teams: Vec<&team::Model> = memberships
            .iter()
            .filter(|m| m.0 == u.id)
            .filter_map(|m| teams.get(&m.1))
            .collect();
        let mut areas: BTreeSet<Uuid> =
            served.iter().filter(|s| s.0 == u.id).map(|s| s.1).collect();
        areas.extend(my_teams.iter().filter_map(|t| t.area_id));
        if area.is_some_and(|a| !areas.contains(&a)) {
            continue;
        }
        let mut team_names: Vec<String> = my_teams.iter().map(|t| t.name.clone()).collect();
        team_names.sort();
        out.push(Assignable {
            id: u.id,
            name: u.name,
            phone: u.phone,
            teams: team_names,
            areas: areas.into_iter().collect(),
            open_tickets: load.get(&u.id).copied().unwrap_or(0),
        });
        if out.len() == 1000 {
            break;
        }
    }
    Ok(out)
}

/// The technicians who serve any of `areas`.
pub async fn serving<C: ConnectionTrait>(db: &C, areas: &[Uuid]) -> Result<Vec<Uuid>, DbErr> {
    user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::AreaId.is_in(areas.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}
