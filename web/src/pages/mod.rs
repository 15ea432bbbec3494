//! Whole screens. There is one for now; a shared-result page will join it.

mod home;

pub use home::Home;
