//! Settings: command-line options and environment variables first, then the
//! optional TOML file (`--config`), then defaults.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, bail};
use clap::Args;
use serde::Deserialize;

/// Server settings shared by `serve`, `migrate` and `user`.
#[derive(Debug, Clone, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "NETCREW_BIND", value_name = "ADDR")]
    pub bind: Option<SocketAddr>,

    /// Database: `sqlite://FILE` or `postgres://USER:PASSWORD@HOST/DB`
    /// [default: sqlite://DATA_DIR/netcrew.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for the SQLite database and stored files [default: ./data]
    #[arg(long, env = "NETCREW_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Largest number of database connections [default: 10]
    #[arg(long, env = "NETCREW_DB_MAX_CONNECTIONS", value_name = "N")]
    pub db_max_connections: Option<u32>,

    /// Time zone times are shown in, IANA name [default: Asia/Jakarta]
    #[arg(long, env = "NETCREW_TIME_ZONE", value_name = "ZONE")]
    pub time_zone: Option<String>,

    /// Language the interface starts in: `id` or `en` [default: id]
    #[arg(long, env = "NETCREW_DEFAULT_LOCALE", value_name = "LOCALE")]
    pub default_locale: Option<String>,

    /// Longest a request may take before it is stopped, in seconds [default: 30]
    #[arg(long, env = "NETCREW_REQUEST_TIMEOUT_SECS", value_name = "SECS")]
    pub request_timeout_secs: Option<u64>,

    /// Largest request body accepted, in bytes [default: 10485760]
    #[arg(long, env = "NETCREW_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,

    /// Time a client has to send a request's complete header, in seconds,
    /// counted from when the connection is ready for it (after connecting,
    /// or after the previous answer on a kept-alive connection) [default: 30]
    #[arg(long, env = "NETCREW_HEADER_READ_TIMEOUT_SECS", value_name = "SECS")]
    pub header_read_timeout_secs: Option<u64>,

    /// A connection on which nothing is received or sent for this long,
    /// while no request is being handled, is closed; in seconds [default: 60]
    #[arg(long, env = "NETCREW_IDLE_TIMEOUT_SECS", value_name = "SECS")]
    pub idle_timeout_secs: Option<u64>,

    /// Most client connections open at once; further clients wait until one
    /// closes [default: 1024]
    #[arg(long, env = "NETCREW_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,

    /// On shutdown, how long in-flight requests may take to finish, in seconds [default: 30]
    #[arg(long, env = "NETCREW_SHUTDOWN_GRACE_SECS", value_name = "SECS")]
    pub shutdown_grace_secs: Option<u64>,

    /// Require admins to use a second factor (TOTP) [default: false]
    #[arg(long, env = "NETCREW_REQUIRE_ADMIN_TOTP", value_name = "BOOL")]
    pub require_admin_totp: Option<bool>,

    /// Behind a reverse proxy: take client addresses from X-Forwarded-For [default: false]
    #[arg(long, env = "NETCREW_TRUST_FORWARDED_FOR", value_name = "BOOL")]
    pub trust_forwarded_for: Option<bool>,

    /// Map tile URL template with {z}/{x}/{y} (https), or `none` for maps
    /// without tiles [default: OpenStreetMap]
    #[arg(long, env = "NETCREW_MAP_TILE_URL", value_name = "URL")]
    pub map_tile_url: Option<String>,

    /// Longest drop cable from an ODP to a home, in metres [default: 250]
    #[arg(long, env = "NETCREW_MAX_DROP_M", value_name = "METRES")]
    pub max_drop_m: Option<f64>,

    /// Cable length over straight-line distance, at least 1 [default: 1.3]
    #[arg(long, env = "NETCREW_ROAD_FACTOR", value_name = "FACTOR")]
    pub road_factor: Option<f64>,

    /// Days after resolution a ticket may still be reopened [default: 7]
    #[arg(long, env = "NETCREW_REOPEN_DAYS", value_name = "DAYS")]
    pub reopen_days: Option<u32>,

    /// Hours after which a resolved ticket closes by itself [default: 72]
    #[arg(long, env = "NETCREW_AUTO_CLOSE_HOURS", value_name = "HOURS")]
    pub auto_close_hours: Option<u32>,

    /// Book an installation only once its fee or down payment is marked
    /// paid [default: false]
    #[arg(long, env = "NETCREW_FEE_BEFORE_BOOKING", value_name = "BOOL")]
    pub fee_before_booking: Option<bool>,

    /// The key that seals NIKs and KTP photos (base64 of 32 bytes; made on
    /// first start if missing; every instance needs the same one)
    /// [default: DATA_DIR/identity.key]
    #[arg(long, env = "NETCREW_IDENTITY_KEY_FILE", value_name = "FILE")]
    pub identity_key_file: Option<PathBuf>,

    /// Days a KTP photo is kept after it was recorded; 0 keeps it until the
    /// customer's data is erased [default: 365]
    #[arg(long, env = "NETCREW_KEEP_KTP_PHOTOS_DAYS", value_name = "DAYS")]
    pub keep_ktp_photos_days: Option<u32>,

    /// Days job photos and documents are kept after their ticket closed;
    /// 0 keeps them [default: 730]
    #[arg(long, env = "NETCREW_KEEP_JOB_PHOTOS_DAYS", value_name = "DAYS")]
    pub keep_job_photos_days: Option<u32>,

    /// Days a technician's last known position is kept after it was taken;
    /// 0 keeps it [default: 30]
    #[arg(long, env = "NETCREW_KEEP_POSITIONS_DAYS", value_name = "DAYS")]
    pub keep_positions_days: Option<u32>,

    /// Send the outbox's messages from this instance (turn off on instances
    /// that should only serve) [default: true]
    #[arg(long, env = "NETCREW_SEND_MESSAGES", value_name = "BOOL")]
    pub send_messages: Option<bool>,

    /// The address people open NetCrew at (`https://netcrew.isp.example`),
    /// for the links in e-mails and WhatsApp messages; never taken from a
    /// request's Host header [default: http://BIND]
    #[arg(long, env = "NETCREW_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Take Web Push subscriptions whose push service is plain `http:`
    /// (browsers only give `https:` ones; for test set-ups) [default: false]
    #[arg(long, env = "NETCREW_PUSH_ALLOW_HTTP", value_name = "BOOL")]
    pub push_allow_http: Option<bool>,
}

/// Settings with every default applied and every value checked.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub bind: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub db_max_connections: u32,
    pub time_zone: String,
    pub default_locale: String,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_grace: Duration,
    pub require_admin_totp: bool,
    pub trust_forwarded_for: bool,
    pub map_tile_url: Option<String>,
    pub max_drop_m: f64,
    pub road_factor: f64,
    pub reopen_days: u32,
    pub auto_close_hours: u32,
    pub fee_before_booking: bool,
    pub identity_key_file: PathBuf,
    pub retention: netcrew_store::retention::Retention,
    pub send_messages: bool,
    pub public_url: String,
    pub push_allow_http: bool,
}

impl Settings {
    /// Reads the TOML file, if any; values given on the command line or in
    /// the environment win over it.
    pub fn with_file(self, file: Option<&Path>) -> anyhow::Result<Settings> {
        let Some(path) = file else {
            return Ok(self);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let from_file: Settings = toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!("malformed config file {}: {}", path.display(), e.message())
        })?;
        Ok(Settings {
            bind: self.bind.or(from_file.bind),
            database_url: self.database_url.or(from_file.database_url),
            data_dir: self.data_dir.or(from_file.data_dir),
            db_max_connections: self.db_max_connections.or(from_file.db_max_connections),
            time_zone: self.time_zone.or(from_file.time_zone),
            default_locale: self.default_locale.or(from_file.default_locale),
            request_timeout_secs: self.request_timeout_secs.or(from_file.request_timeout_secs),
            max_body_bytes: self.max_body_bytes.or(from_file.max_body_bytes),
            header_read_timeout_secs: self
                .header_read_timeout_secs
                .or(from_file.header_read_timeout_secs),
            idle_timeout_secs: self.idle_timeout_secs.or(from_file.idle_timeout_secs),
            max_connections: self.max_connections.or(from_file.max_connections),
            shutdown_grace_secs: self.shutdown_grace_secs.or(from_file.shutdown_grace_secs),
            require_admin_totp: self.require_admin_totp.or(from_file.require_admin_totp),
            trust_forwarded_for: self.trust_forwarded_for.or(from_file.trust_forwarded_for),
            map_tile_url: self.map_tile_url.or(from_file.map_tile_url),
            max_drop_m: self.max_drop_m.or(from_file.max_drop_m),
            road_factor: self.road_factor.or(from_file.road_factor),
            reopen_days: self.reopen_days.or(from_file.reopen_days),
            auto_close_hours: self.auto_close_hours.or(from_file.auto_close_hours),
            fee_before_booking: self.fee_before_booking.or(from_file.fee_before_booking),
            identity_key_file: self.identity_key_file.or(from_file.identity_key_file),
            keep_ktp_photos_days: self.keep_ktp_photos_days.or(from_file.keep_ktp_photos_days),
            keep_job_photos_days: self.keep_job_photos_days.or(from_file.keep_job_photos_days),
            keep_positions_days: self.keep_positions_days.or(from_file.keep_positions_days),
            send_messages: self.send_messages.or(from_file.send_messages),
            public_url: self.public_url.or(from_file.public_url),
            push_allow_http: self.push_allow_http.or(from_file.push_allow_http),
        })
    }

    pub fn resolve(self) -> anyhow::Result<Resolved> {
        let data_dir = self.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        let database_url = self.database_url.unwrap_or_else(|| sqlite_url(&data_dir));
        let default_locale = self.default_locale.unwrap_or_else(|| "id".to_string());
        if !["id", "en"].contains(&default_locale.as_str()) {
            bail!("invalid default_locale {default_locale:?}: expected \"id\" or \"en\"");
        }
        let time_zone = self.time_zone.unwrap_or_else(|| "Asia/Jakarta".to_string());
        if let Err(e) = netcrew_domain::schedule::parse_zone(&time_zone) {
            bail!("invalid time_zone: {e}");
        }
        let db_max_connections = self.db_max_connections.unwrap_or(10);
        if db_max_connections == 0 {
            bail!("invalid db_max_connections 0: at least one connection is needed");
        }
        let request_timeout_secs = self.request_timeout_secs.unwrap_or(30);
        if request_timeout_secs == 0 {
            bail!("invalid request_timeout_secs 0: must be at least 1");
        }
        let header_read_timeout_secs = self.header_read_timeout_secs.unwrap_or(30);
        if header_read_timeout_secs == 0 {
            bail!("invalid header_read_timeout_secs 0: must be at least 1");
        }
        let idle_timeout_secs = self.idle_timeout_secs.unwrap_or(60);
        if idle_timeout_secs == 0 {
            bail!("invalid idle_timeout_secs 0: must be at least 1");
        }
        let max_connections = self.max_connections.unwrap_or(1024);
        if max_connections == 0 {
            bail!("invalid max_connections 0: at least one connection is needed");
        }
        let max_body_bytes = self.max_body_bytes.unwrap_or(10 * 1024 * 1024);
        if max_body_bytes == 0 {
            bail!("invalid max_body_bytes 0: must be at least 1");
        }
        let max_drop_m = self.max_drop_m.unwrap_or(250.0);
        if !(max_drop_m.is_finite() && (10.0..=5000.0).contains(&max_drop_m)) {
            bail!("invalid max_drop_m {max_drop_m}: expected 10 to 5000 metres");
        }
        let road_factor = self.road_factor.unwrap_or(1.3);
        if !(road_factor.is_finite() && (1.0..=5.0).contains(&road_factor)) {
            bail!("invalid road_factor {road_factor}: expected 1 to 5");
        }
        let reopen_days = self.reopen_days.unwrap_or(7);
        if reopen_days > 90 {
            bail!("invalid reopen_days {reopen_days}: expected 0 to 90");
        }
        let auto_close_hours = self.auto_close_hours.unwrap_or(72);
        if !(1..=24 * 90).contains(&auto_close_hours) {
            bail!("invalid auto_close_hours {auto_close_hours}: expected 1 to 2160");
        }
        let map_tile_url = match self.map_tile_url.as_deref().map(str::trim) {
            None => Some(netcrew_api::DEFAULT_TILE_URL.to_string()),
            Some("none") | Some("") => None,
            Some(url)
                if url.starts_with("https://")
                    && url.contains("{z}")
                    && url.contains("{x}")
                    && url.contains("{y}") =>
            {
                Some(url.to_string())
            }
            Some(url) => bail!(
                "invalid map_tile_url {url:?}: expected an https:// URL with {{z}}, {{x}} and {{y}}, or \"none\""
            ),
        };
        let days = |d: Option<u32>, default: u32, what: &str| -> anyhow::Result<_> {
            match d.unwrap_or(default) {
                0 => Ok(None),
                n @ 1..=3650 => Ok(Some(chrono::Duration::days(n.into()))),
                n => bail!("invalid {what} {n}: expected 0 (keep) to 3650 days"),
            }
        };
        let retention = netcrew_store::retention::Retention {
            ktp_photos: days(self.keep_ktp_photos_days, 365, "keep_ktp_photos_days")?,
            job_photos: days(self.keep_job_photos_days, 730, "keep_job_photos_days")?,
            positions: days(self.keep_positions_days, 30, "keep_positions_days")?,
        };
        let bind = self
            .bind
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let public_url = match self.public_url.as_deref().map(str::trim) {
            None | Some("") => format!("http://{bind}"),
            Some(url) => match url::Url::parse(url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    url.trim_end_matches('/').to_string()
                }
                _ => bail!(
                    "invalid public_url {url:?}: expected the http(s) address people open NetCrew at"
                ),
            },
        };
        let identity_key_file = self
            .identity_key_file
            .unwrap_or_else(|| netcrew_store::identity::default_key_file(&data_dir));
        Ok(Resolved {
            reopen_days,
            auto_close_hours,
            fee_before_booking: self.fee_before_booking.unwrap_or(false),
            identity_key_file,
            retention,
            send_messages: self.send_messages.unwrap_or(true),
            public_url,
            push_allow_http: self.push_allow_http.unwrap_or(false),
            map_tile_url,
            max_drop_m,
            road_factor,
            bind,
            database_url,
            data_dir,
            db_max_connections,
            time_zone,
            default_locale,
            request_timeout: Duration::from_secs(request_timeout_secs),
            max_body_bytes,
            header_read_timeout: Duration::from_secs(header_read_timeout_secs),
            idle_timeout: Duration::from_secs(idle_timeout_secs),
            max_connections,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs.unwrap_or(30)),
            require_admin_totp: self.require_admin_totp.unwrap_or(false),
            trust_forwarded_for: self.trust_forwarded_for.unwrap_or(false),
        })
    }
}

pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("netcrew.db").display())
}

/// Creates the data directory if needed (0700 on unix: only NetCrew's user
/// may look in) and proves it can be written.
pub fn ensure_writable_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("data directory {} cannot be created", dir.display()))?;
    let probe = dir.join(".netcrew-write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("data directory {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Writes `bytes` to `file`, readable and writable by its owner only (0600
/// on unix), replacing what was there.
pub fn write_private(file: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(file)
        .with_context(|| format!("cannot write {}", file.display()))?;
    // The mode above only applies to a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        out.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict access to {}", file.display()))?;
    }
    out.write_all(bytes)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_over_file_and_defaults_fill_the_rest() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("netcrew.toml");
        std::fs::write(
            &file,
            "bind = \"0.0.0.0:9000\"\ntime_zone = \"Asia/Makassar\"\nheader_read_timeout_secs = 12\nmax_connections = 64\n",
        )?;
        let cli = Settings {
            time_zone: Some("Asia/Jayapura".into()),
            ..Settings::default()
        };
        let resolved = cli.with_file(Some(&file))?.resolve()?;
        assert_eq!(resolved.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(resolved.time_zone, "Asia/Jayapura");
        assert_eq!(resolved.database_url, "sqlite://data/netcrew.db");
        assert_eq!(resolved.default_locale, "id");
        assert_eq!(resolved.header_read_timeout, Duration::from_secs(12));
        assert_eq!(resolved.max_connections, 64);
        assert_eq!(resolved.idle_timeout, Duration::from_secs(60));
        assert_eq!(resolved.max_body_bytes, 10 * 1024 * 1024);
        Ok(())
    }

    #[test]
    fn a_malformed_file_is_named_in_the_error() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "bind = [\n")?;
        let err = Settings::default().with_file(Some(&file)).err();
        let message = format!("{:#}", err.ok_or_else(|| anyhow::anyhow!("no error"))?);
        assert!(message.starts_with("malformed config file"), "{message}");
        std::fs::write(&file, "colour = \"blue\"\n")?;
        let err = Settings::default().with_file(Some(&file)).err();
        assert!(
            format!("{:#}", err.ok_or_else(|| anyhow::anyhow!("no error"))?).contains("colour")
        );
        Ok(())
    }

    #[test]
    fn rejects_an_unknown_locale() {
        let settings = Settings {
            default_locale: Some("fr".into()),
            ..Settings::default()
        };
        assert!(settings.resolve().is_err());
    }

    #[test]
    fn rejects_a_time_zone_that_does_not_exist() {
        let settings = Settings {
            time_zone: Some("Asia/Bandung".into()),
            ..Settings::default()
        };
        let message = settings.resolve().err().map(|e| e.to_string());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("Asia/Bandung") && m.contains("Asia/Jakarta")),
            "{message:?}"
        );
    }
}
