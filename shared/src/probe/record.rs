//! What the probe keeps as evidence while it runs: step timings and the transcript.

use crate::probe::Millis;
use crate::smtp::Reply;
use crate::wire::{Direction, Step, StepRecord, StepStatus, TranscriptLine};

/// Transcripts are bounded like everything a peer can grow.
const MAX_TRANSCRIPT_LINES: usize = 512;

#[derive(Debug, Clone)]
pub(crate) struct Recorder {
    origin: Millis,
    current: Option<(Step, Millis)>,
    pub(crate) steps: Vec<StepRecord>,
    pub(crate) transcript: Vec<TranscriptLine>,
}

impl Recorder {
    pub(crate) fn new(origin: Millis) -> Self {
        Self {
            origin,
            current: None,
            steps: Vec::new(),
            transcript: Vec::new(),
        }
    }

    pub(crate) fn origin(&self) -> Millis {
        self.origin
    }

    pub(crate) fn elapsed(&self, now: Millis) -> u64 {
        now.since(self.origin)
    }

    pub(crate) fn begin(&mut self, step: Step, now: Millis) {
        self.current = Some((step, now));
    }

    /// The step under way, or the last one that ran.
    pub(crate) fn step(&self) -> Step {
        self.current
            .map(|(step, _)| step)
            .or_else(|| self.steps.last().map(|r| r.step))
            .unwrap_or(Step::Connect)
    }

    pub(crate) fn end(&mut self, status: StepStatus, round_trips: u32, now: Millis) {
        if let Some((step, started)) = self.current.take() {
            self.steps.push(StepRecord {
                step,
                started_ms: started.since(self.origin),
                duration_ms: now.since(started),
                round_trips,
                status,
            });
        }
    }

    pub(crate) fn client(&mut self, text: String, now: Millis) {
        self.line(Direction::Client, text, now);
    }

    pub(crate) fn server(&mut self, reply: &Reply, now: Millis) {
        for line in reply.wire_lines() {
            self.line(Direction::Server, line, now);
        }
    }

    pub(crate) fn note(&mut self, text: String, now: Millis) {
        self.line(Direction::Note, text, now);
    }

    fn line(&mut self, direction: Direction, text: String, now: Millis) {
        if self.transcript.len() < MAX_TRANSCRIPT_LINES {
            self.transcript.push(TranscriptLine {
                at_ms: self.elapsed(now),
                direction,
                text,
            });
        }
    }
}
