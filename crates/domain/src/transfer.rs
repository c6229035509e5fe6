//! The spreadsheet files records travel in (CSV import and export): which
//! kinds there are and the columns of each.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Areas,
    Odcs,
    Odps,
    Packages,
    Customers,
    /// Stock in warehouses: opening stock on import (receipts), what each
    /// warehouse holds on export.
    Stock,
}

impl TransferKind {
    pub const ALL: [TransferKind; 6] = [
        TransferKind::Areas,
        TransferKind::Odcs,
        TransferKind::Odps,
        TransferKind::Packages,
        TransferKind::Customers,
        TransferKind::Stock,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Areas => "areas",
            TransferKind::Odcs => "odcs",
            TransferKind::Odps => "odps",
            TransferKind::Packages => "packages",
            TransferKind::Customers => "customers",
            TransferKind::Stock => "stock",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The header of the kind's file, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TransferKind::Areas => &["code", "name", "city", "lat", "lng", "radius_m"],
            TransferKind::Odcs => &["code", "name", "area_code", "lat", "lng", "status"],
            TransferKind::Odps => &[
                "code",
                "name",
                "odc_code",
                "lat",
                "lng",
                "port_count",
                "status",
            ],
            TransferKind::Packages => &[
                "name",
                "download_mbps",
                "upload_mbps",
                "monthly_price_idr",
                "description",
                "active",
            ],
            TransferKind::Customers => &[
                "customer_number",
                "name",
                "phone",
                "whatsapp",
                "email",
                "address",
                "lat",
                "lng",
                "package",
                "odp_code",
                "odp_port",
                "status",
                "notes",
                "rt",
                "rw",
                "kelurahan",
                "kecamatan",
                "city",
                "pppoe_username",
                "billing_id",
            ],
            TransferKind::Stock => &["item_code", "warehouse", "quantity", "serial", "mac"],
        }
    }

    /// Columns a file may leave out (added after files were first made).
    pub fn optional_columns(self) -> &'static [&'static str] {
        match self {
            TransferKind::Customers => &[
                "rt",
                "rw",
                "kelurahan",
                "kecamatan",
                "city",
                "pppoe_username",
                "billing_id",
            ],
            TransferKind::Stock => &["serial", "mac"],
            _ => &[],
        }
    }

    /// What a header lacks and what it has that the kind does not know.
    pub fn header_gaps(self, header: &[String]) -> (Vec<&'static str>, Vec<&str>) {
        let expected = self.columns();
        let missing = expected
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c) && !self.optional_columns().contains(c))
            .collect();
        let unknown = header
            .iter()
            .map(String::as_str)
            .filter(|h| !expected.contains(h))
            .collect();
        (missing, unknown)
    }
}

impl fmt::Display for TransferKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_headers_are_checked() {
        for k in TransferKind::ALL {
            assert_eq!(TransferKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TransferKind::parse("routers"), None);
        let header: Vec<String> = ["code", "nama"].iter().map(|s| s.to_string()).collect();
        let (missing, unknown) = TransferKind::Areas.header_gaps(&header);
        assert_eq!(missing, ["name", "city", "lat", "lng", "radius_m"]);
        assert_eq!(unknown, ["nama"]);
        let old: Vec<String> = TransferKind::Customers.columns()[..13]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            TransferKind::Customers.header_gaps(&old),
            (vec![], vec![]),
            "files from before RT/RW still import"
        );
    }
}
