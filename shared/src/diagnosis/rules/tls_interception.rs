//! Software on the person's machine (or a gateway on their network) intercepts TLS on a mail
//! port (scenario 003: Norton told to scan 465 broke every SSL account). Seen as: the port
//! works from outside with the server's real certificate, while the person's machine gets
//! another certificate, or no TLS at all, and 587 still connects.

use crate::diagnosis::case::Case;
use crate::diagnosis::{
    AnswerField, Audience, Cause, Confidence, Evidence, Finding, Fix, LocalResult, RecentChange,
    Source,
};
use crate::knowledge::{Message, SecurityProduct};

pub fn rule(case: &Case) -> Option<Finding> {
    let mut substituted: Vec<Evidence> = Vec::new();
    let mut broken: Vec<Evidence> = Vec::new();
    let mut outside_fine: Vec<Evidence> = Vec::new();
    let mut ports: Vec<u16> = Vec::new();
    let mut product: Option<&SecurityProduct> = None;
    let mut intercepted_so_far = 0;
    for (index, check) in case.obs.inside.local_checks.iter().enumerate() {
        let port = check.port;
        let Some(outside) = case
            .probes_of(port)
            .find(|p| p.tls_verified() == Some(true))
        else {
            continue;
        };
        let real = outside.leaf();
        match &check.result {
            LocalResult::TlsOk { issuer, sha256, .. }
            | LocalResult::TlsCertificateInvalid { issuer, sha256, .. } => {
                // The fingerprint decides when both sides have it: a tool that prints the
                // same issuer in another form must not look like an interceptor. Only without
                // a fingerprint does the issuer's name stand in for it.
                let substitute = match (sha256.as_deref(), real) {
                    (Some(seen), Some(real)) => !seen.eq_ignore_ascii_case(&real.sha256),
                    (None, Some(real)) => !same_name(issuer, &real.issuer),
                    (_, None) => false,
                };
                if substitute {
                    substituted.push(case.local_evidence(index, check));
                    product = product.or_else(|| case.knowledge.security_product(issuer));
                }
            }
            LocalResult::TlsFailed { .. } | LocalResult::TlsNoAnswer => {
                broken.push(case.local_evidence(index, check))
            }
            result if result.is_unreachable() && port == 465 => {
                broken.push(case.local_evidence(index, check))
            }
            _ => continue,
        }
        // Only a port whose TLS is substituted or broken here is intercepted; one that shows
        // the server's own certificate here is a way out, not part of the problem.
        let intercepted = substituted.len() + broken.len() > intercepted_so_far;
        intercepted_so_far = substituted.len() + broken.len();
        if !intercepted {
            continue;
        }
        if let Some(real) = real {
            outside_fine.push(Evidence::new(
                outside.source(crate::wire::Step::TlsHandshake),
                Message::new("fact.outside.tls_verified")
                    .with("port", port)
                    .with("issuer", &real.issuer)
                    .with("sha256", &real.sha256),
            ));
        }
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    if substituted.is_empty() && broken.is_empty() {
        return None;
    }
    // Plain connections still work from the same machine: the network is not cutting it off.
    let plain_here: Vec<Evidence> = case
        .obs
        .inside
        .local_checks
        .iter()
        .enumerate()
        .filter(|(_, c)| !ports.contains(&c.port) && c.port != 25 && c.result.connected())
        .map(|(i, c)| case.local_evidence(i, c))
        .collect();
    let named_by_person = case
        .obs
        .answers
        .security_software
        .as_deref()
        .and_then(|s| case.knowledge.security_product(s));
    product = product.or(named_by_person);
    let confidence = if !substituted.is_empty()
        || (!plain_here.is_empty() && (named_by_person.is_some() || !broken.is_empty()))
    {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let port = ports.first().copied().unwrap_or(465);
    let summary = match product {
        Some(p) => Message::new("cause.tls_interception.summary_product")
            .with("product", &p.name)
            .with("product_ja", &p.name_ja)
            .with("port", port),
        None => Message::new("cause.tls_interception.summary").with("port", port),
    };
    let mut finding = Finding::new(Cause::TlsInterception, confidence, summary);
    let ev = &mut finding.evidence_for;
    ev.extend(substituted);
    ev.extend(broken);
    ev.extend(outside_fine);
    ev.extend(plain_here);
    if let Some(p) = product {
        if let Some(answer) = case.obs.answers.security_software.as_deref() {
            ev.push(case.said(
                AnswerField::SecuritySoftware,
                Message::new("fact.said.security_software").with("software", answer),
            ));
        }
        ev.push(Evidence::new(
            Source::Knowledge {
                table: "security_software".into(),
                entry: p.id.clone(),
                reference: p.source.clone(),
            },
            Message::new("fact.knowledge.intercepting_product")
                .with("product", &p.name)
                .with("product_ja", &p.name_ja),
        ));
    }
    ev.extend(case.change_evidence(
        RecentChange::SecuritySoftware,
        "fact.said.security_software_changed",
    ));
    ev.extend(case.change_evidence(RecentChange::OsReinstalled, "fact.said.os_reinstalled"));
    ev.extend(case.decoded_for(Cause::TlsInterception));

    let mut stop = Fix::new(
        Audience::Person,
        Message::new("fix.stop_mail_scanning").with("port", port),
    );
    stop.guide.push(match product {
        Some(p) => Message::new(&p.setting),
        None => Message::new("security.generic.setting"),
    });
    // A submission port that works from outside and connects from this very machine is the
    // way out now, before anyone finds the scanner's switch (the fault lab: 587 while 465 is
    // reset on the person's computer).
    let way_out = [587, 465, 2525]
        .into_iter()
        .filter(|p| !ports.contains(p))
        .find_map(|port| {
            let outside = case.probes_of(port).find(|p| p.usable_for_submission())?;
            let (index, here) = case.local(port).find(|(_, c)| c.result.connected())?;
            Some((outside, index, here))
        });
    match way_out {
        Some((probe, index, here)) => {
            finding.confidence = Confidence::High;
            finding.evidence_for.push(case.local_evidence(index, here));
            finding
                .fixes
                .push(case.settings_fix("fix.use_other_port_now", probe.settings()));
            finding.fixes.push(stop);
        }
        None => {
            finding.fixes.push(stop);
            if let Some(probe) = case
                .best_submission()
                .filter(|p| !ports.contains(&p.port()))
            {
                finding
                    .fixes
                    .push(case.settings_fix("fix.use_other_port_meanwhile", probe.settings()));
            }
        }
    }
    Some(finding)
}

/// Distinguished names compared loosely: case and spacing differ between tools.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::MailClient;
    use crate::target::Security;

    #[test]
    fn another_issuer_on_the_person_s_machine_names_the_product() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(465, None),
        );
        obs.inside.local_checks = vec![local(
            465,
            Some(Security::Tls),
            LocalResult::TlsOk {
                issuer: "CN=Avast Web/Mail Shield Root, O=Avast Web/Mail Shield".into(),
                subject: None,
                sha256: Some("b".repeat(64)),
            },
        )];
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.summary.param("product"), Some("Avast"));
        assert!(f.cites(|s| matches!(s, Source::LocalCheck { port: 465, .. })));
        assert!(f.cites(|s| matches!(s, Source::OutsideProbe { port: 465, .. })));
        assert_eq!(f.fixes[0].guide[0].key, "security.avast.setting");
        assert_eq!(f.fixes[1].settings.as_ref().map(|s| s.port), Some(587));
    }

    #[test]
    fn a_reset_465_with_587_connecting_here_offers_587_first_with_its_settings() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(465, None),
        );
        obs.inside.local_checks = vec![
            local(
                465,
                Some(Security::Tls),
                LocalResult::TlsFailed {
                    detail: "errno=104".into(),
                },
            ),
            // 587's STARTTLS shows the server's own certificate here: a way out, not a victim.
            local(
                587,
                Some(Security::Starttls),
                LocalResult::TlsOk {
                    issuer: "CN=R11, O=Let's Encrypt, C=US".into(),
                    subject: None,
                    sha256: Some("A".repeat(64)),
                },
            ),
        ];
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.fixes[0].action.key, "fix.use_other_port_now");
        assert_eq!(f.fixes[0].settings.as_ref().map(|s| s.port), Some(587));
        assert!(f.cites(|s| matches!(s, Source::LocalCheck { port: 587, .. })));
    }

    #[test]
    fn the_same_certificate_inside_and_out_is_not_interception() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(465, None),
        );
        obs.inside.local_checks = vec![local(
            465,
            Some(Security::Tls),
            LocalResult::TlsOk {
                issuer: "CN=R11,  O=Let's Encrypt, C=US".into(),
                subject: None,
                sha256: Some("A".repeat(64)),
            },
        )];
        assert!(apply(rule, &obs).is_none());
    }

    #[test]
    fn a_matching_fingerprint_outweighs_an_issuer_printed_another_way() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(465, None),
        );
        obs.inside.local_checks = vec![local(
            465,
            Some(Security::Tls),
            LocalResult::TlsOk {
                issuer: "Let's Encrypt R11 (as some tool prints it)".into(),
                subject: None,
                sha256: Some("a".repeat(64)),
            },
        )];
        assert!(apply(rule, &obs).is_none());
        // Without a fingerprint, the issuer's name is all there is to compare.
        obs.inside.local_checks[0].result = LocalResult::TlsOk {
            issuer: "Let's Encrypt R11 (as some tool prints it)".into(),
            subject: None,
            sha256: None,
        };
        assert!(apply(rule, &obs).is_some());
    }
}
