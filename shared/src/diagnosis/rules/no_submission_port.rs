//! The server offers no submission port: 587, 465 (and 2525 when probed) are closed while the
//! server itself is up (port 25 answers, or the submission ports refuse rather than time out).
//! Whoever runs the server must open one (scenario 000's second half, scenario 001's fix).

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Health;
use crate::diagnosis::{Audience, Cause, Confidence, Finding, Fix};
use crate::knowledge::Message;
use crate::wire::OutcomeKind;

pub fn rule(case: &Case) -> Option<Finding> {
    let submission: Vec<_> = case
        .probes()
        .iter()
        .filter(|p| matches!(p.port(), 587 | 465 | 2525))
        .collect();
    if submission.is_empty() || submission.iter().any(|p| p.health() != Health::Unreachable) {
        return None;
    }
    let up_on_25 = case.works_from_outside(25);
    // Port 25 connecting from the person's own computer shows the server up just as well
    // (the edge cannot test 25; the fault lab's server with only 25 open).
    let local_25: Vec<_> = case
        .local(25)
        .filter(|(_, c)| c.result.connected())
        .collect();
    let refused = submission
        .iter()
        .any(|p| matches!(p.kind(), OutcomeKind::ConnectionRefused));
    let confidence = match (up_on_25.is_some() || !local_25.is_empty(), refused) {
        (true, _) => Confidence::High,
        (false, true) if case.probes_of(25).next().is_none() => Confidence::Medium,
        _ => return None,
    };
    let mut finding = Finding::new(
        Cause::NoSubmissionPort,
        confidence,
        Message::new(if up_on_25.is_some() || !local_25.is_empty() {
            "cause.no_submission_port.summary"
        } else {
            "cause.no_submission_port.summary_unseen_25"
        })
        .with("host", case.host()),
    );
    if let Some(probe) = up_on_25 {
        finding.evidence_for.extend(probe.greeting_evidence());
    }
    finding
        .evidence_for
        .extend(submission.iter().take(6).map(|p| p.outcome_evidence()));
    finding
        .evidence_for
        .extend(local_25.iter().map(|(i, c)| case.local_evidence(*i, c)));
    finding.evidence_for.extend(case.not_tested(25));
    if confidence < Confidence::High && case.not_tested(25).is_some() {
        // What decides between this and a stopped mail service: port 25 from their side.
        finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.no_submission.check_25_locally").with("host", case.host()),
        ));
    }
    finding.fixes.push(case.admin_fix("fix.enable_submission"));
    finding
        .fixes
        .extend(case.provider_fix("fix.ask_provider_for_submission"));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};
    use crate::wire::Step;

    #[test]
    fn closed_submission_ports_on_a_live_server() {
        let run = submission_closed(T0);
        let obs = case(vec![run], MailClient::Outlook, settings(25, None));
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                port: 25,
                step: Step::Greeting,
                ..
            }
        )));
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                port: 587,
                step: Step::Connect,
                ..
            }
        )));
    }

    #[test]
    fn port_25_connecting_from_the_person_s_computer_decides_it_when_the_edge_cannot_test_25() {
        let refused = |port| {
            probed(failed(
                port,
                T0,
                OutcomeKind::ConnectionRefused,
                Step::Connect,
                12,
            ))
        };
        let run = check(T0, vec![refused(587), refused(465), untestable_25()]);
        let mut obs = case(vec![run], MailClient::Outlook, settings(587, None));
        let before = crate::diagnosis::scenarios::run(&obs);
        let f = before.finding(Cause::NoSubmissionPort).unwrap();
        assert_eq!(f.confidence, Confidence::Medium);
        assert_eq!(f.fixes[0].action.key, "fix.no_submission.check_25_locally");
        obs.inside.local_checks = vec![
            local(25, None, crate::diagnosis::LocalResult::Connected),
            local(587, None, crate::diagnosis::LocalResult::Refused),
        ];
        let after = crate::diagnosis::scenarios::run(&obs);
        let top = after.top().unwrap();
        assert_eq!(
            (top.cause, top.confidence),
            (Cause::NoSubmissionPort, Confidence::High)
        );
        assert!(top.cites(|s| matches!(s, Source::LocalCheck { port: 25, .. })));
        assert!(after.finding(Cause::ServerDown).is_none(), "{after:#?}");
    }

    #[test]
    fn silence_everywhere_is_not_this_rule() {
        let run = check(
            T0,
            vec![
                probed(failed(
                    587,
                    T0,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
                untestable_25(),
            ],
        );
        assert!(apply(
            rule,
            &case(vec![run], MailClient::Outlook, settings(587, None))
        )
        .is_none());
    }
}
