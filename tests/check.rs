//! `casepaper check`: each rule on a fixture that passes and one that fails,
//! with the rule id, position and message; the date edges (month ends, leap
//! days, a birthday on 29 February, a case opened on the 31st).
//!
//! The base is the `minimal` fixture: a Connecticut Part C child born on
//! 2024-02-29, referred 2025-01-06, initial plan 2025-02-03, notes in
//! February, March, April and May 2025. As of 2025-05-31 it is clean.

mod common;

use common::Test;

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
    test.run(&["check", "--as-of", "2026-11-23"])
        .assert_status(0)
        .stderr_has("5 cases checked as of 2026-11-23, no problems found");
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
    check(&test, "2025-03-01").assert_status(0);
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
fn coordinator_qualified() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2020-03-02",
        "service_coordinator: 2025-03-01",
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/program.yaml:15:41: error[coordinator-qualified]: Cora Lind signed a note as coordinator on February 3, 2025 but received the Service Coordinator Certificate only on March 1, 2025",
    );

    // Trained before the 2018 change: no certificates needed.
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "    certificates: {initial: 2020-01-10, service_coordinator: 2020-03-02}",
        "    trained_before_2018: true",
    );
    check(&test, CLEAN_DAY).assert_status(0);

    // Not one of the family's providers, and the plan does not say why.
    let test = Test::fixture("minimal");
    test.edit("records/case-a/plan.yaml", "staff: cora, ", "");
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:24:1: error[coordinator-qualified]: the coordinator, Cora Lind, is not one of the family's providers on the plan; add them to a service, or say why not in the plan's `notes`",
    );
    test.write(
        "records/case-a/plan.yaml",
        &(test.read("records/case-a/plan.yaml")
            + "notes: Cora coordinates; the program's physical therapist provides the service.\n"),
    );
    check(&test, CLEAN_DAY).assert_status(0);
}

#[test]
fn initial_plan_45_days() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "  - date: 2025-02-03\n    type: initial",
        "  - date: 2025-03-10\n    type: initial",
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:4:5: error[initial-plan-45-days]: the initial plan meeting on March 10, 2025 is 63 days after the referral of January 6, 2025; it is due within 45 days (by February 20, 2025), unless the family asked for a delay (record it as `family_delay`)",
    );
    // A delay the family asked for, documented, is allowed.
    test.write(
        "records/case-a/plan.yaml",
        &(test.read("records/case-a/plan.yaml")
            + "family_delay: {requested_on: 2025-02-01, reason: The family was travelling until March.}\n"),
    );
    let run = check(&test, CLEAN_DAY);
    assert!(
        !run.stderr.contains("initial-plan-45-days"),
        "{}",
        run.stderr
    );
}

#[test]
fn services_start() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "start_date: 2025-02-10",
        "start_date: 2025-03-20",
    );
    // A warning in the Connecticut profile: shown, and the check passes.
    check(&test, CLEAN_DAY).assert_status(0).stderr_has(
        "records/case-a/plan.yaml:34:5: warning[services-start]: `dev` starts on March 20, 2025, 45 days after the consent of February 3, 2025; services start as soon as possible after consent (flagged after 30 days)",
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
        "records/case-a/plan.yaml:34:5: error[consent-before-service]: `dev` starts on January 27, 2025, before the consent of February 3, 2025 that accepts it",
    );

    // Declined later, but still delivered.
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/plan.yaml",
        &(test.read("records/case-a/plan.yaml")
            + "  - date: 2025-04-01\n    action: change\n    description: Stopping developmental intervention.\n    services:\n      - {service: dev, decision: declined}\n    explained: true\n    native_language: English\n    signatures:\n      - {role: parent, name: Bea Test, signed_on: 2025-04-01, method: paper}\n      - {role: coordinator, name: Cora Lind, signed_on: 2025-04-01, method: paper}\n"),
    );
    check(&test, CLEAN_DAY).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:25:5: error[consent-before-service]: the parent declined `dev` on April 1, 2025, but the plan still delivers it until August 1, 2025; give it an end date on or before the decline",
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
        "  - date: 2025-02-03\n    type: initial\n",
        "  - date: 2025-02-03\n    type: initial\n  - date: 2025-03-31\n    type: change\n",
    );
    check(&test, "2025-10-01").stderr_has(
        "records/case-a/plan.yaml:6:5: error[review-6-months]: the plan review was due by September 30, 2025 (6 months after the meeting of March 31, 2025)",
    );
    let run = check(&test, "2025-09-30");
    assert!(
        !run.stderr.contains("error[review-6-months]"),
        "{}",
        run.stderr
    );
    run.stderr_has("notice[review-6-months]: the next plan review is due by September 30, 2025");
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
             school_district: {{name: Hartford Public Schools, contact: Lee Park (860) 555-0120, notified_on: {notified}}}\n\
             conference: {{date: {conference}}}\n\
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
    check(&test, "2025-05-01").assert_status(0);
}

#[test]
fn minimum_documentation() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "client: child\n",
        "client: child\nstate: VT\n",
    );
    test.write(
        "records/case-a/exit.yaml",
        "kind: exit\nversion: 1\nreason: completed\nexit_date: 2025-05-20\nletter_date: 2025-05-20\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-20, method: paper}\n",
    );
    check(&test, CLEAN_DAY).assert_status(0);
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
    test.write("records/case-a/exit.yaml", &exit("2025-05-21"));
    check(&test, CLEAN_DAY).assert_status(0);
    test.write("records/case-a/exit.yaml", &exit("2025-05-19"));
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
