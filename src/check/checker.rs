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
        let mut findings = Vec::new();
        for case in cases.iter().filter(|c| !c.record.case.example) {
            let mut c = CaseCheck::new(
                &case.record,
                program,
                self.as_of,
                caseload.folder(&case.dir),
            );
            rules::run(&mut c);
            findings.extend(c.into_findings());
            self.coordinated.extend(Coordinated::of(program, case));
        }
        findings
    }

    /// The findings of the rules about staff, over every case checked.
    pub fn staff(self, caseload: &Caseload, program: &ProgramFile) -> Vec<Finding> {
        staff::coordinator_certificates(caseload, program, &self.coordinated)
    }
}
