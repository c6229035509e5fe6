//! Points on the earth (WGS84) and straight-line distances.

use serde::{Deserialize, Serialize};

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 coordinate, validated on construction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint")]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
}

#[derive(Deserialize)]
struct RawPoint {
    lat: f64,
    lng: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidPoint {
    #[error("latitude must be between -90 and 90")]
    Latitude,
    #[error("longitude must be between -180 and 180")]
    Longitude,
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = InvalidPoint;
    fn try_from(raw: RawPoint) -> Result<Self, Self::Error> {
        GeoPoint::new(raw.lat, raw.lng)
    }
}

impl GeoPoint {
    pub fn new(lat: f64, lng: f64) -> Result<Self, InvalidPoint> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(InvalidPoint::Latitude);
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err(InvalidPoint::Longitude);
        }
        Ok(GeoPoint { lat, lng })
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlng = (other.lng - self.lng).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }

    /// The point `distance_m` metres away on `bearing_deg` (0 = north), on a
    /// spherical earth. Used to place generated plant around a centre.
    pub fn offset(&self, distance_m: f64, bearing_deg: f64) -> GeoPoint {
        let d = distance_m / EARTH_RADIUS_M;
        let b = bearing_deg.to_radians();
        let lat1 = self.lat.to_radians();
        let lng1 = self.lng.to_radians();
        let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * b.cos()).asin();
        let lng2 = lng1 + (b.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
        GeoPoint {
            lat: lat2.to_degrees(),
            lng: lng2.to_degrees(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lng: f64) -> GeoPoint {
        GeoPoint::new(lat, lng).expect("valid point")
    }

    #[test]
    fn distance_between_bandung_landmarks() {
        // Gedung Sate to Alun-alun Bandung: about 2.3 km.
        let d = p(-6.902_5, 107.618_8).distance_m(&p(-6.921_4, 107.607_1));
        assert!((2_300.0..2_700.0).contains(&d), "{d}");
    }

    #[test]
    fn offset_moves_by_the_distance_asked() {
        let start = p(-6.9, 107.6);
        for bearing in [0.0, 45.0, 180.0, 300.0] {
            let moved = start.offset(250.0, bearing);
            assert!((start.distance_m(&moved) - 250.0).abs() < 0.01);
        }
    }

    #[test]
    fn rejects_out_of_range_coordinates() {
        assert_eq!(GeoPoint::new(91.0, 0.0), Err(InvalidPoint::Latitude));
        assert_eq!(GeoPoint::new(0.0, -181.0), Err(InvalidPoint::Longitude));
        assert_eq!(GeoPoint::new(f64::NAN, 0.0), Err(InvalidPoint::Latitude));
    }
}
