//! Dispatch decisions, as pure functions of what the caller passes in:
//!
//! - [`availability`]: working spans of a day from a weekly pattern
//!   (Friday prayer is a gap in Friday's spans), Ramadan hours, holidays,
//!   leave and the on-call rota (piket);
//! - [`score`]: who may do a job ([`score::Ineligible`] says why not),
//!   an explained score, a ranking and a batch over many jobs;
//! - [`route`]: a technician's day in an order that respects the
//!   appointment windows (insertion, then relocation moves);
//! - [`capacity`]: how much room a booking window has.
//!
//! Nothing here reads a clock, a database or the network; the time of day
//! is passed in as minutes from local midnight.

pub mod availability;
pub mod capacity;
pub mod route;
pub mod score;

pub use availability::{Availability, Calendar, DateRange, OnCall, Span, SpanError, WeekPattern};
pub use capacity::{Capacity, Unit, crew_spans, window_capacity};
pub use route::{DayPlan, Leg, Stop, plan_day};
pub use score::{
    Booked, Factor, Ineligible, Job, Part, Ranking, RoadTimes, Scored, Settings, Start, Technician,
    Travel, Weights, When, assign_batch, best, eligibility, rank, score, start_of,
};
