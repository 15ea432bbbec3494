//! What a person pastes back from their terminal (`inside::parse_local_output`), and the
//! script generated for whatever host the input's first line parses as.
//!
//! Checked: no panic; every check names a port, has a fingerprint only as 64 lowercase hex
//! digits and an issuer only when not empty, reads back equal from JSON; no more than
//! MAX_CHECKS; errors print. For a host: its name appears in each script only once, inside
//! the single-quoted assignment on the first line.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sendcheck::diagnosis::{LocalCheck, LocalResult};
use sendcheck::inside::{local_script, parse_local_output, Os, MAX_CHECKS};
use sendcheck::target::{Host, MailPort, Security};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_local_output(&text) {
        Ok(checks) => {
            assert!(!checks.is_empty() && checks.len() <= MAX_CHECKS);
            for check in &checks {
                assert_check(check);
            }
        }
        Err(error) => {
            let _ = (error.to_string(), error.name());
        }
    }
    script(text.lines().next().unwrap_or_default());
});

fn assert_check(check: &LocalCheck) {
    if let LocalResult::TlsOk { issuer, sha256, .. } = &check.result {
        assert!(!issuer.is_empty(), "{check:?}");
        if let Some(sha) = sha256 {
            assert!(
                sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
                "{check:?}"
            );
        }
    }
    let json = serde_json::to_string(check).expect("a check serializes");
    let back: LocalCheck = serde_json::from_str(&json).expect("a check reads back");
    assert_eq!(&back, check, "{json}");
}

fn script(first_line: &str) {
    let Ok(host) = Host::parse(first_line) else {
        return;
    };
    let shown = host.to_string();
    let ports = [
        (MailPort::SMTP, Security::Starttls),
        (MailPort::SUBMISSION, Security::Starttls),
        (MailPort::SUBMISSIONS, Security::Tls),
    ];
    for os in Os::ALL {
        let text = local_script(os, &host, &ports).text;
        let first = text.lines().next().unwrap_or_default();
        assert!(first.ends_with(&format!("'{shown}'")), "{os:?}: {first}");
        assert_eq!(text.matches(&format!("'{shown}'")).count(), 1, "{os:?}: {text}");
    }
}
