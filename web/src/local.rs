//! The check only the person's own computer can make: the commands to paste into a terminal
//! (written by `sendcheck::inside` for their system, host and ports) and what came back.

use sendcheck::diagnosis::LocalCheck;
use sendcheck::inside::{local_script, parse_local_output, LocalOutputError, LocalScript, Os};
use sendcheck::target::Host;

use crate::check::ports_to_check;
use crate::state::Form;

/// The local check as the page holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub os: Os,
    /// The browser did not say which system it runs on (a phone, a tablet): the person picks.
    pub os_unknown: bool,
    /// What the person pasted, as typed.
    pub output: String,
    /// The last reading of the output (on `#local-read`), `None` before the first.
    pub read: Option<Result<Vec<LocalCheck>, LocalOutputError>>,
}

impl Default for Local {
    fn default() -> Self {
        Self::for_user_agent("")
    }
}

impl Local {
    /// The system from the browser's `User-Agent`; Windows, the most common, when it does not
    /// say (the person can change it).
    pub fn for_user_agent(user_agent: &str) -> Self {
        let guess = Os::from_user_agent(user_agent);
        Self {
            os: guess.unwrap_or(Os::Windows),
            os_unknown: guess.is_none(),
            output: String::new(),
            read: None,
        }
    }

    /// Reads what was pasted; the previous reading is replaced.
    pub fn read_output(&mut self) {
        self.read = Some(parse_local_output(&self.output));
    }

    /// The checks the diagnosis hears about: those of the last successful reading.
    pub fn checks(&self) -> &[LocalCheck] {
        match &self.read {
            Some(Ok(checks)) => checks,
            _ => &[],
        }
    }
}

/// The script for the server in the form, on the ports a check probes; `None` until the
/// host field holds something that reads as a host.
pub fn script_for(form: &Form, os: Os) -> Option<LocalScript> {
    let host = Host::parse(&form.host).ok()?;
    let ports = ports_to_check(form.port, form.security);
    Some(local_script(os, &host, &ports))
}

#[cfg(test)]
mod tests {
    use sendcheck::diagnosis::LocalResult;
    use sendcheck::target::{MailPort, Security};

    use super::*;
    use crate::i18n::Lang;
    use crate::state::AppState;

    #[test]
    fn the_system_comes_from_the_user_agent_and_windows_when_it_does_not_say() {
        let mac = Local::for_user_agent(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
        );
        assert_eq!((mac.os, mac.os_unknown), (Os::MacOs, false));
        let phone = Local::for_user_agent(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
        );
        assert_eq!((phone.os, phone.os_unknown), (Os::Windows, true));
    }

    #[test]
    fn the_script_names_the_form_s_host_and_every_port_of_the_check() {
        let mut form = AppState::new(Lang::En).form;
        assert!(script_for(&form, Os::Linux).is_none(), "no host yet");
        form.host = "mail.example.jp".into();
        form.port = MailPort::SMTP;
        form.security = Security::None;
        let script = script_for(&form, Os::Linux).expect("a script");
        for needle in ["mail.example.jp", "25", "587", "465"] {
            assert!(script.text.contains(needle), "{needle} in {}", script.text);
        }
        form.host = "not a host".into();
        assert!(script_for(&form, Os::Windows).is_none());
    }

    #[test]
    fn pasted_output_is_read_into_checks_or_a_specific_error() {
        let mut local = Local::default();
        local.read_output();
        assert_eq!(local.read, Some(Err(LocalOutputError::Empty)));
        assert!(local.checks().is_empty());
        local.output = "hello, world\n".into();
        local.read_output();
        assert_eq!(local.read, Some(Err(LocalOutputError::NothingRecognised)));
        local.output =
            "nc: connect to mail.example.jp port 25 (tcp) timed out: Operation now in progress\n\
            Connection to mail.example.jp 587 port [tcp/submission] succeeded!\n"
                .into();
        local.read_output();
        let results: Vec<_> = local
            .checks()
            .iter()
            .map(|c| (c.port, c.result.clone()))
            .collect();
        assert_eq!(
            results,
            [(25, LocalResult::TimedOut), (587, LocalResult::Connected)]
        );
    }
}
