//! A refusal in words no known class explains. It keeps the server's exact words and gets an
//! honest, neutral verdict: the server said no, here is what it said, and who can read it —
//! never "the server is failing", never "not mail", never a code it did not send.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Probe;
use crate::diagnosis::{Audience, Cause, Confidence, Finding, Fix};
use crate::knowledge::Message;
use crate::wire::OutcomeKind;

pub fn rule(case: &Case) -> Option<Finding> {
    let unknown: Vec<&Probe> = case.probes().iter().filter(|p| unexplained(p)).collect();
    let Some(first) = unknown.first().copied() else {
        return pasted(case);
    };
    let reply = first.refusal()?;
    let mut finding = Finding::new(
        Cause::UnrecognisedReply,
        Confidence::Medium,
        Message::new("cause.unrecognised_reply.summary")
            .with("host", case.host())
            .with("port", first.port())
            .with("step", first.report.outcome.step.name())
            .with("reply", reply.wire_lines().collect::<Vec<_>>().join(" ")),
    );
    finding
        .evidence_for
        .extend(unknown.iter().take(6).map(|p| p.outcome_evidence()));
    match case.best_submission() {
        Some(good) if good.port() != first.port() => {
            finding.evidence_for.push(good.submission_evidence());
            finding
                .fixes
                .push(case.settings_fix("fix.unrecognised.use_working_port", good.settings()));
        }
        _ => {}
    }
    finding.fixes.push(Fix::new(
        Audience::ServerAdmin,
        Message::new("fix.unrecognised.send_words").with("host", case.host()),
    ));
    Some(finding)
}

/// An SMTP reply the person pasted that no class explains, quoted with its words.
fn pasted(case: &Case) -> Option<Finding> {
    let knowledge = case.knowledge;
    let reply = case.decoded.iter().flat_map(|d| &d.recognised).find(|r| {
        r.kind == crate::knowledge::CodeKind::SmtpReply
            && r.words.as_deref().is_some_and(|w| !w.is_empty())
            && !knowledge.reply_classes().iter().any(|c| c.id == r.entry)
    })?;
    let mut finding = Finding::new(
        Cause::UnrecognisedReply,
        Confidence::Medium,
        Message::new("cause.unrecognised_reply.summary_pasted")
            .with("code", &reply.code)
            .with("reply", reply.words.as_deref().unwrap_or_default()),
    );
    finding.evidence_for.push(crate::diagnosis::Evidence::new(
        crate::diagnosis::Source::DecodedError {
            code: reply.code.clone(),
        },
        reply.meaning.clone(),
    ));
    finding.fixes.push(Fix::new(
        Audience::ServerAdmin,
        Message::new("fix.unrecognised.send_words").with("host", case.host()),
    ));
    Some(finding)
}

/// A refusal that no class explains and no other rule reads: a 4xx greeting is the server's
/// load (server_unstable), a refused STARTTLS is STARTTLS (starttls).
fn unexplained(probe: &Probe) -> bool {
    if probe.class.is_some() {
        return false;
    }
    match probe.kind() {
        OutcomeKind::GreetingRejected { reply } => reply.code.is_permanent(),
        OutcomeKind::EhloRejected { .. } | OutcomeKind::AuthRejected { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};
    use crate::wire::{OutcomeKind, Step};

    #[test]
    fn words_nobody_knows_are_quoted_not_guessed() {
        let odd = failed(
            587,
            T0,
            OutcomeKind::GreetingRejected {
                reply: reply(554, &["mx9.example.jp ESMTP no thanks (code XQ-17)"]),
            },
            Step::Greeting,
            20,
        );
        let obs = case(
            vec![check(T0, vec![probed(odd)])],
            MailClient::Thunderbird,
            settings(587, None),
        );
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::UnrecognisedReply, "{d:#?}");
        assert!(d.finding(Cause::ServerUnstable).is_none());
        assert!(top.summary.params["reply"].contains("XQ-17"));
    }
}
