//! Dispatch: technicians' profiles (home base, working pattern, daily
//! maximum, staff or partner, last known position), their skills with a
//! level, leave and sick days, the on-call rota, the ISP's dispatch
//! settings, what each service type needs (skill, level, expected length),
//! and every assignment decision with its explanation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// The skill and expected minutes of each seeded service type.
const NEEDS: [(&str, &str, i32, i32); 5] = [
    ("installation", "splicing", 2, 120),
    ("repair", "splicing", 2, 60),
    ("upgrade", "ont_config", 1, 45),
    ("relocation", "splicing", 2, 120),
    ("dismantle", "ont_config", 1, 45),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("technician_profiles"))
                .col(uuid(a("user_id")).primary_key())
                .col(double_null(a("home_lat")))
                .col(double_null(a("home_lng")))
                .col(string(a("home_address")).default(""))
                .col(integer(a("max_jobs_per_day")).default(6))
                .col(string(a("employer")).default("staff"))
                .col(string(a("partner_name")).default(""))
                .col(text(a("work_pattern")))
                .col(text_null(a("ramadan_pattern")))
                .col(double_null(a("last_lat")))
                .col(double_null(a("last_lng")))
                .col(double_null(a("last_accuracy_m")))
                .col(timestamp_with_time_zone_null(a("last_position_at")))
                .col(integer(a("version")).default(1))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("technician_skills"))
                .col(uuid(a("user_id")))
                .col(uuid(a("skill_id")))
                .col(integer(a("level")))
                .primary_key(Index::create().col(a("user_id")).col(a("skill_id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("technician_leave"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("user_id")))
                .col(string(a("kind")))
                .col(string(a("from_date")))
                .col(string(a("to_date")))
                .col(text(a("reason")).default(""))
                .col(string(a("status")))
                .col(uuid(a("requested_by")))
                .col(uuid_null(a("decided_by")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .col(text(a("decision_note")).default(""))
                .col(integer(a("version")).default(1))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_leave_user_from")
                .table(a("technician_leave"))
                .col(a("user_id"))
                .col(a("from_date"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_leave_status")
                .table(a("technician_leave"))
                .col(a("status"))
                .col(a("from_date"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("on_call_shifts"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("user_id")))
                .col(string(a("day")))
                .col(string(a("span")))
                .col(string(a("note")).default(""))
                .col(uuid(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_on_call_unique")
                .table(a("on_call_shifts"))
                .col(a("user_id"))
                .col(a("day"))
                .col(a("span"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_on_call_day")
                .table(a("on_call_shifts"))
                .col(a("day"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("dispatch_settings"))
                .col(integer(a("id")).primary_key())
                .col(string(a("mode")).default("suggest"))
                .col(text(a("weights")))
                .col(double(a("road_factor")).default(1.4))
                .col(double(a("speed_kmh")).default(25.0))
                .col(integer(a("accept_minutes")).default(30))
                .col(string_null(a("ramadan_from")))
                .col(string_null(a("ramadan_to")))
                .col(integer(a("version")).default(1))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("ticket_assignments"))
                .col(uuid(a("id")).primary_key())
                .col(uuid(a("ticket_id")))
                .col(uuid(a("technician_id")))
                .col(string(a("how")))
                .col(double_null(a("score")))
                .col(text(a("explanation")).default("{}"))
                .col(text(a("alternatives")).default("[]"))
                .col(text(a("reason")).default(""))
                .col(uuid_null(a("decided_by")))
                .col(string(a("decided_by_name")).default(""))
                .col(timestamp_with_time_zone(a("decided_at")))
                .col(string(a("outcome")).default("pending"))
                .col(timestamp_with_time_zone_null(a("outcome_at")))
                .col(text(a("outcome_reason")).default(""))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_assignments_ticket")
                .table(a("ticket_assignments"))
                .col(a("ticket_id"))
                .col(a("decided_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_assignments_pending")
                .table(a("ticket_assignments"))
                .col(a("outcome"))
                .col(a("decided_at"))
                .to_owned(),
        )
        .await?;
        // One column a statement: SQLite adds one at a time.
        for col in [
            uuid_null(a("skill_id")),
            integer(a("skill_level")).default(1).to_owned(),
            integer(a("expected_minutes")).default(90).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(a("service_types"))
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        let backend = m.get_database_backend();
        for (code, skill, level, minutes) in NEEDS {
            let skill_id = Query::select()
                .column(a("id"))
                .from(a("skills"))
                .and_where(Expr::col(a("code")).eq(skill))
                .to_owned();
            let update = Query::update()
                .table(a("service_types"))
                .value(
                    a("skill_id"),
                    SimpleExpr::SubQuery(None, Box::new(skill_id.into_sub_query_statement())),
                )
                .value(a("skill_level"), level)
                .value(a("expected_minutes"), minutes)
                .and_where(Expr::col(a("code")).eq(code))
                .to_owned();
            db.execute(backend.build(&update)).await?;
        }
        let weights =
            r#"{"travel":1.0,"workload":8.0,"skill_surplus":2.0,"continuity":10.0,"urgency":1.0}"#;
        let seed = Query::insert()
            .into_table(a("dispatch_settings"))
            .columns([a("id"), a("weights"), a("updated_at")])
            .values_panic([1.into(), weights.into(), chrono::Utc::now().into()])
            .to_owned();
        db.execute(backend.build(&seed)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "ticket_assignments",
            "dispatch_settings",
            "on_call_shifts",
            "technician_leave",
            "technician_skills",
            "technician_profiles",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        for c in ["skill_id", "skill_level", "expected_minutes"] {
            m.alter_table(
                Table::alter()
                    .table(a("service_types"))
                    .drop_column(a(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
