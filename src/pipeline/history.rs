//! `log`'s run: the commits that changed a case's records, newest first,
//! and whether any of its files has changes not committed yet.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::load::git::{Commit, Repo};
use crate::load::{self, Caseload};
use crate::model::Kind;

/// A case's place in git.
pub struct CaseHistory {
    /// The commits that changed the case's folder, newest first.
    pub commits: Vec<Commit>,
    /// How many of its files have changes not committed.
    pub uncommitted: usize,
}

/// The history of the case `wanted` (a folder, a folder's name or a case
/// id) of the records folder `records`. A case whose folder is gone may
/// still have history, under its name.
pub fn case_history(records: &Path, wanted: &str) -> Result<CaseHistory> {
    let caseload = load::load(std::slice::from_ref(&records.to_path_buf()))?;
    let wanted = wanted.trim_end_matches('/');
    let dir = case_dir(&caseload, wanted);
    let repo = Repo::discover(&caseload.root).ok_or_else(|| {
        Error::Git(format!(
            "{} is not in a git repository; `casepaper log` lists the commits of records kept in git",
            records.display()
        ))
    })?;
    let path = repo
        .path_of(&dir)
        .or_else(|| {
            let parent = repo.path_of(&caseload.root)?;
            Some(if parent.is_empty() {
                wanted.to_string()
            } else {
                format!("{parent}/{wanted}")
            })
        })
        .ok_or_else(|| Error::Git(format!("{} is not in the repository", dir.display())))?;
    let history = repo.history(std::slice::from_ref(&path))?;
    let uncommitted = repo.uncommitted(std::slice::from_ref(&path))?;
    if history.commits.is_empty() && uncommitted.is_empty() && !dir.is_dir() {
        return Err(Error::Records(format!(
            "there is no case `{wanted}` in {} and none in its history",
            records.display()
        )));
    }
    Ok(CaseHistory {
        commits: history.commits,
        uncommitted: uncommitted.len(),
    })
}

/// The case's folder: named on the command line, named like the case, or
/// the one whose case file gives this id.
fn case_dir(caseload: &Caseload, wanted: &str) -> PathBuf {
    let named = Path::new(wanted);
    if named.is_dir() && named.join("case.yaml").is_file() {
        return named.to_path_buf();
    }
    caseload
        .cases
        .iter()
        .find(|f| {
            f.dir.file_name().is_some_and(|n| n == wanted)
                || f.files.iter().any(|r| {
                    r.kind() == Some(Kind::Case)
                        && r.doc.value.get("case_id").and_then(|v| v.as_str()) == Some(wanted)
                })
        })
        .map(|f| f.dir.clone())
        .unwrap_or_else(|| caseload.root.join(wanted))
}
