//! The initial plan's 45-day timeline (34 CFR 303.310), for the rule that
//! holds a case to it and the deadline `due` lists alike.

use chrono::NaiveDate;

use super::transition;
use crate::model::CaseRecord;

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

/// The initial plan meeting's due date, for `check` and `due` alike. None
/// when the 45-day rule does not hold: a case outside Part C, a delay the
/// family asked for (`family_delay` on the plan), or an exception still
/// running on `as_of` (the meeting is then held as soon as possible after
/// it ends, 303.310(c)); one with no end lasted until the initial meeting.
/// Nor for a child referred fewer than 45 days before the third birthday.
pub fn initial_plan_due(record: &CaseRecord, as_of: NaiveDate) -> Option<InitialPlanDue> {
    let case = &record.case;
    // A child found not eligible has no plan to write.
    if !case.part_c
        || case.eligible == Some(false)
        || record
            .plan
            .as_ref()
            .is_some_and(|p| p.family_delay.is_some())
    {
        return None;
    }
    // Referred fewer than 45 days before the third birthday: no evaluation,
    // assessment or initial plan meeting is required (303.209(b)(1)(iii)).
    if transition::PartCTransition::timing_of(record)
        .is_some_and(|(_, _, timing)| timing == transition::Timing::ReferOnly)
    {
        return None;
    }
    let held = record.plan.as_ref().and_then(|p| {
        p.meetings
            .iter()
            .filter(|m| m.kind == crate::model::MeetingType::Initial)
            .map(|m| m.date)
            .min()
    });
    let mut exceptions: Vec<_> = case.timeline_exceptions.iter().collect();
    exceptions.sort_by_key(|e| e.from);
    let mut due = case.referral_date + chrono::Days::new(45);
    let mut paused = 0;
    // The first day not yet counted as paused.
    let mut counted_to = case.referral_date;
    for e in exceptions {
        if e.from > due {
            break;
        }
        // An exception with no end lasted until the initial meeting.
        let until = match e.until.or_else(|| held.map(|d| d - chrono::Days::new(1))) {
            Some(until) if until < as_of => until,
            _ => return None,
        };
        let from = e.from.max(counted_to);
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
