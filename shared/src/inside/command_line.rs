//! A command the terminal echoed before its output (`PS C:\Users\taro> Test-NetConnection
//! mail.example.jp -Port 25`, `taro@mac ~ % nc -vz mail.example.jp 25`): when someone ran a
//! tool by hand, the command line is where the port is, and openssl never repeats it.

use super::marker::{host_word, Mode};
use super::test_netconnection;

/// What an echoed command tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Echoed {
    pub port: u16,
    pub mode: Mode,
    pub host: Option<String>,
    pub tool: &'static str,
}

/// Prompts end with one of these; a command may follow.
const PROMPT_ENDS: [&str; 4] = ["> ", "$ ", "% ", "# "];
/// How far into a line a prompt may reach.
const MAX_PROMPT_BYTES: usize = 200;

/// The test an echoed command line runs, if the line is one and names a port.
pub(super) fn read(line: &str) -> Option<Echoed> {
    let line = line.trim();
    let after_prompt = PROMPT_ENDS
        .iter()
        .filter_map(|end| line.find(end))
        .filter(|at| *at < MAX_PROMPT_BYTES)
        .min()
        .and_then(|at| line.get(at + 2..));
    [Some(line), after_prompt]
        .into_iter()
        .flatten()
        .find_map(command)
}

fn command(text: &str) -> Option<Echoed> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .collect();
    let first = words.first()?.to_ascii_lowercase();
    // The command itself, or a time limit around it (the script's own `timeout 15 openssl`).
    if !matches!(
        first.as_str(),
        "nc" | "ncat"
            | "netcat"
            | "openssl"
            | "test-netconnection"
            | "tnc"
            | "timeout"
            | "perl"
            | "sudo"
    ) {
        return None;
    }
    if let Some(at) = words
        .windows(2)
        .position(|pair| pair == ["openssl", "s_client"])
    {
        return s_client(&words[at + 2..]);
    }
    match first.as_str() {
        "nc" | "netcat" => netcat(&words[1..], "nc"),
        "ncat" => netcat(&words[1..], "ncat"),
        "test-netconnection" | "tnc" => test_netconnection(&words[1..]),
        _ => None,
    }
}

/// Up to the first shell operator or redirection.
fn arguments<'a>(words: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    words.iter().copied().take_while(|w| {
        !matches!(*w, "&&" | "||" | ";" | "|" | "&")
            && !w.starts_with('<')
            && !w.starts_with('>')
            && !w.starts_with("2>")
            && !w.starts_with("1>")
    })
}

/// `nc -vz -w 5 HOST PORT`: the two words that are neither options nor their values.
fn netcat(words: &[&str], tool: &'static str) -> Option<Echoed> {
    const WITH_VALUE: &[&str] = &[
        "-w",
        "-G",
        "-i",
        "-p",
        "-s",
        "-x",
        "-X",
        "-I",
        "-O",
        "-M",
        "-m",
        "-T",
        "-V",
        "-P",
        "--wait",
        "--source-port",
        "--source",
    ];
    let mut positional = Vec::new();
    let mut args = arguments(words);
    while let Some(word) = args.next() {
        if WITH_VALUE.contains(&word) {
            args.next();
        } else if !word.starts_with('-') {
            positional.push(word);
        }
    }
    let [host, port] = positional[..] else {
        return None;
    };
    Some(Echoed {
        port: port.parse().ok()?,
        mode: Mode::Tcp,
        host: host_word(host),
        tool,
    })
}

/// `openssl s_client [-starttls smtp] -connect HOST:PORT ...`.
fn s_client(words: &[&str]) -> Option<Echoed> {
    let args: Vec<&str> = arguments(words).collect();
    let target = args
        .iter()
        .position(|w| *w == "-connect")
        .and_then(|at| args.get(at + 1))?;
    let (host, port) = target.rsplit_once(':')?;
    let mode = if args.contains(&"-starttls") {
        Mode::Starttls
    } else {
        Mode::Tls
    };
    Some(Echoed {
        port: port.parse().ok()?,
        mode,
        host: host_word(host),
        tool: "openssl",
    })
}

/// `Test-NetConnection [-ComputerName] HOST -Port N`: PowerShell takes any unambiguous
/// prefix of a parameter name, in any case.
fn test_netconnection(words: &[&str]) -> Option<Echoed> {
    let mut host = None;
    let mut port = None;
    let mut args = arguments(words);
    while let Some(word) = args.next() {
        let Some(name) = word.strip_prefix('-').map(str::to_ascii_lowercase) else {
            host = host.or(Some(word));
            continue;
        };
        let is = |full: &str| !name.is_empty() && full.starts_with(name.as_str());
        if is("port") {
            port = args.next();
        } else if is("computername") || name == "cn" || is("remoteaddress") {
            host = args.next();
        } else if !(is("traceroute") || is("diagnoserouting")) {
            args.next();
        }
    }
    Some(Echoed {
        port: port?.parse().ok()?,
        mode: Mode::Tcp,
        host: host.and_then(host_word),
        tool: test_netconnection::TOOL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echoed(line: &str) -> Option<(u16, Mode, Option<String>, &'static str)> {
        read(line).map(|e| (e.port, e.mode, e.host, e.tool))
    }

    #[test]
    fn commands_after_the_usual_prompts() {
        let host = || Some("mail.example.jp".to_owned());
        for (line, want) in [
            (
                "PS C:\\Users\\taro> Test-NetConnection mail.example.jp -Port 25",
                (25, Mode::Tcp, host(), "Test-NetConnection"),
            ),
            (
                "PS C:\\> tnc -ComputerName mail.example.jp -p 587 -InformationLevel Detailed",
                (587, Mode::Tcp, host(), "Test-NetConnection"),
            ),
            (
                "taro@MacBook-Air ~ % nc -vz -G 5 -w 5 mail.example.jp 465",
                (465, Mode::Tcp, host(), "nc"),
            ),
            (
                "taro@pc:~$ openssl s_client -starttls smtp -connect mail.example.jp:587 -servername mail.example.jp",
                (587, Mode::Starttls, host(), "openssl"),
            ),
            (
                "$ timeout 15 openssl s_client -connect [2001:db8::25]:465 </dev/null",
                (465, Mode::Tls, Some("2001:db8::25".into()), "openssl"),
            ),
            (
                "ncat -vz 192.0.2.25 25",
                (25, Mode::Tcp, Some("192.0.2.25".into()), "ncat"),
            ),
        ] {
            assert_eq!(echoed(line), Some(want), "{line}");
        }
    }

    #[test]
    fn the_script_s_own_lines_name_no_host_and_its_loops_no_port() {
        assert_eq!(echoed("  nc -vz -w 5 \"$h\" \"$p\" 2>&1"), None);
        assert_eq!(
            echoed("nc -z -w 5 \"$h\" 587 2>/dev/null && timeout 15 openssl s_client -starttls smtp -connect \"$h:587\" -servername \"$h\" </dev/null 2>&1"),
            Some((587, Mode::Starttls, None, "openssl"))
        );
        assert_eq!(
            echoed("  $r = Test-NetConnection $h -Port $p -WarningAction SilentlyContinue"),
            None
        );
    }

    #[test]
    fn output_and_prose_are_not_commands() {
        for line in [
            "nc: connect to mail.example.jp port 25 (tcp) failed: Connection refused",
            "Connection to mail.example.jp port 25 [tcp/smtp] succeeded!",
            "# nc is netcat",
            "openssl s_client",
            "nc -vz onlyhost",
            "",
        ] {
            assert_eq!(echoed(line), None, "{line}");
        }
    }
}
