//! One check: which ports it probes, and how far each has got while the worker's progress
//! events stream in. Pure, so the folding of events is tested natively.
//!
//! ```text
//!  form (port, security) ──ports_to_check──▶ [configured, 587 starttls, 465 tls, 25 starttls]
//!  ProgressEvent::Step{port} ──CheckProgress::apply──▶ that port's row: one more step done
//!  ProgressEvent::Port{result} ──────────────────────▶ that port's row: finished (outcome)
//! ```

use sendcheck::target::{MailPort, Security};
use sendcheck::wire::{
    CheckReport, PortResult, ProgressEvent, StepRecord, StepStatus, CHECK_DEADLINE_MS,
};

/// The ports every check probes besides the one configured: the submission ports first, then
/// port 25, so a port the person's network blocks is compared with the ones it may not.
pub const STANDARD_PORTS: [(MailPort, Security); 3] = [
    (MailPort::SUBMISSION, Security::Starttls),
    (MailPort::SUBMISSIONS, Security::Tls),
    (MailPort::SMTP, Security::Starttls),
];

/// The check's deadline in whole seconds, as the page shows it.
pub const DEADLINE_SECONDS: u64 = CHECK_DEADLINE_MS.div_ceil(1000);
// Whole seconds that cover the worker's deadline, never a second more.
const _: () = assert!(
    DEADLINE_SECONDS * 1000 >= CHECK_DEADLINE_MS
        && DEADLINE_SECONDS * 1000 < CHECK_DEADLINE_MS + 1000
);

/// The configured port and security first, then the standard ones on the other ports.
pub fn ports_to_check(port: MailPort, security: Security) -> Vec<(MailPort, Security)> {
    let mut ports = vec![(port, security)];
    for (standard, usual) in STANDARD_PORTS {
        if standard != port {
            ports.push((standard, usual));
        }
    }
    ports
}

/// How far every port of a running check has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckProgress {
    pub ports: Vec<PortProgress>,
    /// Progress events received so far (for the live region and the tests).
    pub events: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortProgress {
    pub port: u16,
    pub security: Security,
    /// The steps finished so far, in order.
    pub steps: Vec<StepRecord>,
    pub state: PortState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortState {
    /// No step finished yet (connecting, or waiting for the name).
    Waiting,
    /// Some steps finished; more to come.
    Running,
    /// The probe ended: the outcome's name, and whether it is a success.
    Finished {
        outcome: &'static str,
        success: bool,
    },
    /// Not probed from sendcheck's servers (port 25 at the edge).
    NotTested,
}

impl PortState {
    /// For `data-state`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Running => "running",
            Self::Finished { .. } => "finished",
            Self::NotTested => "not_tested",
        }
    }
}

impl CheckProgress {
    pub fn new(ports: &[(MailPort, Security)]) -> Self {
        Self {
            ports: ports
                .iter()
                .map(|(port, security)| PortProgress {
                    port: port.get(),
                    security: *security,
                    steps: Vec::new(),
                    state: PortState::Waiting,
                })
                .collect(),
            events: 0,
        }
    }

    /// The rows of a finished check, from its report: the same table the progress showed.
    pub fn from_report(report: &CheckReport) -> Self {
        let ports: Vec<(MailPort, Security)> = report
            .ports
            .iter()
            .filter_map(|result| {
                let security = match result {
                    PortResult::Probed { report } => report.target.security,
                    PortResult::NotTested { security, .. } => *security,
                    _ => return None,
                };
                Some((MailPort::new(result.port())?, security))
            })
            .collect();
        let mut progress = Self::new(&ports);
        for result in &report.ports {
            progress.apply(&ProgressEvent::Port {
                result: result.clone(),
            });
        }
        progress.events = 0;
        progress
    }

    /// Folds one event in. Events for ports this check did not ask for, and steps after a
    /// port finished, change nothing; `done` and `error` end the check and are handled by
    /// whoever reads the stream.
    pub fn apply(&mut self, event: &ProgressEvent) {
        match event {
            ProgressEvent::Step { port, step } => {
                if let Some(row) = self.row(*port) {
                    if !matches!(row.state, PortState::Finished { .. } | PortState::NotTested) {
                        row.steps.push(step.clone());
                        row.state = PortState::Running;
                    }
                }
            }
            ProgressEvent::Port { result } => {
                if let Some(row) = self.row(result.port()) {
                    row.state = match result {
                        PortResult::Probed { report } => {
                            // The final report has every step; the stream may have lost none,
                            // but the report is the record.
                            row.steps.clone_from(&report.steps);
                            PortState::Finished {
                                outcome: report.outcome.kind.name(),
                                success: report.outcome.kind.is_success(),
                            }
                        }
                        _ => PortState::NotTested,
                    };
                }
            }
            _ => {}
        }
        self.events = self.events.saturating_add(1);
    }

    /// How many ports have finished (tested or not).
    pub fn finished(&self) -> usize {
        self.ports
            .iter()
            .filter(|p| matches!(p.state, PortState::Finished { .. } | PortState::NotTested))
            .count()
    }

    fn row(&mut self, port: u16) -> Option<&mut PortProgress> {
        self.ports.iter_mut().find(|p| p.port == port)
    }
}

impl PortProgress {
    /// Milliseconds since the probe started until its last finished step ended.
    pub fn elapsed_ms(&self) -> u64 {
        self.steps
            .iter()
            .map(|s| s.started_ms.saturating_add(s.duration_ms))
            .max()
            .unwrap_or(0)
    }

    /// Whether some finished step failed.
    pub fn failed_step(&self) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }
}

#[cfg(test)]
mod tests {
    use sendcheck::wire::Step;

    use super::*;

    fn step(step: Step, started_ms: u64, status: StepStatus) -> StepRecord {
        StepRecord {
            step,
            started_ms,
            duration_ms: 5,
            round_trips: 1,
            status,
        }
    }

    fn port_event(json: &str) -> ProgressEvent {
        serde_json::from_str(json).expect("test event")
    }

    #[test]
    fn the_configured_port_comes_first_and_no_port_twice() {
        let ports = |port, security| -> Vec<(u16, Security)> {
            ports_to_check(port, security)
                .into_iter()
                .map(|(p, s)| (p.get(), s))
                .collect()
        };
        assert_eq!(
            ports(MailPort::SMTP, Security::None),
            [
                (25, Security::None),
                (587, Security::Starttls),
                (465, Security::Tls)
            ]
        );
        assert_eq!(
            ports(MailPort::SUBMISSION, Security::Tls),
            [
                (587, Security::Tls),
                (465, Security::Tls),
                (25, Security::Starttls)
            ]
        );
        // 2525 plus the three standard ports: the worker's limit of four.
        let alternate = ports(MailPort::ALTERNATE, Security::Starttls);
        assert_eq!(alternate.len(), sendcheck::wire::MAX_PORTS);
        assert_eq!(alternate[0], (2525, Security::Starttls));
    }

    #[test]
    fn steps_advance_their_port_only_and_the_port_event_finishes_it() {
        let mut progress =
            CheckProgress::new(&ports_to_check(MailPort::SUBMISSION, Security::Starttls));
        assert!(progress.ports.iter().all(|p| p.state == PortState::Waiting));
        progress.apply(&ProgressEvent::Step {
            port: 465,
            step: step(Step::Connect, 0, StepStatus::Ok),
        });
        progress.apply(&ProgressEvent::Step {
            port: 465,
            step: step(Step::TlsHandshake, 5, StepStatus::Ok),
        });
        let row = |p: &CheckProgress, port: u16| {
            p.ports
                .iter()
                .find(|r| r.port == port)
                .cloned()
                .expect("row")
        };
        assert_eq!(row(&progress, 465).state, PortState::Running);
        assert_eq!(row(&progress, 465).steps.len(), 2);
        assert_eq!(row(&progress, 465).elapsed_ms(), 10);
        assert_eq!(row(&progress, 587).state, PortState::Waiting);

        progress.apply(&port_event(
            r#"{"event":"port","result":{"status":"probed","report":{"version":1,
            "target":{"host":"198.51.100.25","port":465,"security":"tls"},"started_at_unix_ms":0,
            "outcome":{"kind":"connection_refused","step":"connect","at_ms":3},
            "steps":[{"step":"connect","started_ms":0,"duration_ms":3,"round_trips":1,"status":"failed"}],
            "transcript":[],"total_ms":3}}}"#,
        ));
        let finished = row(&progress, 465);
        assert_eq!(
            finished.state,
            PortState::Finished {
                outcome: "connection_refused",
                success: false
            }
        );
        assert_eq!(finished.steps.len(), 1, "the report's steps are the record");
        assert_eq!(finished.failed_step().map(|s| s.step), Some(Step::Connect));
        // A late step of a finished port changes nothing.
        progress.apply(&ProgressEvent::Step {
            port: 465,
            step: step(Step::Quit, 9, StepStatus::Ok),
        });
        assert_eq!(row(&progress, 465), finished);
        assert_eq!(progress.finished(), 1);
        assert_eq!(progress.events, 4);
    }

    #[test]
    fn a_report_gives_the_same_rows_finished() {
        let report: CheckReport = serde_json::from_str(
            r#"{"version":1,"host":"h","started_at_unix_ms":0,"total_ms":3,"ports":[
            {"status":"probed","report":{"version":1,
             "target":{"host":"h","port":465,"security":"tls"},"started_at_unix_ms":0,
             "outcome":{"kind":"completed","step":"quit","at_ms":3},
             "steps":[{"step":"connect","started_ms":0,"duration_ms":3,"round_trips":1,"status":"ok"}],
             "transcript":[],"total_ms":3}},
            {"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}]}"#,
        )
        .expect("report");
        let rows = CheckProgress::from_report(&report);
        let summary: Vec<_> = rows
            .ports
            .iter()
            .map(|p| (p.port, p.security, p.state.name(), p.elapsed_ms()))
            .collect();
        assert_eq!(
            summary,
            [
                (465, Security::Tls, "finished", 3),
                (25, Security::Starttls, "not_tested", 0)
            ]
        );
        assert_eq!(rows.finished(), 2);
    }

    #[test]
    fn port_25_not_tested_and_unknown_ports_are_handled() {
        let mut progress = CheckProgress::new(&ports_to_check(MailPort::SMTP, Security::Starttls));
        progress.apply(&port_event(
            r#"{"event":"port","result":{"status":"not_tested","port":25,"security":"starttls",
            "reason":"port25_unavailable_at_vantage"}}"#,
        ));
        assert_eq!(progress.ports[0].state, PortState::NotTested);
        assert_eq!(progress.ports[0].state.name(), "not_tested");
        let before = progress.ports.clone();
        progress.apply(&ProgressEvent::Step {
            port: 2525,
            step: step(Step::Connect, 0, StepStatus::Ok),
        });
        assert_eq!(progress.ports, before);
        assert_eq!(progress.finished(), 1);
    }
}
