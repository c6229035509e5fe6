//! Tickets: every installation and repair, moving through one lifecycle
//! against the clock of its service level.

pub mod calendar;
pub mod lifecycle;

pub use lifecycle::{
    MoveRefused, Mover, TicketFacts, TicketKind, TicketMove, TicketStatus, allowed_moves,
    allowed_targets, apply, ticket_number, transition,
};
