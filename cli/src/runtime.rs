//! The native runtime for the engine's pump: tokio's TCP and a monotonic clock. Everything
//! about SMTP and TLS is decided in `sendcheck::probe`; this file only does IO.

use std::future::Future;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use sendcheck::probe::pump::{Connected, Runtime};
use sendcheck::probe::{ConnectFailure, Millis};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// The OS's sockets; `now` counts from when the check began.
#[derive(Debug, Clone, Copy)]
pub struct Native {
    origin: Instant,
}

impl Native {
    #[allow(clippy::disallowed_methods)] // an adapter is where clocks are read (clippy.toml)
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }

    fn until(&self, deadline: Millis) -> Duration {
        Duration::from_millis(deadline.since(self.now()))
    }
}

impl Runtime for Native {
    type Stream = TcpStream;

    fn now(&self) -> Millis {
        Millis(u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    async fn connect(&self, address: IpAddr, port: u16, deadline: Millis) -> Connected<TcpStream> {
        let opening = TcpStream::connect(SocketAddr::new(address, port));
        match tokio::time::timeout(self.until(deadline), opening).await {
            Ok(Ok(stream)) => {
                // Commands are small and each waits for its reply: send them at once.
                let _ = stream.set_nodelay(true);
                Connected::Open(stream)
            }
            Ok(Err(e)) if e.kind() == ErrorKind::ConnectionRefused => {
                Connected::Failed(ConnectFailure::Refused)
            }
            Ok(Err(e)) => Connected::Failed(ConnectFailure::Other(e.to_string())),
            Err(_elapsed) => Connected::TimedOut { pending: None },
        }
    }

    async fn within<F: Future>(&self, work: F, deadline: Millis) -> Option<F::Output> {
        tokio::time::timeout(self.until(deadline), work).await.ok()
    }

    async fn close(&self, mut stream: TcpStream) {
        let _ = stream.shutdown().await;
    }
}
