//! A case's later events at the desk, each through a form: every record
//! file as a form made from its schema, the meeting that changes the
//! plan, a parent's decline, the transition at three and the exit.

use crate::common;

use common::Test;
use common::web::{Server, form_values};

/// The record files of every sample case, as `case/file`.
fn sample_files(test: &Test) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for case in std::fs::read_dir(test.path("records")).unwrap() {
        let case = case.unwrap();
        if !case.file_type().unwrap().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(case.path()).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".yaml") {
                out.push((case.file_name().to_string_lossy().to_string(), name));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_record_file_opened_as_a_form_and_saved_unchanged_stays_byte_for_byte() {
    let test = Test::samples();
    let server = Server::start(&test);
    let files = sample_files(&test);
    assert!(files.len() >= 30, "{files:?}");
    let mut changed = Vec::new();
    for (case, file) in &files {
        let before = std::fs::read(test.path(&format!("records/{case}/{file}"))).unwrap();
        let path = format!("/case/{case}/form/{file}");
        let page = server.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let sent = form_values(&page.text());
        let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let answer = server.send(&path, &sent);
        let after = std::fs::read(test.path(&format!("records/{case}/{file}"))).unwrap();
        if answer.status != 303 || after != before {
            let (was, now) = (
                String::from_utf8_lossy(&before),
                String::from_utf8_lossy(&after),
            );
            let lost: Vec<&str> = was
                .lines()
                .filter(|l| !now.lines().any(|n| n == *l))
                .collect();
            let new: Vec<&str> = now
                .lines()
                .filter(|l| !was.lines().any(|n| n == *l))
                .collect();
            changed.push(format!(
                "{case}/{file}: {} {}\n- {}\n+ {}",
                answer.status,
                answer.header("location").unwrap_or_default(),
                lost.join("\n- "),
                new.join("\n+ ")
            ));
            std::fs::write(test.path(&format!("records/{case}/{file}")), &before).unwrap();
        } else {
            assert_eq!(
                answer.header("location"),
                Some(format!("/case/{case}?unchanged={file}").as_str())
            );
        }
    }
    assert!(changed.is_empty(), "{changed:#?}");
}
