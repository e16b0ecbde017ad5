//! Request bodies and query strings, read strictly and refused in our own words: exactly one
//! `Content-Type: application/json` (`; charset=utf-8` allowed), no field twice, and a refusal
//! that names our field when it can — never serde's wording, which quotes the client's input,
//! names our types and counts lines and columns.

use crate::error::{ApiError, form_order};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header::CONTENT_TYPE};
use helpdock_wire::{DUPLICATE_FIELD, NewTicket};
use serde::de::DeserializeOwned;

/// `name` as one of our fields: the only names a refusal repeats (anything else a client sent is
/// not echoed).
fn our_field(name: &str) -> Option<&'static str> {
    form_order()
        .chain(NewTicket::OTHER_FIELDS)
        .find(|f| *f == name)
}

/// A JSON request body of type `T`.
pub(super) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                true => ApiError::PayloadTooLarge,
                false => ApiError::BadRequest("The request body could not be read.".into()),
            }
        })?;
        decode_json(&bytes).map(JsonBody)
    }
}

/// A JSON body's bytes as a `T`, or our refusal.
pub(crate) fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let syntax = e.inner().classify() != serde_json::error::Category::Data;
        match syntax {
            true => not_json(),
            false => refusal(Input::Body, e.path(), &e.inner().to_string()),
        }
    })?;
    json.end().map_err(|_| not_json())?;
    Ok(value)
}

/// Query parameters of type `T`.
pub(super) struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(pairs)
            .map(QueryParams)
            .map_err(|e| refusal(Input::Query, e.path(), &e.inner().to_string()))
    }
}

/// `application/json`, once, with no parameter but `charset=utf-8` (what docs/security.md
/// promises: no `text/plain` simple requests, no `+json` dialects, no second opinion).
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let mut types = headers.get_all(CONTENT_TYPE).iter();
    let (Some(only), None) = (types.next(), types.next()) else {
        return Err(ApiError::UnsupportedMediaType);
    };
    let value = only
        .to_str()
        .map_err(|_| ApiError::UnsupportedMediaType)?
        .to_ascii_lowercase();
    let mut parts = value.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default();
    let params_ok = parts.all(|p| p.replace(' ', "") == "charset=utf-8");
    match media == "application/json" && params_ok {
        true => Ok(()),
        false => Err(ApiError::UnsupportedMediaType),
    }
}

fn not_json() -> ApiError {
    ApiError::BadRequest("The request body is not valid JSON.".into())
}

#[derive(Clone, Copy)]
enum Input {
    Body,
    Query,
}

/// Our refusal for serde's `message` about the value at `path`.
fn refusal(input: Input, path: &serde_path_to_error::Path, message: &str) -> ApiError {
    let unknown = match input {
        Input::Body => "The body has a field this endpoint does not take.",
        Input::Query => "The query has a parameter this endpoint does not take.",
    };
    if message.starts_with("unknown field") {
        return ApiError::BadRequest(unknown.into());
    }
    let about = |field: Option<&'static str>, message: &'static str| match field {
        Some(field) => ApiError::BadField { field, message },
        None => ApiError::BadRequest(message.into()),
    };
    if message.contains(DUPLICATE_FIELD) || message.starts_with("duplicate field") {
        let field = quoted_field(message).or_else(|| first_field(path));
        return about(field, "This field is given twice.");
    }
    if message.starts_with("missing field") {
        return about(quoted_field(message), "This field is missing.");
    }
    about(
        first_field(path),
        "This field's value is not one this endpoint takes.",
    )
}

/// The first segment of `path`, when it is one of our fields.
fn first_field(path: &serde_path_to_error::Path) -> Option<&'static str> {
    our_field(&path.iter().next()?.to_string())
}

/// The name serde quotes in "missing field `x`" / "duplicate field `x`", when it is ours.
fn quoted_field(message: &str) -> Option<&'static str> {
    our_field(message.split('`').nth(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_plain_json_is_json() {
        let headers = |values: &[&'static str]| {
            let mut map = HeaderMap::new();
            for v in values {
                map.append(CONTENT_TYPE, HeaderValue::from_static(v));
            }
            map
        };
        for ok in [
            &["application/json"][..],
            &["Application/JSON; charset=UTF-8"],
            &["application/json;charset=utf-8"],
        ] {
            assert!(require_json(&headers(ok)).is_ok(), "{ok:?}");
        }
        for refused in [
            &[][..],
            &["text/plain"],
            &["application/vnd.api+json"],
            &["application/json; charset=latin1"],
            &["application/json", "application/json"],
            &["application/jsonp"],
        ] {
            assert!(require_json(&headers(refused)).is_err(), "{refused:?}");
        }
    }
}
