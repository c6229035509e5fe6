//! Customers: their statuses, numbers, where they came from, when they want
//! to be installed, and the rules a customer record must keep.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::fields::{FieldError, Invalid, choice};

/// Where a customer stands with the ISP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// Asked for a connection; not installed yet.
    Prospect,
    /// Connected and served.
    Active,
    /// Cut off for now ("isolir"), usually for an unpaid bill.
    Suspended,
    /// The service has ended; the port is freed.
    Terminated,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] = [
        CustomerStatus::Prospect,
        CustomerStatus::Active,
        CustomerStatus::Suspended,
        CustomerStatus::Terminated,
    ];
    pub const NAMES: [&'static str; 4] = ["prospect", "active", "suspended", "terminated"];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Prospect => "prospect",
            CustomerStatus::Active => "active",
            CustomerStatus::Suspended => "suspended",
            CustomerStatus::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Parses a status for `field`, or says which are allowed.
    pub fn parse_field(field: &str, s: &str) -> Result<Self, Invalid> {
        Self::parse(s).ok_or_else(|| Invalid::one(choice(field, &Self::NAMES)))
    }

    /// Whether this customer is still served (connected, or cut off only for
    /// now): their personal data must stay until the service ends.
    pub fn still_served(self) -> bool {
        matches!(self, CustomerStatus::Active | CustomerStatus::Suspended)
    }

    /// Whether the customer may hold an ODP port: a terminated one frees it.
    pub fn holds_port(self) -> bool {
        self != CustomerStatus::Terminated
    }
}

impl fmt::Display for CustomerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a customer record came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSource {
    /// Entered by staff (by phone, WhatsApp, at the counter).
    Staff,
    /// Registered themself in the portal.
    Portal,
    /// Came in through a CSV import.
    Import,
}

impl CustomerSource {
    pub const ALL: [CustomerSource; 3] = [
        CustomerSource::Staff,
        CustomerSource::Portal,
        CustomerSource::Import,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerSource::Staff => "staff",
            CustomerSource::Portal => "portal",
            CustomerSource::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The half-day an installation is booked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum InstallWindow {
    #[serde(rename = "08:00-12:00")]
    Morning,
    #[serde(rename = "13:00-17:00")]
    Afternoon,
}

impl InstallWindow {
    pub const ALL: [InstallWindow; 2] = [InstallWindow::Morning, InstallWindow::Afternoon];
    pub const NAMES: [&'static str; 2] = ["08:00-12:00", "13:00-17:00"];

    pub fn as_str(self) -> &'static str {
        match self {
            InstallWindow::Morning => "08:00-12:00",
            InstallWindow::Afternoon => "13:00-17:00",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn parse_field(field: &str, s: &str) -> Result<Self, Invalid> {
        Self::parse(s).ok_or_else(|| Invalid::one(choice(field, &Self::NAMES)))
    }
}

/// The number a customer is known by: `PLG-` and seven digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerNumber(String);

pub const CUSTOMER_NUMBER_PREFIX: &str = "PLG-";

impl CustomerNumber {
    /// The number for the `seq`-th customer.
    pub fn from_sequence(seq: i64) -> Self {
        CustomerNumber(format!("{CUSTOMER_NUMBER_PREFIX}{seq:07}"))
    }

    /// Reads a number as people write it (`plg-0000123`, ` PLG-0000123 `).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_uppercase();
        match s.strip_prefix(CUSTOMER_NUMBER_PREFIX) {
            Some(digits)
                if (1..=12).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(CustomerNumber(s))
            }
            _ => Err(FieldError::new(
                "customer_number",
                "format",
                "a customer number is PLG- followed by digits, e.g. PLG-0000123",
            )
            .with("example", "PLG-0000123")),
        }
    }

    /// The sequence a number was made from, if it has one.
    pub fn sequence(&self) -> Option<i64> {
        self.0[CUSTOMER_NUMBER_PREFIX.len()..].parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for CustomerNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the rules need to know of a package.
pub struct PackageFacts<'a> {
    pub name: &'a str,
    pub on_sale: bool,
}

/// A package may be chosen when it is on sale, or when the customer already
/// has it (a package taken off sale keeps its customers).
pub fn package_choice(
    field: &str,
    package: Option<PackageFacts<'_>>,
    already_theirs: bool,
) -> Result<(), FieldError> {
    match package {
        None => Err(FieldError::new(field, "unknown", "no such package")),
        Some(p) if !p.on_sale && !already_theirs => Err(FieldError::new(
            field,
            "not_on_sale",
            format!("{} is no longer on sale", p.name),
        )
        .with("package", p.name)),
        Some(_) => Ok(()),
    }
}

/// What the rules need to know of an ODP.
pub struct OdpFacts<'a> {
    pub code: &'a str,
    pub port_count: i32,
}

/// A port is on its ODP and serves one customer: `owner` is who is on it now
/// (another customer's number), if anyone.
pub fn port_choice(
    field: &str,
    odp: &OdpFacts<'_>,
    port: i32,
    owner: Option<&str>,
) -> Result<(), FieldError> {
    if !(1..=odp.port_count).contains(&port) {
        return Err(FieldError::new(
            field,
            "port_range",
            format!("{} has ports 1 to {}", odp.code, odp.port_count),
        )
        .with("odp", odp.code)
        .with("max", odp.port_count));
    }
    match owner {
        Some(owner) => Err(port_taken(field, odp.code, port, owner)),
        None => Ok(()),
    }
}

/// The port is taken: says by whom.
pub fn port_taken(field: &str, odp_code: &str, port: i32, owner: &str) -> FieldError {
    FieldError::new(
        field,
        "port_taken",
        format!("port {port} of {odp_code} serves {owner}"),
    )
    .with("odp", odp_code)
    .with("port", port)
    .with("customer_number", owner)
}

/// The phone is another customer's.
pub fn phone_taken(field: &str, owner: &str) -> FieldError {
    FieldError::new(
        field,
        "taken",
        format!("customer {owner} already has this number"),
    )
    .with("customer_number", owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_terminated_frees_the_port() {
        for s in CustomerStatus::ALL {
            assert_eq!(CustomerStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.holds_port(), s != CustomerStatus::Terminated);
        }
        assert!(CustomerStatus::parse("isolir").is_none());
        let err = CustomerStatus::parse_field("status", "Aktif").expect_err("refused");
        assert_eq!(err.0[0].params["allowed"].as_array().map(Vec::len), Some(4));
        assert!(CustomerStatus::Suspended.still_served());
        assert!(!CustomerStatus::Prospect.still_served());
    }

    #[test]
    fn customer_numbers_are_made_and_read_one_way() {
        let n = CustomerNumber::from_sequence(123);
        assert_eq!(n.as_str(), "PLG-0000123");
        assert_eq!(CustomerNumber::parse(" plg-0000123 "), Ok(n.clone()));
        assert_eq!(n.sequence(), Some(123));
        for bad in ["PLG-", "0000123", "PLG-12a", "CUST-0001"] {
            assert_eq!(
                CustomerNumber::parse(bad).expect_err("refused").code,
                "format",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_package_off_sale_is_refused_unless_it_is_already_theirs() {
        let off = || {
            Some(PackageFacts {
                name: "Lama 5M",
                on_sale: false,
            })
        };
        let err = package_choice("package_id", off(), false).expect_err("refused");
        assert_eq!(err.code, "not_on_sale");
        assert_eq!(err.params["package"], "Lama 5M");
        assert!(package_choice("package_id", off(), true).is_ok());
        assert_eq!(
            package_choice("package", None, false)
                .expect_err("refused")
                .code,
            "unknown"
        );
    }

    #[test]
    fn a_port_must_exist_and_be_free() {
        let odp = OdpFacts {
            code: "ODP-BDG-001",
            port_count: 8,
        };
        assert!(port_choice("odp_port", &odp, 8, None).is_ok());
        assert_eq!(
            port_choice("odp_port", &odp, 9, None)
                .expect_err("refused")
                .code,
            "port_range"
        );
        assert_eq!(
            port_choice("odp_port", &odp, 0, None)
                .expect_err("refused")
                .params["max"],
            8
        );
        let taken = port_choice("odp_port", &odp, 3, Some("PLG-0000001")).expect_err("refused");
        assert_eq!(taken.code, "port_taken");
        assert_eq!(taken.detail, "port 3 of ODP-BDG-001 serves PLG-0000001");
    }

    #[test]
    fn windows_are_the_two_half_days() {
        assert_eq!(
            InstallWindow::parse("08:00-12:00"),
            Some(InstallWindow::Morning)
        );
        assert!(InstallWindow::parse("08:00-17:00").is_none());
    }
}
