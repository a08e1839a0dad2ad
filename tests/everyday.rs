//! Everyday use: the commands that help a program start and keep its
//! records, driven through the built binary.

mod common;

use common::Test;

#[test]
fn schema_prints_a_self_contained_json_schema_that_the_samples_meet() {
    let test = Test::samples();
    for (kind, file) in [
        ("program", "records/program.yaml"),
        ("case", "records/ct-2025-0117/case.yaml"),
        ("plan", "records/ct-2025-0117/plan.yaml"),
        ("contacts", "records/ct-2025-0117/contacts.yaml"),
        ("transition", "records/ct-2025-0117/transition.yaml"),
        ("exit", "records/ct-2026-0031/exit.yaml"),
    ] {
        let run = test.run(&["schema", kind]);
        run.assert_status(0);
        let schema: serde_json::Value =
            serde_json::from_str(&run.stdout).expect("the schema is JSON");
        // Every reference points inside the printed schema.
        let text = run.stdout.clone();
        for reference in text.split("\"$ref\": \"").skip(1) {
            assert!(reference.starts_with("#/$defs/"), "{kind}: {reference:.60}");
        }
        // No retriever: a reference outside would fail to compile.
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let record = casepaper::load::yaml::parse(test.read(file)).unwrap().value;
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        // And a broken record does not.
        let mut broken = record.clone();
        broken.as_object_mut().unwrap().remove("version");
        assert!(!validator.is_valid(&broken), "{kind}");
    }
    test.run(&["schema", "letter"])
        .assert_status(2)
        .stderr_has("`letter` is not a record kind; the kinds are program, case, plan, contacts, transition, exit");
}

#[test]
fn completions_cover_every_command() {
    let test = Test::empty();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = test.run(&["completions", shell]);
        run.assert_status(0);
        for command in [
            "validate", "render", "check", "verify", "log", "due", "schema",
        ] {
            assert!(run.stdout.contains(command), "{shell} lacks {command}");
        }
    }
    test.run(&["completions", "tcsh"]).assert_status(2);
}

#[test]
fn new_case_writes_a_skeleton_that_validate_walks_through() {
    let test = Test::fixture("minimal");
    let run = test.run(&["new", "case", "ct-2026-0100", "--records", "records"]);
    run.assert_status(0)
        .stderr_has("wrote records/ct-2026-0100/case.yaml; fill in every empty element");
    let text = test.read("records/ct-2026-0100/case.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../../schemas/case.v1.yaml\n"));
    assert!(
        text.contains("kind: case\nversion: 1\ncase_id: ct-2026-0100\n"),
        "{text}"
    );
    // Every required element is there, empty, with what goes in it.
    for line in [
        "client:  # Who receives services - a child and family, a pregnant or postpartum woman, or a child care program (one of: child, postpartum, child-care-program)",
        "  name:  # The child's full name",
        "  date_of_birth:  # The child's date of birth; the transition dates are computed from it (a date, YYYY-MM-DD)",
        "  - name:  # Full name",
        "    relationship:  # Relationship to the child, for example mother, grandfather, foster parent",
        "referral_date:",
    ] {
        assert!(text.contains(line), "lacks {line:?}\n{text}");
    }
    // validate names each element left to fill, at its line.
    let run = test.run(&["validate", "records"]);
    run.assert_status(1);
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.starts_with(key))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{key}"))
    };
    run.stderr_has(&format!(
        "records/ct-2026-0100/case.yaml:{}:1: error[empty-element]: `case.client` is empty; fill it in",
        line_of("client:")
    ))
    .stderr_has(&format!(
        "records/ct-2026-0100/case.yaml:{}:1: error[empty-element]: `case.referral_date` is empty; fill it in",
        line_of("referral_date:")
    ));
    // The case that was there is still valid and still renders.
    assert!(!run.stderr.contains("records/case-a/"), "{}", run.stderr);

    // Nothing is overwritten, and ids that cannot be folder names are refused.
    test.run(&["new", "case", "ct-2026-0100"])
        .assert_status(2)
        .stderr_has("records/ct-2026-0100 already exists; nothing was written");
    for bad in ["../escape", "CT-2026", "a/b", "x_y", ""] {
        test.run(&["new", "case", bad])
            .assert_status(2)
            .stderr_has("cannot be a case id");
    }
    assert_eq!(test.read("records/ct-2026-0100/case.yaml"), text);
}

#[test]
fn new_contact_writes_a_dated_note_to_fill() {
    let test = Test::fixture("minimal");
    let args = [
        "new",
        "contact",
        "case-a",
        "--date",
        "2025-06-02",
        "--kind",
        "phone",
    ];
    test.run(&args)
        .assert_status(0)
        .stderr_has("wrote records/case-a/contacts-2025-06-02.yaml");
    let text = test.read("records/case-a/contacts-2025-06-02.yaml");
    assert!(text.contains("notes:"), "{text}");
    assert!(text.contains("  - date: 2025-06-02\n"), "{text}");
    assert!(text.contains("    type: phone\n"), "{text}");
    assert!(text.contains("    summary:  # "), "{text}");
    // A second note that day goes to a file of its own.
    test.run(&args)
        .assert_status(0)
        .stderr_has("wrote records/case-a/contacts-2025-06-02-2.yaml");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/contacts-2025-06-02.yaml:")
        .stderr_has("`contacts.notes[0].summary` is empty; fill it in");
    test.run(&["new", "contact", "case-a", "--kind", "fax"])
        .assert_status(2)
        .stderr_has("`fax` is not a kind of contact; the kinds are visit, phone, email, text, meeting, other");
    test.run(&["new", "contact", "case-z"])
        .assert_status(2)
        .stderr_has("there is no case `case-z` in records");
}

#[test]
fn init_starts_a_repository_that_validates_renders_and_never_overwrites() {
    let test = Test::empty();
    let run = test.run(&["init", "program", "--state", "vt"]);
    run.assert_status(0).stderr_has(
        "started a records repository in program for Vermont Children's Integrated Services with an example case, vt-example-0001",
    );
    for file in [
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
        "records/program.yaml",
        "records/vt-example-0001/case.yaml",
        "records/vt-example-0001/plan.yaml",
        "records/vt-example-0001/contacts.yaml",
        "schemas/common.v1.yaml",
        "schemas/contacts.v1.yaml",
    ] {
        assert!(test.path("program").join(file).is_file(), "{file}");
    }
    assert_eq!(test.read("program/.gitignore"), "out/\n");
    assert!(
        test.read("program/.pre-commit-config.yaml")
            .contains("entry: casepaper validate records")
    );
    // The schemas are the ones casepaper validates with.
    assert_eq!(
        test.read("program/schemas/contacts.v1.yaml"),
        std::fs::read_to_string(common::repo().join("schemas/contacts.v1.yaml")).unwrap()
    );
    // The program file spells out the state's rules.
    let program = test.read("program/records/program.yaml");
    assert!(program.contains("  state: VT\n"), "{program}");
    assert!(program.contains("  monthly-contact: off  # "), "{program}");
    assert!(program.contains("  note-signed: error  # "), "{program}");

    // It is valid as it is, and renders.
    let program_dir = test.path("program");
    let run_in = |args: &[&str]| {
        let output = std::process::Command::new(common::BIN)
            .args(args)
            .current_dir(&program_dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (status, stderr) = run_in(&["validate"]);
    assert_eq!(status, 0, "{stderr}");
    let (status, stderr) = run_in(&["render"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        program_dir
            .join("out/vt-example-0001/contacts.pdf")
            .is_file()
    );

    // A second init over it writes nothing and says which files are there.
    let before = common::files(&program_dir);
    test.run(&["init", "program"])
        .assert_status(2)
        .stderr_has("program already holds program/.gitignore, program/README.md")
        .stderr_has("nothing was written (init never overwrites a file)");
    assert_eq!(before, common::files(&program_dir));
}

#[test]
fn init_with_templates_renders_with_the_programs_own_copies() {
    let test = Test::empty();
    test.run(&["init", "program", "--templates"])
        .assert_status(0);
    assert!(test.path("program/templates/fonts/OFL.txt").is_file());
    assert!(test.path("program/templates/consent.typ.j2").is_file());
    // The program changes a heading in its English translation.
    test.edit(
        "program/templates/i18n/en.yaml",
        "initiation: \"Consent for Initiation of Services\"",
        "initiation: \"Agreement to Start Services\"",
    );
    let output = std::process::Command::new(common::BIN)
        .args(["render"])
        .current_dir(test.path("program"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = common::pdf_text(
        &test.path("program/out/ct-example-0001/consent-2025-02-03-initiation.pdf"),
    );
    assert!(text.contains("Agreement to Start Services"), "{text}");
    assert!(
        !text.contains("Consent for Initiation of Services"),
        "{text}"
    );
}

#[test]
fn every_command_has_a_summary_and_an_example_in_its_help() {
    let test = Test::empty();
    for command in [
        &["validate"][..],
        &["render"],
        &["check"],
        &["verify"],
        &["log"],
        &["due"],
        &["init"],
        &["new"],
        &["new", "case"],
        &["new", "contact"],
        &["schema"],
        &["completions"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let run = test.run(&args);
        run.assert_status(0);
        let first = run.stdout.lines().next().unwrap_or("");
        assert!(
            first.ends_with('.') && first.len() > 20,
            "{command:?}: no one-line summary: {first:?}"
        );
        let example = format!("Example: casepaper {}", command.join(" "));
        assert!(
            run.stdout.contains(&example),
            "{command:?}: no example line starting {example:?}\n{}",
            run.stdout
        );
    }
}
