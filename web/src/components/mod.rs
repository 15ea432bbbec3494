//! The pieces of the page. Each takes the language and plain data as props and looks its
//! words up in [`crate::i18n`]; none holds state of its own.

mod auth_view;
mod header;
mod probe_form;
mod report_view;
mod status;
mod tls_view;

pub use header::Header;
pub use probe_form::ProbeForm;
pub use report_view::ReportView;
pub use status::{FailureNotice, Progress};
