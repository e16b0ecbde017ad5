//! A visitor on a shop page opens the widget for the first time: her browser receives the loader,
//! the glue, the main wasm and the stylesheet brotli-compressed, each exactly as many bytes as its
//! `.br` copy in pkg/ and far fewer than the file, and so every chunk the open panel fetches. She
//! comes back to the page and opens it again: no file comes over the network twice (the loader is
//! fresh for 5 minutes, the others, named after their content, for a year).

use helpdock_e2e::cdp::{Transfer, transfers};
use helpdock_e2e::pkg::{BuiltFile, built_files};
use helpdock_e2e::{DemoStack, Widget, with_browser};

/// The widget's files among `transfers`: those from the proxy outside its API.
fn widget_files(transfers: Vec<Transfer>, proxy_url: &str) -> Vec<Transfer> {
    transfers
        .into_iter()
        .filter(|t| {
            t.url
                .strip_prefix(proxy_url)
                .is_some_and(|path| !path.starts_with("api/"))
        })
        .collect()
}

/// The file of pkg/ that `transfer` fetched.
fn built<'a>(files: &'a [BuiltFile], transfer: &Transfer) -> &'a BuiltFile {
    let name = transfer.url.rsplit('/').next().unwrap_or_default();
    files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{} is not a file of pkg/", transfer.url))
}

#[tokio::test]
async fn the_first_open_transfers_the_brotli_sizes_and_the_next_nothing_again() {
    let files = built_files();
    let stack = DemoStack::start();
    let (url, proxy_url) = (stack.url.clone(), stack.proxy_url.clone());
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.find("field-custom-1").await;
        let first = widget_files(transfers(&client).await, &proxy_url);

        println!("first open, as Chromium received it (bytes):");
        println!(
            "{:<40} {:>8} {:>8} {:>8} {:>8}",
            "file", "on wire", "+headers", "raw", "decoded"
        );
        for t in &first {
            let file = built(&files, t);
            println!(
                "{:<40} {:>8} {:>8} {:>8} {:>8} {}",
                file.name,
                t.body_bytes,
                t.total_bytes,
                file.raw,
                t.decoded_bytes,
                t.content_encoding
            );
        }
        for file in files.iter().filter(|f| f.is_first_screen()) {
            let Some(t) = first
                .iter()
                .find(|t| t.url.ends_with(&format!("/{}", file.name)))
            else {
                panic!("the first open did not fetch {}: {first:#?}", file.name);
            };
            assert!(!t.from_cache && t.status == 200, "{t:?}");
        }
        for t in &first {
            let file = built(&files, t);
            assert_eq!(
                (t.content_encoding.as_str(), t.body_bytes, t.decoded_bytes),
                ("br", file.br, file.raw),
                "{}: brotli, {} bytes on the wire for {} bytes raw",
                file.name,
                file.br,
                file.raw
            );
            assert!(file.br < file.raw, "{file:?}");
        }

        // She comes back: every file is still fresh in her browser's cache.
        client.goto(&url).await.expect("open the host page again");
        w.click("launcher").await;
        w.find("field-custom-1").await;
        // Files still arriving when the first open was counted (prefetched chunks) are counted
        // now, once.
        let later = widget_files(transfers(&client).await, &proxy_url);
        for file in files.iter().filter(|f| f.is_first_screen()) {
            assert!(
                later
                    .iter()
                    .any(|t| t.url.ends_with(&format!("/{}", file.name)) && t.from_cache),
                "{} came from the cache the second time: {later:#?}",
                file.name
            );
        }
        let mut over_network: Vec<&Transfer> = first
            .iter()
            .chain(&later)
            .filter(|t| !t.from_cache)
            .collect();
        over_network.sort_by(|a, b| a.url.cmp(&b.url));
        for pair in over_network.windows(2) {
            assert_ne!(pair[0].url, pair[1].url, "fetched over the network twice");
        }
        for t in later.iter().filter(|t| !t.from_cache) {
            assert_eq!(
                (t.content_encoding.as_str(), t.body_bytes),
                ("br", built(&files, t).br),
                "{t:?}"
            );
        }
    })
    .await;
}
