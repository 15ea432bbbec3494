//! The sans-IO shape of a discovery: what to ask ([`DiscoveryPlan::new`]), then what the
//! answers mean ([`DiscoveryPlan::finish`]). The worker asks, concurrently, under deadlines.

use crate::dns::{self, DnsError, RecordType, Target};
use crate::knowledge::Knowledge;
use crate::target::Hostname;

use super::address::{parse_domain, AddressError};
use super::autoconfig::{parse_outgoing, UrlTemplates};
use super::candidates::{rank, Published};
use super::{
    AutoconfigAttempt, AutoconfigLookup, Discovery, Lookup, LookupOutcome, NameLookup,
    ProviderMatch, ProviderMatchedBy, DISCOVERY_VERSION,
};

/// The host names guessed on the domain, in the order they are tried.
const GUESS_PREFIXES: [&str; 2] = ["mail", "smtp"];

/// What one address needs asked: DNS queries and autoconfig URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryPlan {
    domain: Hostname,
    from_address: bool,
    queries: Vec<DnsQuery>,
    autoconfig_urls: Vec<String>,
}

/// One DoH question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsQuery {
    /// `example.jp`, `_submission._tcp.example.jp`: letters, digits, '-', '_' and '.' only.
    pub name: String,
    pub record: RecordType,
    pub purpose: QueryPurpose,
}

impl DnsQuery {
    /// The DoH JSON URL on `resolver` (see [`dns::query_url`]).
    pub fn url(&self, resolver: &str) -> String {
        dns::query_url(resolver, &self.name, self.record)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryPurpose {
    Mx,
    /// `_submission._tcp`
    Submission,
    /// `_submissions._tcp`
    Submissions,
    /// Whether a guessed host exists.
    GuessedHost(Hostname),
}

/// What came back for one DNS query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsAnswer {
    /// The resolver's body (HTTP 200).
    Body(Vec<u8>),
    TimedOut,
    /// The resolver could not be asked (network, HTTP status): a sentence for the report.
    Failed {
        detail: String,
    },
}

/// What came back for one autoconfig URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fetched {
    /// HTTP 200 and the body, within [`super::MAX_DOCUMENT_BYTES`].
    Document {
        body: Vec<u8>,
    },
    /// Any other final HTTP status.
    Status {
        code: u16,
    },
    /// The body went past the bound; reading stopped there.
    TooLarge {
        limit: usize,
    },
    TimedOut,
    /// A redirect that [`super::redirect_allowed`] refused, or too many of them.
    RedirectRefused {
        location: String,
    },
    /// No connection (no such host, refused, TLS failure): a sentence.
    Failed {
        detail: String,
    },
}

impl DiscoveryPlan {
    /// The plan for `address` (an e-mail address or a bare domain), with autoconfig fetched
    /// from `templates`.
    pub fn new(address: &str, templates: &UrlTemplates) -> Result<Self, AddressError> {
        let (domain, from_address) = parse_domain(address)?;
        let mut queries = vec![
            DnsQuery {
                name: domain.to_string(),
                record: RecordType::Mx,
                purpose: QueryPurpose::Mx,
            },
            DnsQuery {
                name: format!("_submission._tcp.{domain}"),
                record: RecordType::Srv,
                purpose: QueryPurpose::Submission,
            },
            DnsQuery {
                name: format!("_submissions._tcp.{domain}"),
                record: RecordType::Srv,
                purpose: QueryPurpose::Submissions,
            },
        ];
        for host in guessed_hosts(&domain) {
            for record in [RecordType::A, RecordType::Aaaa] {
                queries.push(DnsQuery {
                    name: host.to_string(),
                    record,
                    purpose: QueryPurpose::GuessedHost(host.clone()),
                });
            }
        }
        Ok(Self {
            autoconfig_urls: templates.urls(&domain),
            domain,
            from_address,
            queries,
        })
    }

    pub fn domain(&self) -> &Hostname {
        &self.domain
    }

    /// Every DNS query, in the order [`DiscoveryPlan::finish`] expects their answers.
    pub fn queries(&self) -> &[DnsQuery] {
        &self.queries
    }

    /// Every autoconfig URL, most preferred first, in the order `finish` expects them.
    pub fn autoconfig_urls(&self) -> &[String] {
        &self.autoconfig_urls
    }

    /// What the answers say. `dns[i]` answers `queries()[i]` and `autoconfig[i]` fetched
    /// `autoconfig_urls()[i]`; a missing answer counts as not asked.
    pub fn finish(
        self,
        dns: Vec<DnsAnswer>,
        autoconfig: Vec<Fetched>,
        knowledge: &Knowledge,
    ) -> Discovery {
        let mut mx = Lookup::default();
        let mut submission = Lookup::default();
        let mut submissions = Lookup::default();
        let mut guessed: Vec<(Hostname, Vec<LookupOutcome>)> = Vec::new();
        let mut answers = dns.into_iter();
        for query in &self.queries {
            let answer = answers.next();
            match &query.purpose {
                QueryPurpose::Mx => mx = lookup(answer, dns::parse_mx, |r| &r.exchange),
                QueryPurpose::Submission => {
                    submission = lookup(answer, dns::parse_srv, |r| &r.target)
                }
                QueryPurpose::Submissions => {
                    submissions = lookup(answer, dns::parse_srv, |r| &r.target)
                }
                QueryPurpose::GuessedHost(host) => {
                    let outcome = address_outcome(answer, query.record);
                    match guessed.iter_mut().find(|(h, _)| h == host) {
                        Some((_, outcomes)) => outcomes.push(outcome),
                        None => guessed.push((host.clone(), vec![outcome])),
                    }
                }
            }
        }
        // `_submission._tcp.DOMAIN` not existing is how DNS says "no SRV records" (nothing is
        // published under that name); NXDOMAIN is news only for the domain itself (the MX
        // lookup shows it).
        if mx.outcome != LookupOutcome::NoSuchName {
            for srv in [&mut submission, &mut submissions] {
                if srv.outcome == LookupOutcome::NoSuchName {
                    srv.outcome = LookupOutcome::NoRecords;
                }
            }
        }
        let guessed_hosts: Vec<NameLookup> = guessed
            .into_iter()
            .map(|(name, outcomes)| NameLookup {
                name,
                outcome: name_outcome(&outcomes),
            })
            .collect();
        let autoconfig = autoconfig_lookup(&self.domain, &self.autoconfig_urls, autoconfig);
        let mx_hosts: Vec<&Hostname> = mx
            .records
            .iter()
            .filter_map(|r| r.exchange.host())
            .collect();
        let provider = provider_match(knowledge, &self.domain, &mx_hosts);
        let provider_entry = provider
            .as_ref()
            .and_then(|m| knowledge.providers().iter().find(|p| p.id == m.id));
        let candidates = rank(&Published {
            submission: &submission.records,
            submissions: &submissions.records,
            autoconfig: &autoconfig.servers,
            provider: provider_entry,
            guessed_hosts: &guessed_hosts,
            mx_host: mx_hosts.first().copied(),
        });
        Discovery {
            version: DISCOVERY_VERSION,
            domain: self.domain,
            from_address: self.from_address,
            mx,
            submission,
            submissions,
            autoconfig,
            guessed_hosts,
            provider,
            candidates,
        }
    }
}

fn guessed_hosts(domain: &Hostname) -> Vec<Hostname> {
    GUESS_PREFIXES
        .iter()
        .filter_map(|prefix| Hostname::parse(&format!("{prefix}.{domain}")).ok())
        .collect()
}

/// A DNS lookup of MX or SRV records. Records that all point at `.` mean "not available"
/// (RFC 6186 §3.4 for SRV, RFC 7505 for MX); mixed with real ones, the `.` is ignored.
fn lookup<R>(
    answer: Option<DnsAnswer>,
    parse: fn(&[u8]) -> Result<Vec<R>, DnsError>,
    target: fn(&R) -> &Target,
) -> Lookup<R> {
    let failed = |outcome, detail: String| Lookup {
        outcome,
        detail: Some(detail),
        records: Vec::new(),
    };
    match answer {
        None => Lookup::default(),
        Some(DnsAnswer::TimedOut) => failed(LookupOutcome::TimedOut, "no answer in time".into()),
        Some(DnsAnswer::Failed { detail }) => failed(LookupOutcome::ResolverError, detail),
        Some(DnsAnswer::Body(body)) => match parse(&body) {
            Ok(records) => {
                let none = records
                    .iter()
                    .all(|r| matches!(target(r), Target::NotAvailable));
                Lookup {
                    outcome: if none {
                        LookupOutcome::NotAvailable
                    } else {
                        LookupOutcome::Found
                    },
                    detail: None,
                    records,
                }
            }
            Err(e) => failed(dns_outcome(&e), e.to_string()),
        },
    }
}

fn dns_outcome(e: &DnsError) -> LookupOutcome {
    match e {
        DnsError::NoSuchName => LookupOutcome::NoSuchName,
        DnsError::NoRecords => LookupOutcome::NoRecords,
        DnsError::BadAnswer { .. } => LookupOutcome::Unreadable,
        _ => LookupOutcome::ResolverError,
    }
}

fn address_outcome(answer: Option<DnsAnswer>, record: RecordType) -> LookupOutcome {
    match answer {
        None => LookupOutcome::NotAsked,
        Some(DnsAnswer::TimedOut) => LookupOutcome::TimedOut,
        Some(DnsAnswer::Failed { .. }) => LookupOutcome::ResolverError,
        Some(DnsAnswer::Body(body)) => match dns::parse_answer(&body, record) {
            Ok(_) => LookupOutcome::Found,
            Err(e) => dns_outcome(&e),
        },
    }
}

/// A name exists when any address type was found; it does not when NXDOMAIN was said or
/// every type had no records; otherwise it is unknown (the first failure is kept).
fn name_outcome(outcomes: &[LookupOutcome]) -> LookupOutcome {
    if outcomes.contains(&LookupOutcome::Found) {
        LookupOutcome::Found
    } else if outcomes.contains(&LookupOutcome::NoSuchName) {
        LookupOutcome::NoSuchName
    } else if outcomes.iter().all(|o| *o == LookupOutcome::NoRecords) {
        LookupOutcome::NoRecords
    } else {
        outcomes
            .iter()
            .copied()
            .find(|o| *o != LookupOutcome::NoRecords)
            .unwrap_or(LookupOutcome::NotAsked)
    }
}

fn autoconfig_lookup(
    domain: &Hostname,
    urls: &[String],
    fetched: Vec<Fetched>,
) -> AutoconfigLookup {
    let mut result = AutoconfigLookup::default();
    let mut fetched = fetched.into_iter();
    for url in urls {
        let (outcome, detail, servers) = match fetched.next() {
            None => (LookupOutcome::NotAsked, None, Vec::new()),
            Some(f) => read_fetched(domain, f),
        };
        if outcome == LookupOutcome::Found && result.url.is_none() {
            result.url = Some(url.clone());
            result.servers = servers;
        }
        result.attempts.push(AutoconfigAttempt {
            url: url.clone(),
            outcome,
            detail,
        });
    }
    // The most telling outcome: a document that was there but unusable says more than a
    // missing one; a host that does not exist is the usual "no autoconfig".
    let telling = |o: LookupOutcome| match o {
        LookupOutcome::Found => 0,
        LookupOutcome::Unreadable => 1,
        LookupOutcome::TooLarge => 2,
        LookupOutcome::TimedOut => 3,
        LookupOutcome::NoRecords => 4,
        LookupOutcome::FetchFailed => 5,
        _ => 6,
    };
    result.outcome = result
        .attempts
        .iter()
        .map(|a| a.outcome)
        .min_by_key(|o| telling(*o))
        .unwrap_or(LookupOutcome::NotAsked);
    result
}

fn read_fetched(
    domain: &Hostname,
    fetched: Fetched,
) -> (LookupOutcome, Option<String>, Vec<super::OutgoingServer>) {
    match fetched {
        Fetched::Document { body } => match parse_outgoing(&body, domain) {
            Ok(servers) if servers.is_empty() => (
                LookupOutcome::NoRecords,
                Some("the document names no usable <outgoingServer type=\"smtp\">".into()),
                servers,
            ),
            Ok(servers) => (LookupOutcome::Found, None, servers),
            Err(e) => (LookupOutcome::Unreadable, Some(e.to_string()), Vec::new()),
        },
        Fetched::Status { code } => {
            let outcome = if matches!(code, 404 | 410) {
                LookupOutcome::NoRecords
            } else {
                LookupOutcome::FetchFailed
            };
            (outcome, Some(format!("HTTP {code}")), Vec::new())
        }
        Fetched::TooLarge { limit } => (
            LookupOutcome::TooLarge,
            Some(format!("larger than {limit} bytes")),
            Vec::new(),
        ),
        Fetched::TimedOut => (
            LookupOutcome::TimedOut,
            Some("no answer in time".into()),
            Vec::new(),
        ),
        Fetched::RedirectRefused { location } => (
            LookupOutcome::FetchFailed,
            Some(format!(
                "redirect to {:?} not followed (only to https)",
                location.chars().take(120).collect::<String>()
            )),
            Vec::new(),
        ),
        Fetched::Failed { detail } => (LookupOutcome::FetchFailed, Some(detail), Vec::new()),
    }
}

fn provider_match(
    knowledge: &Knowledge,
    domain: &Hostname,
    mx_hosts: &[&Hostname],
) -> Option<ProviderMatch> {
    let by_domain = knowledge
        .provider_for_domain(domain.as_str())
        .map(|p| (p, ProviderMatchedBy::Domain, None));
    let by_mx = || {
        mx_hosts.iter().find_map(|host| {
            knowledge
                .provider_for_host(host.as_str())
                .map(|p| (p, ProviderMatchedBy::MxHost, Some((*host).clone())))
        })
    };
    by_domain
        .or_else(by_mx)
        .map(|(p, matched_by, mx_host)| ProviderMatch {
            id: p.id.clone(),
            name: p.name.clone(),
            name_ja: p.name_ja.clone(),
            matched_by,
            mx_host,
        })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
