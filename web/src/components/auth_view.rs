//! The AUTH part of a report: the login methods offered before and inside encryption, a
//! warning when a password could travel unencrypted, and the login test's result (or why
//! there was none). The words come from [`crate::auth`].

use sendcheck::target::Security;
use sendcheck::wire::{AuthAttempt, AuthReport};
use yew::prelude::*;

use crate::auth::{self, Exposure};
use crate::i18n::Lang;

/// The whole AUTH section.
pub fn auth_block(report: &AuthReport, security: Security, lang: Lang, heading_id: &str) -> Html {
    let t = &lang.texts().auth;
    // On SSL/TLS ports nothing is said before encryption, so there is no "before" to show.
    let before = (security != Security::Tls).then(|| {
        html! {
            <>
                <dt>{ t.offered_before_label }</dt>
                <dd data-testid="auth-before-tls">{ auth::mechanisms(&report.offered_before_tls, lang) }</dd>
            </>
        }
    });
    let after = match &report.offered_after_tls {
        Some(offered) => auth::mechanisms(offered, lang),
        None => t.no_tls.to_owned(),
    };
    let exposure = match auth::exposure(report) {
        Exposure::CleartextBeforeTls(mechanisms) => {
            let (headline, explanation) = auth::cleartext_warning(&mechanisms, lang);
            html! {
                <div class="auth-warning" data-testid="auth-cleartext-warning" role="note">
                    <p class="auth-warning-headline">
                        <span class="warning-mark" aria-hidden="true">{ "!" }</span>
                        { headline }
                    </p>
                    <p>{ explanation }</p>
                </div>
            }
        }
        Exposure::OnlyInsideTls => html! {
            <p class="auth-ok-note" data-testid="auth-tls-only">
                <span aria-hidden="true">{ "✓ " }</span>{ t.only_inside_tls }
            </p>
        },
        Exposure::Neither => Html::default(),
    };
    let outcome = match (&report.attempt, report.skipped) {
        (Some(attempt), _) => login_result(attempt, lang),
        (None, Some(reason)) => html! {
            <p class="auth-skipped" data-testid="auth-skipped" data-reason={auth::skipped_name(reason)}>
                { auth::skipped(reason, lang) }
            </p>
        },
        (None, None) => Html::default(),
    };
    html! {
        <div class="block" role="group" aria-labelledby={heading_id.to_owned()} data-testid="auth">
            <h4 id={heading_id.to_owned()}>{ t.heading }</h4>
            <p class="hint">{ t.hint }</p>
            <dl class="facts">
                { for before }
                <dt>{ t.offered_after_label }</dt>
                <dd data-testid="auth-after-tls">{ after }</dd>
            </dl>
            { exposure }
            { outcome }
        </div>
    }
}

/// The server's verdict on the login, in words, with its answer as sent.
fn login_result(attempt: &AuthAttempt, lang: Lang) -> Html {
    let t = &lang.texts().auth;
    let words = auth::login(attempt, lang);
    let class = if attempt.accepted {
        "auth-result auth-accepted"
    } else {
        "auth-result auth-refused"
    };
    html! {
        <div
            {class}
            data-testid="auth-result"
            data-accepted={attempt.accepted.to_string()}
            data-verdict={words.verdict.name()}
            data-code={words.code.clone()}
        >
            <h5 class="auth-result-headline">
                <span class="mark" aria-hidden="true">{ if attempt.accepted { "✓" } else { "!" } }</span>
                { words.headline }
            </h5>
            <p>{ words.explanation }</p>
            <dl class="facts">
                <dt>{ t.mechanism_label }</dt>
                <dd><code>{ &attempt.mechanism }</code></dd>
                <dt>{ t.reply_label }</dt>
                <dd><pre class="wire">{ words.reply_lines.join("\n") }</pre></dd>
            </dl>
        </div>
    }
}
