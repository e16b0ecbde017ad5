//! What an operator runs the proxy with: liveness and readiness probes on the widget's origin,
//! and Prometheus metrics on an address of their own (docs/operations.md).

mod log_escape;
mod log_line;
mod log_time;
pub mod logs;
pub mod metrics;
mod readiness;

pub use readiness::Readiness;

use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

/// Where load balancers ask whether the process serves.
pub const HEALTHZ: &str = "/healthz";
/// Where load balancers ask whether the proxy can do its job (the helpdesk answers the token).
pub const READYZ: &str = "/readyz";

/// `GET /healthz` and `GET /readyz`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(HEALTHZ, get(healthz))
        .route(READYZ, get(readyz))
}

/// The process runs and answers: nothing else is checked, so a slow helpdesk never gets the
/// proxy restarted.
async fn healthz() -> Response {
    probe_answer(StatusCode::OK, json!({"status": "ok"}))
}

/// Ready when the helpdesk answered the token lately (see [`Readiness`]); 503 otherwise, and
/// while the proxy stops.
async fn readyz(State(readiness): State<Readiness>) -> Response {
    let verdict = readiness.check().await;
    let status = match verdict.ready {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    probe_answer(
        status,
        json!({"status": verdict.status, "helpdesk": verdict.helpdesk, "state": verdict.state}),
    )
}

fn probe_answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}
