//! A ticket's lifecycle: its kinds and numbers, its statuses, and the one
//! state machine that says which move may be made from which status, by
//! whom.
//!
//! ```text
//! new → assigned → accepted → en_route → on_site → resolved → closed
//!        ↑  pending (with a reason) ↔ any open status before resolved
//!        └─ reopened (a resolved or closed ticket, within the window)
//! cancelled: from any open status before the technician is on the way
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Role;

/// What a ticket is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    /// A new connection.
    Installation,
    /// A fault the customer reported (gangguan).
    Repair,
    /// A change to a faster package.
    Upgrade,
    /// Moving the connection to another place.
    Relocation,
    /// Taking the connection out (the ONT comes back, the port is freed).
    Dismantle,
}

impl TicketKind {
    pub const ALL: [TicketKind; 5] = [
        TicketKind::Installation,
        TicketKind::Repair,
        TicketKind::Upgrade,
        TicketKind::Relocation,
        TicketKind::Dismantle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Installation => "installation",
            TicketKind::Repair => "repair",
            TicketKind::Upgrade => "upgrade",
            TicketKind::Relocation => "relocation",
            TicketKind::Dismantle => "dismantle",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The prefix of this kind's ticket numbers.
    pub fn prefix(self) -> &'static str {
        match self {
            TicketKind::Installation => "INS",
            TicketKind::Repair => "TRB",
            TicketKind::Upgrade => "UPG",
            TicketKind::Relocation => "REL",
            TicketKind::Dismantle => "DIS",
        }
    }

    /// The name of the counter this kind's numbers come from in `year`:
    /// numbers start again at 1 each year.
    pub fn counter(self, year: i32) -> String {
        format!("ticket.{}.{year}", self.as_str())
    }
}

/// A ticket's number: the kind, the year and a sequence, `INS-2026-000123`.
pub fn ticket_number(kind: TicketKind, year: i32, seq: i64) -> String {
    format!("{}-{year}-{seq:06}", kind.prefix())
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Reported; nobody is on it yet.
    New,
    /// A technician has it.
    Assigned,
    /// The technician took it on.
    Accepted,
    /// The technician is on the way.
    EnRoute,
    /// The technician is at the place.
    OnSite,
    /// Waiting, for a reason (the customer, a permit, parts, the weather).
    Pending,
    /// Done; the customer may still dispute it.
    Resolved,
    /// Done and settled.
    Closed,
    /// Not to be done.
    Cancelled,
    /// Resolved or closed, then found not done: open again.
    Reopened,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 10] = [
        TicketStatus::New,
        TicketStatus::Assigned,
        TicketStatus::Accepted,
        TicketStatus::EnRoute,
        TicketStatus::OnSite,
        TicketStatus::Pending,
        TicketStatus::Resolved,
        TicketStatus::Closed,
        TicketStatus::Cancelled,
        TicketStatus::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::Assigned => "assigned",
            TicketStatus::Accepted => "accepted",
            TicketStatus::EnRoute => "en_route",
            TicketStatus::OnSite => "on_site",
            TicketStatus::Pending => "pending",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Closed => "closed",
            TicketStatus::Cancelled => "cancelled",
            TicketStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether work is still to be done (the SLA clock may run).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            TicketStatus::Resolved | TicketStatus::Closed | TicketStatus::Cancelled
        )
    }

    /// Whether the technician is already on the way or there: the customer
    /// can no longer cancel.
    pub fn technician_underway(self) -> bool {
        matches!(self, TicketStatus::EnRoute | TicketStatus::OnSite)
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A move on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketMove {
    /// Give it to a technician (or another one).
    Assign,
    /// The technician takes it on.
    Accept,
    /// The technician gives it back, with a reason (also NetCrew, when an
    /// assignment is not accepted in time, and a supervisor taking it
    /// back): it waits for another technician.
    Decline,
    /// The technician sets off.
    Depart,
    /// The technician is at the place.
    Arrive,
    /// Wait for a reason.
    Pend,
    /// Go on after waiting.
    Resume,
    /// The work is done (on site, or remotely by CS for a repair).
    Resolve,
    /// Settle a resolved ticket (also done by the system after a while).
    Close,
    /// Open a resolved or closed ticket again (within the window).
    Reopen,
    /// It is not to be done.
    Cancel,
}

impl TicketMove {
    pub const ALL: [TicketMove; 11] = [
        TicketMove::Assign,
        TicketMove::Accept,
        TicketMove::Decline,
        TicketMove::Depart,
        TicketMove::Arrive,
        TicketMove::Pend,
        TicketMove::Resume,
        TicketMove::Resolve,
        TicketMove::Close,
        TicketMove::Reopen,
        TicketMove::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketMove::Assign => "assign",
            TicketMove::Accept => "accept",
            TicketMove::Decline => "decline",
            TicketMove::Depart => "depart",
            TicketMove::Arrive => "arrive",
            TicketMove::Pend => "pend",
            TicketMove::Resume => "resume",
            TicketMove::Resolve => "resolve",
            TicketMove::Close => "close",
            TicketMove::Reopen => "reopen",
            TicketMove::Cancel => "cancel",
        }
    }
}

/// Who makes a move, as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// Staff or a customer, by role; `assignee`: whether they are the
    /// ticket's technician, `owner`: whether it is the customer's own ticket.
    Person {
        role: Role,
        assignee: bool,
        owner: bool,
    },
    /// NetCrew itself (closing resolved tickets after a while, outages).
    System,
}

/// The facts of a ticket a move depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketFacts {
    pub kind: TicketKind,
    pub status: TicketStatus,
    /// The status before it went `pending` (where `resume` returns to).
    pub before_pending: Option<TicketStatus>,
    /// Whether a technician is assigned.
    pub has_technician: bool,
    /// Whether a resolved or closed ticket is still inside the reopening
    /// window (counted by the caller from the configured length).
    pub within_reopen_window: bool,
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    /// The status does not allow it; the moves it allows are listed.
    #[error("a {status} ticket cannot be moved by {requested}; allowed: {}", names(.allowed))]
    NotFromHere {
        status: TicketStatus,
        requested: &'static str,
        allowed: Vec<TicketMove>,
    },
    /// The status allows it, but not for this person.
    #[error("your role may not {0} this ticket")]
    NotYours(&'static str),
}

fn names(moves: &[TicketMove]) -> String {
    if moves.is_empty() {
        return "none".to_string();
    }
    moves
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a move leads from a status, if the status allows it at all.
fn target(m: TicketMove, t: &TicketFacts) -> Option<TicketStatus> {
    use TicketMove as M;
    use TicketStatus as S;
    let s = t.status;
    match (m, s) {
        (M::Assign, S::New | S::Assigned | S::Accepted | S::Reopened) => Some(S::Assigned),
        (M::Accept, S::Assigned) => Some(S::Accepted),
        (M::Decline, S::Assigned) => Some(S::New),
        (M::Depart, S::Accepted) => Some(S::EnRoute),
        (M::Arrive, S::EnRoute) => Some(S::OnSite),
        (M::Pend, S::New | S::Assigned | S::Accepted | S::EnRoute | S::OnSite | S::Reopened) => {
            Some(S::Pending)
        }
        (M::Resume, S::Pending) => Some(match t.before_pending {
            // A technician who was on the way goes back to having it
            // accepted: the trip starts again.
            Some(S::EnRoute | S::OnSite | S::Accepted) => S::Accepted,
            Some(S::Assigned) if t.has_technician => S::Assigned,
            _ if t.has_technician => S::Assigned,
            _ => S::New,
        }),
        (M::Resolve, S::OnSite) => Some(S::Resolved),
        // A repair CS settles remotely (isolir lifted, Wi-Fi settings, an
        // ONT restarted from afar): nobody has to go.
        (M::Resolve, S::New | S::Assigned | S::Accepted | S::Pending | S::Reopened)
            if t.kind == TicketKind::Repair =>
        {
            Some(S::Resolved)
        }
        (M::Close, S::Resolved) => Some(S::Closed),
        (M::Reopen, S::Resolved | S::Closed) if t.within_reopen_window => Some(S::Reopened),
        (M::Cancel, S::New | S::Assigned | S::Accepted | S::Pending | S::Reopened) => {
            Some(S::Cancelled)
        }
        _ => None,
    }
}

/// Whether `who` may make `m` (the status already allows it).
fn permitted(m: TicketMove, t: &TicketFacts, who: Mover) -> bool {
    use TicketMove as M;
    let Mover::Person {
        role,
        assignee,
        owner,
    } = who
    else {
        // The system closes resolved tickets, pends or resumes the
        // children of an outage, assigns in automatic dispatch and takes
        // back assignments not accepted in time.
        return matches!(
            m,
            M::Close | M::Pend | M::Resume | M::Resolve | M::Assign | M::Decline
        );
    };
    match role {
        Role::Admin | Role::Supervisor => true,
        Role::Cs => {
            matches!(
                m,
                M::Assign | M::Pend | M::Resume | M::Resolve | M::Close | M::Reopen | M::Cancel
            ) && !(m == M::Resolve && t.status == TicketStatus::OnSite)
        }
        Role::Technician => {
            assignee
                && matches!(
                    m,
                    M::Accept
                        | M::Decline
                        | M::Depart
                        | M::Arrive
                        | M::Pend
                        | M::Resume
                        | M::Resolve
                )
        }
        // The customer cancels their own ticket before anyone is on the
        // way, and disputes a resolution by reopening it.
        Role::Customer => {
            owner
                && match m {
                    M::Cancel => !t.status.technician_underway(),
                    M::Reopen => true,
                    _ => false,
                }
        }
        Role::Management | Role::Warehouse => false,
    }
}

/// The moves `who` may make on the ticket now.
pub fn allowed_moves(t: &TicketFacts, who: Mover) -> Vec<TicketMove> {
    TicketMove::ALL
        .into_iter()
        .filter(|m| target(*m, t).is_some() && permitted(*m, t, who))
        .collect()
}

/// The statuses `who` may move the ticket to now.
pub fn allowed_targets(t: &TicketFacts, who: Mover) -> Vec<TicketStatus> {
    let mut out: Vec<TicketStatus> = Vec::new();
    for m in allowed_moves(t, who) {
        if let Some(next) = target(m, t)
            && !out.contains(&next)
        {
            out.push(next);
        }
    }
    out
}

/// A transition asked for by its target status (`{"to": "accepted"}`): the
/// move that leads there from the ticket's status, checked as [`apply`]
/// checks it. From one status at most one move leads to a given status.
pub fn transition(
    to: TicketStatus,
    t: &TicketFacts,
    who: Mover,
) -> Result<TicketMove, MoveRefused> {
    match TicketMove::ALL
        .into_iter()
        .find(|m| target(*m, t) == Some(to))
    {
        Some(m) => apply(m, t, who).map(|_| m),
        None => Err(MoveRefused::NotFromHere {
            status: t.status,
            requested: to.as_str(),
            allowed: allowed_moves(t, who),
        }),
    }
}

/// Makes a move: the new status, or why not.
pub fn apply(m: TicketMove, t: &TicketFacts, who: Mover) -> Result<TicketStatus, MoveRefused> {
    let Some(next) = target(m, t) else {
        return Err(MoveRefused::NotFromHere {
            status: t.status,
            requested: m.as_str(),
            allowed: allowed_moves(t, who),
        });
    };
    if !permitted(m, t, who) {
        return Err(MoveRefused::NotYours(m.as_str()));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(kind: TicketKind, status: TicketStatus) -> TicketFacts {
        TicketFacts {
            kind,
            status,
            before_pending: None,
            has_technician: true,
            within_reopen_window: true,
        }
    }

    const SUPERVISOR: Mover = Mover::Person {
        role: Role::Supervisor,
        assignee: false,
        owner: false,
    };
    const TECHNICIAN: Mover = Mover::Person {
        role: Role::Technician,
        assignee: true,
        owner: false,
    };
    const OTHER_TECHNICIAN: Mover = Mover::Person {
        role: Role::Technician,
        assignee: false,
        owner: false,
    };
    const CUSTOMER: Mover = Mover::Person {
        role: Role::Customer,
        assignee: false,
        owner: true,
    };

    #[test]
    fn an_installation_walks_the_whole_way() {
        let mut t = facts(TicketKind::Installation, TicketStatus::New);
        for (m, who, expected) in [
            (TicketMove::Assign, SUPERVISOR, TicketStatus::Assigned),
            (TicketMove::Accept, TECHNICIAN, TicketStatus::Accepted),
            (TicketMove::Depart, TECHNICIAN, TicketStatus::EnRoute),
            (TicketMove::Arrive, TECHNICIAN, TicketStatus::OnSite),
            (TicketMove::Resolve, TECHNICIAN, TicketStatus::Resolved),
            (TicketMove::Close, Mover::System, TicketStatus::Closed),
        ] {
            t.status = apply(m, &t, who).expect("allowed");
            assert_eq!(t.status, expected);
        }
        assert_eq!(
            ticket_number(TicketKind::Installation, 2026, 123),
            "INS-2026-000123"
        );
    }

    #[test]
    fn a_refused_move_names_the_allowed_ones() {
        let t = facts(TicketKind::Installation, TicketStatus::New);
        let refused = apply(TicketMove::Arrive, &t, SUPERVISOR).expect_err("not from new");
        let MoveRefused::NotFromHere { allowed, .. } = &refused else {
            panic!("{refused:?}");
        };
        assert_eq!(
            allowed,
            &[TicketMove::Assign, TicketMove::Pend, TicketMove::Cancel]
        );
        assert!(
            refused
                .to_string()
                .contains("allowed: assign, pend, cancel")
        );
    }

    #[test]
    fn transitions_are_named_by_their_target() {
        let t = facts(TicketKind::Repair, TicketStatus::Assigned);
        assert_eq!(
            transition(TicketStatus::Accepted, &t, TECHNICIAN),
            Ok(TicketMove::Accept)
        );
        assert_eq!(
            allowed_targets(&t, TECHNICIAN),
            [
                TicketStatus::Accepted,
                TicketStatus::New,
                TicketStatus::Pending,
                TicketStatus::Resolved
            ]
        );
        // Back to new is a decline: the assignee's, NetCrew's (not
        // accepted in time) or a supervisor's, never the customer's.
        assert_eq!(
            transition(TicketStatus::New, &t, TECHNICIAN),
            Ok(TicketMove::Decline)
        );
        assert_eq!(
            transition(TicketStatus::New, &t, Mover::System),
            Ok(TicketMove::Decline)
        );
        assert_eq!(
            transition(TicketStatus::New, &t, OTHER_TECHNICIAN),
            Err(MoveRefused::NotYours("decline"))
        );
        assert_eq!(
            transition(TicketStatus::New, &t, CUSTOMER),
            Err(MoveRefused::NotYours("decline"))
        );
        assert!(matches!(
            transition(TicketStatus::OnSite, &t, TECHNICIAN),
            Err(MoveRefused::NotFromHere { .. })
        ));
    }

    #[test]
    fn only_the_assigned_technician_moves_their_job() {
        let t = facts(TicketKind::Repair, TicketStatus::Assigned);
        assert_eq!(
            apply(TicketMove::Accept, &t, OTHER_TECHNICIAN),
            Err(MoveRefused::NotYours("accept"))
        );
        assert!(apply(TicketMove::Accept, &t, TECHNICIAN).is_ok());
        assert!(allowed_moves(&t, OTHER_TECHNICIAN).is_empty());
    }

    #[test]
    fn customers_cancel_only_before_the_technician_sets_off() {
        let mut t = facts(TicketKind::Repair, TicketStatus::Accepted);
        assert_eq!(
            apply(TicketMove::Cancel, &t, CUSTOMER),
            Ok(TicketStatus::Cancelled)
        );
        t.status = TicketStatus::EnRoute;
        assert!(apply(TicketMove::Cancel, &t, CUSTOMER).is_err());
        t.status = TicketStatus::Resolved;
        assert_eq!(
            apply(TicketMove::Reopen, &t, CUSTOMER),
            Ok(TicketStatus::Reopened)
        );
        t.within_reopen_window = false;
        assert!(apply(TicketMove::Reopen, &t, CUSTOMER).is_err());
    }

    #[test]
    fn cs_resolves_repairs_remotely_but_not_installations() {
        let repair = facts(TicketKind::Repair, TicketStatus::New);
        let cs = Mover::Person {
            role: Role::Cs,
            assignee: false,
            owner: false,
        };
        assert_eq!(
            apply(TicketMove::Resolve, &repair, cs),
            Ok(TicketStatus::Resolved)
        );
        let install = facts(TicketKind::Installation, TicketStatus::New);
        assert!(apply(TicketMove::Resolve, &install, cs).is_err());
    }

    #[test]
    fn resuming_returns_to_where_the_work_stood() {
        let mut t = facts(TicketKind::Repair, TicketStatus::Pending);
        t.before_pending = Some(TicketStatus::EnRoute);
        assert_eq!(
            apply(TicketMove::Resume, &t, TECHNICIAN),
            Ok(TicketStatus::Accepted)
        );
        t.before_pending = Some(TicketStatus::New);
        t.has_technician = false;
        assert_eq!(
            apply(TicketMove::Resume, &t, SUPERVISOR),
            Ok(TicketStatus::New)
        );
    }

    fn any_status() -> impl Strategy<Value = TicketStatus> {
        prop::sample::select(TicketStatus::ALL.to_vec())
    }
    fn any_kind() -> impl Strategy<Value = TicketKind> {
        prop::sample::select(TicketKind::ALL.to_vec())
    }
    fn any_move() -> impl Strategy<Value = TicketMove> {
        prop::sample::select(TicketMove::ALL.to_vec())
    }
    fn any_mover() -> impl Strategy<Value = Mover> {
        (
            prop::sample::select(Role::ALL.to_vec()),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(role, assignee, owner, system)| {
                if system {
                    Mover::System
                } else {
                    Mover::Person {
                        role,
                        assignee,
                        owner,
                    }
                }
            })
    }

    proptest! {
        /// `apply` agrees with `allowed_moves`, and no move leaves a ticket
        /// that is closed for good, or leads back to `new` from anywhere
        /// but a pause or a declined assignment.
        #[test]
        fn moves_agree_with_what_is_allowed(
            kind in any_kind(), status in any_status(), m in any_move(), who in any_mover(),
            window in any::<bool>(), technician in any::<bool>(),
            before in prop::option::of(any_status()),
        ) {
            let t = TicketFacts { kind, status, before_pending: before, has_technician: technician, within_reopen_window: window };
            let result = apply(m, &t, who);
            prop_assert_eq!(result.is_ok(), allowed_moves(&t, who).contains(&m));
            if status == TicketStatus::Cancelled {
                prop_assert!(result.is_err());
            }
            if let Ok(next) = result {
                prop_assert!(
                    next != TicketStatus::New
                        || status == TicketStatus::Pending
                        || (status == TicketStatus::Assigned && m == TicketMove::Decline)
                );
                if who == Mover::System {
                    prop_assert!(matches!(
                        m,
                        TicketMove::Close
                            | TicketMove::Pend
                            | TicketMove::Resume
                            | TicketMove::Resolve
                            | TicketMove::Assign
                            | TicketMove::Decline
                    ));
                }
            }
            if let Err(MoveRefused::NotFromHere { allowed, .. }) = &result {
                prop_assert!(!allowed.contains(&m));
            }
        }

        /// From any status, each target is reached by at most one move, so a
        /// transition named by its target is never ambiguous.
        #[test]
        fn targets_name_one_move(
            kind in any_kind(), status in any_status(), window in any::<bool>(),
            technician in any::<bool>(), before in prop::option::of(any_status()),
        ) {
            let t = TicketFacts { kind, status, before_pending: before, has_technician: technician, within_reopen_window: window };
            let mut seen = Vec::new();
            for m in TicketMove::ALL {
                if let Some(next) = target(m, &t) {
                    prop_assert!(!seen.contains(&next), "{:?} reached twice from {:?}", next, status);
                    seen.push(next);
                }
            }
        }

        /// Management watches; it never moves a ticket.
        #[test]
        fn management_moves_nothing(kind in any_kind(), status in any_status()) {
            let who = Mover::Person { role: Role::Management, assignee: true, owner: true };
            prop_assert!(allowed_moves(&facts(kind, status), who).is_empty());
        }
    }
}
