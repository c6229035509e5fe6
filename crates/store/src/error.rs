//! What a store operation can answer besides its result.

use netcrew_domain::Invalid;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks a rule: every field error.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The record is not there (or not visible to the caller).
    #[error("{0}")]
    NotFound(String),
    /// The record's state does not allow this.
    #[error("{0}")]
    Conflict(String),
    /// The record changed since the writer read it (HTTP 412).
    #[error("{0}")]
    Stale(String),
    /// The move is not possible from the record's state; the ones that are
    /// are listed.
    #[error("{detail}")]
    Refused {
        detail: String,
        allowed: Vec<String>,
    },
    /// The record is not ready for this: what it still needs is listed.
    /// The change needs the caller to choose among `choices` first (what
    /// to do with a technician's jobs when their leave is approved).
    #[error("{detail}")]
    Choose {
        detail: String,
        choices: Vec<String>,
    },
    #[error("{detail}")]
    NotReady {
        detail: String,
        missing: Vec<String>,
    },
    /// The caller's role may not do this to this record.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts from one address or account; try again after
    /// this many seconds.
    #[error("too many attempts; try again in {0} s")]
    Limited(u64),
    #[error(transparent)]
    Password(#[from] crate::password::PasswordError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of database failure an error is, for answering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFailure {
    /// A unique index refused a second record with the same value.
    Unique,
    /// A reference to a record that does not exist (or one still in use).
    ForeignKey,
    /// Every connection stayed busy for longer than a request may wait
    /// (or SQLite's writer lock did): try again shortly.
    Busy,
    /// Anything else: the server's problem.
    Other,
}

pub fn classify(e: &DbErr) -> DbFailure {
    use sea_orm::SqlErr;
    if matches!(e, DbErr::ConnectionAcquire(_)) {
        return DbFailure::Busy;
    }
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => DbFailure::Unique,
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => DbFailure::ForeignKey,
        _ if e.to_string().contains("database is locked") => DbFailure::Busy,
        _ => DbFailure::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_with_no_free_connection_is_busy_not_broken() {
        let e = DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
        assert_eq!(classify(&e), DbFailure::Busy);
        assert_eq!(classify(&DbErr::Custom("x".into())), DbFailure::Other);
    }
}
