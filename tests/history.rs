//! Records in git and rendering again: the commit in every footer,
//! `render --at`, `log`, and the manifest that skips documents whose inputs
//! have not changed.

use crate::common;

use std::collections::BTreeMap;

use common::{Test, copy_dir, files};

/// The minimal fixture in a git repository: the intake commit, then an
/// April commit that changes one contact note. Returns the two commit ids.
fn two_commits() -> (Test, String, String) {
    let test = Test::fixture("minimal");
    test.git_init();
    let first = test.commit("2025-02-04", "Case A: intake and first plan");
    test.edit(
        "records/case-a/contacts.yaml",
        "Check-in call.",
        "Check-in call about walking.",
    );
    let second = test.commit("2025-04-08", "Case A: April call");
    (test, first, second)
}

/// The files of `after` that are new or differ from `before`, by name.
fn changed_between<'a>(
    before: &BTreeMap<String, Vec<u8>>,
    after: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<&'a String> {
    (after.iter())
        .filter(|(name, bytes)| before.get(*name) != Some(bytes))
        .map(|(name, _)| name)
        .collect()
}

fn has(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_footer_names_the_commit_a_document_comes_from_or_says_it_is_uncommitted() {
    let (test, first, second) = two_commits();
    test.run(&["render", "records"]).assert_status(0);

    // Each document names the newest commit that changed what it is made
    // from, and that commit's time is its creation date.
    let contacts = test.pdf_text("out/case-a/contacts.pdf");
    assert!(
        contacts.contains(&format!("version {}", &second[..10])),
        "{contacts}"
    );
    let outcomes = test.pdf_text("out/case-a/outcomes.pdf");
    assert!(
        outcomes.contains(&format!("version {}", &first[..10])),
        "{outcomes}"
    );
    let pdfs = files(&test.path("out"));
    assert!(has(
        &pdfs["case-a/contacts.pdf"],
        "/CreationDate(D:20250408120000Z)"
    ));
    assert!(has(
        &pdfs["case-a/outcomes.pdf"],
        "/CreationDate(D:20250204120000Z)"
    ));

    // An edit not yet committed: only the contact sheet changes, and it says so.
    test.edit(
        "records/case-a/contacts.yaml",
        "Home visit;",
        "Home visit at noon;",
    );
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has(
            "note: 1 file has changes not committed to git (records/case-a/contacts.yaml); the \
             documents made from them say in their footer that they are drafts",
        )
        .stderr_has("rendered 1 document for 1 case into out (");
    let contacts = test.pdf_text("out/case-a/contacts.pdf");
    // Words a parent reads without alarm: a draft, not "uncommitted changes".
    assert!(
        contacts.contains("draft: records not yet saved in the program's history"),
        "{contacts}"
    );
    assert!(!contacts.contains("uncommitted"), "{contacts}");
    // A final render refuses records not yet saved, and writes nothing.
    let before = files(&test.path("out"));
    test.run(&["render", "records", "--final"])
        .assert_status(1)
        .stderr_has(
            "error: nothing rendered: `render --final` makes documents only from records saved in \
             the program's history, and 1 file has changes not committed to git \
             (records/case-a/contacts.yaml); commit them first",
        );
    assert_eq!(files(&test.path("out")), before);
    assert!(!contacts.contains("version "), "{contacts}");
    let run = test.run(&["verify", "out/case-a/contacts.pdf", "records"]);
    run.assert_status(0);
    assert!(
        run.stdout
            .contains("(made from records with uncommitted changes)"),
        "{}",
        run.stdout
    );

    // Committed: the footer names the new commit.
    let third = test.commit("2025-05-01", "Case A: March visit time");
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 1 document for 1 case");
    assert!(
        test.pdf_text("out/case-a/contacts.pdf")
            .contains(&format!("version {}", &third[..10]))
    );
}

#[test]
fn render_at_a_revision_renders_the_records_as_they_were_without_touching_anything() {
    let (test, first, _second) = two_commits();
    // Work in progress in the working tree must stay exactly as it is.
    test.edit(
        "records/case-a/contacts.yaml",
        "Phone check-in before the summer.",
        "Phone check-in before the summer (draft).",
    );
    let records_before = files(&test.path("records"));
    let status_before = test.git(&["status", "--porcelain"]);

    let short = &first[..10];
    test.run(&["render", "--at", "HEAD~1", "records"])
        .assert_status(0)
        .stderr_has(&format!("records as of commit {first} (HEAD~1)"))
        .stderr_has(&format!("into out/{short}"));
    let text = test.pdf_text(&format!("out/{short}/case-a/contacts.pdf"));
    assert!(text.contains("Check-in call."), "{text}");
    assert!(!text.contains("about walking"), "{text}");
    assert!(!text.contains("(draft)"), "{text}");
    assert!(text.contains(&format!("version {short}")), "{text}");

    assert_eq!(files(&test.path("records")), records_before);
    assert_eq!(test.git(&["status", "--porcelain"]), status_before);

    // The same revision again, by its full id and into another folder:
    // the same bytes.
    test.run(&["render", "--at", &first, "records", "--out", "again"])
        .assert_status(0);
    let pdfs = |dir: &str| -> Vec<(String, Vec<u8>)> {
        files(&test.path(dir))
            .into_iter()
            .filter(|(name, _)| name.ends_with(".pdf"))
            .collect()
    };
    let at = pdfs(&format!("out/{short}"));
    assert_eq!(at.len(), 7);
    assert_eq!(at, pdfs("again"));

    test.run(&["render", "--at", "no-such-branch", "records"])
        .assert_status(2)
        .stderr_has("`no-such-branch` is not a commit in the repository");
}

#[test]
fn render_at_outside_a_git_repository_says_so() {
    let test = Test::fixture("minimal");
    test.run(&["render", "--at", "HEAD", "records"])
        .assert_status(2)
        .stderr_has("--at needs the records in a git repository");
}

#[test]
fn log_lists_the_commits_that_changed_a_case_newest_first() {
    let (test, first, second) = two_commits();
    // Another case's commit is not case-a's history.
    test.write(
        "records/case-b/case.yaml",
        &test
            .read("records/case-a/case.yaml")
            .replace("case_id: case-a", "case_id: case-b"),
    );
    test.commit("2025-05-01", "Case B: referral");

    let run = test.run(&["log", "case-a"]);
    run.assert_status(0);
    assert_eq!(
        run.stdout,
        format!(
            "2025-04-08  {}  Case A: April call\n2025-02-04  {}  Case A: intake and first plan\n",
            &second[..10],
            &first[..10]
        )
    );
    // By folder too, and with work not yet committed.
    test.edit(
        "records/case-a/plan.yaml",
        "kind: plan",
        "kind: plan\n# draft",
    );
    let run = test.run(&["log", "records/case-a"]);
    run.assert_status(0);
    assert!(
        run.stdout.starts_with(
            "(uncommitted)           changes to 1 file not committed yet\n2025-04-08  "
        ),
        "{}",
        run.stdout
    );

    test.run(&["log", "case-z"])
        .assert_status(2)
        .stderr_has("there is no case `case-z` in records and none in its history");
    let plain = Test::fixture("minimal");
    plain
        .run(&["log", "case-a"])
        .assert_status(2)
        .stderr_has("records is not in a git repository");
}

#[test]
fn render_skips_documents_whose_inputs_have_not_changed() {
    let test = Test::samples();
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 94 documents for 7 cases into out\n");
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has(
            "rendered 0 documents for 7 cases into out (94 unchanged since the last render; --force renders them again)",
        );
    // Saving a file unchanged changes nothing.
    let note = "records/ct-2025-0117/contacts.yaml";
    test.write(note, &test.read(note));
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 0 documents");

    // One contact note: that case's contact sheet only.
    let before = files(&test.path("out"));
    test.edit(note, "Intake visit: explained", "Intake visit; explained");
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 1 document for 7 cases into out (93 unchanged");
    let after = files(&test.path("out"));
    let changed = changed_between(&before, &after);
    assert_eq!(
        changed,
        [".casepaper-manifest.json", "ct-2025-0117/contacts.pdf"]
    );

    // A comment in the case file changes nothing a document prints: the
    // papers that follow the case name the file's digest and are made
    // again; a dated paper (a plan, a consent, a notice, the exit letter)
    // stays byte for byte as it was.
    let before = files(&test.path("out"));
    test.edit(
        "records/ct-2025-0117/case.yaml",
        "referral_date:",
        "# checked\nreferral_date:",
    );
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 5 documents for 7 cases");
    let after = files(&test.path("out"));
    let changed = changed_between(&before, &after);
    assert_eq!(
        changed,
        [
            ".casepaper-manifest.json",
            "ct-2025-0117/contacts.pdf",
            "ct-2025-0117/outcomes.pdf",
            "ct-2025-0117/record-of-access.pdf",
            "ct-2025-0117/services-grid.pdf",
            "ct-2025-0117/transition.pdf"
        ]
    );
    // What every document prints (the child's name): every document of
    // that case, no other case's.
    let case_docs = after
        .keys()
        .filter(|n| n.starts_with("ct-2025-0117/"))
        .count();
    test.edit(
        "records/ct-2025-0117/case.yaml",
        "name: Eli Marsh",
        "name: Elias Marsh",
    );
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has(&format!("rendered {case_docs} documents for 7 cases"));

    // A deleted PDF comes back; --force renders everything.
    std::fs::remove_file(test.path("out/vt-2026-0042/exit-letter.pdf")).unwrap();
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 1 document");
    assert!(test.path("out/vt-2026-0042/exit-letter.pdf").is_file());
    test.run(&["render", "records", "--force"])
        .assert_status(0)
        .stderr_has("rendered 94 documents for 7 cases into out\n");

    // A corrupt manifest only means a full render.
    test.write("out/.casepaper-manifest.json", "{\"tool\": 3, trunc");
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 94 documents")
        .stderr_has(
            "note: out/.casepaper-manifest.json could not be read, so every document was rendered",
        );
    test.run(&["render", "records"])
        .assert_status(0)
        .stderr_has("rendered 0 documents");
}

#[test]
fn an_unchanged_case_is_not_parsed_again_but_still_holds_its_id() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let manifest = test.read("out/.casepaper-manifest.json");
    assert!(
        manifest.contains("\"ct-2025-0117\": {"),
        "the manifest keeps whole cases:\n{manifest}"
    );

    // A new folder claiming an unchanged case's id: the unchanged case is
    // not parsed, and the new one is still refused for its id.
    copy_dir(
        &test.path("records/ct-2025-0117"),
        &test.path("records/ct-2025-0117-copy"),
    );
    test.run(&["render", "records"])
        .assert_status(1)
        .stderr_has("records/ct-2025-0117-copy/case.yaml:")
        .stderr_has("case id `ct-2025-0117` is already used by records/ct-2025-0117")
        .stderr_has("rendered 0 documents for 7 cases into out (94 unchanged")
        .stderr_has("not rendered because of errors above: records/ct-2025-0117-copy");

    // A case with something to report is parsed (and reported) every time.
    std::fs::remove_dir_all(test.path("records/ct-2025-0117-copy")).unwrap();
    test.edit(
        "records/ct-2025-0117/case.yaml",
        "referral_date:",
        "unknown_note: kept\nreferral_date:",
    );
    for _ in 0..2 {
        test.run(&["render", "records"])
            .assert_status(1)
            .stderr_has("records/ct-2025-0117/case.yaml:");
    }
}

#[test]
fn render_removes_the_documents_no_record_makes_any_more() {
    let test = Test::fixture("minimal");
    test.run(&["render", "records"]).assert_status(0);
    assert!(
        test.path("out/case-a/meeting-notice-2025-02-03.pdf")
            .is_file()
    );
    // The meeting notice is taken out of the records: its PDF goes, the
    // others stay.
    let text = test.read("records/case-a/notices.yaml");
    let kept = text.split("meetings:\n").next().unwrap();
    test.write("records/case-a/notices.yaml", kept);
    test.run(&["render", "records", "--only", "outcomes"])
        .assert_status(0)
        .stderr_has(
            "removed 1 document that no record makes any more: out/case-a/meeting-notice-2025-02-03.pdf",
        );
    assert!(
        !test
            .path("out/case-a/meeting-notice-2025-02-03.pdf")
            .exists()
    );
    assert!(test.path("out/case-a/contacts.pdf").is_file());

    // A case folder deleted from the records: all its documents go, and
    // its folder in out.
    let other = test.path("records/case-b");
    common::copy_dir(&test.path("records/case-a"), &other);
    test.edit(
        "records/case-b/case.yaml",
        "case_id: case-a",
        "case_id: case-b",
    );
    test.run(&["render", "records"]).assert_status(0);
    assert!(test.path("out/case-b/outcomes.pdf").is_file());
    std::fs::remove_dir_all(&other).unwrap();
    let run = test.run(&["render", "records"]);
    run.assert_status(0)
        .stderr_has("removed 6 documents that no record makes any more: out/case-b/");
    assert!(!test.path("out/case-b").exists());
    assert!(test.path("out/case-a/outcomes.pdf").is_file());
    // A case with errors keeps its earlier documents.
    test.edit("records/case-a/case.yaml", "client: child", "client: kid");
    let run = test.run(&["render", "records"]);
    assert!(!run.stderr.contains("removed"), "{}", run.stderr);
    assert!(test.path("out/case-a/outcomes.pdf").is_file());
}

/// A case handed over to the program the family chose: its record files as
/// they are, its documents made from the commit, and a list of both with
/// their digests; never over a folder that is there, never into the
/// records, never a case with errors.
#[test]
fn export_hands_a_case_over_with_its_records_documents_and_digests() {
    let test = Test::fixture("minimal");
    test.git_init();
    // What is not a record file stays behind.
    test.write("records/case-a/scan-notes.txt", "Not a record.\n");
    let commit = test.commit("2025-03-01", "The plan");
    let run = test.run(&["export", "case-a", "records", "--to", "handover"]);
    run.assert_status(0);
    assert_eq!(
        run.stdout,
        "exported case case-a to handover/case-a: 4 record files and 7 documents, listed with their digests in \
         contents.txt\n"
    );
    let exported = files(&test.path("handover"));
    let names: Vec<&str> = exported.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "case-a/contents.txt",
            "case-a/documents/consent-2025-02-03-initiation.pdf",
            "case-a/documents/contacts.pdf",
            "case-a/documents/meeting-notice-2025-02-03.pdf",
            "case-a/documents/notice-2025-02-10-services.pdf",
            "case-a/documents/outcomes.pdf",
            "case-a/documents/plan-2025-02-03.pdf",
            "case-a/documents/services-grid.pdf",
            "case-a/records/case.yaml",
            "case-a/records/contacts.yaml",
            "case-a/records/notices.yaml",
            "case-a/records/plan.yaml",
        ]
    );
    // The records byte for byte; each file's digest listed, after a line
    // that names the commit the documents were made from.
    let contents = String::from_utf8(exported["case-a/contents.txt"].clone()).unwrap();
    let mut lines = contents.lines();
    assert_eq!(
        lines.next(),
        Some("The records of case case-a as handed over to the program the family chose.")
    );
    assert_eq!(
        lines.next().map(str::to_string),
        Some(format!(
            "records/ holds the record files as they are; documents/ the documents made from the records at \
             commit {commit}."
        ))
    );
    let listed: Vec<(String, String)> = lines
        .skip(2)
        .map(|l| {
            let (digest, path) = l.split_once("  ").unwrap();
            (path.to_string(), digest.to_string())
        })
        .collect();
    assert_eq!(listed.len(), 11);
    for (path, digest) in &listed {
        let bytes = &exported[&format!("case-a/{path}")];
        let sha = std::process::Command::new("sha256sum")
            .arg(test.path(&format!("handover/case-a/{path}")))
            .output()
            .unwrap();
        assert_eq!(
            &String::from_utf8_lossy(&sha.stdout)[..64],
            digest,
            "{path}"
        );
        if let Some(name) = path.strip_prefix("records/") {
            assert_eq!(
                bytes,
                &std::fs::read(test.path(&format!("records/case-a/{name}"))).unwrap()
            );
        }
    }
    // Each document still matches the records it came from.
    test.run(&[
        "verify",
        "handover/case-a/documents/plan-2025-02-03.pdf",
        "records",
    ])
    .assert_status(0);

    // Never over what is there, never into the records.
    test.run(&["export", "records/case-a", "--to", "handover"])
        .assert_status(2)
        .stderr_has(
            "error: handover/case-a already exists; nothing was written (move it away, or export into another \
             folder with --to)",
        );
    test.run(&["export", "case-a", "records", "--to", "records/handover"])
        .assert_status(2)
        .stderr_has(
            "error: records/handover is inside the records folder records; export into another folder with --to",
        );
    assert!(!test.path("records/handover").exists());
    test.run(&["export", "case-b", "records", "--to", "elsewhere"])
        .assert_status(2)
        .stderr_has("error: there is no case `case-b` in records");

    // A case with an error in one file (its other documents could still be
    // made): nothing handed over, and the error named.
    test.edit(
        "records/case-a/contacts.yaml",
        "date: 2025-04-07",
        "date: soon",
    );
    let run = test.run(&["export", "case-a", "records", "--to", "elsewhere"]);
    run.assert_status(1);
    run.stderr_has("records/case-a/contacts.yaml:10:5: error[bad-date]: `contacts.notes[1].date` is `soon`, which is not a date")
        .stderr_has(
            "nothing exported: records/case-a has errors; fix them first, so the new program gets whole documents",
        );
    let left: Vec<String> = files(&test.path("elsewhere")).into_keys().collect();
    assert_eq!(left, Vec::<String>::new());
    test.edit(
        "records/case-a/contacts.yaml",
        "date: soon",
        "date: 2025-04-07",
    );
    // A document that cannot be made: nothing handed over either.
    test.write("templates/outcomes.typ.j2", "Untitled page.\n");
    test.run(&["export", "case-a", "records", "--to", "elsewhere"])
        .assert_status(1)
        .stderr_has("error: elsewhere/case-a/outcomes.pdf of case case-a was not rendered:")
        .stderr_has("nothing exported: records/case-a has errors");
    assert_eq!(files(&test.path("elsewhere")).len(), 0);
}

#[test]
fn a_later_meeting_leaves_the_copies_of_the_earlier_one_as_they_were() {
    let test = Test::fixture("minimal");
    test.git_init();
    test.commit("2025-02-04", "Case A: intake and first plan");
    test.run(&["render", "records"]).assert_status(0);
    let before = files(&test.path("out"));

    // A change meeting in April: developmental intervention twice a week,
    // the plan's notes revised, another service added, and the parent's
    // consent to the change, all written in the same plan file.
    common::change_meeting(&test, "2025-04-07");
    test.edit(
        "records/case-a/plan.yaml",
        "    type: change\n",
        "    type: change\n    notes: Visits move to Tuesdays at the family's request.\n",
    );
    common::dev_changes(
        &test,
        &["{on: 2025-04-07, frequency: {times: 2, per: week}}"],
    );
    let plan = test.read("records/case-a/plan.yaml").replace(
        "consents:\n",
        "other_services:\n  - {service: WIC, steps: The family applies at the town office., added_on: 2025-04-07}\n\
         consents:\n",
    ) + "  - date: 2025-04-07\n    action: change\n    description: Developmental intervention twice a week.\n    \
         services:\n      - {service: dev, decision: accepted}\n    explained: true\n    native_language: English\n    \
         signatures:\n      - {role: parent, name: Bea Test, signed_on: 2025-04-07, method: paper}\n      \
         - {role: coordinator, name: Cora Lind, signed_on: 2025-04-07, method: paper}\n";
    test.write("records/case-a/plan.yaml", &plan);
    let april = test.commit("2025-04-08", "Case A: April change meeting");
    test.run(&["render", "records"]).assert_status(0);
    let after = files(&test.path("out"));

    // The February plan and consent: the same bytes, and each still
    // matches the records.
    for earlier in [
        "case-a/plan-2025-02-03.pdf",
        "case-a/consent-2025-02-03-initiation.pdf",
    ] {
        assert!(before[earlier] == after[earlier], "{earlier} changed");
        let run = test.run(&["verify", &format!("out/{earlier}"), "records"]);
        run.assert_status(0);
        assert!(
            run.stdout.contains("matches the current records"),
            "{}",
            run.stdout
        );
    }
    let february = test.pdf_text("out/case-a/plan-2025-02-03.pdf");
    assert!(
        !february.contains("WIC") && !february.contains("Tuesdays"),
        "{february}"
    );
    assert!(
        !february.contains("version "),
        "a dated paper names no commit: {february}"
    );
    // The April plan has the meeting's notes and the new service; the
    // grid, which follows the case, names the April commit.
    let plan = test.pdf_text("out/case-a/plan-2025-04-07.pdf");
    assert!(
        plan.contains("WIC") && plan.contains("Visits move to Tuesdays"),
        "{plan}"
    );
    let grid = test.pdf_text("out/case-a/services-grid.pdf");
    assert!(
        grid.contains(&format!("version {}", &april[..10])),
        "{grid}"
    );
    assert!(after.contains_key("case-a/consent-2025-04-07-change.pdf"));
}
