//! `casepaper validate`: every kind of finding, with its file, line, column
//! and message, as a coordinator sees it.

use crate::common;

use common::Test;

const PLAN: &str = "records/case-a/plan.yaml";
const CASE: &str = "records/case-a/case.yaml";
const CONTACTS: &str = "records/case-a/contacts.yaml";

/// Runs validate on the fixture and expects exit 1 with this exact finding line.
fn expect_finding(test: &Test, line: &str) {
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has(line);
}

#[test]
fn clean_records_pass() {
    let test = Test::fixture("minimal");
    let run = test.run(&["validate", "records"]);
    run.assert_status(0)
        .stderr_has("1 case valid, no problems found");
}

#[test]
fn sample_records_pass() {
    let test = Test::samples();
    test.run(&["validate"])
        .assert_status(0)
        .stderr_has("7 cases valid");
}

/// A folder in the records folder with no record file in it (the
/// letterhead's images, say) is not a case for any command; an empty one
/// named on the command line is, and lacks its case file.
#[test]
fn a_folder_without_record_files_is_not_a_case() {
    let test = Test::samples();
    test.write("records/images/notes.txt", "pictures for the letterhead\n");
    test.run(&["validate"])
        .assert_status(0)
        .stderr_has("7 cases valid, no problems found");
    test.run(&["check", "--as-of", "2026-11-23"])
        .assert_status(0)
        .stderr_has("0 errors, 0 warnings and 1 notice in 1 file");
    test.run(&["validate", "records/images"])
        .assert_status(1)
        .stderr_has(
            "records/images: error[missing-case-file]: this case folder has no case record",
        );
}

/// Only a case with no errors, under a valid program file, is valid: the
/// others are rejected, so no rule or document ever sees them.
#[test]
fn only_cases_without_errors_under_a_valid_program_are_valid() {
    use casepaper::pipeline::Records;
    let test = Test::samples();
    test.edit("records/vt-2026-0042/case.yaml", "case_id:", "case_number:");
    // Typed, but its coordinator is not on the staff list.
    test.edit(
        "records/ct-2026-0031/case.yaml",
        "coordinator: jokafor",
        "coordinator: jokafr",
    );
    let validate = || {
        Records::open(&[test.path("records")])
            .unwrap()
            .load(None)
            .validate()
    };
    let valid = validate();
    let ids: Vec<&str> = (valid.cases().iter())
        .map(|c| c.record.case.case_id.as_str())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(!ids.contains(&"vt-2026-0042"), "{ids:?}");
    assert!(!ids.contains(&"ct-2026-0031"), "{ids:?}");
    assert_eq!(valid.validated.rejected.len(), 2);
    assert!(valid.validated.rejected[0].ends_with("ct-2026-0031"));
    assert!(valid.validated.rejected[1].ends_with("vt-2026-0042"));
    // Without a valid program file, no case is valid.
    test.edit("records/program.yaml", "staff:", "staf:");
    let valid = validate();
    assert!(valid.program().is_none());
    assert!(valid.cases().is_empty());
    assert_eq!(valid.validated.rejected.len(), 7);
}

#[test]
fn missing_element_names_it_and_points_at_its_mapping() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    criteria: Ten steps on her own on three days.\n",
        "",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1).stderr_has(
        "records/case-a/plan.yaml:18:5: error[missing-element]: `plan.outcomes[0]` is missing \
         `criteria`: How everyone will know it is reached (measurable criteria)\n\
         18 |   - number: 1\n   |     ^ add `criteria` to this\n   = element: plan.outcomes[0].criteria",
    );
}

#[test]
fn missing_signature_date_on_a_contact_note() {
    let test = Test::fixture("minimal");
    test.edit(
        CONTACTS,
        "signed: {by: cora, on: 2025-04-07}",
        "signed: {by: cora}",
    );
    expect_finding(
        &test,
        "records/case-a/contacts.yaml:15:5: error[missing-element]: `contacts.notes[1].signed` is missing `on`: The date the coordinator signed the note",
    );
}

#[test]
fn empty_element() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "  concerns: Ada does not yet walk.", "  concerns:");
    expect_finding(
        &test,
        "records/case-a/plan.yaml:8:3: error[empty-element]: `plan.family_assessment.concerns` is empty; fill it in",
    );
}

#[test]
fn wrong_type() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "    minutes: 60", "    minutes: sixty");
    expect_finding(
        &test,
        "records/case-a/plan.yaml:31:5: error[wrong-type]: `plan.services[0].minutes` should be a whole number, not `sixty` (Length of one session, in minutes)",
    );
}

#[test]
fn bad_date() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "target_date: 2025-08-01", "target_date: 2025-13-01");
    expect_finding(
        &test,
        "records/case-a/plan.yaml:22:5: error[bad-date]: `plan.outcomes[0].target_date` is `2025-13-01`, which is not a date; write dates as YYYY-MM-DD, for example 2025-03-14",
    );
}

#[test]
fn value_not_among_the_choices() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "intensity: individual", "intensity: solo");
    expect_finding(
        &test,
        "records/case-a/plan.yaml:30:5: error[not-allowed]: `plan.services[0].intensity` is `solo`, which is not one of the choices: `individual`, `group`",
    );
}

#[test]
fn unknown_element_points_at_its_key() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    minutes: 60\n",
        "    minutes: 60\n    colour: blue\n",
    );
    expect_finding(
        &test,
        "records/case-a/plan.yaml:32:5: error[unknown-element]: `colour` is not an element of `plan.services[0]`; check its spelling.",
    );
}

#[test]
fn bad_format_case_id_cannot_become_a_path() {
    let test = Test::fixture("minimal");
    test.edit(CASE, "case_id: case-a", "case_id: ../../etc");
    expect_finding(
        &test,
        "records/case-a/case.yaml:3:1: error[bad-format]: `case.case_id` is `../../etc`, which is not written the expected way",
    );
}

#[test]
fn duplicate_key_names_both_lines() {
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "referral_date: 2025-01-06\n",
        "referral_date: 2025-01-06\ncoordinator: cora\n",
    );
    expect_finding(
        &test,
        "records/case-a/case.yaml:23:1: error[duplicate-key]: `coordinator` is given twice in this mapping (first on line 21); keep one, or the other value would be lost",
    );
}

#[test]
fn yaml_syntax_error() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "  priorities: Walking at home.",
        "  priorities: [Walking at home.",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/plan.yaml:10:")
        .stderr_has("error[yaml-syntax]: this is not valid YAML");
}

#[test]
fn missing_kind() {
    let test = Test::fixture("minimal");
    test.edit(CONTACTS, "kind: contacts\n", "");
    expect_finding(
        &test,
        "records/case-a/contacts.yaml:1:1: error[missing-kind]: this file does not say what record it is: add `kind:` with one of program, case, plan, contacts, transition, exit",
    );
}

#[test]
fn unknown_kind_names_the_supported_ones() {
    let test = Test::fixture("minimal");
    test.edit(CONTACTS, "kind: contacts", "kind: contact");
    expect_finding(
        &test,
        "records/case-a/contacts.yaml:1:1: error[unknown-kind]: `kind: contact` is not a record kind; the kinds are program, case, plan, contacts, transition, exit",
    );
}

#[test]
fn unknown_version_names_the_supported_ones() {
    let test = Test::fixture("minimal");
    test.edit(CONTACTS, "version: 1", "version: 7");
    expect_finding(
        &test,
        "records/case-a/contacts.yaml:2:1: error[unknown-version]: `version: 7` is not a supported version of the contacts record; the supported versions are 1",
    );
}

#[test]
fn unknown_staff_reference() {
    let test = Test::fixture("minimal");
    test.edit(CASE, "coordinator: cora", "coordinator: nobody");
    expect_finding(
        &test,
        "records/case-a/case.yaml:21:1: error[unknown-reference]: `nobody` is not a staff id in program.yaml; the staff ids are cora",
    );
}

#[test]
fn consent_for_a_service_not_on_the_plan() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "{service: dev, decision: accepted}",
        "{service: speech, decision: accepted}",
    );
    expect_finding(
        &test,
        "records/case-a/plan.yaml:45:10: error[unknown-reference]: consent names service `speech`, which is not on the plan; the service ids are dev, sc",
    );
}

#[test]
fn two_cases_with_one_id() {
    let test = Test::fixture("minimal");
    common::copy_dir(&test.path("records/case-a"), &test.path("records/case-b"));
    expect_finding(
        &test,
        "records/case-b/case.yaml:3:1: error[duplicate-case-id]: case id `case-a` is already used by records/case-a/case.yaml; every case needs its own id",
    );
}

#[test]
fn case_folder_without_case_file() {
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path(CASE)).unwrap();
    expect_finding(
        &test,
        "records/case-a: error[missing-case-file]: this case folder has no case record; add case.yaml",
    );
}

#[test]
fn a_case_file_that_does_not_read_is_its_own_error_not_also_a_missing_case_file() {
    // The case file is there but broken (its kind unreadable): one error,
    // about it, not a second saying the folder has no case record.
    let test = Test::fixture("minimal");
    test.edit(CASE, "kind: case", "kind: [case");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1);
    assert!(!run.stderr.contains("missing-case-file"), "{}", run.stderr);
    assert!(
        run.stderr.contains("records/case-a/case.yaml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_file() {
    let test = Test::fixture("minimal");
    test.write(CONTACTS, "");
    expect_finding(
        &test,
        "records/case-a/contacts.yaml:1:1: error[not-a-record]: this file is empty; a record starts with `kind:` and `version:`",
    );
}

#[test]
fn file_that_is_not_utf8() {
    let test = Test::fixture("minimal");
    std::fs::write(
        test.path(CONTACTS),
        b"kind: contacts\nversion: 1\nnotes: [\xff]\n",
    )
    .unwrap();
    expect_finding(
        &test,
        "records/case-a/contacts.yaml: error[unreadable]: this file is not UTF-8 text (invalid byte at offset 34); save it as UTF-8",
    );
}

#[test]
fn every_problem_in_every_file_is_reported() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "intensity: individual", "intensity: solo");
    test.edit(
        CASE,
        "referral_date: 2025-01-06",
        "referral_date: 6 January 2025",
    );
    test.edit(CONTACTS, "    minutes: 20", "    minutes: 0");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("case.yaml:22:1: error[bad-date]")
        .stderr_has("plan.yaml:30:5: error[not-allowed]")
        .stderr_has("contacts.yaml:11:5: error[out-of-range]: `contacts.notes[1].minutes` is `0`, but must be at least 1")
        .stderr_has("3 errors and 0 warnings in 3 files");
}

#[test]
fn json_format_is_one_object_per_line() {
    let test = Test::fixture("minimal");
    test.edit(PLAN, "intensity: individual", "intensity: solo");
    let run = test.run(&["validate", "records", "--format", "json"]);
    run.assert_status(1);
    assert_eq!(
        run.stdout,
        "{\"file\":\"records/case-a/plan.yaml\",\"line\":30,\"column\":5,\"severity\":\"error\",\
         \"code\":\"not-allowed\",\"path\":\"plan.services[0].intensity\",\"message\":\"`plan.services[0].intensity` \
         is `solo`, which is not one of the choices: `individual`, `group`\"}\n"
    );
}

#[test]
fn a_case_folder_can_be_validated_alone() {
    let test = Test::fixture("minimal");
    test.assert_no_findings(&["validate", "records/case-a"]);
}

#[test]
fn a_path_outside_any_records_folder_is_a_usage_error() {
    let test = Test::fixture("minimal");
    test.run(&["validate", "nowhere"])
        .assert_status(2)
        .stderr_has("error: nowhere does not exist");
    std::fs::create_dir(test.path("empty")).unwrap();
    test.run(&["validate", "empty"])
        .assert_status(2)
        .stderr_has("empty is not in a records folder: no program.yaml was found there or in a folder above it");
}

#[test]
fn program_record_inside_a_case_folder() {
    let test = Test::fixture("minimal");
    std::fs::copy(
        test.path("records/program.yaml"),
        test.path("records/case-a/program.yaml"),
    )
    .unwrap();
    expect_finding(
        &test,
        "records/case-a/program.yaml:1:1: error[wrong-place]: the program record belongs in program.yaml at the root of the records folder, not in a case folder",
    );
}

#[test]
fn two_plans_in_one_case() {
    let test = Test::fixture("minimal");
    std::fs::copy(test.path(PLAN), test.path("records/case-a/plan-copy.yaml")).unwrap();
    expect_finding(
        &test,
        "records/case-a/plan.yaml:1:1: error[duplicate-record]: this case already has a plan record in records/case-a/plan-copy.yaml; a case has one plan record",
    );
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let test = Test::fixture("minimal");
    let mut text =
        String::from("kind: contacts\nversion: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    test.write(CONTACTS, &text);
    let started = std::time::Instant::now();
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/contacts.yaml:8:")
        .stderr_has("error[yaml-limit]: the file expands to more than 200000 elements");
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_language_without_a_translation_file() {
    let test = Test::fixture("minimal");
    test.edit("records/case-a/case.yaml", "language: en", "language: fr");
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/case.yaml:6:1: error[unknown-language]: the documents cannot be written in `fr` yet; \
         the languages are en, es (a program adds one with templates/i18n/fr.yaml)",
    );
    // A program that adds the translation file may use the language.
    let english = std::fs::read_to_string(common::repo().join("templates/i18n/en.yaml")).unwrap();
    test.write(
        "templates/i18n/fr.yaml",
        &english.replace("Outcomes Page", "Page des résultats"),
    );
    // Valid; what the program file gives only in English is named.
    let run = test.run(&["validate", "records"]);
    run.assert_status(0).stderr_has(
        "`program.program.complaints` is written once, so it is taken to be in English (the program file's \
         `language`), and the `fr` papers of case case-a print it in English; give it in each language, for \
         example {en: ..., fr: ...}",
    );
    assert!(!run.stderr.contains("error["), "{}", run.stderr);
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(0);
    assert!(
        test.pdf_text("out/case-a/outcomes.pdf")
            .contains("Page des résultats")
    );
}

#[test]
fn a_translation_file_missing_a_key_is_named() {
    let test = Test::fixture("minimal");
    let english = std::fs::read_to_string(common::repo().join("templates/i18n/en.yaml")).unwrap();
    test.write(
        "templates/i18n/fr.yaml",
        &english.replace("  heading: \"Signatures\"\n", ""),
    );
    test.run(&["validate", "records"])
        .assert_status(2)
        .stderr_has("error: templates/i18n/fr.yaml has no translation for `signatures.heading`");
}

/// The benchmark's generated caseload is valid records (`cargo test` builds
/// the examples), so the benchmark measures real documents, and it holds
/// what a program's records hold (the notices, the evaluation consent, the
/// family's approval of the conference), so `check` finds nothing wrong as
/// of the day its notes end: the desk's first page is timed on a caseload
/// like a program's.
#[test]
fn the_generated_caseload_is_valid() {
    let generator = std::path::Path::new(common::BIN)
        .parent()
        .unwrap()
        .join("examples/gen-caseload");
    let test = Test::empty();
    let status = std::process::Command::new(&generator)
        .args(["6", test.path("records").to_str().unwrap()])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", generator.display()));
    assert!(status.status.success(), "{status:?}");
    test.run(&["validate", "records"])
        .assert_status(0)
        .stderr_has("6 cases valid, no problems found");
    // (The case that exits on October 2 owes no contact for October.)
    test.run(&["check", "records", "--as-of", "2026-10-01"])
        .assert_status(0)
        .stderr_has("0 errors, 0 warnings and 8 notices in 7 files (as of 2026-10-01)");
}

#[test]
fn messages_show_what_right_looks_like() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "language: en\n",
        "language: English\n",
    )
    .edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 1/6/2025",
    )
    .edit(
        "records/case-a/plan.yaml",
        "    frequency: {times: 1, per: week}\n",
        "    frequency: once a week\n",
    )
    .edit(
        "records/case-a/plan.yaml",
        "{role: parent, name: Bea Test, signed_on: 2025-02-03, method: paper}",
        "{role: parent, name: Bea Test, signed_on: not yet}",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        // A language code: the codes of the translation files.
        .stderr_has(
            "records/case-a/case.yaml:6:1: error[bad-format]: `case.language` is `English`, which is \
             not a language code; write the code of a language the documents are written in: en, es",
        )
        // A US date: the ISO date it probably means.
        .stderr_has(
            "records/case-a/case.yaml:22:1: error[bad-date]: `case.referral_date` is `1/6/2025`, which \
             is not a date; write dates as YYYY-MM-DD, for example 2025-03-14 (`1/6/2025` is probably 2025-01-06)",
        )
        // A mapping: its elements and a one-line example.
        .stderr_has(
            "records/case-a/plan.yaml:29:5: error[wrong-type]: `plan.services[0].frequency` should be \
             a mapping of named elements (with `times` and `per`), for example {times: 1, per: week}, \
             not `once a week`",
        )
        // An owed signature's date: leave it out.
        .stderr_has(
            "`plan.consents[0].signatures[0].signed_on` is `not yet`, which is not a date; write dates \
             as YYYY-MM-DD, for example 2025-03-14; while the signature is owed, leave `signed_on` and \
             `method` out",
        );
    // A date that only looks like one is not guessed at.
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 1/6/2025",
        "referral_date: 13/6/2025",
    );
    let run = test.run(&["validate", "records"]);
    run.stderr_has("`case.referral_date` is `13/6/2025`, which is not a date; write dates as YYYY-MM-DD, for example 2025-03-14\n");
}

#[test]
fn dates_that_contradict_each_other_are_errors_at_their_lines() {
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "referral_date: 2025-01-06",
        "referral_date: 2025-02-10\neligibility_date: 2025-01-20",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has(
            "records/case-a/case.yaml:23:1: error[date-order]: `case.eligibility_date` is January 20, \
             2025, before the referral of February 10, 2025; eligibility is found after the referral",
        )
        .stderr_has(
            "records/case-a/contacts.yaml:4:5: error[date-order]: this contact note is dated February 3, \
             2025, before the referral of February 10, 2025 (`case.referral_date`)",
        );

    let test = Test::fixture("minimal");
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: completed\nexit_date: 2025-04-30\nletter_date: 2025-04-20\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-04-20, method: paper}\n",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/exit.yaml:4:1: error[date-order]: `exit.exit_date` is April 30, 2025, but a \
         contact note of May 12, 2025 in records/case-a/contacts.yaml comes after it",
    );
}

#[test]
fn every_problem_comes_in_one_pass_with_what_waits_said() {
    // As a coordinator met it: a misspelled service id, two bad dates and
    // a missing signature date, reported together.
    let test = Test::fixture("minimal");
    test.edit(
        CONTACTS,
        "    summary: Home visit; Ada stands alone for a few seconds.\n",
        "    summary: Home visit; Ada stands alone for a few seconds.\n    service: devv\n",
    )
    .edit(CONTACTS, "  - date: 2025-04-07\n", "  - date: 2025-04-31\n")
    .edit(
        CONTACTS,
        "signed: {by: cora, on: 2025-05-13}",
        "signed: {by: cora}",
    )
    .edit(PLAN, "target_date: 2025-08-01", "target_date: 2025-08-32");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/contacts.yaml:10:5: error[bad-date]: `contacts.notes[1].date` is `2025-04-31`")
        .stderr_has("records/case-a/plan.yaml:22:5: error[bad-date]: `plan.outcomes[0].target_date` is `2025-08-32`")
        .stderr_has("error[missing-element]: `contacts.notes[3].signed` is missing `on`")
        // The service id is checked against the plan's list even though
        // the plan has an error elsewhere.
        .stderr_has(
            "records/case-a/contacts.yaml:21:5: error[unknown-reference]: this note delivered service \
             `devv`, which is not on the plan; the service ids are dev, sc",
        )
        .stderr_has("4 errors and 0 warnings in 2 files\n")
        .stderr_has(
            "not yet checked: how records/case-a/plan.yaml and records/case-a/contacts.yaml fit the \
             rest of the case (service ids, outcome numbers, dates); that runs once they have no errors",
        );
    // Fixed, nothing waits.
    test.edit(CONTACTS, "  - date: 2025-04-31\n", "  - date: 2025-04-07\n")
        .edit(
            CONTACTS,
            "signed: {by: cora}",
            "signed: {by: cora, on: 2025-05-13}",
        )
        .edit(PLAN, "target_date: 2025-08-32", "target_date: 2025-08-01");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("error[unknown-reference]: this note delivered service `devv`")
        .stderr_has("1 error and 0 warnings in 1 file\n");
    assert!(!run.stderr.contains("not yet checked"), "{}", run.stderr);
}

#[test]
fn a_bad_date_in_the_case_file_hides_nothing_the_plan_and_notes_say_of_each_other() {
    // As the desk's coordinator met it: a date mistyped in the case file,
    // a service id misspelled in the plan's consent and in a note.
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-36",
    )
    .edit(
        PLAN,
        "      - {service: dev, decision: accepted}",
        "      - {service: devv, decision: accepted}",
    )
    .edit(
        CONTACTS,
        "    summary: Home visit; Ada stands alone for a few seconds.\n",
        "    summary: Home visit; Ada stands alone for a few seconds.\n    service: scc\n",
    );
    let run = test.run(&["validate", "records"]);
    let findings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("records/") || l.starts_with("not yet checked"))
        .collect();
    assert_eq!(
        findings,
        [
            "records/case-a/case.yaml:22:1: error[bad-date]: `case.referral_date` is `2025-01-36`, \
             which is not a date; write dates as YYYY-MM-DD, for example 2025-03-14",
            "records/case-a/contacts.yaml:21:5: error[unknown-reference]: this note delivered service \
             `scc`, which is not on the plan; the service ids are dev, sc",
            "records/case-a/plan.yaml:45:10: error[unknown-reference]: consent names service `devv`, \
             which is not on the plan; the service ids are dev, sc",
            "not yet checked: how records/case-a/case.yaml fits the program file and the case's other \
             files (the coordinator, signers, dates, languages); that runs once it has no errors",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn what_waits_names_only_the_files_with_errors() {
    let test = Test::fixture("minimal");
    // A second contacts file, with no error, beside one that has one.
    test.write(
        "records/case-a/contacts-2025-06.yaml",
        "kind: contacts\nversion: 1\nnotes:\n  - date: 2025-06-02\n    minutes: 10\n    \
         type: phone\n    participants: [Parent]\n    summary: A call.\n    \
         signed: {by: cora, on: 2025-06-02}\n",
    );
    test.edit(CONTACTS, "  - date: 2025-04-07\n", "  - date: 2025-04-31\n");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1).stderr_has(
        "not yet checked: how records/case-a/contacts.yaml fits the rest of the case (service \
         ids, outcome numbers, dates); that runs once it has no errors",
    );
    assert!(
        !run.stderr.contains("contacts-2025-06.yaml fit"),
        "{}",
        run.stderr
    );
}

#[test]
fn dates_on_the_same_day_are_in_order() {
    // Eligibility found and the first note written on the day of the
    // referral, the exit on the day of the last note: all in order.
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "referral_date: 2025-01-06",
        "referral_date: 2025-02-03\neligibility_date: 2025-02-03",
    );
    common::write_exit(
        &test,
        "kind: exit\nversion: 1\nreason: completed\nexit_date: 2025-05-12\nletter_date: 2025-05-12\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-05-12, method: paper}\n",
    );
    let run = test.run(&["validate", "records"]);
    assert!(!run.stderr.contains("date-order"), "{}", run.stderr);
    run.assert_status(0);
}
