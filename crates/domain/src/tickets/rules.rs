//! What a ticket is made of beyond its status: where it came from, its
//! priority, how CS settles a repair remotely, outages, ratings, comments
//! and the holiday list.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    fields::{Checks, FieldError, Invalid},
    service::Priority,
};

/// How a ticket reached the ISP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketSource {
    /// The customer, through the portal (or self-registration).
    Portal,
    /// A call to CS.
    Phone,
    /// A WhatsApp message to CS.
    Whatsapp,
    /// Another system, through the API.
    Api,
    /// NetCrew itself (a termination's dismantle, an outage).
    System,
}

impl TicketSource {
    pub const ALL: [TicketSource; 5] = [
        TicketSource::Portal,
        TicketSource::Phone,
        TicketSource::Whatsapp,
        TicketSource::Api,
        TicketSource::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketSource::Portal => "portal",
            TicketSource::Phone => "phone",
            TicketSource::Whatsapp => "whatsapp",
            TicketSource::Api => "api",
            TicketSource::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Why CS could settle a repair without sending anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemoteReason {
    /// The service was isolated for non-payment and is restored.
    Isolir,
    /// The customer's Wi-Fi name or password, or a device setting.
    WifiSettings,
    /// The ONT was restarted from afar.
    OntRestarted,
    /// The fault was at the customer's side (their router, their device).
    CustomerSide,
    /// It came back by itself, or was a question.
    NoFault,
}

impl RemoteReason {
    pub const ALL: [RemoteReason; 5] = [
        RemoteReason::Isolir,
        RemoteReason::WifiSettings,
        RemoteReason::OntRestarted,
        RemoteReason::CustomerSide,
        RemoteReason::NoFault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RemoteReason::Isolir => "isolir",
            RemoteReason::WifiSettings => "wifi_settings",
            RemoteReason::OntRestarted => "ont_restarted",
            RemoteReason::CustomerSide => "customer_side",
            RemoteReason::NoFault => "no_fault",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a survey before an installation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyOutcome {
    /// It can be installed: the installation goes ahead.
    Feasible,
    /// A pole must be set first: the ticket waits (access or permit).
    NeedsPole,
    /// A permit (from the RT/RW, the building, the road owner) first.
    NeedsPermit,
    /// The ODP has no free port: recorded as unmet demand, cancelled.
    NoFreePort,
    /// The home is beyond drop-cable reach: unmet demand, cancelled.
    DropTooLong,
}

impl SurveyOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyOutcome::Feasible => "feasible",
            SurveyOutcome::NeedsPole => "needs_pole",
            SurveyOutcome::NeedsPermit => "needs_permit",
            SurveyOutcome::NoFreePort => "no_free_port",
            SurveyOutcome::DropTooLong => "drop_too_long",
        }
    }

    /// What the outcome does to the installation: go on, wait, or stop
    /// (and count as demand the network could not meet).
    pub fn effect(self) -> SurveyEffect {
        match self {
            SurveyOutcome::Feasible => SurveyEffect::GoOn,
            SurveyOutcome::NeedsPole | SurveyOutcome::NeedsPermit => SurveyEffect::Wait,
            SurveyOutcome::NoFreePort | SurveyOutcome::DropTooLong => SurveyEffect::Unmet,
        }
    }
}

/// What a survey's outcome does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyEffect {
    GoOn,
    Wait,
    Unmet,
}

/// What an outage sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutageElement {
    /// A whole area (a power cut).
    Area,
    /// An ODC and every ODP behind it.
    Odc,
    /// One ODP.
    Odp,
}

impl OutageElement {
    pub const ALL: [OutageElement; 3] =
        [OutageElement::Area, OutageElement::Odc, OutageElement::Odp];

    pub fn as_str(self) -> &'static str {
        match self {
            OutageElement::Area => "area",
            OutageElement::Odc => "odc",
            OutageElement::Odp => "odp",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Whether an outage is still being repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutageStatus {
    Open,
    Resolved,
}

impl OutageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutageStatus::Open => "open",
            OutageStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [OutageStatus::Open, OutageStatus::Resolved]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The number of an outage: `OUT-2026-000012`.
pub fn outage_number(year: i32, seq: i64) -> String {
    format!("OUT-{year}-{seq:06}")
}

/// The counter outage numbers come from in `year`.
pub fn outage_counter(year: i32) -> String {
    format!("outage.{year}")
}

/// The priority a new ticket gets: the more urgent of its service type's
/// and its problem category's.
pub fn initial_priority(service_type: Priority, category: Option<Priority>) -> Priority {
    category.map_or(service_type, |c| c.max(service_type))
}

/// How staff say a priority: `P1` (urgent) to `P4` (low).
pub fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Urgent => "P1",
        Priority::High => "P2",
        Priority::Normal => "P3",
        Priority::Low => "P4",
    }
}

pub const DESCRIPTION_MAX: usize = 4000;
pub const COMMENT_MAX: usize = 4000;
pub const REASON_MAX: usize = 500;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 10;

/// Checks a list of tags: short, no control characters, no duplicates.
pub fn tags(c: &mut Checks, field: &str, given: &[String]) -> Vec<String> {
    if given.len() > TAGS_MAX {
        c.push(
            FieldError::new(field, "too_many", format!("at most {TAGS_MAX} tags"))
                .with("max", TAGS_MAX),
        );
    }
    let mut out: Vec<String> = Vec::new();
    for t in given {
        let t = c.text(field, t, TAG_MAX);
        let t = t.to_lowercase();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// A rating of a visit: 1 to 5.
pub fn rating(field: &str, value: i32) -> Result<i32, Invalid> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::one(
            FieldError::new(field, "range", "give 1 to 5 stars")
                .with("min", 1)
                .with("max", 5),
        ))
    }
}

/// A day off, as the admin lists and imports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Holiday {
    /// `YYYY-MM-DD`.
    #[schema(value_type = String, example = "2026-08-17")]
    pub day: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
}

/// A national holiday (libur nasional) or a joint leave day (cuti bersama).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    National,
    CutiBersama,
}

impl HolidayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::National => "national",
            HolidayKind::CutiBersama => "cuti_bersama",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
            "national" | "nasional" | "libur_nasional" => Some(HolidayKind::National),
            "cuti_bersama" | "cuti" => Some(HolidayKind::CutiBersama),
            _ => None,
        }
    }
}

/// Reads a holiday list from CSV: a header with `date` (or `tanggal`),
/// `name` (or `nama`) and optionally `kind` (`national` or `cuti_bersama`).
/// Every bad line is reported as `line N: ...`; a day listed twice too.
pub fn parse_holidays(csv_text: &str) -> Result<Vec<Holiday>, Invalid> {
    let mut errors = Vec::new();
    let mut out: Vec<Holiday> = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect(),
        Err(_) => {
            return Err(Invalid::one(FieldError::new(
                "file",
                "format",
                "the file is not CSV",
            )));
        }
    };
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(date_col), Some(name_col)) = (
        col(&["date", "tanggal", "day"]),
        col(&["name", "nama", "keterangan"]),
    ) else {
        return Err(Invalid::one(FieldError::new(
            "file",
            "header",
            "the first line must name the columns date and name (and optionally kind)",
        )));
    };
    let kind_col = col(&["kind", "jenis"]);
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let field = format!("line {line}");
        let Ok(row) = row else {
            errors.push(FieldError::new(
                &field,
                "format",
                "this line cannot be read",
            ));
            continue;
        };
        let date_text = row.get(date_col).unwrap_or("").trim();
        let name = row.get(name_col).unwrap_or("").trim();
        let Ok(day) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
            errors.push(
                FieldError::new(
                    &field,
                    "date",
                    format!("{date_text:?} is not a date (YYYY-MM-DD)"),
                )
                .with("line", line),
            );
            continue;
        };
        if name.is_empty()
            || name.chars().count() > 120
            || crate::text::forbidden_char(name, false).is_some()
        {
            errors.push(
                FieldError::new(&field, "name", "give a name of at most 120 characters")
                    .with("line", line),
            );
            continue;
        }
        let kind = match kind_col
            .and_then(|k| row.get(k))
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => HolidayKind::National,
            Some(k) => match HolidayKind::parse(k) {
                Some(k) => k,
                None => {
                    errors.push(
                        FieldError::new(&field, "kind", "kind is national or cuti_bersama")
                            .with("line", line),
                    );
                    continue;
                }
            },
        };
        if out.iter().any(|h| h.day == day) {
            errors.push(
                FieldError::new(&field, "duplicate", format!("{day} is listed twice"))
                    .with("line", line),
            );
            continue;
        }
        out.push(Holiday {
            day,
            name: name.to_string(),
            kind,
        });
    }
    if !errors.is_empty() {
        return Err(Invalid(errors));
    }
    if out.is_empty() {
        return Err(Invalid::one(FieldError::new(
            "file",
            "empty",
            "the file lists no holidays",
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_more_urgent_priority_wins() {
        assert_eq!(
            initial_priority(Priority::Normal, Some(Priority::Urgent)),
            Priority::Urgent
        );
        assert_eq!(
            initial_priority(Priority::High, Some(Priority::Low)),
            Priority::High
        );
        assert_eq!(initial_priority(Priority::Low, None), Priority::Low);
        assert_eq!(priority_label(Priority::Urgent), "P1");
    }

    #[test]
    fn a_holiday_file_reports_every_bad_line() {
        let ok = parse_holidays("tanggal,nama,jenis\n2026-08-17,Hari Kemerdekaan,nasional\n2026-12-24,Cuti Natal,cuti bersama\n")
            .expect("valid");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].kind, HolidayKind::CutiBersama);
        let bad = parse_holidays(
            "date,name\n2026-02-30,Salah\n2026-08-17,\n2026-08-18,A\n2026-08-18,B\n",
        )
        .expect_err("bad lines");
        let fields: Vec<_> = bad
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("line 2", "date"),
                ("line 3", "name"),
                ("line 5", "duplicate")
            ]
        );
        assert!(parse_holidays("x,y\n1,2\n").is_err());
    }

    #[test]
    fn ratings_run_from_one_to_five() {
        assert!(rating("rating", 0).is_err());
        assert_eq!(rating("rating", 5).ok(), Some(5));
    }
}
