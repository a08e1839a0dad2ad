//! `log`: the commits that changed a case's records, newest first.

use std::io::{self, Write};

use casepaper::pipeline::case_history;

use super::outcome::{Outcome, Ran};
use super::tell::counted;
use crate::cli::LogArgs;

pub fn log(args: LogArgs) -> Ran {
    let history = case_history(&args.records, &args.case)?;
    let mut out = io::stdout().lock();
    if history.uncommitted > 0 {
        let _ = writeln!(
            out,
            "(uncommitted)           changes to {} not committed yet",
            counted(history.uncommitted, "file")
        );
    }
    for c in &history.commits {
        let _ = writeln!(out, "{}  {}  {}", c.date, c.short(), c.subject);
    }
    if history.commits.is_empty() {
        eprintln!(
            "case {} has no commits yet",
            args.case.trim_end_matches('/')
        );
    }
    Ok(Outcome::Clean)
}
