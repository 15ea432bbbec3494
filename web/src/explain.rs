//! From what happened to the words shown: picks the text for an outcome or a failure in the
//! person's language and fills in the host, port, reply and so on.

use sendcheck::knowledge::detail_words;
use sendcheck::wire::{CertificateProblem, OutcomeKind, ProbeReport, TargetSummary};

use crate::auth;
use crate::i18n::{fill, Lang};
use crate::library::text_lang;
use crate::state::Failure;
use crate::when::local_date;

/// A headline and what it means, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub headline: String,
    pub explanation: String,
}

/// What to show when there is no report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureWords {
    /// `None` for a simple input mistake, which needs no headline.
    pub headline: Option<String>,
    pub text: String,
    /// The API's own (English) message, shown after the translation of its code.
    pub server_message: Option<String>,
    /// A technical detail worth quoting to whoever runs sendcheck.
    pub detail: Option<String>,
}

/// The headline and explanation of a probe's outcome.
pub fn outcome(report: &ProbeReport, lang: Lang) -> Explained {
    let texts = lang.texts();
    let kind = &report.outcome.kind;
    let text = if kind.is_success() && auth::login_accepted(report.auth.as_ref()) {
        &texts.outcome_completed_login
    } else {
        texts.outcome(kind.name())
    };
    let target = &report.target;
    let server = match report.address.as_deref() {
        Some(address) if address != target.host => format!("{} ({address})", target.host),
        _ => target.host.clone(),
    };
    let detail = match kind {
        OutcomeKind::DnsFailed { detail }
        | OutcomeKind::ConnectFailed { detail }
        | OutcomeKind::ConnectionLost { detail }
        | OutcomeKind::MalformedReply { detail }
        | OutcomeKind::TlsHandshakeFailed {
            detail,
            alert: None,
        } => detail.clone(),
        OutcomeKind::TlsHandshakeFailed {
            detail,
            alert: Some(alert),
        } => format!("{detail}; TLS alert: {alert}"),
        OutcomeKind::PlaintextInsteadOfTls { excerpt } => excerpt.clone(),
        OutcomeKind::AuthMechanismUnsupported { offered } => offered.join(" "),
        _ => String::new(),
    };
    // The sentence carries the detail in the person's language; the raw text stays in the
    // technical details below it.
    let detail = match kind {
        OutcomeKind::AuthMechanismUnsupported { .. } => detail,
        _ if detail.is_empty() => detail,
        _ => detail_words(text_lang(lang), &detail),
    };
    let reply = match kind {
        OutcomeKind::GreetingRejected { reply }
        | OutcomeKind::EhloRejected { reply }
        | OutcomeKind::StartTlsRefused { reply }
        | OutcomeKind::AuthRejected { reply } => reply.wire_lines().collect::<Vec<_>>().join(" "),
        _ => String::new(),
    };
    let port = target.port.to_string();
    let at = report.outcome.at_ms.to_string();
    let values = [
        ("host", target.host.as_str()),
        ("server", server.as_str()),
        ("port", port.as_str()),
        ("security", texts.security(target.security)),
        ("detail", detail.as_str()),
        ("reply", reply.as_str()),
        ("step", texts.step(report.outcome.step.name())),
        ("at", at.as_str()),
        ("kind", kind.name()),
    ];
    Explained {
        headline: fill(text.headline, &values),
        explanation: fill(text.explanation, &values),
    }
}

/// What is wrong with the server's certificate: from the outcome when that is the reason the
/// probe ended, else from the TLS report (a problem found on the way to another outcome).
pub fn certificate_problems(report: &ProbeReport) -> &[CertificateProblem] {
    match (&report.outcome.kind, &report.tls) {
        (OutcomeKind::CertificateUntrusted { problems }, _) if !problems.is_empty() => problems,
        (_, Some(tls)) => tls.verification.problems(),
        _ => &[],
    }
}

/// One certificate problem in words.
pub fn certificate_problem(problem: &CertificateProblem, lang: Lang) -> String {
    let t = &lang.texts().certificate;
    match problem {
        CertificateProblem::Expired { not_after_unix } => {
            fill(t.expired, &[("date", &local_date(*not_after_unix, lang))])
        }
        CertificateProblem::NotYetValid { not_before_unix } => fill(
            t.not_yet_valid,
            &[("date", &local_date(*not_before_unix, lang))],
        ),
        CertificateProblem::NameMismatch {
            expected,
            presented,
        } => fill(
            t.name_mismatch,
            &[("expected", expected), ("presented", &presented.join(", "))],
        ),
        CertificateProblem::UnknownIssuer { issuer } => {
            fill(t.unknown_issuer, &[("issuer", issuer)])
        }
        CertificateProblem::SelfSigned => t.self_signed.to_owned(),
        CertificateProblem::IncompleteChain { missing_issuer } => {
            fill(t.incomplete_chain, &[("issuer", missing_issuer)])
        }
        CertificateProblem::NoCertificate => t.no_certificate.to_owned(),
        CertificateProblem::Other { detail } => fill(t.other, &[("detail", detail)]),
        _ => t.unknown.to_owned(),
    }
}

/// The words for a probe that produced no report.
pub fn failure(failure: &Failure, lang: Lang) -> FailureWords {
    let texts = lang.texts();
    let simple = |text: &str| FailureWords {
        headline: None,
        text: text.to_owned(),
        server_message: None,
        detail: None,
    };
    match failure {
        Failure::EmptyHost => simple(texts.empty_host),
        Failure::MissingUsername => simple(texts.missing_username),
        Failure::MissingPassword => simple(texts.missing_password),
        Failure::Api { code, message, .. } => FailureWords {
            server_message: Some(message.clone()).filter(|m| !m.is_empty()),
            ..simple(texts.input_error(code))
        },
        Failure::Unreadable { status, detail } => {
            let status = status.to_string();
            FailureWords {
                headline: Some(texts.unreadable.headline.to_owned()),
                text: fill(texts.unreadable.explanation, &[("status", &status)]),
                server_message: None,
                detail: Some(detail.clone()).filter(|d| !d.is_empty()),
            }
        }
        Failure::Unreachable { detail } => FailureWords {
            headline: Some(texts.unreachable.headline.to_owned()),
            text: texts.unreachable.explanation.to_owned(),
            server_message: None,
            detail: Some(detail.clone()).filter(|d| !d.is_empty()),
        },
        Failure::TimedOut { seconds } => {
            let seconds = seconds.to_string();
            FailureWords {
                headline: Some(texts.timed_out.headline.to_owned()),
                text: fill(texts.timed_out.explanation, &[("seconds", &seconds)]),
                server_message: None,
                detail: None,
            }
        }
    }
}

/// "mail.example.com, port 587, STARTTLS".
pub fn target(target: &TargetSummary, lang: Lang) -> String {
    let texts = lang.texts();
    fill(
        texts.target_value,
        &[
            ("host", &target.host),
            ("port", &target.port.to_string()),
            ("security", texts.security(target.security)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::read_answer;

    fn report(outcome: &str, address: Option<&str>) -> ProbeReport {
        let address = address.map_or(String::new(), |a| format!(r#""address":"{a}","#));
        let json = format!(
            r#"{{"version":1,"target":{{"host":"198.51.100.25","port":2525,"security":"starttls"}},
            {address}"started_at_unix_ms":0,"outcome":{outcome},"steps":[],"transcript":[],"total_ms":9}}"#
        );
        read_answer(200, &json).expect("test report")
    }

    #[test]
    fn connection_refused_names_the_port_and_address() {
        let r = report(
            r#"{"kind":"connection_refused","step":"connect","at_ms":3}"#,
            Some("198.51.100.25"),
        );
        let en = outcome(&r, Lang::En);
        assert_eq!(en.headline, "Connection refused");
        assert!(
            en.explanation
                .starts_with("Nothing is accepting connections on port 2525 at 198.51.100.25. The server is reachable, but this port is closed"),
            "{}",
            en.explanation
        );
        let ja = outcome(&r, Lang::Ja);
        assert_eq!(ja.headline, "接続が拒否されました");
        assert!(
            ja.explanation.contains("198.51.100.25の2525番ポート"),
            "{}",
            ja.explanation
        );
    }

    #[test]
    fn a_resolved_name_shows_with_its_address() {
        let mut r = report(
            r#"{"kind":"connect_timeout","step":"connect","at_ms":10000}"#,
            Some("192.0.2.7"),
        );
        r.target.host = "mail.example.com".into();
        let en = outcome(&r, Lang::En);
        assert!(
            en.explanation
                .contains("mail.example.com (192.0.2.7) on port 2525"),
            "{}",
            en.explanation
        );
        assert!(en.explanation.contains("silently dropping"));
    }

    #[test]
    fn details_and_replies_are_quoted() {
        let dns = report(
            r#"{"kind":"dns_failed","step":"resolve","at_ms":30,"detail":"NXDOMAIN"}"#,
            None,
        );
        assert!(outcome(&dns, Lang::En).explanation.contains("(NXDOMAIN)"));
        let rejected = report(
            r#"{"kind":"greeting_rejected","step":"greeting","at_ms":30,
                "reply":{"code":421,"enhanced":"4.3.2","lines":["4.3.2 Service shutting down","try later"]}}"#,
            Some("198.51.100.25"),
        );
        let ja = outcome(&rejected, Lang::Ja);
        assert!(
            ja.explanation
                .contains("「421-4.3.2 Service shutting down 421 try later」"),
            "{}",
            ja.explanation
        );
    }

    #[test]
    fn tls_and_login_outcomes_quote_what_the_server_said() {
        let plain = report(
            r#"{"kind":"plaintext_instead_of_tls","step":"tls_handshake","at_ms":5,"excerpt":"220 mail.example.com ESMTP"}"#,
            Some("198.51.100.25"),
        );
        let en = outcome(&plain, Lang::En);
        assert!(
            en.explanation.contains("\"220 mail.example.com ESMTP\""),
            "{}",
            en.explanation
        );
        assert!(en.explanation.contains("STARTTLS"));
        let alert = report(
            r#"{"kind":"tls_handshake_failed","step":"tls_handshake","at_ms":5,"detail":"peer refused","alert":"protocol_version"}"#,
            None,
        );
        assert!(outcome(&alert, Lang::En)
            .explanation
            .contains("(peer refused; TLS alert: protocol_version)"));
        let auth = report(
            r#"{"kind":"auth_rejected","step":"auth","at_ms":5,"reply":{"code":535,"lines":["5.7.8 Error: authentication failed"]}}"#,
            None,
        );
        let ja = outcome(&auth, Lang::Ja);
        assert_eq!(ja.headline, "サーバーがログインを断りました");
        assert!(
            ja.explanation
                .contains("「535 5.7.8 Error: authentication failed」"),
            "{}",
            ja.explanation
        );
    }

    #[test]
    fn an_accepted_login_is_part_of_the_good_news() {
        let mut r = report(r#"{"kind":"completed","step":"quit","at_ms":1}"#, None);
        assert_eq!(
            outcome(&r, Lang::En).headline,
            "The mail server answers on port 2525"
        );
        r.auth = serde_json::from_str(
            r#"{"offered_after_tls":["PLAIN"],"attempt":{"mechanism":"PLAIN","accepted":true,"reply":{"code":235,"lines":["2.7.0 Authentication successful"]}}}"#,
        )
        .expect("auth");
        let en = outcome(&r, Lang::En);
        assert_eq!(
            en.headline,
            "The mail server works and your login was accepted"
        );
        assert!(
            en.explanation
                .contains("(198.51.100.25, port 2525, STARTTLS,"),
            "{}",
            en.explanation
        );
        assert_eq!(
            outcome(&r, Lang::Ja).headline,
            "メールサーバーは動いていて、ログインもできました"
        );
    }

    #[test]
    fn kinds_steps_and_problems_from_a_newer_sendcheck_get_the_generic_words() {
        let r = report(
            r#"{"kind":"dane_mismatch","step":"warp","at_ms":1,"problems":[{"kind":"post_quantum"}]}"#,
            None,
        );
        assert_eq!(r.outcome.kind, OutcomeKind::Unknown);
        for lang in Lang::ALL {
            let t = lang.texts();
            let words = outcome(&r, lang);
            assert_eq!(words.headline, t.outcome_unknown.headline);
            assert!(!words.headline.contains('{') && !words.explanation.contains('{'));
            assert_ne!(t.step(r.outcome.step.name()), "unknown", "{lang:?}");
            assert_eq!(
                certificate_problem(&CertificateProblem::Unknown, lang),
                t.certificate.unknown
            );
        }
    }

    #[test]
    fn steps_and_times_are_named_in_the_persons_language() {
        let r = report(
            r#"{"kind":"deadline_reached","step":"ehlo","at_ms":30000}"#,
            None,
        );
        let ja = outcome(&r, Lang::Ja);
        assert!(
            ja.explanation
                .contains("「EHLO（自己紹介）」の段階、開始から 30000 ミリ秒の時点で"),
            "{}",
            ja.explanation
        );
    }

    #[test]
    fn every_known_outcome_is_filled_completely_in_both_languages() {
        let outcomes = [
            r#"{"kind":"completed","step":"quit","at_ms":1}"#,
            r#"{"kind":"dns_failed","step":"resolve","at_ms":1,"detail":"d"}"#,
            r#"{"kind":"connection_refused","step":"connect","at_ms":1}"#,
            r#"{"kind":"connect_timeout","step":"connect","at_ms":1}"#,
            r#"{"kind":"connect_failed","step":"connect","at_ms":1,"detail":"d"}"#,
            r#"{"kind":"connection_reset","step":"greeting","at_ms":1}"#,
            r#"{"kind":"greeting_timeout","step":"greeting","at_ms":1}"#,
            r#"{"kind":"greeting_rejected","step":"greeting","at_ms":1,"reply":{"code":554,"lines":["no"]}}"#,
            r#"{"kind":"closed_before_greeting","step":"greeting","at_ms":1}"#,
            r#"{"kind":"closed_during_dialogue","step":"ehlo","at_ms":1}"#,
            r#"{"kind":"ehlo_rejected","step":"helo","at_ms":1,"reply":{"code":550,"lines":["no"]}}"#,
            r#"{"kind":"connection_lost","step":"ehlo","at_ms":1,"detail":"d"}"#,
            r#"{"kind":"start_tls_not_offered","step":"ehlo","at_ms":1}"#,
            r#"{"kind":"start_tls_refused","step":"start_tls","at_ms":1,"reply":{"code":454,"lines":["TLS not available"]}}"#,
            r#"{"kind":"tls_handshake_failed","step":"tls_handshake","at_ms":1,"detail":"d","alert":"handshake_failure"}"#,
            r#"{"kind":"plaintext_instead_of_tls","step":"tls_handshake","at_ms":1,"excerpt":"220 mail ESMTP"}"#,
            r#"{"kind":"certificate_untrusted","step":"quit","at_ms":1,"problems":[{"kind":"self_signed"}]}"#,
            r#"{"kind":"auth_not_offered","step":"ehlo_after_tls","at_ms":1}"#,
            r#"{"kind":"auth_mechanism_unsupported","step":"auth","at_ms":1,"offered":["GSSAPI","NTLM"]}"#,
            r#"{"kind":"auth_rejected","step":"auth","at_ms":1,"reply":{"code":535,"lines":["5.7.8 Error: authentication failed"]}}"#,
            r#"{"kind":"reply_timeout","step":"ehlo","at_ms":1}"#,
            r#"{"kind":"reply_too_long","step":"ehlo","at_ms":1}"#,
            r#"{"kind":"malformed_reply","step":"greeting","at_ms":1,"detail":"d"}"#,
            r#"{"kind":"deadline_reached","step":"ehlo","at_ms":1}"#,
        ];
        let mut seen = Vec::new();
        for json in outcomes {
            let r = report(json, Some("198.51.100.25"));
            seen.push(r.outcome.kind.name());
            for lang in Lang::ALL {
                let words = outcome(&r, lang);
                let unknown = &lang.texts().outcome_unknown;
                assert_ne!(words.headline, unknown.headline, "{json}");
                for text in [&words.headline, &words.explanation] {
                    assert!(!text.contains('{'), "{lang:?} {json}: {text}");
                }
            }
        }
        seen.sort_unstable();
        let mut known = crate::i18n::tests::KNOWN_OUTCOMES.to_vec();
        known.sort_unstable();
        assert_eq!(seen, known);
    }

    #[test]
    fn certificate_problems_are_listed_in_words() {
        let r = report(
            r#"{"kind":"certificate_untrusted","step":"quit","at_ms":1,"problems":[
                {"kind":"expired","not_after_unix":1767225600},
                {"kind":"name_mismatch","expected":"mail.example.jp","presented":["sv1.hosting.example","*.hosting.example"]},
                {"kind":"incomplete_chain","missing_issuer":"CN=R11, O=Let's Encrypt, C=US"}]}"#,
            None,
        );
        let problems = certificate_problems(&r);
        assert_eq!(problems.len(), 3);
        let en: Vec<String> = problems
            .iter()
            .map(|p| certificate_problem(p, Lang::En))
            .collect();
        assert_eq!(en[0], "The certificate expired on 2026-01-01.");
        assert!(en[1].starts_with("The certificate is for sv1.hosting.example, *.hosting.example, not for mail.example.jp."), "{}", en[1]);
        assert!(
            en[2].contains("(\"CN=R11, O=Let's Encrypt, C=US\")"),
            "{}",
            en[2]
        );
        let ja = certificate_problem(&problems[0], Lang::Ja);
        assert_eq!(ja, "証明書の有効期限は2026年1月1日に切れています。");
        for lang in Lang::ALL {
            for p in problems {
                assert!(!certificate_problem(p, lang).contains('{'));
            }
        }
    }

    #[test]
    fn a_problem_found_before_another_outcome_still_shows() {
        let mut r = report(
            r#"{"kind":"auth_not_offered","step":"ehlo_after_tls","at_ms":1}"#,
            None,
        );
        assert!(certificate_problems(&r).is_empty());
        r.tls = serde_json::from_str(
            r#"{"version":"TLS 1.3","cipher_suite":"TLS13_AES_128_GCM_SHA256","chain":[],
                "verification":{"status":"failed","problems":[{"kind":"self_signed"}]}}"#,
        )
        .expect("tls report");
        assert_eq!(certificate_problems(&r), &[CertificateProblem::SelfSigned]);
    }

    #[test]
    fn input_errors_show_the_translation_and_the_servers_message() {
        let api = Failure::Api {
            status: 400,
            code: "invalid_host".into(),
            message: "\"a b\" is not a valid host name".into(),
        };
        let words = failure(&api, Lang::Ja);
        assert_eq!(words.headline, None);
        assert!(words
            .text
            .starts_with("サーバー名の書き方が正しくありません"));
        assert_eq!(
            words.server_message.as_deref(),
            Some("\"a b\" is not a valid host name")
        );
        let unknown_code = Failure::Api {
            status: 429,
            code: "quota_exceeded".into(),
            message: String::new(),
        };
        let words = failure(&unknown_code, Lang::En);
        assert_eq!(words.text, Lang::En.texts().input_error_other);
        assert_eq!(words.server_message, None);
    }

    #[test]
    fn an_unreachable_checker_is_said_plainly() {
        let words = failure(
            &Failure::Unreachable {
                detail: "TypeError: Failed to fetch".into(),
            },
            Lang::En,
        );
        assert_eq!(
            words.headline.as_deref(),
            Some("sendcheck could not be reached")
        );
        assert_eq!(words.detail.as_deref(), Some("TypeError: Failed to fetch"));
        let words = failure(&Failure::TimedOut { seconds: 60 }, Lang::Ja);
        assert!(words.text.starts_with("60 秒以内に"));
        let words = failure(
            &Failure::Unreadable {
                status: 502,
                detail: "Bad gateway".into(),
            },
            Lang::En,
        );
        assert!(words.text.contains("HTTP 502"));
    }
}
