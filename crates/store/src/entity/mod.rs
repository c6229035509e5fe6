//! SeaORM entities, one module per table.

pub mod area;
pub mod customer;
pub mod odc;
pub mod odp;
pub mod package;
pub mod team;
pub mod user;
pub mod user_area;
pub mod user_team;
