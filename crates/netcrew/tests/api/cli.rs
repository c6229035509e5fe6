//! The binary itself: start-up errors are one clear line and a non-zero exit.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_netcrew");

fn run(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<(i32, String)> {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("NETCREW_LOG", "error");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn assert_one_clear_line(code: i32, stderr: &str, needle: &str) {
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("netcrew: error: "), "{stderr}");
    assert!(lines[0].contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn malformed_config_file() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("netcrew.toml");
    std::fs::write(&file, "bind = \"not an address\"\n")?;
    let data = dir.path().join("data");
    let (code, err) = run(
        &[
            "serve",
            "--config",
            file.to_str().unwrap_or_default(),
            "--data-dir",
            data.to_str().unwrap_or_default(),
        ],
        &[],
    )?;
    assert_one_clear_line(code, &err, "malformed config file");
    Ok(())
}

#[test]
fn unreachable_database() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (code, err) = run(
        &[
            "migrate",
            "--data-dir",
            dir.path().to_str().unwrap_or_default(),
        ],
        &[(
            "DATABASE_URL",
            "postgres://netcrew:hunter2@127.0.0.1:1/netcrew",
        )],
    )?;
    assert_one_clear_line(code, &err, "cannot connect to database");
    assert!(!err.contains("hunter2"), "the password was shown: {err}");
    Ok(())
}

#[test]
fn data_directory_that_cannot_be_written() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "x")?;
    let (code, err) = run(
        &[
            "migrate",
            "--data-dir",
            not_a_dir.to_str().unwrap_or_default(),
        ],
        &[],
    )?;
    assert_one_clear_line(code, &err, "data directory");
    Ok(())
}

#[test]
fn port_in_use() -> anyhow::Result<()> {
    let taken = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = taken.local_addr()?.to_string();
    let dir = tempfile::tempdir()?;
    let (code, err) = run(
        &[
            "serve",
            "--bind",
            &addr,
            "--data-dir",
            dir.path().to_str().unwrap_or_default(),
        ],
        &[],
    )?;
    assert_one_clear_line(code, &err, "cannot listen on");
    Ok(())
}

#[test]
fn help_documents_every_option() -> anyhow::Result<()> {
    let out = Command::new(BIN).args(["serve", "--help"]).output()?;
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--bind",
        "--database-url",
        "--data-dir",
        "--db-max-connections",
        "--time-zone",
        "--default-locale",
        "--request-timeout-secs",
        "--max-body-bytes",
        "--shutdown-grace-secs",
        "--header-read-timeout-secs",
        "--idle-timeout-secs",
        "--max-connections",
        "--config",
        "--log",
        "--log-format",
        "NETCREW_BIND",
        "DATABASE_URL",
    ] {
        assert!(help.contains(option), "{option} not in --help:\n{help}");
    }
    Ok(())
}

/// The demo writes its logins, serves, and stops cleanly on SIGTERM.
#[test]
fn demo_serves_and_shuts_down_gracefully() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = Command::new(BIN)
        .args([
            "demo",
            "--port",
            &port.to_string(),
            "--data-dir",
            dir.path().to_str().unwrap_or_default(),
            "--scale",
            "0.2",
        ])
        .env("NETCREW_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut printed = String::new();
    while Instant::now() < deadline {
        let Some(line) = lines.next() else { break };
        let line = line?;
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("Open http://") {
            break;
        }
    }
    assert!(printed.contains("admin1@fibernusa.example"), "{printed}");

    let accounts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("demo-accounts.json"))?)?;
    let roles: Vec<&str> = accounts.iter().filter_map(|a| a["role"].as_str()).collect();
    assert_eq!(
        roles,
        [
            "admin",
            "supervisor",
            "cs",
            "management",
            "technician",
            "customer",
            "warehouse"
        ]
    );
    assert!(accounts.iter().all(|a| a["login"].is_string() && a["password"].as_str().is_some_and(|p| p.len() >= 8)));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait()? {
            assert!(status.success(), "exit status after SIGTERM: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

#[test]
fn user_create_makes_the_first_admin() -> anyhow::Result<()> {
    use std::io::Write;
    let dir = tempfile::tempdir()?;
    let data = dir.path().to_str().unwrap_or_default().to_string();
    let create = |password: &str, email: &str| -> anyhow::Result<(i32, String, String)> {
        let mut child = Command::new(BIN)
            .args([
                "user",
                "create",
                "--role",
                "admin",
                "--name",
                "Dewi Lestari",
                "--email",
                email,
                "--data-dir",
                &data,
            ])
            .env("NETCREW_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{password}")?;
        }
        let out = child.wait_with_output()?;
        Ok((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    };
    let (code, _, err) = create("123", "dewi@isp.example")?;
    assert_one_clear_line(code, &err, "password");
    let (code, out, err) = create("tiang listrik di gang sempit", "Dewi@ISP.example")?;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created admin account"), "{out}");
    assert!(
        !out.contains("tiang listrik"),
        "the password is never printed"
    );
    let (code, _, err) = create("tiang listrik di gang sempit", "dewi@isp.example")?;
    assert_one_clear_line(code, &err, "already exists");
    Ok(())
}

#[test]
fn backup_copies_the_sqlite_database() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let data = data.to_str().unwrap_or_default();
    let status = Command::new(BIN)
        .args(["demo", "--no-serve", "--scale", "0.1", "--data-dir", data])
        .env("NETCREW_LOG", "error")
        .stdout(Stdio::null())
        .status()?;
    assert!(status.success());
    let copy = dir.path().join("copy.db");
    let copy = copy.to_str().unwrap_or_default();
    let (code, err) = run(&["backup", copy, "--data-dir", data], &[])?;
    assert_eq!(code, 0, "{err}");
    // The copy is a working database: serve it and read from it.
    let (code, err) = run(
        &["migrate", "--database-url", &format!("sqlite://{copy}")],
        &[],
    )?;
    assert_eq!(code, 0, "{err}");
    // ... and it holds the data: the demo refuses to fill it again.
    let (code, err) = run(
        &[
            "demo",
            "--no-serve",
            "--data-dir",
            data,
            "--database-url",
            &format!("sqlite://{copy}"),
        ],
        &[],
    )?;
    assert_one_clear_line(code, &err, "already has data");
    let (code, err) = run(&["backup", copy, "--data-dir", data], &[])?;
    assert_one_clear_line(code, &err, "already exists");
    let (code, err) = run(
        &["backup", "/tmp/never.db"],
        &[("DATABASE_URL", "postgres://x:secret@127.0.0.1:1/x")],
    )?;
    assert_one_clear_line(code, &err, "cannot connect");
    Ok(())
}

/// The database, its backups and the demo logins are the owner's alone.
#[cfg(unix)]
#[test]
fn files_are_readable_by_their_owner_only() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| -> anyhow::Result<u32> {
        Ok(std::fs::metadata(p)?.permissions().mode() & 0o777)
    };
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap_or_default();

    let (code, err) = run(&["migrate", "--data-dir", data_arg], &[])?;
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&data)?, 0o700, "data directory");
    assert_eq!(mode(&data.join("netcrew.db"))?, 0o600, "database");

    let demo = dir.path().join("demo");
    let demo_arg = demo.to_str().unwrap_or_default();
    let status = Command::new(BIN)
        .args([
            "demo",
            "--no-serve",
            "--scale",
            "0.1",
            "--data-dir",
            demo_arg,
        ])
        .env("NETCREW_LOG", "error")
        .stdout(Stdio::null())
        .status()?;
    assert!(status.success());
    assert_eq!(mode(&demo)?, 0o700, "demo directory");
    for name in [
        "netcrew.db",
        "netcrew.db-wal",
        "netcrew.db-shm",
        "demo-accounts.json",
    ] {
        let file = demo.join(name);
        if name.ends_with("json") || name.ends_with("db") {
            assert!(file.exists(), "{name} missing");
        }
        if file.exists() {
            assert_eq!(mode(&file)?, 0o600, "{name}");
        }
    }

    let copy = dir.path().join("copy.db");
    let (code, err) = run(
        &[
            "backup",
            copy.to_str().unwrap_or_default(),
            "--data-dir",
            demo_arg,
        ],
        &[],
    )?;
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&copy)?, 0o600, "backup");
    Ok(())
}
