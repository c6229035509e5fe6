//! The demo's inventory: a catalogue, two warehouses, an RMA shelf and a
//! written-off place, and a year of movements that follow the demo's
//! ticket history — every resolved installation used an ONT, drop cable,
//! connectors and a patch cord from its technician's stock; some repairs
//! used a connector or a patch cord, a few swapped a faulty ONT. Technicians
//! are issued stock before they run out, warehouses receive deliveries
//! before they do. Balances come from the same ledger rules the server
//! keeps, so they are exactly the sum of the movements.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::inventory::{Ledger, MovementKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::{
    demo::{chunked, id_at},
    entity::{
        asset, customer, inventory_item, reorder_level, stock_balance, stock_location,
        stock_movement, ticket, user,
    },
};

struct ItemSeed {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    serial: Option<&'static str>,
    unit: &'static str,
    cost: i64,
    terms: Option<&'static str>,
}

const ITEMS: [ItemSeed; 8] = [
    ItemSeed {
        code: "ONT-F670L",
        name: "ONT ZTE F670L",
        kind: "ont",
        serial: Some("ZTEG"),
        unit: "pcs",
        cost: 350_000,
        terms: Some("loaned"),
    },
    ItemSeed {
        code: "ONT-HG8245H5",
        name: "ONT Huawei HG8245H5",
        kind: "ont",
        serial: Some("HWTC"),
        unit: "pcs",
        cost: 320_000,
        terms: Some("loaned"),
    },
    ItemSeed {
        code: "RT-ARCHER-C6",
        name: "Router TP-Link Archer C6",
        kind: "router",
        serial: Some("TPLC"),
        unit: "pcs",
        cost: 450_000,
        terms: Some("rented"),
    },
    ItemSeed {
        code: "DC-1C",
        name: "Kabel drop 1 core",
        kind: "drop_cable",
        serial: None,
        unit: "m",
        cost: 2_500,
        terms: None,
    },
    ItemSeed {
        code: "PC-SCUPC-3M",
        name: "Patch cord SC/UPC 3 m",
        kind: "patch_cord",
        serial: None,
        unit: "pcs",
        cost: 15_000,
        terms: None,
    },
    ItemSeed {
        code: "FC-SCUPC",
        name: "Fast connector SC/UPC",
        kind: "connector",
        serial: None,
        unit: "pcs",
        cost: 4_000,
        terms: None,
    },
    ItemSeed {
        code: "SPL-1-8",
        name: "Splitter PLC 1:8",
        kind: "splitter",
        serial: None,
        unit: "pcs",
        cost: 65_000,
        terms: None,
    },
    ItemSeed {
        code: "OPM-JOINWIT",
        name: "Optical power meter",
        kind: "tool",
        serial: None,
        unit: "pcs",
        cost: 450_000,
        terms: None,
    },
];

const ONT_A: usize = 0;
const ONT_B: usize = 1;
const ROUTER: usize = 2;
const CABLE: usize = 3;
const PATCH: usize = 4;
const CONNECTOR: usize = 5;

/// What a technician gets when they run short, per item.
const REFILL: [i64; 8] = [4, 4, 2, 600, 10, 30, 0, 0];
/// What a warehouse orders when it runs short.
const DELIVERY: [i64; 8] = [60, 60, 20, 6_000, 200, 500, 40, 4];

struct Plan {
    rng: ChaCha8Rng,
    ledger: Ledger<Uuid, usize>,
    items: Vec<Uuid>,
    moves: Vec<stock_movement::ActiveModel>,
    /// Units by item: serial and where each is.
    units: Vec<(Uuid, usize, String, Uuid, Option<&'static str>)>,
    /// The units of each item at each place, oldest first (indexes into
    /// `units`), so a year at scale stays linear.
    at: HashMap<(usize, Uuid), VecDeque<usize>>,
    next_serial: u64,
    warehouse: Uuid,
}

impl Plan {
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        kind: MovementKind,
        item: usize,
        quantity: i64,
        from: Option<Uuid>,
        to: Option<Uuid>,
        unit: Option<Uuid>,
        ticket: Option<Uuid>,
        at: DateTime<Utc>,
    ) {
        // The ledger decides; a refused movement is not made.
        if self.ledger.post(item, from, to, quantity).is_err() {
            return;
        }
        self.moves.push(stock_movement::ActiveModel {
            id: Set(id_at(&mut self.rng, at)),
            request_id: Set(None),
            kind: Set(kind.as_str().to_string()),
            item_id: Set(self.items[item]),
            quantity: Set(quantity),
            from_location_id: Set(from),
            to_location_id: Set(to),
            asset_id: Set(unit),
            ticket_id: Set(ticket),
            reason: Set(String::new()),
            unit_cost: Set(ITEMS[item].cost),
            approved_by: Set(None),
            created_by: Set(None),
            created_at: Set(at),
        });
    }

    /// The warehouse receives a delivery of `item` (new units for a
    /// serial-numbered one).
    fn deliver(&mut self, item: usize, at: DateTime<Utc>) {
        let n = DELIVERY[item];
        if let Some(prefix) = ITEMS[item].serial {
            for _ in 0..n {
                self.next_serial += 1;
                let id = id_at(&mut self.rng, at);
                let serial = format!("{prefix}{:08X}", self.next_serial * 7919 % 0xFFFF_FFFF);
                self.at
                    .entry((item, self.warehouse))
                    .or_default()
                    .push_back(self.units.len());
                self.units.push((id, item, serial, self.warehouse, None));
                self.record(
                    MovementKind::Receipt,
                    item,
                    1,
                    None,
                    Some(self.warehouse),
                    Some(id),
                    None,
                    at,
                );
            }
        } else {
            self.record(
                MovementKind::Receipt,
                item,
                n,
                None,
                Some(self.warehouse),
                None,
                None,
                at,
            );
        }
    }

    /// Makes sure `place` holds `quantity` of `item`: an issue from the
    /// warehouse first (after a delivery, if the warehouse is short).
    fn stock(&mut self, item: usize, place: Uuid, quantity: i64, at: DateTime<Utc>) {
        if self.ledger.balance(item, place) >= quantity {
            return;
        }
        let want = REFILL[item].max(quantity);
        if self.ledger.balance(item, self.warehouse) < want {
            self.deliver(item, at - Duration::days(2));
        }
        let issue_at = at - Duration::hours(20);
        if ITEMS[item].serial.is_some() {
            let wh = self.warehouse;
            let ids: Vec<usize> = {
                let here = self.at.entry((item, wh)).or_default();
                let n = (want as usize).min(here.len());
                here.drain(..n).collect()
            };
            for i in ids {
                self.units[i].3 = place;
                self.at.entry((item, place)).or_default().push_back(i);
                let unit = self.units[i].0;
                self.record(
                    MovementKind::Issue,
                    item,
                    1,
                    Some(wh),
                    Some(place),
                    Some(unit),
                    None,
                    issue_at,
                );
            }
        } else {
            let wh = self.warehouse;
            self.record(
                MovementKind::Issue,
                item,
                want,
                Some(wh),
                Some(place),
                None,
                None,
                issue_at,
            );
        }
    }

    /// Whether `place` holds a unit of `item`.
    fn holds(&self, item: usize, place: Uuid) -> bool {
        self.at.get(&(item, place)).is_some_and(|v| !v.is_empty())
    }

    /// A serial-numbered unit of `item` from `from` to `to`.
    #[allow(clippy::too_many_arguments)]
    fn move_unit(
        &mut self,
        kind: MovementKind,
        item: usize,
        from: Uuid,
        to: Uuid,
        ticket: Option<Uuid>,
        terms: Option<&'static str>,
        at: DateTime<Utc>,
    ) {
        let Some(i) = self.at.get_mut(&(item, from)).and_then(VecDeque::pop_front) else {
            return;
        };
        self.at.entry((item, to)).or_default().push_back(i);
        self.units[i].3 = to;
        self.units[i].4 = terms;
        let unit = self.units[i].0;
        self.record(kind, item, 1, Some(from), Some(to), Some(unit), ticket, at);
    }
}

/// Writes the demo's inventory for the tickets already there.
pub async fn generate<C: ConnectionTrait>(
    db: &C,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1616);
    let long_ago = now - Duration::days(400);
    let items: Vec<Uuid> = ITEMS.iter().map(|_| id_at(&mut rng, long_ago)).collect();
    let mut item_rows = Vec::new();
    for (i, s) in ITEMS.iter().enumerate() {
        item_rows.push(inventory_item::ActiveModel {
            id: Set(items[i]),
            code: Set(s.code.to_string()),
            name: Set(s.name.to_string()),
            kind: Set(s.kind.to_string()),
            serial_tracked: Set(s.serial.is_some()),
            unit: Set(s.unit.to_string()),
            unit_cost: Set(s.cost),
            terms: Set(s.terms.map(str::to_string)),
            active: Set(true),
            version: Set(1),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        });
    }
    inventory_item::Entity::insert_many(item_rows)
        .exec(db)
        .await?;

    let place = |rng: &mut ChaCha8Rng,
                 kind: &str,
                 name: String,
                 user: Option<Uuid>,
                 customer: Option<Uuid>| {
        stock_location::ActiveModel {
            id: Set(id_at(rng, long_ago)),
            kind: Set(kind.to_string()),
            name: Set(name),
            user_id: Set(user),
            customer_id: Set(customer),
            active: Set(true),
            created_at: Set(long_ago),
        }
    };
    let mut places = vec![
        place(
            &mut rng,
            "warehouse",
            "Gudang Pusat Bandung".into(),
            None,
            None,
        ),
        place(&mut rng, "warehouse", "Gudang Cimahi".into(), None, None),
        place(&mut rng, "rma", "Rak RMA (garansi)".into(), None, None),
        place(
            &mut rng,
            "written_off",
            "Hilang / dihapus".into(),
            None,
            None,
        ),
    ];
    let id_of = |p: &stock_location::ActiveModel| match &p.id {
        sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => *id,
        sea_orm::ActiveValue::NotSet => Uuid::nil(),
    };
    let warehouse = id_of(&places[0]);
    let rma = id_of(&places[2]);
    let technicians: Vec<(Uuid, String)> = user::Entity::find()
        .filter(user::Column::Role.eq("technician"))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut tech_place: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for (id, name) in &technicians {
        let p = place(&mut rng, "technician", name.clone(), Some(*id), None);
        tech_place.insert(*id, id_of(&p));
        places.push(p);
    }
    /// What the plan needs of a ticket (not the whole row: a year at scale
    /// is many of them).
    struct Worked {
        id: Uuid,
        kind: String,
        customer_id: Uuid,
        technician_id: Option<Uuid>,
        resolved_at: Option<DateTime<Utc>>,
    }
    let worked: Vec<Worked> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::Kind)
        .column(ticket::Column::CustomerId)
        .column(ticket::Column::TechnicianId)
        .column(ticket::Column::ResolvedAt)
        .filter(ticket::Column::ResolvedAt.is_not_null())
        .filter(ticket::Column::TechnicianId.is_not_null())
        .order_by_asc(ticket::Column::ResolvedAt)
        .order_by_asc(ticket::Column::Id)
        .into_tuple::<(Uuid, String, Uuid, Option<Uuid>, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(
            |(id, kind, customer_id, technician_id, resolved_at)| Worked {
                id,
                kind,
                customer_id,
                technician_id,
                resolved_at,
            },
        )
        .collect();
    let mut customer_place: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    let mut plan = Plan {
        rng: ChaCha8Rng::seed_from_u64(seed ^ 0x1717),
        ledger: Ledger::default(),
        items,
        moves: Vec::new(),
        units: Vec::new(),
        at: HashMap::new(),
        next_serial: 0x10_0000,
        warehouse,
    };
    // Opening stock a year ago.
    let opening = now - Duration::days(370);
    for item in 0..ITEMS.len() {
        plan.deliver(item, opening);
    }
    // The second warehouse holds some of the material.
    let cimahi = id_of(&places[1]);
    for (item, quantity) in [(CABLE, 1_500), (CONNECTOR, 120), (PATCH, 50)] {
        plan.record(
            MovementKind::Transfer,
            item,
            quantity,
            Some(warehouse),
            Some(cimahi),
            None,
            None,
            opening + Duration::days(1),
        );
    }
    for t in &worked {
        let (Some(tech), Some(at)) = (t.technician_id, t.resolved_at) else {
            continue;
        };
        let Some(&bag) = tech_place.get(&tech) else {
            continue;
        };
        let home = *customer_place.entry(t.customer_id).or_insert_with(|| {
            let p = place(
                &mut rng,
                "customer",
                format!("Pelanggan {}", &t.customer_id.simple().to_string()[..8]),
                None,
                Some(t.customer_id),
            );
            let id = id_of(&p);
            places.push(p);
            id
        });
        match t.kind.as_str() {
            "installation" => {
                let ont = if plan.rng.gen_bool(0.6) { ONT_A } else { ONT_B };
                let cable = plan.rng.gen_range(60..=180);
                let router = plan.rng.gen_bool(0.25);
                plan.stock(ont, bag, 1, at);
                plan.stock(CABLE, bag, cable, at);
                plan.stock(CONNECTOR, bag, 2, at);
                plan.stock(PATCH, bag, 1, at);
                plan.move_unit(
                    MovementKind::Install,
                    ont,
                    bag,
                    home,
                    Some(t.id),
                    ITEMS[ont].terms,
                    at,
                );
                if router {
                    plan.stock(ROUTER, bag, 1, at);
                    plan.move_unit(
                        MovementKind::Install,
                        ROUTER,
                        bag,
                        home,
                        Some(t.id),
                        ITEMS[ROUTER].terms,
                        at,
                    );
                }
                plan.record(
                    MovementKind::Install,
                    CABLE,
                    cable,
                    Some(bag),
                    Some(home),
                    None,
                    Some(t.id),
                    at,
                );
                plan.record(
                    MovementKind::Install,
                    CONNECTOR,
                    2,
                    Some(bag),
                    Some(home),
                    None,
                    Some(t.id),
                    at,
                );
                plan.record(
                    MovementKind::Install,
                    PATCH,
                    1,
                    Some(bag),
                    Some(home),
                    None,
                    Some(t.id),
                    at,
                );
            }
            "repair" => {
                let roll: f64 = plan.rng.r#gen();
                if roll < 0.25 {
                    plan.stock(CONNECTOR, bag, 2, at);
                    plan.record(
                        MovementKind::Install,
                        CONNECTOR,
                        2,
                        Some(bag),
                        Some(home),
                        None,
                        Some(t.id),
                        at,
                    );
                } else if roll < 0.35 {
                    plan.stock(PATCH, bag, 1, at);
                    plan.record(
                        MovementKind::Install,
                        PATCH,
                        1,
                        Some(bag),
                        Some(home),
                        None,
                        Some(t.id),
                        at,
                    );
                } else if roll < 0.40 {
                    // A faulty ONT swapped: the old one to the RMA shelf.
                    let ont = ONT_A;
                    if plan.holds(ont, home) {
                        plan.stock(ont, bag, 1, at);
                        plan.move_unit(MovementKind::Faulty, ont, home, rma, Some(t.id), None, at);
                        plan.move_unit(
                            MovementKind::Install,
                            ont,
                            bag,
                            home,
                            Some(t.id),
                            ITEMS[ont].terms,
                            at,
                        );
                    }
                }
            }
            "dismantle" => {
                // Loaned and rented units come back to the technician.
                for item in [ONT_A, ONT_B, ROUTER] {
                    while plan.holds(item, home) {
                        plan.move_unit(MovementKind::Return, item, home, bag, Some(t.id), None, at);
                    }
                }
            }
            _ => {}
        }
    }
    let count = plan.moves.len();
    // Customers' homes are named as the product names them: number and name.
    let homes: Vec<Uuid> = customer_place.keys().copied().collect();
    let mut named: HashMap<Uuid, String> = HashMap::with_capacity(homes.len());
    for ids in homes.chunks(5_000) {
        let rows: Vec<(Uuid, String, String)> = customer::Entity::find()
            .select_only()
            .columns([
                customer::Column::Id,
                customer::Column::CustomerNumber,
                customer::Column::Name,
            ])
            .filter(customer::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        named.extend(
            rows.into_iter()
                .map(|(id, number, name)| (id, format!("{number} {name}"))),
        );
    }
    for p in &mut places {
        if let sea_orm::ActiveValue::Set(Some(c)) = &p.customer_id
            && let Some(name) = named.get(c)
        {
            p.name = Set(name.clone());
        }
    }
    for chunk in chunked(places, 500) {
        stock_location::Entity::insert_many(chunk).exec(db).await?;
    }
    // Each unit came where it is with its last movement.
    let mut last_moved: HashMap<Uuid, DateTime<Utc>> = HashMap::with_capacity(plan.units.len());
    for m in &plan.moves {
        if let (sea_orm::ActiveValue::Set(Some(a)), sea_orm::ActiveValue::Set(at)) =
            (&m.asset_id, &m.created_at)
        {
            let t = last_moved.entry(*a).or_insert(*at);
            if *at > *t {
                *t = *at;
            }
        }
    }
    let assets: Vec<asset::ActiveModel> = plan
        .units
        .iter()
        .map(|(id, item, serial, at_place, terms)| asset::ActiveModel {
            id: Set(*id),
            item_id: Set(plan.items[*item]),
            serial: Set(serial.clone()),
            mac: Set(None),
            location_id: Set(*at_place),
            terms: Set(terms.map(str::to_string)),
            created_at: Set(opening),
            updated_at: Set(last_moved.get(id).copied().unwrap_or(now)),
        })
        .collect();
    for chunk in chunked(assets, 500) {
        asset::Entity::insert_many(chunk).exec(db).await?;
    }
    for chunk in chunked(plan.moves, 500) {
        stock_movement::Entity::insert_many(chunk).exec(db).await?;
    }
    let balances: Vec<stock_balance::ActiveModel> = plan
        .ledger
        .balances()
        .filter(|(_, q)| **q != 0)
        .map(|((item, place), q)| stock_balance::ActiveModel {
            item_id: Set(plan.items[*item]),
            location_id: Set(*place),
            quantity: Set(*q),
        })
        .collect();
    for chunk in chunked(balances, 500) {
        stock_balance::Entity::insert_many(chunk).exec(db).await?;
    }
    let levels = [(ONT_A, 20), (ONT_B, 20), (CABLE, 2_000), (CONNECTOR, 100)]
        .into_iter()
        .map(|(item, minimum)| reorder_level::ActiveModel {
            item_id: Set(plan.items[item]),
            location_id: Set(warehouse),
            minimum: Set(minimum),
        })
        .collect::<Vec<_>>();
    reorder_level::Entity::insert_many(levels).exec(db).await?;
    Ok(count)
}
