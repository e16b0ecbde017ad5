//! Reading an HTTP request the way the PHP scripts do: query string, form body or JSON body.

use crate::params::{Params, decode_form};
use crate::record::BodyKind;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, header};
use serde_json::Value;

/// PHP's default `post_max_size`; past it PHP drops the body, and so do we.
const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// A request decoded into PHP's input arrays.
#[derive(Debug)]
pub(crate) struct PhpRequest {
    pub(crate) method: Method,
    /// `$_GET`.
    pub(crate) query: Params,
    /// `$_POST`, or the JSON body when the content type says JSON.
    pub(crate) body: Params,
    pub(crate) body_kind: BodyKind,
    pub(crate) headers: HeaderMap,
}

impl PhpRequest {
    /// Splits and decodes `req`; never fails, because PHP never refuses input either.
    pub(crate) async fn read(req: Request<Body>) -> Self {
        let (parts, body) = req.into_parts();
        let query = decode_form(parts.uri.query().unwrap_or_default().as_bytes());
        let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        let (body, body_kind) = decode_body(&parts.method, &parts.headers, &bytes);
        Self {
            method: parts.method,
            query,
            body,
            body_kind,
            headers: parts.headers,
        }
    }

    /// Whether `Authorization: Bearer <token>` names exactly `token`.
    pub(crate) fn has_token(&self, token: &str) -> bool {
        self.headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|sent| sent == token)
    }

    /// Headers as (lower-case name, value) pairs; values that are not UTF-8 are decoded lossily.
    pub(crate) fn header_pairs(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect()
    }
}

/// The scripts read `json_decode(php://input)` when the content type starts with exactly
/// `application/json` (case-sensitive `strpos`), and `$_POST` otherwise, which PHP fills only on POST.
fn decode_body(method: &Method, headers: &HeaderMap, bytes: &[u8]) -> (Params, BodyKind) {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if content_type.starts_with(b"application/json") {
        // Invalid JSON or a non-object decodes to nothing, as `json_decode(..., true) ?: []` does.
        let params = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Params::new(map),
            _ => Params::default(),
        };
        (params, BodyKind::Json)
    } else if method == Method::POST && !bytes.is_empty() {
        (decode_form(bytes), BodyKind::Form)
    } else {
        (Params::default(), BodyKind::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    fn with_type(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("header"),
        );
        headers
    }

    #[test]
    fn content_type_decides_the_decoder() {
        let json_body = br#"{"user_email":"a@b.example"}"#;
        let cases = [
            ("application/json", BodyKind::Json, Some("a@b.example")),
            (
                "application/json; charset=utf-8",
                BodyKind::Json,
                Some("a@b.example"),
            ),
            // Not lower case: PHP's strpos misses it and reads $_POST, which has no such key.
            ("Application/JSON", BodyKind::Form, None),
            ("text/plain", BodyKind::Form, None),
        ];
        for (content_type, kind, email) in cases {
            let (params, got) = decode_body(&Method::POST, &with_type(content_type), json_body);
            assert_eq!(got, kind, "{content_type}");
            let map = params.into_map();
            assert_eq!(
                map.get("user_email").and_then(Value::as_str),
                email,
                "{content_type}"
            );
        }
    }

    #[test]
    fn form_body_is_read_only_on_post() {
        let headers = with_type("application/x-www-form-urlencoded");
        let (params, kind) = decode_body(&Method::POST, &headers, b"a=1");
        assert_eq!(
            (params.into_map()["a"].clone(), kind),
            (json!("1"), BodyKind::Form)
        );
        let (params, kind) = decode_body(&Method::GET, &headers, b"a=1");
        assert_eq!((params, kind), (Params::default(), BodyKind::None));
    }

    #[test]
    fn json_that_is_not_an_object_reads_as_nothing() {
        for body in [&b"[1,2]"[..], b"not json", b""] {
            let (params, kind) = decode_body(&Method::POST, &with_type("application/json"), body);
            assert_eq!((params, kind), (Params::default(), BodyKind::Json));
        }
    }
}
