//! The words of the page's first screen — the header, the address, the settings form and the
//! footer — in both languages, in a table of their own: the start module (`crate::entry`)
//! shows only this screen, and its wasm holds only these words. The full page reads the same
//! table through [`Texts::start`](super::Texts) (one copy of each word).

use sendcheck::target::Security;

use super::Lang;

#[derive(Debug, PartialEq, Eq)]
pub struct StartTexts {
    /// This language, named in itself (on the other language's switch).
    pub lang_name: &'static str,
    pub page_title: &'static str,
    pub brand: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub switch_label: &'static str,
    /// The address section.
    pub start_heading: &'static str,
    pub start_intro: &'static str,
    /// The address field (`#q-email`).
    pub email: &'static str,
    pub email_hint: &'static str,
    pub email_unreadable: &'static str,
    /// Before an address has been looked up, where the discovered settings will show.
    pub start_waiting: &'static str,
    /// The settings section.
    pub settings_heading: &'static str,
    pub settings_intro: &'static str,
    pub host_label: &'static str,
    pub host_hint: &'static str,
    pub host_placeholder: &'static str,
    /// What the typed name becomes when it was not plain ASCII (full-width, 日本語.jp).
    pub host_as: &'static str,
    pub port_label: &'static str,
    pub port_587: &'static str,
    pub port_465: &'static str,
    pub port_25: &'static str,
    pub port_2525: &'static str,
    pub security_label: &'static str,
    pub security_hint: &'static str,
    pub security_starttls: &'static str,
    pub security_tls: &'static str,
    pub security_none: &'static str,
    pub login_legend: &'static str,
    pub password_explained: &'static str,
    pub username_label: &'static str,
    pub username_hint: &'static str,
    pub password_label: &'static str,
    pub submit: &'static str,
    pub submit_busy: &'static str,
    /// Check pressed while the rest of the page is still loading.
    pub starting: &'static str,
    /// The rest of the page could not be loaded.
    pub rest_unavailable: &'static str,
    /// Under the page: where the checks run from.
    pub vantage_note: &'static str,
}

impl Lang {
    pub fn start_texts(self) -> &'static StartTexts {
        match self {
            Self::En => &EN,
            Self::Ja => &JA,
        }
    }
}

impl StartTexts {
    pub fn port_option(&self, port: u16) -> &'static str {
        match port {
            465 => self.port_465,
            25 => self.port_25,
            2525 => self.port_2525,
            _ => self.port_587,
        }
    }

    pub fn security(&self, security: Security) -> &'static str {
        match security {
            Security::Starttls => self.security_starttls,
            Security::Tls => self.security_tls,
            Security::None => self.security_none,
        }
    }
}

pub static EN: StartTexts = StartTexts {
    lang_name: "English",
    page_title: "sendcheck — why can't my mail be sent?",
    brand: "sendcheck",
    heading: "Find out why your mail won't send",
    intro: "Start with your e-mail address, or type the outgoing mail server (SMTP) from your \
        mail program's settings. sendcheck connects to it from the internet and tells you in \
        plain words what happens and what to do.",
    switch_label: "Show this page in Japanese",
    start_heading: "1. Your e-mail address",
    start_intro: "sendcheck looks up the sending settings your provider publishes. Use them \
        with one click, or type your mail program's settings yourself below.",
    email: "Your e-mail address (or just its domain)",
    email_hint: "e.g. taro@example.jp or example.jp. Used only to look up what your domain \
        publishes about sending.",
    email_unreadable: "This does not read as an e-mail address or a domain.",
    start_waiting: "Type your address, and the settings your provider publishes show up here, \
        each with where it was found.",
    settings_heading: "2. Your mail program's outgoing server",
    settings_intro: "sendcheck also tries the other usual ports, so a wrong port shows up too.",
    host_label: "Outgoing mail server (SMTP)",
    host_hint: "As in your mail program's account settings, e.g. smtp.example.jp or an IP address.",
    host_placeholder: "smtp.example.jp",
    host_as: "Checked as {host}",
    port_label: "Port",
    port_587: "587 — submission (most common)",
    port_465: "465 — SSL/TLS",
    port_25: "25 — SMTP (often blocked)",
    port_2525: "2525 — alternative",
    security_label: "Security",
    security_hint: "Choosing a port picks its usual setting; change it to match your mail program.",
    security_starttls: "STARTTLS",
    security_tls: "SSL/TLS",
    security_none: "None (no encryption)",
    login_legend: "Login test (optional)",
    password_explained: "Optional, and only to test the login on your own mail server. \
        The password is sent once over HTTPS to sendcheck's checker, which passes it on only \
        inside an encrypted connection to the server you named, and never stores, logs or shows \
        it. This page forgets it after each check. Without it, everything but the login test \
        still runs.",
    username_label: "User name",
    username_hint: "As in your mail program; often your whole mail address.",
    password_label: "Password",
    submit: "Check",
    submit_busy: "Checking…",
    starting: "Starting the check as soon as the rest of the page has loaded…",
    rest_unavailable: "The rest of sendcheck could not be loaded, so the check cannot start. \
        Check your connection and reload the page; what you typed here is not kept.",
    vantage_note: "sendcheck checks from the internet, not from your own network. If the check \
        works here but your mail program still cannot send, the block is probably between you \
        and the internet (for example your provider blocking port 25) or in your computer's \
        security software.",
};

pub static JA: StartTexts = StartTexts {
    lang_name: "日本語",
    page_title: "sendcheck — メールが送れない原因を調べる",
    brand: "sendcheck",
    heading: "メールが送れない原因を調べる",
    intro: "メールアドレスから始めるか、メールソフトの「送信メールサーバー（SMTP）」を入力して\
        ください。sendcheck がインターネット側からそのサーバーに接続し、何が起きているか、\
        どうすればよいかをわかりやすくお伝えします。",
    switch_label: "このページを英語で表示",
    start_heading: "1. メールアドレス",
    start_intro: "プロバイダーが公開している送信の設定を調べます。ワンクリックで使うことも、\
        下でメールソフトの設定を自分で入力することもできます。",
    email: "メールアドレス（ドメインだけでも可）",
    email_hint: "例：taro@example.jp または example.jp。ドメインが送信について公開している\
        情報を調べるためだけに使います。",
    email_unreadable: "メールアドレスやドメインの形になっていません。",
    start_waiting: "アドレスを入力すると、プロバイダーが公開している設定が、どこで見つけたか\
        と一緒にここに表示されます。",
    settings_heading: "2. メールソフトの送信サーバー",
    settings_intro: "ほかの一般的なポートも同時に調べるので、ポートの間違いもわかります。",
    host_label: "送信メールサーバー（SMTP サーバー）",
    host_hint: "メールソフトのアカウント設定に書かれている名前です。例：smtp.example.jp または IP アドレス",
    host_placeholder: "smtp.example.jp",
    host_as: "{host} として確認します",
    port_label: "ポート番号",
    port_587: "587 — サブミッション（一般的）",
    port_465: "465 — SSL/TLS",
    port_25: "25 — SMTP（遮断されやすい）",
    port_2525: "2525 — 代替ポート",
    security_label: "暗号化（セキュリティ）",
    security_hint: "ポートを選ぶと一般的な設定が選ばれます。メールソフトの設定に合わせて変更できます。",
    security_starttls: "STARTTLS",
    security_tls: "SSL/TLS",
    security_none: "なし（暗号化しない）",
    login_legend: "ログインのテスト（任意）",
    password_explained: "入力は任意です。ご自分のメールサーバーへのログインを試すときだけ使います。\
        パスワードは HTTPS で一度だけ sendcheck のチェッカーに送られ、チェッカーは入力された\
        サーバーとの暗号化された接続の中でだけそれを使います。保存・記録・表示はしません。\
        このページも、調べ終わるたびにパスワードを消します。入力しなくても、ログインのテスト以外は\
        すべて調べられます。",
    username_label: "ユーザー名",
    username_hint: "メールソフトに設定しているものです。メールアドレス全体のことが多いです。",
    password_label: "パスワード",
    submit: "調べる",
    submit_busy: "調べています…",
    starting: "ページの残りが読み込まれしだい、調べ始めます…",
    rest_unavailable: "sendcheck の残りの部分を読み込めなかったため、調べられません。\
        接続を確認してからページを再読み込みしてください。ここに入力した内容は保存されません。",
    vantage_note: "sendcheck は、あなたのネットワークからではなく、インターネット側から調べます。ここで\
        問題がないのにメールソフトから送れない場合は、あなたとインターネットの間（たとえばプロバイダー\
       による25番ポートの遮断）や、パソコンのセキュリティソフトに原因がある可能性があります。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tests::placeholders;

    /// Every text with a name. Destructured without `..`: a new field fails to compile here
    /// until it is listed.
    fn all(t: &'static StartTexts) -> Vec<(&'static str, &'static str)> {
        let StartTexts {
            lang_name,
            page_title,
            brand,
            heading,
            intro,
            switch_label,
            start_heading,
            start_intro,
            email,
            email_hint,
            email_unreadable,
            start_waiting,
            settings_heading,
            settings_intro,
            host_label,
            host_hint,
            host_placeholder,
            host_as,
            port_label,
            port_587,
            port_465,
            port_25,
            port_2525,
            security_label,
            security_hint,
            security_starttls,
            security_tls,
            security_none,
            login_legend,
            password_explained,
            username_label,
            username_hint,
            password_label,
            submit,
            submit_busy,
            starting,
            rest_unavailable,
            vantage_note,
        } = t;
        vec![
            ("lang_name", *lang_name),
            ("page_title", page_title),
            ("brand", brand),
            ("heading", heading),
            ("intro", intro),
            ("switch_label", switch_label),
            ("start_heading", start_heading),
            ("start_intro", start_intro),
            ("email", email),
            ("email_hint", email_hint),
            ("email_unreadable", email_unreadable),
            ("start_waiting", start_waiting),
            ("settings_heading", settings_heading),
            ("settings_intro", settings_intro),
            ("host_label", host_label),
            ("host_hint", host_hint),
            ("host_placeholder", host_placeholder),
            ("host_as", host_as),
            ("port_label", port_label),
            ("port_587", port_587),
            ("port_465", port_465),
            ("port_25", port_25),
            ("port_2525", port_2525),
            ("security_label", security_label),
            ("security_hint", security_hint),
            ("security_starttls", security_starttls),
            ("security_tls", security_tls),
            ("security_none", security_none),
            ("login_legend", login_legend),
            ("password_explained", password_explained),
            ("username_label", username_label),
            ("username_hint", username_hint),
            ("password_label", password_label),
            ("submit", submit),
            ("submit_busy", submit_busy),
            ("starting", starting),
            ("rest_unavailable", rest_unavailable),
            ("vantage_note", vantage_note),
        ]
    }

    #[test]
    fn both_languages_fill_the_same_placeholders_and_none_is_empty() {
        for ((key, en), (_, ja)) in all(&EN).into_iter().zip(all(&JA)) {
            assert!(!en.trim().is_empty() && !ja.trim().is_empty(), "{key}");
            assert_eq!(placeholders(en), placeholders(ja), "{key}");
            assert!(!en.contains("  ") && !ja.contains("  "), "{key}");
        }
    }

    #[test]
    fn the_full_page_reads_the_same_table() {
        for lang in Lang::ALL {
            assert!(std::ptr::eq(lang.texts().start, lang.start_texts()));
        }
    }

    #[test]
    fn every_port_and_security_has_words() {
        for lang in Lang::ALL {
            let t = lang.start_texts();
            for port in [587, 465, 25, 2525] {
                assert!(t.port_option(port).starts_with(&port.to_string()), "{port}");
            }
            for security in [Security::Starttls, Security::Tls, Security::None] {
                assert!(!t.security(security).is_empty());
            }
        }
    }
}
