//! SASL pieces for AUTH (RFC 4954): credentials, mechanism choice and the encodings.

use std::fmt;

use crate::smtp::{Reply, Secret};

/// What a scrubbed password (or its encodings) reads as in a reply.
const REDACTED: &str = "<redacted>";
/// What a scrubbed user name reads as in a reply.
const USERNAME: &str = "<username>";

/// What the person typed to test their login. Never serialized, never shown: `Debug` redacts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: String,
}

impl Credentials {
    pub fn new(username: String, password: String) -> Self {
        Self { username, password }
    }

    /// The user name, for the worker's per-user login budget (which keeps only a hash of it).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// RFC 4616: base64 of `\0username\0password`.
    pub fn plain_initial_response(&self) -> Secret {
        let mut raw = Vec::with_capacity(self.username.len() + self.password.len() + 2);
        raw.push(0);
        raw.extend_from_slice(self.username.as_bytes());
        raw.push(0);
        raw.extend_from_slice(self.password.as_bytes());
        Secret::new(base64(&raw))
    }

    pub fn login_username(&self) -> Secret {
        Secret::new(base64(self.username.as_bytes()))
    }

    pub fn login_password(&self) -> Secret {
        Secret::new(base64(self.password.as_bytes()))
    }

    /// `reply` with this login taken out of its text: the user name as `<username>`, the
    /// password and everything we sent for them in base64 as `<redacted>`. A server that quotes
    /// them back ("535 authentication failed for taro") must not put them in a report, its
    /// transcript or a share link. Only what is longer than 2 characters is looked for, so a
    /// one-letter user name does not blank out the server's words.
    pub fn scrub(&self, reply: Reply) -> Reply {
        let mut secrets = [
            (self.plain_initial_response().expose_to_scrub(), REDACTED),
            (self.login_password().expose_to_scrub(), REDACTED),
            (self.login_username().expose_to_scrub(), REDACTED),
            (self.password.clone(), REDACTED),
            (self.username.clone(), USERNAME),
        ];
        // Longest first: a secret inside another is taken out with it.
        secrets.sort_by_key(|(secret, _)| std::cmp::Reverse(secret.len()));
        let lines = reply
            .lines
            .into_iter()
            .map(|mut line| {
                for (secret, shown) in &secrets {
                    if secret.chars().count() > 2 && line.contains(secret.as_str()) {
                        line = line.replace(secret.as_str(), shown);
                    }
                }
                line
            })
            .collect();
        Reply { lines, ..reply }
    }

    /// The answer to a CRAM-MD5 challenge (base64), or `None` if the challenge is malformed.
    pub fn cram_md5_response(&self, challenge: &str) -> Option<Secret> {
        super::cram_md5_response(&self.username, &self.password, challenge).map(Secret::new)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

/// The mechanisms the probe can use, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Plain,
    Login,
    /// Only when neither PLAIN nor LOGIN is offered: our credentials travel inside verified
    /// TLS anyway, and PLAIN/LOGIN are what mail clients use.
    CramMd5,
}

impl Mechanism {
    /// The first mechanism we support among those offered.
    pub fn choose(offered: &[String]) -> Option<Self> {
        let has = |name: &str| offered.iter().any(|m| m.eq_ignore_ascii_case(name));
        if has("PLAIN") {
            Some(Self::Plain)
        } else if has("LOGIN") {
            Some(Self::Login)
        } else if has("CRAM-MD5") {
            Some(Self::CramMd5)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Plain => "PLAIN",
            Self::Login => "LOGIN",
            Self::CramMd5 => "CRAM-MD5",
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), enough for SASL.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_test_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), output);
        }
    }

    #[test]
    fn plain_response_matches_rfc_4616_layout() {
        let credentials = Credentials::new("tim".into(), "tanstaaftanstaaf".into());
        let wire = crate::smtp::Command::AuthPlain(credentials.plain_initial_response()).to_wire();
        assert_eq!(wire, b"AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
        assert_eq!(format!("{credentials:?}"), "Credentials(<redacted>)");
    }

    #[test]
    fn a_reply_quoting_the_login_is_scrubbed() {
        let credentials = Credentials::new("taro@example.jp".into(), "hunter2!".into());
        let reply = |lines: &[&str]| {
            Reply::new(
                crate::smtp::ReplyCode::new(535).unwrap(),
                lines.iter().map(|l| l.to_string()).collect(),
            )
        };
        let plain = credentials.plain_initial_response().expose_to_scrub();
        let scrubbed = credentials.scrub(reply(&[
            "5.7.8 authentication failed for taro@example.jp",
            "password hunter2! is wrong",
            &format!("you sent {plain}"),
            &format!("user {}", base64(b"taro@example.jp")),
        ]));
        assert_eq!(
            scrubbed.lines,
            [
                "5.7.8 authentication failed for <username>",
                "password <redacted> is wrong",
                "you sent <redacted>",
                "user <redacted>",
            ]
        );
        assert_eq!(scrubbed.code.get(), 535);
        assert_eq!(
            scrubbed.enhanced.map(|e| e.to_string()).as_deref(),
            Some("5.7.8")
        );
    }

    #[test]
    fn a_short_user_name_leaves_the_servers_words_alone() {
        let credentials = Credentials::new("ab".into(), "pw".into());
        let words = vec!["2.7.0 about abba".to_owned()];
        let reply = Reply::new(crate::smtp::ReplyCode::new(235).unwrap(), words.clone());
        assert_eq!(credentials.scrub(reply).lines, words);
    }

    #[test]
    fn mechanism_preference() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Mechanism::choose(&offered(&["LOGIN", "PLAIN"])),
            Some(Mechanism::Plain)
        );
        assert_eq!(
            Mechanism::choose(&offered(&["login"])),
            Some(Mechanism::Login)
        );
        assert_eq!(
            Mechanism::choose(&offered(&["CRAM-MD5", "XOAUTH2"])),
            Some(Mechanism::CramMd5)
        );
        assert_eq!(Mechanism::choose(&offered(&["XOAUTH2", "GSSAPI"])), None);
    }
}
