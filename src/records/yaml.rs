//! Values written back as YAML that reads back equal: what a form gives
//! becomes record text no typed character can turn into anything else.

use serde_json::Value;

/// The value as YAML: block mappings, with every scalar written as JSON
/// writes it (YAML reads JSON's quoted strings, numbers and lists as the
/// same values), so no text a person types can become anything else.
pub fn write(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                out.push_str(&pad);
                out.push_str(key);
                out.push(':');
                match v {
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push('\n');
                        write(v, indent + 2, out);
                    }
                    Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                        out.push('\n');
                        for item in items {
                            let mut inner = String::new();
                            write(item, indent + 4, &mut inner);
                            out.push_str(&pad);
                            out.push_str("  - ");
                            out.push_str(inner.trim_start());
                        }
                    }
                    Value::Array(items) => {
                        let items: Vec<String> = items.iter().map(Value::to_string).collect();
                        out.push_str(&format!(" [{}]\n", items.join(", ")));
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&v.to_string());
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&other.to_string());
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
}
