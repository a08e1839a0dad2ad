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

use std::fmt::Write;

/// Writes `text` as a Typst markup fragment that displays exactly `text`.
pub fn typst_text(text: &str) -> String {
    format!("#{};", typst_string(text))
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
