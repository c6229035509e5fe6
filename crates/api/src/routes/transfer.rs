//! CSV import and export of areas, ODCs, ODPs, packages and customers. ISPs
//! keep these in spreadsheets: a dry run reports every bad line, and an import is
//! all or nothing. Existing records (same code, name or customer number) are
//! updated, so an export edited in a spreadsheet can be imported back. The
//! file is read here; its lines go through each record's one write path in
//! `netcrew_store::transfer`.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use netcrew_domain::access::Permission;
use netcrew_store::transfer::{self, Line, TransferKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    caller::Caller,
    extract::{ApiPath, ApiQuery},
    problem::{ApiError, ApiResult, FieldError, Problem},
};

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(export))
}

fn kind(s: &str) -> ApiResult<TransferKind> {
    TransferKind::parse(s).ok_or_else(|| {
        ApiError::NotFound(format!(
            "No import or export called {s:?}; choose areas, odcs, odps, packages or customers."
        ))
    })
}

/// One bad value of a CSV file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    /// Stable reason, as in field errors (`required`, `length`, `format`,
    /// `unknown`, `choice`, `range`, `phone`, `email`, `taken`,
    /// `outside_area`, `port_range`, `port_taken`, `in_use`, `duplicate`,
    /// `control_character`).
    pub code: String,
    pub detail: String,
    /// The values the reason mentions (as in field errors).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

impl From<transfer::LineError> for LineError {
    fn from(e: transfer::LineError) -> Self {
        LineError {
            line: e.line,
            field: e.error.field,
            code: e.error.code,
            detail: e.error.detail,
            params: e.error.params,
        }
    }
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: TransferKind,
    pub dry_run: bool,
    /// Data lines read.
    pub rows: u64,
    /// Records created and updated (lines with a bad value change nothing).
    pub created: u64,
    pub updated: u64,
    /// Every bad value; an import with any is not applied.
    pub errors: Vec<LineError>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only check the file and report; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Imports a CSV file (UTF-8, comma-separated, with the header row of the
/// kind's export). With `dry_run=true` it only reports.
#[utoipa::path(post, path = "/imports/{kind}", tag = "transfer",
    params(("kind" = TransferKind, Path, description = "areas, odcs, odps, packages, customers or stock"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport, description = "Applied, or (dry run) the report"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "The file cannot be read, or (not a dry run) has bad lines; nothing was changed"),
    ))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    caller.require(Permission::DataImport)?;
    let kind = self::kind(&kind)?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::validation(
            "file",
            "encoding",
            format!(
                "the file is not UTF-8 text (byte {}); save it as \"CSV UTF-8\"",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            ApiError::validation(
                "file",
                "format",
                format!("cannot read the header line: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let expected = kind.columns();
    let (missing, unknown) = kind.header_gaps(&headers);
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(ApiError::Validation {
            detail: format!(
                "line 1: the header must be {}{}{}",
                expected.join(","),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing: {}", missing.join(", "))
                },
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!("; unknown: {}", unknown.join(", "))
                },
            ),
            errors: vec![FieldError::new(
                "header",
                "header",
                format!("expected {}", expected.join(",")),
            )],
        });
    }
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| ApiError::Validation {
            detail: format!("line {line}: {e}"),
            errors: vec![FieldError::new(
                format!("line {line}"),
                "format",
                e.to_string(),
            )],
        })?;
        records.push((line, record.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    if records.is_empty() {
        return Err(ApiError::validation(
            "file",
            "empty",
            "the file has a header but no data lines",
        ));
    }
    let lines: Vec<Line> = records
        .into_iter()
        .map(|(number, values)| Line {
            number,
            cells: headers.iter().cloned().zip(values).collect(),
        })
        .collect();
    let ctx = transfer::Context {
        now: Utc::now(),
        zone: state.config.zone,
    };
    let plan = transfer::plan(state.db.conn(), kind, lines, &ctx).await?;
    let report = ImportReport {
        kind,
        dry_run: query.dry_run,
        rows: plan.rows,
        created: plan.created(),
        updated: plan.updated(),
        errors: plan.errors.iter().cloned().map(LineError::from).collect(),
    };
    if query.dry_run {
        return Ok(axum::Json(report).into_response());
    }
    if !report.errors.is_empty() {
        let shown: Vec<String> = report
            .errors
            .iter()
            .take(20)
            .map(|e| format!("line {}: {}: {}", e.line, e.field, e.detail))
            .collect();
        return Err(ApiError::Validation {
            detail: format!(
                "{} bad value(s); nothing was imported. {}",
                report.errors.len(),
                shown.join("; ")
            ),
            errors: report
                .errors
                .iter()
                .map(|e| {
                    FieldError::new(
                        format!("line {}: {}", e.line, e.field),
                        &e.code,
                        e.detail.clone(),
                    )
                })
                .collect(),
        });
    }
    transfer::apply(&state.db, &caller.actor(), plan, Utc::now()).await?;
    Ok(axum::Json(report).into_response())
}

/// Exports as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
/// read it right), in the layout the import takes.
#[utoipa::path(get, path = "/exports/{kind}", tag = "transfer",
    params(("kind" = TransferKind, Path, description = "areas, odcs, odps, packages, customers or stock")),
    responses(
        (status = 200, description = "CSV file", body = String, content_type = "text/csv"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(kind): ApiPath<String>,
) -> ApiResult<Response> {
    caller.require(Permission::DataExport)?;
    let kind = self::kind(&kind)?;
    let lines = transfer::export(state.db.conn(), kind).await?;
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(kind.columns()).map_err(fail)?;
    for line in lines {
        out.write_record(line).map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"netcrew-{}-{}.csv\"",
        kind.as_str(),
        Utc::now().format("%Y%m%d")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
