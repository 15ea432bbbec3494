//! sendcheck's shared core: the sans-IO SMTP probe engine, the wire types and the
//! diagnosis. Used by the web page and the edge worker (both wasm) and by native tools.
//!
//! ```text
//!  ProbeRequest ──parse──▶ ProbeTarget ──▶ probe::Probe ◀──bytes, now── adapter (worker/CLI)
//!   (wire)                  (target)          │  Action ──▶ adapter does the IO
//!                                             ▼
//!                                        ProbeReport (wire) ──▶ page, share link
//! ```
//!
//! Nothing here opens a socket or reads a clock: adapters pass bytes and `now` in.

pub mod diagnosis;
pub mod discovery;
pub mod dns;
pub mod embed;
pub mod inside;
pub mod knowledge;
#[cfg(feature = "tls")]
pub mod probe;
pub mod share;
pub mod smtp;
pub mod target;
#[cfg(feature = "tls")]
pub mod tls;
pub mod wire;
