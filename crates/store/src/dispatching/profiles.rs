//! Technicians' profiles (home base, working pattern, daily maximum,
//! staff or partner, skills) and their last known position.

use super::*;

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

pub(super) fn pattern_of(text: Option<&str>) -> Option<WeekPattern> {
    let days: Vec<Vec<String>> = serde_json::from_str(text?).ok()?;
    week(&days).ok()
}

/// A week of `HH:MM-HH:MM` spans, Monday first.
pub(super) fn week(days: &[Vec<String>]) -> Result<WeekPattern, (String, &'static str, String)> {
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

pub(super) fn week_text(p: &WeekPattern) -> Vec<Vec<String>> {
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
    availability_changed(&*txn, id, now).await?;
    txn.commit().await?;
    Ok(after)
}

pub(super) fn profile_view(p: &Profile) -> Value {
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
