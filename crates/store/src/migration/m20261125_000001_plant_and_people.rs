//! Service areas, the passive plant (ODC, ODP), packages, people and customers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
    Code,
    Name,
    City,
    CenterLat,
    CenterLng,
    RadiusM,
}

#[derive(DeriveIden)]
enum Odcs {
    Table,
    Id,
    Code,
    Name,
    AreaId,
    Lat,
    Lng,
    Status,
}

#[derive(DeriveIden)]
enum Odps {
    Table,
    Id,
    Code,
    Name,
    OdcId,
    AreaId,
    Lat,
    Lng,
    PortCount,
    Status,
}

#[derive(DeriveIden)]
enum Packages {
    Table,
    Id,
    Name,
    DownloadMbps,
    UploadMbps,
    MonthlyPriceIdr,
    Description,
    Active,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
    AreaId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Name,
    Email,
    Phone,
    Role,
    PasswordHash,
    Locale,
    Active,
    CustomerId,
}

#[derive(DeriveIden)]
enum UserTeams {
    Table,
    UserId,
    TeamId,
}

#[derive(DeriveIden)]
enum UserAreas {
    Table,
    UserId,
    AreaId,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    CustomerNumber,
    Name,
    Phone,
    Whatsapp,
    Email,
    Address,
    Lat,
    Lng,
    AreaId,
    PackageId,
    OdpId,
    OdpPort,
    Status,
    Notes,
}

fn stamps(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(timestamp_with_time_zone(Alias::new("created_at")))
        .col(timestamp_with_time_zone(Alias::new("updated_at")))
}

fn fk(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            stamps(
                Table::create()
                    .table(Areas::Table)
                    .col(uuid(Areas::Id).primary_key())
                    .col(string_uniq(Areas::Code))
                    .col(string(Areas::Name))
                    .col(string(Areas::City))
                    .col(double(Areas::CenterLat))
                    .col(double(Areas::CenterLng))
                    .col(integer(Areas::RadiusM)),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            stamps(
                Table::create()
                    .table(Odcs::Table)
                    .col(uuid(Odcs::Id).primary_key())
                    .col(string_uniq(Odcs::Code))
                    .col(string(Odcs::Name))
                    .col(uuid(Odcs::AreaId))
                    .col(double(Odcs::Lat))
                    .col(double(Odcs::Lng))
                    .col(string(Odcs::Status))
                    .foreign_key(&mut fk(
                        "fk_odcs_area",
                        (Odcs::Table, Odcs::AreaId),
                        (Areas::Table, Areas::Id),
                    )),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            stamps(
                Table::create()
                    .table(Odps::Table)
                    .col(uuid(Odps::Id).primary_key())
                    .col(string_uniq(Odps::Code))
                    .col(string(Odps::Name))
                    .col(uuid(Odps::OdcId))
                    .col(uuid(Odps::AreaId))
                    .col(double(Odps::Lat))
                    .col(double(Odps::Lng))
                    .col(integer(Odps::PortCount))
                    .col(string(Odps::Status))
                    .foreign_key(&mut fk(
                        "fk_odps_odc",
                        (Odps::Table, Odps::OdcId),
                        (Odcs::Table, Odcs::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_odps_area",
                        (Odps::Table, Odps::AreaId),
                        (Areas::Table, Areas::Id),
                    )),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_odps_lat_lng")
                .table(Odps::Table)
                .col(Odps::Lat)
                .col(Odps::Lng)
                .to_owned(),
        )
        .await?;

        m.create_table(
            stamps(
                Table::create()
                    .table(Packages::Table)
                    .col(uuid(Packages::Id).primary_key())
                    .col(string_uniq(Packages::Name))
                    .col(integer(Packages::DownloadMbps))
                    .col(integer(Packages::UploadMbps))
                    .col(big_integer(Packages::MonthlyPriceIdr))
                    .col(text(Packages::Description))
                    .col(boolean(Packages::Active)),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            stamps(
                Table::create()
                    .table(Teams::Table)
                    .col(uuid(Teams::Id).primary_key())
                    .col(string_uniq(Teams::Name))
                    .col(uuid_null(Teams::AreaId))
                    .foreign_key(&mut fk(
                        "fk_teams_area",
                        (Teams::Table, Teams::AreaId),
                        (Areas::Table, Areas::Id),
                    )),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            stamps(
                Table::create()
                    .table(Customers::Table)
                    .col(uuid(Customers::Id).primary_key())
                    .col(string_uniq(Customers::CustomerNumber))
                    .col(string(Customers::Name))
                    .col(string(Customers::Phone))
                    .col(string_null(Customers::Whatsapp))
                    .col(string_null(Customers::Email))
                    .col(text(Customers::Address))
                    .col(double(Customers::Lat))
                    .col(double(Customers::Lng))
                    .col(uuid(Customers::AreaId))
                    .col(uuid(Customers::PackageId))
                    .col(uuid_null(Customers::OdpId))
                    .col(integer_null(Customers::OdpPort))
                    .col(string(Customers::Status))
                    .col(text(Customers::Notes))
                    .foreign_key(&mut fk(
                        "fk_customers_area",
                        (Customers::Table, Customers::AreaId),
                        (Areas::Table, Areas::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_customers_package",
                        (Customers::Table, Customers::PackageId),
                        (Packages::Table, Packages::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_customers_odp",
                        (Customers::Table, Customers::OdpId),
                        (Odps::Table, Odps::Id),
                    )),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_customers_odp_port")
                .table(Customers::Table)
                .col(Customers::OdpId)
                .col(Customers::OdpPort)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_customers_phone")
                .table(Customers::Table)
                .col(Customers::Phone)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_customers_area")
                .table(Customers::Table)
                .col(Customers::AreaId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            stamps(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id).primary_key())
                    .col(string(Users::Name))
                    .col(string_null(Users::Email).unique_key())
                    .col(string_null(Users::Phone).unique_key())
                    .col(string(Users::Role))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Locale))
                    .col(boolean(Users::Active))
                    .col(uuid_null(Users::CustomerId).unique_key())
                    .foreign_key(&mut fk(
                        "fk_users_customer",
                        (Users::Table, Users::CustomerId),
                        (Customers::Table, Customers::Id),
                    )),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserTeams::Table)
                .col(uuid(UserTeams::UserId))
                .col(uuid(UserTeams::TeamId))
                .primary_key(
                    Index::create()
                        .col(UserTeams::UserId)
                        .col(UserTeams::TeamId),
                )
                .foreign_key(&mut fk(
                    "fk_user_teams_user",
                    (UserTeams::Table, UserTeams::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_user_teams_team",
                    (UserTeams::Table, UserTeams::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserAreas::Table)
                .col(uuid(UserAreas::UserId))
                .col(uuid(UserAreas::AreaId))
                .primary_key(
                    Index::create()
                        .col(UserAreas::UserId)
                        .col(UserAreas::AreaId),
                )
                .foreign_key(&mut fk(
                    "fk_user_areas_user",
                    (UserAreas::Table, UserAreas::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_user_areas_area",
                    (UserAreas::Table, UserAreas::AreaId),
                    (Areas::Table, Areas::Id),
                ))
                .to_owned(),
        )
        .await?;

        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserAreas::Table.into_iden(),
            UserTeams::Table.into_iden(),
            Users::Table.into_iden(),
            Customers::Table.into_iden(),
            Teams::Table.into_iden(),
            Packages::Table.into_iden(),
            Odps::Table.into_iden(),
            Odcs::Table.into_iden(),
            Areas::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
