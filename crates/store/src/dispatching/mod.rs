//! Dispatch in the database: the ISP's dispatch settings, technicians'
//! profiles and positions, leave and the on-call rota; who may do a ticket
//! and who should (decided by `netcrew_dispatch` over what is read here);
//! every assignment kept with its explanation; declines, and assignments
//! not accepted in time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use netcrew_dispatch::{
    Availability, Booked, Calendar, DateRange, Ineligible, Job, OnCall, Scored, Span, Technician,
    WeekPattern, Weights, When,
};
use netcrew_domain::{
    Checks, GeoPoint, Invalid, Role,
    schedule::{Zone, local_date},
    service::Priority,
    tickets::{TicketKind, TicketMove, TicketStatus},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{
        dispatch_setting, holiday, on_call_shift, service_type, skill, technician_leave,
        technician_profile, technician_skill, ticket, ticket_assignment, user, user_area,
    },
    notifications::{self, Note},
    tickets::{self, MoveRequest, Person, Scope, Versioned},
};

mod assign;
mod board;
mod booking;
mod crew;
mod leave;
mod profiles;
mod rota;
pub mod routing;

pub use assign::*;
pub use board::*;
pub use booking::*;
pub use crew::*;
pub use leave::*;
pub use profiles::*;
pub use rota::*;

/// Whether NetCrew assigns by itself or suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// New tickets (and declined ones) go to the best technician at once.
    Automatic,
    /// The top three are suggested; a supervisor confirms.
    Suggest,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Automatic => "automatic",
            Mode::Suggest => "suggest",
        }
    }
}

/// The ISP's dispatch settings.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchSettings {
    pub mode: Mode,
    pub weights: Weights,
    pub road_factor: f64,
    pub speed_kmh: f64,
    /// An assignment not accepted within this many minutes goes back to
    /// the queue.
    pub accept_minutes: i32,
    pub ramadan: Option<DateRange>,
    /// An OSRM-compatible routing server for travel times by road; none:
    /// straight-line distance × road factor at the speed.
    pub routing_url: Option<String>,
    pub version: i32,
}

impl Default for DispatchSettings {
    fn default() -> Self {
        let s = netcrew_dispatch::Settings::default();
        DispatchSettings {
            mode: Mode::Suggest,
            weights: s.weights,
            road_factor: s.road_factor,
            speed_kmh: s.speed_kmh,
            accept_minutes: 30,
            ramadan: None,
            routing_url: None,
            version: 0,
        }
    }
}

impl DispatchSettings {
    /// What the solver works with.
    pub fn solver(&self) -> netcrew_dispatch::Settings {
        netcrew_dispatch::Settings {
            weights: self.weights,
            road_factor: self.road_factor,
            speed_kmh: self.speed_kmh,
            ..Default::default()
        }
    }
}

pub(crate) fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The ISP's dispatch settings (the defaults when never saved).
pub async fn settings<C: ConnectionTrait>(db: &C) -> Result<DispatchSettings, DbErr> {
    let Some(row) = dispatch_setting::Entity::find_by_id(1).one(db).await? else {
        return Ok(DispatchSettings::default());
    };
    let ramadan = match (
        row.ramadan_from.as_deref().and_then(date),
        row.ramadan_to.as_deref().and_then(date),
    ) {
        (Some(from), Some(to)) => Some(DateRange { from, to }),
        _ => None,
    };
    Ok(DispatchSettings {
        mode: if row.mode == "automatic" {
            Mode::Automatic
        } else {
            Mode::Suggest
        },
        weights: serde_json::from_str(&row.weights).unwrap_or_default(),
        road_factor: row.road_factor,
        speed_kmh: row.speed_kmh,
        accept_minutes: row.accept_minutes,
        ramadan,
        routing_url: row.routing_url,
        version: row.version,
    })
}

/// New dispatch settings, as given.
#[derive(Debug, Clone)]
pub struct SettingsInput {
    pub mode: Mode,
    pub weights: Weights,
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub accept_minutes: i32,
    pub ramadan_from: Option<String>,
    pub ramadan_to: Option<String>,
    pub routing_url: Option<String>,
}

pub(super) fn in_range(c: &mut Checks, field: &str, v: f64, lo: f64, hi: f64) {
    if !v.is_finite() || v < lo || v > hi {
        c.fail(field, "range", format!("a number from {lo} to {hi}"));
    }
}

/// Saves the settings read at `version`.
pub async fn save_settings(
    db: &Db,
    who: &Person,
    version: i32,
    input: SettingsInput,
    now: DateTime<Utc>,
) -> Result<DispatchSettings, Error> {
    let mut c = Checks::default();
    let w = &input.weights;
    for (field, v) in [
        ("weights.travel", w.travel),
        ("weights.workload", w.workload),
        ("weights.skill_surplus", w.skill_surplus),
        ("weights.continuity", w.continuity),
        ("weights.urgency", w.urgency),
    ] {
        in_range(&mut c, field, v, 0.0, 100.0);
    }
    in_range(&mut c, "road_factor", input.road_factor, 1.0, 3.0);
    in_range(&mut c, "speed_kmh", input.speed_kmh, 5.0, 80.0);
    if !(5..=1440).contains(&input.accept_minutes) {
        c.fail("accept_minutes", "range", "from 5 to 1440 minutes");
    }
    let from = input
        .ramadan_from
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let to = input
        .ramadan_to
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let ramadan = match (from, to) {
        (None, None) => None,
        (Some(f), Some(t)) => match (date(f), date(t)) {
            (Some(a), Some(b)) if a <= b && (b - a).num_days() <= 40 => Some((f, t)),
            (Some(a), Some(b)) if a <= b => {
                c.fail("ramadan_to", "range", "Ramadan lasts at most 40 days here");
                None
            }
            (Some(_), Some(_)) => {
                c.fail(
                    "ramadan_to",
                    "order",
                    "the end must not be before the start",
                );
                None
            }
            (a, _) => {
                let field = if a.is_none() {
                    "ramadan_from"
                } else {
                    "ramadan_to"
                };
                c.fail(field, "date_format", "a date as YYYY-MM-DD");
                None
            }
        },
        (None, Some(_)) => {
            c.fail(
                "ramadan_from",
                "required",
                "give both days of Ramadan, or neither",
            );
            None
        }
        (Some(_), None) => {
            c.fail(
                "ramadan_to",
                "required",
                "give both days of Ramadan, or neither",
            );
            None
        }
    };
    let routing_url = input
        .routing_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| match url::Url::parse(s) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && s.len() <= 300
                    && u.host().is_some()
                    && u.password().is_none() =>
            {
                Some(s.trim_end_matches('/').to_string())
            }
            _ => {
                c.fail(
                    "routing_url",
                    "format",
                    "an http(s) address of an OSRM-compatible server, such as http://osrm.local:5000",
                );
                None
            }
        });
    c.finish()?;
    let txn = db.begin_write().await?;
    let before = settings(&*txn).await?;
    if before.version != version {
        return Err(Error::Stale(format!(
            "The dispatch settings changed since you loaded them (now version {}); reload them and try again.",
            before.version
        )));
    }
    let row = dispatch_setting::ActiveModel {
        id: Set(1),
        mode: Set(input.mode.as_str().to_string()),
        weights: Set(serde_json::to_string(&input.weights).unwrap_or_default()),
        road_factor: Set(input.road_factor),
        speed_kmh: Set(input.speed_kmh),
        accept_minutes: Set(input.accept_minutes),
        ramadan_from: Set(ramadan.map(|r| r.0.to_string())),
        ramadan_to: Set(ramadan.map(|r| r.1.to_string())),
        routing_url: Set(routing_url),
        version: Set(version + 1),
        updated_at: Set(now),
    };
    if version == 0 {
        row.insert(&*txn).await?;
    } else {
        row.update(&*txn).await?;
    }
    let after = settings(&*txn).await?;
    audited(
        &*txn,
        who,
        ("dispatch.settings_changed", "dispatch_settings", "1".into()),
        Some(settings_view(&before)),
        Some(settings_view(&after)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub(super) fn settings_view(s: &DispatchSettings) -> Value {
    json!({
        "mode": s.mode.as_str(), "weights": s.weights, "road_factor": s.road_factor,
        "speed_kmh": s.speed_kmh, "accept_minutes": s.accept_minutes,
        "ramadan": s.ramadan.map(|r| [r.from.to_string(), r.to.to_string()]),
        "routing_url": s.routing_url,
    })
}

/// The audit entry of a dispatch change, by `who`.
pub(super) async fn audited<C: ConnectionTrait>(
    db: &C,
    who: &Person,
    done: crate::sla_settings::Done,
    before: Option<Value>,
    after: Option<Value>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::sla_settings::audited(db, &who.actor(), done, before, after, now).await
}

/// Tells live readers (the dispatch board) that a technician's working
/// time changed: leave, the rota or the profile. One event per area they
/// serve, so that every supervisor of those areas hears of it.
pub(super) async fn availability_changed<C: ConnectionTrait>(
    db: &C,
    technician: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let areas: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.eq(technician))
        .into_tuple()
        .all(db)
        .await?;
    let areas: Vec<Option<Uuid>> = if areas.is_empty() {
        vec![None]
    } else {
        areas.into_iter().map(Some).collect()
    };
    for area_id in areas {
        crate::feed::publish(
            db,
            "technician.availability",
            crate::feed::Concerns {
                technician_id: Some(technician),
                area_id,
                ..Default::default()
            },
            json!({"technician_id": technician}),
            now,
        )
        .await?;
    }
    Ok(())
}
