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

/// Seconds before a TCP connection counts as timed out (nc) and before a TLS look gives up.
pub const CONNECT_TIMEOUT_SECS: u32 = 5;
pub const TLS_TIMEOUT_SECS: u32 = 15;

/// The script for `os` that tests `host` on `ports` (in that order, each once): TCP first,
/// then a TLS look at every port whose security is TLS or STARTTLS, only if it opened.
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

fn tls_looks(plan: &[(u16, Security)]) -> impl Iterator<Item = (u16, Mode)> + '_ {
    plan.iter()
        .filter_map(|(port, security)| Mode::tls_look(*security).map(|mode| (*port, mode)))
}

fn port_list(plan: &[(u16, Security)], separator: &str) -> String {
    plan.iter()
        .map(|(port, _)| port.to_string())
        .collect::<Vec<_>>()
        .join(separator)
}

/// POSIX sh for macOS and Linux. `nc -vz` reports each port. `openssl s_client` with stdin
/// from /dev/null completes the handshake, prints the certificate and exits; a server that
/// accepts but never answers TLS would hold it forever, so it runs under a time limit:
/// `timeout` on Linux, a perl alarm on macOS (which has perl but no `timeout`).
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
    let (connect_host, sni) = match host {
        Host::Ip(IpAddr::V6(_)) => ("[$h]", ""),
        Host::Ip(IpAddr::V4(_)) => ("$h", ""),
        Host::Name(_) => ("$h", " -servername \"$h\""),
    };
    let mut s = String::new();
    let _ = writeln!(s, "h='{host}'");
    let _ = writeln!(s, "for p in {}; do", port_list(plan, " "));
    let _ = writeln!(s, "  echo \"{HEADER} $p tcp $h\"");
    let _ = writeln!(s, "  nc -vz {nc_wait} \"$h\" \"$p\" 2>&1");
    let _ = writeln!(s, "done");
    for (port, mode) in tls_looks(plan) {
        let starttls = if mode == Mode::Starttls {
            " -starttls smtp"
        } else {
            ""
        };
        let _ = writeln!(s, "echo \"{HEADER} {port} {} $h\"", mode.name());
        let _ = writeln!(
            s,
            "nc -z {nc_wait} \"$h\" {port} 2>/dev/null && {limit} openssl s_client{starttls} -connect \"{connect_host}:{port}\"{sni} </dev/null 2>&1"
        );
    }
    s
}

/// Windows PowerShell 5.1 (every Windows 10 and 11) and PowerShell 7. `Test-NetConnection`
/// tests TCP (its warnings are silenced and its result printed as facts, because its own
/// table cannot tell a missing name from a closed port). The TLS look is .NET's TcpClient and
/// SslStream, which accept any certificate here: the point is to see the one that arrives,
/// Norton's or Avast's included. Every read and write is bounded by a timeout.
fn powershell(host: &Host, plan: &[(u16, Security)]) -> String {
    let result = Key::Result.name();
    let error = Key::Error.name();
    let family = match host {
        Host::Ip(IpAddr::V6(_)) => "[Net.Sockets.AddressFamily]::InterNetworkV6",
        _ => "[Net.Sockets.AddressFamily]::InterNetwork",
    };
    let ms = TLS_TIMEOUT_SECS * 1000;
    let mut s = String::new();
    let _ = writeln!(s, "$h = '{host}'");
    let _ = writeln!(s, "$open = @{{}}");
    let _ = writeln!(s, "foreach ($p in {}) {{", port_list(plan, ", "));
    let _ = writeln!(s, "  \"{HEADER} $p tcp $h\"");
    let _ = writeln!(
        s,
        "  $r = Test-NetConnection $h -Port $p -WarningAction SilentlyContinue"
    );
    let _ = writeln!(
        s,
        "  if (-not $r.RemoteAddress) {{ \"sendcheck $p tcp {result}: dns_failed\" }}"
    );
    let _ = writeln!(
        s,
        "  elseif ($r.TcpTestSucceeded) {{ $open[$p] = 1; \"sendcheck $p tcp {result}: connected\" }}"
    );
    let _ = writeln!(s, "  else {{ \"sendcheck $p tcp {result}: failed\" }}");
    let _ = writeln!(s, "}}");
    if tls_looks(plan).next().is_none() {
        return s;
    }
    let say = |key: Key, value: &str| format!("\"sendcheck $p $m {}: {value}\"", key.name());
    let lines = [
        "function Read-Reply($in) {".to_owned(),
        "  do { $l = $in.ReadLine(); if ($null -eq $l) { throw 'connection closed' } } while ($l -match '^\\d{3}-')".to_owned(),
        "  $l".to_owned(),
        "}".to_owned(),
        "function Test-MailTls($p, $m) {".to_owned(),
        format!("  \"{HEADER} $p $m $h\""),
        format!("  $c = [Net.Sockets.TcpClient]::new({family})"),
        "  $stage = 'connect'".to_owned(),
        "  try {".to_owned(),
        format!("    if (-not $c.ConnectAsync($h, $p).Wait({ms})) {{ {}; return }}", say(Key::Result, "timed_out")),
        format!("    $s = $c.GetStream(); $s.ReadTimeout = {ms}; $s.WriteTimeout = {ms}"),
        "    $stage = 'tls'".to_owned(),
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
        format!("    {}", say(Key::Result, "tls_ok")),
        format!("    {}", say(Key::Issuer, "$($x.Issuer)")),
        format!("    {}", say(Key::Subject, "$($x.Subject)")),
        format!("    {}", say(Key::Sha256, "$sha")),
        "    try { $q = [Text.Encoding]::ASCII.GetBytes(\"QUIT`r`n\"); $ssl.Write($q, 0, $q.Length) } catch { }".to_owned(),
        "  } catch {".to_owned(),
        "    $e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException }".to_owned(),
        format!("    if ($stage -eq 'tls') {{ {}; \"sendcheck $p $m {error}: $($e.Message)\" }}", say(Key::Result, "tls_failed")),
        format!("    elseif ($e.SocketErrorCode -eq 'ConnectionRefused') {{ {} }}", say(Key::Result, "refused")),
        format!("    elseif ($e.SocketErrorCode -eq 'TimedOut') {{ {} }}", say(Key::Result, "timed_out")),
        format!("    elseif ($e.SocketErrorCode -eq 'HostNotFound') {{ {} }}", say(Key::Result, "dns_failed")),
        format!("    else {{ {}; \"sendcheck $p $m {error}: $($e.Message)\" }}", say(Key::Result, "failed")),
        "  } finally { $c.Close() }".to_owned(),
        "}".to_owned(),
    ];
    for line in lines {
        let _ = writeln!(s, "{line}");
    }
    for (port, mode) in tls_looks(plan) {
        let _ = writeln!(
            s,
            "if ($open[{port}]) {{ Test-MailTls {port} {} }}",
            mode.name()
        );
    }
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
    fn linux_tests_each_port_then_looks_at_tls_where_it_opened() {
        let script = local_script(Os::Linux, &host("mail.example.jp"), &usual_ports());
        let text = script.text;
        assert!(
            text.starts_with("h='mail.example.jp'\nfor p in 25 587 465; do\n"),
            "{text}"
        );
        assert!(
            text.contains("  nc -vz -w 5 \"$h\" \"$p\" 2>&1\n"),
            "{text}"
        );
        assert!(text.contains(
            "nc -z -w 5 \"$h\" 587 2>/dev/null && timeout 15 openssl s_client -starttls smtp -connect \"$h:587\" -servername \"$h\" </dev/null 2>&1\n"
        ), "{text}");
        assert!(
            text.contains(
                "&& timeout 15 openssl s_client -connect \"$h:465\" -servername \"$h\" </dev/null"
            ),
            "{text}"
        );
        // Port 25 is looked at with STARTTLS too: security software may strip it there.
        assert!(
            text.contains("echo \"== sendcheck 25 starttls $h\""),
            "{text}"
        );
    }

    #[test]
    fn macos_bounds_connect_with_g_and_openssl_with_a_perl_alarm() {
        let text = local_script(Os::MacOs, &host("mail.example.jp"), &usual_ports()).text;
        assert!(text.contains("nc -vz -G 5 -w 5 \"$h\" \"$p\""), "{text}");
        assert!(
            text.contains("&& perl -e 'alarm 15; exec @ARGV' openssl s_client"),
            "{text}"
        );
        assert!(!text.contains("timeout "), "{text}");
    }

    #[test]
    fn windows_uses_test_netconnection_and_sslstream_and_sends_no_mail() {
        let text = local_script(Os::Windows, &host("mail.example.jp"), &usual_ports()).text;
        assert!(text.starts_with("$h = 'mail.example.jp'\n"), "{text}");
        assert!(text.contains("foreach ($p in 25, 587, 465) {"), "{text}");
        assert!(text.contains("Test-NetConnection $h -Port $p -WarningAction SilentlyContinue"));
        assert!(
            text.contains("if ($open[587]) { Test-MailTls 587 starttls }"),
            "{text}"
        );
        assert!(
            text.contains("if ($open[465]) { Test-MailTls 465 tls }"),
            "{text}"
        );
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
        assert!(text.contains("for p in 2525 587; do"), "{text}");
        assert!(
            !text.contains("2525 starttls") && !text.contains("2525 tls"),
            "{text}"
        );
        assert_eq!(text.matches("s_client").count(), 1, "{text}");
        let text = local_script(Os::Windows, &host("mail.example.jp"), &ports[..1]).text;
        assert!(!text.contains("Test-MailTls"), "{text}");
    }

    #[test]
    fn address_literals_get_brackets_for_openssl_and_no_sni() {
        let text = local_script(Os::Linux, &host("[2001:db8::25]"), &usual_ports()).text;
        assert!(text.starts_with("h='2001:db8::25'\n"), "{text}");
        assert!(text.contains("-connect \"[$h]:465\" </dev/null"), "{text}");
        assert!(!text.contains("-servername"), "{text}");
        let text = local_script(Os::Linux, &host("192.0.2.25"), &usual_ports()).text;
        assert!(text.contains("-connect \"$h:465\" </dev/null"), "{text}");
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
