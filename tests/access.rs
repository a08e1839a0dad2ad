//! Money and the record as 34 CFR 303.520 and 303.405-.414 word them: the
//! written notification before public benefits are used, whatever the
//! consents say; a private insurance consent again at each increase; records
//! sent only on a release that names the recipient and the records; a
//! parent's request to see the record met within 10 days; and the record of
//! access a family may ask to see.

use crate::common;

use common::Test;

const PLAN: &str = "records/case-a/plan.yaml";
const ELI: &str = "records/ct-2025-0117";

#[test]
fn public_benefits_are_used_only_after_the_written_notification_whatever_the_consents_say() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "    funding: Part C\n", "    funding: Medicaid\n");
    // The parent consented to public insurance: it does not stand in for
    // the notification (303.520(a)(1)).
    test.edit(
        PLAN,
        "    explained: true\n",
        "    insurance: {public: consented, private: not-applicable}\n    explained: true\n",
    );
    assert_eq!(
        common::findings_of(&test, "2025-03-01", &["insurance-billing"]),
        [
            "records/case-a/plan.yaml:37:5: error[insurance-billing]: Developmental intervention is funded by \
             `Medicaid`, which is public benefits or insurance, but the family has no written notification about \
             their use (`plan.billing.public.notified_on`); the notification is given before they are used, \
             whatever the consents say (303.520(a)(1), (3))"
        ]
    );
    // Notified before the first bill: the rule holds, and the notification
    // is a document of its day with every statement of (a)(3).
    test.write(
        PLAN,
        &(test.read(PLAN)
            + "billing:\n  public: {notified_on: 2025-02-03, first_billed_on: 2025-03-01}\n"),
    );
    assert_eq!(
        common::findings_of(&test, "2025-03-01", &["insurance-billing"]),
        Vec::<String>::new()
    );
    test.run(&["render", "records"]).assert_status(0);
    let text = common::without_page_footers(
        &test.pdf_text("out/case-a/public-benefits-notice-2025-02-03.pdf"),
        "case-a",
    );
    for expected in [
        "Notice About Using Public Benefits or Insurance",
        "Date of this notice: February 3, 2025",
        // (a)(3)(i)
        "It does this only with your written consent.",
        // (a)(2)(i)-(iii)
        "You do not have to sign up for public benefits or insurance for your child to receive early intervention services.",
        "raise your premiums or end your benefits",
        "If you do not consent, your child still receives every early intervention service you consented to, at no cost to you.",
        // (a)(3)(iii)
        "You may withdraw your consent to share this information at any time",
        // (a)(4): no cost listed, none can be charged.
        "A cost this notice does not list cannot be charged to you.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    // The program's system of payments, when it gives one, is the costs.
    test.edit(
        "records/program.yaml",
        "staff:\n",
        "  policies:\n    payments: A monthly fee by family income, from $0.\nstaff:\n",
    );
    test.run(&["render", "records"]).assert_status(0);
    let text = test.pdf_text("out/case-a/public-benefits-notice-2025-02-03.pdf");
    assert!(
        text.contains(
            "as the state's system of payments lists them: A monthly fee by family income, from $0."
        ),
        "{text}"
    );
}

#[test]
fn a_privately_insured_service_that_increases_needs_the_parents_consent_again() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    funding: Part C\n",
        "    funding: Private insurance\n",
    );
    test.edit(
        PLAN,
        "    explained: true\n",
        "    insurance: {private: consented}\n    explained: true\n",
    );
    common::change_meeting(&test, "2025-04-07");
    let change_consent = |insurance: &str| {
        format!(
            "  - date: 2025-04-07\n    action: change\n    description: Twice a week.\n    services:\n      - {{service: dev, decision: accepted}}\n{insurance}    explained: true\n    native_language: English\n    signatures:\n      - {{role: parent, name: Bea Test, signed_on: 2025-04-07, method: paper}}\n      - {{role: coordinator, name: Cora Lind, signed_on: 2025-04-07, method: paper}}\n"
        )
    };
    let plan = test.read(PLAN);
    let at = plan.find("billing:").unwrap_or(plan.len());
    test.write(
        PLAN,
        &format!("{}{}{}", &plan[..at], change_consent(""), &plan[at..]),
    );
    let rule = |test: &Test| common::findings_of(test, "2025-04-10", &["insurance-billing"]);
    // Fewer minutes: no increase, no new consent.
    common::dev_changes(&test, &["{on: 2025-04-07, minutes: 45}"]);
    assert_eq!(rule(&test), Vec::<String>::new());
    // Twice a week and longer: an increase, and the change consent says
    // nothing of insurance.
    test.edit(
        PLAN,
        "{on: 2025-04-07, minutes: 45}",
        "{on: 2025-04-07, frequency: {times: 2, per: week}, minutes: 75}",
    );
    assert_eq!(
        rule(&test),
        [
            "records/case-a/plan.yaml:42:9: error[insurance-billing]: Developmental intervention increases on April 7, \
             2025 (in frequency, length) and is funded by `Private insurance`, but no consent to private insurance is \
             recorded on or after that day; the parent consents again at each increase in frequency, length, duration \
             or intensity (303.520(b)(1)(i)(B)): record `insurance: {private: consented}` on the consent of that change"
        ]
    );
    // A later end, or group sessions made individual, is an increase too.
    test.edit(
        PLAN,
        "{on: 2025-04-07, frequency: {times: 2, per: week}, minutes: 75}",
        "{on: 2025-04-07, end_date: 2025-08-15}",
    );
    assert_eq!(rule(&test).len(), 1);
    assert!(
        rule(&test)[0].contains("(in duration)"),
        "{:?}",
        rule(&test)
    );
    test.edit(
        PLAN,
        "    intensity: individual\n    minutes: 60",
        "    intensity: group\n    minutes: 60",
    );
    test.edit(
        PLAN,
        "{on: 2025-04-07, end_date: 2025-08-15}",
        "{on: 2025-04-07, intensity: individual}",
    );
    assert!(
        rule(&test)[0].contains("(in intensity)"),
        "{:?}",
        rule(&test)
    );
    // The parent's consent to private insurance on the change consent.
    test.edit(
        PLAN,
        "    description: Twice a week.\n    services:\n      - {service: dev, decision: accepted}\n",
        "    description: Twice a week.\n    services:\n      - {service: dev, decision: accepted}\n    insurance: {private: consented}\n",
    );
    assert_eq!(rule(&test), Vec::<String>::new());
    // The consent form says so, with the system of payments.
    test.edit(
        "records/program.yaml",
        "staff:\n",
        "  policies:\n    payments: No co-payment or deductible.\nstaff:\n",
    );
    test.run(&["render", "records"]).assert_status(0);
    let form = test.pdf_text("out/case-a/consent-2025-04-07-change.pdf");
    for expected in [
        "The program asks for this consent again each time a service paid by your private insurance increases in how often, how long, for how many months or how intensively it is given.",
        "What using insurance may cost you (the state's system of payments): No co-payment or deductible.",
    ] {
        assert!(form.contains(expected), "lacks {expected:?}\n{form}");
    }
}

#[test]
fn records_are_sent_only_on_a_release_that_names_the_recipient_and_the_records() {
    let check = |test: &Test| common::findings_of(test, "2026-11-23", &["records-release"]);
    let test = Test::samples();
    assert_eq!(check(&test), Vec::<String>::new());
    // Sent before the consent.
    test.edit(
        &format!("{ELI}/transition.yaml"),
        "    sent_on: 2026-07-23\n",
        "    sent_on: 2026-07-20\n",
    );
    assert_eq!(
        check(&test),
        [
            "records/ct-2025-0117/transition.yaml:42:5: error[records-release]: the records sent to Preston Public \
             Schools (Evaluation reports, current plan (IFSP) and six-month progress) went on July 20, 2026, before \
             the parent's consent of July 21, 2026 to release them; records are released only once the parent has \
             consented (303.414)"
        ]
    );
    // Sent the day the parent consented: in order.
    test.edit(
        &format!("{ELI}/transition.yaml"),
        "    sent_on: 2026-07-20\n",
        "    sent_on: 2026-07-21\n",
    );
    assert_eq!(check(&test), Vec::<String>::new());
    // Seen by the district before the consent it rests on; on its day, in order.
    let access = format!("{ELI}/access.yaml");
    test.edit(&access, "    date: 2026-07-23\n", "    date: 2026-07-20\n");
    assert_eq!(
        check(&test),
        [
            "records/ct-2025-0117/access.yaml:11:5: error[records-release]: Preston Public Schools (Carla Nunes, \
             preschool coordinator) obtained access on July 20, 2026, before the parent's consent of July 21, 2026 it \
             rests on (303.414)"
        ]
    );
    test.edit(&access, "    date: 2026-07-20\n", "    date: 2026-07-21\n");
    assert_eq!(check(&test), Vec::<String>::new());
    test.edit(&access, "    date: 2026-07-21\n", "    date: 2026-07-23\n");
    // The release names another recipient.
    test.edit(
        &format!("{ELI}/plan.yaml"),
        "      - recipient: Preston Public Schools (Carla Nunes, preschool coordinator)\n",
        "      - recipient: Norwich Public Schools\n",
    );
    assert_eq!(
        check(&test),
        [
            "records/ct-2025-0117/access.yaml:11:5: error[records-release]: Preston Public Schools (Carla Nunes, \
             preschool coordinator) obtained access on July 23, 2026 on the parent's consent of July 21, 2026, but the \
             consent of July 21, 2026 releases records, but not to Preston Public Schools (Carla Nunes, preschool \
             coordinator); records go only where the parent consented: add Preston Public Schools (Carla Nunes, \
             preschool coordinator) to its `release` if the parent named them, or record the consent that did (303.414)",
            "records/ct-2025-0117/transition.yaml:41:5: error[records-release]: the records sent to Preston Public \
             Schools (Evaluation reports, current plan (IFSP) and six-month progress) rest on the parent's consent of \
             July 21, 2026, but the consent of July 21, 2026 releases records, but not to Preston Public Schools; \
             records go only where the parent consented: add Preston Public Schools to its `release` if the parent \
             named them, or record the consent that did (303.414)",
        ]
    );
    // To the district, but other records.
    test.edit(
        &format!("{ELI}/plan.yaml"),
        "      - recipient: Norwich Public Schools\n        records: Evaluation reports, current plan (IFSP) and six-month progress\n",
        "      - recipient: Preston Public Schools\n        records: Current plan (IFSP)\n",
    );
    assert_eq!(check(&test).len(), 2, "{:?}", check(&test));
    assert!(
        check(&test)[1].ends_with(
            "but the consent of July 21, 2026 releases to Preston Public Schools only Current plan (IFSP), not \
             Evaluation reports, current plan (IFSP) and six-month progress; send only what the parent consented to, \
             or record the consent that names these records (303.414)"
        ),
        "{:?}",
        check(&test)
    );
    // No release at all that day.
    let test = Test::samples();
    test.edit(
        &format!("{ELI}/transition.yaml"),
        "    consent_on: 2026-07-21\n",
        "    consent_on: 2026-07-22\n",
    );
    assert_eq!(
        check(&test),
        [
            "records/ct-2025-0117/transition.yaml:41:5: error[records-release]: the records sent to Preston Public \
             Schools (Evaluation reports, current plan (IFSP) and six-month progress) rest on the parent's consent of \
             July 22, 2026, but no consent of July 22, 2026 releases records; record the parent's consent in \
             case.yaml's or plan.yaml's `consents`, dated when it was given, with a `release` naming Preston Public \
             Schools and the records (303.414)"
        ]
    );
}

#[test]
fn a_parents_request_to_see_the_record_is_met_within_10_days_and_before_a_meeting() {
    let access = format!("{ELI}/access.yaml");
    let check = |test: &Test, as_of: &str| common::findings_of(test, as_of, &["record-access"]);
    let test = Test::samples();
    assert_eq!(check(&test, "2026-11-23"), Vec::<String>::new());
    // Met on the 11th day.
    test.edit(
        &access,
        "    met_on: 2026-10-20\n",
        "    met_on: 2026-10-24\n",
    );
    assert_eq!(
        check(&test, "2026-11-23"),
        [
            "records/ct-2025-0117/access.yaml:16:5: error[record-access]: Robert Marsh asked to see the record on \
             October 13, 2026 and saw it on October 24, 2026; a parent sees the record without unnecessary delay, \
             within 10 days of the request: by October 23, 2026 (303.405(a))"
        ]
    );
    test.edit(
        &access,
        "    met_on: 2026-10-24\n",
        "    met_on: 2026-10-23\n",
    );
    assert_eq!(check(&test, "2026-11-23"), Vec::<String>::new());
    // Met the day it was asked: in order; a day before it: a mistake.
    test.edit(
        &access,
        "    met_on: 2026-10-23\n",
        "    met_on: 2026-10-13\n",
    );
    assert_eq!(check(&test, "2026-11-23"), Vec::<String>::new());
    test.edit(
        &access,
        "    met_on: 2026-10-13\n",
        "    met_on: 2026-10-12\n",
    );
    assert_eq!(
        check(&test, "2026-11-23"),
        [
            "records/ct-2025-0117/access.yaml:16:5: error[record-access]: Robert Marsh asked to see the record on \
             October 13, 2026, but `met_on` is October 12, 2026, before the request"
        ]
    );
    test.edit(
        &access,
        "    met_on: 2026-10-12\n",
        "    met_on: 2026-10-23\n",
    );
    // Not met yet: nothing while its day is far, a notice while the 10
    // days run, an error after; `due` lists it.
    test.edit(&access, "    met_on: 2026-10-23\n", "");
    assert_eq!(check(&test, "2026-09-22"), Vec::<String>::new());
    assert_eq!(
        check(&test, "2026-10-23"),
        [
            "records/ct-2025-0117/access.yaml:13:5: notice[record-access]: Robert Marsh asked to see the record on \
             October 13, 2026: show it by October 23, 2026 (within 10 days of the request) and give the day as \
             `met_on` (303.405(a))"
        ]
    );
    assert_eq!(
        check(&test, "2026-10-24"),
        [
            "records/ct-2025-0117/access.yaml:13:5: error[record-access]: Robert Marsh asked to see the record on \
             October 13, 2026, and it was due by October 23, 2026 (within 10 days of the request); show the record \
             now and give the day as `met_on` (303.405(a))"
        ]
    );
    let due = test.run(&["due", "records", "--as-of", "2026-10-20"]);
    assert!(
        due.stdout
            .contains("show the record to Robert Marsh, who asked on October 13, 2026"),
        "{}{}",
        due.stdout,
        due.stderr
    );
    // Asked five days before the annual meeting: seen before it.
    test.edit(
        &access,
        "    requested_on: 2026-10-13\n",
        "    requested_on: 2026-11-05\n    met_on: 2026-11-10\n",
    );
    assert_eq!(
        check(&test, "2026-11-23"),
        [
            "records/ct-2025-0117/access.yaml:15:5: error[record-access]: Robert Marsh asked to see the record on \
             November 5, 2026 and saw it on November 10, 2026; a parent sees the record without unnecessary delay, \
             before the plan meeting of November 10, 2026: by November 9, 2026 (303.405(a))"
        ]
    );
}

#[test]
fn the_record_of_access_lists_who_saw_the_records_the_releases_and_the_requests() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let text = test.pdf_text("out/ct-2025-0117/record-of-access.pdf");
    for expected in [
        "Who Has Seen Your Records (Record of Access)",
        "July 23, 2026 Preston Public Schools (Carla Nunes, preschool coordinator) Evaluating Eli for preschool special education and planning his move to preschool (with your consent of July 21, 2026)",
        "November 14, 2025 Dr. Anita Shah, pediatrician Evaluation report and plan (IFSP)",
        "October 13, 2026 Robert Marsh The evaluation reports and the contact notes October 20, 2026: Robert read the record",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    // A family whose consents release records has one in Spanish.
    let es = test.pdf_text("out/ct-2026-0058/record-of-access.pdf");
    for expected in [
        "Quién ha visto sus documentos (registro de acceso)",
        "No consta ningún acceso de personas de fuera del programa.",
        "10 de abril de 2026 Dra. Elena Soto, pediatra Informe de evaluación y plan (IFSP)",
        "Todavía no han pedido ver el expediente.",
    ] {
        assert!(es.contains(expected), "lacks {expected:?}\n{es}");
    }
}
