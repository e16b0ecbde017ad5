//! A visitor's reply in a ticket's thread.

use super::extract::JsonBody;
use super::lost_answers;
use crate::AppState;
use crate::error::ApiError;
use crate::identity::VerifiedVisitor;
use crate::ownership::Ownership;
use crate::perimeter::{Action, LostAnswer, Perimeter};
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use helpdock_wire::validate::new_reply_problems;
use helpdock_wire::{Endpoint, NewReply, ReplyCreated};

/// `POST /api/ticket_reply.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new().route(Endpoint::Reply.path(), post(create_reply))
}

async fn create_reply(
    State(upstream): State<Upstream>,
    State(ownership): State<Ownership>,
    State(perimeter): State<Perimeter>,
    VerifiedVisitor(visitor): VerifiedVisitor,
    lost: Option<Extension<LostAnswer>>,
    JsonBody(mut reply): JsonBody<NewReply>,
) -> Result<(StatusCode, Json<ReplyCreated>), ApiError> {
    super::existing_ticket_id(reply.ticket_id)?;
    let errors = new_reply_problems(&reply);
    if !errors.is_empty() {
        return Err(ApiError::InvalidInput(errors));
    }
    // `ticket_reply.php` checks neither the ticket nor its owner: we do, before sending anything.
    ownership.ensure_owner(&visitor, reply.ticket_id).await?;
    // Never the browser's `user_email`: the identity's (never staff, see `identity`).
    reply.user_email = visitor.email().to_owned();
    // A retry of a reply whose answer was lost: it may be in the thread already.
    if let Some(Extension(lost)) = lost {
        let found = lost_answers::find_sent_reply(
            &upstream,
            reply.ticket_id,
            &reply.user_email,
            &reply.message,
            lost,
        )
        .await?;
        lost_answers::count("reply", found.is_some());
        if let Some(reply_id) = found {
            return Ok((StatusCode::CREATED, Json(ReplyCreated { reply_id })));
        }
    }
    // Only now: a reply refused above costs the visitor's bucket nothing (the IP's still counts).
    perimeter
        .check_identity(Action::Reply, &visitor.key())
        .await?;
    let created = upstream.create_reply(&reply).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
