//! The certificate chain a server sends, as the report reads it: our own small DER reader
//! (`tls::summarize`) and the chain diagnosis around webpki (`tls::verify_chain*`).
//!
//! Input: DER certificates one after the other, as a server's Certificate message lists them
//! (leaf first); each is cut at the length its outer header gives, the last takes the rest.
//! Checked: no panic; summaries and verdicts serialize and read back equal; a verified chain
//! has no problem listed and a failed one at least one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sendcheck::target::Host;
use sendcheck::tls::{summarize, verify_chain, verify_chain_with_roots};
use sendcheck::wire::Verification;

/// 2026-05-28, the moment every chain is judged at.
const NOW_UNIX_SECS: u64 = 1_780_000_000;
const MAX_CERTIFICATES: usize = 4;

fuzz_target!(|data: &[u8]| {
    let chain = split_chain(data);
    for cert in &chain {
        match summarize(cert) {
            Ok(summary) => {
                assert_eq!(summary.sha256.len(), 64, "{summary:?}");
                json_round_trip(&summary);
            }
            Err(error) => {
                let _ = (error.to_string(), error.reason());
            }
        }
    }
    let host = Host::parse("mail.sendcheck.test").unwrap();
    let address = Host::parse("192.0.2.25").unwrap();
    check(&verify_chain(&chain, &host, NOW_UNIX_SECS));
    // The last certificate as the one trusted root: paths get built, not only refused.
    let roots = &chain[chain.len().saturating_sub(1)..];
    check(&verify_chain_with_roots(
        &chain,
        &host,
        NOW_UNIX_SECS,
        roots,
    ));
    check(&verify_chain_with_roots(
        &chain,
        &address,
        NOW_UNIX_SECS,
        roots,
    ));
});

fn check(verdict: &Verification) {
    assert_eq!(
        verdict.is_verified(),
        verdict.problems().is_empty(),
        "{verdict:?}"
    );
    json_round_trip(verdict);
}

fn json_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).expect("serializes");
    let back: T = serde_json::from_str(&json).expect("reads back what it wrote");
    assert_eq!(&back, value, "{json}");
}

/// Cuts concatenated DER elements apart by their outer lengths.
fn split_chain(mut rest: &[u8]) -> Vec<&[u8]> {
    let mut chain = Vec::new();
    while !rest.is_empty() {
        let whole = match element_len(rest) {
            Some(len) if len < rest.len() && chain.len() + 1 < MAX_CERTIFICATES => len,
            _ => rest.len(),
        };
        let (cert, after) = rest.split_at(whole);
        chain.push(cert);
        rest = after;
    }
    chain
}

/// Header plus content length of the first DER element, if its header is readable.
fn element_len(der: &[u8]) -> Option<usize> {
    let first = *der.get(1)?;
    let (header, content) = match first {
        0..=0x7f => (2, usize::from(first)),
        0x81..=0x83 => {
            let n = usize::from(first & 0x7f);
            let bytes = der.get(2..2 + n)?;
            let content = bytes
                .iter()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            (2 + n, content)
        }
        _ => return None,
    };
    Some(header + content)
}
