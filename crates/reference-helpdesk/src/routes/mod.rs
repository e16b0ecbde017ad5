//! The six scripts under `/api/`, and what every request goes through before one of them runs:
//! decoding, recording, the injected fault and the token check.

mod create;
mod flaky;
mod meta;
pub(crate) mod reply;
mod view;

use crate::answer::{Answer, Crash};
use crate::db::Db;
use crate::helpdesk::Inner;
use crate::params::Params;
use crate::quirks::Fault;
use crate::record::RecordedCall;
use crate::request::PhpRequest;
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use std::sync::Arc;

/// What a script gets to see.
#[derive(Debug)]
pub(crate) struct ScriptInput {
    pub(crate) params: Params,
}

/// The scripts of the API, by file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    CreateTicket,
    ListTickets,
    ViewTicket,
    ReplyToTicket,
    Categories,
    CustomFields,
}

impl Script {
    const ALL: [Script; 6] = [
        Script::CreateTicket,
        Script::ListTickets,
        Script::ViewTicket,
        Script::ReplyToTicket,
        Script::Categories,
        Script::CustomFields,
    ];

    fn file(self) -> &'static str {
        match self {
            Script::CreateTicket => "tickets_create.php",
            Script::ListTickets => "tickets_list.php",
            Script::ViewTicket => "ticket_view.php",
            Script::ReplyToTicket => "ticket_reply.php",
            Script::Categories => "ticket_categories.php",
            Script::CustomFields => "ticket_custom_fields.php",
        }
    }

    /// The two lookup scripts never call the auth check.
    fn checks_token(self) -> bool {
        !matches!(self, Script::Categories | Script::CustomFields)
    }

    /// Only list and view fall back to `$_GET`; create and reply read the body alone.
    fn reads_query(self) -> bool {
        matches!(self, Script::ListTickets | Script::ViewTicket)
    }

    fn run(self, db: &Db, input: &ScriptInput) -> Result<Answer, Crash> {
        match self {
            Script::CreateTicket => create::create_ticket(db, input),
            Script::ListTickets => view::list_tickets(db, input),
            Script::ViewTicket => view::view_ticket(db, input),
            Script::ReplyToTicket => reply::reply_to_ticket(db, input),
            Script::Categories => meta::list_categories(db),
            Script::CustomFields => meta::list_custom_fields(db),
        }
    }
}

pub(crate) fn router(inner: Arc<Inner>) -> Router {
    let mut router = Router::new();
    for script in Script::ALL {
        let inner = inner.clone();
        let path = format!("/api/{}", script.file());
        router = router.route(&path, any(move |req| run_script(inner, script, req)));
    }
    router.fallback(move |req| not_found(inner, req))
}

async fn run_script(inner: Arc<Inner>, script: Script, req: Request<Body>) -> Response {
    let req = PhpRequest::read(req).await;
    let token_valid = req.has_token(&inner.token);
    let params = if script.reads_query() {
        req.body.clone().or_else(req.query.clone())
    } else {
        req.body.clone()
    };
    let fault = inner.fault();
    let mishap = match fault {
        Some(Fault::Flaky { per_mille, .. }) => flaky::deal(&inner, per_mille),
        _ => None,
    };
    let mut call = record(script.file(), &req, &params, token_valid);
    call.mishap = mishap;
    inner.calls.push(call);
    if let (Some(Fault::Flaky { stall, .. }), Some(mishap)) = (fault, mishap) {
        let worker = inner.clone();
        let run = move || run_checked(worker, script, params, token_valid);
        return flaky::strike(mishap, stall, script.file(), run).await;
    }

    if let Some(Fault::Delay(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    if let Some(Fault::Body(text)) = fault {
        return (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response();
    }
    // The database connection is made when the script starts, before the auth check.
    if fault == Some(Fault::DatabaseDown) {
        return Answer::Crash.render(script.file(), inner.db.quirks());
    }
    run_checked(inner, script, params, token_valid).await
}

/// The token check, then the script, rendered.
async fn run_checked(
    inner: Arc<Inner>,
    script: Script,
    params: Params,
    token_valid: bool,
) -> Response {
    let answer = if script.checks_token() && !token_valid {
        Answer::Unauthorized
    } else {
        let input = ScriptInput { params };
        let worker = inner.clone();
        tokio::task::spawn_blocking(move || script.run(&worker.db, &input))
            .await
            .unwrap_or(Err(Crash))
            .unwrap_or(Answer::Crash)
    };
    answer.render(script.file(), inner.db.quirks())
}

async fn not_found(inner: Arc<Inner>, req: Request<Body>) -> Response {
    let path = req.uri().path().to_owned();
    let req = PhpRequest::read(req).await;
    let token_valid = req.has_token(&inner.token);
    inner
        .calls
        .push(record(&path, &req, &Params::default(), token_valid));
    Answer::NotFound.render(&path, inner.db.quirks())
}

fn record(script: &str, req: &PhpRequest, params: &Params, token_valid: bool) -> RecordedCall {
    RecordedCall {
        script: script.to_owned(),
        method: req.method.as_str().to_owned(),
        params: params.clone().into_map(),
        body_kind: req.body_kind,
        token_valid,
        headers: req.header_pairs(),
        mishap: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::Helpdesk;
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode, header};
    use serde_json::{Value, json};
    use tower::ServiceExt;

    async fn call(helpdesk: &Helpdesk, request: Request<Body>) -> (StatusCode, Value) {
        let response = helpdesk
            .router()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn post_form(uri: &str, token: &str, form: &str) -> Request<Body> {
        Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .expect("request")
    }

    #[tokio::test]
    async fn every_script_is_routed_and_only_the_lookups_skip_the_token() {
        let helpdesk = Helpdesk::open(None, "t".to_owned()).expect("open");
        for script in super::Script::ALL {
            let request = Request::get(format!("/api/{}", script.file())).body(Body::empty());
            let (status, _) = call(&helpdesk, request.expect("request")).await;
            let expected = if script.checks_token() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            assert_eq!(status, expected, "{}", script.file());
        }
        let (status, _) = call(
            &helpdesk,
            Request::get("/tickets_list.php")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "scripts live under /api/ only"
        );
    }

    #[tokio::test]
    async fn a_created_ticket_is_the_real_apps_row() {
        let helpdesk = Helpdesk::open(None, "t".to_owned()).expect("open");
        let form = "subject=s&message=m&user_email=a%40b.example&name=&company=0\
                    &custom_fields=%7B%221%22%3A%22x%22%7D";
        let (_, created) = call(&helpdesk, post_form("/api/tickets_create.php", "t", form)).await;
        assert_eq!(created, json!({"success": true, "ticket_id": "1"}));
        let view = post_form(
            "/api/ticket_view.php",
            "t",
            "ticket_id=1&user_email=a%40b.example",
        );
        let (_, body) = call(&helpdesk, view).await;
        let ticket = body["ticket"].as_object().cloned().unwrap_or_default();
        let columns: Vec<&str> = ticket.keys().map(String::as_str).collect();
        // supportengine-api.md's row, in its order, then the install's own columns.
        assert_eq!(
            columns,
            [
                "id",
                "subject",
                "message",
                "priority",
                "email",
                "name",
                "company",
                "category_id",
                "status",
                "created_at",
                "updated_at",
                "assigned_to",
                "internal_note",
                "ip_address"
            ],
            "{body}"
        );
        assert_eq!(ticket["email"], "a@b.example");
        // `!empty()` decides: "" and "0" are stored as NULL; the app never writes the install's own.
        let unset = [&ticket["name"], &ticket["company"], &ticket["ip_address"]];
        assert_eq!(unset, [&Value::Null; 3], "{body}");
        assert_eq!(
            (ticket["priority"].as_str(), ticket["status"].as_str()),
            (Some("medium"), Some("open"))
        );
    }
}
