//! The widget (`/embed`): whether the page is it, and its link to the full page with the same
//! settings, so the long parts of a result are a click away instead of inside the FAQ page.

use sendcheck::embed::percent_encode;
use sendcheck::target::MailPort;

use crate::i18n::Lang;
use crate::state::AppState;

/// The widget's path (index.html marks `<html class="embed">` on it).
pub const EMBED_PATH: &str = "/embed";

pub fn is_widget(pathname: &str) -> bool {
    pathname.trim_end_matches('/') == EMBED_PATH
}

/// `/?host=…&port=…&address=…&lang=…`: the full page, prefilled as the widget is now. The
/// user name and password are never part of it.
pub fn full_page_url(state: &AppState) -> String {
    checker_url(
        &state.form.host,
        state.form.port,
        &state.questions.email,
        state.lang,
    )
}

/// The checker prefilled with a server, a port and (when not empty) an address.
pub fn checker_url(host: &str, port: MailPort, address: &str, lang: Lang) -> String {
    let mut params = Vec::new();
    let host = host.trim();
    if !host.is_empty() {
        params.push(format!("host={}", percent_encode(host)));
    }
    params.push(format!("port={}", port.get()));
    let address = address.trim();
    if !address.is_empty() {
        params.push(format!("address={}", percent_encode(address)));
    }
    params.push(format!("lang={}", lang.tag()));
    format!("/?{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    use sendcheck::embed::EmbedPreset;

    use super::*;
    use crate::state::Action;
    use yew::Reducible;

    #[test]
    fn only_the_embed_path_is_the_widget() {
        assert!(is_widget("/embed"));
        assert!(is_widget("/embed/"));
        assert!(!is_widget("/"));
        assert!(!is_widget("/embedded"));
    }

    #[test]
    fn the_full_page_link_carries_the_settings_and_never_the_login() {
        let preset =
            EmbedPreset::from_query("?host=mail.example.jp&port=465&address=taro%40example.jp");
        let state = std::rc::Rc::new(AppState::new(Lang::Ja).with_preset(&preset, true));
        assert!(state.embed);
        assert_eq!(state.form.port.get(), 465);
        assert_eq!(state.form.security.name(), "tls");
        let state = state
            .reduce(Action::EditUsername("taro user".into()))
            .reduce(Action::EditPassword("s3cret&x".into()));
        let url = full_page_url(&state);
        assert_eq!(
            url,
            "/?host=mail.example.jp&port=465&address=taro@example.jp&lang=ja"
        );
        assert!(!url.contains("s3cret") && !url.contains("taro%20user"));
        // What the full page reads back is what the widget had.
        let back = EmbedPreset::from_query(url.trim_start_matches('/'));
        assert_eq!(back.host, preset.host);
        assert_eq!(back.address.as_deref(), Some("taro@example.jp"));
    }

    #[test]
    fn odd_characters_are_escaped() {
        let state = std::rc::Rc::new(AppState::new(Lang::En))
            .reduce(Action::EditHost("smtp example&x".into()));
        assert_eq!(
            full_page_url(&state),
            "/?host=smtp%20example%26x&port=587&lang=en"
        );
    }
}
