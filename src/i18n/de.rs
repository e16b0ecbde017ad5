//! Deutsch (Sie).

use super::Strings;

pub(crate) static STRINGS: Strings = Strings {
    lang: "de",
    dir: "ltr",

    open_support: "Support öffnen",
    close_support: "Support schließen",
    panel_label: "Support",
    title: "Wie können wir helfen?",
    subtitle: "Wir antworten meist innerhalb eines Tages.",
    new_ticket: "Neues Ticket",
    my_tickets: "Meine Tickets",

    email: "E-Mail",
    name: "Name",
    company: "Firma",
    subject: "Betreff",
    message: "Nachricht",
    category: "Kategorie",
    choose: "Bitte wählen…",
    priority: "Priorität",
    priority_low: "Niedrig",
    priority_medium: "Mittel",
    priority_high: "Hoch",
    required: "Pflichtfeld",
    sending: "Wird gesendet…",
    send_ticket: "Ticket senden",

    thanks: "Danke, Ihre Anfrage ist angekommen.",
    ticket_number: "Ihre Ticketnummer ist {id}. Wir antworten per E-Mail und unter „Meine Tickets“.",
    view_ticket: "Ticket ansehen",

    history_anonymous: "Hier erscheinen die Tickets, die Sie von diesem Browser aus senden. \
                        Wenn Sie auf dieser Website angemeldet sind, finden Sie hier alle Ihre Tickets.",
    tickets_for: "Tickets von {email}",
    tickets_from_browser: "Von diesem Browser gesendete Tickets",
    loading_tickets: "Ihre Tickets werden geladen…",
    no_tickets: "Sie haben noch keine Tickets.",
    updated: "Aktualisiert {time}",

    all_tickets: "← Alle Tickets",
    loading_thread: "Unterhaltung wird geladen…",
    your_reply: "Ihre Antwort",
    write_reply: "Antwort schreiben…",
    send_reply: "Antwort senden",
    write_reply_first: "Bitte schreiben Sie zuerst Ihre Antwort.",
    you: "Sie",
    support_team: "Support",
    yes: "Ja",
    no: "Nein",

    status_open: "Offen",
    status_new: "Neu",
    status_pending: "Wartend",
    status_on_hold: "Angehalten",
    status_waiting: "Wartend",
    status_answered: "Beantwortet",
    status_replied: "Beantwortet",
    status_closed: "Geschlossen",
    status_resolved: "Gelöst",
    status_solved: "Gelöst",

    problem_required: "Bitte füllen Sie dieses Feld aus.",
    problem_too_long: "Höchstens {max} Zeichen.",
    problem_invalid_email: "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    problem_name_is_email: "Bitte geben Sie einen Namen ein, keine E-Mail-Adresse.",
    problem_unknown_field: "Unbekanntes Feld.",
    problem_not_a_category: "Bitte wählen Sie eine der Kategorien.",
    problem_not_an_option: "Bitte wählen Sie eine der Optionen.",
    problem_not_a_checkbox: "Bitte ankreuzen oder leer lassen.",
    problem_not_a_number: "Bitte geben Sie eine Zahl ein.",
    problem_not_a_date: "Bitte geben Sie ein Datum im Format JJJJ-MM-TT ein.",

    error_network: "Der Support ist nicht erreichbar. \
                    Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    error_check_fields: "Bitte prüfen Sie die unten markierten Felder.",
    error_not_found: "Dieses Ticket wurde nicht gefunden.",
    error_unauthorized: "Wir wissen noch nicht, wer Sie sind. Melden Sie sich auf dieser \
                         Website an oder senden Sie ein Ticket von diesem Browser aus.",
    error_forbidden: "Das ist hier leider nicht möglich.",
    error_session_expired: "Ihre Sitzung ist abgelaufen. \
                            Bitte laden Sie die Seite neu oder melden Sie sich erneut an.",
    error_guest_pass_expired: "Der Zugriff auf Ihre Tickets von diesem Browser aus ist \
                               abgelaufen. Wir antworten Ihnen weiterhin per E-Mail.",
    error_forbidden_origin: "Der Support ist von dieser Website aus nicht erreichbar.",
    error_staff_email: "Diese Adresse gehört unserem Support-Team. \
                        Bitte verwenden Sie Ihre eigene.",
    error_idempotency_conflict: "Eine frühere Fassung ist bereits bei uns eingegangen. Bitte prüfen Sie Ihre Tickets, bevor Sie erneut senden.",
    error_spam_suspected: "Das ging schnell! \
                           Bitte prüfen Sie Ihre Nachricht und senden Sie sie erneut.",
    error_too_large: "Der Text ist zu lang zum Senden. Bitte kürzen Sie ihn.",
    error_rate_limited: "Zu viele Anfragen. \
                         Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
    error_upstream: "Der Helpdesk antwortet gerade nicht. \
                     Bitte versuchen Sie es gleich noch einmal.",
    error_internal: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",

    unread_one: "1 ungelesene Antwort",
    unread_many: "{n} ungelesene Antworten",
    new_reply: "Neue Antwort",
    new_divider: "Neu",
    not_sent_yet: "Noch nicht gesendet: Der Support ist gerade nicht erreichbar. Ihr Text bleibt auf diesem Gerät gespeichert und wird gesendet, sobald Sie wieder online sind – oder klicken Sie jetzt auf Senden.",
};
