//! Record text to Typst, so that it can only ever print as itself.
//!
//! Every value from a record is written into the generated Typst markup as a
//! string literal in an embedded expression, `#"..."`, closed by `;`. Inside a
//! string literal Typst interprets nothing but `\` escapes, so markup (`*`,
//! `_`, `$`, `@`, `<label>`, `//`, `=`), code (`#read(..)`, `#import`) and
//! brackets all print literally; the `;` ends the expression so that text the
//! template puts right after it (`.`, `(`, `[`) cannot continue it as a field
//! access or call. The only characters that need escaping in the literal are
//! `\` and `"`; control characters are written as `\u{..}` escapes.
//!
//! Right-to-left text is also isolated from its surroundings, so that what a
//! value holds cannot reorder the text beside it, and a word too long for a
//! line is given places to break, so that it wraps instead of running off
//! the page.

use std::fmt::Write;

use crate::model::text::{CLOSE, OPEN, SEP};

/// Writes `text` as a Typst markup fragment that displays exactly `text`.
/// Text with right-to-left script or directional controls is isolated from
/// what surrounds it (see `isolated`).
pub fn typst_text(text: &str) -> String {
    if text.contains(OPEN) {
        return in_languages(text);
    }
    let text = breakable(text);
    let literal = match needs_isolation(&text) {
        true => typst_string(&isolated(&text)),
        false => typst_string(&text),
    };
    format!("#{literal};")
}

/// Most characters (graphemes) a word prints with no place to break. The
/// narrowest column of the documents holds about 30 at 9 points; a real
/// word is shorter, a web address breaks at its slashes.
const LONGEST_UNBROKEN: usize = 30;

/// How often a longer word may break: short pieces fill each line.
const PIECE: usize = 10;

/// The text, with a zero-width space (a place to break a line, printing
/// nothing) after every [`PIECE`] characters of a word longer than
/// [`LONGEST_UNBROKEN`]: Typst breaks lines only where Unicode allows, so a
/// word longer than a line (a pasted identifier, a key held down) would
/// otherwise be cut at the edge of its column, and a very long one fail
/// the PDF's limits. A character and its combining marks are never parted.
fn breakable(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    let breaks = |g: &str| {
        g.chars()
            .any(|c| c.is_whitespace() || BREAKS_AFTER.contains(&c))
    };
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    // Each word: its graphemes, up to and with the one it may break after.
    let words = graphemes.split_inclusive(|g| breaks(g));
    // A word's letters: without the space or hyphen that ends it.
    let letters = |word: &[&str]| word.len() - usize::from(word.last().is_some_and(|g| breaks(g)));
    if words.clone().all(|w| letters(w) <= LONGEST_UNBROKEN) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for word in words {
        let n = letters(word);
        for (i, g) in word.iter().enumerate() {
            if n > LONGEST_UNBROKEN && i > 0 && i < n && i % PIECE == 0 {
                out.push(ZWSP);
            }
            out.push_str(g);
        }
    }
    out.into()
}

/// Zero-width space: a place to break a line that prints nothing.
const ZWSP: char = '\u{200b}';

/// Characters after which Unicode already lets a line break inside a word.
const BREAKS_AFTER: &[char] = &['-', '/', ZWSP, '\u{2010}', '\u{2013}', '\u{2014}'];

/// First strong isolate and pop directional isolate (Unicode bidi).
/// Text holding parts marked with their language (see `model::text`):
/// each marked part set in its language, the rest as usual.
fn in_languages(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let (before, marked) = rest.split_at(start);
        if !before.is_empty() {
            out.push_str(&typst_text(before));
        }
        let marked = &marked[OPEN.len_utf8()..];
        let end = marked.find(CLOSE).unwrap_or(marked.len());
        let (part, after) = marked.split_at(end);
        let (lang, words) = part.split_once(SEP).unwrap_or(("", part));
        let words = words.replace([OPEN, SEP, CLOSE], "");
        let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
        let body = typst_text(&words);
        let body = body.trim_start_matches('#').trim_end_matches(';');
        match lang_ok {
            true => {
                let _ = write!(out, "#text(lang: {}, {body});", typst_string(lang));
            }
            false => out.push_str(&typst_text(&words)),
        }
        rest = after.get(CLOSE.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push_str(&typst_text(rest));
    }
    out
}

/// Text without the language marks: for a Typst string in code (metadata).
pub fn unmarked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            OPEN => in_code = true,
            SEP => in_code = false,
            CLOSE => {}
            c if !in_code => out.push(c),
            _ => {}
        }
    }
    out
}

const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';
/// Pop directional formatting, closing an embedding or override.
const PDF: char = '\u{202C}';

/// Whether text can change the direction of the text around it: it holds
/// right-to-left letters (the Arabic letter mark among them) or explicit
/// directional controls.
fn needs_isolation(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF
            | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
            | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
    })
}

/// The text as a directional isolate (as HTML's `<bdi>` does): its
/// direction comes from its first strong letter, it does not reorder the
/// label or date beside it, and an override it opens (U+202E, copied from
/// somewhere) ends with it instead of reversing the rest of the line.
/// Embeddings, overrides and isolates it leaves open are closed; closers
/// that close nothing of its own are dropped, since they would otherwise
/// close the isolate early. Only invisible controls are added or dropped.
fn isolated(text: &str) -> String {
    #[derive(PartialEq)]
    enum Open {
        Embedding,
        Isolate,
    }
    let mut out = String::with_capacity(text.len() + 12);
    out.push(FSI);
    let mut open = Vec::new();
    for c in text.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push(Open::Embedding),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(Open::Isolate),
            PDF => {
                if open.last() != Some(&Open::Embedding) {
                    continue;
                }
                open.pop();
            }
            PDI => {
                // Closes the innermost isolate and the embeddings inside it.
                let Some(at) = open.iter().rposition(|o| *o == Open::Isolate) else {
                    continue;
                };
                open.truncate(at);
            }
            _ => {}
        }
        out.push(c);
    }
    for o in open.iter().rev() {
        out.push(match o {
            Open::Embedding => PDF,
            Open::Isolate => PDI,
        });
    }
    out.push(PDI);
    out
}

/// Writes `text` as a Typst string literal, `"..."`, for places where the
/// template needs a value in code (an argument such as the document language).
pub fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::typst_text;

    #[test]
    fn a_word_longer_than_a_line_gets_a_place_to_break_every_ten_characters() {
        use super::breakable;
        let thirty = "a".repeat(30);
        assert_eq!(breakable(&thirty), thirty, "a word of thirty is kept");
        let ten = "a".repeat(10);
        assert_eq!(
            breakable(&format!("{thirty}b")),
            format!("{ten}\u{200b}{ten}\u{200b}{ten}\u{200b}b")
        );
        assert_eq!(
            breakable(&format!("x {thirty}bb y")),
            format!("x {ten}\u{200b}{ten}\u{200b}{ten}\u{200b}bb y"),
            "only the long word"
        );
        // A word of thirty beside a longer one is kept; no break is added
        // before the space that ends a long word.
        let forty = "c".repeat(40);
        assert_eq!(
            breakable(&format!("{thirty} {forty} x")),
            format!(
                "{thirty} {0}\u{200b}{0}\u{200b}{0}\u{200b}{0} x",
                "c".repeat(10)
            )
        );
        // Words between spaces and after hyphens and slashes count afresh.
        let words = format!("{thirty} {thirty}-{thirty}/{thirty}");
        assert_eq!(breakable(&words), words);
        // A letter and its combining accent are one character: never parted.
        let accented = "e\u{301}".repeat(31);
        let piece = "e\u{301}".repeat(10);
        assert_eq!(
            breakable(&accented),
            format!("{piece}\u{200b}{piece}\u{200b}{piece}\u{200b}e\u{301}")
        );
        assert_eq!(
            typst_text(&"y".repeat(31)),
            format!("#\"{0}\u{200b}{0}\u{200b}{0}\u{200b}y\";", "y".repeat(10))
        );
    }

    #[test]
    fn right_to_left_text_is_isolated_and_what_it_opens_is_closed() {
        use super::isolated;
        assert_eq!(typst_text("Ada"), "#\"Ada\";");
        assert_eq!(
            typst_text("\u{5e9}\u{5dc}\u{5d5}\u{5dd}"),
            "#\"\u{2068}\u{5e9}\u{5dc}\u{5d5}\u{5dd}\u{2069}\";"
        );
        // An override left open is closed inside the isolate.
        assert_eq!(
            isolated("\u{202e}abc"),
            "\u{2068}\u{202e}abc\u{202c}\u{2069}"
        );
        // A closer that closes nothing of the text's own is dropped.
        assert_eq!(
            isolated("\u{2069}\u{202e}x"),
            "\u{2068}\u{202e}x\u{202c}\u{2069}"
        );
        assert_eq!(isolated("a\u{202c}b\u{200f}"), "\u{2068}ab\u{200f}\u{2069}");
        // Balanced text is kept as it is; a closing isolate closes the
        // embeddings inside it.
        assert_eq!(
            isolated("\u{2067}\u{202b}x\u{2069}y"),
            "\u{2068}\u{2067}\u{202b}x\u{2069}y\u{2069}"
        );
    }

    #[test]
    fn text_marked_with_its_language_is_set_in_it() {
        use crate::model::text::marked;
        let text = format!(
            "Ana ({}), {}",
            marked("en", "mother"),
            marked("es", "pa\"dre")
        );
        assert_eq!(
            typst_text(&text),
            "#\"Ana (\";#text(lang: \"en\", \"mother\");#\"), \";#text(lang: \"es\", \"pa\\\"dre\");"
        );
        assert_eq!(
            typst_text(&marked("en", "x")),
            "#text(lang: \"en\", \"x\");"
        );
        assert_eq!(super::unmarked(&text), "Ana (mother), pa\"dre");
        // A mark whose language is not a code Typst takes (two or three
        // lowercase letters) sets its words as usual text.
        for lang in ["EN", "e", "engl", "e1"] {
            assert_eq!(typst_text(&marked(lang, "x")), "#\"x\";", "{lang}");
        }
    }

    #[test]
    fn specials_are_inside_a_string_literal() {
        assert_eq!(typst_text(r#"a"b\c"#), r#"#"a\"b\\c";"#);
        assert_eq!(typst_text("x\ny"), r#"#"x\ny";"#);
        assert_eq!(typst_text("\u{0}"), r#"#"\u{0}";"#);
        assert_eq!(
            typst_text("#read(\"/etc/passwd\")"),
            r##"#"#read(\"/etc/passwd\")";"##
        );
    }
}
