//! Whole screens: the checker, and the result a share link opens.

mod home;
mod shared_result;
mod start_page;

pub use home::Home;
pub use shared_result::SharedResult;
pub use start_page::{current_handoff, forget, say_unavailable, StartPage};
