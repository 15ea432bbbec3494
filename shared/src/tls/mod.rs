//! TLS inside our own wasm, over the raw socket, so the report can say exactly what is wrong
//! with the server's certificate (feature `tls`).
//!
//! ```text
//!  adapter socket ──bytes──▶ TlsSession ──plaintext──▶ SMTP dialogue
//!                 ◀──bytes──   (rustls)  ◀──commands──
//!                                 │ peer_chain (DER)
//!                                 ▼
//!             verify_chain(chain, host, now) ──▶ Verification ─┐
//!             summarize(cert)                ──▶ CertificateSummary ─┴▶ TlsReport (wire)
//! ```
//!
//! A bad certificate never stops the handshake: it is recorded, and the probe goes on.
//! `session` is the only file that uses the rustls API; `verify` and `certificate` are pure
//! functions (webpki, our own small DER reader) that read no clock. Signatures are checked with
//! ring unless the adapter installs the runtime's own crypto (`signature`).

mod certificate;
mod der;
mod failure;
mod session;
mod signature;
mod verify;

#[cfg(test)]
mod tests;

pub use certificate::{summarize, MalformedCertificate};
pub use failure::{TlsError, TlsFailure};
pub use session::TlsSession;
pub use signature::{install_signature_algorithms, AlreadyInstalled, SignatureAlgorithms};
pub use verify::{verify_chain, verify_chain_with_roots};
