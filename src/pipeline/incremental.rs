//! The one owner of a render's incremental state: the output folder's
//! manifest, each case's inputs, git state and stamp, and what was left
//! unparsed because it had not changed.
//!
//! Loading asks it whether a case folder can be skipped; the build asks it
//! for each case's inputs (hashed once, when the folder's files are read),
//! whether a document is current, and tells it what was made. It writes the
//! manifest at the end.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::options::RenderOptions;
use super::records::{Records, Unchanged};
use crate::load::{CaseFolder, Caseload, slash_path};
use crate::model::FileSettings;
use crate::output::{CaseEntry, Manifest, ManifestState, Written};
use crate::provenance::{self, CaseGit, GitState, Inputs, Version};
use crate::render::DocKind;

/// One case's inputs, its place in git and its stamp, worked out once.
pub(super) struct CaseInputs {
    pub inputs: Inputs,
    pub git: Option<CaseGit>,
    pub stamp: String,
}

/// What the output folder holds and what each case was made from.
pub struct Incremental {
    out: PathBuf,
    root: PathBuf,
    manifest: Manifest,
    state: ManifestState,
    force: bool,
    /// The render options that choose the documents (part of each stamp).
    options: String,
    /// The inputs every document reads.
    shared: BTreeMap<String, String>,
    git: Option<GitState>,
    /// Each case's inputs as worked out while its files were read, by folder.
    cases: Mutex<HashMap<PathBuf, CaseInputs>>,
    /// The documents written, to be made durable before the manifest is.
    written: Written,
}

impl Incremental {
    /// The state of the output folder `out` for rendering `records` with
    /// `options`; `git` is where the records stand in git, if they are in it.
    pub fn open(
        records: &Records,
        out: &Path,
        git: Option<GitState>,
        options: &RenderOptions,
    ) -> Incremental {
        let caseload = records.caseload();
        let logo = caseload
            .logo
            .as_ref()
            .and_then(|(_, read)| read.as_ref().ok());
        let shared = provenance::shared_inputs(
            caseload,
            &records.templates().digest,
            logo.map(Vec::as_slice),
        );
        let (manifest, state) = Manifest::open(out);
        let program = caseload.program.as_ref().map(|p| &p.doc.value);
        let new = program.map(FileSettings::of_program).unwrap_or_default();
        Incremental {
            out: out.to_path_buf(),
            root: records.root().to_path_buf(),
            manifest,
            state,
            force: options.force,
            options: options.stamp(),
            shared,
            git,
            cases: Mutex::new(HashMap::new()),
            written: Written::new(out, new.new_files()),
        }
    }

    /// What this render wrote into the output folder.
    pub(super) fn written(&self) -> &Written {
        &self.written
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Whether every document is made, current or not (`--force`).
    pub fn forced(&self) -> bool {
        self.force
    }

    /// Whether the manifest could be used (an unreadable one means every
    /// document is made again).
    pub fn manifest_state(&self) -> ManifestState {
        self.state
    }

    /// The inputs, git state and stamp of the case in `folder`: those
    /// worked out when its files were read, given the record kinds parsing
    /// found, or worked out now (always for a folder read again to be
    /// parsed: its files may have changed since).
    pub(super) fn case_inputs(&self, caseload: &Caseload, folder: &CaseFolder) -> CaseInputs {
        let known = self.lock_cases().remove(&folder.dir);
        match known.filter(|_| folder.reread.is_none()) {
            Some(mut case) => {
                case.inputs.learn_kinds(folder);
                case
            }
            None => {
                let inputs = Inputs::for_case(caseload, folder, &self.shared);
                self.case_inputs_from(&folder.dir, inputs)
            }
        }
    }

    fn case_inputs_from(&self, dir: &Path, inputs: Inputs) -> CaseInputs {
        let git = self.git.as_ref().map(|g| g.case(dir, &inputs));
        let stamp = inputs.case_stamp(self.git.as_ref().zip(git.as_ref()), &self.options);
        CaseInputs { inputs, git, stamp }
    }

    fn lock_cases(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, CaseInputs>> {
        self.cases.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where a document of `kind` made from `case`'s inputs stands in git.
    /// A dated document names no commit (see `DocKind::dated`).
    pub(super) fn version(&self, case: &CaseInputs, kind: DocKind) -> Version {
        match (&self.git, &case.git) {
            (Some(g), Some(c)) => match g.version(c, case.inputs.files_of(kind.reads())) {
                Version::Commit(_) if kind.dated() => Version::Committed,
                version => version,
            },
            _ => Version::NotInGit,
        }
    }

    /// Whether `file` in the output folder was made with `key` and the
    /// files `wanted` are all there (never, with `--force`).
    pub(super) fn is_current(&self, file: &str, key: &str, wanted: &[&str]) -> bool {
        !self.force && self.manifest.is_current(&self.out, file, key, wanted)
    }

    /// How many documents the cases left unparsed hold.
    pub(super) fn unchanged_documents(&self, skipped: &[(PathBuf, String)]) -> usize {
        skipped
            .iter()
            .filter_map(|(dir, _)| self.manifest.case(&self.case_key(dir)))
            .map(|entry| entry.files.iter().filter(|f| f.ends_with(".pdf")).count())
            .sum()
    }

    /// A document made with `key`.
    pub(super) fn made(&mut self, file: String, key: String) {
        self.manifest.set(file, key);
    }

    /// A document that could not be made.
    pub(super) fn not_made(&mut self, file: &str) {
        self.manifest.remove(file);
    }

    /// Keeps the case at `dir` whole: next time it is not parsed while its
    /// stamp is the same.
    pub(super) fn keep_case(
        &mut self,
        dir: &Path,
        stamp: String,
        case_id: &str,
        files: Vec<String>,
    ) {
        let entry = CaseEntry {
            stamp,
            case_id: case_id.to_string(),
            files,
        };
        self.manifest.set_case(self.case_key(dir), entry);
    }

    /// Forgets the case at `dir`: it is parsed next time.
    pub(super) fn forget_case(&mut self, dir: &Path) {
        let key = self.case_key(dir);
        self.manifest.remove_case(&key);
    }

    /// Removes the documents no record makes any more: of each case
    /// rendered now (`made`: its case id and every document its records
    /// make, of any kind), those not among them; of a case folder that is
    /// gone from the records, all. Other cases' documents are left alone.
    pub(super) fn remove_stale(&mut self, made: &HashMap<String, HashSet<String>>) -> Vec<String> {
        let gone_ids: HashSet<String> = self
            .manifest
            .case_ids()
            .filter(|(dir, id)| !self.root.join(dir).is_dir() && !made.contains_key(*id))
            .map(|(_, id)| id.to_string())
            .collect();
        self.manifest.remove_stale(&self.out, |file| {
            let Some((id, _)) = file.split_once('/') else {
                return false;
            };
            match made.get(id) {
                Some(files) => !files.contains(file),
                None => gone_ids.contains(id),
            }
        })
    }

    /// Writes the manifest, once every document written is on the disk.
    pub(super) fn save(&mut self) -> io::Result<()> {
        self.written.settle()?;
        self.manifest.save(&self.out)
    }

    /// A case folder's name in the manifest: its path in the records folder.
    fn case_key(&self, dir: &Path) -> String {
        slash_path(dir.strip_prefix(&self.root).unwrap_or(dir))
    }
}

impl Unchanged for Incremental {
    /// The case id of the case folder `dir`, whose files read as `texts`,
    /// when every document made from it is current: it need not be parsed.
    /// Works out (and keeps) the case's inputs either way.
    fn unchanged_case(&self, dir: &Path, texts: &[(PathBuf, Arc<str>)]) -> Option<String> {
        let inputs = Inputs::from_texts(&self.root, &self.shared, texts);
        let case = self.case_inputs_from(dir, inputs);
        let current = (!self.force)
            .then(|| {
                self.manifest
                    .current_case(&self.out, &self.case_key(dir), &case.stamp)
            })
            .flatten()
            .map(|entry| entry.case_id.clone());
        self.lock_cases().insert(dir.to_path_buf(), case);
        current
    }
}
