//! Saving a record file, the one way pages write records: the proposed
//! text is validated with the rest of its case, as the records would be
//! with it, and written only when that file has no error and is still as
//! the page read it (or, for a new file, when no file has its name). One
//! save at a time in the process ([`write::lock`]); a save from another
//! process meanwhile is found by the file's digest.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::records::Records;
use crate::error::Result;
use crate::finding::{RecordCode, Severity};
use crate::output::NewFiles;
use crate::records::write::{self, NotWritten};

/// Where a save writes.
pub enum Target<'a> {
    /// Replaces the file at this path, when its text still has the digest
    /// `base` the page was opened with.
    Replace { path: &'a Path, base: &'a str },
    /// A new file, at the path `path` gives once no other save can take
    /// it (the next free dated name); the text must read back as
    /// `intended`.
    Create {
        path: &'a dyn Fn() -> PathBuf,
        intended: &'a Value,
    },
}

/// Why nothing was saved.
#[derive(Debug)]
pub enum NotSaved {
    /// The records would have errors in the file with the text.
    Invalid(Vec<Problem>),
    /// The file could not be written as asked (changed meanwhile, taken,
    /// unreadable back, or a disk error).
    NotWritten(NotWritten),
}

/// An error `validate` finds in a record's proposed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The element, as `validate` names it.
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
    /// The message as it reads beside the element's field.
    pub beside: String,
}

impl Problem {
    /// The problem as a page lists it under a file's text: "line N: ...".
    pub fn by_line(self) -> String {
        match self.line {
            Some(line) => format!("line {line}: {}", self.message),
            None => self.message,
        }
    }
}

/// Validates the case at `case` with `text` as the target's file and,
/// when that file has no error, writes it; gives the path written. An
/// error only when the records cannot be opened.
pub fn save(
    case: &Path,
    target: Target<'_>,
    text: &str,
) -> Result<std::result::Result<PathBuf, NotSaved>> {
    let _writing = write::lock();
    let path = match &target {
        Target::Replace { path, .. } => path.to_path_buf(),
        Target::Create { path, .. } => path(),
    };
    let (problems, new) = problems_with(case, &path, text)?;
    if !problems.is_empty() {
        return Ok(Err(NotSaved::Invalid(problems)));
    }
    let written = match target {
        Target::Replace { base, .. } => write::replace(&path, text, base),
        Target::Create { intended, .. } => write::create(&path, text, intended, new),
    };
    Ok(written.map(|()| path).map_err(NotSaved::NotWritten))
}

/// The errors the records of the case at `case` would have with `text` as
/// the file `path`, in that file; and the mode the program file gives a
/// new file.
fn problems_with(case: &Path, path: &Path, text: &str) -> Result<(Vec<Problem>, NewFiles)> {
    let valid = Records::open(&[case.to_path_buf()])?
        .propose(path.to_path_buf(), text)
        .load(None)
        .validate();
    let new = valid
        .program()
        .map(|p| p.files.new_files())
        .unwrap_or_default();
    let problems = valid
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error && f.file == path)
        .map(|f| Problem {
            line: f.pos.map(|p| p.line),
            // Beside its field, the element need not be named; a missing
            // element is named by what holds it.
            beside: match f.message.strip_prefix(&format!("`{}` ", f.path)) {
                Some(rest) => format!("This {rest}"),
                None if f.code == RecordCode::MissingElement.into() => {
                    "This is required.".to_string()
                }
                None => f.message.clone(),
            },
            message: f.message.clone(),
            path: f.path.clone(),
        })
        .collect();
    Ok((problems, new))
}
