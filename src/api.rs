//! The only module that talks to the network: the proxy's six `/api/*.php` endpoints.
//!
//! Success bodies decode to the wire types, refusals to [`ErrorBody`]; anything else becomes an
//! [`ApiError`] value for [`ErrorView`](crate::components::error_view::ErrorView) to render.

use gloo_net::http::{Request, RequestBuilder, Response};
use helpdock_wire::{
    Categories, CustomFields, ErrorBody, ErrorCode, NewReply, NewTicket, ReplyCreated, TicketCreated,
    TicketId, TicketList, TicketThread,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};

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
    /// `X-Helpdock-Site`, from the script tag's `data-site`.
    site: Option<Arc<str>>,
    guest_pass: GuestPass,
}

impl Api {
    /// An API rooted at `base` (a missing trailing slash is added), speaking for `site`.
    pub fn new(base: &str, site: Option<String>) -> Api {
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        let guest_pass = GuestPass::new(&base);
        Api { base: base.into(), site: site.filter(|s| !s.is_empty()).map(Into::into), guest_pass }
    }

    /// Whether this browser holds a guest pass, so "My tickets" can load without asking.
    pub fn has_guest_pass(&self) -> bool {
        self.guest_pass.get().is_some()
    }

    fn url(&self, script: &str) -> String {
        format!("{}{script}", self.base)
    }

    /// Adds who is asking: the site, and the guest pass when there is one.
    fn identify(&self, mut request: RequestBuilder) -> RequestBuilder {
        if let Some(site) = &self.site {
            request = request.header("X-Helpdock-Site", site);
        }
        if let Some(pass) = self.guest_pass.get() {
            request = request.header("X-Helpdock-Guest-Pass", &pass);
        }
        request
    }

    /// `ticket_categories.php`: the categories the form offers.
    pub async fn categories(&self) -> Result<Categories, ApiError> {
        self.get(Request::get(&self.url("ticket_categories.php"))).await
    }

    /// `ticket_custom_fields.php`: the extra fields the form shows, in display order.
    pub async fn custom_fields(&self) -> Result<CustomFields, ApiError> {
        self.get(Request::get(&self.url("ticket_custom_fields.php"))).await
    }

    /// `tickets_create.php`: files a ticket, exactly once per `idempotency_key`; keeps the guest
    /// pass the answer brings.
    pub async fn create_ticket(&self, ticket: &NewTicket, idempotency_key: &str) -> Result<TicketCreated, ApiError> {
        let request = Request::post(&self.url("tickets_create.php")).header("Idempotency-Key", idempotency_key);
        let created: TicketCreated = self.post(request, ticket).await?;
        if let Some(pass) = &created.guest_pass {
            self.guest_pass.set(Some(pass));
        }
        Ok(created)
    }

    /// `tickets_list.php`: the visitor's tickets, newest update first.
    pub async fn list_tickets(&self, user_email: Option<&str>) -> Result<TicketList, ApiError> {
        let request = Request::get(&self.url("tickets_list.php")).query(user_email.map(|e| ("user_email", e)));
        self.get(request).await
    }

    /// `ticket_view.php`: one of the visitor's tickets with its whole thread.
    pub async fn view_ticket(&self, id: TicketId, user_email: Option<&str>) -> Result<TicketThread, ApiError> {
        let id = id.to_string();
        let request = Request::get(&self.url("ticket_view.php"))
            .query([("ticket_id", id.as_str())])
            .query(user_email.map(|e| ("user_email", e)));
        self.get(request).await
    }

    /// `ticket_reply.php`: adds the visitor's reply to a thread, exactly once per `idempotency_key`.
    pub async fn reply(&self, reply: &NewReply, idempotency_key: &str) -> Result<ReplyCreated, ApiError> {
        let request = Request::post(&self.url("ticket_reply.php")).header("Idempotency-Key", idempotency_key);
        self.post(request, reply).await
    }

    async fn get<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, ApiError> {
        self.send(self.identify(request).build()).await
    }

    async fn post<T: DeserializeOwned>(&self, request: RequestBuilder, body: &impl Serialize) -> Result<T, ApiError> {
        self.send(self.identify(request).json(body)).await
    }

    async fn send<T: DeserializeOwned>(&self, request: Result<Request, gloo_net::Error>) -> Result<T, ApiError> {
        let result = decode(request.map_err(network)?.send().await.map_err(network)?).await;
        if let Err(ApiError::Rejected(body)) = &result
            && matches!(body.code, ErrorCode::InvalidGuestPass | ErrorCode::GuestPassExpired)
        {
            // Useless from now on; without it the widget asks for the email again.
            self.guest_pass.set(None);
        }
        result
    }
}

/// A fresh `Idempotency-Key`: 32 hex digits from the browser's CSPRNG (`Math.random` where
/// `crypto` is missing; the key only has to be unlikely to repeat, not secret).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0_u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (web_sys::js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The guest pass the proxy gave this browser: in the host page's `localStorage`, one per proxy,
/// or only in memory where storage is refused (private modes, sandboxed frames).
#[derive(Clone, Debug)]
struct GuestPass {
    key: Arc<str>,
    memory: Arc<Mutex<Option<String>>>,
}

impl GuestPass {
    fn new(api_base: &str) -> GuestPass {
        GuestPass { key: format!("helpdock.guest_pass:{api_base}").into(), memory: Default::default() }
    }

    fn get(&self) -> Option<String> {
        let stored = storage().and_then(|s| s.get_item(&self.key).ok().flatten());
        stored.or_else(|| self.memory.lock().ok().and_then(|m| m.clone())).filter(|p| !p.is_empty())
    }

    fn set(&self, pass: Option<&str>) {
        if let Ok(mut memory) = self.memory.lock() {
            *memory = pass.map(str::to_owned);
        }
        if let Some(storage) = storage() {
            // A full or refused storage leaves the pass in memory for this page view.
            _ = match pass {
                Some(pass) => storage.set_item(&self.key, pass),
                None => storage.remove_item(&self.key),
            };
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn network(e: gloo_net::Error) -> ApiError {
    leptos::logging::warn!("helpdock: request failed: {e}");
    ApiError::Network
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
        assert_eq!(Api::new("https://x.io/api", None).url("a.php"), "https://x.io/api/a.php");
        assert_eq!(Api::new("https://x.io/api/", None).url("a.php"), "https://x.io/api/a.php");
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
