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
            // (Hearing as a sense is in the physical present level.)
            for hearing in ["hearing officer", "a hearing", "Your rights at a hearing"] {
                assert!(!text.contains(hearing), "{name}: {text}");
            }
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
        "To see your record. You may look at and go over every record about your child and family. The program lets you see it without unnecessary delay, before any meeting about the plan and before any hearing, and never later than 10 days after you ask.",
        "To decline a service. You may decline any service, now or later, without losing the other services you accept.",
        "Mediation.",
        "within one year of it.",
        "The state investigates and decides in writing within 60 days.",
        "A due process complaint.",
        "While a due process complaint is pending, your child keeps receiving the services you consented to",
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

/// Each procedural safeguard of subpart E that a notice must describe
/// (303.421(b)(3)), as the rights section words it in English and in
/// Spanish: what it is (with its section) and a phrase of each language
/// that states it.
const SAFEGUARDS: &[(&str, &str, &str)] = &[
    (
        "consent before evaluation and services (303.420(a))",
        "written consent before it evaluates and assesses your child, before it starts any service",
        "consentimiento por escrito antes de evaluar y valorar a su niño o niña, antes de iniciar cualquier servicio",
    ),
    (
        "consent before disclosure, and its withdrawal (303.414)",
        "before it shares information about your family outside the program",
        "antes de compartir información de su familia fuera del programa",
    ),
    (
        "consent may be taken back (303.420(a))",
        "you may take it back at any time",
        "puede retirarlo en cualquier momento",
    ),
    (
        "declining a service (303.420(d))",
        "You may decline any service, now or later, without losing the other services you accept.",
        "Puede rechazar cualquier servicio, ahora o más adelante, sin perder los demás servicios que acepte.",
    ),
    (
        "prior written notice (303.421(a))",
        "The program tells you in writing, a reasonable time before it proposes or refuses",
        "el programa le avisa por escrito y en su idioma, con tiempo razonable",
    ),
    (
        "confidentiality (303.402)",
        "The program shares it outside the program only with your written consent, except where the law allows it without consent.",
        "El programa solo la comparte fuera del programa con su consentimiento por escrito, salvo en los casos en que la ley permite hacerlo sin su consentimiento.",
    ),
    (
        "surrogate parents (303.422)",
        "If no parent can be identified or found, or the child is a ward of the state, a surrogate parent is appointed",
        "Si no se puede identificar ni encontrar a ningún padre o madre, o si el niño o la niña está bajo la tutela del estado, se nombra un padre sustituto",
    ),
    (
        "access without delay, before a meeting or hearing, within 10 days (303.405(a))",
        "without unnecessary delay, before any meeting about the plan and before any hearing, and never later than 10 days after you ask",
        "sin demora innecesaria, antes de cualquier reunión sobre el plan y antes de cualquier audiencia, y nunca más de 10 días después de que lo pida",
    ),
    (
        "explanations and a representative (303.405(b))",
        "It explains the records when you ask, and someone you choose may see them for you.",
        "Le explica los documentos si lo pide, y una persona que usted elija puede verlos por usted.",
    ),
    (
        "records on more than one child (303.407)",
        "Where a record is about more than one child, you see the part about your child.",
        "Si un documento trata de más de un niño, usted solo ve la parte que trata de su niño o niña.",
    ),
    (
        "types and locations of records (303.408)",
        "On request, the program lists the kinds of records it keeps and where.",
        "Si lo pide, el programa le da una lista de los tipos de documentos que guarda y dónde los guarda.",
    ),
    (
        "record of access (303.406)",
        "who, on what date, and why. You may see that list.",
        "quién, en qué fecha y para qué. Puede ver esa lista.",
    ),
    (
        "copies at no cost after each meeting (303.409(c))",
        "After each plan meeting you get, at no cost, a copy of each evaluation, assessment and family assessment and of the plan.",
        "Después de cada reunión del plan recibe, sin costo, una copia de cada evaluación, valoración y evaluación familiar, y del plan.",
    ),
    (
        "fees (303.409(a)-(b))",
        "never one that keeps you from seeing your record, and there is no fee for finding it",
        "nunca una cantidad que le impida ver su expediente, y no se cobra nada por buscar sus documentos",
    ),
    (
        "amendment at the parent's request (303.410)",
        "you may ask the program to change it",
        "puede pedir al programa que lo cambie",
    ),
    (
        "the hearing on an amendment and the parent's statement (303.411-303.413)",
        "you may ask for a hearing on it. If the record stays as it is, you may add your own statement to it",
        "usted puede pedir una audiencia para tratarlo. Si el documento queda como está, puede añadirle su propia declaración",
    ),
    (
        "destruction and the permanent record (303.416)",
        "you may then ask for them to be destroyed",
        "entonces puede pedir que se destruyan",
    ),
    (
        "mediation: voluntary, no cost, no delay (303.431(b)(1), (3))",
        "It is voluntary, costs you nothing, and is never used to delay or deny a hearing.",
        "Es voluntaria, no le cuesta nada y nunca se usa para retrasar o negar una audiencia.",
    ),
    (
        "mediation: a written, binding agreement; confidential (303.431(b)(5)-(7))",
        "An agreement you reach is written down, signed by you and the program, and binding; what is said in mediation stays confidential",
        "El acuerdo al que lleguen se pone por escrito, lo firman usted y el programa, y obliga a ambas partes; lo que se dice en la mediación es confidencial",
    ),
    (
        "where to ask for mediation (the program's setting)",
        "To ask for mediation, contact: Mediation Office, 2 Capitol Avenue, Hartford",
        "Para pedir una mediación, comuníquese con: Oficina de Mediación, 2 Capitol Avenue, Hartford",
    ),
    (
        "who files a state complaint, signed and written, within a year (303.434(a), (c))",
        "Anyone may file a signed, written complaint with the state that the program broke a rule, within one year of it.",
        "Cualquier persona puede presentar ante el estado una queja por escrito y firmada si cree que el programa no cumplió una norma, dentro del año siguiente al incumplimiento.",
    ),
    (
        "what a state complaint contains (303.434(b))",
        "The complaint says what rule was broken and the facts, with the name and contact information of whoever files it; about one child, it also gives the child's name and address, the program, the problem and a way it could be solved.",
        "La queja debe decir qué norma no se cumplió y los hechos, con el nombre y los datos de contacto de quien la presenta; si es sobre un niño o niña en particular, también el nombre y la dirección del niño o niña, el programa, el problema y una manera de resolverlo.",
    ),
    (
        "a copy of a state complaint to the provider (303.434(d))",
        "Send a copy to the program at the same time.",
        "Envíe al mismo tiempo una copia al programa.",
    ),
    (
        "a state complaint is decided within 60 days (303.433(a))",
        "The state investigates and decides in writing within 60 days.",
        "El estado investiga y decide por escrito en un plazo de 60 días.",
    ),
    (
        "a due process complaint and its timeline, the state's choice (303.430(d))",
        "You may file a due process complaint, in writing, about your child's identification, evaluation, placement or services. An impartial hearing officer holds a hearing at a time and place convenient for you, and a written decision is given within 45 days.",
        "Puede presentar por escrito una queja de debido proceso sobre la identificación, la evaluación, la ubicación o los servicios de su niño o niña. Un funcionario de audiencias imparcial celebra una audiencia en un momento y lugar convenientes para usted, y se da una decisión por escrito en un plazo de 45 días.",
    ),
    (
        "where to file a due process complaint (the program's setting)",
        "To file one, write to: Office of Due Process, 3 Capitol Avenue, Hartford",
        "Para presentarla, escriba a: Oficina de Debido Proceso, 3 Capitol Avenue, Hartford",
    ),
    (
        "rights at a hearing (303.436)",
        "You may bring a lawyer and people who know early intervention; present evidence; question, cross-examine and require witnesses to come; keep out any evidence not shown to you at least five days before the hearing; and get a written or electronic transcript of the hearing and the written findings and decision, at no cost.",
        "Puede venir con un abogado y con personas con conocimientos de intervención temprana; presentar pruebas; interrogar y contrainterrogar a testigos y exigir que se presenten; pedir que no se admita ninguna prueba que no se le haya mostrado al menos cinco días antes de la audiencia; y recibir sin costo una transcripción escrita o electrónica de la audiencia, y las conclusiones y la decisión por escrito.",
    ),
    (
        "the child's services during proceedings (303.430(e))",
        "your child keeps receiving the services you consented to, unless you and the program agree otherwise. If the complaint is about your child's first services, your child receives the services not in dispute.",
        "su niño o niña sigue recibiendo los servicios que usted aceptó, salvo que usted y el programa acuerden otra cosa. Si la queja trata de los primeros servicios de su niño o niña, su niño o niña recibe los servicios que no estén en disputa.",
    ),
    (
        "advocacy services (Connecticut procedure)",
        "Advocacy services can help you understand and use these rights: Family Advocates, (860) 555-0177",
        "Los servicios de defensa de las familias pueden ayudarle a entender y ejercer estos derechos: Defensa de las Familias, (860) 555-0177",
    ),
    (
        "where to complain",
        "To ask about your rights or to make a complaint, contact: State Office, 1 Capitol Avenue, Hartford, CT 06106, (860) 555-0199",
        "Para preguntar por sus derechos o presentar una queja, comuníquese con: Oficina del Estado, 1 Capitol Avenue, Hartford, CT 06106, (860) 555-0199",
    ),
];

#[test]
fn every_notice_and_exit_letter_states_each_safeguard_in_english_and_spanish() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    // The state's choices: a due process decision in 45 days (Part B's
    // procedures), offices of its own for mediation and due process, and
    // advocacy services; each in both languages.
    test.edit(
        "records/program.yaml",
        "  complaints: State Office, 1 Capitol Avenue, Hartford, CT 06106, (860) 555-0199\n",
        "  complaints:\n    en: State Office, 1 Capitol Avenue, Hartford, CT 06106, (860) 555-0199\n    es: Oficina del Estado, 1 Capitol Avenue, Hartford, CT 06106, (860) 555-0199\n  \
         policies:\n    due_process_days: 45\n    \
         mediation: {en: 'Mediation Office, 2 Capitol Avenue, Hartford', es: 'Oficina de Mediación, 2 Capitol Avenue, Hartford'}\n    \
         due_process: {en: 'Office of Due Process, 3 Capitol Avenue, Hartford', es: 'Oficina de Debido Proceso, 3 Capitol Avenue, Hartford'}\n    \
         advocacy: {en: 'Family Advocates, (860) 555-0177', es: 'Defensa de las Familias, (860) 555-0177'}\n",
    );
    // One notice of every action, and the exit.
    let actions = [
        "screening",
        "evaluation",
        "eligibility",
        "not-eligible",
        "services",
        "change",
        "refusal",
        "exit",
    ];
    let notices: String = actions
        .iter()
        .filter(|a| **a != "services")
        .map(|a| format!("  - {{action: {a}, date: 2025-01-20, given_on: 2025-01-10, reasons: Because., request: A request.}}\n"))
        .collect();
    test.edit(
        NOTICES,
        "prior_written:\n",
        &format!("prior_written:\n{notices}"),
    );
    common::write_moved_exit(&test, "2025-06-30", "2025-06-16");
    test.run(&["render", "records"]).assert_status(0);
    let out = test.path("out/case-a");
    let mut papers: Vec<String> = actions
        .iter()
        .map(|a| {
            let date = match *a {
                "services" => "2025-02-10",
                "exit" => "2025-06-30",
                _ => "2025-01-20",
            };
            format!("notice-{date}-{a}")
        })
        .collect();
    papers.push("exit-letter".into());
    for paper in &papers {
        for lang in ["en", "es"] {
            let file = out.join(format!("{paper}-{lang}.pdf"));
            let text = common::without_page_footers(&pdf_text(&file), "case-a");
            let heading = match lang {
                "en" => "Your rights (procedural safeguards)",
                _ => "Sus derechos (garantías procesales)",
            };
            let rights = (text.split_once(heading))
                .map(|(_, rights)| rights)
                .unwrap_or_else(|| panic!("{paper}-{lang} has no rights section:\n{text}"));
            for element in SAFEGUARDS {
                let phrase = if lang == "en" { element.1 } else { element.2 };
                assert!(
                    rights.contains(phrase),
                    "{paper}-{lang} does not state {}: lacks {phrase:?}\n{rights}",
                    element.0
                );
            }
        }
    }
}

#[test]
fn a_connecticut_family_found_eligible_chooses_among_the_programs_of_its_area() {
    const CASE: &str = "records/ct-2026-0031/case.yaml";
    let test = Test::samples();
    test.run(&["render", "records/ct-2026-0031"])
        .assert_status(0);
    let notice = test.pdf_text("out/ct-2026-0031/notice-2026-02-02-eligibility.pdf");
    assert!(
        notice.contains(
            "Choosing your programYou may choose which Birth to Three program serves Jayden Pruitt. These programs serve your area: \
             • River Valley Family Services, Norwich, (860) 555-0142 • Thames Early Learning Partners, New London, (860) 555-0188 \
             • Quinebaug Family Connections, Danielson, (860) 555-0193 Tell your service coordinator which you choose. If you choose \
             another program, it assigns you a service coordinator of its own, and we send it your records with your consent."
        ),
        "{notice}"
    );
    let rule = |test: &Test| common::findings_of(test, "2026-11-23", &["program-choice"]);
    assert_eq!(rule(&test), Vec::<String>::new());
    let choice = "program_choice: {chosen_on: 2026-02-05, program: River Valley Family Services}\n";
    test.edit(CASE, choice, "");
    assert_eq!(
        rule(&test),
        [
            "records/ct-2026-0031/plan.yaml:5:5: warning[program-choice]: the initial plan meeting of February 20, 2026 is \
             recorded, but not the program the family chose among those of its area (River Valley Family Services, Norwich, \
             (860) 555-0142; Thames Early Learning Partners, New London, (860) 555-0188; Quinebaug Family Connections, \
             Danielson, (860) 555-0193); record it in case.yaml as `program_choice` (`chosen_on`, `program`)"
        ]
    );
    test.edit(
        CASE,
        "eligibility_date: 2026-02-02\n",
        "eligibility_date: 2026-02-02\nprogram_choice: {chosen_on: 2026-02-01, program: River Valley Family Services}\n",
    );
    assert_eq!(
        rule(&test),
        [
            "records/ct-2026-0031/case.yaml:26:18: warning[program-choice]: the family chose River Valley Family Services on \
             February 1, 2026, before the finding of eligibility of February 2, 2026; the family chooses once told of the \
             programs of its area, after the finding"
        ]
    );
    test.edit(CASE, "chosen_on: 2026-02-01", "chosen_on: 2026-02-21");
    assert_eq!(
        rule(&test),
        [
            "records/ct-2026-0031/plan.yaml:5:5: warning[program-choice]: the initial plan meeting of February 20, 2026 came \
             before the family chose its program on February 21, 2026; the family chooses among the programs of its area \
             before its plan is written"
        ]
    );
    // A child outside Part C owes no choice among Birth to Three programs.
    test.edit(CASE, "part_c: true\n", "part_c: false\n");
    test.edit(
        CASE,
        "program_choice: {chosen_on: 2026-02-21, program: River Valley Family Services}\n",
        "",
    );
    assert_eq!(rule(&test), Vec::<String>::new());
    test.edit(CASE, "part_c: false\n", "part_c: true\n");
    test.edit(
        CASE,
        "eligibility_date: 2026-02-02\n",
        "eligibility_date: 2026-02-02\nprogram_choice: {chosen_on: 2026-02-21, program: River Valley Family Services}\n",
    );
    // The finding's day and the meeting's day are both in time.
    for on in ["2026-02-02", "2026-02-20"] {
        test.edit(CASE, "chosen_on: 2026-02-21", &format!("chosen_on: {on}"));
        assert_eq!(rule(&test), Vec::<String>::new(), "{on}");
        test.edit(CASE, &format!("chosen_on: {on}"), "chosen_on: 2026-02-21");
    }
    // A program that lists no programs of its area asks for no choice.
    test.edit(
        CASE,
        "program_choice: {chosen_on: 2026-02-21, program: River Valley Family Services}\n",
        "",
    );
    test.edit(
        "records/program.yaml",
        "  area_programs:\n    - River Valley Family Services, Norwich, (860) 555-0142\n    - Thames Early Learning Partners, New London, (860) 555-0188\n    - Quinebaug Family Connections, Danielson, (860) 555-0193\n",
        "",
    );
    assert_eq!(rule(&test), Vec::<String>::new());
}
