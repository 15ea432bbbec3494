//! Making and reading the link's text (format in the module doc of [`crate::share`]). Pure:
//! no signature check and no inflating here, so the page can run it without ring or a
//! deflate library.

use serde::{Deserialize, Serialize};

use crate::diagnosis::{InsideView, LocalResult, PersonAnswers};
use crate::share::keys::{KEY_ID_BYTES, SIGNATURE_BYTES};
use crate::share::{base64url, LinkPart, ShareError, MAX_LINK_BYTES, MAX_REPORT_BYTES};
use crate::wire::CheckReport;

/// The first segment of every link this build makes.
pub const LINK_VERSION: &str = "1";
/// `Seal::v` of an Ed25519 signature over deflate-raw JSON of a `CheckReport`.
pub const SEAL_VERSION: u32 = 1;
/// What a share link's fragment starts with.
pub const LINK_FRAGMENT_PREFIX: &str = "#r=";

/// The worker's signature on one `CheckReport` (the `seal` field of the report it answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// [`SEAL_VERSION`].
    pub v: u32,
    /// Names the public key at `GET /api/share-key`.
    pub key_id: String,
    /// base64url of the signed bytes: the report (without its seal) as JSON, deflate-raw.
    pub payload: String,
    /// base64url of the Ed25519 signature over the payload bytes.
    pub sig: String,
}

/// What the person adds to the link: their own answers and what their machine and network
/// showed. Nobody vouches for it; the viewer shows it as reported by the person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPart {
    #[serde(default)]
    pub inside: InsideView,
    #[serde(default)]
    pub answers: PersonAnswers,
    /// Only when the person chose to include it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// How [`make_link`] treats the user name the person typed (never the password: it is not
/// an input here at all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkOptions<'a> {
    /// The user name from the form, so that it can be kept out of the link: wherever it
    /// appears in the person's free text (a pasted error), it is replaced by `<username>`.
    pub username: Option<&'a str>,
    /// The person ticked "include my user name": it goes into the link as such.
    pub include_username: bool,
}

/// A link read but not yet trusted: the signature is still to be checked against the
/// published keys, and the payload to be inflated and read with [`read_report`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedLink {
    /// The seal as the link spells it (`payload` and `sig` in base64url).
    pub seal: Seal,
    /// The signed bytes (deflate-raw JSON).
    pub payload: Vec<u8>,
    pub signature: [u8; SIGNATURE_BYTES],
    pub person: PersonPart,
}

/// The link for a sealed report and the person's part: `<origin>/#r=1.…`.
///
/// `origin` is the page's `location.origin` (a trailing `/` is ignored). The share button
/// calls it with the live report's seal and the current answers; with no seal (a deployment
/// without `SHARE_SIGNING_KEY`) there is no link to make.
pub fn make_link(
    origin: &str,
    seal: &Seal,
    inside: &InsideView,
    answers: &PersonAnswers,
    options: LinkOptions<'_>,
) -> String {
    let person = PersonPart::new(inside, answers, options);
    let person = if person == PersonPart::default() {
        String::new()
    } else {
        // Our own plain types always serialize; an empty segment would read as "nothing".
        base64url::encode(&serde_json::to_vec(&person).unwrap_or_default())
    };
    format!(
        "{}/{LINK_FRAGMENT_PREFIX}{LINK_VERSION}.{}.{}.{}.{}.{person}",
        origin.trim_end_matches('/'),
        seal.v,
        seal.key_id,
        seal.payload,
        seal.sig,
    )
}

/// Reads a link: a whole URL, its fragment (`#r=…`) or the fragment without `#`.
pub fn parse_link(link: &str) -> Result<SharedLink, ShareError> {
    if link.len() > MAX_LINK_BYTES {
        return Err(ShareError::TooLarge {
            limit: MAX_LINK_BYTES,
        });
    }
    let fragment = link.split_once('#').map_or(link, |(_, f)| f).trim();
    let body = fragment.strip_prefix("r=").ok_or(ShareError::NotALink)?;
    let segments: Vec<&str> = body.split('.').collect();
    let version = segments.first().copied().unwrap_or_default();
    if version.is_empty() {
        return Err(ShareError::NotALink);
    }
    if version != LINK_VERSION {
        return Err(unknown_version(version));
    }
    let [_, v, key_id, payload, sig, person] = segments[..] else {
        return Err(bad(LinkPart::Layout));
    };
    if v != SEAL_VERSION.to_string() {
        return Err(unknown_version(v));
    }
    if base64url::decode(key_id).map(|k| k.len()) != Some(KEY_ID_BYTES) {
        return Err(bad(LinkPart::KeyId));
    }
    let payload_bytes = base64url::decode(payload)
        .filter(|p| !p.is_empty())
        .ok_or(bad(LinkPart::Payload))?;
    let signature: [u8; SIGNATURE_BYTES] = base64url::decode(sig)
        .and_then(|s| s.try_into().ok())
        .ok_or(bad(LinkPart::Signature))?;
    let person = read_person(person)?;
    Ok(SharedLink {
        seal: Seal {
            v: SEAL_VERSION,
            key_id: key_id.to_owned(),
            payload: payload.to_owned(),
            sig: sig.to_owned(),
        },
        payload: payload_bytes,
        signature,
        person,
    })
}

/// Reads the inflated payload. Call it only on bytes whose signature was checked, or show the
/// result as unverified.
pub fn read_report(json: &[u8]) -> Result<CheckReport, ShareError> {
    if json.len() > MAX_REPORT_BYTES {
        return Err(ShareError::TooLarge {
            limit: MAX_REPORT_BYTES,
        });
    }
    // Tag first, as the page reads the stream: one set of report deserializers in its wasm.
    let text = std::str::from_utf8(json).map_err(|e| ShareError::BadReport {
        detail: e.to_string(),
    })?;
    crate::wire::read_check_report(text).map_err(|e| ShareError::BadReport {
        detail: e.to_string(),
    })
}

impl PersonPart {
    /// The person's part as the link carries it: the user name only if they opted in, and
    /// otherwise scrubbed from the free text they pasted.
    pub fn new(inside: &InsideView, answers: &PersonAnswers, options: LinkOptions<'_>) -> Self {
        let mut part = Self {
            inside: inside.clone(),
            answers: answers.clone(),
            username: None,
        };
        let username = options.username.map(str::trim).filter(|u| !u.is_empty());
        match username {
            Some(name) if options.include_username => part.username = Some(name.to_owned()),
            Some(name) => part.scrub(name),
            None => {}
        }
        part
    }

    /// Replaces the user name (and the local part of an address-like one) in every free text.
    fn scrub(&mut self, username: &str) {
        let local_part = username.split_once('@').map(|(local, _)| local);
        let secrets: Vec<&str> = [Some(username), local_part]
            .into_iter()
            .flatten()
            // Shorter strings would hit ordinary words.
            .filter(|s| s.chars().count() >= 3)
            .collect();
        let answers = &mut self.answers;
        let mut texts: Vec<&mut String> = Vec::new();
        texts.extend(answers.error_text.as_mut());
        texts.extend(answers.security_software.as_mut());
        for check in &mut self.inside.local_checks {
            match &mut check.result {
                LocalResult::TlsOk {
                    issuer, subject, ..
                } => {
                    texts.push(issuer);
                    texts.extend(subject.as_mut());
                }
                LocalResult::TlsFailed { detail } => texts.push(detail),
                _ => {}
            }
        }
        for text in texts {
            for secret in &secrets {
                replace_ignoring_ascii_case(text, secret, "<username>");
            }
        }
    }
}

fn read_person(segment: &str) -> Result<PersonPart, ShareError> {
    if segment.is_empty() {
        return Ok(PersonPart::default());
    }
    let json = base64url::decode(segment).ok_or(bad(LinkPart::Person))?;
    let json = String::from_utf8(json).map_err(|e| ShareError::BadAnswers {
        detail: e.to_string(),
    })?;
    // From text, as the page reads every other JSON: one set of deserializers in its wasm.
    serde_json::from_str(&json).map_err(|e| ShareError::BadAnswers {
        detail: e.to_string(),
    })
}

fn unknown_version(found: &str) -> ShareError {
    ShareError::UnknownVersion {
        found: found.chars().take(16).collect(),
    }
}

fn bad(part: LinkPart) -> ShareError {
    ShareError::BadEncoding { part }
}

/// ASCII case folding keeps every byte offset, so matches found in the folded copy are char
/// boundaries of the original.
fn replace_ignoring_ascii_case(text: &mut String, needle: &str, with: &str) {
    let folded_text = text.to_ascii_lowercase();
    let folded_needle = needle.to_ascii_lowercase();
    if folded_needle.is_empty() || !folded_text.contains(&folded_needle) {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in folded_text.match_indices(&folded_needle) {
        out.push_str(&text[last..at]);
        out.push_str(with);
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{ClientSettings, LocalCheck, MailClient, NetworkIdentity};

    fn seal() -> Seal {
        Seal {
            v: SEAL_VERSION,
            key_id: base64url::encode(&[1; KEY_ID_BYTES]),
            payload: base64url::encode(b"deflated report"),
            sig: base64url::encode(&[2; SIGNATURE_BYTES]),
        }
    }

    fn answers() -> PersonAnswers {
        PersonAnswers {
            receiving_works: Some(true),
            client: Some(MailClient::Thunderbird),
            configured: Some(ClientSettings {
                host: "mail.example.jp".to_owned(),
                port: 25,
                security: None,
                username_given: true,
            }),
            error_text: Some("535 Authentication failed for Taro@Example.jp (taro)".to_owned()),
            ..PersonAnswers::default()
        }
    }

    fn inside() -> InsideView {
        InsideView {
            network: Some(NetworkIdentity {
                asn: Some(4713),
                as_org: Some("NTT Communications".to_owned()),
                country: Some("JP".to_owned()),
            }),
            local_checks: vec![LocalCheck {
                host: None,
                port: 25,
                security: None,
                result: LocalResult::TimedOut,
                tool: Some("nc".to_owned()),
            }],
            browser_checks: vec![],
        }
    }

    #[test]
    fn a_link_round_trips_and_keeps_the_user_name_out() {
        let options = LinkOptions {
            username: Some("taro@example.jp"),
            include_username: false,
        };
        let link = make_link(
            "https://sendcheck.example/",
            &seal(),
            &inside(),
            &answers(),
            options,
        );
        assert!(
            link.starts_with("https://sendcheck.example/#r=1.1."),
            "{link}"
        );
        assert!(!link.contains(".."), "{link}");
        let read = parse_link(&link).unwrap();
        assert_eq!(read.seal, seal());
        assert_eq!(read.payload, b"deflated report");
        assert_eq!(read.signature, [2; SIGNATURE_BYTES]);
        assert_eq!(read.person.inside, inside());
        assert_eq!(read.person.username, None);
        let error = read.person.answers.error_text.clone().unwrap();
        assert_eq!(
            error,
            "535 Authentication failed for <username> (<username>)"
        );
        assert_eq!(
            PersonAnswers {
                error_text: None,
                ..read.person.answers
            },
            PersonAnswers {
                error_text: None,
                ..answers()
            }
        );
        // The fragment alone, with or without '#', reads the same.
        let fragment = &link[link.find('#').unwrap()..];
        assert_eq!(parse_link(fragment).unwrap(), parse_link(&link).unwrap());
        assert_eq!(
            parse_link(&fragment[1..]).unwrap(),
            parse_link(&link).unwrap()
        );
    }

    #[test]
    fn the_user_name_goes_in_only_when_chosen() {
        let options = LinkOptions {
            username: Some(" taro "),
            include_username: true,
        };
        let link = make_link("http://x", &seal(), &inside(), &answers(), options);
        let person = parse_link(&link).unwrap().person;
        assert_eq!(person.username.as_deref(), Some("taro"));
        assert!(person.answers.error_text.unwrap().contains("(taro)"));
        // Without a name to hide, nothing is scrubbed; a name too short to hide is left alone.
        for username in [None, Some("ta")] {
            let options = LinkOptions {
                username,
                include_username: false,
            };
            let person = PersonPart::new(&inside(), &answers(), options);
            assert_eq!(person.answers, answers());
            assert_eq!(person.username, None);
        }
    }

    #[test]
    fn nothing_from_the_person_makes_an_empty_last_segment() {
        let link = make_link(
            "http://x",
            &seal(),
            &InsideView::default(),
            &PersonAnswers::default(),
            LinkOptions::default(),
        );
        assert!(link.ends_with('.'), "{link}");
        assert_eq!(parse_link(&link).unwrap().person, PersonPart::default());
    }

    fn code(link: &str) -> &'static str {
        parse_link(link).unwrap_err().name()
    }

    #[test]
    fn every_malformed_link_has_its_own_error() {
        let good = make_link(
            "http://x",
            &seal(),
            &inside(),
            &answers(),
            LinkOptions::default(),
        );
        let segments: Vec<&str> = good.split_once("#r=").unwrap().1.split('.').collect();
        let with = |i: usize, value: &str| {
            let mut s = segments.clone();
            s[i] = value;
            format!("#r={}", s.join("."))
        };
        assert_eq!(code(""), "not_a_link");
        assert_eq!(code("https://sendcheck.example/"), "not_a_link");
        assert_eq!(code("https://sendcheck.example/#lang=ja"), "not_a_link");
        assert_eq!(code("#r="), "not_a_link");
        assert_eq!(code("#r=9.x"), "unknown_version");
        assert_eq!(code("#r=abc"), "unknown_version");
        assert_eq!(
            parse_link(&format!("#r={}", "9".repeat(100))).unwrap_err(),
            ShareError::UnknownVersion {
                found: "9".repeat(16)
            }
        );
        assert_eq!(code("#r=1"), "bad_encoding");
        assert_eq!(code(&format!("{good}.")), "bad_encoding");
        assert_eq!(code(&with(1, "2")), "unknown_version");
        assert_eq!(code(&with(2, "AAAA")), "bad_encoding");
        assert_eq!(code(&with(3, "")), "bad_encoding");
        assert_eq!(code(&with(3, "not*base64")), "bad_encoding");
        assert_eq!(code(&with(4, "AAAA")), "bad_encoding");
        assert_eq!(code(&with(5, "%%%")), "bad_encoding");
        // Valid base64url of something that is not the person's part.
        assert_eq!(
            code(&with(5, &base64url::encode(b"\x00garbage"))),
            "bad_answers"
        );
        assert_eq!(code(&with(5, &base64url::encode(b"[1,2]"))), "bad_answers");
        let huge = format!("{good}{}", "A".repeat(MAX_LINK_BYTES));
        assert_eq!(
            parse_link(&huge).unwrap_err(),
            ShareError::TooLarge {
                limit: MAX_LINK_BYTES
            }
        );
        let parts = |e: ShareError| match e {
            ShareError::BadEncoding { part } => part,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            parts(parse_link(&with(2, "AAAA")).unwrap_err()),
            LinkPart::KeyId
        );
        assert_eq!(
            parts(parse_link(&with(4, "AAAA")).unwrap_err()),
            LinkPart::Signature
        );
    }

    #[test]
    fn a_newer_person_part_still_reads() {
        let json = br#"{"answers":{"client":"pigeon_post","recent_changes":["moved_house"],
            "mood":"impatient"},"inside":{"local_checks":[{"port":25,"result":"teleported"}]},
            "hologram":true}"#;
        let link = format!(
            "#r=1.1.{}.{}.{}.{}",
            seal().key_id,
            seal().payload,
            seal().sig,
            base64url::encode(json)
        );
        let person = parse_link(&link).unwrap().person;
        assert_eq!(person.answers.client, Some(MailClient::Other));
        assert_eq!(person.inside.local_checks[0].result, LocalResult::Unknown);
    }

    #[test]
    fn reports_are_read_within_bounds() {
        assert_eq!(read_report(b"{}").unwrap_err().name(), "bad_report");
        assert_eq!(read_report(b"\xff").unwrap_err().name(), "bad_report");
        let big = vec![b' '; MAX_REPORT_BYTES + 1];
        assert_eq!(read_report(&big).unwrap_err().name(), "too_large");
        let report = br#"{"version":1,"host":"mail.example.jp","started_at_unix_ms":1,
            "total_ms":2,"ports":[],"from_the_future":1}"#;
        assert_eq!(read_report(report).unwrap().host, "mail.example.jp");
    }

    #[test]
    fn case_folding_replacement_keeps_other_text() {
        let mut text = "Ünïcode TARO taro-san tArO".to_owned();
        replace_ignoring_ascii_case(&mut text, "taro", "<u>");
        assert_eq!(text, "Ünïcode <u> <u>-san <u>");
        let mut text = "nothing here".to_owned();
        replace_ignoring_ascii_case(&mut text, "taro", "<u>");
        assert_eq!(text, "nothing here");
    }
}
