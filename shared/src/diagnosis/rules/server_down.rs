//! The server is down: no mail port answers from outside, in any run (scenario 002's worse
//! day). Nothing on the person's side can fix that; what helps is evidence for the provider.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Health;
use crate::diagnosis::{Audience, Cause, Confidence, Finding, Fix};
use crate::knowledge::Message;
use crate::wire::OutcomeKind;

/// Cited failures are capped: the page shows them, and a dozen say no more than eight.
const MAX_CITED: usize = 8;

pub fn rule(case: &Case) -> Option<Finding> {
    let probes = case.probes();
    if probes.is_empty() || probes.iter().any(|p| p.health() != Health::Unreachable) {
        return None;
    }
    if probes
        .iter()
        .all(|p| matches!(p.kind(), OutcomeKind::DnsFailed { .. }))
    {
        return None; // host_not_found
    }
    let mut ports: Vec<u16> = probes.iter().map(|p| p.port()).collect();
    ports.sort_unstable();
    ports.dedup();
    let confidence = if ports.len() >= 2 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::ServerDown,
        confidence,
        Message::new("cause.server_down.summary").with("host", case.host()),
    );
    finding.evidence_for = probes
        .iter()
        .take(MAX_CITED)
        .map(|p| p.outcome_evidence())
        .collect();
    // Receiving from the same server means it is up and only its SMTP service is not.
    finding
        .evidence_against
        .extend(case.connection_up_evidence().into_iter().filter(|e| {
            matches!(
                e.source,
                crate::diagnosis::Source::PersonSaid {
                    field: crate::diagnosis::AnswerField::ReceivingWorks
                }
            )
        }));
    finding.fixes.push(
        case.provider_fix("fix.provider_server_down")
            .unwrap_or_else(|| {
                Fix::new(Audience::Provider, Message::new("fix.report_server_down"))
            }),
    );
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.recheck_later"),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};
    use crate::wire::Step;

    #[test]
    fn every_port_silent_in_every_run_is_down_with_each_failure_cited() {
        let run = |t| {
            check(
                t,
                vec![
                    probed(failed(
                        587,
                        t,
                        OutcomeKind::ConnectTimeout,
                        Step::Connect,
                        10_000,
                    )),
                    probed(failed(
                        465,
                        t,
                        OutcomeKind::ConnectTimeout,
                        Step::Connect,
                        10_000,
                    )),
                ],
            )
        };
        let obs = case(
            vec![run(T0), run(T0 + 60_000)],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.evidence_for.len(), 4);
        assert!(f.cites(
            |s| matches!(s, Source::OutsideProbe { run: 1, port: 465, at_unix_ms, .. }
            if *at_unix_ms == T0 + 60_000 + 10_000)
        ));
    }

    #[test]
    fn one_port_answering_is_not_down() {
        let obs = case(
            vec![check(
                T0,
                vec![
                    probed(failed(
                        587,
                        T0,
                        OutcomeKind::ConnectionRefused,
                        Step::Connect,
                        20,
                    )),
                    probed(completed(465, T0)),
                ],
            )],
            MailClient::Outlook,
            settings(587, None),
        );
        assert!(apply(rule, &obs).is_none());
    }
}
