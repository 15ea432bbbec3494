//! The shape of the words of the whole check: its live progress, the per-port summary, the
//! verdict, the questions, the local check, the person's network and the DNS findings. One
//! struct per area, one field per text (a text missing in one language does not compile);
//! keyed tables where the key comes from the wire or the diagnosis.

/// A running check and the per-port summary. Placeholders as noted.
#[derive(Debug, PartialEq, Eq)]
pub struct ProgressTexts {
    /// `{host}`.
    pub heading: &'static str,
    /// `{seconds}`: the deadline.
    pub deadline: &'static str,
    /// `{seconds}`: time left.
    pub remaining: &'static str,
    pub overdue: &'static str,
    /// `{done}`, `{total}`: for the live region.
    pub live: &'static str,
    pub waiting: &'static str,
    /// `{step}`: the last finished step.
    pub running: &'static str,
    pub not_tested: &'static str,
    pub summary_heading: &'static str,
    pub col_port: &'static str,
    pub col_security: &'static str,
    pub col_result: &'static str,
    pub col_time: &'static str,
    /// `{port}`, `{security}`.
    pub details_heading: &'static str,
    /// `{port}`.
    pub not_tested_headline: &'static str,
    pub not_tested_explanation: &'static str,
    pub ports_note: &'static str,
    /// `{run}`, `{runs}`: a repeat of the same check, to see a fault that comes and goes.
    pub repeat: &'static str,
}

/// The verdict: findings, evidence with their sources, fixes per audience, the decoded error.
#[derive(Debug, PartialEq, Eq)]
pub struct FindingTexts {
    pub heading: &'static str,
    /// While the check runs, where the verdict will be.
    pub waiting: &'static str,
    pub preparing: &'static str,
    /// `{detail}`.
    pub load_failed: &'static str,
    pub retry: &'static str,
    pub nothing_found: &'static str,
    pub others_heading: &'static str,
    pub confidence_label: &'static str,
    pub confidence_high: &'static str,
    pub confidence_medium: &'static str,
    pub confidence_low: &'static str,
    pub evidence_for: &'static str,
    pub evidence_against: &'static str,
    pub fixes_heading: &'static str,
    pub audience_server_admin: &'static str,
    pub audience_provider: &'static str,
    pub audience_network: &'static str,
    pub settings_caption: &'static str,
    pub settings_host: &'static str,
    pub settings_port: &'static str,
    pub settings_security: &'static str,
    pub settings_auth: &'static str,
    pub settings_auth_on: &'static str,
    pub settings_auth_off: &'static str,
    pub use_settings: &'static str,
    pub steps_heading: &'static str,
    pub decoded_heading: &'static str,
    pub decoded_none: &'static str,
    pub decoded_candidates: &'static str,
    pub decoded_truncated: &'static str,
    pub decoded_waiting: &'static str,
    /// `{port}`, `{step}`, `{time}`.
    pub source_outside: &'static str,
    /// `{port}`, `{ok}`, `{failed}`.
    pub source_runs: &'static str,
    /// `{port}`.
    pub source_not_tested: &'static str,
    /// `{network}`.
    pub source_network: &'static str,
    /// `{port}`, `{tool}`.
    pub source_local: &'static str,
    /// `{question}`.
    pub source_said: &'static str,
    /// `{code}`.
    pub source_error: &'static str,
    /// `{reference}`.
    pub source_knowledge: &'static str,
    pub source_other: &'static str,
    /// The question an answer came from, keyed by `AnswerField` (snake_case).
    pub answer_fields: &'static [(&'static str, &'static str)],
    pub answer_field_other: &'static str,
}

/// The questions (`[data-testid="questions"]`).
#[derive(Debug, PartialEq, Eq)]
pub struct QuestionTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub receiving: &'static str,
    pub web: &'static str,
    pub other_servers: &'static str,
    pub logs_in: &'static str,
    pub unknown: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub client: &'static str,
    pub client_unknown: &'static str,
    /// Keyed by `MailClient::name()`.
    pub clients: &'static [(&'static str, &'static str)],
    pub changes_legend: &'static str,
    /// Keyed by `RecentChange::name()`.
    pub changes: &'static [(&'static str, &'static str)],
    pub since: &'static str,
    /// Keyed by `Since::name()`.
    pub since_options: &'static [(&'static str, &'static str)],
    pub error_text: &'static str,
    pub error_hint: &'static str,
    pub recognised: &'static str,
}

/// The local check (`[data-testid="local"]`).
#[derive(Debug, PartialEq, Eq)]
pub struct LocalTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub os_label: &'static str,
    pub os_windows: &'static str,
    pub os_macos: &'static str,
    pub os_linux: &'static str,
    pub os_guess_none: &'static str,
    /// How to open the terminal, per system.
    pub open_windows: &'static str,
    pub open_macos: &'static str,
    pub open_linux: &'static str,
    pub need_host: &'static str,
    pub command_label: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub output_label: &'static str,
    pub output_hint: &'static str,
    pub read: &'static str,
    pub results_heading: &'static str,
    /// `{port}`, `{result}`.
    pub result_line: &'static str,
    /// Keyed by `LocalResult::name()`; `{issuer}`, `{detail}` where they apply.
    pub results: &'static [(&'static str, &'static str)],
    /// `{tool}`.
    pub tool: &'static str,
    pub error_empty: &'static str,
    /// `{limit}`.
    pub error_too_long: &'static str,
    pub error_nothing_recognised: &'static str,
}

/// The person's network and what the browser reached (`[data-testid="network"]`).
#[derive(Debug, PartialEq, Eq)]
pub struct NetworkTexts {
    pub heading: &'static str,
    pub loading: &'static str,
    pub asn_label: &'static str,
    pub org_label: &'static str,
    pub country_label: &'static str,
    pub address_label: &'static str,
    pub rtt_label: &'static str,
    pub unknown_local: &'static str,
    pub unknown: &'static str,
    /// `{detail}`.
    pub failed: &'static str,
    pub reach_heading: &'static str,
    pub reach_intro: &'static str,
    pub reach_not_started: &'static str,
    pub reach_waiting: &'static str,
    pub reach_unresolved: &'static str,
    /// `{address}`.
    pub reach_target: &'static str,
    /// `{port}`, `{scheme}`.
    pub reach_port: &'static str,
    pub reach_pending: &'static str,
    /// `{ms}`.
    pub reach_answered: &'static str,
    /// `{seconds}`.
    pub reach_no_answer: &'static str,
    pub reach_blocked: &'static str,
    pub reach_skipped: &'static str,
    pub reach_unknown: &'static str,
}

/// What the domain publishes (`[data-testid="dns"]`).
#[derive(Debug, PartialEq, Eq)]
pub struct DnsTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub loading: &'static str,
    /// `{detail}`.
    pub failed: &'static str,
    /// `{domain}`.
    pub domain: &'static str,
    pub mx_label: &'static str,
    pub submission_label: &'static str,
    pub submissions_label: &'static str,
    pub autoconfig_label: &'static str,
    pub provider_label: &'static str,
    pub not_available: &'static str,
    pub candidates_heading: &'static str,
    pub candidates_none: &'static str,
    pub use_candidate: &'static str,
    pub guess: &'static str,
    /// Keyed by `discovery::Source::name()`.
    pub sources: &'static [(&'static str, &'static str)],
    /// Keyed by `LookupOutcome::name()`.
    pub outcomes: &'static [(&'static str, &'static str)],
}

impl FindingTexts {
    pub fn answer_field(&self, name: &str) -> &'static str {
        lookup(self.answer_fields, name).unwrap_or(self.answer_field_other)
    }
}

impl QuestionTexts {
    pub fn client(&self, name: &str) -> &'static str {
        lookup(self.clients, name).unwrap_or(name_fallback(name))
    }

    pub fn change(&self, name: &str) -> &'static str {
        lookup(self.changes, name).unwrap_or(name_fallback(name))
    }

    pub fn since_option(&self, name: &str) -> &'static str {
        lookup(self.since_options, name).unwrap_or(name_fallback(name))
    }
}

impl LocalTexts {
    pub fn result(&self, name: &str) -> &'static str {
        lookup(self.results, name).unwrap_or(name_fallback(name))
    }
}

impl DnsTexts {
    pub fn source(&self, name: &str) -> &'static str {
        lookup(self.sources, name).unwrap_or(name_fallback(name))
    }

    pub fn outcome(&self, name: &str) -> &'static str {
        lookup(self.outcomes, name).unwrap_or(name_fallback(name))
    }
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A key missing from a table shows as nothing rather than as a made-up word; the tests keep
/// the tables complete.
fn name_fallback(_name: &str) -> &'static str {
    ""
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every text of the check's areas with a name, to compare languages. Destructured without
    /// `..`, so a new field fails to compile here until it is listed.
    pub(crate) fn all(t: &'static crate::i18n::Texts) -> Vec<(String, &'static str)> {
        let mut all = Vec::new();
        let mut push = |area: &str, pairs: Vec<(&str, &'static str)>| {
            all.extend(pairs.into_iter().map(|(k, v)| (format!("{area}.{k}"), v)));
        };
        let ProgressTexts {
            heading,
            deadline,
            remaining,
            overdue,
            live,
            waiting,
            running,
            not_tested,
            summary_heading,
            col_port,
            col_security,
            col_result,
            col_time,
            details_heading,
            not_tested_headline,
            not_tested_explanation,
            ports_note,
            repeat,
        } = &t.progress_texts;
        push(
            "progress",
            vec![
                ("heading", heading),
                ("deadline", deadline),
                ("remaining", remaining),
                ("overdue", overdue),
                ("live", live),
                ("waiting", waiting),
                ("running", running),
                ("not_tested", not_tested),
                ("summary_heading", summary_heading),
                ("col_port", col_port),
                ("col_security", col_security),
                ("col_result", col_result),
                ("col_time", col_time),
                ("details_heading", details_heading),
                ("not_tested_headline", not_tested_headline),
                ("not_tested_explanation", not_tested_explanation),
                ("ports_note", ports_note),
                ("repeat", repeat),
            ],
        );
        let FindingTexts {
            heading,
            waiting,
            preparing,
            load_failed,
            retry,
            nothing_found,
            others_heading,
            confidence_label,
            confidence_high,
            confidence_medium,
            confidence_low,
            evidence_for,
            evidence_against,
            fixes_heading,
            audience_server_admin,
            audience_provider,
            audience_network,
            settings_caption,
            settings_host,
            settings_port,
            settings_security,
            settings_auth,
            settings_auth_on,
            settings_auth_off,
            use_settings,
            steps_heading,
            decoded_heading,
            decoded_none,
            decoded_candidates,
            decoded_truncated,
            decoded_waiting,
            source_outside,
            source_runs,
            source_not_tested,
            source_network,
            source_local,
            source_said,
            source_error,
            source_knowledge,
            source_other,
            answer_fields,
            answer_field_other,
        } = &t.findings;
        let mut pairs = vec![
            ("heading", *heading),
            ("waiting", waiting),
            ("preparing", preparing),
            ("load_failed", load_failed),
            ("retry", retry),
            ("nothing_found", nothing_found),
            ("others_heading", others_heading),
            ("confidence_label", confidence_label),
            ("confidence_high", confidence_high),
            ("confidence_medium", confidence_medium),
            ("confidence_low", confidence_low),
            ("evidence_for", evidence_for),
            ("evidence_against", evidence_against),
            ("fixes_heading", fixes_heading),
            ("audience_server_admin", audience_server_admin),
            ("audience_provider", audience_provider),
            ("audience_network", audience_network),
            ("settings_caption", settings_caption),
            ("settings_host", settings_host),
            ("settings_port", settings_port),
            ("settings_security", settings_security),
            ("settings_auth", settings_auth),
            ("settings_auth_on", settings_auth_on),
            ("settings_auth_off", settings_auth_off),
            ("use_settings", use_settings),
            ("steps_heading", steps_heading),
            ("decoded_heading", decoded_heading),
            ("decoded_none", decoded_none),
            ("decoded_candidates", decoded_candidates),
            ("decoded_truncated", decoded_truncated),
            ("decoded_waiting", decoded_waiting),
            ("source_outside", source_outside),
            ("source_runs", source_runs),
            ("source_not_tested", source_not_tested),
            ("source_network", source_network),
            ("source_local", source_local),
            ("source_said", source_said),
            ("source_error", source_error),
            ("source_knowledge", source_knowledge),
            ("source_other", source_other),
            ("answer_field_other", answer_field_other),
        ];
        pairs.extend(keyed("answer_fields", answer_fields));
        push("findings", pairs);
        let QuestionTexts {
            heading,
            intro,
            receiving,
            web,
            other_servers,
            logs_in,
            unknown,
            yes,
            no,
            client,
            client_unknown,
            clients,
            changes_legend,
            changes,
            since,
            since_options,
            error_text,
            error_hint,
            recognised,
        } = &t.questions;
        let mut pairs = vec![
            ("heading", *heading),
            ("intro", intro),
            ("receiving", receiving),
            ("web", web),
            ("other_servers", other_servers),
            ("logs_in", logs_in),
            ("unknown", unknown),
            ("yes", yes),
            ("no", no),
            ("client", client),
            ("client_unknown", client_unknown),
            ("changes_legend", changes_legend),
            ("since", since),
            ("error_text", error_text),
            ("error_hint", error_hint),
            ("recognised", recognised),
        ];
        pairs.extend(keyed("clients", clients));
        pairs.extend(keyed("changes", changes));
        pairs.extend(keyed("since_options", since_options));
        push("questions", pairs);
        let LocalTexts {
            heading,
            intro,
            os_label,
            os_windows,
            os_macos,
            os_linux,
            os_guess_none,
            open_windows,
            open_macos,
            open_linux,
            need_host,
            command_label,
            copy,
            copied,
            copy_failed,
            output_label,
            output_hint,
            read,
            results_heading,
            result_line,
            results,
            tool,
            error_empty,
            error_too_long,
            error_nothing_recognised,
        } = &t.local;
        let mut pairs = vec![
            ("heading", *heading),
            ("intro", intro),
            ("os_label", os_label),
            ("os_windows", os_windows),
            ("os_macos", os_macos),
            ("os_linux", os_linux),
            ("os_guess_none", os_guess_none),
            ("open_windows", open_windows),
            ("open_macos", open_macos),
            ("open_linux", open_linux),
            ("need_host", need_host),
            ("command_label", command_label),
            ("copy", copy),
            ("copied", copied),
            ("copy_failed", copy_failed),
            ("output_label", output_label),
            ("output_hint", output_hint),
            ("read", read),
            ("results_heading", results_heading),
            ("result_line", result_line),
            ("tool", tool),
            ("error_empty", error_empty),
            ("error_too_long", error_too_long),
            ("error_nothing_recognised", error_nothing_recognised),
        ];
        pairs.extend(keyed("results", results));
        push("local", pairs);
        let NetworkTexts {
            heading,
            loading,
            asn_label,
            org_label,
            country_label,
            address_label,
            rtt_label,
            unknown_local,
            unknown,
            failed,
            reach_heading,
            reach_intro,
            reach_not_started,
            reach_waiting,
            reach_unresolved,
            reach_target,
            reach_port,
            reach_pending,
            reach_answered,
            reach_no_answer,
            reach_blocked,
            reach_skipped,
            reach_unknown,
        } = &t.network;
        push(
            "network",
            vec![
                ("heading", *heading),
                ("loading", loading),
                ("asn_label", asn_label),
                ("org_label", org_label),
                ("country_label", country_label),
                ("address_label", address_label),
                ("rtt_label", rtt_label),
                ("unknown_local", unknown_local),
                ("unknown", unknown),
                ("failed", failed),
                ("reach_heading", reach_heading),
                ("reach_intro", reach_intro),
                ("reach_not_started", reach_not_started),
                ("reach_waiting", reach_waiting),
                ("reach_unresolved", reach_unresolved),
                ("reach_target", reach_target),
                ("reach_port", reach_port),
                ("reach_pending", reach_pending),
                ("reach_answered", reach_answered),
                ("reach_no_answer", reach_no_answer),
                ("reach_blocked", reach_blocked),
                ("reach_skipped", reach_skipped),
                ("reach_unknown", reach_unknown),
            ],
        );
        let DnsTexts {
            heading,
            intro,
            loading,
            failed,
            domain,
            mx_label,
            submission_label,
            submissions_label,
            autoconfig_label,
            provider_label,
            not_available,
            candidates_heading,
            candidates_none,
            use_candidate,
            guess,
            sources,
            outcomes,
        } = &t.dns;
        let mut pairs = vec![
            ("heading", *heading),
            ("intro", intro),
            ("loading", loading),
            ("failed", failed),
            ("domain", domain),
            ("mx_label", mx_label),
            ("submission_label", submission_label),
            ("submissions_label", submissions_label),
            ("autoconfig_label", autoconfig_label),
            ("provider_label", provider_label),
            ("not_available", not_available),
            ("candidates_heading", candidates_heading),
            ("candidates_none", candidates_none),
            ("use_candidate", use_candidate),
            ("guess", guess),
        ];
        pairs.extend(keyed("sources", sources));
        pairs.extend(keyed("outcomes", outcomes));
        push("dns", pairs);
        all
    }

    fn keyed(
        area: &'static str,
        table: &'static [(&'static str, &'static str)],
    ) -> Vec<(&'static str, &'static str)> {
        // Leaked once per test run: keys must be &'static to join the other pairs.
        table
            .iter()
            .map(|(k, v)| (&*Box::leak(format!("{area}.{k}").into_boxed_str()), *v))
            .collect()
    }

    fn keys(table: &[(&'static str, &'static str)]) -> Vec<&'static str> {
        let mut keys: Vec<_> = table.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys
    }

    fn sorted(names: impl IntoIterator<Item = &'static str>) -> Vec<&'static str> {
        let mut names: Vec<_> = names.into_iter().collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn the_keyed_tables_cover_every_name_the_page_can_meet() {
        use sendcheck::diagnosis::{AnswerField, LocalResult};
        use sendcheck::discovery::{LookupOutcome, Source};

        for lang in crate::i18n::Lang::ALL {
            let t = lang.texts();
            assert_eq!(
                keys(t.questions.clients),
                sorted(crate::questions::CLIENTS.map(|c| c.name())),
                "{lang:?}"
            );
            assert_eq!(
                keys(t.questions.changes),
                sorted(crate::questions::CHANGES.map(|c| c.name())),
                "{lang:?}"
            );
            let fields = [
                AnswerField::ReceivingWorks,
                AnswerField::WebWorks,
                AnswerField::OtherServersWork,
                AnswerField::Client,
                AnswerField::Configured,
                AnswerField::ErrorText,
                AnswerField::EmailDomain,
                AnswerField::SecuritySoftware,
                AnswerField::RecentChanges,
                AnswerField::Since,
            ]
            .map(crate::verdict::answer_field_name);
            assert_eq!(keys(t.findings.answer_fields), sorted(fields), "{lang:?}");
            let results = [
                LocalResult::Connected,
                LocalResult::Refused,
                LocalResult::TimedOut,
                LocalResult::Failed,
                LocalResult::TlsOk {
                    issuer: String::new(),
                    subject: None,
                    sha256: None,
                },
                LocalResult::TlsFailed {
                    detail: String::new(),
                },
                LocalResult::TlsNoAnswer,
                LocalResult::TlsCertificateInvalid {
                    issuer: String::new(),
                    subject: None,
                    sha256: None,
                    problem: sendcheck::diagnosis::LocalCertificateProblem::Expired,
                    detail: String::new(),
                },
                LocalResult::DnsFailed,
                LocalResult::Unknown,
            ]
            .map(|r| r.name());
            assert_eq!(keys(t.local.results), sorted(results), "{lang:?}");
            let sources = [
                Source::Srv,
                Source::Autoconfig,
                Source::Provider,
                Source::MxGuess,
                Source::DomainGuess,
                Source::Unknown,
            ]
            .map(|s| s.name());
            assert_eq!(keys(t.dns.sources), sorted(sources), "{lang:?}");
            let mut outcomes = LookupOutcome::ALL.map(|o| o.name()).to_vec();
            outcomes.push(LookupOutcome::Unknown.name());
            assert_eq!(keys(t.dns.outcomes), sorted(outcomes), "{lang:?}");
        }
    }
}
