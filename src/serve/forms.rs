//! Forms made from the JSON Schemas: one field per element of a record,
//! with the element's description as its help, its choices as a list to
//! pick from, dates as date fields and required elements marked. What the
//! browser sends back becomes the record's value again, and that value is
//! written as YAML the loader reads back to the same value.

use serde::Serialize;
use serde_json::{Map, Value};

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    Text,
    /// Longer text, on several lines.
    Area,
    Date,
    Time,
    Number,
    Select,
    /// A list of texts, one per line.
    Lines,
    /// A list of whole numbers, separated by commas.
    Numbers,
    /// A list of entries, each a group of fields, added and removed with
    /// buttons (a review's progress on each outcome, the signatures).
    Entries,
    /// Yes or no, picked from a list (a boolean the record may leave out).
    Boolean,
    /// A box to tick for what must be true (the consent was explained).
    Check,
    /// A text the family reads, one field for each language its papers are
    /// made in, side by side (the fields are this field's one entry).
    Languages,
}

impl Input {
    /// Whether the browser's field of this kind can show `value`: a date
    /// field a day written YYYY-MM-DD in the days casepaper takes
    /// (`model::DAYS`), a time field HH:MM; any field any other value.
    pub fn shows(self, value: &str) -> bool {
        match self {
            Input::Date => {
                value.len() == 10
                    && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                        .is_ok_and(|day| crate::model::DAYS.contains(&day))
            }
            Input::Time => {
                value.len() == 5 && chrono::NaiveTime::parse_from_str(value, "%H:%M").is_ok()
            }
            _ => true,
        }
    }
}

/// One field of a form.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The element's path in the record, dotted: `signed.by`.
    pub name: String,
    pub label: String,
    /// The element's description in the schema.
    pub help: String,
    pub required: bool,
    pub input: Input,
    /// For a choice: the value and its words, in the schema's order.
    pub choices: Vec<(String, String)>,
    /// What the field holds (as typed, when it is sent back with errors).
    pub value: String,
    /// What `validate` says about the element.
    pub errors: Vec<String>,
    /// For a list of entries: each entry's fields, named `list.N.element`.
    pub entries: Vec<Vec<Field>>,
    /// For a list of entries: the fields of one entry, named by element.
    #[serde(skip)]
    pub item: Vec<Field>,
}

impl Field {
    /// The fields of entry `n` of this list.
    fn entry(&self, n: usize) -> Vec<Field> {
        let prefix = format!("{}.{n}.", self.name);
        self.item.iter().map(|f| f.under(&prefix)).collect()
    }

    /// The field named under `prefix`, with the fields it holds.
    fn under(&self, prefix: &str) -> Field {
        let mut field = self.clone();
        field.name = format!("{prefix}{}", self.name);
        for entry in &mut field.entries {
            for inner in entry.iter_mut() {
                inner.name = format!("{prefix}{}", inner.name);
            }
        }
        field
    }

    /// The code of the language a field of a text in several languages is
    /// for: the last part of its name (`reasons.es`).
    fn language(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or_default()
    }
}

/// The languages a family's papers are made in, as code and name: a text
/// the family reads gets a field for each where there are several.
pub type Languages<'a> = &'a [(String, String)];

/// Choices the records give for an element the schema leaves open (a
/// staff id, a service id), by the element's dotted name, with `[]` for
/// each entry of a list (`family[].reads`).
pub type Known<'a> = &'a [(&'a str, Vec<(String, String)>)];

/// `node` with every `$ref` into `root` (`#/$defs/date`) replaced by what
/// it names, the node's own keywords (its description) kept over it.
pub fn resolved(node: &Value, root: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            if let Some(target) = map
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| root.pointer(pointer))
                && let Value::Object(def) = resolved(target, root)
            {
                out.extend(def);
            }
            // `allOf: [{$ref: ...}, {contains: ...}]`: what each part says of
            // the element's shape.
            for part in map
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Value::Object(part) = resolved(part, root) {
                    for (key, value) in part {
                        out.entry(key).or_insert(value);
                    }
                }
            }
            for (key, value) in map {
                if key != "$ref" && key != "allOf" {
                    out.insert(key.clone(), resolved(value, root));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| resolved(i, root)).collect()),
        other => other.clone(),
    }
}

/// The fields of the object `schema` describes (a contact note): one per
/// element, nested objects' elements named `outer.inner`. `words` gives an
/// enum value's words (the translations'), else the value is shown.
pub fn fields(
    schema: &Value,
    known: Known,
    words: &dyn Fn(&str, &str) -> Option<String>,
    languages: Languages,
) -> Vec<Field> {
    let mut out = Vec::new();
    let how = How {
        known,
        words,
        languages,
    };
    object_fields(schema, "", "", "", true, &how, &mut out);
    out
}

/// What the fields of a form are made with besides the schema.
struct How<'a> {
    known: Known<'a>,
    words: &'a dyn Fn(&str, &str) -> Option<String>,
    languages: Languages<'a>,
}

/// The fields of the object `schema` describes, named under `prefix`;
/// `scope` is where the object is in the record, as `Known` names it
/// (`family[].` for the elements of each family member).
fn object_fields(
    schema: &Value,
    prefix: &str,
    scope: &str,
    label_prefix: &str,
    required_here: bool,
    how: &How,
    out: &mut Vec<Field>,
) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    for (key, property) in properties {
        let name = format!("{prefix}{key}");
        let label = format!("{label_prefix}{}", humane(key));
        let is_required = required_here && required.contains(&key.as_str());
        if property.get("type").and_then(|t| t.as_str()) == Some("object") {
            let inner = format!("{label} - ");
            let within = format!("{scope}{key}.");
            object_fields(
                property,
                &format!("{name}."),
                &within,
                &inner,
                is_required,
                how,
                out,
            );
            continue;
        }
        if property.pointer("/items/type").and_then(|t| t.as_str()) == Some("object") {
            let items = property.get("items").unwrap_or(&Value::Null);
            let mut item = Vec::new();
            object_fields(
                items,
                "",
                &format!("{scope}{key}[]."),
                "",
                true,
                how,
                &mut item,
            );
            let mut list = Field {
                input: Input::Entries,
                help: description(property),
                required: is_required,
                choices: Vec::new(),
                value: String::new(),
                errors: Vec::new(),
                entries: Vec::new(),
                item,
                name,
                label,
            };
            if is_required {
                list.entries.push(list.entry(0));
            }
            out.push(list);
            continue;
        }
        let blank = Field {
            help: help_of(property, Input::Text),
            input: Input::Text,
            required: is_required,
            choices: Vec::new(),
            value: String::new(),
            errors: Vec::new(),
            entries: Vec::new(),
            item: Vec::new(),
            name: name.clone(),
            label: label.clone(),
        };
        if property.get("const") == Some(&Value::Bool(true)) {
            out.push(Field {
                input: Input::Check,
                ..blank
            });
            continue;
        }
        if property.get("type").and_then(Value::as_str) == Some("boolean") {
            let mut choices = vec![("true".into(), "Yes".into()), ("false".into(), "No".into())];
            if !is_required {
                choices.insert(0, (String::new(), "(none)".into()));
            }
            out.push(Field {
                input: Input::Boolean,
                choices,
                ..blank
            });
            continue;
        }
        let lines_of_family_text = property.get("type").and_then(Value::as_str) == Some("array")
            && property.get("items").is_some_and(is_family_text);
        if (is_family_text(property) || lines_of_family_text) && how.languages.len() > 1 {
            let input = if lines_of_family_text {
                Input::Lines
            } else if is_long(property) {
                Input::Area
            } else {
                Input::Text
            };
            let each = (how.languages.iter())
                .map(|(code, language)| Field {
                    name: format!("{name}.{code}"),
                    label: format!("{label} ({language})"),
                    input,
                    required: false,
                    // The help is the group's, said once.
                    help: String::new(),
                    ..blank.clone()
                })
                .collect();
            out.push(Field {
                input: Input::Languages,
                help: format!(
                    "{} {}",
                    blank.help,
                    if lines_of_family_text {
                        "Write one per line in each language, each on the same line in both; \
                         the papers in each language print its own."
                    } else {
                        "Write it in each language; the papers in each language print its own."
                    }
                )
                .trim_start()
                .to_string(),
                entries: vec![each],
                ..blank
            });
            continue;
        }
        let mut choices: Vec<(String, String)> = property
            .get("enum")
            .and_then(|e| e.as_array())
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|v| {
                        (
                            v.to_string(),
                            (how.words)(key, v).unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let known_as = format!("{scope}{key}");
        if let Some((_, given)) = how.known.iter().find(|(n, _)| *n == known_as) {
            choices = given.clone();
        }
        // An optional choice may be left unmade.
        if !choices.is_empty() && !is_required && choices.iter().all(|(v, _)| !v.is_empty()) {
            choices.insert(0, (String::new(), "(none)".into()));
        }
        let input = input_of(property, !choices.is_empty());
        out.push(Field {
            help: help_of(property, input),
            input,
            required: is_required,
            choices,
            value: String::new(),
            errors: Vec::new(),
            entries: Vec::new(),
            item: Vec::new(),
            name,
            label,
        });
    }
}

/// The help beside a field: the property's description, without what it
/// says of writing a date or time in a file (`YYYY-MM-DD`, `24-hour
/// HH:MM`), which the browser's date and time fields show in their own way.
fn help_of(property: &Value, input: Input) -> String {
    let words = description(property);
    match input {
        Input::Date => words
            .split_inclusive(". ")
            .filter(|sentence| !sentence.contains("YYYY-MM-DD"))
            .collect::<String>()
            .trim_end()
            .to_string(),
        Input::Time if words.contains("24-hour") => match words.split_once(", ") {
            Some((what, _)) => format!("{}.", what.trim_end_matches('.')),
            None => words,
        },
        _ => words,
    }
}

fn description(property: &Value) -> String {
    property
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .to_string()
}

fn input_of(property: &Value, choices: bool) -> Input {
    let ty = property.get("type").and_then(|t| t.as_str());
    let is_date = property.get("format").and_then(|f| f.as_str()) == Some("date");
    let pattern = property
        .get("pattern")
        .and_then(|p| p.as_str())
        .unwrap_or("");
    match ty {
        _ if choices => Input::Select,
        _ if is_date => Input::Date,
        Some("integer" | "number") => Input::Number,
        Some("array") => match property.pointer("/items/type").and_then(|t| t.as_str()) {
            Some("integer" | "number") => Input::Numbers,
            _ => Input::Lines,
        },
        Some("string") if pattern.contains(":[0-5]") => Input::Time,
        _ if is_long(property) => Input::Area,
        _ => Input::Text,
    }
}

/// Whether a text in several languages is a list, a line for each entry.
fn is_lines(field: &Field) -> bool {
    field
        .entries
        .iter()
        .flatten()
        .any(|f| f.input == Input::Lines)
}

/// A text the family reads, which the records take in one language or in
/// each of the family's (`common.family_text`): a text, or an object of
/// texts by language code.
fn is_family_text(property: &Value) -> bool {
    (property.get("anyOf").and_then(Value::as_array))
        .is_some_and(|ways| ways.iter().any(|w| w.get("propertyNames").is_some()))
}

/// Text a coordinator writes a sentence or more of.
fn is_long(property: &Value) -> bool {
    let words = property
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or("");
    [
        "What was",
        "plan for",
        "summary",
        "reason",
        "in plain words",
    ]
    .iter()
    .any(|w| words.contains(w))
}

/// `start_time` as a label: `Start time`.
fn humane(key: &str) -> String {
    crate::model::text::upper_first(&key.replace('_', " "))
}

/// The record's value from what the browser sent: each field by its
/// dotted name. Empty fields are left out (the validator then says which
/// required ones are missing); a number that is not one is kept as typed,
/// so the validator says so beside it.
pub fn value_of(fields: &[Field], sent: &[(String, String)]) -> Value {
    Value::Object(collect(fields, sent, ""))
}

/// The elements of `fields` from what was sent, each named by its field's
/// name less `strip` (an entry's `list.N.`).
fn collect(fields: &[Field], sent: &[(String, String)], strip: &str) -> Map<String, Value> {
    let mut root = Map::new();
    for field in fields {
        let key = field.name.strip_prefix(strip).unwrap_or(&field.name);
        if field.input == Input::Languages && is_lines(field) {
            // Line N in each language is the list's entry N.
            let mut items: Vec<Map<String, Value>> = Vec::new();
            for each in field.entries.iter().flatten() {
                let raw = sent
                    .iter()
                    .find(|(n, _)| n == &each.name)
                    .map(|(_, v)| v.as_str());
                let lines = raw
                    .unwrap_or("")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty());
                for (n, line) in lines.enumerate() {
                    if items.len() <= n {
                        items.resize_with(n + 1, Map::new);
                    }
                    items[n].insert(each.language().to_string(), Value::String(line.to_string()));
                }
            }
            if !items.is_empty() {
                insert(
                    &mut root,
                    key,
                    Value::Array(items.into_iter().map(Value::Object).collect()),
                );
            }
            continue;
        }
        if field.input == Input::Languages {
            let texts: Map<String, Value> = (field.entries.iter().flatten())
                .filter_map(|each| {
                    let raw = sent.iter().find(|(n, _)| n == &each.name)?.1.trim();
                    (!raw.is_empty())
                        .then(|| (each.language().to_string(), Value::String(normalize(raw))))
                })
                .collect();
            if !texts.is_empty() {
                insert(&mut root, key, Value::Object(texts));
            }
            continue;
        }
        if field.input == Input::Entries {
            let entries: Vec<Value> = field
                .entries
                .iter()
                .enumerate()
                .map(|(n, entry)| collect(entry, sent, &format!("{}.{n}.", field.name)))
                .filter(|entry| !entry.is_empty())
                .map(Value::Object)
                .collect();
            if !entries.is_empty() {
                insert(&mut root, key, Value::Array(entries));
            }
            continue;
        }
        let raw = sent
            .iter()
            .find(|(name, _)| name == &field.name)
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        let value = match field.input {
            _ if raw.is_empty() => continue,
            Input::Number => number(raw),
            Input::Boolean | Input::Check if raw == "true" => Value::Bool(true),
            Input::Boolean if raw == "false" => Value::Bool(false),
            Input::Lines => Value::Array(
                raw.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            ),
            Input::Numbers => Value::Array(
                raw.split([',', ' ', ';'])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(number)
                    .collect(),
            ),
            _ => Value::String(normalize(raw)),
        };
        insert(&mut root, key, value);
    }
    root
}

/// The form as the browser sent it (`sent`): its lists shaped to what was
/// sent (an entry added or removed), each field filled with what was sent,
/// and the record's value; with whether an Add or Remove button sent it,
/// which only changes the form.
pub fn take(fields: &mut [Field], sent: &[(String, String)]) -> (Value, bool) {
    let (sent, asked) = shape(fields, sent);
    let value = value_of(fields, &sent);
    fill(fields, &value);
    (value, asked)
}

/// Sizes each list of entries as the form sent it (`list.count`), with
/// the entry its Add button asked for, or without the one its Remove
/// button named (the later entries' values move up); lists inside an
/// entry (a meeting's signatures) too. Gives what was sent as the fields
/// now name it, and whether a button asked for this.
pub fn shape(fields: &mut [Field], sent: &[(String, String)]) -> (Vec<(String, String)>, bool) {
    let mut sent = sent.to_vec();
    let mut asked = false;
    shape_lists(fields, &mut sent, &mut asked);
    (sent, asked)
}

fn shape_lists(fields: &mut [Field], sent: &mut Vec<(String, String)>, asked: &mut bool) {
    for field in fields.iter_mut().filter(|f| f.input == Input::Entries) {
        let list = field.name.clone();
        let get = |sent: &[(String, String)], name: &str| {
            sent.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        };
        let mut count = get(sent, &format!("{list}.count"))
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(field.entries.len())
            .min(100);
        if get(sent, "add").as_deref() == Some(list.as_str()) {
            count += 1;
            *asked = true;
        }
        let removed = get(sent, "remove")
            .and_then(|r| r.strip_prefix(&format!("{list}.")).map(str::to_string))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n < count);
        if let Some(gone) = removed {
            *asked = true;
            count -= 1;
            let prefix = format!("{list}.");
            *sent = std::mem::take(sent)
                .into_iter()
                .filter_map(|(k, v)| {
                    let Some((n, rest)) = k.strip_prefix(&prefix).and_then(|r| r.split_once('.'))
                    else {
                        return Some((k, v));
                    };
                    match n.parse::<usize>() {
                        Ok(n) if n == gone => None,
                        Ok(n) if n > gone => Some((format!("{prefix}{}.{rest}", n - 1), v)),
                        _ => Some((k, v)),
                    }
                })
                .collect();
        }
        field.entries = (0..count).map(|n| field.entry(n)).collect();
        for entry in &mut field.entries {
            shape_lists(entry, sent, asked);
        }
    }
}

/// The browser's line breaks (`\r\n`) as the records write them.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn number(raw: &str) -> Value {
    raw.parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::String(raw.to_string()))
}

fn insert(map: &mut Map<String, Value>, dotted: &str, value: Value) {
    match dotted.split_once('.') {
        None => {
            map.insert(dotted.to_string(), value);
        }
        Some((outer, rest)) => {
            let inner = map
                .entry(outer.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                insert(inner, rest, value);
            }
        }
    }
}

/// Makes every field of `element` (named by its scope, as the known
/// choices are: `consents[].services[].service`) a choice of `choices`, in
/// every entry; a value already given that is not among them stays a
/// choice, so nothing typed is lost. Without choices the field is left as
/// it is.
pub fn choose(fields: &mut [Field], element: &str, choices: &[(String, String)]) {
    if choices.is_empty() {
        return;
    }
    for field in fields {
        if field.input == Input::Entries {
            for entry in &mut field.entries {
                choose(entry, element, choices);
            }
            continue;
        }
        if scope_of(&field.name) != element {
            continue;
        }
        let mut own = choices.to_vec();
        if !field.value.is_empty() && !own.iter().any(|(v, _)| *v == field.value) {
            own.push((field.value.clone(), field.value.clone()));
        }
        field.choices = own;
        field.input = Input::Select;
    }
}

/// A field's name as its element's scope: `consents.0.services.1.service`
/// is `consents[].services[].service`.
fn scope_of(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    let mut out = String::new();
    for part in parts {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("[]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

/// Each field filled from `value` (an existing or sent record), as the
/// browser shows it; a list gets an entry for each of its values.
pub fn fill(fields: &mut [Field], value: &Value) {
    fill_under(fields, value, "");
}

fn fill_under(fields: &mut [Field], value: &Value, strip: &str) {
    for field in fields {
        let key = field.name.strip_prefix(strip).unwrap_or(&field.name);
        let pointer = format!("/{}", key.replace('.', "/"));
        let found = value.pointer(&pointer);
        if field.input == Input::Languages && is_lines(field) {
            let items = found.and_then(Value::as_array).cloned().unwrap_or_default();
            for (n, each) in field.entries.iter_mut().flatten().enumerate() {
                let lines: Vec<String> = (items.iter())
                    .map(|item| match item {
                        Value::Object(texts) => texts.get(each.language()).map(scalar),
                        Value::String(text) if n == 0 => Some(text.clone()),
                        _ => None,
                    })
                    .map(Option::unwrap_or_default)
                    .collect();
                each.value = lines.join("\n").trim_end().to_string();
            }
            continue;
        }
        if field.input == Input::Languages {
            for (n, each) in field.entries.iter_mut().flatten().enumerate() {
                each.value = match found {
                    Some(Value::Object(texts)) => texts.get(each.language()).map(scalar),
                    // A text written once is taken to be in the case's
                    // language, the first.
                    Some(Value::String(text)) if n == 0 => Some(text.clone()),
                    _ => None,
                }
                .unwrap_or_default();
            }
            continue;
        }
        if field.input == Input::Entries {
            let items = found.and_then(Value::as_array).cloned().unwrap_or_default();
            // As many entries as values, and never fewer than the form has
            // (an entry just added is still empty); those it has keep their
            // own lists' sizes.
            let count = items.len().max(field.entries.len());
            for n in field.entries.len()..count {
                let entry = field.entry(n);
                field.entries.push(entry);
            }
            let list = field.name.clone();
            for (n, (entry, item)) in field.entries.iter_mut().zip(&items).enumerate() {
                fill_under(entry, item, &format!("{list}.{n}."));
            }
            continue;
        }
        field.value = match found {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) => {
                let sep = if field.input == Input::Numbers {
                    ", "
                } else {
                    "\n"
                };
                items.iter().map(scalar).collect::<Vec<_>>().join(sep)
            }
            Some(other) => scalar(other),
        };
        // A value the browser's date or time field cannot show (it would
        // show it empty, and send it back empty) is shown as text, as it is.
        if !field.value.is_empty() && !field.input.shows(&field.value) {
            field.input = Input::Text;
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Puts each message beside the field of its element: `path` is the
/// element as `validate` names it, under `under` (`contacts.notes[0]`),
/// and an element with no field of its own (an entry, an item of a list)
/// is the nearest field that holds it. Each comes as its path, its words
/// beside a field, and its whole message, which is given back for those no
/// field is for.
pub fn place_errors(
    fields: &mut [Field],
    under: &str,
    found: Vec<(String, String, String)>,
) -> Vec<String> {
    let mut left = Vec::new();
    for (path, message, whole) in found {
        let inner = path
            .strip_prefix(under)
            .and_then(|p| p.strip_prefix('.'))
            .map(|p| p.replace('[', ".").replace(']', ""));
        let mut name = inner.unwrap_or_default();
        loop {
            if let Some(field) = find_mut(fields, &name) {
                field.errors.push(message);
                break;
            }
            match name.rfind('.') {
                Some(dot) => name.truncate(dot),
                None => {
                    left.push(whole);
                    break;
                }
            }
        }
    }
    left
}

/// The field named `name`, among `fields` or their entries'.
fn find_mut<'a>(fields: &'a mut [Field], name: &str) -> Option<&'a mut Field> {
    for field in fields {
        if field.name == name {
            return Some(field);
        }
        let holds = matches!(field.input, Input::Entries | Input::Languages);
        if holds && name.starts_with(&format!("{}.", field.name)) {
            for entry in &mut field.entries {
                if let Some(found) = find_mut(entry, name) {
                    return Some(found);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_chosen_from_the_form_keeps_a_value_typed_before() {
        let schema = json!({
            "type": "object",
            "properties": {
                "consents": {"type": "array", "items": {"type": "object", "properties": {
                    "services": {"type": "array", "items": {"type": "object", "properties": {
                        "service": {"type": "string"}, "decision": {"type": "string"}}}}}}},
                "service": {"type": "string"}
            }
        });
        let words = |_: &str, _: &str| None;
        let mut form = fields(&schema, &[], &words, &[]);
        let value = json!({"consents": [{"services": [{"service": "speech"}, {"service": "gone"}, {}]}],
            "service": "speech"});
        let sent: Vec<(String, String)> = vec![
            ("consents.count".into(), "1".into()),
            ("consents.0.services.count".into(), "3".into()),
        ];
        shape(&mut form, &sent);
        fill(&mut form, &value);
        let speech = ("speech".to_string(), "Speech (speech)".to_string());
        choose(&mut form, "consents[].services[].service", &[]);
        let rows = |form: &[Field]| form[0].entries[0][0].entries.clone();
        assert_eq!(
            rows(&form)[0][0].input,
            Input::Text,
            "nothing to choose yet"
        );
        choose(
            &mut form,
            "consents[].services[].service",
            std::slice::from_ref(&speech),
        );
        let rows = rows(&form);
        assert_eq!(rows[0][0].input, Input::Select);
        assert_eq!(rows[0][0].choices, std::slice::from_ref(&speech));
        assert_eq!(
            rows[1][0].choices,
            [speech.clone(), ("gone".into(), "gone".into())],
            "a service taken off the plan stays what was chosen"
        );
        assert_eq!(rows[2][0].choices, [speech]);
        assert_eq!(
            rows[0][1].input,
            Input::Text,
            "the decision is not a service"
        );
        assert_eq!(
            form[1].input,
            Input::Text,
            "nor is an element of that name elsewhere"
        );
    }

    #[test]
    fn a_list_of_entries_grows_shrinks_and_gives_its_values_in_order() {
        let schema = json!({
            "type": "object",
            "required": ["progress"],
            "properties": {
                "progress": {"type": "array", "items": {"type": "object", "required": ["outcome"],
                    "properties": {"outcome": {"type": "integer"}, "note": {"type": "string"}}}},
                "attempts": {"type": "array", "items": {"type": "object",
                    "properties": {"date": {"type": "string", "format": "date"}}}}
            }
        });
        let words = |_: &str, _: &str| None;
        let mut form = fields(&schema, &[], &words, &[]);
        assert_eq!(form[0].input, Input::Entries);
        assert_eq!(
            form[0].entries.len(),
            1,
            "a required list starts with one entry"
        );
        assert_eq!(form[1].entries.len(), 0, "an optional one with none");
        assert_eq!(form[0].entries[0][1].name, "progress.0.note");
        let sent = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let three = [
            ("progress.count", "3"),
            ("progress.0.outcome", "1"),
            ("progress.0.note", "one"),
            ("progress.1.outcome", "2"),
            ("progress.2.outcome", "3"),
            ("progress.2.note", "three"),
        ];
        let (same, asked) = shape(&mut form, &sent(&three));
        assert!(!asked);
        assert_eq!(form[0].entries.len(), 3);
        assert_eq!(
            value_of(&form, &same),
            json!({"progress": [{"outcome": 1, "note": "one"}, {"outcome": 2}, {"outcome": 3, "note": "three"}]})
        );
        let mut removing = sent(&three);
        removing.push(("remove".into(), "progress.1".into()));
        let (moved, asked) = shape(&mut form, &removing);
        assert!(asked);
        assert_eq!(form[0].entries.len(), 2);
        assert_eq!(
            value_of(&form, &moved),
            json!({"progress": [{"outcome": 1, "note": "one"}, {"outcome": 3, "note": "three"}]})
        );
        let mut adding = sent(&three);
        adding.push(("add".into(), "attempts".into()));
        let (_, asked) = shape(&mut form, &adding);
        assert!(asked);
        assert_eq!((form[0].entries.len(), form[1].entries.len()), (3, 1));
        // An empty entry gives nothing; filling keeps the entries there.
        fill(&mut form, &json!({"progress": [{"outcome": 5}]}));
        assert_eq!(form[0].entries.len(), 3);
        assert_eq!(form[0].entries[0][0].value, "5");
        let left = place_errors(
            &mut form,
            "review",
            vec![
                (
                    "review.progress[2].note".into(),
                    "a note".into(),
                    "a note".into(),
                ),
                (
                    "review.progress[1]".into(),
                    "the entry".into(),
                    "the entry".into(),
                ),
                (
                    "review.progress".into(),
                    "the list".into(),
                    "the list".into(),
                ),
                (
                    "review.other".into(),
                    "elsewhere".into(),
                    "elsewhere".into(),
                ),
            ],
        );
        assert_eq!(form[0].entries[2][1].errors, ["a note"]);
        assert_eq!(form[0].errors, ["the entry", "the list"]);
        assert_eq!(left, ["elsewhere"]);
    }

    #[test]
    fn a_family_text_has_a_field_per_language_and_a_list_of_them_a_line_per_entry() {
        let text = json!({"anyOf": [{"type": "string"},
            {"type": "object", "propertyNames": {"pattern": "^[a-z]{2,3}$"}}]});
        let schema = json!({
            "type": "object",
            "required": ["reasons"],
            "properties": {
                "reasons": text.clone(),
                "strategies": {"type": "array", "items": text},
                "explained": {"const": true},
                "eligible": {"type": "boolean"},
                "outcomes": {"type": "array", "items": {"type": "integer"}},
                "signatures": {"type": "array", "items": {"type": "object",
                    "properties": {"name": {"type": "string"},
                        "seen": {"type": "array", "items": {"type": "object",
                            "properties": {"on": {"type": "string"}}}}}}}
            }
        });
        let languages = [
            ("es".to_string(), "Spanish".to_string()),
            ("en".to_string(), "English".to_string()),
        ];
        let mut form = fields(&schema, &[], &|_, _| None, &languages);
        let kinds: Vec<(&str, Input)> = form.iter().map(|f| (f.name.as_str(), f.input)).collect();
        assert_eq!(
            kinds,
            [
                ("reasons", Input::Languages),
                ("strategies", Input::Languages),
                ("explained", Input::Check),
                ("eligible", Input::Boolean),
                ("outcomes", Input::Numbers),
                ("signatures", Input::Entries)
            ]
        );
        // The group says what the text is, once; each language's field is
        // the group's part, required or not as the group is.
        assert!(form[0].required && form[0].help.starts_with("Write it in each language"));
        assert!(
            form[1]
                .help
                .starts_with("Write one per line in each language")
        );
        assert!((form[0].entries.iter().flatten()).all(|f| !f.required && f.help.is_empty()));
        // A family whose papers are in one language writes the text once.
        let one = fields(&schema, &[], &|_, _| None, &languages[..1]);
        assert_eq!((one[0].input, one[1].input), (Input::Text, Input::Lines));
        let each: Vec<(&str, &str, Input)> = (form[1].entries.iter().flatten())
            .map(|f| (f.name.as_str(), f.label.as_str(), f.input))
            .collect();
        assert_eq!(
            each,
            [
                ("strategies.es", "Strategies (Spanish)", Input::Lines),
                ("strategies.en", "Strategies (English)", Input::Lines)
            ]
        );
        assert_eq!(form[3].choices[0], (String::new(), "(none)".into()));
        let sent: Vec<(String, String)> = [
            ("reasons.es", "Porque sí."),
            ("reasons.en", ""),
            ("strategies.es", "Esperar.\r\nNombrar.\r\n"),
            ("strategies.en", "Wait.\r\n\r\nName.\r\nSing."),
            ("explained", "true"),
            ("eligible", "false"),
            ("outcomes", "1, 2"),
            ("signatures.count", "2"),
            ("signatures.1.name", "Ana"),
            ("signatures.1.seen.count", "1"),
            ("signatures.1.seen.0.on", "today"),
            ("add", "signatures.1.seen"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (sent, asked) = shape(&mut form, &sent);
        assert!(asked);
        assert_eq!(
            form[5].entries[1][1].entries.len(),
            2,
            "the inner list grew"
        );
        assert_eq!(form[5].entries[0][1].entries.len(), 0);
        let value = value_of(&form, &sent);
        assert_eq!(
            value,
            json!({"reasons": {"es": "Porque sí."},
                   "strategies": [{"es": "Esperar.", "en": "Wait."}, {"es": "Nombrar.", "en": "Name."},
                                  {"en": "Sing."}],
                   "explained": true, "eligible": false, "outcomes": [1, 2],
                   "signatures": [{"name": "Ana", "seen": [{"on": "today"}]}]})
        );
        // Filled again, each line goes back to its language, and the inner
        // list keeps the entry just added.
        fill(&mut form, &value);
        let shown: Vec<&str> = form[1].entries[0]
            .iter()
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(shown, ["Esperar.\nNombrar.", "Wait.\nName.\nSing."]);
        let shown: Vec<&str> = form[0].entries[0]
            .iter()
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(shown, ["Porque sí.", ""]);
        assert_eq!(form[3].value, "false");
        // (The empty first signature gave nothing: Ana's is now the first.)
        assert_eq!(form[5].entries[0][1].entries.len(), 1);
        assert_eq!(form[5].entries[0][1].entries[0][0].value, "today");
        assert_eq!(form[5].entries[1][1].entries.len(), 2);
        // A yes or no that is neither is kept as sent, for the validator to
        // say so; a Remove naming no entry removes nothing.
        let odd: Vec<(String, String)> = [
            ("eligible", "maybe"),
            ("signatures.count", "2"),
            ("remove", "signatures.2"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (odd, asked) = shape(&mut form, &odd);
        assert!(!asked);
        assert_eq!(form[5].entries.len(), 2);
        assert_eq!(value_of(&form, &odd), json!({"eligible": "maybe"}));
        // A text written once is in the case's language, the first.
        fill(
            &mut form,
            &json!({"reasons": "Because.", "strategies": ["Wait."]}),
        );
        let shown: Vec<&str> = form[0].entries[0]
            .iter()
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(shown, ["Because.", ""]);
        let shown: Vec<&str> = form[1].entries[0]
            .iter()
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(shown, ["Wait.", ""]);
        // An error about the text, and one about a language's, each placed.
        let left = place_errors(
            &mut form,
            "notices.prior_written[0]",
            vec![
                (
                    "notices.prior_written[0].reasons.en".into(),
                    "no English".into(),
                    "whole".into(),
                ),
                (
                    "notices.prior_written[0].reasons".into(),
                    "the text".into(),
                    "whole".into(),
                ),
                (
                    "notices.prior_written[0].other".into(),
                    "beside".into(),
                    "the whole message".into(),
                ),
            ],
        );
        assert_eq!(form[0].entries[0][1].errors, ["no English"]);
        assert_eq!(form[0].errors, ["the text"]);
        assert_eq!(left, ["the whole message"]);
    }

    #[test]
    fn a_date_or_time_the_browser_cannot_show_is_shown_as_text() {
        for (input, value, shown) in [
            (Input::Date, "2026-12-08", true),
            (Input::Date, "22026-12-06", false),
            (Input::Date, "2026-02-30", false),
            (Input::Date, "2026-2-3", false),
            (Input::Date, "1899-12-31", false),
            (Input::Date, "2199-12-31", true),
            (Input::Date, "12/08/2026", false),
            (Input::Time, "09:30", true),
            (Input::Time, "9:30", false),
            (Input::Time, "24:00", false),
            (Input::Time, "09:30 AM", false),
            (Input::Text, "anything", true),
        ] {
            assert_eq!(input.shows(value), shown, "{input:?} {value}");
        }
        let schema = json!({
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date"},
                "start_time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
            }
        });
        let mut fields = fields(&schema, &[], &|_, _| None, &[]);
        fill(
            &mut fields,
            &json!({"date": "2026-13-45", "start_time": "9.30"}),
        );
        let kinds: Vec<(Input, &str)> =
            fields.iter().map(|f| (f.input, f.value.as_str())).collect();
        assert_eq!(kinds, [(Input::Text, "2026-13-45"), (Input::Text, "9.30")]);
        let mut fields = super::fields(&schema, &[], &|_, _| None, &[]);
        fill(
            &mut fields,
            &json!({"date": "2026-12-08", "start_time": "09:30"}),
        );
        let kinds: Vec<Input> = fields.iter().map(|f| f.input).collect();
        assert_eq!(kinds, [Input::Date, Input::Time]);
    }

    #[test]
    fn a_date_or_time_field_s_help_says_nothing_of_how_a_file_writes_it() {
        let help = |property: Value, input| help_of(&property, input);
        assert_eq!(
            help(
                json!({"description": "A calendar date written YYYY-MM-DD, for example 2025-03-14."}),
                Input::Date
            ),
            ""
        );
        assert_eq!(
            help(
                json!({"description": "The date the coordinator signed the note."}),
                Input::Date
            ),
            "The date the coordinator signed the note."
        );
        assert_eq!(
            help(
                json!({"description": "When the contact started, 24-hour HH:MM, for example 09:30."}),
                Input::Time
            ),
            "When the contact started."
        );
        assert_eq!(
            help(
                json!({"description": "The time the meeting starts, on the 24-hour clock, for example \"09:30\" (quote it)."}),
                Input::Time
            ),
            "The time the meeting starts."
        );
        assert_eq!(
            help(
                json!({"description": "Where it was, 24-hour days."}),
                Input::Text
            ),
            "Where it was, 24-hour days."
        );
    }

    #[test]
    fn a_form_gives_back_the_value_it_was_filled_with() {
        let schema = json!({
            "type": "object",
            "required": ["date", "signed"],
            "properties": {
                "date": {"type": "string", "format": "date", "description": "The date."},
                "minutes": {"type": "integer"},
                "type": {"type": "string", "enum": ["visit", "phone"]},
                "participants": {"type": "array", "items": {"type": "string"}},
                "outcomes": {"type": "array", "items": {"type": "integer"}},
                "signed": {"type": "object", "required": ["by"], "properties": {
                    "by": {"type": "string"}, "on": {"type": "string", "format": "date"}}}
            }
        });
        let staff = vec![("mlopez".to_string(), "Maria Lopez".to_string())];
        let known: Known = &[("signed.by", staff)];
        let words =
            |k: &str, v: &str| (k == "type" && v == "phone").then(|| "phone call".to_string());
        let mut form = fields(&schema, known, &words, &[]);
        let names: Vec<&str> = form.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "date",
                "minutes",
                "type",
                "participants",
                "outcomes",
                "signed.by",
                "signed.on"
            ]
        );
        assert_eq!(form[0].input, Input::Date);
        assert!(form[0].required && !form[1].required && form[5].required && !form[6].required);
        // An optional choice may be left unmade; a required one may not.
        assert_eq!(form[2].choices[0], (String::new(), "(none)".into()));
        assert_eq!(form[2].choices[2], ("phone".into(), "phone call".into()));
        assert_eq!(form[5].choices.len(), 1, "{:?}", form[5].choices);
        assert_eq!(form[5].input, Input::Select);
        assert_eq!(form[6].label, "Signed - On");
        let sent: Vec<(String, String)> = [
            ("date", "2026-12-02"),
            ("minutes", "4o"),
            ("participants", "Ana\r\n\r\nEli  \r\n"),
            ("outcomes", "1, 2"),
            ("signed.by", "mlopez"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let value = value_of(&form, &sent);
        assert_eq!(
            value,
            json!({"date": "2026-12-02", "minutes": "4o", "participants": ["Ana", "Eli"],
                   "outcomes": [1, 2], "signed": {"by": "mlopez"}})
        );
        fill(&mut form, &value);
        assert_eq!(form[3].value, "Ana\nEli");
        assert_eq!(form[4].value, "1, 2");
        assert_eq!(form[1].value, "4o");
        let left = place_errors(
            &mut form,
            "contacts.notes[0]",
            vec![
                (
                    "contacts.notes[0].minutes".into(),
                    "not a number".into(),
                    "not a number".into(),
                ),
                (
                    "contacts.notes[0].participants[1]".into(),
                    "too short".into(),
                    "too short".into(),
                ),
                (
                    "contacts.notes[0].signed.on".into(),
                    "missing".into(),
                    "missing".into(),
                ),
                (
                    "contacts.notes[0]".into(),
                    "about the note".into(),
                    "about the note".into(),
                ),
            ],
        );
        assert_eq!(form[1].errors, ["not a number"]);
        assert_eq!(form[3].errors, ["too short"]);
        assert_eq!(form[6].errors, ["missing"]);
        assert_eq!(left, ["about the note"]);
    }
}
