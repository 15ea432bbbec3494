//! SMTP as data: replies (RFC 5321 §4.2), enhanced status codes (RFC 3463), EHLO
//! capabilities and the few commands a probe may send.

mod command;
mod cram_md5;
mod ehlo;
mod reply;
mod reply_parser;
mod sasl;

pub use command::{Command, Secret};
pub(crate) use cram_md5::base64_decode;
pub use cram_md5::cram_md5_response;
pub use ehlo::{Capabilities, Extension};
pub use reply::{EnhancedStatus, Reply, ReplyCode};
pub use reply_parser::{ReplyError, ReplyLimits, ReplyParser};
pub use sasl::{base64, Credentials, Mechanism};
