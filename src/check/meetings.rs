//! Plan meetings: the initial plan meeting, or for a child found not
//! eligible the finding, within 45 days of the referral (34 CFR 303.310,
//! its timeline paused by documented exceptions), a
//! review every six months (303.342(b)) and an annual meeting
//! (303.342(c)); `due` lists the next of each. A Connecticut family found
//! eligible chooses its program among those of its area first (seed 000).

use chrono::NaiveDate;

use super::case::{
    ANNUAL_MEETINGS, At, CaseCheck, DueDates, Level, REVIEW_MEETINGS, add_months, day, soon,
};
use crate::model::transition::{PartCTransition, Timing};
use crate::model::{CaseRecord, Kind, MeetingType, RuleId};

/// When the initial plan meeting is due (34 CFR 303.310): 45 days after the
/// referral, the timeline not running during each documented exception
/// that began by then (303.310(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitialPlanDue {
    pub date: NaiveDate,
    /// Days the timeline did not run.
    pub paused_days: i64,
}

impl InitialPlanDue {
    /// How the due date is counted, for a message: `within 45 days`, or
    /// `within 45 days, plus 12 days of documented exceptions`.
    pub fn counted(&self) -> String {
        match self.paused_days {
            0 => "within 45 days".into(),
            1 => "within 45 days, plus 1 day of a documented exception".into(),
            n => format!("within 45 days, plus {n} days of documented exceptions"),
        }
    }
}

/// The initial plan meeting's due date, for `check` and `due` alike
/// ([`timeline_due`]); none for a child found not eligible, who has no
/// plan to write (their timeline ends at the finding).
pub fn initial_plan_due(record: &CaseRecord, as_of: NaiveDate) -> Option<InitialPlanDue> {
    if record.case.eligible == Some(false) {
        return None;
    }
    timeline_due(record, as_of)
}

/// When the 45-day timeline of 303.310 runs out for a Part C child, eligible
/// or not: 45 days after the referral, not running during each documented
/// period that began by then (303.310(b): the case's `timeline_exceptions`
/// and a `family_delay` on the plan, each from its first to its last day).
/// It ends with the initial plan meeting, or for a child found not eligible
/// with the finding. None for a case outside Part C, for a period still
/// running on `as_of` (what is due is then held as soon as possible after
/// it ends, 303.310(c)), and for a child referred fewer than 45 days before
/// the third birthday. A period with no last day lasted until the timeline
/// ended.
pub fn timeline_due(record: &CaseRecord, as_of: NaiveDate) -> Option<InitialPlanDue> {
    let case = &record.case;
    if !case.part_c {
        return None;
    }
    // Referred fewer than 45 days before the third birthday: no evaluation,
    // assessment or initial plan meeting is required (303.209(b)(1)(iii)).
    if PartCTransition::timing_of(record).is_some_and(|(_, _, timing)| timing == Timing::ReferOnly)
    {
        return None;
    }
    let ended = match case.eligible {
        Some(false) => case.eligibility_date,
        _ => record.plan.as_ref().and_then(|p| {
            p.meetings
                .iter()
                .filter(|m| m.kind == crate::model::MeetingType::Initial)
                .map(|m| m.date)
                .min()
        }),
    };
    let delay = (record.plan.as_ref())
        .and_then(|p| p.family_delay.as_ref())
        .map(|d| (d.requested_on, d.until));
    let mut periods: Vec<(NaiveDate, Option<NaiveDate>)> = (case.timeline_exceptions.iter())
        .map(|e| (e.from, e.until))
        .chain(delay)
        .collect();
    periods.sort();
    let mut due = case.referral_date + chrono::Days::new(45);
    let mut paused = 0;
    // The first day not yet counted as paused.
    let mut counted_to = case.referral_date;
    for (from, until) in periods {
        // A period that begins once the timeline has run out excuses nothing.
        if from > due {
            break;
        }
        // A period with no end lasted until the timeline ended.
        let until = match until.or_else(|| ended.map(|d| d - chrono::Days::new(1))) {
            Some(until) if until < as_of => until,
            _ => return None,
        };
        let from = from.max(counted_to);
        if until >= from {
            let days = (until - from).num_days() + 1;
            paused += days;
            due = due + chrono::Days::new(days as u64);
            counted_to = until + chrono::Days::new(1);
        }
    }
    Some(InitialPlanDue {
        date: due,
        paused_days: paused,
    })
}

/// A child found not eligible was found so within the 45-day timeline:
/// the initial evaluation and assessment fall inside it too (303.310(a)).
pub(super) fn evaluation_45_days(c: &mut CaseCheck) {
    let case = &c.record.case;
    let (Some(false), Some(found)) = (case.eligible, case.eligibility_date) else {
        return;
    };
    let Some(due) = timeline_due(c.record, c.as_of) else {
        return;
    };
    if found > due.date {
        let referral = case.referral_date;
        c.report(
            RuleId::InitialPlan45Days,
            Level::Broken,
            At::File(Kind::Case, "/eligibility_date".into()),
            format!(
                "the child was found not eligible on {}, {} days after the referral of {}; the initial \
                 evaluation and assessment are done {} of the referral (by {}; 303.310(a)), unless a \
                 documented exception stops the timeline (`timeline_exceptions`)",
                day(found),
                (found - referral).num_days(),
                day(referral),
                due.counted(),
                day(due.date)
            ),
        );
    }
}

/// A Part C child's initial plan meeting is within 45 days of the
/// referral, the timeline not running during documented exceptions
/// (303.310).
pub(super) fn initial_plan_45_days(c: &mut CaseCheck) {
    let Some(due) = initial_plan_due(c.record, c.as_of) else {
        return;
    };
    let referral = c.record.case.referral_date;
    let plan = c.record.plan.as_ref();
    let initial = plan.and_then(|p| {
        p.meetings
            .iter()
            .filter(|m| m.kind == MeetingType::Initial)
            .min_by_key(|m| m.date)
            .map(|m| (m.in_file, m))
    });
    let counted = due.counted();
    let due = due.date;
    match initial {
        Some((i, m)) if m.date > due => c.report(
            RuleId::InitialPlan45Days,
            Level::Broken,
            At::File(Kind::Plan, format!("/meetings/{i}/date")),
            format!(
                "the initial plan meeting on {} is {} days after the referral of {}; it is due {counted} (by {}), \
                 unless a documented exception stops the timeline (`timeline_exceptions` in the case file, or \
                 the family's delay, `family_delay`, with its period)",
                day(m.date),
                (m.date - referral).num_days(),
                day(referral),
                day(due)
            ),
        ),
        Some(_) => {}
        None if c.open_until() > due => c.report(
            RuleId::InitialPlan45Days,
            Level::Broken,
            match plan {
                Some(_) => At::File(Kind::Plan, "/meetings".into()),
                None => At::File(Kind::Case, "/referral_date".into()),
            },
            format!(
                "no initial plan meeting is recorded, and it was due {counted} of the referral of {} (by {})",
                day(referral),
                day(due)
            ),
        ),
        None if c.is_open() && soon(c, due) => c.report(
            RuleId::InitialPlan45Days,
            Level::Soon,
            At::File(Kind::Case, "/referral_date".into()),
            format!("the initial plan meeting is due by {}", day(due)),
        ),
        None => {}
    }
}

/// Reviews at most 6 months apart, annual meetings at most 12 months apart.
pub(super) fn reviews(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let mut meetings: Vec<(usize, &crate::model::Meeting)> =
        plan.meetings.iter().map(|m| (m.in_file, m)).collect();
    meetings.sort_by_key(|(_, m)| m.date);
    for (rule, months, counts, what) in [
        (RuleId::Review6Months, 6, REVIEW_MEETINGS, "plan review"),
        (
            RuleId::AnnualMeeting,
            12,
            ANNUAL_MEETINGS,
            "annual plan meeting",
        ),
    ] {
        let held: Vec<&(usize, &crate::model::Meeting)> = meetings
            .iter()
            .filter(|(_, m)| counts.contains(&m.kind))
            .collect();
        for pair in held.windows(2) {
            let (prev, (j, next)) = (pair[0].1, pair[1]);
            let due = add_months(prev.date, months);
            if next.date > due {
                c.report(
                    rule,
                    Level::Broken,
                    if next.from_review {
                        At::Review(next.date, "/date".into())
                    } else {
                        At::File(Kind::Plan, format!("/meetings/{j}/date"))
                    },
                    format!(
                        "the {what} of {} came after {}, more than {months} months after the meeting of {} (due by {})",
                        day(next.date),
                        day(due),
                        day(prev.date),
                        day(due)
                    ),
                );
            }
        }
        let Some((i, last)) = held.last() else {
            continue;
        };
        let due = add_months(last.date, months);
        if c.open_until() > due {
            c.report(
                rule,
                Level::Broken,
                At::File(Kind::Plan, format!("/meetings/{i}")),
                format!(
                    "the {what} was due by {} ({months} months after the meeting of {}) and none is recorded",
                    day(due),
                    day(last.date)
                ),
            );
        } else if c.is_open()
            && soon(c, due)
            && !PartCTransition::after_services_end(c.record, c.program, due)
        {
            c.report(
                rule,
                Level::Soon,
                At::File(Kind::Plan, format!("/meetings/{i}")),
                format!("the next {what} is due by {}", day(due)),
            );
        }
    }
}

/// The initial plan meeting, then the next review and annual meeting.
pub(super) fn due(due: &mut DueDates) {
    let (record, as_of) = (due.record, due.as_of);
    let plan = record.plan.as_ref();
    let last_of = |kinds: &[MeetingType]| {
        plan.and_then(|p| {
            p.meetings
                .iter()
                .filter(|m| kinds.contains(&m.kind) && m.date <= as_of)
                .map(|m| m.date)
                .max()
        })
    };
    if last_of(&[MeetingType::Initial]).is_none() {
        if let Some(initial) = initial_plan_due(record, as_of) {
            let what = match initial.paused_days {
                0 => "initial plan meeting (45 days after referral)".to_string(),
                n => format!("initial plan meeting (45 days after referral, {n} days paused)"),
            };
            due.add(RuleId::InitialPlan45Days, initial.date, what);
        }
        return;
    }
    let ahead = [
        (
            RuleId::Review6Months,
            REVIEW_MEETINGS,
            6,
            "six-month plan review",
        ),
        (
            RuleId::AnnualMeeting,
            ANNUAL_MEETINGS,
            12,
            "annual plan meeting",
        ),
    ];
    for (rule, kinds, months, what) in ahead {
        let Some(last) = last_of(kinds) else { continue };
        let date = add_months(last, months);
        if !PartCTransition::after_services_end(record, due.program, date) {
            due.add(rule, date, what.into());
        }
    }
}

/// A Connecticut family found eligible is told of the programs of its
/// area and chooses one (seed 000): when the program file lists them, the
/// choice is recorded on or after the finding and by the initial plan
/// meeting (reported at the meeting, or at the choice when it comes
/// before the finding).
pub fn program_choice(c: &mut CaseCheck) {
    let areas = &c.program.program.area_programs;
    let case = &c.record.case;
    let Some(found) = case
        .eligibility_date
        .filter(|_| case.part_c && !areas.is_empty())
    else {
        return;
    };
    if case.eligible == Some(false) {
        return;
    }
    let initial = (c
        .record
        .plan
        .iter()
        .flat_map(|p| p.meetings.iter().enumerate()))
    .find(|(_, m)| m.kind == MeetingType::Initial);
    match (&case.program_choice, initial) {
        (Some(choice), _) if choice.chosen_on < found => c.report(
            RuleId::ProgramChoice,
            Level::Broken,
            At::File(Kind::Case, "/program_choice/chosen_on".into()),
            format!(
                "the family chose {} on {}, before the finding of eligibility of {}; the family \
                 chooses once told of the programs of its area, after the finding",
                choice.program,
                day(choice.chosen_on),
                day(found)
            ),
        ),
        (Some(choice), Some((i, m))) if choice.chosen_on > m.date => c.report(
            RuleId::ProgramChoice,
            Level::Broken,
            At::File(Kind::Plan, format!("/meetings/{i}")),
            format!(
                "the initial plan meeting of {} came before the family chose its program on {}; \
                 the family chooses among the programs of its area before its plan is written",
                day(m.date),
                day(choice.chosen_on)
            ),
        ),
        (None, Some((i, m))) => c.report(
            RuleId::ProgramChoice,
            Level::Broken,
            At::File(Kind::Plan, format!("/meetings/{i}")),
            format!(
                "the initial plan meeting of {} is recorded, but not the program the family chose \
                 among those of its area ({}); record it in case.yaml as `program_choice` (`chosen_on`, \
                 `program`)",
                day(m.date),
                areas.join("; ")
            ),
        ),
        _ => {}
    }
}
