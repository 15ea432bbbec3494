//! What the page's first module hands to the rest when it takes over.
//!
//! The page loads in two parts (see `entry.rs` and `index.html`): a small **start module**
//! that shows the address field and the settings form at once, and the **full module** (the
//! check, the verdict, the share view) fetched right after the first paint. When the full
//! module is there it mounts with everything the person did meanwhile — language, address,
//! the form, and whether they already pressed Check — so nothing is typed twice and a check
//! asked for early starts the moment it can. (The address is looked up by the full module.)
//!
//! The handoff is a JSON string passed between the two modules in memory, once. It holds the
//! password when one was typed (the check needs it); it is never stored, put in an address or
//! printed: `Debug` shows only whether there is one.

use std::fmt;

use sendcheck::target::{MailPort, Security};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::state::{Form, Password};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// `en` or `ja`.
    pub lang: String,
    pub host: String,
    pub port: MailPort,
    pub security: Security,
    pub username: String,
    pub password: String,
    /// The address as typed.
    pub email: String,
    /// Check was pressed before the full module arrived.
    pub submitted: bool,
}

impl fmt::Debug for Handoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handoff")
            .field("lang", &self.lang)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &Password::from(self.password.clone()))
            .field("email", &self.email)
            .field("submitted", &self.submitted)
            .finish()
    }
}

impl Handoff {
    pub fn new(lang: Lang, form: &Form, email: &str, submitted: bool) -> Self {
        Self {
            lang: lang.tag().to_owned(),
            host: form.host.clone(),
            port: form.port,
            security: form.security,
            username: form.username.clone(),
            password: form.password.as_str().to_owned(),
            email: email.to_owned(),
            submitted,
        }
    }

    pub fn to_json(&self) -> String {
        // Plain strings, numbers and the discovery's own types: nothing here fails to serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The start module's handoff, or why it cannot be read (then the full module starts
    /// afresh: the person sees an empty form rather than a broken page).
    pub fn from_json(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    pub fn lang(&self) -> Option<Lang> {
        Lang::from_tag(&self.lang)
    }

    pub fn form(&self) -> Form {
        Form {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone(),
            password: Password::from(self.password.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        Form {
            host: "mail.example.jp".into(),
            port: MailPort::SUBMISSION,
            security: Security::Starttls,
            username: "taro".into(),
            password: Password::from("hunter2".to_owned()),
        }
    }

    #[test]
    fn everything_typed_survives_the_round_trip() {
        let handoff = Handoff::new(Lang::Ja, &form(), "taro@example.jp", true);
        let back = Handoff::from_json(&handoff.to_json()).expect("reads back");
        assert_eq!(back, handoff);
        assert_eq!(back.lang(), Some(Lang::Ja));
        assert_eq!(back.form(), form());
        assert_eq!(back.email, "taro@example.jp");
        assert!(back.submitted);
    }

    #[test]
    fn debug_never_shows_the_password() {
        let handoff = Handoff::new(Lang::En, &form(), "", false);
        let shown = format!("{handoff:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn a_broken_handoff_is_an_error_not_a_panic() {
        for bad in ["", "{", "null", r#"{"lang":"en"}"#, "[1,2,3]"] {
            assert!(Handoff::from_json(bad).is_err(), "{bad}");
        }
    }
}
