//! Every locale is complete and keeps en's placeholders; the widget follows the chosen locale.

use super::*;
use crate::test_support::{FakeProxy, Page, fresh_base, standard_answers, tick};
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Every message of `s`, named. The pattern lists every field with no `..`, so a message added to
/// [`Strings`] and not here fails to compile: no message escapes these checks.
fn messages(s: &'static Strings) -> Vec<(&'static str, &'static str)> {
    let Strings {
        lang,
        dir,
        open_support,
        close_support,
        panel_label,
        title,
        subtitle,
        new_ticket,
        my_tickets,
        email,
        name,
        company,
        subject,
        message,
        category,
        choose,
        priority,
        priority_low,
        priority_medium,
        priority_high,
        required,
        sending,
        send_ticket,
        thanks,
        ticket_number,
        view_ticket,
        history_anonymous,
        tickets_for,
        tickets_from_browser,
        loading_tickets,
        no_tickets,
        updated,
        all_tickets,
        loading_thread,
        your_reply,
        write_reply,
        send_reply,
        write_reply_first,
        you,
        support_team,
        yes,
        no,
        status_open,
        status_new,
        status_pending,
        status_on_hold,
        status_waiting,
        status_answered,
        status_replied,
        status_closed,
        status_resolved,
        status_solved,
        problem_required,
        problem_too_long,
        problem_invalid_email,
        problem_name_is_email,
        problem_unknown_field,
        problem_not_a_category,
        problem_not_an_option,
        problem_not_a_checkbox,
        problem_not_a_number,
        problem_not_a_date,
        error_network,
        error_check_fields,
        error_not_found,
        error_unauthorized,
        error_forbidden,
        error_session_expired,
        error_guest_pass_expired,
        error_forbidden_origin,
        error_staff_email,
        error_idempotency_conflict,
        error_spam_suspected,
        error_too_large,
        error_rate_limited,
        error_upstream,
        error_internal,
        unread_one,
        unread_many,
        new_reply,
        new_divider,
        not_sent_yet,
    } = s;
    vec![
        ("lang", *lang),
        ("dir", *dir),
        ("open_support", *open_support),
        ("close_support", *close_support),
        ("panel_label", *panel_label),
        ("title", *title),
        ("subtitle", *subtitle),
        ("new_ticket", *new_ticket),
        ("my_tickets", *my_tickets),
        ("email", *email),
        ("name", *name),
        ("company", *company),
        ("subject", *subject),
        ("message", *message),
        ("category", *category),
        ("choose", *choose),
        ("priority", *priority),
        ("priority_low", *priority_low),
        ("priority_medium", *priority_medium),
        ("priority_high", *priority_high),
        ("required", *required),
        ("sending", *sending),
        ("send_ticket", *send_ticket),
        ("thanks", *thanks),
        ("ticket_number", *ticket_number),
        ("view_ticket", *view_ticket),
        ("history_anonymous", *history_anonymous),
        ("tickets_for", *tickets_for),
        ("tickets_from_browser", *tickets_from_browser),
        ("loading_tickets", *loading_tickets),
        ("no_tickets", *no_tickets),
        ("updated", *updated),
        ("all_tickets", *all_tickets),
        ("loading_thread", *loading_thread),
        ("your_reply", *your_reply),
        ("write_reply", *write_reply),
        ("send_reply", *send_reply),
        ("write_reply_first", *write_reply_first),
        ("you", *you),
        ("support_team", *support_team),
        ("yes", *yes),
        ("no", *no),
        ("status_open", *status_open),
        ("status_new", *status_new),
        ("status_pending", *status_pending),
        ("status_on_hold", *status_on_hold),
        ("status_waiting", *status_waiting),
        ("status_answered", *status_answered),
        ("status_replied", *status_replied),
        ("status_closed", *status_closed),
        ("status_resolved", *status_resolved),
        ("status_solved", *status_solved),
        ("problem_required", *problem_required),
        ("problem_too_long", *problem_too_long),
        ("problem_invalid_email", *problem_invalid_email),
        ("problem_name_is_email", *problem_name_is_email),
        ("problem_unknown_field", *problem_unknown_field),
        ("problem_not_a_category", *problem_not_a_category),
        ("problem_not_an_option", *problem_not_an_option),
        ("problem_not_a_checkbox", *problem_not_a_checkbox),
        ("problem_not_a_number", *problem_not_a_number),
        ("problem_not_a_date", *problem_not_a_date),
        ("error_network", *error_network),
        ("error_check_fields", *error_check_fields),
        ("error_not_found", *error_not_found),
        ("error_unauthorized", *error_unauthorized),
        ("error_forbidden", *error_forbidden),
        ("error_session_expired", *error_session_expired),
        ("error_guest_pass_expired", *error_guest_pass_expired),
        ("error_forbidden_origin", *error_forbidden_origin),
        ("error_staff_email", *error_staff_email),
        ("error_idempotency_conflict", *error_idempotency_conflict),
        ("error_spam_suspected", *error_spam_suspected),
        ("error_too_large", *error_too_large),
        ("error_rate_limited", *error_rate_limited),
        ("error_upstream", *error_upstream),
        ("error_internal", *error_internal),
        ("unread_one", *unread_one),
        ("unread_many", *unread_many),
        ("new_reply", *new_reply),
        ("new_divider", *new_divider),
        ("not_sent_yet", *not_sent_yet),
    ]
}

/// The `{name}` placeholders in `text`, sorted.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found
}

#[test]
fn every_locale_says_every_message_with_the_same_placeholders() {
    let english = messages(LOCALES[0]);
    assert!(
        english
            .iter()
            .any(|(_, text)| !placeholders(text).is_empty())
    );
    for locale in LOCALES {
        for ((name, text), (_, en)) in messages(locale).into_iter().zip(&english) {
            assert!(!text.trim().is_empty(), "{}.{name} is empty", locale.lang);
            assert_eq!(
                placeholders(text),
                placeholders(en),
                "{}.{name}: {text:?}",
                locale.lang
            );
        }
        assert!(matches!(locale.dir, "ltr" | "rtl"), "{}", locale.lang);
    }
}

#[test]
fn each_locale_is_chosen_by_its_own_tag_and_only_arabic_is_right_to_left() {
    let tags: Vec<&str> = LOCALES.iter().map(|s| s.lang).collect();
    // TAGS, which chooses before the words are fetched, names each locale as its words do.
    assert_eq!(tags, TAGS);
    assert_eq!(tags, ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"]);
    for locale in LOCALES {
        assert_eq!(for_tag(locale.lang).lang, locale.lang);
        assert_eq!(locale.dir == "rtl", locale.lang == "ar", "{}", locale.lang);
    }
}

#[test]
fn known_problems_are_reworded_and_other_texts_kept() {
    let de = LOCALES[1];
    let cases = [
        (
            Finding::Problem(Problem::Required),
            "Bitte füllen Sie dieses Feld aus.",
            "This field is required.",
        ),
        (
            Finding::Problem(Problem::TooLong { max: 100 }),
            "Höchstens 100 Zeichen.",
            "At most 100 characters.",
        ),
        (
            Finding::Problem(Problem::NotACategory),
            "Bitte wählen Sie eine der Kategorien.",
            "Choose one of the categories.",
        ),
        (
            Finding::Said("Order numbers start with A-.".into()),
            "Order numbers start with A-.",
            "Order numbers start with A-.",
        ),
    ];
    for (finding, german, english) in cases {
        assert_eq!(de.finding(&finding), german);
        assert_eq!(LOCALES[0].finding(&finding), english);
    }
    assert_eq!(de.status(" Closed "), Some("Geschlossen"));
    assert_eq!(de.status("escalated"), None);
    assert_eq!(around(de.ticket_number, "{id}").0, "Ihre Ticketnummer ist ");
}

mod widget {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The whole widget, as the loader mounts it, against the fake proxy.
    fn mounted(name: &str) -> (FakeProxy, Page, crate::Widget) {
        let proxy = FakeProxy::install();
        standard_answers(&proxy);
        let page = Page::new();
        let widget = crate::mount(page.root.clone(), fresh_base(name), None, None);
        (proxy, page, widget)
    }

    fn label(page: &Page, id: &str) -> String {
        page.root
            .query_selector(&format!("label[for=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|l| l.text_content())
            .unwrap_or_default()
    }

    /// The host page's `<html lang>` for one test, put back as it was when dropped.
    struct HtmlLang(web_sys::Element, Option<String>);

    impl HtmlLang {
        fn set(lang: &str) -> HtmlLang {
            let html = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .expect("an html element");
            let before = html.get_attribute("lang");
            html.set_attribute("lang", lang).expect("set");
            HtmlLang(html, before)
        }
    }

    impl Drop for HtmlLang {
        fn drop(&mut self) {
            _ = match &self.1 {
                Some(lang) => self.0.set_attribute("lang", lang),
                None => self.0.remove_attribute("lang"),
            };
        }
    }

    #[test]
    async fn set_locale_switches_the_form_to_german_and_back() {
        let (_proxy, page, widget) = mounted("locale-de");
        widget.shell.locale.set(Some("en".into()));
        widget.shell.open.set(true);
        page.wait_for("field-custom-1").await;
        assert!(label(&page, "hd-subject").starts_with("Subject"));
        page.click("submit-ticket").await;
        assert_eq!(page.text("error-subject"), "This field is required.");

        widget.shell.locale.set(Some("de-DE".into()));
        tick().await;
        let subject = label(&page, "hd-subject");
        assert!(subject.starts_with("Betreff"), "{subject}");
        assert!(label(&page, "hd-user_email").starts_with("E-Mail"));
        assert_eq!(page.text("submit-ticket"), "Ticket senden");
        assert_eq!(page.text("tab-new"), "Neues Ticket");
        assert_eq!(
            page.text("error-subject"),
            "Bitte füllen Sie dieses Feld aus."
        );
        assert_eq!(
            page.text("form-error"),
            "Bitte prüfen Sie die unten markierten Felder."
        );
        assert_eq!(
            page.get("launcher").get_attribute("aria-label").as_deref(),
            Some("Support schließen")
        );

        widget.shell.locale.set(Some("en".into()));
        tick().await;
        assert_eq!(page.text("submit-ticket"), "Send ticket");
    }

    #[test]
    async fn the_host_pages_language_speaks_until_set_locale_says_otherwise() {
        let _lang = HtmlLang::set("fr-CA");
        let (_proxy, page, widget) = mounted("locale-html");
        widget.shell.open.set(true);
        page.wait_for("field-custom-1").await;
        assert_eq!(page.text("submit-ticket"), "Envoyer le ticket");
        widget.shell.locale.set(Some("ja".into()));
        tick().await;
        assert_eq!(page.text("submit-ticket"), "送信する");
        // A locale the widget does not have leaves the choice to the page.
        widget.shell.locale.set(Some("it".into()));
        tick().await;
        assert_eq!(page.text("submit-ticket"), "Envoyer le ticket");
    }

    #[test]
    async fn arabic_turns_the_widget_right_to_left() {
        let (_proxy, page, widget) = mounted("locale-ar");
        let root = || {
            let root = page.root.query_selector(".hd-root").ok().flatten();
            let root = root.expect("the widget's root");
            (root.get_attribute("dir"), root.get_attribute("lang"))
        };
        widget.shell.locale.set(Some("ar-EG".into()));
        tick().await;
        assert_eq!(root(), (Some("rtl".into()), Some("ar".into())));
        widget.shell.open.set(true);
        tick().await;
        assert_eq!(page.text("tab-history"), "تذاكري");

        widget.shell.locale.set(Some("zh-Hans".into()));
        tick().await;
        assert_eq!(root(), (Some("ltr".into()), Some("zh-CN".into())));
    }
}
