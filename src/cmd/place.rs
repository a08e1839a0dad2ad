//! Where `render` reads the records from and writes to: the paths as the
//! user names them, or with `--at REV` a snapshot of the commit, worked
//! from as if it were the working tree.

use std::path::{Path, PathBuf};

use casepaper::error::Error;
use casepaper::pipeline::{self, git};

use crate::cli::RenderArgs;

/// Where `render` reads the records from and writes to.
pub(super) struct Place {
    /// The records paths to load.
    pub paths: Vec<PathBuf>,
    /// The output folder, as the user names it.
    pub out_shown: PathBuf,
    /// The output folder, as casepaper opens it.
    pub out: PathBuf,
    /// With --at, the records as they were at the commit (kept until the
    /// render ends).
    pub snapshot: Option<git::Snapshot>,
}

/// Where documents go when no --out is given: `out`, or, when the user
/// stands inside the records folder (in it, or in a case folder), `out`
/// beside the records folder (`../out`, `../../out`), never inside it.
pub(super) fn default_out(paths: &[PathBuf]) -> PathBuf {
    let paths = pipeline::records_or_here(paths);
    let root = paths.first().and_then(|p| pipeline::find_root(p).ok());
    match root {
        Some(root) if root.as_os_str().is_empty() || root == Path::new(".") => "../out".into(),
        Some(root) if root.starts_with("..") => root.join("../out"),
        _ => PathBuf::from("out"),
    }
}

/// With `--at REV`: writes the files of the commit to a temporary folder and
/// works from there, so the records' paths read exactly as in the working
/// tree; the output folder stays where the user is. (The one change of the
/// current folder in casepaper, made by the command, never by the library.)
pub(super) fn place(args: &RenderArgs) -> Result<Place, Error> {
    let documents = &args.documents;
    let Some(rev) = &args.at else {
        let out = documents
            .out
            .clone()
            .unwrap_or_else(|| default_out(&documents.paths));
        return Ok(Place {
            paths: documents.paths.clone(),
            out_shown: out.clone(),
            out,
            snapshot: None,
        });
    };
    let cwd = std::env::current_dir().map_err(|e| Error::read("the current folder", e))?;
    let paths = relative_to(&cwd, &documents.paths)?;
    let snapshot = git::snapshot(&cwd, rev)?;
    let commit = snapshot.repo.commit().unwrap_or_default();
    let out_shown = documents
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&commit[..git::SHORT_COMMIT.min(commit.len())]));
    let out = cwd.join(&out_shown);
    eprintln!("records as of commit {commit} ({rev})");
    std::env::set_current_dir(&snapshot.cwd)
        .map_err(|e| Error::read(format!("the records at {rev}"), e))?;
    Ok(Place {
        paths,
        out_shown,
        out,
        snapshot: Some(snapshot),
    })
}

/// The records paths, relative to the current folder `cwd` (`--at` reads
/// them from a snapshot of the repository laid out the same way).
fn relative_to(cwd: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut relative = Vec::new();
    for path in paths {
        let rel = if path.is_absolute() {
            path.strip_prefix(cwd).map(Path::to_path_buf).map_err(|_| {
                Error::Usage(format!(
                    "--at: {} is outside the current folder; run casepaper from the repository and name the records by a relative path",
                    path.display()
                ))
            })?
        } else {
            path.clone()
        };
        relative.push(if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel
        });
    }
    Ok(relative)
}
