//! Validator errors in a coordinator's words.
//!
//! The JSON Schema validator says what keyword failed at which JSON pointer.
//! This module turns that into a finding: the element named the way a reader
//! sees it (`plan.services[2].frequency`), the position of the element (or of
//! the mapping that should hold a missing one), and a sentence that says what
//! to do, quoting the schema's own description of the element.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::schemas::{Schema, Schemas};
use crate::finding::{Finding, dotted};
use crate::load::RecordFile;
use crate::load::yaml::{Pos, child_pointer};
use crate::model::Kind;

/// The position of the element at `pointer`, or of its nearest present parent.
pub fn spot(file: &RecordFile, pointer: &str) -> Pos {
    file.position(pointer)
}

/// The position of a mapping entry's key (for an unknown element), else its value.
fn key_spot(file: &RecordFile, pointer: &str) -> Pos {
    match file.doc.spots().get(pointer) {
        Some(s) => s.key.unwrap_or(s.value),
        None => spot(file, pointer),
    }
}

/// `/services/2/frequency` in a plan file reads `plan.services[2].frequency`.
pub fn display_path(kind: Kind, pointer: &str) -> String {
    dotted(kind.name(), pointer)
}

fn description(schema: Option<&Value>) -> Option<String> {
    schema?
        .get("description")?
        .as_str()
        .map(|d| d.trim_end_matches('.').to_string())
}

fn quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        Value::Null => "empty".to_string(),
        other => format!("`{other}`"),
    }
}

fn type_words(schema: Option<&Value>) -> String {
    match schema.and_then(|s| s.get("type")).and_then(Value::as_str) {
        Some("string") => "text".into(),
        Some("integer") => "a whole number".into(),
        Some("number") => "a number".into(),
        Some("boolean") => "true or false".into(),
        Some("array") => "a list (lines starting with `- `)".into(),
        Some("object") => "a mapping of named elements".into(),
        _ => "something else".into(),
    }
}

/// Builds the finding for one validator error.
pub fn finding(
    file: &RecordFile,
    kind: Kind,
    schema: &Schema,
    schemas: &Schemas,
    error: &ValidationError<'_>,
) -> Finding {
    let pointer = error.instance_path().as_str().to_string();
    let location = error.evaluation_path().as_str().to_string();
    let keyword_parent = location.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    let here = schemas.subschema(&schema.value, keyword_parent);
    let element = display_path(kind, &pointer);
    // An element whose schema is a shared definition (`$ref`) has its own
    // description beside the reference; that says more than the shared one.
    let own = keyword_parent
        .strip_suffix("/$ref")
        .and_then(|p| schemas.subschema(&schema.value, p));
    let what = description(own).or_else(|| description(here));
    let with_what = |s: String| match &what {
        Some(d) => format!("{s} ({d})"),
        None => s,
    };
    let instance = error.instance();
    let base = Finding::error(&file.path, "schema", "").path(element.clone());

    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let prop_schema = here
                .and_then(|h| h.get("properties"))
                .and_then(|p| p.get(name));
            let prop_what = description(prop_schema);
            let mut message = format!("`{element}` is missing `{name}`");
            if let Some(d) = prop_what {
                message.push_str(&format!(": {d}"));
            }
            Finding {
                code: "missing-element",
                message,
                path: display_path(kind, &child_pointer(&pointer, name)),
                ..base
            }
            .at(spot(file, &pointer))
            .label(format!("add `{name}` to this"))
        }
        ValidationErrorKind::Type { .. } if instance.is_null() => Finding {
            code: "empty-element",
            message: with_what(format!("`{element}` is empty; fill it in")),
            ..base
        }
        .at(spot(file, &pointer)),
        // Text that YAML reads as a number or true/false (a ZIP code with a
        // leading zero, a phone extension, `no`): say how to keep it as text.
        ValidationErrorKind::Type { .. }
            if here.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("string")
                && (instance.is_number() || instance.is_boolean()) =>
        {
            let written = file.doc.written(&pointer).unwrap_or_default().to_string();
            let read = match instance.is_number() {
                true => "a number",
                false => "true or false",
            };
            let note = match written == instance.to_string() {
                true => format!("`{written}` is read as {read}"),
                false => format!("`{written}` is read as {read}, {instance}"),
            };
            Finding {
                code: "wrong-type",
                message: with_what(format!(
                    "`{element}` should be text, but {note}; put it in quotes, \"{written}\", to keep it as written"
                )),
                ..base
            }
            .at(spot(file, &pointer))
        }
        ValidationErrorKind::Type { .. } => Finding {
            code: "wrong-type",
            message: with_what(format!(
                "`{element}` should be {}, not {}",
                type_words(here),
                quote(instance)
            )),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::MinLength { .. } | ValidationErrorKind::MinItems { .. } => Finding {
            code: "empty-element",
            message: with_what(format!("`{element}` is empty; fill it in")),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::Enum { .. } if instance.is_null() => Finding {
            code: "empty-element",
            message: with_what(format!("`{element}` is empty; fill it in")),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::Enum { options } => {
            let choices = options
                .as_array()
                .map(|o| o.iter().map(quote).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            Finding {
                code: "not-allowed",
                message: format!(
                    "`{element}` is {}, which is not one of the choices: {choices}",
                    quote(instance)
                ),
                ..base
            }
            .at(spot(file, &pointer))
        }
        ValidationErrorKind::Constant { expected_value } => Finding {
            code: "not-allowed",
            message: with_what(format!(
                "`{element}` must be {}, not {}",
                quote(expected_value),
                quote(instance)
            )),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let name = unexpected.first().cloned().unwrap_or_default();
            let known = here
                .and_then(|h| h.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let child = child_pointer(&pointer, &name);
            Finding {
                code: "unknown-element",
                message: format!(
                    "`{name}` is not an element of `{element}`; check its spelling. The elements are: {known}"
                ),
                path: display_path(kind, &child),
                ..base
            }
            .at(key_spot(file, &child))
        }
        ValidationErrorKind::Format { format } if format == "date" => Finding {
            code: "bad-date",
            message: format!(
                "`{element}` is {}, which is not a date; write dates as YYYY-MM-DD, for example 2025-03-14",
                quote(instance)
            ),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::Pattern { .. } => Finding {
            code: "bad-format",
            message: with_what(format!(
                "`{element}` is {}, which is not written the expected way",
                quote(instance)
            )),
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
            let bound = if matches!(error.kind(), ValidationErrorKind::Minimum { .. }) {
                "at least"
            } else {
                "at most"
            };
            Finding {
                code: "out-of-range",
                message: with_what(format!(
                    "`{element}` is {}, but must be {bound} {limit}",
                    quote(instance)
                )),
                ..base
            }
            .at(spot(file, &pointer))
        }
        ValidationErrorKind::Contains => Finding {
            code: "missing-element",
            message: match &what {
                Some(d) => format!("`{element}` {d}"),
                None => format!("`{element}` lacks an entry it must have"),
            },
            ..base
        }
        .at(spot(file, &pointer)),
        ValidationErrorKind::AnyOf { .. } => {
            let alternatives: Vec<String> = here
                .and_then(|h| h.get("anyOf"))
                .and_then(Value::as_array)
                .map(|alts| {
                    alts.iter()
                        .filter_map(|a| a.get("required")?.get(0)?.as_str())
                        .map(|s| format!("`{s}`"))
                        .collect()
                })
                .unwrap_or_default();
            let message = if alternatives.is_empty() {
                format!("`{element}` does not match any of the allowed forms")
            } else {
                format!(
                    "`{element}` needs one of {}; give at least one",
                    alternatives.join(" or ")
                )
            };
            Finding {
                code: "missing-element",
                message,
                ..base
            }
            .at(spot(file, &pointer))
        }
        _ => Finding {
            code: "schema",
            message: format!("`{element}`: {error}"),
            ..base
        }
        .at(spot(file, &pointer)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_record() {
        assert_eq!(
            display_path(Kind::Plan, "/services/2/frequency"),
            "plan.services[2].frequency"
        );
        assert_eq!(display_path(Kind::Case, ""), "case");
    }
}
