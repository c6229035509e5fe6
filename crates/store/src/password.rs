//! Password hashing with argon2id (OWASP's recommended parameters: 19 MiB,
//! two passes, one lane — the `argon2` crate's defaults).

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// True when `password` matches the stored PHC string.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_only_the_right_password() {
        let phc = super::hash("kabel-drop-250m").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(super::verify("kabel-drop-250m", &phc));
        assert!(!super::verify("kabel-drop-251m", &phc));
        assert!(!super::verify("anything", "not a hash"));
    }
}
