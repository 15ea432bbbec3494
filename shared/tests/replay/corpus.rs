//! The corpus of real SMTP replies (`shared/tests/corpus/*.json`): what each entry says and
//! the server script that puts its reply at its step.

use serde::Deserialize;

use sendcheck::diagnosis::MailClient;
use sendcheck::smtp::base64;
use sendcheck::target::{MailPort, Security};

use crate::server::Script;

/// Every corpus file, compiled in so the test needs no working directory.
pub const FILES: &[(&str, &str)] = &[
    ("dovecot.json", include_str!("../corpus/dovecot.json")),
    ("exim.json", include_str!("../corpus/exim.json")),
    (
        "haraka_opensmtpd.json",
        include_str!("../corpus/haraka_opensmtpd.json"),
    ),
    ("others.json", include_str!("../corpus/others.json")),
    ("postfix.json", include_str!("../corpus/postfix.json")),
    ("providers.json", include_str!("../corpus/providers.json")),
];

/// One reply a real server sent (or documents sending), with where it was read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    /// The software or provider that sends it.
    pub server: String,
    /// A URL or `owner/repo@path#Lline` that shows the reply.
    pub source: String,
    pub step: CorpusStep,
    pub port: u16,
    pub security: Security,
    /// The reply's lines exactly as sent, without CRLF.
    pub reply: Vec<String>,
    pub expect: Expect,
    /// The AUTH mechanism the server offers for `auth` entries (default: PLAIN and LOGIN, so
    /// the probe uses PLAIN). `LOGIN` plays the two challenges before the entry's reply.
    #[serde(default)]
    pub mechanism: Option<String>,
    /// Replies of the same server at other steps, where they differ from a healthy server's
    /// (rblsmtpd greets as itself and offers no extensions; a server without SASL offers no
    /// AUTH inside TLS either).
    #[serde(default)]
    pub before: Before,
    /// Give the probe a login although the entry's step comes before AUTH (an EHLO that
    /// offers no AUTH matters only to someone who must log in).
    #[serde(default)]
    pub login: bool,
    /// Whether the person's program has "my server requires authentication" on. True unless
    /// the entry is about a program that does not log in.
    #[serde(default = "yes")]
    pub login_configured: bool,
    /// How the server really speaks on the port when the person's setting (`security`) is
    /// another: a plain greeting where the program expects TLS from the first byte.
    #[serde(default)]
    pub server_security: Option<Security>,
    /// The person's mail program, where the case depends on it (Gmail sending as another
    /// address logs in from Google's servers abroad).
    #[serde(default)]
    pub client: Option<MailClient>,
    /// Why the expectation is what it is, when the reply alone does not say.
    #[serde(default)]
    pub note: Option<String>,
}

/// A server's own replies before the entry's step.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Before {
    #[serde(default)]
    pub greeting: Option<Vec<String>>,
    #[serde(default)]
    pub ehlo: Option<Vec<String>>,
    #[serde(default)]
    pub ehlo_after_tls: Option<Vec<String>>,
}

/// Where in the dialogue the reply is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorpusStep {
    Greeting,
    Ehlo,
    Helo,
    Starttls,
    EhloAfterTls,
    Auth,
    AuthChallenge,
    Quit,
    /// A reply the probe can never provoke (it answers MAIL, RCPT or DATA, which sendcheck
    /// never sends, or AUTH in clear, which it never tries): the person's mail program met it
    /// and the person pasted it. Replayed as the pasted error text beside a probe that works.
    Pasted,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `OutcomeKind::name()` of the probe's outcome.
    pub outcome: String,
    /// `Cause::name()` of the diagnosis's top finding, or null when there should be none.
    pub cause: Option<String>,
}

impl Entry {
    pub fn mail_port(&self) -> Option<MailPort> {
        MailPort::new(self.port)
    }

    /// Whether the server starts TLS at once (465, or a mismatched setting's real server).
    pub fn server_implicit_tls(&self) -> bool {
        self.server_security.unwrap_or(self.security) == Security::Tls
    }

    /// Whether the probe is given a login: only where the entry's reply answers one.
    pub fn logs_in(&self) -> bool {
        self.login || matches!(self.step, CorpusStep::Auth | CorpusStep::AuthChallenge)
    }

    /// Normal replies everywhere, the entry's reply at its step.
    pub fn script(&self) -> Script {
        let mut script = Script::healthy();
        if let Some(greeting) = &self.before.greeting {
            script.greeting = greeting.clone();
        }
        if let Some(ehlo) = &self.before.ehlo {
            script.ehlo = ehlo.clone();
        }
        if let Some(ehlo) = &self.before.ehlo_after_tls {
            script.ehlo_after_tls = ehlo.clone();
        }
        let reply = self.reply.clone();
        let refusal = reply.last().is_some_and(|l| !l.starts_with('2'));
        match self.step {
            CorpusStep::Greeting => script.greeting = reply,
            CorpusStep::Ehlo => {
                // A server that refuses EHLO by policy refuses HELO the same way; one that
                // merely does not know EHLO answers HELO ("500"/"502" are about the command).
                let unknown_command = reply
                    .last()
                    .is_some_and(|l| l.starts_with("500") || l.starts_with("502"));
                if refusal && !unknown_command {
                    script.helo = reply.clone();
                }
                script.ehlo = reply;
            }
            CorpusStep::Helo => {
                script.ehlo = vec!["502 5.5.2 Error: command not recognized".to_owned()];
                script.helo = reply;
            }
            CorpusStep::Starttls => script.starttls = reply,
            CorpusStep::EhloAfterTls => script.ehlo_after_tls = reply,
            CorpusStep::Auth => {
                let offer = self.mechanism.as_deref().unwrap_or("PLAIN LOGIN");
                script.ehlo_after_tls = offering(offer);
                script.auth = if offer.eq_ignore_ascii_case("LOGIN") {
                    vec![challenge("Username:"), challenge("Password:"), reply]
                } else {
                    vec![reply]
                };
            }
            CorpusStep::AuthChallenge => {
                let text = reply
                    .last()
                    .and_then(|l| l.get(4..))
                    .unwrap_or_default()
                    .to_owned();
                let done = vec!["235 2.7.0 Authentication successful".to_owned()];
                let is = |prompt: &str| {
                    text == base64(prompt.as_bytes())
                        || text == base64(prompt.to_ascii_lowercase().as_bytes())
                };
                let mechanism = self.mechanism.as_deref().unwrap_or("LOGIN");
                script.ehlo_after_tls = offering(mechanism);
                script.auth = if mechanism.eq_ignore_ascii_case("CRAM-MD5") {
                    vec![reply, done]
                } else if is("Password:") {
                    vec![challenge("Username:"), reply, done]
                } else {
                    vec![reply, challenge("Password:"), done]
                };
            }
            CorpusStep::Quit => script.quit = reply,
            CorpusStep::Pasted => {}
        }
        script
    }

    /// The person's error text: only pasted entries carry one.
    pub fn pasted_text(&self) -> Option<String> {
        (self.step == CorpusStep::Pasted).then(|| self.reply.join("\n"))
    }
}

fn yes() -> bool {
    true
}

fn offering(mechanisms: &str) -> Vec<String> {
    vec![
        "250-mail.sendcheck.test".to_owned(),
        "250-PIPELINING".to_owned(),
        format!("250-AUTH {mechanisms}"),
        "250 ENHANCEDSTATUSCODES".to_owned(),
    ]
}

fn challenge(prompt: &str) -> Vec<String> {
    vec![format!("334 {}", base64(prompt.as_bytes()))]
}

/// Every entry of every file, or the first file that does not parse.
pub fn load() -> Vec<Entry> {
    let mut entries = Vec::new();
    for (name, text) in FILES {
        match serde_json::from_str::<Vec<Entry>>(text) {
            Ok(mut more) => entries.append(&mut more),
            Err(e) => panic!("corpus/{name} does not parse: {e}"),
        }
    }
    entries
}
