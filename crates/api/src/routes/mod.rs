pub mod alerts;
pub mod audit;
pub mod booking;
pub mod coverage;
pub mod customers;
pub mod dispatch;
pub mod identity;
pub mod inventory;
pub mod jobs;
pub mod live;
pub mod me;
pub mod messages;
pub mod network;
pub mod outages;
pub mod packages;
pub mod portal_accounts;
pub mod privacy;
pub mod registration;
pub mod service_catalog;
pub mod sign_in;
pub mod sla;
pub mod system;
pub mod teams;
pub mod technicians;
pub mod tickets;
pub mod tokens;
pub mod totp;
pub mod tracking;
pub mod transfer;
pub mod users;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// The envelope of every list: one page of items, the cursor of the next
/// page (`null` on the last) and the number of items matching the filters —
/// exact up to 10,000; beyond that `total` is 10,000 and `total_exact` is
/// false ("at least").
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    pub total: u64,
    /// False when `total` is a lower bound (more than 10,000 matches).
    pub total_exact: bool,
}

impl<T> List<T> {
    pub fn from_page<M>(page: netcrew_store::page::Page<M>, f: impl FnMut(M) -> T) -> Self {
        List {
            items: page.items.into_iter().map(f).collect(),
            next_cursor: page.next_cursor,
            total: page.total,
            total_exact: page.total_exact,
        }
    }

    /// A list that fits on one page: everything there is.
    pub fn complete(items: Vec<T>) -> Self {
        List {
            total: items.len() as u64,
            items,
            next_cursor: None,
            total_exact: true,
        }
    }
}

/// A place on the earth (WGS84).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Location {
    #[schema(example = -6.9147)]
    pub lat: f64,
    #[schema(example = 107.6098)]
    pub lng: f64,
}

/// For PATCH fields where `null` (remove the value) differs from absent
/// (leave it): absent is `None`, `null` is `Some(None)`.
pub fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// `201 Created` with the resource and its `Location`.
pub fn created<T: Serialize>(location: String, body: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (axum::http::StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

pub use netcrew_domain::Checks;

/// The API's own inputs, read into the domain's field checks.
pub trait ApiChecks {
    /// A place given as `{"lat": .., "lng": ..}`.
    fn location(&mut self, field: &str, p: Location) -> Option<netcrew_domain::GeoPoint>;
    /// An id a client chose (see `Checks::client_id`).
    fn client_uuid(&mut self, field: &str, id: Option<uuid::Uuid>);
}

impl ApiChecks for Checks {
    fn location(&mut self, field: &str, p: Location) -> Option<netcrew_domain::GeoPoint> {
        self.point(field, p.lat, p.lng)
    }

    fn client_uuid(&mut self, field: &str, id: Option<uuid::Uuid>) {
        self.client_id(field, id.map(|id| id.get_version_num()));
    }
}

/// A text filter of a list (`?action=`, `?city=`): refused when it holds
/// control characters, which no stored value does.
pub fn check_filter(field: &str, value: Option<&str>) -> Result<(), crate::problem::ApiError> {
    let mut c = Checks::default();
    if let Some(v) = value {
        c.no_controls(field, v, false);
    }
    Ok(c.finish()?)
}

/// A `multipart/form-data` request as read: its one file (the part named
/// `file_field`) and its text fields.
use crate::problem::{ApiError, ApiResult};

pub(crate) struct UploadForm {
    pub file: Option<netcrew_store::attachments::Upload>,
    pub texts: std::collections::HashMap<String, String>,
}

/// Reads a multipart form: the part `file_field` as an upload, the other
/// named parts as text. Not multipart → 415, over the body limit → 413, a
/// broken form → 400.
pub(crate) async fn read_upload_form(
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    file_field: &str,
) -> ApiResult<UploadForm> {
    use axum::extract::multipart::MultipartError;
    let mut form = form.map_err(|e| {
        ApiError::UnsupportedMediaType(format!(
            "Send the form as multipart/form-data: {}",
            e.body_text()
        ))
    })?;
    let bad = |e: MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge("The file is larger than this server accepts.".to_string())
        } else {
            ApiError::BadRequest(format!("The form could not be read: {}", e.body_text()))
        }
    };
    let mut out = UploadForm {
        file: None,
        texts: std::collections::HashMap::new(),
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        if name == file_field {
            let file_name = field.file_name().unwrap_or("").to_string();
            let declared_type = field.content_type().map(str::to_string);
            let bytes = field.bytes().await.map_err(bad)?;
            out.file = Some(netcrew_store::attachments::Upload {
                file_name,
                declared_type,
                bytes,
                internal: false,
                taken: None,
            });
        } else {
            let text = field.text().await.map_err(bad)?;
            out.texts.insert(name, text);
        }
    }
    Ok(out)
}

/// `response` with the record's `version` as its `ETag` (for `If-Match`).
pub fn with_etag(mut response: axum::response::Response, version: i32) -> axum::response::Response {
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(axum::http::header::ETAG, v);
    }
    response
}
