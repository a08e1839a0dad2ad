//! The transition at three as the desk says it before the coordinator
//! types anything: the branch of 34 CFR 303.209 the child's record puts
//! the case on (`model::PartCTransition`), with its dates.

use crate::model::day;
use crate::model::transition::{ConferenceKind, Notification, PartCTransition, Timing};
use crate::pipeline::Valid;

/// What the branch owes, a sentence each; none for a case outside Part C
/// or without a child.
pub fn lines(valid: &Valid) -> Vec<String> {
    let (Some(case), Some(program)) = (valid.first_case(), valid.program()) else {
        return Vec::new();
    };
    let Some(t) = PartCTransition::of(&case.record, program) else {
        return Vec::new();
    };
    let dates = &t.dates;
    let mut out = vec![if t.eis_over_3 {
        format!(
            "Third birthday: {}. Under EIS Over 3, Part C services go on until {}, the day before \
             the school year begins (303.211).",
            day(dates.third_birthday),
            day(t.services_end)
        )
    } else {
        format!(
            "Third birthday: {}. Part C services end on {}, the day before.",
            day(dates.third_birthday),
            day(t.services_end)
        )
    }];
    out.push(match t.timing {
        Timing::Standard => format!(
            "Found eligible on {}, at least 90 days before the third birthday (303.209(b)(1)(i)).",
            day(t.found)
        ),
        Timing::AsSoonAsPossible => format!(
            "Found eligible on {}, fewer than 90 days before the third birthday \
             (303.209(b)(1)(ii)): no transition conference is required.",
            day(t.found)
        ),
        Timing::ReferOnly => "Referred fewer than 45 days before the third birthday \
                              (303.209(b)(1)(iii)): no evaluation, assessment, initial plan \
                              meeting or transition conference is required."
            .into(),
    });
    out.push(match t.notification {
        Notification::Owed { by: Some(by) } => format!(
            "Notify the school district and the state education agency by {} (303.209(b)(1)(i)).",
            day(by)
        ),
        Notification::Owed { by: None } => "Notify the school district and the state education \
                                           agency as soon as possible (303.209(b)(1)(ii))."
            .into(),
        Notification::OptedOut { on } => format!(
            "The family opted out of the notification on {} (303.401(e)); the conference is still \
             offered.",
            day(on)
        ),
        Notification::Referral => "With the parent's consent, refer the child to the school \
                                   district (303.209(b)(1)(iii), 303.414)."
            .into(),
        Notification::NotOwed => "Not potentially eligible for Part B preschool services: the \
                                  school district is not notified."
            .into(),
    });
    if t.opt_out_not_allowed {
        out.push(
            "The family's opt-out is recorded, but the program file does not say the state allows \
             one: the notification is still owed."
                .into(),
        );
    }
    match t.conference {
        ConferenceKind::SchoolDistrict => out.push(format!(
            "With the family's approval, hold the transition conference with the school district \
             between {} and {} (303.209(c)(1)).",
            day(dates.conference_from),
            day(dates.conference_by)
        )),
        ConferenceKind::OtherServices => out.push(format!(
            "With the family's approval, make reasonable efforts to convene a conference with the \
             providers of other services, between {} and {} (303.209(c)(2)).",
            day(dates.conference_from),
            day(dates.conference_by)
        )),
        ConferenceKind::NotRequired => {}
    }
    out.push(match t.timing {
        Timing::Standard => format!(
            "Write the transition plan, with its steps, between {} and {} (303.209(d)(2)).",
            day(dates.conference_from),
            day(dates.conference_by)
        ),
        _ => "Write the transition plan, with its steps, as soon as possible (303.209(d)).".into(),
    });
    out
}
