//! The words of the page's order of work, in both languages: the address-first start, the two
//! sides of the result, the sections that sharpen the verdict, the share bar, the copy-summary
//! text and the widget's link to the full page.

use crate::i18n::Lang;

#[derive(Debug, PartialEq, Eq)]
pub struct FlowTexts {
    /// `{domain}`.
    pub found_heading: &'static str,
    pub found_use_hint: &'static str,
    pub where_from: &'static str,
    pub more_candidates: &'static str,
    pub results_heading: &'static str,
    pub network_side: &'static str,
    pub internet_side: &'static str,
    pub local_none: &'static str,
    pub details_heading: &'static str,
    pub details_intro: &'static str,
    pub technical_details: &'static str,
    pub sharpen_heading: &'static str,
    pub sharpen_intro: &'static str,
    pub share_heading: &'static str,
    pub share_link_label: &'static str,
    pub copy_failed: &'static str,
    pub summary_button: &'static str,
    pub summary_copied: &'static str,
    pub summary_label: &'static str,
    /// `{host}`.
    pub summary_title: &'static str,
    /// `{time}`, `{vantage}`.
    pub summary_checked: &'static str,
    /// `{title}`.
    pub summary_verdict: &'static str,
    pub summary_todo: &'static str,
    /// `{host}`, `{port}`, `{security}`.
    pub summary_settings: &'static str,
    pub summary_ports: &'static str,
    /// `{port}`, `{security}`, `{result}`, `{time}`.
    pub summary_port_line: &'static str,
    /// `{port}`, `{security}`.
    pub summary_port_not_tested: &'static str,
    /// `{port}`, `{result}`, `{tool}`.
    pub summary_local_line: &'static str,
    pub summary_admin: &'static str,
    /// `{link}`.
    pub summary_link: &'static str,
    pub summary_no_verdict: &'static str,
    pub full_report: &'static str,
    pub full_report_hint: &'static str,
}

impl Lang {
    pub fn flow_texts(self) -> &'static FlowTexts {
        match self {
            Self::En => &EN,
            Self::Ja => &JA,
        }
    }
}

pub static EN: FlowTexts = FlowTexts {
    found_heading: "Settings found for {domain}",
    found_use_hint: "\"Use these settings\" fills in the form below; nothing is checked until \
        you press Check.",
    where_from: "What the domain publishes",
    more_candidates: "More possibilities",
    results_heading: "Your result",
    network_side: "From your network",
    internet_side: "From the internet",
    local_none: "Not checked from your computer yet: see \"Check from your own \
        computer\".",
    details_heading: "Each port in detail",
    details_intro: "Timings, the certificate and the conversation with the server, for whoever \
        fixes it.",
    technical_details: "Greeting, capabilities and certificate",
    sharpen_heading: "Make the verdict sharper",
    sharpen_intro: "Some causes look the same from outside. A few answers, or a check from your \
        own computer, tell them apart; the verdict above updates as you go.",
    share_heading: "Share this result",
    share_link_label: "Link to this result",
    copy_failed: "Your browser did not allow copying: select the text in the box and copy it.",
    summary_button: "Copy a summary",
    summary_copied: "Summary copied: paste it into an e-mail or a support ticket.",
    summary_label: "Summary for an e-mail or a support ticket",
    summary_title: "sendcheck result for the mail server {host}",
    summary_checked: "Checked {time} from {vantage}.",
    summary_verdict: "Verdict: {title}",
    summary_todo: "What to do:",
    summary_settings: "Settings: server {host}, port {port}, security {security}",
    summary_ports: "Each port, as seen from the internet:",
    summary_port_line: "- port {port} ({security}): {result} ({time})",
    summary_port_not_tested: "- port {port} ({security}): not tested from sendcheck's servers",
    summary_local_line: "- from my computer, port {port}: {result} ({tool})",
    summary_admin: "For the server's administrator:",
    summary_link: "Full result: {link}",
    summary_no_verdict: "No verdict yet.",
    full_report: "Full report on sendcheck",
    full_report_hint: "Opens in a new tab, with the same settings.",
};

pub static JA: FlowTexts = FlowTexts {
    found_heading: "{domain} の設定が見つかりました",
    found_use_hint: "「この設定を使う」で下の欄に入力されます。「調べる」を押すまで何も調べ\
        ません。",
    where_from: "ドメインが公開している情報",
    more_candidates: "その他の候補",
    results_heading: "結果",
    network_side: "あなたのネットワークから",
    internet_side: "インターネットから",
    local_none: "お使いのパソコンからはまだ確かめていません。「お使いのパソコンから確かめる」\
        の欄をご覧ください。",
    details_heading: "ポートごとの詳細",
    details_intro: "かかった時間、証明書、サーバーとのやりとり。直す人のための情報です。",
    technical_details: "あいさつ・対応機能・証明書",
    sharpen_heading: "診断をより確かにする",
    sharpen_intro: "外から見ると同じに見える原因があります。いくつかの質問への回答や、\
        お使いのパソコンからの確認で見分けられます。上の診断は回答に合わせて更新されます。",
    share_heading: "この結果を共有する",
    share_link_label: "この結果へのリンク",
    copy_failed: "ブラウザーがコピーを許可しませんでした。欄の文字を選んでコピーしてください。",
    summary_button: "要約をコピー",
    summary_copied: "要約をコピーしました。メールや問い合わせにそのまま貼り付けられます。",
    summary_label: "メールや問い合わせ用の要約",
    summary_title: "メールサーバー {host} の sendcheck の結果",
    summary_checked: "{time} に {vantage} から調べました。",
    summary_verdict: "診断: {title}",
    summary_todo: "すること:",
    summary_settings: "設定: サーバー {host}、{port}番ポート、暗号化 {security}",
    summary_ports: "インターネットから見た各ポート:",
    summary_port_line: "- {port}番ポート（{security}）: {result}（{time}）",
    summary_port_not_tested: "- {port}番ポート（{security}）: sendcheck のサーバーからは\
        調べていません",
    summary_local_line: "- お使いのパソコンから、{port}番ポート: {result}（{tool}）",
    summary_admin: "サーバーの管理者の方へ:",
    summary_link: "結果の全文: {link}",
    summary_no_verdict: "診断はまだありません。",
    full_report: "sendcheck で詳しい結果を見る",
    full_report_hint: "同じ設定で新しいタブに開きます。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tests::placeholders;

    /// Every text with a name. Destructured without `..`: a new field fails to compile here
    /// until it is listed.
    fn all(t: &'static FlowTexts) -> Vec<(&'static str, &'static str)> {
        let FlowTexts {
            found_heading,
            found_use_hint,
            where_from,
            more_candidates,
            results_heading,
            network_side,
            internet_side,
            local_none,
            details_heading,
            details_intro,
            technical_details,
            sharpen_heading,
            sharpen_intro,
            share_heading,
            share_link_label,
            copy_failed,
            summary_button,
            summary_copied,
            summary_label,
            summary_title,
            summary_checked,
            summary_verdict,
            summary_todo,
            summary_settings,
            summary_ports,
            summary_port_line,
            summary_port_not_tested,
            summary_local_line,
            summary_admin,
            summary_link,
            summary_no_verdict,
            full_report,
            full_report_hint,
        } = t;
        vec![
            ("found_heading", found_heading),
            ("found_use_hint", found_use_hint),
            ("where_from", where_from),
            ("more_candidates", more_candidates),
            ("results_heading", results_heading),
            ("network_side", network_side),
            ("internet_side", internet_side),
            ("local_none", local_none),
            ("details_heading", details_heading),
            ("details_intro", details_intro),
            ("technical_details", technical_details),
            ("sharpen_heading", sharpen_heading),
            ("sharpen_intro", sharpen_intro),
            ("share_heading", share_heading),
            ("share_link_label", share_link_label),
            ("copy_failed", copy_failed),
            ("summary_button", summary_button),
            ("summary_copied", summary_copied),
            ("summary_label", summary_label),
            ("summary_title", summary_title),
            ("summary_checked", summary_checked),
            ("summary_verdict", summary_verdict),
            ("summary_todo", summary_todo),
            ("summary_settings", summary_settings),
            ("summary_ports", summary_ports),
            ("summary_port_line", summary_port_line),
            ("summary_port_not_tested", summary_port_not_tested),
            ("summary_local_line", summary_local_line),
            ("summary_admin", summary_admin),
            ("summary_link", summary_link),
            ("summary_no_verdict", summary_no_verdict),
            ("full_report", full_report),
            ("full_report_hint", full_report_hint),
        ]
    }

    #[test]
    fn both_languages_fill_the_same_placeholders_and_none_is_empty() {
        for ((key, en), (_, ja)) in all(&EN).into_iter().zip(all(&JA)) {
            assert!(!en.trim().is_empty() && !ja.trim().is_empty(), "{key}");
            assert_eq!(placeholders(en), placeholders(ja), "{key}");
            assert!(!en.contains("  ") && !ja.contains("  "), "{key}");
        }
        let names = |t: &'static str| placeholders(t).into_iter().collect::<Vec<_>>();
        assert_eq!(
            names(EN.summary_port_line),
            ["port", "result", "security", "time"]
        );
        assert_eq!(names(JA.summary_checked), ["time", "vantage"]);
    }
}
