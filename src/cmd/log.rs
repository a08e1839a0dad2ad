//! `log`: the commits that changed a case's records, newest first.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use casepaper::error::Error;
use casepaper::load::{self, Caseload, git};

use super::{Outcome, Ran, counted};
use crate::cli::LogArgs;

pub fn log(args: LogArgs) -> Ran {
    let caseload = load::load(std::slice::from_ref(&args.records))?;
    let wanted = args.case.trim_end_matches('/');
    let dir = case_dir(&caseload, wanted);
    let repo = git::Repo::discover(&caseload.root).ok_or_else(|| {
        Error::Git(format!(
            "{} is not in a git repository; `casepaper log` lists the commits of records kept in git",
            args.records.display()
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
            args.records.display()
        )));
    }
    let mut out = io::stdout().lock();
    if !uncommitted.is_empty() {
        let _ = writeln!(
            out,
            "(uncommitted)           changes to {} not committed yet",
            counted(uncommitted.len(), "file")
        );
    }
    for c in &history.commits {
        let _ = writeln!(out, "{}  {}  {}", c.date, c.short(), c.subject);
    }
    if history.commits.is_empty() {
        eprintln!("case {wanted} has no commits yet");
    }
    Ok(Outcome::Clean)
}

/// The case's folder: named on the command line, named like the case, or
/// the one whose case file gives this id. A case whose folder is gone may
/// still have history, under its name.
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
                    r.kind() == Some(casepaper::model::Kind::Case)
                        && r.doc.value.get("case_id").and_then(|v| v.as_str()) == Some(wanted)
                })
        })
        .map(|f| f.dir.clone())
        .unwrap_or_else(|| caseload.root.join(wanted))
}
