//! The pieces of the page. Each takes the language and plain data as props and looks its
//! words up in [`crate::i18n`]; none holds state of its own beyond what it shows (a
//! countdown, "copied").

mod auth_view;
mod dns_view;
mod header;
mod local_check;
mod network_view;
mod port_results;
mod port_table;
mod probe_form;
mod questions_view;
mod report_view;
mod share_bar;
mod start_view;
mod status;
mod tls_view;
mod verdict_view;

pub use dns_view::DnsView;
pub use header::Header;
pub use local_check::LocalCheckView;
pub use network_view::NetworkView;
pub use port_results::PortResults;
pub use port_table::PortTable;
pub use probe_form::ProbeForm;
pub use questions_view::QuestionsView;
pub use report_view::ReportView;
pub use share_bar::ShareBar;
pub use start_view::{discovered_slot, waiting_slot, StartView};
pub use status::FailureNotice;
pub use verdict_view::{use_verdict, Verdict};
