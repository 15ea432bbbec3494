//! What the person has seen of the verdict during one check, so the page can tell a first
//! verdict (take the focus there) from a changed one (bring it into view, mark "was: … now: …",
//! announce it) and from a mere re-render (answering a question that changes nothing, a
//! language switch). Also decided once per check, by its first verdict: whether the step that
//! decides it (the check from the person's own computer) sits in the verdict card, and whether
//! the sections that sharpen it start unfolded — so nothing the person is working in moves away
//! when the verdict changes under it. Pure: tested natively.
//!
//! ```text
//!  (check number, VerdictView) ──observe──▶ Seen::First   → focus the verdict
//!                                          Seen::Changed → was: … now: …, scroll, focus, announce
//!                                          Seen::Same    → nothing moves
//! ```

use sendcheck::wire::{CheckReport, PortResult};

use crate::sharpen::needs_sharpening;
use crate::verdict::VerdictView;

/// The verdict the person has in front of them, as far as a change is concerned: the top
/// cause and how sure it is. Its title is kept in the words it was shown in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub cause: &'static str,
    pub confidence: &'static str,
    pub title: String,
    pub confidence_words: &'static str,
}

impl Shown {
    fn of(view: &VerdictView) -> Self {
        match view.findings.first() {
            Some(top) => Self {
                cause: top.cause,
                confidence: top.confidence,
                title: top.title.clone(),
                confidence_words: top.confidence_words,
            },
            None => Self {
                cause: "",
                confidence: "",
                title: String::new(),
                confidence_words: "",
            },
        }
    }

    fn same_verdict(&self, other: &Self) -> bool {
        self.cause == other.cause && self.confidence == other.confidence
    }
}

/// Why the verdict rests on the person's side, so the step that decides it belongs in the
/// verdict card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonSide {
    /// The configured port could not be tested from sendcheck's servers (port 25 at the edge).
    Untested { port: u16 },
    /// The server works from outside (or the likely cause is on the person's network): only
    /// their own computer tells.
    WorksOutside,
}

/// The causes whose proof is on the person's computer.
const PERSON_SIDE_CAUSES: [&str; 3] = ["all_clear_outside", "op25b", "tls_interception"];

/// Whether the first verdict of a check rests on the person's side, and why.
pub fn person_side(view: &VerdictView, report: &CheckReport) -> Option<PersonSide> {
    // The configured port is the first the check asked for (`check::ports_to_check`).
    if let Some(PortResult::NotTested { port, .. }) = report.ports.first() {
        return Some(PersonSide::Untested { port: *port });
    }
    let top = view.findings.first()?;
    PERSON_SIDE_CAUSES
        .contains(&top.cause)
        .then_some(PersonSide::WorksOutside)
}

/// What one look at the verdict found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The first verdict of this check.
    First,
    /// A different verdict than the one shown before, in the same check.
    Changed,
    /// The same verdict (perhaps in other words).
    Same,
}

/// The verdicts of the current check, as the person saw them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerdictTrail {
    check: Option<u32>,
    last: Option<Shown>,
    /// The verdict before the last change, while the change is the latest news.
    pub was: Option<Shown>,
    /// Counts firsts and changes: each one moves the focus once.
    pub moves: u32,
    /// Decided by the check's first verdict.
    pub step: Option<PersonSide>,
    /// Decided by the check's first verdict: the questions start unfolded.
    pub sharpen_open: bool,
}

impl VerdictTrail {
    /// Takes in the verdict shown for `check` (a render may look many times: only a new check
    /// or a different verdict counts).
    pub fn observe(&mut self, check: u32, view: &VerdictView, report: &CheckReport) -> Seen {
        let now = Shown::of(view);
        if self.check != Some(check) {
            *self = Self {
                check: Some(check),
                last: Some(now),
                was: None,
                moves: self.moves.wrapping_add(1),
                step: person_side(view, report),
                sharpen_open: needs_sharpening(Some(view), report),
            };
            return Seen::First;
        }
        match &self.last {
            Some(last) if last.same_verdict(&now) => {
                // The words may have changed language: the latest words stay.
                self.last = Some(now);
                Seen::Same
            }
            _ => {
                self.was = self.last.replace(now);
                self.moves = self.moves.wrapping_add(1);
                Seen::Changed
            }
        }
    }

    /// The verdict before the change, in the words of the current view when it is still one
    /// of its findings (the language may have changed since), else as it was shown.
    pub fn was_words(&self, view: &VerdictView) -> Option<(String, &'static str)> {
        let was = self.was.as_ref()?;
        let current = view
            .findings
            .iter()
            .find(|f| f.cause == was.cause && f.confidence == was.confidence);
        Some(match current {
            Some(f) => (f.title.clone(), f.confidence_words),
            None => (was.title.clone(), was.confidence_words),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::FindingView;

    fn view(cause: &'static str, confidence: &'static str, title: &str) -> VerdictView {
        VerdictView {
            findings: vec![FindingView {
                cause,
                confidence,
                confidence_words: confidence,
                title: title.into(),
                summary: String::new(),
                evidence_for: vec![],
                evidence_against: vec![],
                person_fixes: vec![],
                other_fixes: vec![],
            }],
            decoded: None,
        }
    }

    fn report(first_untested: bool) -> CheckReport {
        let port25 = r#"{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}"#;
        let port587 = r#"{"status":"probed","report":{"version":1,
             "target":{"host":"h","port":587,"security":"starttls"},"started_at_unix_ms":0,
             "outcome":{"kind":"completed","step":"quit","at_ms":3},
             "steps":[],"transcript":[],"total_ms":3}}"#;
        let ports = if first_untested {
            format!("{port25},{port587}")
        } else {
            format!("{port587},{port25}")
        };
        serde_json::from_str(&format!(
            r#"{{"version":1,"host":"h","started_at_unix_ms":0,"total_ms":3,"ports":[{ports}]}}"#
        ))
        .expect("report")
    }

    #[test]
    fn a_first_verdict_then_a_change_then_the_same_in_other_words() {
        let mut trail = VerdictTrail::default();
        let report = report(false);
        let clear = view("all_clear_outside", "medium", "Works from outside");
        assert_eq!(trail.observe(1, &clear, &report), Seen::First);
        assert_eq!(trail.moves, 1);
        assert_eq!(trail.step, Some(PersonSide::WorksOutside));
        assert!(trail.sharpen_open);
        // Re-renders change nothing.
        assert_eq!(trail.observe(1, &clear, &report), Seen::Same);
        assert_eq!(trail.moves, 1);
        assert!(trail.was.is_none());

        let op25b = view("op25b", "high", "Port 25 blocked");
        assert_eq!(trail.observe(1, &op25b, &report), Seen::Changed);
        assert_eq!(trail.moves, 2);
        assert_eq!(
            trail.was_words(&op25b),
            Some(("Works from outside".into(), "medium"))
        );
        // The placement of the step does not follow the verdict.
        assert_eq!(trail.step, Some(PersonSide::WorksOutside));

        // The same verdict in Japanese is no change.
        let ja = view("op25b", "high", "25番ポートの遮断");
        assert_eq!(trail.observe(1, &ja, &report), Seen::Same);
        assert_eq!(trail.moves, 2);
        // The same cause, surer now, is a change.
        let surer = view("op25b", "medium", "Port 25 blocked");
        assert_eq!(trail.observe(1, &surer, &report), Seen::Changed);
        assert_eq!(
            trail.was.as_ref().map(|w| w.title.as_str()),
            Some("25番ポートの遮断")
        );

        // A new check starts over: no "was".
        assert_eq!(trail.observe(2, &clear, &report), Seen::First);
        assert!(trail.was.is_none());
        assert_eq!(trail.moves, 4);
    }

    #[test]
    fn the_step_goes_in_the_card_only_when_the_person_s_side_decides() {
        let server = view("server_down", "high", "Down");
        assert_eq!(
            person_side(&server, &report(true)),
            Some(PersonSide::Untested { port: 25 })
        );
        assert_eq!(person_side(&server, &report(false)), None);
        for cause in PERSON_SIDE_CAUSES {
            assert_eq!(
                person_side(&view(cause, "high", ""), &report(false)),
                Some(PersonSide::WorksOutside)
            );
        }
        let nothing = VerdictView {
            findings: vec![],
            decoded: None,
        };
        assert_eq!(person_side(&nothing, &report(false)), None);
        let mut trail = VerdictTrail::default();
        assert_eq!(trail.observe(7, &nothing, &report(false)), Seen::First);
        assert_eq!(trail.was_words(&nothing), None);
    }
}
