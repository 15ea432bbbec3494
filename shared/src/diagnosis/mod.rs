//! The diagnosis: a pure function from what was observed to ranked findings.
//!
//! ```text
//!  Observations ─┬─ outside: CheckReport × runs (sendcheck's probes of the server)
//!                ├─ inside: network (ASN/org) + local checks pasted back from the person's machine
//!                └─ answers: client, settings, error text, what changed
//!        │
//!        ▼  Case::new (decode the error, find the network and provider once)
//!  rules/*.rs: one cause each ──▶ Finding { cause, confidence, evidence ±, fixes }
//!        │
//!        ▼  rank: confidence, then rule order; fallback rules only if nothing else is sure
//!  Diagnosis { findings, decoded_error (candidates reordered by the findings) }
//! ```
//!
//! No clock, no randomness, no IO: the same observations give the same diagnosis, on the
//! page, in the worker and in the CLI. Every sentence is a [`Message`] key rendered with
//! [`crate::knowledge::Texts`].

mod case;
mod decode;
mod finding;
mod observations;
mod outside;
mod rules;

#[cfg(test)]
mod causes;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod scenarios;

pub use decode::{decode_error, decode_error_with, DecodedError, Recognised, MAX_ERROR_TEXT};
pub use finding::{
    AnswerField, Audience, Cause, Confidence, Diagnosis, Evidence, Finding, Fix, Settings, Source,
    DIAGNOSIS_VERSION,
};
pub use observations::{
    BrowserCheck, BrowserResult, ClientSettings, InsideView, LocalCertificateProblem, LocalCheck,
    LocalResult, MailClient, NetworkIdentity, Observations, PersonAnswers, RecentChange, Since,
    OBSERVATIONS_VERSION,
};
pub use outside::{probes as outside_probes, seconds, SLOW_GREETING_MS};

use crate::knowledge::{Knowledge, Message};

/// Runs every rule and ranks what they found, most likely first.
pub fn diagnose(observations: &Observations, knowledge: &Knowledge) -> Diagnosis {
    let case = case::Case::new(observations, knowledge);
    let mut findings: Vec<Finding> = rules::SPECIFIC
        .iter()
        .filter_map(|rule| rule(&case))
        .collect();
    // The fallback ("all clear from outside") is the answer only when nothing specific is.
    if findings.iter().all(|f| f.confidence == Confidence::Low) {
        findings.extend(rules::FALLBACK.iter().filter_map(|rule| rule(&case)));
    }
    // Stable: equal confidence keeps the rules' order, which lists the causes that explain
    // the most (the server, then the network, then the settings) first.
    findings.sort_by_key(|f| std::cmp::Reverse(f.confidence));
    let decoded_error = case.decoded.clone().map(|mut decoded| {
        let fits = |cause: &Cause| findings.iter().position(|f| f.cause == *cause);
        let mut ordered: Vec<(usize, Cause)> = decoded
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (fits(c).unwrap_or(findings.len() + i), *c))
            .collect();
        ordered.sort_by_key(|(rank, _)| *rank);
        decoded.candidates = ordered.into_iter().map(|(_, c)| c).collect();
        decoded
    });
    Diagnosis {
        version: DIAGNOSIS_VERSION,
        findings,
        decoded_error,
    }
}

/// How many runs of the same check the page makes at most when a fault may come and go.
pub const MAX_RUNS: usize = 3;

/// Whether running the same check again would tell more (scenario 002): some port accepted
/// the connection and then failed (no or late greeting, 421, a reset, a reply that never
/// came) or greeted slowly, and fewer than [`MAX_RUNS`] runs were made. A server that is
/// simply down, or one that works, gains nothing from a repeat.
pub fn repeat_advised(outside: &[crate::wire::CheckReport]) -> bool {
    if outside.is_empty() || outside.len() >= MAX_RUNS {
        return false;
    }
    outside::probes(outside)
        .iter()
        .any(|p| p.health() == outside::Health::Unstable || p.slow_greeting())
}

/// [`repeat_advised`] with each refusal read against the reply classes: a blocklist or a
/// per-client limit does not come and go, and another run only repeats it.
pub fn repeat_advised_with(outside: &[crate::wire::CheckReport], knowledge: &Knowledge) -> bool {
    if outside.is_empty() || outside.len() >= MAX_RUNS {
        return false;
    }
    outside::probes(outside)
        .into_iter()
        .map(|p| p.classified(knowledge))
        .any(|p| p.health() == outside::Health::Unstable || p.slow_greeting())
}

/// A shorthand the rules use: a message key with no parameters.
fn msg(key: &str) -> Message {
    Message::new(key)
}
