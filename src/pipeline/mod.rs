//! The pipeline, the one owner of every run: load -> validate -> check ->
//! render -> output. Commands and the desk's pages call a run and tell
//! what came of it; none sequences the stages itself.
//!
//! ```text
//! RenderRun::start(&config)            records opened, output folder locked, git read
//!   .render(&mut warm, sink)           -> Made: batches validated and made, manifest saved
//! Records::open(paths).load_later(None)
//!   .check_in_batches(n, as_of, f)     -> Valid: validation's and the rules' findings
//!   .check_cases_in_batches(..)        -> Checked: the rule about staff still to run
//!                                         (.finish(), or .finish_over(kept) on the desk)
//!   .due(window)                       -> Due: deadlines by coordinator, the caseload report
//!   .validate_in_batches(n, f)         -> Valid: findings, no more than n cases held at once
//! verify(paths, pdf)                   -> Verified: the PDF against the records now
//! export(case, to, &mut warm)          -> Exported: a case's records and documents, to hand over
//! case_history(records, case)          -> CaseHistory: its commits, uncommitted files
//! save(case, target, text)             -> the record written, or why not (NotSaved)
//! sync(request)                        -> Synced: pending committed, the shared copy's
//!                                         joined, checked, ours sent (or NotSynced)
//! ```
//!
//! Underneath, the steps a render is made of: [`Records`] (opened),
//! [`Loaded`] (read), [`Valid`] (validated), [`Build`] (planned and
//! executed), and [`Incremental`], the one owner of what the output
//! folder has current.
//!
//! ```
//! use casepaper::pipeline::{RenderConfig, RenderRun, Warm};
//!
//! let out = tempfile::tempdir()?;
//! let config = RenderConfig::desk(vec!["records".into()], out.path().to_path_buf());
//! let made = RenderRun::start(&config)?.render(&mut Warm::default(), &())?;
//! assert!(made.valid.findings().is_empty());
//! assert_eq!(made.cases, 7);
//! assert_eq!(made.report.written, 94);
//! assert!(out.path().join("ct-2025-0117/contacts.pdf").is_file());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod checks;
mod due;
mod execute;
mod export;
mod history;
mod incremental;
mod options;
mod records;
mod run;
mod save;
mod sync;
mod verify;

pub use checks::Checked;
pub use due::{CaseDue, CoordinatorDue, DeadlineView, Due, Window};
pub use execute::{Build, DocumentFailure, Report, Sink, Warm};
pub use export::{CONTENTS, ExportFolder, Exported, export};
pub use history::{CaseHistory, case_history};
pub use incremental::Incremental;
pub use options::RenderOptions;
pub use records::{BATCH, Loaded, Records, Templates, Valid, template_override};
pub use run::{Made, RenderConfig, RenderRun};
pub use save::{NotSaved, Problem, Target, save};
pub use sync::{NotSynced, SyncRequest, SyncState, Synced, sync, sync_state};
pub use verify::{InputChange, Verdict, Verified, verify};

// What commands name besides the runs: where records are, the documents,
// the rule table, the schemas and templates `init` writes, a run's
// timings. The stages themselves are the library's own.
pub use crate::check::{Deadline, RULES, Rule};
pub use crate::load::git;
pub use crate::load::{DEFAULT_RECORDS, PROGRAM_FILE, find_root, records_or_here};
pub use crate::output::{MANIFEST, NewFiles};
pub use crate::parallel::threads;
pub use crate::provenance::{CONTENT, Stamp};
pub use crate::render::profile::Profile;
pub use crate::render::templates::builtin_files as builtin_templates;
pub use crate::render::{DocKind, Renderer};
pub use crate::validate::schemas;
