//! Free text a family reads, written once or in each of its languages.
//!
//! A record may give a family-facing element (what a consent asks, an
//! outcome, a service's name, a relationship) as plain text, taken to be in
//! the case's language, or as a mapping of language codes to text:
//!
//! ```yaml
//! relationship: {es: madre, en: mother}
//! ```
//!
//! A document prints the text in its own language where the record gives
//! it, else in the case's language, else the first the record gives: a
//! record that gives only one prints it as written (and `validate` says
//! which elements a document's language lacks, see [`Text::lacks`]).
//!
//! Which language a document is being written in is set for the thread
//! while its context is serialized ([`in_language`]); outside that, text
//! serializes as the record first gives it.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// Written once, in the case's language.
    Plain(String),
    /// By language code, in the order the record gives them.
    Languages(Vec<(String, String)>),
}

/// The language a document is written in and its case's language.
struct Scope {
    document: String,
    case: String,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `work` with text serializing in `document`'s language (falling back
/// to `case`'s): what a document's context is serialized inside.
pub fn in_language<T>(document: &str, case: &str, work: impl FnOnce() -> T) -> T {
    struct Reset(Option<Scope>);
    impl Drop for Reset {
        fn drop(&mut self) {
            SCOPE.with(|s| *s.borrow_mut() = self.0.take());
        }
    }
    let scope = Scope {
        document: document.to_string(),
        case: case.to_string(),
    };
    let _reset = Reset(SCOPE.with(|s| s.borrow_mut().replace(scope)));
    work()
}

impl Text {
    /// The text in `lang`, if the record gives it in that language; plain
    /// text counts as the case's language, `case`.
    pub fn get(&self, lang: &str, case: &str) -> Option<&str> {
        match self {
            Text::Plain(s) => (lang == case).then_some(s.as_str()),
            Text::Languages(by) => by.iter().find(|(l, _)| l == lang).map(|(_, s)| s.as_str()),
        }
    }

    /// The text as a document in `lang` prints it: in `lang`, else in the
    /// case's language, else the first given.
    pub fn for_document<'a>(&'a self, lang: &'a str, case: &'a str) -> &'a str {
        self.resolve(lang, case).1
    }

    /// The text a document in `lang` prints, with the language it is in.
    fn resolve<'a>(&'a self, lang: &'a str, case: &'a str) -> (&'a str, &'a str) {
        match self {
            Text::Plain(s) => (case, s),
            Text::Languages(by) => by
                .iter()
                .find(|(l, _)| l == lang)
                .or_else(|| by.iter().find(|(l, _)| l == case))
                .or_else(|| by.first())
                .map_or((case, ""), |(l, s)| (l.as_str(), s.as_str())),
        }
    }

    /// Text written once is marked as written in `lang` (text of a file
    /// that is not the case's, such as the program file).
    pub fn written_in(&mut self, lang: &str) {
        if let Text::Plain(s) = self {
            *self = Text::Languages(vec![(lang.to_string(), std::mem::take(s))]);
        }
    }

    /// Every text the record gives, in each of its languages.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let (plain, by) = match self {
            Text::Plain(s) => (Some(s.as_str()), &[][..]),
            Text::Languages(by) => (None, by.as_slice()),
        };
        plain.into_iter().chain(by.iter().map(|(_, s)| s.as_str()))
    }

    /// Whether any of its languages' text contains `words` (ignoring case).
    pub fn mentions(&self, words: &str) -> bool {
        let words = words.to_lowercase();
        self.texts().any(|t| t.to_lowercase().contains(&words))
    }

    /// Whether the text is written once, without naming its language.
    pub fn is_plain(&self) -> bool {
        matches!(self, Text::Plain(_))
    }

    /// The text as the record first gives it: what messages quote.
    pub fn first(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Languages(by) => by.first().map(|(_, s)| s.as_str()).unwrap_or_default(),
        }
    }

    /// Whether a document in `lang` has to print this in another language.
    pub fn lacks(&self, lang: &str, case: &str) -> bool {
        self.get(lang, case).is_none()
    }

    /// The language codes the record gives, for messages (`case` for
    /// plain text).
    pub fn languages<'a>(&'a self, case: &'a str) -> Vec<&'a str> {
        match self {
            Text::Plain(_) => vec![case],
            Text::Languages(by) => by.iter().map(|(l, _)| l.as_str()).collect(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_string())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.first())
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        matches!(self, Text::Plain(s) if s == other)
    }
}

/// Text printed in a language other than its document's is marked with its
/// language (`OPEN` code `SEP` text `CLOSE`), so the escaper sets it in that
/// language (its hyphenation and line-breaking rules, and the PDF's
/// language tag) instead of the document's. Records cannot hold these
/// private-use characters (validation refuses them), so a mark only ever
/// comes from here.
pub const OPEN: char = '\u{E000}';
pub const SEP: char = '\u{E001}';
pub const CLOSE: char = '\u{E002}';

/// `text` marked as being in `lang`.
pub fn marked(lang: &str, text: &str) -> String {
    format!("{OPEN}{lang}{SEP}{text}{CLOSE}")
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SCOPE.with(|scope| match &*scope.borrow() {
            Some(Scope { document, case }) => match self.resolve(document, case) {
                (lang, text) if lang == document => serializer.serialize_str(text),
                (lang, text) => serializer.serialize_str(&marked(lang, text)),
            },
            None => serializer.serialize_str(self.first()),
        })
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text, or a mapping of language codes to text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut by = Vec::new();
                while let Some((lang, text)) = map.next_entry::<String, String>()? {
                    by.push((lang, text));
                }
                Ok(Text::Languages(by))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `text` with its first letter a capital ("once signed" -> "Once signed").
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Text, in_language};

    fn both() -> Text {
        Text::Languages(vec![
            ("es".into(), "madre".into()),
            ("en".into(), "mother".into()),
        ])
    }

    #[test]
    fn a_document_prints_its_language_else_the_cases_else_the_first() {
        assert_eq!(both().for_document("en", "es"), "mother");
        assert_eq!(both().for_document("es", "en"), "madre");
        assert_eq!(both().for_document("fr", "en"), "mother");
        let only_es = Text::Languages(vec![("es".into(), "madre".into())]);
        assert_eq!(only_es.for_document("en", "en"), "madre");
        let plain = Text::from("mother");
        assert_eq!(plain.for_document("es", "en"), "mother");
        assert_eq!(plain.get("en", "en"), Some("mother"));
        assert_eq!(plain.get("es", "en"), None);
    }

    #[test]
    fn what_a_documents_language_lacks() {
        assert!(!both().lacks("en", "es"));
        assert!(both().lacks("fr", "es"));
        assert!(Text::from("mother").lacks("es", "en"));
        assert!(!Text::from("mother").lacks("en", "en"));
        assert_eq!(both().languages("en"), ["es", "en"]);
        assert_eq!(Text::from("x").languages("en"), ["en"]);
    }

    #[test]
    fn text_serializes_in_the_scopes_language_and_the_scope_ends() {
        let json = || serde_json::to_string(&both()).unwrap();
        assert_eq!(json(), "\"madre\"");
        assert_eq!(in_language("en", "es", json), "\"mother\"");
        let nested = in_language("en", "es", || in_language("es", "es", json) + &json());
        assert_eq!(nested, "\"madre\"\"mother\"");
        assert_eq!(json(), "\"madre\"");
        // Printed in another language than the document's: marked with it.
        let plain = || serde_json::to_string(&Text::from("mother")).unwrap();
        assert_eq!(
            in_language("es", "en", plain),
            format!("\"{}\"", super::marked("en", "mother"))
        );
        assert_eq!(in_language("en", "en", plain), "\"mother\"");
        let only_es = Text::Languages(vec![("es".into(), "madre".into())]);
        let only = || serde_json::to_string(&only_es).unwrap();
        assert_eq!(
            in_language("en", "en", only),
            format!("\"{}\"", super::marked("es", "madre"))
        );
    }

    #[test]
    fn records_give_text_plain_or_by_language_in_their_order() {
        let plain: Text = serde_json::from_str("\"mother\"").unwrap();
        assert_eq!(plain, Text::from("mother"));
        let by: Text = serde_json::from_str(r#"{"es": "madre", "en": "mother"}"#).unwrap();
        assert_eq!(by, both());
        assert!(serde_json::from_str::<Text>("3").is_err());
    }
}
