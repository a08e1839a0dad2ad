//! How a command ends: clean, findings, or an error that kept it from
//! running, and the exit status each gives.

use std::process::ExitCode;

use casepaper::Error;
use casepaper::finding::{Finding, has_errors};

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
