//! Technicians' requests for material: a technician asks, the storekeeper
//! issues it from a warehouse (the issue movements and the request's new
//! state in one transaction) or refuses it with a note; the technician may
//! withdraw a request not yet decided.

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks, FieldError, Invalid, Role,
    inventory::{MAX_QUANTITY, MovementKind},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    Db, Error,
    entity::{inventory_item, material_request, material_request_line, user},
    inventory::{self, MovementInput},
    notifications::{self, Note},
    page::{self, Page, PageError},
    sla_settings::audited,
    tickets::Person,
};

/// The most lines one request may have.
pub const MAX_LINES: usize = 30;

/// A request with its lines.
#[derive(Debug, Clone)]
pub struct Request {
    pub request: material_request::Model,
    pub lines: Vec<material_request_line::Model>,
}

async fn people_of<C: ConnectionTrait>(db: &C, role: Role) -> Result<Vec<Uuid>, DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(role.as_str()))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await
}

/// A technician asks for `lines` (item, quantity).
pub async fn create(
    db: &Db,
    who: &Person,
    technician_id: Uuid,
    lines: &[(Uuid, i64)],
    note: &str,
    now: DateTime<Utc>,
) -> Result<Request, Error> {
    let mut c = Checks::default();
    let note = c.multiline("note", note, 500);
    if lines.is_empty() || lines.len() > MAX_LINES {
        c.push(
            FieldError::new("lines", "range", format!("1 to {MAX_LINES} lines"))
                .with("min", 1)
                .with("max", MAX_LINES),
        );
    }
    let txn = db.begin_write().await?;
    let mut seen = Vec::new();
    for (n, (item, quantity)) in lines.iter().enumerate() {
        let found = inventory_item::Entity::find_by_id(*item).one(&*txn).await?;
        match found {
            None => c.fail(&format!("lines[{n}].item_id"), "unknown", "no such item"),
            Some(i) if !i.active => c.fail(
                &format!("lines[{n}].item_id"),
                "inactive",
                "this item is no longer stocked",
            ),
            Some(_) if seen.contains(item) => c.fail(
                &format!("lines[{n}].item_id"),
                "duplicate",
                "this item is asked for twice",
            ),
            Some(_) => {}
        }
        seen.push(*item);
        if !(1..=MAX_QUANTITY).contains(quantity) {
            c.push(
                FieldError::new(
                    format!("lines[{n}].quantity"),
                    "range",
                    format!("1 to {MAX_QUANTITY}"),
                )
                .with("min", 1)
                .with("max", MAX_QUANTITY),
            );
        }
    }
    c.finish()?;
    let id = Uuid::now_v7();
    let request = material_request::ActiveModel {
        id: Set(id),
        technician_id: Set(technician_id),
        status: Set("requested".into()),
        note: Set(note),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut saved = Vec::new();
    for (item, quantity) in lines {
        saved.push(
            material_request_line::ActiveModel {
                request_id: Set(id),
                item_id: Set(*item),
                quantity: Set(*quantity),
            }
            .insert(&*txn)
            .await?,
        );
    }
    audited(
        &*txn,
        &who.actor(),
        (
            "inventory.material_requested",
            "material_request",
            id.to_string(),
        ),
        None,
        Some(json!({"technician_id": technician_id, "lines": lines})),
        now,
    )
    .await?;
    let storekeepers = people_of(&*txn, Role::Warehouse).await?;
    let name = user::Entity::find_by_id(technician_id)
        .one(&*txn)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    notifications::notify(
        &*txn,
        &storekeepers,
        &Note {
            kind: "material_requested",
            ticket: None,
            outage_id: None,
            data: json!({"request_id": id, "technician": name, "lines": lines.len()}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Request {
        request,
        lines: saved,
    })
}

/// Requests, newest first (`technician`: only theirs; `status`: only in it).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    technician: Option<Uuid>,
    status: Option<&str>,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Result<Page<Request>, PageError>, DbErr> {
    let mut q = material_request::Entity::find();
    if let Some(t) = technician {
        q = q.filter(material_request::Column::TechnicianId.eq(t));
    }
    if let Some(s) = status {
        q = q.filter(material_request::Column::Status.eq(s));
    }
    let page =
        match page::newest_first(db, q, material_request::Column::Id, limit, cursor, |r| r.id)
            .await?
        {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
    let ids: Vec<Uuid> = page.items.iter().map(|r| r.id).collect();
    let lines = material_request_line::Entity::find()
        .filter(material_request_line::Column::RequestId.is_in(ids))
        .all(db)
        .await?;
    Ok(Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|r| Request {
                lines: lines
                    .iter()
                    .filter(|l| l.request_id == r.id)
                    .cloned()
                    .collect(),
                request: r,
            })
            .collect(),
        next_cursor: page.next_cursor,
        total: page.total,
        total_exact: page.total_exact,
    }))
}

/// One request.
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Request, Error> {
    let request = material_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("No such request.".into()))?;
    let lines = material_request_line::Entity::find()
        .filter(material_request_line::Column::RequestId.eq(id))
        .all(db)
        .await?;
    Ok(Request { request, lines })
}

/// What the storekeeper decides.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Issue every line from `from` (a warehouse); serial-numbered lines
    /// with the units named in `serials`.
    Issue {
        from: Uuid,
        serials: Vec<String>,
        note: String,
    },
    Reject {
        note: String,
    },
    /// The technician withdraws it.
    Cancel,
}

/// Decides request `id` read at `version`: everything in one transaction.
pub async fn decide(
    db: &Db,
    who: &Person,
    id: Uuid,
    version: i32,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<Request, Error> {
    let txn = db.begin_write().await?;
    let current = get(&*txn, id).await?;
    let r = &current.request;
    if r.version != version {
        return Err(Error::Stale(format!(
            "This request changed since you loaded it (now version {}).",
            r.version
        )));
    }
    if r.status != "requested" {
        return Err(Error::Conflict(format!(
            "This request is {} already.",
            r.status
        )));
    }
    let (status, note, action) = match &decision {
        Decision::Issue {
            from,
            serials,
            note,
        } => {
            let mut c = Checks::default();
            let note = c.multiline("note", note, 500);
            c.finish()?;
            let mut serials: Vec<String> = serials
                .iter()
                .map(|s| s.trim().to_uppercase())
                .filter(|s| !s.is_empty())
                .collect();
            for line in &current.lines {
                let item = inventory::item(&*txn, line.item_id).await?;
                if item.serial_tracked {
                    let mut given = 0;
                    let mine: Vec<String> = {
                        let mut out = Vec::new();
                        for s in &serials {
                            if inventory::unit_of(&*txn, s)
                                .await?
                                .is_some_and(|u| u.item_id == item.id)
                            {
                                out.push(s.clone());
                            }
                        }
                        out
                    };
                    for serial in mine.iter().take(line.quantity as usize) {
                        serials.retain(|s| s != serial);
                        inventory::post_in(
                            &*txn,
                            who,
                            MovementInput {
                                id: None,
                                kind: MovementKind::Issue,
                                item_id: Some(item.id),
                                quantity: 1,
                                from_location_id: Some(*from),
                                to_location_id: None,
                                from_technician_id: None,
                                to_technician_id: Some(r.technician_id),
                                serial: Some(serial.clone()),
                                mac: None,
                                ticket_id: None,
                                reason: String::new(),
                                terms: None,
                            },
                            None,
                            now,
                        )
                        .await?;
                        given += 1;
                    }
                    if given < line.quantity {
                        return Err(Invalid::one(
                            FieldError::new(
                                "serials",
                                "too_few",
                                format!(
                                    "{} needs {} serial numbers of {}; {given} given",
                                    item.name, line.quantity, item.code
                                ),
                            )
                            .with("item", item.code.clone())
                            .with("needed", line.quantity),
                        )
                        .into());
                    }
                } else {
                    inventory::post_in(
                        &*txn,
                        who,
                        MovementInput {
                            id: None,
                            kind: MovementKind::Issue,
                            item_id: Some(item.id),
                            quantity: line.quantity,
                            from_location_id: Some(*from),
                            to_location_id: None,
                            from_technician_id: None,
                            to_technician_id: Some(r.technician_id),
                            serial: None,
                            mac: None,
                            ticket_id: None,
                            reason: String::new(),
                            terms: None,
                        },
                        None,
                        now,
                    )
                    .await?;
                }
            }
            if !serials.is_empty() {
                return Err(Invalid::one(
                    FieldError::new("serials", "not_asked", "serial numbers no line asked for")
                        .with("serials", serials),
                )
                .into());
            }
            ("issued", note, "inventory.material_issued")
        }
        Decision::Reject { note } => {
            let mut c = Checks::default();
            let note = c.multiline("note", note, 500);
            if note.is_empty() {
                c.fail("note", "required", "say why");
            }
            c.finish()?;
            ("rejected", note, "inventory.material_rejected")
        }
        Decision::Cancel => ("cancelled", String::new(), "inventory.material_cancelled"),
    };
    let mut a = r.clone().into_active_model();
    a.status = Set(status.into());
    a.decided_by = Set(who.id);
    a.decided_at = Set(Some(now));
    a.decision_note = Set(note);
    a.version = Set(version + 1);
    let saved = a.update(&*txn).await?;
    audited(
        &*txn,
        &who.actor(),
        (action, "material_request", id.to_string()),
        Some(json!({"status": r.status})),
        Some(json!({"status": saved.status, "note": saved.decision_note})),
        now,
    )
    .await?;
    if !matches!(decision, Decision::Cancel) {
        notifications::notify(
            &*txn,
            &[saved.technician_id],
            &Note {
                kind: if status == "issued" {
                    "material_issued"
                } else {
                    "material_rejected"
                },
                ticket: None,
                outage_id: None,
                data: json!({"request_id": id, "note": saved.decision_note}),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Request {
        request: saved,
        lines: current.lines,
    })
}
