//! Tickets: every installation and repair, moving through one lifecycle
//! against the clock of its service level.

pub mod calendar;
pub mod checklist;
pub mod lifecycle;
pub mod rules;
pub mod sla;

pub use lifecycle::{
    MoveRefused, Mover, TicketFacts, TicketKind, TicketMove, TicketStatus, allowed_moves,
    allowed_targets, apply, ticket_number, transition,
};
pub use rules::{
    OutageElement, OutageStatus, RemoteReason, SurveyEffect, SurveyOutcome, TicketSource,
};
pub use sla::{SlaState, SlaTarget, Targets};
