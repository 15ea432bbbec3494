//! What to probe: a host, a mail port and a security mode, each parsed once at the edge.

mod address;
mod host;
mod idn;
mod port;

pub use address::{pick_address, AddressClass, AddressGuard, Cidr, CidrError};
pub use host::{Host, HostError, Hostname};
pub use idn::fold_width;
pub use port::{MailPort, Security};

/// A parsed probe target: nothing in here can be malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeTarget {
    pub host: Host,
    pub port: MailPort,
    pub security: Security,
}
