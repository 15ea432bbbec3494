//! Everything works from outside: the server answers, TLS verifies, AUTH is offered (and the
//! test login, if any, worked). The problem is on the person's side; say what to check, in
//! the order that finds it fastest. Runs only when no specific rule is sure of anything.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Health;
use crate::diagnosis::{Audience, Cause, Confidence, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let probes = case.probes();
    let relevant: Vec<_> = match case.configured_port() {
        Some(port) if case.probes_of(port).next().is_some() => case.probes_of(port).collect(),
        // The person's own port could not be tested from here: nothing says it is clear.
        Some(port) if case.not_tested(port).is_some() => return None,
        _ => probes.iter().collect(),
    };
    if relevant.is_empty()
        || relevant.iter().any(|p| {
            p.health() != Health::Works
                || p.slow_greeting()
                || p.tls_verified() == Some(false)
                || !p.kind().is_success()
        })
    {
        return None;
    }
    let mut finding = Finding::new(
        Cause::AllClearOutside,
        Confidence::Medium,
        Message::new("cause.all_clear_outside.summary").with("host", case.host()),
    );
    finding
        .evidence_for
        .extend(relevant.iter().take(6).map(|p| p.outcome_evidence()));
    finding.evidence_for.extend(case.connection_up_evidence());
    if let Some(good) = case.best_submission() {
        finding
            .fixes
            .push(case.settings_fix("fix.compare_settings", good.settings()));
    }
    for key in [
        "fix.run_local_checks",
        "fix.check_security_software",
        "fix.try_other_network",
        "fix.check_outbox",
    ] {
        finding
            .fixes
            .push(Fix::new(Audience::Person, Message::new(key)));
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};

    #[test]
    fn a_healthy_server_sends_the_person_to_their_own_side() {
        let obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert!(f.cites(|s| matches!(s, Source::OutsideProbe { port: 587, .. })));
        assert_eq!(f.fixes[0].settings.as_ref().map(|s| s.port), Some(587));
        let slow_one = case(
            vec![check(T0, vec![probed(slow(587, T0, 20_000))])],
            MailClient::Outlook,
            settings(587, None),
        );
        assert!(apply(rule, &slow_one).is_none());
    }
}
