//! The words of the result as a whole, in both languages: the repeat that runs while the first
//! verdict shows, a verdict that changed ("was: … now: …", also for screen readers), the step
//! that decides a verdict resting on the person's side, the folds below the verdict, and what
//! each mail program calls "log in to send".

use crate::i18n::Lang;

#[derive(Debug, PartialEq, Eq)]
pub struct ResultTexts {
    /// Under "checking again": the verdict stays while the repeat runs.
    pub repeat_keeps: &'static str,
    /// `{done}`, `{total}`: ports of the repeat finished so far.
    pub repeat_ports: &'static str,
    /// `{was}`, `{now}`: the mark on a verdict that changed.
    pub changed: &'static str,
    /// `{was}`, `{now}`: what a screen reader hears when the verdict changes.
    pub changed_announce: &'static str,
    /// `{title}`, `{confidence}`: one verdict in the two texts above.
    pub verdict_words: &'static str,
    pub step_heading: &'static str,
    /// `{port}`: the configured port cannot be tested from sendcheck's servers.
    pub step_untested: &'static str,
    /// The server works from outside: the person's side decides.
    pub step_works_outside: &'static str,
    /// Told before the person answers: the verdict may move, and the page follows it.
    pub follows_hint: &'static str,
    pub more_summary: &'static str,
    /// The hint under "does your mail program log in to send?", keyed by
    /// `MailClient::name()`: where that program shows it, in its own words.
    pub logs_in_where: &'static [(&'static str, &'static str)],
    /// The hint when no program (or one not listed) is chosen.
    pub logs_in_where_any: &'static str,
}

impl ResultTexts {
    /// Where `client` shows whether it logs in to send.
    pub fn logs_in_where(&self, client: Option<&str>) -> &'static str {
        client
            .and_then(|name| self.logs_in_where.iter().find(|(n, _)| *n == name))
            .map_or(self.logs_in_where_any, |(_, words)| words)
    }
}

impl Lang {
    pub fn result_texts(self) -> &'static ResultTexts {
        match self {
            Self::En => &EN,
            Self::Ja => &JA,
        }
    }
}

// Where each program says it logs in to send, in its own words (checked against):
// - Outlook (classic): File > Account Settings > Change > More Settings > Outgoing Server,
//   "My outgoing server (SMTP) requires authentication" (Microsoft's Outlook setup steps, as
//   quoted by hosting providers, e.g. https://manage.hostsg.com/index.php/knowledgebase/18/).
// - Windows Live Mail / Outlook Express: Properties > Servers, "My server requires
//   authentication"; Outlook Express's SMTP_AUTH_NONE/USE_SMTP_SETTINGS
//   (https://learn.microsoft.com/en-us/previous-versions/windows/desktop/oe/oe-smtpauthtype).
// - Thunderbird: Account Settings > Outgoing Server (SMTP) > Edit, "Authentication method"
//   other than "No authentication" (http://kb.mozillazine.org/SMTP_authentication).
// - Apple Mail: Settings > Accounts > Server Settings, outgoing "User Name" and "Password"
//   filled in (https://support.apple.com/guide/mail/cpmlprefsmtpserver/mac).
// - iPhone/iPad: Settings > Apps > Mail > Mail Accounts > the account > SMTP > primary
//   server, "Authentication: Password".
// - Gmail "Send mail as": the other provider's SMTP server always takes a user name and
//   password (https://support.google.com/mail/answer/22370).
pub static EN: ResultTexts = ResultTexts {
    repeat_keeps: "The verdict below is from the runs so far; it updates when this run is done.",
    repeat_ports: "{done} of {total} ports done.",
    changed: "The verdict changed. Was: {was}. Now: {now}.",
    changed_announce: "The verdict changed. Now: {now}. Before: {was}.",
    verdict_words: "{title} ({confidence})",
    step_heading: "The next step: check from your own computer",
    step_untested: "Port {port} can't be tested from sendcheck's servers, so only your own \
        computer can show whether it gets through. Run the command below on your computer, paste \
        what it prints into the box and press \"Read the result\": the verdict updates.",
    step_works_outside: "From the internet the server answers as it should, so what decides it \
        is whether your own computer gets through. Run the command below on your computer, paste \
        what it prints into the box and press \"Read the result\": the verdict updates.",
    follows_hint: "When an answer changes the verdict, the page takes you to it.",
    more_summary: "Each port in detail: what the server said, timings, certificates",
    logs_in_where: &[
        (
            "outlook",
            "In Outlook: Account Settings, Change, More Settings, the Outgoing Server tab: \"My \
             outgoing server (SMTP) requires authentication\" is ticked.",
        ),
        (
            "outlook_express",
            "In Windows Live Mail: the account's Properties, the Servers tab: \"My server \
             requires authentication\" is ticked.",
        ),
        (
            "thunderbird",
            "In Thunderbird: Account Settings, Outgoing Server (SMTP), Edit: \"Authentication \
             method\" is anything but \"No authentication\".",
        ),
        (
            "apple_mail",
            "In Mail on the Mac: Settings, Accounts, Server Settings: the outgoing server has a \
             user name and a password filled in.",
        ),
        (
            "ios",
            "On the iPhone: Settings, Mail, Mail Accounts, the account, SMTP, the primary server: \
             \"Authentication\" says \"Password\".",
        ),
        (
            "android",
            "In the mail app: the account's outgoing server settings: \"Require sign-in\" is on.",
        ),
        (
            "gmail_send_as",
            "Gmail's \"Send mail as\" always logs in to the other server: answer \"Yes\".",
        ),
        (
            "becky",
            "In Becky!: the mailbox's settings, the \"Advanced\" tab: \"SMTP Authentication\" is ticked.",
        ),
    ],
    logs_in_where_any: "Look in the outgoing server (SMTP) settings for \"requires \
        authentication\", \"user name and password\" or \"authentication method\". Not sure? \
        Leave it.",
};

// The Japanese labels as each program shows them: Outlook 「送信サーバー（SMTP）は認証が必要」
// (Microsoft サポート「Outlook でメール アカウントの設定を変更する」), Thunderbird 「認証方式」
// 「認証なし」, Mac のメール「送信用メールサーバ」, iPhone「送信メールサーバー」「認証」「パスワード」,
// Gmail「他のアドレスからメールを送信」.
pub static JA: ResultTexts = ResultTexts {
    repeat_keeps: "下の診断はここまでの結果によるものです。この回が終わると更新されます。",
    repeat_ports: "{total} 件中 {done} 件のポートが終わりました。",
    changed: "診断が変わりました。変更前：{was}。変更後：{now}。",
    changed_announce: "診断が変わりました。変更後：{now}。変更前：{was}。",
    verdict_words: "{title}（{confidence}）",
    step_heading: "次の手順：お使いのパソコンから確認する",
    step_untested: "{port}番ポートは sendcheck のサーバーからは確認できないため、通信できるか\
        どうかはお使いのパソコンからしか確かめられません。下のコマンドをパソコンで実行し、表示\
        された内容を欄に貼り付けて「結果を読み取る」を押してください。診断が更新されます。",
    step_works_outside: "インターネット側からはサーバーが正しく応答しています。決め手は、\
        お使いのパソコンから通信できるかどうかです。下のコマンドをパソコンで実行し、表示された\
        内容を欄に貼り付けて「結果を読み取る」を押してください。診断が更新されます。",
    follows_hint: "回答によって診断が変わると、画面がその位置まで移動します。",
    more_summary: "ポートごとの詳細（サーバーの応答・かかった時間・証明書）",
    logs_in_where: &[
        (
            "outlook",
            "Outlook の場合：［アカウント設定］→［変更］→［詳細設定］→［送信サーバー］タブで\
             「送信サーバー（SMTP）は認証が必要」にチェックが入っていれば「はい」です。",
        ),
        (
            "outlook_express",
            "Windows Live メールの場合：アカウントの［プロパティ］→［サーバー］タブで\
             「このサーバーは認証が必要」にチェックが入っていれば「はい」です。",
        ),
        (
            "thunderbird",
            "Thunderbird の場合：［アカウント設定］→［送信 (SMTP) サーバー］→［編集］で\
             「認証方式」が「認証なし」以外なら「はい」です。",
        ),
        (
            "apple_mail",
            "Mac のメールの場合：［設定］→［アカウント］→［サーバ設定］で、送信用メールサーバに\
             ユーザ名とパスワードが入っていれば「はい」です。",
        ),
        (
            "ios",
            "iPhone の場合：［設定］→［メール］→［メールアカウント］→ アカウント →［SMTP］→\
             プライマリサーバで「認証」が「パスワード」なら「はい」です。",
        ),
        (
            "android",
            "メールアプリの場合：アカウントの送信サーバーの設定で「ログインが必要」がオンなら\
             「はい」です。",
        ),
        (
            "gmail_send_as",
            "Gmail の「他のアドレスからメールを送信」は、相手のサーバーに必ずログインします。\
             「はい」を選んでください。",
        ),
        (
            "becky",
            "Becky! の場合：メールボックスの設定の［詳細］タブで「SMTP認証」にチェックがあれば「はい」です。",
        ),
    ],
    logs_in_where_any: "送信サーバー（SMTP）の設定で「認証が必要」「ユーザー名とパスワード」\
        「認証方式」といった項目を探してください。わからなければそのままで構いません。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tests::placeholders;
    use crate::questions::CLIENTS;

    /// Every text with a name. Destructured without `..`: a new field fails to compile here
    /// until it is listed.
    fn all(t: &'static ResultTexts) -> Vec<(&'static str, &'static str)> {
        let ResultTexts {
            repeat_keeps,
            repeat_ports,
            changed,
            changed_announce,
            verdict_words,
            step_heading,
            step_untested,
            step_works_outside,
            follows_hint,
            more_summary,
            logs_in_where,
            logs_in_where_any,
        } = t;
        let mut all = vec![
            ("repeat_keeps", *repeat_keeps),
            ("repeat_ports", repeat_ports),
            ("changed", changed),
            ("changed_announce", changed_announce),
            ("verdict_words", verdict_words),
            ("step_heading", step_heading),
            ("step_untested", step_untested),
            ("step_works_outside", step_works_outside),
            ("follows_hint", follows_hint),
            ("more_summary", more_summary),
            ("logs_in_where_any", logs_in_where_any),
        ];
        all.extend(logs_in_where.iter().copied());
        all
    }

    #[test]
    fn both_languages_fill_the_same_placeholders_and_none_is_empty() {
        assert_eq!(all(&EN).len(), all(&JA).len());
        for ((key, en), (ja_key, ja)) in all(&EN).into_iter().zip(all(&JA)) {
            assert_eq!(key, ja_key);
            assert!(!en.trim().is_empty() && !ja.trim().is_empty(), "{key}");
            assert_eq!(placeholders(en), placeholders(ja), "{key}");
            assert!(!en.contains("  ") && !ja.contains("  "), "{key}");
        }
    }

    #[test]
    fn every_listed_program_but_other_says_where_it_logs_in() {
        for lang in Lang::ALL {
            let t = lang.result_texts();
            for client in CLIENTS {
                let words = t.logs_in_where(Some(client.name()));
                if client.name() == "other" {
                    assert_eq!(words, t.logs_in_where_any);
                } else {
                    assert_ne!(words, t.logs_in_where_any, "{}", client.name());
                }
            }
            assert_eq!(t.logs_in_where(None), t.logs_in_where_any);
        }
    }
}
