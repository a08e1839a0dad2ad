//! Notices and rights a family must receive: a prior written notice before
//! each action, a notice of each plan meeting, the Part C safeguards only
//! for a Part C family, each state's own words, and the exit letter that
//! says by when to call.

use crate::common;

use std::fs;
use std::path::Path;

use common::{Test, pdf_text};

const NOTICES: &str = "records/case-a/notices.yaml";

fn check(test: &Test, as_of: &str) -> common::Run {
    test.run(&["check", "records", "--as-of", as_of])
}

/// The text of every PDF of the cases whose ids start with `prefix`.
fn texts(out: &Path, prefix: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for case in fs::read_dir(out).unwrap() {
        let case = case.unwrap().path();
        let id = case.file_name().unwrap().to_string_lossy().to_string();
        if !case.is_dir() || !id.starts_with(prefix) {
            continue;
        }
        for pdf in fs::read_dir(&case).unwrap() {
            let pdf = pdf.unwrap().path();
            if pdf.extension().is_some_and(|e| e == "pdf") {
                found.push((
                    format!("{id}/{}", pdf.file_name().unwrap().to_string_lossy()),
                    pdf_text(&pdf),
                ));
            }
        }
    }
    assert!(!found.is_empty(), "no documents for {prefix}");
    found
}

#[test]
fn a_vermont_family_never_reads_birth_to_three_and_only_part_c_families_a_hearing() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let out = test.path("out");
    for (name, text) in texts(&out, "vt-") {
        assert!(!text.contains("Birth to Three"), "{name}: {text}");
    }
    // The Vermont Part C child's papers use CIS Early Intervention's words.
    let plan = test.pdf_text("out/vt-2026-0077/plan-2026-09-15-en.pdf");
    assert!(plan.contains("One Plan"), "{plan}");
    assert!(
        plan.contains("Primary Service Coordinator: Tessa Quinn"),
        "{plan}"
    );
    let notice = test.pdf_text("out/vt-2026-0077/notice-2026-09-01-evaluation-en.pdf");
    assert!(
        notice.contains("eligible for CIS Early Intervention")
            && notice.contains("These are your rights in CIS Early Intervention"),
        "{notice}"
    );
    // A postpartum woman and a child outside Part C have no due process
    // hearing: their state program's grievance process instead.
    for prefix in ["vt-2026-0019", "vt-2026-0042"] {
        for (name, text) in texts(&out, prefix) {
            assert!(!text.contains("due process"), "{name}: {text}");
            assert!(!text.contains("hearing"), "{name}: {text}");
        }
    }
    let exit = test.pdf_text("out/vt-2026-0042/exit-letter.pdf");
    assert!(
        exit.contains("You are served by Children's Integrated Services. If you disagree with a decision, this is how to raise it: Talk first with your Primary Service Coordinator"),
        "{exit}"
    );
    // A Connecticut Part C family's exit letter gives every safeguard.
    let exit = test.pdf_text("out/ct-2026-0031/exit-letter.pdf");
    for expected in [
        "To see your record. You may look at every record about your child and family, and get a copy. The program answers within 10 days of your request",
        "To decline a service. You may decline any service, now or later, without losing the other services you accept.",
        "Mediation.",
        "within the past year. The state investigates and decides within 60 days.",
        "A due process hearing.",
        "While a due process complaint is pending, your child keeps the services you consented to",
        "If you call us by June 29, 2026 at (860) 555-0158, your services continue.",
        "We keep your records for 7 years after services end, until June 30, 2033.",
    ] {
        assert!(exit.contains(expected), "lacks {expected:?}\n{exit}");
    }
}

#[test]
fn a_programs_own_safeguards_text_replaces_the_built_in_one() {
    let test = Test::samples();
    test.write(
        "templates/safeguards.typ.j2",
        "{% macro rights(ctx, lead=none) -%}\n== Notice of Procedural Safeguards\n\
         {% if lead %}{{ lead }} {% endif %}The State Birth to Three booklet, as the state words it.\n{%- endmacro %}\n",
    );
    test.run(&["render", "records", "--only", "notice,exit-letter"])
        .assert_status(0);
    for pdf in [
        "out/ct-2025-0117/notice-2025-10-27-evaluation.pdf",
        "out/ct-2026-0031/exit-letter.pdf",
    ] {
        let text = test.pdf_text(pdf);
        assert!(
            text.contains("Notice of Procedural Safeguards")
                && text.contains("as the state words it"),
            "{pdf}: {text}"
        );
        assert!(
            !text.contains("Your rights (procedural safeguards)"),
            "{pdf}: {text}"
        );
    }
}

#[test]
fn a_notice_given_too_late_is_found_at_its_date() {
    let test = Test::fixture("minimal");
    check(&test, "2025-05-31").assert_status(0);
    // Services start on February 10: Connecticut gives the notice 5 days
    // before, by February 5.
    test.edit(NOTICES, "given_on: 2025-02-03", "given_on: 2025-02-05");
    check(&test, "2025-05-31").assert_status(0);
    test.edit(NOTICES, "given_on: 2025-02-05", "given_on: 2025-02-06");
    check(&test, "2025-05-31").assert_status(1).stderr_has(
        "records/case-a/notices.yaml:6:5: error[prior-written-notice]: the prior written notice of the start of services of February 10, 2025 \
         is dated February 6, 2025; it is given at least 5 days before the action, by February 5, 2025",
    );
    // The program sets its own days.
    let program = test.read("records/program.yaml");
    test.write(
        "records/program.yaml",
        &format!("{program}check:\n  notice_days: 4\n"),
    );
    check(&test, "2025-05-31").assert_status(0);
    // Vermont sets no number: on or before the action.
    test.write(
        "records/program.yaml",
        &program.replace("  state: CT\n", "  state: VT\n"),
    );
    test.edit(NOTICES, "given_on: 2025-02-06", "given_on: 2025-02-10");
    check(&test, "2025-05-31").assert_status(0);
    test.edit(NOTICES, "given_on: 2025-02-10", "given_on: 2025-02-11");
    check(&test, "2025-05-31")
        .assert_status(1)
        .stderr_has("error[prior-written-notice]: the prior written notice of the start of services of February 10, 2025 is dated February 11, 2025; it is given at least 0 days before the action");
}

#[test]
fn every_action_needs_its_notice_and_every_notice_an_action() {
    // A notice for a start of services on another day than the plan's.
    let test = Test::fixture("minimal");
    test.edit(NOTICES, "date: 2025-02-10", "date: 2025-02-11");
    check(&test, "2025-05-31")
        .assert_status(1)
        .stderr_has(
            "records/case-a/plan.yaml:35:5: error[prior-written-notice]: the start of services of February 10, 2025 has no prior written notice; \
             give the family one and record it in notices.yaml (`prior_written`, action services, date 2025-02-10)",
        )
        .stderr_has(
            "records/case-a/notices.yaml:5:5: error[prior-written-notice]: this notice is for the start of services of February 11, 2025, \
             but the records show it on 2025-02-10; correct its date or action",
        );
    // An evaluation needs its notice before it; the eligibility finding
    // its notice on or after it.
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06\n",
        "referral_date: 2025-01-06\neligibility_date: 2025-01-20\n",
    );
    test.write(
        "records/case-a/case.yaml",
        &(test.read("records/case-a/case.yaml")
            + "consents:\n  - {date: 2025-01-10, description: Evaluation., evaluation: true, explained: true, native_language: English, \
               signatures: [{role: parent, name: Bea Test, signed_on: 2025-01-10, method: paper}, \
               {role: coordinator, name: Cora Lind, signed_on: 2025-01-10, method: paper}]}\n"),
    );
    test.edit(
        NOTICES,
        "prior_written:\n",
        "prior_written:\n  - {action: eligibility, date: 2025-01-20, given_on: 2025-01-19, reasons: The evaluation found a delay.}\n",
    );
    check(&test, "2025-05-31").assert_status(1).stderr_has(
        "records/case-a/notices.yaml:4:45: error[prior-written-notice]: the notice of the finding of eligibility of January 20, 2025 is dated January 19, 2025, before the finding it reports",
    );
    test.edit(NOTICES, "given_on: 2025-01-19", "given_on: 2025-01-20");
    let run = check(&test, "2025-05-31");
    assert!(
        !run.stderr.contains("prior-written-notice"),
        "{}",
        run.stderr
    );
    // A refusal of a parent's request is a notice of its own.
    test.edit(
        NOTICES,
        "prior_written:\n",
        "prior_written:\n  - {action: refusal, date: 2025-03-01, given_on: 2025-03-01, request: Speech therapy twice a week., reasons: The evaluation found no delay in speech.}\n",
    );
    check(&test, "2025-05-31").assert_status(0);
    test.run(&["render", "records", "--only", "notice"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/notice-2025-03-01-refusal.pdf");
    assert!(
        text.contains("What the program refuses")
            && text.contains("You asked the program for this, and the program refuses: Speech therapy twice a week."),
        "{text}"
    );
    // A family outside Part C gets no such notices.
    let test = Test::fixture("minimal");
    fs::remove_file(test.path(NOTICES)).unwrap();
    check(&test, "2025-05-31").assert_status(1);
    test.edit("records/case-a/case.yaml", "part_c: true", "part_c: false");
    check(&test, "2025-05-31").assert_status(0);
}

#[test]
fn each_plan_meeting_needs_its_notice_early_enough_to_attend() {
    let test = Test::fixture("minimal");
    // The meeting is on February 3: seven days before is January 27.
    test.edit(NOTICES, "given_on: 2025-01-24", "given_on: 2025-01-27");
    check(&test, "2025-05-31").assert_status(0);
    test.edit(NOTICES, "given_on: 2025-01-27", "given_on: 2025-01-28");
    check(&test, "2025-05-31").assert_status(1).stderr_has(
        "records/case-a/notices.yaml:10:5: error[meeting-notice]: the notice of the plan meeting of February 3, 2025 is dated January 28, 2025; \
         it is given at least 7 days before the meeting, by January 27, 2025",
    );
    test.edit(NOTICES, "  - date: 2025-02-03\n", "  - date: 2025-02-04\n");
    check(&test, "2025-05-31").assert_status(1).stderr_has(
        "records/case-a/plan.yaml:4:5: error[meeting-notice]: the plan meeting of February 3, 2025 has no written notice",
    );
    test.run(&["render", "records", "--only", "meeting-notice"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/meeting-notice-2025-02-04.pdf");
    assert!(
        text.contains("Notice of a Plan Meeting")
            && text.contains("Time: 10:00 AM")
            && text.contains("Place: The family home"),
        "{text}"
    );
}

#[test]
fn a_family_outside_part_c_needs_the_programs_grievance_process() {
    let test = Test::fixture("minimal");
    test.splice("records/program.yaml", "  grievance:", "\n", "");
    test.assert_no_findings(&["validate", "records"]);
    test.edit("records/case-a/case.yaml", "part_c: true", "part_c: false");
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/case.yaml:4:1: error[missing-grievance]: this family is served outside Part C, so its documents give the state program's own grievance process",
    );
}

#[test]
fn the_exit_letter_comes_before_the_exit_and_lists_the_attempts_the_notes_record() {
    let test = Test::samples();
    check(&test, "2026-12-01").assert_status(0);
    test.edit(
        "records/ct-2026-0031/exit.yaml",
        "letter_date: 2026-06-16",
        "letter_date: 2026-06-30",
    );
    test.edit(
        "records/ct-2026-0031/exit.yaml",
        "signed_on: 2026-06-16",
        "signed_on: 2026-06-30",
    );
    check(&test, "2026-12-01").stderr_has(
        "records/ct-2026-0031/exit.yaml:6:1: warning[exit-notice]: the exit letter is dated June 30, 2026, but services end on June 30, 2026; \
         the letter comes before the exit, so the family can still call to keep their services",
    );
    let test = Test::samples();
    test.splice(
        "records/ct-2026-0031/contacts.yaml",
        "  - {date: 2026-05-21",
        "\n",
        "",
    );
    check(&test, "2026-12-01").stderr_has(
        "records/ct-2026-0031/exit.yaml:10:6: warning[exit-notice]: the exit letter lists an attempt on May 21, 2026, but no contact note records an attempt that day",
    );
}

#[test]
fn the_consent_says_declining_one_service_keeps_the_others() {
    let test = Test::samples();
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let text = test.pdf_text("out/ct-2025-0117/consent-2025-11-14-initiation.pdf");
    for expected in [
        "Declining one service does not put the others at risk: I keep every service I accept.",
        "The services I accept start as soon as possible after I consent.",
        "The plan was fully explained to me.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
}

#[test]
fn a_notice_given_orally_says_how_by_whom_and_that_it_was_understood() {
    let test = Test::fixture("minimal");
    test.edit(
        NOTICES,
        "    reasons: The family and the team agreed on the plan at the meeting of February 3, 2025.\n",
        "    reasons: The family and the team agreed on the plan at the meeting of February 3, 2025.\n    \
         translated: {how: read aloud in Haitian Creole, by: Rose Pierre (interpreter), on: 2025-02-03, understood: true}\n",
    );
    test.run(&["render", "records", "--only", "notice"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/notice-2025-02-10-services.pdf");
    assert!(
        text.contains(
            "Your language or way of communicating is not a written one, so this notice was given to you \
             by Rose Pierre (interpreter) on February 3, 2025, and you told us you understood it: read aloud in Haitian Creole"
        ) && text.contains("How this notice was given to you"),
        "{text}"
    );
    // Recorded only once the parent understood it.
    test.edit(NOTICES, "understood: true", "understood: false");
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("records/case-a/notices.yaml:8:100: error[not-allowed]: `notices.prior_written[0].translated.understood` must be `true`, not `false`");
}

#[test]
fn due_lists_a_notice_still_to_give_before_its_action() {
    let test = Test::fixture("minimal");
    let notices = test.read(NOTICES);
    test.splice(NOTICES, "prior_written:", "meetings:", "");
    // Services start on February 10; Connecticut's 5 days make it February 5.
    let line =
        "give the prior written notice of the start of services of February 10, 2025 (Ada Test)";
    let run = test.run(&["due", "records", "--as-of", "2025-02-01"]);
    run.assert_status(0);
    assert!(
        run.stdout.contains(&format!(
            "           February 5, 2025    case-a        {line}"
        )),
        "{}",
        run.stdout
    );
    let run = check(&test, "2025-02-05");
    assert!(
        !run.stderr.contains("prior-written-notice"),
        "{}",
        run.stderr
    );
    // A day late: overdue on the list, and a finding.
    let run = test.run(&["due", "records", "--as-of", "2025-02-06"]);
    assert!(
        run.stdout.contains(&format!(
            "  OVERDUE  February 5, 2025    case-a        {line}"
        )),
        "{}",
        run.stdout
    );
    check(&test, "2025-02-06")
        .assert_status(1)
        .stderr_has("records/case-a/plan.yaml:35:5: error[prior-written-notice]: the start of services of February 10, 2025 has no prior written notice");
    // Listed through the day of the action, and not after it.
    let run = test.run(&["due", "records", "--as-of", "2025-02-10"]);
    assert!(run.stdout.contains(line), "{}", run.stdout);
    let run = test.run(&["due", "records", "--as-of", "2025-02-11"]);
    assert!(!run.stdout.contains(line), "{}", run.stdout);
    // Once given, it is off the list.
    test.write(NOTICES, &notices);
    let run = test.run(&["due", "records", "--as-of", "2025-02-01"]);
    assert!(
        !run.stdout.contains("prior written notice"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_start_of_services_is_the_first_service_the_initiation_consent_accepts() {
    // Declined on the initiation consent: no service starts, and the
    // notice of a start is for an action the records do not show.
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/plan.yaml",
        "{service: dev, decision: accepted}",
        "{service: dev, decision: declined}",
    );
    test.edit(
        "records/case-a/plan.yaml",
        "end_date: 2025-08-01\n    funding",
        "end_date: 2025-02-03\n    funding",
    );
    check(&test, "2025-05-31").stderr_has(
        "records/case-a/notices.yaml:5:5: error[prior-written-notice]: this notice is for the start of services of February 10, 2025, \
         but the records show no start of services; correct its date or action",
    );
}

#[test]
fn due_counts_a_notice_only_for_its_own_action_and_date() {
    let test = Test::fixture("minimal");
    common::write_moved_exit(&test, "2025-06-30", "2025-06-16");
    let line = "give the prior written notice of the exit of June 30, 2025";
    let due = |test: &Test| {
        test.run(&["due", "records", "--as-of", "2025-06-01"])
            .stdout
    };
    assert!(!due(&test).contains(line), "{}", due(&test));
    // A notice of the exit for another day, or of another action that day,
    // is not this one.
    test.edit(
        NOTICES,
        "{action: exit, date: 2025-06-30,",
        "{action: exit, date: 2025-06-29,",
    );
    assert!(due(&test).contains(line), "{}", due(&test));
    test.edit(
        NOTICES,
        "{action: exit, date: 2025-06-29,",
        "{action: change, date: 2025-06-30,",
    );
    assert!(due(&test).contains(line), "{}", due(&test));
}
