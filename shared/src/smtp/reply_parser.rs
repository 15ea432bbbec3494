//! Incremental, bounded reply parser: feed it whatever bytes arrived, take whole replies out.
//!
//! Bounds come first because the peer may be hostile: a line, a reply's line count and the
//! bytes buffered are all capped, and an error is sticky (the stream cannot be trusted after).

use std::fmt;

use crate::smtp::{Reply, ReplyCode};

/// Caps on what one reply may be. RFC 5321 §4.5.3.1.5 sets 512 octets per reply line; real
/// servers exceed it a little, so the defaults leave room without letting a peer exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyLimits {
    pub max_line: usize,
    pub max_lines: usize,
    pub max_reply_bytes: usize,
}

impl Default for ReplyLimits {
    fn default() -> Self {
        Self {
            max_line: 2048,
            max_lines: 128,
            max_reply_bytes: 16 * 1024,
        }
    }
}

/// Why the bytes are not (or no longer) an acceptable SMTP reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyError {
    LineTooLong {
        limit: usize,
    },
    TooManyLines {
        limit: usize,
    },
    ReplyTooLarge {
        limit: usize,
    },
    /// The line does not start with a three-digit code 200–599.
    BadCode {
        line: String,
    },
    /// The code is followed by something other than space, hyphen or end of line.
    BadSeparator {
        line: String,
    },
    /// A multi-line reply changed its code midway (RFC 5321 §4.2.1 forbids it).
    InconsistentCode {
        first: ReplyCode,
        then: ReplyCode,
    },
}

impl ReplyError {
    /// True for the errors that are about size rather than shape.
    pub fn is_oversize(&self) -> bool {
        matches!(
            self,
            Self::LineTooLong { .. } | Self::TooManyLines { .. } | Self::ReplyTooLarge { .. }
        )
    }
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineTooLong { limit } => write!(f, "a reply line is longer than {limit} bytes"),
            Self::TooManyLines { limit } => write!(f, "a reply has more than {limit} lines"),
            Self::ReplyTooLarge { limit } => write!(f, "a reply is larger than {limit} bytes"),
            Self::BadCode { line } => write!(f, "line {line:?} does not start with a reply code"),
            Self::BadSeparator { line } => {
                write!(f, "line {line:?} has no space or hyphen after its code")
            }
            Self::InconsistentCode { first, then } => {
                write!(
                    f,
                    "a multi-line reply changed its code from {first} to {then}"
                )
            }
        }
    }
}

impl std::error::Error for ReplyError {}

/// Accumulates bytes and yields complete replies.
#[derive(Debug, Clone, Default)]
pub struct ReplyParser {
    limits: ReplyLimits,
    buffer: Vec<u8>,
    /// How much of `buffer` is known to hold no line end, so a server trickling bytes is not
    /// rescanned from the start on every read.
    scanned: usize,
    /// Lines of the reply being assembled, with its code.
    partial: Option<(ReplyCode, Vec<String>)>,
    partial_bytes: usize,
    failed: Option<ReplyError>,
}

impl ReplyParser {
    pub fn new(limits: ReplyLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Buffers received bytes. Parsing happens in [`ReplyParser::next_reply`].
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// True when bytes are buffered that do not yet form a whole reply, or a whole reply
    /// is waiting to be taken.
    pub fn has_pending_bytes(&self) -> bool {
        !self.buffer.is_empty() || self.partial.is_some()
    }

    /// The next complete reply, `Ok(None)` if more bytes are needed, or the (sticky) error.
    pub fn next_reply(&mut self) -> Result<Option<Reply>, ReplyError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let result = self.parse_buffered();
        if let Err(error) = &result {
            self.failed = Some(error.clone());
            self.buffer = Vec::new();
            self.scanned = 0;
        }
        result
    }

    /// The unparsed remainder, for the transcript when the stream is abandoned.
    pub fn leftover(&self) -> String {
        excerpt(&self.buffer)
    }

    fn parse_buffered(&mut self) -> Result<Option<Reply>, ReplyError> {
        loop {
            let found = self.buffer[self.scanned..].iter().position(|&b| b == b'\n');
            let Some(end) = found.map(|at| self.scanned + at) else {
                self.scanned = self.buffer.len();
                if self.buffer.len() > self.limits.max_line {
                    return Err(ReplyError::LineTooLong {
                        limit: self.limits.max_line,
                    });
                }
                return Ok(None);
            };
            if end > self.limits.max_line {
                return Err(ReplyError::LineTooLong {
                    limit: self.limits.max_line,
                });
            }
            let raw: Vec<u8> = self.buffer.drain(..=end).collect();
            self.scanned = 0;
            let line = raw.strip_suffix(b"\n").unwrap_or(&raw);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(reply) = self.take_line(line, raw.len())? {
                return Ok(Some(reply));
            }
        }
    }

    fn take_line(&mut self, line: &[u8], raw_len: usize) -> Result<Option<Reply>, ReplyError> {
        let code = line
            .get(..3)
            .and_then(ReplyCode::from_digits)
            .ok_or_else(|| ReplyError::BadCode {
                line: excerpt(line),
            })?;
        let is_last = match line.get(3) {
            None | Some(b' ') => true,
            Some(b'-') => false,
            Some(_) => {
                return Err(ReplyError::BadSeparator {
                    line: excerpt(line),
                })
            }
        };
        let text = String::from_utf8_lossy(line.get(4..).unwrap_or_default()).into_owned();

        self.partial_bytes += raw_len;
        if self.partial_bytes > self.limits.max_reply_bytes {
            return Err(ReplyError::ReplyTooLarge {
                limit: self.limits.max_reply_bytes,
            });
        }
        let (first, lines) = self.partial.get_or_insert_with(|| (code, Vec::new()));
        if *first != code {
            // postscreen's teaser: `220-host ESMTP` lines, then the refusal that is the
            // answer (`521 5.7.1 … blocked using zen.spamhaus.org`). Any other change of code
            // midway is still malformed (RFC 5321 §4.2.1).
            if is_last && first.is_positive() && !code.is_positive() {
                let (teaser, lines) = (*first, std::mem::take(lines));
                self.partial = None;
                self.partial_bytes = 0;
                return Ok(Some(Reply::after_teaser(teaser, lines, code, text)));
            }
            return Err(ReplyError::InconsistentCode {
                first: *first,
                then: code,
            });
        }
        lines.push(text);
        if lines.len() > self.limits.max_lines {
            return Err(ReplyError::TooManyLines {
                limit: self.limits.max_lines,
            });
        }
        if !is_last {
            return Ok(None);
        }
        self.partial_bytes = 0;
        Ok(self
            .partial
            .take()
            .map(|(code, lines)| Reply::new(code, lines)))
    }
}

/// A short, printable rendering of bytes a peer sent, for error messages and transcripts.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX)]);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if bytes.len() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(bytes: &[u8]) -> Result<Vec<Reply>, ReplyError> {
        let mut parser = ReplyParser::default();
        parser.feed(bytes);
        let mut replies = Vec::new();
        while let Some(reply) = parser.next_reply()? {
            replies.push(reply);
        }
        Ok(replies)
    }

    /// RFC 5321 §4.2.1's multi-line example and a real Postfix EHLO answer.
    const POSTFIX_EHLO: &[u8] =
        b"250-mail.sendcheck.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n\
250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n\
250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";

    #[test]
    fn rfc_5321_multiline_reply() {
        let replies = parse_all(b"250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n250 The last line\r\n").unwrap();
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0].code, ReplyCode::OK);
        assert_eq!(
            replies[0].lines,
            [
                "First line",
                "Second line",
                "234 Text beginning with numbers",
                "The last line"
            ]
        );
    }

    #[test]
    fn table_of_real_replies() {
        let table: &[(&[u8], u16, usize, Option<&str>)] = &[
            (b"220 mail.sendcheck.test ESMTP Postfix\r\n", 220, 1, None),
            (POSTFIX_EHLO, 250, 11, None),
            (b"221 2.0.0 Bye\r\n", 221, 1, Some("2.0.0")),
            (
                b"535 5.7.8 Error: authentication failed: authentication failure\r\n",
                535,
                1,
                Some("5.7.8"),
            ),
            (
                b"421 4.3.2 Service not available, closing transmission channel\r\n",
                421,
                1,
                Some("4.3.2"),
            ),
            (
                b"554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied\r\n",
                554,
                1,
                Some("5.7.1"),
            ),
            (
                b"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\r\n",
                535,
                1,
                Some("5.7.139"),
            ),
            // Bare LF and a code with no text are tolerated.
            (b"220-smtp.example.jp\n220\n", 220, 2, None),
        ];
        for (bytes, code, lines, enhanced) in table {
            let replies = parse_all(bytes).unwrap();
            assert_eq!(replies.len(), 1, "{}", String::from_utf8_lossy(bytes));
            assert_eq!(replies[0].code.get(), *code);
            assert_eq!(replies[0].lines.len(), *lines);
            assert_eq!(
                replies[0].enhanced.map(|e| e.to_string()).as_deref(),
                *enhanced
            );
        }
    }

    #[test]
    fn a_reply_split_at_every_byte_boundary_parses_the_same() {
        let whole = parse_all(POSTFIX_EHLO).unwrap();
        for split in 0..=POSTFIX_EHLO.len() {
            let mut parser = ReplyParser::default();
            parser.feed(&POSTFIX_EHLO[..split]);
            let first = parser.next_reply().unwrap();
            parser.feed(&POSTFIX_EHLO[split..]);
            let got = match first {
                Some(reply) => reply,
                None => parser.next_reply().unwrap().unwrap(),
            };
            assert_eq!(got, whole[0], "split at {split}");
            assert!(!parser.has_pending_bytes());
        }
    }

    #[test]
    fn one_byte_at_a_time() {
        let mut parser = ReplyParser::default();
        let mut got = Vec::new();
        for &b in POSTFIX_EHLO.iter().chain(b"221 Bye\r\n") {
            parser.feed(&[b]);
            while let Some(reply) = parser.next_reply().unwrap() {
                got.push(reply.code.get());
            }
        }
        assert_eq!(got, [250, 221]);
    }

    #[test]
    fn malformed_lines_are_named() {
        assert!(matches!(
            parse_all(b"HTTP/1.1 400 Bad Request\r\n"),
            Err(ReplyError::BadCode { .. })
        ));
        assert!(matches!(
            parse_all(b"SSH-2.0-OpenSSH_9.2\r\n"),
            Err(ReplyError::BadCode { .. })
        ));
        assert!(matches!(
            parse_all(b"220_hello\r\n"),
            Err(ReplyError::BadSeparator { .. })
        ));
        assert!(matches!(
            parse_all(b"099 nope\r\n"),
            Err(ReplyError::BadCode { .. })
        ));
        let postscreen = parse_all(
            b"220-mx.example.jp ESMTP\r\n521 5.7.1 Service unavailable; client [192.0.2.7] blocked using zen.spamhaus.org\r\n",
        )
        .unwrap();
        assert_eq!(postscreen[0].code.get(), 521);
        assert_eq!(
            postscreen[0].enhanced.map(|e| e.to_string()).as_deref(),
            Some("5.7.1")
        );
        assert_eq!(
            postscreen[0].wire_lines().collect::<Vec<_>>(),
            [
                "220-mx.example.jp ESMTP",
                "521 5.7.1 Service unavailable; client [192.0.2.7] blocked using zen.spamhaus.org"
            ],
            "the teaser and the refusal exactly as sent"
        );
        assert_eq!(
            parse_all(b"250-a\r\n251 b\r\n"),
            Err(ReplyError::InconsistentCode {
                first: ReplyCode::OK,
                then: ReplyCode::new(251).unwrap()
            })
        );
    }

    #[test]
    fn bounds_hold_against_hostile_peers() {
        let limits = ReplyLimits::default();
        let long = vec![b'2'; limits.max_line + 10];
        let mut parser = ReplyParser::default();
        parser.feed(&long);
        assert_eq!(
            parser.next_reply(),
            Err(ReplyError::LineTooLong {
                limit: limits.max_line
            })
        );
        // Sticky: more bytes do not revive the stream.
        parser.feed(b"220 ok\r\n");
        assert!(parser.next_reply().is_err());

        let endless: Vec<u8> = b"250-x\r\n".repeat(limits.max_lines + 1);
        assert_eq!(
            parse_all(&endless),
            Err(ReplyError::TooManyLines {
                limit: limits.max_lines
            })
        );

        let fat_line = format!("250-{}\r\n", "x".repeat(2000));
        let fat: Vec<u8> = fat_line.repeat(10).into_bytes();
        assert_eq!(
            parse_all(&fat),
            Err(ReplyError::ReplyTooLarge {
                limit: limits.max_reply_bytes
            })
        );
    }

    #[test]
    fn non_utf8_text_is_kept_lossily() {
        let replies = parse_all(b"220 \xff\xfe server\r\n").unwrap();
        assert!(replies[0].lines[0].ends_with(" server"));
    }
}
