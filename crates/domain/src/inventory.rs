//! Inventory: items, where stock is, and the movements between places.
//!
//! Stock is never edited: every change is a movement in an append-only
//! ledger, and a balance is the sum of the movements into a place minus
//! those out of it. A movement must make sense for the places it joins
//! (stock is installed at a customer's, not in a warehouse), carries a
//! positive quantity, and may not take a place below zero.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::fields::Checks;

/// What kind of thing an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Ont,
    Router,
    DropCable,
    PatchCord,
    Connector,
    Splitter,
    Tool,
    Other,
}

impl ItemKind {
    pub const ALL: [ItemKind; 8] = [
        ItemKind::Ont,
        ItemKind::Router,
        ItemKind::DropCable,
        ItemKind::PatchCord,
        ItemKind::Connector,
        ItemKind::Splitter,
        ItemKind::Tool,
        ItemKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Ont => "ont",
            ItemKind::Router => "router",
            ItemKind::DropCable => "drop_cable",
            ItemKind::PatchCord => "patch_cord",
            ItemKind::Connector => "connector",
            ItemKind::Splitter => "splitter",
            ItemKind::Tool => "tool",
            ItemKind::Other => "other",
        }
    }

    /// Equipment that stays at a customer's home and is tracked one by one.
    pub fn is_equipment(self) -> bool {
        matches!(self, ItemKind::Ont | ItemKind::Router)
    }
}

/// Who owns equipment at a customer's home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Terms {
    /// The ISP's, lent for the service; recovered at dismantle.
    Loaned,
    /// The ISP's, rented to the customer; recovered at dismantle.
    Rented,
    /// The customer's own.
    Sold,
}

impl Terms {
    pub const ALL: [Terms; 3] = [Terms::Loaned, Terms::Rented, Terms::Sold];

    pub fn as_str(self) -> &'static str {
        match self {
            Terms::Loaned => "loaned",
            Terms::Rented => "rented",
            Terms::Sold => "sold",
        }
    }

    /// Whether the ISP takes it back when the service ends.
    pub fn recovered(self) -> bool {
        self != Terms::Sold
    }
}

/// Where stock can be.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Warehouse,
    /// A technician's own stock, carried on the motorbike.
    Technician,
    /// Installed at a customer's home.
    Customer,
    /// Faulty, waiting to go back to the supplier under warranty.
    Rma,
    /// Lost or written off.
    WrittenOff,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 5] = [
        PlaceKind::Warehouse,
        PlaceKind::Technician,
        PlaceKind::Customer,
        PlaceKind::Rma,
        PlaceKind::WrittenOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Warehouse => "warehouse",
            PlaceKind::Technician => "technician",
            PlaceKind::Customer => "customer",
            PlaceKind::Rma => "rma",
            PlaceKind::WrittenOff => "written_off",
        }
    }
}

/// What a movement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// From a supplier into a warehouse.
    Receipt,
    /// Between warehouses, or between technicians.
    Transfer,
    /// From a warehouse to a technician.
    Issue,
    /// From a technician to a customer, on a ticket.
    Install,
    /// Back to a warehouse or a technician: from a technician, or recovered
    /// from a customer (dismantle, replacement).
    Return,
    /// Faulty: to the RMA shelf.
    Faulty,
    /// Lost or broken beyond use.
    WriteOff,
    /// A stock count's correction, up or down, approved.
    Adjustment,
}

impl MovementKind {
    pub const ALL: [MovementKind; 8] = [
        MovementKind::Receipt,
        MovementKind::Transfer,
        MovementKind::Issue,
        MovementKind::Install,
        MovementKind::Return,
        MovementKind::Faulty,
        MovementKind::WriteOff,
        MovementKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Receipt => "receipt",
            MovementKind::Transfer => "transfer",
            MovementKind::Issue => "issue",
            MovementKind::Install => "install",
            MovementKind::Return => "return",
            MovementKind::Faulty => "faulty",
            MovementKind::WriteOff => "write_off",
            MovementKind::Adjustment => "adjustment",
        }
    }

    /// Whether a reason must be given.
    pub fn needs_reason(self) -> bool {
        matches!(self, MovementKind::WriteOff | MovementKind::Adjustment)
    }

    /// Whether the places `from` and `to` (none: outside NetCrew, a
    /// supplier or a count's correction) fit this movement.
    pub fn joins(self, from: Option<PlaceKind>, to: Option<PlaceKind>) -> bool {
        use PlaceKind::*;
        match self {
            MovementKind::Receipt => from.is_none() && to == Some(Warehouse),
            MovementKind::Transfer => matches!(
                (from, to),
                (Some(Warehouse), Some(Warehouse)) | (Some(Technician), Some(Technician))
            ),
            MovementKind::Issue => from == Some(Warehouse) && to == Some(Technician),
            MovementKind::Install => from == Some(Technician) && to == Some(Customer),
            MovementKind::Return => matches!(
                (from, to),
                (Some(Technician), Some(Warehouse))
                    | (Some(Customer), Some(Technician))
                    | (Some(Customer), Some(Warehouse))
                    | (Some(Rma), Some(Warehouse))
            ),
            MovementKind::Faulty => {
                matches!(from, Some(Warehouse | Technician | Customer)) && to == Some(Rma)
            }
            MovementKind::WriteOff => {
                matches!(from, Some(Warehouse | Technician | Customer | Rma))
                    && to == Some(WrittenOff)
            }
            MovementKind::Adjustment => match (from, to) {
                (None, Some(p)) | (Some(p), None) => matches!(p, Warehouse | Technician),
                _ => false,
            },
        }
    }
}

macro_rules! parse_by_name {
    ($t:ty, $what:literal) => {
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$t>::ALL
                    .into_iter()
                    .find(|x| x.as_str() == s)
                    .ok_or_else(|| format!("unknown {} {s:?}", $what))
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

parse_by_name!(ItemKind, "item kind");
parse_by_name!(Terms, "terms");
parse_by_name!(PlaceKind, "place kind");
parse_by_name!(MovementKind, "movement kind");

/// The most of one item one movement may carry (a drum of drop cable is
/// 1,000 m; a delivery of connectors some thousands).
pub const MAX_QUANTITY: i64 = 1_000_000;

/// A movement as asked, checked against the kinds of its places.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed<'a> {
    pub kind: MovementKind,
    pub from: Option<PlaceKind>,
    pub to: Option<PlaceKind>,
    pub quantity: i64,
    /// Serial-numbered items move one asset at a time.
    pub serial_tracked: bool,
    pub has_asset: bool,
    pub reason: &'a str,
}

/// Checks a movement's shape into `c` (its places, quantity, asset and
/// reason); whether the stock is there is the ledger's question.
pub fn check_movement(c: &mut Checks, m: &Proposed<'_>) {
    if !m.kind.joins(m.from, m.to) {
        c.fail(
            "to_location_id",
            "movement_places",
            format!(
                "a {} does not go from {} to {}",
                m.kind.as_str(),
                m.from.map_or("outside", PlaceKind::as_str),
                m.to.map_or("outside", PlaceKind::as_str)
            ),
        );
    }
    if m.quantity <= 0 || m.quantity > MAX_QUANTITY {
        c.push(
            crate::FieldError::new(
                "quantity",
                "range",
                format!("a whole number from 1 to {MAX_QUANTITY}"),
            )
            .with("min", 1)
            .with("max", MAX_QUANTITY),
        );
    } else if m.serial_tracked && m.quantity != 1 {
        c.fail(
            "quantity",
            "serial_one",
            "a serial-numbered item moves one at a time",
        );
    }
    if m.serial_tracked && !m.has_asset {
        c.fail("serial", "required", "name the unit by its serial number");
    }
    if !m.serial_tracked && m.has_asset {
        c.fail("serial", "not_serial", "this item has no serial numbers");
    }
    if m.kind.needs_reason() && m.reason.trim().is_empty() {
        c.fail("reason", "required", "say why");
    }
}

/// Why the ledger refuses a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("only {have} there, {want} asked")]
    Short { have: i64, want: i64 },
}

/// Balances kept from movements: the rule every store of the ledger keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger<P: Ord + Copy, I: Ord + Copy> {
    balances: BTreeMap<(I, P), i64>,
}

impl<P: Ord + Copy, I: Ord + Copy> Ledger<P, I> {
    pub fn balance(&self, item: I, place: P) -> i64 {
        self.balances.get(&(item, place)).copied().unwrap_or(0)
    }

    /// Applies a movement of `quantity` of `item` out of `from` and into
    /// `to` (none: outside), or refuses it, changing nothing, when `from`
    /// holds less.
    pub fn post(
        &mut self,
        item: I,
        from: Option<P>,
        to: Option<P>,
        quantity: i64,
    ) -> Result<(), LedgerError> {
        if let Some(f) = from {
            let have = self.balance(item, f);
            if have < quantity {
                return Err(LedgerError::Short {
                    have,
                    want: quantity,
                });
            }
            self.balances.insert((item, f), have - quantity);
        }
        if let Some(t) = to {
            *self.balances.entry((item, t)).or_default() += quantity;
        }
        Ok(())
    }

    pub fn balances(&self) -> impl Iterator<Item = (&(I, P), &i64)> {
        self.balances.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn proposed(
        kind: MovementKind,
        from: Option<PlaceKind>,
        to: Option<PlaceKind>,
    ) -> Proposed<'static> {
        Proposed {
            kind,
            from,
            to,
            quantity: 1,
            serial_tracked: false,
            has_asset: false,
            reason: "",
        }
    }

    fn codes(m: &Proposed<'_>) -> Vec<String> {
        let mut c = Checks::default();
        check_movement(&mut c, m);
        match c.finish() {
            Ok(()) => Vec::new(),
            Err(e) => {
                e.0.into_iter()
                    .map(|e| format!("{}:{}", e.field, e.code))
                    .collect()
            }
        }
    }

    #[test]
    fn movements_join_only_the_places_they_make_sense_for() {
        use MovementKind::*;
        use PlaceKind::*;
        assert!(Receipt.joins(None, Some(Warehouse)));
        assert!(!Receipt.joins(None, Some(Technician)));
        assert!(Issue.joins(Some(Warehouse), Some(Technician)));
        assert!(!Issue.joins(Some(Technician), Some(Warehouse)));
        assert!(Install.joins(Some(Technician), Some(Customer)));
        assert!(!Install.joins(Some(Warehouse), Some(Customer)));
        assert!(Return.joins(Some(Customer), Some(Technician)));
        assert!(Faulty.joins(Some(Customer), Some(Rma)));
        assert!(WriteOff.joins(Some(Technician), Some(WrittenOff)));
        assert!(Adjustment.joins(Some(Technician), None));
        assert!(Adjustment.joins(None, Some(Warehouse)));
        assert!(!Adjustment.joins(Some(Customer), None));
        assert!(!Transfer.joins(Some(Warehouse), Some(Technician)));
    }

    #[test]
    fn bad_movements_say_every_reason() {
        let mut m = proposed(
            MovementKind::Install,
            Some(PlaceKind::Warehouse),
            Some(PlaceKind::Customer),
        );
        m.quantity = 0;
        m.serial_tracked = true;
        assert_eq!(
            codes(&m),
            [
                "to_location_id:movement_places",
                "quantity:range",
                "serial:required"
            ]
        );
        let mut w = proposed(
            MovementKind::WriteOff,
            Some(PlaceKind::Technician),
            Some(PlaceKind::WrittenOff),
        );
        w.reason = "  ";
        assert_eq!(codes(&w), ["reason:required"]);
        let mut two = proposed(
            MovementKind::Issue,
            Some(PlaceKind::Warehouse),
            Some(PlaceKind::Technician),
        );
        two.serial_tracked = true;
        two.has_asset = true;
        two.quantity = 2;
        assert_eq!(codes(&two), ["quantity:serial_one"]);
        let mut counted = proposed(
            MovementKind::Issue,
            Some(PlaceKind::Warehouse),
            Some(PlaceKind::Technician),
        );
        counted.has_asset = true;
        assert_eq!(codes(&counted), ["serial:not_serial"]);
    }

    #[test]
    fn the_last_unit_goes_once() {
        let mut l: Ledger<u8, u8> = Ledger::default();
        l.post(1, None, Some(10), 1).expect("receipt");
        assert_eq!(l.post(1, Some(10), Some(20), 1), Ok(()));
        assert_eq!(
            l.post(1, Some(10), Some(21), 1),
            Err(LedgerError::Short { have: 0, want: 1 })
        );
        assert_eq!(
            (l.balance(1, 10), l.balance(1, 20), l.balance(1, 21)),
            (0, 1, 0)
        );
    }

    proptest! {
        #[test]
        fn balances_are_the_sum_of_the_movements_and_never_negative(
            moves in proptest::collection::vec(
                (0u8..3, proptest::option::of(0u8..4), proptest::option::of(0u8..4), 1i64..50),
                0..200,
            ),
        ) {
            let mut l: Ledger<u8, u8> = Ledger::default();
            let mut applied: Vec<(u8, Option<u8>, Option<u8>, i64)> = Vec::new();
            for (item, from, to, q) in moves {
                let before = l.clone();
                match l.post(item, from, to, q) {
                    Ok(()) => applied.push((item, from, to, q)),
                    Err(_) => prop_assert_eq!(&l, &before),
                }
            }
            for item in 0u8..3 {
                for place in 0u8..4 {
                    let sum: i64 = applied.iter().map(|(i, f, t, q)| {
                        if *i != item { return 0; }
                        let mut d = 0;
                        if *t == Some(place) { d += q; }
                        if *f == Some(place) { d -= q; }
                        d
                    }).sum();
                    prop_assert_eq!(l.balance(item, place), sum);
                    prop_assert!(l.balance(item, place) >= 0);
                }
            }
        }
    }
}
