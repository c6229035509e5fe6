//! SeaORM entities, one module per table.

pub mod api_token;
pub mod area;
pub mod audit_event;
pub mod customer;
pub mod demand_point;
pub mod idempotency_key;
pub mod login_attempt;
pub mod odc;
pub mod odp;
pub mod package;
pub mod password_reset;
pub mod problem_category;
pub mod rate_counter;
pub mod recovery_code;
pub mod sequence_counter;
pub mod service_type;
pub mod session;
pub mod skill;
pub mod team;
pub mod user;
pub mod user_area;
pub mod user_team;
