//! The worker's adapter for the engine: resolve, connect, pump bytes, sleep until deadlines.
//! Everything about SMTP is decided in `sendcheck::probe`; this file only does the IO.

use std::net::IpAddr;

use sendcheck::probe::{Action, ConnectFailure, Probe, ProbeConfig, StreamFailure};
use sendcheck::target::{AddressGuard, Host, ProbeTarget};
use sendcheck::wire::{InputError, ProbeReport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use worker::{SecureTransport, Socket};

use crate::clock::{now, within};
use crate::resolver;
use crate::settings::Settings;

/// How long closing a socket may take before we stop waiting for the peer.
const CLOSE_GRACE_MS: u64 = 1_000;

/// Probes one target from this vantage point. `Err` only for a target the guard refuses.
pub async fn run(target: ProbeTarget, settings: &Settings) -> Result<ProbeReport, InputError> {
    if let Host::Ip(ip) = target.host {
        settings.guard.check(ip)?;
    }
    let started_at_unix_ms = js_sys::Date::now() as u64;
    let config = ProbeConfig::new(settings.client_name.clone());
    let mut probe = Probe::new(target, config, now());
    let mut socket: Option<Socket> = None;
    loop {
        match probe.next_action() {
            Action::Resolve { name, deadline } => {
                match within(resolver::resolve(&settings.doh_url, &name), deadline).await {
                    None => probe.on_timeout(now()),
                    Some(Ok(addresses)) => match pick_address(&addresses, &settings.guard) {
                        Some(allowed) => probe.on_resolved(Ok(allowed?), now()),
                        None => probe.on_resolved(Err(format!("{name}: no address")), now()),
                    },
                    Some(Err(detail)) => probe.on_resolved(Err(detail), now()),
                }
            }
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
                Connected::TimedOut => probe.on_timeout(now()),
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
                let mut buffer = [0u8; 4096];
                match within(open.read(&mut buffer), deadline).await {
                    None => probe.on_timeout(now()),
                    Some(Ok(0)) => probe.on_closed(now()),
                    Some(Ok(n)) => probe.on_received(&buffer[..n], now()),
                    Some(Err(e)) => probe.on_stream_error(stream_failure(&e), now()),
                }
            }
            Action::Close => break,
        }
    }
    if let Some(mut open) = socket {
        let _closed = within(open.close(), now().plus(CLOSE_GRACE_MS)).await;
    }
    Ok(probe.into_report(started_at_unix_ms, now()))
}

/// The first resolved address the guard allows, else the guard's refusal of the first one.
fn pick_address(addresses: &[IpAddr], guard: &AddressGuard) -> Option<Result<IpAddr, InputError>> {
    let first = *addresses.first()?;
    let allowed = addresses.iter().copied().find(|a| guard.check(*a).is_ok());
    Some(allowed.map_or_else(|| guard.check(first).map(|()| first), Ok))
}

enum Connected {
    Open(Socket),
    Failed(ConnectFailure),
    TimedOut,
}

async fn connect(address: IpAddr, port: u16, deadline: sendcheck::probe::Millis) -> Connected {
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
        None => {
            let mut socket = socket;
            let _closed = within(socket.close(), now().plus(CLOSE_GRACE_MS)).await;
            Connected::TimedOut
        }
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

fn stream_failure(error: &std::io::Error) -> StreamFailure {
    let text = error.to_string();
    if error.kind() == std::io::ErrorKind::ConnectionReset
        || text.to_ascii_lowercase().contains("reset")
    {
        StreamFailure::Reset
    } else {
        StreamFailure::Other(text)
    }
}
