//! The server is down: no mail port answers from outside, in any run (scenario 002's worse
//! day). Nothing on the person's side can fix that; what helps is evidence for the provider.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Health;
use crate::diagnosis::{
    Audience, BrowserResult, Cause, Confidence, Evidence, Finding, Fix, Source,
};
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
    // A mail port that connects from the person's own computer: the server is not down.
    if case
        .obs
        .inside
        .local_checks
        .iter()
        .any(|c| matches!(c.port, 25 | 465 | 587 | 2525) && c.result.connected())
    {
        return None;
    }
    let mut ports: Vec<u16> = probes.iter().map(|p| p.port()).collect();
    ports.sort_unstable();
    ports.dedup();
    // With port 25 unseen from this vantage, refused submission ports may as well mean a
    // server without them (no_submission_port): not sure enough to say "down".
    let unseen_25 = case.not_tested(25).is_some()
        && probes
            .iter()
            .all(|p| matches!(p.kind(), OutcomeKind::ConnectionRefused));
    // Probes from the person's own machine that reach nothing may be their network's doing.
    let only_theirs = probes.iter().all(|p| p.ran_on_their_machine());
    let confidence = if ports.len() >= 2 && !unseen_25 && !only_theirs {
        Confidence::High
    } else {
        Confidence::Medium
    };
    // The machine is up when the person's browser reaches it on 443/80, or when every mail
    // port is refused (a refusal is the running machine's own answer): then it is the mail
    // service that is down, and its administrator restarts it (the fault lab's "mail down on
    // a running host").
    let web_answers: Vec<(usize, u16)> = case
        .obs
        .inside
        .browser_checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.result == BrowserResult::Answered && matches!(c.port, 443 | 80))
        .map(|(i, c)| (i, c.port))
        .collect();
    let all_refused = probes
        .iter()
        .all(|p| matches!(p.kind(), OutcomeKind::ConnectionRefused));
    let host_up = !web_answers.is_empty() || all_refused;
    let key = if host_up {
        "cause.server_down.summary_service"
    } else if probes.iter().all(|p| p.ran_on_their_machine()) {
        "cause.server_down.summary_this_computer"
    } else {
        "cause.server_down.summary"
    };
    let mut finding = Finding::new(
        Cause::ServerDown,
        confidence,
        Message::new(key).with("host", case.host()),
    );
    if host_up {
        finding.headline = Some(Message::new("cause.server_down.title_service"));
    }
    finding.evidence_for = probes
        .iter()
        .take(MAX_CITED)
        .map(|p| p.outcome_evidence())
        .collect();
    finding
        .evidence_for
        .extend(web_answers.iter().map(|(index, port)| {
            Evidence::new(
                Source::BrowserCheck {
                    index: *index,
                    port: *port,
                },
                Message::new("fact.browser.web_answers").with("port", port),
            )
        }));
    if unseen_25 {
        finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.no_submission.check_25_locally").with("host", case.host()),
        ));
    }
    if host_up {
        finding.fixes.push(Fix::new(
            Audience::ServerAdmin,
            Message::new("fix.restart_mail_service").with("host", case.host()),
        ));
    }
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
    fn every_mail_port_refused_while_the_web_answers_is_the_mail_service_on_a_running_host() {
        let refused = |port| {
            probed(failed(
                port,
                T0,
                OutcomeKind::ConnectionRefused,
                Step::Connect,
                15,
            ))
        };
        let mut obs = case(
            vec![check(T0, vec![refused(587), refused(465)])],
            MailClient::Thunderbird,
            settings(587, None),
        );
        obs.inside.browser_checks = vec![crate::diagnosis::BrowserCheck {
            host: Some("192.0.2.25".into()),
            port: 443,
            scheme: "https".into(),
            result: BrowserResult::Answered,
            elapsed_ms: Some(40),
        }];
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.summary.key, "cause.server_down.summary_service");
        assert!(f
            .fixes
            .iter()
            .any(|x| x.action.key == "fix.restart_mail_service" && x.guide.is_empty()));
        assert!(f.cites(|s| matches!(s, Source::BrowserCheck { port: 443, .. })));
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
