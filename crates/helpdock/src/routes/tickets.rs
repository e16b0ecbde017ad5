//! Filing a ticket, listing a visitor's tickets, and showing one ticket's thread.

use super::extract::{JsonBody, QueryParams};
use super::lost_answers;
use crate::AppState;
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::identity::{Gatekeeper, OptionalVisitor, VerifiedVisitor, Visitor, VisitorKey};
use crate::ownership::Ownership;
use crate::perimeter::{Action, LostAnswer, Perimeter};
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use helpdock_wire::validate::{Problem, is_valid_email, new_ticket_problems, normalize_email};
use helpdock_wire::{Endpoint, NewTicket, TicketCreated, TicketId, TicketList, TicketThread};
use serde::Deserialize;
use std::sync::Arc;

/// `POST /api/tickets_create.php`, `GET /api/tickets_list.php`, `GET /api/ticket_view.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(Endpoint::CreateTicket.path(), post(create_ticket))
        .route(Endpoint::ListTickets.path(), get(list_tickets))
        .route(Endpoint::ViewTicket.path(), get(view_ticket))
}

// One typed extractor per need is the house style for handlers; eight is what a create needs.
#[allow(clippy::too_many_arguments)]
async fn create_ticket(
    State(upstream): State<Upstream>,
    State(catalog): State<Catalog>,
    State(gatekeeper): State<Arc<Gatekeeper>>,
    State(ownership): State<Ownership>,
    State(perimeter): State<Perimeter>,
    OptionalVisitor(resolved): OptionalVisitor,
    lost: Option<Extension<LostAnswer>>,
    JsonBody(mut ticket): JsonBody<NewTicket>,
) -> Result<(StatusCode, Json<TicketCreated>), ApiError> {
    // A verified or trusted visitor files under their identity, whatever was typed; a guest (with
    // or without a pass) under the typed email.
    ticket.user_email = match &resolved.visitor {
        Some(Visitor::Verified { email, .. } | Visitor::Trusted { email }) => email.clone(),
        Some(Visitor::Guest { .. }) | None => normalize_email(&ticket.user_email),
    };
    if is_valid_email(&ticket.user_email) && gatekeeper.is_staff(&ticket.user_email) {
        return Err(ApiError::StaffEmail);
    }
    // A verified visitor's bucket opens only with their signature; a typed email (a guest's, even
    // with a pass, or a trusted one) has buckets of its own that no signature spends.
    let bucket = match &resolved.visitor {
        Some(visitor @ (Visitor::Verified { .. } | Visitor::Trusted { .. })) => visitor.key(),
        Some(Visitor::Guest { .. }) | None => VisitorKey::typed(&ticket.user_email),
    };
    // The helpdesk validates nothing, so the rules need its fields and categories: the catalog's,
    // as fresh as the form the visitor filled (a field made required since then is caught by
    // the helpdesk's own `custom_field_errors`).
    let (fields, categories) = tokio::try_join!(catalog.custom_fields(), catalog.categories())?;
    // What the site's form did not ask, the site decides (`[sites.form]`).
    if let Some(form) = gatekeeper.site_form(&resolved.site) {
        form.complete(&mut ticket, &categories);
    }
    let mut errors = new_ticket_problems(&ticket, Some(&fields));
    if let Some(id) = ticket.category_id
        && !categories.categories.iter().any(|c| c.id == id)
    {
        errors.insert("category_id".into(), Problem::NotACategory);
    }
    if !errors.is_empty() {
        return Err(ApiError::InvalidInput(errors));
    }
    // A retry of a create whose answer was lost: the ticket may be there already.
    let found = match lost {
        Some(Extension(lost)) => {
            let found = lost_answers::find_filed_ticket(&upstream, &ticket, lost).await?;
            lost_answers::count("create", found.is_some());
            found
        }
        None => None,
    };
    let mut created = match found {
        Some(ticket_id) => TicketCreated {
            ticket_id,
            guest_pass: None,
        },
        None => {
            // Only now: a create refused above costs the visitor's bucket nothing (the IP's
            // still counts).
            perimeter.check_identity(Action::Create, &bucket).await?;
            upstream.create_ticket(&ticket).await?
        }
    };
    ownership.record_created(created.ticket_id, &ticket.user_email);
    created.guest_pass = match &resolved.visitor {
        Some(Visitor::Verified { .. } | Visitor::Trusted { .. }) => None,
        previous @ (Some(Visitor::Guest { .. }) | None) => Some(gatekeeper.issue_pass(
            &resolved.site,
            &ticket.user_email,
            created.ticket_id,
            previous.as_ref(),
        )),
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// `tickets_list.php`'s query: nothing but an old client's `user_email`, which is ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default, rename = "user_email")]
    _ignored_email: Option<String>,
}

async fn list_tickets(
    State(ownership): State<Ownership>,
    VerifiedVisitor(visitor): VerifiedVisitor,
    QueryParams(_): QueryParams<ListQuery>,
) -> Result<Json<TicketList>, ApiError> {
    // The identity says whose tickets these are, never the query.
    ownership.list(&visitor).await.map(Json)
}

/// `ticket_view.php`'s query: the ticket, and an old client's ignored `user_email`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewQuery {
    ticket_id: TicketId,
    #[serde(default, rename = "user_email")]
    _ignored_email: Option<String>,
}

async fn view_ticket(
    State(ownership): State<Ownership>,
    VerifiedVisitor(visitor): VerifiedVisitor,
    QueryParams(query): QueryParams<ViewQuery>,
) -> Result<Json<TicketThread>, ApiError> {
    let id = super::existing_ticket_id(query.ticket_id)?;
    ownership.view(&visitor, id).await.map(Json)
}
