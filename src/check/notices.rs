//! Notices before actions: the actions the records show for a Part C child,
//! each with its prior written notice (303.421) a reasonable time before it
//! (the program's days; Connecticut 5), and each plan meeting with its
//! written notice (303.342(d)(2)). One list of actions serves `check` and
//! the notice documents alike.

use chrono::{Days, NaiveDate};

use super::case::{At, CaseCheck, DueDates, Level, SOON_DAYS, day};
use crate::model::{CaseRecord, Kind, NoticeAction, PriorWrittenNotice, ProgramFile, RuleId};

/// One action the program proposes, as the records show it, and where.
#[derive(Debug, Clone)]
pub struct Action {
    pub action: NoticeAction,
    pub date: NaiveDate,
    pub at: At<'static>,
}

/// The actions of a Part C child's records that need a prior written
/// notice: the screening, the evaluation, the eligibility finding, the
/// start of services (the first service to start on the initiation consent,
/// service coordination aside), each meeting that changed or added a
/// service, and the exit, or, until one is recorded, the end of Part C
/// services before the third birthday (a change in the provision of
/// services, owed whether or not the exit is written yet). A parent's
/// decline and a continuation that changes nothing are not actions; a
/// refusal is recorded as its notice.
pub fn actions(record: &CaseRecord, program: &ProgramFile) -> Vec<Action> {
    let case = &record.case;
    if !case.part_c_rights() {
        return Vec::new();
    }
    let file = |kind, pointer: &str| At::File(kind, pointer.to_string());
    let mut out = Vec::new();
    let mut push = |action, date: Option<NaiveDate>, at: At<'static>| {
        if let Some(date) = date {
            out.push(Action { action, date, at });
        }
    };
    push(
        NoticeAction::Screening,
        case.screening_date,
        file(Kind::Case, "/screening_date"),
    );
    push(
        NoticeAction::Evaluation,
        case.evaluation_date,
        file(Kind::Case, "/evaluation_date"),
    );
    let finding = match case.eligible {
        Some(false) => NoticeAction::NotEligible,
        _ => NoticeAction::Eligibility,
    };
    push(
        finding,
        case.eligibility_date,
        file(Kind::Case, "/eligibility_date"),
    );
    if let Some(plan) = &record.plan {
        let start = plan.started_by_notice().min_by_key(|(_, s)| s.start_date);
        if let Some((i, s)) = start {
            push(
                NoticeAction::Services,
                Some(s.start_date),
                file(Kind::Plan, &format!("/services/{i}/start_date")),
            );
        }
        let mut changed: Vec<(NaiveDate, String)> = Vec::new();
        for (i, s) in plan.services.iter().enumerate() {
            if let Some(added) = s.added_on {
                changed.push((added, format!("/services/{i}/added_on")));
            }
            // A parent's decline ends a service without any proposal; the
            // exit's ending of one is the exit's own action.
            for (j, c) in s.changes.iter().enumerate() {
                if !record.ends_without_meeting(&s.id, c) {
                    changed.push((c.on, format!("/services/{i}/changes/{j}/on")));
                }
            }
        }
        changed.sort();
        changed.dedup_by_key(|(date, _)| *date);
        for (date, pointer) in changed {
            push(NoticeAction::Change, Some(date), file(Kind::Plan, &pointer));
        }
    }
    match &record.exit {
        Some(exit) => push(
            NoticeAction::Exit,
            Some(exit.exit_date),
            file(Kind::Exit, "/exit_date"),
        ),
        None if case.eligible != Some(false) => push(
            NoticeAction::Exit,
            record.services_end(program),
            file(Kind::Case, "/child/date_of_birth"),
        ),
        None => {}
    }
    out
}

/// The actions of the records that have no prior written notice yet, in
/// the order `actions` gives them.
pub fn without_notice(record: &CaseRecord, program: &ProgramFile) -> Vec<Action> {
    let notices = notices_of(record);
    actions(record, program)
        .into_iter()
        .filter(|a| {
            !notices
                .iter()
                .any(|n| n.action == a.action && n.date == a.date)
        })
        .collect()
}

/// The prior written notices to give now: those of `without_notice` whose
/// day to be given by has passed or comes within the next few weeks (the
/// end of services at three is not asked for years ahead).
pub fn owed_soon(record: &CaseRecord, program: &ProgramFile, as_of: NaiveDate) -> Vec<Action> {
    let days = u64::from(program.check.notice_days(record.profile(program)));
    without_notice(record, program)
        .into_iter()
        .filter(|a| {
            let by = if a.action.is_finding() {
                a.date
            } else {
                a.date - Days::new(days)
            };
            by <= as_of + Days::new(SOON_DAYS)
        })
        .collect()
}

/// The plan meetings of a Part C child, each with where it is recorded:
/// the plan's meetings and the transition conference, which is a plan
/// meeting too (303.209(e), 303.342(d)).
fn plan_meetings(record: &CaseRecord) -> Vec<(NaiveDate, At<'static>, &'static str)> {
    if !record.case.part_c_rights() {
        return Vec::new();
    }
    let mut out: Vec<(NaiveDate, At<'static>, &'static str)> = (record.plan.iter())
        .flat_map(|p| &p.meetings)
        .map(|m| {
            let at = if m.from_review {
                At::File(Kind::Review, "/date".into())
            } else {
                At::File(Kind::Plan, format!("/meetings/{}/date", m.in_file))
            };
            (m.date, at, "the plan meeting")
        })
        .collect();
    let conference = (record.transition.as_ref()).and_then(|t| t.conference.as_ref());
    if let Some(conf) = conference
        && !out.iter().any(|(date, _, _)| *date == conf.date)
    {
        out.push((
            conf.date,
            At::File(Kind::Transition, "/conference/date".into()),
            "the transition conference (a plan meeting)",
        ));
    }
    out
}

/// The dates of the plan meetings (the transition conference among them)
/// that have no written notice yet.
pub fn meetings_without_notice(record: &CaseRecord) -> Vec<NaiveDate> {
    let given = record
        .notices
        .as_ref()
        .map(|n| n.meetings.as_slice())
        .unwrap_or_default();
    plan_meetings(record)
        .into_iter()
        .map(|(date, _, _)| date)
        .filter(|date| !given.iter().any(|n| n.date == *date))
        .collect()
}

/// The case's prior written notices.
fn notices_of(record: &CaseRecord) -> &[PriorWrittenNotice] {
    (record.notices.as_ref())
        .map(|n| n.prior_written.as_slice())
        .unwrap_or_default()
}

/// Each action has its prior written notice, in time; each notice is for
/// an action the records show.
pub fn prior_written_notice(c: &mut CaseCheck) {
    if !c.record.case.part_c_rights() {
        return;
    }
    let days = u64::from(c.program.check.notice_days(c.record.profile(c.program)));
    let notices = notices_of(c.record);
    let actions = actions(c.record, c.program);
    for a in &actions {
        match notices
            .iter()
            .enumerate()
            .find(|(_, n)| n.action == a.action && n.date == a.date)
        {
            Some((k, notice)) => in_time(c, a, k, notice.given_on, days),
            // Reported once the day it was due by has passed.
            None if a.date < c.as_of + Days::new(days) => c.report(
                RuleId::PriorWrittenNotice,
                Level::Broken,
                a.at.clone(),
                format!(
                    "the {} of {} has no prior written notice; give the family one and record it in \
                     notices.yaml (`prior_written`, action {}, date {})",
                    a.action.words(),
                    day(a.date),
                    a.action,
                    a.date
                ),
            ),
            None => {}
        }
    }
    without_action(c, notices, &actions);
}

/// The notice `k` of action `a`, given on `given`, is in time: on or after
/// an eligibility finding, `days` before any other action.
fn in_time(c: &mut CaseCheck, a: &Action, k: usize, given: NaiveDate, days: u64) {
    let at = At::File(Kind::Notices, format!("/prior_written/{k}/given_on"));
    let message = if a.action.is_finding() {
        if given >= a.date {
            return;
        }
        format!(
            "the notice of the {} of {} is dated {}, before the finding it reports",
            a.action.words(),
            day(a.date),
            day(given)
        )
    } else {
        if given + Days::new(days) <= a.date {
            return;
        }
        format!(
            "the prior written notice of the {} of {} is dated {}; it is given at least {days} days \
             before the action, by {}",
            a.action.words(),
            day(a.date),
            day(given),
            day(a.date - Days::new(days))
        )
    };
    c.report(RuleId::PriorWrittenNotice, Level::Broken, at, message);
}

/// A notice (other than a refusal) for an action the records do not show.
fn without_action(c: &mut CaseCheck, notices: &[PriorWrittenNotice], actions: &[Action]) {
    for (k, n) in notices.iter().enumerate() {
        let matched = n.action == NoticeAction::Refusal
            || actions
                .iter()
                .any(|a| a.action == n.action && a.date == n.date);
        if matched {
            continue;
        }
        let shown: Vec<String> = actions
            .iter()
            .filter(|a| a.action == n.action)
            .map(|a| a.date.to_string())
            .collect();
        let records = if shown.is_empty() {
            format!("the records show no {}", n.action.words())
        } else {
            format!("the records show it on {}", shown.join(", "))
        };
        c.report(
            RuleId::PriorWrittenNotice,
            Level::Broken,
            At::File(Kind::Notices, format!("/prior_written/{k}/date")),
            format!(
                "this notice is for the {} of {}, but {records}; correct its date or action",
                n.action.words(),
                day(n.date)
            ),
        );
    }
}

/// Each plan meeting, the transition conference among them, has its
/// written notice, early enough to attend.
pub fn meeting_notice(c: &mut CaseCheck) {
    let days = u64::from(c.program.check.meeting_notice_days());
    let notices = c
        .record
        .notices
        .as_ref()
        .map(|n| n.meetings.as_slice())
        .unwrap_or_default();
    for (date, at, what) in plan_meetings(c.record) {
        let Some((k, notice)) = notices.iter().enumerate().find(|(_, n)| n.date == date) else {
            c.report(
                RuleId::MeetingNotice,
                Level::Broken,
                at,
                format!(
                    "{what} of {} has no written notice; give the family one early enough to \
                     attend, with the date, time, place and who is invited, and record it in notices.yaml \
                     (`meetings`)",
                    day(date)
                ),
            );
            continue;
        };
        if notice.given_on + Days::new(days) > date {
            c.report(
                RuleId::MeetingNotice,
                Level::Broken,
                At::File(Kind::Notices, format!("/meetings/{k}/given_on")),
                format!(
                    "the notice of {what} of {} is dated {}; it is given at least {days} days \
                     before the meeting, by {}",
                    day(date),
                    day(notice.given_on),
                    day(date - Days::new(days))
                ),
            );
        }
    }
}

/// Prior written notices still to give for actions ahead, up to the day of
/// the action (the start of services, an exit the records already show), by
/// the day the program's days before the action fall on. `check` reports
/// those already late.
pub(super) fn due(due: &mut DueDates) {
    let days = u64::from(due.program.check.notice_days(due.state));
    let ahead: Vec<_> = without_notice(due.record, due.program)
        .into_iter()
        .filter(|a| !a.action.is_finding() && a.date >= due.as_of)
        .collect();
    for a in ahead {
        let by = a.date - Days::new(days);
        due.add(
            RuleId::PriorWrittenNotice,
            by,
            format!(
                "give the prior written notice of the {} of {}",
                a.action.words(),
                day(a.date)
            ),
        );
    }
}
