//! `render`, `verify` and `log`: documents from the records, now or as they
//! were at a commit, whether a PDF still matches the records, and the
//! commits that changed a case.

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::{
    CLEAN, FINDINGS, Fatal, Prepared, counted, load_and_validate, report, templates_for, validated,
};
use crate::cli::{Emit, LogArgs, RenderArgs, VerifyArgs};
use crate::finding::{self, Finding, has_errors};
use crate::load::{self, git};
use crate::output::{self, Manifest, ManifestState};
use crate::provenance::{self, CaseGit, GitState, Inputs, Version};
use crate::render::{DocKind, Document, Renderer, Stamp};
use crate::validate::ValidCase;

/// The documents `--only` names (all when it names none).
fn chosen_kinds(only: &[String]) -> Result<Vec<DocKind>, Fatal> {
    let mut kinds = Vec::new();
    for name in only {
        let kind = DocKind::from_name(name.trim()).ok_or_else(|| {
            let all = DocKind::ALL.map(DocKind::name).join(", ");
            Fatal(format!(
                "--only: `{name}` is not a document; the documents are {all}"
            ))
        })?;
        kinds.push(kind);
    }
    if kinds.is_empty() {
        kinds = DocKind::ALL.to_vec();
    }
    Ok(kinds)
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
/// tree; the output folder stays where the user is.
fn place(args: &RenderArgs) -> Result<Place, Fatal> {
    let Some(rev) = &args.at else {
        let out = args.out.clone().unwrap_or_else(|| default_out(&args.paths));
        return Ok(Place {
            paths: args.paths.clone(),
            out_shown: out.clone(),
            out,
            snapshot: None,
        });
    };
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("the current folder cannot be read: {e}")))?;
    let mut paths = Vec::new();
    for path in &args.paths {
        let rel = if path.is_absolute() {
            path.strip_prefix(&cwd).map(Path::to_path_buf).map_err(|_| {
                Fatal(format!(
                    "--at: {} is outside the current folder; run casepaper from the repository and name the records by a relative path",
                    path.display()
                ))
            })?
        } else {
            path.clone()
        };
        paths.push(if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel
        });
    }
    let snapshot = git::snapshot(&cwd, rev).map_err(Fatal)?;
    let commit = snapshot.repo.commit().unwrap_or_default();
    let out_shown = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&commit[..git::SHORT_COMMIT.min(commit.len())]));
    let out = cwd.join(&out_shown);
    eprintln!("records as of commit {commit} ({rev})");
    std::env::set_current_dir(&snapshot.cwd)
        .map_err(|e| Fatal(format!("the records at {rev} cannot be read: {e}")))?;
    Ok(Place {
        paths,
        out_shown,
        out,
        snapshot: Some(snapshot),
    })
}

pub fn render(args: RenderArgs) -> Result<u8, Fatal> {
    render_warm(&args, &mut Warm::default())
}

/// What one render leaves for the next in the same process (`watch`): the
/// renderer, with its fonts, Typst library and template environment, for as
/// long as the templates and the logo stay the same. (Typst's own caches
/// are process-wide and stay warm either way.)
#[derive(Default)]
pub struct Warm {
    renderer: Option<(RendererKey, Renderer)>,
}

/// What a renderer is made from: the template set's digest and the logo.
type RendererKey = (String, Option<Vec<u8>>);

/// `render`, reusing what `warm` holds.
pub fn render_warm(args: &RenderArgs, warm: &mut Warm) -> Result<u8, Fatal> {
    let start = Instant::now();
    let kinds = chosen_kinds(&args.only)?;
    let Place {
        paths,
        out_shown,
        out,
        snapshot,
    } = place(args)?;

    let opened = load::open(&paths).map_err(|e| Fatal(e.to_string()))?;
    let root = opened.caseload.root.clone();
    output::check_out_dir(&out, &root).map_err(Fatal)?;
    let _lock = output::lock_out_dir(&out).map_err(Fatal)?;
    let (templates, templates_dir, translations) = templates_for(&root)?;

    // Where the records stand in git: the commit each document comes from.
    let logo_file = opened.caseload.program.as_ref().and_then(|p| {
        let file = p.doc.value.pointer("/program/logo/file")?.as_str()?;
        Some(file.to_string())
    });
    let repo = match &snapshot {
        Some(s) => Some(s.repo.clone()),
        None => git::Repo::discover(&root),
    };
    let git = match repo
        .map(|r| GitState::read(r, &root, templates_dir.as_deref(), logo_file.as_deref()))
    {
        None => None,
        Some(Ok(state)) => Some(state),
        Some(Err(e)) if snapshot.is_some() => return Err(Fatal(format!("git: {e}"))),
        Some(Err(e)) => {
            eprintln!(
                "warning: the records' git history could not be read, so footers show no commit: {e}"
            );
            None
        }
    };

    // What every document reads, and the manifest of what the output folder
    // holds: a case whose files, inputs and commits are all as when its
    // documents were last made (without a finding) is not even parsed.
    let templates_digest = provenance::templates_digest(&templates);
    let logo_bytes = logo_file.and_then(|f| load::read_asset(&root, &f).ok());
    let shared =
        provenance::shared_inputs(&opened.caseload, &templates_digest, logo_bytes.as_deref());
    let (mut manifest, manifest_state) = Manifest::open(&out);
    let options = format!(
        "documents={} final={} emit={:?}",
        kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(","),
        args.final_only,
        args.emit
    );
    let caseload = opened.read_cases(|dir, texts| {
        if args.force {
            return None;
        }
        let inputs = Inputs::from_texts(&root, &shared, texts);
        let case_git = git.as_ref().map(|g| (g, g.case(dir, &inputs)));
        let stamp = inputs.case_stamp(case_git.as_ref().map(|(g, c)| (*g, c)), &options);
        let entry = manifest.current_case(&out, &case_key(&root, dir), &stamp)?;
        Some(entry.case_id.clone())
    });
    let unchanged_cases: usize = caseload
        .skipped
        .iter()
        .filter_map(|(dir, _)| manifest.case(&case_key(&root, dir)))
        .map(|entry| entry.files.iter().filter(|f| f.ends_with(".pdf")).count())
        .sum();
    let Prepared {
        caseload,
        templates,
        translations,
        mut validated,
        ..
    } = validated(caseload, templates, translations);

    // Which PDFs to make; with --final, a document still owing a signature
    // is refused and reported like any other finding in the records.
    let mut jobs: Vec<(&ValidCase, Vec<Document>)> = Vec::new();
    let mut owed = Vec::new();
    for case in &validated.cases {
        let mut docs = Vec::new();
        for &kind in &kinds {
            for doc in kind.documents(&case.record) {
                if args.final_only {
                    let before = owed.len();
                    owed.extend(owed_findings(&caseload, case, &doc));
                    if owed.len() > before {
                        continue;
                    }
                }
                docs.push(doc);
            }
        }
        jobs.push((case, docs));
    }
    let refused = owed.len();
    validated.findings.extend(owed);
    finding::sort(&mut validated.findings);
    report(&validated.findings, &caseload.sources, args.format);
    let Some(program) = &validated.program else {
        eprintln!(
            "nothing rendered: the program file has errors (fix {} first)",
            caseload.root.join(load::PROGRAM_FILE).display()
        );
        return Ok(FINDINGS);
    };

    let logo_bytes = validated.logo.take();
    let key = (templates_digest, logo_bytes.clone());
    if warm
        .renderer
        .as_ref()
        .is_none_or(|(made_for, _)| *made_for != key)
    {
        warm.renderer = None;
        let mut templates = templates;
        if let (Some(logo), Some(bytes)) = (&program.program.logo, &logo_bytes) {
            templates.insert(logo.asset_name(), bytes.clone());
        }
        warm.renderer = Some((key, Renderer::new(templates, translations).map_err(Fatal)?));
    }
    let renderer = &warm.renderer.as_ref().expect("made above").1;

    // Documents render in parallel, one renderer (fonts, library, caches)
    // shared by all threads; each PDF is written as soon as it is made. First
    // each case's inputs are read once (its documents share them), then
    // every document of every case is one item of work, so one case's eight
    // documents use every core too. Outcomes come back in order, so messages
    // and the manifest do not depend on which thread finished first.
    let progress = progress_bar(jobs.iter().map(|(_, docs)| docs.len()).sum());
    let stop = AtomicBool::new(false);
    let busy = AtomicU64::new(0);
    let render_start = Instant::now();
    let cases: Vec<Option<(Inputs, Option<CaseGit>, String)>> =
        crate::parallel::map(&jobs, |(case, _)| {
            let folder = caseload.folder(&case.dir)?;
            let inputs = Inputs::for_case(&caseload, folder, &shared);
            let case_git = git.as_ref().map(|g| g.case(&case.dir, &inputs));
            let stamp = inputs.case_stamp(git.as_ref().zip(case_git.as_ref()), &options);
            Some((inputs, case_git, stamp))
        });
    let documents: Vec<(usize, &Document)> = jobs
        .iter()
        .enumerate()
        .filter(|(i, _)| cases[*i].is_some())
        .flat_map(|(i, (_, docs))| docs.iter().map(move |doc| (i, doc)))
        .collect();
    let render_doc = |&(i, doc): &(usize, &Document)| -> Outcome {
        let doc_start = Instant::now();
        let case = jobs[i].0;
        let Some((inputs, case_git, _)) = &cases[i] else {
            unreachable!("documents of cases without a folder are not listed")
        };
        let version = match (&git, case_git) {
            (Some(g), Some(c)) => g.version(c, inputs.files_of(doc.kind)),
            _ => Version::NotInGit,
        };
        let fingerprint = inputs.fingerprint(doc);
        let key = format!("{fingerprint} {}", version.label());
        let case_id = &case.record.case.case_id;
        let pdf_name = format!("{case_id}/{}.pdf", doc.file_stem);
        let typ_name = format!("{case_id}/{}.typ", doc.file_stem);
        let mut wanted = vec![pdf_name.as_str()];
        if args.emit == Some(Emit::Typst) {
            wanted.push(&typ_name);
        }
        let result = if !args.force && manifest.is_current(&out, &pdf_name, &key, &wanted) {
            Ok(false)
        } else if stop.load(Ordering::Relaxed) {
            Err(RenderFailure::Skipped)
        } else {
            let made = render_one(
                renderer,
                program,
                case,
                doc,
                inputs,
                &version,
                &fingerprint,
                args,
                &out,
            );
            if matches!(made, Err(RenderFailure::Write(_))) {
                stop.store(true, Ordering::Relaxed);
            }
            made.map(|()| true)
        };
        progress.inc(1);
        crate::render::add_since(&busy, doc_start);
        Outcome {
            pdf_name,
            key,
            result,
        }
    };
    let outcomes = crate::parallel::map(&documents, render_doc);
    progress.finish_and_clear();
    let render_wall = render_start.elapsed();

    let mut written = 0usize;
    let mut unchanged = unchanged_cases;
    let mut failed = 0usize;
    let mut write_error = None;
    let mut case_made = vec![true; jobs.len()];
    for (outcome, &(i, _)) in outcomes.into_iter().zip(&documents) {
        let case_id = &jobs[i].0.record.case.case_id;
        case_made[i] &= outcome.result.is_ok();
        match outcome.result {
            Ok(true) => {
                manifest.set(outcome.pdf_name, outcome.key);
                written += 1;
            }
            Ok(false) => unchanged += 1,
            Err(RenderFailure::Document(err)) => {
                manifest.remove(&outcome.pdf_name);
                failed += 1;
                eprintln!(
                    "error: {} of case {case_id} was not rendered:\n{err}",
                    out_shown.join(&outcome.pdf_name).display(),
                );
            }
            Err(RenderFailure::Write(message)) => {
                manifest.remove(&outcome.pdf_name);
                write_error.get_or_insert(message);
            }
            Err(RenderFailure::Skipped) => {}
        }
    }
    // A case whose documents were all made, with nothing to report about
    // it, is kept whole in the manifest; any other is parsed next time.
    let flagged: HashSet<&Path> = validated
        .findings
        .iter()
        .flat_map(|f| [Some(f.file.as_path()), f.file.parent()])
        .flatten()
        .collect();
    for (i, (case, docs)) in jobs.iter().enumerate() {
        let key = case_key(&root, &case.dir);
        match &cases[i] {
            Some((_, _, stamp)) if case_made[i] && !flagged.contains(case.dir.as_path()) => {
                let mut files = Vec::new();
                for doc in docs {
                    let name = format!("{}/{}", case.record.case.case_id, doc.file_stem);
                    files.push(format!("{name}.pdf"));
                    if args.emit == Some(Emit::Typst) {
                        files.push(format!("{name}.typ"));
                    }
                }
                manifest.set_case(
                    key,
                    output::CaseEntry {
                        stamp: stamp.clone(),
                        case_id: case.record.case.case_id.clone(),
                        files,
                    },
                );
            }
            _ => manifest.remove_case(&key),
        }
    }
    for dir in &validated.rejected {
        manifest.remove_case(&case_key(&root, dir));
    }
    if let Some(message) = write_error {
        let _ = manifest.save(&out);
        return Err(Fatal(message));
    }
    if let Err(e) = manifest.save(&out) {
        eprintln!(
            "warning: {} cannot be written ({e}); the next render will make every document again",
            out_shown.join(output::MANIFEST).display()
        );
    }

    let mut err = io::stderr().lock();
    let mut summary = format!(
        "rendered {} for {} into {}",
        counted(written, "document"),
        counted(validated.cases.len() + caseload.skipped.len(), "case"),
        out_shown.display()
    );
    if unchanged > 0 {
        summary.push_str(&format!(
            " ({unchanged} unchanged since the last render; --force renders them again)"
        ));
    }
    let _ = writeln!(err, "{summary}");
    match manifest_state {
        ManifestState::Unreadable if !args.force => {
            let _ = writeln!(
                err,
                "note: {} could not be read, so every document was rendered",
                out_shown.join(output::MANIFEST).display()
            );
        }
        _ => {}
    }
    if !validated.rejected.is_empty() {
        let names: Vec<String> = validated
            .rejected
            .iter()
            .map(|d| d.display().to_string())
            .collect();
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
    if args.timings {
        let ns = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e9;
        let wall = start.elapsed().as_secs_f64();
        let render = render_wall.as_secs_f64();
        let t = &renderer.timings;
        let typst = ns(&t.compile) + ns(&t.export);
        // Work outside Typst: the main thread's own phases plus the workers'
        // time on anything but compiling and exporting.
        let outside = (wall - render) + (ns(&busy) - typst);
        let _ = writeln!(
            err,
            "timings: wall={wall:.3}s before_and_after_render={:.3}s render={render:.3}s threads={} \
             templates={:.3}s typst_compile={:.3}s pdf_export={:.3}s other_per_document={:.3}s \
             outside_typst={:.1}% peak_rss={}",
            wall - render,
            crate::parallel::threads(),
            ns(&t.template),
            ns(&t.compile),
            ns(&t.export),
            ns(&busy) - typst - ns(&t.template),
            100.0 * outside / (outside + typst).max(f64::MIN_POSITIVE),
            peak_rss().map_or("unknown".into(), |kb| format!("{}MB", kb / 1024)),
        );
    }
    drop(snapshot);
    Ok(if has_errors(&validated.findings) || failed > 0 {
        FINDINGS
    } else {
        CLEAN
    })
}

/// A case folder's name in the manifest: its path in the records folder.
fn case_key(root: &Path, dir: &Path) -> String {
    load::slash_path(dir.strip_prefix(root).unwrap_or(dir))
}

/// What became of one document.
struct Outcome {
    /// Its path in the output folder.
    pdf_name: String,
    /// Its stamp for the manifest.
    key: String,
    /// Written (true) or unchanged (false).
    result: Result<bool, RenderFailure>,
}

enum RenderFailure {
    /// The document could not be made (its inputs or templates).
    Document(crate::render::RenderError),
    /// The output folder cannot be written: nothing else could be either.
    Write(String),
    /// Not attempted, because the output folder could not be written.
    Skipped,
}

/// The process's peak resident memory in kilobytes (Linux: VmHWM).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A progress bar on a terminal; nothing when stderr is not one (CI, a
/// pipe, a file).
fn progress_bar(total: usize) -> ProgressBar {
    if !io::stderr().is_terminal() || total < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Makes one document and writes it (and its Typst source with `--emit`).
#[allow(clippy::too_many_arguments)]
fn render_one(
    renderer: &Renderer,
    program: &crate::model::ProgramFile,
    case: &ValidCase,
    doc: &Document,
    inputs: &Inputs,
    version: &Version,
    fingerprint: &str,
    args: &RenderArgs,
    out: &Path,
) -> Result<(), RenderFailure> {
    let record = &case.record;
    let case_id = &record.case.case_id;
    let stamp = Stamp {
        fingerprint: fingerprint[..provenance::SHORT].to_string(),
        commit: match version {
            Version::Commit(c) => Some(c.short().to_string()),
            _ => None,
        },
        uncommitted: *version == Version::Uncommitted,
        keywords: inputs.keywords(case_id, doc, version),
    };
    // The creation date: the commit's time when the records are committed,
    // else the newest date in the records the document is made from.
    let dated = match version {
        Version::Commit(c) => chrono::DateTime::from_timestamp(c.time, 0).map(|t| t.naive_utc()),
        _ => None,
    }
    .unwrap_or_else(|| {
        record
            .newest_date(doc.kind.reads())
            .and_time(chrono::NaiveTime::MIN)
    });
    let dir = output::case_dir(out, case_id);
    let write = |path: PathBuf, bytes: &[u8]| {
        output::write_atomic(&path, bytes)
            .map_err(|e| RenderFailure::Write(format!("{} cannot be written: {e}", path.display())))
    };
    let typst = renderer
        .typst_source(program, record, doc, &stamp)
        .map_err(RenderFailure::Document)?;
    if args.emit == Some(Emit::Typst) {
        write(dir.join(format!("{}.typ", doc.file_stem)), typst.as_bytes())?;
    }
    let pdf = renderer
        .pdf(typst, format!("{case_id}/{}", doc.file_stem), dated)
        .map_err(RenderFailure::Document)?;
    write(dir.join(format!("{}.pdf", doc.file_stem)), &pdf)
}

/// `verify`: recomputes a PDF's fingerprint from the records and says
/// whether it matches (0) or not (1, naming the inputs that changed).
pub fn verify(args: VerifyArgs) -> Result<u8, Fatal> {
    let bytes = std::fs::read(&args.pdf)
        .map_err(|e| Fatal(format!("{} cannot be read: {e}", args.pdf.display())))?;
    let stamp = provenance::read_stamp(&bytes).ok_or_else(|| {
        Fatal(format!(
            "{} was not made by casepaper: it has no fingerprint in its metadata",
            args.pdf.display()
        ))
    })?;
    let Prepared {
        caseload,
        templates,
        validated,
        ..
    } = load_and_validate(&args.paths)?;
    let pdf = args.pdf.display();
    let made_from = match &stamp.commit {
        Some(c) if c == "uncommitted" => {
            " (made from records with uncommitted changes)".to_string()
        }
        Some(c) => format!(" (made from commit {c})"),
        None => String::new(),
    };
    let folder = validated
        .cases
        .iter()
        .find(|c| c.record.case.case_id == stamp.case_id)
        .and_then(|c| caseload.folder(&c.dir));
    let (Some(folder), Some(kind)) = (folder, DocKind::from_stem(&stamp.stem)) else {
        println!(
            "{pdf} does not match: case {} is not in the records, or its records have errors (run casepaper validate)",
            stamp.case_id
        );
        return Ok(FINDINGS);
    };
    let shared = provenance::shared_inputs(
        &caseload,
        &provenance::templates_digest(&templates),
        validated.logo.as_deref(),
    );
    let inputs = Inputs::for_case(&caseload, folder, &shared);
    let doc = Document {
        kind,
        consent: None,
        file_stem: stamp.stem.clone(),
    };
    let now = inputs.fingerprint(&doc);
    if now == stamp.fingerprint {
        println!(
            "{pdf} matches the current records: case {}, {}, fingerprint {}{made_from}",
            stamp.case_id,
            stamp.stem,
            &now[..provenance::SHORT]
        );
        return Ok(CLEAN);
    }
    println!(
        "{pdf} does not match the current records (fingerprint {} in the PDF, {} now){made_from}:",
        &stamp.fingerprint[..provenance::SHORT.min(stamp.fingerprint.len())],
        &now[..provenance::SHORT]
    );
    let short = |v: &String| v[..v.len().min(provenance::INPUT_DIGITS)].to_string();
    let current = inputs.of(kind);
    let mut told = false;
    for (name, value) in &current {
        match stamp.inputs.get(name) {
            Some(old) if *old == short(value) => {}
            Some(_) => {
                println!("  {name} changed");
                told = true;
            }
            None => {
                println!("  {name} is new since the PDF was made");
                told = true;
            }
        }
    }
    for name in stamp.inputs.keys().filter(|n| !current.contains_key(*n)) {
        println!("  {name} was removed since the PDF was made");
        told = true;
    }
    if !told {
        println!("  the document's inputs are the same; it was made as another document");
    }
    Ok(FINDINGS)
}

/// `log`: the commits that changed a case's records, newest first.
pub fn log(args: LogArgs) -> Result<u8, Fatal> {
    let caseload =
        load::load(std::slice::from_ref(&args.records)).map_err(|e| Fatal(e.to_string()))?;
    let wanted = args.case.trim_end_matches('/');
    // The case's folder: named on the command line, named like the case, or
    // the one whose case file gives this id.
    let named = Path::new(wanted);
    let dir = if named.is_dir() && named.join("case.yaml").is_file() {
        named.to_path_buf()
    } else {
        caseload
            .cases
            .iter()
            .find(|f| {
                f.dir.file_name().is_some_and(|n| n == wanted)
                    || f.files.iter().any(|r| {
                        r.kind_name() == Some("case")
                            && r.doc.value.get("case_id").and_then(|v| v.as_str()) == Some(wanted)
                    })
            })
            .map(|f| f.dir.clone())
            // A case whose folder is gone may still have history.
            .unwrap_or_else(|| caseload.root.join(wanted))
    };
    let repo = git::Repo::discover(&caseload.root).ok_or_else(|| {
        Fatal(format!(
            "{} is not in a git repository; `casepaper log` lists the commits of records kept in git",
            args.records.display()
        ))
    })?;
    let path = repo
        .path_of(&dir)
        .or_else(|| {
            let parent = repo.path_of(&caseload.root)?;
            Some(if parent.is_empty() {
                wanted.to_string()
            } else {
                format!("{parent}/{wanted}")
            })
        })
        .ok_or_else(|| Fatal(format!("{} is not in the repository", dir.display())))?;
    let history = repo.history(std::slice::from_ref(&path)).map_err(Fatal)?;
    let uncommitted = repo
        .uncommitted(std::slice::from_ref(&path))
        .map_err(Fatal)?;
    if history.commits.is_empty() && uncommitted.is_empty() && !dir.is_dir() {
        return Err(Fatal(format!(
            "there is no case `{wanted}` in {} and none in its history",
            args.records.display()
        )));
    }
    let mut out = io::stdout().lock();
    if !uncommitted.is_empty() {
        let _ = writeln!(
            out,
            "(uncommitted)           changes to {} not committed yet",
            counted(uncommitted.len(), "file")
        );
    }
    for c in &history.commits {
        let _ = writeln!(out, "{}  {}  {}", c.date, c.short(), c.subject);
    }
    if history.commits.is_empty() {
        eprintln!("case {wanted} has no commits yet");
    }
    Ok(CLEAN)
}

/// One error per signature a document still needs, at the signature's entry
/// in the record.
fn owed_findings(caseload: &load::Caseload, case: &ValidCase, doc: &Document) -> Vec<Finding> {
    let record = &case.record;
    let folder = caseload.folder(&case.dir);
    doc.owed_signatures(record)
        .into_iter()
        .map(|owed| {
            let file = folder.and_then(|f| {
                f.files
                    .iter()
                    .find(|r| r.kind_name() == Some(owed.file.name()))
            });
            let s = owed.signature;
            let role = s.role.words();
            let message = format!(
                "{} is not signed by {} ({role}) yet; `render --final` makes only fully signed documents \
                 (fill in `signed_on` and `method` once signed, or render without --final to print a draft for signing)",
                doc.file_stem, s.name
            );
            let path = crate::finding::dotted(owed.file.name(), &owed.pointer);
            match file {
                Some(file) => Finding::error(&file.path, "signature-owed", message)
                    .at(file.position(&owed.pointer))
                    .path(path),
                None => Finding::error(&case.dir, "signature-owed", message).path(path),
            }
        })
        .collect()
}
