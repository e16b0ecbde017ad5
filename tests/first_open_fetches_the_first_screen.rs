//! A visitor on an English shop page opens the widget: her browser has fetched the loader, the
//! glue, the main wasm and the stylesheet, and no chunk. Once the panel is open, "My tickets", the
//! thread, the reader of refusals and the form's send path arrive while the browser is idle,
//! before she needs them; the launcher's unread watch never does (she has neither an identity nor
//! a guest pass). The page asks for German: the German words arrive, and no other language.

use fantoccini::Client;
use helpdock_e2e::widget::Deadline;
use helpdock_e2e::{DemoStack, Widget, with_browser};

/// The wasm files the page has fetched, by file name, in order.
async fn wasm_fetched(client: &Client) -> Vec<String> {
    let names = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .expect("the page's resource timings");
    names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str())
        .filter_map(|url| url.rsplit('/').next())
        .filter(|file| file.ends_with(".wasm"))
        .map(str::to_owned)
        .collect()
}

/// Waits until the page has fetched a wasm file whose name starts with each of `prefixes`.
async fn wait_for_chunks(client: &Client, prefixes: &[&str]) -> Vec<String> {
    let deadline = Deadline::start();
    loop {
        let fetched = wasm_fetched(client).await;
        if prefixes
            .iter()
            .all(|p| fetched.iter().any(|f| f.starts_with(p)))
        {
            return fetched;
        }
        deadline
            .retry(|| format!("the page fetched {fetched:?}, not all of {prefixes:?}"))
            .await;
    }
}

#[tokio::test]
async fn the_first_open_fetches_the_first_screen_and_the_rest_comes_later() {
    let stack = DemoStack::start();
    let url = stack.url.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.find("field-custom-1").await;
        let first = wasm_fetched(&client).await;
        // The prefetch waits for an idle browser: by now it may have begun, but only with these.
        let later = ["history", "thread", "refusal", "submit"];
        // `helpdock_widget_bg.<hash>.wasm` (scripts/name-first-screen.mjs).
        let main = |f: &String| f.starts_with("helpdock_widget_bg.");
        assert!(
            first.iter().any(main)
                && first
                    .iter()
                    .all(|f| main(f) || later.iter().any(|chunk| f.starts_with(chunk))),
            "the first open fetched {first:?}"
        );

        // Prefetched, unasked: "My tickets" (the list and the thread, and what they share), the
        // reader of refusals and the send path.
        let prefetched = wait_for_chunks(
            &client,
            &[
                "history.",
                "thread.",
                "history_thread.",
                "refusal.",
                "submit.",
            ],
        )
        .await;
        assert!(
            prefetched.iter().all(|f| !f.starts_with("unread-watch")),
            "no unread watch for a visitor nobody knows: {prefetched:?}"
        );
        w.click("tab-history").await;
        w.find("empty-history").await;
        assert_eq!(
            wasm_fetched(&client).await,
            prefetched,
            "\"My tickets\" fetched nothing more"
        );
        assert!(
            prefetched.iter().all(|f| !f.starts_with("locale-")),
            "an English page fetched another language: {prefetched:?}"
        );

        client
            .execute("Helpdock('setLocale', 'de');", vec![])
            .await
            .expect("Helpdock('setLocale', 'de')");
        w.wait_for_text("tab-new", "Neues Ticket").await;
        let after = wasm_fetched(&client).await;
        let languages: Vec<&String> = after.iter().filter(|f| f.starts_with("locale-")).collect();
        assert!(
            languages.len() == 1 && languages[0].starts_with("locale-de."),
            "German alone was fetched: {after:?}"
        );
    })
    .await;
}
