//! A record file changed to a new value as a person would change it: only
//! the elements whose values differ are written anew, where they stand; a
//! new element goes after its mapping's last, a new entry after its list's
//! last, and a removed one takes its lines with it. Every other line
//! (comments, order, quoting, lists on one line) stays as written, and the
//! result must read back as the new value.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser};
use serde_json::{Map, Value};

use super::yaml::{inline, write_plain};
use crate::load::yaml;

/// `text` changed to read as `new`. Refused, with the reason, where the
/// text is not YAML or a change cannot be made so that it reads back as
/// `new` (then it is for the text editor).
pub fn patch(text: &str, new: &Value) -> Result<String, String> {
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    if &doc.value == new {
        return Ok(text.to_string());
    }
    let nodes = Nodes::read(text).ok_or("the file does not read as YAML")?;
    let mut edits = Vec::new();
    let writer = Writer {
        text,
        nodes: &nodes,
    };
    writer.node("", &doc.value, new, &mut edits)?;
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = text.to_string();
    for edit in edits.iter().rev() {
        out.replace_range(edit.start..edit.end, &edit.with);
    }
    match yaml::parse(out.as_str()) {
        Ok(back) if &back.value == new => Ok(out),
        _ => Err(
            "the file is written in a way this change cannot be made in; \
                  change it as text"
                .into(),
        ),
    }
}

/// One change of the text: bytes `start..end` replaced by `with`.
#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// How a node is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Scalar,
    Flow,
    BlockMap,
    BlockSeq,
}

/// Where a node stands in the text, in bytes.
#[derive(Debug, Clone, Copy)]
struct Node {
    start: usize,
    end: usize,
    style: Style,
    /// Inside a flow list or mapping.
    in_flow: bool,
    /// The start of its key, for a mapping's value.
    key: Option<usize>,
}

/// Every node of a file, by JSON pointer.
struct Nodes(BTreeMap<String, Node>);

/// A collection being read.
struct Frame {
    pointer: String,
    map: bool,
    /// For a mapping: the key read and where it starts, waiting for its
    /// value.
    key: Option<(String, usize)>,
    next: usize,
    flow: bool,
}

impl Nodes {
    fn read(text: &str) -> Option<Nodes> {
        // Parser positions count characters; edits count bytes.
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        let at = |chars: usize| bytes.get(chars).copied().unwrap_or(text.len());
        let mut nodes = BTreeMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut open: Vec<(String, usize, Style, bool, Option<usize>)> = Vec::new();
        // The pointer of the node starting now, and its key; a key read is
        // kept for its value instead.
        fn place(
            stack: &mut [Frame],
            text: Option<&str>,
            start: usize,
        ) -> Option<(String, Option<usize>)> {
            let Some(frame) = stack.last_mut() else {
                return Some((String::new(), None));
            };
            if frame.map {
                match frame.key.take() {
                    None => {
                        frame.key = Some((text.unwrap_or_default().to_string(), start));
                        None
                    }
                    Some((key, key_start)) => {
                        Some((yaml::child_pointer(&frame.pointer, &key), Some(key_start)))
                    }
                }
            } else {
                let n = frame.next;
                frame.next += 1;
                Some((format!("{}/{n}", frame.pointer), None))
            }
        }
        for event in Parser::new_from_str(text) {
            let (event, span) = event.ok()?;
            let start = at(span.start.index());
            let end = at(span.end.index());
            let in_flow = stack.last().is_some_and(|f| f.flow);
            match event {
                Event::Scalar(value, ..) => {
                    // A block scalar starts at its `|` or `>`, before its lines.
                    let before = text[..start].trim_end();
                    let word = before.rfind([' ', '\n', ':']).map_or(0, |i| i + 1);
                    let start = if before[word..].starts_with(['|', '>']) {
                        word
                    } else {
                        start
                    };
                    if let Some((pointer, key)) = place(&mut stack, Some(&value), start) {
                        let end = start + text[start..end].trim_end().len();
                        nodes.insert(
                            pointer,
                            Node {
                                start,
                                end,
                                style: Style::Scalar,
                                in_flow,
                                key,
                            },
                        );
                    }
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let map = matches!(event, Event::MappingStart(..));
                    let flow = text[start..].starts_with(['[', '{']);
                    // A mapping used as a key is not a record's.
                    let (pointer, key) = place(&mut stack, None, start)?;
                    let style = match (flow, map) {
                        (true, _) => Style::Flow,
                        (false, true) => Style::BlockMap,
                        (false, false) => Style::BlockSeq,
                    };
                    open.push((pointer.clone(), start, style, in_flow, key));
                    stack.push(Frame {
                        pointer,
                        map,
                        key: None,
                        next: 0,
                        flow,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    let (pointer, start, style, in_flow, key) = open.pop()?;
                    nodes.insert(
                        pointer,
                        Node {
                            start,
                            end: if style == Style::Flow { end } else { start },
                            style,
                            in_flow,
                            key,
                        },
                    );
                }
                Event::Alias(_) => return None,
                _ => {}
            }
        }
        Some(Nodes(nodes))
    }
}

struct Writer<'a> {
    text: &'a str,
    nodes: &'a Nodes,
}

impl Writer<'_> {
    fn at(&self, pointer: &str) -> Result<Node, String> {
        (self.nodes.0.get(pointer).copied())
            .ok_or_else(|| "the file changed while it was read".into())
    }

    /// The edits that make the node at `pointer` read `new` for `old`.
    fn node(
        &self,
        pointer: &str,
        old: &Value,
        new: &Value,
        edits: &mut Vec<Edit>,
    ) -> Result<(), String> {
        if old == new {
            return Ok(());
        }
        let node = self.at(pointer)?;
        match (node.style, old, new) {
            (Style::BlockMap, Value::Object(old), Value::Object(new)) if !new.is_empty() => {
                self.map(pointer, node, old, new, edits)
            }
            (Style::BlockSeq, Value::Array(old), Value::Array(new)) if !new.is_empty() => {
                self.seq(pointer, node, old, new, edits)
            }
            (Style::Scalar | Style::Flow, ..) => {
                edits.push(Edit {
                    start: node.start,
                    end: node.end,
                    with: inline(new, node.in_flow),
                });
                Ok(())
            }
            _ => {
                self.rewrite(node, new, edits);
                Ok(())
            }
        }
    }

    /// A block collection written anew, at its indentation.
    fn rewrite(&self, node: Node, new: &Value, edits: &mut Vec<Edit>) {
        let column = self.column(node.start);
        let end = match node.style {
            Style::BlockSeq => self.block_end(node.start, column + 1, true),
            _ => self.block_end(node.start, column, false),
        };
        let with = match new {
            Value::Object(map) if !map.is_empty() => {
                let mut out = String::new();
                write_plain(new, column, &mut out);
                out.trim_start().to_string()
            }
            Value::Array(items) if items.iter().any(Value::is_object) => {
                let mut out = String::new();
                for item in items {
                    out.push_str(&entry(item, column));
                }
                out.trim_start().to_string()
            }
            other => format!("{}\n", inline(other, false)),
        };
        edits.push(Edit {
            start: node.start,
            end,
            with,
        });
    }

    fn map(
        &self,
        pointer: &str,
        node: Node,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        edits: &mut Vec<Edit>,
    ) -> Result<(), String> {
        let column = self.column(node.start);
        let child = |key: &str| yaml::child_pointer(pointer, key);
        // A key that is not first on its line (the first of a list's
        // entry) cannot lose its lines alone: the mapping is written anew.
        let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
        for key in &removed {
            let at = self.at(&child(key))?.key.ok_or("a key without its place")?;
            if !self.first_on_line(at) {
                self.rewrite(node, &Value::Object(new.clone()), edits);
                return Ok(());
            }
        }
        for key in removed {
            let at = self.at(&child(key))?.key.ok_or("a key without its place")?;
            let start = self.line_start(at);
            let end = self.block_end(at, column + 1, false);
            edits.push(Edit {
                start,
                end,
                with: String::new(),
            });
        }
        for (key, value) in new {
            if let Some(was) = old.get(key) {
                self.node(&child(key), was, value, edits)?;
            }
        }
        let added: Map<String, Value> = (new.iter())
            .filter(|(k, _)| !old.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !added.is_empty() {
            let last = old.keys().next_back().ok_or("an empty mapping")?;
            let at = self
                .at(&child(last))?
                .key
                .ok_or("a key without its place")?;
            let end = self.block_end(at, column + 1, false);
            let mut with = String::new();
            write_plain(&Value::Object(added), column, &mut with);
            edits.push(Edit {
                start: end,
                end,
                with: self.after_line(end, with),
            });
        }
        Ok(())
    }

    fn seq(
        &self,
        pointer: &str,
        node: Node,
        old: &[Value],
        new: &[Value],
        edits: &mut Vec<Edit>,
    ) -> Result<(), String> {
        let column = self.column(node.start);
        let item = |n: usize| self.at(&format!("{pointer}/{n}"));
        // Entries taken out from among the others, the rest as they were.
        let mut kept = Vec::new();
        let mut j = 0;
        for (i, was) in old.iter().enumerate() {
            if j < new.len() && &new[j] == was {
                kept.push(i);
                j += 1;
            }
        }
        let pairs: Vec<(usize, usize)> = if new.len() < old.len() && kept.len() == new.len() {
            kept.iter().copied().zip(0..new.len()).collect()
        } else {
            (0..old.len().min(new.len())).map(|i| (i, i)).collect()
        };
        let gone: Vec<usize> = (0..old.len())
            .filter(|i| !pairs.iter().any(|(o, _)| o == i))
            .collect();
        for i in gone {
            let dash = self
                .dash(item(i)?.start)
                .ok_or("a list entry without its dash")?;
            edits.push(Edit {
                start: self.line_start(dash),
                end: self.block_end(dash, column + 1, false),
                with: String::new(),
            });
        }
        for &(o, n) in &pairs {
            self.node(&format!("{pointer}/{o}"), &old[o], &new[n], edits)?;
        }
        if new.len() > old.len() {
            let dash = self
                .dash(item(old.len() - 1)?.start)
                .ok_or("a list entry without its dash")?;
            let end = self.block_end(dash, column + 1, false);
            let with: String = new[old.len()..].iter().map(|v| entry(v, column)).collect();
            edits.push(Edit {
                start: end,
                end,
                with: self.after_line(end, with),
            });
        }
        Ok(())
    }

    /// Text added at `at`, on a line of its own.
    fn after_line(&self, at: usize, with: String) -> String {
        if at == 0 || self.text[..at].ends_with('\n') {
            with
        } else {
            format!("\n{with}")
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The column of byte `at` on its line, in characters from 0.
    fn column(&self, at: usize) -> usize {
        self.text[self.line_start(at)..at].chars().count()
    }

    fn first_on_line(&self, at: usize) -> bool {
        self.text[self.line_start(at)..at].chars().all(|c| c == ' ')
    }

    /// The dash of the list entry whose value starts at `at`, when it is
    /// on the same line with only spaces between.
    fn dash(&self, at: usize) -> Option<usize> {
        let before = &self.text[self.line_start(at)..at];
        let dash = before.trim_end_matches(' ');
        (dash.ends_with('-') && dash[..dash.len() - 1].chars().all(|c| c == ' '))
            .then(|| self.line_start(at) + dash.len() - 1)
    }

    /// The end of the block that starts on the line of `at`: after the
    /// last line that is indented `indent` or more (or, with `dashes`, a
    /// list's next entry, its dash indented `indent - 1`); blank lines and
    /// comments after it belong to what follows.
    fn block_end(&self, at: usize, indent: usize, dashes: bool) -> usize {
        let first_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i + 1);
        let mut end = first_end;
        let mut pos = first_end;
        for line in self.text[first_end..].split_inclusive('\n') {
            let trimmed = line.trim();
            let spaces = line.len() - line.trim_start_matches(' ').len();
            pos += line.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let inside = spaces >= indent
                || (dashes
                    && spaces + 1 == indent
                    && (trimmed == "-" || trimmed.starts_with("- ")));
            if !inside {
                break;
            }
            end = pos;
        }
        end
    }
}

/// One entry of a list whose dash is at column `dash`, as lines.
fn entry(value: &Value, dash: usize) -> String {
    let mut one = String::new();
    write_plain(&serde_json::json!({"x": value}), 0, &mut one);
    if let Some(line) = one.strip_prefix("x: ").filter(|l| l.starts_with('{')) {
        return format!("{}- {line}", " ".repeat(dash));
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut text = String::new();
            write_plain(value, dash + 2, &mut text);
            format!("{}- {}", " ".repeat(dash), text.trim_start())
        }
        other => format!("{}- {}\n", " ".repeat(dash), inline(other, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLAN: &str = "\
# yaml-language-server: $schema=../../schemas/plan.v1.yaml
kind: plan
version: 1
meetings:
  - date: 2026-04-10   # the first
    type: initial
    participants: [Ana Ruiz (mother), \"Natalia Vega (coordinator)\"]
services:
  # The speech row.
  - id: speech
    minutes: 60
    location: Family home
    outcomes: [1]

  - id: play
    minutes: 30
    location: |
      Library
    outcomes: [1, 2]
notes: Kept.
";

    fn changed(f: impl FnOnce(&mut Value)) -> String {
        let mut value = yaml::parse(PLAN).unwrap().value;
        f(&mut value);
        patch(PLAN, &value).unwrap()
    }

    #[test]
    fn the_same_value_gives_the_same_text() {
        let value = yaml::parse(PLAN).unwrap().value;
        assert_eq!(patch(PLAN, &value).unwrap(), PLAN);
    }

    #[test]
    fn a_changed_value_is_written_where_it_stands_and_nothing_else_moves() {
        let out = changed(|v| {
            v["services"][0]["minutes"] = json!(45);
            v["meetings"][0]["date"] = json!("2026-04-11");
            v["meetings"][0]["participants"][1] = json!("Natalia Vega, coordinator");
            v["services"][1]["location"] = json!("Library: the small room");
        });
        assert_eq!(
            out,
            PLAN.replace("minutes: 60", "minutes: 45")
                .replace("2026-04-10   # the first", "2026-04-11   # the first")
                .replace(
                    "\"Natalia Vega (coordinator)\"",
                    "\"Natalia Vega, coordinator\""
                )
                .replace("|\n      Library", "\"Library: the small room\"")
        );
    }

    #[test]
    fn an_element_and_an_entry_are_added_after_the_last_and_removed_with_their_lines() {
        let out = changed(|v| {
            v["services"][0]["changes"] = json!([{"on": "2026-10-09", "minutes": 30}]);
            v["services"].as_array_mut().unwrap().push(
                json!({"id": "group", "minutes": 90, "outcomes": [2], "added_on": "2026-10-09"}),
            );
            v.as_object_mut().unwrap().shift_remove("notes");
        });
        assert_eq!(
            out,
            PLAN.replace(
                "    outcomes: [1]\n",
                "    outcomes: [1]\n    changes:\n      - {on: 2026-10-09, minutes: 30}\n"
            )
            .replace(
                "    outcomes: [1, 2]\nnotes: Kept.\n",
                "    outcomes: [1, 2]\n  - id: group\n    minutes: 90\n    outcomes: [2]\n    added_on: 2026-10-09\n"
            )
        );
        let out = changed(|v| {
            v["services"].as_array_mut().unwrap().remove(0);
        });
        assert_eq!(
            out,
            PLAN.replace(
                "  # The speech row.\n  - id: speech\n    minutes: 60\n    location: Family home\n    outcomes: [1]\n",
                "  # The speech row.\n"
            )
        );
    }

    #[test]
    fn a_text_that_would_read_as_something_else_is_quoted() {
        let out = changed(|v| {
            v["notes"] = json!("true");
            v["services"][0]["location"] = json!("Home # not a comment");
            v["meetings"][0]["participants"][0] = json!("Ruiz, Ana");
        });
        assert!(out.contains("notes: \"true\"\n"), "{out}");
        assert!(
            out.contains("location: \"Home # not a comment\"\n"),
            "{out}"
        );
        assert!(out.contains("[\"Ruiz, Ana\", "), "{out}");
    }
}
