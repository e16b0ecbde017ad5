//! 日本語（です・ます調）。チケットは利用者向けに「お問い合わせ」と呼ぶ。

use super::Strings;

pub(crate) static STRINGS: Strings = Strings {
    lang: "ja",
    dir: "ltr",

    open_support: "サポートを開く",
    close_support: "サポートを閉じる",
    panel_label: "サポート",
    title: "どのようなご用件でしょうか？",
    subtitle: "通常1日以内にご返信します。",
    new_ticket: "新しいお問い合わせ",
    my_tickets: "お問い合わせ履歴",

    email: "メールアドレス",
    name: "お名前",
    company: "会社名",
    subject: "件名",
    message: "メッセージ",
    category: "カテゴリ",
    choose: "選択してください",
    priority: "優先度",
    priority_low: "低",
    priority_medium: "中",
    priority_high: "高",
    required: "必須",
    sending: "送信中…",
    send_ticket: "送信する",

    thanks: "お問い合わせを受け付けました。",
    ticket_number: "お問い合わせ番号は {id} です。\
                    メールと「お問い合わせ履歴」でご返信します。",
    view_ticket: "お問い合わせを見る",

    history_anonymous: "このブラウザから送信したお問い合わせがここに表示されます。\
                        このサイトにログインしている場合は、すべてのお問い合わせがここに表示されます。",
    tickets_for: "{email} のお問い合わせ",
    tickets_from_browser: "このブラウザから送信したお問い合わせ",
    loading_tickets: "お問い合わせを読み込んでいます…",
    no_tickets: "お問い合わせはまだありません。",
    updated: "更新: {time}",

    all_tickets: "← お問い合わせ一覧",
    loading_thread: "やり取りを読み込んでいます…",
    your_reply: "返信",
    write_reply: "返信を入力…",
    send_reply: "返信する",
    write_reply_first: "返信を入力してください。",
    you: "あなた",
    support_team: "サポート",
    yes: "はい",
    no: "いいえ",

    status_open: "オープン",
    status_new: "新規",
    status_pending: "保留中",
    status_on_hold: "待機中",
    status_waiting: "返答待ち",
    status_answered: "回答済み",
    status_replied: "返信済み",
    status_closed: "終了",
    status_resolved: "解決済み",
    status_solved: "解決済み",

    problem_required: "この項目は必須です。",
    problem_too_long: "{max} 文字以内で入力してください。",
    problem_invalid_email: "有効なメールアドレスを入力してください。",
    problem_name_is_email: "メールアドレスではなく、お名前を入力してください。",
    problem_unknown_field: "不明な項目です。",
    problem_not_a_category: "カテゴリを選択してください。",
    problem_not_an_option: "選択肢から選んでください。",
    problem_not_a_checkbox: "チェックを入れるか、空欄のままにしてください。",
    problem_not_a_number: "数値を入力してください。",
    problem_not_a_date: "日付を YYYY-MM-DD の形式で入力してください。",

    error_network: "サポートに接続できませんでした。接続を確認して、もう一度お試しください。",
    error_check_fields: "下記の項目をご確認ください。",
    error_not_found: "お問い合わせが見つかりませんでした。",
    error_unauthorized: "ご本人を確認できません。このサイトにログインするか、\
                         このブラウザからお問い合わせを送信してください。",
    error_forbidden: "この操作はここでは行えません。",
    error_session_expired: "セッションの有効期限が切れました。\
                            ページを再読み込みするか、もう一度ログインしてください。",
    error_guest_pass_expired: "このブラウザでお問い合わせを表示できる期間が終了しました。\
                               引き続きメールでご返信します。",
    error_forbidden_origin: "このウェブサイトからはサポートに接続できません。",
    error_staff_email: "このアドレスはサポートチームのものです。ご自身のアドレスをお使いください。",
    error_idempotency_conflict: "以前の内容はすでに受け付けています。もう一度送信する前に、チケットをご確認ください。",
    error_spam_suspected: "送信が早すぎます。内容をご確認のうえ、もう一度送信してください。",
    error_too_large: "長すぎるため送信できません。短くしてください。",
    error_rate_limited: "リクエストが多すぎます。1分ほど待ってから、もう一度お試しください。",
    error_upstream: "ヘルプデスクが現在応答していません。しばらくしてから、もう一度お試しください。",
    error_internal: "問題が発生しました。もう一度お試しください。",

    unread_one: "未読の返信 1 件",
    unread_many: "未読の返信 {n} 件",
    new_reply: "新しい返信",
    new_divider: "新着",
    not_sent_yet: "まだ送信されていません。サポートに接続できませんでした。入力内容はこの端末に保存され、オンラインに戻ると送信されます。今すぐ試すには「送信」を押してください。",
};
