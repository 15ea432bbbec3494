//! Discovery from DoH JSON and autoconfig fixtures: each test is one kind of domain a person
//! may have (RFC 6186 SRV, autoconfig only, a big provider, nothing published, "." SRV,
//! NXDOMAIN), answered the way Cloudflare's resolver answers.

use super::*;
use crate::discovery::{Candidate, Source};
use crate::target::Security;

/// `{"Status":0,"Answer":[{..type, data..}]}` for `name`.
fn found(name: &str, record_type: u16, data: &[&str]) -> DnsAnswer {
    let answer: Vec<_> = data
        .iter()
        .map(|d| serde_json::json!({"name": name, "type": record_type, "TTL": 300, "data": d}))
        .collect();
    DnsAnswer::Body(
        serde_json::json!({"Status": 0, "Answer": answer})
            .to_string()
            .into_bytes(),
    )
}

fn status(code: u16) -> DnsAnswer {
    DnsAnswer::Body(format!(r#"{{"Status":{code}}}"#).into_bytes())
}

fn empty() -> DnsAnswer {
    DnsAnswer::Body(br#"{"Status":0,"Answer":[]}"#.to_vec())
}

fn plan(address: &str) -> DiscoveryPlan {
    DiscoveryPlan::new(address, &UrlTemplates::default()).unwrap()
}

/// Answers in the plan's order: MX, SRV submission, SRV submissions, then A/AAAA of
/// mail.DOMAIN and smtp.DOMAIN.
fn answers(
    mx: DnsAnswer,
    sub: DnsAnswer,
    subs: DnsAnswer,
    mail: bool,
    smtp: bool,
) -> Vec<DnsAnswer> {
    let host = |exists: bool| {
        if exists {
            [found("h", 1, &["192.0.2.10"]), empty()]
        } else {
            [status(3), status(3)]
        }
    };
    let [mail_a, mail_aaaa] = host(mail);
    let [smtp_a, smtp_aaaa] = host(smtp);
    vec![mx, sub, subs, mail_a, mail_aaaa, smtp_a, smtp_aaaa]
}

fn no_autoconfig() -> Vec<Fetched> {
    vec![
        Fetched::Failed {
            detail: "no such host".into(),
        },
        Fetched::Status { code: 404 },
    ]
}

fn summary(c: &Candidate) -> (String, u16, Security, Vec<Source>) {
    (c.host.to_string(), c.port, c.security, c.sources.clone())
}

fn knowledge() -> &'static Knowledge {
    Knowledge::builtin()
}

#[test]
fn the_plan_asks_mx_srv_guesses_and_both_autoconfig_urls() {
    let p = plan("Taro@Example.JP");
    let asked: Vec<String> = p
        .queries()
        .iter()
        .map(|q| q.url("https://dns.example/dns-query"))
        .collect();
    assert_eq!(
        asked,
        vec![
            "https://dns.example/dns-query?name=example.jp&type=MX",
            "https://dns.example/dns-query?name=_submission._tcp.example.jp&type=SRV",
            "https://dns.example/dns-query?name=_submissions._tcp.example.jp&type=SRV",
            "https://dns.example/dns-query?name=mail.example.jp&type=A",
            "https://dns.example/dns-query?name=mail.example.jp&type=AAAA",
            "https://dns.example/dns-query?name=smtp.example.jp&type=A",
            "https://dns.example/dns-query?name=smtp.example.jp&type=AAAA",
        ]
    );
    assert_eq!(
        p.autoconfig_urls(),
        [
            "https://autoconfig.example.jp/mail/config-v1.1.xml",
            "https://example.jp/.well-known/autoconfig/mail/config-v1.1.xml",
        ]
    );
    assert_eq!(
        DiscoveryPlan::new("a@", &UrlTemplates::default()),
        Err(AddressError::EmptyDomain)
    );
}

#[test]
fn rfc6186_srv_records_come_first_with_implicit_tls_on_a_tie() {
    let d = plan("taro@example.jp").finish(
        answers(
            found("example.jp", 15, &["10 mx.example.jp."]),
            found(
                "_submission._tcp.example.jp",
                33,
                &["0 1 587 mail.example.jp."],
            ),
            found(
                "_submissions._tcp.example.jp",
                33,
                &["0 1 465 mail.example.jp."],
            ),
            true,
            false,
        ),
        no_autoconfig(),
        knowledge(),
    );
    assert_eq!(d.submission.outcome, LookupOutcome::Found);
    assert_eq!(d.submissions.outcome, LookupOutcome::Found);
    assert_eq!(d.mx.outcome, LookupOutcome::Found);
    assert_eq!(d.autoconfig.outcome, LookupOutcome::NoRecords);
    assert_eq!(d.provider, None);
    let ranked: Vec<_> = d.candidates.iter().map(summary).collect();
    assert_eq!(
        ranked,
        vec![
            (
                "mail.example.jp".into(),
                465,
                Security::Tls,
                vec![Source::Srv, Source::DomainGuess]
            ),
            (
                "mail.example.jp".into(),
                587,
                Security::Starttls,
                vec![Source::Srv, Source::DomainGuess]
            ),
            (
                "mx.example.jp".into(),
                587,
                Security::Starttls,
                vec![Source::MxGuess]
            ),
            (
                "mx.example.jp".into(),
                465,
                Security::Tls,
                vec![Source::MxGuess]
            ),
        ],
        "smtp.example.jp does not exist, so it is not guessed"
    );
    assert_eq!(
        d.guessed_hosts
            .iter()
            .map(|g| (g.name.to_string(), g.outcome))
            .collect::<Vec<_>>(),
        vec![
            ("mail.example.jp".into(), LookupOutcome::Found),
            ("smtp.example.jp".into(), LookupOutcome::NoSuchName),
        ]
    );
    assert_eq!(d.best_published().map(|c| c.port), Some(465));
}

#[test]
fn srv_priority_beats_weight_and_weight_orders_equals() {
    let d = plan("example.jp").finish(
        answers(
            empty(),
            found(
                "_submission._tcp.example.jp",
                33,
                &[
                    "10 0 587 backup.example.jp.",
                    "0 5 587 light.example.jp.",
                    "0 50 587 heavy.example.jp.",
                ],
            ),
            status(0),
            false,
            false,
        ),
        no_autoconfig(),
        knowledge(),
    );
    let hosts: Vec<String> = d.candidates.iter().map(|c| c.host.to_string()).collect();
    assert_eq!(
        hosts,
        ["heavy.example.jp", "light.example.jp", "backup.example.jp"]
    );
    assert!(!d.from_address);
    assert_eq!(d.mx.outcome, LookupOutcome::NoRecords);
    assert_eq!(d.submissions.outcome, LookupOutcome::NoRecords);
}

#[test]
fn rfc6186_dot_target_says_not_available_and_names_no_candidate() {
    let d = plan("taro@closed.example.jp").finish(
        answers(
            empty(),
            found("_submission._tcp.closed.example.jp", 33, &["0 0 0 ."]),
            found("_submissions._tcp.closed.example.jp", 33, &["0 0 0 ."]),
            false,
            false,
        ),
        no_autoconfig(),
        knowledge(),
    );
    assert_eq!(d.submission.outcome, LookupOutcome::NotAvailable);
    assert_eq!(d.submissions.outcome, LookupOutcome::NotAvailable);
    assert_eq!(d.candidates, vec![]);
}

#[test]
fn autoconfig_servers_rank_after_srv_and_the_first_usable_document_wins() {
    let doc = br#"<clientConfig version="1.1"><emailProvider id="example.jp">
        <outgoingServer type="smtp"><hostname>smtp.example.jp</hostname><port>587</port>
        <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
        </emailProvider></clientConfig>"#;
    let d = plan("taro@example.jp").finish(
        answers(status(0), status(0), status(0), false, true),
        vec![
            Fetched::Document {
                body: b"<html>not here</html>".to_vec(),
            },
            Fetched::Document { body: doc.to_vec() },
        ],
        knowledge(),
    );
    assert_eq!(d.autoconfig.outcome, LookupOutcome::Found);
    assert_eq!(
        d.autoconfig.url.as_deref(),
        Some("https://example.jp/.well-known/autoconfig/mail/config-v1.1.xml")
    );
    assert_eq!(d.autoconfig.attempts[0].outcome, LookupOutcome::Unreadable);
    assert_eq!(
        summary(&d.candidates[0]),
        (
            "smtp.example.jp".into(),
            587,
            Security::Starttls,
            vec![Source::Autoconfig, Source::DomainGuess]
        )
    );
    assert_eq!(
        summary(&d.candidates[1]),
        (
            "smtp.example.jp".into(),
            465,
            Security::Tls,
            vec![Source::DomainGuess]
        )
    );
    assert!(d.candidates[1].is_guess());
}

#[test]
fn a_failed_autoconfig_is_said_and_the_rest_still_answers() {
    let d = plan("example.jp").finish(
        answers(
            found("example.jp", 15, &["10 mx.example.jp."]),
            status(0),
            status(0),
            false,
            false,
        ),
        vec![Fetched::TooLarge { limit: 65536 }, Fetched::TimedOut],
        knowledge(),
    );
    assert_eq!(d.autoconfig.outcome, LookupOutcome::TooLarge);
    assert_eq!(d.autoconfig.attempts[1].outcome, LookupOutcome::TimedOut);
    assert_eq!(d.autoconfig.servers, vec![]);
    assert_eq!(
        d.candidates.iter().map(summary).collect::<Vec<_>>(),
        vec![
            (
                "mx.example.jp".into(),
                587,
                Security::Starttls,
                vec![Source::MxGuess]
            ),
            (
                "mx.example.jp".into(),
                465,
                Security::Tls,
                vec![Source::MxGuess]
            ),
        ]
    );
}

#[test]
fn a_known_provider_by_address_domain() {
    let d = plan("someone@gmail.com").finish(
        answers(
            found(
                "gmail.com",
                15,
                &[
                    "5 gmail-smtp-in.l.google.com.",
                    "10 alt1.gmail-smtp-in.l.google.com.",
                ],
            ),
            status(0),
            status(0),
            false,
            true,
        ),
        no_autoconfig(),
        knowledge(),
    );
    let provider = d.provider.as_ref().unwrap();
    assert_eq!(
        (provider.id.as_str(), provider.matched_by),
        ("gmail", ProviderMatchedBy::Domain)
    );
    assert_eq!(
        d.candidates.iter().take(2).map(summary).collect::<Vec<_>>(),
        vec![
            (
                "smtp.gmail.com".into(),
                587,
                Security::Starttls,
                vec![Source::Provider, Source::DomainGuess]
            ),
            (
                "smtp.gmail.com".into(),
                465,
                Security::Tls,
                vec![Source::Provider, Source::DomainGuess]
            ),
        ]
    );
    assert_eq!(d.candidates[2].host.as_str(), "gmail-smtp-in.l.google.com");
}

#[test]
fn a_known_provider_by_mx_host_for_a_customer_domain() {
    let d = plan("info@shop.example.jp").finish(
        answers(
            found(
                "shop.example.jp",
                15,
                &["10 shop-example-jp.mail.protection.outlook.com."],
            ),
            status(0),
            status(0),
            false,
            false,
        ),
        no_autoconfig(),
        knowledge(),
    );
    let provider = d.provider.as_ref().unwrap();
    assert_eq!(provider.id, "microsoft_365");
    assert_eq!(provider.matched_by, ProviderMatchedBy::MxHost);
    assert_eq!(
        provider.mx_host.as_ref().map(|h| h.as_str()),
        Some("shop-example-jp.mail.protection.outlook.com")
    );
    assert_eq!(
        summary(&d.candidates[0]),
        (
            "smtp.office365.com".into(),
            587,
            Security::Starttls,
            vec![Source::Provider]
        )
    );
}

#[test]
fn nxdomain_is_said_and_nothing_is_guessed() {
    let d = plan("taro@nowhere.example.jp").finish(
        answers(status(3), status(3), status(3), false, false),
        no_autoconfig(),
        knowledge(),
    );
    assert_eq!(d.mx.outcome, LookupOutcome::NoSuchName);
    assert_eq!(d.submission.outcome, LookupOutcome::NoSuchName);
    assert_eq!(d.candidates, vec![]);
}

#[test]
fn no_srv_name_under_an_existing_domain_is_no_records() {
    let d = plan("example.jp").finish(
        answers(
            found("example.jp", 15, &["10 mx.example.jp."]),
            status(3),
            status(3),
            false,
            false,
        ),
        no_autoconfig(),
        knowledge(),
    );
    assert_eq!(d.submission.outcome, LookupOutcome::NoRecords);
    assert_eq!(d.submissions.outcome, LookupOutcome::NoRecords);
    assert_eq!(
        d.submission.detail.as_deref(),
        Some("the name does not exist (NXDOMAIN)")
    );
}

#[test]
fn resolver_trouble_and_timeouts_are_each_lookups_own() {
    let mut dns = answers(
        DnsAnswer::TimedOut,
        status(2),
        DnsAnswer::Failed {
            detail: "HTTP 502".into(),
        },
        false,
        false,
    );
    // mail.DOMAIN: its A query timed out: it may exist, so it is still guessed.
    dns[3] = DnsAnswer::TimedOut;
    dns[4] = empty();
    let d = plan("example.jp").finish(dns, no_autoconfig(), knowledge());
    assert_eq!(d.mx.outcome, LookupOutcome::TimedOut);
    assert_eq!(d.submission.outcome, LookupOutcome::ResolverError);
    assert_eq!(
        d.submission.detail.as_deref(),
        Some("the resolver failed to answer (DNS RCODE 2)")
    );
    assert_eq!(d.submissions.outcome, LookupOutcome::ResolverError);
    assert_eq!(d.submissions.detail.as_deref(), Some("HTTP 502"));
    assert_eq!(d.guessed_hosts[0].outcome, LookupOutcome::TimedOut);
    assert_eq!(
        d.candidates.iter().map(summary).collect::<Vec<_>>(),
        vec![
            (
                "mail.example.jp".into(),
                587,
                Security::Starttls,
                vec![Source::DomainGuess]
            ),
            (
                "mail.example.jp".into(),
                465,
                Security::Tls,
                vec![Source::DomainGuess]
            ),
        ]
    );
}

#[test]
fn missing_answers_count_as_not_asked() {
    let d = plan("example.jp").finish(vec![], vec![], knowledge());
    assert_eq!(d.mx.outcome, LookupOutcome::NotAsked);
    assert_eq!(d.autoconfig.outcome, LookupOutcome::NotAsked);
    assert_eq!(d.autoconfig.attempts.len(), 2);
    // Nothing said the guessed names do not exist.
    assert_eq!(d.candidates.len(), 4);
    assert!(d.candidates.iter().all(Candidate::is_guess));
}

#[test]
fn the_answer_round_trips_as_json() {
    let d = plan("taro@example.jp").finish(
        answers(
            found("example.jp", 15, &["0 ."]),
            found(
                "_submission._tcp.example.jp",
                33,
                &["0 1 587 mail.example.jp."],
            ),
            status(0),
            true,
            true,
        ),
        no_autoconfig(),
        knowledge(),
    );
    assert_eq!(
        d.mx.outcome,
        LookupOutcome::NotAvailable,
        "RFC 7505 null MX"
    );
    let json = serde_json::to_string(&d).unwrap();
    assert!(
        json.contains(r#""sources":["srv","domain_guess"]"#),
        "{json}"
    );
    assert!(
        json.contains(r#""exchange":{"kind":"not_available"}"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Discovery>(&json).unwrap(), d);
}
