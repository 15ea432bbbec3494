//! Everything the diagnosis reads: what sendcheck saw from outside, what the person's own
//! machine saw, and what the person told us. Serde types shared by the page, the worker and
//! the CLI; every field added later is `#[serde(default)]`, so a saved case reads next year.

use serde::{Deserialize, Serialize};

use crate::target::Security;
use crate::wire::CheckReport;

/// Bumped when a field changes meaning. Readers accept every version up to their own.
pub const OBSERVATIONS_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observations {
    #[serde(default)]
    pub version: u32,
    /// Checks of the person's mail server from sendcheck's vantage points. Several runs of the
    /// same check expose a fault that comes and goes (scenario 002).
    #[serde(default)]
    pub outside: Vec<CheckReport>,
    #[serde(default)]
    pub inside: InsideView,
    #[serde(default)]
    pub answers: PersonAnswers,
}

/// What is known from the person's side of the network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsideView {
    /// The network the person's browser connects from (the worker sees it on the request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkIdentity>,
    /// Results of the commands the page asked the person to run on their own machine.
    #[serde(default)]
    pub local_checks: Vec<LocalCheck>,
    /// What the person's browser reached of the server's address (web ports only: browsers
    /// refuse to open mail ports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub browser_checks: Vec<BrowserCheck>,
}

/// One `fetch` from the person's browser to the mail server's address on a web port: a
/// quick answer or a quick refusal means the network lets connections through; no answer
/// means something on the way drops them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserCheck {
    /// The address (or name) fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub port: u16,
    /// `https` or `http`.
    pub scheme: String,
    pub result: BrowserResult,
    /// How long until the answer, refusal or time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BrowserResult {
    /// A response, or a refusal before the time limit: the network reaches the address.
    Answered,
    /// Nothing before the time limit: something on the way drops the connection.
    NoAnswer,
    /// Not tried: the browser forbids it (plain HTTP from an HTTPS page).
    BlockedByBrowser,
    #[serde(other)]
    Unknown,
}

impl BrowserResult {
    pub fn name(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::NoAnswer => "no_answer",
            Self::BlockedByBrowser => "blocked_by_browser",
            Self::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkIdentity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_org: Option<String>,
    /// ISO 3166 code ("JP").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// What the person's machine saw for one host and port, parsed from the output of
/// `Test-NetConnection`, `nc -vz`, `openssl s_client` or `curl` that they pasted back.
/// Read by hand (`wire::tagged`): serde's reader of `flatten` buffers the whole object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalCheck {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub port: u16,
    /// How the command connected: `tls` for `openssl s_client -connect`, `starttls` for
    /// `-starttls smtp`, absent for a plain TCP test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    #[serde(flatten)]
    pub result: LocalResult,
    /// The command that produced it ("Test-NetConnection", "nc", "openssl").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
}

/// The outcome of a local check, as far as the tool's output tells it.
/// Read by hand (`wire::tagged`), unknown results as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LocalResult {
    /// The TCP connection opened (`TcpTestSucceeded : True`, `nc: … succeeded`).
    Connected,
    /// Refused: nothing listens, or something on the way answers with a reset.
    Refused,
    /// No answer: something on the way silently drops the connection.
    TimedOut,
    /// Failed without saying how (`TcpTestSucceeded : False` cannot tell refused from timed out).
    Failed,
    /// The TLS handshake completed; the certificate the machine received.
    TlsOk {
        issuer: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// SHA-256 of the server certificate, lowercase hex without colons.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
    },
    /// Connected, but TLS did not come up.
    TlsFailed { detail: String },
    /// Connected, and then nothing within the TLS look's time limit: no greeting, no answer
    /// to STARTTLS or to the ClientHello (something accepted the connection and stayed silent).
    TlsNoAnswer,
    /// The TLS handshake completed and the person's own tool found the certificate invalid
    /// in a way that does not depend on the machine's trust store (openssl's `Verify return
    /// code: 10 (certificate has expired)`): evidence about the certificate that arrived.
    TlsCertificateInvalid {
        issuer: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
        /// `expired`, `not_yet_valid`, `name_mismatch` or `self_signed` ([`LocalCertificateProblem`]).
        problem: LocalCertificateProblem,
        /// The tool's own words.
        detail: String,
    },
    /// The machine could not resolve the host name.
    DnsFailed,
    /// A result this build does not know.
    Unknown,
}

impl LocalResult {
    /// Nothing got through at all.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Refused | Self::TimedOut | Self::Failed)
    }

    /// At least the TCP connection opened.
    pub fn connected(&self) -> bool {
        matches!(
            self,
            Self::Connected
                | Self::TlsOk { .. }
                | Self::TlsFailed { .. }
                | Self::TlsNoAnswer
                | Self::TlsCertificateInvalid { .. }
        )
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Refused => "refused",
            Self::TimedOut => "timed_out",
            Self::Failed => "failed",
            Self::TlsOk { .. } => "tls_ok",
            Self::TlsFailed { .. } => "tls_failed",
            Self::TlsNoAnswer => "tls_no_answer",
            Self::TlsCertificateInvalid { .. } => "tls_certificate_invalid",
            Self::DnsFailed => "dns_failed",
            Self::Unknown => "unknown",
        }
    }
}

/// What the person's own TLS tool said was wrong with the certificate it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LocalCertificateProblem {
    /// OpenSSL's verify code 10.
    Expired,
    /// Code 9.
    NotYetValid,
    /// Code 62: not for the name the person connects to.
    NameMismatch,
    /// Code 18: the server's certificate is signed by itself.
    SelfSigned,
    /// A problem this build does not know.
    #[serde(other)]
    Unknown,
}

/// What the person told us. Everything is optional: people answer what they know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_works: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_works: Option<bool>,
    /// Other mail servers (the ISP's own, a webmail) send fine from the same network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_servers_work: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<MailClient>,
    /// The outgoing server settings in the mail program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured: Option<ClientSettings>,
    /// The error as the person pasted it (decoded by [`crate::diagnosis::decode_error`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_text: Option<String>,
    /// The domain of the address they send as (`example.co.jp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_domain: Option<String>,
    /// The security software on the machine, as the person named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_software: Option<String>,
    /// What changed recently. A change is often a red herring (scenario 001's new modem).
    #[serde(default)]
    pub recent_changes: Vec<RecentChange>,
    /// Since when sending fails: a sudden stop points at a change somewhere (an ISP's rollout,
    /// a password), "never worked" at the settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Since>,
}

/// Since when sending fails, as the person remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Since {
    Today,
    /// In the last few days.
    ThisWeek,
    /// For longer than a week, after working before.
    Longer,
    /// It has never worked with these settings (a new account, computer or program).
    NeverWorked,
    #[serde(other)]
    Unknown,
}

impl Since {
    pub const ALL: [Since; 4] = [Self::Today, Self::ThisWeek, Self::Longer, Self::NeverWorked];

    pub fn name(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::ThisWeek => "this_week",
            Self::Longer => "longer",
            Self::NeverWorked => "never_worked",
            Self::Unknown => "unknown",
        }
    }

    /// It worked before and stopped: something changed.
    pub fn stopped(self) -> bool {
        matches!(self, Self::Today | Self::ThisWeek | Self::Longer)
    }
}

/// Which program sends the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MailClient {
    /// Outlook for Windows (classic or new).
    Outlook,
    /// Outlook Express, Windows Mail, Windows Live Mail.
    OutlookExpress,
    Thunderbird,
    /// Mail on a Mac.
    AppleMail,
    /// Mail on an iPhone or iPad.
    Ios,
    /// The Gmail app or another mail app on Android.
    Android,
    /// Gmail on the web sending as another address through that address's SMTP server.
    GmailSendAs,
    /// Becky! Internet Mail (common in Japanese offices).
    Becky,
    #[serde(other)]
    Other,
}

impl MailClient {
    pub fn name(self) -> &'static str {
        match self {
            Self::Outlook => "outlook",
            Self::OutlookExpress => "outlook_express",
            Self::Thunderbird => "thunderbird",
            Self::AppleMail => "apple_mail",
            Self::Ios => "ios",
            Self::Android => "android",
            Self::GmailSendAs => "gmail_send_as",
            Self::Becky => "becky",
            Self::Other => "other",
        }
    }
}

/// The outgoing server as configured in the mail program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSettings {
    pub host: String,
    pub port: u16,
    /// `None` when the program chooses by itself ("Auto") or the person does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    /// "My outgoing server requires authentication" is on, with a user name.
    #[serde(default)]
    pub username_given: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecentChange {
    PasswordChanged,
    /// A modem or router was replaced or reconfigured.
    NetworkEquipment,
    /// The computer or its operating system was (re)installed.
    OsReinstalled,
    SecuritySoftware,
    MailClientChanged,
    /// The provider or ISP sent a notice (often about port 25, or about passwords).
    ProviderNotice,
    #[serde(other)]
    Other,
}

impl RecentChange {
    pub fn name(self) -> &'static str {
        match self {
            Self::PasswordChanged => "password_changed",
            Self::NetworkEquipment => "network_equipment",
            Self::OsReinstalled => "os_reinstalled",
            Self::SecuritySoftware => "security_software",
            Self::MailClientChanged => "mail_client_changed",
            Self::ProviderNotice => "provider_notice",
            Self::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_pins_its_json_shape() {
        let json = serde_json::json!({
            "version": 1,
            "inside": {
                "network": {"asn": 4713, "as_org": "NTT Communications", "country": "JP"},
                "local_checks": [
                    {"port": 25, "result": "timed_out", "tool": "Test-NetConnection"},
                    {"host": "mail.example.jp", "port": 465, "security": "tls",
                     "result": "tls_ok", "issuer": "CN=Avast Web/Mail Shield Root"},
                    {"port": 587, "result": "teleported"}
                ]
            },
            "answers": {
                "receiving_works": true,
                "client": "thunderbird",
                "configured": {"host": "mail.example.jp", "port": 25, "security": "none"},
                "recent_changes": ["network_equipment", "alien_abduction"],
                "since": "this_week"
            }
        });
        let obs: Observations = serde_json::from_value(json).unwrap();
        assert!(obs.outside.is_empty());
        let checks = &obs.inside.local_checks;
        assert_eq!(checks[0].result, LocalResult::TimedOut);
        assert!(
            matches!(&checks[1].result, LocalResult::TlsOk { issuer, sha256: None, .. }
            if issuer.contains("Avast"))
        );
        assert_eq!(checks[2].result, LocalResult::Unknown);
        let answers = &obs.answers;
        assert_eq!(answers.client, Some(MailClient::Thunderbird));
        assert_eq!(
            answers.configured.as_ref().map(|c| c.username_given),
            Some(false)
        );
        assert_eq!(
            answers.recent_changes,
            [RecentChange::NetworkEquipment, RecentChange::Other]
        );
        assert_eq!(answers.since, Some(Since::ThisWeek));
        let later: PersonAnswers = serde_json::from_str(r#"{"since":"last_blue_moon"}"#).unwrap();
        assert_eq!(later.since, Some(Since::Unknown));
        let again: Observations =
            serde_json::from_value(serde_json::to_value(&obs).unwrap()).unwrap();
        assert_eq!(again, obs);
        assert_eq!(
            serde_json::from_str::<Observations>("{}").unwrap(),
            Observations::default()
        );
    }

    #[test]
    fn browser_checks_read_and_stay_out_of_the_json_when_there_are_none() {
        let inside: InsideView = serde_json::from_value(serde_json::json!({
            "browser_checks": [
                {"host": "198.51.100.25", "port": 443, "scheme": "https", "result": "answered",
                 "elapsed_ms": 12},
                {"port": 80, "scheme": "http", "result": "blocked_by_browser"},
                {"port": 2525, "scheme": "https", "result": "teleported"}
            ]
        }))
        .unwrap();
        let results: Vec<_> = inside.browser_checks.iter().map(|c| c.result).collect();
        assert_eq!(
            results,
            [
                BrowserResult::Answered,
                BrowserResult::BlockedByBrowser,
                BrowserResult::Unknown
            ]
        );
        assert_eq!(inside.browser_checks[0].elapsed_ms, Some(12));
        assert_eq!(BrowserResult::NoAnswer.name(), "no_answer");
        assert_eq!(
            serde_json::to_value(InsideView::default()).unwrap(),
            serde_json::json!({"local_checks": []})
        );
    }
}
