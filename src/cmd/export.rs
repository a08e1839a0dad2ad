//! `export`: a case handed over to the program the family chose.

use std::path::PathBuf;

use casepaper::Error;
use casepaper::pipeline::{self, CONTENTS, Warm};

use super::outcome::{Outcome, Ran};
use super::tell::{counted, failures, report};
use crate::cli::{ExportArgs, Format};

pub fn export(args: ExportArgs) -> Ran {
    let wanted = args.case.trim_end_matches('/');
    let dir = match PathBuf::from(wanted) {
        folder if folder.join("case.yaml").is_file() => folder,
        _ => args.records.join(wanted),
    };
    if !dir.is_dir() {
        return Err(Error::Records(format!(
            "there is no case `{wanted}` in {}",
            args.records.display()
        )));
    }
    let mut exported = pipeline::export(&dir, &args.to, &mut Warm::default())?;
    let valid = &exported.made.valid;
    report(valid.findings(), &valid.caseload.sources, Format::Human);
    failures(&mut exported.made.report, &args.to)?;
    let Some(folder) = exported.folder else {
        eprintln!(
            "nothing exported: {} has errors; fix them first, so the new program gets whole documents",
            dir.display()
        );
        return Ok(Outcome::Findings);
    };
    let documents = folder
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("documents/"));
    let documents = documents.count();
    println!(
        "exported case {} to {}: {} and {}, listed with their digests in {CONTENTS}",
        folder.case_id,
        folder.dir.display(),
        counted(folder.files.len() - documents, "record file"),
        counted(documents, "document"),
    );
    Ok(Outcome::Clean)
}
