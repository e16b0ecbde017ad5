//! A keyboard-only visitor: keys go to whatever has focus (WebDriver key actions), never a click.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

/// The most Tab presses a story spends looking for one control.
const MAX_TABS: usize = 60;

/// Where the focus is, looked up through shadow roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// The focused element's `data-testid`, else its tag name (`body`, `button`, …).
    pub name: String,
    /// Whether it is inside the widget's shadow root.
    pub in_widget: bool,
    /// Whether it is inside the panel (the dialog).
    pub in_panel: bool,
}

/// The keyboard of the browser `client` drives.
pub struct Keyboard {
    client: Client,
}

impl Keyboard {
    /// The keyboard of `client`'s browser.
    pub fn new(client: &Client) -> Keyboard {
        Keyboard {
            client: client.clone(),
        }
    }

    async fn send(&self, actions: KeyActions, what: &str) {
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("keyboard: {what}: {e}"));
    }

    /// Presses and releases `key`.
    pub async fn press(&self, key: Key) {
        let key: char = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.send(actions, "press").await;
    }

    /// Presses `key` while holding Shift (Shift+Tab goes backwards).
    pub async fn press_shifted(&self, key: Key) {
        let (shift, key): (char, char) = (Key::Shift.into(), key.into());
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: shift });
        self.send(actions, "press with shift").await;
    }

    /// Types `text` into whatever has focus, one key at a time.
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.send(actions, "type").await;
    }

    /// Where the focus is now.
    pub async fn focused(&self) -> Focus {
        let found = self
            .client
            .execute(
                "let el = document.activeElement, inWidget = false;
                 while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                   el = el.shadowRoot.activeElement;
                   inWidget = true;
                 }
                 if (!el) return ['none', false, false];
                 const name = el.getAttribute('data-testid') || el.tagName.toLowerCase();
                 return [name, inWidget, inWidget && !!el.closest('[data-testid=panel]')];",
                vec![],
            )
            .await
            .expect("look up the focused element");
        Focus {
            name: found[0].as_str().unwrap_or_default().to_owned(),
            in_widget: found[1] == Value::Bool(true),
            in_panel: found[2] == Value::Bool(true),
        }
    }

    /// Presses Tab until the control `testid` has focus. With `trapped`, every stop on the way
    /// must be inside the widget (the open dialog keeps the focus).
    pub async fn tab_to(&self, testid: &str, trapped: bool) {
        let mut path = Vec::new();
        for _ in 0..MAX_TABS {
            let focus = self.focused().await;
            if focus.name == testid {
                return;
            }
            if trapped {
                assert!(
                    focus.in_widget,
                    "the focus left the open widget for {:?}, on the way to {testid}: {path:?}",
                    focus.name
                );
            }
            path.push(focus.name);
            self.press(Key::Tab).await;
        }
        panic!("{MAX_TABS} presses of Tab never reached [data-testid={testid}]: {path:?}");
    }

    /// Fails unless the focus is inside the open panel, saying `after` what it was lost.
    pub async fn assert_focus_in_panel(&self, after: &str) {
        let focus = self.focused().await;
        assert!(
            focus.in_panel,
            "after {after}, the focus should stay in the dialog, but it is on {:?}{}",
            focus.name,
            if focus.in_widget {
                ""
            } else {
                " outside the widget"
            }
        );
    }

    /// Fails unless the control `testid` has focus.
    pub async fn assert_focus_on(&self, testid: &str, why: &str) {
        let focus = self.focused().await;
        assert_eq!(focus.name, testid, "{why}: the focus is on {focus:?}");
    }
}
