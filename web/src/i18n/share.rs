//! Every word of share links, in both languages: the view a link opens (its verification
//! banner, errors, the person's unverified part) and the share button on a live result.
//! Keyed tables where the key comes from the wire (`ShareError::name()`, answer names).

use crate::i18n::Lang;

#[derive(Debug, PartialEq, Eq)]
pub struct ShareTexts {
    pub heading: &'static str,
    pub checking: &'static str,
    /// `{time}`, `{vantage}`.
    pub verified: &'static str,
    /// `{key_id}`.
    pub verified_detail: &'static str,
    pub altered: &'static str,
    pub altered_detail: &'static str,
    pub unverifiable: &'static str,
    /// Why it could not be verified, by reason name.
    pub unverifiable_reasons: &'static [(&'static str, &'static str)],
    /// `{time}`, `{vantage}`: what an unverified report says of itself.
    pub claimed: &'static str,
    pub invalid: &'static str,
    /// By `ShareError::name()` (and `browser_unsupported`).
    pub errors: &'static [(&'static str, &'static str)],
    pub error_other: &'static str,
    /// `{colo}`.
    pub vantage_edge: &'static str,
    pub vantage_edge_somewhere: &'static str,
    pub vantage_local: &'static str,
    pub vantage_native: &'static str,
    /// `{kind}`.
    pub vantage_other: &'static str,
    pub outside_heading: &'static str,
    /// `{host}`, `{ports}`.
    pub outside_summary: &'static str,
    pub person_heading: &'static str,
    pub person_note: &'static str,
    pub person_nothing: &'static str,
    pub labels: PersonLabels,
    pub yes: &'static str,
    pub no: &'static str,
    /// `{host}`, `{port}`, `{security}`.
    pub configured_value: &'static str,
    pub security_auto: &'static str,
    /// By `Security` name (`starttls`, `tls`, `none`).
    pub securities: &'static [(&'static str, &'static str)],
    /// By `MailClient::name()`.
    pub clients: &'static [(&'static str, &'static str)],
    /// By `RecentChange::name()`.
    pub changes: &'static [(&'static str, &'static str)],
    /// By `LocalResult::name()`.
    pub local_results: &'static [(&'static str, &'static str)],
    /// By `BrowserResult::name()`.
    pub browser_results: &'static [(&'static str, &'static str)],
    /// `{asn}`.
    pub asn: &'static str,
    /// `{port}`, `{result}`.
    pub local_check_value: &'static str,
    /// `{scheme}`, `{port}`, `{result}`.
    pub browser_check_value: &'static str,
    pub start_over: &'static str,
    /// The share button on a live result.
    pub button: &'static str,
    pub button_copied: &'static str,
    /// The deployment has no `SHARE_SIGNING_KEY`: reports carry no seal.
    pub button_unavailable: &'static str,
    pub include_username: &'static str,
    pub privacy_note: &'static str,
}

/// Labels of what the person told or saw, in the order shown.
#[derive(Debug, PartialEq, Eq)]
pub struct PersonLabels {
    pub username: &'static str,
    pub client: &'static str,
    pub configured: &'static str,
    pub error_text: &'static str,
    pub receiving_works: &'static str,
    pub web_works: &'static str,
    pub other_servers_work: &'static str,
    pub email_domain: &'static str,
    pub security_software: &'static str,
    pub recent_changes: &'static str,
    pub network: &'static str,
    pub local_checks: &'static str,
    pub browser_checks: &'static str,
}

impl Lang {
    pub fn share_texts(self) -> &'static ShareTexts {
        match self {
            Self::En => &EN,
            Self::Ja => &JA,
        }
    }
}

impl ShareTexts {
    /// The message for an error code; unknown codes get the general one.
    pub fn error(&self, code: &str) -> &'static str {
        lookup(self.errors, code).unwrap_or(self.error_other)
    }

    /// The text of `key` in one of the keyed tables, or the key itself (a name from a newer
    /// sendcheck still shows something).
    pub fn named<'a>(table: &'static [(&'static str, &'static str)], key: &'a str) -> &'a str {
        lookup(table, key).unwrap_or(key)
    }
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub static EN: ShareTexts = ShareTexts {
    heading: "A shared sendcheck result",
    checking: "Checking the link's signature…",
    verified: "Verified: produced by sendcheck at {time} from {vantage}.",
    verified_detail: "The signature matches the key sendcheck publishes (key {key_id}), so what \
        sendcheck saw from outside is shown below exactly as it was measured.",
    altered: "Warning: this result was changed after sendcheck produced it.",
    altered_detail: "Its signature does not match its content, so nothing below can be trusted. \
        The link was edited, or damaged when it was copied. Ask for a new link.",
    unverifiable: "This result could not be verified.",
    unverifiable_reasons: &[
        (
            "unknown_key",
            "It was signed with a key this sendcheck does not know (key {key_id}). It may come \
             from another installation of sendcheck, or from someone pretending to be it.",
        ),
        (
            "keys_unavailable",
            "sendcheck's public keys could not be loaded. Check the connection and reload the \
             page.",
        ),
        (
            "no_browser_support",
            "This browser cannot check the signature (Ed25519). A current Chrome, Edge, \
             Firefox or Safari can.",
        ),
    ],
    claimed: "It says it was produced at {time} from {vantage}; treat that as unconfirmed.",
    invalid: "This link cannot be opened.",
    errors: &[
        (
            "not_a_link",
            "This address does not contain a sendcheck result. Copy the whole link, including \
             everything after “#r=”.",
        ),
        (
            "unknown_version",
            "This link was made by a newer or unknown version of sendcheck. Ask for a new link.",
        ),
        (
            "bad_encoding",
            "Part of this link is missing or damaged, probably when it was copied. Copy the \
             whole link again.",
        ),
        (
            "too_large",
            "This link, or the result packed into it, is far larger than any sendcheck makes, \
             so it was not opened.",
        ),
        (
            "bad_signature",
            "The signature does not match the content: the result was changed.",
        ),
        (
            "unknown_key",
            "The result was signed with a key this sendcheck does not know.",
        ),
        ("bad_report", "The result inside this link cannot be read."),
        (
            "bad_answers",
            "The answers added to this link cannot be read.",
        ),
        (
            "browser_unsupported",
            "This browser cannot unpack the result. A current Chrome, Edge, Firefox or Safari \
             can.",
        ),
    ],
    error_other: "This link cannot be opened.",
    vantage_edge: "Cloudflare's network (data centre {colo})",
    vantage_edge_somewhere: "Cloudflare's network",
    vantage_local: "a local test installation",
    vantage_native: "the sendcheck command-line tool",
    vantage_other: "“{kind}”",
    outside_heading: "What sendcheck saw from outside",
    outside_summary: "Mail server {host}, ports {ports}.",
    person_heading: "What the person reported (not verified)",
    person_note: "Added by whoever shared this link. sendcheck did not check any of it.",
    person_nothing: "Nothing was added.",
    labels: PersonLabels {
        username: "User name",
        client: "Mail program",
        configured: "Outgoing server settings",
        error_text: "Error message",
        receiving_works: "Receiving mail works",
        web_works: "Web pages open",
        other_servers_work: "Other mail servers work",
        email_domain: "Email domain",
        security_software: "Security software",
        recent_changes: "Recent changes",
        network: "Their network",
        local_checks: "Checks run on their computer",
        browser_checks: "Reached from their browser",
    },
    yes: "yes",
    no: "no",
    configured_value: "{host}, port {port}, {security}",
    security_auto: "security chosen automatically",
    securities: &[
        ("starttls", "STARTTLS"),
        ("tls", "SSL/TLS"),
        ("none", "no encryption"),
    ],
    clients: &[
        ("outlook", "Outlook"),
        ("outlook_express", "Outlook Express / Windows Mail"),
        ("thunderbird", "Thunderbird"),
        ("apple_mail", "Mail on a Mac"),
        ("ios", "Mail on an iPhone or iPad"),
        ("android", "A mail app on Android"),
        ("gmail_send_as", "Gmail, sending as another address"),
        ("becky", "Becky! Internet Mail"),
        ("other", "Another program"),
    ],
    changes: &[
        ("password_changed", "the password was changed"),
        (
            "network_equipment",
            "a modem or router was replaced or changed",
        ),
        ("os_reinstalled", "the computer was set up again"),
        (
            "security_software",
            "security software was installed or changed",
        ),
        ("mail_client_changed", "the mail program was changed"),
        ("provider_notice", "the provider sent a notice"),
        ("other", "something else"),
    ],
    local_results: &[
        ("connected", "connected"),
        ("refused", "refused"),
        ("timed_out", "no answer"),
        ("failed", "failed"),
        ("tls_ok", "encrypted connection works"),
        ("tls_failed", "encryption failed"),
        ("tls_no_answer", "no answer after connecting"),
        ("tls_certificate_invalid", "certificate invalid"),
        ("dns_failed", "name not found"),
        ("unknown", "unknown result"),
    ],
    browser_results: &[
        ("answered", "answered"),
        ("no_answer", "no answer"),
        ("blocked_by_browser", "not tried (the browser forbids it)"),
        ("unknown", "unknown result"),
    ],
    asn: "AS{asn}",
    local_check_value: "port {port}: {result}",
    browser_check_value: "{scheme} port {port}: {result}",
    start_over: "Check a mail server yourself",
    button: "Copy a link to this result",
    button_copied: "Link copied. It opens this result without checking again.",
    button_unavailable: "Links to results can't be verified on this installation of sendcheck \
        (it has no signing key), so sharing is off.",
    include_username: "Include my user name in the link",
    privacy_note: "The link holds the results and your answers, never your password. Anyone \
        who has the link can see them.",
};

pub static JA: ShareTexts = ShareTexts {
    heading: "共有された sendcheck の結果",
    checking: "リンクの署名を確認しています…",
    verified: "確認済み: sendcheck が {time} に {vantage} から調べた結果です。",
    verified_detail: "署名が sendcheck の公開鍵（鍵 {key_id}）と一致しました。外から調べた結果は、\
        測ったときのまま下に表示しています。",
    altered: "注意: この結果は sendcheck が作成した後に書き換えられています。",
    altered_detail: "署名と内容が一致しないため、下の内容は信用できません。リンクが編集されたか、\
        コピーの途中で壊れました。新しいリンクをもらってください。",
    unverifiable: "この結果は確認できませんでした。",
    unverifiable_reasons: &[
        (
            "unknown_key",
            "この sendcheck が知らない鍵（鍵 {key_id}）で署名されています。別の場所で動いている \
             sendcheck のものか、sendcheck を装ったものかもしれません。",
        ),
        (
            "keys_unavailable",
            "sendcheck の公開鍵を読み込めませんでした。接続を確かめて、ページを再読み込みしてください。",
        ),
        (
            "no_browser_support",
            "このブラウザーは署名（Ed25519）を確認できません。最新の Chrome、Edge、Firefox、Safari \
             なら確認できます。",
        ),
    ],
    claimed: "{time} に {vantage} から調べたと書かれていますが、確認はできていません。",
    invalid: "このリンクは開けません。",
    errors: &[
        (
            "not_a_link",
            "このアドレスには sendcheck の結果が含まれていません。「#r=」以降も含めて、リンク全体を\
             コピーしてください。",
        ),
        (
            "unknown_version",
            "このリンクは新しい、または未知の版の sendcheck で作られています。新しいリンクをもらって\
             ください。",
        ),
        (
            "bad_encoding",
            "リンクの一部が欠けているか壊れています。コピーの途中で切れた可能性があります。リンク全体を\
             もう一度コピーしてください。",
        ),
        (
            "too_large",
            "リンク、またはリンクに詰められた結果が sendcheck の作るものよりはるかに大きいため、開きませんでした。",
        ),
        (
            "bad_signature",
            "署名と内容が一致しません。結果が書き換えられています。",
        ),
        (
            "unknown_key",
            "この sendcheck が知らない鍵で署名されています。",
        ),
        ("bad_report", "リンクに含まれる結果を読み取れません。"),
        ("bad_answers", "リンクに添えられた回答を読み取れません。"),
        (
            "browser_unsupported",
            "このブラウザーでは結果を展開できません。最新の Chrome、Edge、Firefox、Safari なら\
             開けます。",
        ),
    ],
    error_other: "このリンクは開けません。",
    vantage_edge: "Cloudflare のネットワーク（データセンター {colo}）",
    vantage_edge_somewhere: "Cloudflare のネットワーク",
    vantage_local: "ローカルのテスト環境",
    vantage_native: "sendcheck のコマンドラインツール",
    vantage_other: "「{kind}」",
    outside_heading: "sendcheck が外から見た結果",
    outside_summary: "メールサーバー {host}、{ports}番ポート。",
    person_heading: "本人が伝えた内容（未確認）",
    person_note: "リンクを共有した人が書き添えた内容です。sendcheck は確認していません。",
    person_nothing: "書き添えられた内容はありません。",
    labels: PersonLabels {
        username: "ユーザー名",
        client: "メールソフト",
        configured: "送信サーバーの設定",
        error_text: "エラーメッセージ",
        receiving_works: "受信はできる",
        web_works: "Web ページは開ける",
        other_servers_work: "ほかのメールサーバーなら送れる",
        email_domain: "メールアドレスのドメイン",
        security_software: "セキュリティソフト",
        recent_changes: "最近の変更",
        network: "利用中のネットワーク",
        local_checks: "本人のパソコンで行った確認",
        browser_checks: "本人のブラウザーからの到達確認",
    },
    yes: "はい",
    no: "いいえ",
    configured_value: "{host}、{port}番ポート、{security}",
    security_auto: "暗号化は自動選択",
    securities: &[
        ("starttls", "STARTTLS"),
        ("tls", "SSL/TLS"),
        ("none", "暗号化なし"),
    ],
    clients: &[
        ("outlook", "Outlook"),
        ("outlook_express", "Outlook Express / Windows メール"),
        ("thunderbird", "Thunderbird"),
        ("apple_mail", "Mac のメール"),
        ("ios", "iPhone / iPad のメール"),
        ("android", "Android のメールアプリ"),
        ("gmail_send_as", "Gmail（別のアドレスとして送信）"),
        ("becky", "Becky! Internet Mail"),
        ("other", "その他のソフト"),
    ],
    changes: &[
        ("password_changed", "パスワードを変更した"),
        ("network_equipment", "モデムやルーターを交換・設定変更した"),
        ("os_reinstalled", "パソコンを初期化・再セットアップした"),
        ("security_software", "セキュリティソフトを入れた・変えた"),
        ("mail_client_changed", "メールソフトを変えた"),
        ("provider_notice", "プロバイダーからお知らせが来た"),
        ("other", "その他"),
    ],
    local_results: &[
        ("connected", "接続できた"),
        ("refused", "拒否された"),
        ("timed_out", "応答なし"),
        ("failed", "失敗"),
        ("tls_ok", "暗号化接続できた"),
        ("tls_failed", "暗号化に失敗"),
        ("tls_no_answer", "接続後に応答なし"),
        ("tls_certificate_invalid", "証明書が無効"),
        ("dns_failed", "名前が見つからない"),
        ("unknown", "不明な結果"),
    ],
    browser_results: &[
        ("answered", "応答あり"),
        ("no_answer", "応答なし"),
        ("blocked_by_browser", "未実施（ブラウザーが禁止）"),
        ("unknown", "不明な結果"),
    ],
    asn: "AS{asn}",
    local_check_value: "{port}番ポート: {result}",
    browser_check_value: "{scheme}（{port}番ポート）: {result}",
    start_over: "自分でメールサーバーを調べる",
    button: "この結果へのリンクをコピー",
    button_copied: "リンクをコピーしました。開くと、もう一度調べずにこの結果が表示されます。",
    button_unavailable: "この sendcheck には署名用の鍵がないため、結果のリンクを確認できません。\
        共有はできません。",
    include_username: "リンクにユーザー名を含める",
    privacy_note: "リンクには結果と回答が含まれます。パスワードは含まれません。リンクを知っている人は\
        誰でも内容を見られます。",
};

#[cfg(test)]
mod tests {
    use sendcheck::diagnosis::{BrowserResult, MailClient, RecentChange};
    use sendcheck::share::ShareError;

    use super::*;
    use crate::i18n::tests::placeholders;

    type Table = &'static [(&'static str, &'static str)];

    /// Every text with a name. Destructured without `..`: a new field fails to compile here
    /// until it is listed.
    fn all(t: &'static ShareTexts) -> Vec<(String, &'static str)> {
        let ShareTexts {
            heading,
            checking,
            verified,
            verified_detail,
            altered,
            altered_detail,
            unverifiable,
            unverifiable_reasons,
            claimed,
            invalid,
            errors,
            error_other,
            vantage_edge,
            vantage_edge_somewhere,
            vantage_local,
            vantage_native,
            vantage_other,
            outside_heading,
            outside_summary,
            person_heading,
            person_note,
            person_nothing,
            labels,
            yes,
            no,
            configured_value,
            security_auto,
            securities,
            clients,
            changes,
            local_results,
            browser_results,
            asn,
            local_check_value,
            browser_check_value,
            start_over,
            button,
            button_copied,
            button_unavailable,
            include_username,
            privacy_note,
        } = t;
        let PersonLabels {
            username,
            client,
            configured,
            error_text,
            receiving_works,
            web_works,
            other_servers_work,
            email_domain,
            security_software,
            recent_changes,
            network,
            local_checks,
            browser_checks,
        } = labels;
        let mut all: Vec<(String, &'static str)> = [
            ("heading", *heading),
            ("checking", checking),
            ("verified", verified),
            ("verified_detail", verified_detail),
            ("altered", altered),
            ("altered_detail", altered_detail),
            ("unverifiable", unverifiable),
            ("claimed", claimed),
            ("invalid", invalid),
            ("error_other", error_other),
            ("vantage_edge", vantage_edge),
            ("vantage_edge_somewhere", vantage_edge_somewhere),
            ("vantage_local", vantage_local),
            ("vantage_native", vantage_native),
            ("vantage_other", vantage_other),
            ("outside_heading", outside_heading),
            ("outside_summary", outside_summary),
            ("person_heading", person_heading),
            ("person_note", person_note),
            ("person_nothing", person_nothing),
            ("labels.username", username),
            ("labels.client", client),
            ("labels.configured", configured),
            ("labels.error_text", error_text),
            ("labels.receiving_works", receiving_works),
            ("labels.web_works", web_works),
            ("labels.other_servers_work", other_servers_work),
            ("labels.email_domain", email_domain),
            ("labels.security_software", security_software),
            ("labels.recent_changes", recent_changes),
            ("labels.network", network),
            ("labels.local_checks", local_checks),
            ("labels.browser_checks", browser_checks),
            ("yes", yes),
            ("no", no),
            ("configured_value", configured_value),
            ("security_auto", security_auto),
            ("asn", asn),
            ("local_check_value", local_check_value),
            ("browser_check_value", browser_check_value),
            ("start_over", start_over),
            ("button", button),
            ("button_copied", button_copied),
            ("button_unavailable", button_unavailable),
            ("include_username", include_username),
            ("privacy_note", privacy_note),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let tables: [(&str, Table); 7] = [
            ("unverifiable_reasons", unverifiable_reasons),
            ("errors", errors),
            ("securities", securities),
            ("clients", clients),
            ("changes", changes),
            ("local_results", local_results),
            ("browser_results", browser_results),
        ];
        for (name, table) in tables {
            for (key, text) in table.iter() {
                all.push((format!("{name}.{key}"), text));
            }
        }
        all
    }

    fn keys(table: Table) -> Vec<&'static str> {
        table.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_languages_fill_the_same_placeholders_and_none_is_empty() {
        let en = all(&EN);
        let ja = all(&JA);
        let en_keys: Vec<_> = en.iter().map(|(k, _)| k.as_str()).collect();
        let ja_keys: Vec<_> = ja.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(en_keys, ja_keys);
        for ((key, en_text), (_, ja_text)) in en.iter().zip(ja.iter()) {
            assert!(
                !en_text.trim().is_empty() && !ja_text.trim().is_empty(),
                "{key}"
            );
            assert_eq!(placeholders(en_text), placeholders(ja_text), "{key}");
            // Continuation lines must not leave runs of spaces in the middle of a sentence.
            assert!(!en_text.contains("  ") && !ja_text.contains("  "), "{key}");
        }
    }

    #[test]
    fn the_texts_with_variable_parts_name_the_parts_that_are_filled() {
        for lang in Lang::ALL {
            let t = lang.share_texts();
            let expect = |text: &str, names: &[&str]| {
                assert_eq!(
                    placeholders(text),
                    names.iter().copied().collect(),
                    "{text}"
                );
            };
            expect(t.verified, &["time", "vantage"]);
            expect(t.claimed, &["time", "vantage"]);
            expect(t.verified_detail, &["key_id"]);
            expect(t.vantage_edge, &["colo"]);
            expect(t.outside_summary, &["host", "ports"]);
            expect(t.configured_value, &["host", "port", "security"]);
            expect(t.local_check_value, &["port", "result"]);
            expect(t.browser_check_value, &["scheme", "port", "result"]);
            expect(t.asn, &["asn"]);
            for (key, text) in t.unverifiable_reasons {
                let names: &[&str] = if *key == "unknown_key" {
                    &["key_id"]
                } else {
                    &[]
                };
                expect(text, names);
            }
        }
    }

    #[test]
    fn every_name_from_the_wire_has_words() {
        let clients = crate::questions::CLIENTS.map(MailClient::name);
        // The page's checkboxes, and `other` (what a newer sendcheck may send).
        let mut changes = crate::questions::CHANGES.map(RecentChange::name).to_vec();
        changes.push(RecentChange::Other.name());
        let browser = [
            BrowserResult::Answered,
            BrowserResult::NoAnswer,
            BrowserResult::BlockedByBrowser,
            BrowserResult::Unknown,
        ]
        .map(BrowserResult::name);
        let local = [
            "connected",
            "refused",
            "timed_out",
            "failed",
            "tls_ok",
            "tls_failed",
            "tls_no_answer",
            "tls_certificate_invalid",
            "dns_failed",
            "unknown",
        ];
        let mut errors = ShareError::NAMES.to_vec();
        errors.push("browser_unsupported");
        for lang in Lang::ALL {
            let t = lang.share_texts();
            assert_eq!(keys(t.clients), clients, "{lang:?}");
            assert_eq!(keys(t.changes), changes, "{lang:?}");
            assert_eq!(keys(t.browser_results), browser, "{lang:?}");
            assert_eq!(keys(t.local_results), local, "{lang:?}");
            assert_eq!(keys(t.errors), errors, "{lang:?}");
            assert_eq!(
                keys(t.unverifiable_reasons),
                ["unknown_key", "keys_unavailable", "no_browser_support"]
            );
            assert_eq!(keys(t.securities), ["starttls", "tls", "none"]);
            assert_eq!(t.error("rate_limited"), t.error_other);
            assert_eq!(
                ShareTexts::named(t.clients, "carrier_pigeon"),
                "carrier_pigeon"
            );
        }
    }
}
