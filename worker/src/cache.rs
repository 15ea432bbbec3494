//! The shared result: a check without credentials answered from the last minute's report of
//! the same host and ports, so a popular server is not probed by every visitor who asks.
//!
//! ```text
//!  no credentials, not `fresh` ─▶ key "host|587/starttls,465/tls" ─▶ TargetLedger(host).recall
//!        hit ─▶ that report (its seal still covers it; `started_at_unix_ms` says when)
//!        miss ─▶ probe ─▶ TargetLedger(host).remember
//! ```
//! Stored in the server's ledger (a Durable Object) rather than the Cache API: the Cache API
//! does nothing on `*.workers.dev` hosts and is per location. A check with a login is never
//! cached or answered from the cache, and the page's own repeats ask with `fresh`.

use sendcheck::wire::{CheckReport, ProbePlan};
use worker::Env;

use crate::limits::ledger::{self, LedgerAsk, Recalled};
use crate::limits::{target_key, LimitSettings};

/// Marks an answer that was shared: the milliseconds since 1970 when it was checked.
pub const SHARED_HEADER: &str = "x-sendcheck-shared-from";

/// Where a shareable check's report is kept; `None` when this check may not be shared.
pub struct SharedSlot {
    host: String,
    key: String,
    max_age_ms: u64,
}

impl SharedSlot {
    pub fn for_plan(plan: &ProbePlan, limits: &LimitSettings) -> Option<Self> {
        if plan.credentials.is_some() || plan.fresh || plan.single || limits.shared_ms == 0 {
            return None;
        }
        let host = target_key(&plan.host);
        let mut ports: Vec<String> = plan
            .targets
            .iter()
            .map(|t| format!("{}/{}", t.port.get(), t.security.name()))
            .collect();
        ports.sort_unstable();
        Some(Self {
            key: format!("{host}|{}", ports.join(",")),
            host,
            max_age_ms: limits.shared_ms,
        })
    }

    /// The stored report, if one is young enough. A ledger that cannot answer is a miss:
    /// the check then simply runs.
    pub async fn recall(&self, env: &Env) -> Option<CheckReport> {
        let ask = LedgerAsk::Recall {
            key: self.key.clone(),
            now_ms: js_sys::Date::now() as u64,
            max_age_ms: self.max_age_ms,
        };
        let recalled: Recalled = ledger::ask(env, &self.host, &ask).await.ok()?;
        serde_json::from_str(&recalled.report?).ok()
    }

    /// Keeps `report` for the next visitors; a failure only costs them a probe of their own.
    pub async fn remember(&self, env: &Env, report: &CheckReport) {
        let Ok(report) = serde_json::to_string(report) else {
            return;
        };
        let ask = LedgerAsk::Remember {
            key: self.key.clone(),
            now_ms: js_sys::Date::now() as u64,
            report,
        };
        let _best_effort: Option<Recalled> = ledger::ask(env, &self.host, &ask).await.ok();
    }
}
