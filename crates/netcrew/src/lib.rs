//! The `netcrew` binary's wiring: settings, start-up, serving and shutdown.
//! Exposed as a library so the integration tests start the very same server.

pub mod accounts;
pub mod config;
pub mod messaging;
pub mod server;
