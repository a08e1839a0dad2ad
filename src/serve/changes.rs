//! What changed in the records repository since the last commit, and a
//! commit of it: every file of the repository that changed (the program's
//! starter files too), but never the documents the desk writes. A commit
//! that cannot be made keeps what the coordinator typed.

use minijinja::context;

use super::app::{App, v};
use super::http::{Reply, Request};
use crate::error::Result;
use crate::load::git::Repo;
use crate::records::write;

/// What the Changes page shows besides the files and the diff.
#[derive(Default)]
struct Said {
    /// What happened, or what is missing.
    said: Option<String>,
    /// What git answered, when it refused.
    git: Option<String>,
    /// The message as typed.
    message: String,
    /// Git does not know who commits: the page asks.
    ask_who: bool,
    name: String,
    email: String,
}

impl App {
    /// What changed since the last commit (GET), or a commit of it (POST).
    pub(super) fn changes(&self, req: &Request) -> Result<Reply> {
        let Some(repo) = &self.repo else {
            return Ok(self.message(
                200,
                "Changes",
                "The records folder is not in a git repository, so there is no history to save changes in.",
            ));
        };
        let mut said = Said {
            said: req.get("committed").map(|c| format!("Committed as {c}.")),
            ask_who: !repo.knows_who_commits(),
            ..Said::default()
        };
        if !req.is_post() {
            return self.changes_page(repo, said, 200);
        }
        said.message = req.get("message").unwrap_or_default().trim().to_string();
        said.name = one_line(req.get("name"));
        said.email = one_line(req.get("email"));
        if said.message.is_empty() {
            said.said = Some("Write what changed, in a few words, to commit.".into());
            return self.changes_page(repo, said, 422);
        }
        if said.ask_who {
            if said.name.is_empty() || !said.email.contains('@') {
                said.said = Some(
                    "Nothing was committed yet: git does not know who you are on this computer. \
                     Give your name and e-mail address below; they are kept in this repository \
                     for its history."
                        .into(),
                );
                return self.changes_page(repo, said, 422);
            }
            if let Err(e) = repo.set_who_commits(&said.name, &said.email) {
                said.said = Some("Nothing was committed: your name could not be kept.".into());
                said.git = Some(e.to_string());
                return self.changes_page(repo, said, 500);
            }
            said.ask_who = false;
        }
        let _writing = write::lock();
        let files = self.changed_files(repo)?;
        if files.is_empty() {
            said.said = Some("Nothing to commit: everything is committed already.".into());
            return self.changes_page(repo, said, 200);
        }
        match repo.commit_files(&files, &said.message) {
            Ok(id) => {
                let short = &id[..id.len().min(crate::load::git::SHORT_COMMIT)];
                Ok(Reply::see_other(&format!("/changes?committed={short}")))
            }
            Err(e) => {
                said.said = Some(
                    "Nothing was committed: git refused the commit, with the words below. Your \
                     message is kept; commit again once that is put right."
                        .into(),
                );
                said.git = Some(e.to_string());
                self.changes_page(repo, said, 500)
            }
        }
    }

    /// Every file of the repository that changed since the last commit,
    /// as paths in it, but the desk's documents (its output folder, when
    /// that is in the repository and not ignored by it).
    fn changed_files(&self, repo: &Repo) -> Result<Vec<String>> {
        let out = repo.path_of(&self.out).map(|p| format!("{p}/"));
        let all = repo.uncommitted(&[".".to_string()])?;
        Ok(all
            .into_iter()
            .filter(|f| out.as_deref().is_none_or(|o| !f.starts_with(o)))
            .collect())
    }

    fn changes_page(&self, repo: &Repo, said: Said, status: u16) -> Result<Reply> {
        let files = self.changed_files(repo)?;
        let diff = if files.is_empty() {
            String::new()
        } else {
            repo.diff(&files)?
        };
        let page = self.fill(
            "changes.html",
            context! {
                diff,
                files => v(&files),
                said => said.said,
                git => said.git,
                message => said.message,
                ask_who => said.ask_who,
                name => said.name,
                email => said.email,
            },
        )?;
        Ok(Reply::html(status, page))
    }
}

/// A form value on one line, trimmed.
fn one_line(value: Option<&str>) -> String {
    value
        .unwrap_or_default()
        .split(['\r', '\n'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}
