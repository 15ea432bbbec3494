//! Why a TLS connection could not be had, in terms a person can act on.
//!
//! A certificate problem is not here: it never fails the handshake (see `verify`). These are
//! the failures after which no encrypted conversation exists.

use std::fmt;

/// Every way the TLS layer can fail. `code()` is stable for the page's translations; `Display`
/// is the English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsFailure {
    /// The server ended the handshake with a TLS alert, by its RFC 8446 name
    /// ("handshake_failure", "protocol_version", …).
    AlertReceived { alert: String },
    /// The server answered in clear text where TLS was expected, e.g. "220 mail ESMTP" on a
    /// port we treated as TLS-from-the-first-byte: the port and the security mode do not match.
    PlaintextReply { excerpt: String },
    /// The server's bytes are neither TLS nor text.
    NotTls { detail: String },
    /// The server only offers TLS versions or algorithms that are no longer safe (TLS 1.0/1.1,
    /// no forward secrecy…), so no mail program that cares would connect either.
    Incompatible { detail: String },
    /// Anything else rustls refused, described by rustls.
    Other { detail: String },
}

/// The error of [`TlsSession::new`](super::TlsSession::new): the same failures.
pub type TlsError = TlsFailure;

impl TlsFailure {
    /// A stable machine-readable name.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlertReceived { .. } => "alert_received",
            Self::PlaintextReply { .. } => "plaintext_reply",
            Self::NotTls { .. } => "not_tls",
            Self::Incompatible { .. } => "incompatible",
            Self::Other { .. } => "other",
        }
    }
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AlertReceived { alert } => {
                write!(
                    f,
                    "the server ended the TLS handshake with the alert \"{alert}\""
                )?;
                match alert.as_str() {
                    "handshake_failure" | "insufficient_security" => write!(
                        f,
                        ": it accepts none of the modern TLS versions and ciphers we offered"
                    ),
                    "protocol_version" => write!(f, ": it supports neither TLS 1.2 nor TLS 1.3"),
                    "unrecognized_name" => write!(f, ": it has no certificate for this name"),
                    "internal_error" => write!(f, ": its TLS setup is broken"),
                    _ => Ok(()),
                }
            }
            Self::PlaintextReply { excerpt } => write!(
                f,
                "the server answered in plain text ({excerpt:?}) where TLS was expected: if TLS \
                 was to start at once (SSL/TLS, usually port 465), this port expects STARTTLS \
                 or no encryption instead"
            ),
            Self::NotTls { detail } => write!(f, "the server's answer is not TLS: {detail}"),
            Self::Incompatible { detail } => write!(
                f,
                "the server offers no TLS version or cipher that is still considered safe: {detail}"
            ),
            Self::Other { detail } => write!(f, "TLS failed: {detail}"),
        }
    }
}

impl std::error::Error for TlsFailure {}

/// Looks at the very first bytes the server sent: a TLS record starts with a content type
/// (20–24) then major version 3. Anything else is answered now, before rustls turns it into a
/// less helpful "corrupt message".
pub(super) fn check_first_bytes(bytes: &[u8]) -> Result<(), TlsFailure> {
    match bytes {
        [] | [0x14..=0x18] | [0x14..=0x18, 0x03, ..] => Ok(()),
        _ if looks_like_text(bytes) => Err(TlsFailure::PlaintextReply {
            excerpt: first_line(bytes),
        }),
        _ => Err(TlsFailure::NotTls {
            detail: format!("it began with the bytes {}", hex_excerpt(bytes)),
        }),
    }
}

/// The RFC 8446 name of an alert, by its number.
pub(super) fn alert_name(code: u8) -> String {
    let name = match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        60 => "export_restriction",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        111 => "certificate_unobtainable",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        114 => "bad_certificate_hash_value",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        121 => "ech_required",
        other => return format!("alert_{other}"),
    };
    name.to_owned()
}

/// Longest excerpt of a clear-text answer we keep.
const MAX_EXCERPT_CHARS: usize = 120;

fn looks_like_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(64)
        .all(|&b| b == b'\r' || b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b))
}

fn first_line(bytes: &[u8]) -> String {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line)
        .chars()
        .take(MAX_EXCERPT_CHARS)
        .collect()
}

fn hex_excerpt(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 8 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tls_record_start_passes() {
        assert_eq!(check_first_bytes(&[0x16, 0x03, 0x03, 0x00, 0x7a]), Ok(()));
        assert_eq!(check_first_bytes(&[0x15]), Ok(()));
        assert_eq!(check_first_bytes(&[]), Ok(()));
    }

    #[test]
    fn an_smtp_greeting_is_a_plaintext_reply() {
        let failure = check_first_bytes(b"220 mail.example.jp ESMTP Postfix\r\n").unwrap_err();
        assert_eq!(
            failure,
            TlsFailure::PlaintextReply {
                excerpt: "220 mail.example.jp ESMTP Postfix".to_owned()
            }
        );
        assert!(failure.to_string().contains("STARTTLS"), "{failure}");
        assert_eq!(failure.code(), "plaintext_reply");
    }

    #[test]
    fn a_partial_line_is_kept_as_it_came() {
        assert_eq!(
            check_first_bytes(b"2"),
            Err(TlsFailure::PlaintextReply {
                excerpt: "2".to_owned()
            })
        );
        let long = "5".repeat(500);
        match check_first_bytes(long.as_bytes()) {
            Err(TlsFailure::PlaintextReply { excerpt }) => assert_eq!(excerpt.len(), 120),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn binary_garbage_is_not_tls() {
        let failure = check_first_bytes(&[0x00, 0xff, 0x10, 1, 2, 3, 4, 5, 6, 7]).unwrap_err();
        assert_eq!(
            failure,
            TlsFailure::NotTls {
                detail: "it began with the bytes 00 ff 10 01 02 03 04 05 …".to_owned()
            }
        );
        // A content type byte followed by something other than version 3.
        assert!(matches!(
            check_first_bytes(&[0x16, 0x99]),
            Err(TlsFailure::NotTls { .. })
        ));
    }

    #[test]
    fn alerts_have_their_rfc_names_and_a_hint() {
        assert_eq!(alert_name(40), "handshake_failure");
        assert_eq!(alert_name(70), "protocol_version");
        assert_eq!(alert_name(112), "unrecognized_name");
        assert_eq!(alert_name(250), "alert_250");
        let failure = TlsFailure::AlertReceived {
            alert: alert_name(70),
        };
        assert_eq!(
            failure.to_string(),
            "the server ended the TLS handshake with the alert \"protocol_version\": it supports \
             neither TLS 1.2 nor TLS 1.3"
        );
    }
}
