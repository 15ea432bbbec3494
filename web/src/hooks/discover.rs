//! `GET /api/discover` for the person's address (or the server's domain), a moment after
//! they stop typing, once per address.

use std::rc::Rc;
use std::time::Duration;

use sendcheck::discovery::Discovery;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::answer::{failure_detail, read_json};
use crate::discover::discover_url;
use crate::hooks::browser::get_text;
use crate::state::Action;

/// How long typing must pause before the lookup starts.
const PAUSE_MS: u64 = 700;

/// `query`: what to look up now (`discover::discovery_query`); `asked`: what the page holds a
/// discovery for already. Both modules' states read the same actions (`start_state`).
#[hook]
pub fn use_discover(query: Option<String>, asked: Option<String>, dispatch: Callback<Action>) {
    // Bumped on every change of the query: a lookup whose query changed while it waited is
    // dropped before it asks anything.
    let generation = use_mut_ref(|| 0u32);
    use_effect_with(query, move |query| {
        *generation.borrow_mut() += 1;
        let mine = *generation.borrow();
        let Some(query) = query.clone().filter(|q| asked.as_ref() != Some(q)) else {
            return;
        };
        spawn_local(async move {
            sleep(Duration::from_millis(PAUSE_MS)).await;
            if *generation.borrow() != mine {
                return;
            }
            dispatch.emit(Action::Discovering(query.clone()));
            let result = match get_text(&discover_url(&query)).await {
                Ok((status, body)) => read_json::<Discovery>(status, &body),
                Err(failure) => Err(failure),
            };
            let result = result.map(Rc::new).map_err(|f| failure_detail(&f));
            dispatch.emit(Action::Discovered { query, result });
        });
    });
}
