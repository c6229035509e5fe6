//! Who may do what: the permission matrix (role -> permissions), session
//! lifetimes per role, and the password rules. Enforced by the API on every
//! endpoint; documented from this code in `docs/permissions.md`.

use std::time::Duration;

use crate::Role;

/// An action on a kind of record. Row scoping (a customer sees only their
/// own records, a technician their assigned work) is applied on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Read and change one's own profile, password and sessions.
    ProfileManage,
    /// See staff accounts.
    UsersRead,
    /// Create, change, deactivate staff accounts; end their sessions.
    UsersManage,
    /// Read the audit log.
    AuditRead,
    /// See teams (everyone on staff).
    TeamsRead,
    /// Create and change teams.
    TeamsManage,
    /// Create and revoke API tokens for integrations.
    ApiTokensManage,
    /// See the plant: ODCs, ODPs and their ports.
    NetworkRead,
    /// Change areas, ODCs, ODPs, packages, service types, problem
    /// categories and skills.
    NetworkManage,
    /// See customers (row scope applies: a customer sees only themself).
    CustomersRead,
    /// Register and change customers.
    CustomersManage,
    /// Erase a former customer's personal data at their request (UU PDP).
    CustomersErase,
    /// See where people asked for service that is not covered yet.
    DemandRead,
    /// Import master data and customers from CSV.
    DataImport,
    /// Export master data and customers as CSV.
    DataExport,
    /// See tickets (row scope: a customer their own, a technician those
    /// assigned to them, a supervisor their areas' and teams').
    TicketsRead,
    /// Open tickets (a customer only for themself, only repairs).
    TicketsCreate,
    /// Change a ticket's details (place, appointment, tags; the priority
    /// is the supervisor's) and assign it by hand.
    TicketsManage,
    /// Move tickets through their lifecycle; which move each role may make
    /// is the lifecycle's rule.
    TicketsWork,
    /// Comment on tickets (internal comments: staff only).
    TicketsComment,
    /// Change SLA policies, pause reasons, holidays and area calendars.
    SlaManage,
    /// See outages and the suggestions of where one may be.
    OutagesRead,
    /// Declare and resolve outages.
    OutagesManage,
    /// See a subscriber's whole NIK and KTP photo (every view is audited).
    IdentityRead,
    /// Record a subscriber's NIK and KTP photo and verify installations.
    IdentityManage,
    /// See the messages sent to customers and how their delivery went.
    MessagesRead,
    /// Set up the WhatsApp gateways and the wording, and send a failed
    /// message again.
    MessagesManage,
    /// See technicians' dispatch profiles, leave, the on-call rota, and
    /// who may do a ticket and why.
    DispatchRead,
    /// Change technicians' profiles and the on-call rota; approve leave.
    DispatchManage,
    /// Set how dispatch decides (mode, weights, travel, Ramadan).
    DispatchSettings,
    /// See stock, items, places, movements and assets.
    InventoryRead,
    /// Keep the item catalogue and places; receive, issue, transfer,
    /// return and write off stock.
    InventoryManage,
    /// Approve a stock count's corrections (a technician found short).
    InventoryApprove,
    /// A technician's own stock: see it, record what a job used, ask for
    /// material.
    InventoryOwn,
    /// Ask for one's own leave, report sick days and send one's position
    /// (technicians).
    AvailabilityOwn,
    /// Approve exceptions to a job's documentation (a weak optical
    /// reading).
    JobsApprove,
    /// Choose how one's own staff alerts arrive (channels, quiet hours) and
    /// which of one's devices take Web Push.
    AlertsOwn,
}

impl Permission {
    pub const ALL: [Permission; 37] = [
        Permission::ProfileManage,
        Permission::UsersRead,
        Permission::UsersManage,
        Permission::AuditRead,
        Permission::TeamsRead,
        Permission::TeamsManage,
        Permission::ApiTokensManage,
        Permission::NetworkRead,
        Permission::NetworkManage,
        Permission::CustomersRead,
        Permission::CustomersManage,
        Permission::CustomersErase,
        Permission::DemandRead,
        Permission::DataImport,
        Permission::DataExport,
        Permission::TicketsRead,
        Permission::TicketsCreate,
        Permission::TicketsManage,
        Permission::TicketsWork,
        Permission::TicketsComment,
        Permission::SlaManage,
        Permission::OutagesRead,
        Permission::OutagesManage,
        Permission::IdentityRead,
        Permission::IdentityManage,
        Permission::MessagesRead,
        Permission::MessagesManage,
        Permission::DispatchRead,
        Permission::DispatchManage,
        Permission::DispatchSettings,
        Permission::AvailabilityOwn,
        Permission::InventoryRead,
        Permission::InventoryManage,
        Permission::InventoryApprove,
        Permission::InventoryOwn,
        Permission::AlertsOwn,
        Permission::JobsApprove,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ProfileManage => "profile.manage",
            Permission::UsersRead => "users.read",
            Permission::UsersManage => "users.manage",
            Permission::AuditRead => "audit.read",
            Permission::TeamsRead => "teams.read",
            Permission::TeamsManage => "teams.manage",
            Permission::ApiTokensManage => "api_tokens.manage",
            Permission::NetworkRead => "network.read",
            Permission::NetworkManage => "network.manage",
            Permission::CustomersRead => "customers.read",
            Permission::CustomersManage => "customers.manage",
            Permission::CustomersErase => "customers.erase",
            Permission::DemandRead => "demand.read",
            Permission::DataImport => "data.import",
            Permission::DataExport => "data.export",
            Permission::TicketsRead => "tickets.read",
            Permission::TicketsCreate => "tickets.create",
            Permission::TicketsManage => "tickets.manage",
            Permission::TicketsWork => "tickets.work",
            Permission::TicketsComment => "tickets.comment",
            Permission::SlaManage => "sla.manage",
            Permission::OutagesRead => "outages.read",
            Permission::OutagesManage => "outages.manage",
            Permission::IdentityRead => "identity.read",
            Permission::IdentityManage => "identity.manage",
            Permission::MessagesRead => "messages.read",
            Permission::MessagesManage => "messages.manage",
            Permission::DispatchRead => "dispatch.read",
            Permission::DispatchManage => "dispatch.manage",
            Permission::DispatchSettings => "dispatch.settings",
            Permission::AvailabilityOwn => "availability.own",
            Permission::InventoryRead => "inventory.read",
            Permission::InventoryManage => "inventory.manage",
            Permission::InventoryApprove => "inventory.approve",
            Permission::InventoryOwn => "inventory.own",
            Permission::AlertsOwn => "alerts.own",
            Permission::JobsApprove => "jobs.approve",
        }
    }

    pub fn parse(s: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The permission matrix.
pub fn permissions(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Admin => &[
            ProfileManage,
            AlertsOwn,
            JobsApprove,
            UsersRead,
            UsersManage,
            AuditRead,
            TeamsRead,
            TeamsManage,
            ApiTokensManage,
            NetworkRead,
            NetworkManage,
            CustomersRead,
            CustomersManage,
            CustomersErase,
            DemandRead,
            DataImport,
            DataExport,
            TicketsRead,
            TicketsCreate,
            TicketsManage,
            TicketsWork,
            TicketsComment,
            SlaManage,
            OutagesRead,
            OutagesManage,
            IdentityRead,
            IdentityManage,
            MessagesRead,
            MessagesManage,
            DispatchRead,
            DispatchManage,
            DispatchSettings,
            InventoryRead,
            InventoryManage,
            InventoryApprove,
        ],
        Role::Supervisor => &[
            ProfileManage,
            AlertsOwn,
            JobsApprove,
            UsersRead,
            TeamsRead,
            NetworkRead,
            CustomersRead,
            CustomersManage,
            DemandRead,
            TicketsRead,
            TicketsCreate,
            TicketsManage,
            TicketsWork,
            TicketsComment,
            OutagesRead,
            OutagesManage,
            DispatchRead,
            DispatchManage,
            InventoryRead,
            InventoryApprove,
        ],
        Role::Management => &[
            ProfileManage,
            AlertsOwn,
            UsersRead,
            AuditRead,
            TeamsRead,
            NetworkRead,
            CustomersRead,
            DemandRead,
            DataExport,
            TicketsRead,
            OutagesRead,
            DispatchRead,
            InventoryRead,
        ],
        Role::Cs => &[
            ProfileManage,
            AlertsOwn,
            TeamsRead,
            NetworkRead,
            CustomersRead,
            CustomersManage,
            TicketsRead,
            TicketsCreate,
            TicketsManage,
            TicketsWork,
            TicketsComment,
            OutagesRead,
            IdentityRead,
            IdentityManage,
            MessagesRead,
            DispatchRead,
        ],
        Role::Technician => &[
            ProfileManage,
            AlertsOwn,
            TeamsRead,
            NetworkRead,
            TicketsRead,
            TicketsWork,
            TicketsComment,
            AvailabilityOwn,
            InventoryOwn,
        ],
        Role::Customer => &[
            ProfileManage,
            CustomersRead,
            TicketsRead,
            TicketsCreate,
            TicketsWork,
            TicketsComment,
        ],
        Role::Warehouse => &[
            ProfileManage,
            AlertsOwn,
            TeamsRead,
            NetworkRead,
            TicketsRead,
            InventoryRead,
            InventoryManage,
        ],
    }
}

pub fn allows(role: Role, permission: Permission) -> bool {
    permissions(role).contains(&permission)
}

/// How long a session may stay unused (idle) and live at most (absolute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// A technician's phone goes days without signal and must not log out in a
/// basement; an admin's desk session is short-lived.
pub fn session_policy(role: Role) -> SessionPolicy {
    let (idle, absolute) = match role {
        Role::Admin => (30 * 60, 12 * HOUR),
        Role::Supervisor | Role::Cs | Role::Management | Role::Warehouse => (8 * HOUR, 7 * DAY),
        Role::Technician => (7 * DAY, 30 * DAY),
        Role::Customer => (DAY, 30 * DAY),
    };
    SessionPolicy {
        idle: Duration::from_secs(idle),
        absolute: Duration::from_secs(absolute),
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Words Indonesian users (and users of this product) build passwords from,
/// which the estimator's English dictionaries do not know. They count as
/// common words, so `sayangku1` or `rahasia123` is as weak as `password1`.
const LOCAL_WORDS: &[&str] = &[
    "bismillah",
    "indonesia",
    "sayang",
    "sayangku",
    "cinta",
    "cintaku",
    "rahasia",
    "katasandi",
    "kata sandi",
    "sandi",
    "jakarta",
    "bandung",
    "surabaya",
    "merdeka",
    "garuda",
    "pancasila",
    "allah",
    "alhamdulillah",
    "ganteng",
    "cantik",
    "anjing",
    "wifi",
    "indihome",
    "internet",
    "admin",
    "netcrew",
];

/// The fewest guesses a password must take an attacker who tries the most
/// likely passwords first (a common-password list of 30,000 entries,
/// dictionary words and names with their usual variations, keyboard walks,
/// sequences, repeats and dates, as the zxcvbn estimator models them). Below
/// this a password is one of the first million an attacker would try.
pub const PASSWORD_MIN_GUESSES_LOG10: f64 = 6.0;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("password must have at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("password must have at most {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    #[error("this password is too common; choose another")]
    Common,
    #[error("password must not be your login name")]
    SameAsLogin,
}

impl WeakPassword {
    /// A stable code for clients to show the reason in their language.
    pub fn code(&self) -> &'static str {
        match self {
            WeakPassword::TooShort => "password_short",
            WeakPassword::TooLong => "password_long",
            WeakPassword::Common => "password_common",
            WeakPassword::SameAsLogin => "password_login",
        }
    }
}

/// Length rules, and a check that the password is not among those people
/// pick first (no composition rules, as ASVS asks): a long passphrase of
/// plain words passes, `qwerty12` does not.
pub fn check_password(password: &str, logins: &[&str]) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(WeakPassword::TooLong);
    }
    let lower = password.to_lowercase();
    if logins
        .iter()
        .any(|l| !l.is_empty() && l.to_lowercase() == lower)
    {
        return Err(WeakPassword::SameAsLogin);
    }
    // The login and its parts (`budi.santoso@isp.example`: `budi`,
    // `santoso`, `isp`) are words an attacker tries first too.
    let login_parts = logins
        .iter()
        .flat_map(|l| std::iter::once(*l).chain(l.split(|c: char| !c.is_alphanumeric())));
    let known: Vec<&str> = LOCAL_WORDS
        .iter()
        .copied()
        .chain(login_parts.filter(|w| w.chars().count() >= 3))
        .collect();
    if zxcvbn::zxcvbn(password, &known).guesses_log10() < PASSWORD_MIN_GUESSES_LOG10 {
        return Err(WeakPassword::Common);
    }
    Ok(())
}

/// The permission matrix and session limits as a Markdown table, for
/// `docs/permissions.md` (a test keeps that file equal to this).
pub fn matrix_markdown() -> String {
    let mut out = String::from(
        "# Permissions\n\n\
         Generated from `crates/domain/src/access.rs`; a test fails when this file \
         and the code disagree (`NETCREW_UPDATE_DOCS=1 cargo test -p netcrew --test api permissions` rewrites it).\n\n\
         On top of these, rows are scoped: a supervisor sees only the accounts of \
         their own teams; a customer sees only their own records. API tokens act \
         for the admin who created them, limited to the scopes chosen.\n\n\
         | permission |",
    );
    for role in Role::ALL {
        out.push_str(&format!(" {role} |"));
    }
    out.push_str("\n|---|");
    for _ in Role::ALL {
        out.push_str(":---:|");
    }
    out.push('\n');
    for p in Permission::ALL {
        out.push_str(&format!("| `{}` |", p.as_str()));
        for role in Role::ALL {
            out.push_str(if allows(role, p) { " ✓ |" } else { "   |" });
        }
        out.push('\n');
    }
    out.push_str("\n## Sessions\n\n| role | idle limit | absolute limit |\n|---|---|---|\n");
    for role in Role::ALL {
        let p = session_policy(role);
        out.push_str(&format!(
            "| {role} | {} | {} |\n",
            human(p.idle),
            human(p.absolute)
        ));
    }
    out.push_str(
        "\nA technician's phone may go days without signal and must not sign out \
         in the field; an admin's session is short. Signing in always starts a new \
         session id; changing the password ends the account's other sessions; \
         deactivating an account or changing its role ends all of them.\n",
    );
    out
}

fn human(d: Duration) -> String {
    let secs = d.as_secs();
    let (n, unit) = if secs.is_multiple_of(DAY) {
        (secs / DAY, "day")
    } else if secs.is_multiple_of(HOUR) {
        (secs / HOUR, "hour")
    } else {
        (secs / 60, "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_users_and_management_changes_nothing() {
        for role in Role::ALL {
            assert_eq!(allows(role, Permission::UsersManage), role == Role::Admin);
            assert!(allows(role, Permission::ProfileManage));
        }
        assert!(allows(Role::Management, Permission::AuditRead));
        assert!(!allows(Role::Customer, Permission::UsersRead));
        assert!(!allows(Role::Technician, Permission::UsersRead));
        assert!(!allows(Role::Cs, Permission::UsersRead));
        for p in [
            Permission::NetworkManage,
            Permission::CustomersManage,
            Permission::DataImport,
            Permission::OutagesManage,
        ] {
            assert!(
                !allows(Role::Management, p),
                "management changes nothing operational"
            );
        }
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn identity_documents_are_for_customer_service_and_admins_only() {
        for role in Role::ALL {
            let desk = matches!(role, Role::Admin | Role::Cs);
            assert_eq!(allows(role, Permission::IdentityRead), desk, "{role}");
            assert_eq!(allows(role, Permission::IdentityManage), desk, "{role}");
        }
    }

    #[test]
    fn field_sessions_outlive_desk_sessions() {
        assert!(session_policy(Role::Technician).idle > session_policy(Role::Admin).idle);
        for role in Role::ALL {
            let p = session_policy(role);
            assert!(p.idle < p.absolute, "{role}");
        }
    }

    #[test]
    fn password_rules() {
        assert_eq!(check_password("pendek", &[]), Err(WeakPassword::TooShort));
        assert_eq!(
            check_password("Password123", &[]),
            Err(WeakPassword::Common)
        );
        assert_eq!(check_password("aaaaaaaaaa", &[]), Err(WeakPassword::Common));
        assert_eq!(
            check_password(&"x".repeat(129), &[]),
            Err(WeakPassword::TooLong)
        );
        assert_eq!(
            check_password("budi@isp.example", &["budi@isp.example"]),
            Err(WeakPassword::SameAsLogin)
        );
        assert_eq!(check_password("kabel drop putus di tiang 7", &[]), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_length() {
        for p in [
            "qwerty12",
            "iloveyou1",
            "1qaz2wsx",
            "abcdefgh",
            "12345678",
            "password1",
            "sunshine",
            "trustno1",
            "qwertyuiop",
            "11223344",
            "sayangku1",
            "rahasia123",
            "bismillah",
            "merdeka45",
            "Indonesia2024",
            "netcrew123",
            "abcabcabcabc",
            &"x".repeat(PASSWORD_MAX_CHARS),
        ] {
            assert_eq!(check_password(p, &[]), Err(WeakPassword::Common), "{p}");
        }
        // Built from the account's own login.
        assert_eq!(
            check_password("budisantoso1", &["budisantoso@isp.example"]),
            Err(WeakPassword::Common)
        );
    }

    #[test]
    fn passphrases_and_random_passwords_pass() {
        for p in [
            "kopi susu gula aren",
            "tiang listrik miring",
            "Rahasia-Kuat-7",
            "k8#Lm2qP",
            "kqzmbtrw",
            "admin-fiber-1234",
            &"kabel fiber ".repeat(10),
        ] {
            assert_eq!(check_password(p, &[]), Ok(()), "{p}");
        }
    }
}
