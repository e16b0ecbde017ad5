//! A reference helpdesk on 127.0.0.1:0 and a client that speaks to it like the proxy would.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use reference_helpdesk::{Helpdesk, Quirks, serve};
use serde_json::Value;

pub const TOKEN: &str = "test-token";

/// A helpdesk served over real HTTP for the duration of one test.
pub struct Running {
    pub helpdesk: Helpdesk,
    base: String,
    client: reqwest::Client,
}

/// One HTTP answer, kept raw so tests can check the status, the type and an empty body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl Reply {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// Asserts HTTP 200 and returns the JSON body.
    pub fn ok_json(&self) -> Value {
        assert_eq!(self.status, 200, "{self:?}");
        self.json()
    }
}

pub async fn start() -> Running {
    start_with(Quirks::default()).await
}

pub async fn start_with(quirks: Quirks) -> Running {
    let helpdesk = Helpdesk::open_with(None, TOKEN.to_owned(), quirks).expect("open helpdesk");
    serve_on_free_port(helpdesk).await
}

pub async fn serve_on_free_port(helpdesk: Helpdesk) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}/api/", listener.local_addr().expect("addr"));
    tokio::spawn(serve(listener, helpdesk.clone()));
    Running {
        helpdesk,
        base,
        client: reqwest::Client::new(),
    }
}

impl Running {
    pub fn url(&self, script: &str) -> String {
        format!("{}{script}", self.base)
    }

    /// A request to `script` carrying the right token.
    pub fn request(&self, method: reqwest::Method, script: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(script))
            .bearer_auth(TOKEN)
    }

    /// POSTs form fields with the right token.
    pub async fn post_form(&self, script: &str, form: &[(&str, &str)]) -> Reply {
        send(self.request(reqwest::Method::POST, script).form(form)).await
    }

    /// POSTs a JSON body with the right token.
    pub async fn post_json(&self, script: &str, body: &Value) -> Reply {
        send(self.request(reqwest::Method::POST, script).json(body)).await
    }

    /// GETs with query parameters and the right token.
    pub async fn get(&self, script: &str, query: &[(&str, &str)]) -> Reply {
        send(self.request(reqwest::Method::GET, script).query(query)).await
    }

    /// Creates a ticket through the API and returns its id (sent as a string).
    pub async fn create(&self, subject: &str, email: &str, extra: &[(&str, &str)]) -> String {
        let mut form = vec![
            ("subject", subject),
            ("message", "Please help"),
            ("user_email", email),
            ("custom_fields", r#"{"1":"ORD-1"}"#),
        ];
        form.extend_from_slice(extra);
        let body = self.post_form("tickets_create.php", &form).await.ok_json();
        assert_eq!(body["success"], true, "{body}");
        body["ticket_id"]
            .as_str()
            .expect("ticket_id is a string")
            .to_owned()
    }

    /// `ticket_view.php` for `id` as `email`, via GET.
    pub async fn view(&self, id: &str, email: &str) -> Value {
        self.get(
            "ticket_view.php",
            &[("ticket_id", id), ("user_email", email)],
        )
        .await
        .ok_json()
    }

    /// `tickets_list.php` for `email`, via GET.
    pub async fn list(&self, email: &str) -> Value {
        self.get("tickets_list.php", &[("user_email", email)])
            .await
            .ok_json()
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.text().await.expect("body");
    Reply {
        status,
        content_type,
        body,
    }
}
