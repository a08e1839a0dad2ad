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
    /// Documents whose inputs have not changed since the last render into the
    /// same folder are skipped (--force renders them all).
    ///
    /// Example: casepaper render records --only consent,contacts
    Render(RenderArgs),
    /// Render, then render again whenever a record, template or translation
    /// changes, printing problems as they happen.
    ///
    /// Only the documents a change affects are made again; a case with an
    /// error keeps its last good PDFs. Ctrl-C stops.
    ///
    /// Example: casepaper watch records
    Watch(WatchArgs),
    /// Validate, then hold every case to the rules over time: monthly
    /// contact, consent before services, reviews, the transition at three.
    ///
    /// Example: casepaper check records --as-of 2026-11-23
    Check(CheckArgs),
    /// Say whether a PDF matches the current records: its fingerprint is
    /// recomputed from the records, templates and casepaper's version.
    ///
    /// Example: casepaper verify out/ct-2025-0117/contacts.pdf records
    Verify(VerifyArgs),
    /// Hand a case over to the program the family chose: its record files,
    /// its documents made now and a list of both with their SHA-256
    /// digests, in a new folder named by the case id. Only a case without
    /// errors is exported; nothing in the records is changed.
    ///
    /// Example: casepaper export ct-2026-0058 --to out/handover
    Export(ExportArgs),
    /// List the commits that changed a case's records, newest first.
    ///
    /// Example: casepaper log ct-2025-0117
    Log(LogArgs),
    /// List each coordinator's next deadlines, overdue ones first.
    ///
    /// Example: casepaper due records --within 30 --pdf caseload.pdf
    Due(DueArgs),
    /// Start a program's records repository: the program file with the
    /// state's rules, an example case, the schemas, .gitignore, .gitattributes
    /// (record files joined entry by entry), a README for staff with the
    /// team's workflow and pre-commit hooks that validate. Never overwrites a
    /// file.
    ///
    /// Example: casepaper init river-valley-records --state vt
    Init(InitArgs),
    /// Write a new record with every required element present and empty,
    /// each with a comment saying what goes there; `validate` then lists
    /// exactly what is left to fill. Existing files are never overwritten.
    ///
    /// Example: casepaper new contact ct-2025-0117 --date 2026-11-23 --kind phone
    New(NewArgs),
    /// Make this computer's records and the team's shared copy one: commit
    /// what is changed (with --message), take the others' commits and join
    /// them (record files entry by entry), check the joined records, and
    /// send this computer's commits only when the join breaks nothing.
    /// Offline, commits wait here for the next sync; nothing is lost.
    ///
    /// Example: casepaper sync --message "Notes of the Marsh visit"
    Sync(SyncArgs),
    /// Join two people's versions of a record file; git runs this (the
    /// records' merge driver, which `sync` registers), not a person.
    #[command(hide = true)]
    MergeRecords(MergeRecordsArgs),
    /// Print the JSON Schema of a record kind, self-contained, for editors
    /// and other tools.
    ///
    /// Example: casepaper schema contacts > contacts.schema.json
    Schema(SchemaArgs),
    /// Print the completion script for a shell, so Tab completes commands
    /// and options.
    ///
    /// Example: casepaper completions bash > ~/.local/share/bash-completion/completions/casepaper
    Completions(CompletionsArgs),
    /// Print casepaper's manual page (roff), or write it and a page for
    /// each command (casepaper-render.1, ...) into a folder, as the Debian
    /// package installs them.
    ///
    /// Example: casepaper man | man -l -
    Man(ManArgs),
    /// Open the coordinator's desk in a browser: the caseload with its
    /// deadlines and findings, each case with its documents and history,
    /// forms to add contact notes and change records, and the changes to
    /// commit. Only this computer can reach it, and only with the key in
    /// the address it prints. Ctrl-C stops.
    ///
    /// Example: casepaper serve records
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The records folder.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub records: PathBuf,
    /// The port to listen on (default: any free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Print the address but do not open a browser.
    #[arg(long)]
    pub no_open: bool,
    /// Listen on this address instead of this computer's own (127.0.0.1).
    /// Another computer could then reach the child records, so it is
    /// refused unless --allow-other-address is given too.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub address: std::net::IpAddr,
    /// Allow --address to name an address other computers can reach (the
    /// key in the address is still needed).
    #[arg(long)]
    pub allow_other_address: bool,
    /// Hold deadlines and rules to this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to start the repository in (made if needed).
    pub dir: PathBuf,
    /// The state whose rules the program follows.
    #[arg(long, value_enum, default_value_t = InitState::Ct)]
    pub state: InitState,
    /// Also copy the built-in templates and translations into templates/,
    /// for the program to change; documents are then made with its copies.
    #[arg(long)]
    pub templates: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InitState {
    /// Connecticut Birth to Three.
    Ct,
    /// Vermont Children's Integrated Services.
    Vt,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub record: NewRecord,
    /// The records folder.
    #[arg(long, value_name = "FOLDER", default_value = casepaper::pipeline::DEFAULT_RECORDS, global = true)]
    pub records: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum NewRecord {
    /// A new case: its folder and case.yaml.
    ///
    /// Example: casepaper new case ct-2026-0100
    Case {
        /// The case id: lowercase letters, digits and dashes, for example
        /// ct-2026-0100. It names the case's folder.
        id: String,
    },
    /// A contact note, in a new file of the case's folder
    /// (contacts-DATE-STAFF.yaml, STAFF the case coordinator's id).
    ///
    /// Example: casepaper new contact ct-2025-0117 --date 2026-11-23 --kind phone
    Contact {
        /// The case's id (its folder's name).
        case: String,
        /// The date of the contact (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// What kind of contact: visit, phone, email, text, meeting or other.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
    },
    /// The case's plan (plan.yaml), for its initial meeting: a meeting, an
    /// outcome, the service coordination row and a row to fill, and the
    /// consent to start services, owing the parent's and coordinator's
    /// signatures.
    ///
    /// Example: casepaper new plan ct-2026-0100 --date 2026-12-15
    Plan {
        /// The case's id (its folder's name).
        case: String,
        /// The date of the initial plan meeting (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// A consent to services, added to the end of the plan's consents: each
    /// service of the plan with its decision to fill in, and the parent's
    /// and coordinator's signatures owed. The rest of plan.yaml is kept as
    /// it is, comments included.
    ///
    /// Example: casepaper new consent ct-2025-0117 --action change --date 2026-05-12
    Consent {
        /// The case's id (its folder's name).
        case: String,
        /// What the consent is for: initiation, change or continuation.
        #[arg(long, value_name = "ACTION")]
        action: String,
        /// The date consent is asked for (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// A plan review meeting, in a new file of the case's folder
    /// (review-DATE-STAFF.yaml), with a progress entry for each of the plan's
    /// outcomes.
    ///
    /// Example: casepaper new review ct-2025-0117 --type six-month-review
    Review {
        /// The case's id (its folder's name).
        case: String,
        /// The date of the meeting (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// Which meeting: six-month-review or annual.
        #[arg(long = "type", value_name = "TYPE", default_value = "six-month-review")]
        meeting: String,
    },
    /// The family's exit from services and its letter (exit.yaml).
    ///
    /// Example: casepaper new exit ct-2025-0117 --reason could-not-reach
    Exit {
        /// The case's id (its folder's name).
        case: String,
        /// Why services end: could-not-reach, completed, moved,
        /// family-choice, turned-three or other.
        #[arg(long, value_name = "REASON")]
        reason: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The record kind: program, case, plan, contacts, transition, exit or review.
    #[arg(value_parser = parse_kind)]
    pub kind: casepaper::model::Kind,
}

/// A record kind on the command line.
fn parse_kind(text: &str) -> Result<casepaper::model::Kind, String> {
    casepaper::model::Kind::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = casepaper::model::Kind::ALL
            .iter()
            .map(|k| k.name())
            .collect();
        format!(
            "`{text}` is not a record kind; the kinds are {}",
            names.join(", ")
        )
    })
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

/// A date on the command line, YYYY-MM-DD.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let date: chrono::NaiveDate = text.parse().map_err(|_| {
        format!("`{text}` is not a date; write it as YYYY-MM-DD, for example 2026-11-23")
    })?;
    let days = &casepaper::model::DAYS;
    if !days.contains(&date) {
        return Err(format!(
            "`{text}` is outside the days casepaper works with ({} to {})",
            days.start(),
            days.end()
        ));
    }
    Ok(date)
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The records folder, or case folders inside it.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub paths: Vec<PathBuf>,
    /// The date the rules are judged on (default: today), so a check can be
    /// repeated with the same result.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The PDF to verify.
    pub pdf: PathBuf,
    /// The records folder it should match.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write casepaper.1 and a page for each command into this folder
    /// (made if needed) instead of printing the first.
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The records folder.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub records: PathBuf,
    /// What changed, in a few words: the message of the commit of the
    /// records changed since the last one (needed when any are).
    #[arg(long, short)]
    pub message: Option<String>,
    /// Hold the joined records to the rules as of this day instead of
    /// today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

/// git's `%O %A %B %P %X %Y`: the common version, this side's (written
/// with the result), the other side's, the file's path, the two labels.
#[derive(Debug, clap::Args)]
pub struct MergeRecordsArgs {
    pub base: PathBuf,
    pub ours: PathBuf,
    pub theirs: PathBuf,
    pub path: Option<String>,
    pub ours_label: Option<String>,
    pub theirs_label: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The case id (or the case's folder).
    pub case: String,
    /// The records folder.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub records: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The case id (or the case's folder).
    pub case: String,
    /// The records folder.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub records: PathBuf,
    /// The folder to write the case's folder into (made if needed).
    #[arg(long, value_name = "FOLDER", default_value = "out/handover")]
    pub to: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct DueArgs {
    /// The records folder, or case folders inside it.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub paths: Vec<PathBuf>,
    /// The date deadlines are counted from (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Show deadlines up to this many days ahead, at most 3650 (overdue ones
    /// always show).
    #[arg(long, value_name = "DAYS", default_value_t = 60, value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub within: u32,
    /// Also write the list as a PDF caseload report, one page per coordinator.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// How to print the list: human, or one JSON object per deadline.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
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
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What `render` and `watch` both take: which records, which documents,
/// and where they go (as typst-cli's `WatchCommand` flattens `CompileArgs`).
#[derive(Debug, Clone, clap::Args)]
pub struct DocumentArgs {
    /// The records folder, or case folders inside it.
    #[arg(default_value = casepaper::pipeline::DEFAULT_RECORDS)]
    pub paths: Vec<PathBuf>,
    /// Where to write the documents (default: out, beside the records
    /// folder when run inside it; out/<commit> with --at).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only these documents (comma-separated): plan, consent, services-grid,
    /// outcomes, contacts, transition, exit-letter.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub documents: DocumentArgs,
    /// Render the records as they were at this git revision (a commit id,
    /// tag, branch or HEAD~3), without touching the working tree.
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Render every document, even those whose inputs have not changed since
    /// the last render into the same folder.
    #[arg(long)]
    pub force: bool,
    /// Print where the time went and the peak memory (for benchmarks).
    #[arg(long)]
    pub timings: bool,
    /// Print where each document kind's Typst time goes, from Typst's own
    /// timing (documents are then compiled one at a time; for benchmarks).
    #[arg(long)]
    pub profile: bool,
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

impl RenderArgs {
    /// What to render, as the library's options.
    pub fn options(&self) -> casepaper::Result<casepaper::pipeline::RenderOptions> {
        Ok(casepaper::pipeline::RenderOptions {
            kinds: casepaper::pipeline::RenderOptions::kinds(&self.documents.only)?,
            final_only: self.final_only,
            emit_typst: self.emit == Some(Emit::Typst),
            force: self.force,
        })
    }

    /// The render each run of `watch` makes: every option at its default.
    pub fn watching(documents: DocumentArgs) -> RenderArgs {
        RenderArgs {
            documents,
            at: None,
            force: false,
            timings: false,
            profile: false,
            emit: None,
            final_only: false,
            format: Format::Human,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub documents: DocumentArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The .typ file each PDF was compiled from.
    Typst,
}
