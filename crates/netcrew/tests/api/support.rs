use std::{net::SocketAddr, time::Duration};

use netcrew::{config::Settings, server};
use netcrew_store::{
    Db,
    demo::{self, DemoOptions, DemoSummary},
    sea_orm::ConnectionTrait,
};
use tokio::sync::oneshot;

/// Defines one test per backend from an `async fn(TestApp)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() -> anyhow::Result<()> {
                    let app = $crate::support::TestApp::sqlite().await?;
                    super::$name(&app).await?;
                    app.stop().await;
                    Ok(())
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() -> anyhow::Result<()> {
                    let Some(app) = $crate::support::TestApp::start_postgres().await? else {
                        $crate::support::postgres_skipped()?;
                        return Ok(());
                    };
                    super::$name(&app).await?;
                    app.stop().await;
                    Ok(())
                }
            )*
        }
    };
}

/// Without `NETCREW_TEST_POSTGRES_URL` the PostgreSQL variants are skipped,
/// unless `NETCREW_TEST_REQUIRE_POSTGRES` is set (as CI sets it): then a
/// missing database fails the run instead of passing unnoticed.
pub fn postgres_skipped() -> anyhow::Result<()> {
    if std::env::var_os("NETCREW_TEST_REQUIRE_POSTGRES").is_some() {
        anyhow::bail!("NETCREW_TEST_REQUIRE_POSTGRES is set but NETCREW_TEST_POSTGRES_URL is not");
    }
    eprintln!("NETCREW_TEST_POSTGRES_URL is not set: PostgreSQL variant skipped");
    Ok(())
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub demo: DemoSummary,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// PostgreSQL: the server URL and the test's own schema, dropped at stop.
    schema: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn sqlite() -> anyhow::Result<TestApp> {
        Self::start_with(None).await
    }

    /// SQLite, with some settings changed.
    pub async fn sqlite_with(change: impl FnOnce(&mut Settings)) -> anyhow::Result<TestApp> {
        Self::start_configured(None, change).await
    }

    pub async fn start_postgres() -> anyhow::Result<Option<TestApp>> {
        let Ok(base_url) = std::env::var("NETCREW_TEST_POSTGRES_URL") else {
            return Ok(None);
        };
        // A fresh schema per test, selected through the connection's search_path.
        let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
        let admin = Db::connect(&base_url, 1).await?;
        admin
            .conn()
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await?;
        admin.close().await;
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{separator}options=-c%20search_path%3D{schema}");
        let mut app = Self::start_with(Some(url)).await?;
        app.schema = Some((base_url, schema));
        Ok(Some(app))
    }

    async fn start_with(database_url: Option<String>) -> anyhow::Result<TestApp> {
        Self::start_configured(database_url, |_| {}).await
    }

    async fn start_configured(
        database_url: Option<String>,
        change: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<TestApp> {
        let dir = tempfile::tempdir()?;
        let mut settings = Settings {
            bind: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
            data_dir: Some(dir.path().to_path_buf()),
            database_url,
            db_max_connections: Some(5),
            shutdown_grace_secs: Some(5),
            // The fake push services the tests start speak plain http.
            push_allow_http: Some(true),
            ..Settings::default()
        };
        change(&mut settings);
        let mut settings = settings.resolve()?;
        let db = server::open_db(&settings).await?;
        let demo = demo::generate(
            &db,
            DemoOptions {
                scale: 0.1,
                ..DemoOptions::default()
            },
            chrono::Utc::now(),
        )
        .await?;
        let listener = server::bind(settings.bind).await?;
        let addr = listener.local_addr()?;
        // Links in messages lead to this server's real port.
        settings.public_url = format!("http://{addr}");
        let state = server::app_state(db.clone(), &settings)?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server::serve(listener, state, &settings, async {
                let _ = stop_rx.await;
            })
            .await
        });
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(TestApp {
            base: format!("http://{addr}"),
            client,
            db,
            demo,
            stop: Some(stop_tx),
            task,
            schema: None,
            _dir: dir,
        })
    }

    /// Where this server keeps its database and files.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        Ok(self.client.get(self.url(path)).send().await?)
    }

    pub async fn get_json(&self, path: &str) -> anyhow::Result<(u16, serde_json::Value)> {
        let response = self.get(path).await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }

    /// The first `n` booking windows (one each) with room for an
    /// installation at a place, from tomorrow on, as `(date, window)`: the
    /// days a registration may choose, whatever weekday the suite runs on.
    pub async fn open_windows(
        &self,
        lat: f64,
        lng: f64,
        n: usize,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let (_, coverage) = self
            .get_json(&format!("/api/v1/coverage?lat={lat}&lng={lng}"))
            .await?;
        let area = text(&coverage["area"]["id"])?.to_string();
        let tomorrow =
            (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(1))
                .format("%Y-%m-%d")
                .to_string();
        let (status, windows) = self
            .get_json(&format!(
                "/api/v1/areas/{area}/booking-windows?from={tomorrow}&days=62"
            ))
            .await?;
        anyhow::ensure!(status == 200, "{status}: {windows}");
        let found: Vec<(String, String)> = windows["days"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|d| {
                d["windows"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|w| w["has_room"] == true)
                    .filter_map(|w| {
                        Some((
                            d["date"].as_str()?.to_string(),
                            w["window"].as_str()?.to_string(),
                        ))
                    })
                    .collect::<Vec<_>>()
            })
            .take(n)
            .collect();
        anyhow::ensure!(
            found.len() == n,
            "only {} windows with room: {windows}",
            found.len()
        );
        Ok(found)
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
        self.db.close().await;
        if let Some((base_url, schema)) = self.schema.take()
            && let Ok(admin) = Db::connect(&base_url, 1).await
        {
            let _ = admin
                .conn()
                .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
                .await;
            admin.close().await;
        }
    }
}

/// A string field of a JSON answer; its absence fails the test (rather than
/// becoming "" and a 404 that an assertion might accept).
pub fn text(value: &serde_json::Value) -> anyhow::Result<&str> {
    value
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("expected a string, got {value}"))
}

/// Asserts a response is an RFC 9457 problem of the given status and type.
pub async fn assert_problem(
    response: reqwest::Response,
    status: u16,
    kind: &str,
) -> anyhow::Result<serde_json::Value> {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json");
    let body: serde_json::Value = response.json().await?;
    assert_eq!(body["type"], kind, "{body}");
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    Ok(body)
}

impl TestApp {
    /// The demo login of a role.
    pub fn account(&self, role: &str) -> anyhow::Result<(String, String)> {
        self.demo
            .accounts
            .iter()
            .find(|a| a.role == role)
            .map(|a| (a.login.clone(), a.password.clone()))
            .ok_or_else(|| anyhow::anyhow!("no demo account for {role}"))
    }

    /// A new client (own cookie jar) signed in as the demo account of `role`.
    pub async fn signed_in(&self, role: &str) -> anyhow::Result<Session> {
        let (login, password) = self.account(role)?;
        self.signed_in_as(&login, &password).await
    }

    /// A new client signed in with a login and password.
    pub async fn signed_in_as(&self, login: &str, password: &str) -> anyhow::Result<Session> {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let response = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "login": login, "password": password }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status() == 200,
            "login as {login}: {}",
            response.status()
        );
        let me: serde_json::Value = response.json().await?;
        Ok(Session {
            client,
            csrf: text(&me["csrf_token"])?.to_string(),
            base: self.base.clone(),
        })
    }
}

/// A signed-in client.
pub struct Session {
    pub client: reqwest::Client,
    pub csrf: String,
    base: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        Ok(self.client.get(self.url(path)).send().await?)
    }

    /// A write with the CSRF token, as the web app sends it.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Ok(request.send().await?)
    }
}

impl Session {
    /// A write with `If-Match: "<version>"` (ticket writes need it).
    pub async fn send_if(
        &self,
        method: reqwest::Method,
        path: &str,
        version: i64,
        body: Option<serde_json::Value>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("x-csrf-token", &self.csrf)
            .header("if-match", format!("\"{version}\""));
        if let Some(body) = body {
            request = request.json(&body);
        }
        Ok(request.send().await?)
    }

    /// GET as JSON: the status and the body.
    pub async fn json(&self, path: &str) -> anyhow::Result<(u16, serde_json::Value)> {
        let response = self.get(path).await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }
}

/// A small PNG, as a phone's photo would be after compression.
pub fn png() -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_pixel(64, 40, image::Rgb([30, 90, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
    Ok(out)
}

/// Uploads a photo to a ticket; its id.
pub async fn photo(who: &Session, ticket: &str, name: &str) -> anyhow::Result<String> {
    let part = reqwest::multipart::Part::bytes(png()?)
        .file_name(name.to_string())
        .mime_str("image/png")?;
    let r = who
        .client
        .post(who.url(&format!("/api/v1/tickets/{ticket}/attachments")))
        .header("x-csrf-token", &who.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await?;
    anyhow::ensure!(status == 201, "{status}: {body}");
    Ok(text(&body["id"])?.to_string())
}

/// Moves ticket `t` (at its version) with `body`; anything but a 200 fails
/// with the body sent and the answer.
pub async fn step(
    who: &Session,
    t: &serde_json::Value,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let r = who
        .send_if(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{}/transitions", text(&t["id"])?),
            t["version"].as_i64().unwrap_or_default(),
            Some(body.clone()),
        )
        .await?;
    let status = r.status();
    let out: serde_json::Value = r.json().await?;
    anyhow::ensure!(status == 200, "{body} → {status}: {out}");
    Ok(out)
}

/// Records every required entry of a job's checklist with a valid value
/// (a healthy reading; the port the ticket names, else 1), as a technician
/// on site would before completing it.
pub async fn document_job(who: &Session, t: &serde_json::Value) -> anyhow::Result<()> {
    use serde_json::json;
    let id = text(&t["id"])?.to_string();
    let (status, sheet) = who.json(&format!("/api/v1/tickets/{id}/checklist")).await?;
    anyhow::ensure!(status == 200, "{sheet}");
    for e in sheet["entries"].as_array().cloned().unwrap_or_default() {
        if e["required"] != true || !e["value"].is_null() {
            continue;
        }
        let value = match text(&e["kind"])? {
            "odp_port" => json!({"port": t["odp_port"].as_i64().unwrap_or(1)}),
            "length" => json!({"meters": 85}),
            "ont_serial" => json!({"serial": format!("ZTEG{}", &id.replace('-', "")[20..])}),
            "optical_power" => json!({"dbm": -19.5}),
            "speed_test" => json!({"download_mbps": 48.5, "upload_mbps": 19.0}),
            "photos" => json!({"attachment_ids": [photo(who, &id, "foto.png").await?]}),
            "signature" => {
                json!({"attachment_id": photo(who, &id, "ttd.png").await?, "signer": "Pelanggan"})
            }
            "code" => json!({"code": e["choices"][0]}),
            _ => json!({"text": "Kabel drop tertekuk di tiang, disambung ulang"}),
        };
        let r = who
            .send(
                reqwest::Method::PUT,
                &format!("/api/v1/tickets/{id}/checklist/{}", text(&e["key"])?),
                Some(json!({ "value": value })),
            )
            .await?;
        let status = r.status();
        let body: serde_json::Value = r.json().await?;
        anyhow::ensure!(status == 200, "{}: {status} {body}", e["key"]);
    }
    Ok(())
}
