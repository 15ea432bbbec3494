//! What a server's refusal means, read from its words: a blocklist, a per-client limit, a
//! temporary login failure, a locked account, a tenant without SMTP AUTH … Data:
//! `data/reply_classes.json`, first match wins (the file lists the most specific first).
//!
//! The same table reads a reply sendcheck's probe received (its step is known) and an SMTP
//! reply the person pasted (its step is not): who was refused differs, the class does not.

use serde::{Deserialize, Serialize};

use crate::diagnosis::Cause;
use crate::smtp::EnhancedStatus;
use crate::wire::Step;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyClassEntry {
    pub id: String,
    /// What the reply means for the person.
    pub cause: Cause,
    /// The reply codes the entry applies to; empty: any refusal (4xx/5xx).
    #[serde(default)]
    pub codes: Vec<u16>,
    /// `5.7.139` exactly, or `5.7` for every detail of that class and subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<String>,
    /// The probe steps the entry applies to; empty: any.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Whether the entry also reads replies the person pasted, whose step is unknown (false
    /// where only the step gives the words their meaning: "Administrative prohibition" at the
    /// greeting refuses an address, after RCPT it says nothing).
    #[serde(default = "pasted_too", skip_serializing_if = "is_true")]
    pub pasted: bool,
    /// The entry matches when every substring of one group occurs (case-insensitive); empty:
    /// the code (and enhanced status) alone decide.
    #[serde(default)]
    pub phrases: Vec<Vec<String>>,
    /// The blocklist or policy the refusal names ("Spamhaus", "reverse DNS").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// Where a listing can be checked and delisting asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<String>,
    /// Text key of what the reply means.
    pub meaning: String,
    pub source: String,
    pub reviewed: String,
}

/// One reply to classify: its code, its enhanced status if it had one, all its text, and the
/// probe step it answered (`None` for text the person pasted).
#[derive(Debug, Clone, Copy)]
pub struct ReplyToClassify<'a> {
    pub code: u16,
    pub enhanced: Option<EnhancedStatus>,
    pub text: &'a str,
    pub step: Option<Step>,
}

/// The first entry that fits the reply, if any. Replies of class 2 and 3 are never refusals.
pub fn classify<'k>(
    entries: &'k [ReplyClassEntry],
    reply: ReplyToClassify<'_>,
) -> Option<&'k ReplyClassEntry> {
    if !(400..600).contains(&reply.code) {
        return None;
    }
    let lower = reply.text.to_lowercase();
    entries.iter().find(|e| fits(e, &reply, &lower))
}

fn pasted_too() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn fits(entry: &ReplyClassEntry, reply: &ReplyToClassify<'_>, lower: &str) -> bool {
    let step_fits = match reply.step {
        Some(step) => entry.steps.is_empty() || entry.steps.contains(&step),
        // Pasted text has no step: only words can place it.
        None => entry.pasted && (entry.steps.is_empty() || !entry.phrases.is_empty()),
    };
    let code_fits = entry.codes.is_empty() || entry.codes.contains(&reply.code);
    let enhanced_fits = match (&entry.enhanced, reply.enhanced) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(wanted), Some(got)) => {
            let exact = got.to_string();
            *wanted == exact || *wanted == format!("{}.{}", got.class, got.subject)
        }
    };
    let words_fit = if entry.phrases.is_empty() {
        // A code-only entry must name a code, or it would claim every refusal.
        !entry.codes.is_empty() || entry.enhanced.is_some()
    } else {
        entry.phrases.iter().any(|group| {
            !group.is_empty()
                && group
                    .iter()
                    .all(|part| !part.is_empty() && lower.contains(&part.to_lowercase()))
        })
    };
    step_fits && code_fits && enhanced_fits && words_fit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn class(code: u16, enhanced: &str, text: &str, step: Option<Step>) -> Option<String> {
        let reply = ReplyToClassify {
            code,
            enhanced: enhanced.parse().ok(),
            text,
            step,
        };
        classify(Knowledge::builtin().reply_classes(), reply).map(|e| e.id.clone())
    }

    #[test]
    fn every_entry_is_sourced_named_and_reachable() {
        let entries = Knowledge::builtin().reply_classes();
        assert!(entries.len() >= 30);
        for e in entries {
            assert!(e.source.contains("http"), "{}: cite a page", e.id);
            assert_ne!(e.cause, Cause::Unknown, "{}", e.id);
            assert!(!e.phrases.is_empty() || !e.codes.is_empty(), "{}", e.id);
            assert!(e.reviewed.len() == 7, "{}", e.id);
            assert!(e.steps.iter().all(|s| *s != Step::Unknown), "{}", e.id);
        }
    }

    #[test]
    fn words_decide_where_the_code_is_shared() {
        let auth = Some(Step::Auth);
        let m365 = |t| class(535, "5.7.139", t, auth);
        assert_eq!(
            m365("Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.").as_deref(),
            Some("m365.smtp_auth_disabled")
        );
        assert_eq!(
            m365("Authentication unsuccessful, the user credentials were incorrect.").as_deref(),
            Some("m365.credentials_incorrect")
        );
        assert_eq!(
            m365("Authentication unsuccessful, basic authentication is disabled.").as_deref(),
            Some("m365.basic_auth_disabled")
        );
        assert_eq!(
            class(454, "4.7.0", "Temporary authentication failure", auth).as_deref(),
            Some("auth.temporary_words")
        );
        assert_eq!(
            class(
                454,
                "4.7.0",
                "Too many login attempts, please try again later. x1si",
                auth
            )
            .as_deref(),
            Some("gmail.too_many_logins")
        );
        assert_eq!(
            class(454, "", "", auth).as_deref(),
            Some("auth.temporary_codes")
        );
        assert_eq!(
            class(
                535,
                "5.7.8",
                "Error: authentication failed: UGFzc3dvcmQ6",
                auth
            )
            .as_deref(),
            Some("credentials.words")
        );
    }

    #[test]
    fn policy_limits_and_load_are_told_apart() {
        let greeting = Some(Step::Greeting);
        assert_eq!(
            class(554, "5.7.1", "Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7", greeting).as_deref(),
            Some("policy.spamhaus")
        );
        assert_eq!(
            class(
                421,
                "4.7.0",
                "mail.example.jp Error: too many connections from 192.0.2.7",
                greeting
            )
            .as_deref(),
            Some("limit.connections_from")
        );
        assert_eq!(
            class(
                421,
                "",
                "Too many concurrent SMTP connections; please try again later.",
                greeting
            )
            .as_deref(),
            Some("busy.overloaded")
        );
        assert_eq!(
            class(421, "", "Too many concurrent SMTP connections from this IP address; please try again later.", greeting).as_deref(),
            Some("limit.connections_from")
        );
        assert_eq!(
            class(
                554,
                "5.7.1",
                "<unknown[192.0.2.7]>: Client host rejected: Access denied",
                None
            )
            .as_deref(),
            Some("policy.client_host_rejected")
        );
        assert_eq!(
            class(220, "", "mail.example.jp ESMTP blocked using", greeting),
            None
        );
        assert_eq!(class(554, "", "", greeting), None);
        // A step-bound entry never claims pasted text without words.
        assert_eq!(class(454, "", "", None), None);
    }
}
