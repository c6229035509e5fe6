//! Password hashing with argon2id (OWASP's recommended parameters: 19 MiB,
//! two passes, one lane — the `argon2` crate's defaults).
//!
//! Each hash needs 19 MiB, so hashes run on a small fixed set of worker
//! threads: at most that many run at once whatever the number of requests,
//! and the freed memory of one hash is reused by the next on the same thread
//! instead of piling up in per-thread allocator arenas. A request that cannot
//! get a worker within [`MAX_WAIT`] is refused ([`PasswordError::Busy`]), so
//! a burst of sign-ins queues briefly and then sheds load instead of growing
//! without bound.

use std::{
    sync::{Arc, Mutex, OnceLock, mpsc},
    time::Duration,
};

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use tokio::sync::{Semaphore, oneshot};

/// How long a request may wait for a hashing worker.
pub const MAX_WAIT: Duration = Duration::from_secs(5);
/// Requests that may wait for a worker at once; more are refused at once.
const MAX_WAITING: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the server is busy checking passwords; try again in a moment")]
    Busy,
    #[error("hashing password: {0}")]
    Hash(String),
}

pub fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// True when `password` matches the stored PHC string.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    jobs: Mutex<mpsc::Sender<Job>>,
    /// Admission: one permit per worker plus the waiting room.
    slots: Arc<Semaphore>,
    waiting: Semaphore,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 4);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..workers {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start a password worker: {e}");
            }
        }
        Pool {
            jobs: Mutex::new(tx),
            slots: Arc::new(Semaphore::new(workers)),
            waiting: Semaphore::new(MAX_WAITING),
        }
    })
}

async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PasswordError> {
    let pool = pool();
    let _waiting = pool
        .waiting
        .try_acquire()
        .map_err(|_| PasswordError::Busy)?;
    let slot = tokio::time::timeout(MAX_WAIT, pool.slots.clone().acquire_owned())
        .await
        .map_err(|_| PasswordError::Busy)?
        .map_err(|_| PasswordError::Busy)?;
    let (tx, rx) = oneshot::channel();
    // The slot is held by the job itself, so a request that goes away does
    // not free it before the hash is done.
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
        drop(slot);
    });
    pool.jobs
        .lock()
        .map_err(|_| PasswordError::Busy)?
        .send(job)
        .map_err(|_| PasswordError::Busy)?;
    rx.await.map_err(|_| PasswordError::Busy)
}

/// Hashes a password on a worker thread.
pub async fn hash(password: &str) -> Result<String, PasswordError> {
    let password = password.to_string();
    run(move || hash_blocking(&password)).await?
}

/// Checks a password against a stored PHC string on a worker thread.
pub async fn verify(password: &str, phc: &str) -> Result<bool, PasswordError> {
    let (password, phc) = (password.to_string(), phc.to_string());
    run(move || verify_blocking(&password, &phc)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_only_the_right_password() {
        let phc = super::hash_blocking("kabel-drop-250m").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(super::verify_blocking("kabel-drop-250m", &phc));
        assert!(!super::verify_blocking("kabel-drop-251m", &phc));
        assert!(!super::verify_blocking("anything", "not a hash"));
    }

    #[tokio::test]
    async fn the_pool_hashes_and_verifies() {
        let phc = super::hash("kabel-drop-250m").await.expect("hash");
        assert!(
            super::verify("kabel-drop-250m", &phc)
                .await
                .expect("verify")
        );
        assert!(
            !super::verify("kabel-drop-251m", &phc)
                .await
                .expect("verify")
        );
    }
}
