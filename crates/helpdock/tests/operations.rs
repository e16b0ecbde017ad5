//! What an operator sees of `helpdock serve`, over real HTTP with the real binary: the probes,
//! the metrics on their own address (and nothing secret in them), JSON logs.

mod support;

use reference_helpdesk::Helpdesk;
use serde_json::{Value, json};
use support::process::{Running, start};
use support::{ANN, SITE_SECRET, TOKEN, identity, serve_router, valid_ticket};

/// The config of the binary under test: one site, limits no test reaches, and `extra` lines.
fn config_file(helpdesk: std::net::SocketAddr, extra: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("config file");
    let text = format!(
        "upstream_url = \"http://{helpdesk}/api/\"\nlisten = \"127.0.0.1:0\"\n{extra}\n\
         [limits]\ncreate_burst = 1000\nreply_burst = 1000\n\
         [[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
         identity_secret = \"{SITE_SECRET}\"\n"
    );
    std::fs::write(file.path(), text).expect("write config");
    file
}

/// `helpdock serve` with `config`, the token in the environment; its base URL.
fn serve(config: &tempfile::NamedTempFile, token: &str, env: &[(&str, &str)]) -> (Running, String) {
    let path = config.path().to_str().expect("utf-8 path");
    let mut vars = vec![("HELPDOCK_UPSTREAM_TOKEN", token)];
    vars.extend_from_slice(env);
    let proxy = start(&["serve", "--config", path], &vars);
    let line = proxy.next_line();
    let base = line
        .strip_prefix("Helpdock proxy: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    (proxy, base)
}

async fn helpdesk() -> (Helpdesk, std::net::SocketAddr) {
    let helpdesk = Helpdesk::open(None, TOKEN.to_owned()).expect("helpdesk");
    let addr = serve_router(helpdesk.router()).await;
    (helpdesk, addr)
}

async fn get(url: &str) -> (u16, String, Option<String>) {
    let answer = reqwest::get(url).await.expect("answer");
    let status = answer.status().as_u16();
    let cache = answer
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, answer.text().await.expect("body"), cache)
}

#[tokio::test]
async fn probes_answer_and_readiness_costs_the_helpdesk_one_call_per_interval() {
    let (helpdesk, addr) = helpdesk().await;
    let config = config_file(addr, "");
    let (_proxy, base) = serve(&config, TOKEN, &[]);
    let (status, body, cache) = get(&format!("{base}healthz")).await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    assert_eq!(cache.as_deref(), Some("no-store"));
    helpdesk.clear_calls();
    for _ in 0..20 {
        let (status, body, _) = get(&format!("{base}readyz")).await;
        assert_eq!(status, 200, "{body}");
        let body: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(
            body,
            json!({"status": "ready", "helpdesk": "answers", "state": "memory"})
        );
    }
    let calls = helpdesk.calls();
    assert_eq!(calls.len(), 1, "one token check for 20 probes: {calls:?}");
    assert_eq!(calls[0].script, "ticket_view.php");
    assert!(
        calls[0].token_valid && calls[0].params.is_empty(),
        "{calls:?}"
    );
}

#[tokio::test]
async fn a_wrong_token_is_not_ready_and_says_so_in_the_log() {
    let (_helpdesk, addr) = helpdesk().await;
    let config = config_file(addr, "");
    let (proxy, base) = serve(&config, "not-the-token", &[]);
    let (status, body, _) = get(&format!("{base}readyz")).await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        body,
        json!({"status": "not_ready", "helpdesk": "unusable", "state": "memory"})
    );
    // The process itself is fine: liveness must not get it restarted.
    assert_eq!(get(&format!("{base}healthz")).await.0, 200);
    assert!(
        proxy.wait_for_stderr("is the upstream token right?"),
        "{}",
        proxy.stderr()
    );
    assert!(!proxy.stderr().contains("not-the-token"));
}

#[tokio::test]
async fn metrics_live_on_their_own_address_and_name_nobody() {
    let (_helpdesk, addr) = helpdesk().await;
    let config = config_file(addr, "metrics_listen = \"127.0.0.1:0\"");
    let (proxy, base) = serve(&config, TOKEN, &[]);
    let line = proxy.next_line();
    let metrics_url = line
        .strip_prefix("Helpdock metrics: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert_ne!(
        get(&format!("{base}metrics")).await.0,
        200,
        "never on the widget's origin"
    );

    let client = reqwest::Client::new();
    let ann = identity(ANN);
    let key = "op-key-7f3e2a";
    let mut created = 0;
    for _ in 0..2 {
        let answer = client
            .post(format!("{base}api/tickets_create.php"))
            .header("X-Helpdock-Identity", &ann)
            .header("Idempotency-Key", key)
            .json(&valid_ticket())
            .send()
            .await
            .expect("create");
        assert_eq!(answer.status(), 201);
        created = answer.json::<Value>().await.expect("json")["ticket_id"]
            .as_u64()
            .expect("id");
    }
    for path in [
        "api/ticket_categories.php".to_owned(),
        "api/ticket_categories.php".to_owned(),
        "api/tickets_list.php".to_owned(),
        format!("api/ticket_view.php?ticket_id={created}"),
        format!("api/ticket_view.php?ticket_id={created}"),
    ] {
        let answer = client
            .get(format!("{base}{path}"))
            .header("X-Helpdock-Identity", &ann)
            .send()
            .await
            .expect("read");
        assert_eq!(answer.status(), 200, "{path}");
    }
    let foreign = client
        .get(format!("{base}api/ticket_categories.php"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("foreign");
    assert_eq!(foreign.status(), 403);
    assert_eq!(get(&format!("{base}readyz")).await.0, 200);

    let (status, text, _) = get(&metrics_url).await;
    assert_eq!(status, 200);
    for series in [
        r#"helpdock_http_requests_total{route="/api/tickets_create.php",method="POST",status="201"} 2"#,
        r#"helpdock_upstream_calls_total{script="tickets_create.php",outcome="ok"} 1"#,
        r#"helpdock_idempotent_replays_total{action="create"} 1"#,
        r#"helpdock_refusals_total{code="forbidden_origin"} 1"#,
        r#"helpdock_catalog_cache_total{list="categories",result="hit"} 2"#,
        r#"helpdock_catalog_cache_total{list="categories",result="miss"} 1"#,
        r#"helpdock_owner_cache_total{result="hit"}"#,
        r#"helpdock_ready 1"#,
        r#"helpdock_http_request_duration_seconds_bucket{route="/api/tickets_list.php",le="0.01"}"#,
        r#"helpdock_upstream_call_duration_seconds_count{script="ticket_view.php"}"#,
        "# HELP helpdock_upstream_calls_total",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    let signature = ann.rsplit("signature=").next().unwrap_or("none");
    for secret in [TOKEN, SITE_SECRET, ANN, "ann", signature, key, "evil"] {
        assert!(!text.contains(secret), "{secret:?} in the metrics:\n{text}");
    }
}

#[tokio::test]
async fn json_logs_carry_the_same_fields_and_no_secret() {
    let (_helpdesk, addr) = helpdesk().await;
    let config = config_file(addr, "log_format = \"json\"");
    let (proxy, base) = serve(&config, TOKEN, &[]);
    let answer = reqwest::Client::new()
        .get(format!("{base}api/tickets_list.php"))
        .header("X-Helpdock-Identity", identity(ANN))
        .send()
        .await
        .expect("list");
    assert_eq!(answer.status(), 200);
    assert!(
        proxy.wait_for_stderr("tickets_list.php"),
        "{}",
        proxy.stderr()
    );
    let stderr = proxy.stderr();
    let lines: Vec<Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let request = lines
        .iter()
        .find(|l| l["route"] == "/api/tickets_list.php")
        .expect("the request's line");
    assert_eq!(request["message"], "request");
    assert_eq!(request["level"], "INFO");
    assert_eq!(request["status"], 200);
    assert_eq!(request["method"], "GET");
    assert!(
        request["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 32)
    );
    assert!(request["latency_ms"].is_string() || request["latency_ms"].is_number());
    for secret in [TOKEN, SITE_SECRET, ANN, "signature="] {
        assert!(!stderr.contains(secret), "{secret:?} logged:\n{stderr}");
    }
}
