//! How patient a probe is and what it calls itself.

use crate::smtp::ReplyLimits;
use crate::target::Hostname;

/// Timeouts in milliseconds. The defaults favour the person waiting: a healthy server answers
/// each step in well under a second, and an overloaded one shows itself within these bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeConfig {
    /// The name sent with EHLO/HELO.
    pub client_name: Hostname,
    pub resolve_timeout_ms: u64,
    pub connect_timeout_ms: u64,
    /// RFC 5321 §4.5.3.2 allows servers 5 minutes; a greeting later than this is reported.
    pub greeting_timeout_ms: u64,
    pub reply_timeout_ms: u64,
    /// The whole probe, whatever the steps.
    pub overall_timeout_ms: u64,
    pub limits: ReplyLimits,
}

impl ProbeConfig {
    pub fn new(client_name: Hostname) -> Self {
        Self {
            client_name,
            resolve_timeout_ms: 5_000,
            connect_timeout_ms: 10_000,
            greeting_timeout_ms: 15_000,
            reply_timeout_ms: 10_000,
            overall_timeout_ms: 25_000,
            limits: ReplyLimits::default(),
        }
    }
}
