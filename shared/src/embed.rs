//! The embeddable widget (`/embed`): who may frame it, and what a host page may preset.
//!
//! ```text
//!  ISP FAQ page ──<iframe src="https://sendcheck…/embed?lang=ja&host=…&accent=%23c00">──▶ worker
//!     ▲                                   │ Content-Security-Policy: frame-ancestors <FrameAncestors>
//!     └── postMessage {type: "sendcheck:height", height} ◀── the page, on every resize
//! ```
//!
//! Both parsers are pure and bounded: the worker reads `EMBED_ALLOWED_ORIGINS` once per
//! request, the page reads its own query string. A preset is only a starting value the person
//! can change; nothing here reaches the probe without the usual request parsing.

use std::fmt;

use crate::target::{Host, MailPort};

/// The message type the widget posts to its parent with its content height in CSS pixels.
pub const HEIGHT_MESSAGE: &str = "sendcheck:height";

/// Longest `EMBED_ALLOWED_ORIGINS` setting accepted (a CSP header must stay small).
const MAX_ORIGINS: usize = 64;

/// The parent pages allowed to frame the widget, as a CSP `frame-ancestors` source list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameAncestors {
    /// Only sendcheck's own pages (the default: a deployment names its partners).
    SelfOnly,
    /// Any page (`*`): the widget holds no session or secret, so a deployment may choose this.
    Anyone,
    /// sendcheck's own pages and these origins (`https://faq.example.jp`).
    Origins(Vec<String>),
}

/// Why `EMBED_ALLOWED_ORIGINS` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginsError {
    /// An entry that is not `scheme://host[:port]` with scheme http or https.
    NotAnOrigin {
        entry: String,
    },
    /// `*` mixed with named origins: say one or the other.
    WildcardWithOthers,
    TooMany {
        limit: usize,
    },
}

impl fmt::Display for OriginsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnOrigin { entry } => write!(
                f,
                "{entry:?} is not an origin (scheme://host[:port], http or https, no path)"
            ),
            Self::WildcardWithOthers => write!(f, "\"*\" allows every origin; list no others"),
            Self::TooMany { limit } => write!(f, "more than {limit} origins"),
        }
    }
}

impl FrameAncestors {
    /// Reads a comma- or space-separated list: empty → [`Self::SelfOnly`], `*` → anyone.
    pub fn parse(setting: &str) -> Result<Self, OriginsError> {
        let entries: Vec<&str> = setting
            .split([',', ' ', '\t', '\n'])
            .filter(|e| !e.is_empty())
            .collect();
        if entries.len() > MAX_ORIGINS {
            return Err(OriginsError::TooMany { limit: MAX_ORIGINS });
        }
        if entries.contains(&"*") {
            return if entries.len() == 1 {
                Ok(Self::Anyone)
            } else {
                Err(OriginsError::WildcardWithOthers)
            };
        }
        if entries.is_empty() {
            return Ok(Self::SelfOnly);
        }
        entries
            .into_iter()
            .map(|entry| {
                parse_origin(entry).ok_or_else(|| OriginsError::NotAnOrigin {
                    entry: entry.chars().take(200).collect(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self::Origins)
    }

    /// The `Content-Security-Policy` header value for the widget.
    pub fn header_value(&self) -> String {
        match self {
            Self::SelfOnly => "frame-ancestors 'self'".to_owned(),
            Self::Anyone => "frame-ancestors *".to_owned(),
            Self::Origins(origins) => format!("frame-ancestors 'self' {}", origins.join(" ")),
        }
    }
}

/// `https://Faq.Example.jp:8443/` → `https://faq.example.jp:8443`; anything that could smuggle
/// another CSP directive (`;`, quotes, spaces, paths) is refused.
fn parse_origin(entry: &str) -> Option<String> {
    let (scheme, rest) = entry.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
            if !host.starts_with('[') && host.contains(':') {
                return None;
            }
            (host, Some(port.parse::<u16>().ok().filter(|p| *p != 0)?))
        }
        _ => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        inner
            .strip_suffix(']')
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
    } else {
        host.parse::<std::net::Ipv4Addr>().is_ok() || crate::target::Hostname::parse(host).is_ok()
    };
    if !host_ok {
        return None;
    }
    let host = host.to_ascii_lowercase();
    Some(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// What a host page may preset through the widget's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedPreset {
    /// `lang=ja|en`.
    pub lang: Option<String>,
    /// `host=mail.example.jp`: the mail server to check.
    pub host: Option<Host>,
    /// `port=587`.
    pub port: Option<MailPort>,
    /// `address=…` or `domain=…`: an address or domain to start from.
    pub address: Option<String>,
    /// `accent=#c00000`: the host page's brand colour, as a CSS hex colour.
    pub accent: Option<String>,
    /// `theme=light|dark`; absent follows the person's system setting.
    pub theme: Option<Theme>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl EmbedPreset {
    /// Reads `?lang=ja&host=…` (with or without the `?`). Unknown keys and values that do not
    /// parse are ignored: a typo in an FAQ page's snippet must not break the widget.
    pub fn from_query(query: &str) -> Self {
        let mut preset = Self::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').take(32) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            let value = value.trim();
            if value.is_empty() || value.len() > 320 {
                continue;
            }
            match key {
                "lang" if matches!(value, "ja" | "en") => preset.lang = Some(value.to_owned()),
                "host" => preset.host = Host::parse(value).ok(),
                "port" => preset.port = value.parse::<u16>().ok().and_then(MailPort::new),
                "address" | "domain" if is_plain_address(value) => {
                    preset.address = Some(value.to_owned())
                }
                "accent" if is_hex_colour(value) => preset.accent = Some(value.to_owned()),
                "theme" => {
                    preset.theme = match value {
                        "light" => Some(Theme::Light),
                        "dark" => Some(Theme::Dark),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        preset
    }
}

/// `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`: safe to put into a CSS custom property.
pub fn is_hex_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Letters, digits and the few punctuation marks of an address or domain; the discovery
/// parses it properly later.
fn is_plain_address(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+'))
}

/// A query value for an address sendcheck makes (`?host=…&address=…`, `/api/discover?address=…`):
/// everything but unreserved characters and `@` percent-encoded. [`EmbedPreset::from_query`]
/// reads it back.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `%XX` and `+` decoding; invalid escapes stay as they are.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_become_a_frame_ancestors_list() {
        assert_eq!(
            FrameAncestors::parse("").unwrap().header_value(),
            "frame-ancestors 'self'"
        );
        assert_eq!(
            FrameAncestors::parse(" * ").unwrap().header_value(),
            "frame-ancestors *"
        );
        let list = FrameAncestors::parse(
            "https://FAQ.example.jp/, http://127.0.0.1:8080 https://[2001:db8::1]:8443",
        )
        .unwrap();
        assert_eq!(
            list.header_value(),
            "frame-ancestors 'self' https://faq.example.jp http://127.0.0.1:8080 https://[2001:db8::1]:8443"
        );
    }

    #[test]
    fn settings_that_could_smuggle_a_directive_are_refused() {
        for bad in [
            "https://a.example;script-src",
            "https://a.example/path",
            "javascript://x",
            "ftp://a.example",
            "https://'self'",
            "https://a.example:0",
            "https://a.example:99999",
            "https://a:b:c",
            "example.jp",
        ] {
            assert!(
                matches!(
                    FrameAncestors::parse(bad),
                    Err(OriginsError::NotAnOrigin { .. })
                ),
                "{bad}"
            );
        }
        assert!(FrameAncestors::parse("https://a.example; script-src *").is_err());
        assert_eq!(
            FrameAncestors::parse("* https://a.example"),
            Err(OriginsError::WildcardWithOthers)
        );
        let many = vec!["https://a.example"; 65].join(",");
        assert_eq!(
            FrameAncestors::parse(&many),
            Err(OriginsError::TooMany { limit: 64 })
        );
    }

    #[test]
    fn a_preset_takes_what_parses_and_ignores_the_rest() {
        let preset = EmbedPreset::from_query(
            "?lang=ja&host=mail.example.jp&port=587&accent=%23c00000&theme=dark&address=taro%40example.jp&x=1",
        );
        assert_eq!(preset.lang.as_deref(), Some("ja"));
        assert_eq!(
            preset.host.map(|h| h.to_string()).as_deref(),
            Some("mail.example.jp")
        );
        assert_eq!(preset.port.map(|p| p.get()), Some(587));
        assert_eq!(preset.accent.as_deref(), Some("#c00000"));
        assert_eq!(preset.theme, Some(Theme::Dark));
        assert_eq!(preset.address.as_deref(), Some("taro@example.jp"));

        let hostile = EmbedPreset::from_query(
            "lang=fr&host=<script>&port=22&accent=red;background:url(x)&theme=neon&address=a%22onload%3D&%ZZ=%",
        );
        assert_eq!(hostile, EmbedPreset::default());
    }

    #[test]
    fn colours_are_hex_only() {
        for good in ["#abc", "#abcd", "#a0b1c2", "#a0b1c2ff"] {
            assert!(is_hex_colour(good), "{good}");
        }
        for bad in ["abc", "#ab", "#ggg", "#a0b1c2f", "red", "#abc;x"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn percent_encoding_reads_back() {
        for value in ["taro+tag@example.jp", "a b&c=d#e", "例え.jp", "%41", ""] {
            assert_eq!(percent_decode(&percent_encode(value)), value, "{value}");
        }
        assert_eq!(percent_encode("taro@example.jp"), "taro@example.jp");
        assert_eq!(percent_encode("a+b c"), "a%2Bb%20c");
    }

    #[test]
    fn percent_decoding_never_panics_on_truncated_escapes() {
        assert_eq!(percent_decode("a%4"), "a%4");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%41%e3%81%82+b"), "Aあ b");
    }
}
