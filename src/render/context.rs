//! What a template sees: the typed record plus what is derived from it
//! (the coordinator's details, notes grouped by month, Part C dates), so that
//! templates only lay out and never compute.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::{DocKind, Document, Stamp};
use crate::model::transition::PartCTransition;
use crate::model::{
    AccessFile, CaseFile, CaseRecord, ConsentEvent, ConsentedService, ContactNote, ExitRecord,
    FamilyDelay, FamilyMember, Kind, Meeting, MeetingNotice, MeetingType, NoticeAction, PartCDates,
    PlanFile, PlanVersion, Policies, PriorWrittenNotice, Program, ProgramFile, Signature, Staff,
    State, Text, TransitionPlan, month_start,
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
    /// The state whose words the documents use (the plan's title).
    state: State,
    /// The plan as the document shows it: as of its meeting for a plan
    /// document, as of its date for a consent form, else as the last
    /// meeting left it.
    version: Option<PlanVersion<'a>>,
    /// The meeting a plan document is for, and who signs its plan.
    meeting: Option<&'a Meeting>,
    /// The initial meeting's delay the family asked for, on its plan.
    family_delay: Option<&'a FamilyDelay>,
    plan_signatures: &'a [Signature],
    /// The consent occasion a consent form is for...
    consent: Option<&'a ConsentEvent>,
    /// ...what its form is titled by (see `ConsentEvent::subject`), and the
    /// services it covers, as they stood on its date.
    consent_subject: Option<&'static str>,
    /// The family has decided on it (signed): only then are its decisions
    /// ticked (see `ConsentEvent::decided`).
    consent_decided: bool,
    consent_services: Vec<ConsentedService>,
    months: Vec<MonthOfNotes<'a>>,
    transition: Option<&'a TransitionPlan>,
    part_c: Option<PartCDates>,
    /// A Part C child's transition by the branches of 303.209.
    part_c_transition: Option<PartCTransition>,
    exit: Option<&'a ExitRecord>,
    /// The prior written notice a notice document is for, and the services
    /// it proposes to start or change (as before -> after).
    notice: Option<&'a PriorWrittenNotice>,
    notice_services: Vec<ConsentedService>,
    /// The meeting notice a meeting notice document is for, and whether
    /// the meeting it announces is the transition conference.
    meeting_notice: Option<&'a MeetingNotice>,
    conference: bool,
    /// The record of access: who outside the program saw the records
    /// (303.406) and the parent's requests to see them...
    access: Option<&'a AccessFile>,
    /// ...and each release of records the parent consented to, oldest first.
    releases: Vec<ReleaseView<'a>>,
    /// The day of the notification about public benefits or insurance
    /// that a public benefits notice is (303.520(a)(3)).
    public_notification: Option<NaiveDate>,
    /// Whose rights the family has: `part-c` (the procedural safeguards)
    /// or `state` (the state program's grievance process, `grievance`).
    rights: &'static str,
    grievance: Option<&'a Text>,
    /// An exit for inability to contact: the last day the family can call
    /// to keep services (the day before they end).
    exit_call_by: Option<NaiveDate>,
    /// The day the records are no longer needed (303.416).
    retention_until: Option<NaiveDate>,
    /// Where this family takes a complaint.
    complaints: &'a Text,
    /// The state's choices this family's rights and insurance papers print.
    policies: PoliciesView<'a>,
    /// The day the document is of: what the footer calls the record date
    /// (see `Document::record_date`).
    record_date: NaiveDate,
    /// Whom this copy is for: the family members who read its language.
    readers: Vec<&'a FamilyMember>,
    /// Each family member's relationship by name, which a parent's
    /// signature line gives instead of "parent".
    relationships: BTreeMap<&'a str, &'a Text>,
}

impl<'a> DocInfo<'a> {
    fn of(document: &Document, record: &'a CaseRecord, stamp: &'a Stamp) -> DocInfo<'a> {
        DocInfo {
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
        }
    }
}

/// The day an exited family's records are no longer needed: the program's
/// retention period after the exit (303.416).
fn retention_until(program: &ProgramFile, record: &CaseRecord) -> Option<NaiveDate> {
    let exit = record.exit.as_ref()?;
    let years = program.program.retention_years?;
    exit.exit_date.checked_add_months(Months::new(12 * years))
}

/// The services a notice proposes to start (as of its date) or change.
fn notice_services(plan: &PlanFile, notice: &PriorWrittenNotice) -> Vec<ConsentedService> {
    match notice.action {
        NoticeAction::Services => plan
            .as_of(notice.date)
            .services
            .into_iter()
            .filter(|s| plan.started_by_notice().any(|(_, p)| p.id == s.id))
            .map(|s| ConsentedService {
                id: s.id.clone(),
                decision: Some(crate::model::Decision::Accepted),
                service: s,
                before: None,
                changed: Vec::new(),
            })
            .collect(),
        NoticeAction::Change => plan.changed_at(notice.date),
        _ => Vec::new(),
    }
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
    let item = |kind: DocKind| document.item.filter(|_| document.kind == kind);
    let notices = record.notices.as_ref().filter(|_| has(Kind::Notices));
    let notice = item(DocKind::Notice).and_then(|i| notices?.prior_written.get(i));
    let meeting_notice = item(DocKind::MeetingNotice).and_then(|i| notices?.meetings.get(i));
    let meeting = match meeting_notice {
        Some(n) => plan.and_then(|p| p.meetings.iter().find(|m| m.date == n.date)),
        None => item(DocKind::Plan).and_then(|i| plan?.meetings.get(i)),
    };
    let consent = item(DocKind::Consent)
        .and_then(|i| record.consents().nth(i))
        .map(|(_, _, c)| c);
    let coordinator = program.staff(&case.coordinator);
    // A plan document shows the transition plan once it is written.
    let transition = record
        .transition
        .as_ref()
        .filter(|_| has(Kind::Transition))
        .filter(|t| meeting.is_none_or(|m| t.written_on <= m.date));
    let version = plan.map(|p| match (meeting, consent) {
        (Some(m), _) => p.as_of(m.date),
        (_, Some(c)) => p.as_of(c.date),
        _ => p.current(),
    });
    let part_c = match (case.part_c, &case.child) {
        (true, Some(child)) => Some(PartCDates::for_child(child)),
        _ => None,
    };
    DocumentContext {
        doc: DocInfo::of(document, record, stamp),
        program: &program.program,
        logo: LogoView::of(program),
        coordinator,
        case,
        client_name: case.client_name(),
        state: record.profile(program),
        version,
        meeting,
        family_delay: plan
            .and_then(|p| p.family_delay.as_ref())
            .filter(|_| meeting.is_some_and(|m| m.kind == MeetingType::Initial)),
        plan_signatures: meeting.map(|m| &m.signatures[..]).unwrap_or_default(),
        consent,
        consent_subject: consent.map(|c| c.subject()),
        consent_decided: consent.is_some_and(|c| c.decided()),
        consent_services: plan
            .zip(consent)
            .map(|(p, c)| p.consent_services(c))
            .unwrap_or_default(),
        months: months_of_notes(program, record, reads),
        transition,
        part_c,
        part_c_transition: PartCTransition::of(record, program),
        exit: record.exit.as_ref().filter(|_| has(Kind::Exit)),
        notice,
        notice_services: plan
            .zip(notice)
            .map(|(p, n)| notice_services(p, n))
            .unwrap_or_default(),
        meeting_notice,
        conference: meeting_notice.is_some_and(|n| {
            (record.transition.as_ref())
                .filter(|_| has(Kind::Transition))
                .and_then(|t| t.conference.as_ref())
                .is_some_and(|c| c.date == n.date)
        }),
        access: record.access.as_ref().filter(|_| has(Kind::Access)),
        releases: match document.kind {
            DocKind::AccessRecord => ReleaseView::of(record),
            _ => Vec::new(),
        },
        public_notification: plan
            .and_then(|p| p.public_notification())
            .filter(|_| document.kind == DocKind::PublicBenefits),
        rights: rights(case),
        grievance: program.program.grievance_for(case.state),
        exit_call_by: record.exit.as_ref().and_then(|e| e.exit_date.pred_opt()),
        retention_until: retention_until(program, record),
        complaints: program.program.complaints_for(case.state),
        policies: PoliciesView::of(&program.program, case.state),
        record_date: document.record_date(record),
        readers: case.readers(&document.lang),
        relationships: relationships(case),
    }
}

/// A release of records the parent consented to: the consent's date, to
/// whom, and which records.
#[derive(Serialize)]
struct ReleaseView<'a> {
    date: NaiveDate,
    recipient: &'a Text,
    records: &'a Text,
}

impl<'a> ReleaseView<'a> {
    fn of(record: &'a CaseRecord) -> Vec<ReleaseView<'a>> {
        let mut releases: Vec<ReleaseView> = record
            .consents()
            .flat_map(|(_, _, c)| {
                c.release.iter().map(move |r| ReleaseView {
                    date: c.date,
                    recipient: &r.recipient,
                    records: &r.records,
                })
            })
            .collect();
        releases.sort_by_key(|r| r.date);
        releases
    }
}

/// The state's choices a family's papers print (see `Policies`), with
/// where to ask for mediation and file a due process complaint falling
/// back on the complaints office.
#[derive(Serialize)]
struct PoliciesView<'a> {
    due_process_days: u32,
    mediation: &'a Text,
    due_process: &'a Text,
    payments: Option<&'a Text>,
    advocacy: Option<&'a Text>,
}

impl<'a> PoliciesView<'a> {
    fn of(program: &'a Program, state: Option<State>) -> PoliciesView<'a> {
        let text = |field: &str, get: fn(&Policies) -> Option<&Text>| {
            program.policy(state, field, get).map(|(_, text)| text)
        };
        let complaints = program.complaints_for(state);
        PoliciesView {
            due_process_days: program.due_process_days(state),
            mediation: text("mediation", |p| p.mediation.as_ref()).unwrap_or(complaints),
            due_process: text("due_process", |p| p.due_process.as_ref()).unwrap_or(complaints),
            payments: text("payments", |p| p.payments.as_ref()),
            advocacy: text("advocacy", |p| p.advocacy.as_ref()),
        }
    }
}

/// Whose rights the family has: the Part C safeguards, or the state
/// program's grievance process.
fn rights(case: &CaseFile) -> &'static str {
    if case.part_c_rights() {
        "part-c"
    } else {
        "state"
    }
}

impl<'a> LogoView<'a> {
    fn of(program: &'a ProgramFile) -> Option<LogoView<'a>> {
        program.program.logo.as_ref().map(|l| LogoView {
            path: l.asset_name(),
            description: &l.description,
        })
    }
}

/// Each family member's relationship, by name.
fn relationships(case: &CaseFile) -> BTreeMap<&str, &Text> {
    case.family
        .iter()
        .map(|m| (m.name.as_str(), &m.relationship))
        .collect()
}

/// Every calendar month from the first note (or the referral) to the last
/// note (or the exit), with that month's notes, oldest first.
/// None unless the document `reads` the contact notes.
fn months_of_notes<'a>(
    program: &'a ProgramFile,
    record: &'a CaseRecord,
    reads: &[Kind],
) -> Vec<MonthOfNotes<'a>> {
    let Some(last_note) = record
        .contacts
        .last()
        .filter(|_| reads.contains(&Kind::Contacts))
    else {
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
