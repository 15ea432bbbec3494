//! Just enough DER to read the parts of an X.509 certificate a person needs to see.
//!
//! A whole X.509 crate would cost the worker's wasm tens of kilobytes for fields we never show;
//! webpki already does the security-relevant parsing. This reader is strict where DER is
//! (definite lengths, single-byte tags) and bounded by the input: it never reads past the
//! slice it was given and never panics on what a server sent.

use std::fmt;

pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const OID: u8 = 0x06;
pub(super) const BOOLEAN: u8 = 0x01;
pub(super) const UTC_TIME: u8 = 0x17;
pub(super) const GENERALIZED_TIME: u8 = 0x18;

/// `[n]` with the constructed bit: an EXPLICIT context-specific tag.
pub(super) const fn explicit(n: u8) -> u8 {
    0xa0 | n
}

/// `[n]` without the constructed bit: an IMPLICIT primitive context-specific tag.
pub(super) const fn implicit(n: u8) -> u8 {
    0x80 | n
}

/// Why the bytes are not the DER we expected; static text, so it costs nothing to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DerError(pub(super) &'static str);

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// One tag-length-value element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tlv<'a> {
    pub(super) tag: u8,
    /// The content octets.
    pub(super) value: &'a [u8],
    /// Tag, length and content: what webpki and we compare names by.
    pub(super) whole: &'a [u8],
}

/// A cursor over consecutive DER elements (the inside of a SEQUENCE, or a whole document).
#[derive(Debug, Clone, Copy)]
pub(super) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(super) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub(super) fn any(&mut self) -> Result<Tlv<'a>, DerError> {
        let (&tag, after_tag) = self
            .rest
            .split_first()
            .ok_or(DerError("unexpected end of data"))?;
        if tag & 0x1f == 0x1f {
            return Err(DerError("multi-byte tags do not occur in certificates"));
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError("missing length"))?;
        let len = match first {
            0..=0x7f => usize::from(first),
            0x80 => return Err(DerError("indefinite length is not DER")),
            0x81..=0x84 => {
                let count = usize::from(first & 0x7f);
                if after_len.len() < count {
                    return Err(DerError("length runs past the end"));
                }
                let (len_bytes, rest) = after_len.split_at(count);
                after_len = rest;
                len_bytes
                    .iter()
                    .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
            }
            _ => return Err(DerError("length too large")),
        };
        if after_len.len() < len {
            return Err(DerError("element runs past the end"));
        }
        let header = self.rest.len() - after_len.len();
        let (whole, rest) = self.rest.split_at(header + len);
        self.rest = rest;
        Ok(Tlv {
            tag,
            value: &after_len[..len],
            whole,
        })
    }

    /// Reads the next element, which must carry `tag`; returns its content.
    pub(super) fn expect(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        self.expect_tlv(tag).map(|tlv| tlv.value)
    }

    pub(super) fn expect_tlv(&mut self, tag: u8) -> Result<Tlv<'a>, DerError> {
        let tlv = self.any()?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(DerError("unexpected element"))
        }
    }

    /// Reads the next element only if it carries `tag` (OPTIONAL and DEFAULT fields).
    pub(super) fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.expect(tag).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Renders an OBJECT IDENTIFIER's content as dotted decimal, for attributes we have no name for.
pub(super) fn oid_to_dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut current: u128 = 0;
    for &byte in oid {
        current = current.saturating_mul(128) | u128::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            arcs.push(current);
            current = 0;
        }
    }
    let mut out = String::new();
    if let Some((&first, rest)) = arcs.split_first() {
        let (a, b) = match first {
            0..=39 => (0, first),
            40..=79 => (1, first - 40),
            _ => (2, first - 80),
        };
        out = format!("{a}.{b}");
        for arc in rest {
            out.push('.');
            out.push_str(&arc.to_string());
        }
    }
    out
}

/// Parses UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) into Unix seconds.
pub(super) fn time_to_unix(tlv: Tlv<'_>) -> Result<i64, DerError> {
    let bad = DerError("malformed time");
    let text = std::str::from_utf8(tlv.value).map_err(|_| bad)?;
    let digits = text.strip_suffix('Z').ok_or(bad)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    let (year, rest) = match (tlv.tag, digits.len()) {
        (UTC_TIME, 12) => {
            let yy = number(&digits[..2]);
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &digits[2..])
        }
        (GENERALIZED_TIME, 14) => (number(&digits[..4]), &digits[4..]),
        _ => return Err(bad),
    };
    let month = number(&rest[0..2]);
    let day = number(&rest[2..4]);
    let (hour, minute, second) = (
        number(&rest[4..6]),
        number(&rest[6..8]),
        number(&rest[8..10]),
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return Err(bad);
    }
    // A leap second (60) is legal in UTCTime; counting it as 60 is within a second of right.
    if second > 60 {
        return Err(bad);
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// The value of a short run of ASCII digits (already checked to be digits).
fn number(digits: &str) -> i64 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + i64::from(b - b'0'))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(tag: u8, text: &str) -> Result<i64, DerError> {
        time_to_unix(Tlv {
            tag,
            value: text.as_bytes(),
            whole: &[],
        })
    }

    #[test]
    fn reads_short_and_long_lengths() {
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        long.extend([0x05, 0x00]);
        let mut reader = Reader::new(&long);
        let first = reader.any().unwrap();
        assert_eq!(
            (first.tag, first.value.len(), first.whole.len()),
            (4, 128, 131)
        );
        assert_eq!(reader.expect(0x05).unwrap(), &[] as &[u8]);
        assert!(reader.is_empty());
    }

    #[test]
    fn truncated_or_indefinite_input_is_an_error_not_a_panic() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x05, 0x01],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x30, 0x82, 0x01],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(Reader::new(bytes).any().is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn optional_fields_are_skipped_only_when_absent() {
        let bytes = [0x01, 0x01, 0xff, 0x04, 0x00];
        let mut reader = Reader::new(&bytes);
        assert_eq!(reader.optional(0xa0).unwrap(), None);
        assert_eq!(reader.optional(BOOLEAN).unwrap(), Some(&[0xff][..]));
        assert_eq!(reader.expect(OCTET_STRING).unwrap(), &[] as &[u8]);
        assert!(reader.expect(OCTET_STRING).is_err());
    }

    #[test]
    fn oids_render_as_dotted_decimal() {
        assert_eq!(oid_to_dotted(&[0x55, 0x04, 0x03]), "2.5.4.3");
        assert_eq!(
            oid_to_dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]),
            "1.2.840.113549.1.9.1"
        );
        assert_eq!(oid_to_dotted(&[]), "");
    }

    #[test]
    fn both_time_forms_give_unix_seconds() {
        assert_eq!(time(UTC_TIME, "700101000000Z"), Ok(0));
        assert_eq!(time(UTC_TIME, "491231235959Z"), Ok(2_524_607_999));
        assert_eq!(time(GENERALIZED_TIME, "20260301120000Z"), Ok(1_772_366_400));
        assert_eq!(
            time(GENERALIZED_TIME, "99991231235959Z"),
            Ok(253_402_300_799)
        );
        assert!(time(UTC_TIME, "2603011200Z").is_err());
        assert!(time(UTC_TIME, "261301120000Z").is_err());
        assert!(time(GENERALIZED_TIME, "20260301120000+0900").is_err());
        assert!(time(OCTET_STRING, "700101000000Z").is_err());
    }
}
