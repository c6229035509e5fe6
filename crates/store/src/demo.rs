//! The demo data set: a fictional fibre ISP in Bandung, generated
//! deterministically from a seed so that every run (and every benchmark at a
//! given `--scale`) sees the same plant, people and customers.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use netcrew_domain::{GeoPoint, Role};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    Db,
    entity::{
        area, customer, odc, odp, package, skill, team, technician_profile, technician_skill, user,
        user_area, user_team,
    },
    password,
};

/// How much to generate. `scale` 1.0 is one mid-sized city ISP (a few hundred
/// ODPs, a few thousand customers); 100.0 is a hundred times that.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub scale: f64,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            scale: 1.0,
            seed: 20_261_125,
        }
    }
}

/// A login listed in `demo-accounts.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DemoAccount {
    pub role: String,
    pub login: String,
    pub password: String,
}

/// What was generated, for the operator's console.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoSummary {
    pub areas: usize,
    pub odcs: usize,
    pub odps: usize,
    pub ports: usize,
    pub packages: usize,
    pub staff: usize,
    pub customers: usize,
    /// Tickets of the last twelve months, and outages among them.
    pub tickets: usize,
    pub outages: usize,
    /// Stock movements over the same year.
    pub stock_movements: usize,
    pub accounts: Vec<DemoAccount>,
}

pub const ISP_DOMAIN: &str = "fibernusa.example";

struct AreaSeed {
    code: &'static str,
    name: &'static str,
    lat: f64,
    lng: f64,
    villages: &'static [&'static str],
    streets: &'static [&'static str],
}

const AREAS: &[AreaSeed] = &[
    AreaSeed {
        code: "BDG-CBL",
        name: "Coblong",
        lat: -6.8935,
        lng: 107.6135,
        villages: &[
            "Dago",
            "Lebakgede",
            "Lebaksiliwangi",
            "Sadang Serang",
            "Sekeloa",
        ],
        streets: &[
            "Jl. Ir. H. Juanda",
            "Jl. Dipatiukur",
            "Jl. Tubagus Ismail",
            "Jl. Cisitu Lama",
            "Jl. Sekeloa Selatan",
        ],
    },
    AreaSeed {
        code: "BDG-SKJ",
        name: "Sukajadi",
        lat: -6.8890,
        lng: 107.5960,
        villages: &["Pasteur", "Cipedes", "Sukabungah", "Sukagalih", "Sukawarna"],
        streets: &[
            "Jl. Sukajadi",
            "Jl. Dr. Setiabudi",
            "Jl. Cipedes Tengah",
            "Jl. Sukagalih",
            "Jl. Sirnagalih",
        ],
    },
    AreaSeed {
        code: "BDG-CCD",
        name: "Cicendo",
        lat: -6.9080,
        lng: 107.5920,
        villages: &[
            "Arjuna",
            "Pajajaran",
            "Pamoyanan",
            "Pasirkaliki",
            "Sukaraja",
        ],
        streets: &[
            "Jl. Pajajaran",
            "Jl. Pasirkaliki",
            "Jl. Arjuna",
            "Jl. Cihampelas",
            "Jl. Sukaraja",
        ],
    },
    AreaSeed {
        code: "BDG-SMB",
        name: "Sumur Bandung",
        lat: -6.9140,
        lng: 107.6140,
        villages: &["Babakan Ciamis", "Braga", "Kebon Pisang", "Merdeka"],
        streets: &[
            "Jl. Braga",
            "Jl. Merdeka",
            "Jl. Wastukencana",
            "Jl. Banda",
            "Jl. Aceh",
        ],
    },
    AreaSeed {
        code: "BDG-LKG",
        name: "Lengkong",
        lat: -6.9300,
        lng: 107.6230,
        villages: &["Burangrang", "Cijagra", "Cikawao", "Malabar", "Turangga"],
        streets: &[
            "Jl. Burangrang",
            "Jl. Karapitan",
            "Jl. Malabar",
            "Jl. Turangga",
            "Jl. Lengkong Besar",
        ],
    },
    AreaSeed {
        code: "BDG-BBT",
        name: "Buahbatu",
        lat: -6.9520,
        lng: 107.6560,
        villages: &["Cijawura", "Jatisari", "Margasari", "Sekejati"],
        streets: &[
            "Jl. Buah Batu",
            "Jl. Margacinta",
            "Jl. Cijawura Hilir",
            "Jl. Sekejati",
            "Jl. Jatisari",
        ],
    },
    AreaSeed {
        code: "BDG-ATP",
        name: "Antapani",
        lat: -6.9160,
        lng: 107.6600,
        villages: &[
            "Antapani Kidul",
            "Antapani Kulon",
            "Antapani Tengah",
            "Antapani Wetan",
        ],
        streets: &[
            "Jl. Antapani Lama",
            "Jl. Terusan Jakarta",
            "Jl. Purwakarta",
            "Jl. Subang",
            "Jl. Cibatu",
        ],
    },
    AreaSeed {
        code: "BDG-ACM",
        name: "Arcamanik",
        lat: -6.9120,
        lng: 107.6800,
        villages: &[
            "Cisaranten Kulon",
            "Cisaranten Endah",
            "Sukamiskin",
            "Cisaranten Bina Harapan",
        ],
        streets: &[
            "Jl. Arcamanik Endah",
            "Jl. Pacuan Kuda",
            "Jl. Golf Barat",
            "Jl. Sukamiskin",
            "Jl. Cisaranten",
        ],
    },
];

const AREA_RADIUS_M: f64 = 1_800.0;

const FIRST_NAMES: &[&str] = &[
    "Asep", "Dedi", "Ujang", "Cecep", "Yayan", "Agus", "Budi", "Dodi", "Eko", "Rudi", "Hendra",
    "Iwan", "Wawan", "Yusuf", "Rizki", "Fajar", "Dimas", "Arif", "Bayu", "Ilham", "Siti", "Dewi",
    "Rina", "Neng", "Euis", "Lilis", "Yanti", "Fitri", "Ayu", "Putri", "Nurul", "Ratna", "Wulan",
    "Intan", "Sri", "Tuti", "Nina", "Mega", "Anisa", "Dian",
];

const LAST_NAMES: &[&str] = &[
    "Suryana",
    "Hidayat",
    "Permana",
    "Saputra",
    "Rahmawati",
    "Kurniawan",
    "Setiawan",
    "Nugraha",
    "Gunawan",
    "Firmansyah",
    "Hermawan",
    "Wijaya",
    "Pratama",
    "Maulana",
    "Sopian",
    "Mulyana",
    "Ramdani",
    "Sulaeman",
    "Kusnadi",
    "Lestari",
    "Sutisna",
    "Hakim",
    "Rosita",
    "Anggraeni",
];

/// Mobile prefixes of Indonesian operators (after +62).
const MOBILE_PREFIXES: &[&str] = &[
    "811", "812", "813", "821", "822", "852", "853", "814", "815", "816", "855", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "881", "882",
];

struct PackageSeed {
    name: &'static str,
    mbps: i32,
    price_idr: i64,
    active: bool,
    description: &'static str,
    weight: u32,
}

const PACKAGES: &[PackageSeed] = &[
    PackageSeed {
        name: "Rumah 10",
        mbps: 10,
        price_idr: 150_000,
        active: false,
        description: "Paket lama, tidak dijual lagi untuk pelanggan baru.",
        weight: 4,
    },
    PackageSeed {
        name: "Rumah 20",
        mbps: 20,
        price_idr: 185_000,
        active: true,
        description: "Untuk 2–4 perangkat: browsing, media sosial, video HD.",
        weight: 30,
    },
    PackageSeed {
        name: "Rumah 30",
        mbps: 30,
        price_idr: 250_000,
        active: true,
        description: "Untuk keluarga: streaming, belajar dan kerja dari rumah.",
        weight: 32,
    },
    PackageSeed {
        name: "Rumah 50",
        mbps: 50,
        price_idr: 330_000,
        active: true,
        description: "Untuk 8–10 perangkat, streaming 4K dan gim daring.",
        weight: 20,
    },
    PackageSeed {
        name: "Rumah 100",
        mbps: 100,
        price_idr: 450_000,
        active: true,
        description: "Untuk rumah dengan banyak pengguna dan kebutuhan unggah besar.",
        weight: 10,
    },
    PackageSeed {
        name: "Bisnis 200",
        mbps: 200,
        price_idr: 1_250_000,
        active: true,
        description: "Untuk usaha kecil: IP publik dan prioritas penanganan gangguan.",
        weight: 4,
    },
];

pub(crate) fn id_at(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.r#gen();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
}

fn person_name(rng: &mut ChaCha8Rng) -> String {
    let first = FIRST_NAMES.choose(rng).copied().unwrap_or("Asep");
    if rng.gen_bool(0.15) {
        return first.to_string();
    }
    let last = LAST_NAMES.choose(rng).copied().unwrap_or("Suryana");
    format!("{first} {last}")
}

fn mobile(rng: &mut ChaCha8Rng, taken: &mut HashSet<String>) -> String {
    loop {
        let prefix = MOBILE_PREFIXES.choose(rng).copied().unwrap_or("812");
        let digits = if rng.gen_bool(0.7) { 8 } else { 7 };
        let rest: String = (0..digits)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect();
        let phone = format!("+62{prefix}{rest}");
        if taken.insert(phone.clone()) {
            return phone;
        }
    }
}

fn weighted_package(rng: &mut ChaCha8Rng, ids: &[Uuid], on_sale_only: bool) -> Uuid {
    let choices: Vec<(u32, Uuid)> = PACKAGES
        .iter()
        .zip(ids)
        .filter(|(seed, _)| seed.active || !on_sale_only)
        .map(|(seed, id)| (seed.weight, *id))
        .collect();
    let total: u32 = choices.iter().map(|c| c.0).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (weight, id) in &choices {
        if pick < *weight {
            return *id;
        }
        pick -= weight;
    }
    ids[0]
}

fn random_point_within(rng: &mut ChaCha8Rng, centre: GeoPoint, max_m: f64) -> GeoPoint {
    // sqrt gives a uniform spread over the disc rather than a cluster at the centre.
    let distance = max_m * rng.r#gen::<f64>().sqrt();
    centre.offset(distance, rng.gen_range(0.0..360.0))
}

fn demo_password(rng: &mut ChaCha8Rng, role: Role) -> String {
    const WORDS: &[&str] = &[
        "fiber", "kabel", "odp", "tiang", "splitter", "ont", "sinyal", "modem",
    ];
    let word = WORDS.choose(rng).copied().unwrap_or("fiber");
    format!(
        "{}-{word}-{:04}",
        role.as_str(),
        rng.gen_range(1000..10_000)
    )
}

/// Fills an empty database with the demo data set in one transaction.
/// Whether the database holds no data yet (no packages: nothing was set
/// up), as the demo needs.
pub async fn is_empty(db: &crate::Db) -> Result<bool, sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(package::Entity::find().count(db.conn()).await? == 0)
}

pub async fn generate(
    db: &Db,
    options: DemoOptions,
    now: DateTime<Utc>,
) -> anyhow::Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let scale = options.scale.max(0.01);
    let mut summary = DemoSummary::default();
    let mut phones = HashSet::new();
    let long_ago = now - Duration::days(3 * 365);

    let txn = db.begin_write().await?;

    // Packages.
    let mut package_ids = Vec::new();
    let mut packages = Vec::new();
    for seed in PACKAGES {
        let id = id_at(&mut rng, long_ago);
        package_ids.push(id);
        packages.push(package::ActiveModel {
            id: Set(id),
            name: Set(seed.name.to_string()),
            download_mbps: Set(seed.mbps),
            upload_mbps: Set(seed.mbps),
            monthly_price_idr: Set(seed.price_idr),
            description: Set(seed.description.to_string()),
            active: Set(seed.active),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        });
    }
    summary.packages = packages.len();
    package::Entity::insert_many(packages).exec(&*txn).await?;

    // Areas, ODCs, ODPs and the customers on their ports.
    let odcs_per_area = ((4.0 * scale).round() as usize).max(1);
    let mut area_ids = Vec::new();
    let mut odc_rows = Vec::new();
    let mut odp_rows = Vec::new();
    let mut customer_rows = Vec::new();
    let mut customer_seq = 0usize;
    for seed in AREAS {
        let area_id = id_at(&mut rng, long_ago);
        area_ids.push(area_id);
        let centre = GeoPoint::new(seed.lat, seed.lng)?;
        area::Entity::insert(area::ActiveModel {
            id: Set(area_id),
            code: Set(seed.code.to_string()),
            name: Set(seed.name.to_string()),
            city: Set("Bandung".to_string()),
            center_lat: Set(seed.lat),
            center_lng: Set(seed.lng),
            radius_m: Set(AREA_RADIUS_M as i32),
            time_zone: Set("Asia/Jakarta".to_string()),
            business_hours: Set(false),
            opens_at: Set("08:00".to_string()),
            closes_at: Set("17:00".to_string()),
            work_days: Set("1111110".to_string()),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        })
        .exec(&*txn)
        .await?;

        for o in 0..odcs_per_area {
            let odc_id = id_at(&mut rng, long_ago);
            let odc_point = random_point_within(&mut rng, centre, AREA_RADIUS_M * 0.7);
            let odc_code = format!("ODC-{}-{:03}", &seed.code[4..], o + 1);
            odc_rows.push(odc::ActiveModel {
                id: Set(odc_id),
                code: Set(odc_code.clone()),
                name: Set(format!("ODC {} {}", seed.name, o + 1)),
                area_id: Set(area_id),
                lat: Set(odc_point.lat),
                lng: Set(odc_point.lng),
                status: Set("active".to_string()),
                created_at: Set(long_ago),
                updated_at: Set(long_ago),
            });
            for p in 0..10 {
                let odp_id = id_at(&mut rng, long_ago);
                let point = random_point_within(&mut rng, odc_point, 450.0);
                let port_count = if rng.gen_bool(0.4) { 8 } else { 16 };
                let in_maintenance = rng.gen_bool(0.03);
                // Most ports are in use; a few ODPs are completely full.
                let used = if rng.gen_bool(0.15) {
                    port_count
                } else {
                    rng.gen_range(port_count * 55 / 100..port_count)
                };
                let status = if in_maintenance {
                    "maintenance"
                } else if used == port_count {
                    "full"
                } else {
                    "active"
                };
                odp_rows.push(odp::ActiveModel {
                    id: Set(odp_id),
                    code: Set(format!("{odc_code}-{:02}", p + 1).replacen("ODC", "ODP", 1)),
                    name: Set(format!("ODP {} {}.{}", seed.name, o + 1, p + 1)),
                    odc_id: Set(odc_id),
                    area_id: Set(area_id),
                    lat: Set(point.lat),
                    lng: Set(point.lng),
                    port_count: Set(port_count),
                    status: Set(status.to_string()),
                    created_at: Set(long_ago),
                    updated_at: Set(long_ago),
                });
                summary.ports += port_count as usize;
                let mut ports: Vec<i32> = (1..=port_count).collect();
                ports.shuffle(&mut rng);
                for port in ports.into_iter().take(used as usize) {
                    customer_seq += 1;
                    let home = random_point_within(&mut rng, point, 200.0);
                    let since = now - Duration::days(rng.gen_range(20..3 * 365));
                    let status = match rng.gen_range(0..100) {
                        0..=3 => "suspended",
                        _ => "active",
                    };
                    let package_id = weighted_package(&mut rng, &package_ids, false);
                    customer_rows.push(new_customer(
                        &mut rng,
                        &mut phones,
                        seed,
                        customer_seq,
                        area_id,
                        package_id,
                        home,
                        Some((odp_id, port)),
                        status,
                        since,
                    ));
                }
            }
        }
        // Prospects waiting for installation, and customers who left.
        let extra = ((30.0 * scale).round() as usize).max(1);
        for i in 0..extra {
            customer_seq += 1;
            let home = random_point_within(&mut rng, centre, AREA_RADIUS_M);
            let (status, since) = if i % 3 == 0 {
                ("terminated", now - Duration::days(rng.gen_range(100..900)))
            } else {
                ("prospect", now - Duration::days(rng.gen_range(0..14)))
            };
            let package_id = weighted_package(&mut rng, &package_ids, true);
            customer_rows.push(new_customer(
                &mut rng,
                &mut phones,
                seed,
                customer_seq,
                area_id,
                package_id,
                home,
                None,
                status,
                since,
            ));
        }
    }
    summary.areas = area_ids.len();
    summary.odcs = odc_rows.len();
    summary.odps = odp_rows.len();
    summary.customers = customer_rows.len();
    for chunk in chunked(odc_rows, 500) {
        odc::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    for chunk in chunked(odp_rows, 500) {
        odp::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    let customer_accounts: Vec<(Uuid, String, Option<String>, String)> = customer_rows
        .iter()
        .filter(|c| matches!(&c.status, sea_orm::ActiveValue::Set(s) if s == "active"))
        .step_by(20)
        .filter_map(|c| match (&c.id, &c.name, &c.email, &c.phone) {
            (Set(id), Set(name), Set(email), Set(phone)) => {
                Some((*id, name.clone(), email.clone(), phone.clone()))
            }
            _ => None,
        })
        .collect();
    for chunk in chunked(customer_rows, 500) {
        customer::Entity::insert_many(chunk).exec(&*txn).await?;
    }

    // Teams: one field team per area.
    let mut team_ids = Vec::new();
    for (seed, area_id) in AREAS.iter().zip(&area_ids) {
        let id = id_at(&mut rng, long_ago);
        team_ids.push(id);
        team::Entity::insert(team::ActiveModel {
            id: Set(id),
            name: Set(format!("Tim {}", seed.name)),
            area_id: Set(Some(*area_id)),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        })
        .exec(&*txn)
        .await?;
    }

    // People. One password per role, so the demo needs only six hashes.
    let mut users = Vec::new();
    let mut memberships = Vec::new();
    let mut coverage = Vec::new();
    let mut field = Vec::new();
    let technicians_per_area = ((3.0 * scale).round() as usize).max(1);
    let staff_plan: Vec<(Role, usize)> = vec![
        (Role::Admin, 2),
        (Role::Supervisor, 4),
        (Role::Cs, 6),
        (Role::Management, 2),
        (Role::Technician, technicians_per_area * AREAS.len()),
    ];
    for (role, count) in staff_plan {
        let password = demo_password(&mut rng, role);
        let hash = password::hash_blocking(&password)?;
        for n in 0..count {
            let id = id_at(&mut rng, long_ago);
            let name = person_name(&mut rng);
            let email = format!("{}{}@{ISP_DOMAIN}", role.as_str(), n + 1);
            if n == 0 {
                summary.accounts.push(DemoAccount {
                    role: role.as_str().to_string(),
                    login: email.clone(),
                    password: password.clone(),
                });
            }
            users.push(user::ActiveModel {
                id: Set(id),
                name: Set(name),
                email: Set(Some(email)),
                phone: Set(Some(mobile(&mut rng, &mut phones))),
                role: Set(role.as_str().to_string()),
                password_hash: Set(hash.clone()),
                locale: Set("id".to_string()),
                active: Set(true),
                customer_id: Set(None),
                totp_secret: Set(None),
                totp_enabled_at: Set(None),
                created_at: Set(long_ago),
                updated_at: Set(long_ago),
            });
            match role {
                Role::Technician => {
                    let i = n / technicians_per_area;
                    memberships.push((id, team_ids[i]));
                    coverage.push((id, area_ids[i]));
                    field.push((id, i));
                }
                Role::Supervisor => {
                    // Each supervisor leads the teams of two neighbouring areas.
                    for i in [2 * n % AREAS.len(), (2 * n + 1) % AREAS.len()] {
                        memberships.push((id, team_ids[i]));
                        coverage.push((id, area_ids[i]));
                    }
                }
                _ => {}
            }
        }
        summary.staff += count;
    }
    let customer_password = demo_password(&mut rng, Role::Customer);
    let customer_hash = password::hash_blocking(&customer_password)?;
    for (n, (customer_id, name, email, phone)) in customer_accounts.into_iter().enumerate() {
        if n == 0 {
            summary.accounts.push(DemoAccount {
                role: Role::Customer.as_str().to_string(),
                login: phone.clone(),
                password: customer_password.clone(),
            });
        }
        users.push(user::ActiveModel {
            id: Set(id_at(&mut rng, long_ago)),
            name: Set(name),
            email: Set(email),
            phone: Set(Some(phone)),
            role: Set(Role::Customer.as_str().to_string()),
            password_hash: Set(customer_hash.clone()),
            locale: Set("id".to_string()),
            active: Set(true),
            customer_id: Set(Some(customer_id)),
            totp_secret: Set(None),
            totp_enabled_at: Set(None),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        });
    }
    // Storekeepers, from a generator of their own so the rest of the demo
    // stays as it was.
    let mut store_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x16);
    let store_password = demo_password(&mut store_rng, Role::Warehouse);
    let store_hash = password::hash_blocking(&store_password)?;
    for n in 0..2 {
        let email = format!("{}{}@{ISP_DOMAIN}", Role::Warehouse.as_str(), n + 1);
        if n == 0 {
            summary.accounts.push(DemoAccount {
                role: Role::Warehouse.as_str().to_string(),
                login: email.clone(),
                password: store_password.clone(),
            });
        }
        users.push(user::ActiveModel {
            id: Set(id_at(&mut store_rng, long_ago)),
            name: Set(person_name(&mut store_rng)),
            email: Set(Some(email)),
            phone: Set(Some(mobile(&mut store_rng, &mut phones))),
            role: Set(Role::Warehouse.as_str().to_string()),
            password_hash: Set(store_hash.clone()),
            locale: Set("id".to_string()),
            active: Set(true),
            customer_id: Set(None),
            totp_secret: Set(None),
            totp_enabled_at: Set(None),
            created_at: Set(long_ago),
            updated_at: Set(long_ago),
        });
        summary.staff += 1;
    }
    for chunk in chunked(users, 500) {
        user::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    let memberships: Vec<_> = memberships
        .into_iter()
        .map(|(user_id, team_id)| user_team::ActiveModel {
            user_id: Set(user_id),
            team_id: Set(team_id),
        })
        .collect();
    for chunk in chunked(memberships, 500) {
        user_team::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    let coverage: Vec<_> = coverage
        .into_iter()
        .map(|(user_id, area_id)| user_area::ActiveModel {
            user_id: Set(user_id),
            area_id: Set(area_id),
        })
        .collect();
    for chunk in chunked(coverage, 500) {
        user_area::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    // Its own generator, so the rest of the demo stays as it was.
    let mut field_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x15);
    technicians_for_dispatch(&*txn, &mut field_rng, &field, long_ago).await?;
    txn.commit().await?;
    let history = crate::demo_tickets::generate(db, &mut rng, scale, now).await?;
    summary.tickets = history.tickets;
    summary.outages = history.outages;
    summary.stock_movements = crate::demo_inventory::generate(db.conn(), options.seed, now).await?;
    // Fresh statistics, so the query planner knows the tables' new sizes.
    db.conn().execute_unprepared("ANALYZE").await?;
    Ok(summary)
}

/// Each technician's skills (splicing and ONT set-up at levels 2 to 5,
/// others now and then) and a home base a few kilometres from their
/// area's centre, so that dispatch has something to weigh.
async fn technicians_for_dispatch<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
    field: &[(Uuid, usize)],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let skills: Vec<(Uuid, String)> = skill::Entity::find()
        .select_only()
        .column(skill::Column::Id)
        .column(skill::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    let standard = serde_json::json!([
        ["08:00-12:00", "13:00-17:00"],
        ["08:00-12:00", "13:00-17:00"],
        ["08:00-12:00", "13:00-17:00"],
        ["08:00-12:00", "13:00-17:00"],
        ["08:00-11:30", "13:00-17:00"],
        ["08:00-12:00"],
        []
    ])
    .to_string();
    let ramadan = serde_json::json!([
        ["08:00-12:00", "12:30-15:30"],
        ["08:00-12:00", "12:30-15:30"],
        ["08:00-12:00", "12:30-15:30"],
        ["08:00-12:00", "12:30-15:30"],
        ["08:00-11:30", "13:00-15:30"],
        ["08:00-12:00"],
        []
    ])
    .to_string();
    let mut levels = Vec::new();
    let mut profiles = Vec::new();
    for (id, area) in field {
        for (skill_id, code) in &skills {
            let level = match code.as_str() {
                "splicing" | "ont_config" => rng.gen_range(2..=5),
                _ if rng.gen_bool(0.5) => rng.gen_range(1..=4),
                _ => continue,
            };
            levels.push(technician_skill::ActiveModel {
                user_id: Set(*id),
                skill_id: Set(*skill_id),
                level: Set(level),
            });
        }
        let seed = &AREAS[*area];
        let centre = GeoPoint {
            lat: seed.lat,
            lng: seed.lng,
        };
        let home = centre.offset(rng.gen_range(500.0..4000.0), rng.gen_range(0.0..360.0));
        let partner = rng.gen_bool(0.2);
        profiles.push(technician_profile::ActiveModel {
            user_id: Set(*id),
            home_lat: Set(Some(home.lat)),
            home_lng: Set(Some(home.lng)),
            home_address: Set(String::new()),
            max_jobs_per_day: Set(rng.gen_range(5..=7)),
            employer: Set(if partner { "partner" } else { "staff" }.to_string()),
            partner_name: Set(if partner {
                "CV Serat Mandiri".to_string()
            } else {
                String::new()
            }),
            work_pattern: Set(standard.clone()),
            ramadan_pattern: Set(Some(ramadan.clone())),
            last_lat: Set(None),
            last_lng: Set(None),
            last_accuracy_m: Set(None),
            last_position_at: Set(None),
            version: Set(1),
            updated_at: Set(at),
        });
    }
    for chunk in chunked(levels, 500) {
        technician_skill::Entity::insert_many(chunk)
            .exec(db)
            .await?;
    }
    for chunk in chunked(profiles, 500) {
        technician_profile::Entity::insert_many(chunk)
            .exec(db)
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn new_customer(
    rng: &mut ChaCha8Rng,
    phones: &mut HashSet<String>,
    area: &AreaSeed,
    seq: usize,
    area_id: Uuid,
    package_id: Uuid,
    home: GeoPoint,
    port: Option<(Uuid, i32)>,
    status: &str,
    since: DateTime<Utc>,
) -> customer::ActiveModel {
    let name = person_name(rng);
    let phone = mobile(rng, phones);
    let whatsapp = if rng.gen_bool(0.9) {
        Some(phone.clone())
    } else {
        None
    };
    // Phones and e-mail addresses share one set of what is already taken.
    let email = if rng.gen_bool(0.4) {
        let base = name.to_lowercase().replace(' ', ".");
        loop {
            let candidate = format!("{base}{}@gmail.com", rng.gen_range(1..10_000));
            if phones.insert(candidate.clone()) {
                break Some(candidate);
            }
        }
    } else {
        None
    };
    let street = area.streets.choose(rng).copied().unwrap_or("Jl. Merdeka");
    let village = area.villages.choose(rng).copied().unwrap_or(area.name);
    let house: u32 = rng.gen_range(1..250);
    let rt: u32 = rng.gen_range(1..12);
    let rw: u32 = rng.gen_range(1..15);
    let address = format!(
        "{street} No. {house}, RT {rt:02}/RW {rw:02}, Kel. {village}, Kec. {}, Kota Bandung, Jawa Barat",
        area.name
    );
    // Connected customers have a router login and a billing account.
    let connected = status != "prospect";
    customer::ActiveModel {
        id: Set(id_at(rng, since)),
        customer_number: Set(format!("PLG-{seq:07}")),
        name: Set(name),
        phone: Set(phone),
        whatsapp: Set(whatsapp),
        email: Set(email),
        address: Set(address),
        lat: Set(home.lat),
        lng: Set(home.lng),
        area_id: Set(area_id),
        package_id: Set(package_id),
        odp_id: Set(port.map(|p| p.0)),
        odp_port: Set(port.map(|p| p.1)),
        status: Set(status.to_string()),
        notes: Set(String::new()),
        preferred_date: Set((status == "prospect").then(|| {
            (since + Duration::days(rng.gen_range(3..10)))
                .format("%Y-%m-%d")
                .to_string()
        })),
        preferred_window: Set((status == "prospect")
            .then(|| ["08:00-12:00", "13:00-17:00"][rng.gen_range(0..2)].to_string())),
        source: Set(if status == "prospect" && rng.gen_bool(0.6) {
            "portal"
        } else {
            "staff"
        }
        .to_string()),
        created_at: Set(since),
        updated_at: Set(since),
        erased_at: Set(None),
        rt: Set(Some(format!("{rt:03}"))),
        rw: Set(Some(format!("{rw:03}"))),
        kelurahan: Set(Some(village.to_string())),
        kecamatan: Set(Some(area.name.to_string())),
        city: Set(Some("Kota Bandung".to_string())),
        pppoe_username: Set(connected.then(|| format!("plg{seq:07}"))),
        billing_id: Set(connected.then(|| format!("BIL-{seq:07}"))),
    }
}

pub(crate) fn chunked<T>(rows: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut iter = rows.into_iter().peekable();
    while iter.peek().is_some() {
        out.push(iter.by_ref().take(size).collect());
    }
    out
}
