//! SIGTERM while creates are in flight (a rolling restart): each create is either answered or
//! never reached the helpdesk, and the clients' retries after the restart file nothing twice.

mod support;

use reference_helpdesk::{Fault, Helpdesk};
use std::collections::BTreeMap;
use std::time::Duration;
use support::process::serve;
use support::{SITE_SECRET, TOKEN, serve_router};

/// Creates in flight when the signal comes, and creates sent just after it.
const IN_FLIGHT: usize = 6;
const LATE: usize = 3;

fn config_file(helpdesk: std::net::SocketAddr) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("config file");
    let text = format!(
        "upstream_url = \"http://{helpdesk}/api/\"\nlisten = \"127.0.0.1:0\"\n\
         [server]\nshutdown_timeout_secs = 10\n\
         [limits]\ncreate_burst = 1000\n\
         [[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
         identity_secret = \"{SITE_SECRET}\"\n"
    );
    std::fs::write(file.path(), text).expect("write config");
    file
}

/// Create number `n` with its own key and subject; the status, or `None` with no answer.
async fn create(base: String, n: usize) -> Option<u16> {
    let ticket = serde_json::json!({
        "subject": format!("Order {n} never came"),
        "message": "Still waiting.",
        "user_email": format!("buyer{n}@example.com"),
        "custom_fields": {"1": "ORD-1"}
    });
    let answer = reqwest::Client::new()
        .post(format!("{base}api/tickets_create.php"))
        .header("Idempotency-Key", format!("stop-test-{n}"))
        .json(&ticket)
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .ok()?;
    Some(answer.status().as_u16())
}

/// How many times the helpdesk filed each subject.
fn filed(helpdesk: &Helpdesk) -> BTreeMap<String, usize> {
    let mut filed = BTreeMap::new();
    for call in helpdesk.calls() {
        if call.script == "tickets_create.php" {
            let subject = call.param("subject").unwrap_or("?").to_owned();
            *filed.entry(subject).or_default() += 1;
        }
    }
    filed
}

#[tokio::test]
async fn sigterm_finishes_creates_in_flight_and_retries_after_restart_file_nothing_twice() {
    let helpdesk = Helpdesk::open(None, TOKEN.to_owned()).expect("helpdesk");
    let addr = serve_router(helpdesk.router()).await;
    // Slow enough that every create is still at the helpdesk when the signal comes.
    helpdesk.set_fault(Some(Fault::Delay(Duration::from_millis(1500))));
    let config = config_file(addr);
    let (mut proxy, base) = serve(config.path());

    let mut first = tokio::task::JoinSet::new();
    for n in 0..IN_FLIGHT {
        let base = base.clone();
        first.spawn(async move { (n, create(base, n).await) });
    }
    // Wait until every create has reached the helpdesk, then stop the proxy.
    for _ in 0..200 {
        if filed(&helpdesk).len() == IN_FLIGHT {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(filed(&helpdesk).len(), IN_FLIGHT, "all in flight");
    proxy.send_sigterm();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for n in IN_FLIGHT..IN_FLIGHT + LATE {
        let base = base.clone();
        first.spawn(async move { (n, create(base, n).await) });
    }
    let mut answered = BTreeMap::new();
    while let Some(done) = first.join_next().await {
        let (n, status) = done.expect("client task");
        answered.insert(n, status);
    }
    let exited = (0..100).find_map(|_| {
        std::thread::sleep(Duration::from_millis(50));
        proxy.child.try_wait().expect("wait")
    });
    assert!(
        exited.is_some_and(|s| s.success()),
        "a clean exit within the deadline: {}",
        proxy.stderr()
    );
    // Log lines go through a writer thread, which lives as long as `main` keeps its guard: the
    // last line, written as the process ends, still reaches stderr.
    if let Some(reader) = proxy.stderr_reader.take() {
        reader.join().expect("stderr reader");
    }
    let log = proxy.stderr();
    let last = log.lines().last().unwrap_or_default();
    assert!(last.contains("stopped"), "the last log line: {last:?}");
    for n in 0..IN_FLIGHT {
        assert_eq!(answered[&n], Some(201), "in flight #{n} got its answer");
    }
    for n in IN_FLIGHT..IN_FLIGHT + LATE {
        assert_eq!(answered[&n], None, "late #{n} found the door closed");
    }
    assert_eq!(filed(&helpdesk).len(), IN_FLIGHT, "late ones never arrived");

    // The restarted proxy; every client without an answer retries with its key.
    helpdesk.set_fault(None);
    let (_proxy, base) = serve(config.path());
    for (n, status) in &answered {
        if *status != Some(201) {
            assert_eq!(create(base.clone(), *n).await, Some(201), "retry #{n}");
            assert_eq!(
                create(base.clone(), *n).await,
                Some(201),
                "a second retry is a replay"
            );
        }
    }
    let filed = filed(&helpdesk);
    assert_eq!(filed.len(), IN_FLIGHT + LATE, "{filed:?}");
    assert!(filed.values().all(|times| *times == 1), "{filed:?}");
}
