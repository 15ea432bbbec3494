//! The reducer's tests: the form and the password, the check's life (progress, answer,
//! an older check's late events), questions, the local check and the loaders.

use sendcheck::diagnosis::{BrowserResult, LocalResult, MailClient};
use sendcheck::wire::{Step, StepRecord, StepStatus, REPORT_VERSION};

use super::*;
use crate::check::PortState;

fn apply(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
    let mut state = Rc::new(state);
    for action in actions {
        state = state.reduce(action);
    }
    Rc::unwrap_or_clone(state)
}

/// A port's report as JSON: `kind` on 198.51.100.25.
fn port_json(port: u16, kind: &str) -> String {
    format!(
        r#"{{"status":"probed","report":{{"version":{REPORT_VERSION},
        "target":{{"host":"mail.example.com","port":{port},"security":"starttls"}},
        "address":"198.51.100.25","started_at_unix_ms":0,
        "outcome":{{"kind":"{kind}","step":"connect","at_ms":3}},
        "steps":[],"transcript":[],"total_ms":3}}}}"#
    )
}

/// A check whose first port ended with `kind`.
fn report(kind: &str) -> CheckReport {
    let json = format!(
        r#"{{"version":{REPORT_VERSION},"host":"mail.example.com","started_at_unix_ms":0,
        "total_ms":3,"ports":[{}]}}"#,
        port_json(587, kind)
    );
    serde_json::from_str(&json).expect("test report")
}

#[test]
fn starts_on_587_with_starttls_and_nothing_asked() {
    let state = AppState::new(Lang::Ja);
    assert_eq!(state.form.port, MailPort::SUBMISSION);
    assert_eq!(state.form.security, Security::Starttls);
    assert_eq!(state.phase, Phase::Idle);
    assert_eq!(state.lang, Lang::Ja);
}

#[test]
fn choosing_a_port_preselects_its_usual_security_which_can_be_changed() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::ChoosePort(MailPort::SUBMISSIONS)],
    );
    assert_eq!(state.form.security, Security::Tls);
    let state = apply(state, [Action::ChooseSecurity(Security::Starttls)]);
    assert_eq!(state.form.port, MailPort::SUBMISSIONS);
    assert_eq!(state.form.security, Security::Starttls);
    for port in [MailPort::SMTP, MailPort::ALTERNATE, MailPort::SUBMISSION] {
        let state = apply(state.clone(), [Action::ChoosePort(port)]);
        assert_eq!(state.form.security, Security::Starttls, "{port}");
    }
    let state = apply(state, [Action::ChooseSecurity(Security::None)]);
    assert_eq!(state.form.security, Security::None);
}

#[test]
fn submitting_an_empty_host_is_an_input_error_until_the_host_is_edited() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost("   ".into()), Action::Submit],
    );
    assert_eq!(state.phase, Phase::Failed(Failure::EmptyHost));
    assert!(Failure::EmptyHost.is_input_error());
    let state = apply(state, [Action::EditHost("m".into())]);
    assert_eq!(state.phase, Phase::Idle);
}

#[test]
fn submitting_starts_a_probe_with_the_trimmed_host_and_chosen_settings() {
    let state = apply(
        AppState::new(Lang::En),
        [
            Action::EditHost(" 198.51.100.25 ".into()),
            Action::ChoosePort(MailPort::ALTERNATE),
            Action::ChooseSecurity(Security::None),
            Action::Submit,
        ],
    );
    let pending = state.pending().expect("probing");
    assert_eq!(pending.host, "198.51.100.25");
    let body = serde_json::to_string(&pending.request()).expect("serializes");
    assert_eq!(
        body,
        r#"{"host":"198.51.100.25","ports":[{"port":2525,"security":"none"},{"port":587,"security":"starttls"},{"port":465,"security":"tls"},{"port":25,"security":"starttls"}]}"#
    );
    assert!(state.is_probing());
    // The worker takes every port of it.
    let plan = ProbeRequest::from_body(body.as_bytes()).expect("the worker reads it");
    assert_eq!(plan.targets.len(), 4);
}

#[test]
fn a_second_submit_while_probing_changes_nothing() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost("mail.example.com".into()), Action::Submit],
    );
    let again = apply(state.clone(), [Action::Submit]);
    assert_eq!(again, state);
}

#[test]
fn the_answer_to_the_current_probe_is_shown() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost("mail.example.com".into()), Action::Submit],
    );
    let id = state.pending().expect("probing").id;
    let done = apply(
        state.clone(),
        [Action::Answered {
            id,
            answer: Ok(Rc::new(report("connection_refused"))),
        }],
    );
    assert!(matches!(&done.phase, Phase::Reported(r) if r.ports.len() == 1));
    assert_eq!(done.report(), Some(&Rc::new(report("connection_refused"))));
    assert!(!done.is_probing());

    let failure = Failure::Unreachable {
        detail: "TypeError: Failed to fetch".into(),
    };
    let failed = apply(
        state,
        [Action::Answered {
            id,
            answer: Err(failure.clone()),
        }],
    );
    assert_eq!(failed.phase, Phase::Failed(failure));
}

#[test]
fn an_answer_to_an_older_probe_is_ignored() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost("mail.example.com".into()), Action::Submit],
    );
    let first = state.pending().expect("probing").id;
    let done = apply(
        state,
        [Action::Answered {
            id: first,
            answer: Err(Failure::TimedOut { seconds: 90 }),
        }],
    );
    let second = apply(done, [Action::Submit]);
    let second_id = second.pending().expect("probing again").id;
    assert_ne!(first, second_id);
    let late = apply(
        second.clone(),
        [Action::Answered {
            id: first,
            answer: Ok(Rc::new(report("completed"))),
        }],
    );
    assert_eq!(late, second);
}

#[test]
fn an_answer_when_nothing_is_pending_is_ignored() {
    let state = AppState::new(Lang::En);
    let after = apply(
        state.clone(),
        [Action::Answered {
            id: 0,
            answer: Ok(Rc::new(report("completed"))),
        }],
    );
    assert_eq!(after, state);
}

fn with_login(username: &str, password: &str) -> AppState {
    apply(
        AppState::new(Lang::En),
        [
            Action::EditHost("mail.example.com".into()),
            Action::EditUsername(username.into()),
            Action::EditPassword(password.into()),
            Action::Submit,
        ],
    )
}

#[test]
fn a_login_test_needs_both_the_user_name_and_the_password() {
    let state = with_login("", "");
    assert_eq!(state.pending().expect("probing").credentials, None);
    let state = with_login("  ", "hunter2");
    assert_eq!(state.phase, Phase::Failed(Failure::MissingUsername));
    assert!(Failure::MissingUsername.is_input_error());
    let state = with_login("taro@example.jp", "");
    assert_eq!(state.phase, Phase::Failed(Failure::MissingPassword));
    // The typed user name stays; filling the other field takes the message away.
    assert_eq!(state.form.username, "taro@example.jp");
    let state = apply(state, [Action::EditPassword("h".into())]);
    assert_eq!(state.phase, Phase::Idle);
    let state = with_login(" taro@example.jp ", "hunter2");
    let credentials = state.pending().and_then(|p| p.credentials.clone());
    let credentials = credentials.expect("credentials");
    assert_eq!(credentials.username, "taro@example.jp");
    assert_eq!(credentials.password, "hunter2");
}

#[test]
fn the_body_carries_the_credentials_only_when_given() {
    let state = with_login("", "");
    let body = state.pending().expect("probing").body().expect("body");
    assert!(!body.contains("credentials"), "{body}");
    let password = r#"p"a\s s{}é"#;
    let state = with_login("taro@example.jp", password);
    let body = state.pending().expect("probing").body().expect("body");
    let plan = ProbeRequest::from_body(body.as_bytes()).expect("the worker reads it");
    assert_eq!(plan.targets[0].port, MailPort::SUBMISSION);
    let expected = sendcheck::smtp::Credentials::new("taro@example.jp".into(), password.into());
    assert_eq!(plan.credentials, Some(expected));
    // The one login of the check is asked for on the person's own port.
    assert_eq!(plan.login_port, Some(MailPort::SUBMISSION));
    assert!(!plan.fresh);
}

#[test]
fn the_password_is_forgotten_when_the_check_answers_and_never_debug_printed() {
    let state = with_login("taro@example.jp", "hunter2");
    assert!(!format!("{state:?}").contains("hunter2"));
    let id = state.pending().expect("probing").id;
    for answer in [
        Ok(Rc::new(report("completed"))),
        Err(Failure::TimedOut { seconds: 60 }),
    ] {
        let done = apply(state.clone(), [Action::Answered { id, answer }]);
        assert!(done.form.password.is_empty());
        assert_eq!(done.form.username, "taro@example.jp");
        assert_eq!(done.pending(), None);
        assert!(!format!("{done:?}").contains("hunter2"));
    }
    // A form error sends nothing: the password stays for the corrected check.
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditPassword("hunter2".into()), Action::Submit],
    );
    assert_eq!(state.phase, Phase::Failed(Failure::EmptyHost));
    assert_eq!(state.form.password.as_str(), "hunter2");
    assert_eq!(format!("{:?}", state.form.password), "Password(<redacted>)");
}

#[test]
fn switching_language_keeps_the_form_and_the_result() {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost("mail.example.com".into()), Action::Submit],
    );
    let switched = apply(state.clone(), [Action::SwitchLang]);
    assert_eq!(switched.lang, Lang::Ja);
    assert_eq!(switched.form, state.form);
    assert_eq!(switched.phase, state.phase);
    assert_eq!(apply(switched, [Action::SwitchLang]).lang, Lang::En);
}

fn checking(host: &str) -> (AppState, u32) {
    let state = apply(
        AppState::new(Lang::En),
        [Action::EditHost(host.into()), Action::Submit],
    );
    let id = state.pending().expect("checking").id;
    (state, id)
}

fn step_event(port: u16) -> ProgressEvent {
    ProgressEvent::Step {
        port,
        step: StepRecord {
            step: Step::Connect,
            started_ms: 0,
            duration_ms: 4,
            round_trips: 1,
            status: StepStatus::Ok,
        },
    }
}

fn port_event(port: u16, kind: &str) -> ProgressEvent {
    serde_json::from_str(&format!(
        r#"{{"event":"port","result":{}}}"#,
        port_json(port, kind)
    ))
    .expect("port event")
}

fn progress_of(state: &AppState) -> &CheckProgress {
    match &state.phase {
        Phase::Probing { progress, .. } => progress,
        other => panic!("not checking: {other:?}"),
    }
}

#[test]
fn progress_events_advance_the_rows_of_the_current_check_only() {
    let (state, id) = checking("mail.example.com");
    let rows: Vec<u16> = progress_of(&state).ports.iter().map(|p| p.port).collect();
    assert_eq!(rows, [587, 465, 25]);
    let state = apply(
        state,
        [
            Action::Progress {
                id,
                event: step_event(465),
            },
            Action::Progress {
                id: id + 7,
                event: step_event(587),
            },
        ],
    );
    let progress = progress_of(&state);
    assert_eq!(progress.ports[1].state, PortState::Running);
    assert_eq!(
        progress.ports[0].state,
        PortState::Waiting,
        "another check's event"
    );
    // The pending check (what the fetch effect depends on) does not change with progress.
    let before = state.pending().cloned();
    let state = apply(
        state,
        [Action::Progress {
            id,
            event: port_event(587, "completed"),
        }],
    );
    assert_eq!(state.pending().cloned(), before);
    assert!(matches!(
        progress_of(&state).ports[0].state,
        PortState::Finished { success: true, .. }
    ));
    // The first address seen starts the browser's reachability test.
    assert_eq!(
        state.reach.as_ref().and_then(|r| r.address.as_deref()),
        Some("198.51.100.25")
    );
}

#[test]
fn the_reachability_test_belongs_to_its_check() {
    let (state, id) = checking("198.51.100.25");
    assert_eq!(
        state.reach.as_ref().map(|r| r.address.clone()),
        Some(None),
        "not even a typed address before the worker accepted it"
    );
    let state = apply(
        state,
        [Action::Progress {
            id,
            event: port_event(587, "completed"),
        }],
    );
    let reach = state.reach.clone().expect("reach");
    let rows: Vec<ReachRow> = reach.plan(false).into_iter().map(|(r, _)| r).collect();
    let state = apply(
        state,
        [
            Action::ReachStarted {
                id,
                rows: rows.clone(),
            },
            Action::ReachMeasured {
                id,
                port: 443,
                result: BrowserResult::Answered,
                elapsed_ms: 12,
            },
            Action::ReachMeasured {
                id: id + 1,
                port: 80,
                result: BrowserResult::NoAnswer,
                elapsed_ms: 6000,
            },
        ],
    );
    let checks = state.inside().browser_checks;
    assert_eq!(checks.len(), 1);
    assert_eq!(
        (checks[0].port, checks[0].result),
        (443, BrowserResult::Answered)
    );

    // A name that never resolved: the test says so instead of waiting forever.
    let (state, id) = checking("nowhere.example.com");
    let dns_failed = format!(
        r#"{{"version":1,"host":"nowhere.example.com","started_at_unix_ms":0,"total_ms":3,
        "ports":[{}]}}"#,
        port_json(587, "dns_failed").replace(r#""address":"198.51.100.25","#, "")
    )
    .replace(
        r#""kind":"dns_failed""#,
        r#""kind":"dns_failed","detail":"NXDOMAIN""#,
    );
    let report: CheckReport = serde_json::from_str(&dns_failed).expect("report");
    let state = apply(
        state,
        [Action::Answered {
            id,
            answer: Ok(Rc::new(report)),
        }],
    );
    let reach = state.reach.expect("reach");
    assert!(reach.unresolved && reach.address.is_none());
}

#[test]
fn observations_hold_the_report_the_answers_and_the_person_s_side() {
    let (state, id) = checking("mail.example.com");
    assert_eq!(state.observations(), None, "nothing to diagnose yet");
    let whoami: WhoAmI = serde_json::from_str(
        r#"{"version":1,"vantage":{"kind":"edge"},"network":{"asn":4713,"as_org":"NTT"}}"#,
    )
    .expect("whoami");
    let state = apply(
        state,
        [
            Action::Answered {
                id,
                answer: Ok(Rc::new(report("completed"))),
            },
            Action::NetworkKnown(Ok(Rc::new(whoami))),
            Action::Answer(QuestionEdit::Client(Some(MailClient::Thunderbird))),
            Action::ChoosePort(MailPort::SMTP),
            Action::EditLocalOutput(
                "nc: connect to mail.example.com port 25 (tcp) timed out: Operation now in progress\n"
                    .into(),
            ),
            Action::ReadLocalOutput,
        ],
    );
    let obs = state.observations().expect("observations");
    assert_eq!(obs.version, OBSERVATIONS_VERSION);
    assert_eq!(obs.outside, [report("completed")]);
    assert_eq!(obs.inside.network.and_then(|n| n.asn), Some(4713));
    assert_eq!(obs.inside.local_checks[0].result, LocalResult::TimedOut);
    assert_eq!(obs.answers.client, Some(MailClient::Thunderbird));
    // The form after the check is what the mail program uses: port 25 now.
    assert_eq!(obs.answers.configured.map(|c| c.port), Some(25));
}

#[test]
fn the_os_choice_and_a_bad_paste_are_kept() {
    let state = apply(
        AppState::new(Lang::En).with_user_agent("Mozilla/5.0 (X11; Linux x86_64)"),
        [],
    );
    assert_eq!(state.local.os, Os::Linux);
    let state = apply(
        state,
        [
            Action::ChooseOs(Os::MacOs),
            Action::EditLocalOutput("what is this".into()),
            Action::ReadLocalOutput,
        ],
    );
    assert_eq!(state.local.os, Os::MacOs);
    assert!(matches!(state.local.read, Some(Err(_))));
    assert!(state.inside().local_checks.is_empty());
}

#[test]
fn a_discovered_server_fills_the_form_and_late_discoveries_are_ignored() {
    let state = apply(
        AppState::new(Lang::En),
        [
            Action::Discovering("example.jp".into()),
            Action::Discovered {
                query: "other.jp".into(),
                result: Err("late".into()),
            },
        ],
    );
    assert_eq!(
        state.discovered.as_ref().map(|d| &d.result),
        Some(&Loadable::Loading)
    );
    let state = apply(
        state,
        [
            Action::Submit,
            Action::UseSettings {
                host: "smtp.example.jp".into(),
                port: MailPort::SUBMISSIONS,
                security: Security::Tls,
            },
        ],
    );
    assert_eq!(state.phase, Phase::Idle, "the empty-host error went away");
    assert_eq!(state.form.host, "smtp.example.jp");
    assert_eq!(
        (state.form.port, state.form.security),
        (MailPort::SUBMISSIONS, Security::Tls)
    );
}

#[test]
fn the_knowledge_is_fetched_once_per_language() {
    let state = AppState::new(Lang::Ja);
    let wanted = state.library.wanted(Lang::Ja);
    let state = apply(state, [Action::LibraryFetching(wanted)]);
    assert!(!state.library.wanted(Lang::Ja).tables);
    let state = apply(
        state,
        [
            Action::TablesLoaded(Ok(Rc::new(
                sendcheck::knowledge::Knowledge::builtin().clone(),
            ))),
            Action::TextsLoaded(Lang::Ja, Err("404".into())),
            Action::SwitchLang,
        ],
    );
    assert!(state.library.tables.ready().is_some());
    assert_eq!(state.library.failure(Lang::Ja), Some("404"));
    assert_eq!(state.library.wanted(state.lang).texts, Some(Lang::En));
}

#[test]
fn a_fault_that_may_come_and_go_is_checked_again_up_to_three_runs() {
    let (state, first) = checking("mail.example.com");
    let answer = |id, kind: &str| Action::Answered {
        id,
        answer: Ok(Rc::new(report(kind))),
    };
    // The server accepted and never greeted: the page runs the same check again by itself.
    let second = apply(state.clone(), [answer(first, "greeting_timeout")]);
    let pending = second.pending().expect("a second run").clone();
    assert_eq!(
        (pending.run, pending.host.as_str()),
        (2, "mail.example.com")
    );
    assert!(pending.credentials.is_none());
    // A repeat probes again: never another visitor's shared answer of the last minute.
    assert!(pending.request().fresh);
    // The first run's verdict shows at once while the repeat runs.
    assert!(second.earlier_runs.is_empty());
    assert_eq!(second.repeating().map(|(p, _)| p.run), Some(2));
    assert_eq!(
        second.observations().expect("a verdict now").outside.len(),
        1
    );
    let third = apply(second, [answer(pending.id, "greeting_timeout")]);
    let pending = third.pending().expect("a third run").clone();
    assert_eq!(pending.run, 3);
    assert_eq!(third.earlier_runs.len(), 1);
    assert_eq!(third.observations().expect("two runs").outside.len(), 2);
    let check = third.check;
    let done = apply(third, [answer(pending.id, "greeting_timeout")]);
    assert_eq!(done.check, check, "repeats belong to the same check");
    assert!(!done.is_probing(), "at most three runs");
    assert_eq!(done.observations().expect("observations").outside.len(), 3);

    // A fresh check starts over; a plain refusal is not worth repeating.
    let again = apply(done, [Action::Submit]);
    assert!(again.earlier_runs.is_empty());
    assert_eq!(again.check, check + 1);
    assert!(again.report().is_none() && again.repeating().is_none());
    let id = again.pending().expect("checking").id;
    let refused = apply(again, [answer(id, "connection_refused")]);
    assert!(matches!(refused.phase, Phase::Reported(_)));
    assert_eq!(
        refused.observations().expect("observations").outside.len(),
        1
    );
}

#[test]
fn a_repeat_that_gets_no_answer_leaves_the_runs_made() {
    let (state, first) = checking("mail.example.com");
    let second = apply(
        state,
        [Action::Answered {
            id: first,
            answer: Ok(Rc::new(report("greeting_timeout"))),
        }],
    );
    let id = second.pending().expect("a second run").id;
    let failed = apply(
        second,
        [Action::Answered {
            id,
            answer: Err(Failure::Unreachable {
                detail: "offline".into(),
            }),
        }],
    );
    assert!(matches!(failed.phase, Phase::Reported(_)));
    assert_eq!(
        failed.observations().expect("the first run").outside.len(),
        1
    );
}
