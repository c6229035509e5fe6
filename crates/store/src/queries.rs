//! Read queries used by the API. Each takes validated inputs and returns
//! entity models; shaping for HTTP happens in the API crate.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Condition, Expr, Func},
};

use crate::{
    entity::{area, package},
    page::{Page, PageRequest, paginate},
};

/// A case-insensitive "contains" on any of the columns.
fn search<C: ColumnTrait>(q: &str, cols: &[C]) -> Condition {
    let pattern = crate::network::like(q);
    cols.iter().fold(Condition::any(), |cond, col| {
        cond.add(Expr::expr(Func::lower(Expr::col(*col))).like(pattern.clone()))
    })
}

#[derive(Debug, Default, Clone)]
pub struct PackageFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
}

pub async fn list_packages<C: ConnectionTrait>(
    db: &C,
    filter: &PackageFilter,
    page: &PageRequest,
) -> Result<Page<package::Model>, DbErr> {
    let mut select = package::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(search(
            q,
            &[package::Column::Name, package::Column::Description],
        ));
    }
    if let Some(active) = filter.active {
        select = select.filter(package::Column::Active.eq(active));
    }
    paginate(
        db,
        select,
        package::Column::Name,
        package::Column::Id,
        page,
        |m| (m.name.clone(), m.id),
    )
    .await
}

#[derive(Debug, Default, Clone)]
pub struct AreaFilter {
    pub q: Option<String>,
    pub city: Option<String>,
}

pub async fn list_areas<C: ConnectionTrait>(
    db: &C,
    filter: &AreaFilter,
    page: &PageRequest,
) -> Result<Page<area::Model>, DbErr> {
    let mut select = area::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(search(
            q,
            &[area::Column::Name, area::Column::Code, area::Column::City],
        ));
    }
    if let Some(city) = filter.city.as_deref() {
        select = select.filter(area::Column::City.eq(city));
    }
    paginate(
        db,
        select,
        area::Column::Code,
        area::Column::Id,
        page,
        |m| (m.code.clone(), m.id),
    )
    .await
}
