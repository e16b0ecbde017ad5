//! A visitor's reply in a ticket's thread.

use super::extract::JsonBody;
use super::visitor_email;
use crate::AppState;
use crate::error::ApiError;
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use helpdock_wire::validate::validate_new_reply;
use helpdock_wire::{NewReply, ReplyCreated};

/// `POST /api/ticket_reply.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/ticket_reply.php", post(create_reply))
}

async fn create_reply(
    State(upstream): State<Upstream>,
    JsonBody(mut reply): JsonBody<NewReply>,
) -> Result<(StatusCode, Json<ReplyCreated>), ApiError> {
    let mut errors = validate_new_reply(&reply);
    reply.user_email = visitor_email(&reply.user_email, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::InvalidInput(errors));
    }
    let created = upstream.create_reply(&reply).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
