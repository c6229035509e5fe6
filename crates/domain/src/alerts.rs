//! Staff alerts beyond the app: which of the bell's notifications may also
//! go by e-mail, WhatsApp or Web Push, to which roles by default, with which
//! variables, and in what words (Indonesian and English). The in-app bell
//! always has every notification; these channels are on top of it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Role, messages::MessageEvent};

/// A channel a staff alert can take besides the bell.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertChannel {
    Email,
    Whatsapp,
    /// Web Push to the person's phones and browsers that allowed it.
    Push,
}

impl AlertChannel {
    pub const ALL: [AlertChannel; 3] = [
        AlertChannel::Email,
        AlertChannel::Whatsapp,
        AlertChannel::Push,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertChannel::Email => "email",
            AlertChannel::Whatsapp => "whatsapp",
            AlertChannel::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<AlertChannel> {
        AlertChannel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The roles of staff (everyone but customers).
pub const STAFF_ROLES: [Role; 6] = [
    Role::Admin,
    Role::Supervisor,
    Role::Cs,
    Role::Technician,
    Role::Management,
    Role::Warehouse,
];

/// One kind of staff alert.
#[derive(Debug)]
pub struct StaffAlert {
    pub event: MessageEvent,
    /// The bell's notification kind it goes with.
    pub kind: &'static str,
    /// The variables its wording may use (`name` is the recipient's,
    /// `isp` the sender name).
    pub variables: &'static [&'static str],
    /// The roles it reaches, each with the channels it takes unless the
    /// admin or the person chose otherwise.
    pub defaults: &'static [(Role, &'static [AlertChannel])],
    pub id: &'static str,
    pub en: &'static str,
}

use AlertChannel::{Email, Push, Whatsapp};

const PUSH: &[AlertChannel] = &[Push];

/// Every staff alert. Out of the box WhatsApp carries only a missed SLA
/// to supervisors: the gateways' quota is the customers' first.
pub const STAFF_ALERTS: [StaffAlert; 19] = [
    StaffAlert {
        event: MessageEvent::StaffTicketCreated,
        kind: "ticket_created",
        variables: &["name", "isp", "number", "kind", "priority"],
        defaults: &[(Role::Supervisor, PUSH), (Role::Management, &[])],
        id: "Tiket baru {{ number }}: {{ kind }} ({{ priority }}).",
        en: "New ticket {{ number }}: {{ kind }} ({{ priority }}).",
    },
    StaffAlert {
        event: MessageEvent::StaffTicketAssigned,
        kind: "ticket_assigned",
        variables: &["name", "isp", "number", "by"],
        defaults: &[(Role::Technician, PUSH)],
        id: "{{ number }} ditugaskan kepada Anda oleh {{ by }}.",
        en: "{{ number }} was assigned to you by {{ by }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffTicketStatus,
        kind: "ticket_status",
        variables: &["name", "isp", "number", "status", "by"],
        defaults: &[(Role::Supervisor, &[])],
        id: "{{ number }} sekarang {{ status }} (oleh {{ by }}).",
        en: "{{ number }} is now {{ status }} (by {{ by }}).",
    },
    StaffAlert {
        event: MessageEvent::StaffTicketComment,
        kind: "ticket_comment",
        variables: &["name", "isp", "number", "by"],
        defaults: &[
            (Role::Supervisor, PUSH),
            (Role::Cs, PUSH),
            (Role::Technician, PUSH),
        ],
        id: "{{ by }} mengomentari {{ number }}.",
        en: "{{ by }} commented on {{ number }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffTicketRated,
        kind: "ticket_rated",
        variables: &["name", "isp", "number", "rating"],
        defaults: &[(Role::Supervisor, &[]), (Role::Technician, PUSH)],
        id: "{{ number }} dinilai {{ rating }} dari 5.",
        en: "{{ number }} was rated {{ rating }} out of 5.",
    },
    StaffAlert {
        event: MessageEvent::StaffSlaAtRisk,
        kind: "sla_at_risk",
        variables: &["name", "isp", "number", "target", "due", "priority"],
        defaults: &[
            (Role::Supervisor, PUSH),
            (Role::Technician, PUSH),
            (Role::Management, &[]),
        ],
        id: "SLA {{ target }} {{ number }} ({{ priority }}) berisiko terlewat{% if due %}: batas {{ due }}{% endif %}.",
        en: "The {{ target }} SLA of {{ number }} ({{ priority }}) is at risk{% if due %}: due {{ due }}{% endif %}.",
    },
    StaffAlert {
        event: MessageEvent::StaffSlaBreached,
        kind: "sla_breached",
        variables: &["name", "isp", "number", "target", "due", "priority"],
        defaults: &[
            (Role::Supervisor, &[Push, Email, Whatsapp]),
            (Role::Technician, PUSH),
            (Role::Management, &[Email]),
        ],
        id: "SLA {{ target }} {{ number }} ({{ priority }}) terlewat{% if due %} (batas {{ due }}){% endif %}.",
        en: "The {{ target }} SLA of {{ number }} ({{ priority }}) was missed{% if due %} (due {{ due }}){% endif %}.",
    },
    StaffAlert {
        event: MessageEvent::StaffOutageDeclared,
        kind: "outage_declared",
        variables: &["name", "isp", "number", "title"],
        defaults: &[
            (Role::Supervisor, PUSH),
            (Role::Cs, PUSH),
            (Role::Technician, PUSH),
            (Role::Management, &[Email]),
        ],
        id: "Gangguan massal {{ number }} diumumkan: {{ title }}.",
        en: "Outage {{ number }} declared: {{ title }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffOutageResolved,
        kind: "outage_resolved",
        variables: &["name", "isp", "number", "title"],
        defaults: &[
            (Role::Supervisor, PUSH),
            (Role::Cs, PUSH),
            (Role::Technician, PUSH),
            (Role::Management, &[Email]),
        ],
        id: "Gangguan massal {{ number }} sudah pulih: {{ title }}.",
        en: "Outage {{ number }} is over: {{ title }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffVisitRescheduled,
        kind: "visit_rescheduled",
        variables: &["name", "isp", "number", "by"],
        defaults: &[(Role::Supervisor, PUSH), (Role::Cs, PUSH)],
        id: "{{ by }} minta jadwal lain untuk {{ number }} lewat WhatsApp.",
        en: "{{ by }} asked for another day for {{ number }} on WhatsApp.",
    },
    StaffAlert {
        event: MessageEvent::StaffAssignmentTimedOut,
        kind: "assignment_timed_out",
        variables: &["name", "isp", "number", "minutes"],
        defaults: &[(Role::Supervisor, PUSH)],
        id: "{{ number }} tidak diterima dalam {{ minutes }} menit dan kembali ke antrean.",
        en: "{{ number }} was not accepted within {{ minutes }} minutes and is back in the queue.",
    },
    StaffAlert {
        event: MessageEvent::StaffCrewAdded,
        kind: "crew_added",
        variables: &["name", "isp", "number", "by"],
        defaults: &[(Role::Technician, PUSH)],
        id: "{{ by }} menambahkan Anda ke tim {{ number }}.",
        en: "{{ by }} added you to the crew of {{ number }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffGatewayProblem,
        kind: "gateway_problem",
        variables: &["name", "isp", "provider", "reason"],
        defaults: &[(Role::Admin, &[Email, Push])],
        id: "Gateway WhatsApp {{ provider }} perlu diperiksa: {{ reason }}",
        en: "The WhatsApp gateway {{ provider }} needs attention: {{ reason }}",
    },
    StaffAlert {
        event: MessageEvent::StaffLeaveRequested,
        kind: "leave_requested",
        variables: &["name", "isp", "technician", "kind", "from", "to"],
        defaults: &[(Role::Supervisor, &[Push, Email])],
        id: "{{ technician }} mengajukan {{ kind }}: {{ from }} s.d. {{ to }}.",
        en: "{{ technician }} asked for {{ kind }}: {{ from }} to {{ to }}.",
    },
    StaffAlert {
        event: MessageEvent::StaffLeaveDecided,
        kind: "leave_decided",
        variables: &["name", "isp", "status", "from", "to", "by", "note"],
        defaults: &[(Role::Technician, PUSH)],
        id: "Pengajuan cuti/sakit Anda untuk {{ from }} s.d. {{ to }} {{ status }} oleh {{ by }}{% if note %}: {{ note }}{% endif %}.",
        en: "Your leave for {{ from }} to {{ to }} was {{ status }} by {{ by }}{% if note %}: {{ note }}{% endif %}.",
    },
    StaffAlert {
        event: MessageEvent::StaffStockLow,
        kind: "stock_low",
        variables: &[
            "name", "isp", "item", "location", "quantity", "minimum", "unit",
        ],
        defaults: &[
            (Role::Warehouse, &[Push, Email]),
            (Role::Admin, &[]),
            (Role::Supervisor, &[]),
        ],
        id: "Stok {{ item }} di {{ location }} tinggal {{ quantity }} {{ unit }} (batas {{ minimum }}).",
        en: "{{ item }} at {{ location }} is down to {{ quantity }} {{ unit }} (minimum {{ minimum }}).",
    },
    StaffAlert {
        event: MessageEvent::StaffMaterialRequested,
        kind: "material_requested",
        variables: &["name", "isp", "technician", "lines"],
        defaults: &[(Role::Warehouse, PUSH)],
        id: "{{ technician }} meminta material dari gudang ({{ lines }} baris).",
        en: "{{ technician }} asked the store for material ({{ lines }} lines).",
    },
    StaffAlert {
        event: MessageEvent::StaffMaterialIssued,
        kind: "material_issued",
        variables: &["name", "isp", "note"],
        defaults: &[(Role::Technician, PUSH)],
        id: "Material yang Anda minta sudah dikeluarkan gudang{% if note %}: {{ note }}{% endif %}.",
        en: "The store issued the material you asked for{% if note %}: {{ note }}{% endif %}.",
    },
    StaffAlert {
        event: MessageEvent::StaffMaterialRejected,
        kind: "material_rejected",
        variables: &["name", "isp", "note"],
        defaults: &[(Role::Technician, PUSH)],
        id: "Permintaan material Anda ditolak gudang{% if note %}: {{ note }}{% endif %}.",
        en: "The store turned down your material request{% if note %}: {{ note }}{% endif %}.",
    },
];

/// The staff alert of `event` (`None`: a message to customers).
pub fn of(event: MessageEvent) -> Option<&'static StaffAlert> {
    STAFF_ALERTS.iter().find(|a| a.event == event)
}

/// The staff alert that goes with the bell's notification `kind`.
pub fn for_kind(kind: &str) -> Option<&'static StaffAlert> {
    STAFF_ALERTS.iter().find(|a| a.kind == kind)
}

impl StaffAlert {
    /// Whether `role` can receive it at all.
    pub fn reaches(&self, role: Role) -> bool {
        self.defaults.iter().any(|(r, _)| *r == role)
    }

    /// The channels `role` gets it by unless someone chose otherwise.
    pub fn default_channels(&self, role: Role) -> &'static [AlertChannel] {
        self.defaults
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(&[], |(_, c)| c)
    }

    /// The wording NetCrew ships with.
    pub fn template(&self, locale: &str) -> &'static str {
        if locale == "en" { self.en } else { self.id }
    }
}

/// A code in a notification's data in words, in `locale`: ticket kinds and
/// statuses, SLA targets, leave kinds and decisions. Other values stay.
pub fn words(variable: &str, code: &str, locale: &str) -> Option<&'static str> {
    let en = locale == "en";
    let pick = |id: &'static str, e: &'static str| Some(if en { e } else { id });
    match (variable, code) {
        ("kind", "installation") => pick("pemasangan baru", "new installation"),
        ("kind", "repair") => pick("perbaikan", "repair"),
        ("kind", "upgrade") => pick("ganti paket", "upgrade"),
        ("kind", "relocation") => pick("pindah alamat", "relocation"),
        ("kind", "dismantle") => pick("pencabutan", "dismantle"),
        ("kind", "leave") => pick("cuti", "leave"),
        ("kind", "sick") => pick("sakit", "sick leave"),
        ("status", "new") => pick("baru", "new"),
        ("status", "assigned") => pick("ditugaskan", "assigned"),
        ("status", "accepted") => pick("diterima", "accepted"),
        ("status", "en_route") => pick("dalam perjalanan", "on the way"),
        ("status", "on_site") => pick("di lokasi", "on site"),
        ("status", "pending") => pick("tertunda", "pending"),
        ("status", "resolved") => pick("selesai", "resolved"),
        ("status", "closed") => pick("ditutup", "closed"),
        ("status", "cancelled") => pick("dibatalkan", "cancelled"),
        ("status", "reopened") => pick("dibuka lagi", "reopened"),
        ("status", "approved") => pick("disetujui", "approved"),
        ("status", "rejected") => pick("ditolak", "turned down"),
        ("target", "response") => pick("respons", "response"),
        ("target", "resolution") => pick("penyelesaian", "resolution"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{check_template, render};
    use serde_json::json;

    #[test]
    fn every_alert_is_a_staff_event_with_a_wording_that_checks() {
        for a in &STAFF_ALERTS {
            assert!(a.event.as_str().starts_with("staff_"), "{:?}", a.event);
            assert_eq!(of(a.event).map(|x| x.kind), Some(a.kind));
            assert!(!a.defaults.is_empty(), "{} reaches nobody", a.kind);
            for (role, _) in a.defaults {
                assert!(role.is_staff());
            }
            for locale in ["id", "en"] {
                check_template(a.event, a.template(locale))
                    .unwrap_or_else(|e| panic!("{} {locale}: {e}", a.kind));
            }
        }
        assert!(for_kind("ticket_status").is_some());
        assert!(for_kind("no_such_kind").is_none());
        assert!(of(MessageEvent::Resolved).is_none());
    }

    #[test]
    fn a_stock_alert_reads_whole_in_both_languages() {
        let a = for_kind("stock_low").expect("alert");
        let vars = json!({"item": "Kabel drop 1 core", "location": "Gudang Pusat",
            "quantity": 120, "minimum": 500, "unit": "m"});
        assert_eq!(
            render(a.template("id"), &vars).expect("render"),
            "Stok Kabel drop 1 core di Gudang Pusat tinggal 120 m (batas 500)."
        );
        assert_eq!(
            render(a.template("en"), &vars).expect("render"),
            "Kabel drop 1 core at Gudang Pusat is down to 120 m (minimum 500)."
        );
    }

    #[test]
    fn only_the_roles_named_are_reached_and_channels_parse_back() {
        let a = for_kind("ticket_assigned").expect("alert");
        assert!(a.reaches(Role::Technician));
        assert!(!a.reaches(Role::Warehouse));
        assert_eq!(a.default_channels(Role::Warehouse), &[] as &[AlertChannel]);
        for c in AlertChannel::ALL {
            assert_eq!(AlertChannel::parse(c.as_str()), Some(c));
        }
        assert_eq!(words("status", "en_route", "id"), Some("dalam perjalanan"));
        assert_eq!(words("status", "zzz", "id"), None);
    }
}
