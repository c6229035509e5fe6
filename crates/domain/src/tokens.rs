//! API tokens for integrations: what a new token may be given. A token acts
//! for the admin who creates it, so it can hold only permissions they have.

use chrono::{DateTime, Utc};

use crate::{
    Checks, FieldError, Role,
    access::{Permission, allows},
};

/// What every token's secret starts with, so a leaked one is recognised.
pub const TOKEN_PREFIX: &str = "nct_";

/// Longest name of a token.
pub const NAME_MAX: usize = 80;

/// The scopes of a new token for a caller with `role`: known permissions
/// the caller has themself, at least one; sorted, each once.
pub fn scopes(c: &mut Checks, field: &str, role: Role, names: &[String]) -> Vec<Permission> {
    let mut scopes = Vec::new();
    for name in names {
        match Permission::parse(name) {
            Some(p) if allows(role, p) => scopes.push(p),
            Some(_) => c.push(FieldError::new(
                field,
                "choice",
                format!("{name}: you do not have this permission yourself"),
            )),
            None => c.push(FieldError::new(
                field,
                "unknown",
                format!("{name}: no such permission"),
            )),
        }
    }
    if names.is_empty() {
        c.fail(field, "choice", "choose at least one permission");
    }
    scopes.sort_unstable_by_key(|p| p.as_str());
    scopes.dedup();
    scopes
}

/// When a new token stops working: never, or some time after `now`.
pub fn expiry(c: &mut Checks, field: &str, expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) {
    if expires_at.is_some_and(|e| e <= now) {
        c.fail(field, "date_past", "must be in the future");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scopes_are_the_callers_own_permissions() {
        let mut c = Checks::default();
        let got = scopes(
            &mut c,
            "scopes",
            Role::Admin,
            &names(&["users.read", "audit.read", "users.read"]),
        );
        assert!(c.is_empty());
        assert_eq!(got, [Permission::AuditRead, Permission::UsersRead]);
        scopes(
            &mut c,
            "scopes",
            Role::Cs,
            &names(&["users.manage", "root"]),
        );
        let codes: Vec<_> = c.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["choice", "unknown"]);
        let mut c = Checks::default();
        scopes(&mut c, "scopes", Role::Admin, &[]);
        assert_eq!(c.errors[0].detail, "choose at least one permission");
    }

    #[test]
    fn a_token_expires_in_the_future() {
        let now: DateTime<Utc> = "2026-11-28T03:00:00Z".parse().expect("time");
        let mut c = Checks::default();
        expiry(&mut c, "expires_at", None, now);
        expiry(
            &mut c,
            "expires_at",
            Some(now + chrono::Duration::days(1)),
            now,
        );
        assert!(c.is_empty());
        expiry(&mut c, "expires_at", Some(now), now);
        assert_eq!(c.errors[0].code, "date_past");
    }
}
