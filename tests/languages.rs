//! Each parent's language: a family whose parents read different languages
//! gets every family paper in each, named by its language; text the family
//! reads can be given in each language, and `validate` names what a
//! document's language lacks.

use crate::common;

use std::fs;

use common::Test;

const CASE: &str = "records/case-a/case.yaml";
const PLAN: &str = "records/case-a/plan.yaml";

#[test]
fn a_family_with_a_spanish_reading_father_gets_each_paper_in_both_languages() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let es = test.pdf_text("out/vt-2026-0077/notice-2026-09-22-services-es.pdf");
    for expected in [
        "Aviso previo por escrito",
        "Para: Marc Lachance",
        "Fisioterapia: 2 veces por mes",
        "Julie Lachance (madre), Marc Lachance (padre)",
        "Julie dio su consentimiento ese día",
        "Estos son sus derechos en CIS Early Intervention",
    ] {
        assert!(es.contains(expected), "lacks {expected:?}\n{es}");
    }
    assert!(!es.contains("Julie consented that day"), "{es}");
    let en = test.pdf_text("out/vt-2026-0077/notice-2026-09-22-services-en.pdf");
    for expected in [
        "Prior Written Notice",
        "To: Julie Lachance",
        "Physical therapy: 2 per month",
        "Julie Lachance (mother), Marc Lachance (father)",
        "Julie consented that day",
    ] {
        assert!(en.contains(expected), "lacks {expected:?}\n{en}");
    }
    assert!(!en.contains("Fisioterapia"), "{en}");
    let plan = test.pdf_text("out/vt-2026-0077/plan-2026-09-15-es.pdf");
    for expected in [
        "Owen cruzará la sala caminando para alcanzar sus juguetes.",
        "Dejar que Owen empuje su carrito por la cocina.",
        "Firmado por Marc Lachance (padre) el 15 de septiembre de 2026, en papel.",
        "Ana Ruiz (intérprete de español)",
    ] {
        assert!(plan.contains(expected), "lacks {expected:?}\n{plan}");
    }
    let invite = test.pdf_text("out/vt-2026-0077/meeting-notice-2026-09-15-es.pdf");
    assert!(
        invite.contains("Tessa Quinn (coordinadora principal de servicios)"),
        "{invite}"
    );
    assert!(!invite.contains("(mother)"), "{invite}");
    // The contact sheet is the program's own log: once, in the case's language.
    let out = test.path("out/vt-2026-0077");
    assert!(out.join("contacts.pdf").is_file());
    assert!(!out.join("contacts-es.pdf").exists());
    assert!(!out.join("plan-2026-09-15.pdf").exists());
    // The other families read one language: their papers keep plain names.
    assert!(test.path("out/ct-2026-0058/outcomes.pdf").is_file());
    // A copy named by its language is verified like any other.
    for pdf in ["outcomes-es", "plan-2026-09-15-en"] {
        let run = test.run(&["verify", &format!("out/vt-2026-0077/{pdf}.pdf"), "records"]);
        run.assert_status(0);
        assert!(
            run.stdout.contains(&format!(
                "matches the current records: case vt-2026-0077, {pdf}, fingerprint"
            )),
            "{}",
            run.stdout
        );
    }
    // A word of the Spanish copies: the Spanish services grid no longer
    // matches; the English one, and the Spanish outcomes page, which does
    // not print it, still do.
    test.edit(
        "records/vt-2026-0077/plan.yaml",
        "es: Fisioterapia",
        "es: Terapia física",
    );
    let run = test.run(&["verify", "out/vt-2026-0077/services-grid-es.pdf", "records"]);
    run.assert_status(1);
    assert!(
        run.stdout.contains("does not match the current records")
            && run
                .stdout
                .ends_with(":\n  vt-2026-0077/plan.yaml changed\n"),
        "{}",
        run.stdout
    );
    for same in ["services-grid-en", "outcomes-es"] {
        test.run(&["verify", &format!("out/vt-2026-0077/{same}.pdf"), "records"])
            .assert_status(0);
    }
}

#[test]
fn validate_names_each_element_a_parents_language_lacks_and_it_still_renders() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    let run = test.run(&["validate", "records"]);
    run.assert_status(0).stderr_has(
        "records/case-a/plan.yaml:19:5: notice[untranslated]: `plan.outcomes[0].outcome` is written \
         once, so it is taken to be in English, the case's language, and the family's Spanish papers \
         print it as written; give it in each language, for example {en: ..., es: ...} (text written \
         once in another language than the case's is marked with that language's code, for example \
         {es: ...})",
    );
    run.stderr_has("records/case-a/case.yaml:12:5: notice[untranslated]: `case.family[0].relationship` is written once");
    run.stderr_has("`plan.services[0].service` is written once");
    run.stderr_has("`plan.consents[0].description` is written once");
    // The father's own relationship is given in English only too.
    run.stderr_has("`case.family[1].relationship` is written once");
    // So is what the program file gives once: the coordinator's credential
    // and where to take a complaint.
    run.stderr_has(
        "records/program.yaml:8:3: notice[untranslated]: `program.program.complaints` is written once, so it is \
         taken to be in English (the program file's `language`), and the Spanish papers of case case-a print it in \
         English; give it in each language, for example {en: ..., es: ...}",
    );
    run.stderr_has("`program.staff[0].credential` is written once");

    // Given in both, the notice goes; given in Spanish only, the English
    // papers are the ones that lack it.
    test.edit(
        PLAN,
        "    outcome: Ada will walk across the kitchen.\n",
        "    outcome:\n      en: Ada will walk across the kitchen.\n      es: Ada cruzará la cocina caminando.\n",
    );
    test.edit(
        PLAN,
        "    service: Developmental intervention\n",
        "    service: {es: Intervención del desarrollo}\n",
    );
    let run = test.run(&["validate", "records"]);
    assert!(
        !run.stderr.contains("plan.outcomes[0].outcome"),
        "{}",
        run.stderr
    );
    run.assert_status(0).stderr_has(
        "`plan.services[0].service` has no English text, so the family's English papers print it in Spanish",
    );
    test.run(&["render", "records"]).assert_status(0);
    let es = test.pdf_text("out/case-a/outcomes-es.pdf");
    assert!(es.contains("Ada cruzará la cocina caminando."), "{es}");
    let en = test.pdf_text("out/case-a/outcomes-en.pdf");
    assert!(en.contains("Ada will walk across the kitchen."), "{en}");
    let grid = test.pdf_text("out/case-a/services-grid-es.pdf");
    assert!(grid.contains("Intervención del desarrollo"), "{grid}");
    // Printed as written where English is not given.
    let grid = test.pdf_text("out/case-a/services-grid-en.pdf");
    assert!(grid.contains("Intervención del desarrollo"), "{grid}");
    assert!(!test.path("out/case-a/outcomes.pdf").exists());
}

#[test]
fn a_parent_reading_a_language_without_translations_is_an_error_at_its_line() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    test.edit(CASE, "    reads: es\n", "    reads: fr\n");
    let run = test.run(&["validate", "records"]);
    // Only the error: no notice speaks of papers in a language they are not made in.
    assert!(!run.stderr.contains("`fr` text"), "{}", run.stderr);
    run.assert_status(1).stderr_has(
        "records/case-a/case.yaml:20:5: error[unknown-language]: the documents cannot be written \
         in `fr` yet; the languages are en, es (a program adds one with templates/i18n/fr.yaml)",
    );
}

#[test]
fn text_by_language_written_wrongly_says_what_right_looks_like() {
    let test = Test::fixture("minimal");
    for (wrong, expected) in [
        (
            "{Spanish: madre}",
            "`case.family[0].relationship` gives text for `Spanish`, which is not a language \
             code; use two-letter codes such as en (English) and es (Spanish), for example {es: \
             madre, en: mother}",
        ),
        (
            "{es: ''}",
            "`case.family[0].relationship.es` has no text; write it as plain text, or in each \
             language as codes and text, for example {es: madre, en: mother}",
        ),
        ("", "`case.family[0].relationship` is empty; fill it in"),
        ("''", "`case.family[0].relationship` is empty; fill it in"),
        (
            "[mother]",
            "`case.family[0].relationship` is `[\"mother\"]`, which is not text; write it as plain",
        ),
    ] {
        let before = test.read(CASE);
        test.edit(
            CASE,
            "relationship: mother",
            &format!("relationship: {wrong}"),
        );
        let run = test.run(&["validate", "records"]);
        run.assert_status(1).stderr_has(expected);
        fs::write(test.path(CASE), before).unwrap();
    }
}

#[test]
fn the_spanish_draft_band_speaks_of_one_signer_or_several() {
    let test = Test::samples();
    let transition = "records/ct-2026-0058/transition.yaml";
    let text = test.read(transition);
    // Lucía's signature owed as well as Andrés's.
    let both = text.replacen("signed_on: 2026-11-10, method: paper}", "}", 1);
    assert_ne!(
        both, text,
        "the sample's first transition signature is given"
    );
    fs::write(test.path(transition), both).unwrap();
    test.run(&["render", "records", "--only", "transition"])
        .assert_status(0);
    let pdf = test.pdf_text("out/ct-2026-0058/transition.pdf");
    assert!(
        pdf.contains("BORRADOR: no es definitivo hasta que lo firmen Lucía Ortega (madre); Andrés Ramírez (padre)"),
        "{pdf}"
    );
}

#[test]
fn text_printed_in_another_language_is_set_in_its_own() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    test.run(&["render", "records", "--only", "outcomes", "--emit", "typst"])
        .assert_status(0);
    // The Spanish copy prints the English outcome, set as English (its line
    // breaking and the PDF's language tag); the English copy as it is.
    // (The body is handed to Typst as one string: its quotes escaped once
    // more.)
    let es = test.read("out/case-a/outcomes-es.typ");
    assert!(
        es.contains("#text(lang: \\\"en\\\", \\\"Ada will walk across the kitchen.\\\");"),
        "{es}"
    );
    let en = test.read("out/case-a/outcomes-en.typ");
    assert!(!en.contains("#text(lang:"), "{en}");
    let pdf = test.pdf_text("out/case-a/outcomes-es.pdf");
    assert!(
        pdf.contains("Resultado 1: Ada will walk across the kitchen."),
        "{pdf}"
    );
    assert!(
        !pdf.contains(['\u{E000}', '\u{E001}', '\u{E002}']),
        "a language mark reached the page: {pdf}"
    );
    // The PDF's metadata has no marks either.
    let bytes = std::fs::read(test.path("out/case-a/outcomes-es.pdf")).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains('\u{E000}'));
}

#[test]
fn render_final_refuses_every_copy_of_an_unsigned_document_and_says_so_once() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    common::unsign_consent(&test);
    let run = test.run(&["render", "records", "--final"]);
    run.assert_status(1)
        .stderr_has(
            "records/case-a/plan.yaml:50:9: error[signature-owed]: consent-2025-02-03-initiation is not \
             signed by Bea Test (parent) yet",
        )
        .stderr_has("not rendered because signatures are still owed (--final): 1 signature");
    assert_eq!(
        run.stderr.matches("error[signature-owed]").count(),
        1,
        "{}",
        run.stderr
    );
    for copy in ["en", "es"] {
        let pdf = format!("out/case-a/consent-2025-02-03-initiation-{copy}.pdf");
        assert!(!test.path(&pdf).exists(), "{pdf}");
    }
    assert!(test.path("out/case-a/outcomes-es.pdf").is_file());
}

/// A plan meeting's participants and revised assessment are named at their
/// own place in plan.yaml, also when a review file's meeting comes between
/// (a review's own text is the review file's).
#[test]
fn a_plan_meetings_text_lacking_a_language_is_named_at_its_line_after_a_review() {
    let test = Test::fixture("minimal");
    common::with_spanish_reader(&test);
    test.write(
        "records/case-a/review-2025-05-01.yaml",
        "kind: review\nversion: 1\ndate: 2025-05-01\ntype: six-month-review\n\
         participants: [{en: Bea Test (mother), es: Bea Test (madre)}]\n\
         progress:\n  - outcome: 1\n    note: {en: Stands alone., es: Se para sola.}\n",
    );
    test.edit(
        PLAN,
        "    type: initial\n",
        "    type: initial\n  - date: 2025-08-04\n    type: change\n    participants: [Bea Test (mother)]\n",
    );
    let line = test
        .read(PLAN)
        .lines()
        .position(|l| l.contains("participants: [Bea Test (mother)]"))
        .unwrap()
        + 1;
    let run = test.run(&["validate", "records"]);
    run.assert_status(0).stderr_has(&format!(
        "records/case-a/plan.yaml:{line}:20: notice[untranslated]: `plan.meetings[1].participants[0]` is written once"
    ));
    assert!(
        !run.stderr.contains("review-2025-05-01.yaml"),
        "{}",
        run.stderr
    );
}

/// Words of English that no Spanish sentence uses: one of them in a
/// Spanish paper is English text.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "with",
    "for",
    "your",
    "you",
    "is",
    "are",
    "be",
    "will",
    "by",
    "on",
    "at",
    "this",
    "that",
    "from",
    "until",
    "phone",
    "service",
    "services",
    "therapy",
    "support",
    "family",
    "home",
    "coordinator",
    "specialist",
    "mother",
    "father",
    "english",
    "spanish",
    "consent",
    "notice",
    "meeting",
    "signed",
    "date",
    "page",
    "record",
    "version",
    "draft",
    "not",
    "fingerprint",
    "bilingual",
    "physical",
    "office",
    "rights",
    "who",
    "helps",
    "funding",
    "part",
    "outcome",
    "outcomes",
    "plan's",
    "child",
    "months",
    "week",
    "month",
    "minutes",
    "through",
    "interpreter",
    "visit",
];

/// The names a Spanish paper prints as they are: people, the program, its
/// address, the agencies and the state's programs.
const NAMES: &[&str] = &[
    "River Valley Family Services",
    "214 Mill Pond Road, Suite 3",
    "Connecticut River Therapy",
    "Vermont Family Network",
    "Children's Integrated Services",
    "CIS Early Intervention",
    "280 State Drive",
    "One Plan",
    "families@rivervalley.example",
];

#[test]
fn the_spanish_copies_of_the_bilingual_family_hold_no_english_but_names() {
    let test = Test::samples();
    // Everything the family reads is given in Spanish too: no notice.
    let run = test.run(&["validate", "records"]);
    run.assert_status(0);
    assert!(!run.stderr.contains("untranslated"), "{}", run.stderr);
    test.run(&["render", "records/vt-2026-0077"])
        .assert_status(0);
    let mut kinds = std::collections::BTreeSet::new();
    for entry in fs::read_dir(test.path("out/vt-2026-0077")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix("-es.pdf") else {
            continue;
        };
        kinds.insert(stem.split('-').next().unwrap().to_string());
        let mut text = test.pdf_text(&format!("out/vt-2026-0077/{name}"));
        for name in NAMES {
            text = text.replace(name, " ");
        }
        // A word with a digit (a fingerprint, a date's day) is no word.
        let english: Vec<&str> = (text.split_whitespace())
            .filter(|token| !token.chars().any(|c| c.is_ascii_digit()))
            .flat_map(|token| token.split(|c: char| !(c.is_alphabetic() || c == '\'')))
            .filter(|word| ENGLISH.contains(&word.to_lowercase().as_str()))
            .collect();
        assert!(
            english.is_empty(),
            "{name} holds English {english:?}:\n{text}"
        );
    }
    // Every kind of paper the family gets.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "consent", "meeting", "notice", "outcomes", "plan", "services"
        ]
    );

    // Text written once in English on this English-and-Spanish case: named,
    // with why, and how to mark it.
    test.edit(
        "records/vt-2026-0077/plan.yaml",
        "      - {en: Ruth Abenaki (physical therapist), es: Ruth Abenaki (fisioterapeuta)}",
        "      - Ruth Abenaki (physical therapist)",
    );
    test.run(&["validate", "records"]).assert_status(0).stderr_has(
        "records/vt-2026-0077/plan.yaml:69:9: notice[untranslated]: `plan.outcomes[0].who_helps[1]` is written once, \
         so it is taken to be in English, the case's language, and the family's Spanish papers print it as written; \
         give it in each language, for example {en: ..., es: ...} (text written once in another language than the \
         case's is marked with that language's code, for example {es: ...})",
    );
    // The program file's text: named at its line, for the case whose
    // papers print it.
    test.edit(
        "records/program.yaml",
        "{en: \"M.S., Family Support Specialist\", es: \"M.S., especialista en apoyo familiar\"}",
        "M.S., Family Support Specialist",
    );
    test.run(&["validate", "records"]).assert_status(0).stderr_has(
        "notice[untranslated]: `program.staff[3].credential` is written once, so it is taken to be in English (the \
         program file's `language`), and the Spanish papers of case vt-2026-0077 print it in English; give it in \
         each language, for example {en: ..., es: ...}",
    );
}
