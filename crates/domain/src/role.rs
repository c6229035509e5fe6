//! The roles people play in NetCrew.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Supervisor,
    Cs,
    Technician,
    Management,
    Customer,
    /// The storekeeper (gudang): receives, issues and counts stock.
    Warehouse,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?}; expected one of admin, supervisor, cs, technician, management, customer, warehouse"
)]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Supervisor,
        Role::Cs,
        Role::Technician,
        Role::Management,
        Role::Customer,
        Role::Warehouse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Cs => "cs",
            Role::Technician => "technician",
            Role::Management => "management",
            Role::Customer => "customer",
            Role::Warehouse => "warehouse",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
