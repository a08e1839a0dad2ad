//! Services: consent before each starts and each one's start (303.420,
//! 303.342(e)), the coordinator not also the direct provider, and services
//! delivered as the plan calls for; `due` lists a service behind plan so
//! far this month.

use chrono::{Days, Months, NaiveDate};

use super::case::{At, CaseCheck, DueDates, Level, day, month};
use super::delivery;
use crate::model::{Decision, Kind, RuleId, month_start};

/// Connecticut: the coordinator is also one of the family's direct
/// providers (a service other than service coordination on the plan), or,
/// in the rare case where that is not possible, the plan's notes say why
/// (seed 000). Vermont's profile leaves it off.
pub(super) fn coordinator_direct_provider(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let id = c.record.case.coordinator.as_str();
    let Some(staff) = c.program.staff(id) else {
        return;
    };
    // The services in effect on the last day the case was open (or, once
    // every service has ended, on the last day one ran): accepted, not
    // declined by then, and not ended.
    let version = plan.as_of(c.open_until());
    let services = &version.services;
    let last_run = (services.iter())
        .map(|s| s.end_date)
        .try_fold(NaiveDate::MIN, |last, end| Some(last.max(end?)));
    let on = last_run.map_or(c.open_until(), |last| last.min(c.open_until()));
    let provides = services.iter().any(|s| {
        let consent = Consent::of(plan, &s.id);
        !s.service_coordination
            && s.provider.staff.as_deref() == Some(id)
            && consent.accepted.is_some()
            && consent.declined.is_none_or(|d| d > on)
            && s.end_date.is_none_or(|end| end >= on)
    });
    let explained = version.notes.is_some_and(|n| !n.first().trim().is_empty());
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

/// What the parent decided on one service: the first acceptance, and the
/// first decline after it (303.420(d): a parent may decline a service at
/// any time, and the decline takes effect the day it is given; a later
/// consent does not move that day).
struct Consent {
    /// Every decision on the service, oldest first.
    decisions: Vec<(NaiveDate, Decision)>,
    accepted: Option<NaiveDate>,
    declined: Option<NaiveDate>,
}

impl Consent {
    fn of(plan: &crate::model::PlanFile, id: &str) -> Consent {
        let mut decisions: Vec<(NaiveDate, Decision)> = plan
            .consents
            .iter()
            .flat_map(|consent| {
                (consent.services.iter())
                    .filter(|d| d.service == id)
                    .filter_map(move |d| Some((consent.date, d.decision?)))
            })
            .collect();
        decisions.sort();
        let first_accept = decisions.iter().position(|(_, d)| *d == Decision::Accepted);
        let declined = first_accept.and_then(|i| {
            (decisions[i..].iter())
                .find(|(_, d)| *d == Decision::Declined)
                .map(|(date, _)| *date)
        });
        Consent {
            accepted: first_accept.map(|i| decisions[i].0),
            declined,
            decisions,
        }
    }
}

/// Services start after a consent that accepts them, within 30 days of it,
/// and a declined service is not delivered.
pub(super) fn services(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    for (i, s) in plan.services.iter().enumerate() {
        let consent = Consent::of(plan, &s.id);
        let start = At::File(Kind::Plan, format!("/services/{i}/start_date"));
        match consent.accepted {
            None => {
                let why = if consent.decisions.is_empty() {
                    "no consent on the plan names it"
                } else {
                    "the parent declined it"
                };
                // A service that ends before its start (declined before it
                // began) is never delivered.
                let delivered = s.current().end_date.is_none_or(|end| end >= s.start_date);
                if s.start_date <= c.as_of && delivered {
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
        declined_later(c, i, s, &consent);
    }
}

/// A service the parent declined after accepting it ends by the day of
/// the first decline, whatever a later consent says.
fn declined_later(c: &mut CaseCheck, i: usize, s: &crate::model::ServiceRow, consent: &Consent) {
    let end_date = s.current().end_date;
    if let Some(declined) = consent.declined
        && end_date.is_none_or(|end| end > declined)
    {
        c.report(
            RuleId::ConsentBeforeService,
            Level::Broken,
            At::File(Kind::Plan, format!("/services/{i}")),
            format!(
                "the parent declined `{}` on {}, but the plan still delivers it {}; a decline takes \
                 effect the day it is given: end the service on or before {}",
                s.id,
                day(declined),
                end_date.map_or("with no end date".to_string(), |e| format!("until {}", day(e))),
                day(declined)
            ),
        );
    }
}

/// Each service whose deliveries the notes record (`service:` on a note) is
/// delivered about as often as planned in every whole month it ran, and
/// never goes longer than the program allows without a delivery.
pub(super) fn service_delivery(c: &mut CaseCheck) {
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

/// Services the notes show behind plan so far this month: fewer deliveries
/// since the month (or the service) began than the plan calls for by
/// `as_of`, beyond the program's tolerance (rounded down, so a week's first
/// days are not yet behind).
pub(super) fn due(due: &mut DueDates) {
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
