//! Keyset pagination over sort values that repeat: walking every page of the
//! users list (names are not unique) and of the teams list yields every row
//! exactly once, in the list's order, whatever the page size. On SQLite, and
//! on PostgreSQL too when `NETCREW_TEST_POSTGRES_URL` is set.

use std::collections::HashSet;

use chrono::Utc;
use netcrew_store::{
    Db,
    entity::{team, user},
    page::{PageRequest, paginate},
    sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder},
    users::{self, UserFilter},
};
use proptest::prelude::*;
use uuid::Uuid;

/// A database per backend for the whole run; each case starts from empty
/// tables.
struct Backends {
    dbs: Vec<Db>,
    _dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Backends {
    fn open() -> anyhow::Result<Backends> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("pages.db");
        let dbs = runtime.block_on(async {
            let mut dbs = Vec::new();
            let sqlite = Db::connect(&format!("sqlite://{}", file.display()), 2).await?;
            sqlite.migrate().await?;
            dbs.push(sqlite);
            if let Ok(base) = std::env::var("NETCREW_TEST_POSTGRES_URL") {
                // One schema, emptied at the start of each run (the tests
                // share it, so none can drop it at its end).
                let schema = "t_pagination_property";
                let admin = Db::connect(&base, 1).await?;
                admin
                    .conn()
                    .execute_unprepared(&format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                    ))
                    .await?;
                admin.close().await;
                let separator = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
                let pg = Db::connect(&url, 2).await?;
                pg.migrate().await?;
                dbs.push(pg);
            }
            anyhow::Ok(dbs)
        })?;
        Ok(Backends {
            dbs,
            _dir: dir,
            runtime,
        })
    }
}

fn person(id: Uuid, name: &str) -> user::ActiveModel {
    let now = Utc::now();
    user::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        email: Set(None),
        phone: Set(None),
        role: Set("technician".to_string()),
        password_hash: Set("-".to_string()),
        locale: Set("id".to_string()),
        active: Set(true),
        customer_id: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Walks every page of a list; the ids in the order they came.
async fn walk<F, Fut>(limit: u64, mut page: F) -> anyhow::Result<Vec<Uuid>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<(Vec<Uuid>, Option<String>)>>,
{
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let request = PageRequest::new(Some(limit), cursor.as_deref())?;
        let (ids, next) = page(request).await?;
        anyhow::ensure!(ids.len() as u64 <= limit, "a page longer than its limit");
        seen.extend(ids);
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(seen),
        }
        anyhow::ensure!(seen.len() < 10_000, "the walk does not end");
    }
}

async fn users_case(db: &Db, rows: &[(Uuid, String)], limit: u64) -> anyhow::Result<()> {
    let conn = db.conn();
    user::Entity::delete_many().exec(conn).await?;
    user::Entity::insert_many(rows.iter().map(|(id, name)| person(*id, name)))
        .exec(conn)
        .await?;
    let walked = walk(limit, |request| async move {
        let page = users::list_users(conn, &UserFilter::default(), &request).await?;
        Ok((
            page.items.into_iter().map(|u| u.id).collect(),
            page.next_cursor,
        ))
    })
    .await?;
    // Every row once...
    let unique: HashSet<Uuid> = walked.iter().copied().collect();
    anyhow::ensure!(
        unique.len() == walked.len(),
        "{}: a row came twice",
        db.backend().as_str()
    );
    anyhow::ensure!(
        walked.len() == rows.len(),
        "{}: {} of {} rows",
        db.backend().as_str(),
        walked.len(),
        rows.len()
    );
    // ...in order: by name, then id (names here are plain lowercase ASCII,
    // which every collation orders as bytes).
    let mut expected = rows.to_vec();
    expected.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    let expected: Vec<Uuid> = expected.into_iter().map(|(id, _)| id).collect();
    anyhow::ensure!(
        walked == expected,
        "{}: out of order",
        db.backend().as_str()
    );
    Ok(())
}

async fn teams_case(db: &Db, names: &[String], limit: u64) -> anyhow::Result<()> {
    let conn = db.conn();
    team::Entity::delete_many().exec(conn).await?;
    let now = Utc::now();
    team::Entity::insert_many(names.iter().map(|name| team::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.clone()),
        area_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }))
    .exec(conn)
    .await?;
    let walked = walk(limit, |request| async move {
        let page = users::list_teams(conn, None, &request).await?;
        Ok((
            page.items.into_iter().map(|t| t.id).collect(),
            page.next_cursor,
        ))
    })
    .await?;
    // The database's own order of the whole list (its collation decides
    // where "Tim b" goes against "Tim B").
    let all: Vec<Uuid> = paginate(
        conn,
        team::Entity::find().order_by_asc(team::Column::Name),
        team::Column::Name,
        team::Column::Id,
        &PageRequest::first(500),
        |t| (t.name.clone(), t.id),
    )
    .await?
    .items
    .into_iter()
    .map(|t| t.id)
    .collect();
    anyhow::ensure!(all.len() == names.len(), "all teams in one page");
    anyhow::ensure!(
        walked == all,
        "{}: pages differ from the list",
        db.backend().as_str()
    );
    Ok(())
}

fn backends() -> &'static Backends {
    static BACKENDS: std::sync::OnceLock<Backends> = std::sync::OnceLock::new();
    BACKENDS.get_or_init(|| match Backends::open() {
        Ok(b) => b,
        Err(e) => panic!("cannot open the test databases: {e:#}"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn user_pages_hold_every_row_once_in_order(
        rows in prop::collection::vec((0..4usize, any::<u128>()), 1..160),
        limit in 1..25u64,
    ) {
        const NAMES: [&str; 4] = ["ani", "budi", "budi santoso", "citra"];
        let mut seen = HashSet::new();
        let rows: Vec<(Uuid, String)> = rows
            .into_iter()
            .filter(|(_, id)| seen.insert(*id))
            .map(|(n, id)| (Uuid::from_u128(id), NAMES[n].to_string()))
            .collect();
        let b = backends();
        for db in &b.dbs {
            let result = b.runtime.block_on(users_case(db, &rows, limit));
            prop_assert!(result.is_ok(), "{:?}", result);
        }
    }

    #[test]
    fn team_pages_hold_every_row_once_in_order(
        names in prop::collection::hash_set("[A-Za-z ]{0,3}", 1..80),
        limit in 1..15u64,
    ) {
        let names: Vec<String> = names.into_iter().map(|n| format!("Tim{n}")).collect();
        let b = backends();
        for db in &b.dbs {
            let result = b.runtime.block_on(teams_case(db, &names, limit));
            prop_assert!(result.is_ok(), "{:?}", result);
        }
    }
}
