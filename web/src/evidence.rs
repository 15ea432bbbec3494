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
}
