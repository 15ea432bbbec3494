//! One rule per cause, one file per rule, each tested with the scenario it exists for.
//! A rule reads the [`Case`] and returns a finding when its cause fits the evidence.

mod all_clear_outside;
mod auth_not_offered;
mod auth_not_used;
mod auth_rejected;
mod basic_auth_retired;
mod certificate;
mod host_not_found;
mod no_submission_port;
mod op25b;
mod server_down;
mod server_unstable;
mod starttls;
mod tls_interception;
mod wrong_pairing;

use crate::diagnosis::case::Case;
use crate::diagnosis::Finding;

pub type Rule = fn(&Case) -> Option<Finding>;

/// In tie-break order: the server first (nothing else matters while it is down), then the
/// person's network and machine, then settings and credentials, then server configuration.
pub const SPECIFIC: &[Rule] = &[
    server_down::rule,
    host_not_found::rule,
    server_unstable::rule,
    op25b::rule,
    tls_interception::rule,
    wrong_pairing::rule,
    basic_auth_retired::rule,
    auth_rejected::rule,
    auth_not_used::rule,
    auth_not_offered::rule,
    starttls::rule,
    certificate::rule,
    no_submission_port::rule,
];

/// Run only when no specific rule found anything at medium confidence or above.
pub const FALLBACK: &[Rule] = &[all_clear_outside::rule];
