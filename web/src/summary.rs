//! "Copy a summary": the result as a few lines of plain text for an e-mail or a support
//! ticket, in the person's language: the verdict, what to do, each port in one line with its
//! time, what the person's own computer saw, a note for the server's administrator, and the
//! share link when one was made. Pure, so the exact text is tested natively.

use sendcheck::diagnosis::{LocalCheck, LocalResult};
use sendcheck::knowledge::detail_words;
use sendcheck::wire::{CheckReport, PortResult};

use crate::explain;
use crate::i18n::{fill, Lang};
use crate::library::text_lang;
use crate::share_link::vantage;
use crate::verdict::{FixView, VerdictView};
use crate::when::local_time;

/// The whole summary; `verdict` is `None` while the diagnosis is not ready.
pub fn summary_text(
    report: &CheckReport,
    verdict: Option<&VerdictView>,
    local_checks: &[LocalCheck],
    link: Option<&str>,
    lang: Lang,
) -> String {
    let texts = lang.texts();
    let t = lang.flow_texts();
    let mut lines = vec![
        fill(t.summary_title, &[("host", &report.host)]),
        fill(
            t.summary_checked,
            &[
                ("time", &local_time(report.started_at_unix_ms, lang)),
                ("vantage", &vantage(&report.vantage, lang)),
            ],
        ),
        String::new(),
    ];
    match verdict.and_then(|v| v.findings.first()) {
        Some(top) => {
            lines.push(fill(t.summary_verdict, &[("title", &top.title)]));
            lines.push(top.summary.clone());
            if !top.person_fixes.is_empty() {
                lines.push(t.summary_todo.to_owned());
                for (i, fix) in top.person_fixes.iter().enumerate() {
                    lines.push(format!("{}. {}", i + 1, fix.action));
                    lines.extend(settings_line(fix, lang));
                }
            }
        }
        None => lines.push(t.summary_no_verdict.to_owned()),
    }
    lines.push(String::new());
    lines.push(t.summary_ports.to_owned());
    for port in &report.ports {
        lines.push(match port {
            PortResult::Probed { report } => fill(
                t.summary_port_line,
                &[
                    ("port", &report.target.port.to_string()),
                    ("security", texts.security(report.target.security)),
                    ("result", &explain::outcome(report, lang).headline),
                    ("time", &texts.ms(report.total_ms)),
                ],
            ),
            PortResult::NotTested { port, security, .. } => fill(
                t.summary_port_not_tested,
                &[
                    ("port", &port.to_string()),
                    ("security", texts.security(*security)),
                ],
            ),
            _ => continue,
        });
    }
    for check in local_checks {
        lines.push(fill(
            t.summary_local_line,
            &[
                ("port", &check.port.to_string()),
                ("result", &local_words(check, lang)),
                ("tool", check.tool.as_deref().unwrap_or("-")),
            ],
        ));
    }
    let admin: Vec<&FixView> = verdict
        .and_then(|v| v.findings.first())
        .map(|top| {
            top.other_fixes
                .iter()
                .filter(|f| f.audience == "server_admin")
                .collect()
        })
        .unwrap_or_default();
    if !admin.is_empty() {
        lines.push(String::new());
        lines.push(t.summary_admin.to_owned());
        lines.extend(admin.iter().map(|fix| format!("- {}", fix.action)));
    }
    if let Some(link) = link {
        lines.push(String::new());
        lines.push(fill(t.summary_link, &[("link", link)]));
    }
    lines.join("\n")
}

fn settings_line(fix: &FixView, lang: Lang) -> Option<String> {
    let s = fix.settings.as_ref()?;
    Some(format!(
        "   {}",
        fill(
            lang.flow_texts().summary_settings,
            &[
                ("host", &s.host),
                ("port", &s.port.to_string()),
                ("security", lang.texts().security(s.security)),
            ],
        )
    ))
}

/// What the person's computer saw on one port, in words.
pub fn local_words(check: &LocalCheck, lang: Lang) -> String {
    let words = lang.texts().local.result(check.result.name());
    match &check.result {
        LocalResult::TlsOk { issuer, .. } => fill(words, &[("issuer", issuer)]),
        LocalResult::TlsFailed { detail } => {
            fill(words, &[("detail", &detail_words(text_lang(lang), detail))])
        }
        LocalResult::TlsCertificateInvalid { issuer, detail, .. } => fill(
            words,
            &[
                ("issuer", issuer),
                ("detail", &detail_words(text_lang(lang), detail)),
            ],
        ),
        _ => words.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use sendcheck::target::Security;

    use super::*;
    use crate::verdict::{FindingView, SettingsView};

    fn report() -> CheckReport {
        serde_json::from_str(
            r#"{"version":1,"host":"mail.example.jp","vantage":{"kind":"edge","colo":"NRT"},
            "started_at_unix_ms":1764000000000,"total_ms":80,"ports":[
            {"status":"probed","report":{"version":1,
             "target":{"host":"mail.example.jp","port":587,"security":"starttls"},
             "started_at_unix_ms":1764000000000,
             "outcome":{"kind":"completed","step":"quit","at_ms":42},
             "steps":[],"transcript":[],"total_ms":42}},
            {"status":"not_tested","port":25,"security":"starttls",
             "reason":"port25_unavailable_at_vantage"}]}"#,
        )
        .expect("report")
    }

    fn fix(audience: &'static str, action: &str, settings: Option<SettingsView>) -> FixView {
        FixView {
            audience,
            audience_words: "",
            action: action.to_owned(),
            settings,
            guide: vec!["Open Tools → Account Settings".to_owned()],
        }
    }

    fn verdict() -> VerdictView {
        VerdictView {
            findings: vec![FindingView {
                cause: "op25b",
                confidence: "high",
                confidence_words: "very likely",
                title: "Your network blocks port 25".to_owned(),
                summary: "Your provider blocks outgoing port 25.".to_owned(),
                evidence_for: vec![],
                evidence_against: vec![],
                person_fixes: vec![fix(
                    "person",
                    "Send through port 587.",
                    Some(SettingsView {
                        host: "mail.example.jp".to_owned(),
                        port: 587,
                        security: Security::Starttls,
                        authentication: true,
                    }),
                )],
                other_fixes: vec![
                    fix("server_admin", "Offer port 587 with STARTTLS.", None),
                    fix("provider", "Nothing to change.", None),
                ],
            }],
            decoded: None,
        }
    }

    #[test]
    fn the_summary_reads_top_down_in_plain_text() {
        let local = [LocalCheck {
            host: None,
            port: 25,
            security: None,
            result: LocalResult::TimedOut,
            tool: Some("nc".to_owned()),
        }];
        let text = summary_text(
            &report(),
            Some(&verdict()),
            &local,
            Some("https://sendcheck.example/#r=1.x"),
            Lang::En,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "sendcheck result for the mail server mail.example.jp"
        );
        assert_eq!(
            lines[1],
            "Checked 2025-11-24 16:00:00 UTC from Cloudflare's network (data centre NRT)."
        );
        assert_eq!(lines[3], "Verdict: Your network blocks port 25");
        assert_eq!(lines[5], "What to do:");
        assert_eq!(lines[6], "1. Send through port 587.");
        assert_eq!(
            lines[7],
            "   Settings: server mail.example.jp, port 587, security STARTTLS"
        );
        assert_eq!(lines[9], "Each port, as seen from the internet:");
        assert!(
            lines[10].starts_with("- port 587 (STARTTLS): ") && lines[10].ends_with("(42 ms)"),
            "{}",
            lines[10]
        );
        assert_eq!(
            lines[11],
            "- port 25 (STARTTLS): not tested from sendcheck's servers"
        );
        assert!(
            lines[12].starts_with("- from my computer, port 25: "),
            "{}",
            lines[12]
        );
        assert!(lines[12].ends_with("(nc)"), "{}", lines[12]);
        assert_eq!(lines[14], "For the server's administrator:");
        assert_eq!(lines[15], "- Offer port 587 with STARTTLS.");
        assert!(
            !text.contains("Nothing to change"),
            "only the administrator's note"
        );
        assert_eq!(
            lines.last().copied(),
            Some("Full result: https://sendcheck.example/#r=1.x")
        );
        assert!(
            !text.contains("Tools → Account Settings"),
            "no client steps"
        );
    }

    #[test]
    fn without_a_verdict_or_a_link_it_still_lists_the_ports_in_the_chosen_language() {
        let text = summary_text(&report(), None, &[], None, Lang::Ja);
        assert!(
            text.starts_with("メールサーバー mail.example.jp の sendcheck の結果"),
            "{text}"
        );
        assert!(text.contains("診断はまだありません。"), "{text}");
        assert!(
            text.contains("- 25番ポート（STARTTLS）: sendcheck のサーバーからは調べていません"),
            "{text}"
        );
        assert!(!text.contains("結果の全文"), "{text}");
        assert!(!text.contains("管理者"), "{text}");
    }
}
