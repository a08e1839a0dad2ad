//! The loader and validator on arbitrary bytes: the fuzz input takes the
//! place of one record file of a valid case (or joins it as one more file),
//! is parsed, validated with the rest of the case, and its findings are
//! printed as a coordinator would see them. Nothing may panic, hang or run
//! away with memory; every problem must come back as a finding.

#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use casepaper::finding;
use casepaper::testing::{
    self, CaseFolder, Caseload, Glyphs, RecordFile, Schemas, TemplateSet, yaml,
};
use codespan_reporting::term::termcolor::NoColor;
use libfuzzer_sys::fuzz_target;

struct Setup {
    fixture: Caseload,
    schemas: Schemas,
    glyphs: Glyphs,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal");
    let fixture = testing::load(&[dir]).expect("the minimal fixture loads");
    assert!(fixture.findings.is_empty() && fixture.cases.len() == 1);
    let templates = TemplateSet::load(None).expect("the built-in templates");
    Setup {
        fixture,
        schemas: Schemas::embedded(),
        glyphs: Glyphs::of(&templates),
    }
});

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    // The loader refuses text that is not UTF-8 before parsing.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let setup = &*SETUP;
    let case = &setup.fixture.cases[0];
    let mut files = case.files.clone();
    let slot = which as usize % (files.len() + 1);
    let path = match files.get(slot) {
        Some(file) => file.path.clone(),
        None => case.dir.join("fuzzed.yaml"),
    };
    let mut caseload = Caseload {
        root: setup.fixture.root.clone(),
        program: setup.fixture.program.clone(),
        sources: setup.fixture.sources.clone(),
        ..Caseload::default()
    };
    caseload.sources.insert(path.clone(), Arc::from(text));
    let mut broken = false;
    match yaml::parse(text) {
        Ok(doc) => {
            let record = RecordFile { path, doc };
            match files.get_mut(slot) {
                Some(file) => *file = record,
                None => files.push(record),
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                caseload.findings.push(
                    finding::Finding::error(&path, p.code, p.message)
                        .at(p.pos)
                        .path(finding::dotted("", &p.pointer)),
                );
            }
            broken = true;
        }
    }
    caseload.cases.push(CaseFolder {
        dir: case.dir.clone(),
        files,
        broken,
        ..CaseFolder::default()
    });
    let validated = testing::validate(&mut caseload, &setup.schemas, &["en", "es"], &|c| {
        setup.glyphs.prints(c)
    });
    // The program file is valid, so any error is about the case, and a case
    // with an error is left out, never half-typed.
    if finding::has_errors(&validated.findings) {
        assert!(validated.cases.is_empty());
    }
    let mut sink = NoColor::new(Vec::new());
    finding::print_human(&mut sink, &validated.findings, &caseload.sources).unwrap();
    finding::print_json(&mut Vec::new(), &validated.findings).unwrap();
});
