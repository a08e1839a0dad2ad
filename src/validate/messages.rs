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
use crate::finding::{Finding, RecordCode, dotted};
use crate::load::RecordFile;
use crate::load::yaml::{Pos, child_pointer};
use crate::model::Kind;

/// The position of the element at `pointer`, or of its nearest present parent.
pub fn spot(file: &RecordFile, pointer: &str) -> Pos {
    file.position(pointer)
}

/// The position of a mapping entry's key (for an unknown element), else its value.
fn key_spot(file: &RecordFile, pointer: &str) -> Pos {
    match file.doc.spot(pointer) {
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

/// What a finding about one validator error is built from.
struct Explained<'a> {
    file: &'a RecordFile,
    kind: Kind,
    /// The element's JSON pointer in the file.
    pointer: String,
    /// The element as the record names it (`plan.services[2].frequency`).
    element: String,
    /// The schema of the element.
    here: Option<&'a Value>,
    /// The element's own description.
    what: Option<String>,
    instance: &'a Value,
    schemas: &'a Schemas,
    /// The record kind's schema, where its own `$ref`s point.
    root: &'a Value,
}

impl Explained<'_> {
    /// A finding of `code` at the element.
    fn at(&self, code: RecordCode, message: String) -> Finding {
        Finding {
            code: code.into(),
            message,
            ..Finding::error(&self.file.path, RecordCode::Schema, "").path(self.element.clone())
        }
        .at(spot(self.file, &self.pointer))
    }

    /// `message`, with the element's description after it.
    fn with_what(&self, message: String) -> String {
        match &self.what {
            Some(d) => format!("{message} ({d})"),
            None => message,
        }
    }

    fn empty(&self) -> Finding {
        let message = format!("`{}` is empty; fill it in", self.element);
        self.at(RecordCode::EmptyElement, self.with_what(message))
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
    // An element whose schema is a shared definition (`$ref`) has its own
    // description beside the reference; that says more than the shared one.
    let own = keyword_parent
        .strip_suffix("/$ref")
        .and_then(|p| schemas.subschema(&schema.value, p));
    let x = Explained {
        file,
        kind,
        element: display_path(kind, &pointer),
        pointer,
        here,
        what: description(own).or_else(|| description(here)),
        instance: error.instance(),
        schemas,
        root: &schema.value,
    };
    let element = &x.element;
    let instance = x.instance;
    match error.kind() {
        ValidationErrorKind::Required { property } => required(&x, property),
        ValidationErrorKind::Type { .. } => wrong_type(&x),
        ValidationErrorKind::MinItems { limit } => too_few(&x, *limit),
        ValidationErrorKind::MinLength { .. } => x.empty(),
        ValidationErrorKind::Enum { .. } if instance.is_null() => x.empty(),
        ValidationErrorKind::Enum { options } => not_a_choice(&x, options),
        ValidationErrorKind::Constant { expected_value } => {
            let message = format!(
                "`{element}` must be {}, not {}",
                quote(expected_value),
                quote(instance)
            );
            x.at(RecordCode::NotAllowed, x.with_what(message))
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unknown_element(&x, unexpected),
        ValidationErrorKind::Format { format } if format == "date" => not_a_date(&x),
        ValidationErrorKind::Pattern { pattern } if pattern == LANGUAGE_CODE => not_a_code(&x),
        ValidationErrorKind::Pattern { .. } => {
            let message = format!(
                "`{element}` is {}, which is not written the expected way",
                quote(instance)
            );
            x.at(RecordCode::BadFormat, x.with_what(message))
        }
        ValidationErrorKind::Minimum { limit } => out_of_range(&x, "at least", limit),
        ValidationErrorKind::Maximum { limit } => out_of_range(&x, "at most", limit),
        ValidationErrorKind::Contains => {
            let message = match &x.what {
                Some(d) => format!("`{element}` {d}"),
                None => format!("`{element}` lacks an entry it must have"),
            };
            x.at(RecordCode::MissingElement, message)
        }
        ValidationErrorKind::AnyOf { .. } => any_of(&x),
        _ => x.at(RecordCode::Schema, format!("`{element}`: {error}")),
    }
}

/// A value that is not one of the schema's choices: name them.
fn not_a_choice(x: &Explained, options: &Value) -> Finding {
    let choices = options
        .as_array()
        .map(|o| o.iter().map(quote).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    let message = format!(
        "`{}` is {}, which is not one of the choices: {choices}",
        x.element,
        quote(x.instance)
    );
    x.at(RecordCode::NotAllowed, message)
}

/// A list with fewer entries than it needs: empty, or short of `limit`.
fn too_few(x: &Explained, limit: u64) -> Finding {
    let count = x.instance.as_array().map_or(0, Vec::len);
    if count == 0 {
        return x.empty();
    }
    let entries = if count == 1 { "entry" } else { "entries" };
    let message = format!(
        "`{}` has {count} {entries}, but needs at least {limit}",
        x.element
    );
    x.at(RecordCode::TooFew, x.with_what(message))
}

/// A number below its minimum or above its maximum (`bound`, `limit`).
fn out_of_range(x: &Explained, bound: &str, limit: &Value) -> Finding {
    let message = format!(
        "`{}` is {}, but must be {bound} {limit}",
        x.element,
        quote(x.instance)
    );
    x.at(RecordCode::OutOfRange, x.with_what(message))
}

/// A required element that is missing: points at the mapping that should
/// hold it.
fn required(x: &Explained, property: &Value) -> Finding {
    let name = property.as_str().unwrap_or_default();
    let prop_schema = x
        .here
        .and_then(|h| h.get("properties"))
        .and_then(|p| p.get(name));
    let mut message = format!("`{}` is missing `{name}`", x.element);
    if let Some(d) = description(prop_schema) {
        message.push_str(&format!(": {d}"));
    }
    Finding {
        path: display_path(x.kind, &child_pointer(&x.pointer, name)),
        ..x.at(RecordCode::MissingElement, message)
    }
    .label(format!("add `{name}` to this"))
}

/// A value of the wrong type: empty, text that YAML reads as a number or
/// true/false, or anything else.
fn wrong_type(x: &Explained) -> Finding {
    let (element, instance) = (&x.element, x.instance);
    if instance.is_null() {
        return x.empty();
    }
    // Text that YAML reads as a number or true/false (a ZIP code with a
    // leading zero, a phone extension, `no`): say how to keep it as text.
    let wants_text = x.here.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("string");
    if wants_text && (instance.is_number() || instance.is_boolean()) {
        let written = x
            .file
            .doc
            .written(&x.pointer)
            .unwrap_or_default()
            .to_string();
        let read = match instance.is_number() {
            true => "a number",
            false => "true or false",
        };
        let read_as = instance.to_string();
        let note = match written == read_as {
            true => format!("`{written}` is read as {read}"),
            false => format!("`{written}` is read as {read}, {instance}"),
        };
        let message = format!(
            "`{element}` should be text, but {note}; put it in quotes, \"{written}\", to keep it as written"
        );
        return x.at(RecordCode::WrongType, x.with_what(message));
    }
    let mut message = format!("`{element}` should be {}", type_words(x.here));
    if let Some((names, example)) = x.here.and_then(|h| mapping_example(x, h)) {
        message.push_str(&format!(" ({names}), for example {example}"));
    }
    message.push_str(&format!(", not {}", quote(instance)));
    x.at(RecordCode::WrongType, x.with_what(message))
}

/// How the language codes are written (`common.v1.yaml#/$defs/language`).
const LANGUAGE_CODE: &str = "^[a-z]{2,3}$";

/// A language given in words (`English`) where a code goes: the codes of
/// the languages the documents are written in.
fn not_a_code(x: &Explained) -> Finding {
    let codes = match x.schemas.languages.is_empty() {
        true => "en or es".to_string(),
        false => x.schemas.languages.join(", "),
    };
    let message = format!(
        "`{}` is {}, which is not a language code; write the code of a language the documents \
         are written in: {codes} (en English, es Spanish)",
        x.element,
        quote(x.instance)
    );
    x.at(RecordCode::BadFormat, message)
}

/// A date not written YYYY-MM-DD: the ISO date a US date (`3/14/2026`)
/// probably means; for a signature's date, that an owed one is left out.
fn not_a_date(x: &Explained) -> Finding {
    let written = x.instance.as_str().unwrap_or_default();
    let mut message = format!(
        "`{}` is {}, which is not a date; write dates as YYYY-MM-DD, for example 2025-03-14",
        x.element,
        quote(x.instance)
    );
    let parts: Vec<u32> = written
        .split('/')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    if let [month, day, year] = parts[..]
        && written.split('/').count() == 3
        && year >= 1900
        && let Some(date) = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)
    {
        message.push_str(&format!(" (`{written}` is probably {date})"));
    }
    if x.pointer.ends_with("/signed_on") {
        message.push_str(
            "; while the signature is owed, leave `signed_on` and `method` out: the document \
             prints as a draft until they are filled in",
        );
    }
    x.at(RecordCode::BadDate, message)
}

/// A mapping's elements and a one-line example of it: its required
/// elements (else its first three), each with a value of its kind.
fn mapping_example(x: &Explained, schema: &Value) -> Option<(String, String)> {
    let props = schema.get("properties")?.as_object()?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let names: Vec<&str> = match required.is_empty() {
        true => props.keys().take(3).map(String::as_str).collect(),
        false => required,
    };
    let parts: Vec<String> = names
        .iter()
        .filter_map(|n| Some(format!("{n}: {}", example_value(x, props.get(*n)?))))
        .collect();
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Some((
        format!("with {}", listed.join(" and ")),
        format!("{{{}}}", parts.join(", ")),
    ))
}

/// A value of the kind a schema asks for, for an example.
fn example_value(x: &Explained, schema: &Value) -> String {
    let s = x.schemas.resolve(x.root, schema);
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)).and_then(Value::as_str) {
        return first.to_string();
    }
    match s.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => s.get("minimum").map_or("1".to_string(), |m| m.to_string()),
        Some("boolean") => "true".into(),
        Some("string") if s.get("format").and_then(Value::as_str) == Some("date") => {
            "2025-03-14".into()
        }
        Some("array") => "[...]".into(),
        Some("object") => "{...}".into(),
        _ => "...".into(),
    }
}

/// An element the schema does not have: at its key, naming the ones it has.
fn unknown_element(x: &Explained, unexpected: &[String]) -> Finding {
    let name = unexpected.first().cloned().unwrap_or_default();
    let known = x
        .here
        .and_then(|h| h.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    let child = child_pointer(&x.pointer, &name);
    let message = format!(
        "`{name}` is not an element of `{}`; check its spelling. The elements are: {known}",
        x.element
    );
    Finding {
        path: display_path(x.kind, &child),
        ..x.at(RecordCode::UnknownElement, message)
    }
    .at(key_spot(x.file, &child))
}

/// Text a family reads (`family_text`): plain text, or text by language
/// code. Says which part is wrong, with the form that is right.
fn family_text(x: &Explained) -> Finding {
    let element = &x.element;
    let form = "write it as plain text, or in each language as codes and text, for example \
                {es: madre, en: mother}";
    let Some(by) = x.instance.as_object() else {
        if x.instance.is_string() || x.instance.is_null() {
            return x.empty();
        }
        let message = format!(
            "`{element}` is {}, which is not text; {form}",
            quote(x.instance)
        );
        return x.at(RecordCode::WrongType, message);
    };
    let bad_code = by
        .keys()
        .find(|k| !(2..=3).contains(&k.len()) || !k.bytes().all(|b| b.is_ascii_lowercase()));
    let message = if by.is_empty() {
        format!("`{element}` gives no text; {form}")
    } else if let Some(code) = bad_code {
        format!(
            "`{element}` gives text for `{code}`, which is not a language code; use two-letter \
             codes such as en (English) and es (Spanish), for example {{es: madre, en: mother}}"
        )
    } else {
        let code = by
            .iter()
            .find(|(_, v)| v.as_str().is_none_or(str::is_empty))
            .map_or("", |(code, _)| code.as_str());
        format!("`{element}.{code}` has no text; {form}")
    };
    x.at(RecordCode::BadFormat, message)
}

/// None of the allowed forms matched: name the elements that would.
fn any_of(x: &Explained) -> Finding {
    let by_language = x
        .here
        .and_then(|h| h.get("anyOf"))
        .and_then(Value::as_array)
        .is_some_and(|alts| alts.iter().any(|a| a.get("propertyNames").is_some()));
    if by_language {
        return family_text(x);
    }
    let alternatives: Vec<String> = x
        .here
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
        format!("`{}` does not match any of the allowed forms", x.element)
    } else {
        format!(
            "`{}` needs one of {}; give at least one",
            x.element,
            alternatives.join(" or ")
        )
    };
    x.at(RecordCode::MissingElement, message)
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
