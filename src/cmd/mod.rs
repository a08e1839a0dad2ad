//! The commands: each runs the pipeline stages in order and reports.
//!
//! load -> validate -> (check) -> render -> output. Exit status: 0 clean, 1 findings in
//! the records (or a document that failed to render), 2 a usage or I/O error.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::cli::{Format, ValidateArgs};
use crate::finding::{self, Finding, Sources, has_errors};
use crate::load;
use crate::render::i18n::Translations;
use crate::render::templates::TemplateSet;
use crate::validate::{self, Schemas, Validated};

mod check;
mod init;
mod new;
mod print;
mod render;
mod watch;
pub use check::{check, due};
pub use init::init;
pub use new::new;
pub use print::{completions, schema};
pub use render::{log, render, verify};
pub use watch::watch;

pub const CLEAN: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const USAGE: u8 = 2;

/// An error that stops the command: bad paths, unwritable output.
pub struct Fatal(pub String);

/// Standard error, in colour only when it is a terminal that shows colour
/// (TERM set, and not `dumb`) and `NO_COLOR` is not set to something (set
/// but empty does not count, as no-color.org has it).
fn stderr_color() -> StandardStream {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let colour = io::stderr().is_terminal()
        && set("NO_COLOR").is_none()
        && set("TERM").is_some_and(|t| t != "dumb");
    StandardStream::stderr(if colour {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    })
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
    let (templates, _, translations) = templates_for(&caseload.root)?;
    Ok(validated(caseload, templates, translations))
}

/// A template set, the program's own template folder (when it has one) and
/// the translations.
type Templates = (TemplateSet, Option<PathBuf>, Arc<Translations>);

/// The templates and translations the records render with: the built-in
/// ones, or the program's own folder beside the records.
fn templates_for(records_root: &Path) -> Result<Templates, Fatal> {
    let templates_dir = template_override(records_root);
    let templates = TemplateSet::load(templates_dir.as_deref()).map_err(Fatal)?;
    let translations = Arc::new(Translations::from_templates(&templates).map_err(Fatal)?);
    Ok((templates, templates_dir, translations))
}

/// Validates a loaded caseload against the embedded schemas.
fn validated(
    mut caseload: load::Caseload,
    templates: TemplateSet,
    translations: Arc<Translations>,
) -> Prepared {
    let schemas = Schemas::embedded();
    let glyphs = crate::render::Glyphs::of(&templates);
    let validated = validate::validate(&mut caseload, &schemas, &translations.codes(), &|c| {
        glyphs.prints(c)
    });
    Prepared {
        caseload,
        templates,
        translations,
        validated,
    }
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

/// Writes a file that must not exist yet, making its folder; a file that
/// is already there (or appeared meanwhile) is never overwritten.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    use std::io::Write;
    let cannot = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Fatal(format!(
            "{} already exists; nothing was written (edit the file that is there)",
            path.display()
        )),
        _ => Fatal(format!("{} cannot be written: {e}", path.display())),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(cannot)
}
