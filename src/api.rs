//! The only module that talks to the network: the proxy's six `/api/*.php` endpoints.
//!
//! Success bodies decode to the wire types, refusals to [`ErrorBody`]; anything else becomes an
//! [`ApiError`] value for [`ErrorView`](crate::components::error_view::ErrorView) to render.

use gloo_net::http::{Request, RequestBuilder, Response};
use helpdock_wire::{
    Categories, CustomFields, ErrorBody, ErrorCode, NewReply, NewTicket, ReplyCreated, TicketCreated,
    TicketId, TicketList, TicketThread,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Why a request did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, blocked by the browser, or the proxy is unreachable.
    Network,
    /// Refused for a stated reason: by the proxy, or by the same wire rules checked here first.
    Rejected(ErrorBody),
}

impl ApiError {
    /// A refusal about input, as the proxy would word it: `field_errors` drive the inline messages.
    pub fn invalid(field_errors: helpdock_wire::validate::FieldErrors) -> ApiError {
        ApiError::Rejected(ErrorBody {
            code: ErrorCode::InvalidInput,
            message: "Some fields need attention.".into(),
            field: field_errors.keys().next().cloned(),
            field_errors,
        })
    }

    /// Every field this error concerns → what is wrong with it (`field` included).
    pub fn field_errors(&self) -> helpdock_wire::validate::FieldErrors {
        let ApiError::Rejected(body) = self else { return Default::default() };
        let mut errors = body.field_errors.clone();
        if let Some(field) = &body.field {
            errors.entry(field.clone()).or_insert_with(|| body.message.clone());
        }
        errors
    }
}

/// The proxy's API, at the base URL the loader computed (`…/api/`). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Api {
    base: Arc<str>,
}

impl Api {
    /// An API rooted at `base`; a missing trailing slash is added.
    pub fn new(base: &str) -> Api {
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        Api { base: base.into() }
    }

    fn url(&self, script: &str) -> String {
        format!("{}{script}", self.base)
    }

    /// `ticket_categories.php`: the categories the form offers.
    pub async fn categories(&self) -> Result<Categories, ApiError> {
        fetch(Request::get(&self.url("ticket_categories.php"))).await
    }

    /// `ticket_custom_fields.php`: the extra fields the form shows, in display order.
    pub async fn custom_fields(&self) -> Result<CustomFields, ApiError> {
        fetch(Request::get(&self.url("ticket_custom_fields.php"))).await
    }

    /// `tickets_create.php`: files a ticket.
    pub async fn create_ticket(&self, ticket: &NewTicket) -> Result<TicketCreated, ApiError> {
        send(Request::post(&self.url("tickets_create.php")).json(ticket)).await
    }

    /// `tickets_list.php`: the visitor's tickets, newest update first.
    pub async fn list_tickets(&self, user_email: &str) -> Result<TicketList, ApiError> {
        let request = Request::get(&self.url("tickets_list.php")).query([("user_email", user_email)]);
        fetch(request).await
    }

    /// `ticket_view.php`: one of the visitor's tickets with its whole thread.
    pub async fn view_ticket(&self, id: TicketId, user_email: &str) -> Result<TicketThread, ApiError> {
        let id = id.to_string();
        let request = Request::get(&self.url("ticket_view.php"))
            .query([("ticket_id", id.as_str()), ("user_email", user_email)]);
        fetch(request).await
    }

    /// `ticket_reply.php`: adds the visitor's reply to a thread.
    pub async fn reply(&self, reply: &NewReply) -> Result<ReplyCreated, ApiError> {
        send(Request::post(&self.url("ticket_reply.php")).json(reply)).await
    }
}

async fn fetch<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    send(request.build()).await
}

async fn send<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, ApiError> {
    let response = match request {
        Ok(request) => request.send().await,
        Err(e) => Err(e),
    }
    .map_err(|e| {
        leptos::logging::warn!("helpdock: request failed: {e}");
        ApiError::Network
    })?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|e| {
            leptos::logging::warn!("helpdock: unreadable answer ({status}): {e}");
            ApiError::Rejected(ErrorBody::new(ErrorCode::Internal, "The answer could not be read."))
        });
    }
    // A proxy error is always an `ErrorBody`; anything else came from something in between.
    Err(ApiError::Rejected(response.json::<ErrorBody>().await.unwrap_or_else(|_| {
        ErrorBody::new(code_for_status(status), format!("The server answered {status}."))
    })))
}

/// The code a bare HTTP status most likely means, for answers without an `ErrorBody`.
fn code_for_status(status: u16) -> ErrorCode {
    match status {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::InvalidInput,
        429 => ErrorCode::RateLimited,
        502 | 503 => ErrorCode::UpstreamUnavailable,
        504 => ErrorCode::UpstreamTimeout,
        _ => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn base_gets_a_trailing_slash() {
        assert_eq!(Api::new("https://x.io/api").url("a.php"), "https://x.io/api/a.php");
        assert_eq!(Api::new("https://x.io/api/").url("a.php"), "https://x.io/api/a.php");
    }

    #[test]
    fn field_errors_include_the_single_field() {
        let mut body = ErrorBody::new(ErrorCode::InvalidInput, "Subject is required.");
        body.field = Some("subject".into());
        body.field_errors = BTreeMap::from([("message".into(), "Too long.".into())]);
        let errors = ApiError::Rejected(body).field_errors();
        assert_eq!(errors.get("subject").map(String::as_str), Some("Subject is required."));
        assert_eq!(errors.get("message").map(String::as_str), Some("Too long."));
        assert!(ApiError::Network.field_errors().is_empty());
    }

    #[test]
    fn bare_statuses_map_to_codes() {
        assert_eq!(code_for_status(429), ErrorCode::RateLimited);
        assert_eq!(code_for_status(504), ErrorCode::UpstreamTimeout);
        assert_eq!(code_for_status(500), ErrorCode::Internal);
    }
}
