//! Chromium's own view, through ChromeDriver: the DevTools network events of its performance log
//! (each response body the browser received, and how many bytes each response took on the wire),
//! its console log, and DevTools commands (media emulation).

use base64::Engine;
use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// A ChromeDriver vendor command: `POST /session/{id}/<path>` with a JSON body.
#[derive(Debug)]
struct VendorCommand {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for VendorCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// One response the browser received: its URL, every header, and its decoded body.
#[derive(Debug)]
pub struct ReceivedResponse {
    /// The URL requested.
    pub url: String,
    /// Header names and values, as the browser saw them.
    pub headers: Vec<(String, String)>,
    /// The body after content decoding (`None` when Chromium no longer had it).
    pub body: Option<Vec<u8>>,
}

/// Every response of the session so far. Drains the performance log, so call it once, at the end.
pub async fn received_responses(client: &Client) -> Vec<ReceivedResponse> {
    let log = client
        .issue_cmd(VendorCommand {
            path: "se/log",
            body: json!({"type": "performance"}),
        })
        .await
        .expect("performance log");
    let mut out = Vec::new();
    for entry in log.as_array().into_iter().flatten() {
        let Some(message) = entry["message"].as_str() else {
            continue;
        };
        let Ok(event) = serde_json::from_str::<Value>(message) else {
            continue;
        };
        let event = &event["message"];
        let params = &event["params"];
        match event["method"].as_str() {
            Some("Network.responseReceived") => {
                let response = &params["response"];
                out.push(ReceivedResponse {
                    url: response["url"].as_str().unwrap_or_default().to_owned(),
                    headers: headers(&response["headers"]),
                    body: body(client, params["requestId"].as_str().unwrap_or_default()).await,
                });
            }
            // Raw headers as they came off the wire (Set-Cookie included), without a body.
            Some("Network.responseReceivedExtraInfo") => out.push(ReceivedResponse {
                url: String::from("(raw headers)"),
                headers: headers(&params["headers"]),
                body: None,
            }),
            _ => {}
        }
    }
    out
}

/// One response as it came over the network, by the DevTools network events.
#[derive(Clone, Debug)]
pub struct Transfer {
    /// The URL requested.
    pub url: String,
    /// The HTTP status.
    pub status: u64,
    /// Its `Content-Encoding` (`br`, `gzip`), empty for none.
    pub content_encoding: String,
    /// The body's bytes as received, still encoded (`Network.loadingFinished`'s total less the
    /// headers').
    pub body_bytes: u64,
    /// Everything received for it, headers included (`Network.loadingFinished`).
    pub total_bytes: u64,
    /// The body's bytes once decoded (the sum of `Network.dataReceived`'s `dataLength`).
    pub decoded_bytes: u64,
    /// Served from the browser's cache rather than the network.
    pub from_cache: bool,
}

/// Every response of the session so far that finished loading, in the order they arrived.
/// Drains the performance log, like [`received_responses`]: call it once per page state.
pub async fn transfers(client: &Client) -> Vec<Transfer> {
    let log = client
        .issue_cmd(VendorCommand {
            path: "se/log",
            body: json!({"type": "performance"}),
        })
        .await
        .expect("performance log");
    let mut started: HashMap<String, Transfer> = HashMap::new();
    let mut header_bytes: HashMap<String, u64> = HashMap::new();
    // Said before the response is.
    let mut served_from_cache: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for entry in log.as_array().into_iter().flatten() {
        let Some(event) = entry["message"]
            .as_str()
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        else {
            continue;
        };
        let (method, params) = (&event["message"]["method"], &event["message"]["params"]);
        let id = params["requestId"].as_str().unwrap_or_default().to_owned();
        let bytes = |key: &str| params[key].as_f64().unwrap_or(0.0) as u64;
        match method.as_str() {
            Some("Network.responseReceived") => {
                let response = &params["response"];
                let encoding = headers(&response["headers"])
                    .into_iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
                    .map(|(_, value)| value)
                    .unwrap_or_default();
                // At this point the bytes received are the status line and headers.
                header_bytes.insert(
                    id.clone(),
                    response["encodedDataLength"].as_f64().unwrap_or(0.0) as u64,
                );
                let cached = served_from_cache.contains(&id)
                    || ["fromDiskCache", "fromMemoryCache", "fromPrefetchCache"]
                        .iter()
                        .any(|key| response[*key].as_bool() == Some(true));
                started.insert(
                    id,
                    Transfer {
                        url: response["url"].as_str().unwrap_or_default().to_owned(),
                        status: response["status"].as_u64().unwrap_or(0),
                        content_encoding: encoding,
                        body_bytes: 0,
                        total_bytes: 0,
                        decoded_bytes: 0,
                        from_cache: cached,
                    },
                );
            }
            Some("Network.requestServedFromCache") => {
                if let Some(t) = started.get_mut(&id) {
                    t.from_cache = true;
                }
                served_from_cache.insert(id);
            }
            Some("Network.dataReceived") => {
                if let Some(t) = started.get_mut(&id) {
                    t.decoded_bytes += bytes("dataLength");
                }
            }
            Some("Network.loadingFinished") => {
                if let Some(mut t) = started.remove(&id) {
                    t.total_bytes = bytes("encodedDataLength");
                    let headers = header_bytes.get(&id).copied().unwrap_or(0);
                    t.body_bytes = t.total_bytes.saturating_sub(headers);
                    out.push(t);
                }
            }
            _ => {}
        }
    }
    out
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

async fn body(client: &Client, request_id: &str) -> Option<Vec<u8>> {
    let res = client
        .issue_cmd(VendorCommand {
            path: "goog/cdp/execute",
            body: json!({"cmd": "Network.getResponseBody", "params": {"requestId": request_id}}),
        })
        .await
        .ok()?;
    let text = res["body"].as_str()?;
    if res["base64Encoded"].as_bool() == Some(true) {
        base64::engine::general_purpose::STANDARD.decode(text).ok()
    } else {
        Some(text.as_bytes().to_vec())
    }
}

/// Runs one Chrome DevTools Protocol command (e.g. `Emulation.setEmulatedMedia`) and returns its
/// result.
pub async fn cdp(client: &Client, cmd: &str, params: Value) -> Value {
    client
        .issue_cmd(VendorCommand {
            path: "goog/cdp/execute",
            body: json!({"cmd": cmd, "params": params}),
        })
        .await
        .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
}

/// The browser's console and error log since the last call, as `(level, message)` pairs
/// (`SEVERE` for errors and uncaught exceptions, `WARNING` for `console.warn`).
pub async fn browser_log(client: &Client) -> Vec<(String, String)> {
    let log = client
        .issue_cmd(VendorCommand {
            path: "se/log",
            body: json!({"type": "browser"}),
        })
        .await
        .expect("browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .map(|entry| {
            let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
            (text("level"), text("message"))
        })
        .collect()
}

/// Makes the page report `prefers-color-scheme: scheme` (`light` or `dark`) from now on.
pub async fn emulate_color_scheme(client: &Client, scheme: &str) {
    cdp(
        client,
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
    )
    .await;
}
