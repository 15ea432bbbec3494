//! The server is overloaded or failing: it accepts connections and then greets late or not at
//! all, refuses with 421, resets, or works only sometimes (scenario 002). Seen from outside,
//! this clears the person's network; repeated runs expose the intermittent fault, and every
//! failure is cited with its time so the provider cannot wave it away.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::{Health, Probe};
use crate::diagnosis::{AnswerField, Audience, Cause, Confidence, Evidence, Finding, Fix, Source};
use crate::knowledge::Message;

const MAX_CITED: usize = 10;

pub fn rule(case: &Case) -> Option<Finding> {
    let probes = case.probes();
    let troubled: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.health() == Health::Unstable || p.slow_greeting())
        .collect();
    let worked: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.health() == Health::Works)
        .collect();
    let unreachable: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.health() == Health::Unreachable)
        .collect();
    // A port that worked in one run and failed in another.
    let mut intermittent: Vec<u16> = worked
        .iter()
        .map(|p| p.port())
        .filter(|port| {
            troubled
                .iter()
                .chain(&unreachable)
                .any(|f| f.port() == *port && !f.slow_greeting())
        })
        .collect();
    intermittent.sort_unstable();
    intermittent.dedup();
    if troubled.is_empty() && intermittent.is_empty() {
        // The person pasted the server's own "try later" (451 temporary RBL lookup error,
        // 421 service not available): its words, from their side, with nothing seen here.
        case.pasted_class(Cause::ServerUnstable)?;
        let mut finding = case.refusal_finding(
            Cause::ServerUnstable,
            "cause.server_unstable.summary_pasted",
        )?;
        finding.confidence = Confidence::Medium;
        finding.fixes.push(
            case.provider_fix("fix.provider_check_load")
                .unwrap_or_else(|| {
                    Fix::new(Audience::Provider, Message::new("fix.report_unstable"))
                }),
        );
        return Some(finding);
    }
    let runs_with_trouble = {
        let mut runs: Vec<usize> = troubled.iter().map(|p| p.run).collect();
        runs.dedup();
        runs.len()
    };
    // One blip (a single reset, one late greeting) is not a pattern: two failures, or failures
    // in two runs, are. A lone blip on a port the person does not use, while their own port
    // works, says little about their problem (the fault lab's one reset in six runs).
    let configured = case.configured_port();
    let failures: Vec<&&Probe> = troubled
        .iter()
        .chain(
            unreachable
                .iter()
                .filter(|p| intermittent.contains(&p.port())),
        )
        .collect();
    let mut failed_runs: Vec<usize> = failures.iter().map(|p| p.run).collect();
    failed_runs.sort_unstable();
    failed_runs.dedup();
    let lone_blip_elsewhere = failures.len() == 1
        && configured.is_some_and(|port| {
            failures[0].port() != port && case.works_from_outside(port).is_some()
        });
    let confidence = if failures.len() >= 2 || runs_with_trouble >= 2 || failed_runs.len() >= 2 {
        Confidence::High
    } else if lone_blip_elsewhere {
        Confidence::Low
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::ServerUnstable,
        confidence,
        Message::new("cause.server_unstable.summary")
            .with("host", case.host())
            .with("failed", troubled.len() + unreachable.len())
            .with("total", probes.len())
            .with("runs", case.obs.outside.len()),
    );
    let ev = &mut finding.evidence_for;
    if let Some(first) = troubled.first().or(unreachable.first()) {
        // The failure happens between sendcheck and the server: not on the person's network.
        ev.push(Evidence::new(
            first.outcome_evidence().source,
            // From the person's own machine (the CLI) a failure does not clear their network.
            Message::new(if first.ran_on_their_machine() {
                "fact.inside.fails_from_this_computer"
            } else {
                "fact.outside.fails_from_outside_too"
            })
            .with("host", case.host()),
        ));
    }
    for port in &intermittent {
        let runs = |wanted: bool| -> Vec<usize> {
            probes
                .iter()
                .filter(|p| p.port() == *port && (p.health() == Health::Works) == wanted)
                .map(|p| p.run)
                .collect()
        };
        let (ok, failed) = (runs(true), runs(false));
        ev.push(Evidence::new(
            Source::OutsideRuns {
                port: *port,
                ok: ok.clone(),
                failed: failed.clone(),
            },
            Message::new("fact.outside.intermittent")
                .with("port", port)
                .with("ok", ok.len())
                .with("total", ok.len() + failed.len()),
        ));
    }
    for probe in troubled.iter().chain(&unreachable).take(MAX_CITED) {
        if probe.health() == Health::Works {
            ev.extend(probe.greeting_evidence());
        } else {
            ev.push(probe.outcome_evidence());
        }
    }
    if !intermittent.is_empty() {
        ev.extend(
            worked
                .iter()
                .filter(|p| intermittent.contains(&p.port()))
                .take(MAX_CITED / 2)
                .map(|p| p.outcome_evidence()),
        );
    }
    ev.extend(case.connection_up_evidence().into_iter().filter(|e| {
        matches!(
            e.source,
            Source::PersonSaid {
                field: AnswerField::OtherServersWork
            }
        )
    }));
    ev.extend(case.decoded_for(Cause::ServerUnstable));

    finding.fixes.push(
        case.provider_fix("fix.provider_check_load")
            .unwrap_or_else(|| Fix::new(Audience::Provider, Message::new("fix.report_unstable"))),
    );
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.not_your_network"),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::MailClient;
    use crate::wire::{OutcomeKind, Step};

    #[test]
    fn one_late_greeting_is_medium_and_a_healthy_server_is_nothing() {
        let obs = case(
            vec![check(T0, vec![probed(slow(587, T0, 25_000))])],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::Medium);
        assert!(f
            .evidence_for
            .iter()
            .any(|e| e.fact.key == "fact.outside.slow_greeting"
                && e.fact.param("seconds") == Some("25.0")));
        let healthy = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, None),
        );
        assert!(apply(rule, &healthy).is_none());
    }

    #[test]
    fn a_421_greeting_is_cited_with_its_reply() {
        let busy = OutcomeKind::GreetingRejected {
            reply: reply(
                421,
                &["4.3.2 mail.example.jp Service not available, closing transmission channel"],
            ),
        };
        let obs = case(
            vec![check(
                T0,
                vec![probed(failed(587, T0, busy, Step::Greeting, 120))],
            )],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert!(f
            .evidence_for
            .iter()
            .any(|e| e.fact.key == "outcome.greeting_rejected"
                && e.fact
                    .param("reply")
                    .is_some_and(|r| r.starts_with("421 4.3.2"))));
    }
}
