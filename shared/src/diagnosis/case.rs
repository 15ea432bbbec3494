//! The case being diagnosed: the observations, the knowledge, and what is derived from them
//! once for every rule (the decoded error, the person's network and provider), with the
//! questions several rules ask and the evidence that answers them.

use crate::diagnosis::outside::{self, Health, Probe};
use crate::diagnosis::Cause;
use crate::diagnosis::{
    decode_error_with, AnswerField, Audience, ClientSettings, DecodedError, Evidence, Fix,
    LocalCheck, MailClient, Observations, RecentChange, Settings, Source,
};
use crate::knowledge::{Knowledge, Message, NetworkMatch, Provider};

pub struct Case<'a> {
    pub obs: &'a Observations,
    pub knowledge: &'a Knowledge,
    pub decoded: Option<DecodedError>,
    pub network: Option<NetworkMatch<'a>>,
    /// The mail provider, from the server's host name or the person's address domain.
    pub provider: Option<&'a Provider>,
    probes: Vec<Probe<'a>>,
}

impl<'a> Case<'a> {
    pub fn new(obs: &'a Observations, knowledge: &'a Knowledge) -> Self {
        let answers = &obs.answers;
        let decoded = answers
            .error_text
            .as_deref()
            .map(|text| decode_error_with(text, knowledge))
            .filter(|d| !d.is_empty());
        let network = obs
            .inside
            .network
            .as_ref()
            .and_then(|n| knowledge.op25b_network(n.asn, n.as_org.as_deref()));
        let server_host = answers
            .configured
            .as_ref()
            .map(|c| c.host.as_str())
            .or_else(|| obs.outside.first().map(|c| c.host.as_str()));
        let provider = server_host
            .and_then(|h| knowledge.provider_for_host(h))
            .or_else(|| {
                answers
                    .email_domain
                    .as_deref()
                    .and_then(|d| knowledge.provider_for_domain(d))
            });
        Self {
            obs,
            knowledge,
            decoded,
            network,
            provider,
            probes: outside::probes(&obs.outside)
                .into_iter()
                .map(|p| p.classified(knowledge))
                .collect(),
        }
    }

    pub fn configured(&self) -> Option<&'a ClientSettings> {
        self.obs.answers.configured.as_ref()
    }

    pub fn configured_port(&self) -> Option<u16> {
        self.configured().map(|c| c.port)
    }

    pub fn client(&self) -> Option<MailClient> {
        self.obs.answers.client
    }

    /// The mail server's name, as configured or as checked.
    pub fn host(&self) -> String {
        self.configured()
            .map(|c| c.host.clone())
            .or_else(|| self.obs.outside.first().map(|c| c.host.clone()))
            .unwrap_or_default()
    }

    pub fn probes(&self) -> &[Probe<'a>] {
        &self.probes
    }

    pub fn probes_of(&self, port: u16) -> impl Iterator<Item = &Probe<'a>> {
        self.probes.iter().filter(move |p| p.port() == port)
    }

    /// Some probe of `port` got an answer from the server.
    pub fn works_from_outside(&self, port: u16) -> Option<&Probe<'a>> {
        self.probes_of(port).find(|p| p.health() == Health::Works)
    }

    /// Probes of `port` that ran on the person's own machine (the CLI, or `./dev serve` on
    /// their computer) and got nothing through: inside evidence, like a pasted local check.
    pub fn blocked_on_their_machine(&self, port: u16) -> Vec<&Probe<'a>> {
        self.probes_of(port)
            .filter(|p| p.ran_on_their_machine() && p.health() == Health::Unreachable)
            .collect()
    }

    /// "Port N could not be tested from here" as evidence, if it could not.
    pub fn not_tested(&self, port: u16) -> Option<Evidence> {
        let run = *outside::not_tested(&self.obs.outside, port).first()?;
        Some(Evidence::new(
            Source::OutsideNotTested { run, port },
            Message::new("fact.outside.not_testable").with("port", port),
        ))
    }

    /// The local checks of `port`, with their index for citing.
    pub fn local(&self, port: u16) -> impl Iterator<Item = (usize, &'a LocalCheck)> {
        self.obs
            .inside
            .local_checks
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.port == port)
    }

    pub fn local_evidence(&self, index: usize, check: &LocalCheck) -> Evidence {
        let mut fact =
            Message::new(&format!("fact.local.{}", check.result.name())).with("port", check.port);
        match &check.result {
            crate::diagnosis::LocalResult::TlsOk { issuer, .. } => {
                fact = fact.with("issuer", issuer)
            }
            crate::diagnosis::LocalResult::TlsFailed { detail } => {
                fact = fact.with("detail", detail)
            }
            crate::diagnosis::LocalResult::TlsCertificateInvalid { detail, issuer, .. } => {
                fact = fact.with("detail", detail).with("issuer", issuer)
            }
            _ => {}
        }
        Evidence::new(
            Source::LocalCheck {
                index,
                port: check.port,
            },
            fact,
        )
    }

    /// The best submission port the outside probes show working: 587, then 465, then 2525.
    pub fn best_submission(&self) -> Option<&Probe<'a>> {
        [587, 465, 2525]
            .into_iter()
            .find_map(|port| self.probes_of(port).find(|p| p.usable_for_submission()))
    }

    /// The probes whose refusal's words say `cause`.
    pub fn refused_for(&self, cause: Cause) -> Vec<&Probe<'a>> {
        self.probes
            .iter()
            .filter(|p| p.refused_for(cause))
            .collect()
    }

    /// The reply class of something the person pasted that says `cause`, if any: the words
    /// were sent to the person's own address.
    pub fn pasted_class(&self, cause: Cause) -> Option<&'a crate::knowledge::ReplyClassEntry> {
        let decoded = self.decoded.as_ref()?;
        decoded.recognised.iter().find_map(|r| {
            self.knowledge
                .reply_classes()
                .iter()
                .find(|c| c.id == r.entry && c.cause == cause)
        })
    }

    /// A finding for a refusal whose words say `cause`, met by a probe or pasted by the
    /// person: its summary `key` (with `{host}`, `{port}` and `{code}`), every such reply cited.
    /// `None` when nothing says `cause`. The rule adds the fixes.
    pub fn refusal_finding(&self, cause: Cause, key: &str) -> Option<crate::diagnosis::Finding> {
        let probes = self.refused_for(cause);
        let pasted = self.decoded_for(cause);
        if probes.is_empty() && pasted.is_empty() {
            return None;
        }
        let code = probes
            .first()
            .and_then(|p| p.refusal())
            .map(|r| r.code.get().to_string())
            .unwrap_or_default();
        let mut finding = crate::diagnosis::Finding::new(
            cause,
            crate::diagnosis::Confidence::High,
            Message::new(key)
                .with("host", self.host())
                .with(
                    "port",
                    probes
                        .first()
                        .map(|p| p.port())
                        .or(self.configured_port())
                        .unwrap_or(587),
                )
                .with("code", code),
        );
        finding
            .evidence_for
            .extend(probes.iter().flat_map(|p| p.refusal_evidence()));
        finding.evidence_for.extend(pasted);
        Some(finding)
    }

    /// The submission settings that work from outside, as the person's fix, when the person is
    /// not already on them; else `fallback` for the person.
    pub fn submission_or(&self, key: &str, fallback: &str) -> Fix {
        match self.best_submission() {
            Some(good) => self.settings_fix(key, good.settings()),
            None => Fix::new(Audience::Person, Message::new(fallback)),
        }
    }

    /// Where sendcheck's outside probes ran, for sentences ("Cloudflare's edge in NRT").
    pub fn vantage_label(&self) -> String {
        let vantage = self.obs.outside.first().map(|c| &c.vantage);
        match vantage {
            Some(v) => match &v.colo {
                Some(colo) => format!("{} {colo}", v.kind),
                None => v.kind.clone(),
            },
            None => String::new(),
        }
    }

    /// Evidence from the decoded error, for each code whose candidates include `cause`.
    pub fn decoded_for(&self, cause: Cause) -> Vec<Evidence> {
        self.decoded
            .iter()
            .flat_map(|d| &d.recognised)
            .filter(|r| r.candidates.contains(&cause))
            .map(|r| {
                Evidence::new(
                    Source::DecodedError {
                        code: r.code.clone(),
                    },
                    r.meaning.clone(),
                )
            })
            .collect()
    }

    pub fn said(&self, field: AnswerField, fact: Message) -> Evidence {
        Evidence::new(Source::PersonSaid { field }, fact)
    }

    /// "It stopped working (today / this week / a while ago)": something changed.
    pub fn stopped_evidence(&self) -> Option<Evidence> {
        let since = self.obs.answers.since.filter(|s| s.stopped())?;
        Some(self.said(
            AnswerField::Since,
            Message::new(&format!("fact.said.stopped_{}", since.name())),
        ))
    }

    /// "It has never worked with these settings": the settings, not a change.
    pub fn never_worked_evidence(&self) -> Option<Evidence> {
        (self.obs.answers.since == Some(crate::diagnosis::Since::NeverWorked))
            .then(|| self.said(AnswerField::Since, Message::new("fact.said.never_worked")))
    }

    /// "Receiving / the web / other servers work": the person's connection is up.
    pub fn connection_up_evidence(&self) -> Vec<Evidence> {
        let a = &self.obs.answers;
        let mut out = Vec::new();
        if a.receiving_works == Some(true) {
            out.push(self.said(
                AnswerField::ReceivingWorks,
                Message::new("fact.said.receiving_works"),
            ));
        }
        if a.web_works == Some(true) {
            out.push(self.said(AnswerField::WebWorks, Message::new("fact.said.web_works")));
        }
        if a.other_servers_work == Some(true) {
            out.push(self.said(
                AnswerField::OtherServersWork,
                Message::new("fact.said.other_servers_work"),
            ));
        }
        out
    }

    pub fn configured_evidence(&self) -> Option<Evidence> {
        let c = self.configured()?;
        Some(
            self.said(
                AnswerField::Configured,
                with_security(
                    Message::new("fact.said.configured")
                        .with("host", &c.host)
                        .with("port", c.port),
                    c.security,
                ),
            ),
        )
    }

    pub fn changed(&self, change: RecentChange) -> bool {
        self.obs.answers.recent_changes.contains(&change)
    }

    pub fn change_evidence(&self, change: RecentChange, key: &str) -> Option<Evidence> {
        self.changed(change)
            .then(|| self.said(AnswerField::RecentChanges, Message::new(key)))
    }

    /// Where the person's network entry comes from, as evidence.
    pub fn network_evidence(&self) -> Option<Evidence> {
        let matched = self.network?;
        let identity = self.obs.inside.network.as_ref()?;
        let key = match matched.by {
            crate::knowledge::MatchedBy::Asn => "fact.network.op25b_asn",
            crate::knowledge::MatchedBy::OrgName => "fact.network.op25b_org",
        };
        Some(Evidence::new(
            Source::InsideNetwork {
                asn: identity.asn,
                as_org: identity.as_org.clone(),
            },
            Message::new(key)
                .with("network", &matched.network.name)
                .with("network_ja", &matched.network.name_ja)
                .with(
                    "asn",
                    identity.asn.map(|a| format!("AS{a}")).unwrap_or_default(),
                )
                .with("org", identity.as_org.as_deref().unwrap_or_default()),
        ))
    }

    pub fn network_reference(&self) -> Option<Evidence> {
        let n = self.network?.network;
        Some(Evidence::new(
            Source::Knowledge {
                table: "op25b_networks".into(),
                entry: n.id.clone(),
                reference: n.source.clone(),
            },
            Message::new("fact.knowledge.op25b_source")
                .with("network", &n.name)
                .with("network_ja", &n.name_ja)
                .with("source", &n.source)
                .with("reviewed", &n.reviewed),
        ))
    }

    /// The steps in the person's mail program for a topic (`smtp_settings`, `password`).
    pub fn client_guide(&self, topic: &str) -> Vec<Message> {
        let client = self.client().unwrap_or(MailClient::Other);
        vec![Message::new(&format!("client.{}.{topic}", client.name()))]
    }

    /// A settings change in the mail program, with its guide.
    pub fn settings_fix(&self, key: &str, settings: Settings) -> Fix {
        let mut fix = Fix::new(
            Audience::Person,
            with_security(
                Message::new(key)
                    .with("host", &settings.host)
                    .with("port", settings.port),
                Some(settings.security),
            ),
        );
        fix.settings = Some(settings);
        fix.guide = self.client_guide("smtp_settings");
        fix
    }

    /// Enabling submission (587 + STARTTLS + AUTH, 465) on the server, for its administrator:
    /// the guide for the server software the greeting names, or for all three.
    pub fn admin_fix(&self, key: &str) -> Fix {
        let banner = self
            .probes
            .iter()
            .map(|p| p.banner().to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        let named: Vec<&str> = ["postfix", "exim", "sendmail"]
            .into_iter()
            .filter(|mta| banner.contains(mta))
            .collect();
        let mtas = if named.is_empty() {
            vec!["postfix", "exim", "sendmail"]
        } else {
            named
        };
        let mut fix = Fix::new(
            Audience::ServerAdmin,
            Message::new(key).with("host", self.host()),
        );
        fix.guide.push(Message::new("admin.submission.before"));
        fix.guide.extend(
            mtas.into_iter()
                .map(|m| Message::new(&format!("admin.submission.{m}"))),
        );
        fix.guide.push(Message::new("admin.submission.after"));
        fix
    }

    /// Asking a known hosting provider, with its own notes.
    pub fn provider_fix(&self, key: &str) -> Option<Fix> {
        let p = self.provider?;
        let mut fix = Fix::new(
            Audience::Provider,
            Message::new(key)
                .with("provider", &p.name)
                .with("provider_ja", &p.name_ja),
        );
        fix.guide.extend(p.notes.as_deref().map(Message::new));
        Some(fix)
    }
}

/// Adds `{security}` (English) and `{security_ja}` in the words mail programs use.
pub fn with_security(message: Message, security: Option<crate::target::Security>) -> Message {
    let (en, ja) = match security {
        Some(crate::target::Security::Starttls) => ("STARTTLS", "STARTTLS"),
        Some(crate::target::Security::Tls) => ("SSL/TLS", "SSL/TLS"),
        Some(crate::target::Security::None) => ("none", "なし"),
        None => ("automatic", "自動"),
    };
    message.with("security", en).with("security_ja", ja)
}
