//! The next dates a coordinator must meet on each open case, for
//! `casepaper due`: each topic's file says its own (contact this month,
//! the initial plan meeting, the next review and annual meeting, the Part
//! C transition steps and the third birthday, the postpartum transition,
//! notices, services behind plan, signatures owed).

use chrono::NaiveDate;

use super::case::{Deadline, DueDates};
use super::{contact, meetings, notices, services, signatures, transition};
use crate::model::{CaseRecord, ProgramFile};

/// The case's open deadlines on `as_of`, overdue first, then by date. A
/// closed case has none, and a date whose rule the case's profile (or the
/// program) switches off is left out.
pub fn deadlines(program: &ProgramFile, record: &CaseRecord, as_of: NaiveDate) -> Vec<Deadline> {
    if record.case.example || record.exit.as_ref().is_some_and(|e| e.exit_date <= as_of) {
        return Vec::new();
    }
    let mut due = DueDates {
        program,
        state: record.profile(program),
        record,
        as_of,
        out: Vec::new(),
    };
    contact::due(&mut due);
    meetings::due(&mut due);
    transition::due(&mut due);
    services::due(&mut due);
    notices::due(&mut due);
    signatures::due(&mut due);
    let mut out = due.out;
    out.sort_by(|a, b| (!a.overdue, a.date, &a.what).cmp(&(!b.overdue, b.date, &b.what)));
    out
}
