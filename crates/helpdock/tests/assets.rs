//! The widget's files on the wire, over real HTTP: the brotli copy to a browser that takes brotli,
//! the gzip copy to one that takes gzip only, the file itself to the rest, each byte for byte as
//! the build left it on disk and decoding to the file; `Vary: Accept-Encoding`, a strong `ETag` of
//! its own per encoding, and `304` with no body when the browser's copy is current.

mod support;

use helpdock::{HelpdeskTimeZone, Secret, Upstream, UpstreamConfig, app};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

/// What Chromium sends.
const BROWSER: &str = "gzip, deflate, br, zstd";

/// Files like the build's: the loader and a content-named wasm, each with a `.br` (brotli -q 11)
/// and a `.gz` (gzip -9) copy made by the real tools, as scripts/precompress.mjs makes them.
fn built_widget() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("assets dir");
    let loader = "(function(){var d=document;/* the loader */})();\n".repeat(40);
    let wasm: Vec<u8> = (0u32..20_000)
        .flat_map(|i| [0, 97, 115, 109, (i % 251) as u8, (i / 7 % 13) as u8])
        .collect();
    for (name, bytes) in [
        ("widget.js", loader.as_bytes()),
        ("helpdock_widget_bg.0123abcd.wasm", &wasm),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).expect("write asset");
        for tool in [
            &["brotli", "-q", "11", "-k", "-f"][..],
            &["gzip", "-9", "-k", "-f", "-n"],
        ] {
            let status = Command::new(tool[0])
                .args(&tool[1..])
                .arg(&file)
                .status()
                .unwrap_or_else(|e| panic!("{} (apt-get install {}): {e}", tool[0], tool[0]));
            assert!(status.success(), "{tool:?} {name}");
        }
    }
    dir
}

/// `bytes` decoded by the `tool` CLI (`brotli` or `gzip`).
fn decoded(tool: &str, bytes: &[u8]) -> Vec<u8> {
    let mut child = Command::new(tool)
        .args(["-d", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("decode");
    writer
        .join()
        .expect("writer")
        .expect("write to the decoder");
    assert!(out.status.success(), "{tool} -d failed");
    out.stdout
}

/// The proxy over real HTTP on a free port, serving `dir` (no helpdesk needed for files).
async fn proxy(dir: &Path) -> String {
    let config = UpstreamConfig {
        base_url: "http://127.0.0.1:9/api/".parse().expect("url"),
        token: Secret::new("unused"),
        timeout: Duration::from_secs(1),
        time_zone: HelpdeskTimeZone::default(),
    };
    let state = support::state(Upstream::new(config), dir.to_owned());
    format!("http://{}", support::serve_router(app(state)).await)
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// `method url` with the given request headers, read as it came off the wire (this client
/// decodes nothing).
async fn fetch(method: Method, url: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = reqwest::Client::new().request(method, url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer = request.send().await.expect("request");
    Got {
        status: answer.status(),
        headers: answer.headers().clone(),
        body: answer.bytes().await.expect("body").to_vec(),
    }
}

#[tokio::test]
async fn each_encoding_goes_out_as_built_with_its_own_tag() {
    let dir = built_widget();
    let base = proxy(dir.path()).await;
    // (Accept-Encoding, Content-Encoding, the file on disk, its decoder)
    let encodings = [
        (Some(BROWSER), "br", ".br", Some("brotli")),
        (Some("gzip;q=0.5, br"), "br", ".br", Some("brotli")),
        (Some("gzip, deflate"), "gzip", ".gz", Some("gzip")),
        (Some("identity"), "", "", None),
        (None, "", "", None),
    ];
    for name in ["widget.js", "helpdock_widget_bg.0123abcd.wasm"] {
        let url = format!("{base}/{name}");
        let original = std::fs::read(dir.path().join(name)).expect("original");
        let mut tags = Vec::new();
        for (accept, encoding, suffix, decoder) in encodings {
            let what = format!("{name}, Accept-Encoding {accept:?}");
            let offer: Vec<(&str, &str)> =
                accept.map(|a| ("accept-encoding", a)).into_iter().collect();
            let got = fetch(Method::GET, &url, &offer).await;
            let on_disk = std::fs::read(dir.path().join(format!("{name}{suffix}"))).expect("file");
            assert_eq!(got.status, StatusCode::OK, "{what}");
            assert_eq!(got.header(header::CONTENT_ENCODING), encoding, "{what}");
            assert_eq!(
                got.header(header::CONTENT_LENGTH),
                on_disk.len().to_string(),
                "{what}"
            );
            assert!(got.body == on_disk, "{what}: the bytes on disk");
            let plain = decoder.map_or(got.body.clone(), |tool| decoded(tool, &got.body));
            assert!(plain == original, "{what}: decodes to the file");
            assert_eq!(got.header(header::VARY), "accept-encoding", "{what}");
            let tag = got.header(header::ETAG).to_owned();
            assert!(
                tag.len() > 2 && tag.starts_with('"') && tag.ends_with('"'),
                "{what}: a strong tag, not {tag:?}"
            );
            if !encoding.is_empty() {
                assert!(
                    got.body.len() * 2 < original.len(),
                    "{what}: {} of {} bytes",
                    got.body.len(),
                    original.len()
                );
            }

            // The browser's copy is current: no body, the same tag and caching.
            let mut revalidate = offer.clone();
            revalidate.push(("if-none-match", &tag));
            let again = fetch(Method::GET, &url, &revalidate).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{what}");
            assert!(again.body.is_empty(), "{what}");
            assert_eq!(again.header(header::ETAG), tag, "{what}");
            assert_eq!(again.header(header::VARY), "accept-encoding", "{what}");
            assert_eq!(
                again.header(header::CACHE_CONTROL),
                got.header(header::CACHE_CONTROL),
                "{what}"
            );
            assert_eq!(
                again.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                "*",
                "{what}"
            );

            let head = fetch(Method::HEAD, &url, &offer).await;
            assert_eq!(
                (head.status, head.header(header::ETAG), head.body.len()),
                (StatusCode::OK, tag.as_str(), 0),
                "HEAD {what}"
            );
            assert_eq!(
                head.header(header::CONTENT_LENGTH),
                on_disk.len().to_string(),
                "HEAD {what}"
            );
            tags.push((encoding, tag));
        }
        // One tag per encoding: a brotli copy's tag never validates a gzip answer.
        let (br, gzip, raw) = (&tags[0].1, &tags[2].1, &tags[3].1);
        assert!(br != gzip && gzip != raw && br != raw, "{name}: {tags:?}");
        assert_eq!(tags[0].1, tags[1].1, "{name}: the same bytes, the same tag");
        assert_eq!(tags[3].1, tags[4].1, "{name}");
        let other = fetch(
            Method::GET,
            &url,
            &[("accept-encoding", "gzip"), ("if-none-match", br)],
        )
        .await;
        assert_eq!(
            other.status,
            StatusCode::OK,
            "{name}: another encoding's tag"
        );
        assert_eq!(other.header(header::ETAG), gzip.as_str(), "{name}");
    }
}

#[tokio::test]
async fn the_loader_is_revalidated_and_content_named_files_kept_a_year() {
    let dir = built_widget();
    let base = proxy(dir.path()).await;
    for (name, cache) in [
        ("widget.js", "public, max-age=300"),
        (
            "helpdock_widget_bg.0123abcd.wasm",
            "public, max-age=31536000, immutable",
        ),
    ] {
        let got = fetch(
            Method::GET,
            &format!("{base}/{name}"),
            &[("accept-encoding", BROWSER)],
        )
        .await;
        assert_eq!(got.header(header::CACHE_CONTROL), cache, "{name}");
    }
    // The compressed copies are encodings of a file, not files of their own; nor is anything else.
    for path in ["widget.js.br", "widget.js.gz", "nope.js"] {
        let got = fetch(Method::GET, &format!("{base}/{path}"), &[]).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        let json: serde_json::Value = serde_json::from_slice(&got.body).expect("JSON");
        assert_eq!(json["code"], "not_found", "{path}");
        assert_eq!(got.header(header::ETAG), "", "{path}");
    }
}

#[tokio::test]
async fn a_loader_replaced_on_disk_gets_a_new_tag() {
    let dir = built_widget();
    let base = proxy(dir.path()).await;
    let url = format!("{base}/widget.js");
    let before = fetch(Method::GET, &url, &[]).await;
    let old_tag = before.header(header::ETAG).to_owned();

    // A deploy writes a new loader (the proxy hashed the old one when it started).
    let loader = dir.path().join("widget.js");
    std::fs::write(&loader, "/* the next build's loader */").expect("rewrite");
    let file = std::fs::File::options()
        .write(true)
        .open(&loader)
        .expect("open");
    file.set_modified(SystemTime::now() + Duration::from_secs(2))
        .expect("set mtime");
    let after = fetch(Method::GET, &url, &[("if-none-match", &old_tag)]).await;
    assert_eq!(after.status, StatusCode::OK, "the old copy is stale");
    assert_eq!(after.body, b"/* the next build's loader */");
    let new_tag = after.header(header::ETAG).to_owned();
    assert!(
        !new_tag.is_empty() && new_tag != old_tag,
        "{old_tag} then {new_tag}"
    );
    let again = fetch(Method::GET, &url, &[("if-none-match", &new_tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}
