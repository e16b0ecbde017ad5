//! What the fuzz targets in `fuzz/` drive besides the public API (feature `fuzzing` only): the
//! proxy's own reading of request bodies, and every decoder of a helpdesk answer.

pub use crate::upstream::fuzzing::{SCRIPTS, decode_answer};

use crate::error::ApiError;
use serde::de::DeserializeOwned;

/// A request body's bytes read as the create and reply endpoints read them: a `T`, or the
/// refusal the browser would get.
pub fn read_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    crate::routes::extract::decode_json(bytes)
}
