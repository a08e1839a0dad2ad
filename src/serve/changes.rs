//! What changed since the last commit, and a commit of it.

use minijinja::context;

use super::app::{App, v};
use super::http::{Reply, Request};
use crate::error::Result;
use crate::records::write;

impl App {
    /// What changed since the last commit (GET), or a commit of it (POST).
    pub(super) fn changes(&self, req: &Request) -> Result<Reply> {
        let Some((repo, rel)) = self.records_in_repo() else {
            return Ok(self.message(
                200,
                "Changes",
                "The records folder is not in a git repository, so there is no history to save changes in.",
            ));
        };
        let paths = [rel];
        let mut said = req.get("committed").map(|c| format!("Committed as {c}."));
        if req.is_post() {
            let message = req.get("message").unwrap_or_default().trim();
            if message.is_empty() {
                said = Some("Write what changed, in a few words, to commit.".into());
            } else {
                let _writing = write::lock();
                let id = repo.commit_changes(&paths, message)?;
                let short = &id[..id.len().min(crate::load::git::SHORT_COMMIT)];
                return Ok(Reply::see_other(&format!("/changes?committed={short}")));
            }
        }
        let diff = repo.diff(&paths)?;
        let files = self.uncommitted();
        let page = self.fill("changes.html", context! { diff, files => v(&files), said })?;
        Ok(Reply::html(200, page))
    }
}
