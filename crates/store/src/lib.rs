//! NetCrew storage. One schema, one set of migrations and one query code path
//! serve both SQLite (the embedded default) and PostgreSQL. Nothing here knows
//! of HTTP.

pub mod accounts;
pub mod alerts;
pub mod attachments;
pub mod audit_log;
pub mod berita_acara;
pub mod catalog;
pub mod counters;
pub mod coverage;
pub mod customers;
pub mod db;
pub mod demo;
pub mod demo_inventory;
pub mod demo_tickets;
pub mod dispatching;
pub mod email;
pub mod entity;
pub mod error;
pub mod feed;
pub mod idempotency;
pub mod identity;
pub mod inbound;
pub mod installation;
pub mod inventory;
pub mod jobs;
pub mod limits;
pub mod material_requests;
pub mod migration;
pub mod network;
pub mod notifications;
pub mod outages;
pub mod outbox;
pub mod page;
pub mod password;
pub mod plant;
pub mod portal;
pub mod privacy;
pub(crate) mod records;
pub mod retention;
pub mod second_factor;
pub mod sessions;
pub mod sign_in_codes;
pub mod sla_settings;
pub mod sla_watch;
pub mod teams;
pub mod technicians;
pub mod tickets;
pub mod tokens;
pub mod transfer;
pub mod users;

pub use db::{Backend, Db, DbError, WriteTx, redact_url};
pub use error::Error;
pub use sea_orm;
pub use sea_orm::DbErr;
