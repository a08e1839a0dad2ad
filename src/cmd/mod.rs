//! The commands: each a short list of the library's steps
//! (`casepaper::pipeline`), then what it tells the user.
//!
//! Exit status: 0 clean, 1 findings in the records (or a document that
//! failed to render), 2 an error that kept the command from running
//! (`casepaper::Error::code`).

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use casepaper::Error;
use casepaper::finding::{self, Finding, Sources, has_errors};
use casepaper::pipeline::Records;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::cli::{Format, ValidateArgs};

mod check;
mod init;
mod log;
mod new;
mod print;
mod render;
mod serve;
mod tell;
mod verify;
mod watch;
pub use check::{check, due};
pub use init::init;
pub use log::log;
pub use new::new;
pub use print::{completions, schema};
pub use render::render;
pub use serve::serve;
pub use verify::verify;
pub use watch::watch;

/// How a command that ran ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings in the records, or a document that could not be made.
    Findings,
}

impl Outcome {
    /// Findings when any of `findings` is an error, else clean.
    pub fn of(findings: &[Finding]) -> Outcome {
        if has_errors(findings) {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
        }
    }
}

/// What a command gives back.
pub type Ran = Result<Outcome, Error>;

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

pub fn validate(args: ValidateArgs) -> Ran {
    let valid = Records::open(&args.paths)?
        .load_later(None)
        .validate_in_batches(casepaper::pipeline::BATCH, |_| Vec::new());
    report(valid.findings(), &valid.caseload.sources, args.format);
    if args.format == Format::Human {
        if valid.findings().is_empty() {
            let cases = counted(valid.caseload.cases.len(), "case");
            eprintln!("{cases} valid, no problems found");
        } else {
            eprintln!("{}", finding::summary(valid.findings()));
        }
        tell_deferred(&valid);
    }
    Ok(Outcome::of(valid.findings()))
}

/// The checks that wait for a file with errors: never a count that looks
/// final while some checks wait.
pub(crate) fn tell_deferred(valid: &casepaper::pipeline::Valid) {
    for waiting in &valid.validated.deferred {
        eprintln!("not yet checked: {waiting}");
    }
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
pub fn exit(result: Ran) -> ExitCode {
    match result {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code())
        }
    }
}
