//! Why a check has no result: a mistake in the form, a refusal, or no usable answer.

use yew::prelude::*;

use crate::explain;
use crate::i18n::Lang;
use crate::state::Failure;

#[derive(Properties, PartialEq)]
pub struct FailureNoticeProps {
    pub lang: Lang,
    pub failure: Failure,
}

/// A mistake in the form or a refusal by the API (`input-error`: fix what you typed), or no
/// usable answer at all (`request-error`: retry or reload).
#[function_component(FailureNotice)]
pub fn failure_notice(props: &FailureNoticeProps) -> Html {
    let t = props.lang.texts();
    let words = explain::failure(&props.failure, props.lang);
    let (testid, class) = if props.failure.is_input_error() {
        ("input-error", "notice notice-input")
    } else {
        ("request-error", "notice notice-error")
    };
    let kind = match &props.failure {
        Failure::EmptyHost => "empty_host".to_owned(),
        Failure::MissingUsername => "missing_username".to_owned(),
        Failure::MissingPassword => "missing_password".to_owned(),
        Failure::Api { code, .. } => code.clone(),
        Failure::Unreadable { .. } => "unreadable".to_owned(),
        Failure::Unreachable { .. } => "unreachable".to_owned(),
        Failure::TimedOut { .. } => "timed_out".to_owned(),
    };
    html! {
        <div class={class} data-testid={testid} data-failure={kind} role="alert">
            if let Some(headline) = words.headline {
                <h2 class="notice-headline">{ headline }</h2>
            }
            <p>{ words.text }</p>
            if let Some(message) = words.server_message {
                <p class="server-said">
                    { t.server_said }{ " " }<q lang="en">{ message }</q>
                </p>
            }
            if let Some(detail) = words.detail {
                <p class="detail">{ t.technical_detail }{ " " }<code>{ detail }</code></p>
            }
        </div>
    }
}
