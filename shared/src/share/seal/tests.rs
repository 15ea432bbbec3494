use super::*;
use crate::diagnosis::fixtures::{self, T0};
use crate::diagnosis::{InsideView, MailClient, PersonAnswers};
use crate::share::{make_link, LinkOptions, MAX_LINK_BYTES};
use crate::wire::{Direction, PortResult, TranscriptLine};

/// The seed of the key that signed `testdata/link_v1.txt`. A test key, never deployed.
const TEST_SEED: [u8; KEY_BYTES] = [0x5e; KEY_BYTES];
/// Its public key, pinned so the fixture does not depend on deriving it again.
const TEST_PUBLIC_KEY: &str = "gUZkDwJJOvT7xU_jM4jnXcLJN64LdyfMKyr7G3UZmj4";
/// A link made by this build's worker and page (`write_the_pinned_link` printed it).
const PINNED_LINK_V1: &str = include_str!("../testdata/link_v1.txt");

fn key() -> SigningKey {
    SigningKey::from_seed(&TEST_SEED).unwrap()
}

fn keys_of(key: &SigningKey) -> ShareKeys {
    ShareKeys {
        keys: vec![key.public_key().clone()],
    }
}

/// A three-port check from the edge as the worker answers it, transcripts included.
fn report() -> CheckReport {
    let mut report = fixtures::healthy_from_edge(T0);
    for port in &mut report.ports {
        if let PortResult::Probed { report } = port {
            let lines = [
                (Direction::Server, "220 mail.example.jp ESMTP Postfix"),
                (Direction::Client, "EHLO sendcheck.invalid"),
                (Direction::Server, "250-mail.example.jp"),
                (Direction::Server, "250-PIPELINING"),
                (Direction::Server, "250-SIZE 10240000"),
                (Direction::Server, "250-STARTTLS"),
                (Direction::Server, "250 8BITMIME"),
                (Direction::Client, "STARTTLS"),
                (Direction::Server, "220 2.0.0 Ready to start TLS"),
                (
                    Direction::Note,
                    "TLS 1.3 established (TLS13_AES_256_GCM_SHA384)",
                ),
                (Direction::Client, "EHLO sendcheck.invalid"),
                (Direction::Server, "250 AUTH PLAIN LOGIN"),
                (Direction::Client, "QUIT"),
                (Direction::Server, "221 2.0.0 Bye"),
            ];
            report.transcript = lines
                .iter()
                .enumerate()
                .map(|(i, (direction, text))| TranscriptLine {
                    at_ms: 10 * i as u64,
                    direction: *direction,
                    text: (*text).to_owned(),
                })
                .collect();
        }
    }
    report
}

fn answers() -> PersonAnswers {
    PersonAnswers {
        receiving_works: Some(true),
        client: Some(MailClient::Outlook),
        error_text: Some("0x800CCC0E".to_owned()),
        ..PersonAnswers::default()
    }
}

fn link_of(seal: &Seal) -> String {
    make_link(
        "https://sendcheck.example",
        seal,
        &InsideView::default(),
        &answers(),
        LinkOptions::default(),
    )
}

/// The link with its payload bytes changed by `alter` (and re-encoded), signature kept.
fn with_payload(link: &str, alter: impl FnOnce(&mut Vec<u8>)) -> String {
    let (head, rest) = link.split_once("#r=").unwrap();
    let mut segments: Vec<String> = rest.split('.').map(str::to_owned).collect();
    let mut payload = base64url::decode(&segments[3]).unwrap();
    alter(&mut payload);
    segments[3] = base64url::encode(&payload);
    format!("{head}#r={}", segments.join("."))
}

#[test]
fn a_sealed_report_opens_as_it_was() {
    let key = key();
    let mut sent = report();
    let seal = seal(&sent, &key).unwrap();
    assert_eq!(seal.v, SEAL_VERSION);
    assert_eq!(seal.key_id, key.key_id());
    sent.seal = Some(seal.clone());
    // What the worker answers carries the seal; the page takes it from there.
    let answered: CheckReport =
        serde_json::from_str(&serde_json::to_string(&sent).unwrap()).unwrap();
    let link = link_of(answered.seal.as_ref().unwrap());
    let opened = open(&link, &keys_of(&key)).unwrap();
    assert_eq!(opened.report, report());
    assert_eq!(opened.report.seal, None);
    assert_eq!(opened.person.answers, answers());
    assert_eq!(opened.key_id, key.key_id());
    // A seal already on the report is not part of what a second seal signs.
    assert_eq!(super::seal(&sent, &key), Some(seal));
}

#[test]
fn an_altered_link_is_refused() {
    let key = key();
    let link = link_of(&seal(&report(), &key).unwrap());
    let keys = keys_of(&key);
    let flipped = with_payload(&link, |p| p[10] ^= 0x01);
    assert_eq!(open(&flipped, &keys).unwrap_err(), ShareError::BadSignature);
    // New content, well formed, under the old signature: the forger's best attempt.
    let forged = with_payload(&link, |p| {
        let json = inflate(p).unwrap();
        let text = String::from_utf8(json)
            .unwrap()
            .replace("\"completed\"", "\"connection_refused\"");
        *p = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6);
    });
    assert!(read_report(&inflate(&parse_link(&forged).unwrap().payload).unwrap()).is_ok());
    assert_eq!(open(&forged, &keys).unwrap_err(), ShareError::BadSignature);
    let mut bad_sig = parse_link(&link).unwrap();
    bad_sig.signature[0] ^= 0x80;
    assert_eq!(
        verify(&bad_sig, &keys).unwrap_err(),
        ShareError::BadSignature
    );
    // The person's part is not signed: changing it keeps the report verified.
    let other_person = make_link(
        "https://sendcheck.example",
        &parse_link(&link).unwrap().seal,
        &InsideView::default(),
        &PersonAnswers::default(),
        LinkOptions::default(),
    );
    assert!(open(&other_person, &keys).is_ok());
}

#[test]
fn keys_are_found_by_id_also_after_a_rotation() {
    let old = key();
    let new = SigningKey::from_seed(&[0x11; KEY_BYTES]).unwrap();
    assert_ne!(old.key_id(), new.key_id());
    let link = link_of(&seal(&report(), &old).unwrap());
    assert_eq!(
        open(&link, &keys_of(&new)).unwrap_err(),
        ShareError::UnknownKey {
            key_id: old.key_id().to_owned()
        }
    );
    assert_eq!(
        open(&link, &ShareKeys::default()).unwrap_err().name(),
        "unknown_key"
    );
    // The deployment publishes the new key and, from SHARE_PREVIOUS_KEYS, the old one.
    let previous = ShareKeys::parse_list(&old.public_key().public_key).unwrap();
    let published = ShareKeys {
        keys: [vec![new.public_key().clone()], previous].concat(),
    };
    assert!(open(&link, &published).is_ok());
}

#[test]
fn inflating_is_bounded() {
    // A signed zip bomb: even a valid signature does not make the reader inflate it all.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'['; 8 * MAX_REPORT_BYTES], 9);
    assert!(bomb.len() < 16 * 1024, "{}", bomb.len());
    assert_eq!(
        inflate(&bomb).unwrap_err(),
        ShareError::TooLarge {
            limit: MAX_REPORT_BYTES
        }
    );
    assert_eq!(inflate(b"\xff\xff\xff").unwrap_err().name(), "bad_encoding");
    assert_eq!(inflate(b"").unwrap_err().name(), "bad_encoding");
    let key = key();
    let sig = key.sign(&bomb);
    let link = format!(
        "#r=1.1.{}.{}.{}.",
        key.key_id(),
        base64url::encode(&bomb),
        base64url::encode(&sig)
    );
    assert!(link.len() < MAX_LINK_BYTES);
    assert_eq!(open(&link, &keys_of(&key)).unwrap_err().name(), "too_large");
    // Valid JSON that is not a report.
    let garbage = miniz_oxide::deflate::compress_to_vec(b"[1,2,3]", 6);
    let sig = key.sign(&garbage);
    let link = format!(
        "#r=1.1.{}.{}.{}.",
        key.key_id(),
        base64url::encode(&garbage),
        base64url::encode(&sig)
    );
    assert_eq!(
        open(&link, &keys_of(&key)).unwrap_err().name(),
        "bad_report"
    );
}

#[test]
fn signing_keys_read_from_the_secret() {
    let text = base64url::encode(&TEST_SEED);
    let key = SigningKey::from_seed_base64url(&format!(" {text}\n")).unwrap();
    assert_eq!(key.public_key().public_key, TEST_PUBLIC_KEY);
    // Padded standard-looking base64url is accepted too; anything else is refused by name.
    assert!(SigningKey::from_seed_base64url(&format!("{text}=")).is_ok());
    for bad in [
        "",
        "AAAA",
        &base64url::encode(&[0; 31]),
        "not a key at all!!",
    ] {
        let e = SigningKey::from_seed_base64url(bad).err().unwrap();
        assert!(e.contains("32-byte seed"), "{bad:?}: {e}");
    }
}

/// Links made today must open after every future release: this one was made by the first
/// release of share links and is never regenerated.
#[test]
fn the_pinned_version_1_link_still_opens_and_verifies() {
    let public = PublicShareKey::parse(TEST_PUBLIC_KEY).unwrap();
    let keys = ShareKeys { keys: vec![public] };
    let opened = open(PINNED_LINK_V1.trim(), &keys).unwrap();
    let report = &opened.report;
    assert_eq!(report.host, "mail.example.jp");
    assert_eq!(report.vantage.kind, "cloudflare");
    assert_eq!(report.vantage.colo.as_deref(), Some("NRT"));
    assert_eq!(report.started_at_unix_ms, T0);
    let ports: Vec<(u16, &str)> = report
        .ports
        .iter()
        .map(|p| match p {
            PortResult::Probed { report } => (p.port(), report.outcome.kind.name()),
            other => (other.port(), "not_tested"),
        })
        .collect();
    assert_eq!(
        ports,
        [(587, "completed"), (465, "completed"), (25, "not_tested")]
    );
    assert_eq!(opened.person.answers, answers());
    let tampered = with_payload(PINNED_LINK_V1.trim(), |p| p[0] ^= 1);
    assert_eq!(
        open(&tampered, &keys).unwrap_err(),
        ShareError::BadSignature
    );
}

/// Prints a fresh link for `testdata/link_v1.txt` (only when that fixture is first made):
/// `cargo test -p sendcheck-shared --features seal write_the_pinned_link -- --ignored --nocapture`
#[test]
#[ignore = "prints a new fixture; the pinned one must never change"]
fn write_the_pinned_link() {
    println!("{}", link_of(&seal(&report(), &key()).unwrap()));
}

/// Sealing runs in the worker on every check, inside a CPU budget of a few milliseconds.
/// Natively it takes a fraction of one; in V8's wasm about 0.4 ms (see `DEFLATE_LEVEL`).
#[test]
#[allow(clippy::disallowed_methods)] // a test's own stopwatch, not the engine's clock
fn sealing_is_cheap_and_links_are_short() {
    let key = key();
    let report = report();
    let json = serde_json::to_vec(&report).unwrap();
    let rounds = 200;
    let started = std::time::Instant::now();
    let mut seal_ = None;
    for _ in 0..rounds {
        seal_ = seal(&report, &key);
    }
    let per_seal = started.elapsed() / rounds;
    let link = link_of(&seal_.unwrap());
    println!(
        "seal: {per_seal:?} per report of {} B JSON; link {} B",
        json.len(),
        link.len()
    );
    // Generous bounds that still catch a mistake (level 10, signing the JSON twice…).
    assert!(
        per_seal < std::time::Duration::from_millis(20),
        "{per_seal:?}"
    );
    assert!(link.len() < json.len(), "{} vs {}", link.len(), json.len());
}
