//! Small constructors of outside probe reports, checks and cases for the rules' tests and the
//! scenario tests. Reports are built the way the engine builds them: greeting, EHLO, STARTTLS
//! or TLS, EHLO again, optionally AUTH, each step with its timing.

use crate::diagnosis::{
    ClientSettings, LocalCheck, LocalResult, MailClient, NetworkIdentity, Observations,
};
use crate::smtp::{Capabilities, Reply, ReplyCode};
use crate::target::Security;
use crate::wire::{
    AuthAttempt, AuthReport, CertificateProblem, CertificateSummary, CheckReport, NotTestedReason,
    Outcome, OutcomeKind, PortResult, ProbeReport, Step, StepRecord, StepStatus, TargetSummary,
    TlsReport, Vantage, Verification,
};

pub const HOST: &str = "mail.example.jp";
/// 2026-11-02 00:00:00 UTC.
pub const T0: u64 = 1_793_577_600_000;

pub fn reply(code: u16, lines: &[&str]) -> Reply {
    Reply::new(
        ReplyCode::new(code).unwrap_or(ReplyCode::OK),
        lines.iter().map(|l| (*l).to_owned()).collect(),
    )
}

fn caps(extensions: &[&str]) -> Capabilities {
    let mut lines = vec![HOST];
    lines.extend_from_slice(extensions);
    Capabilities::from_reply(&reply(250, &lines))
}

pub fn leaf(issuer: &str, sha: char) -> CertificateSummary {
    CertificateSummary {
        subject: format!("CN={HOST}"),
        issuer: issuer.to_owned(),
        sans: vec![HOST.to_owned()],
        not_before_unix: 1_780_000_000,
        not_after_unix: 1_800_000_000,
        key: "ECDSA P-256".to_owned(),
        sha256: sha.to_string().repeat(64),
        self_signed: false,
    }
}

pub const PUBLIC_ISSUER: &str = "CN=R11, O=Let's Encrypt, C=US";

fn tls(verification: Verification) -> TlsReport {
    TlsReport {
        version: "TLS 1.3".to_owned(),
        cipher_suite: "TLS13_AES_128_GCM_SHA256".to_owned(),
        alpn: None,
        chain: vec![leaf(PUBLIC_ISSUER, 'a')],
        verification,
    }
}

fn step(step: Step, started_ms: u64, duration_ms: u64, ok: bool) -> StepRecord {
    StepRecord {
        step,
        started_ms,
        duration_ms,
        round_trips: 1,
        status: if ok {
            StepStatus::Ok
        } else {
            StepStatus::Failed
        },
    }
}

/// A probe that ran the whole dialogue for its port's usual security: 587 STARTTLS + AUTH,
/// 465 TLS + AUTH, 25 STARTTLS without AUTH (a relay port), all certificates valid.
pub fn completed(port: u16, started: u64) -> ProbeReport {
    let security = match port {
        465 => Security::Tls,
        _ => Security::Starttls,
    };
    let auth = if port == 25 {
        "8BITMIME"
    } else {
        "AUTH PLAIN LOGIN"
    };
    let mut r = base(
        port,
        security,
        started,
        OutcomeKind::Completed,
        Step::Quit,
        300,
    );
    r.greeting = Some(reply(220, &[&format!("{HOST} ESMTP Postfix")]));
    r.steps = vec![
        step(Step::Connect, 0, 20, true),
        step(Step::Greeting, 20, 40, true),
    ];
    if security == Security::Tls {
        r.steps.push(step(Step::TlsHandshake, 20, 60, true));
        r.capabilities_after_tls = Some(caps(&["PIPELINING", auth]));
    } else {
        r.capabilities = Some(caps(&["PIPELINING", "STARTTLS"]));
        r.capabilities_after_tls = Some(caps(&["PIPELINING", auth]));
        r.steps.push(step(Step::Ehlo, 60, 20, true));
        r.steps.push(step(Step::StartTls, 80, 20, true));
        r.steps.push(step(Step::TlsHandshake, 100, 60, true));
    }
    r.steps.push(step(Step::EhloAfterTls, 160, 20, true));
    r.steps.push(step(Step::Quit, 280, 20, true));
    r.tls = Some(tls(Verification::Verified));
    r.auth = Some(AuthReport {
        offered_before_tls: Vec::new(),
        offered_after_tls: Some(if port == 25 {
            Vec::new()
        } else {
            vec!["PLAIN".into(), "LOGIN".into()]
        }),
        attempt: None,
        skipped: None,
    });
    r
}

/// A probe that ended with `kind` at `step`, `at_ms` after it started.
pub fn failed(port: u16, started: u64, kind: OutcomeKind, step_: Step, at_ms: u64) -> ProbeReport {
    let security = if port == 465 {
        Security::Tls
    } else {
        Security::Starttls
    };
    let mut r = base(port, security, started, kind, step_, at_ms);
    r.steps = vec![step(
        step_,
        at_ms.saturating_sub(at_ms / 2),
        at_ms / 2,
        false,
    )];
    r
}

/// A completed probe whose greeting took `greeting_ms`.
pub fn slow(port: u16, started: u64, greeting_ms: u64) -> ProbeReport {
    let mut r = completed(port, started);
    if let Some(g) = r.steps.iter_mut().find(|s| s.step == Step::Greeting) {
        g.duration_ms = greeting_ms;
    }
    r
}

/// A completed submission probe whose login was refused with `code enhanced text`.
pub fn login_refused(port: u16, started: u64, line: &str, code: u16) -> ProbeReport {
    let mut r = completed(port, started);
    let refused = reply(code, &[line]);
    r.outcome = Outcome {
        kind: OutcomeKind::AuthRejected {
            reply: refused.clone(),
        },
        step: Step::Auth,
        at_ms: 250,
    };
    r.steps.push(step(Step::Auth, 180, 70, false));
    if let Some(auth) = &mut r.auth {
        auth.attempt = Some(AuthAttempt {
            mechanism: "PLAIN".into(),
            accepted: false,
            reply: refused,
        });
    }
    r
}

/// A completed probe whose certificate fails with `problems`.
pub fn bad_certificate(port: u16, started: u64, problems: Vec<CertificateProblem>) -> ProbeReport {
    let mut r = completed(port, started);
    r.tls = Some(tls(Verification::Failed { problems }));
    r
}

fn base(
    port: u16,
    security: Security,
    started: u64,
    kind: OutcomeKind,
    step: Step,
    at_ms: u64,
) -> ProbeReport {
    ProbeReport {
        version: 1,
        target: TargetSummary {
            host: HOST.to_owned(),
            port,
            security,
        },
        address: Some("192.0.2.25".to_owned()),
        started_at_unix_ms: started,
        outcome: Outcome { kind, step, at_ms },
        greeting: None,
        capabilities: None,
        capabilities_after_tls: None,
        tls: None,
        auth: None,
        steps: Vec::new(),
        transcript: Vec::new(),
        total_ms: at_ms,
    }
}

pub fn probed(report: ProbeReport) -> PortResult {
    PortResult::Probed {
        report: Box::new(report),
    }
}

/// Port 25 at Cloudflare's edge.
pub fn untestable_25() -> PortResult {
    PortResult::NotTested {
        port: 25,
        security: Security::Starttls,
        reason: NotTestedReason::Port25UnavailableAtVantage,
    }
}

pub fn check(started: u64, ports: Vec<PortResult>) -> CheckReport {
    CheckReport {
        version: 1,
        host: HOST.to_owned(),
        vantage: Vantage {
            kind: "cloudflare".to_owned(),
            colo: Some("NRT".to_owned()),
        },
        started_at_unix_ms: started,
        total_ms: 400,
        ports,
        seal: None,
    }
}

/// The usual healthy server seen from the edge: 587 and 465 fine, 25 not testable.
/// A live server whose submission ports are closed: 587 and 465 refused, 25 answers.
pub fn submission_closed(started: u64) -> CheckReport {
    let refused = |port| {
        probed(failed(
            port,
            started,
            OutcomeKind::ConnectionRefused,
            Step::Connect,
            30,
        ))
    };
    check(
        started,
        vec![refused(587), refused(465), probed(completed(25, started))],
    )
}

pub fn healthy_from_edge(started: u64) -> CheckReport {
    check(
        started,
        vec![
            probed(completed(587, started)),
            probed(completed(465, started)),
            untestable_25(),
        ],
    )
}

pub fn settings(port: u16, security: Option<Security>) -> ClientSettings {
    ClientSettings {
        host: HOST.to_owned(),
        port,
        security,
        username_given: true,
    }
}

pub fn local(port: u16, security: Option<Security>, result: LocalResult) -> LocalCheck {
    LocalCheck {
        host: Some(HOST.to_owned()),
        port,
        security,
        result,
        tool: None,
    }
}

pub fn network(asn: Option<u32>, org: &str) -> NetworkIdentity {
    NetworkIdentity {
        asn,
        as_org: Some(org.to_owned()),
        country: Some("JP".to_owned()),
    }
}

/// A case with the given outside checks and the person's client sending on `port`.
pub fn case(
    outside: Vec<CheckReport>,
    client: MailClient,
    configured: ClientSettings,
) -> Observations {
    let mut obs = Observations {
        version: 1,
        outside,
        ..Observations::default()
    };
    obs.answers.client = Some(client);
    obs.answers.configured = Some(configured);
    obs
}

/// Runs one rule on a case with the built-in knowledge.
pub fn apply(
    rule: fn(&crate::diagnosis::case::Case) -> Option<crate::diagnosis::Finding>,
    obs: &Observations,
) -> Option<crate::diagnosis::Finding> {
    let knowledge = crate::knowledge::Knowledge::builtin();
    let found = rule(&crate::diagnosis::case::Case::new(obs, knowledge));
    // No rule may read meaning into the order of the ports in a report.
    let mut reversed = obs.clone();
    for check in &mut reversed.outside {
        check.ports.reverse();
    }
    assert_eq!(
        rule(&crate::diagnosis::case::Case::new(&reversed, knowledge)),
        found,
        "the finding changed when only the order of the ports did"
    );
    found
}
