//! The language as the browser sees it: read once at start, then mirrored into `<html lang>`,
//! the document title and (after a switch) the address.

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::i18n::{search_with_lang, Lang};

/// `?lang=` in the address, else `navigator.language`.
pub fn browser_lang() -> Lang {
    let window = web_sys::window();
    let search = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let navigator_language = window.and_then(|w| w.navigator().language());
    Lang::detect(&search, navigator_language.as_deref())
}

/// Keeps `<html lang>` and the title in the chosen language, so screen readers pronounce the
/// page correctly and the tab reads naturally.
#[hook]
pub fn use_document_language(lang: Lang) {
    use_effect_with(lang, |lang| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                // Failing to set an attribute leaves the previous language: nothing to recover.
                let _ = root.set_attribute("lang", lang.tag());
            }
            document.set_title(lang.start_texts().page_title);
        }
    });
}

/// Puts `?lang=` in the address without reloading, so a reload or a copied link keeps the
/// language the person picked.
pub fn remember_lang_in_address(lang: Lang) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = format!("{}{hash}", search_with_lang(&search, lang));
    if let Ok(history) = window.history() {
        // Some embedded browsers refuse history changes; the switch still works without it.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
