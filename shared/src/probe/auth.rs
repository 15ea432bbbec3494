//! AUTH (RFC 4954): which mechanisms are offered before and after TLS, and, when the person
//! gave credentials, one login attempt. Credentials go out only inside TLS whose certificate
//! verified; otherwise the attempt is skipped and the reason recorded.

use crate::probe::dialogue::{failed, quit_then, send, Context, Dialogue, Found, Next};
use crate::smtp::{Command, Mechanism, Reply};
use crate::wire::{AuthAttempt, AuthSkipped, OutcomeKind, Step, StepStatus};

/// Records the mechanisms the latest EHLO offered, on the side of TLS it was said.
pub(crate) fn note_offered(found: &mut Found, after_tls: bool) {
    if after_tls {
        found.auth.offered_after_tls = Some(
            found
                .capabilities_after_tls
                .as_ref()
                .map(|c| c.auth_mechanisms())
                .unwrap_or_default(),
        );
    } else {
        found.auth.offered_before_tls = found
            .capabilities
            .as_ref()
            .map(|c| c.auth_mechanisms())
            .unwrap_or_default();
    }
}

/// The capabilities after the last EHLO are known: try to log in, or say why not.
pub(crate) fn begin(step: Step, cx: Context<'_>) -> Next {
    note_offered(cx.found, cx.tls_active);
    let offered = if cx.tls_active {
        cx.found.auth.offered_after_tls.clone().unwrap_or_default()
    } else {
        cx.found.auth.offered_before_tls.clone()
    };
    let skip = |found: &mut Found, reason, outcome, step| {
        found.auth.skipped = Some(reason);
        quit_then(StepStatus::Ok, outcome, step)
    };
    let Some(credentials) = cx.credentials else {
        return skip(
            cx.found,
            AuthSkipped::NoCredentials,
            OutcomeKind::Completed,
            Step::Quit,
        );
    };
    if !cx.tls_active {
        return skip(
            cx.found,
            AuthSkipped::CleartextRefused,
            OutcomeKind::Completed,
            Step::Quit,
        );
    }
    let untrusted = cx
        .found
        .tls
        .as_ref()
        .is_some_and(|tls| !tls.verification.is_verified());
    if untrusted {
        // The outcome becomes `CertificateUntrusted` when the probe concludes.
        return skip(
            cx.found,
            AuthSkipped::CertificateUntrusted,
            OutcomeKind::Completed,
            Step::Quit,
        );
    }
    if offered.is_empty() {
        return skip(
            cx.found,
            AuthSkipped::NotOffered,
            OutcomeKind::AuthNotOffered,
            step,
        );
    }
    match Mechanism::choose(&offered) {
        None => skip(
            cx.found,
            AuthSkipped::NoSupportedMechanism,
            OutcomeKind::AuthMechanismUnsupported { offered },
            step,
        ),
        Some(_) if cx.login_elsewhere => skip(
            cx.found,
            AuthSkipped::TriedOnAnotherPort,
            OutcomeKind::Completed,
            Step::Quit,
        ),
        Some(Mechanism::Plain) => send(
            StepStatus::Ok,
            Command::AuthPlain(credentials.plain_initial_response()),
            Dialogue::AuthResult(AwaitAuthResult {
                mechanism: Mechanism::Plain,
            }),
        ),
        Some(Mechanism::Login) => send(
            StepStatus::Ok,
            Command::AuthLogin,
            Dialogue::LoginChallenge(AwaitLoginChallenge {
                stage: LoginStage::Username,
            }),
        ),
        Some(Mechanism::CramMd5) => send(
            StepStatus::Ok,
            Command::AuthCramMd5,
            Dialogue::CramChallenge(AwaitCramChallenge),
        ),
    }
}

/// `AUTH CRAM-MD5` sent; a `334` carries the challenge (RFC 2195).
#[derive(Debug)]
pub(crate) struct AwaitCramChallenge;

impl AwaitCramChallenge {
    pub(crate) fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        let challenge = reply.lines.first().map(String::as_str).unwrap_or_default();
        let answer = cx
            .credentials
            .filter(|_| reply.code.get() == 334)
            .map(|credentials| credentials.cram_md5_response(challenge));
        match answer {
            Some(Some(response)) => send(
                StepStatus::Ok,
                Command::AuthResponse(response),
                Dialogue::AuthResult(AwaitAuthResult {
                    mechanism: Mechanism::CramMd5,
                }),
            ),
            Some(None) => failed(
                OutcomeKind::MalformedReply {
                    detail: "the CRAM-MD5 challenge is not base64".to_owned(),
                },
                Step::Auth,
            ),
            None => AwaitAuthResult {
                mechanism: Mechanism::CramMd5,
            }
            .on_reply(reply, cx),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginStage {
    Username,
    Password,
}

/// `AUTH LOGIN` (or the username) sent; a `334` challenge asks for the next line.
#[derive(Debug)]
pub(crate) struct AwaitLoginChallenge {
    stage: LoginStage,
}

impl AwaitLoginChallenge {
    pub(crate) fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        let Some(credentials) = cx.credentials.filter(|_| reply.code.get() == 334) else {
            // Anything but a challenge is the verdict on the login.
            let result = AwaitAuthResult {
                mechanism: Mechanism::Login,
            };
            return result.on_reply(reply, cx);
        };
        match self.stage {
            LoginStage::Username => send(
                StepStatus::Ok,
                Command::AuthResponse(credentials.login_username()),
                Dialogue::LoginChallenge(AwaitLoginChallenge {
                    stage: LoginStage::Password,
                }),
            ),
            LoginStage::Password => send(
                StepStatus::Ok,
                Command::AuthResponse(credentials.login_password()),
                Dialogue::AuthResult(AwaitAuthResult {
                    mechanism: Mechanism::Login,
                }),
            ),
        }
    }
}

/// The credentials were sent; the server's verdict comes next.
#[derive(Debug)]
pub(crate) struct AwaitAuthResult {
    mechanism: Mechanism,
}

impl AwaitAuthResult {
    pub(crate) fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        let accepted = reply.code.is_positive();
        cx.found.auth.attempt = Some(AuthAttempt {
            mechanism: self.mechanism.name().to_owned(),
            accepted,
            reply: reply.clone(),
        });
        if accepted {
            return quit_then(StepStatus::Ok, OutcomeKind::Completed, Step::Quit);
        }
        let closing = reply.code.get() == 421;
        let outcome = OutcomeKind::AuthRejected { reply };
        if closing {
            failed(outcome, Step::Auth)
        } else {
            quit_then(StepStatus::Failed, outcome, Step::Auth)
        }
    }
}
