//! What the log may hold: one line per request with method, route, status, latency and id — and
//! never the upstream token, a site's identity secret, a signature, a guest pass or an email,
//! though every request below carries some of them (in headers, queries and bodies).

use crate::fixture::{EVIL, Fixture, fixture, get_with, post_json, roomy, ticket};
use crate::support::{self, ANN, SITE_SECRET, TOKEN};
use reference_helpdesk::Fault;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use tracing_subscriber::EnvFilter;

/// Everything written to the log, shared with the subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// The requests: each carries secrets somewhere; returns how many were sent and the secrets seen.
async fn make_requests(f: &Fixture) -> (usize, Vec<String>) {
    let identity = support::identity(ANN);
    let signature = identity
        .rsplit("signature=")
        .next()
        .expect("a signature")
        .to_owned();
    let mut sent = 0;
    // A guest create with the email in the body and in a header the proxy does not trust.
    let created = f
        .send(post_json(
            "/api/tickets_create.php",
            &ticket("Logged?"),
            &[
                ("x-helpdock-email", ANN),
                ("idempotency-key", "log-1"),
                ("cookie", "s=1"),
            ],
        ))
        .await;
    sent += 1;
    assert_eq!(created.status, 201, "{created:?}");
    let pass = created.json()["guest_pass"]
        .as_str()
        .expect("a guest pass")
        .to_owned();
    let id = created.json()["ticket_id"].clone();
    let bearer = format!("Bearer {TOKEN}");
    let get = |uri: String, name: &str, value: &str| {
        get_with(&uri, &[(name, value), ("authorization", &bearer)])
    };
    let requests = [
        get(
            format!("/api/tickets_list.php?user_email={ANN}"),
            "x-helpdock-guest-pass",
            &pass,
        ),
        get(
            format!("/api/ticket_view.php?ticket_id={id}&user_email=ann%40example.com"),
            "x-helpdock-identity",
            &identity,
        ),
        // Forged and tampered credentials are refused — and not logged either.
        get(
            "/api/tickets_list.php".into(),
            "x-helpdock-identity",
            &identity.replace("signature=", "signature=0"),
        ),
        get(
            "/api/tickets_list.php".into(),
            "x-helpdock-guest-pass",
            &format!("{pass}x"),
        ),
        // An unknown path with the email in it, a foreign origin, a repeated parameter.
        get(format!("/api/{ANN}"), "x-helpdock-identity", &identity),
        get("/api/ticket_categories.php".into(), "origin", EVIL),
        get(
            format!("/api/ticket_view.php?ticket_id={id}&ticket_id={ANN}"),
            "x-helpdock-identity",
            &identity,
        ),
        post_json(
            "/api/ticket_reply.php",
            &json!({"ticket_id": id, "message": format!("write to {ANN}")}),
            &[
                ("x-helpdock-identity", &identity),
                ("idempotency-key", "log-2"),
            ],
        ),
    ];
    for request in requests {
        f.send(request).await;
        sent += 1;
    }
    // The helpdesk failing: the cause is logged (once), still without any secret.
    f.helpdesk.set_fault(Some(Fault::DatabaseDown));
    let failed = f
        .send(post_json(
            "/api/tickets_create.php",
            &ticket("During the outage"),
            &[("x-helpdock-identity", &identity)],
        ))
        .await;
    sent += 1;
    assert_eq!(failed.status, 502, "{failed:?}");
    // A helpdesk answering in shapes we do not know, visitors' emails inside: the log says how
    // long the answer was and its hash, never its text.
    for body in [
        r#"{"success":true,"tickets":[{"id":"x","email":"ann@example.com"}]}"#,
        r#"{"success":false,"error":"No tickets for ann@example.com"}"#,
        r#"{"ok":"ann@example.com"}"#,
        "<p>ann@example.com</p>",
    ] {
        f.helpdesk.set_fault(Some(Fault::Body(body)));
        let odd = f
            .send(get_with(
                "/api/tickets_list.php",
                &[("x-helpdock-identity", &identity)],
            ))
            .await;
        sent += 1;
        assert_eq!(odd.status, 502, "{body}: {odd:?}");
    }
    f.helpdesk.set_fault(None);
    let secrets = vec![
        TOKEN.to_owned(),
        SITE_SECRET.to_owned(),
        signature,
        pass,
        ANN.to_owned(),
        "ann%40example.com".to_owned(),
    ];
    (sent, secrets)
}

#[tokio::test]
async fn the_log_holds_one_line_per_request_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        // Everything Helpdock logs at any level, and what its libraries log by default.
        .with_env_filter(EnvFilter::new("info,helpdock=trace"))
        .with_writer(move || writer.clone())
        .finish();
    // The test's runtime is single-threaded: every task of the proxy logs through this.
    let _guard = tracing::subscriber::set_default(subscriber);
    let f = fixture(roomy()).await;
    let (sent, secrets) = make_requests(&f).await;

    let log = captured.text();
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "{secret:?} is in the log:\n{log}"
        );
    }
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let request_lines: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "request")
        .collect();
    assert_eq!(request_lines.len(), sent, "one line per request:\n{log}");
    let expected: BTreeSet<&str> = [
        "message",
        "method",
        "route",
        "status",
        "latency_ms",
        "request_id",
    ]
    .into();
    for line in &request_lines {
        let fields = line["fields"].as_object().expect("fields");
        let keys: BTreeSet<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(keys, expected, "{line}");
        assert_eq!(
            fields["request_id"].as_str().map(str::len),
            Some(32),
            "{line}"
        );
        // Each field keeps its JSON type: the status a number, the rest strings.
        assert!(fields["status"].is_u64(), "{line}");
        for text in ["method", "route", "latency_ms", "request_id"] {
            assert!(fields[text].is_string(), "{text}: {line}");
        }
    }
    let routes: BTreeSet<&str> = request_lines
        .iter()
        .filter_map(|l| l["fields"]["route"].as_str())
        .collect();
    assert!(routes.contains("/api/ticket_view.php"), "{routes:?}");
    assert!(routes.contains("(unmatched)"), "{routes:?}");
    // The outage was logged, with its request's id, so the line can be found from the answer.
    let outage = lines
        .iter()
        .find(|l| l["level"] == "ERROR")
        .unwrap_or_else(|| panic!("no error line:\n{log}"));
    assert!(outage["span"]["request_id"].is_string(), "{outage}");
}
