//! The widget's words in each language: one file per locale, each one [`Strings`] value, so a
//! missing message is a compile error. Adding a locale is one file, its tag in [`TAGS`], and its
//! line in `LOCALES` and in [`crate::chunks::words`] (the split build fetches each locale but
//! English when it is wanted).
//!
//! Components read the words through the [`I18n`] handle: `t.text(|s| s.send_ticket)` in a view
//! (one closure type for every message, so each costs no extra code), or `t.get().send_ticket`
//! inside a closure that is reactive anyway. Messages with a value in them carry a `{name}`
//! placeholder, filled with [`fill`] or split around an element with [`around`].

pub(crate) mod ar;
mod choose;
pub(crate) mod de;
pub(crate) mod en;
pub(crate) mod es;
pub(crate) mod fr;
pub(crate) mod ja;
pub(crate) mod pt_br;
pub(crate) mod zh_cn;

use crate::api::Finding;
use crate::reactive::{effect, memo};
use crate::shell::Shell;
use helpdock_wire::Priority;
use helpdock_wire::validate::Problem;
use leptos::prelude::*;

/// Every locale the widget speaks, by its `lang`; the first, English, is the fallback and always
/// at hand. The words of the others may be a fetch away ([`crate::chunks::words`]).
pub const TAGS: [&str; 8] = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"];

/// Every locale's words, in [`TAGS`]' order. Not in the split build: a reference from the main
/// module would keep every locale's words there.
#[cfg(not(helpdock_split))]
pub(crate) static LOCALES: [&Strings; TAGS.len()] = [
    &en::STRINGS,
    &de::STRINGS,
    &fr::STRINGS,
    &es::STRINGS,
    &pt_br::STRINGS,
    &ja::STRINGS,
    &zh_cn::STRINGS,
    &ar::STRINGS,
];

/// Picks one message from a locale's [`Strings`]: `|s| s.send_ticket`.
pub type Message = fn(&'static Strings) -> &'static str;

/// Every message the widget shows, in one language.
pub struct Strings {
    /// The BCP 47 tag, as `lang` and `Intl` take it ("pt-BR").
    pub lang: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,

    /// The launcher's label while the panel is closed.
    pub open_support: &'static str,
    /// The launcher's and the close button's label while the panel is open.
    pub close_support: &'static str,
    /// The panel's accessible name.
    pub panel_label: &'static str,
    /// The panel's heading.
    pub title: &'static str,
    /// Under the heading.
    pub subtitle: &'static str,
    /// The first tab, and the confirmation's button for another ticket.
    pub new_ticket: &'static str,
    /// The second tab: the visitor's tickets.
    pub my_tickets: &'static str,

    /// Form label.
    pub email: &'static str,
    /// Form label: the visitor's name.
    pub name: &'static str,
    /// Form label.
    pub company: &'static str,
    /// Form label.
    pub subject: &'static str,
    /// Form label.
    pub message: &'static str,
    /// Form label.
    pub category: &'static str,
    /// A select's empty first option.
    pub choose: &'static str,
    /// Form label.
    pub priority: &'static str,
    /// Priority `low`.
    pub priority_low: &'static str,
    /// Priority `medium`.
    pub priority_medium: &'static str,
    /// Priority `high`.
    pub priority_high: &'static str,
    /// The tooltip of a required field's asterisk.
    pub required: &'static str,
    /// A send button while sending.
    pub sending: &'static str,
    /// The form's send button.
    pub send_ticket: &'static str,

    /// The confirmation's heading.
    pub thanks: &'static str,
    /// The confirmation; `{id}` is the ticket number.
    pub ticket_number: &'static str,
    /// The confirmation's button to the new ticket's thread.
    pub view_ticket: &'static str,

    /// "My tickets" for a visitor with neither identity nor guest pass.
    pub history_anonymous: &'static str,
    /// Above a verified visitor's tickets; `{email}` is theirs.
    pub tickets_for: &'static str,
    /// Above a guest's tickets.
    pub tickets_from_browser: &'static str,
    /// While the list loads.
    pub loading_tickets: &'static str,
    /// An empty list.
    pub no_tickets: &'static str,
    /// A row's last change; `{time}` is a relative time from `Intl` ("3 minutes ago").
    pub updated: &'static str,

    /// Back from a thread to the list (the arrow points back in the reading direction).
    pub all_tickets: &'static str,
    /// While a thread loads.
    pub loading_thread: &'static str,
    /// The reply box's label.
    pub your_reply: &'static str,
    /// The reply box's placeholder.
    pub write_reply: &'static str,
    /// The reply's send button.
    pub send_reply: &'static str,
    /// A reply sent empty.
    pub write_reply_first: &'static str,
    /// Who wrote a message: the visitor.
    pub you: &'static str,
    /// Who wrote a message: the support team.
    pub support_team: &'static str,
    /// A ticked checkbox field.
    pub yes: &'static str,
    /// An unticked checkbox field.
    pub no: &'static str,

    /// Status `open` (shown capitalised by the stylesheet).
    pub status_open: &'static str,
    /// Status `new`.
    pub status_new: &'static str,
    /// Status `pending`.
    pub status_pending: &'static str,
    /// Status `on hold`.
    pub status_on_hold: &'static str,
    /// Status `waiting`.
    pub status_waiting: &'static str,
    /// Status `answered`.
    pub status_answered: &'static str,
    /// Status `replied`.
    pub status_replied: &'static str,
    /// Status `closed`.
    pub status_closed: &'static str,
    /// Status `resolved`.
    pub status_resolved: &'static str,
    /// Status `solved`.
    pub status_solved: &'static str,

    /// [`Problem::Required`].
    pub problem_required: &'static str,
    /// [`Problem::TooLong`]; `{max}` is the number of characters.
    pub problem_too_long: &'static str,
    /// [`Problem::InvalidEmail`].
    pub problem_invalid_email: &'static str,
    /// [`Problem::NameLooksLikeEmail`].
    pub problem_name_is_email: &'static str,
    /// [`Problem::UnknownField`].
    pub problem_unknown_field: &'static str,
    /// [`Problem::NotACategory`].
    pub problem_not_a_category: &'static str,
    /// [`Problem::NotAnOption`].
    pub problem_not_an_option: &'static str,
    /// [`Problem::NotACheckbox`].
    pub problem_not_a_checkbox: &'static str,
    /// [`Problem::NotANumber`].
    pub problem_not_a_number: &'static str,
    /// [`Problem::NotADate`].
    pub problem_not_a_date: &'static str,

    /// No answer at all (offline, blocked).
    pub error_network: &'static str,
    /// Above a form with fields marked.
    pub error_check_fields: &'static str,
    /// `not_found`.
    pub error_not_found: &'static str,
    /// `unauthorized`.
    pub error_unauthorized: &'static str,
    /// `forbidden`.
    pub error_forbidden: &'static str,
    /// `invalid_signature`, `signature_expired`.
    pub error_session_expired: &'static str,
    /// `invalid_guest_pass`, `guest_pass_expired`.
    pub error_guest_pass_expired: &'static str,
    /// `forbidden_origin`.
    pub error_forbidden_origin: &'static str,
    /// `staff_email`.
    pub error_staff_email: &'static str,
    /// `idempotency_conflict`.
    pub error_idempotency_conflict: &'static str,
    /// `spam_suspected`.
    pub error_spam_suspected: &'static str,
    /// `payload_too_large`.
    pub error_too_large: &'static str,
    /// `rate_limited`.
    pub error_rate_limited: &'static str,
    /// `upstream_unavailable`, `upstream_timeout`.
    pub error_upstream: &'static str,
    /// `internal` and anything unknown.
    pub error_internal: &'static str,

    /// The launcher's badge, read aloud: one unread thread.
    pub unread_one: &'static str,
    /// The launcher's badge, read aloud; `{n}` is the number of unread threads.
    pub unread_many: &'static str,
    /// Beside a ticket in "My tickets" with a support reply not yet seen.
    pub new_reply: &'static str,
    /// In a thread, above the first reply from support the visitor had not seen.
    pub new_divider: &'static str,
    /// While a send waits for the network (form and reply box).
    pub not_sent_yet: &'static str,
}

/// The message for a priority.
pub fn priority(priority: Priority) -> Message {
    match priority {
        Priority::Low => |s| s.priority_low,
        Priority::Medium => |s| s.priority_medium,
        Priority::High => |s| s.priority_high,
    }
}

impl Strings {
    /// The words for a helpdesk status it is known to use; `None` for others (shown as given).
    pub fn status(&self, status: &str) -> Option<&'static str> {
        let said = match status.trim().to_ascii_lowercase().as_str() {
            "open" => self.status_open,
            "new" => self.status_new,
            "pending" => self.status_pending,
            "on hold" | "on-hold" | "on_hold" => self.status_on_hold,
            "waiting" => self.status_waiting,
            "answered" => self.status_answered,
            "replied" => self.status_replied,
            "closed" => self.status_closed,
            "resolved" => self.status_resolved,
            "solved" => self.status_solved,
            _ => return None,
        };
        Some(said)
    }

    /// The words for what is wrong with a field.
    pub fn problem(&self, problem: Problem) -> String {
        match problem {
            Problem::Required => self.problem_required,
            Problem::TooLong { max } => {
                return fill(self.problem_too_long, "{max}", &max.to_string());
            }
            Problem::InvalidEmail => self.problem_invalid_email,
            Problem::NameLooksLikeEmail => self.problem_name_is_email,
            Problem::UnknownField => self.problem_unknown_field,
            Problem::NotACategory => self.problem_not_a_category,
            Problem::NotAnOption => self.problem_not_an_option,
            Problem::NotACheckbox => self.problem_not_a_checkbox,
            Problem::NotANumber => self.problem_not_a_number,
            Problem::NotADate => self.problem_not_a_date,
            // `findings` shows an unknown kind's English instead; this is a last resort.
            Problem::Unknown => self.error_check_fields,
        }
        .into()
    }

    /// A field's finding as the visitor reads it: a kind of problem in this language, any other
    /// text as it came.
    pub fn finding(&self, finding: &Finding) -> String {
        match finding {
            Finding::Problem(problem) => self.problem(*problem),
            Finding::Said(text) => text.clone(),
        }
    }
}

/// The locale for one BCP 47 tag, matched as for the visitor (English when none fits).
#[cfg(not(helpdock_split))]
pub fn for_tag(tag: &str) -> &'static Strings {
    LOCALES[choose::choose(&[tag.to_owned()])]
}

/// `text` with `placeholder` replaced by `value`.
pub fn fill(text: &str, placeholder: &str, value: &str) -> String {
    text.replace(placeholder, value)
}

/// The parts of `text` before and after `placeholder`, to put an element between them.
pub fn around(text: &'static str, placeholder: &str) -> (&'static str, &'static str) {
    text.split_once(placeholder).unwrap_or((text, ""))
}

/// The locale's words, compared by which locale they are (no need to compare every message).
#[derive(Clone, Copy)]
struct Chosen(&'static Strings);

impl PartialEq for Chosen {
    fn eq(&self, other: &Chosen) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// The widget's words in the visitor's language, following `Helpdock('setLocale', …)`; `Copy`.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The words shown: the wanted locale's, or while they are fetched the ones shown before.
    chosen: Memo<Chosen>,
    /// The wanted locale, by index of [`TAGS`].
    wanted: Memo<usize>,
    /// The locale whose fetch finished last, whether it brought the words or not.
    arrived: RwSignal<Option<usize>>,
}

impl I18n {
    /// Chooses the locale (the shell's, then the page's, then the browser's), fetches its words
    /// when they are not at hand, and provides it as context to the components below.
    pub fn provide() -> I18n {
        let asked = use_context::<Shell>().map(|shell| shell.locale);
        let wanted = memo(move || {
            let asked = asked.as_ref().and_then(|locale| locale.get());
            choose::choose(&choose::preferences(asked))
        });
        let arrived = RwSignal::new(None);
        let chosen = Memo::new(move |before: Option<&Chosen>| {
            arrived.track();
            match crate::chunks::words_now(wanted.get()) {
                Some(words) => Chosen(words),
                None => before.copied().unwrap_or(Chosen(&en::STRINGS)),
            }
        });
        effect(move || {
            let index = wanted.get();
            if crate::chunks::words_now(index).is_none() {
                leptos::task::spawn_local(async move {
                    crate::chunks::words(index).await;
                    arrived.try_set(Some(index));
                });
            }
        });
        let i18n = I18n {
            chosen,
            wanted,
            arrived,
        };
        provide_context(i18n);
        i18n
    }

    /// Whether the wanted locale's words are shown, or could not be fetched (English or the
    /// words before stay); tracked. Only the split build ever waits.
    pub fn ready(self) -> bool {
        let wanted = self.wanted.get();
        crate::chunks::words_now(wanted).is_some() || self.arrived.get() == Some(wanted)
    }

    /// The chosen locale's words; tracked, so a closure reading it follows a change of locale.
    pub fn get(self) -> &'static Strings {
        self.chosen.get().0
    }

    /// The chosen locale's words, untracked (for values kept rather than shown).
    pub fn get_untracked(self) -> &'static Strings {
        self.chosen.get_untracked().0
    }

    /// A helpdesk status word, reactive: the locale's words for it, or the word as given.
    pub fn status(self, status: String) -> impl Fn() -> String + Send + Sync + 'static {
        move || {
            self.get()
                .status(&status)
                .map_or_else(|| status.clone(), str::to_owned)
        }
    }

    /// An instant as a date and time in the chosen locale, reactive (`None`: not a time).
    pub fn date_time(self, instant: String) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        move || crate::time::date_time(&instant, self.get().lang)
    }

    /// One message as a reactive text or attribute: `{t.text(|s| s.send_ticket)}`.
    pub fn text(self, pick: Message) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(self.get())
    }
}

/// The [`I18n`] provided above, or one chosen here (components mounted alone, in tests).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(I18n::provide)
}

#[cfg(test)]
mod tests;
