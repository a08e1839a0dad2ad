//! The transition at three by the branches of 34 CFR 303.209: a fact about
//! a case's record, worked out once and asked by the `transition-part-c`
//! rule, by `due` and by the transition plan alike:
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
//!   lets parents opt out (303.401(e); it covers only the notification);
//! - whether Part C services go on past the third birthday until the school
//!   year begins (Connecticut's EIS Over 3, 303.211), where the program
//!   offers it and the parents chose it in writing.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::{CaseRecord, CheckSettings, EisOver3, PartCDates, ProgramFile};

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
    /// The last day of Part C services: the day before the third birthday
    /// (303.21: "under three years of age"), or under EIS Over 3 the day
    /// before the school year begins.
    pub services_end: NaiveDate,
    /// Services go on past three under EIS Over 3.
    pub eis_over_3: bool,
}

impl PartCTransition {
    /// When the child came to the program, counted back from the third
    /// birthday; none for a case outside Part C or without a child.
    pub fn timing_of(record: &CaseRecord) -> Option<(PartCDates, NaiveDate, Timing)> {
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
        Some((dates, found, timing))
    }

    /// Whether a meeting due on `date` falls after the last day of Part C
    /// services, so that it is not due at all (the child has left Part C by
    /// then). `due` leaves such a review out, and `check` does not say it is
    /// coming up.
    pub fn after_services_end(record: &CaseRecord, program: &ProgramFile, date: NaiveDate) -> bool {
        PartCTransition::of(record, program).is_some_and(|t| date > t.services_end)
    }

    /// The branches for the case, under the program's settings; none for a
    /// case outside Part C or without a child.
    pub fn of(record: &CaseRecord, program: &ProgramFile) -> Option<PartCTransition> {
        let settings: &CheckSettings = &program.check;
        let (dates, found, timing) = PartCTransition::timing_of(record)?;
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
        let over_3 = transition
            .and_then(|t| t.eis_over_3.as_ref())
            .filter(|e| program.program.offers_eis_over_3 && eis_window(dates.third_birthday, e));
        Some(PartCTransition {
            dates,
            found,
            timing,
            potentially_eligible,
            notification,
            conference,
            opt_out_not_allowed: opt_out.is_some() && honoured.is_none() && potentially_eligible,
            services_end: over_3.map_or(dates.third_birthday, |e| e.school_year_starts)
                - Days::new(1),
            eis_over_3: over_3.is_some(),
        })
    }
}

/// EIS Over 3 is for a child turning three between May 1 and the start of
/// the school year.
pub fn eis_window(third_birthday: NaiveDate, e: &EisOver3) -> bool {
    let may_first = NaiveDate::from_ymd_opt(third_birthday.year(), 5, 1);
    may_first.is_some_and(|may| may <= third_birthday) && third_birthday < e.school_year_starts
}
