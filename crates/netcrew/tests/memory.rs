//! Memory under a burst of anonymous sign-ins. A test binary of its own:
//! it measures this process's resident memory and fills the password
//! workers, so no other test may run beside it.

#[path = "api/support.rs"]
#[allow(dead_code)]
mod support;

use serde_json::json;
use support::TestApp;

/// Resident memory of this process (the test server runs in it), in MiB.
fn resident_mib() -> anyhow::Result<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm")?;
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("statm: {statm}"))?
        .parse()?;
    Ok(pages * 4096 / (1024 * 1024))
}

/// Each password check takes argon2's 19 MiB: a burst of 500 anonymous
/// sign-ins from as many addresses must neither hash 500 at once nor leave
/// the memory behind.
#[tokio::test]
async fn a_burst_of_sign_ins_keeps_memory_flat() -> anyhow::Result<()> {
    if !std::path::Path::new("/proc/self/statm").exists() {
        return Ok(());
    }
    let app = TestApp::sqlite_with(|s| s.trust_forwarded_for = Some(true)).await?;
    // Warm up: the first checks allocate the workers' memory.
    for n in 0..4 {
        let _ = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .json(&json!({"login": format!("warm{n}@contoh.id"), "password": "wrong-guess"}))
            .send()
            .await?;
    }
    let before = resident_mib()?;
    let burst = (0..500).map(|n| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header(
                "x-forwarded-for",
                format!("10.{}.{}.{}", n / 65536, (n / 256) % 256, n % 256),
            )
            .json(&json!({"login": format!("nobody{n}@contoh.id"), "password": "wrong-guess"}))
            .send()
    });
    let answers = futures::future::join_all(burst).await;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for a in answers {
        *statuses.entry(a?.status().as_u16()).or_default() += 1;
    }
    let after = resident_mib()?;
    // Wrong sign-ins are refused (401), or shed when the hashing workers are
    // busy for too long (429 with Retry-After); nothing else.
    assert!(
        statuses.keys().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.get(&401).copied().unwrap_or(0) > 0, "{statuses:?}");
    // Unbounded, 500 parallel checks would take about 9.5 GB. Bounded, the
    // hashes take at most workers × 19 MiB; the rest is the 500 open
    // connections and queued requests, which grows with how slowly a
    // loaded machine works through them (up to about 210 MiB seen on a
    // busy 2-core machine).
    assert!(
        after.saturating_sub(before) < 300,
        "resident memory went from {before} MiB to {after} MiB ({statuses:?})"
    );
    app.stop().await;
    Ok(())
}
