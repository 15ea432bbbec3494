//! Reads the worker's NDJSON answer to a check (`Accept: application/x-ndjson`): one
//! [`ProgressEvent`] a line (read tag first, see `sendcheck::wire::read_progress_line`),
//! ending with `done` (the whole [`CheckReport`]) or `error`.
//! Bytes arrive in chunks that split lines (and UTF-8 characters) anywhere; this module puts
//! them back together without the browser, so every case is tested natively.

use sendcheck::wire::{read_progress_line, CheckReport, ProgressEvent};

use crate::state::Failure;

/// The content type of the streamed answer.
pub const NDJSON: &str = "application/x-ndjson";

/// One line may hold the whole report of four ports with transcripts and certificates: tens
/// of KiB. Anything far beyond is not from the worker.
pub const MAX_LINE_BYTES: usize = 2 * 1024 * 1024;

/// What a chunk of the stream brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamItem {
    /// A step or a port finished: show it.
    Progress(ProgressEvent),
    /// The check ended, with its report or the reason there is none. Nothing after it counts.
    Finished(Result<CheckReport, Failure>),
}

/// Collects bytes into lines and lines into events.
#[derive(Debug, Default)]
pub struct StreamReader {
    pending: Vec<u8>,
    finished: bool,
}

impl StreamReader {
    /// Reads a chunk; returns the items of every line it completed.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<StreamItem> {
        let mut items = Vec::new();
        if self.finished {
            return items;
        }
        let mut rest = bytes;
        while let Some(newline) = rest.iter().position(|&b| b == b'\n') {
            self.pending.extend_from_slice(&rest[..newline]);
            rest = &rest[newline + 1..];
            let line = std::mem::take(&mut self.pending);
            if let Some(item) = self.line(&line) {
                items.push(item);
                if self.finished {
                    return items;
                }
            }
        }
        self.pending.extend_from_slice(rest);
        if self.pending.len() > MAX_LINE_BYTES {
            self.finished = true;
            self.pending = Vec::new();
            items.push(StreamItem::Finished(Err(unreadable(format!(
                "a line of the answer is longer than {MAX_LINE_BYTES} bytes"
            )))));
        }
        items
    }

    /// The stream closed: a last line without its newline still counts; a stream that ended
    /// before `done` is a failure.
    pub fn end(mut self) -> Result<CheckReport, Failure> {
        let line = std::mem::take(&mut self.pending);
        if !self.finished {
            if let Some(StreamItem::Finished(result)) = self.line(&line) {
                return result;
            }
        }
        Err(unreadable(
            "the answer ended before the check's result".to_owned(),
        ))
    }

    fn line(&mut self, bytes: &[u8]) -> Option<StreamItem> {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.trim(),
            Err(e) => {
                self.finished = true;
                return Some(StreamItem::Finished(Err(unreadable(e.to_string()))));
            }
        };
        if text.is_empty() {
            return None;
        }
        let item = match read_progress_line(text) {
            Ok(Some(ProgressEvent::Done { report })) => StreamItem::Finished(Ok(*report)),
            Ok(Some(ProgressEvent::Error { error })) => StreamItem::Finished(Err(Failure::Api {
                status: 200,
                code: error.code,
                message: error.message,
            })),
            Ok(Some(event)) => StreamItem::Progress(event),
            // An event kind from a newer worker is not a reason to give up on the check.
            Ok(None) => return None,
            Err(e) => StreamItem::Finished(Err(unreadable(e.to_string()))),
        };
        if matches!(item, StreamItem::Finished(_)) {
            self.finished = true;
        }
        Some(item)
    }
}

fn unreadable(detail: String) -> Failure {
    Failure::Unreadable {
        status: 200,
        detail: detail.chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: &str = r#"{"event":"step","port":587,"step":{"step":"connect","started_ms":0,"duration_ms":2,"round_trips":1,"status":"ok"}}"#;
    const DONE: &str = r#"{"event":"done","report":{"version":1,"host":"mail.sendcheck.test","vantage":{"kind":"local"},"started_at_unix_ms":1764000000000,"total_ms":40,"ports":[{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}]}}"#;

    fn feed_all(reader: &mut StreamReader, chunks: &[&[u8]]) -> Vec<StreamItem> {
        chunks.iter().flat_map(|c| reader.feed(c)).collect()
    }

    #[test]
    fn events_split_anywhere_come_back_whole_and_done_ends_it() {
        let text = format!("{STEP}\n\n{DONE}\n{STEP}\n");
        let bytes = text.as_bytes();
        // Every split point, including inside the first line and right after a newline.
        for cut in [
            1,
            10,
            STEP.len(),
            STEP.len() + 1,
            STEP.len() + 2,
            bytes.len() - 3,
        ] {
            let mut reader = StreamReader::default();
            let items = feed_all(&mut reader, &[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(items.len(), 2, "cut at {cut}: {items:?}");
            assert!(matches!(
                &items[0],
                StreamItem::Progress(ProgressEvent::Step { port: 587, .. })
            ));
            match &items[1] {
                StreamItem::Finished(Ok(report)) => assert_eq!(report.ports.len(), 1),
                other => panic!("{other:?}"),
            }
            assert!(
                reader.feed(STEP.as_bytes()).is_empty(),
                "nothing after done"
            );
        }
    }

    #[test]
    fn a_character_split_between_chunks_is_kept() {
        let line = STEP.replace(r#""port":587"#, r#""port":587,"note":"ポート""#);
        let bytes = format!("{line}\n");
        let bytes = bytes.as_bytes();
        let inside_char = line.find('ポ').expect("kana") + 1;
        let mut reader = StreamReader::default();
        let items = feed_all(&mut reader, &[&bytes[..inside_char], &bytes[inside_char..]]);
        assert!(matches!(&items[..], [StreamItem::Progress(_)]), "{items:?}");
    }

    #[test]
    fn a_last_line_without_newline_counts_and_a_cut_stream_is_a_failure() {
        let mut reader = StreamReader::default();
        assert!(reader.feed(DONE.as_bytes()).is_empty());
        assert!(reader.end().is_ok());

        let mut cut = StreamReader::default();
        assert_eq!(cut.feed(format!("{STEP}\n").as_bytes()).len(), 1);
        match cut.end() {
            Err(Failure::Unreadable { detail, .. }) => {
                assert!(detail.contains("ended before"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_error_event_is_the_api_refusal_and_garbage_is_unreadable() {
        let mut reader = StreamReader::default();
        let items = reader.feed(
            b"{\"event\":\"error\",\"error\":{\"code\":\"target_not_allowed\",\"message\":\"loopback\"}}\n",
        );
        assert_eq!(
            items,
            [StreamItem::Finished(Err(Failure::Api {
                status: 200,
                code: "target_not_allowed".into(),
                message: "loopback".into()
            }))]
        );
        let mut reader = StreamReader::default();
        let items = reader.feed(b"<html>502 Bad Gateway</html>\n");
        assert!(matches!(
            &items[..],
            [StreamItem::Finished(Err(Failure::Unreadable { .. }))]
        ));
        let mut reader = StreamReader::default();
        let items = reader.feed(b"\xff\xfe\n");
        assert!(matches!(
            &items[..],
            [StreamItem::Finished(Err(Failure::Unreadable { .. }))]
        ));
    }

    #[test]
    fn a_newer_event_kind_is_skipped_and_an_endless_line_is_cut() {
        let mut reader = StreamReader::default();
        let items = reader.feed(b"{\"event\":\"sealed\",\"seal\":\"x\"}\n");
        assert!(items.is_empty(), "{items:?}");
        let huge = vec![b'x'; MAX_LINE_BYTES + 1];
        let items = reader.feed(&huge);
        assert!(matches!(
            &items[..],
            [StreamItem::Finished(Err(Failure::Unreadable { .. }))]
        ));
        assert!(reader.feed(DONE.as_bytes()).is_empty());
    }
}
