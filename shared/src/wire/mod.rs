//! The serde types that cross the wire between the page, the worker and (later) the CLI.
//!
//! ```text
//!  page ──ProbeRequest (JSON)──▶ worker ──parse──▶ ProbeTarget ──▶ engine
//!  page ◀──ProbeReport (JSON)─── worker ◀──────── Probe::into_report
//!  page ◀──ApiError (JSON, 4xx)─ worker   (bad input never reaches the engine)
//! ```
//!
//! Every type here is versioned through [`REPORT_VERSION`]; fields added later carry
//! `#[serde(default)]` so a report saved today still deserializes next year.

mod check;
mod error;
mod report;
mod request;
mod tag_first;
mod tagged;
mod tls;
mod whoami;

pub use check::{
    CheckReport, NotTestedReason, PortResult, ProgressEvent, Vantage, CHECK_DEADLINE_MS,
};
pub use error::{ApiError, ErrorBody, InputError, Limit};
pub use report::{
    AuthAttempt, AuthReport, AuthSkipped, Direction, Outcome, OutcomeKind, ProbeReport, Step,
    StepRecord, StepStatus, TargetSummary, TranscriptLine, REPORT_VERSION,
};
pub use request::{
    CredentialsInput, PortRequest, ProbePlan, ProbeRequest, MAX_PORTS, MAX_REQUEST_BYTES,
};
pub use tag_first::{read_check_report, read_progress_line};
pub use tls::{CertificateProblem, CertificateSummary, TlsReport, Verification};
pub use whoami::WhoAmI;
