//! 調べる流れ全体の日本語：進み具合、診断、質問、手元での確認、ネットワーク、DNS。

use crate::i18n::{DnsTexts, FindingTexts, LocalTexts, NetworkTexts, ProgressTexts, QuestionTexts};

pub(in crate::i18n) const PROGRESS: ProgressTexts = ProgressTexts {
    heading: "{host} をすべての送信用ポートで調べています",
    deadline: "長くても {seconds} 秒で終わります。",
    remaining: "残り {seconds} 秒",
    overdue: "まもなく終わります…",
    live: "{total} 個のポートのうち {done} 個を調べ終わりました",
    waiting: "接続しています…",
    running: "ここまで完了：{step}",
    not_tested: "ここからは調べられません",
    summary_heading: "ポートごとの結果",
    col_port: "ポート",
    col_security: "暗号化",
    col_result: "結果",
    col_time: "時間",
    details_heading: "{port}番ポート（{security}）の詳細",
    not_tested_headline: "{port}番ポートは sendcheck のサーバーからは調べられません",
    not_tested_explanation: "sendcheck が動いているクラウドは、25番ポートへの接続を外に出さない\
        ため、この結果はお使いのサーバーについて何も示しません。サーバーが動いているかは他の\
        ポートの結果で、お使いのネットワークが25番ポートを通すかは、「お使いのパソコン\
        から確かめる」の欄でわかります。",
    ports_note: "入力したポートのほかに、よく使われるポート（587 の STARTTLS、465 の SSL/TLS、\
        25）も必ず調べます。ポートが遮断されているのか、サーバーの問題なのかを見分けるためです。",
    repeat: "もう一度確認しています（{runs} 回中 {run} 回目）。サーバーの応答が遅れたり途中で切れたりしました。\
        ときどき起きる障害は、同じ確認を繰り返して初めて見えます。",
};

pub(in crate::i18n) const FINDINGS: FindingTexts = FindingTexts {
    heading: "もっとも考えられる原因",
    waiting: "調べ終わると、もっとも考えられる原因とその直し方がここに表示されます。",
    preparing: "説明を準備しています…",
    load_failed: "説明を読み込めませんでした（{detail}）。各ポートの結果は下にあります。\
        もう一度試すか、ページを再読み込みしてください。",
    retry: "もう一度試す",
    nothing_found: "sendcheck には特定の原因が見つかりませんでした。各ポートの結果は下にあります。",
    others_heading: "ほかに考えられる原因",
    confidence_label: "確かさ：",
    confidence_high: "可能性が非常に高い",
    confidence_medium: "可能性が高い",
    confidence_low: "可能性がある",
    evidence_for: "そう考える理由",
    evidence_against: "反対の材料",
    fixes_heading: "やること",
    audience_server_admin: "サーバー管理者の方へのメモ",
    audience_provider: "メールのプロバイダーやレンタルサーバー会社へ",
    audience_network: "インターネットのプロバイダーやネットワーク管理者へ",
    settings_caption: "メールソフトの送信メールサーバー（SMTP）の設定",
    settings_host: "サーバー",
    settings_port: "ポート",
    settings_security: "暗号化",
    settings_auth: "認証",
    settings_auth_on: "オン：メールボックスのユーザー名とパスワード",
    settings_auth_off: "オフ",
    use_settings: "この設定で調べ直す",
    steps_heading: "変更する場所",
    decoded_heading: "お使いのエラーメッセージ",
    decoded_none: "このテキストには sendcheck が知っているコードや言い回しが見つかりません。\
        回答としては残しておきます。",
    decoded_candidates: "このエラーになる原因（可能性の高い順）：",
    decoded_truncated: "テキストが長いため、最初の部分だけを読みました。",
    decoded_waiting: "エラーメッセージを読んでいます…",
    source_outside: "sendcheckによる{port}番ポートの確認、手順「{step}」、{time}",
    source_runs: "sendcheckによる{port}番ポートの確認：成功 {ok} 回、失敗 {failed} 回",
    source_not_tested:
        "sendcheckによる{port}番ポートの確認（sendcheck のサーバーからは調べられません）",
    source_network: "sendcheck から見たお使いのネットワーク：「{network}」",
    source_local: "お使いのパソコンでの{port}番ポートの確認（{tool}）",
    source_said: "ご回答（{question}）",
    source_error: "お使いのエラーメッセージ：{code}",
    source_knowledge: "sendcheck の資料：{reference}",
    source_other: "そのほかの観察",
    answer_fields: &[
        ("receiving_works", "メールの受信はできるか"),
        ("web_works", "ウェブページは開けるか"),
        ("other_servers_work", "ほかのメールサーバーでは送れるか"),
        ("client", "お使いのメールソフト"),
        ("configured", "送信メールサーバーの設定"),
        ("error_text", "エラーメッセージ"),
        ("email_domain", "メールアドレス"),
        ("security_software", "セキュリティソフト"),
        ("recent_changes", "最近変わったこと"),
        ("since", "いつから送信できないか"),
    ],
    answer_field_other: "あなたの回答",
};

pub(in crate::i18n) const QUESTIONS: QuestionTexts = QuestionTexts {
    heading: "もう少し教えてください（任意）",
    intro: "答えるほど診断が正確になり、答えるたびに更新されます。回答はこのページの中だけで使い、\
        外に送るのはメールアドレスのドメインの問い合わせだけです（「ドメインが公開している情報」）。",
    receiving: "メールの受信はできますか？",
    web: "ウェブページは普通に開けますか？",
    other_servers: "同じネットワークから、ほかのメールサーバー（プロバイダーのウェブメールなど）\
        では送れますか？",
    logs_in: "メールソフトは送信時にログインしますか？（「送信サーバー（SMTP）は認証が必要」が\
        オン）",
    unknown: "わからない",
    yes: "はい",
    no: "いいえ",
    client: "お使いのメールソフト",
    client_unknown: "わからない・一覧にない",
    clients: &[
        ("outlook", "Outlook（Windows）"),
        ("outlook_express", "Windows Live メール / Outlook Express"),
        ("thunderbird", "Thunderbird"),
        ("apple_mail", "Mac のメール"),
        ("ios", "iPhone / iPad のメール"),
        ("android", "Android（Gmail アプリなど）"),
        ("gmail_send_as", "Gmail の「他のアドレスからメールを送信」"),
        ("becky", "Becky! Internet Mail"),
        ("other", "そのほかのソフト"),
    ],
    since: "いつから送信できませんか？",
    since_options: &[
        ("today", "今日から"),
        ("this_week", "数日前から"),
        ("longer", "もっと前から（以前は送れていた）"),
        ("never_worked", "この設定で送れたことは一度もない"),
    ],
    changes_legend: "最近変わったことはありますか？",
    changes: &[
        ("password_changed", "パスワードを変えた"),
        ("network_equipment", "モデムやルーターを交換・初期化した"),
        (
            "os_reinstalled",
            "パソコンを初期化・再インストール・買い替えた",
        ),
        ("security_software", "セキュリティソフトを入れた・更新した"),
        ("mail_client_changed", "メールソフトを変えた・更新した"),
        ("provider_notice", "プロバイダーからお知らせが来た"),
    ],
    error_text: "エラーメッセージ（そのまま）",
    error_hint: "エラーの画面や、戻ってきたメールからコピーしてください。0x800CCC0F、10060、\
        535 5.7.8 のようなコードを、入力しながら読み取ります。",
    recognised: "読み取れたもの：",
};

pub(in crate::i18n) const LOCAL: LocalTexts = LocalTexts {
    heading: "お使いのパソコンから確かめる",
    intro: "ウェブページからはメール用のポート（25・465・587）に接続できません（ブラウザーが\
        禁止しています）。お使いのネットワークがこれらを通すかどうかは、お使いのパソコン\
        からしか確かめられません。送信できないパソコンで次のコマンドをターミナルに貼り付けて\
        実行し、表示された内容を下に貼り付けてください。接続して証明書を見るだけで、メールを送る\
        ことはありません。",
    os_label: "お使いのパソコンの OS",
    os_windows: "Windows（PowerShell）",
    os_macos: "macOS（ターミナル）",
    os_linux: "Linux（ターミナル）",
    os_guess_none: "このブラウザーからは OS がわかりません（スマートフォンやタブレットには\
        ターミナルがありません）。送信できないパソコンでコマンドを実行し、その OS をここで\
        選んでください。",
    open_windows: "PowerShell を開きます：スタートボタンを右クリック →「ターミナル」\
        （または Windows PowerShell）。右クリックで貼り付けて Enter を押します。",
    open_macos: "ターミナルを開きます：Finder →「アプリケーション」→「ユーティリティ」→\
        「ターミナル」。⌘V で貼り付けて return を押します。",
    open_linux: "ターミナルを開き（多くは Ctrl+Alt+T）、Ctrl+Shift+V で貼り付けて Enter を\
        押します。",
    need_host: "上で送信メールサーバーを入力してください。コマンドはそのサーバー用に作られます。",
    command_label: "実行するコマンド",
    copy: "コマンドをコピー",
    copied: "コピーしました。",
    copy_failed: "コピーできませんでした。テキストを選んでコピーしてください。",
    output_label: "ターミナルに表示された内容",
    output_hint: "最初の行から最後の行まで、すべて貼り付けてください。画面のほかの部分が\
        混ざっても構いません。",
    read: "結果を読み取る",
    results_heading: "お使いのパソコンから見えたこと",
    result_line: "{port}番ポート：{result}",
    results: &[
        ("connected", "接続できます"),
        ("refused", "拒否されました"),
        (
            "timed_out",
            "応答なし（タイムアウト）：途中で接続が捨てられています",
        ),
        ("failed", "失敗しました"),
        ("tls_ok", "暗号化できます。証明書の発行元：「{issuer}」"),
        ("tls_failed", "接続できますが、暗号化に失敗します：{detail}"),
        ("tls_no_answer", "接続できますが、制限時間内に何も返ってきません"),
        (
            "tls_certificate_invalid",
            "暗号化できますが、お使いのパソコンの確認ツールは証明書（発行元：「{issuer}」）を無効と判定しました：{detail}",
        ),
        ("dns_failed", "お使いのパソコンではサーバー名を引けません"),
        ("unknown", "このページでは読めない結果です"),
    ],
    tool: "（{tool}）",
    error_empty: "まず、ターミナルに表示された内容を貼り付けてください。",
    error_too_long: "コマンドが表示する量より長すぎます（{limit} バイト超）。コマンドの出力だけを\
        貼り付けてください。",
    error_nothing_recognised: "このテキストには、上のコマンドの出力が見つかりません。コマンドを\
        実行して、表示された内容を最初から最後まで貼り付けてください。",
};

pub(in crate::i18n) const NETWORK: NetworkTexts = NetworkTexts {
    heading: "お使いのネットワーク",
    loading: "お使いのネットワークを調べています…",
    asn_label: "ネットワーク（AS）",
    org_label: "運営",
    country_label: "国",
    address_label: "お使いのアドレス",
    rtt_label: "sendcheck までの往復時間",
    unknown_local: "不明：sendcheck が手元（ローカル）で動いているため、どのネットワークから\
        接続しているかはわかりません。",
    unknown: "不明：どのネットワークから接続しているか、sendcheck にはわかりませんでした。",
    failed: "お使いのネットワークを調べられませんでした（{detail}）。",
    reach_heading: "ブラウザーから届くか",
    reach_intro: "ブラウザーから、メールサーバーのアドレスにウェブ用のポートで接続してみます。\
        すぐに応答があるか、すぐに拒否されれば、お使いのネットワークはそのアドレスへの接続を通して\
        います。応答がなければ、途中で接続が捨てられています。ブラウザーは25番・465番・587番ポートには\
        接続しないため、これらについては何もわかりません。それは「お使いのパソコンから\
        確かめる」の欄でわかります。",
    reach_not_started: "調べるときに一緒に試します。",
    reach_waiting: "サーバーのアドレスがわかるのを待っています…",
    reach_unresolved: "試していません：サーバー名からアドレスが引けなかったため、接続先が\
        ありません。",
    reach_target: "アドレス：{address}",
    reach_port: "{port}番ポート（{scheme}）",
    reach_pending: "試しています…",
    reach_answered: "届きました：{ms} ミリ秒で応答または拒否がありました。途中で捨てられては\
        いません。",
    reach_no_answer: "{seconds} 秒以内に応答がありません：途中で接続が捨てられているか、その\
        アドレスに何もありません。",
    reach_blocked: "試していません：このページは HTTPS で開かれているため、ブラウザーが HTTP \
        での接続を許しません。お使いのネットワークについては何もわかりません。",
    reach_skipped: "試していません：お使いのメールソフトは2525番ポートを使っていません。",
    reach_unknown: "このページでは読めない結果です。",
};

pub(in crate::i18n) const DNS: DnsTexts = DnsTexts {
    heading: "ドメインが公開している情報",
    intro:
        "メールソフトがどのサーバーから送ればよいかを、DNS とドメインの自動設定に問い合わせます。",
    loading: "{domain} を調べています…",
    failed: "ドメインを調べられませんでした（{detail}）。",
    domain: "ドメイン：{domain}",
    mx_label: "受信サーバー（MX）",
    submission_label: "STARTTLS での送信（SRV _submission）",
    submissions_label: "SSL/TLS での送信（SRV _submissions）",
    autoconfig_label: "自動設定",
    provider_label: "知られているプロバイダー",
    not_available: "「提供していない」と公開されています",
    candidates_heading: "送信に使えるサーバー",
    candidates_none: "提案できるものは見つかりませんでした。送信メールサーバーをプロバイダーに\
        確認してください。",
    use_candidate: "この設定を使う",
    guess: "推測：どこにも公開されていません",
    sources: &[
        ("srv", "DNS の SRV レコード"),
        ("autoconfig", "自動設定"),
        ("provider", "sendcheck のプロバイダー一覧"),
        ("mx_guess", "MX からの推測"),
        ("domain_guess", "ドメイン名からの推測"),
        ("unknown", "そのほかの情報源"),
    ],
    outcomes: &[
        ("found", "あり"),
        ("not_available", "「提供していない」と公開"),
        ("no_records", "なし"),
        ("no_such_name", "ドメインが存在しません"),
        ("resolver_error", "DNS が正しく応答しませんでした"),
        ("unreadable", "読めない応答"),
        ("too_large", "大きすぎます"),
        ("timed_out", "時間内に応答なし"),
        ("fetch_failed", "取得できませんでした"),
        ("not_asked", "問い合わせていません"),
        ("unknown", "不明"),
    ],
};
