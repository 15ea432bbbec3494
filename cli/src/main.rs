//! `sendcheck`: the engine on your own machine, the third adapter beside the worker and the page.
//!
//! ```text
//!  sendcheck check HOST ─▶ ProbeRequest::parse ─▶ ProbePlan ─▶ check::run
//!      system resolver (once) ─▶ every port concurrently: shared::probe::pump over
//!      runtime::Native (tokio TCP, monotonic clock) ─▶ CheckReport (vantage "native")
//!      ─▶ readable report (report.rs, the page's texts) + the block the page reads back
//!      ─▶ or --json: the same CheckReport the worker sends
//! ```
//!
//! It never sends MAIL, RCPT or DATA (the engine has no such commands). The password comes
//! from `SENDCHECK_PASSWORD` or a prompt, never from the command line.

mod check;
mod exit;
mod report;
mod runtime;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use sendcheck::knowledge::Lang;
use sendcheck::probe::{ProbeConfig, TrustAnchors};
use sendcheck::target::Hostname;
use sendcheck::wire::{CredentialsInput, PortRequest, ProbeRequest, Vantage};

use crate::exit::Exit;

/// Where a mail program's sending stops: connect, greeting, TLS, login. Never sends mail.
#[derive(Debug, Parser)]
#[command(name = "sendcheck", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a mail server's sending ports from this computer.
    ///
    /// Connects, reads the greeting, sends EHLO, STARTTLS (or TLS from the first byte on 465),
    /// shows the certificate, optionally tests a login, and says QUIT: never MAIL, RCPT or
    /// DATA. There is no address guard: this is your own machine and your own network, so
    /// any address it can reach is checked (the hosted sendcheck refuses private addresses).
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The mail server: a host name or an IP address.
    host: String,
    /// A port to check (25, 465, 587 or 2525); repeat for several. Default: 25, 587 and 465.
    #[arg(short, long = "port", value_name = "PORT")]
    ports: Vec<u32>,
    /// starttls, tls or none, for every port given; default: tls on 465, starttls elsewhere.
    #[arg(short, long)]
    security: Option<String>,
    /// Test a login with this user name. The password is read from SENDCHECK_PASSWORD, or
    /// asked for on the terminal; it is never accepted on the command line.
    #[arg(short, long)]
    user: Option<String>,
    /// Language of the report: ja or en (default: from LANG).
    #[arg(long)]
    lang: Option<String>,
    /// Print the CheckReport as JSON (the same type the hosted API answers with).
    #[arg(long)]
    json: bool,
    /// Trust only the CA certificates in this PEM file (a test lab's own CA); default: the
    /// public roots mail programs trust.
    #[arg(long, value_name = "PEM")]
    ca_file: Option<std::path::PathBuf>,
    /// The name sent with EHLO.
    #[arg(long, default_value = "sendcheck.invalid")]
    ehlo: String,
}

const EXIT_CODES: &str = "\
Exit codes (the first port, in the order checked, that did not complete):
  0  every port completed        21  greeting (none, refused, closed)
  1  usage (nothing probed)      22  dialogue (EHLO, no reply, reset, malformed)
  2  connect (DNS, refused,      28  TLS (STARTTLS, handshake, certificate)
     no answer)                  29  AUTH (not offered, refused)
 70  internal error";

/// The environment variable a password may come from (never the command line).
const PASSWORD_VARIABLE: &str = "SENDCHECK_PASSWORD";

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Completed.into()
            };
        }
    };
    match cli.command {
        Command::Check(args) => run_check(args),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let lang = pick_lang(args.lang.as_deref(), std::env::var("LANG").ok().as_deref());
    let Some(lang) = lang else {
        eprintln!("sendcheck: --lang: ja or en");
        return Exit::Usage.into();
    };
    let request = match request(&args) {
        Ok(request) => request,
        Err(problem) => {
            eprintln!("sendcheck: {problem}");
            return Exit::Usage.into();
        }
    };
    let plan = match request.parse() {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("sendcheck: {e}");
            return Exit::Usage.into();
        }
    };
    let config = match config(&args) {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("sendcheck: {problem}");
            return Exit::Usage.into();
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sendcheck: {e}");
            return Exit::Internal.into();
        }
    };
    let vantage = Vantage {
        kind: "native".to_owned(),
        colo: None,
    };
    let checked = runtime.block_on(check::run(&plan, &config, None, vantage, &|_| {}));
    let report = match checked {
        Ok(report) => report,
        Err(e) => {
            eprintln!("sendcheck: {e}");
            return Exit::Usage.into();
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("sendcheck: {e}");
                return Exit::Internal.into();
            }
        }
    } else {
        print!("{}", report::readable(&report, lang));
    }
    Exit::of_check(&report).into()
}

/// The request the hosted page would send for these options, so the CLI takes exactly what
/// the API takes (ports, security, credentials) and refuses it in the same words.
fn request(args: &CheckArgs) -> Result<ProbeRequest, String> {
    let ports = if args.ports.is_empty() {
        vec![25, 587, 465]
    } else {
        args.ports.clone()
    };
    let credentials = match &args.user {
        None => None,
        Some(username) => Some(CredentialsInput {
            username: username.clone(),
            password: password(username)?,
        }),
    };
    Ok(ProbeRequest {
        host: args.host.clone(),
        ports: Some(
            ports
                .into_iter()
                .map(|port| PortRequest {
                    port,
                    security: args.security.clone(),
                })
                .collect(),
        ),
        credentials,
        ..ProbeRequest::default()
    })
}

/// From the environment, else from the terminal without echo.
fn password(username: &str) -> Result<String, String> {
    if let Ok(password) = std::env::var(PASSWORD_VARIABLE) {
        return Ok(password);
    }
    rpassword::prompt_password(format!("Password for {username}: "))
        .map_err(|e| format!("no password: set {PASSWORD_VARIABLE} or run on a terminal ({e})"))
}

fn config(args: &CheckArgs) -> Result<ProbeConfig, String> {
    let client_name =
        Hostname::parse(&args.ehlo).map_err(|e| format!("--ehlo {:?}: {e}", args.ehlo))?;
    let mut config = ProbeConfig::new(client_name);
    if let Some(path) = &args.ca_file {
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        config.trust = TrustAnchors::from_pem(&pem)
            .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
    }
    Ok(config)
}

/// `--lang` when given (None if it is neither ja nor en), else Japanese for a `ja*` locale.
fn pick_lang(given: Option<&str>, locale: Option<&str>) -> Option<Lang> {
    match given.map(str::trim) {
        Some("ja") => Some(Lang::Ja),
        Some("en") => Some(Lang::En),
        Some(_) => None,
        None if locale.is_some_and(|l| l.starts_with("ja")) => Some(Lang::Ja),
        None => Some(Lang::En),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_no_way_to_give_a_password_on_the_command_line() {
        for flag in ["--password", "--pass", "-P", "--secret"] {
            let parsed = Cli::try_parse_from(["sendcheck", "check", "mx.example", flag, "x"]);
            assert!(parsed.is_err(), "{flag} was accepted");
        }
        let parsed = Cli::try_parse_from(["sendcheck", "check", "mx.example", "-u", "taro"]);
        assert!(parsed.is_ok());
    }

    #[test]
    fn options_become_the_request_the_api_takes() {
        let Command::Check(args) =
            Cli::try_parse_from(["sendcheck", "check", "mx.example", "-p", "587", "-p", "465"])
                .unwrap()
                .command;
        let plan = request(&args).unwrap().parse().unwrap();
        let ports: Vec<_> = plan.targets.iter().map(|t| t.port.get()).collect();
        assert_eq!(ports, [587, 465]);
        let Command::Check(args) = Cli::try_parse_from(["sendcheck", "check", "mx.example"])
            .unwrap()
            .command;
        let plan = request(&args).unwrap().parse().unwrap();
        let ports: Vec<_> = plan.targets.iter().map(|t| t.port.get()).collect();
        assert_eq!(ports, [25, 587, 465]);
        let Command::Check(args) =
            Cli::try_parse_from(["sendcheck", "check", "mx.example", "-p", "80"])
                .unwrap()
                .command;
        assert!(request(&args).unwrap().parse().is_err());
    }

    #[test]
    fn the_language_follows_the_flag_then_the_locale() {
        assert_eq!(pick_lang(Some("ja"), None), Some(Lang::Ja));
        assert_eq!(pick_lang(None, Some("ja_JP.UTF-8")), Some(Lang::Ja));
        assert_eq!(pick_lang(None, Some("C.UTF-8")), Some(Lang::En));
        assert_eq!(pick_lang(Some("fr"), None), None);
    }
}
