//! Whole screens: the checker, and the result a share link opens.

mod home;
mod shared_result;

pub use home::Home;
pub use shared_result::SharedResult;
