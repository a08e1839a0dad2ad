//! Two people's changes to one record file joined as records, not lines:
//! what git calls a merge driver (`casepaper merge-records`, registered by
//! `init` in `.gitattributes` and by `sync` in the repository's config).
//!
//! The three versions (the common one and each side's) are read as values
//! and joined element by element. A mapping's keys join one by one; a list
//! whose entries carry an `id` (staff, services) or a `number` (outcomes)
//! joins entry by entry, matched by it; any other list (contact notes,
//! meetings, consents, notices, signatures) joins as a sequence of whole
//! entries, so two notes added on both sides are two notes, one after the
//! other, never one note with both signatures. Only one value changed two
//! ways (a service's frequency, say) is a true conflict: it is left in the
//! file between git's markers, on the lines of that value only, for the
//! coordinator to choose in the desk or an editor.
//!
//! The joined value is written into the text of this side's version with
//! [`patch`], so every comment and line the join does not change stays as
//! it was.

use serde_json::{Map, Value};
use similar::{ChangeTag, TextDiff};

use super::patch::patch;
use crate::load::yaml;

/// What joining three versions of a file gave.
#[derive(Debug, PartialEq)]
pub enum Joined {
    /// Both sides' changes, in one text that reads back as the joined value.
    Clean(String),
    /// This side's text with every value changed two ways between git's
    /// markers, and where those values are (JSON pointers).
    Conflict { text: String, at: Vec<String> },
    /// One of the versions does not read as a record (not YAML, or already
    /// holding markers): the file is for git's own line by line merge.
    NotRecords,
}

/// The labels of the two sides in conflict markers.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    pub ours: &'a str,
    pub theirs: &'a str,
}

/// `ours` and `theirs`, two versions of a file made from `base` (empty when
/// both sides added the file), joined.
pub fn join_texts(base: &str, ours: &str, theirs: &str, labels: Labels) -> Joined {
    let read = |text: &str| yaml::parse(text).ok().map(|doc| doc.value);
    let base_value = match base.trim().is_empty() {
        true => None,
        false => match read(base) {
            Some(value) => Some(value),
            None => return Joined::NotRecords,
        },
    };
    let (Some(ours_value), Some(theirs_value)) = (read(ours), read(theirs)) else {
        return Joined::NotRecords;
    };
    let join = |prefer| {
        let mut at = Vec::new();
        let value = join_at(
            base_value.as_ref(),
            Some(&ours_value),
            Some(&theirs_value),
            "",
            prefer,
            &mut at,
        );
        (value.unwrap_or(Value::Null), at)
    };
    let (value, at) = join(Prefer::Ours);
    if at.is_empty() {
        return match written(ours, theirs, &value) {
            Some(text) => Joined::Clean(text),
            None => Joined::NotRecords,
        };
    }
    // The two versions of the whole file with only the conflicting values
    // apart, each written into this side's text, so their line differences
    // are those values' lines.
    let (theirs_joined, _) = join(Prefer::Theirs);
    let (Ok(left), Ok(right)) = (patch(ours, &value), patch(ours, &theirs_joined)) else {
        return Joined::NotRecords;
    };
    Joined::Conflict {
        text: with_markers(&left, &right, labels),
        at,
    }
}

/// The joined value written into one side's text (comments and layout
/// kept), read back to be sure.
fn written(ours: &str, theirs: &str, value: &Value) -> Option<String> {
    [ours, theirs]
        .into_iter()
        .find_map(|text| patch(text, value).ok())
        .filter(|text| yaml::parse(text.as_str()).is_ok_and(|doc| &doc.value == value))
}

/// `left` and `right` as one text, every run of lines that differs between
/// them set between `<<<<<<<`, `=======` and `>>>>>>>` lines.
fn with_markers(left: &str, right: &str, labels: Labels) -> String {
    let diff = TextDiff::from_lines(left, right);
    let mut out = String::new();
    let (mut mine, mut other) = (String::new(), String::new());
    let close = |out: &mut String, mine: &mut String, other: &mut String| {
        if mine.is_empty() && other.is_empty() {
            return;
        }
        out.push_str(&format!("<<<<<<< {}\n", labels.ours));
        out.push_str(mine);
        out.push_str("=======\n");
        out.push_str(other);
        out.push_str(&format!(">>>>>>> {}\n", labels.theirs));
        mine.clear();
        other.clear();
    };
    for change in diff.iter_all_changes() {
        let line = change.to_string_lossy();
        let line = match line.ends_with('\n') {
            true => line.into_owned(),
            false => format!("{line}\n"),
        };
        match change.tag() {
            ChangeTag::Equal => {
                close(&mut out, &mut mine, &mut other);
                out.push_str(&line);
            }
            ChangeTag::Delete => mine.push_str(&line),
            ChangeTag::Insert => other.push_str(&line),
        }
    }
    close(&mut out, &mut mine, &mut other);
    out
}

/// The two versions a file with git's conflict markers holds: this side's
/// (from each `<<<<<<<` line to its `=======` or `|||||||` line) and the
/// other's (from `=======` to `>>>>>>>`), each with the lines both share;
/// `None` when it holds no whole conflict.
pub fn sides(text: &str) -> Option<[String; 2]> {
    #[derive(Clone, Copy, PartialEq)]
    enum In {
        Both,
        Ours,
        Base,
        Theirs,
    }
    let marker = |line: &str, sign: &str| {
        line.strip_prefix(sign)
            .is_some_and(|rest| rest.trim_end().is_empty() || rest.starts_with(' '))
    };
    let (mut ours, mut theirs) = (String::new(), String::new());
    let mut state = In::Both;
    let mut found = false;
    for line in text.split_inclusive('\n') {
        state = match state {
            In::Both if marker(line, "<<<<<<<") => In::Ours,
            In::Ours | In::Base if marker(line, "=======") => In::Theirs,
            In::Ours if marker(line, "|||||||") => In::Base,
            In::Theirs if marker(line, ">>>>>>>") => {
                found = true;
                In::Both
            }
            state => {
                match state {
                    In::Both => {
                        ours.push_str(line);
                        theirs.push_str(line);
                    }
                    In::Ours => ours.push_str(line),
                    In::Base => {}
                    In::Theirs => theirs.push_str(line),
                }
                continue;
            }
        };
    }
    (found && state == In::Both).then_some([ours, theirs])
}

/// Which side a value changed two ways takes in a joined value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefer {
    Ours,
    Theirs,
}

/// The value at `at` joined from its three versions (`None`: not there).
/// Every value changed two ways is listed in `conflicts` and takes the
/// `prefer`red side.
fn join_at(
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    at: &str,
    prefer: Prefer,
    conflicts: &mut Vec<String>,
) -> Option<Value> {
    if ours == theirs || theirs == base {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    let empty_map = Value::Object(Map::new());
    let empty_list = Value::Array(Vec::new());
    match (ours, theirs) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let o = match base {
                Some(Value::Object(o)) => o,
                None => empty_map.as_object().expect("a mapping"),
                Some(_) => return conflict(ours, theirs, at, prefer, conflicts),
            };
            let mut out = Map::new();
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                if let Some(value) =
                    join_at(o.get(key), a.get(key), b.get(key), &here, prefer, conflicts)
                {
                    out.insert(key.clone(), value);
                }
            }
            Some(Value::Object(out))
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            let o = match base {
                Some(Value::Array(o)) => o,
                None => empty_list.as_array().expect("a list"),
                Some(_) => return conflict(ours, theirs, at, prefer, conflicts),
            };
            let joined = match identity(o, a, b) {
                Some(key) => join_keyed(o, a, b, key, at, prefer, conflicts),
                None => join_sequence(o, a, b, at, prefer, conflicts),
            };
            Some(Value::Array(joined))
        }
        _ => conflict(ours, theirs, at, prefer, conflicts),
    }
}

fn conflict(
    ours: Option<&Value>,
    theirs: Option<&Value>,
    at: &str,
    prefer: Prefer,
    conflicts: &mut Vec<String>,
) -> Option<Value> {
    conflicts.push(at.to_string());
    match prefer {
        Prefer::Ours => ours.cloned(),
        Prefer::Theirs => theirs.cloned(),
    }
}

/// The element naming each entry of all three lists, where every entry
/// has one and no two entries of a list share it: `id`, else `number`.
fn identity(o: &[Value], a: &[Value], b: &[Value]) -> Option<&'static str> {
    ["id", "number"].into_iter().find(|key| {
        let named = |list: &[Value]| {
            let names: Vec<&Value> = list.iter().filter_map(|e| e.get(key)).collect();
            names.len() == list.len()
                && names
                    .iter()
                    .enumerate()
                    .all(|(n, name)| !names[..n].contains(name))
        };
        !(o.is_empty() && a.is_empty() && b.is_empty()) && named(o) && named(a) && named(b)
    })
}

/// Lists whose entries are named by `key`: each entry joined with its
/// namesakes, in this side's order, and each entry only the other side
/// added after the entry it follows there (and after what this side added
/// at the same place).
fn join_keyed(
    o: &[Value],
    a: &[Value],
    b: &[Value],
    key: &str,
    at: &str,
    prefer: Prefer,
    conflicts: &mut Vec<String>,
) -> Vec<Value> {
    fn named<'l>(list: &'l [Value], key: &str, name: &Value) -> Option<&'l Value> {
        list.iter().find(|e| e.get(key) == Some(name))
    }
    let find = |list: &[Value], name: &Value| named(list, key, name).is_some();
    let mut out = Vec::new();
    let mut names: Vec<&Value> = a.iter().map(|e| &e[key]).collect();
    let mut after: Option<&Value> = None;
    for entry in b {
        let name = &entry[key];
        if !find(a, name) && !find(o, name) {
            let mut at = after
                .and_then(|prev| names.iter().position(|n| *n == prev))
                .map_or(0, |n| n + 1);
            // After what this side added there too: this side's first.
            while names.get(at).is_some_and(|n| !find(o, n) && !find(b, n)) {
                at += 1;
            }
            names.insert(at, name);
        }
        if names.contains(&name) {
            after = Some(name);
        }
    }
    let removed_here = o.iter().filter(|e| !find(a, &e[key]));
    for name in names.into_iter().chain(removed_here.map(|e| &e[key])) {
        let here = format!("{at}/{}", out.len());
        let [o, a, b] = [o, a, b].map(|list| named(list, key, name));
        if let Some(entry) = join_at(o, a, b, &here, prefer, conflicts) {
            out.push(entry);
        }
    }
    out
}

/// A run of the common list's entries (`base`) one side replaced by
/// `with` (either may be empty).
#[derive(Debug, Clone)]
struct Hunk {
    base: std::ops::Range<usize>,
    with: std::ops::Range<usize>,
}

/// How `new` differs from `old`, entry by entry: the runs between the
/// entries both keep (a longest common subsequence).
fn hunks(old: &[Value], new: &[Value]) -> Vec<Hunk> {
    let (n, m) = (old.len(), new.len());
    let mut longest = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            longest[i][j] = match old[i] == new[j] {
                true => longest[i + 1][j + 1] + 1,
                false => longest[i + 1][j].max(longest[i][j + 1]),
            };
        }
    }
    let (mut i, mut j, mut from) = (0, 0, (0, 0));
    let mut out = Vec::new();
    let flush = |to: (usize, usize), from: (usize, usize), out: &mut Vec<Hunk>| {
        if to != from {
            out.push(Hunk {
                base: from.0..to.0,
                with: from.1..to.1,
            });
        }
    };
    while i < n && j < m {
        if old[i] == new[j] {
            flush((i, j), from, &mut out);
            i += 1;
            j += 1;
            from = (i, j);
        } else if longest[i + 1][j] >= longest[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    flush((n, m), from, &mut out);
    out
}

/// Lists of whole entries (contact notes, signatures): each side's runs of
/// change applied; entries both sides added at one place are all kept,
/// this side's first; one entry changed on both sides is joined element
/// by element.
fn join_sequence(
    o: &[Value],
    a: &[Value],
    b: &[Value],
    at: &str,
    prefer: Prefer,
    conflicts: &mut Vec<String>,
) -> Vec<Value> {
    let (ha, hb) = (hunks(o, a), hunks(o, b));
    let (mut ia, mut ib, mut i) = (0, 0, 0);
    let mut out: Vec<Value> = Vec::new();
    loop {
        let start = [ha.get(ia), hb.get(ib)]
            .into_iter()
            .flatten()
            .map(|h| h.base.start)
            .min();
        let Some(start) = start else {
            out.extend_from_slice(&o[i..]);
            return out;
        };
        out.extend_from_slice(&o[i..start]);
        // The region: every hunk of either side that overlaps it.
        let (mut end, first_a, first_b) = (start, ia, ib);
        // A hunk is in it when it starts where the region starts or inside
        // it; one that starts where the region ends is next to it, apart
        // (an entry changed here and one added after it there are both
        // kept).
        let overlaps = |h: &Hunk, end: usize| h.base.start == start || h.base.start < end;
        loop {
            let before = (ia, ib);
            while ha.get(ia).is_some_and(|h| overlaps(h, end)) {
                end = end.max(ha[ia].base.end);
                ia += 1;
            }
            while hb.get(ib).is_some_and(|h| overlaps(h, end)) {
                end = end.max(hb[ib].base.end);
                ib += 1;
            }
            if (ia, ib) == before {
                break;
            }
        }
        let side = |list: &[Value], hs: &[Hunk]| -> Vec<Value> {
            let mut v = Vec::new();
            let mut k = start;
            for h in hs {
                v.extend_from_slice(&o[k..h.base.start]);
                v.extend_from_slice(&list[h.with.clone()]);
                k = h.base.end;
            }
            v.extend_from_slice(&o[k..end]);
            v
        };
        let (va, vb) = (side(a, &ha[first_a..ia]), side(b, &hb[first_b..ib]));
        let changed_a = ia > first_a;
        let changed_b = ib > first_b;
        if !changed_b || va == vb {
            out.extend(va);
        } else if !changed_a {
            out.extend(vb);
        } else if start == end {
            // Both added entries here: all of them, once each.
            let theirs: Vec<Value> = vb.into_iter().filter(|e| !va.contains(e)).collect();
            out.extend(va);
            out.extend(theirs);
        } else if end - start == 1 && !va.is_empty() && !vb.is_empty() {
            // One entry changed on both sides (perhaps with entries added
            // after it): the entry joined, then what each side added.
            let here = format!("{at}/{}", out.len());
            out.extend(join_at(
                Some(&o[start]),
                Some(&va[0]),
                Some(&vb[0]),
                &here,
                prefer,
                conflicts,
            ));
            let theirs: Vec<Value> = (vb[1..].iter())
                .filter(|e| !va.contains(e))
                .cloned()
                .collect();
            out.extend_from_slice(&va[1..]);
            out.extend(theirs);
        } else {
            conflicts.push(format!("{at}/{}", out.len()));
            out.extend(match prefer {
                Prefer::Ours => va,
                Prefer::Theirs => vb,
            });
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: Labels = Labels {
        ours: "this computer",
        theirs: "shared copy",
    };

    fn joined(base: &str, ours: &str, theirs: &str) -> Joined {
        join_texts(base, ours, theirs, LABELS)
    }

    const NOTES: &str = "\
# the family's notes
kind: contacts
version: 1
notes:
  - date: 2026-11-02
    summary: Visit.  # at home
    signed: {by: mlopez, on: 2026-11-02}
";

    #[test]
    fn notes_added_on_both_sides_are_two_notes_this_side_s_first() {
        let ours = format!(
            "{NOTES}  - date: 2026-12-08\n    summary: Phone call.\n    signed: {{by: mlopez, on: 2026-12-08}}\n"
        );
        let theirs = format!(
            "{NOTES}  - date: 2026-12-08\n    summary: Visit with the supervisor.\n    signed: {{by: jokafor, on: 2026-12-08}}\n"
        );
        assert_eq!(
            joined(NOTES, &ours, &theirs),
            Joined::Clean(format!(
                "{NOTES}  - date: 2026-12-08\n    summary: Phone call.\n    signed: {{by: mlopez, on: 2026-12-08}}\n  \
                 - date: 2026-12-08\n    summary: Visit with the supervisor.\n    signed: {{by: jokafor, on: 2026-12-08}}\n"
            ))
        );
    }

    #[test]
    fn a_file_both_sides_added_joins_from_nothing() {
        let one = "kind: contacts\nversion: 1\nnotes:\n  - date: 2026-12-08\n    summary: A.\n";
        let two = "kind: contacts\nversion: 1\nnotes:\n  - date: 2026-12-08\n    summary: B.\n";
        assert_eq!(
            joined("", one, two),
            Joined::Clean(format!("{one}  - {{date: 2026-12-08, summary: B.}}\n"))
        );
    }

    #[test]
    fn an_entry_changed_here_and_one_added_there_are_both_kept() {
        let ours = NOTES.replace("Visit.", "Home visit.");
        let theirs = format!("{NOTES}  - date: 2026-12-01\n    summary: Call.\n");
        assert_eq!(
            joined(NOTES, &ours, &theirs),
            Joined::Clean(format!("{ours}  - {{date: 2026-12-01, summary: Call.}}\n"))
        );
        // A removed entry stays removed when the other side left it alone.
        let removed = "# the family's notes\nkind: contacts\nversion: 1\nnotes: []\n";
        assert_eq!(
            joined(NOTES, removed, &NOTES.replace("version: 1", "version: 1 ")),
            Joined::Clean(removed.to_string())
        );
    }

    const STAFF: &str = "\
kind: program
staff:
  - id: mlopez
    name: Maria Lopez
services:
  - id: speech
    frequency: weekly
    minutes: 60
  - id: ot
    frequency: monthly
";

    #[test]
    fn staff_added_on_both_sides_are_both_there() {
        let ours = STAFF.replace(
            "services:",
            "  - id: abrown\n    name: Ann Brown\nservices:",
        );
        let theirs = STAFF.replace(
            "services:",
            "  - id: cdiaz\n    name: Carlos Diaz\nservices:",
        );
        assert_eq!(
            joined(STAFF, &ours, &theirs),
            Joined::Clean(STAFF.replace(
                "services:",
                "  - id: abrown\n    name: Ann Brown\n  - {id: cdiaz, name: Carlos Diaz}\nservices:",
            ))
        );
    }

    #[test]
    fn entries_with_ids_join_element_by_element_wherever_they_moved() {
        let ours = STAFF.replace("minutes: 60", "minutes: 45");
        // The other side changed the other element of the same service and
        // the other service.
        let theirs = STAFF
            .replace("frequency: weekly", "frequency: biweekly")
            .replace("frequency: monthly", "frequency: weekly");
        assert_eq!(
            joined(STAFF, &ours, &theirs),
            Joined::Clean(
                STAFF
                    .replace("minutes: 60", "minutes: 45")
                    .replace("frequency: weekly", "frequency: biweekly")
                    .replace("frequency: monthly", "frequency: weekly")
            )
        );
    }

    #[test]
    fn one_value_changed_two_ways_is_left_between_markers_on_its_own_lines() {
        let ours = STAFF.replace("frequency: weekly", "frequency: biweekly");
        let theirs = STAFF
            .replace("frequency: weekly", "frequency: monthly")
            .replace("name: Maria Lopez", "name: María López");
        assert_eq!(
            joined(STAFF, &ours, &theirs),
            Joined::Conflict {
                text: "kind: program\nstaff:\n  - id: mlopez\n    name: María López\nservices:\n  - id: speech\n\
                       <<<<<<< this computer\n    frequency: biweekly\n=======\n    frequency: monthly\n\
                       >>>>>>> shared copy\n    minutes: 60\n  - id: ot\n    frequency: monthly\n"
                    .to_string(),
                at: vec!["/services/0/frequency".to_string()]
            }
        );
        // The text left is what the loader names as two people's changes.
        let Joined::Conflict { text, .. } = joined(STAFF, &ours, &theirs) else {
            unreachable!()
        };
        assert!(yaml::parse(text.as_str()).is_err());
    }

    #[test]
    fn a_file_with_markers_holds_two_versions() {
        let ours = STAFF.replace("frequency: weekly", "frequency: biweekly");
        let theirs = STAFF.replace("frequency: weekly", "frequency: monthly");
        let Joined::Conflict { text, .. } = joined(STAFF, &ours, &theirs) else {
            panic!("a conflict")
        };
        assert_eq!(sides(&text), Some([ours.clone(), theirs.clone()]));
        // git's own markers, with the common version (diff3) and CRLF.
        let diff3 = "a: 1\r\n<<<<<<< HEAD\r\nb: 2\r\n||||||| base\r\nb: 0\r\n=======\r\nb: 3\r\n>>>>>>> origin/main\r\nc: 4\r\n";
        assert_eq!(
            sides(diff3),
            Some([
                "a: 1\r\nb: 2\r\nc: 4\r\n".to_string(),
                "a: 1\r\nb: 3\r\nc: 4\r\n".to_string()
            ])
        );
        assert_eq!(sides(STAFF), None, "no markers");
        assert_eq!(
            sides("<<<<<<< a\nb: 1\n=======\nb: 2\n"),
            None,
            "a conflict not closed"
        );
    }

    #[test]
    fn an_entry_changed_on_one_side_and_removed_on_the_other_is_a_conflict() {
        let ours = NOTES.replace("Visit.", "Home visit.");
        let theirs = "# the family's notes\nkind: contacts\nversion: 1\nnotes: []\n";
        let Joined::Conflict { at, .. } = joined(NOTES, &ours, theirs) else {
            panic!("a conflict")
        };
        assert_eq!(at, ["/notes/0"]);
    }

    #[test]
    fn what_does_not_read_as_records_is_left_to_git() {
        assert_eq!(joined(NOTES, "notes: [", NOTES), Joined::NotRecords);
        assert_eq!(joined("a: [", NOTES, NOTES), Joined::NotRecords);
        let marked = "<<<<<<< a\nx: 1\n=======\nx: 2\n>>>>>>> b\n";
        assert_eq!(joined(NOTES, NOTES, marked), Joined::NotRecords);
    }

    fn values(list: &[&str]) -> Vec<Value> {
        list.iter().map(|s| Value::from(*s)).collect()
    }

    /// Three lists of whole entries joined: the list and where conflicts are.
    fn sequence(o: &[&str], a: &[&str], b: &[&str]) -> (Vec<Value>, Vec<String>) {
        let mut at = Vec::new();
        let out = join_sequence(
            &values(o),
            &values(a),
            &values(b),
            "/l",
            Prefer::Ours,
            &mut at,
        );
        (out, at)
    }

    #[test]
    fn lists_of_whole_entries_join_change_by_change() {
        let clean = |list: &[&str]| (values(list), Vec::<String>::new());
        // Changes apart, and changes next to each other, are all kept.
        assert_eq!(
            sequence(&["a", "b", "c"], &["a", "B", "c"], &["a", "b", "C"]),
            clean(&["a", "B", "C"])
        );
        assert_eq!(
            sequence(&["a", "b", "c"], &["A", "b", "c"], &["a", "b", "c", "d"]),
            clean(&["A", "b", "c", "d"])
        );
        // Removed here, one added right after it there.
        assert_eq!(
            sequence(&["a", "b", "c"], &["a", "c"], &["a", "b", "x", "c"]),
            clean(&["a", "x", "c"])
        );
        assert_eq!(
            sequence(&["a", "b", "c"], &["a", "b", "x", "c"], &["a", "c"]),
            clean(&["a", "x", "c"])
        );
        // Added at the same place on both sides: this side's first, each once.
        assert_eq!(
            sequence(&["a"], &["x", "a", "y"], &["z", "a", "y"]),
            clean(&["x", "z", "a", "y"])
        );
        assert_eq!(sequence(&[], &["x"], &["x"]), clean(&["x"]));
        // The same change on both sides is made once.
        assert_eq!(
            sequence(&["a", "b"], &["a", "B"], &["a", "B"]),
            clean(&["a", "B"])
        );
        // One entry changed two ways, or changed here and removed there.
        assert_eq!(
            sequence(&["a", "b"], &["a", "B"], &["a", "C"]),
            (values(&["a", "B"]), vec!["/l/1".to_string()])
        );
        let mut at = Vec::new();
        let theirs = join_sequence(
            &values(&["a", "b"]),
            &values(&["a", "B"]),
            &values(&["a", "C"]),
            "/l",
            Prefer::Theirs,
            &mut at,
        );
        assert_eq!(theirs, values(&["a", "C"]));
        assert_eq!(
            sequence(&["a", "b", "c"], &["a", "c"], &["a", "B", "c"]),
            (values(&["a", "c"]), vec!["/l/1".to_string()])
        );
        // A run there that spans two runs here is one region: a conflict.
        assert_eq!(
            sequence(
                &["a", "b", "c", "d", "e"],
                &["a", "B", "c", "D", "e"],
                &["a", "X", "e"]
            ),
            (values(&["a", "B", "c", "D", "e"]), vec!["/l/1".to_string()])
        );
        // Two runs changed apart on each side, one overlapping: each run once.
        assert_eq!(
            sequence(
                &["a", "b", "c", "d", "e"],
                &["a", "B", "c", "d", "E"],
                &["a", "b", "c", "D", "e", "f"]
            ),
            clean(&["a", "B", "c", "D", "E", "f"])
        );
    }

    #[test]
    fn one_entry_changed_on_both_sides_joins_element_by_element() {
        let list = |text: &str| -> Vec<Value> { serde_json::from_str(text).unwrap() };
        let mut at = Vec::new();
        let joined = join_sequence(
            &list(r#"[{"n": 1, "x": 1, "y": 1}]"#),
            &list(r#"[{"n": 1, "x": 2, "y": 1}, "p"]"#),
            &list(r#"[{"n": 1, "x": 1, "y": 2}, "q"]"#),
            "/l",
            Prefer::Ours,
            &mut at,
        );
        assert_eq!(joined, list(r#"[{"n": 1, "x": 2, "y": 2}, "p", "q"]"#));
        assert!(at.is_empty(), "{at:?}");
    }

    #[test]
    fn entries_are_named_by_id_or_number_only_when_every_one_is_once() {
        let list = |text: &str| -> Vec<Value> { serde_json::from_str(text).unwrap() };
        let named = |o: &str, a: &str, b: &str| identity(&list(o), &list(a), &list(b));
        assert_eq!(
            named("[]", r#"[{"id": "x"}]"#, r#"[{"id": "y"}]"#),
            Some("id")
        );
        assert_eq!(
            named(
                r#"[{"number": 1}]"#,
                r#"[{"number": 1}]"#,
                r#"[{"number": 2}]"#
            ),
            Some("number")
        );
        assert_eq!(
            named("[]", r#"[{"id": "x"}, {"name": "y"}]"#, "[]"),
            None,
            "one without"
        );
        assert_eq!(
            named("[]", "[]", r#"[{"id": "x"}, {"id": "x"}]"#),
            None,
            "one twice"
        );
        assert_eq!(
            named(r#"[{"date": 1}]"#, r#"[{"id": "x"}]"#, r#"[{"id": "x"}]"#),
            None
        );
        assert_eq!(named("[]", "[]", "[]"), None, "nothing to name");
        assert_eq!(
            named("[]", "[]", r#"[{"id": "x"}]"#),
            Some("id"),
            "named on one side"
        );
    }

    #[test]
    fn an_entry_added_there_goes_after_the_one_it_follows_there() {
        let list = |text: &str| -> Vec<Value> { serde_json::from_str(text).unwrap() };
        let keyed = |o: &str, a: &str, b: &str| {
            let mut at = Vec::new();
            let out = join_keyed(
                &list(o),
                &list(a),
                &list(b),
                "id",
                "",
                Prefer::Ours,
                &mut at,
            );
            (
                out.iter()
                    .map(|e| e["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>(),
                at,
            )
        };
        let o = r#"[{"id": "a"}, {"id": "b"}, {"id": "c"}]"#;
        // After b, where it was added there; this side's own additions first.
        assert_eq!(
            keyed(
                o,
                r#"[{"id": "a"}, {"id": "b"}, {"id": "m"}, {"id": "c"}]"#,
                r#"[{"id": "a"}, {"id": "b"}, {"id": "t"}, {"id": "c"}]"#
            ),
            (
                vec!["a".into(), "b".into(), "m".into(), "t".into(), "c".into()],
                vec![]
            )
        );
        // First there, first here.
        assert_eq!(
            keyed(
                o,
                o,
                r#"[{"id": "t"}, {"id": "a"}, {"id": "b"}, {"id": "c"}]"#
            )
            .0,
            ["t", "a", "b", "c"]
        );
        // Added the same on both sides: once.
        assert_eq!(
            keyed(
                o,
                r#"[{"id": "a"}, {"id": "n", "x": 1}]"#,
                r#"[{"id": "a"}, {"id": "n", "x": 1}]"#
            )
            .0,
            ["a", "n"]
        );
        // Added on both sides, each its own way: a conflict on the element.
        assert_eq!(
            keyed("[]", r#"[{"id": "n", "x": 1}]"#, r#"[{"id": "n", "x": 2}]"#),
            (vec!["n".to_string()], vec!["/0/x".to_string()])
        );
        // Added there after an entry changed here and removed there: next
        // to the entry it followed, before the conflict.
        assert_eq!(
            keyed(
                r#"[{"id": "a"}, {"id": "b"}]"#,
                r#"[{"id": "a"}, {"id": "b", "x": 1}]"#,
                r#"[{"id": "a"}, {"id": "t"}]"#
            ),
            (
                vec!["a".into(), "t".into(), "b".into()],
                vec!["/2".to_string()]
            )
        );
        // Removed there, kept here unchanged: removed; changed here: a conflict.
        assert_eq!(keyed(o, o, r#"[{"id": "a"}, {"id": "c"}]"#).0, ["a", "c"]);
        assert_eq!(
            keyed(
                o,
                r#"[{"id": "a"}, {"id": "b", "x": 1}, {"id": "c"}]"#,
                r#"[{"id": "a"}, {"id": "c"}]"#
            ),
            (
                vec!["a".into(), "b".into(), "c".into()],
                vec!["/1".to_string()]
            )
        );
    }

    #[test]
    fn markers_go_around_each_run_of_lines_that_differ_even_one_sided() {
        let labels = Labels {
            ours: "x",
            theirs: "y",
        };
        assert_eq!(
            with_markers("a\nb\nc\n", "a\nc\nd\n", labels),
            "a\n<<<<<<< x\nb\n=======\n>>>>>>> y\nc\n<<<<<<< x\n=======\nd\n>>>>>>> y\n"
        );
        assert_eq!(with_markers("a\n", "a\n", labels), "a\n");
        assert_eq!(
            with_markers("a", "b", labels),
            "<<<<<<< x\na\n=======\nb\n>>>>>>> y\n"
        );
    }

    #[test]
    fn the_longest_common_run_of_entries_gives_each_side_s_changes() {
        let v = |list: &[i64]| list.iter().map(|n| Value::from(*n)).collect::<Vec<_>>();
        let h = hunks(&v(&[1, 2, 3, 4]), &v(&[1, 5, 3, 4, 6]));
        let spans: Vec<_> = h.iter().map(|h| (h.base.clone(), h.with.clone())).collect();
        assert_eq!(spans, [(1..2, 1..2), (4..4, 4..5)]);
        assert!(hunks(&v(&[1, 2]), &v(&[1, 2])).is_empty());
        let spans: Vec<_> = (hunks(&v(&[1, 2]), &v(&[])).iter())
            .map(|h| (h.base.clone(), h.with.clone()))
            .collect();
        assert_eq!(spans, [(0..2, 0..0)]);
        // The longest run kept, not the first match: 2 3 4 5 of 1 2 3 4 5.
        let spans: Vec<_> = (hunks(&v(&[1, 2, 3, 4, 5]), &v(&[2, 3, 9, 4, 5, 1])).iter())
            .map(|h| (h.base.clone(), h.with.clone()))
            .collect();
        assert_eq!(spans, [(0..1, 0..0), (3..3, 2..3), (5..5, 5..6)]);
        let spans: Vec<_> = (hunks(&v(&[1, 2, 1, 2]), &v(&[2, 1, 2, 1])).iter())
            .map(|h| (h.base.clone(), h.with.clone()))
            .collect();
        assert_eq!(spans, [(0..1, 0..0), (4..4, 3..4)]);
    }
}
