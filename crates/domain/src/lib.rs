//! NetCrew's domain: types that can only be built valid, and the rules that
//! govern them. Nothing here performs I/O, knows of HTTP or SQL, or reads the
//! wall clock (time is always passed in).

pub mod access;
pub mod alerts;
pub mod audit;
pub mod catalog;
pub mod contact;
pub mod customer;
pub mod fields;
pub mod geo;
pub mod identity;
pub mod inventory;
pub mod messages;
pub mod phone;
pub mod plant;
pub mod role;
pub mod schedule;
pub mod service;
pub mod text;
pub mod tickets;
pub mod tokens;
pub mod tracking;
pub mod transfer;
pub mod workday;

pub use contact::{Email, InvalidEmail};
pub use customer::{CustomerNumber, CustomerSource, CustomerStatus, InstallWindow};
pub use fields::{Checks, FieldError, Invalid};
pub use geo::{GeoPoint, InvalidPoint};
pub use phone::{InvalidPhone, Phone};
pub use plant::PlantStatus;
pub use role::{Role, UnknownRole};
