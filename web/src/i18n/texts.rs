//! The shape of a language's words: one struct field per text, so a text missing in one
//! language does not compile, and the lookups that pick a text for a key from the wire.

use sendcheck::target::Security;

use super::fill;
use super::StartTexts;
use super::{DnsTexts, FindingTexts, LocalTexts, NetworkTexts, ProgressTexts, QuestionTexts};

/// Headline and explanation of one way a probe can end.
#[derive(Debug, PartialEq, Eq)]
pub struct OutcomeText {
    pub headline: &'static str,
    pub explanation: &'static str,
}

/// Why a mail program would refuse a certificate, one text per `CertificateProblem` kind.
/// Placeholders: `{date}`, `{expected}`, `{presented}`, `{issuer}`, `{detail}`.
#[derive(Debug, PartialEq, Eq)]
pub struct CertificateTexts {
    pub expired: &'static str,
    pub not_yet_valid: &'static str,
    pub name_mismatch: &'static str,
    pub unknown_issuer: &'static str,
    pub self_signed: &'static str,
    pub incomplete_chain: &'static str,
    pub no_certificate: &'static str,
    pub other: &'static str,
    /// A kind added after this page.
    pub unknown: &'static str,
}

/// The AUTH part of a report: what the server offers, and the login test.
#[derive(Debug, PartialEq, Eq)]
pub struct AuthTexts {
    pub heading: &'static str,
    pub hint: &'static str,
    pub offered_before_label: &'static str,
    pub offered_after_label: &'static str,
    pub offered_none: &'static str,
    /// In place of the mechanisms inside TLS, when encryption never came up.
    pub no_tls: &'static str,
    /// Placeholder: `{mechanisms}`.
    pub cleartext_warning: OutcomeText,
    pub only_inside_tls: &'static str,
    pub mechanism_label: &'static str,
    pub reply_label: &'static str,
    /// What the server's answer to the login means. Placeholders: `{code}` (e.g. "535 5.7.8")
    /// and `{text}` (the server's own words).
    pub verdicts: VerdictTexts,
    /// Why no login was tried, one text per `AuthSkipped` reason.
    pub skipped: SkippedTexts,
}

/// One text per [`crate::auth::LoginVerdict`].
#[derive(Debug, PartialEq, Eq)]
pub struct VerdictTexts {
    pub accepted: OutcomeText,
    pub wrong_password: OutcomeText,
    pub app_password: OutcomeText,
    pub web_login_first: OutcomeText,
    pub encryption_required: OutcomeText,
    pub try_later: OutcomeText,
    pub starttls_first: OutcomeText,
    pub basic_auth_disabled: OutcomeText,
    pub other: OutcomeText,
}

#[derive(Debug, PartialEq, Eq)]
pub struct SkippedTexts {
    pub no_credentials: &'static str,
    pub cleartext_refused: &'static str,
    pub certificate_untrusted: &'static str,
    pub not_offered: &'static str,
    pub no_supported_mechanism: &'static str,
    pub tried_on_another_port: &'static str,
    /// A reason added after this page.
    pub other: &'static str,
}

/// All the words of the page in one language. A field per text, so a text missing in one
/// language does not compile; keyed tables where the key comes from the wire.
#[derive(Debug, PartialEq, Eq)]
pub struct Texts {
    /// The first screen's words, also the start module's (`start.rs`).
    pub start: &'static StartTexts,

    pub empty_host: &'static str,
    pub missing_username: &'static str,
    pub missing_password: &'static str,
    pub server_said: &'static str,
    pub technical_detail: &'static str,
    /// Keyed by the API's error code (`ErrorBody::code`).
    pub input_errors: &'static [(&'static str, &'static str)],
    pub input_error_other: &'static str,
    pub unreachable: OutcomeText,
    /// Placeholder: `{seconds}`.
    pub timed_out: OutcomeText,
    /// Placeholder: `{status}`.
    pub unreadable: OutcomeText,

    /// Keyed by `OutcomeKind::name()`. Placeholders: see [`OUTCOME_PLACEHOLDERS`].
    pub outcomes: &'static [(&'static str, OutcomeText)],
    /// For kinds this page does not know yet.
    pub outcome_unknown: OutcomeText,
    /// `completed` when a login was tried and accepted; same placeholders.
    pub outcome_completed_login: OutcomeText,
    pub target_label: &'static str,
    /// Placeholders: `{host}`, `{port}`, `{security}`.
    pub target_value: &'static str,
    pub address_label: &'static str,
    pub started_label: &'static str,
    pub total_label: &'static str,
    pub greeting_heading: &'static str,
    pub greeting_hint: &'static str,
    pub capabilities_heading: &'static str,
    pub capabilities_hint: &'static str,
    pub capabilities_none: &'static str,
    pub capabilities_after_tls_heading: &'static str,
    pub auth: AuthTexts,
    pub tls_heading: &'static str,
    pub tls_session_label: &'static str,
    pub tls_verified: &'static str,
    pub tls_problems: &'static str,
    pub certificate: CertificateTexts,
    pub cert_subject_label: &'static str,
    pub cert_issuer_label: &'static str,
    /// Placeholders: `{from}`, `{until}`.
    pub cert_validity: &'static str,
    pub cert_validity_label: &'static str,
    pub cert_names_label: &'static str,
    pub cert_fingerprint_label: &'static str,
    pub steps_heading: &'static str,
    /// Keyed by `Step::name()`.
    pub steps: &'static [(&'static str, &'static str)],
    pub step_ok: &'static str,
    pub step_failed: &'static str,
    /// Placeholder: `{ms}`.
    pub duration: &'static str,
    pub round_trip_one: &'static str,
    /// Placeholder: `{n}`.
    pub round_trips: &'static str,
    /// Placeholder: `{count}`.
    pub transcript_summary: &'static str,
    pub transcript_legend: &'static str,
    pub transcript_client: &'static str,
    pub transcript_server: &'static str,
    pub transcript_note: &'static str,
    pub transcript_empty: &'static str,

    /// The check's live progress and per-port summary.
    pub progress_texts: ProgressTexts,
    pub findings: FindingTexts,
    pub questions: QuestionTexts,
    pub local: LocalTexts,
    pub network: NetworkTexts,
    pub dns: DnsTexts,
}

/// The placeholders an outcome text may use; [`crate::explain`] fills every one of them.
pub const OUTCOME_PLACEHOLDERS: [&str; 9] = [
    "host", "server", "port", "security", "detail", "reply", "step", "at", "kind",
];

impl Texts {
    /// The words for an outcome kind, or the generic ones for a kind added after this page.
    pub fn outcome(&self, kind: &str) -> &OutcomeText {
        lookup(self.outcomes, kind).unwrap_or(&self.outcome_unknown)
    }

    pub fn input_error(&self, code: &str) -> &'static str {
        lookup(self.input_errors, code).map_or(self.input_error_other, |text| *text)
    }

    /// The name of a step. Steps a newer worker adds arrive as `unknown`, which has words of
    /// its own; a name missing from the table shows as it is.
    pub fn step<'a>(&self, name: &'a str) -> &'a str {
        lookup(self.steps, name).map_or(name, |text| *text)
    }

    pub fn port_option(&self, port: u16) -> &'static str {
        self.start.port_option(port)
    }

    pub fn security(&self, security: Security) -> &'static str {
        self.start.security(security)
    }

    /// A duration in milliseconds, e.g. "12 ms".
    pub fn ms(&self, ms: u64) -> String {
        fill(self.duration, &[("ms", &ms.to_string())])
    }

    pub fn round_trips(&self, n: u32) -> String {
        if n == 1 {
            self.round_trip_one.to_owned()
        } else {
            fill(self.round_trips, &[("n", &n.to_string())])
        }
    }
}

fn lookup<'t, T>(table: &'t [(&'static str, T)], key: &str) -> Option<&'t T> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}
