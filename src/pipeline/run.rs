//! A render run, the one sequence from records paths to documents in an
//! output folder that `render`, `watch` and the desk's case page share: the
//! records opened, the output folder checked and locked, where the records
//! stand in git read, then the cases validated and their documents made a
//! batch at a time, stale documents removed and the manifest saved.
//!
//! It is two steps so that what git says (changes not committed, which
//! `--final` refuses) is known before anything is made:
//!
//! ```text
//! RenderRun::start(&config)   -> RenderRun: folder locked, git read
//!   .render(&mut warm, sink)  -> Made: findings, report, counts
//! ```

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use super::execute::{Build, Report, Sink, Warm};
use super::incremental::Incremental;
use super::options::RenderOptions;
use super::records::{BATCH, Records, Valid};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::load::git;
use crate::output::{self, ManifestState, OutLock};
use crate::provenance::GitState;

/// What a render run is asked for: which records, into which folder, how.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The records paths: a records folder, or some of its case folders.
    pub paths: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    pub options: RenderOptions,
    /// With `--at`: the repository of the snapshot the records are read
    /// from, whose history must be read (else the repository the records
    /// are in, if any, and a history that cannot be read is a warning).
    pub snapshot: Option<git::Repo>,
    /// How long to wait for the output folder's lock when another render
    /// holds it (the desk waits for a `casepaper render` finishing; the
    /// command does not wait).
    pub lock_wait: Duration,
    /// Record where Typst spends its time, by kind (`--profile`).
    pub profile: bool,
}

impl RenderConfig {
    /// Every document of the records at `paths` into `out`, as the desk
    /// makes them: default options, waiting a little for the folder.
    pub fn desk(paths: Vec<PathBuf>, out: PathBuf) -> RenderConfig {
        RenderConfig {
            paths,
            out,
            options: RenderOptions::default(),
            snapshot: None,
            lock_wait: Duration::from_secs(2),
            profile: false,
        }
    }
}

/// A render started: the records opened, the output folder held, git read.
pub struct RenderRun {
    config: RenderConfig,
    records: Records,
    git: Option<GitState>,
    /// Why the records' history could not be read, when it could not.
    git_unreadable: Option<String>,
    _lock: OutLock,
}

impl RenderRun {
    /// Opens the records, makes sure the output folder is outside them,
    /// takes its lock and reads where the records stand in git.
    pub fn start(config: &RenderConfig) -> Result<RenderRun> {
        let records = Records::open(&config.paths)?;
        output::check_out_dir(&config.out, records.root())?;
        let lock = lock_waiting(&config.out, config.lock_wait)?;
        let (git, git_unreadable) = match records.git(config.snapshot.clone()) {
            None => (None, None),
            Some(Ok(state)) => (Some(state), None),
            Some(Err(e)) if config.snapshot.is_some() => {
                return Err(Error::Git(format!("git: {e}")));
            }
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        Ok(RenderRun {
            config: config.clone(),
            records,
            git,
            git_unreadable,
            _lock: lock,
        })
    }

    /// Why the records' git history could not be read (the documents'
    /// footers then show no commit).
    pub fn git_unreadable(&self) -> Option<&str> {
        self.git_unreadable.as_deref()
    }

    /// The files with changes not committed to git: the documents made
    /// from them say so in their footer.
    pub fn uncommitted(&self) -> Vec<&str> {
        let dirty = self.git.as_ref().map(GitState::uncommitted);
        dirty.into_iter().flatten().map(String::as_str).collect()
    }

    /// Whether the run must stop before anything is made: `--final` makes
    /// documents only from records saved in the program's history.
    pub fn refused_uncommitted(&self) -> bool {
        self.config.options.final_only && !self.uncommitted().is_empty()
    }

    /// Validates the cases a batch at a time and makes each batch's
    /// documents with the renderer `warm` keeps (none without a valid
    /// program file, or once the output folder could not be written); then
    /// removes the documents no record makes any more and saves the
    /// manifest. An error only when the renderer cannot be made (the
    /// templates are broken).
    pub fn render(self, warm: &mut Warm, sink: &dyn Sink) -> Result<Made> {
        // The output folder stays held until the run is done.
        let RenderRun {
            config,
            records,
            git,
            _lock: _held,
            ..
        } = self;
        let options = &config.options;
        let mut incremental = Incremental::open(&records, &config.out, git, options);
        let mut batches = Batches::default();
        let valid = records
            .load_later(Some(&incremental))
            .validate_in_batches(BATCH, |valid| {
                batches.render(valid, &config, warm, &mut incremental, sink)
            });
        let Batches {
            mut report,
            refused,
            cases,
            partly,
            made_by_records,
            error,
        } = batches;
        if let Some(error) = error {
            return Err(error);
        }
        if valid.program().is_some() {
            report.finish(&mut incremental, &made_by_records);
        }
        Ok(Made {
            cases: cases + valid.caseload.skipped.len(),
            partly,
            refused,
            manifest_unreadable: incremental.manifest_state() == ManifestState::Unreadable
                && !incremental.forced(),
            report,
            valid,
        })
    }
}

/// What a render run made, for the command or page to tell.
pub struct Made {
    /// The records as validated: every finding (the signatures `--final`
    /// found owed among them), the folders left out for errors.
    pub valid: Valid,
    pub report: Report,
    /// The valid cases documents were made for (or found current).
    pub cases: usize,
    /// The folders of cases with errors some documents were made for: those
    /// their files without errors make.
    pub partly: Vec<PathBuf>,
    /// The documents `--final` refused for an owed signature.
    pub refused: usize,
    /// The manifest could not be read, so every document was made.
    pub manifest_unreadable: bool,
}

/// The output folder's lock, tried for `wait` at most.
fn lock_waiting(out: &std::path::Path, wait: Duration) -> Result<OutLock> {
    let step = Duration::from_millis(50);
    let mut waited = Duration::ZERO;
    loop {
        match output::lock_out_dir(out) {
            Err(_) if waited < wait => {
                std::thread::sleep(step);
                waited += step;
            }
            other => return other,
        }
    }
}

/// What the batches of one render add up to.
#[derive(Default)]
struct Batches {
    report: Report,
    refused: usize,
    /// Valid cases documents were made for.
    cases: usize,
    /// Cases with errors some documents were made for.
    partly: Vec<PathBuf>,
    /// Every document each rendered case's records make, by case id.
    made_by_records: HashMap<String, HashSet<String>>,
    /// The renderer could not be made (the templates are broken).
    error: Option<Error>,
}

impl Batches {
    /// Plans one batch of cases and makes its documents (none without a
    /// valid program file, or once the output folder could not be written);
    /// gives the signatures `--final` found owed.
    fn render(
        &mut self,
        valid: &Valid,
        config: &RenderConfig,
        warm: &mut Warm,
        incremental: &mut Incremental,
        sink: &dyn Sink,
    ) -> Vec<Finding> {
        let build = Build::plan(valid, &config.options);
        self.refused += build.refused();
        let owed = build.owed().to_vec();
        if valid.program().is_none() || self.report.write_error.is_some() || self.error.is_some() {
            return owed;
        }
        self.cases += build.cases();
        self.partly.extend(build.partly());
        let renderer = match warm.renderer(valid) {
            Ok(renderer) => renderer,
            Err(e) => {
                self.error = Some(e);
                return owed;
            }
        };
        if config.profile {
            renderer.profile.start();
        }
        sink.planned(build.documents());
        let made = build.execute_batch(renderer, incremental, sink);
        self.made_by_records.extend(build.made_by_records());
        self.report.absorb(made);
        owed
    }
}
