//! Who sees the family's records: records sent at transition and each
//! access the access file records rest on a consent that releases those
//! records to that party, given before (303.414, 303.7(b)); a parent's
//! request to see the record is met within 10 days and before any plan
//! meeting (303.405(a)).

use chrono::NaiveDate;

use super::case::{At, CaseCheck, DueDates, Level, day, soon};
use crate::model::{AccessRequest, ConsentEvent, Kind, Release, RuleId, Text};

/// Whether `text` names `what`, in any language either gives (one of them
/// mentions the other, ignoring case).
fn names(text: &Text, what: &Text) -> bool {
    what.texts().any(|w| text.mentions(w.trim())) || text.texts().any(|t| what.mentions(t.trim()))
}

/// What is wrong with the release a sending of `records` to `to` rests on,
/// the consent of `consent_on`: none (None), no release that day, or none
/// to that recipient (named either way round, with or without a person's
/// name beside the agency's) or none whose records include these.
fn release_problem(
    c: &CaseCheck,
    consent_on: NaiveDate,
    to: &Text,
    records: &Text,
) -> Option<String> {
    let releases: Vec<&Release> = c
        .record
        .consents()
        .map(|(_, _, consent)| consent)
        .filter(|consent: &&ConsentEvent| consent.date == consent_on)
        .flat_map(|consent| &consent.release)
        .collect();
    let to_them: Vec<&&Release> = releases
        .iter()
        .filter(|r| names(&r.recipient, to))
        .collect();
    if releases.is_empty() {
        Some(format!(
            "no consent of {} releases records; record the parent's consent in case.yaml's or plan.yaml's \
             `consents`, dated when it was given, with a `release` naming {to} and the records",
            day(consent_on)
        ))
    } else if to_them.is_empty() {
        Some(format!(
            "the consent of {} releases records, but not to {to}; records go only where the parent \
             consented: add {to} to its `release` if the parent named them, or record the consent that did",
            day(consent_on)
        ))
    } else if !to_them
        .iter()
        .any(|r| records.texts().any(|w| r.records.mentions(w.trim())))
    {
        Some(format!(
            "the consent of {} releases to {to} only {}, not {records}; send only what the parent \
             consented to, or record the consent that names these records",
            day(consent_on),
            to_them
                .iter()
                .map(|r| r.records.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    } else {
        None
    }
}

/// Each record sent at transition rests on a consent that releases those
/// records to that recipient, and is sent on or after it.
pub fn records_release(c: &mut CaseCheck) {
    let mut found = Vec::new();
    if let Some(t) = &c.record.transition {
        for (k, sent) in t.records_sent.iter().enumerate() {
            if let Some(problem) = release_problem(c, sent.consent_on, &sent.to, &sent.records) {
                found.push((
                    At::File(Kind::Transition, format!("/records_sent/{k}/consent_on")),
                    format!(
                        "the records sent to {} ({}) rest on the parent's consent of {}, but {problem} \
                         (303.414)",
                        sent.to,
                        sent.records,
                        day(sent.consent_on)
                    ),
                ));
            }
            if let Some(on) = sent.sent_on.filter(|on| *on < sent.consent_on) {
                found.push((
                    At::File(Kind::Transition, format!("/records_sent/{k}/sent_on")),
                    format!(
                        "the records sent to {} ({}) went on {}, before the parent's consent of {} to \
                         release them; records are released only once the parent has consented (303.414)",
                        sent.to,
                        sent.records,
                        day(on),
                        day(sent.consent_on)
                    ),
                ));
            }
        }
    }
    if let Some(access) = &c.record.access {
        for (k, entry) in access.access.iter().enumerate() {
            let Some(consent_on) = entry.consent_on else {
                continue;
            };
            if consent_on > entry.date {
                found.push((
                    At::File(Kind::Access, format!("/access/{k}/consent_on")),
                    format!(
                        "{} obtained access on {}, before the parent's consent of {} it rests on \
                         (303.414)",
                        entry.party,
                        day(entry.date),
                        day(consent_on)
                    ),
                ));
            } else if let Some(problem) =
                release_problem(c, consent_on, &entry.party, &entry.records)
            {
                found.push((
                    At::File(Kind::Access, format!("/access/{k}/consent_on")),
                    format!(
                        "{} obtained access on {} on the parent's consent of {}, but {problem} (303.414)",
                        entry.party,
                        day(entry.date),
                        day(consent_on)
                    ),
                ));
            }
        }
    }
    for (at, message) in found {
        c.report(RuleId::RecordsRelease, Level::Broken, at, message);
    }
}

/// What a request is held to: by when, and why that day.
fn deadline(request: &AccessRequest, c: &CaseCheck) -> (NaiveDate, String) {
    match request.due_by(c.record.plan.as_ref()) {
        (by, Some(meeting)) => (by, format!("before the plan meeting of {}", day(meeting))),
        (by, None) => (
            by,
            format!("within {} days of the request", AccessRequest::DAYS),
        ),
    }
}

/// A parent's request to see the record is met within 10 days, and
/// before any plan meeting that comes first (303.405(a)).
pub fn record_access(c: &mut CaseCheck) {
    let Some(access) = &c.record.access else {
        return;
    };
    let mut found = Vec::new();
    for (k, request) in access.requests.iter().enumerate() {
        let (by, why) = deadline(request, c);
        let asked = format!(
            "{} asked to see the record on {}",
            request.by,
            day(request.requested_on)
        );
        match request.met_on {
            Some(met) if met < request.requested_on => found.push((
                Level::Broken,
                format!("/requests/{k}/met_on"),
                format!("{asked}, but `met_on` is {}, before the request", day(met)),
            )),
            Some(met) if met > by => found.push((
                Level::Broken,
                format!("/requests/{k}/met_on"),
                format!(
                    "{asked} and saw it on {}; a parent sees the record without unnecessary delay, \
                     {why}: by {} (303.405(a))",
                    day(met),
                    day(by)
                ),
            )),
            Some(_) => {}
            None if c.as_of > by => found.push((
                Level::Broken,
                format!("/requests/{k}"),
                format!(
                    "{asked}, and it was due by {} ({why}); show the record now and give the day as \
                     `met_on` (303.405(a))",
                    day(by)
                ),
            )),
            None if soon(c, by) => found.push((
                Level::Soon,
                format!("/requests/{k}"),
                format!(
                    "{asked}: show it by {} ({why}) and give the day as `met_on` (303.405(a))",
                    day(by)
                ),
            )),
            None => {}
        }
    }
    for (level, pointer, message) in found {
        c.report(
            RuleId::RecordAccess,
            level,
            At::File(Kind::Access, pointer),
            message,
        );
    }
}

/// The parent's requests to see the record that are still open, by the
/// day each must be met.
pub fn due(d: &mut DueDates) {
    let Some(access) = &d.record.access else {
        return;
    };
    for request in access.requests.iter().filter(|r| r.met_on.is_none()) {
        let (by, _) = request.due_by(d.record.plan.as_ref());
        d.add(
            RuleId::RecordAccess,
            by,
            format!(
                "show the record to {}, who asked on {}",
                request.by,
                day(request.requested_on)
            ),
        );
    }
}
