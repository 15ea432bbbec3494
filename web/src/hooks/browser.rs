//! What the browser says about itself, where the page is served from, and the few browser
//! services the page uses directly (GET requests, the clipboard).

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use crate::answer::fetch_failure;
use crate::hooks::probe::js_error_parts;
use crate::state::Failure;

/// `navigator.userAgent`, empty when the browser does not tell.
pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// Whether the page itself came over HTTPS (then plain HTTP requests are mixed content).
pub fn page_is_https() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

/// A same-origin GET: its status and body, or why there is none.
pub async fn get_text(url: &str) -> Result<(u16, String), Failure> {
    let failure = |e: JsValue| {
        let (name, message) = js_error_parts(&e);
        fetch_failure(&name, &message)
    };
    let window = web_sys::window().ok_or_else(|| failure(JsValue::from_str("no window")))?;
    let init = RequestInit::new();
    init.set_method("GET");
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .and_then(|r| r.dyn_into())
        .map_err(failure)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.map_err(failure)?,
        Err(e) => return Err(failure(e)),
    };
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// Copies `text` to the clipboard; `false` where the browser refuses (no permission, an
/// insecure origin, an older browser).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let available = Reflect::has(&navigator, &JsValue::from_str("clipboard")).unwrap_or(false);
    if !available {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}
