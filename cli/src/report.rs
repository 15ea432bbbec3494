//! The readable report: the same sentences as the page (`shared/data/text.*.json`), the
//! diagnosis of what was seen, then the block the page reads back as this machine's check.

use std::fmt::Write;

use sendcheck::diagnosis::{diagnose, outside_probes, seconds, Confidence, Observations};
use sendcheck::inside::native_block;
use sendcheck::knowledge::{Knowledge, Lang, Message};
use sendcheck::wire::CheckReport;

/// Findings shown at most: the page ranks them too, and the first few carry the answer.
const MAX_FINDINGS: usize = 3;

/// The whole report as text, in `lang`.
pub fn readable(report: &CheckReport, lang: Lang) -> String {
    let knowledge = Knowledge::builtin();
    let texts = knowledge.texts();
    let say = |message: &Message| texts.render(lang, message);
    let mut out = String::new();
    let heading = Message::new("cli.heading")
        .with("host", &report.host)
        .with("at", report.started_at_unix_ms)
        .with("seconds", seconds(report.total_ms));
    let _ = writeln!(out, "{}", say(&heading));
    let _ = writeln!(out, "{}\n", say(&Message::new("cli.vantage")));

    let checks = std::slice::from_ref(report);
    for probe in outside_probes(checks) {
        let probed = probe.report;
        let _ = writeln!(out, "  {}", say(&probe.outcome_evidence().fact));
        if let Some(tls) = &probed.tls {
            if let Some(leaf) = tls.chain.first() {
                let line = Message::new("cli.tls")
                    .with("port", probe.port())
                    .with("version", &tls.version)
                    .with("subject", &leaf.subject)
                    .with("issuer", &leaf.issuer);
                let _ = writeln!(out, "    {}", say(&line));
            }
            if !tls.verification.is_verified() {
                let line = Message::new("cli.tls.unverified").with("port", probe.port());
                let _ = writeln!(out, "    {}", say(&line));
            }
        }
    }

    let observations = Observations {
        outside: vec![report.clone()],
        ..Observations::default()
    };
    let diagnosis = diagnose(&observations, knowledge);
    let sure: Vec<_> = diagnosis
        .findings
        .iter()
        .filter(|f| f.confidence > Confidence::Low)
        .take(MAX_FINDINGS)
        .collect();
    if !sure.is_empty() {
        let _ = writeln!(out, "\n{}", say(&Message::new("cli.findings")));
    }
    for finding in sure {
        let _ = writeln!(out, "  • {}", say(&finding.title()));
        let _ = writeln!(out, "    {}", say(&finding.summary));
        if !finding.fixes.is_empty() {
            let _ = writeln!(out, "    {}", say(&Message::new("cli.fixes")));
        }
        for fix in &finding.fixes {
            let _ = writeln!(out, "    - {}", say(&fix.action));
        }
    }

    let _ = writeln!(out, "\n{}", say(&Message::new("cli.paste")));
    out.push_str(&native_block(report));
    out
}
