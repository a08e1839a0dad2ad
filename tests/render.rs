//! `casepaper render`: the PDFs a coordinator gets, read back as text.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Test, normalize};

/// Every file under `dir` with its bytes, to prove nothing was written there.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.display().to_string(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

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
    let before = snapshot(&test.path("records"));
    let run = test.run(&["render", "records"]);
    run.assert_status(0)
        .stderr_has("rendered 20 documents for 4 cases into out");
    assert_eq!(
        before,
        snapshot(&test.path("records")),
        "render wrote under records/"
    );

    let with_transition = [
        "consent.pdf",
        "contacts.pdf",
        "outcomes.pdf",
        "services-grid.pdf",
        "transition.pdf",
    ];
    let with_exit = [
        "consent.pdf",
        "contacts.pdf",
        "exit-letter.pdf",
        "outcomes.pdf",
        "services-grid.pdf",
    ];
    for (case, expected) in [
        ("ct-2025-0117", with_transition),
        ("ct-2026-0031", with_exit),
        ("vt-2026-0042", with_exit),
        ("vt-2026-0019", with_transition),
    ] {
        assert_eq!(
            pdfs_in(&test.path(&format!("out/{case}"))),
            expected,
            "{case}"
        );
    }

    let has = |pdf: &str, needles: &[&str]| {
        let text = test.pdf_text(pdf);
        for needle in needles {
            assert!(
                text.contains(needle),
                "{pdf} lacks {needle:?}\n--- text\n{text}"
            );
        }
    };
    has(
        "out/ct-2025-0117/consent.pdf",
        &[
            "River Valley Family Services",
            "Consent for Initiation of Services",
            "Consent for Continuation of Services",
            "Eli Marsh",
            "December 8, 2023",
            "Speech-language therapy",
            "Use of private insurance I consent",
            "Dr. Anita Shah, pediatrician",
            "revoke it at any time",
            "Signed by Dana Marsh (parent) on November 14, 2025, paper.",
            "Page 1 of 2",
        ],
    );
    has(
        "out/ct-2025-0117/services-grid.pdf",
        &[
            "Services Grid",
            "1 per week, individual, 60 minutes",
            "Part C (Birth to Three)",
            "Pediatric dental check-up",
        ],
    );
    has(
        "out/ct-2025-0117/outcomes.pdf",
        &[
            "Outcome 1: Eli will tell us what he wants",
            "Target date: November 14, 2026",
            "Eli now uses about 25 words",
        ],
    );
    // The Part C dates come from the date of birth (December 8, 2023).
    has(
        "out/ct-2025-0117/transition.pdf",
        &[
            "Third birthday: Birth to Three services end December 8, 2026",
            "(90 days before) September 9, 2026",
            "(9 months before) March 8, 2026",
            "Preston Public Schools",
        ],
    );
    has(
        "out/ct-2025-0117/contacts.pdf",
        &[
            "October 2025",
            "November 2026",
            "Signed by Marisol Lopez, M.S., CCC-SLP, service coordinator, on October 9, 2025",
        ],
    );
    // Could not be reached: every attempt, how to come back, rights, the coordinator.
    has(
        "out/ct-2026-0031/exit-letter.pdf",
        &[
            "Kayla Pruitt",
            "58 Laurel Street, Apt 2B",
            "May 14, 2026 phone Number not in service.",
            "June 2, 2026 letter",
            "before your child’s third birthday on January 22, 2028",
            "Your rights",
            "Jonah Okafor, M.Ed., Early Intervention Specialist",
        ],
    );
    // June 2026 has no note but the case was open until June 30.
    has(
        "out/ct-2026-0031/contacts.pdf",
        &["June 2026 No service coordination contact was documented this month."],
    );
    has(
        "out/vt-2026-0042/exit-letter.pdf",
        &["reached the outcomes on your plan"],
    );
    has(
        "out/vt-2026-0019/transition.pdf",
        &["After the Postpartum Period", "Windham parent-child center"],
    );
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
        .stderr_has("rendered 15 documents for 3 cases into out")
        .stderr_has("not rendered because of errors above: records/vt-2026-0042");
    assert!(!test.path("out/vt-2026-0042").exists());
    assert_eq!(pdfs_in(&test.path("out/ct-2025-0117")).len(), 5);
}

#[test]
fn only_renders_the_documents_named() {
    let test = Test::fixture("minimal");
    test.run(&["render", "records", "--only", "consent,contacts"])
        .assert_status(0);
    assert_eq!(
        pdfs_in(&test.path("out/case-a")),
        ["consent.pdf", "contacts.pdf"]
    );
    test.run(&["render", "records", "--only", "letters"])
        .assert_status(2)
        .stderr_has("--only: `letters` is not a document; the documents are consent, services-grid, outcomes, contacts, transition, exit-letter");
}

#[test]
fn emit_typst_writes_the_source_beside_the_pdf() {
    let test = Test::fixture("minimal");
    test.run(&[
        "render", "records", "--only", "outcomes", "--emit", "typst", "--out", "paper",
    ])
    .assert_status(0);
    let source = test.read("paper/case-a/outcomes.typ");
    assert!(
        source.contains("#\"Ada will walk across the kitchen.\";"),
        "{source}"
    );
    assert!(test.path("paper/case-a/outcomes.pdf").is_file());
}

#[test]
fn an_owed_signature_gets_blank_lines_to_sign_by_hand() {
    let test = Test::fixture("minimal");
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    let text = test.pdf_text("out/case-a/consent.pdf");
    assert!(
        text.contains("Name (parent: Bea Test) Signature Date"),
        "{text}"
    );
    assert!(
        text.contains("Signed by Cora Lind (coordinator) on February 3, 2025, paper."),
        "{text}"
    );
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
        "{% import \"partials.typ.j2\" as p -%}\n{{ p.page_start(ctx) }}\nProgram's own outcomes page for {{ ctx.client_name }}.\n",
    );
    test.run(&["render", "records", "--only", "outcomes,consent"])
        .assert_status(0);
    let outcomes = test.pdf_text("out/case-a/outcomes.pdf");
    assert!(
        outcomes.contains("Program’s own outcomes page for Ada Test."),
        "{outcomes}"
    );
    // The files the folder does not override stay the built-in ones.
    let consent = test.pdf_text("out/case-a/consent.pdf");
    assert!(
        consent.contains("Consent for Initiation of Services"),
        "{consent}"
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
            .stderr_has("Outcomes Page of case case-a was not rendered");
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
    test.write("templates/outcomes.typ.j2", "#read(\"readme.txt\")\n");
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(0);
}
