//! Changing one entry of a list in a record file (a contact note among a
//! file's notes) as a text splice: the entry's lines are written anew from
//! its value, every other line stays as written, and the comment lines
//! inside the entry are kept above it.

use serde_json::{Value, json};

use crate::load::yaml;

/// `text` with entry `n` of the list at `list` (a JSON pointer) replaced
/// by `value`. Refused, with the reason, where lines cannot be replaced
/// exactly: an entry with a comment beside a value (other than one
/// `ours` says casepaper wrote there itself, a skeleton's help on what
/// goes in an element, which goes with the old value), or a list written
/// on one line. The new text is parsed and must give the old value with
/// just that entry changed.
pub fn replace(
    text: &str,
    list: &str,
    n: usize,
    value: &Value,
    ours: &dyn Fn(&str) -> bool,
) -> Result<String, String> {
    let theirs = |line: &str| comment(line).is_some_and(|c| !ours(c));
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    let items = doc
        .value
        .pointer(list)
        .and_then(Value::as_array)
        .ok_or("the list is no longer in the file")?;
    if n >= items.len() {
        return Err("that entry is no longer in the file".into());
    }
    let spots = doc.spots();
    let start = spots
        .get(&format!("{list}/{n}"))
        .map(|s| s.value)
        .ok_or("the entry's place in the file is not known")?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let first = lines.get(start.line - 1).ok_or("the file changed")?;
    // The entry's `- ` is on its first line, before its first element.
    let head: String = first.chars().take(start.column - 1).collect();
    let Some(dash) = head
        .rfind("- ")
        .filter(|d| head[..*d].chars().all(|c| c == ' '))
    else {
        return Err("the list is written on one line; change it as text".into());
    };
    let end = block_end(&lines, start.line, dash);
    let span = &lines[start.line - 1..end];
    let mut kept = Vec::new();
    for line in &span[1..] {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            kept.push(*line);
        } else if theirs(line) {
            return Err(
                "the entry has a comment beside a value; change it as text to keep it".into(),
            );
        }
    }
    if theirs(first) {
        return Err("the entry has a comment beside a value; change it as text to keep it".into());
    }
    let mut entry = String::new();
    super::yaml::write_plain(value, dash + 2, &mut entry);
    let entry = format!("{}- {}", " ".repeat(dash), entry.trim_start());
    let mut out: String = lines[..start.line - 1].concat();
    out.push_str(&kept.concat());
    out.push_str(&entry);
    out.push_str(&lines[end..].concat());
    let mut wanted = doc.value.clone();
    if let Some(slot) = wanted.pointer_mut(&format!("{list}/{n}")) {
        *slot = value.clone();
    }
    match yaml::parse(out.as_str()) {
        Ok(new) if new.value == wanted => Ok(out),
        _ => Err(
            "the file is written in a way the entry cannot be replaced in; change it as text"
                .into(),
        ),
    }
}

/// `text` with `value` added as the last entry of the top-level list
/// `key` (a prior written notice in notices.yaml, a consent in case.yaml):
/// written under the list's last entry at its entries' indentation, or,
/// where the file has no such list yet, as the list at the end of the
/// file. Every other line stays as written. Refused, with the reason,
/// where the list is written on one line or the text would not read back
/// as the old value with the entry added.
pub fn append(text: &str, key: &str, value: &Value) -> Result<String, String> {
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    let mut wanted = doc.value.clone();
    let list = format!("/{key}");
    let out = match doc.value.pointer(&list) {
        Some(Value::Array(items)) if !items.is_empty() => {
            let spots = doc.spots();
            let last = items.len() - 1;
            let start = spots
                .get(&format!("{list}/{last}"))
                .map(|s| s.value)
                .ok_or("the list's place in the file is not known")?;
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let first = lines.get(start.line - 1).ok_or("the file changed")?;
            let head: String = first.chars().take(start.column - 1).collect();
            let dash = head
                .rfind("- ")
                .filter(|d| head[..*d].chars().all(|c| c == ' '))
                .ok_or("the list is written on one line; change it as text")?;
            let end = block_end(&lines, start.line, dash);
            let mut out: String = lines[..end].concat();
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&entry_text(value, dash));
            out.push_str(&lines[end..].concat());
            out
        }
        None | Some(Value::Null) | Some(Value::Array(_)) => {
            if doc.value.get(key).is_some() {
                return Err(format!(
                    "`{key}` is written in a way an entry cannot be added to; change it as text"
                ));
            }
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{key}:\n"));
            out.push_str(&entry_text(value, 2));
            out
        }
        Some(_) => return Err(format!("`{key}` in the file is not a list")),
    };
    match wanted.as_object_mut() {
        Some(map) => match map
            .entry(key.to_string())
            .or_insert(Value::Array(Vec::new()))
        {
            Value::Array(items) => items.push(value.clone()),
            slot => *slot = Value::Array(vec![value.clone()]),
        },
        None => return Err("the file does not hold a record".into()),
    }
    match yaml::parse(out.as_str()) {
        Ok(new) if new.value == wanted => Ok(out),
        _ => Err(
            "the file is written in a way an entry cannot be added to; change it as text".into(),
        ),
    }
}

/// `text` with the top-level element `key` written as `value` (a case's
/// evaluation date), or taken out for `None`: its lines written anew where
/// it is, else added after the last of `after` (the elements before it in
/// the skeleton's order) the file has, else at the end. Every other line
/// stays as written. Refused, with the reason, where the element has a
/// comment beside its value or the text would not read back as the old
/// value so changed.
pub fn set(text: &str, key: &str, value: Option<&Value>, after: &[&str]) -> Result<String, String> {
    let doc = yaml::parse(text).map_err(|_| "the file does not read as YAML".to_string())?;
    let mut wanted = doc.value.clone();
    let map = wanted
        .as_object_mut()
        .ok_or("the file does not hold a record")?;
    match value {
        Some(v) => {
            map.insert(key.to_string(), v.clone());
        }
        None => {
            map.shift_remove(key);
        }
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = |name: &str| {
        lines
            .iter()
            .position(|l| l.strip_prefix(name).is_some_and(|r| r.starts_with(':')))
    };
    let written = |v: &Value| {
        let mut line = String::new();
        super::yaml::write_plain(&json!({ key: v }), 0, &mut line);
        line
    };
    let mut out = String::new();
    match at(key) {
        Some(i) => {
            if comment(lines[i]).is_some() {
                return Err(format!(
                    "`{key}` has a comment beside its value; change it as text to keep it"
                ));
            }
            let end = block_end(&lines, i + 1, 0);
            out.push_str(&lines[..i].concat());
            if let Some(v) = value {
                out.push_str(&written(v));
            }
            out.push_str(&lines[end..].concat());
        }
        None => {
            let Some(v) = value else {
                return Ok(text.to_string());
            };
            let place = after
                .iter()
                .filter_map(|name| at(name))
                .max()
                .map(|i| block_end(&lines, i + 1, 0));
            match place {
                Some(end) => {
                    out.push_str(&lines[..end].concat());
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&written(v));
                    out.push_str(&lines[end..].concat());
                }
                None => {
                    out.push_str(text);
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&written(v));
                }
            }
        }
    }
    match yaml::parse(out.as_str()) {
        Ok(new) if new.value == wanted => Ok(out),
        _ => Err(format!(
            "`{key}` is written in a way it cannot be changed in; change it as text"
        )),
    }
}

/// One entry of a list whose dash is at column `dash`, as lines.
fn entry_text(value: &Value, dash: usize) -> String {
    let mut entry = String::new();
    super::yaml::write_plain(value, dash + 2, &mut entry);
    format!("{}- {}", " ".repeat(dash), entry.trim_start())
}

/// The comment a line ends in, without its `#` and the spaces around: a
/// `#` after white space, outside quotes.
fn comment(line: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') if previous == ' ' || previous == '\t' => {
                return Some(line[i + 1..].trim());
            }
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q && previous != '\\' => quote = None,
            _ => {}
        }
        previous = c;
    }
    None
}

/// Where the block that starts on line `from` ends (an entry whose dash
/// is at column `dash`, or an element whose key is indented `dash`): after its last line indented past the dash, before the next
/// entry (or whatever follows the list); blank lines and comments after it
/// belong to what follows.
pub(super) fn block_end(lines: &[&str], from: usize, dash: usize) -> usize {
    let mut end = from;
    let mut last_content = from;
    while end < lines.len() {
        let line = lines[end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            if indent <= dash {
                break;
            }
            last_content = end + 1;
        }
        end += 1;
    }
    last_content
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No comment is casepaper's own.
    fn none(_: &str) -> bool {
        false
    }

    const NOTES: &str = "\
kind: contacts   # the family's notes
version: 1
notes:
  - date: 2026-11-10
    minutes: 15
    # called from the office
    summary: First call.
  - {date: 2026-11-20, minutes: 30, summary: Second call.}

  # December
  - date: 2026-12-01
    minutes: 45
    summary: Third call.
";

    #[test]
    fn an_entry_is_written_anew_and_every_other_line_stays() {
        let new = json!({"date": "2026-11-10", "minutes": 20, "summary": "First call, longer."});
        let out = replace(NOTES, "/notes", 0, &new, &none).unwrap();
        assert_eq!(
            out,
            NOTES.replace(
                "  - date: 2026-11-10\n    minutes: 15\n    # called from the office\n    summary: First call.\n",
                "    # called from the office\n  - date: 2026-11-10\n    minutes: 20\n    summary: First call, longer.\n"
            )
        );
        let flow = replace(
            NOTES,
            "/notes",
            1,
            &json!({"date": "2026-11-20", "minutes": 31}),
            &none,
        )
        .unwrap();
        assert!(
            flow.contains("  - date: 2026-11-20\n    minutes: 31\n\n  # December\n"),
            "{flow}"
        );
        let last = replace(
            NOTES,
            "/notes",
            2,
            &json!({"date": "2026-12-01", "minutes": 5}),
            &none,
        )
        .unwrap();
        assert!(
            last.ends_with("  # December\n  - date: 2026-12-01\n    minutes: 5\n"),
            "{last}"
        );
    }

    #[test]
    fn a_list_at_the_margin_and_an_entry_with_a_blank_line_inside() {
        let margin = "notes:\n- date: 2026-11-10\n  minutes: 15\n- date: 2026-11-11\n";
        let out = replace(
            margin,
            "/notes",
            0,
            &json!({"date": "2026-11-10", "minutes": 20}),
            &none,
        )
        .unwrap();
        assert_eq!(
            out,
            "notes:\n- date: 2026-11-10\n  minutes: 20\n- date: 2026-11-11\n"
        );
        let spaced = "notes:\n  - date: 2026-11-10\n\n    minutes: 15\n  - date: 2026-11-11\n";
        let out = replace(spaced, "/notes", 0, &json!({"date": "2026-11-10"}), &none).unwrap();
        assert_eq!(out, "notes:\n  - date: 2026-11-10\n  - date: 2026-11-11\n");
    }

    #[test]
    fn an_entry_is_added_under_the_last_and_every_other_line_stays() {
        let new = json!({"date": "2026-12-05", "minutes": 10});
        let out = append(NOTES, "notes", &new).unwrap();
        assert_eq!(
            out,
            format!("{NOTES}  - date: 2026-12-05\n    minutes: 10\n")
        );
        // A list followed by more of the file, and a comment after it.
        let middle = "kind: notices\nprior_written:\n- action: evaluation\n  date: 2026-11-02\n\n# meetings below\nmeetings: []\n";
        let out = append(
            middle,
            "prior_written",
            &json!({"action": "eligibility", "date": "2026-11-02"}),
        )
        .unwrap();
        assert_eq!(
            out,
            "kind: notices\nprior_written:\n- action: evaluation\n  date: 2026-11-02\n\
             - action: eligibility\n  date: 2026-11-02\n\n# meetings below\nmeetings: []\n"
        );
        // No list yet, or an empty one written `[]`, or a file without its
        // last line break: the list at the end.
        let bare = "kind: notices\nversion: 1";
        let out = append(bare, "meetings", &json!({"date": "2026-12-10"})).unwrap();
        assert_eq!(
            out,
            "kind: notices\nversion: 1\nmeetings:\n  - date: 2026-12-10\n"
        );
        assert!(
            append(middle, "meetings", &json!({"date": "2026-12-10"}))
                .unwrap_err()
                .contains("cannot be added")
        );
        assert!(
            append(
                "notes: [{date: 2026-11-10}]\n",
                "notes",
                &json!({"date": "2026-12-10"})
            )
            .unwrap_err()
            .contains("one line")
        );
        assert!(
            append("notes: 3\n", "notes", &json!({}))
                .unwrap_err()
                .contains("not a list")
        );
    }

    #[test]
    fn an_element_is_written_where_it_is_or_after_those_before_it() {
        let case = "kind: case\n# dates\nreferral_date: 2026-10-08\neligible: false\nconsents:\n  - date: 2026-10-20\n";
        let day = json!("2026-11-02");
        assert_eq!(
            set(
                case,
                "evaluation_date",
                Some(&day),
                &["referral_date", "screening_date"]
            )
            .unwrap(),
            "kind: case\n# dates\nreferral_date: 2026-10-08\nevaluation_date: 2026-11-02\n\
             eligible: false\nconsents:\n  - date: 2026-10-20\n"
        );
        assert_eq!(
            set(case, "eligible", Some(&json!(true)), &[]).unwrap(),
            case.replace("eligible: false", "eligible: true")
        );
        assert_eq!(
            set(case, "eligible", None, &[]).unwrap(),
            case.replace("eligible: false\n", "")
        );
        assert_eq!(set(case, "screening_date", None, &[]).unwrap(), case);
        assert_eq!(
            set("kind: case", "eligible", Some(&json!(false)), &["nothing"]).unwrap(),
            "kind: case\neligible: false\n"
        );
        // A block value is replaced whole; a person's comment refuses.
        let block = "kind: case\neligible:\n  false\nnext: 1\n";
        assert_eq!(
            set(block, "eligible", Some(&json!(true)), &[]).unwrap(),
            "kind: case\neligible: true\nnext: 1\n"
        );
        let commented = case.replace("false", "false  # ask Dana");
        assert!(
            set(&commented, "eligible", Some(&json!(true)), &[])
                .unwrap_err()
                .contains("comment beside")
        );
    }

    #[test]
    fn a_comment_is_a_hash_after_white_space_outside_quotes() {
        assert_eq!(comment("    summary: Call#2"), None);
        assert_eq!(comment("    summary: \"Visit #2\""), None);
        assert_eq!(comment("    summary: 'Visit #2'"), None);
        assert_eq!(
            comment("    summary: \"Visit\"  # the second"),
            Some("the second")
        );
        assert_eq!(
            comment("    summary: 'Visit' # the second\n"),
            Some("the second")
        );
        assert_eq!(comment("    minutes: 15\t# about"), Some("about"));
        assert_eq!(comment("    summary: \"say \\\" #not\""), None);
    }

    #[test]
    fn a_comment_casepaper_wrote_goes_with_the_old_value_and_a_person_s_stays_refused() {
        let hint = "The date the coordinator signed the note (a date, YYYY-MM-DD)";
        let text = NOTES.replace("minutes: 15", &format!("minutes: 15  # {hint}"));
        let ours = |c: &str| c == hint;
        let new = json!({"date": "2026-11-10", "minutes": 20});
        let out = replace(&text, "/notes", 0, &new, &ours).unwrap();
        assert!(!out.contains(hint), "{out}");
        assert_eq!(out, replace(NOTES, "/notes", 0, &new, &none).unwrap());
        let theirs = NOTES.replace("minutes: 15", "minutes: 15  # ask Dana");
        assert!(replace(&theirs, "/notes", 0, &new, &ours).is_err());
    }

    #[test]
    fn an_entry_with_a_comment_beside_a_value_is_left_to_the_text_editor() {
        let text = NOTES.replace("minutes: 15", "minutes: 15  # about");
        let refused = replace(&text, "/notes", 0, &json!({"date": "2026-11-10"}), &none);
        assert!(refused.unwrap_err().contains("comment beside a value"));
        assert!(replace(NOTES, "/notes", 3, &json!({}), &none).is_err());
        let quoted = NOTES.replace("summary: First call.", "summary: \"Visit #2 # of 3\"");
        assert!(replace(&quoted, "/notes", 0, &json!({"date": "2026-11-10"}), &none).is_ok());
        let inline = "notes: [{date: 2026-11-10}]\n";
        assert!(
            replace(inline, "/notes", 0, &json!({"date": "2026-11-11"}), &none)
                .unwrap_err()
                .contains("one line")
        );
    }
}
