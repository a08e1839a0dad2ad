//! The exit: recorded once services have ended (`exit-recorded`), ending
//! every service by its date and a Part C child's before the third birthday
//! (`services-end`), its letter to the family, and the attempts to reach a
//! family that could not be reached (`exit-notice`); `due` lists the exit a
//! case owes when its services end.

use chrono::NaiveDate;

use super::case::{At, CaseCheck, DueDates, Level, day, soon};
use crate::model::transition::PartCTransition;
use crate::model::{CaseRecord, ContactNote, ExitReason, Kind, ProgramFile, RuleId, ServiceRow};

/// Why a case's services end when they do, in a coordinator's words, and
/// the exit reason that fits: a Part C child's at three (or the school
/// year, under EIS Over 3); any other plan's when its last service ends.
fn services_end_why(
    record: &CaseRecord,
    program: &ProgramFile,
    end: NaiveDate,
) -> (String, ExitReason) {
    match PartCTransition::of(record, program) {
        Some(t) if t.eis_over_3 => (
            format!(
                "Part C services end on {}, the day before the school year begins (EIS Over 3)",
                day(t.services_end)
            ),
            ExitReason::TurnedThree,
        ),
        Some(t) => (
            format!(
                "Part C services end on {}, the day before the third birthday ({}; 303.21)",
                day(t.services_end),
                day(t.dates.third_birthday)
            ),
            ExitReason::TurnedThree,
        ),
        None => (
            format!(
                "the plan's services end on {}, the last end date of its services",
                day(end)
            ),
            ExitReason::Completed,
        ),
    }
}

/// Whether the case owes an exit when its services end: it has none yet,
/// and the child was not found not eligible (that notice closes the case).
fn owes_exit(record: &CaseRecord) -> bool {
    record.exit.is_none() && record.case.eligible != Some(false)
}

/// A case whose services have ended records its exit: a notice as the end
/// comes near, a finding from the day after the last day of services. A
/// closed case owes nothing else.
pub(super) fn exit_recorded(c: &mut CaseCheck) {
    if !owes_exit(c.record) {
        return;
    }
    let Some(end) = c.record.services_ended(c.program) else {
        return;
    };
    let (why, reason) = services_end_why(c.record, c.program, end);
    let at = if c.record.case.part_c {
        At::File(Kind::Case, "/child/date_of_birth".into())
    } else {
        At::File(Kind::Plan, "/services".into())
    };
    let record_it = format!(
        "record the exit in exit.yaml (reason {reason}, exit_date {end}) and send the family its exit letter"
    );
    if c.as_of > end {
        c.report(
            RuleId::ExitRecorded,
            Level::Broken,
            at,
            format!("{why}, and no exit is recorded; {record_it}"),
        );
    } else if soon(c, end) {
        c.report(
            RuleId::ExitRecorded,
            Level::Soon,
            at,
            format!("{why}; {record_it} by then"),
        );
    }
}

/// Where a service's end date was last written: its last change that
/// sets one, else the row's own `end_date`.
fn end_pointer(i: usize, s: &ServiceRow) -> String {
    match s.changes.iter().rposition(|ch| ch.end_date.is_some()) {
        Some(j) => format!("/services/{i}/changes/{j}/end_date"),
        None => format!("/services/{i}/end_date"),
    }
}

/// Every service ends by the exit, and a Part C child's before the third
/// birthday (or the school year, under EIS Over 3): the plan plans no
/// service past three, none starting after the exit and none running past
/// it (a change on the exit date that only ends the service needs no
/// meeting; `validate` already refuses a note after the exit); a "turned
/// three" exit is dated on the last day of services at the latest.
pub(super) fn services_end(c: &mut CaseCheck) {
    let last_part_c = c.record.services_end(c.program);
    let exit = c.record.exit.as_ref().map(|e| e.exit_date);
    let mut found: Vec<(String, String)> = Vec::new();
    for (i, s) in c
        .record
        .plan
        .iter()
        .flat_map(|p| p.services.iter().enumerate())
    {
        let row = s.current();
        let planned = match row.end_date {
            Some(end) => format!("is planned until {}", day(end)),
            None => "has no end date".to_string(),
        };
        let past_part_c = last_part_c.filter(|last| row.end_date.is_some_and(|e| e > *last));
        if let Some(last) = past_part_c {
            let (why, _) = services_end_why(c.record, c.program, last);
            found.push((
                end_pointer(i, s),
                format!(
                    "`{}` {planned}, but {why}: end it on or before {}",
                    s.id,
                    day(last)
                ),
            ));
        } else if let Some(exit) = exit
            && row.start_date > exit
        {
            found.push((
                format!("/services/{i}/start_date"),
                format!(
                    "`{}` starts on {}, after the exit on {}; an exit ends every service, and none \
                     starts after it",
                    s.id,
                    day(row.start_date),
                    day(exit)
                ),
            ));
        } else if let Some(exit) = exit
            && row.end_date.is_none_or(|end| end > exit)
        {
            let past = match row.end_date {
                Some(end) => format!("is planned until {}, past", day(end)),
                None => "has no end date, so it runs past".to_string(),
            };
            found.push((
                end_pointer(i, s),
                format!(
                    "`{}` {past} the exit on {}; an exit ends every service: end it on that day (a \
                     change of that day with only `end_date: {exit}`, which needs no meeting)",
                    s.id,
                    day(exit)
                ),
            ));
        }
    }
    for (pointer, message) in found {
        c.report(
            RuleId::ServicesEnd,
            Level::Broken,
            At::File(Kind::Plan, pointer),
            message,
        );
    }
    if let (Some(exit), Some(last)) = (exit, last_part_c)
        && exit > last
    {
        let (why, _) = services_end_why(c.record, c.program, last);
        c.report(
            RuleId::ServicesEnd,
            Level::Broken,
            At::File(Kind::Exit, "/exit_date".into()),
            format!(
                "the exit is dated {}, but {why}; the exit date is the last day of services: {} at \
                 the latest",
                day(exit),
                day(last)
            ),
        );
    }
}

/// The exit a case owes when its services end, by their last day, and the
/// records a transfer still owes the program the family chose.
pub(super) fn due(due: &mut DueDates) {
    if let Some(exit) = &due.record.exit
        && let (Some(transfer), Some(next)) = (&exit.transfer, &exit.next_program)
        && exit.reason == ExitReason::Transferred
        && transfer.sent_on.is_none()
    {
        due.add(
            RuleId::TransferRecords,
            exit.exit_date,
            format!(
                "hand the records over to {} (casepaper export)",
                next.name.trim()
            ),
        );
    }
    if !owes_exit(due.record) {
        return;
    }
    let Some(end) = due.record.services_ended(due.program) else {
        return;
    };
    let what = match PartCTransition::of(due.record, due.program) {
        Some(t) if t.eis_over_3 => {
            "record the exit and send its letter: Part C services end (the school year begins, EIS Over 3)"
        }
        Some(_) => {
            "record the exit and send its letter: Part C services end (the day before the third birthday)"
        }
        None => "record the exit and send its letter: the plan's last service ends",
    };
    due.add(RuleId::ExitRecorded, end, what.into());
}

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

/// A family that chose another program: its records are handed over by the
/// exit (seed 000: "the initial service coordinator is responsible for
/// transferring all information"), on the parent's consent to release them
/// to that program (303.414), never before it.
pub(super) fn transfer_records(c: &mut CaseCheck) {
    let Some(exit) = &c.record.exit else { return };
    let (Some(transfer), Some(next)) = (&exit.transfer, &exit.next_program) else {
        return;
    };
    if exit.reason != ExitReason::Transferred {
        return;
    }
    let program = next.name.trim();
    let on_the_day: Vec<&crate::model::ConsentEvent> = c
        .record
        .consents()
        .map(|(_, _, consent)| consent)
        .filter(|consent| consent.date == transfer.release_on && !consent.release.is_empty())
        .collect();
    let names_program = |r: &crate::model::Release| r.recipient.mentions(program);
    if on_the_day.is_empty() {
        c.report(
            RuleId::TransferRecords,
            Level::Broken,
            At::File(Kind::Exit, "/transfer/release_on".into()),
            format!(
                "the transfer rests on a consent of {} to release the records to {program}, but no consent of \
                 that day releases records; record it in case.yaml's or plan.yaml's `consents` with `release` \
                 naming {program}",
                day(transfer.release_on)
            ),
        );
    } else if !on_the_day
        .iter()
        .any(|consent| consent.release.iter().any(names_program))
    {
        c.report(
            RuleId::TransferRecords,
            Level::Broken,
            At::File(Kind::Exit, "/transfer/release_on".into()),
            format!(
                "the consent of {} releases records, but not to {program}: its `release` names no recipient \
                 with that name; the records go only where the parent consented",
                day(transfer.release_on)
            ),
        );
    }
    match transfer.sent_on {
        Some(sent) if sent < transfer.release_on => c.report(
            RuleId::TransferRecords,
            Level::Broken,
            At::File(Kind::Exit, "/transfer/sent_on".into()),
            format!(
                "the records were handed over on {}, before the parent's consent of {} to release them",
                day(sent),
                day(transfer.release_on)
            ),
        ),
        Some(_) => {}
        None if c.as_of > exit.exit_date => c.report(
            RuleId::TransferRecords,
            Level::Broken,
            At::File(Kind::Exit, "/transfer".into()),
            format!(
                "the family chose {program}, and services here ended on {}, but the records are not handed \
                 over yet: send them (casepaper export makes the folder) and give the date as `sent_on`",
                day(exit.exit_date)
            ),
        ),
        None if soon(c, exit.exit_date) => c.report(
            RuleId::TransferRecords,
            Level::Soon,
            At::File(Kind::Exit, "/transfer".into()),
            format!(
                "the family chose {program}: hand the records over by {}, when services here end (casepaper \
                 export makes the folder), and give the date as `sent_on`",
                day(exit.exit_date)
            ),
        ),
        None => {}
    }
}
