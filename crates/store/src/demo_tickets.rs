//! Twelve months of ticket history for the demo: repairs that rise in the
//! rainy season (November to March) and after storms, installations on
//! weekdays, some upgrades, relocations and dismantles, a few outages on
//! an ODP, most tickets done within their targets and some not, ratings
//! for most visits, and the last days' tickets still open at every stage.
//! At `--scale 1` about ten thousand tickets; at `--scale 100` about a
//! million.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use netcrew_domain::tickets::{
    TicketKind, TicketStatus,
    rules::{outage_counter, outage_number},
    sla::SlaState,
    ticket_number,
};
use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, counters,
    entity::{
        customer, outage, problem_category, service_type,
        ticket::{self, no_due},
        ticket_event, user, user_area,
    },
};

/// What the history holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct History {
    pub tickets: usize,
    pub outages: usize,
}

struct Served {
    id: Uuid,
    area: Uuid,
    odp: Option<Uuid>,
    port: Option<i32>,
    lat: f64,
    lng: f64,
    address: String,
}

fn id_at(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.r#gen();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
}

/// How many more repairs than usual a day brings: the rainy season, and
/// storms.
fn weather(day: DateTime<Utc>, storms: &[i64]) -> f64 {
    let season = match day.month() {
        11 | 12 | 1 | 2 | 3 => 1.6,
        4 | 10 => 1.2,
        _ => 0.8,
    };
    let n = day.num_days_from_ce() as i64;
    let storm = if storms.contains(&n) {
        4.0
    } else if storms.contains(&(n - 1)) {
        2.0
    } else {
        1.0
    };
    season * storm
}

/// Writes the history, ending at `now`.
pub async fn generate(
    db: &Db,
    rng: &mut ChaCha8Rng,
    scale: f64,
    now: DateTime<Utc>,
) -> anyhow::Result<History> {
    let conn = db.conn();
    let served: Vec<Served> = customer::Entity::find()
        .filter(customer::Column::Status.is_in(["active", "suspended"]))
        .order_by_asc(customer::Column::CustomerNumber)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| Served {
            id: c.id,
            area: c.area_id,
            odp: c.odp_id,
            port: c.odp_port,
            lat: c.lat,
            lng: c.lng,
            address: c.address,
        })
        .collect();
    if served.is_empty() {
        return Ok(History::default());
    }
    let types: HashMap<String, service_type::Model> = service_type::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let categories: Vec<problem_category::Model> = problem_category::Entity::find()
        .filter(problem_category::Column::Active.eq(true))
        .order_by_asc(problem_category::Column::Code)
        .all(conn)
        .await?;
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Role.eq("technician"))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let techs: Vec<(Uuid, Uuid)> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::AreaId)
        .column(user_area::Column::UserId)
        .filter(user_area::Column::UserId.is_in(names.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(user_area::Column::UserId)
        .order_by_asc(user_area::Column::AreaId)
        .into_tuple()
        .all(conn)
        .await?;
    let mut by_area: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (area, tech) in techs {
        by_area.entry(area).or_default().push(tech);
    }

    let start = now - Duration::days(365);
    let mut storms: Vec<i64> = Vec::new();
    for _ in 0..8 {
        let d = start + Duration::days(rng.gen_range(0..365));
        storms.push(d.num_days_from_ce() as i64);
    }
    // Two to three repairs per customer a year on average.
    let repairs_per_day = served.len() as f64 * 2.4 / 365.0;
    let installs_per_weekday = (scale * 8.0).max(1.0);
    let mut seq: HashMap<(TicketKind, i32), i64> = HashMap::new();
    let mut rows: Vec<ticket::ActiveModel> = Vec::new();
    let mut events: Vec<ticket_event::ActiveModel> = Vec::new();
    let mut history = History::default();
    let mut outage_seq: HashMap<i32, i64> = HashMap::new();

    for day in 0..365 {
        let date = start + Duration::days(day);
        let mut todays: Vec<(TicketKind, usize)> = Vec::new();
        let expected = repairs_per_day * weather(date, &storms);
        let repairs = (expected + rng.gen_range(-0.5..0.5) * expected.sqrt())
            .round()
            .max(0.0) as usize;
        for _ in 0..repairs {
            todays.push((TicketKind::Repair, rng.gen_range(0..served.len())));
        }
        let weekday = date.weekday().num_days_from_monday() < 5;
        if weekday {
            let n = (installs_per_weekday * rng.gen_range(0.6..1.4)).round() as usize;
            for _ in 0..n {
                todays.push((TicketKind::Installation, rng.gen_range(0..served.len())));
            }
        }
        for (kind, share) in [
            (TicketKind::Upgrade, 0.02),
            (TicketKind::Relocation, 0.008),
            (TicketKind::Dismantle, 0.01),
        ] {
            let n = (served.len() as f64 * share / 30.0 * rng.gen_range(0.5..1.5)).round() as usize;
            for _ in 0..n {
                todays.push((kind, rng.gen_range(0..served.len())));
            }
        }
        // Now and then an ODP fails: one incident, several customers.
        let mut outage_today: Option<(Uuid, String, Uuid)> = None;
        if rng.gen_bool((0.05 * scale.sqrt()).min(0.9)) {
            let c = &served[rng.gen_range(0..served.len())];
            if let Some(odp) = c.odp {
                let at = date + Duration::hours(rng.gen_range(1..12));
                let year = at.year();
                let n = outage_seq.entry(year).or_insert(0);
                *n += 1;
                let id = id_at(rng, at);
                let number = outage_number(year, *n);
                outage::Entity::insert(outage::ActiveModel {
                    id: Set(id),
                    number: Set(number.clone()),
                    title: Set("Kabel feeder putus".to_string()),
                    element_kind: Set("odp".to_string()),
                    element_id: Set(Some(odp)),
                    area_id: Set(c.area),
                    status: Set("resolved".to_string()),
                    cause: Set("Kabel tertimpa pohon tumbang".to_string()),
                    resolution: Set("Kabel disambung ulang".to_string()),
                    declared_by: Set(None),
                    resolved_by: Set(None),
                    resolved_at: Set(Some(at + Duration::hours(rng.gen_range(3..10)))),
                    version: Set(2),
                    created_at: Set(at),
                    updated_at: Set(at),
                })
                .exec(conn)
                .await?;
                history.outages += 1;
                outage_today = Some((id, number, odp));
                for (i, s) in served.iter().enumerate() {
                    if s.odp == Some(odp) && rng.gen_bool(0.6) {
                        todays.push((TicketKind::Repair, i));
                    }
                }
            }
        }
        for (kind, who) in todays {
            let c = &served[who];
            let Some(st) = types.get(kind.as_str()) else {
                continue;
            };
            // Repairs come through the day, evenings most; the rest in office hours.
            let hour = match kind {
                TicketKind::Repair => *[7, 8, 9, 10, 12, 14, 16, 17, 18, 19, 19, 20, 20, 21]
                    .choose(rng)
                    .unwrap_or(&9),
                _ => rng.gen_range(8..16),
            };
            let created =
                date.with_hour(hour).unwrap_or(date) + Duration::minutes(rng.gen_range(0..60));
            if created >= now {
                continue;
            }
            let category = (kind == TicketKind::Repair)
                .then(|| categories.choose(rng))
                .flatten();
            let priority = category.map_or(st.priority(), |p| p.priority().max(st.priority()));
            let year = created.year();
            let n = seq.entry((kind, year)).or_insert(0);
            *n += 1;
            let number = ticket_number(kind, year, *n);
            let id = id_at(rng, created);
            let tech = by_area.get(&c.area).and_then(|t| t.choose(rng)).copied();
            let age = now - created;
            // Most responses come within the target, some do not.
            let response = Duration::minutes(if rng.gen_bool(0.93) {
                rng.gen_range(10..st.response_sla_minutes.max(11) as i64)
            } else {
                rng.gen_range(st.response_sla_minutes as i64..st.response_sla_minutes as i64 * 3)
            });
            let resolution = Duration::minutes(if rng.gen_bool(0.9) {
                rng.gen_range(60..st.resolution_sla_minutes.max(61) as i64)
            } else {
                rng.gen_range(
                    st.resolution_sla_minutes as i64..st.resolution_sla_minutes as i64 * 2,
                )
            });
            let remote = kind == TicketKind::Repair && outage_today.is_none() && rng.gen_bool(0.2);
            let joined = if kind == TicketKind::Repair {
                outage_today.as_ref().filter(|o| c.odp == Some(o.2))
            } else {
                None
            };
            // Where it stands now: done if its time has passed, otherwise
            // somewhere along the way.
            let finished = created + resolution < now - Duration::hours(2);
            let status = if finished {
                if rng.gen_bool(0.03) {
                    TicketStatus::Cancelled
                } else if age > Duration::days(3) {
                    TicketStatus::Closed
                } else {
                    TicketStatus::Resolved
                }
            } else {
                *[
                    TicketStatus::New,
                    TicketStatus::Assigned,
                    TicketStatus::Accepted,
                    TicketStatus::EnRoute,
                    TicketStatus::OnSite,
                    TicketStatus::Pending,
                ]
                .choose(rng)
                .unwrap_or(&TicketStatus::New)
            };
            let accepted = matches!(
                status,
                TicketStatus::Accepted
                    | TicketStatus::EnRoute
                    | TicketStatus::OnSite
                    | TicketStatus::Resolved
                    | TicketStatus::Closed
            ) && !remote;
            let has_tech =
                !remote && status != TicketStatus::New && status != TicketStatus::Cancelled;
            let resolved_at = matches!(status, TicketStatus::Resolved | TicketStatus::Closed)
                .then_some(created + resolution);
            let response_due = created + Duration::minutes(st.response_sla_minutes.into());
            let resolution_due = created + Duration::minutes(st.resolution_sla_minutes.into());
            let accepted_at = accepted.then_some(created + response);
            let open = status.is_open();
            let response_breached =
                accepted_at.map_or(open && now > response_due, |a| a > response_due);
            let resolution_breached =
                resolved_at.map_or(open && now > resolution_due, |r| r > resolution_due);
            let sla_state = if response_breached || resolution_breached {
                SlaState::Breached
            } else if open && now > created + (resolution_due - created) * 4 / 5 {
                SlaState::AtRisk
            } else {
                SlaState::OnTrack
            };
            let paused = status == TicketStatus::Pending;
            let running_response =
                (open && accepted_at.is_none() && !paused).then_some(response_due);
            let running_resolution = (open && !paused).then_some(resolution_due);
            let next_due = [running_response, running_resolution]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or_else(no_due);
            let rating = (matches!(status, TicketStatus::Resolved | TicketStatus::Closed)
                && !remote
                && rng.gen_bool(0.6))
            .then(|| *[5, 5, 5, 4, 4, 4, 3, 5, 2, 5].choose(rng).unwrap_or(&5));
            let description = match kind {
                TicketKind::Repair => {
                    category.map_or("Internet mati".to_string(), |p| p.name_id.clone())
                }
                TicketKind::Installation => "Pemasangan baru".to_string(),
                TicketKind::Upgrade => "Naik paket".to_string(),
                TicketKind::Relocation => "Pindah alamat".to_string(),
                TicketKind::Dismantle => "Berhenti berlangganan".to_string(),
            };
            let last = resolved_at.unwrap_or(created + response.min(age));
            rows.push(ticket::ActiveModel {
                id: Set(id),
                number: Set(number),
                kind: Set(kind.as_str().to_string()),
                status: Set(status.as_str().to_string()),
                is_open: Set(open),
                before_pending: Set(paused.then(|| TicketStatus::Accepted.as_str().to_string())),
                pending_reason: Set(paused.then(|| {
                    ["customer_absent", "parts", "access_permit", "weather"]
                        .choose(rng)
                        .copied()
                        .unwrap_or("customer_absent")
                        .to_string()
                })),
                service_type_id: Set(st.id),
                problem_category_id: Set(category.map(|p| p.id)),
                priority: Set(priority.as_str().to_string()),
                source: Set(
                    ["phone", "whatsapp", "whatsapp", "portal", "portal", "phone"]
                        .choose(rng)
                        .copied()
                        .unwrap_or("phone")
                        .to_string(),
                ),
                customer_id: Set(c.id),
                area_id: Set(c.area),
                address: Set(c.address.clone()),
                lat: Set(c.lat),
                lng: Set(c.lng),
                odp_id: Set(c.odp),
                odp_port: Set(c.port),
                description: Set(description),
                appointment_date: Set(None),
                appointment_window: Set(None),
                technician_id: Set(if has_tech { tech } else { None }),
                tags: Set("[]".to_string()),
                duplicate_of: Set(None),
                outage_id: Set(joined.map(|o| o.0)),
                response_minutes: Set(st.response_sla_minutes),
                resolution_minutes: Set(st.resolution_sla_minutes),
                clock_started_at: Set(created),
                response_warn_at: Set(running_response.map(|d| d - (d - created) / 5)),
                response_due_at: Set(running_response),
                resolution_warn_at: Set(running_resolution.map(|d| d - (d - created) / 5)),
                resolution_due_at: Set(running_resolution),
                next_due_at: Set(next_due),
                sla_state: Set(sla_state.as_str().to_string()),
                accepted_at: Set(accepted_at),
                resolved_at: Set(resolved_at),
                closed_at: Set((status == TicketStatus::Closed)
                    .then(|| created + resolution + Duration::hours(72))),
                remote_reason: Set(
                    (remote && resolved_at.is_some()).then(|| "ont_restarted".to_string())
                ),
                visits: Set(i32::from(accepted && resolved_at.is_some())),
                cycle: Set(0),
                rating: Set(rating),
                rating_comment: Set(String::new()),
                created_by: Set(None),
                package_id: Set(None),
                // History: every installation that went ahead was verified
                // and paid within the hour it was opened.
                verified_at: Set(
                    (kind == TicketKind::Installation && status != TicketStatus::New)
                        .then(|| created + Duration::minutes(30)),
                ),
                verified_by: Set(None),
                fee_paid_at: Set(
                    (kind == TicketKind::Installation && status != TicketStatus::New)
                        .then(|| created + Duration::minutes(45)),
                ),
                fee_reference: Set(None),
                version: Set(1),
                created_at: Set(created),
                updated_at: Set(last.min(now)),
            });
            let mut opened = event(
                rng,
                id,
                created,
                "created",
                None,
                Some(TicketStatus::New),
                None,
            );
            // The timeline says how it came in, as a real one does.
            if let Some(row) = rows.last() {
                opened.data = Set(json!({
                    "source": row.source.clone().unwrap(),
                    "priority": row.priority.clone().unwrap(),
                })
                .to_string());
            }
            events.push(opened);
            if let (Some(r), Some(t)) = (resolved_at, if has_tech { tech } else { None }) {
                let name = names.get(&t).cloned().unwrap_or_default();
                events.push(event(
                    rng,
                    id,
                    r,
                    "moved",
                    Some(TicketStatus::OnSite),
                    Some(TicketStatus::Resolved),
                    Some((t, name)),
                ));
            }
            if status == TicketStatus::Closed {
                events.push(event(
                    rng,
                    id,
                    created + resolution + Duration::hours(72),
                    "moved",
                    Some(TicketStatus::Resolved),
                    Some(TicketStatus::Closed),
                    None,
                ));
            }
            history.tickets += 1;
        }
        if rows.len() >= 5000 {
            flush(db, &mut rows, &mut events).await?;
        }
    }
    flush(db, &mut rows, &mut events).await?;
    for ((kind, year), n) in seq {
        counters::raise_to(conn, &kind.counter(year), n).await?;
    }
    for (year, n) in outage_seq {
        counters::raise_to(conn, &outage_counter(year), n).await?;
    }
    Ok(history)
}

fn event(
    rng: &mut ChaCha8Rng,
    ticket: Uuid,
    at: DateTime<Utc>,
    kind: &str,
    from: Option<TicketStatus>,
    to: Option<TicketStatus>,
    actor: Option<(Uuid, String)>,
) -> ticket_event::ActiveModel {
    ticket_event::ActiveModel {
        id: Set(id_at(rng, at)),
        ticket_id: Set(ticket),
        at: Set(at),
        actor_id: Set(actor.as_ref().map(|a| a.0)),
        actor_name: Set(actor.map_or_else(|| "NetCrew".to_string(), |a| a.1)),
        actor_role: Set(if from.is_some() && to == Some(TicketStatus::Resolved) {
            "technician"
        } else {
            "system"
        }
        .to_string()),
        kind: Set(kind.to_string()),
        from_status: Set(from.map(|s| s.as_str().to_string())),
        to_status: Set(to.map(|s| s.as_str().to_string())),
        reason: Set(String::new()),
        data: Set(json!({}).to_string()),
        public: Set(true),
    }
}

async fn flush(
    db: &Db,
    rows: &mut Vec<ticket::ActiveModel>,
    events: &mut Vec<ticket_event::ActiveModel>,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    // Below the bound-parameter limits of both databases.
    while !rows.is_empty() {
        let chunk: Vec<_> = rows.drain(..rows.len().min(300)).collect();
        ticket::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    while !events.is_empty() {
        let chunk: Vec<_> = events.drain(..events.len().min(1000)).collect();
        ticket_event::Entity::insert_many(chunk).exec(&*txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Fresh planner statistics once the history is in.
pub async fn analyze(db: &Db) -> anyhow::Result<()> {
    db.conn().execute_unprepared("ANALYZE").await?;
    Ok(())
}
