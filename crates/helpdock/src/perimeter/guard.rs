//! The checks that depend on the matched route (`route_layer`: they run only for requests that
//! found a route, and see which one): the route noted for the log line, repeated query
//! parameters refused; then, on `POST tickets_create.php` / `ticket_reply.php` only, an
//! `Idempotency-Key` replay answered, the per-IP bucket taken, and (create) the bot check.
//!
//! One service, not `from_fn`: that would box the route anew and clone the whole state for every
//! request, where reads need neither.

use super::{Action, bot_check, hygiene, idempotency, rate_limit, request_log};
use crate::AppState;
use crate::layers::{Answer, Answering, Around};
use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
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
    type Service = Around<S, Guard>;

    fn layer(&self, route: S) -> Around<S, Guard> {
        Around {
            inner: route,
            answer: Guard {
                state: self.state.clone(),
            },
        }
    }
}

/// The checks in front of one route.
#[derive(Clone)]
struct Guard {
    state: AppState,
}

impl<S> Answer<S> for Guard
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    fn answer(&self, route: &mut S, request: Request) -> Answering {
        let matched = request_log::matched_route(&request);
        match (hygiene::check(&request), Action::of(&request)) {
            (Err(refused), _) => {
                let mut response = refused.into_response();
                request_log::carry_route(&mut response, matched);
                Box::pin(std::future::ready(Ok(response)))
            }
            (Ok(()), None) => {
                let answer = route.call(request);
                Box::pin(async move {
                    let mut response = answer.await?;
                    request_log::carry_route(&mut response, matched);
                    Ok(response)
                })
            }
            (Ok(()), Some(action)) => {
                let (handler, state) = (route.clone(), self.state.clone());
                Box::pin(async move {
                    let mut response = write(state, action, handler, request).await;
                    request_log::carry_route(&mut response, matched);
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
