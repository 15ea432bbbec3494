//! The AUTH part of a report in plain words: which login methods the server offers on which
//! side of encryption, what its answer to the login test means, or why no login was tried.
//! Pure: the component in `components::auth_view` only lays these out.
//!
//! ```text
//!  AuthReport ─┬─ offered_before_tls / offered_after_tls ──▶ Exposure (warning or note)
//!              ├─ attempt.reply (code, enhanced code) ──────▶ LoginVerdict ──▶ words
//!              └─ skipped ──────────────────────────────────▶ words
//! ```

use sendcheck::smtp::{EnhancedStatus, Reply};
use sendcheck::wire::{AuthAttempt, AuthReport, AuthSkipped};

use crate::i18n::{fill, Lang};

/// What the server's answer to the login means for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginVerdict {
    /// 235: logged in.
    Accepted,
    /// 535 (5.7.8): the user name or password is wrong.
    WrongPassword,
    /// 534 (5.7.9): the provider wants a stronger method, usually an app password.
    AppPassword,
    /// 534 5.7.14: the provider wants a sign-in on its website first.
    WebLoginFirst,
    /// 538: this mechanism only over encryption.
    EncryptionRequired,
    /// 454 (or 421): a temporary problem at the server.
    TryLater,
    /// 530 (5.7.0): STARTTLS first, or authentication required.
    StartTlsFirst,
    /// Microsoft's 5.7.139 / 5.7.30: basic authentication turned off for the account.
    BasicAuthDisabled,
    /// Anything else: the server's own words.
    Other,
}

impl LoginVerdict {
    /// Reads the server's answer to the login. `accepted` is the engine's verdict (2yz); the
    /// rest is decided by the reply code, refined by the enhanced code where providers use it
    /// to say something more specific than the basic code.
    pub fn of(attempt: &AuthAttempt) -> Self {
        if attempt.accepted {
            return Self::Accepted;
        }
        let enhanced = enhanced_status(&attempt.reply).map(|s| (s.class, s.subject, s.detail));
        match (attempt.reply.code.get(), enhanced) {
            (_, Some((5, 7, 139 | 30))) => Self::BasicAuthDisabled,
            (535, _) => Self::WrongPassword,
            (534, Some((5, 7, 14))) => Self::WebLoginFirst,
            (534, _) => Self::AppPassword,
            (538, _) => Self::EncryptionRequired,
            (454 | 421, _) => Self::TryLater,
            (530, _) => Self::StartTlsFirst,
            _ => Self::Other,
        }
    }

    /// A stable name, for `data-verdict` on the page.
    pub fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::WrongPassword => "wrong_password",
            Self::AppPassword => "app_password",
            Self::WebLoginFirst => "web_login_first",
            Self::EncryptionRequired => "encryption_required",
            Self::TryLater => "try_later",
            Self::StartTlsFirst => "starttls_first",
            Self::BasicAuthDisabled => "basic_auth_disabled",
            Self::Other => "other",
        }
    }
}

/// The login result, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginWords {
    pub verdict: LoginVerdict,
    pub headline: String,
    pub explanation: String,
    /// "535 5.7.8", or "235" when the server gave no enhanced code.
    pub code: String,
    /// The reply as it came over the wire, one string per line.
    pub reply_lines: Vec<String>,
}

/// The login attempt in words.
pub fn login(attempt: &AuthAttempt, lang: Lang) -> LoginWords {
    let verdict = LoginVerdict::of(attempt);
    let v = &lang.texts().auth.verdicts;
    let text = match verdict {
        LoginVerdict::Accepted => &v.accepted,
        LoginVerdict::WrongPassword => &v.wrong_password,
        LoginVerdict::AppPassword => &v.app_password,
        LoginVerdict::WebLoginFirst => &v.web_login_first,
        LoginVerdict::EncryptionRequired => &v.encryption_required,
        LoginVerdict::TryLater => &v.try_later,
        LoginVerdict::StartTlsFirst => &v.starttls_first,
        LoginVerdict::BasicAuthDisabled => &v.basic_auth_disabled,
        LoginVerdict::Other => &v.other,
    };
    let reply = &attempt.reply;
    let code = match enhanced_status(reply) {
        Some(enhanced) => format!("{} {enhanced}", reply.code),
        None => reply.code.to_string(),
    };
    let server_text = server_words(reply);
    let values = [("code", code.as_str()), ("text", server_text.as_str())];
    LoginWords {
        verdict,
        headline: fill(text.headline, &values),
        explanation: fill(text.explanation, &values),
        code,
        reply_lines: reply.wire_lines().collect(),
    }
}

/// What the offered mechanisms say about how safely a password travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// PLAIN or LOGIN offered on the unencrypted connection: a warning, naming them.
    CleartextBeforeTls(Vec<String>),
    /// Nothing offered before encryption, something inside it: as it should be.
    OnlyInsideTls,
    /// Neither: no AUTH at all, or only mechanisms that do not send the password as is.
    Neither,
}

/// Mechanisms that carry the password itself (base64 is an encoding, not encryption).
const CLEARTEXT_MECHANISMS: [&str; 2] = ["PLAIN", "LOGIN"];

pub fn exposure(auth: &AuthReport) -> Exposure {
    let cleartext: Vec<String> = auth
        .offered_before_tls
        .iter()
        .filter(|m| {
            CLEARTEXT_MECHANISMS
                .iter()
                .any(|c| m.eq_ignore_ascii_case(c))
        })
        .map(|m| m.to_ascii_uppercase())
        .collect();
    let offered_inside = auth
        .offered_after_tls
        .as_ref()
        .is_some_and(|m| !m.is_empty());
    if !cleartext.is_empty() {
        Exposure::CleartextBeforeTls(cleartext)
    } else if auth.offered_before_tls.is_empty() && offered_inside {
        Exposure::OnlyInsideTls
    } else {
        Exposure::Neither
    }
}

/// The warning about mechanisms offered before encryption, with their names filled in.
pub fn cleartext_warning(mechanisms: &[String], lang: Lang) -> (String, String) {
    let text = &lang.texts().auth.cleartext_warning;
    let names = mechanisms.join(", ");
    let values = [("mechanisms", names.as_str())];
    (
        fill(text.headline, &values),
        fill(text.explanation, &values),
    )
}

/// A list of mechanisms as the server named them, or "none".
pub fn mechanisms(offered: &[String], lang: Lang) -> String {
    if offered.is_empty() {
        lang.texts().auth.offered_none.to_owned()
    } else {
        offered.join(" ")
    }
}

/// Why no login was tried, in words.
pub fn skipped(reason: AuthSkipped, lang: Lang) -> &'static str {
    let s = &lang.texts().auth.skipped;
    match reason {
        AuthSkipped::NoCredentials => s.no_credentials,
        AuthSkipped::CleartextRefused => s.cleartext_refused,
        AuthSkipped::CertificateUntrusted => s.certificate_untrusted,
        AuthSkipped::NotOffered => s.not_offered,
        AuthSkipped::NoSupportedMechanism => s.no_supported_mechanism,
        AuthSkipped::TriedOnAnotherPort => s.tried_on_another_port,
        _ => s.other,
    }
}

/// A stable name for a skip reason, for `data-reason` on the page.
pub fn skipped_name(reason: AuthSkipped) -> &'static str {
    match reason {
        AuthSkipped::NoCredentials => "no_credentials",
        AuthSkipped::CleartextRefused => "cleartext_refused",
        AuthSkipped::CertificateUntrusted => "certificate_untrusted",
        AuthSkipped::NotOffered => "not_offered",
        AuthSkipped::NoSupportedMechanism => "no_supported_mechanism",
        AuthSkipped::TriedOnAnotherPort => "tried_on_another_port",
        _ => "other",
    }
}

/// Whether a login was tried and accepted: the probe then proved everything a mail program
/// needs, and the page says so.
pub fn login_accepted(auth: Option<&AuthReport>) -> bool {
    auth.and_then(|a| a.attempt.as_ref())
        .is_some_and(|attempt| attempt.accepted)
}

/// The enhanced code: as the engine parsed it, else read from the first line (a report whose
/// reply carries it only in the text).
fn enhanced_status(reply: &Reply) -> Option<EnhancedStatus> {
    reply.enhanced.or_else(|| {
        reply
            .lines
            .first()
            .and_then(|l| EnhancedStatus::from_text(l))
    })
}

/// The server's text without the enhanced code it starts with, so it is not said twice.
fn server_words(reply: &Reply) -> String {
    let text = reply.text();
    match enhanced_status(reply) {
        Some(enhanced) => text
            .strip_prefix(&enhanced.to_string())
            .map_or(text.clone(), |rest| rest.trim_start().to_owned()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(json: &str) -> AuthAttempt {
        serde_json::from_str(json).expect("test attempt")
    }

    fn refused(code: u16, first_line: &str) -> AuthAttempt {
        attempt(&format!(
            r#"{{"mechanism":"PLAIN","accepted":false,"reply":{{"code":{code},"lines":["{first_line}"]}}}}"#
        ))
    }

    fn auth(json: &str) -> AuthReport {
        serde_json::from_str(json).expect("test auth report")
    }

    #[test]
    fn rfc_4954_and_provider_answers_are_told_apart() {
        let cases = [
            (535, "5.7.8 Error: authentication failed", LoginVerdict::WrongPassword),
            (535, "Authentication credentials invalid", LoginVerdict::WrongPassword),
            (534, "5.7.9 Application-specific password required", LoginVerdict::AppPassword),
            (534, "5.7.9 Authentication mechanism is too weak", LoginVerdict::AppPassword),
            (534, "5.7.14 Please log in with your web browser", LoginVerdict::WebLoginFirst),
            (538, "5.7.11 Encryption required for requested authentication mechanism", LoginVerdict::EncryptionRequired),
            (454, "4.7.0 Temporary authentication failure", LoginVerdict::TryLater),
            (421, "4.7.0 Try again later, closing connection", LoginVerdict::TryLater),
            (530, "5.7.0 Must issue a STARTTLS command first", LoginVerdict::StartTlsFirst),
            (530, "5.7.0 Authentication required", LoginVerdict::StartTlsFirst),
            (535, "5.7.139 Authentication unsuccessful, basic authentication is disabled.", LoginVerdict::BasicAuthDisabled),
            (535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", LoginVerdict::BasicAuthDisabled),
            (535, "5.7.30 Basic authentication is not supported for Client Submission.", LoginVerdict::BasicAuthDisabled),
            (550, "5.7.1 Client does not have permissions to send as this sender", LoginVerdict::Other),
            (432, "4.7.12 A password transition is needed", LoginVerdict::Other),
        ];
        for (code, line, verdict) in cases {
            assert_eq!(
                LoginVerdict::of(&refused(code, line)),
                verdict,
                "{code} {line}"
            );
        }
    }

    #[test]
    fn the_engines_enhanced_code_is_used_when_present() {
        let parsed = attempt(
            r#"{"mechanism":"LOGIN","accepted":false,"reply":{"code":535,"enhanced":"5.7.139","lines":["Authentication unsuccessful"]}}"#,
        );
        assert_eq!(LoginVerdict::of(&parsed), LoginVerdict::BasicAuthDisabled);
    }

    #[test]
    fn an_accepted_login_says_so_whatever_the_text() {
        let ok = attempt(
            r#"{"mechanism":"PLAIN","accepted":true,"reply":{"code":235,"enhanced":"2.7.0","lines":["2.7.0 Authentication successful"]}}"#,
        );
        let words = login(&ok, Lang::En);
        assert_eq!(words.verdict, LoginVerdict::Accepted);
        assert_eq!(words.code, "235 2.7.0");
        assert_eq!(words.headline, "The login worked");
        assert!(
            words.explanation.contains("(235 2.7.0)"),
            "{}",
            words.explanation
        );
        assert_eq!(words.reply_lines, ["235 2.7.0 Authentication successful"]);
        let bare = attempt(
            r#"{"mechanism":"PLAIN","accepted":true,"reply":{"code":235,"lines":["Authentication successful"]}}"#,
        );
        assert_eq!(login(&bare, Lang::Ja).code, "235");
    }

    #[test]
    fn a_wrong_password_says_where_the_password_is_kept() {
        let words = login(
            &refused(535, "5.7.8 Error: authentication failed"),
            Lang::En,
        );
        assert_eq!(words.headline, "Wrong user name or password");
        for part in ["(535 5.7.8)", "Send mail as", "edit info", "maintenance"] {
            assert!(
                words.explanation.contains(part),
                "{part}: {}",
                words.explanation
            );
        }
        let ja = login(
            &refused(535, "5.7.8 Error: authentication failed"),
            Lang::Ja,
        );
        assert!(
            ja.explanation.contains("［情報を編集］"),
            "{}",
            ja.explanation
        );
        assert!(
            ja.explanation.contains("メンテナンス"),
            "{}",
            ja.explanation
        );
    }

    #[test]
    fn microsofts_basic_auth_answer_points_to_modern_authentication() {
        let words = login(
            &refused(
                535,
                "5.7.139 Authentication unsuccessful, basic authentication is disabled.",
            ),
            Lang::En,
        );
        assert!(
            words.explanation.contains("(535 5.7.139)"),
            "{}",
            words.explanation
        );
        assert!(words.explanation.contains("OAuth"));
        assert!(words.explanation.contains("SMTP AUTH"));
    }

    #[test]
    fn anything_else_quotes_the_servers_own_words_once() {
        let words = login(
            &refused(
                550,
                "5.7.1 Client does not have permissions to send as this sender",
            ),
            Lang::En,
        );
        assert_eq!(words.verdict, LoginVerdict::Other);
        assert!(
            words.explanation.contains(
                "(550 5.7.1) in its own words: \"Client does not have permissions to send as this sender\""
            ),
            "{}",
            words.explanation
        );
        let ja = login(&refused(599, "no"), Lang::Ja);
        assert!(ja.explanation.contains("（599）"), "{}", ja.explanation);
        assert!(ja.explanation.contains("「no」"), "{}", ja.explanation);
    }

    #[test]
    fn every_verdict_is_filled_completely_in_both_languages() {
        let cases = [
            (535, "5.7.8 x"),
            (534, "5.7.9 x"),
            (534, "5.7.14 x"),
            (538, "5.7.11 x"),
            (454, "4.7.0 x"),
            (530, "5.7.0 x"),
            (535, "5.7.139 x"),
            (550, "x"),
        ];
        for lang in Lang::ALL {
            for (code, line) in cases {
                let words = login(&refused(code, line), lang);
                for text in [&words.headline, &words.explanation] {
                    assert!(!text.contains('{'), "{lang:?} {code}: {text}");
                }
            }
        }
    }

    #[test]
    fn plain_or_login_before_tls_is_a_warning() {
        let exposed = auth(
            r#"{"offered_before_tls":["plain","LOGIN","CRAM-MD5"],"offered_after_tls":["PLAIN","LOGIN"]}"#,
        );
        assert_eq!(
            exposure(&exposed),
            Exposure::CleartextBeforeTls(vec!["PLAIN".into(), "LOGIN".into()])
        );
        let (headline, explanation) =
            cleartext_warning(&["PLAIN".into(), "LOGIN".into()], Lang::En);
        assert_eq!(headline, "Passwords could cross the network unencrypted");
        assert!(
            explanation.contains("log in with PLAIN, LOGIN."),
            "{explanation}"
        );
        // On a port without encryption there is no "after TLS" at all: still a warning.
        let plain_only = auth(r#"{"offered_before_tls":["LOGIN"]}"#);
        assert!(matches!(
            exposure(&plain_only),
            Exposure::CleartextBeforeTls(_)
        ));
    }

    #[test]
    fn auth_only_inside_tls_is_noted_as_correct() {
        let good = auth(r#"{"offered_before_tls":[],"offered_after_tls":["PLAIN","LOGIN"]}"#);
        assert_eq!(exposure(&good), Exposure::OnlyInsideTls);
        let none = auth(r#"{"offered_before_tls":[],"offered_after_tls":[]}"#);
        assert_eq!(exposure(&none), Exposure::Neither);
        let hashed = auth(r#"{"offered_before_tls":["CRAM-MD5"],"offered_after_tls":["PLAIN"]}"#);
        assert_eq!(exposure(&hashed), Exposure::Neither);
        let no_tls = auth(r#"{"offered_before_tls":[]}"#);
        assert_eq!(exposure(&no_tls), Exposure::Neither);
    }

    #[test]
    fn every_skip_reason_is_said_in_both_languages() {
        let reasons = [
            AuthSkipped::NoCredentials,
            AuthSkipped::CleartextRefused,
            AuthSkipped::CertificateUntrusted,
            AuthSkipped::NotOffered,
            AuthSkipped::NoSupportedMechanism,
            AuthSkipped::TriedOnAnotherPort,
        ];
        for lang in Lang::ALL {
            for reason in reasons {
                assert_ne!(
                    skipped(reason, lang),
                    lang.texts().auth.skipped.other,
                    "{reason:?}"
                );
            }
        }
        for reason in reasons {
            let wire = serde_json::to_string(&reason).expect("serializes");
            assert_eq!(wire, format!("\"{}\"", skipped_name(reason)));
        }
        assert_eq!(
            skipped(AuthSkipped::CertificateUntrusted, Lang::En),
            "sendcheck did not send your password because the certificate could not be verified \
             — your mail program would refuse it too. Once the certificate is fixed, the login \
             can be tested."
        );
    }

    #[test]
    fn mechanisms_are_listed_as_offered_or_none() {
        assert_eq!(
            mechanisms(&["PLAIN".into(), "LOGIN".into()], Lang::En),
            "PLAIN LOGIN"
        );
        assert_eq!(mechanisms(&[], Lang::En), "none");
        assert_eq!(mechanisms(&[], Lang::Ja), "なし");
    }

    #[test]
    fn only_an_accepted_attempt_counts_as_a_login() {
        assert!(!login_accepted(None));
        assert!(!login_accepted(Some(&AuthReport::default())));
        let mut report = AuthReport {
            attempt: Some(refused(535, "5.7.8 x")),
            ..AuthReport::default()
        };
        assert!(!login_accepted(Some(&report)));
        if let Some(attempt) = report.attempt.as_mut() {
            attempt.accepted = true;
        }
        assert!(login_accepted(Some(&report)));
    }
}
