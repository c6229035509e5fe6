//! What the ISP sells and does: service packages, service types (SLA
//! targets and the documentation a job needs), problem categories and
//! technician skills. Each record has one write path (a draft read by the
//! domain's rules, checked against what is stored, written with its audit
//! entry); packages share theirs with the CSV import.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, Invalid,
    catalog::{self as rules, NAME_MAX, PACKAGE_DESCRIPTION_MAX, PACKAGE_NAME_MAX},
    service::{DocItem, Priority},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::Condition,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    Db, Error,
    audit_log::Actor,
    customers::lower_like,
    entity::{package, problem_category, service_type, skill},
    page::{Page, PageRequest, paginate},
    records::{self, Audited, held_by_another, owner, put},
};

// ------------------------------------------------------------- packages

/// A change to a package as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct PackageChange {
    /// The id a client chose for a new package (a UUIDv7).
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub download_mbps: Option<i32>,
    /// A new package uploads as fast as it downloads unless told otherwise.
    pub upload_mbps: Option<i32>,
    pub monthly_price_idr: Option<i64>,
    pub description: Option<String>,
    /// On sale; a new package is.
    pub active: Option<bool>,
}

/// A package change read by the rules that need nothing stored.
#[derive(Debug)]
pub struct PackageDraft {
    id: Option<Uuid>,
    name: Option<String>,
    download_mbps: Option<i32>,
    upload_mbps: Option<i32>,
    monthly_price_idr: Option<i64>,
    description: Option<String>,
    active: Option<bool>,
    checks: Checks,
}

impl PackageDraft {
    pub fn new(current: Option<&package::Model>, change: PackageChange) -> Self {
        let creating = current.is_none();
        let mut c = Checks::default();
        if creating {
            c.client_id("id", change.id.map(|id| id.get_version_num()));
        }
        c.require(
            creating,
            &[
                ("name", change.name.is_some()),
                ("download_mbps", change.download_mbps.is_some()),
                ("monthly_price_idr", change.monthly_price_idr.is_some()),
            ],
        );
        let name = change.name.map(|v| c.text("name", &v, PACKAGE_NAME_MAX));
        for (field, speed) in [
            ("download_mbps", change.download_mbps),
            ("upload_mbps", change.upload_mbps),
        ] {
            if let Some(Err(e)) = speed.map(|v| rules::speed(field, v)) {
                c.push(e);
            }
        }
        if let Some(Err(e)) = change
            .monthly_price_idr
            .map(|p| rules::price("monthly_price_idr", p))
        {
            c.push(e);
        }
        let description = change
            .description
            .map(|d| c.multiline("description", &d, PACKAGE_DESCRIPTION_MAX));
        PackageDraft {
            id: change.id,
            name,
            download_mbps: change.download_mbps,
            upload_mbps: change.upload_mbps,
            monthly_price_idr: change.monthly_price_idr,
            description,
            active: change.active,
            checks: c,
        }
    }

    pub fn forget(&mut self, field: &str) {
        self.checks.errors.retain(|e| e.field != field);
    }

    /// The record to write, or every field error. `names`: who has a
    /// package name.
    pub fn resolve(
        self,
        current: Option<&package::Model>,
        names: &HashMap<String, Uuid>,
        now: DateTime<Utc>,
    ) -> Result<package::Model, Invalid> {
        let mut c = self.checks;
        if let Some(n) = &self.name
            && held_by_another(names, n, current.map(|x| x.id))
        {
            c.fail("name", "taken", "another package has this name");
        }
        c.finish()?;
        let mut record = current.cloned().unwrap_or_else(|| package::Model {
            id: self.id.unwrap_or_else(Uuid::now_v7),
            name: String::new(),
            download_mbps: 0,
            upload_mbps: self.download_mbps.unwrap_or(1),
            monthly_price_idr: 0,
            description: String::new(),
            active: true,
            created_at: now,
            updated_at: now,
        });
        put(&mut record.name, self.name);
        put(&mut record.download_mbps, self.download_mbps);
        put(&mut record.upload_mbps, self.upload_mbps);
        put(&mut record.monthly_price_idr, self.monthly_price_idr);
        put(&mut record.description, self.description);
        put(&mut record.active, self.active);
        record.updated_at = now;
        Ok(record)
    }
}

/// Who has each package name (for checking a whole file).
pub async fn package_names<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, Uuid>, DbErr> {
    Ok(package::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.name, p.id))
        .collect())
}

/// The audited form of a package.
pub fn package_view(p: &package::Model) -> Value {
    json!({
        "id": p.id, "name": p.name, "download_mbps": p.download_mbps,
        "upload_mbps": p.upload_mbps, "monthly_price_idr": p.monthly_price_idr,
        "description": p.description, "active": p.active,
    })
}

const PACKAGE: Audited = Audited {
    entity: "package",
    created: "package.create",
    updated: "package.update",
};

/// Stores a checked package in the caller's transaction.
pub async fn write_package<C: ConnectionTrait>(
    txn: &C,
    creating: bool,
    record: package::Model,
) -> Result<package::Model, DbErr> {
    records::store::<package::ActiveModel, _>(txn, creating, record).await
}

/// Checks and saves a package with its audit entry.
pub async fn save_package(
    db: &Db,
    actor: &Actor,
    current: Option<package::Model>,
    change: PackageChange,
    now: DateTime<Utc>,
) -> Result<package::Model, Error> {
    let draft = PackageDraft::new(current.as_ref(), change);
    let mut names = HashMap::new();
    if let Some(n) = &draft.name
        && let Some(id) =
            owner::<package::Entity, _>(db.conn(), package::Column::Name, package::Column::Id, n)
                .await?
    {
        names.insert(n.clone(), id);
    }
    let record = draft.resolve(current.as_ref(), &names, now)?;
    records::save::<package::ActiveModel>(
        db,
        actor,
        PACKAGE,
        current.as_ref().map(package_view),
        record,
        |p| (p.id, package_view(p)),
        now,
    )
    .await
}

/// One package.
pub async fn package<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<package::Model, Error> {
    package::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such package.".to_string()))
}

/// Every package, by name.
pub async fn all_packages<C: ConnectionTrait>(db: &C) -> Result<Vec<package::Model>, DbErr> {
    package::Entity::find()
        .order_by_asc(package::Column::Name)
        .all(db)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct PackageFilter {
    /// A part of the name or description.
    pub q: Option<String>,
    /// Only those on sale (or not).
    pub active: Option<bool>,
}

/// The packages matching `filter`, by name.
pub async fn list_packages<C: ConnectionTrait>(
    db: &C,
    filter: &PackageFilter,
    page: &PageRequest,
) -> Result<Page<package::Model>, DbErr> {
    let mut select = package::Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(
            Condition::any()
                .add(lower_like(package::Column::Name, q))
                .add(lower_like(package::Column::Description, q)),
        );
    }
    if let Some(active) = filter.active {
        select = select.filter(package::Column::Active.eq(active));
    }
    paginate(
        db,
        select,
        package::Column::Name,
        package::Column::Id,
        page,
        |m| (m.name.clone(), m.id),
    )
    .await
}

// -------------------------------------------------------- service types

/// A change to a service type (they are fixed; only their settings change).
#[derive(Debug, Default, Clone)]
pub struct ServiceTypeChange {
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    pub default_priority: Option<String>,
    pub response_sla_minutes: Option<i32>,
    pub resolution_sla_minutes: Option<i32>,
    pub required_docs: Option<Vec<String>>,
    pub active: Option<bool>,
    /// The skill a technician needs (none: any technician).
    pub skill_id: Option<Option<Uuid>>,
    /// 1 to 5.
    pub skill_level: Option<i32>,
    /// How long a job takes, 5 to 600 minutes.
    pub expected_minutes: Option<i32>,
}

/// The changed service type, or every field error.
pub fn check_service_type(
    current: &service_type::Model,
    change: ServiceTypeChange,
    now: DateTime<Utc>,
) -> Result<service_type::Model, Invalid> {
    let mut c = Checks::default();
    let name_id = change.name_id.map(|v| c.text("name_id", &v, NAME_MAX));
    let name_en = change.name_en.map(|v| c.text("name_en", &v, NAME_MAX));
    let priority = change
        .default_priority
        .and_then(|p| c.take(Priority::parse_field("default_priority", &p)));
    let response = change
        .response_sla_minutes
        .unwrap_or(current.response_sla_minutes);
    let resolution = change
        .resolution_sla_minutes
        .unwrap_or(current.resolution_sla_minutes);
    rules::sla(&mut c, response, resolution);
    let docs = change
        .required_docs
        .and_then(|d| c.take(DocItem::parse_list("required_docs", &d)));
    if let Some(l) = change.skill_level
        && !(1..=5).contains(&l)
    {
        c.fail("skill_level", "range", "a level from 1 to 5");
    }
    if let Some(m) = change.expected_minutes
        && !(5..=600).contains(&m)
    {
        c.fail("expected_minutes", "range", "from 5 to 600 minutes");
    }
    c.finish()?;
    let mut record = current.clone();
    put(&mut record.name_id, name_id);
    put(&mut record.name_en, name_en);
    put(
        &mut record.default_priority,
        priority.map(|p| p.as_str().to_string()),
    );
    record.response_sla_minutes = response;
    record.resolution_sla_minutes = resolution;
    if let Some(docs) = docs {
        let names: Vec<&str> = docs.iter().map(|d| d.as_str()).collect();
        record.required_docs = json!(names).to_string();
    }
    put(&mut record.active, change.active);
    put(&mut record.skill_id, change.skill_id);
    put(&mut record.skill_level, change.skill_level);
    put(&mut record.expected_minutes, change.expected_minutes);
    record.updated_at = now;
    Ok(record)
}

/// The audited form of a service type.
pub fn service_type_view(t: &service_type::Model) -> Value {
    json!({
        "id": t.id, "code": t.code, "name_id": t.name_id, "name_en": t.name_en,
        "default_priority": t.default_priority,
        "response_sla_minutes": t.response_sla_minutes,
        "resolution_sla_minutes": t.resolution_sla_minutes,
        "required_docs": t.docs(), "active": t.active,
        "skill_id": t.skill_id, "skill_level": t.skill_level,
        "expected_minutes": t.expected_minutes,
    })
}

/// Checks and saves a change to a service type with its audit entry.
pub async fn save_service_type(
    db: &Db,
    actor: &Actor,
    current: service_type::Model,
    change: ServiceTypeChange,
    now: DateTime<Utc>,
) -> Result<service_type::Model, Error> {
    if let Some(Some(skill)) = change.skill_id
        && skill::Entity::find_by_id(skill)
            .filter(skill::Column::Active.eq(true))
            .one(db.conn())
            .await?
            .is_none()
    {
        return Err(Invalid::field("skill_id", "unknown", "no active skill with this id").into());
    }
    let record = check_service_type(&current, change, now)?;
    records::save::<service_type::ActiveModel>(
        db,
        actor,
        Audited {
            entity: "service_type",
            created: "service_type.update",
            updated: "service_type.update",
        },
        Some(service_type_view(&current)),
        record,
        |t| (t.id, service_type_view(t)),
        now,
    )
    .await
}

/// One service type.
pub async fn service_type<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<service_type::Model, Error> {
    service_type::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such service type.".to_string()))
}

/// Every service type, by code.
pub async fn service_types<C: ConnectionTrait>(db: &C) -> Result<Vec<service_type::Model>, DbErr> {
    service_type::Entity::find()
        .order_by_asc(service_type::Column::Code)
        .all(db)
        .await
}

// --------------------------------------------------- problem categories

/// A change to a problem category as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct ProblemCategoryChange {
    pub code: Option<String>,
    pub name_id: Option<String>,
    pub name_en: Option<String>,
    /// A new category's faults are `normal` unless told otherwise.
    pub default_priority: Option<String>,
    pub active: Option<bool>,
}

/// Checks and saves a problem category with its audit entry.
pub async fn save_problem_category(
    db: &Db,
    actor: &Actor,
    current: Option<problem_category::Model>,
    change: ProblemCategoryChange,
    now: DateTime<Utc>,
) -> Result<problem_category::Model, Error> {
    let creating = current.is_none();
    let mut c = Checks::default();
    c.require(
        creating,
        &[
            ("code", change.code.is_some()),
            ("name_id", change.name_id.is_some()),
            ("name_en", change.name_en.is_some()),
        ],
    );
    let code = change.code.map(|v| rules::code(&mut c, "code", &v));
    let name_id = change.name_id.map(|v| c.text("name_id", &v, NAME_MAX));
    let name_en = change.name_en.map(|v| c.text("name_en", &v, NAME_MAX));
    let priority = change
        .default_priority
        .and_then(|p| c.take(Priority::parse_field("default_priority", &p)));
    if let Some(code) = &code
        && let Some(other) = owner::<problem_category::Entity, _>(
            db.conn(),
            problem_category::Column::Code,
            problem_category::Column::Id,
            code,
        )
        .await?
        && Some(other) != current.as_ref().map(|x| x.id)
    {
        c.fail("code", "taken", "another category has this code");
    }
    c.finish()?;
    let mut record = current.clone().unwrap_or_else(|| problem_category::Model {
        id: Uuid::now_v7(),
        code: String::new(),
        name_id: String::new(),
        name_en: String::new(),
        default_priority: Priority::Normal.as_str().to_string(),
        active: true,
        created_at: now,
        updated_at: now,
    });
    put(&mut record.code, code);
    put(&mut record.name_id, name_id);
    put(&mut record.name_en, name_en);
    put(
        &mut record.default_priority,
        priority.map(|p| p.as_str().to_string()),
    );
    put(&mut record.active, change.active);
    record.updated_at = now;
    records::save::<problem_category::ActiveModel>(
        db,
        actor,
        Audited {
            entity: "problem_category",
            created: "problem_category.create",
            updated: "problem_category.update",
        },
        current.as_ref().map(problem_category_view),
        record,
        |x| (x.id, problem_category_view(x)),
        now,
    )
    .await
}

/// The audited form of a problem category.
pub fn problem_category_view(x: &problem_category::Model) -> Value {
    json!({
        "id": x.id, "code": x.code, "name_id": x.name_id, "name_en": x.name_en,
        "default_priority": x.default_priority, "active": x.active,
    })
}

/// One problem category.
pub async fn problem_category<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<problem_category::Model, Error> {
    problem_category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such category.".to_string()))
}

/// Every problem category, by Indonesian name.
pub async fn problem_categories<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<problem_category::Model>, DbErr> {
    problem_category::Entity::find()
        .order_by_asc(problem_category::Column::NameId)
        .all(db)
        .await
}

// --------------------------------------------------------------- skills

/// A change to a skill as given: `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct SkillChange {
    pub code: Option<String>,
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// Checks and saves a skill with its audit entry.
pub async fn save_skill(
    db: &Db,
    actor: &Actor,
    current: Option<skill::Model>,
    change: SkillChange,
    now: DateTime<Utc>,
) -> Result<skill::Model, Error> {
    let creating = current.is_none();
    let mut c = Checks::default();
    c.require(
        creating,
        &[
            ("code", change.code.is_some()),
            ("name", change.name.is_some()),
        ],
    );
    let code = change.code.map(|v| rules::code(&mut c, "code", &v));
    let name = change.name.map(|v| c.text("name", &v, NAME_MAX));
    if let Some(code) = &code
        && let Some(other) =
            owner::<skill::Entity, _>(db.conn(), skill::Column::Code, skill::Column::Id, code)
                .await?
        && Some(other) != current.as_ref().map(|x| x.id)
    {
        c.fail("code", "taken", "another skill has this code");
    }
    c.finish()?;
    let mut record = current.clone().unwrap_or_else(|| skill::Model {
        id: Uuid::now_v7(),
        code: String::new(),
        name: String::new(),
        active: true,
        created_at: now,
        updated_at: now,
    });
    put(&mut record.code, code);
    put(&mut record.name, name);
    put(&mut record.active, change.active);
    record.updated_at = now;
    records::save::<skill::ActiveModel>(
        db,
        actor,
        Audited {
            entity: "skill",
            created: "skill.create",
            updated: "skill.update",
        },
        current.as_ref().map(skill_view),
        record,
        |x| (x.id, skill_view(x)),
        now,
    )
    .await
}

/// The audited form of a skill.
pub fn skill_view(x: &skill::Model) -> Value {
    json!({ "id": x.id, "code": x.code, "name": x.name, "active": x.active })
}

/// One skill.
pub async fn skill<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<skill::Model, Error> {
    skill::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such skill.".to_string()))
}

/// Every skill, by name.
pub async fn skills<C: ConnectionTrait>(db: &C) -> Result<Vec<skill::Model>, DbErr> {
    skill::Entity::find()
        .order_by_asc(skill::Column::Name)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-28T03:00:00Z".parse().expect("time")
    }

    #[test]
    fn a_new_package_uploads_as_fast_as_it_downloads_and_is_on_sale() {
        let change = PackageChange {
            name: Some("Rumah 300".into()),
            download_mbps: Some(300),
            monthly_price_idr: Some(750_000),
            ..Default::default()
        };
        let made = PackageDraft::new(None, change)
            .resolve(None, &HashMap::new(), now())
            .expect("valid");
        assert_eq!((made.upload_mbps, made.active), (300, true));
        let bad = PackageChange {
            monthly_price_idr: Some(-5),
            upload_mbps: Some(0),
            name: Some("Rumah 300".into()),
            ..Default::default()
        };
        let names = HashMap::from([("Rumah 300".to_string(), Uuid::now_v7())]);
        let Err(Invalid(errors)) =
            PackageDraft::new(Some(&made), bad).resolve(Some(&made), &names, now())
        else {
            panic!("refused");
        };
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("upload_mbps", "range"),
                ("monthly_price_idr", "range"),
                ("name", "taken")
            ]
        );
    }

    #[test]
    fn a_service_type_keeps_its_targets_in_order() {
        let current = service_type::Model {
            id: Uuid::now_v7(),
            code: "installation".into(),
            name_id: "Pemasangan".into(),
            name_en: "Installation".into(),
            default_priority: "normal".into(),
            response_sla_minutes: 240,
            resolution_sla_minutes: 2880,
            required_docs: "[\"photo_before\"]".into(),
            active: true,
            skill_id: None,
            skill_level: 1,
            expected_minutes: 120,
            created_at: now(),
            updated_at: now(),
        };
        let change = ServiceTypeChange {
            required_docs: Some(vec!["selfie".into()]),
            response_sla_minutes: Some(0),
            ..Default::default()
        };
        let Err(Invalid(errors)) = check_service_type(&current, change, now()) else {
            panic!("refused");
        };
        assert_eq!(errors.len(), 2);
        let change = ServiceTypeChange {
            response_sla_minutes: Some(120),
            required_docs: Some(vec!["ont_serial".into(), "customer_signature".into()]),
            default_priority: Some("high".into()),
            ..Default::default()
        };
        let changed = check_service_type(&current, change, now()).expect("valid");
        assert_eq!(changed.priority(), Priority::High);
        assert_eq!(
            changed.docs(),
            [DocItem::OntSerial, DocItem::CustomerSignature]
        );
    }
}
