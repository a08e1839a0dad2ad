//! The text editor: a record file's text as written, its findings beside
//! their lines, saved whole when the records are valid with it.

use minijinja::context;
use serde::Serialize;

use super::app::{App, record_files, v};
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::pipeline::{NotSaved, Problem, Records, Target, save};
use crate::records::write::{self, NotWritten};

impl App {
    /// A record file's text to change (GET), or the changed text (POST):
    /// written when the file has not changed since the page was opened and
    /// the records are valid with it.
    pub(super) fn edit(&self, req: &Request, folder: &str, file: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let path = dir.join(file);
        if !record_files(&dir).iter().any(|f| f == file) {
            return Ok(self.not_found());
        }
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        // The file's findings, each with its line and the text there; the
        // one a link came from (`?line=N`) first.
        let at = req.get("line").and_then(|l| l.parse::<usize>().ok());
        let mut found: Vec<FoundView> = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate()
            .check(self.as_of(req))
            .iter()
            .filter(|f| f.file == path)
            .map(|f| {
                let line = f.pos.map(|p| p.line);
                let shown = line
                    .and_then(|l| now.lines().nth(l - 1))
                    .unwrap_or_default();
                FoundView {
                    severity: f.severity,
                    line,
                    text: shown.trim_end().to_string(),
                    message: f.message.clone(),
                    here: line.is_some() && line == at,
                }
            })
            .collect();
        found.sort_by_key(|f| !f.here);
        let show = |text: &str, base: &str, problems: Vec<String>, theirs: Option<&str>, status| {
            let page = self.fill(
                "edit.html",
                context! {
                    folder, file, text, base, theirs,
                    problems => v(&problems),
                    found => v(&found),
                },
            )?;
            Ok(Reply::html(status, page))
        };
        if req.is_get() {
            return show(&now, &write::digest(&now), Vec::new(), None, 200);
        }
        let text = req.get("text").unwrap_or_default().replace("\r\n", "\n");
        let base = req.get("base").unwrap_or_default();
        match save(&dir, Target::Replace { path: &path, base }, &text)? {
            Ok(_) => Ok(Reply::see_other(&format!("/case/{folder}?saved={file}"))),
            Err(NotSaved::Invalid(problems)) => {
                let problems = problems.into_iter().map(Problem::by_line).collect();
                show(&text, base, problems, None, 422)
            }
            Err(NotSaved::NotWritten(NotWritten::Changed(theirs))) => {
                let why = vec![format!(
                    "Nothing was saved: {}. Both versions are below; copy what you need into \
                     yours and save again.",
                    NotWritten::Changed(String::new())
                )];
                show(&text, &write::digest(&theirs), why, Some(&theirs), 409)
            }
            Err(NotSaved::NotWritten(e)) => show(
                &text,
                base,
                vec![format!("Nothing was saved: {e}.")],
                None,
                500,
            ),
        }
    }
}

/// A finding in the file being edited, with the line it is on.
#[derive(Serialize)]
struct FoundView {
    severity: Severity,
    line: Option<usize>,
    /// The text of that line.
    text: String,
    message: String,
    /// The finding the page was opened for (`?line=N`): shown first.
    here: bool,
}
