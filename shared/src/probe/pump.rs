//! The adapters' loop, written once: ask the [`Probe`] for its next [`Action`], do it through
//! a [`Runtime`] (sockets and a clock), report back. The worker (workerd sockets,
//! `Date.now()`) and the native CLI (tokio, a monotonic clock) differ only in their runtime.
//!
//! ```text
//!  Probe::next_action ─▶ Connect ─▶ runtime.connect (bounded by the action's deadline)
//!                     ─▶ Send    ─▶ write_all + flush, within probe.deadline()
//!                     ─▶ Receive ─▶ read, within the action's deadline
//!                     ─▶ Close   ─▶ runtime.close (bounded by CLOSE_GRACE_MS) ─▶ report
//! ```
//!
//! Nothing here reads a clock or opens a socket by itself: the runtime does both.

use std::future::Future;
use std::net::IpAddr;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Action, ConnectFailure, Millis, Probe, StreamFailure};
use crate::wire::{ProbeReport, StepRecord};

/// How long closing a socket may take before we stop waiting for the peer.
pub const CLOSE_GRACE_MS: u64 = 1_000;
/// One read's buffer: a reply's limit (16 KiB) fits in one.
const READ_BUFFER: usize = 16 * 1024;

/// The result of opening a connection.
pub enum Connected<S> {
    Open(S),
    Failed(ConnectFailure),
    /// Still pending at the deadline; `pending` is the half-open socket to close, if the
    /// runtime has one (workerd hands out the socket before it opens).
    TimedOut {
        pending: Option<S>,
    },
}

/// What an adapter's platform provides: a clock, TCP, and a bound on any wait.
pub trait Runtime {
    type Stream: AsyncRead + AsyncWrite + Unpin;

    /// The adapter's monotonic clock, in milliseconds.
    fn now(&self) -> Millis;

    /// Opens a raw TCP connection (TLS is the engine's), giving up at `deadline`.
    fn connect(
        &self,
        address: IpAddr,
        port: u16,
        deadline: Millis,
    ) -> impl Future<Output = Connected<Self::Stream>>;

    /// Runs `work` until `deadline`; `None` when the deadline came first.
    fn within<F: Future>(
        &self,
        work: F,
        deadline: Millis,
    ) -> impl Future<Output = Option<F::Output>>;

    /// Closes the stream (the caller bounds the wait with [`Runtime::within`]).
    fn close(&self, stream: Self::Stream) -> impl Future<Output = ()>;

    /// The runtime's words for a broken stream, as the engine's [`StreamFailure`].
    fn stream_failure(&self, error: &std::io::Error) -> StreamFailure {
        let text = error.to_string();
        if error.kind() == std::io::ErrorKind::ConnectionReset
            || text.to_ascii_lowercase().contains("reset")
        {
            StreamFailure::Reset
        } else {
            StreamFailure::Other(text)
        }
    }
}

/// Runs `probe` to its end over `runtime`. `address` is the outcome of the one resolution the
/// check made for all its ports (already judged by the adapter's guard, if it has one);
/// `on_step` hears each finished step (live progress).
pub async fn pump<R: Runtime>(
    runtime: &R,
    mut probe: Probe,
    address: Result<IpAddr, String>,
    mut on_step: impl FnMut(&StepRecord),
) -> ProbeReport {
    let mut socket: Option<R::Stream> = None;
    let mut buffer = vec![0u8; READ_BUFFER];
    loop {
        match probe.next_action() {
            Action::Resolve { .. } => probe.on_resolved(address.clone(), runtime.now()),
            Action::Connect {
                address,
                port,
                deadline,
            } => match runtime.connect(address, port, deadline).await {
                Connected::Open(open) => {
                    socket = Some(open);
                    probe.on_connected(runtime.now());
                }
                Connected::Failed(failure) => probe.on_connect_failed(failure, runtime.now()),
                Connected::TimedOut { pending } => {
                    // The outcome is timed now; closing may wait on the peer.
                    probe.on_timeout(runtime.now());
                    if let Some(abandoned) = pending {
                        close(runtime, abandoned).await;
                    }
                }
            },
            Action::Send(bytes) => {
                let Some(open) = socket.as_mut() else { break };
                let written = async {
                    open.write_all(&bytes).await?;
                    open.flush().await
                };
                match runtime.within(written, probe.deadline()).await {
                    Some(Ok(())) => {}
                    Some(Err(e)) => {
                        probe.on_stream_error(runtime.stream_failure(&e), runtime.now())
                    }
                    None => probe.on_timeout(runtime.now()),
                }
            }
            Action::Receive { deadline } => {
                let Some(open) = socket.as_mut() else { break };
                match runtime.within(open.read(&mut buffer), deadline).await {
                    None => probe.on_timeout(runtime.now()),
                    Some(Ok(0)) => probe.on_closed(runtime.now()),
                    Some(Ok(n)) => probe.on_received(&buffer[..n], runtime.now()),
                    Some(Err(e)) => {
                        probe.on_stream_error(runtime.stream_failure(&e), runtime.now())
                    }
                }
            }
            Action::Close => break,
        }
        probe.take_progress().iter().for_each(&mut on_step);
    }
    if let Some(open) = socket {
        close(runtime, open).await;
    }
    probe.into_report(runtime.now())
}

async fn close<R: Runtime>(runtime: &R, stream: R::Stream) {
    let grace = runtime.now().plus(CLOSE_GRACE_MS);
    let _closed = runtime.within(runtime.close(stream), grace).await;
}
