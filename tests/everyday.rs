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
