//! The checks that depend on the matched route (`route_layer`: they run only for requests that
//! found a route, and see which one): the route noted for the log line, repeated query
//! parameters refused; then, on `POST tickets_create.php` / `ticket_reply.php` only, an
//! `Idempotency-Key` replay answered, the per-IP bucket taken, and (create) the bot check.
//!
//! One service, not `from_fn`: that would box the route anew and clone the whole state for every
//! request, where reads need neither.

use super::{Action, bot_check, hygiene, idempotency, rate_limit, request_log};
use crate::AppState;
use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::{Layer, Service, ServiceExt};

/// Puts the guard in front of every route of `router`.
pub(crate) fn guard_routes(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router.route_layer(GuardLayer {
        state: state.clone(),
    })
}

#[derive(Clone)]
struct GuardLayer {
    state: AppState,
}

impl<S> Layer<S> for GuardLayer {
    type Service = Guard<S>;

    fn layer(&self, route: S) -> Guard<S> {
        Guard {
            route,
            state: self.state.clone(),
        }
    }
}

/// One route behind the guard.
#[derive(Clone)]
struct Guard<S> {
    route: S,
    state: AppState,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request> for Guard<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.route.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        let route = request_log::matched_route(&request);
        match (hygiene::check(&request), Action::of(&request)) {
            (Err(refused), _) => {
                let mut response = refused.into_response();
                request_log::carry_route(&mut response, route);
                Box::pin(std::future::ready(Ok(response)))
            }
            (Ok(()), None) => {
                let answer = self.route.call(request);
                Box::pin(async move {
                    let mut response = answer.await?;
                    request_log::carry_route(&mut response, route);
                    Ok(response)
                })
            }
            (Ok(()), Some(action)) => {
                let (handler, state) = (self.route.clone(), self.state.clone());
                Box::pin(async move {
                    let mut response = write(state, action, handler, request).await;
                    request_log::carry_route(&mut response, route);
                    Ok(response)
                })
            }
        }
    }
}

/// A create or a reply: replayed if its key was answered, else through the per-IP bucket and
/// (create) the bot check to `handler`.
async fn write<S>(state: AppState, action: Action, handler: S, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send,
{
    let perimeter = state.perimeter.clone();
    let run = move |request: Request| async move {
        let ip = rate_limit::request_ip(&perimeter, &request);
        if let Err(refused) = rate_limit::check_ip(&perimeter, action, ip).await {
            return refused.into_response();
        }
        let request = match action {
            Action::Create => match bot_check::check(&perimeter, request).await {
                Ok(request) => request,
                Err(refused) => return refused.into_response(),
            },
            Action::Reply => request,
        };
        match handler.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    };
    idempotency::replay_or_run(&state.perimeter, &state.gatekeeper, action, request, run).await
}
