//! Real SMTP replies replayed through the engine and the diagnosis (issue 9).
//!
//! ```text
//!  corpus/*.json ─▶ Entry { step, port, security, reply, expect }
//!        │ Script: normal replies before, the entry's reply at its step
//!        ▼
//!  ScriptedServer (real TLS after STARTTLS / on 465) ◀──▶ Probe ─▶ ProbeReport
//!        ▼
//!  Observations { one CheckReport, configured = the entry's port and security }
//!        ▼ diagnose(Knowledge::builtin())
//!  outcome name + top cause  ==  expect ?   ──▶ every mismatch listed (a worklist), and
//!                                              written to replay-failures.txt
//! ```
//!
//! The expectations say what is TRUE for the person, not what the rules say today: a failing
//! entry is a rule to fix, never an expectation to weaken.

#[path = "replay/corpus.rs"]
mod corpus;
#[path = "replay/server.rs"]
mod server;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sendcheck::diagnosis::{diagnose, ClientSettings, Observations, PersonAnswers};
use sendcheck::knowledge::Knowledge;
use sendcheck::target::{MailPort, Security};
use sendcheck::wire::{CheckReport, OutcomeKind, PortResult, ProbeReport, Vantage};

use corpus::{CorpusStep, Entry};
use server::{Pki, ScriptedServer, MAIL_HOST};

/// The causes of issue 9's contract: the ones `Cause` has and the ones being added.
const CAUSES: &[&str] = &[
    "op25b",
    "no_submission_port",
    "credentials_rejected",
    "auth_not_used",
    "auth_not_offered",
    "starttls_broken",
    "certificate_problem",
    "wrong_security_pairing",
    "host_not_found",
    "server_down",
    "server_unstable",
    "tls_interception",
    "basic_auth_retired",
    "message_rejected",
    "all_clear_outside",
    "address_refused",
    "client_limit",
    "auth_temporary",
    "login_locked",
    "smtp_auth_disabled",
    "encryption_required",
    "auth_mechanism_unsupported",
    "login_refused_abroad",
    "old_tls_refused",
    "unrecognised_reply",
];

/// What the engine and the diagnosis made of one entry.
struct Actual {
    outcome: String,
    cause: Option<String>,
}

fn replay(entry: &Entry, pki: &Pki) -> Actual {
    let port = entry.mail_port().unwrap_or(MailPort::SUBMISSION);
    let implicit = entry.server_implicit_tls();
    let mut server = ScriptedServer::new(pki.server.clone(), entry.script(), implicit);
    let report = server::probe(
        &mut server,
        &pki.root_der,
        port,
        entry.security,
        entry.logs_in(),
    );
    let sent_mail = server.received.iter().any(|l| {
        let verb = l.split([' ', ':']).next().unwrap_or_default();
        ["MAIL", "RCPT", "DATA"]
            .iter()
            .any(|v| verb.eq_ignore_ascii_case(v))
    });
    assert!(
        !sent_mail,
        "{}: the probe sent mail: {:?}",
        entry.id, server.received
    );
    let observations = observations(entry, report.clone());
    let diagnosis = diagnose(&observations, Knowledge::builtin());
    Actual {
        outcome: report.outcome.kind.name().to_owned(),
        cause: diagnosis.top().map(|f| f.cause.name().to_owned()),
    }
}

/// One check of one port from sendcheck's side, and the person's settings naming that port.
fn observations(entry: &Entry, report: ProbeReport) -> Observations {
    let check = CheckReport {
        version: 1,
        host: MAIL_HOST.to_owned(),
        vantage: Vantage {
            kind: "native".to_owned(),
            colo: None,
        },
        started_at_unix_ms: 1_780_000_000_000,
        total_ms: report.total_ms,
        ports: vec![PortResult::Probed {
            report: Box::new(report),
        }],
        seal: None,
    };
    Observations {
        outside: vec![check],
        answers: PersonAnswers {
            configured: Some(ClientSettings {
                host: MAIL_HOST.to_owned(),
                port: entry.port,
                security: Some(entry.security),
                username_given: entry.login_configured,
            }),
            error_text: entry.pasted_text(),
            client: entry.client,
            ..PersonAnswers::default()
        },
        ..Observations::default()
    }
}

#[test]
fn every_corpus_reply_gets_its_true_outcome_and_cause() {
    let entries = corpus::load();
    let pki = Pki::new();
    let mut failures = String::new();
    let mut failing = 0;
    for entry in &entries {
        let actual = replay(entry, &pki);
        let expected = &entry.expect;
        if actual.outcome != expected.outcome || actual.cause != expected.cause {
            failing += 1;
            let _ = writeln!(
                failures,
                "{}\texpected {} / {}\tactual {} / {}\t{}",
                entry.id,
                expected.outcome,
                expected.cause.as_deref().unwrap_or("-"),
                actual.outcome,
                actual.cause.as_deref().unwrap_or("-"),
                entry.reply.join(" | "),
            );
        }
    }
    let header = format!(
        "# replay: {failing} of {} corpus entries differ (id, expected outcome / cause, actual, reply)\n",
        entries.len()
    );
    write_worklist(&format!("{header}{failures}"));
    assert!(failing == 0, "{header}{failures}");
}

/// The failing entries, for whoever fixes the rules: beside the build, and where
/// `SENDCHECK_REPLAY_FAILURES` points.
fn write_worklist(text: &str) {
    let beside = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("replay-failures.txt");
    let mut paths = vec![beside];
    if let Some(path) = std::env::var_os("SENDCHECK_REPLAY_FAILURES") {
        paths.push(path.into());
    }
    for path in paths {
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("could not write {}: {e}", path.display());
        }
    }
}

#[test]
fn every_entry_is_well_formed_and_cited() {
    let entries = corpus::load();
    let mut ids = BTreeSet::new();
    for entry in &entries {
        let id = &entry.id;
        assert!(ids.insert(id.clone()), "{id} appears twice");
        assert!(
            entry.source.starts_with("https://")
                || entry.source.starts_with("http://")
                || entry.source.contains('@'),
            "{id}: source must be a URL or owner/repo@path: {}",
            entry.source
        );
        assert!(!entry.server.trim().is_empty(), "{id}: no server named");
        assert!(
            entry.note.as_deref().is_none_or(|n| !n.trim().is_empty()),
            "{id}: an empty note"
        );
        assert!(entry.mail_port().is_some(), "{id}: port {}", entry.port);
        assert!(!entry.reply.is_empty(), "{id}: no reply");
        for line in &entry.reply {
            assert!(
                !line.contains('\r') && !line.contains('\n'),
                "{id}: a reply line carries its own line end"
            );
            let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
            assert!(
                code.is_some_and(|c| (200..600).contains(&c)),
                "{id}: {line:?} has no reply code"
            );
        }
        assert!(
            OutcomeKind::NAMES.contains(&entry.expect.outcome.as_str()),
            "{id}: unknown outcome {}",
            entry.expect.outcome
        );
        if let Some(cause) = &entry.expect.cause {
            assert!(
                CAUSES.contains(&cause.as_str()),
                "{id}: unknown cause {cause}"
            );
        }
        if entry.logs_in() {
            assert_ne!(
                entry.security,
                Security::None,
                "{id}: the probe logs in only inside TLS"
            );
        }
        if entry.step == CorpusStep::Pasted {
            assert_eq!(
                entry.expect.outcome, "completed",
                "{id}: pasted beside a working probe"
            );
        }
    }
}

#[test]
fn the_corpus_document_lists_every_entry() {
    let document = include_str!("../../docs/CORPUS.md");
    let missing: Vec<_> = corpus::load()
        .into_iter()
        .map(|e| e.id)
        .filter(|id| !document.contains(&format!("`{id}`")))
        .collect();
    assert!(missing.is_empty(), "docs/CORPUS.md lacks {missing:?}");
}
