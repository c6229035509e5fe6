//! Accounts, teams and their memberships.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Condition, Expr, Func, Query},
};
use uuid::Uuid;

use crate::{
    entity::{team, user, user_area, user_team},
    network::like,
    page::{Page, PageRequest, paginate},
};

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub team_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub active: Option<bool>,
    /// Only staff accounts (no customer portal accounts).
    pub staff_only: bool,
    /// Row scope: only members of these teams (and the caller) are visible.
    pub within_teams: Option<(Vec<Uuid>, Uuid)>,
}

fn members_of(teams: Vec<Uuid>) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(user_team::Column::UserId)
        .from(user_team::Entity)
        .and_where(user_team::Column::TeamId.is_in(teams))
        .to_owned()
}

pub async fn list_users<C: ConnectionTrait>(
    db: &C,
    filter: &UserFilter,
    page: &PageRequest,
) -> Result<Page<user::Model>, DbErr> {
    let mut select = user::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let cond = match crate::customers::phone_prefix(q) {
            // A phone number (or its start), `0812...` finding `+62812...`.
            Some(prefix) => Condition::all()
                .add(user::Column::Phone.gte(prefix.clone()))
                .add(user::Column::Phone.lt(format!("{prefix}\u{7f}"))),
            None => [user::Column::Name, user::Column::Email]
                .into_iter()
                .fold(Condition::any(), |cond, col| {
                    cond.add(Expr::expr(Func::lower(Expr::col(col))).like(like(q)))
                }),
        };
        select = select.filter(cond);
    }
    if let Some(role) = &filter.role {
        select = select.filter(user::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        select = select.filter(user::Column::Active.eq(active));
    }
    if filter.staff_only {
        select = select.filter(user::Column::Role.ne("customer"));
    }
    if let Some(team) = filter.team_id {
        select = select.filter(user::Column::Id.in_subquery(members_of(vec![team])));
    }
    if let Some(area) = filter.area_id {
        select = select.filter(
            user::Column::Id.in_subquery(
                Query::select()
                    .column(user_area::Column::UserId)
                    .from(user_area::Entity)
                    .and_where(user_area::Column::AreaId.eq(area))
                    .to_owned(),
            ),
        );
    }
    if let Some((teams, me)) = &filter.within_teams {
        select = select.filter(
            Condition::any()
                .add(user::Column::Id.in_subquery(members_of(teams.clone())))
                .add(user::Column::Id.eq(*me)),
        );
    }
    paginate(
        db,
        select,
        user::Column::Name,
        user::Column::Id,
        page,
        |m| (m.name.clone(), m.id),
    )
    .await
}

/// Team and area ids of each user.
pub async fn memberships<C: ConnectionTrait>(
    db: &C,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, (Vec<Uuid>, Vec<Uuid>)>, DbErr> {
    let mut out: HashMap<Uuid, (Vec<Uuid>, Vec<Uuid>)> = HashMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    for chunk in user_ids.chunks(500) {
        for m in user_team::Entity::find()
            .filter(user_team::Column::UserId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.entry(m.user_id).or_default().0.push(m.team_id);
        }
        for m in user_area::Entity::find()
            .filter(user_area::Column::UserId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.entry(m.user_id).or_default().1.push(m.area_id);
        }
    }
    Ok(out)
}

/// Replaces a user's teams and/or areas.
pub async fn set_memberships<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    teams: Option<&[Uuid]>,
    areas: Option<&[Uuid]>,
) -> Result<(), DbErr> {
    if let Some(teams) = teams {
        user_team::Entity::delete_many()
            .filter(user_team::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
        if !teams.is_empty() {
            user_team::Entity::insert_many(teams.iter().map(|t| user_team::ActiveModel {
                user_id: Set(user_id),
                team_id: Set(*t),
            }))
            .exec(db)
            .await?;
        }
    }
    if let Some(areas) = areas {
        user_area::Entity::delete_many()
            .filter(user_area::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
        if !areas.is_empty() {
            user_area::Entity::insert_many(areas.iter().map(|a| user_area::ActiveModel {
                user_id: Set(user_id),
                area_id: Set(*a),
            }))
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn count_active_admins<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    user::Entity::find()
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await
}

/// Ids from `ids` that do not exist in the table of `E`.
pub async fn missing_ids<E, C>(db: &C, ids: &[Uuid], id_col: E::Column) -> Result<Vec<Uuid>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<Uuid> = E::find()
        .select_only()
        .column(id_col)
        .filter(id_col.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

pub async fn team_member_counts<C: ConnectionTrait>(
    db: &C,
    team_ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>, DbErr> {
    if team_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = user_team::Entity::find()
        .select_only()
        .column(user_team::Column::TeamId)
        .column_as(user_team::Column::UserId.count(), "n")
        .filter(user_team::Column::TeamId.is_in(team_ids.to_vec()))
        .group_by(user_team::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn list_teams<C: ConnectionTrait>(
    db: &C,
    q: Option<&str>,
    page: &PageRequest,
) -> Result<Page<team::Model>, DbErr> {
    let mut select = team::Entity::find();
    if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
        select =
            select.filter(Expr::expr(Func::lower(Expr::col(team::Column::Name))).like(like(q)));
    }
    paginate(
        db,
        select,
        team::Column::Name,
        team::Column::Id,
        page,
        |m| (m.name.clone(), m.id),
    )
    .await
}
