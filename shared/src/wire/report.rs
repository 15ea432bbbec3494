//! What a probe found, as JSON: outcome, replies, per-step timings and the transcript.

use serde::{Deserialize, Serialize};

use crate::smtp::{Capabilities, Reply};
use crate::target::Security;
use crate::wire::{CertificateProblem, TlsReport};

/// Bumped when a field changes meaning. Readers accept every version up to their own.
pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeReport {
    pub version: u32,
    pub target: TargetSummary,
    /// The address actually connected to (after our own resolution and guard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Wall-clock start, milliseconds since the Unix epoch, as the adapter saw it.
    pub started_at_unix_ms: u64,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<Reply>,
    /// From the first EHLO (or HELO), before any TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    /// From the EHLO inside TLS (after STARTTLS, or on 465).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities_after_tls: Option<Capabilities>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthReport>,
    pub steps: Vec<StepRecord>,
    pub transcript: Vec<TranscriptLine>,
    pub total_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSummary {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// How the probe ended, at which step, and when (ms since the probe started).
/// Read by hand (`wire::tagged`): serde's reader of `flatten` buffers the whole object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub kind: OutcomeKind,
    pub step: Step,
    pub at_ms: u64,
}

/// Every way a probe can end, each named. Serialized as `"kind": "snake_case_name"`.
/// Read by hand (`wire::tagged`), unknown kinds as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutcomeKind {
    /// The whole planned dialogue ran and the server answered QUIT (or closed after it).
    Completed,
    /// The name could not be resolved to an address.
    DnsFailed { detail: String },
    /// Something answered the connection attempt with a refusal (TCP RST): nothing listens.
    ConnectionRefused,
    /// No answer at all to the connection attempt: a firewall silently drops it, or the host is down.
    ConnectTimeout,
    /// The connection could not be opened for another reason the runtime reported.
    ConnectFailed { detail: String },
    /// The connection was reset by the peer after it was open.
    ConnectionReset,
    /// The open connection failed for another reason the runtime reported.
    ConnectionLost { detail: String },
    /// Connected, but no greeting arrived in time.
    GreetingTimeout,
    /// The server greeted with a refusal (421 busy / 554 no service).
    GreetingRejected { reply: Reply },
    /// The server closed the connection before greeting.
    ClosedBeforeGreeting,
    /// The server closed the connection in the middle of the dialogue.
    ClosedDuringDialogue,
    /// Both EHLO and HELO were refused (or EHLO inside TLS was).
    EhloRejected { reply: Reply },
    /// STARTTLS was the plan but the server does not offer it.
    StartTlsNotOffered,
    /// The server refused the STARTTLS command.
    StartTlsRefused { reply: Reply },
    /// The TLS handshake failed; `alert` names the TLS alert when the server sent one.
    TlsHandshakeFailed {
        detail: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alert: Option<String>,
    },
    /// TLS was expected from the first byte, but the server spoke plain SMTP: the port wants
    /// STARTTLS (or nothing), not SSL/TLS.
    PlaintextInsteadOfTls { excerpt: String },
    /// Everything else worked, but the certificate does not verify.
    CertificateUntrusted { problems: Vec<CertificateProblem> },
    /// A login was asked for, but the server offers no AUTH.
    AuthNotOffered,
    /// The server offers only AUTH mechanisms sendcheck does not use.
    AuthMechanismUnsupported { offered: Vec<String> },
    /// The server refused the login (535, 534, 538, 454, 530 …: see the reply).
    AuthRejected { reply: Reply },
    /// A reply did not arrive in time after a command.
    ReplyTimeout,
    /// A reply line or reply exceeded our bounds (a broken or hostile server).
    ReplyTooLong,
    /// The server sent bytes that are not an SMTP reply.
    MalformedReply { detail: String },
    /// The overall deadline of the probe passed.
    DeadlineReached,
    /// A kind this build does not know (a report from a newer sendcheck).
    Unknown,
}

impl OutcomeKind {
    /// The stable name used in JSON and by the page's text tables.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::DnsFailed { .. } => "dns_failed",
            Self::ConnectionRefused => "connection_refused",
            Self::ConnectTimeout => "connect_timeout",
            Self::ConnectFailed { .. } => "connect_failed",
            Self::ConnectionReset => "connection_reset",
            Self::ConnectionLost { .. } => "connection_lost",
            Self::GreetingTimeout => "greeting_timeout",
            Self::GreetingRejected { .. } => "greeting_rejected",
            Self::ClosedBeforeGreeting => "closed_before_greeting",
            Self::ClosedDuringDialogue => "closed_during_dialogue",
            Self::EhloRejected { .. } => "ehlo_rejected",
            Self::StartTlsNotOffered => "start_tls_not_offered",
            Self::StartTlsRefused { .. } => "start_tls_refused",
            Self::TlsHandshakeFailed { .. } => "tls_handshake_failed",
            Self::PlaintextInsteadOfTls { .. } => "plaintext_instead_of_tls",
            Self::CertificateUntrusted { .. } => "certificate_untrusted",
            Self::AuthNotOffered => "auth_not_offered",
            Self::AuthMechanismUnsupported { .. } => "auth_mechanism_unsupported",
            Self::AuthRejected { .. } => "auth_rejected",
            Self::ReplyTimeout => "reply_timeout",
            Self::ReplyTooLong => "reply_too_long",
            Self::MalformedReply { .. } => "malformed_reply",
            Self::DeadlineReached => "deadline_reached",
            Self::Unknown => "unknown",
        }
    }

    /// The name of every kind this build knows (not `unknown`), for tables that must cover
    /// them all: the page's texts, the diagnosis's facts. A test keeps it complete.
    pub const NAMES: [&'static str; 24] = [
        "completed",
        "dns_failed",
        "connection_refused",
        "connect_timeout",
        "connect_failed",
        "connection_reset",
        "connection_lost",
        "greeting_timeout",
        "greeting_rejected",
        "closed_before_greeting",
        "closed_during_dialogue",
        "ehlo_rejected",
        "start_tls_not_offered",
        "start_tls_refused",
        "tls_handshake_failed",
        "plaintext_instead_of_tls",
        "certificate_untrusted",
        "auth_not_offered",
        "auth_mechanism_unsupported",
        "auth_rejected",
        "reply_timeout",
        "reply_too_long",
        "malformed_reply",
        "deadline_reached",
    ];

    pub fn is_success(&self) -> bool {
        matches!(self, Self::Completed)
    }
}

/// The steps of a probe, in the order they can happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    Resolve,
    Connect,
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    TlsHandshake,
    EhloAfterTls,
    Auth,
    Quit,
    /// A step this build does not know (a report from a newer sendcheck).
    #[serde(other)]
    Unknown,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Self::Resolve => "resolve",
            Self::Connect => "connect",
            Self::Greeting => "greeting",
            Self::Ehlo => "ehlo",
            Self::Helo => "helo",
            Self::StartTls => "start_tls",
            Self::TlsHandshake => "tls_handshake",
            Self::EhloAfterTls => "ehlo_after_tls",
            Self::Auth => "auth",
            Self::Quit => "quit",
            Self::Unknown => "unknown",
        }
    }
}

/// One step's timing: when it started and how long it took, in ms since the probe started,
/// and how many network round trips it needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: Step,
    pub started_ms: u64,
    pub duration_ms: u64,
    pub round_trips: u32,
    pub status: StepStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Ok,
    Failed,
}

/// One line of the dialogue as it crossed the wire (credentials are never recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub at_ms: u64,
    pub direction: Direction,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sent by sendcheck.
    Client,
    /// Received from the mail server.
    Server,
    /// Said by sendcheck about the connection (e.g. "TLS 1.3 established").
    Note,
}

/// What AUTH looked like, and the login attempt when the person asked for one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthReport {
    /// Mechanisms offered on the plain connection (PLAIN/LOGIN here send passwords in clear).
    #[serde(default)]
    pub offered_before_tls: Vec<String>,
    /// Mechanisms offered inside TLS; `None` when TLS never came up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_after_tls: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<AuthAttempt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<AuthSkipped>,
}

/// One login: the mechanism used and the server's verdict, code and text as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthAttempt {
    pub mechanism: String,
    pub accepted: bool,
    pub reply: Reply,
}

/// Why no login was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuthSkipped {
    /// No credentials were given: only the offered mechanisms are reported.
    NoCredentials,
    /// The connection is not encrypted: the password would cross the network in clear.
    CleartextRefused,
    /// The certificate did not verify: the password could go to an impostor.
    CertificateUntrusted,
    NotOffered,
    NoSupportedMechanism,
    /// One login per check: the password was tried on another port of this check (the report's
    /// port with an `attempt`), so this server is not asked to judge it twice.
    TriedOnAnotherPort,
    /// A reason this build does not know (a report from a newer sendcheck).
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_every_kind() {
        let every = crate::wire::tagged::tests::every_kind();
        let mut names: Vec<&str> = every.iter().map(OutcomeKind::name).collect();
        names.dedup();
        assert_eq!(names, OutcomeKind::NAMES);
        for kind in &every {
            // The JSON tag is the name.
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json["kind"], kind.name());
        }
    }

    #[test]
    fn kinds_from_a_newer_sendcheck_still_read() {
        let outcome: Outcome =
            serde_json::from_str(r#"{"kind":"quantum_tunnel_closed","step":"warp","at_ms":5}"#)
                .unwrap();
        assert_eq!(outcome.kind, OutcomeKind::Unknown);
        assert_eq!(outcome.step, Step::Unknown);
        let problem: CertificateProblem =
            serde_json::from_str(r#"{"kind":"post_quantum_mismatch","detail":"x"}"#).unwrap();
        assert_eq!(problem, CertificateProblem::Unknown);
    }
}
