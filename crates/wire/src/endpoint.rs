//! The proxy's browser-facing endpoints: one table the proxy's routes, its perimeter and the
//! widget all read, so a renamed or added endpoint cannot reach only some of them.

/// How an endpoint is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Reads; answers the same however often it is asked.
    Get,
    /// Changes the helpdesk; sent with an `Idempotency-Key`.
    Post,
}

/// One of the six `/api/*.php` endpoints (docs/protocol.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET ticket_categories.php`.
    Categories,
    /// `GET ticket_custom_fields.php`.
    CustomFields,
    /// `POST tickets_create.php`.
    CreateTicket,
    /// `GET tickets_list.php`.
    ListTickets,
    /// `GET ticket_view.php?ticket_id=…`.
    ViewTicket,
    /// `POST ticket_reply.php`.
    Reply,
}

/// Where the endpoints live under the proxy's origin.
const PREFIX: &str = "/api/";

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 6] = [
        Endpoint::Categories,
        Endpoint::CustomFields,
        Endpoint::CreateTicket,
        Endpoint::ListTickets,
        Endpoint::ViewTicket,
        Endpoint::Reply,
    ];

    /// The proxy's route: `/api/tickets_create.php`.
    pub const fn path(self) -> &'static str {
        match self {
            Endpoint::Categories => "/api/ticket_categories.php",
            Endpoint::CustomFields => "/api/ticket_custom_fields.php",
            Endpoint::CreateTicket => "/api/tickets_create.php",
            Endpoint::ListTickets => "/api/tickets_list.php",
            Endpoint::ViewTicket => "/api/ticket_view.php",
            Endpoint::Reply => "/api/ticket_reply.php",
        }
    }

    /// The script's name, relative to the API's base URL: `tickets_create.php`.
    pub fn script(self) -> &'static str {
        self.path().strip_prefix(PREFIX).unwrap_or(self.path())
    }

    /// The method it takes.
    pub const fn method(self) -> Method {
        match self {
            Endpoint::CreateTicket | Endpoint::Reply => Method::Post,
            Endpoint::Categories
            | Endpoint::CustomFields
            | Endpoint::ListTickets
            | Endpoint::ViewTicket => Method::Get,
        }
    }

    /// Whether the proxy's perimeter guards it (idempotency, rate limits, bot checks): every
    /// endpoint that writes to the helpdesk.
    pub const fn guarded(self) -> bool {
        matches!(self.method(), Method::Post)
    }

    /// The endpoint routed at `path`, if any.
    pub fn at(path: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_scripts_relative() {
        for e in Endpoint::ALL {
            assert_eq!(Endpoint::at(e.path()), Some(e));
            assert_eq!([PREFIX, e.script()].concat(), e.path());
            assert!(e.script().ends_with(".php") && !e.script().contains('/'));
        }
        assert_eq!(Endpoint::at("/api/tickets_create.php/"), None);
        let guarded: Vec<_> = Endpoint::ALL.into_iter().filter(|e| e.guarded()).collect();
        assert_eq!(guarded, [Endpoint::CreateTicket, Endpoint::Reply]);
    }
}
