//! Reads what `POST /api/probe` answered — a report, a refusal, or something unreadable —
//! without touching the browser, so every case is tested natively. The fetch itself lives in
//! [`crate::hooks::probe`].

use sendcheck::wire::{read_check_report, ApiError, CheckReport, ProbeReport};
use serde::de::DeserializeOwned;

use crate::state::Failure;

/// The API path, same origin as the page.
pub const PROBE_PATH: &str = "/api/probe";

/// How long the page waits for an answer before giving up. The worker's own probe deadline is
/// shorter; this only catches a worker or network that hangs.
pub const PROBE_TIMEOUT_SECONDS: u32 = 60;

/// Technical details shown to the person are cut to this many characters: enough to quote in
/// a support request, not a page of HTML from a proxy.
const DETAIL_CHARS: usize = 300;

/// Turns an HTTP status and body into a report or the reason there is none.
pub fn read_answer(status: u16, body: &str) -> Result<ProbeReport, Failure> {
    read_json(status, body)
}

/// Any of the API's JSON answers (a check's report, whoami, discovery), or the reason there is
/// none: its refusal (`ApiError`) or what made it unreadable.
pub fn read_json<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, Failure> {
    if (200..300).contains(&status) {
        return serde_json::from_str::<T>(body).map_err(|e| Failure::Unreadable {
            status,
            detail: bounded(without_expected_list(&e.to_string())),
        });
    }
    Err(refusal(status, body))
}

/// A check's report answered as one JSON document (a refusal, or a worker that does not
/// stream), read tag first like the stream.
pub fn read_check(status: u16, body: &str) -> Result<CheckReport, Failure> {
    if !(200..300).contains(&status) {
        return Err(refusal(status, body));
    }
    read_check_report(body).map_err(|e| Failure::Unreadable {
        status,
        detail: bounded(without_expected_list(&e.to_string())),
    })
}

/// What a 4xx/5xx answer says: the API's refusal, or the body as it came (a proxy's page).
fn refusal(status: u16, body: &str) -> Failure {
    match serde_json::from_str::<ApiError>(body) {
        Ok(ApiError { error }) => Failure::Api {
            status,
            code: error.code,
            message: bounded(&error.message),
        },
        Err(_) => Failure::Unreadable {
            status,
            detail: bounded(body.trim()),
        },
    }
}

/// What a failed fetch becomes: the browser rejects with a `TimeoutError` when our own time
/// limit fired, with a `TypeError` ("Failed to fetch") for everything else.
pub fn fetch_failure(error_name: &str, message: &str) -> Failure {
    if error_name == "TimeoutError" || error_name == "AbortError" {
        Failure::TimedOut {
            seconds: PROBE_TIMEOUT_SECONDS,
        }
    } else {
        let detail = match (error_name.is_empty(), message.is_empty()) {
            (false, false) => format!("{error_name}: {message}"),
            (false, true) => error_name.to_owned(),
            _ => message.to_owned(),
        };
        Failure::Unreachable {
            detail: bounded(&detail),
        }
    }
}

/// A failure in a few technical, language-neutral words, for a line that only says what
/// could not be loaded.
pub fn failure_detail(failure: &Failure) -> String {
    match failure {
        Failure::Api { status, code, .. } => format!("HTTP {status} {code}"),
        Failure::Unreadable { status, .. } => format!("HTTP {status}"),
        Failure::Unreachable { detail } => detail.clone(),
        Failure::TimedOut { seconds } => format!("{seconds} s"),
        Failure::EmptyHost | Failure::MissingUsername | Failure::MissingPassword => String::new(),
    }
}

/// serde names every variant it knows after an unknown one; the person only needs the
/// unknown one ("unknown variant `x`, expected one of …" → "unknown variant `x`").
fn without_expected_list(message: &str) -> &str {
    message
        .split_once(", expected one of")
        .map_or(message, |(head, _)| head)
}

fn bounded(text: &str) -> String {
    match text.char_indices().nth(DETAIL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use sendcheck::wire::{OutcomeKind, Step};

    use super::*;

    const REFUSED_2525: &str = r#"{
        "version": 1,
        "target": {"host": "198.51.100.25", "port": 2525, "security": "starttls"},
        "address": "198.51.100.25",
        "started_at_unix_ms": 1764000000000,
        "outcome": {"kind": "connection_refused", "step": "connect", "at_ms": 4},
        "steps": [{"step": "connect", "started_ms": 0, "duration_ms": 4, "round_trips": 1, "status": "failed"}],
        "transcript": [],
        "total_ms": 4
    }"#;

    #[test]
    fn a_report_is_read_with_the_shared_types() {
        let report = read_answer(200, REFUSED_2525).expect("a report");
        assert_eq!(report.outcome.kind, OutcomeKind::ConnectionRefused);
        assert_eq!(report.target.port, 2525);
        assert_eq!(report.steps.len(), 1);
    }

    #[test]
    fn a_completed_report_with_greeting_and_capabilities_is_read() {
        let body = r#"{
            "version": 1,
            "target": {"host": "mail.example.com", "port": 587, "security": "starttls"},
            "address": "192.0.2.10",
            "started_at_unix_ms": 1764000000000,
            "outcome": {"kind": "completed", "step": "quit", "at_ms": 40},
            "greeting": {"code": 220, "lines": ["mail.example.com ESMTP Postfix"]},
            "capabilities": {"domain": "mail.example.com", "extensions": [
                {"keyword": "PIPELINING", "params": []},
                {"keyword": "AUTH", "params": ["PLAIN", "LOGIN"]}
            ]},
            "steps": [],
            "transcript": [{"at_ms": 12, "direction": "server", "text": "220 mail.example.com ESMTP Postfix"}],
            "total_ms": 40
        }"#;
        let report = read_answer(200, body).expect("a report");
        assert!(report.outcome.kind.is_success());
        let caps = report.capabilities.expect("capabilities");
        assert_eq!(caps.extensions[1].params, ["PLAIN", "LOGIN"]);
    }

    #[test]
    fn an_api_refusal_keeps_its_code_and_message() {
        let body = r#"{"error":{"code":"invalid_host","message":"\"a b\" is not a valid host name: contains a space"}}"#;
        assert_eq!(
            read_answer(400, body),
            Err(Failure::Api {
                status: 400,
                code: "invalid_host".into(),
                message: "\"a b\" is not a valid host name: contains a space".into(),
            })
        );
    }

    #[test]
    fn a_report_this_page_cannot_read_is_a_clear_failure_not_a_panic() {
        for body in ["", "not json", "{}", r#"{"version":1}"#] {
            assert!(
                matches!(
                    read_answer(200, body),
                    Err(Failure::Unreadable { status: 200, .. })
                ),
                "{body:?}"
            );
        }
        // A field that is not what the shared types say.
        let wrong = REFUSED_2525.replace(r#""total_ms": 4"#, r#""total_ms": "4""#);
        assert!(matches!(
            read_answer(200, &wrong),
            Err(Failure::Unreadable { status: 200, .. })
        ));
        // serde names every variant it knows after an unknown one: only the unknown one shows.
        let ssl3 = REFUSED_2525.replace(r#""security": "starttls""#, r#""security": "ssl3""#);
        match read_answer(200, &ssl3) {
            Err(Failure::Unreadable { detail, .. }) => {
                assert!(detail.starts_with("unknown variant `ssl3`"), "{detail}");
                assert!(!detail.contains("expected one of"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn kinds_and_steps_from_a_newer_worker_still_read() {
        let newer = REFUSED_2525
            .replace("connection_refused", "dane_mismatch")
            .replace(r#""step": "connect""#, r#""step": "require_tls""#);
        let report = read_answer(200, &newer).expect("a report");
        assert_eq!(report.outcome.kind, OutcomeKind::Unknown);
        assert_eq!(report.outcome.step, Step::Unknown);
        assert_eq!(report.steps[0].step, Step::Unknown);
    }

    #[test]
    fn an_error_page_from_a_proxy_is_unreadable_and_cut_short() {
        let html = format!("<html>{}</html>", "x".repeat(5000));
        match read_answer(502, &html) {
            Err(Failure::Unreadable { status, detail }) => {
                assert_eq!(status, 502);
                assert!(detail.chars().count() <= DETAIL_CHARS + 1);
                assert!(detail.ends_with('…'));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cutting_details_respects_characters() {
        let long = "あ".repeat(DETAIL_CHARS + 5);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), DETAIL_CHARS + 1);
        assert_eq!(bounded("short"), "short");
    }

    #[test]
    fn fetch_errors_become_unreachable_or_timed_out() {
        assert_eq!(
            fetch_failure("TypeError", "Failed to fetch"),
            Failure::Unreachable {
                detail: "TypeError: Failed to fetch".into()
            }
        );
        assert_eq!(
            fetch_failure("TimeoutError", "signal timed out"),
            Failure::TimedOut {
                seconds: PROBE_TIMEOUT_SECONDS
            }
        );
        assert_eq!(
            fetch_failure("", "weird"),
            Failure::Unreachable {
                detail: "weird".into()
            }
        );
    }
}
