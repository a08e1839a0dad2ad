//! The record schemas: embedded in the binary, compiled once, and turned from
//! validator errors into findings a coordinator can act on.

use serde_json::Value;

use crate::load::yaml;
use crate::model::Kind;

macro_rules! schema_files {
    ($(($kind:expr, $version:literal, $name:literal)),* $(,)?) => {
        &[$(($kind, $version, $name, include_str!(concat!("../../schemas/", $name)))),*]
    };
}

/// Every schema file, by kind and version (`None`: the shared definitions).
/// `schemas/` is the single source: validation uses these, and editors point
/// at the same files.
const SCHEMA_FILES: &[(Option<Kind>, u64, &str, &str)] = schema_files![
    (None, 1, "common.v1.yaml"),
    (Some(Kind::Program), 1, "program.v1.yaml"),
    (Some(Kind::Case), 1, "case.v1.yaml"),
    (Some(Kind::Plan), 1, "plan.v1.yaml"),
    (Some(Kind::Contacts), 1, "contacts.v1.yaml"),
    (Some(Kind::Transition), 1, "transition.v1.yaml"),
    (Some(Kind::Exit), 1, "exit.v1.yaml"),
    (Some(Kind::Notices), 1, "notices.v1.yaml"),
    (Some(Kind::Review), 1, "review.v1.yaml"),
    (Some(Kind::Access), 1, "access.v1.yaml"),
];

/// Every schema file's name and text, as `schemas/` holds them (for `init`).
pub fn files() -> impl Iterator<Item = (&'static str, &'static str)> {
    SCHEMA_FILES.iter().map(|(_, _, name, text)| (*name, *text))
}

/// Where the schemas live for the validator's `$ref` resolution. Nothing is
/// ever fetched: `EmbeddedSchemas` answers for these addresses.
const BASE: &str = "file:///casepaper/schemas/";

/// One compiled schema.
pub struct Schema {
    pub kind: Kind,
    pub version: u64,
    pub value: Value,
    pub validator: jsonschema::Validator,
}

/// All record schemas, compiled.
pub struct Schemas {
    schemas: Vec<Schema>,
    common: Value,
    /// The codes of the languages the documents can be written in, which a
    /// message about a language code lists.
    pub languages: Vec<String>,
}

fn parse_embedded(name: &str, text: &str) -> Value {
    // The schemas are part of the binary and covered by tests; a broken one is a
    // build defect, not a user error.
    yaml::parse(text)
        .unwrap_or_else(|e| panic!("embedded schema {name} is not valid YAML: {e:?}"))
        .value
}

/// Answers `$ref`s to the shared schema (the only file schemas refer to)
/// from its parsed embedded copy.
struct EmbeddedSchemas {
    uri: String,
    common: Value,
}

impl jsonschema::Retrieve for EmbeddedSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str() == self.uri {
            Ok(self.common.clone())
        } else {
            Err(format!("no embedded schema at {}", uri.as_str()).into())
        }
    }
}

impl Schemas {
    /// Compiles the embedded schemas.
    pub fn embedded() -> Schemas {
        let (common_name, common) = SCHEMA_FILES
            .iter()
            .find(|(kind, ..)| kind.is_none())
            .map(|(_, _, name, text)| (*name, parse_embedded(name, text)))
            .expect("the shared schema is embedded");
        let schemas = SCHEMA_FILES
            .iter()
            .filter_map(|&(kind, version, file_name, source)| {
                let kind = kind?;
                let value = parse_embedded(file_name, source);
                let retriever = EmbeddedSchemas {
                    uri: format!("{BASE}{common_name}"),
                    common: common.clone(),
                };
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .with_base_uri(format!("{BASE}{file_name}"))
                    .with_retriever(retriever)
                    .build(&value)
                    .unwrap_or_else(|e| {
                        panic!("embedded schema {file_name} does not compile: {e}")
                    });
                Some(Schema {
                    kind,
                    version,
                    value,
                    validator,
                })
            })
            .collect();
        Schemas {
            schemas,
            common,
            languages: Vec::new(),
        }
    }

    pub fn get(&self, kind: Kind, version: u64) -> Option<&Schema> {
        self.schemas
            .iter()
            .find(|s| s.kind == kind && s.version == version)
    }

    /// The versions supported for a kind, for messages.
    pub fn versions(&self, kind: Kind) -> Vec<u64> {
        self.schemas
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.version)
            .collect()
    }

    /// A schema with its `$ref` followed (within `root`, or to the shared
    /// definitions), for messages that look into it.
    pub fn resolve<'a>(&'a self, root: &'a Value, node: &'a Value) -> &'a Value {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
        let root = if file.is_empty() { root } else { &self.common };
        root.pointer(fragment).unwrap_or(node)
    }

    /// The JSON pointer of every element of `value` that `schema` says a
    /// family reads (a `family_text`), in the order of the file: the one
    /// list of what a family's papers may print, so that `validate` can say
    /// which of it a language lacks.
    pub fn family_texts(&self, schema: &Schema, value: &Value) -> Vec<String> {
        let mut found = Vec::new();
        self.walk(
            &schema.value,
            &schema.value,
            value,
            &mut String::new(),
            &mut found,
        );
        found
    }

    fn walk(
        &self,
        root: &Value,
        node: &Value,
        value: &Value,
        at: &mut String,
        found: &mut Vec<String>,
    ) {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            if target.ends_with("#/$defs/family_text") {
                if !found.contains(at) {
                    found.push(at.clone());
                }
                return;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let root = if file.is_empty() { root } else { &self.common };
            if let Some(target) = root.pointer(fragment) {
                self.walk(root, target, value, at, found);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.walk(root, branch, value, at, found);
            }
        }
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    let properties = node.get("properties").and_then(|p| p.get(key));
                    let extra = node.get("additionalProperties").filter(|a| a.is_object());
                    if let Some(sub) = properties.or(extra) {
                        let len = at.len();
                        at.push('/');
                        at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                        self.walk(root, sub, item, at, found);
                        at.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(sub) = node.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        let len = at.len();
                        at.push_str(&format!("/{i}"));
                        self.walk(root, sub, item, at, found);
                        at.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }

    /// The sub-schema at a keyword location (as the validator reports it,
    /// `$ref` steps included), so messages can quote its `description`.
    pub fn subschema<'a>(&'a self, schema: &'a Value, location: &str) -> Option<&'a Value> {
        let mut root = schema;
        let mut node = schema;
        for raw in location.split('/').skip(1) {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            if segment == "$ref" {
                let target = node.get("$ref")?.as_str()?;
                let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
                if !file.is_empty() {
                    root = &self.common;
                }
                node = root.pointer(fragment)?;
                continue;
            }
            node = match node {
                Value::Object(map) => map.get(&segment)?,
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// The latest schema of a record kind as one self-contained JSON Schema
/// (what `casepaper schema KIND` prints): the shared definitions are copied
/// into its `$defs` as `common.<name>` and every `$ref` points inside it, so
/// an editor or another tool needs no other file.
pub fn bundled(kind: Kind) -> Value {
    let parsed = |wanted| {
        let (_, _, name, text) = latest(wanted);
        parse_embedded(name, text)
    };
    let mut schema = parsed(Some(kind));
    let mut common = parsed(None);
    point_inside(&mut schema, false);
    point_inside(&mut common, true);
    if let Some(Value::Object(shared)) = common.get_mut("$defs").map(Value::take) {
        let defs = schema
            .as_object_mut()
            .expect("a schema is an object")
            .entry("$defs")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(defs) = defs {
            for (name, def) in shared {
                defs.insert(format!("common.{name}"), def);
            }
        }
    }
    schema
}

/// The newest schema file of a kind (`None`: the shared definitions).
fn latest(kind: Option<Kind>) -> &'static (Option<Kind>, u64, &'static str, &'static str) {
    SCHEMA_FILES
        .iter()
        .filter(|(k, ..)| *k == kind)
        .max_by_key(|(_, version, ..)| *version)
        .expect("every kind has a schema")
}

/// Rewrites the `$ref`s to the shared schema to the bundled names; inside
/// the shared schema itself (`shared`), its references to its own
/// definitions too. A kind's references to its own definitions stay.
fn point_inside(node: &mut Value, shared: bool) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(target) if key == "$ref" => {
                        let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
                        let to_shared = file.starts_with("common.") || (shared && file.is_empty());
                        if let (true, Some(name)) = (to_shared, fragment.strip_prefix("/$defs/")) {
                            *target = format!("#/$defs/common.{name}");
                        }
                    }
                    _ => point_inside(child, shared),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| point_inside(item, shared)),
        _ => {}
    }
}

/// A record file with every required element of `kind` present and empty,
/// each with a one-line comment saying what goes there, so `validate` lists
/// exactly what is left to fill. `also` names optional top-level elements
/// to include (a case's `child`); `values` fills elements by name, at any
/// depth (`case_id`, a note's `date`). Nested required elements are
/// included, and a list of mappings gets one entry, or with `entries` naming
/// it by its path (`progress`, `consents.services`), one entry per element
/// there, filled with that element's values (a review's progress entry for
/// each outcome); an entry's values also bring in optional elements they
/// name (a service's `service_coordination`).
pub fn skeleton(
    kind: Kind,
    also: &[&str],
    values: &[(&str, &str)],
    entries: &[(&str, Vec<Values>)],
) -> String {
    let schema = bundled(kind);
    let (_, _, file, _) = latest(Some(kind));
    let mut out = format!("# yaml-language-server: $schema=../../schemas/{file}\n");
    let fill = Fill {
        wanted: &|name: &str| also.contains(&name),
        values,
        entries,
        path: String::new(),
        named: false,
    };
    skeleton_mapping(&schema, &schema, 0, "", &fill, &mut out);
    out
}

/// Every comment a skeleton of `kind` may write beside an element (what
/// goes there), so a change can tell casepaper's help from a person's
/// comment.
pub fn hints(kind: Kind) -> std::collections::BTreeSet<String> {
    fn walk(root: &Value, node: &Value, out: &mut std::collections::BTreeSet<String>) {
        let node = resolve(root, node);
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for property in properties.values() {
                out.insert(hint(root, property, true));
                out.insert(hint(root, property, false));
                walk(root, property, out);
            }
        }
        if let Some(items) = node.get("items") {
            walk(root, items, out);
        }
    }
    let schema = bundled(kind);
    let mut out = std::collections::BTreeSet::new();
    walk(&schema, &schema, &mut out);
    out.remove("");
    out
}

/// Values by element name, owned (one entry of a list in a skeleton).
pub type Values = Vec<(&'static str, String)>;

/// What a skeleton fills in besides the required elements.
struct Fill<'a> {
    wanted: &'a dyn Fn(&str) -> bool,
    values: &'a [(&'a str, &'a str)],
    entries: &'a [(&'a str, Vec<Values>)],
    /// Where the mapping is, as dotted element names (`consents.services`).
    path: String,
    /// Optional elements `values` names are included (inside an entry).
    named: bool,
}

impl Fill<'_> {
    fn under(&self, name: &str) -> String {
        match self.path.is_empty() {
            true => name.to_string(),
            false => format!("{}.{name}", self.path),
        }
    }
}

/// The lines of a mapping's required (and wanted) elements at `indent`;
/// `first` goes before the first key (`- ` for a list entry).
fn skeleton_mapping(
    root: &Value,
    node: &Value,
    indent: usize,
    first: &str,
    fill: &Fill,
    out: &mut String,
) {
    let (wanted, values) = (fill.wanted, fill.values);
    let node = resolve(root, node);
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    let mut lead = first.to_string();
    for (name, property) in properties {
        let named = (fill.named && values.iter().any(|(key, _)| key == name))
            || fill
                .entries
                .iter()
                .any(|(list, _)| *list == fill.under(name));
        let included = required.contains(&name.as_str()) || (indent == 0 && wanted(name)) || named;
        if !included {
            continue;
        }
        let pad = " ".repeat(indent.saturating_sub(lead.len()));
        let prefix = format!("{pad}{lead}{name}:");
        lead = String::new();
        let property_resolved = resolve(root, property);
        if let Some(constant) = property_resolved.get("const") {
            out.push_str(&format!("{prefix} {}\n", scalar(constant)));
            continue;
        }
        if let Some((_, value)) = values.iter().find(|(key, _)| key == name) {
            // Inside an entry, a filled element keeps its comment too.
            match fill.named && !value.contains('#') {
                // An empty value: the element, to fill.
                true if value.is_empty() => {
                    out.push_str(&format!("{prefix}  # {}\n", hint(root, property, true)))
                }
                true => out.push_str(&format!(
                    "{prefix} {value}  # {}\n",
                    hint(root, property, false)
                )),
                false => out.push_str(&format!("{prefix} {value}\n")),
            }
            continue;
        }
        let shape = property_resolved.get("type").and_then(Value::as_str);
        let items = property_resolved.get("items").map(|i| resolve(root, i));
        match (shape, items) {
            (Some("object"), _) if property_resolved.get("properties").is_some() => {
                out.push_str(&format!("{prefix}  # {}\n", hint(root, property, false)));
                let inner = Fill {
                    path: fill.under(name),
                    ..*fill
                };
                skeleton_mapping(root, property, indent + 2, "", &inner, out);
            }
            (Some("array"), Some(items)) if items.get("properties").is_some() => {
                // Its entries follow, so the comment need not say it is a list.
                out.push_str(&format!("{prefix}  # {}\n", hint(root, property, false)));
                let lead = " ".repeat(indent + 2) + "- ";
                let path = fill.under(name);
                match fill.entries.iter().find(|(list, _)| *list == path) {
                    Some((_, entries)) => {
                        for entry in entries {
                            let values: Vec<(&str, &str)> =
                                entry.iter().map(|(k, v)| (*k, v.as_str())).collect();
                            let entry_fill = Fill {
                                values: &values,
                                path: path.clone(),
                                named: true,
                                ..*fill
                            };
                            skeleton_mapping(root, items, indent + 4, &lead, &entry_fill, out);
                        }
                    }
                    None => {
                        let inner = Fill { path, ..*fill };
                        skeleton_mapping(root, items, indent + 4, &lead, &inner, out);
                    }
                }
            }
            _ => out.push_str(&format!("{prefix}  # {}\n", hint(root, property, true))),
        }
    }
}

/// A schema node with a `$ref` replaced by what it points to (one step; the
/// bundled schema's references are all inside it). A node that is an
/// `allOf` of a reference and further conditions (an exit letter's
/// signatures) stands for the reference.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let reference = node.get("$ref").or_else(|| node.pointer("/allOf/0/$ref"));
    match reference.and_then(Value::as_str) {
        Some(target) => target
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .unwrap_or(node),
        None => node,
    }
}

/// A YAML scalar for a constant.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What goes in an element, in one line: its description's first sentence,
/// and (with `form`) the form or the choices of its value.
fn hint(root: &Value, property: &Value, form: bool) -> String {
    let description = property
        .get("description")
        .or_else(|| resolve(root, property).get("description"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let sentence = description
        .split_once(". ")
        .map_or(description, |(first, _)| first)
        .trim_end_matches('.');
    let resolved = resolve(root, property);
    let form = if !form {
        String::new()
    } else if let Some(choices) = resolved.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = choices.iter().map(scalar).collect();
        format!("one of: {}", names.join(", "))
    } else if resolved.get("format").and_then(Value::as_str) == Some("date") {
        "a date, YYYY-MM-DD".into()
    } else {
        match resolved.get("type").and_then(Value::as_str) {
            Some("boolean") => "true or false".into(),
            Some("integer") => "a whole number".into(),
            Some("array") => "a list, [first, second]".into(),
            _ => String::new(),
        }
    };
    match form.is_empty() {
        true => sentence.to_string(),
        false => format!("{sentence} ({form})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property of every schema, with its JSON pointer.
    fn properties<'a>(at: String, node: &'a Value, out: &mut Vec<(String, &'a Value)>) {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    // An `if` or `contains` only tests values; its properties
                    // define no element.
                    if key == "if" || key == "contains" {
                        continue;
                    }
                    if key == "properties" {
                        for (name, prop) in child.as_object().into_iter().flatten() {
                            out.push((format!("{at}/properties/{name}"), prop));
                        }
                    }
                    properties(format!("{at}/{key}"), child, out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    properties(format!("{at}/{i}"), item, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_comment_a_skeleton_writes_beside_an_element_is_a_hint_of_its_kind() {
        for kind in [Kind::Contacts, Kind::Case, Kind::Plan, Kind::Exit] {
            let hints = hints(kind);
            let text = skeleton(kind, &["notes", "part_c", "child"], &[], &[]);
            let comments: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter_map(|l| l.split_once("  # ").map(|(_, c)| c.trim()))
                .collect();
            assert!(!comments.is_empty(), "{kind}: {text}");
            for comment in comments {
                assert!(hints.contains(comment), "{kind}: {comment:?} is not a hint");
            }
            assert!(!hints.contains(""), "{kind}");
        }
        let contacts = hints(Kind::Contacts);
        for hint in [
            "The date the coordinator signed the note (a date, YYYY-MM-DD)",
            "How long the contact took, in minutes (a whole number)",
            "The coordinator's signature on this note (notes must be dated and signed)",
        ] {
            assert!(contacts.contains(hint), "{hint}");
        }
        assert!(!contacts.contains("ask Dana"));
    }

    #[test]
    fn every_schema_compiles_and_describes_every_property() {
        let schemas = Schemas::embedded();
        for kind in Kind::ALL {
            assert!(schemas.get(kind, 1).is_some(), "no schema for {kind}");
        }
        for (_, _, name, text) in SCHEMA_FILES {
            let value = parse_embedded(name, text);
            let mut found = Vec::new();
            properties(String::new(), &value, &mut found);
            assert!(!found.is_empty(), "{name} has no properties");
            for (pointer, prop) in found {
                let described = prop
                    .get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.is_empty());
                assert!(described, "{name}{pointer} has no description");
            }
        }
    }
}

/// Every schema enumeration of `model` is an enum whose values are exactly
/// the choices its schema lists, in the schema's order.
#[cfg(test)]
mod enums_equal_the_schemas {
    use super::bundled;
    use crate::model::*;

    /// The choices the schema of `kind` lists at `pointer` (in the schema
    /// as `casepaper schema KIND` prints it, shared definitions bundled in).
    fn schema_choices(kind: Kind, pointer: &str) -> Vec<String> {
        let schema = bundled(kind);
        let node = schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{kind} schema has nothing at {pointer}"));
        let list: Vec<String> = match node {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().expect("a text choice").to_string())
                .collect(),
            // An object's property names (the rule ids of `rules`).
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("{kind} schema at {pointer} is {other}"),
        };
        assert!(!list.is_empty(), "{kind} schema at {pointer} lists nothing");
        list
    }

    /// `T` lists exactly the choices of the schema of `kind` at `pointer`.
    fn same_as_schema<T: SchemaEnum>(kind: Kind, pointer: &str) {
        let ours: Vec<String> = T::ALL.iter().map(|v| v.name().to_string()).collect();
        assert_eq!(
            ours,
            schema_choices(kind, pointer),
            "{kind} schema at {pointer}"
        );
    }

    #[test]
    fn every_enum_lists_exactly_the_choices_of_its_schema() {
        let signature = "/$defs/common.signature/properties";
        same_as_schema::<SignerRole>(Kind::Plan, &format!("{signature}/role/enum"));
        same_as_schema::<SignatureMethod>(Kind::Plan, &format!("{signature}/method/enum"));
        same_as_schema::<Client>(Kind::Case, "/properties/client/enum");
        same_as_schema::<State>(Kind::Case, "/properties/state/enum");
        same_as_schema::<ExceptionReason>(
            Kind::Case,
            "/properties/timeline_exceptions/items/properties/reason/enum",
        );
        same_as_schema::<State>(Kind::Program, "/properties/program/properties/state/enum");
        same_as_schema::<RuleSetting>(Kind::Program, "/$defs/setting/enum");
        same_as_schema::<RuleId>(Kind::Program, "/properties/rules/properties");
        let plan = |p: &str| format!("/properties/{p}/enum");
        same_as_schema::<MeetingType>(Kind::Plan, &plan("meetings/items/properties/type"));
        same_as_schema::<ProgressReview>(
            Kind::Plan,
            &plan("outcomes/items/properties/progress/items/properties/review"),
        );
        same_as_schema::<Per>(Kind::Plan, "/$defs/frequency/properties/per/enum");
        same_as_schema::<Intensity>(Kind::Plan, "/$defs/intensity/enum");
        same_as_schema::<ServiceMethod>(Kind::Plan, "/$defs/method/enum");
        let consent = |p: &str| format!("/$defs/common.consent/properties/{p}/enum");
        same_as_schema::<ConsentAction>(Kind::Plan, &consent("action"));
        same_as_schema::<Decision>(Kind::Plan, &consent("services/items/properties/decision"));
        same_as_schema::<InsuranceChoice>(Kind::Plan, &consent("insurance/properties/public"));
        same_as_schema::<InsuranceChoice>(Kind::Plan, &consent("insurance/properties/private"));
        same_as_schema::<ReviewType>(Kind::Review, "/properties/type/enum");
        same_as_schema::<ContactKind>(
            Kind::Contacts,
            "/properties/notes/items/properties/type/enum",
        );
        same_as_schema::<TransitionKind>(Kind::Transition, "/properties/type/enum");
        same_as_schema::<ExitReason>(Kind::Exit, "/properties/reason/enum");
        same_as_schema::<NoticeAction>(
            Kind::Notices,
            "/properties/prior_written/items/properties/action/enum",
        );
        same_as_schema::<Attempt>(
            Kind::Contacts,
            "/properties/notes/items/properties/attempt/enum",
        );
        same_as_schema::<AttemptMethod>(
            Kind::Exit,
            "/properties/attempts/items/properties/method/enum",
        );
    }
}
