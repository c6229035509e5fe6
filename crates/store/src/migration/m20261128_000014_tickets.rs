//! Tickets and what runs beside them:
//!
//! - each area's service calendar (time zone, 24/7 or business hours);
//! - `holidays` (national holidays and cuti bersama, seeded for 2026 and
//!   2027), `pause_reasons` (which stop the clock), `sla_policies` (targets
//!   per service type and priority);
//! - `tickets`, their `ticket_pauses`, timeline (`ticket_events`),
//!   `ticket_comments`, `ticket_attachments` and `sla_escalations` (one row
//!   per warning given, so a restart never gives one twice);
//! - `outages`, which gather the repair tickets behind one element;
//! - `feed_events`, the numbered change feed behind `GET /events`, and
//!   `notifications`, the in-app bell.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn uid(name: &str) -> ColumnDef {
    uuid(a(name)).to_owned()
}

fn uid_null(name: &str) -> ColumnDef {
    uuid_null(a(name)).to_owned()
}

fn text(name: &str) -> ColumnDef {
    string(a(name)).to_owned()
}

fn text_null(name: &str) -> ColumnDef {
    string_null(a(name)).to_owned()
}

fn when(name: &str) -> ColumnDef {
    timestamp_with_time_zone(a(name)).to_owned()
}

fn when_null(name: &str) -> ColumnDef {
    timestamp_with_time_zone_null(a(name)).to_owned()
}

fn int(name: &str) -> ColumnDef {
    integer(a(name)).to_owned()
}

fn int_null(name: &str) -> ColumnDef {
    integer_null(a(name)).to_owned()
}

fn flag(name: &str, default: bool) -> ColumnDef {
    boolean(a(name)).default(default).to_owned()
}

fn long_text(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).text().not_null().to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    table: &str,
    name: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

/// Indonesian national holidays and cuti bersama as decreed for 2026 and
/// expected for 2027 (the dates of the lunar holidays follow the official
/// decree; the admin corrects or imports the list when it is published).
pub const HOLIDAYS: &[(&str, &str, &str)] = &[
    ("2026-01-01", "Tahun Baru 2026 Masehi", "national"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", "national"),
    (
        "2026-02-16",
        "Cuti bersama Tahun Baru Imlek",
        "cuti_bersama",
    ),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", "national"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi", "cuti_bersama"),
    (
        "2026-03-19",
        "Hari Suci Nyepi Tahun Baru Saka 1948",
        "national",
    ),
    (
        "2026-03-20",
        "Cuti bersama Idulfitri 1447 H",
        "cuti_bersama",
    ),
    ("2026-03-21", "Idulfitri 1447 H", "national"),
    ("2026-03-22", "Idulfitri 1447 H", "national"),
    (
        "2026-03-23",
        "Cuti bersama Idulfitri 1447 H",
        "cuti_bersama",
    ),
    (
        "2026-03-24",
        "Cuti bersama Idulfitri 1447 H",
        "cuti_bersama",
    ),
    ("2026-04-03", "Wafat Yesus Kristus", "national"),
    (
        "2026-04-05",
        "Kebangkitan Yesus Kristus (Paskah)",
        "national",
    ),
    ("2026-05-01", "Hari Buruh Internasional", "national"),
    ("2026-05-14", "Kenaikan Yesus Kristus", "national"),
    (
        "2026-05-15",
        "Cuti bersama Kenaikan Yesus Kristus",
        "cuti_bersama",
    ),
    ("2026-05-27", "Iduladha 1447 H", "national"),
    ("2026-05-28", "Cuti bersama Iduladha 1447 H", "cuti_bersama"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE", "national"),
    ("2026-06-01", "Hari Lahir Pancasila", "national"),
    (
        "2026-06-16",
        "1 Muharam Tahun Baru Islam 1448 H",
        "national",
    ),
    ("2026-08-17", "Hari Proklamasi Kemerdekaan RI", "national"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW", "national"),
    ("2026-12-24", "Cuti bersama Hari Raya Natal", "cuti_bersama"),
    ("2026-12-25", "Hari Raya Natal", "national"),
    ("2027-01-01", "Tahun Baru 2027 Masehi", "national"),
    ("2027-01-05", "Isra Mikraj Nabi Muhammad SAW", "national"),
    ("2027-02-06", "Tahun Baru Imlek 2578 Kongzili", "national"),
    (
        "2027-03-08",
        "Hari Suci Nyepi Tahun Baru Saka 1949",
        "national",
    ),
    ("2027-03-10", "Idulfitri 1448 H", "national"),
    ("2027-03-11", "Idulfitri 1448 H", "national"),
    (
        "2027-03-12",
        "Cuti bersama Idulfitri 1448 H",
        "cuti_bersama",
    ),
    ("2027-03-26", "Wafat Yesus Kristus", "national"),
    (
        "2027-03-28",
        "Kebangkitan Yesus Kristus (Paskah)",
        "national",
    ),
    ("2027-05-01", "Hari Buruh Internasional", "national"),
    ("2027-05-06", "Kenaikan Yesus Kristus", "national"),
    ("2027-05-17", "Iduladha 1448 H", "national"),
    ("2027-05-20", "Hari Raya Waisak 2571 BE", "national"),
    ("2027-06-01", "Hari Lahir Pancasila", "national"),
    (
        "2027-06-06",
        "1 Muharam Tahun Baru Islam 1449 H",
        "national",
    ),
    ("2027-08-15", "Maulid Nabi Muhammad SAW", "national"),
    ("2027-08-17", "Hari Proklamasi Kemerdekaan RI", "national"),
    ("2027-12-24", "Cuti bersama Hari Raya Natal", "cuti_bersama"),
    ("2027-12-25", "Hari Raya Natal", "national"),
];

/// The pause reasons NetCrew starts with: (code, Indonesian, English,
/// whether the clock stops).
pub const PAUSE_REASONS: &[(&str, &str, &str, bool)] = &[
    (
        "waiting_customer",
        "Menunggu pelanggan",
        "Waiting for the customer",
        true,
    ),
    (
        "customer_absent",
        "Pelanggan tidak di rumah",
        "Customer not at home",
        true,
    ),
    (
        "customer_reschedule",
        "Pelanggan minta hari lain",
        "Customer asked for another day",
        true,
    ),
    ("access_permit", "Akses atau izin", "Access or permit", true),
    ("weather", "Cuaca", "Weather", true),
    ("parts", "Menunggu material", "Waiting for parts", false),
    (
        "outage",
        "Bagian dari gangguan massal",
        "Part of an outage",
        true,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Each area's service calendar.
        for col in [
            string(a("time_zone")).default("Asia/Jakarta").to_owned(),
            boolean(a("business_hours")).default(false).to_owned(),
            string(a("opens_at")).default("08:00").to_owned(),
            string(a("closes_at")).default("17:00").to_owned(),
            // Monday first; 1 = a working day.
            string(a("work_days")).default("1111110").to_owned(),
        ] {
            m.alter_table(Table::alter().table(a("areas")).add_column(col).to_owned())
                .await?;
        }

        m.create_table(
            Table::create()
                .table(a("holidays"))
                .col(text("day").primary_key())
                .col(text("name"))
                .col(text("kind"))
                .col(when("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pause_reasons"))
                .col(text("code").primary_key())
                .col(text("name_id"))
                .col(text("name_en"))
                .col(flag("stops_clock", true))
                .col(flag("active", true))
                .col(when("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("sla_policies"))
                .col(uid("id").primary_key())
                .col(uid("service_type_id"))
                .col(text("priority"))
                .col(int("response_minutes"))
                .col(int("resolution_minutes"))
                .col(when("created_at"))
                .col(when("updated_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "sla_policies",
            "idx_sla_policies_type_priority",
            &["service_type_id", "priority"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("outages"))
                .col(uid("id").primary_key())
                .col(text("number").unique_key())
                .col(text("title"))
                .col(text("element_kind"))
                .col(uid_null("element_id"))
                .col(uid("area_id"))
                .col(text("status"))
                .col(long_text("cause"))
                .col(long_text("resolution"))
                .col(uid_null("declared_by"))
                .col(uid_null("resolved_by"))
                .col(when_null("resolved_at"))
                .col(int("version"))
                .col(when("created_at"))
                .col(when("updated_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "outages",
            "idx_outages_status",
            &["status", "created_at"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("tickets"))
                .col(uid("id").primary_key())
                .col(text("number").unique_key())
                .col(text("kind"))
                .col(text("status"))
                .col(flag("is_open", true))
                .col(text_null("before_pending"))
                .col(text_null("pending_reason"))
                .col(uid("service_type_id"))
                .col(uid_null("problem_category_id"))
                .col(text("priority"))
                .col(text("source"))
                .col(uid("customer_id"))
                .col(uid("area_id"))
                .col(text("address"))
                .col(double(a("lat")))
                .col(double(a("lng")))
                .col(uid_null("odp_id"))
                .col(int_null("odp_port"))
                .col(long_text("description"))
                .col(text_null("appointment_date"))
                .col(text_null("appointment_window"))
                .col(uid_null("technician_id"))
                .col(long_text("tags"))
                .col(uid_null("duplicate_of"))
                .col(uid_null("outage_id"))
                .col(int("response_minutes"))
                .col(int("resolution_minutes"))
                .col(when("clock_started_at"))
                .col(when_null("response_warn_at"))
                .col(when_null("response_due_at"))
                .col(when_null("resolution_warn_at"))
                .col(when_null("resolution_due_at"))
                .col(when("next_due_at"))
                .col(text("sla_state"))
                .col(when_null("accepted_at"))
                .col(when_null("resolved_at"))
                .col(when_null("closed_at"))
                .col(text_null("remote_reason"))
                .col(int("visits"))
                .col(int("cycle"))
                .col(int_null("rating"))
                .col(long_text("rating_comment"))
                .col(uid_null("created_by"))
                .col(int("version"))
                .col(when("created_at"))
                .col(when("updated_at"))
                .to_owned(),
        )
        .await?;
        // The lists: an area's open tickets by SLA due, a customer's
        // tickets, a technician's jobs, everything open by due, newest.
        index(
            m,
            "tickets",
            "idx_tickets_area_open_due",
            &["area_id", "is_open", "next_due_at", "id"],
            false,
        )
        .await?;
        index(
            m,
            "tickets",
            "idx_tickets_open_due",
            &["is_open", "next_due_at", "id"],
            false,
        )
        .await?;
        index(
            m,
            "tickets",
            "idx_tickets_customer",
            &["customer_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            m,
            "tickets",
            "idx_tickets_technician",
            &["technician_id", "is_open", "next_due_at", "id"],
            false,
        )
        .await?;
        index(
            m,
            "tickets",
            "idx_tickets_created",
            &["created_at", "id"],
            false,
        )
        .await?;
        index(m, "tickets", "idx_tickets_outage", &["outage_id"], false).await?;
        index(
            m,
            "tickets",
            "idx_tickets_status",
            &["status", "updated_at"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("ticket_pauses"))
                .col(uid("id").primary_key())
                .col(uid("ticket_id"))
                .col(text("reason"))
                .col(flag("stops_clock", true))
                .col(when("started_at"))
                .col(when_null("ended_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ticket_pauses",
            "idx_ticket_pauses_ticket",
            &["ticket_id", "started_at"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("ticket_events"))
                .col(uid("id").primary_key())
                .col(uid("ticket_id"))
                .col(when("at"))
                .col(uid_null("actor_id"))
                .col(text("actor_name"))
                .col(text("actor_role"))
                .col(text("kind"))
                .col(text_null("from_status"))
                .col(text_null("to_status"))
                .col(long_text("reason"))
                .col(long_text("data"))
                .col(flag("public", true))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ticket_events",
            "idx_ticket_events_ticket",
            &["ticket_id", "at", "id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("ticket_comments"))
                .col(uid("id").primary_key())
                .col(uid("ticket_id"))
                .col(uid_null("author_id"))
                .col(text("author_name"))
                .col(text("author_role"))
                .col(long_text("body"))
                .col(flag("internal", false))
                .col(when("created_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ticket_comments",
            "idx_ticket_comments_ticket",
            &["ticket_id", "created_at", "id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("ticket_attachments"))
                .col(uid("id").primary_key())
                .col(uid("ticket_id"))
                .col(text("file_name"))
                .col(text("content_type"))
                .col(big_integer(a("size_bytes")))
                .col(text("storage_key"))
                .col(int_null("width"))
                .col(int_null("height"))
                .col(flag("internal", false))
                .col(uid_null("uploaded_by"))
                .col(when("created_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ticket_attachments",
            "idx_ticket_attachments_ticket",
            &["ticket_id", "created_at"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("sla_escalations"))
                .col(uid("ticket_id"))
                .col(int("cycle"))
                .col(text("target"))
                .col(text("stage"))
                .col(when("at"))
                .primary_key(
                    Index::create()
                        .col(a("ticket_id"))
                        .col(a("cycle"))
                        .col(a("target"))
                        .col(a("stage")),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("feed_events"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(when("at"))
                .col(text("kind"))
                .col(uid_null("ticket_id"))
                .col(uid_null("outage_id"))
                .col(uid_null("customer_id"))
                .col(uid_null("technician_id"))
                .col(uid_null("area_id"))
                .col(long_text("data"))
                .to_owned(),
        )
        .await?;
        index(m, "feed_events", "idx_feed_events_at", &["at"], false).await?;

        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(uid("id").primary_key())
                .col(uid("user_id"))
                .col(text("kind"))
                .col(uid_null("ticket_id"))
                .col(text_null("ticket_number"))
                .col(uid_null("outage_id"))
                .col(long_text("data"))
                .col(when_null("read_at"))
                .col(when("created_at"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "notifications",
            "idx_notifications_user",
            &["user_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            m,
            "notifications",
            "idx_notifications_unread",
            &["user_id", "read_at"],
            false,
        )
        .await?;

        let db = m.get_connection();
        let backend = db.get_database_backend();
        let now = chrono::Utc::now();
        for (day, name, kind) in HOLIDAYS {
            let stmt = Query::insert()
                .into_table(a("holidays"))
                .columns([a("day"), a("name"), a("kind"), a("created_at")])
                .values_panic([(*day).into(), (*name).into(), (*kind).into(), now.into()])
                .to_owned();
            db.execute(backend.build(&stmt)).await?;
        }
        for (code, name_id, name_en, stops) in PAUSE_REASONS {
            let stmt = Query::insert()
                .into_table(a("pause_reasons"))
                .columns([
                    a("code"),
                    a("name_id"),
                    a("name_en"),
                    a("stops_clock"),
                    a("active"),
                    a("updated_at"),
                ])
                .values_panic([
                    (*code).into(),
                    (*name_id).into(),
                    (*name_en).into(),
                    (*stops).into(),
                    true.into(),
                    now.into(),
                ])
                .to_owned();
            db.execute(backend.build(&stmt)).await?;
        }
        if backend == DatabaseBackend::Postgres {
            // Staff search tickets by number prefix.
            db.execute_unprepared(
                "CREATE INDEX idx_tickets_number_prefix ON tickets (number text_pattern_ops)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "notifications",
            "feed_events",
            "sla_escalations",
            "ticket_attachments",
            "ticket_comments",
            "ticket_events",
            "ticket_pauses",
            "tickets",
            "outages",
            "sla_policies",
            "pause_reasons",
            "holidays",
        ] {
            m.drop_table(Table::drop().table(a(table)).to_owned())
                .await?;
        }
        for col in [
            "time_zone",
            "business_hours",
            "opens_at",
            "closes_at",
            "work_days",
        ] {
            m.alter_table(
                Table::alter()
                    .table(a("areas"))
                    .drop_column(a(col))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
