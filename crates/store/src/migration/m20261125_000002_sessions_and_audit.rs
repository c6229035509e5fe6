//! Server-side sessions, login attempts (for brute-force limits) and the
//! audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    IdleTimeoutSecs,
    Ip,
    UserAgent,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    At,
    LoginKey,
    Ip,
    Success,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    ActorIp,
    Action,
    Entity,
    EntityId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(uuid(Sessions::Id).primary_key())
                .col(string_uniq(Sessions::TokenHash))
                .col(uuid(Sessions::UserId))
                .col(string(Sessions::CsrfToken))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(big_integer(Sessions::IdleTimeoutSecs))
                .col(string_null(Sessions::Ip))
                .col(string_null(Sessions::UserAgent))
                .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_sessions_user")
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(uuid(LoginAttempts::Id).primary_key())
                .col(timestamp_with_time_zone(LoginAttempts::At))
                .col(string(LoginAttempts::LoginKey))
                .col(string(LoginAttempts::Ip))
                .col(boolean(LoginAttempts::Success))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_login_attempts_login", LoginAttempts::LoginKey),
            ("idx_login_attempts_ip", LoginAttempts::Ip),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(LoginAttempts::Table)
                    .col(col)
                    .col(LoginAttempts::At)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(uuid(AuditEvents::Id).primary_key())
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(uuid_null(AuditEvents::ActorId))
                .col(string_null(AuditEvents::ActorIp))
                .col(string(AuditEvents::Action))
                .col(string(AuditEvents::Entity))
                .col(string_null(AuditEvents::EntityId))
                .col(text_null(AuditEvents::Before))
                .col(text_null(AuditEvents::After))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_audit_actor", AuditEvents::ActorId),
            ("idx_audit_at", AuditEvents::At),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(AuditEvents::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_audit_entity")
                .table(AuditEvents::Table)
                .col(AuditEvents::Entity)
                .col(AuditEvents::EntityId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            Sessions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
