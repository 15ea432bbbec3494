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
use sendcheck::wire::{CheckReport, Direction, OutcomeKind, PortResult, ProbeReport, Vantage};

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

/// The worklist's columns, tab-separated like its lines.
const COLUMNS: &str = "# id\texpected outcome / cause\tactual outcome / cause\treply\tnote";

/// What the engine and the diagnosis made of one entry.
struct Actual {
    outcome: String,
    cause: Option<String>,
    /// Every line of the entry's reply is in the probe's transcript: the replay really put
    /// it before the engine (a mismatch otherwise says nothing about the rules).
    reached: bool,
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
    let heard: Vec<&str> = report
        .transcript
        .iter()
        .filter(|l| l.direction == Direction::Server)
        .map(|l| l.text.as_str())
        .collect();
    // A plain greeting where TLS was expected is kept as the outcome's excerpt instead.
    let excerpt = match &report.outcome.kind {
        OutcomeKind::PlaintextInsteadOfTls { excerpt } => excerpt.as_str(),
        _ => "",
    };
    let reached = entry.step == CorpusStep::Pasted
        || entry
            .reply
            .iter()
            .all(|line| heard.contains(&line.as_str()) || excerpt.contains(line.as_str()));
    let observations = observations(entry, report.clone());
    let diagnosis = diagnose(&observations, Knowledge::builtin());
    Actual {
        outcome: report.outcome.kind.name().to_owned(),
        cause: diagnosis.top().map(|f| f.cause.name().to_owned()),
        reached,
    }
}

/// One check of one port from sendcheck's side, and the person's settings naming that port.
/// The vantage is the lab's worker (`local`): outside the person's network like the edge, and
/// able to reach port 25, which the edge is not.
fn observations(entry: &Entry, report: ProbeReport) -> Observations {
    let check = CheckReport {
        version: 1,
        host: MAIL_HOST.to_owned(),
        vantage: Vantage {
            kind: "local".to_owned(),
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
        if actual.outcome != expected.outcome || actual.cause != expected.cause || !actual.reached {
            failing += 1;
            let _ = writeln!(
                failures,
                "{}\texpected {} / {}\tactual {} / {}{}\t{}\t{}",
                entry.id,
                expected.outcome,
                expected.cause.as_deref().unwrap_or("-"),
                actual.outcome,
                actual.cause.as_deref().unwrap_or("-"),
                if actual.reached {
                    ""
                } else {
                    " (reply not in the transcript)"
                },
                entry.reply.join(" | "),
                entry.note.as_deref().unwrap_or(""),
            );
        }
    }
    let total = entries.len();
    let header = format!("# replay: {failing} of {total} corpus entries differ\n{COLUMNS}\n");
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
fn every_corpus_file_is_replayed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("shared/tests/corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let compiled_in: BTreeSet<String> = corpus::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        on_disk, compiled_in,
        "corpus::FILES must name every corpus file"
    );
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
