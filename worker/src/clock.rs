//! The worker's clock, handed to the engine as `now`. `Date.now()` is the only clock a worker
//! has (it advances across IO, which is what the engine measures).

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use sendcheck::probe::Millis;
use worker::Delay;

pub fn now() -> Millis {
    Millis(js_sys::Date::now() as u64)
}

/// Runs `work` until `deadline`; `None` when the deadline came first. Workers sockets have no
/// timeout of their own, so every await on the network goes through here.
pub async fn within<F: Future>(work: F, deadline: Millis) -> Option<F::Output> {
    let wait = Duration::from_millis(deadline.since(now()));
    let work = pin!(work);
    let delay = pin!(Delay::from(wait));
    match select(work, delay).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}
