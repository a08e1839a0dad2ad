//! The plan as agreed: service changes dated by meetings, a consent form
//! that keeps what it approved, a change consent that shows before -> after,
//! the consents that come before what they allow, and what each kind of plan
//! must hold.

use crate::common;

use common::Test;

const PLAN: &str = "records/case-a/plan.yaml";
const CASE: &str = "records/case-a/case.yaml";

fn check(test: &Test, as_of: &str) -> common::Run {
    test.run(&["check", "records", "--as-of", as_of])
}

#[test]
fn a_later_change_leaves_an_earlier_consent_as_it_was_and_reaches_the_later_plan() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let consent = "out/ct-2025-0117/consent-2025-11-14-initiation.pdf";
    let first_plan = "out/ct-2025-0117/plan-2025-11-14.pdf";
    let annual_plan = "out/ct-2025-0117/plan-2026-11-10.pdf";
    let consent_before = test.pdf_text(consent);
    let first_plan_before = test.pdf_text(first_plan);
    assert!(
        consent_before.contains("1 per week, individual, 60 minutes"),
        "{consent_before}"
    );
    // The annual meeting shortens the speech sessions.
    test.edit(
        "records/ct-2025-0117/plan.yaml",
        "    funding: Private insurance, then Part C (Birth to Three)\n    outcomes: [1]\n",
        "    funding: Private insurance, then Part C (Birth to Three)\n    outcomes: [1]\n    changes:\n      - {on: 2026-11-10, minutes: 45}\n",
    );
    test.run(&["render", "records"]).assert_status(0);
    // What they print is as it was, so their copies are too, footer and
    // fingerprint included.
    assert_eq!(consent_before, test.pdf_text(consent));
    assert_eq!(first_plan_before, test.pdf_text(first_plan));
    let annual = test.pdf_text(annual_plan);
    assert!(
        annual.contains("1 per week, individual, 45 minutes"),
        "{annual}"
    );
    assert!(
        !annual.contains("1 per week, individual, 60 minutes"),
        "{annual}"
    );
    let continuation = test.pdf_text("out/ct-2025-0117/consent-2026-11-10-continuation.pdf");
    assert!(
        continuation.contains("1 per week, individual, 45 minutes"),
        "{continuation}"
    );
}

#[test]
fn a_change_consent_shows_each_change_as_before_and_after() {
    let test = Test::samples();
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let text = test.pdf_text("out/ct-2025-0117/consent-2026-05-12-change.pdf");
    for expected in [
        "Consent for Change of Services",
        "Changed Provider: Jonah Okafor",
        "How often and how long: 2 per month, individual, 60 minutes → 1 per month, individual, 60 minutes",
        "Location: Family home and grandmother's home → Grandmother's home",
        // An unchanged service prints as it is, without an arrow.
        "Location: Family home Natural environment:",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    assert_eq!(text.matches('→').count(), 2, "{text}");
    // A continuation shows no before.
    let text = test.pdf_text("out/ct-2025-0117/consent-2026-11-10-continuation.pdf");
    assert!(!text.contains('→'), "{text}");
    assert!(text.contains("Location: Grandmother's home"), "{text}");
}

#[test]
fn a_change_must_be_dated_by_a_meeting_in_order() {
    let test = Test::fixture("minimal");
    common::dev_changes(&test, &["{on: 2025-03-01, minutes: 45}"]);
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:40:10: error[no-meeting]: this change of `dev` is dated 2025-03-01, but the plan has no meeting on that day (its meetings are 2025-02-03); \
         a plan changes only at a meeting - add the meeting (type change, for one between reviews) or correct the date",
    );
    // On the first meeting's own day it is not after the plan it changes.
    test.edit(PLAN, "{on: 2025-03-01,", "{on: 2025-02-03,");
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:40:10: error[out-of-order]: this change of `dev` on 2025-02-03 does not come after 2025-02-03",
    );
    // A change meeting makes it a change of the plan.
    common::change_meeting(&test, "2025-03-01");
    test.edit(PLAN, "{on: 2025-02-03,", "{on: 2025-03-01,");
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn a_part_c_plan_without_service_coordination_fails_validation() {
    let test = Test::fixture("minimal");
    test.splice(PLAN, "  - {id: sc,", "\n", "");
    test.edit(PLAN, "      - {service: sc, decision: accepted}\n", "");
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:25:1: error[no-service-coordination]: this Part C plan has no service coordination; \
         its services are `dev` - Developmental intervention. Service coordination is a Part C service with its own consent (303.34)",
    );
    // Outside Part C it is not required.
    test.edit(CASE, "part_c: true", "part_c: false");
    let run = test.run(&["validate", "records"]);
    assert!(
        !run.stderr.contains("no-service-coordination"),
        "{}",
        run.stderr
    );
}

/// The fixture with its evaluation on `evaluated` and an evaluation
/// consent of `consent` (none when None) as its own occasion.
fn evaluated(test: &Test, evaluated: &str, consent: Option<&str>) {
    test.edit(
        CASE,
        "referral_date: 2025-01-06\n",
        &format!("referral_date: 2025-01-06\nevaluation_date: {evaluated}\neligibility_date: {evaluated}\n"),
    );
    if let Some(date) = consent {
        test.edit(
            PLAN,
            "consents:\n",
            &format!(
                "consents:\n  - date: {date}\n    description: Evaluation and assessment.\n    evaluation: true\n    explained: true\n    native_language: English\n    signatures:\n      - {{role: parent, name: Bea Test, signed_on: {date}, method: paper}}\n      - {{role: coordinator, name: Cora Lind, signed_on: {date}, method: paper}}\n"
            ),
        );
    }
}

#[test]
fn an_evaluation_before_its_consent_is_found_at_the_consent() {
    let test = Test::fixture("minimal");
    evaluated(&test, "2025-01-20", Some("2025-01-21"));
    check(&test, "2025-03-01").assert_status(1).stderr_has(
        "records/case-a/plan.yaml:43:5: error[evaluation-consent]: the consent to evaluation and assessment is dated January 21, 2025, \
         after the evaluation of January 20, 2025 and the eligibility determination of January 20, 2025; the parent consents before the evaluation (303.420(a))",
    );
    // Signed at the start of the evaluation visit, the same day: in order.
    let test = Test::fixture("minimal");
    evaluated(&test, "2025-01-20", Some("2025-01-20"));
    let run = check(&test, "2025-03-01");
    assert!(!run.stderr.contains("evaluation-consent"), "{}", run.stderr);
    // No evaluation consent at all: found at the first date it should precede.
    let test = Test::fixture("minimal");
    evaluated(&test, "2025-01-20", None);
    check(&test, "2025-03-01").assert_status(1).stderr_has(
        "records/case-a/case.yaml:23:1: error[evaluation-consent]: the evaluation is dated January 20, 2025, but no consent to evaluation and assessment is recorded",
    );
}

#[test]
fn insurance_is_billed_only_after_consent_or_written_notification() {
    let billing = |extra: &str| {
        let test = Test::fixture("minimal");
        test.write(PLAN, &(test.read(PLAN) + "billing:\n" + extra));
        check(&test, "2025-03-01")
    };
    billing("  private: {first_billed_on: 2025-02-10}\n")
        .assert_status(1)
        .stderr_has(
            "error[insurance-billing]: private insurance was first billed on February 10, 2025, but no consent to its use is recorded by then; \
             it is billed only with the parent's consent (303.520(b))",
        );
    billing("  public: {first_billed_on: 2025-02-10}\n")
        .assert_status(1)
        .stderr_has("error[insurance-billing]: public benefits or insurance were first billed on February 10, 2025, but no written notification");
    billing("  public: {notified_on: 2025-02-11, first_billed_on: 2025-02-10}\n")
        .assert_status(1)
        .stderr_has("error[insurance-billing]: the written notification about public benefits or insurance is dated February 11, 2025, after the first bill of February 10, 2025");
    // Notified on the day of the first bill: in order.
    let run = billing("  public: {notified_on: 2025-02-10, first_billed_on: 2025-02-10}\n");
    assert!(!run.stderr.contains("insurance-billing"), "{}", run.stderr);

    // With the parent's consent on or before the bill, and not declined since.
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    explained: true\n",
        "    insurance: {private: consented}\n    explained: true\n",
    );
    test.write(
        PLAN,
        &(test.read(PLAN) + "billing:\n  private: {first_billed_on: 2025-02-03}\n"),
    );
    let run = check(&test, "2025-03-01");
    assert!(!run.stderr.contains("insurance-billing"), "{}", run.stderr);
    test.edit(
        PLAN,
        "first_billed_on: 2025-02-03",
        "first_billed_on: 2025-02-02",
    );
    check(&test, "2025-03-01").assert_status(1).stderr_has(
        "error[insurance-billing]: private insurance was first billed on February 2, 2025",
    );
    test.edit(
        PLAN,
        "first_billed_on: 2025-02-02",
        "first_billed_on: 2025-02-03",
    );
    test.edit(
        PLAN,
        "insurance: {private: consented}",
        "insurance: {private: declined}",
    );
    check(&test, "2025-03-01")
        .assert_status(1)
        .stderr_has("but the parent declined its use on February 3, 2025");
}

#[test]
fn each_kind_of_plan_says_what_it_needs() {
    // A postpartum plan gives her health.
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "client: child\npart_c: true\n",
        "client: postpartum\nstate: VT\npart_c: false\nwoman: {name: Bea Test, delivery_date: 2024-12-31}\n",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:1:1: error[missing-element]: a postpartum plan needs `health`",
    );
    test.edit(
        PLAN,
        "present_levels:\n",
        "health: Recovering well.\npresent_levels:\n",
    );
    test.assert_no_findings(&["validate", "records"]);

    // A child care program's plan describes the program, and its director signs.
    let test = Test::fixture("minimal");
    test.edit(
        CASE,
        "client: child\npart_c: true\n",
        "client: child-care-program\npart_c: false\nchild_care_program: Little Oaks Child Care\n",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/plan.yaml:1:1: error[missing-element]: a child care program's plan needs `child_care`")
        .stderr_has("records/case-a/plan.yaml:11:1: error[not-for-client]: present levels are a child's")
        .stderr_has("error[missing-signer]: this consent needs a signature entry for the child care program's director (role director)");

    // A child's plan has present levels.
    let test = Test::fixture("minimal");
    test.splice(PLAN, "present_levels:", "outcomes:", "");
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:1:1: error[missing-element]: a child's plan needs `present_levels`",
    );
}

#[test]
fn the_plan_of_a_meeting_is_a_draft_while_its_signatures_are_owed() {
    let test = Test::fixture("minimal");
    // A meeting that lists no one to sign its plan: lines for the parent
    // and the coordinator, a draft, and `--final` refuses it.
    test.edit(PLAN, common::MEETING_SIGNED, "");
    test.run(&["render", "records", "--only", "plan"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/plan-2025-02-03.pdf");
    for expected in [
        "DRAFT: not final until signed by Bea Test (mother); Cora Lind (service coordinator)",
        "Name (mother): Bea Test Signature Date Name (service coordinator): Cora Lind Signature Date",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    let refused = test.run(&["render", "records", "--only", "plan", "--final"]);
    refused.assert_status(1);
    let says = |signer: &str| {
        format!(
            "records/case-a/plan.yaml:4:5: error[signature-owed]: plan-2025-02-03 is not signed by {signer} yet; \
             `render --final` makes only fully signed documents (the meeting lists no one to sign its plan: add \
             `signatures` to it, an entry for each signer (role and name) with `signed_on` and `method` once signed, \
             or render without --final to print a draft for signing)"
        )
    };
    refused
        .stderr_has(&says("Bea Test (parent)"))
        .stderr_has(&says("Cora Lind (service coordinator)"));
    test.run(&["check", "records", "--as-of", "2025-02-03"]).stderr_has(
        "records/case-a/plan.yaml:4:5: notice[signature-owed]: the plan of the meeting of 2025-02-03 is not signed by \
         Bea Test (parent) yet: asked for on February 3, 2025 (asked for today; after 30 days this is a warning); the \
         document prints as a draft until it is. The meeting lists no one to sign its plan: add \
         `signatures` to it, an entry for each signer (role and name) with `signed_on` and `method` once signed",
    );

    test.edit(
        PLAN,
        "    type: initial\n",
        "    type: initial\n    participants: [Bea Test (mother), \"Cora Lind (service coordinator, teacher)\"]\n    signatures:\n      - {role: parent, name: Bea Test}\n      - {role: coordinator, name: Cora Lind, signed_on: 2025-02-03, method: paper}\n",
    );
    test.run(&["render", "records", "--only", "plan"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/plan-2025-02-03.pdf");
    for expected in [
        "Individualized Family Service Plan (IFSP)",
        "Meeting: February 3, 2025, initial plan meeting",
        "Bea Test (mother)",
        "Cora Lind (service coordinator, teacher)",
        "DRAFT: not final until signed by Bea Test (mother)",
        "Signed by Cora Lind (service coordinator) on February 3, 2025, on paper.",
        "Service coordination",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    // A family's delay of the first meeting, and the plan's notes, print.
    test.write(
        PLAN,
        &(test.read(PLAN)
            + "family_delay: {requested_on: 2025-01-20, reason: Bea asked to wait until Ada's father was home from deployment.}\n\
               notes: Cora coordinates and also provides the developmental intervention.\n"),
    );
    test.run(&["render", "records", "--only", "plan"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/plan-2025-02-03.pdf");
    for expected in [
        "Delay the family asked for: On January 20, 2025 the family asked to hold the first plan meeting later than 45 days after the referral. \
         Bea asked to wait until Ada's father was home from deployment.",
        "Notes on the plan",
        "Cora coordinates and also provides the developmental intervention.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    test.run(&["render", "records", "--only", "plan", "--final"])
        .assert_status(1)
        .stderr_has("records/case-a/plan.yaml:8:9: error[signature-owed]: plan-2025-02-03 is not signed by Bea Test (parent) yet");
}

#[test]
fn an_addition_is_dated_by_a_meeting_and_consented_to_from_then_on() {
    let test = Test::fixture("minimal");
    common::change_meeting(&test, "2025-05-01");
    // A second outcome and a service for it, added at the change meeting.
    test.edit(
        PLAN,
        "services:\n",
        "  - {number: 2, added_on: 2025-04-01, outcome: Ada will climb the stairs., criteria: Five steps with a hand held., \
         procedures: Parent report., target_date: 2025-08-01, strategies: [Practise on the porch steps], who_helps: [Bea Test]}\n\
         services:\n  - {id: pt, added_on: 2025-04-15, service: Physical therapy, provider: {name: Ida Ng, discipline: Physical therapy}, \
         frequency: {times: 1, per: week}, intensity: individual, minutes: 45, method: home-visit, location: Family home, \
         natural_environment: true, start_date: 2025-05-08, end_date: 2025-08-01, funding: Part C, outcomes: [2]}\n",
    );
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("error[no-meeting]: the addition of outcome 2 is dated 2025-04-01, but the plan has no meeting on that day (its meetings are 2025-02-03, 2025-05-01)")
        .stderr_has("error[no-meeting]: the addition of `pt` is dated 2025-04-15, but the plan has no meeting on that day");
    test.edit(PLAN, "added_on: 2025-04-01", "added_on: 2025-05-01");
    test.edit(PLAN, "added_on: 2025-04-15", "added_on: 2025-05-01");
    // The first consent cannot have covered it.
    test.edit(
        PLAN,
        "      - {service: sc, decision: accepted}\n",
        "      - {service: sc, decision: accepted}\n      - {service: pt, decision: accepted}\n",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "error[not-yet-on-plan]: the consent of 2025-02-03 names `pt`, which the plan adds only at the meeting of 2025-05-01; \
         a consent covers the services the plan has on its date",
    );
    // A consent on the meeting's own day does.
    test.edit(PLAN, "      - {service: pt, decision: accepted}\n", "");
    test.write(
        PLAN,
        &(test.read(PLAN)
            + "  - date: 2025-05-01\n    action: change\n    description: Adding physical therapy.\n    services:\n      - {service: pt, decision: accepted}\n\
               \x20   explained: true\n    native_language: English\n    signatures:\n      - {role: parent, name: Bea Test, signed_on: 2025-05-01, method: paper}\n\
               \x20     - {role: coordinator, name: Cora Lind, signed_on: 2025-05-01, method: paper}\n"),
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records", "--only", "plan,consent"])
        .assert_status(0);
    let first = test.pdf_text("out/case-a/plan-2025-02-03.pdf");
    assert!(
        !first.contains("Ada will climb the stairs") && !first.contains("Physical therapy"),
        "{first}"
    );
    let later = test.pdf_text("out/case-a/plan-2025-05-01.pdf");
    assert!(
        later.contains("Outcome 2: Ada will climb the stairs.")
            && later.contains("Physical therapy"),
        "{later}"
    );
    let change = test.pdf_text("out/case-a/consent-2025-05-01-change.pdf");
    assert!(change.contains("Physical therapyNew service"), "{change}");
}

#[test]
fn a_child_plan_has_no_child_care_part_and_a_split_participant_is_named() {
    let test = Test::fixture("minimal");
    test.write(
        PLAN,
        &(test.read(PLAN) + "child_care: {setting: Two rooms, needs: Calmer transitions}\n"),
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "error[not-for-client]: `child_care` is for a child care program's plan; this case's client is not one",
    );
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    type: initial\n",
        "    type: initial\n    participants: [Bea Test (mother), Cora Lind (coordinator, teacher), Ida (aunt)]\n",
    );
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:7:39: error[split-entry]: participants `Cora Lind (coordinator` and `teacher)` look like one entry split in two",
    );
    // Parentheses that close, or open ones that do not meet a closing one,
    // are the coordinator's text.
    test.edit(
        PLAN,
        "[Bea Test (mother), Cora Lind (coordinator, teacher), Ida (aunt)]",
        "[Bea Test (mother), Al), Jo (, Kim, \"Cora Lind (coordinator, teacher)\"]",
    );
    let run = test.run(&["validate", "records"]);
    assert!(!run.stderr.contains("split-entry"), "{}", run.stderr);
}

#[test]
fn a_service_funded_by_insurance_needs_its_consent_or_notification() {
    let test = Test::fixture("minimal");
    test.edit(
        PLAN,
        "    funding: Part C\n",
        "    funding: Medicaid (HUSKY A)\n",
    );
    check(&test, "2025-03-01").assert_status(1).stderr_has(
        "records/case-a/plan.yaml:37:5: error[insurance-billing]: Developmental intervention is funded \
         by `Medicaid (HUSKY A)`, which is public benefits or insurance, but the family has no written \
         notification about their use (`plan.billing.public.notified_on`); the notification is given \
         before they are used, whatever the consents say (303.520(a)(1), (3))",
    );
    // A consent form that says public insurance is not asked about does not do.
    test.edit(
        PLAN,
        "    explained: true\n",
        "    insurance: {public: not-applicable}\n    explained: true\n",
    );
    check(&test, "2025-03-01")
        .assert_status(1)
        .stderr_has("Developmental intervention is funded by `Medicaid (HUSKY A)`");
    // The written notification does.
    test.write(
        PLAN,
        &(test.read(PLAN) + "billing:\n  public: {notified_on: 2025-02-03}\n"),
    );
    let run = check(&test, "2025-03-01");
    assert!(!run.stderr.contains("insurance-billing"), "{}", run.stderr);

    // Private insurance, on a later change, needs the parent's consent.
    let test = Test::fixture("minimal");
    common::change_meeting(&test, "2025-04-01");
    common::dev_changes(
        &test,
        &["{on: 2025-04-01, funding: \"Private insurance, then Part C\"}"],
    );
    check(&test, "2025-04-10").assert_status(1).stderr_has(
        "error[insurance-billing]: Developmental intervention is funded by `Private insurance, then \
         Part C`, which is private insurance, but no consent form records the parent's consent to its \
         use (`insurance: {private: consented}`, 303.520(b))",
    );
}

/// The text of each page of a sample case's PDF (the samples' consent
/// forms rendered), and the page a text is on.
fn consent_pages(test: &Test, pdf: &str) -> (Vec<String>, impl Fn(&str) -> usize) {
    let path = test.path(&format!("out/{pdf}"));
    let pages: Vec<String> = pdf_extract::extract_text_by_pages(&path)
        .unwrap()
        .iter()
        .map(|p| common::normalize(p))
        .collect();
    let all = pages.clone();
    let page_of = move |needle: &str| {
        (all.iter().position(|p| p.contains(needle)))
            .unwrap_or_else(|| panic!("no page has {needle:?}: {all:#?}"))
    };
    (pages, page_of)
}

#[test]
fn a_consent_section_s_heading_and_intro_stay_on_the_page_of_its_table() {
    // Sofía's initiation consent runs to a second page just before its
    // release of records: the heading and the sentence introducing the table
    // go with the table.
    let test = Test::samples();
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let (pages, page_of) = consent_pages(&test, "ct-2026-0058/consent-2026-04-10-initiation.pdf");
    assert!(pages.len() >= 2, "{pages:#?}");
    let table = page_of("Dra. Elena Soto, pediatra");
    assert_eq!(page_of("Entrega de expedientes"), table, "{pages:#?}");
    assert_eq!(page_of("Acepto que estos expedientes"), table, "{pages:#?}");
}

#[test]
fn a_consent_s_statements_are_never_split_across_pages() {
    // Eli's change consent fills its first page with the services: its
    // statements (the first three fitted there) go together to the second.
    let test = Test::samples();
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let (pages, page_of) = consent_pages(&test, "ct-2025-0117/consent-2026-05-12-change.pdf");
    assert!(pages.len() >= 2, "{pages:#?}");
    let first = page_of("The plan was fully explained to me.");
    assert_eq!(page_of("Statements"), first, "{pages:#?}");
    assert_eq!(page_of("My consent is voluntary."), first, "{pages:#?}");
    assert_eq!(
        page_of("Declining one service does not put"),
        first,
        "{pages:#?}"
    );
}
