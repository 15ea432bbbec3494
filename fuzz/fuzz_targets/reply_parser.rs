//! The SMTP reply parser against arbitrary server bytes.
//!
//! Input: one byte that seeds how the stream is cut into reads, then the stream itself.
//! Checked: no panic; the same bytes cut three ways (whole, fuzzer-chosen reads, and one byte
//! per read for short inputs) give the same replies and the same final error; every reply stays within
//! `ReplyLimits::default()`; every reply round-trips through `Reply::wire_lines`; EHLO
//! capabilities and enhanced status codes read from any reply without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sendcheck::smtp::{Capabilities, EnhancedStatus, Reply, ReplyError, ReplyLimits, ReplyParser};

const BYTEWISE_MAX: usize = 512;

fuzz_target!(|data: &[u8]| {
    let Some((&cut_seed, stream)) = data.split_first() else {
        return;
    };

    let whole = parse(stream, std::iter::once(stream.len()));
    let chunked = parse(stream, cuts(cut_seed));
    assert_eq!(
        whole, chunked,
        "reads cut at seed {cut_seed} parse differently"
    );
    // The parser rescans a partial line on every read, so byte by byte costs the square of
    // the line length: kept to inputs small enough to leave the fuzzer its speed.
    if stream.len() <= BYTEWISE_MAX {
        let bytewise = parse(stream, std::iter::repeat(1));
        assert_eq!(whole, bytewise, "one byte per read parses differently");
    }

    let (replies, _end) = whole;
    for reply in &replies {
        check_bounds(reply);
        check_round_trip(reply);
        read_capabilities(reply);
    }
});

/// What a stream parsed to: every reply, then how the stream ended (waiting or failed).
type Parsed = (Vec<Reply>, Result<(), ReplyError>);

/// Feeds `stream` in reads of the given sizes, taking every reply after each read, as the
/// engine does.
fn parse(stream: &[u8], sizes: impl Iterator<Item = usize>) -> Parsed {
    let mut parser = ReplyParser::default();
    let mut replies = Vec::new();
    let mut rest = stream;
    let mut sizes = sizes;
    loop {
        let size = sizes
            .next()
            .unwrap_or(rest.len())
            .clamp(1, rest.len().max(1));
        let (read, after) = rest.split_at(size.min(rest.len()));
        parser.feed(read);
        rest = after;
        loop {
            match parser.next_reply() {
                Ok(Some(reply)) => replies.push(reply),
                Ok(None) => break,
                Err(error) => {
                    // Sticky: nothing revives a failed stream.
                    parser.feed(b"250 ok\r\n");
                    assert_eq!(parser.next_reply(), Err(error.clone()));
                    let _ = parser.leftover();
                    return (replies, Err(error));
                }
            }
        }
        if rest.is_empty() {
            let _ = parser.leftover();
            return (replies, Ok(()));
        }
    }
}

/// Read sizes from 1 to 64 bytes, from a small xorshift generator seeded by the fuzzer.
fn cuts(seed: u8) -> impl Iterator<Item = usize> {
    let mut state = u32::from(seed).wrapping_mul(0x9E37_79B9) | 1;
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        Some((state % 64) as usize + 1)
    })
}

/// No reply is bigger than the parser's caps allow. Text is counted in chars: a byte that is
/// not UTF-8 becomes one U+FFFD, so chars never outnumber the bytes that were read.
fn check_bounds(reply: &Reply) {
    let limits = ReplyLimits::default();
    assert!(!reply.lines.is_empty(), "a reply with no line");
    assert!(reply.lines.len() <= limits.max_lines, "too many lines");
    let mut total = 0;
    for line in &reply.lines {
        let chars = line.chars().count();
        assert!(chars <= limits.max_line, "a line of {chars} chars");
        assert!(!line.contains('\n'), "a line holds LF");
        total += chars;
    }
    assert!(total <= limits.max_reply_bytes, "a reply of {total} chars");
}

/// The wire form of a reply parses back to the same reply. Each non-UTF-8 byte came back as a
/// three-byte U+FFFD, so the re-parse allows three times the default sizes.
fn check_round_trip(reply: &Reply) {
    let mut wire = String::new();
    for line in reply.wire_lines() {
        wire.push_str(&line);
        wire.push_str("\r\n");
    }
    let limits = ReplyLimits::default();
    let mut parser = ReplyParser::new(ReplyLimits {
        max_line: limits.max_line * 3 + 8,
        max_lines: limits.max_lines,
        max_reply_bytes: limits.max_reply_bytes * 3 + 8 * limits.max_lines,
    });
    parser.feed(wire.as_bytes());
    let again = parser.next_reply();
    assert_eq!(
        again.as_ref(),
        Ok(&Some(reply.clone())),
        "wire form {wire:?}"
    );
    assert!(
        !parser.has_pending_bytes(),
        "wire form {wire:?} left bytes over"
    );
}

/// Whatever a server says, reading it as EHLO capabilities or enhanced codes cannot fail.
fn read_capabilities(reply: &Reply) {
    let capabilities = Capabilities::from_reply(reply);
    let _ = capabilities.starttls();
    let _ = capabilities.auth_mechanisms();
    let _ = capabilities.size_limit();
    for extension in &capabilities.extensions {
        assert_eq!(extension.keyword, extension.keyword.to_ascii_uppercase());
        assert!(capabilities.has(&extension.keyword));
    }
    for line in &reply.lines {
        if let Some(status) = EnhancedStatus::from_text(line) {
            let again: Result<EnhancedStatus, _> = status.to_string().parse();
            assert_eq!(again, Ok(status), "enhanced status {line:?}");
        }
    }
    let json = serde_json::to_string(reply).expect("a reply serializes");
    let back: Reply = serde_json::from_str(&json).expect("a reply deserializes");
    assert_eq!(&back, reply);
}
