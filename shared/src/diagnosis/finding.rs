//! What the diagnosis concludes: ranked findings, each a cause with its confidence, the
//! evidence for and against it (every item citing where it comes from) and the fixes.

use serde::{Deserialize, Serialize};

use crate::diagnosis::DecodedError;
use crate::knowledge::Message;
use crate::target::Security;
use crate::wire::Step;

/// Bumped when a field changes meaning. Readers accept every version up to their own.
pub const DIAGNOSIS_VERSION: u32 = 1;

/// The result of [`crate::diagnosis::diagnose`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub version: u32,
    /// Most likely first.
    pub findings: Vec<Finding>,
    /// The person's error message decoded, its candidates reordered so that the causes the
    /// evidence supports come first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoded_error: Option<DecodedError>,
}

impl Diagnosis {
    pub fn top(&self) -> Option<&Finding> {
        self.findings.first()
    }

    pub fn finding(&self, cause: Cause) -> Option<&Finding> {
        self.findings.iter().find(|f| f.cause == cause)
    }

    /// Every message in the diagnosis, for rendering checks.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.findings.iter().flat_map(Finding::messages).chain(
            self.decoded_error
                .iter()
                .flat_map(|d| d.recognised.iter().map(|r| &r.meaning)),
        )
    }
}

/// Why sending fails. Serialized as a snake_case name; the page's texts are keyed on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// The person's network blocks outbound port 25 (Outbound Port 25 Blocking).
    Op25b,
    /// The server offers no submission port (587/465/2525) to move to.
    NoSubmissionPort,
    /// The server refuses the user name or password.
    CredentialsRejected,
    /// The mail program does not log in, and the server will not relay without it.
    AuthNotUsed,
    /// The server does not offer AUTH where a mail program needs it.
    AuthNotOffered,
    /// STARTTLS is missing, refused or fails on the server.
    StarttlsBroken,
    /// The server's certificate would be refused by a mail program.
    CertificateProblem,
    /// SSL/TLS selected on a STARTTLS port, STARTTLS on 465, or no encryption where required.
    WrongSecurityPairing,
    /// The server's name does not resolve.
    HostNotFound,
    /// Nothing answers on any mail port, from anywhere.
    ServerDown,
    /// The server answers late, refuses with 421, or works only sometimes.
    ServerUnstable,
    /// Software on the person's machine or network intercepts TLS on the mail ports.
    TlsInterception,
    /// The provider no longer accepts a plain password (app password or OAuth required).
    BasicAuthRetired,
    /// The server refused the message itself (recipient, sender address, content policy).
    MessageRejected,
    /// Everything works from outside: the problem is on the person's side.
    AllClearOutside,
    /// The server refuses the connecting address by policy: a DNS blocklist, a deny list,
    /// missing reverse DNS, a country block. Whose address depends on who saw the refusal.
    AddressRefused,
    /// A per-client limit: too many connections, sessions or commands from one address.
    ClientLimit,
    /// The login could not be checked just now (454 4.7.0): the password may well be right.
    AuthTemporary,
    /// Logins are locked after too many failed attempts.
    LoginLocked,
    /// The provider or tenant has switched SMTP AUTH off for the mailbox (Microsoft 365).
    SmtpAuthDisabled,
    /// The server wants encryption (STARTTLS or SSL/TLS) before the login.
    EncryptionRequired,
    /// The login method the mail program uses is not one the server accepts.
    AuthMechanismUnsupported,
    /// The provider refuses logins from addresses outside its country (Japanese hosting).
    LoginRefusedAbroad,
    /// The server refuses the old TLS version the mail program speaks.
    OldTlsRefused,
    /// The server refused with words no known class explains: quoted as they are.
    UnrecognisedReply,
    /// A cause this build does not know (a diagnosis from a newer sendcheck).
    #[serde(other)]
    Unknown,
}

impl Cause {
    /// Every cause this build knows (not `Unknown`), for tables that must cover them all.
    pub const ALL: [Cause; 25] = [
        Self::Op25b,
        Self::NoSubmissionPort,
        Self::CredentialsRejected,
        Self::AuthNotUsed,
        Self::AuthNotOffered,
        Self::StarttlsBroken,
        Self::CertificateProblem,
        Self::WrongSecurityPairing,
        Self::HostNotFound,
        Self::ServerDown,
        Self::ServerUnstable,
        Self::TlsInterception,
        Self::BasicAuthRetired,
        Self::MessageRejected,
        Self::AllClearOutside,
        Self::AddressRefused,
        Self::ClientLimit,
        Self::AuthTemporary,
        Self::LoginLocked,
        Self::SmtpAuthDisabled,
        Self::EncryptionRequired,
        Self::AuthMechanismUnsupported,
        Self::LoginRefusedAbroad,
        Self::OldTlsRefused,
        Self::UnrecognisedReply,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Op25b => "op25b",
            Self::NoSubmissionPort => "no_submission_port",
            Self::CredentialsRejected => "credentials_rejected",
            Self::AuthNotUsed => "auth_not_used",
            Self::AuthNotOffered => "auth_not_offered",
            Self::StarttlsBroken => "starttls_broken",
            Self::CertificateProblem => "certificate_problem",
            Self::WrongSecurityPairing => "wrong_security_pairing",
            Self::HostNotFound => "host_not_found",
            Self::ServerDown => "server_down",
            Self::ServerUnstable => "server_unstable",
            Self::TlsInterception => "tls_interception",
            Self::BasicAuthRetired => "basic_auth_retired",
            Self::MessageRejected => "message_rejected",
            Self::AllClearOutside => "all_clear_outside",
            Self::AddressRefused => "address_refused",
            Self::ClientLimit => "client_limit",
            Self::AuthTemporary => "auth_temporary",
            Self::LoginLocked => "login_locked",
            Self::SmtpAuthDisabled => "smtp_auth_disabled",
            Self::EncryptionRequired => "encryption_required",
            Self::AuthMechanismUnsupported => "auth_mechanism_unsupported",
            Self::LoginRefusedAbroad => "login_refused_abroad",
            Self::OldTlsRefused => "old_tls_refused",
            Self::UnrecognisedReply => "unrecognised_reply",
            Self::Unknown => "unknown",
        }
    }

    /// Text key of the cause's title.
    pub fn title(self) -> Message {
        Message::new(&format!("cause.{}.title", self.name()))
    }
}

/// How sure the diagnosis is. Ordered: `High` sorts before `Medium` in a diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub cause: Cause,
    /// A headline more exact than the cause's title for this case ("the mail service is down
    /// on a running machine" rather than "not answering at all"); [`Finding::title`] reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<Message>,
    pub confidence: Confidence,
    /// One sentence naming the cause in this case ("OCN blocks port 25 …").
    pub summary: Message,
    pub evidence_for: Vec<Evidence>,
    #[serde(default)]
    pub evidence_against: Vec<Evidence>,
    /// Best first.
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(cause: Cause, confidence: Confidence, summary: Message) -> Self {
        Self {
            cause,
            headline: None,
            confidence,
            summary,
            evidence_for: Vec::new(),
            evidence_against: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// The finding's title: its own headline, else its cause's.
    pub fn title(&self) -> Message {
        self.headline.clone().unwrap_or_else(|| self.cause.title())
    }

    /// Whether some evidence for the finding comes from a source matching `wanted`.
    pub fn cites(&self, wanted: impl Fn(&Source) -> bool) -> bool {
        self.evidence_for.iter().any(|e| wanted(&e.source))
    }

    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        std::iter::once(&self.summary)
            .chain(&self.headline)
            .chain(self.evidence_for.iter().map(|e| &e.fact))
            .chain(self.evidence_against.iter().map(|e| &e.fact))
            .chain(
                self.fixes
                    .iter()
                    .flat_map(|f| std::iter::once(&f.action).chain(&f.guide)),
            )
    }
}

/// One fact, and exactly where it was observed, so the page can show and link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: Source,
    pub fact: Message,
}

impl Evidence {
    pub fn new(source: Source, fact: Message) -> Self {
        Self { source, fact }
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// One step of one outside probe: `run` indexes `Observations::outside`; `at_unix_ms` is
    /// when the step started (the report's start plus the step's offset).
    OutsideProbe {
        run: usize,
        port: u16,
        step: Step,
        at_unix_ms: u64,
    },
    /// The same port across several runs: which runs worked and which failed.
    OutsideRuns {
        port: u16,
        ok: Vec<usize>,
        failed: Vec<usize>,
    },
    /// A port the vantage point could not test (port 25 at Cloudflare's edge).
    OutsideNotTested { run: usize, port: u16 },
    /// The network the person connects from.
    InsideNetwork {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asn: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        as_org: Option<String>,
    },
    /// A check run on the person's machine: `index` into `InsideView::local_checks`.
    LocalCheck { index: usize, port: u16 },
    /// What the person's browser reached of the server: `index` into
    /// `InsideView::browser_checks`.
    BrowserCheck { index: usize, port: u16 },
    /// An answer the person gave.
    PersonSaid { field: AnswerField },
    /// The person's error message, decoded (`code` as in [`crate::diagnosis::Recognised`]).
    DecodedError { code: String },
    /// An entry of a knowledge table, with the entry's own source.
    Knowledge {
        table: String,
        entry: String,
        reference: String,
    },
}

/// Which answer of the person a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AnswerField {
    ReceivingWorks,
    WebWorks,
    OtherServersWork,
    Client,
    Configured,
    ErrorText,
    EmailDomain,
    SecuritySoftware,
    RecentChanges,
    Since,
    #[serde(other)]
    Unknown,
}

/// One thing to do, for one audience, with exact settings when there are some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub audience: Audience,
    pub action: Message,
    /// The outgoing server settings to enter, when the fix is a settings change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// Where to do it, step by step (in the person's mail program, or on the server).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guide: Vec<Message>,
}

impl Fix {
    pub fn new(audience: Audience, action: Message) -> Self {
        Self {
            audience,
            action,
            settings: None,
            guide: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Audience {
    /// The person at the mail program.
    Person,
    /// Whoever runs the mail server (often the same person, scenario 000).
    ServerAdmin,
    /// The hosting company or mail provider.
    Provider,
    /// The person's ISP or network administrator.
    Network,
}

/// Outgoing server settings for a mail program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// "My outgoing server requires authentication" on, with the mailbox's user name.
    pub authentication: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_pins_its_json_shape() {
        let evidence = Evidence::new(
            Source::OutsideProbe {
                run: 1,
                port: 587,
                step: Step::Greeting,
                at_unix_ms: 1_700_000_000_123,
            },
            Message::new("outcome.greeting_timeout").with("port", 587),
        );
        assert_eq!(
            serde_json::to_value(&evidence).unwrap(),
            serde_json::json!({
                "source": {"kind": "outside_probe", "run": 1, "port": 587, "step": "greeting",
                           "at_unix_ms": 1_700_000_000_123_u64},
                "fact": {"key": "outcome.greeting_timeout", "params": {"port": "587"}}
            })
        );
        let said = serde_json::to_value(Source::PersonSaid {
            field: AnswerField::RecentChanges,
        })
        .unwrap();
        assert_eq!(
            said,
            serde_json::json!({"kind": "person_said", "field": "recent_changes"})
        );
        assert_eq!(
            serde_json::from_str::<Cause>(r#""quantum_relay""#).unwrap(),
            Cause::Unknown
        );
        assert!(Confidence::High > Confidence::Medium && Confidence::Medium > Confidence::Low);
    }
}
