//! The caseload as the server keeps it: each case's deadlines (what `due`
//! computes) and findings (`validate` and `check`), made again only for
//! the case folders whose files changed since the last request.
//!
//! A case folder's stamp is the name, size and modification time of each of
//! its record files; the program file's stamp, or another day, makes every
//! case again. So the caseload page of a large program answers from memory,
//! and a save is seen on the next request.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use serde::Serialize;

use crate::build::Program;
use crate::check::{self, Deadline};
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::load::PROGRAM_FILE;

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
            code: f.code,
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

    /// Validates and checks the case folders at `paths`, and keeps what
    /// they give under the stamps they were read at.
    fn read(
        &mut self,
        paths: &[PathBuf],
        stamps: Vec<(String, Vec<FileStamp>)>,
        as_of: NaiveDate,
    ) -> Result<()> {
        let valid = Program::open(paths)?.load(None).validate();
        let findings = valid.check(as_of);
        let root = &self.root;
        let in_folder = |f: &Finding| {
            f.file
                .strip_prefix(root)
                .ok()
                .and_then(|rel| rel.components().next())
                .filter(|_| f.file.parent() != Some(root))
                .map(|c| c.as_os_str().to_string_lossy().to_string())
        };
        self.general = findings
            .iter()
            .filter(|f| in_folder(f).is_none())
            .map(|f| FindingView::of(root, f))
            .collect();
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
            let dir = root.join(&name);
            let typed = valid.cases().iter().find(|c| c.dir == dir);
            let raw = valid.caseload.folder(&dir).and_then(|f| {
                f.files
                    .iter()
                    .find(|r| r.kind_name() == Some("case"))
                    .map(|r| r.doc.value.clone())
            });
            let field = |key: &str| {
                raw.as_ref()
                    .and_then(|v| v.get(key)?.as_str().map(str::to_string))
            };
            let summary = CaseSummary {
                case_id: typed
                    .map(|c| c.record.case.case_id.clone())
                    .or_else(|| field("case_id"))
                    .unwrap_or_else(|| name.clone()),
                client: typed
                    .map(|c| c.record.case.client_name().to_string())
                    .or_else(|| {
                        raw.as_ref()?
                            .pointer("/child/name")?
                            .as_str()
                            .map(str::to_string)
                    })
                    .unwrap_or_default(),
                coordinator: typed
                    .map(|c| c.record.case.coordinator.clone())
                    .or_else(|| field("coordinator"))
                    .unwrap_or_default(),
                valid: typed.is_some(),
                deadlines: match (valid.program(), typed) {
                    (Some(program), Some(case)) => check::deadlines(program, &case.record, as_of),
                    _ => Vec::new(),
                },
                findings: findings
                    .iter()
                    .filter(|f| in_folder(f).as_deref() == Some(name.as_str()))
                    .map(|f| FindingView::of(root, f))
                    .collect(),
                folder: name.clone(),
                stamp,
            };
            self.cases.insert(name, summary);
        }
        Ok(())
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
                .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
                .map(|p| stamp_of(&p))
                .collect();
            stamp.sort();
            (!stamp.is_empty()).then_some((name, stamp))
        })
        .collect();
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    folders
}
