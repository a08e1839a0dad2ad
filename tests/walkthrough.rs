//! The guide's "First ten minutes" chapter (docs/src/first-ten-minutes.md), run step by step as it is written:
//! every `$ casepaper ...` line through the built binary, `$ cd` as a change
//! of folder, each titled `yaml` block written to its file and each titled
//! `diff` block applied, and what the guide shows under each command
//! compared with what casepaper printed. If the walk-through and casepaper
//! part ways, this test fails.

use crate::common;

use common::{BIN, Test, pdf_text, repo};

/// One step of the walk-through.
#[derive(Debug)]
enum Step {
    /// A command and the lines the guide shows under it.
    Command { line: String, shown: Vec<String> },
    /// A file written whole, or changed by a diff.
    Write { path: String, text: String },
    Change {
        path: String,
        from: String,
        to: String,
    },
}

/// The guide's "First ten minutes" chapter.
fn section() -> String {
    let chapter = repo().join("docs/src/first-ten-minutes.md");
    let text = std::fs::read_to_string(chapter).unwrap();
    assert!(
        text.starts_with("# First ten minutes\n"),
        "the guide's first chapter is First ten minutes"
    );
    text
}

/// The steps of the section's fenced blocks, in order.
fn steps(section: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let title = info
            .split_once("title=\"")
            .and_then(|(_, t)| t.split_once('"'))
            .map(|(t, _)| t.to_string());
        match (info.split_whitespace().next(), title) {
            (Some("console"), None) => {
                for line in body {
                    match line.strip_prefix("$ ") {
                        Some(command) => steps.push(Step::Command {
                            line: command.to_string(),
                            shown: Vec::new(),
                        }),
                        None => match steps.last_mut() {
                            Some(Step::Command { shown, .. }) => shown.push(line.to_string()),
                            _ => panic!("output before any command: {line}"),
                        },
                    }
                }
            }
            // Shown, not run: `casepaper serve`, which runs until stopped
            // (tests/serve.rs and tests/browser.rs run it).
            (Some("text"), None) => {}
            (Some("yaml"), Some(path)) => steps.push(Step::Write {
                path,
                text: body.join("\n") + "\n",
            }),
            (Some("diff"), Some(path)) => {
                let side = |mark: char| {
                    body.iter()
                        .filter_map(|l| l.strip_prefix(mark))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                steps.push(Step::Change {
                    path,
                    from: side('-'),
                    to: side('+'),
                });
            }
            (kind, title) => panic!("a block the walk-through cannot run: {kind:?} {title:?}"),
        }
    }
    steps
}

/// Whether `printed` shows what the guide shows: the same lines, except
/// that a `...` line stands for any number of lines.
fn shows(printed: &str, shown: &[String]) -> bool {
    fn from(printed: &[&str], shown: &[String]) -> bool {
        match shown.split_first() {
            None => printed.is_empty(),
            Some((first, rest)) if first == "..." => {
                (0..=printed.len()).any(|skip| from(&printed[skip..], rest))
            }
            Some((first, rest)) => {
                printed.first() == Some(&first.as_str()) && from(&printed[1..], rest)
            }
        }
    }
    let printed: Vec<&str> = printed.lines().collect();
    from(&printed, shown)
}

#[test]
fn the_readme_walk_through_runs_as_written() {
    let test = Test::empty();
    let section = section();
    let steps = steps(&section);
    assert!(steps.len() >= 10, "{steps:?}");
    let mut here = test.path("");
    let mut commands = 0;
    for step in &steps {
        match step {
            Step::Command { line, shown } => {
                let words: Vec<&str> = line.split_whitespace().collect();
                match words.as_slice() {
                    ["cd", dir] => {
                        here = here.join(dir);
                        assert!(here.is_dir(), "$ {line}: no such folder");
                    }
                    ["casepaper", args @ ..] => {
                        assert!(
                            !line.contains(['"', '\'']),
                            "$ {line}: quoting is not run here"
                        );
                        let output = std::process::Command::new(BIN)
                            .args(args)
                            .current_dir(&here)
                            .env("NO_COLOR", "1")
                            .output()
                            .unwrap();
                        let printed = String::from_utf8_lossy(&output.stdout).into_owned()
                            + &String::from_utf8_lossy(&output.stderr);
                        let wanted = if shown.iter().any(|l| l.contains(" error[")) {
                            1
                        } else {
                            0
                        };
                        assert_eq!(output.status.code(), Some(wanted), "$ {line}\n{printed}");
                        assert!(
                            shows(&printed, shown),
                            "$ {line}\nthe guide shows:\n{}\ncasepaper printed:\n{printed}",
                            shown.join("\n")
                        );
                        commands += 1;
                    }
                    _ => panic!("$ {line}: the walk-through runs only casepaper and cd"),
                }
            }
            Step::Write { path, text } => {
                // The file is one a command before wrote for the user to fill.
                let file = here.join(path);
                assert!(file.is_file(), "{path} should exist before it is filled in");
                std::fs::write(&file, text).unwrap();
            }
            Step::Change { path, from, to } => {
                let file = here.join(path);
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(text.contains(from.as_str()), "{path} lacks {from:?}");
                std::fs::write(&file, text.replacen(from.as_str(), to, 1)).unwrap();
            }
        }
    }
    assert!(commands >= 8, "{commands} commands");

    // The PDFs the walk-through opens are there, and the contact sheet holds
    // the note that was written.
    let opened: Vec<&str> = section
        .split('`')
        .filter(|s| s.starts_with("out/") && s.ends_with(".pdf"))
        .collect();
    assert!(!opened.is_empty());
    for pdf in opened {
        let path = here.join(pdf);
        assert!(path.is_file(), "{pdf} was not made");
        let text = pdf_text(&path);
        for summary in section
            .lines()
            .filter_map(|l| l.trim().strip_prefix("summary: "))
        {
            assert!(
                common::normalize(&text).contains(&common::normalize(summary)),
                "{pdf} lacks {summary:?}:\n{text}"
            );
        }
    }
}

#[test]
fn the_output_comparison_tells_shown_lines_from_others() {
    let shown = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(shows("a\nb\nc\n", &shown(&["a", "...", "c"])));
    assert!(shows("a\nc\n", &shown(&["a", "...", "c"])));
    assert!(!shows("a\nb\nc\n", &shown(&["a", "c"])));
    assert!(!shows("a\nb\n", &shown(&["a", "...", "c"])));
    assert!(!shows("a\nb\nc\n", &shown(&["a", "b"])));
    assert!(shows("", &shown(&[])));
}
