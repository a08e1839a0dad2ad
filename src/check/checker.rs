//! Running the rules over a caseload, a batch of cases at a time.

use chrono::NaiveDate;

use super::case::CaseCheck;
use super::rules;
use super::staff::{self, Coordinated};
use crate::finding::Finding;
use crate::load::Caseload;
use crate::model::ProgramFile;
use crate::validate::ValidCase;

/// The rules over time, run a batch of cases at a time: the rules about
/// one case as each batch comes, the rules about staff (across every case
/// they coordinate) once every batch is in.
pub struct Checker {
    as_of: NaiveDate,
    coordinated: Vec<Coordinated>,
}

impl Checker {
    pub fn new(as_of: NaiveDate) -> Checker {
        Checker {
            as_of,
            coordinated: Vec::new(),
        }
    }

    /// The findings of the rules about each case of `cases` (the cases of
    /// `caseload`); an example case (`example: true`) is not checked.
    pub fn cases(
        &mut self,
        caseload: &Caseload,
        program: &ProgramFile,
        cases: &[ValidCase],
    ) -> Vec<Finding> {
        // Each case on a core of its own (a finding's place is read from
        // its file's text, the costliest part); the results in the cases'
        // order.
        let as_of = self.as_of;
        let checked = crate::parallel::map(cases, |case| {
            if case.record.case.example {
                return (Vec::new(), None);
            }
            let folder = caseload.folder(&case.dir);
            let mut c = CaseCheck::new(&case.record, program, as_of, folder);
            rules::run(&mut c);
            (c.into_findings(), Coordinated::of(program, case))
        });
        let mut findings = Vec::new();
        for (found, coordinated) in checked {
            findings.extend(found);
            self.coordinated.extend(coordinated);
        }
        findings
    }

    /// The findings of the rules about staff, over every case checked.
    pub fn staff(self, caseload: &Caseload, program: &ProgramFile) -> Vec<Finding> {
        staff::coordinator_certificates(caseload, program, &self.coordinated)
    }
}
