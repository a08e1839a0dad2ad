//! The desk's state and what every page shares: the page templates and
//! their assets, the answer for a page not found or refused, a page filled
//! from its view. Record text reaches a page only through minijinja's HTML
//! escaping (every template is `.html`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;
use minijinja::{Environment, Value as Jinja, context};
use serde::Serialize;

use super::desk::Desk;
use super::guard::{Guard, Refusal};
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::load::git::Repo;
use crate::pipeline::Warm;

/// The server's state: one of each, shared by every thread.
pub struct App {
    pub root: PathBuf,
    pub addr: SocketAddr,
    pub guard: Guard,
    pub desk: Mutex<Desk>,
    /// The renderer (fonts, Typst library, templates), kept warm.
    pub warm: Mutex<Warm>,
    /// The output folder, as `casepaper render` writes it: the same
    /// manifest, so each makes again only what the other has not.
    pub out: PathBuf,
    pub pages: Environment<'static>,
    pub as_of: Option<NaiveDate>,
    pub repo: Option<Repo>,
}

/// The page templates and their assets, built in.
const PAGES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    (
        "caseload.html",
        include_str!("../../templates/web/caseload.html"),
    ),
    ("case.html", include_str!("../../templates/web/case.html")),
    ("form.html", include_str!("../../templates/web/form.html")),
    ("edit.html", include_str!("../../templates/web/edit.html")),
    (
        "changes.html",
        include_str!("../../templates/web/changes.html"),
    ),
    ("sync.html", include_str!("../../templates/web/sync.html")),
    (
        "conflict.html",
        include_str!("../../templates/web/conflict.html"),
    ),
    (
        "message.html",
        include_str!("../../templates/web/message.html"),
    ),
];

/// Files under `/static/`: the style sheet and the pinned htmx.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "desk.css",
        "text/css; charset=utf-8",
        include_bytes!("../../templates/web/static/desk.css"),
    ),
    (
        "htmx-2.0.8.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../templates/web/static/htmx-2.0.8.min.js"),
    ),
];

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // `2026-12-08` as a coordinator reads it: December 8, 2026.
    env.add_filter("day", |iso: String| {
        iso.parse::<NaiveDate>()
            .map(crate::model::day)
            .unwrap_or(iso)
    });
    for (name, source) in PAGES {
        env.add_template(name, source)
            .expect("the built-in pages parse");
    }
    env
}

/// A case folder's name as it may appear in a path: what a case id may be.
pub(super) fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl App {
    /// The caseload's state, for one page at a time.
    pub(super) fn desk(&self) -> MutexGuard<'_, Desk> {
        held(&self.desk, || Desk::new(self.root.clone()))
    }

    /// The warm renderer, for one page at a time.
    pub(super) fn warm(&self) -> MutexGuard<'_, Warm> {
        held(&self.warm, Warm::default)
    }

    pub fn refused(&self, refusal: Refusal) -> Reply {
        self.message(refusal.status(), "Not let in", refusal.message())
    }

    pub(super) fn not_found(&self) -> Reply {
        self.message(404, "Not found", "There is no such page, case or file.")
    }

    pub(super) fn message(&self, status: u16, title: &str, text: &str) -> Reply {
        let page = self.fill("message.html", context! { title, text });
        Reply::html(status, page.unwrap_or_else(|_| text.to_string()))
    }

    pub(super) fn fill(&self, name: &str, ctx: Jinja) -> Result<String> {
        let csrf = self.guard.csrf();
        // The days a date field takes: those casepaper takes.
        let first_day = crate::model::DAYS.start().to_string();
        let last_day = crate::model::DAYS.end().to_string();
        self.pages
            .get_template(name)
            .and_then(|t| t.render(context! { csrf, first_day, last_day, ..ctx }))
            .map_err(|e| Error::Templates(format!("the page {name} could not be made: {e:#}")))
    }

    pub(super) fn as_of(&self, req: &Request) -> NaiveDate {
        self.as_of
            .or_else(|| req.get("as_of")?.parse().ok())
            .filter(|day| crate::model::DAYS.contains(day))
            .unwrap_or_else(crate::model::today)
    }

    /// The records folder as a path in the repository, when it is in one.
    pub(super) fn records_in_repo(&self) -> Option<(&Repo, String)> {
        let repo = self.repo.as_ref()?;
        Some((repo, repo.path_of(&self.root)?))
    }

    /// The files under the records folder with changes not committed.
    pub(super) fn uncommitted(&self) -> Vec<String> {
        let Some((repo, rel)) = self.records_in_repo() else {
            return Vec::new();
        };
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        repo.uncommitted(std::slice::from_ref(&rel))
            .map(|set| {
                set.into_iter()
                    .map(|p| p.strip_prefix(&prefix).unwrap_or(&p).to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The case folder `folder` of the records, if it is one.
    pub(super) fn case_dir(&self, folder: &str) -> Option<PathBuf> {
        let dir = self.root.join(folder);
        // The folder and its case file themselves, never where a link
        // points: nothing is read or written out of the records.
        let own = |p: &Path| std::fs::symlink_metadata(p).ok();
        let real = own(&dir).is_some_and(|m| m.is_dir())
            && own(&dir.join("case.yaml")).is_some_and(|m| m.is_file());
        real.then_some(dir)
    }
}

/// The state behind `lock`. A page that panicked while it held the lock
/// may have left the state half-changed: it is made afresh, and the pages
/// after go on.
fn held<T>(lock: &Mutex<T>, fresh: impl FnOnce() -> T) -> MutexGuard<'_, T> {
    match lock.lock() {
        Ok(state) => state,
        Err(poisoned) => {
            let mut state = poisoned.into_inner();
            *state = fresh();
            lock.clear_poison();
            state
        }
    }
}

/// A value for a page.
pub(super) fn v<T: Serialize + ?Sized>(value: &T) -> Jinja {
    Jinja::from(minijinja::value::Serde(value))
}

pub(super) fn asset(name: &str) -> Reply {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => Reply {
            status: 200,
            content_type,
            body: bytes.to_vec(),
            headers: Vec::new(),
        },
        None => Reply::html(404, "Not found".into()),
    }
}

/// The record files of a case folder, by name.
pub(super) fn record_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A path's file name, as a page names a record file.
pub(super) fn file_name(path: &Path) -> String {
    (path.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_a_panicking_page_held_is_made_afresh_and_its_lock_cleared() {
        let lock = Mutex::new(vec![1, 2]);
        assert_eq!(*held(&lock, Vec::new), [1, 2], "kept while no page failed");
        let _ = std::thread::scope(|s| {
            s.spawn(|| {
                let mut half = lock.lock().unwrap();
                half.push(3);
                panic!("a page fails half-way");
            })
            .join()
        });
        assert!(lock.is_poisoned());
        assert_eq!(*held(&lock, || vec![7]), [7]);
        assert!(!lock.is_poisoned());
        assert_eq!(*held(&lock, Vec::new), [7], "and kept again after");
    }
}
