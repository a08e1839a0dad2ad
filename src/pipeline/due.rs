//! `due`'s run: each valid case's deadlines worked out as its batch is
//! validated (what `check` holds the records to, as dates to meet), then
//! sorted by coordinator, and the caseload report that prints them, one
//! page per coordinator.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::records::{BATCH, Loaded, Valid};
use crate::check::{self, Deadline};
use crate::error::{Error, Result};
use crate::model::ProgramFile;
use crate::output;
use crate::render::{RenderError, Renderer};
use crate::validate::ValidCase;

/// The days a `due` list covers: overdue dates, and those from `as_of`
/// through `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub as_of: NaiveDate,
    pub until: NaiveDate,
}

/// The deadlines of a caseload, a batch of cases at a time.
pub struct Due {
    /// The records as validated (every finding, the program file).
    pub valid: Valid,
    pub window: Window,
    cases: Vec<CaseDue>,
}

/// One case's deadlines in the window.
#[derive(Serialize)]
pub struct CaseDue {
    pub case_id: String,
    pub client_name: String,
    #[serde(skip)]
    coordinator: String,
    pub deadlines: Vec<DeadlineView>,
    /// The case's records have errors: the case is listed, never hidden,
    /// with the deadlines its files without errors give (none when its
    /// case file has errors).
    pub has_errors: bool,
}

/// A deadline with its place on the report's timeline, 0 at `as_of` and 1
/// at the end of the window (overdue ones sit at 0).
#[derive(Serialize)]
pub struct DeadlineView {
    #[serde(flatten)]
    pub deadline: Deadline,
    at: f64,
}

/// The deadlines of one coordinator's caseload, as the report shows them.
#[derive(Serialize)]
pub struct CoordinatorDue<'a> {
    pub id: &'a str,
    pub name: &'a str,
    credential: &'a crate::model::Text,
    phone: &'a str,
    pub cases: Vec<&'a CaseDue>,
}

impl Loaded {
    /// Validates the cases a batch at a time and works out each valid
    /// case's deadlines overdue or due by the window's end.
    pub fn due(self, window: Window) -> Due {
        let mut cases = Vec::new();
        let mut partial = std::collections::BTreeSet::new();
        let valid = self.validate_in_batches(BATCH, |batch| {
            if let Some(program) = batch.program() {
                let of = |case| CaseDue::of(program, case, window);
                cases.extend(batch.cases().iter().map(of));
                // A case with errors: what its files without errors give.
                for case in batch.partial() {
                    partial.insert(case.dir.clone());
                    cases.push(CaseDue {
                        has_errors: true,
                        ..CaseDue::of(program, case, window)
                    });
                }
            }
            Vec::new()
        });
        // The other cases left out for errors, by what their case file says.
        for dir in (valid.validated.rejected.iter()).filter(|d| !partial.contains(*d)) {
            let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap_or_default();
            let written = crate::records::read::CaseAsWritten::of(&text);
            let folder = dir.file_name().map(|n| n.to_string_lossy().to_string());
            cases.push(CaseDue {
                case_id: written.case_id.or(folder).unwrap_or_default(),
                client_name: written.client.unwrap_or_default(),
                coordinator: written.coordinator.unwrap_or_default(),
                deadlines: Vec::new(),
                has_errors: true,
            });
        }
        Due {
            valid,
            window,
            cases,
        }
    }
}

impl CaseDue {
    /// The case's deadlines overdue or due by the window's end, placed on
    /// the window's timeline.
    fn of(program: &ProgramFile, case: &ValidCase, Window { as_of, until }: Window) -> Self {
        let span = (until - as_of).num_days().max(1) as f64;
        let record = &case.record;
        CaseDue {
            case_id: record.case.case_id.clone(),
            client_name: record.case.client_name().to_string(),
            coordinator: record.case.coordinator.clone(),
            deadlines: check::deadlines(program, record, as_of, until)
                .into_iter()
                .filter(|d| d.overdue || d.date <= until)
                .map(|deadline| DeadlineView {
                    at: ((deadline.date - as_of).num_days() as f64 / span).clamp(0.0, 1.0),
                    deadline,
                })
                .collect(),
            has_errors: false,
        }
    }
}

impl Due {
    /// Per coordinator (in program.yaml order), the cases they coordinate
    /// (in folder order); a case whose coordinator is not on the staff list
    /// is left out. None without a valid program file.
    pub fn by_coordinator(&self) -> Option<Vec<CoordinatorDue<'_>>> {
        let program = self.valid.program()?;
        let mut by_staff: BTreeMap<usize, CoordinatorDue> = BTreeMap::new();
        for case in &self.cases {
            let Some((pos, staff)) =
                (program.staff.iter().enumerate()).find(|(_, s)| s.id == case.coordinator)
            else {
                continue;
            };
            let entry = by_staff.entry(pos).or_insert_with(|| CoordinatorDue {
                id: &staff.id,
                name: &staff.name,
                credential: &staff.credential,
                phone: &staff.phone,
                cases: Vec::new(),
            });
            entry.cases.push(case);
        }
        Some(by_staff.into_values().collect())
    }

    /// Writes the caseload report, one page per coordinator, to `path`.
    /// An error when the renderer cannot be made or the file written; the
    /// report's own failure inside.
    /// `coordinators` is what [`Due::by_coordinator`] gave.
    pub fn write_report(
        &self,
        coordinators: &[CoordinatorDue],
        path: &Path,
    ) -> Result<std::result::Result<(), RenderError>> {
        let Some(program) = self.valid.program() else {
            return Ok(Ok(()));
        };
        let root = &self.valid.caseload.root;
        if output::inside_records(path, root) {
            return Err(Error::Output(format!(
                "the caseload report {} would be inside the records folder {}; write it \
                 elsewhere (--pdf)",
                path.display(),
                root.display()
            )));
        }
        let templates = &self.valid.templates;
        let renderer = Renderer::new(templates.set.clone(), templates.translations.clone())?;
        let report = ReportContext {
            program: &program.program,
            logo: None,
            as_of: self.window.as_of.to_string(),
            until: self.window.until.to_string(),
            coordinators,
        };
        let ctx = minijinja::context! {
            lang => "en",
            ctx => minijinja::Value::from(minijinja::value::Serde(&report)),
        };
        let dated = self.window.as_of.and_time(chrono::NaiveTime::MIN);
        let made = (renderer.source("due.typ.j2", ctx))
            .and_then(|typst| renderer.pdf(typst, "caseload/due".into(), dated));
        match made {
            Ok(pdf) => {
                let new = program.files.new_files();
                output::write_atomic(path, &pdf, new)
                    .map_err(|e| Error::written(path.display(), e))?;
                Ok(Ok(()))
            }
            Err(e) => Ok(Err(e)),
        }
    }
}

/// What `due.typ.j2` is filled with.
#[derive(Serialize)]
struct ReportContext<'a> {
    program: &'a crate::model::Program,
    /// The report carries no logo.
    logo: Option<()>,
    as_of: String,
    until: String,
    coordinators: &'a [CoordinatorDue<'a>],
}
