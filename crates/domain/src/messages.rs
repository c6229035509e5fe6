//! Messages NetCrew sends outside the app (WhatsApp first): the events that
//! cause them, the variables each event offers, the default wording in
//! Indonesian and English, templates checked before they are saved, quiet
//! hours, and how long a failed send waits before the next try.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What happened, as far as the customer is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageEvent {
    /// A report or a registration was received; the ticket number.
    TicketReceived,
    /// A technician was assigned, with the appointment.
    TechnicianAssigned,
    /// The technician is on the way.
    OnTheWay,
    /// The technician arrived.
    Arrived,
    /// The job waits, and why.
    Pending,
    /// The job is done; please rate it.
    Resolved,
    /// The ticket was cancelled, and why.
    Cancelled,
    /// An outage behind the customer is known and being repaired.
    OutageDeclared,
    /// The outage is repaired.
    OutageResolved,
    /// The day before a visit: reply 1 to confirm, 2 for another day.
    AppointmentReminder,
    // Links and codes to one's account (a link's token and a code are
    // hidden in the delivery log).
    /// A link to choose a new password, asked for on the sign-in page.
    PasswordForgotten,
    /// A link to choose a new password after an admin's reset.
    PasswordReset,
    /// A link to take up a new account.
    Invitation,
    /// A customer's one-time sign-in code, by WhatsApp.
    SignInCode,
    // Staff alerts: the bell's news that may also go by e-mail, WhatsApp
    // or Web Push (see `alerts`).
    StaffTicketCreated,
    StaffTicketAssigned,
    StaffTicketStatus,
    StaffTicketComment,
    StaffTicketRated,
    StaffSlaAtRisk,
    StaffSlaBreached,
    StaffOutageDeclared,
    StaffOutageResolved,
    StaffVisitRescheduled,
    StaffAssignmentTimedOut,
    StaffCrewAdded,
    StaffGatewayProblem,
    StaffLeaveRequested,
    StaffLeaveDecided,
    StaffStockLow,
    StaffMaterialRequested,
    StaffMaterialIssued,
    StaffMaterialRejected,
}

impl MessageEvent {
    /// Every event: the customers' first, then the staff alerts.
    pub const ALL: [MessageEvent; 33] = [
        MessageEvent::TicketReceived,
        MessageEvent::TechnicianAssigned,
        MessageEvent::OnTheWay,
        MessageEvent::Arrived,
        MessageEvent::Pending,
        MessageEvent::Resolved,
        MessageEvent::Cancelled,
        MessageEvent::OutageDeclared,
        MessageEvent::OutageResolved,
        MessageEvent::AppointmentReminder,
        MessageEvent::PasswordForgotten,
        MessageEvent::PasswordReset,
        MessageEvent::Invitation,
        MessageEvent::SignInCode,
        MessageEvent::StaffTicketCreated,
        MessageEvent::StaffTicketAssigned,
        MessageEvent::StaffTicketStatus,
        MessageEvent::StaffTicketComment,
        MessageEvent::StaffTicketRated,
        MessageEvent::StaffSlaAtRisk,
        MessageEvent::StaffSlaBreached,
        MessageEvent::StaffOutageDeclared,
        MessageEvent::StaffOutageResolved,
        MessageEvent::StaffVisitRescheduled,
        MessageEvent::StaffAssignmentTimedOut,
        MessageEvent::StaffCrewAdded,
        MessageEvent::StaffGatewayProblem,
        MessageEvent::StaffLeaveRequested,
        MessageEvent::StaffLeaveDecided,
        MessageEvent::StaffStockLow,
        MessageEvent::StaffMaterialRequested,
        MessageEvent::StaffMaterialIssued,
        MessageEvent::StaffMaterialRejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::TicketReceived => "ticket_received",
            MessageEvent::TechnicianAssigned => "technician_assigned",
            MessageEvent::OnTheWay => "on_the_way",
            MessageEvent::Arrived => "arrived",
            MessageEvent::Pending => "pending",
            MessageEvent::Resolved => "resolved",
            MessageEvent::Cancelled => "cancelled",
            MessageEvent::OutageDeclared => "outage_declared",
            MessageEvent::OutageResolved => "outage_resolved",
            MessageEvent::AppointmentReminder => "appointment_reminder",
            MessageEvent::PasswordForgotten => "password_forgotten",
            MessageEvent::PasswordReset => "password_reset",
            MessageEvent::Invitation => "invitation",
            MessageEvent::SignInCode => "sign_in_code",
            MessageEvent::StaffTicketCreated => "staff_ticket_created",
            MessageEvent::StaffTicketAssigned => "staff_ticket_assigned",
            MessageEvent::StaffTicketStatus => "staff_ticket_status",
            MessageEvent::StaffTicketComment => "staff_ticket_comment",
            MessageEvent::StaffTicketRated => "staff_ticket_rated",
            MessageEvent::StaffSlaAtRisk => "staff_sla_at_risk",
            MessageEvent::StaffSlaBreached => "staff_sla_breached",
            MessageEvent::StaffOutageDeclared => "staff_outage_declared",
            MessageEvent::StaffOutageResolved => "staff_outage_resolved",
            MessageEvent::StaffVisitRescheduled => "staff_visit_rescheduled",
            MessageEvent::StaffAssignmentTimedOut => "staff_assignment_timed_out",
            MessageEvent::StaffCrewAdded => "staff_crew_added",
            MessageEvent::StaffGatewayProblem => "staff_gateway_problem",
            MessageEvent::StaffLeaveRequested => "staff_leave_requested",
            MessageEvent::StaffLeaveDecided => "staff_leave_decided",
            MessageEvent::StaffStockLow => "staff_stock_low",
            MessageEvent::StaffMaterialRequested => "staff_material_requested",
            MessageEvent::StaffMaterialIssued => "staff_material_issued",
            MessageEvent::StaffMaterialRejected => "staff_material_rejected",
        }
    }

    pub fn parse(s: &str) -> Option<MessageEvent> {
        MessageEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The variables a template for this event may use.
    pub fn variables(self) -> &'static [&'static str] {
        const TICKET: &[&str] = &["name", "customer_number", "number", "isp"];
        if let Some(a) = crate::alerts::of(self) {
            return a.variables;
        }
        match self {
            MessageEvent::TicketReceived | MessageEvent::Arrived => TICKET,
            // `link`: the ticket in the portal, with its Berita Acara.
            MessageEvent::Resolved => &["name", "customer_number", "number", "isp", "link"],
            // `link`: the page where the customer follows the technician.
            MessageEvent::OnTheWay => &["name", "customer_number", "number", "isp", "link"],
            MessageEvent::TechnicianAssigned | MessageEvent::AppointmentReminder => &[
                "name",
                "customer_number",
                "number",
                "isp",
                "technician",
                "date",
                "window",
            ],
            MessageEvent::Pending | MessageEvent::Cancelled => {
                &["name", "customer_number", "number", "isp", "reason"]
            }
            MessageEvent::OutageDeclared | MessageEvent::OutageResolved => {
                &["name", "customer_number", "number", "isp", "outage"]
            }
            MessageEvent::PasswordForgotten
            | MessageEvent::PasswordReset
            | MessageEvent::Invitation => &["name", "link", "hours", "isp"],
            MessageEvent::SignInCode => &["code", "minutes", "isp"],
            _ => &[],
        }
    }

    /// The variables its wording must use: a link or a code that is not
    /// in the message would make it useless.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            MessageEvent::PasswordForgotten
            | MessageEvent::PasswordReset
            | MessageEvent::Invitation => &["link"],
            MessageEvent::SignInCode => &["code"],
            _ => &[],
        }
    }

    /// Whether it goes to staff (else to customers).
    pub fn is_staff(self) -> bool {
        crate::alerts::of(self).is_some()
    }

    /// Sent even in quiet hours: the customer is waiting for exactly this.
    pub fn urgent(self) -> bool {
        matches!(
            self,
            MessageEvent::OutageDeclared | MessageEvent::OutageResolved
        )
    }

    /// The wording NetCrew ships with, in `locale` (`id` or `en`).
    pub fn default_template(self, locale: &str) -> &'static str {
        if let Some(a) = crate::alerts::of(self) {
            return a.template(locale);
        }
        let en = locale == "en";
        match (self, en) {
            (MessageEvent::TicketReceived, false) => {
                "Halo {{ name }}, laporan Anda sudah kami terima dengan nomor {{ number }}. Kami akan segera menindaklanjutinya. — {{ isp }}"
            }
            (MessageEvent::TicketReceived, true) => {
                "Hello {{ name }}, we have received your request as {{ number }} and will follow it up shortly. — {{ isp }}"
            }
            (MessageEvent::TechnicianAssigned, false) => {
                "Halo {{ name }}, teknisi {{ technician }} akan menangani {{ number }}{% if date %} pada {{ date }}{% if window %} pukul {{ window }}{% endif %}{% endif %}. — {{ isp }}"
            }
            (MessageEvent::TechnicianAssigned, true) => {
                "Hello {{ name }}, technician {{ technician }} will handle {{ number }}{% if date %} on {{ date }}{% if window %} between {{ window }}{% endif %}{% endif %}. — {{ isp }}"
            }
            (MessageEvent::OnTheWay, false) => {
                "Halo {{ name }}, teknisi kami sedang menuju lokasi Anda untuk {{ number }}.{% if link %} Lihat posisi teknisi: {{ link }}{% endif %} — {{ isp }}"
            }
            (MessageEvent::OnTheWay, true) => {
                "Hello {{ name }}, our technician is on the way to you for {{ number }}.{% if link %} See where the technician is: {{ link }}{% endif %} — {{ isp }}"
            }
            (MessageEvent::Arrived, false) => {
                "Halo {{ name }}, teknisi kami sudah tiba di lokasi Anda untuk {{ number }}. — {{ isp }}"
            }
            (MessageEvent::Arrived, true) => {
                "Hello {{ name }}, our technician has arrived for {{ number }}. — {{ isp }}"
            }
            (MessageEvent::Pending, false) => {
                "Halo {{ name }}, {{ number }} sedang menunggu: {{ reason }}. Kami akan mengabari Anda. — {{ isp }}"
            }
            (MessageEvent::Pending, true) => {
                "Hello {{ name }}, {{ number }} is waiting: {{ reason }}. We will keep you posted. — {{ isp }}"
            }
            (MessageEvent::Resolved, false) => {
                "Halo {{ name }}, {{ number }} sudah selesai.{% if link %} Berita acara pekerjaan: {{ link }}{% endif %} Bagaimana kunjungan kami? Balas dengan angka 1 (buruk) sampai 5 (sangat baik). Terima kasih! — {{ isp }}"
            }
            (MessageEvent::Resolved, true) => {
                "Hello {{ name }}, {{ number }} is done.{% if link %} The job's Berita Acara: {{ link }}{% endif %} How was our visit? Reply with a number from 1 (poor) to 5 (excellent). Thank you! — {{ isp }}"
            }
            (MessageEvent::AppointmentReminder, false) => {
                "Halo {{ name }}, besok{% if date %} ({{ date }}){% endif %}{% if window %} pukul {{ window }}{% endif %} teknisi {{ technician }} akan datang untuk {{ number }}. Balas 1 jika jadwal sesuai, atau 2 jika ingin jadwal lain. — {{ isp }}"
            }
            (MessageEvent::AppointmentReminder, true) => {
                "Hello {{ name }}, tomorrow{% if date %} ({{ date }}){% endif %}{% if window %} between {{ window }}{% endif %} technician {{ technician }} will come for {{ number }}. Reply 1 if that suits you, or 2 for another day. — {{ isp }}"
            }
            (MessageEvent::Cancelled, false) => {
                "Halo {{ name }}, {{ number }} dibatalkan: {{ reason }}. — {{ isp }}"
            }
            (MessageEvent::Cancelled, true) => {
                "Hello {{ name }}, {{ number }} was cancelled: {{ reason }}. — {{ isp }}"
            }
            (MessageEvent::OutageDeclared, false) => {
                "Halo {{ name }}, ada gangguan jaringan di area Anda ({{ outage }}) dan sedang kami perbaiki. Laporan Anda {{ number }} ikut kami tangani. — {{ isp }}"
            }
            (MessageEvent::OutageDeclared, true) => {
                "Hello {{ name }}, there is a network outage in your area ({{ outage }}) and we are repairing it. Your report {{ number }} is part of it. — {{ isp }}"
            }
            (MessageEvent::OutageResolved, false) => {
                "Halo {{ name }}, gangguan jaringan ({{ outage }}) sudah diperbaiki. Jika internet Anda masih bermasalah, balas pesan ini. — {{ isp }}"
            }
            (MessageEvent::OutageResolved, true) => {
                "Hello {{ name }}, the network outage ({{ outage }}) is repaired. If your internet still has trouble, reply to this message. — {{ isp }}"
            }
            (MessageEvent::PasswordForgotten, false) => {
                "Halo {{ name }},\n\nAda permintaan untuk mengatur ulang kata sandi akun Anda. Jika bukan Anda yang meminta, abaikan pesan ini; kata sandi lama tetap berlaku.\n\n{{ link }}\n\nTautan hanya berlaku sekali, selama {{ hours }} jam. Jangan berikan kepada siapa pun.\n\n{{ isp }}"
            }
            (MessageEvent::PasswordForgotten, true) => {
                "Hello {{ name }},\n\nSomeone asked to reset the password of your account. If it was not you, ignore this message; your password stays as it is.\n\n{{ link }}\n\nThe link works once, for {{ hours }} hours. Do not pass it on.\n\n{{ isp }}"
            }
            (MessageEvent::PasswordReset, false) => {
                "Halo {{ name }},\n\nAdmin mengatur ulang kata sandi akun Anda. Buat kata sandi baru lewat tautan ini.\n\n{{ link }}\n\nTautan hanya berlaku sekali, selama {{ hours }} jam. Jangan berikan kepada siapa pun.\n\n{{ isp }}"
            }
            (MessageEvent::PasswordReset, true) => {
                "Hello {{ name }},\n\nAn admin reset the password of your account. Choose a new one with this link.\n\n{{ link }}\n\nThe link works once, for {{ hours }} hours. Do not pass it on.\n\n{{ isp }}"
            }
            (MessageEvent::Invitation, false) => {
                "Halo {{ name }},\n\nAkun NetCrew sudah dibuat untuk Anda. Buat kata sandi Anda lewat tautan ini.\n\n{{ link }}\n\nTautan hanya berlaku sekali, selama {{ hours }} jam. Jangan berikan kepada siapa pun.\n\n{{ isp }}"
            }
            (MessageEvent::Invitation, true) => {
                "Hello {{ name }},\n\nA NetCrew account was made for you. Choose your password with this link.\n\n{{ link }}\n\nThe link works once, for {{ hours }} hours. Do not pass it on.\n\n{{ isp }}"
            }
            (MessageEvent::SignInCode, false) => {
                "{{ code }} adalah kode masuk {{ isp }} Anda. Berlaku sekali, selama {{ minutes }} menit. Jangan berikan kepada siapa pun, termasuk petugas kami."
            }
            (MessageEvent::SignInCode, true) => {
                "{{ code }} is your {{ isp }} sign-in code. It works once, for {{ minutes }} minutes. Never give it to anyone, not even our staff."
            }
            _ => "",
        }
    }
}

/// The WhatsApp gateways NetCrew speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatewayKind {
    /// Fonnte (api.fonnte.com).
    Fonnte,
    /// Wablas (the ISP's Wablas server, e.g. `https://jogja.wablas.com`).
    Wablas,
    /// The official WhatsApp Business Cloud API (Meta): approved templates
    /// outside the 24-hour window, signed webhooks.
    Cloud,
}

impl GatewayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayKind::Fonnte => "fonnte",
            GatewayKind::Wablas => "wablas",
            GatewayKind::Cloud => "cloud",
        }
    }
}

/// How NetCrew's connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// A plain connection upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// A link to an account sent to its person: to set a password after an
/// admin's reset or on their own request, or to take up an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountLink {
    /// Asked for on the sign-in page ("forgot password").
    PasswordForgotten,
    /// An admin reset the password.
    PasswordReset,
    /// A new account: set your password.
    Invitation,
}

impl AccountLink {
    /// The outbox event name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountLink::PasswordForgotten => "password_forgotten",
            AccountLink::PasswordReset => "password_reset",
            AccountLink::Invitation => "invitation",
        }
    }

    /// Its wording's event (the admin may change the text).
    pub fn event(self) -> MessageEvent {
        match self {
            AccountLink::PasswordForgotten => MessageEvent::PasswordForgotten,
            AccountLink::PasswordReset => MessageEvent::PasswordReset,
            AccountLink::Invitation => MessageEvent::Invitation,
        }
    }

    /// The e-mail's subject in `locale` (`id` or `en`), for `isp`.
    pub fn subject(self, locale: &str, isp: &str) -> String {
        match (self, locale == "en") {
            (AccountLink::PasswordForgotten, false) => format!("Atur ulang kata sandi {isp}"),
            (AccountLink::PasswordForgotten, true) => format!("Reset your {isp} password"),
            (AccountLink::PasswordReset, false) => format!("Kata sandi {isp} Anda diatur ulang"),
            (AccountLink::PasswordReset, true) => format!("Your {isp} password was reset"),
            (AccountLink::Invitation, false) => format!("Undangan ke {isp}"),
            (AccountLink::Invitation, true) => format!("Your invitation to {isp}"),
        }
    }
}

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadTemplate {
    #[error("the template is empty")]
    Empty,
    #[error("the template is longer than {0} characters")]
    TooLong(usize),
    #[error("the template cannot be read: {0}")]
    Syntax(String),
    #[error("the template uses {0}, which this event does not offer")]
    UnknownVariable(String),
    #[error("the template must use {{{{ {0} }}}}: without it the message is useless")]
    MissingVariable(String),
}

/// The longest template (WhatsApp takes 4,096 characters per message).
pub const TEMPLATE_MAX: usize = 1000;

/// The longest message made (WhatsApp takes 4,096 characters).
pub const MESSAGE_MAX: usize = 4096;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    // A template's work is bounded: loops over loops cannot stall a write.
    env.set_fuel(Some(20_000));
    env
}

/// Checks a template for `event`: it must parse and use only the event's
/// variables.
pub fn check_template(event: MessageEvent, source: &str) -> Result<(), BadTemplate> {
    if source.trim().is_empty() {
        return Err(BadTemplate::Empty);
    }
    if source.chars().count() > TEMPLATE_MAX {
        return Err(BadTemplate::TooLong(TEMPLATE_MAX));
    }
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| BadTemplate::Syntax(e.to_string()))?;
    let used = template.undeclared_variables(false);
    if let Some(missing) = event.required().iter().find(|v| !used.contains(**v)) {
        return Err(BadTemplate::MissingVariable((*missing).to_string()));
    }
    let mut unknown: Vec<String> = used
        .into_iter()
        .filter(|v| !event.variables().contains(&v.as_str()))
        .collect();
    unknown.sort();
    match unknown.into_iter().next() {
        Some(v) => Err(BadTemplate::UnknownVariable(v)),
        None => Ok(()),
    }
}

/// The message `source` makes with `vars`, a flat JSON object (a checked
/// template; a variable without a value renders as nothing).
pub fn render(source: &str, vars: &serde_json::Value) -> Result<String, BadTemplate> {
    let env = environment();
    let context: std::collections::BTreeMap<String, Value> = vars
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let text = match v {
                serde_json::Value::Null => return None,
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((k.clone(), Value::from(text)))
        })
        .collect();
    let out = env
        .render_str(source, Value::from(context))
        .map_err(|e| BadTemplate::Syntax(e.to_string()))?;
    let out = out.trim();
    if out.chars().count() > MESSAGE_MAX {
        return Err(BadTemplate::TooLong(MESSAGE_MAX));
    }
    Ok(out.to_string())
}

/// When messages to customers are held back (local time). `start` after
/// `end` spans midnight, as quiet hours do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// 21:00 to 07:00.
    pub fn night() -> QuietHours {
        QuietHours {
            start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
        }
    }

    fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

/// When a message made at `now` (local time) may go: now, or when the
/// quiet hours end. Urgent messages are never held.
pub fn send_at(now: NaiveDateTime, quiet: Option<QuietHours>, urgent: bool) -> NaiveDateTime {
    let Some(q) = quiet.filter(|_| !urgent) else {
        return now;
    };
    if !q.contains(now.time()) {
        return now;
    }
    let end_today = now.date().and_time(q.end);
    if end_today > now {
        end_today
    } else {
        end_today + Duration::days(1)
    }
}

/// How many times a message is tried before it fails for good.
pub const MAX_ATTEMPTS: i32 = 6;

/// How long to wait after the `attempt`-th failed try (1-based); `None`
/// after the last.
pub fn backoff(attempt: i32) -> Option<Duration> {
    match attempt {
        1 => Some(Duration::minutes(1)),
        2 => Some(Duration::minutes(5)),
        3 => Some(Duration::minutes(30)),
        4 => Some(Duration::hours(2)),
        5 => Some(Duration::hours(6)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    #[test]
    fn every_default_template_is_valid_for_its_event_in_both_languages() {
        for e in MessageEvent::ALL {
            for locale in ["id", "en"] {
                let t = e.default_template(locale);
                assert_eq!(check_template(e, t), Ok(()), "{} {locale}", e.as_str());
            }
            assert_eq!(MessageEvent::parse(e.as_str()), Some(e));
        }
    }

    #[test]
    fn templates_render_the_events_variables() {
        let vars = json!({"name": "Budi", "number": "TRB-2026-000001", "isp": "NetFiber",
            "technician": "Andi", "date": "2026-11-30", "window": "08:00-12:00"});
        let text = render(
            MessageEvent::TechnicianAssigned.default_template("id"),
            &vars,
        )
        .expect("renders");
        assert_eq!(
            text,
            "Halo Budi, teknisi Andi akan menangani TRB-2026-000001 pada 2026-11-30 pukul 08:00-12:00. — NetFiber"
        );
        let no_date = render(
            MessageEvent::TechnicianAssigned.default_template("en"),
            &json!({"name": "Budi", "number": "X", "isp": "N", "technician": "Andi"}),
        )
        .expect("renders");
        assert_eq!(no_date, "Hello Budi, technician Andi will handle X. — N");
    }

    #[test]
    fn a_template_with_an_unknown_variable_or_bad_syntax_is_refused() {
        assert_eq!(
            check_template(MessageEvent::Arrived, "Halo {{ name }}, {{ technician }}"),
            Err(BadTemplate::UnknownVariable("technician".to_string()))
        );
        assert!(matches!(
            check_template(MessageEvent::Arrived, "Halo {{ name "),
            Err(BadTemplate::Syntax(_))
        ));
        assert_eq!(
            check_template(MessageEvent::Arrived, "  "),
            Err(BadTemplate::Empty)
        );
        assert!(check_template(MessageEvent::Arrived, &"x".repeat(TEMPLATE_MAX + 1)).is_err());
    }

    #[test]
    fn a_link_or_code_wording_must_keep_its_link_or_code() {
        assert_eq!(
            check_template(
                MessageEvent::PasswordReset,
                "Halo {{ name }}, hubungi admin."
            ),
            Err(BadTemplate::MissingVariable("link".to_string()))
        );
        assert_eq!(
            check_template(MessageEvent::SignInCode, "Kode Anda dari {{ isp }}"),
            Err(BadTemplate::MissingVariable("code".to_string()))
        );
        assert!(check_template(MessageEvent::SignInCode, "Kode {{ code }}").is_ok());
        let text = render(
            MessageEvent::Invitation.default_template("id"),
            &json!({"name": "Sari", "link": "https://x/reset-password?token=abc", "hours": 72, "isp": "NetFiber"}),
        )
        .expect("render");
        assert!(text.starts_with("Halo Sari,\n\n"), "{text}");
        assert!(text.contains("https://x/reset-password?token=abc"));
        assert!(text.contains("selama 72 jam"));
        assert!(text.ends_with("NetFiber"));
        assert_eq!(
            AccountLink::Invitation.subject("en", "NetFiber"),
            "Your invitation to NetFiber"
        );
    }

    #[test]
    fn a_job_finished_on_site_links_its_berita_acara() {
        assert!(MessageEvent::Resolved.variables().contains(&"link"));
        let with = json!({"name": "Budi", "number": "INS-2026-000001", "isp": "NetFiber",
            "link": "https://x/account/tickets/1"});
        let id = render(MessageEvent::Resolved.default_template("id"), &with).expect("renders");
        assert!(
            id.contains(
                "sudah selesai. Berita acara pekerjaan: https://x/account/tickets/1 Bagaimana"
            ),
            "{id}"
        );
        // Settled without a visit: no Berita Acara, no link.
        let without = render(
            MessageEvent::Resolved.default_template("en"),
            &json!({"name": "Budi", "number": "X", "isp": "N"}),
        )
        .expect("renders");
        assert!(
            without.starts_with("Hello Budi, X is done. How was our visit?"),
            "{without}"
        );
    }

    #[test]
    fn on_the_way_carries_the_tracking_link() {
        assert_eq!(
            MessageEvent::OnTheWay.variables(),
            &["name", "customer_number", "number", "isp", "link"]
        );
        assert_eq!(
            MessageEvent::Arrived.variables(),
            &["name", "customer_number", "number", "isp"]
        );
        // The link is offered, not required: a wording without it still works.
        assert!(MessageEvent::OnTheWay.required().is_empty());
        assert!(check_template(MessageEvent::OnTheWay, "Halo {{ name }}").is_ok());
        let vars = json!({"name": "Budi", "number": "TRB-2026-000001", "isp": "NetFiber",
            "link": "https://x/track/abc"});
        let id = render(MessageEvent::OnTheWay.default_template("id"), &vars).expect("renders");
        assert_eq!(
            id,
            "Halo Budi, teknisi kami sedang menuju lokasi Anda untuk TRB-2026-000001. Lihat posisi teknisi: https://x/track/abc — NetFiber"
        );
        let en = render(MessageEvent::OnTheWay.default_template("en"), &vars).expect("renders");
        assert!(
            en.contains("See where the technician is: https://x/track/abc "),
            "{en}"
        );
        let without = render(
            MessageEvent::OnTheWay.default_template("id"),
            &json!({"name": "Budi", "number": "X", "isp": "N"}),
        )
        .expect("renders");
        assert_eq!(
            without,
            "Halo Budi, teknisi kami sedang menuju lokasi Anda untuk X. — N"
        );
    }

    #[test]
    fn a_runaway_template_stops_instead_of_stalling() {
        let nested = "{% for a in reason %}{% for b in reason %}{% for c in reason %}x{% endfor %}{% endfor %}{% endfor %}";
        assert_eq!(check_template(MessageEvent::Pending, nested), Ok(()));
        let long = "y".repeat(400);
        assert!(render(nested, &json!({"reason": long})).is_err());
    }

    #[test]
    fn quiet_hours_hold_messages_until_morning_but_not_outages() {
        let q = Some(QuietHours::night());
        assert_eq!(send_at(at(14, 0), q, false), at(14, 0));
        assert_eq!(send_at(at(3, 30), q, false), at(7, 0));
        let late = send_at(at(22, 15), q, false);
        assert_eq!(late, at(7, 0) + Duration::days(1));
        assert_eq!(send_at(at(22, 15), q, true), at(22, 15));
        assert_eq!(send_at(at(22, 15), None, false), at(22, 15));
        assert_eq!(send_at(at(7, 0), q, false), at(7, 0));
    }

    #[test]
    fn retries_back_off_and_end() {
        let waits: Vec<_> = (1..=MAX_ATTEMPTS).map(backoff).collect();
        assert!(waits[..5].windows(2).all(|w| w[0] < w[1]));
        assert_eq!(waits[5], None);
    }
}
