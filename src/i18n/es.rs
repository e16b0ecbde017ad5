//! Español (usted, neutro).

use super::Strings;

pub(crate) static STRINGS: Strings = Strings {
    lang: "es",
    dir: "ltr",

    open_support: "Abrir soporte",
    close_support: "Cerrar soporte",
    panel_label: "Soporte",
    title: "¿Cómo podemos ayudarle?",
    subtitle: "Solemos responder en menos de un día.",
    new_ticket: "Nuevo ticket",
    my_tickets: "Mis tickets",

    email: "Correo electrónico",
    name: "Nombre",
    company: "Empresa",
    subject: "Asunto",
    message: "Mensaje",
    category: "Categoría",
    choose: "Elegir…",
    priority: "Prioridad",
    priority_low: "Baja",
    priority_medium: "Media",
    priority_high: "Alta",
    required: "Obligatorio",
    sending: "Enviando…",
    send_ticket: "Enviar ticket",

    thanks: "Gracias, lo hemos recibido.",
    ticket_number: "Su número de ticket es {id}. \
                    Le responderemos por correo electrónico y en Mis tickets.",
    view_ticket: "Ver ticket",

    history_anonymous: "Aquí aparecerán los tickets que envíe desde este navegador. \
                        Si ha iniciado sesión en este sitio, encontrará aquí todos sus tickets.",
    tickets_for: "Tickets de {email}",
    tickets_from_browser: "Tickets enviados desde este navegador",
    loading_tickets: "Cargando sus tickets…",
    no_tickets: "Aún no tiene tickets.",
    updated: "Actualizado {time}",

    all_tickets: "← Todos los tickets",
    loading_thread: "Cargando la conversación…",
    your_reply: "Su respuesta",
    write_reply: "Escriba una respuesta…",
    send_reply: "Enviar respuesta",
    write_reply_first: "Escriba primero su respuesta.",
    you: "Usted",
    support_team: "Soporte",
    yes: "Sí",
    no: "No",

    status_open: "Abierto",
    status_new: "Nuevo",
    status_pending: "Pendiente",
    status_on_hold: "En espera",
    status_waiting: "Esperando",
    status_answered: "Respondido",
    status_replied: "Respondido",
    status_closed: "Cerrado",
    status_resolved: "Resuelto",
    status_solved: "Resuelto",

    problem_required: "Este campo es obligatorio.",
    problem_too_long: "Máximo {max} caracteres.",
    problem_invalid_email: "Introduzca un correo electrónico válido.",
    problem_name_is_email: "Introduzca un nombre, no un correo electrónico.",
    problem_unknown_field: "Campo desconocido.",
    problem_not_a_category: "Elija una de las categorías.",
    problem_not_an_option: "Elija una de las opciones.",
    problem_not_a_checkbox: "Marque la casilla o déjela vacía.",
    problem_not_a_number: "Introduzca un número.",
    problem_not_a_date: "Introduzca una fecha con el formato AAAA-MM-DD.",

    error_network: "No pudimos conectar con soporte. \
                    Compruebe su conexión e inténtelo de nuevo.",
    error_check_fields: "Revise los campos marcados a continuación.",
    error_not_found: "No encontramos ese ticket.",
    error_unauthorized: "Aún no sabemos quién es usted. Inicie sesión en este sitio \
                         o envíe un ticket desde este navegador.",
    error_forbidden: "No puede hacer eso aquí.",
    error_session_expired: "Su sesión ha caducado. \
                            Vuelva a cargar la página o inicie sesión de nuevo.",
    error_guest_pass_expired: "El acceso a sus tickets desde este navegador ha caducado. \
                               Seguiremos respondiéndole por correo electrónico.",
    error_forbidden_origin: "No se puede acceder al soporte desde este sitio web.",
    error_staff_email: "Esa dirección pertenece a nuestro equipo de soporte. \
                        Use la suya, por favor.",
    error_idempotency_conflict: "Ya recibimos una versión anterior. Revise sus tickets antes de volver a enviarlo.",
    error_spam_suspected: "¡Qué rapidez! Revise su mensaje y vuelva a enviarlo.",
    error_too_large: "Es demasiado largo para enviarlo. Acórtelo, por favor.",
    error_rate_limited: "Demasiadas solicitudes. Espere un minuto e inténtelo de nuevo.",
    error_upstream: "El servicio de soporte no responde en este momento. \
                     Inténtelo de nuevo en unos instantes.",
    error_internal: "Algo salió mal por nuestra parte. Inténtelo de nuevo.",

    unread_one: "1 respuesta sin leer",
    unread_many: "{n} respuestas sin leer",
    new_reply: "Nueva respuesta",
    new_divider: "Nuevo",
    not_sent_yet: "Aún no se ha enviado: no pudimos contactar con soporte. Lo que escribió se guarda en este dispositivo y se enviará cuando vuelva a tener conexión, o pulse Enviar para intentarlo ahora.",
};
