//! What a plan needs beyond its schema, because it depends on the case or
//! on the plan's own meetings: the parts that fit the client (present levels
//! are a child's), service coordination on every Part C plan, changes and
//! additions dated by a meeting, consent to a service the plan has by then,
//! and who signs a consent (a child care program's director, else a parent).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::messages::spot;
use crate::finding::{Finding, RecordCode};
use crate::load::RecordFile;
use crate::model::{CaseRecord, Client, ConsentEvent, PlanFile, SignerRole};

/// Checks the plan of `record`, kept in `file`.
pub fn check(record: &CaseRecord, plan: &PlanFile, file: &RecordFile, findings: &mut Vec<Finding>) {
    let mut error = reporter(file, "plan", findings);
    shape(record, plan, &mut error);
    service_coordination(record, plan, &mut error);
    dated_by_meetings(record, plan, &mut error);
    consents(record, plan, &mut error);
    participants(plan, &mut error);
}

/// Two participants that are one split by a comma inside a `[...]` list:
/// `[Ana Rivera (nurse, coordinator)]` reads as `Ana Rivera (nurse` and
/// `coordinator)`.
fn participants(plan: &PlanFile, error: &mut Report) {
    let open = |p: &str| p.matches('(').count() as i64 - p.matches(')').count() as i64;
    for (i, m) in plan
        .meetings
        .iter()
        .filter(|m| !m.from_review)
        .map(|m| (m.in_file, m))
    {
        for (j, pair) in m.participants.windows(2).enumerate() {
            let (first, second) = (pair[0].first(), pair[1].first());
            if open(first) > 0 && open(second) < 0 {
                error(
                    format!("/meetings/{i}/participants/{j}"),
                    RecordCode::SplitEntry,
                    format!(
                        "participants `{}` and `{}` look like one entry split in two: in a [...] list a \
                         comma starts a new entry; put the whole entry in quotes, for example \
                         \"{}, {}\"",
                        first, second, first, second
                    ),
                );
            }
        }
    }
}

type Report<'a> = dyn FnMut(String, RecordCode, String) + 'a;

/// Reports an error at a JSON pointer of `file`, a record of kind `kind`.
fn reporter<'a>(
    file: &'a RecordFile,
    kind: &'a str,
    findings: &'a mut Vec<Finding>,
) -> impl FnMut(String, RecordCode, String) + 'a {
    move |pointer, code, message| {
        let path = crate::finding::dotted(kind, &pointer);
        findings.push(
            Finding::error(&file.path, code, message)
                .at(spot(file, &pointer))
                .path(path),
        );
    }
}

/// The parts of a plan that fit who it is for.
fn shape(record: &CaseRecord, plan: &PlanFile, error: &mut Report) {
    let root = String::new();
    match record.case.client {
        Client::Child if plan.present_levels.is_none() => error(
            root,
            RecordCode::MissingElement,
            "a child's plan needs `present_levels`: the child's physical, cognitive, communication, \
             social_emotional and adaptive development (303.344(a))"
                .into(),
        ),
        Client::Postpartum if plan.health.is_none() => error(
            root,
            RecordCode::MissingElement,
            "a postpartum plan needs `health`: her health, the pregnancy, and the birth and recovery \
             after it (`present_levels` may give the baby's development once born)"
                .into(),
        ),
        Client::ChildCareProgram => {
            if plan.child_care.is_none() {
                error(
                    root,
                    RecordCode::MissingElement,
                    "a child care program's plan needs `child_care`: its `setting` (classrooms, ages, \
                     staff) and its `needs` (what it needs support with)"
                        .into(),
                );
            }
            if plan.present_levels.is_some() {
                error(
                    "/present_levels".into(),
                    RecordCode::NotForClient,
                    "present levels are a child's; a child care program's plan describes the program \
                     in `child_care` instead"
                        .into(),
                );
            }
        }
        _ => {}
    }
    if record.case.client != Client::Postpartum && plan.health.is_some() {
        error(
            "/health".into(),
            RecordCode::NotForClient,
            "`health` is for a postpartum woman's plan; this case's client is not postpartum"
                .into(),
        );
    }
    if record.case.client != Client::ChildCareProgram && plan.child_care.is_some() {
        error(
            "/child_care".into(),
            RecordCode::NotForClient,
            "`child_care` is for a child care program's plan; this case's client is not one".into(),
        );
    }
}

/// Service coordination is a Part C service that needs consent (303.34,
/// 303.13(b)(11)): every Part C plan has it.
fn service_coordination(record: &CaseRecord, plan: &PlanFile, error: &mut Report) {
    if !record.case.part_c || plan.services.iter().any(|s| s.service_coordination) {
        return;
    }
    let listed: Vec<String> = plan
        .services
        .iter()
        .map(|s| format!("`{}` - {}", s.id, s.service))
        .collect();
    error(
        "/services".into(),
        RecordCode::NoServiceCoordination,
        format!(
            "this Part C plan has no service coordination; its services are {}. Service coordination is \
             a Part C service with its own consent (303.34): add a service with \
             `service_coordination: true`, provided by the coordinator, and name it in the consent",
            listed.join("; ")
        ),
    );
}

/// Changes and additions are dated by the meeting that agreed them, in
/// order; a parent's decline and the exit end a service without one.
fn dated_by_meetings(record: &CaseRecord, plan: &PlanFile, error: &mut Report) {
    let meetings: BTreeSet<NaiveDate> = plan.meetings.iter().map(|m| m.date).collect();
    let first = plan.first_meeting();
    let held = |date: NaiveDate| meetings.contains(&date);
    let listed = || {
        meetings
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let no_meeting = |what: &str, date: NaiveDate| {
        format!(
            "{what} is dated {date}, but the plan has no meeting on that day (its meetings are {}); \
             a plan changes only at a meeting - add the meeting (type change, for one between reviews) \
             or correct the date; a service the parent declined ends on the day of the decline without \
             one, and the exit ends every service on the exit date (a change of that day with only its \
             `end_date`)",
            listed()
        )
    };
    for (i, s) in plan.services.iter().enumerate() {
        if let Some(added) = s.added_on
            && !held(added)
        {
            let what = format!("the addition of `{}`", s.id);
            error(
                format!("/services/{i}/added_on"),
                RecordCode::NoMeeting,
                no_meeting(&what, added),
            );
        }
        let mut previous = s.added_on.or(first);
        for (j, change) in s.changes.iter().enumerate() {
            let pointer = format!("/services/{i}/changes/{j}/on");
            if !held(change.on) && !record.ends_without_meeting(&s.id, change) {
                let what = format!("this change of `{}`", s.id);
                error(pointer, RecordCode::NoMeeting, no_meeting(&what, change.on));
            } else if let Some(before) = previous.filter(|p| change.on <= *p) {
                error(
                    pointer,
                    RecordCode::OutOfOrder,
                    format!(
                        "this change of `{}` on {} does not come after {before}; list a service's \
                         changes oldest first, each after the meeting before it",
                        s.id, change.on
                    ),
                );
            }
            previous = Some(change.on);
        }
    }
    for (i, o) in plan.outcomes.iter().enumerate() {
        if let Some(added) = o.added_on
            && !held(added)
        {
            let what = format!("the addition of outcome {}", o.number);
            error(
                format!("/outcomes/{i}/added_on"),
                RecordCode::NoMeeting,
                no_meeting(&what, added),
            );
        }
    }
    for (i, o) in plan.other_services.iter().enumerate() {
        let name = o.service.first();
        let dated = [
            ("added_on", "addition", o.added_on),
            ("ended_on", "end", o.ended_on),
        ];
        for (element, what, date) in dated {
            if let Some(date) = date.filter(|d| !held(*d)) {
                let what = format!("the {what} of the other service `{name}`");
                error(
                    format!("/other_services/{i}/{element}"),
                    RecordCode::NoMeeting,
                    no_meeting(&what, date),
                );
            }
        }
        if let (Some(added), Some(ended)) = (o.added_on.or(first), o.ended_on)
            && ended <= added
        {
            error(
                format!("/other_services/{i}/ended_on"),
                RecordCode::OutOfOrder,
                format!(
                    "the other service `{name}` ends on {ended}, not after the meeting of {added} that \
                     added it; correct one of the two dates"
                ),
            );
        }
    }
}

/// A consent names services the plan has on its date, and is signed by the
/// one who gives it.
fn consents(record: &CaseRecord, plan: &PlanFile, error: &mut Report) {
    for (i, consent) in plan.consents.iter().enumerate() {
        for (j, d) in consent.services.iter().enumerate() {
            let added = plan
                .services
                .iter()
                .find(|s| s.id == d.service)
                .and_then(|s| s.added_on);
            if let Some(added) = added.filter(|a| *a > consent.date) {
                error(
                    format!("/consents/{i}/services/{j}/service"),
                    RecordCode::NotYetOnPlan,
                    format!(
                        "the consent of {} names `{}`, which the plan adds only at the meeting of {added}; \
                         a consent covers the services the plan has on its date",
                        consent.date, d.service
                    ),
                );
            }
            // Left out until the parent decides; given with the signature.
            if d.decision.is_none() && consent.decided() {
                error(
                    format!("/consents/{i}/services/{j}/decision"),
                    RecordCode::MissingElement,
                    format!(
                        "`plan.consents[{i}].services[{j}]` is missing `decision`: the consent of {} is \
                         signed, so write the decision the parent marked for `{}` on the signed form \
                         (accepted or declined)",
                        consent.date, d.service
                    ),
                );
            }
        }
        if let Some(message) = signer_missing(record, consent) {
            error(
                format!("/consents/{i}/signatures"),
                RecordCode::MissingSigner,
                message,
            );
        }
    }
}

/// A consent is signed by the one who gives it: a child care program's
/// director, else the parent or guardian.
fn signer_missing(record: &CaseRecord, consent: &ConsentEvent) -> Option<String> {
    let (wanted, words): (&[SignerRole], &str) = match record.case.client {
        Client::ChildCareProgram => (
            &[SignerRole::Director],
            "the child care program's director (role director), who gives the consent for the program",
        ),
        _ => (
            &[SignerRole::Parent, SignerRole::Guardian],
            "the parent or guardian (role parent or guardian), who gives the consent",
        ),
    };
    let signed = consent.signatures.iter().any(|s| wanted.contains(&s.role));
    (!signed).then(|| format!("this consent needs a signature entry for {words}"))
}

/// The case file's consents (those given before a plan): signed by the one
/// who gives them, and none to services, which belong to the plan.
pub fn case_consents(record: &CaseRecord, file: &RecordFile, findings: &mut Vec<Finding>) {
    let mut error = reporter(file, "case", findings);
    for (i, consent) in record.case.consents.iter().enumerate() {
        if !consent.services.is_empty() {
            error(
                format!("/consents/{i}/services"),
                RecordCode::WrongPlace,
                "a consent to services is given on the plan: move this consent to plan.yaml's `consents`"
                    .into(),
            );
        }
        if let Some(message) = signer_missing(record, consent) {
            error(
                format!("/consents/{i}/signatures"),
                RecordCode::MissingSigner,
                message,
            );
        }
    }
}
