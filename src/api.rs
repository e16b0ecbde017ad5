//! The only module that talks to the network: the proxy's six `/api/*.php` endpoints.
//!
//! Success bodies decode to the wire types, refusals to [`ErrorBody`]; anything else becomes an
//! [`ApiError`] value for [`error_view`](crate::components::error_view::error_view) to render.
//! JSON goes through the browser's own `JSON` ([`json`]): no serde in the widget.

mod json;

use crate::identity::Identity;
use helpdock_wire::{
    Categories, CustomFields, ErrorBody, ErrorCode, NewReply, NewTicket, ReplyCreated,
    TicketCreated, TicketId, TicketList, TicketThread,
};
use leptos::prelude::{
    ArcRwSignal, ArcTrigger, Get, GetUntracked, Notify, ReadUntracked, Set, Track,
};
use std::sync::{Arc, Mutex};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::Object;
use web_sys::{Headers, RequestInit, Response};

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
        let ApiError::Rejected(body) = self else {
            return Default::default();
        };
        let mut errors = body.field_errors.clone();
        if let Some(field) = &body.field {
            errors
                .entry(field.clone())
                .or_insert_with(|| body.message.clone());
        }
        errors
    }
}

/// Who the proxy will take the visitor to be, from what the widget holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visitor {
    /// The host site vouched for this email (`Helpdock('identify', …)`): all their tickets.
    /// A new signature for the same email is a change too: what failed may work now.
    Verified(Identity),
    /// This browser holds a guest pass: the tickets filed with it.
    Guest,
    /// Neither: the visitor can file a ticket, and see nothing yet.
    Anonymous,
}

/// The proxy's API, at the base URL the loader computed (`…/api/`), and who the visitor is.
/// Cheap to clone; the clones share the identity and the guest pass.
#[derive(Clone, Debug)]
pub struct Api {
    base: Arc<str>,
    /// `X-Helpdock-Site`, from the script tag's `data-site`.
    site: Option<Arc<str>>,
    /// In memory only: the host page identifies the visitor on every page load.
    identity: ArcRwSignal<Option<Identity>>,
    guest_pass: GuestPass,
}

impl Api {
    /// An API rooted at `base` (a missing trailing slash is added), speaking for `site`.
    pub fn new(base: &str, site: Option<String>) -> Api {
        let mut base = base.to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let guest_pass = GuestPass::new(&base);
        Api {
            base: base.into(),
            site: site.filter(|s| !s.is_empty()).map(Into::into),
            identity: ArcRwSignal::new(None),
            guest_pass,
        }
    }

    /// Who the visitor is; tracked, so views and resources follow `identify`, `reset`, and guest
    /// passes arriving or being dropped.
    pub fn visitor(&self) -> Visitor {
        if let Some(identity) = self.identity.get() {
            return Visitor::Verified(identity);
        }
        self.guest_pass.changed.track();
        if self.guest_pass.get().is_some() {
            Visitor::Guest
        } else {
            Visitor::Anonymous
        }
    }

    /// The verified identity, if the host page gave one; tracked.
    pub fn identity(&self) -> Option<Identity> {
        self.identity.get()
    }

    /// Replaces the verified identity (`None` forgets it); returns the one it replaces.
    pub fn set_identity(&self, identity: Option<Identity>) -> Option<Identity> {
        let before = self.identity.get_untracked();
        if before != identity {
            self.identity.set(identity);
        }
        before
    }

    /// Drops this browser's guest pass, here and in storage.
    pub fn forget_guest_pass(&self) {
        self.guest_pass.set(None);
    }

    /// The proxy's `api/` URL, with its trailing slash; names what is stored for this proxy.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, script: &str) -> String {
        [&self.base, script].concat()
    }

    /// Adds who is asking: the site, then the verified identity or else the guest pass. The proxy
    /// reads only the first of them anyway; not sending the pass keeps it where it is needed.
    fn identify(&self, headers: &Headers) -> Result<(), JsValue> {
        if let Some(site) = &self.site {
            headers.set("X-Helpdock-Site", site)?;
        }
        if let Some(identity) = self.identity.read_untracked().as_ref() {
            headers.set("X-Helpdock-Identity", &identity.header_value())?;
        } else if let Some(pass) = self.guest_pass.get() {
            headers.set("X-Helpdock-Guest-Pass", &pass)?;
        }
        Ok(())
    }

    /// `ticket_categories.php`: the categories the form offers.
    pub async fn categories(&self) -> Result<Categories, ApiError> {
        read(self.get("ticket_categories.php").await, json::categories)
    }

    /// `ticket_custom_fields.php`: the extra fields the form shows, in display order.
    pub async fn custom_fields(&self) -> Result<CustomFields, ApiError> {
        read(
            self.get("ticket_custom_fields.php").await,
            json::custom_fields,
        )
    }

    /// `tickets_create.php`: files a ticket, exactly once per `idempotency_key`; keeps the guest
    /// pass the answer brings (a guest's create only).
    pub async fn create_ticket(
        &self,
        ticket: &NewTicket,
        idempotency_key: &str,
    ) -> Result<TicketCreated, ApiError> {
        let answer = self
            .post(
                "tickets_create.php",
                json::new_ticket(ticket),
                idempotency_key,
            )
            .await;
        let created = read(answer, json::ticket_created)?;
        if let Some(pass) = &created.guest_pass {
            self.guest_pass.set(Some(pass));
        }
        Ok(created)
    }

    /// `tickets_list.php`: the visitor's tickets, newest update first.
    pub async fn list_tickets(&self) -> Result<TicketList, ApiError> {
        read(self.get("tickets_list.php").await, json::ticket_list)
    }

    /// `ticket_view.php`: one of the visitor's tickets with its whole thread.
    pub async fn view_ticket(&self, id: TicketId) -> Result<TicketThread, ApiError> {
        // A number: nothing to escape.
        let script = "ticket_view.php?ticket_id=".to_owned() + &decimal(id.0);
        read(self.get(&script).await, json::ticket_thread)
    }

    /// `ticket_reply.php`: adds the visitor's reply to a thread, exactly once per `idempotency_key`.
    pub async fn reply(
        &self,
        reply: &NewReply,
        idempotency_key: &str,
    ) -> Result<ReplyCreated, ApiError> {
        let answer = self
            .post("ticket_reply.php", json::new_reply(reply), idempotency_key)
            .await;
        read(answer, json::reply_created)
    }

    async fn get(&self, script: &str) -> Result<JsValue, ApiError> {
        self.send("GET", script, None).await
    }

    async fn post(
        &self,
        script: &str,
        body: Object,
        idempotency_key: &str,
    ) -> Result<JsValue, ApiError> {
        // Plain objects always stringify; a failure would be a bug, and is reported like one.
        let Some(body) = json::stringify(&body) else {
            return Err(ApiError::Rejected(ErrorBody::new(
                ErrorCode::Internal,
                "The request could not be written.",
            )));
        };
        self.send("POST", script, Some((&body, idempotency_key)))
            .await
    }

    /// One `fetch` (the browser's own: no HTTP crate in the widget), then its answer parsed.
    /// Not generic: each answer type adds only its reader (`read`).
    async fn send(
        &self,
        method: &str,
        script: &str,
        body: Option<(&str, &str)>,
    ) -> Result<JsValue, ApiError> {
        let url = self.url(script);
        let (status, text) = self.fetch(method, &url, body).await.map_err(network)?;
        let result = decode(status, &text);
        if let Err(ApiError::Rejected(body)) = &result
            && matches!(
                body.code,
                ErrorCode::InvalidGuestPass | ErrorCode::GuestPassExpired
            )
        {
            // Useless from now on: "My tickets" says so, and the next create brings a new one.
            self.guest_pass.set(None);
        }
        result
    }

    /// The status and body text of one request; `body` is the JSON and its `Idempotency-Key`.
    async fn fetch(
        &self,
        method: &str,
        url: &str,
        body: Option<(&str, &str)>,
    ) -> Result<(u16, String), JsValue> {
        let headers = Headers::new()?;
        self.identify(&headers)?;
        let init = RequestInit::new();
        init.set_method(method);
        if let Some((json, idempotency_key)) = body {
            headers.set("Content-Type", "application/json")?;
            headers.set("Idempotency-Key", idempotency_key)?;
            init.set_body(&JsValue::from_str(json));
        }
        init.set_headers(&headers);
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await?
            .dyn_into()?;
        let text = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        Ok((response.status(), text))
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
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(32);
    for b in bytes {
        key.push(char::from(HEX[usize::from(b >> 4)]));
        key.push(char::from(HEX[usize::from(b & 15)]));
    }
    key
}

/// The guest pass the proxy gave this browser: in the host page's `localStorage`, one per proxy,
/// or only in memory where storage is refused (private modes, sandboxed frames).
#[derive(Clone, Debug)]
struct GuestPass {
    key: Arc<str>,
    memory: Arc<Mutex<Option<String>>>,
    /// Notified on every change made here (another tab's changes show on the next read).
    changed: ArcTrigger,
}

impl GuestPass {
    fn new(api_base: &str) -> GuestPass {
        GuestPass {
            key: ["helpdock.guest_pass:", api_base].concat().into(),
            memory: Default::default(),
            changed: ArcTrigger::new(),
        }
    }

    fn get(&self) -> Option<String> {
        let stored = storage().and_then(|s| s.get_item(&self.key).ok().flatten());
        stored
            .or_else(|| self.memory.lock().ok().and_then(|m| m.clone()))
            .filter(|p| !p.is_empty())
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
        self.changed.notify();
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn network(e: JsValue) -> ApiError {
    web_sys::console::warn_2(&"[helpdock] request failed:".into(), &e);
    ApiError::Network
}

/// A 2xx answer as parsed JSON, anything else as the proxy's `ErrorBody`.
fn decode(status: u16, text: &str) -> Result<JsValue, ApiError> {
    let parsed = json::parse(text);
    if (200..300).contains(&status) {
        return parsed.ok_or_else(|| unreadable("no JSON"));
    }
    // A proxy error is always an `ErrorBody`; anything else came from something in between.
    let body = parsed.and_then(|v| json::error_body(&v).ok());
    Err(ApiError::Rejected(body.unwrap_or_else(|| {
        let message = "The server answered ".to_owned() + &decimal(status.into()) + ".";
        ErrorBody::new(code_for_status(status), message)
    })))
}

/// A decoded answer read by `reader` into its wire type.
fn read<T>(
    answer: Result<JsValue, ApiError>,
    reader: fn(&JsValue) -> json::Read<T>,
) -> Result<T, ApiError> {
    reader(&answer?).map_err(|json::Unreadable(field)| unreadable(field))
}

/// A 2xx answer that is not what the protocol says (a proxy of another version, or something in
/// between): logged with the first field that was wrong, shown as a fault.
fn unreadable(field: &str) -> ApiError {
    web_sys::console::warn_2(&"[helpdock] unreadable answer at:".into(), &field.into());
    ApiError::Rejected(ErrorBody::new(
        ErrorCode::Internal,
        "The answer could not be read.",
    ))
}

/// `n` in decimal, without the formatting machinery.
fn decimal(mut n: u64) -> String {
    let mut digits = String::new();
    loop {
        digits.insert(0, char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            return digits;
        }
    }
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
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base_gets_a_trailing_slash() {
        assert_eq!(
            Api::new("https://x.io/api", None).url("a.php"),
            "https://x.io/api/a.php"
        );
        assert_eq!(
            Api::new("https://x.io/api/", None).url("a.php"),
            "https://x.io/api/a.php"
        );
    }

    #[test]
    fn field_errors_include_the_single_field() {
        let mut body = ErrorBody::new(ErrorCode::InvalidInput, "Subject is required.");
        body.field = Some("subject".into());
        body.field_errors = BTreeMap::from([("message".into(), "Too long.".into())]);
        let errors = ApiError::Rejected(body).field_errors();
        assert_eq!(
            errors.get("subject").map(String::as_str),
            Some("Subject is required.")
        );
        assert_eq!(errors.get("message").map(String::as_str), Some("Too long."));
        assert!(ApiError::Network.field_errors().is_empty());
    }

    #[test]
    fn answers_decode_by_status() {
        let ok = read(decode(200, r#"{"reply_id":7}"#), json::reply_created);
        assert_eq!(ok.map(|r| r.reply_id.0), Ok(7));
        let refused = decode(
            422,
            r#"{"code":"invalid_input","message":"Fix.","field":"subject"}"#,
        );
        let Err(ApiError::Rejected(body)) = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(
            (body.code, body.field.as_deref()),
            (ErrorCode::InvalidInput, Some("subject"))
        );
        // Something in between answered, without an ErrorBody.
        let gateway = decode(503, "<html>Service Unavailable</html>");
        let Err(ApiError::Rejected(body)) = gateway else {
            panic!("{gateway:?}");
        };
        assert_eq!(body.code, ErrorCode::UpstreamUnavailable);
        assert_eq!(body.message, "The server answered 503.");
        let garbled = read(decode(200, "<html>"), json::reply_created);
        assert_eq!(garbled.map_err(|e| e.field_errors().len()), Err(0));
        let wrong_type = read(decode(201, r#"{"reply_id":"seven"}"#), json::reply_created);
        let Err(ApiError::Rejected(body)) = wrong_type else {
            panic!("{wrong_type:?}");
        };
        assert_eq!(body.code, ErrorCode::Internal);
    }

    #[test]
    fn decimals_and_keys() {
        assert_eq!(
            [decimal(0), decimal(7), decimal(1234567890)],
            ["0", "7", "1234567890"]
        );
        let key = new_idempotency_key();
        assert_eq!(key.len(), 32);
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn bare_statuses_map_to_codes() {
        assert_eq!(code_for_status(429), ErrorCode::RateLimited);
        assert_eq!(code_for_status(504), ErrorCode::UpstreamTimeout);
        assert_eq!(code_for_status(500), ErrorCode::Internal);
    }
}
