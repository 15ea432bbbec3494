//! 日本語。メールが急に送れなくなった人に向けて、専門用語を避け、何が起きたか・よくある原因・
//! 次に試すことを伝える。

use super::{AuthTexts, CertificateTexts, OutcomeText, SkippedTexts, Texts, VerdictTexts};

mod check;

pub static TEXTS: Texts = Texts {
    start: &super::start::JA,

    empty_host: "まず送信メールサーバーの名前を入力してください（例：smtp.example.jp）。",
    missing_username: "ログインを試すには、ユーザー名も入力してください。ログインせずに調べる場合は、\
        パスワードを空にしてください。",
    missing_password: "ログインを試すには、パスワードも入力してください。ログインせずに調べる場合は、\
        ユーザー名を空にしてください。",
    server_said: "チェッカーからのメッセージ：",
    technical_detail: "技術的な詳細：",
    input_errors: &[
        ("body_too_large", "送信されたデータが大きすぎます。"),
        (
            "malformed_body",
            "リクエストの形式が正しくありません。ページを再読み込みして、もう一度お試しください。",
        ),
        (
            "invalid_host",
            "サーバー名の書き方が正しくありません。スペースや全角文字、「http://」「@」などが\
             入っていないか確認してください。",
        ),
        (
            "port_not_allowed",
            "このポートは調べられません。587・465・25・2525 のどれかを選んでください。",
        ),
        (
            "unknown_security",
            "暗号化の種類がわかりません。STARTTLS・SSL/TLS・なし のどれかを選んでください。",
        ),
        (
            "ports_missing",
            "リクエストにポートが指定されていません。ページを再読み込みして、もう一度お試しください。",
        ),
        (
            "duplicate_port",
            "リクエストに同じポートが二度指定されています。ページを再読み込みして、もう一度お試しください。",
        ),
        (
            "invalid_credentials",
            "ログインを試すには、ユーザー名とパスワードの両方が必要です。",
        ),
        (
            "port_not_testable_here",
            "このポートは sendcheck の動いている場所からは調べられません（そのネットワークがこの\
             ポートへの接続を許していません）。ここで失敗してもサーバーの状態はわからないため、\
             587 か 465 を調べてください。",
        ),
        (
            "target_not_allowed",
            "このアドレスは調べられません。社内用（プライベート）など、インターネット側からは\
             届かない特別なネットワークのアドレスです。",
        ),
        (
            "not_found",
            "チェッカーの窓口が見つかりませんでした。ページを再読み込みして、もう一度お試しください。",
        ),
        (
            "method_not_allowed",
            "チェッカーへの問い合わせ方が正しくありません。ページを再読み込みして、もう一度お試しください。",
        ),
        (
            "invalid_address",
            "メールアドレスまたはドメインの書き方が正しくありません。taro@example.jp や example.jp \
             のように、スペースや余分な文字を入れずに入力してください。",
        ),
        (
            "rate_limited",
            "お使いの回線から短い時間に多くの調査が行われたため、一時的に受付を止めています。\
             1 分ほど待ってから、もう一度お試しください。（メールサーバーへの過剰な接続を防ぐため、\
             1 つの回線から調査できる回数を制限しています。）",
        ),
        (
            "target_busy",
            "このメールサーバーは、直前の 1 分間にほかの方も含めて何度も調査されています。\
             サーバーに負担をかけないよう、1 分ほど待ってからもう一度お試しください。",
        ),
        (
            "login_limited",
            "ログインの確認は行っていません。他人のパスワードを推測する悪用を防ぐため、\
             1 つのアカウントのログイン確認は回数を制限しています（通常、1 つの回線から 10 分間に \
             3 回まで、全体でもあと数回まで）。ユーザー名とパスワードをよくご確認のうえ、\
             下に表示されている時間が過ぎてから、もう一度お試しください。",
        ),
        (
            "challenge_required",
            "ログインを確認する前に、「人間による操作であることの確認」（「調べる」ボタンの上の枠）を\
             完了してください。他人のパスワードを試す目的で使われないよう、確認をお願いしています。",
        ),
        (
            "challenge_failed",
            "「人間による操作であることの確認」を確認できませんでした。有効期限が切れたか、すでに\
             使われた可能性があります（確認は 1 回の調査ごとに必要です）。もう一度確認を完了してから、\
             「調べる」ボタンを押してください。",
        ),
    ],
    input_error_other: "チェッカーがこのリクエストを受け付けませんでした。",
    unreachable: OutcomeText {
        headline: "sendcheck に接続できませんでした",
        explanation: "お使いのブラウザーから sendcheck のサービスに届かなかったため、まだ何も調べていません。\
            この端末がインターネットにつながっているか確かめて、少し待ってからもう一度お試しください。\
            メールサーバーに問題があるという意味ではありません。",
    },
    timed_out: OutcomeText {
        headline: "sendcheck から時間内に返事がありませんでした",
        explanation: "{seconds} 秒以内に調査が終わらなかったため、結果がありません。もう一度お試しください。\
            何度も続く場合は、sendcheck が混み合っている可能性があります。",
    },
    unreadable: OutcomeText {
        headline: "sendcheck からの返事を読み取れませんでした",
        explanation: "サービスは応答しました（HTTP {status}）が、このページでは内容を理解できませんでした。\
            ページを再読み込みして最新の状態にしてから、もう一度お試しください。",
    },

    outcomes: &[
        (
            "completed",
            OutcomeText {
                headline: "{port}番ポートでメールサーバーが応答しています",
                explanation: "sendcheck はインターネット側から {server} に接続でき、サーバーは正常な\
                    メールサーバーとしてあいさつと自己紹介を返しました。サーバーとこのポートは動いています。\
                    それでもメールソフトから送れない場合、原因はあなたの側にある可能性が高いです。\
                    プロバイダーがこのポートを遮断している（特に25番ポート）、セキュリティソフトが通信を\
                    妨げている、アカウント設定（ユーザー名・パスワード）が違う、などが考えられます。",
            },
        ),
        (
            "dns_failed",
            OutcomeText {
                headline: "サーバー名が見つかりませんでした",
                explanation: "{host} という名前から、インターネット上の住所（IP アドレス）を調べられません\
                    でした（{detail}）。メールソフトに設定した送信メールサーバー名を、プロバイダーや\
                    サーバー会社の案内と一文字ずつ見比べてください。合っている場合は、ドメインの DNS \
                    設定の不備や、ドメインの有効期限切れが考えられます。",
            },
        ),
        (
            "connection_refused",
            OutcomeText {
                headline: "接続が拒否されました",
                explanation: "{server}の{port}番ポートでは、接続を受け付けているものがありません。\
                    サーバー自体には届いていますが、このポートが閉じている（メールのサービスがこの\
                    ポートで待ち受けていない）か、ファイアウォールが拒否しています。別のポート（587 や \
                    465）を試すか、どのポートを使えばよいかプロバイダーやサーバー管理者に確認してください。",
            },
        ),
        (
            "connect_timeout",
            OutcomeText {
                headline: "サーバーから応答がありません",
                explanation: "{server}の{port}番ポートに接続しようとしましたが、まったく応答がありません\
                    でした。ファイアウォールがこのポートへの接続を黙って捨てているか、サーバーが停止して\
                    いる・ネットワークから外れている可能性があります。インターネット側からもつながらない\
                    ので、あなたのネットワークだけの問題ではありません。",
            },
        ),
        (
            "connect_failed",
            OutcomeText {
                headline: "接続を開けませんでした",
                explanation: "{server}の{port}番ポートへの接続に失敗しました（{detail}）。少し待ってから\
                    もう一度お試しください。何度やっても失敗する場合は、サーバーかその手前のネットワークに\
                    問題があります。",
            },
        ),
        (
            "connection_reset",
            OutcomeText {
                headline: "接続が途中で切られました",
                explanation: "{server} は{port}番ポートで接続を受け付けたあと、いきなり切断しました。\
                    サーバーの手前にあるファイアウォールやセキュリティ機器が遮断しているか、メールの\
                    サービスが異常終了している可能性があります。",
            },
        ),
        (
            "greeting_timeout",
            OutcomeText {
                headline: "サーバーがあいさつを返しません",
                explanation: "{server}の{port}番ポートへの接続はできましたが、メールサーバーが最初の\
                    あいさつ（グリーティング）を送ってきませんでした。サーバーが混み合っている（過負荷）、\
                    メールのサービスが止まりかけている、途中の機器が接続だけ受けてメールサーバーに\
                    つないでいない、などが考えられます。メールソフトでは「サーバーが応答しません」と\
                    表示される状態です。なお、SSL/TLS 用のポート（ふつうは 465）で STARTTLS を選ぶと、\
                    サーバーは暗号化の開始を待ったままになります。その場合は SSL/TLS を選んでください。",
            },
        ),
        (
            "greeting_rejected",
            OutcomeText {
                headline: "サーバーが接続を断りました",
                explanation: "{server} は{port}番ポートで応答しましたが、利用を断りました：「{reply}」。\
                    421 は「混み合っている・一時的に使えない」という意味で、時間をおくと通ることがあります。\
                    554 は「この接続にはサービスを提供しない」という意味で、接続元のネットワークを拒否して\
                    いることがあります。",
            },
        ),
        (
            "closed_before_greeting",
            OutcomeText {
                headline: "サーバーがすぐに接続を切りました",
                explanation: "{server} は{port}番ポートで接続を受け付けましたが、あいさつの前に切断しました。\
                    サーバーが混み合っていて接続数を制限しているか、sendcheck の接続元を拒否している\
                    可能性があります。",
            },
        ),
        (
            "closed_during_dialogue",
            OutcomeText {
                headline: "やりとりの途中でサーバーが接続を切りました",
                explanation: "{server} が、やりとりの途中、「{step}」の段階で接続を切りました。サーバーが\
                    過負荷か異常終了している、または途中の機器が通信を遮断している可能性があります。",
            },
        ),
        (
            "ehlo_rejected",
            OutcomeText {
                headline: "サーバーが自己紹介を受け付けませんでした",
                explanation: "サーバーはあいさつを返しましたが、送信側の自己紹介（EHLO と HELO）を両方とも\
                    拒否しました：「{reply}」。sendcheck の接続元を拒否しているか、サーバーの設定に問題が\
                    ある可能性があります。",
            },
        ),
        (
            "connection_lost",
            OutcomeText {
                headline: "接続が途中で途切れました",
                explanation: "{server}の{port}番ポートとの接続が、やりとりの途中で途切れました\
                    （{detail}）。サーバーか途中のネットワークが接続を落としています。もう一度\
                    お試しください。何度も起きる場合は、サーバーかそのネットワークが不安定です。",
            },
        ),
        (
            "start_tls_not_offered",
            OutcomeText {
                headline: "サーバーが暗号化（STARTTLS）に対応していません",
                explanation: "{server} は{port}番ポートで応答しますが、STARTTLS に対応していません。\
                    STARTTLS に設定したメールソフトは安全に接続できず、パスワードが暗号化されずに\
                    ネットワークを流れることになります。サーバー管理者に STARTTLS を有効にしてもらうか、\
                    ポート 465（SSL/TLS）が使えないかプロバイダーに確認してください。",
            },
        ),
        (
            "start_tls_refused",
            OutcomeText {
                headline: "サーバーが暗号化への切り替えを断りました",
                explanation: "{server} は STARTTLS に対応していると示しながら、切り替えを断りました：\
                    「{reply}」。サーバーの暗号化の設定（証明書がない・読み込めないなど）が壊れている\
                    可能性が高く、直せるのはサーバー管理者だけです。",
            },
        ),
        (
            "tls_handshake_failed",
            OutcomeText {
                headline: "暗号化の通信を始められませんでした",
                explanation: "sendcheck と {server} は、{port}番ポートで暗号化の方式について合意\
                    できませんでした（{detail}）。サーバーが古く安全でない TLS にしか対応していないか、\
                    暗号化の設定が壊れている可能性があります。メールソフトではセキュリティや接続の\
                    エラーとして表示されます。",
            },
        ),
        (
            "plaintext_instead_of_tls",
            OutcomeText {
                headline: "このポートは SSL/TLS ではありません",
                explanation: "sendcheck は{port}番ポートで最初から暗号化（SSL/TLS）して接続しましたが、\
                    サーバーは暗号化せずに返事をしました（STARTTLS 用のポートの動き方です）：\
                    「{detail}」。メールソフトで、このポートの暗号化の設定を STARTTLS にしてください\
                    （SSL/TLS を使うならポート 465 です）。",
            },
        ),
        (
            "certificate_untrusted",
            OutcomeText {
                headline: "サーバーの証明書が信頼されません",
                explanation: "{server}の{port}番ポートとのやりとりはできましたが、サーバーの証明書\
                    （身元を証明するもの）に問題があるため、メールソフトは警告を出すか送信を拒否します。\
                    問題点は下のとおりです。直せるのはサーバー管理者かホスティング会社だけなので、\
                    このページの内容を伝えてください。",
            },
        ),
        (
            "auth_not_offered",
            OutcomeText {
                headline: "サーバーがログイン（認証）に対応していません",
                explanation: "{server}の{port}番ポートは、メールソフトが送信に使うログイン（AUTH）に\
                    対応していません。このポートはサーバー同士の受け渡し専用の可能性があります。\
                    ログインして送信するためのポート（ふつうは 587 か 465）をプロバイダーに確認して\
                    ください。",
            },
        ),
        (
            "auth_mechanism_unsupported",
            OutcomeText {
                headline: "サーバーのログイン方式が特殊です",
                explanation: "{server} が対応しているログイン方式は {detail} だけです。sendcheck では\
                    この方式でのログインを試せませんでした。多くのメールソフトは対応しているので、\
                    これだけが原因とは限りません。",
            },
        ),
        (
            "auth_rejected",
            OutcomeText {
                headline: "サーバーがログインを断りました",
                explanation: "サーバーは動いていますが、ログインを断りました：「{reply}」。この返事の\
                    意味と次に試すことは、「ログイン（AUTH）」の欄で説明しています。",
            },
        ),
        (
            "reply_timeout",
            OutcomeText {
                headline: "サーバーが途中で応答しなくなりました",
                explanation: "サーバーはあいさつを返しましたが、その後「{step}」の段階で、時間内に返事が\
                    ありませんでした。サーバーが過負荷か止まりかけている、または途中の機器が通信を\
                    止めている可能性があります。",
            },
        ),
        (
            "reply_too_long",
            OutcomeText {
                headline: "サーバーの返事が長すぎます",
                explanation: "「{step}」の段階で、メールサーバーではありえない長さの返事が届きました。\
                    このポートでメールサーバー以外のものが動いているか、サーバーが正しく動いていない\
                    可能性があります。",
            },
        ),
        (
            "malformed_reply",
            OutcomeText {
                headline: "サーバーの返事がメールの形式ではありません",
                explanation: "{port}番ポートから返ってきた内容は、メールサーバーの決まった形式ではありません\
                    でした（{detail}）。このポートで別の種類のサービスが動いている可能性があります。\
                    最初から暗号化する SSL/TLS のポートに、STARTTLS や暗号化なしで接続したときにも\
                    こうなります。",
            },
        ),
        (
            "deadline_reached",
            OutcomeText {
                headline: "サーバーの応答が遅すぎます",
                explanation: "サーバーの応答がとても遅く、「{step}」の段階、開始から {at} ミリ秒の時点で\
                    調査を打ち切りました。これほど遅いと、メールソフトも途中であきらめてしまいます。サーバーが\
                    過負荷になっている可能性があります。",
            },
        ),
    ],
    outcome_unknown: OutcomeText {
        headline: "このページではまだ説明できない結果で、調査が終わりました",
        explanation: "この結果の説明はまだこのページにありません。下の技術的な記録に、何が起きたかが\
            残っています。",
    },
    outcome_completed_login: OutcomeText {
        headline: "メールサーバーは動いていて、ログインもできました",
        explanation: "sendcheck はインターネット側から {server}の{port}番ポートに接続し、暗号化して\
            証明書を確かめ、入力されたユーザー名とパスワードでログインできました。メールソフトが\
            送信に必要なことは、すべて問題なく動いています。それでもメールソフトから送れない場合は、\
            設定がこれと同じか（{host}、{port}番ポート、{security}、同じユーザー名とパスワード）を\
            見比べてください。同じなら、プロバイダーやセキュリティソフトが通信を止めている可能性が\
            あります。",
    },
    target_label: "調べた相手",
    target_value: "{host}、{port}番ポート、{security}",
    address_label: "接続先アドレス",
    started_label: "開始時刻",
    total_label: "合計時間",
    greeting_heading: "サーバーのあいさつ",
    greeting_hint: "メールサーバーが最初に送ってくるメッセージです。220 は「準備ができています」という意味です。",
    capabilities_heading: "サーバーが対応している機能（EHLO の応答）",
    capabilities_hint: "AUTH はログインの方式、STARTTLS は暗号化に切り替えられることを表します。",
    capabilities_none: "サーバーは旧式の HELO にだけ応答したため、機能の一覧はありません。",
    capabilities_after_tls_heading: "暗号化したあとにサーバーが対応している機能",
    auth: AuthTexts {
        heading: "ログイン（AUTH）",
        hint: "メールソフトが送信の前にログインするための方式です。",
        offered_before_label: "暗号化前のログイン方式",
        offered_after_label: "暗号化後のログイン方式",
        offered_none: "なし",
        no_tls: "暗号化されませんでした",
        cleartext_warning: OutcomeText {
            headline: "パスワードが暗号化されずに送られるおそれがあります",
            explanation: "このサーバーは、接続を暗号化する前から {mechanisms} でのログインを受け付けて\
                います。この方式ではパスワードは暗号化されず、形を変えただけで送られます。暗号化なしに\
                設定したメールソフト（または STARTTLS を飛ばすよう仕向けられたもの）は、途中の誰でも\
                読める形でパスワードを送ってしまいます（sendcheck はそうしません）。メールソフトの\
                暗号化の設定が STARTTLS か SSL/TLS になっているか確かめ、サーバー管理者には、\
                STARTTLS のあとでだけログインを受け付けるよう設定を頼んでください。",
        },
        only_inside_tls: "ログインは、接続を暗号化したあとでだけ受け付けています。これは正しい設定で、\
            パスワードが暗号化されずにネットワークを流れることはありません。",
        mechanism_label: "方式",
        reply_label: "サーバーの返事",
        verdicts: VerdictTexts {
            accepted: OutcomeText {
                headline: "ログインできました",
                explanation: "サーバーはユーザー名とパスワードを受け入れました（{code}）。メールソフトの\
                    送信メールサーバー（SMTP）の設定にも、これとまったく同じものを入れてください。",
            },
            wrong_password: OutcomeText {
                headline: "ユーザー名かパスワードが違います",
                explanation: "サーバーは、ユーザー名かパスワードが違うと答えました（{code}）。\
                    保存されている場所で両方を確かめてください。メールソフトでは送信メールサーバー\
                    （SMTP）の設定で、受信とは別に保存しているソフトもあります。ユーザー名は\
                    メールアドレス全体であることが多いです。Gmail から別のアドレスとして送っている\
                    場合は、Gmail の ⚙（設定）→［すべての設定を表示］→［アカウントとインポート］→\
                    「名前：」の行の、そのアドレスの［情報を編集］にあります。よくある原因は、\
                    メールボックスのパスワードが変わったのに（ご自分で、またはプロバイダーの\
                    メンテナンスで）、古いパスワードが保存されたままになっていることです。",
            },
            app_password: OutcomeText {
                headline: "アプリパスワードか、より安全なログイン方法が求められています",
                explanation: "サーバーはこのログインのしかたを受け付けませんでした（{code}）。\
                    プロバイダーが、ふつうのパスワードよりも安全な方法を求めています。2 段階認証を\
                    使っている場合（Gmail、Yahoo、iCloud など）は「アプリパスワード」が必要です。\
                    アカウントのセキュリティ設定で作成し、いつものパスワードの代わりにメールソフトに\
                    入れてください。",
            },
            web_login_first: OutcomeText {
                headline: "先にプロバイダーのウェブサイトでログインしてください",
                explanation: "プロバイダーは、ウェブサイトでログインするまで、このログインを止めています\
                    （{code}）。いつもと違うログインを見つけたときによく起こります。ブラウザーで\
                    ウェブメールにログインし、セキュリティの確認があれば済ませてから、もう一度\
                    お試しください。2 段階認証を使っている場合は、アプリパスワードを作って\
                    それを使ってください。",
            },
            encryption_required: OutcomeText {
                headline: "このログインには暗号化が必要です",
                explanation: "サーバーは、このログイン方式を暗号化された接続でしか受け付けません\
                    （{code}）。メールソフトの暗号化の設定を STARTTLS か SSL/TLS にしてください。",
            },
            try_later: OutcomeText {
                headline: "サーバー側で一時的な問題が起きています",
                explanation: "サーバーはいまログインを確かめられませんでした（{code}）。サーバー側の\
                    一時的な問題で、パスワードは合っているかもしれません。数分待ってからもう一度\
                    お試しください。続くようならプロバイダーに伝えてください。",
            },
            starttls_first: OutcomeText {
                headline: "サーバーが先に暗号化かログインを求めています",
                explanation: "サーバーは {code} と答えました。先に接続を暗号化（STARTTLS）するか、\
                    この前にログインするよう求めています。メールソフトの暗号化の設定を STARTTLS か \
                    SSL/TLS にし、「送信サーバーは認証が必要」（または似た名前の設定）をオンにして\
                    ください。",
            },
            basic_auth_disabled: OutcomeText {
                headline: "パスワードだけのログインが止められています",
                explanation: "プロバイダー（この返事は Microsoft 365 や Outlook.com のものです）が、\
                    このアカウントでユーザー名とパスワードだけでログインする方法（基本認証）を\
                    止めています（{code}）。パスワードは合っているかもしれませんが、この方法では\
                    受け付けられません。「先進認証」（OAuth：Microsoft のサインイン画面が開く方式）\
                    でログインできるメールソフトを使うか、組織の Microsoft 365 の管理者に、この\
                    メールボックスの SMTP AUTH（認証済み SMTP）を有効にしてもらってください。",
            },
            other: OutcomeText {
                headline: "サーバーがログインを断りました",
                explanation: "サーバーはログインを断り（{code}）、次のように答えました：「{text}」。\
                    この返事の説明はまだこのページにありません。ふつうは返事の文面に理由が書かれて\
                    います。詳しくはプロバイダーにお問い合わせください。",
            },
        },
        skipped: SkippedTexts {
            no_credentials: "ユーザー名とパスワードが入力されていないため、ログインは試していません。\
                入力は任意です。ログインも試すには、上の欄に入力してください。",
            cleartext_refused: "この接続は暗号化されていないため、sendcheck はパスワードを送りません\
                でした。送れば、途中の誰でも読める形でネットワークを流れてしまいます。ログインを試すには、\
                暗号化を STARTTLS か SSL/TLS にしてください。",
            certificate_untrusted: "証明書を確かめられなかったため、sendcheck はパスワードを送りません\
                でした。メールソフトも同じ理由で接続を拒否します。証明書が直れば、ログインを試せます。",
            not_offered: "サーバーがここではログイン（AUTH）を受け付けていないため、ログインは\
                試していません。",
            no_supported_mechanism: "サーバーが sendcheck の試せないログイン方式（sendcheck は PLAIN と \
                LOGIN を使います）しか受け付けていないため、ログインは試していません。",
            tried_on_another_port: "このポートではログインを試していません。sendcheck は、同じ\
                パスワードでサーバーに何度も問い合わせないよう、1 回の調査につきパスワードを 1 つの\
                ポート（ログインの結果が表示されているポート）でだけ試します。このポートでも、暗号化・\
                証明書・ログイン方式など、ログインに必要な条件はそろっています。",
            other: "ログインは試していません。",
        },
    },
    tls_heading: "暗号化（TLS）",
    tls_session_label: "接続の方式",
    tls_verified: "証明書に問題はありません。メールソフトはこのサーバーを信頼します。",
    tls_problems: "メールソフトが信頼しない理由：",
    certificate: CertificateTexts {
        expired: "証明書の有効期限は{date}に切れています。",
        not_yet_valid: "証明書は{date}から有効になるもので、まだ使えません（サーバーの時計がずれている可能性もあります）。",
        name_mismatch: "証明書は {presented} 用で、{expected} 用ではありません。メールソフトのサーバー名を \
            {expected} にしていると拒否されます。証明書に含まれる名前をサーバー名に使うか、証明書を\
            入れ替えてもらってください。",
        unknown_issuer: "証明書の発行元「{issuer}」は、メールソフトが信頼する発行元ではありません。",
        self_signed: "自己署名の証明書です（自分で自分を証明しているだけ）。保証する第三者がいないため、\
            メールソフトは信頼しません。",
        incomplete_chain: "サーバーが、自分の証明書と信頼された発行元をつなぐ中間証明書（「{issuer}」）を\
            送っていません。ブラウザーは自動で補うことが多いですが、メールソフトは補いません。",
        no_certificate: "サーバーが証明書を送ってきませんでした。",
        other: "証明書が受け入れられませんでした：{detail}",
        unknown: "証明書に、このページではまだ説明できない問題があります。",
    },
    cert_subject_label: "発行先",
    cert_issuer_label: "発行元",
    cert_validity: "{from} ～ {until}",
    cert_validity_label: "有効期間",
    cert_names_label: "対象の名前",
    cert_fingerprint_label: "SHA-256 フィンガープリント",
    steps_heading: "手順ごとの所要時間",
    steps: &[
        ("resolve", "名前解決（DNS）"),
        ("connect", "接続"),
        ("greeting", "あいさつ待ち"),
        ("ehlo", "EHLO（自己紹介）"),
        ("helo", "HELO（旧式の自己紹介）"),
        ("start_tls", "STARTTLS（暗号化への切り替え）"),
        ("tls_handshake", "TLS ハンドシェイク（暗号化の開始）"),
        ("ehlo_after_tls", "EHLO（暗号化後の自己紹介）"),
        ("auth", "ログイン（AUTH）"),
        ("quit", "QUIT（終了のあいさつ）"),
        ("unknown", "その他の手順"),
    ],
    step_ok: "成功",
    step_failed: "失敗",
    duration: "{ms} ミリ秒",
    round_trip_one: "往復 1 回",
    round_trips: "往復 {n} 回",
    transcript_summary: "やりとりの全記録を表示（{count} 行）",
    transcript_legend: "→ は sendcheck が送った内容、← はサーバーが送った内容、· は sendcheck のメモです。\
        数字は開始からのミリ秒です。",
    transcript_client: "→",
    transcript_server: "←",
    transcript_note: "·",
    transcript_empty: "やりとりはありませんでした。",
    progress_texts: check::PROGRESS,
    findings: check::FINDINGS,
    questions: check::QUESTIONS,
    local: check::LOCAL,
    network: check::NETWORK,
    dns: check::DNS,
};
