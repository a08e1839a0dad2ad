//! The rules, one function each, named by their ids. Numbers and sources are
//! in the domain notes: 34 CFR 303 for the federal ones, the Connecticut
//! service coordination procedure and the Vermont One Plan contract.

use chrono::{Days, Months, NaiveDate};

use super::case::{
    ANNUAL_MEETINGS, At, CaseCheck, Level, REVIEW_MEETINGS, add_months, day, month, soon,
};
use super::delivery;
use super::initial::initial_plan_due;
use crate::model::{
    Client, ContactKind, ContactNote, Decision, ExitReason, Kind, MeetingType, RuleId, month_start,
};

pub fn run(c: &mut CaseCheck) {
    monthly_contact(c);
    note_signed(c);
    coordinator_direct_provider(c);
    initial_plan_45_days(c);
    services(c);
    super::consents::evaluation_consent(c);
    super::consents::insurance_billing(c);
    super::notices::prior_written_notice(c);
    super::notices::meeting_notice(c);
    reviews(c);
    super::transition::transition_part_c(c);
    transition_postpartum(c);
    transition_age_six(c);
    minimum_documentation(c);
    exit_notice(c);
    service_delivery(c);
    super::signatures::signature_owed(c);
}

/// Where a missing contact is reported: the notes of the first contacts
/// file, or the case file when there is none.
fn contacts_at(c: &CaseCheck) -> At<'static> {
    if c.record.contacts.is_empty() {
        At::File(Kind::Case, "/referral_date".into())
    } else {
        At::File(Kind::Contacts, "/notes".into())
    }
}

/// Each calendar month after the referral month that the case was open all
/// of (through its last day, up to the exit or the day before `--as-of`)
/// has at least one service coordination note that reached the family. A
/// month of attempts only is `contact-attempts-only` instead.
fn monthly_contact(c: &mut CaseCheck) {
    let referral = c.record.case.referral_date;
    let last_open = if c.is_open() {
        c.as_of - Days::new(1)
    } else {
        c.open_until()
    };
    let mut m = month_start(referral) + Months::new(1);
    loop {
        let next = m + Months::new(1);
        let month_end = next - Days::new(1);
        if month_end > last_open {
            break;
        }
        if !has_contact(c, m, next) {
            let attempts: Vec<&ContactNote> = notes_in(c, m, next).collect();
            if attempts.is_empty() {
                no_contact(c, m);
            } else {
                attempts_only(c, m, &attempts);
            }
        }
        m = next;
    }
    // The month in progress: a notice while it still has no contact.
    let next = m + Months::new(1);
    let month_end = next - Days::new(1);
    if c.is_open() && m <= c.as_of && !has_contact(c, m, next) && soon(c, month_end) {
        c.report(
            RuleId::MonthlyContact,
            Level::Soon,
            contacts_at(c),
            format!(
                "no contact is documented yet in {}; one is due by {}",
                month(m),
                day(month_end)
            ),
        );
    }
}

/// The case's notes from `from` until before `until`.
fn notes_in<'a>(
    c: &CaseCheck<'a>,
    from: NaiveDate,
    until: NaiveDate,
) -> impl Iterator<Item = &'a ContactNote> {
    c.record
        .contacts
        .iter()
        .filter(move |n| n.date >= from && n.date < until)
}

/// Whether a note from `from` until before `until` counts as service
/// coordination (an attempt does not, unless the program counts them).
fn has_contact(c: &CaseCheck, from: NaiveDate, until: NaiveDate) -> bool {
    notes_in(c, from, until).any(|n| c.program.check.counts_as_contact(n))
}

/// A month without any note: at the last note before the gap, where the
/// next belongs.
fn no_contact(c: &mut CaseCheck, m: NaiveDate) {
    let record = c.record;
    let (at, after) = match record.contacts.iter().rfind(|n| n.date < m) {
        Some(note) => (
            At::Note(note, ""),
            format!(" (the last note before it is of {})", day(note.date)),
        ),
        None => (contacts_at(c), String::new()),
    };
    c.report(
        RuleId::MonthlyContact,
        Level::Broken,
        at,
        format!(
            "no service coordination contact is documented in {}{after}; \
             while a case is open, document at least one contact every month",
            month(m)
        ),
    );
}

/// A month whose notes are all attempts that reached no one: at the first
/// attempt, naming them all. Attempts that end in an exit for inability to
/// contact, with no contact between them and the exit, are that exit's
/// documentation, not a gap.
fn attempts_only(c: &mut CaseCheck, m: NaiveDate, attempts: &[&ContactNote]) {
    if let Some(exit) = &c.record.exit
        && exit.reason == ExitReason::CouldNotReach
        && !c
            .record
            .contacts
            .iter()
            .any(|n| n.reached() && n.date >= m && n.date <= exit.exit_date)
    {
        return;
    }
    let named: Vec<String> = attempts
        .iter()
        .map(|n| {
            let what = n.attempt.map_or("attempt", |a| a.words());
            format!("{}: {what}", day(n.date))
        })
        .collect();
    c.report(
        RuleId::ContactAttemptsOnly,
        Level::Broken,
        At::Note(attempts[0], "/attempt"),
        format!(
            "in {} the only notes are attempts that reached no one ({}); an attempt is not \
             the month's service coordination: document a contact that reaches the family, \
             or an exit if the family cannot be reached",
            month(m),
            named.join("; ")
        ),
    );
}

/// Every note is signed by the case's coordinator, on or after the contact.
fn note_signed(c: &mut CaseCheck) {
    let coordinator = c.record.case.coordinator.clone();
    let record = c.record;
    for note in &record.contacts {
        if note.signed.by != coordinator {
            let name = c
                .program
                .staff(&note.signed.by)
                .map_or(note.signed.by.clone(), |s| s.name.clone());
            c.report(
                RuleId::NoteSigned,
                Level::Broken,
                At::Note(note, "/signed/by"),
                format!(
                    "the note of {} is signed by {name}, but the case's coordinator is `{coordinator}`; \
                     contact notes are signed by the family's service coordinator",
                    day(note.date)
                ),
            );
        }
        if note.signed.on < note.date {
            c.report(
                RuleId::NoteSigned,
                Level::Broken,
                At::Note(note, "/signed/on"),
                format!(
                    "the note of {} is signed on {}, before the contact took place",
                    day(note.date),
                    day(note.signed.on)
                ),
            );
        }
    }
}

/// Connecticut: the coordinator is also one of the family's direct
/// providers (a service other than service coordination on the plan), or,
/// in the rare case where that is not possible, the plan's notes say why
/// (seed 000). Vermont's profile leaves it off.
fn coordinator_direct_provider(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let id = c.record.case.coordinator.as_str();
    let Some(staff) = c.program.staff(id) else {
        return;
    };
    let provides = plan
        .current()
        .services
        .iter()
        .any(|s| !s.service_coordination && s.provider.staff.as_deref() == Some(id));
    let explained = plan.notes.as_deref().is_some_and(|n| !n.trim().is_empty());
    if !provides && !explained {
        c.report(
            RuleId::CoordinatorDirectProvider,
            Level::Broken,
            At::File(Kind::Plan, "/services".into()),
            format!(
                "the coordinator, {}, provides none of the plan's services other than service coordination; \
                 a coordinator is also one of the family's direct providers: add them to a service, \
                 or say why not in the plan's `notes`",
                staff.name
            ),
        );
    }
}

/// A Part C child's initial plan meeting is within 45 days of the
/// referral, the timeline not running during documented exceptions
/// (303.310).
fn initial_plan_45_days(c: &mut CaseCheck) {
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
                 unless the family asked for a delay (record it as `family_delay`) or the case records an exception (`timeline_exceptions`)",
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

/// Services start after a consent that accepts them, within 30 days of it,
/// and a declined service is not delivered.
fn services(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    for (i, s) in plan.services.iter().enumerate() {
        let mut decisions: Vec<(NaiveDate, Decision)> = plan
            .consents
            .iter()
            .flat_map(|consent| {
                consent
                    .services
                    .iter()
                    .filter(|d| d.service == s.id)
                    .map(move |d| (consent.date, d.decision))
            })
            .collect();
        decisions.sort();
        let first_accept = decisions
            .iter()
            .find(|(_, d)| *d == Decision::Accepted)
            .map(|(date, _)| *date);
        let start = At::File(Kind::Plan, format!("/services/{i}/start_date"));
        match first_accept {
            None => {
                let why = if decisions.is_empty() {
                    "no consent on the plan names it"
                } else {
                    "the parent declined it"
                };
                if s.start_date <= c.as_of {
                    c.report(
                        RuleId::ConsentBeforeService,
                        Level::Broken,
                        start,
                        format!(
                            "`{}` starts on {}, but {why}; a service is delivered only after the parent accepts it",
                            s.id,
                            day(s.start_date)
                        ),
                    );
                }
            }
            Some(consented) if s.start_date < consented => c.report(
                RuleId::ConsentBeforeService,
                Level::Broken,
                start,
                format!(
                    "`{}` starts on {}, before the consent of {} that accepts it",
                    s.id,
                    day(s.start_date),
                    day(consented)
                ),
            ),
            Some(consented) => {
                let days = (s.start_date - consented).num_days();
                if days > 30 {
                    c.report(
                        RuleId::ServicesStart,
                        Level::Broken,
                        start,
                        format!(
                            "`{}` starts on {}, {days} days after the consent of {}; services start as soon as possible after consent (flagged after 30 days)",
                            s.id,
                            day(s.start_date),
                            day(consented)
                        ),
                    );
                }
            }
        }
        declined_later(c, i, s, &decisions, first_accept);
    }
}

/// The latest decision wins: a service declined after being accepted must
/// end by the date it was declined.
fn declined_later(
    c: &mut CaseCheck,
    i: usize,
    s: &crate::model::ServiceRow,
    decisions: &[(NaiveDate, Decision)],
    first_accept: Option<NaiveDate>,
) {
    let end_date = s.current().end_date;
    if let (Some((declined, Decision::Declined)), Some(_)) = (decisions.last(), first_accept)
        && end_date.is_none_or(|end| end > *declined)
    {
        c.report(
                RuleId::ConsentBeforeService,
                Level::Broken,
                At::File(Kind::Plan, format!("/services/{i}")),
                format!(
                    "the parent declined `{}` on {}, but the plan still delivers it {}; give it an end date on or before the decline",
                    s.id,
                    day(*declined),
                    end_date.map_or("with no end date".to_string(), |e| format!("until {}", day(e)))
                ),
            );
    }
}

/// Reviews at most 6 months apart, annual meetings at most 12 months apart.
fn reviews(c: &mut CaseCheck) {
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
            && !super::transition::PartCTransition::after_services_end(c.record, c.program, due)
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

/// A woman beyond two months postpartum, or a child beyond age six, still
/// open, has a transition plan.
fn transition_postpartum(c: &mut CaseCheck) {
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

fn transition_age_six(c: &mut CaseCheck) {
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

/// A case that ended after three or fewer visits still has its plan:
/// consent, services grid and outcomes page.
fn minimum_documentation(c: &mut CaseCheck) {
    let Some(_) = &c.record.exit else { return };
    let visits = c
        .record
        .contacts
        .iter()
        .filter(|n| n.kind == ContactKind::Visit)
        .count();
    if visits <= 3 && c.record.plan.is_none() {
        c.report(
            RuleId::MinimumDocumentation,
            Level::Broken,
            At::File(Kind::Exit, "/reason".into()),
            format!(
                "services ended after {visits} visit{} and the case has no plan; even then the record keeps the consent, services grid and outcomes page (add plan.yaml)",
                if visits == 1 { "" } else { "s" }
            ),
        );
    }
}

/// An exit because the family could not be reached: the letter is dated on
/// or after the last documented attempt.
fn exit_notice(c: &mut CaseCheck) {
    let Some(exit) = &c.record.exit else { return };
    if exit.reason != ExitReason::CouldNotReach {
        return;
    }
    let Some(last) = exit.attempts.iter().map(|a| a.date).max() else {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/reason".into()),
            "the family could not be reached, but no attempt to reach them is documented".into(),
        );
        return;
    };
    if exit.letter_date < last {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/letter_date".into()),
            format!(
                "the exit letter is dated {}, before the last attempt to reach the family on {}; the written notice follows the attempts",
                day(exit.letter_date),
                day(last)
            ),
        );
    }
    if exit.letter_date >= exit.exit_date {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, "/letter_date".into()),
            format!(
                "the exit letter is dated {}, but services end on {}; the letter comes before the exit, so the \
                 family can still call to keep their services",
                day(exit.letter_date),
                day(exit.exit_date)
            ),
        );
    }
    attempts_in_notes(c, exit);
}

/// The attempts an exit letter lists are the ones the contact notes record:
/// each listed attempt has an attempt note on its date, and each attempt
/// note since the last contact that reached the family is listed.
fn attempts_in_notes(c: &mut CaseCheck, exit: &crate::model::ExitRecord) {
    let attempt_on = |d: NaiveDate| {
        c.record
            .contacts
            .iter()
            .any(|n| n.date == d && !n.reached())
    };
    let missing: Vec<(usize, NaiveDate)> = exit
        .attempts
        .iter()
        .enumerate()
        .filter(|(_, a)| !attempt_on(a.date))
        .map(|(i, a)| (i, a.date))
        .collect();
    for (i, date) in missing {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::File(Kind::Exit, format!("/attempts/{i}/date")),
            format!(
                "the exit letter lists an attempt on {}, but no contact note records an attempt that day; \
                 record it as a note with `attempt:` so the letter and the notes agree",
                day(date)
            ),
        );
    }
    let last_reached = c
        .record
        .contacts
        .iter()
        .filter(|n| n.reached())
        .map(|n| n.date)
        .max();
    let unlisted: Vec<&ContactNote> = c
        .record
        .contacts
        .iter()
        .filter(|n| !n.reached() && last_reached.is_none_or(|r| n.date > r))
        .filter(|n| n.date <= exit.letter_date)
        .filter(|n| !exit.attempts.iter().any(|a| a.date == n.date))
        .collect();
    for note in unlisted {
        c.report(
            RuleId::ExitNotice,
            Level::Broken,
            At::Note(note, "date"),
            format!(
                "this attempt of {} is not among the attempts the exit letter lists; add it to exit.yaml's \
                 `attempts`",
                day(note.date)
            ),
        );
    }
}

/// Each service whose deliveries the notes record (`service:` on a note) is
/// delivered about as often as planned in every whole month it ran, and
/// never goes longer than the program allows without a delivery.
fn service_delivery(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let last = if c.is_open() {
        c.as_of - Days::new(1)
    } else {
        c.open_until()
    };
    let settings = &c.program.check;
    for (i, s) in plan.services.iter().enumerate() {
        if s.service_coordination {
            continue;
        }
        let months = delivery::months(c.record, s, last);
        let at = || At::File(Kind::Plan, format!("/services/{i}/frequency"));
        let listed = |pick: &dyn Fn(&delivery::MonthDelivery) -> bool| {
            months
                .iter()
                .filter(|m| pick(m))
                .map(|m| {
                    format!(
                        "{} ({} of {})",
                        month(m.month),
                        m.delivered,
                        delivery::sessions(m.planned)
                    )
                })
                .collect::<Vec<_>>()
        };
        let planned = delivery::frequency_words(s);
        for (words, found) in [
            ("fewer", listed(&|m| m.short(settings))),
            ("more", listed(&|m| m.over(settings))),
        ] {
            if found.is_empty() {
                continue;
            }
            c.report(
                RuleId::ServiceDelivery,
                Level::Broken,
                at(),
                format!(
                    "`{}` ({}) is planned {planned}, but the notes record {words} deliveries in {}; \
                     record each delivery with `service: {}`, or change the plan with the family",
                    s.id,
                    s.service,
                    found.join(", "),
                    s.id
                ),
            );
        }
        if let Some((from, to)) = delivery::longest_gap(c.record, s, last, settings) {
            c.report(
                RuleId::ServiceDelivery,
                Level::Broken,
                at(),
                format!(
                    "the notes record no delivery of `{}` ({}) from {} to {} ({} days); \
                     a service planned {planned} goes no longer than {} days without one",
                    s.id,
                    s.service,
                    day(from),
                    day(to),
                    (to - from).num_days() + 1,
                    settings.gap_days()
                ),
            );
        }
    }
}
