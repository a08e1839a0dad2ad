//! Everyday use: the commands that help a program start and keep its
//! records, driven through the built binary.

use std::fs;

use crate::common;

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
        ("review", "records/vt-2026-0019/review-2026-07-28.yaml"),
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
        let record = casepaper::testing::yaml::parse(test.read(file))
            .unwrap()
            .value;
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
        .stderr_has("`letter` is not a record kind; the kinds are program, case, plan, contacts, transition, exit, review");
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
    // Names Windows keeps for devices cannot name a case's folder there.
    for device in ["con", "nul", "com1", "lpt9", "aux", "prn"] {
        let run = test.run(&["new", "case", device]);
        run.assert_status(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: `{device}` cannot be a case id: Windows keeps this name for a device, so the case's \
                 folder could not be made there; use the program's prefix and a number, for example ct-2026-0100\n"
            )
        );
        assert!(!test.path(&format!("records/{device}")).exists());
    }
    test.run(&["new", "case", "con-1"]).assert_status(0);
    assert_eq!(test.read("records/ct-2026-0100/case.yaml"), text);
    // A case folder made by hand under such a name is named at its id.
    fs::rename(test.path("records/case-a"), test.path("records/nul")).unwrap();
    test.edit("records/nul/case.yaml", "case_id: case-a", "case_id: nul");
    let run = test.run(&["validate", "records/nul"]);
    run.assert_status(1);
    assert!(
        run.stderr.starts_with(
            "records/nul/case.yaml:3:1: error[reserved-case-id]: `nul` cannot be a case id: Windows keeps this \
             name for a device, so the case's folder could not be made there; use the program's prefix and a \
             number, for example ct-2026-0100\n"
        ),
        "{}",
        run.stderr
    );
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
        .stderr_has("wrote records/case-a/contacts-2025-06-02-cora.yaml");
    let text = test.read("records/case-a/contacts-2025-06-02-cora.yaml");
    assert!(text.contains("notes:"), "{text}");
    assert!(text.contains("  - date: 2025-06-02\n"), "{text}");
    assert!(text.contains("    type: phone\n"), "{text}");
    assert!(text.contains("    summary:  # "), "{text}");
    // A second note that day goes to a file of its own.
    test.run(&args)
        .assert_status(0)
        .stderr_has("wrote records/case-a/contacts-2025-06-02-cora-2.yaml");
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/contacts-2025-06-02-cora.yaml:")
        .stderr_has("`contacts.notes[0].summary` is empty; fill it in");
    test.run(&["new", "contact", "case-a", "--kind", "fax"])
        .assert_status(2)
        .stderr_has("`fax` is not a kind of contact; the choices are visit, phone, email, text, meeting, other");
    test.run(&["new", "contact", "case-z"])
        .assert_status(2)
        .stderr_has("there is no case `case-z` in records");
}

#[test]
fn new_review_writes_a_progress_entry_for_each_outcome_and_joins_the_plan() {
    let test = Test::fixture("minimal");
    let args = [
        "new",
        "review",
        "case-a",
        "--date",
        "2025-08-04",
        "--type",
        "six-month-review",
    ];
    test.run(&args)
        .assert_status(0)
        .stderr_has("wrote records/case-a/review-2025-08-04-cora.yaml");
    let text = test.read("records/case-a/review-2025-08-04-cora.yaml");
    for line in [
        "kind: review\n",
        "date: 2025-08-04\n",
        "type: six-month-review\n",
        "participants:  # Who took part",
        // One entry per outcome of the plan, numbered, its words beside it.
        "  - outcome: 1  # Ada will walk across the kitchen.\n    note:  # What has changed, in plain words\n",
    ] {
        assert!(text.contains(line), "lacks {line:?}\n{text}");
    }
    let run = test.run(&["validate", "records"]);
    run.assert_status(1)
        .stderr_has("records/case-a/review-2025-08-04-cora.yaml:6:1: error[empty-element]: `review.participants` is empty")
        .stderr_has("records/case-a/review-2025-08-04-cora.yaml:9:5: error[empty-element]: `review.progress[0].note` is empty");

    // Filled in, the meeting and its progress appear on the outcomes page.
    test.edit(
        "records/case-a/review-2025-08-04-cora.yaml",
        "participants:  # Who took part (a list, [first, second])",
        "participants: [Bea Test (mother), Cora Lind (service coordinator)]",
    )
    .edit(
        "records/case-a/review-2025-08-04-cora.yaml",
        "note:  # What has changed, in plain words",
        "note: Ada takes six steps between the sofa and the table.",
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records", "--out", "out", "--only", "outcomes"])
        .assert_status(0);
    let page = test.pdf_text("out/case-a/outcomes.pdf");
    assert!(
        page.contains(
            "August 4, 2025 six-month review Ada takes six steps between the sofa and the table."
        ),
        "{page}"
    );

    // A progress entry for an outcome the plan lacks is named at its line.
    test.edit(
        "records/case-a/review-2025-08-04-cora.yaml",
        "- outcome: 1",
        "- outcome: 3",
    );
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("records/case-a/review-2025-08-04-cora.yaml:8:5: error[unknown-outcome]: the plan has no outcome 3; its outcomes are numbered 1");

    test.edit(
        "records/case-a/review-2025-08-04-cora.yaml",
        "- outcome: 3",
        "- outcome: 1",
    );

    // The same meeting kept in plan.yaml too would print twice: an error.
    test.edit(
        "records/case-a/plan.yaml",
        "    type: initial\n",
        "    type: initial\n  - date: 2025-08-04\n    type: six-month-review\n",
    );
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("records/case-a/review-2025-08-04-cora.yaml:4:1: error[duplicate-meeting]: the six-month-review of 2025-08-04 is recorded here and in the plan's meetings too; keep it in one of the two");

    // A second review that day gets a file of its own; bad types are refused.
    test.run(&args)
        .assert_status(0)
        .stderr_has("wrote records/case-a/review-2025-08-04-cora-2.yaml");
    test.run(&["new", "review", "case-a", "--type", "yearly"])
        .assert_status(2)
        .stderr_has(
            "`yearly` is not a kind of review meeting; the choices are six-month-review, annual",
        );
    // A review needs a plan.
    test.run(&["new", "case", "case-b"]).assert_status(0);
    test.run(&["new", "review", "case-b"])
        .assert_status(2)
        .stderr_has("case `case-b` has no plan.yaml to review");
}

#[test]
fn new_exit_writes_what_the_reason_needs_and_never_overwrites() {
    let test = Test::fixture("minimal");
    test.run(&["new", "exit", "case-a", "--reason", "could-not-reach"])
        .assert_status(0)
        .stderr_has("wrote records/case-a/exit.yaml");
    let text = test.read("records/case-a/exit.yaml");
    for line in [
        "reason: could-not-reach\n",
        "exit_date:  # The date services end (a date, YYYY-MM-DD)\n",
        // The reason needs the attempts to reach the family...
        "attempts:  # Every attempt to reach the family\n  - date:  # The date of the attempt",
        // ...and the coordinator signs the letter.
        "signatures:  # Who signs the letter - the service coordinator\n  - role: coordinator\n    name:  # ",
    ] {
        assert!(text.contains(line), "lacks {line:?}\n{text}");
    }
    assert!(!text.contains("reason_detail"), "{text}");
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("records/case-a/exit.yaml:5:1: error[empty-element]: `exit.exit_date` is empty")
        .stderr_has("`exit.attempts[0].method` is empty")
        .stderr_has("`exit.signatures[0].name` is empty");
    test.run(&["new", "exit", "case-a", "--reason", "moved"])
        .assert_status(2)
        .stderr_has("records/case-a/exit.yaml already exists; nothing was written");
    assert_eq!(test.read("records/case-a/exit.yaml"), text);
    test.run(&["new", "exit", "case-a", "--reason", "bored"])
        .assert_status(2)
        .stderr_has("`bored` is not a reason for exit; the choices are could-not-reach, completed, moved, family-choice, transferred, turned-three, other");

    // Another reason asks for what it needs instead.
    std::fs::remove_file(test.path("records/case-a/exit.yaml")).unwrap();
    test.run(&["new", "exit", "case-a", "--reason", "other"])
        .assert_status(0);
    let text = test.read("records/case-a/exit.yaml");
    assert!(
        text.contains("reason_detail:  # More about the reason, in plain words"),
        "{text}"
    );
    assert!(!text.contains("attempts"), "{text}");
}

/// A `casepaper watch` running in a test's folder, its messages collected
/// as they come; stopped when dropped.
struct Watching {
    child: std::process::Child,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Watching {
    fn start(dir: &std::path::Path, args: &[&str]) -> Watching {
        use std::io::Read;
        let mut child = std::process::Command::new(common::BIN)
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("casepaper watch starts");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Watching { child, stderr }
    }

    fn messages(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until the watch has printed "watching" `times` times (a run
    /// is finished and it waits for the next change), and gives what it
    /// printed since `from`.
    fn settled(&self, times: usize, from: usize) -> String {
        let start = std::time::Instant::now();
        loop {
            let text = self.messages();
            if text.matches("\nwatching ").count() + usize::from(text.starts_with("watching "))
                >= times
            {
                return text[from..].to_string();
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "watch did not settle {times} times:\n{text}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_renders_again_on_each_change_and_keeps_the_last_good_pdfs_on_a_bad_one() {
    let test = Test::fixture("minimal");
    let watch = Watching::start(test.dir.path(), &["records", "--out", "out"]);
    let first = watch.settled(1, 0);
    assert!(
        first.contains("rendered 7 documents for 1 case into out"),
        "{first}"
    );
    assert!(
        first.contains("watching records for changes (Ctrl-C stops); that run took "),
        "{first}"
    );
    assert!(
        test.pdf_text("out/case-a/outcomes.pdf")
            .contains("Ada Test")
    );
    let consent = std::fs::read(test.path("out/case-a/consent-2025-02-03-initiation.pdf")).unwrap();

    // An edit: the documents that read the file are made again.
    let seen = watch.messages().len();
    test.edit(
        "records/case-a/case.yaml",
        "name: Ada Test",
        "name: Ada Lovegood",
    );
    let run = watch.settled(2, seen);
    assert!(run.contains("changed: records/case-a/case.yaml"), "{run}");
    assert!(run.contains("rendered 7 documents"), "{run}");
    let outcomes = test.pdf_text("out/case-a/outcomes.pdf");
    assert!(outcomes.contains("Ada Lovegood"), "{outcomes}");
    assert!(!outcomes.contains("Ada Test"), "{outcomes}");
    let good = std::fs::read(test.path("out/case-a/outcomes.pdf")).unwrap();
    assert_ne!(
        std::fs::read(test.path("out/case-a/consent-2025-02-03-initiation.pdf")).unwrap(),
        consent
    );

    // A bad edit: the problem is printed with its line, the PDFs stay.
    let seen = watch.messages().len();
    test.edit(
        "records/case-a/case.yaml",
        "name: Ada Lovegood",
        "nmae: Ada Lovegood",
    );
    let run = watch.settled(3, seen);
    assert!(
        run.contains("records/case-a/case.yaml:8:3: error[unknown-element]: `nmae` is not an element of `case.child`"),
        "{run}"
    );
    assert!(
        run.contains("not rendered because of errors above: records/case-a"),
        "{run}"
    );
    assert_eq!(
        std::fs::read(test.path("out/case-a/outcomes.pdf")).unwrap(),
        good
    );

    // Mended, it renders again; a change to a file no document reads
    // (an editor's backup) starts no run.
    let seen = watch.messages().len();
    test.write("records/case-a/case.yaml~", "backup");
    test.edit(
        "records/case-a/case.yaml",
        "nmae: Ada Lovegood",
        "name: Ada Marsh",
    );
    let run = watch.settled(4, seen);
    assert!(!run.contains("case.yaml~"), "{run}");
    assert!(
        test.pdf_text("out/case-a/outcomes.pdf")
            .contains("Ada Marsh")
    );
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(
        watch.messages().matches("changed:").count(),
        3,
        "{}",
        watch.messages()
    );
}

/// What casepaper writes to standard error when that is a terminal (a
/// pseudo-terminal here) that shows colour, with `env` set.
fn stderr_on_a_terminal(test: &Test, args: &[&str], env: &[(&str, &str)]) -> String {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let (mut leader, mut follower) = (0, 0);
    // SAFETY: openpty writes two new descriptors; null name, termios and size.
    let made = unsafe {
        libc::openpty(
            &mut leader,
            &mut follower,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(made, 0, "a pseudo-terminal");
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (mut leader, follower) = unsafe {
        (
            std::fs::File::from_raw_fd(leader),
            std::fs::File::from_raw_fd(follower),
        )
    };
    let mut command = std::process::Command::new(common::BIN);
    command
        .args(args)
        .current_dir(test.dir.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        // A terminal that shows colour (with TERM unset or dumb, none).
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .stderr(follower);
    let status = command.status().expect("casepaper runs");
    drop(command);
    assert_eq!(status.code(), Some(1));
    let mut text = Vec::new();
    let mut buf = [0u8; 4096];
    // The follower is closed, so reading ends with an error (EIO) once the
    // output is read.
    while let Ok(n) = leader.read(&mut buf) {
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&text).into_owned()
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "name: Ada Test",
        "nmae: Ada Test",
    );
    let finding = "records/case-a/case.yaml:8:3:";
    let validate = ["validate", "records"];
    let coloured = stderr_on_a_terminal(&test, &validate, &[]);
    assert!(
        coloured.contains("\x1b[31merror[unknown-element]"),
        "{coloured:?}"
    );
    // NO_COLOR set to anything but the empty string turns colour off, and
    // so do CLICOLOR=0 and a terminal that shows none.
    for env in [[("NO_COLOR", "1")], [("CLICOLOR", "0")], [("TERM", "dumb")]] {
        let plain = stderr_on_a_terminal(&test, &validate, &env);
        assert!(plain.contains(finding), "{env:?}: {plain:?}");
        assert!(!plain.contains('\x1b'), "{env:?}: {plain:?}");
    }
    let empty = stderr_on_a_terminal(&test, &validate, &[("NO_COLOR", "")]);
    assert!(empty.contains('\x1b'), "{empty:?}");
    // CLICOLOR_FORCE asks for colour where it would not be, but NO_COLOR
    // still wins.
    let forced = stderr_on_a_terminal(
        &test,
        &validate,
        &[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")],
    );
    assert!(forced.contains('\x1b'), "{forced:?}");
    let both = stderr_on_a_terminal(
        &test,
        &validate,
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
    );
    assert!(!both.contains('\x1b'), "{both:?}");
    // Not a terminal (a pipe): no colour, NO_COLOR or not.
    let mut command = std::process::Command::new(common::BIN);
    let piped = command
        .args(["validate", "records"])
        .current_dir(test.dir.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&piped.stderr);
    assert!(
        piped.contains(finding) && !piped.contains('\x1b'),
        "{piped:?}"
    );
}

#[test]
fn messages_name_files_from_where_the_user_stands() {
    let test = Test::fixture("minimal");
    test.edit(
        "records/case-a/case.yaml",
        "name: Ada Test",
        "nmae: Ada Test",
    );
    let run_in = |dir: &str, args: &[&str]| {
        let output = std::process::Command::new(common::BIN)
            .args(args)
            .current_dir(test.path(dir))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // From the repository, the records folder, and the case folder: the
    // same finding, each time by a path that opens from there.
    for (dir, shown) in [
        ("", "records/case-a/case.yaml:8:3:"),
        ("records", "./case-a/case.yaml:8:3:"),
        ("records/case-a", "../case-a/case.yaml:8:3:"),
    ] {
        let (status, stderr) = run_in(dir, &["validate"]);
        assert_eq!(status, Some(1), "{dir}: {stderr}");
        assert!(
            stderr.contains(&format!("{shown} error[unknown-element]")),
            "{dir}: {stderr}"
        );
        let file = shown.split(':').next().unwrap();
        assert!(test.path(dir).join(file).is_file(), "{dir}: {file}");
    }
    // Rendering from inside the records folder writes beside it, not in it.
    test.edit(
        "records/case-a/case.yaml",
        "nmae: Ada Test",
        "name: Ada Test",
    );
    let (status, stderr) = run_in("records/case-a", &["render"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("into ../../out"), "{stderr}");
    assert!(test.path("out/case-a/outcomes.pdf").is_file());
    // And `new` finds the records folder from a case folder too.
    let (status, stderr) = run_in(
        "records/case-a",
        &["new", "contact", "case-a", "--date", "2025-06-02"],
    );
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stderr.contains("wrote ../case-a/contacts-2025-06-02-cora.yaml"),
        "{stderr}"
    );
}

#[test]
fn watch_renders_again_when_the_programs_translation_changes() {
    let test = Test::empty();
    test.run(&["init", "program", "--templates"])
        .assert_status(0);
    // Started in the records folder, it finds it from there.
    let watch = Watching::start(&test.path("program/records"), &[]);
    let first = watch.settled(1, 0);
    assert!(
        first.contains("watching . and ../templates for changes"),
        "{first}"
    );
    let consent = "program/out/ct-example-0001/consent-2025-02-03-initiation.pdf";
    assert!(
        test.pdf_text(consent)
            .contains("Consent for Initiation of Services")
    );
    let seen = watch.messages().len();
    test.edit(
        "program/templates/i18n/en.yaml",
        "initiation: \"Consent for Initiation of Services\"",
        "initiation: \"Agreement to Start Services\"",
    );
    let run = watch.settled(2, seen);
    assert!(run.contains("changed: ../templates/i18n/en.yaml"), "{run}");
    assert!(
        test.pdf_text(consent)
            .contains("Agreement to Start Services"),
        "{run}"
    );
}

#[test]
fn init_starts_a_repository_that_validates_renders_and_never_overwrites() {
    let test = Test::empty();
    let run = test.run(&["init", "program", "--state", "vt"]);
    run.assert_status(0).stderr_has(
        "started a records repository in program for Vermont Children's Integrated Services with an example case, vt-example-0001",
    )
    .stderr_has("so `check` and `due` pass over it; delete records/vt-example-0001 once your first real case is in");
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
    let hooks = test.read("program/.pre-commit-config.yaml");
    for line in [
        "default_install_hook_types: [pre-commit, pre-merge-commit, post-rewrite]\n",
        "        entry: casepaper validate records\n",
        "        stages: [pre-commit, pre-merge-commit, post-rewrite]\n",
    ] {
        assert!(hooks.contains(line), "{line:?} in\n{hooks}");
    }
    // git joins its record files with casepaper, once the repository is one.
    assert_eq!(
        test.read("program/.gitattributes"),
        "# Record files are joined entry by entry when two people changed them\n\
         # (`casepaper sync` tells git where casepaper is).\nrecords/**/*.yaml merge=casepaper\n"
    );
    test.git(&["init", "--quiet", "program"]);
    let attr = |path: &str| test.git(&["-C", "program", "check-attr", "merge", "--", path]);
    assert_eq!(
        attr("records/program.yaml"),
        "records/program.yaml: merge: casepaper"
    );
    assert_eq!(
        attr("records/vt-example-0001/contacts-2026-12-08-cora.yaml"),
        "records/vt-example-0001/contacts-2026-12-08-cora.yaml: merge: casepaper"
    );
    assert_eq!(attr("README.md"), "README.md: merge: unspecified");
    let readme = test.read("program/README.md");
    assert!(readme.contains("## Working as a team\n"), "{readme}");
    assert!(
        readme.contains("    git clone records@server:/srv/records.git records-vt\n"),
        "{readme}"
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
    // On the day init runs, check and due are clean: the example is marked
    // as one, and they say so and how to remove it.
    let (status, stderr) = run_in(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains(
            "note: vt-example-0001 is an example case (`example: true` in its case.yaml), so it is \
             not checked; delete its folder once your first real case is in"
        ) && stderr.contains("0 cases checked as of"),
        "{stderr}"
    );
    let output = std::process::Command::new(common::BIN)
        .args(["due"])
        .current_dir(&program_dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let due = String::from_utf8_lossy(&output.stdout);
    assert!(due.contains("Cora Lind (cora)\n  nothing due"), "{due}");
    // Once the example is deleted, the next render removes its PDFs.
    std::fs::remove_dir_all(program_dir.join("records/vt-example-0001")).unwrap();
    let (status, stderr) = run_in(&["render"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("removed 5 documents that no record makes any more"),
        "{stderr}"
    );
    assert!(!program_dir.join("out/vt-example-0001").exists());

    // A second init over it writes nothing and says which files are there.
    let before = common::files(&program_dir);
    test.run(&["init", "program"])
        .assert_status(2)
        .stderr_has(
            "program already holds program/.gitignore, program/.gitattributes, program/README.md",
        )
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
        &["watch"],
        &["check"],
        &["verify"],
        &["log"],
        &["due"],
        &["init"],
        &["new"],
        &["new", "case"],
        &["new", "contact"],
        &["new", "review"],
        &["new", "exit"],
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

/// Fills each empty element of a skeleton (`key:  # what goes there`) with
/// the value `values` gives for its name, keeping the comment.
fn fill_skeleton(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let filled = line.split_once(":  # ").and_then(|(head, comment)| {
            let key = head.trim_start().trim_start_matches("- ");
            let (_, value) = values.iter().find(|(k, _)| *k == key)?;
            Some(format!("{head}: {value}  # {comment}"))
        });
        out.push_str(&filled.unwrap_or_else(|| line.to_string()));
        out.push('\n');
    }
    out
}

#[test]
fn new_plan_writes_a_plan_to_fill_that_then_validates() {
    let test = Test::fixture("minimal");
    std::fs::remove_file(test.path("records/case-a/plan.yaml")).unwrap();
    let run = test.run(&[
        "new",
        "--records",
        "records",
        "plan",
        "case-a",
        "--date",
        "2025-02-03",
    ]);
    run.assert_status(0)
        .stderr_has("wrote records/case-a/plan.yaml; fill in every empty element");
    let text = test.read("records/case-a/plan.yaml");
    for expected in [
        "  - date: 2025-02-03  # The date of the meeting",
        "    type: initial  # ",
        "  - id: service-coordination  # ",
        "      name: Cora Lind  # The provider's name\n      staff: cora  # ",
        "    service_coordination: true  # ",
        // The parent's decision is written once given.
        "      - service: service-coordination  # The service's id from services\n    explained",
        // The consent owes both signatures: no dates.
        "      - role: parent  # ",
        "        name: Bea Test  # The signer's full name",
        "      - role: coordinator  # ",
        "present_levels:  # ",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    assert!(!text.contains("signed_on"), "{text}");
    // Every element has a comment saying what goes there.
    for line in text.lines().skip(3) {
        assert!(
            line.contains("  # ") || line.ends_with("explained: true"),
            "no comment: {line}"
        );
    }
    // validate names what is left, by line.
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("records/case-a/plan.yaml:13:3: error[empty-element]: `plan.family_assessment.concerns` is empty");

    // Filled in, it is valid, and its plan prints as a draft owing both.
    let filled = fill_skeleton(
        &text,
        &[
            ("concerns", "Ada does not yet walk."),
            ("priorities", "Walking at home."),
            ("resources", "Grandparents nearby."),
            ("physical", "Cruises along furniture."),
            ("cognitive", "Plays with stacking cups."),
            ("communication", "Says three words."),
            ("social_emotional", "Happy with family."),
            ("adaptive", "Feeds herself."),
            ("outcome", "Ada will walk across the kitchen."),
            ("criteria", "Ten steps on her own."),
            ("procedures", "Parent report."),
            ("target_date", "2025-08-01"),
            ("strategies", "[Push toy walks]"),
            ("who_helps", "[Bea Test]"),
            ("id", "dev"),
            ("service", "Developmental intervention"),
            ("name", "Cora Lind"),
            ("discipline", "Early childhood special education"),
            ("times", "1"),
            ("per", "week"),
            ("intensity", "individual"),
            ("minutes", "60"),
            ("method", "home-visit"),
            ("location", "Family home"),
            ("natural_environment", "true"),
            ("start_date", "2025-02-10"),
            ("end_date", "2025-08-01"),
            ("funding", "Part C"),
            ("description", "Starting service coordination."),
            ("native_language", "English"),
        ],
    );
    test.write("records/case-a/plan.yaml", &filled);
    test.run(&["validate", "records"])
        .assert_status(0)
        .stderr_has("1 case valid, no problems found");
    test.run(&["render", "records", "--only", "plan"])
        .assert_status(0);
    test.run(&["render", "records", "--only", "consent"])
        .assert_status(0);
    for pdf in ["plan-2025-02-03", "consent-2025-02-03-initiation"] {
        let text = test.pdf_text(&format!("out/case-a/{pdf}.pdf"));
        assert!(
            text.contains(
                "DRAFT: not final until signed by Bea Test (mother); Cora Lind (service coordinator)"
            ),
            "{pdf}: {text}"
        );
    }
    // check lists the owed signatures.
    test.run(&["check", "records", "--as-of", "2025-02-04"]).stderr_has(
        "notice[signature-owed]: the plan of the meeting of 2025-02-03 is not signed by Bea Test (parent) yet",
    );
    // A case has one plan: a second `new plan` writes nothing.
    test.run(&["new", "--records", "records", "plan", "case-a"])
        .assert_status(2)
        .stderr_has("records/case-a/plan.yaml");
    assert_eq!(test.read("records/case-a/plan.yaml"), filled);
}

#[test]
fn new_consent_adds_a_consent_to_the_plan_and_keeps_the_rest_as_written() {
    let test = Test::fixture("minimal");
    let plan = "records/case-a/plan.yaml";
    // A comment and an element after the consents stay where they are.
    let before = test.read(plan)
        + "# Billing, once it starts.\nbilling:\n  public: {notified_on: 2025-02-03}\n";
    test.write(plan, &before);
    test.run(&[
        "new",
        "--records",
        "records",
        "consent",
        "case-a",
        "--action",
        "change",
        "--date",
        "2025-04-01",
    ])
    .assert_status(0)
    .stderr_has("wrote records/case-a/plan.yaml; fill in every empty element");
    let after = test.read(plan);
    let (head, tail) = before.split_once("# Billing, once it starts.\n").unwrap();
    assert!(after.starts_with(head), "{after}");
    assert!(
        after.ends_with(&format!("# Billing, once it starts.\n{tail}")),
        "{after}"
    );
    let added = &after[head.len()..after.len() - tail.len() - "# Billing, once it starts.\n".len()];
    for expected in [
        "  - date: 2025-04-01  # The date consent was given\n",
        "    action: change  # ",
        "      - service: dev  # The service's id from services\n      - service: sc  # ",
        "      - service: sc  # ",
        "      - role: parent  # ",
        "        name: Bea Test  # ",
    ] {
        assert!(added.contains(expected), "lacks {expected:?}\n{added}");
    }
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:54:5: error[empty-element]: `plan.consents[1].description` is empty",
    );
    // Once the parent signs, the decision the parent marked is written too.
    test.edit(
        plan,
        "    description:  # ",
        "    description: Twice a week.  # ",
    );
    test.edit(
        plan,
        "    native_language:  # ",
        "    native_language: English  # ",
    );
    test.assert_no_findings(&["validate", "records"]);
    let signed = test.read(plan).replacen(
        "        name: Bea Test  # The signer's full name as printed under the signature line\n",
        "        name: Bea Test  # The signer's full name as printed under the signature line\n        \
         signed_on: 2025-04-01\n        method: paper\n",
        2,
    );
    test.write(plan, &signed);
    test.run(&["validate", "records"]).assert_status(1).stderr_has(
        "records/case-a/plan.yaml:56:9: error[missing-element]: `plan.consents[1].services[0]` is missing `decision`: \
         the consent of 2025-04-01 is signed, so write the decision the parent marked for `dev` on the signed form \
         (accepted or declined)",
    );

    // A wrong action or a case without a plan writes nothing.
    test.run(&["new", "--records", "records", "consent", "case-a", "--action", "stop"])
        .assert_status(2)
        .stderr_has("`stop` is not an action a consent to services is for; the choices are initiation, change, continuation");
    std::fs::remove_file(test.path(plan)).unwrap();
    test.run(&[
        "new",
        "--records",
        "records",
        "consent",
        "case-a",
        "--action",
        "change",
    ])
    .assert_status(2)
    .stderr_has("case `case-a` has no plan.yaml: a consent to services goes on the plan");
}

#[test]
fn man_writes_a_page_for_casepaper_and_each_command_it_lists() {
    let test = Test::empty();
    test.run(&["man", "--out", "man"]).assert_status(0);
    let mut pages: Vec<String> = fs::read_dir(test.path("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let first = test.read("man/casepaper.1");
    let mut listed: Vec<String> = (first.lines())
        .filter_map(|l| l.strip_prefix("casepaper\\-")?.strip_suffix("(1)"))
        .map(|name| format!("casepaper-{name}.1"))
        .chain(["casepaper.1".to_string()])
        .collect();
    listed.sort();
    assert_eq!(pages, listed);
    assert!(pages.contains(&"casepaper-sync.1".to_string()), "{pages:?}");
    assert!(
        !pages.iter().any(|p| p.contains("merge-records")),
        "{pages:?}"
    );
    let sync = test.read("man/casepaper-sync.1");
    assert!(
        sync.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH casepaper-sync 1 "),
        "{sync}"
    );
    assert!(
        sync.contains("\\fB\\-m\\fR, \\fB\\-\\-message\\fR"),
        "{sync}"
    );
    // Without --out, the first page on standard output.
    let run = test.run(&["man"]);
    run.assert_status(0);
    assert_eq!(run.stdout, first);
}
