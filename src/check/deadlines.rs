//! The next dates a coordinator must meet on each open case, for
//! `casepaper due`: contact this month, the initial plan meeting, the next
//! review and annual meeting, the Part C transition steps and the third
//! birthday, the postpartum transition.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use super::case::{ANNUAL_MEETINGS, REVIEW_MEETINGS, add_months};
use super::delivery;
use super::initial::initial_plan_due;
use super::settings::setting;
use super::transition::{ConferenceKind, Notification, PartCTransition};
use crate::model::{
    CaseRecord, Client, MeetingType, ProgramFile, RuleId, RuleSetting, State, month_start,
};

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
    pub rule: RuleId,
    /// The date has passed and it is not done.
    pub overdue: bool,
}

/// The case's open deadlines on `as_of`, overdue first, then by date. A
/// closed case has none, and a date whose rule the case's profile (or the
/// program) switches off is left out.
pub fn deadlines(program: &ProgramFile, record: &CaseRecord, as_of: NaiveDate) -> Vec<Deadline> {
    if record.case.example || record.exit.as_ref().is_some_and(|e| e.exit_date <= as_of) {
        return Vec::new();
    }
    let mut due = Due {
        program,
        state: record.profile(program),
        record,
        as_of,
        out: Vec::new(),
    };
    monthly_contact_due(&mut due);
    meetings_due(&mut due);
    transition_due(&mut due);
    services_due(&mut due);
    notices_due(&mut due);
    signatures_due(&mut due);
    let mut out = due.out;
    out.sort_by(|a, b| (!a.overdue, a.date, &a.what).cmp(&(!b.overdue, b.date, &b.what)));
    out
}

/// The deadlines of one case being gathered.
struct Due<'a> {
    program: &'a ProgramFile,
    state: State,
    record: &'a CaseRecord,
    as_of: NaiveDate,
    out: Vec<Deadline>,
}

impl Due<'_> {
    /// A deadline of `rule`, unless the case's profile or the program
    /// switches the rule off.
    fn add(&mut self, rule: RuleId, date: NaiveDate, what: String) {
        if setting(self.program, self.state, rule) == RuleSetting::Off {
            return;
        }
        self.out.push(Deadline {
            case_id: self.record.case.case_id.clone(),
            coordinator: self.record.case.coordinator.clone(),
            date,
            what,
            rule,
            overdue: date < self.as_of,
        });
    }
}

/// Each owed signature, by the day it becomes a warning (oldest first).
fn signatures_due(due: &mut Due) {
    let days = due.program.check.signature_warning_days();
    for o in super::signatures::owed(due.record, due.as_of) {
        let what = format!(
            "signature of {} on {}, owed since {}",
            o.signer(),
            o.document,
            super::day(o.since)
        );
        due.add(RuleId::SignatureOwed, o.warning_from(days), what);
    }
}

/// This month's service coordination contact, until a note documents it.
fn monthly_contact_due(due: &mut Due) {
    let as_of = due.as_of;
    let month = month_start(as_of);
    let next_month = month + Months::new(1);
    // Only what had happened by `as_of` counts: the records may be newer.
    if !due.record.contacts.iter().any(|n| {
        n.date >= month
            && n.date < next_month
            && n.date <= as_of
            && due.program.check.counts_as_contact(n)
    }) {
        due.add(
            RuleId::MonthlyContact,
            next_month - Days::new(1),
            format!("service coordination contact for {}", as_of.format("%B %Y")),
        );
    }
}

/// The initial plan meeting, then the next review and annual meeting.
fn meetings_due(due: &mut Due) {
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

/// A Part C child's notification (or referral), conference and third
/// birthday, by the branches of 303.209; a postpartum woman's transition
/// plan.
fn transition_due(due: &mut Due) {
    let (record, as_of) = (due.record, due.as_of);
    let case = &record.case;
    if let Some(tr) = PartCTransition::of(record, due.program) {
        part_c_due(due, &tr);
    }
    let has_transition = record
        .transition
        .as_ref()
        .is_some_and(|t| t.written_on <= as_of);
    if let (Client::Postpartum, Some(woman), false) = (&case.client, &case.woman, has_transition) {
        due.add(
            RuleId::TransitionPostpartum,
            add_months(woman.delivery_date, 2),
            "transition plan (two months postpartum)".into(),
        );
    }
}

/// Prior written notices still to give for actions ahead, up to the day of
/// the action (the start of services, an exit the records already show), by
/// the day the program's days before the action fall on. `check` reports
/// those already late.
fn notices_due(due: &mut Due) {
    let days = u64::from(due.program.check.notice_days(due.state));
    let given = |action, date| {
        due.record
            .notices
            .iter()
            .flat_map(|n| &n.prior_written)
            .any(|n| n.action == action && n.date == date)
    };
    let ahead: Vec<_> = super::notices::actions(due.record)
        .into_iter()
        .filter(|a| !a.action.is_finding() && a.date >= due.as_of && !given(a.action, a.date))
        .collect();
    for a in ahead {
        let by = a.date - Days::new(days);
        due.add(
            RuleId::PriorWrittenNotice,
            by,
            format!(
                "give the prior written notice of the {} of {}",
                a.action.words(),
                super::day(a.date)
            ),
        );
    }
}

/// Services the notes show behind plan so far this month: fewer deliveries
/// since the month (or the service) began than the plan calls for by
/// `as_of`, beyond the program's tolerance (rounded down, so a week's first
/// days are not yet behind).
fn services_due(due: &mut Due) {
    let Some(plan) = &due.record.plan else { return };
    let as_of = due.as_of;
    let month = month_start(as_of);
    let month_end = month + Months::new(1) - Days::new(1);
    let settings = &due.program.check;
    let allowed = f64::from(100 - settings.shortfall_percent().min(100)) / 100.0;
    // The plan as it stands today: a meeting may have changed a service.
    for s in plan.as_of(as_of).services.iter() {
        if s.service_coordination || s.start_date > as_of || s.end_date.is_some_and(|e| e < month) {
            continue;
        }
        let delivered = delivery::deliveries(due.record, s);
        if delivered.is_empty() {
            continue;
        }
        let from = month.max(s.start_date);
        let so_far = delivered
            .iter()
            .filter(|d| **d >= from && **d <= as_of)
            .count();
        let planned = delivery::planned_between(s, from, as_of);
        if (so_far as f64) < (planned * allowed).floor() {
            let until = s.end_date.map_or(month_end, |e| e.min(month_end));
            due.add(
                RuleId::ServiceDelivery,
                until,
                format!(
                    "deliver `{}` ({}): {so_far} of {} planned sessions so far this month",
                    s.id,
                    s.service,
                    delivery::sessions(planned)
                ),
            );
        }
    }
}

/// What a Part C child's transition owes next, as `transition-part-c`
/// holds it: the notification (by a date or as soon as possible), or the
/// referral; the conference; the birthday.
fn part_c_due(due: &mut Due, tr: &PartCTransition) {
    let (record, as_of) = (due.record, due.as_of);
    let dates = &tr.dates;
    let t = record.transition.as_ref();
    let notified = t
        .and_then(|t| t.school_district.as_ref())
        .and_then(|d| d.notified_on)
        .is_some_and(|on| on <= as_of);
    match tr.notification {
        Notification::Owed { by } if !notified => due.add(
            RuleId::TransitionPartC,
            by.unwrap_or(tr.found),
            match by {
                Some(_) => "notify the school district (90 days before age three)".into(),
                None => "notify the school district as soon as possible (found eligible fewer than 90 days before age three)".into(),
            },
        ),
        Notification::Referral
            if record
                .case
                .district_referral
                .as_ref()
                .and_then(|r| r.referred_on)
                .is_none_or(|on| on > as_of) =>
        {
            due.add(
                RuleId::TransitionPartC,
                dates.third_birthday,
                "refer to the school district, with the parent's consent (referred fewer than 45 days before age three)".into(),
            )
        }
        _ => {}
    }
    let conference_held = t
        .and_then(|t| t.conference.as_ref())
        .is_some_and(|c| c.date <= as_of);
    let what = match tr.conference {
        ConferenceKind::SchoolDistrict => format!(
            "transition conference (window opens {})",
            dates.conference_from.format("%B %-d, %Y")
        ),
        ConferenceKind::OtherServices => {
            "transition conference with providers of other services, with the family's approval"
                .into()
        }
        ConferenceKind::NotRequired => String::new(),
    };
    if !conference_held && tr.conference != ConferenceKind::NotRequired {
        due.add(RuleId::TransitionPartC, dates.conference_by, what);
    }
    if tr.eis_over_3 {
        due.add(
            RuleId::TransitionPartC,
            tr.services_end,
            "Part C services end: the school year begins (EIS Over 3)".into(),
        );
    } else {
        due.add(
            RuleId::TransitionPartC,
            dates.third_birthday,
            "third birthday: Part C services end".into(),
        );
    }
}
