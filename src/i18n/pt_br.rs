//! Português do Brasil ("chamado" é o termo usual para ticket de suporte).

use super::Strings;

pub(crate) static STRINGS: Strings = Strings {
    lang: "pt-BR",
    dir: "ltr",

    open_support: "Abrir suporte",
    close_support: "Fechar suporte",
    panel_label: "Suporte",
    title: "Como podemos ajudar?",
    subtitle: "Costumamos responder em até um dia.",
    new_ticket: "Novo chamado",
    my_tickets: "Meus chamados",

    email: "E-mail",
    name: "Nome",
    company: "Empresa",
    subject: "Assunto",
    message: "Mensagem",
    category: "Categoria",
    choose: "Selecione…",
    priority: "Prioridade",
    priority_low: "Baixa",
    priority_medium: "Média",
    priority_high: "Alta",
    required: "Obrigatório",
    sending: "Enviando…",
    send_ticket: "Enviar chamado",

    thanks: "Obrigado, recebemos sua mensagem.",
    ticket_number: "O número do seu chamado é {id}. \
                    Responderemos por e-mail e em Meus chamados.",
    view_ticket: "Ver chamado",

    history_anonymous: "Os chamados que você enviar deste navegador aparecerão aqui. \
                        Se você estiver conectado neste site, encontrará todos os seus chamados aqui.",
    tickets_for: "Chamados de {email}",
    tickets_from_browser: "Chamados enviados deste navegador",
    loading_tickets: "Carregando seus chamados…",
    no_tickets: "Você ainda não tem chamados.",
    updated: "Atualizado {time}",

    all_tickets: "← Todos os chamados",
    loading_thread: "Carregando a conversa…",
    your_reply: "Sua resposta",
    write_reply: "Escreva uma resposta…",
    send_reply: "Enviar resposta",
    write_reply_first: "Escreva sua resposta primeiro.",
    you: "Você",
    support_team: "Suporte",
    yes: "Sim",
    no: "Não",

    status_open: "Aberto",
    status_new: "Novo",
    status_pending: "Pendente",
    status_on_hold: "Em espera",
    status_waiting: "Aguardando",
    status_answered: "Respondido",
    status_replied: "Respondido",
    status_closed: "Fechado",
    status_resolved: "Resolvido",
    status_solved: "Resolvido",

    problem_required: "Este campo é obrigatório.",
    problem_too_long: "No máximo {max} caracteres.",
    problem_invalid_email: "Informe um e-mail válido.",
    problem_name_is_email: "Informe um nome, não um e-mail.",
    problem_unknown_field: "Campo desconhecido.",
    problem_not_a_category: "Escolha uma das categorias.",
    problem_not_an_option: "Escolha uma das opções.",
    problem_not_a_checkbox: "Marque a caixa ou deixe-a em branco.",
    problem_not_a_number: "Informe um número.",
    problem_not_a_date: "Informe uma data no formato AAAA-MM-DD.",

    error_network: "Não foi possível contatar o suporte. \
                    Verifique sua conexão e tente novamente.",
    error_check_fields: "Verifique os campos destacados abaixo.",
    error_not_found: "Não encontramos esse chamado.",
    error_unauthorized: "Ainda não sabemos quem você é. Entre neste site \
                         ou envie um chamado deste navegador.",
    error_forbidden: "Você não pode fazer isso aqui.",
    error_session_expired: "Sua sessão expirou. Recarregue a página ou entre novamente.",
    error_guest_pass_expired: "O acesso aos seus chamados neste navegador expirou. \
                               Continuaremos respondendo por e-mail.",
    error_forbidden_origin: "O suporte não pode ser acessado a partir deste site.",
    error_staff_email: "Esse endereço pertence à nossa equipe de suporte. Use o seu próprio.",
    error_idempotency_conflict: "Já recebemos uma versão anterior. Confira seus tickets antes de enviar novamente.",
    error_spam_suspected: "Essa foi rápida! Confira sua mensagem e envie novamente.",
    error_too_large: "O texto é longo demais para enviar. Encurte-o, por favor.",
    error_rate_limited: "Muitas solicitações. Aguarde um minuto e tente novamente.",
    error_upstream: "A central de atendimento não está respondendo agora. \
                     Tente novamente em instantes.",
    error_internal: "Algo deu errado do nosso lado. Tente novamente.",

    unread_one: "1 resposta não lida",
    unread_many: "{n} respostas não lidas",
    new_reply: "Nova resposta",
    new_divider: "Novo",
    not_sent_yet: "Ainda não enviado: não conseguimos falar com o suporte. O que você escreveu fica salvo neste dispositivo e será enviado quando você voltar a ficar online, ou clique em Enviar para tentar agora.",
};
