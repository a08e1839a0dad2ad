//! Unfinished forms kept as drafts: what the coordinator typed, as the
//! browser sent it, kept outside the records (in `.casepaper/drafts/`
//! beside the records folder, which tells git to ignore it), so a draft is
//! never validated, rendered or committed, and nothing invalid is ever
//! written to the records. A case's page lists its drafts with who started
//! them and when; a draft opens in its form again, and goes once the form
//! is saved or the draft discarded.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::output::NewFiles;

/// One unfinished form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    /// Its name in the case's drafts: `contact-20261201T101500`.
    #[serde(default)]
    pub id: String,
    /// The form's path segment (`contact`, `plan`).
    pub form: String,
    /// The form's title, as the case page lists it.
    pub title: String,
    pub started_by: String,
    /// When it was kept, `2026-12-01 10:15`.
    pub kept_on: String,
    /// The fields as the browser sent them (the form token left out).
    pub sent: Vec<(String, String)>,
}

/// The drafts of every case: `.casepaper/drafts/<case folder>/` beside the
/// records folder.
pub struct Drafts {
    dir: PathBuf,
}

impl Drafts {
    pub fn beside(records: &Path) -> Drafts {
        let parent = records.parent().unwrap_or(records);
        Drafts {
            dir: parent.join(".casepaper").join("drafts"),
        }
    }

    /// Keeps `draft` for the case `folder` under a new id (the form's and
    /// the moment's), and removes the draft it was resumed from, if any.
    /// Drafts are the coordinator's own (0600), and the folder holding
    /// them tells git to ignore everything in it.
    pub fn keep(&self, folder: &str, mut draft: Draft, replaces: Option<&str>) -> Result<String> {
        let top = self.dir.parent().unwrap_or(&self.dir);
        let ignore = top.join(".gitignore");
        if !ignore.exists() {
            std::fs::create_dir_all(top).map_err(|e| Error::made(top.display(), e))?;
            // Another page may make it at the same moment: either is right.
            let _ = crate::records::write::create_new(&ignore, b"*\n", NewFiles::Private);
        }
        let stamp = chrono::Local::now();
        draft.kept_on = stamp.format("%Y-%m-%d %H:%M").to_string();
        let base = format!("{}-{}", draft.form, stamp.format("%Y%m%dT%H%M%S"));
        let json = serde_json::to_vec_pretty(&draft).expect("a draft is JSON");
        let case_dir = self.dir.join(folder);
        let mut id = base.clone();
        for n in 2.. {
            match crate::records::write::create_new(
                &case_dir.join(format!("{id}.json")),
                &json,
                NewFiles::Private,
            ) {
                Ok(()) => break,
                Err(Error::Exists { .. }) => id = format!("{base}-{n}"),
                Err(e) => return Err(e),
            }
        }
        if let Some(old) = replaces {
            self.discard(folder, old);
        }
        Ok(id)
    }

    /// The draft `id` of the case `folder`.
    pub fn get(&self, folder: &str, id: &str) -> Option<Draft> {
        if !plain(id) {
            return None;
        }
        let path = self.dir.join(folder).join(format!("{id}.json"));
        let mut draft: Draft = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        draft.id = id.to_string();
        Some(draft)
    }

    /// The case's drafts, oldest first.
    pub fn of(&self, folder: &str) -> Vec<Draft> {
        let mut ids: Vec<String> = std::fs::read_dir(self.dir.join(folder))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().to_string();
                        name.strip_suffix(".json").map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        let mut drafts: Vec<Draft> = ids.iter().filter_map(|id| self.get(folder, id)).collect();
        drafts.sort_by(|a, b| a.kept_on.cmp(&b.kept_on));
        drafts
    }

    /// Removes the draft `id` of the case `folder` (saved or discarded).
    pub fn discard(&self, folder: &str, id: &str) {
        if plain(id) {
            let _ = std::fs::remove_file(self.dir.join(folder).join(format!("{id}.json")));
        }
    }
}

/// A draft's id as it may come from a page: letters, digits and dashes.
fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 80 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_kept_beside_the_records_listed_resumed_and_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("records");
        std::fs::create_dir(&records).unwrap();
        let drafts = Drafts::beside(&records);
        let draft = Draft {
            id: String::new(),
            form: "contact".into(),
            title: "New contact note".into(),
            started_by: "Cora Coordinator".into(),
            kept_on: String::new(),
            sent: vec![("summary".into(), "Half a note".into())],
        };
        let id = drafts.keep("ct-1", draft.clone(), None).unwrap();
        assert!(id.starts_with("contact-"), "{id}");
        let kept = dir.path().join(format!(".casepaper/drafts/ct-1/{id}.json"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".casepaper/.gitignore")).unwrap(),
            "*\n"
        );
        let listed = drafts.of("ct-1");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].id.as_str(), listed[0].sent.as_slice()),
            (id.as_str(), draft.sent.as_slice())
        );
        // Kept again: a new draft in place of the one resumed.
        let again = drafts.keep("ct-1", draft, Some(&id)).unwrap();
        assert_ne!(again, id);
        assert_eq!(drafts.of("ct-1").len(), 1);
        assert!(drafts.get("ct-1", "../ct-1").is_none());
        drafts.discard("ct-1", &again);
        assert!(drafts.of("ct-1").is_empty());
        assert!(drafts.of("no-such-case").is_empty());
    }
}
