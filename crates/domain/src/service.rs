//! What an ISP's field work is made of: priorities, the documentation a job
//! must deliver, and coverage distances.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::fields::{FieldError, Invalid};

/// How soon a job or fault is to be handled.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
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

    /// A priority given for `field`, or says which are allowed.
    pub fn parse_field(field: &str, s: &str) -> Result<Self, Invalid> {
        s.parse().map_err(|_| {
            Invalid::one(FieldError::new(
                field,
                "choice",
                "choose low, normal, high or urgent",
            ))
        })
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
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

    /// The items named in `names`, in their order and once each; or an
    /// error for each unknown name.
    pub fn parse_list(field: &str, names: &[String]) -> Result<Vec<DocItem>, Invalid> {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for name in names {
            match DocItem::parse(name) {
                Some(d) => {
                    if !items.contains(&d) {
                        items.push(d);
                    }
                }
                None => {
                    let all: Vec<&str> = DocItem::ALL.iter().map(|d| d.as_str()).collect();
                    errors.push(FieldError::new(
                        field,
                        "choice",
                        format!("{name}: choose from {}", all.join(", ")),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(items)
        } else {
            Err(Invalid(errors))
        }
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
        assert_eq!(
            Priority::parse_field("default_priority", "soon").map_err(|e| e.0[0].code.clone()),
            Err("choice".to_string())
        );
    }

    #[test]
    fn documentation_lists_are_known_items_once_each() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            DocItem::parse_list(
                "required_docs",
                &names(&["ont_serial", "speed_test", "ont_serial"])
            ),
            Ok(vec![DocItem::OntSerial, DocItem::SpeedTest])
        );
        let Err(Invalid(errors)) =
            DocItem::parse_list("required_docs", &names(&["selfie", "ont_serial", "x"]))
        else {
            panic!("unknown items");
        };
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0]
                .detail
                .starts_with("selfie: choose from photo_before")
        );
    }
}
