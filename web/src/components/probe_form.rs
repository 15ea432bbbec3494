//! The form: which server, which port, which security, and optionally a user name and
//! password for the login test. Every input has a visible label and a hint tied to it with
//! `aria-describedby`.
//!
//! The form is never submitted by the browser (the submit event is taken over), and it says
//! `method="post"` anyway and gives the password field no `name`: even if the page's code
//! failed, the password could not end up in the address.

use sendcheck::target::{MailPort, Security};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::state::{Action, Form};

/// In the order mail programs list them.
const SECURITIES: [Security; 3] = [Security::Starttls, Security::Tls, Security::None];

#[derive(Properties, PartialEq)]
pub struct ProbeFormProps {
    pub lang: Lang,
    pub form: Form,
    /// A probe is running: the button is disabled (the fields stay editable).
    pub busy: bool,
    pub on_action: Callback<Action>,
}

#[function_component(ProbeForm)]
pub fn probe_form(props: &ProbeFormProps) -> Html {
    let t = props.lang.start_texts();
    let form = &props.form;

    // The `selected` attributes only set the initial choice: once the person has used a
    // select, the browser ignores them. So the chosen values are also set on the elements, which
    // is what makes picking 465 switch the security select to SSL/TLS every time.
    let port_ref = use_node_ref();
    let security_ref = use_node_ref();
    {
        let (port_ref, security_ref) = (port_ref.clone(), security_ref.clone());
        use_effect_with((form.port, form.security), move |(port, security)| {
            if let Some(select) = port_ref.cast::<HtmlSelectElement>() {
                select.set_value(&port.to_string());
            }
            if let Some(select) = security_ref.cast::<HtmlSelectElement>() {
                select.set_value(security.name());
            }
        });
    }

    let onsubmit = props.on_action.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Submit
    });
    let oninput = props
        .on_action
        .reform(|e: InputEvent| Action::EditHost(input_value(&e)));
    let on_username = props
        .on_action
        .reform(|e: InputEvent| Action::EditUsername(input_value(&e)));
    let on_password = props
        .on_action
        .reform(|e: InputEvent| Action::EditPassword(input_value(&e)));
    let on_port = select_callback(&props.on_action, |value| {
        value
            .parse()
            .ok()
            .and_then(MailPort::new)
            .map(Action::ChoosePort)
    });
    let on_security = select_callback(&props.on_action, |value| {
        Security::parse(value).ok().map(Action::ChooseSecurity)
    });

    let ports = MailPort::ALL.iter().map(|&port| {
        html! {
            <option value={port.to_string()} selected={port == form.port}>
                { t.port_option(port.get()) }
            </option>
        }
    });
    let securities = SECURITIES.iter().map(|&security| {
        html! {
            <option value={security.name()} selected={security == form.security}>
                { t.security(security) }
            </option>
        }
    });

    html! {
        <form
            id="probe-form"
            class="probe-form"
            method="post"
            novalidate=true
            aria-labelledby="settings-heading"
            {onsubmit}
        >
            <h2 id="settings-heading">{ t.settings_heading }</h2>
            <p class="hint">{ t.settings_intro }</p>
            <div class="field">
                <label for="host">{ t.host_label }</label>
                <input
                    id="host"
                    name="host"
                    type="text"
                    inputmode="url"
                    enterkeyhint="go"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    placeholder={t.host_placeholder}
                    aria-describedby="host-hint"
                    value={form.host.clone()}
                    {oninput}
                />
                <p id="host-hint" class="hint">{ t.host_hint }</p>
                { host_as(&form.host, t.host_as) }
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="port">{ t.port_label }</label>
                    <select id="port" name="port" ref={port_ref} onchange={on_port}>{ for ports }</select>
                </div>
                <div class="field">
                    <label for="security">{ t.security_label }</label>
                    <select
                        id="security"
                        name="security"
                        ref={security_ref}
                        aria-describedby="security-hint"
                        onchange={on_security}
                    >
                        { for securities }
                    </select>
                </div>
            </div>
            <p id="security-hint" class="hint">{ t.security_hint }</p>
            <fieldset class="login">
                <legend>{ t.login_legend }</legend>
                <p id="password-explained" class="hint" data-testid="password-explained">
                    { t.password_explained }
                </p>
                <div class="field-row">
                    <div class="field">
                        <label for="username">{ t.username_label }</label>
                        <input
                            id="username"
                            name="username"
                            type="text"
                            autocomplete="username"
                            autocapitalize="none"
                            spellcheck="false"
                            aria-describedby="username-hint password-explained"
                            value={form.username.clone()}
                            oninput={on_username}
                        />
                        <p id="username-hint" class="hint">{ t.username_hint }</p>
                    </div>
                    <div class="field">
                        <label for="password">{ t.password_label }</label>
                        <input
                            id="password"
                            type="password"
                            autocomplete="current-password"
                            aria-describedby="password-explained"
                            value={form.password.as_str().to_owned()}
                            oninput={on_password}
                        />
                    </div>
                </div>
            </fieldset>
            <button id="submit" type="submit" class="submit" disabled={props.busy}>
                { if props.busy { t.submit_busy } else { t.submit } }
            </button>
        </form>
    }
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// A `change` listener for a select: reads its value, and dispatches an action when the
/// value means one (the options only offer values that do).
fn select_callback(
    on_action: &Callback<Action>,
    action: impl Fn(&str) -> Option<Action> + 'static,
) -> Callback<Event> {
    let on_action = on_action.clone();
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        if let Some(action) = action(&value) {
            on_action.emit(action);
        }
    })
}

/// Full-width input and internationalised names: what is checked. Only the full module says
/// it — the host parser's Unicode tables would cost the first load about 7 KB gzip, and the
/// full module takes over within a second of the first paint.
#[cfg(not(feature = "start-module"))]
fn host_as(typed: &str, words: &str) -> Html {
    match sendcheck::target::Host::parse(typed) {
        Ok(host) if !typed.trim().is_ascii() => html! {
            <p class="hint" data-testid="host-as" aria-live="polite">
                { words.replace("{host}", &host.to_string()) }
            </p>
        },
        _ => html! {},
    }
}

#[cfg(feature = "start-module")]
fn host_as(_typed: &str, _words: &str) -> Html {
    html! {}
}
