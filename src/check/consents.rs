//! Consents that come before what they allow: the screening, evaluation and
//! eligibility after a consent to evaluation and assessment (303.420(a)),
//! a bill to private insurance after the parent's consent (303.520(b)), a
//! bill to public benefits or insurance after the written notification
//! (303.520(a)(3)).

use chrono::NaiveDate;

use super::case::{At, CaseCheck, Level, day};
use crate::model::{Client, InsuranceChoice, Kind, RuleId};

/// A child's screening, evaluation and eligibility date come after the
/// first consent to evaluation and assessment.
pub fn evaluation_consent(c: &mut CaseCheck) {
    let case = &c.record.case;
    // A child is evaluated; a postpartum woman or a child care program is not.
    if case.client != Client::Child {
        return;
    }
    let dates: Vec<(&str, NaiveDate, &str)> = [
        ("the screening", case.screening_date, "/screening_date"),
        ("the evaluation", case.evaluation_date, "/evaluation_date"),
        (
            "the eligibility determination",
            case.eligibility_date,
            "/eligibility_date",
        ),
    ]
    .into_iter()
    .filter_map(|(what, date, pointer)| Some((what, date?, pointer)))
    .collect();
    let Some(&(first_what, first, first_pointer)) = dates.iter().min_by_key(|(_, d, _)| *d) else {
        return;
    };
    let consent = c
        .record
        .consents()
        .filter(|(_, _, k)| k.evaluation == Some(true))
        .min_by_key(|(_, _, k)| k.date)
        .map(|(kind, i, k)| (kind, i, k.date));
    match consent {
        None => c.report(
            RuleId::EvaluationConsent,
            Level::Broken,
            At::File(Kind::Case, first_pointer.into()),
            format!(
                "{first_what} is dated {}, but no consent to evaluation and assessment is recorded; \
                 the parent consents before the evaluation (303.420(a)): add a consent with \
                 `evaluation: true` to the case file's `consents` (or the plan's), dated on or before {}",
                day(first),
                day(first)
            ),
        ),
        Some((kind, i, given)) => {
            let before: Vec<String> = dates
                .iter()
                .filter(|(_, d, _)| *d < given)
                .map(|(what, d, _)| format!("{what} of {}", day(*d)))
                .collect();
            if !before.is_empty() {
                c.report(
                    RuleId::EvaluationConsent,
                    Level::Broken,
                    At::File(kind, format!("/consents/{i}/evaluation")),
                    format!(
                        "the consent to evaluation and assessment is dated {}, after {}; the parent \
                         consents before the evaluation (303.420(a)): record the consent given before it \
                         as its own consent, dated when it was given",
                        day(given),
                        before.join(" and ")
                    ),
                );
            }
        }
    }
}

/// Words in a service's `funding` that name public benefits or insurance
/// (Connecticut's HUSKY, Vermont's Dr. Dynasaur are Medicaid), and private
/// insurance.
const PUBLIC_INSURANCE: &[&str] = &[
    "medicaid",
    "husky",
    "dr. dynasaur",
    "public insurance",
    "public benefits",
];
const PRIVATE_INSURANCE: &[&str] = &["private insurance"];

/// Insurance is billed only once the family consented (private) or was
/// notified in writing (public), and a service the plan funds by insurance
/// has that consent or notification.
pub fn insurance_billing(c: &mut CaseCheck) {
    funded_by_insurance(c);
    private_insurance_increases(c);
    let Some(plan) = &c.record.plan else { return };
    let Some(billing) = &plan.billing else { return };
    if let Some(public) = &billing.public
        && let Some(billed) = public.first_billed_on
    {
        match public.notified_on {
            None => c.report(
                RuleId::InsuranceBilling,
                Level::Broken,
                At::File(Kind::Plan, "/billing/public/first_billed_on".into()),
                format!(
                    "public benefits or insurance were first billed on {}, but no written notification \
                     to the family is recorded; the notification comes before the first bill \
                     (303.520(a)(3)): give its date as `notified_on`",
                    day(billed)
                ),
            ),
            Some(notified) if notified > billed => c.report(
                RuleId::InsuranceBilling,
                Level::Broken,
                At::File(Kind::Plan, "/billing/public/notified_on".into()),
                format!(
                    "the written notification about public benefits or insurance is dated {}, after the \
                     first bill of {}; the notification comes before the first bill (303.520(a)(3))",
                    day(notified),
                    day(billed)
                ),
            ),
            Some(_) => {}
        }
    }
    if let Some(private) = &billing.private {
        let billed = private.first_billed_on;
        // The latest answer on private insurance given by the first bill.
        let answer = c
            .record
            .consents()
            .map(|(_, _, k)| k)
            .filter(|k| k.date <= billed)
            .filter_map(|k| Some((k.date, k.insurance.as_ref()?.private?)))
            .filter(|(_, choice)| *choice != InsuranceChoice::NotApplicable)
            .max_by_key(|(date, _)| *date);
        let why = match answer {
            Some((_, InsuranceChoice::Consented)) => return,
            Some((date, _)) => format!("the parent declined its use on {}", day(date)),
            None => "no consent to its use is recorded by then".to_string(),
        };
        c.report(
            RuleId::InsuranceBilling,
            Level::Broken,
            At::File(Kind::Plan, "/billing/private/first_billed_on".into()),
            format!(
                "private insurance was first billed on {}, but {why}; it is billed only with the \
                 parent's consent (303.520(b))",
                day(billed)
            ),
        );
    }
}

/// Each service whose funding names public insurance needs the written
/// notification (a consent does not stand in for it); one funded by
/// private insurance, the parent's consent. Reported at the funding.
fn funded_by_insurance(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let consented = |which: fn(&crate::model::InsuranceConsent) -> Option<InsuranceChoice>| {
        c.record
            .consents()
            .filter_map(|(_, _, k)| which(k.insurance.as_ref()?))
            .any(|choice| choice == InsuranceChoice::Consented)
    };
    // The notification is owed whatever the consents say (303.520(a)(1)).
    let public_ok = plan.public_notification().is_some();
    let private_ok = consented(|i| i.private);
    let mut found = Vec::new();
    for (i, s) in plan.services.iter().enumerate() {
        let fundings = std::iter::once((format!("/services/{i}/funding"), &s.funding)).chain(
            s.changes.iter().enumerate().filter_map(|(j, ch)| {
                Some((
                    format!("/services/{i}/changes/{j}/funding"),
                    ch.funding.as_ref()?,
                ))
            }),
        );
        for (pointer, funding) in fundings {
            let names = |words: &[&str]| words.iter().any(|w| funding.mentions(w));
            let missing = match (
                names(PUBLIC_INSURANCE) && !public_ok,
                names(PRIVATE_INSURANCE) && !private_ok,
            ) {
                (true, _) => {
                    "public benefits or insurance, but the family has no written notification \
                     about their use (`plan.billing.public.notified_on`); the notification is given \
                     before they are used, whatever the consents say (303.520(a)(1), (3))"
                }
                (_, true) => {
                    "private insurance, but no consent form records the parent's consent to \
                     its use (`insurance: {private: consented}`, 303.520(b))"
                }
                _ => continue,
            };
            found.push((
                pointer,
                format!("{} is funded by `{funding}`, which is {missing}", s.service),
            ));
        }
    }
    broken_in_plan(c, found);
}

/// A service funded by private insurance that a meeting increases (in
/// frequency, length, duration or intensity) needs the parent's consent to
/// private insurance again, given on or after that meeting
/// (303.520(b)(1)(i)(B)). Reported at the change.
fn private_insurance_increases(c: &mut CaseCheck) {
    let Some(plan) = &c.record.plan else { return };
    let consents: Vec<NaiveDate> = c
        .record
        .consents()
        .filter(|(_, _, k)| {
            k.insurance.as_ref().and_then(|i| i.private) == Some(InsuranceChoice::Consented)
        })
        .map(|(_, _, k)| k.date)
        .collect();
    let mut found = Vec::new();
    for (i, s) in plan.services.iter().enumerate() {
        for (j, change) in s.changes.iter().enumerate() {
            let (Some(before), Some(after)) = (
                change.on.pred_opt().and_then(|day| s.as_of(day)),
                s.as_of(change.on),
            ) else {
                continue;
            };
            if !PRIVATE_INSURANCE.iter().any(|w| after.funding.mentions(w)) {
                continue;
            }
            let more = before.increases(&after);
            if more.is_empty() || consents.iter().any(|d| *d >= change.on) {
                continue;
            }
            found.push((
                format!("/services/{i}/changes/{j}"),
                format!(
                    "{} increases on {} (in {}) and is funded by `{}`, but no consent to private \
                     insurance is recorded on or after that day; the parent consents again at each \
                     increase in frequency, length, duration or intensity (303.520(b)(1)(i)(B)): \
                     record `insurance: {{private: consented}}` on the \
                     consent of that change",
                    s.service,
                    day(change.on),
                    more.join(", "),
                    after.funding
                ),
            ));
        }
    }
    broken_in_plan(c, found);
}

/// Each finding of `insurance-billing` at its element of the plan.
fn broken_in_plan(c: &mut CaseCheck, found: Vec<(String, String)>) {
    for (pointer, message) in found {
        c.report(
            RuleId::InsuranceBilling,
            Level::Broken,
            At::File(Kind::Plan, pointer),
            message,
        );
    }
}
