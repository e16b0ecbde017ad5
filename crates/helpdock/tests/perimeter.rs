//! The perimeter over HTTP, through `app()` in front of the in-process reference helpdesk:
//! origins, idempotency keys, rate limits, bot checks, odd paths and queries, security headers,
//! request ids. Every refusal is checked to reach no upstream script. What the log may hold is
//! `perimeter_logs.rs`: a capturing subscriber needs a test binary of its own.

mod support;

#[path = "perimeter/config.rs"]
mod config;
#[path = "perimeter/fixture.rs"]
mod fixture;
#[path = "perimeter/hygiene.rs"]
mod hygiene;
#[path = "perimeter/origins.rs"]
mod origins;
#[path = "perimeter/writes.rs"]
mod writes;
