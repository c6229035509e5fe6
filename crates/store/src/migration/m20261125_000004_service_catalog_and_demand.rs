//! Service types (with SLA targets and the documentation a job needs),
//! problem categories, skills, unmet demand, and what a registration asks for.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceTypes {
    Table,
    Id,
    Code,
    NameId,
    NameEn,
    DefaultPriority,
    ResponseSlaMinutes,
    ResolutionSlaMinutes,
    RequiredDocs,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProblemCategories {
    Table,
    Id,
    Code,
    NameId,
    NameEn,
    DefaultPriority,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
    Code,
    Name,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DemandPoints {
    Table,
    Id,
    Lat,
    Lng,
    AreaId,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    PreferredDate,
    PreferredWindow,
    Source,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServiceTypes::Table)
                .col(uuid(ServiceTypes::Id).primary_key())
                .col(string_uniq(ServiceTypes::Code))
                .col(string(ServiceTypes::NameId))
                .col(string(ServiceTypes::NameEn))
                .col(string(ServiceTypes::DefaultPriority))
                .col(integer(ServiceTypes::ResponseSlaMinutes))
                .col(integer(ServiceTypes::ResolutionSlaMinutes))
                .col(text(ServiceTypes::RequiredDocs))
                .col(boolean(ServiceTypes::Active))
                .col(timestamp_with_time_zone(ServiceTypes::CreatedAt))
                .col(timestamp_with_time_zone(ServiceTypes::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProblemCategories::Table)
                .col(uuid(ProblemCategories::Id).primary_key())
                .col(string_uniq(ProblemCategories::Code))
                .col(string(ProblemCategories::NameId))
                .col(string(ProblemCategories::NameEn))
                .col(string(ProblemCategories::DefaultPriority))
                .col(boolean(ProblemCategories::Active))
                .col(timestamp_with_time_zone(ProblemCategories::CreatedAt))
                .col(timestamp_with_time_zone(ProblemCategories::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Skills::Table)
                .col(uuid(Skills::Id).primary_key())
                .col(string_uniq(Skills::Code))
                .col(string(Skills::Name))
                .col(boolean(Skills::Active))
                .col(timestamp_with_time_zone(Skills::CreatedAt))
                .col(timestamp_with_time_zone(Skills::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DemandPoints::Table)
                .col(uuid(DemandPoints::Id).primary_key())
                .col(double(DemandPoints::Lat))
                .col(double(DemandPoints::Lng))
                .col(uuid_null(DemandPoints::AreaId))
                .col(string(DemandPoints::Source))
                .col(timestamp_with_time_zone(DemandPoints::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_demand_points_area")
                        .from(DemandPoints::Table, DemandPoints::AreaId)
                        .to(Areas::Table, Areas::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        seed(m).await?;
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .add_column(string_null(Customers::PreferredDate))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .add_column(string_null(Customers::PreferredWindow))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .add_column(string(Customers::Source).default("staff"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            Customers::Source,
            Customers::PreferredWindow,
            Customers::PreferredDate,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            DemandPoints::Table.into_iden(),
            Skills::Table.into_iden(),
            ProblemCategories::Table.into_iden(),
            ServiceTypes::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// Every installation starts with the five service types, the common repair
/// categories of FTTH and the usual skills; admins adjust them afterwards.
async fn seed(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let docs = |items: &[&str]| serde_json::json!(items).to_string();
    let service_types = [
        (
            "installation",
            "Pemasangan Baru",
            "New installation",
            "normal",
            24 * 60,
            3 * 24 * 60,
            docs(&[
                "photo_before",
                "photo_after",
                "ont_serial",
                "optical_power_dbm",
                "equipment_used",
                "speed_test",
                "customer_signature",
            ]),
        ),
        (
            "repair",
            "Perbaikan",
            "Repair",
            "high",
            2 * 60,
            24 * 60,
            docs(&[
                "photo_before",
                "photo_after",
                "optical_power_dbm",
                "customer_signature",
            ]),
        ),
        (
            "upgrade",
            "Upgrade Paket",
            "Package upgrade",
            "normal",
            24 * 60,
            2 * 24 * 60,
            docs(&["speed_test", "customer_signature"]),
        ),
        (
            "relocation",
            "Pindah Alamat",
            "Relocation",
            "normal",
            24 * 60,
            5 * 24 * 60,
            docs(&[
                "photo_before",
                "photo_after",
                "ont_serial",
                "optical_power_dbm",
                "equipment_used",
                "customer_signature",
            ]),
        ),
        (
            "dismantle",
            "Pencabutan",
            "Dismantle",
            "low",
            3 * 24 * 60,
            7 * 24 * 60,
            docs(&["photo_after", "equipment_used", "customer_signature"]),
        ),
    ];
    let mut insert = Query::insert()
        .into_table(ServiceTypes::Table)
        .columns([
            ServiceTypes::Id,
            ServiceTypes::Code,
            ServiceTypes::NameId,
            ServiceTypes::NameEn,
            ServiceTypes::DefaultPriority,
            ServiceTypes::ResponseSlaMinutes,
            ServiceTypes::ResolutionSlaMinutes,
            ServiceTypes::RequiredDocs,
            ServiceTypes::Active,
            ServiceTypes::CreatedAt,
            ServiceTypes::UpdatedAt,
        ])
        .to_owned();
    for (code, name_id, name_en, priority, response, resolution, docs) in service_types {
        insert.values_panic([
            uuid::Uuid::now_v7().into(),
            code.into(),
            name_id.into(),
            name_en.into(),
            priority.into(),
            response.into(),
            resolution.into(),
            docs.into(),
            true.into(),
            now.into(),
            now.into(),
        ]);
    }
    m.exec_stmt(insert).await?;

    let categories = [
        (
            "los",
            "Tidak ada internet / lampu LOS merah",
            "No internet / red LOS light",
            "urgent",
        ),
        (
            "no_internet",
            "Tidak bisa internet (lampu normal)",
            "No internet (lights normal)",
            "high",
        ),
        ("slow", "Internet lambat", "Slow internet", "normal"),
        (
            "intermittent",
            "Internet putus-putus",
            "Intermittent connection",
            "normal",
        ),
        (
            "wifi",
            "Masalah Wi-Fi / kata sandi",
            "Wi-Fi or password problem",
            "low",
        ),
        (
            "cable_cut",
            "Kabel putus / tiang roboh",
            "Cable cut / fallen pole",
            "urgent",
        ),
        ("device", "Modem/ONT rusak", "Faulty modem/ONT", "high"),
    ];
    let mut insert = Query::insert()
        .into_table(ProblemCategories::Table)
        .columns([
            ProblemCategories::Id,
            ProblemCategories::Code,
            ProblemCategories::NameId,
            ProblemCategories::NameEn,
            ProblemCategories::DefaultPriority,
            ProblemCategories::Active,
            ProblemCategories::CreatedAt,
            ProblemCategories::UpdatedAt,
        ])
        .to_owned();
    for (code, name_id, name_en, priority) in categories {
        insert.values_panic([
            uuid::Uuid::now_v7().into(),
            code.into(),
            name_id.into(),
            name_en.into(),
            priority.into(),
            true.into(),
            now.into(),
            now.into(),
        ]);
    }
    m.exec_stmt(insert).await?;

    let skills = [
        ("splicing", "Penyambungan fiber (splicing)"),
        ("ont_config", "Konfigurasi ONT/modem"),
        ("pole_work", "Pekerjaan tiang dan kabel udara"),
        ("otdr", "Pengukuran OTDR / power meter"),
        ("wifi", "Penanganan Wi-Fi pelanggan"),
    ];
    let mut insert = Query::insert()
        .into_table(Skills::Table)
        .columns([
            Skills::Id,
            Skills::Code,
            Skills::Name,
            Skills::Active,
            Skills::CreatedAt,
            Skills::UpdatedAt,
        ])
        .to_owned();
    for (code, name) in skills {
        insert.values_panic([
            uuid::Uuid::now_v7().into(),
            code.into(),
            name.into(),
            true.into(),
            now.into(),
            now.into(),
        ]);
    }
    m.exec_stmt(insert).await?;
    Ok(())
}
