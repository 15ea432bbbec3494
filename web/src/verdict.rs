//! From a [`Diagnosis`] to what the verdict shows: every message rendered in the person's
//! language, every piece of evidence with the words of where it comes from (which port, step
//! and time; which local check; which answer), the fixes grouped by who has to act. Pure, so
//! the whole view is tested natively against real diagnoses.

use sendcheck::diagnosis::{
    AnswerField, Audience, Confidence, DecodedError, Diagnosis, Evidence, Finding, Fix,
    Observations, Source,
};
use sendcheck::knowledge::{Message, Texts as MessageTexts};
use sendcheck::target::Security;

use crate::i18n::{fill, Lang};
use crate::library::text_lang;
use crate::when::{local_time, zone_at};

/// The verdict, ready to show: the most likely finding first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictView {
    pub findings: Vec<FindingView>,
    pub decoded: Option<DecodedView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingView {
    /// `Cause::name()`, for `data-cause`.
    pub cause: &'static str,
    /// `high`, `medium`, `low`, for `data-confidence`.
    pub confidence: &'static str,
    pub confidence_words: &'static str,
    pub title: String,
    pub summary: String,
    pub evidence_for: Vec<EvidenceView>,
    pub evidence_against: Vec<EvidenceView>,
    /// What the person does, best first.
    pub person_fixes: Vec<FixView>,
    /// What others do (the server's administrator, the provider, the network), best first.
    pub other_fixes: Vec<FixView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceView {
    pub fact: String,
    /// Where it was observed, in words.
    pub source: String,
    /// `Source`'s kind (`outside_probe`, `local_check`, …), for `data-source`.
    pub kind: &'static str,
    /// A web page the fact comes from (a provider's announcement).
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixView {
    /// `person`, `server_admin`, `provider`, `network`.
    pub audience: &'static str,
    /// Who it is for, in words (empty for the person).
    pub audience_words: &'static str,
    pub action: String,
    pub settings: Option<SettingsView>,
    pub guide: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsView {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub authentication: bool,
}

/// The person's error message, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedView {
    /// Code as found, and its meaning.
    pub recognised: Vec<(String, String)>,
    /// Cause name and title, most likely first.
    pub candidates: Vec<(&'static str, String)>,
    pub truncated: bool,
}

/// The whole verdict in `lang`.
pub fn verdict_view(
    diagnosis: &Diagnosis,
    observations: &Observations,
    texts: &MessageTexts,
    lang: Lang,
) -> VerdictView {
    let render = |m: &Message| texts.render_in(text_lang(lang), m, &|ms| zone_at(ms, lang));
    VerdictView {
        findings: diagnosis
            .findings
            .iter()
            .map(|f| finding_view(f, observations, &render, lang))
            .collect(),
        decoded: diagnosis
            .decoded_error
            .as_ref()
            .map(|d| decoded_view(d, texts, lang)),
    }
}

/// What the decoder recognised, in `lang`.
pub fn decoded_view(decoded: &DecodedError, texts: &MessageTexts, lang: Lang) -> DecodedView {
    let render = |m: &Message| texts.render_in(text_lang(lang), m, &|ms| zone_at(ms, lang));
    DecodedView {
        recognised: decoded
            .recognised
            .iter()
            .map(|r| (r.code.clone(), render(&r.meaning)))
            .collect(),
        candidates: decoded
            .candidates
            .iter()
            .map(|c| (c.name(), render(&c.title())))
            .collect(),
        truncated: decoded.truncated,
    }
}

pub fn confidence_name(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        _ => "low",
    }
}

pub fn answer_field_name(field: AnswerField) -> &'static str {
    match field {
        AnswerField::ReceivingWorks => "receiving_works",
        AnswerField::WebWorks => "web_works",
        AnswerField::OtherServersWork => "other_servers_work",
        AnswerField::Client => "client",
        AnswerField::Configured => "configured",
        AnswerField::ErrorText => "error_text",
        AnswerField::EmailDomain => "email_domain",
        AnswerField::SecuritySoftware => "security_software",
        AnswerField::RecentChanges => "recent_changes",
        AnswerField::Since => "since",
        _ => "unknown",
    }
}

fn audience_name(audience: Audience) -> &'static str {
    match audience {
        Audience::Person => "person",
        Audience::ServerAdmin => "server_admin",
        Audience::Provider => "provider",
        Audience::Network => "network",
        _ => "other",
    }
}

fn finding_view(
    finding: &Finding,
    observations: &Observations,
    render: &dyn Fn(&Message) -> String,
    lang: Lang,
) -> FindingView {
    let t = &lang.texts().findings;
    let confidence = confidence_name(finding.confidence);
    let evidence = |list: &[Evidence]| {
        list.iter()
            .map(|e| evidence_view(e, observations, render, lang))
            .collect()
    };
    let (person, others): (Vec<&Fix>, Vec<&Fix>) = finding
        .fixes
        .iter()
        .partition(|f| f.audience == Audience::Person);
    let fix = |f: &Fix| FixView {
        audience: audience_name(f.audience),
        audience_words: match f.audience {
            Audience::Person => "",
            Audience::ServerAdmin => t.audience_server_admin,
            Audience::Provider => t.audience_provider,
            _ => t.audience_network,
        },
        action: render(&f.action),
        settings: f.settings.as_ref().map(|s| SettingsView {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            authentication: s.authentication,
        }),
        guide: f.guide.iter().map(render).collect(),
    };
    FindingView {
        cause: finding.cause.name(),
        confidence,
        confidence_words: match finding.confidence {
            Confidence::High => t.confidence_high,
            Confidence::Medium => t.confidence_medium,
            _ => t.confidence_low,
        },
        title: render(&finding.title()),
        summary: render(&finding.summary),
        evidence_for: evidence(&finding.evidence_for),
        evidence_against: evidence(&finding.evidence_against),
        person_fixes: person.into_iter().map(fix).collect(),
        other_fixes: others.into_iter().map(fix).collect(),
    }
}

fn evidence_view(
    evidence: &Evidence,
    observations: &Observations,
    render: &dyn Fn(&Message) -> String,
    lang: Lang,
) -> EvidenceView {
    let texts = lang.texts();
    let t = &texts.findings;
    let mut link = None;
    let (kind, source) = match &evidence.source {
        Source::OutsideProbe {
            port,
            step,
            at_unix_ms,
            ..
        } => (
            "outside_probe",
            fill(
                t.source_outside,
                &[
                    ("port", &port.to_string()),
                    ("step", texts.step(step.name())),
                    ("time", &local_time(*at_unix_ms, lang)),
                ],
            ),
        ),
        Source::OutsideRuns { port, ok, failed } => (
            "outside_runs",
            fill(
                t.source_runs,
                &[
                    ("port", &port.to_string()),
                    ("ok", &ok.len().to_string()),
                    ("failed", &failed.len().to_string()),
                ],
            ),
        ),
        Source::OutsideNotTested { port, .. } => (
            "outside_not_tested",
            fill(t.source_not_tested, &[("port", &port.to_string())]),
        ),
        Source::InsideNetwork { asn, as_org } => {
            let network = [asn.map(|a| format!("AS{a}")), as_org.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (
                "inside_network",
                fill(t.source_network, &[("network", &network)]),
            )
        }
        Source::LocalCheck { index, port } => {
            let tool = observations
                .inside
                .local_checks
                .get(*index)
                .and_then(|c| c.tool.clone())
                .unwrap_or_default();
            (
                "local_check",
                fill(
                    t.source_local,
                    &[("port", &port.to_string()), ("tool", &tool)],
                ),
            )
        }
        Source::PersonSaid { field } => (
            "person_said",
            fill(
                t.source_said,
                &[("question", t.answer_field(answer_field_name(*field)))],
            ),
        ),
        Source::DecodedError { code } => ("decoded_error", fill(t.source_error, &[("code", code)])),
        Source::Knowledge { reference, .. } => {
            if reference.starts_with("https://") || reference.starts_with("http://") {
                link = Some(reference.clone());
            }
            (
                "knowledge",
                fill(t.source_knowledge, &[("reference", reference)]),
            )
        }
        _ => ("other", t.source_other.to_owned()),
    };
    EvidenceView {
        fact: render(&evidence.fact),
        source: source.replace(" ()", "").replace("（）", ""),
        kind,
        link,
    }
}

#[cfg(test)]
mod tests {
    use sendcheck::diagnosis::{diagnose, LocalCheck, LocalResult, MailClient, PersonAnswers};
    use sendcheck::knowledge::Knowledge;
    use sendcheck::wire::CheckReport;

    use super::*;

    /// The lab's mail server seen from the edge: 587 and 465 work, 25 cannot be tested.
    pub(crate) fn edge_check() -> CheckReport {
        let probed = |port: u16, security: &str| {
            format!(
                r#"{{"status":"probed","report":{{"version":1,
                "target":{{"host":"mail.example.jp","port":{port},"security":"{security}"}},
                "address":"198.51.100.25","started_at_unix_ms":1764000000000,
                "outcome":{{"kind":"completed","step":"quit","at_ms":60}},
                "greeting":{{"code":220,"lines":["mail.example.jp ESMTP Postfix"]}},
                "capabilities_after_tls":{{"domain":"mail.example.jp","extensions":[
                    {{"keyword":"AUTH","params":["PLAIN","LOGIN"]}}]}},
                "tls":{{"version":"TLS 1.3","cipher_suite":"TLS13_AES_128_GCM_SHA256",
                    "chain":[{{"subject":"CN=mail.example.jp","issuer":"CN=R11, O=Let's Encrypt, C=US",
                    "sans":["mail.example.jp"],"not_before_unix":1760000000,"not_after_unix":1770000000,
                    "key":"ECDSA P-256","sha256":"ab12"}}],"verification":{{"status":"verified"}}}},
                "steps":[{{"step":"connect","started_ms":0,"duration_ms":5,"round_trips":1,"status":"ok"}},
                         {{"step":"greeting","started_ms":5,"duration_ms":10,"round_trips":1,"status":"ok"}},
                         {{"step":"ehlo_after_tls","started_ms":40,"duration_ms":5,"round_trips":1,"status":"ok"}},
                         {{"step":"quit","started_ms":55,"duration_ms":5,"round_trips":1,"status":"ok"}}],
                "transcript":[],"total_ms":60}}}}"#
            )
        };
        let json = format!(
            r#"{{"version":1,"host":"mail.example.jp","vantage":{{"kind":"edge","colo":"NRT"}},
            "started_at_unix_ms":1764000000000,"total_ms":60,"ports":[
            {{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}},
            {},{}]}}"#,
            probed(587, "starttls"),
            probed(465, "tls")
        );
        serde_json::from_str(&json).expect("check report")
    }

    /// Scenario 000: Thunderbird on port 25 at home, the ISP blocks it, 587 works.
    fn op25b_case(client: MailClient) -> Observations {
        let mut obs = Observations {
            outside: vec![edge_check()],
            ..Observations::default()
        };
        obs.inside.local_checks = vec![
            LocalCheck {
                host: None,
                port: 25,
                security: None,
                result: LocalResult::TimedOut,
                tool: Some("nc".into()),
            },
            LocalCheck {
                host: None,
                port: 587,
                security: None,
                result: LocalResult::Connected,
                tool: Some("nc".into()),
            },
        ];
        obs.answers = PersonAnswers {
            receiving_works: Some(true),
            client: Some(client),
            configured: Some(sendcheck::diagnosis::ClientSettings {
                host: "mail.example.jp".into(),
                port: 25,
                security: None,
                username_given: true,
            }),
            error_text: Some("Sending of the message failed. 0x800CCC0F".into()),
            ..PersonAnswers::default()
        };
        obs
    }

    fn view(obs: &Observations, lang: Lang) -> VerdictView {
        let knowledge = Knowledge::builtin();
        verdict_view(&diagnose(obs, knowledge), obs, knowledge.texts(), lang)
    }

    #[test]
    fn op25b_is_first_with_cited_evidence_and_exact_settings() {
        let obs = op25b_case(MailClient::Thunderbird);
        let v = view(&obs, Lang::En);
        let top = &v.findings[0];
        assert_eq!(top.cause, "op25b");
        assert_eq!(top.confidence, "high");
        assert!(top.title.contains("port 25"), "{}", top.title);
        let local = top
            .evidence_for
            .iter()
            .find(|e| e.kind == "local_check")
            .expect("a local check cited");
        assert!(local.fact.contains("25"), "{}", local.fact);
        assert_eq!(local.source, "your computer's check of port 25 (nc)");
        let outside = top
            .evidence_for
            .iter()
            .find(|e| e.kind == "outside_probe")
            .expect("an outside probe cited");
        assert!(outside.source.contains("port 587"), "{}", outside.source);
        assert!(outside.source.contains("2025-11-24"), "{}", outside.source);
        assert!(top
            .evidence_for
            .iter()
            .any(|e| e.kind == "person_said" && e.source.contains("receiving")));
        let fix = &top.person_fixes[0];
        let settings = fix.settings.as_ref().expect("settings");
        assert_eq!(
            (settings.port, settings.security, settings.authentication),
            (587, Security::Starttls, true)
        );
        assert!(fix.guide[0].starts_with("Thunderbird"), "{:?}", fix.guide);
        for finding in &v.findings {
            for text in std::iter::once(&finding.summary)
                .chain(finding.evidence_for.iter().map(|e| &e.fact))
                .chain(finding.person_fixes.iter().map(|f| &f.action))
            {
                assert!(!text.contains('{'), "unfilled: {text}");
            }
        }
        let decoded = v.decoded.expect("decoded");
        assert_eq!(decoded.recognised[0].0, "0x800CCC0F");
        assert_eq!(
            decoded.candidates[0].0, "op25b",
            "the evidence orders the candidates"
        );
    }

    #[test]
    fn the_client_answer_changes_the_guide_and_japanese_renders_in_japanese() {
        let outlook = view(&op25b_case(MailClient::Outlook), Lang::En);
        assert!(outlook.findings[0].person_fixes[0].guide[0].starts_with("Outlook"));
        let ja = view(&op25b_case(MailClient::Thunderbird), Lang::Ja);
        let top = &ja.findings[0];
        assert_eq!(top.cause, "op25b");
        assert_eq!(
            top.confidence_words,
            Lang::Ja.texts().findings.confidence_high
        );
        let is_japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
        assert!(is_japanese(&top.title), "{}", top.title);
        assert!(
            is_japanese(&top.evidence_for[0].source),
            "{}",
            top.evidence_for[0].source
        );
        assert!(is_japanese(&top.person_fixes[0].action));
    }

    #[test]
    fn fixes_for_others_are_apart_from_the_person_s() {
        // No submission port from outside: the administrator has to enable one.
        let mut obs = op25b_case(MailClient::AppleMail);
        obs.outside = vec![serde_json::from_str(
            &serde_json::to_string(&edge_check())
                .expect("json")
                .replace(r#""kind":"completed""#, r#""kind":"connection_refused""#),
        )
        .expect("check")];
        let v = view(&obs, Lang::En);
        let op25b = v
            .findings
            .iter()
            .find(|f| f.cause == "op25b")
            .expect("op25b");
        assert!(op25b
            .other_fixes
            .iter()
            .any(|f| f.audience == "server_admin"
                && f.audience_words == Lang::En.texts().findings.audience_server_admin
                && f.guide.iter().any(|g| g.contains("Postfix"))));
        assert!(op25b.person_fixes.iter().all(|f| f.audience == "person"));
    }

    #[test]
    fn every_source_kind_has_words() {
        let obs = op25b_case(MailClient::Other);
        let knowledge = Knowledge::builtin();
        let sources = [
            Source::OutsideRuns {
                port: 587,
                ok: vec![0],
                failed: vec![1, 2],
            },
            Source::OutsideNotTested { run: 0, port: 25 },
            Source::InsideNetwork {
                asn: Some(4713),
                as_org: Some("NTT Communications".into()),
            },
            Source::LocalCheck {
                index: 9,
                port: 465,
            },
            Source::DecodedError {
                code: "0x800CCC0F".into(),
            },
            Source::Knowledge {
                table: "op25b_networks".into(),
                entry: "ocn".into(),
                reference: "https://www.ocn.ne.jp/op25b/".into(),
            },
        ];
        for lang in Lang::ALL {
            for source in &sources {
                let e = Evidence::new(source.clone(), Message::new("fact.said.web_works"));
                let v = evidence_view(
                    &e,
                    &obs,
                    &|m: &Message| knowledge.texts().render(text_lang(lang), m),
                    lang,
                );
                assert!(
                    !v.source.is_empty() && !v.source.contains('{'),
                    "{lang:?} {v:?}"
                );
            }
        }
        let e = Evidence::new(sources[2].clone(), Message::new("x"));
        let v = evidence_view(&e, &obs, &|m: &Message| m.key.clone(), Lang::En);
        assert!(
            v.source.contains("AS4713 NTT Communications"),
            "{}",
            v.source
        );
        let e = Evidence::new(sources[5].clone(), Message::new("x"));
        let v = evidence_view(&e, &obs, &|m: &Message| m.key.clone(), Lang::En);
        assert_eq!(v.link.as_deref(), Some("https://www.ocn.ne.jp/op25b/"));
        // A local check without a tool reads without empty brackets.
        let e = Evidence::new(sources[3].clone(), Message::new("x"));
        let v = evidence_view(&e, &obs, &|m: &Message| m.key.clone(), Lang::En);
        assert_eq!(v.source, "your computer's check of port 465");
    }
}
