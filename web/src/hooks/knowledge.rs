//! Fetches the diagnosis's data files (see [`crate::library`]) after the page has shown
//! itself, and the texts of a language when the person switches to it. Each file once; again
//! only when the person asks after a failure.

use std::rc::Rc;

use sendcheck::knowledge::{Knowledge, Texts};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::hooks::browser::get_text;
use crate::i18n::Lang;
use crate::library::{data_url, parse_tables, parse_texts, text_lang};
use crate::state::{Action, AppState};

#[hook]
pub fn use_library(state: &UseReducerHandle<AppState>) {
    let wanted = state.library.wanted(state.lang);
    let dispatcher = state.dispatcher();
    use_effect_with((state.lang, state.library.attempt), move |_| {
        if !wanted.tables && wanted.texts.is_none() {
            return;
        }
        dispatcher.dispatch(Action::LibraryFetching(wanted));
        if wanted.tables {
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let result = fetch_tables().await.map(Rc::new);
                dispatcher.dispatch(Action::TablesLoaded(result));
            });
        }
        if let Some(lang) = wanted.texts {
            spawn_local(async move {
                let result = fetch_texts(lang).await.map(Rc::new);
                dispatcher.dispatch(Action::TextsLoaded(lang, result));
            });
        }
    });
}

async fn fetch_tables() -> Result<Knowledge, String> {
    let mut files: [String; Knowledge::TABLE_FILES.len()] = Default::default();
    for (slot, name) in files.iter_mut().zip(Knowledge::TABLE_FILES) {
        *slot = fetch_file(name).await?;
    }
    parse_tables(&files)
}

async fn fetch_texts(lang: Lang) -> Result<Texts, String> {
    let json = fetch_file(Texts::file_name(text_lang(lang))).await?;
    parse_texts(lang, &json)
}

async fn fetch_file(name: &str) -> Result<String, String> {
    match get_text(&data_url(name)).await {
        Ok((200, body)) => Ok(body),
        Ok((status, _)) => Err(format!("{name}: HTTP {status}")),
        Err(failure) => Err(format!("{name}: {failure:?}")),
    }
}
