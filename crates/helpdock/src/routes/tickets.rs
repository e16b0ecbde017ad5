//! Filing a ticket, listing a visitor's tickets, and showing one ticket's thread.

use super::extract::{JsonBody, QueryParams};
use super::require_visitor_email;
use crate::AppState;
use crate::error::ApiError;
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use helpdock_wire::validate::{normalize_email, validate_new_ticket};
use helpdock_wire::{NewTicket, TicketCreated, TicketId, TicketList, TicketThread};
use serde::Deserialize;

/// `POST /api/tickets_create.php`, `GET /api/tickets_list.php`, `GET /api/ticket_view.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tickets_create.php", post(create_ticket))
        .route("/api/tickets_list.php", get(list_tickets))
        .route("/api/ticket_view.php", get(view_ticket))
}

async fn create_ticket(
    State(upstream): State<Upstream>,
    JsonBody(mut ticket): JsonBody<NewTicket>,
) -> Result<(StatusCode, Json<TicketCreated>), ApiError> {
    // The helpdesk validates nothing, so the rules need its current fields and categories.
    let (fields, categories) = tokio::try_join!(upstream.custom_fields(), upstream.categories())?;
    let mut errors = validate_new_ticket(&ticket, Some(&fields));
    if let Some(id) = ticket.category_id
        && !categories.categories.iter().any(|c| c.id == id)
    {
        errors.insert("category_id".into(), "Choose one of the categories.".into());
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidInput(errors));
    }
    // One spelling per mailbox, so "My tickets" finds what was filed under another case.
    ticket.user_email = normalize_email(&ticket.user_email);
    let created = upstream.create_ticket(&ticket).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize)]
struct ListQuery {
    user_email: String,
}

async fn list_tickets(
    State(upstream): State<Upstream>,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Json<TicketList>, ApiError> {
    let email = require_visitor_email(&query.user_email)?;
    upstream.list_tickets(&email).await.map(Json)
}

#[derive(Deserialize)]
struct ViewQuery {
    ticket_id: TicketId,
    user_email: String,
}

async fn view_ticket(
    State(upstream): State<Upstream>,
    QueryParams(query): QueryParams<ViewQuery>,
) -> Result<Json<TicketThread>, ApiError> {
    let email = require_visitor_email(&query.user_email)?;
    upstream
        .view_ticket(query.ticket_id, &email)
        .await
        .map(Json)
}
