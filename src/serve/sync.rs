//! The Sync page: where this computer stands against the team's shared
//! copy (commits to send, commits to take, the last sync), the sync itself
//! ([`crate::pipeline::sync`]), and a file two people changed two ways,
//! shown as both versions side by side with the differences marked, for
//! the coordinator to keep one or write what is right; the choice is
//! validated with the records before it is written.

use minijinja::context;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::app::{App, v};
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::model::text::upper_first;
use crate::pipeline::{NotSaved, NotSynced, Problem, SyncRequest, Target, sync, sync_state};
use crate::records::merge::sides;
use crate::records::write::{self, NotWritten};

/// A finding the sync found, with where to mend it on the desk.
#[derive(Serialize)]
struct FoundView {
    at: String,
    message: String,
    /// The text editor of its file, at its line, when the file is a case's.
    edit: Option<String>,
}

/// One line of the side-by-side view: the line of each side (`None` where
/// that side has none there), and whether the two differ; or, between the
/// differences, how many lines both have the same (`same`), not shown.
#[derive(Serialize, Default)]
struct Row {
    ours: Option<String>,
    theirs: Option<String>,
    differs: bool,
    same: usize,
}

/// Lines shown around each difference.
const AROUND: usize = 4;

impl App {
    /// Where this computer stands against the shared copy (GET), or a sync
    /// (POST).
    pub(super) fn sync_page(&self, req: &Request) -> Result<Reply> {
        let Some(repo) = &self.repo else {
            return Ok(self.message(
                200,
                "Sync",
                "The records folder is not in a git repository, so there is no shared copy to sync with.",
            ));
        };
        let mut said: Option<String> = req
            .get("chosen")
            .map(|file| format!("Kept your choice for {file}. Sync again to finish joining the shared copy's changes."));
        let mut problem: Option<String> = None;
        let mut found: Vec<FoundView> = Vec::new();
        let message = req.get("message").unwrap_or_default().trim().to_string();
        let mut status = 200;
        if req.is_post() {
            let _writing = write::lock();
            let request = SyncRequest::new(
                self.root.clone(),
                (!message.is_empty()).then(|| message.clone()),
                self.as_of(req),
            );
            match sync(&request) {
                Ok(synced) => {
                    said = Some(format!("{}.", upper_first(&synced.words())));
                }
                Err(not) => {
                    status = match &not {
                        NotSynced::Git(_) => 500,
                        _ => 409,
                    };
                    if let NotSynced::Invalid { findings }
                    | NotSynced::Breaks { findings, .. }
                    | NotSynced::Unsendable { findings, .. } = &not
                    {
                        found = findings
                            .iter()
                            .map(|f| {
                                let rel = f.file.strip_prefix(&self.root).unwrap_or(&f.file);
                                let rel = crate::load::slash_path(rel);
                                let line = f.pos.map(|p| p.line);
                                let edit = rel.split_once('/').map(|(folder, file)| match line {
                                    Some(n) => format!("/case/{folder}/edit/{file}?line={n}"),
                                    None => format!("/case/{folder}/edit/{file}"),
                                });
                                FoundView {
                                    at: match line {
                                        Some(n) => format!("{rel}, line {n}"),
                                        None => rel,
                                    },
                                    message: f.message.clone(),
                                    edit,
                                }
                            })
                            .collect();
                    }
                    problem = Some(format!("Not synced: {}.", not.words()));
                }
            }
        }
        let state = sync_state(&self.root);
        // While a join is under way, what changed is the join's: the sync
        // commits it as the join, without words of the coordinator's.
        let pending = match state.as_ref().is_some_and(|s| s.joining) {
            true => Vec::new(),
            false => self.uncommitted(),
        };
        let (repo_dir, conflicts) = (
            repo.path_of(&self.root).unwrap_or_default(),
            state
                .as_ref()
                .map(|s| s.conflicted.clone())
                .unwrap_or_default(),
        );
        let page = self.fill(
            "sync.html",
            context! {
                shared => state.is_some(),
                ahead => state.as_ref().map(|s| s.apart.ahead),
                behind => state.as_ref().map(|s| s.apart.behind),
                last => state.as_ref().and_then(|s| s.last.clone()),
                joining => state.as_ref().is_some_and(|s| s.joining),
                conflicts => v(&conflicts),
                records_prefix => match repo_dir.is_empty() {
                    true => String::new(),
                    false => format!("{repo_dir}/"),
                },
                pending => v(&pending),
                message,
                said,
                problem,
                found => v(&found),
            },
        )?;
        Ok(Reply::html(status, page))
    }

    /// A file a join left with a value changed two ways: both versions
    /// side by side (GET), or the version kept or written (POST).
    pub(super) fn conflict(&self, req: &Request) -> Result<Reply> {
        let Some(repo) = &self.repo else {
            return Ok(self.not_found());
        };
        // Only a file git lists as holding a conflict, under the records.
        let file = req.get("file").unwrap_or_default().to_string();
        let records = repo.path_of(&self.root).unwrap_or_default();
        let inside = match records.is_empty() {
            true => Some(file.clone()),
            false => file
                .strip_prefix(&format!("{records}/"))
                .map(str::to_string),
        };
        let Some(inside) = inside else {
            return Ok(self.not_found());
        };
        if !repo.conflicted().contains(&file) {
            return Ok(self.not_found());
        }
        let path = self.root.join(&inside);
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        let Some([ours, theirs]) = sides(&now) else {
            return Ok(self.message(
                200,
                "Nothing left to choose",
                "This file no longer holds two versions: what was chosen is kept. Sync again to finish.",
            ));
        };
        let show = |text: &str, problems: Vec<String>, status| {
            let rows = side_by_side(&ours, &theirs);
            let page = self.fill(
                "conflict.html",
                context! {
                    file => file.as_str(), text,
                    base => write::digest(&now),
                    rows => v(&rows),
                    problems => v(&problems),
                },
            )?;
            Ok(Reply::html(status, page))
        };
        if req.is_get() {
            return show(&ours, Vec::new(), 200);
        }
        let chosen = match req.get("keep") {
            Some("ours") => ours.clone(),
            Some("theirs") => theirs.clone(),
            _ => req.get("text").unwrap_or_default().replace("\r\n", "\n"),
        };
        let base = req.get("base").unwrap_or_default();
        // The records as they would be with the choice: a case's folder,
        // or the whole records for the program file.
        let scope = match inside.split_once('/') {
            Some((folder, _)) => match self.case_dir(folder) {
                Some(dir) => dir,
                None => return Ok(self.not_found()),
            },
            None => self.root.clone(),
        };
        match crate::pipeline::save(&scope, Target::Replace { path: &path, base }, &chosen)? {
            Ok(_) => {
                repo.still_conflicted()?;
                Ok(Reply::see_other(&format!(
                    "/sync?chosen={}",
                    form_urlencoded::byte_serialize(file.as_bytes()).collect::<String>()
                )))
            }
            Err(NotSaved::Invalid(problems)) => {
                let problems = problems.into_iter().map(Problem::by_line).collect();
                show(&chosen, problems, 422)
            }
            Err(NotSaved::NotWritten(e @ NotWritten::Changed(_))) => show(
                &chosen,
                vec![format!(
                    "Nothing was saved: {e}. Open the file again from the Sync page."
                )],
                409,
            ),
            Err(NotSaved::NotWritten(e)) => {
                show(&chosen, vec![format!("Nothing was saved: {e}.")], 500)
            }
        }
    }
}

/// The two versions line by line, side by side: the lines both have on
/// one row, and each run of lines that differs as rows of its own; only
/// the differences and [`AROUND`] lines either side, the rest counted.
fn side_by_side(ours: &str, theirs: &str) -> Vec<Row> {
    let diff = TextDiff::from_lines(ours, theirs);
    let mut rows = Vec::new();
    let (mut left, mut right): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let flush = |rows: &mut Vec<Row>, left: &mut Vec<String>, right: &mut Vec<String>| {
        let n = left.len().max(right.len());
        let (mut l, mut r) = (left.drain(..), right.drain(..));
        for _ in 0..n {
            rows.push(Row {
                ours: l.next(),
                theirs: r.next(),
                differs: true,
                same: 0,
            });
        }
    };
    for change in diff.iter_all_changes() {
        let line = change
            .to_string_lossy()
            .trim_end_matches(['\n', '\r'])
            .to_string();
        match change.tag() {
            ChangeTag::Equal => {
                flush(&mut rows, &mut left, &mut right);
                rows.push(Row {
                    ours: Some(line.clone()),
                    theirs: Some(line),
                    ..Row::default()
                });
            }
            ChangeTag::Delete => left.push(line),
            ChangeTag::Insert => right.push(line),
        }
    }
    flush(&mut rows, &mut left, &mut right);
    let near: Vec<bool> = (0..rows.len())
        .map(|i| {
            let from = i.saturating_sub(AROUND);
            let to = (i + AROUND + 1).min(rows.len());
            rows[from..to].iter().any(|r| r.differs)
        })
        .collect();
    let mut shown: Vec<Row> = Vec::new();
    for (row, near) in rows.into_iter().zip(near) {
        match (near, shown.last_mut()) {
            (true, _) => shown.push(row),
            (false, Some(gap)) if gap.same > 0 => gap.same += 1,
            (false, _) => shown.push(Row {
                same: 1,
                ..Row::default()
            }),
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_versions_side_by_side_row_by_row() {
        let shown = |rows: Vec<Row>| -> Vec<(Option<String>, Option<String>, bool, usize)> {
            (rows.into_iter())
                .map(|r| (r.ours, r.theirs, r.differs, r.same))
                .collect()
        };
        let line = |text: &str| Some(text.to_string());
        assert_eq!(
            shown(side_by_side("a\nb\nc\nd\n", "a\nB\nB2\nc\n")),
            [
                (line("a"), line("a"), false, 0),
                (line("b"), line("B"), true, 0),
                (None, line("B2"), true, 0),
                (line("c"), line("c"), false, 0),
                (line("d"), None, true, 0),
            ]
        );
        // Far from a difference, lines are counted, not shown.
        let long: String = (1..=20).map(|n| format!("{n}\n")).collect();
        let changed = long.replace("\n10\n", "\nten\n");
        let rows = shown(side_by_side(&long, &changed));
        assert_eq!(rows[0], (None, None, false, 5), "lines 1 to 5");
        assert_eq!(rows[1], (line("6"), line("6"), false, 0));
        assert_eq!(rows[5], (line("10"), line("ten"), true, 0));
        assert_eq!(rows[9], (line("14"), line("14"), false, 0));
        assert_eq!(rows[10], (None, None, false, 6), "lines 15 to 20");
        assert_eq!(rows.len(), 11);
    }
}
