//! The next dates a coordinator must meet on each open case, for
//! `casepaper due`: contact this month, the initial plan meeting, the next
//! review and annual meeting, the Part C transition steps and the third
//! birthday, the postpartum transition.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use super::{add_months, profile, setting};
use crate::model::{CaseRecord, Client, PartCDates, ProgramFile, RuleSetting, month_start};

/// One date to meet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deadline {
    pub case_id: String,
    /// The coordinator's staff id.
    pub coordinator: String,
    pub date: NaiveDate,
    /// What is due, in a coordinator's words.
    pub what: String,
    /// The `check` rule that sets this date.
    pub rule: &'static str,
    /// The date has passed and it is not done.
    pub overdue: bool,
}

/// Whether a meeting type counts as a review / as an annual meeting.
pub const REVIEW_MEETINGS: &[&str] = &["initial", "six-month-review", "annual", "change"];
pub const ANNUAL_MEETINGS: &[&str] = &["initial", "annual"];

/// The case's open deadlines on `as_of`, overdue first, then by date. A
/// closed case has none, and a date whose rule the case's profile (or the
/// program) switches off is left out.
pub fn deadlines(program: &ProgramFile, record: &CaseRecord, as_of: NaiveDate) -> Vec<Deadline> {
    if record.exit.as_ref().is_some_and(|e| e.exit_date <= as_of) {
        return Vec::new();
    }
    let state = profile(program, record);
    let mut out = Vec::new();
    let mut due = |rule: &'static str, date: NaiveDate, what: String| {
        if setting(program, state, rule) == RuleSetting::Off {
            return;
        }
        out.push(Deadline {
            case_id: record.case.case_id.clone(),
            coordinator: record.case.coordinator.clone(),
            date,
            what,
            rule,
            overdue: date < as_of,
        });
    };

    let month = month_start(as_of);
    let next_month = month + Months::new(1);
    // Only what had happened by `as_of` counts: the records may be newer.
    if !record
        .contacts
        .iter()
        .any(|n| n.date >= month && n.date < next_month && n.date <= as_of)
    {
        due(
            "monthly-contact",
            next_month - Days::new(1),
            format!("service coordination contact for {}", as_of.format("%B %Y")),
        );
    }

    let plan = record.plan.as_ref();
    let last_of = |kinds: &[&str]| {
        plan.and_then(|p| {
            p.meetings
                .iter()
                .filter(|m| kinds.contains(&m.kind.as_str()) && m.date <= as_of)
                .map(|m| m.date)
                .max()
        })
    };
    match last_of(&["initial"]) {
        None => due(
            "initial-plan-45-days",
            record.case.referral_date + Days::new(45),
            "initial plan meeting (45 days after referral)".into(),
        ),
        Some(_) => {
            if let Some(last) = last_of(REVIEW_MEETINGS) {
                due(
                    "review-6-months",
                    add_months(last, 6),
                    "six-month plan review".into(),
                );
            }
            if let Some(last) = last_of(ANNUAL_MEETINGS) {
                due(
                    "annual-meeting",
                    add_months(last, 12),
                    "annual plan meeting".into(),
                );
            }
        }
    }

    let case = &record.case;
    if let (true, Some(child)) = (case.part_c, &case.child) {
        let dates = PartCDates::for_child(child);
        let t = record.transition.as_ref();
        let notified = t
            .and_then(|t| t.school_district.as_ref())
            .and_then(|d| d.notified_on)
            .is_some_and(|on| on <= as_of);
        if !notified {
            due(
                "transition-part-c",
                dates.notify_by,
                "notify the school district (90 days before age three)".into(),
            );
        }
        if t.and_then(|t| t.conference.as_ref())
            .is_none_or(|c| c.date > as_of)
        {
            due(
                "transition-part-c",
                dates.conference_by,
                format!(
                    "transition conference (window opens {})",
                    dates.conference_from.format("%B %-d, %Y")
                ),
            );
        }
        due(
            "transition-part-c",
            dates.third_birthday,
            "third birthday: Part C services end".into(),
        );
    }
    let has_transition = record
        .transition
        .as_ref()
        .is_some_and(|t| t.written_on <= as_of);
    if let (Client::Postpartum, Some(woman), false) = (&case.client, &case.woman, has_transition) {
        due(
            "transition-postpartum",
            add_months(woman.delivery_date, 2),
            "transition plan (two months postpartum)".into(),
        );
    }
    out.sort_by(|a, b| (!a.overdue, a.date, &a.what).cmp(&(!b.overdue, b.date, &b.what)));
    out
}
