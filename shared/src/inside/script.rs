//! The commands the person pastes into their terminal, one block per operating system.
//!
//! The host is a parsed [`Host`]: letters, digits, `-`, `.` and, for an IPv6 literal, `:`.
//! Nothing a shell treats specially can reach the script; it is still single-quoted once, in
//! a variable, and every use is double-quoted.
//!
//! No prose in the scripts: the page explains them in the person's language. Each prints a
//! header before each test (marker.rs) so the output can be read back without guessing.

use std::fmt::Write as _;
use std::net::IpAddr;

use super::marker::{Key, Mode, HEADER};
use super::{LocalScript, Os};
use crate::target::{Host, MailPort, Security};

/// Seconds before a TCP connection counts as timed out (nc, TcpClient).
pub const CONNECT_TIMEOUT_SECS: u32 = 4;
/// Seconds a TLS look may take, from connecting to the certificate.
pub const TLS_TIMEOUT_SECS: u32 = 9;
/// The longest the whole command runs: every port is tested at once, TCP first and then the
/// TLS look, so the slowest port decides (issue 10: within 15 s in the worst case).
pub const WORST_CASE_SECS: u32 = CONNECT_TIMEOUT_SECS + TLS_TIMEOUT_SECS;
const _: () = assert!(WORST_CASE_SECS < 15, "the command must end within 15 s");

/// The script for `os` that tests `host` on `ports` (each once, reported in that order): every
/// port at once, TCP first, then a TLS look at a port whose security is TLS or STARTTLS if
/// TCP opened.
pub fn local_script(os: Os, host: &Host, ports: &[(MailPort, Security)]) -> LocalScript {
    let mut plan: Vec<(u16, Security)> = Vec::new();
    for (port, security) in ports {
        if !plan.iter().any(|(p, _)| *p == port.get()) {
            plan.push((port.get(), *security));
        }
    }
    let text = match os {
        Os::Windows => powershell(host, &plan),
        Os::MacOs => posix(host, &plan, Posix::MacOs),
        Os::Linux => posix(host, &plan, Posix::Linux),
    };
    LocalScript { os, text }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Posix {
    MacOs,
    Linux,
}

/// The TLS look a port gets: `tls`, `starttls`, or none (empty).
fn look_name(security: Security) -> &'static str {
    Mode::tls_look(security).map_or("", Mode::name)
}

fn port_list(plan: &[(u16, Security)], separator: &str) -> String {
    plan.iter()
        .map(|(port, _)| port.to_string())
        .collect::<Vec<_>>()
        .join(separator)
}

/// The line every script prints before it waits, so the person knows what and for how long.
fn waiting_line(plan: &[(u16, Security)]) -> String {
    format!(
        "sendcheck: waiting for {} (at most {WORST_CASE_SECS} s)",
        port_list(plan, " ")
    )
}

/// POSIX sh for macOS and Linux. Each port is tested in a background job writing to its own
/// file, and the files are printed in order at the end, so the sections never interleave.
/// `nc -vz` tests TCP; `openssl s_client` with stdin from /dev/null completes the handshake,
/// prints the certificate and exits. A server that accepts but never answers would hold it
/// forever, so it runs under a time limit (`timeout` on Linux, a perl alarm on macOS, which
/// has perl but no `timeout`); an exit status of 124 or more says the limit ended it, and the
/// script prints that as a fact. On Linux, `-verify_hostname` (OpenSSL 1.0.2 and later) makes
/// s_client's `Verify return code` say when the certificate is for another name; LibreSSL on
/// macOS is not asked (its s_client may not know the option).
fn posix(host: &Host, plan: &[(u16, Security)], flavour: Posix) -> String {
    let (nc_wait, limit) = match flavour {
        // Apple's nc takes the connect timeout from -G; -w alone may not bound connect.
        Posix::MacOs => (
            format!("-G {CONNECT_TIMEOUT_SECS} -w {CONNECT_TIMEOUT_SECS}"),
            format!("perl -e 'alarm {TLS_TIMEOUT_SECS}; exec @ARGV'"),
        ),
        Posix::Linux => (
            format!("-w {CONNECT_TIMEOUT_SECS}"),
            format!("timeout {TLS_TIMEOUT_SECS}"),
        ),
    };
    // openssl wants an IPv6 literal in brackets, and SNI only for names.
    let (connect_host, names) = match host {
        Host::Ip(IpAddr::V6(_)) => ("[$h]", ""),
        Host::Ip(IpAddr::V4(_)) => ("$h", ""),
        Host::Name(_) if flavour == Posix::Linux => {
            ("$h", " -servername \"$h\" -verify_hostname \"$h\"")
        }
        Host::Name(_) => ("$h", " -servername \"$h\""),
    };
    let time_limit = Key::TimeLimit.name();
    let mut s = String::new();
    let _ = writeln!(s, "h='{host}'");
    let _ = writeln!(s, "d=$(mktemp -d)");
    let _ = writeln!(s, "look() {{");
    let _ = writeln!(s, "  p=$1 m=$2 s=");
    let _ = writeln!(s, "  [ \"$m\" = starttls ] && s=smtp");
    let _ = writeln!(s, "  echo \"{HEADER} $p tcp $h\"");
    let _ = writeln!(s, "  nc -vz {nc_wait} \"$h\" \"$p\" 2>&1 || return");
    let _ = writeln!(s, "  [ -n \"$m\" ] || return");
    let _ = writeln!(s, "  echo \"{HEADER} $p $m $h\"");
    // `${s:+-starttls} $s`, not one variable holding both words: zsh (macOS's shell) does
    // not split an unquoted variable, and drops both words when `s` is empty as sh does.
    let _ = writeln!(
        s,
        "  {limit} openssl s_client ${{s:+-starttls}} $s -connect \"{connect_host}:$p\"{names} </dev/null 2>&1"
    );
    let _ = writeln!(
        s,
        "  [ $? -lt 124 ] || echo \"sendcheck $p $m {time_limit}: {TLS_TIMEOUT_SECS}\""
    );
    let _ = writeln!(s, "}}");
    let _ = writeln!(s, "echo \"{}\"", waiting_line(plan));
    // In a subshell, where an interactive shell prints no job numbers.
    let jobs: Vec<String> = plan
        .iter()
        .map(|(port, security)| {
            let look = look_name(*security);
            let look = if look.is_empty() { "''" } else { look };
            format!("look {port} {look} >\"$d/{port}\" &")
        })
        .collect();
    let _ = writeln!(s, "({} wait)", jobs.join(" "));
    let files: Vec<String> = plan.iter().map(|(p, _)| format!("\"$d/{p}\"")).collect();
    let _ = writeln!(s, "cat {}", files.join(" "));
    let _ = writeln!(s, "rm -rf \"$d\"");
    s
}

/// Windows PowerShell 5.1 (every Windows 10 and 11) and PowerShell 7. Each port is tested in
/// a runspace of its own, all at once: TCP with .NET's TcpClient (Test-NetConnection cannot
/// be bounded: a dropped port holds it ~21 s), then the TLS look with SslStream, which
/// accepts any certificate here — the point is to see the one that arrives, Norton's or
/// Avast's included. The script prints facts (marker.rs), waits for the runspaces in order
/// under one deadline, and says so for a look the deadline cut off.
fn powershell(host: &Host, plan: &[(u16, Security)]) -> String {
    let error = Key::Error.name();
    let family = match host {
        Host::Ip(IpAddr::V6(_)) => "[Net.Sockets.AddressFamily]::InterNetworkV6",
        _ => "[Net.Sockets.AddressFamily]::InterNetwork",
    };
    let connect_ms = CONNECT_TIMEOUT_SECS * 1000;
    let tls_ms = TLS_TIMEOUT_SECS * 1000;
    let say = |mode: &str, key: Key, value: &str| {
        format!("\"sendcheck $p {mode} {}: {value}\"", key.name())
    };
    let mut s = String::new();
    let _ = writeln!(s, "$h = '{host}'");
    let lines = [
        "$look = {".to_owned(),
        "  param($h, $p, $m)".to_owned(),
        "  function Read-Reply($in) {".to_owned(),
        "    do { $l = $in.ReadLine(); if ($null -eq $l) { throw 'connection closed' } } while ($l -match '^\\d{3}-')".to_owned(),
        "    $l".to_owned(),
        "  }".to_owned(),
        format!("  \"{HEADER} $p tcp $h\""),
        format!("  $c = [Net.Sockets.TcpClient]::new({family})"),
        "  $stage = 'tcp'".to_owned(),
        "  try {".to_owned(),
        format!("    if (-not $c.ConnectAsync($h, $p).Wait({connect_ms})) {{ {}; return }}", say("tcp", Key::Result, "timed_out")),
        format!("    {}", say("tcp", Key::Result, "connected")),
        "    if (-not $m) { return }".to_owned(),
        format!("    \"{HEADER} $p $m $h\""),
        "    $stage = 'tls'".to_owned(),
        format!("    $s = $c.GetStream(); $s.ReadTimeout = {tls_ms}; $s.WriteTimeout = {tls_ms}"),
        "    if ($m -eq 'starttls') {".to_owned(),
        "      $in = [IO.StreamReader]::new($s, [Text.Encoding]::ASCII)".to_owned(),
        "      $out = [IO.StreamWriter]::new($s, [Text.Encoding]::ASCII); $out.AutoFlush = $true; $out.NewLine = \"`r`n\"".to_owned(),
        "      $g = Read-Reply $in; if ($g -notmatch '^220') { throw \"greeting: $g\" }".to_owned(),
        "      $out.WriteLine('EHLO sendcheck.invalid'); $null = Read-Reply $in".to_owned(),
        "      $out.WriteLine('STARTTLS'); $t = Read-Reply $in; if ($t -notmatch '^220') { throw \"STARTTLS: $t\" }".to_owned(),
        "    }".to_owned(),
        "    $ssl = [Net.Security.SslStream]::new($s, $false, ({ $true } -as [Net.Security.RemoteCertificateValidationCallback]))".to_owned(),
        "    $ssl.AuthenticateAsClient($h)".to_owned(),
        "    $x = [Security.Cryptography.X509Certificates.X509Certificate2]::new($ssl.RemoteCertificate)".to_owned(),
        "    $sha = -join ([Security.Cryptography.SHA256]::Create().ComputeHash($x.RawData) | ForEach-Object { $_.ToString('x2') })".to_owned(),
        format!("    {}", say("$m", Key::Result, "tls_ok")),
        format!("    {}", say("$m", Key::Issuer, "$($x.Issuer)")),
        format!("    {}", say("$m", Key::Subject, "$($x.Subject)")),
        format!("    {}", say("$m", Key::Sha256, "$sha")),
        "    try { $q = [Text.Encoding]::ASCII.GetBytes(\"QUIT`r`n\"); $ssl.Write($q, 0, $q.Length) } catch { }".to_owned(),
        "  } catch {".to_owned(),
        "    $e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException }".to_owned(),
        format!("    if ($stage -eq 'tls' -and $e.SocketErrorCode -eq 'TimedOut') {{ {} }}", say("$m", Key::Result, "tls_no_answer")),
        format!("    elseif ($stage -eq 'tls') {{ {}; \"sendcheck $p $m {error}: $($e.Message)\" }}", say("$m", Key::Result, "tls_failed")),
        format!("    elseif ($e.SocketErrorCode -eq 'ConnectionRefused') {{ {} }}", say("tcp", Key::Result, "refused")),
        format!("    elseif ($e.SocketErrorCode -eq 'TimedOut') {{ {} }}", say("tcp", Key::Result, "timed_out")),
        format!("    elseif ($e.SocketErrorCode -eq 'HostNotFound') {{ {} }}", say("tcp", Key::Result, "dns_failed")),
        format!("    else {{ {}; \"sendcheck $p tcp {error}: $($e.Message)\" }}", say("tcp", Key::Result, "failed")),
        "  } finally { $c.Close() }".to_owned(),
        "}".to_owned(),
    ];
    for line in lines {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "$jobs = foreach ($t in @(");
    let looks: Vec<String> = plan
        .iter()
        .map(|(port, security)| format!("  @({port}, '{}')", look_name(*security)))
        .collect();
    let _ = writeln!(s, "{}", looks.join(",\n"));
    let _ = writeln!(s, ")) {{");
    let _ = writeln!(
        s,
        "  $ps = [powershell]::Create().AddScript($look).AddArgument($h).AddArgument($t[0]).AddArgument($t[1])"
    );
    let _ = writeln!(
        s,
        "  $o = [Management.Automation.PSDataCollection[psobject]]::new()"
    );
    let _ = writeln!(
        s,
        "  [pscustomobject]@{{ p = $t[0]; m = $t[1]; ps = $ps; o = $o; r = $ps.BeginInvoke($o, $o) }}"
    );
    let _ = writeln!(s, "}}");
    let _ = writeln!(s, "\"{}\"", waiting_line(plan));
    let _ = writeln!(s, "$end = [DateTime]::UtcNow.AddSeconds({WORST_CASE_SECS})");
    let _ = writeln!(s, "foreach ($j in $jobs) {{");
    let _ = writeln!(
        s,
        "  $left = [int][Math]::Max(0, ($end - [DateTime]::UtcNow).TotalMilliseconds)"
    );
    let _ = writeln!(s, "  $done = $j.r.AsyncWaitHandle.WaitOne($left)");
    let _ = writeln!(s, "  $j.o");
    // A look still blocked in a read is left to end by its own timeout: stopping or
    // disposing it would wait for that read.
    let _ = writeln!(s, "  if ($done) {{ $j.ps.Dispose() }}");
    let _ = writeln!(
        s,
        "  elseif ($j.m) {{ $null = $j.ps.BeginStop($null, $null); \"sendcheck $($j.p) $($j.m) {}: {WORST_CASE_SECS}\" }}",
        Key::TimeLimit.name()
    );
    let _ = writeln!(s, "}}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::HostError;

    pub(crate) fn usual_ports() -> Vec<(MailPort, Security)> {
        vec![
            (MailPort::SMTP, Security::Starttls),
            (MailPort::SUBMISSION, Security::Starttls),
            (MailPort::SUBMISSIONS, Security::Tls),
        ]
    }

    fn host(text: &str) -> Host {
        Host::parse(text).unwrap()
    }

    #[test]
    fn linux_tests_every_port_at_once_then_looks_at_tls_where_it_opened() {
        let script = local_script(Os::Linux, &host("mail.example.jp"), &usual_ports());
        let text = script.text;
        assert!(
            text.starts_with("h='mail.example.jp'\nd=$(mktemp -d)\n"),
            "{text}"
        );
        assert!(
            text.contains("  nc -vz -w 4 \"$h\" \"$p\" 2>&1 || return\n"),
            "{text}"
        );
        assert!(text.contains(
            "  timeout 9 openssl s_client ${s:+-starttls} $s -connect \"$h:$p\" -servername \"$h\" -verify_hostname \"$h\" </dev/null 2>&1\n"
        ), "{text}");
        // Port 25 is looked at with STARTTLS too: security software may strip it there.
        assert!(
            text.contains(
                "(look 25 starttls >\"$d/25\" & look 587 starttls >\"$d/587\" & look 465 tls >\"$d/465\" & wait)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("cat \"$d/25\" \"$d/587\" \"$d/465\"\n"),
            "{text}"
        );
        assert!(text.contains("  [ $? -lt 124 ] || echo \"sendcheck $p $m time_limit: 9\"\n"));
        // Before it waits, it says for what and how long.
        assert!(
            text.contains("echo \"sendcheck: waiting for 25 587 465 (at most 13 s)\"\n"),
            "{text}"
        );
    }

    #[test]
    fn macos_bounds_connect_with_g_and_openssl_with_a_perl_alarm() {
        let text = local_script(Os::MacOs, &host("mail.example.jp"), &usual_ports()).text;
        assert!(text.contains("nc -vz -G 4 -w 4 \"$h\" \"$p\""), "{text}");
        assert!(
            text.contains("  perl -e 'alarm 9; exec @ARGV' openssl s_client ${s:+-starttls} $s"),
            "{text}"
        );
        assert!(!text.contains("timeout "), "{text}");
        // LibreSSL's s_client is not asked for an option it may not know.
        assert!(!text.contains("-verify_hostname"), "{text}");
    }

    #[test]
    fn windows_runs_every_port_in_a_runspace_under_one_deadline_and_sends_no_mail() {
        let text = local_script(Os::Windows, &host("mail.example.jp"), &usual_ports()).text;
        assert!(text.starts_with("$h = 'mail.example.jp'\n"), "{text}");
        assert!(
            text.contains("  @(25, 'starttls'),\n  @(587, 'starttls'),\n  @(465, 'tls')\n"),
            "{text}"
        );
        assert!(
            text.contains("[powershell]::Create().AddScript($look)"),
            "{text}"
        );
        assert!(text.contains("$ps.BeginInvoke($o, $o)"), "{text}");
        assert!(
            text.contains("$end = [DateTime]::UtcNow.AddSeconds(13)"),
            "{text}"
        );
        assert!(
            text.contains("$c.ConnectAsync($h, $p).Wait(4000)"),
            "{text}"
        );
        assert!(text.contains("$s.ReadTimeout = 9000"), "{text}");
        assert!(text.contains("\"sendcheck: waiting for 25 587 465 (at most 13 s)\""));
        // Test-NetConnection cannot be bounded (a dropped port holds it ~21 s).
        assert!(!text.contains("Test-NetConnection"), "{text}");
        assert!(text.contains("result: tls_no_answer"), "{text}");
        assert!(text.contains("time_limit: 13"), "{text}");
        assert!(text.contains("({ $true } -as [Net.Security.RemoteCertificateValidationCallback])"));
        // Every brace opened is closed: a paste that leaves PowerShell waiting at `>>` is lost.
        let opened = text.matches('{').count();
        assert_eq!(opened, text.matches('}').count(), "{text}");
        assert_eq!(
            text.matches('(').count(),
            text.matches(')').count(),
            "{text}"
        );
    }

    #[test]
    fn no_script_can_send_mail() {
        for os in Os::ALL {
            let text = local_script(os, &host("mail.example.jp"), &usual_ports()).text;
            // The host's own name may contain anything ("mail.example.jp").
            let words: Vec<String> = text
                .replace("mail.example.jp", "")
                .split(|c: char| !c.is_ascii_alphanumeric())
                .map(str::to_ascii_uppercase)
                .collect();
            for verb in ["MAIL", "RCPT", "DATA", "BDAT", "AUTH"] {
                assert!(
                    !words.iter().any(|w| w == verb),
                    "{os:?} script says {verb}:\n{text}"
                );
            }
            // openssl is never left reading the terminal (where a person might type DATA).
            for line in text.lines().filter(|l| l.contains("s_client")) {
                assert!(line.contains("</dev/null"), "{line}");
            }
        }
        // PowerShell writes exactly these lines to the server.
        let text = local_script(Os::Windows, &host("mail.example.jp"), &usual_ports()).text;
        let sent: Vec<&str> = text
            .split("WriteLine('")
            .skip(1)
            .filter_map(|rest| rest.split('\'').next())
            .collect();
        assert_eq!(sent, ["EHLO sendcheck.invalid", "STARTTLS"]);
        assert_eq!(text.matches("GetBytes(").count(), 1);
        assert!(text.contains("GetBytes(\"QUIT`r`n\")"));
    }

    #[test]
    fn ports_are_tested_once_in_the_given_order_and_none_security_gets_no_tls_look() {
        let ports = [
            (MailPort::ALTERNATE, Security::None),
            (MailPort::SUBMISSION, Security::Starttls),
            (MailPort::SUBMISSION, Security::Tls),
        ];
        let text = local_script(Os::Linux, &host("mail.example.jp"), &ports).text;
        assert!(
            text.contains("(look 2525 '' >\"$d/2525\" & look 587 starttls >\"$d/587\" & wait)"),
            "{text}"
        );
        assert!(
            !text.contains("2525 starttls") && !text.contains("2525 tls"),
            "{text}"
        );
        assert_eq!(text.matches("s_client").count(), 1, "{text}");
        let text = local_script(Os::Windows, &host("mail.example.jp"), &ports[..1]).text;
        assert!(text.contains("@(2525, '')\n)) {"), "{text}");
    }

    #[test]
    fn address_literals_get_brackets_for_openssl_and_no_sni() {
        let text = local_script(Os::Linux, &host("[2001:db8::25]"), &usual_ports()).text;
        assert!(text.starts_with("h='2001:db8::25'\n"), "{text}");
        assert!(text.contains("-connect \"[$h]:$p\" </dev/null"), "{text}");
        assert!(!text.contains("-servername"), "{text}");
        assert!(!text.contains("-verify_hostname"), "{text}");
        let text = local_script(Os::Linux, &host("192.0.2.25"), &usual_ports()).text;
        assert!(text.contains("-connect \"$h:$p\" </dev/null"), "{text}");
        let text = local_script(Os::Windows, &host("2001:db8::25"), &usual_ports()).text;
        assert!(
            text.contains(
                "[Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetworkV6)"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_hostile_host_cannot_be_parsed_so_cannot_reach_a_shell() {
        for hostile in [
            "mail.example.jp; rm -rf ~",
            "$(reboot)",
            "`id`",
            "a'b",
            "mail.example.jp\nrm -rf ~",
            "x\"y",
            "a|b",
            "a&b",
            "a>b",
            "$h",
        ] {
            assert!(Host::parse(hostile).is_err(), "{hostile:?} parsed");
        }
        assert!(matches!(
            crate::target::Hostname::parse("a;b"),
            Err(HostError::InvalidCharacter { ch: ';' })
        ));
    }

    #[test]
    fn whatever_host_parses_appears_only_inside_the_single_quoted_assignment() {
        let shell_special = |c: char| "'\"`$\\;&|<>(){}*?!#~ \n\t".contains(c);
        for input in [
            "MAIL.Example.JP.",
            "xn--r8jz45g.jp",
            "192.0.2.25",
            "[::1]",
            "a-b.c",
        ] {
            let host = host(input);
            let shown = host.to_string();
            assert!(!shown.chars().any(shell_special), "{shown:?}");
            for os in Os::ALL {
                let text = local_script(os, &host, &usual_ports()).text;
                assert_eq!(text.matches(shown.as_str()).count(), 1, "{os:?}: {text}");
                assert!(text
                    .lines()
                    .next()
                    .unwrap()
                    .ends_with(&format!("'{shown}'")));
            }
        }
    }
}
