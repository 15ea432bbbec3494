//! Certificate names as the tools print them, rewritten in the one form sendcheck's outside
//! probe reports (`tls::certificate::render_name`): CN first, then the other attributes most
//! specific first, `LABEL=value` joined by `, `. The diagnosis compares the two, so the same
//! certificate must read the same whichever tool showed it:
//!
//! ```text
//! OpenSSL 3.0   C = JP, O = \E6\A0\AA..., CN = mail.example.jp   (DER order, UTF-8 as \XX)
//! OpenSSL 3.2+  C=JP, O=株式会社例示, CN=mail.example.jp
//! LibreSSL      /C=JP/O=Example/CN=mail.example.jp                (macOS)
//! .NET          CN=mail.example.jp, O=Example, C=JP               (most specific first)
//!   ──▶         CN=mail.example.jp, O=株式会社例示, C=JP
//! ```

/// The order a tool prints a name's attributes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// As encoded, country first: OpenSSL, LibreSSL.
    AsEncoded,
    /// Reversed, CN first: .NET's `X509Certificate2.Issuer` / `.Subject`.
    MostSpecificFirst,
}

/// Longest value kept, as the outside probe's report does.
const MAX_VALUE_CHARS: usize = 256;
/// Longest name read at all.
const MAX_NAME_BYTES: usize = 4096;

/// The canonical form of a printed name, or `None` if no `LABEL=value` was found in it.
pub(super) fn canonical(printed: &str, order: Order) -> Option<String> {
    let printed = printed.trim();
    if printed.len() > MAX_NAME_BYTES {
        return None;
    }
    let mut attributes = if printed.starts_with('/') {
        slash_separated(printed)
    } else {
        comma_separated(printed)
    };
    if attributes.is_empty() {
        return None;
    }
    if order == Order::AsEncoded {
        attributes.reverse();
    }
    attributes.sort_by_key(|(label, _)| label != "CN");
    Some(
        attributes
            .iter()
            .map(|(label, value)| format!("{label}={value}"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// `/C=JP/O=Example/CN=x`: old OpenSSL and LibreSSL. A `/` inside a value is not escaped
/// there, so a part without `=` belongs to the value before it (`O=Avast Web/Mail Shield`).
fn slash_separated(printed: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in printed.split('/').skip(1) {
        match part.split_once('=') {
            Some((label, value)) if is_label(label) => {
                out.push((label_for(label), clean(value.as_bytes())));
            }
            _ => {
                if let Some((_, value)) = out.last_mut() {
                    value.push('/');
                    value.push_str(&clean(part.as_bytes()));
                }
            }
        }
    }
    out
}

/// `C = JP, O = "Foo, Inc.", CN = x` (OpenSSL), `CN=x, O="Foo, Inc."` (.NET), multi-valued
/// parts joined by `+`. Quotes and backslash escapes (`\,`, `\E6`) are honoured.
fn comma_separated(printed: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = printed;
    while !rest.is_empty() {
        let (part, after) = split_top_level(rest);
        rest = after;
        let Some((label, value)) = part.split_once('=') else {
            continue;
        };
        if !is_label(label.trim()) {
            continue;
        }
        out.push((label_for(label.trim()), unescape(value.trim())));
    }
    out
}

/// The first part up to a `,` or `+` outside quotes and escapes, and what follows it.
fn split_top_level(text: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ',' | '+' if !quoted => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    (text, "")
}

/// A value without its quotes, `\XX` hex pairs as bytes (OpenSSL writes UTF-8 that way),
/// `\c` as `c`, `""` inside quotes as `"` (.NET).
fn unescape(value: &str) -> String {
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .map(|v| v.replace("\"\"", "\""));
    let value = inner.as_deref().unwrap_or(value);
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
                .and_then(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
            if let Some(&next) = bytes.get(i + 1) {
                out.push(next);
                i += 2;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    clean(&out)
}

/// UTF-8 (lossy), control characters replaced, bounded: as the outside report shows values.
fn clean(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .trim()
        .chars()
        .take(MAX_VALUE_CHARS)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 64
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// The outside report's label for an attribute, whatever a tool calls it.
fn label_for(label: &str) -> String {
    let label = label.strip_prefix("OID.").unwrap_or(label);
    let known = match label.to_ascii_uppercase().as_str() {
        "CN" | "COMMONNAME" => "CN",
        "C" | "COUNTRYNAME" => "C",
        "L" | "LOCALITYNAME" => "L",
        "ST" | "S" | "STATEORPROVINCENAME" => "ST",
        "STREET" | "STREETADDRESS" => "STREET",
        "O" | "ORGANIZATIONNAME" => "O",
        "OU" | "ORGANIZATIONALUNITNAME" => "OU",
        "E" | "EMAIL" | "EMAILADDRESS" => "emailAddress",
        "DC" | "DOMAINCOMPONENT" => "DC",
        "SERIALNUMBER" => "serialNumber",
        _ => return label.to_owned(),
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_s_form_reads_the_same() {
        let want = "CN=mail.example.test, O=株式会社例示, C=JP";
        for (printed, order) in [
            // OpenSSL 3.0 (s_client_tls_ok.txt).
            (
                "C = JP, O = \\E6\\A0\\AA\\E5\\BC\\8F\\E4\\BC\\9A\\E7\\A4\\BE\\E4\\BE\\8B\\E7\\A4\\BA, CN = mail.example.test",
                Order::AsEncoded,
            ),
            ("C=JP, O=株式会社例示, CN=mail.example.test", Order::AsEncoded),
            ("/C=JP/O=株式会社例示/CN=mail.example.test", Order::AsEncoded),
            ("CN=mail.example.test, O=株式会社例示, C=JP", Order::MostSpecificFirst),
        ] {
            assert_eq!(canonical(printed, order).as_deref(), Some(want), "{printed}");
        }
    }

    #[test]
    fn cn_comes_first_even_when_it_is_not_the_most_specific() {
        assert_eq!(
            canonical(
                "O = Norton, OU = generated by Norton Security for SSL scanning, CN = Norton Security Scan",
                Order::AsEncoded
            )
            .as_deref(),
            Some("CN=Norton Security Scan, OU=generated by Norton Security for SSL scanning, O=Norton")
        );
    }

    #[test]
    fn quotes_escapes_and_slashes_inside_values_survive() {
        assert_eq!(
            canonical("C = US, O = \"Foo, Inc.\", CN = a\\+b", Order::AsEncoded).as_deref(),
            Some("CN=a+b, O=Foo, Inc., C=US")
        );
        assert_eq!(
            canonical("CN=x, O=\"Say \"\"hi\"\"\"", Order::MostSpecificFirst).as_deref(),
            Some("CN=x, O=Say \"hi\"")
        );
        assert_eq!(
            canonical(
                "/C=CZ/O=Avast Web/Mail Shield/CN=Avast Web/Mail Shield Root",
                Order::AsEncoded
            )
            .as_deref(),
            Some("CN=Avast Web/Mail Shield Root, O=Avast Web/Mail Shield, C=CZ")
        );
    }

    #[test]
    fn other_tools_labels_map_to_the_report_s() {
        assert_eq!(
            canonical(
                "E=a@b.jp, S=Tokyo, OID.1.2.3=x, CN=y",
                Order::MostSpecificFirst
            )
            .as_deref(),
            Some("CN=y, emailAddress=a@b.jp, ST=Tokyo, 1.2.3=x")
        );
    }

    #[test]
    fn text_without_a_name_is_none() {
        assert_eq!(canonical("", Order::AsEncoded), None);
        assert_eq!(
            canonical("no peer certificate available", Order::AsEncoded),
            None
        );
        assert_eq!(canonical(&"C=a, ".repeat(2000), Order::AsEncoded), None);
        assert_eq!(canonical("\\", Order::AsEncoded), None);
        assert_eq!(
            canonical("CN=\\", Order::AsEncoded).as_deref(),
            Some("CN=\\")
        );
    }
}
