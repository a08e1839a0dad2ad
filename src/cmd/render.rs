//! `render`: documents from the records, now or as they were at a commit.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::collections::{HashMap, HashSet};

use casepaper::error::Error;
use casepaper::finding::Finding;
use casepaper::load::{self, git};
use casepaper::output::{self, ManifestState};
use casepaper::pipeline::{
    BATCH, Build, Incremental, Records, RenderOptions, Report, Sink, Valid, Warm,
};
use casepaper::provenance::GitState;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Outcome, Ran, counted, report};
use crate::cli::RenderArgs;

pub fn render(args: RenderArgs) -> Ran {
    render_warm(&args, &mut Warm::default())
}

/// `render`, reusing the renderer `warm` holds (`watch` keeps it between
/// runs).
pub fn render_warm(args: &RenderArgs, warm: &mut Warm) -> Ran {
    let start = Instant::now();
    let options = args.options()?;
    let place = place(args)?;
    let program = Records::open(&place.paths)?;
    output::check_out_dir(&place.out, program.root())?;
    let _lock = output::lock_out_dir(&place.out)?;
    let git = records_git(&program, place.snapshot.as_ref())?;
    if !unsaved_changes(git.as_ref(), options.final_only) {
        return Ok(Outcome::Findings);
    }
    let mut incremental = Incremental::open(&program, &place.out, git, &options);
    let progress = Progress::bar();
    let mut batches = Batches::default();
    let valid = program
        .load_later(Some(&incremental))
        .validate_in_batches(BATCH, |valid| {
            batches.render(
                valid,
                &options,
                warm,
                &mut incremental,
                &progress,
                args.profile,
            )
        });
    let findings = valid.findings();
    progress.0.finish_and_clear();
    let Batches {
        mut made,
        refused,
        cases,
        made_by_records,
        error,
    } = batches;
    if let Some(error) = error {
        return Err(error);
    }
    report(findings, &valid.caseload.sources, args.format);
    if valid.program().is_none() {
        let program_file = valid.caseload.root.join(load::PROGRAM_FILE);
        eprintln!(
            "nothing rendered: the program file has errors (fix {} first)",
            program_file.display()
        );
        return Ok(Outcome::Findings);
    }
    made.finish(&mut incremental, &made_by_records);
    tell_failures(&mut made, &place.out_shown)?;
    let cases = cases + valid.caseload.skipped.len();
    summarize(
        &valid,
        cases,
        refused,
        &incremental,
        &place.out_shown,
        &made,
    );
    if args.timings || args.profile {
        let renderer = warm.renderer(&valid)?;
        if args.timings {
            print_timings(start, &made, renderer);
        }
        if args.profile {
            print_profile(&renderer.profile);
        }
    }
    Ok(if made.failed.is_empty() {
        Outcome::of(findings)
    } else {
        Outcome::Findings
    })
}

/// What the batches of one render add up to.
#[derive(Default)]
struct Batches {
    made: Report,
    refused: usize,
    /// Valid cases documents were made for.
    cases: usize,
    /// Every document each rendered case's records make, by case id.
    made_by_records: HashMap<String, HashSet<String>>,
    /// The renderer could not be made (the templates are broken).
    error: Option<Error>,
}

impl Batches {
    /// Plans one batch of cases and makes its documents (none without a
    /// valid program file, or once the output folder could not be written);
    /// gives the signatures `--final` found owed.
    fn render(
        &mut self,
        valid: &Valid,
        options: &RenderOptions,
        warm: &mut Warm,
        incremental: &mut Incremental,
        progress: &Progress,
        profile: bool,
    ) -> Vec<Finding> {
        let build = Build::plan(valid, options);
        self.refused += build.refused();
        let owed = build.owed().to_vec();
        if valid.program().is_none() || self.made.write_error.is_some() || self.error.is_some() {
            return owed;
        }
        self.cases += build.cases();
        let renderer = match warm.renderer(valid) {
            Ok(renderer) => renderer,
            Err(e) => {
                self.error = Some(e);
                return owed;
            }
        };
        if profile {
            renderer.profile.start();
        }
        progress.0.inc_length(build.documents() as u64);
        let made = build.execute_batch(renderer, incremental, progress);
        self.made_by_records.extend(build.made_by_records());
        self.made.absorb(made);
        owed
    }
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
    let paths = load::records_or_here(paths);
    let root = paths.first().and_then(|p| load::find_root(p).ok());
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

/// Where the records stand in git, for the footers: with `--at`, the
/// snapshot's repository, whose history must be read; otherwise the
/// repository the records are in, if any (a history that cannot be read is
/// a warning, and footers show no commit).
fn records_git(
    records: &Records,
    snapshot: Option<&git::Snapshot>,
) -> Result<Option<GitState>, Error> {
    match records.git(snapshot.map(|s| s.repo.clone())) {
        None => Ok(None),
        Some(Ok(state)) => Ok(Some(state)),
        Some(Err(e)) if snapshot.is_some() => Err(Error::Git(format!("git: {e}"))),
        Some(Err(e)) => {
            eprintln!(
                "warning: the records' git history could not be read, so footers show no commit: {e}"
            );
            Ok(None)
        }
    }
}

/// Says which inputs have changes not committed to git: a note (their
/// documents say so in the footer), and with `--final` a refusal (a final
/// document is made only from records saved in the program's history).
/// False when the render must not go on.
fn unsaved_changes(git: Option<&GitState>, final_only: bool) -> bool {
    let Some(dirty) = git.map(GitState::uncommitted).filter(|d| !d.is_empty()) else {
        return true;
    };
    let mut names: Vec<&str> = dirty.iter().map(String::as_str).take(5).collect();
    if dirty.len() > names.len() {
        names.push("...");
    }
    let files = match dirty.len() {
        1 => "1 file has".to_string(),
        n => format!("{n} files have"),
    };
    let listed = names.join(", ");
    if final_only {
        eprintln!(
            "error: nothing rendered: `render --final` makes documents only from records saved in \
             the program's history, and {files} changes not committed to git ({listed}); \
             commit them first (git add, then git commit), or render without --final for drafts"
        );
        return false;
    }
    eprintln!(
        "note: {files} changes not committed to git ({listed}); the documents made from them \
         say in their footer that they are drafts from records not yet saved in the program's history"
    );
    true
}

/// Prints each document that could not be made, and gives the error that
/// stopped writing the output folder, if one did.
fn tell_failures(made: &mut Report, out_shown: &Path) -> Result<(), Error> {
    for failure in &made.failed {
        eprintln!(
            "error: {} of case {} was not rendered:\n{}",
            out_shown.join(&failure.pdf_name).display(),
            failure.case_id,
            failure.error,
        );
    }
    if let Some(error) = made.write_error.take() {
        return Err(error);
    }
    if let Some(e) = &made.manifest_error {
        eprintln!(
            "warning: {} cannot be written ({e}); the next render will make every document again",
            out_shown.join(output::MANIFEST).display()
        );
    }
    Ok(())
}

/// The summary: what was rendered into where, and what was not and why.
fn summarize(
    valid: &Valid,
    cases: usize,
    refused: usize,
    incremental: &Incremental,
    out_shown: &Path,
    made: &Report,
) {
    let mut err = io::stderr().lock();
    let mut summary = format!(
        "rendered {} for {} into {}",
        counted(made.written, "document"),
        counted(cases, "case"),
        out_shown.display()
    );
    if made.unchanged > 0 {
        summary.push_str(&format!(
            " ({} unchanged since the last render; --force renders them again)",
            made.unchanged
        ));
    }
    let _ = writeln!(err, "{summary}");
    if !made.removed.is_empty() {
        let names: Vec<String> = made
            .removed
            .iter()
            .map(|f| out_shown.join(f).display().to_string())
            .collect();
        let _ = writeln!(
            err,
            "removed {} that no record makes any more: {}",
            counted(made.removed.len(), "document"),
            names.join(", ")
        );
    }
    if incremental.manifest_state() == ManifestState::Unreadable && !incremental.forced() {
        let _ = writeln!(
            err,
            "note: {} could not be read, so every document was rendered",
            out_shown.join(output::MANIFEST).display()
        );
    }
    let rejected = &valid.validated.rejected;
    if !rejected.is_empty() {
        let names: Vec<String> = rejected.iter().map(|d| d.display().to_string()).collect();
        let _ = writeln!(
            err,
            "not rendered because of errors above: {}",
            names.join(", ")
        );
    }
    if refused > 0 {
        let _ = writeln!(
            err,
            "not rendered because signatures are still owed (--final): {}",
            counted(refused, "signature")
        );
    }
}

/// `--timings`: where the time went, and the peak memory.
fn print_timings(start: Instant, made: &Report, renderer: &casepaper::render::Renderer) {
    let secs = |ns: &std::sync::atomic::AtomicU64| {
        ns.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
    };
    let wall = start.elapsed().as_secs_f64();
    let render = made.render_wall.as_secs_f64();
    let busy = made.busy.as_secs_f64();
    let t = &renderer.timings;
    let typst = secs(&t.compile) + secs(&t.export);
    // Work outside Typst: the main thread's own phases plus the workers'
    // time on anything but compiling and exporting.
    let outside = (wall - render) + (busy - typst);
    eprintln!(
        "timings: wall={wall:.3}s before_and_after_render={:.3}s render={render:.3}s threads={} \
         templates={:.3}s typst_compile={:.3}s pdf_export={:.3}s other_per_document={:.3}s \
         outside_typst={:.1}% peak_rss={}",
        wall - render,
        casepaper::parallel::threads(),
        secs(&t.template),
        secs(&t.compile),
        secs(&t.export),
        busy - typst - secs(&t.template),
        100.0 * outside / (outside + typst).max(f64::MIN_POSITIVE),
        peak_rss().map_or("unknown".into(), |kb| format!("{}MB", kb / 1024)),
    );
    // Where each kind's time goes: Typst's layout and the PDF export, per
    // document (thread time).
    for (kind, k) in casepaper::render::DocKind::ALL.iter().zip(&t.by_kind) {
        let n = k.documents.load(std::sync::atomic::Ordering::Relaxed);
        if n == 0 {
            continue;
        }
        let per = |ns: &std::sync::atomic::AtomicU64| 1000.0 * secs(ns) / n as f64;
        eprintln!(
            "timings: kind={kind} documents={n} compile_per_document={:.1}ms export_per_document={:.1}ms",
            per(&k.compile),
            per(&k.export),
        );
    }
}

/// `--profile`: by kind, Typst's time a document, how often it was laid
/// out, its costliest phases and the blocks (by the source line that made
/// them) that took longest.
fn print_profile(profile: &casepaper::render::profile::Profile) {
    for (kind, p) in profile.by_kind() {
        let n = p.documents.max(1) as f64;
        let total = p.total().max(f64::MIN_POSITIVE);
        let runs: Vec<String> = (p.runs.iter())
            .map(|t| format!("{:.2}ms", t.micros / 1000.0 / t.count.max(1) as f64))
            .collect();
        eprintln!(
            "profile: kind={kind} documents={} typst_per_document={:.1}ms layout_runs={:.1} \
             per_run={}",
            p.documents,
            total / 1000.0 / n,
            p.layout_runs as f64 / n,
            runs.join(","),
        );
        for (phase, t) in p.phases_by_time().into_iter().take(8) {
            eprintln!(
                "profile: kind={kind} phase=\"{phase}\" per_document={:.2}ms share={:.0}% calls={:.0}",
                t.micros / 1000.0 / n,
                100.0 * t.micros / total,
                t.count as f64 / n,
            );
        }
        for (line, t) in p.blocks_by_time().into_iter().take(6) {
            eprintln!(
                "profile: kind={kind} block=\"{}\" per_document={:.2}ms share={:.0}% calls={:.1}",
                line.replace('"', "'"),
                t.micros / 1000.0 / n,
                100.0 * t.micros / total,
                t.count as f64 / n,
            );
        }
    }
}

/// The process's peak resident memory in kilobytes (Linux: VmHWM).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A progress bar on a terminal; nothing when stderr is not one (CI, a
/// pipe, a file).
struct Progress(ProgressBar);

impl Progress {
    /// A bar whose length grows as each batch of cases is planned.
    fn bar() -> Progress {
        if !io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec}, {eta} left")
        {
            bar.set_style(style);
        }
        Progress(bar)
    }
}

impl Sink for Progress {
    fn document_done(&self) {
        self.0.inc(1);
    }
}
