//! A small, bounded pull reader for the simple XML of autoconfig documents: elements,
//! attributes in either quote style, text, comments, the XML declaration and processing
//! instructions, the five predefined entities and character references.
//!
//! Refused rather than half-understood: DOCTYPE (and so every entity definition and its
//! expansion), CDATA sections, undefined entities, mismatched or unclosed tags, more than
//! [`MAX_DEPTH`] levels or [`MAX_ELEMENTS`] elements. A full XML crate would cost the worker
//! size and bring the features that make XML dangerous to read.

use std::fmt;

/// Nesting deeper than this is not an autoconfig document (it nests four levels).
pub const MAX_DEPTH: usize = 16;
/// Elements in one document; a real one has a few dozen.
pub const MAX_ELEMENTS: usize = 4_000;
const MAX_NAME_LEN: usize = 64;
const MAX_ATTRIBUTES: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Start {
        name: String,
        attributes: Vec<(String, String)>,
        /// `<name/>`: no matching end event follows.
        empty: bool,
    },
    End {
        name: String,
    },
    /// Character data with entities decoded (whitespace-only runs included).
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlError {
    /// `<!DOCTYPE`: may define entities; never read.
    Doctype,
    Cdata,
    UnknownEntity {
        name: String,
    },
    Malformed {
        at: usize,
        expected: &'static str,
    },
    Mismatched {
        open: String,
        close: String,
    },
    Unclosed {
        open: String,
    },
    TooDeep,
    TooManyElements,
    /// Text or a second root element outside the root.
    OutsideRoot {
        at: usize,
    },
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Doctype => write!(f, "a DOCTYPE declaration is not accepted"),
            Self::Cdata => write!(f, "CDATA sections are not accepted"),
            Self::UnknownEntity { name } => write!(f, "unknown entity &{name};"),
            Self::Malformed { at, expected } => write!(f, "at byte {at}: expected {expected}"),
            Self::Mismatched { open, close } => write!(f, "<{open}> closed by </{close}>"),
            Self::Unclosed { open } => write!(f, "<{open}> is never closed"),
            Self::TooDeep => write!(f, "elements nest deeper than {MAX_DEPTH} levels"),
            Self::TooManyElements => write!(f, "more than {MAX_ELEMENTS} elements"),
            Self::OutsideRoot { at } => write!(f, "at byte {at}: content outside the root element"),
        }
    }
}

pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    open: Vec<String>,
    elements: usize,
    root_done: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text: text.strip_prefix('\u{feff}').unwrap_or(text),
            at: 0,
            open: Vec::new(),
            elements: 0,
            root_done: false,
        }
    }

    /// The next event; `Ok(None)` at the end of a well-formed document.
    pub fn next_event(&mut self) -> Result<Option<Event>, XmlError> {
        loop {
            let rest = &self.text[self.at..];
            if rest.is_empty() {
                return match self.open.pop() {
                    Some(open) => Err(XmlError::Unclosed { open }),
                    None if self.root_done => Ok(None),
                    None => Err(self.malformed("a root element")),
                };
            }
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").ok_or_else(|| self.malformed("-->"))?;
                self.at += 4 + end + 3;
                continue;
            }
            if rest.starts_with("<?") {
                let end = rest.find("?>").ok_or_else(|| self.malformed("?>"))?;
                self.at += end + 2;
                continue;
            }
            if rest.starts_with("<![CDATA[") {
                return Err(XmlError::Cdata);
            }
            if rest.starts_with("<!") {
                return Err(XmlError::Doctype);
            }
            if let Some(after) = rest.strip_prefix("</") {
                return self.end_tag(after).map(Some);
            }
            if rest.starts_with('<') {
                return self.start_tag().map(Some);
            }
            let len = rest.find('<').unwrap_or(rest.len());
            let raw = &rest[..len];
            let start = self.at;
            self.at += len;
            if self.open.is_empty() {
                if raw.trim().is_empty() {
                    continue;
                }
                return Err(XmlError::OutsideRoot { at: start });
            }
            return decode(raw).map(|t| Some(Event::Text(t)));
        }
    }

    fn start_tag(&mut self) -> Result<Event, XmlError> {
        if self.root_done {
            return Err(XmlError::OutsideRoot { at: self.at });
        }
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(XmlError::TooManyElements);
        }
        self.at += 1;
        let name = self.name()?;
        let mut attributes = Vec::new();
        loop {
            self.skip_blanks();
            let rest = &self.text[self.at..];
            if rest.starts_with("/>") {
                self.at += 2;
                self.root_done = self.open.is_empty();
                return Ok(Event::Start {
                    name,
                    attributes,
                    empty: true,
                });
            }
            if rest.starts_with('>') {
                self.at += 1;
                if self.open.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                self.open.push(name.clone());
                return Ok(Event::Start {
                    name,
                    attributes,
                    empty: false,
                });
            }
            if attributes.len() >= MAX_ATTRIBUTES {
                return Err(self.malformed("'>' (too many attributes)"));
            }
            let key = self.name()?;
            self.skip_blanks();
            if !self.text[self.at..].starts_with('=') {
                return Err(self.malformed("'='"));
            }
            self.at += 1;
            self.skip_blanks();
            let quote = match self.text[self.at..].chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err(self.malformed("a quoted attribute value")),
            };
            self.at += 1;
            let rest = &self.text[self.at..];
            let len = rest
                .find(quote)
                .ok_or_else(|| self.malformed("a closing quote"))?;
            let raw = &rest[..len];
            if raw.contains('<') {
                return Err(self.malformed("no '<' in an attribute value"));
            }
            attributes.push((key, decode(raw)?));
            self.at += len + 1;
        }
    }

    fn end_tag(&mut self, after: &str) -> Result<Event, XmlError> {
        let end = after.find('>').ok_or_else(|| self.malformed("'>'"))?;
        let close = after[..end].trim_end().to_owned();
        self.at += 2 + end + 1;
        match self.open.pop() {
            Some(open) if open == close => {
                self.root_done = self.open.is_empty();
                Ok(Event::End { name: close })
            }
            Some(open) => Err(XmlError::Mismatched { open, close }),
            None => Err(XmlError::OutsideRoot { at: self.at }),
        }
    }

    fn name(&mut self) -> Result<String, XmlError> {
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_:.-".contains(c)))
            .unwrap_or(rest.len());
        if len == 0
            || len > MAX_NAME_LEN
            || !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            return Err(self.malformed("a name"));
        }
        self.at += len;
        Ok(rest[..len].to_owned())
    }

    fn skip_blanks(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn malformed(&self, expected: &'static str) -> XmlError {
        XmlError::Malformed {
            at: self.at,
            expected,
        }
    }
}

/// Replaces the predefined entities and character references; anything else is refused.
fn decode(raw: &str) -> Result<String, XmlError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .get(..12.min(after.len()))
            .and_then(|window| window.find(';'))
            .ok_or_else(|| XmlError::UnknownEntity {
                name: after.chars().take(12).collect(),
            })?;
        let name = &after[..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        out.push(ch.ok_or_else(|| XmlError::UnknownEntity {
            name: name.to_owned(),
        })?);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Result<Vec<Event>, XmlError> {
        let mut reader = Reader::new(text);
        let mut all = Vec::new();
        while let Some(e) = reader.next_event()? {
            all.push(e);
        }
        Ok(all)
    }

    fn start(name: &str, attributes: &[(&str, &str)], empty: bool) -> Event {
        Event::Start {
            name: name.into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            empty,
        }
    }

    #[test]
    fn elements_attributes_text_and_entities() {
        assert_eq!(
            events("\u{feff}<?xml version='1.0'?><a x=\"1&amp;2\" y = 'it&apos;s'><!-- c --><b/>t&lt;&#x41;&#66;</a>\n"),
            Ok(vec![
                start("a", &[("x", "1&2"), ("y", "it's")], false),
                start("b", &[], true),
                Event::Text("t<AB".into()),
                Event::End { name: "a".into() },
            ])
        );
    }

    #[test]
    fn dangerous_or_unsupported_constructs_are_refused() {
        let billion_laughs =
            r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>"#;
        assert_eq!(events(billion_laughs), Err(XmlError::Doctype));
        assert_eq!(events("<a><![CDATA[x]]></a>"), Err(XmlError::Cdata));
        assert_eq!(
            events("<a>&lol;</a>"),
            Err(XmlError::UnknownEntity { name: "lol".into() })
        );
        assert!(matches!(
            events("<a>&amp</a>"),
            Err(XmlError::UnknownEntity { .. })
        ));
        assert!(matches!(
            events("<a>&#xD800;</a>"),
            Err(XmlError::UnknownEntity { .. })
        ));
    }

    #[test]
    fn broken_structure_is_named() {
        assert_eq!(
            events("<a><b></a>"),
            Err(XmlError::Mismatched {
                open: "b".into(),
                close: "a".into()
            })
        );
        assert_eq!(
            events("<a><b>"),
            Err(XmlError::Unclosed { open: "b".into() })
        );
        assert!(matches!(events("</a>"), Err(XmlError::OutsideRoot { .. })));
        assert!(matches!(
            events("<a/><b/>"),
            Err(XmlError::OutsideRoot { .. })
        ));
        assert!(matches!(
            events("junk<a/>"),
            Err(XmlError::OutsideRoot { .. })
        ));
        assert!(matches!(events(""), Err(XmlError::Malformed { .. })));
        assert!(matches!(
            events("<a x=1/>"),
            Err(XmlError::Malformed { .. })
        ));
        assert!(matches!(
            events("<a x='1/>"),
            Err(XmlError::Malformed { .. })
        ));
        assert!(matches!(
            events("<a x='<'/>"),
            Err(XmlError::Malformed { .. })
        ));
        assert!(matches!(events("<1a/>"), Err(XmlError::Malformed { .. })));
        assert!(matches!(
            events("<a><!-- never closed </a>"),
            Err(XmlError::Malformed { .. })
        ));
    }

    #[test]
    fn depth_and_count_are_bounded() {
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(events(&deep), Err(XmlError::TooDeep));
        let wide = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS));
        assert_eq!(events(&wide), Err(XmlError::TooManyElements));
        let fine = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS - 1));
        assert_eq!(events(&fine).map(|e| e.len()), Ok(MAX_ELEMENTS + 1));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // Every prefix of a document, cut at each character boundary: an error or events,
        // never a panic or a slice on a non-boundary.
        let doc = "<?xml?><clientConfig a='ü&amp;'><x>日本&#x3042;</x><!-- é --></clientConfig>";
        for (i, _) in doc.char_indices() {
            let _ = events(&doc[..i]);
        }
        for junk in [
            "<",
            "<a",
            "<a ",
            "<a x",
            "<a x=",
            "</",
            "<!",
            "<?",
            "&",
            "<a>&",
            "<a>&#;</a>",
            "<a>&#x;</a>",
        ] {
            assert!(events(junk).is_err(), "{junk:?}");
        }
    }
}
