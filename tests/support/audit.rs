//! Accessibility audits with axe-core (from npm, installed by `scripts/install-test-tools.sh`)
//! run on the widget inside the page, and screenshots of each state for people to look at.

use fantoccini::Client;
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// axe-core's browser bundle: `HELPDOCK_AXE`, else where `scripts/install-test-tools.sh` puts it.
fn axe_file() -> PathBuf {
    if let Some(file) = std::env::var_os("HELPDOCK_AXE") {
        return PathBuf::from(file);
    }
    let tools = std::env::var_os("HELPDOCK_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME").map(|c| PathBuf::from(c).join("helpdock-tools"))
        })
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helpdock-tools"))
        })
        .unwrap_or_else(|| PathBuf::from(".cache/helpdock-tools"));
    tools.join("axe/node_modules/axe-core/axe.min.js")
}

/// One element an axe rule failed on.
#[derive(Debug, Clone)]
pub struct Node {
    /// axe's selector path; a shadow-DOM element is `[host selector, inner selector]`.
    pub target: String,
    /// The element's opening tag.
    pub html: String,
    /// What to fix, in axe's words.
    pub summary: String,
}

/// One failed axe rule.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule id, e.g. `color-contrast`.
    pub rule: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// The rule's one-line help.
    pub help: String,
    /// Where to read about the rule.
    pub help_url: String,
    /// The elements that fail it.
    pub nodes: Vec<Node>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  {} ({}): {} <{}>",
            self.rule, self.impact, self.help, self.help_url
        )?;
        for node in &self.nodes {
            writeln!(f, "    at {}", node.target)?;
            writeln!(f, "       {}", node.html)?;
            for line in node.summary.lines() {
                writeln!(f, "       {line}")?;
            }
        }
        Ok(())
    }
}

/// Loads axe into the page unless it is there already (each page load needs it again).
async fn inject_axe(client: &Client) {
    let present = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("look for axe");
    if present == Value::Bool(true) {
        return;
    }
    let file = axe_file();
    let source = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "cannot read axe-core at {}: {e}; install it with scripts/install-test-tools.sh",
            file.display()
        )
    });
    // axe's bundle assigns `window.axe` when run as a function body.
    client
        .execute(&format!("{source}\n;return typeof window.axe;"), vec![])
        .await
        .expect("inject axe-core");
}

/// Waits until the widget's animations (the panel sliding in) are over, so colours are final.
pub async fn settle(client: &Client) {
    let script = format!(
        "{} const done = arguments[arguments.length - 1];
         const running = () => root ? root.getAnimations().filter(a => a.playState === 'running') : [];
         Promise.all(running().map(a => a.finished.catch(() => null)))
           .then(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
        super::widget::FIND_ROOT
    );
    let _ = client.execute_async(&script, vec![]).await;
}

/// Runs axe (all its rules but the experimental ones) on the widget only, not the host page's
/// own markup, and returns what fails.
pub async fn axe_violations(client: &Client) -> Vec<Violation> {
    settle(client).await;
    inject_axe(client).await;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const host = document.querySelector('{host}');
         if (!host) {{ done({{error: 'no widget on the page'}}); return; }}
         axe.run({{ include: [host] }}, {{ resultTypes: ['violations'] }})
           .then(r => done({{violations: r.violations.map(v => ({{
             rule: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
             nodes: v.nodes.map(n => ({{
               target: JSON.stringify(n.target), html: n.html, summary: n.failureSummary || ''
             }}))
           }}))}}))
           .catch(e => done({{error: String(e && e.stack || e)}}));",
        host = super::widget::HOST
    );
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        client.execute_async(&script, vec![]),
    )
    .await
    .expect("axe finished within 60 s")
    .expect("run axe");
    if let Some(error) = result["error"].as_str() {
        panic!("axe could not run: {error}");
    }
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    result["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| Violation {
            rule: text(v, "rule"),
            impact: text(v, "impact"),
            help: text(v, "help"),
            help_url: text(v, "helpUrl"),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| Node {
                    target: text(n, "target"),
                    html: text(n, "html"),
                    summary: text(n, "summary"),
                })
                .collect(),
        })
        .collect()
}

/// Fails the story, listing each violation (rule, impact, elements, help), unless axe finds
/// nothing wrong with the widget in its current state, named `state` in the message.
pub async fn assert_no_axe_violations(client: &Client, state: &str) {
    let violations = axe_violations(client).await;
    assert!(
        violations.is_empty(),
        "axe-core found {} violation(s) in the widget's {state} state:\n{}",
        violations.len(),
        violations
            .iter()
            .map(ToString::to_string)
            .collect::<String>()
    );
}

/// Saves a PNG of the page as `artifacts/e2e/<story>/<state>-<theme>.png`; returns its path.
pub async fn save_state_screenshot(
    client: &Client,
    story: &str,
    state: &str,
    theme: &str,
) -> PathBuf {
    settle(client).await;
    let dir = super::artifacts_dir().join("e2e").join(story);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let path = dir.join(format!("{state}-{theme}.png"));
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}
