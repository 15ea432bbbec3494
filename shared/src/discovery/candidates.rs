//! Ranking what was found into submission candidates, best first.
//!
//! 1. SRV (`_submission._tcp` STARTTLS, `_submissions._tcp` implicit TLS), lower priority
//!    first, heavier weight first among equals (RFC 2782's weighted choice, made
//!    deterministic), implicit TLS first on a tie (RFC 8314 §3.3 prefers it).
//! 2. The domain's autoconfig servers, in document order.
//! 3. A known provider's settings.
//! 4. Guesses on 587 STARTTLS and 465 TLS: `mail.DOMAIN`, `smtp.DOMAIN` (unless DNS said the
//!    name does not exist), then the MX host.
//!
//! The same host, port and security from several sources is one candidate with every source,
//! placed where its best source puts it; among equals, the one more sources agree on first.

use std::cmp::Reverse;

use crate::dns::SrvRecord;
use crate::knowledge::Provider;
use crate::target::{Hostname, Security};

use super::{Candidate, LookupOutcome, NameLookup, OutgoingServer, Source};

/// More is noise for a person choosing a setting (and bounds the answer).
pub const MAX_CANDIDATES: usize = 24;

/// The guessed pairings, most usual first.
const GUESSED_PAIRINGS: [(u16, Security); 2] = [(587, Security::Starttls), (465, Security::Tls)];

pub(super) struct Published<'a> {
    pub submission: &'a [SrvRecord],
    pub submissions: &'a [SrvRecord],
    pub autoconfig: &'a [OutgoingServer],
    pub provider: Option<&'a Provider>,
    pub guessed_hosts: &'a [NameLookup],
    pub mx_host: Option<&'a Hostname>,
}

pub(super) fn rank(found: &Published<'_>) -> Vec<Candidate> {
    let mut named = Vec::new();
    srv(found, &mut named);
    for server in found.autoconfig {
        named.push(Named::new(
            &server.hostname,
            server.port,
            server.security,
            Source::Autoconfig,
            1,
            0,
        ));
    }
    if let Some(provider) = found.provider {
        for settings in std::iter::once(&provider.smtp).chain(provider.alternative.as_ref()) {
            if let Some(host) = settings
                .host
                .as_deref()
                .and_then(|h| Hostname::parse(h).ok())
            {
                named.push(Named::new(
                    &host,
                    settings.port,
                    settings.security,
                    Source::Provider,
                    2,
                    0,
                ));
            }
        }
    }
    let may_exist = |g: &&NameLookup| {
        !matches!(
            g.outcome,
            LookupOutcome::NoSuchName | LookupOutcome::NoRecords
        )
    };
    let guesses = found
        .guessed_hosts
        .iter()
        .filter(may_exist)
        .map(|g| (&g.name, Source::DomainGuess))
        .chain(found.mx_host.map(|h| (h, Source::MxGuess)));
    for (host, source) in guesses {
        for (port, security) in GUESSED_PAIRINGS {
            named.push(Named::new(host, port, security, source, 3, 0));
        }
    }
    merge(named)
}

/// One source naming one server, with where that source ranks it.
struct Named {
    candidate: Candidate,
    tier: u8,
    priority: u16,
}

impl Named {
    fn new(
        host: &Hostname,
        port: u16,
        security: Security,
        source: Source,
        tier: u8,
        priority: u16,
    ) -> Self {
        Self {
            candidate: Candidate {
                host: host.clone(),
                port,
                security,
                sources: vec![source],
            },
            tier,
            priority,
        }
    }
}

fn srv(found: &Published<'_>, named: &mut Vec<Named>) {
    let mut records: Vec<(&SrvRecord, Security)> = found
        .submissions
        .iter()
        .map(|r| (r, Security::Tls))
        .chain(found.submission.iter().map(|r| (r, Security::Starttls)))
        .collect();
    // Stable: on equal priority and weight, implicit TLS (listed first) stays first.
    records.sort_by_key(|(r, _)| (r.priority, Reverse(r.weight)));
    for (record, security) in records {
        if let (Some(host), true) = (record.target.host(), record.port != 0) {
            named.push(Named::new(
                host,
                record.port,
                security,
                Source::Srv,
                0,
                record.priority,
            ));
        }
    }
}

/// One candidate per host, port and security, keeping every source and the best rank.
fn merge(named: Vec<Named>) -> Vec<Candidate> {
    let mut merged: Vec<Named> = Vec::new();
    for one in named {
        let same = |m: &&mut Named| {
            m.candidate.host == one.candidate.host
                && m.candidate.port == one.candidate.port
                && m.candidate.security == one.candidate.security
        };
        match merged.iter_mut().find(same) {
            Some(existing) => {
                for source in one.candidate.sources {
                    if !existing.candidate.sources.contains(&source) {
                        existing.candidate.sources.push(source);
                    }
                }
                // Sources arrive best tier first, so the existing rank is already the best.
            }
            None => merged.push(one),
        }
    }
    let agreeing = |n: &Named| n.candidate.sources.iter().filter(|s| !s.is_guess()).count();
    // Stable: otherwise in the order the sources ranked them.
    merged.sort_by_key(|n| (n.tier, n.priority, Reverse(agreeing(n))));
    merged
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|n| n.candidate)
        .collect()
}
