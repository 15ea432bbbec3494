//! Reading the outside probes: one [`Probe`] per port per run, with what a rule asks of it
//! (did the server answer, does it offer STARTTLS and AUTH, when did each step happen) and the
//! evidence that cites it.

use crate::diagnosis::{Cause, Evidence, Settings, Source};
use crate::knowledge::{Knowledge, Message, ReplyClassEntry, ReplyToClassify};
use crate::smtp::Reply;
use crate::target::Security;
use crate::wire::{CertificateSummary, CheckReport, OutcomeKind, ProbeReport, Step, Vantage};

/// A greeting slower than this is a symptom (busy or failing server), not a network delay.
pub const SLOW_GREETING_MS: u64 = 8_000;

/// One port's probe in one run of the outside check.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    /// Index into `Observations::outside`.
    pub run: usize,
    pub report: &'a ProbeReport,
    /// What the server's refusal means, read from its words ([`Probe::classified`]).
    pub class: Option<&'a ReplyClassEntry>,
    /// Where the check ran from.
    pub vantage: Option<&'a Vantage>,
}

/// What an outcome says about the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// It answered and spoke SMTP up to where the probe stopped (a refused login or a bad
    /// certificate is a problem of its own, not of the service).
    Works,
    /// Nothing answered on the port: refused, timed out, or the name did not resolve.
    Unreachable,
    /// It accepted the connection and then failed: no or late greeting, 421, resets.
    Unstable,
    /// It answered, but the protocol broke (TLS, STARTTLS, a malformed reply).
    Protocol,
    /// It answered and refused this client by policy (a blocklist, a deny list, no reverse
    /// DNS), or refused at the greeting or EHLO for good (5xx) in words nobody knows. Neither
    /// comes and goes, and neither says the server is failing.
    Refused,
    /// It answered and enforced a per-client limit (too many connections from one address).
    Limited,
}

impl<'a> Probe<'a> {
    pub fn port(&self) -> u16 {
        self.report.target.port
    }

    pub fn host(&self) -> &'a str {
        &self.report.target.host
    }

    pub fn security(&self) -> Security {
        self.report.target.security
    }

    pub fn kind(&self) -> &'a OutcomeKind {
        &self.report.outcome.kind
    }

    /// The server's reply that ended the probe with a refusal, if one did.
    pub fn refusal(&self) -> Option<&'a Reply> {
        match self.kind() {
            OutcomeKind::GreetingRejected { reply }
            | OutcomeKind::EhloRejected { reply }
            | OutcomeKind::StartTlsRefused { reply }
            | OutcomeKind::AuthRejected { reply } => Some(reply),
            _ => None,
        }
    }

    /// The probe with its refusal read against the knowledge's reply classes.
    pub fn classified(self, knowledge: &'a Knowledge) -> Self {
        let class = self.refusal().and_then(|reply| {
            knowledge.classify_reply(ReplyToClassify {
                code: reply.code.get(),
                enhanced: reply.enhanced,
                text: &reply.text(),
                step: Some(self.report.outcome.step),
            })
        });
        Self { class, ..self }
    }

    /// rblsmtpd stood in for the server: it greets and answers EHLO as `rblsmtpd.local` and
    /// refuses everything else, which it does only for a listed client address
    /// (https://cr.yp.to/ucspi-tcp/rblsmtpd.html).
    pub fn rblsmtpd(&self) -> bool {
        self.banner()
            .to_ascii_lowercase()
            .contains("rblsmtpd.local")
            || self
                .report
                .capabilities
                .as_ref()
                .is_some_and(|c| c.domain.eq_ignore_ascii_case("rblsmtpd.local"))
    }

    /// The server refused, and its words say `cause`.
    pub fn refused_for(&self, cause: Cause) -> bool {
        self.class.is_some_and(|c| c.cause == cause)
    }

    /// The probe ran on the person's own machine (the CLI, `native`, or the worker that
    /// `./dev serve` runs on their computer, `this_computer`): what it met, their address met.
    /// The test lab's `local` worker stands in for the edge and is outside.
    pub fn ran_on_their_machine(&self) -> bool {
        matches!(self.vantage_kind(), "native" | "this_computer")
    }

    fn vantage_kind(&self) -> &'a str {
        self.vantage.map(|v| v.kind.as_str()).unwrap_or_default()
    }

    pub fn health(&self) -> Health {
        match self.class.map(|c| c.cause) {
            Some(Cause::AddressRefused) => return Health::Refused,
            Some(Cause::ClientLimit) => return Health::Limited,
            Some(Cause::ServerUnstable) => return Health::Unstable,
            _ if self.rblsmtpd() => return Health::Refused,
            _ => {}
        }
        match self.kind() {
            OutcomeKind::GreetingRejected { reply } | OutcomeKind::EhloRejected { reply }
                if self.class.is_none() =>
            {
                if reply.code.is_permanent() {
                    Health::Refused
                } else {
                    Health::Unstable
                }
            }
            OutcomeKind::Completed
            | OutcomeKind::AuthRejected { .. }
            | OutcomeKind::AuthNotOffered
            | OutcomeKind::AuthMechanismUnsupported { .. }
            | OutcomeKind::CertificateUntrusted { .. } => Health::Works,
            OutcomeKind::DnsFailed { .. }
            | OutcomeKind::ConnectionRefused
            | OutcomeKind::ConnectTimeout
            | OutcomeKind::ConnectFailed { .. } => Health::Unreachable,
            OutcomeKind::ConnectionReset
            | OutcomeKind::ConnectionLost { .. }
            | OutcomeKind::GreetingTimeout
            | OutcomeKind::GreetingRejected { .. }
            | OutcomeKind::ClosedBeforeGreeting
            | OutcomeKind::ClosedDuringDialogue
            | OutcomeKind::ReplyTimeout
            | OutcomeKind::DeadlineReached => Health::Unstable,
            _ => Health::Protocol,
        }
    }

    /// How long the greeting took to arrive, when it did.
    pub fn greeting_ms(&self) -> Option<u64> {
        self.report.greeting.as_ref()?;
        self.record(Step::Greeting).map(|r| r.duration_ms)
    }

    pub fn slow_greeting(&self) -> bool {
        self.greeting_ms().is_some_and(|ms| ms >= SLOW_GREETING_MS)
    }

    /// Whether the server offers AUTH where a mail program would log in: inside TLS, or on
    /// the plain connection when no TLS was asked for. `None` when the probe never got there.
    pub fn offers_auth(&self) -> Option<bool> {
        let caps = match self.security() {
            Security::None => self.report.capabilities.as_ref()?,
            _ => self.report.capabilities_after_tls.as_ref()?,
        };
        Some(!caps.auth_mechanisms().is_empty())
    }

    pub fn tls_verified(&self) -> Option<bool> {
        Some(self.report.tls.as_ref()?.verification.is_verified())
    }

    /// The server's own certificate.
    pub fn leaf(&self) -> Option<&'a CertificateSummary> {
        self.report.tls.as_ref()?.chain.first()
    }

    /// A mail program could send here: the dialogue worked, TLS verified, AUTH offered.
    pub fn usable_for_submission(&self) -> bool {
        matches!(
            self.kind(),
            OutcomeKind::Completed | OutcomeKind::AuthRejected { .. }
        ) && self.security() != Security::None
            && self.tls_verified() == Some(true)
            && self.offers_auth() == Some(true)
    }

    /// The settings a mail program would use to send the way this probe did.
    pub fn settings(&self) -> Settings {
        Settings {
            host: self.host().to_owned(),
            port: self.port(),
            security: self.security(),
            authentication: true,
        }
    }

    /// The greeting's text, where server software usually names itself.
    pub fn banner(&self) -> String {
        let mut banner = self
            .report
            .greeting
            .as_ref()
            .map(|g| g.text())
            .unwrap_or_default();
        if let Some(caps) = &self.report.capabilities {
            banner.push(' ');
            banner.push_str(&caps.domain);
        }
        banner
    }

    /// When a step started, in ms since the Unix epoch (the outcome's time if it never ran).
    pub fn at(&self, step: Step) -> u64 {
        let offset = self
            .record(step)
            .map(|r| r.started_ms)
            .unwrap_or(self.report.outcome.at_ms);
        self.report.started_at_unix_ms.saturating_add(offset)
    }

    pub fn source(&self, step: Step) -> Source {
        Source::OutsideProbe {
            run: self.run,
            port: self.port(),
            step,
            at_unix_ms: self.at(step),
        }
    }

    /// The probe's outcome as evidence, cited at the step where it ended.
    pub fn outcome_evidence(&self) -> Evidence {
        let outcome = &self.report.outcome;
        let at = self.report.started_at_unix_ms.saturating_add(outcome.at_ms);
        let mut fact = Message::new(&format!("outcome.{}", outcome.kind.name()))
            .with("port", self.port())
            .with("host", self.host())
            .with("at", at)
            .with("seconds", seconds(outcome.at_ms));
        match &outcome.kind {
            OutcomeKind::GreetingRejected { reply }
            | OutcomeKind::EhloRejected { reply }
            | OutcomeKind::StartTlsRefused { reply }
            | OutcomeKind::AuthRejected { reply } => {
                fact = fact.with("reply", reply.wire_lines().collect::<Vec<_>>().join(" "));
            }
            OutcomeKind::DnsFailed { detail }
            | OutcomeKind::ConnectFailed { detail }
            | OutcomeKind::ConnectionLost { detail }
            | OutcomeKind::MalformedReply { detail }
            | OutcomeKind::TlsHandshakeFailed { detail, .. } => fact = fact.with("detail", detail),
            OutcomeKind::PlaintextInsteadOfTls { excerpt } => fact = fact.with("detail", excerpt),
            _ => {}
        }
        Evidence::new(
            Source::OutsideProbe {
                run: self.run,
                port: self.port(),
                step: outcome.step,
                at_unix_ms: at,
            },
            fact,
        )
    }

    /// What the refusal's words mean, as evidence cited where the probe ended.
    pub fn class_evidence(&self) -> Option<Evidence> {
        let class = self.class?;
        let reply = self.refusal()?;
        let code = match reply.enhanced {
            Some(e) => format!("{} {e}", reply.code.get()),
            None => reply.code.get().to_string(),
        };
        let mut fact = Message::new(&class.meaning)
            .with("code", code)
            .with("port", self.port())
            .with("reply", reply.wire_lines().collect::<Vec<_>>().join(" "));
        if let Some(list) = &class.list {
            fact = fact.with("list", list);
        }
        if let Some(lookup) = &class.lookup {
            fact = fact.with("lookup", lookup);
        }
        Some(Evidence::new(self.outcome_evidence().source, fact))
    }

    /// A classified refusal as evidence: the server's exact words where the probe ended, then
    /// what they mean.
    pub fn refusal_evidence(&self) -> Vec<Evidence> {
        let mut evidence = vec![self.outcome_evidence()];
        evidence.extend(self.class_evidence());
        evidence
    }

    /// The blocklist a refusal names, from its class or from its own words ("blocked using
    /// zen.spamhaus.org", "listed at bl.spamcop.net", "blacklisted by b.barracudacentral.org").
    pub fn named_list(&self) -> Option<String> {
        self.refusal()
            .and_then(|r| list_in_words(&r.text()))
            .or_else(|| self.class.and_then(|c| c.list.clone()))
    }

    /// "A mail program can send here" as evidence, cited at the EHLO that offered AUTH.
    pub fn submission_evidence(&self) -> Evidence {
        let step = if self.security() == Security::None {
            Step::Ehlo
        } else {
            Step::EhloAfterTls
        };
        Evidence::new(
            self.source(step),
            crate::diagnosis::case::with_security(
                Message::new("fact.outside.submission_ready")
                    .with("port", self.port())
                    .with("at", self.at(step)),
                Some(self.security()),
            ),
        )
    }

    /// "The greeting took N seconds" as evidence.
    pub fn greeting_evidence(&self) -> Option<Evidence> {
        let ms = self.greeting_ms()?;
        let key = if ms >= SLOW_GREETING_MS {
            "fact.outside.slow_greeting"
        } else {
            "fact.outside.greeting"
        };
        Some(Evidence::new(
            self.source(Step::Greeting),
            Message::new(key)
                .with("port", self.port())
                .with("seconds", seconds(ms))
                .with("at", self.at(Step::Greeting))
                .with(
                    "reply",
                    self.report
                        .greeting
                        .as_ref()
                        .map(|g| g.wire_lines().collect::<Vec<_>>().join(" "))
                        .unwrap_or_default(),
                ),
        ))
    }

    fn record(&self, step: Step) -> Option<&'a crate::wire::StepRecord> {
        self.report.steps.iter().find(|r| r.step == step)
    }
}

/// The list a refusal's words name after "blocked using", "listed at/in/on", "blacklisted by"
/// or "found in": the next word, without trailing punctuation.
pub fn list_in_words(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    [
        "blocked using ",
        "listed at ",
        "listed in ",
        "listed on ",
        "blacklisted by ",
        "blocklisted by ",
        "found in ",
    ]
    .iter()
    .find_map(|marker| {
        let start = lower.find(marker)? + marker.len();
        let word: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .collect();
        let word = word.trim_end_matches('.');
        word.contains('.').then(|| word.to_owned())
    })
}

/// Every probe of every run, in run order then port number: the order of the ports in a
/// report says nothing, so no verdict may depend on it.
pub fn probes(outside: &[CheckReport]) -> Vec<Probe<'_>> {
    let mut probes: Vec<Probe<'_>> = outside
        .iter()
        .enumerate()
        .flat_map(|(run, check)| {
            check.ports.iter().filter_map(move |result| match result {
                crate::wire::PortResult::Probed { report } => Some(Probe {
                    run,
                    report,
                    class: None,
                    vantage: Some(&check.vantage),
                }),
                _ => None,
            })
        })
        .collect();
    probes.sort_by_key(|p| (p.run, p.port()));
    probes
}

/// Runs in which `port` could not be tested from the vantage point.
pub fn not_tested(outside: &[CheckReport], port: u16) -> Vec<usize> {
    outside
        .iter()
        .enumerate()
        .filter(|(_, check)| {
            check.ports.iter().any(
                |r| matches!(r, crate::wire::PortResult::NotTested { port: p, .. } if *p == port),
            )
        })
        .map(|(run, _)| run)
        .collect()
}

/// Seconds with one decimal, for sentences ("12.3").
pub fn seconds(ms: u64) -> String {
    format!("{}.{}", ms / 1000, (ms % 1000) / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_have_one_decimal() {
        assert_eq!(seconds(12_345), "12.3");
        assert_eq!(seconds(80), "0.0");
        assert_eq!(
            list_in_words("Client host [192.0.2.7] blocked using zen.spamhaus.org; see"),
            Some("zen.spamhaus.org".into())
        );
        assert_eq!(list_in_words("Access denied"), None);
    }
}
