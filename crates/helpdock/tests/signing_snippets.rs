//! docs/signing.md's snippets are code, not prose: each one is extracted from the page, run with
//! its interpreter (node, python3, php), and must print the identity the documented algorithm
//! gives. The Rust snippet is compiled in from `signing/identity.rs`, which must equal the page's
//! block byte for byte. PHP is skipped when `php` is missing, unless `HELPDOCK_REQUIRE_PHP=1`.

#[path = "signing/identity.rs"]
mod identity;
#[path = "attacks/sign.rs"]
mod sign;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (secret, email as the shop has it, expires): a plain address and one that needs normalising.
const INPUTS: [(&str, &str, u64); 2] = [
    ("s3cr3t-shop-key", "ann+shop@example.com", 1_767_225_600),
    (
        "another key, with spaces",
        "  Zoë.ÜNAL@Example.COM ",
        4_102_444_800,
    ),
];

const PHP_DRIVER: &str = r#"
$id = helpdock_identity($argv[1], $argv[2], (int) $argv[3]);
echo json_encode($id, JSON_UNESCAPED_UNICODE), "\n", helpdock_identity_header($id), "\n";
"#;

const NODE_DRIVER: &str = r#"
const [secret, email, expires] = process.argv.slice(2);
const id = helpdockIdentity(secret, email, Number(expires));
console.log(JSON.stringify(id));
console.log(helpdockIdentityHeader(id));
"#;

const PYTHON_DRIVER: &str = r#"
import json, sys
_id = helpdock_identity(sys.argv[1], sys.argv[2], int(sys.argv[3]))
print(json.dumps(_id, ensure_ascii=False))
print(helpdock_identity_header(_id))
"#;

fn signing_md() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/signing.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The body of the one fenced block whose info string is `lang`.
fn block(md: &str, lang: &str) -> String {
    let fence = format!("```{lang}\n");
    let found: Vec<&str> = md
        .match_indices(&fence)
        .map(|(at, _)| {
            let body = &md[at + fence.len()..];
            &body[..body.find("\n```").map_or(body.len(), |end| end + 1)]
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "docs/signing.md needs exactly one ```{lang} block"
    );
    found[0].to_owned()
}

/// What every snippet must print for `input`: the identity as JSON, then the header value.
fn expected((secret, email, expires): (&str, &str, u64)) -> (String, u64, String) {
    let want = (
        sign::normalise(email),
        expires,
        sign::signature(secret, email, Some(expires)),
    );
    assert_eq!(
        identity::helpdock_identity(secret, email, expires),
        want,
        "the Rust snippet disagrees with the attack suite's signer"
    );
    want
}

/// Checks an interpreter's two output lines against `want`.
fn check_output(lang: &str, stdout: &str, want: &(String, u64, String)) {
    let mut lines = stdout.lines();
    let json: Value = serde_json::from_str(lines.next().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{lang}: first line is not JSON ({e}): {stdout}"));
    let got = (
        json["email"].as_str().unwrap_or_default().to_owned(),
        json["expires"].as_u64().unwrap_or_default(),
        json["signature"].as_str().unwrap_or_default().to_owned(),
    );
    assert_eq!(&got, want, "{lang}: identity for page");
    let header = lines.next().unwrap_or_default();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(header.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expect_pairs = vec![
        ("email".to_owned(), want.0.clone()),
        ("expires".to_owned(), want.1.to_string()),
        ("signature".to_owned(), want.2.clone()),
    ];
    assert_eq!(pairs, expect_pairs, "{lang}: header value {header:?}");
}

/// Writes `source` to a temp file and runs `program file args…`; its stdout.
fn run(program: &str, extension: &str, source: &str, input: (&str, &str, u64)) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file: PathBuf = dir.path().join(format!("snippet.{extension}"));
    std::fs::write(&file, source).expect("write snippet");
    let output = Command::new(program)
        .arg(&file)
        .args([input.0, input.1, &input.2.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

fn installed(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

#[test]
fn rust_snippet_is_the_compiled_one() {
    let compiled = include_str!("signing/identity.rs");
    assert_eq!(block(&signing_md(), "rust"), compiled);
    for input in INPUTS {
        let want = expected(input);
        let header = identity::helpdock_identity_header(&want);
        let json = serde_json::json!({"email": want.0, "expires": want.1, "signature": want.2});
        check_output("rust", &format!("{json}\n{header}"), &want);
    }
}

#[test]
fn node_snippet_signs_like_the_proxy() {
    let source = block(&signing_md(), "js") + NODE_DRIVER;
    for input in INPUTS {
        check_output("node", &run("node", "js", &source, input), &expected(input));
    }
}

#[test]
fn python_snippet_signs_like_the_proxy() {
    let source = block(&signing_md(), "python") + PYTHON_DRIVER;
    for input in INPUTS {
        check_output(
            "python",
            &run("python3", "py", &source, input),
            &expected(input),
        );
    }
}

#[test]
fn php_snippet_signs_like_the_proxy() {
    let source = block(&signing_md(), "php") + PHP_DRIVER;
    if !installed("php") {
        let required = std::env::var("HELPDOCK_REQUIRE_PHP").is_ok_and(|v| v == "1");
        assert!(!required, "HELPDOCK_REQUIRE_PHP=1 but php is not installed");
        eprintln!(
            "php not installed: PHP snippet NOT checked (apt-get install php-cli php-mbstring)"
        );
        return;
    }
    for input in INPUTS {
        check_output("php", &run("php", "php", &source, input), &expected(input));
    }
}
