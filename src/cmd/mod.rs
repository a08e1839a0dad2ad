//! The commands: each runs the pipeline stages in order and reports.
//!
//! load -> validate -> (check) -> render -> output. Exit status: 0 clean, 1 findings in
//! the records (or a document that failed to render), 2 a usage or I/O error.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::cli::{Emit, Format, RenderArgs, ValidateArgs, VerifyArgs};
use crate::finding::{self, Finding, Sources, has_errors};
use crate::load;
use crate::model::CaseRecord;
use crate::output;
use crate::provenance;
use crate::render::i18n::Translations;
use crate::render::templates::TemplateSet;
use crate::render::{DocKind, Document, Renderer, Stamp};
use crate::validate::{self, Schemas, ValidCase, Validated};

mod check;
pub use check::{check, due};

pub const CLEAN: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const USAGE: u8 = 2;

/// An error that stops the command: bad paths, unwritable output.
pub struct Fatal(pub String);

fn stderr_color() -> StandardStream {
    let choice = if std::env::var_os("NO_COLOR").is_some() || !io::stderr().is_terminal() {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    };
    StandardStream::stderr(choice)
}

/// Prints findings in the chosen format: human to stderr, JSON to stdout.
pub(crate) fn report(findings: &[Finding], sources: &Sources, format: Format) {
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

/// The records the paths name, validated, with the templates they render with.
struct Prepared {
    caseload: load::Caseload,
    templates: TemplateSet,
    translations: Arc<Translations>,
    validated: Validated,
}

/// Loads the records and the templates (built in, or beside the records),
/// and validates the records.
fn load_and_validate(paths: &[PathBuf]) -> Result<Prepared, Fatal> {
    let caseload = load::load(paths).map_err(|e| Fatal(e.to_string()))?;
    let templates =
        TemplateSet::load(template_override(&caseload.root).as_deref()).map_err(Fatal)?;
    let translations = Arc::new(Translations::from_templates(&templates).map_err(Fatal)?);
    let schemas = Schemas::embedded();
    let validated = validate::validate(&caseload, &schemas, &translations.codes());
    Ok(Prepared {
        caseload,
        templates,
        translations,
        validated,
    })
}

pub fn validate(args: ValidateArgs) -> Result<u8, Fatal> {
    let Prepared {
        caseload,
        validated,
        ..
    } = load_and_validate(&args.paths)?;
    report(&validated.findings, &caseload.sources, args.format);
    if args.format == Format::Human {
        let cases = caseload.cases.len();
        if validated.findings.is_empty() {
            let noun = if cases == 1 { "case" } else { "cases" };
            eprintln!("{cases} {noun} valid, no problems found");
        } else {
            eprintln!("{}", finding::summary(&validated.findings));
        }
    }
    Ok(if has_errors(&validated.findings) {
        FINDINGS
    } else {
        CLEAN
    })
}

/// The template folder beside the records folder, if there is one.
fn template_override(records_root: &Path) -> Option<PathBuf> {
    let root = if records_root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        records_root
    };
    let beside = std::fs::canonicalize(root)
        .ok()?
        .parent()?
        .join("templates");
    beside.is_dir().then_some(beside)
}

pub fn render(args: RenderArgs) -> Result<u8, Fatal> {
    let mut kinds = Vec::new();
    for name in &args.only {
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

    let Prepared {
        caseload,
        templates,
        translations,
        mut validated,
    } = load_and_validate(&args.paths)?;
    output::check_out_dir(&args.out, &caseload.root).map_err(Fatal)?;

    // Which PDFs to make; with --final, a document still owing a signature
    // is refused and reported like any other finding in the records.
    let mut jobs: Vec<(&ValidCase, Document)> = Vec::new();
    let mut owed = Vec::new();
    for case in &validated.cases {
        for &kind in &kinds {
            for doc in kind.documents(&case.record) {
                if args.final_only {
                    let before = owed.len();
                    owed.extend(owed_findings(&caseload, case, &doc));
                    if owed.len() > before {
                        continue;
                    }
                }
                jobs.push((case, doc));
            }
        }
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

    let templates_digest = provenance::templates_digest(&templates);
    let logo_bytes = validated.logo.take();
    let mut templates = templates;
    if let (Some(logo), Some(bytes)) = (&program.program.logo, &logo_bytes) {
        templates.insert(logo.asset_name(), bytes.clone());
    }
    let renderer = Renderer::new(templates, translations).map_err(Fatal)?;
    // The inputs' digests, computed once per case: every document of the
    // case is fingerprinted from them.
    let mut inputs: std::collections::BTreeMap<&Path, provenance::Inputs> =
        std::collections::BTreeMap::new();
    let mut written = 0usize;
    let mut failed = 0usize;
    for (case, doc) in &jobs {
        let record = &case.record;
        let dir = output::case_dir(&args.out, &record.case.case_id);
        let pdf_path = dir.join(format!("{}.pdf", doc.file_stem));
        if !inputs.contains_key(case.dir.as_path()) {
            if let Some(folder) = caseload.folder(&case.dir) {
                let digests = provenance::Inputs::for_case(
                    &caseload,
                    folder,
                    &templates_digest,
                    logo_bytes.as_deref(),
                );
                inputs.insert(&case.dir, digests);
            }
        }
        let stamp = match inputs.get(case.dir.as_path()) {
            Some(inputs) => Stamp {
                fingerprint: inputs.fingerprint(&doc.file_stem)[..provenance::SHORT].to_string(),
                keywords: inputs.keywords(&record.case.case_id, &doc.file_stem),
            },
            None => Stamp {
                fingerprint: String::new(),
                keywords: Vec::new(),
            },
        };
        let result = renderer
            .typst_source(program, record, doc, &stamp)
            .and_then(|typst| {
                if args.emit == Some(Emit::Typst) {
                    output::write_atomic(
                        &dir.join(format!("{}.typ", doc.file_stem)),
                        typst.as_bytes(),
                    )
                    .map_err(|e| crate::render::RenderError(e.to_string()))?;
                }
                renderer.pdf(
                    typst,
                    format!("{}/{}", record.case.case_id, doc.file_stem),
                    record.newest_date(),
                )
            });
        match result {
            Ok(pdf) => {
                output::write_atomic(&pdf_path, &pdf)
                    .map_err(|e| Fatal(format!("{} cannot be written: {e}", pdf_path.display())))?;
                written += 1;
            }
            Err(err) => {
                failed += 1;
                eprintln!(
                    "error: {} of case {} was not rendered:\n{err}",
                    pdf_path.display(),
                    record.case.case_id
                );
            }
        }
    }

    let mut out = io::stderr().lock();
    let _ = writeln!(
        out,
        "rendered {} for {} into {}",
        counted(written, "document"),
        counted(validated.cases.len(), "case"),
        args.out.display()
    );
    if !validated.rejected.is_empty() {
        let names: Vec<String> = validated
            .rejected
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        let _ = writeln!(
            out,
            "not rendered because of errors above: {}",
            names.join(", ")
        );
    }
    if refused > 0 {
        let _ = writeln!(
            out,
            "not rendered because signatures are still owed (--final): {}",
            counted(refused, "signature")
        );
    }
    Ok(if has_errors(&validated.findings) || failed > 0 {
        FINDINGS
    } else {
        CLEAN
    })
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
    let folder = validated
        .cases
        .iter()
        .find(|c| c.record.case.case_id == stamp.case_id)
        .and_then(|c| caseload.folder(&c.dir));
    let Some(folder) = folder else {
        println!(
            "{pdf} does not match: case {} is not in the records, or its records have errors (run casepaper validate)",
            stamp.case_id
        );
        return Ok(FINDINGS);
    };
    let inputs = provenance::Inputs::for_case(
        &caseload,
        folder,
        &provenance::templates_digest(&templates),
        validated.logo.as_deref(),
    );
    let now = inputs.fingerprint(&stamp.stem);
    if now == stamp.fingerprint {
        println!(
            "{pdf} matches the current records: case {}, {}, fingerprint {}",
            stamp.case_id,
            stamp.stem,
            &now[..provenance::SHORT]
        );
        return Ok(CLEAN);
    }
    println!(
        "{pdf} does not match the current records (fingerprint {} in the PDF, {} now):",
        &stamp.fingerprint[..provenance::SHORT.min(stamp.fingerprint.len())],
        &now[..provenance::SHORT]
    );
    let short = |v: &String| v[..v.len().min(16)].to_string();
    let mut told = false;
    for (name, value) in &inputs.0 {
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
    for name in stamp.inputs.keys().filter(|n| !inputs.0.contains_key(*n)) {
        println!("  {name} was removed since the PDF was made");
        told = true;
    }
    if !told {
        println!("  the document's inputs are the same; it was made as another document");
    }
    Ok(FINDINGS)
}

/// One error per signature a document still needs, at the signature's entry
/// in the record.
fn owed_findings(caseload: &load::Caseload, case: &ValidCase, doc: &Document) -> Vec<Finding> {
    let record: &CaseRecord = &case.record;
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

/// `1 case`, `2 cases`.
pub(crate) fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Runs a command and turns its result into the exit status.
pub fn exit(result: Result<u8, Fatal>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(USAGE)
        }
    }
}
