//! What a template sees: the typed record plus what is derived from it
//! (the coordinator's details, notes grouped by month, Part C dates), so that
//! templates only lay out and never compute.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::{Document, Stamp};
use crate::check::transition::PartCTransition;
use crate::model::{
    CaseFile, CaseRecord, ConsentEvent, ContactNote, ExitRecord, Kind, PartCDates, PlanFile,
    Program, ProgramFile, ServiceRow, Signature, Staff, TransitionPlan, month_start,
};

#[derive(Serialize)]
pub struct DocumentContext<'a> {
    doc: DocInfo<'a>,
    program: &'a Program,
    /// The logo's file name in the template set and its alternative text.
    logo: Option<LogoView<'a>>,
    coordinator: Option<&'a Staff>,
    case: &'a CaseFile,
    client_name: &'a str,
    plan: Option<&'a PlanFile>,
    /// The consent event a consent form is for.
    consent: Option<&'a ConsentEvent>,
    services: BTreeMap<&'a str, &'a ServiceRow>,
    months: Vec<MonthOfNotes<'a>>,
    transition: Option<&'a TransitionPlan>,
    part_c: Option<PartCDates>,
    /// A Part C child's transition by the branches of 303.209.
    part_c_transition: Option<PartCTransition>,
    exit: Option<&'a ExitRecord>,
    /// Where this family takes a complaint.
    complaints: &'a str,
    /// The newest date in the records the document is made from: what the
    /// footer calls the record date.
    record_date: NaiveDate,
}

#[derive(Serialize)]
struct LogoView<'a> {
    path: String,
    description: &'a str,
}

#[derive(Serialize)]
struct DocInfo<'a> {
    kind: &'static str,
    /// The first digits of the inputs' fingerprint, for the footer.
    fingerprint: &'a str,
    /// The short commit id of the records, when committed.
    commit: Option<&'a str>,
    uncommitted: bool,
    /// The PDF keywords recording the fingerprint and each input's digest.
    keywords: &'a [String],
    /// Signatures still owed: the document prints as a draft while any are.
    owed: Vec<&'a Signature>,
}

/// One calendar month of contact notes; `notes` is empty for a month without
/// contact, which the contact sheet shows as such.
#[derive(Serialize)]
struct MonthOfNotes<'a> {
    month: String,
    notes: Vec<NoteView<'a>>,
    /// Every note of the month is an attempt that reached no one.
    attempts_only: bool,
}

#[derive(Serialize)]
struct NoteView<'a> {
    #[serde(flatten)]
    note: &'a ContactNote,
    signer: Option<&'a Staff>,
}

pub fn document<'a>(
    program: &'a ProgramFile,
    record: &'a CaseRecord,
    document: &Document,
    stamp: &'a Stamp,
) -> DocumentContext<'a> {
    let case = &record.case;
    // Only what the document reads (its fingerprint covers exactly that).
    let reads = document.kind.reads();
    let has = |kind: Kind| reads.contains(&kind);
    let plan = record.plan.as_ref().filter(|_| has(Kind::Plan));
    let part_c = match (case.part_c, &case.child) {
        (true, Some(child)) => Some(PartCDates::for_child(child)),
        _ => None,
    };
    DocumentContext {
        doc: DocInfo {
            kind: document.kind.name(),
            fingerprint: &stamp.fingerprint,
            commit: stamp.commit.as_deref(),
            uncommitted: stamp.uncommitted,
            keywords: &stamp.keywords,
            owed: document
                .owed_signatures(record)
                .into_iter()
                .map(|o| o.signature)
                .collect(),
        },
        program: &program.program,
        logo: program.program.logo.as_ref().map(|l| LogoView {
            path: l.asset_name(),
            description: &l.description,
        }),
        coordinator: program.staff(&case.coordinator),
        case,
        client_name: case.client_name(),
        plan,
        consent: document.consent.and_then(|i| plan?.consents.get(i)),
        services: plan
            .iter()
            .flat_map(|p| &p.services)
            .map(|s| (s.id.as_str(), s))
            .collect(),
        months: if has(Kind::Contacts) {
            months_of_notes(program, record)
        } else {
            Vec::new()
        },
        transition: record.transition.as_ref().filter(|_| has(Kind::Transition)),
        part_c,
        part_c_transition: PartCTransition::of(record, program),
        exit: record.exit.as_ref().filter(|_| has(Kind::Exit)),
        complaints: program.program.complaints_for(case.state),
        record_date: record.newest_date(reads),
    }
}

/// Every calendar month from the first note (or the referral) to the last
/// note (or the exit), with that month's notes, oldest first.
fn months_of_notes<'a>(program: &'a ProgramFile, record: &'a CaseRecord) -> Vec<MonthOfNotes<'a>> {
    let Some(last_note) = record.contacts.last() else {
        return Vec::new();
    };
    let first = record
        .contacts
        .first()
        .map_or(record.case.referral_date, |n| n.date)
        .min(record.case.referral_date);
    let mut last = last_note.date;
    if let Some(exit) = &record.exit {
        last = last.max(exit.exit_date);
    }
    let mut months = Vec::new();
    let mut month = month_start(first);
    while month <= last {
        let next = month + Months::new(1);
        let notes: Vec<NoteView> = record
            .contacts
            .iter()
            .filter(|n| n.date >= month && n.date < next)
            .map(|note| NoteView {
                note,
                signer: program.staff(&note.signed.by),
            })
            .collect();
        months.push(MonthOfNotes {
            month: month.format("%Y-%m").to_string(),
            attempts_only: !notes.is_empty() && notes.iter().all(|n| !n.note.reached()),
            notes,
        });
        month = next;
    }
    months
}
