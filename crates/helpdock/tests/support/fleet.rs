//! Two `helpdock serve` processes on one Redis in front of one reference helpdesk (served in the
//! test process), and a client that retries a create with its key until a definitive answer.

use super::process::{self, Running};
use super::redis::RedisServer;
use super::{SITE_SECRET, TOKEN, identity};
use reference_helpdesk::Helpdesk;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// One proxy instance: its process, base URL and config file (kept for a restart).
pub struct Instance {
    pub process: Running,
    pub base: String,
    /// Where its Prometheus metrics are.
    pub metrics: String,
    config: tempfile::NamedTempFile,
}

/// The settings every instance shares; `limits` is the `[limits]` table's body.
pub fn config_text(helpdesk: SocketAddr, redis_url: &str, limits: &str, timeout: u64) -> String {
    format!(
        "upstream_url = \"http://{helpdesk}/api/\"\nlisten = \"127.0.0.1:0\"\n\
         metrics_listen = \"127.0.0.1:0\"\n\
         upstream_timeout_secs = {timeout}\n\
         [server]\nshutdown_timeout_secs = 10\n\
         [state]\nbackend = \"redis\"\nredis_url = \"{redis_url}\"\n\
         [limits]\n{limits}\n\
         [[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
         identity_secret = \"{SITE_SECRET}\"\n"
    )
}

impl Instance {
    /// Starts `helpdock serve` with `config` and waits for its URL.
    pub fn start(config: &str) -> Instance {
        let file = tempfile::NamedTempFile::new().expect("config file");
        std::fs::write(file.path(), config).expect("write config");
        let (process, base, metrics) = serve(&file);
        Instance {
            process,
            base,
            metrics,
            config: file,
        }
    }

    /// SIGTERM (in-flight writes finish), then the same config again; the base URL changes.
    pub fn restart(&mut self) {
        assert!(self.process.terminate(), "a clean stop");
        let (process, base, metrics) = serve(&self.config);
        self.process = process;
        self.base = base;
        self.metrics = metrics;
    }
}

fn serve(config: &tempfile::NamedTempFile) -> (Running, String, String) {
    let (proxy, base) = process::serve(config.path());
    let line = proxy.next_line();
    let metrics = line
        .strip_prefix("Helpdock metrics: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    (proxy, base, metrics)
}

impl Instance {
    /// The sum of the metric lines starting with `prefix` (name and labels), 0 when none.
    pub async fn metric(&self, prefix: &str) -> f64 {
        let text = reqwest::get(&self.metrics)
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .filter(|l| l.starts_with(prefix))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }
}

/// A ticket with a subject of its own, filed by verified visitor `email`.
pub fn ticket(subject: &str, email: &str) -> serde_json::Value {
    serde_json::json!({
        "subject": subject,
        "message": format!("Body of {subject}."),
        "user_email": email,
        "custom_fields": {"1": "ORD-1"}
    })
}

/// One create as sent once: status, body, `Retry-After`; `None` without an answer.
pub struct Sent {
    pub status: u16,
    pub body: serde_json::Value,
    pub retry_after: Option<u64>,
}

/// Sends one create with `key` as verified visitor `email` to `base`.
pub async fn send_create(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    email: &str,
    ticket: &serde_json::Value,
) -> Option<Sent> {
    let answer = client
        .post(format!("{base}api/tickets_create.php"))
        .header("Idempotency-Key", key)
        .header("X-Helpdock-Identity", identity(email))
        .json(ticket)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .ok()?;
    let status = answer.status().as_u16();
    let retry_after = answer
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body = answer.json().await.unwrap_or(serde_json::Value::Null);
    Some(Sent {
        status,
        body,
        retry_after,
    })
}

/// What a client saw until its create was definitive.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The ticket id of the 201, if one came before the deadline.
    pub ticket_id: Option<u64>,
    /// Attempts made.
    pub attempts: u32,
    /// Error codes seen on the way (`state_unavailable`, `upstream_timeout`, …, `no_answer`).
    pub codes: BTreeMap<String, u32>,
    /// From the first attempt to the 201.
    pub latency: Duration,
}

/// Retries a create with one key, alternating instances, until 201 or `deadline`; 4xx other
/// than 429 is definitive and unexpected.
pub async fn create_until_answered(
    client: &reqwest::Client,
    bases: &[String],
    key: &str,
    email: &str,
    ticket: &serde_json::Value,
    deadline: Duration,
) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    while start.elapsed() < deadline {
        let base = &bases[outcome.attempts as usize % bases.len()];
        outcome.attempts += 1;
        let wait = match send_create(client, base, key, email, ticket).await {
            Some(sent) if sent.status == 201 => {
                outcome.ticket_id = sent.body["ticket_id"].as_u64();
                outcome.latency = start.elapsed();
                return outcome;
            }
            Some(sent) if sent.status == 429 || sent.status >= 500 => {
                let code = sent.body["code"].as_str().unwrap_or("no_code").to_owned();
                *outcome.codes.entry(code).or_default() += 1;
                sent.retry_after
                    .map_or(Duration::from_millis(100), Duration::from_secs)
            }
            Some(sent) => panic!("key {key}: a definitive {} {}", sent.status, sent.body),
            None => {
                *outcome.codes.entry("no_answer".into()).or_default() += 1;
                Duration::from_millis(100)
            }
        };
        tokio::time::sleep(wait).await;
    }
    outcome
}

/// The helpdesk's stored tickets of `emails`, by subject: ids (more than one is a duplicate).
pub async fn stored(helpdesk_addr: SocketAddr, emails: &[String]) -> BTreeMap<String, Vec<u64>> {
    let client = reqwest::Client::new();
    let mut stored: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for email in emails {
        let list: serde_json::Value = client
            .post(format!("http://{helpdesk_addr}/api/tickets_list.php"))
            .bearer_auth(TOKEN)
            .form(&[("user_email", email)])
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("list json");
        for row in list["tickets"].as_array().expect("tickets") {
            let id = row["id"]
                .as_u64()
                .or_else(|| row["id"].as_str()?.parse().ok())
                .expect("id");
            let subject = row["subject"].as_str().expect("subject").to_owned();
            stored.entry(subject).or_default().push(id);
        }
    }
    stored
}

/// Starts Redis, the helpdesk (served here) and two instances with `limits`.
pub async fn fleet(
    limits: &str,
    timeout: u64,
) -> (RedisServer, Helpdesk, SocketAddr, Instance, Instance) {
    let redis = RedisServer::start();
    let helpdesk = Helpdesk::open(None, TOKEN.to_owned()).expect("helpdesk");
    let addr = super::serve_router(helpdesk.router()).await;
    let config = config_text(addr, &redis.url(), limits, timeout);
    let (a, b) = (Instance::start(&config), Instance::start(&config));
    (redis, helpdesk, addr, a, b)
}

/// What each client did: per create, its subject and outcome.
pub type Done = Vec<(String, Outcome)>;

/// `clients` visitors (`<prefix><c>@example.com`) filing `total` creates between them (subject
/// and key `<prefix>-<n>`), one after another each, retrying until answered, spread over
/// `bases`; `progress` gets a permit per answered create.
pub fn spawn_clients(
    prefix: &str,
    total: usize,
    clients: usize,
    bases: &[String],
    progress: Option<std::sync::Arc<tokio::sync::Semaphore>>,
) -> tokio::task::JoinSet<Done> {
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let (client, bases, progress) = (client.clone(), bases.to_vec(), progress.clone());
        let prefix = prefix.to_owned();
        tasks.spawn(async move {
            let email = format!("{prefix}{c}@example.com");
            let mut done = Vec::new();
            for n in (c..total).step_by(clients) {
                let subject = format!("{prefix}-{n}");
                let body = ticket(&subject, &email);
                let deadline = Duration::from_secs(120);
                let outcome =
                    create_until_answered(&client, &bases, &subject, &email, &body, deadline).await;
                if let Some(progress) = &progress {
                    progress.add_permits(1);
                }
                done.push((subject, outcome));
            }
            done
        });
    }
    tasks
}

/// Every client's creates, once all are done.
pub async fn collect(mut tasks: tokio::task::JoinSet<Done>) -> Done {
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.expect("client task"));
    }
    all
}

/// The emails [`spawn_clients`] files as.
pub fn client_emails(prefix: &str, clients: usize) -> Vec<String> {
    (0..clients)
        .map(|c| format!("{prefix}{c}@example.com"))
        .collect()
}
