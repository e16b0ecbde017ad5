//! One row of the attack table: the request(s), the documented answer, and what the upstream may
//! have seen meanwhile. Rules and checks are small named closures so the table reads like a spec.

use crate::http::{Answer, Req};
use reference_helpdesk::{Fault, RecordedCall};
use serde_json::Value;

/// Which of the suite's proxies a case talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One site, generous limits, XFF ignored.
    Main,
    /// Two sites (shop, blog), tiny rate limits, one trusted proxy hop, secrets from files.
    Strict,
    /// Guest passes live one second.
    ShortTtl,
    /// As main, with `trust_browser_email` on.
    Trusting,
}

/// A predicate on the upstream calls made during a case.
pub type Holds = Box<dyn Fn(&[RecordedCall]) -> Result<(), String>>;

/// A rule on the upstream calls made during a case, with the words the table shows for it.
pub struct CallRule {
    pub says: String,
    pub holds: Holds,
}

/// A request built from the answers to the earlier steps (e.g. to present a pass just minted).
pub type Step = Box<dyn Fn(&[Answer]) -> Req>;

/// A further check on the answers (all steps, the judged one last).
pub type Check = Box<dyn Fn(&[Answer]) -> Result<(), String>>;

pub struct Case {
    pub name: &'static str,
    pub on: Target,
    /// Sent in order; the last answer is judged, every call made by any of them counts.
    pub steps: Vec<Step>,
    /// Accepted `(status, code)`; the first is the documented one, others are equally safe
    /// readings of an ambiguous sentence. `""` = no code expected (success).
    pub expect: Vec<(u16, &'static str)>,
    /// The field the refusal must name (in `field` or `field_errors`).
    pub field: Option<String>,
    pub upstream: CallRule,
    pub checks: Vec<Check>,
    pub fault: Option<Fault>,
}

impl Case {
    pub fn new(name: &'static str, on: Target, req: Req) -> Case {
        Case {
            name,
            on,
            steps: vec![Box::new(move |_| req.clone())],
            expect: Vec::new(),
            field: None,
            upstream: any(),
            checks: Vec::new(),
            fault: None,
        }
    }

    /// Sends `req` after the earlier steps (the last step is the one judged).
    pub fn then(self, req: Req) -> Case {
        self.then_with(move |_| req.clone())
    }

    /// Sends the request `step` builds from the answers so far.
    pub fn then_with(mut self, step: impl Fn(&[Answer]) -> Req + 'static) -> Case {
        self.steps.push(Box::new(step));
        self
    }

    pub fn expect(mut self, status: u16, code: &'static str) -> Case {
        self.expect.push((status, code));
        self
    }

    pub fn field(mut self, field: &str) -> Case {
        self.field = Some(field.to_owned());
        self
    }

    pub fn upstream(mut self, rule: CallRule) -> Case {
        self.upstream = rule;
        self
    }

    pub fn check(mut self, check: impl Fn(&[Answer]) -> Result<(), String> + 'static) -> Case {
        self.checks.push(Box::new(check));
        self
    }

    pub fn fault(mut self, fault: Fault) -> Case {
        self.fault = Some(fault);
        self
    }
}

fn rule(says: String, holds: impl Fn(&[RecordedCall]) -> Result<(), String> + 'static) -> CallRule {
    CallRule {
        says,
        holds: Box::new(holds),
    }
}

/// Anything goes upstream.
pub fn any() -> CallRule {
    rule("-".to_owned(), |_| Ok(()))
}

/// The upstream saw nothing at all.
pub fn no_call() -> CallRule {
    rule("no call".to_owned(), |calls| match calls {
        [] => Ok(()),
        _ => Err(format!("upstream called: {}", scripts(calls))),
    })
}

/// No call to `script`.
pub fn no(script: &'static str) -> CallRule {
    rule(format!("no {script}"), move |calls| {
        match calls.iter().any(|c| c.script == script) {
            true => Err(format!("{script} was called ({})", scripts(calls))),
            false => Ok(()),
        }
    })
}

/// Exactly `n` calls to `script`.
pub fn exactly(script: &'static str, n: usize) -> CallRule {
    rule(format!("{n}x {script}"), move |calls| {
        let seen = calls.iter().filter(|c| c.script == script).count();
        match seen == n {
            true => Ok(()),
            false => Err(format!("{seen}x {script}, expected {n}")),
        }
    })
}

/// Every call that names a `user_email` names `email`, and at least one call did.
pub fn as_email(email: &'static str) -> CallRule {
    rule(format!("user_email={email}"), move |calls| {
        let emails: Vec<&str> = calls.iter().filter_map(|c| email_of(c)).collect();
        if emails.is_empty() {
            return Err(format!("no call named a user_email ({})", scripts(calls)));
        }
        match emails.iter().find(|e| !e.eq_ignore_ascii_case(email)) {
            Some(other) => Err(format!("upstream was asked as {other}")),
            None => Ok(()),
        }
    })
}

/// Both rules hold.
pub fn both(a: CallRule, b: CallRule) -> CallRule {
    let says = format!("{}; {}", a.says, b.says);
    rule(says, move |calls| {
        (a.holds)(calls)?;
        (b.holds)(calls)
    })
}

/// The `user_email` a recorded call carried, as a string.
pub fn email_of(call: &RecordedCall) -> Option<&str> {
    call.params.get("user_email").and_then(Value::as_str)
}

/// `tickets_list.php,ticket_view.php` — what the table shows as "upstream saw".
pub fn scripts(calls: &[RecordedCall]) -> String {
    if calls.is_empty() {
        return "-".to_owned();
    }
    // In order of first call, with a count: `tickets_create x2,ticket_view`.
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for call in calls {
        let name = call.script.trim_end_matches(".php");
        match counted.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counted.push((name, 1)),
        }
    }
    let shown: Vec<String> = counted
        .into_iter()
        .map(|(name, n)| {
            if n == 1 {
                name.to_owned()
            } else {
                format!("{name} x{n}")
            }
        })
        .collect();
    shown.join(",")
}

/// The ids in a `{"tickets":[…]}` answer.
pub fn listed_ids(answer: &Answer) -> Vec<u64> {
    answer.json()["tickets"]
        .as_array()
        .map(|tickets| tickets.iter().filter_map(|t| t["id"].as_u64()).collect())
        .unwrap_or_default()
}

/// The judged list contains every id of `present` and none of `absent`.
pub fn lists(present: Vec<u64>, absent: Vec<u64>) -> Check {
    Box::new(move |answers| {
        let ids = listed_ids(last(answers));
        if let Some(missing) = present.iter().find(|id| !ids.contains(id)) {
            return Err(format!("ticket {missing} missing from {ids:?}"));
        }
        match absent.iter().find(|id| ids.contains(id)) {
            Some(leaked) => Err(format!("ticket {leaked} listed: {ids:?}")),
            None => Ok(()),
        }
    })
}

/// The judged answer's body does not contain `text`.
pub fn hides(text: String) -> Check {
    Box::new(move |answers| match last(answers).body.contains(&text) {
        true => Err(format!("body contains {text:?}")),
        false => Ok(()),
    })
}

/// The judged answer has header `name` equal to `value` (case-insensitive for lists).
pub fn header_is(name: &'static str, value: &'static str) -> Check {
    Box::new(move |answers| match last(answers).header(name) {
        Some(got) if got.eq_ignore_ascii_case(value) => Ok(()),
        got => Err(format!("{name}: {got:?}, expected {value:?}")),
    })
}

/// The judged answer lacks header `name`.
pub fn header_absent(name: &'static str) -> Check {
    Box::new(move |answers| match last(answers).header(name) {
        Some(got) => Err(format!("unexpected {name}: {got}")),
        None => Ok(()),
    })
}

/// `field` of the JSON bodies of steps `a` and `b` agree.
pub fn same_json(a: usize, b: usize, field: &'static str) -> Check {
    Box::new(move |answers| {
        let (x, y) = (answers[a].json(), answers[b].json());
        match !x[field].is_null() && x[field] == y[field] {
            true => Ok(()),
            false => Err(format!("{field}: {} vs {}", x[field], y[field])),
        }
    })
}

/// Every step answered these statuses, in order.
pub fn statuses(expected: Vec<u16>) -> Check {
    Box::new(move |answers| {
        let got: Vec<u16> = answers.iter().map(|a| a.status).collect();
        match got == expected {
            true => Ok(()),
            false => Err(format!("statuses {got:?}, expected {expected:?}")),
        }
    })
}

pub fn last(answers: &[Answer]) -> &Answer {
    answers.last().expect("a case has at least one step")
}
