//! YAML text to a JSON value, keeping the source position of every element.
//!
//! Validation works on JSON values (JSON Schema), but a coordinator needs to be
//! told the line and column of what is wrong. This parser walks the YAML event
//! stream once and records, for every element, where its value (and, in a
//! mapping, its key) starts, keyed by the element's JSON pointer.
//!
//! It is also where YAML's traps are closed: a duplicate key is an error (the
//! usual loaders silently keep the last value), aliases may not expand beyond a
//! node budget ("billion laughs") nor copy more than a budget of text (one
//! long string copied by many aliases), nesting is bounded, and a file holds
//! one record, not a stream of documents.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use crate::finding::RecordCode;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

/// Deepest nesting a record may use. Real records need fewer than ten levels.
const MAX_DEPTH: usize = 64;
/// Most nodes a file may expand to, counting every copy an alias makes.
const MAX_NODES: usize = 200_000;
/// Most text (keys and values, in bytes) the aliases of a file may copy in
/// all. A record's aliases repeat a name or a short list; a long text
/// copied many times could otherwise take gigabytes from a small file.
const MAX_ALIAS_BYTES: usize = 8 * 1024 * 1024;

pub use crate::finding::Pos;

/// The place where a span of the parser starts.
trait SpanStart {
    fn from_span(span: &Span) -> Pos;
}

impl SpanStart for Pos {
    fn from_span(span: &Span) -> Pos {
        Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
            offset: span.start.index(),
        }
    }
}

/// Where an element of a record stands: its value, and its key when it is a
/// mapping entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub value: Pos,
    pub key: Option<Pos>,
}

/// A parsed file: its value and, when first asked for, the spot of every
/// element by JSON pointer (`""` is the whole file, `/services/2/frequency`
/// one field). Spots are found by reading the text again, only for files
/// something is reported about: keeping them for every element of every
/// file would take several times the memory of the records themselves.
#[derive(Debug, Clone)]
pub struct YamlDoc {
    pub value: Value,
    text: Arc<str>,
    spots: OnceLock<BTreeMap<String, Spot>>,
    /// How much of the text, in bytes, was read to find elements one at a
    /// time (see [`YamlDoc::spot`]).
    looked: Arc<std::sync::atomic::AtomicUsize>,
}

impl YamlDoc {
    /// Keeps only the top-level scalars (`kind`, `version`, ...) of the
    /// value, once the file has been validated and typed: the rest is held
    /// again by the typed record, and positions come from the text.
    pub fn slim(&mut self) {
        if let Value::Object(map) = &mut self.value {
            map.retain(|_, v| !(v.is_array() || v.is_object()));
        }
    }

    /// The text the file was parsed from.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The scalar at `pointer` as it is written in the file (`06105`, where
    /// the value reads 6105): its line from the value's start, up to a
    /// comment or, in a flow list or mapping, the next separator.
    pub fn written(&self, pointer: &str) -> Option<&str> {
        let start = self.spot(pointer)?.value.offset;
        let rest = self.text.get(start..)?;
        let line = rest.lines().next().unwrap_or("");
        let line = line.split(" #").next().unwrap_or(line);
        let line = line.split([',', ']', '}']).next().unwrap_or(line);
        Some(line.trim())
    }

    /// The spot of the element at `pointer`, when the file has it. What is
    /// said of a file is mostly near its top (a plan's meetings, a contacts
    /// file's `notes`), so an element is found by reading the text only as
    /// far as it, until as much text as the whole file has been read that
    /// way; then, or for an element the file does not have, the spots of
    /// every element are read once and kept.
    pub fn spot(&self, pointer: &str) -> Option<Spot> {
        use std::sync::atomic::Ordering;
        if self.spots.get().is_none() && self.looked.load(Ordering::Relaxed) < self.text.len() {
            let mut builder = Builder {
                track: true,
                spots_only: true,
                stop_at: Some(pointer),
                ..Builder::default()
            };
            build(&self.text, &mut builder);
            let read = builder.found.map_or(self.text.len(), |s| s.value.offset);
            self.looked.fetch_add(read.max(1), Ordering::Relaxed);
            if builder.found.is_some() {
                return builder.found;
            }
        }
        self.spots().get(pointer).copied()
    }

    /// The spot of every element, by JSON pointer.
    pub fn spots(&self) -> &BTreeMap<String, Spot> {
        self.spots.get_or_init(|| {
            let mut builder = Builder {
                track: true,
                spots_only: true,
                ..Builder::default()
            };
            build(&self.text, &mut builder);
            let mut spots = builder.spots;
            spots.entry(String::new()).or_insert(Spot {
                value: Pos {
                    line: 1,
                    column: 1,
                    offset: 0,
                },
                key: None,
            });
            spots
        })
    }
}

/// Feeds the text's events to the builder until the end or the first
/// problem that stops it.
fn build(text: &str, builder: &mut Builder) {
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(err) => {
                let m = err.marker();
                let pos = Pos {
                    line: m.line(),
                    column: m.col() + 1,
                    offset: m.index(),
                };
                // The scanner stops deeper nesting than the builder allows
                // before the builder sees it.
                if err.info().contains("recursion limit") {
                    builder.problems.push(too_deep(pos));
                    return;
                }
                let (pos, message) = match indenting_tab(text, pos.line) {
                    Some(tab) => (
                        tab,
                        "this line is indented with a tab, but records are indented \
                         with spaces only; replace the tab with spaces"
                            .to_string(),
                    ),
                    None => (pos, format!("this is not valid YAML: {}", err.info())),
                };
                builder.problems.push(YamlProblem {
                    pos,
                    code: RecordCode::YamlSyntax,
                    pointer: String::new(),
                    message,
                });
                return;
            }
        };
        if let Err(problem) = builder.event(event, span) {
            builder.problems.push(problem);
            return;
        }
        if builder.found.is_some() {
            return;
        }
    }
}

/// Whether `text` holds a conflict git left (see [`conflict_markers`]).
pub fn has_conflict_markers(text: &str) -> bool {
    conflict_markers(text).is_some()
}

/// The lines git writes into a file it could not merge (`<<<<<<< ours`,
/// `=======`, `>>>>>>> theirs`): the file holds two people's versions at
/// once. One plain finding at the first marker says so, where the YAML
/// error the markers cause would say nothing of it.
fn conflict_markers(text: &str) -> Option<YamlProblem> {
    let marker = |line: &str, sign: &str| {
        line.strip_prefix(sign)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let mut offset = 0;
    let mut first = None;
    for (n, line) in text.split('\n').enumerate() {
        let this = offset;
        offset += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        match first {
            None if marker(line, "<<<<<<<") => {
                first = Some(Pos {
                    line: n + 1,
                    column: 1,
                    offset: this,
                });
            }
            Some(pos) if marker(line, ">>>>>>>") => {
                return Some(YamlProblem {
                    pos,
                    code: RecordCode::MergeConflict,
                    pointer: String::new(),
                    message: "two people changed this file and git could not join their changes: \
                          it holds both versions, one from this `<<<<<<<` line to the \
                          `=======` line, the other from there to the `>>>>>>>` line; open the \
                          file as text in the desk (or in an editor), keep what is right \
                          from each and remove the marker lines"
                        .to_string(),
                });
            }
            _ => {}
        }
    }
    None
}

/// A `%YAML` directive before the document that names a version other than
/// 1.x: records are YAML 1.2, and a file that says it is another YAML is
/// not read as if it were.
fn other_yaml_version(text: &str) -> Option<YamlProblem> {
    let mut offset = 0;
    for (n, line) in text.lines().enumerate() {
        let this = offset;
        offset += line.len() + 1;
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(version) = trimmed.strip_prefix("%YAML") else {
            if trimmed.starts_with('%') {
                continue;
            }
            return None;
        };
        let version = version.split_whitespace().next().unwrap_or_default();
        let major = version.split('.').next().unwrap_or_default();
        if major == "1" && version.len() > 2 && version[2..].bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        return Some(YamlProblem {
            pos: Pos {
                line: n + 1,
                column: 1,
                offset: this,
            },
            code: RecordCode::YamlSyntax,
            pointer: String::new(),
            message: format!(
                "this file says it is YAML {version}, but records are YAML 1.2; remove the \
                 `%YAML` line (or write `%YAML 1.2`)"
            ),
        });
    }
    None
}

/// Nesting deeper than any record needs, refused before it costs memory.
fn too_deep(pos: Pos) -> YamlProblem {
    YamlProblem {
        pos,
        code: RecordCode::YamlLimit,
        pointer: String::new(),
        message: format!(
            "the record nests more than {MAX_DEPTH} levels deep here; no record needs that many"
        ),
    }
}

/// The first tab in the indentation of line `line` (counted from 1), if
/// any: where a YAML error on such a line comes from, whatever the scanner
/// calls it.
fn indenting_tab(text: &str, line: usize) -> Option<Pos> {
    let mut offset = 0;
    for (number, content) in text.split('\n').enumerate() {
        if number + 1 == line {
            let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
            let column = content[..indent].find('\t')?;
            return Some(Pos {
                line,
                column: column + 1,
                offset: offset + column,
            });
        }
        offset += content.chars().count() + 1;
    }
    None
}

/// Something wrong with the YAML itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub pos: Pos,
    /// Stable short name: `yaml-syntax`, `duplicate-key`, `yaml-limit`.
    pub code: RecordCode,
    /// The JSON pointer of the element concerned, where there is one.
    pub pointer: String,
    pub message: String,
}

/// Parses one record file. Syntax errors stop the parse; duplicate keys are
/// all reported, and no value is returned when there is any problem.
pub fn parse(text: impl Into<Arc<str>>) -> Result<YamlDoc, Vec<YamlProblem>> {
    let text = text.into();
    if let Some(problem) = conflict_markers(&text) {
        return Err(vec![problem]);
    }
    if let Some(problem) = other_yaml_version(&text) {
        return Err(vec![problem]);
    }
    let mut builder = Builder::default();
    build(&text, &mut builder);
    // The quick pass keeps no pointers or key positions; a key given twice
    // is then read again with them, to say where both are.
    if builder.duplicate {
        builder = Builder {
            track: true,
            ..Builder::default()
        };
        build(&text, &mut builder);
    }
    match (builder.problems.is_empty(), builder.root) {
        (true, value) => Ok(YamlDoc {
            value: value.unwrap_or(Value::Null),
            text,
            spots: OnceLock::new(),
            looked: Default::default(),
        }),
        (false, _) => Err(builder.problems),
    }
}

/// A collection being built, with what it needs to place its children.
enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
    },
    Map {
        entries: Map<String, Value>,
        pointer: String,
        anchor: usize,
        /// The key read and waiting for its value.
        key: Option<(String, Pos)>,
        /// Where each key was first seen, to report duplicates.
        seen: HashMap<String, Pos>,
    },
}

#[derive(Default)]
struct Builder<'p> {
    /// Only the spots are wanted (the file was read into its value before):
    /// no value is built and no key checked twice.
    spots_only: bool,
    /// The one element looked for: the build stops once it is placed.
    stop_at: Option<&'p str>,
    /// Its spot, once placed.
    found: Option<Spot>,
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    /// Whether to record spots, pointers and where each key was first seen
    /// (when spots are asked for, or a key was given twice). Without it a
    /// file is only read into its value, which is all a valid file needs.
    track: bool,
    /// A key was given twice (seen in a pass without `track`).
    duplicate: bool,
    spots: BTreeMap<String, Spot>,
    /// Each anchor's value and what a copy of it costs.
    anchors: HashMap<usize, (Value, Weight)>,
    nodes: usize,
    /// Bytes of text the aliases have copied so far.
    alias_bytes: usize,
    problems: Vec<YamlProblem>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlProblem> {
        let pos = Pos::from_span(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlProblem {
                        pos,
                        code: RecordCode::YamlSyntax,
                        pointer: String::new(),
                        message: "a record file holds one record, but a second YAML document \
                                  starts here (`---`); move it to a file of its own"
                            .into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.spots_only && !self.is_key_expected() {
                    self.place(Value::Null, pos, anchor);
                    return Ok(());
                }
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::String(text.into_owned())
                };
                if let Some(value) = self.take_key(value, pos) {
                    self.count(1, pos)?;
                    self.place(value, pos, anchor);
                }
            }
            Event::SequenceStart(anchor, _) => {
                let pointer = self.start_collection(pos)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    pointer,
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                let pointer = self.start_collection(pos)?;
                self.stack.push(Frame::Map {
                    entries: Map::new(),
                    pointer,
                    anchor,
                    key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                    Some(Frame::Map {
                        entries, anchor, ..
                    }) => (Value::Object(entries), anchor),
                    None => return Ok(()),
                };
                if anchor != 0 {
                    let weight = Weight::of(&value);
                    self.anchors.insert(anchor, (value.clone(), weight));
                }
                self.attach(value);
            }
            Event::Alias(id) => {
                let Some(&(_, weight)) = self.anchors.get(&id) else {
                    return Err(YamlProblem {
                        pos,
                        code: RecordCode::YamlSyntax,
                        pointer: String::new(),
                        message: "this alias (`*name`) refers to no anchor (`&name`) above it"
                            .into(),
                    });
                };
                if self.is_key_expected() {
                    return Err(non_scalar_key(pos));
                }
                // Charged before the copy is made.
                self.count(weight.nodes, pos)?;
                self.copy_text(weight.bytes, pos)?;
                let value = self.anchors[&id].0.clone();
                self.place(value, pos, 0);
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A scalar read where a mapping expects a key is that key: taken (a
    /// key given twice is a problem); any other is given back.
    fn take_key(&mut self, value: Value, pos: Pos) -> Option<Value> {
        let Some(Frame::Map {
            key: key @ None,
            seen,
            pointer,
            ..
        }) = self.stack.last_mut()
        else {
            return Some(value);
        };
        let name = match value {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        // Without `track`, a key given twice is noticed when its value is
        // attached (one look-up a key).
        if !self.track || self.spots_only {
            *key = Some((name, pos));
            return None;
        }
        if let Some(first) = seen.get(&name) {
            self.problems.push(YamlProblem {
                pos,
                code: RecordCode::DuplicateKey,
                pointer: child_pointer(pointer, &name),
                message: format!(
                    "`{name}` is given twice in this mapping (first on line {}); \
                     keep one, or the other value would be lost",
                    first.line
                ),
            });
        } else {
            seen.insert(name.clone(), pos);
        }
        *key = Some((name, pos));
        None
    }

    /// Starts a collection: its pointer, with its spot kept when spots are
    /// asked for.
    fn start_collection(&mut self, pos: Pos) -> Result<String, YamlProblem> {
        let (pointer, key) = self.open_child(pos)?;
        if self.track {
            self.keep_spot(pointer.clone(), Spot { value: pos, key });
        }
        Ok(pointer)
    }

    /// Keeps an element's spot; the one looked for is found.
    fn keep_spot(&mut self, pointer: String, spot: Spot) {
        if self.stop_at == Some(pointer.as_str()) {
            self.found = Some(spot);
        }
        self.spots.insert(pointer, spot);
    }

    fn is_key_expected(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Starts a collection: checks nesting, and returns its pointer and key spot.
    fn open_child(&mut self, pos: Pos) -> Result<(String, Option<Pos>), YamlProblem> {
        if self.is_key_expected() {
            return Err(non_scalar_key(pos));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(pos));
        }
        self.count(1, pos)?;
        Ok(self.next_child())
    }

    /// The pointer and key position the next value in the current
    /// collection gets (none without `track`: nothing asks for them).
    fn next_child(&self) -> (String, Option<Pos>) {
        if !self.track {
            return (String::new(), None);
        }
        match self.stack.last() {
            None => (String::new(), None),
            Some(Frame::Seq { items, pointer, .. }) => (format!("{pointer}/{}", items.len()), None),
            Some(Frame::Map { pointer, key, .. }) => {
                let (name, key_pos) = key.clone().unwrap_or_default();
                (child_pointer(pointer, &name), Some(key_pos))
            }
        }
    }

    /// Places a finished scalar or alias copy, remembering its spot and anchor.
    fn place(&mut self, value: Value, pos: Pos, anchor: usize) {
        if self.track {
            let (pointer, key) = self.next_child();
            self.keep_spot(pointer, Spot { value: pos, key });
        }
        if anchor != 0 {
            self.anchors
                .insert(anchor, (value.clone(), Weight::of(&value)));
        }
        self.attach(value);
    }

    fn attach(&mut self, value: Value) {
        let only_spots = self.spots_only;
        match self.stack.last_mut() {
            None => self.root = Some(value),
            // An entry's place is its rank among the list's entries.
            Some(Frame::Seq { items, .. }) if only_spots => items.push(Value::Null),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { key, .. }) if only_spots => {
                key.take();
            }
            Some(Frame::Map { entries, key, .. }) => {
                if let Some((name, _)) = key.take() {
                    match entries.entry(name) {
                        serde_json::map::Entry::Vacant(entry) => {
                            entry.insert(value);
                        }
                        // The first value stays. With `track` the key is
                        // already reported; without, the file is read again
                        // with it to say where both are.
                        serde_json::map::Entry::Occupied(_) => self.duplicate = true,
                    }
                }
            }
        }
    }

    /// Charges an alias's copy of `bytes` of text to the file's budget.
    fn copy_text(&mut self, bytes: usize, pos: Pos) -> Result<(), YamlProblem> {
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes > MAX_ALIAS_BYTES {
            return Err(YamlProblem {
                pos,
                code: RecordCode::YamlLimit,
                pointer: String::new(),
                message: format!(
                    "the aliases of this file copy more than {} MiB of text (a long text \
                     copied by many aliases?); a record this large is refused",
                    MAX_ALIAS_BYTES / (1024 * 1024)
                ),
            });
        }
        Ok(())
    }

    fn count(&mut self, nodes: usize, pos: Pos) -> Result<(), YamlProblem> {
        self.nodes += nodes;
        if self.nodes > MAX_NODES {
            return Err(YamlProblem {
                pos,
                code: RecordCode::YamlLimit,
                pointer: String::new(),
                message: format!(
                    "the file expands to more than {MAX_NODES} elements (aliases copying \
                     aliases?); a record this large is refused"
                ),
            });
        }
        Ok(())
    }
}

fn non_scalar_key(pos: Pos) -> YamlProblem {
    YamlProblem {
        pos,
        code: RecordCode::YamlSyntax,
        pointer: String::new(),
        message: "a mapping key must be plain text, not a list or mapping".into(),
    }
}

/// The pointer of a mapping entry, escaped as RFC 6901 asks.
pub fn child_pointer(parent: &str, key: &str) -> String {
    let mut pointer = String::with_capacity(parent.len() + key.len() + 1);
    pointer.push_str(parent);
    push_key(&mut pointer, key);
    pointer
}

/// Adds a mapping entry's key to a pointer, escaped as RFC 6901 asks.
pub fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// What a copy of a value costs: its nodes, and the bytes of its text
/// (keys and values; a number, a boolean or null counts as one byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Weight {
    nodes: usize,
    bytes: usize,
}

impl Weight {
    fn of(value: &Value) -> Weight {
        let mut weight = Weight { nodes: 1, bytes: 0 };
        let mut add = |w: Weight| {
            weight.nodes = weight.nodes.saturating_add(w.nodes);
            weight.bytes = weight.bytes.saturating_add(w.bytes);
        };
        match value {
            Value::Array(items) => items.iter().for_each(|v| add(Weight::of(v))),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                add(Weight::of(v));
                add(Weight {
                    nodes: 0,
                    bytes: k.len(),
                });
            }),
            Value::String(text) => weight.bytes = text.len(),
            _ => weight.bytes = 1,
        }
        weight
    }
}

/// Resolves a plain (unquoted) scalar by the YAML 1.2 core schema. Dates stay
/// text: the schemas check their format.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<i64>()
    {
        return Value::Number(n.into());
    }
    let looks_float = !digits.is_empty()
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if looks_float && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_git_could_not_merge_is_found_at_its_first_marker() {
        // Two hunks, written with Windows line ends: the first marker's line
        // and place are the finding's.
        let text = "kind: contacts\r\nversion: 1\r\n<<<<<<< HEAD\r\nnotes: []\r\n=======\r\n\
                    notes: [x]\r\n>>>>>>> 4f2a9c1 (Note)\r\n<<<<<<< HEAD\r\na: 1\r\n=======\r\n\
                    a: 2\r\n>>>>>>> 4f2a9c1 (Note)\r\n";
        let refused = parse(text).unwrap_err();
        assert_eq!(refused.len(), 1);
        let problem = &refused[0];
        assert_eq!(
            (problem.pos, problem.code, problem.pointer.as_str()),
            (
                Pos {
                    line: 3,
                    column: 1,
                    offset: 28,
                },
                RecordCode::MergeConflict,
                ""
            )
        );
        assert_eq!(&text[28..35], "<<<<<<<");
        // A marker must be the whole start of its line.
        for fine in [
            "a: 1\nb: \"<<<<<<< x\"\nc: \">>>>>>> y\"\n",
            "a: |\n  <<<<<<< x\n  >>>>>>> y\n",
        ] {
            assert!(parse(fine).is_ok(), "{fine}");
        }
        // A start with no end, or a longer run of signs, is YAML's to judge.
        for lookalike in ["a: 1\n<<<<<<< x\nb: 2\n", "a: 1\n<<<<<<<< x\n>>>>>>>> y\n"] {
            let refused = parse(lookalike).unwrap_err();
            assert_eq!(refused[0].code, RecordCode::YamlSyntax, "{lookalike}");
        }
    }

    #[test]
    fn a_file_that_says_it_is_another_yaml_is_not_read() {
        let refused = parse("# notes\n%YAML 9.9\n---\nkind: contacts\n").unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(
            (
                refused[0].pos.line,
                refused[0].code,
                refused[0].message.as_str()
            ),
            (
                2,
                RecordCode::YamlSyntax,
                "this file says it is YAML 9.9, but records are YAML 1.2; remove the `%YAML` \
                 line (or write `%YAML 1.2`)"
            )
        );
        for fine in [
            "%YAML 1.2\n---\nkind: contacts\n",
            "%YAML 1.1 # old\n---\na: 1\n",
        ] {
            assert!(parse(fine).is_ok(), "{fine}");
        }
        // A line starting with % inside the document is text, not a directive.
        assert!(parse("a: 1\nb: |\n  %YAML 9.9\n").is_ok());
    }

    #[test]
    fn positions_follow_pointers() {
        let doc = parse("kind: plan\nservices:\n  - name: speech\n    minutes: 45\n").unwrap();
        let spot = doc.spots()["/services/0/minutes"];
        assert_eq!((spot.value.line, spot.value.column), (4, 14));
        assert_eq!(spot.key.map(|k| (k.line, k.column)), Some((4, 5)));
        assert_eq!(doc.value["services"][0]["minutes"], 45);
        assert_eq!(doc.spots()["/services/0"].value.line, 3);
    }

    #[test]
    fn an_element_found_by_reading_as_far_as_it_is_where_every_spot_says() {
        let text = "# a note\nkind: plan\nmeetings:\n  - &first {date: 2026-01-02, type: initial}\n  \
                    - *first\nservices:\n  - name: speech\n    minutes: 45\n    outcomes: [1, 2]\n  \
                    - name: play\n    outcomes: [[3], {a: 4}, 5]\n";
        let whole = parse(text).unwrap();
        let every = whole.spots().clone();
        assert!(every.len() > 10, "{every:?}");
        // Read for the spots alone, as they are when the value is built too.
        let mut with_values = Builder {
            track: true,
            ..Builder::default()
        };
        build(text, &mut with_values);
        assert_eq!(with_values.spots, every);
        assert!(every.contains_key("/services/1/outcomes/2"), "{every:?}");
        for (pointer, spot) in &every {
            // A file read afresh for each: the first looks stop early.
            let doc = parse(text).unwrap();
            assert_eq!(doc.spot(pointer), Some(*spot), "{pointer}");
            assert!(
                doc.spots.get().is_none(),
                "{pointer}: read only as far as it"
            );
        }
        // Once as much text as the file holds has been read one element at
        // a time, every spot is read once and kept.
        let doc = parse(text).unwrap();
        let (mut read, mut states) = (0, Vec::new());
        for pointer in [
            "/kind",
            "/meetings/0/date",
            "/services/0/outcomes/1",
            "/kind",
            "/kind",
        ] {
            assert_eq!(doc.spot(pointer), Some(every[pointer]), "{pointer}");
            let kept = doc.spots.get().is_some();
            assert_eq!(kept, read >= text.len(), "{pointer} after {read} bytes");
            states.push(kept);
            read += every[pointer].value.offset;
        }
        assert_eq!(states, [false, false, false, true, true]);
        // An element the file does not have.
        let doc = parse(text).unwrap();
        assert_eq!(doc.spot("/services/3"), None);
        assert_eq!(doc.written("/services/0/minutes"), Some("45"));
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_lines() {
        let problems = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, RecordCode::DuplicateKey);
        assert_eq!(problems[0].pos.line, 3);
        assert!(problems[0].message.contains("first on line 1"));
    }

    #[test]
    fn a_duplicate_key_deep_in_a_file_is_named_by_its_pointer() {
        let text = "notes:
  - date: 2026-01-02
    with/slash: 1
    with/slash: 2
";
        let problems = parse(text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pointer, "/notes/0/with~1slash");
        assert_eq!((problems[0].pos.line, problems[0].pos.column), (4, 5));
        assert!(problems[0].message.contains("first on line 3"));
        // A valid file is read without its spots, and they come when asked.
        let doc = parse(
            "a:
  b: [1, 2]
",
        )
        .unwrap();
        assert_eq!(doc.spots()["/a/b/1"].value.column, 10);
    }

    #[test]
    fn dates_and_quoted_numbers_stay_text() {
        let doc = parse("d: 2024-03-01\nz: '02110'\nn: 02110\nt: yes\n").unwrap();
        assert_eq!(doc.value["d"], "2024-03-01");
        assert_eq!(doc.value["z"], "02110");
        assert_eq!(doc.value["n"], 2110);
        assert_eq!(doc.value["t"], "yes");
    }

    #[test]
    fn an_anchored_scalar_is_copied_by_its_alias() {
        let doc = parse("a: &who Marisol Lopez\nb: *who\n").unwrap();
        assert_eq!(doc.value["b"], "Marisol Lopez");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let problems = parse(text.as_str()).unwrap_err();
        assert_eq!(problems[0].code, RecordCode::YamlLimit);
    }

    #[test]
    fn a_long_text_copied_by_many_aliases_is_refused_before_it_is_copied() {
        let long = "x".repeat(1024 * 1024);
        let copies = |n: usize| format!("a: &long {long}\nb: [{}]\n", vec!["*long"; n].join(", "));
        // Eight copies of 1 MiB are 8 MiB: taken.
        let doc = parse(copies(8).as_str()).unwrap();
        assert_eq!(doc.value["b"][7].as_str().map(str::len), Some(1024 * 1024));
        let problems = parse(copies(1000).as_str()).unwrap_err();
        assert_eq!(problems[0].code, RecordCode::YamlLimit);
        assert_eq!(
            problems[0].message,
            "the aliases of this file copy more than 8 MiB of text (a long text copied by many \
             aliases?); a record this large is refused"
        );
        // The ninth copy is the one refused, on line 2.
        assert_eq!(problems[0].pos.line, 2);
        let nine = parse(copies(9).as_str()).unwrap_err();
        assert_eq!(nine[0].code, RecordCode::YamlLimit);
    }

    #[test]
    fn a_copy_weighs_its_nodes_and_its_keys_and_values() {
        let value = serde_json::json!({"ab": ["xyz", 12, null], "c": {"de": true}});
        // The mapping, the list, its three items, the inner mapping, true.
        assert_eq!(
            Weight::of(&value),
            Weight {
                nodes: 7,
                bytes: 2 + 3 + 1 + 1 + 1 + 2 + 1
            }
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let problems = parse(text.as_str()).unwrap_err();
        assert!(matches!(
            problems[0].code,
            RecordCode::YamlLimit | RecordCode::YamlSyntax
        ));
    }
}
