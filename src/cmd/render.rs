//! `render`: documents from the records, now or as they were at a commit.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casepaper::error::Error;
use casepaper::pipeline::{self, RenderConfig, RenderRun, Warm, git};

use super::outcome::{Outcome, Ran};
use super::tell::{self, report};
use crate::cli::RenderArgs;

pub fn render(args: RenderArgs) -> Ran {
    render_warm(&args, &mut Warm::default())
}

/// `render`, reusing the renderer `warm` holds (`watch` keeps it between
/// runs).
pub fn render_warm(args: &RenderArgs, warm: &mut Warm) -> Ran {
    let start = Instant::now();
    let place = place(args)?;
    let config = RenderConfig {
        paths: place.paths.clone(),
        out: place.out.clone(),
        options: args.options()?,
        snapshot: place.snapshot.as_ref().map(|s| s.repo.clone()),
        lock_wait: Duration::ZERO,
        profile: args.profile,
    };
    let run = RenderRun::start(&config)?;
    if !tell::git_state(&run) {
        return Ok(Outcome::Findings);
    }
    let progress = tell::Progress::bar();
    let mut made = run.render(warm, &progress)?;
    progress.finish();
    let valid = &made.valid;
    report(valid.findings(), &valid.caseload.sources, args.format);
    if valid.program().is_none() {
        let program_file = valid.caseload.root.join(pipeline::PROGRAM_FILE);
        eprintln!(
            "nothing rendered: the program file has errors (fix {} first)",
            program_file.display()
        );
        return Ok(Outcome::Findings);
    }
    tell::failures(&mut made.report, &place.out_shown)?;
    tell::rendered(&made, &place.out_shown);
    if args.timings || args.profile {
        let renderer = warm.renderer(&made.valid)?;
        if args.timings {
            tell::timings(start, &made.report, renderer);
        }
        if args.profile {
            tell::profile(&renderer.profile);
        }
    }
    Ok(if made.report.failed.is_empty() {
        Outcome::of(made.valid.findings())
    } else {
        Outcome::Findings
    })
}

/// Where `render` reads the records from and writes to.
struct Place {
    /// The records paths to load.
    paths: Vec<PathBuf>,
    /// The output folder, as the user names it.
    out_shown: PathBuf,
    /// The output folder, as casepaper opens it.
    out: PathBuf,
    /// With --at, the records as they were at the commit (kept until the
    /// render ends).
    snapshot: Option<git::Snapshot>,
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
fn place(args: &RenderArgs) -> Result<Place, Error> {
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
