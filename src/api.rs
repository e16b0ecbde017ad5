//! The only module that talks to the network: the proxy's endpoints, named by the wire crate's
//! [`Endpoint`] table, over gloo-net.
//!
//! Success bodies decode to the wire types and refusals to `ErrorBody` ([`answer`]); anything
//! else becomes an [`ApiError`] value for
//! [`error_view`](crate::components::error_view::error_view) to render.

pub(crate) mod answer;

pub use answer::{ApiError, Finding, Findings};

use crate::identity::{GuestPass, Identity};
use answer::{decimal, encode, read, refused};
use gloo_net::http::{Request, RequestBuilder};
use helpdock_wire::{
    Categories, CustomFields, Endpoint, ErrorCode, Method, NewReply, NewTicket, ReplyCreated,
    TicketCreated, TicketId, TicketList, TicketThread,
};
use leptos::prelude::{ArcRwSignal, Get, GetUntracked, ReadUntracked, Set, Track};
use serde::de::DeserializeOwned;
use std::sync::Arc;

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

    fn url(&self, endpoint: Endpoint) -> String {
        [&self.base, endpoint.script()].concat()
    }

    /// `ticket_categories.php`: the categories the form offers.
    pub async fn categories(&self) -> Result<Categories, ApiError> {
        self.send(Endpoint::Categories, &[], None).await
    }

    /// `ticket_custom_fields.php`: the extra fields the form shows, in display order.
    pub async fn custom_fields(&self) -> Result<CustomFields, ApiError> {
        self.send(Endpoint::CustomFields, &[], None).await
    }

    /// `tickets_create.php`: files a ticket, exactly once per `idempotency_key`; keeps the guest
    /// pass the answer brings (a guest's create only).
    pub async fn create_ticket(
        &self,
        ticket: &NewTicket,
        idempotency_key: &str,
    ) -> Result<TicketCreated, ApiError> {
        let body = (encode(ticket)?, idempotency_key);
        let created: TicketCreated = self.send(Endpoint::CreateTicket, &[], Some(body)).await?;
        if let Some(pass) = &created.guest_pass {
            self.guest_pass.set(Some(pass));
        }
        Ok(created)
    }

    /// `tickets_list.php`: the visitor's tickets, newest update first.
    pub async fn list_tickets(&self) -> Result<TicketList, ApiError> {
        self.send(Endpoint::ListTickets, &[], None).await
    }

    /// `ticket_view.php`: one of the visitor's tickets with its whole thread.
    pub async fn view_ticket(&self, id: TicketId) -> Result<TicketThread, ApiError> {
        let id = decimal(id.0);
        self.send(Endpoint::ViewTicket, &[("ticket_id", &id)], None)
            .await
    }

    /// `ticket_reply.php`: adds the visitor's reply to a thread, exactly once per `idempotency_key`.
    pub async fn reply(
        &self,
        reply: &NewReply,
        idempotency_key: &str,
    ) -> Result<ReplyCreated, ApiError> {
        let body = (encode(reply)?, idempotency_key);
        self.send(Endpoint::Reply, &[], Some(body)).await
    }

    /// One request to `endpoint` with `query`, its answer decoded as `T`; `body` is the JSON and
    /// its `Idempotency-Key`. Only the decoding is generic: each answer type adds just its reader.
    async fn send<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        query: &[(&str, &str)],
        body: Option<(String, &str)>,
    ) -> Result<T, ApiError> {
        read(&self.exchange(endpoint, query, body).await?)
    }

    /// The text of a 2xx answer; any other answer as its refusal.
    async fn exchange(
        &self,
        endpoint: Endpoint,
        query: &[(&str, &str)],
        body: Option<(String, &str)>,
    ) -> Result<String, ApiError> {
        let url = self.url(endpoint);
        let request = match endpoint.method() {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
        }
        .query(query.iter().copied());
        let (status, text) = self.fetch(request, body).await.map_err(network)?;
        if (200..300).contains(&status) {
            return Ok(text);
        }
        let refusal = refused(status, text).await;
        if matches!(
            refusal.code,
            ErrorCode::InvalidGuestPass | ErrorCode::GuestPassExpired
        ) {
            // Useless from now on: "My tickets" says so, and the next create brings a new one.
            self.guest_pass.set(None);
        }
        Err(ApiError::Rejected(refusal))
    }

    /// The status and body text of one request, sent with who is asking.
    async fn fetch(
        &self,
        request: RequestBuilder,
        body: Option<(String, &str)>,
    ) -> Result<(u16, String), gloo_net::Error> {
        let request = self.identify(request);
        let request = match body {
            Some((json, idempotency_key)) => request
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotency_key)
                .body(json)?,
            None => request.build()?,
        };
        let response = request.send().await?;
        Ok((response.status(), response.text().await?))
    }

    /// Adds who is asking: the site, then the verified identity or else the guest pass. The proxy
    /// reads only the first of them anyway; not sending the pass keeps it where it is needed.
    fn identify(&self, mut request: RequestBuilder) -> RequestBuilder {
        if let Some(site) = &self.site {
            request = request.header("X-Helpdock-Site", site);
        }
        if let Some(identity) = self.identity.read_untracked().as_ref() {
            request.header("X-Helpdock-Identity", &identity.header_value())
        } else if let Some(pass) = self.guest_pass.get() {
            request.header("X-Helpdock-Guest-Pass", &pass)
        } else {
            request
        }
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

fn network(e: gloo_net::Error) -> ApiError {
    let e = match e {
        gloo_net::Error::JsError(e) => e.message,
        gloo_net::Error::GlooError(e) => e,
        // Only with gloo-net's `json` feature (Leptos's server functions turn it on); never
        // from the requests here, which carry text.
        _ => String::new(),
    };
    web_sys::console::warn_2(&"[helpdock] request failed:".into(), &e.into());
    ApiError::Network
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base_gets_a_trailing_slash() {
        for base in ["https://x.io/api", "https://x.io/api/"] {
            assert_eq!(
                Api::new(base, None).url(Endpoint::Reply),
                "https://x.io/api/ticket_reply.php"
            );
        }
    }

    #[test]
    fn keys_are_32_lower_hex_digits() {
        let key = new_idempotency_key();
        assert_eq!(key.len(), 32);
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(key, new_idempotency_key());
    }
}
