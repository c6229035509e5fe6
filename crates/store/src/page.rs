//! Keyset pagination with opaque cursors, shared by every list.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Expr, Query},
};
use uuid::Uuid;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;
/// Matches are counted exactly up to this many; a list with more says
/// "at least this many" (`total_exact: false`), so a page costs what its
/// rows cost and not what a million matches would.
pub const TOTAL_CAP: u64 = 10_000;

/// One page of a list and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// The number of matches, or [`TOTAL_CAP`] when there are more.
    pub total: u64,
    /// False when `total` is the cap, a lower bound.
    pub total_exact: bool,
}

/// Counts the rows `select` matches, up to `cap`: the database stops reading
/// after one more than the cap. Answers the count (or the cap) and whether it
/// is exact.
pub async fn capped_count<E, C>(db: &C, select: Select<E>, cap: u64) -> Result<(u64, bool), DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut matches = select.into_query();
    matches
        .clear_selects()
        .clear_order_by()
        .expr(Expr::val(1))
        .limit(cap + 1);
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("matches"))
        .from_subquery(matches, Alias::new("m"))
        .to_owned();
    let n: i64 = db
        .query_one(db.get_database_backend().build(&count))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("count".to_string()))?
        .try_get("", "matches")?;
    let n = n.max(0) as u64;
    Ok(if n > cap { (cap, false) } else { (n, true) })
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    #[error("limit must be between 1 and {MAX_LIMIT}")]
    Limit,
    #[error("cursor is not one this server handed out")]
    Cursor,
}

/// Where a page starts: validated `limit` and decoded `cursor`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub limit: u64,
    after: Option<(String, Uuid)>,
}

impl PageRequest {
    pub fn new(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, PageError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(PageError::Limit);
        }
        let after = match cursor {
            None | Some("") => None,
            Some(c) => Some(decode(c).ok_or(PageError::Cursor)?),
        };
        Ok(PageRequest { limit, after })
    }

    pub fn first(limit: u64) -> Self {
        PageRequest { limit, after: None }
    }
}

fn encode(value: &str, id: Uuid) -> String {
    let json = serde_json::json!([value, id]);
    URL_SAFE_NO_PAD.encode(json.to_string())
}

fn decode(cursor: &str) -> Option<(String, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let (value, id): (String, Uuid) = serde_json::from_slice(&bytes).ok()?;
    // Cursors are not signed; no value handed out holds NUL (PostgreSQL
    // cannot compare with one).
    (!value.contains('\0')).then_some((value, id))
}

/// Runs `select` ordered by (`sort`, `id`), starting after the cursor.
/// `key` gives the sort value of a row, as stored in the `sort` column.
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    sort: E::Column,
    id: E::Column,
    req: &PageRequest,
    key: impl Fn(&E::Model) -> (String, Uuid),
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let (total, total_exact) = capped_count(db, select.clone(), TOTAL_CAP).await?;
    let mut query = select;
    if let Some((value, after_id)) = &req.after {
        // A row-value comparison, which SQLite and PostgreSQL both answer
        // from an index on the sort column.
        query = query.filter(
            Expr::tuple([Expr::col(sort).into(), Expr::col(id).into()]).gt(Expr::tuple([
                Expr::value(value.clone()),
                Expr::value(*after_id),
            ])),
        );
    }
    let mut items = query
        .order_by_asc(sort)
        .order_by_asc(id)
        .limit(req.limit + 1)
        .all(db)
        .await?;
    let next_cursor = if items.len() as u64 > req.limit {
        items.truncate(req.limit as usize);
        items.last().map(|last| {
            let (value, id) = key(last);
            encode(&value, id)
        })
    } else {
        None
    };
    Ok(Page {
        items,
        next_cursor,
        total,
        total_exact,
    })
}

/// One page of a log-like table, newest first. Ids are UUIDv7, so ordering
/// by id is ordering by time, and the cursor is simply the last id seen.
pub async fn newest_first<E, C>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    limit: Option<u64>,
    cursor: Option<&str>,
    key: impl Fn(&E::Model) -> Uuid,
) -> Result<Result<Page<E::Model>, PageError>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    use sea_orm::ColumnTrait;
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Ok(Err(PageError::Limit));
    }
    let before = match cursor.filter(|c| !c.is_empty()) {
        Some(c) => match Uuid::parse_str(c) {
            Ok(id) => Some(id),
            Err(_) => return Ok(Err(PageError::Cursor)),
        },
        None => None,
    };
    let (total, total_exact) = capped_count(db, select.clone(), TOTAL_CAP).await?;
    let mut query = select;
    if let Some(b) = before {
        query = query.filter(id.lt(b));
    }
    let mut items = query.order_by_desc(id).limit(limit + 1).all(db).await?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| key(m).to_string())
    } else {
        None
    };
    Ok(Ok(Page {
        items,
        next_cursor,
        total,
        total_exact,
    }))
}

/// Runs `select` newest first, ordered by (`created`, `id`) descending,
/// starting after the cursor; `key` gives a row's creation time and id.
pub async fn newest_created<E, C>(
    db: &C,
    select: Select<E>,
    created: E::Column,
    id: E::Column,
    req: &PageRequest,
    key: impl Fn(&E::Model) -> (chrono::DateTime<chrono::Utc>, Uuid),
) -> Result<Result<Page<E::Model>, PageError>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let after = match &req.after {
        None => None,
        Some((value, after_id)) => match chrono::DateTime::parse_from_rfc3339(value) {
            Ok(at) => Some((at.with_timezone(&chrono::Utc), *after_id)),
            Err(_) => return Ok(Err(PageError::Cursor)),
        },
    };
    let (total, total_exact) = capped_count(db, select.clone(), TOTAL_CAP).await?;
    let mut query = select;
    if let Some((at, after_id)) = after {
        query = query.filter(
            Expr::tuple([Expr::col(created).into(), Expr::col(id).into()])
                .lt(Expr::tuple([Expr::value(at), Expr::value(after_id)])),
        );
    }
    let mut items = query
        .order_by_desc(created)
        .order_by_desc(id)
        .limit(req.limit + 1)
        .all(db)
        .await?;
    let next_cursor = if items.len() as u64 > req.limit {
        items.truncate(req.limit as usize);
        items.last().map(|last| {
            let (at, id) = key(last);
            encode(&at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), id)
        })
    } else {
        None
    };
    Ok(Ok(Page {
        items,
        next_cursor,
        total,
        total_exact,
    }))
}

/// Runs `select` ordered by (`at`, `id`) ascending, starting after the
/// cursor; `key` gives a row's time and id.
pub async fn paginate_time<E, C>(
    db: &C,
    select: Select<E>,
    at: E::Column,
    id: E::Column,
    req: &PageRequest,
    key: impl Fn(&E::Model) -> (chrono::DateTime<chrono::Utc>, Uuid),
) -> Result<Result<Page<E::Model>, PageError>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let after = match &req.after {
        None => None,
        Some((value, after_id)) => match chrono::DateTime::parse_from_rfc3339(value) {
            Ok(t) => Some((t.with_timezone(&chrono::Utc), *after_id)),
            Err(_) => return Ok(Err(PageError::Cursor)),
        },
    };
    let (total, total_exact) = capped_count(db, select.clone(), TOTAL_CAP).await?;
    let mut query = select;
    if let Some((t, after_id)) = after {
        query = query.filter(
            Expr::tuple([Expr::col(at).into(), Expr::col(id).into()])
                .gt(Expr::tuple([Expr::value(t), Expr::value(after_id)])),
        );
    }
    let mut items = query
        .order_by_asc(at)
        .order_by_asc(id)
        .limit(req.limit + 1)
        .all(db)
        .await?;
    let next_cursor = if items.len() as u64 > req.limit {
        items.truncate(req.limit as usize);
        items.last().map(|last| {
            let (t, id) = key(last);
            encode(&t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), id)
        })
    } else {
        None
    };
    Ok(Ok(Page {
        items,
        next_cursor,
        total,
        total_exact,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        let id = Uuid::now_v7();
        let cursor = encode("Coblong", id);
        let req = PageRequest::new(Some(10), Some(&cursor)).expect("valid");
        assert_eq!(req.after, Some(("Coblong".to_string(), id)));
        assert_eq!(
            PageRequest::new(None, Some("not-a-cursor")),
            Err(PageError::Cursor)
        );
        let forged = URL_SAFE_NO_PAD.encode(serde_json::json!(["a\u{0}", id]).to_string());
        assert_eq!(
            PageRequest::new(None, Some(&forged)),
            Err(PageError::Cursor)
        );
        assert_eq!(PageRequest::new(Some(0), None), Err(PageError::Limit));
        assert_eq!(PageRequest::new(Some(501), None), Err(PageError::Limit));
        assert_eq!(PageRequest::new(None, None).map(|r| r.limit), Ok(50));
    }
}
