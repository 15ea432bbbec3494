//! What the person's browser can reach of the mail server's address, and what that means.
//!
//! A web page cannot open ports 25, 465 or 587 (browsers refuse them outright), so it asks
//! the web ports instead: `fetch(url, {mode: "no-cors"})` to the address sendcheck resolved,
//! timed. A response, or a refusal before the time limit, means the person's network lets
//! connections to that address through; silence until the limit means something drops them.
//! The address, not the name: the browser's own name lookup failing would look like a quick
//! refusal. Plain HTTP from an HTTPS page is mixed content, which the browser refuses without
//! trying: that says nothing about the network and is shown as such.

use sendcheck::diagnosis::{BrowserCheck, BrowserResult};

/// How long one fetch may take before it counts as no answer. Longer than any honest refusal
/// or answer, well within the check's own deadline.
pub const REACH_TIMEOUT_MS: u32 = 6_000;

/// The reachability test of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The check it belongs to.
    pub id: u32,
    /// The address to fetch, once the check has resolved the name.
    pub address: Option<String>,
    /// Whether the person's mail program uses 2525, the one mail port a browser may open.
    pub include_2525: bool,
    /// Empty until the test starts.
    pub rows: Vec<ReachRow>,
    /// The check ended without an address (the name did not resolve).
    pub unresolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachRow {
    pub port: u16,
    pub scheme: &'static str,
    pub state: RowState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// Being fetched.
    Pending,
    Measured {
        result: BrowserResult,
        elapsed_ms: u64,
    },
    /// Mixed content: the browser refuses plain HTTP from an HTTPS page.
    Blocked,
    /// Not relevant to this check.
    Skipped,
}

impl RowState {
    /// For `data-result`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Measured { result, .. } => result.name(),
            Self::Blocked => BrowserResult::BlockedByBrowser.name(),
            Self::Skipped => "skipped",
        }
    }
}

/// How a fetch ended, as the browser reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchEnd<'a> {
    /// Any response (opaque in `no-cors` mode: its status is not visible, nor needed).
    Response,
    /// The promise rejected: `TypeError` for a refused or failed connection, `AbortError` or
    /// `TimeoutError` when our time limit fired.
    Error { name: &'a str },
}

/// What a fetch's end means for the network.
pub fn interpret(end: FetchEnd<'_>, elapsed_ms: u64) -> BrowserResult {
    match end {
        _ if elapsed_ms >= u64::from(REACH_TIMEOUT_MS) => BrowserResult::NoAnswer,
        FetchEnd::Response => BrowserResult::Answered,
        FetchEnd::Error { name } if name == "AbortError" || name == "TimeoutError" => {
            BrowserResult::NoAnswer
        }
        FetchEnd::Error { .. } => BrowserResult::Answered,
    }
}

impl Reach {
    /// A check started. The address comes from the check's first answer, also when an
    /// address was typed: only one the worker agreed to probe is fetched (never the person's
    /// own loopback or private network).
    pub fn new(id: u32, include_2525: bool) -> Self {
        Self {
            id,
            address: None,
            include_2525,
            rows: Vec::new(),
            unresolved: false,
        }
    }

    /// The rows to show and the URLs to fetch, for a page served over `https` or not.
    pub fn plan(&self, page_is_https: bool) -> Vec<(ReachRow, Option<String>)> {
        let Some(address) = &self.address else {
            return Vec::new();
        };
        let host = if address.contains(':') {
            format!("[{address}]")
        } else {
            address.clone()
        };
        let page_scheme = if page_is_https { "https" } else { "http" };
        let row = |port, scheme, state| ReachRow {
            port,
            scheme,
            state,
        };
        vec![
            (
                row(443, "https", RowState::Pending),
                Some(format!("https://{host}/")),
            ),
            if page_is_https {
                (row(80, "http", RowState::Blocked), None)
            } else {
                (
                    row(80, "http", RowState::Pending),
                    Some(format!("http://{host}/")),
                )
            },
            if self.include_2525 {
                (
                    row(2525, page_scheme, RowState::Pending),
                    Some(format!("{page_scheme}://{host}:2525/")),
                )
            } else {
                (row(2525, page_scheme, RowState::Skipped), None)
            },
        ]
    }

    /// Records one fetch's result; a port not planned changes nothing.
    pub fn record(&mut self, port: u16, result: BrowserResult, elapsed_ms: u64) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.port == port) {
            if row.state == RowState::Pending {
                row.state = RowState::Measured { result, elapsed_ms };
            }
        }
    }

    /// What the diagnosis hears: every row measured or refused by the browser.
    pub fn browser_checks(&self) -> Vec<BrowserCheck> {
        self.rows
            .iter()
            .filter_map(|row| {
                let (result, elapsed_ms) = match row.state {
                    RowState::Measured { result, elapsed_ms } => (result, Some(elapsed_ms)),
                    RowState::Blocked => (BrowserResult::BlockedByBrowser, None),
                    RowState::Pending | RowState::Skipped => return None,
                };
                Some(BrowserCheck {
                    host: self.address.clone(),
                    port: row.port,
                    scheme: row.scheme.to_owned(),
                    result,
                    elapsed_ms,
                })
            })
            .collect()
    }

    /// Whether some fetch is still running.
    pub fn running(&self) -> bool {
        self.rows.iter().any(|r| r.state == RowState::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_answers_and_refusals_reach_and_the_time_limit_does_not() {
        assert_eq!(interpret(FetchEnd::Response, 40), BrowserResult::Answered);
        assert_eq!(
            interpret(FetchEnd::Error { name: "TypeError" }, 3),
            BrowserResult::Answered
        );
        assert_eq!(
            interpret(
                FetchEnd::Error {
                    name: "TimeoutError"
                },
                6_000
            ),
            BrowserResult::NoAnswer
        );
        assert_eq!(
            interpret(FetchEnd::Error { name: "AbortError" }, 5_990),
            BrowserResult::NoAnswer
        );
        // A failure that took as long as the limit is silence, whatever the browser calls it.
        assert_eq!(
            interpret(FetchEnd::Error { name: "TypeError" }, 6_000),
            BrowserResult::NoAnswer
        );
    }

    #[test]
    fn an_http_page_fetches_both_web_ports_an_https_page_cannot_use_http() {
        let mut reach = Reach::new(1, false);
        assert!(reach.plan(false).is_empty(), "no address yet");
        reach.address = Some("198.51.100.25".into());
        let http: Vec<_> = reach
            .plan(false)
            .into_iter()
            .map(|(row, url)| (row.port, row.state, url))
            .collect();
        assert_eq!(
            http,
            [
                (
                    443,
                    RowState::Pending,
                    Some("https://198.51.100.25/".into())
                ),
                (80, RowState::Pending, Some("http://198.51.100.25/".into())),
                (2525, RowState::Skipped, None),
            ]
        );
        let https: Vec<_> = reach
            .plan(true)
            .into_iter()
            .map(|(row, url)| (row.port, row.state.name(), url))
            .collect();
        assert_eq!(https[1], (80, "blocked_by_browser", None));
    }

    #[test]
    fn a_v6_address_is_bracketed() {
        let mut reach = Reach::new(2, true);
        reach.address = Some("2001:db8::25".into());
        let plan = reach.plan(true);
        assert_eq!(plan[0].1.as_deref(), Some("https://[2001:db8::25]/"));
        assert_eq!(plan[2].1.as_deref(), Some("https://[2001:db8::25]:2525/"));
        assert_eq!(plan[2].0.state, RowState::Pending);
    }

    #[test]
    fn results_become_browser_checks_for_the_diagnosis() {
        let mut reach = Reach::new(3, false);
        reach.address = Some("198.51.100.25".into());
        reach.rows = reach.plan(true).into_iter().map(|(row, _)| row).collect();
        assert!(reach.running());
        reach.record(443, BrowserResult::NoAnswer, 6_000);
        reach.record(2525, BrowserResult::Answered, 1);
        assert!(!reach.running());
        let checks = reach.browser_checks();
        let summary: Vec<_> = checks
            .iter()
            .map(|c| (c.port, c.scheme.as_str(), c.result, c.elapsed_ms))
            .collect();
        assert_eq!(
            summary,
            [
                (443, "https", BrowserResult::NoAnswer, Some(6_000)),
                (80, "http", BrowserResult::BlockedByBrowser, None),
            ]
        );
        assert_eq!(checks[0].host.as_deref(), Some("198.51.100.25"));
    }
}
