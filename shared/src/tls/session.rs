//! A TLS client session over bytes: the only file that talks to the rustls API.
//!
//! The certificate verifier never fails the handshake. It keeps the chain the server sent and
//! still checks the handshake signature, so the server proves it holds the key of the
//! certificate it showed. Whether the chain deserves trust is decided apart, by
//! [`verify_chain`](super::verify_chain), and recorded: the probe goes on to learn the AUTH
//! mechanisms, flagged as learned over an unverified connection.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::Resumption;
use rustls::crypto::ring::default_provider;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::time_provider::TimeProvider;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, ProtocolVersion,
};

use super::certificate::summarize_or_describe;
use super::failure::{alert_name, check_first_bytes, TlsError, TlsFailure};
use super::signature;
use super::verify::verify_chain;
use crate::target::Host;
use crate::wire::{TlsReport, Verification};

/// One TLS client connection, driven by the caller's bytes.
///
/// ```text
///  socket ──bytes──▶ receive ──▶ take_plaintext ──▶ SMTP reply parser
///  socket ◀──bytes── take_ciphertext ◀── send_plaintext ◀── SMTP commands
/// ```
#[derive(Debug)]
pub struct TlsSession {
    conn: ClientConnection,
    host: Host,
    now_unix_secs: u64,
    captured_chain: Arc<Mutex<Vec<Vec<u8>>>>,
    plaintext: Vec<u8>,
    received_any: bool,
    peer_closed: bool,
    failure: Option<TlsFailure>,
    report: OnceLock<TlsReport>,
}

impl TlsSession {
    /// `server_name`: the DNS name for SNI and name checks (an IP literal host → IP server
    /// name, no SNI). `now_unix_secs`: the caller's wall clock, the only time rustls sees.
    pub fn new(server_name: &Host, now_unix_secs: u64) -> Result<Self, TlsError> {
        let provider = Arc::new(CryptoProvider {
            signature_verification_algorithms: signature::for_handshakes(),
            ..default_provider()
        });
        let captured_chain = Arc::new(Mutex::new(Vec::new()));
        let verifier = RecordingVerifier {
            provider: Arc::clone(&provider),
            captured_chain: Arc::clone(&captured_chain),
        };
        let clock = CallerClock(UnixTime::since_unix_epoch(Duration::from_secs(
            now_unix_secs,
        )));
        let mut config = ClientConfig::builder_with_details(provider, Arc::new(clock))
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(other)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        // One connection per session: nothing to resume, and no ticket to keep.
        config.resumption = Resumption::disabled();

        let name = match server_name {
            Host::Name(name) => ServerName::try_from(name.as_str().to_owned()).map_err(other)?,
            Host::Ip(ip) => ServerName::from(*ip),
        };
        let mut conn = ClientConnection::new(Arc::new(config), name).map_err(other)?;
        // SMTP commands are small and the caller drains the output after each one.
        conn.set_buffer_limit(None);
        Ok(Self {
            conn,
            host: server_name.clone(),
            now_unix_secs,
            captured_chain,
            plaintext: Vec::new(),
            received_any: false,
            peer_closed: false,
            failure: None,
            report: OnceLock::new(),
        })
    }

    /// Feeds bytes read from the socket. After a failure, every call returns that failure.
    pub fn receive(&mut self, ciphertext: &[u8]) -> Result<(), TlsFailure> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        if !self.received_any && !ciphertext.is_empty() {
            self.received_any = true;
            check_first_bytes(ciphertext).map_err(|failure| self.fail(failure))?;
        }
        let mut rest = ciphertext;
        while !rest.is_empty() {
            self.conn
                .read_tls(&mut rest)
                .map_err(|e| self.fail(other(e)))?;
            let state = self
                .conn
                .process_new_packets()
                .map_err(|e| self.fail(from_rustls(e)))?;
            let waiting = state.plaintext_bytes_to_read();
            if waiting > 0 {
                let start = self.plaintext.len();
                self.plaintext.resize(start + waiting, 0);
                self.conn
                    .reader()
                    .read_exact(&mut self.plaintext[start..])
                    .map_err(|e| self.fail(other(e)))?;
            }
            self.peer_closed |= state.peer_has_closed();
        }
        Ok(())
    }

    /// Decrypted application bytes received so far (SMTP replies), emptying the buffer.
    pub fn take_plaintext(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.plaintext)
    }

    /// Queues application bytes (SMTP commands) to encrypt; sent once the handshake is done.
    pub fn send_plaintext(&mut self, bytes: &[u8]) {
        if let Err(error) = self.conn.writer().write_all(bytes) {
            self.fail(other(error));
        }
    }

    /// Bytes to write to the socket: handshake messages, records, alerts.
    pub fn take_ciphertext(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while self.conn.wants_write() {
            match self.conn.write_tls(&mut out) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        out
    }

    pub fn is_handshaking(&self) -> bool {
        self.conn.is_handshaking()
    }

    /// The server sent close_notify.
    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    /// Queues close_notify; take it with [`take_ciphertext`](Self::take_ciphertext).
    pub fn close(&mut self) {
        self.conn.send_close_notify();
    }

    /// The failure that ended this session, if any.
    pub fn failure(&self) -> Option<&TlsFailure> {
        self.failure.as_ref()
    }

    /// The certificates the server sent, its own first, as DER; empty before it sent them.
    /// Kept even when the handshake later failed: it is evidence.
    pub fn peer_chain(&self) -> Vec<Vec<u8>> {
        self.captured_chain
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// After the handshake: version, suite, the chain summarized, and its verification
    /// against the public roots (computed on the first call, then cached). `None` before.
    pub fn report(&self) -> Option<TlsReport> {
        if let Some(report) = self.report.get() {
            return Some(report.clone());
        }
        let verification = verify_chain(&self.peer_chain(), &self.host, self.now_unix_secs);
        let report = self.report_with_verification(verification)?;
        Some(self.report.get_or_init(|| report).clone())
    }

    /// Like [`report`](Self::report) with a verification the caller already has, e.g. from
    /// another port of the same host with the same [`peer_chain`](Self::peer_chain), or
    /// computed where CPU is cheaper. Not cached.
    pub fn report_with_verification(&self, verification: Verification) -> Option<TlsReport> {
        if self.conn.is_handshaking() {
            return None;
        }
        let version = match self.conn.protocol_version()? {
            ProtocolVersion::TLSv1_3 => "TLS 1.3".to_owned(),
            ProtocolVersion::TLSv1_2 => "TLS 1.2".to_owned(),
            other => format!("{other:?}"),
        };
        let suite = self.conn.negotiated_cipher_suite()?.suite();
        let cipher_suite = suite
            .as_str()
            .map_or_else(|| format!("{suite:?}"), str::to_owned);
        Some(TlsReport {
            version,
            cipher_suite,
            alpn: self
                .conn
                .alpn_protocol()
                .map(|alpn| String::from_utf8_lossy(alpn).into_owned()),
            chain: self
                .peer_chain()
                .iter()
                .map(|der| summarize_or_describe(der))
                .collect(),
            verification,
        })
    }

    fn fail(&mut self, failure: TlsFailure) -> TlsFailure {
        self.failure.get_or_insert(failure).clone()
    }
}

/// Keeps the chain and accepts it; checks handshake signatures with the provider's algorithms.
#[derive(Debug)]
struct RecordingVerifier {
    provider: Arc<CryptoProvider>,
    captured_chain: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|cert| cert.as_ref().to_vec())
            .collect();
        *self
            .captured_chain
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = chain;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The caller's `now`, fixed for the few seconds a probe lasts: rustls reads no clock.
#[derive(Debug)]
struct CallerClock(UnixTime);

impl TimeProvider for CallerClock {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

fn from_rustls(error: rustls::Error) -> TlsFailure {
    match error {
        rustls::Error::AlertReceived(alert) => TlsFailure::AlertReceived {
            alert: alert_name(u8::from(alert)),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::PeerSentOversizedRecord => {
            TlsFailure::NotTls {
                detail: error.to_string(),
            }
        }
        rustls::Error::PeerIncompatible(_) => TlsFailure::Incompatible {
            detail: error.to_string(),
        },
        rustls::Error::InvalidCertificate(CertificateError::BadSignature) => TlsFailure::Other {
            detail: "the server could not prove it holds the key of the certificate it \
                     presented (its handshake signature is invalid)"
                .to_owned(),
        },
        error => other(error),
    }
}

fn other(error: impl std::fmt::Display) -> TlsFailure {
    TlsFailure::Other {
        detail: error.to_string(),
    }
}
