//! The TLS part of a report: how the connection was encrypted and the certificate the server
//! showed, with what a hosting provider needs to find it (names, dates, fingerprint).

use sendcheck::wire::{CertificateProblem, TlsReport};
use yew::prelude::*;

use crate::explain;
use crate::i18n::{fill, Lang};
use crate::when;

/// The reasons mail programs would refuse the certificate, right under the explanation.
pub fn certificate_problems(problems: &[CertificateProblem], lang: Lang) -> Html {
    let items = problems
        .iter()
        .map(|problem| html! { <li>{ explain::certificate_problem(problem, lang) }</li> });
    html! {
        <div class="certificate-problems">
            <p class="problems-lead">{ lang.texts().tls_problems }</p>
            <ul class="problems" data-testid="certificate-problems">{ for items }</ul>
        </div>
    }
}

/// Session and certificate facts.
pub fn tls_block(tls: &TlsReport, lang: Lang, heading_id: &str) -> Html {
    let t = lang.texts();
    let session = format!("{} · {}", tls.version, tls.cipher_suite);
    // The server's own certificate comes first; the rest of the chain only matters through
    // the problems it causes, which are listed separately.
    let leaf = tls.chain.first().map(|cert| {
        let validity = fill(
            t.cert_validity,
            &[
                ("from", &when::local_date(cert.not_before_unix, lang)),
                ("until", &when::local_date(cert.not_after_unix, lang)),
            ],
        );
        html! {
            <>
                <dt>{ t.cert_subject_label }</dt>
                <dd>{ &cert.subject }</dd>
                <dt>{ t.cert_issuer_label }</dt>
                <dd>{ &cert.issuer }</dd>
                <dt>{ t.cert_validity_label }</dt>
                <dd>{ validity }</dd>
                if !cert.sans.is_empty() {
                    <dt>{ t.cert_names_label }</dt>
                    <dd>{ cert.sans.join(", ") }</dd>
                }
                <dt>{ t.cert_fingerprint_label }</dt>
                <dd><code class="fingerprint">{ &cert.sha256 }</code></dd>
            </>
        }
    });
    html! {
        <div class="block" role="group" aria-labelledby={heading_id.to_owned()} data-testid="tls">
            <h4 id={heading_id.to_owned()}>{ t.tls_heading }</h4>
            if tls.verification.is_verified() {
                <p class="verdict-ok">{ t.tls_verified }</p>
            }
            <dl class="facts">
                <dt>{ t.tls_session_label }</dt>
                <dd>{ session }</dd>
                { for leaf }
            </dl>
        </div>
    }
}
