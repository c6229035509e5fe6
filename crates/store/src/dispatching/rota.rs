//! The on-call rota (piket): turns in which a technician takes repairs
//! outside their shift.

use super::*;

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
    availability_changed(&*txn, id, now).await?;
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
    availability_changed(&*txn, row.user_id, now).await?;
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
