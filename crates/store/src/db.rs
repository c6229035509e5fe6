//! Connecting to the database chosen by the `DATABASE_URL`.

use std::{str::FromStr, sync::Arc, time::Duration};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqlxPostgresConnector, SqlxSqliteConnector,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::migration::Migrator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL {0}: expected sqlite://... or postgres://...")]
    UnsupportedUrl(String),
    #[error("invalid DATABASE_URL {url}: {source}")]
    InvalidUrl { url: String, source: sqlx::Error },
    #[error("cannot connect to database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(DbErr),
    #[error("cannot create the database file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone)]
enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// A handle on the database: the SeaORM connection every query goes through,
/// plus what the backend needs to be safe under concurrent writers.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    pool: Pool,
    /// SQLite has a single writer; write transactions queue here instead of
    /// failing with SQLITE_BUSY when two try to upgrade a read lock at once.
    write_lock: Option<Arc<Mutex<()>>>,
}

/// A write transaction. On SQLite it also holds the writer slot until it is
/// committed or dropped (rolled back).
pub struct WriteTx {
    txn: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Undoes the transaction now (dropping it also does, a little later).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

/// Pool figures for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Replaces the password of a connection URL with `***` so it can be shown.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => raw.to_string(),
    }
}

impl Db {
    /// Connects (creating a SQLite file if needed). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let shown = redact_url(url);
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|source| DbError::InvalidUrl {
                    url: shown.clone(),
                    source,
                })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // An acknowledged write survives a power loss.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if !url.contains(":memory:") && !url.contains("mode=memory") {
                let file = options.get_filename();
                private_database_file(file).map_err(|source| DbError::File {
                    path: file.display().to_string(),
                    source,
                })?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|source| DbError::Connect { url: shown, source })?;
            Ok(Db {
                conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool.clone()),
                pool: Pool::Sqlite(pool),
                write_lock: Some(Arc::new(Mutex::new(()))),
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options =
                PgConnectOptions::from_str(url).map_err(|source| DbError::InvalidUrl {
                    url: shown.clone(),
                    source,
                })?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(|source| DbError::Connect { url: shown, source })?;
            Ok(Db {
                conn: SqlxPostgresConnector::from_sqlx_postgres_pool(pool.clone()),
                pool: Pool::Postgres(pool),
                write_lock: None,
            })
        } else {
            Err(DbError::UnsupportedUrl(shown))
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), DbError> {
        Migrator::up(&self.conn, None)
            .await
            .map_err(DbError::Migrate)
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The connection for reads (and single-statement writes on PostgreSQL).
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Starts a write transaction.
    pub async fn begin_write(&self) -> Result<WriteTx, DbErr> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let txn = self.conn.begin().await?;
        Ok(WriteTx { txn, _guard: guard })
    }

    /// Writes a consistent copy of a SQLite database to `file` (`VACUUM
    /// INTO`), without stopping writers for long.
    pub async fn backup_to(&self, file: &std::path::Path) -> anyhow::Result<()> {
        use sea_orm::ConnectionTrait;
        if self.backend() != Backend::Sqlite {
            anyhow::bail!("backup copies SQLite databases; for PostgreSQL use pg_dump");
        }
        let path = file
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
        // An empty file made readable by its owner only; VACUUM INTO fills it.
        create_private(file).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                anyhow::anyhow!("{path} already exists; choose a new file name")
            }
            _ => anyhow::anyhow!("cannot write the backup to {path}: {e}"),
        })?;
        let stmt = sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        );
        if let Err(e) = self.conn.execute(stmt).await {
            let _ = std::fs::remove_file(file);
            anyhow::bail!("cannot write the backup to {path}: {e}");
        }
        Ok(())
    }

    /// Answers whether the database responds to a trivial query.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    pub fn pool_stats(&self) -> PoolStats {
        match &self.pool {
            Pool::Sqlite(p) => PoolStats {
                size: p.size(),
                idle: p.num_idle() as u32,
                max: p.options().get_max_connections(),
            },
            Pool::Postgres(p) => PoolStats {
                size: p.size(),
                idle: p.num_idle() as u32,
                max: p.options().get_max_connections(),
            },
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Creates `file`, empty and readable and writable by its owner only
/// (0600 on unix); fails if it exists.
fn create_private(file: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)
}

/// Makes sure a SQLite database file exists and only its owner may read it:
/// SQLite creates the `-wal` and `-shm` files with the database file's
/// mode, and would create the database with the process's default (usually
/// world-readable). Files an earlier version left open to others are
/// closed to them (best effort: a file of another owner is left as it is).
fn private_database_file(file: &std::path::Path) -> std::io::Result<()> {
    if file.as_os_str().is_empty() {
        return Ok(());
    }
    match create_private(file) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let path = std::path::PathBuf::from(name);
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
    Ok(())
}

/// "The name or the address contains `q`", answered from an index on each
/// backend: on SQLite the FTS5 trigram index `customers_fts` (for three
/// characters or more; a shorter text is too short for trigrams and is
/// looked for by scanning), on PostgreSQL `LIKE` on the trigram indexes.
pub(crate) fn contains_text<C: sea_orm::ColumnTrait>(
    backend: sea_orm::DatabaseBackend,
    name: C,
    address: C,
    q: &str,
) -> sea_orm::sea_query::Condition {
    use sea_orm::sea_query::{Condition, Expr};
    let q = q.trim();
    if backend == sea_orm::DatabaseBackend::Sqlite && q.chars().count() >= 3 {
        // One phrase: the text as typed, quotes doubled.
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        return Condition::all().add(Expr::cust_with_values(
            "customers.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
            [phrase],
        ));
    }
    Condition::any()
        .add(crate::customers::lower_like(name, q))
        .add(crate::customers::lower_like(address, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[tokio::test]
    async fn database_and_backup_files_are_private() -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("netcrew.db");
        let mode = |p: &std::path::Path| -> anyhow::Result<u32> {
            Ok(std::fs::metadata(p)?.permissions().mode() & 0o777)
        };
        let db = Db::connect(&format!("sqlite://{}", file.display()), 1).await?;
        db.migrate().await?;
        assert_eq!(mode(&file)?, 0o600);
        for suffix in ["-wal", "-shm"] {
            let side = dir.path().join(format!("netcrew.db{suffix}"));
            if side.exists() {
                assert_eq!(mode(&side)?, 0o600, "{suffix}");
            }
        }
        let copy = dir.path().join("copy.db");
        db.backup_to(&copy).await?;
        assert_eq!(mode(&copy)?, 0o600);
        assert!(std::fs::metadata(&copy)?.len() > 0);
        let again = db.backup_to(&copy).await.err().map(|e| e.to_string());
        assert!(again.is_some_and(|e| e.contains("already exists")));
        db.close().await;

        // A database an earlier version left readable to everyone is closed.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;
        let db = Db::connect(&format!("sqlite://{}", file.display()), 1).await?;
        assert_eq!(mode(&file)?, 0o600);
        db.close().await;
        Ok(())
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redact_url("postgres://netcrew:s3cret@db:5432/netcrew"),
            "postgres://netcrew:***@db:5432/netcrew"
        );
        assert_eq!(
            redact_url("sqlite:///var/lib/netcrew/netcrew.db"),
            "sqlite:///var/lib/netcrew/netcrew.db"
        );
    }
}
