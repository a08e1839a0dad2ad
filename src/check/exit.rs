//! The exit: its notice or letter to the family, and the attempts to reach
//! a family that could not be reached.

use chrono::NaiveDate;

use super::case::{At, CaseCheck, Level, day};
use crate::model::{ContactNote, ExitReason, Kind, RuleId};

/// An exit because the family could not be reached: the letter is dated on
/// or after the last documented attempt.
pub(super) fn exit_notice(c: &mut CaseCheck) {
    let Some(exit) = &c.record.exit else { return };
    if exit.reason != ExitReason::CouldNotReach {
        return;
    }
    let Some(last) = exit.attempts.iter().map(|a| a.date).max() else {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/reason".into()),
            "the family could not be reached, but no attempt to reach them is documented".into(),
        );
        return;
    };
    if exit.letter_date < last {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/letter_date".into()),
            format!(
                "the exit letter is dated {}, before the last attempt to reach the family on {}; the written notice follows the attempts",
                day(exit.letter_date),
                day(last)
            ),
        );
    }
    if exit.letter_date >= exit.exit_date {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/letter_date".into()),
            format!(
                "the exit letter is dated {}, but services end on {}; the letter comes before the exit, so the \
                 family can still call to keep their services",
                day(exit.letter_date),
                day(exit.exit_date)
            ),
        );
    }
    attempts_in_notes(c, exit);
}

/// The attempts an exit letter lists are the ones the contact notes record:
/// each listed attempt has an attempt note on its date, and each attempt
/// note since the last contact that reached the family is listed.
fn attempts_in_notes(c: &mut CaseCheck, exit: &crate::model::ExitRecord) {
    let attempt_on = |d: NaiveDate| {
        c.record
            .contacts
            .iter()
            .any(|n| n.date == d && !n.reached())
    };
    let missing: Vec<(usize, NaiveDate)> = exit
        .attempts
        .iter()
        .enumerate()
        .filter(|(_, a)| !attempt_on(a.date))
        .map(|(i, a)| (i, a.date))
        .collect();
    for (i, date) in missing {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, format!("/attempts/{i}/date")),
            format!(
                "the exit letter lists an attempt on {}, but no contact note records an attempt that day; \
                 record it as a note with `attempt:` so the letter and the notes agree",
                day(date)
            ),
        );
    }
    let last_reached = c
        .record
        .contacts
        .iter()
        .filter(|n| n.reached())
        .map(|n| n.date)
        .max();
    let unlisted: Vec<&ContactNote> = c
        .record
        .contacts
        .iter()
        .filter(|n| !n.reached() && last_reached.is_none_or(|r| n.date > r))
        .filter(|n| n.date <= exit.letter_date)
        .filter(|n| !exit.attempts.iter().any(|a| a.date == n.date))
        .collect();
    for note in unlisted {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::Note(note, "date"),
            format!(
                "this attempt of {} is not among the attempts the exit letter lists; add it to exit.yaml's \
                 `attempts`",
                day(note.date)
            ),
        );
    }
}
