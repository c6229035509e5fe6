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
    schedule::{Zone, local_date, parse_zone},
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
        area, dispatch_setting, holiday, on_call_shift, service_type, skill, technician_leave,
        technician_profile, technician_skill, ticket, ticket_assignment, user, user_area,
    },
    notifications::{self, Note},
    tickets::{self, MoveRequest, Person, Scope, Versioned},
};

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

fn date(s: &str) -> Option<NaiveDate> {
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
}

fn in_range(c: &mut Checks, field: &str, v: f64, lo: f64, hi: f64) {
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

fn settings_view(s: &DispatchSettings) -> Value {
    json!({
        "mode": s.mode.as_str(), "weights": s.weights, "road_factor": s.road_factor,
        "speed_kmh": s.speed_kmh, "accept_minutes": s.accept_minutes,
        "ramadan": s.ramadan.map(|r| [r.from.to_string(), r.to.to_string()]),
    })
}

/// The audit entry of a dispatch change, by `who`.
async fn audited<C: ConnectionTrait>(
    db: &C,
    who: &Person,
    done: crate::sla_settings::Done,
    before: Option<Value>,
    after: Option<Value>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::sla_settings::audited(db, &who.actor(), done, before, after, now).await
}

// ----------------------------------------------------------------------
// Profiles

/// A skill a technician has, at a level.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillLevel {
    pub skill_id: Uuid,
    pub code: String,
    pub name: String,
    pub level: u8,
}

/// Where a technician was last seen, and when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub point: GeoPoint,
    pub accuracy_m: Option<f64>,
    pub at: DateTime<Utc>,
}

/// A technician as dispatch knows them.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub active: bool,
    pub home: Option<GeoPoint>,
    pub home_address: String,
    pub max_jobs_per_day: i32,
    /// `staff` or `partner`.
    pub employer: String,
    pub partner_name: String,
    pub pattern: WeekPattern,
    pub ramadan_pattern: Option<WeekPattern>,
    pub skills: Vec<SkillLevel>,
    pub areas: Vec<Uuid>,
    pub position: Option<Position>,
    /// 0 until the profile is first saved.
    pub version: i32,
}

fn pattern_of(text: Option<&str>) -> Option<WeekPattern> {
    let days: Vec<Vec<String>> = serde_json::from_str(text?).ok()?;
    week(&days).ok()
}

/// A week of `HH:MM-HH:MM` spans, Monday first.
fn week(days: &[Vec<String>]) -> Result<WeekPattern, (String, &'static str, String)> {
    if days.len() != 7 {
        return Err((
            String::new(),
            "length",
            "seven days, Monday first".to_string(),
        ));
    }
    let mut out: [Vec<Span>; 7] = Default::default();
    for (d, spans) in days.iter().enumerate() {
        for (i, text) in spans.iter().enumerate() {
            match text.parse::<Span>() {
                Ok(s) => out[d].push(s),
                Err(e) => return Err((format!(".{d}.{i}"), e.code(), e.to_string())),
            }
        }
    }
    WeekPattern::new(out).map_err(|(d, e)| (format!(".{d}"), e.code(), e.to_string()))
}

fn week_text(p: &WeekPattern) -> Vec<Vec<String>> {
    p.days()
        .iter()
        .map(|d| d.iter().map(Span::to_string).collect())
        .collect()
}

/// A technician's profile; none when `id` is no technician.
pub async fn profile<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<Profile>, DbErr> {
    let Some(u) = user::Entity::find_by_id(id)
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let stored = technician_profile::Entity::find_by_id(id).one(db).await?;
    let rows = technician_skill::Entity::find()
        .filter(technician_skill::Column::UserId.eq(id))
        .all(db)
        .await?;
    let names: BTreeMap<Uuid, skill::Model> = skill::Entity::find()
        .filter(skill::Column::Id.is_in(rows.iter().map(|r| r.skill_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut skills: Vec<SkillLevel> = rows
        .into_iter()
        .map(|r| {
            let s = names.get(&r.skill_id);
            SkillLevel {
                skill_id: r.skill_id,
                code: s.map(|s| s.code.clone()).unwrap_or_default(),
                name: s.map(|s| s.name.clone()).unwrap_or_default(),
                level: u8::try_from(r.level).unwrap_or(0),
            }
        })
        .collect();
    skills.sort_by(|a, b| a.code.cmp(&b.code));
    let mut areas: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    areas.sort();
    let p = stored.as_ref();
    Ok(Some(Profile {
        id,
        name: u.name,
        phone: u.phone,
        active: u.active,
        home: p.and_then(|p| GeoPoint::new(p.home_lat?, p.home_lng?).ok()),
        home_address: p.map(|p| p.home_address.clone()).unwrap_or_default(),
        max_jobs_per_day: p.map_or(6, |p| p.max_jobs_per_day),
        employer: p.map_or_else(|| "staff".to_string(), |p| p.employer.clone()),
        partner_name: p.map(|p| p.partner_name.clone()).unwrap_or_default(),
        pattern: p
            .and_then(|p| pattern_of(Some(&p.work_pattern)))
            .unwrap_or_else(WeekPattern::standard),
        ramadan_pattern: match p {
            Some(p) => pattern_of(p.ramadan_pattern.as_deref()),
            None => Some(WeekPattern::ramadan_standard()),
        },
        skills,
        areas,
        position: p.and_then(|p| {
            Some(Position {
                point: GeoPoint::new(p.last_lat?, p.last_lng?).ok()?,
                accuracy_m: p.last_accuracy_m,
                at: p.last_position_at?,
            })
        }),
        version: p.map_or(0, |p| p.version),
    }))
}

/// A technician's profile, as given.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub home: Option<GeoPoint>,
    pub home_address: String,
    pub max_jobs_per_day: i32,
    pub employer: String,
    pub partner_name: String,
    /// Seven lists of `HH:MM-HH:MM`, Monday first.
    pub work_pattern: Vec<Vec<String>>,
    /// Ramadan hours; none: the usual pattern holds in Ramadan too.
    pub ramadan_pattern: Option<Vec<Vec<String>>>,
    pub skills: Vec<(Uuid, i32)>,
}

/// Saves a technician's profile read at `version`.
pub async fn save_profile(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<Profile, Error> {
    let mut c = Checks::default();
    if !(1..=20).contains(&input.max_jobs_per_day) {
        c.fail("max_jobs_per_day", "range", "from 1 to 20 jobs a day");
    }
    c.one_of("employer", &input.employer, &["staff", "partner"]);
    let partner = c
        .optional_text("partner_name", &input.partner_name, 120)
        .unwrap_or_default();
    if input.employer == "partner" && partner.trim().is_empty() {
        c.fail(
            "partner_name",
            "required",
            "name the partner company (mitra)",
        );
    }
    let address = c
        .optional_text("home_address", &input.home_address, 300)
        .unwrap_or_default();
    let pattern = match week(&input.work_pattern) {
        Ok(p) => Some(p),
        Err((at, code, detail)) => {
            c.fail(&format!("work_pattern{at}"), code, detail);
            None
        }
    };
    let ramadan = match &input.ramadan_pattern {
        None => None,
        Some(days) => match week(days) {
            Ok(p) => Some(p),
            Err((at, code, detail)) => {
                c.fail(&format!("ramadan_pattern{at}"), code, detail);
                None
            }
        },
    };
    let known: BTreeSet<Uuid> = skill::Entity::find()
        .select_only()
        .column(skill::Column::Id)
        .filter(skill::Column::Active.eq(true))
        .into_tuple::<Uuid>()
        .all(db.conn())
        .await?
        .into_iter()
        .collect();
    let mut seen = BTreeSet::new();
    for (i, (skill_id, level)) in input.skills.iter().enumerate() {
        if !known.contains(skill_id) {
            c.fail(
                &format!("skills.{i}.skill_id"),
                "unknown",
                "no active skill with this id",
            );
        } else if !seen.insert(*skill_id) {
            c.fail(
                &format!("skills.{i}.skill_id"),
                "duplicate",
                "each skill once",
            );
        }
        if !(1..=5).contains(level) {
            c.fail(&format!("skills.{i}.level"), "range", "a level from 1 to 5");
        }
    }
    c.finish()?;
    let pattern = pattern.unwrap_or_default();
    let txn = db.begin_write().await?;
    let before = profile(&*txn, id)
        .await?
        .ok_or_else(|| Error::NotFound("No such technician.".into()))?;
    if before.version != version {
        return Err(Error::Stale(format!(
            "The profile changed since you loaded it (now version {}); reload it and try again.",
            before.version
        )));
    }
    let stored = technician_profile::Entity::find_by_id(id)
        .one(&*txn)
        .await?;
    let row = technician_profile::ActiveModel {
        user_id: Set(id),
        home_lat: Set(input.home.map(|p| p.lat)),
        home_lng: Set(input.home.map(|p| p.lng)),
        home_address: Set(address),
        max_jobs_per_day: Set(input.max_jobs_per_day),
        employer: Set(input.employer.clone()),
        partner_name: Set(if input.employer == "partner" {
            partner
        } else {
            String::new()
        }),
        work_pattern: Set(json!(week_text(&pattern)).to_string()),
        ramadan_pattern: Set(ramadan.as_ref().map(|r| json!(week_text(r)).to_string())),
        last_lat: Set(stored.as_ref().and_then(|s| s.last_lat)),
        last_lng: Set(stored.as_ref().and_then(|s| s.last_lng)),
        last_accuracy_m: Set(stored.as_ref().and_then(|s| s.last_accuracy_m)),
        last_position_at: Set(stored.as_ref().and_then(|s| s.last_position_at)),
        version: Set(version + 1),
        updated_at: Set(now),
    };
    if stored.is_some() {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    technician_skill::Entity::delete_many()
        .filter(technician_skill::Column::UserId.eq(id))
        .exec(&*txn)
        .await?;
    for (skill_id, level) in &input.skills {
        technician_skill::ActiveModel {
            user_id: Set(id),
            skill_id: Set(*skill_id),
            level: Set(*level),
        }
        .insert(&*txn)
        .await?;
    }
    let after = profile(&*txn, id)
        .await?
        .ok_or_else(|| Error::NotFound("No such technician.".into()))?;
    audited(
        &*txn,
        who,
        ("technician.profile_changed", "user", id.to_string()),
        Some(profile_view(&before)),
        Some(profile_view(&after)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

fn profile_view(p: &Profile) -> Value {
    json!({
        "home": p.home.map(|h| [h.lat, h.lng]), "max_jobs_per_day": p.max_jobs_per_day,
        "employer": p.employer, "partner_name": p.partner_name,
        "work_pattern": week_text(&p.pattern),
        "ramadan_pattern": p.ramadan_pattern.as_ref().map(week_text),
        "skills": p.skills.iter().map(|s| json!({"skill": s.code, "level": s.level})).collect::<Vec<_>>(),
    })
}

/// Keeps where a technician's phone says they are (not audited: it comes
/// every few minutes while the app is open).
pub async fn record_position(
    db: &Db,
    id: Uuid,
    point: GeoPoint,
    accuracy_m: Option<f64>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    match technician_profile::Entity::find_by_id(id)
        .one(&*txn)
        .await?
    {
        Some(p) => {
            let mut a = p.into_active_model();
            a.last_lat = Set(Some(point.lat));
            a.last_lng = Set(Some(point.lng));
            a.last_accuracy_m = Set(accuracy_m);
            a.last_position_at = Set(Some(now));
            a.update(&*txn).await?;
        }
        None => {
            technician_profile::ActiveModel {
                user_id: Set(id),
                home_lat: Set(None),
                home_lng: Set(None),
                home_address: Set(String::new()),
                max_jobs_per_day: Set(6),
                employer: Set("staff".into()),
                partner_name: Set(String::new()),
                work_pattern: Set(json!(week_text(&WeekPattern::standard())).to_string()),
                ramadan_pattern: Set(Some(
                    json!(week_text(&WeekPattern::ramadan_standard())).to_string(),
                )),
                last_lat: Set(Some(point.lat)),
                last_lng: Set(Some(point.lng)),
                last_accuracy_m: Set(accuracy_m),
                last_position_at: Set(Some(now)),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(&*txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Forgets positions older than `keep` (the retention sweep).
pub async fn forget_positions<C: ConnectionTrait>(
    db: &C,
    older_than: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::sea_query::Expr;
    let r = technician_profile::Entity::update_many()
        .col_expr(
            technician_profile::Column::LastLat,
            Expr::value(Option::<f64>::None),
        )
        .col_expr(
            technician_profile::Column::LastLng,
            Expr::value(Option::<f64>::None),
        )
        .col_expr(
            technician_profile::Column::LastAccuracyM,
            Expr::value(Option::<f64>::None),
        )
        .col_expr(
            technician_profile::Column::LastPositionAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(technician_profile::Column::LastPositionAt.lt(older_than))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

// ----------------------------------------------------------------------
// Leave and sick days

/// Leave, as given.
#[derive(Debug, Clone)]
pub struct LeaveInput {
    /// `leave` or `sick`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// How far back sick days may be recorded, and how long one request may be.
const LEAVE_BACK_DAYS: i64 = 14;
const LEAVE_MAX_DAYS: i64 = 60;

async fn technician<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<user::Model, Error> {
    user::Entity::find_by_id(id)
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such technician.".into()))
}

/// Asks for leave (or reports sick days) for technician `id`; a
/// supervisor decides.
pub async fn request_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    input: LeaveInput,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<technician_leave::Model, Error> {
    let mut c = Checks::default();
    c.one_of("kind", &input.kind, &["leave", "sick"]);
    let reason = c.multiline("reason", &input.reason, 500);
    let today = local_date(now, zone);
    let from = date(input.from.trim());
    let to = date(input.to.trim());
    if from.is_none() {
        c.fail("from", "date_format", "a date as YYYY-MM-DD");
    }
    if to.is_none() {
        c.fail("to", "date_format", "a date as YYYY-MM-DD");
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            c.fail("to", "order", "the last day must not be before the first");
        } else if (t - f).num_days() >= LEAVE_MAX_DAYS {
            c.fail(
                "to",
                "range",
                format!("at most {LEAVE_MAX_DAYS} days at once"),
            );
        }
        if f < today - Duration::days(LEAVE_BACK_DAYS) {
            c.fail(
                "from",
                "date_past",
                format!("at most {LEAVE_BACK_DAYS} days back"),
            );
        }
    }
    c.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::Conflict("Unreadable dates.".into()));
    };
    let txn = db.begin_write().await?;
    let tech = technician(&*txn, id).await?;
    let clash = technician_leave::Entity::find()
        .filter(technician_leave::Column::UserId.eq(id))
        .filter(technician_leave::Column::Status.is_in(["requested", "approved"]))
        .filter(technician_leave::Column::FromDate.lte(to.to_string()))
        .filter(technician_leave::Column::ToDate.gte(from.to_string()))
        .one(&*txn)
        .await?;
    if let Some(other) = clash {
        return Err(Error::Conflict(format!(
            "{} already has {} leave from {} to {} ({}).",
            tech.name, other.kind, other.from_date, other.to_date, other.status
        )));
    }
    let row = technician_leave::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(id),
        kind: Set(input.kind.clone()),
        from_date: Set(from.to_string()),
        to_date: Set(to.to_string()),
        reason: Set(reason),
        status: Set("requested".into()),
        requested_by: Set(who.id.unwrap_or(id)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_requested",
            "technician_leave",
            row.id.to_string(),
        ),
        None,
        Some(leave_view(&row)),
        now,
    )
    .await?;
    let w = supervisors_of(&*txn, id).await?;
    notifications::notify(
        &*txn,
        &w,
        &Note {
            kind: "leave_requested",
            ticket: None,
            outage_id: None,
            data: json!({"technician": tech.name, "from": row.from_date, "to": row.to_date, "kind": row.kind, "leave_id": row.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

fn leave_view(l: &technician_leave::Model) -> Value {
    json!({"technician_id": l.user_id, "kind": l.kind, "from": l.from_date, "to": l.to_date, "status": l.status})
}

/// The supervisors of the areas a technician serves.
async fn supervisors_of<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let areas: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeSet::new();
    for a in areas {
        out.extend(tickets::watchers(db, a, false).await?);
    }
    Ok(out.into_iter().collect())
}

/// What to do with a technician's jobs on the days of the leave being
/// approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobsOnLeave {
    /// Take them back: they return to the queue for someone else.
    Unassign,
    /// Leave them with the technician (they will be handled by hand).
    Keep,
}

/// A supervisor's decision on leave.
#[derive(Debug, Clone)]
pub struct LeaveDecision {
    pub approve: bool,
    pub note: String,
    pub jobs: Option<JobsOnLeave>,
}

/// The open jobs a technician has between two days.
async fn jobs_between<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<ticket::Model>, DbErr> {
    ticket::Entity::find()
        .filter(ticket::Column::TechnicianId.eq(id))
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::AppointmentDate.gte(from))
        .filter(ticket::Column::AppointmentDate.lte(to))
        .order_by_asc(ticket::Column::AppointmentDate)
        .limit(200)
        .all(db)
        .await
}

/// Approves or rejects leave read at `version`. Approving leave that
/// overlaps the technician's jobs needs `jobs`: without it the answer
/// names the jobs and the choices.
pub async fn decide_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    d: LeaveDecision,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<(technician_leave::Model, Vec<String>), Error> {
    let mut c = Checks::default();
    let note = c.multiline("note", &d.note, 500);
    if !d.approve && note.trim().is_empty() {
        c.fail("note", "required", "say why the leave is refused");
    }
    c.finish()?;
    let txn = db.begin_write().await?;
    let l = leave_at(&*txn, id, version, None).await?;
    if l.status != "requested" {
        return Err(Error::Conflict(format!(
            "This leave is {} already.",
            l.status
        )));
    }
    let mut moved = Vec::new();
    if d.approve {
        let jobs = jobs_between(&*txn, l.user_id, &l.from_date, &l.to_date).await?;
        if !jobs.is_empty() {
            match d.jobs {
                None => {
                    return Err(Error::Choose {
                        detail: format!(
                            "The technician has jobs on these days: {}. Say whether to unassign them (back to the queue) or keep them.",
                            jobs.iter()
                                .map(|t| t.number.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        choices: vec!["unassign".into(), "keep".into()],
                    });
                }
                Some(JobsOnLeave::Keep) => {}
                Some(JobsOnLeave::Unassign) => {
                    for t in jobs {
                        if TicketStatus::parse(&t.status) != Some(TicketStatus::Assigned) {
                            // Accepted or under way: a supervisor's Decline
                            // does not reach it; reassign by hand.
                            continue;
                        }
                        tickets::transition_in(
                            &txn,
                            who,
                            &Scope::All,
                            Versioned {
                                id: t.id,
                                version: t.version,
                            },
                            MoveRequest {
                                to: Some(TicketStatus::New),
                                reason: Some("Teknisi cuti / technician on leave".into()),
                                ..Default::default()
                            },
                            tsettings,
                            now,
                        )
                        .await?;
                        moved.push(t.number);
                    }
                }
            }
        }
    }
    let mut a = l.clone().into_active_model();
    a.status = Set(if d.approve { "approved" } else { "rejected" }.into());
    a.decided_by = Set(who.id);
    a.decided_at = Set(Some(now));
    a.decision_note = Set(note);
    a.version = Set(l.version + 1);
    let saved = a.update(&*txn).await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_decided",
            "technician_leave",
            saved.id.to_string(),
        ),
        Some(leave_view(&l)),
        Some(leave_view(&saved)),
        now,
    )
    .await?;
    notifications::notify(
        &*txn,
        &[saved.user_id],
        &Note {
            kind: "leave_decided",
            ticket: None,
            outage_id: None,
            data: json!({"status": saved.status, "from": saved.from_date, "to": saved.to_date, "by": who.name, "note": saved.decision_note}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((saved, moved))
}

/// Leave read at `version` (of technician `own` only, when given).
async fn leave_at<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    version: i32,
    own: Option<Uuid>,
) -> Result<technician_leave::Model, Error> {
    let l = technician_leave::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|l| own.is_none_or(|o| o == l.user_id))
        .ok_or_else(|| Error::NotFound("No such leave.".into()))?;
    if l.version != version {
        return Err(Error::Stale(format!(
            "The leave changed since you loaded it (now version {}); reload it and try again.",
            l.version
        )));
    }
    Ok(l)
}

/// The technician withdraws leave that has not begun.
pub async fn cancel_leave(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<technician_leave::Model, Error> {
    let txn = db.begin_write().await?;
    let own = (who.role == Some(Role::Technician)).then_some(who.id).flatten();
    let l = leave_at(&*txn, id, version, own).await?;
    let started = date(&l.from_date).is_some_and(|f| f <= local_date(now, zone));
    if !matches!(l.status.as_str(), "requested" | "approved") || started {
        return Err(Error::Conflict(
            "Only leave that has not begun can be withdrawn.".into(),
        ));
    }
    let mut a = l.clone().into_active_model();
    a.status = Set("cancelled".into());
    a.version = Set(l.version + 1);
    let saved = a.update(&*txn).await?;
    audited(
        &*txn,
        who,
        (
            "technician.leave_cancelled",
            "technician_leave",
            saved.id.to_string(),
        ),
        Some(leave_view(&l)),
        Some(leave_view(&saved)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// What a leave list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct LeaveFilter {
    pub technician_id: Option<Uuid>,
    pub status: Option<String>,
    /// Leave that touches this day or later.
    pub from: Option<String>,
    /// Technicians to keep to (a supervisor's); none: everyone.
    pub only: Option<Vec<Uuid>>,
}

/// Leave, soonest first, with the technician's name.
pub async fn leave<C: ConnectionTrait>(
    db: &C,
    f: &LeaveFilter,
) -> Result<Vec<(technician_leave::Model, String)>, DbErr> {
    let mut q = technician_leave::Entity::find();
    if let Some(t) = f.technician_id {
        q = q.filter(technician_leave::Column::UserId.eq(t));
    }
    if let Some(s) = &f.status {
        q = q.filter(technician_leave::Column::Status.eq(s.clone()));
    }
    if let Some(d) = &f.from {
        q = q.filter(technician_leave::Column::ToDate.gte(d.clone()));
    }
    if let Some(only) = &f.only {
        q = q.filter(technician_leave::Column::UserId.is_in(only.clone()));
    }
    let rows = q
        .order_by_asc(technician_leave::Column::FromDate)
        .order_by_asc(technician_leave::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().map(|r| r.user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.get(&r.user_id).cloned().unwrap_or_default();
            (r, n)
        })
        .collect())
}

async fn user_names<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, String>, DbErr> {
    let ids: BTreeSet<Uuid> = ids.collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// One leave entry.
pub async fn leave_by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<technician_leave::Model>, DbErr> {
    technician_leave::Entity::find_by_id(id).one(db).await
}

// ----------------------------------------------------------------------
// The on-call rota (piket)

/// Puts a technician on call on a day and span.
pub async fn add_on_call(
    db: &Db,
    who: &Person,
    id: Uuid,
    day: &str,
    span: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<on_call_shift::Model, Error> {
    let mut c = Checks::default();
    let d = date(day.trim());
    if d.is_none() {
        c.fail("day", "date_format", "a date as YYYY-MM-DD");
    }
    let s = match span.parse::<Span>() {
        Ok(s) => Some(s),
        Err(e) => {
            c.fail("span", e.code(), e.to_string());
            None
        }
    };
    let note = c.optional_text("note", note, 200).unwrap_or_default();
    c.finish()?;
    let (Some(d), Some(s)) = (d, s) else {
        return Err(Error::Conflict("Unreadable day or span.".into()));
    };
    let txn = db.begin_write().await?;
    let tech = technician(&*txn, id).await?;
    if !tech.active {
        return Err(
            Invalid::field("technician_id", "inactive", "this technician is not active").into(),
        );
    }
    let same_day = on_call_shift::Entity::find()
        .filter(on_call_shift::Column::UserId.eq(id))
        .filter(on_call_shift::Column::Day.eq(d.to_string()))
        .all(&*txn)
        .await?;
    if same_day
        .iter()
        .filter_map(|o| o.span.parse::<Span>().ok())
        .any(|o| o.overlap(&s) > 0)
    {
        return Err(Error::Conflict(format!(
            "{} is already on call at that time on {d}.",
            tech.name
        )));
    }
    let row = on_call_shift::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(id),
        day: Set(d.to_string()),
        span: Set(s.to_string()),
        note: Set(note),
        created_by: Set(who.id.unwrap_or(id)),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audited(
        &*txn,
        who,
        (
            "technician.on_call_added",
            "on_call_shift",
            row.id.to_string(),
        ),
        None,
        Some(json!({"technician_id": id, "day": row.day, "span": row.span})),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Takes a turn off the rota.
pub async fn remove_on_call(
    db: &Db,
    who: &Person,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let txn = db.begin_write().await?;
    let row = on_call_shift::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::NotFound("No such on-call turn.".into()))?;
    on_call_shift::Entity::delete_by_id(id).exec(&*txn).await?;
    audited(
        &*txn,
        who,
        (
            "technician.on_call_removed",
            "on_call_shift",
            id.to_string(),
        ),
        Some(json!({"technician_id": row.user_id, "day": row.day, "span": row.span})),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The rota between two days, with names.
pub async fn on_call<C: ConnectionTrait>(
    db: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(on_call_shift::Model, String)>, DbErr> {
    let rows = on_call_shift::Entity::find()
        .filter(on_call_shift::Column::Day.gte(from.to_string()))
        .filter(on_call_shift::Column::Day.lte(to.to_string()))
        .order_by_asc(on_call_shift::Column::Day)
        .order_by_asc(on_call_shift::Column::Span)
        .limit(2000)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().map(|r| r.user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.get(&r.user_id).cloned().unwrap_or_default();
            (r, n)
        })
        .collect())
}

// ----------------------------------------------------------------------
// Who may do a ticket, and who should

fn window_span(w: &str) -> Option<Span> {
    w.parse().ok()
}

/// The job a ticket is, for dispatch.
async fn job_of<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(Job, Option<service_type::Model>), DbErr> {
    let st = service_type::Entity::find_by_id(t.service_type_id)
        .one(db)
        .await?;
    let local = now.with_timezone(&zone);
    let when = match (
        t.appointment_date.as_deref().and_then(date),
        t.appointment_window.as_deref().and_then(window_span),
    ) {
        (Some(d), Some(span)) => When::Window { date: d, span },
        _ => When::Now {
            date: local.date_naive(),
            minute: (local.hour() * 60 + local.minute()) as u16,
        },
    };
    let previous_technician: Option<Uuid> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::TechnicianId)
        .filter(ticket::Column::CustomerId.eq(t.customer_id))
        .filter(ticket::Column::Id.ne(t.id))
        .filter(ticket::Column::TechnicianId.is_not_null())
        .filter(ticket::Column::ResolvedAt.is_not_null())
        .order_by_desc(ticket::Column::ResolvedAt)
        .into_tuple::<Option<Uuid>>()
        .one(db)
        .await?
        .flatten();
    let declined_by: Vec<Uuid> = ticket_assignment::Entity::find()
        .select_only()
        .column(ticket_assignment::Column::TechnicianId)
        .filter(ticket_assignment::Column::TicketId.eq(t.id))
        .filter(ticket_assignment::Column::Outcome.is_in(["declined", "timed_out"]))
        .filter(ticket_assignment::Column::DecidedAt.gte(t.clock_started_at))
        .into_tuple()
        .all(db)
        .await?;
    let due = (t.next_due_at != ticket::no_due()).then(|| (t.next_due_at - now).num_minutes());
    let job = Job {
        id: t.id,
        area: t.area_id,
        place: GeoPoint::new(t.lat, t.lng).ok(),
        when,
        minutes: st.as_ref().map_or(90, |s| {
            u16::try_from(s.expected_minutes.clamp(5, 600)).unwrap_or(90)
        }),
        skill: st.as_ref().and_then(|s| {
            Some((
                s.skill_id?,
                u8::try_from(s.skill_level.clamp(1, 5)).unwrap_or(1),
            ))
        }),
        priority: t.priority.parse().unwrap_or(Priority::Normal),
        due_in_minutes: due,
        repair: t.kind == TicketKind::Repair.as_str(),
        previous_technician,
        declined_by,
    };
    Ok((job, st))
}

/// The technicians serving the job's area as dispatch sees them on the
/// job's day, their names, and the calendar.
async fn candidates<C: ConnectionTrait>(
    db: &C,
    job: &Job,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<(Vec<Technician>, BTreeMap<Uuid, String>, Calendar), DbErr> {
    let serving: Vec<Uuid> = user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .filter(user_area::Column::AreaId.eq(job.area))
        .into_tuple()
        .all(db)
        .await?;
    let people = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Id.is_in(serving))
        .limit(5000)
        .all(db)
        .await?;
    let d = days_of(db, people, job.when.date(), Some(job.id), ds, zone, now).await?;
    Ok((d.technicians, d.names, d.calendar))
}

/// Technicians as dispatch sees them on one day, with that day's jobs.
struct Days {
    technicians: Vec<Technician>,
    names: BTreeMap<Uuid, String>,
    calendar: Calendar,
    /// Each technician's open jobs of the day, by ticket.
    jobs: BTreeMap<Uuid, Vec<ticket::Model>>,
}

/// Reads `people`'s profiles, skills, areas, leave, rota and jobs on
/// `day` (without the ticket `except`).
async fn days_of<C: ConnectionTrait>(
    db: &C,
    people: Vec<user::Model>,
    day: NaiveDate,
    except: Option<Uuid>,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Days, DbErr> {
    let ids: Vec<Uuid> = people.iter().map(|u| u.id).collect();
    let day_text = day.to_string();
    let profiles: BTreeMap<Uuid, technician_profile::Model> = technician_profile::Entity::find()
        .filter(technician_profile::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut skills: BTreeMap<Uuid, Vec<(Uuid, u8)>> = BTreeMap::new();
    for s in technician_skill::Entity::find()
        .filter(technician_skill::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        skills
            .entry(s.user_id)
            .or_default()
            .push((s.skill_id, u8::try_from(s.level).unwrap_or(0)));
    }
    let mut areas: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (u, a) in user_area::Entity::find()
        .select_only()
        .column(user_area::Column::UserId)
        .column(user_area::Column::AreaId)
        .filter(user_area::Column::UserId.is_in(ids.clone()))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
    {
        areas.entry(u).or_default().push(a);
    }
    let mut leave: BTreeMap<Uuid, Vec<DateRange>> = BTreeMap::new();
    for l in technician_leave::Entity::find()
        .filter(technician_leave::Column::UserId.is_in(ids.clone()))
        .filter(technician_leave::Column::Status.eq("approved"))
        .filter(technician_leave::Column::FromDate.lte(day_text.clone()))
        .filter(technician_leave::Column::ToDate.gte(day_text.clone()))
        .all(db)
        .await?
    {
        if let (Some(from), Some(to)) = (date(&l.from_date), date(&l.to_date)) {
            leave
                .entry(l.user_id)
                .or_default()
                .push(DateRange { from, to });
        }
    }
    let mut rota: BTreeMap<Uuid, Vec<OnCall>> = BTreeMap::new();
    for o in on_call_shift::Entity::find()
        .filter(on_call_shift::Column::UserId.is_in(ids.clone()))
        .filter(on_call_shift::Column::Day.eq(day_text.clone()))
        .all(db)
        .await?
    {
        if let Ok(span) = o.span.parse() {
            rota.entry(o.user_id)
                .or_default()
                .push(OnCall { date: day, span });
        }
    }
    let minutes: BTreeMap<Uuid, i32> = service_type::Entity::find()
        .select_only()
        .column(service_type::Column::Id)
        .column(service_type::Column::ExpectedMinutes)
        .into_tuple::<(Uuid, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = local_date(now, zone);
    let mut booked_q = ticket::Entity::find()
        .filter(ticket::Column::TechnicianId.is_in(ids.clone()))
        .filter(ticket::Column::IsOpen.eq(true));
    if let Some(except) = except {
        booked_q = booked_q.filter(ticket::Column::Id.ne(except));
    }
    booked_q = if day == today {
        booked_q.filter(
            sea_orm::Condition::any()
                .add(ticket::Column::AppointmentDate.eq(day_text.clone()))
                .add(ticket::Column::AppointmentDate.is_null()),
        )
    } else {
        booked_q.filter(ticket::Column::AppointmentDate.eq(day_text.clone()))
    };
    let mut day_jobs: BTreeMap<Uuid, Vec<Booked>> = BTreeMap::new();
    let mut by_technician: BTreeMap<Uuid, Vec<ticket::Model>> = BTreeMap::new();
    let local = now.with_timezone(&zone);
    let minute_now = (local.hour() * 60 + local.minute()) as u16;
    for b in booked_q
        .order_by_asc(ticket::Column::NextDueAt)
        .limit(20_000)
        .all(db)
        .await?
    {
        let Some(tech) = b.technician_id else {
            continue;
        };
        // A job without a window is to be done now (or first thing).
        let start = b
            .appointment_window
            .as_deref()
            .and_then(window_span)
            .map_or(minute_now, |s| s.start());
        day_jobs.entry(tech).or_default().push(Booked {
            start,
            place: GeoPoint::new(b.lat, b.lng).ok(),
            minutes: minutes
                .get(&b.service_type_id)
                .and_then(|m| u16::try_from(*m).ok())
                .unwrap_or(90),
        });
        by_technician.entry(tech).or_default().push(b);
    }
    let mut days_off: Vec<NaiveDate> = holiday::Entity::find()
        .select_only()
        .column(holiday::Column::Day)
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|d| date(d))
        .collect();
    days_off.sort();
    let cal = Calendar {
        ramadan: ds.ramadan,
        days_off,
    };
    let mut names = BTreeMap::new();
    let techs = people
        .into_iter()
        .map(|u| {
            let p = profiles.get(&u.id);
            names.insert(u.id, u.name.clone());
            let mut a = areas.remove(&u.id).unwrap_or_default();
            a.sort();
            Technician {
                id: u.id,
                active: u.active,
                areas: a,
                skills: skills.remove(&u.id).unwrap_or_default(),
                availability: Availability {
                    pattern: p
                        .and_then(|p| pattern_of(Some(&p.work_pattern)))
                        .unwrap_or_else(WeekPattern::standard),
                    ramadan: match p {
                        Some(p) => pattern_of(p.ramadan_pattern.as_deref()),
                        None => Some(WeekPattern::ramadan_standard()),
                    },
                    leave: leave.remove(&u.id).unwrap_or_default(),
                    on_call: rota.remove(&u.id).unwrap_or_default(),
                },
                max_jobs_per_day: p.map_or(6, |p| u16::try_from(p.max_jobs_per_day).unwrap_or(6)),
                day: day_jobs.remove(&u.id).unwrap_or_default(),
                last_known: p.and_then(|p| {
                    Some((
                        GeoPoint::new(p.last_lat?, p.last_lng?).ok()?,
                        p.last_position_at?,
                    ))
                }),
                home: p.and_then(|p| GeoPoint::new(p.home_lat?, p.home_lng?).ok()),
            }
        })
        .collect();
    Ok(Days {
        technicians: techs,
        names,
        calendar: cal,
        jobs: by_technician,
    })
}

/// The ranked technicians for a ticket, with reasons for those left out.
#[derive(Debug, Clone)]
pub struct Suggestions {
    pub job: Job,
    /// The skill's code and level the job needs.
    pub skill: Option<(String, u8)>,
    pub mode: Mode,
    pub ranked: Vec<(Scored, String)>,
    pub ineligible: Vec<(Uuid, String, Vec<Ineligible>)>,
}

async fn rank_ticket<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    ds: &DispatchSettings,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Suggestions, DbErr> {
    let (job, st) = job_of(db, t, zone, now).await?;
    let (techs, names, cal) = candidates(db, &job, ds, zone, now).await?;
    let r = netcrew_dispatch::rank(&job, &techs, &cal, &ds.solver(), now);
    let skill = match st.as_ref().and_then(|s| s.skill_id) {
        Some(id) => skill::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| (s.code, job.skill.map_or(1, |k| k.1))),
        None => None,
    };
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    Ok(Suggestions {
        skill,
        mode: ds.mode,
        ranked: r
            .ranked
            .into_iter()
            .map(|s| {
                let n = name(&s.technician);
                (s, n)
            })
            .collect(),
        ineligible: r
            .ineligible
            .into_iter()
            .map(|(id, why)| (id, name(&id), why))
            .collect(),
        job,
    })
}

/// Who may do ticket `id` and who should, as `scope` sees it.
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Suggestions, Error> {
    let t = tickets::find(db, id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".into()))?;
    let ds = settings(db).await?;
    Ok(rank_ticket(db, &t, &ds, zone, now).await?)
}

/// A ticket's assignments, newest first.
pub async fn assignments<C: ConnectionTrait>(
    db: &C,
    ticket_id: Uuid,
) -> Result<Vec<ticket_assignment::Model>, DbErr> {
    ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::TicketId.eq(ticket_id))
        .order_by_desc(ticket_assignment::Column::DecidedAt)
        .order_by_desc(ticket_assignment::Column::Id)
        .limit(100)
        .all(db)
        .await
}

/// Who to give a ticket to: none for the best eligible technician.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub technician_id: Option<Uuid>,
    /// Kept with the decision; required to choose someone ranked out.
    pub reason: Option<String>,
}

fn reasons_summary(inel: &[(Uuid, String, Vec<Ineligible>)]) -> String {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (_, _, why) in inel {
        for w in why {
            *counts.entry(reason_text(w)).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return "no technician serves this area".into();
    }
    counts
        .into_iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn reason_text(w: &Ineligible) -> &'static str {
    match w {
        Ineligible::Inactive => "inactive",
        Ineligible::NotServingArea => "not serving the area",
        Ineligible::OnLeave => "on leave",
        Ineligible::OffShift => "off shift",
        Ineligible::SkillTooLow { .. } => "without the skill level",
        Ineligible::DayFull { .. } => "with a full day",
        Ineligible::Declined => "declined it already",
    }
}

/// Gives a ticket read at `at` to the best technician, or to the one
/// chosen; keeps the decision with its explanation.
pub async fn assign(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    choice: Choice,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
) -> Result<(ticket::Model, ticket_assignment::Model), Error> {
    let mut c = Checks::default();
    let reason = choice
        .reason
        .as_deref()
        .map(|r| c.multiline("reason", r, 500))
        .unwrap_or_default();
    c.finish()?;
    let txn = db.begin_write().await?;
    let t = tickets::find(&*txn, at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".into()))?;
    let ds = settings(&*txn).await?;
    let s = rank_ticket(&*txn, &t, &ds, tsettings.zone, now).await?;
    let (chosen, how, scored) = match choice.technician_id {
        None => match s.ranked.first() {
            Some((best, _)) => (
                best.technician,
                if who.role.is_none() {
                    "automatic"
                } else {
                    "suggested"
                },
                Some(best.clone()),
            ),
            None => {
                return Err(Error::Conflict(format!(
                    "Nobody may do this job at its time: {}.",
                    reasons_summary(&s.ineligible)
                )));
            }
        },
        Some(id) => match s.ranked.iter().position(|(r, _)| r.technician == id) {
            Some(p) => (
                id,
                if p < 3 { "suggested" } else { "manual" },
                Some(s.ranked[p].0.clone()),
            ),
            None => {
                let u = user::Entity::find_by_id(id).one(&*txn).await?;
                let Some(u) = u.filter(|u| u.role == Role::Technician.as_str() && u.active) else {
                    return Err(Invalid::field(
                        "technician_id",
                        "unknown",
                        "no active technician with this id",
                    )
                    .into());
                };
                if reason.trim().is_empty() {
                    let why = s
                        .ineligible
                        .iter()
                        .find(|(i, _, _)| *i == id)
                        .map(|(_, _, w)| w.iter().map(reason_text).collect::<Vec<_>>().join(", "))
                        .unwrap_or_else(|| "not serving the area".into());
                    return Err(Invalid::field(
                        "reason",
                        "required",
                        format!(
                            "{} may not do this job ({why}): say why you assign them anyway",
                            u.name
                        ),
                    )
                    .into());
                }
                (id, "override", None)
            }
        },
    };
    let saved = tickets::transition_in(
        &txn,
        who,
        scope,
        at,
        MoveRequest {
            to: Some(TicketStatus::Assigned),
            technician_id: Some(chosen),
            reason: (!reason.trim().is_empty()).then(|| reason.clone()),
            ..Default::default()
        },
        tsettings,
        now,
    )
    .await?;
    let row = ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::TicketId.eq(saved.id))
        .filter(ticket_assignment::Column::Outcome.eq("pending"))
        .order_by_desc(ticket_assignment::Column::DecidedAt)
        .order_by_desc(ticket_assignment::Column::Id)
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::Conflict("The assignment was not kept.".into()))?;
    let alternatives: Vec<Value> = s
        .ranked
        .iter()
        .filter(|(r, _)| r.technician != chosen)
        .take(3)
        .map(|(r, n)| json!({"technician_id": r.technician, "name": n, "score": r.score}))
        .collect();
    let mut a = row.into_active_model();
    a.how = Set(how.into());
    a.score = Set(scored.as_ref().map(|s| s.score));
    a.explanation = Set(scored
        .as_ref()
        .and_then(|s| serde_json::to_string(s).ok())
        .unwrap_or_else(|| "{}".into()));
    a.alternatives = Set(json!({
        "next": alternatives,
        "eligible": s.ranked.len(),
        "left_out": reasons_summary(&s.ineligible),
    })
    .to_string());
    a.reason = Set(reason);
    let row = a.update(&*txn).await?;
    txn.commit().await?;
    Ok((saved, row))
}

/// Called by a ticket move in its transaction: keeps the assignment log
/// in step (a new assignment, accepted, declined or not accepted in
/// time).
pub(crate) async fn after_move(
    txn: &DatabaseTransaction,
    before: &ticket::Model,
    after: &ticket::Model,
    mv: TicketMove,
    who: &Person,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let pending = |tech: Uuid| {
        ticket_assignment::Entity::find()
            .filter(ticket_assignment::Column::TicketId.eq(after.id))
            .filter(ticket_assignment::Column::TechnicianId.eq(tech))
            .filter(ticket_assignment::Column::Outcome.eq("pending"))
    };
    let settle = |m: ticket_assignment::Model, outcome: &str, why: &str| {
        let mut a = m.into_active_model();
        a.outcome = Set(outcome.to_string());
        a.outcome_at = Set(Some(now));
        a.outcome_reason = Set(why.to_string());
        a
    };
    match mv {
        TicketMove::Assign => {
            for m in ticket_assignment::Entity::find()
                .filter(ticket_assignment::Column::TicketId.eq(after.id))
                .filter(ticket_assignment::Column::Outcome.eq("pending"))
                .all(txn)
                .await?
            {
                settle(m, "replaced", "").update(txn).await?;
            }
            if let Some(tech) = after.technician_id {
                ticket_assignment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    ticket_id: Set(after.id),
                    technician_id: Set(tech),
                    how: Set(if who.role.is_none() {
                        "automatic"
                    } else {
                        "manual"
                    }
                    .into()),
                    score: Set(None),
                    explanation: Set("{}".into()),
                    alternatives: Set("{}".into()),
                    reason: Set(reason.to_string()),
                    decided_by: Set(who.id),
                    decided_by_name: Set(who.name.clone()),
                    decided_at: Set(now),
                    outcome: Set("pending".into()),
                    outcome_at: Set(None),
                    outcome_reason: Set(String::new()),
                }
                .insert(txn)
                .await?;
            }
        }
        TicketMove::Accept => {
            if let Some(tech) = after.technician_id {
                for m in pending(tech).all(txn).await? {
                    settle(m, "accepted", "").update(txn).await?;
                }
            }
        }
        TicketMove::Decline => {
            if let Some(tech) = before.technician_id {
                let outcome = if who.role.is_none() {
                    "timed_out"
                } else {
                    "declined"
                };
                for m in pending(tech).all(txn).await? {
                    settle(m, outcome, reason).update(txn).await?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Takes back assignments not accepted within the settings' time: the
/// ticket returns to the queue and the area's supervisors are told.
pub async fn expire_unaccepted(
    db: &Db,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<usize, Error> {
    let ds = settings(db.conn()).await?;
    let cutoff = now - Duration::minutes(i64::from(ds.accept_minutes));
    let due = ticket_assignment::Entity::find()
        .filter(ticket_assignment::Column::Outcome.eq("pending"))
        .filter(ticket_assignment::Column::DecidedAt.lt(cutoff))
        .order_by_asc(ticket_assignment::Column::DecidedAt)
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut done = 0;
    for a in due {
        let txn = db.begin_write().await?;
        let Some(t) = ticket::Entity::find_by_id(a.ticket_id).one(&*txn).await? else {
            continue;
        };
        let fresh = ticket_assignment::Entity::find_by_id(a.id)
            .one(&*txn)
            .await?;
        if fresh.as_ref().map(|f| f.outcome.as_str()) != Some("pending") {
            continue;
        }
        if t.status == TicketStatus::Assigned.as_str() && t.technician_id == Some(a.technician_id) {
            let why = format!(
                "Tidak diterima dalam {m} menit / not accepted within {m} minutes",
                m = ds.accept_minutes
            );
            let moved = tickets::transition_in(
                &txn,
                &Person::system(),
                &Scope::All,
                Versioned {
                    id: t.id,
                    version: t.version,
                },
                MoveRequest {
                    to: Some(TicketStatus::New),
                    reason: Some(why),
                    ..Default::default()
                },
                tsettings,
                now,
            )
            .await?;
            let w = tickets::watchers(&*txn, moved.area_id, false).await?;
            notifications::notify(
                &*txn,
                &w,
                &Note {
                    kind: "assignment_timed_out",
                    ticket: Some((moved.id, moved.number.clone())),
                    outage_id: moved.outage_id,
                    data: json!({"technician_id": a.technician_id, "minutes": ds.accept_minutes}),
                },
                now,
            )
            .await?;
        } else if let Some(f) = fresh {
            // Moved on some other way: the log says so.
            let mut m = f.into_active_model();
            m.outcome = Set("replaced".into());
            m.outcome_at = Set(Some(now));
            m.update(&*txn).await?;
        }
        txn.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// In automatic mode, gives the waiting tickets (new or reopened, nobody
/// on them, ready to book) to the best technician, most urgent first.
/// Tickets nobody may do stay in the queue.
pub async fn dispatch_queue(
    db: &Db,
    tsettings: &tickets::Settings,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<usize, Error> {
    let ds = settings(db.conn()).await?;
    if ds.mode != Mode::Automatic {
        return Ok(0);
    }
    let waiting = ticket::Entity::find()
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(
            ticket::Column::Status
                .is_in([TicketStatus::New.as_str(), TicketStatus::Reopened.as_str()]),
        )
        .filter(ticket::Column::TechnicianId.is_null())
        .order_by_asc(ticket::Column::NextDueAt)
        .limit(batch)
        .all(db.conn())
        .await?;
    let mut given = 0;
    for t in waiting {
        if !tickets::booking_needs(&t, tsettings).is_empty() {
            continue;
        }
        match assign(
            db,
            &Person::system(),
            &Scope::All,
            Versioned {
                id: t.id,
                version: t.version,
            },
            Choice::default(),
            tsettings,
            now,
        )
        .await
        {
            Ok(_) => given += 1,
            // Nobody may do it now, or it changed meanwhile: next time.
            Err(
                Error::Conflict(_)
                | Error::Stale(_)
                | Error::Refused { .. }
                | Error::NotReady { .. },
            ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(given)
}

/// The area's time zone (for "today" and the time of a job to do now).
pub async fn zone_of<C: ConnectionTrait>(db: &C, area_id: Uuid) -> Result<Option<Zone>, DbErr> {
    Ok(area::Entity::find_by_id(area_id)
        .one(db)
        .await?
        .and_then(|a| parse_zone(&a.time_zone).ok()))
}

/// One technician's day on the board.
#[derive(Debug, Clone)]
pub struct BoardDay {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub areas: Vec<Uuid>,
    /// Working spans that day (none: off, on leave or a holiday).
    pub shift: Vec<Span>,
    pub on_call: Vec<Span>,
    pub on_leave: bool,
    pub max_jobs: u16,
    pub position: Option<(GeoPoint, DateTime<Utc>)>,
    pub home: Option<GeoPoint>,
    /// The day's jobs in the planned order, with the travel to each.
    pub plan: netcrew_dispatch::DayPlan,
    pub jobs: Vec<ticket::Model>,
}

/// The dispatch board of a day: the queue (open tickets nobody holds, the
/// most urgent first) and each technician's day in planned order.
#[derive(Debug, Clone)]
pub struct Board {
    pub date: NaiveDate,
    pub queue: Vec<ticket::Model>,
    pub technicians: Vec<BoardDay>,
}

/// The board of `date` as `scope` sees it, narrowed to `area`.
pub async fn board<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    date: NaiveDate,
    area: Option<Uuid>,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<Board, DbErr> {
    let ds = settings(db).await?;
    let mut people = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Technician.as_str()))
        .filter(user::Column::Active.eq(true));
    let mut visible_areas: Option<Vec<Uuid>> = None;
    match scope {
        Scope::All => {}
        Scope::Supervisor { areas, technicians } => {
            let mut mine: BTreeSet<Uuid> = technicians.iter().copied().collect();
            mine.extend(crate::technicians::serving(db, areas).await?);
            people = people.filter(user::Column::Id.is_in(mine));
            visible_areas = Some(areas.clone());
        }
        Scope::Technician(_) | Scope::Customer(_) => {
            return Ok(Board {
                date,
                queue: Vec::new(),
                technicians: Vec::new(),
            });
        }
    }
    if let Some(a) = area {
        let serving = crate::technicians::serving(db, &[a]).await?;
        people = people.filter(user::Column::Id.is_in(serving));
    }
    let people = people
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let d = days_of(db, people, date, None, &ds, zone, now).await?;
    let solver = ds.solver();
    let mut jobs = d.jobs;
    let technicians = d
        .technicians
        .into_iter()
        .map(|t| {
            let mine = jobs.remove(&t.id).unwrap_or_default();
            let shift = t.availability.shift(date, &d.calendar).to_vec();
            let on_call: Vec<Span> = t.availability.on_call_on(date).collect();
            let fresh = t
                .last_known
                .filter(|(_, at)| (now - *at).num_minutes() <= solver.position_fresh_minutes);
            let start_place = fresh.map(|p| p.0).or(t.home);
            let start_minute = shift.first().or(on_call.first()).map_or(480, Span::start);
            let stops: Vec<netcrew_dispatch::Stop> = mine
                .iter()
                .zip(&t.day)
                .map(|(job, booked)| netcrew_dispatch::Stop {
                    id: job.id,
                    place: booked.place,
                    window: job.appointment_window.as_deref().and_then(window_span),
                    minutes: booked.minutes,
                })
                .collect();
            let plan = netcrew_dispatch::plan_day(&solver, start_place, start_minute, &stops);
            BoardDay {
                name: d.names.get(&t.id).cloned().unwrap_or_default(),
                id: t.id,
                active: t.active,
                areas: t.areas,
                on_leave: t.availability.on_leave(date),
                shift,
                on_call,
                max_jobs: t.max_jobs_per_day,
                position: t.last_known,
                home: t.home,
                plan,
                jobs: mine,
            }
        })
        .collect();
    let mut queue = ticket::Entity::find()
        .filter(ticket::Column::IsOpen.eq(true))
        .filter(ticket::Column::TechnicianId.is_null())
        .filter(ticket::Column::Status.ne(TicketStatus::Pending.as_str()));
    if let Some(a) = area {
        queue = queue.filter(ticket::Column::AreaId.eq(a));
    }
    if let Some(areas) = visible_areas {
        queue = queue.filter(ticket::Column::AreaId.is_in(areas));
    }
    let queue = queue
        .order_by_asc(ticket::Column::NextDueAt)
        .order_by_asc(ticket::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    Ok(Board {
        date,
        queue,
        technicians,
    })
}
