//! The server refuses the connecting address by policy: a DNS blocklist (Spamhaus, SpamCop,
//! Barracuda …), a deny list, missing reverse DNS, a country block — at the greeting
//! (postscreen's `220-` teaser then 554/521), after it (rblsmtpd), or at EHLO/STARTTLS/AUTH.
//!
//! Whose address matters. A refusal the person pasted (or met by a probe on their own
//! machine) is of *their* address: the way out is the server's authenticated submission
//! port, another network, or delisting. A refusal met only by sendcheck's probe is of
//! sendcheck's cloud address, and says nothing about theirs. Never "the server is failing".

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::{Health, Probe};
use crate::diagnosis::{Audience, Cause, Confidence, Evidence, Finding, Fix};
use crate::knowledge::{Message, ReplyClassEntry};

pub fn rule(case: &Case) -> Option<Finding> {
    let mut refused = case.refused_for(Cause::AddressRefused);
    refused.extend(
        case.probes()
            .iter()
            .filter(|p| p.rblsmtpd() && p.class.is_none()),
    );
    let pasted = case.pasted_class(Cause::AddressRefused);
    let on_their_machine: Vec<&&Probe> = refused
        .iter()
        .filter(|p| p.ran_on_their_machine())
        .collect();
    if pasted.is_some() || !on_their_machine.is_empty() {
        return Some(theirs(
            case,
            &on_their_machine,
            pasted.or(refused_class(&refused)),
        ));
    }
    if refused.is_empty() {
        return None;
    }
    Some(ours(case, &refused))
}

/// The person's own address is refused.
fn theirs(case: &Case, probes: &[&&Probe], class: Option<&ReplyClassEntry>) -> Finding {
    let mut finding = Finding::new(
        Cause::AddressRefused,
        Confidence::High,
        with_list(
            Message::new("cause.address_refused.summary_yours").with("host", case.host()),
            class,
        ),
    );
    finding
        .evidence_for
        .extend(case.decoded_for(Cause::AddressRefused));
    finding
        .evidence_for
        .extend(probes.iter().flat_map(|p| p.refusal_evidence()));
    let probes_only: Vec<&Probe> = probes.iter().map(|p| **p).collect();
    finding
        .evidence_for
        .extend(named_list_evidence(case, &probes_only));
    // Authenticated submission is usually exempt from the lists that refuse port 25.
    match case.best_submission() {
        Some(good) if case.configured_port() != Some(good.port()) => {
            finding.evidence_for.push(good.submission_evidence());
            finding
                .fixes
                .push(case.settings_fix("fix.address_refused.use_submission", good.settings()));
        }
        _ => finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.address_refused.submission_login"),
        )),
    }
    if let Some(lookup) = class.and_then(|c| c.lookup.as_deref()) {
        finding.fixes.push(Fix::new(
            Audience::Network,
            with_list(
                Message::new("fix.address_refused.delist").with("lookup", lookup),
                class,
            ),
        ));
    }
    finding.fixes.push(Fix::new(
        Audience::ServerAdmin,
        Message::new("fix.address_refused.ask_admin").with("host", case.host()),
    ));
    finding
}

/// Only sendcheck's own (cloud) address was refused: the server is up and strict, and the
/// deciding evidence is what the person's own program meets.
fn ours(case: &Case, refused: &[&Probe]) -> Finding {
    let others_work = case.probes().iter().any(|p| p.health() == Health::Works);
    let confidence = if others_work {
        Confidence::Low
    } else {
        Confidence::Medium
    };
    let mut ports: Vec<u16> = refused.iter().map(|p| p.port()).collect();
    ports.dedup();
    let mut finding = Finding::new(
        Cause::AddressRefused,
        confidence,
        with_list(
            Message::new("cause.address_refused.summary_ours")
                .with("host", case.host())
                .with(
                    "ports",
                    ports
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                )
                .with("vantage", case.vantage_label()),
            refused_class(refused),
        ),
    );
    finding
        .evidence_for
        .extend(refused.iter().flat_map(|p| p.refusal_evidence()));
    finding.evidence_for.extend(
        refused
            .iter()
            .filter(|p| p.rblsmtpd())
            .map(|p| p.outcome_evidence()),
    );
    if let Some(first) = refused.first() {
        finding.evidence_for.push(Evidence::new(
            first.outcome_evidence().source,
            Message::new("fact.outside.our_address_refused"),
        ));
    }
    finding
        .evidence_for
        .extend(named_list_evidence(case, refused));
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.address_refused.check_yours"),
    ));
    finding
}

fn refused_class<'a>(refused: &[&Probe<'a>]) -> Option<&'a ReplyClassEntry> {
    refused.iter().find_map(|p| p.class)
}

fn with_list(message: Message, class: Option<&ReplyClassEntry>) -> Message {
    let list = class.and_then(|c| c.list.as_deref()).unwrap_or_default();
    message.with("list", list)
}

/// "The server names the list: X" as evidence, when the words name one (in a probe's reply,
/// or in what the person pasted).
fn named_list_evidence(case: &Case, refused: &[&Probe]) -> Option<Evidence> {
    let fact = |list: String| Message::new("fact.refusal.names_list").with("list", list);
    if let Some((probe, list)) = refused
        .iter()
        .find_map(|p| p.named_list().map(|list| (p, list)))
    {
        return Some(Evidence::new(probe.outcome_evidence().source, fact(list)));
    }
    case.decoded.as_ref()?.recognised.iter().find_map(|r| {
        let list = crate::diagnosis::outside::list_in_words(r.words.as_deref()?)?;
        Some(Evidence::new(
            crate::diagnosis::Source::DecodedError {
                code: r.code.clone(),
            },
            fact(list),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};
    use crate::wire::{OutcomeKind, Step};

    fn postscreen(port: u16) -> crate::wire::ProbeReport {
        failed(
            port,
            T0,
            OutcomeKind::GreetingRejected {
                reply: reply(
                    554,
                    &["5.7.1 Service unavailable; client [192.0.2.7] blocked using zen.spamhaus.org"],
                ),
            },
            Step::Greeting,
            40,
        )
    }

    #[test]
    fn a_blocklist_refusal_of_sendcheck_is_ours_and_never_a_failing_server() {
        let run = check(T0, vec![probed(postscreen(25)), probed(postscreen(587))]);
        let obs = case(vec![run], MailClient::Thunderbird, settings(587, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::AddressRefused);
        assert_eq!(top.summary.key, "cause.address_refused.summary_ours");
        assert!(d.finding(Cause::ServerUnstable).is_none());
        assert!(d.finding(Cause::ServerDown).is_none());
        assert!(top.cites(|s| matches!(s, Source::OutsideProbe { port: 25, .. })));
        assert!(top
            .evidence_for
            .iter()
            .any(|e| e.fact.key == "fact.refusal.names_list"
                && e.fact.params["list"] == "zen.spamhaus.org"));
        assert!(
            top.evidence_for
                .iter()
                .any(|e| e.fact.key == "outcome.greeting_rejected"),
            "the server's own words are cited"
        );
    }

    #[test]
    fn the_same_words_pasted_are_the_person_s_address_with_the_way_out() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(25, None),
        );
        obs.answers.error_text = Some(
            "サーバーの応答: 554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked \
             using zen.spamhaus.org"
                .into(),
        );
        let d = crate::diagnosis::scenarios::run(&obs);
        let f = d.finding(Cause::AddressRefused).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.summary.key, "cause.address_refused.summary_yours");
        assert!(f.fixes[0].settings.is_some(), "the submission port first");
        assert!(f
            .fixes
            .iter()
            .any(|x| x.action.key == "fix.address_refused.delist"));
    }
}
