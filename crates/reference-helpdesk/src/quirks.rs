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
}
