//! Reading the internally tagged enums of a report (`{"kind": "dns_failed", "detail": …}`)
//! without serde's buffering. serde's derived reader of `#[serde(tag = …)]` (and of a
//! `#[serde(flatten)]` field) first copies the object into its `Content` tree and then reads
//! every nested type a second time from that tree: in the page's wasm a second set of
//! deserializers for replies and certificate problems, ~19 KB gzip in all. Here each enum is
//! read as one plain struct holding every field any of its variants has, in any order, and
//! the variant is built from the tag. Writing stays derived: the JSON is the same. The
//! person's local checks and DNS targets (share links, discovery) are read the same way.

use serde::de::{Deserializer, Error};
use serde::Deserialize;

use crate::diagnosis::{LocalCertificateProblem, LocalCheck, LocalResult};
use crate::dns::Target;
use crate::smtp::Reply;
use crate::target::{Hostname, Security};
use crate::wire::{CertificateProblem, Outcome, OutcomeKind, Step, Verification};

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = OutcomeFields::deserialize(d)?;
        Ok(Outcome {
            kind: fields.kind()?,
            step: need(fields.step, "step")?,
            at_ms: need(fields.at_ms, "at_ms")?,
        })
    }
}

impl<'de> Deserialize<'de> for OutcomeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OutcomeFields::deserialize(d)?.kind()
    }
}

impl<'de> Deserialize<'de> for CertificateProblem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = ProblemFields::deserialize(d)?;
        Ok(match f.kind.as_str() {
            "expired" => CertificateProblem::Expired {
                not_after_unix: need(f.not_after_unix, "not_after_unix")?,
            },
            "not_yet_valid" => CertificateProblem::NotYetValid {
                not_before_unix: need(f.not_before_unix, "not_before_unix")?,
            },
            "name_mismatch" => CertificateProblem::NameMismatch {
                expected: need(f.expected, "expected")?,
                presented: f.presented.unwrap_or_default(),
            },
            "unknown_issuer" => CertificateProblem::UnknownIssuer {
                issuer: need(f.issuer, "issuer")?,
            },
            "self_signed" => CertificateProblem::SelfSigned,
            "incomplete_chain" => CertificateProblem::IncompleteChain {
                missing_issuer: need(f.missing_issuer, "missing_issuer")?,
            },
            "no_certificate" => CertificateProblem::NoCertificate,
            "other" => CertificateProblem::Other {
                detail: need(f.detail, "detail")?,
            },
            _ => CertificateProblem::Unknown,
        })
    }
}

impl<'de> Deserialize<'de> for Verification {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = VerificationFields::deserialize(d)?;
        match f.status.as_str() {
            "verified" => Ok(Verification::Verified),
            "failed" => Ok(Verification::Failed {
                problems: f.problems.unwrap_or_default(),
            }),
            other => Err(D::Error::unknown_variant(other, &["verified", "failed"])),
        }
    }
}

impl<'de> Deserialize<'de> for LocalCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = LocalCheckFields::deserialize(d)?;
        let result = match f.result.as_str() {
            "connected" => LocalResult::Connected,
            "refused" => LocalResult::Refused,
            "timed_out" => LocalResult::TimedOut,
            "failed" => LocalResult::Failed,
            "tls_ok" => LocalResult::TlsOk {
                issuer: need(f.issuer, "issuer")?,
                subject: f.subject,
                sha256: f.sha256,
            },
            "tls_failed" => LocalResult::TlsFailed {
                detail: need(f.detail, "detail")?,
            },
            "tls_no_answer" => LocalResult::TlsNoAnswer,
            "tls_certificate_invalid" => LocalResult::TlsCertificateInvalid {
                issuer: need(f.issuer, "issuer")?,
                subject: f.subject,
                sha256: f.sha256,
                problem: need(f.problem, "problem")?,
                detail: need(f.detail, "detail")?,
            },
            "dns_failed" => LocalResult::DnsFailed,
            _ => LocalResult::Unknown,
        };
        Ok(LocalCheck {
            host: f.host,
            port: f.port,
            security: f.security,
            result,
            tool: f.tool,
        })
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = TargetFields::deserialize(d)?;
        Ok(match f.kind.as_str() {
            "host" => Target::Host {
                name: need(f.name, "name")?,
            },
            "not_available" => Target::NotAvailable,
            _ => Target::Unknown,
        })
    }
}

/// Every field of an [`Outcome`] and of any [`OutcomeKind`].
#[derive(Deserialize)]
struct OutcomeFields {
    kind: String,
    detail: Option<String>,
    reply: Option<Reply>,
    alert: Option<String>,
    excerpt: Option<String>,
    problems: Option<Vec<CertificateProblem>>,
    offered: Option<Vec<String>>,
    step: Option<Step>,
    at_ms: Option<u64>,
}

impl OutcomeFields {
    fn kind<E: Error>(&mut self) -> Result<OutcomeKind, E> {
        let detail = |f: &mut Self| need(f.detail.take(), "detail");
        let reply = |f: &mut Self| need(f.reply.take(), "reply");
        Ok(match self.kind.as_str() {
            "completed" => OutcomeKind::Completed,
            "dns_failed" => OutcomeKind::DnsFailed {
                detail: detail(self)?,
            },
            "connection_refused" => OutcomeKind::ConnectionRefused,
            "connect_timeout" => OutcomeKind::ConnectTimeout,
            "connect_failed" => OutcomeKind::ConnectFailed {
                detail: detail(self)?,
            },
            "connection_reset" => OutcomeKind::ConnectionReset,
            "connection_lost" => OutcomeKind::ConnectionLost {
                detail: detail(self)?,
            },
            "greeting_timeout" => OutcomeKind::GreetingTimeout,
            "greeting_rejected" => OutcomeKind::GreetingRejected {
                reply: reply(self)?,
            },
            "closed_before_greeting" => OutcomeKind::ClosedBeforeGreeting,
            "closed_during_dialogue" => OutcomeKind::ClosedDuringDialogue,
            "ehlo_rejected" => OutcomeKind::EhloRejected {
                reply: reply(self)?,
            },
            "start_tls_not_offered" => OutcomeKind::StartTlsNotOffered,
            "start_tls_refused" => OutcomeKind::StartTlsRefused {
                reply: reply(self)?,
            },
            "tls_handshake_failed" => OutcomeKind::TlsHandshakeFailed {
                detail: detail(self)?,
                alert: self.alert.take(),
            },
            "plaintext_instead_of_tls" => OutcomeKind::PlaintextInsteadOfTls {
                excerpt: need(self.excerpt.take(), "excerpt")?,
            },
            "certificate_untrusted" => OutcomeKind::CertificateUntrusted {
                problems: need(self.problems.take(), "problems")?,
            },
            "auth_not_offered" => OutcomeKind::AuthNotOffered,
            "auth_mechanism_unsupported" => OutcomeKind::AuthMechanismUnsupported {
                offered: need(self.offered.take(), "offered")?,
            },
            "auth_rejected" => OutcomeKind::AuthRejected {
                reply: reply(self)?,
            },
            "reply_timeout" => OutcomeKind::ReplyTimeout,
            "reply_too_long" => OutcomeKind::ReplyTooLong,
            "malformed_reply" => OutcomeKind::MalformedReply {
                detail: detail(self)?,
            },
            "deadline_reached" => OutcomeKind::DeadlineReached,
            _ => OutcomeKind::Unknown,
        })
    }
}

/// Every field of any [`CertificateProblem`].
#[derive(Deserialize)]
struct ProblemFields {
    kind: String,
    not_after_unix: Option<i64>,
    not_before_unix: Option<i64>,
    expected: Option<String>,
    presented: Option<Vec<String>>,
    issuer: Option<String>,
    missing_issuer: Option<String>,
    detail: Option<String>,
}

/// Every field of a [`LocalCheck`] and of any [`LocalResult`].
#[derive(Deserialize)]
struct LocalCheckFields {
    host: Option<String>,
    port: u16,
    security: Option<Security>,
    result: String,
    tool: Option<String>,
    issuer: Option<String>,
    subject: Option<String>,
    sha256: Option<String>,
    detail: Option<String>,
    problem: Option<LocalCertificateProblem>,
}

#[derive(Deserialize)]
struct TargetFields {
    kind: String,
    name: Option<Hostname>,
}

#[derive(Deserialize)]
struct VerificationFields {
    status: String,
    problems: Option<Vec<CertificateProblem>>,
}

/// A field the tag's variant cannot do without.
fn need<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::smtp::ReplyCode;

    /// Every outcome kind once (the TLS failure with and without an alert), with payloads.
    pub(crate) fn every_kind() -> Vec<OutcomeKind> {
        let reply = || Reply::new(ReplyCode::OK, vec!["fine".to_owned()]);
        let detail = || "a detail".to_owned();
        vec![
            OutcomeKind::Completed,
            OutcomeKind::DnsFailed { detail: detail() },
            OutcomeKind::ConnectionRefused,
            OutcomeKind::ConnectTimeout,
            OutcomeKind::ConnectFailed { detail: detail() },
            OutcomeKind::ConnectionReset,
            OutcomeKind::ConnectionLost { detail: detail() },
            OutcomeKind::GreetingTimeout,
            OutcomeKind::GreetingRejected { reply: reply() },
            OutcomeKind::ClosedBeforeGreeting,
            OutcomeKind::ClosedDuringDialogue,
            OutcomeKind::EhloRejected { reply: reply() },
            OutcomeKind::StartTlsNotOffered,
            OutcomeKind::StartTlsRefused { reply: reply() },
            OutcomeKind::TlsHandshakeFailed {
                detail: detail(),
                alert: Some("handshake_failure".to_owned()),
            },
            OutcomeKind::TlsHandshakeFailed {
                detail: detail(),
                alert: None,
            },
            OutcomeKind::PlaintextInsteadOfTls { excerpt: detail() },
            OutcomeKind::CertificateUntrusted {
                problems: every_problem(),
            },
            OutcomeKind::AuthNotOffered,
            OutcomeKind::AuthMechanismUnsupported {
                offered: vec!["GSSAPI".to_owned()],
            },
            OutcomeKind::AuthRejected { reply: reply() },
            OutcomeKind::ReplyTimeout,
            OutcomeKind::ReplyTooLong,
            OutcomeKind::MalformedReply { detail: detail() },
            OutcomeKind::DeadlineReached,
        ]
    }

    fn every_problem() -> Vec<CertificateProblem> {
        vec![
            CertificateProblem::Expired { not_after_unix: 5 },
            CertificateProblem::NotYetValid {
                not_before_unix: -5,
            },
            CertificateProblem::NameMismatch {
                expected: "mail.example.jp".to_owned(),
                presented: vec!["*.example.com".to_owned()],
            },
            CertificateProblem::UnknownIssuer {
                issuer: "CN=Norton".to_owned(),
            },
            CertificateProblem::SelfSigned,
            CertificateProblem::IncompleteChain {
                missing_issuer: "CN=R3".to_owned(),
            },
            CertificateProblem::NoCertificate,
            CertificateProblem::Other {
                detail: "BadDer".to_owned(),
            },
        ]
    }

    #[test]
    fn every_outcome_reads_back_as_written() {
        for (i, kind) in every_kind().into_iter().enumerate() {
            let outcome = Outcome {
                kind,
                step: Step::Ehlo,
                at_ms: i as u64,
            };
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(
                serde_json::from_str::<Outcome>(&json).unwrap(),
                outcome,
                "{json}"
            );
            let kind_json = serde_json::to_string(&outcome.kind).unwrap();
            assert_eq!(
                serde_json::from_str::<OutcomeKind>(&kind_json).unwrap(),
                outcome.kind
            );
        }
    }

    #[test]
    fn every_verification_reads_back_as_written() {
        for verification in [
            Verification::Verified,
            Verification::Failed {
                problems: every_problem(),
            },
        ] {
            let json = serde_json::to_string(&verification).unwrap();
            assert_eq!(
                serde_json::from_str::<Verification>(&json).unwrap(),
                verification
            );
        }
    }

    #[test]
    fn the_tag_may_come_anywhere_and_optional_fields_may_be_missing() {
        let outcome: Outcome = serde_json::from_str(
            r#"{"at_ms":7,"detail":"refused by peer","step":"connect","kind":"connect_failed"}"#,
        )
        .unwrap();
        assert_eq!(
            outcome.kind,
            OutcomeKind::ConnectFailed {
                detail: "refused by peer".to_owned()
            }
        );
        let problem: CertificateProblem =
            serde_json::from_str(r#"{"expected":"a.example","kind":"name_mismatch"}"#).unwrap();
        assert_eq!(
            problem,
            CertificateProblem::NameMismatch {
                expected: "a.example".to_owned(),
                presented: vec![]
            }
        );
        let failed: Verification = serde_json::from_str(r#"{"status":"failed"}"#).unwrap();
        assert_eq!(failed, Verification::Failed { problems: vec![] });
    }

    #[test]
    fn a_missing_field_or_tag_is_named() {
        let no_detail =
            serde_json::from_str::<Outcome>(r#"{"kind":"dns_failed","step":"resolve","at_ms":1}"#)
                .unwrap_err();
        assert!(
            no_detail.to_string().contains("missing field `detail`"),
            "{no_detail}"
        );
        let no_step =
            serde_json::from_str::<Outcome>(r#"{"kind":"completed","at_ms":1}"#).unwrap_err();
        assert!(
            no_step.to_string().contains("missing field `step`"),
            "{no_step}"
        );
        let no_kind = serde_json::from_str::<CertificateProblem>(r#"{"detail":"x"}"#).unwrap_err();
        assert!(
            no_kind.to_string().contains("missing field `kind`"),
            "{no_kind}"
        );
        let bad_status = serde_json::from_str::<Verification>(r#"{"status":"maybe"}"#).unwrap_err();
        assert!(
            bad_status.to_string().contains("unknown variant `maybe`"),
            "{bad_status}"
        );
    }

    #[test]
    fn every_local_check_and_target_reads_back_as_written() {
        let results = [
            LocalResult::Connected,
            LocalResult::Refused,
            LocalResult::TimedOut,
            LocalResult::Failed,
            LocalResult::TlsOk {
                issuer: "CN=Norton".to_owned(),
                subject: Some("CN=mail.example.jp".to_owned()),
                sha256: Some("ab".repeat(32)),
            },
            LocalResult::TlsOk {
                issuer: "CN=R3".to_owned(),
                subject: None,
                sha256: None,
            },
            LocalResult::TlsFailed {
                detail: "handshake failure".to_owned(),
            },
            LocalResult::TlsNoAnswer,
            LocalResult::TlsCertificateInvalid {
                issuer: "CN=R11, O=Let's Encrypt, C=US".to_owned(),
                subject: Some("CN=mail.example.jp".to_owned()),
                sha256: None,
                problem: LocalCertificateProblem::Expired,
                detail: "certificate has expired".to_owned(),
            },
            LocalResult::DnsFailed,
        ];
        for (i, result) in results.into_iter().enumerate() {
            let check = LocalCheck {
                host: (i % 2 == 0).then(|| "mail.example.jp".to_owned()),
                port: 587,
                security: (i % 3 == 0).then_some(Security::Starttls),
                result,
                tool: Some("openssl".to_owned()),
            };
            let json = serde_json::to_string(&check).unwrap();
            assert_eq!(
                serde_json::from_str::<LocalCheck>(&json).unwrap(),
                check,
                "{json}"
            );
        }
        let future: LocalCheck =
            serde_json::from_str(r#"{"port":25,"result":"quantum","qubits":3}"#).unwrap();
        assert_eq!(future.result, LocalResult::Unknown);
        assert!(serde_json::from_str::<LocalCheck>(r#"{"result":"refused"}"#).is_err());
        for target in [
            Target::Host {
                name: Hostname::parse("mx.example.jp").unwrap(),
            },
            Target::NotAvailable,
        ] {
            let json = serde_json::to_string(&target).unwrap();
            assert_eq!(serde_json::from_str::<Target>(&json).unwrap(), target);
        }
        let odd: Target = serde_json::from_str(r#"{"kind":"alias","to":"x"}"#).unwrap();
        assert_eq!(odd, Target::Unknown);
    }

    #[test]
    fn a_field_of_the_wrong_type_is_refused() {
        let wrong = serde_json::from_str::<Outcome>(
            r#"{"kind":"dns_failed","detail":5,"step":"resolve","at_ms":1}"#,
        );
        assert!(wrong.is_err());
    }
}
