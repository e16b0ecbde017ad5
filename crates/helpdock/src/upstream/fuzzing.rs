//! Every decoder of a helpdesk answer, callable on arbitrary bytes (feature `fuzzing`, for the
//! fuzz targets in `fuzz/`): what `Upstream::call` does to an answer, then each script's shape
//! and its conversion to wire types.

use super::client::classify;
use super::shapes::{
    CategoriesShape, CreatedShape, FieldsShape, ListShape, ReplyCreatedShape, ViewShape,
};
use super::time::HelpdeskTimeZone;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// The six scripts whose answers the proxy decodes.
pub const SCRIPTS: [&str; 6] = [
    "tickets_create.php",
    "tickets_list.php",
    "ticket_view.php",
    "ticket_reply.php",
    "ticket_categories.php",
    "ticket_custom_fields.php",
];

/// Decodes `body` as `script`'s answer (a name of [`SCRIPTS`]; others decode nothing), read in
/// `zone`, through to the wire types; whether it was usable.
pub fn decode_answer(script: &str, body: &[u8], zone: &HelpdeskTimeZone) -> bool {
    if classify(StatusCode::OK, "application/json", body).is_err() {
        return false;
    }
    match script {
        "tickets_create.php" => shape::<CreatedShape>(body).map(|s| s.into_wire()).is_some(),
        "tickets_list.php" => shape::<ListShape>(body)
            .map(|s| s.into_wire(zone))
            .is_some(),
        "ticket_view.php" => shape::<ViewShape>(body)
            .map(|s| (s.owner_email().to_owned(), s.into_wire(zone)))
            .is_some(),
        "ticket_reply.php" => shape::<ReplyCreatedShape>(body)
            .map(|s| s.into_wire())
            .is_some(),
        "ticket_categories.php" => shape::<CategoriesShape>(body)
            .map(|s| s.into_wire())
            .is_some(),
        "ticket_custom_fields.php" => shape::<FieldsShape>(body).map(|s| s.into_wire()).is_some(),
        _ => false,
    }
}

fn shape<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}
