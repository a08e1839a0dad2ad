//! The transition at three by the branches of 34 CFR 303.209, worked out
//! once from the record and asked by the `transition-part-c` rule, by `due`
//! and by the transition plan alike:
//!
//! - when the child came to the program: found eligible at least 90 days
//!   before the third birthday (notify the school district and state
//!   education agency by 90 days before, 303.209(b)(1)(i)); found eligible
//!   more than 45 but less than 90 days before (notify as soon as possible,
//!   (b)(1)(ii)); referred fewer than 45 days before (with the parent's
//!   consent, refer the child to the district, and no evaluation,
//!   assessment or initial plan meeting is required, (b)(1)(iii), 303.414);
//! - whether the child is potentially eligible for Part B preschool
//!   services: only then is the district notified (or the child referred),
//!   and the conference is with the district (303.209(c)(1)); otherwise the
//!   program makes reasonable efforts, with the family's approval, to
//!   convene one with providers of other services ((c)(2));
//! - whether the family opted out of the notification, where the state
//!   lets parents opt out (303.401(e); it covers only the notification).

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::rules::{in_plan_or_birth, late_or_near};
use super::{At, CaseCheck, Level, day};
use crate::model::{CaseRecord, CheckSettings, Kind, PartCDates, RuleId};

/// When the child came to the program, counted back from the third birthday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    /// Found eligible at least 90 days before the third birthday.
    Standard,
    /// Found eligible fewer than 90 days before (and referred at least 45
    /// days before): notify as soon as possible.
    AsSoonAsPossible,
    /// Referred fewer than 45 days before: refer to the district with
    /// consent; no evaluation, assessment or initial plan meeting needed.
    ReferOnly,
}

/// What the program owes the school district and state education agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Notification {
    /// A notification, by this date (90 days before the birthday), or as
    /// soon as possible after the eligibility finding (`by` absent).
    Owed { by: Option<NaiveDate> },
    /// The family opted out, which the state allows.
    OptedOut { on: NaiveDate },
    /// A referral with the parent's consent, instead of a notification.
    Referral,
    /// Nothing: the child is not potentially eligible for Part B.
    NotOwed,
}

/// Which transition conference the program convenes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConferenceKind {
    /// With the school district, with the family's approval, between 9
    /// months and 90 days before the birthday.
    SchoolDistrict,
    /// Reasonable efforts, with the family's approval, to convene one with
    /// providers of other services.
    OtherServices,
    /// None is required: too late for one (found eligible fewer than 90
    /// days before, or referred fewer than 45 days before).
    NotRequired,
}

/// A Part C child's transition at three, by its branches.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PartCTransition {
    pub dates: PartCDates,
    /// The eligibility finding (the referral, when none is recorded).
    pub found: NaiveDate,
    pub timing: Timing,
    /// Potentially eligible for Part B preschool services; unknown counts
    /// as potentially eligible (the district is then notified).
    pub potentially_eligible: bool,
    pub notification: Notification,
    pub conference: ConferenceKind,
    /// The family's opt-out is recorded, but the program file does not say
    /// the state allows one: it is not honoured.
    pub opt_out_not_allowed: bool,
}

impl PartCTransition {
    /// The branches for the case; none for a case outside Part C or
    /// without a child.
    pub fn of(record: &CaseRecord, settings: &CheckSettings) -> Option<PartCTransition> {
        let case = &record.case;
        let child = case.child.as_ref().filter(|_| case.part_c)?;
        let dates = PartCDates::for_child(child);
        let found = case.eligibility_date.unwrap_or(case.referral_date);
        let timing = if case.referral_date > dates.third_birthday - Days::new(45) {
            Timing::ReferOnly
        } else if found > dates.notify_by {
            Timing::AsSoonAsPossible
        } else {
            Timing::Standard
        };
        let transition = record.transition.as_ref();
        let potentially_eligible = transition
            .and_then(|t| t.potentially_eligible_part_b)
            .unwrap_or(true);
        let opt_out = transition.and_then(|t| t.notification_opt_out.as_ref());
        let honoured = opt_out.filter(|_| settings.notification_opt_out);
        let notification = match (potentially_eligible, timing, honoured) {
            (false, _, _) => Notification::NotOwed,
            (true, Timing::ReferOnly, _) => Notification::Referral,
            (true, _, Some(o)) => Notification::OptedOut { on: o.on },
            (true, Timing::Standard, None) => Notification::Owed {
                by: Some(dates.notify_by),
            },
            (true, Timing::AsSoonAsPossible, None) => Notification::Owed { by: None },
        };
        let conference = match (timing, potentially_eligible) {
            (Timing::Standard, true) => ConferenceKind::SchoolDistrict,
            (Timing::Standard, false) => ConferenceKind::OtherServices,
            _ => ConferenceKind::NotRequired,
        };
        Some(PartCTransition {
            dates,
            found,
            timing,
            potentially_eligible,
            notification,
            conference,
            opt_out_not_allowed: opt_out.is_some() && honoured.is_none() && potentially_eligible,
        })
    }
}

/// The `transition-part-c` rule, by the branches above.
pub(super) fn transition_part_c(c: &mut CaseCheck) {
    let Some(tr) = PartCTransition::of(c.record, &c.program.check) else {
        return;
    };
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
        Timing::AsSoonAsPossible => notified_as_soon_as_possible(c, &tr),
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
    let notified = t
        .and_then(|t| t.school_district.as_ref())
        .and_then(|d| d.notified_on);
    match notified {
        Some(on) if on > dates.notify_by => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            At::File(Kind::Transition, "/school_district/notified_on".into()),
            format!(
                "the school district was notified on {}, less than 90 days before the third birthday ({birthday}); it was due by {}",
                day(on),
                day(dates.notify_by)
            ),
        ),
        Some(_) => {}
        None if late_or_near(c, dates.notify_by) => c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            in_plan_or_birth(t.is_some(), "/school_district"),
            format!(
                "the school district and state education agency must be notified by {} (90 days before the third birthday, {birthday}); no notification is recorded",
                day(dates.notify_by)
            ),
        ),
        None => {}
    }
}

/// Found eligible more than 45 but less than 90 days before: notified as
/// soon as possible after the finding (303.209(b)(1)(ii)).
fn notified_as_soon_as_possible(c: &mut CaseCheck, tr: &PartCTransition) {
    if !matches!(tr.notification, Notification::Owed { by: None }) || c.as_of <= tr.found {
        return;
    }
    let t = c.record.transition.as_ref();
    let notified = t
        .and_then(|t| t.school_district.as_ref())
        .and_then(|d| d.notified_on);
    if notified.is_none() {
        c.report(
            RuleId::TransitionPartC,
            Level::Broken,
            in_plan_or_birth(t.is_some(), "/school_district"),
            format!(
                "the child was found eligible on {}, fewer than 90 days before the third birthday ({}), so the school \
                 district and state education agency are notified as soon as possible after that; no notification is recorded",
                day(tr.found),
                day(tr.dates.third_birthday)
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

/// The transition plan is written by 90 days before the birthday.
fn plan_written(c: &mut CaseCheck, dates: &PartCDates) {
    if let Some(t) = c.record.transition.as_ref()
        && t.written_on > dates.conference_by
    {
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
