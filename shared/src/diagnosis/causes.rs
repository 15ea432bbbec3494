//! One case per cause through the whole [`diagnose`] (the top finding, and a specific cited
//! source), and the check that every text key the code names exists in both languages.

use crate::diagnosis::fixtures::*;
use crate::diagnosis::scenarios::{causes, on_host, run};
use crate::diagnosis::{AnswerField, Cause, LocalResult, MailClient, Observations, Source};
use crate::knowledge::{Knowledge, Lang};
use crate::target::Security;
use crate::wire::{CertificateProblem, OutcomeKind, Step};

/// One case per cause through the whole diagnosis: (what, case, top cause, a source its
/// evidence must cite).
#[test]
fn each_cause_is_the_top_finding_of_its_own_case_and_cites_its_evidence() {
    type Cites = fn(&Source) -> bool;
    let mut table: Vec<(&str, Observations, Cause, Cites)> = Vec::new();

    let mut obs = case(
        vec![healthy_from_edge(T0)],
        MailClient::Thunderbird,
        settings(25, None),
    );
    obs.inside.network = Some(network(Some(16509), "AMAZON-02"));
    table.push(("op25b from a cloud VM", obs, Cause::Op25b, |s| {
        matches!(
            s,
            Source::InsideNetwork {
                asn: Some(16509),
                ..
            }
        )
    }));

    let closed = submission_closed(T0);
    table.push((
        "no submission port",
        case(vec![closed], MailClient::Outlook, settings(587, None)),
        Cause::NoSubmissionPort,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    port: 587,
                    step: Step::Connect,
                    ..
                }
            )
        },
    ));

    let refused = check(
        T0,
        vec![probed(login_refused(
            587,
            T0,
            "5.7.8 Error: authentication failed",
            535,
        ))],
    );
    table.push((
        "credentials rejected",
        case(vec![refused], MailClient::Thunderbird, settings(587, None)),
        Cause::CredentialsRejected,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    step: Step::Auth,
                    ..
                }
            )
        },
    ));

    let mut no_user = settings(587, None);
    no_user.username_given = false;
    let mut obs = case(
        vec![healthy_from_edge(T0)],
        MailClient::OutlookExpress,
        no_user,
    );
    obs.answers.error_text =
        Some("エラー番号: 0x800CCC79 サーバーの応答: 550 5.7.1 Relaying denied".into());
    table.push((
        "auth not used",
        obs,
        Cause::AuthNotUsed,
        |s| matches!(s, Source::DecodedError { code } if code == "550 5.7.1"),
    ));

    let mut bare = completed(587, T0);
    bare.capabilities_after_tls = bare.capabilities.clone();
    table.push((
        "auth not offered",
        case(
            vec![check(T0, vec![probed(bare)])],
            MailClient::Outlook,
            settings(587, None),
        ),
        Cause::AuthNotOffered,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    port: 587,
                    step: Step::EhloAfterTls,
                    ..
                }
            )
        },
    ));

    let no_tls = check(
        T0,
        vec![
            probed(failed(
                587,
                T0,
                OutcomeKind::StartTlsNotOffered,
                Step::Ehlo,
                90,
            )),
            probed(completed(465, T0)),
        ],
    );
    table.push((
        "starttls broken",
        case(vec![no_tls], MailClient::Thunderbird, settings(587, None)),
        Cause::StarttlsBroken,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    port: 587,
                    step: Step::Ehlo,
                    ..
                }
            )
        },
    ));

    let chain = check(
        T0,
        vec![probed(bad_certificate(
            587,
            T0,
            vec![CertificateProblem::IncompleteChain {
                missing_issuer: PUBLIC_ISSUER.into(),
            }],
        ))],
    );
    table.push((
        "certificate",
        case(vec![chain], MailClient::Thunderbird, settings(587, None)),
        Cause::CertificateProblem,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    step: Step::TlsHandshake,
                    ..
                }
            )
        },
    ));

    let mut obs = case(
        vec![healthy_from_edge(T0)],
        MailClient::Outlook,
        settings(587, Some(Security::Tls)),
    );
    obs.answers.error_text = Some("エラー番号: 0x800CCC1A".into());
    table.push(("wrong pairing", obs, Cause::WrongSecurityPairing, |s| {
        matches!(
            s,
            Source::PersonSaid {
                field: AnswerField::Configured
            }
        )
    }));

    let nx = || OutcomeKind::DnsFailed {
        detail: "NXDOMAIN".into(),
    };
    let dns = check(
        T0,
        vec![
            probed(failed(587, T0, nx(), Step::Resolve, 40)),
            probed(failed(465, T0, nx(), Step::Resolve, 40)),
        ],
    );
    table.push((
        "host not found",
        case(vec![dns], MailClient::Outlook, settings(587, None)),
        Cause::HostNotFound,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    step: Step::Resolve,
                    ..
                }
            )
        },
    ));

    let down = |t| {
        check(
            t,
            vec![
                probed(failed(
                    587,
                    t,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
                probed(failed(
                    465,
                    t,
                    OutcomeKind::ConnectTimeout,
                    Step::Connect,
                    10_000,
                )),
            ],
        )
    };
    table.push((
        "server down",
        case(
            vec![down(T0), down(T0 + 60_000)],
            MailClient::Outlook,
            settings(587, None),
        ),
        Cause::ServerDown,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    run: 1,
                    step: Step::Connect,
                    ..
                }
            )
        },
    ));

    let flaky = vec![
        check(T0, vec![probed(completed(587, T0))]),
        check(
            T0 + 60_000,
            vec![probed(failed(
                587,
                T0 + 60_000,
                OutcomeKind::GreetingTimeout,
                Step::Greeting,
                30_000,
            ))],
        ),
    ];
    table.push((
        "server unstable",
        case(flaky, MailClient::Outlook, settings(587, None)),
        Cause::ServerUnstable,
        |s| matches!(s, Source::OutsideRuns { port: 587, .. }),
    ));

    let mut obs = case(
        vec![healthy_from_edge(T0)],
        MailClient::Thunderbird,
        settings(465, Some(Security::Tls)),
    );
    obs.inside.local_checks = vec![local(
        465,
        Some(Security::Tls),
        LocalResult::TlsOk {
            issuer: "CN=ESET SSL Filter CA".into(),
            subject: None,
            sha256: None,
        },
    )];
    table.push(("tls interception", obs, Cause::TlsInterception, |s| {
        matches!(s, Source::LocalCheck { port: 465, .. })
    }));

    let retired = check(
        T0,
        vec![probed(login_refused(
            587,
            T0,
            "5.7.139 Authentication unsuccessful, basic authentication is disabled.",
            535,
        ))],
    );
    let mut m365 = settings(587, None);
    m365.host = "smtp.office365.com".into();
    table.push((
        "basic auth retired",
        case(
            vec![on_host(retired, "smtp.office365.com")],
            MailClient::Outlook,
            m365,
        ),
        Cause::BasicAuthRetired,
        |s| {
            matches!(
                s,
                Source::OutsideProbe {
                    step: Step::Auth,
                    ..
                }
            )
        },
    ));

    let mut obs = case(
        vec![healthy_from_edge(T0)],
        MailClient::Ios,
        settings(587, None),
    );
    obs.answers.receiving_works = Some(true);
    table.push(("all clear", obs, Cause::AllClearOutside, |s| {
        matches!(s, Source::OutsideProbe { port: 587, .. })
    }));

    for (what, obs, cause, cites) in table {
        let d = run(&obs);
        let top = d.top().unwrap_or_else(|| panic!("{what}: no finding"));
        assert_eq!(top.cause, cause, "{what}: {:?}", causes(&d));
        assert!(top.cites(cites), "{what}: {:#?}", top.evidence_for);
        assert!(!top.fixes.is_empty(), "{what}: no fix");
    }
}

#[test]
fn nothing_observed_is_no_finding_and_never_a_panic() {
    let d = run(&Observations::default());
    assert!(d.findings.is_empty());
    let mut obs = Observations::default();
    obs.answers.error_text = Some("0x800CCC0F ".repeat(1000));
    obs.inside.local_checks = vec![local(25, None, LocalResult::Unknown)];
    let d = run(&obs);
    assert!(d.decoded_error.unwrap().truncated);
}

/// Every key the code names (literally or by a pattern) exists in both languages.
#[test]
fn every_key_in_the_code_exists_in_both_languages() {
    let texts = Knowledge::builtin().texts();
    let mut keys: Vec<String> = Vec::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagnosis");
    let mut files = vec![
        dir.join("case.rs"),
        dir.join("outside.rs"),
        dir.join("finding.rs"),
    ];
    for entry in std::fs::read_dir(dir.join("rules")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        for literal in source.split('"').skip(1).step_by(2) {
            let prefixed = [
                "cause.",
                "fact.",
                "fix.",
                "cert.",
                "admin.",
                "security.",
                "outcome.",
            ]
            .iter()
            .any(|p| literal.starts_with(p));
            if prefixed && !literal.contains('{') && !literal.ends_with('.') {
                keys.push(literal.to_owned());
            }
        }
    }
    assert!(keys.len() > 60, "{}", keys.len());
    for cause in Cause::ALL {
        keys.push(cause.title().key);
    }
    for client in [
        "outlook",
        "outlook_express",
        "thunderbird",
        "apple_mail",
        "ios",
        "android",
        "gmail_send_as",
        "becky",
        "other",
    ] {
        keys.push(format!("client.{client}.smtp_settings"));
        keys.push(format!("client.{client}.password"));
    }
    for mta in ["postfix", "exim", "sendmail"] {
        keys.push(format!("admin.submission.{mta}"));
    }
    for result in [
        "connected",
        "refused",
        "timed_out",
        "failed",
        "tls_ok",
        "tls_failed",
        "tls_no_answer",
        "tls_certificate_invalid",
        "dns_failed",
        "unknown",
    ] {
        keys.push(format!("fact.local.{result}"));
    }
    for outcome in OutcomeKind::NAMES.into_iter().chain(["unknown"]) {
        keys.push(format!("outcome.{outcome}"));
    }
    let missing: Vec<String> = keys
        .iter()
        .flat_map(|k| Lang::ALL.map(|l| (l, k)))
        .filter(|(l, k)| texts.get(*l, k).is_none())
        .map(|(l, k)| format!("{l:?}:{k}"))
        .collect();
    assert!(missing.is_empty(), "missing texts: {missing:#?}");
}

/// Scenario 002's repeat: only a fault that may come and go is worth another run.
#[test]
fn a_repeat_is_advised_only_for_faults_that_come_and_go() {
    use crate::diagnosis::{repeat_advised, MAX_RUNS};
    use crate::wire::OutcomeKind;

    let healthy = healthy_from_edge(T0);
    assert!(!repeat_advised(&[]));
    assert!(!repeat_advised(std::slice::from_ref(&healthy)));
    assert!(!repeat_advised(&[submission_closed(T0)]));
    let busy = check(
        T0,
        vec![
            probed(failed(
                587,
                T0,
                OutcomeKind::GreetingRejected {
                    reply: reply(421, &["busy, try later"]),
                },
                Step::Greeting,
                30,
            )),
            probed(completed(465, T0)),
        ],
    );
    assert!(repeat_advised(std::slice::from_ref(&busy)));
    let late = check(T0, vec![probed(slow(587, T0, 9_000))]);
    assert!(repeat_advised(std::slice::from_ref(&late)));
    let runs = vec![busy; MAX_RUNS];
    assert!(!repeat_advised(&runs), "at most {MAX_RUNS} runs");
}

/// The fault lab (issue 9 §3): one TCP reset on one port in one run must not turn a clear
/// STARTTLS refusal into "overloaded".
#[test]
fn one_reset_does_not_outweigh_a_clear_starttls_refusal() {
    use crate::wire::OutcomeKind;

    let checked = check(
        T0,
        vec![
            probed(failed(
                587,
                T0,
                OutcomeKind::StartTlsRefused {
                    reply: reply(454, &["4.7.0 TLS not available due to local problem"]),
                },
                Step::StartTls,
                120,
            )),
            probed(failed(
                465,
                T0,
                OutcomeKind::ConnectionReset,
                Step::TlsHandshake,
                60,
            )),
            probed(completed(25, T0)),
        ],
    );
    let obs = case(vec![checked], MailClient::Thunderbird, settings(587, None));
    let d = run(&obs);
    assert_eq!(d.top().unwrap().cause, Cause::StarttlsBroken, "{d:#?}");
}

/// One reset on a port the person does not use, while theirs works, is a blip, not "overloaded".
#[test]
fn one_blip_elsewhere_does_not_outweigh_a_working_configured_port() {
    use crate::wire::OutcomeKind;

    let checked = check(
        T0,
        vec![
            probed(completed(587, T0)),
            probed(failed(
                465,
                T0,
                OutcomeKind::ConnectionReset,
                Step::TlsHandshake,
                60,
            )),
        ],
    );
    let obs = case(vec![checked], MailClient::Thunderbird, settings(587, None));
    let d = run(&obs);
    assert_eq!(d.top().unwrap().cause, Cause::AllClearOutside, "{d:#?}");
    assert_eq!(
        d.finding(Cause::ServerUnstable).map(|f| f.confidence),
        Some(crate::diagnosis::Confidence::Low)
    );
}
