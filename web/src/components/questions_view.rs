//! The questions: what still works, which mail program, since when, what changed, and the
//! exact error, which is decoded as the person types. Every field has a visible label. (The
//! address is asked first, at the top of the page: [`crate::components::StartView`].)

use std::rc::Rc;

use sendcheck::diagnosis::Since;
use sendcheck::knowledge::{Knowledge, Texts as MessageTexts};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::verdict_view::decoded_block;
use crate::i18n::Lang;
use crate::questions::{
    parse_change, parse_client, parse_since, parse_yes_no, yes_no_value, QuestionEdit, Questions,
    CHANGES, CLIENTS,
};
use crate::state::Action;
use crate::verdict::decoded_view;

#[derive(Properties, PartialEq)]
pub struct QuestionsProps {
    pub lang: Lang,
    pub questions: Questions,
    pub tables: Option<Rc<Knowledge>>,
    pub texts: Option<Rc<MessageTexts>>,
    /// Unfolded at first (the verdict needs the answers); the person folds it as they like.
    pub open: bool,
    pub on_action: Callback<Action>,
}

#[function_component(QuestionsView)]
pub fn questions_view(props: &QuestionsProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().questions;
    let q = &props.questions;
    let edit = |make: fn(&str) -> QuestionEdit| {
        props.on_action.reform(move |e: Event| {
            Action::Answer(make(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    // "Not sure" is always an answer: the first option, chosen until the person picks.
    let yes_no_hinted = |id: &'static str,
                         label: &'static str,
                         value: Option<bool>,
                         make,
                         hint: Option<(&'static str, String)>| {
        let options = [("", t.unknown), ("yes", t.yes), ("no", t.no)];
        let described = hint.as_ref().map(|(hint_id, _)| *hint_id);
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <select {id} onchange={edit(make)} aria-describedby={described}>
                    { for options.iter().map(|(v, words)| html! {
                        <option value={*v} selected={*v == yes_no_value(value)}>{ *words }</option>
                    }) }
                </select>
                if let Some((hint_id, words)) = hint {
                    <p id={hint_id} class="hint" data-testid="logs-in-where">{ words }</p>
                }
            </div>
        }
    };
    let yes_no = |id: &'static str, label: &'static str, value: Option<bool>, make| {
        yes_no_hinted(id, label, value, make, None)
    };
    // Where the chosen mail program shows whether it logs in, in its own words.
    let logs_in_where = lang
        .result_texts()
        .logs_in_where(q.client.map(|c| c.name()))
        .to_owned();
    let clients = CLIENTS.iter().map(|c| {
        html! {
            <option value={c.name()} selected={q.client == Some(*c)}>{ t.client(c.name()) }</option>
        }
    });
    let changes = CHANGES.iter().map(|change| {
        let value = change.name();
        let id = format!("change-{value}");
        let on_action = props.on_action.clone();
        let onchange = Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(change) = parse_change(&input.value()) {
                on_action.emit(Action::Answer(QuestionEdit::Change(
                    change,
                    input.checked(),
                )));
            }
        });
        html! {
            <label class="check-option" for={id.clone()}>
                <input
                    type="checkbox"
                    name="change"
                    id={id.clone()}
                    {value}
                    checked={q.changes.contains(change)}
                    {onchange}
                />
                { " " }{ t.change(value) }
            </label>
        }
    });
    let on_error = props.on_action.reform(|e: InputEvent| {
        Action::Answer(QuestionEdit::ErrorText(
            e.target_unchecked_into::<HtmlTextAreaElement>().value(),
        ))
    });

    // Decoded again only when the text or the tables change.
    let decoded = use_memo(
        (q.error_text.clone(), props.tables.clone()),
        |(text, tables)| {
            let tables = tables.as_deref()?;
            let questions = Questions {
                error_text: text.clone(),
                ..Questions::default()
            };
            questions.decoded(tables)
        },
    );
    let decoded_now = match (decoded.as_ref(), props.texts.as_deref()) {
        (Some(d), Some(texts)) if !d.is_empty() => Some(decoded_block(
            &decoded_view(d, texts, lang),
            lang,
            "decoded-live",
        )),
        // Typed before the error tables arrived: they are on their way.
        (None, _) | (_, None) if !q.error_text.trim().is_empty() => Some(html! {
            <p class="hint">{ lang.texts().findings.decoded_waiting }</p>
        }),
        _ => None,
    };

    html! {
        <details class="questions sharpen" data-testid="questions" open={props.open}>
            <summary><h3 id="questions-heading">{ t.heading }</h3></summary>
            <p class="hint">{ t.intro }</p>
            <div class="field-row three">
                { yes_no("q-receiving", t.receiving, q.receiving_works, |v| QuestionEdit::ReceivingWorks(parse_yes_no(v))) }
                { yes_no("q-web", t.web, q.web_works, |v| QuestionEdit::WebWorks(parse_yes_no(v))) }
                { yes_no("q-other-servers", t.other_servers, q.other_servers_work, |v| QuestionEdit::OtherServersWork(parse_yes_no(v))) }
            </div>
            // The program first: the login question then speaks its words.
            <div class="field-row">
                <div class="field">
                    <label for="q-client">{ t.client }</label>
                    <select id="q-client" onchange={edit(|v| QuestionEdit::Client(parse_client(v)))}>
                        <option value="" selected={q.client.is_none()}>{ t.client_unknown }</option>
                        { for clients }
                    </select>
                </div>
                { yes_no_hinted(
                    "q-logs-in",
                    t.logs_in,
                    q.logs_in,
                    |v| QuestionEdit::LogsIn(parse_yes_no(v)),
                    Some(("q-logs-in-hint", logs_in_where)),
                ) }
            </div>
            <div class="field">
                <label for="q-since">{ t.since }</label>
                <select id="q-since" onchange={edit(|v| QuestionEdit::Since(parse_since(v)))}>
                    <option value="" selected={q.since.is_none()}>{ t.unknown }</option>
                    { for Since::ALL.iter().map(|since| html! {
                        <option value={since.name()} selected={q.since == Some(*since)}>
                            { t.since_option(since.name()) }
                        </option>
                    }) }
                </select>
            </div>
            <fieldset class="changes">
                <legend>{ t.changes_legend }</legend>
                { for changes }
            </fieldset>
            <div class="field">
                <label for="error-text">{ t.error_text }</label>
                <textarea
                    id="error-text"
                    rows="3"
                    spellcheck="false"
                    aria-describedby="error-text-hint"
                    value={q.error_text.clone()}
                    oninput={on_error}
                />
                <p id="error-text-hint" class="hint">{ t.error_hint }</p>
                <div class="decoded-live" aria-live="polite">{ for decoded_now }</div>
            </div>
        </details>
    }
}
