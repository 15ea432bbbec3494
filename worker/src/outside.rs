//! The worker's adapter for the engine: connect, pump bytes, sleep until deadlines.
//! Everything about SMTP and TLS is decided in `sendcheck::probe`; this file only does IO.

use std::net::IpAddr;

use sendcheck::probe::{Action, ConnectFailure, Millis, Probe, ProbeConfig, StreamFailure};
use sendcheck::smtp::Credentials;
use sendcheck::target::ProbeTarget;
use sendcheck::wire::{ProbeReport, StepRecord};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use worker::{SecureTransport, Socket};

use crate::clock::{now, within};

/// How long closing a socket may take before we stop waiting for the peer.
const CLOSE_GRACE_MS: u64 = 1_000;
const READ_BUFFER: usize = 16 * 1024;

/// What every probe of one check shares: when it started (the name was resolved once for all
/// ports since then) and the outcome of that resolution, already judged by the guard.
#[derive(Debug, Clone)]
pub struct Start {
    pub at: Millis,
    pub unix_ms: u64,
    pub address: Result<IpAddr, String>,
}

/// Probes one port; `on_step` hears each finished step (live progress).
pub async fn probe_port(
    target: ProbeTarget,
    credentials: Option<Credentials>,
    config: ProbeConfig,
    start: Start,
    mut on_step: impl FnMut(&StepRecord),
) -> ProbeReport {
    let mut probe = Probe::new(target, credentials, config, start.at, start.unix_ms);
    let mut socket: Option<Socket> = None;
    loop {
        match probe.next_action() {
            Action::Resolve { .. } => probe.on_resolved(start.address.clone(), now()),
            Action::Connect {
                address,
                port,
                deadline,
            } => match connect(address, port, deadline).await {
                Connected::Open(open) => {
                    socket = Some(open);
                    probe.on_connected(now());
                }
                Connected::Failed(failure) => probe.on_connect_failed(failure, now()),
                Connected::TimedOut(mut abandoned) => {
                    // The outcome is timed now; closing may wait on the peer.
                    probe.on_timeout(now());
                    let _closed = within(abandoned.close(), now().plus(CLOSE_GRACE_MS)).await;
                }
            },
            Action::Send(bytes) => {
                let Some(open) = socket.as_mut() else { break };
                let written = async {
                    open.write_all(&bytes).await?;
                    open.flush().await
                };
                match within(written, probe.deadline()).await {
                    Some(Ok(())) => {}
                    Some(Err(e)) => probe.on_stream_error(stream_failure(&e), now()),
                    None => probe.on_timeout(now()),
                }
            }
            Action::Receive { deadline } => {
                let Some(open) = socket.as_mut() else { break };
                let mut buffer = vec![0u8; READ_BUFFER];
                match within(open.read(&mut buffer), deadline).await {
                    None => probe.on_timeout(now()),
                    Some(Ok(0)) => probe.on_closed(now()),
                    Some(Ok(n)) => probe.on_received(&buffer[..n], now()),
                    Some(Err(e)) => probe.on_stream_error(stream_failure(&e), now()),
                }
            }
            Action::Close => break,
        }
        probe.take_progress().iter().for_each(&mut on_step);
    }
    if let Some(mut open) = socket {
        let _closed = within(open.close(), now().plus(CLOSE_GRACE_MS)).await;
    }
    probe.into_report(now())
}

enum Connected {
    Open(Socket),
    Failed(ConnectFailure),
    /// Still pending at the deadline; the caller closes it.
    TimedOut(Socket),
}

async fn connect(address: IpAddr, port: u16, deadline: Millis) -> Connected {
    let host = match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    let socket = match Socket::builder()
        .secure_transport(SecureTransport::Off)
        .connect(host, port)
    {
        Ok(socket) => socket,
        Err(e) => return Connected::Failed(connect_failure(&e.to_string())),
    };
    match within(socket.opened(), deadline).await {
        Some(Ok(_)) => Connected::Open(socket),
        Some(Err(e)) => Connected::Failed(connect_failure(&e.to_string())),
        None => Connected::TimedOut(socket),
    }
}

/// workerd reports a refused connection as "proxy request failed, cannot connect to the
/// specified address" (see TOOLCHAIN.md); anything else is passed on verbatim.
fn connect_failure(message: &str) -> ConnectFailure {
    let lower = message.to_ascii_lowercase();
    if lower.contains("refused") || lower.contains("cannot connect to the specified address") {
        ConnectFailure::Refused
    } else {
        ConnectFailure::Other(message.to_owned())
    }
}

/// workerd reports a peer's RST as "Network connection lost."; other runtimes say "reset".
fn stream_failure(error: &std::io::Error) -> StreamFailure {
    let text = error.to_string();
    let lower = text.to_ascii_lowercase();
    let reset = error.kind() == std::io::ErrorKind::ConnectionReset
        || lower.contains("reset")
        || lower.contains("network connection lost");
    if reset {
        StreamFailure::Reset
    } else {
        StreamFailure::Other(text)
    }
}
