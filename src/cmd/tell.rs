//! What the commands tell the user: the lines each prints once the
//! pipeline has done its work, kept apart from the work itself.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use casepaper::error::Error;
use casepaper::finding::{self, Finding, Sources};
use casepaper::pipeline::{
    self, DocKind, MANIFEST, Made, Profile, RenderRun, Renderer, Report, Sink, Valid,
};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::Format;

/// Standard error, in colour as anstream decides it (the rules clap's
/// own help follows): never with `NO_COLOR` set to something (no-color.org)
/// or `CLICOLOR=0`; always with `CLICOLOR_FORCE`; otherwise when it is a
/// terminal that shows colour. That last needs `TERM` (and not `dumb`)
/// where terminals set it, but not on Windows, whose console sets none.
fn stderr_color() -> StandardStream {
    StandardStream::stderr(match colour(io::stderr().is_terminal()) {
        true => ColorChoice::Always,
        false => ColorChoice::Never,
    })
}

/// Whether a stream that is a terminal (`terminal`) or not gets colour.
fn colour(terminal: bool) -> bool {
    if anstyle_query::no_color() {
        return false;
    }
    if anstyle_query::clicolor_force() {
        return true;
    }
    terminal && anstyle_query::clicolor() != Some(false) && anstyle_query::term_supports_color()
}

/// Prints findings in the chosen format: human to stderr, JSON to stdout.
pub(super) fn report(findings: &[Finding], sources: &Sources, format: Format) {
    match format {
        Format::Human => {
            let mut err = stderr_color();
            let _ = finding::print_human(&mut err, findings, sources);
        }
        Format::Json => {
            let _ = finding::print_json(&mut io::stdout().lock(), findings);
        }
    }
}

/// `1 case`, `2 cases`.
pub(super) fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The checks that wait for a file with errors: never a count that looks
/// final while some checks wait.
pub(super) fn deferred(valid: &Valid) {
    for waiting in &valid.validated.deferred {
        eprintln!("not yet checked: {waiting}");
    }
}

/// Says what git tells of a render about to be made: a history that cannot
/// be read (a warning: footers show no commit), and the files with changes
/// not committed (a note: their documents say so in the footer; with
/// `--final` a refusal, as a final document is made only from records
/// saved in the program's history). False when the render must not go on.
pub(super) fn git_state(run: &RenderRun) -> bool {
    if let Some(e) = run.git_unreadable() {
        eprintln!(
            "warning: the records' git history could not be read, so footers show no commit: {e}"
        );
    }
    let dirty = run.uncommitted();
    if dirty.is_empty() {
        return true;
    }
    let mut names: Vec<&str> = dirty.iter().copied().take(5).collect();
    if dirty.len() > names.len() {
        names.push("...");
    }
    let files = match dirty.len() {
        1 => "1 file has".to_string(),
        n => format!("{n} files have"),
    };
    let listed = names.join(", ");
    if run.refused_uncommitted() {
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
pub(super) fn failures(made: &mut Report, out_shown: &Path) -> Result<(), Error> {
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
            out_shown.join(MANIFEST).display()
        );
    }
    Ok(())
}

/// The summary of a render: what was made into where, and what was not
/// and why.
pub(super) fn rendered(run: &Made, out_shown: &Path) {
    let Made {
        valid,
        report: made,
        cases,
        refused,
        manifest_unreadable,
        ..
    } = run;
    let (cases, refused) = (*cases, *refused);
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
    if *manifest_unreadable {
        let _ = writeln!(
            err,
            "note: {} could not be read, so every document was rendered",
            out_shown.join(MANIFEST).display()
        );
    }
    let names = |partly: bool| -> Vec<String> {
        (valid.validated.rejected.iter())
            .filter(|d| run.partly.contains(d) == partly)
            .map(|d| d.display().to_string())
            .collect()
    };
    let (rejected, partly) = (names(false), names(true));
    if !rejected.is_empty() {
        let _ = writeln!(
            err,
            "not rendered because of errors above: {}",
            rejected.join(", ")
        );
    }
    if !partly.is_empty() {
        let _ = writeln!(
            err,
            "rendered only the documents made of files without errors, the others wait for \
             the errors above: {}",
            partly.join(", ")
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
pub(super) fn timings(start: Instant, made: &Report, renderer: &Renderer) {
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
        pipeline::threads(),
        secs(&t.template),
        secs(&t.compile),
        secs(&t.export),
        busy - typst - secs(&t.template),
        100.0 * outside / (outside + typst).max(f64::MIN_POSITIVE),
        peak_rss().map_or("unknown".into(), |kb| format!("{}MB", kb / 1024)),
    );
    // Where each kind's time goes: Typst's layout and the PDF export, per
    // document (thread time).
    for (kind, k) in DocKind::ALL.iter().zip(&t.by_kind) {
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
pub(super) fn profile(profile: &Profile) {
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
pub(super) struct Progress(ProgressBar);

impl Progress {
    /// A bar whose length grows as each batch of cases is planned.
    pub(super) fn bar() -> Progress {
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

impl Progress {
    /// Takes the bar off the terminal before the findings are printed.
    pub(super) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Sink for Progress {
    fn planned(&self, documents: usize) {
        self.0.inc_length(documents as u64);
    }

    fn document_done(&self) {
        self.0.inc(1);
    }
}
