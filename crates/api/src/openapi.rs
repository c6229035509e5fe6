//! Completes the generated OpenAPI document with what holds for every
//! operation, so each rule is declared once here instead of on every handler:
//!
//! - every problem answer is a reference to one shared response per status
//!   (`#/components/responses/...`);
//! - an operation with a JSON body can answer 400 (malformed JSON), 413 (too
//!   large), 415 (not JSON) and 422 (a field is missing or wrong); a create
//!   that takes a client-chosen `id` can answer 409 (that id exists);
//! - an operation that needs a caller declares the two ways to be one (the
//!   session cookie, an API token) and answers 401 and 403 (a token without
//!   the scope, a role without the permission);
//! - an operation with query parameters answers 422 when one is not valid;
//! - `limit` is 1 to 500; latitudes and longitudes have their ranges.

use serde_json::{Map, Value, json};

/// Status → (component name, description).
const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "400",
        "MalformedRequest",
        "The request cannot be read (e.g. malformed JSON).",
    ),
    (
        "401",
        "Unauthenticated",
        "Not signed in, or the session or token is not valid.",
    ),
    ("403", "Forbidden", "Signed in, but not allowed to do this."),
    (
        "404",
        "NotFound",
        "No such record (or not one the caller may see).",
    ),
    (
        "409",
        "Conflict",
        "The request conflicts with the current state.",
    ),
    (
        "412",
        "PreconditionFailed",
        "The record changed since it was read.",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The request body is larger than this server accepts.",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not of a type this operation reads.",
    ),
    (
        "422",
        "Validation",
        "A field is missing or not valid; `errors` names each.",
    ),
    (
        "428",
        "PreconditionRequired",
        "This write needs `If-Match`.",
    ),
    (
        "429",
        "TooManyRequests",
        "Too many attempts; `Retry-After` says when to try again.",
    ),
    (
        "503",
        "Unavailable",
        "Not ready to serve (e.g. the database is unreachable).",
    ),
];

const COOKIE: &str = "session_cookie";
const TOKEN: &str = "api_token";

/// Applies the rules above to a serialized document.
pub fn complete(doc: &mut Value) {
    let mut responses = Map::new();
    for (_, name, description) in PROBLEMS {
        responses.insert(
            (*name).to_string(),
            json!({
                "description": description,
                "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}
                }}
            }),
        );
    }
    let components = doc
        .as_object_mut()
        .map(|d| d.entry("components").or_insert_with(|| json!({})));
    if let Some(Value::Object(components)) = components {
        components.insert("responses".to_string(), Value::Object(responses));
        components.insert(
            "securitySchemes".to_string(),
            json!({
                COOKIE: {
                    "type": "apiKey", "in": "cookie", "name": "nc_session",
                    "description": "The web app's session (`__Host-nc_session` behind TLS). \
                        Writes also need the `X-CSRF-Token` header from `GET /api/v1/me`."
                },
                TOKEN: {
                    "type": "http", "scheme": "bearer",
                    "description": "An API token created by an admin, limited to its scopes."
                }
            }),
        );
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for schema in schemas.values_mut() {
                bound_coordinates(schema);
            }
        }
    }
    // Input schemas with a client-chosen `id`.
    let with_id: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter(|(_, s)| s.pointer("/properties/id").is_some())
                .map(|(name, _)| format!("#/components/schemas/{name}"))
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for (method, op) in item.iter_mut() {
            complete_operation(path, method, op, &with_id);
        }
    }
}

fn complete_operation(path: &str, method: &str, op: &mut Value, with_id: &[String]) {
    let has_json_body = op
        .pointer("/requestBody/content/application~1json")
        .is_some();
    let takes_client_id = method == "post"
        && op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .is_some_and(|r| with_id.iter().any(|w| w == r));
    let needs_caller = op.pointer("/responses/401").is_some();
    let has_query = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
    let Some(Value::Object(responses)) = op.get_mut("responses") else {
        return;
    };
    let mut add = |status: &str| {
        responses.entry(status.to_string()).or_insert(Value::Null);
    };
    if has_json_body {
        for status in ["400", "413", "415", "422"] {
            add(status);
        }
    }
    if path.ends_with("/imports/{kind}") {
        for status in ["413", "415"] {
            add(status);
        }
    }
    if needs_caller {
        add("403");
    }
    if has_query {
        add("422");
    }
    if takes_client_id {
        add("409");
    }
    // Every problem answer refers to the shared one of its status.
    for (status, response) in responses.iter_mut() {
        let is_problem = response.is_null()
            || response
                .pointer("/content/application~1problem+json")
                .is_some();
        if !is_problem {
            continue;
        }
        if let Some((_, name, _)) = PROBLEMS.iter().find(|(s, _, _)| s == status) {
            *response = json!({ "$ref": format!("#/components/responses/{name}") });
        }
    }
    if needs_caller && let Value::Object(op) = op {
        op.insert(
            "security".to_string(),
            json!([{ COOKIE: [] }, { TOKEN: [] }]),
        );
    }
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        for param in params {
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let schema = param.get_mut("schema");
            match (name.as_str(), schema) {
                ("limit", Some(Value::Object(schema))) => {
                    schema.insert("minimum".to_string(), json!(1));
                    schema.insert("maximum".to_string(), json!(500));
                    schema.insert("default".to_string(), json!(50));
                }
                ("lat", Some(Value::Object(schema))) => {
                    schema.insert("minimum".to_string(), json!(-90));
                    schema.insert("maximum".to_string(), json!(90));
                }
                ("lng", Some(Value::Object(schema))) => {
                    schema.insert("minimum".to_string(), json!(-180));
                    schema.insert("maximum".to_string(), json!(180));
                }
                _ => {}
            }
        }
    }
}

/// `lat` is -90..90 and `lng` -180..180 wherever a schema has them.
fn bound_coordinates(schema: &mut Value) {
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    for (name, range) in [("lat", 90), ("lng", 180)] {
        if let Some(Value::Object(p)) = props.get_mut(name)
            && p.get("type").and_then(Value::as_str) == Some("number")
        {
            p.insert("minimum".to_string(), json!(-range));
            p.insert("maximum".to_string(), json!(range));
        }
    }
}

/// The generated document with the rules applied. If the completed document
/// could not be read back (it always can: only known shapes are added), the
/// generated one is kept.
pub fn completed(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    complete(&mut value);
    match serde_json::from_value(value) {
        Ok(done) => done,
        Err(e) => {
            tracing::error!("completing the OpenAPI document: {e}");
            doc
        }
    }
}
