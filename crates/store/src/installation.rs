//! What an installation goes through before a technician is booked: CS
//! verification (the customer's identity documents, the place and the
//! package), the survey where the ISP sends one, and the fee or down
//! payment where the ISP wants it paid first. Each is a change to the
//! ticket at the version read, with its timeline entry.

use chrono::{DateTime, Utc};
use netcrew_domain::{
    Checks,
    identity::IdentityNeed,
    tickets::{SurveyEffect, SurveyOutcome, TicketKind, TicketStatus, rules::REASON_MAX},
};
use serde_json::json;

use crate::{
    Db, Error,
    entity::{customer_identity, ticket},
    tickets::{self, Entry, MoveRequest, Person, Scope, Settings, Stamp, Versioned},
};

fn conflict(msg: impl Into<String>) -> Error {
    Error::Conflict(msg.into())
}

/// Refuses anything but an open installation.
fn open_installation(t: &ticket::Model, what: &str) -> Result<TicketStatus, Error> {
    if TicketKind::parse(&t.kind) != Some(TicketKind::Installation) {
        return Err(conflict(format!("Only an installation is {what}.")));
    }
    let status = TicketStatus::parse(&t.status).unwrap_or(TicketStatus::New);
    if !status.is_open() {
        return Err(conflict(format!(
            "A {} installation is not {what} any more.",
            status.as_str()
        )));
    }
    Ok(status)
}

/// What the customer's identity still lacks for verification.
pub fn identity_needs(identity: Option<&customer_identity::Model>) -> Vec<IdentityNeed> {
    let mut needs = Vec::new();
    if identity.and_then(|i| i.nik_sealed.as_ref()).is_none() {
        needs.push(IdentityNeed::Nik);
    }
    if identity.and_then(|i| i.photo_key.as_ref()).is_none() {
        needs.push(IdentityNeed::KtpPhoto);
    }
    needs
}

/// CS's verification, as sent.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// `true` verifies; `false` withdraws a verification made by mistake.
    pub verified: bool,
    /// The place on the ticket is where the customer lives.
    pub place_confirmed: bool,
    /// The package on the customer is the one they asked for.
    pub package_confirmed: bool,
    /// Why a verification is withdrawn (required then).
    pub reason: String,
}

/// Verifies an installation (or withdraws the verification): the customer
/// must have a NIK and a KTP photo on record, and CS confirms the place and
/// the package.
pub async fn verify(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    v: Verification,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let mut c = Checks::default();
    let reason = c.multiline("reason", &v.reason, REASON_MAX);
    if v.verified {
        if !v.place_confirmed {
            c.fail(
                "place_confirmed",
                "required",
                "confirm the place with the customer",
            );
        }
        if !v.package_confirmed {
            c.fail(
                "package_confirmed",
                "required",
                "confirm the package with the customer",
            );
        }
    } else if reason.trim().is_empty() {
        c.fail(
            "reason",
            "required",
            "say why the verification is withdrawn",
        );
    }
    c.finish()?;
    let current = tickets::find(db.conn(), at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    let identity = crate::identity::summary(db.conn(), current.customer_id).await?;
    let needs = identity_needs(identity.as_ref());
    let verifier = who.id;
    tickets::stamp(
        db,
        who,
        scope,
        at,
        move |t| {
            let status = open_installation(t, "verified")?;
            if v.verified {
                if t.verified_at.is_some() {
                    return Err(conflict("This installation is verified already."));
                }
                if !needs.is_empty() {
                    return Err(Error::NotReady {
                        detail: format!(
                            "Record the customer's {} before verifying.",
                            needs
                                .iter()
                                .map(|n| match n {
                                    IdentityNeed::Nik => "NIK",
                                    IdentityNeed::KtpPhoto => "KTP photo",
                                })
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                        missing: needs.iter().map(|n| n.as_str().to_string()).collect(),
                    });
                }
                t.verified_at = Some(now);
                t.verified_by = verifier;
            } else {
                if t.verified_at.is_none() {
                    return Err(conflict("This installation is not verified."));
                }
                if t.technician_id.is_some()
                    || !matches!(status, TicketStatus::New | TicketStatus::Pending)
                {
                    return Err(conflict(
                        "A technician is booked already: a verification is withdrawn only before booking.",
                    ));
                }
                t.verified_at = None;
                t.verified_by = None;
            }
            Ok(Stamp {
                entry: Entry {
                    kind: if v.verified { "verified" } else { "unverified" },
                    from: None,
                    to: None,
                    reason,
                    data: json!({}),
                    public: true,
                },
                audit: (
                    if v.verified {
                        "ticket.verify"
                    } else {
                        "ticket.unverify"
                    },
                    json!({"verified": v.verified}),
                ),
            })
        },
        now,
    )
    .await
}

/// Marks an installation's fee or down payment paid (with the receipt or
/// transfer reference), or takes a mistaken mark back (with a reason).
pub async fn mark_fee(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    (paid, reference): (bool, &str),
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let mut c = Checks::default();
    let reference = c
        .optional_text("reference", reference, 120)
        .unwrap_or_default();
    if !paid && reference.trim().is_empty() {
        c.fail("reference", "required", "say why the payment is taken back");
    }
    c.finish()?;
    tickets::stamp(
        db,
        who,
        scope,
        at,
        move |t| {
            open_installation(t, "paid for")?;
            match (paid, t.fee_paid_at.is_some()) {
                (true, true) => return Err(conflict("The fee is marked paid already.")),
                (false, false) => return Err(conflict("The fee is not marked paid.")),
                _ => {}
            }
            t.fee_paid_at = paid.then_some(now);
            t.fee_reference = (paid && !reference.is_empty()).then(|| reference.clone());
            Ok(Stamp {
                entry: Entry {
                    kind: if paid { "fee_paid" } else { "fee_unpaid" },
                    from: None,
                    to: None,
                    reason: if paid {
                        String::new()
                    } else {
                        reference.clone()
                    },
                    data: json!({"reference": paid.then_some(&reference)}),
                    // The office's bookkeeping (references, marks taken
                    // back): staff see it, the customer does not.
                    public: false,
                },
                audit: (
                    if paid {
                        "ticket.fee_paid"
                    } else {
                        "ticket.fee_unpaid"
                    },
                    json!({"paid": paid, "reference": reference}),
                ),
            })
        },
        now,
    )
    .await
}

/// Records a survey's outcome on an installation, at the version read: a
/// feasible place lets it go on; a pole or a permit makes it wait (access or
/// permit); no free port or a drop too long records the place as unmet
/// demand and cancels it with the outcome as the reason.
pub async fn survey(
    db: &Db,
    who: &Person,
    scope: &Scope,
    at: Versioned,
    (outcome, notes): (SurveyOutcome, &str),
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<ticket::Model, Error> {
    let mut c = Checks::default();
    let notes = c.multiline("notes", notes, REASON_MAX);
    c.finish()?;
    let current = tickets::find(db.conn(), at.id, scope)
        .await?
        .ok_or_else(|| Error::NotFound("No such ticket.".to_string()))?;
    let status = open_installation(&current, "surveyed")?;
    let reason = if notes.trim().is_empty() {
        format!("survey: {}", outcome.as_str())
    } else {
        format!("survey: {} — {notes}", outcome.as_str())
    };
    let next = match outcome.effect() {
        SurveyEffect::Wait if status != TicketStatus::Pending => Some(MoveRequest {
            to: Some(TicketStatus::Pending),
            reason: Some(reason.clone()),
            pause_reason: Some("access_permit".to_string()),
            ..MoveRequest::default()
        }),
        SurveyEffect::Unmet => Some(MoveRequest {
            to: Some(TicketStatus::Cancelled),
            reason: Some(reason.clone()),
            ..MoveRequest::default()
        }),
        _ => None,
    };
    let Some(req) = next else {
        return tickets::stamp(
            db,
            who,
            scope,
            at,
            move |t| {
                open_installation(t, "surveyed")?;
                Ok(Stamp {
                    entry: Entry {
                        kind: "survey",
                        from: None,
                        to: None,
                        reason,
                        data: json!({"outcome": outcome.as_str()}),
                        public: true,
                    },
                    audit: (
                        "ticket.survey",
                        json!({"survey": outcome.as_str(), "notes": notes}),
                    ),
                })
            },
            now,
        )
        .await;
    };
    let moved = tickets::transition(db, who, scope, at, req, settings, now).await?;
    if outcome.effect() == SurveyEffect::Unmet {
        let point = netcrew_domain::GeoPoint::new(moved.lat, moved.lng)
            .map_err(|e| conflict(e.to_string()))?;
        crate::network::record_demand(
            db.conn(),
            point,
            Some(moved.area_id),
            "survey",
            now,
            settings.zone,
        )
        .await?;
    }
    Ok(moved)
}
