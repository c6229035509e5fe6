pub mod audit;
pub mod auth;
pub mod catalog;
pub mod system;
pub mod teams;
pub mod tokens;
pub mod totp;
pub mod users;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// The envelope of every list: one page of items, the cursor of the next
/// page (`null` on the last) and the number of items matching the filters.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    pub total: u64,
}

impl<T> List<T> {
    pub fn from_page<M>(page: netcrew_store::page::Page<M>, f: impl FnMut(M) -> T) -> Self {
        List {
            items: page.items.into_iter().map(f).collect(),
            next_cursor: page.next_cursor,
            total: page.total,
        }
    }
}

/// A place on the earth (WGS84).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
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
