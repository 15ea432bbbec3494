//! Host names as Japanese input methods produce them: full-width letters and digits
//! (ｍａｉｌ．ｅｘａｍｐｌｅ．ｊｐ), the ideographic full stop (。), and internationalised names
//! (日本語.jp), turned into the ASCII a resolver and a certificate know (`xn--wgv71a119e.jp`).
//!
//! Only the part of Unicode normalisation (NFKC) that input methods produce for host names is
//! folded here — the full-width ASCII block and the ideographic stops; labels that stay
//! non-ASCII are lower-cased and Punycode-encoded (RFC 3492, RFC 5891 §4.4). The `idna` crate
//! does the whole of UTS #46, but its Unicode tables would ride in the page's first download
//! for the sake of scripts no Japanese host field receives.

use std::borrow::Cow;

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII, the ideographic and half-width ideographic full
/// stops to `.`, the ideographic space to a space: NFKC's answer for each.
pub fn fold_width(input: &str) -> Cow<'_, str> {
    if input.is_ascii() {
        return Cow::Borrowed(input);
    }
    Cow::Owned(
        input
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3002}' | '\u{FF61}' => '.',
                '\u{3000}' => ' ',
                other => other,
            })
            .collect(),
    )
}

/// One label in its ASCII form: as it is when ASCII, else `xn--` and its Punycode. `None`
/// when the label holds something no host name may (a symbol, a space, a control character).
pub fn label_to_ascii(label: &str) -> Option<String> {
    if label.is_ascii() {
        return Some(label.to_owned());
    }
    // ASCII letters lower-cased; Japanese has no case. Unicode's case and letter tables would
    // cost the page's first load about 7 KB gzip, so what is refused is listed instead.
    let lower: Vec<char> = label.chars().map(|c| c.to_ascii_lowercase()).collect();
    if !lower.iter().all(|&c| allowed_in_label(c)) {
        return None;
    }
    punycode(&lower).map(|encoded| format!("xn--{encoded}"))
}

/// Letters, digits, `-` and any character outside the blocks of punctuation, symbols,
/// spaces, controls, private use and emoji (IDNA 2008 refuses those; letters of every script,
/// kana and kanji pass).
fn allowed_in_label(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-';
    }
    !matches!(c,
        '\u{0080}'..='\u{00BF}'
        | '\u{00D7}'
        | '\u{00F7}'
        | '\u{2000}'..='\u{2BFF}'
        | '\u{3000}'..='\u{3004}'
        | '\u{3007}'..='\u{3020}'
        | '\u{3030}'
        | '\u{303D}'
        | '\u{30FB}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{FE10}'..='\u{FE6F}'
        | '\u{FF00}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FFF0}'..='\u{FFFF}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{E0000}'..='\u{10FFFF}')
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// RFC 3492 §6.3, with every step checked for overflow (`None` then).
fn punycode(input: &[char]) -> Option<String> {
    let mut output: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = u32::try_from(output.len()).ok()?;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let total = u32::try_from(input.len()).ok()?;
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while handled < total {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t))?);
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q)?);
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> Option<char> {
    match d {
        0..=25 => char::from_u32(u32::from(b'a') + d),
        26..=35 => char::from_u32(u32::from(b'0') + d - 26),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3492_and_japanese_domain_vectors() {
        // RFC 3492 §7.1 (L) Japanese: "3年B組金八先生"
        assert_eq!(
            label_to_ascii("3年B組金八先生").as_deref(),
            Some("xn--3b-ww4c5e180e575a65lsy2b")
        );
        // JPRS's example domain 日本語.jp
        assert_eq!(label_to_ascii("日本語").as_deref(), Some("xn--wgv71a119e"));
        assert_eq!(label_to_ascii("例え").as_deref(), Some("xn--r8jz45g"));
        assert_eq!(label_to_ascii("mail").as_deref(), Some("mail"));
        assert_eq!(label_to_ascii("メール☆"), None);
        assert_eq!(
            label_to_ascii("メール・サーバー"),
            None,
            "the katakana middle dot"
        );
        assert_eq!(label_to_ascii("お知らせ🎉"), None);
        assert_eq!(
            label_to_ascii("a b"),
            Some("a b".into()),
            "ASCII is checked elsewhere"
        );
    }

    #[test]
    fn full_width_input_folds_to_ascii() {
        assert_eq!(
            fold_width("ｍａｉｌ．ｅｘａｍｐｌｅ。ｊｐ"),
            "mail.example.jp"
        );
        assert_eq!(
            fold_width("ＳＭＴＰ．ＥＸＡＭＰＬＥ．ＣＯＭ"),
            "SMTP.EXAMPLE.COM"
        );
        assert_eq!(fold_width("１９２．０．２．７"), "192.0.2.7");
        assert_eq!(
            fold_width("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
            "taro@example.jp"
        );
        assert!(matches!(fold_width("plain"), Cow::Borrowed(_)));
    }
}
