//! The plant: service areas, the ODCs (optical distribution cabinets) in
//! them and the ODPs (optical distribution points) customers are connected
//! to; their statuses, codes, sizes, and the port usage of an ODP.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::fields::{Checks, FieldError, Invalid, choice};

/// Where an ODC or ODP stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlantStatus {
    /// In service, with room for customers.
    Active,
    /// No port free (for an ODP: derived from its ports).
    Full,
    /// Out of service for work on it; takes no new customers.
    Maintenance,
}

impl PlantStatus {
    pub const ALL: [PlantStatus; 3] = [
        PlantStatus::Active,
        PlantStatus::Full,
        PlantStatus::Maintenance,
    ];
    pub const NAMES: [&'static str; 3] = ["active", "full", "maintenance"];
    /// What may be set on an ODP: `full` follows from its ports.
    pub const ODP_NAMES: [&'static str; 2] = ["active", "maintenance"];

    pub fn as_str(self) -> &'static str {
        match self {
            PlantStatus::Active => "active",
            PlantStatus::Full => "full",
            PlantStatus::Maintenance => "maintenance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// A status given for an ODC, or says which are allowed.
    pub fn parse_field(field: &str, s: &str) -> Result<Self, Invalid> {
        Self::parse(s).ok_or_else(|| Invalid::one(choice(field, &Self::NAMES)))
    }

    /// A status given for an ODP (`active` or `maintenance`), or says which
    /// are allowed.
    pub fn parse_odp_field(field: &str, s: &str) -> Result<Self, Invalid> {
        Self::parse(s)
            .filter(|x| *x != PlantStatus::Full)
            .ok_or_else(|| Invalid::one(choice(field, &Self::ODP_NAMES)))
    }

    /// A status a list is filtered by.
    pub fn parse_filter(field: &str, s: &str) -> Result<Self, Invalid> {
        Self::parse(s).ok_or_else(|| {
            Invalid::one(
                FieldError::new(field, "choice", "choose active, full or maintenance")
                    .with("allowed", names(&Self::NAMES)),
            )
        })
    }

    /// Whether a place may be connected through it.
    pub fn serves(self) -> bool {
        self != PlantStatus::Maintenance
    }
}

impl fmt::Display for PlantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn names(all: &[&str]) -> Vec<Value> {
    all.iter().map(|s| Value::from(*s)).collect()
}

/// The status an ODP shows, derived from its ports: an ODP in maintenance
/// stays so; otherwise it is full when no port is free.
pub fn odp_status(configured: PlantStatus, port_count: i32, used: i64) -> PlantStatus {
    if configured == PlantStatus::Maintenance {
        PlantStatus::Maintenance
    } else if used >= i64::from(port_count) {
        PlantStatus::Full
    } else {
        PlantStatus::Active
    }
}

/// The ports of an ODP not in use.
pub fn free_ports(port_count: i32, used: i64) -> i32 {
    i32::try_from((i64::from(port_count) - used).max(0)).unwrap_or(0)
}

/// Port counts of ODPs in use in Indonesian FTTH plant.
pub const ODP_PORT_COUNTS: [i32; 4] = [4, 8, 16, 24];

/// A port count for an ODP with `used` ports in use, the highest of them
/// `highest` (0 when none): one of [`ODP_PORT_COUNTS`], and no customer may
/// be left on a port it no longer has.
pub fn port_count(field: &str, count: i32, used: i64, highest: i32) -> Result<(), FieldError> {
    if !ODP_PORT_COUNTS.contains(&count) {
        Err(
            FieldError::new(field, "choice", "choose 4, 8, 16 or 24").with(
                "allowed",
                ODP_PORT_COUNTS
                    .iter()
                    .map(|n| Value::from(*n))
                    .collect::<Vec<_>>(),
            ),
        )
    } else if i64::from(count) < used {
        Err(FieldError::new(
            field,
            "in_use",
            format!("{used} ports are in use; move those customers first"),
        ))
    } else if highest > count {
        Err(
            FieldError::new(field, "in_use", format!("port {highest} is in use"))
                .with("port", highest),
        )
    } else {
        Ok(())
    }
}

/// The radius of a service area, metres.
pub const AREA_RADIUS_M: std::ops::RangeInclusive<i32> = 100..=50_000;

pub fn area_radius(field: &str, radius_m: i32) -> Result<(), FieldError> {
    if AREA_RADIUS_M.contains(&radius_m) {
        Ok(())
    } else {
        Err(
            FieldError::new(field, "range", "between 100 and 50000 metres")
                .with("min", *AREA_RADIUS_M.start())
                .with("max", *AREA_RADIUS_M.end()),
        )
    }
}

/// Longest code of an area; of an ODC or ODP it is [`PLANT_CODE_MAX`].
pub const AREA_CODE_MAX: usize = 30;
pub const PLANT_CODE_MAX: usize = 40;
/// Longest name of an area, ODC or ODP, and of a city.
pub const PLANT_NAME_MAX: usize = 80;

/// A plant code (`BDG-CBL`, `ODP-CBL-001-03`): one line of 1..=max
/// characters, kept in capitals so `odp-1` and `ODP-1` are one code.
pub fn code(c: &mut Checks, field: &str, value: &str, max: usize) -> String {
    c.text(field, value, max).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odp_status_follows_ports_unless_in_maintenance() {
        assert_eq!(odp_status(PlantStatus::Active, 8, 8), PlantStatus::Full);
        assert_eq!(odp_status(PlantStatus::Full, 8, 7), PlantStatus::Active);
        assert_eq!(
            odp_status(PlantStatus::Maintenance, 8, 2),
            PlantStatus::Maintenance
        );
        assert_eq!(free_ports(8, 3), 5);
        assert_eq!(free_ports(4, 6), 0, "never negative");
    }

    #[test]
    fn statuses_round_trip_and_full_is_not_set_on_an_odp() {
        for s in PlantStatus::ALL {
            assert_eq!(PlantStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).ok(), Some(Value::from(s.as_str())));
        }
        assert!(PlantStatus::parse_field("status", "full").is_ok());
        let Err(Invalid(errors)) = PlantStatus::parse_odp_field("status", "full") else {
            panic!("full is derived");
        };
        assert_eq!(errors[0].code, "choice");
        assert_eq!(errors[0].params["allowed"][1], "maintenance");
        let Err(Invalid(errors)) = PlantStatus::parse_filter("status", "broken") else {
            panic!("no such status");
        };
        assert_eq!(errors[0].detail, "choose active, full or maintenance");
    }

    #[test]
    fn port_counts_are_standard_sizes_above_the_ports_in_use() {
        assert!(port_count("port_count", 8, 0, 0).is_ok());
        assert_eq!(
            port_count("port_count", 7, 0, 0).map_err(|e| e.code),
            Err("choice".to_string())
        );
        let too_few = port_count("port_count", 4, 5, 5).err();
        assert_eq!(
            too_few.map(|e| e.detail),
            Some("5 ports are in use; move those customers first".to_string())
        );
        let cut_off = port_count("port_count", 4, 1, 8).err();
        assert_eq!(
            cut_off.map(|e| e.detail),
            Some("port 8 is in use".to_string())
        );
    }

    #[test]
    fn areas_are_100_m_to_50_km_and_codes_are_capitals() {
        assert!(area_radius("radius_m", 100).is_ok());
        assert!(area_radius("radius_m", 50_000).is_ok());
        assert_eq!(
            area_radius("radius_m", 5).map_err(|e| e.code),
            Err("range".to_string())
        );
        let mut c = Checks::default();
        assert_eq!(code(&mut c, "code", " bdg-ujb ", AREA_CODE_MAX), "BDG-UJB");
        assert!(c.is_empty());
        code(&mut c, "code", &"x".repeat(31), AREA_CODE_MAX);
        assert_eq!(c.errors[0].code, "length");
    }
}
