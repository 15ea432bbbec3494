//! The answer to a several-port request: one result per port, and the live progress events
//! streamed (NDJSON, one event a line) while the probes run.

use serde::{Deserialize, Serialize};

use crate::share::Seal;
use crate::target::Security;
use crate::wire::{ErrorBody, ProbeReport, StepRecord};

/// The longest a check runs, in milliseconds: every port's probe gives up by then, counted from
/// the start of the check (the name is resolved within it). The page shows it as the deadline.
/// With the page's own round trip it keeps the first verdict within 15 s of Check even when a
/// server meets us with silence (issue 10); each step's own wait is shorter (probe::config).
pub const CHECK_DEADLINE_MS: u64 = 12_000;

/// Several ports of one host, probed at the same time from one vantage point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub version: u32,
    pub host: String,
    #[serde(default)]
    pub vantage: Vantage,
    pub started_at_unix_ms: u64,
    /// Wall time of the whole check: the slowest port, not the sum.
    pub total_ms: u64,
    pub ports: Vec<PortResult>,
    /// The worker's signature over this report, for share links ([`crate::share`]). Absent
    /// where the deployment has no signing key, and in the signed payload itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

/// Where the outside probes ran from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vantage {
    /// `cloudflare` at the edge, `local` under `wrangler dev`, `native` for the CLI.
    #[serde(default)]
    pub kind: String,
    /// The data centre (IATA code) at the edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PortResult {
    Probed {
        report: Box<ProbeReport>,
    },
    /// Not probed from here, for a reason that says nothing about the server.
    NotTested {
        port: u16,
        security: Security,
        reason: NotTestedReason,
    },
}

impl PortResult {
    pub fn port(&self) -> u16 {
        match self {
            Self::Probed { report } => report.target.port,
            Self::NotTested { port, .. } => *port,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotTestedReason {
    /// Cloudflare's edge does not open outbound connections to port 25: a failure here would
    /// be ours, not the server's.
    Port25UnavailableAtVantage,
}

/// One line of the NDJSON progress stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProgressEvent {
    /// A step of one port's probe finished.
    Step { port: u16, step: StepRecord },
    /// One port's probe finished.
    Port { result: PortResult },
    /// All ports finished; the whole report.
    Done { report: Box<CheckReport> },
    /// The check could not run (bad input found late, or a deployment error).
    Error { error: ErrorBody },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Step, StepStatus};

    #[test]
    fn progress_events_are_tagged_lines() {
        let event = ProgressEvent::Step {
            port: 587,
            step: StepRecord {
                step: Step::Ehlo,
                started_ms: 12,
                duration_ms: 3,
                round_trips: 1,
                status: StepStatus::Ok,
            },
        };
        let line = serde_json::to_string(&event).unwrap();
        assert_eq!(
            line,
            r#"{"event":"step","port":587,"step":{"step":"ehlo","started_ms":12,"duration_ms":3,"round_trips":1,"status":"ok"}}"#
        );
        assert_eq!(serde_json::from_str::<ProgressEvent>(&line).unwrap(), event);
        let skipped = PortResult::NotTested {
            port: 25,
            security: Security::Starttls,
            reason: NotTestedReason::Port25UnavailableAtVantage,
        };
        assert_eq!(
            serde_json::to_string(&skipped).unwrap(),
            r#"{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}"#
        );
    }
}
