//! `casepaper check`: each rule on a fixture that passes and one that fails,
//! with the rule id, position and message; the date edges (month ends, leap
//! days, a birthday on 29 February, a case opened on the 31st).
//!
//! The base is the `minimal` fixture: a Connecticut Part C child born on
//! 2024-02-29, referred 2025-01-06, initial plan 2025-02-03, notes in
//! February, March, April and May 2025. As of 2025-05-31 it is clean.

use crate::common;

use common::{Test, part_c_plan};

const CLEAN_DAY: &str = "2025-05-31";

fn check(test: &Test, as_of: &str) -> common::Run {
    test.run(&["check", "records", "--as-of", as_of])
}

#[test]
fn the_fixture_passes_every_rule() {
    let test = Test::fixture("minimal");
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("1 case checked as of 2025-05-31, no problems found");
}

#[test]
fn the_sample_records_are_clean_on_the_day_the_readme_names() {
    let test = Test::samples();
    // Only the signature the Spanish family's father still owes, a notice.
    test.run(&["check", "--as-of", "2026-11-23"])
        .assert_status(0)
        .stderr_has(
            "records/ct-2026-0058/transition.yaml:42:5: notice[signature-owed]: the transition plan is not \
             signed by Andrés Ramírez (parent) yet: asked for on November 10, 2026 (owed for 13 days",
        )
        .stderr_has("0 errors, 0 warnings and 1 notice in 1 file (as of 2026-11-23)");
}

#[test]
fn an_owed_signature_is_a_notice_then_a_warning_and_on_the_due_list() {
    let test = Test::fixture("minimal");
    common::unsign_consent(&test);
    let owed = "records/case-a/plan.yaml:50:9: notice[signature-owed]: the consent of 2025-02-03 (initiation) \
                is not signed by Bea Test (parent) yet: asked for on February 3, 2025 (owed for 30 days; \
                after 30 days this is a warning); the document prints as a draft until it is. Once signed, \
                add `signed_on` and `method` to this entry";
    // Thirty days on it is still a notice; the day after, a warning.
    check(&test, "2025-03-05").assert_status(0).stderr_has(owed);
    check(&test, "2025-03-06").assert_status(0).stderr_has(
        "records/case-a/plan.yaml:50:9: warning[signature-owed]: the consent of 2025-02-03 (initiation) \
         is not signed by Bea Test (parent) yet: asked for on February 3, 2025 (owed for 31 days;",
    );
    check(&test, "2025-02-03")
        .assert_status(0)
        .stderr_has("(initiation) is not signed by Bea Test (parent) yet: asked for on February 3, 2025 (asked for today;");
    // Before the consent's date nothing is owed yet.
    let run = check(&test, "2025-02-02");
    assert!(!run.stderr.contains("signature-owed"), "{}", run.stderr);

    // The program decides when it becomes a warning, and may make it an error.
    test.edit(
        "records/program.yaml",
        "staff:",
        "check:\n  signature_warning_days: 10\nstaff:",
    );
    check(&test, "2025-02-14")
        .assert_status(0)
        .stderr_has("warning[signature-owed]: the consent of 2025-02-03 (initiation)");
    test.edit(
        "records/program.yaml",
        "staff:",
        "rules:\n  signature-owed: error\nstaff:",
    );
    check(&test, "2025-02-14")
        .assert_status(1)
        .stderr_has("error[signature-owed]: the consent of 2025-02-03 (initiation)");

    // `due` lists it under the coordinator, by the day it becomes a warning.
    let run = test.run(&["due", "records", "--as-of", "2025-02-10", "--within", "30"]);
    run.assert_status(0);
    assert!(
        run.stdout.contains(
            "February 13, 2025   case-a        signature of Bea Test (parent) on the consent of 2025-02-03 \
             (initiation), owed since February 3, 2025 (Ada Test)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_owed_signature_of_a_review_meeting_points_at_its_review_file() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/review-2025-08-04.yaml",
        "kind: review\nversion: 1\ndate: 2025-08-04\ntype: six-month-review\nparticipants: [Bea Test (mother)]\n\
         progress:\n  - outcome: 1\n    note: Walks along the couch.\nsignatures:\n  - {role: parent, name: Bea Test}\n",
    );
    check(&test, "2025-08-05").stderr_has(
        "records/case-a/review-2025-08-04.yaml:10:5: notice[signature-owed]: the plan of the meeting of \
         2025-08-04 is not signed by Bea Test (parent) yet",
    );
    // With an earlier, signed review beside it, the finding is still at
    // the review of its own date.
    test.write(
        "records/case-a/review-2025-05-01.yaml",
        "kind: review\nversion: 1\ndate: 2025-05-01\ntype: six-month-review\nparticipants: [Bea Test (mother)]\n\
         progress:\n  - outcome: 1\n    note: Stands alone.\nsignatures:\n  - {role: parent, name: Bea Test, signed_on: 2025-05-01, method: paper}\n",
    );
    let run = check(&test, "2025-08-05");
    run.stderr_has("records/case-a/review-2025-08-04.yaml:10:5: notice[signature-owed]: the plan of the meeting of 2025-08-04");
    assert!(
        !run.stderr.contains("review-2025-05-01.yaml:10:5"),
        "{}",
        run.stderr
    );
}

/// Meetings are kept in date order with the review files' among them; a
/// plan meeting after a review is still found at its own place in
/// plan.yaml.
#[test]
fn an_owed_signature_of_a_plan_meeting_after_a_review_points_at_that_meeting() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/review-2025-05-01.yaml",
        "kind: review\nversion: 1\ndate: 2025-05-01\ntype: six-month-review\nparticipants: [Bea Test (mother)]\n\
         progress:\n  - outcome: 1\n    note: Stands alone.\nsignatures:\n  - {role: parent, name: Bea Test, signed_on: 2025-05-01, method: paper}\n",
    );
    test.edit(
        "records/case-a/plan.yaml",
        "    type: initial\n",
        "    type: initial\n  - date: 2025-08-04\n    type: change\n    participants: [Bea Test (mother)]\n    \
         signatures:\n      - {role: parent, name: Bea Test}\n",
    );
    let plan = test.read("records/case-a/plan.yaml");
    let line = plan
        .lines()
        .position(|l| l.contains("- {role: parent, name: Bea Test}"))
        .unwrap()
        + 1;
    check(&test, "2025-08-05").stderr_has(&format!(
        "records/case-a/plan.yaml:{line}:9: notice[signature-owed]: the plan of the meeting of 2025-08-04 \
         is not signed by Bea Test (parent) yet"
    ));
}

#[test]
fn monthly_contact() {
    let test = Test::fixture("minimal");
    let run = check(&test, "2025-08-01");
    run.assert_status(1).stderr_has(
        "records/case-a/contacts.yaml:22:5: error[monthly-contact]: no service coordination contact is documented in June 2025 \
         (the last note before it is of May 12, 2025); while a case is open, document at least one contact every month",
    );
    run.stderr_has(
        "error[monthly-contact]: no service coordination contact is documented in July 2025",
    );
    // The month in progress is not yet late: a notice while it has no contact.
    check(&test, "2025-06-10").assert_status(0).stderr_has(
        "records/case-a/contacts.yaml:3:1: notice[monthly-contact]: no contact is documented yet in June 2025; one is due by June 30, 2025",
    );
}

#[test]
fn monthly_contact_for_a_case_opened_on_the_31st() {
    let test = Test::fixture("minimal");
    // Referred on 31 January: January is not owed a contact, February is.
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-31",
    );
    test.assert_no_findings(&["check", "records", "--as-of", "2025-03-01"]);
    test.edit(
        "records/case-a/contacts.yaml",
        "  - date: 2025-02-03\n",
        "  - date: 2025-01-31\n",
    );
    test.edit(
        "records/case-a/contacts.yaml",
        "signed: {by: cora, on: 2025-02-03}",
        "signed: {by: cora, on: 2025-01-31}",
    );
    check(&test, "2025-03-01")
        .assert_status(1)
        .stderr_has("error[monthly-contact]: no service coordination contact is documented in February 2025 (the last note before it is of January 31, 2025)");
}

#[test]
fn note_signed() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/contacts.yaml",
        "signed: {by: cora, on: 2025-05-13}",
        "signed: {by: cora, on: 2025-05-11}",
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/contacts.yaml:27:24: error[note-signed]: the note of May 12, 2025 is signed on May 11, 2025, before the contact took place",
    );
}

#[test]
fn note_signed_by_the_coordinator_then_after_the_family_was_handed_over() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "staff:\n",
        "staff:\n  - {id: dana, name: Dana Holm, credential: M.S., discipline: Social work, phone: (860) 555-0102}\n",
    );
    // Dana took the family over on April 7: Cora's notes before that day
    // stand; from that day on, Dana signs.
    test.edit(
        "records/case-a/case.yaml",
        "coordinator: cora",
        "coordinator: dana\ncoordinator_since: 2025-04-07",
    );
    let run = check(&test, CLEAN_DAY);
    run.assert_status(1);
    let signed: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.contains("[note-signed]"))
        .collect();
    assert_eq!(
        signed,
        [
            "records/case-a/contacts.yaml:15:14: error[note-signed]: the note of April 7, 2025 is signed by Cora \
             Lind, but the case's coordinator since April 7, 2025 is `dana`; contact notes are signed by the \
             family's service coordinator",
            "records/case-a/contacts.yaml:27:14: error[note-signed]: the note of May 12, 2025 is signed by Cora \
             Lind, but the case's coordinator since April 7, 2025 is `dana`; contact notes are signed by the \
             family's service coordinator"
        ]
    );
    // Without the day, every note of Cora's is named.
    test.edit(
        "records/case-a/case.yaml",
        "\ncoordinator_since: 2025-04-07",
        "",
    );
    let run = check(&test, CLEAN_DAY);
    let signed = run
        .stderr
        .matches("error[note-signed]: the note of ")
        .count();
    assert_eq!(signed, 4, "{}", run.stderr);
    assert!(run.stderr.contains(
        "error[note-signed]: the note of February 3, 2025 is signed by Cora Lind, but the case's coordinator is \
         `dana`; contact notes are signed by the family's service coordinator"
    ));
}

#[test]
fn coordinator_qualified() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2020-03-02",
        "service_coordinator: 2025-03-01",
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/program.yaml:16:41: error[coordinator-qualified]: Cora Lind signed a note as coordinator on February 3, 2025 \
         but received the Service Coordinator Certificate only on March 1, 2025; the notes signed before it are in case case-a\n",
    );
    // Received on the day of her first note: in time.
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2025-03-01",
        "service_coordinator: 2025-02-03",
    );
    test.assert_no_findings(&["check", "records", "--as-of", CLEAN_DAY]);
    // A program may make the rule a warning.
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2025-02-03",
        "service_coordinator: 2025-02-04",
    );
    test.edit(
        "records/program.yaml",
        "staff:\n",
        "rules:\n  coordinator-qualified: warning\nstaff:\n",
    );
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "warning[coordinator-qualified]: Cora Lind signed a note as coordinator on February 3, 2025 \
         but received the Service Coordinator Certificate only on February 4, 2025",
    );

    // Trained before the 2018 change: no certificates needed.
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "    certificates: {initial: 2020-01-10, service_coordinator: 2020-03-02}",
        "    trained_before_2018: true",
    );
    test.assert_no_findings(&["check", "records", "--as-of", CLEAN_DAY]);
}

#[test]
fn coordinator_qualified_names_every_case_a_certificate_concerns() {
    // Missing: one finding at the person's entry, naming the cases.
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "{initial: 2020-01-10, service_coordinator: 2020-03-02}",
        "{initial: 2020-01-10}",
    );
    let second = test
        .read("records/case-a/case.yaml")
        .replace("case_id: case-a", "case_id: case-b");
    copy_case(&test, "case-a", "case-b", &second);
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/program.yaml:11:5: error[coordinator-qualified]: Cora Lind coordinates cases case-a and case-b \
         but has no Service Coordinator Certificate recorded (`certificates.service_coordinator`)",
    );
    // Late: each case with the first note signed before it.
    test.edit(
        "records/program.yaml",
        "{initial: 2020-01-10}",
        "{initial: 2020-01-10, service_coordinator: 2025-03-01}",
    );
    test.edit(
        "records/case-b/contacts.yaml",
        "  - date: 2025-02-03\n",
        "  - date: 2025-02-04\n",
    );
    let run = check(&test, CLEAN_DAY);
    run.assert_status(1).stderr_has(
        "records/program.yaml:16:41: error[coordinator-qualified]: Cora Lind signed a note as coordinator on February 3, 2025 \
         but received the Service Coordinator Certificate only on March 1, 2025; the notes signed before it are in \
         cases case-a (from February 3, 2025) and case-b (from February 4, 2025)",
    );
    assert_eq!(
        run.stderr.matches("error[coordinator-qualified]").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn coordinator_direct_provider() {
    // Not one of the family's providers, and the plan does not say why.
    let test = Test::fixture("minimal");
    test.edit("records/case-a/plan.yaml", "staff: cora, ", "");
    let not_a_provider = "records/case-a/plan.yaml:25:1: error[coordinator-direct-provider]: the coordinator, Cora Lind, \
         provides none of the plan's services other than service coordination; a coordinator is also one of the family's \
         direct providers: add them to a service, or say why not in the plan's `notes`";
    check(&test, CLEAN_DAY)
        .assert_status(1)
        .stderr_has(not_a_provider);
    // Providing only the service coordination row does not count.
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "    natural_environment: true",
        "    natural_environment: true\n    service_coordination: true",
    );
    // (Service coordination alone starts no services that need a notice.)
    test.splice(
        "records/case-a/notices.yaml",
        "prior_written:",
        "meetings:",
        "",
    );
    check(&test, CLEAN_DAY)
        .assert_status(1)
        .stderr_has(not_a_provider);
    // The plan's notes say why: the rare instance the procedure allows.
    test.write(
        "records/case-a/plan.yaml",
        &(test.read("records/case-a/plan.yaml")
            + "notes: Cora coordinates; the program's physical therapist provides the service.\n"),
    );
    test.assert_no_findings(&["check", "records", "--as-of", CLEAN_DAY]);
    // Vermont's profile leaves the rule off.
    let test = Test::fixture("minimal");
    test.edit("records/case-a/plan.yaml", "staff: cora, ", "");
    test.edit("records/program.yaml", "  state: CT\n", "  state: VT\n");
    let run = check(&test, CLEAN_DAY);
    assert!(
        !run.stderr.contains("coordinator-direct-provider"),
        "{}",
        run.stderr
    );
}

/// Copies the case folder `from` to `to`, with `case_yaml` as its case file.
fn copy_case(test: &Test, from: &str, to: &str, case_yaml: &str) {
    common::copy_dir(
        &test.path(&format!("records/{from}")),
        &test.path(&format!("records/{to}")),
    );
    test.write(&format!("records/{to}/case.yaml"), case_yaml);
}

#[test]
fn initial_plan_45_days() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "  - date: 2025-02-03\n",
        "  - date: 2025-03-10\n",
    );
    let late = |counted: &str| {
        format!(
            "records/case-a/plan.yaml:4:5: error[initial-plan-45-days]: the initial plan meeting on March 10, 2025 \
             is 63 days after the referral of January 6, 2025; it is due {counted}, unless a documented \
             exception stops the timeline (`timeline_exceptions` in the case file, or the family's delay, \
             `family_delay`, with its period)"
        )
    };
    let findings = |test: &Test| -> Vec<String> {
        check(test, CLEAN_DAY)
            .stderr
            .lines()
            .filter(|l| l.contains("[initial-plan-45-days]"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        findings(&test),
        [late("within 45 days (by February 20, 2025)")]
    );
    let plan = test.read("records/case-a/plan.yaml");
    let delay = |test: &Test, requested: &str, until: &str| {
        test.write(
            "records/case-a/plan.yaml",
            &format!(
                "{plan}family_delay: {{requested_on: {requested}{until}, reason: The family was travelling.}}\n"
            ),
        );
    };
    // A delay the family asked for stops the timeline for its period: 1 to
    // 10 February is 10 days, so the meeting was due by March 2.
    delay(&test, "2025-02-01", ", until: 2025-02-10");
    assert_eq!(
        findings(&test),
        [late(
            "within 45 days, plus 10 days of documented exceptions (by March 2, 2025)"
        )]
    );
    // A period ending the day before the meeting covers it: 1 February to
    // 9 March is 37 days, due March 29.
    delay(&test, "2025-02-01", ", until: 2025-03-09");
    assert_eq!(findings(&test), Vec::<String>::new());
    // One that has no end lasted until the meeting.
    delay(&test, "2025-02-01", "");
    assert_eq!(findings(&test), Vec::<String>::new());
    // Asked for on the 45th day it still stops the timeline; the day after,
    // the 45 days had run out and it excuses nothing.
    delay(&test, "2025-02-20", "");
    assert_eq!(findings(&test), Vec::<String>::new());
    delay(&test, "2025-02-21", "");
    assert_eq!(
        findings(&test),
        [late("within 45 days (by February 20, 2025)")]
    );
}

/// A child found not eligible was found so within the 45 days too: the
/// evaluation and assessment fall inside the timeline (303.310(a)), and
/// only documented periods stop it.
#[test]
fn a_child_found_not_eligible_was_evaluated_within_45_days() {
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/plan.yaml")).unwrap();
    let case = test.read("records/case-a/case.yaml");
    let found_on = |test: &Test, date: &str, exception: &str| {
        test.write(
            "records/case-a/case.yaml",
            &format!("{case}{exception}eligibility_date: {date}\neligible: false\n"),
        );
    };
    let findings = |test: &Test| -> Vec<String> {
        check(test, "2025-03-31")
            .stderr
            .lines()
            .filter(|l| l.contains("[initial-plan-45-days]"))
            .map(str::to_string)
            .collect()
    };
    // The 45th day is in time; the 46th is late.
    found_on(&test, "2025-02-20", "");
    assert_eq!(findings(&test), Vec::<String>::new());
    found_on(&test, "2025-02-21", "");
    assert_eq!(
        findings(&test),
        [
            "records/case-a/case.yaml:23:1: error[initial-plan-45-days]: the child was found not eligible on \
             February 21, 2025, 46 days after the referral of January 6, 2025; the initial evaluation and \
             assessment are done within 45 days of the referral (by February 20, 2025; 303.310(a)), unless a \
             documented exception stops the timeline (`timeline_exceptions`)"
        ]
    );
    // A documented period of one day makes the 46th day the last.
    found_on(
        &test,
        "2025-02-21",
        "timeline_exceptions:\n  - {reason: family-circumstances, from: 2025-01-20, until: 2025-01-20, \
         detail: In hospital.}\n",
    );
    assert_eq!(findings(&test), Vec::<String>::new());
}

#[test]
fn services_start() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-02-10",
        "start_date: 2025-03-20",
    );
    test.edit(
        "records/case-a/notices.yaml",
        "date: 2025-02-10",
        "date: 2025-03-20",
    );
    // A warning in the Connecticut profile: shown, and the check passes.
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "records/case-a/plan.yaml:35:5: warning[services-start]: `dev` starts on March 20, 2025, 45 days after the consent of February 3, 2025; services start as soon as possible after consent (flagged after 30 days)",
    );
}

#[test]
fn consent_before_service() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-02-10",
        "start_date: 2025-01-27",
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:35:5: error[consent-before-service]: `dev` starts on January 27, 2025, before the consent of February 3, 2025 that accepts it",
    );

    // Declined later, but still delivered.
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/plan.yaml",
        &(test.read("records/case-a/plan.yaml")
            + "  - date: 2025-04-01\n    action: change\n    description: Stopping developmental intervention.\n    services:\n      - {service: dev, decision: declined}\n    explained: true\n    native_language: English\n    signatures:\n      - {role: parent, name: Bea Test, signed_on: 2025-04-01, method: paper}\n      - {role: coordinator, name: Cora Lind, signed_on: 2025-04-01, method: paper}\n"),
    );
    check(&test, CLEAN_DAY)
        .assert_status(1)
        .stderr_has(
            "records/case-a/plan.yaml:26:5: error[consent-before-service]: the parent declined `dev` on April 1, \
             2025, but the plan still delivers it until August 1, 2025; a decline takes effect the day it is \
             given: end the service on or before April 1, 2025",
        )
        // The coordinator provided `dev`: once it is declined, no longer.
        .stderr_has(
            "records/case-a/plan.yaml:25:1: error[coordinator-direct-provider]: the coordinator, Cora Lind, \
             provides none of the plan's services other than service coordination",
        );
}

#[test]
fn review_6_months() {
    let test = Test::fixture("minimal");
    // Due six months after 3 February: 3 August.
    check(&test, "2025-07-10").stderr_has(
        "records/case-a/plan.yaml:4:5: notice[review-6-months]: the next plan review is due by August 3, 2025",
    );
    check(&test, "2025-08-04").assert_status(1).stderr_has(
        "records/case-a/plan.yaml:4:5: error[review-6-months]: the plan review was due by August 3, 2025 (6 months after the meeting of February 3, 2025) and none is recorded",
    );
}

#[test]
fn review_6_months_from_a_month_end() {
    let test = Test::fixture("minimal");
    // Six months after 31 March is 30 September (there is no 31st).
    test.edit(
        "records/case-a/plan.yaml",
        "    type: initial\n",
        "    type: initial\n  - date: 2025-03-31\n    type: change\n",
    );
    check(&test, "2025-10-01").stderr_has(
        "records/case-a/plan.yaml:7:5: error[review-6-months]: the plan review was due by September 30, 2025 (6 months after the meeting of March 31, 2025)",
    );
    let run = check(&test, "2025-09-30");
    assert!(
        !run.stderr.contains("error[review-6-months]"),
        "{}",
        run.stderr
    );
    run.stderr_has("notice[review-6-months]: the next plan review is due by September 30, 2025");
}

/// A review on the day six months after the last meeting is in time; on
/// the next day it is late, and said at its date.
#[test]
fn a_review_on_its_due_day_is_in_time_and_a_day_later_is_late() {
    let held = |date: &str| {
        let t = Test::fixture("minimal");
        t.edit(
            "records/case-a/plan.yaml",
            "    type: initial\n",
            &format!("    type: initial\n  - date: {date}\n    type: change\n"),
        );
        check(&t, "2025-09-01")
    };
    let on_time = held("2025-08-03");
    assert!(!on_time.stderr.contains("came after"), "{}", on_time.stderr);
    held("2025-08-04").stderr_has(
        "records/case-a/plan.yaml:7:5: error[review-6-months]: the plan review of August 4, 2025 came after \
         August 3, 2025, more than 6 months after the meeting of February 3, 2025",
    );
}

#[test]
fn annual_meeting() {
    let test = Test::fixture("minimal");
    check(&test, "2026-02-04").assert_status(1).stderr_has(
        "records/case-a/plan.yaml:4:5: error[annual-meeting]: the annual plan meeting was due by February 3, 2026 (12 months after the meeting of February 3, 2025) and none is recorded",
    );
}

#[test]
fn transition_part_c_for_a_child_born_on_29_february() {
    let test = Test::fixture("minimal");
    // Born 2024-02-29: turns three on 2027-02-28; notify by 2026-11-30;
    // conference between 2026-05-28 and 2026-11-30.
    let run = check(&test, "2026-12-01");
    run.assert_status(1).stderr_has(
        "records/case-a/case.yaml:9:3: error[transition-part-c]: the school district and state education agency must be notified by November 30, 2026 (90 days before the third birthday, February 28, 2027); no notification is recorded",
    );
    run.stderr_has(
        "error[transition-part-c]: no transition conference is recorded; it is held between May 28, 2026 and November 30, 2026 (9 months to 90 days before the third birthday, February 28, 2027)",
    );

    // Notified on time, conference in the window: passes; a late
    // notification and a conference too early fail at their dates.
    let transition = |notified: &str, conference: &str| {
        format!(
            "kind: transition\nversion: 1\ntype: part-c\nwritten_on: {conference}\ntarget_date: 2027-02-28\n\
             school_district: {{name: Hartford Public Schools, contact: Lee Park (860) 555-0120, notified_on: {notified}, sea_notified_on: {notified}}}\n\
             conference: {{date: {conference}, family_approved_on: 2026-05-01}}\n\
             steps:\n  - {{step: Visit the preschool, who: Bea Test, by: 2027-01-15}}\n\
             receiving:\n  - {{service: Preschool, contact: Lee Park (860) 555-0120}}\n\
             family_next_steps: Visit in January.\n\
             signatures:\n  - {{role: parent, name: Bea Test, signed_on: {conference}, method: paper}}\n"
        )
    };
    test.write(
        "records/case-a/transition.yaml",
        &transition("2026-11-30", "2026-06-15"),
    );
    let run = check(&test, "2026-12-01");
    assert!(!run.stderr.contains("transition-part-c"), "{}", run.stderr);

    test.write(
        "records/case-a/transition.yaml",
        &transition("2026-12-01", "2026-05-27"),
    );
    let run = check(&test, "2026-12-02");
    run.stderr_has(
        "records/case-a/transition.yaml:6:84: error[transition-part-c]: the school district was notified on December 1, 2026, less than 90 days before the third birthday (February 28, 2027); it was due by November 30, 2026",
    )
    .stderr_has(
        "records/case-a/transition.yaml:7:14: error[transition-part-c]: the transition conference on May 27, 2026 is outside its window",
    );
}

#[test]
fn transition_postpartum() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "client: child\npart_c: true\n",
        "client: postpartum\nstate: VT\npart_c: false\nwoman: {name: Bea Test, delivery_date: 2024-12-31}\n",
    );
    // A postpartum plan gives her health; present levels are optional.
    test.edit(
        "records/case-a/plan.yaml",
        "present_levels:\n",
        "health: Recovering well after the birth.\npresent_levels:\n",
    );
    // Two months after 31 December is 28 February (2025 is not a leap year).
    let run = check(&test, "2025-03-01");
    run.assert_status(1).stderr_has(
        "records/case-a/case.yaml:7:25: error[transition-postpartum]: Bea Test is beyond two months postpartum since February 28, 2025 and the case is still open without a transition plan (add transition.yaml)",
    );
    let run = check(&test, "2025-02-28");
    assert!(
        !run.stderr.contains("transition-postpartum"),
        "{}",
        run.stderr
    );
}

#[test]
fn transition_age_six() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "client: child\npart_c: true\n",
        "client: child\nstate: VT\npart_c: false\n",
    );
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        "date_of_birth: 2019-05-01",
    );
    check(&test, "2025-05-02").assert_status(1).stderr_has(
        "records/case-a/case.yaml:10:3: error[transition-age-six]: Ada Test turned six on May 1, 2025 and the case is still open without a transition plan (add transition.yaml)",
    );
    test.assert_no_findings(&["check", "records", "--as-of", "2025-05-01"]);
}

#[test]
fn minimum_documentation() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "client: child\n",
        "client: child\nstate: VT\n",
    );
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: completed\nexit_date: 2025-05-20\nletter_date: 2025-05-20\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-20, method: paper}\n",
    );
    test.assert_no_findings(&["check", "records", "--as-of", CLEAN_DAY]);
    std::fs::remove_file(test.path("records/case-a/plan.yaml")).unwrap();
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/exit.yaml:3:1: error[minimum-documentation]: services ended after 1 visit and the case has no plan; even then the record keeps the consent, services grid and outcomes page (add plan.yaml)",
    );
}

#[test]
fn exit_notice() {
    let test = Test::fixture("minimal");
    let exit = |letter: &str| {
        format!(
            "kind: exit\nversion: 1\nreason: could-not-reach\nexit_date: 2025-05-30\nletter_date: {letter}\n\
             attempts:\n  - {{date: 2025-05-13, method: phone}}\n  - {{date: 2025-05-20, method: letter}}\n\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: {letter}, method: paper}}\n"
        )
    };
    common::write_exit(&test, &exit("2025-05-21"));
    // A letter after the last attempt is in time (the attempts themselves
    // are not in the notes, which the rule says as warnings).
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no contact note records an attempt that day");
    common::write_exit(&test, &exit("2025-05-19"));
    // Connecticut's profile makes this a warning; Vermont's an error.
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "records/case-a/exit.yaml:5:1: warning[exit-notice]: the exit letter is dated May 19, 2025, before the last attempt to reach the family on May 20, 2025; the written notice follows the attempts",
    );
    test.edit(
        "records/case-a/case.yaml",
        "client: child\n",
        "client: child\nstate: VT\n",
    );
    check(&test, CLEAN_DAY)
        .assert_status(1)
        .stderr_has("error[exit-notice]: the exit letter is dated May 19, 2025");
}

#[test]
fn a_program_can_switch_a_rule_off_or_change_its_severity() {
    let test = Test::fixture("minimal");
    let late = "2025-08-01";
    check(&test, late)
        .assert_status(1)
        .stderr_has("error[monthly-contact]");
    test.edit(
        "records/program.yaml",
        "staff:\n",
        "rules:\n  monthly-contact: warning\n  review-6-months: \"off\"\nstaff:\n",
    );
    let run = check(&test, late);
    run.assert_status(0).stderr_has(
        "warning[monthly-contact]: no service coordination contact is documented in June 2025",
    );
    assert!(!run.stderr.contains("review-6-months"), "{}", run.stderr);

    test.edit(
        "records/program.yaml",
        "monthly-contact: warning",
        "monthly-contacts: warning",
    );
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has(
            "error[unknown-element]: `monthly-contacts` is not an element of `program.rules`",
        );
}

#[test]
fn json_findings_carry_the_rule_id() {
    let test = Test::fixture("minimal");
    let run = test.run(&[
        "check",
        "records",
        "--as-of",
        "2025-08-01",
        "--format",
        "json",
    ]);
    run.assert_status(1);
    let findings: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let june = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("June 2025"))
        .unwrap();
    assert_eq!(june["code"], "monthly-contact");
    assert_eq!(june["severity"], "error");
    assert_eq!(june["path"], "contacts.notes[3]");
    assert_eq!(june["file"], "records/case-a/contacts.yaml");
    assert_eq!(june["line"], 22);
    assert_eq!(june["column"], 5);
}

#[test]
fn a_date_that_is_not_a_date_is_refused() {
    let test = Test::fixture("minimal");
    test.run(&["check", "records", "--as-of", "2025-02-30"])
        .assert_status(2)
        .stderr_has("`2025-02-30` is not a date; write it as YYYY-MM-DD, for example 2026-11-23");
}

#[test]
fn due_lists_a_case_with_errors_under_its_coordinator_instead_of_hiding_it() {
    let test = Test::fixture("minimal");
    // A contacts file with an error: the deadlines the other files give.
    test.edit(
        "records/case-a/contacts.yaml",
        "    summary: Check-in call.",
        "    summary: [Check-in call.",
    );
    let due = |pdf: Option<&str>| {
        let mut args = vec!["due", "records", "--as-of", "2025-08-10", "--within", "30"];
        if let Some(pdf) = pdf {
            args.extend(["--pdf", pdf]);
        }
        test.run(&args)
    };
    let run = due(None);
    run.assert_status(1);
    let expected = "Deadlines as of August 10, 2025, through September 9, 2025 (overdue first)\n\n\
                    Cora Lind (cora)\n  \
                    ERRORS                       case-a        has errors: its deadlines below leave \
                    out its files with errors until they are fixed (Ada Test)\n  \
                    OVERDUE  August 3, 2025      case-a        six-month plan review (Ada Test)\n  \
                    \x20        August 31, 2025     case-a        service coordination contact for \
                    August 2025 (Ada Test)\n";
    assert_eq!(run.stdout, expected);
    due(Some("partial.pdf")).assert_status(1);
    let text = test.pdf_text("partial.pdf");
    for needle in [
        "Ada Test (case-a)",
        "The records of this case have errors: the deadlines below leave out its files with \
         errors until they are fixed (casepaper validate names each).",
        "six-month plan review",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
    // The case file with an error too: nothing can be worked out.
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-36",
    );
    let run = due(None);
    run.assert_status(1);
    let expected = "Deadlines as of August 10, 2025, through September 9, 2025 (overdue first)\n\n\
                    Cora Lind (cora)\n  \
                    ERRORS                       case-a        has errors: its deadlines are worked \
                    out once they are fixed (Ada Test)\n";
    assert_eq!(run.stdout, expected);
    due(Some("caseload.pdf")).assert_status(1);
    let text = test.pdf_text("caseload.pdf");
    for needle in [
        "Ada Test (case-a)",
        "The records of this case have errors, so its deadlines cannot be worked out until they \
         are fixed (casepaper validate names each).",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
}

#[test]
fn due_lists_deadlines_overdue_first() {
    let test = Test::fixture("minimal");
    let run = test.run(&["due", "records", "--as-of", "2025-08-10", "--within", "30"]);
    run.assert_status(0);
    let expected = "Deadlines as of August 10, 2025, through September 9, 2025 (overdue first)\n\n\
                    Cora Lind (cora)\n  \
                    OVERDUE  August 3, 2025      case-a        six-month plan review (Ada Test)\n           \
                    August 31, 2025     case-a        service coordination contact for August 2025 (Ada Test)\n";
    assert_eq!(run.stdout, expected);

    test.run(&[
        "due",
        "records",
        "--as-of",
        "2025-08-10",
        "--within",
        "30",
        "--pdf",
        "caseload.pdf",
    ])
    .assert_status(0)
    .stderr_has("wrote the caseload report to caseload.pdf");
    let text = test.pdf_text("caseload.pdf");
    for needle in [
        "Caseload deadlines: Cora Lind",
        "from August 10, 2025 to September 9, 2025",
        "Ada Test (case-a)",
        "1 August 3, 2025 Overdue: six-month plan review",
        "2 August 31, 2025 service coordination contact for August 2025",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
}

#[test]
fn a_plan_meeting_due_after_part_c_services_end_is_not_due() {
    // The fixture's last annual meeting was February 3, 2025: the next is
    // due February 3, 2026. A child who turns three the day after still
    // has it; one who turns three that day has left Part C by then (services
    // end the day before the third birthday).
    for (born, listed) in [("2023-02-04", true), ("2023-02-03", false)] {
        let test = Test::fixture("minimal");
        test.edit(
            "records/case-a/case.yaml",
            "date_of_birth: 2024-02-29",
            &format!("date_of_birth: {born}"),
        );
        let run = test.run(&["due", "records", "--as-of", "2025-08-10", "--within", "400"]);
        assert_eq!(
            run.stdout.contains("annual plan meeting"),
            listed,
            "born {born}:\n{}",
            run.stdout
        );
        // The six-month review, due before the birthday, is listed either way.
        assert!(
            run.stdout.contains("six-month plan review"),
            "{}",
            run.stdout
        );
        // `check` does not say it is coming up either.
        let check = test.run(&["check", "records", "--as-of", "2026-01-20"]);
        assert_eq!(
            check
                .stdout
                .contains("the next annual plan meeting is due by")
                || check
                    .stderr
                    .contains("the next annual plan meeting is due by"),
            listed,
            "born {born}:\n{}{}",
            check.stdout,
            check.stderr
        );
    }
}

/// The April note of the fixture made an attempt that reached no one.
fn april_an_attempt(test: &Test) {
    test.edit(
        "records/case-a/contacts.yaml",
        "    type: phone\n    participants: [Bea Test (mother)]\n    summary: Check-in call.",
        "    type: phone\n    attempt: no-answer\n    participants: [Bea Test (mother)]\n    summary: Check-in call.",
    );
}

#[test]
fn a_month_of_attempts_only_is_its_own_finding_not_a_contact() {
    let test = Test::fixture("minimal");
    april_an_attempt(&test);
    let run = check(&test, CLEAN_DAY);
    run.assert_status(0).stderr_has(
        "records/case-a/contacts.yaml:13:5: warning[contact-attempts-only]: in April 2025 the only notes are attempts \
         that reached no one (April 7, 2025: no answer); an attempt is not the month's service coordination: \
         document a contact that reaches the family, or an exit if the family cannot be reached",
    );
    assert!(
        !run.stderr.contains("error[monthly-contact]"),
        "{}",
        run.stderr
    );
    // A program that counts attempts as contact.
    test.write(
        "records/program.yaml",
        &(test.read("records/program.yaml") + "check: {attempts_count_as_contact: true}\n"),
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no problems found");
}

#[test]
fn attempts_that_end_in_an_exit_for_inability_to_contact_are_its_documentation() {
    let test = Test::fixture("minimal");
    april_an_attempt(&test);
    test.edit(
        "records/case-a/contacts.yaml",
        "    summary: Phone check-in before the summer.",
        "    attempt: number-not-in-service\n    summary: Called; the number is not in service.",
    );
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: could-not-reach\nexit_date: 2025-05-30\nletter_date: 2025-05-16\n\
         attempts:\n  - {date: 2025-04-07, method: phone}\n  - {date: 2025-05-12, method: phone}\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-16, method: paper}\n",
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no problems found");
    // A family that moved away is not an exit for inability to contact.
    test.edit(
        "records/case-a/exit.yaml",
        "reason: could-not-reach",
        "reason: moved",
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("warning[contact-attempts-only]: in April 2025");
}

/// A case whose exit is still to come on the day checked is open that
/// day: nothing is owed for the months between that day and the exit.
#[test]
fn an_exit_after_the_day_checked_owes_nothing_after_that_day() {
    let test = Test::fixture("minimal");
    common::write_moved_exit(&test, "2025-07-31", "2025-05-30");
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no problems found");
}

#[test]
fn an_attempt_does_not_make_the_months_contact_for_due_either() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/contacts.yaml",
        "    summary: Phone check-in before the summer.",
        "    attempt: message-left\n    summary: Left a message.",
    );
    let run = test.run(&["due", "records", "--as-of", "2025-05-20", "--within", "30"]);
    run.assert_status(0);
    assert!(
        run.stdout.contains(
            "May 31, 2025        case-a        service coordination contact for May 2025"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn monthly_contact_at_the_month_boundaries() {
    // On a month's last day that month is not owed yet; the next day it is.
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/contacts.yaml",
        "  - date: 2025-05-12\n",
        "  - date: 2025-06-01\n",
    );
    test.edit(
        "records/case-a/contacts.yaml",
        "signed: {by: cora, on: 2025-05-13}",
        "signed: {by: cora, on: 2025-06-01}",
    );
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "records/case-a/contacts.yaml:3:1: notice[monthly-contact]: no contact is documented yet in May 2025; one is due by May 31, 2025",
    );
    // A note on the first day of June is June's, not May's.
    check(&test, "2025-06-01").assert_status(1).stderr_has(
        "records/case-a/contacts.yaml:10:5: error[monthly-contact]: no service coordination contact is documented in May 2025 \
         (the last note before it is of April 7, 2025)",
    );
    // A note on the last day of May is May's.
    test.edit(
        "records/case-a/contacts.yaml",
        "  - date: 2025-06-01\n",
        "  - date: 2025-05-31\n",
    );
    test.edit(
        "records/case-a/contacts.yaml",
        "signed: {by: cora, on: 2025-06-01}",
        "signed: {by: cora, on: 2025-05-31}",
    );
    let run = check(&test, "2025-06-01");
    run.assert_status(0);
    assert!(!run.stderr.contains("May 2025"), "{}", run.stderr);
    // The month in progress: a notice until a contact reaches the family.
    check(&test, "2025-06-02").assert_status(0).stderr_has(
        "notice[monthly-contact]: no contact is documented yet in June 2025; one is due by June 30, 2025",
    );
}

/// The fixture referred earlier, so its initial meeting of 2025-02-03 is
/// late: referral 2024-12-01, due 2025-01-15.
fn referred_on_1_december(test: &Test) {
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2024-12-01",
    );
}

#[test]
fn initial_plan_45_days_is_for_part_c_cases_only() {
    let test = Test::fixture("minimal");
    referred_on_1_december(&test);
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:4:5: error[initial-plan-45-days]: the initial plan meeting on February 3, 2025 is 64 days \
         after the referral of December 1, 2024; it is due within 45 days (by January 15, 2025)",
    );
    test.edit("records/case-a/case.yaml", "part_c: true", "part_c: false");
    let run = check(&test, CLEAN_DAY);
    assert!(
        !run.stderr.contains("initial-plan-45-days"),
        "{}",
        run.stderr
    );
}

#[test]
fn initial_plan_45_days_does_not_run_during_a_documented_exception() {
    let test = Test::fixture("minimal");
    referred_on_1_december(&test);
    let exception = |reason: &str, until: &str, attempts: &str| {
        format!(
            "timeline_exceptions:\n  - reason: {reason}\n    from: 2024-12-10\n{until}    detail: The family was away.\n{attempts}"
        )
    };
    let case = test.read("records/case-a/case.yaml");
    let on_time = |test: &Test| {
        let run = check(test, CLEAN_DAY);
        assert!(
            !run.stderr.contains("initial-plan-45-days"),
            "{}",
            run.stderr
        );
    };
    // 10 to 28 December (19 days): due 15 January + 19 = 3 February, the
    // day of the meeting.
    test.write(
        "records/case-a/case.yaml",
        &(case.clone() + &exception("family-circumstances", "    until: 2024-12-28\n", "")),
    );
    on_time(&test);
    // One day less, and the meeting is a day late.
    test.write(
        "records/case-a/case.yaml",
        &(case.clone() + &exception("family-circumstances", "    until: 2024-12-27\n", "")),
    );
    check(&test, CLEAN_DAY).stderr_has(
        "error[initial-plan-45-days]: the initial plan meeting on February 3, 2025 is 64 days after the referral of \
         December 1, 2024; it is due within 45 days, plus 18 days of documented exceptions (by February 2, 2025)",
    );
    // An exception with no end lasted until the meeting.
    test.write(
        "records/case-a/case.yaml",
        &(case.clone() + &exception("family-circumstances", "", "")),
    );
    on_time(&test);
    // Consent not given needs repeated attempts: one is not enough.
    test.write(
        "records/case-a/case.yaml",
        &(case.clone()
            + &exception(
                "consent-not-given",
                "    until: 2024-12-28\n",
                "    attempts: [2024-12-10]\n",
            )),
    );
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has(
            "records/case-a/case.yaml:28:5: error[too-few]: `case.timeline_exceptions[0].attempts` has 1 entry, \
             but needs at least 2 (The dates consent was asked for; consent-not-given needs at least two, \
             since the attempts must be repeated)",
        );
    test.write(
        "records/case-a/case.yaml",
        &(case
            + &exception(
                "consent-not-given",
                "    until: 2024-12-28\n",
                "    attempts: [2024-12-10, 2024-12-20]\n",
            )),
    );
    on_time(&test);
}

/// The initial plan meeting's due date as `check` and `due` count it: an
/// exception counts to its last day, one with no end to the day before
/// the initial meeting, and one still running on the day asked about
/// leaves no due date yet.
#[test]
fn the_initial_plan_due_date_counts_each_exception_to_its_last_day() {
    use casepaper::pipeline::Records;
    use casepaper::testing::initial_plan_due;
    let test = Test::fixture("minimal");
    referred_on_1_december(&test);
    let case = test.read("records/case-a/case.yaml");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let due_with = |until: &str, as_of: &str| {
        test.write(
            "records/case-a/case.yaml",
            &(case.clone()
                + &format!(
                    "timeline_exceptions:\n  - reason: family-circumstances\n    from: 2024-12-10\n\
                     {until}    detail: The family was away.\n"
                )),
        );
        let valid = Records::open(&[test.path("records")])
            .unwrap()
            .load(None)
            .validate();
        assert_eq!(valid.cases().len(), 1, "{:?}", valid.findings());
        initial_plan_due(&valid.cases()[0].record, day(as_of)).map(|d| (d.date, d.paused_days))
    };
    // No end: 10 December to 2 February, the day before the meeting (55
    // days), so 15 January + 55 days.
    assert_eq!(due_with("", CLEAN_DAY), Some((day("2025-03-11"), 55)));
    // Ended on 28 December (19 days): counted from the next day on.
    let ended = "    until: 2024-12-28\n";
    assert_eq!(due_with(ended, "2024-12-29"), Some((day("2025-02-03"), 19)));
    // Still running on the day asked about: no due date yet.
    assert_eq!(due_with(ended, "2024-12-28"), None);
    // Two that overlap: 10 to 20 December and 15 to 28 December pause the
    // timeline 19 days, not 25.
    let overlapping = "    until: 2024-12-20\n    detail: Away.\n  - reason: family-circumstances\n    from: 2024-12-15\n    until: 2024-12-28\n";
    assert_eq!(
        due_with(overlapping, CLEAN_DAY),
        Some((day("2025-02-03"), 19))
    );
}

/// The fixture's service planned once a month, and the notes of March,
/// April and May recording its deliveries.
/// The fixture's `dev` service, made monthly by `monthly_service_delivered`,
/// back to weekly.
fn dev_weekly(test: &Test) {
    test.edit(
        "records/case-a/plan.yaml",
        "frequency: {times: 1, per: month}\n    intensity: individual\n    minutes: 60",
        "frequency: {times: 1, per: week}\n    intensity: individual\n    minutes: 60",
    );
}

fn monthly_service_delivered(test: &Test) {
    test.edit(
        "records/case-a/plan.yaml",
        "frequency: {times: 1, per: week}",
        "frequency: {times: 1, per: month}",
    );
    for summary in [
        "    summary: Check-in call.",
        "    summary: Home visit; Ada stands alone for a few seconds.",
        "    summary: Phone check-in before the summer.",
    ] {
        test.edit(
            "records/case-a/contacts.yaml",
            summary,
            &format!("    service: dev\n{summary}"),
        );
    }
}

#[test]
fn service_delivery_compares_the_notes_with_the_plan() {
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no problems found");
    // Weekly on the plan: March and April fall short.
    test.edit(
        "records/case-a/plan.yaml",
        "frequency: {times: 1, per: month}",
        "frequency: {times: 1, per: week}",
    );
    let run = check(&test, CLEAN_DAY);
    run.assert_status(0).stderr_has(
        "records/case-a/plan.yaml:29:5: warning[service-delivery]: `dev` (Developmental intervention) is planned \
         1 time a week, but the notes record fewer deliveries in March 2025 (1 of 4.4), April 2025 (1 of 4.3); \
         record each delivery with `service: dev`, or change the plan with the family",
    );
    // The program allows any shortfall.
    test.write(
        "records/program.yaml",
        &(test.read("records/program.yaml") + "check: {delivery_shortfall_percent: 100}\n"),
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("no problems found");
}

#[test]
fn service_delivery_finds_a_long_gap_and_more_than_planned() {
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    // April's delivery dropped: 11 March to 11 May without one.
    test.edit(
        "records/case-a/contacts.yaml",
        "    service: dev\n    summary: Check-in call.",
        "    summary: Check-in call.",
    );
    let run = check(&test, CLEAN_DAY);
    run.stderr_has(
        "warning[service-delivery]: `dev` (Developmental intervention) is planned 1 time a month, but the notes \
         record fewer deliveries in April 2025 (0 of 1)",
    );
    run.stderr_has(
        "warning[service-delivery]: the notes record no delivery of `dev` (Developmental intervention) from \
         March 11, 2025 to May 11, 2025 (62 days); a service planned 1 time a month goes no longer than 45 days without one",
    );
    // Three in March for once a month.
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    let extra = "  - date: 2025-03-20\n    minutes: 45\n    type: visit\n    service: dev\n    \
                 participants: [Bea Test (mother)]\n    summary: Extra visit.\n    signed: {by: cora, on: 2025-03-20}\n";
    test.write(
        "records/case-a/contacts.yaml",
        &(test.read("records/case-a/contacts.yaml") + extra + &extra.replace("03-20", "03-27")),
    );
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "warning[service-delivery]: `dev` (Developmental intervention) is planned 1 time a month, but the notes \
         record more deliveries in March 2025 (3 of 1)",
    );
}

#[test]
fn due_lists_a_service_behind_plan_this_month() {
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    test.edit(
        "records/case-a/plan.yaml",
        "frequency: {times: 1, per: month}",
        "frequency: {times: 2, per: week}",
    );
    // May 1 to 20 is 20 days: about 5.7 sessions planned, one delivered.
    let run = test.run(&["due", "records", "--as-of", "2025-05-20", "--within", "30"]);
    run.assert_status(0);
    assert!(
        run.stdout.contains(
            "May 31, 2025        case-a        deliver `dev` (Developmental intervention): 1 of 5.7 planned sessions so far this month (Ada Test)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_note_can_deliver_only_a_service_the_plan_has() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/contacts.yaml",
        "    summary: Check-in call.",
        "    service: speech\n    summary: Check-in call.",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/contacts.yaml:14:5: error[unknown-reference]: this note delivered service `speech`, which is not on the plan; the service ids are dev",
    );
}

fn transition_findings(test: &Test, as_of: &str) -> Vec<String> {
    check(test, as_of)
        .stderr
        .lines()
        .filter(|l| l.contains("[transition-part-c]"))
        .map(str::to_string)
        .collect()
}

#[test]
fn transition_for_a_child_not_potentially_eligible_for_part_b() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan("potentially_eligible_part_b: false\n"),
    );
    // No notification is owed; the conference is with other services.
    assert_eq!(
        transition_findings(&test, "2026-12-01"),
        [
            "records/case-a/transition.yaml:1:1: error[transition-part-c]: no transition conference with providers of \
          other services is recorded; for a child not potentially eligible for preschool special education, the \
          program makes reasonable efforts, with the family's approval, to convene one before the transition plan is \
          due (November 30, 2026)"
        ]
    );
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "potentially_eligible_part_b: false\nconference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        ),
    );
    assert!(transition_findings(&test, "2026-12-01").is_empty());
}

#[test]
fn transition_for_a_child_found_eligible_fewer_than_90_days_before_three() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan("school_district: {name: Hartford Public Schools, contact: Lee Park}\n"),
    );
    // Found on 30 November 2026, 90 days before: notified by that day.
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-06\neligibility_date: 2026-11-30",
    );
    let findings = transition_findings(&test, "2026-12-01");
    assert!(
        findings
            .iter()
            .any(|f| f.contains("must be notified by November 30, 2026")),
        "{findings:?}"
    );
    // Found a day later: as soon as possible, with no window to keep.
    test.edit(
        "records/case-a/case.yaml",
        "eligibility_date: 2026-11-30",
        "eligibility_date: 2026-12-01",
    );
    assert!(transition_findings(&test, "2026-12-01").is_empty());
    assert_eq!(
        transition_findings(&test, "2026-12-02"),
        [
            "records/case-a/transition.yaml:6:1: error[transition-part-c]: the child was found eligible on December 1, 2026, \
          fewer than 90 days before the third birthday (February 28, 2027), so the school district and state education \
          agency are notified as soon as possible after that; no notification is recorded"
        ]
    );
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-12-02, sea_notified_on: 2026-12-02}\n",
        ),
    );
    assert!(transition_findings(&test, "2026-12-20").is_empty());
}

#[test]
fn transition_for_a_child_referred_fewer_than_45_days_before_three() {
    let test = Test::fixture("minimal");
    // 14 January 2027 is 45 days before the birthday: the ordinary branch.
    // (The fixture's notes come before such a referral: they go.)
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2027-01-14",
    );
    let findings = transition_findings(&test, "2027-01-20");
    assert!(
        findings.iter().any(|f| f.contains("as soon as possible")),
        "{findings:?}"
    );
    // The 15th is fewer than 45 days before: a referral with consent.
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2027-01-14",
        "referral_date: 2027-01-15",
    );
    assert_eq!(
        transition_findings(&test, "2027-01-20"),
        [
            "records/case-a/case.yaml:22:1: error[transition-part-c]: the child was referred on January 15, 2027, fewer \
          than 45 days before the third birthday (February 28, 2027): with the parent's consent, the program refers the \
          child to the school district and state education agency, and no evaluation, assessment or initial plan \
          meeting is required; no referral is recorded (`district_referral`)"
        ]
    );
    // No initial plan meeting is owed either.
    let run = check(&test, "2027-03-20");
    assert!(
        !run.stderr.contains("initial-plan-45-days"),
        "{}",
        run.stderr
    );
    // Referred before the parent consented.
    test.write(
        "records/case-a/case.yaml",
        &(test.read("records/case-a/case.yaml")
            + "district_referral: {consent_on: 2027-01-19, referred_on: 2027-01-18}\n"),
    );
    assert_eq!(
        transition_findings(&test, "2027-01-20"),
        [
            "records/case-a/case.yaml:23:45: error[transition-part-c]: the child was referred to the school district on \
          January 18, 2027, before the parent's consent of January 19, 2027; a referral needs the parent's consent first"
        ]
    );
    test.edit(
        "records/case-a/case.yaml",
        "referred_on: 2027-01-18",
        "referred_on: 2027-01-19",
    );
    assert!(transition_findings(&test, "2027-01-20").is_empty());
}

#[test]
fn a_familys_opt_out_of_the_notification_holds_where_the_state_allows_one() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park}\n\
             notification_opt_out: {on: 2026-09-01}\nconference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        ),
    );
    let findings = transition_findings(&test, "2026-12-01");
    assert!(
        findings[1].contains(
            "records/case-a/transition.yaml:7:1: error[transition-part-c]: the family's opt-out of the notification is recorded, \
             but program.yaml does not say the state lets parents opt out (`check.notification_opt_out`)"
        ),
        "{findings:?}"
    );
    assert!(
        findings[0].contains("must be notified by November 30, 2026"),
        "{findings:?}"
    );
    test.write(
        "records/program.yaml",
        &(test.read("records/program.yaml") + "check: {notification_opt_out: true}\n"),
    );
    assert!(transition_findings(&test, "2026-12-01").is_empty());
}

#[test]
fn a_transition_conference_is_convened_with_the_familys_approval() {
    let test = Test::fixture("minimal");
    let plan = |conference: &str| {
        part_c_plan(&format!(
            "school_district: {{name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-11-01, sea_notified_on: 2026-11-01}}\nconference: {conference}\n"
        ))
    };
    test.write(
        "records/case-a/transition.yaml",
        &plan("{date: 2026-06-15}"),
    );
    assert_eq!(
        transition_findings(&test, "2026-12-01"),
        [
            "records/case-a/transition.yaml:7:1: error[transition-part-c]: the transition conference on June 15, 2026 has \
          no record of the family's approval (`family_approved_on`); a conference is convened with the family's approval"
        ]
    );
    test.write(
        "records/case-a/transition.yaml",
        &plan("{date: 2026-06-15, family_approved_on: 2026-06-16}"),
    );
    assert_eq!(
        transition_findings(&test, "2026-12-01"),
        [
            "records/case-a/transition.yaml:7:32: error[transition-part-c]: the family approved the transition conference on \
          June 16, 2026, after it was held on June 15, 2026; a conference is convened with the family's approval"
        ]
    );
    test.write(
        "records/case-a/transition.yaml",
        &plan("{date: 2026-06-15, family_approved_on: 2026-06-15}"),
    );
    assert!(transition_findings(&test, "2026-12-01").is_empty());
}

#[test]
fn eis_over_3_keeps_part_c_services_until_the_school_year_where_the_program_offers_it() {
    let test = Test::fixture("minimal");
    // A child born 2024-05-20 turns three on 2027-05-20, after May 1 and
    // before the school year of 2027-08-30.
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        "date_of_birth: 2024-05-20",
    );
    let eis = |annual: &str| {
        part_c_plan(&format!(
            "school_district: {{name: Hartford Public Schools, contact: Lee Park, notified_on: 2027-01-10, sea_notified_on: 2027-01-10}}\n\
             conference: {{date: 2027-01-10, family_approved_on: 2027-01-02}}\n\
             eis_over_3: {{part_b_eligible_on: 2027-04-01, chosen_in_writing_on: 2027-04-15, school_year_starts: 2027-08-30{annual}}}\n"
        ))
        // Written inside its window (9 months before the birthday at most).
        .replace("written_on: 2026-06-15", "written_on: 2026-09-15")
    };
    test.write(
        "records/case-a/transition.yaml",
        &eis(", annual_notice_on: 2027-01-10"),
    );
    let findings = transition_findings(&test, "2027-06-01");
    assert!(
        findings.iter().any(|f| f.contains(
            "error[transition-part-c]: the parents chose EIS Over 3, but program.yaml does not say the program offers it"
        )),
        "{findings:?}"
    );
    common::offers_eis_over_3(&test);
    assert!(transition_findings(&test, "2027-06-01").is_empty());
    let run = test.run(&["due", "records", "--as-of", "2027-06-01", "--within", "120"]);
    assert!(
        run.stdout.contains(
            "August 29, 2027     case-a        record the exit and send its letter: Part C services end \
             (the school year begins, EIS Over 3)"
        ),
        "{}",
        run.stdout
    );
    // No annual notice recorded.
    test.write("records/case-a/transition.yaml", &eis(""));
    assert!(
        transition_findings(&test, "2027-06-01")
            .iter()
            .any(|f| f.contains("no annual notice of how Birth to Three and preschool special education services differ")),
    );
    // A birthday before May 1 is outside EIS Over 3.
    test.write(
        "records/case-a/transition.yaml",
        &eis(", annual_notice_on: 2027-01-10"),
    );
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-05-20",
        "date_of_birth: 2024-04-30",
    );
    assert!(
        transition_findings(&test, "2027-06-01").iter().any(|f| f.contains(
            "EIS Over 3 is for a child turning three between May 1 and the start of the school year (August 30, 2027); \
             this child turns three on April 30, 2027, so services end at the third birthday"
        )),
        "{:?}",
        transition_findings(&test, "2027-06-01")
    );
    // ... and so services end at the third birthday.
    let run = test.run(&["due", "records", "--as-of", "2027-04-01", "--within", "200"]);
    assert!(
        run.stdout
            .contains("April 29, 2027      case-a        record the exit and send its letter: Part C services end (the day before the third birthday)")
            && !run.stdout.contains("EIS Over 3"),
        "{}",
        run.stdout
    );
}

#[test]
fn transition_part_c_at_the_edges_of_its_dates() {
    let test = Test::fixture("minimal");
    // Inside the window, with months to go: nothing is owed yet.
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park}\n\
             conference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        ),
    );
    assert!(transition_findings(&test, "2026-06-20").is_empty());
    // Written after the window: reported while the case was open on the
    // window's first day (28 May 2026), not for a case that ended before.
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-06-01, sea_notified_on: 2026-06-01}\n\
             conference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        )
        .replace("written_on: 2026-06-15", "written_on: 2026-12-05"),
    );
    let exit = |on: &str| {
        format!(
            "kind: exit\nversion: 1\nreason: moved\nexit_date: {on}\nletter_date: {on}\n\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: {on}, method: paper}}\n"
        )
    };
    common::write_exit(&test, &exit("2026-05-27"));
    assert!(transition_findings(&test, "2026-12-10").is_empty());
    common::write_exit(&test, &exit("2026-05-28"));
    assert_eq!(
        transition_findings(&test, "2026-12-10"),
        [
            "records/case-a/transition.yaml:4:1: error[transition-part-c]: the transition plan was written on December 5, 2026, \
          after November 30, 2026; it is written between May 28, 2026 and November 30, 2026 (9 months to 90 days before \
          the third birthday, February 28, 2027)"
        ]
    );
}

#[test]
fn transition_steps_not_due_yet_are_not_reported() {
    let test = Test::fixture("minimal");
    // No conference yet, months before it is due: with the district, or
    // with providers of other services.
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan("school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-06-01, sea_notified_on: 2026-06-01}\n"),
    );
    assert!(transition_findings(&test, "2026-06-20").is_empty());
    assert_eq!(transition_findings(&test, "2026-11-01").len(), 1);
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan("potentially_eligible_part_b: false\n"),
    );
    assert!(transition_findings(&test, "2026-06-20").is_empty());
    assert_eq!(transition_findings(&test, "2026-11-01").len(), 1);
    // A referral consented to but not yet made: reported once the birthday
    // is near (30 days), not before.
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2027-01-15\ndistrict_referral: {consent_on: 2027-01-19}",
    );
    assert!(transition_findings(&test, "2027-01-20").is_empty());
    assert_eq!(
        transition_findings(&test, "2027-01-29"),
        [
            "records/case-a/case.yaml:23:1: error[transition-part-c]: the parent consented to the referral on January 19, 2027, \
          but no referral to the school district is recorded (`referred_on`); refer the child before the third birthday \
          (February 28, 2027)"
        ]
    );
}

#[test]
fn the_transition_conference_window_includes_its_first_and_last_days() {
    let test = Test::fixture("minimal");
    let held_on = |date: &str| {
        part_c_plan(&format!(
            "school_district: {{name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-06-01, sea_notified_on: 2026-06-01}}\n\
             conference: {{date: {date}, family_approved_on: 2026-05-01}}\n"
        ))
    };
    for (date, inside) in [
        ("2026-05-27", false),
        ("2026-05-28", true),
        ("2026-11-30", true),
        ("2026-12-01", false),
    ] {
        test.write("records/case-a/transition.yaml", &held_on(date));
        let findings = transition_findings(&test, "2026-12-10");
        let outside = findings.iter().any(|f| f.contains("is outside its window"));
        assert_eq!(outside, !inside, "{date}: {findings:?}");
    }
}

#[test]
fn eis_over_3_window_runs_from_may_1_to_the_day_before_school_starts() {
    let test = Test::fixture("minimal");
    common::offers_eis_over_3(&test);
    let plan = |school: &str| {
        part_c_plan(&format!(
            "school_district: {{name: Hartford Public Schools, contact: Lee Park, notified_on: 2027-01-10, sea_notified_on: 2027-01-10}}\n\
             conference: {{date: 2027-01-10, family_approved_on: 2027-01-02}}\n\
             eis_over_3: {{part_b_eligible_on: 2027-03-01, chosen_in_writing_on: 2027-03-15, \
             school_year_starts: {school}, annual_notice_on: 2027-01-10}}\n"
        ))
    };
    let outside = |test: &Test| {
        transition_findings(test, "2027-04-01")
            .iter()
            .any(|f| f.contains("EIS Over 3 is for a child turning three between May 1"))
    };
    // Turning three on May 1: inside.
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        "date_of_birth: 2024-05-01",
    );
    test.write("records/case-a/transition.yaml", &plan("2027-08-30"));
    assert!(!outside(&test));
    // Turning three on the first day of school: outside.
    test.write("records/case-a/transition.yaml", &plan("2027-05-01"));
    assert!(outside(&test));
    test.write("records/case-a/transition.yaml", &plan("2027-05-02"));
    assert!(!outside(&test));
}

/// The transition plan is written inside its window: no more than nine
/// months (303.209(d)(2)) and no fewer than 90 days before the third
/// birthday, its first and last days included.
#[test]
fn a_transition_plan_written_on_the_last_day_of_its_window_is_on_time() {
    let test = Test::fixture("minimal");
    let written_on = |date: &str| {
        part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-06-01, sea_notified_on: 2026-06-01}\n\
             conference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        )
        .replace("written_on: 2026-06-15", &format!("written_on: {date}"))
    };
    test.write("records/case-a/transition.yaml", &written_on("2026-05-28"));
    assert!(transition_findings(&test, "2026-07-01").is_empty());
    test.write("records/case-a/transition.yaml", &written_on("2026-05-27"));
    assert_eq!(
        transition_findings(&test, "2026-07-01"),
        [
            "records/case-a/transition.yaml:4:1: error[transition-part-c]: the transition plan was written on May \
             27, 2026, before May 28, 2026; it is written between May 28, 2026 and November 30, 2026 (9 months \
             to 90 days before the third birthday, February 28, 2027)"
        ]
    );
    test.write("records/case-a/transition.yaml", &written_on("2026-11-30"));
    assert!(transition_findings(&test, "2026-12-10").is_empty());
    test.write("records/case-a/transition.yaml", &written_on("2026-12-01"));
    assert!(
        transition_findings(&test, "2026-12-10")[0].contains(
            "the transition plan was written on December 1, 2026, after November 30, 2026"
        )
    );
}

#[test]
fn eis_over_3_is_chosen_once_the_child_is_eligible_for_preschool_special_education() {
    let test = Test::fixture("minimal");
    common::offers_eis_over_3(&test);
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        "date_of_birth: 2024-05-20",
    );
    let plan = |eligible: &str| {
        part_c_plan(&format!(
            "school_district: {{name: Hartford Public Schools, contact: Lee Park, notified_on: 2027-01-10, sea_notified_on: 2027-01-10}}\n\
             conference: {{date: 2027-01-10, family_approved_on: 2027-01-02}}\n\
             eis_over_3: {{part_b_eligible_on: {eligible}, chosen_in_writing_on: 2027-04-15, \
             school_year_starts: 2027-08-30, annual_notice_on: 2027-01-10}}\n"
        ))
        // Written inside its window (9 months before the birthday at most).
        .replace("written_on: 2026-06-15", "written_on: 2026-09-15")
    };
    test.write("records/case-a/transition.yaml", &plan("2027-04-15"));
    assert!(transition_findings(&test, "2027-06-01").is_empty());
    test.write("records/case-a/transition.yaml", &plan("2027-04-16"));
    assert_eq!(
        transition_findings(&test, "2027-06-01"),
        [
            "records/case-a/transition.yaml:8:46: error[transition-part-c]: the parents chose EIS Over 3 on April 15, 2027, \
          before the child was found eligible for preschool special education on April 16, 2027; the choice is made \
          once the child is eligible"
        ]
    );
}

#[test]
fn attempts_followed_by_a_contact_are_a_gap_even_when_the_case_later_exits_unreached() {
    let test = Test::fixture("minimal");
    april_an_attempt(&test);
    // The family was reached in May (the fixture's May 12 call), then lost.
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: could-not-reach\nexit_date: 2025-05-30\nletter_date: 2025-05-20\n\
         attempts:\n  - {date: 2025-05-16, method: phone}\n  - {date: 2025-05-19, method: letter}\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-20, method: paper}\n",
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("warning[contact-attempts-only]: in April 2025");
}

fn initial_plan_findings(test: &Test, as_of: &str) -> Vec<String> {
    check(test, as_of)
        .stderr
        .lines()
        .filter(|l| l.contains("[initial-plan-45-days]"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_missing_initial_plan_meeting_is_noticed_then_late() {
    // The fixture's only meeting made a change meeting: no initial meeting.
    // Referred 6 January 2025: due by 20 February.
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "    type: initial",
        "    type: change",
    );
    assert!(initial_plan_findings(&test, "2025-01-20").is_empty());
    assert_eq!(
        initial_plan_findings(&test, "2025-01-21"),
        [
            "records/case-a/case.yaml:22:1: notice[initial-plan-45-days]: the initial plan meeting is due by February 20, 2025"
        ]
    );
    assert_eq!(
        initial_plan_findings(&test, "2025-02-20"),
        [
            "records/case-a/case.yaml:22:1: notice[initial-plan-45-days]: the initial plan meeting is due by February 20, 2025"
        ]
    );
    assert_eq!(
        initial_plan_findings(&test, "2025-02-21"),
        [
            "records/case-a/plan.yaml:3:1: error[initial-plan-45-days]: no initial plan meeting is recorded, and it was due \
          within 45 days of the referral of January 6, 2025 (by February 20, 2025)"
        ]
    );
    // A case that ended before the meeting was due owes nothing.
    common::write_moved_exit(&test, "2025-01-25", "2025-01-25");
    assert!(initial_plan_findings(&test, "2025-02-01").is_empty());
    assert!(initial_plan_findings(&test, "2025-03-01").is_empty());
}

#[test]
fn a_case_that_ends_on_the_notification_deadline_was_not_late() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park}\n\
             conference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        ),
    );
    let exit = |on: &str| {
        format!(
            "kind: exit\nversion: 1\nreason: moved\nexit_date: {on}\nletter_date: {on}\n\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: {on}, method: paper}}\n"
        )
    };
    common::write_exit(&test, &exit("2026-11-30"));
    assert!(transition_findings(&test, "2026-12-10").is_empty());
    common::write_exit(&test, &exit("2026-12-01"));
    assert!(
        transition_findings(&test, "2026-12-10")[0]
            .contains("must be notified by November 30, 2026"),
    );
}

#[test]
fn an_exception_that_begins_on_the_due_date_still_pauses_the_timeline() {
    let test = Test::fixture("minimal");
    referred_on_1_december(&test);
    // Due 15 January 2025; 15 January to 5 February (22 days) pauses it to
    // 6 February, after the meeting of 3 February.
    test.write(
        "records/case-a/case.yaml",
        &(test.read("records/case-a/case.yaml")
            + "timeline_exceptions:\n  - reason: family-circumstances\n    from: 2025-01-15\n    until: 2025-02-05\n    detail: The family was away.\n"),
    );
    let run = check(&test, CLEAN_DAY);
    assert!(
        !run.stderr.contains("initial-plan-45-days"),
        "{}",
        run.stderr
    );
}

#[test]
fn service_delivery_holds_each_month_to_the_frequency_then_in_force() {
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    // Weekly at first; a change meeting on April 1 makes it monthly.
    dev_weekly(&test);
    common::change_meeting(&test, "2025-04-01");
    common::dev_changes(
        &test,
        &["{on: 2025-04-01, frequency: {times: 1, per: month}}"],
    );
    // March was weekly and falls short; April on is monthly and delivered.
    check(&test, CLEAN_DAY).stderr_has(
        "warning[service-delivery]: `dev` (Developmental intervention) is planned 1 time a week, but the notes record fewer \
         deliveries in March 2025 (1 of 4.4); record each delivery",
    );
    // Today's plan is the monthly one: May's delivery keeps it on plan.
    let run = test.run(&["due", "records", "--as-of", "2025-05-20"]);
    assert!(!run.stdout.contains("deliver `dev`"), "{}", run.stdout);
}

#[test]
fn service_delivery_counts_whole_months_from_a_first_to_a_last_day() {
    let test = Test::fixture("minimal");
    monthly_service_delivered(&test);
    // Weekly from 1 March through 30 April; a delivery on 1 April is April's.
    dev_weekly(&test);
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-02-10",
        "start_date: 2025-03-01",
    );
    test.edit(
        "records/case-a/plan.yaml",
        "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n  - {id: sc",
        "    end_date: 2025-04-30\n    funding: Part C\n    outcomes: [1]\n  - {id: sc",
    );
    test.edit(
        "records/case-a/contacts.yaml",
        "date: 2025-04-07",
        "date: 2025-04-01",
    );
    check(&test, CLEAN_DAY).stderr_has(
        "warning[service-delivery]: `dev` (Developmental intervention) is planned 1 time a week, but the notes record fewer \
         deliveries in March 2025 (1 of 4.4), April 2025 (1 of 4.3); record each delivery",
    );
}

#[test]
fn due_counts_only_the_meetings_held_by_its_date() {
    // Eli's initial plan meeting was November 14, 2025; his review of May
    // 12, 2026 is in the records but had not happened on March 1, 2026, so
    // the six-month review is due May 14, 2026.
    let test = Test::samples();
    let run = test.run(&["due", "records", "--as-of", "2026-03-01", "--within", "90"]);
    run.assert_status(0);
    assert!(
        run.stdout
            .contains("May 14, 2026        ct-2025-0117  six-month plan review (Eli Marsh)"),
        "{}",
        run.stdout
    );
}

/// `check` validates and checks a batch of cases at a time; the batches
/// find exactly what one pass over every case finds, the rules about a
/// coordinator across every case they coordinate included.
#[test]
fn checks_in_batches_of_any_size_find_what_one_pass_finds() {
    use casepaper::pipeline::Records;
    let test = Test::samples();
    // Marisol's certificate came after notes she signed in both her cases.
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2019-09-20",
        "service_coordinator: 2026-12-01",
    );
    let records = [test.path("records")];
    let as_of = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    let one_pass = Records::open(&records).unwrap().load(None).validate();
    let one_pass = one_pass.check(as_of);
    let codes = |findings: &[casepaper::finding::Finding]| -> Vec<&str> {
        findings.iter().map(|f| f.code.name()).collect()
    };
    assert!(
        codes(&one_pass).contains(&"monthly-contact"),
        "{one_pass:?}"
    );
    assert!(
        codes(&one_pass).contains(&"coordinator-qualified"),
        "{one_pass:?}"
    );
    for size in [1, 2, 3, 100] {
        let mut batches = 0;
        let all = Records::open(&records)
            .unwrap()
            .load_later(None)
            .check_in_batches(size, as_of, |_| batches += 1);
        assert_eq!(batches, 7usize.div_ceil(size), "batches of {size}");
        assert_eq!(all.findings(), one_pass, "batches of {size}");
    }
}

#[test]
fn a_deadline_on_the_day_asked_about_is_due_not_overdue() {
    let test = Test::fixture("minimal");
    let run = test.run(&[
        "due",
        "records",
        "--as-of",
        "2025-08-31",
        "--format",
        "json",
    ]);
    run.assert_status(0);
    assert_eq!(
        run.stdout,
        "{\"case_id\":\"case-a\",\"coordinator\":\"cora\",\"date\":\"2025-08-03\",\"what\":\"six-month plan review\",\"rule\":\"review-6-months\",\"overdue\":true}\n\
         {\"case_id\":\"case-a\",\"coordinator\":\"cora\",\"date\":\"2025-08-31\",\"what\":\"service coordination contact for August 2025\",\"rule\":\"monthly-contact\",\"overdue\":false}\n\
         {\"case_id\":\"case-a\",\"coordinator\":\"cora\",\"date\":\"2025-09-30\",\"what\":\"service coordination contact for September 2025\",\"rule\":\"monthly-contact\",\"overdue\":false}\n"
    );
}

// ---- A case's life, event by event (domain notes, section 11) ----

/// The fixture child turns three on `birthday`, with every service of the
/// plan ending on `last_day`.
fn turns_three(test: &Test, birthday: &str, last_day: &str) {
    let born = format!(
        "{}{}",
        birthday[..4].parse::<i32>().unwrap() - 3,
        &birthday[4..]
    );
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        &format!("date_of_birth: {born}"),
    );
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &plan.replace("end_date: 2025-08-01", &format!("end_date: {last_day}")),
    );
}

/// Part C services are for a child under three (303.21): a service planned
/// to run on the third birthday is a finding; the day before is the last.
#[test]
fn services_end_the_day_before_the_third_birthday() {
    let test = Test::fixture("minimal");
    turns_three(&test, "2025-06-10", "2025-06-10");
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end"]),
        [
            "records/case-a/plan.yaml:36:5: error[services-end]: `dev` is planned until June 10, 2025, but Part C \
             services end on June 9, 2025, the day before the third birthday (June 10, 2025; 303.21): end it on \
             or before June 9, 2025",
            "records/case-a/plan.yaml:39:340: error[services-end]: `sc` is planned until June 10, 2025, but Part C \
             services end on June 9, 2025, the day before the third birthday (June 10, 2025; 303.21): end it on \
             or before June 9, 2025",
        ]
    );
    let test = Test::fixture("minimal");
    turns_three(&test, "2025-06-10", "2025-06-09");
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end"]),
        Vec::<String>::new()
    );
}

/// When services end at three the case owes its exit: a notice as the day
/// nears (its last day of services included), a finding from the day after,
/// and no monthly contact for the month services ended in or after it.
#[test]
fn a_case_whose_services_end_at_three_owes_its_exit_and_no_more_contacts() {
    let test = Test::fixture("minimal");
    turns_three(&test, "2025-06-10", "2025-06-09");
    let rules = ["exit-recorded", "monthly-contact"];
    let soon = "records/case-a/case.yaml:9:3: notice[exit-recorded]: Part C services end on June 9, 2025, the day \
                before the third birthday (June 10, 2025; 303.21); record the exit in exit.yaml (reason \
                turned-three, exit_date 2025-06-09) and send the family its exit letter by then";
    assert_eq!(
        common::findings_of(&test, "2025-05-09", &rules),
        Vec::<String>::new()
    );
    assert_eq!(common::findings_of(&test, "2025-05-10", &rules), [soon]);
    assert_eq!(common::findings_of(&test, "2025-06-09", &rules), [soon]);
    let late = "records/case-a/case.yaml:9:3: error[exit-recorded]: Part C services end on June 9, 2025, the day \
                before the third birthday (June 10, 2025; 303.21), and no exit is recorded; record the exit in \
                exit.yaml (reason turned-three, exit_date 2025-06-09) and send the family its exit letter";
    assert_eq!(common::findings_of(&test, "2025-06-10", &rules), [late]);
    // Months on, it still owes only its exit: no contact for June (services
    // ended on its ninth) or the months after.
    assert_eq!(common::findings_of(&test, "2025-09-15", &rules), [late]);

    // `due` lists the notice and the exit (with the transition steps this
    // fixture never took), and no contact for June.
    let run = test.run(&["due", "records", "--as-of", "2025-05-20", "--within", "60"]);
    run.assert_status(0);
    assert_eq!(
        run.stdout,
        "Deadlines as of May 20, 2025, through July 19, 2025 (overdue first)\n\n\
         Cora Lind (cora)\n\
         \x20 OVERDUE  March 12, 2025      case-a        notify the school district and state education agency (90 days before age three) (Ada Test)\n\
         \x20 OVERDUE  March 12, 2025      case-a        transition conference (window opens September 10, 2024) (Ada Test)\n\
         \x20          June 4, 2025        case-a        give the prior written notice of the exit of June 9, 2025 (Ada Test)\n\
         \x20          June 9, 2025        case-a        record the exit and send its letter: Part C services end (the day before the third birthday) (Ada Test)\n"
    );

    // On the last day of services the case is still open: what it owes
    // is still listed, the notice overdue since June 4.
    let run = test.run(&["due", "records", "--as-of", "2025-06-09", "--within", "1"]);
    assert!(
        run.stdout.contains(
            "  OVERDUE  June 4, 2025        case-a        give the prior written notice of the exit of June 9, 2025 \
             (Ada Test)\n"
        ),
        "{}",
        run.stdout
    );

    // Recorded, with its notice: nothing more is owed a month later but
    // the transition steps this fixture never took.
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: turned-three\nexit_date: 2025-06-09\nletter_date: 2025-05-30\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-30, method: paper}\n",
    );
    assert_eq!(
        check(&test, "2025-07-10")
            .stderr
            .lines()
            .filter(|l| l.contains("]: "))
            .collect::<Vec<_>>(),
        [
            "records/case-a/case.yaml:9:3: error[transition-part-c]: the school district and state education \
             agency must be notified by March 12, 2025 (90 days before the third birthday, June 10, 2025); no \
             notification is recorded",
            "records/case-a/case.yaml:9:3: error[transition-part-c]: no transition conference is recorded; it is \
             held between September 10, 2024 and March 12, 2025 (9 months to 90 days before the third birthday, \
             June 10, 2025)"
        ]
    );
    // An exit on the birthday is a day too late.
    test.edit(
        "records/case-a/exit.yaml",
        "exit_date: 2025-06-09",
        "exit_date: 2025-06-10",
    );
    assert_eq!(
        common::findings_of(&test, "2025-07-10", &["services-end"]),
        [
            "records/case-a/exit.yaml:4:1: error[services-end]: the exit is dated June 10, 2025, but Part C \
             services end on June 9, 2025, the day before the third birthday (June 10, 2025; 303.21); the exit \
             date is the last day of services: June 9, 2025 at the latest"
        ]
    );
}

/// The end of services at three is a change in the provision of services:
/// its prior written notice is owed the program's days before (five in
/// Connecticut), whether or not the exit is written yet.
#[test]
fn the_notice_of_the_end_of_services_is_owed_before_the_exit_is_written() {
    let test = Test::fixture("minimal");
    turns_three(&test, "2025-06-10", "2025-06-09");
    let rules = ["prior-written-notice"];
    // Its last day is June 4: not yet late that day, late the next.
    assert_eq!(
        common::findings_of(&test, "2025-06-04", &rules),
        Vec::<String>::new()
    );
    assert_eq!(
        common::findings_of(&test, "2025-06-05", &rules),
        [
            "records/case-a/case.yaml:9:3: error[prior-written-notice]: the exit of June 9, 2025 has no prior \
             written notice; give the family one and record it in notices.yaml (`prior_written`, action exit, \
             date 2025-06-09)"
        ]
    );
    let given = |test: &Test, on: &str| {
        test.edit(
            "records/case-a/notices.yaml",
            "prior_written:\n",
            &format!(
                "prior_written:\n  - {{action: exit, date: 2025-06-09, given_on: {on}, reasons: Ada turns three.}}\n"
            ),
        );
    };
    given(&test, "2025-06-04");
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        Vec::<String>::new()
    );
    let test = Test::fixture("minimal");
    turns_three(&test, "2025-06-10", "2025-06-09");
    given(&test, "2025-06-05");
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        [
            "records/case-a/notices.yaml:4:38: error[prior-written-notice]: the prior written notice of the exit \
             of June 9, 2025 is dated June 5, 2025; it is given at least 5 days before the action, by June 4, 2025"
        ]
    );
}

/// A child found not eligible: once the family has the notice, the case
/// is closed and owes no more contacts; until then, it does.
#[test]
fn a_case_found_not_eligible_closes_with_its_notice() {
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/plan.yaml")).unwrap();
    // Only the February note: no contact in March, April or May.
    test.write(
        "records/case-a/contacts.yaml",
        "kind: contacts\nversion: 1\nnotes:\n  - date: 2025-02-03\n    minutes: 60\n    type: meeting\n    \
         participants: [Bea Test (mother)]\n    summary: Evaluation.\n    signed: {by: cora, on: 2025-02-03}\n",
    );
    test.write(
        "records/case-a/notices.yaml",
        "kind: notices\nversion: 1\nprior_written: []\nmeetings: []\n",
    );
    test.write(
        "records/case-a/case.yaml",
        &(test.read("records/case-a/case.yaml")
            + "evaluation_date: 2025-02-03\neligibility_date: 2025-02-03\neligible: false\nconsents:\n  - date: 2025-01-20\n    \
               description: The evaluation.\n    evaluation: true\n    explained: true\n    native_language: English\n    \
               signatures:\n      - {role: parent, name: Bea Test, signed_on: 2025-01-20, method: paper}\n      \
               - {role: coordinator, name: Cora Lind, signed_on: 2025-01-20, method: paper}\n"),
    );
    let notice = |test: &Test, given: &str| {
        test.write(
            "records/case-a/notices.yaml",
            &format!(
                "kind: notices\nversion: 1\nprior_written:\n  - {{action: evaluation, date: 2025-02-03, \
                 given_on: 2025-01-20, reasons: Bea asked for an evaluation.}}\n  - {{action: not-eligible, \
                 date: 2025-02-03, given_on: {given}, reasons: Ada's development is within the typical range.}}\n\
                 meetings: []\n"
            ),
        );
    };
    let contacts = |test: &Test| common::findings_of(test, CLEAN_DAY, &["monthly-contact"]);
    let missed = |m: &str| {
        format!(
            "records/case-a/contacts.yaml:4:5: error[monthly-contact]: no service coordination contact is \
             documented in {m} (the last note before it is of February 3, 2025); while a case is open, document \
             at least one contact every month"
        )
    };
    // Told on March 31, the last day of March: March was still open.
    notice(&test, "2025-03-31");
    assert_eq!(contacts(&test), [missed("March 2025")]);
    // Told on February 5: nothing after.
    notice(&test, "2025-02-05");
    assert_eq!(contacts(&test), Vec::<String>::new());
    let run = test.run(&["due", "records", "--as-of", "2025-04-10"]);
    assert!(
        run.stdout.contains("Cora Lind (cora)\n  nothing due\n"),
        "{}",
        run.stdout
    );
    // At three the case owes no exit and no notice of one: it closed.
    assert_eq!(
        common::findings_of(
            &test,
            "2027-03-01",
            &["exit-recorded", "prior-written-notice", "monthly-contact"]
        ),
        Vec::<String>::new()
    );
}

/// A parent declines a service at any time (303.420(d)): the decline ends
/// it that day with no meeting, owes no notice before it, and the first
/// decline after an acceptance is the day that counts.
#[test]
fn a_parent_declines_one_service_without_a_meeting() {
    let test = Test::fixture("minimal");
    // Declined on March 31, the last day of the month; the service ends
    // that day by a change of that day with only its end date.
    test.edit(
        "records/case-a/plan.yaml",
        "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n  - {id: sc",
        "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n    changes:\n      - {on: 2025-03-31, end_date: 2025-03-31}\n  - {id: sc",
    );
    let decline = |date: &str, decision: &str| {
        format!(
            "  - date: {date}\n    action: change\n    description: The parent's decision on developmental intervention.\n    \
             services:\n      - {{service: dev, decision: {decision}}}\n    explained: true\n    native_language: English\n    \
             signatures:\n      - {{role: parent, name: Bea Test, signed_on: {date}, method: paper}}\n      \
             - {{role: coordinator, name: Cora Lind, signed_on: {date}, method: paper}}\n"
        )
    };
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &(plan.clone() + &decline("2025-03-31", "declined")),
    );
    test.run(&["validate", "records"])
        .assert_status(0)
        .stderr_has("1 case valid, no problems found");
    // No notice or meeting is asked for the decline; only the coordinator,
    // who no longer gives a direct service, is left to explain.
    assert_eq!(
        common::findings_of(
            &test,
            CLEAN_DAY,
            &[
                "prior-written-notice",
                "meeting-notice",
                "consent-before-service",
                "coordinator-direct-provider"
            ]
        ),
        [
            "records/case-a/plan.yaml:25:1: error[coordinator-direct-provider]: the coordinator, Cora Lind, \
             provides none of the plan's services other than service coordination; a coordinator is also one of \
             the family's direct providers: add them to a service, or say why not in the plan's `notes`"
        ]
    );
    // The decline takes effect the day it is given: from that day on.
    assert_eq!(
        common::findings_of(&test, "2025-03-31", &["coordinator-direct-provider"]).len(),
        1
    );
    assert_eq!(
        common::findings_of(&test, "2025-03-30", &["coordinator-direct-provider"]),
        Vec::<String>::new()
    );
    // A change of that day that does more than end it needs its meeting.
    test.edit(
        "records/case-a/plan.yaml",
        "{on: 2025-03-31, end_date: 2025-03-31}",
        "{on: 2025-03-31, end_date: 2025-03-31, minutes: 30}",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "error[no-meeting]: this change of `dev` is dated 2025-03-31, but the plan has no meeting on that day",
    );
    // The decline must be of this service: a consent that day declining
    // another one leaves this change needing its meeting.
    test.write(
        "records/case-a/plan.yaml",
        &(plan.clone() + &decline("2025-03-31", "declined").replace("service: dev", "service: sc")),
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "error[no-meeting]: this change of `dev` is dated 2025-03-31, but the plan has no meeting on that day",
    );
    // Accepted again in April and declined again in May: the first decline
    // after the acceptance, March 31, is the day the service ended.
    test.write(
        "records/case-a/plan.yaml",
        &(plan.replace(
            "{on: 2025-03-31, end_date: 2025-03-31}",
            "{on: 2025-05-01, end_date: 2025-05-01}",
        ) + &decline("2025-03-31", "declined")
            + &decline("2025-04-15", "accepted")
            + &decline("2025-05-01", "declined")),
    );
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["consent-before-service"]),
        [
            "records/case-a/plan.yaml:26:5: error[consent-before-service]: the parent declined `dev` on March 31, \
             2025, but the plan still delivers it until May 1, 2025; a decline takes effect the day it is given: \
             end the service on or before March 31, 2025"
        ]
    );
}

/// An exit ends every service: none runs past it, none starts after it (a
/// note after it is refused by `validate`); ending them on the exit date
/// needs no meeting.
#[test]
fn an_exit_ends_every_service() {
    let test = Test::fixture("minimal");
    // The exit, with the plan as it was before it (the helper ends the
    // services on the exit date, as a coordinator would).
    let planned = test.read("records/case-a/plan.yaml");
    common::write_moved_exit(&test, "2025-05-20", "2025-05-13");
    test.write("records/case-a/plan.yaml", &planned);
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end"]),
        [
            "records/case-a/plan.yaml:36:5: error[services-end]: `dev` is planned until August 1, 2025, past the \
             exit on May 20, 2025; an exit ends every service: end it on that day (a change of that day with only \
             `end_date: 2025-05-20`, which needs no meeting)",
            "records/case-a/plan.yaml:39:340: error[services-end]: `sc` is planned until August 1, 2025, past the \
             exit on May 20, 2025; an exit ends every service: end it on that day (a change of that day with only \
             `end_date: 2025-05-20`, which needs no meeting)",
        ]
    );
    // Ended by the exit (a change of its day, no meeting), or planned to
    // end on it: nothing to find, and `validate` takes the change.
    let ended = |test: &Test, dev_end: &str| {
        let plan = test.read("records/case-a/plan.yaml");
        test.write(
            "records/case-a/plan.yaml",
            &plan
                .replace(
                    "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n",
                    &format!(
                        "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n    \
                         changes:\n      - {{on: 2025-05-20, end_date: {dev_end}}}\n"
                    ),
                )
                .replace(
                    "end_date: 2025-08-01, funding",
                    "end_date: 2025-05-20, funding",
                ),
        );
    };
    ended(&test, "2025-05-20");
    test.run(&["validate", "records"])
        .assert_status(0)
        .stderr_has("1 case valid, no problems found");
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end", "prior-written-notice"]),
        Vec::<String>::new()
    );
    // A change on the exit's day that ends the service later is a change of
    // the plan, which needs its meeting.
    let test = Test::fixture("minimal");
    common::write_moved_exit(&test, "2025-05-20", "2025-05-13");
    test.write("records/case-a/plan.yaml", &planned);
    ended(&test, "2025-05-21");
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has(
            "records/case-a/plan.yaml:40:10: error[no-meeting]: this change of `dev` is dated 2025-05-20, but the \
             plan has no meeting on that day",
        );
    // Starting on the day of the exit is still inside it; the day after is not.
    let test = Test::fixture("minimal");
    common::write_moved_exit(&test, "2025-05-20", "2025-05-13");
    test.write("records/case-a/plan.yaml", &planned);
    ended(&test, "2025-05-20");
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-02-10",
        "start_date: 2025-05-20",
    );
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end"]),
        Vec::<String>::new()
    );
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-05-20",
        "start_date: 2025-05-21",
    );
    assert_eq!(
        common::findings_of(&test, CLEAN_DAY, &["services-end"]),
        [
            "records/case-a/plan.yaml:35:5: error[services-end]: `dev` starts on May 21, 2025, after the exit on \
             May 20, 2025; an exit ends every service, and none starts after it"
        ]
    );
}

/// The transition conference is a plan meeting (303.209(e)): it has its
/// written notice like any other.
#[test]
fn the_transition_conference_has_its_meeting_notice() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-06-15, sea_notified_on: 2026-06-15}\n\
             conference: {date: 2026-06-15, family_approved_on: 2026-06-01}\n",
        ),
    );
    assert_eq!(
        common::findings_of(&test, "2026-07-01", &["meeting-notice"]),
        [
            "records/case-a/transition.yaml:7:14: error[meeting-notice]: the transition conference (a plan \
             meeting) of June 15, 2026 has no written notice; give the family one early enough to attend, with \
             the date, time, place and who is invited, and record it in notices.yaml (`meetings`)"
        ]
    );
    test.edit(
        "records/case-a/notices.yaml",
        "meetings:\n",
        "meetings:\n  - {date: 2026-06-15, given_on: 2026-06-01, time: \"10:00\", place: The school, \
         invited: [Bea Test (mother)]}\n",
    );
    assert_eq!(
        common::findings_of(&test, "2026-07-01", &["meeting-notice"]),
        Vec::<String>::new()
    );
}

/// `due --within` lists the contact of every month that ends in the
/// window, not only this month's.
#[test]
fn due_lists_each_months_contact_inside_its_window() {
    let test = Test::fixture("minimal");
    let due_on = |test: &Test, as_of: &str, within: &str| {
        let run = test.run(&[
            "due", "records", "--as-of", as_of, "--within", within, "--format", "json",
        ]);
        run.assert_status(0);
        run.stdout
            .lines()
            .filter(|l| l.contains("monthly-contact"))
            .map(|l| {
                l.split("\"what\":\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    let due = |within: &str| due_on(&test, "2025-05-20", within);
    // May already has its contact (May 12); June ends on the window's last
    // day, July after it.
    assert_eq!(due("41"), ["service coordination contact for June 2025"]);
    assert_eq!(due("40"), Vec::<String>::new());
    assert_eq!(
        due("72"),
        [
            "service coordination contact for June 2025",
            "service coordination contact for July 2025"
        ]
    );
    // From a month's first day, its contact is listed once the window
    // reaches its last; a note that day (or any day up to the day asked
    // about) documents it.
    assert_eq!(
        due_on(&test, "2025-06-01", "29"),
        ["service coordination contact for June 2025"]
    );
    assert_eq!(due_on(&test, "2025-06-01", "28"), Vec::<String>::new());
    assert_eq!(due_on(&test, "2025-05-12", "19"), Vec::<String>::new());
    note_on(&test, "2025-06-01", "phone", "Check-in call.");
    assert_eq!(due_on(&test, "2025-06-01", "29"), Vec::<String>::new());
    // An exit on a month's last day: that month is still owed, not the next.
    let test = Test::fixture("minimal");
    common::write_moved_exit(&test, "2025-06-30", "2025-06-20");
    assert_eq!(
        due_on(&test, "2025-06-10", "60"),
        ["service coordination contact for June 2025"]
    );
    // A case whose services have no end in sight: the window alone ends
    // the list.
    let test = Test::fixture("minimal");
    test.edit("records/case-a/case.yaml", "part_c: true", "part_c: false");
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &plan
            .replace(
                "    end_date: 2025-08-01\n",
                "    duration: Until the next review\n",
            )
            .replace(
                ", end_date: 2025-08-01",
                ", duration: Until the next review",
            ),
    );
    assert_eq!(
        due_on(&test, "2025-05-20", "41"),
        ["service coordination contact for June 2025"]
    );
}

/// A plan outside Part C whose services have all ended owes its exit, not
/// reviews (the Vermont postpartum sample, without its exit).
#[test]
fn a_plan_outside_part_c_whose_services_ended_owes_its_exit() {
    let test = Test::samples();
    std::fs::remove_file(test.path("records/vt-2026-0019/exit.yaml")).unwrap();
    let of_case = |as_of: &str| -> Vec<String> {
        check(&test, as_of)
            .stderr
            .lines()
            .filter(|l| l.starts_with("records/vt-2026-0019/"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        of_case("2026-09-01"),
        [
            "records/vt-2026-0019/plan.yaml:26:1: error[exit-recorded]: the plan's services end on August 31, \
             2026, the last end date of its services, and no exit is recorded; record the exit in exit.yaml \
             (reason completed, exit_date 2026-08-31) and send the family its exit letter"
        ]
    );
    test.write(
        "records/vt-2026-0019/exit.yaml",
        "kind: exit\nversion: 1\nreason: completed\nexit_date: 2026-08-31\nletter_date: 2026-08-25\n\
         signatures:\n  - {role: coordinator, name: Hannah Brandt, signed_on: 2026-08-25, method: paper}\n",
    );
    assert_eq!(of_case("2027-03-01"), Vec::<String>::new());
}

/// A note of the fixture case on `date`, of `kind`, with `summary`.
fn note_on(test: &Test, date: &str, kind: &str, summary: &str) {
    let notes = test.read("records/case-a/contacts.yaml");
    test.write(
        "records/case-a/contacts.yaml",
        &format!(
            "{notes}  - date: {date}\n    minutes: 30\n    type: {kind}\n    participants: [Bea Test (mother)]\n    \
             summary: {summary}\n    signed: {{by: cora, on: {date}}}\n"
        ),
    );
}

/// A meeting notice of the fixture case for the meeting of `date`.
fn meeting_notice_for(test: &Test, date: &str, given_on: &str) {
    test.edit(
        "records/case-a/notices.yaml",
        "meetings:\n",
        &format!(
            "meetings:\n  - {{date: {date}, given_on: {given_on}, time: \"10:00\", place: The family home, \
             invited: [Bea Test (mother), Cora Lind (service coordinator)]}}\n"
        ),
    );
}

/// One child from the referral to the exit at three, as a coordinator
/// records it: the transition steps, the review, the notice that services
/// end the day before the birthday, the exit letter, and a month later a
/// closed case that owes nothing.
#[test]
fn walk_through_a_childs_exit_at_three() {
    let test = Test::fixture("minimal");
    // Ada turns three on September 15, 2025: her services end September 14.
    turns_three(&test, "2025-09-15", "2025-09-14");
    check(&test, "2025-04-30")
        .assert_status(0)
        .stderr_has("1 case checked as of 2025-04-30, no problems found");

    // The transition: the district notified and the conference held on May
    // 20 with the family's approval and its notice, the plan written then.
    test.write(
        "records/case-a/transition.yaml",
        "kind: transition\nversion: 1\ntype: part-c\nwritten_on: 2025-05-20\ntarget_date: 2025-09-15\n\
         school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2025-05-20, sea_notified_on: 2025-05-20}\n\
         conference: {date: 2025-05-20, family_approved_on: 2025-05-01}\n\
         steps:\n  - {step: Visit the preschool, who: Bea Test, by: 2025-08-30, done_on: 2025-08-12}\n\
         receiving:\n  - {service: Preschool, contact: Lee Park (860) 555-0120}\n\
         family_next_steps: Visit the preschool in August.\n\
         signatures:\n  - {role: parent, name: Bea Test, signed_on: 2025-05-20, method: paper}\n",
    );
    meeting_notice_for(&test, "2025-05-20", "2025-05-06");
    note_on(
        &test,
        "2025-05-20",
        "meeting",
        "Transition conference with the district.",
    );
    // June and July contacts, the six-month review of July 28 with its notice.
    note_on(&test, "2025-06-16", "phone", "Check-in call.");
    note_on(&test, "2025-07-28", "meeting", "Six-month review.");
    test.write(
        "records/case-a/review-2025-07-28.yaml",
        "kind: review\nversion: 1\ndate: 2025-07-28\ntype: six-month-review\nparticipants: [Bea Test (mother)]\n\
         progress:\n  - outcome: 1\n    note: Walks across the kitchen.\n\
         signatures:\n  - {role: parent, name: Bea Test, signed_on: 2025-07-28, method: paper}\n",
    );
    meeting_notice_for(&test, "2025-07-28", "2025-07-14");
    note_on(
        &test,
        "2025-08-12",
        "visit",
        "Visited the preschool together.",
    );
    // Three weeks before the end, only the exit is coming up.
    assert_eq!(
        check(&test, "2025-08-20")
            .stderr
            .lines()
            .filter(|l| l.contains("]: "))
            .collect::<Vec<_>>(),
        [
            "records/case-a/case.yaml:9:3: notice[exit-recorded]: Part C services end on September 14, 2025, the \
             day before the third birthday (September 15, 2025; 303.21); record the exit in exit.yaml (reason \
             turned-three, exit_date 2025-09-14) and send the family its exit letter by then"
        ]
    );
    let run = test.run(&["due", "records", "--as-of", "2025-08-20", "--within", "30"]);
    assert!(
        run.stdout.contains(
            "           September 9, 2025   case-a        give the prior written notice of the exit of September \
             14, 2025 (Ada Test)\n           September 14, 2025  case-a        record the exit and send its \
             letter: Part C services end (the day before the third birthday) (Ada Test)\n"
        ),
        "{}",
        run.stdout
    );

    // The notice and the letter, given on September 2.
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: turned-three\nexit_date: 2025-09-14\nletter_date: 2025-09-02\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-09-02, method: paper}\n",
    );
    note_on(
        &test,
        "2025-09-02",
        "visit",
        "Last visit; gave Bea the notice and the exit letter.",
    );
    // A month after, the case is closed and clean, and nothing is due.
    check(&test, "2025-10-15")
        .assert_status(0)
        .stderr_has("1 case checked as of 2025-10-15, no problems found");
    let run = test.run(&["due", "records", "--as-of", "2025-10-15"]);
    assert!(
        run.stdout.contains("Cora Lind (cora)\n  nothing due\n"),
        "{}",
        run.stdout
    );
    test.run(&[
        "render",
        "records",
        "--only",
        "exit-letter,notice,meeting-notice",
    ])
    .assert_status(0);
    // The conference's notice names it as the transition conference.
    let conference = test.pdf_text("out/case-a/meeting-notice-2025-05-20.pdf");
    assert!(
        conference.contains(
            "You are invited to Ada Test's transition conference, to plan the steps toward leaving early \
             intervention at three. Date: May 20, 2025"
        ),
        "{conference}"
    );
    let letter = test.pdf_text("out/case-a/exit-letter.pdf");
    assert!(
        letter.contains(
            "Your child turns three on September 15, 2025, the age when Birth to Three services end. Your \
             services with Test Program end on September 14, 2025, the day before."
        ),
        "{letter}"
    );
}

/// A family declines one service and keeps the others: recorded on the
/// day with the service ended that day, no meeting and no notice asked
/// for, and the case clean.
#[test]
fn walk_through_a_decline_of_one_service() {
    let test = Test::fixture("minimal");
    // A second service, speech, from another provider, accepted at the
    // initial meeting with the others.
    test.edit(
        "records/case-a/plan.yaml",
        "  - {id: sc,",
        "  - {id: speech, service: Speech therapy, provider: {name: Pat Speech, discipline: Speech-language \
         pathology}, frequency: {times: 2, per: month}, intensity: individual, minutes: 45, method: home-visit, \
         location: Family home, natural_environment: true, start_date: 2025-02-10, end_date: 2025-08-01, \
         funding: Part C, outcomes: [1]}\n  - {id: sc,",
    );
    test.edit(
        "records/case-a/plan.yaml",
        "      - {service: sc, decision: accepted}\n",
        "      - {service: sc, decision: accepted}\n      - {service: speech, decision: accepted}\n",
    );
    check(&test, "2025-03-31")
        .assert_status(0)
        .stderr_has("1 case checked as of 2025-03-31, no problems found");
    // On April 15 Bea declines speech therapy: the decision, and the
    // service ending that day.
    test.edit(
        "records/case-a/plan.yaml",
        "funding: Part C, outcomes: [1]}\n  - {id: sc,",
        "funding: Part C, outcomes: [1], changes: [{on: 2025-04-15, end_date: 2025-04-15}]}\n  - {id: sc,",
    );
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &(plan
            + "  - date: 2025-04-15\n    action: decline\n    description: Bea declines speech therapy and keeps \
               the other services.\n    services:\n      - {service: speech, decision: declined}\n    \
               explained: true\n    native_language: English\n    signatures:\n      - {role: parent, name: Bea \
               Test, signed_on: 2025-04-15, method: paper}\n      - {role: coordinator, name: Cora Lind, \
               signed_on: 2025-04-15, method: paper}\n"),
    );
    note_on(
        &test,
        "2025-04-15",
        "phone",
        "Bea declined speech therapy; the other services go on.",
    );
    check(&test, CLEAN_DAY)
        .assert_status(0)
        .stderr_has("1 case checked as of 2025-05-31, no problems found");
    // The family's copy says what it is: the decision, the service ending
    // that day, and nothing said to have been explained or proposed.
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let form = test.pdf_text("out/case-a/consent-2025-04-15-decline.pdf");
    for expected in [
        "Decline of Services",
        "Date of the decision: April 15, 2025",
        "What you decidedBea declines speech therapy and keeps the other services.",
        "You declined the services marked below on April 15, 2025. A decline takes effect the day you give it: \
         each service below ends that day, as shown, and you keep every other service you accepted.",
        "Start and end: From February 10, 2025 to August 1, 2025 → From February 10, 2025 to April 15, 2025",
        "I decline the services marked above. I keep every other service I accepted, and I may ask for a \
         declined service again at any time.",
        "I gave this decision in my language or usual way of communicating: English.",
    ] {
        assert!(form.contains(expected), "lacks {expected:?}\n{form}");
    }
    for absent in [
        "The plan was fully explained to me",
        "My consent is voluntary",
    ] {
        assert!(!form.contains(absent), "has {absent:?}\n{form}");
    }
}

/// Under EIS Over 3 the services end the day before the school year
/// begins, and the exit is owed then, in those words.
#[test]
fn under_eis_over_3_the_exit_is_owed_when_the_school_year_begins() {
    let test = Test::fixture("minimal");
    common::eis_over_3_child(&test);
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2027-01-10, sea_notified_on: 2027-01-10}\n\
             conference: {date: 2027-01-10, family_approved_on: 2027-01-02}\n\
             eis_over_3: {part_b_eligible_on: 2027-04-01, chosen_in_writing_on: 2027-04-15, \
             school_year_starts: 2027-08-30, annual_notice_on: 2027-01-10}\n",
        )
        .replace("written_on: 2026-06-15", "written_on: 2026-09-15"),
    );
    test.edit(
        "records/case-a/plan.yaml",
        "    end_date: 2025-08-01\n    funding: Part C",
        "    end_date: 2027-08-30\n    funding: Part C",
    );
    assert_eq!(
        common::findings_of(&test, "2027-08-10", &["exit-recorded", "services-end"]),
        [
            "records/case-a/case.yaml:9:3: notice[exit-recorded]: Part C services end on August 29, 2027, the day \
             before the school year begins (EIS Over 3); record the exit in exit.yaml (reason turned-three, \
             exit_date 2027-08-29) and send the family its exit letter by then",
            "records/case-a/plan.yaml:36:5: error[services-end]: `dev` is planned until August 30, 2027, but Part \
             C services end on August 29, 2027, the day before the school year begins (EIS Over 3): end it on or \
             before August 29, 2027",
        ]
    );
}

/// The fixture family chose another program: an exit with reason
/// `transferred`, its transfer written as `transfer` (YAML lines).
fn transferred(test: &Test, transfer: &str) {
    test.write(
        "records/case-a/exit.yaml",
        &format!(
            "kind: exit\nversion: 1\nreason: transferred\nexit_date: 2025-06-30\nletter_date: 2025-06-16\n\
             next_program: {{name: Valley Birth to Three, phone: (860) 555-0170}}\n\
             transfer:\n{transfer}\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: 2025-06-16, method: paper}}\n"
        ),
    );
}

/// A release of the fixture's records, dated `on`, to `recipient`, as the
/// plan's last consent.
fn release(test: &Test, on: &str, recipient: &str) {
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &plan.replace(
            "consents:\n",
            &format!(
                "consents:\n  - date: {on}\n    description: Sending the records to the new program.\n    \
                 release:\n      - {{recipient: {recipient}, records: 'The plan, evaluations and notes'}}\n    \
                 explained: true\n    native_language: English\n    signatures:\n      \
                 - {{role: parent, name: Bea Test, signed_on: {on}, method: paper}}\n      \
                 - {{role: coordinator, name: Cora Lind, signed_on: {on}, method: paper}}\n"
            ),
        ),
    );
}

#[test]
fn a_transfer_hands_the_records_over_on_the_release_the_parent_gave() {
    let test = Test::fixture("minimal");
    let rules = ["transfer-records"];
    // The hand-over: the release's day, and the day sent if it was.
    let hand_over = |release_on: &str, sent_on: Option<&str>| {
        let sent = sent_on.map_or(String::new(), |on| format!("  sent_on: {on}\n"));
        transferred(
            &test,
            &format!(
                "  release_on: {release_on}\n  records: The plan, evaluations and notes.\n{sent}"
            ),
        );
    };
    // No release of that day: the records may not go.
    hand_over("2025-06-10", Some("2025-06-12"));
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        [
            "records/case-a/exit.yaml:8:3: error[transfer-records]: the transfer rests on a consent of June 10, 2025 \
             to release the records to Valley Birth to Three, but no consent of that day releases records; record it \
             in case.yaml's or plan.yaml's `consents` with `release` naming Valley Birth to Three"
        ]
    );
    // A consent of that day that releases nothing (the plan's consent to
    // services) is no release either.
    hand_over("2025-02-03", Some("2025-06-12"));
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        [
            "records/case-a/exit.yaml:8:3: error[transfer-records]: the transfer rests on a consent of February 3, \
             2025 to release the records to Valley Birth to Three, but no consent of that day releases records; \
             record it in case.yaml's or plan.yaml's `consents` with `release` naming Valley Birth to Three"
        ]
    );
    hand_over("2025-06-10", Some("2025-06-12"));
    // A release of that day to someone else is not a release to the program.
    release(&test, "2025-06-10", "Dr. Ames (pediatrician)");
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        [
            "records/case-a/exit.yaml:8:3: error[transfer-records]: the consent of June 10, 2025 releases records, \
             but not to Valley Birth to Three: its `release` names no recipient with that name; the records go only \
             where the parent consented"
        ]
    );
    // Named (in any case of letters): released, and sent after it.
    let plan = test.read("records/case-a/plan.yaml");
    test.write(
        "records/case-a/plan.yaml",
        &plan.replace(
            "Dr. Ames (pediatrician)",
            "Valley BIRTH TO THREE (new coordinator)",
        ),
    );
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        Vec::<String>::new()
    );
    // Sent the day before the consent: too early; on its day: fine.
    hand_over("2025-06-10", Some("2025-06-09"));
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        [
            "records/case-a/exit.yaml:10:3: error[transfer-records]: the records were handed over on June 9, 2025, \
             before the parent's consent of June 10, 2025 to release them"
        ]
    );
    hand_over("2025-06-10", Some("2025-06-10"));
    assert_eq!(
        common::findings_of(&test, "2025-06-20", &rules),
        Vec::<String>::new()
    );
    // Not sent yet: a notice from 30 days before the exit through its day,
    // an error from the day after.
    hand_over("2025-06-10", None);
    let soon = "records/case-a/exit.yaml:7:1: notice[transfer-records]: the family chose Valley Birth to Three: hand \
                the records over by June 30, 2025, when services here end (casepaper export makes the folder), and \
                give the date as `sent_on`";
    assert_eq!(
        common::findings_of(&test, "2025-05-30", &rules),
        Vec::<String>::new()
    );
    assert_eq!(common::findings_of(&test, "2025-05-31", &rules), [soon]);
    assert_eq!(common::findings_of(&test, "2025-06-30", &rules), [soon]);
    assert_eq!(
        common::findings_of(&test, "2025-07-01", &rules),
        [
            "records/case-a/exit.yaml:7:1: error[transfer-records]: the family chose Valley Birth to Three, and \
             services here ended on June 30, 2025, but the records are not handed over yet: send them (casepaper \
             export makes the folder) and give the date as `sent_on`"
        ]
    );
    // `due` lists the hand-over, even once the exit has closed the case.
    let run = test.run(&["due", "records", "--as-of", "2025-07-15", "--within", "30"]);
    run.assert_status(0);
    assert_eq!(
        run.stdout,
        "Deadlines as of July 15, 2025, through August 14, 2025 (overdue first)\n\n\
         Cora Lind (cora)\n\
         \x20 OVERDUE  June 30, 2025       case-a        hand the records over to Valley Birth to Three (casepaper export) (Ada Test)\n"
    );
}

#[test]
fn a_transfer_names_the_program_and_its_hand_over() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/exit.yaml",
        "kind: exit\nversion: 1\nreason: transferred\nexit_date: 2025-06-30\nletter_date: 2025-06-16\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-06-16, method: paper}\n",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("error["))
        .collect();
    assert_eq!(
        errors,
        [
            "records/case-a/exit.yaml:1:1: error[missing-element]: `exit` is missing `next_program`",
            "records/case-a/exit.yaml:1:1: error[missing-element]: `exit` is missing `transfer`",
        ]
    );
}

/// The lead agency notifies the school district and the state education
/// agency (303.209(b)(1)(i)): each is recorded, each by the 90-day mark.
#[test]
fn the_state_education_agency_is_notified_as_well_as_the_district() {
    let test = Test::fixture("minimal");
    let district = |test: &Test, dates: &str| {
        test.write(
            "records/case-a/transition.yaml",
            &part_c_plan(&format!(
                "school_district: {{name: Hartford Public Schools, contact: Lee Park{dates}}}\n\
                 conference: {{date: 2026-10-01, family_approved_on: 2026-09-01}}\n"
            )),
        );
    };
    district(&test, ", notified_on: 2026-11-01");
    // Months ahead of the 90-day mark the agency's notification is not due
    // yet; 30 days ahead it is asked for.
    assert_eq!(
        transition_findings(&test, "2026-10-30"),
        Vec::<String>::new()
    );
    assert_eq!(
        transition_findings(&test, "2026-11-20"),
        [
            "records/case-a/transition.yaml:6:1: error[transition-part-c]: the state education agency must be \
             notified by November 30, 2026 as well (90 days before the third birthday, February 28, 2027; \
             303.209(b)(1)(i)); its notification is not recorded (`sea_notified_on`)"
        ]
    );
    // The 90th day before is the last; the day after is late.
    district(
        &test,
        ", notified_on: 2026-11-01, sea_notified_on: 2026-11-30",
    );
    assert_eq!(
        transition_findings(&test, "2026-12-05"),
        Vec::<String>::new()
    );
    district(
        &test,
        ", notified_on: 2026-11-01, sea_notified_on: 2026-12-01",
    );
    assert_eq!(
        transition_findings(&test, "2026-12-05"),
        [
            "records/case-a/transition.yaml:6:94: error[transition-part-c]: the state education agency was notified \
             on December 1, 2026, less than 90 days before the third birthday (February 28, 2027); it was due by \
             November 30, 2026"
        ]
    );
    // Only the agency notified: the district is still owed.
    district(&test, ", sea_notified_on: 2026-11-01");
    assert_eq!(
        transition_findings(&test, "2026-12-05"),
        [
            "records/case-a/transition.yaml:6:1: error[transition-part-c]: the school district must be notified by \
             November 30, 2026 as well (90 days before the third birthday, February 28, 2027; 303.209(b)(1)(i)); \
             its notification is not recorded (`notified_on`)"
        ]
    );
    // `due` lists the notification until both are made.
    let run = test.run(&["due", "records", "--as-of", "2026-11-20", "--within", "20"]);
    assert!(
        run.stdout.contains(
            "November 30, 2026   case-a        notify the school district and state education agency (90 days \
             before age three) (Ada Test)"
        ),
        "{}",
        run.stdout
    );
}

/// A child found eligible fewer than 90 days before three gets a transition
/// plan as soon as possible: at the initial plan meeting.
#[test]
fn a_child_found_eligible_late_gets_a_transition_plan_at_the_initial_meeting() {
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    std::fs::remove_file(test.path("records/case-a/notices.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2026-11-02\neligibility_date: 2026-12-01",
    );
    let plan = test.read("records/case-a/plan.yaml");
    let dated = plan
        .split("2025-")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                format!("2026-12-10{}", &part[5..])
            }
        })
        .collect::<String>();
    test.write("records/case-a/plan.yaml", &dated);
    let asap = "the child was found eligible on December 1, 2026, fewer than 90 days before the third birthday \
                (February 28, 2027), so the transition plan is written as soon as possible: at the initial plan \
                meeting on December 10, 2026";
    // The day of the meeting: not late yet; the day after: none recorded.
    let plan_findings = |as_of: &str| -> Vec<String> {
        transition_findings(&test, as_of)
            .into_iter()
            .filter(|f| f.contains("transition plan"))
            .collect()
    };
    assert_eq!(plan_findings("2026-12-10"), Vec::<String>::new());
    assert_eq!(
        plan_findings("2026-12-11"),
        [format!(
            "records/case-a/plan.yaml:4:5: error[transition-part-c]: {asap}; no transition plan is recorded \
             (transition.yaml)"
        )]
    );
    let run = test.run(&["due", "records", "--as-of", "2026-12-11", "--within", "10"]);
    assert!(
        run.stdout.contains(
            "OVERDUE  December 10, 2026   case-a        transition plan, at the initial plan meeting (found \
             eligible fewer than 90 days before age three) (Ada Test)"
        ),
        "{}",
        run.stdout
    );
    // Written at the meeting: kept; written the day after: late.
    let written = |on: &str| {
        part_c_plan("school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-12-02, sea_notified_on: 2026-12-02}\n")
            .replace("written_on: 2026-06-15", &format!("written_on: {on}"))
    };
    test.write("records/case-a/transition.yaml", &written("2026-12-10"));
    assert_eq!(plan_findings("2026-12-20"), Vec::<String>::new());
    test.write("records/case-a/transition.yaml", &written("2026-12-11"));
    assert_eq!(
        plan_findings("2026-12-20"),
        [format!(
            "records/case-a/transition.yaml:4:1: error[transition-part-c]: the transition plan was written on \
             December 11, 2026; {asap}"
        )]
    );
}

/// An example case (`example: true`, as `init` writes one) owes nothing:
/// `due` passes over it as `check` does.
#[test]
fn an_example_case_has_no_deadlines() {
    let test = Test::fixture("minimal");
    let due = |test: &Test| {
        test.run(&["due", "records", "--as-of", "2025-06-20", "--within", "30"])
            .stdout
    };
    assert!(
        due(&test).contains("case-a        service coordination contact for June 2025"),
        "{}",
        due(&test)
    );
    test.edit(
        "records/case-a/case.yaml",
        "case_id: case-a\n",
        "case_id: case-a\nexample: true\n",
    );
    assert_eq!(
        due(&test),
        "Deadlines as of June 20, 2025, through July 20, 2025 (overdue first)\n\nCora Lind (cora)\n  nothing due\n"
    );
}

/// What `due` lists of a Part C transition, step by step: the notification
/// of both agencies until both are made, the conference until it is held,
/// the referral of a child referred late until it is made, the transition
/// plan of a child found eligible late until it is written.
#[test]
fn due_lists_each_transition_step_until_it_is_done() {
    let steps = |test: &Test, as_of: &str| -> Vec<String> {
        let run = test.run(&["due", "records", "--as-of", as_of, "--within", "60"]);
        run.stdout
            .lines()
            .filter(|l| {
                ["notify", "conference", "refer to", "transition plan"]
                    .iter()
                    .any(|w| l.contains(w))
            })
            .map(|l| l.split("case-a").nth(1).unwrap().trim().to_string())
            .collect()
    };
    let test = Test::fixture("minimal");
    let transition = |test: &Test, dates: &str| {
        test.write(
            "records/case-a/transition.yaml",
            &part_c_plan(&format!(
                "school_district: {{name: Hartford Public Schools, contact: Lee Park{dates}}}\n\
                 conference: {{date: 2026-11-25, family_approved_on: 2026-09-01}}\n"
            )),
        );
    };
    // Notified later than the day asked: not yet; the conference ahead.
    transition(
        &test,
        ", notified_on: 2026-11-25, sea_notified_on: 2026-11-25",
    );
    assert_eq!(
        steps(&test, "2026-11-20"),
        [
            "notify the school district and state education agency (90 days before age three) (Ada Test)",
            "transition conference (window opens May 28, 2026) (Ada Test)",
        ]
    );
    // Both notified and the conference held: nothing.
    assert_eq!(steps(&test, "2026-11-25"), Vec::<String>::new());
    // The district alone is not both.
    transition(&test, ", notified_on: 2026-11-01");
    assert_eq!(
        steps(&test, "2026-11-25"),
        [
            "notify the school district and state education agency (90 days before age three) (Ada Test)"
        ]
    );

    // Referred fewer than 45 days before three: the referral until it is made.
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2027-01-15",
    );
    let refer = "refer to the school district, with the parent's consent (referred fewer than 45 days before age \
                 three) (Ada Test)";
    assert_eq!(steps(&test, "2027-01-20"), [refer]);
    let case = test.read("records/case-a/case.yaml");
    let referred = |on: &str| {
        test.write(
            "records/case-a/case.yaml",
            &format!("{case}district_referral: {{consent_on: 2027-01-16, referred_on: {on}}}\n"),
        );
    };
    referred("2027-01-21");
    assert_eq!(steps(&test, "2027-01-20"), [refer]);
    referred("2027-01-20");
    assert_eq!(steps(&test, "2027-01-20"), Vec::<String>::new());

    // Found eligible fewer than 90 days before: the transition plan, at the
    // initial meeting, until it is written.
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    std::fs::remove_file(test.path("records/case-a/notices.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2026-11-02\neligibility_date: 2026-12-01",
    );
    let plan = test
        .read("records/case-a/plan.yaml")
        .replace("2025-", "2026-12-10-");
    let plan: String = plan
        .split("2026-12-10-")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                format!("2026-12-10{}", &part[5..])
            }
        })
        .collect();
    test.write("records/case-a/plan.yaml", &plan);
    assert_eq!(
        steps(&test, "2026-12-11"),
        [
            "notify the school district and state education agency as soon as possible (found eligible fewer than \
             90 days before age three) (Ada Test)",
            "transition plan, at the initial plan meeting (found eligible fewer than 90 days before age three) (Ada \
             Test)",
        ]
    );
    test.write(
        "records/case-a/transition.yaml",
        &part_c_plan(
            "school_district: {name: Hartford Public Schools, contact: Lee Park, notified_on: 2026-12-02, sea_notified_on: 2026-12-02}\n",
        )
        .replace("written_on: 2026-06-15", "written_on: 2026-12-10"),
    );
    assert_eq!(steps(&test, "2026-12-11"), Vec::<String>::new());
}

#[test]
fn a_service_no_consent_accepts_is_an_error_from_its_start_day_and_never_if_it_ended_before() {
    let test = Test::samples();
    let plan = "records/ct-2026-0058/plan.yaml";
    test.edit(
        plan,
        "other_services:\n",
        "  - id: juego\n    added_on: 2026-10-09\n    service: Grupo de juego\n    provider: {name: Marisol Lopez, discipline: Habla}\n    frequency: {times: 2, per: month}\n    intensity: group\n    minutes: 60\n    method: group\n    location: Biblioteca\n    natural_environment: true\n    start_date: 2026-12-10\n    end_date: 2027-06-02\n    funding: Parte C\n    outcomes: [2]\nother_services:\n",
    );
    let rule = |day: &str| common::findings_of(&test, day, &["consent-before-service"]);
    assert_eq!(rule("2026-12-09"), Vec::<String>::new());
    assert_eq!(
        rule("2026-12-10"),
        [
            "records/ct-2026-0058/plan.yaml:94:5: error[consent-before-service]: `juego` starts on December 10, 2026, but no \
             consent on the plan names it; a service is delivered only after the parent accepts it"
        ]
    );
    // Ended the day before it was to start, it is never delivered.
    test.edit(plan, "    outcomes: [2]\nother_services:\n", "    outcomes: [2]\n    changes:\n      - {on: 2026-10-09, end_date: 2026-12-09}\nother_services:\n");
    assert_eq!(rule("2026-12-10"), Vec::<String>::new());
}
