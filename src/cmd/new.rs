//! `casepaper new`: record skeletons a coordinator fills in.
//!
//! The skeleton comes from the record kind's schema (`schemas::skeleton`),
//! so it always holds exactly the elements the schema requires, each empty
//! with a comment saying what goes there. `validate` then names every
//! element still to fill, by line. Nothing existing is ever overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use super::{CLEAN, Fatal, write_new};
use crate::cli::{NewArgs, NewRecord};
use crate::load::PROGRAM_FILE;
use crate::model::Kind;
use crate::validate::schemas::{bundled, skeleton};

pub fn new(args: NewArgs) -> Result<u8, Fatal> {
    let root = records_root(&args.records)?;
    let written = match args.record {
        NewRecord::Case { id } => new_case(&root, &id)?,
        NewRecord::Contact { case, date, kind } => new_contact(&root, &case, date, kind)?,
    };
    eprintln!(
        "wrote {}; fill in every empty element, then run `casepaper validate` to see what is left",
        written.display()
    );
    Ok(CLEAN)
}

/// The records folder `--records` names: it must hold the program file.
fn records_root(named: &Path) -> Result<PathBuf, Fatal> {
    if !named.join(PROGRAM_FILE).is_file() {
        return Err(Fatal(format!(
            "{} is not a records folder: it has no {PROGRAM_FILE}; name one with --records",
            named.display()
        )));
    }
    Ok(named.to_path_buf())
}

/// Whether `id` can be a case id: what the case schema's pattern allows
/// (`^[a-z0-9][a-z0-9-]{0,62}$`), which also makes it a safe folder name.
fn valid_case_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn new_case(root: &Path, id: &str) -> Result<PathBuf, Fatal> {
    if !valid_case_id(id) {
        return Err(Fatal(format!(
            "`{id}` cannot be a case id: use lowercase letters, digits and dashes \
             (up to 63), starting with a letter or digit, for example ct-2026-0100"
        )));
    }
    let dir = root.join(id);
    if dir.exists() {
        return Err(Fatal(format!(
            "{} already exists; nothing was written",
            dir.display()
        )));
    }
    fs::create_dir(&dir).map_err(|e| Fatal(format!("{} cannot be made: {e}", dir.display())))?;
    let text = skeleton(Kind::Case, &["part_c", "child"], &[("case_id", id)]);
    let path = dir.join("case.yaml");
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

fn new_contact(
    root: &Path,
    case: &str,
    date: Option<chrono::NaiveDate>,
    kind: Option<String>,
) -> Result<PathBuf, Fatal> {
    let dir = root.join(case);
    if !valid_case_id(case) || !dir.join("case.yaml").is_file() {
        return Err(Fatal(format!(
            "there is no case `{case}` in {}: a case is a folder holding case.yaml \
             (`casepaper new case {case}` starts one)",
            root.display()
        )));
    }
    let kinds = contact_kinds();
    if let Some(kind) = &kind
        && !kinds.contains(kind)
    {
        return Err(Fatal(format!(
            "`{kind}` is not a kind of contact; the kinds are {}",
            kinds.join(", ")
        )));
    }
    let date = date
        .unwrap_or_else(|| chrono::Local::now().date_naive())
        .to_string();
    let mut values = vec![("date", date.as_str())];
    if let Some(kind) = &kind {
        values.push(("type", kind.as_str()));
    }
    let text = skeleton(Kind::Contacts, &[], &values);
    // contacts-DATE.yaml, or -2, -3, ... when there is already one that day.
    let path = (1..)
        .map(|n| match n {
            1 => dir.join(format!("contacts-{date}.yaml")),
            n => dir.join(format!("contacts-{date}-{n}.yaml")),
        })
        .find(|p| !p.exists())
        .expect("a free name");
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// The kinds of contact the contacts schema allows.
fn contact_kinds() -> Vec<String> {
    bundled(Kind::Contacts)
        .pointer("/properties/notes/items/properties/type/enum")
        .and_then(|v| v.as_array())
        .map(|kinds| {
            kinds
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
