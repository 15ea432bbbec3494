//! `POST /api/probe` request body, as sent (loose), and its parse into a [`ProbePlan`].
//!
//! Two shapes: one port (`{"host","port","security"}`, answered with one `ProbeReport`), or
//! several (`{"host","ports":[{"port","security"}…]}`, answered with a `CheckReport`, or a
//! stream of `ProgressEvent`s when the client accepts `application/x-ndjson`).

use serde::{Deserialize, Serialize};

use crate::smtp::Credentials;
use crate::target::{Host, MailPort, ProbeTarget, Security};
use crate::wire::InputError;

/// Bodies larger than this are refused before parsing (a probe request is a few dozen bytes).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;
/// At most one probe per mail port.
pub const MAX_PORTS: usize = 4;
const MAX_CREDENTIAL_LEN: usize = 512;
/// Turnstile tokens are at most 2048 characters (Cloudflare's siteverify documentation).
pub const MAX_CHALLENGE_TOKEN_LEN: usize = 2048;

/// The request as the page sends it. Deliberately loose (strings, plain numbers) so that each
/// mistake gets its own specific [`InputError`] rather than a generic deserializer message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeRequest {
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// `starttls`, `tls` or `none`; when absent, the usual mode for the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<PortRequest>>,
    /// Optional login test. Sent by the page, never echoed back, logged or put in a report;
    /// `Debug` redacts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CredentialsInput>,
    /// The port the person's mail program is set to: the one login of the check is tried
    /// there (or, when it offers no login, on another submission port). Absent: 587 first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_port: Option<u32>,
    /// Probe even when a report of the same host and ports from the last minute could be
    /// shared: the page's own repeats for a fault that comes and goes. Counted like any check.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fresh: bool,
    /// A Cloudflare Turnstile token, when the deployment asks for one before a login test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortRequest {
    pub port: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialsInput {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for CredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialsInput(<redacted>)")
    }
}

/// A parsed request: nothing in here can be malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbePlan {
    pub host: Host,
    pub targets: Vec<ProbeTarget>,
    pub credentials: Option<Credentials>,
    /// True for the one-port form, answered with a bare `ProbeReport`.
    pub single: bool,
    /// Where the one login of the check goes first (`login_port`, when it is one of the
    /// targets).
    pub login_port: Option<MailPort>,
    /// Never answered from the shared cache.
    pub fresh: bool,
    /// Bounded to [`MAX_CHALLENGE_TOKEN_LEN`]; judged by the worker, not here.
    pub turnstile_token: Option<String>,
}

impl ProbeRequest {
    /// Parses the raw body: size, JSON shape, then each field.
    pub fn from_body(body: &[u8]) -> Result<ProbePlan, InputError> {
        if body.len() > MAX_REQUEST_BYTES {
            return Err(InputError::BodyTooLarge {
                limit: MAX_REQUEST_BYTES,
            });
        }
        let request: ProbeRequest =
            serde_json::from_slice(body).map_err(|e| InputError::MalformedBody {
                detail: e.to_string(),
            })?;
        request.parse()
    }

    /// Turns the loose request into a typed plan, or says exactly what is wrong.
    pub fn parse(&self) -> Result<ProbePlan, InputError> {
        let host = Host::parse(&self.host)?;
        let (ports, single) = match (&self.port, &self.ports) {
            (Some(port), None) => (
                vec![PortRequest {
                    port: *port,
                    security: self.security.clone(),
                }],
                true,
            ),
            (None, Some(ports)) if !ports.is_empty() && ports.len() <= MAX_PORTS => {
                (ports.clone(), false)
            }
            _ => return Err(InputError::PortsMissing),
        };
        let mut targets: Vec<ProbeTarget> = Vec::with_capacity(ports.len());
        for request in &ports {
            let port = u16::try_from(request.port)
                .ok()
                .and_then(MailPort::new)
                .ok_or(InputError::PortNotAllowed { port: request.port })?;
            if targets.iter().any(|t| t.port == port) {
                return Err(InputError::DuplicatePort { port: request.port });
            }
            let security = match &request.security {
                None => Security::usual_for(port),
                Some(given) => Security::parse(given)?,
            };
            targets.push(ProbeTarget {
                host: host.clone(),
                port,
                security,
            });
        }
        let credentials = match &self.credentials {
            None => None,
            Some(c) if c.username.trim().is_empty() && c.password.is_empty() => None,
            Some(c)
                if c.username.trim().is_empty()
                    || c.password.is_empty()
                    || c.username.len() > MAX_CREDENTIAL_LEN
                    || c.password.len() > MAX_CREDENTIAL_LEN =>
            {
                return Err(InputError::InvalidCredentials)
            }
            Some(c) => Some(Credentials::new(
                c.username.trim().to_owned(),
                c.password.clone(),
            )),
        };
        let login_port = match self.login_port {
            None => None,
            Some(given) => Some(
                targets
                    .iter()
                    .map(|t| t.port)
                    .find(|port| u32::from(port.get()) == given)
                    .ok_or(InputError::PortNotAllowed { port: given })?,
            ),
        };
        let turnstile_token = self
            .turnstile_token
            .as_deref()
            .map(str::trim)
            .filter(|token| !token.is_empty() && token.len() <= MAX_CHALLENGE_TOKEN_LEN)
            .map(str::to_owned);
        Ok(ProbePlan {
            host,
            targets,
            credentials,
            single,
            login_port,
            fresh: self.fresh,
            turnstile_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<ProbePlan, InputError> {
        ProbeRequest::from_body(json.as_bytes())
    }

    #[test]
    fn one_port_form_defaults_security_from_the_port() {
        let plan = parse(r#"{"host":"mail.example.jp","port":465}"#).unwrap();
        assert!(plan.single);
        assert_eq!(plan.targets[0].security, Security::Tls);
        assert_eq!(plan.credentials, None);
    }

    #[test]
    fn several_ports_with_credentials() {
        let plan = parse(
            r#"{"host":"mail.example.jp","ports":[{"port":587},{"port":465},{"port":25,"security":"none"}],
                "credentials":{"username":" taro@example.jp ","password":"hunter2"}}"#,
        )
        .unwrap();
        assert!(!plan.single);
        let ports: Vec<_> = plan
            .targets
            .iter()
            .map(|t| (t.port.get(), t.security))
            .collect();
        assert_eq!(
            ports,
            [
                (587, Security::Starttls),
                (465, Security::Tls),
                (25, Security::None)
            ]
        );
        assert!(plan.credentials.is_some());
    }

    #[test]
    fn each_mistake_is_named() {
        let code = |json: &str| parse(json).unwrap_err().code();
        assert_eq!(code(r#"{"host":"a.jp"}"#), "ports_missing");
        assert_eq!(code(r#"{"host":"a.jp","ports":[]}"#), "ports_missing");
        assert_eq!(
            code(r#"{"host":"a.jp","port":587,"ports":[{"port":465}]}"#),
            "ports_missing"
        );
        assert_eq!(
            code(r#"{"host":"a.jp","ports":[{"port":587},{"port":587}]}"#),
            "duplicate_port"
        );
        assert_eq!(code(r#"{"host":"a.jp","port":70000}"#), "port_not_allowed");
        assert_eq!(
            code(r#"{"host":"a.jp","port":587,"security":"ssl3"}"#),
            "unknown_security"
        );
        assert_eq!(
            code(r#"{"host":"a.jp","port":587,"credentials":{"username":"","password":"x"}}"#),
            "invalid_credentials"
        );
        assert_eq!(code(r#"{"host":"a.jp","port":"587"}"#), "malformed_body");
        assert_eq!(
            code(r#"{"host":"a.jp","ports":[{"port":465}],"login_port":587}"#),
            "port_not_allowed"
        );
        assert_eq!(code("not json"), "malformed_body");
        assert_eq!(code(&"x".repeat(MAX_REQUEST_BYTES + 1)), "body_too_large");
    }

    #[test]
    fn the_login_port_fresh_and_token_are_optional_and_read_when_given() {
        let plan = parse(r#"{"host":"a.jp","ports":[{"port":587},{"port":465}]}"#).unwrap();
        assert_eq!(
            (plan.login_port, plan.fresh, plan.turnstile_token),
            (None, false, None)
        );
        let plan = parse(
            r#"{"host":"a.jp","ports":[{"port":587},{"port":465}],"login_port":465,"fresh":true,
                "turnstile_token":" XXXX.DUMMY "}"#,
        )
        .unwrap();
        assert_eq!(plan.login_port, MailPort::new(465));
        assert!(plan.fresh);
        assert_eq!(plan.turnstile_token.as_deref(), Some("XXXX.DUMMY"));
        let long = format!(
            r#"{{"host":"a.jp","port":587,"turnstile_token":"{}"}}"#,
            "x".repeat(MAX_CHALLENGE_TOKEN_LEN + 1)
        );
        assert_eq!(parse(&long).unwrap().turnstile_token, None);
    }

    #[test]
    fn the_password_round_trips_to_the_worker_but_is_never_debug_printed() {
        let json =
            r#"{"host":"a.jp","port":587,"credentials":{"username":"taro","password":"hunter2"}}"#;
        let request: ProbeRequest = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&request).unwrap(), json);
        assert!(!format!("{request:?}").contains("hunter2"));
        let plan = request.parse().unwrap();
        assert!(!format!("{plan:?}").contains("hunter2"));
    }
}
