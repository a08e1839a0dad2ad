//! A record missing any one required element fails `validate`, and the
//! finding names that element. For each record kind the test walks a sample
//! record beside its schema, and for every element the schema requires
//! (at every level: a consent's date, a service's funding, a signature's
//! name) deletes it from the file and runs the real binary.

use crate::common;

use casepaper::testing::yaml;

use std::collections::BTreeSet;
use std::fs;

use common::{Test, repo};
use serde_json::Value;

fn load(rel: &str) -> Value {
    let text = fs::read_to_string(repo().join(rel)).unwrap();
    yaml::parse(text.as_str()).unwrap().value
}

/// Follows `$ref`s (into common.v1.yaml or the schema itself).
fn resolve<'a>(schema: &'a Value, own: &'a Value, common: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let (file, pointer) = r.split_once('#').unwrap();
            // `#/$defs/x` is in the schema that says it: ours, or common's.
            let target = if file.is_empty() {
                own.pointer(pointer).or_else(|| common.pointer(pointer))
            } else {
                common.pointer(pointer)
            };
            resolve(target.unwrap(), own, common)
        }
        None => schema,
    }
}

/// Pointers of every required element present in `value`, walking the schema.
fn required(
    value: &Value,
    schema: &Value,
    own: &Value,
    common: &Value,
    pointer: &str,
    out: &mut Vec<String>,
) {
    let schema = resolve(schema, own, common);
    for sub in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if sub.get("$ref").is_some() {
            required(value, sub, own, common, pointer, out);
        }
    }
    match value {
        Value::Object(map) => {
            for key in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = key.as_str().unwrap();
                if map.contains_key(key) {
                    out.push(format!("{pointer}/{key}"));
                }
            }
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (key, child) in map {
                    if let Some(s) = props.get(key) {
                        required(child, s, own, common, &format!("{pointer}/{key}"), out);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let (Some(first), Some(s)) = (items.first(), schema.get("items")) {
                required(first, s, own, common, &format!("{pointer}/0"), out);
            }
        }
        _ => {}
    }
}

/// `/consents/0/date` in a plan reads `plan.consents[0].date`.
fn dotted(kind: &str, pointer: &str) -> String {
    let mut out = kind.to_string();
    for part in pointer.split('/').filter(|p| !p.is_empty()) {
        if part.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            out.push('.');
            out.push_str(part);
        }
    }
    out
}

/// The file's text without the block-style entry at `pointer`, or `None`
/// when the entry is written inline (`{a: 1}`) or opens a list item.
fn without(text: &str, pointer: &str) -> Option<String> {
    let doc = yaml::parse(text).unwrap();
    let key = doc.spots().get(pointer)?.key?;
    let lines: Vec<&str> = text.lines().collect();
    let line = lines[key.line - 1];
    let before: String = line.chars().take(key.column - 1).collect();
    if !before.trim().is_empty() {
        return None;
    }
    let indent = key.column - 1;
    let mut end = key.line;
    while end < lines.len() {
        let next = lines[end];
        let next_indent = next.len() - next.trim_start().len();
        if !next.trim().is_empty() && next_indent <= indent {
            break;
        }
        end += 1;
    }
    let mut kept: Vec<&str> = lines[..key.line - 1].to_vec();
    kept.extend(&lines[end..]);
    Some(kept.join("\n") + "\n")
}

/// Deletes each required element of `file` in turn and expects validate to
/// name it. Returns how many elements were tried.
fn each_required_element_is_named(kind: &str, file: &str) -> usize {
    let own = load(&format!("schemas/{kind}.v1.yaml"));
    let common = load("schemas/common.v1.yaml");
    let original = fs::read_to_string(repo().join(file)).unwrap();
    let value = yaml::parse(original.as_str()).unwrap().value;
    let mut pointers = Vec::new();
    required(&value, &own, &own, &common, "", &mut pointers);

    let test = Test::samples();
    let rel = file.to_string();
    let mut tried = 0;
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for pointer in pointers {
        // `kind` and `version` have findings of their own (missing-kind).
        if !seen.insert(pointer.clone()) || pointer == "/kind" || pointer == "/version" {
            continue;
        }
        let Some(edited) = without(&original, &pointer) else {
            continue;
        };
        test.write(&rel, &edited);
        let run = test.run(&["validate", "records", "--format", "json"]);
        let expected = dotted(kind, &pointer);
        let name = pointer.rsplit('/').next().unwrap();
        let named = run.stdout.lines().any(|l| {
            let f: Value = serde_json::from_str(l).unwrap();
            f["code"] == "missing-element"
                && f["path"] == expected.as_str()
                && f["file"]
                    .as_str()
                    .unwrap()
                    .ends_with(file.trim_start_matches("records/"))
                && f["line"].as_u64().is_some()
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("`{name}`"))
        });
        if run.status != 1 || !named {
            failures.push(format!(
                "removing {expected}: status {}, findings:\n{}",
                run.status, run.stdout
            ));
        }
        tried += 1;
    }
    test.write(&rel, &original);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{kind}: removed each of {tried} required elements in turn");
    tried
}

#[test]
fn program_file_missing_an_element() {
    assert!(each_required_element_is_named("program", "records/program.yaml") >= 10);
}

#[test]
fn case_file_missing_an_element() {
    assert!(each_required_element_is_named("case", "records/ct-2025-0117/case.yaml") >= 12);
}

#[test]
fn plan_missing_an_element() {
    assert!(each_required_element_is_named("plan", "records/ct-2025-0117/plan.yaml") >= 30);
}

#[test]
fn contact_notes_missing_an_element() {
    assert!(each_required_element_is_named("contacts", "records/ct-2025-0117/contacts.yaml") >= 3);
}

#[test]
fn transition_plan_missing_an_element() {
    assert!(
        each_required_element_is_named("transition", "records/ct-2025-0117/transition.yaml") >= 10
    );
}

#[test]
fn exit_record_missing_an_element() {
    assert!(each_required_element_is_named("exit", "records/ct-2026-0031/exit.yaml") >= 4);
}
