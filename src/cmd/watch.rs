//! `casepaper watch`: render, then render again on every change.
//!
//! Each run is an ordinary `render` into the same output folder, so its
//! manifest decides what a change affects: a case whose files did not
//! change is not even read again, a document whose inputs did not change is
//! not made again, and a case with an error is left out while its PDFs from
//! the last good run stay where they are. The renderer (fonts, Typst
//! library, templates) is kept between runs while the templates stay the
//! same.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use casepaper::error::Error;

use casepaper::pipeline::{self, Warm, template_override};

use super::outcome::Ran;
use super::place::default_out;
use super::render::render_warm;
use crate::cli::{RenderArgs, WatchArgs};

/// How long the files must be quiet before a run: an editor's save is often
/// several events (write a temporary file, rename it over the old one).
const SETTLE: Duration = Duration::from_millis(200);

pub fn watch(args: WatchArgs) -> Ran {
    let mut documents = args.documents;
    documents.out = Some(
        documents
            .out
            .clone()
            .unwrap_or_else(|| default_out(&documents.paths)),
    );
    let render_args = RenderArgs::watching(documents);
    let args = &render_args.documents;
    // Standing in the records folder or a case folder, it is found above.
    let paths = pipeline::records_or_here(&args.paths);
    let first = paths.first().cloned().unwrap_or_else(|| ".".into());
    let root = pipeline::find_root(&first)?;
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    // Events name files by absolute paths.
    let mut watched = vec![std::path::absolute(&root).unwrap_or(root.clone())];
    watched.extend(template_override(&root));

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::Watch(format!("changes to files cannot be watched here: {e}")))?;
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| Error::Watch(format!("{} cannot be watched: {e}", dir.display())))?;
    }
    let names: Vec<String> = watched.iter().map(|d| shown(d)).collect();

    let mut warm = Warm::default();
    let mut took = run(&render_args, &mut warm, None);
    loop {
        eprintln!(
            "watching {} for changes (Ctrl-C stops); that run took {:.2} s",
            names.join(" and "),
            took.as_secs_f64()
        );
        let changed = next_changes(&rx, &watched)?;
        took = run(&render_args, &mut warm, Some(&changed));
    }
}

/// One render, its problems printed; nothing it meets stops the watch.
/// Gives how long it took.
fn run(args: &RenderArgs, warm: &mut Warm, changed: Option<&[PathBuf]>) -> Duration {
    let start = std::time::Instant::now();
    let now = chrono::Local::now().format("%H:%M:%S");
    match changed {
        None => eprintln!("[{now}] rendering"),
        Some(paths) => {
            let names: Vec<String> = paths.iter().map(|p| shown(p)).collect();
            eprintln!("[{now}] changed: {}", names.join(", "));
        }
    }
    if let Err(error) = render_warm(args, warm) {
        eprintln!("error: {error}");
    }
    start.elapsed()
}

/// The files changed since the last run, once a change has come and the
/// files have been quiet for `SETTLE`. Changes that cannot affect a
/// document (hidden files, editors' backups and swap files) are passed over.
fn next_changes(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    watched: &[PathBuf],
) -> Result<Vec<PathBuf>, Error> {
    let mut changed: Vec<PathBuf> = Vec::new();
    loop {
        let event = if changed.is_empty() {
            rx.recv()
                .map_err(|_| Error::Watch("the watch on the files stopped".into()))?
        } else {
            match rx.recv_timeout(SETTLE) {
                Ok(event) => event,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // A tool's scratch file that came and went is no change.
                    changed.retain(|p| p.exists() || known(p));
                    if !changed.is_empty() {
                        return Ok(changed);
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Error::Watch("the watch on the files stopped".into()));
                }
            }
        };
        match event {
            Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                for path in event.paths {
                    if matters(&path, watched) && !changed.contains(&path) {
                        changed.push(path);
                    }
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("warning: a change may have been missed: {e}"),
        }
    }
}

/// Whether a change to `path` can change a document: not a hidden file or
/// folder, not an editor's backup, swap or temporary file.
fn matters(path: &Path, watched: &[PathBuf]) -> bool {
    let Some(inside) = watched.iter().find_map(|dir| path.strip_prefix(dir).ok()) else {
        return false;
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let scratch = name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|e| name.ends_with(e))
        || name == "4913";
    !hidden && !scratch
}

/// Whether `path` names a record, template, translation, font or picture,
/// whose removal is a change too.
fn known(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        [
            "yaml", "yml", "typ", "j2", "svg", "png", "jpg", "jpeg", "otf", "ttf",
        ]
        .iter()
        .any(|k| e.eq_ignore_ascii_case(k))
    })
}

/// A path as the user would name it: relative to the current folder
/// (`records/x.yaml`, `../templates/i18n/en.yaml`).
fn shown(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.display().to_string();
    };
    let common = cwd
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.display().to_string();
    }
    let mut relative = PathBuf::new();
    for _ in cwd.components().skip(common) {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    match relative.as_os_str().is_empty() {
        true => ".".into(),
        false => relative.display().to_string(),
    }
}
