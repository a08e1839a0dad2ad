//! The rules over time as one driver, for `check`, `due`, the desk's
//! caseload (and its partial re-check of the folders that changed) and a
//! case's page alike: the rules about one case run as its batch is
//! validated, the rule about staff (across every case a coordinator
//! coordinates) once every case is in.

use chrono::NaiveDate;

use super::records::{Loaded, Valid};
use crate::check::{Checker, Coordinated, coordinator_certificates};
use crate::finding::{self, Finding};

impl Loaded {
    /// Validates the cases `size` at a time as
    /// [`Loaded::validate_in_batches`] does, and holds each batch's valid
    /// cases to the rules over time as of `as_of` as it comes (the rules
    /// about staff once every case is in), showing `each` the batch first.
    /// Gives what `validate_in_batches` gives, with the rules' findings
    /// among its findings: what [`Valid::check`] finds, in the memory of
    /// one batch. Without a valid program file, no rule is checked.
    pub fn check_in_batches(
        self,
        size: usize,
        as_of: NaiveDate,
        each: impl FnMut(&Valid),
    ) -> Valid {
        self.check_cases_in_batches(size, as_of, each).finish()
    }

    /// The rules about one case, as [`Loaded::check_in_batches`] runs
    /// them; the rule about staff waits for [`Checked::finish`] (over the
    /// cases checked here) or [`Checked::finish_over`] (over the cases a
    /// caller keeps, some checked earlier).
    pub fn check_cases_in_batches(
        self,
        size: usize,
        as_of: NaiveDate,
        mut each: impl FnMut(&Valid),
    ) -> Checked {
        let mut checker = Checker::new(as_of);
        let valid = self.validate_in_batches(size, |batch| {
            each(batch);
            match batch.program() {
                Some(program) => checker.cases(&batch.caseload, program, batch.cases()),
                None => Vec::new(),
            }
        });
        Checked { valid, checker }
    }
}

/// Records validated and held to the rules about each case; the rule
/// about staff still to run.
pub struct Checked {
    valid: Valid,
    checker: Checker,
}

impl Checked {
    /// The rule about staff over every case checked, its findings among
    /// the others in file order: what `check` reports.
    pub fn finish(self) -> Valid {
        let Checked { mut valid, checker } = self;
        if let Some(program) = valid.program() {
            let staff = checker.staff(&valid.caseload, program);
            valid.add_findings(staff);
        }
        valid
    }

    /// The rule about staff over `coordinated` instead: every case a
    /// caller keeps (the desk's caseload, of which only the folders that
    /// changed were checked again), in the order the cases are listed.
    pub fn finish_over(self, coordinated: &[Coordinated]) -> Valid {
        let mut valid = self.valid;
        if let Some(program) = valid.program() {
            let staff = coordinator_certificates(&valid.caseload, program, coordinated);
            valid.add_findings(staff);
        }
        valid
    }
}

impl Valid {
    /// Holds every valid case to the rules over time as of `as_of`, and
    /// gives validation's findings and the rules' together, in file order.
    /// Without a valid program file, no rule is checked.
    pub fn check(&self, as_of: NaiveDate) -> Vec<Finding> {
        let mut findings = self.findings().to_vec();
        if let Some(program) = self.program() {
            let mut checker = Checker::new(as_of);
            findings.extend(checker.cases(&self.caseload, program, self.cases()));
            findings.extend(checker.staff(&self.caseload, program));
            finding::sort(&mut findings);
        }
        findings
    }

    /// Adds findings to validation's, in file order.
    fn add_findings(&mut self, found: Vec<Finding>) {
        self.validated.findings.extend(found);
        finding::sort(&mut self.validated.findings);
    }
}
