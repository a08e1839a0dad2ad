//! A paper previewed before its record is saved: the exit letter made from
//! the exit form as filled in, beside a copy of the case's records in a
//! scratch folder of the desk's output, never in the records themselves.

use std::path::Path;

use super::app::App;
use super::http::Reply;
use crate::error::{Error, Result};
use crate::pipeline::{DocKind, Records, RenderConfig, RenderRun};

impl App {
    /// The exit letter the case's records give with `exit` (the text of
    /// exit.yaml as the form would write it), as a PDF to open; or why it
    /// cannot be made yet.
    pub(super) fn preview_exit(&self, dir: &Path, exit: &str) -> Result<Reply> {
        std::fs::create_dir_all(&self.out).map_err(|e| Error::written(self.out.display(), e))?;
        let scratch =
            tempfile::tempdir_in(&self.out).map_err(|e| Error::written(self.out.display(), e))?;
        let root = scratch.path().join("records");
        let case = root.join(dir.file_name().unwrap_or_default());
        std::fs::create_dir_all(&case).map_err(|e| Error::written(case.display(), e))?;
        // The program's files and the case's own, never what a link
        // points to.
        for (from, to) in [(self.root.as_path(), root.as_path()), (dir, case.as_path())] {
            let entries = std::fs::read_dir(from).map_err(|e| Error::read(from.display(), e))?;
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_file()) {
                    let target = to.join(entry.file_name());
                    std::fs::copy(entry.path(), &target)
                        .map_err(|e| Error::written(target.display(), e))?;
                }
            }
        }
        let path = case.join("exit.yaml");
        std::fs::write(&path, exit).map_err(|e| Error::written(path.display(), e))?;
        let valid = Records::open(std::slice::from_ref(&case))?
            .load(None)
            .validate();
        let Some(case_record) = valid.first_case() else {
            return Ok(self.message(
                422,
                "The letter cannot be made yet",
                "The exit as filled in is not complete: save it to see what is missing beside \
                 its field, or fill in the reason and the dates, then preview again.",
            ));
        };
        let out = scratch.path().join("out");
        let config = RenderConfig::desk(vec![case.clone()], out.clone());
        RenderRun::start(&config)?.render(&mut self.warm(), &())?;
        let letter = DocKind::ExitLetter
            .documents_of(case_record)
            .into_iter()
            .map(|doc| {
                out.join(&case_record.record.case.case_id)
                    .join(format!("{}.pdf", doc.file_stem))
            })
            .find(|p| p.is_file());
        let Some(letter) = letter else {
            return Ok(self.message(
                422,
                "No exit letter for this case",
                "The exit as filled in gives no letter to the family.",
            ));
        };
        let body = std::fs::read(&letter).map_err(|e| Error::read(letter.display(), e))?;
        Ok(Reply::pdf(body, "exit-letter-preview.pdf"))
    }
}
