//! The `sendcheck` binary over real sockets against small scripted SMTP servers on loopback
//! (127.0.0.x:2525): exit codes per outcome class, `--json` read back through the wire types,
//! the native block read back by the page's parser, and the password in no output. The same
//! binary against the lab's real Postfix + Dovecot is tests/e2e/native.test.mjs.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::thread;

use sendcheck::diagnosis::LocalResult;
use sendcheck::inside::parse_local_output;
use sendcheck::wire::{read_check_report, OutcomeKind, PortResult};

/// A server that answers each line it reads with the next scripted reply; the greeting first.
fn scripted(address: &str, greeting: &'static str, replies: &'static [&'static str]) {
    let listener = TcpListener::bind(address).expect("bind a loopback address");
    thread::spawn(move || {
        for stream in listener.incoming().take(1).flatten() {
            serve(stream, greeting, replies);
        }
    });
}

fn serve(mut stream: TcpStream, greeting: &str, replies: &[&str]) {
    let _ = stream.write_all(greeting.as_bytes());
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut commands = Vec::new();
    for reply in replies {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        commands.push(line);
        let _ = stream.write_all(reply.as_bytes());
    }
    assert!(
        commands
            .iter()
            .all(|c| !["MAIL", "RCPT", "DATA"].iter().any(|v| c.starts_with(v))),
        "{commands:?}"
    );
}

fn sendcheck(args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sendcheck"));
    command.args(args).env_remove("SENDCHECK_PASSWORD");
    if let Some(password) = password {
        command.env("SENDCHECK_PASSWORD", password);
    }
    command.output().expect("run sendcheck")
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[test]
fn a_plain_server_that_answers_completes_with_exit_0_and_json_reads_back() {
    scripted(
        "127.0.0.2:2525",
        "220 plain.test ESMTP\r\n",
        &["250-plain.test\r\n250 8BITMIME\r\n", "221 bye\r\n"],
    );
    let out = sendcheck(
        &["check", "127.0.0.2", "-p", "2525", "-s", "none", "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json = String::from_utf8(out.stdout).unwrap();
    let report = read_check_report(&json).expect("a CheckReport");
    assert_eq!(report.vantage.kind, "native");
    let [PortResult::Probed { report: port }] = report.ports.as_slice() else {
        panic!("{:?}", report.ports);
    };
    assert_eq!(port.outcome.kind, OutcomeKind::Completed);
    assert_eq!(
        serde_json::to_string_pretty(&report).unwrap(),
        json.trim_end()
    );
}

#[test]
fn nothing_listening_is_a_connect_failure_with_exit_2() {
    let out = sendcheck(&["check", "127.0.0.3", "-p", "2525", "--lang", "en"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("connection refused"), "{printed}");
    // The block at the end is what the page reads as this machine's check.
    let checks = parse_local_output(&printed).unwrap();
    assert_eq!(checks[0].port, 2525);
    assert_eq!(checks[0].result, LocalResult::Refused);
    assert_eq!(checks[0].tool.as_deref(), Some("sendcheck"));
}

#[test]
fn a_refusing_greeting_is_exit_21_and_missing_starttls_exit_28() {
    scripted(
        "127.0.0.4:2525",
        "554 no service here\r\n",
        &["221 bye\r\n"],
    );
    let out = sendcheck(&["check", "127.0.0.4", "-p", "2525"], None);
    assert_eq!(out.status.code(), Some(21), "{}", text(&out));

    scripted(
        "127.0.0.5:2525",
        "220 old.test ESMTP\r\n",
        &["250-old.test\r\n250 AUTH PLAIN\r\n", "221 bye\r\n"],
    );
    let out = sendcheck(&["check", "127.0.0.5", "-p", "2525", "--lang", "ja"], None);
    assert_eq!(out.status.code(), Some(28), "{}", text(&out));
    assert!(text(&out).contains("STARTTLS"), "{}", text(&out));
}

#[test]
fn the_password_never_appears_in_any_output() {
    const PASSWORD: &str = "pw-9f8e7d6c-never-printed";
    for (address, json) in [("127.0.0.6", false), ("127.0.0.7", true)] {
        scripted(
            &format!("{address}:2525"),
            "220 auth.test ESMTP\r\n",
            &["250-auth.test\r\n250 AUTH PLAIN LOGIN\r\n", "221 bye\r\n"],
        );
        let mut args = vec!["check", address, "-p", "2525", "-s", "none", "-u", "taro"];
        if json {
            args.push("--json");
        }
        let out = sendcheck(&args, Some(PASSWORD));
        let printed = text(&out);
        assert!(printed.contains("2525"), "{printed}");
        assert!(!printed.contains(PASSWORD), "{printed}");
    }
}
