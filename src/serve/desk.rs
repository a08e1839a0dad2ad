//! The caseload as the server keeps it: each case's deadlines (what `due`
//! computes) and findings (`validate` and `check`), made again only for
//! the case folders whose files changed since the last request.
//!
//! A case folder's stamp is the name, size and modification time of each of
//! its record files; the program file's stamp, or another day, makes every
//! case again. So the caseload page of a large program answers from memory,
//! and a save is seen on the next request.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::{self, Deadline};
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::load::{CaseFolder, PROGRAM_FILE};
use crate::model::Kind;
use crate::pipeline::{BATCH, Records, Valid};
use crate::records::read::CaseAsWritten;

/// A file's name, size and modification time.
type FileStamp = (String, u64, Option<SystemTime>);

/// One case as the caseload page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// The case folder's name (the case id, for a well-kept folder).
    pub folder: String,
    pub case_id: String,
    pub client: String,
    /// The coordinator's staff id.
    pub coordinator: String,
    /// False when the case has errors, so nothing is checked or rendered.
    pub valid: bool,
    pub deadlines: Vec<Deadline>,
    pub findings: Vec<FindingView>,
    #[serde(skip)]
    stamp: Vec<FileStamp>,
    /// What the rule about coordinators' certificates needs of the case,
    /// kept so that the rule sees every case when only some are read again.
    #[serde(skip)]
    coordinated: Option<check::Coordinated>,
}

impl CaseSummary {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// A finding as a page shows it: the file by its name in the records
/// folder.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub severity: Severity,
    pub code: &'static str,
    /// `ct-2025-0117/plan.yaml`.
    pub file: String,
    /// The file's own name: `plan.yaml`.
    pub name: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The element, as `validate` names it.
    pub path: String,
    pub message: String,
}

impl FindingView {
    pub fn of(root: &Path, f: &Finding) -> FindingView {
        let file = f.file.strip_prefix(root).unwrap_or(&f.file);
        FindingView {
            severity: f.severity,
            code: f.code.name(),
            file: crate::load::slash_path(file),
            name: f
                .file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            line: f.pos.map(|p| p.line),
            column: f.pos.map(|p| p.column),
            path: f.path.clone(),
            message: f.message.clone(),
        }
    }
}

/// A staff member the caseload can be filtered by.
#[derive(Debug, Clone, Serialize)]
pub struct Coordinator {
    pub id: String,
    pub name: String,
}

/// The caseload, kept between requests.
pub struct Desk {
    root: PathBuf,
    as_of: Option<NaiveDate>,
    program: Option<FileStamp>,
    cases: BTreeMap<String, CaseSummary>,
    /// Findings outside the case folders (the program file).
    pub general: Vec<FindingView>,
    pub staff: Vec<Coordinator>,
}

impl Desk {
    pub fn new(root: PathBuf) -> Desk {
        Desk {
            root,
            as_of: None,
            program: None,
            cases: BTreeMap::new(),
            general: Vec::new(),
            staff: Vec::new(),
        }
    }

    /// Every case, by folder name.
    pub fn cases(&self) -> impl Iterator<Item = &CaseSummary> {
        self.cases.values()
    }

    /// Brings the caseload up to date with the files as of `as_of`: only
    /// the case folders that changed are read again.
    pub fn refresh(&mut self, as_of: NaiveDate) -> Result<()> {
        let program = stamp_of(&self.root.join(PROGRAM_FILE));
        let all = self.as_of != Some(as_of) || self.program.as_ref() != Some(&program);
        let folders = case_folders(&self.root);
        let gone: Vec<String> = self
            .cases
            .keys()
            .filter(|k| !folders.iter().any(|(name, _)| name == *k))
            .cloned()
            .collect();
        for name in gone {
            self.cases.remove(&name);
        }
        let changed: Vec<(String, Vec<FileStamp>)> = folders
            .into_iter()
            .filter(|(name, stamp)| all || self.cases.get(name).is_none_or(|c| &c.stamp != stamp))
            .collect();
        if changed.is_empty() && !all {
            return Ok(());
        }
        let paths: Vec<PathBuf> = if all {
            vec![self.root.clone()]
        } else {
            changed
                .iter()
                .map(|(name, _)| self.root.join(name))
                .collect()
        };
        self.read(&paths, changed, as_of)?;
        self.as_of = Some(as_of);
        self.program = Some(program);
        Ok(())
    }

    /// Validates and checks the case folders at `paths` (a batch of cases
    /// at a time, as `check` does), and keeps what they give under the
    /// stamps they were read at.
    fn read(
        &mut self,
        paths: &[PathBuf],
        stamps: Vec<(String, Vec<FileStamp>)>,
        as_of: NaiveDate,
    ) -> Result<()> {
        let root = self.root.clone();
        let folder_name = |path: &Path| -> Option<String> {
            let rel = path.strip_prefix(&root).ok()?;
            let first = rel.components().next()?;
            Some(first.as_os_str().to_string_lossy().to_string())
        };
        let mut made: HashMap<String, CaseSummary> = HashMap::new();
        // The rules about one case, a batch at a time, as `check` runs
        // them; the rule about staff once the cases not read again are
        // counted too.
        let checked = Records::open(paths)?
            .load_later(None)
            .check_cases_in_batches(BATCH, as_of, |batch| {
                for folder in &batch.caseload.cases {
                    if let Some(name) = folder_name(&folder.dir) {
                        made.insert(name.clone(), CaseSummary::of(batch, folder, name, as_of));
                    }
                }
            });
        // The rule about coordinators' certificates, over every case kept
        // (in folder order), those read now and those read before.
        let coordinated: Vec<check::Coordinated> = {
            let mut kept: BTreeMap<&str, Option<&check::Coordinated>> = (self.cases.iter())
                .map(|(name, c)| (name.as_str(), c.coordinated.as_ref()))
                .collect();
            for (name, _) in &stamps {
                let now = made.get(name).and_then(|c| c.coordinated.as_ref());
                kept.insert(name.as_str(), now);
            }
            kept.into_values().flatten().cloned().collect()
        };
        let valid = checked.finish_over(&coordinated);
        // A finding in a case folder is the case's; one beside them (the
        // program file's, the rule about staff's among them) is the
        // caseload's.
        let mut by_folder: HashMap<String, Vec<FindingView>> = HashMap::new();
        let mut general = Vec::new();
        for f in valid.findings() {
            match folder_name(&f.file).filter(|_| f.file.parent() != Some(root.as_path())) {
                Some(name) => (by_folder.entry(name).or_default()).push(FindingView::of(&root, f)),
                None => general.push(f.clone()),
            }
        }
        if let Some(program) = valid.program() {
            self.staff = program
                .staff
                .iter()
                .map(|s| Coordinator {
                    id: s.id.clone(),
                    name: s.name.clone(),
                })
                .collect();
        }
        for (name, stamp) in stamps {
            let mut summary = made
                .remove(&name)
                .unwrap_or_else(|| CaseSummary::unread(name.clone()));
            summary.findings = by_folder.remove(&name).unwrap_or_default();
            summary.stamp = stamp;
            self.cases.insert(name, summary);
        }
        self.general = general.iter().map(|f| FindingView::of(&root, f)).collect();
        Ok(())
    }
}

impl CaseSummary {
    /// The case in `folder` (named `name`) of a batch just validated, its
    /// deadlines as of `as_of` made; its findings and stamp are added once
    /// every batch is in. A case with errors is named from its case file
    /// as written, as far as it can be read.
    fn of(batch: &Valid, folder: &CaseFolder, name: String, as_of: NaiveDate) -> CaseSummary {
        let whole = batch.cases().iter().find(|c| c.dir == folder.dir);
        // A case with errors: what its files without errors give.
        let partial = || batch.partial().iter().find(|c| c.dir == folder.dir);
        if let Some(case) = whole.or_else(partial) {
            let record = &case.record;
            return CaseSummary {
                case_id: record.case.case_id.clone(),
                client: record.case.client_name().to_string(),
                coordinator: record.case.coordinator.clone(),
                valid: whole.is_some(),
                deadlines: batch
                    .program()
                    .map(|program| check::deadlines(program, record, as_of, as_of))
                    .unwrap_or_default(),
                // The rule across cases counts what `check` counts: whole cases.
                coordinated: (batch.program())
                    .filter(|_| whole.is_some())
                    .and_then(|p| check::Coordinated::of(p, case)),
                ..CaseSummary::unread(name)
            };
        }
        // The typed record is not there, and validation kept only the top
        // of the file's value: the case file is read again from its text.
        let written = (folder.files.iter())
            .find(|r| r.kind() == Some(Kind::Case))
            .map(|r| CaseAsWritten::of(r.doc.text()))
            .unwrap_or_default();
        CaseSummary {
            case_id: written.case_id.unwrap_or_else(|| name.clone()),
            client: written.client.unwrap_or_default(),
            coordinator: written.coordinator.unwrap_or_default(),
            ..CaseSummary::unread(name)
        }
    }

    /// A case folder nothing could be read of but its name.
    fn unread(name: String) -> CaseSummary {
        CaseSummary {
            case_id: name.clone(),
            folder: name,
            client: String::new(),
            coordinator: String::new(),
            valid: false,
            deadlines: Vec::new(),
            findings: Vec::new(),
            stamp: Vec::new(),
            coordinated: None,
        }
    }
}

fn stamp_of(path: &Path) -> FileStamp {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match std::fs::metadata(path) {
        Ok(meta) => (name, meta.len(), meta.modified().ok()),
        Err(_) => (name, 0, None),
    }
}

/// The case folders of the records folder (as `load` finds them: folders
/// not hidden, not `templates`, holding a record file), each with the stamp
/// of its record files.
fn case_folders(root: &Path) -> Vec<(String, Vec<FileStamp>)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut folders: Vec<(String, Vec<FileStamp>)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name == "templates" {
                return None;
            }
            let mut stamp: Vec<FileStamp> = std::fs::read_dir(e.path())
                .ok()?
                .filter_map(|f| f.ok())
                .map(|f| f.path())
                .filter(|p| crate::load::is_record_file(p))
                .map(|p| stamp_of(&p))
                .collect();
            stamp.sort();
            (!stamp.is_empty()).then_some((name, stamp))
        })
        .collect();
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    folders
}
