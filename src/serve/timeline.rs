//! A case's page as the case's life: each event its records show
//! (referral, screening, evaluation, eligibility, the choice of program,
//! consents and declines, plan meetings, notices, the notification about
//! public benefits, transition steps, records sent and seen, the exit), by
//! date, each linked to the record file that holds it and to the
//! documents made of it.

use chrono::NaiveDate;
use serde::Serialize;

use super::case::DocumentView;
use crate::model::MeetingType;
use crate::pipeline::DocKind;
use crate::validate::ValidCase;

/// One event of a case's life.
#[derive(Debug, Serialize)]
pub(super) struct EventView {
    pub date: NaiveDate,
    /// What happened, in the desk's words.
    pub what: String,
    /// The record file that holds it, in the case folder.
    pub file: String,
    /// The documents made of it (one per language the family reads).
    pub documents: Vec<DocumentView>,
}

/// The case's events, oldest first (events of one day in the order the
/// case lives them); each linked to the documents among `made` that are
/// made of it.
pub(super) fn timeline(case: &ValidCase, made: &[DocumentView]) -> Vec<EventView> {
    let record = &case.record;
    // Every document the case makes, worked out once: those of one kind
    // and item, among those made, go with an event.
    let all: Vec<crate::render::Document> = (DocKind::ALL.iter())
        .flat_map(|kind| kind.documents_of(case))
        .collect();
    let documents = |kind: DocKind, item: Option<usize>| -> Vec<DocumentView> {
        (all.iter())
            .filter(|d| d.kind == kind && d.item == item)
            .filter_map(|d| {
                let file = format!("{}.pdf", d.file_stem);
                made.iter().find(|m| m.file == file).cloned()
            })
            .collect()
    };
    let mut events = Vec::new();
    let mut add = |date: NaiveDate, what: String, file: &str, docs: Vec<DocumentView>| {
        events.push(EventView {
            date,
            what,
            file: file.to_string(),
            documents: docs,
        })
    };
    let c = &record.case;
    add(c.referral_date, "Referral".into(), "case.yaml", Vec::new());
    if let Some(on) = c.screening_date {
        add(on, "Screening".into(), "case.yaml", Vec::new());
    }
    if let Some(on) = c.evaluation_date {
        add(
            on,
            "Evaluation and assessment".into(),
            "case.yaml",
            Vec::new(),
        );
    }
    if let Some(on) = c.eligibility_date {
        let what = match c.eligible {
            Some(false) => "Found not eligible",
            _ => "Found eligible",
        };
        add(on, what.into(), "case.yaml", Vec::new());
    }
    if let Some(choice) = &c.program_choice {
        let what = format!("The family chose {}", choice.program);
        add(choice.chosen_on, what, "case.yaml", Vec::new());
    }
    if let Some(on) = c.district_referral.as_ref().and_then(|r| r.referred_on) {
        let what = "Referred to the school district".into();
        add(on, what, "case.yaml", Vec::new());
    }
    if let Some(plan) = &record.plan {
        for (i, m) in plan.meetings.iter().enumerate() {
            let what = match m.kind {
                MeetingType::Initial => "Initial plan meeting",
                MeetingType::SixMonthReview => "Six-month review",
                MeetingType::Annual => "Annual meeting",
                MeetingType::Change => "Meeting that changed the plan",
            };
            let file = match m.from_review {
                true => format!("review-{}.yaml", m.date),
                false => "plan.yaml".into(),
            };
            add(
                m.date,
                what.into(),
                &file,
                documents(DocKind::Plan, Some(i)),
            );
        }
        if let Some(on) = plan.public_notification() {
            let what = "Notification about public benefits or insurance given".into();
            add(
                on,
                what,
                "plan.yaml",
                documents(DocKind::PublicBenefits, Some(0)),
            );
        }
    }
    for (i, (kind, _, consent)) in record.consents().enumerate() {
        let what = match consent.subject() {
            "evaluation" => "Consent to evaluation and assessment",
            "initiation" => "Consent to start services",
            "change" => "Consent to a change of services",
            "continuation" => "Consent to continue services",
            "decline" => "A parent declined services",
            "insurance" => "Consent on the use of insurance",
            _ => "Consent to release records",
        };
        let file = format!("{}.yaml", kind.name());
        add(
            consent.date,
            what.into(),
            &file,
            documents(DocKind::Consent, Some(i)),
        );
    }
    if let Some(notices) = &record.notices {
        for (i, n) in notices.prior_written.iter().enumerate() {
            let what = format!("Prior written notice given: {}", n.action.words());
            let docs = documents(DocKind::Notice, Some(i));
            add(n.given_on, what, "notices.yaml", docs);
        }
        for (i, n) in notices.meetings.iter().enumerate() {
            let what = format!(
                "Notice given of the meeting of {}",
                crate::model::day(n.date)
            );
            let docs = documents(DocKind::MeetingNotice, Some(i));
            add(n.given_on, what, "notices.yaml", docs);
        }
    }
    if let Some(t) = &record.transition {
        let file = "transition.yaml";
        if let Some(d) = &t.school_district {
            if let Some(on) = d.notified_on {
                add(
                    on,
                    format!("{} notified of the transition", d.name),
                    file,
                    Vec::new(),
                );
            }
            if let Some(on) = d.sea_notified_on {
                let what = "State education agency notified of the transition".into();
                add(on, what, file, Vec::new());
            }
        }
        if let Some(conference) = &t.conference {
            if let Some(on) = conference.family_approved_on {
                let what = "The family approved the transition conference".into();
                add(on, what, file, Vec::new());
            }
            add(
                conference.date,
                "Transition conference".into(),
                file,
                Vec::new(),
            );
        }
        // Written at the conference, or after it.
        add(
            t.written_on,
            "Transition plan written".into(),
            file,
            documents(DocKind::Transition, None),
        );
        for step in &t.steps {
            if let Some(on) = step.done_on {
                add(
                    on,
                    format!("Transition step done: {}", step.step.first()),
                    file,
                    Vec::new(),
                );
            }
        }
        for sent in &t.records_sent {
            if let Some(on) = sent.sent_on {
                add(
                    on,
                    format!("Records sent to {}", sent.to.first()),
                    file,
                    Vec::new(),
                );
            }
        }
    }
    if let Some(access) = &record.access {
        let docs = || documents(DocKind::AccessRecord, None);
        for entry in &access.access {
            let what = format!("Records seen by {}", entry.party.first());
            add(entry.date, what, "access.yaml", docs());
        }
        for request in &access.requests {
            let what = format!("{} asked to see the record", request.by);
            add(request.requested_on, what, "access.yaml", docs());
            if let Some(on) = request.met_on {
                add(
                    on,
                    format!("{} saw the record", request.by),
                    "access.yaml",
                    docs(),
                );
            }
        }
    }
    if let Some(exit) = &record.exit {
        let what = format!("Exit: {}", exit.reason.name().replace('-', " "));
        add(
            exit.exit_date,
            what,
            "exit.yaml",
            documents(DocKind::ExitLetter, None),
        );
    }
    // Oldest first; one day's events in the order written above (a
    // meeting before the consent given at it).
    events.sort_by_key(|e| e.date);
    events
}

/// The record files the timeline names that the case has: a meeting's
/// review file is `review-DATE.yaml` or, named by who wrote it,
/// `review-DATE-STAFF.yaml`; one named otherwise is shown at the plan.
pub(super) fn in_files(mut events: Vec<EventView>, files: &[String]) -> Vec<EventView> {
    for e in &mut events {
        let Some(stem) = e.file.strip_suffix(".yaml") else {
            continue;
        };
        if files.contains(&e.file) || !stem.starts_with("review-") {
            continue;
        }
        let named = format!("{stem}-");
        e.file = (files.iter())
            .find(|f| f.starts_with(&named) && f.ends_with(".yaml"))
            .cloned()
            .unwrap_or_else(|| "plan.yaml".into());
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_an_event_names_are_the_case_s() {
        let event = |file: &str| EventView {
            date: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            what: "Six-month review".into(),
            file: file.into(),
            documents: Vec::new(),
        };
        let files = vec![
            "plan.yaml".to_string(),
            "review-2026-05-12.yaml".to_string(),
            "review-2026-07-01-nvega.yaml".to_string(),
            "review-2026-07-010.yaml".to_string(),
        ];
        let kept = in_files(
            vec![
                event("review-2026-05-12.yaml"),
                event("review-2026-06-01.yaml"),
                event("review-2026-07-01.yaml"),
                event("review-2026-07-10.yaml"),
            ],
            &files,
        );
        let named: Vec<&str> = kept.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(
            named,
            [
                "review-2026-05-12.yaml",
                "plan.yaml",
                "review-2026-07-01-nvega.yaml",
                "plan.yaml"
            ]
        );
    }
}
