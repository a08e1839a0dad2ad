//! The command line: every command and option, with its help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turns early-intervention case records into the paperwork families receive.
#[derive(Debug, Parser)]
#[command(name = "casepaper", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every record file against its schema and report every problem.
    ///
    /// Example: casepaper validate records
    Validate(ValidateArgs),
    /// Validate, then write the PDFs of every valid case to out/<case-id>/.
    ///
    /// Example: casepaper render records --only consent,contacts
    Render(RenderArgs),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: file:line:column, the message, and the line with a caret.
    #[default]
    Human,
    /// One JSON object per finding and line, for CI and editors.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The records folder, or case folders inside it.
    #[arg(default_value = "records")]
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The records folder, or case folders inside it.
    #[arg(default_value = "records")]
    pub paths: Vec<PathBuf>,
    /// Where to write the documents.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Only these documents (comma-separated): consent, services-grid,
    /// outcomes, contacts, transition, exit-letter.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Also write the generated Typst source beside each PDF.
    #[arg(long, value_enum)]
    pub emit: Option<Emit>,
    /// Only fully signed documents: refuse (and report) any document with a
    /// signature still owed, instead of printing it as a DRAFT.
    #[arg(long = "final")]
    pub final_only: bool,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The .typ file each PDF was compiled from.
    Typst,
}
