//! Walks every operation of the OpenAPI document for every role and for an
//! anonymous caller, and checks who is let through. An operation without a
//! rule here fails the suite, so no endpoint ships without one.

use reqwest::Method;

use crate::{both_backends, support::TestApp};

#[derive(Debug, Clone, Copy)]
enum Rule {
    Public,
    SignedIn,
    /// Only these roles get past authorization.
    Roles(&'static [&'static str]),
}

const STAFF_READERS: &[&str] = &["admin", "supervisor", "management"];
const ADMIN: &[&str] = &["admin"];
const AUDITORS: &[&str] = &["admin", "management"];
const STAFF: &[&str] = &[
    "admin",
    "supervisor",
    "cs",
    "technician",
    "management",
    "warehouse",
];
const CUSTOMER_READERS: &[&str] = &["admin", "supervisor", "cs", "management", "customer"];
const CUSTOMER_WRITERS: &[&str] = &["admin", "supervisor", "cs"];
const DEMAND: &[&str] = &["admin", "supervisor", "management"];
const EXPORTERS: &[&str] = &["admin", "management"];
const OUTAGE_READERS: &[&str] = &["admin", "supervisor", "cs", "management"];
const OUTAGE_MANAGERS: &[&str] = &["admin", "supervisor"];
const STAFF_WORKERS: &[&str] = &["admin", "supervisor", "cs", "technician"];
const TICKET_OPENERS: &[&str] = &["admin", "supervisor", "cs", "customer"];
const TICKET_WORKERS: &[&str] = &["admin", "supervisor", "cs", "technician", "customer"];
/// Who records and sees identity documents, and verifies installations.
const IDENTITY: &[&str] = &["admin", "cs"];
/// Who reads the delivery log of messages to customers.
const MESSAGE_READERS: &[&str] = &["admin", "cs"];
/// Who assigns and marks payments: the desk and supervisors.
const ASSIGNERS: &[&str] = &["admin", "supervisor", "cs"];
/// Who sees technicians' availability and why a technician is suggested.
const DISPATCH_READERS: &[&str] = &["admin", "supervisor", "cs", "management"];
/// Who changes technicians' profiles, the rota, and decides leave.
const DISPATCH_MANAGERS: &[&str] = &["admin", "supervisor"];
/// Leave and the rota as everyone concerned sees them (a technician: their
/// own leave).
const AVAILABILITY_READERS: &[&str] = &["admin", "supervisor", "cs", "management", "technician"];

/// Who sees stock, places, movements and units.
const STOCK_READERS: &[&str] = &["admin", "supervisor", "management", "warehouse"];
/// Who keeps the catalogue and moves stock.
const STOREKEEPERS: &[&str] = &["admin", "warehouse"];

const ROLES: [&str; 7] = [
    "admin",
    "supervisor",
    "cs",
    "technician",
    "management",
    "customer",
    "warehouse",
];

fn rule(method: &str, path: &str) -> Option<Rule> {
    use Rule::*;
    Some(match (method, path) {
        ("get", "/healthz" | "/readyz" | "/metrics") => Public,
        ("get", "/api/v1/system" | "/api/v1/packages" | "/api/v1/areas") => Public,
        ("post", "/api/v1/auth/login") => Public,
        ("post", "/api/v1/auth/logout") => SignedIn,
        ("get" | "patch", "/api/v1/me") => SignedIn,
        ("post", "/api/v1/me/password") => SignedIn,
        ("get" | "delete", "/api/v1/me/sessions") => SignedIn,
        ("delete", "/api/v1/me/sessions/{id}") => SignedIn,
        ("get" | "put", "/api/v1/me/notification-preferences")
        | ("get" | "post", "/api/v1/me/push-subscriptions")
        | ("delete", "/api/v1/me/push-subscriptions/{id}")
        | ("post", "/api/v1/me/push-subscriptions/test") => Roles(STAFF),
        ("get", "/api/v1/tickets/{id}/checklist") | ("get", "/api/v1/job-settings") => Roles(STAFF),
        ("put" | "delete", "/api/v1/tickets/{id}/checklist/{entry}") => Roles(STAFF_WORKERS),
        ("post", "/api/v1/tickets/{id}/checklist/exception") => Roles(DISPATCH_MANAGERS),
        ("put", "/api/v1/job-settings") => Roles(ADMIN),
        ("get", "/api/v1/me/day") | ("post", "/api/v1/me/day/check-in") => Roles(&["technician"]),
        // The history at a job's place, as its checklist: staff who may
        // read the ticket.
        ("get", "/api/v1/tickets/{id}/history") => Roles(STAFF),
        ("get", "/api/v1/job-reviews") | ("post", "/api/v1/tickets/{id}/review") => {
            Roles(DISPATCH_MANAGERS)
        }
        ("get", "/api/v1/notification-routes")
        | ("put" | "delete", "/api/v1/notification-routes/{event}/{role}") => Roles(ADMIN),
        (
            "post",
            "/api/v1/auth/password-reset"
            | "/api/v1/auth/password-forgot"
            | "/api/v1/auth/code"
            | "/api/v1/auth/code/sign-in",
        ) => Public,
        ("post" | "delete", "/api/v1/me/totp") | ("post", "/api/v1/me/totp/confirm") => SignedIn,
        ("get", "/api/v1/users" | "/api/v1/users/{id}") => Roles(STAFF_READERS),
        ("post", "/api/v1/users" | "/api/v1/users/invitations") => Roles(ADMIN),
        ("patch", "/api/v1/users/{id}") => Roles(ADMIN),
        ("post", "/api/v1/users/{id}/password-reset") => Roles(ADMIN),
        ("delete", "/api/v1/users/{id}/sessions") => Roles(ADMIN),
        ("get", "/api/v1/teams") => Roles(STAFF),
        ("post", "/api/v1/teams") | ("patch", "/api/v1/teams/{id}") => Roles(ADMIN),
        ("get" | "post", "/api/v1/api-tokens") | ("delete", "/api/v1/api-tokens/{id}") => {
            Roles(ADMIN)
        }
        ("get", "/api/v1/audit-events") => Roles(AUDITORS),
        ("get", "/api/v1/areas/{id}" | "/api/v1/coverage") => Public,
        ("get", "/api/v1/areas/{id}/booking-windows") => Public,
        ("post", "/api/v1/registrations") => Public,
        // The customer's "technician on the way" page: the token is the key.
        ("get", "/api/v1/track/{token}") => Public,
        ("post", "/api/v1/areas" | "/api/v1/odcs" | "/api/v1/odps" | "/api/v1/packages") => {
            Roles(ADMIN)
        }
        (
            "patch",
            "/api/v1/areas/{id}"
            | "/api/v1/odcs/{id}"
            | "/api/v1/odps/{id}"
            | "/api/v1/packages/{id}",
        ) => Roles(ADMIN),
        ("get", "/api/v1/odcs" | "/api/v1/odcs/{id}" | "/api/v1/odps" | "/api/v1/odps/{id}") => {
            Roles(STAFF)
        }
        ("get", "/api/v1/service-types") => Roles(STAFF),
        ("get", "/api/v1/odps/{id}/ports") => Roles(STAFF),
        ("patch", "/api/v1/service-types/{id}") => Roles(ADMIN),
        ("get", "/api/v1/problem-categories") => SignedIn,
        ("post", "/api/v1/problem-categories" | "/api/v1/skills") => Roles(ADMIN),
        ("patch", "/api/v1/problem-categories/{id}" | "/api/v1/skills/{id}") => Roles(ADMIN),
        ("get", "/api/v1/skills") => Roles(STAFF),
        ("get", "/api/v1/customers" | "/api/v1/customers/{id}") => Roles(CUSTOMER_READERS),
        ("post", "/api/v1/customers") | ("patch", "/api/v1/customers/{id}") => {
            Roles(CUSTOMER_WRITERS)
        }
        ("get", "/api/v1/customers/{id}/portal-account") => Roles(CUSTOMER_READERS),
        ("post", "/api/v1/customers/{id}/portal-account") => Roles(CUSTOMER_WRITERS),
        ("get", "/api/v1/customers/{id}/personal-data") => Roles(CUSTOMER_READERS),
        ("post", "/api/v1/customers/{id}/erasure") => Roles(ADMIN),
        ("get", "/api/v1/demand-points") => Roles(DEMAND),
        ("post", "/api/v1/imports/{kind}") => Roles(ADMIN),
        ("get", "/api/v1/exports/{kind}") => Roles(EXPORTERS),
        ("get", "/api/v1/tickets" | "/api/v1/tickets/{id}") => SignedIn,
        ("get", "/api/v1/tickets/{id}/timeline" | "/api/v1/tickets/{id}/comments") => SignedIn,
        ("post", "/api/v1/tickets") => Roles(TICKET_OPENERS),
        ("patch", "/api/v1/tickets/{id}") => Roles(CUSTOMER_WRITERS),
        ("post", "/api/v1/tickets/{id}/transitions" | "/api/v1/tickets/{id}/comments") => {
            Roles(TICKET_WORKERS)
        }
        ("post", "/api/v1/tickets/{id}/rating") => Roles(&["customer"]),
        ("get", "/api/v1/tickets/{id}/attachments" | "/api/v1/attachments/{id}/content") => {
            SignedIn
        }
        ("post", "/api/v1/tickets/{id}/attachments") => Roles(TICKET_WORKERS),
        ("post", "/api/v1/tickets/{id}/survey") => Roles(STAFF_WORKERS),
        ("get", "/api/v1/customers/{id}/identity") => Roles(CUSTOMER_READERS),
        ("put", "/api/v1/customers/{id}/identity")
        | (
            "get",
            "/api/v1/customers/{id}/identity/nik" | "/api/v1/customers/{id}/identity/photo",
        )
        | ("post", "/api/v1/tickets/{id}/verification") => Roles(IDENTITY),
        ("post", "/api/v1/tickets/{id}/fee") => Roles(ASSIGNERS),
        // Storekeepers pick whom to issue stock to.
        ("get", "/api/v1/technicians") => Roles(&["admin", "supervisor", "cs", "warehouse"]),
        ("get", "/api/v1/messages" | "/api/v1/inbound-messages")
        | ("post", "/api/v1/inbound-messages/{id}/handled") => Roles(MESSAGE_READERS),
        // The secret in the address is the check (a wrong one: 404).
        ("get" | "post", "/api/v1/webhooks/whatsapp/{provider}/{secret}") => Public,
        ("get" | "put", "/api/v1/channels/whatsapp" | "/api/v1/channels/email")
        | (
            "post",
            "/api/v1/messages/{id}/resend"
            | "/api/v1/message-templates/preview"
            | "/api/v1/channels/email/test",
        )
        | ("get", "/api/v1/message-templates")
        | ("put" | "delete", "/api/v1/message-templates/{event}/{locale}") => Roles(ADMIN),
        ("get", "/api/v1/pause-reasons") => SignedIn,
        ("get", "/api/v1/sla-policies" | "/api/v1/holidays" | "/api/v1/areas/{id}/calendar") => {
            Roles(STAFF)
        }
        ("patch", "/api/v1/pause-reasons/{code}")
        | ("put", "/api/v1/sla-policies" | "/api/v1/areas/{id}/calendar")
        | ("delete", "/api/v1/sla-policies/{id}" | "/api/v1/holidays/{day}")
        | ("post", "/api/v1/holidays/import") => Roles(ADMIN),
        ("get", "/api/v1/events" | "/api/v1/notifications") => SignedIn,
        ("post", "/api/v1/notifications/read") => SignedIn,
        ("get", "/api/v1/outages" | "/api/v1/outages/{id}" | "/api/v1/outage-suggestions") => {
            Roles(OUTAGE_READERS)
        }
        ("post", "/api/v1/outages" | "/api/v1/outages/{id}/resolution") => Roles(OUTAGE_MANAGERS),
        ("get", "/api/v1/dispatch/settings" | "/api/v1/technicians/{id}/profile")
        | ("get", "/api/v1/dispatch/board")
        | ("get", "/api/v1/tickets/{id}/assignment") => Roles(DISPATCH_READERS),
        ("put", "/api/v1/dispatch/settings") => Roles(ADMIN),
        ("put", "/api/v1/technicians/{id}/profile")
        | ("post", "/api/v1/technicians/{id}/leave" | "/api/v1/leave/{id}/decision")
        | ("post", "/api/v1/on-call")
        | ("delete", "/api/v1/on-call/{id}") => Roles(DISPATCH_MANAGERS),
        ("post", "/api/v1/technicians/me/position") => Roles(&["technician"]),
        ("get", "/api/v1/leave" | "/api/v1/on-call") => Roles(AVAILABILITY_READERS),
        ("post", "/api/v1/leave/{id}/cancel") => Roles(&["admin", "supervisor", "technician"]),
        ("post", "/api/v1/tickets/{id}/assignment") | ("put", "/api/v1/tickets/{id}/crew") => {
            Roles(ASSIGNERS)
        }
        (
            "get",
            "/api/v1/inventory/items"
            | "/api/v1/inventory/movements"
            | "/api/v1/inventory/requests",
        ) => Roles(&[
            "admin",
            "supervisor",
            "management",
            "warehouse",
            "technician",
        ]),
        ("post", "/api/v1/inventory/items" | "/api/v1/inventory/locations")
        | ("patch", "/api/v1/inventory/items/{id}")
        | ("put", "/api/v1/inventory/reorder-levels") => Roles(STOREKEEPERS),
        (
            "get",
            "/api/v1/inventory/locations"
            | "/api/v1/inventory/stock"
            | "/api/v1/inventory/stock/totals"
            | "/api/v1/inventory/assets"
            | "/api/v1/inventory/usage"
            | "/api/v1/inventory/assets/{id}"
            | "/api/v1/technicians/{id}/stock",
        ) => Roles(STOCK_READERS),
        // Storekeepers move stock; supervisors approve counts' corrections.
        ("post", "/api/v1/inventory/movements") => Roles(&["admin", "supervisor", "warehouse"]),
        (
            "post",
            "/api/v1/tickets/{id}/equipment"
            | "/api/v1/inventory/requests"
            | "/api/v1/inventory/requests/{id}/decision",
        ) => Roles(&["admin", "warehouse", "technician"]),
        _ => return None,
    })
}

both_backends!(every_operation_for_every_role);

async fn every_operation_for_every_role(app: &TestApp) -> anyhow::Result<()> {
    let (_, doc) = app.get_json("/api/openapi.json").await?;
    let paths = doc["paths"]
        .as_object()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no paths in the OpenAPI document"))?;
    let mut checked = 0;
    for (path, item) in &paths {
        for method in item
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .ok_or_else(|| anyhow::anyhow!("{path} has no operations"))?
        {
            let rule = rule(&method, path)
                .unwrap_or_else(|| panic!("no authorization rule for {method} {path}: add one"));
            let concrete = path
                .replace("{id}", &uuid::Uuid::now_v7().to_string())
                .replace("{kind}", "areas")
                .replace("{code}", "weather")
                .replace("{day}", "2026-08-17");
            let http_method = Method::from_bytes(method.to_uppercase().as_bytes())?;
            let body = (http_method != Method::GET && http_method != Method::DELETE)
                .then(|| serde_json::json!({}));

            // Anonymous.
            let mut request = app.client.request(http_method.clone(), app.url(&concrete));
            if let Some(body) = &body {
                request = request.json(body);
            }
            let status = request.send().await?.status().as_u16();
            assert!(status < 500, "anonymous {method} {path}: {status}");
            match rule {
                Rule::Public => assert!(
                    ![401, 403].contains(&status),
                    "anonymous {method} {path}: {status}"
                ),
                Rule::SignedIn | Rule::Roles(_) => {
                    assert_eq!(status, 401, "anonymous {method} {path}")
                }
            }

            for role in ROLES {
                let session = app.signed_in(role).await?;
                let status = session
                    .send(http_method.clone(), &concrete, body.clone())
                    .await?
                    .status()
                    .as_u16();
                match rule {
                    Rule::Roles(allowed) if !allowed.contains(&role) => {
                        assert_eq!(status, 403, "{role} {method} {path} must be refused")
                    }
                    // Let through: answered by the operation itself (a 404 for
                    // the made-up id, a 422 for the empty body), never a
                    // refusal and never a server error.
                    _ => assert!(
                        ![401, 403].contains(&status) && status < 500,
                        "{role} {method} {path} answered {status}"
                    ),
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 24, "only {checked} operations found");
    Ok(())
}
