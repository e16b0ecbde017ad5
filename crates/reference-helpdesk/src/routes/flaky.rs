//! [`Fault::Flaky`](crate::Fault::Flaky): a share of requests, drawn at random, meets a mishap
//! before or after its script ran — the load-and-fault run's helpdesk.

use crate::answer::Answer;
use crate::helpdesk::Inner;
use crate::quirks::{Mishap, Quirks, When};
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Draws whether this request meets a mishap (`per_mille` in a thousand), which, and when.
pub(super) fn deal(inner: &Inner, per_mille: u16) -> Option<(Mishap, When)> {
    if inner.draw() % 1000 >= u64::from(per_mille) {
        return None;
    }
    let draw = inner.draw();
    let mishap = Mishap::ALL[usize::try_from(draw % 4).unwrap_or(0)];
    let when = match (draw >> 8) % 2 {
        0 => When::Before,
        _ => When::After,
    };
    Some((mishap, when))
}

/// Answers `script`'s request as `mishap` says; `run` runs the script (and writes what it
/// writes). A stall runs it too, before or after waiting `stall`, and answers late; like PHP,
/// it goes on when the client hangs up (its own task), so a write lands after the proxy gave up.
pub(super) async fn strike<F, Fut>(
    (mishap, when): (Mishap, When),
    stall: Duration,
    script: &str,
    run: F,
) -> Response
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    match (mishap, when) {
        (Mishap::Stall, When::Before) => {
            let late = tokio::spawn(async move {
                tokio::time::sleep(stall).await;
                run().await
            });
            return late
                .await
                .unwrap_or_else(|_| Answer::Crash.render(script, Quirks::default()));
        }
        (Mishap::Stall, When::After) => {
            let answer = run().await;
            tokio::time::sleep(stall).await;
            return answer;
        }
        (_, When::After) => drop(run().await),
        (_, When::Before) => {}
    }
    match mishap {
        Mishap::HtmlErrorPage => {
            let display_errors = Quirks {
                display_errors: true,
                ..Quirks::default()
            };
            Answer::Crash.render(script, display_errors)
        }
        Mishap::ClosedConnection => {
            let broken = futures_util::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("the helpdesk went away mid-answer"))
            });
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(broken),
            )
                .into_response()
        }
        Mishap::EmptyServerError | Mishap::Stall => Answer::Crash.render(script, Quirks::default()),
    }
}
