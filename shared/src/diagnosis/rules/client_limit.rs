//! A per-client limit: "421 4.7.0 Error: too many connections from 192.0.2.7" (Postfix's
//! anvil), "Too many concurrent SMTP connections from this IP address" (Exim's
//! smtp_accept_max_per_host), too many TLS sessions or AUTH commands. Not a failing server,
//! not broken TLS: wait, and close the other programs and devices that use the account.
//!
//! sendcheck opens its ports at once, so it can trip such a limit itself: a limited port while
//! another port of the same run completed is our own doing and is said so, never blamed on
//! the server.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::{Health, Probe};
use crate::diagnosis::{Audience, Cause, Confidence, Evidence, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let limited = case.refused_for(Cause::ClientLimit);
    let pasted = case.pasted_class(Cause::ClientLimit).is_some();
    let theirs = pasted || limited.iter().any(|p| p.ran_on_their_machine());
    if theirs {
        let mut finding = Finding::new(
            Cause::ClientLimit,
            Confidence::High,
            Message::new("cause.client_limit.summary_yours").with("host", case.host()),
        );
        finding
            .evidence_for
            .extend(case.decoded_for(Cause::ClientLimit));
        finding
            .evidence_for
            .extend(limited.iter().flat_map(|p| p.refusal_evidence()));
        finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.client_limit.close_others"),
        ));
        finding.fixes.push(Fix::new(
            Audience::Provider,
            Message::new("fix.client_limit.ask_provider").with("host", case.host()),
        ));
        return Some(finding);
    }
    if limited.is_empty() {
        return None;
    }
    let self_inflicted = limited.iter().all(|l| sibling_worked(case, l));
    let (confidence, key) = if self_inflicted {
        (Confidence::Low, "cause.client_limit.summary_ours_parallel")
    } else {
        (Confidence::Medium, "cause.client_limit.summary_ours")
    };
    let mut finding = Finding::new(
        Cause::ClientLimit,
        confidence,
        Message::new(key)
            .with("host", case.host())
            .with("port", limited[0].port()),
    );
    finding
        .evidence_for
        .extend(limited.iter().flat_map(|p| p.refusal_evidence()));
    if self_inflicted {
        if let Some(ok) = case
            .probes()
            .iter()
            .find(|p| p.run == limited[0].run && p.health() == Health::Works)
        {
            finding.evidence_for.push(Evidence::new(
                ok.outcome_evidence().source,
                Message::new("fact.outside.parallel_limit")
                    .with("port", limited[0].port())
                    .with("other", ok.port()),
            ));
        }
    }
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.client_limit.not_a_fault"),
    ));
    Some(finding)
}

/// Another port of the same run got through: the limit counted sendcheck's own connections.
fn sibling_worked(case: &Case, limited: &Probe) -> bool {
    case.probes()
        .iter()
        .any(|p| p.run == limited.run && p.port() != limited.port() && p.health() == Health::Works)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::MailClient;
    use crate::knowledge::Knowledge;
    use crate::wire::{OutcomeKind, Step};

    fn anvil(port: u16) -> crate::wire::ProbeReport {
        failed(
            port,
            T0,
            OutcomeKind::GreetingRejected {
                reply: reply(
                    421,
                    &["4.7.0 mail.example.jp Error: too many connections from 203.0.113.9"],
                ),
            },
            Step::Greeting,
            30,
        )
    }

    #[test]
    fn our_own_parallel_connections_tripping_the_limit_blame_nobody() {
        let run = check(T0, vec![probed(anvil(587)), probed(completed(465, T0))]);
        let obs = case(vec![run], MailClient::Thunderbird, settings(465, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        assert!(d.finding(Cause::ServerUnstable).is_none(), "{d:#?}");
        let f = d.finding(Cause::ClientLimit).unwrap();
        assert_eq!(f.confidence, Confidence::Low);
        assert_eq!(f.summary.key, "cause.client_limit.summary_ours_parallel");
        assert!(!crate::diagnosis::repeat_advised_with(
            &obs.outside,
            Knowledge::builtin()
        ));
    }

    #[test]
    fn a_pasted_limit_is_the_person_s_with_what_to_close() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, None),
        );
        obs.answers.error_text =
            Some("421 Too many concurrent SMTP connections from this IP address; please try again later.".into());
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::ClientLimit);
        assert_eq!(top.fixes[0].action.key, "fix.client_limit.close_others");
    }
}
