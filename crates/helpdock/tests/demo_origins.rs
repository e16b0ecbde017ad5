//! The demo as customers embed the widget: the shop page on one origin, the proxy on another.
//! The page's tag names the proxy's absolute URL, the widget's files are open to any origin, and
//! the API (preflights included) answers the shop's origin and refuses every other.

mod support;

use helpdock::demo::{DemoSettings, start};
use reqwest::{Client, Method, Response, StatusCode};

/// The headers the widget sends, as a browser names them in a preflight.
const WIDGET_HEADERS: &str =
    "content-type, idempotency-key, x-helpdock-site, x-helpdock-identity, x-helpdock-guest-pass";

/// A running demo: the shop's and the proxy's `http://ADDR/`.
struct Running {
    shop: String,
    proxy: String,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// `helpdock::demo::start` on free ports, served in the background until the test ends.
async fn demo() -> Running {
    let (data, assets) = (tempfile::tempdir().expect("data"), support::widget_files());
    let demo = start(&DemoSettings {
        listen: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data.path().to_owned(),
        assets_dir: assets.path().to_owned(),
    })
    .await
    .expect("demo starts");
    let (shop, proxy) = (demo.shop.url.clone(), demo.proxy.url.clone());
    for server in [demo.shop, demo.proxy] {
        tokio::spawn(helpdock::serve(
            server.listener,
            server.app,
            helpdock::ServerConfig::default(),
            std::future::pending(),
        ));
    }
    Running {
        shop,
        proxy,
        _dirs: (data, assets),
    }
}

/// `url` as an Origin header value: no trailing slash.
fn origin(url: &str) -> &str {
    url.trim_end_matches('/')
}

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn preflight(client: &Client, url: String, from: &str) -> Response {
    client
        .request(Method::OPTIONS, url)
        .header("origin", from)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", WIDGET_HEADERS)
        .send()
        .await
        .expect("preflight")
}

#[tokio::test]
async fn the_shop_embeds_the_proxy_across_origins() {
    let Running { shop, proxy, .. } = &demo().await;
    assert_ne!(shop, proxy);
    let client = Client::new();

    let page = client.get(shop.as_str()).send().await.expect("shop page");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        header(&page, "x-content-type-options"),
        "nosniff",
        "the proxy's headers"
    );
    assert!(
        !header(&page, "x-request-id").is_empty(),
        "logged like the proxy's routes"
    );
    let html = page.text().await.expect("html");
    let tag = format!(r#"<script async src="{proxy}widget.js" data-site="demo"></script>"#);
    assert!(html.contains(&tag), "{tag} in {html}");

    // The loader's module `import()` and wasm `fetch` from the shop's page: CORS-readable.
    for file in [
        "widget.js",
        "helpdock_widget.2f6d0a1b.js",
        "helpdock_widget_bg.9c41e7d2.wasm",
        "helpdock.5e0b3c8a.css",
    ] {
        for from in [origin(shop), "https://elsewhere.example"] {
            let answer = client
                .get(format!("{proxy}{file}"))
                .header("origin", from)
                .send()
                .await
                .expect("asset");
            assert_eq!(answer.status(), StatusCode::OK, "{file} from {from}");
            assert_eq!(
                header(&answer, "access-control-allow-origin"),
                "*",
                "{file} from {from}"
            );
            assert_eq!(
                header(&answer, "cross-origin-resource-policy"),
                "cross-origin",
                "{file}"
            );
            assert_eq!(
                header(&answer, "access-control-allow-credentials"),
                "",
                "{file}"
            );
        }
    }

    // The API: the shop's origin may preflight every header the widget sends, then call.
    let allowed = preflight(
        &client,
        format!("{proxy}api/tickets_create.php"),
        origin(shop),
    )
    .await;
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        origin(shop)
    );
    assert_eq!(
        header(&allowed, "access-control-allow-methods"),
        "GET, POST"
    );
    let allow_headers = header(&allowed, "access-control-allow-headers");
    for name in WIDGET_HEADERS.split(", ") {
        assert!(allow_headers.contains(name), "{name} in {allow_headers}");
    }
    let call = client
        .get(format!("{proxy}api/ticket_categories.php"))
        .header("origin", origin(shop))
        .header("x-helpdock-site", "demo")
        .send()
        .await
        .expect("categories");
    assert_eq!(call.status(), StatusCode::OK);
    assert_eq!(header(&call, "access-control-allow-origin"), origin(shop));

    // Any other origin — a stranger, or the shop's host on another port — is refused.
    let other_port = format!("http://127.0.0.1:{}", free_port());
    for from in ["https://elsewhere.example", other_port.as_str()] {
        let refused = preflight(&client, format!("{proxy}api/tickets_create.php"), from).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{from}");
        assert_eq!(
            header(&refused, "access-control-allow-origin"),
            "",
            "{from}"
        );
        let body: serde_json::Value = refused.json().await.expect("json");
        assert_eq!(body["code"], "forbidden_origin", "{from}");
    }
}

#[tokio::test]
async fn each_origin_serves_only_its_own() {
    let Running { shop, proxy, .. } = &demo().await;
    let client = Client::new();
    let sign_in = |base: &str| {
        client
            .post(format!("{base}demo/sign-in"))
            .json(&serde_json::json!({"email": "ann@example.com"}))
            .send()
    };
    let signed = sign_in(shop).await.expect("sign in");
    assert_eq!(signed.status(), StatusCode::OK);
    assert_eq!(
        header(&signed, "x-frame-options"),
        "DENY",
        "the proxy's headers"
    );
    // The shop's backend is not the proxy's, and the shop hosts none of the proxy's files.
    let on_proxy = sign_in(proxy).await.expect("sign in on the proxy");
    assert_eq!(on_proxy.status(), StatusCode::NOT_FOUND);
    for path in ["widget.js", "api/ticket_categories.php", "nope"] {
        let answer = client
            .get(format!("{shop}{path}"))
            .send()
            .await
            .expect("shop");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let proxy_root = client.get(proxy.as_str()).send().await.expect("proxy root");
    assert_eq!(proxy_root.status(), StatusCode::NOT_FOUND);
}

/// A port nobody listens on now: an origin the demo did not configure.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
