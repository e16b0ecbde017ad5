//! Français (vous). Espaces insécables avant « ? ! » et dans les guillemets.

use super::Strings;

pub(crate) static STRINGS: Strings = Strings {
    lang: "fr",
    dir: "ltr",

    open_support: "Ouvrir l’assistance",
    close_support: "Fermer l’assistance",
    panel_label: "Assistance",
    title: "Comment pouvons-nous vous aider\u{a0}?",
    subtitle: "Nous répondons généralement sous 24\u{a0}heures.",
    new_ticket: "Nouveau ticket",
    my_tickets: "Mes tickets",

    email: "E-mail",
    name: "Nom",
    company: "Entreprise",
    subject: "Objet",
    message: "Message",
    category: "Catégorie",
    choose: "Choisir…",
    priority: "Priorité",
    priority_low: "Basse",
    priority_medium: "Moyenne",
    priority_high: "Haute",
    required: "Obligatoire",
    sending: "Envoi…",
    send_ticket: "Envoyer le ticket",

    thanks: "Merci, nous avons bien reçu votre demande.",
    ticket_number: "Votre numéro de ticket est le {id}. \
                    Nous vous répondrons par e-mail et dans «\u{a0}Mes tickets\u{a0}».",
    view_ticket: "Voir le ticket",

    history_anonymous: "Les tickets envoyés depuis ce navigateur apparaîtront ici. \
                        Si vous êtes connecté à ce site, vous y trouverez tous vos tickets.",
    tickets_for: "Tickets de {email}",
    tickets_from_browser: "Tickets envoyés depuis ce navigateur",
    loading_tickets: "Chargement de vos tickets…",
    no_tickets: "Vous n’avez encore aucun ticket.",
    updated: "Mis à jour {time}",

    all_tickets: "← Tous les tickets",
    loading_thread: "Chargement de la conversation…",
    your_reply: "Votre réponse",
    write_reply: "Écrire une réponse…",
    send_reply: "Envoyer la réponse",
    write_reply_first: "Écrivez d’abord votre réponse.",
    you: "Vous",
    support_team: "Assistance",
    yes: "Oui",
    no: "Non",

    status_open: "Ouvert",
    status_new: "Nouveau",
    status_pending: "En attente",
    status_on_hold: "En pause",
    status_waiting: "En attente",
    status_answered: "Répondu",
    status_replied: "Répondu",
    status_closed: "Fermé",
    status_resolved: "Résolu",
    status_solved: "Résolu",

    problem_required: "Ce champ est obligatoire.",
    problem_too_long: "{max}\u{a0}caractères maximum.",
    problem_invalid_email: "Saisissez une adresse e-mail valide.",
    problem_name_is_email: "Saisissez un nom, pas une adresse e-mail.",
    problem_unknown_field: "Champ inconnu.",
    problem_not_a_category: "Choisissez l’une des catégories.",
    problem_not_an_option: "Choisissez l’une des options.",
    problem_not_a_checkbox: "Cochez la case ou laissez-la vide.",
    problem_not_a_number: "Saisissez un nombre.",
    problem_not_a_date: "Saisissez une date au format AAAA-MM-JJ.",

    error_network: "Impossible de joindre l’assistance. \
                    Vérifiez votre connexion et réessayez.",
    error_check_fields: "Veuillez vérifier les champs indiqués ci-dessous.",
    error_not_found: "Ce ticket est introuvable.",
    error_unauthorized: "Nous ne savons pas encore qui vous êtes. Connectez-vous sur ce site \
                         ou envoyez un ticket depuis ce navigateur.",
    error_forbidden: "Cette action n’est pas autorisée ici.",
    error_session_expired: "Votre session a expiré. Rechargez la page ou reconnectez-vous.",
    error_guest_pass_expired: "L’accès à vos tickets depuis ce navigateur a expiré. \
                               Nous continuerons à vous répondre par e-mail.",
    error_forbidden_origin: "L’assistance n’est pas accessible depuis ce site.",
    error_staff_email: "Cette adresse appartient à notre équipe d’assistance. \
                        Veuillez utiliser la vôtre.",
    error_idempotency_conflict: "Une version précédente nous est déjà parvenue. Vérifiez vos tickets avant de renvoyer.",
    error_spam_suspected: "C’était rapide\u{a0}! Vérifiez votre message et renvoyez-le.",
    error_too_large: "Le texte est trop long pour être envoyé. Veuillez le raccourcir.",
    error_rate_limited: "Trop de demandes. Patientez une minute, puis réessayez.",
    error_upstream: "Le service d’assistance ne répond pas pour le moment. \
                     Réessayez dans un instant.",
    error_internal: "Une erreur s’est produite de notre côté. Veuillez réessayer.",

    unread_one: "1 réponse non lue",
    unread_many: "{n} réponses non lues",
    new_reply: "Nouvelle réponse",
    new_divider: "Nouveau",
    not_sent_yet: "Pas encore envoyé : le support est injoignable. Votre texte est conservé sur cet appareil et sera envoyé dès votre retour en ligne, ou cliquez sur Envoyer pour réessayer.",
};
