//! Which of the sections that sharpen the verdict (the questions, the check from the person's
//! own computer) open by themselves under a first verdict: only when the verdict needs them.
//! A clear, confident finding leaves them folded, so the result stays short.

use sendcheck::wire::{CheckReport, PortResult};

use crate::verdict::VerdictView;

/// The outside check alone cannot settle it: nothing found, "fine from outside" (the cause is
/// on the person's side), an unsure finding, or a port sendcheck could not test.
pub fn needs_sharpening(verdict: Option<&VerdictView>, report: &CheckReport) -> bool {
    let untested = report
        .ports
        .iter()
        .any(|p| matches!(p, PortResult::NotTested { .. }));
    let unsure = match verdict.and_then(|v| v.findings.first()) {
        None => true,
        Some(top) => {
            matches!(top.cause, "all_clear_outside" | "unknown") || top.confidence != "high"
        }
    };
    untested || unsure
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::FindingView;

    fn report(not_tested: bool) -> CheckReport {
        let extra = if not_tested {
            r#",{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}"#
        } else {
            ""
        };
        serde_json::from_str(&format!(
            r#"{{"version":1,"host":"h","started_at_unix_ms":0,"total_ms":3,"ports":[
            {{"status":"probed","report":{{"version":1,
             "target":{{"host":"h","port":587,"security":"starttls"}},"started_at_unix_ms":0,
             "outcome":{{"kind":"connection_refused","step":"connect","at_ms":3}},
             "steps":[],"transcript":[],"total_ms":3}}}}{extra}]}}"#
        ))
        .expect("report")
    }

    fn verdict(cause: &'static str, confidence: &'static str) -> VerdictView {
        VerdictView {
            findings: vec![FindingView {
                cause,
                confidence,
                confidence_words: "",
                title: String::new(),
                summary: String::new(),
                evidence_for: vec![],
                evidence_against: vec![],
                person_fixes: vec![],
                other_fixes: vec![],
            }],
            decoded: None,
        }
    }

    #[test]
    fn only_a_verdict_that_needs_more_opens_the_sections() {
        let sure = verdict("server_down", "high");
        assert!(!needs_sharpening(Some(&sure), &report(false)));
        assert!(
            needs_sharpening(Some(&sure), &report(true)),
            "port 25 untested"
        );
        assert!(needs_sharpening(
            Some(&verdict("all_clear_outside", "high")),
            &report(false)
        ));
        assert!(needs_sharpening(
            Some(&verdict("server_down", "medium")),
            &report(false)
        ));
        assert!(needs_sharpening(None, &report(false)));
        let nothing = VerdictView {
            findings: vec![],
            decoded: None,
        };
        assert!(needs_sharpening(Some(&nothing), &report(false)));
    }
}
