//! Discovery: from an e-mail address (or a bare domain) to the submission servers a mail
//! program should send through, each with where that came from.
//!
//! ```text
//!  "taro@example.jp" ──DiscoveryPlan::new──▶ plan: DoH queries (MX, SRV _submission._tcp,
//!                                            SRV _submissions._tcp, A/AAAA of guessed hosts)
//!                                            + autoconfig URLs (config-v1.1.xml)
//!  worker fetches all of them concurrently, each under its own deadline
//!  plan.finish(dns answers, autoconfig fetches, knowledge) ──▶ Discovery (wire, versioned):
//!      each lookup's own outcome, the known provider, ranked `candidates`
//! ```
//!
//! Sans-IO like the probe: nothing here fetches or reads a clock.
//! Ranking (`candidates.rs`): what the domain itself publishes (SRV, RFC 6186/8314) and its
//! autoconfig, then a known provider's settings, then guesses (`mail.`/`smtp.` + domain, the MX
//! host) on 587 STARTTLS and 465 TLS. One host, port and security named by several sources
//! is one candidate listing every source.

mod address;
mod autoconfig;
mod candidates;
mod plan;
mod xml;

use serde::{Deserialize, Serialize};

use crate::dns::{MxRecord, SrvRecord};
use crate::target::{Hostname, MailPort, Security};

pub use address::{parse_domain, AddressError, MAX_ADDRESS_LEN};
pub use autoconfig::{
    parse_outgoing, redirect_allowed, AutoconfigError, OutgoingServer, UrlTemplates,
    DEFAULT_URL_TEMPLATES, MAX_DOCUMENT_BYTES, MAX_SERVERS,
};
pub use plan::{DiscoveryPlan, DnsAnswer, DnsQuery, Fetched, QueryPurpose};
pub use xml::XmlError;

/// Version of the [`Discovery`] JSON; fields added later carry `#[serde(default)]`.
pub const DISCOVERY_VERSION: u32 = 1;

/// The answer of `GET /api/discover`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    pub version: u32,
    /// The domain asked about (the part after '@', lower-cased).
    pub domain: Hostname,
    /// Whether the person gave an address (`true`) or a bare domain.
    #[serde(default)]
    pub from_address: bool,
    #[serde(default)]
    pub mx: Lookup<MxRecord>,
    /// `_submission._tcp.DOMAIN` (RFC 6186): submission with STARTTLS.
    #[serde(default)]
    pub submission: Lookup<SrvRecord>,
    /// `_submissions._tcp.DOMAIN` (RFC 8314): submission with implicit TLS.
    #[serde(default)]
    pub submissions: Lookup<SrvRecord>,
    #[serde(default)]
    pub autoconfig: AutoconfigLookup,
    /// Whether `mail.DOMAIN` / `smtp.DOMAIN` exist; a guess on a name that does not is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guessed_hosts: Vec<NameLookup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderMatch>,
    /// Best first.
    #[serde(default)]
    pub candidates: Vec<Candidate>,
}

impl Discovery {
    /// The first candidate that is more than a guess.
    pub fn best_published(&self) -> Option<&Candidate> {
        self.candidates.iter().find(|c| !c.is_guess())
    }
}

/// How one lookup (a DNS query, an autoconfig fetch) went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LookupOutcome {
    Found,
    /// Records say "nothing here": SRV target `.` (RFC 6186 §3.4: the service is not
    /// available), null MX `0 .` (RFC 7505: the domain accepts no mail).
    NotAvailable,
    /// The name exists and has no such record; for autoconfig, no document (404) or one
    /// without an SMTP server.
    NoRecords,
    /// NXDOMAIN.
    NoSuchName,
    /// SERVFAIL, REFUSED, or the resolver could not be reached.
    ResolverError,
    /// An answer came that cannot be read (broken DNS JSON, an autoconfig document that is
    /// not autoconfig XML).
    Unreadable,
    /// Larger than the bound ([`MAX_DOCUMENT_BYTES`]).
    TooLarge,
    TimedOut,
    /// The autoconfig fetch failed: no such host, refused, an HTTP error, a redirect refused.
    FetchFailed,
    /// Not asked (the lookup did not apply, or a newer plan had no answer for it).
    #[default]
    NotAsked,
    #[serde(other)]
    Unknown,
}

impl LookupOutcome {
    /// Every outcome this build names (not `Unknown`, which only a newer worker's answer reads as).
    pub const ALL: [LookupOutcome; 10] = [
        Self::Found,
        Self::NotAvailable,
        Self::NoRecords,
        Self::NoSuchName,
        Self::ResolverError,
        Self::Unreadable,
        Self::TooLarge,
        Self::TimedOut,
        Self::FetchFailed,
        Self::NotAsked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Found => "found",
            Self::NotAvailable => "not_available",
            Self::NoRecords => "no_records",
            Self::NoSuchName => "no_such_name",
            Self::ResolverError => "resolver_error",
            Self::Unreadable => "unreadable",
            Self::TooLarge => "too_large",
            Self::TimedOut => "timed_out",
            Self::FetchFailed => "fetch_failed",
            Self::NotAsked => "not_asked",
            Self::Unknown => "unknown",
        }
    }
}

/// One DNS lookup's outcome and the records it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup<R> {
    pub outcome: LookupOutcome,
    /// What went wrong, in English, when it did (for the technical view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<R>,
}

impl<R> Default for Lookup<R> {
    fn default() -> Self {
        Self {
            outcome: LookupOutcome::NotAsked,
            detail: None,
            records: Vec::new(),
        }
    }
}

/// Whether a guessed host name exists (A or AAAA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameLookup {
    pub name: Hostname,
    pub outcome: LookupOutcome,
}

/// The autoconfig documents tried, and the SMTP servers of the first usable one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AutoconfigLookup {
    /// `found` when some document named an SMTP server, otherwise the most telling failure.
    pub outcome: LookupOutcome,
    /// The URL whose document was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<OutgoingServer>,
    /// Every URL tried, in the order of preference, with its own outcome.
    #[serde(default)]
    pub attempts: Vec<AutoconfigAttempt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoconfigAttempt {
    pub url: String,
    pub outcome: LookupOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A provider from the built-in knowledge, and how it was recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMatch {
    pub id: String,
    pub name: String,
    pub name_ja: String,
    pub matched_by: ProviderMatchedBy,
    /// The MX host that matched, when `matched_by` is `mx_host`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_host: Option<Hostname>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProviderMatchedBy {
    /// The address domain is one the provider hands out (`gmail.com`).
    Domain,
    /// The domain's mail goes to the provider's servers (its MX host).
    MxHost,
    #[serde(other)]
    Unknown,
}

/// A server a mail program could submit to, and every source that named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub host: Hostname,
    /// As published: SRV and autoconfig may name any port; see [`Candidate::mail_port`].
    pub port: u16,
    pub security: Security,
    /// Most authoritative first.
    pub sources: Vec<Source>,
}

impl Candidate {
    /// Only guesses named it: nobody published it.
    pub fn is_guess(&self) -> bool {
        self.sources.iter().all(|s| s.is_guess())
    }

    /// The port as one sendcheck can probe, if it is one.
    pub fn mail_port(&self) -> Option<MailPort> {
        MailPort::new(self.port)
    }
}

/// Where a candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// The domain's SRV records (RFC 6186 `_submission`, RFC 8314 `_submissions`).
    Srv,
    /// The domain's Thunderbird autoconfig document.
    Autoconfig,
    /// sendcheck's knowledge of the provider (shared/data/providers.json).
    Provider,
    /// A guess: the domain's MX host also accepting submission.
    MxGuess,
    /// A guess: `mail.DOMAIN` or `smtp.DOMAIN`.
    DomainGuess,
    #[serde(other)]
    Unknown,
}

impl Source {
    pub fn is_guess(self) -> bool {
        matches!(self, Self::MxGuess | Self::DomainGuess | Self::Unknown)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Srv => "srv",
            Self::Autoconfig => "autoconfig",
            Self::Provider => "provider",
            Self::MxGuess => "mx_guess",
            Self::DomainGuess => "domain_guess",
            Self::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_from_a_newer_worker_still_read() {
        let json = r#"{"version":1,"domain":"example.jp",
            "mx":{"outcome":"some_new_outcome"},
            "candidates":[{"host":"smtp.example.jp","port":587,"security":"starttls",
                           "sources":["srv","a_new_source"]}]}"#;
        let d: Discovery = serde_json::from_str(json).unwrap();
        assert_eq!(d.mx.outcome, LookupOutcome::Unknown);
        assert_eq!(d.submission.outcome, LookupOutcome::NotAsked);
        assert_eq!(d.candidates[0].sources, vec![Source::Srv, Source::Unknown]);
        assert!(!d.candidates[0].is_guess());
        assert_eq!(d.candidates[0].mail_port(), Some(MailPort::SUBMISSION));
    }

    #[test]
    fn outcome_names_match_serde() {
        for outcome in LookupOutcome::ALL {
            assert_eq!(
                serde_json::to_string(&outcome).unwrap(),
                format!("\"{}\"", outcome.name())
            );
        }
        for source in [
            Source::Srv,
            Source::Autoconfig,
            Source::Provider,
            Source::MxGuess,
            Source::DomainGuess,
        ] {
            assert_eq!(
                serde_json::to_string(&source).unwrap(),
                format!("\"{}\"", source.name())
            );
        }
    }
}
