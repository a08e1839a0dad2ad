//! `casepaper render`: the PDFs a coordinator gets, read back as text.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Test, files, normalize};

/// Every document the sample case vt-2026-0042 makes.
const VT_2026_0042: [&str; 7] = [
    "consent-2026-03-10-evaluation.pdf",
    "consent-2026-03-16-initiation.pdf",
    "contacts.pdf",
    "exit-letter.pdf",
    "outcomes.pdf",
    "plan-2026-03-16.pdf",
    "services-grid.pdf",
];

fn pdfs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".pdf"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn sample_records_render_every_document_and_leave_records_untouched() {
    let test = Test::samples();
    let before = files(&test.path("records"));
    let run = test.run(&["render", "records"]);
    run.assert_status(0)
        .stderr_has("rendered 94 documents for 7 cases into out");
    assert_eq!(
        before,
        files(&test.path("records")),
        "render wrote under records/"
    );
    for (case, expected) in [
        (
            "ct-2025-0117",
            &[
                "consent-2025-10-09-evaluation.pdf",
                "consent-2025-11-14-initiation.pdf",
                "consent-2026-05-12-change.pdf",
                "consent-2026-07-21-release.pdf",
                "consent-2026-11-10-continuation.pdf",
                "contacts.pdf",
                "exit-letter.pdf",
                "meeting-notice-2025-11-14.pdf",
                "meeting-notice-2026-05-12.pdf",
                "meeting-notice-2026-07-21.pdf",
                "meeting-notice-2026-11-10.pdf",
                "notice-2025-10-27-eligibility.pdf",
                "notice-2025-10-27-evaluation.pdf",
                "notice-2025-11-20-services.pdf",
                "notice-2026-05-12-change.pdf",
                "notice-2026-12-07-exit.pdf",
                "outcomes.pdf",
                "plan-2025-11-14.pdf",
                "plan-2026-05-12.pdf",
                "plan-2026-11-10.pdf",
                "record-of-access.pdf",
                "services-grid.pdf",
                "transition.pdf",
            ][..],
        ),
        (
            "ct-2026-0031",
            &[
                "consent-2026-02-02-evaluation.pdf",
                "consent-2026-02-20-initiation.pdf",
                "contacts.pdf",
                "exit-letter.pdf",
                "meeting-notice-2026-02-20.pdf",
                "notice-2026-02-02-eligibility.pdf",
                "notice-2026-02-02-evaluation.pdf",
                "notice-2026-02-27-services.pdf",
                "notice-2026-06-30-exit.pdf",
                "outcomes.pdf",
                "plan-2026-02-20.pdf",
                "public-benefits-notice-2026-02-20.pdf",
                "services-grid.pdf",
            ][..],
        ),
        (
            "ct-2026-0058",
            &[
                "consent-2026-03-27-evaluation.pdf",
                "consent-2026-04-10-initiation.pdf",
                "consent-2026-09-10-release.pdf",
                "consent-2026-10-09-continuation.pdf",
                "contacts.pdf",
                "meeting-notice-2026-04-10.pdf",
                "meeting-notice-2026-10-09.pdf",
                "meeting-notice-2026-11-10.pdf",
                "notice-2026-03-27-eligibility.pdf",
                "notice-2026-03-27-evaluation.pdf",
                "notice-2026-04-17-services.pdf",
                "outcomes.pdf",
                "plan-2026-04-10.pdf",
                "plan-2026-10-09.pdf",
                "public-benefits-notice-2026-04-10.pdf",
                "record-of-access.pdf",
                "services-grid.pdf",
                "transition.pdf",
            ][..],
        ),
        (
            "ct-2026-0102",
            &[
                "consent-2026-10-20-evaluation.pdf",
                "contacts.pdf",
                "notice-2026-11-02-evaluation.pdf",
                "notice-2026-11-02-not-eligible.pdf",
            ][..],
        ),
        (
            "vt-2026-0019",
            &[
                "consent-2026-02-24-initiation.pdf",
                "contacts.pdf",
                "exit-letter.pdf",
                "outcomes.pdf",
                "plan-2026-02-24.pdf",
                "plan-2026-07-28.pdf",
                "public-benefits-notice-2026-02-24.pdf",
                "record-of-access.pdf",
                "services-grid.pdf",
                "transition.pdf",
            ][..],
        ),
        ("vt-2026-0042", &VT_2026_0042[..]),
        (
            "vt-2026-0077",
            // The father reads Spanish: each paper for the family in both.
            &[
                "consent-2026-08-20-evaluation-en.pdf",
                "consent-2026-08-20-evaluation-es.pdf",
                "consent-2026-09-15-initiation-en.pdf",
                "consent-2026-09-15-initiation-es.pdf",
                "contacts.pdf",
                "meeting-notice-2026-09-15-en.pdf",
                "meeting-notice-2026-09-15-es.pdf",
                "notice-2026-09-01-eligibility-en.pdf",
                "notice-2026-09-01-eligibility-es.pdf",
                "notice-2026-09-01-evaluation-en.pdf",
                "notice-2026-09-01-evaluation-es.pdf",
                "notice-2026-09-22-services-en.pdf",
                "notice-2026-09-22-services-es.pdf",
                "outcomes-en.pdf",
                "outcomes-es.pdf",
                "plan-2026-09-15-en.pdf",
                "plan-2026-09-15-es.pdf",
                "services-grid-en.pdf",
                "services-grid-es.pdf",
            ][..],
        ),
    ] {
        assert_eq!(
            pdfs_in(&test.path(&format!("out/{case}"))),
            expected,
            "{case}"
        );
    }
}

#[test]
fn a_bad_case_is_reported_and_the_others_still_render() {
    let test = Test::samples();
    test.edit(
        "records/vt-2026-0042/plan.yaml",
        "    minutes: 60\n",
        "    minutes: an hour\n",
    );
    let run = test.run(&["render", "records"]);
    run.assert_status(1)
        .stderr_has("records/vt-2026-0042/plan.yaml:")
        .stderr_has("error[wrong-type]")
        .stderr_has("rendered 89 documents for 6 cases into out")
        .stderr_has(
            "rendered only the documents made of files without errors, the others wait for the \
             errors above: records/vt-2026-0042",
        );
    // Of the case with a plan in error, what reads neither the plan nor
    // its reviews: the contact sheet and the exit letter.
    assert_eq!(
        pdfs_in(&test.path("out/vt-2026-0042")),
        ["contacts.pdf", "exit-letter.pdf"]
    );
    assert_eq!(pdfs_in(&test.path("out/ct-2025-0117")).len(), 23);

    // Once the plan is mended the case's other documents are made, and
    // its earlier ones are kept meanwhile (none taken for stale).
    test.edit(
        "records/vt-2026-0042/plan.yaml",
        "    minutes: an hour\n",
        "    minutes: 60\n",
    );
    test.edit(
        "records/vt-2026-0042/contacts.yaml",
        "    start_time: \"18:30\"\n",
        "    start_time: half past six\n",
    );
    let run = test.run(&["render", "records"]);
    run.assert_status(1).stderr_has(
        "rendered only the documents made of files without errors, the others wait for the \
         errors above: records/vt-2026-0042",
    );
    assert_eq!(pdfs_in(&test.path("out/vt-2026-0042")), VT_2026_0042);
}

#[test]
fn only_renders_the_documents_named() {
    let test = Test::fixture("minimal");
    test.run(&["render", "records", "--only", "consent,contacts"])
        .assert_status(0);
    assert_eq!(
        pdfs_in(&test.path("out/case-a")),
        ["consent-2025-02-03-initiation.pdf", "contacts.pdf"]
    );
    test.run(&["render", "records", "--only", "letters"])
        .assert_status(2)
        .stderr_has("--only: `letters` is not a document; the documents are plan, consent, services-grid, outcomes, contacts, transition, exit-letter");
}

#[test]
fn emit_typst_writes_the_source_beside_the_pdf() {
    let test = Test::fixture("minimal");
    test.run(&[
        "render", "records", "--only", "outcomes", "--emit", "typst", "--out", "paper",
    ])
    .assert_status(0);
    // What Typst is handed: the page setup as the template wrote it, then
    // the body as one string given to `document-body`, in which a record's
    // value is still the escaped string literal the template wrote.
    let source = test.read("paper/case-a/outcomes.typ");
    let (setup, body) = source.split_once("#document-body(\"\n").expect(&source);
    assert!(setup.contains("#show: paper.with("), "{setup}");
    assert!(
        body.contains("#\\\"Ada will walk across the kitchen.\\\";"),
        "{body}"
    );
    assert!(body.ends_with("\")\n"), "{body}");
    assert!(test.path("paper/case-a/outcomes.pdf").is_file());
}

#[test]
fn an_error_in_a_templates_body_is_named_at_the_line_the_template_wrote() {
    let test = Test::fixture("minimal");
    test.write(
        "templates/outcomes.typ.j2",
        "{% import \"partials.typ.j2\" as p -%}\n{{ p.page_start(ctx, \"Ours\") }}\n\n\
         First line for {{ ctx.client_name }}.\n#nosuchfunction()\n",
    );
    let run = test.run(&["render", "records", "--only", "outcomes", "--emit", "typst"]);
    run.assert_status(1).stderr_has(
        "error: out/case-a/outcomes.pdf of case case-a was not rendered:\n\
         error: unknown variable: nosuchfunction\n   \
         ┌─ generated document (see --emit typst):21:1\n   │\n\
         21 │ #nosuchfunction()\n   │  ^^^^^^^^^^^^^^\n",
    );
    // Line 21 of what Typst was handed, inside the body's string.
    let source = test.read("out/case-a/outcomes.typ");
    assert_eq!(
        source.lines().nth(20),
        Some("#nosuchfunction()\")"),
        "{source}"
    );
    assert!(source.contains("#document-body(\"\n"), "{source}");
}

#[test]
fn an_owed_signature_gets_blank_lines_and_a_draft_mark() {
    let test = Test::fixture("minimal");
    common::unsign_consent(&test);
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/consent-2025-02-03-initiation.pdf");
    for expected in [
        "DRAFT: not final until signed by Bea Test (mother)",
        "Name (mother): Bea Test Signature Date",
        "Signed by Cora Lind (service coordinator) on February 3, 2025, on paper.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }

    // Once signed, the same form is final: no draft band, no blank lines.
    test.edit(
        "records/case-a/plan.yaml",
        "{role: parent, name: Bea Test}",
        "{role: parent, name: Bea Test, signed_on: 2025-02-04, method: electronic}",
    );
    test.run(&["render", "records", "--only", "consent", "--final"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/consent-2025-02-03-initiation.pdf");
    assert!(!text.contains("DRAFT"), "{text}");
    assert!(!text.contains("Signature Date"), "{text}");
    assert!(
        text.contains("Signed by Bea Test (mother) on February 4, 2025, electronically."),
        "{text}"
    );
}

#[test]
fn render_final_refuses_a_document_with_an_owed_signature() {
    let test = Test::fixture("minimal");
    common::unsign_consent(&test);
    let run = test.run(&["render", "records", "--final"]);
    run.assert_status(1).stderr_has(
        "records/case-a/plan.yaml:50:9: error[signature-owed]: consent-2025-02-03-initiation is not signed by Bea Test (parent) yet; \
         `render --final` makes only fully signed documents",
    );
    run.stderr_has("= element: plan.consents[0].signatures[0]")
        .stderr_has("rendered 6 documents for 1 case into out")
        .stderr_has("not rendered because signatures are still owed (--final): 1 signature");
    assert!(
        !test
            .path("out/case-a/consent-2025-02-03-initiation.pdf")
            .exists()
    );
    assert!(test.path("out/case-a/outcomes.pdf").exists());
}

#[test]
fn output_inside_the_records_folder_is_refused() {
    let test = Test::fixture("minimal");
    test.run(&["render", "records", "--out", "records/out"])
        .assert_status(2)
        .stderr_has("the output folder records/out is inside the records folder records");
    assert!(!test.path("records/out").exists());
}

/// Record text that would be markup or code if it were pasted into Typst or
/// the template unescaped. Each must print as itself.
const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "*Doe* $x$ @ref <l> // /* \\",
    "]#panic()[",
    "#include \"casepaper.typ\"",
    "#import \"/etc\": *",
    "{{ 7 * 7 }} {% if true %}yes{% endif %}",
    "= Not a heading",
    "- not a list",
    "\"quoted\" 'single' -- dash ... ~tilde",
    "back\\slash at the end\\",
    "_under_ `raw` <b>html</b> &amp;",
];

/// The printed text, without the zero-width spaces that let long words
/// break.
fn printed(text: &str) -> String {
    text.replace('\u{200b}', "")
}

#[test]
fn a_word_longer_than_a_line_or_a_page_wraps_and_prints_whole() {
    let test = Test::fixture("minimal");
    let short = "A".repeat(10_000);
    let long = "B".repeat(100_000);
    test.edit(
        "records/case-a/contacts.yaml",
        "    summary: Check-in call.",
        &format!("    summary: Called {short} to schedule"),
    );
    test.edit(
        "records/case-a/case.yaml",
        "  name: Ada Test",
        &format!("  name: Ada {long}"),
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records", "--only", "contacts"])
        .assert_status(0);
    let text = printed(&test.pdf_text("out/case-a/contacts.pdf"));
    // Each word whole, wrapped across lines and pages: every letter of it
    // printed (the pages' footers come between its pages in the text).
    assert_eq!(
        letters_in_runs(&text, 'A'),
        10_000,
        "the 10,000 in a contact"
    );
    assert_eq!(
        letters_in_runs(&text, 'B'),
        100_000,
        "the 100,000 in the child's name"
    );
}

/// How many times `letter` is printed in runs of five or more (white space
/// aside: pdf-extract puts a space where a zero-width space was).
fn letters_in_runs(text: &str, letter: char) -> usize {
    let squeezed: String = text.split_whitespace().collect();
    squeezed
        .split(|c| c != letter)
        .map(str::len)
        .filter(|&n| n >= 5)
        .sum()
}

#[test]
fn a_program_name_longer_than_a_pdf_field_renders_and_the_field_is_cut() {
    let test = Test::fixture("minimal");
    let name = "Family Services ".repeat(3000);
    let program = test.read("records/program.yaml");
    let line = program
        .lines()
        .find(|l| l.trim_start().starts_with("name:"))
        .unwrap();
    test.edit(
        "records/program.yaml",
        line,
        &format!("  name: {}", name.trim_end()),
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records", "--only", "contacts"])
        .assert_status(0);
    // Whole on the page, over many: every one of its 3,000 pairs of words
    // (pdf-extract may drop the space where a line breaks, and the pages'
    // footers come between its pages).
    let text = test.pdf_text("out/case-a/contacts.pdf");
    let squeezed: String = text.split_whitespace().collect();
    assert_eq!(squeezed.matches("FamilyServices").count(), 3000);
    let pdf = std::fs::read(test.path("out/case-a/contacts.pdf")).unwrap();
    let pdf = String::from_utf8_lossy(&pdf);
    assert!(
        !pdf.contains(&"Family Services ".repeat(300)),
        "the author field holds at most 4,000 characters"
    );
}

#[test]
fn record_text_prints_literally_and_cannot_run_code() {
    for (i, hostile) in HOSTILE.iter().enumerate() {
        let test = Test::fixture("minimal");
        let yaml = serde_json::to_string(hostile).unwrap();
        test.edit(
            "records/case-a/plan.yaml",
            "  concerns: Ada does not yet walk.",
            &format!("  concerns: {yaml}"),
        );
        test.edit(
            "records/case-a/plan.yaml",
            "    outcome: Ada will walk across the kitchen.",
            &format!("    outcome: {yaml}"),
        );
        test.edit(
            "records/case-a/case.yaml",
            "  name: Ada Test",
            &format!("  name: {yaml}"),
        );
        test.run(&["render", "records", "--only", "outcomes"])
            .assert_status(0);
        let text = test.pdf_text("out/case-a/outcomes.pdf");
        let expected = normalize(hostile);
        assert!(
            text.matches(&expected).count() >= 3,
            "case {i}: {hostile:?} did not print literally three times\n--- text\n{text}"
        );
        assert!(!text.contains("root:"), "case {i}: a file was read");
    }
}

#[test]
fn a_templates_folder_beside_the_records_overrides_one_file() {
    let test = Test::fixture("minimal");
    test.write(
        "templates/outcomes.typ.j2",
        "{% import \"partials.typ.j2\" as p -%}\n{{ p.page_start(ctx, \"Ours\") }}\nProgram's own outcomes page for {{ ctx.client_name }}.\n",
    );
    test.run(&["render", "records", "--only", "outcomes,consent"])
        .assert_status(0);
    let outcomes = test.pdf_text("out/case-a/outcomes.pdf");
    assert!(
        outcomes.contains("Program’s own outcomes page for Ada Test."),
        "{outcomes}"
    );
    // The files the folder does not override stay the built-in ones.
    let consent = test.pdf_text("out/case-a/consent-2025-02-03-initiation.pdf");
    assert!(
        consent.contains("Consent for Initiation of Services"),
        "{consent}"
    );
}

#[test]
fn a_programs_own_shared_style_and_a_template_written_without_the_hand_over_still_work() {
    let test = Test::fixture("minimal");
    // The program's own copy of the shared style, one colour changed: the
    // built-in templates' blocks (blocks.typ) work with it.
    let style = include_str!("../templates/casepaper.typ").replace(
        "#let shade = rgb(\"#eeeeee\")",
        "#let shade = rgb(\"#e0f0ff\")",
    );
    test.write("templates/casepaper.typ", &style);
    // A template that writes its own page setup, without the line that
    // hands the body over: compiled as written.
    test.write(
        "templates/outcomes.typ.j2",
        "#import \"casepaper.typ\": *\n#show: paper.with(title: [Ours])\n\
         #table(columns: 2, [Outcome], [{{ ctx.version.outcomes[0].outcome }}])\n",
    );
    test.run(&[
        "render",
        "records",
        "--only",
        "outcomes,consent",
        "--emit",
        "typst",
    ])
    .assert_status(0);
    let outcomes = test.read("out/case-a/outcomes.typ");
    assert!(!outcomes.contains("document-body"), "{outcomes}");
    let text = test.pdf_text("out/case-a/outcomes.pdf");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(
        words.join(" "),
        "Outcome Ada will walk across the kitchen. Page 1 of 1"
    );
    let consent = test.read("out/case-a/consent-2025-02-03-initiation.typ");
    assert!(consent.contains("#document-body(\"\n"), "{consent}");
    let text = test.pdf_text("out/case-a/consent-2025-02-03-initiation.pdf");
    assert!(
        text.contains("Consent for Initiation of Services"),
        "{text}"
    );
}

#[test]
fn templates_cannot_read_files_outside_their_folder() {
    let test = Test::fixture("minimal");
    test.write("secret.txt", "SECRET-OUTSIDE");
    #[cfg(unix)]
    {
        test.write("templates/readme.txt", "inside");
        std::os::unix::fs::symlink(test.path("secret.txt"), test.path("templates/link.txt"))
            .unwrap();
    }
    for target in [
        "/link.txt",
        "../secret.txt",
        "/../secret.txt",
        "../records/program.yaml",
        "/etc/passwd",
    ] {
        test.write("templates/outcomes.typ.j2", &format!("#read({target:?})\n"));
        let run = test.run(&["render", "records", "--only", "outcomes"]);
        run.assert_status(1)
            .stderr_has("out/case-a/outcomes.pdf of case case-a was not rendered");
        assert!(
            !test.path("out/case-a/outcomes.pdf").exists(),
            "{target} was read"
        );
        assert!(
            !run.stderr.contains("SECRET-OUTSIDE") && !run.stderr.contains("root:"),
            "{target}: {}",
            run.stderr
        );
    }
    // The same template reading a file that is inside the folder works.
    test.write(
        "templates/outcomes.typ.j2",
        "#set document(title: [Read])\n#read(\"readme.txt\")\n",
    );
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(0);
}

#[test]
fn the_program_logo_is_read_from_the_records_folder_only() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/program.yaml",
        "  phone: (860) 555-0100\n",
        "  phone: (860) 555-0100\n  logo: {file: art/logo.svg, description: Test Program logo}\n",
    );
    // Named but absent: an error at the element, and the papers print without it.
    let run = test.run(&["render", "records", "--only", "outcomes"]);
    run.assert_status(1)
        .stderr_has("records/program.yaml:8:10: error[unreadable-logo]: `art/logo.svg` cannot be read from the records folder")
        .stderr_has("rendered 1 document for 1 case into out");

    test.write(
        "records/art/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(0);
    // The logo is drawn, with its description as alternative text.
    let pdf = std::fs::read(test.path("out/case-a/outcomes.pdf")).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"/Alt(Test Program logo)"),
        "no alternative text for the logo"
    );

    // A path that climbs out of the records folder is not a logo path at all.
    test.edit(
        "records/program.yaml",
        "file: art/logo.svg",
        "file: ../secret.svg",
    );
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("error[bad-format]: `program.program.logo.file` is `../secret.svg`");

    // Nor may a link inside the folder point outside it.
    #[cfg(unix)]
    {
        test.write("secret.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        std::fs::remove_file(test.path("records/art/logo.svg")).unwrap();
        std::os::unix::fs::symlink(test.path("secret.svg"), test.path("records/art/logo.svg"))
            .unwrap();
        test.edit(
            "records/program.yaml",
            "file: ../secret.svg",
            "file: art/logo.svg",
        );
        test.run(&["validate", "records"])
            .assert_status(1)
            .stderr_has("error[unreadable-logo]: `art/logo.svg` is outside the records folder");
    }
}

/// A transition plan of each kind, for the client it belongs to.
#[test]
fn one_transition_template_serves_every_kind() {
    let transition = |kind: &str| {
        format!(
            "kind: transition\nversion: 1\ntype: {kind}\nwritten_on: 2025-06-01\ntarget_date: 2025-09-01\n\
             steps:\n  - {{step: Call the new program, who: Cora Lind, by: 2025-07-01}}\n\
             receiving:\n  - {{service: Community supports, contact: Ida Ng (860) 555-0111}}\n\
             family_next_steps: Visit in July.\n\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: 2025-06-01, method: paper}}\n"
        )
    };
    for (kind, client, title) in [
        ("beyond-age-six", None, "Transition Plan: Beyond Age Six"),
        (
            "child-care-program",
            Some(
                "client: child-care-program\npart_c: false\nlanguage: en\nchild_care_program: Little Oaks Child Care\n",
            ),
            "Transition Plan: Child Care Program to Community Supports",
        ),
    ] {
        let test = Test::fixture("minimal");
        test.write("records/case-a/transition.yaml", &transition(kind));
        if let Some(client) = client {
            test.splice("records/case-a/case.yaml", "client:", "family:", client);
            // A child care program's plan describes the program, not a
            // child's present levels, and its director gives the consent.
            test.splice(
                "records/case-a/plan.yaml",
                "present_levels:",
                "outcomes:",
                "child_care: {setting: Two toddler rooms and six staff, needs: Calmer transitions}\n",
            );
            // The plan's signer and the consent's.
            for _ in 0..2 {
                test.edit(
                    "records/case-a/plan.yaml",
                    "{role: parent, name: Bea Test,",
                    "{role: director, name: Bea Test,",
                );
            }
        }
        test.run(&["render", "records", "--only", "transition"])
            .assert_status(0);
        let text = test.pdf_text("out/case-a/transition.pdf");
        assert!(text.contains(title), "{kind}: {text}");
        assert!(
            text.contains("Community supports Ida Ng (860) 555-0111"),
            "{text}"
        );
        if client.is_some() {
            assert!(
                text.contains("Child care program Little Oaks Child Care"),
                "{text}"
            );
        }
    }
}

/// The exit letter's text follows the reason.
#[test]
fn the_exit_letter_says_why_services_end() {
    for (reason, extra, expected) in [
        ("completed", "", "reached the outcomes on your plan"),
        (
            "moved",
            "letter_date: 2025-06-30\n",
            "We understand that your family has moved out of the area we serve. Your services with Test \
             Program end on June 30, 2025. We can help you find the early intervention program where you now \
             live: call us at (860) 555-0101.",
        ),
        ("family-choice", "", "no longer wish to receive services"),
        (
            "turned-three",
            "",
            "the age when Birth to Three services end",
        ),
        (
            "other",
            "reason_detail: The program closed its Hartford office.\n",
            "end on June 30, 2025, for this reason: The program closed its Hartford office.",
        ),
        (
            "could-not-reach",
            "attempts:\n  - {date: 2025-06-02, method: phone, detail: No answer.}\n",
            "June 2, 2025 phone call No answer.",
        ),
    ] {
        let test = Test::fixture("minimal");
        let letter = if extra.contains("letter_date") {
            ""
        } else {
            "letter_date: 2025-06-16\n"
        };
        test.write(
            "records/case-a/exit.yaml",
            &format!(
                "kind: exit\nversion: 1\nreason: {reason}\n{extra}exit_date: 2025-06-30\n{letter}\
                 signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: 2025-06-16, method: paper}}\n"
            ),
        );
        test.run(&["render", "records", "--only", "exit-letter"])
            .assert_status(0);
        let text = test.pdf_text("out/case-a/exit-letter.pdf");
        // A child who leaves at three cannot come back; any other may, until three.
        let back = if reason == "turned-three" {
            "Birth to Three services are for children under three, so they cannot start again."
        } else {
            "before your child's third birthday on February 28, 2027"
        };
        for needle in [
            expected,
            "Your rights",
            "To ask about your rights or to make a complaint, contact: State Office, 1 Capitol Avenue",
            back,
        ] {
            assert!(text.contains(needle), "{reason}: lacks {needle:?}\n{text}");
        }
    }
}

/// A "turned three" letter's words follow its date: written before the
/// birthday it says the child turns three then; from the birthday on, that
/// the child has turned three.
#[test]
fn the_turned_three_letter_follows_its_date() {
    let test = Test::fixture("minimal");
    let letter = |test: &Test, letter_date: &str| {
        test.write(
            "records/case-a/exit.yaml",
            &format!(
                "kind: exit\nversion: 1\nreason: turned-three\nexit_date: 2027-02-27\nletter_date: {letter_date}\n\
                 signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: {letter_date}, method: paper}}\n"
            ),
        );
        test.run(&["render", "records", "--only", "exit-letter"])
            .assert_status(0);
        test.pdf_text("out/case-a/exit-letter.pdf")
    };
    let before = letter(&test, "2027-02-27");
    assert!(
        before.contains(
            "Dear Bea Test: Your child turns three on February 28, 2027, the age when Birth to Three services \
             end. Your services with Test Program end on February 27, 2027, the day before."
        ),
        "{before}"
    );
    let after = letter(&test, "2027-02-28");
    assert!(
        after.contains(
            "Dear Bea Test: Your child has turned three, the age when Birth to Three services end. Your services \
             with Test Program end on February 27, 2027."
        ),
        "{after}"
    );
}

/// Every PDF under `dir`, by path relative to it, with its bytes.
fn pdf_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".pdf"))
        .collect()
}

#[test]
fn a_document_that_cannot_be_accessible_is_not_written() {
    let test = Test::fixture("minimal");
    // No title: PDF/UA-1 cannot be met, and the PDF is refused, not downgraded.
    test.write("templates/outcomes.typ.j2", "Untitled page.\n");
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(1)
        .stderr_has("error: PDF/UA-1 error: missing document title");
    assert!(!test.path("out/case-a/outcomes.pdf").exists());
}

#[test]
fn the_same_records_give_byte_identical_pdfs() {
    let test = Test::samples();
    test.run(&["render", "records", "--out", "first"])
        .assert_status(0);
    test.run(&["render", "records", "--out", "second"])
        .assert_status(0);
    let first = pdf_bytes(&test.path("first"));
    let second = pdf_bytes(&test.path("second"));
    assert_eq!(first.len(), 94);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between two renders");
    }
}

#[test]
fn every_sample_pdf_is_archival_accessible_and_described() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let pdfs = pdf_bytes(&test.path("out"));
    assert_eq!(pdfs.len(), 94);
    for (name, bytes) in &pdfs {
        let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        // A copy made in one of several languages is named by it.
        let lang = if name.contains("ct-2026-0058") || name.ends_with("-es.pdf") {
            "es"
        } else {
            "en"
        };
        for needle in [
            // PDF/A-2a and PDF/UA-1, declared in the XMP metadata.
            "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
            // Tagged, with its language, title shown, program as author.
            "/StructTreeRoot",
            "/MarkInfo<</Marked true",
            &format!("/Lang({lang})"),
            "/DisplayDocTitle true",
            "<dc:creator><rdf:Seq><rdf:li>River Valley Family Services</rdf:li>",
            "/Creator(casepaper ",
        ] {
            assert!(has(needle), "{name} lacks {needle:?}");
        }
    }
    // Outside git, the creation date is the newest date in the records the
    // document is made from, not the clock: the transition plan's 10
    // November, not the contact note written on the 11th.
    let transition = &pdfs["ct-2026-0058/transition.pdf"];
    assert!(
        transition
            .windows(b"/CreationDate(D:20261110000000Z)".len())
            .any(|w| w == b"/CreationDate(D:20261110000000Z)")
    );
}

#[test]
fn verify_says_whether_a_pdf_matches_the_records() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let run = test.run(&["verify", "out/ct-2025-0117/contacts.pdf", "records"]);
    run.assert_status(0);
    assert!(
        run.stdout.starts_with(
            "out/ct-2025-0117/contacts.pdf matches the current records: case ct-2025-0117, contacts, fingerprint "
        ),
        "{}",
        run.stdout
    );
    // The footer prints the same fingerprint's first twelve digits.
    let short = run
        .stdout
        .trim_end()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(short.len(), 12);
    assert!(
        test.pdf_text("out/ct-2025-0117/contacts.pdf")
            .contains(&format!("fingerprint {short}")),
        "the footer lacks the fingerprint"
    );

    // One character changed in one note: that case's PDFs no longer match,
    // and verify names the file; another case's still do.
    test.edit(
        "records/ct-2025-0117/contacts.yaml",
        "Intake visit: explained",
        "Intake visit; explained",
    );
    let run = test.run(&["verify", "out/ct-2025-0117/contacts.pdf", "records"]);
    run.assert_status(1);
    assert!(
        run.stdout.contains("does not match the current records")
            && run
                .stdout
                .contains("\n  ct-2025-0117/contacts.yaml changed\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("templates changed"), "{}", run.stdout);
    test.run(&["verify", "out/vt-2026-0042/exit-letter.pdf", "records"])
        .assert_status(0);
    // A note with an error: the exit letter, made of other files, still
    // matches; the contact sheet does not, for the note's file.
    test.edit(
        "records/vt-2026-0042/contacts.yaml",
        "    minutes: 60\n",
        "    minutes: an hour\n",
    );
    test.run(&["verify", "out/vt-2026-0042/exit-letter.pdf", "records"])
        .assert_status(0);
    let run = test.run(&["verify", "out/vt-2026-0042/contacts.pdf", "records"]);
    run.assert_status(1);
    assert_eq!(
        run.stdout,
        "out/vt-2026-0042/contacts.pdf does not match: case vt-2026-0042 makes no document contacts now, \
         or a record it is made from has errors (run casepaper validate)\n"
    );

    test.write("notes.pdf", "%PDF-1.7 not from casepaper");
    test.run(&["verify", "notes.pdf", "records"])
        .assert_status(2)
        .stderr_has("notes.pdf was not made by casepaper: it has no fingerprint in its metadata");
}

#[test]
fn a_family_of_another_state_is_told_its_own_complaint_office() {
    let test = Test::samples();
    test.run(&["render", "records", "--only", "exit-letter"])
        .assert_status(0);
    let vermont = test.pdf_text("out/vt-2026-0042/exit-letter.pdf");
    assert!(
        vermont.contains("To ask about your rights or to make a complaint, contact: Children's Integrated Services, Family Rights Office, 280 State Drive, Waterbury, VT 05671")
            && !vermont.contains("Hartford"),
        "{vermont}"
    );
    let connecticut = test.pdf_text("out/ct-2026-0031/exit-letter.pdf");
    assert!(
        connecticut.contains(
            "To ask about your rights or to make a complaint, contact: State Birth to Three Office"
        ),
        "{connecticut}"
    );
}

/// The transition plan of a Part C child says what its branch of 303.209
/// needs: the notification by a date, as soon as possible, a referral, an
/// opt-out, or none for a child not potentially eligible for Part B.
#[test]
fn the_transition_plan_follows_the_branches_of_the_transition_at_three() {
    let plan = common::part_c_plan;
    let district = "school_district: {name: Hartford Public Schools, contact: Lee Park}\n";
    let render = |test: &Test| {
        test.run(&["render", "records", "--only", "transition", "--force"])
            .assert_status(0);
        test.pdf_text("out/case-a/transition.pdf")
    };
    let notify_by = "Last day to notify the school district and state education agency (90 days before the birthday) November 30, 2026";
    let window =
        "First day for the transition conference (9 months before the birthday) May 28, 2026";

    // Found eligible long before: the dates from the date of birth.
    let test = Test::fixture("minimal");
    test.write("records/case-a/transition.yaml", &plan(district));
    let text = render(&test);
    assert!(text.contains(notify_by) && text.contains(window), "{text}");

    // Not potentially eligible: no notification; other services.
    test.write(
        "records/case-a/transition.yaml",
        &plan("potentially_eligible_part_b: false\n"),
    );
    let text = render(&test);
    assert!(!text.contains("Last day to notify"), "{text}");
    for needle in [
        "Ada Test is not potentially eligible for preschool special education, so the school district is not notified.",
        "With your approval, the program will make reasonable efforts to hold a transition conference with you and the providers of the other services you choose.",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }

    // Found eligible fewer than 90 days before: as soon as possible.
    test.write("records/case-a/transition.yaml", &plan(district));
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-06\neligibility_date: 2026-12-01",
    );
    let text = render(&test);
    assert!(
        !text.contains("Last day to notify")
            && !text.contains("First day for the transition conference"),
        "{text}"
    );
    assert!(
        text.contains(
            "Ada Test was found eligible on December 1, 2026, fewer than 90 days before the third birthday, so the program \
             notifies the school district and the state education agency as soon as possible after that date."
        ),
        "{text}"
    );

    // Referred fewer than 45 days before: a referral with consent (the
    // fixture's notes, from before such a referral, go).
    std::fs::remove_file(test.path("records/case-a/contacts.yaml")).unwrap();
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06\neligibility_date: 2026-12-01",
        "referral_date: 2027-01-15\ndistrict_referral: {consent_on: 2027-01-19}",
    );
    let text = render(&test);
    for needle in [
        "Ada Test was referred to the program on January 15, 2027, fewer than 45 days before the third birthday. With your \
         consent, the program refers Ada Test to the school district and the state education agency; no evaluation, \
         assessment or initial plan meeting is needed first.",
        "Your consent to the referral to the school district January 19, 2027",
        "Referred to the school district Not yet referred",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }

    // An opt-out the state allows.
    let test = Test::fixture("minimal");
    test.write(
        "records/program.yaml",
        &(test.read("records/program.yaml") + "check: {notification_opt_out: true}\n"),
    );
    test.write(
        "records/case-a/transition.yaml",
        &plan(&format!(
            "{district}notification_opt_out: {{on: 2026-09-01}}\n"
        )),
    );
    let text = render(&test);
    assert!(!text.contains("Last day to notify"), "{text}");
    assert!(
        text.contains(
            "On September 1, 2026 you chose not to have the school district and the state education agency told that Ada \
             Test turns three. This choice covers only that notification."
        ),
        "{text}"
    );

    // EIS Over 3, which the program offers: services go on until school.
    let test = Test::fixture("minimal");
    common::eis_over_3_child(&test);
    test.write(
        "records/case-a/transition.yaml",
        &plan(&format!(
            "{district}eis_over_3: {{part_b_eligible_on: 2027-04-01, chosen_in_writing_on: 2027-04-15, \
             school_year_starts: 2027-08-30, annual_notice_on: 2027-01-10}}\n"
        )),
    );
    let text = render(&test);
    for needle in [
        "Third birthday May 20, 2027",
        "Last day of Birth to Three services: they go on until the school year begins (EIS Over 3, which you chose in \
         writing on April 15, 2027) August 29, 2027",
        "Annual notice of how Birth to Three and preschool special education services differ January 10, 2027",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
    assert!(
        !text.contains("Third birthday: Birth to Three services end"),
        "{text}"
    );
}

#[test]
fn timings_say_where_each_kind_of_document_spends_its_time() {
    let test = Test::fixture("minimal");
    let run = test.run(&["render", "records", "--timings"]);
    run.assert_status(0)
        .stderr_has("timings: wall=")
        .stderr_has("outside_typst=");
    // One line per kind made, with its count and its time per document.
    for (kind, count) in [
        ("plan", 1),
        ("consent", 1),
        ("services-grid", 1),
        ("outcomes", 1),
        ("contacts", 1),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("timings: kind={kind} ")))
            .unwrap_or_else(|| panic!("no line for {kind}:\n{}", run.stderr));
        assert!(
            line.contains(&format!("documents={count} compile_per_document=")),
            "{line}"
        );
        let ms: f64 = line
            .split("compile_per_document=")
            .nth(1)
            .and_then(|r| r.split("ms").next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(ms > 0.0, "{line}");
    }
    assert!(!run.stderr.contains("kind=transition"), "{}", run.stderr);
}

/// The number after `key=` on a line, up to its unit.
fn number_after(line: &str, key: &str) -> f64 {
    let rest = line
        .split(&format!("{key}="))
        .nth(1)
        .unwrap_or_else(|| panic!("{key} in {line}"));
    let n: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    n.parse().unwrap_or_else(|_| panic!("{key} in {line}"))
}

#[test]
fn the_profile_says_where_each_kinds_typst_time_goes() {
    let test = Test::fixture("minimal");
    let run = test.run(&["render", "records", "--profile"]);
    run.assert_status(0)
        .stderr_has("rendered 7 documents for 1 case");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("profile: "))
        .collect();
    for kind in ["plan", "consent", "services-grid", "outcomes", "contacts"] {
        let of_kind: Vec<&str> = (lines.iter().copied())
            .filter(|l| l.starts_with(&format!("profile: kind={kind} ")))
            .collect();
        let head = of_kind
            .first()
            .unwrap_or_else(|| panic!("no {kind}:\n{}", run.stderr));
        assert!(head.contains(" documents=1 "), "{head}");
        assert!(number_after(head, "typst_per_document") > 0.0, "{head}");
        // Every document is laid out at least once, and the first run's
        // time is given.
        assert!(number_after(head, "layout_runs") >= 1.0, "{head}");
        assert!(number_after(head, "per_run") > 0.0, "{head}");
        // Phases, the costliest first, with shares of the kind's time that
        // add up to no more than all of it.
        let phases: Vec<f64> = (of_kind.iter())
            .filter(|l| l.contains(" phase="))
            .map(|l| number_after(l, "per_document"))
            .collect();
        assert!(phases.len() >= 4, "{of_kind:#?}");
        assert!(phases.windows(2).all(|w| w[0] >= w[1]), "{of_kind:#?}");
        let shares: f64 = (of_kind.iter())
            .filter(|l| l.contains(" phase="))
            .map(|l| number_after(l, "share"))
            .sum();
        assert!(shares <= 100.5, "{of_kind:#?}");
        // Typst's PDF export is among them.
        assert!(
            of_kind
                .iter()
                .any(|l| l.contains("phase=\"finish export\"")),
            "{of_kind:#?}"
        );
        // Blocks are named by their source line, the shared style's with
        // its line number (a body is handed to Typst through blocks.typ, so
        // what it makes is named by the line of blocks.typ that made it);
        // quoted text from the record is not shown. Which blocks are the
        // costliest shown depends on the machine's timing.
        let blocks: Vec<&&str> = of_kind.iter().filter(|l| l.contains(" block=")).collect();
        assert!(!blocks.is_empty(), "{of_kind:#?}");
        for l in &blocks {
            let file = ["casepaper.typ:", "blocks.typ:"]
                .into_iter()
                .find(|file| l.contains(&format!("block=\"{file}")));
            let Some(file) = file else {
                assert!(l.contains("block=\"document: "), "{l}");
                continue;
            };
            let after = &l[l.find(file).unwrap() + file.len()..];
            assert!(after.starts_with(|c: char| c.is_ascii_digit()), "{l}");
        }
        for l in of_kind.iter().filter(|l| l.contains("block=\"document: ")) {
            assert!(!l.contains("Ada") && !l.contains("Check-in call"), "{l}");
        }
    }
    // The bodies' tables and blocks are among the blocks named.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" block=\"blocks.typ:") && l.contains("-table(..args)")),
        "{lines:#?}"
    );
    // The sheets are as complete as without profiling.
    let contacts = test.pdf_text("out/case-a/contacts.pdf");
    assert!(contacts.contains("Check-in call."), "{contacts}");
}

/// `render` validates and renders a batch of cases at a time, so that a
/// large caseload is never held whole; the batches must find exactly what
/// one pass over every case finds, a case id claimed twice across two
/// batches included.
#[test]
fn batches_of_any_size_find_what_one_pass_finds() {
    use casepaper::pipeline::Records;
    let test = Test::samples();
    test.edit(
        "records/ct-2026-0031/case.yaml",
        "case_id: ct-2026-0031",
        "case_id: ct-2025-0117",
    );
    test.edit("records/vt-2026-0042/case.yaml", "case_id:", "case_number:");
    test.edit(
        "records/ct-2026-0058/contacts.yaml",
        "notes:\n",
        "notes:\n  - {date: 2026-03-01, summary: [unclosed\n",
    );
    let records = [test.path("records")];
    let one_pass = Records::open(&records).unwrap().load(None).validate();
    let dirs = |cases: &[casepaper::testing::ValidCase]| -> Vec<_> {
        cases.iter().map(|c| c.dir.clone()).collect()
    };
    assert!(
        one_pass
            .findings()
            .iter()
            .any(|f| f.code.name() == "duplicate-case-id"),
        "{:?}",
        one_pass.findings()
    );
    assert!(
        (one_pass.findings().iter()).any(|f| f.file.ends_with("ct-2026-0058/contacts.yaml")),
        "{:?}",
        one_pass.findings()
    );
    assert_eq!(one_pass.validated.rejected.len(), 3);
    // Texts read with the folders, or let go and read again in their batch.
    for (size, later) in [1, 2, 3, 100]
        .into_iter()
        .flat_map(|s| [(s, false), (s, true)])
    {
        let mut cases = Vec::new();
        let mut batches = 0;
        let program = Records::open(&records).unwrap();
        let loaded = if later {
            program.load_later(None)
        } else {
            program.load(None)
        };
        let all = loaded.validate_in_batches(size, |batch| {
            batches += 1;
            assert!(batch.caseload.cases.len() <= size);
            assert!(batch.program().is_some());
            cases.extend(dirs(batch.cases()));
            Vec::new()
        });
        assert_eq!(batches, 7usize.div_ceil(size), "batches of {size}");
        assert_eq!(all.findings(), one_pass.findings(), "batches of {size}");
        assert_eq!(cases, dirs(one_pass.cases()), "batches of {size}");
        assert_eq!(all.validated.rejected, one_pass.validated.rejected);
        assert!(all.cases().is_empty());
        // The texts kept are those a finding quotes.
        let mut kept: Vec<_> = all.caseload.sources.keys().cloned().collect();
        kept.sort();
        let mut named: Vec<_> = all.findings().iter().map(|f| f.file.clone()).collect();
        named.push(test.path("records/program.yaml"));
        named.sort();
        named.dedup();
        assert_eq!(kept, named, "batches of {size}");
    }
}

/// A render lets go of a case's texts once it has seen whether the case
/// changed, and reads them again when the case's batch comes: what the
/// batch validates, and what its findings quote, is the file as it is
/// then, never a mix of an older text and a newer one.
#[test]
fn a_case_read_later_is_validated_as_its_files_are_when_its_batch_comes() {
    use casepaper::pipeline::Records;
    let test = Test::samples();
    let records = [test.path("records")];
    let loaded = Records::open(&records).unwrap().load_later(None);
    assert!(
        loaded
            .caseload
            .sources
            .keys()
            .all(|p| !p.starts_with(test.path("records/vt-2026-0042")))
    );
    test.edit("records/vt-2026-0042/case.yaml", "case_id:", "case_number:");
    let case_file = test.path("records/vt-2026-0042/case.yaml");
    let all = loaded.validate_in_batches(2, |_| Vec::new());
    let found: Vec<_> = all
        .findings()
        .iter()
        .filter(|f| f.file == case_file)
        .collect();
    assert!(!found.is_empty(), "{:?}", all.findings());
    assert!(all.caseload.sources[&case_file].contains("case_number:"));
    assert_eq!(all.validated.rejected.len(), 1);
}

#[test]
fn a_forced_render_makes_every_document_again_and_says_only_that() {
    let test = Test::fixture("minimal");
    let first = test.run(&["render", "records"]);
    first.assert_status(0);
    let again = test.run(&["render", "records", "--force"]);
    again.assert_status(0);
    assert_eq!(
        (again.stdout.as_str(), again.stderr.as_str()),
        ("", first.stderr.as_str()),
        "a forced render says what the first did, and nothing of the manifest"
    );
    assert!(first.stderr.starts_with("rendered "), "{}", first.stderr);
}

#[test]
fn a_history_git_cannot_read_is_a_warning_and_the_documents_are_made() {
    let test = Test::fixture("minimal");
    test.git_init();
    test.commit("2025-06-01T10:00:00", "Records");
    // The repository loses its objects (a broken clone, a disk error).
    let objects = test.path(".git/objects");
    for entry in std::fs::read_dir(&objects).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.len() == 2 {
            std::fs::remove_dir_all(&path).unwrap();
        }
    }
    let run = test.run(&["render", "records"]);
    run.assert_status(0);
    assert_eq!(
        run.stderr,
        "warning: the records' git history could not be read, so footers show no commit: \
         fatal: bad object HEAD\nrendered 7 documents for 1 case into out\n"
    );
    assert!(!pdfs_in(&test.path("out/case-a")).is_empty());
}

/// A family that moved: the letter goes to its new address, its words
/// follow the letter's date, it names the program where the family now
/// lives, and coming back means moving back.
#[test]
fn a_moving_familys_letter_goes_to_its_new_address_and_names_the_next_program() {
    let test = Test::fixture("minimal");
    test.write(
        "records/case-a/exit.yaml",
        "kind: exit\nversion: 1\nreason: moved\nexit_date: 2025-06-30\nletter_date: 2025-06-16\n\
         new_address: {street: 40 Harbor Road, city: Portland, state: ME, postal_code: '04101'}\n\
         next_program: {name: Maine Child Development Services, phone: (207) 555-0140, contact: Intake desk}\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-06-16, method: paper}\n",
    );
    test.run(&["render", "records", "--only", "exit-letter"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/exit-letter.pdf");
    for needle in [
        "June 16, 2025 Bea Test40 Harbor RoadPortland, ME 04101 Re: Ada Test",
        "Dear Bea Test: We understand that your family is moving out of the area we serve. Your services with \
         Test Program end on June 30, 2025. Where you are moving, early intervention is offered by Maine Child \
         Development Services. Their phone number is (207) 555-0140. Your contact there: Intake desk. With your \
         consent, we can send them your records.",
        "Coming backIf your family moves back to the area we serve, you may ask for services again at any time \
         before your child's third birthday on February 28, 2027: call us at (860) 555-0100.",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
    assert!(!text.contains("2 Elm Street"), "{text}");
}

/// The reason in the family's language, and a transfer's letter: the
/// program the family chose, the records sent on the parent's consent.
#[test]
fn a_transfer_letter_in_spanish_names_the_program_and_the_records_sent() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "language: en\n",
        "language: es\n",
    );
    test.edit(
        "records/case-a/case.yaml",
        "relationship: mother",
        "relationship: {es: madre, en: mother}",
    );
    test.write(
        "records/case-a/exit.yaml",
        "kind: exit\nversion: 1\nreason: transferred\nexit_date: 2025-06-30\nletter_date: 2025-06-16\n\
         reason_detail: {es: El nuevo programa queda cerca de su casa., en: The new program is near your home.}\n\
         next_program: {name: Valley Birth to Three, phone: (860) 555-0170}\n\
         transfer:\n  release_on: 2025-06-10\n  records: {es: el plan y las evaluaciones, en: the plan and the evaluations}\n  sent_on: 2025-06-12\n\
         signatures:\n  - {role: coordinator, name: Cora Lind, signed_on: 2025-06-16, method: paper}\n",
    );
    test.run(&["render", "records", "--only", "exit-letter"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/exit-letter.pdf");
    for needle in [
        // One reader: usted.
        "Usted eligió recibir servicios de Valley Birth to Three. Sus servicios con Test Program terminan el \
         30 de junio de 2025. A partir de ese día, la coordinación de sus servicios estará a cargo de ese \
         programa. El teléfono de ese programa es el (860) 555-0170. Con el consentimiento que nos dio el 10 \
         de junio de 2025, el 12 de junio de 2025 enviamos a Valley Birth to Three estos documentos de su \
         expediente: el plan y las evaluaciones. El nuevo programa queda cerca de su casa.",
        "Cómo volverPuede elegir volver a Test Program en cualquier momento antes del tercer cumpleaños de su \
         hijo o hija, el 28 de febrero de 2027: llámenos al (860) 555-0100.",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}\n{text}");
    }
    assert!(!text.contains("near your home"), "{text}");
    // One reader: a greeting that does not guess whether a man or a woman
    // reads it ("Estimados" is for more than one).
    assert!(text.contains("Apreciable Bea Test:"), "{text}");
}

/// A child found eligible fewer than 90 days before three: the plan does
/// not promise a conference by a day long gone, but a transition plan as
/// soon as possible, and says services end the day before the birthday.
#[test]
fn the_plans_transition_section_follows_the_childs_branch() {
    let test = Test::fixture("minimal");
    let plan_text = |test: &Test| {
        test.run(&["render", "records", "--only", "plan"])
            .assert_status(0);
        test.pdf_text("out/case-a/plan-2025-02-03.pdf")
    };
    let standard = plan_text(&test);
    assert!(
        standard.contains(
            "Ada Test turns three on February 28, 2027. The steps toward leaving early intervention are planned \
             with you at a transition conference, held by November 30, 2026, and written into this plan. Birth to \
             Three services are for children under three: they end on February 27, 2027, the day before the third \
             birthday."
        ),
        "{standard}"
    );
    test.edit(
        "records/case-a/case.yaml",
        "referral_date: 2025-01-06",
        "referral_date: 2025-01-06\neligibility_date: 2026-12-01",
    );
    let late = plan_text(&test);
    assert!(
        late.contains(
            "Ada Test turns three on February 28, 2027. The steps toward leaving early intervention are planned \
             with you as soon as possible and written into this plan. Birth to Three services are for children \
             under three: they end on February 27, 2027, the day before the third birthday."
        ),
        "{late}"
    );
    assert!(!late.contains("November 30, 2026"), "{late}");
}

/// A consent handed over for signing leaves every choice to the parent: no
/// box is ticked until the parent's signature is recorded, whatever the
/// record already holds.
#[test]
fn a_consent_awaiting_the_parents_signature_ticks_no_choice() {
    let test = Test::fixture("minimal");
    let ticks = |test: &Test| {
        test.run(&["render", "records", "--only", "consent"])
            .assert_status(0);
        let text = test.pdf_text("out/case-a/consent-2025-02-03-initiation.pdf");
        let ticked = text.split_whitespace().filter(|w| *w == "X").count();
        (
            ticked,
            text.contains("DRAFT: not final until signed by Bea Test (mother)"),
        )
    };
    // Signed: both services accepted, ticked.
    assert_eq!(ticks(&test), (2, false));
    test.edit(
        "records/case-a/plan.yaml",
        "      - {role: parent, name: Bea Test, signed_on: 2025-02-03, method: paper}",
        "      - {role: parent, name: Bea Test}",
    );
    assert_eq!(ticks(&test), (0, true));
}

/// A dated document's footer gives its own day, not the newest day in its
/// records: a notice given on January 24 does not say "record of" a later
/// day because a later notice or meeting was recorded since.
#[test]
fn a_dated_documents_footer_gives_its_own_day() {
    let test = Test::fixture("minimal");
    let footers = |test: &Test| {
        test.run(&[
            "render",
            "records",
            "--only",
            "meeting-notice,notice,consent,plan",
        ])
        .assert_status(0);
        [
            "meeting-notice-2025-02-03",
            "notice-2025-02-10-services",
            "consent-2025-02-03-initiation",
            "plan-2025-02-03",
        ]
        .map(|stem| {
            let text = test.pdf_text(&format!("out/case-a/{stem}.pdf"));
            let at = text.find("record of ").expect("a footer");
            text[at..].split(" Page").next().unwrap().trim().to_string()
        })
    };
    let own = [
        "record of January 24, 2025",
        "record of February 3, 2025",
        "record of February 3, 2025",
        "record of February 3, 2025",
    ];
    assert_eq!(footers(&test), own);
    // A later notice, a later change meeting and a later consent leave
    // each earlier document's day as it was.
    test.edit(
        "records/case-a/notices.yaml",
        "meetings:\n",
        "  - {action: change, date: 2025-05-12, given_on: 2025-05-05, reasons: The family asked for a change.}\n\
         meetings:\n",
    );
    test.write(
        "records/case-a/notices.yaml",
        &(test.read("records/case-a/notices.yaml")
            + "  - {date: 2025-05-12, given_on: 2025-05-02, time: \"10:00\", place: The family home, invited: [Bea Test (mother)]}\n"),
    );
    common::change_meeting(&test, "2025-05-12");
    assert_eq!(footers(&test), own);
}
