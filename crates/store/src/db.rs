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
        let stmt = sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        );
        self.conn
            .execute(stmt)
            .await
            .map_err(|e| anyhow::anyhow!("cannot write the backup to {path}: {e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
