//! Recording a signature received: the date and the way it was given are
//! added to the signer's entry in the record file, as two lines under the
//! entry's last line, so every other line (comments, order, quoting) stays
//! as the coordinator wrote it.

use serde_json::Value;

use crate::load::yaml;
use crate::model::{Signature, SignatureMethod};

/// `text` with `signed_on: DATE` and `method: METHOD` added to the
/// signature entry at `pointer`, or why that cannot be done by adding
/// lines. The new text is parsed and must give exactly the old value with
/// those two elements added.
pub fn record(
    text: &str,
    pointer: &str,
    date: &str,
    method: SignatureMethod,
) -> Result<String, String> {
    let method = method.name();
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    let entry = doc
        .value
        .pointer(pointer)
        .and_then(Value::as_object)
        .ok_or("that signature is no longer in the file")?;
    if entry.contains_key("signed_on") {
        return Err("that signature is already recorded".into());
    }
    let spots = doc.spots();
    let out = match spots.get(pointer).map(|spot| spot.value) {
        // Written `{role: parent, name: ...}`: the two go before its `}`.
        Some(at) if text.chars().nth(at.offset) == Some('{') => {
            let close =
                closing_brace(text, at.offset).ok_or("the signature's `{` is not closed")?;
            let (head, tail) = text.split_at(close);
            format!("{head}, signed_on: {date}, method: {method}{tail}")
        }
        _ => under_last_line(text, entry.keys(), spots, pointer, |pad| {
            format!("{pad}signed_on: {date}\n{pad}method: {method}\n")
        })?,
    };
    let mut wanted = doc.value.clone();
    if let Some(Value::Object(entry)) = wanted.pointer_mut(pointer) {
        entry.insert("signed_on".into(), Value::String(date.into()));
        entry.insert("method".into(), Value::String(method.into()));
    }
    reads_back(out, &wanted)
}

/// `out`, when it reads back as exactly `wanted`.
fn reads_back(out: String, wanted: &Value) -> Result<String, String> {
    match yaml::parse(out.as_str()) {
        Ok(new) if new.value == *wanted => Ok(out),
        _ => Err(
            "the file is written in a way lines cannot be added to; record it by editing the file"
                .into(),
        ),
    }
}

/// `text` with a `signatures` list added to the plan meeting at `meeting`
/// (a JSON pointer), which lists no one to sign its plan: an entry for each
/// of `signers` (role and name), the one at `signed` with `signed_on: DATE`
/// and `method: METHOD`. The lines go under the meeting's last element, so
/// every other line stays as written; the new text must give exactly the
/// old value with that list added.
pub fn list(
    text: &str,
    meeting: &str,
    signers: &[Signature],
    signed: usize,
    date: &str,
    method: SignatureMethod,
) -> Result<String, String> {
    let method = method.name();
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    let entry = (doc.value.pointer(meeting))
        .and_then(Value::as_object)
        .ok_or("that meeting is no longer in the file")?;
    if entry.contains_key("signatures") {
        return Err("the meeting lists who signs its plan now; open the case again".into());
    }
    if signed >= signers.len() {
        return Err("that signature is no longer owed".into());
    }
    let entries: Vec<Value> = (signers.iter().enumerate())
        .map(|(i, s)| {
            let mut e = serde_json::Map::new();
            e.insert("role".into(), Value::String(s.role.name().into()));
            e.insert("name".into(), Value::String(s.name.clone()));
            if i == signed {
                e.insert("signed_on".into(), Value::String(date.into()));
                e.insert("method".into(), Value::String(method.into()));
            }
            Value::Object(e)
        })
        .collect();
    let out = under_last_line(text, entry.keys(), doc.spots(), meeting, |pad| {
        let mut lines = format!("{pad}signatures:\n");
        for e in &entries {
            // JSON's objects are YAML flow mappings, its strings quoted.
            lines.push_str(&format!("{pad}  - {}\n", flow(e)));
        }
        lines
    })?;
    let mut wanted = doc.value.clone();
    if let Some(Value::Object(m)) = wanted.pointer_mut(meeting) {
        m.insert("signatures".into(), Value::Array(entries.clone()));
    }
    reads_back(out, &wanted)
}

/// A signature entry as a one-line flow mapping: `{role: parent, name: "Ana Ruiz"}`.
fn flow(entry: &Value) -> String {
    let parts: Vec<String> = (entry.as_object().into_iter().flatten())
        .map(|(k, v)| match (k.as_str(), v.as_str()) {
            ("name", Some(name)) if !plain_name(name) => {
                format!("{k}: {}", Value::String(name.into()))
            }
            (_, Some(plain)) => format!("{k}: {plain}"),
            _ => format!("{k}: {v}"),
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// A name written as it is in a flow mapping: letters first, then only
/// letters, spaces, periods, hyphens and apostrophes (anything else is
/// quoted).
fn plain_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_alphabetic)
        && !name.ends_with(' ')
        && (name.chars()).all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\''))
}

/// The block-style entry with the lines `lines` makes (given the entry's
/// indentation) under its last element (and the lines that continue that
/// element's value).
fn under_last_line<'a>(
    text: &str,
    keys: impl Iterator<Item = &'a String>,
    spots: &std::collections::BTreeMap<String, yaml::Spot>,
    pointer: &str,
    lines_for: impl FnOnce(&str) -> String,
) -> Result<String, String> {
    let last = keys
        .filter_map(|k| spots.get(&format!("{pointer}/{}", escape(k)))?.key)
        .max_by_key(|p| p.line)
        .ok_or("that signature's place in the file is not known")?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = lines.get(last.line - 1).ok_or("the file changed")?;
    let before: String = line.chars().take(last.column - 1).collect();
    if !before.chars().all(|c| c == ' ' || c == '-') {
        return Err("the signature is written in a way lines cannot be added to; record it by editing the file".into());
    }
    // A value continued on more-indented lines belongs to that element.
    let end = super::entry::block_end(&lines, last.line, last.column - 1);
    let pad = " ".repeat(last.column - 1);
    let mut out: String = lines[..end].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&lines_for(&pad));
    out.push_str(&lines[end..].concat());
    Ok(out)
}

/// The byte index of the `}` closing the flow mapping that opens at the
/// character `open`: nested brackets and quoted text are passed over.
fn closing_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().skip(open).peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => {
                // '' inside single quotes is one quote.
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A key as a JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "\
consents:
  - date: 2026-05-12   # the change meeting
    signatures:
      - role: parent
        name: Dana Marsh  # mother
      # the coordinator signs last
      - {role: coordinator, name: Marisol Lopez}
    services: []
";

    #[test]
    fn a_signature_gets_two_lines_under_its_entry_and_nothing_else_changes() {
        let out = record(
            PLAN,
            "/consents/0/signatures/0",
            "2026-12-01",
            SignatureMethod::Paper,
        )
        .unwrap();
        assert_eq!(
            out,
            PLAN.replace(
                "        name: Dana Marsh  # mother\n",
                "        name: Dana Marsh  # mother\n        signed_on: 2026-12-01\n        method: paper\n"
            )
        );
        let again = record(
            &out,
            "/consents/0/signatures/0",
            "2026-12-02",
            SignatureMethod::Paper,
        );
        assert_eq!(again.unwrap_err(), "that signature is already recorded");
    }

    #[test]
    fn a_signature_on_one_line_gets_the_two_before_its_brace() {
        let out = record(
            PLAN,
            "/consents/0/signatures/1",
            "2026-12-01",
            SignatureMethod::Electronic,
        )
        .unwrap();
        assert_eq!(
            out,
            PLAN.replace(
                "{role: coordinator, name: Marisol Lopez}",
                "{role: coordinator, name: Marisol Lopez, signed_on: 2026-12-01, method: electronic}"
            )
        );
        let quoted = "s:\n  - {role: parent, name: \"Ana {the} \\\" Ruiz\", x: [1, {a: b}]}  # }\n";
        let out = record(quoted, "/s/0", "2026-12-01", SignatureMethod::Paper).unwrap();
        assert!(
            out.ends_with("x: [1, {a: b}], signed_on: 2026-12-01, method: paper}  # }\n"),
            "{out}"
        );
    }

    #[test]
    fn braces_inside_quoted_text_do_not_close_the_entry() {
        for name in [
            "\"Ana } Ruiz\"",
            "'Ana } Ruiz'",
            "'it''s } here'",
            "\"a \\\" } b\"",
        ] {
            let text = format!("s:\n  - {{role: parent, name: {name}}}\n");
            let out = record(&text, "/s/0", "2026-12-01", SignatureMethod::Paper)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                out,
                format!(
                    "s:\n  - {{role: parent, name: {name}, signed_on: 2026-12-01, method: paper}}\n"
                )
            );
        }
    }

    #[test]
    fn a_meeting_that_lists_no_one_gets_its_list_with_the_signature_received() {
        let text = "meetings:\n  - date: 2026-02-20  # first\n    type: initial\nnotes: x\n";
        let signers = [
            Signature {
                role: crate::model::SignerRole::Parent,
                name: "Ana O'Neil".into(),
                signed_on: None,
                method: None,
            },
            Signature {
                role: crate::model::SignerRole::Coordinator,
                name: "Jo: Ruiz, Jr.".into(),
                signed_on: None,
                method: None,
            },
        ];
        let out = list(
            text,
            "/meetings/0",
            &signers,
            0,
            "2026-02-20",
            SignatureMethod::Paper,
        )
        .unwrap();
        assert_eq!(
            out,
            "meetings:\n  - date: 2026-02-20  # first\n    type: initial\n    signatures:\n      \
             - {role: parent, name: Ana O'Neil, signed_on: 2026-02-20, method: paper}\n      \
             - {role: coordinator, name: \"Jo: Ruiz, Jr.\"}\nnotes: x\n"
        );
        assert_eq!(
            list(
                &out,
                "/meetings/0",
                &signers,
                1,
                "2026-02-20",
                SignatureMethod::Paper
            )
            .unwrap_err(),
            "the meeting lists who signs its plan now; open the case again"
        );
        assert_eq!(
            list(
                text,
                "/meetings/1",
                &signers,
                0,
                "2026-02-20",
                SignatureMethod::Paper
            )
            .unwrap_err(),
            "that meeting is no longer in the file"
        );
    }

    #[test]
    fn a_signature_gone_is_refused_with_the_reason() {
        let gone = record(
            PLAN,
            "/consents/0/signatures/2",
            "2026-12-01",
            SignatureMethod::Paper,
        );
        assert_eq!(gone.unwrap_err(), "that signature is no longer in the file");
    }

    #[test]
    fn the_lines_go_under_the_entry_wherever_it_ends() {
        // The last entry of a list, the list last in the file.
        let text = "signatures:\n  - role: parent\n    name: Dana\n";
        let out = record(text, "/signatures/0", "2026-12-01", SignatureMethod::Paper).unwrap();
        assert_eq!(
            out,
            format!("{text}    signed_on: 2026-12-01\n    method: paper\n")
        );
        // Followed by the next element of the mapping around the list.
        let text = "consents:\n  - signatures:\n      - role: parent\n        name: Dana\n    services: []\n";
        let out = record(
            text,
            "/consents/0/signatures/0",
            "2026-12-01",
            SignatureMethod::Paper,
        )
        .unwrap();
        assert!(out.ends_with("        name: Dana\n        signed_on: 2026-12-01\n        method: paper\n    services: []\n"), "{out}");
        // An entry whose only element is on the dash's line.
        let text = "s:\n  - name: Dana\n";
        let out = record(text, "/s/0", "2026-12-01", SignatureMethod::Paper).unwrap();
        assert_eq!(
            out,
            "s:\n  - name: Dana\n    signed_on: 2026-12-01\n    method: paper\n"
        );
        // A value continued one column further in.
        let text = "s:\n  - role: parent\n    name: Dana\n     Marsh\n";
        let out = record(text, "/s/0", "2026-12-01", SignatureMethod::Paper).unwrap();
        assert!(
            out.ends_with("     Marsh\n    signed_on: 2026-12-01\n    method: paper\n"),
            "{out}"
        );
    }

    #[test]
    fn a_value_continued_on_the_next_lines_stays_whole() {
        let text = "signatures:\n  - role: parent\n    name: Dana\n      Marsh\n  - role: coordinator\n    name: M\n";
        let out = record(
            text,
            "/signatures/0",
            "2026-12-01",
            SignatureMethod::Electronic,
        )
        .unwrap();
        assert!(
            out.contains(
                "      Marsh\n    signed_on: 2026-12-01\n    method: electronic\n  - role"
            ),
            "{out}"
        );
    }
}
