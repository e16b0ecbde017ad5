//! Deadlines inside one request: the whole body within `body_read_timeout` of the headers (hyper
//! and tower-http only bound the wait for each piece, which a trickle of one byte a second never
//! exceeds), and the answer within `request_timeout`.

use crate::error::ApiError;
use crate::layers::{Answer, Answering};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;
use tower::Service;

/// The two deadlines, from `[server]`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Deadlines {
    pub body: Duration,
    pub request: Duration,
}

/// A request body that fails once its deadline passes before its end.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(
                "the request body took too long",
            )))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Outermost around a served app: bounds the body's arrival and the whole answer. A body too
/// slow is refused where it is read (`400 bad_request`); an answer too slow is
/// `504 upstream_timeout` (by then every wait left is the helpdesk's).
impl<S> Answer<S> for Deadlines
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    fn answer(&self, app: &mut S, request: Request) -> Answering {
        let deadlines = *self;
        // A body that has ended (a GET's) cannot trickle: no timer for it.
        let request = match request.body().is_end_stream() {
            true => request,
            false => request.map(|body| {
                Body::new(DeadlineBody {
                    inner: body,
                    deadline: Box::pin(tokio::time::sleep(deadlines.body)),
                })
            }),
        };
        let method = request.method().clone();
        let answer = app.call(request);
        Box::pin(async move {
            match tokio::time::timeout(deadlines.request, answer).await {
                Ok(answer) => answer,
                Err(_) => {
                    // The request log's line for it never comes (its future was dropped): this
                    // is it.
                    tracing::warn!(%method, "no answer within request_timeout_secs: answered 504");
                    Ok(ApiError::UpstreamTimeout.into_response())
                }
            }
        })
    }
}
