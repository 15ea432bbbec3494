//! The person's side as the network sees it: `GET /api/whoami` once on load, and, for each
//! check, what the browser reaches of the server's address (planned and read in
//! [`crate::reach`]; here only the fetches and the timing).

use std::time::Duration;

use sendcheck::wire::WhoAmI;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, RequestMode};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::answer::{failure_detail, read_json};
use crate::hooks::browser::{get_text, page_is_https};
use crate::hooks::probe::js_error_parts;
use crate::reach::{interpret, FetchEnd, REACH_TIMEOUT_MS};
use crate::state::{Action, AppState};

/// The path of the network identity, same origin as the page.
pub const WHOAMI_PATH: &str = "/api/whoami";

/// Asks once, after the first render.
#[hook]
pub fn use_whoami(state: &UseReducerHandle<AppState>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |()| {
        spawn_local(async move {
            let result = match get_text(WHOAMI_PATH).await {
                Ok((status, body)) => read_json::<WhoAmI>(status, &body),
                Err(failure) => Err(failure),
            };
            let result = result.map(std::rc::Rc::new).map_err(|f| failure_detail(&f));
            dispatcher.dispatch(Action::NetworkKnown(result));
        });
    });
}

/// Starts the reachability test of a check as soon as the check knows the server's address.
#[hook]
pub fn use_reach(state: &UseReducerHandle<AppState>) {
    let reach = state.reach.clone();
    let key = reach
        .as_ref()
        .map(|r| (r.id, r.address.clone(), r.rows.is_empty()));
    let dispatcher = state.dispatcher();
    use_effect_with(key, move |_| {
        let Some(reach) = reach.filter(|r| r.address.is_some() && r.rows.is_empty()) else {
            return;
        };
        let plan = reach.plan(page_is_https());
        let id = reach.id;
        dispatcher.dispatch(Action::ReachStarted {
            id,
            rows: plan.iter().map(|(row, _)| row.clone()).collect(),
        });
        for (row, url) in plan {
            let Some(url) = url else { continue };
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let (result, elapsed_ms) = timed_fetch(&url).await;
                dispatcher.dispatch(Action::ReachMeasured {
                    id,
                    port: row.port,
                    result,
                    elapsed_ms,
                });
            });
        }
    });
}

/// One `no-cors` fetch under the time limit: what it means, and how long it took.
async fn timed_fetch(url: &str) -> (sendcheck::diagnosis::BrowserResult, u64) {
    let started = js_sys::Date::now();
    let elapsed = || (js_sys::Date::now() - started).max(0.0) as u64;
    let controller = AbortController::new().ok();
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::NoCors);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
        let controller = controller.clone();
        spawn_local(async move {
            sleep(Duration::from_millis(u64::from(REACH_TIMEOUT_MS))).await;
            controller.abort();
        });
    }
    let Some(window) = web_sys::window() else {
        return (interpret(FetchEnd::Error { name: "" }, 0), 0);
    };
    let outcome: Result<JsValue, JsValue> =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let ms = elapsed();
    let result = match outcome {
        Ok(_) => interpret(FetchEnd::Response, ms),
        Err(e) => {
            let (name, _) = js_error_parts(&e);
            interpret(FetchEnd::Error { name: &name }, ms)
        }
    };
    (result, ms)
}
