//! The next dates a coordinator must meet on each open case, for
//! `casepaper due`: each topic's file says its own (contact this month,
//! the initial plan meeting, the next review and annual meeting, the Part
//! C transition steps and the end of services, the postpartum transition,
//! notices, services behind plan, the exit once services end, signatures
//! owed, requests to see the record).

use chrono::NaiveDate;

use super::case::{Deadline, DueDates};
use super::{contact, exit, meetings, notices, records, services, signatures, transition};
use crate::model::life::Closing;
use crate::model::{CaseRecord, ProgramFile};

/// The case's deadlines on `as_of`, overdue first, then by date; the
/// monthly contacts of the months that end by `until` as well. A case
/// closed by a finding of not eligible has none, and one closed by its
/// exit only the records a transfer still owes; one whose services ended
/// without an exit owes its exit and the signatures still missing. A date whose rule the case's profile (or the program) switches
/// off is left out.
pub fn deadlines(
    program: &ProgramFile,
    record: &CaseRecord,
    as_of: NaiveDate,
    until: NaiveDate,
) -> Vec<Deadline> {
    let closed = record.closed(program, as_of).map(|c| c.by);
    if record.case.example || closed == Some(Closing::NotEligible) {
        return Vec::new();
    }
    let mut due = DueDates {
        program,
        state: record.profile(program),
        record,
        as_of,
        until,
        out: Vec::new(),
    };
    if closed.is_none() {
        contact::due(&mut due);
        meetings::due(&mut due);
        transition::due(&mut due);
        services::due(&mut due);
        notices::due(&mut due);
    }
    exit::due(&mut due);
    // A parent may ask to see the record after the exit too.
    records::due(&mut due);
    if closed != Some(Closing::Exit) {
        signatures::due(&mut due);
    }
    let mut out = due.out;
    out.sort_by(|a, b| (!a.overdue, a.date, &a.what).cmp(&(!b.overdue, b.date, &b.what)));
    out
}
