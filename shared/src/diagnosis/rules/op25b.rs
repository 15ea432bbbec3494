//! Outbound Port 25 Blocking at the person's ISP (scenarios 000, 001, 003).
//!
//! The person's mail program sends on port 25; their network blocks port 25 to servers
//! outside it, so the connection times out ("server not responding", 0x800CCC0F) while the
//! web, receiving and ping all work. The server is fine from outside. The fix is the server's
//! own submission port (587 + STARTTLS + AUTH, or 465) — not the ISP's relay, whose
//! credentials an office cannot hand out (001) — or, when the server has none, enabling it.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Health;
use crate::diagnosis::{msg, Audience, Cause, Confidence, Finding, Fix, RecentChange};
use crate::knowledge::{Message, NetworkKind};

pub fn rule(case: &Case) -> Option<Finding> {
    let uses_25 = case.configured_port() == Some(25);
    let local_25: Vec<_> = case.local(25).collect();
    let blocked_here: Vec<_> = local_25
        .iter()
        .filter(|(_, c)| c.result.is_unreachable())
        .collect();
    let open_here = local_25.iter().any(|(_, c)| c.result.connected());
    // A probe that ran on the person's own machine is inside evidence: 25 timing out there
    // supports OP25B, it does not mean the server is down (issue 11).
    let blocked_probe_here = case.blocked_on_their_machine(25);
    // Only when the person sends on 25, or their machine cannot reach 25 (and never reached it).
    if blocked_here.is_empty() && blocked_probe_here.is_empty() && (!uses_25 || open_here) {
        return None;
    }
    let outside_25 = case.works_from_outside(25);
    let outside_25_fails =
        outside_25.is_none() && case.probes_of(25).any(|p| !p.ran_on_their_machine());
    let submission_up = [587, 465, 2525]
        .iter()
        .any(|p| case.works_from_outside(*p).is_some());
    if outside_25_fails && !submission_up {
        // Nothing answers from outside either: the server, not the network (server_down).
        return None;
    }
    let other_port_here = case
        .obs
        .inside
        .local_checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.port != 25 && c.result.connected())
        .collect::<Vec<_>>();
    let reachable_elsewhere = outside_25.is_some() || submission_up || !other_port_here.is_empty();
    let strong_local =
        (!blocked_here.is_empty() || !blocked_probe_here.is_empty()) && reachable_elsewhere;
    let known_network = case.network.is_some();
    let connection_up = case.connection_up_evidence();

    // The person sends on 25, sendcheck's vantage cannot test 25, and the submission ports
    // work: the most common reason such a setup stops is the provider's port-25 block, and
    // only the person's own check can confirm it — never "all clear" (issue 10).
    let untested_25 = uses_25 && case.not_tested(25).is_some() && outside_25.is_none();
    let confidence = if (known_network || strong_local) && !outside_25_fails {
        Confidence::High
    } else if known_network
        || strong_local
        || !connection_up.is_empty()
        || (untested_25 && submission_up)
    {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let summary = match case.network {
        Some(m) => Message::new("cause.op25b.summary_network")
            .with("network", &m.network.name)
            .with("network_ja", &m.network.name_ja),
        None if untested_25 && blocked_here.is_empty() => msg("cause.op25b.summary_untested"),
        None => msg("cause.op25b.summary"),
    };
    let mut finding = Finding::new(Cause::Op25b, confidence, summary);
    let ev = &mut finding.evidence_for;
    ev.extend(case.network_evidence());
    ev.extend(case.network_reference());
    for (index, check) in &blocked_here {
        ev.push(case.local_evidence(*index, check));
    }
    for (index, check) in &other_port_here {
        ev.push(case.local_evidence(*index, check));
    }
    ev.extend(blocked_probe_here.iter().map(|p| p.outcome_evidence()));
    if let Some(probe) = outside_25 {
        ev.extend(probe.greeting_evidence());
    } else if let Some(untested) = case.not_tested(25) {
        ev.push(untested);
    }
    if let Some(probe) = case.best_submission() {
        ev.push(probe.submission_evidence());
    }
    if uses_25 {
        ev.extend(case.configured_evidence());
    }
    ev.extend(connection_up);
    ev.extend(case.decoded_for(Cause::Op25b));
    ev.extend(case.change_evidence(RecentChange::ProviderNotice, "fact.said.provider_notice"));
    // A rollout ("順次実施") reaches a line on a day nobody told the person about (000, 001).
    ev.extend(case.stopped_evidence());
    // A new modem cannot block one port while the web and receiving work (scenario 001).
    ev.extend(case.change_evidence(
        RecentChange::NetworkEquipment,
        "fact.said.network_change_not_the_cause",
    ));

    for (index, check) in local_25.iter().filter(|(_, c)| c.result.connected()) {
        finding
            .evidence_against
            .push(case.local_evidence(*index, check));
    }
    if outside_25_fails {
        finding.evidence_against.extend(
            case.probes_of(25)
                .filter(|p| p.health() != Health::Works)
                .map(|p| p.outcome_evidence()),
        );
    }

    finding.fixes = fixes(case);
    if blocked_here.is_empty() && !open_here && confidence < Confidence::High {
        // The one step that decides it: port 25 from the person's own computer.
        finding.fixes.insert(
            finding.fixes.len().min(1),
            Fix::new(Audience::Person, msg("fix.op25b.confirm_locally")),
        );
    }
    Some(finding)
}

fn fixes(case: &Case) -> Vec<Fix> {
    let mut fixes = Vec::new();
    match case.best_submission() {
        Some(probe) => fixes.push(case.settings_fix("fix.use_submission_port", probe.settings())),
        None => {
            fixes.push(case.admin_fix("fix.enable_submission"));
            fixes.extend(case.provider_fix("fix.ask_provider_for_submission"));
        }
    }
    if let Some(m) = case.network {
        let n = m.network;
        if n.kind == NetworkKind::Cloud && n.recommends.unblock_on_request {
            fixes.push(Fix::new(
                Audience::Network,
                Message::new("fix.cloud_unblock")
                    .with("network", &n.name)
                    .with("network_ja", &n.name_ja),
            ));
        }
        // Last resort: the ISP's own relay needs the ISP account's credentials (scenario 001).
        if let Some(relay) = &n.recommends.relay_host {
            fixes.push(Fix::new(
                Audience::Person,
                Message::new("fix.isp_relay")
                    .with("network", &n.name)
                    .with("network_ja", &n.name_ja)
                    .with("relay", relay)
                    .with("port", n.recommends.submission_port),
            ));
        }
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{LocalResult, MailClient, Source};
    use crate::wire::{OutcomeKind, Step};

    #[test]
    fn port_25_from_a_known_op25b_isp_with_587_open_is_high_with_exact_settings() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::AppleMail,
            settings(25, None),
        );
        obs.inside.network = Some(network(Some(4713), "NTT Communications Corporation"));
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::InsideNetwork {
                asn: Some(4713),
                ..
            }
        )));
        assert!(f.cites(|s| matches!(s, Source::Knowledge { entry, .. } if entry == "ocn")));
        let fix = &f.fixes[0];
        let settings = fix.settings.as_ref().unwrap();
        assert_eq!((settings.port, settings.authentication), (587, true));
        assert_eq!(fix.guide[0].key, "client.apple_mail.smtp_settings");
        // Scenario 000: it worked until this week; the rollout came without the person
        // changing anything.
        obs.answers.since = Some(crate::diagnosis::Since::ThisWeek);
        let f = apply(rule, &obs).unwrap();
        assert!(f.cites(|s| matches!(
            s,
            Source::PersonSaid {
                field: crate::diagnosis::AnswerField::Since
            }
        )));
    }

    #[test]
    fn local_timeout_on_25_while_587_connects_is_high_without_a_known_network() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(25, None),
        );
        obs.inside.local_checks = vec![
            local(25, None, LocalResult::TimedOut),
            local(587, None, LocalResult::Connected),
        ];
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(s, Source::LocalCheck { port: 25, .. })));
        assert!(f.cites(|s| matches!(s, Source::OutsideNotTested { port: 25, .. })));
    }

    #[test]
    fn port_25_untestable_at_the_edge_is_medium_never_all_clear() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(25, None),
        );
        // Issue 10: a person on 25 at an edge that cannot test 25, submission open.
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::Medium);
        assert_eq!(f.summary.key, "cause.op25b.summary_untested");
        assert!(f.fixes[0].settings.is_some(), "the working settings first");
        assert_eq!(f.fixes[1].action.key, "fix.op25b.confirm_locally");
        let d = crate::diagnosis::scenarios::run(&obs);
        assert_eq!(d.top().unwrap().cause, Cause::Op25b);
        assert!(d.finding(Cause::AllClearOutside).is_none());
        obs.answers.receiving_works = Some(true);
        obs.answers.web_works = Some(true);
        assert_eq!(apply(rule, &obs).unwrap().confidence, Confidence::Medium);
        obs.answers.configured = Some(settings(587, None));
        assert!(apply(rule, &obs).is_none());
    }

    #[test]
    fn port_25_timing_out_from_the_person_s_own_machine_is_inside_evidence_for_op25b() {
        let mut run = check(
            T0,
            vec![
                probed(failed(
                    25,
                    T0,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
                probed(completed(587, T0)),
            ],
        );
        run.vantage.kind = "native".into();
        let obs = case(vec![run], MailClient::Thunderbird, settings(25, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(
            (top.cause, top.confidence),
            (Cause::Op25b, Confidence::High)
        );
        assert!(d.finding(Cause::ServerDown).is_none());
        assert!(top.cites(|s| matches!(s, Source::OutsideProbe { port: 25, .. })));
    }

    #[test]
    fn a_server_dead_from_outside_too_is_not_op25b() {
        let dead = check(
            T0,
            vec![
                probed(failed(
                    25,
                    T0,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
                probed(failed(
                    587,
                    T0,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
            ],
        );
        let mut obs = case(vec![dead], MailClient::Outlook, settings(25, None));
        obs.inside.network = Some(network(Some(4713), "NTT"));
        assert!(apply(rule, &obs).is_none());
    }

    #[test]
    fn without_a_submission_port_the_admin_gets_instructions_and_the_relay_comes_last() {
        let no_submission = submission_closed(T0);
        let mut obs = case(
            vec![no_submission],
            MailClient::Thunderbird,
            settings(25, None),
        );
        obs.inside.network = Some(network(None, "NIFTY Corporation"));
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.fixes[0].audience, Audience::ServerAdmin);
        assert!(f.fixes[0]
            .guide
            .iter()
            .any(|g| g.key == "admin.submission.postfix"));
        assert!(!f.fixes[0]
            .guide
            .iter()
            .any(|g| g.key == "admin.submission.exim"));
        assert_eq!(f.fixes.last().unwrap().action.key, "fix.isp_relay");
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                port: 25,
                step: Step::Greeting,
                ..
            }
        )));
    }
}
