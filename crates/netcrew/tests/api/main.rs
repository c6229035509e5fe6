//! API tests: each starts the real server on a random port against a real,
//! fresh database — SQLite always, PostgreSQL too when
//! `NETCREW_TEST_POSTGRES_URL` is set.

mod abuse;
mod alerts;
mod auth;
mod authorization;
mod catalog;
mod cli;
mod customer_records;
mod customers;
mod dispatch;
mod edge;
mod email;
mod field_day;
mod idempotency;
mod installation;
mod inventory;
mod jobs;
mod messages;
mod network;
mod outages;
mod outbox_restart;
mod plant_records;
mod platform;
mod privacy;
mod sign_in_code;
mod sla;
mod support;
mod tickets;
mod totp;
mod tracking;
mod users;
mod whatsapp_cloud;
