//! The log of every request the helpdesk received, so tests can assert what the upstream saw.

use crate::quirks::{Mishap, When};
use serde_json::{Map, Value};
use std::sync::{Mutex, MutexGuard};

/// How a request's body was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No body, or one PHP ignores (a form body on anything but POST).
    None,
    /// `application/x-www-form-urlencoded` (any `Content-Type` that does not start with
    /// `application/json`).
    Form,
    /// A JSON body: the `Content-Type` started with exactly `application/json`.
    Json,
}

/// One request as the helpdesk received it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedCall {
    /// The script name (`tickets_create.php`), or the whole path for an unknown path.
    pub script: String,
    /// The HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// The parameters the script read, after decoding (form values are JSON strings).
    pub params: Map<String, Value>,
    /// How the body was decoded.
    pub body_kind: BodyKind,
    /// Whether `Authorization: Bearer <token>` carried the right token.
    pub token_valid: bool,
    /// Every request header, name in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The mishap a flaky helpdesk ([`crate::Fault::Flaky`]) dealt this request, if any.
    pub mishap: Option<(Mishap, When)>,
}

impl RecordedCall {
    /// The parameter `key` if it was sent as a string (every form value is one).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).and_then(Value::as_str)
    }

    /// The value of header `name` (compared case-insensitively), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An append-only, shareable list of calls.
#[derive(Debug, Default)]
pub(crate) struct CallLog(Mutex<Vec<RecordedCall>>);

impl CallLog {
    pub(crate) fn push(&self, call: RecordedCall) {
        self.lock().push(call);
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedCall> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    // A panic while holding the lock cannot leave a half-pushed Vec, so poisoning is harmless.
    fn lock(&self) -> MutexGuard<'_, Vec<RecordedCall>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
