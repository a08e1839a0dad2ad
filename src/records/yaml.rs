//! Values written back as YAML that reads back equal: what a form gives
//! becomes record text no typed character can turn into anything else.

use serde_json::Value;

/// The value as YAML: block mappings, with every scalar written as JSON
/// writes it (YAML reads JSON's quoted strings, numbers and lists as the
/// same values), so no text a person types can become anything else.
pub fn write(value: &Value, indent: usize, out: &mut String) {
    write_with(value, indent, out, &|v, _| v.to_string(), false);
}

/// The value as YAML as a person writes it: block mappings, a text plain
/// (`Grandmother's home`, `2026-12-02`) where it reads back as the same
/// text, quoted as JSON quotes it where it would not; lists of scalars,
/// short mappings of scalars (`{times: 1, per: month}`) and empty
/// collections on one line. What a change to a record file adds.
pub fn write_plain(value: &Value, indent: usize, out: &mut String) {
    write_with(value, indent, out, &scalar, true);
}

/// A mapping of scalars short enough to be written on one line.
fn short(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    let flat = !map.is_empty() && map.values().all(|v| !v.is_object() && !v.is_array());
    let line = inline(value, false);
    (flat && line.chars().count() <= 80).then_some(line)
}

/// A value on one line, as it is written after a key or a list's dash
/// (`in_flow`: inside `[...]` or `{...}`): a scalar as [`write_plain`]
/// writes it, a list `[a, b]`, a mapping `{key: value}`.
pub fn inline(value: &Value, in_flow: bool) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| inline(i, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", key(k), inline(v, true)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => scalar(other, in_flow),
    }
}

/// A mapping's key: a name as the schemas spell them (`on`, `start_time`)
/// as it is, block keys being written so too; any other text as a scalar.
fn key(name: &str) -> String {
    let word = !name.is_empty()
        && (name.chars()).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-');
    if word {
        name.to_string()
    } else {
        scalar(&Value::String(name.to_string()), true)
    }
}

/// A scalar written plain where YAML reads the plain text back as the same
/// value (after a key, or inside a flow list when `in_flow`), else as JSON
/// writes it.
fn scalar(value: &Value, in_flow: bool) -> String {
    let Value::String(text) = value else {
        return value.to_string();
    };
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !text.contains(['\n', '\r', '\t'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !(in_flow && text.contains([',', '[', ']', '{', '}']))
        && !yaml_1_1_not_text(text)
        && {
            let probe = if in_flow {
                format!("k: [{text}]\n")
            } else {
                format!("k: {text}\n")
            };
            crate::load::yaml::parse(probe.as_str()).is_ok_and(|doc| {
                let back = if in_flow {
                    doc.value.pointer("/k/0").cloned()
                } else {
                    doc.value.get("k").cloned()
                };
                back.as_ref() == Some(value)
            })
        };
    if plain {
        text.clone()
    } else {
        value.to_string()
    }
}

/// Text an older (YAML 1.1) reader takes for something else, though
/// casepaper reads it as text: a time (`10:30`, a number there), or a
/// yes-or-no word (`no`, `on`). Such text is quoted, as a person would.
fn yaml_1_1_not_text(text: &str) -> bool {
    let sexagesimal = text.contains(':')
        && text
            .split(':')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    let switch = ["y", "n", "yes", "no", "on", "off", "true", "false"]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word));
    sexagesimal || switch
}

fn write_with(
    value: &Value,
    indent: usize,
    out: &mut String,
    scalar: &dyn Fn(&Value, bool) -> String,
    compact: bool,
) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                out.push_str(&pad);
                out.push_str(key);
                out.push(':');
                match v {
                    Value::Object(_) if let Some(line) = short(v).filter(|_| compact) => {
                        out.push(' ');
                        out.push_str(&line);
                        out.push('\n');
                    }
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push('\n');
                        write_with(v, indent + 2, out, scalar, compact);
                    }
                    Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                        out.push('\n');
                        for item in items {
                            let inner = match short(item).filter(|_| compact) {
                                Some(line) => format!("{line}\n"),
                                None => {
                                    let mut inner = String::new();
                                    write_with(item, indent + 4, &mut inner, scalar, compact);
                                    inner
                                }
                            };
                            out.push_str(&pad);
                            out.push_str("  - ");
                            out.push_str(inner.trim_start());
                        }
                    }
                    Value::Array(items) => {
                        let items: Vec<String> = items.iter().map(|i| scalar(i, true)).collect();
                        out.push_str(&format!(" [{}]\n", items.join(", ")));
                    }
                    Value::Object(_) => out.push_str(" {}\n"),
                    _ => {
                        out.push(' ');
                        out.push_str(&scalar(v, false));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other, false));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_reads_back_to_the_same_value_whatever_the_text() {
        let value = json!({
            "kind": "contacts",
            "version": 1,
            "notes": [{
                "date": "2026-12-02",
                "minutes": 30,
                "participants": ["Ana \"Nani\" Ruiz (mother)", "#not a comment", "- dash"],
                "summary": "Line one\nline two: {not: a map} & *no alias* \\ end",
                "outcomes": [1, 2],
                "signed": {"by": "mlopez", "on": "2026-12-02"}
            }]
        });
        let mut text = String::new();
        write(&value, 0, &mut text);
        let back = crate::load::yaml::parse(text.as_str()).expect("parses");
        assert_eq!(back.value, value, "{text}");
        assert!(
            text.contains("  - date: \"2026-12-02\"\n    minutes: 30\n"),
            "{text}"
        );
    }

    #[test]
    fn plain_text_where_every_reader_reads_it_as_the_same_text() {
        let value = json!({
            "date": "2026-12-02",
            "start_time": "10:30",
            "minutes": 30,
            "minutes_as_text": "30",
            "answer": "no",
            "Answer": "On",
            "said": "yes, with her mother",
            "at": "1:2:x",
            "participants": ["Ana Ruiz (mother)", "No", "9:05"],
            "signed": {"by": "mlopez", "on": "2026-12-02"}
        });
        let mut text = String::new();
        write_plain(&value, 0, &mut text);
        assert_eq!(
            text,
            "date: 2026-12-02\nstart_time: \"10:30\"\nminutes: 30\nminutes_as_text: \"30\"\n\
             answer: \"no\"\nAnswer: \"On\"\nsaid: yes, with her mother\nat: 1:2:x\n\
             participants: [Ana Ruiz (mother), \"No\", \"9:05\"]\nsigned: {by: mlopez, on: 2026-12-02}\n"
        );
        let back = crate::load::yaml::parse(text.as_str()).expect("parses");
        assert_eq!(back.value, value, "{text}");
    }
}
