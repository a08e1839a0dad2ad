//! Transitions: a Part C child's at three (`transition-part-c`, 34 CFR
//! 303.209), each step at its date by the branches the record's
//! [`PartCTransition`] works out; a woman's two months postpartum and a
//! child's at six (Vermont); `due` lists the next step of each.

use chrono::NaiveDate;

use super::case::{
    At, CaseCheck, DueDates, Level, add_months, day, in_plan_or_birth, late_or_near,
};
use crate::model::transition::eis_window;
pub use crate::model::transition::{ConferenceKind, Notification, PartCTransition, Timing};
use crate::model::{CaseRecord, Client, Kind, MeetingType, PartCDates, RuleId, SchoolDistrict};

/// The `transition-part-c` rule, by the branches above.
pub(super) fn transition_part_c(c: &mut CaseCheck) {
    let Some(tr) = PartCTransition::of(c.record, c.program) else {
        return;
    };
    eis_over_3(c, &tr);
    if tr.opt_out_not_allowed {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/notification_opt_out".into()),
            "the family's opt-out of the notification is recorded, but program.yaml does not say the \
             state lets parents opt out (`check.notification_opt_out`); until it does, the school \
             district is notified"
                .into(),
        );
    }
    match tr.timing {
        Timing::ReferOnly => referred_to_district(c, &tr),
        Timing::AsSoonAsPossible => {
            notified_as_soon_as_possible(c, &tr);
            plan_as_soon_as_possible(c, &tr);
        }
        Timing::Standard => {
            if c.open_until() < tr.dates.conference_from {
                return;
            }
            if let Notification::Owed { by: Some(_) } = tr.notification {
                district_notified(c, &tr.dates);
            }
            conference(c, &tr);
            plan_written(c, &tr.dates);
        }
    }
}

/// "(9 months to 90 days before the third birthday, ...)": the window of
/// the conference and the transition plan.
fn window(dates: &PartCDates) -> String {
    format!(
        "between {} and {} (9 months to 90 days before the third birthday, {})",
        day(dates.conference_from),
        day(dates.conference_by),
        day(dates.third_birthday)
    )
}

/// Found eligible at least 90 days before: the district and state
/// education agency are notified by 90 days before the birthday.
fn district_notified(c: &mut CaseCheck, dates: &PartCDates) {
    let t = c.record.transition.as_ref();
    let birthday = day(dates.third_birthday);
    let district = t.and_then(|t| t.school_district.as_ref());
    let Some(notifications) = district
        .map(SchoolDistrict::notifications)
        .filter(|n| n.iter().any(|n| n.on.is_some()))
    else {
        if late_or_near(c, dates.notify_by) {
            c.report(
                RuleId::TransitionPartC,
                Level::Broken,
                in_plan_or_birth(t.is_some(), "/school_district"),
                format!(
                    "the school district and state education agency must be notified by {} (90 days before the third birthday, {birthday}); no notification is recorded",
                    day(dates.notify_by)
                ),
            );
        }
        return;
    };
    for n in notifications {
        match n.on {
            Some(on) if on > dates.notify_by => c.report(
                RuleId::TransitionPartC,
                Level::Broken,
                At::File(Kind::Transition, format!("/school_district/{}", n.element)),
                format!(
                    "{} was notified on {}, less than 90 days before the third birthday ({birthday}); it was due by {}",
                    n.who,
                    day(on),
                    day(dates.notify_by)
                ),
            ),
            Some(_) => {}
            None if late_or_near(c, dates.notify_by) => c.report(
                RuleId::TransitionPartC,
                Level::Broken,
                At::File(Kind::Transition, "/school_district".into()),
                format!(
                    "{} must be notified by {} as well (90 days before the third birthday, {birthday}; \
                     303.209(b)(1)(i)); its notification is not recorded (`{}`)",
                    n.who,
                    day(dates.notify_by),
                    n.element
                ),
            ),
            None => {}
        }
    }
}

/// Found eligible more than 45 but less than 90 days before: notified as
/// soon as possible after the finding (303.209(b)(1)(ii)).
fn notified_as_soon_as_possible(c: &mut CaseCheck, tr: &PartCTransition) {
    if !matches!(tr.notification, Notification::Owed { by: None }) || c.as_of <= tr.found {
        return;
    }
    let t = c.record.transition.as_ref();
    let notifications = t
        .and_then(|t| t.school_district.as_ref())
        .map(SchoolDistrict::notifications)
        .filter(|n| n.iter().any(|n| n.on.is_some()));
    let found = format!(
        "the child was found eligible on {}, fewer than 90 days before the third birthday ({})",
        day(tr.found),
        day(tr.dates.third_birthday)
    );
    let Some(notifications) = notifications else {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            in_plan_or_birth(t.is_some(), "/school_district"),
            format!(
                "{found}, so the school district and state education agency are notified as soon as \
                 possible after that; no notification is recorded"
            ),
        );
        return;
    };
    for n in notifications.iter().filter(|n| n.on.is_none()) {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/school_district".into()),
            format!(
                "{found}, so {} is notified as soon as possible after that as well; its notification is \
                 not recorded (`{}`)",
                n.who, n.element
            ),
        );
    }
}

/// Referred fewer than 45 days before: with the parent's consent, the
/// child is referred to the district (303.209(b)(1)(iii), 303.414).
fn referred_to_district(c: &mut CaseCheck, tr: &PartCTransition) {
    if tr.notification != Notification::Referral {
        return;
    }
    let case = &c.record.case;
    let birthday = day(tr.dates.third_birthday);
    let Some(referral) = &case.district_referral else {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Case, "/referral_date".into()),
            format!(
                "the child was referred on {}, fewer than 45 days before the third birthday ({birthday}): with the \
                 parent's consent, the program refers the child to the school district and state education agency, \
                 and no evaluation, assessment or initial plan meeting is required; no referral is recorded \
                 (`district_referral`)",
                day(case.referral_date)
            ),
        );
        return;
    };
    match referral.referred_on {
        Some(on) if on < referral.consent_on => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Case, "/district_referral/referred_on".into()),
            format!(
                "the child was referred to the school district on {}, before the parent's consent of {}; \
                 a referral needs the parent's consent first",
                day(on),
                day(referral.consent_on)
            ),
        ),
        Some(_) => {}
        None if late_or_near(c, tr.dates.third_birthday) => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Case, "/district_referral".into()),
            format!(
                "the parent consented to the referral on {}, but no referral to the school district is recorded \
                 (`referred_on`); refer the child before the third birthday ({birthday})",
                day(referral.consent_on)
            ),
        ),
        None => {}
    }
}

/// The conference: with the district inside its window, or with providers
/// of other services; convened with the family's approval either way.
fn conference(c: &mut CaseCheck, tr: &PartCTransition) {
    let t = c.record.transition.as_ref();
    let dates = &tr.dates;
    let window = window(dates);
    let held = t.and_then(|t| t.conference.as_ref());
    match (tr.conference, held) {
        (ConferenceKind::SchoolDistrict, Some(conf))
            if conf.date < dates.conference_from || conf.date > dates.conference_by =>
        {
            c.report(
                RuleId::TransitionPartC,
                Level::Broken,
                At::File(Kind::Transition, "/conference/date".into()),
                format!(
                    "the transition conference on {} is outside its window: it is held {window}",
                    day(conf.date)
                ),
            )
        }
        (ConferenceKind::SchoolDistrict, None) if late_or_near(c, dates.conference_by) => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            in_plan_or_birth(t.is_some(), ""),
            format!("no transition conference is recorded; it is held {window}"),
        ),
        (ConferenceKind::OtherServices, None) if late_or_near(c, dates.conference_by) => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            in_plan_or_birth(t.is_some(), ""),
            format!(
                "no transition conference with providers of other services is recorded; for a child not potentially \
                 eligible for preschool special education, the program makes reasonable efforts, with the family's \
                 approval, to convene one before the transition plan is due ({})",
                day(dates.conference_by)
            ),
        ),
        _ => {}
    }
    if let Some(conf) = held {
        family_approved(c, conf);
    }
}

/// A conference is convened with the family's approval, given before it.
fn family_approved(c: &mut CaseCheck, conf: &crate::model::Conference) {
    match conf.family_approved_on {
        None => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/conference".into()),
            format!(
                "the transition conference on {} has no record of the family's approval \
                 (`family_approved_on`); a conference is convened with the family's approval",
                day(conf.date)
            ),
        ),
        Some(on) if on > conf.date => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/conference/family_approved_on".into()),
            format!(
                "the family approved the transition conference on {}, after it was held on {}; \
                 a conference is convened with the family's approval",
                day(on),
                day(conf.date)
            ),
        ),
        Some(_) => {}
    }
}

/// The transition plan is written no more than 9 months and no fewer than
/// 90 days before the birthday (303.209(d)(2)).
fn plan_written(c: &mut CaseCheck, dates: &PartCDates) {
    let Some(t) = c.record.transition.as_ref() else {
        return;
    };
    if t.written_on < dates.conference_from {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/written_on".into()),
            format!(
                "the transition plan was written on {}, before {}; it is written {}",
                day(t.written_on),
                day(dates.conference_from),
                window(dates)
            ),
        );
    }
    if t.written_on > dates.conference_by {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/written_on".into()),
            format!(
                "the transition plan was written on {}, after {}; it is written {}",
                day(t.written_on),
                day(dates.conference_by),
                window(dates)
            ),
        );
    }
}

/// Found eligible fewer than 90 days before: the 90-day mark has passed,
/// but the child still gets a transition plan, as soon as possible: at the
/// initial plan meeting, where the Department encourages transition to be
/// discussed for a child referred this late (34 CFR 303.209(d), 303.344(h);
/// the Department's discussion of 303.209 in the 2011 final regulations).
fn plan_as_soon_as_possible(c: &mut CaseCheck, tr: &PartCTransition) {
    let Some((i, meeting)) = initial_meeting_after(c.record, tr.found) else {
        return;
    };
    let found = format!(
        "the child was found eligible on {}, fewer than 90 days before the third birthday ({}), so the \
         transition plan is written as soon as possible: at the initial plan meeting on {}",
        day(tr.found),
        day(tr.dates.third_birthday),
        day(meeting)
    );
    match &c.record.transition {
        Some(t) if t.written_on > meeting => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/written_on".into()),
            format!(
                "the transition plan was written on {}; {found}",
                day(t.written_on)
            ),
        ),
        Some(_) => {}
        // Open past the meeting's day (the day checked, or the last day
        // of a case closed since).
        None if c.open_until() > meeting => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Plan, format!("/meetings/{i}/date")),
            format!("{found}; no transition plan is recorded (transition.yaml)"),
        ),
        None => {}
    }
}

/// The initial plan meeting held on or after the eligibility finding `found`
/// (a late finding's plan), with its position in plan.yaml.
fn initial_meeting_after(record: &CaseRecord, found: NaiveDate) -> Option<(usize, NaiveDate)> {
    let plan = record.plan.as_ref()?;
    plan.meetings
        .iter()
        .find(|m| m.kind == MeetingType::Initial && !m.from_review && m.date >= found)
        .map(|m| (m.in_file, m.date))
}

/// EIS Over 3: offered by the program, for a child turning three between
/// May 1 and the start of the school year, found eligible for preschool
/// special education, chosen by the parents in writing, with the annual
/// notice of how the two services differ (303.211(b)(1)).
fn eis_over_3(c: &mut CaseCheck, tr: &PartCTransition) {
    let Some(e) = c
        .record
        .transition
        .as_ref()
        .and_then(|t| t.eis_over_3.as_ref())
    else {
        return;
    };
    let birthday = tr.dates.third_birthday;
    let at = |pointer: &str| At::File(Kind::Transition, format!("/eis_over_3{pointer}"));
    let mut problems: Vec<(At, String)> = Vec::new();
    if !c.program.program.offers_eis_over_3 {
        problems.push((
            at(""),
            "the parents chose EIS Over 3, but program.yaml does not say the program offers it \
             (`program.offers_eis_over_3`); until it does, services end at the third birthday"
                .into(),
        ));
    } else if !eis_window(birthday, e) {
        problems.push((
            at("/school_year_starts"),
            format!(
                "EIS Over 3 is for a child turning three between May 1 and the start of the school year ({}); \
                 this child turns three on {}, so services end at the third birthday",
                day(e.school_year_starts),
                day(birthday)
            ),
        ));
    }
    if e.part_b_eligible_on > e.chosen_in_writing_on {
        problems.push((
            at("/chosen_in_writing_on"),
            format!(
                "the parents chose EIS Over 3 on {}, before the child was found eligible for preschool \
                 special education on {}; the choice is made once the child is eligible",
                day(e.chosen_in_writing_on),
                day(e.part_b_eligible_on)
            ),
        ));
    }
    if e.annual_notice_on.is_none() {
        problems.push((
            at(""),
            "no annual notice of how Birth to Three and preschool special education services differ is \
             recorded (`annual_notice_on`); the parents are given one, the first at the transition conference"
                .into(),
        ));
    }
    for (at, message) in problems {
        c.report(RuleId::TransitionPartC, Level::Broken, at, message);
    }
}

/// A woman beyond two months postpartum, or a child beyond age six, still
/// open, has a transition plan.
pub(super) fn transition_postpartum(c: &mut CaseCheck) {
    let case = &c.record.case;
    if let (Client::Postpartum, Some(woman)) = (&case.client, &case.woman) {
        let due = add_months(woman.delivery_date, 2);
        let what = format!(
            "{} is beyond two months postpartum since {}",
            woman.name,
            day(due)
        );
        open_without_transition(
            c,
            RuleId::TransitionPostpartum,
            due,
            "/woman/delivery_date",
            what,
        );
    }
}

pub(super) fn transition_age_six(c: &mut CaseCheck) {
    let case = &c.record.case;
    if let (Client::Child, Some(child)) = (&case.client, &case.child) {
        let six = add_months(child.date_of_birth, 72);
        let what = format!("{} turned six on {}", child.name, day(six));
        open_without_transition(
            c,
            RuleId::TransitionAgeSix,
            six,
            "/child/date_of_birth",
            what,
        );
    }
}

/// Reports a case still open after `since` without a transition plan.
fn open_without_transition(
    c: &mut CaseCheck,
    rule: RuleId,
    since: NaiveDate,
    pointer: &str,
    what: String,
) {
    if c.is_open() && c.as_of > since && c.record.transition.is_none() {
        c.report(
            rule,
            Level::Broken,
            At::File(Kind::Case, pointer.into()),
            format!(
                "{what} and the case is still open without a transition plan (add transition.yaml)"
            ),
        );
    }
}

/// A Part C child's notification (or referral), conference and third
/// birthday, by the branches of 303.209; a postpartum woman's transition
/// plan.
pub(super) fn due(due: &mut DueDates) {
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

/// What a Part C child's transition owes next, as `transition-part-c`
/// holds it: the notification (by a date or as soon as possible), or the
/// referral; the conference. (The end of services is the exit's.)
fn part_c_due(due: &mut DueDates, tr: &PartCTransition) {
    let (record, as_of) = (due.record, due.as_of);
    let dates = &tr.dates;
    let t = record.transition.as_ref();
    let notified = t
        .and_then(|t| t.school_district.as_ref())
        .and_then(SchoolDistrict::both_notified)
        .is_some_and(|on| on <= as_of);
    match tr.notification {
        Notification::Owed { by } if !notified => due.add(
            RuleId::TransitionPartC,
            by.unwrap_or(tr.found),
            match by {
                Some(_) => "notify the school district and state education agency (90 days before age three)".into(),
                None => "notify the school district and state education agency as soon as possible (found eligible fewer than 90 days before age three)".into(),
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
    if tr.timing == Timing::AsSoonAsPossible
        && t.is_none()
        && let Some((_, meeting)) = initial_meeting_after(record, tr.found)
    {
        due.add(
            RuleId::TransitionPartC,
            meeting,
            "transition plan, at the initial plan meeting (found eligible fewer than 90 days before age three)".into(),
        );
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
}
