//! Hostile record text: every string of `tests/hostile/strings.json` (Typst
//! markup and code, template syntax, YAML look-alikes, right-to-left and
//! bidi controls, combining marks, emoji, zero-width characters, control
//! characters, 10,000-character lines) is put into every free-text field of
//! a sample case. Each must print as itself, and nothing else on the page
//! may change; a control character (or one no font has) is refused by
//! validation, naming the field.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use casepaper::testing::Glyphs;
use casepaper::testing::TemplateSet;
use casepaper::testing::yaml;
use common::{Test, corpus, pdf_text, reordered, repo, squeeze};
use serde_json::Value;

/// The sample cases the strings go into: between them they have every
/// document (a transition plan in one, an exit letter in the other).
const SAMPLES: [&str; 2] = ["ct-2025-0117", "ct-2026-0031"];

/// What a free-text field holds in the reference render.
const PROBE: &str = "Plain probe text";

/// A case's record files, by file name, as values.
type Files = BTreeMap<String, Value>;

fn read_case(dir: &Path) -> Files {
    let mut files = Files::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let doc = yaml::parse(text).unwrap_or_else(|_| panic!("{} parses", path.display()));
        files.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            doc.value,
        );
    }
    files
}

/// Writes a case folder; JSON is YAML, so each file is written as JSON,
/// which quotes every string exactly.
fn write_case(dir: &Path, files: &Files) {
    fs::create_dir_all(dir).unwrap();
    for (name, value) in files {
        fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
    }
}

/// Every string in a value, as (dotted element path, JSON pointer), the
/// dotted path as casepaper's findings name it (`plan.services[0].location`).
fn strings(value: &Value, dotted: String, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(_) => out.push((dotted, pointer)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(
                    item,
                    format!("{dotted}[{i}]"),
                    format!("{pointer}/{i}"),
                    out,
                );
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                strings(
                    item,
                    format!("{dotted}.{key}"),
                    format!("{pointer}/{key}"),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// A records folder holding the samples' program file and logo, no case.
fn program_only(test: &Test) {
    fs::create_dir_all(test.path("records")).unwrap();
    for name in ["program.yaml", "logo.svg"] {
        fs::copy(
            repo().join("records").join(name),
            test.path("records").join(name),
        )
        .unwrap();
    }
}

fn set_all(files: &mut Files, fields: &[(String, String)], text: &str) {
    for (file, pointer) in fields {
        *files.get_mut(file).unwrap().pointer_mut(pointer).unwrap() = Value::String(text.into());
    }
}

/// The free-text fields of a sample case: every string that validation
/// accepts any text in. All strings are set to the probe at once (so names
/// that must agree still agree); those validation then complains about
/// (dates, ids, choices, references) are put back, until the case is valid.
fn free_text_fields(sample: &str) -> (Files, Vec<(String, String)>) {
    let original = read_case(&repo().join("records").join(sample));
    let mut fields = Vec::new();
    for (name, value) in &original {
        let kind = value["kind"].as_str().unwrap().to_string();
        let mut found = Vec::new();
        strings(value, kind, String::new(), &mut found);
        fields.extend(
            found
                .into_iter()
                .filter(|(_, pointer)| pointer != "/kind")
                .map(|(dotted, pointer)| (name.clone(), dotted, pointer)),
        );
    }
    let test = Test::empty();
    program_only(&test);
    for _round in 0..10 {
        let mut files = original.clone();
        let chosen: Vec<(String, String)> = fields
            .iter()
            .map(|(f, _, p)| (f.clone(), p.clone()))
            .collect();
        set_all(&mut files, &chosen, PROBE);
        let dir = test.path("records").join(sample);
        let _ = fs::remove_dir_all(&dir);
        write_case(&dir, &files);
        let run = test.run(&["validate", "records", "--format", "json"]);
        let refused: Vec<String> = run
            .stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|f| f["severity"] == "error")
            .filter_map(|f| f["path"].as_str().map(str::to_string))
            .collect();
        if refused.is_empty() {
            assert!(fields.len() > 40, "only {} free-text fields", fields.len());
            return (original, chosen);
        }
        let before = fields.len();
        fields.retain(|(_, dotted, _)| {
            !refused.iter().any(|r| {
                dotted == r
                    || dotted.starts_with(&format!("{r}."))
                    || dotted.starts_with(&format!("{r}["))
            })
        });
        assert!(
            fields.len() < before,
            "validation refuses what no field explains: {refused:?}\n{}",
            run.stdout
        );
    }
    panic!("the free-text fields of {sample} were not found in ten rounds");
}

/// The error validation refuses the text with, if any: a control
/// character, byte-order mark, direction override or embedding control,
/// private-use character or noncharacter; or a
/// character none of the documents' fonts has.
fn refusal(text: &str, glyphs: &Glyphs) -> Option<&'static str> {
    text.chars().find_map(|c| {
        let n = c as u32;
        let private = matches!(n, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
        let nonchar = matches!(n, 0xFDD0..=0xFDEF) || n & 0xFFFE == 0xFFFE;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{feff}'
            || matches!(n, 0x202A..=0x202E)
            || private
            || nonchar
        {
            Some("unprintable-character")
        } else if !glyphs.prints(c) {
            Some("no-font")
        } else {
            None
        }
    })
}

/// The text of each of a case's PDFs, by file name.
fn case_pdfs(out: &Path, case_id: &str) -> BTreeMap<String, String> {
    fs::read_dir(out.join(case_id))
        .unwrap_or_else(|e| panic!("{case_id} was not rendered: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                pdf_text(&p),
            )
        })
        .collect()
}

/// All the text of a case's PDFs, in file order.
fn case_text(out: &Path, case_id: &str) -> String {
    case_pdfs(out, case_id)
        .into_values()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text without the fixed words of each page's footer.
fn without_footers(text: &str) -> String {
    let words = "To check this copy against the program's records, use casepaper verify:";
    squeeze(text).replace(&squeeze(words), " ")
}

/// The page text with every occurrence of `value` cut out, and what varies
/// from case to case (its id, the fingerprint, page numbers) masked.
fn skeleton(text: &str, value: &str, case_id: &str) -> Vec<String> {
    let mut masked = squeeze(text).replace(&squeeze(case_id), "ID");
    // A soft hyphen where a line breaks prints as a hyphen: that is the
    // value too.
    if value.contains('\u{ad}') {
        for h in ["-", "\u{2010}"] {
            masked = masked.replace(&squeeze(&value.replace('\u{ad}', h)), &squeeze(value));
        }
    }
    let mut out: Vec<String> = masked
        .split(&squeeze(value))
        .map(|part| {
            let mut s = String::new();
            let mut rest = part;
            while let Some(at) = rest.find("fingerprint") {
                s.push_str(&rest[..at]);
                let after = &rest[at + "fingerprint".len()..];
                rest = after.get(12..).unwrap_or("");
            }
            s.push_str(rest);
            s.chars().filter(|c| !c.is_ascii_digit()).collect()
        })
        .collect();
    out.retain(|s| !s.is_empty());
    out
}

#[test]
fn hostile_text_prints_as_itself_in_every_field_or_is_refused() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 200,
        "the corpus has {} strings",
        corpus.len()
    );
    let samples: Vec<(Files, Vec<(String, String)>)> =
        SAMPLES.iter().map(|s| free_text_fields(s)).collect();

    // One records folder: a reference case per sample holding the probe,
    // and one case per hostile string.
    let test = Test::empty();
    program_only(&test);
    let place = |id: &str, sample: usize, text: &str| {
        let (files, fields) = &samples[sample];
        let mut files = files.clone();
        set_all(&mut files, fields, text);
        files.get_mut("case.yaml").unwrap()["case_id"] = Value::String(id.into());
        write_case(&test.path("records").join(id), &files);
    };
    for sample in 0..SAMPLES.len() {
        place(&format!("reference-{sample}"), sample, PROBE);
    }
    for (i, text) in corpus.iter().enumerate() {
        place(&format!("h-{i:03}"), i % SAMPLES.len(), text);
    }
    let glyphs = Glyphs::of(&TemplateSet::load(None).unwrap());
    let run = test.run(&["render", "records"]);
    let expected_status = if corpus.iter().any(|t| refusal(t, &glyphs).is_some()) {
        1
    } else {
        0
    };
    run.assert_status(expected_status);
    assert!(!run.stderr.contains("was not rendered"), "{}", run.stderr);

    let out = test.path("out");
    let references: Vec<String> = (0..SAMPLES.len())
        .map(|s| case_text(&out, &format!("reference-{s}")))
        .collect();
    let mut failures = Vec::new();
    for (i, text) in corpus.iter().enumerate() {
        let id = format!("h-{i:03}");
        if let Some(code) = refusal(text, &glyphs) {
            let said = format!("records/{id}/");
            let error = format!("error[{code}]");
            let ok = run
                .stderr
                .lines()
                .any(|l| l.starts_with(&said) && l.contains(&error))
                && !out.join(&id).exists();
            if !ok {
                failures.push(format!("{i} {text:?}: not refused with {error}"));
            }
            continue;
        }
        // The footers' fixed words, which repeat on every page (a value of
        // another length moves the page breaks), are not counted.
        let reference = &without_footers(&references[i % SAMPLES.len()]);
        let printed = without_footers(&case_text(&out, &id));
        let value = squeeze(text);
        // Printed wherever the probe was (and wherever the fixed text
        // already holds the same characters).
        let wanted = squeeze(reference).matches(&squeeze(PROBE)).count()
            + squeeze(reference).matches(&value).count();
        if reordered(text) {
            // Each of its characters that the fixed text does not have is
            // there as often as every field adds it. (Characters the fixed
            // text has too are not counted: footers and table headers repeat
            // on every page, and a value of another length moves the page
            // breaks.)
            let count = |t: &str, c: char| squeeze(t).chars().filter(|&x| x == c).count();
            let fields = squeeze(reference).matches(&squeeze(PROBE)).count();
            for c in value.chars() {
                if count(reference, c) > fields * count(PROBE, c) {
                    continue;
                }
                let expected = fields * count(text, c);
                if count(&printed, c) < expected {
                    failures.push(format!(
                        "{i} {text:?}: {c:?} printed {} times, expected {expected}",
                        count(&printed, c)
                    ));
                }
            }
            continue;
        }
        // A soft hyphen where a line breaks prints as a hyphen.
        let found = squeeze(&printed).matches(&value).count()
            + if text.contains('\u{ad}') {
                ["-", "\u{2010}"]
                    .iter()
                    .map(|h| {
                        squeeze(&printed)
                            .matches(&squeeze(&text.replace('\u{ad}', h)))
                            .count()
                    })
                    .sum::<usize>()
            } else {
                0
            };
        // A single value longer than a page is cut at the page's end where
        // it sits in a row or block that is kept whole: only that it prints.
        let wanted = if text.chars().count() > 2000 {
            wanted.min(1)
        } else {
            wanted
        };
        if value.is_empty() || found < wanted {
            failures.push(format!(
                "{i} {:?}: printed {found} times, expected {wanted}",
                text.chars().take(80).collect::<String>()
            ));
            continue;
        }
        // Nothing else changed: the fixed text between the values is the
        // reference's. Compared on one-page documents (elsewhere a longer
        // value moves page breaks, and with them footers and repeated table
        // headers), for values up to 200 characters that do not also occur
        // in the fixed text.
        if text.chars().count() > 200 || squeeze(reference).contains(&value) {
            continue;
        }
        let reference_id = format!("reference-{}", i % SAMPLES.len());
        let reference_pdfs = case_pdfs(&out, &reference_id);
        for (name, printed) in case_pdfs(&out, &id) {
            let Some(reference) = reference_pdfs.get(&name) else {
                failures.push(format!("{i} {text:?}: {name} is not among the reference's"));
                continue;
            };
            let one_page = |t: &str| squeeze(t).contains("Page1of1");
            if !one_page(&printed) || !one_page(reference) {
                continue;
            }
            let got = skeleton(&printed, text, &id);
            let expected = skeleton(reference, PROBE, &reference_id);
            if got != expected {
                let at = got
                    .iter()
                    .zip(&expected)
                    .take_while(|(a, b)| a == b)
                    .count();
                failures.push(format!(
                    "{i} {text:?}: {name}: the text around the value changed at piece {at} of {}\n  got:      {:?}\n  expected: {:?}",
                    expected.len(),
                    got.get(at),
                    expected.get(at)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} strings failed:\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n")
    );
}

#[test]
fn the_free_text_fields_include_names_summaries_and_the_assessment() {
    // The free-text fields found by validation are the strings that are not
    // dates, ids, codes or references; a sample whose every string were
    // constrained would make the hostile test prove nothing.
    for sample in SAMPLES {
        let (_, fields) = free_text_fields(sample);
        for must in [
            "/child/name",
            "/notes/0/summary",
            "/family_assessment/concerns",
        ] {
            assert!(
                fields.iter().any(|(_, p)| p == must),
                "{sample}: {must} is not among the free-text fields {fields:?}"
            );
        }
    }
}

#[test]
fn a_day_at_the_edge_of_the_calendar_is_refused_before_anything_runs() {
    let test = Test::fixture("minimal");
    for command in ["check", "due"] {
        let run = test.run(&[command, "records", "--as-of=+262142-12-31"]);
        run.assert_status(2);
        assert_eq!(
            run.stderr,
            "error: invalid value '+262142-12-31' for '--as-of <DATE>': `+262142-12-31` is \
             outside the days casepaper works with (1900-01-01 to 2199-12-31)\n\n\
             For more information, try '--help'.\n",
            "{command}"
        );
    }
    let run = test.run(&["due", "records", "--within", "4294967295"]);
    run.assert_status(2);
    assert_eq!(
        run.stderr,
        "error: invalid value '4294967295' for '--within <DAYS>': 4294967295 is not in \
         0..=3650\n\nFor more information, try '--help'.\n"
    );
    // The last days casepaper works with are counted from without a fault.
    test.run(&[
        "due",
        "records",
        "--as-of",
        "2199-12-31",
        "--within",
        "3650",
    ])
    .assert_status(0);
    test.run(&["check", "records", "--as-of", "1900-01-01"])
        .assert_status(0);
}

#[test]
fn verify_refuses_a_file_larger_than_any_pdf_casepaper_makes() {
    let test = Test::fixture("minimal");
    let run = test.run(&["verify", "/dev/zero", "records"]);
    run.assert_status(2);
    assert_eq!(
        run.stderr,
        "error: /dev/zero was not made by casepaper: it is larger than 64 MB, and no document \
         casepaper makes is\n"
    );
}

#[test]
fn the_caseload_report_is_never_written_among_the_records() {
    let test = Test::fixture("minimal");
    let before = common::files(&test.path("records"));
    let run = test.run(&["due", "records", "--pdf", "records/due.pdf"]);
    run.assert_status(2);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        (
            "",
            "error: the caseload report records/due.pdf would be inside the records folder \
             records; write it elsewhere (--pdf)\n"
        )
    );
    assert_eq!(common::files(&test.path("records")), before);
    test.run(&["due", "records", "--pdf", "due.pdf"])
        .assert_status(0)
        .stderr_has("wrote the caseload report to due.pdf");
    assert!(test.path("due.pdf").is_file());
}
