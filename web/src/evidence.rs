//! The evidence in a report as text a person can read and quote: server replies as they came
//! over the wire, EHLO extensions, the transcript, and when it all happened (in UTC, so two
//! people in different time zones quote the same time).

use sendcheck::smtp::{Extension, Reply};
use sendcheck::wire::{Direction, TranscriptLine};

use crate::i18n::Texts;

/// A reply as the server sent it: `220 mail.example.com ESMTP`, one string per line.
pub fn reply_lines(reply: &Reply) -> Vec<String> {
    reply.wire_lines().collect()
}

/// An EHLO extension as the server listed it: `AUTH PLAIN LOGIN`.
pub fn extension_line(extension: &Extension) -> String {
    let mut line = extension.keyword.clone();
    for param in &extension.params {
        line.push(' ');
        line.push_str(param);
    }
    line
}

/// The dialogue, one line per transcript entry: time since the start (right-aligned), who
/// spoke, and what was said.
pub fn transcript_text(lines: &[TranscriptLine], texts: &Texts) -> String {
    let width = lines
        .iter()
        .map(|l| l.at_ms.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for line in lines {
        let arrow = match line.direction {
            Direction::Client => texts.transcript_client,
            Direction::Server => texts.transcript_server,
            Direction::Note => texts.transcript_note,
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{:>width$} {arrow} {}", line.at_ms, line.text));
    }
    out
}

/// Milliseconds since the Unix epoch as `2026-11-24 03:30:49 UTC`.
pub fn utc_time(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Seconds since the Unix epoch (as in certificates) as `2026-11-24`; dates before 1970 (which
/// no certificate a mail server sends today has) show as 1970-01-01.
pub fn utc_date(unix_secs: i64) -> String {
    let days = u64::try_from(unix_secs).unwrap_or(0) / 86_400;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn extensions_read_keyword_then_params() {
        let auth = Extension {
            keyword: "AUTH".into(),
            params: vec!["PLAIN".into(), "LOGIN".into()],
        };
        assert_eq!(extension_line(&auth), "AUTH PLAIN LOGIN");
        let pipelining = Extension {
            keyword: "PIPELINING".into(),
            params: vec![],
        };
        assert_eq!(extension_line(&pipelining), "PIPELINING");
    }

    #[test]
    fn replies_read_as_on_the_wire() {
        let reply: Reply = serde_json::from_str(
            r#"{"code":250,"lines":["mail.example.com","PIPELINING","AUTH PLAIN LOGIN"]}"#,
        )
        .expect("reply");
        assert_eq!(
            reply_lines(&reply),
            [
                "250-mail.example.com",
                "250-PIPELINING",
                "250 AUTH PLAIN LOGIN"
            ]
        );
    }

    #[test]
    fn the_transcript_aligns_times_and_marks_who_spoke() {
        let lines: Vec<TranscriptLine> = serde_json::from_str(
            r#"[{"at_ms":8,"direction":"server","text":"220 mail.example.com ESMTP"},
                {"at_ms":9,"direction":"client","text":"EHLO sendcheck"},
                {"at_ms":120,"direction":"server","text":"250 mail.example.com"},
                {"at_ms":130,"direction":"note","text":"TLS 1.3 established"}]"#,
        )
        .expect("lines");
        assert_eq!(
            transcript_text(&lines, Lang::En.texts()),
            "  8 ← 220 mail.example.com ESMTP\n  9 → EHLO sendcheck\n120 ← 250 mail.example.com\n130 · TLS 1.3 established"
        );
        assert_eq!(transcript_text(&[], Lang::En.texts()), "");
    }

    #[test]
    fn certificate_dates_are_shown_as_days() {
        assert_eq!(utc_date(1_767_225_600), "2026-01-01");
        assert_eq!(utc_date(1_798_761_599), "2026-12-31");
        assert_eq!(utc_date(-5), "1970-01-01");
    }

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_time(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_time(1_764_000_000_999), "2025-11-24 16:00:00 UTC");
        assert_eq!(utc_time(4_107_542_399_000), "2100-02-28 23:59:59 UTC");
    }
}
