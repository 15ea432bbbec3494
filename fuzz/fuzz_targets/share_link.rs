//! Share links (`sendcheck::share`): whatever a stranger puts after `#r=`, and whatever a
//! payload inflates to.
//!
//! The first byte picks the mode:
//! - even: the rest is a link's text. `parse_link` never panics; a link it reads makes, with
//!   `make_link`, a link that reads back the same; `open` with the test key refuses it or
//!   returns a report that fits the bounds.
//! - odd: the rest is a payload signed with the test key (what only the worker could make, or
//!   a stolen key): inflating stops at MAX_REPORT_BYTES (a zip bomb too), and a report read
//!   from it serializes back to JSON.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sendcheck::share::{
    base64url, inflate, make_link, open, parse_link, read_report, LinkOptions, ShareError,
    ShareKeys, SigningKey, MAX_LINK_BYTES, MAX_REPORT_BYTES,
};

/// The test key (the seed of `shared/src/share/testdata/link_v1.txt`), made once: deriving it
/// for every input would be most of the work.
static KEY: OnceLock<(SigningKey, ShareKeys)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (key, keys) = KEY.get_or_init(|| {
        let key = SigningKey::from_seed(&[0x5e; 32]).expect("a fixed seed is a key");
        let keys = ShareKeys {
            keys: vec![key.public_key().clone()],
        };
        (key, keys)
    });
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 0 => text(&String::from_utf8_lossy(rest), keys),
        Some((_, payload)) => signed(payload, key, keys),
        None => {}
    }
});

fn text(link: &str, keys: &ShareKeys) {
    match parse_link(link) {
        Ok(read) => {
            assert!(link.len() <= MAX_LINK_BYTES);
            let person = &read.person;
            let again = make_link(
                "https://sendcheck.example",
                &read.seal,
                &person.inside,
                &person.answers,
                LinkOptions {
                    username: person.username.as_deref(),
                    include_username: true,
                },
            );
            if again.len() > MAX_LINK_BYTES {
                // The person's part written back with its defaults can outgrow the limit.
                return;
            }
            let reread = parse_link(&again).expect("a link made of a read link reads");
            assert_eq!(reread.seal, read.seal);
            assert_eq!(reread.payload, read.payload);
            assert_eq!(reread.signature, read.signature);
        }
        Err(e) => {
            let _ = (e.to_string(), e.name());
        }
    }
    match open(link, keys) {
        Ok(opened) => check_report(&opened.report),
        Err(e) => assert!(ShareError::NAMES.contains(&e.name())),
    }
}

fn signed(payload: &[u8], key: &SigningKey, keys: &ShareKeys) {
    match inflate(payload) {
        Ok(json) => {
            assert!(json.len() <= MAX_REPORT_BYTES);
            if let Ok(report) = read_report(&json) {
                check_report(&report);
            }
        }
        Err(e) => assert!(matches!(e.name(), "too_large" | "bad_encoding"), "{e:?}"),
    }
    if payload.is_empty() {
        return;
    }
    let link = format!(
        "#r=1.1.{}.{}.{}.",
        key.key_id(),
        base64url::encode(payload),
        base64url::encode(&key.sign(payload))
    );
    match open(&link, keys) {
        Ok(opened) => check_report(&opened.report),
        Err(e) => assert!(
            matches!(e.name(), "too_large" | "bad_encoding" | "bad_report"),
            "{e:?}"
        ),
    }
}

/// A report read from a link is one the page can hold and show: it serializes, and does not
/// grow far past the bytes it came from.
fn check_report(report: &sendcheck::wire::CheckReport) {
    let json = serde_json::to_string(report).expect("a report serializes");
    assert!(json.len() <= 4 * MAX_REPORT_BYTES, "{}", json.len());
}
