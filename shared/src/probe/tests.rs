//! The engine driven by a simulated clock and scripted server bytes: every named outcome,
//! deterministically, in microseconds.

use super::*;
use crate::target::{MailPort, Security};
use crate::wire::Direction;

/// What the scripted peer does when the engine next waits.
enum Peer {
    Says(&'static [u8]),
    SaysOwned(Vec<u8>),
    Closes,
    Resets,
    Silent,
}

struct Script {
    resolve: Option<Result<IpAddr, String>>,
    connect: Result<u64, ConnectFailure>,
    /// One entry per `Receive`, in order; the bool says how many ms the peer takes.
    turns: Vec<(u64, Peer)>,
}

const ADDRESS: &str = "198.51.100.25";

/// Plain SMTP (security "none"): the dialogue without TLS. TLS dialogues are in `tls_tests`.
fn target(host: &str) -> ProbeTarget {
    ProbeTarget {
        host: Host::parse(host).unwrap(),
        port: MailPort::SUBMISSION,
        security: Security::None,
    }
}

fn config() -> ProbeConfig {
    ProbeConfig::new(Hostname::parse("sendcheck.invalid").unwrap())
}

/// Pumps the engine exactly as an adapter would, on a simulated clock starting at 1000 ms.
fn run(host: &str, script: Script) -> (ProbeReport, Vec<String>) {
    let mut now = Millis(1000);
    let mut probe = Probe::new(target(host), None, config(), now, 1_700_000_000_000);
    let mut sent = Vec::new();
    let mut turns = script.turns.into_iter();
    let mut resolve = script.resolve;
    let mut connect = Some(script.connect);
    for _ in 0..100 {
        match probe.next_action() {
            Action::Resolve { deadline, .. } => match resolve.take() {
                Some(result) => {
                    now = now.plus(3);
                    probe.on_resolved(result, now);
                }
                None => {
                    now = deadline;
                    probe.on_timeout(now);
                }
            },
            Action::Connect { deadline, .. } => match connect.take() {
                Some(Ok(ms)) if now.plus(ms) < deadline => {
                    now = now.plus(ms);
                    probe.on_connected(now);
                }
                Some(Err(failure)) => {
                    now = now.plus(1);
                    probe.on_connect_failed(failure, now);
                }
                _ => {
                    now = deadline;
                    probe.on_timeout(now);
                }
            },
            Action::Send(bytes) => sent.push(String::from_utf8(bytes).unwrap()),
            Action::Receive { deadline } => match turns.next() {
                Some((ms, _)) if now.plus(ms) >= deadline => {
                    now = deadline;
                    probe.on_timeout(now);
                }
                Some((ms, peer)) => {
                    now = now.plus(ms);
                    match peer {
                        Peer::Says(bytes) => probe.on_received(bytes, now),
                        Peer::SaysOwned(bytes) => probe.on_received(&bytes, now),
                        Peer::Closes => probe.on_closed(now),
                        Peer::Resets => probe.on_stream_error(StreamFailure::Reset, now),
                        Peer::Silent => unreachable!("silent turns are timed out above"),
                    }
                }
                None => {
                    now = deadline;
                    probe.on_timeout(now);
                }
            },
            Action::Close => return (probe.into_report(now), sent),
        }
    }
    panic!("the engine did not finish within 100 actions");
}

fn ip_script(turns: Vec<(u64, Peer)>) -> Script {
    Script {
        resolve: None,
        connect: Ok(5),
        turns,
    }
}

const GREETING: &[u8] = b"220 mail.sendcheck.test ESMTP Postfix (sendcheck lab)\r\n";
const EHLO_OK: &[u8] = b"250-mail.sendcheck.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 CHUNKING\r\n";
const BYE: &[u8] = b"221 2.0.0 Bye\r\n";

fn kind(report: &ProbeReport) -> &str {
    report.outcome.kind.name()
}

#[test]
fn healthy_server_completes_greeting_ehlo_quit() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![
            (2, Peer::Says(GREETING)),
            (4, Peer::Says(EHLO_OK)),
            (3, Peer::Says(BYE)),
        ]),
    );
    assert_eq!(kind(&report), "completed");
    assert_eq!(sent, ["EHLO sendcheck.invalid\r\n", "QUIT\r\n"]);
    let caps = report.capabilities.as_ref().unwrap();
    assert!(caps.starttls());
    assert!(caps.has("PIPELINING"));
    assert_eq!(report.greeting.as_ref().unwrap().code.get(), 220);
    let steps: Vec<_> = report
        .steps
        .iter()
        .map(|s| {
            (
                s.step.name(),
                s.started_ms,
                s.duration_ms,
                s.round_trips,
                s.status,
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("connect", 0, 5, 1, StepStatus::Ok),
            ("greeting", 5, 2, 0, StepStatus::Ok),
            ("ehlo", 7, 4, 1, StepStatus::Ok),
            ("quit", 11, 3, 1, StepStatus::Ok),
        ]
    );
    assert_eq!(report.total_ms, 14);
    assert_eq!(report.address.as_deref(), Some(ADDRESS));
    assert_eq!(
        report.transcript.first().unwrap().direction,
        Direction::Server
    );
    assert!(report.transcript.iter().any(|l| l.text == "250-PIPELINING"));
    assert!(report
        .transcript
        .iter()
        .any(|l| l.text == "EHLO sendcheck.invalid"));
}

#[test]
fn names_are_resolved_first_and_timed() {
    let script = Script {
        resolve: Some(Ok(ADDRESS.parse().unwrap())),
        connect: Ok(5),
        turns: vec![
            (1, Peer::Says(GREETING)),
            (1, Peer::Says(EHLO_OK)),
            (1, Peer::Closes),
        ],
    };
    let (report, _) = run("mail.sendcheck.test", script);
    assert_eq!(kind(&report), "completed");
    assert_eq!(report.steps[0].step, Step::Resolve);
    assert_eq!(report.steps[0].duration_ms, 3);
    assert_eq!(report.target.host, "mail.sendcheck.test");
}

#[test]
fn dns_failure_is_named() {
    let script = Script {
        resolve: Some(Err("NXDOMAIN".into())),
        connect: Ok(1),
        turns: vec![],
    };
    let (report, _) = run("nowhere.sendcheck.test", script);
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::DnsFailed {
            detail: "NXDOMAIN".into()
        }
    );
    assert_eq!(report.outcome.step, Step::Resolve);
}

#[test]
fn resolver_silence_is_a_dns_failure_at_its_deadline() {
    let script = Script {
        resolve: None,
        connect: Ok(1),
        turns: vec![],
    };
    let (report, _) = run("slow.sendcheck.test", script);
    assert_eq!(kind(&report), "dns_failed");
    assert_eq!(report.outcome.at_ms, config().resolve_timeout_ms);
}

#[test]
fn refused_and_silently_dropped_connections_differ() {
    let refused = Script {
        resolve: None,
        connect: Err(ConnectFailure::Refused),
        turns: vec![],
    };
    let (report, _) = run(ADDRESS, refused);
    assert_eq!(kind(&report), "connection_refused");
    assert_eq!(report.outcome.step, Step::Connect);
    assert_eq!(report.steps[0].status, StepStatus::Failed);

    let dropped = Script {
        resolve: None,
        connect: Ok(u64::MAX / 2),
        turns: vec![],
    };
    let (report, _) = run(ADDRESS, dropped);
    assert_eq!(kind(&report), "connect_timeout");
    assert_eq!(report.outcome.at_ms, config().connect_timeout_ms);
}

#[test]
fn late_or_missing_greeting_is_a_greeting_timeout() {
    let (report, sent) = run(ADDRESS, ip_script(vec![(60_000, Peer::Silent)]));
    assert_eq!(kind(&report), "greeting_timeout");
    assert_eq!(report.outcome.step, Step::Greeting);
    assert_eq!(report.outcome.at_ms, 5 + config().greeting_timeout_ms);
    assert!(sent.is_empty());
}

#[test]
fn busy_server_421_greeting_ends_without_quit() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![(
            2,
            Peer::Says(
                b"421 4.3.2 mail.example.jp Service not available, too many connections\r\n",
            ),
        )]),
    );
    match &report.outcome.kind {
        OutcomeKind::GreetingRejected { reply } => assert_eq!(reply.code.get(), 421),
        other => panic!("{other:?}"),
    }
    assert!(sent.is_empty());
}

#[test]
fn refusing_554_greeting_gets_a_polite_quit() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![
            (2, Peer::Says(b"554 5.7.1 No SMTP service here\r\n")),
            (1, Peer::Says(BYE)),
        ]),
    );
    assert_eq!(kind(&report), "greeting_rejected");
    assert_eq!(report.outcome.step, Step::Greeting);
    assert_eq!(sent, ["QUIT\r\n"]);
    assert_eq!(report.steps[1].status, StepStatus::Failed);
    assert_eq!(report.steps[2].status, StepStatus::Ok);
}

#[test]
fn closed_before_greeting() {
    let (report, _) = run(ADDRESS, ip_script(vec![(1, Peer::Closes)]));
    assert_eq!(kind(&report), "closed_before_greeting");
}

#[test]
fn closed_or_reset_during_dialogue() {
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(GREETING)), (1, Peer::Closes)]),
    );
    assert_eq!(kind(&report), "closed_during_dialogue");
    assert_eq!(report.outcome.step, Step::Ehlo);
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(GREETING)), (1, Peer::Resets)]),
    );
    assert_eq!(kind(&report), "connection_reset");
}

#[test]
fn ehlo_refused_falls_back_to_helo() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![
            (1, Peer::Says(b"220 old.example.jp SMTP\r\n")),
            (
                1,
                Peer::Says(b"502 5.5.2 Error: command not recognized\r\n"),
            ),
            (1, Peer::Says(b"250 old.example.jp\r\n")),
            (1, Peer::Says(BYE)),
        ]),
    );
    assert_eq!(kind(&report), "completed");
    assert_eq!(
        sent,
        [
            "EHLO sendcheck.invalid\r\n",
            "HELO sendcheck.invalid\r\n",
            "QUIT\r\n"
        ]
    );
    assert_eq!(report.capabilities.unwrap().domain, "old.example.jp");
    assert_eq!(report.steps[2].status, StepStatus::Failed);
    assert_eq!(report.steps[3].step, Step::Helo);
}

#[test]
fn ehlo_and_helo_both_refused() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![
            (1, Peer::Says(GREETING)),
            (1, Peer::Says(b"550 5.7.1 go away\r\n")),
            (1, Peer::Says(b"550 5.7.1 go away\r\n")),
            (1, Peer::Says(BYE)),
        ]),
    );
    assert_eq!(kind(&report), "ehlo_rejected");
    assert_eq!(report.outcome.step, Step::Helo);
    assert_eq!(sent.last().unwrap(), "QUIT\r\n");
}

#[test]
fn silent_after_ehlo_is_a_reply_timeout() {
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(GREETING)), (60_000, Peer::Silent)]),
    );
    assert_eq!(kind(&report), "reply_timeout");
    assert_eq!(report.outcome.step, Step::Ehlo);
}

#[test]
fn silent_quit_still_completes() {
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![
            (1, Peer::Says(GREETING)),
            (1, Peer::Says(EHLO_OK)),
            (60_000, Peer::Silent),
        ]),
    );
    assert_eq!(kind(&report), "completed");
    assert_eq!(report.steps.last().unwrap().status, StepStatus::Failed);
}

#[test]
fn slow_drip_server_hits_the_overall_deadline() {
    // A byte every 900 ms of an endless greeting line: each turn is within the step deadline
    // only at first; the overall deadline ends it, never the peer.
    let turns = (0..40).map(|_| (900, Peer::Says(b"2"))).collect();
    let (report, _) = run(ADDRESS, ip_script(turns));
    assert!(matches!(
        kind(&report),
        "greeting_timeout" | "deadline_reached" | "reply_too_long"
    ));
    assert!(report.outcome.at_ms <= config().overall_timeout_ms);
}

#[test]
fn endless_multiline_reply_is_cut_off() {
    let flood = b"250-x\r\n".repeat(10_000);
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(GREETING)), (1, Peer::SaysOwned(flood))]),
    );
    assert_eq!(kind(&report), "reply_too_long");
    assert!(report.transcript.len() <= 600);
}

#[test]
fn non_smtp_service_is_a_malformed_reply() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(b"SSH-2.0-OpenSSH_9.2p1\r\n"))]),
    );
    assert_eq!(kind(&report), "malformed_reply");
    assert!(sent.is_empty());
}

#[test]
fn server_speaking_out_of_turn_is_malformed() {
    let (report, sent) = run(
        ADDRESS,
        ip_script(vec![(1, Peer::Says(b"220 hi\r\n250 unsolicited\r\n"))]),
    );
    assert_eq!(kind(&report), "malformed_reply");
    assert!(
        sent.is_empty(),
        "nothing may be sent after a protocol violation"
    );
}

#[test]
fn the_probe_never_sends_mail_commands() {
    let (_, sent) = run(
        ADDRESS,
        ip_script(vec![
            (1, Peer::Says(GREETING)),
            (1, Peer::Says(EHLO_OK)),
            (1, Peer::Says(BYE)),
        ]),
    );
    for line in sent {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        assert!(
            !["MAIL", "RCPT", "DATA", "BDAT"].contains(&verb.as_str()),
            "{line}"
        );
    }
}

#[test]
fn report_json_round_trips() {
    let (report, _) = run(
        ADDRESS,
        ip_script(vec![
            (2, Peer::Says(GREETING)),
            (4, Peer::Says(EHLO_OK)),
            (3, Peer::Says(BYE)),
        ]),
    );
    let json = serde_json::to_string(&report).unwrap();
    assert!(
        json.contains(r#""outcome":{"kind":"completed","step":"quit","at_ms":14}"#),
        "{json}"
    );
    let back: ProbeReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

/// Issue 10's time budget: whatever silence a server meets us with, the probe ends by the
/// check's deadline, which leaves the page its own round trip within 15 s of Check; no single
/// wait is longer than a mail program's own patience (10 s).
#[test]
fn every_silence_ends_within_the_time_budget() {
    let budget = crate::wire::CHECK_DEADLINE_MS;
    assert!(
        budget + 3_000 <= 15_000,
        "{budget} ms leaves the page no room"
    );
    let c = config();
    for wait in [
        c.resolve_timeout_ms,
        c.connect_timeout_ms,
        c.greeting_timeout_ms,
        c.reply_timeout_ms,
    ] {
        assert!(wait <= 10_000, "{wait} ms");
    }
    // Resolving and a dropped SYN together still end with the connect step's own outcome.
    assert!(c.resolve_timeout_ms + c.connect_timeout_ms < budget);

    let silences = [
        ("syn dropped", u64::MAX / 2, vec![]),
        ("never greets", 5, vec![(60_000, Peer::Silent)]),
        (
            "late connect, never greets",
            7_990,
            vec![(60_000, Peer::Silent)],
        ),
        (
            "greets late, then silent",
            5,
            vec![(9_990, Peer::Says(GREETING)), (60_000, Peer::Silent)],
        ),
        (
            "slow at every step",
            7_990,
            vec![
                (9_990, Peer::Says(GREETING)),
                (7_990, Peer::Says(EHLO_OK)),
                (60_000, Peer::Silent),
            ],
        ),
    ];
    for (name, connect_ms, turns) in silences {
        let script = Script {
            resolve: None,
            connect: Ok(connect_ms),
            turns,
        };
        let (report, _) = run(ADDRESS, script);
        assert!(
            report.total_ms <= budget && report.outcome.at_ms <= budget,
            "{name}: ended after {} ms ({})",
            report.total_ms,
            kind(&report)
        );
        assert!(!report.outcome.kind.is_success(), "{name}");
    }
}
