//! `POST /api/probe` request body, as sent (loose), and its parse into a [`ProbeTarget`].

use serde::{Deserialize, Serialize};

use crate::target::{Host, MailPort, ProbeTarget, Security};
use crate::wire::InputError;

/// Bodies larger than this are refused before parsing (a probe request is a few dozen bytes).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

/// The request as the page sends it. Deliberately loose (strings, a plain number) so that each
/// mistake gets its own specific [`InputError`] rather than a generic deserializer message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeRequest {
    pub host: String,
    pub port: u32,
    /// `starttls`, `tls` or `none`; when absent, the usual mode for the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
}

impl ProbeRequest {
    /// Parses the raw body: size, JSON shape, then each field.
    pub fn from_body(body: &[u8]) -> Result<ProbeTarget, InputError> {
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

    /// Turns the loose request into a typed target, or says exactly what is wrong.
    pub fn parse(&self) -> Result<ProbeTarget, InputError> {
        let host = Host::parse(&self.host)?;
        let port = u16::try_from(self.port)
            .ok()
            .and_then(MailPort::new)
            .ok_or(InputError::PortNotAllowed { port: self.port })?;
        let security = match &self.security {
            None => Security::usual_for(port),
            Some(given) => Security::parse(given)?,
        };
        Ok(ProbeTarget {
            host,
            port,
            security,
        })
    }
}
