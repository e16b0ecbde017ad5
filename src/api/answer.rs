//! The proxy's answers, decoded by the wire crate's own serde derives from what the browser's
//! `JSON.parse` made (serde-wasm-bindgen), and requests' bodies encoded the same way.

use helpdock_wire::validate::{FieldProblems, Problem};
use helpdock_wire::{ErrorBody, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use web_sys::js_sys::JSON;

/// Why a request did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, blocked by the browser, or the proxy is unreachable.
    Network,
    /// Refused for a stated reason: by the proxy, or by the same wire rules checked here first.
    Rejected(ErrorBody),
}

/// What is wrong with one field, as the widget shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// A kind of problem, worded in the visitor's language.
    Problem(Problem),
    /// Text to show as it came: a message no kind names (a newer proxy's, say).
    Said(String),
}

/// Field key (`subject`, `custom_fields.3`) → what is wrong with it.
pub type Findings = BTreeMap<String, Finding>;

impl ApiError {
    /// A refusal about input, found here by the wire rules before anything is sent.
    pub fn invalid(problems: FieldProblems) -> ApiError {
        ApiError::Rejected(ErrorBody {
            field: problems.keys().next().cloned(),
            field_problems: problems,
            ..ErrorBody::new(ErrorCode::InvalidInput, "Some fields need attention.")
        })
    }

    /// Every field this error concerns → what is wrong with it (`field` included): the kind
    /// where the answer names one this build knows, else the answer's own text.
    pub fn findings(&self) -> Findings {
        let ApiError::Rejected(body) = self else {
            return Findings::new();
        };
        let known = |field: &String| {
            body.field_problems
                .get(field)
                .filter(|p| **p != Problem::Unknown)
                .map(|p| Finding::Problem(*p))
        };
        // Inserted one by one: `collect` into a map sorts first, which costs the wasm more.
        let mut findings = Findings::new();
        for (field, said) in &body.field_errors {
            let finding = known(field).unwrap_or_else(|| Finding::Said(said.clone()));
            findings.insert(field.clone(), finding);
        }
        for field in body.field_problems.keys().chain(&body.field) {
            if !findings.contains_key(field) {
                let finding = known(field).unwrap_or_else(|| Finding::Said(body.message.clone()));
                findings.insert(field.clone(), finding);
            }
        }
        findings
    }
}

/// A 2xx answer's text decoded as `T`.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let parsed = JSON::parse(text).map_err(|_| unreadable(&"no JSON".into()))?;
    serde_wasm_bindgen::from_value(parsed).map_err(|e| unreadable(&e.into()))
}

/// Any other answer as the proxy's `ErrorBody` ([`refusal`], read by its chunk: see
/// [`crate::chunks::refusal`]).
pub async fn refused(status: u16, text: String) -> ErrorBody {
    crate::chunks::refusal(status, text).await
}

/// A refusal's `ErrorBody`. A proxy's refusal always is one; anything else came from something
/// in between, and its status says what it most likely means ([`bare_status`]).
pub fn refusal(status: u16, text: &str) -> ErrorBody {
    let body = JSON::parse(text).ok();
    body.and_then(|v| serde_wasm_bindgen::from_value::<ErrorBody>(v).ok())
        .unwrap_or_else(|| bare_status(status))
}

/// What a bare HTTP status without an `ErrorBody` says.
pub fn bare_status(status: u16) -> ErrorBody {
    let message = "The server answered ".to_owned() + &decimal(status.into()) + ".";
    ErrorBody::new(ErrorCode::for_status(status), message)
}

/// `value` as the JSON text of a request body (objects for maps, as the proxy reads them).
pub fn encode(value: &impl Serialize) -> Result<String, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .ok()
        .and_then(|v| JSON::stringify(&v).ok())
        .map(String::from)
        // The wire types always serialize; a failure would be a bug, and is reported like one.
        .ok_or_else(|| {
            ApiError::Rejected(ErrorBody::new(
                ErrorCode::Internal,
                "The request could not be written.",
            ))
        })
}

/// A 2xx answer that is not what the protocol says (a proxy of another version, or something in
/// between): logged with what was wrong, shown as a fault.
fn unreadable(why: &JsValue) -> ApiError {
    web_sys::console::warn_2(&"[helpdock] unreadable answer:".into(), why);
    ApiError::Rejected(ErrorBody::new(
        ErrorCode::Internal,
        "The answer could not be read.",
    ))
}

/// `n` in decimal, without the formatting machinery.
pub fn decimal(mut n: u64) -> String {
    let mut digits = String::new();
    loop {
        digits.insert(0, char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            return digits;
        }
    }
}

#[cfg(test)]
#[path = "answer_tests.rs"]
mod tests;
