//! How a document's Typst source is handed to Typst: its page setup as the
//! template wrote it, and the body after it as one string given to
//! `document-body` (templates/blocks.typ). Everything in the body is then
//! made at one place of blocks.typ, the same in every document, so Typst
//! finds again what two documents share (a plan's services at its next
//! meeting, a consent form's fixed wording) and lays it out once.
//!
//! The string holds the template's text as written, so a record's value in
//! it is still the escaped string literal the template made, and Typst
//! evaluates only text the templates made. Its lines are the template's
//! lines: an error is described from the source as written, at the line
//! `--emit typst` shows. A template whose page setup does not end with
//! [`BODY_FOLLOWS`] (a program's own, made before it) is compiled as
//! written, as before.

/// The line that ends a template's page setup (`page_start` in
/// partials.typ.j2): what follows is the document's body.
pub const BODY_FOLLOWS: &str = "// casepaper: the body follows";

/// A document's Typst source: as its template wrote it, and as Typst is
/// handed it.
#[derive(Debug, Clone)]
pub struct TypstSource {
    written: String,
    /// The body given to `document-body`, when the template marked it.
    handed: Option<String>,
}

impl TypstSource {
    pub fn new(written: String) -> TypstSource {
        let handed = hand_over(&written);
        TypstSource { written, handed }
    }

    /// What Typst compiles, and what `render --emit typst` writes.
    pub fn text(&self) -> &str {
        self.handed.as_deref().unwrap_or(&self.written)
    }

    /// The source as the template wrote it, when Typst is handed another:
    /// the one to describe an error from, at the line the template wrote.
    pub fn as_written(&self) -> Option<&str> {
        self.handed.as_ref().map(|_| self.written.as_str())
    }
}

/// `written` with everything after its [`BODY_FOLLOWS`] line turned into
/// one string literal given to `document-body`, each line of the body at
/// the line number it had; `None` without that line.
fn hand_over(written: &str) -> Option<String> {
    let at = if written.starts_with(BODY_FOLLOWS) {
        0
    } else {
        written.find(&format!("\n{BODY_FOLLOWS}"))? + 1
    };
    let after = &written[at + BODY_FOLLOWS.len()..];
    // The marker must be the whole line.
    let body = after.strip_prefix("\r\n").or(after.strip_prefix('\n'))?;
    let mut handed = String::with_capacity(written.len() + written.len() / 8 + 32);
    handed.push_str(&written[..at]);
    // The string opens on the marker's line with a line break, so each
    // line of the body stays on its line.
    handed.push_str("#document-body(\"\n");
    for c in body.chars() {
        match c {
            '\\' => handed.push_str("\\\\"),
            '"' => handed.push_str("\\\""),
            '\n' | '\t' => handed.push(c),
            c if c.is_control() => {
                use std::fmt::Write;
                let _ = write!(handed, "\\u{{{:x}}}", c as u32);
            }
            c => handed.push(c),
        }
    }
    handed.push_str("\")\n");
    Some(handed)
}

#[cfg(test)]
mod tests {
    use super::{BODY_FOLLOWS, TypstSource};

    #[test]
    fn the_body_after_the_marker_is_one_string_on_the_same_lines() {
        let written = format!(
            "#import \"casepaper.typ\": *\n{BODY_FOLLOWS}\n= Title\n#field[A][#\"O\\\"Brien \\\\ \";]\n\ttab\r\nend"
        );
        let source = TypstSource::new(written.clone());
        assert_eq!(
            source.text(),
            "#import \"casepaper.typ\": *\n#document-body(\"\n= Title\n#field[A][#\\\"O\\\\\\\"Brien \\\\\\\\ \\\";]\n\ttab\\u{d}\nend\")\n"
        );
        assert_eq!(source.as_written(), Some(written.as_str()));
        assert_eq!(
            source.text().lines().count(),
            written.lines().count(),
            "every line of the body keeps its number"
        );
    }

    #[test]
    fn a_source_without_the_whole_marker_line_is_compiled_as_written() {
        for written in [
            "= Title\nbody\n".to_string(),
            format!("a\n{BODY_FOLLOWS} and more\nbody"),
            format!("a {BODY_FOLLOWS}\nbody"),
            format!("a\n{BODY_FOLLOWS}"),
        ] {
            let source = TypstSource::new(written.clone());
            assert_eq!(source.text(), written);
            assert_eq!(source.as_written(), None);
        }
        let first = TypstSource::new(format!("{BODY_FOLLOWS}\nbody"));
        assert_eq!(first.text(), "#document-body(\"\nbody\")\n");
    }
}
