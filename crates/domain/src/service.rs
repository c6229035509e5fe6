//! What an ISP's field work is made of: priorities, the documentation a job
//! must deliver, the port usage of an ODP, and coverage distances.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown priority {s:?}; expected low, normal, high or urgent"))
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of documentation a technician delivers to complete a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocItem {
    PhotoBefore,
    PhotoAfter,
    OntSerial,
    OpticalPowerDbm,
    EquipmentUsed,
    SpeedTest,
    CustomerSignature,
}

impl DocItem {
    pub const ALL: [DocItem; 7] = [
        DocItem::PhotoBefore,
        DocItem::PhotoAfter,
        DocItem::OntSerial,
        DocItem::OpticalPowerDbm,
        DocItem::EquipmentUsed,
        DocItem::SpeedTest,
        DocItem::CustomerSignature,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocItem::PhotoBefore => "photo_before",
            DocItem::PhotoAfter => "photo_after",
            DocItem::OntSerial => "ont_serial",
            DocItem::OpticalPowerDbm => "optical_power_dbm",
            DocItem::EquipmentUsed => "equipment_used",
            DocItem::SpeedTest => "speed_test",
            DocItem::CustomerSignature => "customer_signature",
        }
    }

    pub fn parse(s: &str) -> Option<DocItem> {
        DocItem::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// Status of an ODC or ODP.
pub const PLANT_STATUSES: [&str; 3] = ["active", "full", "maintenance"];
/// Port counts of ODPs in use in Indonesian FTTH plant.
pub const ODP_PORT_COUNTS: [i32; 4] = [4, 8, 16, 24];

/// The status an ODP shows, derived from its ports: an ODP in maintenance
/// stays so; otherwise it is full when no port is free.
pub fn odp_status(configured: &str, port_count: i32, used: i32) -> &'static str {
    if configured == "maintenance" {
        "maintenance"
    } else if used >= port_count {
        "full"
    } else {
        "active"
    }
}

/// Coverage rules: how far a drop cable may run, and how much longer the
/// road is than the straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverageRules {
    pub max_drop_m: f64,
    pub road_factor: f64,
}

impl Default for CoverageRules {
    fn default() -> Self {
        CoverageRules {
            max_drop_m: 250.0,
            road_factor: 1.3,
        }
    }
}

impl CoverageRules {
    /// The cable length a straight-line distance needs.
    pub fn cable_m(&self, straight_m: f64) -> f64 {
        straight_m * self.road_factor
    }

    /// Straight-line radius to search within.
    pub fn search_radius_m(&self) -> f64 {
        self.max_drop_m / self.road_factor
    }

    pub fn reachable(&self, straight_m: f64) -> bool {
        self.cable_m(straight_m) <= self.max_drop_m
    }
}

/// Unmet demand is counted once per place and day: a place is a grid cell of
/// 1/4000 degree (about 28 m at Indonesian latitudes), so repeated checks of
/// one house, a few metres apart, are the same place.
pub const DEMAND_CELLS_PER_DEGREE: f64 = 4000.0;

/// The key of the grid cell a point falls in, for de-duplicating demand.
pub fn demand_place_key(point: crate::GeoPoint) -> String {
    let cell = |v: f64| (v * DEMAND_CELLS_PER_DEGREE).floor() as i64;
    format!("{}:{}", cell(point.lat), cell(point.lng))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_places_are_cells_of_about_thirty_metres() {
        let at = |lat, lng| demand_place_key(crate::GeoPoint::new(lat, lng).expect("valid"));
        let home = at(-6.89351, 107.61352);
        assert_eq!(home, at(-6.89352, 107.61354), "a few metres away");
        assert_ne!(home, at(-6.89351 + 0.001, 107.61352), "110 m north");
        assert_ne!(home, at(-6.89351, 107.61352 + 0.001), "110 m east");
        assert_ne!(
            at(0.0001, 0.0001),
            at(-0.0001, -0.0001),
            "across the equator"
        );
    }

    #[test]
    fn odp_status_follows_ports_unless_in_maintenance() {
        assert_eq!(odp_status("active", 8, 8), "full");
        assert_eq!(odp_status("full", 8, 7), "active");
        assert_eq!(odp_status("maintenance", 8, 2), "maintenance");
    }

    #[test]
    fn coverage_uses_the_road_factor() {
        let rules = CoverageRules::default();
        assert!(rules.reachable(190.0));
        assert!(!rules.reachable(200.0), "200 m straight is 260 m of cable");
        assert!((rules.search_radius_m() - 192.3).abs() < 0.1);
    }

    #[test]
    fn names_round_trip() {
        for p in Priority::ALL {
            assert_eq!(p.as_str().parse::<Priority>(), Ok(p));
        }
        for d in DocItem::ALL {
            assert_eq!(DocItem::parse(d.as_str()), Some(d));
        }
        assert!("sometime".parse::<Priority>().is_err());
    }
}
