//! Knobs that make the reference helpdesk behave like a particular PHP host, or like a broken one.

use std::time::Duration;

/// How the emulated PHP host differs from the default (current PHP, `display_errors` off).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quirks {
    /// Send every row value as a JSON string (`"id":"7"`, `"required":"1"`), as older PHP/PDO do.
    pub numbers_as_strings: bool,
    /// On a crash, answer HTTP 200 with PHP's HTML error page (server paths included) instead of
    /// HTTP 500 with an empty body.
    pub display_errors: bool,
}

/// A failure injected into every script request until cleared with `Helpdesk::set_fault(None)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The database is unreachable: every script crashes (rendered according to [`Quirks`]).
    DatabaseDown,
    /// Every script answers normally, but only after this long (for proxy timeout tests).
    Delay(Duration),
    /// Every script answers HTTP 200 `application/json` with exactly this text, as a helpdesk
    /// that changed its shapes (or a hostile one) would.
    Body(&'static str),
    /// `per_mille` of the requests, drawn at random, meet one of the [`Mishap`]s (equally likely),
    /// before or after the script ran (equally likely); stalls last `stall`. Each is logged in
    /// the call log ([`crate::RecordedCall::mishap`]).
    Flaky {
        /// How many requests in a thousand.
        per_mille: u16,
        /// How long a stall lasts.
        stall: Duration,
    },
}

/// What a flaky helpdesk does to one request (see [`Fault::Flaky`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mishap {
    /// HTTP 500 with an empty body, as PHP dying with `display_errors` off.
    EmptyServerError,
    /// HTTP 200 with PHP's HTML error page, as with `display_errors` on.
    HtmlErrorPage,
    /// The answer comes only after [`Fault::Flaky`]'s `stall`, past the proxy's timeout.
    Stall,
    /// The connection breaks before the answer is whole.
    ClosedConnection,
}

/// Whether a mishap struck before the script ran (nothing written) or after (written, but the
/// answer is lost): both happen to a real PHP app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Before the script ran: nothing was written.
    Before,
    /// After the script ran: whatever it writes is stored.
    After,
}

impl Mishap {
    /// The four, in order.
    pub const ALL: [Mishap; 4] = [
        Mishap::EmptyServerError,
        Mishap::HtmlErrorPage,
        Mishap::Stall,
        Mishap::ClosedConnection,
    ];
}
