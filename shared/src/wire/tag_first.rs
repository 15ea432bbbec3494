//! Reading a check's JSON without serde's buffering of internally tagged enums.
//!
//! `ProgressEvent` and `PortResult` are internally tagged (`{"event": "port", …}`,
//! `{"status": "probed", …}`). serde reads such an enum by buffering the whole object and then
//! deserializing every nested type a second time from the buffer: the report of each port,
//! its TLS, its transcript. In the page's wasm that second copy of the report's deserializers
//! is more code than all its components together. serde writes the tag first, always; these
//! readers take the tag first and read each field straight into its type, so a report is read
//! by one set of deserializers whatever wraps it. A tag that does not come first is refused.
//!
//! The page reads the stream and share links through these; the worker and the CLI may use
//! the derived impls, which accept the same JSON.

use std::fmt;

use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::share::Seal;
use crate::target::Security;
use crate::wire::{
    CheckReport, ErrorBody, NotTestedReason, PortResult, ProbeReport, ProgressEvent, StepRecord,
    Vantage,
};

/// One line of the NDJSON stream; `Ok(None)` for an event kind this build does not know.
pub fn read_progress_line(line: &str) -> Result<Option<ProgressEvent>, serde_json::Error> {
    serde_json::from_str::<Line>(line).map(|l| l.0)
}

/// A whole check's report (the `done` event's, a non-streamed answer, a share link's).
pub fn read_check_report(json: &str) -> Result<CheckReport, serde_json::Error> {
    serde_json::from_str::<CheckDocument>(json).map(|d| d.0)
}

struct CheckDocument(CheckReport);

impl<'de> Deserialize<'de> for CheckDocument {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CheckVisitor).map(CheckDocument)
    }
}

/// `None`: an event kind this build does not know.
struct Line(Option<ProgressEvent>);

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(LineVisitor)
    }
}

struct LineVisitor;

impl<'de> Visitor<'de> for LineVisitor {
    type Value = Line;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a progress event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
        let kind = tag(&mut map, "event")?;
        let (mut port, mut step, mut result, mut report, mut error) =
            (None, None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match (kind.as_str(), key.as_str()) {
                ("step", "port") => port = Some(map.next_value::<u16>()?),
                ("step", "step") => step = Some(map.next_value::<StepRecord>()?),
                ("port", "result") => result = Some(map.next_value::<PortLine>()?.0),
                ("done", "report") => report = Some(map.next_value::<CheckDocument>()?.0),
                ("error", "error") => error = Some(map.next_value::<ErrorBody>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |field| A::Error::missing_field(field);
        Ok(Line(match kind.as_str() {
            "step" => Some(ProgressEvent::Step {
                port: port.ok_or_else(|| missing("port"))?,
                step: step.ok_or_else(|| missing("step"))?,
            }),
            "port" => Some(ProgressEvent::Port {
                result: result.ok_or_else(|| missing("result"))?,
            }),
            "done" => Some(ProgressEvent::Done {
                report: Box::new(report.ok_or_else(|| missing("report"))?),
            }),
            "error" => Some(ProgressEvent::Error {
                error: error.ok_or_else(|| missing("error"))?,
            }),
            _ => None,
        }))
    }
}

/// A [`PortResult`], read tag first like [`Line`].
struct PortLine(PortResult);

impl<'de> Deserialize<'de> for PortLine {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PortVisitor)
    }
}

struct PortVisitor;

impl<'de> Visitor<'de> for PortVisitor {
    type Value = PortLine;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a port's result")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PortLine, A::Error> {
        let status = tag(&mut map, "status")?;
        let (mut report, mut port, mut security, mut reason) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "report" => report = Some(map.next_value::<ProbeReport>()?),
                "port" => port = Some(map.next_value::<u16>()?),
                "security" => security = Some(map.next_value::<Security>()?),
                "reason" => reason = Some(map.next_value::<NotTestedReason>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |field| A::Error::missing_field(field);
        match status.as_str() {
            "probed" => Ok(PortLine(PortResult::Probed {
                report: Box::new(report.ok_or_else(|| missing("report"))?),
            })),
            "not_tested" => Ok(PortLine(PortResult::NotTested {
                port: port.ok_or_else(|| missing("port"))?,
                security: security.ok_or_else(|| missing("security"))?,
                reason: reason.ok_or_else(|| missing("reason"))?,
            })),
            other => Err(A::Error::unknown_variant(other, &["probed", "not_tested"])),
        }
    }
}

struct CheckVisitor;

impl<'de> Visitor<'de> for CheckVisitor {
    type Value = CheckReport;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a check's report")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CheckReport, A::Error> {
        let (mut version, mut host, mut vantage, mut started, mut total, mut ports, mut seal) =
            (None, None, None, None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => version = Some(map.next_value::<u32>()?),
                "host" => host = Some(map.next_value::<String>()?),
                "vantage" => vantage = Some(map.next_value::<Vantage>()?),
                "started_at_unix_ms" => started = Some(map.next_value::<u64>()?),
                "total_ms" => total = Some(map.next_value::<u64>()?),
                "seal" => seal = map.next_value::<Option<Seal>>()?,
                "ports" => {
                    let lines = map.next_value::<Vec<PortLine>>()?;
                    ports = Some(lines.into_iter().map(|l| l.0).collect());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |field| A::Error::missing_field(field);
        Ok(CheckReport {
            version: version.ok_or_else(|| missing("version"))?,
            host: host.ok_or_else(|| missing("host"))?,
            vantage: vantage.unwrap_or_default(),
            started_at_unix_ms: started.ok_or_else(|| missing("started_at_unix_ms"))?,
            total_ms: total.ok_or_else(|| missing("total_ms"))?,
            ports: ports.ok_or_else(|| missing("ports"))?,
            seal,
        })
    }
}

/// The first key of a tagged object must be its tag (`event`, `status`): its value.
fn tag<'de, A: MapAccess<'de>>(map: &mut A, name: &'static str) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == name => map.next_value::<String>(),
        _ => Err(A::Error::custom(format_args!("expected \"{name}\" first"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::Seal;
    use crate::wire::{Step, StepStatus};

    const STEP: &str = r#"{"event":"step","port":587,"step":{"step":"connect","started_ms":0,"duration_ms":2,"round_trips":1,"status":"ok"}}"#;
    const DONE: &str = r#"{"event":"done","report":{"version":1,"host":"mail.sendcheck.test","vantage":{"kind":"local"},"started_at_unix_ms":1764000000000,"total_ms":40,"ports":[{"status":"not_tested","port":25,"security":"starttls","reason":"port25_unavailable_at_vantage"}]}}"#;

    #[test]
    fn lines_read_exactly_like_the_derived_impls_and_a_late_tag_is_refused() {
        let worker_lines = [
            STEP.to_owned(),
            DONE.to_owned(),
            r#"{"event":"error","error":{"code":"x","message":"y"}}"#.to_owned(),
            format!(
                r#"{{"event":"port","result":{{"status":"probed","report":{}}}}}"#,
                r#"{"version":1,"target":{"host":"h","port":465,"security":"tls"},
                "address":"198.51.100.25","started_at_unix_ms":5,
                "outcome":{"kind":"greeting_rejected","step":"greeting","at_ms":9,
                           "reply":{"code":421,"lines":["busy"]}},
                "greeting":{"code":421,"lines":["busy"]},
                "steps":[{"step":"connect","started_ms":0,"duration_ms":3,"round_trips":1,"status":"ok"}],
                "transcript":[{"at_ms":1,"direction":"server","text":"421 busy"}],"total_ms":9,
                "some_future_field":[1,2]}"#
            ),
        ];
        for line in &worker_lines {
            let ours = read_progress_line(line).expect("ours");
            let derived = serde_json::from_str::<ProgressEvent>(line).expect("derived");
            assert_eq!(ours, Some(derived), "{line}");
        }
        assert!(read_progress_line(r#"{"port":587,"event":"step"}"#).is_err());
        assert!(read_progress_line(r#"{"event":"step","port":587}"#).is_err());
        assert_eq!(
            read_progress_line(r#"{"event":"sealed","x":[{}]}"#).ok(),
            Some(None)
        );
    }

    #[test]
    fn every_field_of_a_check_report_comes_back() {
        // A struct literal: a field added to CheckReport fails to compile here until the reader
        // knows it.
        let report = CheckReport {
            version: 1,
            host: "mail.example.jp".into(),
            vantage: Vantage {
                kind: "edge".into(),
                colo: Some("NRT".into()),
            },
            started_at_unix_ms: 1_764_000_000_000,
            total_ms: 42,
            ports: vec![PortResult::NotTested {
                port: 25,
                security: Security::Starttls,
                reason: NotTestedReason::Port25UnavailableAtVantage,
            }],
            seal: Some(Seal {
                v: 1,
                key_id: "k1".into(),
                payload: "cGF5bG9hZA".into(),
                sig: "c2ln".into(),
            }),
        };
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(read_check_report(&json).unwrap(), report);
        let step = ProgressEvent::Step {
            port: 465,
            step: StepRecord {
                step: Step::TlsHandshake,
                started_ms: 1,
                duration_ms: 2,
                round_trips: 1,
                status: StepStatus::Failed,
            },
        };
        let line = serde_json::to_string(&step).unwrap();
        assert_eq!(read_progress_line(&line).unwrap(), Some(step));
        assert!(read_check_report(r#"{"version":1}"#).is_err());
    }
}
