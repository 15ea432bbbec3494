//! One rule per cause, one file per rule, each tested with the scenario it exists for.
//! A rule reads the [`Case`] and returns a finding when its cause fits the evidence.

mod address_refused;
mod all_clear_outside;
mod auth_mechanism_unsupported;
mod auth_not_offered;
mod auth_not_used;
mod auth_rejected;
mod auth_temporary;
mod basic_auth_retired;
mod certificate;
mod client_limit;
mod encryption_required;
mod host_not_found;
mod login_locked;
mod login_refused_abroad;
mod message_rejected;
mod no_submission_port;
mod old_tls_refused;
mod op25b;
mod server_down;
mod server_unstable;
mod smtp_auth_disabled;
mod starttls;
mod tls_interception;
mod unrecognised_reply;
mod wrong_pairing;

use crate::diagnosis::case::Case;
use crate::diagnosis::Finding;

pub type Rule = fn(&Case) -> Option<Finding>;

/// In tie-break order: the server first (nothing else matters while it is down), then the
/// person's network and machine, then settings and credentials, then server configuration.
pub const SPECIFIC: &[Rule] = &[
    server_down::rule,
    host_not_found::rule,
    address_refused::rule,
    client_limit::rule,
    server_unstable::rule,
    op25b::rule,
    tls_interception::rule,
    old_tls_refused::rule,
    encryption_required::rule,
    wrong_pairing::rule,
    smtp_auth_disabled::rule,
    login_refused_abroad::rule,
    login_locked::rule,
    auth_temporary::rule,
    basic_auth_retired::rule,
    auth_mechanism_unsupported::rule,
    auth_rejected::rule,
    message_rejected::rule,
    auth_not_used::rule,
    auth_not_offered::rule,
    starttls::rule,
    certificate::rule,
    no_submission_port::rule,
    unrecognised_reply::rule,
];

/// Run only when no specific rule found anything at medium confidence or above.
pub const FALLBACK: &[Rule] = &[all_clear_outside::rule];
