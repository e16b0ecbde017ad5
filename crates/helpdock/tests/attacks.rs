//! The attack table: the real `helpdock serve` binary in front of the reference helpdesk (which
//! reproduces every SupportEngine hole), attacked case by case as docs/protocol.md and
//! supportengine-api.md ("Holes the proxy must close") describe. Each case states the documented
//! refusal and what the upstream may have seen meanwhile; every answer of the whole run is scanned
//! for secrets and upstream wording. Written against the documents, not the implementation.

#[path = "attacks/case.rs"]
mod case;
#[path = "attacks/clock.rs"]
mod clock;
#[path = "attacks/exactly_once_cases.rs"]
mod exactly_once_cases;
#[path = "attacks/guest_cases.rs"]
mod guest_cases;
#[path = "attacks/http.rs"]
mod http;
#[path = "attacks/identity_cases.rs"]
mod identity_cases;
#[path = "attacks/input_cases.rs"]
mod input_cases;
#[path = "attacks/lockout_cases.rs"]
mod lockout_cases;
#[path = "attacks/proxy.rs"]
mod proxy;
#[path = "attacks/rebinding_cases.rs"]
mod rebinding_cases;
#[path = "attacks/sign.rs"]
mod sign;
#[path = "attacks/slow_clients.rs"]
mod slow_clients;
#[path = "attacks/transport_cases.rs"]
mod transport_cases;
#[path = "attacks/world.rs"]
mod world;

use case::{Case, scripts};
use http::{Answer, send};
use std::collections::HashSet;
use world::World;

/// Every secret the proxies were configured with.
const SECRETS: [&str; 6] = [
    proxy::TOKEN,
    proxy::SHOP_SECRET,
    proxy::BLOG_SECRET,
    proxy::GUEST_KEY_MAIN,
    proxy::GUEST_KEY_STRICT,
    proxy::GUEST_KEY_SHORT,
];

/// Text that must never reach a browser: secrets, upstream wording and markup, internal columns.
fn forbidden() -> Vec<&'static str> {
    let mut texts = SECRETS.to_vec();
    texts.extend([
        "Missing required",
        "Missing user_email",
        "Missing ticket_id",
        "Ticket not found",
        "no permission",
        "\"success\"",
        "<html",
        "<br />",
        "Fatal error",
        "/var/www",
        "PDOException",
        world::INTERNAL_NOTE,
    ]);
    texts
}

/// The forbidden texts `answer` shows (status line, headers and body).
fn leaks(answer: &Answer) -> Vec<&'static str> {
    let text = answer.visible_text();
    forbidden()
        .into_iter()
        .filter(|f| text.contains(f))
        .collect()
}

struct Row {
    name: String,
    expected: String,
    got: String,
    upstream: String,
    verdict: Result<(), String>,
}

async fn run(w: &World, case: &Case) -> Row {
    w.helpdesk.clear_calls();
    w.helpdesk.set_fault(case.fault);
    let mut answers = Vec::new();
    let addr = w.addr(case.on);
    for step in &case.steps {
        match &addr {
            Ok(addr) => {
                let req = step(&answers);
                answers.push(send(*addr, &req).await);
            }
            Err(_) => answers.push(Answer {
                status: 0,
                headers: Vec::new(),
                body: "proxy not running (see setup rows)".to_owned(),
            }),
        }
    }
    w.helpdesk.set_fault(None);
    let calls = w.helpdesk.calls();
    let last = answers.last().expect("a case has a step");
    let code = last.code();
    let expected: Vec<String> = case
        .expect
        .iter()
        .map(|(s, c)| format!("{s} {c}").trim().to_owned())
        .collect();
    let verdict = judge(case, &answers, &calls);
    Row {
        name: case.name.to_owned(),
        expected: expected.join(" | "),
        got: format!("{} {code}", last.status).trim().to_owned(),
        upstream: scripts(&calls),
        verdict,
    }
}

fn judge(
    case: &Case,
    answers: &[Answer],
    calls: &[reference_helpdesk::RecordedCall],
) -> Result<(), String> {
    let last = answers.last().expect("a case has a step");
    let code = last.code();
    let matched = case
        .expect
        .iter()
        .find(|(s, c)| *s == last.status && (c.is_empty() || *c == code));
    let Some((status, _)) = matched else {
        let body: String = last.body.chars().take(160).collect();
        return Err(format!("answered {} {body}", last.status));
    };
    if let (Some(field), 422) = (&case.field, *status) {
        let body = last.json();
        let named = body["field"] == field.as_str() || !body["field_errors"][field].is_null();
        if !named {
            return Err(format!("field {field} not named: {}", last.body));
        }
    }
    for answer in answers {
        let leaked = leaks(answer);
        if !leaked.is_empty() {
            return Err(format!("answer leaks {leaked:?}"));
        }
    }
    (case.upstream.holds)(calls).map_err(|e| format!("upstream: {e}"))?;
    for check in &case.checks {
        check(answers)?;
    }
    Ok(())
}

fn print_table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4);
    println!(
        "\n{:<width$}  {:<28} {:<26} {:<22} result",
        "case", "expected", "got", "upstream saw"
    );
    for row in rows {
        let result = match &row.verdict {
            Ok(()) => "ok".to_owned(),
            Err(why) => format!("FAIL: {why}"),
        };
        println!(
            "{:<width$}  {:<28} {:<26} {:<22} {result}",
            row.name, row.expected, row.got, row.upstream
        );
    }
    let failed = rows.iter().filter(|r| r.verdict.is_err()).count();
    println!("\nattack table: {} cases, {failed} failed\n", rows.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attack_table() {
    let w = World::start().await;
    let mut cases = identity_cases::cases(&w);
    cases.extend(guest_cases::cases(&w));
    cases.extend(input_cases::cases(&w));
    cases.extend(lockout_cases::cases(&w));
    cases.extend(exactly_once_cases::cases(&w));
    cases.extend(rebinding_cases::cases(&w));
    cases.extend(transport_cases::cases(&w));
    let mut names = HashSet::new();
    for case in &cases {
        assert!(names.insert(case.name), "two cases named {}", case.name);
    }

    let started = [
        ("main", &w.main),
        ("strict", &w.strict),
        ("short-ttl", &w.short),
        ("trusting", &w.trusting),
    ];
    let mut rows: Vec<Row> = started
        .iter()
        .map(|(name, proxy)| Row {
            name: format!("setup: start {name} proxy"),
            expected: "ok".to_owned(),
            got: if proxy.is_ok() { "ok" } else { "failed" }.to_owned(),
            upstream: "-".to_owned(),
            verdict: proxy.as_ref().map(|_| ()).map_err(Clone::clone),
        })
        .collect();
    rows.extend(w.setup.iter().map(|(name, result)| Row {
        name: format!("setup: {name}"),
        expected: "ok".to_owned(),
        got: if result.is_ok() { "ok" } else { "failed" }.to_owned(),
        upstream: "-".to_owned(),
        verdict: result.clone(),
    }));
    if let Some(leak) = w.setup_answers.iter().map(leaks).find(|l| !l.is_empty()) {
        rows.push(Row {
            name: "setup: answers leak nothing".to_owned(),
            expected: "ok".to_owned(),
            got: "leak".to_owned(),
            upstream: "-".to_owned(),
            verdict: Err(format!("setup answer leaks {leak:?}")),
        });
    }
    for case in &cases {
        rows.push(run(&w, case).await);
    }
    rows.extend(slow_clients::rows(&w).await);
    rows.push(logs_row(&w));
    rows.push(security_doc_row(&rows));
    print_table(&rows);

    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| r.verdict.as_ref().err().map(|e| format!("{}: {e}", r.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// The proxies' logs (part B's request logs) hold no secret either.
fn logs_row(w: &World) -> Row {
    let logs: String = [&w.main, &w.strict, &w.short, &w.trusting]
        .into_iter()
        .filter_map(|p| p.as_ref().ok().map(proxy::Proxy::stderr))
        .collect();
    let leaked: Vec<&str> = SECRETS.into_iter().filter(|s| logs.contains(s)).collect();
    Row {
        name: "logs: no secret in any proxy log".to_owned(),
        expected: "ok".to_owned(),
        got: if leaked.is_empty() { "ok" } else { "leak" }.to_owned(),
        upstream: "-".to_owned(),
        verdict: match leaked.is_empty() {
            true => Ok(()),
            false => Err(format!("logs contain {leaked:?}")),
        },
    }
}

/// docs/security.md's "proven by" cells name rows of this table (`*` matches any run of
/// characters), so the threat model cannot cite a proof that does not exist.
fn security_doc_row(rows: &[Row]) -> Row {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/security.md");
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    let mut cited = Vec::new();
    let mut proven_by = false;
    let mut in_table = false;
    for line in doc.lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let last = cells.last().map_or("", |c| c.trim());
        if !in_table {
            (in_table, proven_by) = (true, last == "proven by");
            continue;
        }
        if proven_by {
            cited.extend(
                last.split('`')
                    .skip(1)
                    .step_by(2)
                    .filter(|t| !t.contains('/')),
            );
        }
    }
    let missing: Vec<&str> = cited
        .iter()
        .copied()
        .filter(|token| !rows.iter().any(|r| glob_matches(token, &r.name)))
        .collect();
    Row {
        name: "docs: security.md cites existing rows".to_owned(),
        expected: "ok".to_owned(),
        got: format!("{} cited", cited.len()),
        upstream: "-".to_owned(),
        verdict: match (cited.is_empty(), missing.is_empty()) {
            (true, _) => Err("no \"proven by\" citations found".to_owned()),
            (false, true) => Ok(()),
            (false, false) => Err(format!("cites no such row: {missing:?}")),
        },
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters.
fn glob_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}
