//! The byte layer under the dialogue: plain TCP, or TLS (rustls, through `crate::tls`) after
//! STARTTLS or from the first byte. It turns TLS failures into named outcomes.

use crate::probe::config::{TrustAnchors, VerificationCache};
use crate::target::Host;
use crate::tls::{verify_chain, verify_chain_with_roots, TlsFailure, TlsSession};
use crate::wire::{OutcomeKind, TlsReport};

pub(crate) enum Transport {
    Plain,
    Tls(Box<TlsSession>),
}

/// Plaintext for the reply parser, and whether the handshake completed with these bytes.
pub(crate) enum Received {
    Plaintext(Vec<u8>),
    Established(Vec<u8>),
}

impl Transport {
    pub(crate) fn start_tls(host: &Host, unix_secs: u64) -> Result<Self, OutcomeKind> {
        TlsSession::new(host, unix_secs)
            .map(|session| Self::Tls(Box::new(session)))
            .map_err(|e| OutcomeKind::TlsHandshakeFailed {
                detail: e.to_string(),
                alert: None,
            })
    }

    pub(crate) fn is_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }

    /// Network bytes in; TLS records to answer go to `outbox`.
    pub(crate) fn receive(
        &mut self,
        bytes: &[u8],
        outbox: &mut Vec<u8>,
    ) -> Result<Received, OutcomeKind> {
        let Self::Tls(session) = self else {
            return Ok(Received::Plaintext(bytes.to_vec()));
        };
        let was_handshaking = session.is_handshaking();
        let result = session.receive(bytes);
        // Even on failure rustls may have queued an alert for the peer.
        outbox.extend(session.take_ciphertext());
        if let Err(failure) = result {
            return Err(outcome_of(failure, was_handshaking));
        }
        let plaintext = session.take_plaintext();
        if was_handshaking && !session.is_handshaking() {
            Ok(Received::Established(plaintext))
        } else {
            Ok(Received::Plaintext(plaintext))
        }
    }

    /// Plaintext out (an SMTP command), as wire bytes in `outbox`.
    pub(crate) fn send(&mut self, plaintext: &[u8], outbox: &mut Vec<u8>) {
        match self {
            Self::Plain => outbox.extend_from_slice(plaintext),
            Self::Tls(session) => {
                session.send_plaintext(plaintext);
                outbox.extend(session.take_ciphertext());
            }
        }
    }

    /// Whatever TLS wants to send on its own (the ClientHello).
    pub(crate) fn flush(&mut self, outbox: &mut Vec<u8>) {
        if let Self::Tls(session) = self {
            outbox.extend(session.take_ciphertext());
        }
    }

    /// The session and its certificate verdict against the configured roots, verified once
    /// per distinct chain (see [`VerificationCache`]).
    pub(crate) fn report(
        &self,
        trust: &TrustAnchors,
        cache: &VerificationCache,
        host: &Host,
        unix_secs: u64,
    ) -> Option<TlsReport> {
        let Self::Tls(session) = self else {
            return None;
        };
        let verdict = cache.get_or_verify(session.peer_chain(), host, |chain| match trust {
            TrustAnchors::PublicRoots => verify_chain(chain, host, unix_secs),
            TrustAnchors::Only(roots) => verify_chain_with_roots(chain, host, unix_secs, roots),
            TrustAnchors::PublicAnd(roots) => {
                let public = verify_chain(chain, host, unix_secs);
                if public.is_verified() {
                    public
                } else {
                    verify_chain_with_roots(chain, host, unix_secs, roots)
                }
            }
        });
        session.report_with_verification(verdict)
    }
}

/// The clear-text bytes read as an SMTP refusal (4xx/5xx), when that is what they are. The
/// excerpt shows line breaks as U+FFFD; it is bounded, so a long reply keeps its first lines.
fn refusal_in_clear(excerpt: &str) -> Option<crate::smtp::Reply> {
    let code = excerpt.get(..3)?.parse::<u16>().ok()?;
    if !(400..600).contains(&code) {
        return None;
    }
    let mut parser = crate::smtp::ReplyParser::default();
    for line in excerpt
        .trim_end_matches('…')
        .split('\u{fffd}')
        .filter(|l| !l.is_empty())
    {
        parser.feed(line.as_bytes());
        parser.feed(b"\r\n");
    }
    parser.next_reply().ok().flatten()
}

fn outcome_of(failure: TlsFailure, handshaking: bool) -> OutcomeKind {
    let detail = failure.to_string();
    match failure {
        TlsFailure::PlaintextReply { excerpt } if handshaking => match refusal_in_clear(&excerpt) {
            // A 421/554 in clear text on the TLS port is the server refusing, in its own
            // words, before any TLS: not "this port wants STARTTLS" (seen on Exim and aiosmtpd).
            Some(reply) => OutcomeKind::GreetingRejected { reply },
            None => OutcomeKind::PlaintextInsteadOfTls { excerpt },
        },
        TlsFailure::AlertReceived { alert } if handshaking => OutcomeKind::TlsHandshakeFailed {
            detail,
            alert: Some(alert),
        },
        _ if handshaking => OutcomeKind::TlsHandshakeFailed {
            detail,
            alert: None,
        },
        _ => OutcomeKind::ConnectionLost { detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_in_clear_on_the_tls_port_is_a_refusal_with_its_words() {
        let outcome = outcome_of(
            TlsFailure::PlaintextReply {
                excerpt: "421 mail.example.jp Too many concurrent SMTP connections from this IP address; please try again later.\u{fffd}\u{fffd}".into(),
            },
            true,
        );
        match outcome {
            OutcomeKind::GreetingRejected { reply } => {
                assert_eq!(reply.code.get(), 421);
                assert!(reply.text().contains("from this IP address"));
            }
            other => panic!("{other:?}"),
        }
        let greeting = outcome_of(
            TlsFailure::PlaintextReply {
                excerpt: "220 mail.example.jp ESMTP\u{fffd}\u{fffd}".into(),
            },
            true,
        );
        assert!(matches!(
            greeting,
            OutcomeKind::PlaintextInsteadOfTls { .. }
        ));
    }
}
