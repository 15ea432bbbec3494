//! Why a request was refused before any probe ran. Sent as a 4xx body: `{"error": {...}}`.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::discovery::AddressError;
use crate::target::{AddressClass, HostError};

/// Every way a request can be wrong. The page maps `code` to text in the person's language;
/// `message` is the English fallback for API users.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    BodyTooLarge {
        limit: usize,
    },
    MalformedBody {
        detail: String,
    },
    InvalidHost {
        host: String,
        reason: HostError,
    },
    PortNotAllowed {
        port: u32,
    },
    UnknownSecurity {
        given: String,
    },
    /// Neither `port` nor a non-empty `ports` list (of at most four), or both.
    PortsMissing,
    DuplicatePort {
        port: u32,
    },
    /// A login test needs both a username and a password (each at most 512 bytes).
    InvalidCredentials,
    /// The port cannot be reached from this vantage point (port 25 at Cloudflare's edge).
    PortNotTestableHere {
        port: u16,
    },
    /// The host is, or resolves to, an address the deployment refuses to probe.
    TargetNotAllowed {
        address: IpAddr,
        class: AddressClass,
    },
    NotFound,
    MethodNotAllowed,
    /// `GET /api/discover?address=`: not an e-mail address or domain. The input is not
    /// echoed (it may be someone's address).
    InvalidAddress {
        reason: AddressError,
    },
    /// Over a limit: nothing was probed. Answered with 429 and `Retry-After`.
    RateLimited {
        limit: Limit,
        /// Seconds until a request of the same kind may pass again.
        retry_after_s: u32,
    },
    /// The deployment asks for a Turnstile challenge before a login test and none was solved.
    ChallengeRequired,
    /// The Turnstile token was refused by siteverify (spent, expired, forged), or siteverify
    /// could not be asked in time: a login test is then refused, never let through.
    ChallengeFailed,
}

/// Which budget a refused request exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// Checks or address lookups from one client address.
    Client,
    /// Checks of one mail server, from all clients together.
    Target,
    /// Login tests: per (client, server, user name), per (server, user name), per server.
    Login,
}

impl InputError {
    /// A stable machine-readable name, used by the page to pick its translation.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BodyTooLarge { .. } => "body_too_large",
            Self::MalformedBody { .. } => "malformed_body",
            Self::InvalidHost { .. } => "invalid_host",
            Self::PortNotAllowed { .. } => "port_not_allowed",
            Self::UnknownSecurity { .. } => "unknown_security",
            Self::PortsMissing => "ports_missing",
            Self::DuplicatePort { .. } => "duplicate_port",
            Self::InvalidCredentials => "invalid_credentials",
            Self::PortNotTestableHere { .. } => "port_not_testable_here",
            Self::TargetNotAllowed { .. } => "target_not_allowed",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidAddress { .. } => "invalid_address",
            Self::RateLimited {
                limit: Limit::Client,
                ..
            } => "rate_limited",
            Self::RateLimited {
                limit: Limit::Target,
                ..
            } => "target_busy",
            Self::RateLimited {
                limit: Limit::Login,
                ..
            } => "login_limited",
            Self::ChallengeRequired => "challenge_required",
            Self::ChallengeFailed => "challenge_failed",
        }
    }

    /// The HTTP status that carries this error.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::BodyTooLarge { .. } => 413,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::TargetNotAllowed { .. } => 403,
            Self::PortNotTestableHere { .. } => 422,
            Self::RateLimited { .. } => 429,
            Self::ChallengeRequired | Self::ChallengeFailed => 403,
            _ => 400,
        }
    }

    /// The `Retry-After` header's seconds, for the errors that have one.
    pub fn retry_after_s(&self) -> Option<u32> {
        match self {
            Self::RateLimited { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        }
    }

    pub fn to_body(&self) -> ApiError {
        ApiError {
            error: ErrorBody {
                code: self.code().to_owned(),
                message: self.to_string(),
            },
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BodyTooLarge { limit } => write!(f, "request body is larger than {limit} bytes"),
            Self::MalformedBody { detail } => write!(
                f,
                "request body must be JSON like {{\"host\":\"mail.example.com\",\"port\":587,\"security\":\"starttls\"}}: {detail}"
            ),
            Self::InvalidHost { host, reason } => write!(f, "{host:?} is not a valid host name: {reason}"),
            Self::PortNotAllowed { port } => write!(
                f,
                "port {port} is not a mail sending port; sendcheck probes 25, 465, 587 and 2525"
            ),
            Self::UnknownSecurity { given } => write!(
                f,
                "unknown security mode {given:?}: use \"starttls\", \"tls\" (SSL/TLS) or \"none\""
            ),
            Self::PortsMissing => write!(
                f,
                "give either \"port\" or a list \"ports\" of one to four ports, not both"
            ),
            Self::DuplicatePort { port } => write!(f, "port {port} is listed twice"),
            Self::PortNotTestableHere { port } => write!(
                f,
                "port {port} cannot be probed from this vantage point (Cloudflare does not open \
                 outbound connections to it); a failure here would say nothing about the server"
            ),
            Self::InvalidCredentials => write!(
                f,
                "a login test needs both a user name and a password (at most 512 bytes each)"
            ),
            Self::TargetNotAllowed { address, class } => write!(
                f,
                "{address} is {} address, which this service does not probe",
                class.description()
            ),
            Self::NotFound => write!(f, "no such API endpoint"),
            Self::MethodNotAllowed => write!(f, "this endpoint takes POST with a JSON body"),
            Self::InvalidAddress { reason } => {
                write!(f, "not an e-mail address or domain: {reason}")
            }
            Self::RateLimited {
                limit,
                retry_after_s,
            } => {
                let what = match limit {
                    Limit::Client => "too many requests from your address",
                    Limit::Target => "this mail server was checked too often just now",
                    Limit::Login => "too many login tests for this server or user name",
                };
                write!(f, "{what}; try again in {retry_after_s} s")
            }
            Self::ChallengeRequired => write!(
                f,
                "a login test needs the challenge (Turnstile) on the page to be solved first"
            ),
            Self::ChallengeFailed => write!(
                f,
                "the challenge (Turnstile) was not accepted; solve it again and retry"
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// The JSON body of every 4xx/5xx answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
