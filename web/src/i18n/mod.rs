//! Every word the page shows, one table per language ([`en`], [`ja`]); components only look
//! words up here. Which language: `?lang=ja|en` in the address, else the browser's language.
//!
//! Texts with variable parts carry `{name}` placeholders, filled by [`fill`]; the tests check
//! that both languages use the same placeholders for every text.

mod check_texts;
mod en;
pub mod flow;
mod ja;
pub mod result;
pub mod share;
pub mod start;
mod texts;

pub use check_texts::{
    DnsTexts, FindingTexts, LocalTexts, NetworkTexts, ProgressTexts, QuestionTexts,
};
pub use start::StartTexts;
pub use texts::{
    AuthTexts, CertificateTexts, OutcomeText, SkippedTexts, Texts, VerdictTexts,
    OUTCOME_PLACEHOLDERS,
};

/// The languages the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::En => &en::TEXTS,
            Self::Ja => &ja::TEXTS,
        }
    }

    /// The BCP 47 tag, for `<html lang>` and `?lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ja => "ja",
        }
    }

    /// The language the switch button offers.
    pub fn other(self) -> Lang {
        match self {
            Self::En => Self::Ja,
            Self::Ja => Self::En,
        }
    }

    /// Reads a language tag such as `ja`, `ja-JP` or `en-US`; only Japanese and English exist.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ja") {
            Some(Self::Ja)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// `?lang=` in the address wins; then the browser's language (`ja*` → Japanese);
    /// everything else is English.
    pub fn detect(search: &str, navigator_language: Option<&str>) -> Lang {
        query_lang(search)
            .or_else(|| navigator_language.and_then(Self::from_tag))
            .unwrap_or(Self::En)
    }
}

/// The address query with `lang` set to `lang`, other parameters kept in order: what the
/// address bar shows after the person switches language, so a reload or a shared link keeps it.
pub fn search_with_lang(search: &str, lang: Lang) -> String {
    let mut params: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && param_name(p) != "lang")
        .collect();
    let lang_param = format!("lang={}", lang.tag());
    params.push(&lang_param);
    format!("?{}", params.join("&"))
}

/// Replaces each `{name}` in `template` with its value; unknown names stay as they are, so
/// a mistake shows on the page instead of silently dropping words.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let value = close.and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn query_lang(search: &str) -> Option<Lang> {
    search
        .trim_start_matches('?')
        .split('&')
        .find(|p| param_name(p) == "lang")
        .and_then(|p| p.split_once('='))
        .and_then(|(_, value)| Lang::from_tag(value))
}

fn param_name(param: &str) -> &str {
    param.split('=').next().unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every kind of `sendcheck::wire::OutcomeKind` this build knows.
    pub(crate) const KNOWN_OUTCOMES: [&str; 24] = sendcheck::wire::OutcomeKind::NAMES;
    const API_ERROR_CODES: [&str; 18] = [
        "body_too_large",
        "malformed_body",
        "invalid_host",
        "port_not_allowed",
        "unknown_security",
        "ports_missing",
        "duplicate_port",
        "invalid_credentials",
        "port_not_testable_here",
        "target_not_allowed",
        "not_found",
        "method_not_allowed",
        "invalid_address",
        "rate_limited",
        "target_busy",
        "login_limited",
        "challenge_required",
        "challenge_failed",
    ];
    const STEPS: [&str; 11] = [
        "resolve",
        "connect",
        "greeting",
        "ehlo",
        "helo",
        "start_tls",
        "tls_handshake",
        "ehlo_after_tls",
        "auth",
        "quit",
        "unknown",
    ];

    /// Every text of a table with a name, to compare languages. Destructured without `..`, so
    /// a new field fails to compile here until it is listed.
    fn all_texts(t: &'static Texts) -> Vec<(String, &'static str)> {
        let Texts {
            // Listed, with every field, by start::tests::all.
            start: _,
            empty_host,
            missing_username,
            missing_password,
            server_said,
            technical_detail,
            input_errors,
            input_error_other,
            unreachable,
            timed_out,
            unreadable,
            outcomes,
            outcome_unknown,
            outcome_completed_login,
            target_label,
            target_value,
            address_label,
            started_label,
            total_label,
            greeting_heading,
            greeting_hint,
            capabilities_heading,
            capabilities_hint,
            capabilities_none,
            capabilities_after_tls_heading,
            auth,
            tls_heading,
            tls_session_label,
            tls_verified,
            tls_problems,
            certificate,
            cert_subject_label,
            cert_issuer_label,
            cert_validity,
            cert_validity_label,
            cert_names_label,
            cert_fingerprint_label,
            steps_heading,
            steps,
            step_ok,
            step_failed,
            duration,
            round_trip_one,
            round_trips,
            transcript_summary,
            transcript_legend,
            transcript_client,
            transcript_server,
            transcript_note,
            transcript_empty,
            // Listed, with every field, by check_texts::tests::all.
            progress_texts: _,
            findings: _,
            questions: _,
            local: _,
            network: _,
            dns: _,
        } = t;
        let mut all: Vec<(String, &'static str)> = [
            ("empty_host", *empty_host),
            ("missing_username", missing_username),
            ("missing_password", missing_password),
            ("server_said", server_said),
            ("technical_detail", technical_detail),
            ("input_error_other", input_error_other),
            ("target_label", target_label),
            ("target_value", target_value),
            ("address_label", address_label),
            ("started_label", started_label),
            ("total_label", total_label),
            ("greeting_heading", greeting_heading),
            ("greeting_hint", greeting_hint),
            ("capabilities_heading", capabilities_heading),
            ("capabilities_hint", capabilities_hint),
            ("capabilities_none", capabilities_none),
            (
                "capabilities_after_tls_heading",
                capabilities_after_tls_heading,
            ),
            ("tls_heading", tls_heading),
            ("tls_session_label", tls_session_label),
            ("tls_verified", tls_verified),
            ("tls_problems", tls_problems),
            ("cert_subject_label", cert_subject_label),
            ("cert_issuer_label", cert_issuer_label),
            ("cert_validity", cert_validity),
            ("cert_validity_label", cert_validity_label),
            ("cert_names_label", cert_names_label),
            ("cert_fingerprint_label", cert_fingerprint_label),
            ("steps_heading", steps_heading),
            ("step_ok", step_ok),
            ("step_failed", step_failed),
            ("duration", duration),
            ("round_trip_one", round_trip_one),
            ("round_trips", round_trips),
            ("transcript_summary", transcript_summary),
            ("transcript_legend", transcript_legend),
            ("transcript_client", transcript_client),
            ("transcript_server", transcript_server),
            ("transcript_note", transcript_note),
            ("transcript_empty", transcript_empty),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let pairs = [
            ("unreachable", unreachable),
            ("timed_out", timed_out),
            ("unreadable", unreadable),
            ("outcome_unknown", outcome_unknown),
            ("outcome_completed_login", outcome_completed_login),
        ];
        let keyed_outcomes = outcomes.iter().map(|(k, v)| (*k, v));
        for (key, text) in pairs.into_iter().chain(keyed_outcomes) {
            all.push((format!("{key}.headline"), text.headline));
            all.push((format!("{key}.explanation"), text.explanation));
        }
        let CertificateTexts {
            expired,
            not_yet_valid,
            name_mismatch,
            unknown_issuer,
            self_signed,
            incomplete_chain,
            no_certificate,
            other,
            unknown,
        } = certificate;
        for (key, text) in [
            ("expired", expired),
            ("not_yet_valid", not_yet_valid),
            ("name_mismatch", name_mismatch),
            ("unknown_issuer", unknown_issuer),
            ("self_signed", self_signed),
            ("incomplete_chain", incomplete_chain),
            ("no_certificate", no_certificate),
            ("other", other),
            ("unknown", unknown),
        ] {
            all.push((format!("certificate.{key}"), text));
        }
        all.extend(auth_texts(auth));
        for (key, text) in input_errors.iter() {
            all.push((format!("input_errors.{key}"), text));
        }
        for (key, text) in steps.iter() {
            all.push((format!("steps.{key}"), text));
        }
        all.extend(check_texts::tests::all(t));
        all
    }

    fn auth_texts(t: &'static AuthTexts) -> Vec<(String, &'static str)> {
        let AuthTexts {
            heading,
            hint,
            offered_before_label,
            offered_after_label,
            offered_none,
            no_tls,
            cleartext_warning,
            only_inside_tls,
            mechanism_label,
            reply_label,
            verdicts,
            skipped,
        } = t;
        let VerdictTexts {
            accepted,
            wrong_password,
            app_password,
            web_login_first,
            encryption_required,
            try_later,
            starttls_first,
            basic_auth_disabled,
            other,
        } = verdicts;
        let SkippedTexts {
            no_credentials,
            cleartext_refused,
            certificate_untrusted,
            not_offered,
            no_supported_mechanism,
            tried_on_another_port,
            other: other_skip,
        } = skipped;
        let mut all: Vec<(String, &'static str)> = [
            ("heading", *heading),
            ("hint", hint),
            ("offered_before_label", offered_before_label),
            ("offered_after_label", offered_after_label),
            ("offered_none", offered_none),
            ("no_tls", no_tls),
            ("only_inside_tls", only_inside_tls),
            ("mechanism_label", mechanism_label),
            ("reply_label", reply_label),
            ("skipped.no_credentials", no_credentials),
            ("skipped.cleartext_refused", cleartext_refused),
            ("skipped.certificate_untrusted", certificate_untrusted),
            ("skipped.not_offered", not_offered),
            ("skipped.no_supported_mechanism", no_supported_mechanism),
            ("skipped.tried_on_another_port", tried_on_another_port),
            ("skipped.other", other_skip),
        ]
        .into_iter()
        .map(|(k, v)| (format!("auth.{k}"), v))
        .collect();
        for (key, text) in [
            ("cleartext_warning", cleartext_warning),
            ("verdicts.accepted", accepted),
            ("verdicts.wrong_password", wrong_password),
            ("verdicts.app_password", app_password),
            ("verdicts.web_login_first", web_login_first),
            ("verdicts.encryption_required", encryption_required),
            ("verdicts.try_later", try_later),
            ("verdicts.starttls_first", starttls_first),
            ("verdicts.basic_auth_disabled", basic_auth_disabled),
            ("verdicts.other", other),
        ] {
            all.push((format!("auth.{key}.headline"), text.headline));
            all.push((format!("auth.{key}.explanation"), text.explanation));
        }
        all
    }

    /// The `{name}`s of a text, for the tests that both languages fill the same ones.
    pub(crate) fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect()
    }

    fn keys<T>(table: &[(&'static str, T)]) -> Vec<&'static str> {
        table.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_languages_have_the_same_texts_and_none_is_empty() {
        let en = all_texts(&en::TEXTS);
        let ja = all_texts(&ja::TEXTS);
        let en_keys: Vec<_> = en.iter().map(|(k, _)| k.as_str()).collect();
        let ja_keys: Vec<_> = ja.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(en_keys, ja_keys);
        for (key, text) in en.iter().chain(ja.iter()) {
            assert!(!text.trim().is_empty(), "{key} is empty");
        }
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for ((key, en_text), (_, ja_text)) in all_texts(&en::TEXTS)
            .iter()
            .zip(all_texts(&ja::TEXTS).iter())
        {
            assert_eq!(placeholders(en_text), placeholders(ja_text), "{key}");
        }
    }

    #[test]
    fn outcome_texts_only_use_placeholders_that_are_filled() {
        for lang in Lang::ALL {
            let t = lang.texts();
            let texts = t
                .outcomes
                .iter()
                .map(|(_, v)| v)
                .chain([&t.outcome_unknown, &t.outcome_completed_login]);
            for text in texts {
                for name in placeholders(text.headline).union(&placeholders(text.explanation)) {
                    assert!(OUTCOME_PLACEHOLDERS.contains(name), "{lang:?}: {{{name}}}");
                }
            }
        }
    }

    #[test]
    fn every_outcome_kind_has_a_headline_and_explanation_in_both_languages() {
        for lang in Lang::ALL {
            let t = lang.texts();
            let mut table = keys(t.outcomes);
            table.sort_unstable();
            let mut known = KNOWN_OUTCOMES.to_vec();
            known.sort_unstable();
            assert_eq!(table, known, "{lang:?}");
            for kind in KNOWN_OUTCOMES {
                assert_ne!(t.outcome(kind), &t.outcome_unknown, "{lang:?} {kind}");
            }
            assert_eq!(t.outcome("dane_mismatch"), &t.outcome_unknown);
        }
    }

    #[test]
    fn every_api_error_code_and_step_has_words_in_both_languages() {
        for lang in Lang::ALL {
            let t = lang.texts();
            assert_eq!(keys(t.input_errors), API_ERROR_CODES, "{lang:?}");
            assert_eq!(keys(t.steps), STEPS, "{lang:?}");
            assert_eq!(t.input_error("quota_exceeded"), t.input_error_other);
            assert_eq!(t.step("mail_from"), "mail_from");
        }
    }

    #[test]
    fn auth_texts_only_use_placeholders_that_are_filled() {
        for lang in Lang::ALL {
            for (key, text) in auth_texts(&lang.texts().auth) {
                let allowed: &[&str] = if key.starts_with("auth.verdicts.") {
                    &["code", "text"]
                } else if key.starts_with("auth.cleartext_warning.") {
                    &["mechanisms"]
                } else {
                    &[]
                };
                for name in placeholders(text) {
                    assert!(allowed.contains(&name), "{lang:?} {key}: {{{name}}}");
                }
            }
        }
    }

    #[test]
    fn the_language_comes_from_the_address_then_the_browser() {
        assert_eq!(Lang::detect("", Some("ja-JP")), Lang::Ja);
        assert_eq!(Lang::detect("", Some("ja")), Lang::Ja);
        assert_eq!(Lang::detect("", Some("en-GB")), Lang::En);
        assert_eq!(Lang::detect("", Some("fr-FR")), Lang::En);
        assert_eq!(Lang::detect("", None), Lang::En);
        assert_eq!(Lang::detect("?lang=en", Some("ja-JP")), Lang::En);
        assert_eq!(Lang::detect("?x=1&lang=ja", Some("en-US")), Lang::Ja);
        assert_eq!(Lang::detect("?lang=JA", None), Lang::Ja);
        // An unknown value falls through to the browser rather than failing.
        assert_eq!(Lang::detect("?lang=de", Some("ja")), Lang::Ja);
        assert_eq!(Lang::detect("?language=ja", None), Lang::En);
    }

    #[test]
    fn switching_language_rewrites_only_the_lang_parameter() {
        assert_eq!(search_with_lang("", Lang::Ja), "?lang=ja");
        assert_eq!(search_with_lang("?lang=ja", Lang::En), "?lang=en");
        assert_eq!(
            search_with_lang("?a=1&lang=ja&b=2", Lang::En),
            "?a=1&b=2&lang=en"
        );
        assert_eq!(
            search_with_lang("?language=x", Lang::Ja),
            "?language=x&lang=ja"
        );
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "port {port} at {server}",
                &[("port", "2525"), ("server", "198.51.100.25")]
            ),
            "port 2525 at 198.51.100.25"
        );
        assert_eq!(fill("{missing} {port}", &[("port", "25")]), "{missing} 25");
        assert_eq!(fill("unclosed {port", &[("port", "25")]), "unclosed {port");
        assert_eq!(fill("{port}{port}", &[("port", "25")]), "2525");
        assert_eq!(
            fill("ポート {port} です", &[("port", "587")]),
            "ポート 587 です"
        );
    }

    #[test]
    fn round_trips_read_naturally() {
        assert_eq!(en::TEXTS.round_trips(1), "1 round trip");
        assert_eq!(en::TEXTS.round_trips(2), "2 round trips");
        assert_eq!(en::TEXTS.round_trips(0), "0 round trips");
        assert_eq!(ja::TEXTS.round_trips(1), "往復 1 回");
    }
}
