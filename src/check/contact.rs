//! Contact with the family: a service coordination contact every month
//! (Connecticut), each note signed by whoever wrote it, and Vermont's
//! minimum documentation; `due` lists this month's contact until a note
//! documents it.

use chrono::{Days, Months, NaiveDate};

use super::case::{At, CaseCheck, DueDates, Level, day, month, soon};
use crate::model::{
    CaseRecord, ContactKind, ContactNote, ExitReason, Kind, ProgramFile, RuleId, month_start,
};

/// Where a missing contact is reported: the notes of the first contacts
/// file, or the case file when there is none.
fn contacts_at(c: &CaseCheck) -> At<'static> {
    if c.record.contacts.is_empty() {
        At::File(Kind::Case, "/referral_date".into())
    } else {
        At::File(Kind::Contacts, "/notes".into())
    }
}

/// Each calendar month after the referral month that the case was open all
/// of (through its last day, up to the exit or the day before `--as-of`)
/// has at least one service coordination note that reached the family. A
/// month of attempts only is `contact-attempts-only` instead.
pub(super) fn monthly_contact(c: &mut CaseCheck) {
    let referral = c.record.case.referral_date;
    let last_open = if c.is_open() {
        c.as_of - Days::new(1)
    } else {
        c.open_until()
    };
    let mut m = month_start(referral) + Months::new(1);
    loop {
        let next = m + Months::new(1);
        let month_end = next - Days::new(1);
        if month_end > last_open {
            break;
        }
        if !has_contact(c.record, c.program, m, next) {
            let attempts: Vec<&ContactNote> = notes_in(c, m, next).collect();
            if attempts.is_empty() {
                no_contact(c, m);
            } else {
                attempts_only(c, m, &attempts);
            }
        }
        m = next;
    }
    // The month in progress: a notice while it still has no contact, if
    // the case will be open all of it.
    let next = m + Months::new(1);
    let month_end = next - Days::new(1);
    if c.is_open()
        && last_owed_day(c.record, c.program).is_none_or(|last| month_end <= last)
        && m <= c.as_of
        && !has_contact(c.record, c.program, m, next)
        && soon(c, month_end)
    {
        c.report(
            RuleId::MonthlyContact,
            Level::Soon,
            contacts_at(c),
            format!(
                "no contact is documented yet in {}; one is due by {}",
                month(m),
                day(month_end)
            ),
        );
    }
}

/// The case's notes from `from` until before `until`.
fn notes_in<'a>(
    c: &CaseCheck<'a>,
    from: NaiveDate,
    until: NaiveDate,
) -> impl Iterator<Item = &'a ContactNote> {
    c.record
        .contacts
        .iter()
        .filter(move |n| n.date >= from && n.date < until)
}

/// Whether a note from `from` until before `until` counts as service
/// coordination (an attempt does not, unless the program counts them).
/// The rule and its due date both ask this.
fn has_contact(
    record: &CaseRecord,
    program: &ProgramFile,
    from: NaiveDate,
    until: NaiveDate,
) -> bool {
    (record.contacts.iter())
        .any(|n| n.date >= from && n.date < until && program.check.counts_as_contact(n))
}

/// A month without any note: at the last note before the gap, where the
/// next belongs.
fn no_contact(c: &mut CaseCheck, m: NaiveDate) {
    let record = c.record;
    let (at, after) = match record.contacts.iter().rfind(|n| n.date < m) {
        Some(note) => (
            At::Note(note, ""),
            format!(" (the last note before it is of {})", day(note.date)),
        ),
        None => (contacts_at(c), String::new()),
    };
    c.report(
        RuleId::MonthlyContact,
        Level::Broken,
        at,
        format!(
            "no service coordination contact is documented in {}{after}; \
             while a case is open, document at least one contact every month",
            month(m)
        ),
    );
}

/// A month whose notes are all attempts that reached no one: at the first
/// attempt, naming them all. Attempts that end in an exit for inability to
/// contact, with no contact between them and the exit, are that exit's
/// documentation, not a gap.
fn attempts_only(c: &mut CaseCheck, m: NaiveDate, attempts: &[&ContactNote]) {
    if let Some(exit) = &c.record.exit
        && exit.reason == ExitReason::CouldNotReach
        && !c
            .record
            .contacts
            .iter()
            .any(|n| n.reached() && n.date >= m && n.date <= exit.exit_date)
    {
        return;
    }
    let named: Vec<String> = attempts
        .iter()
        .map(|n| {
            let what = n.attempt.map_or("attempt", |a| a.words());
            format!("{}: {what}", day(n.date))
        })
        .collect();
    c.report(
        RuleId::ContactAttemptsOnly,
        Level::Broken,
        At::Note(attempts[0], "/attempt"),
        format!(
            "in {} the only notes are attempts that reached no one ({}); an attempt is not \
             the month's service coordination: document a contact that reaches the family, \
             or an exit if the family cannot be reached",
            month(m),
            named.join("; ")
        ),
    );
}

/// Every note is signed by the case's coordinator (the one then, for a
/// note from before `coordinator_since`), on or after the contact.
pub(super) fn note_signed(c: &mut CaseCheck) {
    let coordinator = c.record.case.coordinator.clone();
    let since = c.record.case.coordinator_since;
    let record = c.record;
    for note in &record.contacts {
        let before_this_one = since.is_some_and(|since| note.date < since);
        if note.signed.by != coordinator && !before_this_one {
            let name = c
                .program
                .staff(&note.signed.by)
                .map_or(note.signed.by.clone(), |s| s.name.clone());
            let whose = match since {
                Some(since) => format!("the case's coordinator since {} is", day(since)),
                None => "the case's coordinator is".to_string(),
            };
            c.report(
                RuleId::NoteSigned,
                Level::Broken,
                At::Note(note, "/signed/by"),
                format!(
                    "the note of {} is signed by {name}, but {whose} `{coordinator}`; \
                     contact notes are signed by the family's service coordinator",
                    day(note.date)
                ),
            );
        }
        if note.signed.on < note.date {
            c.report(
                RuleId::NoteSigned,
                Level::Broken,
                At::Note(note, "/signed/on"),
                format!(
                    "the note of {} is signed on {}, before the contact took place",
                    day(note.date),
                    day(note.signed.on)
                ),
            );
        }
    }
}

/// A case that ended after three or fewer visits still has its plan:
/// consent, services grid and outcomes page.
pub(super) fn minimum_documentation(c: &mut CaseCheck) {
    let Some(_) = &c.record.exit else { return };
    let visits = c
        .record
        .contacts
        .iter()
        .filter(|n| n.kind == ContactKind::Visit)
        .count();
    if visits <= 3 && c.record.plan.is_none() {
        c.report(
            RuleId::MinimumDocumentation,
            Level::Broken,
            At::File(Kind::Exit, "/reason".into()),
            format!(
                "services ended after {visits} visit{} and the case has no plan; even then the record keeps the consent, services grid and outcomes page (add plan.yaml)",
                if visits == 1 { "" } else { "s" }
            ),
        );
    }
}

/// The last day the records say the case will be open, if they say: its
/// exit, or the end of its services. A month that ends after it owes no
/// contact.
fn last_owed_day(record: &CaseRecord, program: &ProgramFile) -> Option<NaiveDate> {
    let exit = record.exit.as_ref().map(|e| e.exit_date);
    exit.into_iter().chain(record.services_ended(program)).min()
}

/// This month's service coordination contact, until a note documents it,
/// and each later month's that ends by the end of the window; a month the
/// case will not be open all of (it exits, or its services end, before the
/// month's last day) owes none, as `monthly-contact` holds it.
pub(super) fn due(due: &mut DueDates) {
    let (record, as_of) = (due.record, due.as_of);
    let last_open = last_owed_day(record, due.program);
    let mut month = month_start(as_of);
    loop {
        let next = month + Months::new(1);
        let month_end = next - Days::new(1);
        if last_open.is_some_and(|last| month_end > last) {
            break;
        }
        if month > as_of && month_end > due.until {
            break;
        }
        // Only what had happened by `as_of` counts: the records may be newer.
        let until = next.min(as_of + Days::new(1));
        if month > as_of || !has_contact(record, due.program, month, until) {
            due.add(
                RuleId::MonthlyContact,
                month_end,
                format!("service coordination contact for {}", month.format("%B %Y")),
            );
        }
        month = next;
    }
}
