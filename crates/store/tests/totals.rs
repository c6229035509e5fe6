//! List totals are exact up to a cap and a marked lower bound beyond it, and
//! the count honours the list's filters. On SQLite, and on PostgreSQL too
//! when `NETCREW_TEST_POSTGRES_URL` is set.

use chrono::Utc;
use netcrew_store::{
    Db,
    entity::team,
    page::capped_count,
    sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter},
};
use uuid::Uuid;

async fn databases(dir: &tempfile::TempDir) -> anyhow::Result<Vec<Db>> {
    let mut dbs = Vec::new();
    let file = dir.path().join("totals.db");
    let sqlite = Db::connect(&format!("sqlite://{}", file.display()), 2).await?;
    sqlite.migrate().await?;
    dbs.push(sqlite);
    if let Ok(base) = std::env::var("NETCREW_TEST_POSTGRES_URL") {
        let schema = format!("t_{}", Uuid::now_v7().simple());
        let admin = Db::connect(&base, 1).await?;
        admin
            .conn()
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await?;
        admin.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        let pg = Db::connect(
            &format!("{base}{separator}options=-c%20search_path%3D{schema}"),
            2,
        )
        .await?;
        pg.migrate().await?;
        dbs.push(pg);
    }
    Ok(dbs)
}

#[tokio::test]
async fn totals_are_exact_up_to_the_cap_then_a_lower_bound() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    for db in databases(&dir).await? {
        let now = Utc::now();
        team::Entity::insert_many((0..30).map(|n| team::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(format!(
                "Tim {}{n:02}",
                if n % 3 == 0 { "Utara " } else { "" }
            )),
            area_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }))
        .exec(db.conn())
        .await?;
        let all = || team::Entity::find();
        let backend = db.backend().as_str();
        assert_eq!(
            capped_count(db.conn(), all(), 100).await?,
            (30, true),
            "{backend}"
        );
        assert_eq!(
            capped_count(db.conn(), all(), 30).await?,
            (30, true),
            "{backend}"
        );
        assert_eq!(
            capped_count(db.conn(), all(), 29).await?,
            (29, false),
            "{backend}"
        );
        assert_eq!(
            capped_count(db.conn(), all(), 10).await?,
            (10, false),
            "{backend}"
        );
        let north = all().filter(team::Column::Name.starts_with("Tim Utara"));
        assert_eq!(
            capped_count(db.conn(), north.clone(), 100).await?,
            (10, true),
            "{backend}"
        );
        assert_eq!(
            capped_count(db.conn(), north, 5).await?,
            (5, false),
            "{backend}"
        );
        db.close().await;
    }
    Ok(())
}
