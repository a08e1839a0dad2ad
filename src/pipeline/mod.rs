//! The pipeline as one library face: the steps every command (and a
//! server, or a test) takes, each a named function with a typed input and
//! output, as zola's `Site` owns a build.
//!
//! ```text
//! Records::open(paths)            records folder, program file, templates
//!   .load(incremental)            -> Loaded: case files read
//!   .validate()                   -> Valid: each case parsed and typed, findings
//!   (.validate_in_batches(n, f)   -> f(Valid) for each n cases in turn;
//!                                    render's, validate's and due's way, so
//!                                    no more than n cases are held at once)
//!   (.check_in_batches(n, as_of, f) -> the same, with the rules' findings)
//!   .check(as_of)                 -> findings of the rules over time
//! Build::plan(&valid, &options)   -> which documents, signatures owed
//!   .execute(renderer, incremental, sink) -> Report
//! ```
//!
//! The incremental state of a render (the output folder's manifest, each
//! case's inputs and stamp, which cases were left unparsed) has one owner,
//! [`Incremental`], that the steps ask instead of carrying it themselves.
//!
//! ```
//! use casepaper::pipeline::{Build, Incremental, Records, RenderOptions, Warm};
//!
//! let out = tempfile::tempdir()?;
//! let records = Records::open(&["records".into()])?;
//! let options = RenderOptions::default();
//! let mut incremental = Incremental::open(&records, out.path(), None, &options);
//! let valid = records.load(Some(&incremental)).validate();
//! assert!(valid.findings().is_empty());
//! let build = Build::plan(&valid, &options);
//! let mut warm = Warm::default();
//! let renderer = warm.renderer(&valid)?;
//! let report = build.execute(renderer, &mut incremental, &());
//! assert_eq!(report.written, build.documents());
//! assert!(out.path().join("ct-2025-0117/contacts.pdf").is_file());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod checks;
mod due;
mod execute;
mod history;
mod incremental;
mod options;
mod records;
mod run;
mod save;
mod verify;

pub use checks::Checked;
pub use due::{CaseDue, CoordinatorDue, DeadlineView, Due, Window};
pub use execute::{Build, DocumentFailure, Report, Sink, Warm};
pub use history::{CaseHistory, case_history};
pub use incremental::Incremental;
pub use options::RenderOptions;
pub use records::{BATCH, Loaded, Records, Templates, Valid, template_override};
pub use run::{Made, RenderConfig, RenderRun};
pub use save::{NotSaved, Problem, Target, problems_with, save};
pub use verify::{InputChange, Verdict, Verified, verify};

// What commands name besides the runs: where records are, the documents,
// the rule table, the schemas and templates `init` writes, a run's
// timings. The stages themselves are the library's own.
pub use crate::check::{Deadline, RULES, Rule};
pub use crate::load::git;
pub use crate::load::{DEFAULT_RECORDS, PROGRAM_FILE, find_root, records_or_here};
pub use crate::output::MANIFEST;
pub use crate::parallel::threads;
pub use crate::provenance::Stamp;
pub use crate::render::profile::Profile;
pub use crate::render::templates::builtin_files as builtin_templates;
pub use crate::render::{DocKind, Renderer};
pub use crate::validate::schemas;
