//! What a job must document before it is complete: the checklist of each
//! kind of ticket, each entry's value checked and put in one form, and the
//! optical power gate (a reading weaker than the ISP's healthy band blocks
//! completion unless a supervisor approves an exception).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{FieldError, Invalid, tickets::TicketKind};

/// What kind of value an entry takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// `{"port": 3}`: the ODP port actually used (free, or the customer's).
    OdpPort,
    /// `{"meters": 85}`.
    Length,
    /// `{"serial": "ZTEGC8A1B2C3"}`: typed or scanned.
    OntSerial,
    /// `{"dbm": -19.4}`: the ONT's optical receive power.
    OpticalPower,
    /// `{"download_mbps": 48.2, "upload_mbps": 19.1}`.
    SpeedTest,
    /// `{"attachment_ids": ["…"]}`: photos uploaded to the ticket.
    Photos,
    /// `{"attachment_id": "…", "signer": "Budi"}`: drawn on the screen.
    Signature,
    /// `{"code": "drop_cable_cut"}`: one of the entry's choices.
    Code,
    /// `{"text": "…"}`.
    Text,
}

/// One entry of a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    pub kind: EntryKind,
    pub required: bool,
    /// For [`EntryKind::Code`]: the codes it takes.
    pub choices: &'static [&'static str],
}

const fn entry(key: &'static str, kind: EntryKind) -> Entry {
    Entry {
        key,
        kind,
        required: true,
        choices: &[],
    }
}

const fn optional(key: &'static str, kind: EntryKind) -> Entry {
    Entry {
        key,
        kind,
        required: false,
        choices: &[],
    }
}

/// Why a repair's fault happened.
pub const CAUSES: &[&str] = &[
    "drop_cable_cut",
    "drop_cable_bent",
    "connector_dirty",
    "ont_faulty",
    "power_adapter",
    "odp_port",
    "splitter",
    "feeder_cut",
    "router_settings",
    "customer_device",
    "other",
];

/// What the technician did about it.
pub const RESOLUTIONS: &[&str] = &[
    "replaced_drop_cable",
    "respliced",
    "cleaned_connector",
    "replaced_ont",
    "replaced_adapter",
    "moved_port",
    "reconfigured",
    "advised_customer",
    "other",
];

const INSTALLATION: &[Entry] = &[
    entry("odp_port", EntryKind::OdpPort),
    entry("drop_cable_m", EntryKind::Length),
    entry("ont_serial", EntryKind::OntSerial),
    entry("rx_power", EntryKind::OpticalPower),
    entry("speed_test", EntryKind::SpeedTest),
    entry("photo_odp", EntryKind::Photos),
    entry("photo_ont", EntryKind::Photos),
    entry("photo_cabling", EntryKind::Photos),
    entry("customer_signature", EntryKind::Signature),
];

const REPAIR: &[Entry] = &[
    entry("diagnosis", EntryKind::Text),
    Entry {
        key: "cause",
        kind: EntryKind::Code,
        required: true,
        choices: CAUSES,
    },
    Entry {
        key: "resolution",
        kind: EntryKind::Code,
        required: true,
        choices: RESOLUTIONS,
    },
    optional("rx_power", EntryKind::OpticalPower),
    entry("photo_repair", EntryKind::Photos),
];

const UPGRADE: &[Entry] = &[
    entry("speed_test", EntryKind::SpeedTest),
    optional("rx_power", EntryKind::OpticalPower),
];

const RELOCATION: &[Entry] = &[
    entry("odp_port", EntryKind::OdpPort),
    entry("drop_cable_m", EntryKind::Length),
    entry("rx_power", EntryKind::OpticalPower),
    entry("speed_test", EntryKind::SpeedTest),
    entry("photo_ont", EntryKind::Photos),
    entry("customer_signature", EntryKind::Signature),
];

const DISMANTLE: &[Entry] = &[
    entry("ont_serial", EntryKind::OntSerial),
    entry("photo_dismantle", EntryKind::Photos),
    entry("customer_signature", EntryKind::Signature),
];

/// The checklist of a kind of job.
pub fn checklist(kind: TicketKind) -> &'static [Entry] {
    match kind {
        TicketKind::Installation => INSTALLATION,
        TicketKind::Repair => REPAIR,
        TicketKind::Upgrade => UPGRADE,
        TicketKind::Relocation => RELOCATION,
        TicketKind::Dismantle => DISMANTLE,
    }
}

/// The entry `key` of a kind of job's checklist.
pub fn entry_of(kind: TicketKind, key: &str) -> Option<Entry> {
    checklist(kind).iter().find(|e| e.key == key).copied()
}

/// The weakest and strongest readings that can be typed at all (a GPON
/// class B+ receiver's range).
pub const TYPED_WEAKEST: f64 = -27.0;
pub const TYPED_STRONGEST: f64 = -8.0;

/// The ISP's healthy band of optical receive power.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OpticalBand {
    /// Weaker than this blocks completion (common practice: -25 dBm).
    pub weakest: f64,
    /// Weaker than this is a warning (common practice: -23 dBm).
    pub warn_from: f64,
}

impl Default for OpticalBand {
    fn default() -> Self {
        OpticalBand {
            weakest: -25.0,
            warn_from: -23.0,
        }
    }
}

impl OpticalBand {
    /// Checks a band as an admin sets it.
    pub fn check(self) -> Result<OpticalBand, Invalid> {
        let mut errors = Vec::new();
        let in_range = |v: f64| (TYPED_WEAKEST..=TYPED_STRONGEST).contains(&v);
        if !in_range(self.weakest) {
            errors.push(range_error("weakest"));
        }
        if !in_range(self.warn_from) {
            errors.push(range_error("warn_from"));
        } else if self.warn_from < self.weakest {
            errors.push(FieldError::new(
                "warn_from",
                "range",
                "the warning starts at or above the weakest healthy reading",
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(Invalid(errors))
        }
    }

    /// What a reading means.
    pub fn judge(self, dbm: f64) -> Signal {
        if dbm < self.weakest {
            Signal::Weak
        } else if dbm < self.warn_from {
            Signal::Warning
        } else {
            Signal::Healthy
        }
    }
}

fn range_error(field: &str) -> FieldError {
    FieldError::new(
        field,
        "range",
        format!("from {TYPED_WEAKEST} to {TYPED_STRONGEST} dBm"),
    )
    .with("min", TYPED_WEAKEST)
    .with("max", TYPED_STRONGEST)
}

/// An optical reading judged against the band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Healthy,
    /// Within the band, near its edge.
    Warning,
    /// Outside the band: completion needs a supervisor's exception.
    Weak,
}

/// An entry's value as the server keeps it, with the attachments it names
/// (which must be images of the same ticket).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub value: Value,
    pub attachments: Vec<Uuid>,
}

fn bad(field: &str, code: &str, detail: impl Into<String>) -> Invalid {
    Invalid::one(FieldError::new(field, code, detail))
}

fn number(value: &Value, name: &str) -> Result<Option<f64>, Invalid> {
    let field = format!("value.{name}");
    match value.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| bad(&field, "format", "a number")),
        // Phones type "-19,4" or "-19.4"; anything else is refused.
        Some(Value::String(s)) => s
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| bad(&field, "format", "a number, such as -19.4")),
        Some(_) => Err(bad(&field, "format", "a number")),
    }
}

fn required_number(value: &Value, name: &str) -> Result<f64, Invalid> {
    number(value, name)?.ok_or_else(|| bad(&format!("value.{name}"), "required", "give the number"))
}

fn within(name: &str, v: f64, min: f64, max: f64, unit: &str) -> Result<f64, Invalid> {
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(Invalid::one(
            FieldError::new(
                format!("value.{name}"),
                "range",
                format!("from {min} to {max} {unit}"),
            )
            .with("min", min)
            .with("max", max),
        ))
    }
}

fn uuid_of(v: Option<&Value>, field: &str) -> Result<Uuid, Invalid> {
    v.and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| bad(field, "format", "the id of a photo uploaded to this ticket"))
}

/// The ONT serial in one form: upper case, no spaces; 4 to 32 letters,
/// digits and dashes.
pub fn ont_serial(s: &str) -> Option<String> {
    let s: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.to_uppercase();
    ((4..=32).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(s)
}

/// Checks `value` for `entry` and puts it in one form.
pub fn check(entry: Entry, value: &Value) -> Result<Checked, Invalid> {
    if !value.is_object() {
        return Err(bad(
            "value",
            "format",
            "an object, such as {\"dbm\": -19.4}",
        ));
    }
    let plain = |value: Value| Checked {
        value,
        attachments: Vec::new(),
    };
    Ok(match entry.kind {
        EntryKind::OdpPort => {
            let port = required_number(value, "port")?;
            if port.fract() != 0.0 {
                return Err(bad("value.port", "format", "a whole port number"));
            }
            let port = within("port", port, 1.0, 128.0, "")?;
            plain(json!({"port": port as i64}))
        }
        EntryKind::Length => {
            let m = within(
                "meters",
                required_number(value, "meters")?,
                1.0,
                2000.0,
                "m",
            )?;
            plain(json!({"meters": (m * 10.0).round() / 10.0}))
        }
        EntryKind::OntSerial => {
            let serial = value
                .get("serial")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("value.serial", "required", "type or scan the ONT's serial"))?;
            let serial = ont_serial(serial).ok_or_else(|| {
                bad(
                    "value.serial",
                    "format",
                    "4 to 32 letters, digits and dashes, as on the ONT's label",
                )
            })?;
            plain(json!({"serial": serial}))
        }
        EntryKind::OpticalPower => {
            let dbm = within(
                "dbm",
                required_number(value, "dbm")?,
                TYPED_WEAKEST,
                TYPED_STRONGEST,
                "dBm",
            )?;
            plain(json!({"dbm": (dbm * 100.0).round() / 100.0}))
        }
        EntryKind::SpeedTest => {
            let down = within(
                "download_mbps",
                required_number(value, "download_mbps")?,
                0.1,
                10_000.0,
                "Mbps",
            )?;
            let up = within(
                "upload_mbps",
                required_number(value, "upload_mbps")?,
                0.0,
                10_000.0,
                "Mbps",
            )?;
            let ping = match number(value, "ping_ms")? {
                Some(p) => Some(within("ping_ms", p, 0.0, 10_000.0, "ms")?),
                None => None,
            };
            plain(json!({"download_mbps": down, "upload_mbps": up, "ping_ms": ping}))
        }
        EntryKind::Photos => {
            let ids = value
                .get("attachment_ids")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("value.attachment_ids", "required", "add at least one photo"))?;
            if ids.is_empty() {
                return Err(bad(
                    "value.attachment_ids",
                    "required",
                    "add at least one photo",
                ));
            }
            if ids.len() > 10 {
                return Err(bad("value.attachment_ids", "length", "at most 10 photos"));
            }
            let mut attachments = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                let id = uuid_of(Some(id), &format!("value.attachment_ids[{i}]"))?;
                if !attachments.contains(&id) {
                    attachments.push(id);
                }
            }
            Checked {
                value: json!({"attachment_ids": attachments}),
                attachments,
            }
        }
        EntryKind::Signature => {
            let id = uuid_of(value.get("attachment_id"), "value.attachment_id")?;
            let signer = value
                .get("signer")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad("value.signer", "required", "who signed"))?;
            if signer.chars().count() > 100 {
                return Err(bad("value.signer", "length", "at most 100 characters"));
            }
            Checked {
                value: json!({"attachment_id": id, "signer": signer}),
                attachments: vec![id],
            }
        }
        EntryKind::Code => {
            let code = value
                .get("code")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("value.code", "required", "choose one"))?;
            if !entry.choices.contains(&code) {
                return Err(Invalid::one(
                    FieldError::new("value.code", "choice", "not one of the choices")
                        .with("allowed", entry.choices.to_vec()),
                ));
            }
            plain(json!({"code": code}))
        }
        EntryKind::Text => {
            let text = value
                .get("text")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad("value.text", "required", "write what you found"))?;
            if text.chars().count() > 2000 {
                return Err(bad("value.text", "length", "at most 2000 characters"));
            }
            plain(json!({"text": text}))
        }
    })
}

/// What still keeps a job from completion: the required entries without a
/// value, and `rx_power_weak` when the reading is outside the band and no
/// exception was approved for it.
pub fn missing(
    kind: TicketKind,
    values: &std::collections::HashMap<String, Value>,
    band: OpticalBand,
    exception_for: Option<f64>,
) -> Vec<String> {
    let mut out: Vec<String> = checklist(kind)
        .iter()
        .filter(|e| e.required && !values.contains_key(e.key))
        .map(|e| e.key.to_string())
        .collect();
    if let Some(dbm) = values
        .get("rx_power")
        .and_then(|v| v.get("dbm"))
        .and_then(Value::as_f64)
        && band.judge(dbm) == Signal::Weak
        && exception_for != Some(dbm)
    {
        out.push("rx_power_weak".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry_for(key: &str) -> Entry {
        entry_of(TicketKind::Installation, key)
            .or_else(|| entry_of(TicketKind::Repair, key))
            .expect("entry")
    }

    #[test]
    fn dbm_readings_are_numbers_within_what_a_receiver_reads() {
        let e = entry_for("rx_power");
        assert_eq!(
            check(e, &json!({"dbm": "-19,4"})).expect("ok").value,
            json!({"dbm": -19.4})
        );
        assert_eq!(
            check(e, &json!({"dbm": -21})).expect("ok").value,
            json!({"dbm": -21.0})
        );
        for bad_value in [json!({"dbm": "abc"}), json!({"dbm": true}), json!({})] {
            assert!(check(e, &bad_value).is_err(), "{bad_value}");
        }
        let refused = check(e, &json!({"dbm": 40})).expect_err("+40 is no reading");
        assert_eq!(refused.0[0].code, "range");
        assert!(check(e, &json!({"dbm": -27.5})).is_err());
        assert!(check(e, &json!("-19")).is_err());
    }

    #[test]
    fn the_band_judges_readings_and_blocks_weak_ones_without_an_exception() {
        let band = OpticalBand::default();
        assert_eq!(band.judge(-19.0), Signal::Healthy);
        assert_eq!(band.judge(-24.0), Signal::Warning);
        assert_eq!(band.judge(-25.5), Signal::Weak);
        let mut values: HashMap<String, Value> = checklist(TicketKind::Installation)
            .iter()
            .map(|e| (e.key.to_string(), json!({})))
            .collect();
        values.insert("rx_power".into(), json!({"dbm": -25.5}));
        assert_eq!(
            missing(TicketKind::Installation, &values, band, None),
            ["rx_power_weak"]
        );
        assert!(missing(TicketKind::Installation, &values, band, Some(-25.5)).is_empty());
        // An exception is for the reading it was given for.
        assert_eq!(
            missing(TicketKind::Installation, &values, band, Some(-25.2)),
            ["rx_power_weak"]
        );
        values.remove("photo_odp");
        assert_eq!(
            missing(TicketKind::Installation, &values, band, Some(-25.5)),
            ["photo_odp"]
        );
        assert!(
            OpticalBand {
                weakest: -22.0,
                warn_from: -24.0
            }
            .check()
            .is_err(),
            "the warning cannot start below the weakest reading"
        );
        assert!(
            OpticalBand {
                weakest: -30.0,
                warn_from: -23.0
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn entries_are_put_in_one_form_or_refused() {
        let serial =
            check(entry_for("ont_serial"), &json!({"serial": " zteg c8a1b2 "})).expect("ok");
        assert_eq!(serial.value, json!({"serial": "ZTEGC8A1B2"}));
        assert!(check(entry_for("ont_serial"), &json!({"serial": "ab"})).is_err());
        assert!(check(entry_for("odp_port"), &json!({"port": 2.5})).is_err());
        assert_eq!(
            check(entry_for("odp_port"), &json!({"port": 4}))
                .expect("ok")
                .value,
            json!({"port": 4})
        );
        let cause = check(entry_for("cause"), &json!({"code": "made_up"})).expect_err("choice");
        assert_eq!(cause.0[0].code, "choice");
        let id = Uuid::now_v7();
        let photos = check(
            entry_for("photo_odp"),
            &json!({"attachment_ids": [id.to_string(), id.to_string()]}),
        )
        .expect("ok");
        assert_eq!(photos.attachments, vec![id]);
        assert!(check(entry_for("photo_odp"), &json!({"attachment_ids": []})).is_err());
        assert!(
            check(
                entry_for("customer_signature"),
                &json!({"attachment_id": id.to_string(), "signer": "  "})
            )
            .is_err()
        );
        assert!(
            check(
                entry_for("speed_test"),
                &json!({"download_mbps": 0, "upload_mbps": 1})
            )
            .is_err()
        );
    }

    #[test]
    fn every_kind_has_a_checklist_with_unique_keys() {
        for kind in TicketKind::ALL {
            let list = checklist(kind);
            assert!(list.iter().any(|e| e.required), "{kind:?}");
            let mut keys: Vec<&str> = list.iter().map(|e| e.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), list.len(), "{kind:?}");
        }
    }
}
