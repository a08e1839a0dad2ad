//! The commands: each runs the pipeline stages in order and reports.
//!
//! load -> validate -> render -> output. Exit status: 0 clean, 1 findings in
//! the records (or a document that failed to render), 2 a usage or I/O error.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::cli::{Emit, Format, RenderArgs, ValidateArgs};
use crate::finding::{self, Finding, Sources, has_errors};
use crate::load;
use crate::output;
use crate::render::templates::TemplateSet;
use crate::render::{DocKind, Renderer};
use crate::validate::{self, Schemas, Validated};

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
fn report(findings: &[Finding], sources: &Sources, format: Format) {
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

/// Loads and validates the records the paths name.
fn load_and_validate(paths: &[PathBuf]) -> Result<(load::Caseload, Validated), Fatal> {
    let caseload = load::load(paths).map_err(|e| Fatal(e.to_string()))?;
    let schemas = Schemas::embedded();
    let validated = validate::validate(&caseload, &schemas);
    Ok((caseload, validated))
}

pub fn validate(args: ValidateArgs) -> Result<u8, Fatal> {
    let (caseload, validated) = load_and_validate(&args.paths)?;
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

    let (caseload, validated) = load_and_validate(&args.paths)?;
    output::check_out_dir(&args.out, &caseload.root).map_err(Fatal)?;
    report(&validated.findings, &caseload.sources, args.format);
    let Some(program) = &validated.program else {
        eprintln!(
            "nothing rendered: the program file has errors (fix {} first)",
            caseload.root.join(load::PROGRAM_FILE).display()
        );
        return Ok(FINDINGS);
    };

    let templates =
        TemplateSet::load(template_override(&caseload.root).as_deref()).map_err(Fatal)?;
    let renderer = Renderer::new(templates).map_err(Fatal)?;

    let mut written = 0usize;
    let mut failed = 0usize;
    for case in &validated.cases {
        let record = &case.record;
        let dir = output::case_dir(&args.out, &record.case.case_id);
        for &kind in kinds.iter().filter(|k| k.applies_to(record)) {
            let pdf_path = dir.join(format!("{}.pdf", kind.name()));
            let result = renderer
                .typst_source(program, record, kind)
                .and_then(|typst| {
                    if args.emit == Some(Emit::Typst) {
                        output::write_atomic(
                            &dir.join(format!("{}.typ", kind.name())),
                            typst.as_bytes(),
                        )
                        .map_err(|e| crate::render::RenderError(e.to_string()))?;
                    }
                    renderer.pdf(typst, format!("{}/{}", record.case.case_id, kind.name()))
                });
            match result {
                Ok(pdf) => {
                    output::write_atomic(&pdf_path, &pdf).map_err(|e| {
                        Fatal(format!("{} cannot be written: {e}", pdf_path.display()))
                    })?;
                    written += 1;
                }
                Err(err) => {
                    failed += 1;
                    eprintln!(
                        "error: {} of case {} was not rendered:\n{err}",
                        kind.title(),
                        record.case.case_id
                    );
                }
            }
        }
    }

    let mut out = io::stderr().lock();
    let _ = writeln!(
        out,
        "rendered {written} documents for {} cases into {}",
        validated.cases.len(),
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
    Ok(if has_errors(&validated.findings) || failed > 0 {
        FINDINGS
    } else {
        CLEAN
    })
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
