//! The `helpdock` binary as people and scripts run it: its one stdout line, its logs, its exit.

mod support;

use std::time::{Duration, Instant};
use support::process::start;

#[tokio::test]
async fn demo_prints_its_urls_serves_the_shop_and_stops_on_sigterm() {
    let data = tempfile::tempdir().expect("data dir");
    let assets = tempfile::tempdir().expect("empty assets dir");
    let data_dir = data.path().join("nested/demo");
    let mut demo = start(
        &["demo"],
        &[
            ("HELPDOCK_LISTEN", "127.0.0.1:0"),
            ("HELPDOCK_DATA_DIR", data_dir.to_str().expect("utf-8 path")),
            (
                "HELPDOCK_ASSETS_DIR",
                assets.path().to_str().expect("utf-8 path"),
            ),
        ],
    );
    // The page to open first, then the proxy: two origins, both on free ports.
    let (shop_line, proxy_line) = (demo.next_line(), demo.next_line());
    let shop = shop_line
        .strip_prefix("Helpdock demo: ")
        .unwrap_or_else(|| panic!("unexpected line {shop_line:?}"));
    let url = proxy_line
        .strip_prefix("Helpdock proxy: ")
        .unwrap_or_else(|| panic!("unexpected line {proxy_line:?}"));
    for u in [shop, url] {
        assert!(
            u.starts_with("http://127.0.0.1:") && u.ends_with('/') && !u.contains(":0/"),
            "{u}"
        );
    }
    assert_ne!(shop, url, "the shop is not on the proxy's origin");

    let client = reqwest::Client::new();
    let page = client.get(shop).send().await.expect("host page");
    assert_eq!(page.status(), 200);
    let tag = format!(r#"<script async src="{url}widget.js" data-site="demo"></script>"#);
    assert!(page.text().await.expect("html").contains(&tag), "{tag}");
    let cats = client
        .get(format!("{url}api/ticket_categories.php"))
        .send()
        .await
        .expect("categories");
    assert_eq!(cats.status(), 200);
    let ticket = serde_json::json!({"subject": "S", "message": "M", "user_email": "a@example.com",
        "custom_fields": {"1": "ORD-1"}});
    let created = client
        .post(format!("{url}api/tickets_create.php"))
        .json(&ticket)
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201);
    // The shop's stand-in backend signs a demo customer in; the proxy believes that identity.
    let signed: serde_json::Value = client
        .post(format!("{shop}demo/sign-in"))
        .json(&serde_json::json!({"email": "A@example.com"}))
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("json");
    let identity = format!(
        "email={}&expires={}&signature={}",
        signed["email"].as_str().unwrap_or(""),
        signed["expires"],
        signed["signature"].as_str().unwrap_or("")
    );
    let list: serde_json::Value = client
        .get(format!("{url}api/tickets_list.php"))
        .header("X-Helpdock-Site", "demo")
        .header("X-Helpdock-Identity", identity)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list["tickets"].as_array().map(Vec::len), Some(1), "{list}");
    let staff = client
        .post(format!("{shop}demo/sign-in"))
        .json(&serde_json::json!({"email": "agent@helpdesk.example"}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(staff.status(), 403, "the seeded agent is staff");

    assert!(
        data_dir.join("helpdesk.sqlite3").is_file(),
        "the demo keeps its data in HELPDOCK_DATA_DIR"
    );
    for line in [
        "route=/api/tickets_create.php status=201",
        "route=/demo/sign-in status=200",
        "route=/ status=200",
    ] {
        assert!(demo.wait_for_stderr(line), "{line}: {}", demo.stderr());
    }
    let stderr = demo.stderr();
    assert!(
        stderr.contains(&data_dir.display().to_string()),
        "the data dir is named: {stderr}"
    );
    assert!(
        stderr.contains("scripts/build-widget.sh"),
        "missing widget is explained: {stderr}"
    );
    assert!(!stderr.contains("Bearer"), "{stderr}");
    assert!(
        demo.terminate(),
        "graceful exit on SIGTERM; stderr: {}",
        demo.stderr()
    );
    assert_eq!(
        demo.stdout_seen.lock().expect("lock").len(),
        2,
        "exactly two stdout lines"
    );
}

#[tokio::test]
async fn serve_forwards_to_the_configured_helpdesk() {
    let helpdesk = start(
        &[
            "reference-helpdesk",
            "--listen",
            "127.0.0.1:0",
            "--token",
            "cli-tok-42",
        ],
        &[],
    );
    let line = helpdesk.next_line();
    let api = line
        .strip_prefix("Reference helpdesk: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    let token_file = tempfile::NamedTempFile::new().expect("token file");
    std::fs::write(token_file.path(), "cli-tok-42\n").expect("write token");
    let config = tempfile::NamedTempFile::new().expect("config file");
    std::fs::write(
        config.path(),
        format!("upstream_url = {api:?}\nlisten = \"127.0.0.1:0\"\n{SITE}"),
    )
    .expect("write");
    let proxy = start(
        &[
            "serve",
            "--config",
            config.path().to_str().expect("utf-8 path"),
        ],
        &[(
            "HELPDOCK_UPSTREAM_TOKEN_FILE",
            token_file.path().to_str().expect("utf-8 path"),
        )],
    );
    let line = proxy.next_line();
    let base = line
        .strip_prefix("Helpdock proxy: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with('/') && !base.contains(":0/"));
    assert!(
        proxy.wait_for_stderr("guest_pass_secret is not set"),
        "a random guest pass key is warned about: {}",
        proxy.stderr()
    );
    let mut sign = start(
        &[
            "sign",
            "a@example.com",
            "--config",
            config.path().to_str().expect("utf-8 path"),
        ],
        &[("HELPDOCK_UPSTREAM_TOKEN", "any")],
    );
    let identity = sign.next_line();
    assert!(sign.child.wait().expect("exit").success());
    let list = reqwest::Client::new()
        .get(format!("{base}api/tickets_list.php"))
        .header("X-Helpdock-Identity", identity)
        .send()
        .await
        .expect("list");
    assert_eq!(
        list.status(),
        200,
        "the token from the file was accepted upstream"
    );
    assert!(!proxy.stderr().contains("cli-tok-42"));
}

/// The one site of the CLI tests' config files.
const SITE: &str = "[[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
                    identity_secret = \"shop-secret-0123456789\"\n";

/// Runs `helpdock args…` to the end; returns (success, stdout, stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut child = start(args, env);
    let success = child.child.wait().expect("exit").success();
    // A refusal is read from stderr: all of it, not what the reader thread got to so far.
    if let Some(reader) = child.stderr_reader.take() {
        let _ = reader.join();
    }
    // The reader threads finish at EOF, shortly after the exit.
    let deadline = Instant::now() + Duration::from_secs(5);
    let stdout = loop {
        let seen = child.stdout_seen.lock().expect("lock").join("\n");
        if !seen.is_empty() || Instant::now() > deadline || !success {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (success, stdout, child.stderr())
}

#[test]
fn sign_prints_a_header_value_the_site_secret_verifies() {
    let config = tempfile::NamedTempFile::new().expect("config file");
    // No upstream settings: signing needs the site's secret only.
    let text = format!(
        "staff_domains = [\"helpdesk.example\"]\n{SITE}\
         [[sites]]\nid = \"blog\"\nidentity_secret = \"blog-secret-0123456789\"\n"
    );
    std::fs::write(config.path(), text).expect("write");
    let path = config.path().to_str().expect("utf-8 path");
    let secret = helpdock::Secret::new("shop-secret-0123456789");
    let verify = |header: &str, now: u64| {
        let identity = helpdock::identity::signature::parse(header).map_err(|e| e.to_string())?;
        identity.verify(&secret, now).map_err(|e| e.to_string())?;
        Ok::<_, String>(identity)
    };

    let (ok, out, err) = run(
        &[
            "sign",
            " Ann@Example.com",
            "--site",
            "shop",
            "--config",
            path,
        ],
        &[],
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with("email=ann%40example.com&signature="),
        "{out}"
    );
    assert_eq!(
        verify(&out, 0).map(|i| (i.email, i.expires)),
        Ok(("ann@example.com".into(), None))
    );

    let now = helpdock::identity::unix_now();
    let (ok, out, err) = run(
        &[
            "sign",
            "ann@example.com",
            "--site",
            "shop",
            "--expires-in",
            "2h",
            "--config",
            path,
        ],
        &[],
    );
    assert!(ok, "{err}");
    let expires = verify(&out, now)
        .map(|i| i.expires.unwrap_or(0))
        .unwrap_or(0);
    assert!((now + 7200..now + 7300).contains(&expires), "{out}");
    assert_eq!(verify(&out, expires), Err("signature expired".into()));

    let (ok, out, err) = run(
        &[
            "sign",
            "ann@example.com",
            "--site",
            "shop",
            "--expires",
            "4102444800",
            "--config",
            path,
        ],
        &[],
    );
    assert!(ok, "{err}");
    assert!(out.contains("&expires=4102444800&"), "{out}");

    let refusals: [(&[&str], &str); 5] = [
        (&["sign", "ann@example.com", "--config", path], "--site"),
        (
            &[
                "sign",
                "ann@example.com",
                "--site",
                "nope",
                "--config",
                path,
            ],
            "nope",
        ),
        (
            &["sign", "ann", "--site", "shop", "--config", path],
            "not an email",
        ),
        (
            &[
                "sign",
                "bob@helpdesk.example",
                "--site",
                "shop",
                "--config",
                path,
            ],
            "staff",
        ),
        (
            &[
                "sign",
                "ann@example.com",
                "--site",
                "shop",
                "--expires-in",
                "soon",
                "--config",
                path,
            ],
            "--expires-in",
        ),
    ];
    for (args, needle) in refusals {
        let (ok, out, err) = run(args, &[]);
        assert!(
            !ok && out.is_empty() && err.contains(needle),
            "{args:?}: {err}"
        );
        assert!(!err.contains("0123456789"), "a secret leaked: {err}");
    }
}

#[test]
fn invalid_config_stops_with_the_key_named() {
    let mut proxy = start(
        &["serve"],
        &[
            ("HELPDOCK_UPSTREAM_URL", "ftp://helpdesk.example.com/api/"),
            ("HELPDOCK_UPSTREAM_TOKEN", "t"),
        ],
    );
    let status = proxy.child.wait().expect("exit");
    assert!(!status.success());
    assert!(
        proxy.wait_for_stderr("HELPDOCK_UPSTREAM_URL: must be"),
        "{}",
        proxy.stderr()
    );
}
