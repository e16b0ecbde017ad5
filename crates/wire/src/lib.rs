//! The browser-facing protocol of Helpdock: every type the widget and the proxy exchange.
//!
//! This crate does no I/O. The PHP app's own shapes never appear here; the proxy converts them by
//! hand, using [`lenient`] to read the upstream's inconsistent JSON.

pub mod endpoint;
pub mod error;
pub mod form;
pub mod ids;
pub mod lenient;
pub mod problem;
pub mod ticket;
pub mod validate;

pub use endpoint::{Endpoint, Method};
pub use error::{ErrorBody, ErrorCode};
pub use form::OptionalField;
pub use ids::{CategoryId, CustomFieldId, ReplyId, TicketId};
pub use ticket::*;
