//! Prometheus metrics: recorded through the `metrics` facade wherever something happens, and
//! rendered on `metrics_listen` only, never on the widget's origin. Labels are routes, scripts,
//! codes and outcomes from fixed lists: no email, token, identity or path a client chose.
//!
//! Without `metrics_listen` no recorder is installed and every `metrics::counter!` is a no-op.

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether a recorder is installed. The facade's no-op still builds each key (labels are
/// allocated), so the per-request metrics look here first.
static RECORDING: AtomicBool = AtomicBool::new(false);

/// Whether metrics are recorded (`metrics_listen` is set): the hot paths skip building keys if not.
pub(crate) fn recording() -> bool {
    RECORDING.load(Ordering::Relaxed)
}

/// Latency buckets in seconds: a cached catalog answer (under a millisecond) to a helpdesk at
/// its timeout (10 s).
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// How often histograms are folded up (what the exporter's own listener would do).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process-wide recorder; its handle renders the text format. Once per process.
pub fn install() -> Result<PrometheusHandle, BuildError> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)?
        .install_recorder()?;
    RECORDING.store(true, Ordering::Relaxed);
    describe();
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(UPKEEP_EVERY);
        loop {
            tick.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(handle)
}

/// `GET /metrics` in Prometheus's text format, for the metrics address only.
pub fn router(handle: PrometheusHandle) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let text = handle.render();
            async move { ([(CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response() }
        }),
    )
}

/// Records one answered request: by route label, method and status, and its latency.
pub(crate) fn request_answered(route: &str, method: &str, status: u16, seconds: f64) {
    if !recording() {
        return;
    }
    let route = route.to_owned();
    metrics::counter!(
        "helpdock_http_requests_total",
        "route" => route.clone(),
        "method" => method.to_owned(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!("helpdock_http_request_duration_seconds", "route" => route).record(seconds);
}

/// One line of help for each metric, shown by `# HELP` (docs/operations.md has the long form).
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "helpdock_http_requests_total",
        "Requests answered, by route, method and status."
    );
    describe_histogram!(
        "helpdock_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time from a request's headers to its answer, by route."
    );
    describe_gauge!(
        "helpdock_http_requests_in_flight",
        "Requests being handled now."
    );
    describe_counter!(
        "helpdock_upstream_calls_total",
        "Calls to the helpdesk, by script and outcome (ok, rejected, timeout, unreachable, 5xx, unusable)."
    );
    describe_histogram!(
        "helpdock_upstream_call_duration_seconds",
        metrics::Unit::Seconds,
        "Time of one helpdesk call, by script."
    );
    describe_counter!(
        "helpdock_refusals_total",
        "Requests refused by the proxy (4xx), by error code."
    );
    describe_counter!(
        "helpdock_idempotent_replays_total",
        "Creates and replies answered again from the Idempotency-Key memory, by action (create, reply)."
    );
    describe_counter!(
        "helpdock_owner_cache_total",
        "Owner-cache lookups (whose ticket is this), by result (hit, miss)."
    );
    describe_counter!(
        "helpdock_catalog_cache_total",
        "Catalog lookups, by list and result (hit, stale, miss)."
    );
    describe_gauge!(
        "helpdock_ready",
        "1 when the last readiness check found the helpdesk answering the token, else 0."
    );
}
