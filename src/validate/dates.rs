//! Dates that contradict each other across a case's files: an eligibility
//! finding or a contact note before the referral, an exit before the last
//! contact note. Each is an error at the later-written element's line.

use super::ByKind;
use super::messages::spot;
use crate::finding::{Finding, RecordCode, dotted};
use crate::model::{CaseRecord, Kind, day};

pub fn check(record: &CaseRecord, by_kind: &ByKind, findings: &mut Vec<Finding>) {
    let case = &record.case;
    let referral = case.referral_date;
    let file_of = |kind: Kind| by_kind.get(&kind).and_then(|f| f.first().copied());
    let mut error = |file: &crate::load::RecordFile, kind: Kind, pointer: &str, code, message| {
        findings.push(
            Finding::error(&file.path, code, message)
                .at(spot(file, pointer))
                .path(dotted(kind.name(), pointer)),
        );
    };
    if let (Some(found), Some(file)) = (case.eligibility_date, file_of(Kind::Case))
        && found < referral
    {
        error(
            file,
            Kind::Case,
            "/eligibility_date",
            RecordCode::DateOrder,
            format!(
                "`case.eligibility_date` is {}, before the referral of {}; eligibility is found \
                 after the referral (check both dates)",
                day(found),
                day(referral)
            ),
        );
    }
    let contacts = by_kind
        .get(&Kind::Contacts)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for note in &record.contacts {
        let Some(src) = &note.source else { continue };
        let Some(file) = contacts.iter().find(|f| *f.path == *src.file) else {
            continue;
        };
        if note.date < referral {
            error(
                file,
                Kind::Contacts,
                &format!("/notes/{}/date", src.index),
                RecordCode::DateOrder,
                format!(
                    "this contact note is dated {}, before the referral of {} (`case.referral_date`); \
                     check both dates",
                    day(note.date),
                    day(referral)
                ),
            );
        }
    }
    let last = record.contacts.iter().max_by_key(|n| n.date);
    if let (Some(exit), Some(file), Some(last)) = (&record.exit, file_of(Kind::Exit), last)
        && exit.exit_date < last.date
    {
        let place = last
            .source
            .as_ref()
            .map(|s| format!(" in {}", s.file.display()))
            .unwrap_or_default();
        error(
            file,
            Kind::Exit,
            "/exit_date",
            RecordCode::DateOrder,
            format!(
                "`exit.exit_date` is {}, but a contact note of {}{place} comes after it; services \
                 end on the exit date, so the exit is after the last note (check both dates)",
                day(exit.exit_date),
                day(last.date)
            ),
        );
    }
}
